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
from .lookup import byte_table, lookup
from .scores import cockcroft_gault_ml_min, corrected_calcium_si, round_half_up
from .scores.tables import TABLES, PointScore, tables_dir


class EncodedColumns(Protocol):
    """What a derived number reads: encoded case fields (:class:`bonemets.columns.Columns`)."""

    n: int
    enums: dict[str, np.ndarray]
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


def _lookups(table: PointScore) -> dict[str, tuple[bytes, bytes]]:
    """Per case field of a point score, its least and greatest points by category code as byte
    tables (:mod:`bonemets.lookup`); an unknown category (code -1, last) counts the least and the
    greatest points of the field."""
    out = {}
    for name, item in table.items.items():
        where = f"{tables_dir()}: table '{table.id}': entry 'items.{name}'"
        if item.field is None or item.field not in FIELDS or item.points is None:
            raise DataTableError(f"{where}: a score computed as a derived number needs 'field' naming "
                                 "an enum case field and 'points' by category")
        allowed = FIELDS[item.field].allowed
        if set(item.points) != set(allowed):
            raise DataTableError(f"{where}: the categories must be the allowed values of case field "
                                 f"'{item.field}': {', '.join(allowed)}; got {', '.join(item.points)}")
        points = [item.points[v] for v in allowed]
        if any(p != int(p) or not 0 <= p <= 20 for p in points):
            raise DataTableError(f"{where}: points of a derived score must be whole numbers from 0 to 20")
        out[item.field] = (byte_table(np.array([*points, min(points)], dtype=np.int8)),
                           byte_table(np.array([*points, max(points)], dtype=np.int8)))
    if len(out) * 20 > 127:  # every item at its most must still fit in one byte
        raise DataTableError(f"{tables_dir()}: table '{table.id}': a derived score sums at most 6 items")
    return out


def _points(table: PointScore) -> Callable[[EncodedColumns], Bounds]:
    """A score summed from enum fields' point tables."""
    lookups = _lookups(table)

    def total(cols: EncodedColumns) -> Bounds:
        lo, hi = np.zeros(cols.n, dtype=np.int8), np.zeros(cols.n, dtype=np.int8)
        for name, (least, most) in lookups.items():
            codes = cols.enums[name]
            lo += lookup(least, codes)
            hi += lookup(most, codes)
        return lo.astype(float), hi.astype(float)

    return total


def _point_scores() -> list[Derived]:
    return [Derived(t.derived.name, tuple(i.field for i in t.items.values() if i.field),
                    t.derived.description, _points(t))
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
