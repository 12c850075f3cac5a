"""Soundness (contract §6): a status other than ``undetermined`` that a treatment family or option
gets on a partial case is the status it gets on every valid completion of that case, except where
the item names a pending safety check whose bad result withholds it. ``not_indicated`` and
``avoid`` count as one answer; tests are exempt (they may be asked for because a factor is unknown).

Partial cases are drawn with a random share of their fields known; each is completed several times
by filling every unknown field with a random allowed value. Contradictory partials and completions
(the knowledge's consistency checks and implied facts) are not valid and are left out. Both frames
go through ``assess_cohort``, the path every case takes. A hypothesis seed drives numpy's generator,
so a failure is reproduced by its seed; the examples are derandomised, so the test command always
checks the same pairs (at least 100,000).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bonemets
from bonemets import FIELDS, assess_cohort
from bonemets.columns import encode
from bonemets.decision import RANK
from bonemets.evaluation import evaluate, plan
from bonemets.vocabulary import STATUSES

pytestmark = pytest.mark.core

KB = bonemets.knowledge()
PARTIALS, COMPLETIONS, EXAMPLES = 1_000, 12, 10  # 120,000 pairs drawn; contradictory ones are left out
MIN_PAIRS = 100_000
#: Typical clinical values, drawn half the time (the plausible range the other half), so that the
#: thresholds the rules use (corrected calcium 2.0-3.1 mmol/L, clearance 30-60 mL/min) are crossed.
TYPICAL = {"age": (30, 90), "calcium_mmol_l": (1.8, 3.6), "albumin_g_l": (20, 50), "creatinine_umol_l": (40, 300),
           "weight_kg": (40, 120), "bone_lesion_count": (1, 6), "months_since_chemotherapy": (0, 24),
           "years_since_primary_diagnosis": (0, 15)}
TREATMENTS = [i for i in plan(KB).items if KB.kind(i) in ("family", "option")]
RANKS = np.array([RANK.get(i, -1) for i in range(len(STATUSES))])


def _values(name: str, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random allowed values of one field, as the cohort reads them."""
    spec = FIELDS[name]
    if spec.kind == "enum":
        return np.array(spec.allowed, dtype=object)[rng.integers(0, len(spec.allowed), n)]
    if spec.kind == "bool":
        return rng.integers(0, 2, n).astype(bool).astype(object)
    if spec.kind == "list":
        size = len(spec.allowed)
        words = [";".join(v for i, v in enumerate(spec.allowed) if m >> i & 1) or "[]" for m in range(1 << size)]
        low = 1 if name == "bone_sites" else 0  # a known bone_sites list is never empty
        return np.array(words, dtype=object)[rng.integers(low, 1 << size, n)]
    least, most = spec.plausible
    typical = TYPICAL.get(name, (least, most))
    lo, hi = np.where(rng.random(n) < 0.5, typical[0], least), np.where(rng.random(n) < 0.5, typical[1], most)
    x = rng.uniform(np.minimum(lo, hi), np.maximum(lo, hi))
    return np.round(x) if spec.kind == "int" else np.round(x, 2)


def _frame(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(v, dtype=object if v.dtype == object else float) for k, v in columns.items()})


