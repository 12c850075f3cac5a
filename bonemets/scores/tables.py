"""The clinical tables of ``data/scores``: point tables, score bands, dose bands, calcium grades.

Each file is validated at import; a malformed one fails with one line naming the file, the
entry and what is allowed. These tables are the one place the numbers live: the scalar scores
(:func:`bonemets.scores.mirels`, :func:`~bonemets.scores.sins`,
:func:`~bonemets.scores.tokuhashi`, :func:`~bonemets.scores.corrected_calcium`,
:func:`~bonemets.scores.creatinine_clearance`, :func:`~bonemets.scores.zoledronic_acid_dose`),
the vectorised derived numbers (:mod:`bonemets.derived`) and the dose notes
(:mod:`bonemets.dosing`) all read them.

Every table cites its sources by id (``data/knowledge/sources``) with the section used.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, StrictStr, model_validator

from ..datafiles import StrictModel, data_dir, read_yaml, validate
from ..exceptions import DataTableError
from .point_score import PointScore
from .table_types import BandId, Cited, Ident, Text

# --------------------------------------------------------------------------- dose table


class DoseBand(StrictModel):
    """A creatinine-clearance band and the dose it gives (``None``: not recommended).

    The band holds clearances from ``lowest_ml_min`` up (that value itself only when
    ``lowest_included``) to the next band's lowest, on the unrounded value.
    """

    id: BandId
    lowest_ml_min: float = Field(ge=0)
    lowest_included: bool = True
    dose_mg: float | None = Field(gt=0)
    clearance_text: Text
    dose_text: Text


_NOTE_FIELDS = {"unknown": {"settle"}, "no_dose": {"value", "error"}, "dose": {"value", "interpretation"}}


class OtherIndication(StrictModel):
    """An indication with its own dose, whose note replaces the table's when a derived number
    is known to be above a value (zoledronic acid for hypercalcaemia of malignancy).

    Attributes
    ----------
    depends_on : str
        The derived number that shows the indication.
    at_least : float
        The indication holds when the number is known and at least this.
    text : str
        The note, a template with ``{value}`` (the number).
    """

    depends_on: Ident
    at_least: float
    text: Text

    @model_validator(mode="after")
    def _placeholders(self) -> OtherIndication:
        used = {f for _, f, _, _ in string.Formatter().parse(self.text) if f is not None}
        if not used <= {"value"}:
            raise ValueError(f"text: placeholder(s) {sorted(used - {'value'})} not allowed; allowed: ['value']")
        return self


class DoseNote(StrictModel):
    """The note an option with this dosing rule shows, as text templates.

    Attributes
    ----------
    depends_on : str
        The derived number the dose is computed from.
    settled_by_field : str
        The field whose settling tests (in the knowledge base in use) the note names when
        ``depends_on`` is unknown (when this field is known, the note names the other unknown
        inputs instead).
    unknown, no_dose, dose : str
        Templates: ``{settle}``; ``{value}`` and ``{error}``; ``{value}`` and
        ``{interpretation}``.
    other_indication : OtherIndication or None
        An indication with its own dose, whose note is given instead when it holds.
    """

    depends_on: Ident
    settled_by_field: Ident
    unknown: Text
    no_dose: Text
    dose: Text
    other_indication: OtherIndication | None = None

    @model_validator(mode="after")
    def _placeholders(self) -> DoseNote:
        for name, allowed in _NOTE_FIELDS.items():
            template = getattr(self, name)
            used = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
            if not used <= allowed:
                raise ValueError(f"{name}: placeholder(s) {sorted(used - allowed)} not allowed; "
                                 f"allowed: {sorted(allowed)}")
        return self


class DoseTable(StrictModel):
    """A dose by creatinine-clearance band, banded on the unrounded clearance."""

    kind: Literal["dose_table"]
    id: Ident
    name: Text
    unit: Literal["mg"]
    sources: Cited
    bands: Annotated[list[DoseBand], Field(min_length=1)]
    not_recommended_band: BandId
    note: DoseNote

    @model_validator(mode="after")
    def _bands_descend_to_zero(self) -> DoseTable:
        lowest = [b.lowest_ml_min for b in self.bands]
        if lowest != sorted(set(lowest), reverse=True) or lowest[-1] != 0:
            raise ValueError(f"field 'bands': bands must be listed highest first with distinct 'lowest_ml_min', the "
                             f"last at 0; got {lowest}")
        ids = [b.id for b in self.bands] + [self.not_recommended_band]
        if len(ids) != len(set(ids)):
            raise ValueError(f"field 'bands': band ids and not_recommended_band must be distinct; got {ids}")
        return self

    def band(self, crcl_ml_min: float) -> DoseBand:
        """The band of a clearance (≥ 0 mL/min), on its value: never rounded towards a higher dose."""
        for b in self.bands:
            if crcl_ml_min > b.lowest_ml_min or (b.lowest_included and crcl_ml_min == b.lowest_ml_min):
                return b
        raise ValueError(f"{self.name}: clearance {crcl_ml_min} is below every band")

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The table's source ids, in order."""
        return tuple(c.source for c in self.sources)


