"""Zoledronic acid dose for bone metastases by baseline creatinine clearance."""

from __future__ import annotations

from typing import Any

from ..exceptions import ScoreInputError
from ._result import ScoreResult
from ._validate import number
from .tables import ZOLEDRONIC_ACID

_NOTES = (
    "Infuse over no less than 15 minutes [zometa_smpc].",
    "Measure serum creatinine before every dose; withhold if it has risen by ≥0.5 mg/dL "
    "(44 µmol/L) from a normal baseline (<1.4 mg/dL) or by ≥1.0 mg/dL (88 µmol/L) from an "
    "abnormal baseline (>1.4 mg/dL) [zometa_smpc].",
    "The table applies to bone metastases and myeloma and uses baseline creatinine clearance "
    "(Cockcroft–Gault); hypercalcaemia of malignancy has its own label dose (4 mg) and renal "
    "advice, not this table [zometa_smpc].",
    "Sources write the bands differently (label: >60, 50–60, 40–49, 30–39, <30; a review "
    "table: 60–50, 50–40, 40–30 with shared edges [pmc3459591_bisphosphonate_renal_table]); "
    "bonemets follows the label and bands the unrounded clearance, a value between two bands "
    "(49.5) taking the lower dose: never rounded towards a higher dose.",
)


def zoledronic_acid_dose(crcl_ml_min: float | ScoreResult) -> ScoreResult:
    """Zoledronic acid dose (bone metastases) from baseline creatinine clearance.

    Label table [zometa_smpc], also reproduced in [pmc3459591_bisphosphonate_renal_table], as
    written in ``data/scores/zoledronic_acid.yaml``:
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
    Banding rule (sources do not state one, and one writes the bands with shared edges):
    the unrounded clearance is banded, a value between two label bands taking the lower
    dose, so that no clearance is rounded towards a higher dose. So 29.99 → not recommended;
    30 → 3.0 mg; 49.5 → 3.3 mg; 50 → 3.5 mg; 60 → 3.5 mg; 60.01 → 4.0 mg.

    Examples
    --------
    >>> zoledronic_acid_dose(52.1).value
    3.5
    >>> zoledronic_acid_dose(74.8).value
    4.0
    """
    from_result = isinstance(crcl_ml_min, ScoreResult)
    given: Any = crcl_ml_min
    if isinstance(crcl_ml_min, ScoreResult):
        if crcl_ml_min.unit != "mL/min":
            raise ScoreInputError(
                f"zoledronic_acid_dose(): crcl_ml_min must be a creatinine clearance in mL/min "
                f"or a creatinine_clearance() result; got a {crcl_ml_min.name!r} result"
            )
        given = crcl_ml_min.value
    crcl = number("zoledronic_acid_dose", "crcl_ml_min", given, low=0, high=1000, unit="mL/min")
    band = ZOLEDRONIC_ACID.band(crcl)
    band_id = band.id if band.dose_mg is not None else ZOLEDRONIC_ACID.not_recommended_band
    return ScoreResult(
        name=ZOLEDRONIC_ACID.name,
        value=band.dose_mg,
        band=band_id,
        interpretation=band.dose_text,
        inputs={
            "crcl_ml_min": crcl,
            "crcl_from": "creatinine_clearance() result" if from_result else "caller",
            "banding_rule": "banded on the unrounded clearance (never rounded towards a higher dose)",
        },
        sources=ZOLEDRONIC_ACID.source_ids,
        notes=_NOTES,
        unit="mg",
        decimals=1,
    )
