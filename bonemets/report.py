"""A self-contained HTML handout of one assessment: opens offline, prints cleanly.

The page holds, in order: the title and the disclaimer; the case's known and unknown factors;
the alerts (level, summary, actions, reasons); a card per family, option and test grouped by
status (name, urgency, reasons, numbered citations); the skeleton map, the decision Sankey and
the schedule timeline (plotly.js inlined once, no CDN); a numbered reference list with every
citation of the assessment; and the disclaimer again. All text is escaped with
:func:`html.escape`.

>>> import bonemets
>>> from bonemets.report import report_html
>>> page = report_html(bonemets.assess(bonemets.teaching_cases()["her2_positive"]))
>>> bonemets.DISCLAIMER in page and "<script src=" not in page
True
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from .assessment import Alert, Assessment, Citation, Reason, Recommendation
from .case import FIELDS, Case
from .exceptions import BonemetsError
from .figures import decision_sankey, schedule_timeline, skeleton_map
from .output import Outputs
from .views import (
    ALERT_COLOURS,
    ALERT_LABELS,
    STATUS_COLOURS,
    STATUS_HEADINGS,
    STATUS_LABELS,
    STATUS_MARKS,
    TOP_QUESTIONS,
    URGENCY_COLOURS,
    URGENCY_LABELS,
    ink,
    pending_text,
    question_text,
)
from .vocabulary import STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from .knowledge import KnowledgeBase

__all__ = ["citations", "report_html", "write_report"]

_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); max-width: 1100px; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .6rem;
     border-bottom: 2px solid var(--line); padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.disclaimer { border: 2px solid #D55E00; background: #fff6ef; padding: .7rem 1rem; border-radius: 6px;
              font-weight: 600; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
dl.factors { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 0 1.5rem;
             font-size: .92rem; margin: 0; }
dl.factors div { display: flex; justify-content: space-between; gap: 1rem; border-bottom: 1px solid var(--line);
                 padding: .2rem 0; break-inside: avoid; }
dl.factors dt { font-weight: 600; } dl.factors dd { margin: 0; text-align: right; }
.unknown-list { display: flex; flex-wrap: wrap; gap: .3rem; padding: 0; list-style: none; }
.unknown-list li { background: #fffbd6; border: 1px solid #e6d96a; border-radius: 4px; padding: .05rem .4rem;
                   font-size: .88rem; }
.card { border: 1px solid var(--line); border-left: 8px solid #999; border-radius: 6px; padding: .6rem .9rem;
        margin: .6rem 0; break-inside: avoid; page-break-inside: avoid; }
.card h4 { margin: 0 0 .3rem; font-size: 1rem; }
.card ul { margin: .2rem 0 .2rem 1.1rem; padding: 0; }
.badge { display: inline-block; font-size: .78rem; font-weight: 600; padding: .05rem .45rem; border-radius: 999px;
         border: 1px solid #888; margin-left: .35rem; vertical-align: middle; background: #fff; }
.refs { font-size: .88rem; } .refs li { margin-bottom: .35rem; } .cite { font-size: .8rem; color: var(--muted); }
.excerpt { font-style: italic; }
.figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; overflow-x: auto; }
a { color: #0b5cad; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .refs a::after { content: " (" attr(href) ")"; font-size: .8em; }
  .refs a { text-decoration: none; color: inherit; }
}
""" + "".join(  # the urgency and alert badges in the colours of bonemets.views
    f".badge.{name} {{ background: {colour}; color: {ink(colour)}; border-color: {colour}; }}\n"
    for name, colour in (*((u, URGENCY_COLOURS[u]) for u in ("emergency", "soon")),
                         *((level, ALERT_COLOURS[level]) for level in ("critical", "warning", "info"))))


