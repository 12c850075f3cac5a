"""When treatments are given and when benefit can be expected, as the sources say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from ..assessment import Assessment
from ..knowledge import KnowledgeBase, Option, Schedule, knowledge
from ..views import STATUS_COLOURS, STATUS_LABELS
from ._common import cited, esc, titled, wrap

NO_SCHEDULE = "no schedule in the sources"
_BENEFIT_COLOUR = "rgba(0, 158, 115, 0.28)"
_SHOWN = ("recommended", "consider")
_GIVEN = {"intravenous": "infusion", "subcutaneous": "injection", "injection": "injection",
          "procedure": "procedure", "surgery": "operation"}


def dose_weeks(schedule: Schedule, weeks: float) -> tuple[list[float], list[float]]:
    """Weeks of each dose within ``weeks``: at the usual interval, then at the de-escalated one.

    Doses fall at 0, ``every_weeks``, 2 × ``every_weeks`` … before ``de_escalate_after_weeks``;
    from the last of those the interval becomes ``de_escalate_to_weeks`` (for example zoledronic
    acid every 3–4 weeks, every 12 weeks after about a year). Without ``every_weeks`` (a
    single treatment or a daily one) the answer is ``([0], [])``.

    Returns
    -------
    (list of float, list of float)
        The weeks at the usual interval, and the weeks at the de-escalated interval.
    """
    step = schedule.every_weeks
    if step is None and schedule.every_days is not None and schedule.every_days >= 7:
        step = schedule.every_days / 7
    if step is None:
        return [0.0], []
    longer = schedule.de_escalate_to_weeks
    end = schedule.de_escalate_after_weeks if longer else None
    usual, t = [], 0.0
    while t <= weeks and (end is None or t < end):
        usual.append(t)
        t += step
    later: list[float] = []
    if end is not None and longer and usual:
        t = usual[-1] + longer
        while t <= weeks:
            later.append(t)
            t += longer
    return usual, later


def _interval(s: Schedule) -> str:
    if s.every_weeks is not None:
        span = f"{s.every_weeks:g}\u2013{s.every_weeks_max:g}" if s.every_weeks_max else f"{s.every_weeks:g}"
        shown = f" (drawn at {s.every_weeks:g})" if s.every_weeks_max else ""
        return f"every {span} weeks{shown}"
    if s.every_days is not None:
        return "daily" if s.every_days == 1 else f"every {s.every_days:g} days"
    return "no interval given (a single treatment or a short course)"


def _schedule_hover(opt: Option, s: Schedule, kb: KnowledgeBase, status: str) -> str:
    """The hover text of an option's schedule ``s``."""
    lines = [f"<b>{esc(opt.name)}</b> ({STATUS_LABELS[status]})", esc(_interval(s))]
    if s.duration_minutes:
        lines.append(f"{_GIVEN.get(opt.route or '', 'given')} time: about {s.duration_minutes:g} minutes")
    if s.de_escalate_to_weeks and s.de_escalate_after_weeks:
        lines.append(f"may change to every {s.de_escalate_to_weeks:g} weeks after about "
                     f"{s.de_escalate_after_weeks:g} weeks")
    return "<br>".join(lines + [wrap(s.text, 80), "Sources:", cited(s.sources, kb)])


def _doses(fig: go.Figure, row: int, option: str, status: str, hover: str, s: Schedule, weeks: int,
           legend: Callable[[str], dict[str, Any]]) -> None:
    """Dose markers of one option (a diamond at week 0 for a single treatment), and the
    dashed mark where the interval may lengthen."""
    usual, later = dose_weeks(s, weeks)
    xs = usual + later
    single = s.every_weeks is None and s.every_days is None
    texts = [f"week {x:g}: {'treatment' if single else f'dose {i + 1}'}"
             + (" (longer interval)" if x in later else "") + f"<br>{hover}" for i, x in enumerate(xs)]
    fig.add_trace(go.Scatter(
        x=xs, y=[row] * len(xs), mode="markers", text=texts, hoverinfo="text",
        name=f"{'single treatment' if single else 'dose'} ({STATUS_LABELS[status]})",
        marker=dict(symbol="diamond" if single else "circle", size=11 if single else 9,
                    color=STATUS_COLOURS[status], line=dict(color="#333", width=1)),
        meta={"option": option, "part": "doses", "usual": usual, "de_escalated": later},
        **legend(f"{'single' if single else 'dose'}:{status}")))
    if s.de_escalate_to_weeks and s.de_escalate_after_weeks and s.de_escalate_after_weeks <= weeks:
        at = s.de_escalate_after_weeks
        fig.add_trace(go.Scatter(
            x=[at, at], y=[row - 0.42, row + 0.42], mode="lines", line=dict(color="#333", dash="dash", width=1.5),
            name="interval may lengthen", hoverinfo="text",
            text=f"after about {at:g} weeks: may change to every {s.de_escalate_to_weeks:g} weeks",
            meta={"option": option, "part": "de-escalation"}, **legend("de-escalation")))


