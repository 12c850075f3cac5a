"""The plain-text report of an assessment, in the order a class reads it: the disclaimer, the
teaching case's title, **Act now** (raised alerts), **Ask next** (the top questions), treatments by
family (the family's status as the headline, its options inside), tests by purpose, with pending
checks on their item. Facts and reasons are said in words (:mod:`bonemets.views`).

By default it fits about a screen and a half: a family's options and reasons are summed up, and
not-indicated items are named only. ``full=True`` gives every reason, the unknown facts each item
hangs on, sources, notes, the known facts, every question and the scores (``Assessment.scores``).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from .labels import fact_words
from .views import (
    ALERT_LABELS,
    SCORES_INTRO,
    SHOWN_STATUSES,
    STATUS_LABELS,
    STATUS_MARKS,
    STATUS_ORDER,
    TEST_PURPOSES,
    TOP_QUESTIONS,
    URGENCY_LABELS,
    by_family,
    fact_text,
    pending_by_text,
    question_text,
    reason_lines,
    score_points_text,
    score_text,
    teaching_case_of,
    tests_by_purpose,
)

if TYPE_CHECKING:  # pragma: no cover
    from .assessment import Alert, Assessment, Citation, Recommendation
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


def _badge(r: Recommendation) -> str:
    urgency = f", {URGENCY_LABELS[r.urgency].upper()}" if r.urgency != "routine" else ""
    return f"{STATUS_MARKS[r.status]} {r.name} ({STATUS_LABELS[r.status]}{urgency})"


def _summary(items: list[Recommendation]) -> str:
    """Items grouped by status on one line: ``recommended: A, B (EMERGENCY); consider: C``."""
    groups: dict[str, list[str]] = {}
    for r in items:
        urgency = f" ({URGENCY_LABELS[r.urgency].upper()})" if r.urgency != "routine" else ""
        groups.setdefault(r.status, []).append(r.name + urgency)
    return "; ".join(f"{STATUS_LABELS[s]}: {', '.join(groups[s])}" for s in STATUS_ORDER if s in groups)


def _detail(r: Recommendation, kb: KnowledgeBase | None, indent: str) -> list[str]:
    """Notes, reasons (the unknown facts once) and sources of one item."""
    lines = [line for note in r.notes for line in _wrap("note: " + note, indent)]
    lines += [line for text in reason_lines(r, kb) for line in _wrap("why: " + text, indent)]
    return lines + _sources(r.sources, indent)


def _pending(items: list[Recommendation], kb: KnowledgeBase | None, indent: str, named: bool = False) -> list[str]:
    """The pending checks of some items, each check once, with the items it is for where it is not
    for all of them (``named``: always, where items of different families share a line, as tests do),
    the checks pending for the same items on one line:
    ``pending for Intravenous bisphosphonate: Kidney function (creatinine) (withheld if ...); ...``."""
    shown = {r.name for r in items if r.status in SHOWN_STATUSES}
    by_whom: dict[str, list[str]] = {}  # the checks pending for the same items share one line
    for text, names in pending_by_text(items, kb, lead="").items():  # "pending" says "before starting"
        by_whom.setdefault(f" for {', '.join(names)}" if named or set(names) != shown else "", []).append(text)
    return [line for whom, texts in by_whom.items() for line in _wrap(f"pending{whom}: {'; '.join(texts)}", indent)]


def _alerts(alerts: tuple[Alert, ...], kb: KnowledgeBase | None, full: bool) -> list[str]:
    lines = ["", "ACT NOW"]
    if not alerts:
        lines.append("  no emergency or warning raised")
    for x in alerts:
        lines += _wrap(f"!! {ALERT_LABELS[x.level].upper()}: {x.name}: {x.summary}", "  ")
        lines += [line for act in x.actions for line in _wrap("- " + act, "     ")]
        whys = reason_lines(x, kb)
        lines += [line for text in (whys if full else whys[:1]) for line in _wrap("why: " + text, "     ")]
        if full:
            lines += _sources(x.sources, "     ")
    return lines


def _questions(a: Assessment, full: bool) -> list[str]:
    lines = ["", "ASK NEXT"]
    if not a.questions:
        lines.append("  nothing unknown would change the answer")
    shown = a.questions if full else a.questions[:TOP_QUESTIONS]
    for n, q in enumerate(shown, start=1):
        lines += _wrap(f"{n}. {question_text(q, a.knowledge)}", "  ")
    if len(a.questions) > len(shown):
        lines.append(f"  ... and {len(a.questions) - len(shown)} more (--full lists them)")
    return lines


def _treatments(a: Assessment, full: bool) -> list[str]:
    kb = a.knowledge
    lines = ["", "TREATMENTS (by family)"]
    idle = []
    for family, options in by_family(a):
        if family.status == "not_indicated" and not full:
            idle.append(family.name)
            continue
        lines += _wrap(_badge(family), "  ")
        if full:
            lines += _detail(family, kb, "      ")
            for o in options:
                lines += _wrap(_badge(o), "    ") + _detail(o, kb, "        ") + _pending([o], kb, "        ")
            continue
        shown = [o for o in options if o.status in SHOWN_STATUSES]
        if shown:
            lines += _wrap(_summary(shown), "      ")
        lines += _pending(shown or [family], kb, "      ")
    if idle:
        lines += _wrap("Not indicated: " + ", ".join(idle) + ".", "  ")
    return lines


def _tests(a: Assessment, full: bool) -> list[str]:
    kb = a.knowledge
    lines = ["", "TESTS (by purpose)"]
    for purpose, tests in tests_by_purpose(a).items():
        if not tests:
            continue
        shown = tests if full else [t for t in tests if t.status in SHOWN_STATUSES]
        idle = f" ({len(tests) - len(shown)} more not indicated)" if len(tests) > len(shown) else ""
        lines.append(f"  {TEST_PURPOSES[purpose]}{idle}")
        if full:
            for t in shown:
                lines += _wrap(_badge(t), "    ") + _detail(t, kb, "        ") + _pending([t], kb, "        ")
        elif shown:
            lines += _wrap(_summary(shown), "    ") + _pending(shown, kb, "    ", named=True)
    return lines


def _scores(a: Assessment) -> list[str]:
    """The scores, for the full report (the short one names them in its first line)."""
    if not a.scores:
        return []
    lines = ["", "SCORES", *_wrap(SCORES_INTRO, "  ")]
    for score in a.scores:
        lines += _wrap(score_text(score), "  ")
        lines += _wrap(score_points_text(score), "      ") + _sources(score.sources, "      ")
    return lines


def text_report(a: Assessment, full: bool = False) -> str:
    """The report :command:`bonemets assess` prints.

    Parameters
    ----------
    a : Assessment
    full : bool
        Everything: the known and unknown facts, every question, and for every item its reasons,
        the unknown facts it hangs on, notes and sources. By default the report is about a screen
        and a half: statuses, actions, questions and pending checks, reasons for alerts only.
    """
    lines = [a.disclaimer]
    tc = teaching_case_of(a.case)
    if tc is not None:
        lines += ["", f"Teaching case: {tc.title}"]
    known = a.case.known()
    lines.append(f"bonemets knowledge {a.knowledge_version}; {len(known)} facts known"
                 + ("" if full else f" (--full lists them, every reason{' and the scores' if a.scores else ''})"))
    if full:
        lines += _wrap("Known: " + "; ".join(fact_words(k, v) for k, v in known.items()) + ".", "  ")
        if a.implied:
            lines += _wrap("Implied: " + "; ".join(fact_text(f, a.knowledge) for f in a.implied) + ".", "  ")
        if tc is not None:
            lines += [""] + _wrap(tc.narrative, "  ")
    lines += _alerts(a.alerts, a.knowledge, full) + _questions(a, full) + _treatments(a, full) + _tests(a, full)
    lines += _scores(a) if full else []
    lines += ["", a.disclaimer] if full else []
    return "\n".join(lines)
