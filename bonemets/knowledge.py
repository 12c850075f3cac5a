"""The knowledge base: schema, loader and cross-reference checks for ``data/knowledge``.

Layout of a knowledge directory (every file a YAML list of entries, except the manifest)::

    manifest.yaml        name, version, date
    sources/*.yaml       publications (publisher, title, date, url, kind, level)
    families.yaml        treatment families
    options.yaml         treatment options, each in one family
    tests.yaml           tests, and the case fields each one settles
    alerts.yaml          emergencies and warnings
    concepts.yaml        named conditions (``ref:`` in rules)
    consistency.yaml     contradictions between case fields
    rules/*.yaml         the rules: target, status given, condition, reason, citations, examples

Every entry has an ``id`` and a lifecycle ``status`` (active, draft or retired); families,
options, tests, alerts and rules cite at least one source with its section. Everything is
checked and every condition compiled when the knowledge is loaded; the first problem raises
:class:`~bonemets.KnowledgeError` naming the file, the entry and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Optional

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .case import FIELDS, suggest
from .columns import DERIVED
from .conditions import Node, compile_condition
from .exceptions import KnowledgeError
from .vocabulary import ALERT_LEVELS

Lifecycle = Literal["active", "draft", "retired"]
Id = Field(pattern=r"^[a-z][a-z0-9_]*$")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Retirement(_Entry):
    """Why and when an entry was retired; it stays in the file."""

    date: dt.date
    reason: str = Field(min_length=3)


class _Lifecycled(_Entry):
    id: str = Id
    status: Lifecycle = "active"
    retired: Optional[Retirement] = None

    @model_validator(mode="after")
    def _retirement(self) -> "_Lifecycled":
        if (self.status == "retired") != (self.retired is not None):
            raise ValueError("a retired entry needs 'retired: {date, reason}', and only a retired one")
        return self

    @property
    def active(self) -> bool:
        return self.status != "retired"


class Source(_Lifecycled):
    """A publication the knowledge cites."""

    publisher: str
    title: str
    date: Optional[str] = Field(None, description="Year or ISO date as published; null if undated.")
    url: Optional[str] = None
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
    excerpt: Optional[str] = None

    @field_validator("excerpt")
    @classmethod
    def _short(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and len(v.split()) > 40:
            raise ValueError(f"an excerpt is at most about 30 words (40 allowed), this one has {len(v.split())}")
        return v


class _Cited(_Lifecycled):
    name: str
    description: str = ""
    sources: list[Citation] = Field(min_length=1)


class Family(_Cited):
    """A treatment family; its status is the most favourable of its options'."""

    default_status: Literal["recommended", "consider", "not_indicated"] = "not_indicated"


class Schedule(_Entry):
    """How often and how long an option is given, as its source says.

    ``every_weeks`` is the usual interval (the lower end where a source gives a range, e.g.
    every 3–4 weeks is 3 with ``every_weeks_max`` 4); ``de_escalate_to_weeks`` after
    ``de_escalate_after_weeks`` is a longer interval once treatment is established.
    """

    text: str
    every_days: Optional[float] = Field(None, gt=0)
    every_weeks: Optional[float] = Field(None, gt=0)
    every_weeks_max: Optional[float] = Field(None, gt=0)
    duration_minutes: Optional[float] = Field(None, gt=0)
    de_escalate_to_weeks: Optional[float] = Field(None, gt=0)
    de_escalate_after_weeks: Optional[float] = Field(None, gt=0)
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
    route: Optional[Literal["intravenous", "oral", "subcutaneous", "injection", "external_beam", "surgery",
                            "procedure", "mixed", "supportive"]] = None
    schedule: Optional[Schedule] = None
    time_to_benefit: Optional[TimeToBenefit] = None
    monitoring: list[str] = Field([], description="Test ids to do before and during treatment.")
    side_effects: list[SideEffect] = []
    dosing: Optional[Literal["zoledronic_acid_dose"]] = Field(
        None, description="A dosing rule of bonemets.scores applied to the case (e.g. by creatinine clearance).")
    default_status: Literal["recommended", "consider", "not_indicated"] = "not_indicated"

    def citations(self) -> list[Citation]:
        """Every citation of this option, its detail included."""
        nested = [c for part in (self.schedule, self.time_to_benefit, *self.side_effects) if part
                  for c in part.sources]
        return [*self.sources, *nested]