# --------------------------------------------------------------------------- corrected calcium

Pair = tuple[float, float]
Grade = Literal["normal", "grade_1", "grade_2", "grade_3", "grade_4"]
GRADES: tuple[str, ...] = get_args(Grade)
_GRADE_FIELDS = {"uln", "u", "l1", "l2", "l3"}


class CalciumUnits(StrictModel):
    """The corrected-calcium formula and CTCAE grade limits in one unit system."""

    calcium_unit: Text
    albumin_unit: Text
    albumin_reference: float
    slope: float
    grade_limits: tuple[float, float, float]
    default_uln: float
    uln_range: Pair
    calcium_range: Pair
    albumin_range: Pair
    decimals: int = Field(ge=0, le=4)
    source: Ident

    @model_validator(mode="after")
    def _ordered(self) -> CalciumUnits:
        l1, l2, l3 = self.grade_limits
        if not l1 < l2 < l3:
            raise ValueError(f"grade_limits must increase; got {list(self.grade_limits)}")
        lo, hi = self.uln_range
        if not lo <= self.default_uln <= hi < l1:
            raise ValueError(f"default_uln {self.default_uln} must lie in uln_range {list(self.uln_range)}, "
                             f"which must lie below the grade 1 limit {l1}")
        return self


class CalciumTable(StrictModel):
    """Corrected calcium: formula constants and grade limits per unit system, grade texts."""

    kind: Literal["calcium_grades"]
    id: Ident
    name: Text
    units: Annotated[dict[StrictStr, CalciumUnits], Field(min_length=1)]
    sources: Cited
    grades: dict[Grade, Text]

    @model_validator(mode="after")
    def _every_grade(self) -> CalciumTable:
        if list(self.grades) != list(GRADES):
            raise ValueError(f"field 'grades': grades must be {', '.join(GRADES)}, in that order; "
                             f"got {', '.join(self.grades)}")
        for grade, template in self.grades.items():
            used = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
            if not used <= _GRADE_FIELDS:
                raise ValueError(f"field 'grades.{grade}': placeholder(s) {sorted(used - _GRADE_FIELDS)} not "
                                 f"allowed; allowed: {sorted(_GRADE_FIELDS)}")
        return self


# --------------------------------------------------------------------------- loading

ScoreTable = PointScore | DoseTable | CalciumTable
#: The kinds of table a file may hold (its ``kind`` key).
KINDS: dict[str, type[ScoreTable]] = {"point_score": PointScore, "dose_table": DoseTable,
                                      "calcium_grades": CalciumTable}


def tables_dir() -> Path:
    """The directory of the clinical tables: ``data/scores``."""
    return data_dir() / "scores"


def load_table(path: Path) -> ScoreTable:
    """Read and validate one table file; its ``kind`` key says which kind of table it is.

    Raises
    ------
    DataTableError
        Naming the file, the entry and what is allowed.
    """
    raw = read_yaml(path)
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if kind not in KINDS:
        raise DataTableError(f"{path}: field 'kind': {kind!r} is not allowed; allowed: "
                             + ", ".join(repr(k) for k in KINDS))
    table: ScoreTable = validate(path, raw, KINDS[kind])
    return table


def load_tables(directory: Path | None = None) -> dict[str, ScoreTable]:
    """Every table of a directory (default ``data/scores``) by id."""
    directory = tables_dir() if directory is None else directory
    out: dict[str, ScoreTable] = {}
    for path in sorted(directory.glob("*.yaml")):
        table = load_table(path)
        if table.id in out:
            raise DataTableError(f"{path}: id '{table.id}' is used by another table")
        out[table.id] = table
    return out


TABLES = load_tables()


def _get(table_id: str, kind: type) -> Any:
    table = TABLES.get(table_id)
    if not isinstance(table, kind):
        raise DataTableError(f"{tables_dir()}: no {kind.__name__} table with id '{table_id}'; "
                             f"tables: {', '.join(TABLES)}")
    return table


MIRELS: PointScore = _get("mirels", PointScore)
SINS: PointScore = _get("sins", PointScore)
TOKUHASHI: PointScore = _get("tokuhashi", PointScore)
ZOLEDRONIC_ACID: DoseTable = _get("zoledronic_acid_dose", DoseTable)
CORRECTED_CALCIUM: CalciumTable = _get("corrected_calcium", CalciumTable)
#: The dose tables by id: the values an option's ``dosing`` may name.
DOSE_TABLES: dict[str, DoseTable] = {t.id: t for t in TABLES.values() if isinstance(t, DoseTable)}
