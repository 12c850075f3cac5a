"""What every benchmark prints first: the machine, the versions, the date."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform


def _first(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith(key)), None)
    except OSError:
        return None


def describe(*packages: str) -> list[str]:
    """Lines describing this machine and the versions of ``packages`` (plus bonemets)."""
    import bonemets

    kib = _first("/proc/meminfo", "MemTotal")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    blas = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    versions = ", ".join(f"{p} {importlib.import_module(p).__version__}" for p in packages)
    return [
        f"date:     {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"cpu:      {_first('/proc/cpuinfo', 'model name') or 'unknown'}",
        f"cores:    {os.cpu_count()} ({usable} usable)",
        f"ram:      {int(kib.split()[0]) / 1024**2:.1f} GiB" if kib else "ram:      unknown",
        f"python:   {platform.python_version()} ({platform.python_implementation()}, {platform.machine()})",
        f"packages: {versions}",
        f"bonemets: {bonemets.__version__}, knowledge {bonemets.knowledge().version}",
        f"env:      {blas or 'OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE not set'}",
    ]