class Test(_Cited):
    """A test, with the case fields (or derived numbers) whose value it settles."""

    settles: list[str] = []
    default_status: Literal["recommended", "consider", "not_indicated"] = "not_indicated"


class AlertDef(_Cited):
    """An emergency or warning."""

    summary: str = Field(max_length=139)
    actions: list[str] = Field(min_length=1)
    patient_text: str = ""
    professional_text: str = ""


class Concept(_Lifecycled):
    """A named condition, used in rules as ``ref: id``."""

    title: str
    when: dict[str, Any]
    sources: list[Citation] = []


class Consistency(_Lifecycled):
    """Two or more fields that contradict each other when ``when`` is true."""

    fields: list[str] = Field(min_length=2)
    when: dict[str, Any]
    message: str


class Examples(_Entry):
    """Cases on which a rule's condition must be true, false, or (optionally) unknown."""

    triggers: list[dict[str, Any]] = Field(min_length=1)
    does_not_trigger: list[dict[str, Any]] = []
    undetermined: list[dict[str, Any]] = []


class Rule(_Lifecycled):
    """When ``when`` holds, ``target`` gets status ``gives`` (or, for an alert, ``level``).

    ``target`` is one id or a list of ids that share the same reason and citations.
    """

    title: str
    target: str | list[str]
    gives: Optional[Literal["recommended", "consider", "not_indicated", "avoid"]] = None
    level: Optional[Literal["critical", "warning", "info"]] = None
    urgency: Literal["routine", "soon", "emergency"] = "routine"
    when: dict[str, Any]
    because: str = Field(min_length=10)
    sources: list[Citation] = Field(min_length=1)
    examples: Examples
    added: Optional[dt.date] = None
    modified: Optional[dt.date] = None

    @property
    def targets(self) -> tuple[str, ...]:
        """The ids this rule decides for."""
        return (self.target,) if isinstance(self.target, str) else tuple(self.target)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per loaded rule
class CompiledRule:
    """A rule with its condition compiled."""

    rule: Rule
    condition: Node
    file: str


_SCHEMAS: dict[str, type[_Lifecycled]] = {
    "families.yaml": Family, "options.yaml": Option, "tests.yaml": Test, "alerts.yaml": AlertDef,
    "concepts.yaml": Concept, "consistency.yaml": Consistency,
}


