"""Reading the package's YAML data files into validated pydantic models.

Used for the clinical tables of ``data/scores`` and the synthetic-cohort prevalences of
``data/cohort``: a malformed file fails at import with one line naming the file, the entry
and what is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator

from .exceptions import DataTableError
from .paths import data_dir
from .problems import describe
from .reader import ReadError, read_document

__all__ = ["StrictModel", "data_dir", "load_model", "problem", "read_yaml", "validate"]


#: An id: lowercase snake_case starting with a letter; a band id may start with a digit.
IDENT_PATTERN = r"^[a-z][a-z0-9_]*$"
BAND_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
#: What each pattern means, in words, for error messages.
PATTERN_HELP = {IDENT_PATTERN: "ids are lowercase snake_case", BAND_PATTERN: "ids are lowercase snake_case"}


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
        return read_document(path)
    except ReadError as err:
        raise DataTableError(str(err)) from None


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
        model = schema if isinstance(schema, type) and issubclass(schema, BaseModel) else None
        raise DataTableError(f"{path}: {problem(err, model)}") from None


def load_model(path: Path, schema: Any) -> Any:
    """Read one YAML file and validate it as ``schema`` (see :func:`validate`)."""
    return validate(path, read_yaml(path), schema)


def problem(err: ValidationError, model: type[BaseModel] | None = None) -> str:
    """The first problem of a validation error as one line (:func:`bonemets.problems.describe`)."""
    return describe(err, model, PATTERN_HELP)
