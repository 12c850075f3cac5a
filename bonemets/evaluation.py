"""Evaluation: rule values and decisions for every row of encoded cases, in one vectorised pass.

1. Every active rule's condition is evaluated with Kleene logic (true, false or unknown per row),
   all at once by the knowledge base's compiled :class:`~bonemets.program.Program`.
2. Each option, test, and family without options gets its status from :mod:`bonemets.decision`,
   all items at once: the rules' truth values become two bytes per item and row, one table
   lookup gives the status.
3. A family with options takes the most favourable status of its options.
4. An alert is raised at the most severe level of its true rules; if none is true and one is
   unknown it is ``undetermined``; otherwise ``not_raised``.

Urgency is computed only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .case import Case
from .columns import encode_case
from .decision import BIT, decide_columns
from .logic import TRUE, UNKNOWN, Tri
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
    """How a knowledge base's rules map onto its items, as index arrays (built once per knowledge).

    Attributes
    ----------
    items : tuple of str
        Every active item in reporting order (families, each followed by its options, then tests).
    decided : ndarray of int
        Positions in ``items`` of the items decided by their own rules.
    defaults : ndarray of int
        Default status code of each decided item.
    pair_rules : tuple of str
        For each (item, rule) pair, grouped by decided item: the rule id.
    pair_bits : ndarray of uint8
        The bit of the status the pair's rule gives.
    starts : ndarray of int
        Where each decided item's pairs start; ``has_rules`` marks the items with any.
    families : tuple of (int, ndarray)
        Each family with options: its position in ``items`` and its options' positions.
    """

    items: tuple[str, ...]
    decided: np.ndarray
    defaults: np.ndarray
    pair_rules: tuple[str, ...]
    pair_bits: np.ndarray
    pair_items: np.ndarray
    starts: np.ndarray
    has_rules: np.ndarray
    pair_gives: np.ndarray
    pair_urgency: np.ndarray
    families: tuple[tuple[int, np.ndarray], ...]
    program: Program


@lru_cache(maxsize=16)
def plan(kb: KnowledgeBase) -> Plan:
    """The :class:`Plan` of a knowledge base (cached per knowledge base object)."""
    items = tuple(kb.items())
    position = {item_id: i for i, item_id in enumerate(items)}
    decided, defaults, starts, has_rules = [], [], [], []
    pair_rules: list[str] = []
    pair_bits, pair_items, pair_gives, pair_urgency = [], [], [], []
    families = []
    for item_id in items:
        options = kb.options_of(item_id) if item_id in kb.families else []
        if options:
            families.append((position[item_id], np.array([position[o] for o in options])))
            continue
        rules = kb.rules_for(item_id)
        decided.append(position[item_id])
        defaults.append(STATUSES.index(kb.items()[item_id].default_status))
        starts.append(len(pair_rules))
        has_rules.append(bool(rules))
        for r in rules:
            gives = STATUSES.index(r.rule.gives)
            pair_rules.append(r.rule.id)
            pair_bits.append(BIT[gives])
            pair_items.append(len(decided) - 1)
            pair_gives.append(gives)
            pair_urgency.append(URGENCIES.index(r.rule.urgency))
    with_rules = np.array(has_rules, dtype=bool)
    return Plan(items, np.array(decided, dtype=np.intp), np.array(defaults, dtype=np.intp), tuple(pair_rules),
                np.array(pair_bits, dtype=np.uint8), np.array(pair_items, dtype=np.intp),
                np.array(starts, dtype=np.intp)[with_rules], with_rules,
                np.array(pair_gives, dtype=np.int8), np.array(pair_urgency, dtype=np.int8), tuple(families),
                compile_program({r.rule.id: r.condition for r in kb.rules}))


@dataclass
class Evaluation:
    """Everything the engine computed for a frame of cases.

    Attributes
    ----------
    kb : KnowledgeBase
    cols : Columns
    values : dict of str to Tri
        Each active rule's condition on every row, by rule id.
    status : ndarray of int8, shape (items, rows)
        Codes into ``STATUSES``, items in ``plan(kb).items`` order.
    urgency : ndarray of int8 or None
        Codes into ``URGENCIES``, same shape; None unless asked for.
    alerts : dict of str to ndarray
        Per active alert id, int8 codes into ``ALERT_STATES``.
    """

    kb: KnowledgeBase
    cols: Columns
    values: dict[str, Tri]
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
    values = p.program.run(cols)
    n = cols.n
    status = np.empty((len(p.items), n), dtype=np.int8)
    decided = np.full((len(p.decided), n), -1, dtype=np.int8)
    decided[:] = decide_columns(_rule_bytes(p, values, n), p.defaults)
    status[p.decided] = decided
    for fam, options in p.families:
        status[fam] = status[options].min(axis=0)
    urgencies = _urgency(p, values, status, decided) if urgency else None
    alerts = {alert_id: _alert_state(kb.rules_for(alert_id), values, n)
              for alert_id, alert in kb.alerts.items() if alert.active}
    return Evaluation(kb, cols, values, status, urgencies, alerts)


#: Up to this many rows the rules' values are stacked and reduced at once; above it, each is
#: or-ed into its item's bits in place (``reduceat`` along rows is slow on long columns).
STACK_ROWS = 256


def _rule_bytes(p: Plan, values: dict[str, Tri], n: int) -> np.ndarray:
    """Each decided item's byte ``true_bits << 4 | unknown_bits`` on every row."""
    byte = np.zeros((len(p.decided), n), dtype=np.uint8)
    if not p.pair_rules:
        return byte
    if n <= STACK_ROWS:
        v = np.stack([values[r].v for r in p.pair_rules])
        bits = p.pair_bits[:, None]
        contribution = ((v == TRUE).view(np.uint8) << (bits + 4)) | ((v == UNKNOWN).view(np.uint8) << bits)
        byte[p.has_rules] = np.bitwise_or.reduceat(contribution, p.starts, axis=0)
        return byte
    for rule_id, item, bit in zip(p.pair_rules, p.pair_items, p.pair_bits.tolist(), strict=True):
        v = values[rule_id].v
        byte[item] |= (v == TRUE).view(np.uint8) << (bit + 4)
        byte[item] |= (v == UNKNOWN).view(np.uint8) << bit
    return byte


