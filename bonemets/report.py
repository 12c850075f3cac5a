"""A self-contained HTML handout of one assessment: opens offline, prints cleanly on A4.

The page holds, in order: the title and the disclaimer; for a teaching case its story, teaching
points and questions for the class; **Act now** (raised alerts as cards; an alert not ruled out is
one line); **Ask next** (the top questions) and the pending safety checks; the known facts in words;
treatments by family (the family's status as the headline, its options inside) and tests by
purpose, each with its reasons in words and numbered references; the patient advice that applies
(``bonemets.advice_for``: when to contact the team first); the figures as static SVG (no
plotly.js); one numbered reference per source, each once, with the sections cited; and the
disclaimer again. All text is escaped with :func:`html.escape`.

>>> import bonemets
>>> from bonemets.report import report_html
>>> page = report_html(bonemets.assess(bonemets.teaching_cases()["her2_positive"]), figures=False)
>>> bonemets.DISCLAIMER in page and "<script" not in page
True
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from .advice import advice_for
from .assessment import Alert, Assessment, Citation, Recommendation, ScoreRange
from .exceptions import BonemetsError
from .explanation import cite
from .knowledge import knowledge
from .labels import fact_words, field_name
from .output import Outputs
from .views import (
    ALERT_COLOURS,
    ALERT_LABELS,
    SCORES_INTRO,
    SHOWN_STATUSES,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_MARKS,
    TEST_PURPOSES,
    TOP_QUESTIONS,
    URGENCY_COLOURS,
    URGENCY_LABELS,
    by_family,
    fact_text,
    ink,
    item_name,
    pending_by_text,
    pending_text,
    question_text,
    reason_lines,
    score_points_text,
    score_text,
    teaching_case_of,
    tests_by_purpose,
)

if TYPE_CHECKING:  # pragma: no cover
    from .knowledge import KnowledgeBase

__all__ = ["citations", "report_html", "write_report"]

_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); max-width: 960px; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { font-size: 1.25rem; margin: 1.6rem 0 .5rem;
     border-bottom: 2px solid var(--line); padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
.disclaimer { border: 2px solid #D55E00; background: #fff6ef; padding: .6rem .9rem; border-radius: 6px;
              font-weight: 600; }
.meta, .muted { color: var(--muted); font-size: .9rem; }
.story { font-size: 1.02rem; }
ul.facts { columns: 2 18rem; column-gap: 2rem; margin: .2rem 0; padding-left: 1.1rem; font-size: .93rem; }
ul.facts li { break-inside: avoid; }
.card { border: 1px solid var(--line); border-left: 8px solid #999; border-radius: 6px; padding: .5rem .8rem;
        margin: .5rem 0; break-inside: avoid; page-break-inside: avoid; }
.card h4 { margin: 0 0 .25rem; font-size: 1rem; }
.card ul { margin: .2rem 0 .2rem 1.1rem; padding: 0; }
.family { margin: .8rem 0; } .family > h3 { margin-bottom: .2rem; }
.family .card { margin-left: 1.2rem; }
.badge { display: inline-block; font-size: .78rem; font-weight: 600; padding: .05rem .45rem; border-radius: 999px;
         border: 1px solid #888; margin-left: .35rem; vertical-align: middle; background: #fff; }
.open-alert { border-left: 6px solid #BBBBBB; padding: .2rem .6rem; margin: .3rem 0; }
.pending { font-size: .93rem; }
.advice { font-size: .93rem; } .advice li { margin-bottom: .3rem; break-inside: avoid; }
.refs { font-size: .88rem; } .refs li { margin-bottom: .35rem; } .cite { font-size: .8rem; color: var(--muted); }
.figure { margin: .8rem 0; break-inside: avoid; page-break-inside: avoid; }
.figure svg { max-width: 100%; height: auto; }
a { color: #0b5cad; }
@page { size: A4; margin: 15mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .refs a::after { content: " (" attr(href) ")"; font-size: .8em; word-break: break-all; }
  .refs a { text-decoration: none; color: inherit; }
  .card, .family > h3 { break-inside: avoid; }
}
""" + "".join(  # the urgency and alert badges in the colours of bonemets.views
    f".badge.{name} {{ background: {colour}; color: {ink(colour)}; border-color: {colour}; }}\n"
    for name, colour in (*((u, URGENCY_COLOURS[u]) for u in ("emergency", "soon")),
                         *((level, ALERT_COLOURS[level]) for level in ("critical", "warning", "info"))))


