"""Byte-table lookups give what numpy's indexing gives, negative codes included."""

import numpy as np
import pytest

from bonemets.lookup import byte_table, lookup

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)


@pytest.mark.parametrize("size", [1, 2, 3, 9, 27, 81, 128])
def test_lookup_equals_numpy_indexing(size):
    rng = np.random.default_rng(size)
    values = rng.integers(-128, 128, size).astype(np.int8)
    codes = rng.integers(-size, size, (7, 300)).astype(np.int8)
    assert (lookup(byte_table(values), codes) == values[codes]).all()


def test_a_table_holds_at_most_128_entries():
    with pytest.raises(ValueError, match="at most 128"):
        byte_table(np.zeros(129, dtype=np.int8))
