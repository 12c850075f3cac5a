"""One patient's factors: the :class:`Case` model, its field vocabulary and :func:`load_case`.

Every field is optional. An absent field, ``null``, or the value ``"unknown"`` all mean
*unknown*, never "no". A list field that is given is taken as complete: ``bone_sites:
[spine]`` means the spine and nothing else; ``prior_endocrine_therapy: []`` means none.
"""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types
import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .exceptions import InvalidCaseError
from .messages import LIMIT, shown
from .reader import ReadError, read_document

Primary = Literal["breast", "prostate", "lung", "kidney", "thyroid", "other", "unknown"]
Sex = Literal["female", "male", "unknown"]
Menopause = Literal["pre", "post", "unknown", "not_applicable"]
Receptor = Literal["positive", "negative", "unknown"]
Her2 = Literal["positive", "low", "negative", "unknown"]
BoneSite = Literal["skull", "spine", "ribs", "pelvis", "upper_arm", "upper_leg", "other"]
Visceral = Literal["none", "present", "crisis", "unknown"]
PainLevel = Literal["none", "mild", "moderate", "severe"]
EndocrineTherapy = Literal["aromatase_inhibitor", "tamoxifen", "fulvestrant", "ovarian_suppression"]
EndocrineResistance = Literal["none", "primary", "secondary", "unknown"]
LineOfTherapy = Literal["first", "later", "unknown"]
# Extensions for the scores (bonemets.scores); values as in their point tables.
LongBoneSite = Literal["upper_limb", "lower_limb", "trochanteric"]
LesionType = Literal["lytic", "mixed", "blastic"]
LesionSize = Literal["lt_one_third", "one_third_to_two_thirds", "gt_two_thirds"]
MirelsPain = Literal["mild", "moderate", "functional"]
SpinalLocation = Literal["junctional", "mobile", "semi_rigid", "rigid"]
SpinalPain = Literal["mechanical", "occasional", "none"]
SpinalAlignment = Literal["subluxation", "de_novo_deformity", "normal"]
VertebralCollapse = Literal["gt_50", "lt_50", "none_gt_50_involved", "none"]
Posterolateral = Literal["bilateral", "unilateral", "none"]


def _strict_bool(value: Any) -> Any:
    """Accept ``true``/``false`` (bool or string, any case); leave anything else to fail."""
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, (bool, np.bool_)) or value is None:
        return bool(value) if value is not None else None
    raise ValueError("not true or false")


Bool = Annotated[bool, BeforeValidator(_strict_bool)]




