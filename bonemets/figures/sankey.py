"""How an assessment was reached: case factors → rules → items, as a Sankey diagram."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from ..assessment import Assessment, Fact, Reason
from ..knowledge import knowledge
from ..views import STATUS_COLOURS, STATUS_LABELS, URGENCY_LABELS, rgba
from ._common import esc, titled, wrap

_FACTOR_COLOUR = "#7f7f7f"
_RULE_COLOUR = "#4d4d4d"
_KNOWN_LINK = "rgba(90, 90, 90, 0.38)"
_UNKNOWN_LINK = "rgba(90, 90, 90, 0.12)"
_EVERY_CASE = "(applies to every case)"


def factor_label(fact: Fact) -> str:
    """``er: positive``, ``bone_sites: spine, pelvis``, or ``her2: unknown``."""
    if not fact.known:
        return f"{fact.field}: unknown"
    value = fact.value
    if isinstance(value, bool):
        value = str(value).lower()
    elif isinstance(value, list):
        value = ", ".join(map(str, value)) or "none"
    return f"{fact.field}: {value}"


def decision_sankey(a: Assessment, include_not_indicated: bool = False, families: bool = False) -> go.Figure:
    """Case factors → the rules that applied (or hang on an unknown) → items, by status.

    Built from each recommendation's reasons (``Reason.rule``, ``Reason.outcome``,
    ``Reason.facts``); nothing is re-evaluated.

    Parameters
    ----------
    a : Assessment
        From :func:`bonemets.assess`.
    include_not_indicated : bool
        Also show items whose status is ``not_indicated`` (left out by default).
    families : bool
        Also show each family with options, linked from the options that set its status.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Sankey`` trace. Node ``customdata`` holds ``factor:<label>``, ``rule:<id>`` or
        ``item:<id>``; item nodes are coloured by status. Links from unknown factors and from
        rules that hang on an unknown are lighter and labelled ``unknown``.
    """
    kb = a.knowledge or knowledge()
    titles = {r.rule.id: r.rule.title for r in kb.rules}
    nodes: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, str], dict[str, Any]] = {}

    def node(key: str, label: str, colour: str, hover: str) -> str:
        nodes.setdefault(key, dict(label=label, colour=colour, hover=hover))
        return key

    def link(src: str, dst: str, unknown: bool, colour: str | None = None) -> None:
        label = "unknown" if unknown else "applies"
        if colour is None:
            colour = _UNKNOWN_LINK if unknown else _KNOWN_LINK
        old = links.get((src, dst))
        if old is None or (old["label"] == "unknown" and not unknown):
            links[(src, dst)] = dict(label=label, colour=colour)

    shown = [r for r in a.recommendations
             if (include_not_indicated or r.status != "not_indicated")
             and (r.kind != "family" or not kb.options_of(r.id) or families)]
    for rec in shown:
        colour = STATUS_COLOURS[rec.status]
        name = rec.name if len(rec.name) <= 42 else rec.name[:41].rstrip() + "\u2026"
        status = STATUS_LABELS[rec.status]
        item = node(f"item:{rec.id}", f"{name} \u2014 {status}", colour,
                    f"<b>{esc(rec.name)}</b> ({esc(rec.id)})<br>status: <b>{status}</b>, "
                    f"urgency: {URGENCY_LABELS[rec.urgency]}")
        for reason in rec.reasons:
            if reason.outcome == "options":
                for opt in kb.options_of(rec.id):
                    if f"item:{opt}" in nodes and a.status(opt) == rec.status:
                        link(f"item:{opt}", item, False, rgba(colour, 0.45))
                continue
            rule = _rule_node(node, reason, titles, rec.status)
            unknown = reason.outcome == "unknown"
            link(rule, item, unknown, rgba(colour, 0.18 if unknown else 0.5))
            facts = reason.facts or ()
            if not facts:
                link(node("factor:" + _EVERY_CASE, _EVERY_CASE, _FACTOR_COLOUR,
                          "Rules that hold whatever the case's factors"), rule, unknown)
            for fact in facts:
                label = factor_label(fact)
                hover = (f"<b>{esc(label)}</b><br>settle with: {esc(', '.join(fact.settled_by) or 'clinical history')}"
                         if not fact.known else f"<b>{esc(label)}</b>")
                link(node(f"factor:{label}", label, "#C9B800" if not fact.known else _FACTOR_COLOUR, hover),
                     rule, unknown or not fact.known)
    keys = list(nodes)
    index = {k: i for i, k in enumerate(keys)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[nodes[k]["label"] for k in keys], color=[nodes[k]["colour"] for k in keys],
                  customdata=[[k, nodes[k]["hover"]] for k in keys], pad=8, thickness=14,
                  line=dict(color="#333", width=0.5), hovertemplate="%{customdata[1]}<extra></extra>"),
        link=dict(source=[index[s] for s, _ in links], target=[index[t] for _, t in links],
                  value=[1] * len(links), color=[v["colour"] for v in links.values()],
                  label=[v["label"] for v in links.values()],
                  hovertemplate="%{source.label} \u2192 %{target.label}: %{label}<extra></extra>")))
    column = max(sum(k.startswith(p) for k in keys) for p in ("factor:", "rule:", "item:"))
    titled(fig, "How the assessment was reached: case factors \u2192 rules \u2192 items",
           height=max(420, 160 + 26 * column), width=1250, font=dict(size=11), margin=dict(l=10, r=10, t=90, b=40))
    fig.add_annotation(x=0, y=-0.01, xref="paper", yref="paper", yanchor="top", xanchor="left", showarrow=False,
                       text="Faint links: the factor is unknown, or the rule would hold if an unknown factor "
                            "allowed it. Item colour: status.", font=dict(size=11, color="#444"))
    return fig


def _rule_node(node: Callable[[str, str, str, str], str], reason: Reason, titles: dict[str, str],
               status: str) -> str:
    if reason.rule is None:
        return node(f"rule:default:{status}", f"no rule holds: default {STATUS_LABELS[status]}", _RULE_COLOUR,
                    wrap(reason.text, 70))
    unknown = " (unknown)" if reason.outcome == "unknown" else ""
    hover = (f"<b>{esc(titles.get(reason.rule, reason.rule))}</b> ({esc(reason.rule)})<br>"
             f"gives: {STATUS_LABELS.get(reason.gives or '', reason.gives)}; outcome: {reason.outcome}<br>"
             f"{wrap(reason.text, 70)}")
    return node(f"rule:{reason.rule}", reason.rule + unknown, _RULE_COLOUR, hover)
