"""The knowledge base: loading ``data/knowledge``, the loaded :class:`KnowledgeBase`, and its cache.

Layout of a knowledge directory (every file a YAML list of entries, except the manifest)::

    manifest.yaml        name, version, date
    sources/*.yaml       publications (publisher, title, date, url, pmid, doi, kind, level)
    families.yaml        treatment families
    options.yaml         treatment options, each in one family
    tests.yaml           tests, and the case fields each one settles
    alerts.yaml          emergencies and warnings
    concepts.yaml        named conditions (``ref:`` in rules)
    consistency.yaml     contradictions between case fields
    advice.yaml          supportive advice for patients, and the items it goes with
    seed_statements.yaml statements of the source texts and the entries that cover them
                         (not loaded here: :mod:`bonemets.seed_coverage`)
    rules/*.yaml         the rules: target, status given, condition, reason, citations, examples
    schemas/*.json       the JSON Schema of each kind of file (generated; for editors)

The entries' schema is in :mod:`bonemets.knowledge_models`, reading a file in
:mod:`bonemets.knowledge_files`, the checks across entries (and the run of every rule's worked
examples) in :mod:`bonemets.knowledge_checks`. Everything is checked and every condition
compiled when the knowledge is loaded; the first problem raises :class:`~bonemets.KnowledgeError`
naming the file, the entry and what is allowed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .case import FIELDS, suggest
from .columns import DERIVED
from .conditions import Node, compile_condition
from .datafiles import data_dir
from .derived import inputs_of
from .exceptions import KnowledgeError
from .knowledge_checks import (
    check_advice,
    check_citations,
    check_items,
    compile_consistency,
    compile_implication,
    compile_rule,
    run_examples,
)
from .knowledge_edit import Change, apply_changes
from .knowledge_files import read_entries, read_manifest
from .knowledge_models import (
    Advice,
    AlertDef,
    CompiledRule,
    Concept,
    Consistency,
    Family,
    Implication,
    Manifest,
    Option,
    Rule,
    Schedule,
    Source,
    Test,
)

__all__ = ["Advice", "AlertDef", "CompiledRule", "Concept", "Consistency", "Family", "KnowledgeBase", "Option", "Rule",
           "Schedule", "Source", "Test", "data_dir", "default_path", "knowledge", "load_knowledge"]


class KnowledgeBase:
    """The loaded, validated knowledge base.

    Attributes
    ----------
    path : Path
    manifest : dict
        ``name``, ``version`` and ``date`` of this release of the knowledge.
    sources, families, options, tests, alerts, concepts, advice : dict of str to entry
        Every entry, retired ones included, by id (``advice``: supportive advice for patients).
    rules : list of CompiledRule
        The rules evaluated, in file order: active ones, and draft ones if ``include_drafts``.
    draft_rules : list of CompiledRule
        Rules with ``status: draft`` (checked, examples run; evaluated only if ``include_drafts``).
    retired_rules : list of Rule
    consistency : list of (Consistency, Node)
        Contradictions: those of ``consistency.yaml``, then one per implication (a case that
        gives an implied field another value).
    implied : list of (Implication, Node)
        Facts that follow from others (``implied.yaml``), in file order, with their premises.
    include_drafts : bool
    """

    def __init__(self, path: Path, include_drafts: bool = False) -> None:
        self.path = path
        self.include_drafts = include_drafts
        self.manifest: dict[str, Any] = {}
        self.sources: dict[str, Source] = {}
        self.families: dict[str, Family] = {}
        self.options: dict[str, Option] = {}
        self.tests: dict[str, Test] = {}
        self.alerts: dict[str, AlertDef] = {}
        self.concepts: dict[str, Concept] = {}
        self.advice: dict[str, Advice] = {}
        self.concept_nodes: dict[str, Node] = {}
        self.consistency: list[tuple[Consistency, Node]] = []
        self.implied: list[tuple[Implication, Node]] = []
        self.rules: list[CompiledRule] = []
        self.draft_rules: list[CompiledRule] = []
        self.retired_rules: list[Rule] = []

    @property
    def version(self) -> str:
        """Version of the knowledge, from its manifest."""
        return str(self.manifest.get("version", "unversioned"))

    def _index(self) -> None:
        """Build the lookups the engine uses."""
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
        self._rule_by_id = {r.rule.id: r for r in self.rules}
        self._floors = frozenset(t for t in self.tests if all(r.rule.urgency == "routine" for r in self._by_target[t]))
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
        """The rules evaluated for an item or alert, in file order."""
        return self._by_target.get(target, [])

    def rule(self, rule_id: str) -> CompiledRule:
        """An evaluated rule by id (KeyError if there is none)."""
        return self._rule_by_id[rule_id]

    def keeps_consider(self, item_id: str) -> bool:
        """Whether an item keeps the ``consider`` a rule gives it while a rule that would recommend
        it waits on an unknown factor (``floor`` of :func:`bonemets.decision.decide`): a test none of
        whose rules carries an urgency. A test an unknown factor could make urgent stays undetermined."""
        return item_id in self._floors

    def settled_by(self, field: str) -> list[str]:
        """Ids of the active tests that settle a field (for a derived number, its inputs)."""
        return self._settled_by.get(field, [])

    def to_frame(self, what: str = "items") -> pd.DataFrame:
        """A table for notebooks.

        Parameters
        ----------
        what : {'items', 'rules', 'sources', 'alerts', 'advice'}
            ``rules`` lists every rule: evaluated, draft and retired; ``advice`` every piece of
            patient advice with what it applies with.
        """
        if what == "items":
            rows = [{"id": i, "kind": self.kind(i), "name": e.name,
                     "family": getattr(e, "family", None), "status": e.status,
                     "sources": "; ".join(c.source for c in e.sources)}
                    for i, e in {**self.families, **self.options, **self.tests}.items()]
        elif what == "rules":
            drafts = [] if self.include_drafts else [c.rule for c in self.draft_rules]
            rows = [{"id": r.id, "target": ", ".join(r.targets), "gives": r.gives or r.level,
                     "urgency": r.urgency, "status": r.status, "title": r.title,
                     "sources": "; ".join(c.source for c in r.sources), "added": r.added, "modified": r.modified}
                    for r in [c.rule for c in self.rules] + drafts + self.retired_rules]
        elif what == "sources":
            rows = [s.model_dump() for s in self.sources.values()]
        elif what == "alerts":
            rows = [{"id": a.id, "name": a.name, "summary": a.summary, "status": a.status}
                    for a in self.alerts.values()]
        elif what == "advice":
            rows = [{"id": a.id, "title": a.title, "applies": ", ".join(a.applies), "level": a.level,
                     "status": a.status, "sources": "; ".join(c.source for c in a.sources)}
                    for a in self.advice.values()]
        else:
            raise ValueError(f"what={what!r} is not allowed; allowed: items, rules, sources, alerts, advice")
        return pd.DataFrame(rows)

    def with_changes(self, *, sources: Mapping[str, Change] | None = None,
                     families: Mapping[str, Change] | None = None, options: Mapping[str, Change] | None = None,
                     tests: Mapping[str, Change] | None = None, alerts: Mapping[str, Change] | None = None,
                     concepts: Mapping[str, Change] | None = None,
                     consistency: Mapping[str, Change] | None = None, implied: Mapping[str, Change] | None = None,
                     rules: Mapping[str, Change] | None = None, advice: Mapping[str, Change] | None = None,
                     add: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
                     edit: Callable[[Path], None] | None = None, include_drafts: bool | None = None,
                     check_examples: bool = True) -> KnowledgeBase:
        """A new knowledge base: this one with some entries changed, removed or added.

        The knowledge is copied to a temporary directory, changed there and loaded with every
        check; the files of this knowledge base are never written. The returned knowledge base's
        ``path`` is the copy, deleted when that knowledge base is garbage-collected or Python exits. Its
        version is this one's with ``+changed`` appended, so that an assessment made with it
        does not claim the shipped version.

        Parameters
        ----------
        sources, families, options, tests, alerts, concepts, consistency, implied, rules, advice : mapping, optional
            Id to change: a mapping of fields to set (``{"gives": "consider"}``), a function
            given the entry as a dict that edits it in place (e.g. ``lambda r: r["when"]["all"].pop()``),
            or ``None`` to remove the entry.
        add : mapping of str to list of dict, optional
            New entries by kind, e.g. ``{"sources": [...], "options": [...], "rules": [...]}``.
        edit : callable, optional
            ``edit(path)`` is called on the copied directory after the other changes, for any
            change they cannot express (e.g. editing a file's text).
        include_drafts : bool, optional
            Evaluate draft rules; by default as this knowledge base does.
        check_examples : bool
            Run every rule's worked examples (default). ``False`` loads a copy in which a change
            deliberately contradicts a rule's examples (e.g. to show a safety test failing).

        Returns
        -------
        KnowledgeBase

        Raises
        ------
        KnowledgeError
            The changed knowledge is not valid: the message names the file (relative to the
            copy), the entry and what is allowed, as for :func:`load_knowledge`.

        Examples
        --------
        >>> import bonemets
        >>> kb = bonemets.knowledge()
        >>> what_if = kb.with_changes(rules={"progression_molecular_testing": {"gives": "consider"}})
        >>> [r.rule.gives for r in what_if.rules if r.rule.id == "progression_molecular_testing"]
        ['consider']
        >>> retired = {"status": "retired", "retired": {"date": "2026-12-01", "reason": "what-if"}}
        >>> len(kb.with_changes(rules={"first_metastasis_biopsy": retired}).rules) == len(kb.rules) - 1
        True
        """
        changes = {kind: by_id for kind, by_id in (
            ("sources", sources), ("families", families), ("options", options), ("tests", tests),
            ("alerts", alerts), ("concepts", concepts), ("consistency", consistency), ("implied", implied),
            ("rules", rules), ("advice", advice)) if by_id}
        copy = Path(tempfile.mkdtemp(prefix="bonemets-knowledge-"))
        root = copy / "knowledge"
        try:
            shutil.copytree(self.path, root)
            apply_changes(root, changes, add or {})
            if edit is not None:
                edit(root)
            kb = load_knowledge(root, include_drafts=self.include_drafts if include_drafts is None else include_drafts,
                                check_examples=check_examples)
        except KnowledgeError as err:
            shutil.rmtree(copy, ignore_errors=True)
            raise KnowledgeError(f"changed copy of the knowledge: {str(err).replace(f'{root}{os.sep}', '')}") from None
        except BaseException:
            shutil.rmtree(copy, ignore_errors=True)
            raise
        weakref.finalize(kb, shutil.rmtree, copy, ignore_errors=True)
        kb.manifest = {**kb.manifest, "version": f"{self.version}+changed"}
        return kb

    def __repr__(self) -> str:
        drafts = f" ({len(self.draft_rules)} drafts)" if self.draft_rules else ""
        return (f"<KnowledgeBase {self.manifest.get('name', '')} {self.version}: "
                f"{len(self.families)} families, {len(self.options)} options, {len(self.tests)} tests, "
                f"{len(self.alerts)} alerts, {len(self.rules)} rules{drafts}, {len(self.sources)} sources>")


def default_path() -> Path:
    """The knowledge shipped with the package (``$BONEMETS_KNOWLEDGE`` overrides it)."""
    if os.environ.get("BONEMETS_KNOWLEDGE"):
        return Path(os.environ["BONEMETS_KNOWLEDGE"])
    return data_dir() / "knowledge"


_LOADED: dict[tuple[Path, bool], KnowledgeBase] = {}
_LOADING = threading.Lock()  # threads starting together load the knowledge once, not once each


def _load_cached(path: Path, include_drafts: bool) -> KnowledgeBase:
    key = (path, include_drafts)
    found = _LOADED.get(key)
    if found is None:
        with _LOADING:
            found = _LOADED.get(key)
            if found is None:
                found = _LOADED[key] = load_knowledge(path, include_drafts=include_drafts)
    return found


def knowledge(path: str | Path | None = None, *, include_drafts: bool = False) -> KnowledgeBase:
    """The loaded, validated knowledge base (cached per directory).

    Parameters
    ----------
    path : str or Path, optional
        A knowledge directory; by default the one shipped with bonemets.
    include_drafts : bool
        Also evaluate rules with ``status: draft`` (by default they are checked but inactive).

    Raises
    ------
    KnowledgeError
        Naming the file, the entry and what is allowed.
    """
    if path is None:  # the common call: no path to resolve again
        return _load_default(os.environ.get("BONEMETS_KNOWLEDGE"), include_drafts)
    return _load_cached(Path(path).resolve(), include_drafts)


def _load_default(environment: str | None, include_drafts: bool) -> KnowledgeBase:
    """The default knowledge for one value of ``$BONEMETS_KNOWLEDGE``."""
    return _load_cached(_default_resolved(environment), include_drafts)


@cache
def _default_resolved(environment: str | None) -> Path:
    return default_path().resolve()


def load_knowledge(path: str | Path, *, include_drafts: bool = False, check_examples: bool = True) -> KnowledgeBase:
    """Load and check a knowledge directory afresh (no cache); see :func:`knowledge`.

    Parameters
    ----------
    path : str or Path
    include_drafts : bool
        Also evaluate rules with ``status: draft``; by default they are checked (and their
        examples run) but not evaluated.
    check_examples : bool
        Run every rule's worked examples against its condition (default).
    """
    path = Path(path)
    if not path.is_dir():
        raise KnowledgeError(f"{path}: not a knowledge directory")
    kb = KnowledgeBase(path, include_drafts)
    kb.manifest = read_manifest(path / "manifest.yaml", Manifest)
    for file in sorted((path / "sources").glob("*.yaml")):
        kb.sources.update(read_entries(file, Source, kb.sources))
    if not kb.sources:
        raise KnowledgeError(f"{path / 'sources'}: no source files (*.yaml)")
    tables: list[tuple[str, type[Family | Option | Test | AlertDef | Concept], dict[str, Any]]] = [
        ("families.yaml", Family, kb.families), ("options.yaml", Option, kb.options), ("tests.yaml", Test, kb.tests),
        ("alerts.yaml", AlertDef, kb.alerts), ("concepts.yaml", Concept, kb.concepts)]
    for name, model, table in tables:
        table.update(read_entries(path / name, model))
        check_citations(path / name, table, kb.sources)
    check_items(path, kb.families, kb.options, kb.tests, kb.alerts)
    kb.advice = read_entries(path / "advice.yaml", Advice)
    check_citations(path / "advice.yaml", kb.advice, kb.sources)
    check_advice(path / "advice.yaml", kb.advice, {**kb.families, **kb.options, **kb.tests, **kb.alerts})
    kb._index()
    for c in kb.concepts.values():
        if c.active:
            kb.concept_nodes[c.id] = compile_condition(c.when, f"{path / 'concepts.yaml'}: concept '{c.id}': when",
                                                       kb.concept_nodes)
    for contradiction in read_entries(path / "consistency.yaml", Consistency).values():
        if contradiction.active:
            node = compile_consistency(path / "consistency.yaml", contradiction, kb.concept_nodes)
            kb.consistency.append((contradiction, node))
    for implication in read_entries(path / "implied.yaml", Implication).values():
        check_citations(path / "implied.yaml", {implication.id: implication}, kb.sources)
        if implication.active:
            premise, contradicts = compile_implication(path / "implied.yaml", implication, kb.concept_nodes)
            kb.implied.append((implication, premise))
            field, value, least = implication.implies.field, implication.implies.is_, implication.implies.ge
            fields = list(dict.fromkeys([*inputs_of(a.field for a in premise.atoms()), field]))
            said = (f"at least {least:g}" if least is not None else ("true" if value else "false")
                    if isinstance(value, bool) else value)
            kb.consistency.append((Consistency(id=implication.id, status="active", fields=fields, when=implication.when,
                                               message=f"{implication.title}, so {field} is {said}"), contradicts))
    items: dict[str, Family | Option | Test | AlertDef] = {**kb.families, **kb.options, **kb.tests, **kb.alerts}
    if not sorted((path / "rules").glob("*.yaml")):
        raise KnowledgeError(f"{path / 'rules'}: no rule files (*.yaml)")
    rule_files: dict[str, Path] = {}
    checked: list[CompiledRule] = []
    for file in sorted((path / "rules").glob("*.yaml")):
        for rule in read_entries(file, Rule).values():
            if rule.id in rule_files:
                raise KnowledgeError(f"{file}: rule '{rule.id}': id already used in {rule_files[rule.id]}")
            rule_files[rule.id] = file
            check_citations(file, {rule.id: rule}, kb.sources)
            if not rule.active:
                kb.retired_rules.append(rule)
                continue
            compiled = compile_rule(file, rule, items, kb._options_of, kb.concept_nodes)
            checked.append(compiled)
            if rule.status == "draft":
                kb.draft_rules.append(compiled)
            if rule.status == "active" or include_drafts:
                kb.rules.append(compiled)
    if check_examples:
        run_examples(checked)
    kb._index()
    return kb
