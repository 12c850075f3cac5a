"""bonemets.cohort.synthetic: reproducible, lean dtypes, coherent, and assessed alike both ways."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bonemets
from bonemets import FIELDS, assess, assess_cohort
from bonemets.cohort import row_record, synthetic

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

# Fields synthetic() fills on every row when unknown_rate=0 (it also draws er, pr and her2 for
# breast cases only and months_since_chemotherapy after chemotherapy; triple_negative, and any
# field it does not model, stay unknown).
ALWAYS_FILLED = ["primary", "sex", "age", "menopause", "bone_sites", "bone_lesion_count", "visceral_metastases", "bone_marrow_involvement", "bone_pain", "pathological_fracture", "back_pain", "neurological_deficit", "bladder_bowel_dysfunction", "hypercalcaemia_symptoms", "calcium_mmol_l", "albumin_g_l", "creatinine_umol_l", "weight_kg", "prior_endocrine_therapy", "endocrine_resistance", "prior_cdk46_inhibitor", "prior_chemotherapy", "prior_radiotherapy_sites", "on_bone_strengthening", "years_since_primary_diagnosis", "other_invasive_cancer", "dental_check_done", "could_become_pregnant", "performance_status", "platelets_e9_l", "line_of_therapy", "takes_blood_thinners"]


@pytest.fixture(scope="module")
def full() -> pd.DataFrame:
    """A large frame with nothing blanked, for prevalence and coherence checks."""
    return synthetic(50_000, seed=11, unknown_rate=0.0)


def test_reproducible_for_a_seed_and_different_across_seeds():
    a, b = synthetic(2_000, seed=3), synthetic(2_000, seed=3)
    pd.testing.assert_frame_equal(a, b)
    c = synthetic(2_000, seed=4)
    assert not a.equals(c)
    assert (a["age"] != c["age"]).mean() > 0.5


def test_blanking_does_not_change_the_values_drawn():
    clean, blanked = synthetic(5_000, seed=5, unknown_rate=0.0), synthetic(5_000, seed=5, unknown_rate=0.3)
    for name in FIELDS:
        kept = blanked[name].notna().to_numpy()
        assert (blanked[name][kept].astype(object) == clean[name][kept].astype(object)).all(), name


def test_columns_and_dtypes(full):
    df = synthetic(1_000, seed=1)
    assert list(df.columns) == list(FIELDS)
    assert isinstance(df.index, pd.RangeIndex) and len(df) == 1_000
    for name, spec in FIELDS.items():
        dtype = df[name].dtype
        if spec.kind == "enum":
            assert isinstance(dtype, pd.CategoricalDtype), name
            assert list(dtype.categories) == list(spec.allowed), name
        elif spec.kind == "list":
            assert isinstance(dtype, pd.CategoricalDtype), name
            for combo in dtype.categories:
                items = combo.split(";") if combo != "[]" else []
                assert all(i in spec.allowed for i in items), (name, combo)
                assert items == sorted(items, key=spec.allowed.index), (name, combo)
            assert len(dtype.categories) <= 32, name
        elif spec.kind == "bool":
            assert dtype == "boolean", name
        else:
            assert dtype == np.float64, name
            values = full[name].dropna()
            assert values.between(spec.ge, spec.le).all(), name
            if spec.kind == "int":
                assert (values == np.floor(values)).all(), name
    assert "[]" not in full["bone_sites"].cat.categories
    assert "[]" in full["prior_endocrine_therapy"].cat.categories  # a known empty list survives CSV
    assert "[]" in full["prior_radiotherapy_sites"].cat.categories


@pytest.mark.parametrize("seed, rate", [(0, 0.0), (1, 0.1), (2, 0.5), (3, 1.0)])
def test_no_contradictions_or_invalid_cells(seed, rate):
    df = synthetic(20_000, seed=seed, unknown_rate=rate)
    result = assess_cohort(df)  # errors="raise": raises on the first contradiction
    assert len(result) == len(df) and result.index.equals(df.index)
    _, problems = assess_cohort(df, errors="report")
    assert problems.empty


def test_coherence(full):
    df = synthetic(20_000, seed=7, unknown_rate=0.2)
    for frame in (full, df):
        men, women = frame["sex"] == "male", frame["sex"] == "female"
        assert (frame.loc[men, "menopause"].dropna() == "not_applicable").all()
        assert not (frame.loc[women, "menopause"] == "not_applicable").any()
        assert not (men & (frame["could_become_pregnant"] == True)).any()  # noqa: E712
        assert not (frame["months_since_chemotherapy"].notna() & (frame["prior_chemotherapy"] == False)).any()  # noqa: E712
        resistant = frame["endocrine_resistance"].isin(["primary", "secondary"])
        assert not (resistant & (frame["prior_endocrine_therapy"] == "[]")).any()
        assert frame["triple_negative"].isna().all()
        assert not (frame["bone_sites"] == "[]").any()
    # Without blanking: chemotherapy timing exactly where chemotherapy was given.
    assert (full["months_since_chemotherapy"].notna() == full["prior_chemotherapy"].to_numpy(dtype=bool)).all()
    # Radiotherapy sites are involved sites; lesions at least as many as sites.
    sites = full["bone_sites"].astype(str).str.split(";")
    rt = full["prior_radiotherapy_sites"].astype(str).str.split(";")
    assert all(set(r) <= set(s) for r, s in zip(rt, sites, strict=True) if r != ["[]"])
    assert (full["bone_lesion_count"] >= sites.str.len()).all()
    # Receptors only for breast.
    not_breast = full["primary"] != "breast"
    assert full.loc[not_breast, ["er", "pr", "her2"]].isna().all().all()
    assert full.loc[~not_breast, ["er", "pr", "her2"]].notna().all().all()


def test_prevalence_sanity(full):
    breast = full[full["primary"] == "breast"]
    assert 0.40 < len(breast) / len(full) < 0.50
    assert (breast["sex"] == "female").mean() > 0.97
    assert (full.loc[full["primary"] == "prostate", "sex"] == "male").all()
    women = full[full["sex"] == "female"]
    assert (women.loc[women["age"] < 45, "menopause"] == "pre").all()
    assert (women.loc[women["age"] > 55, "menopause"] == "post").all()
    assert (women.loc[women["age"] < 50, "menopause"] == "pre").mean() > 0.6
    assert (women.loc[women["age"] >= 50, "menopause"] == "post").mean() > 0.9
    spine = full["bone_sites"].astype(str).str.contains("spine")
    assert 0.72 < spine.mean() < 0.78
    assert 0.6 < (breast["er"] == "positive").mean() < 0.8
    assert not full.loc[full["sex"] == "male", "could_become_pregnant"].any()
    assert full.loc[full["menopause"] == "post", "could_become_pregnant"].sum() == 0


def test_unknown_rate():
    clean = synthetic(10_000, seed=2, unknown_rate=0.0)
    assert not clean[ALWAYS_FILLED].isna().any().any()
    blanked = synthetic(10_000, seed=2, unknown_rate=0.3)
    share = blanked[ALWAYS_FILLED].isna().mean()
    assert share.between(0.27, 0.33).all(), share[~share.between(0.27, 0.33)]
    assert synthetic(100, seed=2, unknown_rate=1.0).isna().all().all()
    drawn_sometimes = {"er", "pr", "her2", "months_since_chemotherapy", "pd_l1_cps", "germline_brca"}
    assert not clean[sorted(drawn_sometimes)].isna().all().any()
    never = [f for f in FIELDS if f not in ALWAYS_FILLED and f not in drawn_sometimes]
    assert "triple_negative" in never
    assert clean[never].isna().all().all()  # fields synthetic() does not model stay unknown


@pytest.mark.parametrize("kwargs", [dict(n=-1), dict(n=2.5), dict(n=10, unknown_rate=1.5),
                                    dict(n=10, unknown_rate=-0.1)])
def test_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        synthetic(**kwargs)


def test_empty():
    df = synthetic(0)
    assert list(df.columns) == list(FIELDS) and len(df) == 0


def test_row_record_gives_plain_python_values():
    df = synthetic(300, seed=9, unknown_rate=0.0)
    record = row_record(df, 0)
    assert set(record) <= set(FIELDS)
    for name, value in record.items():
        kind = FIELDS[name].kind
        expected = {"enum": str, "list": list, "bool": bool, "int": int, "float": float}[kind]
        assert type(value) is expected, (name, value)
    empty = next(i for i in range(300) if df["prior_endocrine_therapy"].iloc[i] == "[]")
    assert row_record(df, empty)["prior_endocrine_therapy"] == []
    assert "triple_negative" not in record
    bonemets.Case.model_validate(record)
    lists = pd.DataFrame({"bone_sites": [["spine", "ribs"], "pelvis; ribs"], "age": [50.0, np.nan],
                          "patient_id": ["a", "b"]})
    assert row_record(lists, 0) == {"bone_sites": ["spine", "ribs"], "age": 50}
    assert row_record(lists, 1) == {"bone_sites": ["pelvis", "ribs"]}


def _alert_state(assessment: bonemets.Assessment, alert_id: str) -> str:
    """An alert as assess() reports it, in assess_cohort's vocabulary: a raised alert in
    ``alerts``, one not ruled out only in ``alert_states`` (it is a question)."""
    alert = assessment.alert(alert_id)
    if alert is None:
        return "undetermined" if assessment.alert_state(alert_id) == "undetermined" else "not_raised"
    return alert.level


def test_cohort_rows_equal_assess_of_each_row():
    """Over evaluation.STACK_ROWS rows, so the cohort groups rows its other way."""
    from bonemets.evaluation import STACK_ROWS

    df = synthetic(STACK_ROWS + 300, seed=21, unknown_rate=0.25)
    result = assess_cohort(df, urgency=True)
    urgency_cols = [c for c in result.columns if c.endswith(":urgency")]
    pending_cols = [c for c in result.columns if c.endswith(":pending")]
    status_cols = [c for c in result.columns if ":" not in c]
    alert_cols = [c for c in result.columns if c.startswith("alert:")]
    assert status_cols and alert_cols and pending_cols
    seen = set()
    for i in range(len(df)):
        one = assess(row_record(df, i))
        for col in status_cols:
            assert one.status(col) == result[col].iloc[i], (i, col)
            assert one.recommendation(col).urgency == result[f"{col}:urgency"].iloc[i], (i, col)
            seen.add(result[col].iloc[i])
        for col in pending_cols:
            tests = sorted({p.test for p in one.recommendation(col.removesuffix(":pending")).pending})
            assert ";".join(tests) == result[col].iloc[i], (i, col)
        for col in alert_cols:
            assert _alert_state(one, col.removeprefix("alert:")) == result[col].iloc[i], (i, col)
    assert {"recommended", "undetermined", "not_indicated"} <= seen  # the sample is varied
    assert {"soon", "emergency"} <= set(result[urgency_cols].stack().astype(str))


def test_a_missing_passthrough_column_and_a_numpy_true_are_named_in_plain_words():
    with pytest.raises(bonemets.InvalidCaseError, match=r"^passthrough column 'id' is not in the frame$"):
        assess_cohort(pd.DataFrame({"age": [50]}), passthrough=["id"])
    frame = pd.DataFrame({"age": [np.True_, 50]}, dtype=object)
    with pytest.raises(bonemets.InvalidCaseError, match=r"^row 0: age=True is not allowed"):
        assess_cohort(frame)
    _, errors = assess_cohort(frame, errors="report")
    assert errors["value"].tolist() == [True] and type(errors["value"].iloc[0]) is bool


def test_fields_of_knowledge_0_3_are_coherent(full):
    """PD-L1 CPS only for ER- and PR- breast cancer, germline BRCA only for breast cancer, lower
    platelets with marrow involvement, ECOG 0-4 whole numbers."""
    breast = full["primary"] == "breast"
    hr_negative = breast & (full["er"] == "negative") & (full["pr"] == "negative")
    assert full["pd_l1_cps"].notna().eq(hr_negative).all()
    assert full.loc[hr_negative, "pd_l1_cps"].between(0, 100).all()
    assert 0.33 < (full.loc[hr_negative, "pd_l1_cps"] >= 10).mean() < 0.43
    assert full["germline_brca"].notna().eq(breast).all()
    marrow = full["bone_marrow_involvement"].astype(bool)
    assert full.loc[marrow, "platelets_e9_l"].mean() < full.loc[~marrow, "platelets_e9_l"].mean() - 80
    assert set(full["performance_status"].unique()) == {0.0, 1.0, 2.0, 3.0, 4.0}