def citations(assessment: Assessment) -> list[Citation]:
    """Every distinct citation of an assessment, alerts first, in order of first appearance."""
    seen: dict[Citation, None] = {}
    parts: tuple[Alert | Recommendation | ScoreRange, ...] = (*assessment.alerts, *assessment.recommendations,
                                                              *assessment.scores)
    for part in parts:
        for c in part.sources:
            seen.setdefault(c, None)
    return list(seen)


def _numbers(cited: list[Citation]) -> dict[str, int]:
    """One number per source (a source cited in several sections is one reference)."""
    numbers: dict[str, int] = {}
    for c in cited:
        numbers.setdefault(c.source, len(numbers) + 1)
    return numbers


def _refs(sources: tuple[Citation, ...], numbers: dict[str, int]) -> str:
    used = sorted({numbers[c.source] for c in sources})
    if not used:
        return ""
    return "<div class='cite'>Sources: " + ", ".join(f"<a href='#ref-{n}'>[{n}]</a>" for n in used) + "</div>"


def _list(lines: list[str], cls: str = "") -> str:
    if not lines:
        return ""
    return f"<ul{f' class={cls!r}' if cls else ''}>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>"


def _badge(status: str) -> str:
    return f"<span class='badge'>{escape(STATUS_LABELS[status])}</span>"


def _urgency(r: Recommendation) -> str:
    if r.urgency == "routine":
        return ""
    return f"<span class='badge {escape(r.urgency)}'>{escape(URGENCY_LABELS[r.urgency].upper())}</span>"


def _alert(alert: Alert, numbers: dict[str, int], kb: KnowledgeBase | None) -> str:
    return (f"<div class='card alert' style='border-left-color:{ALERT_COLOURS[alert.level]}'>"
            f"<h4>{escape(alert.name)}<span class='badge {escape(alert.level)}'>"
            f"{escape(ALERT_LABELS[alert.level].upper())}</span></h4><p>{escape(alert.summary)}</p>"
            f"<strong>Actions</strong>{_list(list(alert.actions))}"
            f"<strong>Why</strong>{_list(reason_lines(alert, kb))}{_refs(alert.sources, numbers)}</div>")


def _act_now(a: Assessment, numbers: dict[str, int]) -> str:
    cards = "".join(_alert(x, numbers, a.knowledge) for x in a.alerts)
    # An emergency not ruled out is a question (contract §6): one line here, the questions under Ask next,
    # as the explorer says it.
    open_ = [item_name(a.knowledge, i) for i, state in a.alert_states.items() if state == "undetermined"]
    line = (f"<p class='open-alert'><strong>Not ruled out</strong> (see Ask next): {escape(', '.join(open_))}.</p>"
            if open_ else "")
    if not cards and not line:
        cards = "<p>No emergency or warning is raised, and none is left open.</p>"
    return f"<h2 id='alerts'>Act now</h2>{cards}{line}"


def _ask_next(a: Assessment) -> str:
    if a.questions:
        items = "".join(f"<li>{escape(question_text(q, a.knowledge))}</li>" for q in a.questions[:TOP_QUESTIONS])
        more = len(a.questions) - TOP_QUESTIONS
        asked = f"<ol class='questions'>{items}</ol>" + (f"<p class='muted'>{more} more questions in the "
                                                        "assessment.</p>" if more > 0 else "")
    else:
        asked = "<p>Nothing unknown would change the answer.</p>"
    pending = "".join(f"<li>{escape(text)} &mdash; for {escape(', '.join(names))}</li>"
                      for text, names in pending_by_text(a.recommendations, a.knowledge).items())
    return (f"<h2 id='questions'>Ask next</h2>{asked}"
            + (f"<h3>Pending safety checks</h3><ul class='pending'>{pending}</ul>" if pending else ""))


