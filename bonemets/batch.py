"""Assess a cohort file: CSV or Parquet in (a file or a directory of partitions), Parquet or
CSV out, in chunks with a progress bar, or through Dask when asked or when the input is too
large for memory. This is what ``bonemets cohort IN OUT`` runs.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .case import FIELDS, suggest
from .exceptions import BonemetsError
from .messages import shown
from .output import Outputs
from .pipeline import ERROR_COLUMNS, assess_cohort

#: Number fields: a CSV column of one is left to pandas (float, or text where a cell is not a
#: number, which then becomes a row of the error table); every other column is read as text.
NUMBER_FIELDS = frozenset(name for name, spec in FIELDS.items() if spec.kind in ("int", "float"))
#: Share of available memory an in-memory run may use before Dask is chosen automatically.
MEMORY_SHARE = 0.5
#: How many times its size on disk a file takes in memory, roughly (text is bigger to parse).
EXPANSION = {"csv": 8, "parquet": 10}


@dataclass
class CohortRun:
    """What a cohort run did: rows read and assessed, errors, where the output went."""

    rows: int = 0
    assessed: int = 0
    errors: int = 0
    engine: str = "pandas"
    output: Path | None = None
    error_file: Path | None = None
    notes: list[str] = field(default_factory=list)


def input_files(path: Path) -> tuple[list[Path], str]:
    """The files of an input path and their format (``csv`` or ``parquet``)."""
    if not path.exists():
        raise BonemetsError(f"{path}: no such file or directory")
    if not path.is_dir() and not path.is_file():
        raise BonemetsError(f"{path}: not a regular file or a directory")
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    kinds = {p.suffix.lower().lstrip(".") for p in files if p.suffix.lower() in (".csv", ".parquet", ".pq")}
    kinds = {"parquet" if k == "pq" else k for k in kinds}
    if len(kinds) != 1:
        found = ", ".join(sorted(kinds)) or "none"
        raise BonemetsError(f"{path}: expected CSV or Parquet files (.csv, .parquet), found {found}")
    kind = kinds.pop()
    return [p for p in files if p.suffix.lower() in ((".csv",) if kind == "csv" else (".parquet", ".pq"))], kind


def output_format(path: Path) -> str:
    """``parquet`` or ``csv`` from the output's suffix (a suffix-less path is a Parquet directory)."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq", ""):
        return "parquet"
    if suffix == ".csv":
        return "csv"
    raise BonemetsError(f"{path}: output must end in .parquet or .csv (or be a directory for Parquet)")


def too_large_for_memory(files: list[Path], kind: str) -> bool:
    """Whether reading the files whole would take more than ``MEMORY_SHARE`` of available memory."""
    size = sum(p.stat().st_size for p in files)
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not on Linux
        return False
    return size * EXPANSION[kind] > MEMORY_SHARE * available


def read_dtypes(columns: Iterable[str], numbers_as_text: bool = False) -> dict[str, str]:
    """The types to read CSV columns with: text, except number fields, which pandas reads as numbers
    where it can (as text too if ``numbers_as_text``: Dask needs one type in every partition)."""
    return {c: "object" for c in columns if numbers_as_text or c not in NUMBER_FIELDS}


def read_errors() -> tuple[type[BaseException], ...]:
    """What reading a file that is not what its name says raises (pandas, pyarrow, the system)."""
    import pyarrow as pa

    return UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, pa.ArrowException, OSError


def unreadable(path: Path, kind: str, err: BaseException) -> BonemetsError:
    """One line for a file that cannot be read as CSV or Parquet, naming the file."""
    detail = (str(err).strip().splitlines() or [type(err).__name__])[-1].removeprefix("Original Message: ")
    if isinstance(err, UnicodeDecodeError):
        reason = "not UTF-8 text; save the CSV as UTF-8"
    elif isinstance(err, pd.errors.EmptyDataError):
        reason = "empty file; a cohort CSV starts with a header row naming its columns"
    elif isinstance(err, OSError) and err.strerror:
        reason = f"cannot read: {err.strerror}"
    else:
        reason = f"not a {'valid CSV' if kind == 'csv' else 'Parquet'} file ({shown(detail, 160)[1:-1]})"
    return BonemetsError(f"{path}: {reason}")


