"""A front-view body outline with the contract's bone sites marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from ..assessment import Assessment
from ..case import FIELDS, Case
from ._common import as_case, titled

#: The bone sites of the contract, in its order.
BONE_SITES: tuple[str, ...] = FIELDS["bone_sites"].allowed

#: Where each site is drawn (x, y) on the outline, the label's side, and its name.
SITE_POSITIONS: dict[str, tuple[float, float, str, str]] = {
    "skull": (0.0, 9.25, "middle right", "Skull"),
    "spine": (0.0, 6.2, "middle left", "Spine"),
    "ribs": (0.75, 6.95, "middle right", "Ribs"),
    "pelvis": (0.0, 4.55, "middle right", "Pelvis"),
    "upper_arm": (-1.7, 6.55, "middle left", "Upper arm"),
    "upper_leg": (-0.68, 3.0, "middle left", "Upper leg"),
    "other": (2.5, 1.6, "middle right", "Other site"),
}

#: Colours of the site states (Okabe–Ito; the irradiated ring is drawn over the site's state).
SITE_COLOURS: dict[str, str] = {
    "involved": "#D55E00",
    "not involved": "#BBBBBB",
    "unknown": "#F0E442",
    "previously irradiated": "#0072B2",
}

_RIGHT = [(0.25, 8.45), (0.25, 8.1), (1.4, 7.85), (1.8, 7.35), (2.05, 5.6), (2.35, 4.2), (2.05, 4.05),
          (1.75, 5.55), (1.45, 6.5), (1.3, 6.95), (1.15, 5.5), (1.2, 4.6), (1.05, 2.5), (0.85, 0.55),
          (1.05, 0.2), (0.3, 0.2), (0.35, 0.55), (0.3, 2.5), (0.0, 3.95)]


def _path(points: list[tuple[float, float]]) -> str:
    return "M " + " L ".join(f"{x:g} {y:g}" for x, y in points) + " Z"


def _outline() -> list[dict[str, Any]]:
    """Shapes for the body outline and a faint skeleton (no image files)."""
    body = _RIGHT + [(-x, y) for x, y in reversed(_RIGHT[:-1])]
    faint = dict(color="#9a9a9a", width=1.5)
    shapes: list[dict[str, Any]] = [
        dict(type="path", path=_path(body), line=dict(color="#555", width=2), fillcolor="#f4f1ec", layer="below"),
        dict(type="circle", x0=-0.62, y0=8.4, x1=0.62, y1=9.95, line=dict(color="#555", width=2),
             fillcolor="#f4f1ec", layer="below"),
        dict(type="line", x0=0, y0=8.35, x1=0, y1=4.75, line=dict(faint, dash="dot"), layer="below"),  # spine
        dict(type="circle", x0=-0.95, y0=5.85, x1=0.95, y1=7.85, line=faint, layer="below"),  # rib cage
        dict(type="path", path=_path([(-0.95, 4.95), (0.95, 4.95), (0.6, 4.15), (-0.6, 4.15)]),
             line=faint, layer="below"),  # pelvis
    ]
    for side in (-1, 1):
        shapes += [
            dict(type="line", x0=side * 1.55, y0=7.6, x1=side * 1.85, y1=5.6, line=faint, layer="below"),  # humerus
            dict(type="line", x0=side * 0.7, y0=4.3, x1=side * 0.62, y1=1.9, line=faint, layer="below"),  # femur
        ]
    return shapes


def _state(site: str, sites: Sequence[str] | None) -> str:
    if sites is None:
        return "unknown"
    return "involved" if site in sites else "not involved"


def _hover(site: str, case: Case) -> str:
    sites, rt = case.bone_sites, case.prior_radiotherapy_sites
    involved = "unknown (bone sites not recorded)" if sites is None else ("yes" if site in sites else "no")
    irradiated = "unknown" if rt is None else ("yes" if site in rt else "no")
    return f"<b>{SITE_POSITIONS[site][3]}</b><br>involved: {involved}<br>previously irradiated: {irradiated}"


def skeleton_map(case: Case | Assessment | Mapping[str, Any]) -> go.Figure:
    """The case's bone sites on a front-view body outline.

    Parameters
    ----------
    case : Case, Assessment or dict of case fields

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace per site state: ``involved``, ``not involved``, or ``unknown`` (when
        ``bone_sites`` is unknown every site is unknown, never "not involved"); a
        ``previously irradiated`` ring trace over the sites in ``prior_radiotherapy_sites``.
        Each trace's ``customdata`` holds the site ids. A pathological fracture (its site is not
        a case field) is an annotation, as are unknown radiotherapy sites and fracture status.
    """
    case = as_case(case)
    fig = go.Figure(layout=dict(shapes=_outline()))  # one layout update, not one per shape
    states = {s: _state(s, case.bone_sites) for s in BONE_SITES}
    for state, symbol in (("involved", "circle"), ("not involved", "circle"), ("unknown", "diamond")):
        sites = [s for s in BONE_SITES if states[s] == state]
        if not sites:
            continue
        name = "unknown (bone sites not recorded)" if state == "unknown" else state
        fig.add_trace(go.Scatter(
            x=[SITE_POSITIONS[s][0] for s in sites], y=[SITE_POSITIONS[s][1] for s in sites],
            mode="markers", name=name, customdata=sites, meta={"state": state},
            hovertext=[_hover(s, case) for s in sites], hoverinfo="text",
            marker=dict(symbol=symbol, size=18 if state == "involved" else 14, color=SITE_COLOURS[state],
                        line=dict(color="#333", width=1))))
    left = [SITE_POSITIONS[s][2] == "middle left" for s in BONE_SITES]
    fig.add_trace(go.Scatter(  # site names, clear of the irradiated rings
        x=[SITE_POSITIONS[s][0] + (-0.32 if lf else 0.32) for s, lf in zip(BONE_SITES, left, strict=True)],
        y=[SITE_POSITIONS[s][1] for s in BONE_SITES], mode="text", text=[SITE_POSITIONS[s][3] for s in BONE_SITES],
        textposition=["middle left" if lf else "middle right" for lf in left], hoverinfo="skip",
        showlegend=False, meta={"state": "labels"}, textfont=dict(color="#333")))
    irradiated = [s for s in BONE_SITES if s in (case.prior_radiotherapy_sites or [])]
    if irradiated:
        fig.add_trace(go.Scatter(
            x=[SITE_POSITIONS[s][0] for s in irradiated], y=[SITE_POSITIONS[s][1] for s in irradiated],
            mode="markers", name="previously irradiated", customdata=irradiated,
            meta={"state": "previously irradiated"},
            hovertext=[_hover(s, case) for s in irradiated], hoverinfo="text",
            marker=dict(symbol="circle-open", size=30, color=SITE_COLOURS["previously irradiated"],
                        line=dict(width=3))))
    notes = []
    if case.pathological_fracture:
        notes.append("<b>Pathological fracture</b><br>(site not recorded)")
    elif case.pathological_fracture is None:
        notes.append("Pathological<br>fracture: unknown")
    if case.prior_radiotherapy_sites is None:
        notes.append("Previously irradiated<br>sites: unknown")
    for i, note in enumerate(notes):
        fracture = note.startswith("<b>")
        fig.add_annotation(x=0.01, y=0.99 - 0.1 * i, xref="paper", yref="paper", xanchor="left", yanchor="top",
                           text=("\u26a0 " if fracture else "") + note, showarrow=False, align="left",
                           font=dict(color="#a33b00" if fracture else "#444"),
                           bordercolor="#D55E00" if fracture else "#999", borderwidth=2 if fracture else 1,
                           borderpad=4, bgcolor="white")
    titled(fig, "Bone sites", height=640, width=560,
           legend=dict(orientation="h", yanchor="top", y=-0.02, x=0.5, xanchor="center"),
           margin=dict(l=20, r=20, t=80, b=40))
    fig.update_xaxes(visible=False, range=[-3.0, 3.4], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-0.1, 10.6], scaleanchor="x", scaleratio=1, fixedrange=True)
    return fig
