"""The command line, run as a user runs it (a subprocess)."""

import json
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
    assert out.index("ALERTS") < out.index("TESTS") < out.index("TREATMENTS")
    assert "CRITICAL: Spinal cord compression" in out
    assert "Undetermined" in out and "her2 unknown (settle with: receptor_retest)" in out
    assert 'Breast Cancer Now, "Secondary breast cancer in the bone"' in out
    assert bonemets.DISCLAIMER in out.replace("\n  ", " ")


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
