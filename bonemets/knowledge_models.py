"""The schema of the knowledge files: one pydantic model per kind of entry.

Each kind of file holds a YAML list of one kind of entry (the manifest is a single mapping);
:data:`FILE_KINDS` says which model reads which files. The JSON Schema an editor checks the
files with is generated from these models (:mod:`bonemets.knowledge_schema`), so the models
are the one definition of what an author may write.

Every entry has an ``id`` and a lifecycle ``status``: ``active``; ``draft`` (written and
checked, but a draft rule is only evaluated when the knowledge is loaded with
``include_drafts=True``); or ``retired`` (kept in the file with ``retired: {date, reason}``,
never evaluated).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .case import Case
from .conditions import Node

Lifecycle = Literal["active", "draft", "retired"]
ItemStatus = Literal["recommended", "consider", "not_indicated"]

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
PMID_PATTERN = r"^[1-9][0-9]{0,8}$"
DOI_PATTERN = r"^10\.[0-9]{4,9}/\S+$"
URL_PATTERN = r"^https?://\S+$"
#: What each pattern means, in the words of an error message.
PATTERN_HELP = {
    ID_PATTERN: "ids are lowercase snake_case",
    PMID_PATTERN: "a PMID is its digits only, e.g. '29035643'",
    DOI_PATTERN: "a DOI starts with '10.', e.g. '10.1007/s12032-020-01449-8' (no 'doi:' or https://doi.org/)",
    URL_PATTERN: "a url starts with http:// or https://",
}


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Retirement(_Entry):
    """Why and when an entry was retired; it stays in the file."""

    date: dt.date
    reason: str = Field(min_length=3)


class _Lifecycled(_Entry):
    id: str = Field(pattern=ID_PATTERN)
    status: Lifecycle = Field("active", description="active; draft (rules: evaluated only when drafts are "
                                                    "included); retired (kept, never evaluated).")
    retired: Retirement | None = None

    @model_validator(mode="after")
    def _retirement(self) -> _Lifecycled:
        if (self.status == "retired") != (self.retired is not None):
            raise ValueError("a retired entry needs 'retired: {date, reason}', and only a retired one")
        return self

    @property
    def active(self) -> bool:
        return self.status != "retired"

    def citations(self) -> list[Citation]:
        """Every citation of this entry, its nested detail included (none for sources and contradictions)."""
        return []


class Manifest(_Entry):
    """Name, version and date of a release of the knowledge (``manifest.yaml``)."""

    name: str
    version: str = Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")
    date: dt.date
    description: str = ""


class Source(_Lifecycled):
    """A publication the knowledge cites."""

    publisher: str
    title: str
    date: str | None = Field(None, description="Year or ISO date as published; null if undated.")
    url: str | None = Field(None, pattern=URL_PATTERN, description="http(s) address of the publication.")
    pmid: str | None = Field(None, pattern=PMID_PATTERN, description="PubMed id, digits only, in quotes.")
    doi: str | None = Field(None, pattern=DOI_PATTERN, description="DOI without prefix, e.g. '10.1634/x'.")
    kind: Literal["patient_information", "guideline", "primary_study", "review", "drug_label",
                  "reference_work", "calculator"]
    level: Literal["primary", "secondary"]
    notes: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, (int, dt.date)) else v

    def label(self) -> str:
        """``Publisher, "Title" (date)``."""
        when = f" ({self.date})" if self.date else ""
        return f'{self.publisher}, "{self.title}"{when}'


class Citation(_Entry):
    """A source id, the section it comes from, and at most a short excerpt (~30 words)."""

    source: str
    section: str = Field(min_length=2)
    excerpt: str | None = None

    @field_validator("excerpt")
    @classmethod
    def _short(cls, v: str | None) -> str | None:
        if v is not None and len(v.split()) > 40:
            raise ValueError(f"an excerpt is at most about 30 words (40 allowed), this one has {len(v.split())}")
        return v


class _Cited(_Lifecycled):
    name: str
    description: str = ""
    sources: list[Citation] = Field(min_length=1)

    def citations(self) -> list[Citation]:
        return list(self.sources)


class Family(_Cited):
    """A treatment family; its status is the most favourable of its options'."""

    default_status: ItemStatus = "not_indicated"


class Schedule(_Entry):
    """How often and how long an option is given, as its source says.

    ``every_weeks`` is the usual interval (the lower end where a source gives a range, e.g.
    every 3–4 weeks is 3 with ``every_weeks_max`` 4); ``de_escalate_to_weeks`` after
    ``de_escalate_after_weeks`` is a longer interval once treatment is established.
    """

    text: str
    every_days: float | None = Field(None, gt=0)
    every_weeks: float | None = Field(None, gt=0)
    every_weeks_max: float | None = Field(None, gt=0)
    duration_minutes: float | None = Field(None, gt=0)
    de_escalate_to_weeks: float | None = Field(None, gt=0)
    de_escalate_after_weeks: float | None = Field(None, gt=0)
    sources: list[Citation] = Field(min_length=1)


