"""Hostile input, end to end, through the command line (issue 12: nothing lost, nothing crashes).

Every case runs ``bonemets`` as a user does and asserts what the README promises of a bad input:
exit status 2, exactly one printable line on standard error naming the problem, nothing on
standard output, no traceback, an answer within a deadline, and every file under the test's
directory byte for byte as it was (inputs untouched; no output, partial output or temporary
left beside them). The commands run in this process (a subprocess costs a second of imports on
this machine); a few run as real subprocesses at the end. Then a property: :func:`bonemets.assess`
and :func:`bonemets.assess_cohort` give the same answer, or both an error, for messy records.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import bonemets
from bonemets import FIELDS, InvalidCaseError
from bonemets.cli import main

pytestmark = pytest.mark.core  # the cohort cases skip without the cohort extras (pyarrow, tqdm)

ROOT = Path(__file__).resolve().parents[1]
COHORT_EXTRAS = all(importlib.util.find_spec(m) is not None for m in ("pyarrow", "tqdm", "dask"))
needs_cohort = pytest.mark.skipif(not COHORT_EXTRAS, reason="the cohort extras (pyarrow, tqdm, dask) are missing")
#: Longest error line accepted: a path, a value cut to 80 characters and what is allowed there.
LONGEST = 700
#: Seconds a command may take before it counts as a hang.
DEADLINE = 60


# --------------------------------------------------------------------------- running the command line


class Hang(Exception):
    """A command gave no answer before the deadline."""


@dataclass
class Run:
    status: int | str | None
    out: str
    err: str


def bonemets_cli(*args: str | Path, seconds: int = DEADLINE) -> Run:
    """``bonemets ARGS`` in this process; an exception that escapes (a traceback) fails the test."""
    out, err = io.StringIO(), io.StringIO()

    def hang(*_: Any) -> None:
        raise Hang(f"bonemets {' '.join(map(str, args))}: no answer in {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status: int | str | None = main([str(a) for a in args])
            except SystemExit as exit_:  # argparse
                status = exit_.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return Run(status, out.getvalue(), err.getvalue())


def snapshot(root: Path) -> dict[str, Any]:
    """Every entry under ``root``: a file's bytes, a link's target, or the kind of anything else."""
    found: dict[str, Any] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            mode = path.lstat().st_mode
            key = str(path.relative_to(root))
            if stat.S_ISLNK(mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                found[key] = path.read_bytes()
            else:
                found[key] = ("kind", stat.S_IFMT(mode))
    return found


def refused(root: Path, *args: str | Path, expected: str) -> str:
    """Run ``bonemets ARGS`` and check it refuses as promised; returns the error line."""
    before = snapshot(root)
    r = bonemets_cli(*args)
    assert (r.status, r.out) == (2, ""), r
    lines = r.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in r.err, r.err
    line = lines[0]
    assert line.startswith("bonemets") and ": error: " in line, line
    assert line.isprintable() and len(line) <= LONGEST, line  # control characters escaped, values cut
    assert expected in line, line
    assert snapshot(root) == before  # inputs as they were; nothing written, nothing left behind
    return line


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- case files

BOMB = "a: &a [spine, spine, spine, spine]\nb: &b [*a, *a, *a, *a]\nbone_sites: *b\n"

#: name (its suffix picks the parser) -> (content, a part of the expected line)
CASE_FILES: dict[str, tuple[str | bytes, str]] = {
    # documents that are not a case
    "blank.yaml": ("\n  \n\n", "empty file; write {}"),
    "marker.yaml": ("---\n...\n", "empty file"),
    "null.yaml": ("null\n", "empty file"),
    "tilde.yaml": ("~\n", "empty file"),
    "null.json": ("null", "empty file"),
    "two_documents.yaml": ("primary: breast\n---\nprimary: lung\n", "expected a single document"),
    "list.yaml": ("- primary: breast\n- primary: lung\n", "a case is a mapping of fields"),
    "list.json": ('[{"primary": "breast"}]', "a case is a mapping of fields"),
    "number.yaml": ("42\n", "a case is a mapping of fields"),
    "text.yaml": ("breast\n", "a case is a mapping of fields"),
    "text.json": ('"breast"', "a case is a mapping of fields"),
    # keys
    "quoted_duplicate.yaml": ('primary: breast\n"primary": lung\n', "the key 'primary' appears twice"),
    "duplicate_in_case.yaml": ("case:\n  er: positive\n  er: negative\n", "the key 'er' appears twice"),
    "duplicate_nested.json": ('{"case": {"her2": "low", "her2": "positive"}}', "the key 'her2' appears twice"),
    "bool_key.yaml": ("true: breast\n", "the key True is not text"),
    "float_key.yaml": ("1.5: breast\n", "the key 1.5 is not text"),
    "date_key.yaml": ("2020-01-01: breast\n", "is not text"),
    "list_key.yaml": ("? [a, b]\n: breast\n", "the key ['a', 'b'] is not text"),
    "mapping_key.yaml": ("? {a: 1}\n: breast\n", "is not text"),
    "unknown_field.yaml": ("primry: breast\n", "unknown field 'primry'; did you mean 'primary'?"),
    "newline_in_field.yaml": ('"bad\\nfield": 1\n', "unknown field 'bad\\nfield'"),
    "long_field.json": ('{"' + "k" * 5000 + '": 1}', "unknown field 'kkkk"),
    "many_unknown.json": ("{" + ", ".join(f'"f{i}": 1' for i in range(5000)) + "}", "and 4,997 more"),
    # YAML features a case has no use for
    "alias_text.yaml": ("x: &p breast\nprimary: *p\n", "an alias (*name) is not allowed"),
    "alias_number.yaml": ("x: &n 50\nage: *n\n", "an alias (*name) is not allowed"),
    "alias_bomb_list.yaml": (BOMB, "an alias (*name) is not allowed"),
    "merge_key.yaml": ("<<: {primary: breast}\n", "not valid YAML"),
    "python_tag.yaml": ("primary: !!python/object/apply:os.system ['echo hi']\n", "not valid YAML"),
    "local_tag.yaml": ("primary: !cancer breast\n", "not valid YAML"),
    "deep_mapping.yaml": ("{a: " * 30 + "1" + "}" * 30 + "\n", "nested deeper than 20 levels"),
    "deep_object.json": ('{"a": ' * 30 + "1" + "}" * 30, "nested deeper than 20 levels"),
    "deep_list_value.yaml": ("bone_sites: " + "[" * 25 + "spine" + "]" * 25 + "\n", "nested deeper than 20 levels"),
    # text that does not parse
    "unclosed.yaml": ("bone_sites: [spine\n", "not valid YAML"),
    "tab_indent.yaml": ("case:\n\tprimary: breast\n", "not valid YAML"),
    "trailing_comma.json": ('{"primary": "breast",}', "not valid JSON"),
    "yaml_as_json.json": ("primary: breast\n", "not valid JSON"),
    "nul_byte.yaml": (b"primary: breast\x00\n", "not valid YAML"),
    "utf16.yaml": ("primary: breast\n".encode("utf-16"), "not UTF-8"),
    "binary.yaml": (bytes(range(256)) * 4, "not UTF-8"),
    "latin1.json": ('{"primary": "br\xe9ast"}'.encode("latin-1"), "not UTF-8"),
    "too_large.yaml": ("# " + "x" * 1_000_001 + "\n", "at most 1,000,000 bytes"),
    # the case: block
    "beside_case.yaml": ("case:\n  primary: breast\nsex: female\n", "'sex' stands beside the 'case:' block"),
    "case_null.yaml": ("id: x\ncase:\n", "'case:' must hold a mapping"),
    "case_list.yaml": ("case: [primary, breast]\n", "'case:' must hold a mapping"),
    # values
    "bool_for_number.yaml": ("age: yes\n", "age=True is not allowed"),
    "number_for_bool.yaml": ("back_pain: 0\n", "back_pain=0 is not allowed; allowed: true or false"),
    "word_for_bool.yaml": ("back_pain: 'yes'\n", "back_pain='yes' is not allowed"),
    "number_for_list.yaml": ("bone_sites: 5\n", "bone_sites=5 is not allowed"),
    "list_for_enum.yaml": ("primary: [breast]\n", "primary=['breast'] is not allowed"),
    "number_for_enum.yaml": ("her2: 3\n", "her2=3 is not allowed"),
    "mapping_for_enum.yaml": ("primary: {a: 1}\n", "primary={'a': 1} is not allowed"),
    "empty_sites.yaml": ("bone_sites: []\n", "bone_sites=[] is not allowed"),
    "unknown_site.yaml": ("bone_sites: [spine, femur]\n", "bone_sites[1]='femur' is not allowed"),
    "half_year.yaml": ("age: 50.5\n", "age=50.5 is not allowed"),
    "child.yaml": ("age: 17\n", "age=17 is not allowed; allowed: a number from 18 to 120"),
    "infinite.yaml": ("calcium_mmol_l: .inf\n", "calcium_mmol_l=inf is not allowed"),
    "not_a_number.yaml": ("calcium_mmol_l: .nan\n", "calcium_mmol_l=nan is not allowed"),
    "infinity.json": ('{"creatinine_umol_l": -Infinity}', "creatinine_umol_l=-inf is not allowed"),
    "nan.json": ('{"age": NaN}', "age=nan is not allowed"),
    "with_unit.yaml": ("calcium_mmol_l: 2.4 mmol/L\n", "calcium_mmol_l='2.4 mmol/L' is not allowed"),
    "date_value.yaml": ("age: 2020-01-01\n", "age=datetime.date(2020, 1, 1) is not allowed"),
    "binary_value.yaml": ("weight_kg: !!binary aGVsbG8=\n", "weight_kg=b'hello' is not allowed"),
    # what reaches the terminal
    "escape_value.yaml": ('primary: "\\e[2J\\e[31mbreast"\n', "primary='\\x1b[2J\\x1b[31mbreast'"),
    "bidi_value.yaml": ('primary: "\\u202ebreast"\n', "primary='\\u202ebreast'"),
    "nul_value.json": ('{"primary": "bre\\u0000ast"}', "primary='bre\\x00ast'"),
    "long_value.yaml": ("her2: " + "y" * 200_000 + "\n", "her2='yyyy"),
    "many_problems.yaml": ("age: x\nher2: y\nsex: z\nprimary: w\ner: v\n", "and 2 more"),
    # fields that contradict each other
    "contradiction.yaml": ("sex: male\nmenopause: pre\n", "menopause"),
}


def _case_args(command: str, path: Path, tmp_path: Path) -> list[str | Path]:
    commands: dict[str, list[str | Path]] = {"assess": ["assess", path], "json": ["assess", path, "--format", "json"],
                                            "report": ["report", path, "-o", tmp_path / "handout.html"]}
    return commands[command]


@pytest.mark.parametrize("command", ["assess", "report"])
@pytest.mark.parametrize("name", sorted(CASE_FILES))
def test_a_hostile_case_file(tmp_path, name, command):
    content, expected = CASE_FILES[name]
    path = write(tmp_path / name, content)
    line = refused(tmp_path, *_case_args(command, path, tmp_path), expected=expected)
    assert str(path) in line


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "fifo.yaml")
    return tmp_path / "fifo.yaml"


def _link(tmp_path: Path, target: str) -> Path:
    (tmp_path / "link.yaml").symlink_to(target)
    return tmp_path / "link.yaml"


def _loop(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    return tmp_path / "a.yaml"


#: name -> (make the path in a temporary directory, a part of the expected line)
CASE_PATHS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a directory": (lambda tmp: tmp, "not a regular file"),
    "a missing file": (lambda tmp: tmp / "missing.yaml", "No such file or directory"),
    "under a file": (lambda tmp: write(tmp / "file.yaml", "{}\n") / "case.yaml", "Not a directory"),
    "a FIFO": (_fifo, "not a regular file"),
    "a link to /dev/zero": (lambda tmp: _link(tmp, "/dev/zero"), "not a regular file"),
    "a link to /dev/urandom": (lambda tmp: _link(tmp, "/dev/urandom"), "not a regular file"),
    "a dangling link": (lambda tmp: _link(tmp, "nowhere.yaml"), "No such file or directory"),
    "a loop of links": (_loop, "cannot read"),
    "/dev/null": (lambda tmp: Path("/dev/null"), "not a regular file"),
}


@pytest.mark.parametrize("command", ["json", "report"])
@pytest.mark.parametrize("name", sorted(CASE_PATHS))
def test_a_case_path_that_is_not_a_case_file(tmp_path, name, command):
    make, expected = CASE_PATHS[name]
    refused(tmp_path, *_case_args(command, make(tmp_path), tmp_path), expected=expected)


def test_one_bad_case_among_good_ones_prints_nothing_but_its_line(tmp_path):
    good = ROOT / "data" / "cases" / "spinal_cord_compression.yaml"
    bad = write(tmp_path / "bad.yaml", "her2: pos\n")
    refused(tmp_path, "assess", good, bad, good, expected="bad.yaml: her2='pos' is not allowed")


# --------------------------------------------------------------------------- outputs of report


def test_a_handout_never_replaces_its_own_case_file(tmp_path):
    case = write(tmp_path / "case.html", "primary: breast\n")  # report CASE writes CASE with .html
    refused(tmp_path, "report", case, expected="would overwrite the case file")
    yaml_case = write(tmp_path / "case.yaml", "primary: breast\n")
    refused(tmp_path, "report", yaml_case, "-o", yaml_case, expected="would overwrite the case file")
    (tmp_path / "link.html").symlink_to(yaml_case)
    refused(tmp_path, "report", yaml_case, "-o", tmp_path / "link.html", expected="would overwrite the case file")


@pytest.mark.parametrize("kind", ["FIFO", "link to a FIFO"])
def test_a_handout_never_replaces_a_special_file(tmp_path, kind):
    """Run as root, an output written beside a device and renamed over it replaced the device."""
    case = write(tmp_path / "case.yaml", "primary: breast\n")
    os.mkfifo(tmp_path / "pipe")
    target = tmp_path / "pipe"
    if kind == "link to a FIFO":
        target = tmp_path / "out.html"
        target.symlink_to(tmp_path / "pipe")
    refused(tmp_path, "report", case, "-o", target, expected="not a regular file or a directory")


# --------------------------------------------------------------------------- cohort files

CSV = "primary,sex,age,calcium_mmol_l\nbreast,female,61,2.41\nprostate,male,70,2.3\nlung,male,58,\n"


def _linked(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


def _fifo_at(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _parquet(path: Path, columns: dict[str, Any], names: list[str] | None = None) -> bytes:
    """Parquet bytes of the given columns (``names`` may repeat a name)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(list(columns.values()), names=names or list(columns))
    pq.write_table(table, path)
    return path.read_bytes()


