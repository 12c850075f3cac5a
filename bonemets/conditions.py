"""The condition language of the knowledge base, compiled once when the knowledge is loaded.

A condition is a YAML mapping, one of:

``all: [c, ...]`` / ``any: [c, ...]`` / ``not: c``
    Kleene conjunction, disjunction and negation.
``ref: concept_id``
    A named condition from ``concepts.yaml``.
``always: true``
    True on every case.
``field: NAME`` with one or more tests
    ``is: v`` and ``in: [v, ...]`` (enum and true/false fields); ``has: v``, ``has_any: [v, ...]``
    and ``empty: true`` (list fields); ``lt``, ``le``, ``gt``, ``ge`` (numbers and derived
    numbers such as ``creatinine_clearance_ml_min``); ``unknown: true|false`` (any field).
    Several tests on one field must all hold.

A test on an unknown field is *unknown*, not false, except ``unknown:`` itself, which is
always known. Nothing is evaluated with ``eval``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .case import FIELDS, suggest
from .derived import DERIVED
from .exceptions import KnowledgeError
from .logic import FALSE, TRUE, UNKNOWN
from .messages import shown

_OPS = {
    "enum": ("is", "in"),
    "bool": ("is",),
    "list": ("has", "has_any", "empty"),
    "int": ("lt", "le", "gt", "ge"),
    "float": ("lt", "le", "gt", "ge"),
}
_COMPARE = ("lt", "le", "gt", "ge")
_SYMBOL = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


class Node:
    """A compiled condition; :mod:`bonemets.program` evaluates it."""

    def atoms(self) -> Iterator[Atom]:
        """Every field test inside this condition, depth first."""
        raise NotImplementedError


@dataclass(frozen=True)
class Atom(Node):
    """A test on one field, e.g. ``her2 is positive``."""

    field: str
    kind: str
    tests: tuple[tuple[str, Any], ...]
    key: str = dataclasses.field(init=False, repr=False, compare=False)

    luts: tuple[np.ndarray | None, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.field}:{self.tests}")
        object.__setattr__(self, "luts", tuple(self._lut(op, value) for op, value in self.tests))

    def _lut(self, op: str, value: Any) -> np.ndarray | None:
        """For a test on an enum field: the truth value of each code, the last entry (code -1) unknown."""
        if self.kind != "enum" or op == "unknown":
            return None
        allowed = FIELDS[self.field].allowed
        lut = np.full(len(allowed) + 1, FALSE, dtype=np.int8)
        lut[[allowed.index(v) for v in (value if op == "in" else [value])]] = TRUE
        lut[-1] = UNKNOWN
        return lut

    def text(self) -> str:
        """The test as a reader writes it, e.g. ``her2 in {low, negative}``."""
        parts = []
        for op, value in self.tests:
            if op == "unknown":
                parts.append(f"{self.field} is {'unknown' if value else 'known'}")
            elif op in _SYMBOL:
                parts.append(f"{self.field} {_SYMBOL[op]} {value:g}")
            elif op in ("in", "has_any"):
                word = "in" if op == "in" else "includes any of"
                parts.append(f"{self.field} {word} {{{', '.join(map(str, value))}}}")
            elif op == "has":
                parts.append(f"{self.field} includes {value}")
            elif op == "empty":
                parts.append(f"{self.field} is {'empty' if value else 'not empty'}")
            else:
                parts.append(f"{self.field} is {str(value).lower()}")
        return " and ".join(parts)

    def atoms(self) -> Iterator[Atom]:
        yield self


@dataclass(frozen=True)
class AllOf(Node):
    children: tuple[Node, ...]

    def atoms(self) -> Iterator[Atom]:
        for c in self.children:
            yield from c.atoms()


@dataclass(frozen=True)
class AnyOf(Node):
    children: tuple[Node, ...]

    def atoms(self) -> Iterator[Atom]:
        for c in self.children:
            yield from c.atoms()


@dataclass(frozen=True)
class Negation(Node):
    child: Node

    def atoms(self) -> Iterator[Atom]:
        yield from self.child.atoms()


@dataclass(frozen=True)
class Always(Node):
    def atoms(self) -> Iterator[Atom]:
        return iter(())


@dataclass(frozen=True)
class Ref(Node):
    """A named condition (concept); compiled once however often it is referred to."""

    name: str
    target: Node

    def atoms(self) -> Iterator[Atom]:
        yield from self.target.atoms()


def field_kind(name: str) -> str | None:
    """The kind of a case field or derived number, or None if there is no such name."""
    if name in FIELDS:
        return FIELDS[name].kind
    return "float" if name in DERIVED else None


def compile_condition(spec: Any, where: str, concepts: dict[str, Node]) -> Node:
    """Compile one condition mapping.

    Parameters
    ----------
    spec : object
        The parsed YAML.
    where : str
        Where the condition stands, for error messages (file, entry and path).
    concepts : dict
        Concepts compiled so far, for ``ref:``.

    Raises
    ------
    KnowledgeError
        Naming ``where``, the problem and what is allowed.
    """
    if not isinstance(spec, dict) or not spec:
        raise KnowledgeError(f"{where}: a condition must be a mapping such as "
                             "{field: er, is: positive}, {all: [...]}, {any: [...]}, {not: ...}, "
                             f"{{ref: concept}} or {{always: true}}; got {shown(spec)}")
    keys = set(spec)
    for word, node in (("all", AllOf), ("any", AnyOf)):
        if word in spec:
            _only(keys, {word}, where)
            items = spec[word]
            if not isinstance(items, list) or not items:
                raise KnowledgeError(f"{where}.{word}: must be a non-empty list of conditions")
            return node(tuple(compile_condition(c, f"{where}.{word}[{i}]", concepts)
                              for i, c in enumerate(items)))
    if "not" in spec:
        _only(keys, {"not"}, where)
        return Negation(compile_condition(spec["not"], f"{where}.not", concepts))
    if "ref" in spec:
        _only(keys, {"ref"}, where)
        name = spec["ref"]
        if not isinstance(name, str):
            raise KnowledgeError(f"{where}: ref takes the name of a concept, not {shown(name)}")
        if name not in concepts:
            raise KnowledgeError(f"{where}: ref {shown(name)} is not a concept defined before it"
                                 f"{suggest(name, concepts)}; concepts: {', '.join(concepts) or 'none'}")
        return Ref(name, concepts[name])
    if "always" in spec:
        _only(keys, {"always"}, where)
        if spec["always"] is not True:
            raise KnowledgeError(f"{where}: 'always' takes only true")
        return Always()
    if "field" in spec:
        return _atom(spec, where)
    raise KnowledgeError(f"{where}: unknown condition key(s) {shown(sorted(map(str, keys)))}; allowed: all, any, "
                         "not, ref, always, field")


def _only(keys: set[str], allowed: set[str], where: str) -> None:
    extra = keys - allowed
    if extra:
        raise KnowledgeError(f"{where}: {sorted(allowed)[0]!r} cannot be combined with {sorted(extra)}")


def _atom(spec: dict[str, Any], where: str) -> Atom:
    name = spec["field"]
    if not isinstance(name, str):
        raise KnowledgeError(f"{where}: field takes the name of a case field or derived number, not {shown(name)}")
    kind = field_kind(name)
    if kind is None:
        names = list(FIELDS) + list(DERIVED)
        raise KnowledgeError(f"{where}: field {shown(name)} is not a case field or derived number"
                             f"{suggest(name, names)}")
    ops = [k for k in spec if k != "field"]
    if not ops:
        raise KnowledgeError(f"{where}: field '{name}' needs a test; allowed: "
                             f"{', '.join(_OPS[kind] + ('unknown',))}")
    tests = []
    for op in ops:
        value = spec[op]
        if op != "unknown" and op not in _OPS[kind]:
            raise KnowledgeError(f"{where}: test {shown(op)} does not apply to {kind} field '{name}'; "
                                 f"allowed: {', '.join(_OPS[kind] + ('unknown',))}")
        tests.append((op, _check_value(name, kind, op, value, where)))
    return Atom(name, kind, tuple(tests))


def _check_value(name: str, kind: str, op: str, value: Any, where: str) -> Any:
    if op in ("unknown", "empty") or kind == "bool":
        if not isinstance(value, bool):
            raise KnowledgeError(f"{where}: '{op}' on '{name}' takes true or false, not {shown(value)}")
        return value
    if op in _COMPARE:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise KnowledgeError(f"{where}: '{op}' on '{name}' takes a number, not {shown(value)}")
        return float(value)
    allowed = FIELDS[name].allowed
    values = value if op in ("in", "has_any") else [value]
    if op in ("in", "has_any") and (not isinstance(value, list) or not value):
        raise KnowledgeError(f"{where}: '{op}' on '{name}' takes a non-empty list")
    for v in values:
        if v == "unknown":
            raise KnowledgeError(f"{where}: test {name} for unknown with 'unknown: true', "
                                 "not as a value")
        if not isinstance(v, str) or v not in allowed:
            raise KnowledgeError(f"{where}: {shown(v)} is not a value of '{name}'{suggest(str(v), allowed)}; "
                                 f"allowed: {', '.join(allowed)}")
    return tuple(values) if op in ("in", "has_any") else value
