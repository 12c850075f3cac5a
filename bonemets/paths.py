"""Where the package's data files are: the knowledge base, the score tables, the cases."""

from __future__ import annotations

from pathlib import Path


def data_dir() -> Path:
    """``bonemets/_data`` in an installed wheel, else the repository's ``data/``."""
    here = Path(__file__).resolve().parent
    shipped = here / "_data"
    return shipped if shipped.is_dir() else here.parent / "data"
