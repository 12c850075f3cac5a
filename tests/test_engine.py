"""The engine and the Assessment contract, against answers known from the source texts."""

import pandas as pd
import pytest

import bonemets
from bonemets import InvalidCaseError, assess, assess_cohort

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

HR_POS_POST = dict(primary="breast", sex="female", age=64, menopause="post", er="positive", pr="positive",
                   her2="negative", visceral_metastases="none", prior_cdk46_inhibitor=False,
                   bone_sites=["spine", "ribs"], bone_lesion_count=3, prior_endocrine_therapy=[],
                   calcium_mmol_l=2.35, albumin_g_l=40, performance_status=1)  # ECOG 3-4: CDK4/6 only weighed


def test_her2_unknown_is_undetermined_and_names_the_retest():
    """Contract §4: HER2 unknown -> her2_targeted undetermined, receptor_retest recommended."""
    a = assess({"primary": "breast", "er": "positive", "her2": "unknown"})
    assert a.status("her2_targeted") == "undetermined"
    assert a.status("receptor_retest") == "recommended"
    rec = a.recommendation("her2_targeted")
    unknown = [f for r in rec.reasons if r.outcome == "unknown" for f in r.facts]
    assert any(f.field == "her2" and "receptor_retest" in f.settled_by for f in unknown)


def test_unknown_is_never_read_as_negative():
    """Nothing known about receptors: hormone therapy is undetermined, not 'not indicated'."""
    a = assess({"primary": "breast"})
    for item in ("aromatase_inhibitor", "her2_targeted", "cdk46_inhibitor", "immunotherapy"):
        assert a.status(item) == "undetermined", item


def test_hr_positive_postmenopausal():
    a = assess(HR_POS_POST)
    assert a.status("aromatase_inhibitor") == "recommended"
    assert a.status("cdk46_inhibitor") == "recommended"
    assert a.status("ovarian_suppression") == "not_indicated"
    assert a.status("her2_targeted") == "not_indicated"  # booklet: HER2 negative -> no benefit
    assert a.status("endocrine_therapy") == "recommended"
    assert a.status("bone_strengthening") in ("recommended", "undetermined")


def test_premenopausal_gets_ovarian_suppression():
    a = assess({**HR_POS_POST, "menopause": "pre", "age": 41})
    assert a.status("ovarian_suppression") == "recommended"


def test_hormone_receptor_negative_gets_no_hormone_therapy():
    a = assess({**HR_POS_POST, "er": "negative", "pr": "negative"})
    for item in ("aromatase_inhibitor", "tamoxifen", "fulvestrant", "ovarian_suppression", "cdk46_inhibitor"):
        assert a.status(item) == "not_indicated", item
    assert a.status("endocrine_therapy") == "not_indicated"
    # triple negative: pembrolizumab with chemotherapy is recommended first line at PD-L1 CPS >= 10
    # (KEYNOTE-355), else immunotherapy stays "consider" (BCN: "may be offered to some people")
    assert a.status("immunotherapy") == "undetermined"  # PD-L1 unknown: could be either
    first_line = {**HR_POS_POST, "er": "negative", "pr": "negative", "line_of_therapy": "first",
                  "performance_status": 1}
    assert assess({**first_line, "pd_l1_cps": 5}).status("immunotherapy") == "consider"
    assert assess({**first_line, "pd_l1_cps": 15}).status("immunotherapy") == "recommended"


def test_visceral_crisis_puts_chemotherapy_first():
    a = assess({**HR_POS_POST, "visceral_metastases": "crisis", "performance_status": 1})
    assert a.status("chemotherapy") == "recommended"
    assert a.recommendation("chemotherapy").urgency != "routine"
    assert a.status("aromatase_inhibitor") == "not_indicated"
    # general health decides: at ECOG 3 it is weighed with the person; unknown -> undetermined
    assert assess({**HR_POS_POST, "visceral_metastases": "crisis", "performance_status": 3}).status(
        "chemotherapy") == "consider"
    assert assess({**HR_POS_POST, "visceral_metastases": "crisis", "performance_status": None}).status(
        "chemotherapy") == "undetermined"


def test_severe_renal_impairment_avoids_iv_bisphosphonate_but_not_denosumab():
    # Cockcroft-Gault by hand: (140-78)*52 / (72*210/88.4) * 0.85 = 16.0 mL/min (< 30)
    a = assess({**HR_POS_POST, "age": 78, "weight_kg": 52, "creatinine_umol_l": 210})
    assert a.status("bisphosphonate_iv") == "avoid"
    assert a.status("denosumab") == "recommended"
    assert a.status("bone_strengthening") == "recommended"
    why = a.recommendation("bisphosphonate_iv").reasons
    assert [r.rule for r in why] == ["low_clearance_avoid_iv_bisphosphonate"]
    assert any(f.field == "creatinine_clearance_ml_min" and f.value == pytest.approx(16.02, abs=0.01) for f in why[0].facts)


