"""Exactness: an undetermined family or option is one the unknowns truly decide (issue 9).

The soundness property (tests/test_soundness.py) says a decided answer holds on every completion.
These tests say the converse on known cases: every family and option left undetermined has a
witness (:func:`bonemets.witnesses`), two fillings of the unknowns that the knowledge answers
differently, so no sound engine could decide it. The answers on the extensions are the knowledge's
own (evaluated with the unknowns filled in), independent of how the engine reasons about unknowns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bonemets
from bonemets import assess, witnesses

pytestmark = pytest.mark.core

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: The partial-knowledge issue's cases: the README's quick start, a first visit, the same with labs.
QUICK_START, FIRST_VISIT, WITH_LABS = (bonemets.load_case(EXAMPLES / f"{name}.json").known()
                                       for name in ("quick_start", "first_visit", "first_visit_with_labs"))
ONE = {"recommended": 0, "consider": 1, "not_indicated": 2, "avoid": 2}


@pytest.mark.parametrize("case", [QUICK_START, FIRST_VISIT, WITH_LABS], ids=["quick start", "first visit", "with labs"])
def test_every_undetermined_family_and_option_of_the_issue_cases_has_a_witness(case):
    found = witnesses(case)
    assert found and [item for item, w in found.items() if w is None] == []


def test_a_witness_is_two_fillings_that_the_knowledge_answers_differently():
    for item, w in witnesses(FIRST_VISIT, n=4000).items():
        assert w is not None
        assert FIRST_VISIT.items() <= w.base.items()
        first, second = (assess({**w.base, **fill}).status(item) for fill in (w.first, w.second))
        assert (first, second) == w.statuses and ONE[first] != ONE[second], item
    steroids = witnesses(FIRST_VISIT, n=4000)["steroids"]
    assert steroids is not None and set(steroids.first) == {"neurological_deficit"}  # one field apart


def test_teaching_cases_are_exact_but_for_one_family_a_split_on_her2_decides():
    """In ``receptors_unknown`` (ER+, HER2 unknown) with platelets known, targeted therapy is
    recommended on every completion: a HER2-targeted drug if HER2 is positive, a CDK4/6 inhibitor if
    not. The engine says undetermined (sound, not sharp): deciding it needs a split on HER2, which it
    does not make. (With platelets unknown, as the case is written, a completion with platelets
    below 50 withholds the CDK4/6 inhibitor, so there is a witness: one that the pending blood-count
    check would exempt, which :func:`bonemets.witnesses` does not weigh.)"""
    missing = {case_id: [item for item, w in witnesses(case, n=4000).items() if w is None]
               for case_id, case in bonemets.teaching_cases().items()}
    assert {k: v for k, v in missing.items() if v} == {}
    case = {**bonemets.teaching_cases()["receptors_unknown"].model_dump(exclude_none=True), "platelets_e9_l": 250}
    assert [item for item, w in witnesses(case, n=4000).items() if w is None] == ["targeted_therapy"]
    assert assess(case).status("targeted_therapy") == "undetermined"
    assert {assess({**case, "her2": her2}).status("targeted_therapy") for her2 in ("positive", "low", "negative")} == {
        "recommended"}


def test_an_engine_that_misses_a_bound_is_caught():
    """With fewer lesions than sites a contradiction but not a bound (as before knowledge 0.3.1),
    surgery for a single metastasis is undetermined at the first visit though no valid filling of
    the unknowns makes it anything but not indicated: exactness fails."""
    kb = bonemets.knowledge()
    bounds = [imp.id for imp, _ in kb.implied if imp.implies.ge is not None]
    fewer_lesions_than_sites = {
        "id": "fewer_lesions_than_sites", "fields": ["bone_lesion_count", "bone_sites"],
        "when": {"any": [{"all": [{"field": "bone_lesion_count", "le": k - 1}, {"field": "bone_site_count", "ge": k}]}
                         for k in range(2, 8)]},
        "message": "each bone site named holds at least one lesion"}
    looser = kb.with_changes(implied=dict.fromkeys(bounds), add={"consistency": [fewer_lesions_than_sites]})
    with pytest.raises(bonemets.InvalidCaseError):
        assess({"bone_sites": ["spine", "pelvis"], "bone_lesion_count": 1}, kb=looser)
    assert assess(FIRST_VISIT, kb=looser).status("metastasis_surgery") == "undetermined"
    assert witnesses(FIRST_VISIT, n=4000, kb=looser)["metastasis_surgery"] is None
