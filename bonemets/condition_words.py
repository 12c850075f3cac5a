"""Compiled conditions of the knowledge base in words, for people who do not read YAML.

``{field: creatinine_clearance_ml_min, lt: 30}`` reads ``Creatinine clearance (mL/min): below 30``;
``all:``, ``any:`` and ``not:`` become ``all of:``, ``any of:`` and ``not:`` with their parts under
them; a named condition (``ref:``) reads as its title, with its own definition under it. Field
names are shown as labels and values with spaces, never as snake_case ids.

>>> import bonemets
>>> kb = bonemets.knowledge()
>>> rule = next(r for r in kb.rules if r.rule.id == "low_clearance_avoid_iv_bisphosphonate")
>>> describe(rule.condition, kb).text
'Creatinine clearance (mL/min): below 30'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .conditions import AllOf, Always, AnyOf, Atom, Negation, Node, Ref
from .labels import field_label, value_text

if TYPE_CHECKING:  # pragma: no cover
    from .knowledge import KnowledgeBase

_NUMBER_WORDS = {"lt": "below {}", "le": "{} or less", "gt": "above {}", "ge": "{} or more"}


@dataclass(frozen=True)
class Clause:
    """A condition in words: one line of text and the clauses it is made of.

    Attributes
    ----------
    text : str
        ``all of:``, ``any of:``, ``not:``, a named condition's title, or one field test.
    parts : tuple of Clause
        The clauses under ``text`` (empty for a field test).
    named : bool
        True for a named condition (a concept), whose parts are its definition.
    """

    text: str
    parts: tuple[Clause, ...] = ()
    named: bool = False

    def flat(self) -> str:
        """The whole condition on one line, e.g. ``all of: (ER: positive; PR: negative)``."""
        if not self.parts:
            return self.text
        return f"{self.text} ({'; '.join(p.flat() for p in self.parts)})"


def word_list(words: list[str], conjunction: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c`` (or with another conjunction, e.g. ``and``)."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def field_test_words(atom: Atom) -> str:
    """One field test in words, e.g. ``Bone sites: includes upper arm or upper leg``."""
    words = []
    for op, value in atom.tests:
        if op == "unknown":
            words.append("unknown" if value else "known")
        elif op in _NUMBER_WORDS:
            words.append(_NUMBER_WORDS[op].format(f"{value:g}"))
        elif op in ("in", "has_any"):
            either = word_list([value_text(v) for v in value])
            words.append(either if op == "in" else f"includes {either}")
        elif op == "has":
            words.append(f"includes {value_text(value)}")
        elif op == "empty":
            words.append("none" if value else "at least one")
        else:  # ``is`` on an enum or a true/false field
            words.append(value_text(value))
    return f"{field_label(atom.field)}: {' and '.join(words)}"


def describe(node: Node, kb: KnowledgeBase) -> Clause:
    """A compiled condition in words; ``kb`` gives the titles of named conditions (concepts).

    Parameters
    ----------
    node : Node
        A compiled condition (``CompiledRule.condition``, or a concept's node).
    kb : KnowledgeBase
        The knowledge the condition was compiled with.

    Returns
    -------
    Clause
    """
    if isinstance(node, Atom):
        return Clause(field_test_words(node))
    if isinstance(node, (AllOf, AnyOf)):
        word = "all of:" if isinstance(node, AllOf) else "any of:"
        return Clause(word, tuple(describe(c, kb) for c in node.children))
    if isinstance(node, Negation):
        return Clause("not:", (describe(node.child, kb),))
    if isinstance(node, Ref):
        concept = kb.concepts.get(node.name)
        title = concept.title if concept is not None else node.name.replace("_", " ")
        return Clause(title, (describe(node.target, kb),), named=True)
    if isinstance(node, Always):
        return Clause("every case (always applies)")
    raise TypeError(f"cannot describe a {type(node).__name__} condition")


def fields_of(node: Node) -> list[str]:
    """The field names a condition tests, in order of first use (each once)."""
    return list(dict.fromkeys(a.field for a in node.atoms()))
