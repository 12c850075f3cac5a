"""Evaluation: rule values and decisions for every row of encoded cases, in one vectorised pass.

1. Every active rule's condition is evaluated with Kleene logic (true, false or unknown per row),
   all at once by the knowledge base's compiled :class:`~bonemets.program.Program`.
2. Each option, test, and family without options gets its status from :mod:`bonemets.decision`,
   all items at once: the rules of an item that give the same status are one disjunction in the
   program; their values make one index per item and row into the item's decision table.
3. A family with options takes the most favourable status of its options.
4. An alert is raised at the most severe level of its true rules; if none is true and one is
   unknown it is ``undetermined``; otherwise ``not_raised``.

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
from .decision import item_table
from .logic import TRUE, UNKNOWN
from .lookup import byte_table, lookup
from .program import Program, compile_program
from .vocabulary import ALERT_STATES, STATUSES, URGENCIES

if TYPE_CHECKING:
    from .columns import Columns
    from .conditions import Node
    from .knowledge import CompiledRule, KnowledgeBase

_NOT_RAISED = ALERT_STATES.index("not_raised")
_UNDETERMINED_ALERT = ALERT_STATES.index("undetermined")


@dataclass(frozen=True)
class Plan:
    """How a knowledge base's rules map onto its items and alerts, as index arrays (built once
    per knowledge base).

    Attributes
    ----------
    program : Program
        Every active rule's condition, every consistency check, and the disjunction of the rules
        of an item that give the same status, compiled into one program.
    rule_rows : ndarray of int
        The program's row of each active rule, in the knowledge base's order.
    items : tuple of str
        Every active item in reporting order (families, each followed by its options, then tests).
    decided : ndarray of int
        Positions in ``items`` of the items decided by their own rules.
    group_rows, group_weights, group_starts, has_groups : ndarray
        Per decided item with rules, its status groups (:func:`~bonemets.decision.item_table`):
        the program's row of each group, its weight ``3**j``, and where each item's groups start.
    tables : tuple of bytes
        Each decided item's decision table (:func:`bonemets.lookup.byte_table`).
    urgent_rows, urgent_gives, urgent_codes, urgent_items, urgent_starts : ndarray
        The rules that carry an urgency, grouped by item: their rows, the status they give,
        their urgency code; the decided items they belong to and where each item's rules start.
    families : tuple of (int, ndarray)
        Each family with options: its position in ``items`` and its options' positions.
    alert_ids : tuple of str
        The active alerts (in the knowledge base's order).
    alert_with_rules : ndarray of bool
        Which of them have rules (an alert without any is never raised).
    alert_rows, alert_levels, alert_starts : ndarray
        Their rules' rows, the level each raises, and where each alert's rules start.
    """

    program: Program
    rule_rows: np.ndarray
    items: tuple[str, ...]
    decided: np.ndarray
    group_rows: np.ndarray
    group_weights: np.ndarray
    group_starts: np.ndarray
    has_groups: np.ndarray
    tables: tuple[bytes, ...]
    urgent_rows: np.ndarray
    urgent_gives: np.ndarray
    urgent_codes: np.ndarray
    urgent_items: np.ndarray
    urgent_starts: np.ndarray
    families: tuple[tuple[int, np.ndarray], ...]
    alert_ids: tuple[str, ...]
    alert_with_rules: np.ndarray
    alert_rows: np.ndarray
    alert_levels: np.ndarray
    alert_starts: np.ndarray


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
    groups: list[tuple[int, str, int]] = []  # (decided item, program output, weight)
    tables: list[np.ndarray] = []
    urgent: list[tuple[int, str, int, int]] = []  # (decided item, rule id, gives, urgency)
    families: list[tuple[int, np.ndarray]] = []
    for item_id in items:
        options = kb.options_of(item_id) if item_id in kb.families else []
        if options:
            families.append((position[item_id], np.array([position[o] for o in options], dtype=np.intp)))
            continue
        rules = kb.rules_for(item_id)
        by_status: dict[int, list[CompiledRule]] = {}
        for r in rules:
            by_status.setdefault(STATUSES.index(r.rule.gives), []).append(r)
            if r.rule.urgency != URGENCIES[0]:
                urgent.append((len(decided), r.rule.id, STATUSES.index(r.rule.gives), URGENCIES.index(r.rule.urgency)))
        for j, (code, same) in enumerate(sorted(by_status.items())):
            name = same[0].rule.id if len(same) == 1 else f"group:{item_id}:{STATUSES[code]}"
            if len(same) > 1:
                roots[name] = AnyOf(tuple(r.condition for r in same))
            groups.append((len(decided), name, 3**j))
        tables.append(item_table(sorted(by_status), STATUSES.index(kb.items()[item_id].default_status)))
        decided.append(position[item_id])
    program = compile_program(roots)
    row = program.outputs
    group_items = np.array([g[0] for g in groups], dtype=np.intp)
    has_groups, group_starts = _starts(group_items, len(decided))
    urgent_items = np.array([u[0] for u in urgent], dtype=np.intp)
    urgent_unique, urgent_starts = np.unique(urgent_items, return_index=True)
    alert_ids = tuple(a for a, alert in kb.alerts.items() if alert.active)
    alert_rules = [r for a in alert_ids for r in kb.rules_for(a)]
    counts = [len(kb.rules_for(a)) for a in alert_ids if kb.rules_for(a)]
    return Plan(
        program=program, rule_rows=np.array([row[r.rule.id] for r in kb.rules], dtype=np.intp), items=items,
        decided=np.array(decided, dtype=np.intp),
        group_rows=np.array([row[g[1]] for g in groups], dtype=np.intp),
        group_weights=np.array([g[2] for g in groups], dtype=np.int8), group_starts=group_starts,
        has_groups=has_groups, tables=tuple(byte_table(t) for t in tables),
        urgent_rows=np.array([row[u[1]] for u in urgent], dtype=np.intp),
        urgent_gives=np.array([u[2] for u in urgent], dtype=np.int8),
        urgent_codes=np.array([u[3] for u in urgent], dtype=np.int8),
        urgent_items=urgent_unique, urgent_starts=urgent_starts.astype(np.intp), families=tuple(families),
        alert_ids=alert_ids, alert_with_rules=np.array([bool(kb.rules_for(a)) for a in alert_ids], dtype=bool),
        alert_rows=np.array([row[r.rule.id] for r in alert_rules], dtype=np.intp),
        alert_levels=np.array([ALERT_STATES.index(r.rule.level) for r in alert_rules], dtype=np.int8),
        alert_starts=np.cumsum([0, *counts[:-1]]).astype(np.intp))


def _starts(group_of: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """For rows sorted by group: which groups have rows, and where each such group starts."""
    present = np.zeros(groups, dtype=bool)
    present[group_of] = True
    return present, np.searchsorted(group_of, np.flatnonzero(present)).astype(np.intp)


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
    """

    kb: KnowledgeBase
    cols: Columns
    matrix: np.ndarray
    status: np.ndarray
    urgency: np.ndarray | None
    alerts: dict[str, np.ndarray]

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


def evaluate(cols: Columns, kb: KnowledgeBase, urgency: bool = False) -> Evaluation:
    """Evaluate every rule, item and alert on encoded columns (see the module docstring).

    Parameters
    ----------
    cols : Columns
    kb : KnowledgeBase
    urgency : bool
        Also compute each item's urgency.

    Returns
    -------
    Evaluation
    """
    p = plan(kb)
    m = p.program.matrix(cols)
    n = cols.n
    digits = np.zeros((len(p.decided), n), dtype=np.int8)
    if len(p.group_rows):
        weighted = (m[p.group_rows] + np.int8(1)) * p.group_weights[:, None]  # (value + 1) * 3**j
        digits[p.has_groups] = _by_group(np.add, weighted, p.group_starts)  # at most 80
    decided = np.empty_like(digits)
    for i, table in enumerate(p.tables):
        decided[i] = lookup(table, digits[i])
    status = np.empty((len(p.items), n), dtype=np.int8)
    status[p.decided] = decided
    for fam, options in p.families:
        status[fam] = status[options].min(axis=0)
    urgencies = _urgency(p, m, status, decided) if urgency else None
    return Evaluation(kb, cols, m, status, urgencies, _alert_states(p, m))


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
    takes the most urgent of its options that have its status."""
    urgency = np.zeros_like(status)
    if len(p.urgent_rows):
        owner = np.repeat(p.urgent_items, np.diff([*p.urgent_starts.tolist(), len(p.urgent_rows)]))
        decisive = (m[p.urgent_rows] == TRUE) & (decided[owner] == p.urgent_gives[:, None])
        urgent = np.where(decisive, p.urgent_codes[:, None], np.int8(0))
        urgency[p.decided[p.urgent_items]] = _by_group(np.maximum, urgent, p.urgent_starts)
    for fam, options in p.families:
        same = status[options] == status[fam]
        urgency[fam] = np.where(same, urgency[options], 0).max(axis=0)
    return urgency


def _alert_states(p: Plan, m: np.ndarray) -> dict[str, np.ndarray]:
    """Each alert: the most severe level of its true rules; else undetermined if one is unknown."""
    state = np.full((len(p.alert_ids), m.shape[1]), _NOT_RAISED, dtype=np.int8)
    if len(p.alert_rows):
        v = m[p.alert_rows]
        raised = np.where(v == TRUE, p.alert_levels[:, None], np.int8(_NOT_RAISED))
        level = _by_group(np.minimum, raised, p.alert_starts)
        unknown = _by_group(np.bitwise_or, (v == UNKNOWN).view(np.uint8), p.alert_starts).view(bool)
        state[p.alert_with_rules] = np.where((level == _NOT_RAISED) & unknown, np.int8(_UNDETERMINED_ALERT), level)
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
