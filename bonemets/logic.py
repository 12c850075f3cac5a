"""Three-valued (Kleene) logic over numpy arrays: true, false or unknown, row by row."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np


@dataclass(frozen=True, slots=True)
class Tri:
    """A column of Kleene truth values held as two boolean masks.

    A row is true where ``true`` is set, false where ``false`` is set, and unknown where
    neither is. Both are never set together.
    """

    true: np.ndarray
    false: np.ndarray

    @classmethod
    def known(cls, known: np.ndarray, value: np.ndarray) -> "Tri":
        """``value`` where ``known``, unknown elsewhere."""
        return cls(known & value, known & ~value)

    @classmethod
    def constant(cls, n: int, value: bool) -> "Tri":
        """The same known value on every row."""
        on, off = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
        return cls(on, off) if value else cls(off, on)

    @property
    def unknown(self) -> np.ndarray:
        """Rows where the value is unknown."""
        return ~(self.true | self.false)

    def __and__(self, other: "Tri") -> "Tri":
        return Tri(self.true & other.true, self.false | other.false)

    def __or__(self, other: "Tri") -> "Tri":
        return Tri(self.true | other.true, self.false & other.false)

    def __invert__(self) -> "Tri":
        return Tri(self.false, self.true)

    def at(self, row: int) -> bool | None:
        """The value on one row: True, False or None for unknown."""
        if self.true[row]:
            return True
        if self.false[row]:
            return False
        return None


def all_of(values: list[Tri]) -> Tri:
    """Kleene conjunction of one or more columns."""
    return reduce(lambda a, b: a & b, values)


def any_of(values: list[Tri]) -> Tri:
    """Kleene disjunction of one or more columns."""
    return reduce(lambda a, b: a | b, values)
