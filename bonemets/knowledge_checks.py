"""Checks across knowledge entries, once every file is read: references, rule targets, and the
rules' worked examples run against their conditions.

Each check raises :class:`~bonemets.KnowledgeError` naming the file, the entry and what is
allowed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from .case import FIELDS, Case, suggest
from .columns import DERIVED, cases_frame, encode
from .conditions import Node, compile_condition
from .exceptions import KnowledgeError
from .knowledge_models import (
    Advice,
    AlertDef,
    CompiledRule,
    Consistency,
    Family,
    Implication,
    Option,
    Rule,
    Test,
    _Lifecycled,
)
from .program import compile_program
from .vocabulary import ALERT_LEVELS

Item = Family | Option | Test | AlertDef
#: What each kind of example must make its rule's condition: true, false or unknown.
EXPECTED: dict[str, bool | None] = {"triggers": True, "does_not_trigger": False, "undetermined": None}
_WORD = {True: "true", False: "false", None: "unknown"}


def check_citations(file: Path, entries: Mapping[str, _Lifecycled], sources: Mapping[str, object]) -> None:
    """Every citation of every entry names a source that exists."""
    for entry in entries.values():
        for cit in entry.citations():
            if cit.source not in sources:
                raise KnowledgeError(f"{file}: entry '{entry.id}': source '{cit.source}' is not in sources/"
                                     f"{suggest(cit.source, sources)}")


def check_items(path: Path, families: Mapping[str, Family], options: Mapping[str, Option],
                tests: Mapping[str, Test], alerts: Mapping[str, AlertDef]) -> None:
    """Ids unique across kinds; each option in a family; monitoring names tests; settles names fields."""
    kinds: dict[str, str] = {}
    for kind, table in (("family", families), ("option", options), ("test", tests), ("alert", alerts)):
        for i in table:
            if i in kinds:
                raise KnowledgeError(f"{path}: id '{i}' is both a {kinds[i]} and a {kind}")
            kinds[i] = kind
    for o in options.values():
        if o.family not in families:
            raise KnowledgeError(f"{path / 'options.yaml'}: entry '{o.id}': family '{o.family}' is not a family"
                                 f"{suggest(o.family, families)}; families: {', '.join(families)}")
        for test_id in o.monitoring:
            if test_id not in tests:
                raise KnowledgeError(f"{path / 'options.yaml'}: entry '{o.id}': monitoring '{test_id}' is not a test"
                                     f"{suggest(test_id, tests)}")
    names = list(FIELDS) + list(DERIVED)
    for t in tests.values():
        for f in t.settles:
            if f not in names:
                raise KnowledgeError(f"{path / 'tests.yaml'}: entry '{t.id}': settles '{f}', which is not a "
                                     f"case field{suggest(f, names)}")


def check_advice(file: Path, advice: Mapping[str, Advice], items: Mapping[str, Item]) -> None:
    """Each piece of advice applies ``[always]`` or with live family, option, test or alert ids."""
    for a in advice.values():
        where = f"{file}: entry '{a.id}': applies"
        if "always" in a.applies and len(a.applies) > 1:
            raise KnowledgeError(f"{where}: 'always' stands alone; write [always] or a list of ids")
        for item_id in a.applies:
            if item_id == "always":
                continue
            if item_id not in items:
                raise KnowledgeError(f"{where}: '{item_id}' is not a family, option, test or alert id"
                                     f"{suggest(item_id, items)}; or write [always]")
            if not items[item_id].active:
                raise KnowledgeError(f"{where}: '{item_id}' is retired")


def compile_consistency(file: Path, entry: Consistency, concepts: Mapping[str, Node]) -> Node:
    """A contradiction's condition, after checking the fields it names."""
    where = f"{file}: entry '{entry.id}'"
    for f in entry.fields:
        if f not in FIELDS:
            raise KnowledgeError(f"{where}: field '{f}' is not a case field{suggest(f, FIELDS)}")
    return compile_condition(entry.when, f"{where}: when", dict(concepts))


def compile_implication(file: Path, entry: Implication, concepts: Mapping[str, Node]) -> tuple[Node, Node]:
    """An implication's premise, and the contradiction of a case that gives the implied field
    another value, after checking the field and value it implies."""
    where = f"{file}: entry '{entry.id}'"
    field, value = entry.implies.field, entry.implies.is_
    spec = FIELDS.get(field)
    if entry.implies.ge is not None:
        return _bound_implication(where, entry, entry.implies.ge, dict(concepts))
    if spec is None or spec.kind not in ("enum", "bool"):
        raise KnowledgeError(f"{where}: implies: field '{field}' is not a one-value or true/false case field"
                             f"{suggest(field, [f for f, s in FIELDS.items() if s.kind in ('enum', 'bool')])}")
    if (spec.kind == "bool" and not isinstance(value, bool)) or (spec.kind == "enum" and value not in spec.allowed):
        allowed = "true, false" if spec.kind == "bool" else ", ".join(spec.allowed)
        raise KnowledgeError(f"{where}: implies: '{value}' is not a value of '{field}'; allowed: {allowed}")
    premise = compile_condition(entry.when, f"{where}: when", dict(concepts))
    other = ({"field": field, "is": not value} if spec.kind == "bool"
             else {"field": field, "in": [v for v in spec.allowed if v != value]})
    contradiction = compile_condition({"all": [entry.when, other]}, f"{where}: when", dict(concepts))
    return premise, contradiction


