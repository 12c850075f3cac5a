"""Witnesses: two ways of filling in a case's unknowns that the knowledge answers differently.

An item left ``undetermined`` on a partial case is *witnessed* when two extensions of the case get
two different decided answers (``not_indicated`` and ``avoid`` counting as one, contract §6). An
extension fills every unknown field at random, except that a drawn value which contradicts
another is left unknown again. The engine is sound (``tests/test_soundness.py``): a decided
answer on an extension holds on every completion of it, and so on completions of the case. So a
witnessed item cannot be decided by *any* sound engine on this knowledge: its ``undetermined`` is
exact, the unknowns truly decide it. An item without a witness is one a finer engine might decide
(or the draw missed the pair): researchers use this to check that the engine stays exact after a
knowledge change (``benchmarks/unknowns.py`` prints it for the teaching cases). Tests are left out:
they may be asked for because a factor is unknown (contract §6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .case import FIELDS, Case
from .cohort import row_record
from .decision import RANK
from .knowledge import KnowledgeBase, knowledge
from .pipeline import assess, assess_cohort
from .vocabulary import STATUSES

_RANK = {status: RANK[STATUSES.index(status)] for status in STATUSES if status != "undetermined"}


@dataclass(frozen=True)
class Witness:
    """Two extensions of a case that the knowledge answers differently for one item.

    Attributes
    ----------
    item : str
    base : dict
        The first extension as case fields (unknown ones left out): ``assess({**base, **first})``
        and ``assess({**base, **second})`` give the two statuses.
    first, second : dict
        The fields on which the two extensions differ, with each one's value (None: left unknown);
        most often one field.
    statuses : tuple of (str, str)
        The item's status on the first and on the second.
    """

    item: str
    base: dict[str, Any]
    first: dict[str, Any]
    second: dict[str, Any]
    statuses: tuple[str, str]


def extensions(case: Case | Mapping[str, Any], n: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """``n`` random extensions of a partial case, as a frame for :func:`bonemets.assess_cohort`.

    Every field the case leaves unknown is drawn from its allowed values (a number log-uniformly
    over its plausible range when that starts above zero, so that small counts are drawn as often
    as large ones; rounded to whole numbers or two decimals; a list as a random subset, a list of
    bone sites never empty). Drawn values may contradict each other: :func:`witnesses` leaves those unknown.

    Parameters
    ----------
    case : Case or mapping
    n : int
    seed : int

    Returns
    -------
    pandas.DataFrame
        One column per case field.
    """
    given = _given(case)
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {}
    for name, spec in FIELDS.items():
        if name in given:
            value = given[name]
            columns[name] = [";".join(value) or "[]" if isinstance(value, list) else value] * n
        elif spec.kind == "enum":
            columns[name] = rng.choice(np.array(spec.allowed, dtype=object), n)
        elif spec.kind == "bool":
            columns[name] = rng.random(n) < 0.5
        elif spec.kind == "list":
            bits = rng.random((n, len(spec.allowed))) < 0.3
            if spec.min_items:  # one value at least (bone sites); no field needs more
                bits[np.arange(n), rng.integers(0, len(spec.allowed), n)] = True
            columns[name] = [";".join(v for v, b in zip(spec.allowed, row, strict=True) if b) or "[]" for row in bits]
        else:
            least, most = spec.plausible
            x = np.exp(rng.uniform(np.log(least), np.log(most), n)) if least > 0 else rng.uniform(least, most, n)
            columns[name] = np.clip(np.round(x, 0 if spec.kind == "int" else 2), least, most)
    return pd.DataFrame(columns)


def witnesses(case: Case | Mapping[str, Any], n: int = 20_000, seed: int = 0,
              kb: KnowledgeBase | None = None) -> dict[str, Witness | None]:
    """A witness for each undetermined family and option of a case (see the module docstring).

    Parameters
    ----------
    case : Case or mapping
    n : int
        Extensions drawn (:func:`extensions`).
    seed : int
    kb : KnowledgeBase, optional
        Defaults to :func:`~bonemets.knowledge`.

    Returns
    -------
    dict of str to Witness or None
        By item id, in the assessment's order; None where no two extensions answered differently.
    """
    kb = kb or knowledge()
    open_items = [r.id for r in assess(case, kb=kb).recommendations
                  if r.status == "undetermined" and r.kind != "test"]
    frame, out = _decided_extensions(case, n, seed, kb)
    found: dict[str, Witness | None] = {}
    for item in open_items:
        rank = out[item].astype(object).map(_RANK)
        if rank.nunique() < 2:
            found[item] = None
            continue
        first = rank.dropna().index[0]
        second = rank.index[rank.notna() & (rank != rank[first])][0]
        found[item] = _closest(item, frame.loc[first], frame.loc[second], kb)
    return found


def _closest(item: str, a: pd.Series, b: pd.Series, kb: KnowledgeBase) -> Witness:
    """The witness ``a``, ``b`` narrowed: ``b`` changed into ``a`` one differing field at a time,
    all the steps assessed at once; the first two neighbouring steps that are both decided and
    answer differently differ in one field only. ``a`` and ``b`` themselves where no such
    neighbours are found (a step between contradicts or is undetermined)."""
    fields = [f for f in a.index if not _same(a[f], b[f])]
    steps = pd.DataFrame([b] * (len(fields) + 1)).reset_index(drop=True).astype(object)
    for k, field in enumerate(fields, start=1):
        steps.loc[k:, field] = a[field]
    out, _ = assess_cohort(steps, errors="report", kb=kb)
    rank = out[item].astype(object).map(_RANK).reindex(steps.index)
    for k in range(len(fields)):
        if pd.notna(rank[k]) and pd.notna(rank[k + 1]) and rank[k] != rank[k + 1]:
            field, base, other = fields[k], row_record(steps, k), row_record(steps, k + 1)
            return Witness(item, base, {field: base.get(field)}, {field: other.get(field)},
                           (str(out.at[k, item]), str(out.at[k + 1, item])))
    pair = pd.DataFrame([a, b]).reset_index(drop=True)
    base, other = row_record(pair, 0), row_record(pair, 1)
    return Witness(item, base, {f: base.get(f) for f in fields}, {f: other.get(f) for f in fields},
                   (str(assess(base, kb=kb).status(item)), str(assess(other, kb=kb).status(item))))


def _same(x: Any, y: Any) -> bool:
    return bool((pd.isna(x) and pd.isna(y)) or (not pd.isna(x) and not pd.isna(y) and x == y))


def _given(case: Case | Mapping[str, Any]) -> dict[str, Any]:
    """The fields a case gives (``"unknown"`` is not a value)."""
    record = case if isinstance(case, Case) else Case.model_validate(dict(case))
    return {k: v for k, v in record.model_dump(exclude_none=True).items() if v != "unknown"}


def _decided_extensions(case: Case | Mapping[str, Any], n: int, seed: int,
                        kb: KnowledgeBase) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Extensions that contradict nothing, and their assessments (same index): where drawn values
    contradict, those drawn fields are left unknown and the row assessed again (three rounds at
    most; a row still contradicting is left out)."""
    frame = extensions(case, n, seed).astype(object)
    given = set(_given(case))
    assessed, rows = [], frame.index
    for _ in range(3):
        out, errors = assess_cohort(frame.loc[rows], errors="report", kb=kb)
        assessed.append(out)
        if errors.empty:
            break
        for columns, where in errors.groupby("column")["row"]:  # a few kinds of contradiction
            drawn = [f for f in str(columns).split(",") if f not in given]
            frame.loc[where.unique(), drawn] = None
        rows = pd.Index(errors["row"].unique())
    out = pd.concat(assessed)
    return frame.loc[out.index], out
