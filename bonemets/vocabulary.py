"""Fixed vocabularies of the contract: statuses, urgency, alert levels, item kinds.

Each tuple is ordered; the engine works with the index of a value in its tuple.
"""

from __future__ import annotations

#: Statuses, most to least favourable (contract §4).
STATUSES: tuple[str, ...] = ("recommended", "consider", "undetermined", "not_indicated", "avoid")

#: Urgency, least to most urgent.
URGENCIES: tuple[str, ...] = ("routine", "soon", "emergency")

#: Alert levels as they appear in an assessment, most to least severe; ``undetermined`` means
#: that the alert could not be ruled out because a factor it depends on is unknown.
ALERT_STATES: tuple[str, ...] = ("critical", "warning", "info", "undetermined", "not_raised")
#: The levels a rule may raise an alert at.
ALERT_LEVELS: tuple[str, ...] = ("critical", "warning", "info")

#: Said by every output of the toolkit.
DISCLAIMER = (
    "Educational and research tool, not a medical device: it does not diagnose or prescribe. "
    "Every output is a teaching aid to be checked against its cited sources and decided by "
    "the treating team with the patient."
)
