"""Evaluation: rule values and decisions for every row of encoded cases, in one vectorised pass.

1. Every active rule's condition is evaluated with Kleene logic (true, false or unknown per row),
   all at once by the knowledge base's compiled :class:`~bonemets.program.Program`.
2. Each option, test, and family without options gets its status from :mod:`bonemets.decision`,
   all items at once: the rules' truth values become one byte per item and row (bits of the
   statuses given by true rules, and by unknown ones), and one table lookup gives the status.
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
from .decision import BIT, decide_columns
from .logic import TRUE, UNKNOWN
from .program import Program, compile_program
from .vocabulary import ALERT_STATES, STATUSES, URGENCIES

if TYPE_CHECKING:
    from .columns import Columns
    from .conditions import Node
    from .knowledge import KnowledgeBase

_NOT_RAISED = ALERT_STATES.index("not_raised")
_UNDETERMINED_ALERT = ALERT_STATES.index("undetermined")


@dataclass(frozen=True)
class Plan:
    """How a knowledge base's rules map onto its items and alerts, as index arrays (built once
    per knowledge base).

    Attributes
    ----------
    program : Program
        Every active rule's condition and every consistency check, compiled; its outputs are the
        rule ids and :func:`consistency_output` names.
    rule_rows : ndarray of int
        The program's row of each active rule, in the knowledge base's order.
    items : tuple of str
        Every active item in reporting order (families, each followed by its options, then tests).
    decided, defaults : ndarray of int
        Positions in ``items`` of the items decided by their own rules, and their default codes.
    pair_rows, pair_items, pair_bits, pair_gives, pair_urgency : ndarray
        For each (decided item, rule) pair, grouped by item: the rule's row in the program's
        matrix, the item (position in ``decided``), the bit and code of the status the rule
        gives, and its urgency code.
    starts, has_rules : ndarray
        Where each decided item's pairs start, for the items that have any.
    urgent_pairs, urgent_items, urgent_starts : ndarray
        The pairs whose rule carries an urgency, the decided items they belong to, and where
        each item's urgent pairs start.
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
    defaults: np.ndarray
    pair_rows: np.ndarray
    pair_items: np.ndarray
    pair_bits: np.ndarray
    pair_gives: np.ndarray
    pair_urgency: np.ndarray
    starts: np.ndarray
    has_rules: np.ndarray
    urgent_pairs: np.ndarray
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
    program = compile_program({**{r.rule.id: r.condition for r in kb.rules},
                               **{consistency_output(i): node for i, (_, node) in enumerate(kb.consistency)}})
    row = program.outputs
    items = tuple(kb.items())
    position = {item_id: i for i, item_id in enumerate(items)}
    decided: list[int] = []
    defaults: list[int] = []
    starts: list[int] = []
    has_rules: list[bool] = []
    families: list[tuple[int, np.ndarray]] = []
    pairs: list[tuple[int, int, int, int, int]] = []
    for item_id in items:
        options = kb.options_of(item_id) if item_id in kb.families else []
        if options:
            families.append((position[item_id], np.array([position[o] for o in options], dtype=np.intp)))
            continue
        rules = kb.rules_for(item_id)
        starts.append(len(pairs))
        has_rules.append(bool(rules))
        for r in rules:
            gives = STATUSES.index(r.rule.gives)
            pairs.append((row[r.rule.id], len(decided), BIT[gives], gives, URGENCIES.index(r.rule.urgency)))
        decided.append(position[item_id])
        defaults.append(STATUSES.index(kb.items()[item_id].default_status))
    columns = np.array(pairs, dtype=np.intp).reshape(-1, 5).T
    with_rules = np.array(has_rules, dtype=bool)
    urgent = np.flatnonzero(columns[4])
    urgent_items, urgent_starts = np.unique(columns[1][urgent], return_index=True)
    alert_ids = tuple(a for a, alert in kb.alerts.items() if alert.active)
    with_rules_alert = np.array([bool(kb.rules_for(a)) for a in alert_ids], dtype=bool)
    alert_rules = [r for a in alert_ids for r in kb.rules_for(a)]
    counts = [len(kb.rules_for(a)) for a in alert_ids if kb.rules_for(a)]
    alert_starts = np.cumsum([0, *counts[:-1]]).astype(np.intp)
    return Plan(
        program, np.array([row[r.rule.id] for r in kb.rules], dtype=np.intp), items, np.array(decided, dtype=np.intp), np.array(defaults, dtype=np.intp),
        pair_rows=columns[0], pair_items=columns[1], pair_bits=columns[2].astype(np.uint8),
        pair_gives=columns[3].astype(np.int8), pair_urgency=columns[4].astype(np.int8),
        starts=np.array(starts, dtype=np.intp)[with_rules], has_rules=with_rules, urgent_pairs=urgent,
        urgent_items=urgent_items, urgent_starts=urgent_starts.astype(np.intp), families=tuple(families),
        alert_ids=alert_ids, alert_with_rules=with_rules_alert,
        alert_rows=np.array([row[r.rule.id] for r in alert_rules], dtype=np.intp),
        alert_levels=np.array([ALERT_STATES.index(r.rule.level) for r in alert_rules], dtype=np.int8),
        alert_starts=alert_starts)


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
    v = m[p.pair_rows]
    bits = p.pair_bits[:, None]
    contribution = ((v == TRUE).view(np.uint8) << (bits + 4)) | ((v == UNKNOWN).view(np.uint8) << bits)
    byte = np.zeros((len(p.decided), n), dtype=np.uint8)
    byte[p.has_rules] = _by_group(np.bitwise_or, contribution, p.starts)
    decided = decide_columns(byte, p.defaults)
    status = np.empty((len(p.items), n), dtype=np.int8)
    status[p.decided] = decided
    for fam, options in p.families:
        status[fam] = status[options].min(axis=0)
    urgencies = _urgency(p, v, status, decided) if urgency else None
    return Evaluation(kb, cols, m, status, urgencies, _alert_states(p, m))


#: Up to this many rows, groups of rows are reduced by one ``reduceat``; above it, group by group
#: (``reduceat`` along the first axis is slow on long rows).
STACK_ROWS = 256


def _by_group(ufunc: np.ufunc, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``ufunc`` reduced over consecutive groups of rows; group g is rows ``starts[g]`` to the next start."""
    if values.shape[1] <= STACK_ROWS:
        return ufunc.reduceat(values, starts, axis=0)
    bounds = [*starts.tolist(), len(values)]
    return np.stack([ufunc.reduce(values[a:b], axis=0) for a, b in itertools.pairwise(bounds)])


def _urgency(p: Plan, v: np.ndarray, status: np.ndarray, decided: np.ndarray) -> np.ndarray:
    """Each item's urgency: the most urgent true rule that gives the status it has; a family
    takes the most urgent of its options that have its status."""
    urgency = np.zeros_like(status)
    k = p.urgent_pairs
    if len(k):
        items = p.pair_items[k]
        decisive = (v[k] == TRUE) & (decided[items] == p.pair_gives[k][:, None])
        urgent = np.where(decisive, p.pair_urgency[k][:, None], np.int8(0))
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
