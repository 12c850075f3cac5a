"""Spine scores: SINS (spinal instability) and the revised Tokuhashi score (2005)."""

from __future__ import annotations

import numbers
import re

from ..exceptions import ScoreInputError
from ._result import ScoreResult
from ._validate import choice, count
from .tables import SINS, TOKUHASHI

# --- SINS [pacs_de_sins]: points and bands in data/scores/sins.yaml --------------------------

_LEVEL = re.compile(r"^(?:(O|OC|OCC|OCCIPUT|C0)|([CTLS])(\d{1,2}))$")
#: The SINS location category of each vertebral level ("O": occiput), from the table's levels.
_CATEGORY_OF_LEVEL = {level: category for category, levels in (SINS.items["location"].levels or {}).items()
                      for level in levels}


def _levels_text() -> str:
    """The levels :func:`spinal_location` reads, as an error message lists them."""
    numbers: dict[str, list[int]] = {}
    for level in _CATEGORY_OF_LEVEL:
        if level != "O":
            numbers.setdefault(level[0], []).append(int(level[1:]))
    ranges = [f"'{r}{min(numbers[r])}'–'{r}{max(numbers[r])}'" for r in "CTLS" if r in numbers]
    return ", ".join(["'O' (occiput)", *ranges])

_SINS_NOTES = (
    "Pain scores 3 (mechanical), 1 (occasional, not mechanical) or 0 (pain-free) "
    "[pacs_de_sins]; one secondary source scores it 3/2/1, which is wrong and not used "
    "[neurosurgerynotes_sins].",
    "SINS rates mechanical instability only; it does not grade epidural cord compression.",
)


def spinal_location(level: str) -> str:
    """SINS location category of a spinal level.

    Junctional: occiput–C2, C7–T2, T11–L1, L5–S1; mobile: C3–C6, L2–L4; semi-rigid: T3–T10;
    rigid: S2–S5 [pacs_de_sins], as listed in ``data/scores/sins.yaml``.

    Parameters
    ----------
    level : str
        One vertebral level such as ``"C5"``, ``"T12"``, ``"L5"``, ``"S3"``, or ``"O"`` /
        ``"occiput"`` (case and spaces ignored). Ranges such as ``"T12-L1"`` are not accepted:
        score the level of the lesion.

    Returns
    -------
    str
        ``"junctional"``, ``"mobile"``, ``"semi_rigid"`` or ``"rigid"``: a ``location`` for
        :func:`sins`.

    Raises
    ------
    ScoreInputError
        A ``ValueError`` if the level cannot be read (e.g. ``"T13"``, ``"coccyx"``).

    Examples
    --------
    >>> spinal_location("T12")
    'junctional'
    """
    text = level.strip().upper().replace(" ", "") if isinstance(level, str) else ""
    match = _LEVEL.match(text)
    key = None
    if match:
        key = "O" if match.group(1) else f"{match.group(2)}{int(match.group(3))}"
    if key not in _CATEGORY_OF_LEVEL:
        raise ScoreInputError(
            f"spinal_location(): level={level!r} is not a vertebral level; allowed values: {_levels_text()}"
        )
    return _CATEGORY_OF_LEVEL[key]


