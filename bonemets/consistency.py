"""Consistency: fields of one case that contradict each other, by the knowledge base's checks.

The checks are data (``data/knowledge/consistency.yaml``), evaluated on the same encoded columns
the rules read, against the knowledge base in use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .logic import Tri

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
    cache: dict[str, Tri] = {}
    found = []
    for entry, node in kb.consistency:
        for pos in np.flatnonzero(node.evaluate(cols, cache).true):
            given = ", ".join(f"{f}={cols.value(f, pos)!r}" for f in entry.fields)
            found.append((int(pos), f"{given} contradict: {entry.message}", tuple(entry.fields)))
    return sorted(found, key=lambda f: f[0])
