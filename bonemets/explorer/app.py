"""The explorer's state: the case the controls describe, its assessment, and every view of it.

>>> from bonemets.explorer import Explorer
>>> ex = Explorer("hr_positive_postmenopausal")        # a teaching case id, a Case or a dict
>>> ex.assessment.status("her2_targeted")
'not_indicated'
>>> ex.controls["her2"].input.value = "positive"        # what a user's click does
>>> ex.assessment.status("her2_targeted")
'recommended'

``Explorer.build()`` returns the widget to display (a notebook, or Voila); everything the widget
shows is also an attribute (``alerts_html``, ``cards_html``, ``figures``, ``compare_html``, ...), so
tests read it without a browser. The widgets themselves are ``Explorer.widgets``
(:class:`~.layout.ExplorerWidgets`); the HTML comes from :mod:`.render`, the figures from
:mod:`.plots`. The explorer is the one place that assesses: on every valid change of the controls.

Figures are drawn when they can be seen: on every change while the Figures tab is open, else
when the tab is opened or the ``figures`` attribute is read (plotly figure building costs far
more than the assessment itself; see ``benchmarks/bench_explorer.py``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import assess
from ..case import Case
from ..cases import TeachingCase, teaching_library
from ..exceptions import InvalidCaseError
from ..views import by_family
from . import classroom, render
from .comparison import Comparison, compare
from .controls import FieldControl, make_controls
from .layout import COMPARE_TAB, FIGURES_TAB, NO_CASE, TABS, ExplorerWidgets
from .plots import FigureCache, comparison_figure, figure_makers, figure_output

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets
    import plotly.graph_objects as go

    from ..assessment import Assessment
    from ..knowledge import KnowledgeBase

_COMPARE_OFF = ('<div class="bm-muted">Compare mode is off: pin the current case as B, or choose a '
                "teaching case as B.</div>")


class Explorer:
    """Interactive explorer of one case: controls for every field, alerts, cards and figures.

    Parameters
    ----------
    case : Case, dict, str or None
        The starting case; a string is a teaching case id. None starts with every field unknown.
    kb : KnowledgeBase, optional
        Defaults to :func:`bonemets.knowledge`.
    figures : bool
        Draw the figures (False gives a lighter explorer without them).

    Attributes
    ----------
    case : Case
        The last valid case the controls described.
    assessment : Assessment
        ``assess(case, kb=kb)``.
    error : str or None
        A one-line message when the controls describe no valid case (the views then keep
        showing the last valid case).
    alerts_html, cards_html, teaching_html, compare_html, yaml_html : str
        The HTML each view shows.
    figures : dict of str to plotly Figure
        The figures of the current assessment (drawn on first access after a change).
    figure_errors : dict of str to str
    comparison : Comparison or None
        Set in compare mode (:meth:`compare_with`); follows every change of the current case.
    teaching_case : TeachingCase or None
        The teaching case last loaded.
    controls : dict of str to FieldControl
        One per case field; ``controls[name].input`` is the widget a user changes.
    widgets : ExplorerWidgets
        Every other widget (pickers, buttons, views, tabs).
    last_update_ms : float
        How long the last update took (control change to views rebuilt).
    score : classroom.Score or None
        Class mode: the class's predictions scored, once revealed (None before).
    """

    def __init__(self, case: Case | Mapping[str, Any] | str | None = None, *,
                 kb: KnowledgeBase | None = None, figures: bool = True) -> None:
        self.kb = kb
        self.draw_figures = figures
        self.library: dict[str, TeachingCase] = teaching_library()
        self.controls: dict[str, FieldControl] = make_controls()
        self.case = Case()
        self._assessment = assess(self.case, kb=self.kb)
        self.widgets = ExplorerWidgets(
            self.controls, {i: tc.title for i, tc in self.library.items()}, figure_makers() if figures else (),
            compare_figure=figures,
            family_lines={f.id: classroom.family_line_html(f, opts) for f, opts in by_family(self._assessment)})
        self.error: str | None = None
        self.teaching_case: TeachingCase | None = None
        self.comparison: Comparison | None = None
        self.compare_case: Case | None = None
        self.compare_label = "B"
        self._compare_assessment: Assessment | None = None
        self.alerts_html = self.cards_html = self.compare_html = self.yaml_html = ""
        self.teaching_html = ""
        self.last_update_ms = 0.0
        self.score: classroom.Score | None = None
        self._figs: tuple[dict[str, go.Figure], dict[str, str]] | None = None  # None: not drawn since a change
        self._figure_cache = FigureCache()
        self._pushed: dict[str, go.Figure | None] = {}  # the figure each Output widget shows
        self._compare_fig_stale = True
        self._suspended = False
        self._yaml_shown = False
        self._root: ipywidgets.Widget | None = None
        self._wire()
        self._show_teaching(None)
        self.compare_with(None)
        self._refresh()  # every view shows a valid case, even if the starting one is not
        if isinstance(case, str):
            self.load_teaching_case(case)
        else:
            self.set_case(case if case is not None else Case())

    # ------------------------------------------------------------------ public API

    @property
    def assessment(self) -> Assessment:
        return self._assessment

    @property
    def figures(self) -> dict[str, go.Figure]:
        return self._figures()[0]

    @property
    def figure_errors(self) -> dict[str, str]:
        return self._figures()[1]

    def set_case(self, case: Case | Mapping[str, Any] | None) -> None:
        """Show a case in the controls and rebuild every view (a dict is validated first)."""
        if not isinstance(case, Case):
            case = Case.model_validate(dict(case or {}))
        self._suspended = True
        try:
            for name, control in self.controls.items():
                control.write(getattr(case, name))
        finally:
            self._suspended = False
        self.update()
        self.widgets.new_cards_view()  # a new case starts at the top of its cards
        self.again()

    def set_field(self, name: str, value: Any) -> None:
        """Change one control as a user would (None or ``"unknown"`` for unknown; any text for
        a number box)."""
        control = self.controls[name]
        if control.spec.kind in ("int", "float") and isinstance(value, str):
            control.set_text(value)
        else:
            control.write(value)

    def load_teaching_case(self, case_id: str) -> TeachingCase:
        """Load a teaching case by id: its factors into the controls, its story into the
        Teaching case view."""
        tc = self._teaching_case(case_id)
        self._show_teaching(tc)
        if self.widgets.case_picker.value != case_id:
            self._suspended = True
            try:
                self.widgets.case_picker.value = case_id
            finally:
                self._suspended = False
        self.set_case(tc.case)
        return tc

    def clear(self) -> None:
        """Every field unknown, and no teaching case loaded."""
        self.widgets.case_picker.value = NO_CASE  # its observer forgets the teaching case
        self.set_case(Case())

    def set_projector(self, on: bool = True) -> None:
        """Projector mode: large type and high contrast, for a room."""
        self.widgets.projector.value = on  # its observer changes the look

    def set_class_mode(self, on: bool = True) -> None:
        """Class mode: statuses hidden; the class predicts each family's status, then reveals."""
        self.widgets.class_mode.value = on

    def predict(self, family: str, status: str | None) -> None:
        """Set the class's prediction for a family (None: no answer), as its picker does."""
        self.widgets.predictions[family].value = status or ""

    def reveal(self) -> classroom.Score:
        """Show each family's status, why, and the score of the class's predictions."""
        predicted = {f: (p.value or None) for f, p in self.widgets.predictions.items()}
        self.score = classroom.score(self._assessment, predicted)
        for v in self.score.verdicts:
            self.widgets.verdicts[v.family.id].value = classroom.verdict_html(v, self._assessment)
        self.widgets.score.value = classroom.score_html(self.score)
        return self.score

    def again(self) -> None:
        """Clear the predictions and hide the answers (a new case does this too)."""
        self.score = None
        for f, picker in self.widgets.predictions.items():
            picker.value = ""
            self.widgets.verdicts[f].value = ""
        self.widgets.score.value = classroom.score_html(None)

    def to_yaml(self) -> str:
        """The current case's known fields as YAML (``yaml.safe_dump(case.known())``)."""
        return render.case_yaml(self.case)

    def compare_with(self, other: Case | Mapping[str, Any] | str | None,
                     label: str | None = None) -> Comparison | None:
        """Compare the current case (A) with another (B): a Case, a dict, a teaching case id, or
        None to leave compare mode. The comparison follows every later change of A."""
        if other is None:
            self.compare_case, self._compare_assessment, self.comparison = None, None, None
            self.compare_label = "B"
            self.compare_html = _COMPARE_OFF
        else:
            if isinstance(other, str):
                tc = self._teaching_case(other)
                other, label = tc.case, label or tc.title
            elif not isinstance(other, Case):
                other = Case.model_validate(dict(other))
            self._compare_assessment = assess(other, kb=self.kb)
            self.compare_case = other
            self.compare_label = label or "B (pinned)"
            self._refresh_compare()
        self._compare_fig_stale = True
        self.widgets.compare.value = self.compare_html
        self._push_compare_figure()
        return self.comparison

    def update(self) -> None:
        """Read the controls; if they describe a valid case, assess it and rebuild every view."""
        start = time.perf_counter()
        values, errors, bad = {}, [], set()
        for name, control in self.controls.items():
            value, problem = control.read()
            if problem:
                errors.append(problem)
                bad.add(name)
            elif value is not None:
                values[name] = value
        if not errors:
            try:
                case = Case(**values)
                self._assessment = assess(case, kb=self.kb)  # also checks contradictions
                self.case = case
            except InvalidCaseError as err:
                errors.append(str(err))
                bad.update(err.fields or ())
        for name, control in self.controls.items():
            control.mark_invalid(name in bad)
        if errors:
            self.error = "; ".join(errors)
            self.widgets.message.value = (
                f'<div class="bm-error" data-error="1">\u26a0 {render.esc(self.error)} '
                "(the views still show the last valid case)</div>")
        else:
            self.error = None
            self.widgets.message.value = ""
            self._refresh()
        self.last_update_ms = (time.perf_counter() - start) * 1000

    def build(self) -> ipywidgets.Widget:
        """The explorer widget (built once; display it in a notebook or serve it with Voila)."""
        if self._root is None:
            self._root = self.widgets.layout()
        return self._root

    def show_tab(self, title: str) -> None:
        """Open one tab of the main view (``Status cards``, ``Figures``, ``Teaching case``, ...)."""
        self.widgets.tabs.selected_index = TABS.index(title)

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.build())

    # ------------------------------------------------------------------ views

    def _refresh(self) -> None:
        """Rebuild every view of the current assessment and send it to its widget: text first,
        then the figures that can be seen."""
        a = self._assessment
        self.alerts_html = render.alerts_html(a)
        self.cards_html = render.cards_html(a)
        self._figs = None
        self._compare_fig_stale = True
        if self.compare_case is not None:
            self._refresh_compare()
        self.yaml_html = render.yaml_html(self.case, self._yaml_filename())
        w = self.widgets
        w.alerts.value, w.cards.value, w.compare.value = self.alerts_html, self.cards_html, self.compare_html
        if self._yaml_shown:
            w.yaml.value = self.yaml_html
        if w.visible(FIGURES_TAB):
            self._push_figures()
        if w.visible(COMPARE_TAB):
            self._push_compare_figure()
        if self.score is not None:  # revealed: the answers follow the case
            self.reveal()

    def _figures(self) -> tuple[dict[str, go.Figure], dict[str, str]]:
        if self._figs is None:
            self._figs = self._figure_cache.figures(self._assessment) if self.draw_figures else ({}, {})
        return self._figs

    def _refresh_compare(self) -> None:
        assert self._compare_assessment is not None
        self.comparison = compare(self._assessment, self._compare_assessment)
        self.compare_html = render.compare_html(self.comparison, "A (current)", self.compare_label)

    def _show_teaching(self, tc: TeachingCase | None) -> None:
        self.teaching_case = tc
        self.teaching_html = self.widgets.teaching.value = render.teaching_html(tc)
        self.widgets.class_story.value = (f'<details class="bm-group" open><summary>The case: '
                                          f"{render.esc(tc.title)}</summary>{self.teaching_html}</details>"
                                          if tc is not None else "")

    def _teaching_case(self, case_id: str) -> TeachingCase:
        if case_id not in self.library:
            raise KeyError(f"'{case_id}' is not a teaching case id; ids: {', '.join(self.library)}")
        return self.library[case_id]

    def _yaml_filename(self) -> str:
        return f"{self.teaching_case.id}.yaml" if self.teaching_case else "case.yaml"

    def _push_figures(self) -> None:
        views = self.widgets.figure_views
        if not views:
            return
        figs, errors = self._figures()
        for title, view in views.items():
            fig = figs.get(title)
            if fig is None or self._pushed.get(title) is not fig:  # a kept figure is already shown
                view.outputs = (figure_output(fig),) if fig is not None else ()
                self._pushed[title] = fig
        self.widgets.figure_errors.value = "".join(
            f'<div class="bm-error">{render.esc(t)} could not be drawn: {render.esc(e)}</div>'
            for t, e in errors.items())

    def _push_compare_figure(self) -> None:
        view = self.widgets.compare_figure
        if view is None or not self._compare_fig_stale or not self.widgets.visible(COMPARE_TAB):
            return
        self._compare_fig_stale = False
        if self.comparison is None:
            view.outputs = ()
            return
        try:
            fig = comparison_figure(self.comparison, "A (current)", self.compare_label)
        except Exception:  # the table above says the same; a figure must not break compare mode
            view.outputs = ()
            return
        view.outputs = (figure_output(fig),)

    # ------------------------------------------------------------------ callbacks

    def _wire(self) -> None:
        """Connect every control, picker, button and the tabs to what they do."""
        w = self.widgets
        for control in self.controls.values():
            control.observe(self._on_control)
        w.case_picker.observe(self._on_pick, names="value")
        w.clear_button.on_click(lambda _: self.clear())
        w.pin_button.on_click(lambda _: self._pin())
        w.compare_picker.observe(self._on_compare_pick, names="value")
        w.compare_off_button.on_click(lambda _: self._compare_off())
        w.yaml_button.on_click(lambda _: self._show_yaml())
        w.tabs.observe(self._on_tab, names="selected_index")
        w.projector.observe(self._on_projector, names="value")
        w.class_mode.observe(self._on_class_mode, names="value")
        w.reveal_button.on_click(lambda _: self.reveal())
        w.again_button.on_click(lambda _: self.again())

    def _on_control(self, change: dict[str, Any]) -> None:
        if not self._suspended:
            self.update()

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] == FIGURES_TAB:
            self._push_figures()
        elif change["new"] == COMPARE_TAB:
            self._push_compare_figure()

    def _on_projector(self, change: dict[str, Any]) -> None:
        (self.widgets.root.add_class if change["new"] else self.widgets.root.remove_class)("bm-projector")

    def _on_class_mode(self, change: dict[str, Any]) -> None:
        self.again()
        self.widgets.show_class_mode(bool(change["new"]))
        if not change["new"]:
            self._on_tab({"new": self.widgets.tabs.selected_index})  # draw what the open tab shows

    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._suspended:
            return
        if change["new"] == NO_CASE:
            self._show_teaching(None)
            return
        self.load_teaching_case(change["new"])

    def _on_compare_pick(self, change: dict[str, Any]) -> None:
        if change["new"] != NO_CASE:
            self.compare_with(change["new"])

    def _pin(self) -> None:
        self.compare_with(self.case, label="B (pinned)")
        self._reset_compare_picker()

    def _compare_off(self) -> None:
        self.compare_with(None)
        self._reset_compare_picker()

    def _reset_compare_picker(self) -> None:
        picker = self.widgets.compare_picker
        picker.unobserve(self._on_compare_pick, names="value")
        picker.value = NO_CASE
        picker.observe(self._on_compare_pick, names="value")

    def _show_yaml(self) -> None:
        self._yaml_shown = True
        self.widgets.yaml.value = self.yaml_html
