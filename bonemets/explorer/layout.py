"""The explorer's widgets and how they are laid out: no state and no callbacks (those are in
:mod:`.app`). Every widget a test or a browser needs has a stable CSS class (``bm-...``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import ipywidgets as widgets

from ..vocabulary import DISCLAIMER
from .controls import FieldControl, field_groups
from .render import CSS, disclaimer_html, esc

#: The value of a teaching-case picker when no teaching case is chosen.
NO_CASE = ""
#: Tab order of the explorer's main view.
TABS = ("Status cards", "Figures", "Teaching case", "Compare", "Export YAML")
FIGURES_TAB, COMPARE_TAB = TABS.index("Figures"), TABS.index("Compare")

_HEADER = (
    CSS + '<div class="bm-header">'
    f'<div class="bm-banner"><b>Not a diagnostic device.</b> {esc(DISCLAIMER)}</div>'
    '<div class="bm-muted">Set the factors on the left (any field can stay <i>unknown</i>); '
    "alerts and status cards update at once. Load a teaching case, compare two cases, or "
    "export the case as YAML.</div></div>")
_YAML_HINT = ('<div class="bm-muted">Press "Export YAML" to see the current case as YAML and download '
              "it.</div>")


W = TypeVar("W", bound=widgets.DOMWidget)


def _classed(widget: W, *classes: str) -> W:
    for c in classes:
        widget.add_class(c)
    return widget


class ExplorerWidgets:
    """Every widget of the explorer, made at once; :meth:`layout` arranges them.

    Parameters
    ----------
    controls : dict of str to FieldControl
        One control per case field.
    teaching_titles : mapping of str to str
        Teaching case ids and their titles, for the two teaching-case pickers.
    figure_titles : iterable of str
        One ``Output`` widget per figure title, in order (none: the Figures tab says so).
    compare_figure : bool
        An ``Output`` widget for the matrix of the compare tab.

    Attributes
    ----------
    case_picker, compare_picker : Dropdown
    clear_button, pin_button, compare_off_button, yaml_button : Button
    message, alerts, cards, teaching, compare, yaml : HTML
        The error line and the HTML views.
    figure_views : dict of str to Output
    figure_errors : HTML
    compare_figure : Output or None
    tabs : Tab
    """

    def __init__(self, controls: dict[str, FieldControl], teaching_titles: Mapping[str, str],
                 figure_titles: Iterable[str], compare_figure: bool) -> None:
        self.controls = controls
        options = [("\u2014 choose a teaching case \u2014", NO_CASE)] + [(t, i) for i, t in teaching_titles.items()]
        self.case_picker = _classed(widgets.Dropdown(options=options, value=NO_CASE, description="Teaching case",
                                                     style={"description_width": "100px"},
                                                     layout=widgets.Layout(width="640px")), "bm-case-picker")
        self.clear_button = _classed(widgets.Button(description="All unknown", tooltip="Set every field to unknown",
                                                    layout=widgets.Layout(width="120px")), "bm-clear")
        self.message = _classed(widgets.HTML(""), "bm-message")
        self.alerts = _classed(widgets.HTML(), "bm-alerts-view")
        self.cards = _classed(widgets.HTML(), "bm-cards-view", "bm-scroll")
        self.teaching = _classed(widgets.HTML(), "bm-teaching-view")
        self.compare = _classed(widgets.HTML(), "bm-compare-view")
        self.pin_button = _classed(widgets.Button(description="Pin current case as B", button_style="info",
                                                  layout=widgets.Layout(width="190px")), "bm-pin")
        self.compare_picker = _classed(widgets.Dropdown(
            options=[("\u2014 or a teaching case as B \u2014", NO_CASE)] + options[1:], value=NO_CASE,
            layout=widgets.Layout(width="460px")), "bm-compare-picker")
        self.compare_off_button = widgets.Button(description="Leave compare mode", layout=widgets.Layout(width="170px"))
        self.yaml_button = _classed(widgets.Button(description="Export YAML", button_style="primary",
                                                   tooltip="Show the current case as YAML, with a download link"),
                                    "bm-export")
        self.yaml = _classed(widgets.HTML(_YAML_HINT), "bm-yaml-view")
        self.figure_errors = widgets.HTML()
        self.figure_views = {t: _classed(widgets.Output(layout=widgets.Layout(width="100%")), "bm-figure")
                             for t in figure_titles}
        self.compare_figure = (_classed(widgets.Output(layout=widgets.Layout(width="100%")), "bm-compare-figure")
                               if compare_figure else None)
        figures_tab: list[widgets.Widget] = (
            [self.figure_errors, *self.figure_views.values()] if self.figure_views
            else [widgets.HTML('<div class="bm-muted">No figures in this explorer.</div>')])
        compare_tab = widgets.VBox([widgets.HBox([self.pin_button, self.compare_picker, self.compare_off_button]),
                                    self.compare, self.compare_figure or widgets.HTML()])
        self.tabs = _classed(widgets.Tab(children=[self.cards, widgets.VBox(figures_tab), self.teaching,
                                                   compare_tab, widgets.VBox([self.yaml_button, self.yaml])],
                                         titles=TABS), "bm-tabs")

    def visible(self, tab: int) -> bool:
        """Whether a tab of the main view (an index into :data:`TABS`) is open."""
        return self.tabs.selected_index == tab

    def layout(self) -> widgets.Widget:
        """The whole explorer: header, pickers, the field controls on the left, the alerts and
        tabs on the right, the disclaimer below."""
        groups = field_groups()
        boxes = [widgets.VBox([self.controls[n].widget for n in names]) for names in groups.values()]
        accordion = _classed(widgets.Accordion(children=boxes, titles=tuple(groups), selected_index=0),
                             "bm-controls", "bm-scroll")
        left = _classed(widgets.VBox([widgets.HTML("<b>Case factors</b> (empty or <i>unknown</i> = not known)"),
                                      accordion], layout=widgets.Layout(width="480px", min_width="440px")), "bm-left")
        right = widgets.VBox([self.message, self.alerts, self.tabs],
                             layout=widgets.Layout(flex="1 1 auto", width="auto", padding="0 0 0 14px"))
        return _classed(widgets.VBox([widgets.HTML(_HEADER), widgets.HBox([self.case_picker, self.clear_button]),
                                      widgets.HBox([left, right], layout=widgets.Layout(width="100%")),
                                      widgets.HTML(disclaimer_html())], layout=widgets.Layout(width="100%")),
                        "bm-app")
