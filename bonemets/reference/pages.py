"""The entry pages of the reference: one per family, option, test, alert, rule and source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..columns import encode_case
from ..condition_words import fields_of, word_list
from ..derived import DERIVED
from ..labels import field_label, value_text
from ..vocabulary import ALERT_LEVELS, STATUSES
from .parts import KIND_WORDS, case_text, esc, external, rule_title, source_links, status_badge
from .site import RuleView, Site

if TYPE_CHECKING:  # pragma: no cover
    from ..case import Case
    from ..knowledge_models import Rule, Source

_DETAIL_HEADINGS = {"option": "Treatment detail", "alert": "What to do", "test": "What it settles"}
_EXAMPLES = (("Holds for", "triggers"), ("Does not hold for", "does_not_trigger"),
             ("Cannot tell (a factor is unknown) for", "undetermined"))


def item_page(site: Site, kind: str, entry: Any) -> str:
    """A family, option, test or alert: what it is, its statuses (or levels) and the rules giving
    them, its detail, and its sources."""
    parts = [site.lifecycle_html(entry)]
    if kind == "option":
        parts.append(f'<p class="meta">In the family {site.link("family", entry.family)}</p>')
    for text in (getattr(entry, "summary", ""), entry.description):
        if text:
            parts.append(f'<p class="lead">{esc(text)}</p>')
    if kind == "alert":  # what to do comes first
        parts += [_details(site, kind, entry), _alert_levels(site, entry)]
    else:
        parts.append(_statuses(site, kind, entry))
    rules = site.rules_of.get(entry.id, [])
    if rules:
        cards = "".join(_rule_card(site, v) for v in rules)
        parts.append(f"<h2>Rules ({len(rules)})</h2>{cards}")
    if kind != "alert":
        parts.append(_details(site, kind, entry))
    parts.append(f"<h2>Sources</h2>{site.citations_html(entry.sources)}")
    return site.page(entry.name, kind, "".join(parts))


def _details(site: Site, kind: str, entry: Any) -> str:
    rows: list[tuple[str, str]] = []
    if kind == "alert":
        rows.append(("Actions", "<ul>" + "".join(f"<li>{esc(a)}</li>" for a in entry.actions) + "</ul>"))
        rows += [(label, esc(text)) for label, text in (("For professionals", entry.professional_text),
                                                         ("For patients", entry.patient_text)) if text]
    elif kind == "option":
        if entry.drugs:
            rows.append(("Drugs", esc(", ".join(entry.drugs))))
        if entry.route:
            rows.append(("Route", esc(value_text(entry.route))))
        for label, part in (("Schedule", entry.schedule), ("Time to benefit", entry.time_to_benefit)):
            if part is not None:
                rows.append((label, f"{esc(part.text)}{site.citations_html(part.sources)}"))
        if entry.dosing:
            rows.append(("Dose", f"adjusted to the case ({esc(value_text(entry.dosing))})"))
        if entry.monitoring:
            rows.append(("Tests before and during", ", ".join(site.link("test", t) for t in entry.monitoring)))
        if entry.side_effects:
            effects = "".join(f"<li><b>{esc(e.name)}</b>: {esc(e.text)}{site.citations_html(e.sources)}</li>"
                              for e in entry.side_effects)
            rows.append(("Side effects and cautions", f'<ul class="effects">{effects}</ul>'))
    elif kind == "test":
        if entry.settles:
            rows.append(("Settles", esc(", ".join(field_label(f) for f in entry.settles))))
        users = [o for o in site.kb.options.values() if entry.id in o.monitoring]
        if users:
            rows.append(("Checked for", ", ".join(site.link("option", o.id) for o in users)))
    if not rows:
        return ""
    body = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<h2>{_DETAIL_HEADINGS.get(kind, "Detail")}</h2><table class="facts">{body}</table>'


def _can_be_unknown(rules: list[RuleView]) -> bool:
    """Whether any of these rules tests a field (and so can hang on an unknown one)."""
    return any(v.condition is not None and next(v.condition.atoms(), None) is not None for v in rules)


def _possible(site: Site, entry: Any) -> list[str]:
    """The statuses an item can get: from its rules, its default, and undetermined."""
    rules = site.live_rules(entry.id)
    can = {v.rule.gives for v in rules} | {entry.default_status}
    if _can_be_unknown(rules):
        can.add("undetermined")
    return [s for s in STATUSES if s in can]


def _statuses(site: Site, kind: str, entry: Any) -> str:
    """Which statuses the item can get, from which rules, and its default."""
    options = [o for o in site.kb.options.values() if o.family == entry.id]
    if kind == "family" and options:
        rows = "".join(f"<tr><td>{site.link('option', o.id)}</td><td>"
                       f"{' '.join(status_badge(s) for s in _possible(site, o))}</td></tr>" for o in options)
        return ("<h2>Statuses</h2><p>A family takes the most favourable status of its options; each "
                f'option can be:</p><table class="list">{rows}</table>')
    rules = site.live_rules(entry.id)
    lines = []
    for status in _possible(site, entry):
        given = [v for v in rules if v.rule.gives == status]
        text = ["when one of these rules holds: " + site.rule_list(given)] if given else []
        if status == entry.default_status:
            text.append("the default, when no rule holds")
        if status == "undetermined":
            text.append("when a rule that would change the status hangs on an unknown factor")
        lines.append(f"<tr><th>{status_badge(status)}</th><td>{'; '.join(text)}</td></tr>")
    return (f'<h2>Statuses</h2><table class="statuses">{"".join(lines)}</table><p class="muted">Avoid outranks '
            "every other status; otherwise the most favourable status of the rules that hold applies.</p>")


def _alert_levels(site: Site, alert: Any) -> str:
    """The levels an alert is raised at, by which rules; not raised by default."""
    rules = site.live_rules(alert.id)
    rows = [(level, "raised when one of these rules holds: " + site.rule_list(given))
            for level in ALERT_LEVELS if (given := [v for v in rules if v.rule.level == level])]
    if _can_be_unknown(rules):
        rows.append(("undetermined", "when no rule holds but one hangs on an unknown factor"))
    rows.append(("not_raised", "when no rule holds (the default)"))
    body = "".join(f"<tr><th>{status_badge(s, alert=True)}</th><td>{t}</td></tr>" for s, t in rows)
    return (f'<h2>Levels</h2><table class="statuses">{body}</table>'
            '<p class="muted">The most severe level of the rules that hold is raised.</p>')


def _rule_card(site: Site, view: RuleView) -> str:
    rule = view.rule
    note = "" if view.evaluated else f' <span class="muted">({esc(rule.status)}, not used)</span>'
    return (f'<div class="card"><div class="card-head">{site.link("rule", rule.id)}{note}</div>'
            f'<div class="meta">{site.gives_html(rule)}</div>'
            f'<div class="label">When</div>{site.when_html(view, unfold=False)}'
            f'<div class="because">{esc(rule.because)}</div></div>')


def rule_page(site: Site, view: RuleView) -> str:
    """A rule: what it gives to which items, when (in words), why, worked examples and sources."""
    rule = view.rule
    parts = [site.lifecycle_html(rule), f'<p class="meta">{site.gives_html(rule)}</p>']
    if rule.shown_as:
        parts.append(f'<p class="meta">Shown as: {esc(rule.shown_as)}</p>')
    dates = [f"{word} {esc(day)}" for word, day in (("Added", rule.added), ("Modified", rule.modified)) if day]
    if dates:
        parts.append(f'<p class="muted">{"; ".join(dates)}</p>')
    computed = [f for f in fields_of(view.condition) if f in DERIVED] if view.condition is not None else []
    parts += [f"<h2>When</h2>{site.when_html(view, unfold=True)}", _computed(computed),
              f'<h2>Why</h2><p class="because">{esc(rule.because)}</p>', _examples(rule, computed),
              f"<h2>Sources</h2>{site.citations_html(rule.sources)}"]
    return site.page(rule_title(rule.title), "rule", "".join(parts))


def _computed(names: list[str]) -> str:
    """What each computed number a condition uses is computed from."""
    notes = [f"{field_label(f)} is computed from {word_list([field_label(i) for i in DERIVED[f].inputs], 'and')}; "
             "unknown if any of them is." for f in names]
    return "".join(f'<p class="muted">{esc(n)}</p>' for n in notes)


def _computed_values(case: Case, names: list[str]) -> str:
    """`` — computed Creatinine clearance (mL/min): 15.65`` for an example, as the engine computes it, to
    0.01 at most (the engine bands the unrounded clearance; corrected calcium is reported to 0.01, a score
    is whole)."""
    if not names:
        return ""
    cols = encode_case(case.engine_record())
    values = {f: cols.value(f, 0) for f in names}
    shown = [f"{field_label(f)}: {round(float(v), 2):g}" for f, v in values.items() if v is not None]
    return f' <span class="muted">\u2014 computed {esc("; ".join(shown))}</span>' if shown else ""


def _examples(rule: Rule, computed: list[str]) -> str:
    rows = []
    for label, attr in _EXAMPLES:
        cases = getattr(rule.examples, attr)
        if cases:
            items = "".join(f"<li>{esc(case_text(c))}{_computed_values(c, computed)}</li>" for c in cases)
            rows.append(f'<tr><th>{esc(label)}</th><td><ul class="cases">{items}</ul></td></tr>')
    return f'<h2>Worked examples</h2><table class="facts">{"".join(rows)}</table>' if rows else ""


def source_page(site: Site, src: Source) -> str:
    """A source: its full reference and outside links, and every rule, item and named condition
    citing it, with the section cited."""
    rows = [("Publisher", esc(src.publisher)), ("Title", esc(src.title)), ("Date", esc(src.date or "undated")),
            ("Kind", esc(f"{value_text(src.kind)} ({src.level} source)"))]
    links = source_links(src)
    if links:
        rows.append(("Links", " ".join(external(u, t) for t, u in links)))
    if src.notes:
        rows.append(("Notes", esc(src.notes)))
    facts = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    parts = [site.lifecycle_html(src), f'<table class="facts">{facts}</table>']
    citing = site.cited_by.get(src.id, [])
    for heading, kinds in (("Cited by rules", ("rule",)),
                           ("Cited by treatments, tests and alerts", ("family", "option", "test", "alert")),
                           ("Cited by named conditions", ("concept",))):
        lines = [c for c in citing if c.kind in kinds]
        if lines:
            body = "".join(
                f"<tr><td>{esc(c.name) if c.kind == 'concept' else site.link(c.kind, c.id, c.name)}</td>"
                + (f'<td class="muted">{esc(KIND_WORDS[c.kind])}</td>' if len(kinds) > 1 else "")
                + f"<td>section \u201c{esc(c.section)}\u201d</td></tr>" for c in lines)
            parts.append(f'<h2>{heading} ({len(lines)})</h2><table class="list">{body}</table>')
    if not citing:
        parts.append('<p class="muted">Not cited by any rule or item.</p>')
    return site.page(src.title, "source", "".join(parts))
