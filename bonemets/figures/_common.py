"""What every figure shares: the disclaimer note, the layout template, text helpers, the status legend."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from ..assessment import Assessment, Citation
from ..case import Case
from ..views import STATUS_COLOURS, STATUS_LABELS, STATUS_MARKS
from ..vocabulary import STATUSES

#: Carried by the title of every figure.
NOTE = "Educational tool, not a medical device"

_WHITE = pio.templates["plotly_white"].layout
#: The look of plotly_white, layout only: plotly validates a whole template (defaults for every
#: trace type) on each assignment, ~17 ms a figure, which the explorer pays on every change.
TEMPLATE = go.layout.Template(layout=go.Layout(
    paper_bgcolor=_WHITE.paper_bgcolor, plot_bgcolor=_WHITE.plot_bgcolor, font=_WHITE.font,
    xaxis=_WHITE.xaxis, yaxis=_WHITE.yaxis, colorway=_WHITE.colorway, hoverlabel=_WHITE.hoverlabel,
    title=_WHITE.title))


def titled(fig: go.Figure, title: str, caveat: str | None = None, **layout: Any) -> go.Figure:
    """Give a figure its title, the disclaimer note as subtitle (with ``caveat`` after it, by
    default "check every output against its cited sources."), and the common layout."""
    caveat = caveat or "check every output against its cited sources."
    fig.update_layout(
        title=dict(text=esc(title), subtitle=dict(text=f"{NOTE}: {esc(caveat)}"), x=0.01, xanchor="left"),
        template=TEMPLATE, hoverlabel=dict(align="left"), **{"font": dict(size=12), **layout})
    return fig


def as_case(obj: Case | Assessment | Mapping[str, Any]) -> Case:
    """The case of an assessment, a case, or a dict of fields validated as one."""
    if isinstance(obj, Assessment):
        return obj.case
    return obj if isinstance(obj, Case) else Case.model_validate(dict(obj))


def esc(text: object) -> str:
    """Text made safe for plotly labels, which read a little HTML (``<br>``, ``<b>``)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap(text: object, width: int = 80, max_chars: int | None = None) -> str:
    """Escaped text wrapped with ``<br>``, shortened to ``max_chars`` with an ellipsis."""
    text = str(text)
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "\u2026"
    return "<br>".join(esc(line) for line in textwrap.wrap(text, width)) or esc(text)


def cited(citations: list[Any] | tuple[Citation, ...], kb: Any = None, width: int = 80) -> str:
    """Hover lines naming each source label and section (knowledge or assessment citations)."""
    lines = []
    for c in citations:
        label = c.label if isinstance(c, Citation) else (
            kb.sources[c.source].label() if kb is not None and c.source in kb.sources else c.source)
        lines.append(wrap(f"\u2022 {label}: \u201c{c.section}\u201d", width))
    return "<br>".join(lines)


def status_legend() -> go.Figure:
    """A small figure naming each status beside its colour and mark.

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace per status, in the order of :data:`bonemets.STATUSES`.
    """
    fig = go.Figure()
    for i, status in enumerate(STATUSES):
        fig.add_trace(go.Scatter(
            x=[0], y=[i], mode="markers+text", name=STATUS_LABELS[status],
            text=[f"{STATUS_MARKS[status]}  {STATUS_LABELS[status]}"], textposition="middle right",
            hovertext=[STATUS_LABELS[status]], hoverinfo="text", meta={"status": status},
            marker=dict(symbol="square", size=22, color=STATUS_COLOURS[status],
                        line=dict(color="#444", width=1))))
    titled(fig, "Statuses", height=320, width=560, showlegend=False, margin=dict(l=20, r=20, t=80, b=20))
    fig.update_xaxes(visible=False, range=[-0.3, 2.5])
    fig.update_yaxes(visible=False, autorange="reversed")
    return fig
