"""Dose notes: an option's dosing rule applied to one case, as a sentence.

An option of the knowledge base may name a dose table of ``data/scores`` in its ``dosing``
field (``bisphosphonate_iv`` names ``zoledronic_acid_dose``). The table says which derived
number the dose depends on, which field's settling tests to name when that number is unknown,
and the three note texts; the dose itself comes from the scalar function of
:mod:`bonemets.scores` with the table's id (:func:`bonemets.scores.zoledronic_acid_dose`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from . import scores
from .derived import inputs_of
from .exceptions import DataTableError, ScoreInputError
from .labels import field_name
from .scores import ScoreResult
from .scores.tables import DOSE_TABLES, DoseTable, tables_dir


class SettledBy(Protocol):
    """What a dose note needs of a knowledge base: the tests that settle a field, and their names."""

    @property
    def tests(self) -> Mapping[str, Any]: ...

    def settled_by(self, field: str) -> list[str]: ...


def _calculators() -> dict[str, Callable[[float], ScoreResult]]:
    """The scalar dose function of each dose table: the function of bonemets.scores named as its id."""
    out = {}
    for table_id in DOSE_TABLES:
        if table_id not in scores.__all__:
            raise DataTableError(f"{tables_dir()}: table '{table_id}': a dose table's id must name its "
                                 f"dose function in bonemets.scores; allowed: {', '.join(scores.__all__)}")
        out[table_id] = getattr(scores, table_id)
    return out


_CALCULATORS = _calculators()


def dose_note(option: Any, value_of: Callable[[str], Any], kb: SettledBy) -> tuple[str, ...]:
    """The dose note of an option for one case, or ``()`` if the option has no dosing rule.

    Parameters
    ----------
    option : Option or any knowledge-base item
        Its ``dosing`` attribute (absent or ``None``: no note) names a dose table.
    value_of : callable
        The value of a case field or derived number on this case, ``None`` when unknown
        (e.g. ``lambda name: cols.value(name, row)``).
    kb : KnowledgeBase
        The knowledge base in use: names the tests that would settle an unknown input.

    Returns
    -------
    tuple of str
        One sentence: the dose for this case; or that the number it depends on is unknown,
        with the tests that settle it (or, where that test's result is known, the other inputs it
        still needs: the age); or that the value is outside the dose table; or, when
        the table's other indication holds (zoledronic acid: corrected calcium 3.0 mmol/L or more), that
        indication's own dose instead of the table.
    """
    table_id = getattr(option, "dosing", None)
    if table_id is None:
        return ()
    table: DoseTable = DOSE_TABLES[table_id]
    note = table.note
    other = note.other_indication
    shown_by = value_of(other.depends_on) if other is not None else None
    if other is not None and shown_by is not None and shown_by >= other.at_least:
        return (other.text.format(value=shown_by),)
    value = value_of(note.depends_on)
    if value is None:
        missing = [f for f in inputs_of([note.depends_on]) if value_of(f) is None]
        if missing and note.settled_by_field not in missing:  # the blood test is done: say what else it needs
            return (note.unknown.format(settle=f" (it also needs: {', '.join(field_name(f) for f in missing)})"),)
        tests = kb.settled_by(note.settled_by_field)
        settle = f" (settled by {', '.join(kb.tests[t].name for t in tests)})" if tests else ""
        return (note.unknown.format(settle=settle),)
    try:
        result = _CALCULATORS[table_id](value)
    except ScoreInputError as err:  # e.g. an implausible clearance from extreme weight or creatinine
        return (note.no_dose.format(value=value, error=err),)
    return (note.dose.format(value=value, interpretation=result.interpretation),)
