"""Table lookups of one-byte codes, at the speed of a memory copy.

numpy's ``take`` and fancy indexing turn every index into a 64-bit integer first; for int8 codes
looked up in a table of at most 256 entries, ``bytes.translate`` does the same lookup on the raw
bytes, several times faster. The engine uses it for the decision tables of items and alerts
(:class:`bonemets.decision.Tables`) and the derived scores' point tables; an enum test of the
program is cheaper still as comparisons (:mod:`bonemets.program`).
"""

from __future__ import annotations

import numpy as np


def byte_table(values: np.ndarray) -> bytes:
    """A lookup table for :func:`lookup`: entry ``i`` is ``values[i]``, and a negative code
    ``c`` reads ``values[c]`` (``-1`` the last entry), as numpy's indexing does."""
    size = len(values)
    if size > 128:
        raise ValueError(f"a byte table holds at most 128 entries; got {size}")
    table = np.zeros(256, dtype=np.int8)
    table[:size] = values
    table[256 - size:] = values  # codes from -size to -1, as bytes 256 - size to 255
    return table.tobytes()


def lookup(table: bytes, codes: np.ndarray) -> np.ndarray:
    """``values[codes]`` for int8 (or uint8) ``codes`` of any shape, as int8.

    Parameters
    ----------
    table : bytes
        From :func:`byte_table`.
    codes : ndarray of int8 or uint8

    Examples
    --------
    >>> import numpy as np
    >>> table = byte_table(np.array([10, 20, -1], dtype=np.int8))
    >>> lookup(table, np.array([0, 2, -1, 1], dtype=np.int8)).tolist()
    [10, -1, -1, 20]
    """
    out = np.frombuffer(np.ascontiguousarray(codes).tobytes().translate(table), dtype=np.int8)
    return out.reshape(codes.shape)
