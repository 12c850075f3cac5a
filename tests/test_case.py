"""The Case model and load_case: absent is unknown, bad values and contradictions are named."""

import json

import pytest

import bonemets
from bonemets import Case, InvalidCaseError, load_case

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)


def test_every_field_is_optional_and_absent_means_unknown():
    case = Case()
    assert all(v is None for v in case.model_dump().values())
    assert case.known() == {}


def test_contract_fields_exist():
    contract = ["primary", "sex", "age", "menopause", "er", "pr", "her2", "bone_sites", "bone_lesion_count", "visceral_metastases", "bone_marrow_involvement", "bone_pain", "pathological_fracture", "back_pain", "neurological_deficit", "bladder_bowel_dysfunction", "hypercalcaemia_symptoms", "calcium_mmol_l", "albumin_g_l", "creatinine_umol_l", "weight_kg", "prior_endocrine_therapy", "endocrine_resistance", "prior_cdk46_inhibitor", "prior_chemotherapy", "months_since_chemotherapy", "prior_radiotherapy_sites", "on_bone_strengthening", "years_since_primary_diagnosis", "other_invasive_cancer", "dental_check_done", "could_become_pregnant"]
    assert set(contract) <= set(Case.model_fields)


@pytest.mark.parametrize("field, value, allowed_word", [
    ("her2", "pos", "positive, low, negative, unknown"),
    ("menopause", "peri", "pre, post"),
    ("primary", "colon", "breast, prostate"),
    ("bone_pain", "extreme", "none, mild, moderate, severe"),
    ("calcium_mmol_l", 10.3, "0.5 to 6"),  # mg/dL given where mmol/L is expected
    ("age", 150, "18 to 120"),
    ("age", 12, "18 to 120"),  # adults only: the sources and formulas are for adults
    ("pathological_fracture", "yes", "true or false"),
])
def test_invalid_value_names_field_value_and_allowed(field, value, allowed_word):
    with pytest.raises(InvalidCaseError) as err:
        Case(**{field: value})
    message = str(err.value)
    assert field in message and repr(value) in message and allowed_word in message
    assert "\n" not in message
    assert err.value.fields == (field,)


def test_invalid_list_item_is_named_with_its_position():
    with pytest.raises(InvalidCaseError, match=r"bone_sites\[1\]='femur'.*upper_leg"):
        Case(bone_sites=["spine", "femur"])


def test_unknown_field_suggests_the_closest():
    with pytest.raises(InvalidCaseError, match="unknown field 'her_2'; did you mean 'her2'"):
        Case(her_2="positive")


def test_invalid_case_error_is_a_value_error():
    assert issubclass(InvalidCaseError, ValueError)
    with pytest.raises(ValueError):
        Case.model_validate({"er": "maybe"})


@pytest.mark.parametrize("fields, named", [
    ({"sex": "male", "menopause": "pre"}, ("sex", "menopause")),
    ({"sex": "female", "menopause": "not_applicable"}, ("sex", "menopause")),
    ({"triple_negative": True, "her2": "positive"}, ("triple_negative", "her2")),
    ({"triple_negative": False, "er": "negative", "pr": "negative", "her2": "low"}, ("triple_negative", "er")),
    ({"prior_chemotherapy": False, "months_since_chemotherapy": 6}, ("prior_chemotherapy", "months_since_chemotherapy")),
    ({"endocrine_resistance": "primary", "prior_endocrine_therapy": []}, ("endocrine_resistance", "prior_endocrine_therapy")),
    ({"sex": "male", "could_become_pregnant": True}, ("sex", "could_become_pregnant")),
    # Implied facts (implied.yaml) contradicted by a value given:
    ({"menopause": "post", "could_become_pregnant": True}, ("menopause", "could_become_pregnant")),
    ({"primary": "prostate", "sex": "female"}, ("primary", "sex")),
    # ...and through a chain: a prostate primary is a man's, and a man has no menopause.
    ({"primary": "prostate", "menopause": "pre"}, ("sex", "menopause")),
])
def test_contradictions_name_both_fields(fields, named):
    Case(**fields)  # each value is allowed on its own: the knowledge base's checks find the contradiction
    with pytest.raises(InvalidCaseError) as err:
        bonemets.assess(fields)
    for name in named:
        assert name in str(err.value)
        assert name in err.value.fields


@pytest.mark.parametrize("fields", [
    {"sex": "male", "menopause": "not_applicable"},
    {"triple_negative": True, "er": "negative"},  # consistent so far; pr and her2 unknown
    {"prior_chemotherapy": True, "months_since_chemotherapy": 6},
])
def test_consistent_cases_are_accepted(fields):
    bonemets.assess(fields)


def test_unknown_string_and_absence_are_the_same_to_the_engine():
    a = bonemets.assess({"primary": "breast", "her2": "unknown"})
    b = bonemets.assess({"primary": "breast"})
    assert [r.status for r in a.recommendations] == [r.status for r in b.recommendations]


def test_boolean_strings_true_false_and_numpy_booleans_are_accepted():
    import numpy as np

    assert Case(back_pain="true").back_pain is True
    assert Case(back_pain="False").back_pain is False
    assert Case(back_pain=np.True_).back_pain is True  # e.g. a value taken from a frame


def test_load_case_yaml_and_json(tmp_path):
    y = tmp_path / "c.yaml"
    y.write_text("primary: breast\ner: positive\nbone_sites: [spine, ribs]\n")
    j = tmp_path / "c.json"
    j.write_text(json.dumps({"primary": "breast", "er": "positive", "bone_sites": ["spine", "ribs"]}))
    assert load_case(y) == load_case(j)


def test_load_case_names_the_file(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("her2: pos\n")
    with pytest.raises(InvalidCaseError, match=r"bad.yaml: her2='pos'"):
        load_case(f)


def test_load_case_unreadable_yaml(tmp_path):
    f = tmp_path / "broken.yaml"
    f.write_text("her2: [unclosed\n")
    with pytest.raises(InvalidCaseError, match=r"broken\.yaml: cannot read case file"):
        load_case(f)


def test_load_case_uses_safe_load(tmp_path):
    f = tmp_path / "evil.yaml"
    f.write_text("primary: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(InvalidCaseError, match="cannot read case file"):
        load_case(f)


def test_contradictions_are_checked_against_the_knowledge_base_in_use(tmp_path):
    """A copy of the knowledge without the implications "a man has no menopause" and "only a woman
    has a menopause" accepts what the shipped one rejects."""
    import shutil

    import yaml

    copy = tmp_path / "knowledge"
    shutil.copytree(bonemets.knowledge().path, copy)
    implied = yaml.safe_load((copy / "implied.yaml").read_text())
    kept = [c for c in implied if c["id"] not in ("male_menopause", "menopause_is_female")]
    assert len(kept) < len(implied)
    (copy / "implied.yaml").write_text(yaml.safe_dump(kept))
    case = {"sex": "male", "menopause": "pre"}
    with pytest.raises(InvalidCaseError):
        bonemets.assess(case)
    assert bonemets.assess(case, kb=bonemets.load_knowledge(copy)).knowledge_version
