"""Case fields as columns: validate a frame of cases and encode it for the engine.

This is the single entry of both paths: :func:`bonemets.assess` makes a one-row frame of its
case, :func:`bonemets.assess_cohort` passes its frame as it is. Work is done per distinct
value of a column (``pandas.factorize``), so a million rows with a handful of distinct values
cost little more than the handful.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .case import FIELDS, FieldSpec, text_list, text_number
from .derived import DERIVED, Bounds, field_bounds
from .labels import shown_number
from .logic import Tri


@dataclass(frozen=True)
class CellError:
    """One invalid cell of a cohort.

    Attributes
    ----------
    position : int
        Row position in the frame (0-based).
    column : str
    value : object
        The value as given.
    allowed : str
        The values allowed, as a user reads them.
    """

    position: int
    column: str
    value: Any
    allowed: str


#: Rows evaluated at a time: bounds the engine's working memory on a large frame (the frame
#: itself is encoded once, in compact columns of about 150 bytes a row). The program's matrix of
#: a chunk (about 10 MB) stays in cache; fewer, longer chunks spend less time per numpy call.
CHUNK_ROWS = 1 << 15


@dataclass
class Columns:
    """A frame of cases encoded for the engine.

    Attributes
    ----------
    n : int
        Number of rows.
    enums : dict of str to ndarray
        Per enum field, int8 codes into ``FIELDS[name].allowed``; -1 is unknown.
    bools : dict of str to Tri
    numbers : dict of str to ndarray
        Per number field, float64 with NaN for unknown (derived numbers: :meth:`bounds`).
    lists : dict of str to (ndarray, ndarray)
        Per list field, a boolean mask of rows where the list is known, and the list's
        values as bits (uint16; bit i set for the field's i-th allowed value).
    errors : list of CellError
        Invalid cells, in row order; their rows are encoded as unknown.
    limits : dict of str to (ndarray, ndarray)
        Per number field that implied facts bound on some row (``ge`` in ``implied.yaml``), the
        least and greatest value it can have on every row while it is unknown (its plausible
        range where nothing bounds it); set by :func:`bonemets.implied.apply_implied`.
    """

    n: int
    enums: dict[str, np.ndarray] = field(default_factory=dict)
    bools: dict[str, Tri] = field(default_factory=dict)
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    lists: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    limits: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def chunks(self) -> Iterator[tuple[int, Columns]]:
        """``(start, rows)`` for consecutive blocks of :data:`CHUNK_ROWS` rows (the whole when smaller)."""
        if self.n <= CHUNK_ROWS:
            yield 0, self
            return
        for start in range(0, self.n, CHUNK_ROWS):
            yield start, self.rows(start, start + CHUNK_ROWS)

    def rows(self, start: int, stop: int) -> Columns:
        """Rows ``start`` to ``stop`` (views, no copy; errors not carried)."""
        return Columns(
            n=len(range(start, min(stop, self.n))),
            enums={k: v[start:stop] for k, v in self.enums.items()},
            bools={k: Tri.of(v.v[start:stop]) for k, v in self.bools.items()},
            numbers={k: v[start:stop] for k, v in self.numbers.items()},
            lists={k: (known[start:stop], mask[start:stop]) for k, (known, mask) in self.lists.items()},
            limits={k: (lo[start:stop], hi[start:stop]) for k, (lo, hi) in self.limits.items()},
        )

    def bounds(self, name: str) -> Bounds:
        """The least and greatest value of a number field or derived number on every row, over
        the plausible values of what is unknown (:mod:`bonemets.derived`)."""
        return DERIVED[name].bounds(self) if name in DERIVED else field_bounds(self, name)

    def unknown(self, name: str) -> np.ndarray:
        """Rows where a field or derived number is unknown."""
        if name in DERIVED:
            lo, hi = self.bounds(name)
            return lo != hi
        spec = FIELDS[name]
        kind = spec.kind
        if kind == "enum":
            return self.enums[name] < 0
        if kind == "bool":
            return self.bools[name].unknown
        if kind == "list":
            return ~self.lists[name][0]
        return np.isnan(self.numbers[name])

    def value(self, name: str, row: int) -> Any:
        """The value of a field on one row as a user reads it; None when unknown."""
        spec = FIELDS.get(name)
        kind = spec.kind if spec else "float"
        if kind == "enum" and spec is not None:
            code = self.enums[name][row]
            return None if code < 0 else spec.allowed[code]
        if kind == "bool":
            return self.bools[name].at(row)
        if kind == "list" and spec is not None:
            known, mask = self.lists[name]
            return [v for i, v in enumerate(spec.allowed) if int(mask[row]) >> i & 1] if known[row] else None
        x = DERIVED[name].compute(self.rows(row, row + 1))[0] if name in DERIVED else self.numbers[name][row]
        if np.isnan(x):
            return None
        return int(x) if kind == "int" else shown_number(float(x))


#: How a known empty list is written in a cohort column (a blank CSV cell would read as unknown).
EMPTY_LIST = "[]"

_SMALL = 64  # below this many rows, plain Python beats pandas' per-call overhead


def _hashable(value: Any) -> Any:
    if isinstance(value, (dict, set)):
        return repr(value)  # never a valid cell: kept as text for the error table
    return tuple(value) if isinstance(value, (list, np.ndarray)) else value


def _factorize(column: pd.Series | np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for missing) and distinct values of a column."""
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), list(column.cat.categories)
    values = column.to_numpy() if isinstance(column, pd.Series) else column
    if values.dtype == object and len(values) <= _SMALL:
        index: dict[Any, int] = {}
        small = [-1 if _is_missing(v) else index.setdefault(_hashable(v), len(index)) for v in values]
        return np.array(small, dtype=np.intp), list(index)
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells (Python lists): as tuples, in a Series so they stay 1-D
        tuples = pd.Series([_hashable(v) for v in values], dtype=object)
        tuple_codes, tuple_uniques = tuples.factorize(use_na_sentinel=True)
        return np.asarray(tuple_codes), list(tuple_uniques)
    return np.asarray(codes), list(uniques)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _encode_enum(spec: FieldSpec, uniques: list[Any]) -> list[Any]:
    out: list[Any] = []
    for u in uniques:
        if _is_missing(u) or (u == "unknown" and spec.has_unknown):
            out.append(-1)
        elif isinstance(u, str) and u in spec.allowed:
            out.append(spec.allowed.index(u))
        else:
            out.append(None)
    return out


