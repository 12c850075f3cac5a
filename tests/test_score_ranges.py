"""The published scores of a case with their ranges (``Assessment.scores``, contract §6 bounds).

The revised Tokuhashi score is a derived number read from coarser case fields: its bounds must be
exactly the least and greatest value the scalar calculator (checked against the published table in
``test_scores.py``) gives over every way of filling in what the case leaves open, found here by
brute force.
"""

from __future__ import annotations

import functools
import itertools
import json

import pandas as pd
import pytest

import bonemets
from bonemets.assessment import points_words
from bonemets.columns import encode
from bonemets.derived import DERIVED
from bonemets.report import report_html
from bonemets.scores import tokuhashi

# ECOG grade -> the Karnofsky scores it may stand for: the span of the published conversions
# (ECOG 1 is Karnofsky 70-80 in the common table, 80-90 in two studies; data/scores/tokuhashi.yaml).
ECOG_TO_KPS = {0: (90, 100), 1: (70, 90), 2: (50, 70), 3: (30, 60), 4: (10, 40)}
OTHER_PRIMARIES = ["osteosarcoma", "stomach", "bladder", "oesophagus", "pancreas", "liver", "gallbladder",
                   "unidentified", "other", "uterus", "rectum", "carcinoid"]
ALL_PRIMARIES = ["breast", "prostate", "lung", "kidney", "thyroid", *OTHER_PRIMARIES]


def _choices(case: dict) -> dict[str, list]:
    """Every value each argument of tokuhashi() can take on the completions of ``case``."""
    ecog = case.get("performance_status")
    lo, hi = ECOG_TO_KPS[ecog] if ecog is not None else (10, 100)
    primary = case.get("primary")
    visceral = {"none": ["none"], "present": ["removable", "not_removable"],
                "crisis": ["not_removable"], None: ["none", "removable", "not_removable"]}
    # Frankel E: no weakness, no sensory loss, no sphincter disturbance; anything else may be any grade.
    grade_e = case.get("neurological_deficit") is False and case.get("bladder_bowel_dysfunction") is False
    sites = case["bone_sites"]
    others = len([s for s in sites if s != "spine"])
    counts = [case["bone_lesion_count"]] if "bone_lesion_count" in case else range(1, 8)  # 3 or more score alike
    splits = [(v, n - v) for n in counts for v in range(1, n + 1)
              if (n - v >= others) and (others > 0 or n - v == 0)]
    return {
        "kps": list(range(lo, hi + 1, 10)),
        "split": splits,
        "visceral": visceral[case.get("visceral_metastases")],
        "primary": ALL_PRIMARIES if primary is None else OTHER_PRIMARIES if primary == "other" else [primary],
        "palsy": ["E"] if grade_e else ["A", "B", "C", "D", "E"],
    }


@functools.cache
def _tokuhashi(*args: object) -> int:
    return tokuhashi(*args).value


def _brute_force(case: dict) -> tuple[int, int]:
    c = _choices(case)
    values = [_tokuhashi(kps, e, v, visceral, primary, palsy)
              for kps, (v, e), visceral, primary, palsy
              in itertools.product(c["kps"], c["split"], c["visceral"], c["primary"], c["palsy"])]
    return min(values), max(values)


def _partial_cases() -> list[dict]:
    sites_and_counts = [(["spine"], 1), (["spine"], 4), (["spine"], None), (["spine", "pelvis"], 2),
                        (["spine", "pelvis"], 3), (["spine", "pelvis"], 6), (["spine", "pelvis", "ribs"], None),
                        (["spine", "pelvis", "ribs", "skull"], 4)]
    out = []
    for (sites, count), primary, ecog, visceral, (deficit, bladder) in itertools.product(
            sites_and_counts, ["kidney", "other", None], [0, 3, None], ["crisis", None],
            [(False, False), (False, None), (True, False), (None, None)]):
        case = {"bone_sites": sites, "primary": primary, "performance_status": ecog,
                "visceral_metastases": visceral, "neurological_deficit": deficit, "bladder_bowel_dysfunction": bladder}
        if count is not None:
            case["bone_lesion_count"] = count
        out.append({k: v for k, v in case.items() if v is not None})
    return out


def test_tokuhashi_bounds_are_the_extremes_over_every_completion():
    cases = _partial_cases()
    assert len(cases) == 576
    frame = pd.DataFrame(cases)
    lo, hi = DERIVED["tokuhashi_score"].bounds(encode(frame))
    for i, case in enumerate(cases):
        assert (lo[i], hi[i]) == _brute_force(case), case


def test_tokuhashi_of_the_worked_example_and_undefined_without_a_spinal_metastasis():
    # Clinical reference: breast, KPS 80, no extraspinal bone metastasis, one vertebra, no organ
    # metastasis, no palsy = 2+2+2+2+5+2 = 15. ECOG 0 is Karnofsky 90-100: 2 points as well.
    a = bonemets.assess({"primary": "breast", "performance_status": 0, "bone_sites": ["spine"],
                         "bone_lesion_count": 1, "visceral_metastases": "none", "neurological_deficit": False,
                         "bladder_bowel_dysfunction": False})
    (score,) = [s for s in a.scores if s.name == "tokuhashi_score"]
    assert score.bounds == (15, 15) and score.text() == "Revised Tokuhashi score (2005): 15 points"
    assert score.bands == ("Revised Tokuhashi 12–15: predicted survival of 1 year or more (its authors suggested "
                           "excisional surgery).",)
    assert "not an individual prognosis" in score.note
    assert {c.source for c in score.sources} >= {"nice_cg75", "quraishi_2013_tokuhashi"}
    for sites in (["pelvis", "ribs"], None):  # no spinal metastasis, or not known whether there is one
        case = {"primary": "breast", "performance_status": 0, "bone_lesion_count": 2,
                **({"bone_sites": sites} if sites else {})}
        assert "tokuhashi_score" not in [s.name for s in bonemets.assess(case).scores]


