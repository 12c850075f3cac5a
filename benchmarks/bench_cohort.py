"""Benchmark of cohort assessment at scale: pandas on 1M rows, Dask on 10M rows.

Run with ``.venv/bin/python benchmarks/bench_cohort.py`` (``--quick`` for a smoke run with
100,000 / 1,000,000 rows). Every configuration runs in a fresh subprocess, so each peak memory
figure belongs to that configuration alone. Prints the machine, each figure and one PASS/MISS
line per target:

- pandas: ``assess_cohort`` on 1,000,000 synthetic rows <= 1 s (median of 3 runs). The frame is
  generated first; generation is **not** in the time, but the frame **is** in the peak memory.
- Dask: 10,000,000 synthetic rows, generated lazily per partition (``dask.dataframe.from_map``
  calling ``synthetic(rows, seed=i)``, so the 10M rows never sit in one process), assessed with
  ``bonemets.assess_cohort(ddf)`` and reduced to status counts of a few items. Generation **is**
  in the time (it cannot be separated from a lazy pipeline). Peak memory <= 3 GB, measured
  twice:

  - threaded scheduler (2 threads, one process): the child's peak RSS (``ru_maxrss``);
  - ``distributed.LocalCluster`` (2 worker processes, 1 thread each, ``memory_limit`` 1.5 GiB
    per worker): the peak of the summed RSS of the child (client, scheduler and nannies run in
    it) and every process under it (the workers, multiprocessing's resource tracker), sampled
    with psutil every 50 ms. Run twice: with distributed's defaults, which set
    ``MALLOC_TRIM_THRESHOLD_=65536`` in the workers, and with that variable unset.

The figures are recorded in ``docs/cohorts.md``. Not a test: nothing fails, it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

from machine import describe  # benchmarks/machine.py

TARGET_PANDAS_S = 1.0  # assess_cohort on 1M rows
TARGET_DASK_GB = 3.0  # peak memory of the 10M-row Dask run
ITEMS = ["receptor_retest", "her2_targeted", "aromatase_inhibitor", "ovarian_suppression", "bone_strengthening"]
GB = 1e9


# --------------------------------------------------------------------------- machine


def machine() -> list[str]:
    """Lines describing the machine and the versions."""
    return describe("numpy", "pandas", "dask", "distributed", "pyarrow", "psutil")


# --------------------------------------------------------------------------- children


def peak_rss_self() -> float:
    """Peak resident memory of this process so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0