def test_an_implausible_clearance_is_reported_not_raised():
    """Found by the property tests: 362 kg and creatinine 10 µmol/L give 3,589 mL/min, beyond the
    dosing table; the assessment says so instead of failing."""
    a = assess({**HR_POS_POST, "weight_kg": 362, "creatinine_umol_l": 10})
    (note,) = a.recommendation("bisphosphonate_iv").notes
    assert "gives no dose" in note and "check weight and creatinine" in note


def test_normal_kidneys_recommend_iv_bisphosphonate_and_unknown_kidneys_leave_a_pending_check():
    # (140-45)*60 / (72*79.56/88.4) * 0.85 = 74.8 mL/min
    known = assess({**HR_POS_POST, "age": 45, "weight_kg": 60, "creatinine_umol_l": 79.56,
                    "calcium_mmol_l": 2.4, "albumin_g_l": 40})
    assert known.status("bisphosphonate_iv") == "recommended"
    assert known.recommendation("bisphosphonate_iv").pending == ()
    a = assess(HR_POS_POST)  # "recommended; check kidney function before each dose"
    assert a.status("bisphosphonate_iv") == "recommended"
    pending = {p.test: p for p in a.recommendation("bisphosphonate_iv").pending}
    # calcium is known (2.35 mmol/L, albumin 40 g/L); Cockcroft-Gault waits on the creatinine (the kidney
    # function test) and on the weight (measured at the examination)
    assert set(pending) == {"kidney_function", "physical_exam"}
    assert "creatinine_umol_l" in [f.field for f in pending["kidney_function"].facts]
    assert [f.field for f in pending["physical_exam"].facts] == ["weight_kg"]
    assert a.status("kidney_function") == "recommended"


def test_spinal_cord_compression_is_an_emergency():
    a = assess({**HR_POS_POST, "neurological_deficit": True, "back_pain": True})
    alert = a.alerts[0]
    assert (alert.id, alert.level) == ("spinal_cord_compression", "critical")
    assert a.recommendation("mri").urgency == "emergency"
    assert a.status("steroids") == "recommended"
    assert a.recommendation("steroids").urgency == "emergency"


def test_hypercalcaemia_hidden_by_low_albumin_is_caught():
    # measured 2.55 looks normal; corrected 2.55 + 0.02*(40-20) = 2.95 mmol/L
    a = assess({**HR_POS_POST, "calcium_mmol_l": 2.55, "albumin_g_l": 20, "hypercalcaemia_symptoms": True,
                "on_bone_strengthening": False, "weight_kg": 70, "creatinine_umol_l": 80})
    alert = a.alert("hypercalcaemia")
    assert alert.raised and alert.level == "critical"
    assert a.status("iv_fluids") == "recommended"
    assert a.recommendation("bisphosphonate_iv").urgency == "soon"
    normal_albumin = assess({**HR_POS_POST, "calcium_mmol_l": 2.55, "albumin_g_l": 40, "hypercalcaemia_symptoms": False})
    assert normal_albumin.alert("hypercalcaemia") is None


def test_an_alert_not_ruled_out_is_a_question_not_an_alert():
    a = assess({"primary": "breast"})
    assert a.alert("hypercalcaemia") is None and a.alert_state("hypercalcaemia") == "undetermined"
    calcium = next(q for q in a.questions if q.field == "calcium_mmol_l")
    assert calcium.critical and "blood_calcium" in calcium.settled_by
    assert "hypercalcaemia" in calcium.settles + calcium.could_decide


def test_family_status_is_most_favourable_of_its_options():
    a = assess(HR_POS_POST)
    order = bonemets.STATUSES
    kb = bonemets.knowledge()
    for fam in kb.families:
        options = kb.options_of(fam)
        statuses = [a.status(o) for o in options]
        if options and "undetermined" not in statuses:
            best = min(statuses, key=order.index)
            assert a.status(fam) == best, fam


def test_status_of_unknown_id_is_a_key_error_naming_it():
    with pytest.raises(KeyError, match="'her2_targetted' is not a family, option or test id; did you mean 'her2_targeted'"):
        assess(HR_POS_POST).status("her2_targetted")


def test_assess_is_pure():
    assert assess(HR_POS_POST) == assess(bonemets.Case(**HR_POS_POST))


