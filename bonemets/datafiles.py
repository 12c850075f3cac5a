"""Reading the package's YAML data files into validated pydantic models.

Used for the clinical tables of ``data/scores`` and the synthetic-cohort prevalences of
``data/cohort``: a malformed file fails at import with one line naming the file, the entry
and what is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator

from .exceptions import DataTableError
from .paths import data_dir

__all__ = ["StrictModel", "data_dir", "load_model", "problem", "read_yaml", "validate"]


class StrictModel(BaseModel):
    """An entry of a data file: unknown keys are refused, naming the keys allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = [k for k in data if k not in cls.model_fields]
            if unknown:
                raise ValueError(f"unknown key {unknown[0]!r}; allowed keys: "
                                 + ", ".join(cls.model_fields))
        return data


def read_yaml(path: Path) -> Any:
    """The content of one YAML file.

    Raises
    ------
    DataTableError
        If the file cannot be read or is not valid YAML, naming the file.
    """
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise DataTableError(f"{path}: cannot read: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise DataTableError(f"{path}: not valid YAML: {str(err).splitlines()[0]}") from None


def validate(path: Path, raw: Any, schema: Any) -> Any:
    """Validate the content of ``path`` as ``schema`` (a model class or a type).

    Raises
    ------
    DataTableError
        Naming the file, the entry (a dotted path into the file) and what is allowed.
    """
    try:
        return TypeAdapter(schema).validate_python(raw)
    except ValidationError as err:
        raise DataTableError(f"{path}: {problem(err)}") from None


def load_model(path: Path, schema: Any) -> Any:
    """Read one YAML file and validate it as ``schema`` (see :func:`validate`)."""
    return validate(path, read_yaml(path), schema)


def problem(err: ValidationError) -> str:
    """The first problem of a validation error as one line: entry, value, what is allowed."""
    e = err.errors()[0]
    loc = ".".join(str(p) for p in e["loc"])
    where = f"entry '{loc}': " if loc else ""
    given = e.get("input")
    if e["type"] == "literal_error":
        return f"{where}{given!r} is not allowed; allowed: {e['ctx']['expected']}"
    if e["type"] == "missing":
        return f"{where}is required"
    if e["type"] == "string_pattern_mismatch":
        return f"{where}{given!r} is not allowed; ids are lowercase snake_case"
    if e["type"] == "string_type" and isinstance(given, (int, float)):
        return f"{where}must be text, got the number {given!r}; write it in quotes"
    message = f"{where}{e['msg'].removeprefix('Value error, ')}"
    return message if isinstance(given, (dict, list)) else f"{message} (got {given!r})"