class TreeSampler:
    """Samples the summed RSS of this process and all its descendants in a thread."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self._me = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.peak = 0.0
        self.peak_processes: list[str] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total, names = 0.0, []
            for p in [self._me, *self._me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                    names.append(_describe(p))
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            if total > self.peak:
                self.peak, self.peak_processes = total, names
            self._stop.wait(self._interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def _describe(process: Any) -> str:
    """A short name for a process of the tree: this one, a Dask worker, or its command."""
    import psutil

    if process.pid == os.getpid():
        return "benchmark (client, scheduler, nannies)"
    try:
        cmd = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return "process"
    if "resource_tracker" in cmd:
        return "multiprocessing resource tracker"
    if "spawn_main" in cmd or "forkserver" in cmd:
        return "worker"
    return process.name()


def child_pandas(rows: int) -> dict[str, Any]:
    import bonemets
    from bonemets.cohort import synthetic

    bonemets.assess_cohort(synthetic(1_000))  # warm-up: knowledge loaded, code paths compiled
    t0 = time.perf_counter()
    frame = synthetic(rows, seed=0)
    generated = time.perf_counter() - t0
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = bonemets.assess_cohort(frame)
        times.append(time.perf_counter() - t0)
        del result
    return {"rows": rows, "generate_s": generated, "times": times,
            "frame_bytes": int(frame.memory_usage(deep=True).sum()),
            "peak_rss": peak_rss_self()}


def _dask_counts(rows: int, partition_rows: int) -> tuple[Any, int]:
    """The lazy pipeline: synthetic partitions -> assess_cohort -> status counts per partition."""
    import dask.dataframe as dd
    import pandas as pd

    import bonemets
    from bonemets.cohort import synthetic

    sizes = [partition_rows] * (rows // partition_rows) + ([rows % partition_rows] if rows % partition_rows else [])
    cases = dd.from_map(synthetic, sizes, list(range(len(sizes))), meta=synthetic(0))
    result = bonemets.assess_cohort(cases)[ITEMS]
    meta = pd.DataFrame({item: pd.Series(dtype="int64") for item in ITEMS}, index=pd.Index([], dtype=object))
    counts = result.map_partitions(_partition_counts, meta=meta)
    return counts, len(sizes)


def _partition_counts(part: Any) -> Any:
    """Status counts of one assessed partition: statuses as rows, items as columns."""
    import pandas as pd

    return pd.DataFrame({c: part[c].value_counts(sort=False) for c in part.columns}).astype("int64")


def child_dask(rows: int, partition_rows: int, scheduler: str) -> dict[str, Any]:
    import dask

    out: dict[str, Any] = {"rows": rows, "partition_rows": partition_rows, "scheduler": scheduler}
    if scheduler == "threads":
        with dask.config.set(scheduler="threads", num_workers=2):
            counts, out["partitions"] = _dask_counts(rows, partition_rows)
            t0 = time.perf_counter()
            table = counts.compute().groupby(level=0, sort=False).sum()
            out["seconds"] = time.perf_counter() - t0
        out["peak_bytes"] = peak_rss_self()
        out["processes"] = ["benchmark (threads)"]
    else:
        import distributed

        # distributed sets MALLOC_TRIM_THRESHOLD_=65536 in its workers by default (to give memory back to the
        # OS); "cluster-notrim" unsets it, leaving glibc's default.
        trim = {} if scheduler == "cluster" else {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
        with dask.config.set(trim), TreeSampler() as sampler, \
                distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="1.5GiB",
                                         dashboard_address=None) as cluster, distributed.Client(cluster):
            counts, out["partitions"] = _dask_counts(rows, partition_rows)
            t0 = time.perf_counter()
            table = counts.compute().groupby(level=0, sort=False).sum()
            out["seconds"] = time.perf_counter() - t0
        out["peak_bytes"] = sampler.peak
        out["processes"] = sampler.peak_processes
        out["memory_limit"] = "1.5GiB per worker"
    out["counts"] = {item: {str(k): int(v) for k, v in table[item].items()} for item in ITEMS}
    out["total_rows_counted"] = int(table[ITEMS[0]].sum())
    return out


# --------------------------------------------------------------------------- parent


def run_child(args: list[str]) -> dict[str, Any]:
    """Run one configuration in a fresh interpreter; its last stdout line is a JSON object."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", *args],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {' '.join(args)} failed with exit code {proc.returncode}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = time.perf_counter() - t0
    return out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 (pandas) and 1,000,000 (Dask) rows")
    parser.add_argument("--pandas-rows", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--dask-rows", type=int, default=None, help="default 10,000,000")
    parser.add_argument("--partition-rows", type=int, default=250_000, help="rows per Dask partition")
    parser.add_argument("--skip-cluster", action="store_true", help="Dask with the threaded scheduler only")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, *rest = args.child
        if kind == "pandas":
            out = child_pandas(int(rest[0]))
        else:
            out = child_dask(int(rest[0]), int(rest[1]), rest[2])
        print(json.dumps(out))
        return 0

    pandas_rows = args.pandas_rows or (100_000 if args.quick else 1_000_000)
    dask_rows = args.dask_rows or (1_000_000 if args.quick else 10_000_000)
    print("bonemets cohort benchmark" + (" (--quick)" if args.quick else ""))
    for line in machine():
        print("  " + line)
    print(f"  command: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    print("  each configuration in a fresh subprocess; peak memory is that subprocess's (and its children's)")

    # pandas --------------------------------------------------------------------------------
    p = run_child(["pandas", str(pandas_rows)])
    med, best = statistics.median(p["times"]), min(p["times"])
    print(f"\npandas: assess_cohort on synthetic({pandas_rows:,}, seed=0), 3 runs (generation not timed):")
    print(f"  median {med:.3f} s ({pandas_rows / med:,.0f} patients/s), best {best:.3f} s "
          f"({pandas_rows / best:,.0f} patients/s)")
    print(f"  generated in {p['generate_s']:.2f} s; frame {p['frame_bytes'] / 1e6:,.0f} MB; "
          f"peak RSS {p['peak_rss'] / GB:.2f} GB (frame and results included)")
    t_1m = med * 1_000_000 / pandas_rows

    # Dask ----------------------------------------------------------------------------------
    runs = [("threads", "threaded scheduler, 2 threads, one process")]
    if not args.skip_cluster:
        cluster = "LocalCluster, 2 worker processes x 1 thread, memory_limit 1.5 GiB each"
        runs.append(("cluster", f"{cluster}, distributed's defaults (MALLOC_TRIM_THRESHOLD_=65536 in workers)"))
        runs.append(("cluster-notrim", f"{cluster}, MALLOC_TRIM_THRESHOLD_ unset in workers"))
    dask_out = {}
    for scheduler, label in runs:
        d = run_child(["dask", str(dask_rows), str(args.partition_rows), scheduler])
        dask_out[scheduler] = d
        if scheduler == "threads":
            where = "peak RSS of the process"
        else:
            names = ", ".join(f"{n} x{d['processes'].count(n)}" for n in dict.fromkeys(d["processes"]))
            where = f"peak of the summed RSS of {len(d['processes'])} processes ({names})"
        print(f"\nDask, {label}:")
        print(f"  {dask_rows:,} rows in {d['partitions']} partitions of {args.partition_rows:,} generated lazily "
              f"(from_map -> synthetic), assessed, reduced to status counts of {len(ITEMS)} items")
        print(f"  {d['seconds']:.1f} s including generation ({dask_rows / d['seconds']:,.0f} patients/s); "
              f"{where}: {d['peak_bytes'] / GB:.2f} GB; rows counted {d['total_rows_counted']:,}")
        print("  receptor_retest: " + ", ".join(f"{k} {v:,}" for k, v in d["counts"]["receptor_retest"].items()))

    # Targets -------------------------------------------------------------------------------
    scaled = "" if pandas_rows == 1_000_000 else f", scaled from {pandas_rows:,} rows"
    print("\ntargets:")
    print(f"  {verdict(t_1m <= TARGET_PANDAS_S)}  pandas assess_cohort 1M rows {t_1m:.2f} s <= {TARGET_PANDAS_S:g} s "
          f"(median of 3{scaled})")
    for scheduler, d in dask_out.items():
        print(f"  {verdict(d['peak_bytes'] / GB <= TARGET_DASK_GB)}  Dask ({scheduler}) {dask_rows:,} rows peak memory "
              f"{d['peak_bytes'] / GB:.2f} GB <= {TARGET_DASK_GB:g} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
