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
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import yaml

from ..case import FIELDS, Case
from ..labels import field_label, value_text
from ..views import (
    ALERT_COLOURS,
    ALERT_LABELS,
    SCORES_INTRO,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_ORDER,
    TEST_PURPOSES,
    TOP_QUESTIONS,
    URGENCY_LABELS,
    by_family,
    ink,
    item_name,
    pending_text,
    question_text,
    reason_lines,
    score_points_text,
    score_text,
    tests_by_purpose,
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


# --------------------------------------------------------------------------- alerts


def alerts_html(a: Assessment) -> str:
    """**Act now** (the raised alerts, most severe first), then **Ask next** (the top questions).

    Each raised alert shows its summary and actions, with its reasons and sources one click away.
    With no alert raised, the line is green only when nothing is left open: an alert not ruled
    out or a pending safety check makes it a neutral line naming them. Each question says what
    its answer would decide (one that could raise a critical alert first).
    """
    parts = ['<div class="bm-alerts"><section class="bm-act-now" data-section="act-now">'
             '<h3 class="bm-section">Act now</h3>']
    parts += [_alert_html(x, a.knowledge) for x in a.alerts] or [_no_alert_html(a)]
    parts.append("</section>")
    if a.questions:
        items = "".join(f'<li data-question="{esc(q.field)}">{"<b>" if q.critical else ""}'
                        f'{esc(question_text(q, a.knowledge))}{"</b>" if q.critical else ""}</li>'
                        for q in a.questions[:TOP_QUESTIONS])
        more = len(a.questions) - TOP_QUESTIONS
        parts.append('<section class="bm-ask-next" data-section="ask-next"><h3 class="bm-section">Ask next</h3>'
                     f'<ol>{items}</ol>' + (f'<div class="bm-muted">and {more} more</div>' if more > 0 else "")
                     + "</section>")
    parts.append("</div>")
    return "".join(parts)


def _no_alert_html(a: Assessment) -> str:
    """The line in place of alerts: what is still open, or (only when nothing is) all clear."""
    open_alerts = [item_name(a.knowledge, i) for i, s in a.alert_states.items() if s == "undetermined"]
    pending = sum(len(r.pending) for r in a.recommendations if r.kind != "family")
    notes = ([f"not ruled out: {', '.join(open_alerts)} (see Ask next)"] if open_alerts else []) + (
        [f"{pending} safety check(s) pending before a treatment or test (shown on the items)"] if pending else [])
    if not notes:
        return ('<div class="bm-alert bm-alert-none" data-alert="none">'
                "No emergency or warning raised, and none left open, for this case.</div>")
    return ('<div class="bm-alert bm-alert-open" data-alert="open">No emergency or warning raised yet; '
            f'{esc("; ".join(notes))}.</div>')


def _alert_html(x: Alert, kb: KnowledgeBase | None) -> str:
    actions = "".join(f"<li>{esc(act)}</li>" for act in x.actions)
    return (f'<div class="bm-alert bm-alert-{esc(x.level)}" data-alert="{esc(x.id)}">'
            f'<div class="bm-alert-head">{alert_badge(x.level)} <b>{esc(x.name)}</b>: {esc(x.summary)}</div>'
            + (f'<ul class="bm-actions">{actions}</ul>' if actions else "")
            + why_html(reason_lines(x, kb), x.sources, short=False) + "</div>")


def short_reason(reasons: list[str]) -> str:
    """The one line a card shows: the unknown facts an item hangs on, else the first sentence of
    its first reason (at most about 160 characters)."""
    if not reasons:
        return ""
    line = next((r for r in reasons if r.startswith("Unknown:")), reasons[0])
    head, dot, _ = line.partition(". ")
    line = head + "." if dot else line
    return line if len(line) <= 160 else line[:159].rstrip() + "\u2026"


def why_html(reasons: list[str], citations: Iterable[Citation], short: bool = True) -> str:
    """The short reason in sight (``short``), every reason and the sources one click away."""
    cits = list(citations)
    if not reasons and not cits:
        return ""
    items = "".join(f"<li>{esc(r)}</li>" for r in reasons)
    refs = "".join(_citation_html(c) for c in cits)
    line = short_reason(reasons) if short else ""
    return ((f'<div class="bm-short">{esc(line)}</div>' if line else "")
            + f'<details class="bm-why"><summary>Why{f" and sources ({len(cits)})" if cits else ""}</summary>'
            + (f'<ul class="bm-reasons">{items}</ul>' if items else "")
            + (f'<ul class="bm-sources">{refs}</ul>' if refs else "") + "</details>")


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


def card_html(r: Recommendation, kb: KnowledgeBase | None = None) -> str:
    """One option or test as a card: status badge, name, urgency, pending checks, then the short
    reasons, with the sources one click away."""
    pending = "".join(f"<li>{esc(pending_text(p, kb))}</li>" for p in r.pending)
    return (_item_open(r, "bm-card") + _item_head(r)
            + (f'<ul class="bm-pending">{pending}</ul>' if pending else "")
            + why_html(reason_lines(r, kb), r.sources) + "</div>")


def _item_open(r: Recommendation, cls: str) -> str:
    return (f'<div class="{cls} bm-status-{esc(r.status)}" data-item="{esc(r.id)}" data-status="{esc(r.status)}" '
            f'style="border-left-color:{STATUS_COLOURS[r.status]}">')


def _item_head(r: Recommendation) -> str:
    urgency = (f' <span class="bm-urgency bm-urgency-{esc(r.urgency)}">{esc(URGENCY_LABELS[r.urgency])}</span>'
               if r.urgency != "routine" else "")
    return f'<div class="bm-card-head">{status_badge(r.status)}{urgency} <b>{esc(r.name)}</b></div>'


def _folded(items: list[Recommendation], what: str, draw: Callable[[Recommendation], str]) -> str:
    """Items that are not indicated, folded under one line (still in the page)."""
    if not items:
        return ""
    return (f'<details class="bm-group bm-group-not_indicated"><summary>{len(items)} {esc(what)} not indicated'
            f'</summary><div class="bm-grid">{"".join(draw(r) for r in items)}</div></details>')


def family_html(r: Recommendation, options: list[Recommendation], kb: KnowledgeBase | None = None) -> str:
    """A treatment family: its status as the headline, its own reasons (not the summary of its
    options), then its options (those not indicated folded away)."""
    own = tuple(x for x in r.reasons if x.outcome != "options")
    pending = "".join(f"<li>{esc(pending_text(p, kb))}</li>" for p in r.pending if not options)
    shown = [o for o in options if o.status != "not_indicated"]
    return (_item_open(r, "bm-family") + _item_head(r)
            + (f'<ul class="bm-pending">{pending}</ul>' if pending else "")
            + (why_html(reason_lines(replace(r, reasons=own), kb), r.sources) if own else "")
            + (f'<div class="bm-grid">{"".join(card_html(o, kb) for o in shown)}</div>' if shown else "")
            + _folded([o for o in options if o.status == "not_indicated"], "option(s)",
                      lambda o: card_html(o, kb))
            + "</div>")


def cards_html(a: Assessment) -> str:
    """Treatments by family (most favourable family first), then tests by purpose.

    Not-indicated families, options and tests are folded away under one line but still present,
    so an item (``data-item``, ``data-status``) can always be found.
    """
    kb, order = a.knowledge, STATUS_ORDER
    fams = sorted(by_family(a), key=lambda f: order[f[0].status])
    parts = ['<div class="bm-cards">', summary_html(a), '<h3 class="bm-section">Treatments by family</h3>']
    parts += [family_html(*f, kb) for f in fams if f[0].status != "not_indicated"]
    off = [f for f in fams if f[0].status == "not_indicated"]
    if off:
        parts.append(f'<details class="bm-group bm-group-not_indicated"><summary>{len(off)} famil'
                     f'{"y" if len(off) == 1 else "ies"} not indicated</summary>'
                     f'{"".join(family_html(*f, kb) for f in off)}</details>')
    parts.append('<h3 class="bm-section">Tests by purpose</h3>')
    for purpose, tests in tests_by_purpose(a).items():
        if not tests:
            continue
        shown = sorted((t for t in tests if t.status != "not_indicated"), key=lambda t: order[t.status])
        parts.append(f'<div class="bm-purpose" data-purpose="{esc(purpose)}"><h4>{esc(TEST_PURPOSES[purpose])}</h4>'
                     + (f'<div class="bm-grid">{"".join(card_html(t, kb) for t in shown)}</div>' if shown else "")
                     + _folded([t for t in tests if t.status == "not_indicated"], "test(s)",
                               lambda t: card_html(t, kb)) + "</div>")
    parts.append(scores_html(a) + "</div>")
    return "".join(parts)


def scores_html(a: Assessment) -> str:
    """The published scores of the case, each with its range, bands, points and sources."""
    if not a.scores:
        return ""
    items = "".join(f'<li class="bm-score" data-score="{esc(s.name)}">{esc(score_text(s))}'
                    f'{why_html([score_points_text(s)], s.sources, short=False)}</li>' for s in a.scores)
    return f'<h3 class="bm-section">Scores</h3><p class="bm-muted">{SCORES_INTRO}</p><ul class="bm-scores">{items}</ul>'


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
            + (f"<h4>Questions for the class</h4><ol>{questions}</ol>" if questions else "") + "</div>")


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
            f'<pre>{esc(text) or "{}  # nothing known"}</pre></div>')


