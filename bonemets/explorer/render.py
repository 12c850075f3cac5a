"""Pure views of an assessment for the explorer: HTML fragments and YAML.

Every function here takes an :class:`~bonemets.Assessment` (or a case, a teaching case or a
:class:`~.comparison.Comparison`) and returns a string; nothing assesses and nothing depends on
ipywidgets, so tests and notebooks read the same results the widgets show. Words and colours of
statuses, alerts and urgency come from :mod:`bonemets.views`. All text taken from a case or the
knowledge base is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import yaml

from ..case import FIELDS, Case
from ..labels import field_label, value_text
from ..views import (
    ALERT_COLOURS,
    ALERT_LABELS,
    STATUS_COLOURS,
    STATUS_HEADINGS,
    STATUS_LABELS,
    TOP_QUESTIONS,
    URGENCY_COLOURS,
    URGENCY_LABELS,
    ink,
    pending_text,
    question_text,
    rgba,
)
from ..vocabulary import DISCLAIMER, STATUSES
from .comparison import Comparison

if TYPE_CHECKING:  # pragma: no cover
    from ..assessment import Alert, Assessment, Citation, Recommendation
    from ..cases import TeachingCase
    from ..knowledge import KnowledgeBase


def paint(colour: str) -> str:
    """A ``style`` value: the background colour and a readable text colour."""
    return f"background:{colour};color:{ink(colour)}"


def status_badge(status: str) -> str:
    """A status in words on its colour."""
    return f'<span class="bm-badge" style="{paint(STATUS_COLOURS[status])}">{esc(STATUS_LABELS[status])}</span>'


def alert_badge(state: str) -> str:
    """An alert state in capitals on its colour."""
    return f'<span class="bm-badge" style="{paint(ALERT_COLOURS[state])}">{esc(ALERT_LABELS[state].upper())}</span>'


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too)."""
    return html.escape(str(value), quote=True)


def disclaimer_html(disclaimer: str = DISCLAIMER) -> str:
    """The disclaimer line every view ends with."""
    return f'<div class="bm-disclaimer">{esc(disclaimer)}</div>'


# --------------------------------------------------------------------------- citations


def _citation_html(c: Citation) -> str:
    text = f"{esc(c.label)}, section \u201c{esc(c.section)}\u201d"
    if c.excerpt:
        text += f' <span class="bm-excerpt">\u2014 \u201c{esc(c.excerpt)}\u201d</span>'
    if c.url and c.url.startswith(("https://", "http://")):
        text += f' <a href="{esc(c.url)}" target="_blank" rel="noopener">link</a>'
    return f"<li>{text}</li>"


def _sources_html(citations: Iterable[Citation]) -> str:
    cits = list(citations)
    if not cits:
        return ""
    return (f'<details class="bm-sources"><summary>Sources ({len(cits)})</summary>'
            f'<ul>{"".join(_citation_html(c) for c in cits)}</ul></details>')


# --------------------------------------------------------------------------- alerts


def alerts_html(a: Assessment) -> str:
    """The raised alerts of an assessment (most severe first), then the questions to ask next.

    Each raised alert shows its summary, actions, reasons and sources; each question says what
    its answer would decide (one that could raise a critical alert first). The block always says
    something, even with no alert.
    """
    parts = ['<div class="bm-alerts">']
    if not a.alerts:
        parts.append('<div class="bm-alert bm-alert-none" data-alert="none">'
                     "No emergency or warning raised for this case.</div>")
    for x in a.alerts:
        parts.append(_alert_html(x))
    if a.questions:
        items = "".join(f'<li data-question="{esc(q.field)}">{"<b>" if q.critical else ""}'
                        f'{esc(question_text(q, a.knowledge))}{"</b>" if q.critical else ""}</li>'
                        for q in a.questions[:TOP_QUESTIONS])
        parts.append(f'<div class="bm-alert bm-alert-open"><b>Ask next</b><ol>{items}</ol></div>')
    parts.append("</div>")
    return "".join(parts)


