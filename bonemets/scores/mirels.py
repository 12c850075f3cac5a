"""Mirels' score: risk of pathological fracture of a long bone with a metastasis."""

from __future__ import annotations

from ._result import ScoreResult
from ._validate import choice

SITE_POINTS = {"upper_limb": 1, "lower_limb": 2, "trochanteric": 3}
LESION_POINTS = {"blastic": 1, "mixed": 2, "lytic": 3}
#: Size of the lesion as a fraction of the bone's diameter [radiopaedia_mirels].
SIZE_POINTS = {"lt_one_third": 1, "one_third_to_two_thirds": 2, "gt_two_thirds": 3}
#: "functional": severe pain, or pain made worse by using the limb [roentgenrayreader_mirels].
PAIN_POINTS = {"mild": 1, "moderate": 2, "functional": 3}

_TEXT = {
    "fixation_recommended": "Mirels score 9 or more: prophylactic fixation is recommended "
    "(reported fracture risk 33–100%).",
    "clinical_judgement": "Mirels score 8: a matter of clinical judgement (reported fracture "
    "risk about 15%).",
    "observe": "Mirels score 7 or less: observe and/or radiotherapy (reported fracture risk "
    "0–4%).",
}

_NOTES = (
    "Size is taken as the fraction of the bone's diameter [radiopaedia_mirels]; another source "
    "uses the fraction of cortical thickness [roentgenrayreader_mirels].",
    "Accuracy is limited: sensitivity about 90%, specificity about 35% [radiopaedia_mirels].",
    "'Functional' pain means severe pain, or pain made worse by using the limb "
    "[roentgenrayreader_mirels].",
)

_HUMERUS_NOTE = (
    "In the humerus a score of 8 or more was the best cut-off in one study (sensitivity 83.6%, "
    "specificity 79.5%) [pmc10132712_mirels_humerus]."
)


def mirels(site: str, lesion: str, size: str, pain: str) -> ScoreResult:
    """Mirels' score for impending pathological fracture of a long bone.

    Each item scores 1 / 2 / 3 [radiopaedia_mirels][roentgenrayreader_mirels][mdapp_mirels];
    total 4–12. Bands [roentgenrayreader_mirels][mdapp_mirels]: ≥9 prophylactic fixation
    recommended (fracture risk 33–100%), 8 clinical judgement (about 15%), ≤7 observe and/or
    radiotherapy (0–4%).

    Parameters
    ----------
    site : {"upper_limb", "lower_limb", "trochanteric"}
        1 / 2 / 3 points.
    lesion : {"blastic", "mixed", "lytic"}
        1 / 2 / 3 points.
    size : {"lt_one_third", "one_third_to_two_thirds", "gt_two_thirds"}
        1 / 2 / 3 points: the lesion as a fraction of the bone's **diameter**
        [radiopaedia_mirels]. Sources disagree ([roentgenrayreader_mirels] uses cortical
        thickness); bonemets uses the diameter and records this in ``inputs``.
    pain : {"mild", "moderate", "functional"}
        1 / 2 / 3 points; "functional" is severe pain or pain made worse by using the limb.

    Returns
    -------
    ScoreResult
        ``value`` 4–12; ``band`` ``"fixation_recommended"``, ``"clinical_judgement"`` or
        ``"observe"``.

    Raises
    ------
    ScoreInputError
        A ``ValueError`` naming the argument, the value and the allowed values.

    Notes
    -----
    Sensitivity about 90%, specificity about 35% [radiopaedia_mirels]. For the humerus, a
    cut-off of 8 performed best in one study [pmc10132712_mirels_humerus]: noted, not applied.

    Examples
    --------
    >>> mirels("trochanteric", "lytic", "gt_two_thirds", "functional").value
    12
    """
    func = "mirels"
    points = {
        "site": choice(func, "site", site, SITE_POINTS),
        "lesion": choice(func, "lesion", lesion, LESION_POINTS),
        "size": choice(func, "size", size, SIZE_POINTS),
        "pain": choice(func, "pain", pain, PAIN_POINTS),
    }
    total = sum(points.values())
    if total >= 9:
        band = "fixation_recommended"
    elif total == 8:
        band = "clinical_judgement"
    else:
        band = "observe"
    sources = ("radiopaedia_mirels", "roentgenrayreader_mirels", "mdapp_mirels")
    notes = _NOTES
    if site == "upper_limb":
        sources += ("pmc10132712_mirels_humerus",)
        notes += (_HUMERUS_NOTE,)
    return ScoreResult(
        name="Mirels score",
        value=total,
        band=band,
        interpretation=_TEXT[band],
        inputs={
            "site": site,
            "lesion": lesion,
            "size": size,
            "pain": pain,
            "size_definition": "fraction of bone diameter",
            "points": points,
        },
        sources=sources,
        notes=notes,
        unit="points",
    )
