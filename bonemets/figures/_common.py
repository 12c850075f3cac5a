"""What every figure shares: status colours, the disclaimer note, text helpers."""

from __future__ import annotations

import textwrap
from typing import Any, Mapping

import plotly.graph_objects as go
import plotly.io as pio

from ..assessment import Assessment, Citation
from ..case import Case
from ..pipeline import assess
from ..vocabulary import STATUSES

#: One colour per status, in the order of :data:`bonemets.STATUSES` (Okabe–Ito palette,
#: distinguishable with the common colour-vision deficiencies).
STATUS_COLOURS: dict[str, str] = {
    "recommended": "#009E73",    # bluish green
    "consider": "#56B4E9",       # sky blue
    "undetermined": "#F0E442",   # yellow: hangs on an unknown factor
    "not_indicated": "#BBBBBB",  # grey
    "avoid": "#D55E00",          # vermillion
}

#: A short mark per status, for cells too small for words (colour is never the only cue).
STATUS_MARKS: dict[str, str] = {
    "recommended": "+", "consider": "~", "undetermined": "?", "not_indicated": "·", "avoid": "×",
}

#: Carried by the title of every figure.
NOTE = "Educational tool, not a medical device"

_WHITE = pio.templates["plotly_white"].layout
#: The look of plotly_white, layout only: plotly validates a whole template (defaults for every
#: trace type) on each assignment, ~17 ms a figure, which the explorer pays on every change.
TEMPLATE = go.layout.Template(layout=go.Layout(
    paper_bgcolor=_WHITE.paper_bgcolor, plot_bgcolor=_WHITE.plot_bgcolor, font=_WHITE.font,
    xaxis=_WHITE.xaxis, yaxis=_WHITE.yaxis, colorway=_WHITE.colorway, hoverlabel=_WHITE.hoverlabel,
    title=_WHITE.title))


def titled(fig: go.Figure, title: str, **layout: Any) -> go.Figure:
    """Give a figure its title, the disclaimer note as subtitle, and the common layout."""
    fig.update_layout(
        title=dict(text=esc(title), subtitle=dict(text=f"{NOTE}: check every output against its cited sources."),
                   x=0.01, xanchor="left"),
        template=TEMPLATE, hoverlabel=dict(align="left"), **{"font": dict(size=12), **layout})
    return fig


def as_assessment(obj: Case | Assessment | Mapping[str, Any]) -> Assessment:
    """An assessment of a case, a dict of fields, or the assessment itself."""
    return obj if isinstance(obj, Assessment) else assess(obj)


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


def cited(citations: "list[Any] | tuple[Citation, ...]", kb: Any = None, width: int = 80) -> str:
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
            x=[0], y=[i], mode="markers+text", name=status, text=[f"{STATUS_MARKS[status]}  {status}"],
            textposition="middle right", hovertext=[status], hoverinfo="text",
            marker=dict(symbol="square", size=22, color=STATUS_COLOURS[status],
                        line=dict(color="#444", width=1))))
    titled(fig, "Statuses", height=320, width=560, showlegend=False, margin=dict(l=20, r=20, t=80, b=20))
    fig.update_xaxes(visible=False, range=[-0.3, 2.5])
    fig.update_yaxes(visible=False, autorange="reversed")
    return fig