def _urgency(p: Plan, values: dict[str, Tri], status: np.ndarray, decided: np.ndarray) -> np.ndarray:
    """Each item's urgency: the most urgent true rule that gives the status it has; a family
    takes the most urgent of its options that have its status."""
    urgency = np.zeros_like(status)
    decided_urgency = np.zeros_like(decided)
    for k in np.flatnonzero(p.pair_urgency):
        item = p.pair_items[k]
        decisive = values[p.pair_rules[k]].true & (decided[item] == p.pair_gives[k])
        decided_urgency[item] = np.where(decisive, np.maximum(decided_urgency[item], p.pair_urgency[k]),
                                         decided_urgency[item])
    urgency[p.decided] = decided_urgency
    for fam, options in p.families:
        same = status[options] == status[fam]
        urgency[fam] = np.where(same, urgency[options], 0).max(axis=0)
    return urgency


def _alert_state(rules: list[CompiledRule], values: dict[str, Tri], n: int) -> np.ndarray:
    state = np.full(n, _NOT_RAISED, dtype=np.int8)
    unknown = np.zeros(n, dtype=bool)
    for r in rules:
        tri = values[r.rule.id]
        state = np.where(tri.true, np.minimum(state, ALERT_STATES.index(r.rule.level)), state)
        unknown |= tri.unknown
    raised = state < _UNDETERMINED_ALERT
    return np.where(~raised & unknown, _UNDETERMINED_ALERT, state).astype(np.int8)


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
