"""Conditions compiled into one flat program: a few numpy operations for all of them at once.

Every distinct node of the conditions (a field test, ``all``, ``any``, ``not``; a ``ref`` is its
concept's node, evaluated once) gets a row of one int8 matrix of Kleene values (1 true,
0 unknown, -1 false; see :mod:`bonemets.logic`):

1. Field tests of one kind are computed together: a test on an enum field compares the field's
   codes with the runs of consecutive codes it accepts (or, if fewer, those it rejects);
   true/false fields, ``unknown:`` tests, list tests and number comparisons are one or two
   array operations each kind. A number comparison is decided on the number's bounds
   (:mod:`bonemets.comparisons`).
2. Composite nodes are computed level by level (a node's level is one more than its deepest
   child), grouped by operation and number of children: ``all`` is the minimum of the children's
   rows, ``any`` the maximum, ``not`` the sign change. For a few rows of cases a group is a few
   operations on its children's rows gathered together; on long rows (a chunk of a cohort) each
   node is computed from its children's rows in place, since gathering copies them.

The rows are laid out so that each kind of field test, and each group of composites computed
together, fills one block of consecutive rows, written in place. So the cost of a frame of cases
grows with its rows, and hardly with the number of rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .case import FIELDS
from .comparisons import NumberTests, compare, number_tests
from .conditions import AllOf, Always, AnyOf, Atom, Negation, Node, Ref
from .logic import FALSE, TRUE, Tri

if TYPE_CHECKING:
    from .columns import Columns

_ROW_TRUE, _ROW_FALSE = 0, 1  # two constant rows: identities of all/any, and ``always: true``

@dataclass(frozen=True)
class _Leaves:
    """Field tests of one kind: the block of rows they fill, in order, and what each reads."""

    start: int
    fields: tuple[str, ...]
    arg: np.ndarray  # per test: sign or bit mask, by kind
    flip: int = 0  # true/false and ``unknown:`` tests: the first of the negated ones (sign -1), which come last

    @property
    def stop(self) -> int:
        """The row after the block."""
        return self.start + len(self.fields)


@dataclass(frozen=True)
class _Enum:
    """A test on an enum field: its row, and the runs ``(first, last)`` of consecutive codes it
    accepts, or those it rejects (``rejects``)."""

    row: int
    field: str
    runs: tuple[tuple[int, int], ...]
    rejects: bool


Rows = int | slice | np.ndarray  # one row (a view), consecutive rows (a view) or any rows (a copy)


@dataclass(frozen=True)
class _Step:
    """Composites of one operation and width at one level: the block of rows they fill, and their
    children's rows, one selector per child position."""

    op: str
    start: int
    stop: int
    children: tuple[Rows, ...]


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
    enum: tuple[_Enum, ...]
    enum_table: np.ndarray  # per enum test, its value by code + 1 (column 0: unknown), for a few rows
    bools: _Leaves
    unknown: _Leaves
    lists: _Leaves
    numbers: NumberTests
    steps: tuple[_Step, ...]
    nodes: tuple[tuple[np.ufunc, int, tuple[int, ...]], ...]  # the steps node by node: ufunc, row, children

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
        self._enums(m, cols)
        self._signed(m, self.bools, [cols.bools[f].v for f in self.bools.fields])
        if self.unknown.fields:
            block = self._signed(m, self.unknown, [cols.unknown(f).view(np.int8) for f in self.unknown.fields])
            block += block  # (additions: numpy shifts int8 an element at a time)
            block[:self.unknown.flip] -= 1  # "is unknown": 1 -> 1, 0 -> -1
            block[self.unknown.flip:] += 1  # "is known": -1 -> 1, 0 -> -1
        self._lists(m, cols)
        compare(m, cols, self.numbers, few=cols.n <= FEW_ROWS)
        if cols.n > FEW_ROWS:
            for ufunc, row, children in self.nodes:
                out = m[row]
                if len(children) == 1:  # not
                    ufunc(m[children[0]], out=out)
                    continue
                ufunc(m[children[0]], m[children[1]], out=out)
                for more in children[2:]:
                    ufunc(out, m[more], out=out)
            return m
        for step in self.steps:
            out = m[step.start:step.stop]
            if step.op == "not":
                np.negative(m[step.children[0]], out=out)
                continue
            ufunc = _UFUNCS[step.op]
            ufunc(m[step.children[0]], m[step.children[1]], out=out)
            for child in step.children[2:]:
                ufunc(out, m[child], out=out)
        return m

    def _enums(self, m: np.ndarray, cols: Columns) -> None:
        """Each enum test: 1 where the code is accepted, -1 where it is known and not, 0 where unknown
        (comparisons and sums: a byte-table lookup is several times slower; for a few rows, one
        fancy index of every test's table costs fewer numpy calls)."""
        if cols.n <= FEW_ROWS and self.enum:
            codes = np.array([cols.enums[t.field] for t in self.enum], dtype=np.intp).reshape(len(self.enum), cols.n)
            m[[t.row for t in self.enum]] = self.enum_table[np.arange(len(self.enum))[:, None], codes + 1]
            return
        known: dict[str, np.ndarray] = {}
        for test in self.enum:
            codes = cols.enums[test.field].view(np.uint8)  # unknown (-1) is 255, in no run
            if test.field not in known:
                known[test.field] = (codes != 255).view(np.int8)
            hit = np.zeros(cols.n, dtype=bool)
            for first, last in test.runs:
                hit |= (codes == first) if first == last else (codes <= last) if first == 0 else (
                    (codes >= first) & (codes <= last))
            hits, out = hit.view(np.int8), m[test.row]
            if test.rejects:  # the runs are the codes rejected
                np.subtract(known[test.field], hits, out=out)
            else:
                np.add(hits, hits, out=out)
                hits = known[test.field]
            np.subtract(out, hits, out=out)

    @staticmethod
    def _signed(m: np.ndarray, leaves: _Leaves, columns: list[np.ndarray]) -> np.ndarray:
        """Columns copied into the leaves' block, the negated tests' rows sign-changed; the block."""
        block = m[leaves.start:leaves.stop]
        if columns:
            np.concatenate(columns, out=block.reshape(-1))
            np.negative(block[leaves.flip:], out=block[leaves.flip:])
        return block

    def _lists(self, m: np.ndarray, cols: Columns) -> None:
        if not self.lists.fields:
            return
        n = cols.n
        masks = _stack([cols.lists[f][1] for f in self.lists.fields], n)
        known = _stack([cols.lists[f][0] for f in self.lists.fields], n)
        hit = masks & self.lists.arg[:, None].astype(np.uint16) != 0
        empty = self.lists.arg == 0  # an ``empty`` test: true where no bit is set
        hit[empty] = masks[empty] == 0
        m[self.lists.start:self.lists.stop] = Tri.known(known, hit).v