# --------------------------------------------------------------------------- compare


def compare_html(cmp: Comparison, label_a: str = "A", label_b: str = "B") -> str:
    """Two cases side by side: the fields that differ first, the items and alerts whose status
    differs, then (folded) the fields known and the same in both."""
    ra, rb = cmp.a.case.engine_record(), cmp.b.case.engine_record()
    same = [k for k in FIELDS if k not in cmp.fields and ra.get(k) is not None]

    def rows(keys: Iterable[str], cls: str) -> str:
        return "".join(f'<tr class="{cls}" data-field="{esc(k)}"><th>{esc(field_label(k))}</th>'
                       f"<td>{esc(value_text(ra.get(k)))}</td><td>{esc(value_text(rb.get(k)))}</td></tr>"
                       for k in keys)

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
        f'<div><h4>Case factors that differ</h4><table class="bm-table bm-fields-differ">{head}'
        f'{rows(cmp.fields, "bm-diff") or "<tr><td colspan=3>none: the two cases are the same</td></tr>"}</table>'
        + (f'<details class="bm-group"><summary>{len(same)} factor(s) the same in both</summary>'
           f'<table class="bm-table bm-fields-same">{head}{rows(same, "")}</table></details>' if same else "")
        + f'</div><div><h4>Statuses that differ</h4><table class="bm-table">{head}'
        f'{status_rows or "<tr><td colspan=3>none: every item has the same status</td></tr>"}</table>'
        + (f'<h4>Alerts that differ</h4><table class="bm-table">{head}{alert_rows}</table>' if alert_rows else "")
        + "</div></div></div>")
