"""Derived numbers: published formulas and scores computed from case fields, for rules to compare.

:data:`DERIVED` lists them. Each is computed as bounds: the least and greatest value it can take
over the plausible values of its unknown inputs, so that a comparison is decided when the whole
range agrees (contract §6: "whatever the albumin, corrected calcium is at least 3.1 mmol/L").
The Mirels and SINS scores are summed, vectorised, from the same
point tables (``data/scores``) that :func:`bonemets.scores.mirels` and
:func:`bonemets.scores.sins` read; corrected calcium and creatinine clearance use the array
cores of :mod:`bonemets.scores` (corrected calcium rounded half up to 0.01 mmol/L as labs report
it; creatinine clearance not rounded, so that no value is rounded across a threshold).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .case import FIELDS
from .exceptions import DataTableError
from .logic import Tri
from .lookup import byte_table, lookup
from .scores import cockcroft_gault_ml_min, corrected_calcium_si, round_half_up
from .scores.point_score import Item
from .scores.tables import TABLES, PointScore, tables_dir


class EncodedColumns(Protocol):
    """What a derived number reads: encoded case fields (:class:`bonemets.columns.Columns`)."""

    n: int
    enums: dict[str, np.ndarray]
    bools: dict[str, Tri]
    numbers: dict[str, np.ndarray]
    lists: dict[str, tuple[np.ndarray, np.ndarray]]
    limits: dict[str, tuple[np.ndarray, np.ndarray]]


#: The least and greatest value of a number on each row, over the plausible values of its unknown
#: inputs (equal where it is known).
Bounds = tuple[np.ndarray, np.ndarray]


def field_bounds(cols: EncodedColumns, name: str) -> Bounds:
    """A number field's bounds: its value where known, else its plausible range (the range a case
    may give it, :class:`bonemets.Case`), narrowed where implied facts bound it (``cols.limits``)."""
    x = cols.numbers[name]
    least, most = cols.limits.get(name, FIELDS[name].plausible)
    return np.fmax(x, least), np.fmin(x, most)  # NaN gives the other operand; a known x is in range


@dataclass(frozen=True)
class Derived:
    """A number computed from case fields (a published formula or score).

    Attributes
    ----------
    name : str
    inputs : tuple of str
        The case fields it is computed from.
    description : str
    bounds : callable
        Encoded columns to the number's :data:`Bounds` on every row (the value itself where every
        input is known). Each formula is monotonic in each input, so its bounds are its values at
        the ends of its inputs' ranges.
    """

    name: str
    inputs: tuple[str, ...]
    description: str
    bounds: Callable[[EncodedColumns], Bounds]

    def compute(self, cols: EncodedColumns) -> np.ndarray:
        """The number on every row; NaN where an input it depends on is unknown."""
        lo, hi = self.bounds(cols)
        return np.where(lo == hi, lo, np.nan)


def _corrected_calcium(cols: EncodedColumns) -> Bounds:
    ca_lo, ca_hi = field_bounds(cols, "calcium_mmol_l")
    alb_lo, alb_hi = field_bounds(cols, "albumin_g_l")  # more albumin, less correction
    return (np.asarray(round_half_up(corrected_calcium_si(ca_lo, alb_hi), 2), dtype=float),
            np.asarray(round_half_up(corrected_calcium_si(ca_hi, alb_lo), 2), dtype=float))


def _crcl(cols: EncodedColumns) -> Bounds:
    sex = cols.enums["sex"]
    allowed = FIELDS["sex"].allowed
    age, weight, creatinine = (field_bounds(cols, f) for f in ("age", "weight_kg", "creatinine_umol_l"))
    # Clearance falls with age and creatinine, rises with weight, and is lower for a woman. Not
    # rounded: a rule or dose band compares the value itself (29.6 mL/min is under 30).
    lo = cockcroft_gault_ml_min(age[1], weight[0], creatinine[1], sex != allowed.index("male"))
    hi = cockcroft_gault_ml_min(age[0], weight[1], creatinine[0], sex == allowed.index("female"))
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


#: Set bits of every byte value (a list of at most 8 values is one byte of its mask).
_POPCOUNT = byte_table(np.array([bin(b).count("1") for b in range(128)], dtype=np.int8))


def _site_count(cols: EncodedColumns) -> Bounds:
    """How many bone sites a case names: 1 to all of them when the list is unknown."""
    known, mask = cols.lists["bone_sites"]
    count = lookup(_POPCOUNT, mask.astype(np.uint8)) * known  # (products and sums: np.where is slower)
    unknown = np.logical_not(known)
    return count + unknown * 1.0, count + unknown * float(len(FIELDS["bone_sites"].allowed))


def _category_points(where: str, item: Item) -> tuple[bytes, bytes]:
    """An item read from an enum or yes/no case field: its least and greatest points by the
    field's code as byte tables (:mod:`bonemets.lookup`). Each value stands for the categories
    ``categories`` lists (itself without it); an unknown value, for every category."""
    spec = FIELDS.get(item.field or "")
    points = item.points or {}
    if spec is None or spec.kind not in ("enum", "bool"):
        raise DataTableError(f"{where}: 'points' by category are read from an enum or yes/no case field; "
                             f"got field {item.field!r}")
    values = list(spec.allowed) if spec.kind == "enum" else ["true", "false"]
    categories = item.categories or {v: [v] for v in points}
    if set(categories) != set(values):
        raise DataTableError(f"{where}: the categories must be read from the values of case field '{item.field}': "
                             f"{', '.join(values)}; got {', '.join(categories)} (list them in 'categories')")
    spans = [[points[c] for c in categories[v]] for v in values]
    if spec.kind == "bool":  # codes 1 true, 0 unknown, -1 false: entries unknown, true, false
        spans = [list(points.values()), spans[0], spans[1]]
    else:  # codes of the allowed values, then -1 unknown (the last entry)
        spans.append(list(points.values()))
    return (byte_table(np.array([min(p) for p in spans], dtype=np.int8)),
            byte_table(np.array([max(p) for p in spans], dtype=np.int8)))


def _graded_points(where: str, item: Item) -> Callable[[EncodedColumns], Bounds]:
    """A counted item given by the grade a whole-number case field holds (``given_as``):
    each grade stands for a range of counts; an unknown grade, for every count."""
    spec = FIELDS.get(item.field or "")
    if item.given_as is None or spec is None or spec.kind != "int":
        raise DataTableError(f"{where}: a counted item read from a case field needs 'given_as' and a "
                             f"whole-number field; got field {item.field!r}")
    grades = [(float(g), item.points_for_range(*span)) for g, span in item.given_as.ranges.items()]

    def bounds(cols: EncodedColumns) -> Bounds:
        x = cols.numbers[item.field or ""]
        lo, hi = np.full(cols.n, float(item.lowest)), np.full(cols.n, float(item.highest))
        for grade, (least, most) in grades:
            lo[x == grade], hi[x == grade] = least, most
        return lo, hi

    return bounds


def _classes(item: Item) -> list[tuple[float, float, int]]:
    """A counted item's steps as count ranges, lowest first: ``(least, most, points)``."""
    steps = sorted(item.at_least or [], key=lambda s: s.count)
    ends = [s.count - 1 for s in steps[1:]] + [np.inf]
    return [(float(s.count), float(end), s.points) for s, end in zip(steps, ends, strict=True)]


