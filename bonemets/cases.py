"""The teaching case library shipped in ``data/cases/``.

Each file is a YAML mapping::

    id: hr_positive_postmenopausal        # the file name without .yaml
    title: ...
    narrative: ...                        # a short story for the class
    teaching_points: [...]
    questions: [...]
    case: {primary: breast, ...}          # the Case fields
    expected: {item_id: status, ...}      # reviewed statuses (golden); "alert:<id>": state for alerts
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .case import Case, load_case
from .exceptions import InvalidCaseError
from .knowledge import data_dir
from .messages import shown

_KEYS = {"id", "title", "narrative", "teaching_points", "questions", "case", "expected"}


@dataclass(frozen=True)
class TeachingCase:
    """A case from the library, with what an educator needs to present it."""

    id: str
    title: str
    narrative: str
    case: Case
    teaching_points: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    expected: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def cases_dir() -> Path:
    """Where the library lives."""
    return data_dir() / "cases"


def case_file(ref: str | Path) -> Path:
    """The file a command's CASE argument names: a path, or the id of a teaching case.

    A file that exists wins over a teaching case of the same name.

    Parameters
    ----------
    ref : str or Path
        A case file (YAML or JSON), or a teaching case id such as ``spinal_cord_compression``.

    Returns
    -------
    Path
        ``ref`` itself when it exists or is written as a path (with a folder or a suffix: reading it
        reports what is wrong with it), else the teaching case's file.

    Raises
    ------
    InvalidCaseError
        ``ref`` is a bare name that is neither a file nor a teaching case id; the message names it and
        the closest ids.
    """
    path = Path(ref)
    if os.path.lexists(path) or path.name != str(ref) or path.suffix:
        return path
    ids = sorted(p.stem for p in cases_dir().glob("*.yaml"))
    if path.name in ids:
        return cases_dir() / f"{path.name}.yaml"
    name = path.name.lower()
    close = list(dict.fromkeys([i for i in ids if name in i] + difflib.get_close_matches(name, ids, n=3, cutoff=0.5)))
    hint = f"close ids: {', '.join(close[:5])}; " if close else ""
    raise InvalidCaseError(f"{shown(str(ref))} is neither a case file nor a teaching case id; {hint}"
                           "`bonemets cases` lists them all")


def load_teaching_case(path: str | Path) -> TeachingCase:
    """Read one teaching case file; errors name the file and the field."""
    path = Path(path)
    case = load_case(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    extra = set(raw) - _KEYS
    if extra:
        raise InvalidCaseError(f"{path}: unknown key(s) {sorted(extra)}; allowed: {', '.join(sorted(_KEYS))}")
    if raw.get("id") != path.stem:
        raise InvalidCaseError(f"{path}: id {raw.get('id')!r} must equal the file name {path.stem!r}")
    for key in ("teaching_points", "questions"):
        bad = [i for i, x in enumerate(raw.get(key) or ()) if not isinstance(x, str)]
        if bad:
            raise InvalidCaseError(f"{path}: {key} entry {bad[0] + 1} is not text (a line with ': ' must be "
                                   "quoted in YAML); allowed: a list of sentences")
    return TeachingCase(
        id=raw["id"], title=raw.get("title", raw["id"]), narrative=raw.get("narrative", ""), case=case,
        teaching_points=tuple(raw.get("teaching_points", ())), questions=tuple(raw.get("questions", ())),
        expected=dict(raw.get("expected") or {}), path=path)


@cache
def teaching_library() -> dict[str, TeachingCase]:
    """Every teaching case with its title, narrative, teaching points and questions, by id."""
    return {p.stem: load_teaching_case(p) for p in sorted(cases_dir().glob("*.yaml"))}


def teaching_cases() -> dict[str, Case]:
    """The curated case library as ``dict[str, Case]`` keyed by case id (contract)."""
    return {k: v.case for k, v in teaching_library().items()}
