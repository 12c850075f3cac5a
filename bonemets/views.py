"""How statuses, alert levels and urgency look to a reader: words, headings, colours and marks.

Defined once here and used by every renderer: the text report (:mod:`bonemets.render`), the CDS
Hooks cards (:mod:`bonemets.cards`), the HTML handout (:mod:`bonemets.report`), the explorer
(:mod:`bonemets.explorer`) and the figures (:mod:`bonemets.figures`). The ids themselves (the
keys) are the contract's vocabularies in :mod:`bonemets.vocabulary`; each mapping here has one
entry per id, in the same order.

Colours are the Okabe–Ito palette, distinguishable with the common colour-vision deficiencies;
colour is never the only cue (a label, a heading or a mark goes with it).

>>> from bonemets.views import STATUS_LABELS, STATUS_HEADINGS, ALERT_LABELS
>>> STATUS_LABELS["not_indicated"], STATUS_HEADINGS["undetermined"], ALERT_LABELS["undetermined"]
('not indicated', 'Undetermined: hangs on an unknown factor', 'not ruled out')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .assessment import PendingCheck, Question
    from .knowledge import KnowledgeBase

#: A status in words (lower case, for badges, legends and sentences).
STATUS_LABELS: dict[str, str] = {
    "recommended": "recommended",
    "consider": "consider",
    "undetermined": "undetermined",
    "not_indicated": "not indicated",
    "avoid": "avoid",
}

#: The heading of a group of items with one status (reports, handout, explorer cards).
STATUS_HEADINGS: dict[str, str] = {
    "recommended": "Recommended",
    "consider": "Consider",
    "undetermined": "Undetermined: hangs on an unknown factor",
    "not_indicated": "Not indicated",
    "avoid": "Avoid",
}

#: One colour per status (Okabe–Ito).
STATUS_COLOURS: dict[str, str] = {
    "recommended": "#009E73",    # bluish green
    "consider": "#56B4E9",       # sky blue
    "undetermined": "#F0E442",   # yellow: hangs on an unknown factor
    "not_indicated": "#BBBBBB",  # grey
    "avoid": "#D55E00",          # vermillion
}

#: A short mark per status, for cells too small for words.
STATUS_MARKS: dict[str, str] = {
    "recommended": "+", "consider": "~", "undetermined": "?", "not_indicated": "\u00b7", "avoid": "\u00d7",
}

#: An alert state in words (the states of :data:`bonemets.ALERT_STATES`).
ALERT_LABELS: dict[str, str] = {
    "critical": "critical",
    "warning": "warning",
    "info": "info",
    "undetermined": "not ruled out",
    "not_raised": "not raised",
}

#: One colour per alert state (Okabe–Ito).
ALERT_COLOURS: dict[str, str] = {
    "critical": "#D55E00",      # vermillion
    "warning": "#E69F00",       # orange
    "info": "#56B4E9",          # sky blue
    "undetermined": "#BBBBBB",  # grey: not ruled out, a factor is unknown
    "not_raised": "#009E73",    # bluish green
}

#: An urgency in words (the urgencies of :data:`bonemets.URGENCIES`).
URGENCY_LABELS: dict[str, str] = {"routine": "routine", "soon": "soon", "emergency": "emergency"}

#: One colour per urgency (Okabe–Ito; routine is not highlighted).
URGENCY_COLOURS: dict[str, str] = {"routine": "#BBBBBB", "soon": "#E69F00", "emergency": "#D55E00"}


def ink(colour: str) -> str:
    """Near-black or white, whichever reads better on a ``#rrggbb`` background.

    >>> ink(STATUS_COLOURS["undetermined"]), ink("#000000")
    ('#1f2328', '#fff')
    """
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#1f2328" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def rgba(colour: str, alpha: float) -> str:
    """A ``#rrggbb`` colour with an opacity, as CSS and plotly read it.

    >>> rgba("#D55E00", 0.5)
    'rgba(213, 94, 0, 0.5)'
    """
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


#: How many questions a surface shows first (all are in ``Assessment.questions``).
TOP_QUESTIONS = 5


def item_name(kb: KnowledgeBase | None, item_id: str) -> str:
    """The name of an item or alert, as a reader says it."""
    if kb is None:
        return item_id
    entry = kb.items().get(item_id) or kb.alerts.get(item_id)
    return entry.name if entry is not None else item_id


def _names(kb: KnowledgeBase | None, ids: tuple[str, ...], most: int = 4) -> str:
    names = [item_name(kb, i) for i in ids]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def question_text(q: Question, kb: KnowledgeBase | None) -> str:
    """A question with what its answer would decide and what settles it, in one line.

    Example: ``Is there weakness, numbness, tingling or difficulty walking? Could raise a critical
    alert. Some answers decide: Steroids, ...``
    """
    parts = [q.text]
    if q.critical:
        parts.append("Could raise a critical alert.")
    if q.settles:
        parts.append(f"Decides: {_names(kb, q.settles)}.")
    if q.could_decide:
        parts.append(f"Some answers decide: {_names(kb, q.could_decide)}.")
    if q.settled_by:
        parts.append(f"Settled by: {_names(kb, q.settled_by)}.")
    return " ".join(parts)


def pending_text(p: PendingCheck, kb: KnowledgeBase | None) -> str:
    """A pending safety check in words: the test before starting, and what it would rule out.

    Example: ``Before starting: Kidney function (withheld if creatinine clearance under 30 mL/min)``
    """
    condition = p.text.split(" -> ")[0]
    return f"Before starting: {item_name(kb, p.test)} (withheld if {condition[0].lower()}{condition[1:]})"
