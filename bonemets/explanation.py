"""Explanation: the reasons, facts and citations behind each status of one evaluated row.

The reasons are derived from the same bits the decision used (:func:`bonemets.decision.open_statuses`):
an ``undetermined`` item names exactly the unknown rules that could change its answer, and a
decided item names the true rules that gave its status (a decided test also the unknown rules that
would raise it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .assessment import Alert, Citation, Fact, PendingCheck, Reason, Recommendation
from .condition_words import fields_of
from .conditions import AllOf, AnyOf, Node, Ref
from .decision import open_statuses, raising_statuses
from .derived import DERIVED
from .dosing import dose_note
from .evaluation import plan
from .logic import TRUE
from .pending import check_tests, test_groups
from .program import Program, compile_program
from .views import STATUS_LABELS
from .vocabulary import ALERT_STATES, STATUSES, URGENCIES

if TYPE_CHECKING:
    from .evaluation import Evaluation
    from .knowledge import CompiledRule, KnowledgeBase

_UNDETERMINED = STATUSES.index("undetermined")
_NOT_RAISED = ALERT_STATES.index("not_raised")
_UNDETERMINED_ALERT = ALERT_STATES.index("undetermined")
_INDICATED = (STATUSES.index("recommended"), STATUSES.index("consider"))


def explain_items(ev: Evaluation, row: int) -> tuple[Recommendation, ...]:
    """Every item of one row of an evaluation computed with urgency, with its reasons and
    sources, in reporting order."""
    assert ev.urgency is not None, "explaining needs an evaluation computed with urgency"
    row_view = _Row(ev, row)
    statuses = ev.status[:, row].tolist()
    urgencies = ev.urgency[:, row].tolist()
    return tuple(_recommendation(row_view, item_id, statuses[i], urgencies[i], statuses)
                 for i, item_id in enumerate(ev.items))


def implied_facts(ev: Evaluation, row: int) -> tuple[Fact, ...]:
    """The facts implied by others on one row (``implied.yaml``), each with the implication's title:
    a value (``cannot become pregnant``), or for a number the implications only bound, its range."""
    row_view = _Row(ev, row)
    return tuple(_fact(row_view, name, by_bounds=True) for name, by in ev.implied.items() if by[row] >= 0)


def explain_alerts(ev: Evaluation, row: int) -> tuple[Alert, ...]:
    """The alerts of one row that are raised, most severe first (one not ruled out is a question)."""
    row_view = _Row(ev, row)
    alerts = [_alert(row_view, alert_id, int(codes[row])) for alert_id, codes in ev.alerts.items()
              if codes[row] not in (_NOT_RAISED, _UNDETERMINED_ALERT)]
    return tuple(sorted(alerts, key=lambda a: ALERT_STATES.index(a.level)))


class _Row:
    """One row of an evaluation, read once: each rule's value and each field's value."""

    def __init__(self, ev: Evaluation, row: int) -> None:
        self.ev, self.kb, self.row = ev, ev.kb, row
        self.value = ev.rule_values(row)
        self._fields: dict[str, Any] = {}

    def field(self, name: str) -> Any:
        if name not in self._fields:
            self._fields[name] = self.ev.cols.value(name, self.row)
        return self._fields[name]

    def implied_by(self, name: str) -> str | None:
        """The title of the implication that gave a field on this row, if one did."""
        by = self.ev.implied.get(name)
        return None if by is None or by[self.row] < 0 else self.kb.implied[int(by[self.row])][0].title

    def pending(self, position: int) -> list[str]:
        """The ids of the safety checks pending on the item at ``position`` of the evaluation."""
        mask = self.ev.pending.get(position)
        bits = 0 if mask is None else int(mask[self.row])
        return [rule_id for i, rule_id in enumerate(plan(self.kb).check_ids) if bits >> i & 1]

    def named(self, rule_id: str) -> list[str]:
        """The tests a safety check names on this row: those that settle what it waits on
        (:mod:`bonemets.pending`)."""
        bits = int(self.ev.named[plan(self.kb).check_ids.index(rule_id)][self.row])
        return [t for j, t in enumerate(check_tests(self.kb).tests) if bits >> j & 1]


@lru_cache(maxsize=1024)
def _fields_read(rule: CompiledRule) -> tuple[str, ...]:
    """The fields and derived numbers a rule's condition reads, in order, each once (cached)."""
    return tuple(fields_of(rule.condition))


