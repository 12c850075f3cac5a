"""Outputs written whole or not at all, never over an input.

:class:`Outputs` checks the output paths before any work (one line naming the path and the
problem), hands out a temporary path beside each output, and on success moves every temporary
into place; a failure or an interrupt (Ctrl-C) removes the temporaries and leaves whatever was
at the targets untouched. An output that a run did not write (the error table of a clean run) is
removed at the same moment, so no stale file survives beside the fresh ones.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from .exceptions import BonemetsError


class Outputs:
    """The outputs of one run (use as a context manager).

    Parameters
    ----------
    targets : sequence of Path
        Every path the run may write; those it does not write are removed on success.
    inputs : iterable of Path
        Files and directories the run reads: no target may be one of them, hold one, or lie
        inside an input directory.
    overwrite : bool
        Replace a target that is a non-empty directory (otherwise refused). A file is always
        replaced, whole, on success.

    Raises
    ------
    BonemetsError
        On entry, before any work: a target is (or holds, or lies inside) an input; it is a
        device, a FIFO or a socket; its parent is not a directory; or it is a non-empty directory
        and ``overwrite`` is false.
    """

    def __init__(self, targets: Sequence[Path], inputs: Iterable[Path], *, overwrite: bool = False) -> None:
        self.targets = [Path(t) for t in targets]
        self.inputs = [real_path(i) for i in inputs]
        self.overwrite = overwrite
        self._staged: dict[Path, Path] = {}
        self._dir: Path | None = None

    def __enter__(self) -> Outputs:
        for target in self.targets:
            self._check(target)
        return self

    def _check(self, target: Path) -> None:
        resolved = real_path(target)
        for source in self.inputs:
            if resolved == source or source.is_relative_to(resolved):
                raise BonemetsError(f"{target}: this output would overwrite the input {source}; write it elsewhere")
            if source.is_dir() and resolved.is_relative_to(source):
                raise BonemetsError(f"{target}: this output lies inside the input directory {source}; "
                                    "write it elsewhere")
        if resolved.exists() and not resolved.is_file() and not resolved.is_dir():  # a device, a FIFO, a socket
            raise BonemetsError(f"{target}: not a regular file or a directory; write the output to a file")
        parent = resolved.parent
        while not parent.exists():
            parent = parent.parent
        if not parent.is_dir():
            raise BonemetsError(f"{target}: {parent} is not a directory")
        if resolved.is_dir() and any(resolved.iterdir()) and not self.overwrite:
            raise BonemetsError(f"{target}: the directory exists and is not empty; pass --overwrite to replace it")

    def path(self, target: Path) -> Path:
        """The temporary path to write ``target`` into (beside it, on the same file system)."""
        target = Path(target)
        if target not in self._staged:
            if self._dir is None:
                target.parent.mkdir(parents=True, exist_ok=True)
                self._dir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
            self._staged[target] = self._dir / target.name
        return self._staged[target]

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if kind is None:
                self._commit()
        finally:
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)

    def _commit(self) -> None:
        for target in self.targets:
            staged = self._staged.get(target)
            if staged is not None and staged.exists():
                _replace(staged, target)
            elif target.exists() or target.is_symlink():
                _remove(target)


def real_path(path: str | Path) -> Path:
    """The path with every link followed; a loop of links is left as it is (``Path.resolve`` raises)."""
    return Path(os.path.realpath(path))


def _replace(staged: Path, target: Path) -> None:
    """Move ``staged`` to ``target``; a directory (or a file where a directory comes) already there is
    moved aside first, then removed."""
    if target.exists() and (target.is_dir() or staged.is_dir()):
        aside = target.with_name(f".{target.name}.replaced")
        _remove(aside)
        os.replace(target, aside)
        os.replace(staged, target)
        _remove(aside)
    else:
        os.replace(staged, target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
