"""Patient advice: the supportive advice the clinical review found missing is in the knowledge
base, quoted from its source; it is checked at load with one clear line; ``advice_for`` gives
the advice that applies to an assessment."""

import pytest

import bonemets
from bonemets import KnowledgeError
from bonemets.seed_coverage import normalise, quote_problems, read_seeds, seeds_dir

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

KB = bonemets.knowledge()

# (what the issue lists as missing, the advice entry, a phrase its text must say)
MISSING = [
    ("emotional and psychological support", "emotional_support", "counselling"),
    ("support groups and a social worker", "emotional_support", "social worker"),
    ("a specialist nurse to go over the plan", "specialist_nurse", "specialist nurse"),
    ("regular pain assessment", "pain_diary", "assess your pain regularly"),
    ("a pain diary", "pain_diary", "pain diary"),
    ("try another painkiller", "try_another_painkiller", "prescribe a different one"),
    ("new pain not settling after a week or two", "bone_pain_warning_signs", "a week or two"),
    ("pain waking at night", "bone_pain_warning_signs", "wakes you at night"),
    ("changes in mobility", "report_new_symptoms", "daily tasks"),
    ("weight loss and fatigue", "report_new_symptoms", "losing weight"),
    ("overall health as a factor", "general_health_matters", "general health"),
    ("informed consent", "informed_consent", "you decide"),
    ("the right to help plan care", "informed_consent", "help plan your care"),
    ("the right to refuse treatment", "informed_consent", "refuse treatment"),
    ("external radiotherapy does not make you radioactive", "radiotherapy_not_radioactive", "not make you radioactive"),
    ("calcium and vitamin D in the diet", "calcium_vitamin_d_diet", "vitamin d"),
    ("dietary calcium does not cause hypercalcaemia", "dietary_calcium_is_safe", "does not cause high calcium"),
    ("tell the dentist about the bone drug", "tell_the_dentist", "tell your dentist"),
    ("check dental work with the team", "tell_the_dentist", "check with your treatment team"),
    ("ear pain or discharge: contact the team", "jaw_or_ear_symptoms", "discharge from the ear"),
    ("IV ibandronic acid over 15 minutes", "iv_bisphosphonate_visits", "ibandronic acid over 15 minutes"),
    ("a GP exercise referral", "exercise_referral", "exercise referral"),
]


@pytest.mark.parametrize("what, advice_id, phrase", MISSING, ids=[m[0] for m in MISSING])
def test_advice_the_review_found_missing_is_there(what, advice_id, phrase):
    assert advice_id in KB.advice, f"{what}: no advice '{advice_id}'"
    advice = KB.advice[advice_id]
    assert advice.status == "active"
    assert normalise(phrase) in normalise(advice.text), f"{what}: '{phrase}' not in {advice_id}"


def test_every_advice_is_quoted_from_a_source_that_exists():
    assert len(KB.advice) >= 20
    for advice in KB.advice.values():
        assert advice.sources, advice.id
        for c in advice.sources:
            assert c.source in KB.sources, (advice.id, c.source)
            assert c.excerpt and len(c.excerpt.split()) <= 25, (advice.id, c.excerpt)


def test_advice_quotes_are_found_in_the_source_texts():
    if not seeds_dir().is_dir():
        pytest.skip(f"no source texts at {seeds_dir()} (set BONEMETS_SEEDS)")
    citations = [c for a in KB.advice.values() for c in a.sources]
    assert quote_problems(citations, read_seeds(seeds_dir())) == []


def test_quote_problems_names_an_excerpt_that_is_not_in_the_text():
    quoted = KB.advice["tell_the_dentist"].sources[0]
    texts = {quoted.source: normalise("Osteonecrosis. See your dentist for a check-up.")}
    assert quote_problems([quoted], texts) == [
        f"{quoted.source}: excerpt '{quoted.excerpt}' is not in the text of {quoted.source}"]
    assert quote_problems([quoted], {}) == []  # another source than the five texts: not checked here


# --------------------------------------------------------------------------- advice_for

HER2_UNKNOWN = {"primary": "breast", "er": "positive", "her2": "unknown"}  # contract: her2_targeted undetermined
HER2_POSITIVE = {"primary": "breast", "er": "positive", "her2": "positive"}
HER2_NEGATIVE = {"primary": "breast", "er": "positive", "her2": "negative"}


def _with_advice(**entry) -> bonemets.KnowledgeBase:
    quoted = {"source": "bcn_secondary_bone", "section": "HER2 targeted therapy",
              "excerpt": "People whose cancer has high levels of HER2 (called HER2 positive)"}
    return KB.with_changes(add={"advice": [{"id": "test_advice", "title": "Test advice",
                                            "text": "Advice used by a test only.", "sources": [quoted], **entry}]})