def _encode_bool(spec: FieldSpec, uniques: list[Any]) -> list[Any]:
    out: list[Any] = []
    for u in uniques:
        if _is_missing(u):
            out.append(-1)
        elif isinstance(u, (bool, np.bool_)):
            out.append(int(u))
        elif isinstance(u, str) and u.strip().lower() in ("true", "false"):
            out.append(int(u.strip().lower() == "true"))
        else:
            out.append(None)
    return out


def _encode_list(spec: FieldSpec, uniques: list[Any]) -> list[Any]:
    out: list[Any] = []
    for u in uniques:
        if _is_missing(u):
            out.append(-1)
            continue
        if isinstance(u, str):
            items = text_list(u)
        elif isinstance(u, tuple):
            items = list(u)
        else:
            out.append(None)
            continue
        if any(i not in spec.allowed for i in items) or len(items) < spec.min_items:
            out.append(None)
        else:
            out.append(frozenset(items))
    return out


def _to_float(value: Any) -> float | None:
    """A number from one distinct cell value; None if it is not a number."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.number)):
        return float(value)
    if isinstance(value, str):
        return text_number(value)
    return None


def _plain_bools(column: pd.Series | np.ndarray) -> bool:
    """Whether a column is numpy booleans or pandas' nullable ``boolean`` (other boolean dtypes, a
    categorical of booleans or pyarrow's, go through the values one by one: they may hold NA)."""
    array = column.array if isinstance(column, pd.Series) else column
    return isinstance(array, pd.arrays.BooleanArray) or (
        isinstance(array, (np.ndarray, pd.arrays.NumpyExtensionArray)) and array.dtype == np.bool_)


