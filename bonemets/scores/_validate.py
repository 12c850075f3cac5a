"""Argument checks shared by the score functions, and the rounding rule used at band edges."""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..exceptions import ScoreInputError


def _allowed_text(allowed: Any) -> str:
    return ", ".join(repr(a) for a in allowed)


def choice(func: str, name: str, value: Any, table: Mapping[str, Any]) -> Any:
    """Return ``table[value]``, or raise :class:`ScoreInputError` listing the keys of ``table``."""
    if isinstance(value, str) and value in table:
        return table[value]
    message = f"{func}(): {name}={value!r} is not allowed; allowed values: {_allowed_text(table)}"
    if isinstance(value, str):
        close = difflib.get_close_matches(value.lower(), list(table), n=1, cutoff=0.6)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    raise ScoreInputError(message)


def number(
    func: str, name: str, value: Any, *, low: float, high: float, unit: str = "", hint: str = ""
) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ScoreInputError(f"{func}(): {name}={value!r} must be a number ({low}–{high} {unit})")
    x = float(value)
    if not math.isfinite(x) or not low <= x <= high:
        message = f"{func}(): {name}={value!r} is outside the allowed range {low}–{high} {unit}"
        raise ScoreInputError(message.rstrip() + (f"; {hint}" if hint else ""))
    return x


def count(func: str, name: str, value: Any, *, minimum: int) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number ≥ ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ScoreInputError(
            f"{func}(): {name}={value!r} is not allowed; allowed values: a whole number ≥ {minimum}"
        )
    return int(value)


def round_half_up(x: Any, decimals: int = 0) -> Any:
    """Round half away from zero, tolerant of binary floating-point noise.

    This is the rounding rule used before every band edge in :mod:`bonemets.scores`
    (creatinine clearance to whole mL/min, corrected calcium to the precision labs report),
    so that 49.5 → 50 and 2.8 + 0.3 (= 3.0999999999999996 in binary) → 3.10. A tolerance of
    1e-9 of the last kept digit absorbs floating-point noise.

    Parameters
    ----------
    x : float or array_like
        Values; NaN propagates.
    decimals : int, default 0
        Number of decimals to keep.

    Returns
    -------
    float or numpy.ndarray
        A float for scalar input, else a float array.
    """
    arr = np.asarray(x, dtype=float)
    scale = 10.0**decimals
    out = np.sign(arr) * np.floor(np.abs(arr) * scale + 0.5 + 1e-9) / scale
    return float(out) if out.ndim == 0 else out
