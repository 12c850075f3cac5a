"""One strict reader for the YAML and JSON files the toolkit reads: case files, knowledge files
and the data tables.

A file is read only if it is a regular file under a size limit, in UTF-8; a document whose keys
repeat, are not text, use YAML aliases, or nest deeper than a case ever does is refused, as is an
empty one. Each refusal is one line naming the file and the problem.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import yaml

from .exceptions import BonemetsError
from .messages import shown

#: Largest file read, in bytes (a case is a few kilobytes).
MAX_BYTES = 1_000_000
#: Deepest nesting of mappings and lists accepted.
MAX_DEPTH = 20


class ReadError(BonemetsError, ValueError):
    """A file that cannot be read as a document: ``"<path>: <reason>"``.

    Attributes
    ----------
    path : Path
    reason : str
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def read_document(path: Path, *, empty_hint: str = "", max_depth: int = MAX_DEPTH) -> Any:
    """The document in one YAML or JSON file (``.json`` is read as JSON, anything else as YAML).

    Parameters
    ----------
    path : Path
    empty_hint : str
        Added to the message for an empty document (e.g. how to write an all-unknown case).
    max_depth : int
        Deepest nesting of mappings and lists accepted.

    Raises
    ------
    ReadError
        The file is not a regular file, is too large, is not UTF-8, cannot be parsed, has a
        duplicate or non-text key, an alias, nesting deeper than ``max_depth``, or no document.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(path, "not a regular file")
        if info.st_size > MAX_BYTES:
            raise ReadError(path, f"{info.st_size:,} bytes; a file of at most {MAX_BYTES:,} bytes is read")
        raw = path.read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ReadError(path, f"not UTF-8 text (byte {err.start + 1} is not)") from None
    try:
        data = _json(text, max_depth) if path.suffix.lower() == ".json" else _yaml(text, max_depth)
    except _Refused as err:
        raise ReadError(path, str(err)) from None
    except (yaml.YAMLError, json.JSONDecodeError) as err:
        raise ReadError(path, f"not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: "
                        f"{str(err).splitlines()[0]}") from None
    if data is None:
        raise ReadError(path, f"empty file{'; ' + empty_hint if empty_hint else ''}")
    return data


class _Refused(Exception):
    """A document this reader refuses (caught and reported with the file name)."""


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing aliases, duplicate and non-text keys, and deep nesting."""

    depth = 0
    max_depth = MAX_DEPTH

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused(f"line {mark.line + 1}: an alias (*name) is not allowed; write the value out")
        self.depth += 1
        if self.depth > self.max_depth:
            mark = self.peek_event().start_mark
            raise _Refused(f"line {mark.line + 1}: nested deeper than {self.max_depth} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _Refused(f"line {key_node.start_mark.line + 1}: the key {shown(key)} is not text")
            if key in seen:
                raise _Refused(f"line {key_node.start_mark.line + 1}: the key {shown(key)} appears twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _yaml(text: str, max_depth: int) -> Any:
    loader = _StrictLoader(text)
    loader.max_depth = max_depth
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _json(text: str, max_depth: int) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _Refused(f"the key {shown(key)} appears twice")
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except RecursionError:
        raise _Refused(f"nested deeper than {max_depth} levels") from None
    if _depth(data) > max_depth:
        raise _Refused(f"nested deeper than {max_depth} levels")
    return data


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0