class Case(BaseModel):
    """One patient's factors (contract §2). Every field is optional; absent means unknown.

    Build with ``Case(**fields)`` or ``Case.model_validate(mapping)``. A value that is not
    allowed or an unknown field name raise :class:`~bonemets.InvalidCaseError` with a one-line
    message naming the field, the value and the values allowed. Fields that contradict each
    other (``sex: male`` with ``menopause: pre``) are found by :func:`~bonemets.assess` and
    :func:`~bonemets.assess_cohort`, against the knowledge base they are given, and raise the
    same error naming both fields.

    Examples
    --------
    >>> from bonemets import Case
    >>> Case(primary="breast", er="positive", her2="unknown").her2
    'unknown'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Cancer
    primary: Primary | None = Field(None, description="Where the cancer started.")
    sex: Sex | None = None
    age: int | None = Field(
        None, ge=18, le=120, description="Age in years; adults only (the sources and formulas are for adults).")
    menopause: Menopause | None = Field(
        None, description="`post`: the menopause is established (periods stopped for good, not by treatment); "
        "`not_applicable` for men.")
    er: Receptor | None = Field(None, description="Oestrogen receptor status.")
    pr: Receptor | None = Field(None, description="Progesterone receptor status.")
    her2: Her2 | None = Field(
        None, description="`low` is IHC 1+ or 2+ with ISH negative; `negative` is IHC 0."
    )
    triple_negative: Bool | None = Field(
        None,
        description="A label from the records, cross-checked against er, pr and her2 "
        "(the engine decides from er, pr and her2 themselves).",
    )
    pd_l1_cps: float | None = Field(
        None, ge=0, le=100, description="PD-L1 combined positive score (CPS, 22C3 assay), 0-100.")
    germline_brca: Bool | None = Field(
        None, description="A harmful inherited (germline) BRCA1 or BRCA2 variant has been found.")
    # General health
    performance_status: int | None = Field(
        None, ge=0, le=4, description="ECOG performance status: 0 fully active; 1 restricted in strenuous "
        "activity; 2 up and about, self-caring, unable to work; 3 limited self-care, in bed or chair over "
        "half the day; 4 completely disabled.")
    # Extent
    bone_sites: list[BoneSite] | None = Field(None, min_length=1)
    bone_lesion_count: int | None = Field(None, ge=1, le=1000)
    visceral_metastases: Visceral | None = None
    bone_marrow_involvement: Bool | None = None
    # Symptoms
    bone_pain: PainLevel | None = None
    pathological_fracture: Bool | None = Field(None, description="A fracture has happened.")
    back_pain: Bool | None = None
    neurological_deficit: Bool | None = Field(
        None, description="Weakness, numbness, tingling or difficulty walking."
    )
    bladder_bowel_dysfunction: Bool | None = None
    hypercalcaemia_symptoms: Bool | None = None
    blood_clot_symptoms: Bool | None = Field(
        None, description="Calf or thigh pain and swelling, breathlessness, chest pain or coughing blood.")
    # Other primaries
    castration_resistant: Bool | None = Field(
        None, description="Prostate cancer progressing despite androgen deprivation (castrate testosterone).")
    iodine_avid: Bool | None = Field(
        None, description="Thyroid cancer whose lesions take up radioactive iodine on a diagnostic scan.")
    # The most threatening long-bone lesion (Mirels' score)
    long_bone_lesion_site: LongBoneSite | None = None
    long_bone_lesion_type: LesionType | None = None
    long_bone_lesion_size: LesionSize | None = Field(
        None, description="Fraction of the bone's diameter the lesion takes up.")
    long_bone_pain: MirelsPain | None = Field(
        None, description="`functional`: severe, or worse when the limb is used.")
    # The most threatening spinal lesion (SINS); bonemets.scores.spinal_location maps a level
    spinal_location: SpinalLocation | None = None
    spinal_pain: SpinalPain | None = Field(None, description="`mechanical`: worse on movement or loading.")
    spinal_lesion_type: LesionType | None = None
    spinal_alignment: SpinalAlignment | None = None
    vertebral_collapse: VertebralCollapse | None = None
    posterolateral_involvement: Posterolateral | None = None
    # Labs
    calcium_mmol_l: float | None = Field(None, ge=0.5, le=6.0, description="Total serum calcium.")
    albumin_g_l: float | None = Field(
        None, ge=10, le=55, description="Serum albumin. Above 55 g/L is not seen outside severe dehydration "
        "(reference range about 35-50 g/L): the range bounds corrected calcium when albumin is unknown.")
    creatinine_umol_l: float | None = Field(None, ge=10, le=3000)
    weight_kg: float | None = Field(None, ge=20, le=400)
    platelets_e9_l: float | None = Field(
        None, ge=1, le=1500, description="Platelet count, x10^9/L (reference range about 150-400).")
    # Prior treatment
    line_of_therapy: LineOfTherapy | None = Field(
        None, description="`first`: no treatment yet for the advanced (metastatic) disease; `later`: the "
        "disease has progressed on at least one treatment for advanced disease.")
    prior_endocrine_therapy: list[EndocrineTherapy] | None = None
    endocrine_resistance: EndocrineResistance | None = None
    prior_cdk46_inhibitor: Bool | None = None
    prior_chemotherapy: Bool | None = None
    months_since_chemotherapy: int | None = Field(None, ge=0, le=600)
    prior_radiotherapy_sites: list[BoneSite] | None = None
    on_bone_strengthening: Bool | None = Field(
        None, description="Already on a bisphosphonate or denosumab."
    )
    takes_blood_thinners: Bool | None = Field(
        None, description="Takes a blood thinner (an anticoagulant such as warfarin, heparin or apixaban, or an "
        "antiplatelet such as clopidogrel).")
    # History
    first_metastasis: Bool | None = Field(
        None, description="This is the first time spread (metastasis) has been found.")
    years_since_primary_diagnosis: float | None = Field(None, ge=0, le=80)
    other_invasive_cancer: Bool | None = None
    dental_check_done: Bool | None = None
    could_become_pregnant: Bool | None = None

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise InvalidCaseError(_describe(err), fields=_error_fields(err)) from None

    @field_validator("*", mode="before")
    @classmethod
    def _text_as_the_cohort_reads_it(cls, value: Any, info: ValidationInfo) -> Any:
        """A number field takes numbers or numbers written as text (:func:`text_number`), never true
        or false; a list field also takes its values written as text (:func:`text_list`): as the
        cohort path reads a cell."""
        if info.field_name in _NUMBER_FIELDS:
            if isinstance(value, (bool, np.bool_)):
                raise ValueError("true or false is not a number")
            if isinstance(value, str):
                number = text_number(value)
                if number is None:
                    raise ValueError("not a number")
                return number
        elif isinstance(value, str) and info.field_name in _LIST_FIELDS:
            return text_list(value)
        return value

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Case:
        """Validate a mapping of fields; errors as for ``Case(**fields)``."""
        if not isinstance(obj, dict):
            raise InvalidCaseError(f"a case must be a mapping of fields, not {type(obj).__name__}")
        odd = [k for k in obj if not isinstance(k, str)]
        if odd:
            raise InvalidCaseError(f"field names are text; {shown(odd[0])} is not"
                                   + (f" (and {len(odd) - 1:,} more)" if len(odd) > 1 else ""))
        return cls(**obj)

    def engine_record(self) -> dict[str, Any]:
        """The fields as the engine reads them: ``"unknown"`` becomes ``None``."""
        return {k: (None if v == "unknown" else v) for k, v in self.__dict__.items()}

    def known(self) -> dict[str, Any]:
        """Only the fields that are known, as given."""
        return {k: v for k, v in self.model_dump().items() if v is not None and v != "unknown"}


@dataclass(frozen=True)
class FieldSpec:
    """What the engine needs to know about one case field, read off :class:`Case`.

    Attributes
    ----------
    name : str
    kind : {'enum', 'list', 'bool', 'int', 'float'}
    allowed : tuple of str
        For enum and list fields, the values allowed (``"unknown"`` excluded).
    ge, le : float or None
        Bounds of a number field.
    description : str
    min_items : int
        The fewest values a list field may give (``bone_sites``: one; a given list is complete).
    """

    name: str
    kind: str
    allowed: tuple[str, ...] = ()
    ge: float | None = None
    le: float | None = None
    description: str = ""
    min_items: int = 0

    def allowed_text(self) -> str:
        """The values allowed, as a user reads them."""
        if self.kind == "enum":
            return ", ".join(self.allowed + (("unknown",) if self.has_unknown else ()))
        if self.kind == "list":
            return "a list of " + ", ".join(self.allowed)
        if self.kind == "bool":
            return "true or false"
        unit = " (whole number)" if self.kind == "int" else ""
        return f"a number from {self.ge:g} to {self.le:g}{unit}"

    @property
    def plausible(self) -> tuple[float, float]:
        """A number field's plausible range: the values a case may give it (the engine's bounds
        of an unknown number, contract §6)."""
        if self.ge is None or self.le is None:
            raise ValueError(f"number field '{self.name}' has no range")
        return self.ge, self.le

    @property
    def has_unknown(self) -> bool:
        return self.kind == "enum" and self.name in _FIELDS_WITH_UNKNOWN


def _spec(name: str, info: Any) -> FieldSpec:
    ann = typing.get_args(info.annotation)[0]  # Optional[X] -> X
    while typing.get_origin(ann) is Annotated:
        ann = typing.get_args(ann)[0]
    ge = le = None
    least = 0
    for m in info.metadata:
        if isinstance(m, annotated_types.MinLen):
            least = m.min_length
        if isinstance(m, annotated_types.Ge):
            ge = float(m.ge)  # type: ignore[arg-type]  # the bounds of Case's fields are numbers
        if isinstance(m, annotated_types.Le):
            le = float(m.le)  # type: ignore[arg-type]
    desc = info.description or ""
    if typing.get_origin(ann) is Literal:
        return FieldSpec(name, "enum", tuple(a for a in typing.get_args(ann) if a != "unknown"),
                         description=desc)
    if typing.get_origin(ann) is list:
        return FieldSpec(name, "list", typing.get_args(typing.get_args(ann)[0]), description=desc, min_items=least)
    kind = {bool: "bool", int: "int", float: "float"}[ann]
    return FieldSpec(name, kind, ge=ge, le=le, description=desc)


_FIELDS_WITH_UNKNOWN = {
    n for n, i in Case.model_fields.items()
    if typing.get_origin(typing.get_args(i.annotation)[0]) is Literal
    and "unknown" in typing.get_args(typing.get_args(i.annotation)[0])
}

#: Every case field, in the order of the contract.
FIELDS: dict[str, FieldSpec] = {n: _spec(n, i) for n, i in Case.model_fields.items()}
_NUMBER_FIELDS = frozenset(n for n, spec in FIELDS.items() if spec.kind in ("int", "float"))
_LIST_FIELDS = frozenset(n for n, spec in FIELDS.items() if spec.kind == "list")
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def text_number(text: str) -> float | None:
    """A number written as text, as both paths read it: digits 0-9 with an optional sign, point
    and exponent, spaces around ignored; None for anything else ('nan', 'inf', '1_000', '٥').

    Examples
    --------
    >>> text_number(" 2.5 "), text_number("5e1"), text_number("nan")
    (2.5, 50.0, None)
    """
    text = text.strip()
    return float(text) if _NUMBER_TEXT.fullmatch(text) else None


def text_list(text: str) -> list[str]:
    """A list written as text, as both paths read it: values separated by ``;``, spaces around each
    ignored; ``""`` or ``"[]"`` the empty list.

    Examples
    --------
    >>> text_list(" spine ; pelvis "), text_list("[]")
    (['spine', 'pelvis'], [])
    """
    text = text.strip()
    return [] if text in ("", "[]") else [s.strip() for s in text.split(";")]


def suggest(name: str, choices: typing.Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""``."""
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _error_fields(err: ValidationError) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(e["loc"][0]) for e in err.errors() if e["loc"]))