def citations(assessment: Assessment) -> list[Citation]:
    """Every distinct citation of an assessment, alerts first, in order of first appearance."""
    seen: dict[Citation, None] = {}
    parts: tuple[Alert | Recommendation, ...] = (*assessment.alerts, *assessment.recommendations)
    for part in parts:
        for c in part.sources:
            seen.setdefault(c, None)
    return list(seen)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "none"
    return str(value)


def _factors(case: Case) -> str:
    known = case.known()
    rows = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(_value(v))}</dd></div>" for k, v in known.items())
    unknown = [f for f in FIELDS if f not in known]
    items = "".join(f"<li>{escape(f)}</li>" for f in unknown)
    return (
        "<h2 id='factors'>Case factors</h2>"
        f"<h3>Known ({len(known)})</h3><dl class='factors'>{rows}</dl>"
        f"<h3>Unknown ({len(unknown)})</h3>"
        "<p class='muted'>An unknown factor is never read as &ldquo;no&rdquo;: where a decision hangs on one, "
        "the item is <em>undetermined</em> and its reasons name the test that would settle it.</p>"
        f"<ul class='unknown-list'>{items or '<li>none</li>'}</ul>")


def _refs(sources: tuple[Citation, ...], numbers: dict[Citation, int]) -> str:
    if not sources:
        return ""
    links = ", ".join(f"<a href='#ref-{numbers[c]}'>[{numbers[c]}]</a>" for c in sources)
    return f"<div class='cite'>Sources: {links}</div>"