def _fact(row: _Row, name: str, by_bounds: bool) -> Fact:
    """A field on one row; with ``by_bounds``, an unknown number that implied facts bound is said by
    its bounds (where the rule is decided all the same; elsewhere it is still to be asked)."""
    value = row.field(name)
    implied_by = row.implied_by(name)
    if value is None and implied_by is not None and by_bounds:
        lo, hi = row.ev.cols.bounds(name)
        return Fact(name, None, tuple(row.kb.settled_by(name)), implied_by=implied_by,
                    bounds=(float(lo[row.row]), float(hi[row.row])))
    if value is None:
        return Fact(name, None, tuple(row.kb.settled_by(name)))
    return Fact(name, value, implied_by=implied_by)


def _branch_nodes(node: Node) -> Iterator[Node]:
    """The children of every "any of" a condition holds through (not those under a "not")."""
    if isinstance(node, AnyOf):
        for child in node.children:
            yield child
            yield from _branch_nodes(child)
    elif isinstance(node, AllOf):
        for child in node.children:
            yield from _branch_nodes(child)
    elif isinstance(node, Ref):
        yield from _branch_nodes(node.target)


@lru_cache(maxsize=1024)
def _branches(rule: CompiledRule) -> tuple[dict[int, str], Program | None]:
    """A rule's "any of" branches, by node identity, compiled as one small program (cached)."""
    nodes = list(_branch_nodes(rule.condition))
    if not nodes:
        return {}, None
    names = {id(node): str(i) for i, node in enumerate(nodes)}
    return names, compile_program({str(i): node for i, node in enumerate(nodes)})


def _holding_fields(row: _Row, rule: CompiledRule) -> tuple[str, ...]:
    """The fields a rule that holds on the row holds by: under an "any of", only the branches that
    hold (a rule for "a fracture or severe pain" names the pain, not "no fracture")."""
    names, program = _branches(rule)
    if program is None:
        return _fields_read(rule)
    values = program.run(row.ev.cols.rows(row.row, row.row + 1))

    def walk(node: Node) -> list[str]:
        if isinstance(node, AnyOf):
            held = [c for c in node.children if values[names[id(c)]].v[0] == TRUE] or list(node.children)
            return [f for c in held for f in walk(c)]
        if isinstance(node, AllOf):
            return [f for c in node.children for f in walk(c)]
        if isinstance(node, Ref):
            return walk(node.target)
        return fields_of(node)

    return tuple(dict.fromkeys(walk(rule.condition)))


def _facts(row: _Row, rule: CompiledRule, only_unknown: bool) -> tuple[Fact, ...]:
    """The fields a rule reads on one row (where it holds, those it holds by). An unknown derived
    number stands for its unknown inputs, or, where the rule is decided all the same, for its bounds
    whatever those inputs are; so does an unknown number field for its bounds from implied facts."""
    facts: dict[str, Fact] = {}
    decided = row.value[rule.rule.id] is not None
    held = row.value[rule.rule.id] is True and not only_unknown
    for field in _holding_fields(row, rule) if held else _fields_read(rule):
        if field in DERIVED and row.field(field) is None:
            unknown = tuple(f for f in DERIVED[field].inputs if row.field(f) is None)
            if decided and not only_unknown:
                lo, hi = row.ev.cols.bounds(field)
                facts[field] = Fact(field, None, bounds=(float(lo[row.row]), float(hi[row.row])),
                                    unknown_inputs=unknown)
                continue
            names = list(unknown)
        else:
            names = [field]
        for name in names:
            if name in facts or (only_unknown and row.field(name) is not None):
                continue
            facts[name] = _fact(row, name, decided and not only_unknown)
    return tuple(facts.values())


