"""Explanation: the reasons, facts and citations behind each status of one evaluated row.

The reasons are derived from the same bits the decision used (:func:`bonemets.decision.open_statuses`):
an ``undetermined`` item names exactly the unknown rules that could change its answer, and a
decided item names the true rules that gave its status.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .assessment import Alert, Citation, Fact, Reason, Recommendation
from .decision import open_statuses
from .columns import DERIVED
from .vocabulary import ALERT_STATES, STATUSES, URGENCIES

if TYPE_CHECKING:
    from .evaluation import Evaluation
    from .knowledge import CompiledRule, KnowledgeBase

_UNDETERMINED = STATUSES.index("undetermined")


def explain(ev: Evaluation, row: int) -> tuple[tuple[Recommendation, ...], tuple[Alert, ...]]:
    """Recommendations (in reporting order) and alerts (raised or not ruled out, most severe
    first) of one row of an evaluation that was computed with urgency."""
    recs = tuple(_recommendation(ev, i, item_id, row) for i, item_id in enumerate(ev.items))
    alerts = [_alert(ev, alert_id, row) for alert_id, codes in ev.alerts.items()
              if ALERT_STATES[codes[row]] != "not_raised"]
    return recs, tuple(sorted(alerts, key=lambda a: ALERT_STATES.index(a.level)))


def _facts(ev: Evaluation, rule: CompiledRule, row: int, only_unknown: bool) -> tuple[Fact, ...]:
    """The fields a rule reads on one row; an unknown derived number stands for its unknown inputs."""
    facts: dict[str, Fact] = {}
    for atom in rule.condition.atoms():
        names = [atom.field]
        if atom.field in DERIVED and ev.cols.value(atom.field, row) is None:
            names = [f for f in DERIVED[atom.field].inputs if ev.cols.value(f, row) is None]
        for name in names:
            value = ev.cols.value(name, row)
            if name in facts or (only_unknown and value is not None):
                continue
            facts[name] = Fact(name, value, () if value is not None else tuple(ev.kb.settled_by(name)))
    return tuple(facts.values())


def _citations(kb: KnowledgeBase, cited: Iterable[Any]) -> tuple[Citation, ...]:
    """Knowledge-base citations as the assessment shows them, each source and section once."""
    out: dict[tuple[str, str], Citation] = {}
    for c in cited:
        if (c.source, c.section) not in out:
            out[c.source, c.section] = _cited(kb, c.source, c.section, c.excerpt)
    return tuple(out.values())


@lru_cache(maxsize=4096)
def _cited(kb: KnowledgeBase, source: str, section: str, excerpt: str | None) -> Citation:
    src = kb.sources[source]
    return Citation(source, src.label(), section, excerpt, src.url)


def _reason(ev: Evaluation, rule: CompiledRule, row: int, outcome: str) -> Reason:
    return Reason(rule.rule.id, rule.rule.because, outcome, _facts(ev, rule, row, outcome == "unknown"),
                  rule.rule.gives)


def _reasons(ev: Evaluation, item_id: str, status: int, row: int) -> tuple[list[Reason], list[CompiledRule]]:
    """The reasons for an item's status on one row, and the rules that decided it."""
    rules = ev.kb.rules_for(item_id)
    true = [r for r in rules if ev.values[r.rule.id].true[row]]
    if status == _UNDETERMINED:
        unknown = [r for r in rules if ev.values[r.rule.id].unknown[row]]
        default = STATUSES.index(ev.kb.items()[item_id].default_status)
        given = [STATUSES.index(r.rule.gives) for r in true]
        open_codes = open_statuses(given, (STATUSES.index(r.rule.gives) for r in unknown), default)
        best = min(given, default=None)
        open_ = [r for r in unknown if STATUSES.index(r.rule.gives) in open_codes]
        applies = [r for r in true if STATUSES.index(r.rule.gives) == best]
        return ([_reason(ev, r, row, "unknown") for r in open_] + [_reason(ev, r, row, "applies") for r in applies],
                open_ + true)
    decisive = [r for r in true if STATUSES.index(r.rule.gives) == status]
    if not decisive:
        return [Reason(None, f"No rule for this item applies to this case; its default is {STATUSES[status]}.",
                       "default", (), STATUSES[status])], []
    return [_reason(ev, r, row, "applies") for r in decisive], decisive


