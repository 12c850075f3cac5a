"""What an assessment says: recommendations, alerts, reasons and citations, and their views."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .vocabulary import DISCLAIMER, STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from .case import Case
    from .knowledge import KnowledgeBase


@dataclass(frozen=True)
class Fact:
    """A case fact a reason rests on: a field and its value, or the tests that would settle it.

    Attributes
    ----------
    field : str
    value : object
        None when unknown.
    settled_by : tuple of str
        For an unknown field, the tests that would settle it.
    implied_by : str or None
        For a value implied by other facts (``implied.yaml``), the implication's title; for an
        unknown number, that of the implication that bounds it.
    bounds : tuple of (float, float) or None
        For a computed number with unknown inputs, the least and greatest value it can take; for
        an unknown number field that implied facts bound (``implied_by``), its range.
    unknown_inputs : tuple of str
        For such a number, the inputs that are unknown.
    """

    field: str
    value: Any
    settled_by: tuple[str, ...] = ()
    implied_by: str | None = None
    bounds: tuple[float, float] | None = None
    unknown_inputs: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.value is not None

    def text(self) -> str:
        """``er = positive``, ``her2 unknown (settle with: receptor_retest)``, or for a computed
        number known only within bounds ``whatever the albumin, corrected calcium is 3.2 to 4.1 mmol/L``."""
        implied = f" (implied: {self.implied_by})" if self.implied_by else ""
        if self.known:
            value = ", ".join(map(str, self.value)) if isinstance(self.value, list) else self.value
            if isinstance(value, bool):
                value = str(value).lower()
            return f"{self.field} = {value if value != '' else 'none'}{implied}"
        if self.bounds is not None:
            from .labels import bounds_text

            return bounds_text(self.field, self.bounds, self.unknown_inputs) + implied
        how = f"settle with: {', '.join(self.settled_by)}" if self.settled_by else "ask: clinical history"
        return f"{self.field} unknown ({how})"


@dataclass(frozen=True)
class PendingCheck:
    """A safety check still open on an item whose indication is decided (contract §6).

    Attributes
    ----------
    rule : str
        The check's rule id.
    test : str
        The test that settles it (recommended before starting).
    text : str
        What the check is, in words (the rule's title).
    facts : tuple of Fact
        The unknown facts it waits on.
    """

    rule: str
    test: str
    text: str
    facts: tuple[Fact, ...] = ()

    def line(self) -> str:
        """One line: the check and the test that settles it."""
        return f"Pending before starting, settled by {self.test}: {self.text}"


@dataclass(frozen=True)
class Question:
    """An unknown factor worth asking about (contract §6: ``Assessment.questions``).

    Attributes
    ----------
    field : str
    text : str
        The question in plain words.
    settled_by : tuple of str
        The tests that settle it.
    settles : tuple of str
        The undetermined items and alerts that knowing it would decide, whatever the answer.
    could_decide : tuple of str
        Those that some answers (not all) would decide, and raised alerts some answers would
        make more severe.
    critical : bool
        Some answer would raise a critical alert.
    checks : tuple of str
        The pending safety checks (rule ids) that knowing it would settle, whatever the answer
        (for example the age, when creatinine clearance waits only on it).
    could_raise : tuple of str
        The tests at ``consider`` that some answers would make recommended (a test keeps the
        ``consider`` a known fact gives it; the rule that would raise it is one of its reasons).
    critical_alerts : tuple of str
        The alerts some answers would make critical (``critical`` is whether there is one).
    warnings : tuple of str
        The alerts not raised now that some answers would raise as a warning (back pain: spinal
        cord compression); such a question comes after those that could raise a critical alert
        and before the rest.
    """

    field: str
    text: str
    settled_by: tuple[str, ...]
    settles: tuple[str, ...]
    could_decide: tuple[str, ...] = ()
    critical: bool = False
    checks: tuple[str, ...] = ()
    could_raise: tuple[str, ...] = ()
    critical_alerts: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why an item has its status.

    Attributes
    ----------
    rule : str or None
        The rule id, None for a default or a family summary.
    text : str
        The rule's reason in words.
    outcome : {'applies', 'unknown', 'default', 'options', 'pending'}
        The rule holds for this case, or hangs on an unknown factor (on a decided test: it would
        raise the test's status), or no rule holds; for a family, its options decide; for a test,
        it settles a pending safety check.
    facts : tuple of Fact
    gives : str
        The status (or alert level) this rule gives when it holds.
    """

    rule: str | None
    text: str
    outcome: str
    facts: tuple[Fact, ...]
    gives: str | None

    def line(self) -> str:
        """One line: the reason and its facts."""
        facts = "; ".join(f.text() for f in self.facts)
        prefix = {"unknown": f"Would be {self.gives} if it held, but a factor is unknown: ",
                  "applies": ""}.get(self.outcome, "")
        return f"{prefix}{self.text}" + (f" [{facts}]" if facts else "")


@dataclass(frozen=True)
class Citation:
    """A source as cited: its id, label, the section, an optional short excerpt, and url."""

    source: str
    label: str
    section: str
    excerpt: str | None = None
    url: str | None = None

    def text(self) -> str:
        url = f" {self.url}" if self.url else ""
        return f"{self.label}, section \u201c{self.section}\u201d{url}"


@dataclass(frozen=True)
class ScorePart:
    """One item of a score on a case: its least and greatest points (equal when exact); ``joint``
    for two items scored together (Tokuhashi's vertebral and extraspinal counts, split from one
    lesion count)."""

    item: str
    label: str
    points: tuple[float, float]
    joint: bool = False


@dataclass(frozen=True)
class ScoreRange:
    """A published score computed on the case (``Assessment.scores``): its value, or its range
    over what the case leaves open (contract §6, bounds), and what the range means.

    Attributes
    ----------
    name : str
        The derived number (``sins_score``, ``mirels_score``, ``tokuhashi_score``).
    label : str
        The score's name.
    bounds : tuple of (float, float)
        The least and greatest total; equal when the case decides it.
    bands : tuple of str
        What each band the range reaches means, lowest first.
    note : str or None
        What a reader should know with it (Tokuhashi: a group estimate, not a prognosis).
    parts : tuple of ScorePart
        The items with their points.
    unknown_inputs : tuple of str
        The case fields it reads that are unknown.
    sources : tuple of Citation
    """

    name: str
    label: str
    bounds: tuple[float, float]
    bands: tuple[str, ...]
    note: str | None
    parts: tuple[ScorePart, ...]
    unknown_inputs: tuple[str, ...]
    sources: tuple[Citation, ...]

    @property
    def exact(self) -> bool:
        return self.bounds[0] == self.bounds[1]

    def text(self) -> str:
        """``SINS: 11 points`` or ``Revised Tokuhashi score (2005): 7 to 11 points``."""
        return f"{self.label}: {points_words(*self.bounds)}"

    def parts_text(self) -> str:
        """The items with their points: ``location 3 points; pain 1 to 3 points; ...`` (two items
        scored together, such as Tokuhashi's spinal and extraspinal counts: ``... points together``)."""
        return "; ".join(f"{p.label} {points_words(*p.points)}{' together' if p.joint else ''}" for p in self.parts)


def points_words(least: float, most: float) -> str:
    """``1 point``, ``3 points`` or ``1 to 3 points``."""
    if least != most:
        return f"{least:g} to {most:g} points"
    return f"{least:g} point" if least == 1 else f"{least:g} points"


@dataclass(frozen=True)
class Recommendation:
    """One evaluated family, option or test (contract: ``Assessment.recommendations``)."""

    id: str
    kind: str
    name: str
    family: str | None
    status: str
    urgency: str
    reasons: tuple[Reason, ...]
    sources: tuple[Citation, ...]
    notes: tuple[str, ...] = ()
    pending: tuple[PendingCheck, ...] = ()


@dataclass(frozen=True)
class Alert:
    """An emergency or warning that is raised (contract: ``Assessment.alerts``).

    ``raised`` is always True in ``Assessment.alerts``: an alert that could not be ruled out
    because a factor is unknown is a question (``Assessment.questions``), not an alert.
    """

    id: str
    level: str
    name: str
    summary: str
    actions: tuple[str, ...]
    sources: tuple[Citation, ...]
    reasons: tuple[Reason, ...]
    raised: bool = True
    patient_text: str = ""
    professional_text: str = ""


@dataclass(frozen=True, eq=False)
class Assessment:
    """The result of :func:`bonemets.assess` for one case.

    Attributes
    ----------
    case : Case
    statuses : dict of str to str
        Every family, option and test id's status, in reporting order.
    recommendations : tuple of Recommendation
        Families (each followed by its options), then tests, with their reasons and sources.
        Explained when first read (the statuses and alerts are known before).
    alerts : tuple of Alert
        Raised alerts, most severe first. An alert not ruled out is a question.
    alert_states : dict of str to str
        Every alert id's state: ``critical``, ``warning``, ``info``, ``undetermined`` (not ruled
        out) or ``not_raised``.
    questions : tuple of Question
        The unknown factors worth asking about, most decisive first (any that could raise a
        critical alert at the top). Computed when first read.
    implied : tuple of Fact
        The facts that follow from those the case gives (``implied.yaml``). Computed when first read.
    scores : tuple of ScoreRange
        The published scores the case gives an input of (Mirels, SINS; the revised Tokuhashi
        score with a spinal metastasis), each exact or as a range. Computed when first read.
    knowledge_version : str
    disclaimer : str
    """

    case: Case
    statuses: dict[str, str]
    alerts: tuple[Alert, ...]
    knowledge_version: str
    knowledge: KnowledgeBase | None = dataclasses.field(repr=False, default=None)
    disclaimer: str = DISCLAIMER
    alert_states: dict[str, str] = dataclasses.field(default_factory=dict)
    _explain: Callable[[], tuple[Recommendation, ...]] | None = dataclasses.field(repr=False, default=None)
    _ask: Callable[[], tuple[Question, ...]] | None = dataclasses.field(repr=False, default=None)
    _imply: Callable[[], tuple[Fact, ...]] | None = dataclasses.field(repr=False, default=None)
    _score: Callable[[], tuple[ScoreRange, ...]] | None = dataclasses.field(repr=False, default=None)

    @functools.cached_property
    def scores(self) -> tuple[ScoreRange, ...]:
        """The published scores of the case, exact or as ranges (see the class docstring)."""
        return self._score() if self._score is not None else ()

    @functools.cached_property
    def implied(self) -> tuple[Fact, ...]:
        """The facts that follow from those the case gives (``implied.yaml``), each with
        ``implied_by``, the implication's title: a value, or for a number only bounded, its range."""
        return self._imply() if self._imply is not None else ()

    @functools.cached_property
    def recommendations(self) -> tuple[Recommendation, ...]:
        """Every evaluated item with its reasons and sources (see the class docstring)."""
        return self._explain() if self._explain is not None else ()

    @functools.cached_property
    def questions(self) -> tuple[Question, ...]:
        """The unknown factors worth asking about (see the class docstring)."""
        return self._ask() if self._ask is not None else ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Assessment):
            return NotImplemented
        return (self.case, self.statuses, self.alerts, self.knowledge_version, self.disclaimer,
                self.recommendations) == (other.case, other.statuses, other.alerts, other.knowledge_version,
                                          other.disclaimer, other.recommendations)

    __hash__ = None  # type: ignore[assignment]  # equal assessments of mutable-looking contents

    def status(self, item_id: str) -> str:
        """The status of a family, option or test id.

        Raises
        ------
        KeyError
            Naming the id, if it is not a family, option or test.
        """
        if item_id not in self.statuses:
            from .case import suggest

            raise KeyError(f"'{item_id}' is not a family, option or test id{suggest(item_id, self.statuses)}")
        return self.statuses[item_id]

    def recommendation(self, item_id: str) -> Recommendation:
        """The recommendation for one id (see :meth:`status`)."""
        self.status(item_id)  # a KeyError naming the id
        return next(r for r in self.recommendations if r.id == item_id)

    def alert(self, alert_id: str) -> Alert | None:
        """The alert with this id if raised, else None."""
        return next((a for a in self.alerts if a.id == alert_id), None)

    def alert_state(self, alert_id: str) -> str:
        """``critical``, ``warning``, ``info``, ``undetermined`` (not ruled out) or ``not_raised``,
        as in the ``alert:<id>`` columns of :func:`bonemets.assess_cohort`.

        Raises
        ------
        KeyError
            Naming the id, if it is not an alert of the knowledge base.
        """
        if alert_id not in self.alert_states:
            from .case import suggest

            raise KeyError(f"'{alert_id}' is not an alert id{suggest(alert_id, self.alert_states)}")
        return self.alert_states[alert_id]

    def by_status(self, kind: str | None = None) -> dict[str, list[Recommendation]]:
        """Recommendations grouped by status (most favourable first), optionally of one kind."""
        groups: dict[str, list[Recommendation]] = {s: [] for s in STATUSES}
        for r in self.recommendations:
            if kind is None or r.kind == kind:
                groups[r.status].append(r)
        return groups

    def to_frame(self) -> pd.DataFrame:
        """One row per recommendation: id, kind, name, family, status, urgency, reasons, sources."""
        rows = [{"id": r.id, "kind": r.kind, "name": r.name, "family": r.family, "status": r.status,
                 "urgency": r.urgency, "reasons": " | ".join(x.line() for x in r.reasons),
                 "sources": " | ".join(c.text() for c in r.sources)} for r in self.recommendations]
        frame = pd.DataFrame(rows)
        frame["status"] = pd.Categorical(frame["status"], categories=STATUSES, ordered=True)
        return frame

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready): case, recommendations, alerts, questions, scores, version and
        disclaimer."""
        return {
            "case": self.case.model_dump(exclude_none=True),
            "knowledge_version": self.knowledge_version,
            "disclaimer": self.disclaimer,
            "alerts": [dataclasses.asdict(a) for a in self.alerts],
            "questions": [dataclasses.asdict(q) for q in self.questions],
            "scores": [dataclasses.asdict(x) for x in self.scores],
            "recommendations": [dataclasses.asdict(r) for r in self.recommendations],
        }

    def to_cards(self) -> list[dict[str, Any]]:
        """CDS Hooks cards: one per raised alert, one per top question (``Ask: ...``), then one per
        item that is recommended, to consider, undetermined or to avoid (``not_indicated`` items
        make no card), with its pending checks.

        Each card has ``uuid`` (stable for the same case and item), ``summary`` (< 140
        characters), ``indicator`` (info, warning or critical), ``source.label``, and
        ``detail`` in markdown with the reasons, the citations and the disclaimer.
        """
        from .cards import cards

        return cards(self)

    def to_text(self) -> str:
        """The readable report the command line prints."""
        from .render import text_report

        return text_report(self)

    def __str__(self) -> str:
        return self.to_text()
