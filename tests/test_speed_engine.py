"""The faster engine paths give what the plain ones would (issue 8, item 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bonemets.columns import Columns
from bonemets.conditions import Atom
from bonemets.pipeline import _first_seen, _pending_column
from bonemets.program import compile_program


def test_an_enum_test_by_runs_of_codes_equals_its_table():
    """Every subset of a field's values, accepted or rejected by runs of codes: the table's value."""
    allowed = 6
    codes = np.array([-1, *range(allowed)] * 3, dtype=np.int8)
    cols = Columns(len(codes), enums={"primary": codes})
    values = ["breast", "prostate", "lung", "kidney", "thyroid", "other"]
    for subset in range(1, 1 << allowed):
        wanted = [v for i, v in enumerate(values) if subset >> i & 1]
        atom = Atom("primary", "enum", (("in", tuple(wanted)),))
        got = compile_program({"t": atom}).run(cols)["t"].v
        assert np.array_equal(got, atom.luts[0][codes]), wanted


def test_first_seen_of_bytes_equals_that_of_wider_codes():
    codes = np.array([0, 3, 3, 1, 0, 5, 1], dtype=np.uint8)
    assert _first_seen(codes, 8) == _first_seen(codes.astype(np.uint16), 8) == {0: 0, 3: 1, 1: 3, 5: 5}


def test_a_pending_column_lists_the_tests_in_the_order_they_first_occur():
    tests = (("blood_calcium", np.uint32(1)), ("ct", np.uint32(2)), ("kidney_function", np.uint32(4)))
    codes = np.array([4, 0, 3, 4, 1], dtype=np.uint8)
    column = _pending_column(tests, codes)
    assert list(column.categories) == ["", "kidney_function", "blood_calcium;ct", "blood_calcium"]
    assert list(column) == ["kidney_function", "", "blood_calcium;ct", "kidney_function", "blood_calcium"]
    wide = _pending_column(tests, codes.astype(np.uint16))
    pd.testing.assert_series_equal(pd.Series(wide), pd.Series(column))
