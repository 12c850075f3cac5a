"""How two assessed cases differ: fields, statuses and alerts (plain data, no widgets, no HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..case import FIELDS
from ..labels import field_label, value_text
from ..views import ALERT_LABELS, STATUS_LABELS, item_name

if TYPE_CHECKING:  # pragma: no cover
    from ..assessment import Assessment


@dataclass(frozen=True)
class Comparison:
    """How two cases differ, and how their assessments differ.

    Attributes
    ----------
    a, b : Assessment
    fields : dict of str to (value_a, value_b)
        The case fields whose values differ (None is unknown; lists compare as sets), in field
        order.
    statuses : dict of str to (status_a, status_b)
        The families, options and tests whose status differs.
    alerts : dict of str to (state_a, state_b)
        The alerts whose state differs (``not_raised`` when absent, ``undetermined`` when not
        ruled out).
    """

    a: Assessment
    b: Assessment
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    statuses: dict[str, tuple[str, str]] = field(default_factory=dict)
    alerts: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not (self.fields or self.statuses or self.alerts)

    def to_text(self) -> str:
        """The differences as plain text in words, one line each (``Steroids: recommended -> not
        indicated``)."""
        names = {r.id: r.name for r in self.a.recommendations}
        alerts = {x.id: x.name for x in (*self.a.alerts, *self.b.alerts)}
        kb = self.a.knowledge
        lines = ["Factors that differ (A -> B):"]
        lines += [f"  {field_label(k)}: {value_text(x)} -> {value_text(y)}"
                  for k, (x, y) in self.fields.items()] or ["  none"]
        lines += ["Statuses that differ (A -> B):"]
        lines += [f"  {names.get(k, k)}: {STATUS_LABELS[x]} -> {STATUS_LABELS[y]}"
                  for k, (x, y) in self.statuses.items()] or ["  none"]
        lines += ["Alerts that differ (A -> B):"]
        lines += [f"  {alerts.get(k) or item_name(kb, k)}: {ALERT_LABELS[x]} -> {ALERT_LABELS[y]}"
                  for k, (x, y) in self.alerts.items()] or ["  none"]
        return "\n".join(lines)


def _norm(value: Any) -> Any:
    """Lists compare as sets: ``[spine, ribs]`` is the same extent as ``[ribs, spine]``."""
    return frozenset(value) if isinstance(value, list) else value


def compare(a: Assessment, b: Assessment) -> Comparison:
    """Compare two assessments (:func:`bonemets.assess` of each case): the case fields, item
    statuses and alert states that differ.

    >>> import bonemets
    >>> cases = bonemets.teaching_cases()
    >>> cmp = compare(bonemets.assess(cases["triple_negative"]), bonemets.assess(cases["her2_positive"]))
    >>> cmp.statuses["her2_targeted"]
    ('not_indicated', 'recommended')
    """
    ra, rb = a.case.engine_record(), b.case.engine_record()
    fields = {k: (ra.get(k), rb.get(k)) for k in FIELDS if _norm(ra.get(k)) != _norm(rb.get(k))}
    sb = {r.id: r.status for r in b.recommendations}
    statuses = {r.id: (r.status, sb[r.id]) for r in a.recommendations if r.id in sb and r.status != sb[r.id]}
    ids = list(dict.fromkeys([x.id for x in a.alerts] + [x.id for x in b.alerts]))
    alerts = {i: (a.alert_state(i), b.alert_state(i)) for i in ids if a.alert_state(i) != b.alert_state(i)}
    return Comparison(a, b, fields, statuses, alerts)
