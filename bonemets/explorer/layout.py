"""The explorer's widgets and how they are laid out: no state and no callbacks (those are in
:mod:`.app`). Every widget a test or a browser needs has a stable CSS class (``bm-...``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import ipywidgets as widgets

from ..views import STATUS_LABELS
from ..vocabulary import DISCLAIMER, STATUSES
from .classroom import INTRO, score_html
from .controls import FieldControl, field_groups
from .render import esc
from .style import CSS

#: The value of a teaching-case picker when no teaching case is chosen.
NO_CASE = ""
#: Tab order of the explorer's main view.
TABS = ("Status cards", "Figures", "Teaching case", "Compare", "Export YAML")
FIGURES_TAB, COMPARE_TAB = TABS.index("Figures"), TABS.index("Compare")

#: The one header (and the one disclaimer) of the explorer.
HEADER = (CSS + '<div class="bm-header"><span class="bm-title">bonemets explorer</span>'
          f'<span class="bm-banner"><b>Not a diagnostic device.</b> {esc(DISCLAIMER)}</span></div>')
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
    family_lines : mapping of str to str
        Each treatment family's id and its line in class mode (name and options, no status).

    Attributes
    ----------
    root : VBox
        The whole app (class ``bm-app``; ``bm-projector`` in projector mode).
    case_picker, compare_picker : Dropdown
    clear_button, pin_button, compare_off_button, yaml_button, reveal_button, again_button : Button
    projector, class_mode : ToggleButton
    message, alerts, cards, teaching, compare, yaml, score, class_story : HTML
        The error line and the HTML views (``cards`` is replaced by :meth:`new_cards_view`;
        ``class_story`` is the teaching case, folded, in class mode).
    predictions : dict of str to Dropdown
        Class mode: the class's prediction per family (``""`` for no answer).
    verdicts : dict of str to HTML
        Class mode: per family, the answer once revealed.
    class_panel : VBox
    figure_views : dict of str to Output
    figure_errors : HTML
    compare_figure : Output or None
    tabs : Tab
    """

    def __init__(self, controls: dict[str, FieldControl], teaching_titles: Mapping[str, str],
                 figure_titles: Iterable[str], compare_figure: bool, family_lines: Mapping[str, str]) -> None:
        self.controls = controls
        options = [("\u2014 choose a teaching case \u2014", NO_CASE)] + [(t, i) for i, t in teaching_titles.items()]
        self.case_picker = _classed(widgets.Dropdown(options=options, value=NO_CASE, description="Teaching case",
                                                     style={"description_width": "100px"},
                                                     layout=widgets.Layout(width="560px")), "bm-case-picker")
        self.clear_button = _classed(widgets.Button(description="All unknown", tooltip="Set every field to unknown",
                                                    layout=widgets.Layout(width="120px")), "bm-clear")
        self.projector = _classed(widgets.ToggleButton(
            description="Projector mode", tooltip="Large type, high contrast",
            layout=widgets.Layout(width="150px")), "bm-projector-toggle")
        self.class_mode = _classed(widgets.ToggleButton(
            description="Class mode", tooltip="Hide the statuses: the class predicts them, then reveals",
            layout=widgets.Layout(width="130px")), "bm-class-toggle")
        self.message = _classed(widgets.HTML(""), "bm-message")
        self.alerts = _classed(widgets.HTML(), "bm-alerts-view")
        self.cards = self._cards_widget()
        self._cards_box = widgets.VBox([self.cards])
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
        self.tabs = _classed(widgets.Tab(children=[self._cards_box, widgets.VBox(figures_tab), self.teaching,
                                                   compare_tab, widgets.VBox([self.yaml_button, self.yaml])],
                                         titles=TABS), "bm-tabs")
        self._class_panel(family_lines)
        self.root = _classed(widgets.VBox(layout=widgets.Layout(width="100%")), "bm-app")

    def _class_panel(self, family_lines: Mapping[str, str]) -> None:
        """Class mode's widgets: one prediction picker and one verdict per family, Reveal, the score."""
        choices = [("\u2014 predict \u2014", "")] + [(STATUS_LABELS[s], s) for s in STATUSES]
        self.predictions = {f: _classed(widgets.Dropdown(options=choices, value="",
                                                         layout=widgets.Layout(width="170px")),
                                        "bm-predict", f"bm-predict-{f}") for f in family_lines}
        self.verdicts = {f: _classed(widgets.HTML(), "bm-verdict-view") for f in family_lines}
        rows = [_classed(widgets.VBox([widgets.HBox([widgets.HTML(line, layout=widgets.Layout(width="60%")),
                                                     self.predictions[f]]), self.verdicts[f]],
                                      layout=widgets.Layout(width="100%")), "bm-class-row")
                for f, line in family_lines.items()]
        self.reveal_button = _classed(widgets.Button(description="Reveal", button_style="success"), "bm-reveal")
        self.again_button = _classed(widgets.Button(description="Predict again"), "bm-again")
        self.score = _classed(widgets.HTML(score_html(None)), "bm-score-view")
        self.class_story = _classed(widgets.HTML(), "bm-class-story")
        self.class_panel = _classed(widgets.VBox([widgets.HTML(INTRO), self.class_story, self.score, *rows,
                                                  widgets.HBox([self.reveal_button, self.again_button])],
                                                 layout=widgets.Layout(display="none")), "bm-class-panel", "bm-scroll")

    @staticmethod
    def _cards_widget() -> widgets.HTML:
        return _classed(widgets.HTML(), "bm-cards-view", "bm-scroll")

    def new_cards_view(self) -> None:
        """Replace the card pane by a new one (same value), so that it shows its top: a new case
        starts at the top of its cards, whatever the old one was scrolled to."""
        old, self.cards = self.cards, self._cards_widget()
        self.cards.value = old.value
        self._cards_box.children = (self.cards,)
        old.close()

    def show_class_mode(self, on: bool) -> None:
        """Class mode on: the prediction panel in place of the tabs (which show statuses)."""
        self.class_panel.layout.display = None if on else "none"
        self.tabs.layout.display = "none" if on else None

    def visible(self, tab: int) -> bool:
        """Whether a tab of the main view (an index into :data:`TABS`) is open."""
        return self.tabs.selected_index == tab and self.tabs.layout.display != "none"

    def layout(self) -> widgets.Widget:
        """The whole explorer: the header (with the one disclaimer), the pickers and modes, the
        field controls on the left, the alerts and the tabs (or class mode) on the right."""
        groups = field_groups()
        boxes = [widgets.VBox([self.controls[n].widget for n in names]) for names in groups.values()]
        accordion = _classed(widgets.Accordion(children=boxes, titles=tuple(groups), selected_index=0),
                             "bm-controls", "bm-scroll")
        left = _classed(widgets.VBox([widgets.HTML("<b>Case factors</b> (empty or <i>unknown</i> = not known)"),
                                      accordion], layout=widgets.Layout(width="480px", min_width="440px")), "bm-left")
        right = widgets.VBox([self.message, self.alerts, self.tabs, self.class_panel],
                             layout=widgets.Layout(flex="1 1 auto", width="auto", padding="0 0 0 14px"))
        self.root.children = (widgets.HTML(HEADER),
                              widgets.HBox([self.case_picker, self.clear_button, self.projector, self.class_mode]),
                              widgets.HBox([left, right], layout=widgets.Layout(width="100%")))
        return self.root