def _parquet_file(columns: dict[str, Any], names: list[str] | None = None) -> Callable[[Path], bytes]:
    return lambda path: _parquet(path, columns, names)


def _struct_column() -> dict[str, Any]:
    import pyarrow as pa

    return {"primary": pa.array([{"a": 1}], pa.struct([("a", pa.int64())]))}


def _nested_list_column() -> dict[str, Any]:
    import pyarrow as pa

    return {"bone_sites": pa.array([[["spine"]]], pa.list_(pa.list_(pa.string())))}


def _list_enum_column() -> dict[str, Any]:
    import pyarrow as pa

    return {"primary": pa.array([["breast"]], pa.list_(pa.string()))}


#: name -> (input files by path under in/, output under out/ and options, a part of the expected line)
CohortInput = dict[str, str | bytes | Callable[[Path], object]]
COHORT_FILES: dict[str, tuple[CohortInput, list[str], str]] = {
    "empty CSV": ({"c.csv": ""}, ["out.csv"], "c.csv: empty file; a cohort CSV starts with a header row"),
    "blank lines": ({"c.csv": "\n\n\n"}, ["out.csv"], "empty file"),
    "latin-1 header": ({"c.csv": "primary,\xe2ge\nbreast,61\n".encode("latin-1")}, ["out.csv"], "not UTF-8"),
    "latin-1 cell": ({"c.csv": "primary,age\nbr\xe9ast,61\n".encode("latin-1")}, ["out.csv"], "not UTF-8"),
    "latin-1 cell, Dask": ({"c.csv": "primary,age\nbr\xe9ast,61\n".encode("latin-1")}, ["out.csv", "--dask"],
                           "not UTF-8"),
    "latin-1 far down": ({"c.csv": ("primary,age\n" + "breast,61\n" * 30_000 + "br\xe9ast,61\n").encode("latin-1")},
                         ["out.parquet", "--chunk-rows", "5000"], "not UTF-8"),
    "UTF-16": ({"c.csv": CSV.encode("utf-16")}, ["out.csv"], "not UTF-8"),
    "NUL byte in a cell": ({"c.csv": b"primary,sex\nbreast,fe\x00male\n"}, ["out.csv"],
                           "c.csv: line 2 holds a NUL byte (\\x00)"),  # pandas read it as 'fe'
    "NUL byte far down, Dask": ({"c.csv": b"primary,age\n" + b"breast,61\n" * 5000 + b"lung,6\x001\n"},
                                ["out.csv", "--dask"], "line 5002 holds a NUL byte"),
    "binary": ({"c.csv": bytes(range(256)) * 64}, ["out.csv"], "not UTF-8"),
    "Parquet named .csv": ({"c.csv": _parquet_file({"primary": ["breast"]})}, ["out.csv"], "c.csv: not"),
    "ragged rows": ({"c.csv": "primary,age\nbreast,61\nlung,60,7,8\n"}, ["out.csv"],
                    "not a valid CSV file (Error tokenizing data. C error: Expected 2 fields in line 3, saw 4)"),
    "ragged rows, Dask": ({"c.csv": "primary,age\nbreast,61\nlung,60,7,8\n"}, ["out.csv", "--dask"],
                          "not a valid CSV file (Error tokenizing data"),
    "repeated column": ({"c.csv": "primary,age,primary\nbreast,61,lung\n"}, ["out.csv"],
                        "the column 'primary' appears twice"),
    "unknown column": ({"c.csv": "primary,agee\nbreast,61\n"}, ["out.csv"],
                       "column 'agee' is not a case field; did you mean 'age'?; to keep it, pass --keep agee"),
    "unknown column with a space": ({"c.csv": "primary,patient id\nbreast,7\n"}, ["out.csv"],
                                    "pass --keep 'patient id'"),
    "escape in a column name": ({"c.csv": "primary,\x1b[31mred\nbreast,1\n"}, ["out.csv"],
                                "column '\\x1b[31mred' is not a case field"),
    "newline in a column name": ({"c.csv": 'primary,"a\nb"\nbreast,1\n'}, ["out.csv"], "column 'a\\nb'"),
    "20,000 unknown columns": ({"c.csv": ",".join(f"x{i}" for i in range(20_000)) + "\n"}, ["out.csv"],
                               "column 'x0' is not a case field"),
    "--keep a missing column": ({"c.csv": CSV}, ["out.csv", "--keep", "patient"],
                                "--keep patient: "),
    "--keep a column one file lacks": ({"d/a.csv": "primary,id\nbreast,1\n", "d/b.csv": "primary\nlung\n"},
                                       ["out.csv", "--keep", "id"], "b.csv has no such column"),
    "columns differ, Dask": ({"d/a.csv": "primary,age\nbreast,61\n", "d/b.csv": "primary,sex\nlung,male\n"},
                             ["out.csv", "--dask"], "with Dask every file needs the same columns"),
    "no cohort file in a directory": ({"d/notes.txt": "x"}, ["out.csv"], "expected CSV or Parquet files"),
    "CSV and Parquet mixed": ({"d/a.csv": CSV, "d/b.parquet": _parquet_file({"primary": ["breast"]})},
                              ["out.csv"], "found csv, parquet"),
    "text named .parquet": ({"c.parquet": CSV}, ["out.csv"], "c.parquet: not a Parquet file"),
    "empty .parquet": ({"c.parquet": b""}, ["out.csv"], "c.parquet: not a Parquet file"),
    "cut-off Parquet": ({"c.parquet": lambda p: p.write_bytes(_parquet(p, {"primary": ["breast"] * 9})[:-40])},
                        ["out.csv"],
                        "c.parquet: not a Parquet file"),
    "Parquet with a repeated column": ({"c.parquet": _parquet_file({"a": ["breast"], "b": ["lung"]},
                                                                   ["primary", "primary"])},
                                       ["out.csv"], "the column 'primary' appears twice"),
    "Parquet with a mapping for a field": ({"c.parquet": lambda p: _parquet(p, _struct_column())}, ["out.csv"],
                                           "column 'primary' holds struct<a: int64>"),
    "Parquet with a list for a value": ({"c.parquet": lambda p: _parquet(p, _list_enum_column())}, ["out.csv"],
                                        "column 'primary' holds list<"),
    "Parquet with lists of lists": ({"c.parquet": lambda p: _parquet(p, _nested_list_column())}, ["out.csv"],
                                    "column 'bone_sites' holds list<"),
    "a bad cell, raise": ({"c.csv": "primary,age\nbreast,61\nlung,sixty\n"}, ["out.csv"],
                          "row 1: age='sixty' is not allowed; allowed: a number from 18 to 120 (whole number)"),
    "a bad cell, raise, Dask": ({"c.csv": "primary,age\nbreast,61\nlung,sixty\n"}, ["out.csv", "--dask"],
                                "row 1: age='sixty' is not allowed"),
    "true for a number": ({"c.csv": "primary,age\nbreast,True\n"}, ["out.csv"], "is not allowed; allowed: a number"),
    "an escape in a cell": ({"c.csv": "primary\n\x1b[2Jbreast\n"}, ["out.csv"], "primary='\\x1b[2Jbreast'"),
    "a newline in a cell": ({"c.csv": 'primary\n"breast\nlung"\n'}, ["out.csv"], "primary='breast\\nlung'"),
    "a 5 MB cell": ({"c.csv": "primary\n" + "x" * 5_000_000 + "\n"}, ["out.csv"], "primary='xxxxx"),
    "a FIFO": ({"c.csv": lambda p: _fifo_at(p)}, ["out.csv"], "c.csv: not a regular file"),
    "a link to /dev/zero": ({"c.csv": lambda p: _linked(p, Path("/dev/zero"))}, ["out.csv"], "not a regular file"),
    "a missing file": ({}, ["out.csv"], "no such file or directory"),
}


