"""Changing a copy of a knowledge directory: entries changed, removed or added by id.

Used by :meth:`bonemets.KnowledgeBase.with_changes`, which copies the knowledge to a temporary
directory, applies the changes there with :func:`apply_changes` and loads the copy; the
original files are never written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from .case import suggest
from .exceptions import KnowledgeError
from .knowledge_files import read_yaml
from .knowledge_models import FILE_KINDS

#: A change to one entry: fields to set, a function that edits the entry (a dict) in place (what
#: it returns is ignored), or None to remove the entry.
Change = Mapping[str, Any] | Callable[[dict[str, Any]], Any] | None
#: Where entries added to a kind kept in a folder (sources, rules) are written.
ADDED_FILE = "added.yaml"
_ENTRY_KINDS = [k for k in FILE_KINDS if k != "manifest"]


def apply_changes(root: Path, change: Mapping[str, Mapping[str, Change]],
                  add: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Change, remove and add entries in the knowledge directory ``root``, in place.

    Parameters
    ----------
    root : Path
        A knowledge directory (a copy: its files are rewritten).
    change : mapping of kind to (mapping of id to change)
        Kinds are ``sources``, ``families``, ``options``, ``tests``, ``alerts``, ``concepts``,
        ``consistency`` and ``rules``. A change is a mapping of fields to set, a function
        given the entry as a dict that edits it in place, or ``None`` to remove the entry.
    add : mapping of kind to sequence of entries
        New entries, as mappings of their fields. Single-file kinds get them at the end of
        their file; ``sources`` and ``rules`` in a new file ``added.yaml`` of their folder.

    Raises
    ------
    KnowledgeError
        A kind that does not exist, or an id to change that is not in the knowledge.
    """
    for kind in [*change, *add]:
        if kind not in _ENTRY_KINDS:
            raise KnowledgeError(f"'{kind}' is not a kind of knowledge entry{suggest(kind, _ENTRY_KINDS)}; "
                                 f"allowed: {', '.join(_ENTRY_KINDS)}")
    for kind, by_id in change.items():
        _change_entries(root, kind, dict(by_id))
    for kind, entries in add.items():
        pattern = FILE_KINDS[kind][1]
        target = root / pattern.replace("*.yaml", ADDED_FILE)
        existing = read_yaml(target) if target.exists() else []
        _write(target, [*existing, *(dict(e) for e in entries)])


def _change_entries(root: Path, kind: str, by_id: dict[str, Change]) -> None:
    pending = dict(by_id)
    for file in sorted(root.glob(FILE_KINDS[kind][1])):
        entries = read_yaml(file)
        hits = [i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("id") in pending]
        if not hits:
            continue
        for i in hits:
            entries[i] = _changed(entries[i], pending.pop(entries[i]["id"]))
        _write(file, [e for e in entries if e is not None])
    if pending:
        known = [e["id"] for file in root.glob(FILE_KINDS[kind][1]) for e in read_yaml(file) if isinstance(e, dict)]
        missing = next(iter(pending))
        raise KnowledgeError(f"{kind}: no entry '{missing}' to change{suggest(missing, known)}")


def _changed(entry: dict[str, Any], change: Change) -> dict[str, Any] | None:
    if change is None:
        return None
    if callable(change):
        change(entry)
        return entry
    return {**entry, **change}


def _write(file: Path, entries: list[Any]) -> None:
    file.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True), encoding="utf-8")