def _bool_parts(column: pd.Series | np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Where a :func:`_plain_bools` column is known, and its values (any value where unknown): a
    nullable ``boolean`` column's mask and data as they are (``to_numpy`` with a fill value writes
    the fill through a boolean index, ten times slower), a numpy one as known on every row."""
    array = column.array if isinstance(column, pd.Series) else column
    if isinstance(array, pd.arrays.BooleanArray):
        masked: Any = array  # pandas' masked arrays hold them as _mask and _data (not in the stubs)
        return ~masked._mask, masked._data
    return np.ones(n, bool), np.asarray(array, dtype=bool)


def _number(spec: FieldSpec, column: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float values (read only: they may be the frame's own array) and a mask of invalid cells."""
    dtype = column.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        values = (column.to_numpy(dtype=float, na_value=np.nan) if isinstance(column, pd.Series)
                  else np.asarray(column, dtype=float))
        bad = np.zeros(len(values), dtype=bool)
        if _in_range(spec, values):  # the usual case: no cell to check one by one
            values = values.view()  # may be the caller's own array: never written through
            values.flags.writeable = False
            return values, bad
    else:
        codes, uniques = _factorize(column)
        lut = np.array([_to_float(u) for u in uniques] + [np.nan], dtype=float)
        invalid = np.array([_to_float(u) is None for u in uniques] + [False])
        values, bad = lut[codes], invalid[codes]
    with np.errstate(invalid="ignore"):
        bad |= (values < spec.ge) | (values > spec.le)
        if spec.kind == "int":
            bad |= ~np.isnan(values) & (values != np.floor(values))
    return np.where(bad, np.nan, values), bad


def _in_range(spec: FieldSpec, values: np.ndarray) -> bool:
    """Whether every known value lies in the field's range (and is whole for an integer field):
    two reductions, which skip NaN, instead of a comparison a cell."""
    if not len(values):
        return True
    least = np.fmin.reduce(values)
    if np.isnan(least):  # every cell is missing
        return True
    if least < spec.ge or np.fmax.reduce(values) > spec.le:
        return False
    return spec.kind != "int" or not np.fmax.reduce(values - np.floor(values)) > 0  # (fmod is ten times slower)


