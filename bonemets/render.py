"""The plain-text report of an assessment: alerts first, the questions to ask next, then tests and
treatments by status, with their pending checks."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from .views import ALERT_LABELS, STATUS_HEADINGS, TOP_QUESTIONS, URGENCY_LABELS, pending_text, question_text
from .vocabulary import STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from .assessment import Assessment, Citation, Recommendation
    from .knowledge import KnowledgeBase

_WIDTH = 100


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _sources(citations: tuple[Citation, ...], indent: str) -> list[str]:
    """One line per source, its cited sections together."""
    grouped: dict[str, list[str]] = {}
    for c in citations:
        grouped.setdefault(c.label + (f" {c.url}" if c.url else ""), []).append(c.section)
    return [line for label, sections in grouped.items()
            for line in _wrap(f"source: {label}: " + "; ".join(f"\u201c{s}\u201d" for s in sections), indent)]


def _value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _item(r: Recommendation, detail: bool, kb: KnowledgeBase | None) -> list[str]:
    urgency = f"  [{URGENCY_LABELS[r.urgency].upper()}]" if r.urgency != "routine" else ""
    lines = [f"  - {r.name} ({r.id}){urgency}"]
    for p in r.pending:
        lines += _wrap("pending: " + pending_text(p, kb), "      ")
    if detail:
        for note in r.notes:
            lines += _wrap("note: " + note, "      ")
        for reason in r.reasons:
            lines += _wrap("why: " + reason.line(), "      ")
        lines += _sources(r.sources, "      ")
    return lines


def text_report(a: Assessment, detail_not_indicated: bool = False) -> str:
    """The report :command:`bonemets assess` prints.

    Parameters
    ----------
    a : Assessment
    detail_not_indicated : bool
        Also give reasons and sources for items that are not indicated (by default they are
        listed by name only, to keep the report short).
    """
    lines = [f"bonemets assessment (knowledge {a.knowledge_version})", "=" * 40]
    lines += _wrap(a.disclaimer, "")
    known = ", ".join(f"{k}={_value(v)}" for k, v in a.case.known().items())
    lines += [""] + _wrap("Case: " + (known or "(nothing known)"), "")
    lines += ["", "ALERTS"]
    if not a.alerts:
        lines.append("  none raised")
    for x in a.alerts:
        lines.append(f"  !! {ALERT_LABELS[x.level].upper()}: {x.name}: {x.summary}")
        lines += [line for act in x.actions for line in _wrap("action: " + act, "      ")]
        lines += [line for r in x.reasons for line in _wrap("why: " + r.line(), "      ")]
        lines += _sources(x.sources, "      ")
    lines += ["", "ASK NEXT"]
    if not a.questions:
        lines.append("  nothing unknown would change the answer")
    for q in a.questions[:TOP_QUESTIONS]:
        lines += _wrap(("!? " if q.critical else "?  ") + question_text(q, a.knowledge), "  ")
    if len(a.questions) > TOP_QUESTIONS:
        lines.append(f"  ({len(a.questions) - TOP_QUESTIONS} more questions in Assessment.questions)")
    for kind, title in (("test", "TESTS"), (None, "TREATMENTS")):
        lines += ["", title]
        groups = a.by_status()
        for status in STATUSES:
            chosen = [r for r in groups[status] if (r.kind == "test") == (kind == "test")]
            if not chosen:
                continue
            lines.append(f" {STATUS_HEADINGS[status]} ({len(chosen)})")
            detail = status != "not_indicated" or detail_not_indicated
            for r in chosen:
                lines += _item(r, detail, a.knowledge)
    lines += ["", a.disclaimer]
    return "\n".join(lines)