def test_a_range_names_every_band_it_reaches_and_the_points_of_each_item():
    # Breast, ECOG 1 (Karnofsky 70-90: 1 or 2), spine and pelvis with 4 lesions (1 to 3 in the
    # spine: 2+0, 1+1 or 0+1), organ metastases present (removable or not: 0 or 1), no weakness
    # but a bladder problem (not surely Frankel E: 0 to 2): 5 + 1..2 + 1..2 + 0..1 + 0..2 = 7 to 12,
    # across three bands.
    a = bonemets.assess({"primary": "breast", "sex": "female", "performance_status": 1,
                         "bone_sites": ["spine", "pelvis"], "bone_lesion_count": 4, "visceral_metastases": "present",
                         "neurological_deficit": False, "bladder_bowel_dysfunction": True})
    (score,) = a.scores
    assert score.bounds == (7, 12) and score.unknown_inputs == ()
    assert [b.split(":")[0] for b in score.bands] == ["Revised Tokuhashi 0–8", "Revised Tokuhashi 9–11",
                                                      "Revised Tokuhashi 12–15"]
    assert score.parts_text() == (
        "general condition (Karnofsky, from ECOG) 1 to 2 points; bone metastases outside the spine and metastases "
        "in the vertebral bodies 1 to 2 points together; metastases to major internal organs 0 to 1 points; "
        "primary site 5 points; palsy (Frankel grade) 0 to 2 points")
    assert "spans 3 bands; the case does not say which" in bonemets.views.score_text(score)


def test_sins_with_one_item_unknown_is_a_range_that_says_which():
    # Clinical reference example: T12 junctional 3, mechanical pain 3, lytic 2, normal alignment 0,
    # collapse under 50% 2, unilateral posterolateral 1 = 11; with the collapse unknown: 9 to 12.
    a = bonemets.assess({"primary": "lung", "bone_sites": ["spine", "ribs"], "spinal_location": "junctional",
                         "spinal_pain": "mechanical", "spinal_lesion_type": "lytic", "spinal_alignment": "normal",
                         "posterolateral_involvement": "unilateral"})
    sins = next(s for s in a.scores if s.name == "sins_score")
    assert sins.bounds == (9, 12) and sins.unknown_inputs == ("vertebral_collapse",)
    assert sins.bands == ("SINS 7–12: potentially unstable; surgical consultation is warranted before planned "
                          "radiotherapy.",)
    assert "mirels_score" not in [s.name for s in a.scores]  # no long-bone item given


@pytest.fixture(scope="module")
def spinal() -> bonemets.Assessment:
    return bonemets.assess(bonemets.teaching_library()["lung_cancer_spine"].case)


def test_every_surface_shows_the_scores(spinal):
    assert [s.name for s in spinal.scores] == ["sins_score", "tokuhashi_score"]
    text = spinal.to_text()
    assert "(--full lists them, every reason and the scores)" in text and "SCORES" not in text
    full = bonemets.render.text_report(spinal, full=True)
    assert "  SINS: 10 points. SINS 7–12" in full and "Points: location 3 points;" in full
    html = report_html(spinal)
    assert "<h2 id='scores'>Scores</h2>" in html and "Revised Tokuhashi score (2005): 8 to 9 points" in html
    data = json.loads(json.dumps(spinal.to_dict()))
    assert [s["name"] for s in data["scores"]] == ["sins_score", "tokuhashi_score"]
    assert data["scores"][1]["bounds"] == [8.0, 9.0]


def test_the_explorer_shows_the_scores(spinal):
    pytest.importorskip("ipywidgets")
    from bonemets.explorer import cards_html

    html = cards_html(spinal)
    assert 'data-score="tokuhashi_score"' in html and "Revised Tokuhashi score (2005): 8 to 9 points" in html


def test_a_derived_score_whose_total_would_overflow_is_refused():
    # Parts read from categories are summed as one-byte integers: a table whose greatest total
    # passes 127 points fails naming the table, not with a silently wrapped score.
    from bonemets.derived import point_parts
    from bonemets.exceptions import DataTableError
    from bonemets.scores.tables import SINS

    location = SINS.items["location"]
    big = location.model_copy(update={"points": dict.fromkeys(location.points, 125)})
    table = SINS.model_copy(update={"items": {**SINS.items, "location": big}})
    with pytest.raises(DataTableError, match=r"table 'sins': a derived score's greatest total must be at most 127"):
        point_parts(table)


def test_the_unknown_items_of_a_score_are_listed_with_and():
    a = bonemets.assess({"primary": "lung", "bone_sites": ["spine"], "spinal_location": "junctional",
                         "spinal_pain": "mechanical", "spinal_lesion_type": "lytic", "spinal_alignment": "normal"})
    sins = next(s for s in a.scores if s.name == "sins_score")
    assert sins.unknown_inputs == ("vertebral_collapse", "posterolateral_involvement")
    assert bonemets.views.score_points_text(sins).endswith(
        "Not known: vertebral collapse and involvement of the back of the vertebra.")


def test_an_item_scoring_one_point_says_point():
    # The lung_cancer_spine teaching case: SINS 10, its collapse and posterolateral items 1 point each
    # (the report read "vertebral body collapse 1 points").
    sins = next(s for s in bonemets.assess(bonemets.teaching_cases()["lung_cancer_spine"]).scores if s.name == "sins_score")
    assert "vertebral body collapse 1 point;" in sins.parts_text() and "1 points" not in sins.parts_text()
    assert points_words(1, 1) == "1 point" and points_words(0, 1) == "0 to 1 points"
