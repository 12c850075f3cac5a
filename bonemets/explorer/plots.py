"""The explorer's figures: which :mod:`bonemets.figures` it draws, and how a figure reaches an
``Output`` widget (plotly's notebook mime type, no ``FigureWidget``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import plotly.io as pio

from .. import figures

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from ..assessment import Assessment
    from .comparison import Comparison

#: Wider figures are drawn at the width of the explorer's column.
MAX_FIGURE_WIDTH = 900


def figure_makers() -> dict[str, Callable[[Assessment], go.Figure]]:
    """The figures the explorer draws for one assessment, by title."""
    return {
        "Skeleton map": figures.skeleton_map,
        "Decision paths": figures.decision_sankey,
        "Treatment schedule (52 weeks)": lambda a: figures.schedule_timeline(a, weeks=52),
    }


def assessment_figures(a: Assessment) -> tuple[dict[str, go.Figure], dict[str, str]]:
    """Every explorer figure for an assessment, and a one-line error for any that failed."""
    figs, errors = {}, {}
    for title, make in figure_makers().items():
        try:
            figs[title] = make(a)
        except Exception as err:  # a figure must never take the explorer down
            errors[title] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    return figs, errors


def comparison_figure(cmp: Comparison, label_a: str, label_b: str) -> go.Figure:
    """The applicability matrix of the two assessments of a comparison (families and tests)."""
    return figures.applicability_matrix({label_a: cmp.a, label_b: cmp.b})


def figure_output(fig: go.Figure) -> dict[str, Any]:
    """A figure as a notebook ``display_data`` output (plotly's mime type, as its notebook
    renderer sends it), ready for an ``Output`` widget's ``outputs``. A figure wider than the
    explorer's column is given the column's width."""
    spec = json.loads(pio.to_json(fig, validate=False))
    layout = spec.setdefault("layout", {})
    if (layout.get("width") or 0) > MAX_FIGURE_WIDTH:  # fit the explorer's column instead
        del layout["width"]
        layout["autosize"] = True
    spec["config"] = {"displaylogo": False, "responsive": True}
    title = fig.layout.title.text or "figure"
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.plotly.v1+json": spec, "text/plain": f"<plotly figure: {title}>"}}
