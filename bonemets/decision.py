"""The decision rule: an item's status from the statuses its rules give, written once.

For each treatment option, test, or family without options, on one case:

1. If an ``avoid`` rule is true, the status is ``avoid`` (a real reason to withhold wins). A
   safety check (a rule with ``check:``) is such a rule.
2. Otherwise the *provisional* status is the most favourable status given by a true rule, or
   the item's ``default_status`` when no rule is true.
3. A rule whose value is unknown is *open* when it could change that answer: a more
   favourable status than the true rules give; an answer other than the default when none
   is true; or ``avoid`` where the answer is ``recommended`` or ``consider``. ``not_indicated``
   and ``avoid`` count as one answer. If any rule is open, the status is ``undetermined``, and
   the open rules are the reasons. A *test* (``floor``) keeps the ``consider`` a true rule
   gives: a more favourable unknown rule is not open but named as what could raise it
   (:func:`raising_statuses`; tests may be asked for because a factor is unknown, contract §6),
   so "consider an x-ray" stands while it is still to be asked whether a bone has broken, which
   would make it recommended. An unknown ``avoid`` rule still opens it, as does any unknown rule
   where no true rule gives ``consider``; a test with an urgent rule never floors
   (:meth:`bonemets.knowledge.KnowledgeBase.keeps_consider`).
4. A safety check whose value is unknown is never open: the item keeps the status its
   indication gives, and the check is *pending* when that status is ``recommended`` or
   ``consider`` (contract §6).

:func:`decide` states the rule for one case. :func:`item_tables` tabulates it for one item over
every combination of its rules' values, which the evaluation reads for every row at once, with
the best answer each combination could still turn into, and :func:`open_statuses`
tells the explanation which unknown rules were open, by the same rule, so the status and its
reasons never disagree.

:class:`Tables` holds such tables as bytes, read for every row at once (:func:`digits_of`, :func:`read`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .lookup import lookup
from .vocabulary import STATUSES

_UNDETERMINED = STATUSES.index("undetermined")
_AVOID = STATUSES.index("avoid")
_CONSIDER = STATUSES.index("consider")

#: The rank of each status code as an answer: recommended 0, consider 1, not indicated or avoid 2
#: (one answer: the item is not given); undetermined has none.
RANK = {STATUSES.index("recommended"): 0, _CONSIDER: 1, STATUSES.index("not_indicated"): 2, _AVOID: 2}


def _open(true: set[int], unknown: set[int], default: int,
          floor: bool = False) -> tuple[int, frozenset[int], frozenset[int]]:
    """The provisional status, the unknown codes that could change it, and (with ``floor``) those
    that could only raise a true rule's ``consider``, which do not."""
    if _AVOID in true:
        return _AVOID, frozenset(), frozenset()
    best = min(true, default=None)
    result = default if best is None else best
    changing, raising = set(), set()
    for code in unknown:
        if code == _AVOID:
            changes = result <= _CONSIDER
        elif best is None:
            changes = RANK[code] != RANK[default]
        elif floor and best == _CONSIDER and code < best:
            raising.add(code)
            continue
        else:
            changes = code < best
        if changes:
            changing.add(code)
    return result, frozenset(changing), frozenset(raising)


def decide(true: Iterable[int], unknown: Iterable[int], default: int, floor: bool = False) -> int:
    """The status code of one item on one case.

    Parameters
    ----------
    true, unknown : iterable of int
        Codes (indices into ``STATUSES``) given by the rules that hold, and by those whose
        value is unknown, on this case (safety checks that hold count among ``true``; unknown
        ones are left out: they are pending, not open).
    default : int
        The item's default status code.
    floor : bool, optional
        The item is a test: a true rule's ``consider`` stands against more favourable unknown rules.

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
    >>> STATUSES[decide([code("consider")], [code("recommended")], code("not_indicated"), floor=True)]
    'consider'
    """
    result, changing, _ = _open(set(true), set(unknown), default, floor)
    return _UNDETERMINED if changing else result


def open_statuses(true: Iterable[int], unknown: Iterable[int], default: int, floor: bool = False) -> frozenset[int]:
    """The status codes of the unknown rules that made an item ``undetermined`` (empty if it is not).

    The same rule as :func:`decide`, so the reasons name exactly the rules that decided.
    """
    return _open(set(true), set(unknown), default, floor)[1]


def raising_statuses(true: Iterable[int], unknown: Iterable[int], default: int, floor: bool = False) -> frozenset[int]:
    """The status codes of the unknown rules that would raise a test kept at ``consider`` (rule 3;
    empty for any other item or status), which the explanation names: "Could be recommended"."""
    _, changing, raising = _open(set(true), set(unknown), default, floor)
    return frozenset() if changing else raising


@dataclass(frozen=True)
class ItemTables:
    """:func:`decide` for one item over every combination of its groups' values.

    Entry ``sum((v[j] + 1) * 3**j)`` of each table is for group ``j`` having value ``v[j]``
    (1 true, 0 unknown, -1 false).

    Attributes
    ----------
    status : ndarray of int8
        The item's status code.
    best : ndarray of int8
        The most favourable :data:`RANK` the item can have once every unknown group other than a
        safety check is known (safety checks taken as not holding: they are pending).
    """

    status: np.ndarray
    best: np.ndarray


