"""bonemets.datasets: the GBSG2 loader, its mapping to case fields checked by hand, and the cohort
it gives through assess_cohort."""

import numpy as np
import pandas as pd
import pytest

import bonemets
from bonemets.cohort import row_record
from bonemets.datasets import (
    GBSG2_PASSTHROUGH,
    PRIMARY_RESISTANCE_DAYS,
    RECEPTOR_THRESHOLD_FMOL,
    _map_gbsg2,
    load_gbsg2,
)

pytest.importorskip("lifelines")

RAW_COLUMNS = ["horTh", "age", "menostat", "tsize", "tgrade", "pnodes", "progrec", "estrec", "time", "cens"]


@pytest.fixture(scope="module")
def raw():
    return load_gbsg2(mapped=False)


@pytest.fixture(scope="module")
def mapped():
    return load_gbsg2()


@pytest.fixture(scope="module")
def result(mapped):
    return bonemets.assess_cohort(mapped, passthrough=GBSG2_PASSTHROUGH, errors="raise")


def raw_rows(**columns):
    """A raw GBSG2-shaped frame: defaults for every column, overridden per row by lists."""
    n = len(next(iter(columns.values())))
    base = dict(horTh="no", age=50, menostat="Post", tsize=20, tgrade="II", pnodes=3, progrec=50,
                estrec=50, time=2000, cens=0)
    return pd.DataFrame({c: columns.get(c, [base[c]] * n) for c in RAW_COLUMNS})


def test_raw_is_the_lifelines_frame(raw):
    from lifelines.datasets import load_gbsg2 as lifelines_gbsg2

    assert raw.shape == (686, 10) and list(raw.columns) == RAW_COLUMNS
    pd.testing.assert_frame_equal(raw, lifelines_gbsg2())


def test_mapped_has_686_rows_case_fields_and_prefixed_passthrough(mapped, raw):
    assert len(mapped) == 686
    assert GBSG2_PASSTHROUGH == ["gbsg2_time", "gbsg2_cens", "gbsg2_tsize", "gbsg2_tgrade", "gbsg2_pnodes",
                                 "gbsg2_horTh", "gbsg2_menostat", "gbsg2_estrec", "gbsg2_progrec"]
    assert [c for c in mapped.columns if c not in bonemets.FIELDS] == GBSG2_PASSTHROUGH
    for col in GBSG2_PASSTHROUGH:
        assert list(mapped[col].astype(object)) == list(raw[col.removeprefix("gbsg2_")])
    assert list(mapped["age"]) == list(raw["age"].astype(float))


def test_receptor_threshold_by_hand():
    frame = _map_gbsg2(raw_rows(estrec=[9, 10, 0, 1144], progrec=[10, 9, 500, 0]))
    assert RECEPTOR_THRESHOLD_FMOL == 10
    assert list(frame["er"]) == ["negative", "positive", "negative", "positive"]
    assert list(frame["pr"]) == ["positive", "negative", "positive", "negative"]


def test_menopause_sex_primary_by_hand():
    frame = _map_gbsg2(raw_rows(menostat=["Pre", "Post"]))
    assert list(frame["menopause"]) == ["pre", "post"]
    assert list(frame["sex"]) == ["female", "female"] and list(frame["primary"]) == ["breast", "breast"]
    assert frame["first_metastasis"].tolist() == [True, True]


def test_endocrine_therapy_and_resistance_by_hand():
    frame = _map_gbsg2(raw_rows(
        horTh=["yes", "yes", "yes", "yes", "no", "no"],
        time=[500, PRIMARY_RESISTANCE_DAYS, PRIMARY_RESISTANCE_DAYS + 1, 500, 500, 2000],
        cens=[1, 1, 1, 0, 1, 0]))
    assert list(frame["prior_endocrine_therapy"]) == ["tamoxifen"] * 4 + ["[]", "[]"]
    resistance = frame["endocrine_resistance"].astype(object).where(frame["endocrine_resistance"].notna(), None)
    # relapse at 500 days on tamoxifen: primary; on day 730 still primary; later: secondary (approximation);
    # tamoxifen, no relapse: unknown; no endocrine therapy: none
    assert list(resistance) == ["primary", "primary", "secondary", None, "none", "none"]


def test_her2_prior_chemotherapy_and_visceral_stay_unknown(mapped):
    for col in ("her2", "prior_chemotherapy", "visceral_metastases"):
        assert mapped[col].isna().all(), col
    assert "bone_sites" not in mapped.columns  # absent: unknown on every row


def test_resistance_counts_match_the_raw_data(mapped, raw):
    hormonal, relapsed = raw["horTh"] == "yes", raw["cens"] == 1
    counts = mapped["endocrine_resistance"].value_counts(dropna=False)
    assert counts["primary"] == (hormonal & relapsed & (raw["time"] <= 730)).sum()
    assert counts["secondary"] == (hormonal & relapsed & (raw["time"] > 730)).sum()
    assert counts["none"] == (~hormonal).sum() == 440
    assert counts[np.nan] == (hormonal & ~relapsed).sum()


def test_every_row_is_valid(mapped):
    assert bonemets.cohort_errors(mapped.drop(columns=GBSG2_PASSTHROUGH)).empty


def test_assess_cohort_keeps_the_passthrough_columns(result, mapped):
    assert len(result) == 686
    for col in GBSG2_PASSTHROUGH:
        assert col in result.columns
        assert list(result[col].astype(object)) == list(mapped[col].astype(object))
    with pytest.raises(bonemets.InvalidCaseError, match="gbsg2_time"):
        bonemets.assess_cohort(mapped)  # nothing is silently dropped


def test_receptor_retest_recommended_for_every_row(result):
    assert (result["receptor_retest"] == "recommended").all()


def test_her2_unknown_is_never_read_as_negative(result):
    assert not (result["her2_targeted"] == "not_indicated").any()
    assert (result["her2_targeted"] == "undetermined").all()


def test_one_row_agrees_with_assess(mapped, result):
    """Row 1 (tamoxifen, relapse at 2018 days, ER+ PR+, postmenopausal) through the one-case path."""
    fields = row_record(mapped, 1)  # ignores the gbsg2_* columns
    assert fields["prior_endocrine_therapy"] == ["tamoxifen"] and fields["endocrine_resistance"] == "secondary"
    assert "her2" not in fields
    a = bonemets.assess(fields)
    for item in ("receptor_retest", "her2_targeted", "aromatase_inhibitor", "molecular_testing"):
        assert a.status(item) == result.loc[1, item], item