def _recommendation(ev: Evaluation, position: int, item_id: str, row: int) -> Recommendation:
    kb = ev.kb
    item = kb.items()[item_id]
    kind = kb.kind(item_id)
    status = int(ev.status[position, row])
    options = kb.options_of(item_id) if kind == "family" else []
    if options:
        best = [o for o in options if ev.status_of(o)[row] == status]
        names = ", ".join(kb.options[o].name for o in best)
        reasons: tuple[Reason, ...] = (Reason(None, f"Most favourable status among its options ({names}).",
                                              "options", (), STATUSES[status]),)
        sources = _citations(kb, item.sources)
        notes: tuple[str, ...] = ()
    else:
        reason_list, rules = _reasons(ev, item_id, status, row)
        reasons = tuple(reason_list)
        sources = _citations(kb, [c for r in rules for c in r.rule.sources] + list(item.sources))
        notes = _dosing(ev, item, row)
    assert ev.urgency is not None, "explain needs an evaluation computed with urgency"
    return Recommendation(
        id=item_id, kind=kind, name=item.name, family=getattr(item, "family", None) if kind == "option" else None,
        status=STATUSES[status], urgency=URGENCIES[ev.urgency[position, row]],
        reasons=reasons, sources=sources, notes=notes)


def _alert(ev: Evaluation, alert_id: str, row: int) -> Alert:
    alert = ev.kb.alerts[alert_id]
    level = ALERT_STATES[ev.alerts[alert_id][row]]
    rules = ev.kb.rules_for(alert_id)
    if level == "undetermined":
        used = [r for r in rules if ev.values[r.rule.id].unknown[row]]
        reasons = tuple(Reason(r.rule.id, r.rule.because, "unknown", _facts(ev, r, row, True), r.rule.level)
                        for r in used)
        name = alert.name[0].lower() + alert.name[1:]
        level_out, summary = "info", f"Not ruled out: {name}; factors it depends on are unknown."
    else:
        used = [r for r in rules if ev.values[r.rule.id].true[row] and r.rule.level == level]
        reasons = tuple(Reason(r.rule.id, r.rule.because, "applies", _facts(ev, r, row, False), r.rule.level)
                        for r in used)
        level_out, summary = level, alert.summary
    return Alert(id=alert_id, level=level_out, name=alert.name, summary=summary, actions=tuple(alert.actions),
                 sources=_citations(ev.kb, [c for r in used for c in r.rule.sources] + list(alert.sources)),
                 reasons=reasons, raised=level != "undetermined",
                 patient_text=alert.patient_text, professional_text=alert.professional_text)


def _dosing(ev: Evaluation, item: Any, row: int) -> tuple[str, ...]:
    """The option's dosing rule applied to this case, as a note (or why it cannot be)."""
    from .scores import ScoreInputError, zoledronic_acid_dose

    if getattr(item, "dosing", None) != "zoledronic_acid_dose":
        return ()
    crcl = ev.cols.value("creatinine_clearance_ml_min", row)
    if crcl is None:
        return ("Zoledronic acid dose depends on creatinine clearance, which is unknown "
                "(settle with: kidney_function).",)
    try:
        result = zoledronic_acid_dose(crcl)
    except ScoreInputError as err:  # e.g. an implausible clearance from extreme weight or creatinine
        return (f"Creatinine clearance {crcl:g} mL/min (Cockcroft–Gault) gives no dose: {err}; "
                "check weight and creatinine.",)
    return (f"Creatinine clearance {crcl:g} mL/min (Cockcroft–Gault): {result.interpretation}",)
