"""The bonemets explorer: every case field as a control, the assessment as alerts, questions,
status cards and figures, teaching cases, class and projector modes, compare mode and YAML export
(ipywidgets; served by Voila).

One module per job:

- :mod:`.app`: :class:`Explorer`, the state (the case the controls describe, its assessment,
  the comparison) and what each control, picker and button does; the one place that assesses;
- :mod:`.layout`: the widgets and how they are arranged;
- :mod:`.controls`: one control per case field;
- :mod:`.render`: pure views, assessment in, HTML out: Act now (raised alerts), Ask next (the top
  questions), treatments by family and tests by purpose (``bonemets.views``);
- :mod:`.classroom`: class mode, the class's predictions of each family's status and their score;
- :mod:`.style`: the stylesheet, with projector mode (large type, high contrast);
- :mod:`.comparison`: how two assessed cases differ;
- :mod:`.plots`: which figures are drawn, when they must be drawn again, and how they reach a widget;
- :mod:`bonemets.labels` (shared with the knowledge reference, needs no extra): field names and values in words.

Needs the ``notebooks`` extra (ipywidgets). Educational and research use only: not a
diagnostic device.
"""

from __future__ import annotations

from .app import Explorer
from .comparison import Comparison, compare
from .controls import GROUPS, FieldControl, field_groups
from .layout import TABS
from .plots import assessment_figures, figure_makers, figure_output
from .render import alerts_html, card_html, cards_html, case_yaml, compare_html, teaching_html, yaml_html
from .style import CSS

__all__ = [
    "CSS",
    "GROUPS",
    "TABS",
    "Comparison",
    "Explorer",
    "FieldControl",
    "alerts_html",
    "assessment_figures",
    "card_html",
    "cards_html",
    "case_yaml",
    "compare",
    "compare_html",
    "field_groups",
    "figure_makers",
    "figure_output",
    "teaching_html",
    "yaml_html",
]