def _bound_implication(where: str, entry: Implication, least: float, concepts: dict[str, Node]) -> tuple[Node, Node]:
    """The premise of an implication of a least value, and the contradiction of a case that gives
    the field less, after checking that the field is a number field and the value in its range."""
    field = entry.implies.field
    spec = FIELDS.get(field)
    if spec is None or spec.kind not in ("int", "float"):
        raise KnowledgeError(f"{where}: implies: field '{field}' is not a number case field"
                             f"{suggest(field, [f for f, s in FIELDS.items() if s.kind in ('int', 'float')])}")
    if not spec.plausible[0] < least <= spec.plausible[1]:
        raise KnowledgeError(f"{where}: implies: ge {least:g} is outside what '{field}' can be, above "
                             f"{spec.plausible[0]:g} and at most {spec.plausible[1]:g}")
    premise = compile_condition(entry.when, f"{where}: when", concepts)
    less = compile_condition({"all": [entry.when, {"field": field, "lt": least}]}, f"{where}: when", concepts)
    return premise, less


def compile_rule(file: Path, rule: Rule, items: Mapping[str, Item], options_of: Mapping[str, Sequence[str]],
                 concepts: Mapping[str, Node]) -> CompiledRule:
    """A rule whose targets exist and are live, with ``gives`` or ``level`` as its targets need,
    its condition compiled.

    Parameters
    ----------
    file : Path
    rule : Rule
    items : mapping of str to entry
        Every family, option, test and alert by id, retired ones included.
    options_of : mapping of str to sequence of str
        The active options of each family.
    concepts : mapping of str to Node
        The compiled concepts a condition may ``ref``.
    """
    where = f"{file}: rule '{rule.id}'"
    kinds = set()
    for target_id in rule.targets:
        if target_id not in items:
            raise KnowledgeError(f"{where}: target '{target_id}' is not a family, option, test or alert id"
                                 f"{suggest(target_id, items)}")
        target = items[target_id]
        if not target.active:
            raise KnowledgeError(f"{where}: target '{target_id}' is retired")
        if isinstance(target, Family) and options_of.get(target_id):
            raise KnowledgeError(f"{where}: family '{target_id}' has options "
                                 f"({', '.join(options_of[target_id])}); target one of them")
        kinds.add("alert" if isinstance(target, AlertDef) else "item")
    if len(kinds) > 1:
        raise KnowledgeError(f"{where}: targets mix alerts and other items; split the rule")
    if kinds == {"alert"} and (rule.level is None or rule.gives is not None):
        raise KnowledgeError(f"{where}: a rule for an alert needs 'level' ({', '.join(ALERT_LEVELS)}) and no 'gives'")
    if kinds == {"item"} and (rule.gives is None or rule.level is not None):
        raise KnowledgeError(f"{where}: a rule for a family, option or test needs 'gives' "
                             "(recommended, consider, not_indicated, avoid) and no 'level'")
    if rule.check is not None:
        test = items.get(rule.check)
        if not isinstance(test, Test) or not test.active:
            raise KnowledgeError(f"{where}: check '{rule.check}' is not an active test id"
                                 f"{suggest(rule.check, [i for i, t in items.items() if isinstance(t, Test)])}")
        if rule.gives != "avoid":
            raise KnowledgeError(f"{where}: a safety check ('check') withholds its targets: it needs 'gives: avoid'")
    node = compile_condition(rule.when, f"{where}: when", dict(concepts))
    if not rule.examples.does_not_trigger and rule.when != {"always": True}:
        raise KnowledgeError(f"{where}: examples.does_not_trigger needs at least one case "
                             "(only an 'always: true' rule may have none)")
    return CompiledRule(rule, node, str(file))


def run_examples(rules: Sequence[CompiledRule]) -> None:
    """Run every rule's worked examples: each must make the rule's condition true (``triggers``),
    false (``does_not_trigger``) or unknown (``undetermined``).

    All examples are encoded as one frame, as :func:`~bonemets.assess_cohort` reads cases, and
    each condition is evaluated on it once.

    Raises
    ------
    KnowledgeError
        Naming the file, the rule, the example and the value it gave.
    """
    rows: list[tuple[CompiledRule, str, int, Case]] = [
        (r, kind, i, case) for r in rules for kind in EXPECTED
        for i, case in enumerate(getattr(r.rule.examples, kind))]
    if not rows:
        return
    cols = encode(cases_frame(case for *_, case in rows))
    values = compile_program({str(id(r)): r.condition for r in rules}).run(cols)
    for row, (r, kind, i, case) in enumerate(rows):
        got = values[str(id(r))].at(row)
        if got is not EXPECTED[kind]:
            written = yaml.safe_dump(case.model_dump(exclude_unset=True), default_flow_style=True, sort_keys=False,
                                     width=10_000).strip()
            raise KnowledgeError(
                f"{r.file}: rule '{r.rule.id}': examples.{kind}[{i}] {written} makes the condition "
                f"{_WORD[got]}; '{kind}' examples must make it {_WORD[EXPECTED[kind]]}")