#: Problems named one by one in a message; the rest are counted.
SHOWN_PROBLEMS = 3


def _describe(err: ValidationError) -> str:
    """One line for a pydantic error's problems, in our words: the first few, and a count of the rest."""
    parts = []
    problems = err.errors()
    for e in problems[:SHOWN_PROBLEMS]:
        loc = e["loc"]
        if not loc:
            parts.append(str(e.get("msg", "invalid case")).removeprefix("Value error, "))
            continue
        name = str(loc[0])
        value = e.get("input")
        if e["type"] == "extra_forbidden":
            parts.append(f"unknown field {shown(name)}{suggest(name, FIELDS) if len(name) <= LIMIT else ''}")
            continue
        spec = FIELDS[name]
        where = f"{name}[{loc[1]}]" if len(loc) > 1 and isinstance(loc[1], int) else name
        if spec.kind == "list" and len(loc) == 1 and e["type"] == "too_short":
            parts.append(f"{name}=[] is not allowed: give at least one of {', '.join(spec.allowed)}, "
                         "or leave it out if unknown")
        elif spec.kind == "list" and len(loc) == 1:
            parts.append(f"{name}={shown(value)} is not allowed; allowed: {spec.allowed_text()}")
        elif spec.kind == "list":
            parts.append(f"{where}={shown(value)} is not allowed; allowed: {', '.join(spec.allowed)}")
        else:
            parts.append(f"{name}={shown(value)} is not allowed; allowed: {spec.allowed_text()}")
    if len(problems) > SHOWN_PROBLEMS:
        parts.append(f"and {len(problems) - SHOWN_PROBLEMS:,} more")
    return "; ".join(parts)


