"""Benchmark of the bonemets engine: one case, synthetic cohorts, and cohort vs row by row.

Run with ``.venv/bin/python benchmarks/bench_engine.py`` (``--quick`` for a smoke run,
``--rows N`` for the large cohort, ``--profile`` for a cProfile of both paths). Prints the
machine, the figures and one PASS/MISS line per target:

- ``assess(case)`` median <= 1.5 ms for one teaching-like case (statuses and alerts; the reasons
  are explained when first read: that time is printed too, not a target);
- ``assess_cohort`` on 1,000,000 rows <= 0.45 s (median of 3 runs; scaled when ``--rows`` differs);
- ``assess_cohort`` peak memory <= 300 bytes a row beyond the input frame (tracemalloc);
- ``assess_cohort`` >= 100x faster per row than ``assess`` called row by row.

Generation of the synthetic frames and the conversion of rows to dicts are not timed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

import bonemets
from bonemets import Case, assess, assess_cohort
from bonemets.cohort import row_record, synthetic

from machine import describe  # benchmarks/machine.py

TARGET_CASE_MS = 1.5
TARGET_1M_S = 0.45
TARGET_PEAK_BYTES = 300
TARGET_SPEEDUP = 100.0


def machine() -> list[str]:
    """Lines describing the machine and the versions."""
    return describe("numpy", "pandas")


def teaching_case() -> Case:
    """A teaching-like case: HR-positive breast cancer in the spine and ribs, HER2 not yet known."""
    return Case(
        primary="breast", sex="female", age=58, menopause="post", er="positive", pr="positive",
        her2="unknown", bone_sites=["spine", "ribs"], bone_lesion_count=4, visceral_metastases="none",
        bone_pain="moderate", pathological_fracture=False, back_pain=True, neurological_deficit=False,
        bladder_bowel_dysfunction=False, calcium_mmol_l=2.45, albumin_g_l=36, creatinine_umol_l=78,
        weight_kg=68, prior_endocrine_therapy=["tamoxifen"], endocrine_resistance="none",
        prior_cdk46_inhibitor=False, prior_chemotherapy=True, months_since_chemotherapy=30,
        on_bone_strengthening=False, years_since_primary_diagnosis=6.5, dental_check_done=False,
        could_become_pregnant=False,
    )


def times(fn: Callable[[], object], runs: int, warmup: int) -> list[float]:
    """Wall-clock seconds of ``runs`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def p90(values: list[float]) -> float:
    return float(np.percentile(values, 90))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def profile(fn: Callable[[], object], calls: int = 1, top: int = 20) -> str:
    """cProfile of ``calls`` calls of ``fn``: the functions by cumulative, then by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--rows", type=int, default=None, help="rows of the large cohort (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=None, help="timed runs of assess(case) (default 500)")
    parser.add_argument("--sample", type=int, default=None, help="rows assessed one by one (default 300)")
    parser.add_argument("--case", default=None, metavar="ID",
                        help="time a shipped teaching case (bonemets.teaching_cases()) instead of the built-in one")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of the large cohort run and of 200 assess(case) calls")
    args = parser.parse_args(argv)
    large = args.rows or (100_000 if args.quick else 1_000_000)
    small = min(large, 10_000 if args.quick else 100_000)
    runs = args.runs or (300 if args.quick else 500)
    sample = args.sample or (100 if args.quick else 300)

    print("bonemets engine benchmark" + (" (--quick)" if args.quick else ""))
    for line in machine():
        print("  " + line)
    print(f"  command: {' '.join([os.path.basename(sys.executable), *sys.argv])}")

    # 1. One case -------------------------------------------------------------------------
    case = bonemets.teaching_cases()[args.case] if args.case else teaching_case()
    label = f"teaching case '{args.case}'" if args.case else "one teaching-like case (HER2 unknown)"
    one = times(lambda: assess(case), runs=runs, warmup=30)
    med_ms, p90_ms = statistics.median(one) * 1e3, p90(one) * 1e3
    print(f"\nassess(case), {label}, {runs} runs after 30 warm-up:")
    print(f"  median {med_ms:.2f} ms, p90 {p90_ms:.2f} ms, min {min(one) * 1e3:.2f} ms")
    explained = times(lambda: assess(case).recommendations, runs=runs, warmup=30)
    print(f"  with every recommendation's reasons read: median {statistics.median(explained) * 1e3:.2f} ms")

    # 2. Cohorts --------------------------------------------------------------------------
    print("\nassess_cohort on synthetic(n, seed=0, unknown_rate=0.1), 3 runs each (generation not timed):")
    assess_cohort(synthetic(1_000))  # warm-up
    per_row: dict[int, float] = {}
    frames: dict[int, pd.DataFrame] = {}
    for n in dict.fromkeys((small, large)):
        t0 = time.perf_counter()
        frame = synthetic(n, seed=0)
        generated = time.perf_counter() - t0
        frames[n] = frame
        t = times(lambda frame=frame: assess_cohort(frame), runs=3, warmup=0)
        best, med = min(t), statistics.median(t)
        per_row[n] = med / n
        print(f"  {n:>10,} rows: best {best:.3f} s ({n / best:,.0f} patients/s), "
              f"median {med:.3f} s ({n / med:,.0f} patients/s)   [generated in {generated:.2f} s]")
    t_1m = per_row[large] * 1_000_000
    tracemalloc.start()
    assess_cohort(frames[large])
    peak_per_row = tracemalloc.get_traced_memory()[1] / large
    tracemalloc.stop()
    print(f"  peak memory of assess_cohort beyond the input frame ({large:,} rows, tracemalloc): "
          f"{peak_per_row:.0f} bytes a row")

    # 3. Row by row -----------------------------------------------------------------------
    frame = frames[large]
    positions = np.random.default_rng(1).choice(len(frame), size=min(sample, len(frame)), replace=False)
    records = [row_record(frame, int(i)) for i in positions]  # conversion not timed
    for r in records[:5]:
        assess(r)  # warm-up
    t0 = time.perf_counter()
    for r in records:
        assess(r)
    row_s = (time.perf_counter() - t0) / len(records)
    speedup = row_s / per_row[large]
    print(f"\nassess(dict) row by row on {len(records)} rows of that cohort (dict conversion not timed):")
    print(f"  {row_s * 1e3:.2f} ms per row ({1 / row_s:,.0f} patients/s); assess_cohort "
          f"{per_row[large] * 1e6:.2f} us per row (median, {large:,} rows): speed-up {speedup:,.0f}x")

    # Targets -----------------------------------------------------------------------------
    scaled = "" if large == 1_000_000 else f", scaled from {large:,} rows"
    print("\ntargets:")
    print(f"  {verdict(med_ms <= TARGET_CASE_MS)}  assess(case) median {med_ms:.2f} ms <= {TARGET_CASE_MS:g} ms")
    print(f"  {verdict(t_1m <= TARGET_1M_S)}  assess_cohort 1M rows {t_1m:.2f} s <= {TARGET_1M_S:g} s "
          f"(median of 3{scaled})")
    print(f"  {verdict(peak_per_row <= TARGET_PEAK_BYTES)}  assess_cohort peak memory {peak_per_row:.0f} bytes a row "
          f"<= {TARGET_PEAK_BYTES} bytes")
    print(f"  {verdict(speedup >= TARGET_SPEEDUP)}  cohort speed-up {speedup:,.0f}x >= {TARGET_SPEEDUP:g}x")

    if args.profile:
        print(f"\ncProfile of assess_cohort on {large:,} rows:")
        print(profile(lambda: assess_cohort(frames[large])))
        print("cProfile of 200 calls of assess(case):")
        print(profile(lambda: assess(case), calls=200))
        # Diagnostic, not a target: the same frame with its nullable booleans recoded as
        # categoricals of (False, True), which columns.encode reads by codes.
        recoded = frames[large].copy()
        for name in recoded.columns:
            if recoded[name].dtype == "boolean":
                col = recoded[name]
                codes = np.where(col.isna().to_numpy(), -1, col.to_numpy(dtype=bool, na_value=False))
                recoded[name] = pd.Categorical.from_codes(codes.astype(np.int8), categories=[False, True])
        t = times(lambda: assess_cohort(recoded), runs=3, warmup=0)
        print(f"diagnostic: {large:,} rows with booleans as Categorical([False, True]): "
              f"best {min(t):.3f} s, median {statistics.median(t):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
