"""Which items apply to which cases: a heatmap of statuses, from assessments already made."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import STATUS_DTYPE
from ..assessment import Assessment, Recommendation
from ..case import suggest
from ..knowledge import knowledge
from ..views import STATUS_COLOURS, STATUS_LABELS, STATUS_MARKS, URGENCY_LABELS, reason_lines
from ..vocabulary import STATUSES
from ._common import esc, titled, wrap

if TYPE_CHECKING:  # pragma: no cover
    from ..knowledge import KnowledgeBase

Kind = Literal["family", "option", "test"]
_MAX_REASONS = 4


def default_items(kind: Kind | None = None, kb: KnowledgeBase | None = None) -> list[str]:
    """Every family then every test (``kind=None``), or every item of one kind, in report order."""
    kb = kb or knowledge()
    kinds = ("family", "test") if kind is None else (kind,)
    if kind is not None and kind not in ("family", "option", "test"):
        raise ValueError(f"kind={kind!r} is not allowed; allowed: family, option, test")
    return [i for k in kinds for i in kb.items() if kb.kind(i) == k]


def _head(case_name: str, item_name: str, status: str, urgency: str) -> list[str]:
    return [f"<b>{esc(case_name)}</b> \u2192 <b>{esc(item_name)}</b>",
            f"status: <b>{STATUS_LABELS[status]}</b>"
            + (f", urgency: {URGENCY_LABELS[urgency]}" if urgency != "routine" else "")]


def _hover(case_name: str, rec: Recommendation, kb: KnowledgeBase | None) -> str:
    lines = _head(case_name, rec.name, rec.status, rec.urgency)
    reasons = reason_lines(rec, kb)
    for line in reasons[:_MAX_REASONS]:
        lines.append(wrap("\u2022 " + line, 90, max_chars=220))
    if len(reasons) > _MAX_REASONS:
        lines.append(f"\u2026 and {len(reasons) - _MAX_REASONS} more reason(s)")
    return "<br>".join(lines)


def _from_assessments(assessments: Mapping[str, Assessment], ids: list[str]) -> tuple[np.ndarray, list[list[str]]]:
    """Status codes and hover texts (with reasons) of named assessments."""
    recs = {n: [a.recommendation(i) for i in ids] for n, a in assessments.items()}
    codes = np.array([[STATUSES.index(r.status) for r in row] for row in recs.values()], dtype=np.int8)
    hovers = [[_hover(n, r, assessments[n].knowledge) for r in row] for n, row in recs.items()]
    return codes.reshape(len(recs), len(ids)), hovers


def _from_frame(result: pd.DataFrame, ids: list[str], kb: KnowledgeBase) -> tuple[np.ndarray, list[list[str]]]:
    """Status codes and hover texts of the frame :func:`bonemets.assess_cohort` returns."""
    absent = [i for i in ids if i not in result.columns]
    if absent:
        raise KeyError(f"'{absent[0]}' is not a column of the frame: pass the frame bonemets.assess_cohort "
                       "returns (one status column per family, option and test)")
    codes = np.column_stack([result[i].astype(STATUS_DTYPE).cat.codes.to_numpy() for i in ids]) if ids else \
        np.empty((len(result), 0), dtype=np.int8)
    if (codes < 0).any():
        row, col = map(int, np.argwhere(codes < 0)[0])
        raise ValueError(f"row {result.index[row]!r}, column '{ids[col]}' holds no status; allowed: "
                         + ", ".join(STATUSES))
    urgency = {i: result[f"{i}:urgency"].astype(str).to_numpy() if f"{i}:urgency" in result.columns
               else np.full(len(result), "routine") for i in ids}
    names = {i: kb.items()[i].name for i in ids}
    hovers = [["<br>".join(_head(str(n), names[i], STATUSES[codes[r, c]], urgency[i][r]))
               for c, i in enumerate(ids)] for r, n in enumerate(result.index)]
    return codes, hovers


def applicability_matrix(assessed: pd.DataFrame | Mapping[str, Assessment], items: Iterable[str] | None = None,
                         kind: Kind | None = None, kb: KnowledgeBase | None = None) -> go.Figure:
    """A heatmap of statuses: one row per case (or what-if variant), one column per item.

    Nothing is assessed here: the statuses come from the frame :func:`bonemets.assess_cohort`
    returns (one vectorised call for every row), or from assessments already made.

    Parameters
    ----------
    assessed : pandas.DataFrame or mapping of str to Assessment
        The frame ``assess_cohort(cases)`` returns, whose index names the cases (the hover gives
        each status, and the urgency when the frame has ``<id>:urgency`` columns, from
        ``assess_cohort(..., urgency=True)``); or named assessments (:func:`bonemets.assess`),
        whose hover also gives the reasons. Rows in this order.
    items : iterable of str, optional
        Item ids (columns). Default: every family then every test, or every item of ``kind``.
    kind : {'family', 'option', 'test'}, optional
        Keep only items of this kind.
    kb : KnowledgeBase, optional
        The knowledge the statuses came from (item kinds and names): default the assessments'
        own, or :func:`bonemets.knowledge` for a frame.

    Returns
    -------
    plotly.graph_objects.Figure
        ``data[0]`` is a ``Heatmap`` whose ``z`` holds status codes (indices into
        :data:`bonemets.STATUSES`), ``x`` the item ids (the axis shows their names), ``y`` the case
        names, ``customdata`` the hover text and ``text`` a mark per status; then one empty legend trace per status
        names the colours (``meta`` is ``{"status": id}``).

    Raises
    ------
    KeyError
        An item id that is not a family, option or test (or not a column of the frame).
    """
    if kb is None:
        first = next(iter(assessed.values()), None) if isinstance(assessed, Mapping) else None
        kb = first.knowledge if first is not None and first.knowledge is not None else knowledge()
    ids = list(items) if items is not None else default_items(kind, kb)
    if items is not None and kind is not None:
        ids = [i for i in ids if kb.kind(i) == kind]
    unknown = [i for i in ids if i not in kb.items()]
    if unknown:
        raise KeyError(f"'{unknown[0]}' is not a family, option or test id{suggest(unknown[0], kb.items())}")
    if isinstance(assessed, pd.DataFrame):
        names = [str(n) for n in assessed.index]
        codes, hovers = _from_frame(assessed, ids, kb)
    else:
        names = [str(n) for n in assessed]
        codes, hovers = _from_assessments(assessed, ids)
    k = len(STATUSES)
    scale = [[edge, STATUS_COLOURS[s]] for j, s in enumerate(STATUSES) for edge in (j / k, (j + 1) / k)]
    fig = go.Figure(go.Heatmap(
        z=codes.tolist(), x=ids, y=names, zmin=-0.5, zmax=k - 0.5, colorscale=scale, xgap=2, ygap=2,
        text=[[STATUS_MARKS[STATUSES[c]] for c in row] for row in codes], texttemplate="%{text}",
        textfont=dict(size=14, color="#222"), customdata=hovers,
        hovertemplate="%{customdata}<extra></extra>", showscale=False))
    for status in STATUSES:  # the colour key, as a legend in the order of STATUSES
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers",
                                 name=f"{STATUS_MARKS[status]} {STATUS_LABELS[status]}",
                                 marker=dict(symbol="square", size=14, color=STATUS_COLOURS[status],
                                             line=dict(color="#444", width=1)), meta={"status": status}))
    what = {None: "Families and tests", "family": "Families", "option": "Treatment options", "test": "Tests"}[kind]
    titled(fig, f"{what}: status per case", height=max(360, 190 + 34 * len(names)),
           width=max(700, 300 + 26 * len(ids)), margin=dict(l=20, r=20, t=90, b=20),
           legend=dict(title="status", traceorder="normal", itemclick=False, itemdoubleclick=False))
    fig.update_xaxes(tickangle=-50, side="bottom", showgrid=False, tickvals=ids,  # names in sight, ids in data
                     ticktext=[esc(kb.items()[i].name) for i in ids])
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig
