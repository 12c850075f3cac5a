"""Evaluation: rule values and decisions for every row of encoded cases, in one vectorised pass.

0. Implied facts are filled in (:mod:`bonemets.implied`).
1. Every active rule's condition is evaluated with Kleene logic (true, false or unknown per row),
   all at once by the knowledge base's compiled :class:`~bonemets.program.Program`.
2. Each option, test, and family without options gets its status from :mod:`bonemets.decision`,
   all items at once: the rules of an item that give the same status, and its safety checks,
   are one disjunction each in the program; their values make one index per item and row into
   the item's decision tables (its status, and whether it is undetermined and could still be
   recommended), read as bytes (:class:`~bonemets.decision.Tables`).
3. A family with options takes the most favourable status of its options, except that it is
   ``undetermined`` where that is ``consider`` and an undetermined option could still be
   recommended (contract §6, soundness: the family's answer holds however the unknowns turn out).
4. A test that a pending safety check names is recommended (before starting): the test that settles
   what the check still waits on (:mod:`bonemets.pending`).
5. An alert is raised at the most severe level of its true rules; if none is true and one is
   unknown it is ``undetermined``; otherwise ``not_raised`` (a table over its rules grouped by
   level, read as the items' are).

Urgency is computed only when asked for.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .case import Case
from .columns import encode_case
from .conditions import AnyOf
from .decision import Digits, ItemTables, Tables, decision_tables, digits_of, item_tables, read
from .exceptions import KnowledgeError
from .implied import apply_implied
from .logic import TRUE, UNKNOWN
from .pending import check_tests, named_tests, test_masks
from .program import Program, compile_program
from .vocabulary import ALERT_STATES, STATUSES, URGENCIES

if TYPE_CHECKING:
    from .columns import Columns
    from .conditions import Node
    from .knowledge import CompiledRule, KnowledgeBase

_NOT_RAISED = ALERT_STATES.index("not_raised")
_RECOMMENDED, _CONSIDER = STATUSES.index("recommended"), STATUSES.index("consider")
_UNDETERMINED = STATUSES.index("undetermined")
_UNDETERMINED_ALERT = ALERT_STATES.index("undetermined")


@dataclass(frozen=True)
class Plan:
    """How a knowledge base's rules map onto its items and alerts, as index arrays (built once
    per knowledge base).

    Attributes
    ----------
    program : Program
        Every active rule's condition, every consistency check, and the disjunction of the rules
        of an item that give the same status (and of an alert's rules of the same level),
        compiled into one program.
    rule_rows : ndarray of int
        The program's row of each active rule, in the knowledge base's order.
    items : tuple of str
        Every active item in reporting order (families, each followed by its options, then tests).
    decided : ndarray of int
        Positions in ``items`` of the items decided by their own rules.
    decisions : Tables
        Per decided item, its status groups (:func:`~bonemets.decision.item_table`) and its
        decision table.
    ranged : ndarray of int
        Positions in ``decided`` of the options of families.
    could_recommend : Tables
        For each of them, where it is undetermined and could still be recommended
        (:class:`~bonemets.decision.ItemTables`), 1 or 0, read at the same digits.
    family_ranged : tuple of ndarray of int
        Per family with options (in ``families`` order), its options' positions in ``ranged``.
    check_ids : tuple of str
        The safety-check rules, in the knowledge base's order; bit ``i`` of a pending mask is
        ``check_ids[i]``.
    check_items, check_rows, check_bits, check_starts : ndarray
        Per decided item with checks: its position in ``decided``, its checks' rows and bits,
        and where each item's checks start.
    check_tests : tuple of (int, int)
        Per test a pending check can name (:func:`bonemets.pending.check_tests`): its position in
        ``items`` and its bit in a test mask.
    check_masks : dict of int to int
        Per decided item with safety checks, its position in ``items`` and the bits of its checks.
    urgent_rows, urgent_gives, urgent_codes, urgent_items, urgent_starts, urgent_owner : ndarray
        The rules that carry an urgency, grouped by item: their rows, the status they give,
        their urgency code; the decided items they belong to, where each item's rules start,
        and the position in ``decided`` of each rule's item.
    families : tuple of (int, ndarray)
        Each family with options: its position in ``items`` and its options' positions.
    alert_ids : tuple of str
        The active alerts (in the knowledge base's order).
    alert_with_rules : ndarray of bool
        Which of them have rules (an alert without any is never raised).
    alerts : Tables
        Per alert with rules, its rules grouped by level and its state by their values.
    """

    program: Program
    rule_rows: np.ndarray
    items: tuple[str, ...]
    decided: np.ndarray
    decisions: Tables
    ranged: np.ndarray
    could_recommend: Tables
    family_ranged: tuple[np.ndarray, ...]
    check_ids: tuple[str, ...]
    check_items: np.ndarray
    check_rows: np.ndarray
    check_bits: np.ndarray
    check_starts: np.ndarray
    check_tests: tuple[tuple[int, int], ...]
    check_masks: dict[int, int]
    urgent_rows: np.ndarray
    urgent_gives: np.ndarray
    urgent_codes: np.ndarray
    urgent_items: np.ndarray
    urgent_starts: np.ndarray
    urgent_owner: np.ndarray
    families: tuple[tuple[int, np.ndarray], ...]
    alert_ids: tuple[str, ...]
    alert_with_rules: np.ndarray
    alerts: Tables


def consistency_output(index: int) -> str:
    """The program's name for the knowledge base's consistency check number ``index``."""
    return f"consistency:{index}"


@lru_cache(maxsize=16)
def plan(kb: KnowledgeBase) -> Plan:
    """The :class:`Plan` of a knowledge base (cached per knowledge base object)."""
    items = tuple(kb.items())
    position = {item_id: i for i, item_id in enumerate(items)}
    roots: dict[str, Node] = {r.rule.id: r.condition for r in kb.rules}
    roots.update({consistency_output(i): node for i, (_, node) in enumerate(kb.consistency)})
    decided: list[int] = []
    groups: list[list[str]] = []  # per decided item, the program outputs of its groups
    tables: list[ItemTables] = []
    urgent: list[tuple[int, str, int, int]] = []  # (decided item, rule id, gives, urgency)
    families: list[tuple[int, np.ndarray]] = []
    in_family: set[str] = set()
    check_ids = tuple(r.rule.id for r in kb.rules if r.rule.check is not None)
    if len(check_ids) > 32:
        raise KnowledgeError(f"{kb.path}: {len(check_ids)} safety checks ('check:'); the engine handles at most 32")
    checks: list[tuple[int, str, int]] = []  # (decided item, rule id, bit)
    for item_id in items:
        options = kb.options_of(item_id) if item_id in kb.families else []
        if options:
            families.append((position[item_id], np.array([position[o] for o in options], dtype=np.intp)))
            in_family.update(options)
            continue
        rules = kb.rules_for(item_id)
        by_status: dict[tuple[int, bool], list[CompiledRule]] = {}
        for r in rules:
            by_status.setdefault((STATUSES.index(r.rule.gives), r.rule.check is not None), []).append(r)
            if r.rule.check is not None:
                checks.append((len(decided), r.rule.id, check_ids.index(r.rule.id)))
            if r.rule.urgency != URGENCIES[0]:
                urgent.append((len(decided), r.rule.id, STATUSES.index(r.rule.gives), URGENCIES.index(r.rule.urgency)))
        keys = sorted(by_status)
        groups.append([_group(roots, f"group:{item_id}:{STATUSES[code]}{':check' * check}", by_status[code, check])
                       for code, check in keys])
        tables.append(item_tables([code for code, _ in keys], STATUSES.index(kb.items()[item_id].default_status),
                                  [check for _, check in keys], floor=kb.keeps_consider(item_id)))
        decided.append(position[item_id])
    alert_ids = tuple(a for a, alert in kb.alerts.items() if alert.active)
    alert_groups = [_alert_groups(roots, a, kb.rules_for(a)) for a in alert_ids if kb.rules_for(a)]
    program = compile_program(roots)
    row = program.outputs
    urgent_items = np.array([u[0] for u in urgent], dtype=np.intp)
    urgent_unique, urgent_starts = np.unique(urgent_items, return_index=True)
    ranged = [i for i, d in enumerate(decided) if items[d] in in_family]
    check_items = np.array([c[0] for c in checks], dtype=np.intp)
    check_unique, check_starts = np.unique(check_items, return_index=True)
    has_check = {decided[item]: bits for item, bits in _check_masks(checks).items()}
    return Plan(
        program=program, rule_rows=np.array([row[r.rule.id] for r in kb.rules], dtype=np.intp), items=items,
        decided=np.array(decided, dtype=np.intp),
        decisions=decision_tables([tuple(row[g] for g in gs) for gs in groups], [t.status for t in tables]),
        ranged=np.array(ranged, dtype=np.intp),
        could_recommend=decision_tables([tuple(row[g] for g in groups[i]) for i in ranged],
                                [((tables[i].status == _UNDETERMINED) & (tables[i].best == 0)).astype(np.int8)
                                 for i in ranged]),
        check_ids=check_ids,
        family_ranged=tuple(np.array([ranged.index(decided.index(o)) for o in x.tolist()], dtype=np.intp)
                            for _, x in families),
        check_items=check_unique, check_rows=np.array([row[c[1]] for c in checks], dtype=np.intp),
        check_bits=np.array([1 << c[2] for c in checks], dtype=np.min_scalar_type((1 << len(check_ids)) - 1)),
        check_starts=check_starts.astype(np.intp),
        check_tests=tuple((position[t], j) for j, t in enumerate(check_tests(kb).tests) if t in position),
        check_masks=has_check,
        urgent_rows=np.array([row[u[1]] for u in urgent], dtype=np.intp),
        urgent_gives=np.array([u[2] for u in urgent], dtype=np.int8),
        urgent_codes=np.array([u[3] for u in urgent], dtype=np.int8),
        urgent_items=urgent_unique, urgent_starts=urgent_starts.astype(np.intp), urgent_owner=urgent_items,
        families=tuple(families),
        alert_ids=alert_ids, alert_with_rules=np.array([bool(kb.rules_for(a)) for a in alert_ids], dtype=bool),
        alerts=decision_tables([tuple(row[g] for g in gs) for gs, _ in alert_groups], [t for _, t in alert_groups]))


def _group(roots: dict[str, Node], name: str, rules: list[CompiledRule]) -> str:
    """The program output of a group of rules: the rule's own, or their disjunction's (added as ``name``)."""
    if len(rules) == 1:
        return rules[0].rule.id
    roots[name] = AnyOf(tuple(r.condition for r in rules))
    return name


def _check_masks(checks: list[tuple[int, str, int]]) -> dict[int, int]:
    """Per decided item with checks (its position in ``decided``), the bits of its checks."""
    masks: dict[int, int] = {}
    for item, _, bit in checks:
        masks[item] = masks.get(item, 0) | 1 << bit
    return masks


def _alert_groups(roots: dict[str, Node], alert_id: str, rules: list[CompiledRule]) -> tuple[list[str], np.ndarray]:
    """An alert's rules grouped by level (most severe first), and its state by their values: the
    most severe level of a true group; else ``undetermined`` if one is unknown; else ``not_raised``."""
    by_level: dict[int, list[CompiledRule]] = {}
    for r in rules:
        by_level.setdefault(ALERT_STATES.index(r.rule.level), []).append(r)
    levels = sorted(by_level)
    names = [_group(roots, f"group:alert:{alert_id}:{ALERT_STATES[level]}", by_level[level]) for level in levels]
    state = np.empty(3 ** len(levels), dtype=np.int8)
    for index in range(len(state)):
        digits = [index // 3**j % 3 for j in range(len(levels))]  # value + 1 of each group
        true = [level for level, d in zip(levels, digits, strict=True) if d == 2]
        state[index] = min(true) if true else _UNDETERMINED_ALERT if 1 in digits else _NOT_RAISED
    return names, state


@dataclass
class Evaluation:
    """Everything the engine computed for a frame of cases.

    Attributes
    ----------
    kb : KnowledgeBase
    cols : Columns
    matrix : ndarray of int8
        The program's values (1 true, 0 unknown, -1 false), one row per condition node.
    status : ndarray of int8, shape (items, rows)
        Codes into ``STATUSES``, items in ``plan(kb).items`` order.
    urgency : ndarray of int8 or None
        Codes into ``URGENCIES``, same shape; None unless asked for.
    alerts : dict of str to ndarray
        Per active alert id, int8 codes into ``ALERT_STATES``.
    pending : dict of int to ndarray of unsigned integers
        Per position in ``items`` of an item that can have pending safety checks, a mask of them on
        every row (bit ``i`` is ``plan(kb).check_ids[i]``); 0 where none is pending.
    named : ndarray of unsigned integers, shape (checks, rows)
        Per safety check, the tests it names on every row where it is pending: those that settle
        what it still waits on (:func:`bonemets.pending.test_masks`; bit ``j`` is
        ``check_tests(kb).tests[j]``).
    implied : dict of str to ndarray
        Per field implied on some row, the index in ``kb.implied`` of the implication that gave
        it (-1 where it was not implied); ``cols`` has the implied values, and the implied least
        values of numbers left unknown (``cols.limits``).
    """

    kb: KnowledgeBase
    cols: Columns
    matrix: np.ndarray
    status: np.ndarray
    urgency: np.ndarray | None
    alerts: dict[str, np.ndarray]
    pending: dict[int, np.ndarray]
    implied: dict[str, np.ndarray]
    named: np.ndarray

    @property
    def items(self) -> tuple[str, ...]:
        """Item ids in the order of the rows of ``status``."""
        return plan(self.kb).items

    def status_of(self, item_id: str) -> np.ndarray:
        """Status codes of one item on every row."""
        return self.status[self.items.index(item_id)]

    def rule_values(self, row: int) -> dict[str, bool | None]:
        """Every active rule's value on one row: True, False or None (unknown)."""
        codes = self.matrix[plan(self.kb).rule_rows, row].tolist()
        return {r.rule.id: _TRUTH[c] for r, c in zip(self.kb.rules, codes, strict=True)}


_TRUTH = {1: True, 0: None, -1: False}


def evaluate(cols: Columns, kb: KnowledgeBase, urgency: bool = False, out: np.ndarray | None = None) -> Evaluation:
    """Evaluate every rule, item and alert on encoded columns (see the module docstring).

    Parameters
    ----------
    cols : Columns
    kb : KnowledgeBase
    urgency : bool
        Also compute each item's urgency.
    out : ndarray of int8, shape (items, rows), optional
        Where to write the statuses (for example a block of a larger frame's), instead of a new array.

    Returns
    -------
    Evaluation
    """
    p = plan(kb)
    cols, implied = apply_implied(cols, kb)
    m = p.program.matrix(cols)
    n = cols.n
    small = n <= FEW_ROWS
    digits = digits_of(p.decisions, m, small)
    decided = read(p.decisions, digits, small)
    status = np.empty((len(p.items), n), dtype=np.int8) if out is None else out
    status[p.decided] = decided
    pending = _pending(p, m, decided)
    _families(p, digits, status, pending, small)
    named = test_masks(cols, kb)
    if p.check_tests:  # a test a pending check names: recommended before starting
        checks = np.zeros(n, dtype=p.check_bits.dtype)
        for owner in p.check_masks:
            if owner in pending:
                checks |= pending[owner]
        asked = named_tests(checks, named)
        for test, bit in p.check_tests:
            idle = (asked & asked.dtype.type(1 << bit)) == 0
            np.multiply(status[test], idle, out=status[test])  # recommended is 0
    urgencies = _urgency(p, m, status, decided) if urgency else None
    return Evaluation(kb, cols, m, status, urgencies, _alert_states(p, m, small), pending, implied, named)


#: Up to this many rows, decisions are read from their tables by one fancy index over all of them
#: (cheaper than a byte-table lookup per decision for a single case).
FEW_ROWS = 64


def _pending(p: Plan, m: np.ndarray, decided: np.ndarray) -> dict[int, np.ndarray]:
    """Per decided item with safety checks: the checks that are unknown while its status is
    recommended or consider."""
    if not len(p.check_rows):
        return {}
    bits = (m[p.check_rows] == UNKNOWN) * p.check_bits[:, None]  # (products: np.where is slower)
    masks = _by_group(np.bitwise_or, bits, p.check_starts)
    indicated = decided[p.check_items] <= _CONSIDER
    return {int(p.decided[i]): masks[k] * indicated[k] for k, i in enumerate(p.check_items.tolist())}


def _families(p: Plan, digits: Digits, status: np.ndarray, pending: dict[int, np.ndarray], small: bool) -> None:
    """Each family's status, and its pending checks: those of its options with its status, unless
    one of them has none.

    The most favourable status of the options is the family's when it is ``recommended`` (a
    decided option gives it), ``undetermined`` (no option is decided better than not indicated,
    and one is open: it could be given or not), or not indicated or ``avoid``. Where it is
    ``consider``, an undetermined option that could still be recommended leaves the family
    ``undetermined``. These are exactly the cases where the best answers the options could turn
    into and their worst answers would give the family different statuses.
    """
    if not len(p.families):
        return
    n = status.shape[1]
    ranged = digits[p.ranged] if isinstance(digits, np.ndarray) else [digits[i] for i in p.ranged.tolist()]
    could = read(p.could_recommend, ranged, small)
    for (fam, members), ranked in zip(p.families, p.family_ranged, strict=True):
        code = status[fam]
        np.minimum.reduce(status[members], axis=0, out=code)
        code += ((code == _CONSIDER) & could[ranked].any(axis=0)).view(np.int8) * np.int8(_UNDETERMINED - _CONSIDER)
        if any(o in pending for o in members.tolist()):
            masks = np.zeros(n, dtype=p.check_bits.dtype)
            free = np.zeros(n, dtype=bool)  # an option with the family's status and nothing pending
            for o in members.tolist():
                same = status[o] == code
                if o in pending:
                    masks |= pending[o] * same
                    free |= same & (pending[o] == 0)
                else:
                    free |= same
            pending[fam] = masks * np.logical_not(free)


#: Up to this many rows, groups of rows are reduced by one ``reduceat``; above it, group by group
#: (``reduceat`` along the first axis is slow on long rows).
STACK_ROWS = 256


def _by_group(ufunc: np.ufunc, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``ufunc`` reduced over consecutive groups of rows; group g is rows ``starts[g]`` to the next start."""
    if values.shape[1] <= STACK_ROWS:
        return ufunc.reduceat(values, starts, axis=0)
    out = np.empty((len(starts), values.shape[1]), dtype=values.dtype)
    for g, (a, b) in enumerate(itertools.pairwise([*starts.tolist(), len(values)])):
        if b - a == 1:
            out[g] = values[a]
        else:
            ufunc.reduce(values[a:b], axis=0, out=out[g])
    return out


def _urgency(p: Plan, m: np.ndarray, status: np.ndarray, decided: np.ndarray) -> np.ndarray:
    """Each item's urgency: the most urgent true rule that gives the status it has; a family
    takes the most urgent of its options that have its status, or, while it is undetermined, of
    its options that are indicated (recommended or consider)."""
    urgency = np.zeros_like(status)
    if len(p.urgent_rows):
        decisive = (m[p.urgent_rows] == TRUE) & (decided[p.urgent_owner] == p.urgent_gives[:, None])
        urgent = np.where(decisive, p.urgent_codes[:, None], np.int8(0))
        urgency[p.decided[p.urgent_items]] = _by_group(np.maximum, urgent, p.urgent_starts)
    for fam, options in p.families:
        same = (status[options] == status[fam]) | ((status[fam] == _UNDETERMINED) & (status[options] <= _CONSIDER))
        urgency[fam] = np.where(same, urgency[options], 0).max(axis=0)
    return urgency


def _alert_states(p: Plan, m: np.ndarray, small: bool) -> dict[str, np.ndarray]:
    """Each alert: the most severe level of its true rules; else undetermined if one is unknown."""
    state = np.full((len(p.alert_ids), m.shape[1]), _NOT_RAISED, dtype=np.int8)
    if len(p.alerts.groups):
        state[p.alert_with_rules] = read(p.alerts, digits_of(p.alerts, m, small), small)
    return dict(zip(p.alert_ids, state, strict=True))


def evaluate_condition(node: Node, case: Case | Mapping[str, Any]) -> bool | None:
    """A compiled condition on one case: True, False or None (unknown).

    Parameters
    ----------
    node : Node
        A compiled condition (a rule's ``condition``, a concept).
    case : Case or dict
        A dict is validated as a :class:`~bonemets.Case` (fields and values).
    """
    if not isinstance(case, Case):
        case = Case.model_validate(dict(case))
    return compile_program({"condition": node}).run(encode_case(case.engine_record()))["condition"].at(0)
