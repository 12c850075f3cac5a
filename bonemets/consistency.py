"""Consistency: fields of one case that contradict each other, by the knowledge base's checks.

The checks are data (``data/knowledge/consistency.yaml``), evaluated on the same encoded columns
the rules read, against the knowledge base in use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .program import Program, compile_program

if TYPE_CHECKING:
    from .columns import Columns
    from .knowledge import KnowledgeBase


def contradictions(cols: Columns, kb: KnowledgeBase) -> list[tuple[int, str, tuple[str, ...]]]:
    """Every contradiction in encoded cases.

    Parameters
    ----------
    cols : Columns
    kb : KnowledgeBase

    Returns
    -------
    list of (int, str, tuple of str)
        Row position, a one-line message naming the fields and their values, and the fields;
        in row order.
    """
    found = []
    for start, chunk in cols.chunks():
        values = _program(kb).run(chunk)
        for i, (entry, _) in enumerate(kb.consistency):
            for pos in start + np.flatnonzero(values[str(i)].true):
                given = ", ".join(f"{f}={cols.value(f, pos)!r}" for f in entry.fields)
                found.append((int(pos), f"{given} contradict: {entry.message}", tuple(entry.fields)))
    return sorted(found, key=lambda f: f[0])


@lru_cache(maxsize=16)
def _program(kb: KnowledgeBase) -> Program:
    return compile_program({str(i): node for i, (_, node) in enumerate(kb.consistency)})
