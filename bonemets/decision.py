"""The decision rule: an item's status from the statuses its rules give, written once.

For each treatment option, test, or family without options, on one case:

1. If an ``avoid`` rule is true, the status is ``avoid`` (a real reason to withhold wins).
2. Otherwise the *provisional* status is the most favourable status given by a true rule, or
   the item's ``default_status`` when no rule is true.
3. A rule whose value is unknown is *open* when it could change that answer: a more
   favourable status than the true rules give; any status other than the default when none
   is true; or ``avoid`` where the answer is ``recommended`` or ``consider``. If any rule is
   open, the status is ``undetermined``, and the open rules are the reasons.

:func:`decide` states the rule for one case. :func:`item_table` tabulates it for one item over
every combination of its rules' values, which the evaluation reads for every row at once, and
:func:`open_statuses` tells the explanation which unknown rules were open, by the same rule, so the
status and its reasons never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .vocabulary import STATUSES

_UNDETERMINED = STATUSES.index("undetermined")
_AVOID = STATUSES.index("avoid")


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


def open_statuses(true: Iterable[int], unknown: Iterable[int], default: int) -> frozenset[int]:
    """The status codes of the unknown rules that made an item ``undetermined`` (empty if it is not).

    The same rule as :func:`decide`, so the reasons name exactly the rules that decided.
    """
    return _open(set(true), set(unknown), default)[1]


def item_table(gives: Sequence[int], default: int) -> np.ndarray:
    """:func:`decide` for one item, tabulated over the values of its rules grouped by status.

    The rules of an item that give the same status decide as one: their Kleene disjunction
    (true if one holds; else unknown if one is unknown; else false). With ``k`` statuses given,
    entry ``sum((v[j] + 1) * 3**j)`` of the table is the item's status when group ``j`` has value
    ``v[j]`` (1 true, 0 unknown, -1 false).

    Parameters
    ----------
    gives : sequence of int
        The distinct status codes the item's rules give.
    default : int
        The item's default status code.

    Returns
    -------
    ndarray of int8, length ``3 ** len(gives)``
    """
    table = np.empty(3 ** len(gives), dtype=np.int8)
    for index in range(len(table)):
        digits = [index // 3**j % 3 for j in range(len(gives))]  # value + 1 of each group
        table[index] = decide([c for c, d in zip(gives, digits, strict=True) if d == 2],
                              [c for c, d in zip(gives, digits, strict=True) if d == 1], default)
    return table