def test_recommendations_carry_reasons_and_sources():
    for rec in assess(HR_POS_POST).recommendations:
        assert rec.kind in ("family", "option", "test")
        assert rec.status in bonemets.STATUSES and rec.urgency in bonemets.URGENCIES
        assert rec.reasons and rec.sources


def test_to_frame():
    frame = assess(HR_POS_POST).to_frame()
    assert list(frame.columns) == ["id", "kind", "name", "family", "status", "urgency", "reasons", "sources"]
    assert frame.set_index("id").loc["aromatase_inhibitor", "status"] == "recommended"


def test_cards_are_valid_cds_hooks_cards():
    cards = assess({**HR_POS_POST, "neurological_deficit": True}).to_cards()
    assert cards
    for card in cards:
        assert len(card["summary"]) < 140
        assert card["indicator"] in ("info", "warning", "critical")
        assert card["source"]["label"]
        assert "Educational and research tool" in card["detail"]
        assert "**Sources**" in card["detail"] or card["summary"].startswith("Ask: ")
    assert cards[0]["indicator"] == "critical"
    asked = [c for c in cards if c["summary"].startswith("Ask: ")]
    assert 0 < len(asked) <= 5  # the top questions, each saying what its answer decides
    assert all("decide" in c["detail"] for c in asked)
    assert len({c["uuid"] for c in cards}) == len(cards)
    assert cards == assess({**HR_POS_POST, "neurological_deficit": True}).to_cards()  # stable uuids


def test_every_text_output_carries_the_disclaimer():
    a = assess(HR_POS_POST)
    assert bonemets.DISCLAIMER in a.to_text()
    assert a.to_dict()["disclaimer"] == bonemets.DISCLAIMER


# ------------------------------------------------------------------ cohort


def test_cohort_keeps_index_and_uses_categoricals():
    frame = pd.DataFrame([HR_POS_POST, {"primary": "breast", "her2": "unknown"}], index=["p1", "p2"])
    out = assess_cohort(frame)
    assert list(out.index) == ["p1", "p2"]
    assert out["her2_targeted"].dtype == bonemets.STATUS_DTYPE
    assert out["alert:hypercalcaemia"].dtype == bonemets.ALERT_DTYPE
    assert list(out["her2_targeted"]) == ["not_indicated", "undetermined"]


def test_cohort_accepts_semicolon_lists_and_csv_booleans():
    frame = pd.DataFrame({"primary": ["breast"], "bone_sites": ["spine; ribs"], "back_pain": ["True"]})
    out = assess_cohort(frame)
    case = assess({"primary": "breast", "bone_sites": ["spine", "ribs"], "back_pain": True})
    assert out.loc[0, "mri"] == case.status("mri") == "recommended"


def test_cohort_raises_on_the_first_bad_row_naming_row_column_value_allowed():
    frame = pd.DataFrame({"her2": ["positive", "pos", "negative"], "age": [50, 60, 700]}, index=[10, 11, 12])
    with pytest.raises(InvalidCaseError, match=r"row 11: her2='pos' is not allowed; allowed: positive, low, negative, unknown"):
        assess_cohort(frame)


def test_cohort_contradiction_names_row_and_fields():
    frame = pd.DataFrame({"sex": ["female", "male"], "menopause": ["post", "pre"]})
    with pytest.raises(InvalidCaseError, match=r"row 1: sex='male', menopause='pre' contradict"):
        assess_cohort(frame)


def test_cohort_report_lists_every_bad_row_and_assesses_every_good_one():
    frame = pd.DataFrame({"her2": ["positive", "pos", "negative", "low"], "age": [50, 60, 700, 40],
                          "sex": ["female", "female", "female", "male"],
                          "menopause": ["post", "post", "post", "pre"]})
    out, errors = assess_cohort(frame, errors="report")
    assert list(out.index) == [0]
    assert list(errors["row"]) == [1, 2, 3]
    assert list(errors["column"]) == ["her2", "age", "sex,menopause"]


def test_cohort_rejects_columns_that_are_not_fields_unless_passed_through():
    frame = pd.DataFrame({"patient": ["a"], "her_2": ["positive"]})
    with pytest.raises(InvalidCaseError, match="column 'patient' is not a case field"):
        assess_cohort(frame)
    out = assess_cohort(frame.rename(columns={"her_2": "her2"}), passthrough=["patient"])
    assert out.loc[0, "patient"] == "a"


def test_cohort_with_many_rows_of_equal_length_lists():
    """Regression: >64 rows whose lists all have the same length once built a 2-D array."""
    frame = pd.DataFrame({"primary": ["breast"] * 100, "bone_sites": [["spine", "ribs"]] * 100,
                          "back_pain": [True] * 100})
    out = assess_cohort(frame)
    assert (out["mri"] == "recommended").all()