def cite(kb: KnowledgeBase, cited: Iterable[Any]) -> tuple[Citation, ...]:
    """Knowledge-base or score-table citations as an assessment shows them (with the source's label
    and url), each source and section once."""
    out: dict[tuple[str, str], Citation] = {}
    for c in cited:
        if (c.source, c.section) not in out:
            out[c.source, c.section] = _cited(kb, c.source, c.section, getattr(c, "excerpt", None))
    return tuple(out.values())


@lru_cache(maxsize=4096)
def _cited(kb: KnowledgeBase, source: str, section: str, excerpt: str | None) -> Citation:
    src = kb.sources[source]
    return Citation(source, src.label(), section, excerpt, src.url)


def _reason(row: _Row, rule: CompiledRule, outcome: str) -> Reason:
    gives = rule.rule.gives if rule.rule.gives is not None else rule.rule.level
    return Reason(rule.rule.id, rule.rule.because, outcome, _facts(row, rule, outcome == "unknown"), gives)


def _reasons(row: _Row, item_id: str, status: int) -> tuple[list[Reason], list[CompiledRule]]:
    """The reasons for an item's status on one row, and the rules that decided it."""
    rules = row.kb.rules_for(item_id)
    true = [r for r in rules if row.value[r.rule.id]]
    unknown = [r for r in rules if row.value[r.rule.id] is None and r.rule.check is None]
    default = STATUSES.index(row.kb.items()[item_id].default_status)
    given = [STATUSES.index(r.rule.gives) for r in true]
    floor = row.kb.keeps_consider(item_id)
    if status == _UNDETERMINED:
        open_codes = open_statuses(given, (STATUSES.index(r.rule.gives) for r in unknown), default, floor)
        best = min(given, default=None)
        open_ = [r for r in unknown if STATUSES.index(r.rule.gives) in open_codes]
        applies = [r for r in true if STATUSES.index(r.rule.gives) == best]
        return [_reason(row, r, "unknown") for r in open_] + [_reason(row, r, "applies") for r in applies], open_ + true
    decisive = [r for r in true if STATUSES.index(r.rule.gives) == status]
    if not decisive:
        label = STATUS_LABELS[STATUSES[status]]
        return [Reason(None, f"No rule in the knowledge base calls for it in this case: {label} by default, not a "
                             "judgement against it.", "default", (), STATUSES[status])], []
    # A test kept at a true rule's 'consider' names the unknown rules that would raise it (decision.py, rule 3).
    raising_codes = raising_statuses(given, (STATUSES.index(r.rule.gives) for r in unknown), default, floor)
    raising = [r for r in unknown if STATUSES.index(r.rule.gives) in raising_codes]
    reasons = [_reason(row, r, "applies") for r in decisive] + [_reason(row, r, "unknown") for r in raising]
    return reasons, decisive + raising


def _family_text(kb: KnowledgeBase, options: list[tuple[str, int]], status: int) -> str:
    """Why a family has its status, from its options' names and statuses, in words."""
    def names(code: int) -> str:
        chosen = [name for name, s in options if s == code]
        return chosen[0] if len(chosen) == 1 else f"{', '.join(chosen[:-1])} and {chosen[-1]}"

    if status >= STATUSES.index("not_indicated") and all(s >= status for _, s in options):
        return f"None of its options is indicated for this case ({names(status)}: {STATUS_LABELS[STATUSES[status]]})."
    if status != _UNDETERMINED:
        return f"Its most favourable option is {STATUS_LABELS[STATUSES[status]]}: {names(status)}."
    decided = [s for _, s in options if s != _UNDETERMINED]
    best = min(decided, default=None)
    open_ = f"Undetermined until unknown factors are known: {names(_UNDETERMINED)} could be more favourable"
    if best is None or best >= _UNDETERMINED:
        return f"{open_}, and none of its other options is indicated."
    return f"{open_} than its best decided option ({names(best)}: {STATUS_LABELS[STATUSES[best]]})."