def sins(
    location: str, pain: str, lesion: str, alignment: str, collapse: str, posterolateral: str
) -> ScoreResult:
    """Spinal Instability Neoplastic Score (SINS).

    Points and bands as published [pacs_de_sins]; total 0–18.

    Parameters
    ----------
    location : {"junctional", "mobile", "semi_rigid", "rigid"}
        3 / 2 / 1 / 0. Use :func:`spinal_location` to map a level such as ``"T12"``.
    pain : {"mechanical", "occasional", "none"}
        3 / 1 / 0 (mechanical: relieved by lying down, or worse with movement or loading).
    lesion : {"lytic", "mixed", "blastic"}
        2 / 1 / 0.
    alignment : {"subluxation", "de_novo_deformity", "normal"}
        4 / 2 / 0 (subluxation or translation; new kyphosis or scoliosis; normal).
    collapse : {"gt_50", "lt_50", "none_gt_50_involved", "none"}
        3 / 2 / 1 / 0 (collapse >50%; <50%; no collapse with >50% of the body involved; none).
    posterolateral : {"bilateral", "unilateral", "none"}
        3 / 1 / 0.

    Returns
    -------
    ScoreResult
        ``value`` 0–18; ``band`` ``"stable"`` (0–6), ``"potentially_unstable"`` (7–12) or
        ``"unstable"`` (13–18). 7–18 warrants surgical consultation before planned
        radiotherapy [pacs_de_sins].

    Raises
    ------
    ScoreInputError
        A ``ValueError`` naming the argument, the value and the allowed values.

    Notes
    -----
    Where sources disagree: pain is scored 3/1/0 [pacs_de_sins]; a secondary source's 3/2/1
    [neurosurgerynotes_sins] is wrong and not used.

    Examples
    --------
    >>> sins(spinal_location("T12"), "mechanical", "lytic", "normal", "lt_50", "unilateral").value
    11
    """
    func = "sins"
    tables = {name: item.points or {} for name, item in SINS.items.items()}
    if isinstance(location, str) and location not in tables["location"] and _LEVEL.match(
        location.strip().upper()
    ):
        raise ScoreInputError(
            f"sins(): location={location!r} is a spinal level, not a location category; use "
            f"spinal_location({location!r}); allowed values: "
            + ", ".join(repr(k) for k in tables["location"])
        )
    given = {"location": location, "pain": pain, "lesion": lesion, "alignment": alignment,
             "collapse": collapse, "posterolateral": posterolateral}
    points = {name: choice(func, name, value, tables[name]) for name, value in given.items()}
    total = sum(points.values())
    band = SINS.band(total)
    return ScoreResult(
        name=SINS.name,
        value=total,
        band=band.id,
        interpretation=band.text,
        inputs={
            "location": location,
            "pain": pain,
            "lesion": lesion,
            "alignment": alignment,
            "collapse": collapse,
            "posterolateral": posterolateral,
            "points": points,
        },
        sources=SINS.source_ids,
        notes=_SINS_NOTES,
        unit="points",
    )


# --- Revised Tokuhashi score (2005) [nice_cg75][quraishi_2013_tokuhashi] --------------------
# Points and bands in data/scores/tokuhashi.yaml.

_TOKUHASHI_NOTES = (
    "This is the revised score (Tokuhashi 2005, maximum 15), never the original 1989 score "
    "(maximum 12) that one secondary source gives [medicalalgorithms_tokuhashi]; do not mix "
    "versions.",
    "One secondary source inverts the survival labels of the bands "
    "[neurosurgerynotes_prognostication]; bonemets follows [nice_cg75] and "
    "[quraishi_2013_tokuhashi]: 0–8 under 6 months, 12–15 a year or more.",
    "Predicted survival is a group estimate from published cohorts, not an individual "
    "prognosis.",
)


def _karnofsky(kps: object, ecog: object) -> tuple[int, int]:
    """The Karnofsky range a call gives: ``kps`` itself, or the range of an ECOG grade."""
    given = TOKUHASHI.items["kps"].given_as
    if (kps is None) == (ecog is None):
        raise ScoreInputError("tokuhashi(): give kps (Karnofsky performance status) or ecog (ECOG performance "
                              f"status), exactly one; got kps={kps!r}, ecog={ecog!r}")
    if ecog is not None:
        grades = {int(grade): span for grade, span in (given.ranges if given is not None else {}).items()}
        if not isinstance(ecog, numbers.Integral) or isinstance(ecog, bool) or int(ecog) not in grades:
            raise ScoreInputError(f"tokuhashi(): ecog={ecog!r} is not allowed; allowed values: ECOG performance "
                                  f"status {', '.join(map(str, grades))}")
        return grades[int(ecog)]
    if not isinstance(kps, numbers.Integral) or isinstance(kps, bool) or kps not in range(10, 101, 10):
        raise ScoreInputError(f"tokuhashi(): kps={kps!r} is not allowed; allowed values: Karnofsky performance "
                              "status 10, 20, …, 100")
    return int(kps), int(kps)