def file_columns(path: Path, kind: str) -> list[str]:
    """The column names of one input file, read before any work.

    Raises
    ------
    BonemetsError
        The file is empty, not UTF-8, not CSV or not Parquet, names a column twice, or (Parquet)
        holds nested values (a mapping, a list of lists) in a case field.
    """
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            schema = pq.read_schema(path)
            names = [str(n) for n in schema.names]
            _check_parquet_types(path, schema)
        elif path.stat().st_size == 0:
            raise pd.errors.EmptyDataError
        else:  # the header as written (pandas would rename a repeated column 'x.1')
            _no_nul(path)
            header = pd.read_csv(path, header=None, nrows=1, dtype=str, keep_default_na=False)
            names = [str(n) for n in header.iloc[0]]
    except read_errors() as err:
        raise unreadable(path, kind, err) from None
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise BonemetsError(f"{path}: the column {shown(name)} appears twice")
        seen.add(name)
    return names


def _no_nul(path: Path) -> None:
    """A CSV holds no NUL byte: pandas' reader ends a cell at one, so the rest of the cell would be
    lost or misreported (``fe\x00male`` read as ``fe``)."""
    import mmap

    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        at = data.find(b"\x00")
        if at >= 0:
            data[:].decode("utf-8")  # UTF-16 text and binary files hold NULs too: refused as not UTF-8
            line = data[:at].count(b"\n") + 1
            raise BonemetsError(f"{path}: line {line} holds a NUL byte (\\x00), which a CSV cell cannot carry; "
                                "remove it and run again")


def _check_parquet_types(path: Path, schema: Any) -> None:
    """A case field holds one value (a list of values for a list field), never a mapping."""
    import pyarrow as pa

    for f in schema:
        if f.name not in FIELDS:
            continue
        kind = f.type.value_type if pa.types.is_list(f.type) or pa.types.is_large_list(f.type) else f.type
        if pa.types.is_nested(kind) or (kind is not f.type and FIELDS[f.name].kind != "list"):
            raise BonemetsError(f"{path}: column {shown(f.name)} holds {f.type}; allowed: "
                                f"{FIELDS[f.name].allowed_text()}")


def _check_columns(columns: dict[Path, list[str]], keep: list[str], same: bool) -> None:
    """Every column a case field or kept, every kept column in every file, and (``same``, for Dask)
    the same columns in every file."""
    first, first_names = next(iter(columns.items()))
    for path, names in columns.items():
        for name in keep:
            if name not in names:
                raise BonemetsError(f"--keep {_arg(name)}: {path} has no such column{suggest(name, names)}")
        for name in names:
            if name not in FIELDS and name not in keep:
                raise BonemetsError(f"{path}: column {shown(name)} is not a case field{suggest(name, FIELDS)}; "
                                    f"to keep it, pass --keep {_arg(name)}")
        if same and names != first_names:
            raise BonemetsError(f"{path}: its columns differ from those of {first}; with Dask every file needs "
                                "the same columns in the same order")


def _arg(name: str) -> str:
    """A column name as a shell argument (control characters escaped)."""
    return shlex.quote(name) if name.isprintable() else shown(name)


def _chunks(files: list[Path], kind: str, chunk_rows: int, dtypes: dict[str, str]) -> Iterator[pd.DataFrame]:
    """The input in chunks, indexed by row number in the whole input; a file that cannot be read is
    one line naming it."""
    start = 0
    for path in files:
        if kind == "csv":
            reader: Iterator[pd.DataFrame] = iter(pd.read_csv(path, chunksize=chunk_rows, dtype=dtypes,
                                                              keep_default_na=True))
        else:
            import pyarrow.parquet as pq

            reader = (b.to_pandas() for b in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows))
        while True:
            try:
                chunk = next(reader)
            except StopIteration:
                break
            except read_errors() as err:
                raise unreadable(path, kind, err) from None
            chunk.index = pd.RangeIndex(start, start + len(chunk))
            start += len(chunk)
            yield chunk


