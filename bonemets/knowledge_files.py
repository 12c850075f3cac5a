"""Reading knowledge files: YAML in, validated entries out, one clear line when an entry is wrong.

A problem is reported as :class:`~bonemets.KnowledgeError` naming the file, the entry, the
field and what is allowed there (for an unknown key, the keys allowed at that place).
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .case import Case, suggest
from .exceptions import KnowledgeError
from .knowledge_models import PATTERN_HELP, _Entry, _Lifecycled

E = TypeVar("E", bound=_Lifecycled)
_LONG_LIST = 25  # above this many allowed keys, name the closest one and how many there are


def read_yaml(file: Path, mapping: bool = False) -> Any:
    """A knowledge file's YAML: a list of entries, or one mapping (``mapping=True``)."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise KnowledgeError(f"{file}: cannot read: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise KnowledgeError(f"{file}: not valid YAML: {str(err).splitlines()[0]}") from None
    expected = dict if mapping else list
    if not isinstance(data, expected):
        raise KnowledgeError(f"{file}: must hold a YAML {'mapping' if mapping else 'list of entries'}")
    return data


def read_manifest(file: Path, model: type[_Entry]) -> dict[str, Any]:
    """The manifest as written, after checking it against its model."""
    data = read_yaml(file, mapping=True)
    try:
        model.model_validate(data)
    except ValidationError as err:
        raise KnowledgeError(f"{file}: {problem(err, model)}") from None
    return dict(data)


def read_entries(file: Path, model: type[E], seen: typing.Container[str] = ()) -> dict[str, E]:
    """Every entry of one file, validated, by id.

    Parameters
    ----------
    file : Path
    model : type
        The entry model of this kind of file.
    seen : container of str
        Ids already read from other files of the same kind (an id is used once).
    """
    found: dict[str, E] = {}
    for i, raw in enumerate(read_yaml(file)):
        label = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        where = f"{file}: entry '{label}'"
        try:
            entry = model.model_validate(raw)
        except ValidationError as err:
            raise KnowledgeError(f"{where}: {problem(err, model)}") from None
        if entry.id in seen or entry.id in found:
            raise KnowledgeError(f"{where}: id '{entry.id}' is used twice")
        found[entry.id] = entry
    return found


def problem(err: ValidationError, model: type[BaseModel]) -> str:
    """The first problem of a validation error, in one line naming the field and what is allowed.

    An unknown key comes first: a misspelt key is also a missing one, and its name is the clue.
    """
    errors = err.errors()
    e = next((x for x in errors if x["type"] == "extra_forbidden"), errors[0])
    loc = e["loc"]
    place = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    where = f"field '{place}': " if place else ""
    if e["type"] == "extra_forbidden":
        return f"{where}unknown key{_allowed_keys(model, loc)}"
    if e["type"] == "literal_error":
        return f"{where}{e['input']!r} is not allowed; allowed: {e['ctx']['expected']}"
    if e["type"] == "missing":
        return f"{where}is required"
    if e["type"] == "string_pattern_mismatch":
        pattern = e["ctx"]["pattern"]
        return f"{where}{e['input']!r} is not allowed; {PATTERN_HELP.get(pattern, f'allowed: text matching {pattern}')}"
    if e["type"] == "string_type":
        return f"{where}{e['input']!r} is not allowed; write it as text (in quotes)"
    message = e["msg"].removeprefix("Value error, ")
    if _model_at(model, loc) is Case:  # a worked example: Case names the field, value and values allowed
        return f"{where}{message}"
    return f"{where}{message} (got {e.get('input')!r})"


def _allowed_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None:
        return ""
    allowed = list(parent.model_fields)
    closest = suggest(str(loc[-1]), allowed)
    if len(allowed) > _LONG_LIST:
        return f"{closest}; allowed: one of the {len(allowed)} {parent.__name__.lower()} fields"
    return f"{closest}; allowed keys: {', '.join(allowed)}"


def _model_at(model: type[BaseModel], path: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model that holds the place ``path`` (a pydantic error location) inside ``model``."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int) or part not in current.model_fields:
            continue  # a list index, or the tag pydantic gives a member of a union
        current = _inner_model(current.model_fields[part].annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