def item_tables(gives: Sequence[int], default: int, checks: Sequence[bool] = (), floor: bool = False) -> ItemTables:
    """Tabulate :func:`decide` for one item whose rules are grouped by status.

    The rules of an item that give the same status, and the safety checks, decide as groups:
    each group's value is the Kleene disjunction of its rules (true if one holds; else unknown
    if one is unknown; else false).

    Parameters
    ----------
    gives : sequence of int
        The status code each group gives.
    default : int
        The item's default status code.
    checks : sequence of bool, optional
        Which groups are safety checks (default: none).
    floor : bool, optional
        The item is a test (:func:`decide`).

    Returns
    -------
    ItemTables
        Each table of length ``3 ** len(gives)``.
    """
    checks = tuple(checks) or (False,) * len(gives)
    size = 3 ** len(gives)
    status = np.empty(size, dtype=np.int8)
    best = np.empty_like(status)
    for index in range(size):
        digits = [index // 3**j % 3 for j in range(len(gives))]  # value + 1 of each group
        true = [c for c, d in zip(gives, digits, strict=True) if d == 2]
        unknown = [c for c, d, check in zip(gives, digits, checks, strict=True) if d == 1 and not check]
        status[index] = decide(true, unknown, default, floor)
        ranks = [RANK[decide(true + [c for c, holds in zip(unknown, fill, strict=True) if holds], [], default)]
                 for fill in itertools.product((False, True), repeat=len(unknown))]
        best[index] = min(ranks)
    return ItemTables(status, best)


@dataclass(frozen=True)
class Tables:
    """Decisions read from tables: each is a table over the values of a few program rows (its
    groups), read at one index per row of cases.

    Entry ``sum((v[j] + 1) * 3**j)`` of a table (:class:`ItemTables`) is for
    group ``j`` having value ``v[j]`` (1 true, 0 unknown, -1 false). It is read at the *digit*
    ``sum(v[j] * 3**j)`` (-121 to 121), as a byte: a decision with one group reads its row as it is.

    Attributes
    ----------
    groups : tuple of tuple of int
        Per decision, the program's rows of its groups, ``j`` in order.
    tables : tuple of bytes
        Per decision, its table by digit as a byte (:func:`bonemets.lookup.lookup`).
    table_rows : ndarray of int8, shape (decisions, 256)
        The same tables as the rows of one matrix: read by one fancy index for a few rows.
    rows, weights, starts, present : ndarray
        Every group's row and weight ``3**j``, decision by decision; where each decision with
        groups starts; which decisions have groups (one decision has none: its table has one entry).
    """

    groups: tuple[tuple[int, ...], ...]
    tables: tuple[bytes, ...]
    table_rows: np.ndarray
    rows: np.ndarray
    weights: np.ndarray
    starts: np.ndarray
    present: np.ndarray


def decision_tables(groups: list[tuple[int, ...]], tables: list[np.ndarray]) -> Tables:
    """:class:`Tables` of decisions from their groups' rows and their tables (by ``sum((v[j] + 1) * 3**j)``)."""
    by_digit = np.zeros((len(tables), 256), dtype=np.int8)
    for i, table in enumerate(tables):
        half = (len(table) - 1) // 2
        if half > 121:
            raise ValueError(f"a decision table holds at most 3**5 entries; got {len(table)}")
        by_digit[i, np.arange(-half, half + 1) % 256] = table
    counts = np.array([len(g) for g in groups], dtype=np.intp)
    present = counts > 0
    return Tables(groups=tuple(groups), tables=tuple(row.tobytes() for row in by_digit), table_rows=by_digit,
                  rows=np.array([r for g in groups for r in g], dtype=np.intp),
                  weights=np.array([3**j for g in groups for j in range(len(g))], dtype=np.int8),
                  starts=(np.cumsum(counts) - counts)[present], present=present)


Digits = np.ndarray | list[np.ndarray]


def digits_of(t: Tables, m: np.ndarray, small: bool) -> Digits:
    """Each decision's digit on every row of a program's value matrix ``m`` (:class:`Tables`): one
    array for a few rows, else one row per decision (one group: that group's row of ``m``, not copied)."""
    n = m.shape[1]
    if small:
        stacked = np.zeros((len(t.groups), n), dtype=np.int8)
        if len(t.rows):
            stacked[t.present] = np.add.reduceat(m[t.rows] * t.weights[:, None], t.starts, axis=0)
        return stacked
    out: list[np.ndarray] = []
    for rows in t.groups:
        if len(rows) == 1:
            out.append(m[rows[0]])
            continue
        digit = np.zeros(n, dtype=np.int8)
        for j, r in enumerate(rows):
            digit += m[r] * np.int8(3**j) if j else m[r]
        out.append(digit)
    return out


def read(t: Tables, digits: Digits, small: bool) -> np.ndarray:
    """Each decision's table at its digits: one row per decision."""
    if small:
        assert isinstance(digits, np.ndarray)
        return t.table_rows[np.arange(len(t.groups))[:, None], digits.view(np.uint8)]
    out = np.empty((len(t.groups), len(digits[0]) if len(digits) else 0), dtype=np.int8)
    for i, (table, digit) in enumerate(zip(t.tables, digits, strict=True)):
        out[i] = lookup(table, digit)
    return out