def _count_rows(files: list[Path], kind: str) -> int | None:
    if kind == "parquet":
        import pyarrow.parquet as pq

        return sum(pq.ParquetFile(p).metadata.num_rows for p in files)
    return None  # CSV: counting would read the file twice; the bar counts rows as it goes


def run_cohort(source: str | Path, target: str | Path, *, use_dask: bool | None = None,
               errors: Literal["raise", "report"] = "raise", keep: list[str] | None = None,
               chunk_rows: int = 250_000, progress: bool = True, overwrite: bool = False) -> CohortRun:
    """Assess every row of a cohort file and write the statuses.

    Parameters
    ----------
    source : path
        A CSV or Parquet file, or a directory of them (partitions).
    target : path
        ``.parquet`` (or a directory) or ``.csv``. Row ``i`` of the output is row ``i`` of the
        input; columns as :func:`bonemets.assess_cohort`, plus the kept columns.
    use_dask : bool, optional
        Force Dask (True) or pandas (False); by default Dask only when the input looks too
        large for memory.
    errors : {'raise', 'report'}
        ``raise`` stops at the first invalid row; ``report`` assesses the valid rows and writes
        every invalid cell to ``<target>.errors.csv``.
    keep : list of str, optional
        Columns that are not case fields (ids, outcomes) to copy to the output; any other
        unknown column is an error, so that a misspelt field is never silently ignored.
    chunk_rows : int
        Rows per chunk on the pandas path.
    progress : bool
        Show a progress bar on standard error.
    overwrite : bool
        Replace an output directory that is not empty (refused otherwise).

    Returns
    -------
    CohortRun

    Raises
    ------
    BonemetsError
        Before any work, if the output is (or holds, or lies inside) the input, its parent is not
        a directory, or it is a non-empty directory without ``overwrite``. A run that fails or is
        interrupted writes nothing: the output and the error table are replaced whole, only when
        the run has finished (a clean run removes an earlier error table).
    """
    source, target = Path(source), Path(target)
    files, kind = input_files(source)
    out_kind = output_format(target)
    columns = {path: file_columns(path, kind) for path in files}
    error_file = _error_path(target)
    run = CohortRun(output=target, error_file=error_file if errors == "report" else None)
    if use_dask is None and too_large_for_memory(files, kind):
        use_dask = True
        run.notes.append("input larger than memory allows: using Dask")
    _check_columns(columns, keep or [], same=bool(use_dask))
    dtypes = read_dtypes(set().union(*columns.values()), numbers_as_text=bool(use_dask))
    with Outputs([target, error_file], inputs=[source, *files], overwrite=overwrite) as outputs:
        staged, staged_errors = outputs.path(target), outputs.path(error_file)
        if use_dask:
            run.engine = "dask"
            return _run_dask(source, kind, dtypes, staged, staged_errors, out_kind, errors, keep or [], progress,
                             run)
        return _run_pandas(files, kind, dtypes, staged, staged_errors, out_kind, errors, keep or [], chunk_rows,
                           progress, run)


def _error_path(target: Path) -> Path:
    return target.with_name(target.name + ".errors.csv")


def _run_pandas(files: list[Path], kind: str, dtypes: dict[str, str], target: Path, error_file: Path, out_kind: str,
                errors: str, keep: list[str], chunk_rows: int, progress: bool, run: CohortRun) -> CohortRun:
    from tqdm.auto import tqdm

    writer = None
    error_tables: list[pd.DataFrame] = []
    bar = tqdm(total=_count_rows(files, kind), unit=" rows", unit_scale=True, disable=not progress,
               file=sys.stderr, desc="assessing")
    try:
        for i, chunk in enumerate(_chunks(files, kind, chunk_rows, dtypes)):
            if errors == "report":
                result, table = assess_cohort(chunk, errors="report", passthrough=keep)
                error_tables.append(table)
            else:
                result = assess_cohort(chunk, passthrough=keep)
            writer = _write_chunk(result, target, out_kind, writer, first=(i == 0))
            run.rows += len(chunk)
            run.assessed += len(result)
            bar.update(len(chunk))
    finally:
        bar.close()
        if writer is not None and out_kind == "parquet":
            writer.close()
    if writer is None:  # an empty input still gives an output with the right columns
        _write_chunk(assess_cohort(pd.DataFrame(columns=list(FIELDS))), target, out_kind, None, first=True)
    return _finish_errors(run, error_tables, error_file, errors)


