"""How an assessment was reached: the case factors that decided each item → the item, as a Sankey
diagram in words."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ..assessment import Assessment, Fact, Reason, Recommendation
from ..knowledge import KnowledgeBase, knowledge
from ..labels import fact_words
from ..views import STATUS_COLOURS, STATUS_LABELS, URGENCY_LABELS, fact_text, reason_text, rgba
from ._common import esc, titled, wrap

_KNOWN_FACTOR = "#7f7f7f"
_UNKNOWN_FACTOR = "#C9B800"
#: Width of the figure: readable on a 1024 px screen or projector.
WIDTH = 1000
_MAX_LABEL = 46


def _short(text: str) -> str:
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1].rstrip() + "\u2026"


def deciding(rec: Recommendation) -> list[tuple[Reason, tuple[Fact, ...], bool]]:
    """The reasons that decided an item's status, each with the facts it rests on and whether it
    is decided by an unknown (True) or by known facts (False).

    A reason decides when its rule holds and gives the item's status, or settles a pending check;
    for an undetermined item, the rules that hang on an unknown factor decide (by their unknown
    facts). Defaults, a family's summary of its options, and rules resting on no fact decide
    nothing a factor could change, and are left out.
    """
    out = []
    for r in rec.reasons:
        if r.outcome in ("applies", "pending") and (r.gives == rec.status or r.outcome == "pending"):
            facts = tuple(f for f in r.facts if f.known or f.bounds is not None) or r.facts
            out.append((r, facts, r.outcome == "pending"))
        elif r.outcome == "unknown" and rec.status == "undetermined":
            out.append((r, tuple(f for f in r.facts if not f.known and f.bounds is None), True))
    return [(r, facts, unknown) for r, facts, unknown in out if facts]


def _column(keys: list[str], size: dict[str, int], x: float) -> dict[str, tuple[float, float]]:
    """Node positions down one column, in order, each centred in a share of the height by its size."""
    total, at, out = sum(size[k] for k in keys) or 1, 0, {}
    for k in keys:
        out[k] = (x, 0.001 + 0.998 * (at + size[k] / 2) / total)
        at += size[k]
    return out


def factor_label(fact: Fact, kb: KnowledgeBase | None = None) -> str:
    """A fact as a node label, in words: ``ER positive``, ``HER2 unknown``, or for a number known
    only within bounds, its bounds in words."""
    if fact.known:
        return fact_words(fact.field, fact.value)
    return fact_text(fact, kb, settle=False)


def decision_sankey(a: Assessment, include_not_indicated: bool = False, families: bool = False) -> go.Figure:
    """The case factors that decided each item → the item, coloured by its status.

    Built from each recommendation's reasons (:func:`deciding`); nothing is re-evaluated. Items
    that no factor decided (a default, or a rule that holds for every case) are left out, and so
    are factors that decided nothing.

    Parameters
    ----------
    a : Assessment
        From :func:`bonemets.assess`.
    include_not_indicated : bool
        Also show items whose status is ``not_indicated`` (left out by default).
    families : bool
        Also show each family with options (by default its options stand for it).

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Sankey`` trace. Node ``customdata`` holds ``factor:<field>=<value>`` or
        ``item:<id>`` and the hover text; node labels are in words; item nodes are coloured by
        status. A link is labelled ``decided`` (known facts: the rule holds) or ``unknown`` (the
        item hangs on that unknown factor, or a safety check waits on it), and hovers the rule's
        reason in words.
    """
    kb = a.knowledge or knowledge()
    nodes: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, str], dict[str, Any]] = {}
    left_out = 0
    for rec in a.recommendations:
        if (rec.status == "not_indicated" and not include_not_indicated) or (
                rec.kind == "family" and kb.options_of(rec.id) and not families):
            continue
        decided = deciding(rec)
        if not decided:
            left_out += 1
            continue
        colour, status = STATUS_COLOURS[rec.status], STATUS_LABELS[rec.status]
        item = f"item:{rec.id}"
        nodes[item] = dict(label=_short(f"{rec.name} \u2014 {status}"), colour=colour,
                           hover=f"<b>{esc(rec.name)}</b><br>status: <b>{status}</b>, "
                                 f"urgency: {URGENCY_LABELS[rec.urgency]}")
        for reason, facts, unknown in decided:
            why = wrap(reason_text(reason, kb), 70)
            for fact in facts:
                key = f"factor:{fact.field}={fact.value!r}"
                nodes.setdefault(key, dict(
                    label=_short(factor_label(fact, kb)), colour=_KNOWN_FACTOR if fact.known else _UNKNOWN_FACTOR,
                    hover=f"<b>{wrap(fact_text(fact, kb), 70)}</b>"))
                old = links.get((key, item))
                if old is None or (old["label"] == "unknown" and not unknown):
                    links[(key, item)] = dict(label="unknown" if unknown else "decided", hover=why,
                                              colour=rgba(colour, 0.2 if unknown else 0.55))
    order = {st: i for i, st in enumerate(STATUS_COLOURS)}
    items = sorted((k for k in nodes if k.startswith("item:")), key=lambda k: order[a.status(k[5:])])
    rank = {k: i for i, k in enumerate(items)}
    factors = sorted((k for k in nodes if k.startswith("factor:")),  # beside the items they decide
                     key=lambda k: sum(rank[t] for s, t in links if s == k) / sum(s == k for s, _ in links))
    keys = factors + items
    index = {k: i for i, k in enumerate(keys)}
    size = {k: max(1, sum(k in pair for pair in links)) for k in keys}
    xy = {**_column(factors, size, 0.001), **_column(items, size, 0.999)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[nodes[k]["label"] for k in keys], color=[nodes[k]["colour"] for k in keys],
                  x=[xy[k][0] for k in keys], y=[xy[k][1] for k in keys],
                  customdata=[[k, nodes[k]["hover"]] for k in keys], pad=6, thickness=14,
                  line=dict(color="#333", width=0.5), hovertemplate="%{customdata[1]}<extra></extra>"),
        link=dict(source=[index[s] for s, _ in links], target=[index[t] for _, t in links],
                  value=[1] * len(links), color=[v["colour"] for v in links.values()],
                  label=[v["label"] for v in links.values()], customdata=[v["hover"] for v in links.values()],
                  hovertemplate="%{source.label} \u2192 %{target.label} (%{label})<br>%{customdata}<extra></extra>")))
    column = max(len(factors), len(keys) - len(factors), 1)
    height = max(420, 170 + 28 * column)
    titled(fig, "What decided each item: case factors \u2192 items", height=height,
           width=WIDTH, font=dict(size=12), margin=dict(l=10, r=10, t=90, b=60))
    note = ("Faint links: the item hangs on an unknown factor (or a safety check waits on it). Item colour: "
            "status." + (f" Not shown: {left_out} item(s) no case factor decided." if left_out else ""))
    fig.add_annotation(x=0, y=-50 / (height - 150), xref="paper", yref="paper", yanchor="bottom", xanchor="left",
                       showarrow=False, text=esc(note), font=dict(size=11, color="#444"))
    if not links:
        fig.add_annotation(text="No case factor decided an item yet.", showarrow=False, xref="paper",
                           yref="paper", x=0.5, y=0.5)
    return fig
