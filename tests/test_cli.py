"""The command line, run as a user runs it (a subprocess)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bonemets

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "bonemets.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def case_file(tmp_path):
    f = tmp_path / "case.yaml"
    f.write_text("primary: breast\nsex: female\nmenopause: post\ner: positive\nher2: unknown\n"
                 "neurological_deficit: true\nbone_sites: [spine]\n")
    return f


def test_assess_text_prints_alerts_statuses_reasons_citations(case_file):
    r = run("assess", str(case_file))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.splitlines()[0] == bonemets.DISCLAIMER
    assert out.index("ACT NOW") < out.index("ASK NEXT") < out.index("TREATMENTS") < out.index("TESTS")
    assert "CRITICAL: Spinal cord compression" in out
    assert re.search(r"undetermined: [^;]*HER2-directed therapy", " ".join(out.split()))
    assert "Secondary breast cancer in the bone" not in out  # sources and reasons with --full
    full = run("assess", str(case_file), "--full").stdout
    assert "Unknown: HER2 (settled by Receptor re-test" in " ".join(full.split())
    assert 'Breast Cancer Now, "Secondary breast cancer in the bone"' in full
    assert len(full.splitlines()) > 3 * len(out.splitlines())
    assert run("assess", str(case_file), "--all-reasons").stdout == full  # the old name still works


def test_assess_json_and_cards(case_file):
    data = json.loads(run("assess", str(case_file), "--format", "json").stdout)
    statuses = {r["id"]: r["status"] for r in data["recommendations"]}
    assert statuses["her2_targeted"] == "undetermined"
    cards = json.loads(run("assess", str(case_file), "--format", "cards").stdout)["cards"]
    assert cards[0]["indicator"] == "critical"


def test_bad_value_is_one_line_exit_2_no_traceback(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("primary: breast\nher2: pos\n")
    r = run("assess", str(f))
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert "bad.yaml: her2='pos' is not allowed; allowed: positive, low, negative, unknown" in lines[0]


def test_missing_file_is_one_line_exit_2(tmp_path):
    r = run("assess", str(tmp_path / "nope.yaml"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "nope.yaml: cannot read case file" in r.stderr


def test_bad_arguments_are_one_line_exit_2():
    r = run("assess")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_version_names_the_knowledge():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"bonemets {bonemets.__version__} (knowledge {bonemets.knowledge().version})"


def test_cases_lists_the_library():
    r = run("cases")
    assert r.returncode == 0
    assert f"{len(bonemets.teaching_cases())} teaching cases" in r.stdout


def test_knowledge_check_of_a_broken_directory(tmp_path):
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "data" / "knowledge", kb)
    path = kb / "options.yaml"
    path.write_text(path.read_text().replace("family: endocrine_therapy", "family: hormone_therapy", 1))
    r = run("knowledge", "--check", str(kb))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "options.yaml: entry 'aromatase_inhibitor': family 'hormone_therapy' is not a family" in r.stderr
    ok = run("knowledge")
    assert ok.returncode == 0 and "valid" in ok.stdout


def test_help_and_version_work_whatever_the_knowledge(tmp_path):
    import os

    env = {**os.environ, "BONEMETS_KNOWLEDGE": str(tmp_path / "missing")}
    call = [sys.executable, "-m", "bonemets.cli"]
    for args in (["--help"], ["--version"]):
        r = subprocess.run([*call, *args], capture_output=True, text=True, env=env, cwd=ROOT)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "knowledge not loaded" in r.stdout
    r = subprocess.run([*call, "assess", "data/cases/spinal_cord_compression.yaml"], capture_output=True, text=True,
                       env=env, cwd=ROOT)
    assert r.returncode == 2 and r.stderr.strip() == f"bonemets: error: {tmp_path / 'missing'}: not a knowledge directory"


def test_assess_and_report_take_a_teaching_case_id(tmp_path):
    by_file = run("assess", "data/cases/spinal_cord_compression.yaml", "--format", "json")
    by_id = run("assess", "spinal_cord_compression", "--format", "json", cwd=tmp_path)
    assert by_id.returncode == 0, by_id.stderr
    assert json.loads(by_id.stdout) == json.loads(by_file.stdout)
    cases_before = sorted(p.name for p in (ROOT / "data" / "cases").iterdir())
    r = run("report", "spinal_cord_compression", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("wrote spinal_cord_compression.html")
    assert (tmp_path / "spinal_cord_compression.html").stat().st_size > 0  # here, not beside the library's file
    assert sorted(p.name for p in (ROOT / "data" / "cases").iterdir()) == cases_before


def test_a_file_wins_over_a_teaching_case_of_the_same_name(tmp_path):
    (tmp_path / "her2_positive").write_text("primary: breast\nsex: female\nher2: negative\n")
    statuses = {r["id"]: r["status"] for r in json.loads(run("assess", "her2_positive", "--format", "json",
                                                              cwd=tmp_path).stdout)["recommendations"]}
    assert statuses["her2_targeted"] == "not_indicated"  # the file's HER2-negative case, not the library's


@pytest.mark.parametrize("name, close", [("spinal_cord", "close ids: spinal_cord_compression;"),
                                         ("femur", "close ids: pathological_femur_fracture;"),
                                         ("her2pos", "close ids: her2_positive;"),
                                         ("xyzzy", "is neither a case file nor a teaching case id; `bonemets cases`")])
def test_neither_a_file_nor_an_id_is_one_line_naming_close_ids(tmp_path, name, close):
    for command in ("assess", "report"):
        r = run(command, name, cwd=tmp_path)
        assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
        assert r.stderr.startswith(f"bonemets: error: '{name}' is neither a case file nor a teaching case id; ")
        assert close in r.stderr and r.stderr.endswith("`bonemets cases` lists them all\n")
        assert len(r.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_cases_says_how_to_assess_one_by_id():
    assert "assess one with: bonemets assess <id>" in run("cases").stdout


def test_report_without_a_browser_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    """Without Chromium the figures cannot be drawn: the handout is still written, and the user reads
    one 'note:' line, not a Python warning with its source line (three figures, one note)."""
    pytest.importorskip("plotly")
    from bonemets import cli
    from bonemets.figures import _common

    monkeypatch.setattr(_common, "_kaleido_server", lambda: "kaleido found no Chromium or Chrome (test)")
    out = tmp_path / "handout.html"
    assert cli.main(["report", "spinal_cord_compression", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == ["note: figures are shown without a static image: kaleido found no Chromium or "
                                "Chrome (test)"]
    assert "static figures need a browser" in out.read_text(encoding="utf-8")