def _make_inputs(root: Path, files: CohortInput) -> Path:
    """The input files under ``root/in``: returns the file, or the directory (``d/``) of several."""
    for name, content in files.items():
        path = root / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        else:
            write(path, content)
    return root / "in" / ("d" if any(name.startswith("d/") for name in files) else next(iter(files), "c.csv"))


@needs_cohort
@pytest.mark.parametrize("name", list(COHORT_FILES))
def test_a_hostile_cohort_file(tmp_path, name):
    files, (out, *options), expected = COHORT_FILES[name]
    source = _make_inputs(tmp_path, files)
    line = refused(tmp_path, "cohort", source, tmp_path / out, "--no-progress", *options, expected=expected)
    assert "row " in line or str(tmp_path / "in") in line or "--keep" in line, line  # names where


#: name -> (make the output under the test directory given the input file, options, expected)
COHORT_OUTPUTS: dict[str, tuple[Callable[[Path, Path], Path], list[str], str]] = {
    "the input itself through a link": (lambda tmp, src: _linked(tmp / "out.csv", src), [], "overwrite the input"),
    "the error table on the input": (lambda tmp, src: _linked(tmp / "out.csv.errors.csv", src).with_name("out.csv"),
                                     ["--errors", "report"], "overwrite the input"),
    "a parent that is a file": (lambda tmp, src: write(tmp / "file", "") / "out.csv", [], "is not a directory"),
    "a grandparent that is a file": (lambda tmp, src: write(tmp / "file", "") / "a" / "out.csv", [],
                                     "is not a directory"),
    "a FIFO": (lambda tmp, src: _fifo_at(tmp / "out.csv"), [], "not a regular file or a directory"),
    "a link to a FIFO": (lambda tmp, src: _linked(tmp / "out", _fifo_at(tmp / "pipe")), [],
                         "not a regular file or a directory"),
    "a link to /dev/null": (lambda tmp, src: _linked(tmp / "out.parquet", Path("/dev/null")), [],
                            "not a regular file or a directory"),
    "an unknown suffix": (lambda tmp, src: tmp / "out.txt", [], "output must end in .parquet or .csv"),
    "a non-empty directory": (lambda tmp, src: write(tmp / "out" / "mine.txt", "keep me").parent, [],
                              "pass --overwrite to replace it"),
    "a non-empty directory, Dask": (lambda tmp, src: write(tmp / "out" / "part.0.parquet", "x").parent, ["--dask"],
                                    "pass --overwrite to replace it"),
}