def _lesion_points(where: str, items: list[Item]) -> Callable[[EncodedColumns], Bounds]:
    """The two counted items that split ``bone_lesion_count`` between the spine and elsewhere,
    together: the least and greatest of their summed points over every split the case allows
    (at least one lesion in the spine, at least one in each other bone site named and none
    outside the spine when it is the only one, the total within the count's bounds). Undefined
    (NaN) unless the sites are known and the spine is among them: a comparison on it is then
    unknown, never false (a rule that reads it names the spine too)."""
    kinds = sorted(i.lesions or "" for i in items)
    if kinds != ["in_spine", "outside_spine"]:
        raise DataTableError(f"{where}: 'lesions' items come as a pair, in_spine and outside_spine; got "
                             f"{', '.join(kinds)}")
    spine, other = sorted(items, key=lambda i: i.lesions != "in_spine")
    pairs = [(v_lo, v_hi, e_lo, e_hi, float(vp + ep))
             for v_lo, v_hi, vp in _classes(spine) for e_lo, e_hi, ep in _classes(other)]
    spine_bit = 1 << FIELDS["bone_sites"].allowed.index("spine")
    not_spine = 0xFF ^ spine_bit  # a list of at most 8 values is one byte of its mask

    def bounds(cols: EncodedColumns) -> Bounds:
        known, mask = cols.lists["bone_sites"]
        others = lookup(_POPCOUNT, (mask & not_spine).astype(np.uint8)) * known
        n_lo, n_hi = field_bounds(cols, "bone_lesion_count")
        spine_only = np.where(known & (others == 0), 0.0, np.inf)  # the sites named are all there are
        lo, hi = np.full(cols.n, np.inf), np.full(cols.n, -np.inf)
        for v_lo, v_hi, e_lo, e_hi, points in pairs:
            e_least, e_most = np.maximum(e_lo, others), np.minimum(e_hi, spine_only)
            can = (e_least <= e_most) & (v_lo + e_least <= n_hi) & (v_hi + e_most >= n_lo)
            lo[can & (points < lo)] = points
            hi[can & (points > hi)] = points
        split = np.isfinite(lo)  # no split fits (the count is below the sites): any
        lo[~split], hi[~split] = spine.lowest + other.lowest, spine.highest + other.highest
        undefined = ~known | (mask & spine_bit == 0)
        lo[undefined], hi[undefined] = np.nan, np.nan
        return lo, hi

    return bounds


#: A point score's items on every row, each as :data:`Bounds` (int8 where read from a category).
Parts = dict[str, Bounds]


