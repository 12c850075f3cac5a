"""Cockcroft–Gault creatinine clearance."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import ScoreInputError
from ._result import ScoreResult
from ._validate import choice, number
from .tables import ZOLEDRONIC_ACID

#: µmol/L per mg/dL of creatinine.
CREATININE_UMOL_PER_MG_DL = 88.4

_SOURCES = ("superglobalcalculator_cockcroft_gault", "medicalalgorithms_cockcroft_gault")

_SEXES = {"female": True, "male": False}
_WEIGHTS = {"actual": "actual body weight"}


def crcl_band(crcl_ml_min: float) -> str:
    """Band id of a creatinine clearance, on its value (never rounded towards a higher dose).

    Bands follow the zoledronic acid renal table [zometa_smpc] of
    ``data/scores/zoledronic_acid.yaml``: ``"gt_60"`` (>60), ``"50_60"`` (50 to 60),
    ``"40_49"`` (40 to under 50), ``"30_39"`` (30 to under 40), ``"lt_30"``. So 29.5 →
    ``"lt_30"``; 49.5 → ``"40_49"``; 60 → ``"50_60"``; 60.01 → ``"gt_60"``.
    """
    if not crcl_ml_min >= 0:
        raise ScoreInputError(f"crcl_band(): crcl_ml_min={crcl_ml_min!r} must be ≥ 0 mL/min")
    return ZOLEDRONIC_ACID.band(crcl_ml_min).id


def _female_factor(female: Any) -> np.ndarray:
    arr = np.asarray(female)
    if arr.dtype == bool:  # 1 + (0.85 - 1) is exactly 0.85 (Sterbenz), and faster than np.where
        return 1.0 + arr * (0.85 - 1.0)
    if arr.dtype == object:
        import pandas as pd

        flat = [np.nan if pd.isna(v) else v for v in arr.ravel()]
        arr = np.array(flat, dtype=object).reshape(arr.shape)
    try:
        f = arr.astype(float)
    except (TypeError, ValueError):
        raise ScoreInputError(
            "cockcroft_gault_ml_min(): female must be bool (True for women), 0/1, or NaN for "
            f"unknown; got {female!r}"
        ) from None
    if np.any(np.isfinite(f) & (f != 0) & (f != 1)):
        raise ScoreInputError(
            "cockcroft_gault_ml_min(): female must be bool (True for women), 0/1, or NaN for "
            f"unknown; got {female!r}"
        )
    return np.where(f == 1, 0.85, np.where(f == 0, 1.0, np.nan))


def cockcroft_gault_ml_min(
    age: Any, weight_kg: Any, creatinine_umol_l: Any, female: Any
) -> Any:
    """Cockcroft–Gault creatinine clearance in mL/min (array-capable core).

    ``(140 − age) × weight / (72 × SCr mg/dL)``, × 0.85 for women, with
    SCr mg/dL = µmol/L ÷ 88.4 [superglobalcalculator_cockcroft_gault]
    [medicalalgorithms_cockcroft_gault].

    Parameters
    ----------
    age : float or array_like
        Years.
    weight_kg : float or array_like
        Body weight, kg, as the caller chose it (this core does not choose).
    creatinine_umol_l : float or array_like
        Serum creatinine, µmol/L.
    female : bool or array_like
        True for women. Float or object arrays may carry NaN / None / ``pd.NA`` for unknown.

    Returns
    -------
    float or numpy.ndarray
        mL/min; NaN wherever an input is NaN or unknown. No range checks: use
        :func:`creatinine_clearance` for a checked, banded result.
    """
    a = np.asarray(age, dtype=float)
    w = np.asarray(weight_kg, dtype=float)
    scr_mg_dl = np.asarray(creatinine_umol_l, dtype=float) / CREATININE_UMOL_PER_MG_DL
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (140.0 - a) * w / (72.0 * scr_mg_dl) * _female_factor(female)
    return float(out) if np.ndim(out) == 0 else out


def creatinine_clearance(
    age: float,
    weight_kg: float,
    creatinine_umol_l: float,
    sex: str,
    *,
    weight_used: str = "actual",
) -> ScoreResult:
    """Creatinine clearance by Cockcroft–Gault, banded as in the zoledronic acid table.

    Formula [superglobalcalculator_cockcroft_gault][medicalalgorithms_cockcroft_gault]:
    ``(140 − age) × weight / (72 × SCr mg/dL)``, × 0.85 for women; µmol/L ÷ 88.4 = mg/dL.

    Parameters
    ----------
    age : float
        Years, 18–120 (the formula is for adults).
    weight_kg : float
        Body weight, kg (1–400).
    creatinine_umol_l : float
        Serum creatinine, µmol/L (10–3000). Multiply mg/dL by 88.4.
    sex : {"female", "male"}
    weight_used : {"actual"}, default "actual"
        Which weight ``weight_kg`` is. Sources differ between actual, ideal and adjusted body
        weight [superglobalcalculator_cockcroft_gault][medicalalgorithms_cockcroft_gault];
        bonemets supports actual body weight only and records the choice in ``inputs``.

    Returns
    -------
    ScoreResult
        ``value`` in mL/min (unrounded); ``band`` one of ``"gt_60"``, ``"50_60"``,
        ``"40_49"``, ``"30_39"``, ``"lt_30"``, chosen after rounding half up to whole
        mL/min (see :func:`crcl_band`).

    Raises
    ------
    ScoreInputError
        A ``ValueError`` naming the argument, the value and what is allowed.

    Examples
    --------
    >>> round(creatinine_clearance(65, 70, 123.76, "male").value, 1)
    52.1
    """
    func = "creatinine_clearance"
    a = number(func, "age", age, low=18, high=120, unit="years",
               hint="Cockcroft–Gault is an adult formula")
    w = number(func, "weight_kg", weight_kg, low=1, high=400, unit="kg")
    scr = number(func, "creatinine_umol_l", creatinine_umol_l, low=10, high=3000, unit="µmol/L",
                 hint="if it is in mg/dL, multiply by 88.4")
    female = choice(func, "sex", sex, _SEXES)
    choice(func, "weight_used", weight_used, _WEIGHTS)
    value = cockcroft_gault_ml_min(a, w, scr, female)
    band = ZOLEDRONIC_ACID.band(value)
    return ScoreResult(
        name="Creatinine clearance (Cockcroft–Gault)",
        value=value,
        band=band.id,
        interpretation=band.clearance_text,
        inputs={
            "age": a,
            "weight_kg": w,
            "weight_used": weight_used,
            "creatinine_umol_l": scr,
            "creatinine_mg_dl": scr / CREATININE_UMOL_PER_MG_DL,
            "sex": sex,
            "banding_rule": "banded on the unrounded value (never rounded towards a higher dose)",
        },
        sources=_SOURCES,
        notes=(
            "Sources differ on the weight to use (actual, ideal or adjusted body weight); this "
            "result uses actual body weight [superglobalcalculator_cockcroft_gault]"
            "[medicalalgorithms_cockcroft_gault].",
            "Cockcroft–Gault estimates creatinine clearance in mL/min, not eGFR in "
            "mL/min/1.73 m²; the zoledronic acid table is defined on Cockcroft–Gault "
            "clearance [zometa_smpc].",
            "It assumes a stable creatinine: it is unreliable while creatinine is changing "
            "and at extremes of body size or muscle mass.",
        ),
        unit="mL/min",
        decimals=1,
    )