@needs_cohort
@pytest.mark.parametrize("name", list(COHORT_OUTPUTS))
def test_a_cohort_output_that_would_destroy_something(tmp_path, name):
    make, options, expected = COHORT_OUTPUTS[name]
    source = write(tmp_path / "in.csv", CSV)
    target = make(tmp_path, source)
    refused(tmp_path, "cohort", source, target, "--no-progress", *options, expected=expected)


@needs_cohort
@pytest.mark.parametrize("engine", ["--no-dask", "--dask"])
def test_cells_that_are_not_numbers_are_rows_of_the_error_table(tmp_path, engine):
    source = write(tmp_path / "in.csv", "primary,age,calcium_mmol_l\nbreast,61,2.4\nlung,abc,2.3\nbreast,60,x\n"
                                        "prostate, 70 ,2.5e0\n")
    before = source.read_bytes()
    r = bonemets_cli("cohort", source, tmp_path / "out.csv", "--no-progress", "--errors", "report", engine)
    assert r.status == 0 and r.err == "", r
    assert "assessed 2 of 4 rows" in r.out
    errors = pd.read_csv(tmp_path / "out.csv.errors.csv", dtype=str)
    assert errors[["row", "column", "value"]].values.tolist() == [["1", "age", "abc"], ["2", "calcium_mmol_l", "x"]]
    assert pd.read_csv(tmp_path / "out.csv")["row"].tolist() == [0, 3]  # ' 70 ' and '2.5e0' are numbers
    assert source.read_bytes() == before


