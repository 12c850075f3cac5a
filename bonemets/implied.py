"""Implied facts: fields that follow from others (``implied.yaml``), filled in before the rules.

Where an implication's premise is true and the field it implies is unknown, the field takes the
implied value; the rows and the implication are recorded, so that a reason resting on the field
says it was implied and from what. A case that gives the field another value contradicts the
implication (:mod:`bonemets.consistency` checks it with the other contradictions).

An implication of a least value (``ge``) of a number field leaves it unknown but narrows its
range on those rows (``Columns.limits``), so a comparison that the whole narrower range decides
is decided: two bone sites named mean at least two lesions, so "a single lesion" is false.

Implications are applied in passes: an implication whose premise reads a field that another
implies comes in a later pass than that one, so chains (a prostate primary → a man → no
menopause) are followed to the end. A pass whose fields are known on every row is skipped.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .case import FIELDS
from .derived import inputs_of
from .logic import TRUE, Tri
from .program import Program, compile_program

if TYPE_CHECKING:
    from .columns import Columns
    from .knowledge import KnowledgeBase


@dataclass(frozen=True)
class _Pass:
    """Implications applied together: their premises as one program, what each implies, and the
    least values implied for number fields."""

    program: Program
    implications: tuple[tuple[int, str, int], ...]  # (index in kb.implied, field, code or 1/-1)
    bounds: tuple[tuple[str, tuple[tuple[int, float], ...]], ...]  # per field: (index, least), least rising


@lru_cache(maxsize=16)
def _passes(kb: KnowledgeBase) -> tuple[_Pass, ...]:
    level: dict[int, int] = {}
    implied_by: dict[str, list[int]] = {}
    for i, (imp, premise) in enumerate(kb.implied):
        reads = set(inputs_of(a.field for a in premise.atoms()))
        level[i] = 1 + max((level[j] for f in reads for j in implied_by.get(f, [])), default=-1)
        implied_by.setdefault(imp.implies.field, []).append(i)
    passes = []
    for depth in range(max(level.values(), default=-1) + 1):
        members = [i for i, d in level.items() if d == depth]
        what = []
        bounds: dict[str, list[tuple[int, float]]] = {}
        for i in members:
            implies = kb.implied[i][0].implies
            spec = FIELDS[implies.field]
            if implies.ge is not None:  # a number field: its least value
                bounds.setdefault(implies.field, []).append((i, implies.ge))
                continue
            code = (1 if implies.is_ else -1) if spec.kind == "bool" else spec.allowed.index(str(implies.is_))
            what.append((i, implies.field, code))
        passes.append(_Pass(compile_program({str(i): kb.implied[i][1] for i in members}), tuple(what),
                            tuple((f, tuple(sorted(b, key=lambda e: e[1]))) for f, b in bounds.items())))
    return tuple(passes)


def apply_implied(cols: Columns, kb: KnowledgeBase) -> tuple[Columns, dict[str, np.ndarray]]:
    """The columns with implied facts filled in, and which implication gave each.

    Parameters
    ----------
    cols : Columns
        Encoded cases (not changed).
    kb : KnowledgeBase

    Returns
    -------
    Columns
        A copy sharing every array that no implication changed.
    dict of str to ndarray of int16
        Per field that some row got by implication: the index in ``kb.implied`` of the
        implication that gave it (for a number left unknown, the one that gave its least value),
        -1 on rows where it was not implied.
    """
    passes = _passes(kb)
    if not passes:
        return cols, {}
    out = dataclasses.replace(cols, enums=dict(cols.enums), bools=dict(cols.bools), errors=cols.errors,
                              limits=dict(cols.limits))
    implied: dict[str, np.ndarray] = {}
    for step in passes:
        fields = [field for _, field, _ in step.implications] + [field for field, _ in step.bounds]
        unknown = {field: out.unknown(field) for field in fields}
        if not any(u.any() for u in unknown.values()):
            continue  # nothing to fill in: the premises need not be computed
        values = step.program.matrix(out)
        for field, least in step.bounds:
            if unknown[field].any():
                premises = [values[step.program.outputs[str(i)]] for i, _ in least]
                _bound(out, implied, field, least, premises, unknown[field])
        for i, field, code in step.implications:
            premise = values[step.program.outputs[str(i)]] == TRUE
            hit = premise & unknown[field]
            if not hit.any():
                continue
            # Sums, not np.where (several times slower): the rows hit are unknown, coded 0 for a
            # true/false field and -1 for a choice, and an earlier implication of the same field
            # has filled its rows, so no row is hit twice.
            step_to = hit.view(np.int8)
            if FIELDS[field].kind == "bool":
                out.bools[field] = Tri.of(out.bools[field].v + step_to * np.int8(code))
            else:
                out.enums[field] = out.enums[field] + step_to * np.int8(code + 1)
            by = implied.setdefault(field, np.full(cols.n, -1, dtype=np.int16))
            by += step_to * np.int16(i + 1)
            unknown[field] = unknown[field] & np.logical_not(hit)  # filled: no later implication hits it
    return out, implied


def _bound(cols: Columns, implied: dict[str, np.ndarray], field: str, least: tuple[tuple[int, float], ...],
           premises: list[np.ndarray], unknown: np.ndarray) -> None:
    """Narrow an unknown number field to the highest least value whose premise holds on each row
    (``least``: implication index and value, rising; ``premises``: their program rows), and record
    which implication gave it where it narrows what earlier passes left. The highest is found as a
    small level a row (a maximum of small integers), then read from a table once: a float operation
    per implication costs more."""
    level = np.zeros(cols.n, dtype=np.min_scalar_type(len(least)))
    for k, premise in enumerate(premises, start=1):
        np.maximum(level, (premise == TRUE) * level.dtype.type(k), out=level)
    np.multiply(level, unknown, out=level)  # a known value is not bounded (less than the bound contradicts)
    if not level.any():
        return
    plausible = FIELDS[field].plausible
    lo, hi = cols.limits.get(field) or (np.full(cols.n, plausible[0]), np.full(cols.n, plausible[1]))
    raised = np.array([plausible[0], *(v for _, v in least)])[level]
    by = np.array([-1, *(i for i, _ in least)], dtype=np.int16)[level]
    narrows = raised > lo
    cols.limits[field] = (np.maximum(lo, raised), hi)
    implied[field] = np.where(narrows, by, implied[field] if field in implied else np.int16(-1))