@pytest.fixture(scope="module")
def tied_to_her2():
    return _with_advice(applies=["her2_targeted"])


@pytest.mark.parametrize("case, status, applies", [
    (HER2_POSITIVE, "recommended", True), (HER2_UNKNOWN, "undetermined", False), (HER2_NEGATIVE, "not_indicated", False),
])
def test_advice_tied_to_an_item_applies_when_it_is_recommended_only(tied_to_her2, case, status, applies):
    a = bonemets.assess(case, kb=tied_to_her2)
    assert a.status("her2_targeted") == status
    got = [x.id for x in bonemets.advice_for(a)]
    assert ("test_advice" in got) is applies
    assert "informed_consent" in got  # applies: [always]


def test_advice_tied_to_an_alert_applies_when_it_is_raised():
    kb = _with_advice(applies=["pregnancy"])
    could = bonemets.assess({"primary": "breast", "sex": "female", "could_become_pregnant": True}, kb=kb)
    man = bonemets.assess({"primary": "breast", "sex": "male"}, kb=kb)
    assert could.alert("pregnancy") is not None and man.alert("pregnancy") is None
    assert "test_advice" in [x.id for x in bonemets.advice_for(could)]
    assert "test_advice" not in [x.id for x in bonemets.advice_for(man)]


def test_retired_advice_never_applies_and_draft_advice_only_with_drafts():
    retired = _with_advice(applies=["always"], status="retired", retired={"date": "2026-12-01", "reason": "test"})
    assert "test_advice" not in [x.id for x in bonemets.advice_for(bonemets.assess({}, kb=retired))]
    draft = _with_advice(applies=["always"], status="draft")
    assert "test_advice" not in [x.id for x in bonemets.advice_for(bonemets.assess({}, kb=draft))]
    with_drafts = draft.with_changes(include_drafts=True)
    assert "test_advice" in [x.id for x in bonemets.advice_for(bonemets.assess({}, kb=with_drafts))]


def test_advice_for_an_empty_case_is_the_advice_for_everyone():
    got = bonemets.advice_for(bonemets.assess({}))
    assert {"informed_consent", "emotional_support", "bone_pain_warning_signs"} <= {x.id for x in got}


# --------------------------------------------------------------------------- checked at load

@pytest.mark.parametrize("change, expected", [
    ({"applies": ["bone_strenghtening"]},
     "advice.yaml: entry 'tell_the_dentist': applies: 'bone_strenghtening' is not a family, option, test or alert "
     "id; did you mean 'bone_strengthening'?; or write [always]"),
    ({"applies": ["always", "denosumab"]},
     "advice.yaml: entry 'tell_the_dentist': applies: 'always' stands alone"),
    ({"applies": []}, "advice.yaml: entry 'tell_the_dentist': field 'applies'"),
    ({"level": "critical"},
     "advice.yaml: entry 'tell_the_dentist': field 'level': 'critical' is not allowed; allowed: 'info' or 'warning'"),
    ({"sources": [{"source": "bcn_secondary_bone", "section": "Osteonecrosis"}]},
     "advice.yaml: entry 'tell_the_dentist': field 'sources': every source of advice quotes it: add an excerpt to "
     "the citation of 'bcn_secondary_bone'"),
    ({"sources": [{"source": "bcn_secondary_bone", "section": "Osteonecrosis", "excerpt": " ".join(["word"] * 26)}]},
     "an excerpt here is at most 25 words, this one has 26"),
    ({"sources": [{"source": "bcn_secondary_bon", "section": "Osteonecrosis", "excerpt": "Tell your dentist"}]},
     "advice.yaml: entry 'tell_the_dentist': source 'bcn_secondary_bon' is not in sources/; did you mean "
     "'bcn_secondary_bone'"),
    ({"advise": "x"}, "advice.yaml: entry 'tell_the_dentist': field 'advise': unknown key"),
])
def test_a_wrong_advice_entry_is_named_with_what_is_allowed(change, expected):
    with pytest.raises(KnowledgeError) as err:
        KB.with_changes(advice={"tell_the_dentist": change})
    assert expected in str(err.value)


def test_advice_is_public():
    assert "advice_for" in bonemets.__all__
    assert bonemets.advice_for is bonemets.advice.advice_for
    assert isinstance(KB.advice["informed_consent"], bonemets.knowledge_models.Advice)


def test_the_advice_table_for_notebooks():
    table = KB.to_frame("advice")
    assert list(table.columns) == ["id", "title", "applies", "level", "status", "sources"]
    assert len(table) == len(KB.advice)
    dentist = table.set_index("id").loc["tell_the_dentist"]
    assert dentist.applies == "bone_strengthening" and "bcn_secondary_bone" in dentist.sources