def _alert_html(x: Alert) -> str:
    actions = "".join(f"<li>{esc(act)}</li>" for act in x.actions)
    reasons = "".join(f"<li>{esc(r.line())}</li>" for r in x.reasons)
    return (f'<div class="bm-alert bm-alert-{esc(x.level)}" data-alert="{esc(x.id)}">'
            f'<div class="bm-alert-head">{alert_badge(x.level)} <b>{esc(x.name)}</b>: {esc(x.summary)}</div>'
            + (f'<div class="bm-sub">Actions</div><ul>{actions}</ul>' if actions else "")
            + (f'<div class="bm-sub">Why</div><ul>{reasons}</ul>' if reasons else "")
            + _sources_html(x.sources) + "</div>")


# --------------------------------------------------------------------------- cards


def status_counts(a: Assessment) -> dict[str, int]:
    """How many items have each status (every status listed, most favourable first)."""
    counts = dict.fromkeys(STATUSES, 0)
    for r in a.recommendations:
        counts[r.status] += 1
    return counts


def summary_html(a: Assessment) -> str:
    """One line of coloured counts: ``12 recommended · 4 consider · ...``."""
    chips = "".join(f'<span class="bm-chip" style="{paint(STATUS_COLOURS[s])}">{n} {esc(STATUS_LABELS[s])}'
                    "</span>" for s, n in status_counts(a).items() if n)
    return f'<div class="bm-summary">{chips}</div>'


def card_html(r: Recommendation, family: str | None = None, kb: KnowledgeBase | None = None) -> str:
    """One item as a card: status badge, name, kind (and the name of an option's ``family``),
    urgency, pending checks, reasons and sources."""
    colour = STATUS_COLOURS[r.status]
    urgency = (f' <span class="bm-urgency bm-urgency-{esc(r.urgency)}">{esc(URGENCY_LABELS[r.urgency])}</span>'
               if r.urgency != "routine" else "")
    kind = r.kind + (f" \u00b7 {family}" if family else "")
    reasons = "".join(f"<li>{esc(x.line())}</li>" for x in r.reasons)
    pending = "".join(f"<li>{esc(pending_text(p, kb))}</li>" for p in r.pending)
    return (f'<div class="bm-card bm-status-{esc(r.status)}" data-item="{esc(r.id)}" '
            f'data-status="{esc(r.status)}" style="border-left-color:{colour}">'
            f'<div class="bm-card-head">{status_badge(r.status)}{urgency} <b>{esc(r.name)}</b> '
            f'<span class="bm-kind">{esc(kind)}</span></div>'
            + (f'<div class="bm-sub">Pending</div><ul class="bm-pending">{pending}</ul>' if pending else "")
            + (f'<ul class="bm-reasons">{reasons}</ul>' if reasons else "")
            + _sources_html(r.sources) + "</div>")


def cards_html(a: Assessment) -> str:
    """Status cards: tests, then treatments; each grouped by status, most favourable first.

    ``not_indicated`` items are folded away under one summary but still present, so an item's
    card (``data-item``, ``data-status``) can always be found.
    """
    groups = a.by_status()
    names = {r.id: r.name for r in a.recommendations}
    parts = ['<div class="bm-cards">', summary_html(a)]
    for title, is_test in (("Tests", True), ("Treatments", False)):
        parts.append(f'<h3 class="bm-section">{title}</h3>')
        for status in STATUSES:
            chosen = [r for r in groups[status] if (r.kind == "test") == is_test]
            if not chosen:
                continue
            body = "".join(card_html(r, names.get(r.family or "") if r.family != r.id else None, a.knowledge)
                           for r in chosen)
            heading = f"{STATUS_HEADINGS[status]} ({len(chosen)})"
            if status == "not_indicated":
                parts.append(f'<details class="bm-group bm-group-{status}"><summary>{esc(heading)}'
                             f'</summary><div class="bm-grid">{body}</div></details>')
            else:
                parts.append(f'<div class="bm-group bm-group-{status}"><div class="bm-group-head" '
                             f'style="border-left:4px solid {STATUS_COLOURS[status]}">{esc(heading)}</div>'
                             f'<div class="bm-grid">{body}</div></div>')
    parts.append(disclaimer_html(a.disclaimer))
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- teaching cases


