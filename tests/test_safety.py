"""Safety properties: one hypothesis property per hazard of ``docs/safety/hazard-log.md``.

Each test is named after the hazard it guards (``test_hazNN_...``) and states it in its
docstring. Cases are drawn from ``bonemets.FIELDS`` by :func:`cases`: every field is unknown
(absent, ``None`` or ``"unknown"``) or a value its FieldSpec allows, and the contradictions of
``data/knowledge/consistency.yaml`` are avoided while drawing, so no case is discarded (the
cohort is assessed with ``errors="raise"``, so a contradictory case would fail the test).
Cases are assessed in batches with ``assess_cohort`` (row i equals ``assess(row i)``;
``test_haz18_...`` re-checks that on a sample).

A property test draws only the fields that the rules of its items and alerts read (found
from the knowledge, so a field read by a new rule is drawn automatically); the other fields
stay unknown, since they cannot change those items. Lab values are moved next to the
thresholds the rules use (corrected calcium 2.6 and 3.1 mmol/L, creatinine clearance
30 mL/min) in part of the cases. Every property test asserts that it saw at least
``MIN_CASES`` cases to which its property applies.

A property that fails because the knowledge base is wrong is kept, marked
``xfail(strict=True)`` with its hazard id and an explicit counterexample (none is open now); the hazard log
names the rule. ``test_haz16_...`` breaks one rule in a copy of the knowledge per property
and shows that the property then fails.

Run: ``.venv/bin/python -m pytest -q tests/test_safety.py --durations=5``
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import bonemets
from bonemets import DISCLAIMER, FIELDS, InvalidCaseError, assess, assess_cohort
from bonemets.columns import DERIVED
from bonemets.labels import shown_number

pytestmark = pytest.mark.core  # needs only the core dependencies (make test-core)

KB = bonemets.knowledge()
MIN_CASES = 1000  # cases per property to which the property applies
EXAMPLES = 21  # hypothesis examples per property; a batch holds 50 cases: 1,050 cases
YES = ("recommended", "consider")
NO = ("not_indicated", "avoid")
ENDOCRINE = ("aromatase_inhibitor", "tamoxifen", "fulvestrant", "ovarian_suppression")
HORMONE_DEPENDENT = ENDOCRINE + ("cdk46_inhibitor", "mtor_inhibitor")
RECEPTORS = ("er", "pr", "her2")

# --------------------------------------------------------------------------- drawing cases

# Numbers are drawn at the precision labs and scales report them (calcium 0.01 mmol/L,
# albumin 0.25 g/L so that corrected calcium can land exactly on a half-up edge, creatinine
# 1 µmol/L, weight and years 0.1): at that precision the exact arithmetic of this file and
# the engine's floating point (round_half_up absorbs 1e-9 of noise) agree at every edge.
_DENOMINATOR = {"calcium_mmol_l": 100, "albumin_g_l": 4, "creatinine_umol_l": 1, "weight_kg": 10,
                "years_since_primary_diagnosis": 10, "pd_l1_cps": 1, "platelets_e9_l": 1}


@functools.cache
def pick(*values: Any) -> st.SearchStrategy:
    """``st.sampled_from(values)``, built once (building strategies in a hot loop is slow)."""
    return st.sampled_from(values)


@functools.cache
def ints(low: int, high: int) -> st.SearchStrategy:
    return st.integers(low, high)


@functools.cache
def some_of(*values: Any) -> st.SearchStrategy:
    return st.lists(st.sampled_from(values), min_size=1, max_size=4, unique=True)


BOOL = st.booleans()


def _known(name: str) -> st.SearchStrategy:
    """A known value of a field, as its FieldSpec allows."""
    spec = FIELDS[name]
    if spec.kind == "enum":
        return st.sampled_from(spec.allowed)
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "int":
        return st.integers(int(spec.ge), int(spec.le))
    if spec.kind == "float":
        d = _DENOMINATOR[name]
        return st.integers(math.ceil(spec.ge * d), math.floor(spec.le * d)).map(lambda k: k / d)
    order = spec.allowed.index
    return st.lists(st.sampled_from(spec.allowed), unique=True,
                    min_size=1 if name == "bone_sites" else 0).map(lambda xs: sorted(xs, key=order))


@functools.cache
def _unknown(name: str) -> st.SearchStrategy:
    """The ways a field can be unknown: absent/None, or "unknown" where it is allowed."""
    return st.sampled_from((None, "unknown")) if FIELDS[name].has_unknown else st.none()


KNOWN = {n: _known(n) for n in FIELDS}
ANY = {n: (st.sampled_from((None,) + FIELDS[n].allowed + (("unknown",) if FIELDS[n].has_unknown else ()))
           if FIELDS[n].kind == "enum" else st.sampled_from((None, True, False)) if FIELDS[n].kind == "bool"
           else st.none() | KNOWN[n]) for n in FIELDS}
ALL_FIELDS = frozenset(FIELDS)
#: Mostly breast cancer (where the hormone and HER2 rules apply), sometimes anything else.
MOSTLY_BREAST = st.sampled_from(("breast",) * 6 + (None, "unknown") + FIELDS["primary"].allowed[1:])
#: As MOSTLY_BREAST for a woman's case: a prostate primary is a man's (implied.yaml).
WOMANS = st.sampled_from(("breast",) * 6 + (None, "unknown")
                         + tuple(p for p in FIELDS["primary"].allowed[1:] if p != "prostate"))


class Drawn(dict):
    """A drawn case: a dict of every field, shown with its known fields only."""

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in self.items() if v is not None) + "}"


def is_unknown(value: Any) -> bool:
    return value is None or value == "unknown" or (isinstance(value, float) and math.isnan(value))


def fields_read(targets: list[str], kb=KB) -> frozenset[str]:
    """The case fields that the rules for these items and alerts read (a family's options
    included; a derived number stands for its inputs)."""
    names: set[str] = set()
    todo = list(targets)
    for target in todo:
        if target in kb.families:
            todo += kb.options_of(target)
        for rule in kb.rules_for(target):
            for atom in rule.condition.atoms():
                names.update(DERIVED[atom.field].inputs if atom.field in DERIVED else (atom.field,))
    return frozenset(names)


def _sex_ok(sex: Any, menopause: Any, pregnant: Any) -> bool:
    """consistency.yaml: female_not_applicable; implied.yaml: male_menopause, male_pregnancy,
    menopause_not_pregnant, menopause_is_female, could_become_pregnant_is_female."""
    if menopause == "post" and pregnant is True:
        return False
    womans = menopause in ("pre", "post") or pregnant is True  # implied female (menopause_is_female, ...)
    if sex == "male":
        return not womans
    if sex == "female" or womans:
        return menopause != "not_applicable"
    return True


def _repair(draw, c: dict, pinned: set[str]) -> None:
    """Redraw the fields that contradict each other (consistency.yaml), never a pinned one."""
    sites, count = c["bone_sites"], c["bone_lesion_count"]
    if isinstance(sites, list) and not is_unknown(count) and count < len(set(sites)):  # *_sites_at_least_*_lesions
        if "bone_lesion_count" not in pinned:
            c["bone_lesion_count"] = len(set(sites))
        else:
            c["bone_sites"] = sorted(set(sites))[:max(1, int(count))]
    if c["primary"] == "prostate" and c["sex"] == "female":  # prostate_cancer_is_male
        if "primary" not in pinned:
            c["primary"] = draw(pick(None, "breast", "lung"))
        else:
            c["sex"] = draw(pick(None, "unknown", "male"))
    if c["menopause"] == "post" and c["could_become_pregnant"] is True:  # menopause_not_pregnant
        if "could_become_pregnant" not in pinned:
            c["could_become_pregnant"] = draw(pick(None, False))
        else:
            c["menopause"] = draw(pick(None, "unknown", "pre"))
    implied_man = c["primary"] == "prostate" and is_unknown(c["sex"])  # no menopause, no pregnancy
    if implied_man and not _sex_ok("male", c["menopause"], c["could_become_pregnant"]):
        if "primary" not in pinned:
            c["primary"] = draw(pick(None, "breast", "lung"))
        else:
            if "menopause" not in pinned:
                c["menopause"] = draw(pick(None, "unknown", "not_applicable"))
            if "could_become_pregnant" not in pinned:
                c["could_become_pregnant"] = draw(pick(None, False))
    sex, meno, preg = c["sex"], c["menopause"], c["could_become_pregnant"]
    if not _sex_ok(sex, meno, preg):
            if "menopause" not in pinned:
                c["menopause"] = meno = draw(pick(None, "unknown", "not_applicable"))
            if "could_become_pregnant" not in pinned:
                c["could_become_pregnant"] = preg = draw(pick(None, False))
            if not _sex_ok(sex, meno, preg) and "primary" not in pinned:
                c["primary"] = draw(pick(None, "breast", "lung"))
                sex = c["sex"]
    if not _sex_ok(sex, meno, preg):
        sexes = [s for s in (None, "unknown", "female", "male") if _sex_ok(s, meno, preg)]
        if not sexes and "menopause" not in pinned:  # no sex fits (a pregnancy with no menopause)
            c["menopause"] = meno = None
            sexes = [s for s in (None, "unknown", "female", "male") if _sex_ok(s, meno, preg)]
        if "sex" not in pinned and sexes:
            c["sex"] = draw(pick(*sexes))
        else:
            if "menopause" not in pinned and not _sex_ok(sex, meno, None):
                c["menopause"] = draw(pick(
                    *[m for m in (None, "unknown", "pre", "post", "not_applicable") if _sex_ok(sex, m, None)]))
            if "could_become_pregnant" not in pinned and not _sex_ok(sex, None, preg):
                c["could_become_pregnant"] = draw(pick(None, False))
    # triple_negative_label_positive / triple_negative_label_negative
    positive = "positive" in (c["er"], c["pr"], c["her2"])
    triple = c["er"] == "negative" and c["pr"] == "negative" and c["her2"] in ("negative", "low")
    label = c["triple_negative"]
    if (label is True and positive) or (label is False and triple):
        if "triple_negative" not in pinned:
            c["triple_negative"] = draw(pick(None, False) if positive else pick(None, True))
        elif label is True:
            for r in RECEPTORS:
                if c[r] == "positive" and r not in pinned:
                    c[r] = None
        else:
            c[next(r for r in RECEPTORS if r not in pinned)] = None
    # chemotherapy_timing_without_chemotherapy
    if c["prior_chemotherapy"] is False and c["months_since_chemotherapy"] is not None:
        if "months_since_chemotherapy" not in pinned:
            c["months_since_chemotherapy"] = None
        else:
            c["prior_chemotherapy"] = draw(pick(None, True))
    # no_endocrine_therapy_no_resistance
    if c["endocrine_resistance"] in ("primary", "secondary") and c["prior_endocrine_therapy"] == []:
        if "endocrine_resistance" not in pinned:
            c["endocrine_resistance"] = draw(pick(None, "unknown", "none"))
        else:
            c["prior_endocrine_therapy"] = draw(st.none() | KNOWN["prior_endocrine_therapy"].filter(bool))
    assert _sex_ok(c["sex"], c["menopause"], c["could_become_pregnant"]), f"pins contradict: {c}"
    if c["castration_resistant"] is True and c["primary"] not in (None, "unknown", "prostate"):
        if "castration_resistant" not in pinned:  # castration_resistance_not_prostate
            c["castration_resistant"] = draw(pick(None, False))
        else:
            c["primary"] = None
    if c["primary"] == "breast" and c["prior_endocrine_therapy"] == [] and c["prior_cdk46_inhibitor"] is True:
        if "prior_cdk46_inhibitor" not in pinned:  # no_endocrine_therapy_no_cdk46
            c["prior_cdk46_inhibitor"] = draw(pick(None, False))
        elif "prior_endocrine_therapy" not in pinned:
            c["prior_endocrine_therapy"] = draw(st.none() | KNOWN["prior_endocrine_therapy"].filter(bool))
        else:
            c["primary"] = None


SITES = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}  # bone sites named: at least as many lesions
REPAIRED = {"male_menopause", "female_not_applicable", "male_pregnancy", "menopause_not_pregnant",
            "prostate_cancer_is_male", "castration_resistance_not_prostate",
            *(f"{w}_sites_at_least_{w}_lesions" for w in SITES.values()),
            "triple_negative_label_positive",
            "triple_negative_label_negative", "chemotherapy_timing_without_chemotherapy",
            "no_endocrine_therapy_no_resistance", "no_endocrine_therapy_no_cdk46", "menopause_is_female",
            "could_become_pregnant_is_female"}


def _near_edges(draw, c: dict, pinned: set[str]) -> None:
    """Move some lab values next to the thresholds the rules compare them with."""
    if not is_unknown(c["calcium_mmol_l"]) and not is_unknown(c["albumin_g_l"]) and "calcium_mmol_l" not in pinned:
        edge = draw(pick(None, Fraction(26, 10), Fraction(31, 10)))
        if edge is not None:  # corrected calcium within ±0.06 of 2.6 or 3.1, edges included
            base = edge - Fraction(2, 100) * (40 - Fraction(str(c["albumin_g_l"])))
            k = math.floor(base * 100) + draw(ints(-6, 6))
            c["calcium_mmol_l"] = min(max(k, 50), 600) / 100
    renal = ("age", "weight_kg", "creatinine_umol_l")
    if (all(not is_unknown(c[f]) for f in renal) and c["sex"] in ("female", "male")
            and "creatinine_umol_l" not in pinned and draw(BOOL)):
        c["creatinine_umol_l"] = _creatinine_for(c, Fraction(draw(ints(40, 80)), 2))  # CrCl 20-40


def _creatinine_for(c: dict, crcl: Fraction) -> float:
    """The whole µmol/L creatinine that gives about this creatinine clearance."""
    exact = (140 - c["age"]) * Fraction(str(c["weight_kg"])) * Fraction("88.4") / (72 * crcl)
    if c["sex"] == "female":
        exact *= Fraction(85, 100)
    return float(min(max(round(exact), 10), 3000))


@st.composite
def cases(draw, fields: frozenset[str] = ALL_FIELDS, then: Callable | None = None, edges: bool = True,
          **pins: Any) -> dict:
    """One valid case as a dict of every field of ``bonemets.FIELDS``.

    fields : the fields drawn (any allowed value, unknown included); the rest stay unknown.
    pins : field -> value or strategy, kept as drawn (contradictions are repaired elsewhere).
    then : ``then(draw, case) -> set of fields`` changes the case after drawing; the fields it
        returns are pinned too.
    """
    assert set(pins) <= set(FIELDS), set(pins) - set(FIELDS)
    c = {}
    for name in FIELDS:
        if name in pins:
            c[name] = draw(pins[name]) if isinstance(pins[name], st.SearchStrategy) else pins[name]
        else:
            c[name] = draw(ANY[name]) if name in fields else None
    pinned = set(pins)
    if then is not None:
        pinned |= then(draw, c)
    if edges:
        _near_edges(draw, c, pinned)
    _repair(draw, c, pinned)
    return Drawn(c)


class Batch(list):
    """Cases assessed together; shown short (a violation's message shows its case, minimised)."""

    def __repr__(self) -> str:
        return f"<batch of {len(self)} cases>"


def batches(*parts: tuple[st.SearchStrategy, int]) -> st.SearchStrategy:
    """A list of cases: ``n`` drawn from each strategy of ``(strategy, n)``."""
    return st.tuples(*(st.lists(s, min_size=n, max_size=n) for s, n in parts)).map(
        lambda groups: Batch(c for group in groups for c in group))


# --------------------------------------------------------------------------- running properties


class Violation(AssertionError):
    """A hazard's property broken by the case at ``index`` of a batch."""

    def __init__(self, message: str, index: int | None = None, what: str = ""):
        super().__init__(message)
        self.index, self.what = index, what


def run(prop: Callable, strategy: st.SearchStrategy, *, kb=None, examples: int = EXAMPLES,
        explicit: tuple = (), minimise: bool = True, derandomize: bool = False) -> Counter:
    """Run ``prop(batch, kb) -> Counter`` on ``examples`` batches; return the summed counts.

    ``derandomize`` draws the same batches on every run (the HAZ-16 tests, which must fail every time).

    Hypothesis does not shrink the batches (re-assessing 50 cases thousands of times takes
    minutes); on a violation the failing case is minimised here instead (:func:`smallest`).
    """
    kb = kb or KB
    seen: Counter = Counter()

    def body(batch):
        try:
            seen.update(prop(batch, kb))
        except Violation as v:
            if not minimise or v.index is None or not isinstance(batch[v.index], dict):
                raise
            raise Violation(f"{v}\nsmallest failing case: {smallest(prop, batch[v.index], v.what, kb)}",
                            v.index, v.what) from None

    test = given(strategy)(body)
    for batch in explicit:
        test = example(batch)(test)
    settings(max_examples=examples, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
             derandomize=derandomize, report_multiple_bugs=False, suppress_health_check=list(HealthCheck))(test)()
    return seen


def smallest(prop: Callable, case: dict, what: str, kb) -> Drawn:
    """The case with as many fields made unknown, and list entries dropped, as keep the same
    violation (making a field unknown cannot create a contradiction; a shortened list can, and
    is then skipped)."""
    case = Drawn(case)
    changed = True
    while changed:
        changed = False
        for name in FIELDS:
            value = case.get(name)
            if value is None:
                continue
            shorter = [[x for x in value if x != y] for y in value] if isinstance(value, list) else []
            for trial_value in [None] + [v for v in shorter if v or name != "bone_sites"]:
                trial = Drawn({**case, name: trial_value})
                try:
                    prop([trial], kb)
                except Violation as v:
                    if v.what == what:
                        case, changed = trial, True
                        break
                except InvalidCaseError:  # e.g. resistance with an emptied list of prior therapy
                    pass
    return case


def assessed(batch: list[dict], kb, urgency: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame([{n: c.get(n) for n in FIELDS} for c in batch], columns=list(FIELDS))
    return assess_cohort(frame, urgency=urgency, kb=kb)


def column(out: pd.DataFrame, name: str) -> np.ndarray:
    return out[name].astype(object).to_numpy()


def values(batch: list[dict], name: str) -> np.ndarray:
    return np.array([c.get(name) for c in batch], dtype=object)


def mask(batch: list[dict], test: Callable[[dict], bool]) -> np.ndarray:
    return np.array([bool(test(c)) for c in batch], dtype=bool)


def never(batch: list[dict], out: pd.DataFrame, bad: np.ndarray, what: str, show: tuple[str, ...]) -> None:
    """Fail naming the hazard, how many cases broke it and the first of them."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        case = {k: v for k, v in batch[i].items() if v is not None}
        got = {c: column(out, c)[i] for c in show}
        raise Violation(f"{what} ({int(bad.sum())} of {len(batch)} cases); first: {case} -> {got}", i, what)


def enough(seen: Counter, key: str = "relevant", minimum: int = MIN_CASES) -> None:
    assert seen[key] >= minimum, f"the property applied to only {seen[key]} cases ({key}); need {minimum}"


# --------------------------------------------------------------------------- independent arithmetic


def corrected_calcium(ca: float, albumin: float) -> Fraction:
    """Ca + 0.02 × (40 − albumin g/L), rounded half up to 0.01 mmol/L, in exact arithmetic."""
    x = Fraction(str(ca)) + Fraction(2, 100) * (40 - Fraction(str(albumin)))
    return Fraction(math.floor(x * 100 + Fraction(1, 2)), 100)


def creatinine_clearance(c: dict) -> Fraction | None:
    """Cockcroft–Gault, (140 − age) × weight / (72 × creatinine mg/dL) × 0.85 for women, with
    mg/dL = µmol/L ÷ 88.4, exact and unrounded (the engine compares the value itself: 29.6 mL/min
    is under 30); None if an input is unknown."""
    if c["sex"] not in ("female", "male") or any(is_unknown(c[f]) for f in ("age", "weight_kg", "creatinine_umol_l")):
        return None
    creatinine_mg_dl = Fraction(str(c["creatinine_umol_l"])) / Fraction("88.4")
    x = (140 - Fraction(c["age"])) * Fraction(str(c["weight_kg"])) / (72 * creatinine_mg_dl)
    if c["sex"] == "female":
        x *= Fraction(85, 100)
    return x


# --------------------------------------------------------------------------- the strategy itself


def test_strategy_draws_valid_cases_and_knows_every_contradiction():
    """The strategy repairs every contradiction of consistency.yaml, and its cases are valid
    for ``Case`` as well as for ``assess_cohort``."""
    assert {c.id for c, _ in KB.consistency} == REPAIRED, "update _repair() for the new consistency entries"
    seen = run(lambda batch, kb: (Counter(cases=len([bonemets.Case(**c) for c in batch]))
                                  + Counter(rows=len(assessed(batch, kb)))),
               batches((cases(), 10)), examples=10)
    assert seen["cases"] == seen["rows"] == 100


# --------------------------------------------------------------------------- HAZ-01


def one_cord_sign(draw, c: dict) -> set[str]:
    c[draw(pick("neurological_deficit", "bladder_bowel_dysfunction"))] = True
    return {"neurological_deficit", "bladder_bowel_dysfunction"}


HAZ01_FIELDS = fields_read(["spinal_cord_compression", "mri", "steroids", "external_beam_radiotherapy"])


def prop_haz01(batch, kb):
    out = assessed(batch, kb, urgency=True)
    signs = mask(batch, lambda c: c["neurological_deficit"] is True or c["bladder_bowel_dysfunction"] is True)
    alert = column(out, "alert:spinal_cord_compression")
    never(batch, out, signs & (alert != "critical"), "HAZ-01: cord-compression signs without a critical alert",
          ("alert:spinal_cord_compression",))
    never(batch, out, signs & ((column(out, "mri") != "recommended") | (column(out, "mri:urgency") != "emergency")),
          "HAZ-01: cord-compression signs without an emergency MRI", ("mri", "mri:urgency"))
    for item in ("steroids", "external_beam_radiotherapy"):
        late = (column(out, item) != "recommended") | (column(out, f"{item}:urgency") != "emergency")
        never(batch, out, signs & late,
              f"HAZ-01: cord-compression signs without emergency {item}", (item, f"{item}:urgency"))
    back = mask(batch, lambda c: c["back_pain"] is True)
    never(batch, out, back & ~np.isin(alert, ("critical", "warning")),
          "HAZ-01: back pain without a cord-compression warning", ("alert:spinal_cord_compression",))
    ruled_out = mask(batch, lambda c: c["neurological_deficit"] is False and c["bladder_bowel_dysfunction"] is False
                     and c["back_pain"] is False)
    never(batch, out, (alert == "not_raised") & ~ruled_out,
          "HAZ-01: cord compression ruled out while a sign of it is unknown", ("alert:spinal_cord_compression",))
    return Counter(cases=len(batch), relevant=int(signs.sum()), back_pain=int(back.sum()))


def check_haz01(**kw):
    return run(prop_haz01, batches((cases(HAZ01_FIELDS, then=one_cord_sign), 40), (cases(HAZ01_FIELDS), 10)), **kw)


def test_haz01_signs_of_cord_compression_are_never_missed():
    """HAZ-01 missed spinal cord compression: neurological deficit or bladder/bowel dysfunction
    -> critical alert, emergency MRI, steroids and radiotherapy; back pain -> at least a warning;
    the alert is only 'not raised' when all three signs are known to be absent."""
    seen = check_haz01(examples=26)
    enough(seen)
    enough(seen, "back_pain", 100)


# --------------------------------------------------------------------------- HAZ-02


def labs_known(draw, c: dict) -> set[str]:
    for f in ("calcium_mmol_l", "albumin_g_l"):
        if is_unknown(c[f]):
            c[f] = draw(KNOWN[f])
    return set()


HAZ02_FIELDS = fields_read(["hypercalcaemia", "iv_fluids"])


def prop_haz02(batch, kb):
    out = assessed(batch, kb)
    alert = column(out, "alert:hypercalcaemia")
    ca = values(batch, "calcium_mmol_l")
    known = mask(batch, lambda c: not is_unknown(c["calcium_mmol_l"]) and not is_unknown(c["albumin_g_l"]))
    corr = np.array([corrected_calcium(c["calcium_mmol_l"], c["albumin_g_l"]) if k else None
                     for c, k in zip(batch, known, strict=True)], dtype=object)
    severe = known & np.array([k and x > Fraction(31, 10) for x, k in zip(corr, known, strict=True)], dtype=bool)
    raised = known & np.array([k and x > Fraction(26, 10) for x, k in zip(corr, known, strict=True)], dtype=bool)
    hidden = raised & np.array([k and Fraction(str(x)) <= Fraction(26, 10) for x, k in zip(ca, known, strict=True)], dtype=bool)
    never(batch, out, severe & (alert != "critical"), "HAZ-02: corrected calcium > 3.1 without a critical alert",
          ("alert:hypercalcaemia",))
    never(batch, out, severe & (column(out, "iv_fluids") != "recommended"),
          "HAZ-02: corrected calcium > 3.1 without IV fluids", ("iv_fluids",))
    never(batch, out, raised & ~np.isin(alert, ("critical", "warning")),
          "HAZ-02: corrected calcium > 2.6 without a hypercalcaemia alert", ("alert:hypercalcaemia",))
    symptom_free = mask(batch, lambda c: c["hypercalcaemia_symptoms"] is False)
    # Albumin unknown: corrected calcium lies between its values at albumin 55 and 10 g/L (the plausible
    # range of albumin_g_l); the engine decides when the whole range agrees.
    no_albumin = mask(batch, lambda c: is_unknown(c["albumin_g_l"]) and not is_unknown(c["calcium_mmol_l"]))
    least = np.array([corrected_calcium(c["calcium_mmol_l"], 55) if k else None
                      for c, k in zip(batch, no_albumin, strict=True)], dtype=object)
    most = np.array([corrected_calcium(c["calcium_mmol_l"], 10) if k else None
                     for c, k in zip(batch, no_albumin, strict=True)], dtype=object)
    normal_anyway = no_albumin & np.array([k and x <= Fraction(26, 10) for x, k in zip(most, no_albumin, strict=True)])
    never(batch, out, (alert == "not_raised") & ~((known & ~raised | normal_anyway) & symptom_free),
          "HAZ-02: hypercalcaemia ruled out without a corrected calcium known to be normal and no symptoms",
          ("alert:hypercalcaemia",))
    severe_anyway = no_albumin & np.array([k and x > Fraction(31, 10) for x, k in zip(least, no_albumin, strict=True)])
    never(batch, out, severe_anyway & (alert != "critical"),
          "HAZ-02: corrected calcium > 3.1 whatever the albumin without a critical alert", ("alert:hypercalcaemia",))
    raised_anyway = no_albumin & np.array([k and x > Fraction(26, 10) for x, k in zip(least, no_albumin, strict=True)])
    never(batch, out, raised_anyway & ~np.isin(alert, ("critical", "warning")),
          "HAZ-02: corrected calcium > 2.6 whatever the albumin without a hypercalcaemia alert",
          ("alert:hypercalcaemia",))
    return Counter(cases=len(batch), relevant=int(known.sum()), hidden=int(hidden.sum()),
                   severe=int(severe.sum()), no_albumin=int(no_albumin.sum()))


def check_haz02(**kw):
    return run(prop_haz02, batches((cases(HAZ02_FIELDS, then=labs_known), 40),
                                   (cases(HAZ02_FIELDS, albumin_g_l=_unknown("albumin_g_l"),
                                          calcium_mmol_l=KNOWN["calcium_mmol_l"]), 10)), **kw)


def test_haz02_hypercalcaemia_is_never_missed_even_when_low_albumin_hides_it():
    """HAZ-02 missed hypercalcaemia: corrected calcium (computed here: Ca + 0.02 × (40 − albumin),
    half up to 0.01) > 3.1 -> critical alert and IV fluids; > 2.6 -> alert raised, also when the
    measured calcium is ≤ 2.6 (low albumin hides it); with albumin unknown the alert is never
    'not raised' and measured calcium > 3.1 is critical."""
    seen = check_haz02(examples=26)
    enough(seen)
    enough(seen, "hidden", 50)  # measured ≤ 2.6 < corrected: the masked cases really were drawn
    enough(seen, "severe", 100)
    enough(seen, "no_albumin", 200)


# --------------------------------------------------------------------------- HAZ-03


HAZ03_FIELDS = fields_read(["her2_targeted"])


def prop_haz03(batch, kb):
    out = assessed(batch, kb)
    her2_zero = values(batch, "her2") == "negative"
    never(batch, out, her2_zero & (column(out, "her2_targeted") != "not_indicated"),
          "HAZ-03: HER2-directed therapy not 'not_indicated' for HER2-0", ("her2_targeted",))
    return Counter(cases=len(batch), relevant=int(her2_zero.sum()))


def check_haz03(**kw):
    return run(prop_haz03, batches((cases(HAZ03_FIELDS, her2="negative"), 50)), **kw)


def test_haz03_no_her2_directed_therapy_for_her2_zero():
    """HAZ-03 HER2-directed therapy suggested for HER2-0 (her2 negative): her2_targeted is
    'not_indicated', never recommended, consider or undetermined."""
    enough(check_haz03())


# --------------------------------------------------------------------------- HAZ-04


HAZ04_FIELDS = fields_read(list(HORMONE_DEPENDENT) + ["endocrine_therapy"])


def prop_haz04(batch, kb):
    out = assessed(batch, kb)
    negative = (values(batch, "er") == "negative") & (values(batch, "pr") == "negative")
    for item in HORMONE_DEPENDENT:
        never(batch, out, negative & np.isin(column(out, item), YES),
              f"HAZ-04: {item} offered for ER− and PR− cancer", (item,))
    breast = values(batch, "primary") == "breast"
    never(batch, out, negative & breast & np.isin(column(out, "endocrine_therapy"), YES),
          "HAZ-04: hormone therapy offered for ER−/PR− breast cancer", ("endocrine_therapy",))
    return Counter(cases=len(batch), relevant=int(negative.sum()))


def check_haz04(**kw):
    return run(prop_haz04, batches((cases(HAZ04_FIELDS, er="negative", pr="negative"), 50)), **kw)


def test_haz04_no_endocrine_therapy_for_er_and_pr_negative():
    """HAZ-04 endocrine therapy for ER− and PR− cancer: aromatase inhibitor, tamoxifen,
    fulvestrant, ovarian suppression, CDK4/6 and mTOR inhibitors are never recommended or
    'consider' (nor the hormone therapy family, for breast cancer)."""
    enough(check_haz04())


# --------------------------------------------------------------------------- HAZ-05

RENAL = ("age", "weight_kg", "creatinine_umol_l", "sex")


def low_clearance(draw, c: dict) -> set[str]:
    """Known Cockcroft–Gault inputs, with creatinine set for a clearance of 5 to 30 mL/min."""
    c["sex"] = draw(pick("female", "male"))
    for f in ("age", "weight_kg"):
        if is_unknown(c[f]):
            c[f] = draw(KNOWN[f])
    c["creatinine_umol_l"] = _creatinine_for(c, Fraction(draw(ints(10, 60)), 2))
    return set(RENAL)


def one_renal_unknown(draw, c: dict) -> set[str]:
    for f in ("age", "weight_kg", "creatinine_umol_l"):
        if is_unknown(c[f]):
            c[f] = draw(KNOWN[f])
    c["sex"] = draw(pick("female", "male"))
    gone = draw(pick(*RENAL))
    c[gone] = draw(_unknown(gone))
    return set(RENAL)


HAZ05_FIELDS = fields_read(["bisphosphonate_iv", "nsaids", "kidney_function"])


def clearance_bounds(c: dict) -> tuple[Fraction, Fraction]:
    """The least and greatest creatinine clearance over the plausible values of its unknown inputs
    (age 18-120 years, weight 20-400 kg, creatinine 10-3000 umol/L, either sex unless implied)."""
    ranges = {"age": (120, 18), "weight_kg": (20, 400), "creatinine_umol_l": (3000, 10)}  # (lowest, highest)
    ends = []
    for end in (0, 1):
        d = {k: (c[k] if not is_unknown(c[k]) else ranges[k][end]) for k in ranges}
        implied = "male" if c["primary"] == "prostate" else None  # implied.yaml: prostate_cancer_is_male
        d["sex"] = c["sex"] if not is_unknown(c["sex"]) else implied or ("female", "male")[end]
        ends.append(creatinine_clearance(d))
    return ends[0], ends[1]


def prop_haz05(batch, kb):
    out = assessed(batch, kb)
    crcl = [creatinine_clearance(c) for c in batch]
    bounds = [clearance_bounds(c) for c in batch]
    low = np.array([b[1] < 30 for b in bounds], dtype=bool)  # under 30 whatever is unknown
    unknown = np.array([b[0] < 30 <= b[1] for b in bounds], dtype=bool)
    for item in ("bisphosphonate_iv", "nsaids"):
        never(batch, out, low & (column(out, item) != "avoid"),
              f"HAZ-05: {item} not avoided at creatinine clearance < 30 mL/min", (item,))
        # the pending check names the tests for what is unknown: the weight is measured at the examination,
        # the creatinine is the kidney function test (which also stands for an unknown age or sex)
        needed = [{t for t, waits in (("physical_exam", is_unknown(c["weight_kg"])), ("kidney_function", any(
            is_unknown(c[k]) for k in ("creatinine_umol_l", "age")) or (is_unknown(c["sex"]) and c["primary"] != "prostate")))
            if waits} for c in batch]  # a prostate primary implies a man (implied.yaml)
        pending = np.array([need <= set(str(t).split(";")) for need, t in zip(needed, column(out, f"{item}:pending"),
                                                                              strict=True)])
        never(batch, out, unknown & np.isin(column(out, item), YES) & ~pending,
              f"HAZ-05: {item} offered while creatinine clearance is unknown, without a pending kidney check",
              (item, f"{item}:pending"))
    never(batch, out, column(out, "kidney_function") != "recommended", "HAZ-05: kidney function not checked",
          ("kidney_function",))
    return Counter(cases=len(batch), relevant=int(low.sum()), unknown=int(unknown.sum()),
                   edge=sum(29 <= x < 31 for x in crcl if x is not None))


def check_haz05(**kw):
    return run(prop_haz05, batches((cases(HAZ05_FIELDS, then=low_clearance), 40),
                                   (cases(HAZ05_FIELDS | set(RENAL)), 5),
                                   (cases(HAZ05_FIELDS, then=one_renal_unknown), 5)), **kw)


def test_haz05_no_iv_bisphosphonate_or_nsaids_below_30_ml_min():
    """HAZ-05 IV bisphosphonate (and NSAIDs) at creatinine clearance < 30 mL/min: with the
    clearance computed here (Cockcroft–Gault, sex factor, creatinine ÷ 88.4, unrounded) below 30,
    both are 'avoid'; with any input unknown neither is recommended or 'consider' unless it names
    the pending check of kidney function (contract §6); kidney function is always recommended."""
    seen = check_haz05(examples=60)  # enough draws that the clearance edges are reached every run
    enough(seen)
    enough(seen, "unknown", 100)
    enough(seen, "edge", 25)  # clearances from 29 to under 31 mL/min were drawn


# --------------------------------------------------------------------------- HAZ-06


def some_receptor_unknown(draw, c: dict) -> set[str]:
    r = draw(pick(*RECEPTORS))
    c[r] = draw(_unknown(r))
    return {r}


HAZ06_ITEMS = ["aromatase_inhibitor", "her2_targeted", "receptor_retest"]
HAZ06_FIELDS = fields_read(HAZ06_ITEMS)


def prop_haz06(batch, kb):
    out = assessed(batch, kb)
    er_u, pr_u, her2_u = (mask(batch, lambda c, r=r: is_unknown(c[r])) for r in RECEPTORS)
    hr_pos = mask(batch, lambda c: "positive" in (c["er"], c["pr"]))
    breast = values(batch, "primary") == "breast"
    # What the same case would get if its unknown hormone receptors were positive: where that
    # is not 'not_indicated', something other than the receptors leaves the decision open.
    positive = [{**c, "triple_negative": None, **{r: "positive" for r in ("er", "pr") if is_unknown(c[r])}}
                for c in batch]
    if_positive = column(assessed(positive, kb), "aromatase_inhibitor")
    open_ = breast & (er_u | pr_u) & ~hr_pos & (if_positive != "not_indicated")
    never(batch, out, open_ & (column(out, "aromatase_inhibitor") == "not_indicated"),
          "HAZ-06: unknown ER/PR read as negative (aromatase inhibitor 'not_indicated')", ("aromatase_inhibitor",))
    never(batch, out, breast & her2_u & (column(out, "her2_targeted") != "undetermined"),
          "HAZ-06: unknown HER2 decided (her2_targeted not 'undetermined')", ("her2_targeted",))
    any_u = er_u | pr_u | her2_u
    never(batch, out, breast & any_u & (column(out, "receptor_retest") != "recommended"),
          "HAZ-06: a receptor unknown but no receptor re-test recommended", ("receptor_retest",))
    return Counter(cases=len(batch), relevant=int((breast & any_u).sum()), er_pr_open=int(open_.sum()),
                   her2_unknown=int((breast & her2_u).sum()))


def check_haz06(**kw):
    return run(prop_haz06, batches((cases(HAZ06_FIELDS, primary="breast", then=some_receptor_unknown), 50)), **kw)


def test_haz06_unknown_receptors_are_not_read_as_negative():
    """HAZ-06 an unknown read as negative (receptors): for a breast case with ER/PR unknown (both,
    or one and the other not positive) the aromatase inhibitor is never 'not_indicated' unless it
    would be so with those receptors positive (visceral crisis, resistance to it); HER2 unknown
    -> her2_targeted 'undetermined'; any receptor unknown -> receptor re-test recommended."""
    seen = check_haz06()
    enough(seen)
    enough(seen, "er_pr_open", 200)
    enough(seen, "her2_unknown", 200)


#: Every item and alert whose rules read some field, with those fields.
TARGET_FIELDS = {t: f for t in [*KB.items(), *KB.alerts] if (f := fields_read([t]))}


@st.composite
def completions(draw) -> tuple[dict, dict]:
    """A case and the same case with one to four of its unknown fields made known. The case
    draws the fields read by the rules of one item or alert (chosen at random), which is all
    that can change that item, so every item is tested with all of its inputs varying."""
    fields = TARGET_FIELDS[draw(pick(*sorted(TARGET_FIELDS)))]
    c = draw(cases(fields, edges=False))
    if all(not is_unknown(c[n]) for n in fields):  # leave something to learn
        c[draw(pick(*sorted(fields)))] = None
    known = {n for n in FIELDS if not is_unknown(c[n])}
    unknown = [n for n in FIELDS if n in fields and n not in known]
    filled = dict(c)
    for name in draw(some_of(*unknown)):
        filled[name] = draw(KNOWN[name])
    _repair(draw, filled, known)
    return c, Drawn(filled)


def prop_haz06_completion(pairs, kb):
    before = assessed([c for c, _ in pairs], kb)
    after = assessed([d for _, d in pairs], kb)
    statuses = [c for c in before.columns if ":" not in c]
    for name in statuses:
        b, a = column(before, name), column(after, name)
        # a pending safety check (contract §6) names what may still withhold a 'yes'
        named = (column(before, f"{name}:pending") != "") if f"{name}:pending" in before else np.zeros(len(b), bool)
        for bad, what in ((np.isin(b, NO) & np.isin(a, YES), "a 'no' that knowing the factor turns into a 'yes'"),
                          (np.isin(b, YES) & (a == "avoid") & ~named,
                           "a 'yes' that knowing the factor turns into 'avoid' without a pending check")):
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                c, d = pairs[i]
                raise Violation(
                    f"HAZ-06: an unknown read as negative: {name} {b[i]} -> {a[i]}, {what}; case "
                    f"{ {k: v for k, v in c.items() if v is not None} }, then known: "
                    f"{ {k: v for k, v in d.items() if v != c[k]} }")
    for name in [c for c in before.columns if c.startswith("alert:")]:
        b, a = column(before, name), column(after, name)
        bad = (b == "not_raised") & (a != "not_raised")
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            c, d = pairs[i]
            raise Violation(f"HAZ-06: {name} ruled out although an unknown factor raises it ({a[i]}): "
                            f"{ {k: v for k, v in c.items() if v is not None} } + "
                            f"{ {k: v for k, v in d.items() if v != c[k]} }")
    return Counter(cases=len(pairs), relevant=sum(c != d for c, d in pairs))


def check_haz06_completion(**kw):
    return run(prop_haz06_completion, st.lists(completions(), min_size=50, max_size=50).map(Batch), **kw)


def test_haz06_learning_an_unknown_factor_never_reverses_a_no_or_unmasks_an_avoid():
    """HAZ-06 an unknown read as negative (any factor, any item): take any valid case and make
    some of its unknown fields known. An item that was 'not_indicated' or 'avoid' never becomes
    recommended or 'consider'; one that was recommended or 'consider' never becomes 'avoid'; an
    alert that was 'not raised' stays so. (Only 'undetermined', or a test asked for *because*
    something is unknown, may change.) Each case draws all the fields one item or alert reads."""
    enough(check_haz06_completion(examples=22))


def test_haz06_haz18_reasons_name_the_unknown_and_assess_agrees_with_the_cohort():
    """HAZ-06/HAZ-18 (on a smaller sample, with ``assess``): every undetermined item and every
    alert not ruled out gives a reason naming an unknown factor (HER2 unknown names the receptor
    re-test that settles it); each case's statuses and alerts equal its cohort row."""
    def prop(batch, kb):
        out = assessed(batch, kb)
        for i, c in enumerate(batch):
            a = assess(c)
            for r in a.recommendations:
                assert r.status == out[r.id].iloc[i], (c, r.id, r.status, out[r.id].iloc[i])
                if r.status == "undetermined" and r.kind != "family":
                    facts = [f for x in r.reasons if x.outcome == "unknown" for f in x.facts]
                    assert facts and all(not f.known for f in facts), (c, r.id, r.reasons)
            for alert_id in kb.alerts:
                assert a.alert_state(alert_id) == out[f"alert:{alert_id}"].iloc[i], (c, alert_id)
            for al in a.alerts:
                if not al.raised:
                    assert any(f for x in al.reasons for f in x.facts if not f.known), (c, al.id)
            if c["primary"] == "breast" and is_unknown(c["her2"]):
                reasons = a.recommendation("her2_targeted").reasons
                facts = [f for x in reasons if x.outcome == "unknown" for f in x.facts]
                assert any(f.field == "her2" and "receptor_retest" in f.settled_by for f in facts), (c, facts)
        return Counter(cases=len(batch))

    seen = run(prop, batches((cases(primary="breast", then=some_receptor_unknown), 15), (cases(), 5)), examples=4)
    assert seen["cases"] == 80


# --------------------------------------------------------------------------- HAZ-07


HAZ07_FIELDS = fields_read(["receptor_retest", "bone_biopsy"])


def prop_haz07(batch, kb):
    out = assessed(batch, kb)
    breast = values(batch, "primary") == "breast"
    first = breast & (values(batch, "first_metastasis") == True)  # noqa: E712 (object array)
    bleeds = mask(batch, lambda c: c["platelets_e9_l"] is not None and c["platelets_e9_l"] < 50)
    never(batch, out, first & (column(out, "receptor_retest") != "recommended"),
          "HAZ-07: first metastasis of breast cancer without receptor_retest recommended", ("receptor_retest",))
    never(batch, out, first & (column(out, "bone_biopsy") != np.where(bleeds, "avoid", "recommended")),
          "HAZ-07: first metastasis of breast cancer without bone_biopsy recommended (held only by platelets "
          "below 50 x10^9/L)", ("bone_biopsy",))
    never(batch, out, breast & np.isin(column(out, "receptor_retest"), NO),
          "HAZ-07: receptors of a breast cancer never to be re-tested", ("receptor_retest",))
    maybe_first = breast & mask(batch, lambda c: c["first_metastasis"] is None)
    weighed = maybe_first & ~np.isin(column(out, "receptor_retest"), ("recommended", "undetermined"))
    said = np.zeros(len(batch), dtype=bool)  # 'consider' must say that a first metastasis would recommend it
    for i in np.flatnonzero(weighed & (column(out, "receptor_retest") == "consider")):
        rec = assess({k: v for k, v in batch[i].items() if v is not None}, kb=kb).recommendation("receptor_retest")
        said[i] = any(r.outcome == "unknown" and r.gives == "recommended"
                      and "first_metastasis" in {f.field for f in r.facts if not f.known} for r in rec.reasons)
    never(batch, out, weighed & ~said,
          "HAZ-07: first metastasis unknown, receptor re-test 'consider' without saying that a first metastasis "
          "would make it recommended", ("receptor_retest",))
    long_ago = mask(batch, lambda c: (c["years_since_primary_diagnosis"] or 0) >= 5)
    never(batch, out, long_ago & ~bleeds & np.isin(column(out, "bone_biopsy"), NO),
          "HAZ-07: primary ≥ 5 years ago and bone biopsy not indicated", ("bone_biopsy",))
    return Counter(cases=len(batch), relevant=int(first.sum()), maybe_first=int(maybe_first.sum()))


def check_haz07(**kw):
    return run(prop_haz07, batches((cases(HAZ07_FIELDS, primary="breast", first_metastasis=True), 40),
                                   (cases(HAZ07_FIELDS, primary="breast", first_metastasis=None), 10)), **kw)


def test_haz07_first_metastasis_gets_a_biopsy_and_receptor_retest():
    """HAZ-07 stale receptor status: a breast case at its first metastasis -> receptor re-test and bone
    biopsy recommended (the biopsy held, 'avoid', only by platelets below 50 x10^9/L); first metastasis
    unknown -> re-test recommended or undetermined, or 'consider' with a reason saying that a first
    metastasis would make it recommended (a test keeps a known fact's 'consider', decision.py rule 3);
    primary ≥ 5 years ago -> bone biopsy never 'not_indicated' (unless the platelets hold it); nor is a
    re-test, for any breast case."""
    seen = check_haz07(examples=26)
    enough(seen)
    enough(seen, "maybe_first", 200)


# --------------------------------------------------------------------------- HAZ-08


HAZ08_FIELDS = fields_read(["ovarian_suppression", "aromatase_inhibitor"])


def prop_haz08_men(batch, kb):
    out = assessed(batch, kb)
    men = values(batch, "sex") == "male"
    never(batch, out, men & np.isin(column(out, "ovarian_suppression"), YES),
          "HAZ-08: ovarian suppression offered to a man", ("ovarian_suppression",))
    return Counter(cases=len(batch), relevant=int(men.sum()))


def check_haz08_men(**kw):
    return run(prop_haz08_men, batches((cases(HAZ08_FIELDS, sex="male", primary=MOSTLY_BREAST), 50)), **kw)


def test_haz08_no_ovarian_suppression_for_men():
    """HAZ-08 wrong sex: sex male -> ovarian suppression never recommended or 'consider'."""
    enough(check_haz08_men())


def prop_haz08_post(batch, kb):
    out = assessed(batch, kb)
    post = values(batch, "menopause") == "post"
    never(batch, out, post & np.isin(column(out, "ovarian_suppression"), YES),
          "HAZ-08: ovarian suppression offered after the menopause", ("ovarian_suppression",))
    return Counter(cases=len(batch), relevant=int(post.sum()))


def test_haz08_no_ovarian_suppression_after_the_menopause():
    """HAZ-08 wrong menopausal state: menopause post -> ovarian suppression never recommended
    (nor 'consider')."""
    enough(run(prop_haz08_post, batches((cases(HAZ08_FIELDS, menopause="post", primary=WOMANS), 50))))


def one_hormone_receptor_positive(draw, c: dict) -> set[str]:
    c[draw(pick("er", "pr"))] = "positive"
    if c["visceral_metastases"] in (None, "unknown") and draw(BOOL):
        c["visceral_metastases"] = draw(pick("none", "present"))
    return {"er", "pr"}


def prop_haz08_pre(batch, kb):
    out = assessed(batch, kb)
    pre = ((values(batch, "menopause") == "pre") & (values(batch, "primary") == "breast")
           & mask(batch, lambda c: "positive" in (c["er"], c["pr"])))
    ai = pre & (column(out, "aromatase_inhibitor") == "recommended")
    never(batch, out, ai & (column(out, "ovarian_suppression") != "recommended"),
          "HAZ-08: aromatase inhibitor without ovarian suppression before the menopause",
          ("aromatase_inhibitor", "ovarian_suppression"))
    return Counter(cases=len(batch), relevant=int(pre.sum()), ai_recommended=int(ai.sum()))


def check_haz08_pre(**kw):
    return run(prop_haz08_pre, batches((cases(HAZ08_FIELDS | {"visceral_metastases"}, primary="breast",
                                              menopause="pre", then=one_hormone_receptor_positive), 50)), **kw)


def test_haz08_aromatase_inhibitor_before_the_menopause_comes_with_ovarian_suppression():
    """HAZ-08 aromatase inhibitor alone before the menopause: premenopausal HR+ breast cancer
    with the aromatase inhibitor recommended -> ovarian suppression recommended too."""
    seen = check_haz08_pre()
    enough(seen)
    enough(seen, "ai_recommended", 60)


@st.composite
def contradicting_sex(draw) -> dict:
    """A valid case made into a man who could become pregnant or has a menopausal state."""
    c = dict(draw(cases(fields_read(["pregnancy", "ovarian_suppression"]))), sex="male")
    if draw(BOOL):
        c["could_become_pregnant"] = True
    else:
        c["menopause"] = draw(pick("pre", "post"))
    return c


def test_haz08_male_could_become_pregnant_or_menopausal_is_rejected():
    """HAZ-08 a case for the wrong sex: a man who could become pregnant, or with a menopausal
    state, is rejected (InvalidCaseError naming both fields) by ``assess`` and by the cohort."""
    def prop(batch, kb):
        frame = pd.DataFrame(batch, columns=list(FIELDS))
        out, errors = assess_cohort(frame, errors="report", kb=kb)
        assert out.empty and set(errors["row"]) == set(range(len(batch))), errors
        for c in batch[:2]:
            with pytest.raises(InvalidCaseError) as err:
                bonemets.assess(c, kb=kb)
            assert "sex" in err.value.fields and len(err.value.fields) == 2, err.value
        return Counter(cases=len(batch), relevant=len(batch))

    enough(run(prop, st.lists(contradicting_sex(), min_size=50, max_size=50).map(Batch)))


def test_haz08_aromatase_inhibitor_for_a_man_names_the_gnrh_analogue():
    """HAZ-08 aromatase inhibitor alone for a man: where it is offered to a man, its reason says
    it is given with a GnRH analogue."""
    a = assess({"primary": "breast", "sex": "male", "menopause": "not_applicable", "er": "positive",
                "visceral_metastases": "none", "prior_endocrine_therapy": []})
    rec = a.recommendation("aromatase_inhibitor")
    assert rec.status == "consider"
    assert all("GnRH" in r.text for r in rec.reasons), rec.reasons


# --------------------------------------------------------------------------- HAZ-09


def prop_no_elective_spine_procedure(item):
    def prop(batch, kb):
        out = assessed(batch, kb)
        signs = mask(batch, lambda c: c["neurological_deficit"] is True or c["bladder_bowel_dysfunction"] is True)
        never(batch, out, signs & np.isin(column(out, item), YES),
              f"HAZ-09: {item} offered while signs of spinal cord compression are present", (item,))
        return Counter(cases=len(batch), relevant=int(signs.sum()))
    return prop


def check_haz09(item="vertebroplasty_kyphoplasty", **kw):
    fields = fields_read([item]) | {"neurological_deficit", "bladder_bowel_dysfunction"}
    return run(prop_no_elective_spine_procedure(item), batches((cases(fields, then=one_cord_sign), 50)), **kw)


def test_haz09_no_vertebroplasty_with_signs_of_cord_compression():
    """HAZ-09 vertebroplasty/kyphoplasty with signs of cord compression: never recommended or
    'consider' while neurological deficit or bladder/bowel dysfunction is present."""
    enough(check_haz09())


KIDNEY_CORD = {**dict.fromkeys(FIELDS), "primary": "kidney", "neurological_deficit": True}


def test_haz09_no_stereotactic_radiotherapy_with_signs_of_cord_compression():
    """HAZ-09 SABR planned with signs of cord compression (CHANGELOG 0.1.0: 'vertebroplasty/
    kyphoplasty and SABR are not offered while signs of spinal cord compression are present').
    The explicit example was a counterexample until kidney_stereotactic got that exclusion."""
    enough(check_haz09("stereotactic_radiotherapy", explicit=([{**KIDNEY_CORD, "bone_pain": "severe"}],)))


# --------------------------------------------------------------------------- HAZ-10


HAZ10_FIELDS = fields_read(list(HORMONE_DEPENDENT) + ["chemotherapy"])


def prop_haz10(batch, kb):
    out = assessed(batch, kb)
    crisis = values(batch, "visceral_metastases") == "crisis"
    for item in HORMONE_DEPENDENT:
        never(batch, out, crisis & np.isin(column(out, item), YES),
              f"HAZ-10: {item} offered in visceral crisis", (item,))
    breast = values(batch, "primary") == "breast"
    ps = np.array([np.nan if is_unknown(v) else v for v in values(batch, "performance_status")], dtype=float)
    chemo = column(out, "chemotherapy")
    # ECOG 0-2: recommended; 3-4: weighed with the person (consider); unknown: never less than the
    # answer some performance status would give (recommended or undetermined)
    never(batch, out, crisis & breast & (ps <= 2) & (chemo != "recommended"),
          "HAZ-10: visceral crisis of breast cancer, ECOG 0-2, without chemotherapy recommended", ("chemotherapy",))
    never(batch, out, crisis & breast & (ps >= 3) & (chemo != "consider"),
          "HAZ-10: visceral crisis of breast cancer, ECOG 3-4, chemotherapy not considered", ("chemotherapy",))
    never(batch, out, crisis & breast & np.isnan(ps) & ~np.isin(chemo, ("recommended", "undetermined")),
          "HAZ-10: visceral crisis of breast cancer, ECOG unknown, chemotherapy decided below recommended",
          ("chemotherapy",))
    return Counter(cases=len(batch), relevant=int(crisis.sum()))


def check_haz10(**kw):
    return run(prop_haz10, batches((cases(HAZ10_FIELDS, visceral_metastases="crisis", primary=MOSTLY_BREAST), 50)),
               **kw)


def test_haz10_visceral_crisis_gets_chemotherapy_not_slow_hormone_therapy():
    """HAZ-10 slow endocrine therapy in visceral crisis: hormone therapies, CDK4/6 and mTOR
    inhibitors never recommended or 'consider'; for breast cancer chemotherapy is recommended with
    ECOG performance status 0-2, considered with 3-4, and with it unknown recommended or
    undetermined (never decided as less)."""
    enough(check_haz10())


# --------------------------------------------------------------------------- HAZ-11


def prop_haz11(batch, kb):
    out = assessed(batch, kb)
    pregnant = values(batch, "could_become_pregnant") == True  # noqa: E712
    never(batch, out, pregnant & ~np.isin(column(out, "alert:pregnancy"), ("critical", "warning")),
          "HAZ-11: could become pregnant, no pregnancy warning", ("alert:pregnancy",))
    return Counter(cases=len(batch), relevant=int(pregnant.sum()))


def check_haz11(**kw):
    return run(prop_haz11, batches((cases(fields_read(["pregnancy"]), could_become_pregnant=True), 50)), **kw)


def test_haz11_could_become_pregnant_always_raises_the_pregnancy_warning():
    """HAZ-11 pregnancy risk not flagged: could_become_pregnant true -> pregnancy alert raised
    (warning or critical)."""
    enough(check_haz11(explicit=([{**dict.fromkeys(FIELDS), "could_become_pregnant": True}],)))


# --------------------------------------------------------------------------- HAZ-12


def test_haz12_calcium_is_checked_before_every_bone_strengthening_drug():
    """HAZ-12 (mitigation in place): blood calcium (with albumin) and kidney function are
    recommended for every case."""
    def prop(batch, kb):
        out = assessed(batch, kb)
        for item in ("blood_calcium", "kidney_function"):
            never(batch, out, column(out, item) != "recommended", f"HAZ-12: {item} not recommended", (item,))
        return Counter(cases=len(batch), relevant=len(batch))

    enough(run(prop, batches((cases(fields_read(["blood_calcium", "kidney_function"])), 50))))


def low_corrected_calcium(draw, c: dict) -> set[str]:
    """Albumin known and calcium set so that the corrected calcium is below 2.0 mmol/L."""
    if is_unknown(c["albumin_g_l"]):
        c["albumin_g_l"] = draw(KNOWN["albumin_g_l"])
    limit = Fraction(2) - Fraction(2, 100) * (40 - Fraction(str(c["albumin_g_l"])))  # corrected < 2.0
    top = math.ceil(limit * 100) - 1
    c["calcium_mmol_l"] = draw(ints(50, max(top, 50))) / 100
    return {"calcium_mmol_l", "albumin_g_l"}


def prop_haz12(batch, kb):
    out = assessed(batch, kb)
    low = mask(batch, lambda c: not is_unknown(c["calcium_mmol_l"]) and not is_unknown(c["albumin_g_l"])
               and corrected_calcium(c["calcium_mmol_l"], c["albumin_g_l"]) < 2)
    never(batch, out, low & np.isin(column(out, "denosumab"), YES),
          "HAZ-12: denosumab offered with corrected calcium < 2.0 mmol/L", ("denosumab",))
    return Counter(cases=len(batch), relevant=int(low.sum()))


def check_haz12(**kw):
    strategy = batches((cases(fields_read(["denosumab"]), edges=False, then=low_corrected_calcium), 50))
    return run(prop_haz12, strategy, **kw)


def test_haz12_no_denosumab_with_known_low_calcium():
    """HAZ-12 bone-strengthening drug started in hypocalcaemia: a known corrected calcium below
    2.0 mmol/L (CTCAE grade ≥ 2 hypocalcaemia) -> denosumab not recommended or 'consider' until
    calcium is corrected."""
    enough(check_haz12(explicit=([{**dict.fromkeys(FIELDS), "primary": "breast", "calcium_mmol_l": 1.7,
                                   "albumin_g_l": 40.0}],)))


# --------------------------------------------------------------------------- HAZ-13


def prop_haz13_cdk46(batch, kb):
    out = assessed(batch, kb)
    had = values(batch, "prior_cdk46_inhibitor") == True  # noqa: E712
    never(batch, out, had & np.isin(column(out, "cdk46_inhibitor"), YES),
          "HAZ-13: CDK4/6 inhibitor offered again", ("cdk46_inhibitor",))
    return Counter(cases=len(batch), relevant=int(had.sum()))


#: HR+/HER2-0 breast cancer after a CDK4/6 inhibitor, everything else the first-line rule reads given:
#: always in the batches, so that a broken rule is caught whatever the generated cases (a fresh clone's
#: run once drew none that reached it: these properties draw at random, except in the HAZ-16 tests).
CDK46_AGAIN = {**dict.fromkeys(FIELDS), "primary": "breast", "sex": "female", "er": "positive", "her2": "negative",
               "visceral_metastases": "none", "performance_status": 1, "prior_cdk46_inhibitor": True}


def check_haz13(**kw):
    return run(prop_haz13_cdk46, batches((cases(fields_read(["cdk46_inhibitor"]), prior_cdk46_inhibitor=True,
                                                primary=MOSTLY_BREAST), 50)), explicit=([CDK46_AGAIN],), **kw)


def test_haz13_no_cdk46_inhibitor_again_after_one():
    """HAZ-13 a drug repeated after the cancer progressed on it: prior CDK4/6 inhibitor ->
    CDK4/6 inhibitor never recommended or 'consider'."""
    enough(check_haz13())


def resistant_to_ai(draw, c: dict) -> set[str]:
    prior = c["prior_endocrine_therapy"] if isinstance(c["prior_endocrine_therapy"], list) else []
    order = FIELDS["prior_endocrine_therapy"].allowed.index
    c["prior_endocrine_therapy"] = sorted(set(prior) | {"aromatase_inhibitor"}, key=order)
    c["endocrine_resistance"] = draw(pick("primary", "secondary"))
    return {"prior_endocrine_therapy", "endocrine_resistance"}


def prop_haz13_ai(batch, kb):
    out = assessed(batch, kb)
    resistant = mask(batch, lambda c: c["endocrine_resistance"] in ("primary", "secondary")
                     and "aromatase_inhibitor" in (c["prior_endocrine_therapy"] or []))
    ai = column(out, "aromatase_inhibitor")
    never(batch, out, resistant & (ai == "recommended"),
          "HAZ-13: aromatase inhibitor recommended again after resistance to it", ("aromatase_inhibitor",))
    # Weighed only as exemestane with everolimus after anastrozole or letrozole (ASCO 2024), a
    # HER2-negative regimen: never where HER2 is positive or not known.
    her2_negative = mask(batch, lambda c: c["her2"] in ("negative", "low"))
    never(batch, out, resistant & (ai == "consider") & ~her2_negative,
          "HAZ-13: aromatase inhibitor weighed again after resistance to it, outside HER2-negative disease",
          ("aromatase_inhibitor", "her2"))
    return Counter(cases=len(batch), relevant=int(resistant.sum()))


def check_haz13_ai(**kw):
    strategy = batches((cases(fields_read(["aromatase_inhibitor"]), then=resistant_to_ai, primary=MOSTLY_BREAST), 50))
    return run(prop_haz13_ai, strategy, **kw)


MAN_AFTER_AI = {**dict.fromkeys(FIELDS), "primary": "breast", "sex": "male", "er": "positive",
                "visceral_metastases": "none", "prior_endocrine_therapy": ["aromatase_inhibitor"],
                "endocrine_resistance": "primary"}


def test_haz13_no_aromatase_inhibitor_again_after_resistance_to_it():
    """HAZ-13 a drug repeated after the cancer progressed on it: endocrine resistance (primary or
    secondary) after an aromatase inhibitor -> aromatase inhibitor never recommended, and 'consider'
    only as exemestane with everolimus for HER2-negative disease (after anastrozole or letrozole)."""
    enough(check_haz13_ai(explicit=([MAN_AFTER_AI],)))


# --------------------------------------------------------------------------- HAZ-14

# Point tables of clinical-facts §1 (Mirels' score; SINS), written out here independently.
MIRELS = {"long_bone_lesion_site": {"upper_limb": 1, "lower_limb": 2, "trochanteric": 3},
          "long_bone_lesion_type": {"blastic": 1, "mixed": 2, "lytic": 3},
          "long_bone_lesion_size": {"lt_one_third": 1, "one_third_to_two_thirds": 2, "gt_two_thirds": 3},
          "long_bone_pain": {"mild": 1, "moderate": 2, "functional": 3}}
SINS = {"spinal_location": {"junctional": 3, "mobile": 2, "semi_rigid": 1, "rigid": 0},
        "spinal_pain": {"mechanical": 3, "occasional": 1, "none": 0},
        "spinal_lesion_type": {"lytic": 2, "mixed": 1, "blastic": 0},
        "spinal_alignment": {"subluxation": 4, "de_novo_deformity": 2, "normal": 0},
        "vertebral_collapse": {"gt_50": 3, "lt_50": 2, "none_gt_50_involved": 1, "none": 0},
        "posterolateral_involvement": {"bilateral": 3, "unilateral": 1, "none": 0}}


def score(c: dict, table: dict) -> int | None:
    return None if any(is_unknown(c[f]) for f in table) else sum(table[f][c[f]] for f in table)


def weak_bone(draw, c: dict) -> set[str]:
    """An unstable spine (SINS ≥ 13), a long bone at high fracture risk (Mirels ≥ 9) or a
    pathological fracture."""
    kind = draw(pick("spine", "long_bone", "fracture"))
    if kind == "fracture":
        c["pathological_fracture"] = True
        return {"pathological_fracture"}
    table, site = (SINS, "spine") if kind == "spine" else (MIRELS, draw(pick("upper_arm", "upper_leg")))
    sites = c["bone_sites"] if isinstance(c["bone_sites"], list) else []
    c["bone_sites"] = sorted(set(sites) | {site}, key=FIELDS["bone_sites"].allowed.index)
    for f in table:
        c[f] = draw(pick(*table[f]))
    while score(c, table) < (13 if kind == "spine" else 9):  # raise items to their top value until over
        f = draw(pick(*table))
        c[f] = max(table[f], key=table[f].get)
    return set(table) | {"bone_sites"}


HAZ14_FIELDS = fields_read(["orthopaedic_stabilisation", "vertebroplasty_kyphoplasty", "pathological_fracture"])


def prop_haz14(batch, kb):
    out = assessed(batch, kb)
    sites = [c["bone_sites"] if isinstance(c["bone_sites"], list) else [] for c in batch]
    sins = np.array([(score(c, SINS) or 0) >= 13 and "spine" in s for c, s in zip(batch, sites, strict=True)], dtype=bool)
    mirels = np.array([(score(c, MIRELS) or 0) >= 9 and bool({"upper_arm", "upper_leg"} & set(s))
                       for c, s in zip(batch, sites, strict=True)], dtype=bool)
    fracture = values(batch, "pathological_fracture") == True  # noqa: E712
    ortho = column(out, "orthopaedic_stabilisation")
    for bad, what in ((sins, "unstable spine (SINS ≥ 13)"), (mirels, "long bone with Mirels' score ≥ 9"),
                      (fracture, "pathological fracture")):
        never(batch, out, bad & (ortho != "recommended"), f"HAZ-14: {what} not referred for stabilisation",
              ("orthopaedic_stabilisation",))
    never(batch, out, sins & np.isin(column(out, "vertebroplasty_kyphoplasty"), YES),
          "HAZ-14: bone cement offered for an unstable spine (SINS ≥ 13)", ("vertebroplasty_kyphoplasty",))
    never(batch, out, fracture & ~np.isin(column(out, "alert:pathological_fracture"), ("critical", "warning")),
          "HAZ-14: pathological fracture without an alert", ("alert:pathological_fracture",))
    return Counter(cases=len(batch), relevant=int((sins | mirels | fracture).sum()), sins=int(sins.sum()),
                   mirels=int(mirels.sum()))


def check_haz14(**kw):
    return run(prop_haz14, batches((cases(HAZ14_FIELDS, then=weak_bone), 50)), **kw)


def test_haz14_unstable_spine_and_impending_fracture_are_referred():
    """HAZ-14 a weak bone not referred (fracture, paralysis): SINS ≥ 13 with cancer in the spine,
    or Mirels' score ≥ 9 in an upper arm or leg bone (scores computed here from the published
    point tables), or a pathological fracture -> orthopaedic stabilisation recommended; no bone
    cement for an unstable spine; a fracture raises its alert."""
    seen = check_haz14()
    enough(seen)
    enough(seen, "sins", 150)
    enough(seen, "mirels", 150)


# --------------------------------------------------------------------------- HAZ-15


def _bad_value(name: str) -> st.SearchStrategy:
    """A value a field does not allow: a misspelling, a wrong type, or a number out of range
    (as a value in other units would be)."""
    spec = FIELDS[name]
    if spec.kind == "enum":
        bad = [v.upper() for v in spec.allowed] + [v + "s" for v in spec.allowed] + ["yes", "n/a"]
        return st.sampled_from(bad if spec.has_unknown else bad + ["unknown"])
    if spec.kind == "bool":
        return st.sampled_from(("yes", "no", "1", 2, "positive"))
    if spec.kind == "list":
        wrong = [spec.allowed[0].upper()], [spec.allowed[0], "no_such_value"]
        return st.sampled_from(wrong + (([],) if name == "bone_sites" else ()))
    if spec.kind == "int":
        below, above = st.integers(-10_000, int(spec.ge) - 1), st.integers(int(spec.le) + 1, 100_000)
    else:
        below = st.floats(-1e4, spec.ge, exclude_max=True, allow_nan=False)
        above = st.floats(spec.le, 1e6, exclude_min=True, allow_nan=False)
    return below | above | st.sampled_from(("high", "low", "n/a"))


BAD = {n: _bad_value(n) for n in FIELDS}


@st.composite
def invalid_cases(draw) -> tuple[dict, str]:
    """A valid case with one field given a value it does not allow; and that field."""
    c = dict(draw(cases(fields_read(["hypercalcaemia", "pregnancy"]))))
    name = draw(pick(*FIELDS))
    c[name] = draw(BAD[name])
    return c, name


def test_haz15_invalid_values_are_rejected_not_read_as_unknown():
    """HAZ-15 wrong input read silently (typo, wrong type, other units): every case with one
    value its field does not allow is rejected by the cohort (errors='report' lists the row and
    column, errors='raise' raises) and by ``Case``; nothing invalid is assessed as unknown."""
    def prop(pairs, kb):
        frame = pd.DataFrame([c for c, _ in pairs], columns=list(FIELDS))
        out, errors = assess_cohort(frame, errors="report", kb=kb)
        assert out.empty, out
        reported = set(zip(errors["row"], errors["column"], strict=True))
        for i, (_, name) in enumerate(pairs):
            assert (i, name) in reported, (pairs[i], errors[errors["row"] == i])
        with pytest.raises(InvalidCaseError):
            assess_cohort(frame.iloc[:1], kb=kb)
        for c, name in pairs[:2]:
            with pytest.raises(InvalidCaseError) as err:
                bonemets.Case(**c)
            assert name in err.value.fields, (c, name, err.value)
        return Counter(cases=len(pairs), relevant=len(pairs))

    enough(run(prop, st.lists(invalid_cases(), min_size=50, max_size=50).map(Batch)))


@pytest.mark.parametrize("field, value", [
    ("calcium_mmol_l", 10.2),     # mg/dL
    ("albumin_g_l", 3.5),         # g/dL
    ("creatinine_umol_l", 1.1),   # mg/dL
    ("age", 540),                 # months
    ("her2", "2+"),               # IHC score instead of the category
    ("er", "ER+"),
])
def test_haz15_values_in_other_units_are_rejected(field, value):
    """HAZ-15: the usual unit and notation slips fall outside the allowed values and are rejected
    (weight in pounds is not caught: residual risk in the hazard log)."""
    with pytest.raises(InvalidCaseError) as err:
        bonemets.Case(**{field: value})
    assert field in err.value.fields


ALL_SITES = ["skull", "spine", "ribs", "pelvis", "upper_arm", "upper_leg", "other"]
CONTRADICTIONS = {
    "male_menopause": {"sex": "male", "menopause": "pre"},
    "female_not_applicable": {"sex": "female", "menopause": "not_applicable"},
    "male_pregnancy": {"sex": "male", "could_become_pregnant": True},
    "menopause_not_pregnant": {"menopause": "post", "could_become_pregnant": True},
    "prostate_cancer_is_male": {"primary": "prostate", "sex": "female"},
    "castration_resistance_not_prostate": {"primary": "breast", "castration_resistant": True},
    **{f"{w}_sites_at_least_{w}_lesions": {"bone_lesion_count": k - 1, "bone_sites": ALL_SITES[:k]}
       for k, w in SITES.items()},
    "triple_negative_label_positive": {"triple_negative": True, "er": "positive"},
    "triple_negative_label_negative": {"triple_negative": False, "er": "negative", "pr": "negative", "her2": "low"},
    "chemotherapy_timing_without_chemotherapy": {"prior_chemotherapy": False, "months_since_chemotherapy": 3},
    "no_endocrine_therapy_no_resistance": {"endocrine_resistance": "secondary", "prior_endocrine_therapy": []},
    "no_endocrine_therapy_no_cdk46": {"primary": "breast", "prior_endocrine_therapy": [],
                                      "prior_cdk46_inhibitor": True},
    "menopause_is_female": {"sex": "male", "menopause": "post"},
    "could_become_pregnant_is_female": {"sex": "male", "could_become_pregnant": True},
}


@pytest.mark.parametrize("entry, fields", [(c.id, c.fields) for c, _ in KB.consistency])
def test_haz15_contradictions_are_rejected(entry, fields):
    """HAZ-15: every contradiction of consistency.yaml, and of implied.yaml (a case giving an implied
    field another value), is rejected, naming its fields."""
    with pytest.raises(InvalidCaseError) as err:
        bonemets.assess(CONTRADICTIONS[entry])
    assert set(err.value.fields) == set(fields)


# --------------------------------------------------------------------------- HAZ-16

# One broken rule per property, in a copy of the knowledge: (hazard, check, file, entry, old, new).
MUTATIONS = [
    ("HAZ-01", check_haz01, "rules/emergencies.yaml", "cord_compression_emergency_mri",
     "gives: recommended", "gives: consider"),
    ("HAZ-02", check_haz02, "concepts.yaml", "raised_calcium",  # measured instead of corrected calcium
     "{field: corrected_calcium_mmol_l, gt: 2.6}", "{field: calcium_mmol_l, gt: 2.6}"),
    ("HAZ-03", check_haz03, "rules/breast_systemic.yaml", "her2_zero_no_her2_targeted",
     "gives: not_indicated", "gives: consider"),
    ("HAZ-04", check_haz04, "rules/breast_systemic.yaml", "hr_negative_no_endocrine_therapy",
     "gives: not_indicated", "gives: consider"),
    ("HAZ-05", check_haz05, "rules/bone_health.yaml", "low_clearance_avoid_iv_bisphosphonate",
     "{field: creatinine_clearance_ml_min, lt: 30}", "{field: creatinine_clearance_ml_min, lt: 20}"),
    ("HAZ-06", check_haz06, "rules/investigations.yaml", "receptors_unknown_retest",
     "gives: recommended", "gives: consider"),
    ("HAZ-06", check_haz06_completion, "rules/investigations.yaml", "extent_unknown_bone_scan",
     "gives: recommended", "gives: not_indicated"),  # 'sites unknown' read as 'no scan needed'
    ("HAZ-07", check_haz07, "rules/investigations.yaml", "first_metastasis_biopsy",
     "gives: recommended", "gives: consider"),
    ("HAZ-08", check_haz08_pre, "rules/breast_systemic.yaml", "premenopausal_ovarian_suppression",
     "gives: recommended", "gives: consider"),
    ("HAZ-09", check_haz09, "rules/local_treatment.yaml", "severe_spinal_pain_cement",
     "\n      - {not: {ref: cord_compression_neuro_signs}}", ""),
    ("HAZ-10", check_haz10, "concepts.yaml", "endocrine_candidate", "\n      - {not: {ref: visceral_crisis}}", ""),
    ("HAZ-14", check_haz14, "rules/local_treatment.yaml", "sins_unstable_surgery",
     "gives: recommended", "gives: consider"),
    ("HAZ-13", check_haz13, "rules/breast_systemic.yaml", "hr_positive_her2_negative_cdk46",
     "\n      - {field: prior_cdk46_inhibitor, is: false}", ""),
]


def broken_knowledge(file: str, entry: str, old: str, new: str):
    """A copy of the knowledge with ``old`` replaced by ``new`` once, inside one entry (loaded without
    running the rules' worked examples, which catch some of these breaks on their own)."""
    def replace_once(root):
        path = root / file
        text = path.read_text(encoding="utf-8")
        start = text.index(f"- id: {entry}\n")
        end = text.find("\n- id:", start + 1)
        end = len(text) if end < 0 else end
        block = text[start:end]
        assert block.count(old) == 1, (entry, old)
        path.write_text(text[:start] + block.replace(old, new) + text[end:], encoding="utf-8")

    return KB.with_changes(edit=replace_once, check_examples=False)


@pytest.mark.parametrize("hazard, check, file, entry, old, new", MUTATIONS,
                         ids=[f"{m[0]}-{m[3]}" for m in MUTATIONS])
def test_haz16_each_property_fails_when_its_rule_is_broken(monkeypatch, hazard, check, file, entry, old, new):
    """HAZ-16 a change to the knowledge silently removes a safeguard: with the rule broken in a
    copy of the knowledge, the hazard's property test fails (so these tests can fail)."""
    if yaml.__with_libyaml__:  # the same YAML, parsed by libyaml: loads the copy 5x faster
        monkeypatch.setattr(yaml, "safe_load", lambda text: yaml.load(text, Loader=yaml.CSafeLoader))
    kb = broken_knowledge(file, entry, old, new)
    with pytest.raises(AssertionError, match=hazard):
        check(kb=kb, examples=12, minimise=False, derandomize=True)


# --------------------------------------------------------------------------- HAZ-17


def test_haz17_every_output_carries_the_disclaimer():
    """HAZ-17 output relied on as a prescription: every assessment, its text, its data and each
    of its cards carry the disclaimer (educational, not a medical device)."""
    for case in ({}, {"primary": "breast", "neurological_deficit": True, "her2": "unknown"}):
        a = assess(case)
        assert a.disclaimer == DISCLAIMER and "not a medical device" in DISCLAIMER
        assert DISCLAIMER in a.to_text()
        assert a.to_dict()["disclaimer"] == DISCLAIMER
        assert all(DISCLAIMER in card["detail"] for card in a.to_cards())


# --------------------------------------------------------------------------- HAZ-19


@pytest.mark.parametrize("case", [
    {"primary": "breast", "sex": "female", "age": 70, "weight_kg": 60.0, "creatinine_umol_l": 100.0},
    {"primary": "breast", "sex": "male", "age": 65, "weight_kg": 70.0, "creatinine_umol_l": 124.0},
    {"primary": "breast", "sex": "female", "age": 80, "weight_kg": 50.0, "creatinine_umol_l": 200.0},
])
def test_haz19_the_dose_note_shows_the_clearance_and_its_formula(case):
    """HAZ-19 creatinine clearance misjudged: the zoledronic acid note states the Cockcroft–Gault
    clearance it used (equal to the one computed here), so it can be checked; kidney function is
    recommended whatever the case (test_haz05)."""
    full = {**dict.fromkeys(FIELDS), **case}
    note = " ".join(assess(case).recommendation("bisphosphonate_iv").notes)
    crcl = creatinine_clearance(full)
    assert crcl is not None
    assert f"Creatinine clearance {shown_number(float(crcl)):g} mL/min (Cockcroft–Gault)" in note, note


def test_haz19_an_unknown_clearance_is_said_and_its_test_named():
    """HAZ-19: with an input unknown the note says the clearance is unknown and names the test."""
    note = " ".join(assess({"primary": "breast", "sex": "female", "age": 70}).recommendation("bisphosphonate_iv").notes)
    assert "unknown" in note and "Kidney function (creatinine)" in note and "kidney_function" not in note, note
