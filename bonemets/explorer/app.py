"""The explorer: ipywidgets controls wrapped around the pure views of :mod:`.render`.

>>> from bonemets.explorer import Explorer
>>> ex = Explorer("hr_positive_postmenopausal")        # a teaching case id, a Case or a dict
>>> ex.assessment.status("her2_targeted")
'not_indicated'
>>> ex.controls["her2"].input.value = "positive"        # what a user's click does
>>> ex.assessment.status("her2_targeted")
'recommended'

``Explorer.build()`` returns the widget to display (a notebook, or Voila); everything the widget
shows is also an attribute (``alerts_html``, ``cards_html``, ``figures``, ``compare_html``, ...), so
tests read it without a browser.

Figures are drawn when they can be seen: on every change while the Figures tab is open, else
when the tab is opened or the ``figures`` attribute is read (plotly figure building costs far
more than the assessment itself; see ``benchmarks/bench_explorer.py``).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, Callable, Mapping

import ipywidgets as widgets

from ..case import Case
from ..cases import TeachingCase, teaching_library
from ..pipeline import assess
from ..exceptions import InvalidCaseError
from ..vocabulary import DISCLAIMER
from . import render
from .controls import FieldControl, field_groups, make_controls

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from ..assessment import Assessment
    from ..knowledge import KnowledgeBase

_NO_CASE = ""
#: Tab order of the explorer's main view.
TABS = ("Status cards", "Figures", "Teaching case", "Compare", "Export YAML")
_FIGURES_TAB, _COMPARE_TAB = TABS.index("Figures"), TABS.index("Compare")
#: Wider figures are drawn at the width of the explorer's column.
_MAX_FIGURE_WIDTH = 900


def _figures_module() -> Any:
    """:mod:`bonemets.figures` once it has every function the explorer draws, else None."""
    try:
        from .. import figures
    except ModuleNotFoundError as err:  # optional only while the figures module is written
        if err.name != "bonemets.figures":
            raise
        return None
    needed = ("skeleton_map", "decision_sankey", "schedule_timeline", "applicability_matrix")
    return figures if all(hasattr(figures, n) for n in needed) else None


def figure_makers() -> dict[str, Callable[["Assessment"], "go.Figure"]]:
    """The figures the explorer draws for one assessment, by title ({} without bonemets.figures)."""
    figures = _figures_module()
    if figures is None:
        return {}
    return {
        "Skeleton map": figures.skeleton_map,
        "Decision paths": figures.decision_sankey,
        "Treatment schedule (52 weeks)": lambda a: figures.schedule_timeline(a, weeks=52),
    }


def assessment_figures(a: "Assessment") -> tuple[dict[str, "go.Figure"], dict[str, str]]:
    """Every explorer figure for an assessment, and a one-line error for any that failed."""
    figs, errors = {}, {}
    for title, make in figure_makers().items():
        try:
            figs[title] = make(a)
        except Exception as err:  # a figure must never take the explorer down
            errors[title] = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    return figs, errors


def figure_output(fig: "go.Figure") -> dict[str, Any]:
    """A figure as a notebook ``display_data`` output (plotly's mime type, as its notebook
    renderer sends it), ready for an ``Output`` widget's ``outputs``. A figure wider than the
    explorer's column is given the column's width."""
    import plotly.io as pio

    spec = json.loads(pio.to_json(fig, validate=False))
    layout = spec.setdefault("layout", {})
    if (layout.get("width") or 0) > _MAX_FIGURE_WIDTH:  # fit the explorer's column instead
        del layout["width"]
        layout["autosize"] = True
    spec["config"] = {"displaylogo": False, "responsive": True}
    title = fig.layout.title.text or "figure"
    return {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.plotly.v1+json": spec, "text/plain": f"<plotly figure: {title}>"}}


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
        ``assess(case)``.
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
    last_update_ms : float
        How long the last update took (control change to views rebuilt).
    """

    def __init__(self, case: Case | Mapping[str, Any] | str | None = None, *,
                 kb: "KnowledgeBase | None" = None, figures: bool = True) -> None:
        self.kb = kb
        self.draw_figures = figures
        self.library: dict[str, TeachingCase] = teaching_library()
        self.controls: dict[str, FieldControl] = make_controls()
        self.case = Case()
        self.error: str | None = None
        self.teaching_case: TeachingCase | None = None
        self.comparison: render.Comparison | None = None
        self.compare_case: Case | None = None
        self.compare_label = "B"
        self.alerts_html = self.cards_html = self.compare_html = self.yaml_html = ""
        self.teaching_html = render.teaching_html(None)
        self.last_update_ms = 0.0
        self._figs: tuple[dict, dict] | None = None  # None: not drawn since the last change
        self._compare_fig_stale = True
        self._suspended = False
        self._yaml_shown = False
        self._root: widgets.Widget | None = None
        self.tabs: widgets.Tab | None = None
        self._fig_views: dict[str, widgets.Output] = {}
        self._compare_fig_view: widgets.Output | None = None
        self._make_widgets()
        for control in self.controls.values():
            control.observe(self._on_control)
        if isinstance(case, str):
            self.load_teaching_case(case)
        else:
            self.set_case(case if case is not None else Case())

    # ------------------------------------------------------------------ public API

    @property
    def assessment(self) -> "Assessment":
        return self._assessment

    @property
    def figures(self) -> dict[str, "go.Figure"]:
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
        if case_id not in self.library:
            raise KeyError(f"'{case_id}' is not a teaching case id; ids: {', '.join(self.library)}")
        tc = self.library[case_id]
        self.teaching_case = tc
        self.teaching_html = render.teaching_html(tc)
        self.teaching_html_widget.value = self.teaching_html
        if self.case_picker.value != case_id:
            self._suspended = True
            try:
                self.case_picker.value = case_id
            finally:
                self._suspended = False
        self.set_case(tc.case)
        return tc

    def clear(self) -> None:
        """Every field unknown, and no teaching case loaded."""
        self.case_picker.value = _NO_CASE  # its observer forgets the teaching case
        self.set_case(Case())

    def to_yaml(self) -> str:
        """The current case's known fields as YAML (``yaml.safe_dump(case.known())``)."""
        return render.case_yaml(self.case)

    def compare_with(self, other: Case | Mapping[str, Any] | str | None,
                     label: str | None = None) -> render.Comparison | None:
        """Compare the current case (A) with another (B): a Case, a dict, a teaching case id, or
        None to leave compare mode. The comparison follows every later change of A."""
        if other is None:
            self.compare_case, self.comparison, self.compare_label = None, None, "B"
            self.compare_html = ('<div class="bm-muted">Compare mode is off: pin the current case '
                                 "as B, or choose a teaching case as B.</div>")
        else:
            if isinstance(other, str):
                if other not in self.library:
                    raise KeyError(f"'{other}' is not a teaching case id; ids: {', '.join(self.library)}")
                other, label = self.library[other].case, label or self.library[other].title
            elif not isinstance(other, Case):
                other = Case.model_validate(dict(other))
            self.compare_case = other
            self.compare_label = label or "B (pinned)"
            self._refresh_compare()
        self._compare_fig_stale = True
        if self._root is not None:
            self.compare_html_widget.value = self.compare_html
            self._push_compare_figure()
        return self.comparison

    def update(self) -> None:
        """Read the controls; if they describe a valid case, rebuild every view."""
        start = time.perf_counter()
        values, errors, bad = {}, [], set()
        for name, control in self.controls.items():
            value, problem = control.read()
            if problem:
                errors.append(problem)
                bad.add(name)
            elif value is not None:
                values[name] = value
        case = None
        if not errors:
            try:
                case = Case(**values)
            except InvalidCaseError as err:
                errors.append(str(err))
                bad.update(err.fields or ())
        for name, control in self.controls.items():
            control.mark_invalid(name in bad)
        if case is None:
            self.error = "; ".join(errors)
            self.message_widget.value = (
                f'<div class="bm-error" data-error="1">\u26a0 {render.esc(self.error)} '
                "(the views still show the last valid case)</div>")
        else:
            self.error = None
            self.message_widget.value = ""
            self.case = case
            self._refresh()
        self.last_update_ms = (time.perf_counter() - start) * 1000

    def build(self) -> widgets.Widget:
        """The explorer widget (built once; display it in a notebook or serve it with Voila)."""
        if self._root is None:
            self._root = self._layout()
            self._push_all()
        return self._root

    def show_tab(self, title: str) -> None:
        """Open one tab of the main view (``Status cards``, ``Figures``, ``Teaching case``, ...)."""
        self.build()
        self.tabs.selected_index = TABS.index(title)

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.build())

    # ------------------------------------------------------------------ views

    def _refresh(self) -> None:
        a = self._assessment = assess(self.case, kb=self.kb)
        self.alerts_html = render.alerts_html(a)
        self.cards_html = render.cards_html(a)
        self._figs = None
        self._compare_fig_stale = True
        if self.compare_case is not None:
            self._refresh_compare()
        self.yaml_html = render.yaml_html(self.case, self._yaml_filename())
        if self._root is not None:
            self._push_all()

    def _figures(self) -> tuple[dict, dict]:
        if self._figs is None:
            self._figs = assessment_figures(self._assessment) if self.draw_figures else ({}, {})
        return self._figs

    def _refresh_compare(self) -> None:
        self.comparison = render.compare(self._assessment, assess(self.compare_case, kb=self.kb))
        self.compare_html = render.compare_html(self.comparison, "A (current)", self.compare_label)

    def _yaml_filename(self) -> str:
        return f"{self.teaching_case.id}.yaml" if self.teaching_case else "case.yaml"

    # ------------------------------------------------------------------ widgets

    def _make_widgets(self) -> None:
        """The widgets that exist before build(): the inputs, and the views tests look at."""
        options = [("\u2014 choose a teaching case \u2014", _NO_CASE)] + [
            (tc.title, cid) for cid, tc in self.library.items()]
        self.case_picker = widgets.Dropdown(options=options, value=_NO_CASE, description="Teaching case",
                                            style={"description_width": "100px"},
                                            layout=widgets.Layout(width="640px"))
        self.case_picker.add_class("bm-case-picker")
        self.case_picker.observe(self._on_pick, names="value")
        self.clear_button = widgets.Button(description="All unknown", tooltip="Set every field to unknown",
                                           layout=widgets.Layout(width="120px"))
        self.clear_button.add_class("bm-clear")
        self.clear_button.on_click(lambda _: self.clear())
        self.message_widget = widgets.HTML("")
        self.message_widget.add_class("bm-message")
        self.alerts_html_widget = widgets.HTML()
        self.alerts_html_widget.add_class("bm-alerts-view")
        self.cards_html_widget = widgets.HTML()
        self.cards_html_widget.add_class("bm-cards-view")
        self.teaching_html_widget = widgets.HTML(self.teaching_html)
        self.teaching_html_widget.add_class("bm-teaching-view")
        self.compare_html_widget = widgets.HTML()
        self.compare_html_widget.add_class("bm-compare-view")
        self.pin_button = widgets.Button(description="Pin current case as B", button_style="info",
                                         layout=widgets.Layout(width="190px"))
        self.pin_button.add_class("bm-pin")
        self.pin_button.on_click(lambda _: self._pin())
        self.compare_picker = widgets.Dropdown(
            options=[("\u2014 or a teaching case as B \u2014", _NO_CASE)] + options[1:], value=_NO_CASE,
            layout=widgets.Layout(width="460px"))
        self.compare_picker.add_class("bm-compare-picker")
        self.compare_picker.observe(self._on_compare_pick, names="value")
        self.compare_off_button = widgets.Button(description="Leave compare mode",
                                                 layout=widgets.Layout(width="170px"))
        self.compare_off_button.on_click(lambda _: self._compare_off())
        self.yaml_button = widgets.Button(description="Export YAML", button_style="primary",
                                          tooltip="Show the current case as YAML, with a download link")
        self.yaml_button.add_class("bm-export")
        self.yaml_button.on_click(lambda _: self._show_yaml())
        self.yaml_html_widget = widgets.HTML('<div class="bm-muted">Press "Export YAML" to see the '
                                             "current case as YAML and download it.</div>")
        self.yaml_html_widget.add_class("bm-yaml-view")
        self.compare_with(None)

    def _layout(self) -> widgets.Widget:
        header = widgets.HTML(
            render.CSS + '<div class="bm-header">'
            f'<div class="bm-banner"><b>Not a diagnostic device.</b> {render.esc(DISCLAIMER)}</div>'
            '<div class="bm-muted">Set the factors on the left (any field can stay <i>unknown</i>); '
            "alerts and status cards update at once. Load a teaching case, compare two cases, or "
            "export the case as YAML.</div></div>")
        groups = field_groups()
        boxes = [widgets.VBox([self.controls[n].widget for n in names]) for names in groups.values()]
        accordion = widgets.Accordion(children=boxes, titles=tuple(groups), selected_index=0)
        accordion.add_class("bm-controls")
        left = widgets.VBox([widgets.HTML("<b>Case factors</b> (empty or <i>unknown</i> = not known)"),
                             accordion],
                            layout=widgets.Layout(width="480px", min_width="440px"))
        left.add_class("bm-left")
        accordion.add_class("bm-scroll")
        self.cards_html_widget.add_class("bm-scroll")
        compare_tab = widgets.VBox([
            widgets.HBox([self.pin_button, self.compare_picker, self.compare_off_button]),
            self.compare_html_widget, self._make_compare_figure_view()])
        export_tab = widgets.VBox([self.yaml_button, self.yaml_html_widget])
        tabs = widgets.Tab(children=[self.cards_html_widget, widgets.VBox(self._make_figure_views()),
                                     self.teaching_html_widget, compare_tab, export_tab], titles=TABS)
        tabs.add_class("bm-tabs")
        tabs.observe(self._on_tab, names="selected_index")
        self.tabs = tabs
        right = widgets.VBox([self.message_widget, self.alerts_html_widget, tabs],
                             layout=widgets.Layout(flex="1 1 auto", width="auto", padding="0 0 0 14px"))
        footer = widgets.HTML(render.disclaimer_html())
        root = widgets.VBox([header, widgets.HBox([self.case_picker, self.clear_button]),
                             widgets.HBox([left, right], layout=widgets.Layout(width="100%")), footer],
                            layout=widgets.Layout(width="100%"))
        root.add_class("bm-app")
        return root

    def _make_figure_views(self) -> list[widgets.Widget]:
        if not self.draw_figures or not figure_makers():
            return [widgets.HTML('<div class="bm-muted">No figures (they need bonemets.figures).</div>')]
        self.figure_error_widget = widgets.HTML()
        views: list[widgets.Widget] = [self.figure_error_widget]
        for title in figure_makers():
            view = widgets.Output(layout=widgets.Layout(width="100%"))
            view.add_class("bm-figure")
            self._fig_views[title] = view
            views.append(view)
        return views

    def _make_compare_figure_view(self) -> widgets.Widget:
        if not self.draw_figures or _figures_module() is None:
            return widgets.HTML()
        self._compare_fig_view = widgets.Output(layout=widgets.Layout(width="100%"))
        self._compare_fig_view.add_class("bm-compare-figure")
        return self._compare_fig_view

    def _visible(self, tab: int) -> bool:
        return self.tabs is not None and self.tabs.selected_index == tab

    def _push_all(self) -> None:
        """Send every view to its widget: text first, then the figures that can be seen."""
        self.alerts_html_widget.value = self.alerts_html
        self.cards_html_widget.value = self.cards_html
        self.compare_html_widget.value = self.compare_html
        if self._yaml_shown:
            self.yaml_html_widget.value = self.yaml_html
        if self._visible(_FIGURES_TAB):
            self._push_figures()
        if self._visible(_COMPARE_TAB):
            self._push_compare_figure()

    def _push_figures(self) -> None:
        if not self._fig_views:
            return
        figs, errors = self._figures()
        for title, view in self._fig_views.items():
            view.outputs = (figure_output(figs[title]),) if title in figs else ()
        self.figure_error_widget.value = "".join(
            f'<div class="bm-error">{render.esc(t)} could not be drawn: {render.esc(e)}</div>'
            for t, e in errors.items())

    def _push_compare_figure(self) -> None:
        view = self._compare_fig_view
        if view is None or not self._compare_fig_stale:
            return
        self._compare_fig_stale = False
        if self.comparison is None:
            view.outputs = ()
            return
        try:
            fig = _figures_module().applicability_matrix(
                {"A (current)": self.comparison.a, self.compare_label: self.comparison.b})
        except Exception:  # the table above says the same; a figure must not break compare mode
            view.outputs = ()
            return
        view.outputs = (figure_output(fig),)

    # ------------------------------------------------------------------ callbacks

    def _on_control(self, change: dict) -> None:
        if not self._suspended:
            self.update()

    def _on_tab(self, change: dict) -> None:
        if change["new"] == _FIGURES_TAB:
            self._push_figures()
        elif change["new"] == _COMPARE_TAB:
            self._push_compare_figure()

    def _on_pick(self, change: dict) -> None:
        if self._suspended:
            return
        if change["new"] == _NO_CASE:
            self.teaching_case = None
            self.teaching_html = render.teaching_html(None)
            self.teaching_html_widget.value = self.teaching_html
            return
        self.load_teaching_case(change["new"])

    def _on_compare_pick(self, change: dict) -> None:
        if change["new"] != _NO_CASE:
            self.compare_with(change["new"])

    def _pin(self) -> None:
        self.compare_with(self.case, label="B (pinned)")
        self._reset_compare_picker()

    def _compare_off(self) -> None:
        self.compare_with(None)
        self._reset_compare_picker()

    def _reset_compare_picker(self) -> None:
        self.compare_picker.unobserve(self._on_compare_pick, names="value")
        self.compare_picker.value = _NO_CASE
        self.compare_picker.observe(self._on_compare_pick, names="value")

    def _show_yaml(self) -> None:
        self._yaml_shown = True
        self.yaml_html_widget.value = self.yaml_html
