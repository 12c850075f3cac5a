"""JSON Schemas of the knowledge files, generated from their pydantic models.

One schema per kind of file (``data/knowledge/schemas/<kind>.schema.json``). Every shipped
knowledge file names its schema on its first line, for example in ``rules/bone_health.yaml``::

    # yaml-language-server: $schema=../schemas/rules.schema.json

so that an editor with a YAML language server (VS Code's YAML extension) completes keys and
flags a misspelt key or a value that is not allowed as the author types. The shipped schemas
are regenerated with ``bonemets knowledge --write-schemas DIR``; a test checks they match.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .knowledge_models import FILE_KINDS, Manifest

SCHEMA_DIR = "schemas"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of knowledge file.

    Parameters
    ----------
    kind : str
        One of :data:`~bonemets.knowledge_models.FILE_KINDS`: ``manifest``, ``sources``,
        ``families``, ``options``, ``tests``, ``alerts``, ``concepts``, ``consistency``, ``rules``.

    Raises
    ------
    ValueError
        For another kind, naming the kinds allowed.
    """
    if kind not in FILE_KINDS:
        raise ValueError(f"{kind!r} is not a kind of knowledge file; allowed: {', '.join(FILE_KINDS)}")
    model, files = FILE_KINDS[kind]
    body = model.model_json_schema() if model is Manifest else TypeAdapter(list[model]).json_schema()  # type: ignore[valid-type]
    return {"$schema": _DIALECT, "title": f"bonemets knowledge: {kind} ({files})",
            "description": "Generated from bonemets.knowledge_models; regenerate with "
                           "`bonemets knowledge --write-schemas`.", **body}


def schemas() -> dict[str, dict[str, Any]]:
    """Every kind's JSON Schema, by kind."""
    return {kind: schema(kind) for kind in FILE_KINDS}


def schema_text(kind: str) -> str:
    """A kind's schema as the shipped file holds it (indented JSON, final newline)."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def schema_file(root: Path, kind: str) -> Path:
    """Where a knowledge directory keeps a kind's schema."""
    return root / SCHEMA_DIR / f"{kind}.schema.json"


def write_schemas(root: Path) -> list[Path]:
    """Write every kind's schema into ``root/schemas/``; returns the files written."""
    written = []
    for kind in FILE_KINDS:
        target = schema_file(root, kind)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(schema_text(kind), encoding="utf-8")
        written.append(target)
    return written


def schema_line(root: Path, file: Path, kind: str) -> str:
    """The first line a knowledge file carries so an editor finds its schema."""
    relative = Path(os.path.relpath(schema_file(root, kind), file.parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}"


def knowledge_files(root: Path) -> dict[Path, str]:
    """Every YAML file of a knowledge directory, with its kind."""
    return {file: kind for kind, (_, pattern) in FILE_KINDS.items() for file in sorted(root.glob(pattern))}