def _fill(columns: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every unknown cell (None or NaN) filled with a random allowed value that does not contradict
    the row's other values (the checks of consistency.yaml and implied.yaml, by hand)."""
    out = {k: v.copy() for k, v in columns.items()}
    n = len(next(iter(out.values())))

    def unknown(name: str) -> np.ndarray:
        v = out[name]
        return np.isnan(v) if v.dtype != object else np.array([x is None for x in v])

    def put(name: str, where: np.ndarray, values: np.ndarray) -> None:
        out[name] = np.where(where & unknown(name), values, out[name])

    for name in FIELDS:  # first, the fields no check involves
        if name not in _CHECKED:
            put(name, np.ones(n, bool), _values(name, rng, n))
    put("primary", out["castration_resistant"] == True, np.full(n, "prostate", dtype=object))  # noqa: E712
    put("primary", out["sex"] == "female", np.array(["breast", "lung", "kidney", "thyroid", "other"],
                                                    dtype=object)[rng.integers(0, 5, n)])
    put("primary", np.ones(n, bool), _values("primary", rng, n))
    male = ((out["primary"] == "prostate") | (out["menopause"] == "not_applicable")
            | (out["could_become_pregnant"] == False))  # noqa: E712  (a man cannot be pregnant; a woman may not be)
    female = np.isin(out["menopause"], ["pre", "post"]) | (out["could_become_pregnant"] == True)  # noqa: E712
    put("sex", female, np.full(n, "female", dtype=object))
    put("sex", male & (out["primary"] == "prostate") | (out["menopause"] == "not_applicable"),
        np.full(n, "male", dtype=object))
    put("sex", np.ones(n, bool), _values("sex", rng, n))
    put("castration_resistant", out["primary"] != "prostate", np.full(n, False, dtype=object))
    put("castration_resistant", np.ones(n, bool), _values("castration_resistant", rng, n))
    sites = FIELDS["bone_sites"].allowed
    most = np.where(np.isnan(out["bone_lesion_count"]), len(sites), np.minimum(out["bone_lesion_count"], len(sites)))
    k = rng.integers(1, most.astype(int) + 1)  # no more sites than lesions
    chosen = rng.random((n, len(sites))).argsort(axis=1) < k[:, None]
    words = np.array([";".join(v for v, c in zip(sites, row, strict=True) if c) for row in chosen], dtype=object)
    put("bone_sites", np.ones(n, bool), words)
    count = np.array([len(str(v).split(";")) for v in out["bone_sites"]], dtype=float)
    put("bone_lesion_count", np.ones(n, bool), np.maximum(count, _values("bone_lesion_count", rng, n)))
    young = (out["sex"] == "female") & ((out["menopause"] == "pre") | (out["could_become_pregnant"] == True))  # noqa: E712
    put("age", young, rng.integers(18, 60, n).astype(float))
    put("age", np.ones(n, bool), _values("age", rng, n))
    woman = out["sex"] == "female"
    put("menopause", ~woman, np.full(n, "not_applicable", dtype=object))
    put("menopause", woman & ((out["age"] >= 60) | (out["could_become_pregnant"] == False)),  # noqa: E712
        np.full(n, "post", dtype=object))
    put("menopause", woman & (out["could_become_pregnant"] == True), np.full(n, "pre", dtype=object))  # noqa: E712
    put("menopause", woman, np.array(["pre", "post"], dtype=object)[rng.integers(0, 2, n)])
    put("could_become_pregnant", (out["sex"] == "male") | (out["menopause"] == "post"), np.full(n, False, dtype=object))
    put("could_become_pregnant", np.ones(n, bool), _values("could_become_pregnant", rng, n))
    label = out["triple_negative"]
    for receptor in ("er", "pr"):
        put(receptor, label == True, np.full(n, "negative", dtype=object))  # noqa: E712
        put(receptor, np.ones(n, bool), _values(receptor, rng, n))
    put("her2", label == True, np.array(["negative", "low"], dtype=object)[rng.integers(0, 2, n)])  # noqa: E712
    triple_unfilled = (label == False) & unknown("her2") & (out["er"] == "negative") & (out["pr"] == "negative")  # noqa: E712
    put("her2", triple_unfilled, np.full(n, "positive", dtype=object))
    put("her2", np.ones(n, bool), _values("her2", rng, n))
    triple = (out["er"] == "negative") & (out["pr"] == "negative") & np.isin(out["her2"], ["negative", "low"])
    put("triple_negative", np.ones(n, bool), triple.astype(object))
    put("prior_chemotherapy", ~unknown("months_since_chemotherapy"), np.full(n, True, dtype=object))
    put("prior_chemotherapy", np.ones(n, bool), _values("prior_chemotherapy", rng, n))
    put("months_since_chemotherapy", out["prior_chemotherapy"] == True, _values("months_since_chemotherapy", rng, n))  # noqa: E712
    resistant = np.isin(out["endocrine_resistance"], ["primary", "secondary"])
    some = _values("prior_endocrine_therapy", rng, n)
    put("prior_endocrine_therapy", resistant, np.where(some == "[]", "tamoxifen", some))
    put("prior_endocrine_therapy", np.ones(n, bool), some)
    put("prior_endocrine_therapy", (out["prior_cdk46_inhibitor"] == True) & (out["primary"] == "breast"),  # noqa: E712
        np.where(some == "[]", "aromatase_inhibitor", some))
    put("endocrine_resistance", out["prior_endocrine_therapy"] == "[]", np.full(n, "none", dtype=object))
    put("endocrine_resistance", np.ones(n, bool), _values("endocrine_resistance", rng, n))
    put("prior_cdk46_inhibitor", (out["prior_endocrine_therapy"] == "[]") & (out["primary"] == "breast"),
        np.full(n, False, dtype=object))
    put("prior_cdk46_inhibitor", np.ones(n, bool), _values("prior_cdk46_inhibitor", rng, n))
    return out


#: The fields a consistency check or an implication involves (filled together by :func:`_fill`).
_CHECKED = {"primary", "sex", "castration_resistant", "bone_sites", "bone_lesion_count",
            "age", "menopause", "could_become_pregnant", "er", "pr", "her2", "triple_negative",
            "prior_chemotherapy", "months_since_chemotherapy", "prior_endocrine_therapy", "endocrine_resistance",
            "prior_cdk46_inhibitor"}


def _empty(n: int) -> dict[str, np.ndarray]:
    return {name: np.full(n, np.nan) if spec.kind in ("int", "float") else np.full(n, None, dtype=object)
            for name, spec in FIELDS.items()}


def draw_pairs(seed: int, partials: int = PARTIALS, completions: int = COMPLETIONS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Partial cases and their completions (row ``i * completions + j`` completes partial ``i``).

    Each partial is a random valid case with a random share of its fields forgotten, so it is
    valid too; each completion fills the forgotten fields again, differently."""
    rng = np.random.default_rng(seed)
    truth = _fill(_empty(partials), rng)
    share = rng.random(partials)  # each partial knows its own share of the fields
    partial = {}
    for name, values in truth.items():
        known = rng.random(partials) < share
        partial[name] = np.where(known, values, np.nan if values.dtype != object else None)
    complete = _fill({k: np.repeat(v, completions) for k, v in partial.items()}, rng)
    return _frame(partial), _frame(complete)


def violations(partial: pd.DataFrame, complete: pd.DataFrame, completions: int = COMPLETIONS,
               kb: bonemets.KnowledgeBase = KB) -> tuple[int, list[tuple[int, str, str, str]]]:
    """The number of valid (partial, completion) pairs, and every pair where a decided treatment
    status of the partial does not hold on the completion, unless a safety check pending on the item in
    the partial case holds in the completion (it was named: the tests it names are shown)."""
    p_out, _ = assess_cohort(partial, errors="report", kb=kb)
    c_out, _ = assess_cohort(complete, errors="report", kb=kb)
    valid = np.zeros(len(complete), dtype=bool)
    valid[c_out.index.to_numpy()] = True
    valid &= np.repeat(np.isin(np.arange(len(partial)), p_out.index.to_numpy()), completions)
    p = plan(kb)
    held = _checks_that_hold(complete, kb)
    pending = evaluate(encode(partial), kb).pending  # per item, the checks pending on each partial case
    p_full = p_out.reindex(range(len(partial)))
    c_full = c_out.reindex(range(len(complete)))
    bad = []
    for item in [i for i in p.items if kb.kind(i) in ("family", "option")]:
        before = np.repeat(p_full[item].cat.codes.to_numpy(), completions)
        after = c_full[item].cat.codes.to_numpy()
        decided = valid & (before >= 0) & (before != STATUSES.index("undetermined"))
        changed = decided & (RANKS[before] != RANKS[np.clip(after, 0, None)])
        if not changed.any():
            continue
        named = np.zeros(len(complete), dtype=bool)
        position = p.items.index(item)
        if position in pending:
            checks = np.repeat(pending[position], completions)
            for i, holds in held.items():
                named |= holds & ((checks >> np.uint32(i)) & np.uint32(1)).astype(bool)
        for row in np.flatnonzero(changed & ~named)[:5].tolist():
            bad.append((row // completions, item, STATUSES[before[row]], STATUSES[after[row]]))
    return int(valid.sum()), bad


def _checks_that_hold(frame: pd.DataFrame, kb: bonemets.KnowledgeBase) -> dict[int, np.ndarray]:
    """Per safety check (its bit in a pending mask), where it holds."""
    ev = evaluate(encode(frame), kb)
    rows = plan(kb).program.outputs
    return {i: ev.matrix[rows[check]] == 1 for i, check in enumerate(plan(kb).check_ids)}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)
@given(seed=st.integers(0, 2**32 - 1))
def _check_seed(seed: int) -> None:
    partial, complete = draw_pairs(seed)
    pairs, bad = violations(partial, complete)
    _check_seed.pairs += pairs  # type: ignore[attr-defined]
    assert not bad, f"seed {seed}: partial case {partial.iloc[bad[0][0]].dropna().to_dict()}: {bad[:5]}"


def test_every_decided_treatment_status_holds_on_every_completion():
    _check_seed.pairs = 0  # type: ignore[attr-defined]
    _check_seed()
    assert _check_seed.pairs >= MIN_PAIRS, f"only {_check_seed.pairs:,} valid pairs"  # type: ignore[attr-defined]


def test_the_property_catches_a_family_that_takes_its_best_decided_option(monkeypatch):
    """The aggregation of the first release: a family took the most favourable status among its
    options, ignoring undetermined ones that could be better. The property must find that."""
    import bonemets.evaluation as evaluation

    def best_decided(p, digits, status, pending, small):
        for fam, options in p.families:
            status[fam] = status[options].min(axis=0)

    monkeypatch.setattr(evaluation, "_families", best_decided)
    partial, complete = draw_pairs(seed=1, partials=300, completions=10)
    _, bad = violations(partial, complete, completions=10)
    assert any(KB.kind(item) == "family" for _, item, _, _ in bad)


def test_the_property_catches_a_pending_check_read_as_passed(monkeypatch):
    """An unknown safety check without the pending mark is an unsound answer: drop the marks
    and the property must find a completion where the check withholds the item."""
    import bonemets.evaluation as evaluation

    monkeypatch.setattr(evaluation, "_pending", lambda p, m, decided: {})
    partial, complete = draw_pairs(seed=2, partials=300, completions=10)
    _, bad = violations(partial, complete, completions=10)
    assert any(after == "avoid" for *_, after in bad)