def teaching_html(tc: TeachingCase | None) -> str:
    """A teaching case for the class: title, narrative, teaching points and questions."""
    if tc is None:
        return ('<div class="bm-teaching bm-muted">No teaching case loaded: choose one above, or '
                "set the factors by hand.</div>")
    points = "".join(f"<li>{esc(p)}</li>" for p in tc.teaching_points)
    questions = "".join(f"<li>{esc(q)}</li>" for q in tc.questions)
    return (f'<div class="bm-teaching" data-case="{esc(tc.id)}"><h3>{esc(tc.title)}</h3>'
            f'<p class="bm-narrative">{esc(tc.narrative)}</p>'
            + (f"<h4>Teaching points</h4><ul>{points}</ul>" if points else "")
            + (f"<h4>Questions for the class</h4><ol>{questions}</ol>" if questions else "")
            + disclaimer_html() + "</div>")


# --------------------------------------------------------------------------- YAML


def case_yaml(case: Case) -> str:
    """The known fields of a case as YAML (``yaml.safe_dump(case.known())``, field order kept)."""
    return yaml.safe_dump(case.known(), sort_keys=False, allow_unicode=True)


def yaml_html(case: Case, filename: str = "case.yaml") -> str:
    """The case's YAML in a block, with a link that downloads it as a file."""
    text = case_yaml(case)
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<div class="bm-yaml"><a class="bm-download" download="{esc(filename)}" '
            f'href="data:text/yaml;charset=utf-8;base64,{data}">Download {esc(filename)}</a>'
            f'<pre>{esc(text) or "{}  # nothing known"}</pre>{disclaimer_html()}</div>')


# --------------------------------------------------------------------------- compare


def compare_html(cmp: Comparison, label_a: str = "A", label_b: str = "B") -> str:
    """Two cases side by side: every field known in either (differences highlighted), then the
    items and alerts whose status differs."""
    ra, rb = cmp.a.case.engine_record(), cmp.b.case.engine_record()
    shown = [k for k in FIELDS if ra.get(k) is not None or rb.get(k) is not None]
    rows = "".join(
        f'<tr class="{"bm-diff" if k in cmp.fields else ""}" data-field="{esc(k)}">'
        f"<th>{esc(field_label(k))}</th><td>{esc(value_text(ra.get(k)))}</td>"
        f"<td>{esc(value_text(rb.get(k)))}</td></tr>" for k in shown)
    names = {r.id: r.name for r in cmp.a.recommendations}
    alert_names = {x.id: x.name for x in (*cmp.b.alerts, *cmp.a.alerts)}

    status_rows = "".join(
        f'<tr class="bm-diff" data-item="{esc(i)}"><th>{esc(names.get(i, i))}</th>'
        f"<td>{status_badge(x)}</td><td>{status_badge(y)}</td></tr>" for i, (x, y) in cmp.statuses.items())
    alert_rows = "".join(
        f'<tr class="bm-diff" data-alert="{esc(i)}"><th>{esc(alert_names.get(i, i))}</th>'
        f"<td>{alert_badge(x)}</td><td>{alert_badge(y)}</td></tr>"
        for i, (x, y) in cmp.alerts.items())
    head = f"<tr><th></th><th>{esc(label_a)}</th><th>{esc(label_b)}</th></tr>"
    n_same = len(cmp.a.recommendations) - len(cmp.statuses)
    return (
        '<div class="bm-compare">'
        f'<div class="bm-summary-line">{len(cmp.fields)} field(s) differ; {len(cmp.statuses)} '
        f"item(s) change status ({n_same} unchanged); {len(cmp.alerts)} alert(s) differ.</div>"
        '<div class="bm-compare-cols">'
        f'<div><h4>Case factors</h4><table class="bm-table">{head}{rows or "<tr><td colspan=3>nothing known</td></tr>"}'
        "</table></div>"
        f'<div><h4>Statuses that differ</h4><table class="bm-table">{head}'
        f'{status_rows or "<tr><td colspan=3>none: every item has the same status</td></tr>"}</table>'
        + (f'<h4>Alerts that differ</h4><table class="bm-table">{head}{alert_rows}</table>' if alert_rows else "")
        + "</div></div>" + disclaimer_html(cmp.a.disclaimer) + "</div>")


# --------------------------------------------------------------------------- style

