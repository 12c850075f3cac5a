"""Albumin-corrected calcium and its CTCAE hypercalcaemia grade."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._result import ScoreResult
from ._validate import choice, number, round_half_up
from .tables import CORRECTED_CALCIUM, Grade

_UNITS = CORRECTED_CALCIUM.units

_NOTES = (
    "Albumin-corrected calcium is unreliable with paraproteins (e.g. myeloma): measure ionised "
    "calcium instead [nci_pdq_hypercalcemia].",
    "Grades follow the CTCAE corrected-calcium table [bmj_best_practice_hypercalcaemia]; the "
    "mild/moderate/severe scheme (<12, 12–13.9, ≥14 mg/dL) is a different, non-CTCAE scheme "
    "and is not used here.",
    "The upper limit of normal is laboratory-specific (e.g. 2.6 or 2.7 mmol/L): pass your "
    "laboratory's value as uln.",
    "CTCAE grades also carry clinical descriptors (symptoms, hospitalisation); this grade uses "
    "the laboratory value only.",
)


def _albumin_adjusted(calcium: Any, albumin: Any, slope: float, ref: float) -> Any:
    ca = np.asarray(calcium, dtype=float)
    alb = np.asarray(albumin, dtype=float)
    out = ca + slope * (ref - alb)
    return float(out) if out.ndim == 0 else out


def corrected_calcium_si(calcium_mmol_l: Any, albumin_g_l: Any) -> Any:
    """Albumin-corrected calcium in mmol/L (array-capable core).

    ``Ca + 0.02 × (40 − albumin)`` [oncohemakey_electrolytes].

    Parameters
    ----------
    calcium_mmol_l : float or array_like
        Total serum calcium, mmol/L.
    albumin_g_l : float or array_like
        Serum albumin, g/L.

    Returns
    -------
    float or numpy.ndarray
        Corrected calcium, mmol/L; NaN wherever an input is NaN. No range checks: use
        :func:`corrected_calcium` for a checked, graded result.
    """
    spec = _UNITS["SI"]
    return _albumin_adjusted(calcium_mmol_l, albumin_g_l, spec.slope, spec.albumin_reference)


def corrected_calcium_conventional(calcium_mg_dl: Any, albumin_g_dl: Any) -> Any:
    """Albumin-corrected calcium in mg/dL (array-capable core).

    ``Ca + 0.8 × (4 − albumin)`` [medscape_hypercalcaemia].

    Parameters
    ----------
    calcium_mg_dl : float or array_like
        Total serum calcium, mg/dL.
    albumin_g_dl : float or array_like
        Serum albumin, g/dL.

    Returns
    -------
    float or numpy.ndarray
        Corrected calcium, mg/dL; NaN wherever an input is NaN.
    """
    spec = _UNITS["conventional"]
    return _albumin_adjusted(calcium_mg_dl, albumin_g_dl, spec.slope, spec.albumin_reference)


def corrected_calcium(
    calcium: float, albumin: float, *, units: str = "SI", uln: float | None = None
) -> ScoreResult:
    """Albumin-corrected calcium, graded with the CTCAE hypercalcaemia table.

    SI: ``Ca (mmol/L) + 0.02 × (40 − albumin g/L)`` [oncohemakey_electrolytes].
    Conventional: ``Ca (mg/dL) + 0.8 × (4 − albumin g/dL)`` [medscape_hypercalcaemia].
    Constants and grade limits as in ``data/scores/corrected_calcium.yaml``.
    Grades [bmj_best_practice_hypercalcaemia]: grade 1 >ULN–2.9 mmol/L (11.5 mg/dL),
    grade 2 >2.9–3.1 (11.5–12.5), grade 3 >3.1–3.4 (12.5–13.5), grade 4 >3.4 (13.5).

    Parameters
    ----------
    calcium : float
        Total serum calcium: mmol/L (``units="SI"``) or mg/dL (``units="conventional"``).
    albumin : float
        Serum albumin: g/L (SI) or g/dL (conventional).
    units : {"SI", "conventional"}, default "SI"
    uln : float, optional
        The laboratory's upper limit of normal for calcium, in the same units. Default
        2.6 mmol/L, or 10.4 mg/dL (2.6 × 4.008, rounded) for conventional units. It must be
        below the grade 1 upper limit (2.9 mmol/L, 11.5 mg/dL).

    Returns
    -------
    ScoreResult
        ``value`` is the corrected calcium in the input units (unrounded); ``band`` is
        ``"normal"`` (≤ ULN) or ``"grade_1"`` … ``"grade_4"``.

    Raises
    ------
    ScoreInputError
        A ``ValueError`` naming the argument, the value and what is allowed (including a
        hint when a value looks like it is in the other unit system).

    Notes
    -----
    Choices where sources are silent or differ: the value is rounded half up to the
    precision laboratories report (2 decimals in mmol/L, 1 decimal in mg/dL) before it is
    compared with the grade limits, so a result exactly on a limit belongs to the lower
    grade ("> 2.9" starts at 2.91 mmol/L). The mild/moderate/severe scheme is not CTCAE and
    is not used. Unreliable with paraproteins: use ionised calcium [nci_pdq_hypercalcemia].

    Examples
    --------
    >>> corrected_calcium(10.3, 3.0, units="conventional").value  # doctest: +ELLIPSIS
    11.1...
    >>> corrected_calcium(2.40, 30).band
    'normal'
    """
    func = "corrected_calcium"
    spec = choice(func, "units", units, _UNITS)
    other = "conventional" if units == "SI" else "SI"
    hint = f"is it in {_UNITS[other].calcium_unit}? then pass units={other!r}"
    ca = number(func, "calcium", calcium, low=spec.calcium_range[0], high=spec.calcium_range[1],
                unit=spec.calcium_unit, hint=hint)
    alb = number(func, "albumin", albumin, low=spec.albumin_range[0], high=spec.albumin_range[1],
                 unit=spec.albumin_unit, hint=f"is it in {_UNITS[other].albumin_unit}?")
    uln_given = uln is not None
    limit = spec.default_uln if uln is None else number(
        func, "uln", uln, low=spec.uln_range[0], high=spec.uln_range[1],
        unit=spec.calcium_unit, hint="it must lie below the CTCAE grade 1 upper limit",
    )
    if units == "SI":
        value = corrected_calcium_si(ca, alb)
    else:
        value = corrected_calcium_conventional(ca, alb)
    graded = round_half_up(value, spec.decimals)
    l1, l2, l3 = spec.grade_limits
    band: Grade
    if graded <= limit:
        band = "normal"
    elif graded <= l1:
        band = "grade_1"
    elif graded <= l2:
        band = "grade_2"
    elif graded <= l3:
        band = "grade_3"
    else:
        band = "grade_4"
    u = spec.calcium_unit
    return ScoreResult(
        name=CORRECTED_CALCIUM.name,
        value=value,
        band=band,
        interpretation=CORRECTED_CALCIUM.grades[band].format(uln=limit, u=u, l1=l1, l2=l2, l3=l3),
        inputs={
            "calcium": ca,
            "albumin": alb,
            "units": units,
            "calcium_unit": u,
            "albumin_unit": spec.albumin_unit,
            "uln": limit,
            "uln_from": "caller" if uln_given else "default",
            "grading_rule": f"rounded half up to {spec.decimals} decimals, then compared "
            "with the CTCAE limits (a value on a limit takes the lower grade)",
            "value_graded": graded,
        },
        sources=(spec.source, "bmj_best_practice_hypercalcaemia", "nci_pdq_hypercalcemia"),
        notes=_NOTES,
        unit=u,
        decimals=spec.decimals,
    )
