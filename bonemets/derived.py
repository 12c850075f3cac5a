"""Derived numbers: published formulas and scores computed from case fields, for rules to compare.

:data:`DERIVED` lists them. The Mirels and SINS scores are summed, vectorised, from the same
point tables (``data/scores``) that :func:`bonemets.scores.mirels` and
:func:`bonemets.scores.sins` read; corrected calcium and creatinine clearance use the array
cores of :mod:`bonemets.scores`, rounded half up as labs report them.
"""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(frozen=True)
class Derived:
    """A number computed from case fields (a published formula or score).

    Attributes
    ----------
    name : str
    inputs : tuple of str
        The case fields it is computed from; unknown if any of them is unknown.
    description : str
    compute : callable
        Encoded columns to a float array, NaN where unknown.
    """

    name: str
    inputs: tuple[str, ...]
    description: str
    compute: Callable[[EncodedColumns], np.ndarray]


def _corrected_calcium(cols: EncodedColumns) -> np.ndarray:
    value = corrected_calcium_si(cols.numbers["calcium_mmol_l"], cols.numbers["albumin_g_l"])
    return np.asarray(round_half_up(value, 2), dtype=float)


def _crcl(cols: EncodedColumns) -> np.ndarray:
    sex = cols.enums["sex"]
    female = sex == FIELDS["sex"].allowed.index("female")
    crcl = cockcroft_gault_ml_min(
        cols.numbers["age"], cols.numbers["weight_kg"], cols.numbers["creatinine_umol_l"], female
    )
    return np.where(sex >= 0, round_half_up(crcl), np.nan)


#: The points an unknown category counts in a byte-table sum: any total below zero has an unknown.
_UNKNOWN_POINTS = -20


def _lookups(table: PointScore) -> dict[str, bytes]:
    """Per case field of a point score, its points by category code as a byte table
    (:mod:`bonemets.lookup`), :data:`_UNKNOWN_POINTS` last (for code -1)."""
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
        out[item.field] = byte_table(np.array([*points, _UNKNOWN_POINTS], dtype=np.int8))
    if len(out) * -_UNKNOWN_POINTS > 128:  # every item unknown must still fit in one byte
        raise DataTableError(f"{tables_dir()}: table '{table.id}': a derived score sums at most 6 items")
    return out


def _points(table: PointScore) -> Callable[[EncodedColumns], np.ndarray]:
    """A score summed from enum fields' point tables; unknown if any field is unknown."""
    lookups = _lookups(table)

    def total(cols: EncodedColumns) -> np.ndarray:
        points = np.zeros(cols.n, dtype=np.int8)
        for name, table in lookups.items():
            points += lookup(table, cols.enums[name])  # code -1 counts _UNKNOWN_POINTS
        return np.where(points < 0, np.nan, points.astype(float))

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
            "Cockcroft–Gault creatinine clearance with actual body weight, rounded half up to whole "
            "mL/min before any threshold (bonemets.scores.creatinine_clearance).",
            _crcl,
        ),
        *_point_scores(),
    )
}
