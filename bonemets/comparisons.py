"""The number comparisons of a compiled program, decided on bounds (contract §6).

A comparison reads its number's bounds (:meth:`bonemets.columns.Columns.bounds`): true where the
whole range passes, false where none of it does, unknown otherwise. A case field's bounds are its
value where it is known, so its comparison reads the value and, where the value is missing, takes
the answer of the field's plausible range, found once when compiling
(:attr:`NumberTest.unknown`); where implied facts narrow that range on some rows
(``Columns.limits``) it reads the bounds row by row, as for a derived number. On long rows each
comparison is a few operations on its row of the value matrix; for a few rows (one case) all of
them are made at once on the tests' bounds stacked, which takes fewer numpy calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .case import FIELDS
from .derived import DERIVED

if TYPE_CHECKING:
    from .columns import Columns

Compare = Callable[[np.ndarray, np.ndarray, float], np.ndarray]
#: Per comparison, on a number's bounds ``lo``, ``hi``: where it holds whatever the unknown inputs
#: (the whole range passes), and where it fails whatever they are (none of the range passes).
DECIDED: dict[str, tuple[Compare, Compare]] = {
    "lt": (lambda lo, hi, t: hi < t, lambda lo, hi, t: lo >= t),
    "le": (lambda lo, hi, t: hi <= t, lambda lo, hi, t: lo > t),
    "gt": (lambda lo, hi, t: lo > t, lambda lo, hi, t: hi <= t),
    "ge": (lambda lo, hi, t: lo >= t, lambda lo, hi, t: hi < t),
}


@dataclass(frozen=True)
class NumberTest:
    """A number comparison: its row, what it reads, and for a case field its value where the field
    is unknown (the answer of the field's plausible range); None for a derived number."""

    row: int
    field: str
    op: str
    threshold: float
    unknown: int | None


@dataclass(frozen=True)
class NumberTests:
    """A program's number comparisons, with each one's kind (lt, le, gt, ge: shape (4, tests, 1))
    and threshold (shape (tests, 1)) as arrays for making them all at once."""

    tests: tuple[NumberTest, ...]
    ops: np.ndarray
    thresholds: np.ndarray


def number_tests(entries: Sequence[tuple[int, str, str, float]]) -> NumberTests:
    """The :class:`NumberTests` of ``(row, field, op, threshold)`` entries."""
    tests = tuple(NumberTest(row, field, op, threshold, _unknown_value(field, op, threshold))
                  for row, field, op, threshold in entries)
    ops = np.array([[[t.op == kind] for t in tests] for kind in DECIDED], dtype=bool).reshape(4, len(tests), 1)
    return NumberTests(tests, ops, np.array([t.threshold for t in tests], dtype=float).reshape(len(tests), 1))


def compare(m: np.ndarray, cols: Columns, numbers: NumberTests, few: bool) -> None:
    """Write every number comparison into its row of the value matrix ``m`` (1 true, 0 unknown,
    -1 false): one at a time (the arrays stay in cache), or with ``few`` rows all at once."""
    if few and numbers.tests:
        _at_once(m, cols, numbers)
        return
    bounds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    missing: dict[str, np.ndarray] = {}
    for test in numbers.tests:
        holds, fails = DECIDED[test.op]
        lo, hi, ranged = _operands(test, cols, bounds)
        out = m[test.row]
        np.subtract(holds(lo, hi, test.threshold).view(np.int8), fails(lo, hi, test.threshold).view(np.int8),
                    out=out)
        if test.unknown and not ranged:  # 0 where missing so far: add the answer there
            if test.field not in missing:
                missing[test.field] = np.isnan(lo).view(np.int8)
            (np.add if test.unknown > 0 else np.subtract)(out, missing[test.field], out=out)


def _at_once(m: np.ndarray, cols: Columns, numbers: NumberTests) -> None:
    """The comparisons as :func:`compare` makes them one by one, on the tests' bounds stacked:
    every kind of comparison once, each test taking its own."""
    bounds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    lows, highs, answers = [], [], []
    for test in numbers.tests:
        lo, hi, ranged = _operands(test, cols, bounds)
        lows.append(lo)
        highs.append(hi)
        answers.append(0 if ranged else test.unknown)  # the plausible range's answer, added where missing
    n = len(numbers.tests)
    lo, hi = np.concatenate(lows).reshape(n, cols.n), np.concatenate(highs).reshape(n, cols.n)
    ops, t = numbers.ops, numbers.thresholds
    below, upto, above, from_ = hi < t, hi <= t, lo > t, lo >= t
    holds = (ops[0] & below) | (ops[1] & upto) | (ops[2] & above) | (ops[3] & from_)
    fails = (ops[0] & from_) | (ops[1] & above) | (ops[2] & upto) | (ops[3] & below)
    values = holds.view(np.int8) - fails.view(np.int8)
    values += np.isnan(lo).view(np.int8) * np.array(answers, dtype=np.int8)[:, None]
    m[[test.row for test in numbers.tests]] = values


def _operands(test: NumberTest, cols: Columns,
              bounds: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, bool]:
    """What a comparison reads: its number's bounds (``bounds`` caches them by name) where they
    differ by row (a derived number, or a field that implied facts narrow), else the field's values
    themselves, NaN where missing (NaN compares false both ways: unknown until the plausible range's
    answer is added); and which of the two it is."""
    if test.unknown is None or test.field in cols.limits:
        if test.field not in bounds:
            bounds[test.field] = cols.bounds(test.field)
        return *bounds[test.field], True
    return cols.numbers[test.field], cols.numbers[test.field], False


def _unknown_value(field: str, op: str, threshold: float) -> int | None:
    """A case field's comparison where the field is unknown: decided by its plausible range
    (:func:`bonemets.derived.field_bounds`), or unknown (0). None for a derived number."""
    if field in DERIVED:
        return None
    least, most = (np.array([x]) for x in FIELDS[field].plausible)
    holds, fails = DECIDED[op]
    return int(holds(least, most, threshold)[0]) - int(fails(least, most, threshold)[0])