@needs_cohort
def test_a_header_only_csv_gives_an_empty_output_with_every_column(tmp_path):
    source = write(tmp_path / "in.csv", "primary,age\n")
    r = bonemets_cli("cohort", source, tmp_path / "out.csv", "--no-progress")
    assert r.status == 0 and "assessed 0 of 0 rows" in r.out, r
    out = pd.read_csv(tmp_path / "out.csv")
    assert len(out) == 0 and {"row", "aromatase_inhibitor"} <= set(out.columns)


@needs_cohort
def test_a_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path):
    source = write(tmp_path / "in.csv", "\ufeffprimary,er\nbreast,positive\n")
    r = bonemets_cli("cohort", source, tmp_path / "out.csv", "--no-progress")
    assert r.status == 0, r
    assert len(pd.read_csv(tmp_path / "out.csv")) == 1


@needs_cohort
def test_a_kept_column_empty_in_the_first_chunk_is_kept_as_text(tmp_path):
    source = write(tmp_path / "in.csv", "primary,patient\n" + "breast,\n" * 5 + "lung,007\nlung,A7\n")
    r = bonemets_cli("cohort", source, tmp_path / "out.parquet", "--no-progress", "--keep", "patient",
                     "--chunk-rows", "5")
    assert r.status == 0, r
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert out["patient"].tolist()[5:] == ["007", "A7"] and out["patient"].iloc[:5].isna().all()


# --------------------------------------------------------------------------- command-line arguments

