"""Writing the reference to disk: whole or not at all, and never over a user's directory."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import BonemetsError
from .index import reference_pages

if TYPE_CHECKING:  # pragma: no cover
    from ..knowledge import KnowledgeBase

#: A file in every directory :func:`write_reference` writes; only such a directory is replaced.
MARKER = ".bonemets-reference"


def write_reference(directory: str | Path, kb: KnowledgeBase | None = None) -> Path:
    """Write the knowledge reference into ``directory``; returns the path of its index page.

    The pages are written into a new directory beside ``directory`` and then renamed into place,
    so a reader never sees half a reference. A directory written earlier by this function (it
    holds the file :data:`MARKER`) is replaced; any other non-empty directory is left alone.

    Parameters
    ----------
    directory : str or Path
        Where to write; created if missing.
    kb : KnowledgeBase, optional
        The knowledge to describe; by default the one shipped with bonemets.

    Returns
    -------
    Path
        ``directory/index.html`` (absolute).

    Raises
    ------
    BonemetsError
        ``directory`` is a file, or a non-empty directory that holds no earlier reference, or
        cannot be written.
    """
    target = Path(directory).resolve()
    if target.exists() and not target.is_dir():
        raise BonemetsError(f"{target}: is a file, not a directory; give a new or empty directory for the reference")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise BonemetsError(f"{target}: not empty and not an earlier knowledge reference; give a new or empty "
                            "directory")
    pages = reference_pages(kb)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as err:
        raise BonemetsError(f"{target}: cannot write the reference: {err.strerror or err}") from None
    try:
        for name, text in pages.items():
            (staging / name).write_text(text, encoding="utf-8")
        (staging / MARKER).write_text("Written by bonemets (knowledge --html); rebuilding the reference replaces "
                                      "this whole directory.\n", encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private
        if target.exists():  # empty, or an earlier reference: move it aside, then remove it
            aside = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
            target.rename(aside)
            staging.rename(target)
            shutil.rmtree(aside)
        else:
            staging.rename(target)
    except OSError as err:
        raise BonemetsError(f"{target}: cannot write the reference: {err.strerror or err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # only left behind if something failed
    return target / "index.html"
