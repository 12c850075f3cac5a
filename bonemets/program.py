"""Conditions compiled into one flat program: a few numpy operations for all of them at once.

Every distinct node of the conditions (a field test, ``all``, ``any``, ``not``; a ``ref`` is its
concept's node, evaluated once) gets a row of one int8 matrix of Kleene values (1 true,
0 unknown, -1 false; see :mod:`bonemets.logic`):

1. Field tests of one kind are computed together: every test on an enum field is one byte-table
   lookup (:mod:`bonemets.lookup`); true/false fields, ``unknown:`` tests, list tests and number
   comparisons are one or two array operations each kind. A number comparison reads the number's
   bounds (:meth:`bonemets.columns.Columns.bounds`): true when the whole range passes, false when
   none of it does, unknown otherwise.
2. Composite nodes are computed level by level (a node's level is one more than its deepest
   child), grouped by operation and number of children: ``all`` is the minimum of the children's
   rows, ``any`` the maximum, ``not`` the sign change.

So the cost of a frame of cases grows with its rows, and hardly with the number of rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .case import FIELDS
from .conditions import AllOf, Always, AnyOf, Atom, Negation, Node, Ref
from .logic import FALSE, TRUE, Tri
from .lookup import byte_table, lookup

if TYPE_CHECKING:
    from .columns import Columns

_ROW_TRUE, _ROW_FALSE = 0, 1  # two constant rows: identities of all/any, and ``always: true``

Compare = Callable[[np.ndarray, np.ndarray, float], np.ndarray]
#: Per number test, on a number's bounds ``lo``, ``hi``: where it holds whatever the unknown inputs
#: (the whole range passes), and where it fails whatever they are (none of the range passes).
_DECIDED: dict[str, tuple[Compare, Compare]] = {
    "lt": (lambda lo, hi, t: hi < t, lambda lo, hi, t: lo >= t),
    "le": (lambda lo, hi, t: hi <= t, lambda lo, hi, t: lo > t),
    "gt": (lambda lo, hi, t: lo > t, lambda lo, hi, t: hi <= t),
    "ge": (lambda lo, hi, t: lo >= t, lambda lo, hi, t: hi < t),
}


@dataclass(frozen=True)
class _Leaves:
    """Field tests of one kind: the rows they fill and what each reads."""

    rows: np.ndarray
    fields: tuple[str, ...]
    arg: np.ndarray  # per test: table offset, sign, bit mask or threshold, by kind


@dataclass(frozen=True)
class Program:
    """Compiled conditions (see the module docstring); build with :func:`compile_program`.

    Attributes
    ----------
    size : int
        Rows of the value matrix.
    outputs : dict of str to int
        The row of each named condition.
    """

    size: int
    outputs: dict[str, int]
    enum: _Leaves
    enum_tables: tuple[bytes, ...]  # per enum test: its value for each code (lookup.byte_table)
    bools: _Leaves
    unknown: _Leaves
    lists: _Leaves
    numbers: tuple[tuple[int, str, str, float], ...]  # (row, field, lt/le/gt/ge, threshold)
    steps: tuple[tuple[str, np.ndarray, np.ndarray], ...]  # (op, target rows, child rows (targets x width))

    def run(self, cols: Columns) -> dict[str, Tri]:
        """Every named condition on every row of encoded cases.

        Parameters
        ----------
        cols : Columns

        Returns
        -------
        dict of str to Tri
            By name; the values are views of one matrix.
        """
        m = self.matrix(cols)
        return {name: Tri.of(m[row]) for name, row in self.outputs.items()}

    def matrix(self, cols: Columns) -> np.ndarray:
        """The value matrix: one row per node, one column per case."""
        m = np.empty((self.size, cols.n), dtype=np.int8)
        m[_ROW_TRUE], m[_ROW_FALSE] = TRUE, FALSE
        for row, field, table in zip(self.enum.rows.tolist(), self.enum.fields, self.enum_tables, strict=True):
            m[row] = lookup(table, cols.enums[field])
        if len(self.bools.rows):
            sign = self.bools.arg[:, None].astype(np.int8)  # 1: "is true"; -1: "is false"
            m[self.bools.rows] = _stack([cols.bools[f].v for f in self.bools.fields], cols.n) * sign
        if len(self.unknown.rows):
            unknown = _stack([cols.unknown(f) for f in self.unknown.fields], cols.n).view(np.int8)
            sign = self.unknown.arg[:, None].astype(np.int8)  # 1: "is unknown"; -1: "is known"
            m[self.unknown.rows] = (2 * unknown - 1) * sign
        if len(self.lists.rows):
            masks = _stack([cols.lists[f][1] for f in self.lists.fields], cols.n)
            known = _stack([cols.lists[f][0] for f in self.lists.fields], cols.n)
            hit = masks & self.lists.arg[:, None].astype(np.uint16) != 0
            empty = self.lists.arg == 0  # an ``empty`` test: true where no bit is set
            hit[empty] = masks[empty] == 0
            m[self.lists.rows] = Tri.known(known, hit).v
        bounds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for row, field, op, threshold in self.numbers:  # one row at a time: the arrays stay in cache
            if field not in bounds:
                bounds[field] = cols.bounds(field)
            lo, hi = bounds[field]
            holds, fails = _DECIDED[op]
            m[row] = holds(lo, hi, threshold).view(np.int8) - fails(lo, hi, threshold).view(np.int8)
        for op, targets, children in self.steps:
            if op == "not":
                m[targets] = np.negative(m[children[:, 0]])
            else:
                values = m[children]  # targets x width x rows
                m[targets] = values.min(axis=1) if op == "all" else values.max(axis=1)
        return m


def _stack(arrays: list[np.ndarray], n: int) -> np.ndarray:
    """Equal-length columns as the rows of one array (``np.stack``, at a third of its overhead)."""
    return np.concatenate(arrays).reshape(len(arrays), n)


def compile_program(roots: Mapping[str, Node]) -> Program:
    """Compile named conditions into one :class:`Program`.

    Parameters
    ----------
    roots : mapping of str to Node
        Compiled conditions (rules' ``condition``, consistency checks...), by the name their
        values are returned under.

    Returns
    -------
    Program
    """
    builder = _Builder()
    outputs = {name: builder.row(node) for name, node in roots.items()}
    return builder.program(outputs)


class _Builder:
    def __init__(self) -> None:
        self.size = 2
        self.rows: dict[Any, int] = {}
        self.level: dict[int, int] = {_ROW_TRUE: 0, _ROW_FALSE: 0}
        self.leaves: dict[str, list[tuple[int, str, Any]]] = defaultdict(list)
        self.composites: list[tuple[str, int, tuple[int, ...]]] = []
        self.numbers: list[tuple[int, str, str, float]] = []

    def _new(self, key: Any, level: int) -> int:
        row = self.rows[key] = self.size
        self.level[row] = level
        self.size += 1
        return row

    def row(self, node: Node) -> int:
        """The row of a node, adding it (and its children) the first time it is seen."""
        if isinstance(node, Ref):
            return self.row(node.target)
        if isinstance(node, Always):
            return _ROW_TRUE
        if isinstance(node, Atom):
            tests = [self._test(node, op, value, lut) for (op, value), lut in zip(node.tests, node.luts, strict=True)]
            return tests[0] if len(tests) == 1 else self._composite("all", tuple(tests))
        if isinstance(node, Negation):
            return self._composite("not", (self.row(node.child),))
        if isinstance(node, (AllOf, AnyOf)):
            op = "all" if isinstance(node, AllOf) else "any"
            return self._composite(op, tuple(self.row(c) for c in node.children))
        raise TypeError(f"cannot compile {type(node).__name__}")

    def _composite(self, op: str, children: tuple[int, ...]) -> int:
        key = (op, children)
        if key in self.rows:
            return self.rows[key]
        row = self._new(key, 1 + max(self.level[c] for c in children))
        self.composites.append((op, row, children))
        return row

    def _test(self, atom: Atom, op: str, value: Any, lut: np.ndarray | None) -> int:
        key = (atom.field, op, value)
        if key in self.rows:
            return self.rows[key]
        row = self._new(key, 0)
        arg: Any
        if lut is not None:
            kind, arg = "enum", lut
        elif op == "unknown":
            kind, arg = "unknown", 1 if value else -1
        elif atom.kind == "bool":
            kind, arg = "bools", 1 if value else -1
        elif atom.kind == "list":
            allowed = FIELDS[atom.field].allowed
            wanted = value if op == "has_any" else [value] if op == "has" else []
            bits = sum(1 << allowed.index(v) for v in wanted)
            if op == "empty" and not value:  # not empty: any bit set
                bits = (1 << len(allowed)) - 1
            kind, arg = "lists", bits
        else:
            self.numbers.append((row, atom.field, op, float(value)))
            return row
        self.leaves[kind].append((row, atom.field, arg))
        return row

    def program(self, outputs: dict[str, int]) -> Program:
        enum = self.leaves["enum"]
        steps: dict[tuple[int, str, int], list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
        for op, row, children in self.composites:
            steps[self.level[row], op, len(children)].append((row, children))
        return Program(
            size=self.size, outputs=outputs,
            enum=_leaves(enum, np.zeros(len(enum), dtype=np.int64)),  # the tables below are their argument
            enum_tables=tuple(byte_table(lut) for _, _, lut in enum),
            bools=_leaves(self.leaves["bools"]), unknown=_leaves(self.leaves["unknown"]),
            lists=_leaves(self.leaves["lists"]),
            numbers=tuple(self.numbers),
            steps=tuple((op, np.array([r for r, _ in group], dtype=np.intp),
                         np.array([c for _, c in group], dtype=np.intp))
                        for (_, op, _), group in sorted(steps.items())))


def _leaves(entries: list[tuple[int, str, Any]], arg: np.ndarray | None = None) -> _Leaves:
    rows = np.array([r for r, _, _ in entries], dtype=np.intp)
    fields = tuple(f for _, f, _ in entries)
    if arg is None:
        arg = np.array([a for _, _, a in entries], dtype=np.int64)
    return _Leaves(rows, fields, arg)
