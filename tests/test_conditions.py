"""The condition language: Kleene logic, each test on each kind of field, compile errors."""

import itertools

import pytest

from bonemets.columns import encode, one_row
from bonemets.conditions import compile_condition
from bonemets.exceptions import KnowledgeError
from bonemets.program import compile_program

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

T, F, U = True, False, None
# Kleene's strong three-valued logic (independently known truth tables).
KLEENE_AND = {(T, T): T, (T, F): F, (T, U): U, (F, F): F, (F, U): F, (U, U): U}
KLEENE_OR = {(T, T): T, (T, F): T, (T, U): T, (F, F): F, (F, U): U, (U, U): U}


@pytest.mark.parametrize("a, b", list(itertools.product([T, F, U], repeat=2)))
def test_kleene_tables(a, b):
    key = (a, b) if (a, b) in KLEENE_AND else (b, a)
    fields = {k: v for k, v in (("back_pain", a), ("neurological_deficit", b)) if v is not None}
    first, second = {"field": "back_pain", "is": True}, {"field": "neurological_deficit", "is": True}
    assert value({"all": [first, second]}, **fields) is KLEENE_AND[key]
    assert value({"any": [first, second]}, **fields) is KLEENE_OR[key]
    assert value({"not": first}, **fields) is {T: F, F: T, U: U}[a]


def value(spec, **fields):
    node = compile_condition(spec, "test", {})
    return compile_program({"c": node}).run(encode(one_row(fields), n=1))["c"].at(0)


@pytest.mark.parametrize("spec, fields, expected", [
    ({"field": "er", "is": "positive"}, {"er": "positive"}, T),
    ({"field": "er", "is": "positive"}, {"er": "negative"}, F),
    ({"field": "er", "is": "positive"}, {}, U),
    ({"field": "er", "is": "positive"}, {"er": "unknown"}, U),
    ({"field": "her2", "in": ["low", "negative"]}, {"her2": "low"}, T),
    ({"field": "back_pain", "is": False}, {"back_pain": False}, T),
    ({"field": "back_pain", "is": True}, {}, U),
    ({"field": "bone_sites", "has": "spine"}, {"bone_sites": ["ribs", "spine"]}, T),
    ({"field": "bone_sites", "has": "spine"}, {"bone_sites": ["ribs"]}, F),
    ({"field": "bone_sites", "has": "spine"}, {}, U),
    ({"field": "bone_sites", "has_any": ["upper_leg", "upper_arm"]}, {"bone_sites": ["upper_arm"]}, T),
    ({"field": "prior_endocrine_therapy", "empty": True}, {"prior_endocrine_therapy": []}, T),
    ({"field": "prior_endocrine_therapy", "empty": True}, {"prior_endocrine_therapy": ["tamoxifen"]}, F),
    ({"field": "prior_endocrine_therapy", "empty": True}, {}, U),
    ({"field": "age", "ge": 50, "lt": 70}, {"age": 50}, T),
    ({"field": "age", "ge": 50, "lt": 70}, {"age": 70}, F),
    ({"field": "age", "ge": 50}, {}, U),
    ({"field": "her2", "unknown": True}, {}, T),
    ({"field": "her2", "unknown": True}, {"her2": "unknown"}, T),
    ({"field": "her2", "unknown": True}, {"her2": "low"}, F),
    ({"field": "her2", "unknown": False}, {}, F),
    ({"all": [{"field": "er", "is": "negative"}, {"field": "pr", "is": "negative"}]}, {"er": "positive"}, F),
    ({"all": [{"field": "er", "is": "negative"}, {"field": "pr", "is": "negative"}]}, {"er": "negative"}, U),
    ({"any": [{"field": "er", "is": "positive"}, {"field": "pr", "is": "positive"}]}, {"pr": "positive"}, T),
    ({"any": [{"field": "er", "is": "positive"}, {"field": "pr", "is": "positive"}]}, {"er": "negative"}, U),
    ({"not": {"field": "visceral_metastases", "is": "crisis"}}, {"visceral_metastases": "present"}, T),
    ({"not": {"field": "visceral_metastases", "is": "crisis"}}, {}, U),
    ({"always": True}, {}, T),
])
def test_condition_values(spec, fields, expected):
    assert value(spec, **fields) is expected


def test_derived_creatinine_clearance_is_decided_by_its_bounds_when_sex_is_unknown():
    spec = {"field": "creatinine_clearance_ml_min", "lt": 30}
    # Cockcroft-Gault by hand: (140-80)*50 / (72*200/88.4) = 18.4 mL/min for a man, x 0.85 = 15.7 for
    # a woman: under 30 whatever the sex.
    fields = {"age": 80, "weight_kg": 50, "creatinine_umol_l": 200}
    assert value(spec, **fields) is True
    assert value(spec, sex="female", **fields) is True
    # (140-45)*60 / (72*210/88.4) = 33.3 for a man, 28.3 for a woman: the sex decides.
    near = {"age": 45, "weight_kg": 60, "creatinine_umol_l": 210}
    assert value(spec, **near) is None
    assert value(spec, sex="male", **near) is False
    assert value(spec, sex="female", **near) is True
    # Age unknown: 18 to 120 years; (140-18)*60 / 162.9 = 44.9 at most for a man: undecided; at 400 umol/L,
    # 22.5 at most: under 30 whatever the age and sex.
    assert value(spec, weight_kg=60, creatinine_umol_l=200) is None
    assert value(spec, weight_kg=60, creatinine_umol_l=400) is True


def test_corrected_calcium_reveals_hypercalcaemia_hidden_by_low_albumin():
    spec = {"field": "corrected_calcium_mmol_l", "gt": 2.6}
    # 2.45 + 0.02*(40-22) = 2.81 mmol/L: measured looks normal, corrected is raised
    assert value(spec, calcium_mmol_l=2.45, albumin_g_l=22) is True
    assert value(spec, calcium_mmol_l=2.45, albumin_g_l=40) is False


@pytest.mark.parametrize("spec, message", [
    ({"field": "her_2", "is": "positive"}, "field 'her_2' is not a case field or derived number; did you mean 'her2'"),
    ({"field": "her2", "is": "postive"}, "'postive' is not a value of 'her2'; did you mean 'positive'?; allowed: positive, low, negative"),
    ({"field": "her2", "is": "unknown"}, "with 'unknown: true'"),
    ({"field": "age", "is": 50}, "test 'is' does not apply to int field 'age'"),
    ({"field": "age", "gt": "fifty"}, "takes a number"),
    ({"all": []}, "non-empty list"),
    ({"ref": "nothing"}, "ref 'nothing' is not a concept"),
    ({"field": "er"}, "needs a test"),
    ({"all": [{"field": "er", "is": "positive"}], "any": []}, "cannot be combined"),
    ({"eval": "__import__('os')"}, "unknown condition key"),
    ("er == positive", "must be a mapping"),
])
def test_compile_errors_say_what_is_allowed(spec, message):
    with pytest.raises(KnowledgeError) as err:
        compile_condition(spec, "rules/x.yaml: rule 'r': when", {})
    assert message in str(err.value)
    assert str(err.value).startswith("rules/x.yaml: rule 'r': when")
