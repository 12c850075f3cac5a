"""`bonemets cohort IN OUT` and `bonemets report`: files in, files out, bad rows listed."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import bonemets
from bonemets.batch import run_cohort
from bonemets.cohort import synthetic


@pytest.fixture
def cohort():
    return synthetic(2_000, seed=7)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "bonemets.cli", *args], capture_output=True, text=True)


def test_csv_with_injected_bad_rows_lists_every_one_and_assesses_every_good_row(tmp_path, cohort):
    frame = cohort.astype(object)
    bad = {11: ("her2", "pos"), 250: ("age", 300), 1999: ("bone_sites", "spine;femur"), 640: ("er", "yes")}
    for row, (column, value) in bad.items():
        frame.loc[row, column] = value
    frame["patient"] = [f"id{i}" for i in range(len(frame))]
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    r = cli("cohort", str(source), str(target), "--errors", "report", "--keep", "patient", "--no-progress",
            "--chunk-rows", "300")
    assert r.returncode == 0, r.stderr
    errors = pd.read_csv(tmp_path / "out.csv.errors.csv")
    assert sorted(errors["row"]) == sorted(bad)
    assert {(row, col) for row, col in zip(errors["row"], errors["column"], strict=True)} == {(k, v[0]) for k, v in bad.items()}
    out = pd.read_csv(target)
    assert len(out) == len(frame) - len(bad)
    assert set(out["row"]) == set(range(len(frame))) - set(bad)
    good = out.set_index("row")
    expected = bonemets.assess_cohort(cohort.drop(index=list(bad)))
    assert (good["aromatase_inhibitor"] == expected["aromatase_inhibitor"].astype(str)).all()
    assert (good["patient"] == [f"id{i}" for i in good.index]).all()


def test_first_bad_row_stops_with_one_line_and_exit_2(tmp_path, cohort):
    frame = cohort.astype(object)
    frame.loc[42, "menopause"] = "peri"
    frame.to_csv(tmp_path / "in.csv", index=False)
    r = cli("cohort", str(tmp_path / "in.csv"), str(tmp_path / "out.parquet"), "--no-progress")
    assert r.returncode == 2
    assert r.stderr.strip() == ("bonemets: error: row 42: menopause='peri' is not allowed; "
                                "allowed: pre, post, not_applicable, unknown")


def test_unknown_column_names_the_option_to_keep_it(tmp_path, cohort):
    cohort.assign(patient=1).to_csv(tmp_path / "in.csv", index=False)
    r = cli("cohort", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--no-progress")
    assert r.returncode == 2 and "--keep patient" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_parquet_in_parquet_out_equals_assess_cohort_and_shows_progress(tmp_path, cohort):
    cohort.to_parquet(tmp_path / "in.parquet")
    r = cli("cohort", str(tmp_path / "in.parquet"), str(tmp_path / "out.parquet"), "--chunk-rows", "500")
    assert r.returncode == 0, r.stderr
    assert "assessing" in r.stderr and "2.00k/2.00k" in r.stderr  # the progress bar
    out = pd.read_parquet(tmp_path / "out.parquet").set_index("row")
    expected = bonemets.assess_cohort(cohort)
    pd.testing.assert_frame_equal(out.astype(str), expected.astype(str), check_names=False)


def test_dask_on_a_directory_of_partitions_equals_pandas(tmp_path, cohort):
    parts = tmp_path / "parts"
    parts.mkdir()
    for i, start in enumerate(range(0, len(cohort), 500)):
        cohort.iloc[start:start + 500].to_parquet(parts / f"part-{i}.parquet")
    pandas_run = run_cohort(parts, tmp_path / "pandas.parquet", use_dask=False, progress=False)
    dask_run = run_cohort(parts, tmp_path / "dask", use_dask=True, progress=False)
    assert (pandas_run.engine, dask_run.engine) == ("pandas", "dask")
    a = pd.read_parquet(tmp_path / "pandas.parquet").drop(columns="row")
    b = pd.read_parquet(tmp_path / "dask").reset_index(drop=True)
    pd.testing.assert_frame_equal(a.astype(str), b[a.columns].astype(str))


def test_wrong_input_kind_is_one_line(tmp_path):
    (tmp_path / "x.txt").write_text("a")
    r = cli("cohort", str(tmp_path / "x.txt"), str(tmp_path / "o.csv"))
    assert r.returncode == 2 and "expected CSV or Parquet" in r.stderr


def test_report_command_writes_an_offline_handout(tmp_path):
    out = tmp_path / "handout.html"
    r = cli("report", "data/cases/spinal_cord_compression.yaml", "-o", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text()
    assert "Spinal cord compression" in html and "<script src=" not in html


# --------------------------------------------------------------------------- outputs whole or not at all


def files_in(directory):
    return sorted(p.name for p in directory.iterdir())


def test_an_output_that_is_the_input_is_refused_and_the_input_is_untouched(tmp_path, cohort):
    source = tmp_path / "same.csv"
    cohort.head(20).to_csv(source, index=False)
    before = source.read_bytes()
    r = cli("cohort", str(source), str(source), "--no-progress")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "overwrite the input" in r.stderr
    assert source.read_bytes() == before and files_in(tmp_path) == ["same.csv"]


@pytest.mark.parametrize("where", ["inside the input directory", "holding the input"])
def test_an_output_inside_or_around_the_input_is_refused(tmp_path, cohort, where):
    parts = tmp_path / "parts"
    parts.mkdir()
    cohort.head(10).to_csv(parts / "a.csv", index=False)
    target = parts / "out.parquet" if where == "inside the input directory" else tmp_path
    r = cli("cohort", str(parts), str(target), "--no-progress", "--overwrite")
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert files_in(parts) == ["a.csv"]


def test_a_failed_run_leaves_the_earlier_complete_output_as_it_was(tmp_path, cohort):
    source, target = tmp_path / "in.csv", tmp_path / "out.parquet"
    frame = cohort.head(20).astype(object)
    frame.to_csv(source, index=False)
    assert cli("cohort", str(source), str(target), "--no-progress").returncode == 0
    before = target.read_bytes()
    frame.loc[13, "er"] = "yes"
    frame.to_csv(source, index=False)
    r = cli("cohort", str(source), str(target), "--no-progress", "--chunk-rows", "5")
    assert r.returncode == 2 and "row 13: er='yes'" in r.stderr
    assert target.read_bytes() == before  # not 10 rows of a new output
    assert files_in(tmp_path) == ["in.csv", "out.parquet"]  # no partial file left beside it


def test_an_interrupted_run_writes_nothing(tmp_path, cohort, monkeypatch):
    import bonemets.batch

    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    cohort.head(50).to_csv(source, index=False)
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return bonemets.assess_cohort(*args, **kwargs)

    monkeypatch.setattr(bonemets.batch, "assess_cohort", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_cohort(source, target, chunk_rows=10, progress=False)
    assert files_in(tmp_path) == ["in.csv"]


def test_a_non_empty_output_directory_needs_overwrite_and_is_then_replaced_whole(tmp_path, cohort):
    source, target = tmp_path / "in.parquet", tmp_path / "out"
    cohort.head(30).to_parquet(source)
    assert cli("cohort", str(source), str(target), "--no-progress", "--dask").returncode == 0
    (target / "stale-part.parquet").write_bytes((target / files_in(target)[0]).read_bytes())
    r = cli("cohort", str(source), str(target), "--no-progress", "--dask")
    assert r.returncode == 2 and "--overwrite" in r.stderr
    cohort.head(2).to_parquet(source)
    assert cli("cohort", str(source), str(target), "--no-progress", "--dask", "--overwrite").returncode == 0
    assert len(pd.read_parquet(target)) == 2  # no stale partition read back


def test_a_clean_run_removes_the_error_table_of_an_earlier_run(tmp_path, cohort):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    frame = cohort.head(20).astype(object)
    frame.loc[3, "her2"] = "pos"
    frame.to_csv(source, index=False)
    assert cli("cohort", str(source), str(target), "--no-progress", "--errors", "report").returncode == 0
    assert (tmp_path / "out.csv.errors.csv").exists()
    cohort.head(20).to_csv(source, index=False)
    assert cli("cohort", str(source), str(target), "--no-progress").returncode == 0
    assert files_in(tmp_path) == ["in.csv", "out.csv"]


def test_dask_keeps_the_row_number_of_the_whole_input(tmp_path, cohort):
    parts = tmp_path / "parts"
    parts.mkdir()
    frame = cohort.head(10).astype(object)
    frame.loc[1, "er"] = "yes"
    frame.loc[7, "her2"] = "pos"
    frame.iloc[:4].to_csv(parts / "a.csv", index=False)  # two files: two partitions
    frame.iloc[4:].to_csv(parts / "b.csv", index=False)
    target = tmp_path / "out.csv"
    r = cli("cohort", str(parts), str(target), "--no-progress", "--dask", "--errors", "report")
    assert r.returncode == 0, r.stderr
    assert "assessed 8 of 10 rows" in r.stdout
    errors = pd.read_csv(tmp_path / "out.csv.errors.csv")
    assert sorted(zip(errors["row"], errors["column"], strict=True)) == [(1, "er"), (7, "her2")]
    assert sorted(pd.read_csv(target)["row"]) == [0, 2, 3, 4, 5, 6, 8, 9]


@pytest.mark.parametrize("where, ok", [("a directory", False), ("under a file", False), ("a missing folder", True)])
def test_report_output_paths(tmp_path, where, ok):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("")
    target = {"a directory": tmp_path / "folder", "under a file": tmp_path / "file" / "x.html",
              "a missing folder": tmp_path / "new" / "x.html"}[where]
    case = Path(__file__).resolve().parents[1] / "data" / "cases" / "spinal_cord_compression.yaml"
    r = cli("report", str(case), "-o", str(target))
    if ok:
        assert r.returncode == 0 and target.read_text(encoding="utf-8").startswith("<!")
    else:
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
        assert sorted(p.name for p in tmp_path.rglob("*")) == ["file", "folder"]