def load_case(path: str | Path) -> Case:
    """Read one case from a YAML or JSON file.

    The file holds either the case fields at top level, or a teaching case whose fields sit
    under ``case:`` (see ``data/cases/``).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Case

    Raises
    ------
    InvalidCaseError
        The file cannot be read or parsed, or a field is invalid; the message starts with the
        file name.
    """
    path = Path(path)
    try:
        data = read_document(path, empty_hint="write {} for a case whose every field is unknown")
    except ReadError as err:
        raise InvalidCaseError(f"{path}: cannot read case file: {err.reason}") from None
    if not isinstance(data, dict):
        raise InvalidCaseError(f"{path}: a case is a mapping of fields (or a teaching case with a 'case:' "
                               f"mapping), not {type(data).__name__}")
    if "case" in data:
        beside = [k for k in data if k in FIELDS]
        if beside:
            raise InvalidCaseError(f"{path}: {shown(beside[0])} stands beside the 'case:' block; a case file "
                                   "holds its fields at top level or inside 'case:', not both", fields=(beside[0],))
        if not isinstance(data["case"], dict):
            raise InvalidCaseError(f"{path}: 'case:' must hold a mapping of fields")
        data = data["case"]
    try:
        return Case.model_validate(data)
    except InvalidCaseError as err:
        raise InvalidCaseError(f"{path}: {err}", fields=err.fields) from None