ARGUMENTS = {
    "no command": ([], "the following arguments are required"),
    "an unknown command": (["asses"], "invalid choice: 'asses'"),
    "assess without a case": (["assess", "--format", "json"], "the following arguments are required: CASE"),
    "an unknown format": (["assess", "x.yaml", "--format", "pdf"], "invalid choice: 'pdf'"),
    "--chunk-rows 0": (["cohort", "a.csv", "b.csv", "--chunk-rows", "0"], "--chunk-rows=0 is not allowed"),
    "--chunk-rows -5": (["cohort", "a.csv", "b.csv", "--chunk-rows", "-5"], "--chunk-rows=-5 is not allowed"),
    "--chunk-rows ten": (["cohort", "a.csv", "b.csv", "--chunk-rows", "ten"], "invalid int value: 'ten'"),
    "--errors ignore": (["cohort", "a.csv", "b.csv", "--errors", "ignore"], "invalid choice: 'ignore'"),
    "--dask and --no-dask": (["cohort", "a.csv", "b.csv", "--dask", "--no-dask"], "not allowed with argument"),
    "an unknown schema": (["knowledge", "--schema", "recipes"], "--schema"),
}


@pytest.mark.parametrize("name", list(ARGUMENTS))
def test_bad_arguments(tmp_path, name):
    args, expected = ARGUMENTS[name]
    refused(tmp_path, *args, expected=expected)


# --------------------------------------------------------------------------- knowledge copies


@pytest.fixture(scope="module")
def shipped_knowledge() -> Path:
    return bonemets.knowledge().path


def _copy(shipped: Path, tmp_path: Path) -> Path:
    """A copy of the shipped knowledge with one rules file, the smallest: a valid knowledge base
    (:func:`test_the_trimmed_copy_is_valid`) that takes half the time to read."""
    import shutil

    kb = Path(shutil.copytree(shipped, tmp_path / "kb"))
    rules = sorted((kb / "rules").glob("*.yaml"), key=lambda p: p.stat().st_size)
    for path in rules[1:]:
        path.unlink()
    return kb


def test_the_trimmed_copy_is_valid(tmp_path, shipped_knowledge):
    r = bonemets_cli("knowledge", "--check", _copy(shipped_knowledge, tmp_path))
    assert r.status == 0 and "valid" in r.out, r


def _rule_with(kb: Path, when: str) -> None:
    """Add rules/zz_hostile.yaml: a copy of a shipped rule with the condition ``when`` (YAML text)."""
    template = yaml.safe_load(sorted((kb / "rules").glob("*.yaml"))[0].read_text(encoding="utf-8"))[0]
    text = yaml.safe_dump([{**template, "id": "hostile_rule", "when": "WHEN"}], sort_keys=False, width=10_000)
    write(kb / "rules" / "zz_hostile.yaml", text.replace("when: WHEN", f"when: {when}"))


#: condition (YAML flow text) -> a part of the expected line (after "rule 'hostile_rule': when")
CONDITIONS = {
    "{field: [back_pain], is: true}": "field takes the name of a case field or derived number, not ['back_pain']",
    "{field: {name: back_pain}, is: true}": "field takes the name of a case field",
    "{field: 7, is: true}": "field takes the name of a case field or derived number, not 7",
    "{field: null, is: true}": "not None",
    "{ref: [breast]}": "ref takes the name of a concept, not ['breast']",
    "{ref: {name: breast}}": "ref takes the name of a concept",
    "{ref: brest}": "ref 'brest' is not a concept defined before it; did you mean 'breast'?",
    "{field: primary, is: [breast]}": "['breast'] is not a value of 'primary'",
    "{field: primary, is: {a: 1}}": "{'a': 1} is not a value of 'primary'",
    "{field: primary, in: breast}": "'in' on 'primary' takes a non-empty list",
    "{field: primary, in: []}": "'in' on 'primary' takes a non-empty list",
    "{field: primary, in: [[breast]]}": "['breast'] is not a value of 'primary'",
    "{field: age, gt: '50'}": "'gt' on 'age' takes a number, not '50'",
    "{field: age, gt: true}": "'gt' on 'age' takes a number, not True",
    "{field: back_pain, is: 'true'}": "'is' on 'back_pain' takes true or false, not 'true'",
    "{field: age, unknown: 'yes'}": "'unknown' on 'age' takes true or false",
    "{field: bone_sites, has: {a: 1}}": "{'a': 1} is not a value of 'bone_sites'",
    "{field: back_pain}": "field 'back_pain' needs a test",
    "{field: age, is: 50}": "test 'is' does not apply to int field 'age'",
    "{all: {field: back_pain, is: true}}": "when.all: must be a non-empty list of conditions",
    "{any: []}": "when.any: must be a non-empty list of conditions",
    "{not: []}": "a condition must be a mapping",
    "{not: null}": "a condition must be a mapping",
    "{all: [{field: back_pain, is: true}], any: [{field: back_pain, is: true}]}": "cannot be combined",
    "{always: false}": "'always' takes only true",
    "{colour: red}": "unknown condition key(s) ['colour']",
    "{field: primary, is: \"\\e[2J\"}": "'\\x1b[2J' is not a value of 'primary'",
    "{field: primary, is: " + "z" * 3000 + "}": "'zzzz",
    "{field: " + "q" * 3000 + ", is: true}": "field 'qqqq",
}


@pytest.mark.parametrize("when", list(CONDITIONS), ids=lambda w: w[:40])
def test_a_malformed_condition_names_file_and_entry(tmp_path, shipped_knowledge, when):
    kb = _copy(shipped_knowledge, tmp_path)
    _rule_with(kb, when)
    line = refused(tmp_path, "knowledge", "--check", kb, expected=CONDITIONS[when])
    assert "zz_hostile.yaml: rule 'hostile_rule': when" in line


def _first_rules_file(kb: Path) -> Path:
    return sorted((kb / "rules").glob("*.yaml"))[0]