class KnowledgeBase:
    """The loaded, validated knowledge base.

    Attributes
    ----------
    path : Path
    manifest : dict
        ``name``, ``version`` and ``date`` of this release of the knowledge.
    sources, families, options, tests, alerts, concepts : dict of str to entry
        Every entry, retired ones included, by id.
    rules : list of CompiledRule
        Active and draft rules, in file order.
    retired_rules : list of Rule
    consistency : list of (Consistency, Node)
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.manifest: dict[str, Any] = {}
        self.sources: dict[str, Source] = {}
        self.families: dict[str, Family] = {}
        self.options: dict[str, Option] = {}
        self.tests: dict[str, Test] = {}
        self.alerts: dict[str, AlertDef] = {}
        self.concepts: dict[str, Concept] = {}
        self.concept_nodes: dict[str, Node] = {}
        self.consistency: list[tuple[Consistency, Node]] = []
        self.rules: list[CompiledRule] = []
        self.retired_rules: list[Rule] = []

    @property
    def version(self) -> str:
        """Version of the knowledge, from its manifest."""
        return str(self.manifest.get("version", "unversioned"))

    def _index(self) -> None:
        """Build the lookups the engine uses; called once, when loading is complete."""
        self._options_of: dict[str, list[str]] = {f: [] for f in self.families}
        for o in self.options.values():
            if o.active:
                self._options_of[o.family].append(o.id)
        self._items: dict[str, Family | Option | Test] = {}
        for fam in self.families.values():
            if fam.active:
                self._items[fam.id] = fam
                self._items.update({o: self.options[o] for o in self._options_of[fam.id]})
        self._items.update({t.id: t for t in self.tests.values() if t.active})
        self._kinds = {i: k for k, table in (("family", self.families), ("option", self.options),
                                             ("test", self.tests), ("alert", self.alerts)) for i in table}
        self._by_target: dict[str, list[CompiledRule]] = {i: [] for i in self._kinds}
        for r in self.rules:
            for target in r.rule.targets:
                self._by_target[target].append(r)
        names = set(FIELDS) | set(DERIVED)
        self._settled_by = {
            f: [t.id for t in self.tests.values()
                if t.active and set(t.settles) & ({f, *DERIVED[f].inputs} if f in DERIVED else {f})]
            for f in names}

    def items(self) -> dict[str, Family | Option | Test]:
        """Active families, options and tests by id, in reporting order (each family is
        followed by its options; tests come last)."""
        return self._items

    def kind(self, item_id: str) -> str:
        """``family``, ``option``, ``test`` or ``alert``.

        Raises
        ------
        KeyError
            Naming the id, with the closest id if there is one.
        """
        try:
            return self._kinds[item_id]
        except KeyError:
            raise KeyError(f"'{item_id}' is not a family, option, test or alert id"
                           f"{suggest(item_id, self._kinds)}") from None

    def all_ids(self) -> list[str]:
        """Every family, option, test and alert id, retired ones included."""
        return list(self._kinds)

    def options_of(self, family_id: str) -> list[str]:
        """Ids of a family's active options."""
        return self._options_of.get(family_id, [])

    def rules_for(self, target: str) -> list[CompiledRule]:
        """The active rules that decide for an item or alert, in file order."""
        return self._by_target.get(target, [])

    def settled_by(self, field: str) -> list[str]:
        """Ids of the active tests that settle a field (for a derived number, its inputs)."""
        return self._settled_by.get(field, [])

    def to_frame(self, what: str = "items") -> pd.DataFrame:
        """A table for notebooks.

        Parameters
        ----------
        what : {'items', 'rules', 'sources', 'alerts'}
        """
        if what == "items":
            rows = [{"id": i, "kind": self.kind(i), "name": e.name,
                     "family": getattr(e, "family", None), "status": e.status,
                     "sources": "; ".join(c.source for c in e.sources)}
                    for i, e in {**self.families, **self.options, **self.tests}.items()]
        elif what == "rules":
            rows = [{"id": r.id, "target": ", ".join(r.targets), "gives": r.gives or r.level,
                     "urgency": r.urgency, "status": r.status, "title": r.title,
                     "sources": "; ".join(c.source for c in r.sources)}
                    for r in [c.rule for c in self.rules] + self.retired_rules]
        elif what == "sources":
            rows = [s.model_dump() for s in self.sources.values()]
        elif what == "alerts":
            rows = [{"id": a.id, "name": a.name, "summary": a.summary, "status": a.status}
                    for a in self.alerts.values()]
        else:
            raise ValueError(f"what={what!r} is not allowed; allowed: items, rules, sources, alerts")
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return (f"<KnowledgeBase {self.manifest.get('name', '')} {self.version}: "
                f"{len(self.families)} families, {len(self.options)} options, {len(self.tests)} tests, "
                f"{len(self.alerts)} alerts, {len(self.rules)} rules, {len(self.sources)} sources>")


def default_path() -> Path:
    """The knowledge shipped with the package (``$BONEMETS_KNOWLEDGE`` overrides it)."""
    if os.environ.get("BONEMETS_KNOWLEDGE"):
        return Path(os.environ["BONEMETS_KNOWLEDGE"])
    return data_dir() / "knowledge"


def data_dir() -> Path:
    """``bonemets/_data`` in an installed wheel, else the repository's ``data/``."""
    here = Path(__file__).resolve().parent
    shipped = here / "_data"
    return shipped if shipped.is_dir() else here.parent / "data"