def _write_chunk(result: pd.DataFrame, target: Path, out_kind: str, writer, first: bool):
    frame = result.reset_index(names="row")
    if out_kind == "csv":
        frame.to_csv(target, mode="w" if first else "a", header=first, index=False)
        return True
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if writer is None:
        path = target / "part-0.parquet" if target.suffix == "" else target
        if target.suffix == "":
            target.mkdir(parents=True, exist_ok=True)
        schema = table.schema
        for i, f in enumerate(schema):  # a kept column empty in the first chunk: text (CSV cells are)
            if pa.types.is_null(f.type):
                schema = schema.set(i, f.with_type(pa.string()))
        writer = pq.ParquetWriter(path, schema)
    try:
        table = table.cast(writer.schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        changed = [f.name for f in table.schema if f.type != writer.schema.field(f.name).type]
        raise BonemetsError(f"the kept column {shown(changed[0] if changed else '?')} changes type from one input "
                            "file to another; give it one type, or write a CSV output") from None
    writer.write_table(table)
    return writer


def _finish_errors(run: CohortRun, tables: list[pd.DataFrame], error_file: Path, errors: str) -> CohortRun:
    if errors != "report":
        return run
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=ERROR_COLUMNS)
    run.errors = len(table)
    table.to_csv(error_file, index=False)
    return run


def _run_dask(source: Path, kind: str, dtypes: dict[str, str], target: Path, error_file: Path, out_kind: str,
              errors: str, keep: list[str], progress: bool, run: CohortRun) -> CohortRun:
    import dask.dataframe as dd
    from dask.diagnostics import ProgressBar

    try:  # a file that cannot be read fails here, in a task: one line naming the input
        if kind == "csv":
            pattern = str(source / "**" / "*.csv") if source.is_dir() else str(source)
            ddf = dd.read_csv(pattern, dtype=dtypes, blocksize="64MB")
        else:
            ddf = dd.read_parquet(str(source))
        ddf = _numbered(ddf)
        result: Any  # Dask DataFrames
        table: Any
        if errors == "report":
            result, table = assess_cohort(ddf, errors="report", passthrough=keep)
        else:
            result, table = assess_cohort(ddf, passthrough=keep), None
        with ProgressBar(out=sys.stderr) if progress else nullcontext():
            if out_kind == "csv":
                result.to_csv(str(target), single_file=True, index=True, index_label="row")
            else:
                result.to_parquet(str(target), write_index=True)
            errors_frame = table.compute() if table is not None else None
    except read_errors()[:-1] as err:  # not OSError: writing the output raises it too
        raise unreadable(source, kind, err) from None
    if out_kind == "parquet":
        run.assessed = len(dd.read_parquet(str(target)))
    else:
        with open(target, encoding="utf-8") as written:
            run.assessed = sum(1 for _ in written) - 1
    if errors_frame is not None:
        run = _finish_errors(run, [errors_frame], error_file, errors)
    run.rows = run.assessed + len(set(errors_frame["row"] if errors_frame is not None else []))
    return run


def _numbered(ddf: Any) -> Any:
    """The partitions indexed by row number in the whole input (Dask numbers rows within each
    partition): one pass counts the rows of each partition."""
    lengths = ddf.map_partitions(len).compute().tolist()
    starts = [sum(lengths[:i]) for i in range(len(lengths))]
    return ddf.map_partitions(_renumber, starts, meta=ddf._meta, align_dataframes=False)


def _renumber(frame: pd.DataFrame, starts: list[int], partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    start = starts[partition_info["number"]] if partition_info is not None else 0
    return frame.set_axis(pd.RangeIndex(start, start + len(frame)), axis=0)