class TimeToBenefit(_Entry):
    """How long before benefit is expected, in weeks."""

    min_weeks: float = Field(ge=0)
    max_weeks: float = Field(ge=0)
    text: str
    sources: list[Citation] = Field(min_length=1)


class SideEffect(_Entry):
    """A side effect or caution, with its source."""

    name: str
    text: str
    sources: list[Citation] = Field(min_length=1)


class Option(_Cited):
    """A treatment option, in exactly one family, with its drug detail where the sources give it."""

    family: str
    drugs: list[str] = []
    route: Literal["intravenous", "oral", "subcutaneous", "injection", "external_beam", "surgery", "procedure",
                   "mixed", "supportive"] | None = None
    schedule: Schedule | None = None
    time_to_benefit: TimeToBenefit | None = None
    monitoring: list[str] = Field([], description="Test ids to do before and during treatment.")
    side_effects: list[SideEffect] = []
    dosing: Literal["zoledronic_acid_dose"] | None = Field(
        None, description="A dosing rule of bonemets.scores applied to the case (e.g. by creatinine clearance).")
    default_status: ItemStatus = "not_indicated"

    def citations(self) -> list[Citation]:
        nested = [c for part in (self.schedule, self.time_to_benefit, *self.side_effects) if part
                  for c in part.sources]
        return [*self.sources, *nested]


class Test(_Cited):
    """A test, with the case fields (or derived numbers) whose value it settles."""

    settles: list[str] = []
    default_status: ItemStatus = "not_indicated"


class AlertWording(_Entry):
    """What an alert says when it is raised at a lower level than its own (``AlertDef.warning``)."""

    summary: str = Field(max_length=139)
    actions: list[str] = Field(min_length=1)


class AlertDef(_Cited):
    """An emergency or warning. ``summary`` and ``actions`` say what to do at its most severe; an
    alert some rules raise only as a warning (back pain, before any neurological sign) says what to do
    then in ``warning``, so that a warning never reads as an emergency."""

    summary: str = Field(max_length=139)
    actions: list[str] = Field(min_length=1)
    warning: AlertWording | None = None
    patient_text: str = ""
    professional_text: str = ""


class Concept(_Lifecycled):
    """A named condition, used in rules as ``ref: id``."""

    title: str
    when: dict[str, Any]
    sources: list[Citation] = []

    def citations(self) -> list[Citation]:
        return list(self.sources)


class Consistency(_Lifecycled):
    """Two or more fields that contradict each other when ``when`` is true."""

    fields: list[str] = Field(min_length=2)
    when: dict[str, Any]
    message: str


class Implies(_Entry):
    """The fact an implication adds: a true/false or one-value case field and its value (``is``),
    or a least value of a number field (``ge``), which bounds it while it is unknown."""

    field: str
    is_: bool | str | None = Field(None, alias="is", description="The value a true/false or one-value field takes.")
    ge: float | None = Field(None, description="The least value a number field can have (it stays unknown, "
                                               "within bounds), e.g. 2 lesions where 2 bone sites are named.")

    @model_validator(mode="after")
    def _one_fact(self) -> Implies:
        if (self.is_ is None) == (self.ge is None):
            raise ValueError("an implication implies exactly one of a value ('is') and a least value ('ge')")
        return self


class Implication(_Lifecycled):
    """A fact that follows from others: when ``when`` holds, ``implies`` is taken as known.

    Applied before the rules, to a field that is unknown; a case that gives the field another
    value contradicts it (checked like :class:`Consistency`). An implication may use facts
    implied by those above it in the file.
    """

    title: str
    when: dict[str, Any]
    implies: Implies
    because: str = Field(min_length=10)
    sources: list[Citation] = Field(min_length=1)

    def citations(self) -> list[Citation]:
        return list(self.sources)


class Examples(_Entry):
    """Cases on which a rule's condition must be true, false, or (optionally) unknown.

    Each example is a :class:`~bonemets.Case` (only the fields it needs; absent means unknown),
    checked for its fields and values and run against the rule's condition when the knowledge
    is loaded. ``case.model_dump(exclude_unset=True)`` gives the fields as written.
    """

    triggers: list[Case] = Field(min_length=1, description="Cases on which the condition is true.")
    does_not_trigger: list[Case] = Field([], description="Cases on which the condition is false.")
    undetermined: list[Case] = Field([], description="Cases on which the condition is unknown.")