def point_parts(table: PointScore) -> Callable[[EncodedColumns], Parts]:
    """A point score's items read from case fields (see :class:`~bonemets.scores.point_score.Item`),
    each as its least and greatest points on every row; the two ``lesions`` items are one part,
    named after the first of them."""
    readers: dict[str, Callable[[EncodedColumns], Bounds]] = {}
    lesions: dict[str, Item] = {}
    for name, item in table.items.items():
        where = f"{tables_dir()}: table '{table.id}': entry 'items.{name}'"
        if item.field is None or item.label is None:
            raise DataTableError(f"{where}: a score computed as a derived number reads every item from a case "
                                 "'field' and names it in words ('label')")
        if item.points is not None:
            readers[name] = _category_reader(where, item)
        elif item.lesions is not None:
            lesions[name] = item
        else:
            readers[name] = _graded_points(where, item)
    if lesions:
        readers[next(iter(lesions))] = _lesion_points(f"{tables_dir()}: table '{table.id}'", list(lesions.values()))
    if sum(item.highest for item in table.items.values()) > 127:  # parts read from categories are int8
        raise DataTableError(f"{tables_dir()}: table '{table.id}': a derived score's greatest total must be at "
                             "most 127 points")
    order = [name for name in table.items if name in readers]

    def parts(cols: EncodedColumns) -> Parts:
        return {name: readers[name](cols) for name in order}

    return parts


def part_labels(table: PointScore) -> dict[str, str]:
    """The parts of :func:`point_parts` in words (the ``lesions`` pair: both labels)."""
    pair = {name: str(item.label) for name, item in table.items.items() if item.lesions}
    labels = {name: str(item.label) for name, item in table.items.items() if not item.lesions}
    if pair:
        labels[next(iter(pair))] = " and ".join(pair.values())
    return {name: labels[name] for name in table.items if name in labels}


def _category_reader(where: str, item: Item) -> Callable[[EncodedColumns], Bounds]:
    """An item's points read from its case field's codes; with ``open_unless``, any of its points
    where that other yes/no field is not known to hold the value named."""
    field, (least, most) = item.field or "", _category_points(where, item)
    is_bool = FIELDS[field].kind == "bool"
    unless = item.open_unless
    if unless is not None and (unless.field not in FIELDS or FIELDS[unless.field].kind != "bool"):
        raise DataTableError(f"{where}: 'open_unless' names a yes/no case field; got {unless.field!r}")

    def read(cols: EncodedColumns) -> Bounds:
        codes = cols.bools[field].v if is_bool else cols.enums[field]
        lo, hi = lookup(least, codes), lookup(most, codes)
        if unless is not None:
            other = cols.bools[unless.field]
            open_ = np.logical_not(other.true if unless.equals else other.false)
            lo = np.where(open_, np.int8(item.lowest), lo)
            hi = np.where(open_, np.int8(item.highest), hi)
        return lo, hi

    return read


def _points(table: PointScore) -> Callable[[EncodedColumns], Bounds]:
    """A score summed from its items' points: exact where every item is known, else the least
    and greatest total."""
    parts = point_parts(table)

    def total(cols: EncodedColumns) -> Bounds:
        items = iter(parts(cols).values())
        lo, hi = next(items)
        for p_lo, p_hi in items:
            lo, hi = lo + p_lo, hi + p_hi  # int8 while every part is: point_parts keeps the total under 128
        return lo.astype(float), hi.astype(float)

    return total


def _inputs(table: PointScore) -> tuple[str, ...]:
    fields = [i.field for i in table.items.values() if i.field]
    if any(i.lesions for i in table.items.values()):
        fields.append("bone_sites")
    return tuple(dict.fromkeys(fields))


def _point_scores() -> list[Derived]:
    return [Derived(t.derived.name, _inputs(t), t.derived.description, _points(t))
            for t in TABLES.values() if isinstance(t, PointScore) and t.derived is not None]


#: Derived numbers that rules may compare like case fields.
DERIVED: dict[str, Derived] = {
    d.name: d
    for d in (
        Derived(
            "corrected_calcium_mmol_l",
            ("calcium_mmol_l", "albumin_g_l"),
            "Albumin-corrected calcium, Ca + 0.02 × (40 − albumin g/L), rounded half up to 0.01 "
            "mmol/L as labs report it (bonemets.scores.corrected_calcium).",
            _corrected_calcium,
        ),
        Derived(
            "creatinine_clearance_ml_min",
            ("age", "weight_kg", "creatinine_umol_l", "sex"),
            "Cockcroft–Gault creatinine clearance with actual body weight, not rounded: a threshold or "
            "dose band compares the value itself, so 29.6 mL/min is under 30 "
            "(bonemets.scores.creatinine_clearance).",
            _crcl,
        ),
        Derived(
            "bone_site_count",
            ("bone_sites",),
            "The number of bone sites named in bone_sites (each counted once).",
            _site_count,
        ),
        *_point_scores(),
    )
}


def inputs_of(names: Iterable[str]) -> tuple[str, ...]:
    """Case fields and derived numbers as the case fields they come from (a derived number: its
    inputs), in order, each once."""
    return tuple(dict.fromkeys(f for name in names for f in (DERIVED[name].inputs if name in DERIVED else (name,))))
