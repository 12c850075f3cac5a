"""What every figure shares: the disclaimer note, the layout template, text helpers, the status legend,
and the notebook renderer that stores a static copy of each figure (:func:`static_images`)."""

from __future__ import annotations

import hashlib
import re
import textwrap
import warnings
from collections.abc import Mapping
from functools import cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.io.base_renderers import MimetypeRenderer

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


#: What :func:`static_images` makes the default renderer: plotly's JSON (drawn live by JupyterLab, Voila
#: and VS Code) and an SVG copy of the same figure (drawn by nbconvert HTML and static notebook viewers).
RENDERER = "plotly_mimetype+bonemets_svg"
#: plotly.js draws a figure at this size when its layout gives none.
_DEFAULT_SIZE = {"width": 700, "height": 500}
#: plotly.js names each drawing's defs, clip paths and gradients with a random six-character uid.
_UID = re.compile(r'<defs id="defs-(\w+)"')


class _SvgCopy(MimetypeRenderer):
    """An SVG copy of each figure, drawn by kaleido with the system's Chromium; nothing without one."""

    def to_mimebundle(self, fig_dict: dict[str, Any]) -> dict[str, str]:
        svg = svg_image(fig_dict)
        return {"image/svg+xml": svg} if svg is not None else {}


def static_images() -> None:
    """Display every plotly figure with an SVG copy beside its interactive JSON (for notebooks).

    A notebook saved with only plotly's JSON shows blank cells wherever plotly.js is not loaded:
    nbconvert HTML, GitHub and other static viewers. After this call each figure's output holds both
    forms; live front ends draw the JSON, static ones the SVG. The SVG is drawn by kaleido with the
    system's Chromium (``/usr/bin/chromium`` or ``$BROWSER_PATH``), offline (no MathJax, plotly.js from
    the plotly package); without a browser the figure is shown as JSON only, with one warning.
    The renderer it sets is :data:`RENDERER`.
    """
    pio.renderers["bonemets_svg"] = _SvgCopy()
    pio.renderers.default = RENDERER


def svg_image(fig: go.Figure | dict[str, Any]) -> str | None:
    """The figure drawn as SVG by kaleido, the same text for the same figure.

    plotly.js names the drawing's clip paths and gradients with a random uid; it is replaced by a
    hash of the drawing, and traces without a uid are numbered, so that re-running a notebook leaves
    its SVG unchanged and two different figures on one HTML page never share an id.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or dict
        The figure, or its ``to_dict()``.

    Returns
    -------
    str or None
        The SVG document; None (with a warning) when kaleido or a browser is missing.
    """
    fig_dict = fig.to_dict() if isinstance(fig, go.Figure) else fig
    # Traces without a uid get a random one, written into the SVG's class names.
    fig_dict = {**fig_dict, "data": [{"uid": str(i), **trace} for i, trace in enumerate(fig_dict.get("data", []))]}
    missing = _kaleido_server()
    if missing:
        warnings.warn(f"figures are shown without a static image: {missing}", stacklevel=2)
        return None
    import kaleido

    layout = fig_dict.get("layout", {})
    size = {key: layout.get(key) or default for key, default in _DEFAULT_SIZE.items()}
    svg = kaleido.calc_fig_sync(fig_dict, opts=dict(format="svg", scale=1, **size)).decode()
    found = _UID.search(svg)
    if found is None:
        return svg
    uid = found.group(1)
    stable = hashlib.sha1(svg.replace(uid, "").encode(), usedforsecurity=False).hexdigest()[: len(uid)]
    return re.sub(rf'(id="|#)([A-Za-z-]*){uid}', rf"\g<1>\g<2>{stable}", svg)


@cache
def _kaleido_server() -> str:
    """Start kaleido's browser once per process (~5 s; then ~0.5 s a figure); what is missing, if anything."""
    try:
        import kaleido
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return "kaleido is not installed (pip install 'bonemets[notebooks]')"
    if Chromium.find_browser(skip_local=False) is None:  # a server without a browser would wait forever
        return "kaleido found no Chromium or Chrome (apt-get install chromium, or set BROWSER_PATH)"
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    return ""