class Rule(_Lifecycled):
    """When ``when`` holds, ``target`` gets status ``gives`` (or, for an alert, ``level``).

    ``target`` is one id or a list of ids that share the same reason and citations.
    ``added`` and ``modified`` are the ISO dates the rule was written and last changed.
    """

    title: str
    target: str | list[str]
    gives: Literal["recommended", "consider", "not_indicated", "avoid"] | None = None
    level: Literal["critical", "warning", "info"] | None = None
    urgency: Literal["routine", "soon", "emergency"] = "routine"
    check: str | None = Field(
        None, pattern=ID_PATTERN,
        description="Makes the rule a safety check on its targets: a test id that settles it. The rule must give "
                    "'avoid'. While it is unknown the targets keep the status their indication gives and list it "
                    "as pending, and the test is recommended before starting.")
    shown_as: str | None = Field(
        None, min_length=3,
        description="What the target is when this rule decides it, shown after its name on every surface, e.g. "
                    "'exemestane with everolimus' for an aromatase inhibitor weighed again after progression.")
    when: dict[str, Any]
    because: str = Field(min_length=10)
    sources: list[Citation] = Field(min_length=1)
    examples: Examples
    added: dt.date | None = Field(None, description="ISO date the rule was added, e.g. 2026-11-23.")
    modified: dt.date | None = Field(None, description="ISO date of the rule's last change.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Rule:
        if self.added and self.modified and self.modified < self.added:
            raise ValueError(f"modified ({self.modified}) is before added ({self.added})")
        return self

    @property
    def targets(self) -> tuple[str, ...]:
        """The ids this rule decides for."""
        return (self.target,) if isinstance(self.target, str) else tuple(self.target)

    def citations(self) -> list[Citation]:
        return list(self.sources)


#: Most words of an excerpt in patient advice or a seed statement (short enough to quote).
SHORT_EXCERPT_WORDS = 25


def _short_excerpt(excerpt: str) -> str:
    if len(excerpt.split()) > SHORT_EXCERPT_WORDS:
        raise ValueError(f"an excerpt here is at most {SHORT_EXCERPT_WORDS} words, this one has {len(excerpt.split())}")
    return excerpt


class Advice(_Lifecycled):
    """Supportive advice a patient or educator reads, in plain words, with its source.

    ``applies`` says when: ``[always]``, or the family, option, test or alert ids it goes
    with: it applies to an assessment in which any of them is recommended or to be considered
    (an alert: raised). ``level`` is ``warning`` for advice that says when to contact the
    treatment team, ``info`` otherwise. Every citation of advice quotes its source: each has
    an excerpt of at most 25 words.
    """

    title: str = Field(min_length=3)
    text: str = Field(min_length=10, description="The advice in plain words, addressed to the patient.")
    applies: list[str] = Field(min_length=1, description="[always], or family, option, test or alert ids.")
    level: Literal["info", "warning"] = "info"
    sources: list[Citation] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _quoted(cls, v: list[Citation]) -> list[Citation]:
        for c in v:
            if c.excerpt is None:
                raise ValueError(f"every source of advice quotes it: add an excerpt to the citation of '{c.source}'")
            _short_excerpt(c.excerpt)
        return v

    def citations(self) -> list[Citation]:
        return list(self.sources)


class SeedStatement(_Lifecycled):
    """One actionable statement of a source text and the knowledge entries that cover it.

    ``covered_by`` names rules, families, options, tests, alerts, concepts, implied facts or
    advice (``data/knowledge/seed_statements.yaml``, the seed coverage table's input).
    """

    source: str
    section: str = Field(min_length=2, description="The heading of the text the statement is under.")
    excerpt: str = Field(min_length=3, description="The statement's words, at most 25, as the text has them.")
    covered_by: list[str] = Field(min_length=1, description="Ids of the knowledge entries that cover it.")

    @field_validator("excerpt")
    @classmethod
    def _short(cls, v: str) -> str:
        return _short_excerpt(v)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per loaded rule
class CompiledRule:
    """A rule with its condition compiled."""

    rule: Rule
    condition: Node
    file: str


Entry = Source | Family | Option | Test | AlertDef | Concept | Consistency | Implication | Rule | Advice

#: Each kind of knowledge file: its model and where its files are, relative to the knowledge directory.
FILE_KINDS: dict[str, tuple[type[_Entry], str]] = {
    "manifest": (Manifest, "manifest.yaml"),
    "sources": (Source, "sources/*.yaml"),
    "families": (Family, "families.yaml"),
    "options": (Option, "options.yaml"),
    "tests": (Test, "tests.yaml"),
    "alerts": (AlertDef, "alerts.yaml"),
    "concepts": (Concept, "concepts.yaml"),
    "consistency": (Consistency, "consistency.yaml"),
    "implied": (Implication, "implied.yaml"),
    "rules": (Rule, "rules/*.yaml"),
    "advice": (Advice, "advice.yaml"),
    "seed_statements": (SeedStatement, "seed_statements.yaml"),
}
