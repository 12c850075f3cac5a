"""The decision rule: an item's status from the statuses its rules give, written once.

For each treatment option, test, or family without options, on one case:

1. If an ``avoid`` rule is true, the status is ``avoid`` (a real reason to withhold wins).
2. Otherwise the *provisional* status is the most favourable status given by a true rule, or
   the item's ``default_status`` when no rule is true.
3. A rule whose value is unknown is *open* when it could change that answer: a more
   favourable status than the true rules give; any status other than the default when none
   is true; or ``avoid`` where the answer is ``recommended`` or ``consider``. If any rule is
   open, the status is ``undetermined``, and the open rules are the reasons.

:func:`decide` states the rule for one case. :func:`decide_columns` applies it to every row at
once through a table of every combination, and :func:`open_statuses` tells the explanation which
unknown rules were open, from the same table, so the status and its reasons never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .vocabulary import STATUSES

_UNDETERMINED = STATUSES.index("undetermined")
_AVOID = STATUSES.index("avoid")

#: The statuses a rule can give, each with a bit of its own (``undetermined`` is never given).
GIVEN: tuple[int, ...] = tuple(STATUSES.index(s) for s in ("recommended", "consider", "not_indicated", "avoid"))
#: Bit position of each status a rule can give.
BIT: dict[int, int] = {code: i for i, code in enumerate(GIVEN)}


def _open(true: set[int], unknown: set[int], default: int) -> tuple[int, frozenset[int]]:
    """The provisional status and the unknown codes that could change it."""
    if _AVOID in true:
        return _AVOID, frozenset()
    best = min(true, default=None)
    result = default if best is None else best
    changing = set()
    for code in unknown:
        if code == _AVOID:
            changes = result < _UNDETERMINED
        elif best is None:
            changes = code != default
        else:
            changes = code < best
        if changes:
            changing.add(code)
    return result, frozenset(changing)


def decide(true: Iterable[int], unknown: Iterable[int], default: int) -> int:
    """The status code of one item on one case.

    Parameters
    ----------
    true, unknown : iterable of int
        Codes (indices into ``STATUSES``) given by the rules that hold, and by those whose
        value is unknown, on this case.
    default : int
        The item's default status code.

    Returns
    -------
    int
        The status code: ``undetermined`` when an unknown rule could change the answer.

    Examples
    --------
    >>> from bonemets.vocabulary import STATUSES
    >>> code = STATUSES.index
    >>> STATUSES[decide([code("consider")], [code("recommended")], code("not_indicated"))]
    'undetermined'
    >>> STATUSES[decide([code("consider")], [code("not_indicated")], code("not_indicated"))]
    'consider'
    """
    result, changing = _open(set(true), set(unknown), default)
    return _UNDETERMINED if changing else result


def _codes(mask: int) -> set[int]:
    return {c for c, bit in BIT.items() if mask >> bit & 1}


def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Status and open-bits for every default and every byte ``true_bits << 4 | unknown_bits``."""
    status = np.zeros((len(STATUSES), 256), dtype=np.int8)
    open_bits = np.zeros((len(STATUSES), 256), dtype=np.uint8)
    for default in range(len(STATUSES)):
        for byte in range(256):
            result, changing = _open(_codes(byte >> 4), _codes(byte & 15), default)
            status[default, byte] = _UNDETERMINED if changing else result
            open_bits[default, byte] = sum(1 << BIT[c] for c in changing)
    return status, open_bits


_STATUS_TABLE, _OPEN_TABLE = _tables()


def decide_columns(byte: np.ndarray, defaults: np.ndarray) -> np.ndarray:
    """:func:`decide` on every item and row at once.

    Parameters
    ----------
    byte : ndarray of uint8, shape (items, rows)
        ``true_bits << 4 | unknown_bits``: bit ``BIT[code]`` of ``true_bits`` is set where a rule
        of the item giving ``code`` holds, of ``unknown_bits`` where one is unknown.
    defaults : ndarray of int, shape (items,)
        Each item's default status code.

    Returns
    -------
    ndarray of int8, shape (items, rows)
        Status codes.
    """
    status = np.empty(byte.shape, dtype=np.int8)
    for default in np.unique(defaults).tolist():  # a few distinct defaults: one lookup each
        rows = np.flatnonzero(defaults == default)
        status[rows] = _STATUS_TABLE[default].take(byte[rows])
    return status


def open_statuses(true: Iterable[int], unknown: Iterable[int], default: int) -> frozenset[int]:
    """The status codes of the unknown rules that made an item ``undetermined`` (empty if it is not).

    Read from the same table as :func:`decide_columns`, so the reasons name exactly the rules
    that decided.
    """
    byte = sum(1 << (BIT[c] + 4) for c in set(true)) | sum(1 << BIT[c] for c in set(unknown))
    return frozenset(_codes(int(_OPEN_TABLE[default, byte])))
