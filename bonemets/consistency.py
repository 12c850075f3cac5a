"""Consistency: fields of one case that contradict each other, by the knowledge base's checks.

The checks are data (``data/knowledge/consistency.yaml``), compiled into the same program as the
rules and evaluated with them, against the knowledge base in use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .evaluation import consistency_output, plan
from .logic import TRUE

if TYPE_CHECKING:
    from .evaluation import Evaluation
    from .knowledge import KnowledgeBase


def contradictions(ev: Evaluation, offset: int = 0) -> list[tuple[int, str, tuple[str, ...]]]:
    """Every contradiction in evaluated cases.

    Parameters
    ----------
    ev : Evaluation
        Its program computes the knowledge base's consistency checks with the rules.
    offset : int
        Added to each row position (the evaluated rows' first position in a larger frame).

    Returns
    -------
    list of (int, str, tuple of str)
        Row position, a one-line message naming the fields and their values, and the fields;
        in row order.
    """
    rows = _rows(ev.kb)
    hits = ev.matrix[rows] == TRUE  # every check at once: most cases contradict nothing
    if not hits.any():
        return []
    found = []
    seen: set[tuple[int, frozenset[str]]] = set()  # two checks of the same fields on a row: the first says it
    for i, (entry, _) in enumerate(ev.kb.consistency):
        for pos in np.flatnonzero(hits[i]).tolist():
            if (pos, frozenset(entry.fields)) in seen:
                continue
            seen.add((pos, frozenset(entry.fields)))
            given = ", ".join(f"{f}={ev.cols.value(f, pos)!r}" for f in entry.fields)
            found.append((offset + pos, f"{given} contradict: {entry.message}", tuple(entry.fields)))
    return sorted(found, key=lambda f: f[0])


@lru_cache(maxsize=16)
def _rows(kb: KnowledgeBase) -> np.ndarray:
    """The program rows of the knowledge base's consistency checks, in order."""
    outputs = plan(kb).program.outputs
    return np.array([outputs[consistency_output(i)] for i in range(len(kb.consistency))], dtype=np.intp)
