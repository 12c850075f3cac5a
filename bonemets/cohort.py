"""Synthetic cohorts of bone-metastasis cases, for benchmarks, tests and teaching notebooks.

:func:`synthetic` draws a frame of coherent but **made-up** cases in the lean column encoding
that :func:`bonemets.assess_cohort` reads fastest (categoricals, nullable booleans, float64).
The cases are not real patients and their prevalences are mostly illustrative: the frame is for
exercising and demonstrating the engine, never for estimating anything about a population.
:func:`row_record` turns one row back into the plain field mapping that :func:`bonemets.assess`
takes, so a row can be checked against its one-case assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .case import FIELDS
from .columns import EMPTY_LIST
from .prevalences import PREVALENCES

__all__ = ["row_record", "synthetic"]

# --------------------------------------------------------------------------- distributions
# The numbers and their basis (a cited source, or illustrative) are data:
# data/cohort/prevalences.yaml, read and validated by bonemets.prevalences.

_P = PREVALENCES
_PRIMARY_P = _P.primary.value
_FEMALE_P = _P.female_by_primary.value
_AGE_MEAN = _P.age_mean_by_primary.value
_AGE_SD, _AGE_MIN, _AGE_MAX = _P.age_sd.value, _P.age_range.value["min"], _P.age_range.value["max"]
_MENOPAUSE_AGES = (_P.menopause_ages.value["zero_at"], _P.menopause_ages.value["one_at"])

# Breast receptors as first recorded (on the primary tumour).
_ER_POS = _P.er_positive.value
# P(PR positive | ER negative), P(PR positive | ER positive)
_PR_POS_GIVEN_ER = (_P.pr_positive_given_er.value["er_negative"], _P.pr_positive_given_er.value["er_positive"])
_HER2_P = _P.her2.value
_REBIOPSY = _P.rebiopsy.value  # share of breast cases whose recorded receptors come from a metastasis biopsy
_DISCORDANCE = _P.discordance.value  # primary-to-metastasis discordance (cited)

_BONE_SITES: tuple[tuple[tuple[str, ...], float], ...] = tuple(
    (tuple(c.sites), c.weight) for c in _P.bone_sites.value)
_EXTRA_LESIONS_P = _P.extra_lesions.value  # lesions = number of sites - 1 + Geometric(p)
_VISCERAL_P = _P.visceral_metastases.value
_PAIN_P = _P.bone_pain.value
_FRACTURE_BY_PAIN = tuple(_P.fracture_by_pain.value[v] for v in FIELDS["bone_pain"].allowed)
_BACK_PAIN = (_P.back_pain.value["without_spine"], _P.back_pain.value["with_spine"])
_DEFICIT = (_P.neurological_deficit.value["otherwise"], _P.neurological_deficit.value["with_spine_and_back_pain"])
_BLADDER = (_P.bladder_bowel_dysfunction.value["otherwise"], _P.bladder_bowel_dysfunction.value["with_deficit"])
_MARROW = _P.bone_marrow_involvement.value
_HYPERCALCAEMIC = _P.hypercalcaemic.value  # share drawn from the raised-calcium component
_CTCAE_G2_MMOL_L = _P.ctcae_grade_2_mmol_l.value  # corrected Ca above CTCAE grade 1 (cited)
_HYPERCALCAEMIA_SYMPTOMS = (_P.hypercalcaemia_symptoms.value["at_most_threshold"],
                            _P.hypercalcaemia_symptoms.value["above_threshold"])
_CREATININE_MEDIAN = (_P.creatinine_median_umol_l.value["men"], _P.creatinine_median_umol_l.value["women"])
_RENAL_IMPAIRED = _P.renal_impaired.value  # creatinine x 2.5
_WEIGHT = tuple((_P.weight_kg.value[sex]["mean"], _P.weight_kg.value[sex]["sd"]) for sex in ("men", "women"))

# Prior endocrine therapy (drugs in the order of FIELDS), by group of hormone-receptor-positive
# breast cases; every other case has the known empty list "[]".
_ENDOCRINE_BY_GROUP: dict[str, dict[tuple[str, ...], float]] = {
    group: {tuple(c.drugs): c.weight for c in combos} for group, combos in _P.endocrine_by_group.value.items()}
_RESISTANCE_P = _P.endocrine_resistance.value  # after endocrine therapy
_CDK46 = _P.cdk46_inhibitor.value  # HR-positive breast cases with prior endocrine therapy
_CHEMO = tuple(_P.chemotherapy.value[k] for k in ("not_breast", "hr_positive_breast", "hr_negative_breast"))
_CHEMO_MONTHS_MEAN = _P.chemotherapy_months_mean.value  # exponential, capped by the years since diagnosis
_RADIOTHERAPY_P = tuple(_P.radiotherapy.value[k] for k in ("none", "main_site", "every_site"))
_DE_NOVO = (_P.de_novo.value["not_breast"], _P.de_novo.value["breast"])  # metastatic at diagnosis
_YEARS_GAMMA = tuple((_P.years_gamma.value[k]["shape"], _P.years_gamma.value[k]["scale"])
                     for k in ("not_breast", "breast"))
_ON_BONE_STRENGTHENING = _P.on_bone_strengthening.value
_OTHER_CANCER = _P.other_invasive_cancer.value
_DENTAL_CHECK = _P.dental_check_done.value
_COULD_BECOME_PREGNANT = _P.could_become_pregnant.value  # premenopausal women only
_PERFORMANCE_P = tuple(_P.performance_status.value[str(k)] for k in range(5))
_CPS_HIGH = _P.pd_l1_cps_10_or_more.value["hr_negative_breast"]  # ER- and PR- breast cases only
_GERMLINE_BRCA = _P.germline_brca.value  # breast cases only
_LINE_P = _P.line_of_therapy.value
_PLATELETS = tuple((_P.platelets_e9_l.value[k]["mean"], _P.platelets_e9_l.value[k]["sd"])
                   for k in ("otherwise", "with_marrow_involvement"))
_BLOOD_THINNERS = _P.takes_blood_thinners.value


def synthetic(n: int, seed: int = 0, unknown_rate: float = 0.1) -> pd.DataFrame:
    """Draw ``n`` coherent synthetic cases as a frame that :func:`bonemets.assess_cohort` reads.

    Vectorised numpy (``numpy.random.default_rng(seed)``): a million rows take well under two
    seconds and ten million fit in memory (about 1 GB for the frame).

    Parameters
    ----------
    n : int
        Number of rows (>= 0).
    seed : int, default 0
        The same seed gives the same frame; the values before blanking do not depend on
        ``unknown_rate``.
    unknown_rate : float, default 0.1
        Probability, independently for every cell of every field, that the cell is blanked to
        unknown (0 to 1). Blanking never creates a contradiction, since an unknown value
        never contradicts another.

    Returns
    -------
    pandas.DataFrame
        A ``RangeIndex``; one column per field of :data:`bonemets.FIELDS`, in that order:

        - enum fields: ``pandas.Categorical`` whose categories are exactly
          ``FIELDS[name].allowed``, NaN for unknown;
        - list fields (``bone_sites``, ``prior_endocrine_therapy``,
          ``prior_radiotherapy_sites``): categoricals of ``;``-joined values drawn from a small
          set of combinations; ``"[]"`` is the known empty list (never for ``bone_sites``);
        - bool fields: nullable ``"boolean"``;
        - number fields, whole-number fields included: float64 within the field's bounds,
          NaN for unknown.

    Notes
    -----
    **The cases are made up.** The site list, the receptor discordance rates and the share of
    PD-L1 CPS 10 or more are cited; every other probability is ILLUSTRATIVE: chosen to look
    plausible and to exercise every rule, not taken from any source. Do not read prevalences
    off this frame. The numbers, each with its citation or marked illustrative, are in
    ``data/cohort/prevalences.yaml``
    (:data:`bonemets.prevalences.PREVALENCES`), which is the one place they are written. In
    brief: breast cancer is .45 of the cases; ER, PR, HER2 and PD-L1 are drawn for breast cancer
    only (receptors re-tested in half, with the cited discordance); lab values are mostly normal,
    with a share of raised calcium and of impaired kidney function; endocrine therapy, CDK4/6
    inhibitors and the germline BRCA status belong to breast cancer only.

    Fields added with knowledge 0.3.0 (``pd_l1_cps``, ``germline_brca``, ``performance_status``,
    ``platelets_e9_l``, ``line_of_therapy``, ``takes_blood_thinners``) are drawn from a stream of
    their own and blanked last, so the other columns of a seed are as before they were added.

    A field of :data:`bonemets.FIELDS` that this module does not draw (one added to
    :class:`~bonemets.Case` after this module) is present and unknown on every row, in the
    dtype of its kind.

    Coherence kept: men have menopause ``not_applicable`` and never ``could_become_pregnant``;
    ``months_since_chemotherapy`` only with ``prior_chemotherapy`` true; ``endocrine_resistance``
    primary/secondary only with a non-empty ``prior_endocrine_therapy``; radiotherapy sites are
    involved sites; ``bone_lesion_count`` is at least the number of sites. Receptors, endocrine
    therapy and CDK4/6 inhibitors are breast-only (receptors unknown, lists empty elsewhere).

    Examples
    --------
    >>> import bonemets
    >>> from bonemets.cohort import synthetic
    >>> df = synthetic(1000, seed=1)
    >>> result = bonemets.assess_cohort(df)
    >>> len(result) == 1000
    True
    """
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise ValueError(f"n={n!r} is not allowed; allowed: a whole number >= 0")
    if not 0.0 <= unknown_rate <= 1.0:
        raise ValueError(f"unknown_rate={unknown_rate!r} is not allowed; allowed: a number from 0 to 1")
    n = int(n)
    rng = np.random.default_rng(seed)
    cols: dict[str, Any] = {}  # enum: int8 codes; list: (codes, categories); bool: bool array

    def chance(p: float | np.ndarray) -> np.ndarray:
        return rng.random(n, dtype=np.float32) < p

    # Cancer
    primary = _pick(rng, n, _PRIMARY_P, "primary")
    cols["primary"] = primary
    breast = primary == _code("primary", "breast")
    female = chance(_by_code("primary", _FEMALE_P)[primary])
    cols["sex"] = np.where(female, _code("sex", "female"), _code("sex", "male")).astype(np.int8)
    age = rng.normal(_by_code("primary", _AGE_MEAN)[primary], _AGE_SD)
    age = np.clip(np.round(age), _AGE_MIN, _AGE_MAX)
    cols["age"] = age
    lo, hi = _MENOPAUSE_AGES
    post = chance(np.clip((age - lo) / (hi - lo), 0.0, 1.0))
    cols["menopause"] = np.select(
        [~female, post], [_code("menopause", "not_applicable"), _code("menopause", "post")],
        _code("menopause", "pre")).astype(np.int8)
    er_pos = chance(_ER_POS)
    pr_pos = chance(np.where(er_pos, _PR_POS_GIVEN_ER[1], _PR_POS_GIVEN_ER[0]))
    her2 = _pick(rng, n, _HER2_P, "her2")
    rebiopsied = chance(_REBIOPSY)
    er_pos ^= rebiopsied & chance(_DISCORDANCE["er"])
    pr_pos ^= rebiopsied & chance(_DISCORDANCE["pr"])
    her2_pos = her2 == _code("her2", "positive")
    flip = rebiopsied & chance(_DISCORDANCE["her2"])
    low_or_negative = np.where(chance(0.5), _code("her2", "low"), _code("her2", "negative"))
    her2 = np.where(flip & her2_pos, low_or_negative,
                    np.where(flip & ~her2_pos, _code("her2", "positive"), her2)).astype(np.int8)
    for name, positive in (("er", er_pos), ("pr", pr_pos)):
        codes = np.where(positive, _code(name, "positive"), _code(name, "negative"))
        cols[name] = np.where(breast, codes, -1).astype(np.int8)
    cols["her2"] = np.where(breast, her2, -1).astype(np.int8)
    cols["triple_negative"] = None  # always unknown
    hr_pos = breast & (er_pos | pr_pos)

    # Extent
    combos = [c for c, _ in _BONE_SITES]
    site_codes = _pick_index(rng, n, [p for _, p in _BONE_SITES])
    cols["bone_sites"] = (site_codes, [_join("bone_sites", c) for c in combos])
    n_sites = np.array([len(c) for c in combos])[site_codes]
    has_spine = np.array(["spine" in c for c in combos])[site_codes]
    lesions = n_sites - 1 + rng.geometric(_EXTRA_LESIONS_P, n)
    cols["bone_lesion_count"] = np.minimum(lesions, FIELDS["bone_lesion_count"].le or np.inf).astype(float)
    cols["visceral_metastases"] = _pick(rng, n, _VISCERAL_P, "visceral_metastases")
    marrow = chance(_MARROW)
    cols["bone_marrow_involvement"] = marrow

    # Symptoms
    pain = _pick(rng, n, _PAIN_P, "bone_pain")
    cols["bone_pain"] = pain
    cols["pathological_fracture"] = chance(np.array(_FRACTURE_BY_PAIN)[pain])
    back = chance(np.where(has_spine, _BACK_PAIN[1], _BACK_PAIN[0]))
    cols["back_pain"] = back
    deficit = chance(np.where(has_spine & back, _DEFICIT[1], _DEFICIT[0]))
    cols["neurological_deficit"] = deficit
    cols["bladder_bowel_dysfunction"] = chance(np.where(deficit, _BLADDER[1], _BLADDER[0]))

    # Labs
    calcium = np.where(chance(_HYPERCALCAEMIC), rng.uniform(2.75, 3.6, n), rng.normal(2.35, 0.12, n))
    calcium = np.round(np.clip(calcium, 1.6, 4.5), 2)
    albumin = np.round(np.clip(rng.normal(36.0, 5.0, n), 18.0, 52.0))
    cols["calcium_mmol_l"], cols["albumin_g_l"] = calcium, albumin
    corrected = calcium + 0.02 * (40.0 - albumin)
    cols["hypercalcaemia_symptoms"] = chance(
        np.where(corrected > _CTCAE_G2_MMOL_L, _HYPERCALCAEMIA_SYMPTOMS[1], _HYPERCALCAEMIA_SYMPTOMS[0]))
    creatinine = np.exp(rng.normal(np.log(np.where(female, *_CREATININE_MEDIAN[::-1])), 0.3))
    creatinine = np.where(chance(_RENAL_IMPAIRED), creatinine * 2.5, creatinine)
    cols["creatinine_umol_l"] = np.round(np.clip(creatinine, 30.0, 900.0))
    (m_mean, m_sd), (f_mean, f_sd) = _WEIGHT
    weight = rng.normal(np.where(female, f_mean, m_mean), np.where(female, f_sd, m_sd))
    cols["weight_kg"] = np.round(np.clip(weight, 38.0, 160.0), 1)

    # History (drawn before treatment: the chemotherapy timing is capped by it)
    de_novo = chance(np.where(breast, _DE_NOVO[1], _DE_NOVO[0]))
    (o_shape, o_scale), (b_shape, b_scale) = _YEARS_GAMMA
    years = rng.gamma(np.where(breast, b_shape, o_shape), np.where(breast, b_scale, o_scale))
    years = np.where(de_novo, 0.0, np.round(np.minimum(years, np.minimum(age - 18.0, 40.0)), 1))

    # Prior treatment
    endo_combos: list[tuple[str, ...]] = [()]
    for table in _ENDOCRINE_BY_GROUP.values():
        endo_combos += [c for c in table if c not in endo_combos]
    endo = np.zeros(n, dtype=np.int8)  # "[]" unless HR-positive breast
    groups = {"post": hr_pos & female & post, "pre": hr_pos & female & ~post, "male": hr_pos & ~female}
    for group, rows in groups.items():
        table = _ENDOCRINE_BY_GROUP[group]
        picked = _pick_index(rng, n, list(table.values()))
        lut = np.array([endo_combos.index(c) for c in table], dtype=np.int8)
        endo = np.where(rows, lut[picked], endo)
    cols["prior_endocrine_therapy"] = (endo, [_join("prior_endocrine_therapy", c) for c in endo_combos])
    had_endocrine = endo != 0
    resistance = _pick(rng, n, _RESISTANCE_P, "endocrine_resistance")
    cols["endocrine_resistance"] = np.where(
        had_endocrine, resistance, _code("endocrine_resistance", "none")).astype(np.int8)
    cols["prior_cdk46_inhibitor"] = hr_pos & had_endocrine & chance(_CDK46)
    chemo = chance(np.select([hr_pos, breast], [_CHEMO[1], _CHEMO[2]], _CHEMO[0]))
    cols["prior_chemotherapy"] = chemo
    months = np.minimum(np.floor(rng.exponential(_CHEMO_MONTHS_MEAN, n)), np.floor(years * 12.0))
    cols["months_since_chemotherapy"] = np.where(chemo, months, np.nan)
    rt_combos = [()] + sorted({(_main_site(c),) for c in combos}) + [c for c in combos if len(c) > 1]
    main_lut = np.array([rt_combos.index((_main_site(c),)) for c in combos], dtype=np.int8)
    all_lut = np.array([rt_combos.index(c) for c in combos], dtype=np.int8)
    rt_choice = _pick_index(rng, n, list(_RADIOTHERAPY_P))
    rt = np.select([rt_choice == 1, rt_choice == 2], [main_lut[site_codes], all_lut[site_codes]], 0)
    cols["prior_radiotherapy_sites"] = (rt.astype(np.int8), [_join("prior_radiotherapy_sites", c) for c in rt_combos])
    cols["on_bone_strengthening"] = chance(_ON_BONE_STRENGTHENING)

    # History
    cols["years_since_primary_diagnosis"] = years
    cols["other_invasive_cancer"] = chance(_OTHER_CANCER)
    cols["dental_check_done"] = chance(_DENTAL_CHECK)
    cols["could_become_pregnant"] = female & ~post & chance(_COULD_BECOME_PREGNANT)

    # Unknowns last, so the values drawn above do not depend on unknown_rate.
    data: dict[str, Any] = {}
    for name, spec in FIELDS.items():
        if name not in cols:  # a field this module does not model (yet): unknown on every row
            data[name] = _unknown_column(spec, n)
        else:
            data[name] = _blanked(spec, cols[name], chance(unknown_rate) if unknown_rate > 0 else None, n)

    # Fields added with knowledge 0.3.0: drawn from a stream of their own and blanked after all the
    # others, so that the other columns of a given seed are as they were before.
    more = np.random.default_rng([seed, 1])
    added: dict[str, Any] = {}
    cps = np.where(more.random(n) < _CPS_HIGH, more.integers(10, 101, n), more.integers(0, 10, n)).astype(float)
    added["pd_l1_cps"] = np.where(breast & ~(er_pos | pr_pos), cps, np.nan)
    added["germline_brca"] = (more.random(n) < _GERMLINE_BRCA, ~breast)  # (value, unknown): breast only
    added["performance_status"] = _pick_index(more, n, list(_PERFORMANCE_P)).astype(float)
    (p_mean, p_sd), (m_mean, m_sd) = _PLATELETS
    platelets = more.normal(np.where(marrow, m_mean, p_mean), np.where(marrow, m_sd, p_sd))
    added["platelets_e9_l"] = np.round(np.clip(platelets, 5.0, 900.0))
    added["line_of_therapy"] = _pick(more, n, _LINE_P, "line_of_therapy")
    added["takes_blood_thinners"] = more.random(n) < _BLOOD_THINNERS
    for name, value in added.items():
        data[name] = _blanked(FIELDS[name], value, chance(unknown_rate) if unknown_rate > 0 else None, n)
    return pd.DataFrame({name: data[name] for name in FIELDS}, index=pd.RangeIndex(n), copy=False)


def _blanked(spec: Any, value: Any, blank: np.ndarray | None, n: int) -> Any:
    """One drawn column of ``n`` rows in its frame dtype, with the rows of ``blank`` unknown. A bool field's
    value may be ``(values, unknown)`` or None (unknown on every row), a list field's is
    ``(codes, categories)``."""
    if spec.kind == "enum":
        codes = value if blank is None else np.where(blank, np.int8(-1), value)
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(list(spec.allowed)))
    if spec.kind == "list":
        codes, categories = value
        codes = codes if blank is None else np.where(blank, np.int8(-1), codes)
        return pd.Categorical.from_codes(codes, categories=categories)
    if spec.kind == "bool":
        if value is None:
            return pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))
        values, unknown = value if isinstance(value, tuple) else (value, np.zeros(n, bool))
        return pd.arrays.BooleanArray(values, unknown if blank is None else blank | unknown)
    return value if blank is None else np.where(blank, np.nan, value)


def row_record(frame: pd.DataFrame, position: int) -> dict[str, Any]:
    """One row of a cohort frame as the plain field mapping :func:`bonemets.assess` takes.

    Unknown cells are left out; list fields held as ``;``-joined strings become lists
    (``"[]"`` or ``""`` the empty list); booleans become ``bool``, whole-number fields ``int`` and number
    fields ``float``; categorical values become ``str``. Columns that are not case fields are
    ignored.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns named after case fields, encoded as :func:`synthetic` makes them (lists may
        also be Python lists).
    position : int
        Row position (0-based), as for ``frame.iloc``.

    Returns
    -------
    dict of str to object

    Examples
    --------
    >>> import bonemets
    >>> from bonemets.cohort import row_record, synthetic
    >>> record = row_record(synthetic(5, seed=2), 0)
    >>> isinstance(record["bone_sites"], list)
    True
    >>> bonemets.assess(record).knowledge_version == bonemets.knowledge().version
    True
    """
    out: dict[str, Any] = {}
    for name, value in frame.iloc[position].dropna().items():
        spec = FIELDS.get(str(name))
        if spec is None:
            continue
        if spec.kind == "list" and isinstance(value, str):
            text = value.strip()
            out[spec.name] = [] if text in ("", "[]") else [s.strip() for s in text.split(";")]
        elif spec.kind == "list":
            out[spec.name] = [str(v) for v in value]
        elif spec.kind == "bool":
            out[spec.name] = bool(value)
        elif spec.kind == "int":
            out[spec.name] = int(value)
        elif spec.kind == "float":
            out[spec.name] = float(value)
        else:
            out[spec.name] = str(value)
    return out


# --------------------------------------------------------------------------- helpers


def _unknown_column(spec: Any, n: int) -> Any:
    """A column of ``n`` unknown cells in the dtype :func:`synthetic` gives the field's kind."""
    if spec.kind == "enum":
        return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), dtype=pd.CategoricalDtype(list(spec.allowed)))
    if spec.kind == "list":
        return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), categories=pd.Index([], dtype=object))
    if spec.kind == "bool":
        return pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool))
    return np.full(n, np.nan)


