"""The README's newcomer path (issue 11, item 7): what a fresh clone reads and runs first.

Every relative link of README.md and every repository path it names in backticks is in the
repository (a clone has no ``../shared``); every ``bonemets`` line of its shell blocks runs with
exit status 0 as written, from the repository's root, with outputs redirected under ``tmp_path``
(a line that reads files a clone does not have is skipped, and so is ``--dask`` without dask);
``examples/cohort.csv`` assesses with no invalid row and loses no column; ``voila.json`` holds
what ``make run`` relies on. Runs the command line as a user does, through the ``bonemets``
script of this interpreter's environment.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import bonemets
from bonemets import FIELDS
from bonemets.batch import run_cohort
from bonemets.cli import _parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BONEMETS = Path(sys.executable).with_name("bonemets")
EXAMPLE = ROOT / "examples" / "cohort.csv"
#: Columns of the example cohort that are not case fields (kept with --keep).
EXAMPLE_IDS = ["patient"]


def _tracked() -> set[str] | None:
    """The files git tracks (what a clone has), or None where git or .git is missing."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        return None
    out = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    return set(out.stdout.split("\0")) - {""} if out.returncode == 0 else None


def _in_clone(target: str) -> str | None:
    """Why ``target`` (relative to the root) is not in a clone, or None when it is."""
    path = (ROOT / target).resolve()
    if not path.is_relative_to(ROOT):
        return "outside the repository"
    if not path.exists():
        return "does not exist"
    tracked = _tracked()
    if tracked is not None:
        rel = path.relative_to(ROOT).as_posix()
        if rel not in tracked and not any(name.startswith(rel + "/") for name in tracked):
            return "is not committed (a clone would not have it)"
    return None


def test_every_relative_link_is_in_the_repository():
    links = re.findall(r"\]\(([^)\s]+)\)", README)
    relative = [link.split("#")[0] for link in links if not re.match(r"[a-z]+:|#", link)]
    assert "docs/contract.md" in relative
    assert "../" not in README, "the README points outside the repository"
    problems = {link: why for link in relative if (why := _in_clone(link))}
    assert not problems, problems


def test_paths_named_in_backticks_are_in_the_repository():
    """`data/cases/...`, `examples/cohort.csv`, `notebooks/02_explorer.ipynb`: every backticked
    path under a top-level directory of the repository (outputs such as `reference/` are not)."""
    top = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")} - {"build", "dist"}
    named = {m for m in re.findall(r"`([\w.-]+/[\w./-]*)`", README) if m.split("/")[0] in top}
    assert "examples/cohort.csv" in named
    problems = {path: why for path in named if (why := _in_clone(path))}
    assert not problems, problems


def _command_lines() -> list[str]:
    """The ``bonemets`` lines of the README's shell blocks, comments stripped."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] in ("bonemets", ".venv/bin/bonemets"):
                lines.append(shlex.join(words))
    return lines


COMMANDS = list(dict.fromkeys(_command_lines()))  # a line shown twice runs once


def test_the_command_lines_show_a_teaching_case_and_the_example_cohort():
    teaching = set(bonemets.teaching_cases())
    words = [shlex.split(line) for line in COMMANDS]
    assert any(w[1] == "assess" and w[2] in teaching for w in words), COMMANDS
    assert any(w[1] == "report" and w[2] in teaching for w in words), COMMANDS
    assert any(w[1] == "cohort" and w[2] == "examples/cohort.csv" for w in words), COMMANDS


def _inputs_and_outputs(args: list[str]) -> tuple[list[str], list[str]]:
    """The files a command line reads and the ones it writes, as the command line parses them."""
    ns = _parser().parse_args(args)
    if ns.command == "assess":
        return list(ns.cases), []
    if ns.command == "report":
        return [ns.case], [ns.output] if ns.output else []
    if ns.command == "cohort":
        return [ns.source], [ns.target]
    if ns.command == "knowledge":
        return [ns.check] if ns.check else [], [ns.html] if ns.html else []
    return [], []


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_runs(line, tmp_path):
    assert BONEMETS.exists(), f"no bonemets script beside {sys.executable}: pip install -e . first"
    args = shlex.split(line)[1:]
    reads, writes = _inputs_and_outputs(args)
    teaching = set(bonemets.teaching_cases())
    missing = [p for p in reads if p not in teaching and _in_clone(p)]
    if missing:
        pytest.skip(f"reads {', '.join(missing)}, which a clone does not have")
    if "--dask" in args and importlib.util.find_spec("dask") is None:
        pytest.skip("--dask without dask installed (the cohort extra)")
    # Inputs as absolute paths, outputs (named or default) under tmp_path: nothing lands in the repository.
    absolute = {p: str(ROOT / p) for p in reads if p not in teaching}
    run = [str(BONEMETS), *(absolute.get(a, a) for a in args)]
    result = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{line}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr, result.stderr
    for out in writes:
        assert (tmp_path / out).exists(), f"{line}: wrote no {out}"


def test_example_cohort_is_valid_and_keeps_every_column(tmp_path):
    given = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    assert 5 <= len(given) <= 50, "a small example"
    assert given["patient"].is_unique
    unknown = [c for c in given.columns if c not in FIELDS and c not in EXAMPLE_IDS]
    assert not unknown, f"columns that are neither case fields nor ids: {unknown}"

    out = tmp_path / "statuses.csv"
    run = run_cohort(EXAMPLE, out, errors="report", keep=EXAMPLE_IDS, progress=False, use_dask=False)
    assert (run.rows, run.assessed, run.errors) == (len(given), len(given), 0)
    result = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert result["patient"].tolist() == given["patient"].tolist()  # the id is kept, in order

    # Every value given is read (no column silently dropped), and each row is assessed as assess() does.
    for i, row in given.iterrows():
        values = {c: v for c, v in row.items() if c in FIELDS and v not in ("", "unknown")}
        case = bonemets.Case.model_validate(values)
        assert set(case.known()) >= set(values), f"row {i}: not read: {set(values) - set(case.known())}"
        a = bonemets.assess(case)
        for r in a.recommendations:
            assert result.at[i, r.id] == r.status, f"row {i}, {r.id}"


def test_voila_config_culls_idle_kernels_and_denies_the_lab_extension():
    config = json.loads((ROOT / "voila.json").read_text())
    manager = config["MappingKernelManager"]
    assert manager["cull_idle_timeout"] == 600 and 0 < manager["cull_interval"] <= 60
    assert "@jupyter-notebook/lab-extension" in config["VoilaConfiguration"]["extension_denylist"]
    # jupyter_server's default ping timeout (3 intervals) makes tornado >= 6.5 warn at the first page.
    assert config["Voila"]["tornado_settings"]["ws_ping_interval"] == 0
