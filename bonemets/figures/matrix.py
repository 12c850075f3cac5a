"""Which items apply to which cases: a heatmap of statuses with the reasons in the hover."""

from __future__ import annotations

from typing import Any, Iterable, Literal, Mapping

import pandas as pd
import plotly.graph_objects as go

from ..assessment import Assessment, Recommendation
from ..case import Case
from ..knowledge import knowledge
from ..vocabulary import STATUSES
from ._common import STATUS_COLOURS, STATUS_MARKS, as_assessment, esc, titled, wrap

_MAX_REASONS = 4


def _assessments(cases: Mapping[str, Any] | pd.DataFrame) -> dict[str, Assessment]:
    """One assessment per named case (a DataFrame row is read as :func:`bonemets.cohort.row_record`)."""
    if isinstance(cases, pd.DataFrame):
        from ..cohort import row_record

        return {str(name): as_assessment(row_record(cases, i)) for i, name in enumerate(cases.index)}
    return {str(name): as_assessment(case) for name, case in cases.items()}


def default_items(kind: Literal["family", "option", "test"] | None = None) -> list[str]:
    """Every family then every test (``kind=None``), or every item of one kind, in report order."""
    kb = knowledge()
    kinds = ("family", "test") if kind is None else (kind,)
    if kind is not None and kind not in ("family", "option", "test"):
        raise ValueError(f"kind={kind!r} is not allowed; allowed: family, option, test")
    return [i for k in kinds for i in kb.items() if kb.kind(i) == k]


def _hover(case_name: str, rec: Recommendation) -> str:
    lines = [f"<b>{esc(case_name)}</b> \u2192 <b>{esc(rec.name)}</b> ({esc(rec.id)})",
             f"status: <b>{rec.status}</b>" + (f", urgency: {rec.urgency}" if rec.urgency != "routine" else "")]
    for reason in rec.reasons[:_MAX_REASONS]:
        lines.append(wrap("\u2022 " + reason.line(), 90, max_chars=220))
    if len(rec.reasons) > _MAX_REASONS:
        lines.append(f"\u2026 and {len(rec.reasons) - _MAX_REASONS} more reason(s)")
    return "<br>".join(lines)


def applicability_matrix(cases: Mapping[str, Case | Assessment | Mapping[str, Any]] | pd.DataFrame,
                         items: Iterable[str] | None = None,
                         kind: Literal["family", "option", "test"] | None = None) -> go.Figure:
    """A heatmap of statuses: one row per case (or what-if variant), one column per item.

    Statuses and reasons come from :func:`bonemets.assess`, one case at a time.

    Parameters
    ----------
    cases : mapping of str to Case, Assessment or dict; or pandas.DataFrame
        Named cases, in row order. A DataFrame has case-field columns (list fields as lists or
        ``;``-separated strings) and the case names as its index.
    items : iterable of str, optional
        Item ids (columns). Default: every family then every test, or every item of ``kind``.
    kind : {'family', 'option', 'test'}, optional
        Keep only items of this kind.

    Returns
    -------
    plotly.graph_objects.Figure
        ``data[0]`` is a ``Heatmap`` whose ``z`` holds status codes (indices into
        :data:`bonemets.STATUSES`), ``x`` the item ids, ``y`` the case names, ``customdata``
        the hover text (status and reasons) and ``text`` a mark per status; then one empty
        legend trace per status names the colours.

    Raises
    ------
    KeyError
        An item id that is not a family, option or test.
    """
    assessments = _assessments(cases)
    kb = knowledge()
    ids = list(items) if items is not None else default_items(kind)
    if items is not None and kind is not None:
        ids = [i for i in ids if kb.kind(i) == kind]
    names = list(assessments)
    recs = {n: {i: a.recommendation(i) for i in ids} for n, a in assessments.items()}
    z = [[STATUSES.index(recs[n][i].status) for i in ids] for n in names]
    k = len(STATUSES)
    scale = [[edge, STATUS_COLOURS[s]] for j, s in enumerate(STATUSES) for edge in (j / k, (j + 1) / k)]
    fig = go.Figure(go.Heatmap(
        z=z, x=ids, y=names, zmin=-0.5, zmax=k - 0.5, colorscale=scale, xgap=2, ygap=2,
        text=[[STATUS_MARKS[recs[n][i].status] for i in ids] for n in names], texttemplate="%{text}",
        textfont=dict(size=14, color="#222"),
        customdata=[[_hover(n, recs[n][i]) for i in ids] for n in names],
        hovertemplate="%{customdata}<extra></extra>",
        showscale=False))
    for status in STATUSES:  # the colour key, as a legend in the order of STATUSES
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{STATUS_MARKS[status]} {status}",
                                 marker=dict(symbol="square", size=14, color=STATUS_COLOURS[status],
                                             line=dict(color="#444", width=1)), meta={"status": status}))
    what = {None: "Families and tests", "family": "Families", "option": "Treatment options", "test": "Tests"}[kind]
    titled(fig, f"{what}: status per case", height=max(360, 190 + 34 * len(names)),
           width=max(700, 300 + 26 * len(ids)), margin=dict(l=20, r=20, t=90, b=20),
           legend=dict(title="status", traceorder="normal", itemclick=False, itemdoubleclick=False))
    fig.update_xaxes(tickangle=-50, side="bottom", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig
