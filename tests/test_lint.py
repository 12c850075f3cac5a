"""The code as its tools check it: ruff (the rule set in pyproject.toml) over the package, tests and
benchmarks, and mypy (``[tool.mypy]``) over the package. Both are in the dev extra."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (it is in the dev extra)")
    return path


def test_ruff_finds_nothing():
    result = subprocess.run([tool("ruff"), "check", "bonemets", "benchmarks", "tests"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_mypy_finds_nothing():
    result = subprocess.run([tool("mypy")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout
