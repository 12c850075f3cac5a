"""Mirels' score: risk of pathological fracture of a long bone with a metastasis."""

from __future__ import annotations

from ._result import ScoreResult
from ._validate import choice
from .tables import MIRELS

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

    Points and bands are those of ``data/scores/mirels.yaml`` (:data:`~bonemets.scores.tables.MIRELS`).
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
    given = {"site": site, "lesion": lesion, "size": size, "pain": pain}
    points = {name: choice(func, name, value, MIRELS.items[name].points or {}) for name, value in given.items()}
    total = sum(points.values())
    band = MIRELS.band(total)
    sources = MIRELS.source_ids
    notes: tuple[str, ...] = _NOTES
    if site == "upper_limb":
        sources += ("pmc10132712_mirels_humerus",)
        notes += (_HUMERUS_NOTE,)
    return ScoreResult(
        name=MIRELS.name,
        value=total,
        band=band.id,
        interpretation=band.text,
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