def schedule_timeline(a: Assessment, weeks: int = 52) -> go.Figure:
    """Dosing and time to benefit of the options that are recommended or to consider and whose
    sources give a schedule (the others are named in a note under the chart).

    Parameters
    ----------
    a : Assessment
        From :func:`bonemets.assess`.
    weeks : int
        Length of the time axis, in weeks from the start of treatment.

    Returns
    -------
    plotly.graph_objects.Figure
        One row per option with a schedule (recommended, then consider, in report order). Each
        trace's ``meta`` is ``{"option": id, "part": ...}`` with part ``doses`` (markers at each
        dose, :func:`dose_weeks`), ``daily`` (a continuous bar), ``benefit`` (a shaded band from
        ``time_to_benefit.min_weeks`` to ``max_weeks``) or ``de-escalation`` (a dashed mark where
        the interval lengthens). The layout's ``meta`` is ``{"no_schedule": [ids]}``: the options
        recommended or to consider that have no schedule in the sources (named in the note).
    """
    kb = a.knowledge or knowledge()
    chosen = [r for s in _SHOWN for r in a.recommendations if r.kind == "option" and r.status == s]
    recs = [r for r in chosen if kb.options[r.id].schedule is not None]
    bare = [r for r in chosen if kb.options[r.id].schedule is None]
    fig = go.Figure()
    seen: set[str] = set()

    def legend(group: str) -> dict[str, Any]:
        first = group not in seen
        seen.add(group)
        return dict(legendgroup=group, showlegend=first)

    for row, rec in enumerate(recs):
        opt, colour = kb.options[rec.id], STATUS_COLOURS[rec.status]
        s, ttb = opt.schedule, opt.time_to_benefit
        assert s is not None  # recs hold only options with a schedule
        if s.every_days is not None and s.every_days < 7:
            hover = _schedule_hover(opt, s, kb, rec.status)
            xs = list(range(weeks + 1))
            fig.add_trace(go.Scatter(
                x=xs, y=[row] * len(xs), mode="lines", line=dict(color=colour, width=9), opacity=0.75,
                name=f"daily ({STATUS_LABELS[rec.status]})", text=[f"week {x}<br>{hover}" for x in xs],
                hoverinfo="text",
                meta={"option": rec.id, "part": "daily"}, **legend(f"daily:{rec.status}")))
        else:
            _doses(fig, row, rec.id, rec.status, _schedule_hover(opt, s, kb, rec.status), s, weeks, legend)
        if ttb is not None:  # drawn last, over the bar: a translucent band
            hover = (f"<b>{esc(opt.name)}</b>: time to benefit {ttb.min_weeks:g}\u2013{ttb.max_weeks:g} weeks<br>"
                     f"{wrap(ttb.text, 80)}<br>Sources:<br>{cited(ttb.sources, kb)}")
            lo, hi = ttb.min_weeks, min(ttb.max_weeks, weeks)
            fig.add_trace(go.Scatter(
                x=[lo, hi, hi, lo, lo], y=[row - 0.38, row - 0.38, row + 0.38, row + 0.38, row - 0.38],
                fill="toself", fillcolor=_BENEFIT_COLOUR, line=dict(color="#00694c", width=1.5),
                mode="lines", hoveron="fills", text=hover, hoverinfo="text", name="time to benefit",
                meta={"option": rec.id, "part": "benefit", "min_weeks": ttb.min_weeks, "max_weeks": ttb.max_weeks},
                **legend("benefit")))
    labels = [f"{r.name} ({STATUS_LABELS[r.status]})" for r in recs]
    note = (f"Also recommended or to consider, {NO_SCHEDULE}: " + ", ".join(r.name for r in bare) + "."
            if bare else "")
    extra = 40 if bare else 0
    height = max(300, 190 + 42 * len(recs)) + extra
    titled(fig, f"Schedules and time to benefit over {weeks} weeks", height=height, width=1000,
           meta={"no_schedule": [r.id for r in bare]},
           legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.01, x=0, xanchor="left"),
           margin=dict(l=20, r=20, t=90, b=110 + extra))
    if bare:  # under the axis title, above the legend
        fig.add_annotation(x=0, y=-52 / (height - 200 - extra), xref="paper", yref="paper", yanchor="top",
                           xanchor="left", showarrow=False, align="left", text=wrap(note, 150),
                           font=dict(size=11, color="#444"))
    fig.update_xaxes(range=[-1.5, weeks + 1.5], title="weeks from the start of treatment", zeroline=False,
                     dtick=4 if weeks <= 60 else (8 if weeks <= 120 else None))
    fig.update_yaxes(tickvals=list(range(len(recs))), ticktext=[esc(t) for t in labels],
                     range=[len(recs) - 0.5, -0.5], showgrid=False, zeroline=False)
    if not recs:
        fig.add_annotation(text="No option with a schedule in the sources is recommended or to consider.",
                           showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5)
    return fig
