"""pyproject.toml and environment.yml must declare the same dependencies.

pyproject.toml is the source of truth (core dependencies plus every extra);
environment.yml is the conda-forge twin. Every package must appear in both,
with the same lower bound, and nothing else may appear on either side.

PyPI -> conda-forge names (PyPI names compared after PEP 503 normalisation):

    PyYAML          -> pyyaml             (same name once normalised)
    kaleido         -> python-kaleido
    playwright      -> playwright-python  (Microsoft's own channel calls it
                                           "playwright"; conda-forge does not)
    dask[dataframe] -> dask-core          conda-forge "dask" is the big
                                           metapackage (~ pip "dask[complete]",
                                           with bokeh, jinja2, lz4, ...); pip's
                                           plain "dask" is "dask-core". The
                                           [dataframe] extra adds numpy, pandas
                                           and pyarrow (dask-expr is merged into
                                           dask since 2025.1), so those must be
                                           listed in environment.yml too.

All other names are identical on both sides.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"

# canonical PyPI name -> conda-forge name, where they differ
PYPI_TO_CONDA = {
    "kaleido": "python-kaleido",
    "playwright": "playwright-python",
    "dask": "dask-core",
}
# (canonical PyPI name, extra) -> conda-forge packages that extra brings in
EXTRA_TO_CONDA = {
    ("dask", "dataframe"): {"numpy", "pandas", "pyarrow"},
}
# conda entries that are not Python dependencies of the package
CONDA_ONLY = {"python", "pip"}

CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?P<spec>.*)$")


def _lower_bound(spec: str, who: str) -> Version:
    """The version of a single '>=X' specifier; anything else is an error."""
    m = re.fullmatch(r">=\s*([^\s,<>=!~*]+)", spec.strip())
    assert m, f"{who}: expected exactly one lower bound '>=X', got {spec!r}"
    try:
        return Version(m.group(1))
    except InvalidVersion:  # pragma: no cover - message only
        pytest.fail(f"{who}: {m.group(1)!r} is not a version")


def pyproject_deps() -> dict[str, tuple[str, Version, set[str]]]:
    """conda name -> (PyPI requirement as written, lower bound, extras)."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    reqs = list(project["dependencies"])
    for group in project.get("optional-dependencies", {}).values():
        reqs.extend(group)
    deps: dict[str, tuple[str, Version, set[str]]] = {}
    for raw in reqs:
        req = Requirement(raw)
        assert req.marker is None, f"{req.name}: environment markers are not mirrored in environment.yml"
        name = canonicalize_name(req.name)
        conda = PYPI_TO_CONDA.get(name, name)
        bound = _lower_bound(str(req.specifier), f"pyproject.toml: {req.name}")
        assert conda not in deps, f"pyproject.toml: {req.name} is listed twice"
        deps[conda] = (raw, bound, set(req.extras))
    return deps


def environment() -> dict:
    return yaml.safe_load(ENVIRONMENT.read_text())


def conda_deps() -> tuple[dict[str, Version], dict[str, str], list[str]]:
    """(conda name -> lower bound, special entries as written, pip section)."""
    deps: dict[str, Version] = {}
    special: dict[str, str] = {}
    pip_section: list[str] = []
    for entry in environment()["dependencies"]:
        if isinstance(entry, dict):
            pip_section.extend(entry.get("pip", []))
            continue
        m = CONDA_SPEC.match(str(entry).strip())
        assert m, f"environment.yml: cannot parse {entry!r}"
        name = m.group("name").lower()
        if name in CONDA_ONLY:
            special[name] = str(entry)
            continue
        assert name not in deps, f"environment.yml: {name} is listed twice"
        deps[name] = _lower_bound(m.group("spec"), f"environment.yml: {name}")
    return deps, special, pip_section


def test_environment_yml_matches_pyproject():
    py = pyproject_deps()
    conda, _, _ = conda_deps()
    problems = []
    for name, (raw, bound, extras) in sorted(py.items()):
        if name not in conda:
            problems.append(f"{raw!r} is in pyproject.toml but {name!r} is missing from environment.yml")
        elif conda[name] != bound:
            problems.append(
                f"{name}: lower bound {bound} in pyproject.toml ({raw!r}) "
                f"but {conda[name]} in environment.yml"
            )
        pypi_name = canonicalize_name(Requirement(raw).name)
        for extra in sorted(extras):
            needed = EXTRA_TO_CONDA.get((pypi_name, extra))
            if needed is None:
                problems.append(
                    f"{raw!r}: no known conda-forge equivalent for extra [{extra}]; "
                    "add it to EXTRA_TO_CONDA in tests/test_packaging.py"
                )
                continue
            for pkg in sorted(needed - conda.keys()):
                problems.append(f"{raw!r}: environment.yml lacks {pkg!r}, which the [{extra}] extra brings in")
    for name in sorted(conda.keys() - py.keys()):
        problems.append(f"{name!r} is in environment.yml but not in pyproject.toml")
    if problems:
        pytest.fail("pyproject.toml and environment.yml disagree:\n  " + "\n  ".join(problems), pytrace=False)


def test_environment_yml_frame():
    env = environment()
    _, special, pip_section = conda_deps()
    assert env.get("name") == "bonemets"
    assert env.get("channels") == ["conda-forge"]
    assert special.get("python", "").replace(" ", "") == "python=3.11", special
    assert "pip" in special, "environment.yml must list pip for its pip: section"
    assert "-e ." in [p.strip() for p in pip_section], "environment.yml pip section must install the package (-e .)"
    requires_python = tomllib.loads(PYPROJECT.read_text())["project"]["requires-python"]
    assert Version("3.11") in SpecifierSet(requires_python), f"requires-python {requires_python!r} excludes 3.11"


def test_console_script_declared():
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    assert project.get("scripts", {}).get("bonemets") == "bonemets.cli:main"


def test_console_script_installed_metadata():
    """If the package is installed (make venv), its metadata carries the script."""
    from importlib import metadata

    try:
        dist = metadata.distribution("bonemets")
    except metadata.PackageNotFoundError:
        pytest.skip("bonemets is not installed in this environment")
    eps = {ep.name: ep.value for ep in dist.entry_points if ep.group == "console_scripts"}
    assert eps.get("bonemets") == "bonemets.cli:main", eps


def test_data_ships_in_wheel_as_bonemets_data():
    wheel = tomllib.loads(PYPROJECT.read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert set(wheel.get("only-include", [])) == {"bonemets", "data"}, wheel
    assert wheel.get("sources", {}).get("data") == "bonemets/_data", wheel