def _facts(a: Assessment) -> str:
    known = a.case.known()
    implied = {f.field: f for f in a.implied}
    unknown = [field_name(f) for f in type(a.case).model_fields
               if f not in known and (f not in implied or not implied[f].known)]
    return ("<h2 id='factors'>What is known</h2>"
            + _list([fact_words(k, v) for k, v in known.items()]
                    + [fact_text(f, a.knowledge) for f in implied.values()], "facts")
            + (f"<p class='muted'>Not known ({len(unknown)}): {escape(', '.join(unknown))}. An unknown fact is never "
               "read as &ldquo;no&rdquo;: where a decision hangs on one, the item is undetermined and the "
               "questions above say what to ask.</p>" if unknown else ""))


def _scores(a: Assessment, numbers: dict[str, int]) -> str:
    if not a.scores:
        return ""
    items = "".join(f"<li>{escape(score_text(s))} <span class='muted'>{escape(score_points_text(s))}</span>"
                    f"{_refs(s.sources, numbers)}</li>" for s in a.scores)
    return f"<h2 id='scores'>Scores</h2><p class='muted'>{SCORES_INTRO}</p><ul class='scores'>{items}</ul>"


def _card(r: Recommendation, numbers: dict[str, int], kb: KnowledgeBase | None) -> str:
    pending = _list(["Pending: " + pending_text(p, kb) for p in r.pending], "pending")
    return (f"<div class='card' style='border-left-color:{STATUS_COLOURS[r.status]}'>"
            f"<h4>{escape(STATUS_MARKS[r.status])} {escape(r.name)}{_badge(r.status)}{_urgency(r)}</h4>"
            f"{pending}{_list(reason_lines(r, kb))}{_refs(r.sources, numbers)}</div>")


def _idle(names: list[str], what: str) -> str:
    return f"<p class='muted'>{escape(what)}: {escape(', '.join(names))}.</p>" if names else ""


def _treatments(a: Assessment, numbers: dict[str, int]) -> str:
    kb = a.knowledge
    parts, idle = [], []
    for family, options in by_family(a):
        if family.status not in SHOWN_STATUSES:
            idle.append(family.name)
            continue
        shown = [o for o in options if o.status in SHOWN_STATUSES]
        body = ("".join(_card(o, numbers, kb) for o in shown) if options else
                f"{_list(reason_lines(family, kb))}{_refs(family.sources, numbers)}")
        parts.append(f"<section class='family'><h3 style='border-left:6px solid {STATUS_COLOURS[family.status]};"
                     f"padding-left:.4rem'>{escape(STATUS_MARKS[family.status])} {escape(family.name)}"
                     f"{_badge(family.status)}{_urgency(family)}</h3>{body}"
                     f"{_idle([o.name for o in options if o not in shown], 'Not indicated in this family')}</section>")
    return ("<h2 id='items'>Treatments by family</h2>" + "".join(parts)
            + _idle(idle, "Not indicated for this case"))


def _tests(a: Assessment, numbers: dict[str, int]) -> str:
    parts = []
    for purpose, tests in tests_by_purpose(a).items():
        shown = [t for t in tests if t.status in SHOWN_STATUSES]
        if tests:
            parts.append(f"<h3>{escape(TEST_PURPOSES[purpose])}</h3>"
                         + "".join(_card(t, numbers, a.knowledge) for t in shown)
                         + _idle([t.name for t in tests if t not in shown], "Not indicated"))
    return "<h2 id='tests'>Tests by purpose</h2>" + "".join(parts)


def _advice(a: Assessment, numbers: dict[str, int]) -> str:
    """The patient advice that applies, when-to-contact-the-team advice first, each with its sources."""
    kb = a.knowledge or knowledge()
    advice = sorted(advice_for(a, kb), key=lambda x: x.level != "warning")
    if not advice:
        return ""
    items = "".join(
        f"<li><strong>{escape(x.title)}</strong>{' (when to contact the team)' if x.level == 'warning' else ''}. "
        f"{escape(x.text)}{_refs(cite(kb, x.sources), numbers)}</li>" for x in advice)
    return ("<h2 id='advice'>Advice to talk over</h2><p class='muted'>What the source texts tell the person "
            f"with this kind of case, in their words.</p><ul class='advice'>{items}</ul>")


