"""The faster engine paths give what the plain ones would (issue 8, item 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bonemets
from bonemets import pending
from bonemets.cohort import synthetic
from bonemets.columns import Columns, encode
from bonemets.conditions import Atom
from bonemets.pipeline import _pending_column
from bonemets.program import FEW_ROWS, compile_program


@pytest.mark.parametrize("repeat", [3, 20])  # 21 rows: one table for every test; 140 rows: runs of codes
def test_an_enum_test_equals_its_truth_table_by_either_path(repeat):
    """Every subset of a field's values, accepted or rejected: the atom's truth value by code."""
    assert 7 * 3 <= FEW_ROWS < 7 * 20
    allowed = 6
    codes = np.array([-1, *range(allowed)] * repeat, dtype=np.int8)
    cols = Columns(len(codes), enums={"primary": codes})
    values = ["breast", "prostate", "lung", "kidney", "thyroid", "other"]
    for subset in range(1, 1 << allowed):
        wanted = [v for i, v in enumerate(values) if subset >> i & 1]
        atom = Atom("primary", "enum", (("in", tuple(wanted)),))
        got = compile_program({"t": atom}).run(cols)["t"].v
        assert np.array_equal(got, atom.luts[0][codes]), wanted


def test_the_tests_a_pending_check_names_are_the_same_by_either_path(monkeypatch):
    """For a few rows the masks are matrix products, for a chunk unions and sums: the same tests."""
    kb = bonemets.knowledge()
    cols = encode(synthetic(500, seed=4, unknown_rate=0.4))
    monkeypatch.setattr(pending, "FEW_ROWS", 10**6)
    products = pending.test_masks(cols, kb)
    monkeypatch.setattr(pending, "FEW_ROWS", 0)
    unions = pending.test_masks(cols, kb)
    assert np.array_equal(products, unions)
    assert len(np.unique(unions)) > 5  # the draw exercises several combinations of named tests


def test_a_pending_column_lists_the_tests_in_the_order_they_first_occur():
    tests = ("ct", "blood_calcium", "kidney_function")
    codes = np.array([4, 0, 3, 4, 1], dtype=np.uint8)
    column = _pending_column(tests, codes)
    assert list(column.categories) == ["", "kidney_function", "blood_calcium;ct", "ct"]
    assert list(column) == ["kidney_function", "", "blood_calcium;ct", "kidney_function", "ct"]
    for wider in (np.uint16, np.uint32):  # codes of more than 8 tests: the same column
        pd.testing.assert_series_equal(pd.Series(_pending_column(tests, codes.astype(wider))), pd.Series(column))
    eight = tuple(f"test_{j}" for j in range(8))  # 8 tests in one byte: 255 combinations, past int8
    codes = np.arange(256, dtype=np.uint8)
    assert list(_pending_column(eight, codes))[-1] == ";".join(eight) and len(set(_pending_column(eight, codes))) == 256
    many = tuple(f"test_{j:02d}" for j in range(30))  # 30 tests: no table of 2**30 codes is built
    column = _pending_column(many, np.array([1 << 29, 0, 1 << 29 | 1], dtype=np.uint32))
    assert list(column) == ["test_29", "", "test_00;test_29"]


def test_the_value_matrix_is_the_same_for_long_rows_and_for_a_few(monkeypatch):
    """On long rows the composites are computed node by node and the number comparisons one by
    one; for a few rows the composites a group at a time and the comparisons all at once: every
    node of the knowledge base's program has the same value either way."""
    from bonemets import program
    from bonemets.evaluation import plan
    from bonemets.implied import apply_implied

    kb = bonemets.knowledge()
    cols, _ = apply_implied(encode(synthetic(500, seed=5, unknown_rate=0.4)), kb)
    assert cols.limits  # implied bounds of the lesion count on some rows: read row by row either way
    by_node = plan(kb).program.matrix(cols)
    monkeypatch.setattr(program, "FEW_ROWS", 10**6)
    by_group = plan(kb).program.matrix(cols)
    assert np.array_equal(by_node, by_group)
    assert (by_node == 0).any(axis=1).sum() > 100  # many nodes are unknown on some row: not trivially equal
