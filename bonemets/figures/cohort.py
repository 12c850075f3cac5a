"""Statuses across a cohort, by breast-cancer subtype or any other grouping (vectorised)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import STATUS_DTYPE
from ..case import FIELDS
from ..knowledge import knowledge
from ..labels import field_name, value_text
from ..views import STATUS_COLOURS, STATUS_LABELS
from ..vocabulary import STATUSES
from ._common import esc, titled

#: The subtypes :func:`breast_subtype` gives, in order.
SUBTYPES: tuple[str, ...] = ("HR+/HER2-", "HER2+", "triple negative", "unknown")
SUBTYPE_DTYPE = pd.CategoricalDtype(list(SUBTYPES), ordered=True)
_MISSING = {"subtype": "not breast"}


def _is(frame: pd.DataFrame, column: str, value: str | tuple[str, ...]) -> np.ndarray:
    """Boolean array: the column holds (one of) the value(s); missing or absent is False."""
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    values = (value,) if isinstance(value, str) else value
    return frame[column].isin(values).to_numpy(dtype=bool)


def breast_subtype(cohort: pd.DataFrame) -> pd.Series:
    """The breast-cancer subtype of each row, from ``er``, ``pr`` and ``her2``.

    - ``HER2+``: HER2 positive (whatever ER and PR).
    - ``HR+/HER2-``: HER2 negative or low (HER2-low counts as HER2-negative) and ER or PR positive.
    - ``triple negative``: HER2 negative or low, ER negative and PR negative.
    - ``unknown``: any other row, where an unknown receptor could change the subtype (HER2
      unknown; or HER2 negative with no receptor positive and ER or PR unknown).

    Rows whose ``primary`` is known and is not ``breast`` get a missing value (no subtype).

    Parameters
    ----------
    cohort : pandas.DataFrame
        Case-field columns; absent or missing receptors are unknown.

    Returns
    -------
    pandas.Series
        Categorical with categories ``HR+/HER2-``, ``HER2+``, ``triple negative``, ``unknown``,
        named ``subtype``, on the cohort's index.
    """
    her2_pos = _is(cohort, "her2", "positive")
    her2_neg = _is(cohort, "her2", ("negative", "low"))
    hr_pos = _is(cohort, "er", "positive") | _is(cohort, "pr", "positive")
    hr_neg = _is(cohort, "er", "negative") & _is(cohort, "pr", "negative")
    codes = np.select([her2_pos, her2_neg & hr_pos, her2_neg & hr_neg], [1, 0, 2], default=3).astype(np.int8)
    if "primary" in cohort:
        primary = cohort["primary"]
        not_breast = (primary.notna() & ~primary.isin(("breast", "unknown"))).to_numpy(dtype=bool)
        codes[not_breast] = -1
    return pd.Series(pd.Categorical.from_codes(codes, dtype=SUBTYPE_DTYPE), index=cohort.index, name="subtype")


def _key(name: str, cohort: pd.DataFrame, result: pd.DataFrame) -> pd.Series:
    """A grouping column as a categorical whose missing values have a label."""
    if name == "subtype" and "subtype" not in cohort:
        series = breast_subtype(cohort)
    elif name in cohort:
        series = cohort[name]
    elif name in result:
        series = result[name]
    else:
        raise KeyError(f"'{name}' is neither 'subtype' nor a column of the cohort or the result")
    series = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    missing = _MISSING.get(name, "unknown")
    if series.isna().any():
        if missing not in series.cat.categories:
            series = series.cat.add_categories([missing])
        series = series.fillna(missing)
    return series.cat.remove_unused_categories()


def status_counts(result: pd.DataFrame, cohort: pd.DataFrame, item: str,
                  by: Sequence[str] = ("subtype", "menopause")) -> pd.DataFrame:
    """Counts of each status of one item per group: groups as rows, statuses as columns.

    Parameters
    ----------
    result : pandas.DataFrame
        :func:`bonemets.assess_cohort` of ``cohort`` (same index).
    cohort : pandas.DataFrame
    item : str
    by : sequence of str
        ``subtype`` (see :func:`breast_subtype`), or columns of the cohort or the result.

    Returns
    -------
    pandas.DataFrame
        Index: the groups present (a MultiIndex for several keys); columns: every status.
    """
    return _counts(result, _group(result, cohort, by), [item])[item]


def _group(result: pd.DataFrame, cohort: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.Index]:
    """Group number of each row (one groupby on categoricals) and the group labels."""
    if not result.index.equals(cohort.index):
        raise ValueError("result and cohort must have the same index (result = assess_cohort(cohort))")
    by = list(by)
    if not by:
        return np.zeros(len(result), dtype=np.int64), pd.Index(["all"])
    keys = pd.DataFrame({b: _key(b, cohort, result).array for b in by})
    grouper = keys.groupby(by, observed=True, sort=True)
    return grouper.ngroup().to_numpy(), grouper.size().index


def _counts(result: pd.DataFrame, groups: tuple[np.ndarray, pd.Index], items: Sequence[str]) -> dict[str, pd.DataFrame]:
    gid, labels = groups
    k = len(STATUSES)
    out = {}
    for item in items:
        status = result[item]
        if status.dtype != STATUS_DTYPE:
            status = status.astype(STATUS_DTYPE)
        codes = status.cat.codes.to_numpy()
        ok = codes >= 0
        flat = np.bincount(gid[ok] * k + codes[ok], minlength=len(labels) * k)
        out[item] = pd.DataFrame(flat.reshape(len(labels), k), index=labels, columns=list(STATUSES))
    return out


def cohort_summary(result: pd.DataFrame, cohort: pd.DataFrame, items: str | Sequence[str],
                   by: Sequence[str] = ("subtype", "menopause")) -> go.Figure:
    """Stacked bars: how many cases of each group get each status, one panel per item.

    Parameters
    ----------
    result : pandas.DataFrame
        The output of :func:`bonemets.assess_cohort` on ``cohort``.
    cohort : pandas.DataFrame
        The cases (case-field columns), same index as ``result``.
    items : str or sequence of str
        Item ids (columns of ``result``).
    by : sequence of str
        Grouping: ``subtype`` (:func:`breast_subtype`; rows of other primaries are ``not
        breast``) and/or columns of the cohort or result; missing values form an ``unknown``
        group. Two keys give a two-level axis.

    Returns
    -------
    plotly.graph_objects.Figure
        One panel per item; per panel one ``Bar`` trace per status (``meta`` is
        ``{"item": id, "status": status}``, ``y`` the counts per group in the order of ``x``).
    """
    items = [items] if isinstance(items, str) else list(items)
    by = list(by)
    groups = _group(result, cohort, by)
    counts = _counts(result, groups, items)
    labels = groups[1]
    if len(by) == 2:
        x: list[str] | list[list[str]] = [[value_text(v) for v in labels.get_level_values(level)] for level in (0, 1)]
        names = [f"{a} \u00b7 {b}" for a, b in zip(*x, strict=True)]
    else:
        names = [" \u00b7 ".join(map(value_text, v)) if isinstance(v, tuple) else value_text(v) for v in labels]
        x = names
    known = knowledge().items()
    said = {i: known[i].name if i in known else i for i in items}
    fig = make_subplots(rows=len(items), cols=1, shared_xaxes=True, vertical_spacing=min(0.08, 0.3 / len(items)),
                        subplot_titles=[esc(said[i]) for i in items])
    for row, item in enumerate(items, start=1):
        table = counts[item]
        totals = table.sum(axis=1).to_numpy()
        for status in STATUSES:
            y = table[status].to_numpy()
            share = np.divide(y, totals, out=np.zeros(len(y)), where=totals > 0)
            fig.add_trace(go.Bar(
                x=x, y=y, name=STATUS_LABELS[status], marker_color=STATUS_COLOURS[status], legendgroup=status,
                showlegend=row == 1, meta={"item": item, "status": status},
                customdata=np.column_stack([names, share * 100]),
                hovertemplate=f"{esc(said[item])}<br>%{{customdata[0]}}<br>{STATUS_LABELS[status]}: %{{y:,}} "
                              "(%{customdata[1]:.1f}%)<extra></extra>"), row=row, col=1)
        fig.update_yaxes(title_text="cases", row=row, col=1)
    n = len(result)
    grouping = " and ".join(field_name(b) if b in FIELDS else b for b in by) or "cohort"
    titled(fig, f"Statuses by {grouping} (n = {n:,} cases)", barmode="stack",
           height=max(380, 170 + 230 * len(items)), width=max(700, 320 + 34 * len(names)),
           legend=dict(title="status", traceorder="normal"), margin=dict(l=20, r=20, t=120, b=40))
    return fig
