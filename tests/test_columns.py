"""Encoding: one validated case (``encode_case``, the way in of ``assess``) gives exactly the
columns that the cohort path (``encode``) gives for the same case."""

import numpy as np
import pandas as pd
import pytest

import bonemets
from bonemets.cohort import row_record, synthetic
from bonemets.columns import Columns, encode, encode_case, one_row

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

COHORT = synthetic(300, seed=7, unknown_rate=0.3)
RECORDS = ([c.engine_record() for c in bonemets.teaching_cases().values()]
           + [bonemets.Case.model_validate(row_record(COHORT, i)).engine_record() for i in range(len(COHORT))])
NUMBER_FIELDS = [name for name, spec in bonemets.FIELDS.items() if spec.kind in ("int", "float")]


def same(a: Columns, b: Columns) -> None:
    assert a.n == b.n == 1
    assert a.enums.keys() == b.enums.keys() and a.bools.keys() == b.bools.keys()
    assert a.numbers.keys() == b.numbers.keys() and a.lists.keys() == b.lists.keys()
    for name in a.enums:
        assert a.enums[name].tolist() == b.enums[name].tolist(), name
    for name in a.bools:
        assert a.bools[name].v.tolist() == b.bools[name].v.tolist(), name
    for name in a.numbers:  # derived numbers included
        np.testing.assert_array_equal(a.numbers[name], b.numbers[name], err_msg=name)
    for name in a.lists:
        assert [x.tolist() for x in a.lists[name]] == [x.tolist() for x in b.lists[name]], name


@pytest.mark.parametrize("i", range(len(RECORDS)))
def test_one_case_encodes_as_the_cohort_path_does(i):
    same(encode_case(RECORDS[i]), encode(one_row(RECORDS[i]), n=1))


def test_the_comparison_can_fail():
    a, b = RECORDS[0], dict(RECORDS[0], er="negative" if RECORDS[0]["er"] != "negative" else "positive")
    with pytest.raises(AssertionError):
        same(encode_case(a), encode(one_row(b), n=1))


def test_a_typed_frame_encodes_as_each_case_does():
    """The lean dtypes (nullable booleans with missing cells, float64 numbers) take the fast
    paths of ``encode``; each row must still equal the case encoded on its own."""
    cols = encode(bonemets.cases_frame(RECORDS))
    for i, record in enumerate(RECORDS):
        one = encode_case(record)
        for name in one.bools:
            assert cols.bools[name].v[i] == one.bools[name].v[0], (i, name)
        for name in NUMBER_FIELDS:
            np.testing.assert_array_equal(cols.numbers[name][i], one.numbers[name][0], err_msg=f"{i} {name}")


@pytest.mark.parametrize(("age", "problem"), [(64.5, "not whole"), (130.0, "above the range"), (5.0, "below it")])
def test_a_bad_number_in_a_float_column_is_an_error(age, problem):
    frame = bonemets.cases_frame(RECORDS[:3])
    frame["age"] = np.array([60.0, age, np.nan])
    cols = encode(frame)
    assert [(e.position, e.column) for e in cols.errors] == [(1, "age")], problem
    assert np.isnan(cols.numbers["age"][1]) and cols.numbers["age"][0] == 60.0


@pytest.mark.parametrize("dtype", ["boolean", "category", "bool[pyarrow]", "object"])
def test_a_missing_cell_of_any_boolean_dtype_is_unknown(dtype):
    """Nullable booleans are read by their mask; a categorical of booleans or pyarrow's booleans,
    which pandas also calls boolean, may hold NA too and must not read it as true or false."""
    if dtype == "bool[pyarrow]":
        pytest.importorskip("pyarrow")  # not a core dependency (make test-core has no pyarrow)
    column = pd.Series([True, None, False], dtype=dtype if dtype != "category" else None)
    if dtype == "category":
        column = column.astype("category")
    tri = encode(pd.DataFrame({"neurological_deficit": column})).bools["neurological_deficit"]
    assert tri.v.tolist() == [1, 0, -1]
    assert encode(pd.DataFrame({"neurological_deficit": np.array([True, False])})).bools[
        "neurological_deficit"].v.tolist() == [1, -1]
