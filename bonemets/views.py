"""How statuses, alert levels and urgency look to a reader: words, headings, colours and marks.

Defined once here and used by every renderer: the text report (:mod:`bonemets.render`), the CDS
Hooks cards (:mod:`bonemets.cards`), the HTML handout (:mod:`bonemets.report`), the explorer
(:mod:`bonemets.explorer`) and the figures (:mod:`bonemets.figures`). The ids themselves (the
keys) are the contract's vocabularies in :mod:`bonemets.vocabulary`; each mapping here has one
entry per id, in the same order.

Colours are the Okabe–Ito palette, distinguishable with the common colour-vision deficiencies;
colour is never the only cue (a label, a heading or a mark goes with it).

>>> from bonemets.views import STATUS_LABELS, STATUS_HEADINGS, ALERT_LABELS
>>> STATUS_LABELS["not_indicated"], STATUS_HEADINGS["undetermined"], ALERT_LABELS["undetermined"]
('not indicated', 'Undetermined: hangs on an unknown factor', 'not ruled out')
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Literal

from .condition_words import fields_of, word_list
from .datafiles import data_dir, load_model
from .derived import DERIVED
from .labels import bounds_text, fact_words, field_name

if TYPE_CHECKING:  # pragma: no cover
    from .assessment import Alert, Assessment, Fact, PendingCheck, Question, Reason, Recommendation, ScoreRange
    from .case import Case
    from .cases import TeachingCase
    from .knowledge import KnowledgeBase

#: A status in words (lower case, for badges, legends and sentences).
STATUS_LABELS: dict[str, str] = {
    "recommended": "recommended",
    "consider": "consider",
    "undetermined": "undetermined",
    "not_indicated": "not indicated",
    "avoid": "avoid",
}

#: The heading of a group of items with one status (reports, handout, explorer cards).
STATUS_HEADINGS: dict[str, str] = {
    "recommended": "Recommended",
    "consider": "Consider",
    "undetermined": "Undetermined: hangs on an unknown factor",
    "not_indicated": "Not indicated",
    "avoid": "Avoid",
}

#: One colour per status (Okabe–Ito).
STATUS_COLOURS: dict[str, str] = {
    "recommended": "#009E73",    # bluish green
    "consider": "#56B4E9",       # sky blue
    "undetermined": "#F0E442",   # yellow: hangs on an unknown factor
    "not_indicated": "#BBBBBB",  # grey
    "avoid": "#D55E00",          # vermillion
}

#: A short mark per status, for cells too small for words.
STATUS_MARKS: dict[str, str] = {
    "recommended": "+", "consider": "~", "undetermined": "?", "not_indicated": "\u00b7", "avoid": "\u00d7",
}

#: An alert state in words (the states of :data:`bonemets.ALERT_STATES`).
ALERT_LABELS: dict[str, str] = {
    "critical": "critical",
    "warning": "warning",
    "info": "info",
    "undetermined": "not ruled out",
    "not_raised": "not raised",
}

#: One colour per alert state (Okabe–Ito).
ALERT_COLOURS: dict[str, str] = {
    "critical": "#D55E00",      # vermillion
    "warning": "#E69F00",       # orange
    "info": "#56B4E9",          # sky blue
    "undetermined": "#BBBBBB",  # grey: not ruled out, a factor is unknown
    "not_raised": "#009E73",    # bluish green
}

#: An urgency in words (the urgencies of :data:`bonemets.URGENCIES`).
URGENCY_LABELS: dict[str, str] = {"routine": "routine", "soon": "soon", "emergency": "emergency"}

#: One colour per urgency (Okabe–Ito; routine is not highlighted).
URGENCY_COLOURS: dict[str, str] = {"routine": "#BBBBBB", "soon": "#E69F00", "emergency": "#D55E00"}


def ink(colour: str) -> str:
    """Near-black or white, whichever reads better on a ``#rrggbb`` background.

    >>> ink(STATUS_COLOURS["undetermined"]), ink("#000000")
    ('#1f2328', '#fff')
    """
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#1f2328" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def rgba(colour: str, alpha: float) -> str:
    """A ``#rrggbb`` colour with an opacity, as CSS and plotly read it.

    >>> rgba("#D55E00", 0.5)
    'rgba(213, 94, 0, 0.5)'
    """
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


#: How many questions a surface shows first (all are in ``Assessment.questions``).
TOP_QUESTIONS = 5

#: The statuses a surface shows as an item of its own; ``not_indicated`` items are named in one line.
SHOWN_STATUSES = ("recommended", "consider", "undetermined", "avoid")


def item_name(kb: KnowledgeBase | None, item_id: str) -> str:
    """The name of an item or alert, as a reader says it."""
    if kb is None:
        return item_id
    entry = kb.items().get(item_id) or kb.alerts.get(item_id)
    return entry.name if entry is not None else item_id


def _names(kb: KnowledgeBase | None, ids: tuple[str, ...], most: int = 4) -> str:
    names = [item_name(kb, i) for i in ids]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def question_text(q: Question, kb: KnowledgeBase | None) -> str:
    """A question with what its answer would decide and what settles it, in one line.

    Example: ``Is there weakness, numbness, tingling or difficulty walking? Could raise a critical
    alert: Spinal cord compression. Some answers decide: Steroids, ...``
    """
    parts = [q.text]
    if q.critical:
        parts.append(f"Could raise a critical alert: {_names(kb, q.critical_alerts)}." if q.critical_alerts
                     else "Could raise a critical alert.")
    if q.warnings:
        parts.append(f"Could raise a warning: {_names(kb, q.warnings)}.")
    named = {*q.critical_alerts, *q.warnings}  # said once, as what it could raise
    settles = tuple(i for i in q.settles if i not in named)
    could_decide = tuple(i for i in q.could_decide if i not in named)
    if settles:
        parts.append(f"Decides: {_names(kb, settles)}.")
    if could_decide:
        parts.append(f"Some answers decide: {_names(kb, could_decide)}.")
    if q.could_raise:
        parts.append(f"Some answers make recommended: {_names(kb, q.could_raise)}.")
    if q.checks:
        checks = _distinct_checks([_check_words(kb, c) for c in q.checks])
        parts.append(f"Settles the safety check{'s' * (len(checks) > 1)}: {'; '.join(checks)}.")
    if q.settled_by:
        parts.append(f"Settled by: {_names(kb, q.settled_by)}.")
    return " ".join(parts)


def _distinct_checks(words: list[str]) -> list[str]:
    """Safety checks in words, each said once: two items' checks can read alike, or differ only by a
    closing remark in brackets (``symptoms of a blood clot (anticoagulation about to start)`` and
    ``symptoms of a blood clot``), and are then said once without it."""
    def bare(w: str) -> str:
        return w.split(" (")[0] if w.endswith(")") else w

    stems = [bare(w) for w in words]
    return list(dict.fromkeys(stem if stems.count(stem) > 1 else w for w, stem in zip(words, stems, strict=True)))


def _check_words(kb: KnowledgeBase | None, rule_id: str) -> str:
    """What a safety check rules out, in words (its rule's condition)."""
    try:
        condition = kb.rule(rule_id).rule.title.split(" -> ")[0] if kb is not None else rule_id
    except KeyError:
        return rule_id
    return condition[0].lower() + condition[1:]


def pending_text(p: PendingCheck, kb: KnowledgeBase | None, lead: str = "Before starting: ") -> str:
    """A pending safety check in words: the test before starting, what it would rule out, and the
    unknown facts it waits on.

    Example: ``Before starting: Kidney function (withheld if creatinine clearance under 30 mL/min;
    unknown: age)`` (``lead=""`` leaves out "Before starting: ", where the line already says it).
    """
    condition = p.text.split(" -> ")[0]
    fields = list(dict.fromkeys(f.field for f in p.facts))
    unknown = ", ".join(field_name(f) for f in fields)
    waits = f"; unknown: {unknown}" if unknown and not _names_all(p.rule, fields, kb) else ""
    return f"{lead}{item_name(kb, p.test)} (withheld if {condition[0].lower()}{condition[1:]}{waits})"


def pending_by_text(items: Iterable[Recommendation], kb: KnowledgeBase | None,
                    lead: str = "Before starting: ") -> dict[str, list[str]]:
    """The pending checks of the items shown (:data:`SHOWN_STATUSES`), each in words once
    (:func:`pending_text`), with the names of the items it is pending on, in order."""
    out: dict[str, list[str]] = {}
    for r in items:
        if r.status in SHOWN_STATUSES:
            for p in r.pending:
                names = out.setdefault(pending_text(p, kb, lead), [])
                if r.name not in names:
                    names.append(r.name)
    return out


def _names_all(rule_id: str, fields: list[str], kb: KnowledgeBase | None) -> bool:
    """Whether a check reads one case field, the one it waits on, so that its title names it
    ("platelets below 50 x10^9/L" needs no "unknown: platelets"). A check on a derived number or on
    several fields names what it still waits on ("unknown: age")."""
    try:
        read = list(fields_of(kb.rule(rule_id).condition)) if kb is not None else []
    except KeyError:
        return False
    return len(read) == 1 and read == fields and read[0] not in DERIVED


def fact_text(fact: Fact, kb: KnowledgeBase | None, settle: bool = True) -> str:
    """A fact a reason rests on, in words with units.

    ``ER positive``; ``cannot become pregnant (follows: after the menopause a woman cannot become
    pregnant)``; ``whatever the albumin, corrected calcium is 3.2 to 4.1 mmol/L``; ``spinal lesion
    level unknown (settled by CT scan or MRI scan)`` (``settle=False`` leaves out the brackets).
    """
    follows = f" (follows: {fact.implied_by[0].lower()}{fact.implied_by[1:]})" if fact.implied_by else ""
    if fact.known:
        return fact_words(fact.field, fact.value) + follows
    if fact.bounds is not None:
        return bounds_text(fact.field, fact.bounds, fact.unknown_inputs) + follows
    if not settle:
        return f"{field_name(fact.field)} unknown"
    return f"{field_name(fact.field)} unknown ({_settle(kb, fact.settled_by)})"


def _settle(kb: KnowledgeBase | None, tests: tuple[str, ...]) -> str:
    """How an unknown fact is settled, in words."""
    if not tests:
        return "ask the patient or check the records"
    return f"settled by {word_list([item_name(kb, t) for t in tests])}"


_COULD_BE = {"consider": "considered", "avoid": "avoided"}


def reason_text(reason: Reason, kb: KnowledgeBase | None) -> str:
    """A reason in words, with the known facts it rests on in brackets (its unknown facts are said
    once per item by :func:`unknown_text`).

    Example: ``Suspected spinal cord compression needs an urgent MRI (weakness, numbness or
    difficulty walking; no problems controlling bladder or bowel)``.
    """
    known = [fact_text(f, kb) for f in reason.facts if f.known or f.bounds is not None]
    text = reason.text.rstrip()
    if reason.outcome == "unknown" and reason.gives in STATUS_LABELS:
        text = f"Could be {_COULD_BE.get(reason.gives, STATUS_LABELS[reason.gives])}: {text}"
    if not known:
        return text
    return f"{text.rstrip('.')} ({'; '.join(known)})."


def unknown_facts(reasons: tuple[Reason, ...]) -> list[Fact]:
    """The unknown facts of some reasons, each field once, in order of first mention."""
    seen: dict[str, Fact] = {}
    for r in reasons:
        for f in r.facts:
            if not f.known and f.bounds is None:
                seen.setdefault(f.field, f)
    return list(seen.values())


def unknown_text(reasons: tuple[Reason, ...], kb: KnowledgeBase | None, lead: str = "Unknown",
                 item: str | None = None) -> str | None:
    """The unknown facts some reasons hang on, once each, those settled the same way together:
    ``Unknown: spinal lesion level and vertebral collapse (settled by CT scan or MRI scan); spinal
    pain (settled by Physical examination).`` None when every fact is known. A fact that the
    ``item`` itself settles (a test) says so: ``broken bone (this test shows it)``."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for f in unknown_facts(reasons):
        groups.setdefault(f.settled_by, []).append(field_name(f.field))
    if not groups:
        return None
    parts = [f"{word_list(names, 'and')} ({'this test shows it' if item in tests else _settle(kb, tests)})"
             for tests, names in groups.items()]
    return f"{lead}: {'; '.join(parts)}."


def reason_lines(part: Recommendation | Alert, kb: KnowledgeBase | None) -> list[str]:
    """Every reason of an item or alert in words, then the unknown facts they hang on, once (for a
    test kept at consider: ``Could be recommended, depending on: ...``, what would raise it)."""
    decided = getattr(part, "status", "undetermined") != "undetermined"
    raising = [r.gives for r in part.reasons if decided and r.outcome == "unknown" and r.gives in STATUS_LABELS]
    could = _COULD_BE.get(raising[0], STATUS_LABELS[raising[0]].lower()) if raising else ""
    lead = f"Could be {could}, depending on" if raising else "Unknown"
    unknown = unknown_text(part.reasons, kb, lead, part.id)
    return [reason_text(r, kb) for r in part.reasons] + ([unknown] if unknown else [])


#: What a test is for, in the order surfaces list them (tests grouped by purpose).
TEST_PURPOSES: dict[str, str] = {
    "before": "Before starting a treatment",
    "diagnose": "To diagnose and stage",
    "monitor": "To monitor",
}


#: What the scores section says first (text report, handout, explorer).
SCORES_INTRO = "Computed from the case: a range where it leaves an item open."


def score_text(score: ScoreRange) -> str:
    """A score in one sentence or three: its value or range, what the bands it reaches mean, and
    its note (``Revised Tokuhashi score (2005): 9 to 11 points. Revised Tokuhashi 9–11: ...``)."""
    spans = [f"The range spans {len(score.bands)} bands; the case does not say which."] if len(score.bands) > 1 else []
    return " ".join([score.text() + ".", *spans, *score.bands, *([score.note] if score.note else [])])


def score_points_text(score: ScoreRange) -> str:
    """Its items' points, and the inputs the case leaves unknown, in words."""
    unknown = (f" Not known: {word_list([field_name(f) for f in score.unknown_inputs], 'and')}."
               if score.unknown_inputs else "")
    return f"Points: {score.parts_text()}.{unknown}"


def test_purpose(rec: Recommendation, kb: KnowledgeBase | None) -> str:
    """``before``, ``diagnose`` or ``monitor`` (a key of :data:`TEST_PURPOSES`) for a test.

    A test asked for because a treatment's safety check is pending, or that ``data/words/tests.yaml``
    lists as a check before a treatment, is ``before``; then the test's purpose in that file.
    """
    if any(r.outcome == "pending" for r in rec.reasons):
        return "before"
    return _purpose_table().get(rec.id, "diagnose")


@cache
def _purpose_table() -> dict[str, str]:
    """``data/words/tests.yaml``: each test id's purpose (a key of :data:`TEST_PURPOSES`)."""
    return load_model(data_dir() / "words" / "tests.yaml", dict[str, Literal["before", "diagnose", "monitor"]])


def by_family(a: Assessment) -> list[tuple[Recommendation, list[Recommendation]]]:
    """Each treatment family with its options, in reporting order (the family's status is the
    headline; its options are inside)."""
    options: dict[str, list[Recommendation]] = {}
    for r in a.recommendations:
        if r.kind == "option" and r.family is not None:
            options.setdefault(r.family, []).append(r)
    return [(r, options.get(r.id, [])) for r in a.recommendations if r.kind == "family"]


def tests_by_purpose(a: Assessment) -> dict[str, list[Recommendation]]:
    """The tests under each purpose of :data:`TEST_PURPOSES` (every purpose, in its order, perhaps
    empty), in reporting order."""
    groups: dict[str, list[Recommendation]] = {p: [] for p in TEST_PURPOSES}
    for r in a.recommendations:
        if r.kind == "test":
            groups[test_purpose(r, a.knowledge)].append(r)
    return groups


#: A status's place, most favourable first.
STATUS_ORDER: dict[str, int] = {s: i for i, s in enumerate(STATUS_LABELS)}


def teaching_case_of(case: Case) -> TeachingCase | None:
    """The teaching case whose known facts are exactly this case's, if there is one (its title,
    story, teaching points and questions go with the case on the text report and the handout)."""
    from .cases import teaching_library

    known = case.known()
    return next((t for t in teaching_library().values() if t.case.known() == known), None)
