"""Benchmark of the explorer's update: a control change until cards and figures are rebuilt.

Run with ``.venv/bin/python benchmarks/bench_explorer.py`` (``--changes N``, default 60;
``--profile`` for a cProfile of the figures path). No browser: the explorer widget is built and
each change sets a control's ``value`` exactly as a click does, which runs the same observer as in
Voila; the time ends when every widget holds its new value (the kernel's side of the update).

Two paths are timed, each over the same sequence of distinct changes across teaching cases:

- ``cards``: the default view (Status cards tab open): controls read, case validated, assessment,
  alerts and cards HTML rebuilt and sent; figures are left to be drawn when their tab opens;
- ``cards+figures``: the Figures tab open: the same, plus the three figures
  (``skeleton_map``, ``decision_sankey``, ``schedule_timeline``) rebuilt and sent.

Prints the machine, median and p90 per path, where the time goes, and PASS/MISS against the
target (median <= 100 ms for cards and figures rebuilt).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from typing import Any

import numpy as np

import bonemets
from bonemets.explorer import Explorer, assessment_figures, figure_output, render

from machine import describe  # benchmarks/machine.py

TARGET_MS = 100.0

#: Realistic control changes, in order: (teaching case to start from or None, field, value).
#: Number fields take text, as typed.
CHANGES: list[tuple[str | None, str, Any]] = [
    ("hr_positive_postmenopausal", "her2", "positive"), (None, "her2", "low"), (None, "prior_chemotherapy", True),
    (None, "her2", "unknown"), (None, "her2", "negative"), (None, "er", "negative"), (None, "pr", "negative"),
    (None, "er", "unknown"), (None, "er", "positive"), (None, "menopause", "pre"), (None, "age", "44"),
    (None, "menopause", "post"), (None, "prior_endocrine_therapy", ["aromatase_inhibitor"]),
    (None, "endocrine_resistance", "secondary"), (None, "prior_cdk46_inhibitor", True),
    (None, "visceral_metastases", "present"), (None, "visceral_metastases", "crisis"),
    (None, "visceral_metastases", "none"), (None, "bone_pain", "severe"), (None, "bone_pain", "moderate"),
    (None, "back_pain", True), (None, "neurological_deficit", True), (None, "bladder_bowel_dysfunction", True),
    (None, "neurological_deficit", False), (None, "bone_sites", ["spine", "upper_leg"]),
    (None, "pathological_fracture", True),
    ("renal_impairment", "creatinine_umol_l", "250"), (None, "creatinine_umol_l", "140"), (None, "weight_kg", "55"),
    (None, "age", "81"), (None, "creatinine_umol_l", "90"), (None, "on_bone_strengthening", True),
    (None, "dental_check_done", True), (None, "on_bone_strengthening", False),
    ("hypercalcaemia_low_albumin", "calcium_mmol_l", "2.9"), (None, "albumin_g_l", "38"),
    (None, "hypercalcaemia_symptoms", False), (None, "calcium_mmol_l", "3.4"), (None, "albumin_g_l", ""),
    ("triple_negative", "months_since_chemotherapy", "3"), (None, "could_become_pregnant", True),
    (None, "could_become_pregnant", False), (None, "months_since_chemotherapy", "40"),
    (None, "bone_marrow_involvement", True), (None, "bone_lesion_count", "25"),
    ("receptors_unknown", "her2", "positive"), (None, "pr", "positive"), (None, "menopause", "unknown"),
    (None, "sex", "male"), (None, "menopause", "not_applicable"), (None, "primary", "prostate"),
    (None, "primary", "kidney"),
    (None, "primary", "thyroid"), (None, "primary", "lung"), (None, "prior_radiotherapy_sites", ["spine"]),
    ("spinal_cord_compression", "neurological_deficit", False), (None, "back_pain", False),
    (None, "years_since_primary_diagnosis", "12"), (None, "other_invasive_cancer", True),
    ("her2_positive", "her2", "negative"), (None, "her2", "positive"),
]


def machine() -> list[str]:
    """Lines describing the machine and the versions."""
    return describe("ipywidgets", "plotly", "pandas")


def apply(ex: Explorer, change: tuple[str | None, str, Any]) -> float:
    """Make one change (loading its starting case first, untimed); milliseconds until rebuilt."""
    start_case, field, value = change
    if start_case is not None:
        ex.load_teaching_case(start_case)
    control = ex.controls[field]
    t0 = time.perf_counter()
    if control.spec.kind == "list":
        control.unknown_box.value = False
        control.input.value = tuple(value)
    elif control.spec.kind == "bool":
        control.input.value = {True: "yes", False: "no", None: "unknown"}[value]
    else:
        control.input.value = value
    elapsed = (time.perf_counter() - t0) * 1000
    if ex.error:
        raise SystemExit(f"change {change} gave an invalid case: {ex.error}")
    return elapsed


def run(ex: Explorer, n: int) -> list[float]:
    seq = [CHANGES[i % len(CHANGES)] for i in range(n)]  # CHANGES[0] loads its case: cycles repeat
    for c in CHANGES[:3]:  # warm-up: imports, first figures, caches
        apply(ex, c)
    return [apply(ex, c) for c in seq]


def breakdown(case_ids: list[str]) -> dict[str, float]:
    """Median milliseconds of each step of the update, over the teaching cases."""
    steps: dict[str, list[float]] = {k: [] for k in ("assess", "alerts+cards HTML", "figure functions",
                                                     "figures to JSON outputs")}
    lib = bonemets.teaching_library()
    for cid in case_ids * 3:
        case = lib[cid].case
        t0 = time.perf_counter()
        a = bonemets.assess(case)
        t1 = time.perf_counter()
        render.alerts_html(a), render.cards_html(a)
        t2 = time.perf_counter()
        figs, _ = assessment_figures(a)
        t3 = time.perf_counter()
        [figure_output(f) for f in figs.values()]
        t4 = time.perf_counter()
        for k, v in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            steps[k].append(v * 1000)
    return {k: statistics.median(v) for k, v in steps.items()}


def summary(name: str, ms: list[float]) -> str:
    return (f"{name:<14} n={len(ms):3d}  median {statistics.median(ms):6.1f} ms  "
            f"p90 {float(np.percentile(ms, 90)):6.1f} ms  max {max(ms):6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=60, help="changes per path (>= 50)")
    parser.add_argument("--profile", action="store_true", help="cProfile the cards+figures path")
    args = parser.parse_args(argv)
    print("bench_explorer: control change -> cards and figures rebuilt (no browser)")
    print("\n".join(machine()))
    t0 = time.perf_counter()
    ex = Explorer("hr_positive_postmenopausal")
    ex.build()
    print(f"explorer built in {(time.perf_counter() - t0) * 1000:.0f} ms")

    ex.show_tab("Status cards")
    cards = run(ex, args.changes)
    ex.show_tab("Figures")
    full = run(ex, args.changes)
    print(summary("cards", cards))
    print(summary("cards+figures", full))
    print("where the time goes (median per teaching case, ms):")
    for step, ms in breakdown(list(bonemets.teaching_library())).items():
        print(f"  {step:<26} {ms:6.1f}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(ex, 20)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    ok = statistics.median(full) <= TARGET_MS
    print(f"{'PASS' if ok else 'MISS'} cards+figures median {statistics.median(full):.1f} ms "
          f"(target <= {TARGET_MS:.0f} ms)")
    print(f"{'PASS' if statistics.median(cards) <= TARGET_MS else 'MISS'} cards median "
          f"{statistics.median(cards):.1f} ms (target <= {TARGET_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