#: Up to this many rows, the enum tests are read from one table (:meth:`Program._enums`), and the
#: composites are computed a group at a time (:meth:`Program.matrix`).
FEW_ROWS = 64

_UFUNCS = {"all": np.minimum, "any": np.maximum, "not": np.negative}


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
        """The program, its rows renumbered into blocks: the two constants, the field tests kind by
        kind (negated ones last), the number comparisons, then the composites step by step."""
        signed = {kind: sorted(self.leaves[kind], key=lambda e: -e[2]) for kind in ("bools", "unknown")}
        leaves = [self.leaves["enum"], signed["bools"], signed["unknown"], self.leaves["lists"]]
        enums = leaves[0]
        grouped: dict[tuple[int, str, int], list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
        for op, row, children in self.composites:
            grouped[self.level[row], op, len(children)].append((row, children))
        steps = sorted(grouped.items())
        order = [_ROW_TRUE, _ROW_FALSE, *(row for entries in leaves for row, _, _ in entries),
                 *(row for row, _, _, _ in self.numbers), *(row for _, group in steps for row, _ in group)]
        new = np.empty(self.size, dtype=np.intp)
        new[order] = np.arange(self.size)
        starts = np.cumsum([2, *(len(entries) for entries in leaves)]).tolist()
        _, bools, unknown, lists = (_leaves(entries, at) for entries, at in zip(leaves, starts[:-1], strict=True))
        compiled, nodes, start = [], [], starts[-1] + len(self.numbers)
        for (_, op, width), group in steps:
            rows = new[np.array([c for _, c in group], dtype=np.intp).reshape(len(group), width)]
            compiled.append(_Step(op, start, start + len(group), tuple(_rows(rows[:, j]) for j in range(width))))
            nodes += [(_UFUNCS[op], start + i, tuple(children)) for i, children in enumerate(rows.tolist())]
            start += len(group)
        return Program(
            size=self.size, outputs={name: int(new[row]) for name, row in outputs.items()},
            enum=tuple(_enum(int(new[row]), field, lut) for row, field, lut in enums),
            enum_table=_enum_table([lut for _, _, lut in enums]),
            bools=bools, unknown=unknown, lists=lists,
            numbers=number_tests([(int(new[row]), field, op, threshold) for row, field, op, threshold in self.numbers]),
            steps=tuple(compiled), nodes=tuple(nodes))


def _leaves(entries: list[tuple[int, str, Any]], start: int) -> _Leaves:
    arg = np.array([a if isinstance(a, int) else 0 for _, _, a in entries], dtype=np.int64)  # enum: by _enum
    return _Leaves(start, tuple(f for _, f, _ in entries), arg, int(np.count_nonzero(arg > 0)))


def _enum_table(luts: list[np.ndarray]) -> np.ndarray:
    """The enum tests' truth values as the rows of one matrix, by code + 1 (column 0: unknown)."""
    table = np.zeros((len(luts), 1 + max((len(lut) - 1 for lut in luts), default=0)), dtype=np.int8)
    for i, lut in enumerate(luts):
        table[i, 0], table[i, 1:len(lut)] = lut[-1], lut[:-1]
    return table


def _enum(row: int, field: str, lut: np.ndarray) -> _Enum:
    """An enum test from its truth value by code (:class:`~bonemets.conditions.Atom`), as the runs
    of codes it accepts or, if they are fewer, of those it rejects."""
    accepted = lut[:-1] == TRUE
    runs = [_runs(np.flatnonzero(accepted)), _runs(np.flatnonzero(~accepted))]
    rejects = len(runs[1]) < len(runs[0])
    return _Enum(row, field, runs[rejects], rejects)


def _runs(codes: np.ndarray) -> tuple[tuple[int, int], ...]:
    """Sorted codes as runs of consecutive codes: ``(first, last)`` each."""
    breaks = np.flatnonzero(np.diff(codes) != 1) + 1
    return tuple((int(run[0]), int(run[-1])) for run in np.split(codes, breaks) if len(run))


def _rows(rows: np.ndarray) -> Rows:
    """The cheapest selector of these rows of the matrix: one row or consecutive rows are views."""
    if len(rows) == 1:
        return int(rows[0])
    if (np.diff(rows) == 1).all():
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows
