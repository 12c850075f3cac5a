"""Pure views of a case for the explorer: HTML fragments, YAML, and the comparison of two cases.

Every function here takes a :class:`~bonemets.Case` or an :class:`~bonemets.Assessment` and
returns a string or plain data; nothing depends on ipywidgets, so tests and notebooks read the
same results the widgets show. All text taken from a case or the knowledge base is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import yaml

from ..case import FIELDS, Case
from ..vocabulary import DISCLAIMER, STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from ..assessment import Alert, Assessment, Citation, Recommendation
    from ..cases import TeachingCase
    from ..knowledge import KnowledgeBase

#: Status colours used when :mod:`bonemets.figures` is not importable (same order as STATUSES).
_FALLBACK_COLOURS = {"recommended": "#1a7f37", "consider": "#2f81f7", "undetermined": "#bf8700",
                     "not_indicated": "#8c959f", "avoid": "#cf222e"}
_ALERT_COLOURS = {"critical": "#cf222e", "warning": "#bf8700", "info": "#57606a"}
_HEADINGS = {"recommended": "Recommended", "consider": "Consider",
             "undetermined": "Undetermined: hangs on an unknown factor",
             "not_indicated": "Not indicated", "avoid": "Avoid"}

_ACRONYMS = {"er": "ER", "pr": "PR", "her2": "HER2", "cdk46": "CDK4/6"}
_UNITS = {"mmol_l": "mmol/L", "umol_l": "\u00b5mol/L", "g_l": "g/L", "kg": "kg"}


def status_colours() -> dict[str, str]:
    """The status colours of :data:`bonemets.figures.STATUS_COLOURS` (a fallback without it)."""
    try:
        from ..figures import STATUS_COLOURS
    except ImportError:  # figures is optional for the HTML views
        return dict(_FALLBACK_COLOURS)
    return {s: STATUS_COLOURS.get(s, _FALLBACK_COLOURS[s]) for s in STATUSES}


def ink(colour: str) -> str:
    """Black or white, whichever reads better on a ``#rrggbb`` background."""
    try:
        r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "#fff"
    return "#1f2328" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def paint(colour: str) -> str:
    """A ``style`` value: the background colour and a readable text colour."""
    return f"background:{colour};color:{ink(colour)}"


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too)."""
    return html.escape(str(value), quote=True)


def field_label(name: str) -> str:
    """A field name as a reader says it: ``calcium_mmol_l`` -> ``Calcium (mmol/L)``."""
    unit = ""
    for suffix, text in _UNITS.items():
        if name.endswith("_" + suffix):
            name, unit = name[: -len(suffix) - 1], f" ({text})"
            break
    words = [_ACRONYMS.get(w, w) for w in name.split("_")]
    first = words[0] if words[0] in _ACRONYMS.values() else words[0].capitalize()
    return " ".join([first, *words[1:]]) + unit


def value_text(value: Any) -> str:
    """A field value as text: ``unknown`` for None, ``yes``/``no`` for booleans, lists joined."""
    if value is None or value == "unknown":
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def disclaimer_html(disclaimer: str = DISCLAIMER) -> str:
    """The disclaimer line every view ends with."""
    return f'<div class="bm-disclaimer">{esc(disclaimer)}</div>'


# --------------------------------------------------------------------------- citations


def _citation_html(c: "Citation") -> str:
    text = f"{esc(c.label)}, section \u201c{esc(c.section)}\u201d"
    if c.excerpt:
        text += f' <span class="bm-excerpt">\u2014 \u201c{esc(c.excerpt)}\u201d</span>'
    if c.url and c.url.startswith(("https://", "http://")):
        text += f' <a href="{esc(c.url)}" target="_blank" rel="noopener">link</a>'
    return f"<li>{text}</li>"


def _sources_html(citations: Iterable["Citation"]) -> str:
    cits = list(citations)
    if not cits:
        return ""
    return (f'<details class="bm-sources"><summary>Sources ({len(cits)})</summary>'
            f'<ul>{"".join(_citation_html(c) for c in cits)}</ul></details>')


# --------------------------------------------------------------------------- alerts


def alerts_html(a: "Assessment") -> str:
    """The alerts of an assessment: raised ones (most severe first), then those not ruled out.

    Each raised alert shows its summary, actions, reasons and sources; an alert that hangs on an
    unknown factor says which factor. The block always says something, even with no alert.
    """
    raised = [x for x in a.alerts if x.raised]
    open_ = [x for x in a.alerts if not x.raised]
    parts = ['<div class="bm-alerts">']
    if not raised:
        parts.append('<div class="bm-alert bm-alert-none" data-alert="none">'
                     "No emergency or warning raised for this case.</div>")
    for x in raised:
        parts.append(_alert_html(x))
    if open_:
        items = "".join(
            f'<li data-alert="{esc(x.id)}"><b>{esc(x.name)}</b>: '
            + esc("; ".join(r.line() for r in x.reasons) or x.summary) + "</li>" for x in open_)
        parts.append(f'<div class="bm-alert bm-alert-open"><b>Not ruled out</b> (a factor is '
                     f'unknown):<ul>{items}</ul></div>')
    parts.append("</div>")
    return "".join(parts)


def _alert_html(x: "Alert") -> str:
    colour = _ALERT_COLOURS.get(x.level, "#57606a")
    actions = "".join(f"<li>{esc(act)}</li>" for act in x.actions)
    reasons = "".join(f"<li>{esc(r.line())}</li>" for r in x.reasons)
    return (f'<div class="bm-alert bm-alert-{esc(x.level)}" data-alert="{esc(x.id)}" '
            f'style="border-left-color:{colour}">'
            f'<div class="bm-alert-head"><span class="bm-badge" style="{paint(colour)}">'
            f'{esc(x.level.upper())}</span> <b>{esc(x.name)}</b>: {esc(x.summary)}</div>'
            + (f'<div class="bm-sub">Actions</div><ul>{actions}</ul>' if actions else "")
            + (f'<div class="bm-sub">Why</div><ul>{reasons}</ul>' if reasons else "")
            + _sources_html(x.sources) + "</div>")


# --------------------------------------------------------------------------- cards


def status_counts(a: "Assessment") -> dict[str, int]:
    """How many items have each status (every status listed, most favourable first)."""
    counts = {s: 0 for s in STATUSES}
    for r in a.recommendations:
        counts[r.status] += 1
    return counts


def summary_html(a: "Assessment") -> str:
    """One line of coloured counts: ``12 recommended · 4 consider · ...``."""
    colours = status_colours()
    chips = "".join(f'<span class="bm-chip" style="{paint(colours[s])}">{n} {esc(s.replace("_", " "))}'
                    "</span>" for s, n in status_counts(a).items() if n)
    return f'<div class="bm-summary">{chips}</div>'


def card_html(r: "Recommendation", colour: str) -> str:
    """One item as a card: status badge, name, kind, urgency, reasons and sources."""
    urgency = (f' <span class="bm-urgency bm-urgency-{esc(r.urgency)}">{esc(r.urgency)}</span>'
               if r.urgency != "routine" else "")
    kind = r.kind + (f" \u00b7 {r.family}" if r.family and r.family != r.id else "")
    reasons = "".join(f"<li>{esc(x.line())}</li>" for x in r.reasons)
    return (f'<div class="bm-card bm-status-{esc(r.status)}" data-item="{esc(r.id)}" '
            f'data-status="{esc(r.status)}" style="border-left-color:{colour}">'
            f'<div class="bm-card-head"><span class="bm-badge" style="{paint(colour)}">'
            f'{esc(r.status.replace("_", " "))}</span>{urgency} <b>{esc(r.name)}</b> '
            f'<span class="bm-kind">{esc(kind)}</span></div>'
            + (f'<ul class="bm-reasons">{reasons}</ul>' if reasons else "")
            + _sources_html(r.sources) + "</div>")


def cards_html(a: "Assessment") -> str:
    """Status cards: tests, then treatments; each grouped by status, most favourable first.

    ``not_indicated`` items are folded away under one summary but still present, so an item's
    card (``data-item``, ``data-status``) can always be found.
    """
    colours = status_colours()
    groups = a.by_status()
    parts = ['<div class="bm-cards">', summary_html(a)]
    for title, is_test in (("Tests", True), ("Treatments", False)):
        parts.append(f'<h3 class="bm-section">{title}</h3>')
        for status in STATUSES:
            chosen = [r for r in groups[status] if (r.kind == "test") == is_test]
            if not chosen:
                continue
            body = "".join(card_html(r, colours[status]) for r in chosen)
            heading = f"{_HEADINGS[status]} ({len(chosen)})"
            if status == "not_indicated":
                parts.append(f'<details class="bm-group bm-group-{status}"><summary>{esc(heading)}'
                             f'</summary><div class="bm-grid">{body}</div></details>')
            else:
                parts.append(f'<div class="bm-group bm-group-{status}"><div class="bm-group-head" '
                             f'style="border-left:4px solid {colours[status]}">{esc(heading)}</div>'
                             f'<div class="bm-grid">{body}</div></div>')
    parts.append(disclaimer_html(a.disclaimer))
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- teaching cases


def teaching_html(tc: "TeachingCase | None") -> str:
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


@dataclass(frozen=True)
class Comparison:
    """How two cases differ, and how their assessments differ.

    Attributes
    ----------
    a, b : Assessment
    fields : dict of str to (value_a, value_b)
        The case fields whose values differ (None is unknown; lists compare as sets), in field
        order.
    statuses : dict of str to (status_a, status_b)
        The families, options and tests whose status differs.
    alerts : dict of str to (state_a, state_b)
        The alerts whose level differs (``not_raised`` when absent, ``undetermined`` when not
        ruled out).
    """

    a: "Assessment"
    b: "Assessment"
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    statuses: dict[str, tuple[str, str]] = field(default_factory=dict)
    alerts: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not (self.fields or self.statuses or self.alerts)

    def to_text(self) -> str:
        """The differences as plain text (one line each)."""
        lines = ["Fields that differ (A -> B):"]
        lines += [f"  {k}: {value_text(x)} -> {value_text(y)}" for k, (x, y) in self.fields.items()] or ["  none"]
        lines += ["Statuses that differ (A -> B):"]
        lines += [f"  {k}: {x} -> {y}" for k, (x, y) in self.statuses.items()] or ["  none"]
        lines += ["Alerts that differ (A -> B):"]
        lines += [f"  {k}: {x} -> {y}" for k, (x, y) in self.alerts.items()] or ["  none"]
        return "\n".join(lines)


def _norm(value: Any) -> Any:
    """Lists compare as sets: ``[spine, ribs]`` is the same extent as ``[ribs, spine]``."""
    return frozenset(value) if isinstance(value, list) else value


def _alert_state(x: "Alert | None") -> str:
    if x is None:
        return "not_raised"
    return x.level if x.raised else "undetermined"


def _as_assessment(x: "Case | Assessment | Mapping[str, Any]", kb: "KnowledgeBase | None") -> "Assessment":
    from ..assessment import Assessment
    from ..pipeline import assess

    return x if isinstance(x, Assessment) else assess(x, kb=kb)


def compare(a: "Case | Assessment | Mapping[str, Any]", b: "Case | Assessment | Mapping[str, Any]",
            kb: "KnowledgeBase | None" = None) -> Comparison:
    """Compare two cases (or their assessments): differing fields, statuses and alerts."""
    ax, bx = _as_assessment(a, kb), _as_assessment(b, kb)
    ra, rb = ax.case.engine_record(), bx.case.engine_record()
    fields = {k: (ra.get(k), rb.get(k)) for k in FIELDS if _norm(ra.get(k)) != _norm(rb.get(k))}
    sb = {r.id: r.status for r in bx.recommendations}
    statuses = {r.id: (r.status, sb[r.id]) for r in ax.recommendations
                if r.id in sb and r.status != sb[r.id]}
    ids = list(dict.fromkeys([x.id for x in ax.alerts] + [x.id for x in bx.alerts]))
    alerts = {i: (_alert_state(ax.alert(i)), _alert_state(bx.alert(i))) for i in ids
              if _alert_state(ax.alert(i)) != _alert_state(bx.alert(i))}
    return Comparison(ax, bx, fields, statuses, alerts)


def compare_html(cmp: Comparison, label_a: str = "A", label_b: str = "B") -> str:
    """Two cases side by side: every field known in either (differences highlighted), then the
    items and alerts whose status differs."""
    colours = status_colours()
    ra, rb = cmp.a.case.engine_record(), cmp.b.case.engine_record()
    shown = [k for k in FIELDS if ra.get(k) is not None or rb.get(k) is not None]
    rows = "".join(
        f'<tr class="{"bm-diff" if k in cmp.fields else ""}" data-field="{esc(k)}">'
        f"<th>{esc(field_label(k))}</th><td>{esc(value_text(ra.get(k)))}</td>"
        f"<td>{esc(value_text(rb.get(k)))}</td></tr>" for k in shown)
    names = {r.id: r.name for r in cmp.a.recommendations}

    def badge(status: str) -> str:
        colour = colours.get(status, _ALERT_COLOURS.get(status, "#57606a"))
        return f'<span class="bm-badge" style="{paint(colour)}">{esc(status.replace("_", " "))}</span>'

    status_rows = "".join(
        f'<tr class="bm-diff" data-item="{esc(i)}"><th>{esc(names.get(i, i))}</th>'
        f"<td>{badge(x)}</td><td>{badge(y)}</td></tr>" for i, (x, y) in cmp.statuses.items())
    alert_rows = "".join(
        f'<tr class="bm-diff" data-alert="{esc(i)}"><th>{esc(i.replace("_", " "))}</th>'
        f"<td>{esc(x.replace('_', ' '))}</td><td>{esc(y.replace('_', ' '))}</td></tr>"
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
.bm-alert-critical { background: #ffebe9; }
.bm-alert-warning { background: #fff8c5; }
.bm-alert-none { border-left-color: #1a7f37; background: #dafbe1; }
.bm-alert-open { border-left-color: #8c959f; }
.bm-sub { font-weight: 600; margin-top: 4px; }
.bm-summary { margin: 4px 0 6px 0; }
.bm-chip { display: inline-block; color: #fff; border-radius: 10px; padding: 1px 8px; margin: 0 4px 2px 0; font-size: 12px; }
.bm-section { margin: 10px 0 4px 0; font-size: 15px; border-bottom: 1px solid #d0d7de; }
.bm-group { margin: 4px 0 8px 0; }
.bm-group-head { font-weight: 600; margin: 2px 0; padding-left: 6px; }
.bm-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 6px; }
.bm-card { border: 1px solid #d0d7de; border-left: 5px solid #8c959f; border-radius: 6px; padding: 6px 8px; background: #fff; }
.bm-card-head { margin-bottom: 2px; }
.bm-badge { display: inline-block; color: #fff; border-radius: 4px; padding: 0 6px; font-size: 11px; text-transform: uppercase; letter-spacing: .02em; }
.bm-urgency { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11px; text-transform: uppercase; border: 1px solid #cf222e; color: #cf222e; }
.bm-urgency-soon { border-color: #bf8700; color: #9a6700; }
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
</style>
"""
