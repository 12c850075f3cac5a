"""Reading knowledge files: YAML in, validated entries out, one clear line when an entry is wrong.

A problem is reported as :class:`~bonemets.KnowledgeError` naming the file, the entry, the
field and what is allowed there (for an unknown key, the keys allowed at that place).
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .exceptions import KnowledgeError
from .knowledge_models import PATTERN_HELP, _Entry, _Lifecycled
from .problems import describe
from .reader import ReadError, read_document

E = TypeVar("E", bound=_Lifecycled)
#: Deepest nesting of a knowledge file (conditions nest ``all``/``any``/``not``).
KNOWLEDGE_DEPTH = 60


def read_yaml(file: Path, mapping: bool = False) -> Any:
    """A knowledge file's YAML: a list of entries, or one mapping (``mapping=True``)."""
    try:
        data = read_document(file, max_depth=KNOWLEDGE_DEPTH)
    except ReadError as err:
        raise KnowledgeError(str(err)) from None
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
    """The first problem of an entry's validation error, in one line (:func:`bonemets.problems.describe`)."""
    return describe(err, model, PATTERN_HELP)