def _palette_css() -> str:
    """CSS rules that colour alerts and urgency badges as :mod:`bonemets.views` says."""
    alerts = (("critical", "critical"), ("warning", "warning"), ("info", "info"), ("open", "undetermined"),
              ("none", "not_raised"))
    rules = [f".bm-alert-{cls} {{ border-left-color: {ALERT_COLOURS[state]}; "
             f"background: {rgba(ALERT_COLOURS[state], 0.12)}; }}" for cls, state in alerts]
    rules += [f".bm-urgency-{u} {{ background: {URGENCY_COLOURS[u]}; color: {ink(URGENCY_COLOURS[u])}; }}"
              for u in ("soon", "emergency")]
    return "\n".join(rules) + "\n"


#: The stylesheet of the explorer's HTML (scoped by the ``bm-`` class prefix).
CSS = """
<style>
.bm-app { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 13px; color: #1f2328; }
.bm-app .widget-html-content, .bm-app .widget-html { line-height: 1.4; }
.bm-header h2 { margin: 4px 0 2px 0; font-size: 20px; }
.bm-banner { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 6px 10px; margin: 4px 0; }
.bm-disclaimer { color: #57606a; font-size: 11px; font-style: italic; margin-top: 8px; }
.bm-muted { color: #57606a; }
.bm-message { min-height: 0; }
.bm-error { background: #ffebe9; border: 1px solid #cf222e; color: #82071e; border-radius: 6px; padding: 4px 8px; }
.bm-ok { color: #1a7f37; font-size: 12px; }
.bm-invalid input, .bm-invalid select { border-color: #cf222e !important; background: #ffebe9 !important; }
.bm-alerts { margin-bottom: 6px; }
.bm-alert { border-left: 5px solid #57606a; background: #f6f8fa; border-radius: 4px; padding: 6px 10px; margin: 4px 0; }
.bm-alert ul { margin: 2px 0 2px 18px; padding: 0; }
.bm-sub { font-weight: 600; margin-top: 4px; }
.bm-summary { margin: 4px 0 6px 0; }
.bm-chip { display: inline-block; color: #fff; border-radius: 10px; padding: 1px 8px; margin: 0 4px 2px 0;
           font-size: 12px; }
.bm-section { margin: 10px 0 4px 0; font-size: 15px; border-bottom: 1px solid #d0d7de; }
.bm-group { margin: 4px 0 8px 0; }
.bm-group-head { font-weight: 600; margin: 2px 0; padding-left: 6px; }
.bm-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 6px; }
.bm-card { border: 1px solid #d0d7de; border-left: 5px solid #8c959f; border-radius: 6px; padding: 6px 8px;
           background: #fff; }
.bm-card-head { margin-bottom: 2px; }
.bm-badge { display: inline-block; color: #fff; border-radius: 4px; padding: 0 6px; font-size: 11px;
            text-transform: uppercase; letter-spacing: .02em; }
.bm-urgency { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11px; text-transform: uppercase; }
.bm-kind { color: #57606a; font-size: 11px; }
.bm-reasons { margin: 2px 0 2px 16px; padding: 0; }
.bm-sources summary { cursor: pointer; color: #0969da; font-size: 12px; }
.bm-sources ul { margin: 2px 0 2px 16px; padding: 0; font-size: 12px; }
.bm-excerpt { color: #57606a; }
.bm-teaching h3 { margin: 4px 0; }
.bm-narrative { max-width: 900px; }
.bm-table { border-collapse: collapse; margin: 4px 0; }
.bm-table th, .bm-table td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; vertical-align: top; }
.bm-table tr.bm-diff td, .bm-table tr.bm-diff th { background: #fff8c5; font-weight: 600; }
.bm-app .bm-figure, .bm-app .bm-compare-figure { overflow-x: auto !important; }
.bm-compare-cols { display: flex; flex-wrap: wrap; gap: 24px; }
.bm-compare-cols > div { flex: 1 1 340px; min-width: 0; }
.bm-yaml pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; max-width: 700px; }
.bm-download { font-weight: 600; }
.bm-controls .widget-label { font-size: 12px; }
.bm-app .bm-scroll { max-height: 78vh; overflow-y: auto !important; }
.bm-controls .widget-toggle-buttons { display: flex; align-items: center; margin: 2px 0; }
.bm-controls .widget-toggle-buttons > .widget-label { text-align: right; margin-right: 8px; flex-shrink: 0; }
.bm-controls .widget-toggle-buttons .widget-toggle-button { font-size: 11px; padding: 0 4px; }
""" + _palette_css() + "</style>\n"
