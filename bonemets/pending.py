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

from .derived import inputs_of
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
    fields : tuple of str
        Every field a safety check reads.
    reads : ndarray of float64, shape (groups of every check, fields)
        1 where a group (checks in order, each check's groups in order) holds a field.
    weights : ndarray of float64, shape (checks, groups of every check)
        A group's test bit as a number (``2**bit``) in its check's row: a check's test mask is
        this row times the groups that wait (bits within a check are distinct, so the sum is the
        union).
    """

    tests: tuple[str, ...]
    groups: tuple[tuple[tuple[int, tuple[str, ...]], ...], ...]
    own: tuple[int, ...]
    fields: tuple[str, ...]
    reads: np.ndarray
    weights: np.ndarray


@lru_cache(maxsize=256)
def test_groups(rule: CompiledRule, kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """A safety check's fields grouped by the test that settles them (see the module docstring)."""
    own = str(rule.rule.check)
    groups: dict[str, list[str]] = {}
    for field in inputs_of(atom.field for atom in rule.condition.atoms()):
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
    groups = tuple(tuple((tests.index(t), fields) for t, fields in by_test.items()) for by_test in per_check)
    flat = [(k, bit, fields) for k, check in enumerate(groups) for bit, fields in check]
    names = tuple(dict.fromkeys(f for _, _, fields in flat for f in fields))
    reads = np.zeros((len(flat), len(names)), dtype=np.float64)
    weights = np.zeros((len(groups), len(flat)), dtype=np.float64)
    for g, (k, bit, fields) in enumerate(flat):
        reads[g, [names.index(f) for f in fields]] = 1
        weights[k, g] = 1 << bit
    return CheckTests(tests, groups, tuple(tests.index(str(r.rule.check)) for r in checks), names, reads, weights)


#: Up to this many rows the masks are two matrix products (fewest numpy calls); above it, one
#: union and one sum a group (a product of floating-point matrices costs more on long rows).
FEW_ROWS = 64


def test_masks(cols: Columns, kb: KnowledgeBase) -> np.ndarray:
    """Per safety check (a row), the tests it names on each row of cases (a mask over
    ``check_tests(kb).tests``, in the smallest unsigned integer type that holds them)."""
    plan = check_tests(kb)
    dtype = np.min_scalar_type((1 << len(plan.tests)) - 1)
    if cols.n <= FEW_ROWS:
        unknown = np.array([cols.unknown(f) for f in plan.fields], dtype=np.float64).reshape(len(plan.fields), cols.n)
        waiting = (plan.reads @ unknown) > 0
        masks = (plan.weights @ waiting.astype(np.float64)).astype(dtype)  # exact: sums of distinct 2**bit
    else:
        flags = {f: cols.unknown(f) for f in plan.fields}
        waits: dict[tuple[str, ...], np.ndarray] = {}  # checks share groups (clearance, calcium...)
        made: dict[tuple[tuple[int, tuple[str, ...]], ...], np.ndarray] = {}
        masks = np.zeros((len(plan.groups), cols.n), dtype=dtype)
        for mask, groups in zip(masks, plan.groups, strict=True):
            if groups in made:
                mask[:] = made[groups]
                continue
            for bit, fields in groups:
                if fields not in waits:
                    waiting = flags[fields[0]]
                    for f in fields[1:]:
                        waiting = waiting | flags[f]
                    waits[fields] = waiting.view(np.uint8)
                np.add(mask, waits[fields] * dtype.type(1 << bit), out=mask)  # (a product: shifts are slow)
            made[groups] = mask
    own = np.array([1 << bit for bit in plan.own], dtype=dtype)[:, None]
    return masks + (masks == 0) * own  # nothing it reads is unknown: its own test (np.where broadcasts slowly)


def named_tests(checks: np.ndarray, masks: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The tests named by the pending checks of an item: ``checks`` is its mask of pending checks
    (bit ``i`` is check ``i``), ``masks`` what :func:`test_masks` gives; written into ``out``
    when given."""
    if out is None:
        out = np.empty(len(checks), dtype=masks.dtype)
    out.fill(0)
    present = int(np.bitwise_or.reduce(checks)) if len(checks) else 0
    for i in range(min(len(masks), present.bit_length())):
        if present >> i & 1:  # only the checks pending on some row (an item has few)
            out |= masks[i] * ((checks & checks.dtype.type(1 << i)) != 0)  # (no wider type: no casts)
    return out
