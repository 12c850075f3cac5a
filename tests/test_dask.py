"""assess_cohort on a Dask DataFrame: identical to pandas, on a dask.distributed LocalCluster."""

import pandas as pd
import pytest

import bonemets

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cohort():
    cases = list(bonemets.teaching_cases().values())
    return bonemets.cases_frame(cases * 40, index=[f"p{i}" for i in range(len(cases) * 40)])


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_dask_equals_pandas_on_a_local_cluster(cohort, client):
    expected = bonemets.assess_cohort(cohort, urgency=True)
    result = bonemets.assess_cohort(dd.from_pandas(cohort, npartitions=5, sort=False), urgency=True).compute()
    # Dask stores an object index as strings; the labels and every value are identical.
    pd.testing.assert_frame_equal(result, expected, check_index_type=False)


def test_dask_error_report_lists_every_bad_row(cohort, client):
    bad = cohort.astype({"her2": object, "age": object})
    bad.loc["p3", "her2"] = "pos"
    bad.loc["p77", "age"] = 500
    valid, errors = bonemets.assess_cohort(dd.from_pandas(bad, npartitions=4, sort=False), errors="report")
    table = errors.compute()
    assert list(table["row"]) == ["p3", "p77"] and list(table["column"]) == ["her2", "age"]
    assert len(valid.compute()) == len(bad) - 2


def test_cases_frame_survives_parquet(tmp_path, cohort):
    path = tmp_path / "cohort.parquet"
    cohort.to_parquet(path)
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(bonemets.assess_cohort(back), bonemets.assess_cohort(cohort))