def _replace_first(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _js_url(kb: Path) -> None:
    for path in sorted((kb / "sources").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "url: http" in text:
            start = text.index("url: http")
            end = text.index("\n", start)
            path.write_text(text[:start] + "url: javascript:alert(1)" + text[end:], encoding="utf-8")
            return
    raise AssertionError("no source with a url")


def _remove(path: Path) -> Path:
    path.unlink()
    return path


def _example(kb: Path, key: str, value: str) -> None:
    """The hostile rule (always true) with one 'triggers' example ``{key: value}``."""
    _rule_with(kb, "{always: true}")
    path = kb / "rules" / "zz_hostile.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[0]["examples"] = {"triggers": ["EXAMPLE"], "does_not_trigger": []}
    text = yaml.safe_dump(data, sort_keys=False, width=10_000)
    write(path, text.replace("EXAMPLE", f"{{{key}: {value}}}"))


#: name -> (change the copy, a part of the expected line)
KNOWLEDGE_COPIES: dict[str, tuple[Callable[[Path], Any], str]] = {
    "not nested 3,000 deep": (lambda kb: _rule_with(kb, "{not: " * 3000 + "{always: true}" + "}" * 3000),
                              "nested deeper than"),
    "all nested 40 deep": (lambda kb: _rule_with(kb, "{all: [" * 40 + "{always: true}" + "]}" * 40),
                           "nested deeper than"),
    "a rules file in latin-1": (lambda kb: write(kb / "rules" / "zz.yaml", "- id: caf\xe9\n".encode("latin-1")),
                                "zz.yaml: not UTF-8"),
    "a binary rules file": (lambda kb: write(kb / "rules" / "zz.yaml", bytes(range(256))), "zz.yaml: not UTF-8"),
    "an empty rules file": (lambda kb: write(kb / "rules" / "zz.yaml", ""), "zz.yaml: empty file"),
    "a rules file holding a mapping": (lambda kb: write(kb / "rules" / "zz.yaml", "id: x\n"),
                                       "zz.yaml: must hold a YAML list of entries"),
    "a rule that is a number": (lambda kb: write(kb / "rules" / "zz.yaml", "- 5\n"), "zz.yaml: entry '#1'"),
    "a rules file that is a FIFO": (lambda kb: os.mkfifo(kb / "rules" / "zz.yaml"), "zz.yaml: not a regular file"),
    "a rules file that is a directory": (lambda kb: (kb / "rules" / "zz.yaml").mkdir(),
                                         "zz.yaml: not a regular file"),
    "a rules file over 1 MB": (lambda kb: write(kb / "rules" / "zz.yaml", "#" * 1_000_001), "at most 1,000,000"),
    "a repeated id key": (lambda kb: _replace_first(_first_rules_file(kb), "\n  title:", "\n  id: again\n  title:"),
                          "the key 'id' appears twice"),
    "an alias": (lambda kb: write(kb / "rules" / "zz.yaml", "- &r {id: x}\n- *r\n"), "an alias (*name)"),
    "a tab in the indentation": (lambda kb: write(kb / "rules" / "zz.yaml", "- id: x\n\ttitle: y\n"),
                                 "zz.yaml: not valid YAML"),
    "no manifest": (lambda kb: (kb / "manifest.yaml").unlink(), "manifest.yaml: cannot read"),
    "a manifest that is a list": (lambda kb: write(kb / "manifest.yaml", "- a\n"), "must hold a YAML mapping"),
    "concepts that are a mapping": (lambda kb: write(kb / "concepts.yaml", "a: 1\n"),
                                    "concepts.yaml: must hold a YAML list of entries"),
    "no sources": (lambda kb: [_remove(p) for p in (kb / "sources").glob("*.yaml")], "no source files"),
    "a javascript: url": (_js_url, "a url starts with http:// or https://"),
    "an unknown key in a rule": (lambda kb: _rule_with(kb, "{always: true}\n  colour: red"),
                                 "field 'colour': unknown key"),
    "an example with a misspelt field": (lambda kb: _example(kb, "back_pian", "true"), "did you mean 'back_pain'?"),
    "an example with a bad value": (lambda kb: _example(kb, "back_pain", "'yes'"), "back_pain='yes' is not allowed"),
    "an example with an escape": (lambda kb: _example(kb, '"a\\e[2Jb"', "true"), "unknown field 'a\\x1b[2Jb'"),
}


@pytest.mark.parametrize("name", list(KNOWLEDGE_COPIES))
def test_a_broken_knowledge_copy(tmp_path, shipped_knowledge, name):
    change, expected = KNOWLEDGE_COPIES[name]
    kb = _copy(shipped_knowledge, tmp_path)
    change(kb)
    refused(tmp_path, "knowledge", "--check", kb, expected=expected)


@pytest.mark.parametrize("where, expected", [("a file", "not a knowledge directory"),
                                             ("a missing directory", "not a knowledge directory"),
                                             ("an empty directory", "manifest.yaml: cannot read")])
def test_knowledge_check_of_something_that_is_not_knowledge(tmp_path, where, expected):
    path = {"a file": write(tmp_path / "kb.yaml", "{}\n"), "a missing directory": tmp_path / "nothing",
            "an empty directory": tmp_path}[where]
    refused(tmp_path, "knowledge", "--check", path, expected=expected)


def test_a_broken_knowledge_in_the_environment(tmp_path, shipped_knowledge, monkeypatch):
    kb = _copy(shipped_knowledge, tmp_path)
    _rule_with(kb, "{field: [back_pain], is: true}")
    case = write(tmp_path / "case.yaml", "primary: breast\n")
    monkeypatch.setenv("BONEMETS_KNOWLEDGE", str(kb))
    refused(tmp_path, "assess", case, expected="zz_hostile.yaml: rule 'hostile_rule': when: field takes the name")
    refused(tmp_path, "report", case, expected="zz_hostile.yaml")
    refused(tmp_path, "knowledge", expected="zz_hostile.yaml")
    for args in (["--help"], ["--version"], ["assess", "--help"]):
        r = bonemets_cli(*args)
        assert r.status == 0 and r.out and "Traceback" not in r.err, r


# --------------------------------------------------------------------------- real processes


@pytest.mark.parametrize("args, expected", [
    (["assess", "{tmp}/fifo.yaml"], "not a regular file"),
    (["knowledge", "--check", "{tmp}/kb"], "field takes the name of a case field"),
    (["report", "{tmp}/case.html"], "would overwrite the case file"),
    pytest.param(["cohort", "{tmp}/in.csv", "{tmp}/out.csv", "--no-progress"], "age='sixty' is not allowed",
                 marks=needs_cohort),
])
def test_as_a_real_process(tmp_path, shipped_knowledge, args, expected):
    os.mkfifo(tmp_path / "fifo.yaml")
    write(tmp_path / "case.html", "primary: breast\n")
    write(tmp_path / "in.csv", "primary,age\nbreast,sixty\n")
    _rule_with(_copy(shipped_knowledge, tmp_path), "{field: [back_pain], is: true}")
    before = snapshot(tmp_path)
    r = subprocess.run([sys.executable, "-m", "bonemets.cli", *(a.format(tmp=tmp_path) for a in args)],
                       capture_output=True, text=True, timeout=DEADLINE, cwd=ROOT)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.splitlines()) == 1 and expected in r.stderr, r.stderr
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- the two paths agree

_JUNK = ["", " ", "unknown", "yes", "no", "TRUE", " false ", "1", "0", "n/a", "inf", "-inf", "1e400", "femur",
         "Breast", " breast", "[]", "spine; pelvis", "spine;;pelvis", " ; ", "5e1", " 2.5 ", "2,5", "50.0", "0x32",
         "\x1b[2J"]
#: Cells on which the cohort path once disagreed with the case path (it read text with float(), and
#: a mapping crashed its encoding): see test_the_cohort_reads_text_as_a_case_does.
ONCE_APART = ["nan", "NaN", "1_000", "٥٠", {"a": 1}]


def _messy(name: str) -> st.SearchStrategy[Any]:
    """Values of one field: allowed ones written as a user might, and junk of every type."""
    spec = FIELDS[name]
    if spec.kind == "enum":
        good: st.SearchStrategy[Any] = st.sampled_from([*spec.allowed, "unknown"] if spec.has_unknown
                                                        else list(spec.allowed))
    elif spec.kind == "list":
        items = st.lists(st.sampled_from(spec.allowed), max_size=3)
        good = st.one_of(items, items.map("; ".join), items.map(lambda xs: " ;".join(f"  {x} " for x in xs)),
                         items.map(lambda xs: [f" {x}" for x in xs]))
    elif spec.kind == "bool":
        good = st.one_of(st.booleans(), st.sampled_from(["true", "FALSE", " True "]))
    else:
        assert spec.ge is not None and spec.le is not None
        numbers = (st.integers(int(spec.ge), int(spec.le)) if spec.kind == "int"
                   else st.floats(spec.ge, spec.le).map(lambda x: round(x, 2)))
        good = st.one_of(numbers, numbers.map(lambda x: f" {x} "), numbers.map(float), numbers.map(str),
                         numbers.map(lambda x: f"{x:e}"))
    junk = st.one_of(st.none(), st.booleans(), st.integers(-5, 5000), st.floats(-1e6, 1e6), st.sampled_from(_JUNK),
                     st.lists(st.sampled_from(_JUNK), max_size=2))
    return st.one_of(good, good, junk)


@st.composite
def messy_records(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=4, unique=True))
    return {name: draw(_messy(name)) for name in names}