@cache
def _load_cached(path: Path) -> KnowledgeBase:
    return load_knowledge(path)


def knowledge(path: str | Path | None = None) -> KnowledgeBase:
    """The loaded, validated knowledge base (cached per directory).

    Parameters
    ----------
    path : str or Path, optional
        A knowledge directory; by default the one shipped with bonemets.

    Raises
    ------
    KnowledgeError
        Naming the file, the entry and what is allowed.
    """
    return _load_cached(Path(path or default_path()).resolve())


def load_knowledge(path: str | Path) -> KnowledgeBase:
    """Load and check a knowledge directory afresh (no cache); see :func:`knowledge`."""
    path = Path(path)
    if not path.is_dir():
        raise KnowledgeError(f"{path}: not a knowledge directory")
    kb = KnowledgeBase(path)
    kb.manifest = _read(path / "manifest.yaml", mapping=True)
    for file in sorted((path / "sources").glob("*.yaml")):
        _collect(kb, file, Source, kb.sources)
    if not kb.sources:
        raise KnowledgeError(f"{path / 'sources'}: no source files (*.yaml)")
    for name, schema in _SCHEMAS.items():
        table = {"families.yaml": kb.families, "options.yaml": kb.options, "tests.yaml": kb.tests,
                 "alerts.yaml": kb.alerts, "concepts.yaml": kb.concepts}.get(name)
        if name == "consistency.yaml":
            _collect(kb, path / name, schema, consistency := {})
        else:
            _collect(kb, path / name, schema, table)
    _check_items(kb, path)
    kb._index()
    for c in kb.concepts.values():
        if c.active:
            kb.concept_nodes[c.id] = compile_condition(c.when, f"{path / 'concepts.yaml'}: concept '{c.id}': when",
                                                       kb.concept_nodes)
    for c in consistency.values():
        where = f"{path / 'consistency.yaml'}: entry '{c.id}'"
        for f in c.fields:
            if f not in FIELDS:
                raise KnowledgeError(f"{where}: field '{f}' is not a case field{suggest(f, FIELDS)}")
        if c.active:
            kb.consistency.append((c, compile_condition(c.when, f"{where}: when", kb.concept_nodes)))
    rule_ids: dict[str, Path] = {}
    for file in sorted((path / "rules").glob("*.yaml")):
        for rule in _collect(kb, file, Rule, {}).values():
            if rule.id in rule_ids:
                raise KnowledgeError(f"{file}: rule '{rule.id}': id already used in {rule_ids[rule.id]}")
            rule_ids[rule.id] = file
            _check_rule(kb, file, rule)
    kb._index()
    return kb


