"""The README's promises: its Python quick start runs, its two commands exist."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_quick_start_runs(capsys):
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    assert len([line for line in block.splitlines() if line.strip()]) <= 11  # "a ten-line quick start"
    exec(compile(block, "README quick start", "exec"), {})
    out = capsys.readouterr().out
    assert "undetermined recommended" in out
    assert "Is there weakness, numbness" in out  # the comment "ask first: weakness, numbness...?"


def test_the_quick_start_case_is_the_one_in_examples():
    """``examples/quick_start.json`` (read by benchmarks/unknowns.py and the partial-knowledge tests)
    is the README's quick-start case, so the counts said of one are the counts of the other."""
    import bonemets

    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    written = re.search(r"case = (bonemets\.Case\(.*?\))\n", block, re.S).group(1)
    assert eval(written, {"bonemets": bonemets}) == bonemets.load_case(ROOT / "examples" / "quick_start.json")


def test_the_two_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
