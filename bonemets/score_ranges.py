"""The published scores of a case with their ranges over what it leaves open (``Assessment.scores``).

Mirels, SINS and the revised Tokuhashi score are derived numbers the engine computes as bounds
(:mod:`bonemets.derived`); this shows them to a reader where the case gives at least one of their
inputs (and, for Tokuhashi, names the spine among the bone sites), with the points of each item
and the bands the range reaches (contract §6: a score "carries [min, max] over its unknown inputs").
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .assessment import ScorePart, ScoreRange
from .derived import DERIVED, part_labels, point_parts
from .explanation import cite
from .scores.tables import TABLES, PointScore

if TYPE_CHECKING:  # pragma: no cover
    from .evaluation import Evaluation

#: The point scores computed as derived numbers, in the order of ``data/scores``.
SCORED = tuple(t for t in TABLES.values() if isinstance(t, PointScore) and t.derived is not None)


def score_ranges(ev: Evaluation, row: int) -> tuple[ScoreRange, ...]:
    """The scores of one row of an evaluation (see the module docstring)."""
    cols = ev.cols.rows(row, row + 1)
    out = []
    for table in SCORED:
        derived = DERIVED[table.derived.name]  # type: ignore[union-attr]  # SCORED holds tables with one
        lo, hi = (float(x[0]) for x in derived.bounds(cols))
        unknown = tuple(f for f in derived.inputs if bool(cols.unknown(f)[0]))
        if math.isnan(lo) or len(unknown) == len(derived.inputs):
            continue
        labels = part_labels(table)
        parts = tuple(ScorePart(name, labels[name], (float(p_lo[0]), float(p_hi[0])), bool(table.items[name].lesions))
                      for name, (p_lo, p_hi) in point_parts(table)(cols).items())
        out.append(ScoreRange(
            name=derived.name,
            label=table.name,
            bounds=(lo, hi),
            bands=tuple(b.text for b in table.bands if b.min <= hi and b.max >= lo),
            note=table.derived.note,  # type: ignore[union-attr]
            parts=parts,
            unknown_inputs=unknown,
            sources=cite(ev.kb, [*table.sources, *table.band_sources]),
        ))
    return tuple(out)
