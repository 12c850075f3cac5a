"""Kaplan–Meier survival curves of a cohort, one panel per grouping (lifelines, ``cohort`` extra)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..views import rgba
from ._common import esc, titled

#: Colours of the groups, in order across the panels (Okabe–Ito, after the status colours'
#: meanings: none of these says "recommended" or "avoid").
GROUP_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: Decimals kept of the survival estimates and of the times (display precision).
DECIMALS = 4


def _groupings(frame: pd.DataFrame, by: str | pd.Series | Sequence[str | pd.Series] | None) -> list[pd.Series]:
    """Each grouping as a Series on the frame's index, named for its panel title."""
    if by is None:
        return [pd.Series(pd.Categorical(["all"] * len(frame)), index=frame.index, name="")]
    many = [by] if isinstance(by, (str, pd.Series)) else list(by)
    out = []
    for key in many:
        if isinstance(key, str):
            if key not in frame.columns:
                raise KeyError(f"by: '{key}' is not a column of the frame")
            key = frame[key]
        elif not key.index.equals(frame.index):
            raise ValueError(f"by: the Series '{key.name}' must have the frame's index")
        out.append(key)
    return out


def _levels(group: pd.Series) -> list[object]:
    """The groups in order: a categorical's categories (those present), else sorted values."""
    present = group.dropna()
    if isinstance(group.dtype, pd.CategoricalDtype):
        return [c for c in group.cat.categories if (present == c).any()]
    return sorted(present.unique(), key=str)


def kaplan_meier(frame: pd.DataFrame, duration: str, event: str,
                 by: str | pd.Series | Sequence[str | pd.Series] | None = None, *, per: float = 1.0,
                 time_label: str = "time", survival_label: str = "survival", band: bool = True,
                 title: str = "Kaplan\u2013Meier estimate", caveat: str | None = None) -> go.Figure:
    """Kaplan–Meier estimates of survival, one step curve per group, one panel per grouping.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per person.
    duration : str
        Column of follow-up times (rows with a missing time or event are left out).
    event : str
        Column that is 1 (or True) when the event was observed, 0 when the time is censored.
    by : str, pandas.Series, or a sequence of them, optional
        Groupings: a column name or a Series on the frame's index (its name titles the panel);
        one panel each, side by side. Groups follow a categorical's order, else sorted values;
        rows with a missing group are left out. Default: one curve of every row.
    per : float
        Divide the times by this for the axis (365.25 turns days into years).
    time_label, survival_label : str
        Axis titles.
    band : bool
        Also draw the 95% confidence band (exponential Greenwood, as lifelines gives it).
    title : str
    caveat : str, optional
        Said after the disclaimer note in the subtitle (for example what the event is not).

    Returns
    -------
    plotly.graph_objects.Figure
        Per group, in order: with ``band``, the upper and the lower bound of the band
        (``meta["part"]`` ``upper``, ``lower``), then the estimate (``survival``), each a
        step line (``line.shape == "hv"``) with ``x`` the times (divided by ``per``) at 0 and
        at every distinct follow-up time of the group, and ``y`` the estimate there, starting
        at 1, both rounded to :data:`DECIMALS` decimals. ``meta`` also holds ``group`` (the
        group's value as text), ``by`` (the panel title) and ``n`` (rows in the group).

    Raises
    ------
    ModuleNotFoundError
        Without lifelines (``pip install 'bonemets[cohort]'``).
    """
    from lifelines import KaplanMeierFitter

    for column in (duration, event):
        if column not in frame.columns:
            raise KeyError(f"'{column}' is not a column of the frame")
    groupings = _groupings(frame, by)
    titles = [f"by {str(g.name).replace('_', ' ')}" if g.name else "" for g in groupings]
    fig = make_subplots(rows=1, cols=len(groupings), shared_yaxes=True, subplot_titles=[esc(t) for t in titles],
                        horizontal_spacing=0.06)
    known = frame[duration].notna() & frame[event].notna()
    curves = 0
    for col, (group, panel) in enumerate(zip(groupings, titles, strict=True), start=1):
        for level in _levels(group):
            rows = known & (group == level).to_numpy(dtype=bool)
            km = KaplanMeierFitter().fit(frame.loc[rows, duration], frame.loc[rows, event].astype(int))
            x = np.round(km.timeline / per, DECIMALS)
            colour, n = GROUP_COLOURS[curves % len(GROUP_COLOURS)], int(rows.sum())
            curves += 1
            meta = {"group": str(level), "by": panel, "n": n}
            if band:
                low, high = (np.round(km.confidence_interval_.iloc[:, i].to_numpy(), DECIMALS) for i in (0, 1))
                edge = dict(shape="hv", width=0)
                fig.add_trace(go.Scatter(x=x, y=high, line=edge, legendgroup=f"{col}:{level}", showlegend=False,
                                         hoverinfo="skip", meta={**meta, "part": "upper"}), row=1, col=col)
                fig.add_trace(go.Scatter(x=x, y=low, line=edge, fill="tonexty", fillcolor=rgba(colour, 0.15),
                                         legendgroup=f"{col}:{level}", showlegend=False, hoverinfo="skip",
                                         meta={**meta, "part": "lower"}), row=1, col=col)
            fig.add_trace(go.Scatter(
                x=x, y=np.round(km.survival_function_.iloc[:, 0].to_numpy(), DECIMALS),
                name=esc(f"{level} (n = {n})"), legendgroup=f"{col}:{level}", line=dict(color=colour, shape="hv"),
                meta={**meta, "part": "survival"},
                hovertemplate=f"{esc(level)}<br>{esc(time_label)}: %{{x:.2f}}<br>{esc(survival_label)}: "
                              "%{y:.3f}<extra></extra>"), row=1, col=col)
        fig.update_xaxes(title_text=esc(time_label), row=1, col=col)
    titled(fig, title, caveat, height=460,
           width=max(560, 470 * len(groupings)), margin=dict(t=120), legend=dict(traceorder="normal"))
    fig.update_yaxes(title_text=esc(survival_label), range=[0, 1.02], row=1, col=1)
    return fig