def tokuhashi(
    kps: int | None,
    extraspinal_bone_mets: int,
    vertebral_mets: int,
    visceral: str,
    primary: str,
    palsy: str,
    *,
    ecog: int | None = None,
) -> ScoreResult:
    """Revised Tokuhashi score (2005) for predicted survival with spinal metastases.

    Only the revised 2005 score (total 0–15) is implemented, never the 1989 version
    (total 0–12). Points and bands [nice_cg75][quraishi_2013_tokuhashi].

    Parameters
    ----------
    kps : int or None
        Karnofsky performance status, 10–100 in steps of 10: 10–40 → 0, 50–70 → 1,
        80–100 → 2. ``None`` when ``ecog`` is given instead.
    extraspinal_bone_mets : int
        Number of extraspinal bone metastases: ≥3 → 0, 1–2 → 1, 0 → 2.
    vertebral_mets : int
        Number of vertebral body metastases (≥1): ≥3 → 0, 2 → 1, 1 → 2.
    visceral : {"not_removable", "removable", "none"}
        Metastases to major internal organs: 0 / 1 / 2.
    primary : str
        0: "lung", "osteosarcoma", "stomach", "bladder", "oesophagus" (or "esophagus"),
        "pancreas"; 1: "liver", "gallbladder", "unidentified"; 2: "other"; 3: "kidney",
        "uterus"; 4: "rectum"; 5: "thyroid", "breast", "prostate", "carcinoid".
    palsy : {"A", "B", "C", "D", "E"}
        Frankel grade: A–B → 0, C–D → 1, E (no palsy) → 2.
    ecog : int, optional
        ECOG performance status 0–4, when the Karnofsky score is not known. Published
        conversions differ, so each grade stands for the Karnofsky range they span together
        (``data/scores/tokuhashi.yaml``): ECOG 0 → 2 points, 1 → 1 or 2, 2 → 1, 3 → 0 or 1,
        4 → 0. Where that is a range, so is the total.

    Returns
    -------
    ScoreResult
        ``value`` 0–15; ``band`` ``"lt_6_months"`` (0–8), ``"ge_6_months"`` (9–11) or
        ``"ge_1_year"`` (12–15). From an ECOG grade that spans two Karnofsky steps: ``value``
        None, ``bounds`` the least and greatest total, and, where they fall in different bands,
        ``band`` naming both (``"lt_6_months_or_ge_6_months"``) and an interpretation saying
        that the Karnofsky score decides.

    Raises
    ------
    ScoreInputError
        A ``ValueError`` naming the argument, the value and the allowed values.

    Notes
    -----
    Where sources disagree: one secondary source inverts the band labels
    [neurosurgerynotes_prognostication] and another gives the 1989 score
    [medicalalgorithms_tokuhashi]; neither is followed.

    Examples
    --------
    >>> tokuhashi(80, 0, 1, "none", "breast", "E").value
    15
    >>> tokuhashi(None, 2, 2, "removable", "breast", "E", ecog=1).display_value
    '11–12 points'
    """
    func = "tokuhashi"
    items = TOKUHASHI.items
    least, most = _karnofsky(kps, ecog)
    extraspinal = count(func, "extraspinal_bone_mets", extraspinal_bone_mets,
                        minimum=items["extraspinal_bone_mets"].lowest_count)
    vertebral = count(func, "vertebral_mets", vertebral_mets, minimum=items["vertebral_mets"].lowest_count)
    aliases = items["primary"].aliases
    primary_used = aliases.get(primary, primary) if isinstance(primary, str) else primary
    palsy_used = palsy.strip().upper() if isinstance(palsy, str) else palsy
    fewest, most_points = items["kps"].points_for_range(least, most)
    points = {
        "kps": fewest if fewest == most_points else f"{fewest}–{most_points}",
        "extraspinal_bone_mets": items["extraspinal_bone_mets"].points_for_count(extraspinal),
        "vertebral_mets": items["vertebral_mets"].points_for_count(vertebral),
        "visceral": choice(func, "visceral", visceral, items["visceral"].points or {}),
        "primary": choice(func, "primary", primary_used, items["primary"].points or {}),
        "palsy": choice(func, "palsy", palsy_used, items["palsy"].points or {}),
    }
    rest = sum(p for item, p in points.items() if item != "kps")
    low, high = rest + fewest, rest + most_points
    band, top = TOKUHASHI.band(low), TOKUHASHI.band(high)
    if low == high:
        value, bounds, band_id, interpretation = low, None, band.id, band.text
    else:
        value, bounds = None, (low, high)
        band_id = band.id if band.id == top.id else f"{band.id}_or_{top.id}"
        interpretation = band.text if band.id == top.id else (
            f"ECOG {ecog} is Karnofsky {least}–{most} by the published conversions, {fewest} or {most_points} "
            f"points, so the total is {low} to {high}, across two bands. {band.text} {top.text} Scoring "
            "Karnofsky directly decides which.")
    given = items["kps"].given_as
    return ScoreResult(
        name=TOKUHASHI.name,
        value=value,
        band=band_id,
        interpretation=interpretation,
        bounds=bounds,
        sources=TOKUHASHI.source_ids + (tuple(c.source for c in given.sources) if ecog is not None and given else ()),
        inputs={
            "kps": kps if ecog is None else f"{least}–{most} (from ECOG {ecog})",
            "extraspinal_bone_mets": extraspinal,
            "vertebral_mets": vertebral,
            "visceral": visceral,
            "primary": primary_used,
            "palsy": palsy_used,
            "version": "revised 2005 (maximum 15)",
            "points": points,
        },
        notes=_TOKUHASHI_NOTES + ((given.note,) if ecog is not None and given else ()),
        unit="points",
    )