def _read(file: Path, mapping: bool = False) -> Any:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise KnowledgeError(f"{file}: cannot read: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise KnowledgeError(f"{file}: not valid YAML: {str(err).splitlines()[0]}") from None
    expected = dict if mapping else list
    if not isinstance(data, expected):
        raise KnowledgeError(f"{file}: must hold a YAML {'mapping' if mapping else 'list of entries'}")
    return data


def _collect(kb: KnowledgeBase, file: Path, schema: type[_Lifecycled], table: dict[str, Any]) -> dict[str, Any]:
    """Validate every entry of one file into ``table``; returns the entries of this file."""
    found = {}
    for i, raw in enumerate(_read(file)):
        label = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        where = f"{file}: entry '{label}'"
        try:
            entry = schema.model_validate(raw)
        except ValidationError as err:
            raise KnowledgeError(f"{where}: {_schema_problem(err)}") from None
        if entry.id in table or entry.id in found:
            raise KnowledgeError(f"{where}: id '{entry.id}' is used twice")
        cited = entry.citations() if hasattr(entry, "citations") else getattr(entry, "sources", [])
        for cit in cited:
            if schema is not Source and cit.source not in kb.sources:
                raise KnowledgeError(f"{where}: source '{cit.source}' is not in sources/"
                                     f"{suggest(cit.source, kb.sources)}")
        found[entry.id] = entry
    table.update(found)
    return found


def _schema_problem(err: ValidationError) -> str:
    e = err.errors()[0]
    loc = ".".join(str(p) for p in e["loc"])
    where = f"field '{loc}': " if loc else ""
    if e["type"] == "literal_error":
        return f"{where}{e['input']!r} is not allowed; allowed: {e['ctx']['expected']}"
    if e["type"] == "extra_forbidden":
        return f"{where}unknown key; see the schema in bonemets/knowledge.py"
    if e["type"] == "missing":
        return f"{where}is required"
    if e["type"] == "string_pattern_mismatch":
        return f"{where}{e['input']!r} is not allowed; ids are lowercase snake_case"
    return f"{where}{e['msg'].removeprefix('Value error, ')} (got {e.get('input')!r})"


def _check_items(kb: KnowledgeBase, path: Path) -> None:
    ids: dict[str, str] = {}
    for kind, table in (("family", kb.families), ("option", kb.options), ("test", kb.tests),
                        ("alert", kb.alerts)):
        for i in table:
            if i in ids:
                raise KnowledgeError(f"{path}: id '{i}' is both a {ids[i]} and a {kind}")
            ids[i] = kind
    for o in kb.options.values():
        if o.family not in kb.families:
            raise KnowledgeError(f"{path / 'options.yaml'}: entry '{o.id}': family '{o.family}' is not a family"
                                 f"{suggest(o.family, kb.families)}; families: {', '.join(kb.families)}")
    for o in kb.options.values():
        for test_id in o.monitoring:
            if test_id not in kb.tests:
                raise KnowledgeError(f"{path / 'options.yaml'}: entry '{o.id}': monitoring '{test_id}' is not a test"
                                     f"{suggest(test_id, kb.tests)}")
    names = list(FIELDS) + list(DERIVED)
    for t in kb.tests.values():
        for f in t.settles:
            if f not in names:
                raise KnowledgeError(f"{path / 'tests.yaml'}: entry '{t.id}': settles '{f}', which is not a "
                                     f"case field{suggest(f, names)}")


def _check_rule(kb: KnowledgeBase, file: Path, rule: Rule) -> None:
    where = f"{file}: rule '{rule.id}'"
    if not rule.active:
        kb.retired_rules.append(rule)
        return
    kinds = set()
    for target_id in rule.targets:
        try:
            kind = kb.kind(target_id)
        except KeyError:
            raise KnowledgeError(f"{where}: target '{target_id}' is not a family, option, test or alert id"
                                 f"{suggest(target_id, kb.all_ids())}") from None
        table = {"family": kb.families, "option": kb.options, "test": kb.tests, "alert": kb.alerts}[kind]
        if not table[target_id].active:
            raise KnowledgeError(f"{where}: target '{target_id}' is retired")
        if kind == "family" and kb.options_of(target_id):
            raise KnowledgeError(f"{where}: family '{target_id}' has options "
                                 f"({', '.join(kb.options_of(target_id))}); target one of them")
        kinds.add("alert" if kind == "alert" else "item")
    if len(kinds) > 1:
        raise KnowledgeError(f"{where}: targets mix alerts and other items; split the rule")
    if kinds == {"alert"} and (rule.level is None or rule.gives is not None):
        raise KnowledgeError(f"{where}: a rule for an alert needs 'level' ({', '.join(ALERT_LEVELS)}) and no 'gives'")
    if kinds == {"item"} and (rule.gives is None or rule.level is not None):
        raise KnowledgeError(f"{where}: a rule for a family, option or test needs 'gives' "
                             "(recommended, consider, not_indicated, avoid) and no 'level'")
    node = compile_condition(rule.when, f"{where}: when", kb.concept_nodes)
    if not rule.examples.does_not_trigger and rule.when != {"always": True}:
        raise KnowledgeError(f"{where}: examples.does_not_trigger needs at least one case "
                             "(only an 'always: true' rule may have none)")
    kb.rules.append(CompiledRule(rule, node, str(file)))

