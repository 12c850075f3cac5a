"""A pydantic validation error as one line: the place, the value and what is allowed there.

Used for every data file the toolkit validates (knowledge files, score tables, prevalences).
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from .case import Case, suggest
from .messages import shown

_LONG_LIST = 25  # above this many allowed keys, name the closest one and how many there are


def describe(err: ValidationError, model: type[BaseModel] | None = None,
             pattern_help: Mapping[str, str] | None = None) -> str:
    """The first problem of a validation error, in one line naming the field and what is allowed.

    An unknown key comes first: a misspelt key is also a missing one, and its name is the clue.

    Parameters
    ----------
    err : ValidationError
    model : type, optional
        The model validated: names the keys allowed where an unknown key stands.
    pattern_help : mapping of str to str, optional
        What a text pattern means, in words, by pattern.
    """
    errors = err.errors()
    e = next((x for x in errors if x["type"] == "extra_forbidden"), errors[0])
    loc = e["loc"]
    place = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    where = f"field '{place}': " if place else ""
    given = e.get("input")
    if e["type"] == "extra_forbidden":
        return f"{where}unknown key{_allowed_keys(model, loc)}"
    if e["type"] == "literal_error":
        return f"{where}{shown(given)} is not allowed; allowed: {e['ctx']['expected']}"
    if e["type"] == "missing":
        return f"{where}is required"
    if e["type"] == "string_pattern_mismatch":
        pattern = e["ctx"]["pattern"]
        meaning = (pattern_help or {}).get(pattern, f"allowed: text matching {pattern}")
        return f"{where}{shown(given)} is not allowed; {meaning}"
    if e["type"] == "string_type":
        return f"{where}{shown(given)} is not allowed; write it as text (in quotes)"
    message = e["msg"].removeprefix("Value error, ")
    if _model_at(model, loc) is Case or isinstance(given, (dict, list)):  # Case names the value itself
        return f"{where}{message}"
    return f"{where}{message} (got {shown(given)})"


def _allowed_keys(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None:
        return ""
    allowed = list(parent.model_fields)
    closest = suggest(str(loc[-1]), allowed)
    if len(allowed) > _LONG_LIST:
        return f"{closest}; allowed: one of the {len(allowed)} {parent.__name__.lower()} fields"
    return f"{closest}; allowed keys: {', '.join(allowed)}"


def _model_at(model: type[BaseModel] | None, path: tuple[int | str, ...]) -> type[BaseModel] | None:
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
