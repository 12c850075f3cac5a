"""The tests a pending safety check names on each row: those that settle what it still waits on.

A safety check (a rule with ``check: <test>``, contract §6) is pending where its value is unknown.
Its own test settles it as a whole, but where part of what it reads is known, the test to do is
the one that settles the rest: raised calcium with the symptoms unknown waits on the examination;
the same check with the symptoms known and the calcium unknown waits on the blood test. So each
check's fields are grouped by the test that settles them -- its own test where that settles the
field, else the field's first settling test (``settles:`` in ``tests.yaml``), else its own test --
and on each row the check names the tests of the groups that have an unknown field. A field read
through a derived number (corrected calcium, creatinine clearance) counts as its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .derived import DERIVED
from .exceptions import KnowledgeError

if TYPE_CHECKING:
    from .columns import Columns
    from .knowledge import CompiledRule, KnowledgeBase


@dataclass(frozen=True)
class CheckTests:
    """How the safety checks of a knowledge base map onto the tests that settle them.

    Attributes
    ----------
    tests : tuple of str
        Every test a pending check can name; bit ``j`` of a test mask is ``tests[j]``.
    groups : tuple of tuple of (int, tuple of str)
        Per safety check, in the order of ``plan(kb).check_ids``: each test bit it can name and
        the fields that test settles for it.
    own : tuple of int
        Per safety check, the bit of its own test (named where no field it reads is unknown).
    """

    tests: tuple[str, ...]
    groups: tuple[tuple[tuple[int, tuple[str, ...]], ...], ...]
    own: tuple[int, ...]


def fields_read(rule: CompiledRule) -> tuple[str, ...]:
    """The case fields a rule's condition reads (a derived number: its inputs), in order, each once."""
    names = [n for atom in rule.condition.atoms() for n in (DERIVED[atom.field].inputs if atom.field in DERIVED
                                                            else (atom.field,))]
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=256)
def test_groups(rule: CompiledRule, kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """A safety check's fields grouped by the test that settles them (see the module docstring)."""
    own = str(rule.rule.check)
    groups: dict[str, list[str]] = {}
    for field in fields_read(rule):
        settled_by = kb.settled_by(field)
        test = own if own in settled_by or not settled_by else settled_by[0]
        groups.setdefault(test, []).append(field)
    return {test: tuple(fields) for test, fields in groups.items()}


@lru_cache(maxsize=16)
def check_tests(kb: KnowledgeBase) -> CheckTests:
    """The :class:`CheckTests` of a knowledge base (cached per knowledge base object)."""
    checks = [r for r in kb.rules if r.rule.check is not None]
    per_check = [test_groups(r, kb) for r in checks]
    tests = tuple(dict.fromkeys([*(t for groups in per_check for t in groups), *(str(r.rule.check) for r in checks)]))
    if len(tests) > 32:
        raise KnowledgeError(f"{kb.path}: {len(tests)} tests settle safety checks; the engine handles at most 32")
    return CheckTests(tests, tuple(tuple((tests.index(t), fields) for t, fields in groups.items())
                                   for groups in per_check),
                      tuple(tests.index(str(r.rule.check)) for r in checks))


def test_masks(cols: Columns, kb: KnowledgeBase) -> list[np.ndarray]:
    """Per safety check, the tests it names on each row (a mask over ``check_tests(kb).tests``)."""
    plan = check_tests(kb)
    unknown: dict[str, np.ndarray] = {}
    masks: list[np.ndarray] = []
    for groups in plan.groups:
        mask = np.zeros(cols.n, dtype=np.uint32)
        for bit, fields in groups:
            waiting = np.zeros(cols.n, dtype=bool)
            for field in fields:
                if field not in unknown:
                    unknown[field] = cols.unknown(field)
                waiting |= unknown[field]
            mask |= waiting.astype(np.uint32) << np.uint32(bit)
        own = np.uint32(1) << np.uint32(plan.own[len(masks)])
        masks.append(np.where(mask == 0, own, mask))  # nothing it reads is unknown: its own test
    return masks


def named_tests(checks: np.ndarray, masks: list[np.ndarray]) -> np.ndarray:
    """The tests named by the pending checks of an item: ``checks`` is its mask of pending checks
    (bit ``i`` is check ``i``), ``masks`` what :func:`test_masks` gives."""
    out = np.zeros(len(checks), dtype=np.uint32)
    for i, mask in enumerate(masks):
        on = (checks >> np.uint32(i)) & np.uint32(1)
        if on.any():
            out |= np.where(on.astype(bool), mask, np.uint32(0))
    return out