def cases_frame(cases: Iterable[Any], index: Iterable[Any] | None = None) -> pd.DataFrame:
    """A cohort frame from cases, in the lean dtypes :func:`bonemets.assess_cohort` reads fastest.

    Enum fields become categoricals (categories = the allowed values), true/false fields
    pandas' nullable ``boolean``, numbers ``float64``, and list fields ``;``-joined strings
    (``"[]"`` for a known empty list, which a CSV keeps, unlike an empty cell) held as
    categoricals, which survive CSV, Parquet and Dask.
    Unknown stays missing.

    Parameters
    ----------
    cases : iterable of Case or dict
        Dicts are validated as :class:`~bonemets.Case`.
    index : iterable, optional
        Row labels.

    Returns
    -------
    pandas.DataFrame
        One column per case field.
    """
    from .case import Case

    records = [(c if isinstance(c, Case) else Case.model_validate(dict(c))).engine_record() for c in cases]
    data: dict[str, Any] = {}
    for name, spec in FIELDS.items():
        values = [r[name] for r in records]
        if spec.kind == "enum":
            data[name] = pd.Categorical(values, categories=spec.allowed)
        elif spec.kind == "list":
            joined = [None if v is None else (";".join(v) or EMPTY_LIST) for v in values]
            data[name] = pd.Categorical(joined)
        elif spec.kind == "bool":
            data[name] = pd.array(values, dtype="boolean")
        else:
            data[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
    return pd.DataFrame(data, index=None if index is None else list(index))


def one_row(record: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """One case's fields as one-row columns for :func:`encode` (lists stay single cells)."""
    out = {}
    for name, value in record.items():
        cell = np.empty(1, dtype=object)
        cell[0] = value
        out[name] = cell
    return out


def encode(frame: pd.DataFrame | Mapping[str, np.ndarray], n: int | None = None) -> Columns:
    """Validate and encode cases given as columns of case fields.

    Missing columns are unknown on every row. Invalid cells are listed in ``errors`` (and
    read as unknown); the caller decides whether to raise.

    Parameters
    ----------
    frame : pandas.DataFrame or mapping of str to 1-D array
        Columns named after :class:`~bonemets.Case` fields; other columns are not read.
    n : int, optional
        Number of rows, needed only for a mapping with no columns.

    Returns
    -------
    Columns
    """
    n = len(frame) if isinstance(frame, pd.DataFrame) else (n if n is not None else
                                                             len(next(iter(frame.values()))))
    cols = Columns(n)
    bad_cells: list[tuple[np.ndarray, str, Any, str]] = []
    for name, spec in FIELDS.items():
        if name not in frame:
            _fill_unknown(cols, spec, n)
            continue
        series = frame[name]
        if spec.kind in ("int", "float"):
            cols.numbers[name], bad = _number(spec, series)
            if bad.any():
                bad_cells.append((bad, name, series, spec.allowed_text()))
            continue
        if spec.kind == "bool" and _plain_bools(series):  # numpy bool or nullable boolean: read as they are
            cols.bools[name] = Tri.known(*_bool_parts(series, n))
            continue
        codes, uniques = _factorize(series)
        encoder = {"enum": _encode_enum, "bool": _encode_bool, "list": _encode_list}[spec.kind]
        encoded = encoder(spec, uniques)
        invalid = [i for i, e in enumerate(encoded) if e is None]
        if invalid:
            bad = np.isin(codes, invalid)
            bad_cells.append((bad, name, series, spec.allowed_text()))
            codes = np.where(bad, -1, codes)
        _store(cols, spec, codes, encoded)
    for bad, name, series, allowed in bad_cells:
        for pos in np.flatnonzero(bad):
            value = series.iloc[pos] if isinstance(series, pd.Series) else series[pos]
            cols.errors.append(CellError(int(pos), name, value, allowed))
    cols.errors.sort(key=lambda e: (e.position, list(FIELDS).index(e.column)))
    return cols


def encode_case(record: Mapping[str, Any]) -> Columns:
    """One validated case as one-row columns, equal to what :func:`encode` gives for it.

    The :class:`~bonemets.Case` model has already checked every value, so no cell is validated
    again; this is :func:`bonemets.assess`'s way in (a tenth of the time of :func:`encode`).

    Parameters
    ----------
    record : mapping
        ``Case.engine_record()``: every field, ``None`` where unknown.

    Returns
    -------
    Columns
    """
    cols = Columns(1)
    for name, spec in FIELDS.items():
        value = record.get(name)
        if spec.kind == "enum":
            cols.enums[name] = np.array([-1 if value is None else spec.allowed.index(value)], dtype=np.int8)
        elif spec.kind == "bool":
            cols.bools[name] = Tri.of(np.array([0 if value is None else 1 if value else -1], dtype=np.int8))
        elif spec.kind == "list":
            known = value is not None
            cols.lists[name] = (np.array([known]), np.array([_bits(spec, value or ())], dtype=np.uint16))
        else:
            cols.numbers[name] = np.array([np.nan if value is None else float(value)])
    return cols


def _fill_unknown(cols: Columns, spec: FieldSpec, n: int) -> None:
    if spec.kind == "enum":
        cols.enums[spec.name] = np.full(n, -1, dtype=np.int8)
    elif spec.kind == "bool":
        cols.bools[spec.name] = Tri(np.zeros(n, bool), np.zeros(n, bool))
    elif spec.kind == "list":
        cols.lists[spec.name] = (np.zeros(n, bool), np.zeros(n, dtype=np.uint16))
    else:
        cols.numbers[spec.name] = np.full(n, np.nan)


def _store(cols: Columns, spec: FieldSpec, codes: np.ndarray, encoded: list[Any]) -> None:
    """Turn per-distinct-value encodings into per-row arrays."""
    if spec.kind == "enum":
        if encoded == list(range(len(encoded))):  # categories are the allowed values, in order
            cols.enums[spec.name] = codes.astype(np.int8)
            return
        lut = np.array([e if e is not None else -1 for e in encoded] + [-1], dtype=np.int8)
        cols.enums[spec.name] = lut[codes]  # code -1 picks the trailing -1
    elif spec.kind == "bool":
        lut = np.array([e if e is not None else -1 for e in encoded] + [-1], dtype=np.int8)
        value = lut[codes]
        cols.bools[spec.name] = Tri(value == 1, value == 0)
    else:
        known_lut = np.array([isinstance(e, frozenset) for e in encoded] + [False])
        mask_lut = np.array([_bits(spec, e) if isinstance(e, frozenset) else 0 for e in encoded] + [0],
                            dtype=np.uint16)
        cols.lists[spec.name] = (known_lut[codes], mask_lut[codes])


def _bits(spec: FieldSpec, values: Iterable[str]) -> int:
    """A list's values as bits: bit i set for the field's i-th allowed value."""
    return sum(1 << spec.allowed.index(v) for v in set(values))