def _code(name: str, value: str) -> int:
    """The categorical code of an allowed value of an enum field."""
    return FIELDS[name].allowed.index(value)


def _by_code(name: str, table: dict[str, float]) -> np.ndarray:
    """A per-code lookup array for a table keyed by the allowed values of an enum field.

    A value the table does not name gets 0; it is never drawn (see :func:`_pick`).
    """
    return np.array([table.get(v, 0.0) for v in FIELDS[name].allowed])


def _pick_index(rng: np.random.Generator, n: int, probs: Sequence[float]) -> np.ndarray:
    """``n`` draws of indices 0..k-1 with the given probabilities, as int8."""
    cum = np.cumsum(probs, dtype=np.float64)
    u = rng.random(n, dtype=np.float32) * np.float32(cum[-1])
    codes = np.zeros(n, dtype=np.int8)
    for edge in cum[:-1].astype(np.float32):  # k is small: k comparisons beat a binary search
        codes += u >= edge
    return codes


def _pick(rng: np.random.Generator, n: int, table: dict[str, float], name: str) -> np.ndarray:
    """``n`` draws of an enum field's codes from a table of probabilities by value."""
    values = list(table)
    lut = np.array([_code(name, v) for v in values], dtype=np.int8)
    return lut[_pick_index(rng, n, list(table.values()))]


def _join(name: str, items: tuple[str, ...]) -> str:
    """A list value as a ``;``-joined string, in the order of ``FIELDS[name].allowed``."""
    allowed = FIELDS[name].allowed
    assert all(i in allowed for i in items), (name, items)
    return ";".join(sorted(items, key=allowed.index)) or EMPTY_LIST


def _main_site(sites: tuple[str, ...]) -> str:
    """The site most likely to have been irradiated: the spine if involved, else the first."""
    return "spine" if "spine" in sites else sites[0]
