"""Public data sets as cohorts of cases, through documented loaders (one ``load_<name>`` each).

Each loader returns a frame that :func:`bonemets.assess_cohort` reads: case-field columns built
from the raw data by a mapping stated in the loader's docstring, and the raw columns kept under
a prefix as passthrough columns. A mapping turns a data set collected for another purpose into
the questions this package asks; its limits are part of the result and are stated with it.

Educational and research use only: not a medical device, and the results are illustrations,
not outcome studies.

>>> from bonemets.datasets import load_gbsg2, GBSG2_PASSTHROUGH
>>> df = load_gbsg2()
>>> len(df), bool(df["her2"].isna().all())
(686, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .case import FIELDS
from .columns import EMPTY_LIST

__all__ = ["GBSG2_PASSTHROUGH", "PRIMARY_RESISTANCE_DAYS", "RECEPTOR_THRESHOLD_FMOL", "load_gbsg2"]

#: ER and PR are read as positive at or above this ligand-binding level (fmol/mg cytosol protein).
RECEPTOR_THRESHOLD_FMOL = 10
#: Relapse within this many days of starting adjuvant endocrine therapy is primary resistance.
PRIMARY_RESISTANCE_DAYS = 730

_RAW = ["time", "cens", "tsize", "tgrade", "pnodes", "horTh", "menostat", "estrec", "progrec"]
#: The raw GBSG2 columns kept by ``load_gbsg2(mapped=True)``, each with a ``gbsg2_`` prefix; pass
#: them as ``assess_cohort(df, passthrough=GBSG2_PASSTHROUGH)`` to keep them in the result.
GBSG2_PASSTHROUGH: list[str] = [f"gbsg2_{c}" for c in _RAW]


def load_gbsg2(mapped: bool = True) -> pd.DataFrame:
    """German Breast Cancer Study Group 2 (GBSG2): 686 women with primary node-positive breast
    cancer, as a cohort of cases asked "if these women relapsed in bone, what would apply?".

    Source: the copy shipped with lifelines (``lifelines.datasets.load_gbsg2``, from the R
    package TH.data; Sauerbrei and Royston 1999); no download. Size: 686 rows, 10 raw columns.
    Recruited 1984-1989 by the GBSG-2 trial (CMF chemotherapy, with or without tamoxifen for
    two years, after mastectomy) and its comprehensive cohort; the 686 have complete data.

    Raw columns::

        horTh     hormonal therapy (tamoxifen): "yes" / "no"
        age       age in years
        menostat  menopausal status: "Pre" / "Post"
        tsize     tumour size (mm)
        tgrade    tumour grade: I < II < III
        pnodes    number of positive lymph nodes
        progrec   progesterone receptor (fmol/mg, ligand-binding assay)
        estrec    oestrogen receptor (fmol/mg, ligand-binding assay)
        time      recurrence-free survival time (days)
        cens      1 = recurrence (event), 0 = censored

    Parameters
    ----------
    mapped : bool, default True
        ``False``: the raw frame exactly as lifelines ships it. ``True``: case-field columns
        built by the mapping below, plus the raw columns in :data:`GBSG2_PASSTHROUGH`.

    Returns
    -------
    pandas.DataFrame
        686 rows on a ``RangeIndex``. With ``mapped=True``, case fields in the lean dtypes of
        :func:`bonemets.cases_frame` (categoricals with the allowed values as categories,
        nullable booleans, ``;``-joined lists, missing = unknown), then the ``gbsg2_*``
        columns (``gbsg2_tgrade`` an ordered categorical, the others as shipped). Case
        fields that are not columns are unknown on every row.

    Notes
    -----
    The mapping, field by field:

    - ``primary`` = breast; ``sex`` = female; ``age`` = ``age``.
    - ``er`` / ``pr``: positive if ``estrec`` / ``progrec`` >= 10 fmol/mg
      (:data:`RECEPTOR_THRESHOLD_FMOL`), else negative. 10 fmol/mg is the conventional cut-off
      of the ligand-binding assays of the time (biochemistry on tumour cytosol). Receptors are
      now read by immunohistochemistry (the share of stained tumour nuclei), which does not
      classify every tumour the same way: a modern re-test could differ.
    - ``her2``: unknown on every row. HER2 was not measured in GBSG2; unknown is never read
      as negative.
    - ``menopause``: ``menostat`` Pre -> pre, Post -> post.
    - ``prior_endocrine_therapy``: ``"tamoxifen"`` where ``horTh`` is yes, else ``"[]"`` (the
      known empty list).
    - ``endocrine_resistance``, where ``horTh`` is yes: **primary** if a recurrence
      (``cens`` 1) came within 730 days (:data:`PRIMARY_RESISTANCE_DAYS`), the "relapse
      within the first 2 years of adjuvant endocrine therapy" definition (clinical-facts §2;
      time is counted from the start of follow-up, taken as the start of tamoxifen, which the
      trial began perioperatively); **secondary** if the recurrence came later. The secondary
      label is an *approximation*: its definition is unverified in the project's clinical
      reference, and in the trial tamoxifen was planned for two years, so a late relapse came
      after tamoxifen had stopped. With no recurrence it is *unknown*: there is no relapse
      to classify. Where ``horTh`` is no it is **none**: no endocrine therapy, so no
      resistance to it (the convention of :func:`bonemets.cohort.synthetic`).
    - ``first_metastasis`` = true: the question is a first relapse in bone.
    - ``prior_chemotherapy``: unknown. Every patient randomised in the trial had CMF, but the
      data set has no chemotherapy column and includes non-randomised patients.
    - ``visceral_metastases``: unknown. Every other case field (bone sites, symptoms, labs,
      prior CDK4/6 inhibitor, ...) is absent, hence unknown.

    Limits: a cohort of *primary* breast cancer treated in the 1980s, asked a hypothetical
    question (if these women relapsed in bone); HER2 unknown; no bone sites, symptoms or labs;
    receptors from the primary tumour by an old assay. The assessment is a teaching and
    research illustration of how the rules sort a real case mix, not an outcome study and not
    a statement about these women.

    References
    ----------
    M. Schumacher, G. Bastert, H. Bojar, K. Huebner, M. Olschewski, W. Sauerbrei, C. Schmoor,
    C. Beyerle, R.L.A. Neumann and H.F. Rauschecker for the German Breast Cancer Study Group
    (1994). Randomized 2 x 2 trial evaluating hormonal treatment and the duration of
    chemotherapy in node-positive breast cancer patients. Journal of Clinical Oncology, 12,
    2086-2093.

    W. Sauerbrei and P. Royston (1999). Building multivariable prognostic and diagnostic models:
    transformation of the predictors by using fractional polynomials. Journal of the Royal
    Statistical Society Series A, 162(1), 71-94.

    lifelines, ``lifelines.datasets.load_gbsg2``: https://lifelines.readthedocs.io

    Examples
    --------
    >>> import bonemets
    >>> from bonemets.datasets import load_gbsg2, GBSG2_PASSTHROUGH
    >>> result = bonemets.assess_cohort(load_gbsg2(), passthrough=GBSG2_PASSTHROUGH)
    >>> bool((result["receptor_retest"] == "recommended").all())
    True
    """
    try:
        from lifelines.datasets import load_gbsg2 as _lifelines_gbsg2
    except ImportError as err:  # an optional dependency (the "cohort" extra)
        raise ImportError("load_gbsg2 needs lifelines: pip install 'bonemets[cohort]'") from err
    raw = _lifelines_gbsg2()
    if not mapped:
        return raw
    return _map_gbsg2(raw)


def _categorical(name: str, values: np.ndarray) -> pd.Categorical:
    """An enum field as a categorical whose categories are the allowed values (None = unknown)."""
    return pd.Categorical(values, categories=FIELDS[name].allowed)


def _map_gbsg2(raw: pd.DataFrame) -> pd.DataFrame:
    n = len(raw)
    hormonal = raw["horTh"].eq("yes").to_numpy()
    relapsed = raw["cens"].eq(1).to_numpy()
    early = raw["time"].le(PRIMARY_RESISTANCE_DAYS).to_numpy()

    def receptor(fmol: str) -> np.ndarray:
        return np.where(raw[fmol].to_numpy() >= RECEPTOR_THRESHOLD_FMOL, "positive", "negative")

    resistance = np.full(n, None, dtype=object)
    resistance[~hormonal] = "none"
    resistance[hormonal & relapsed & early] = "primary"
    resistance[hormonal & relapsed & ~early] = "secondary"
    menopause = raw["menostat"].map({"Pre": "pre", "Post": "post"}).to_numpy(dtype=object)
    unknown = np.full(n, None, dtype=object)
    out = pd.DataFrame({
        "primary": _categorical("primary", np.full(n, "breast", dtype=object)),
        "sex": _categorical("sex", np.full(n, "female", dtype=object)),
        "age": raw["age"].to_numpy(dtype=float),
        "menopause": _categorical("menopause", menopause),
        "er": _categorical("er", receptor("estrec")),
        "pr": _categorical("pr", receptor("progrec")),
        "her2": _categorical("her2", unknown),
        "visceral_metastases": _categorical("visceral_metastases", unknown),
        "prior_endocrine_therapy": pd.Categorical(np.where(hormonal, "tamoxifen", EMPTY_LIST),
                                                  categories=[EMPTY_LIST, "tamoxifen"]),
        "endocrine_resistance": _categorical("endocrine_resistance", resistance),
        "prior_chemotherapy": pd.array([pd.NA] * n, dtype="boolean"),
        "first_metastasis": pd.array([True] * n, dtype="boolean"),
    }, index=raw.index)
    for col in _RAW:
        out[f"gbsg2_{col}"] = raw[col].to_numpy()
    out["gbsg2_tgrade"] = pd.Categorical(raw["tgrade"], categories=["I", "II", "III"], ordered=True)
    return out
