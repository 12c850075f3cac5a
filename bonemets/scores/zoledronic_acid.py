"""Zoledronic acid dose for bone metastases by baseline creatinine clearance."""

from __future__ import annotations

from ._result import ScoreResult
from ._validate import ScoreInputError, number, round_half_up
from .renal import crcl_band

#: Dose in mg per creatinine-clearance band [zometa_smpc][pmc3459591_bisphosphonate_renal_table].
ZOLEDRONIC_ACID_DOSE_MG: dict[str, float | None] = {
    "gt_60": 4.0,
    "50_60": 3.5,
    "40_49": 3.3,
    "30_39": 3.0,
    "lt_30": None,
}

_NOTES = (
    "Infuse over no less than 15 minutes [zometa_smpc].",
    "Measure serum creatinine before every dose; withhold if it has risen by ≥0.5 mg/dL "
    "(44 µmol/L) from a normal baseline (<1.4 mg/dL) or by ≥1.0 mg/dL (88 µmol/L) from an "
    "abnormal baseline (>1.4 mg/dL) [zometa_smpc].",
    "The table applies to bone metastases and myeloma and uses baseline creatinine clearance "
    "(Cockcroft–Gault); dosing for hypercalcaemia of malignancy is not covered here "
    "[zometa_smpc].",
    "Sources write the bands differently (label: >60, 50–60, 40–49, 30–39, <30; a review "
    "table: 60–50, 50–40, 40–30 with shared edges [pmc3459591_bisphosphonate_renal_table]); "
    "bonemets follows the label and rounds clearance half up to whole mL/min before banding.",
)

_TEXT = {
    "gt_60": "Creatinine clearance above 60 mL/min: 4.0 mg zoledronic acid.",
    "50_60": "Creatinine clearance 50–60 mL/min: reduced dose, 3.5 mg zoledronic acid.",
    "40_49": "Creatinine clearance 40–49 mL/min: reduced dose, 3.3 mg zoledronic acid.",
    "30_39": "Creatinine clearance 30–39 mL/min: reduced dose, 3.0 mg zoledronic acid.",
    "not_recommended": "Creatinine clearance below 30 mL/min: zoledronic acid is not "
    "recommended.",
}


def zoledronic_acid_dose(crcl_ml_min: "float | ScoreResult") -> ScoreResult:
    """Zoledronic acid dose (bone metastases) from baseline creatinine clearance.

    Label table [zometa_smpc], also reproduced in [pmc3459591_bisphosphonate_renal_table]:
    >60 mL/min 4.0 mg; 50–60 3.5 mg; 40–49 3.3 mg; 30–39 3.0 mg; <30 not recommended.

    Parameters
    ----------
    crcl_ml_min : float or ScoreResult
        Baseline Cockcroft–Gault creatinine clearance, mL/min, or the result of
        :func:`creatinine_clearance`.

    Returns
    -------
    ScoreResult
        ``value`` is the dose in mg, or ``None`` with band ``"not_recommended"`` below
        30 mL/min. Other bands are the clearance bands ``"gt_60"``, ``"50_60"``,
        ``"40_49"``, ``"30_39"``.

    Raises
    ------
    ScoreInputError
        A ``ValueError`` if the clearance is not a finite number from 0 to 1000 mL/min.

    Notes
    -----
    Rounding rule (sources do not state one, and one writes the bands with shared edges):
    creatinine clearance is rounded half up to the nearest whole mL/min before banding.
    So 29.4 → 29 → not recommended; 29.5 → 30 → 3.0 mg; 49.6 → 50 → 3.5 mg; 60 → 3.5 mg;
    60.4 → 60 → 3.5 mg; 60.5 → 61 → 4.0 mg.

    Examples
    --------
    >>> zoledronic_acid_dose(52.1).value
    3.5
    >>> zoledronic_acid_dose(74.8).value
    4.0
    """
    from_result = isinstance(crcl_ml_min, ScoreResult)
    if from_result:
        if crcl_ml_min.unit != "mL/min":
            raise ScoreInputError(
                f"zoledronic_acid_dose(): crcl_ml_min must be a creatinine clearance in mL/min "
                f"or a creatinine_clearance() result; got a {crcl_ml_min.name!r} result"
            )
        crcl_ml_min = crcl_ml_min.value  # type: ignore[assignment]
    crcl = number("zoledronic_acid_dose", "crcl_ml_min", crcl_ml_min, low=0, high=1000,
                  unit="mL/min")
    band = crcl_band(crcl)
    dose = ZOLEDRONIC_ACID_DOSE_MG[band]
    if dose is None:
        band = "not_recommended"
    return ScoreResult(
        name="Zoledronic acid dose",
        value=dose,
        band=band,
        interpretation=_TEXT[band],
        inputs={
            "crcl_ml_min": crcl,
            "crcl_from": "creatinine_clearance() result" if from_result else "caller",
            "banding_rule": "creatinine clearance rounded half up to whole mL/min, then banded",
            "crcl_banded": round_half_up(crcl),
        },
        sources=("zometa_smpc", "pmc3459591_bisphosphonate_renal_table"),
        notes=_NOTES,
        unit="mg",
        decimals=1,
    )
