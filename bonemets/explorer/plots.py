"""The explorer's figures: which :mod:`bonemets.figures` it draws, and how a figure reaches an
``Output`` widget (plotly's notebook mime type, no ``FigureWidget``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
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
        fig, error = _draw(make, a)
        if fig is None:
            errors[title] = error
        else:
            figs[title] = fig
    return figs, errors


def _sites(value: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(sorted(value))


#: What each figure draws, as a key: the same key, the same figure (no need to draw it again).
_DRAWS: dict[str, Callable[[Assessment], Hashable]] = {
    "Skeleton map": lambda a: (_sites(a.case.bone_sites), _sites(a.case.prior_radiotherapy_sites),
                               a.case.pathological_fracture),
    "Treatment schedule (52 weeks)": lambda a: tuple(
        (r.id, r.status) for r in a.recommendations if r.kind == "option" and r.status in ("recommended", "consider")),
}


class FigureCache:
    """The explorer's figures, each drawn again only when what it shows changed.

    The skeleton map shows three case fields, the schedule the options recommended or to
    consider; most changes of a control change neither, so their figures are kept (the same
    object: the explorer then leaves its widget alone). The decision diagram shows every reason,
    and is drawn on every change.
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[Hashable, go.Figure]] = {}

    def figures(self, a: Assessment) -> tuple[dict[str, go.Figure], dict[str, str]]:
        """Like :func:`assessment_figures`, reusing a figure whose key has not changed."""
        figs, errors = {}, {}
        for title, make in figure_makers().items():
            key = (id(a.knowledge), _DRAWS[title](a)) if title in _DRAWS else None
            kept = self._kept.get(title)
            if key is not None and kept is not None and kept[0] == key:
                figs[title] = kept[1]
                continue
            fig, error = _draw(make, a)
            if fig is None:
                errors[title] = error
                continue
            figs[title] = fig
            if key is not None:
                self._kept[title] = (key, fig)
        return figs, errors


def _draw(make: Callable[[Assessment], go.Figure], a: Assessment) -> tuple[go.Figure | None, str]:
    """A figure, or None and a one-line error (a figure must never take the explorer down)."""
    try:
        return make(a), ""
    except Exception as err:
        return None, f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"


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