_XML_HEAD = re.compile(r"^<\?xml[^>]*>\s*")


def _figures(a: Assessment) -> str:
    from .figures import decision_sankey, schedule_timeline, skeleton_map
    from .figures._common import svg_image

    parts = []
    for heading, make in (("Where the disease is", skeleton_map), ("How the assessment was reached", decision_sankey),
                          ("Schedules and time to benefit", schedule_timeline)):
        svg = svg_image(make(a))
        body = (_XML_HEAD.sub("", svg) if svg is not None else
                "<p class='muted'>Not drawn here: static figures need a browser (Chromium) on this machine.</p>")
        parts.append(f"<h3>{escape(heading)}</h3><div class='figure'>{body}</div>")
    return "<h2 id='figures'>Figures</h2>" + "".join(parts)


def _reference(source: str, cited: list[Citation], n: int) -> str:
    c = cited[0]
    sections = "; ".join(f"&ldquo;{escape(x.section)}&rdquo;" for x in dict.fromkeys(cited))
    excerpts = "".join(f" <span class='excerpt'>&ldquo;{escape(x.excerpt)}&rdquo;</span>"
                       for x in cited if x.excerpt)
    url = f" <a href='{escape(c.url, quote=True)}'>{escape(c.url)}</a>" if c.url else ""
    return f"<li id='ref-{n}'>{escape(c.label)}. Sections: {sections}.{excerpts}{url}</li>"


def report_html(a: Assessment, title: str | None = None, figures: bool = True) -> str:
    """The handout of one assessment as one self-contained HTML page.

    Parameters
    ----------
    a : Assessment
        From :func:`bonemets.assess`.
    title : str, optional
        Default: the teaching case's title for a teaching case, else "Bone metastases:
        educational assessment".
    figures : bool
        Draw the skeleton map, the decision diagram and the schedules as static SVG (needs a
        Chromium for kaleido; without one each figure is a line saying so).

    Returns
    -------
    str
        A complete HTML document with no script and no external asset, so it opens offline.
    """
    tc = teaching_case_of(a.case)
    title = title or (tc.title if tc is not None else "Bone metastases: educational assessment")
    kb = a.knowledge or knowledge()
    cited = list(dict.fromkeys(citations(a) + [c for x in advice_for(a, kb) for c in cite(kb, x.sources)]))
    numbers = _numbers(cited)
    by_source: dict[str, list[Citation]] = {}
    for c in cited:
        by_source.setdefault(c.source, []).append(c)
    story = ""
    if tc is not None:
        story = (f"<h2 id='story'>The story</h2><p class='story'>{escape(tc.narrative)}</p>"
                 + (f"<h3>Teaching points</h3>{_list(list(tc.teaching_points))}" if tc.teaching_points else "")
                 + (f"<h3>Questions for the class</h3><ol>{''.join(f'<li>{escape(q)}</li>' for q in tc.questions)}</ol>"
                    if tc.questions else ""))
    disclaimer = f"<p class='disclaimer' role='note'>{escape(a.disclaimer)}</p>"
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>{disclaimer}"
        f"<p class='meta'>bonemets knowledge version {escape(a.knowledge_version)}. Every statement below "
        "cites its source; check them before relying on any of it.</p></header><main>"
        f"{story}{_act_now(a, numbers)}{_ask_next(a)}{_facts(a)}{_treatments(a, numbers)}{_tests(a, numbers)}"
        f"{_scores(a, numbers)}{_advice(a, numbers)}"
        f"{_figures(a) if figures else ''}"
        f"<h2 id='references'>References ({len(numbers)})</h2><ol class='refs'>"
        + "".join(_reference(s, by_source[s], n) for s, n in numbers.items())
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