def _pending(row: _Row, position: int) -> tuple[PendingCheck, ...]:
    """Each pending check once per test it names on this row, with the unknown facts that test settles."""
    out = []
    for rule_id in row.pending(position):
        rule = row.kb.rule(rule_id)
        out += [PendingCheck(rule_id, test, rule.rule.title, _settled_facts(row, rule, test))
                for test in row.named(rule_id)]
    return tuple(out)


def _asked_before(row: _Row, test_id: str, statuses: list[int]) -> list[Reason]:
    """Why a test is recommended before starting: the pending checks it settles, by item."""
    reasons = []
    for position, item_id in enumerate(row.ev.items):
        if row.kb.kind(item_id) == "family" or statuses[position] not in _INDICATED:
            continue
        for rule_id in row.pending(position):
            rule = row.kb.rule(rule_id)
            if test_id in row.named(rule_id):
                reasons.append(Reason(rule_id, f"Before starting {row.kb.items()[item_id].name}: {rule.rule.because}",
                                      "pending", _settled_facts(row, rule, test_id), "recommended"))
    return reasons


def _settled_facts(row: _Row, rule: CompiledRule, test: str) -> tuple[Fact, ...]:
    """The unknown facts of a safety check that a test it names settles (all of them if none is)."""
    facts = _facts(row, rule, only_unknown=True)
    fields = test_groups(rule, row.kb).get(test, ())
    return tuple(f for f in facts if f.field in fields) or facts


def _recommendation(row: _Row, item_id: str, status: int, urgency: int, statuses: list[int]) -> Recommendation:
    kb = row.kb
    item = kb.items()[item_id]
    kind = kb.kind(item_id)
    position = row.ev.items.index(item_id)
    options = kb.options_of(item_id) if kind == "family" else []
    notes: tuple[str, ...] = ()
    if options:
        positions = {o: i for i, o in enumerate(row.ev.items)}
        text = _family_text(kb, [(kb.options[o].name, statuses[positions[o]]) for o in options], status)
        reasons: tuple[Reason, ...] = (Reason(None, text, "options", (), STATUSES[status]),)
        sources = cite(kb, item.sources)
    else:
        reason_list, rules = _reasons(row, item_id, status)
        if kind == "test" and status == STATUSES.index("recommended"):
            before = _asked_before(row, item_id, statuses)
            if before and reason_list[0].outcome == "default":
                reason_list = before
            rules += [kb.rule(b.rule) for b in before if b.rule]
        reasons = tuple(reason_list)
        sources = cite(kb, [c for r in rules for c in r.rule.sources] + list(item.sources))
        notes = dose_note(item, row.field, kb)
    return Recommendation(
        id=item_id, kind=kind, name=_shown_name(item.name, reasons, kb),
        family=getattr(item, "family", None) if kind == "option" else None,
        status=STATUSES[status], urgency=URGENCIES[urgency], reasons=reasons, sources=sources, notes=notes,
        pending=_pending(row, position))


def _shown_name(name: str, reasons: tuple[Reason, ...], kb: KnowledgeBase) -> str:
    """The item's name, followed by what it is as the rule that decided it says (``shown_as``):
    ``Aromatase inhibitor (exemestane with everolimus)``."""
    deciding = {r.rule for r in reasons if r.outcome == "applies" and r.rule}
    shown = [r.rule.shown_as for r in kb.rules if r.rule.id in deciding and r.rule.shown_as]
    return f"{name} ({'; '.join(dict.fromkeys(shown))})" if shown else name


def _alert(row: _Row, alert_id: str, code: int) -> Alert:
    alert = row.kb.alerts[alert_id]
    level = ALERT_STATES[code]
    rules = row.kb.rules_for(alert_id)
    used = [r for r in rules if row.value[r.rule.id] and r.rule.level == level]
    reasons = tuple(_reason(row, r, "applies") for r in used)
    wording = alert.warning if level == "warning" and alert.warning is not None else alert
    return Alert(id=alert_id, level=level, name=alert.name, summary=wording.summary, actions=tuple(wording.actions),
                 sources=cite(row.kb, [c for r in used for c in r.rule.sources] + list(alert.sources)),
                 reasons=reasons, raised=True,
                 patient_text=alert.patient_text, professional_text=alert.professional_text)
