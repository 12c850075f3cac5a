"""Three-valued (Kleene) logic over numpy arrays: true, false or unknown, row by row.

A column of truth values is one int8 array: 1 true, 0 unknown, -1 false. Kleene's strong
conjunction is then the minimum, disjunction the maximum and negation the sign change, one numpy
operation each (:mod:`bonemets.program` computes them so).
"""

from __future__ import annotations

import numpy as np

TRUE, UNKNOWN, FALSE = np.int8(1), np.int8(0), np.int8(-1)


class Tri:
    """A column of Kleene truth values.

    Parameters
    ----------
    true, false : ndarray of bool
        Rows that are true, and rows that are false (never both); the others are unknown.
    """

    __slots__ = ("v",)

    def __init__(self, true: np.ndarray, false: np.ndarray) -> None:
        self.v: np.ndarray = true.astype(np.int8) - false.astype(np.int8)

    @classmethod
    def of(cls, v: np.ndarray) -> Tri:
        """A column from its int8 codes (1 true, 0 unknown, -1 false), without a copy."""
        tri = cls.__new__(cls)
        tri.v = v
        return tri

    @classmethod
    def known(cls, known: np.ndarray, value: np.ndarray) -> Tri:
        """``value`` where ``known``, unknown elsewhere."""
        v = np.add(value.view(np.int8), value.view(np.int8))  # 0/1 -> 0/2 (numpy shifts int8 slowly)
        v -= 1  # -> -1/1
        v *= known.view(np.int8)  # unknown rows -> 0
        return cls.of(v)

    @property
    def true(self) -> np.ndarray:
        """Rows where the value is true."""
        return self.v == TRUE

    @property
    def false(self) -> np.ndarray:
        """Rows where the value is false."""
        return self.v == FALSE

    @property
    def unknown(self) -> np.ndarray:
        """Rows where the value is unknown."""
        return self.v == UNKNOWN

    def at(self, row: int) -> bool | None:
        """The value on one row: True, False or None for unknown."""
        code = self.v[row]
        return None if code == UNKNOWN else bool(code == TRUE)