def _reasons(reasons: tuple[Reason, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(r.line())}</li>" for r in reasons) + "</ul>" if reasons else ""


def _alert(alert: Alert, numbers: dict[Citation, int]) -> str:
    colour = ALERT_COLOURS[alert.level]
    actions = "".join(f"<li>{escape(x)}</li>" for x in alert.actions)
    return (f"<div class='card alert' style='border-left-color:{colour}'>"
            f"<h4>{escape(alert.name)}<span class='badge {escape(alert.level)}'>"
            f"{escape(ALERT_LABELS[alert.level].upper())}</span>"
            f"</h4><p>{escape(alert.summary)}</p>"
            f"<strong>Actions</strong><ul>{actions}</ul>"
            f"<strong>Why</strong>{_reasons(alert.reasons)}{_refs(alert.sources, numbers)}</div>")


def _questions(a: Assessment) -> str:
    if not a.questions:
        return "<p>Nothing unknown would change the answer.</p>"
    items = "".join(f"<li class='{'critical' if q.critical else ''}'>{escape(question_text(q, a.knowledge))}</li>"
                    for q in a.questions[:TOP_QUESTIONS])
    return f"<ol class='questions'>{items}</ol>"


def _pending(rec: Recommendation, kb: KnowledgeBase | None) -> str:
    if not rec.pending:
        return ""
    return ("<div class='pending'><strong>Pending</strong><ul>"
            + "".join(f"<li>{escape(pending_text(p, kb))}</li>" for p in rec.pending) + "</ul></div>")


def _card(rec: Recommendation, numbers: dict[Citation, int], kb: KnowledgeBase | None = None) -> str:
    urgency = (f"<span class='badge {escape(rec.urgency)}'>{escape(URGENCY_LABELS[rec.urgency].upper())}</span>"
               if rec.urgency != "routine" else "")
    return (f"<div class='card' style='border-left-color:{STATUS_COLOURS[rec.status]}'>"
            f"<h4>{escape(STATUS_MARKS[rec.status])} {escape(rec.name)} "
            f"<span class='muted'>({escape(rec.kind)}: {escape(rec.id)})</span>"
            f"<span class='badge'>{escape(STATUS_LABELS[rec.status])}</span>{urgency}</h4>"
            f"{_pending(rec, kb)}{_reasons(rec.reasons)}{_refs(rec.sources, numbers)}</div>")


def _figures(a: Assessment) -> str:
    figs: list[tuple[str, str, go.Figure]] = [
        ("skeleton", "Bone sites", skeleton_map(a)),
        ("sankey", "How the assessment was reached", decision_sankey(a)),
        ("timeline", "Schedules and time to benefit", schedule_timeline(a)),
    ]
    parts = []
    for i, (key, heading, fig) in enumerate(figs):
        if key != "skeleton":  # fill the page's width (the body outline keeps its proportions)
            fig.update_layout(width=None, autosize=True)
        div = fig.to_html(full_html=False, include_plotlyjs=i == 0, div_id=f"figure-{key}",
                          config={"displaylogo": False, "responsive": True})
        parts.append(f"<h3>{escape(heading)}</h3><div class='figure'>{div}</div>")
    return "<h2 id='figures'>Figures</h2>" + "".join(parts)


def _reference(c: Citation, n: int) -> str:
    excerpt = f" <span class='excerpt'>&ldquo;{escape(c.excerpt)}&rdquo;</span>" if c.excerpt else ""
    url = f" <a href='{escape(c.url, quote=True)}'>{escape(c.url)}</a>" if c.url else ""
    return (f"<li id='ref-{n}'>{escape(c.label)}, section &ldquo;{escape(c.section)}&rdquo;.{excerpt}{url} "
            f"<span class='muted'>[{escape(c.source)}]</span></li>")


def report_html(a: Assessment, title: str | None = None) -> str:
    """The handout of one assessment as one self-contained HTML page.

    Parameters
    ----------
    a : Assessment
        From :func:`bonemets.assess`.
    title : str, optional
        Default: "Bone metastases: educational assessment".

    Returns
    -------
    str
        A complete HTML document; plotly.js is inlined once (no CDN, no external fonts or
        icons), so it opens offline.
    """
    title = title or "Bone metastases: educational assessment"
    refs = citations(a)
    numbers = {c: i for i, c in enumerate(refs, start=1)}
    alerts = "".join(_alert(x, numbers) for x in a.alerts) or "<p>No alert is raised.</p>"
    groups = a.by_status()
    cards = "".join(
        f"<h3 id='status-{s}'>{escape(STATUS_HEADINGS[s])} ({len(groups[s])})</h3>"
        + "".join(_card(r, numbers, a.knowledge) for r in groups[s])
        for s in STATUSES if groups[s])
    disclaimer = f"<p class='disclaimer' role='note'>{escape(a.disclaimer)}</p>"
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>{disclaimer}"
        f"<p class='meta'>bonemets knowledge version {escape(a.knowledge_version)}. Every statement below "
        "cites its source; check them before relying on any of it.</p></header><main>"
        f"{_factors(a.case)}"
        f"<h2 id='alerts'>Alerts</h2>{alerts}"
        f"<h2 id='questions'>Ask next</h2>{_questions(a)}"
        f"<h2 id='items'>Treatment families, options and tests</h2>{cards}"
        f"{_figures(a)}"
        f"<h2 id='references'>References ({len(refs)})</h2><ol class='refs'>"
        + "".join(_reference(c, n) for c, n in numbers.items())
        + f"</ol></main><footer>{disclaimer}</footer></body></html>\n")


def write_report(a: Assessment, path: str | Path, title: str | None = None) -> Path:
    """Write :func:`report_html` to ``path`` (UTF-8) and return the path.

    Parameters
    ----------
    a : Assessment
        From :func:`bonemets.assess`.
    path : str or Path
        The HTML file to write (its folder is made if missing). It is written whole or not at
        all (:class:`bonemets.output.Outputs`).
    title : str, optional

    Returns
    -------
    pathlib.Path

    Raises
    ------
    BonemetsError
        ``path`` is a directory, or its parent is a file.
    """
    path = Path(path)
    if path.is_dir():
        raise BonemetsError(f"{path}: is a directory; give the handout a file name, e.g. {path / 'handout.html'}")
    with Outputs([path], inputs=[]) as outputs:
        outputs.path(path).write_text(report_html(a, title=title), encoding="utf-8")
    return path
