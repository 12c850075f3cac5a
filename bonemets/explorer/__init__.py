"""The bonemets explorer: every case field as a control, the assessment as alerts, status cards
and figures, teaching cases, compare mode and YAML export (ipywidgets; served by Voila).

The views are pure functions in :mod:`bonemets.explorer.render` (case or assessment in, HTML
out); :class:`Explorer` wraps them in widgets. Needs the ``notebooks`` extra (ipywidgets).
Educational and research use only: not a diagnostic device.
"""

from __future__ import annotations

from .app import TABS, Explorer, assessment_figures, figure_makers, figure_output
from .controls import GROUPS, FieldControl, field_groups
from .render import (CSS, Comparison, alerts_html, card_html, cards_html, case_yaml, compare,
                     compare_html, teaching_html, yaml_html)

__all__ = [
    "CSS", "Comparison", "Explorer", "TABS", "figure_output", "FieldControl", "GROUPS", "alerts_html", "assessment_figures",
    "card_html", "cards_html", "case_yaml", "compare", "compare_html", "field_groups",
    "figure_makers", "teaching_html", "yaml_html",
]