def _one_case(record: dict[str, Any]) -> dict[str, str] | str:
    try:
        return bonemets.assess(bonemets.Case.model_validate(record)).statuses
    except InvalidCaseError:
        return "error"


def _one_row(record: dict[str, Any]) -> dict[str, str] | str:
    frame = pd.DataFrame({name: [value] for name, value in record.items()}, index=[0])
    result, problems = bonemets.assess_cohort(frame, errors="report")
    if len(problems):
        with pytest.raises(InvalidCaseError):  # errors='raise' raises on the same row
            bonemets.assess_cohort(frame)
        return "error"
    return {str(item): str(status) for item, status in result.iloc[0].items()}


def _agree(record: dict[str, Any]) -> None:
    one_case, one_row = _one_case(record), _one_row(record)
    if one_case == "error" or one_row == "error":
        assert one_case == one_row, (record, one_case, one_row)
    else:
        assert isinstance(one_case, dict) and isinstance(one_row, dict)
        assert one_case == {item: one_row[item] for item in one_case}, record


@settings(max_examples=150, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow])
@given(messy_records())
@example({"bone_sites": "spine; pelvis"})
@example({"prior_endocrine_therapy": " tamoxifen ; fulvestrant "})
@example({"prior_radiotherapy_sites": "[]"})
@example({"bone_sites": ""})
@example({"age": "5e1"})
@example({"age": "50.0", "calcium_mmol_l": " 2.5 "})
@example({"back_pain": "TRUE", "age": " 61 ", "bone_sites": [" spine"]})
@example({"sex": "male", "menopause": "pre"})
def test_assess_and_assess_cohort_agree_on_messy_records(record):
    _agree(record)


@pytest.mark.parametrize("value", ONCE_APART, ids=repr)
def test_the_cohort_reads_text_as_a_case_does(value):
    _agree({"creatinine_umol_l" if isinstance(value, str) else "primary": value})
