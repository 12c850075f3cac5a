"""The explorer without a browser: controls in, assessment, HTML and figures out."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
import yaml

import bonemets
from bonemets import FIELDS, Case, views
from bonemets.explorer import Explorer, compare, compare_html, field_groups, render

LIBRARY = bonemets.teaching_library()


class _Tree(HTMLParser):
    """For each ``data-item``: the ``data-item`` of the family blocks around it, and ``details``
    when it is inside a folded ``<details>``."""

    VOID = frozenset({"br", "img", "hr", "input", "meta", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.where: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        mark = tag
        if "data-item" in a:
            self.where[a["data-item"]] = list(self.stack)
            if "bm-family" in (a.get("class") or ""):
                mark = f"family:{a['data-item']}"
        self.stack.append(mark)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.stack.pop()


def _ancestors(page: str) -> dict[str, list[str]]:
    tree = _Tree()
    tree.feed(page)
    assert tree.stack == []  # balanced
    return tree.where


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


@pytest.fixture(scope="module")
def explorer():
    """One built explorer for the module (building widgets is the slow part)."""
    ex = Explorer("hr_positive_postmenopausal")
    ex.build()
    return ex


@pytest.fixture
def fresh(explorer):
    """The shared explorer, reset to the HER2-negative teaching case and out of compare mode."""
    explorer.compare_with(None)
    explorer.load_teaching_case("hr_positive_postmenopausal")
    assert explorer.error is None
    return explorer


@pytest.mark.parametrize("case_id", list(LIBRARY))
def test_builds_for_each_teaching_case(explorer, case_id):
    tc = explorer.load_teaching_case(case_id)
    assert explorer.error is None
    assert explorer.case == tc.case.model_copy(update={
        k: None for k, v in tc.case.model_dump().items() if v == "unknown"})
    assert explorer.assessment == bonemets.assess(explorer.case)
    assert html.escape(tc.title) in explorer.teaching_html
    for q in tc.questions:
        assert html.escape(q) in explorer.teaching_html
    assert 'class="bm-cards"' in explorer.cards_html
    assert explorer.figure_errors == {}
    assert set(explorer.figures) == {"Skeleton map", "Decision paths", "Treatment schedule (52 weeks)"}
    # every item has a card, whatever its status
    for r in explorer.assessment.recommendations:
        assert f'data-item="{r.id}" data-status="{r.status}"' in explorer.cards_html


def test_every_field_has_one_control_in_one_group():
    ex = Explorer(figures=False)
    assert list(ex.controls) == list(FIELDS)
    groups = field_groups()
    placed = [f for names in groups.values() for f in names]
    assert sorted(placed) == sorted(FIELDS) and len(placed) == len(set(placed))
    assert list(groups)[:5] == ["Cancer", "Extent", "Symptoms", "Labs", "Prior treatment"]
    for name, spec in FIELDS.items():
        control = ex.controls[name]
        if spec.kind == "enum":
            assert control.input.options[0] == ("unknown", "unknown")
            assert [v for _, v in control.input.options[1:]] == list(spec.allowed)
        elif spec.kind == "bool":
            assert control.input.options == ("unknown", "yes", "no")
        elif spec.kind == "list":
            assert [v for _, v in control.input.options] == list(spec.allowed)
            assert control.unknown_box.description == "unknown"
        else:
            assert f"{spec.ge:g}\u2013{spec.le:g}" in control.input.description
        assert f"bm-field-{name}" in control.widget._dom_classes


def test_her2_control_changes_status_and_cards(fresh):
    assert fresh.assessment.status("her2_targeted") == "not_indicated"
    before = fresh.cards_html
    assert 'data-item="her2_targeted" data-status="not_indicated"' in before
    fresh.controls["her2"].input.value = "positive"  # what selecting "positive" in the browser does
    assert fresh.assessment.status("her2_targeted") == "recommended"
    assert fresh.cards_html != before
    assert 'data-item="her2_targeted" data-status="recommended"' in fresh.cards_html
    assert fresh.widgets.cards.value == fresh.cards_html  # the widget shows it


def test_options_sit_inside_their_family(fresh):
    kb = fresh.assessment.knowledge
    where = _ancestors(fresh.cards_html)
    for option in kb.options.values():
        assert f'family:{option.family}' in where[option.id], option.id
    for family in kb.families:
        assert not any(a.startswith("family:") for a in where[family])  # families are not nested


def test_unknown_gives_undetermined(fresh):
    fresh.controls["her2"].input.value = "unknown"
    assert fresh.case.her2 is None
    assert fresh.assessment.status("her2_targeted") == "undetermined"
    assert fresh.assessment.status("receptor_retest") == "recommended"
    frag = render.card_html(fresh.assessment.recommendation("her2_targeted"), fresh.assessment.knowledge)
    assert frag in fresh.cards_html
    card = _text(frag)
    assert "Unknown: HER2" in card and "her2" not in card  # in words
    short, details = frag.split('<details class="bm-why">')
    assert _text(short.split('class="bm-short">')[1]).startswith("Unknown: HER2")  # in sight, one click to why
    assert _text(details).count("Unknown") == 1  # said once, not per rule


def test_unknown_everywhere():
    ex = Explorer(figures=False)
    assert ex.case == Case() and ex.error is None
    for name, control in ex.controls.items():
        assert control.read() == (None, None), name
    ex.load_teaching_case("triple_negative")
    ex.widgets.clear_button.click()
    assert ex.case == Case() and ex.teaching_case is None
    assert all(control.read() == (None, None) for control in ex.controls.values())


def test_three_way_boolean_and_list_unknown(fresh):
    fresh.controls["neurological_deficit"].input.value = "yes"
    assert fresh.case.neurological_deficit is True
    fresh.controls["neurological_deficit"].input.value = "unknown"
    assert fresh.case.neurological_deficit is None
    sites = fresh.controls["prior_radiotherapy_sites"]
    assert fresh.case.prior_radiotherapy_sites == [] and not sites.unknown_box.value
    sites.unknown_box.value = True
    assert fresh.case.prior_radiotherapy_sites is None and sites.input.disabled
    sites.unknown_box.value = False
    sites.input.value = ("spine", "pelvis")
    assert fresh.case.prior_radiotherapy_sites == ["spine", "pelvis"]


@pytest.mark.parametrize("text, expected", [
    ("abc", "age: 'abc' is not a number"),
    ("64.5", "age: '64.5' is not a whole number"),
    ("130", "age=130 is not allowed; allowed: a number from 18 to 120"),
])
def test_invalid_number_shows_a_message_and_does_not_raise(fresh, text, expected):
    before = fresh.case
    fresh.set_field("age", text)  # must not raise
    assert fresh.error.startswith(expected)
    assert "\n" not in fresh.error and "Traceback" not in fresh.error
    assert expected.replace("'", "&#x27;") in fresh.widgets.message.value
    assert "bm-invalid" in fresh.controls["age"].widget._dom_classes
    assert fresh.case == before  # the views keep the last valid case
    fresh.set_field("age", "")
    assert fresh.error is None and fresh.case.age is None
    assert fresh.widgets.message.value == ""
    assert "bm-invalid" not in fresh.controls["age"].widget._dom_classes


def test_number_box_accepts_decimal_comma_and_empty(fresh):
    fresh.set_field("calcium_mmol_l", "2,61")
    assert fresh.case.calcium_mmol_l == pytest.approx(2.61)
    fresh.set_field("calcium_mmol_l", " ")
    assert fresh.case.calcium_mmol_l is None


def test_contradiction_names_both_fields(fresh):
    fresh.set_field("sex", "male")  # the case is post-menopausal
    assert "sex" in fresh.error and "menopause" in fresh.error
    assert fresh.case.sex == "female"
    for name in ("sex", "menopause"):
        assert "bm-invalid" in fresh.controls[name].widget._dom_classes
    fresh.set_field("menopause", "not_applicable")
    assert fresh.error is None and fresh.case.sex == "male"


def test_alerts_come_first_and_escape_text():
    ex = Explorer("spinal_cord_compression", figures=False)
    assert 'data-alert="spinal_cord_compression"' in ex.alerts_html
    assert "CRITICAL" in ex.alerts_html
    frag = render.card_html(ex.assessment.recommendations[0])
    assert ex.alerts_html.index('data-section="act-now"') < ex.alerts_html.index('data-section="ask-next"')
    assert "<script" not in frag
    # anything from the knowledge base or a case is escaped
    from dataclasses import replace

    r = replace(ex.assessment.recommendations[0], name="<script>alert(1)</script>")
    assert "&lt;script&gt;" in render.card_html(r)


def test_to_yaml_round_trips(fresh):
    fresh.controls["her2"].input.value = "low"
    text = fresh.to_yaml()
    assert Case.model_validate(yaml.safe_load(text)) == fresh.case
    assert yaml.safe_load(text) == fresh.case.known()
    fresh.widgets.yaml_button.click()
    assert html.escape("her2: low") in fresh.widgets.yaml.value
    assert 'download="hr_positive_postmenopausal.yaml"' in fresh.widgets.yaml.value
    empty = Explorer(figures=False)
    assert Case.model_validate(yaml.safe_load(empty.to_yaml()) or {}) == Case()


def test_compare_mode_lists_fields_and_statuses(fresh):
    fresh.widgets.pin_button.click()  # B = the HER2-negative case as it stands
    assert fresh.comparison.same
    fresh.controls["her2"].input.value = "positive"  # A changes; compare follows
    cmp = fresh.comparison
    assert cmp.fields == {"her2": ("positive", "negative")}
    assert cmp.statuses["her2_targeted"] == ("recommended", "not_indicated")
    assert 'data-field="her2"' in fresh.compare_html and "bm-diff" in fresh.compare_html
    assert 'data-item="her2_targeted"' in fresh.compare_html
    differ, same = fresh.compare_html.split('class="bm-table bm-fields-same"')
    assert re.findall(r'data-field="(\w+)"', differ) == ["her2"]  # the field that differs, first
    assert "her2" not in re.findall(r'data-field="(\w+)"', same)
    assert set(re.findall(r'data-field="(\w+)"', same)) == {k for k, v in fresh.case.known().items() if k != "her2"}

    cmp = fresh.compare_with("her2_positive")
    norm = lambda v: sorted(v) if isinstance(v, list) else v  # noqa: E731
    expected = {k for k in FIELDS if norm(fresh.case.engine_record()[k])
                != norm(LIBRARY["her2_positive"].case.engine_record()[k])}
    assert set(cmp.fields) == expected and "visceral_metastases" in cmp.fields
    a, b = fresh.assessment, bonemets.assess(LIBRARY["her2_positive"].case)
    assert set(cmp.statuses) == {r.id for r in a.recommendations if r.status != b.status(r.id)}
    for item in cmp.statuses:
        assert f'data-item="{item}"' in fresh.compare_html
    text = cmp.to_text()
    assert text.startswith("Factors that differ (A -> B):\n") and "\n  ER: positive -> negative\n" in text
    for item, (x, y) in cmp.statuses.items():
        assert f"\n  {a.recommendation(item).name}: {views.STATUS_LABELS[x]} -> {views.STATUS_LABELS[y]}" in text
    assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", text)  # words, not ids
    assert fresh.compare_with(None) is None and fresh.comparison is None


def test_compare_is_a_pure_function():
    a = {k: bonemets.assess(c) for k, c in bonemets.teaching_cases().items()}
    cmp = compare(a["triple_negative"], a["her2_positive"])
    assert "her2" in cmp.fields and cmp.statuses
    assert cmp.statuses["her2_targeted"] == ("not_indicated", "recommended")
    assert "bone_sites" not in cmp.fields  # the same sites in another order
    assert compare(a["triple_negative"], a["triple_negative"]).same
    cord = a["spinal_cord_compression"].alert("spinal_cord_compression")
    page = compare_html(compare(a["hr_positive_postmenopausal"], a["spinal_cord_compression"]))
    row = page.split('data-alert="spinal_cord_compression">')[1].split("</tr>")[0]
    assert f"<th>{html.escape(cord.name)}</th>" in row  # the alert's name, not its id
    assert ["NOT RAISED", cord.level.upper()] == [cell.split("</span>")[0].rsplit(">", 1)[1]
                                                 for cell in row.split("<td>")[1:]]


def test_figures_follow_the_figures_tab(fresh):
    fresh.show_tab("Figures")
    try:
        view = fresh.widgets.figure_views["Skeleton map"]
        fresh.controls["her2"].input.value = "positive"
        out = view.outputs[0]
        assert "application/vnd.plotly.v1+json" in out["data"]
        assert fresh.last_update_ms > 0
    finally:
        fresh.show_tab("Status cards")


def test_compare_tab_draws_the_matrix_of_a_and_b(fresh):
    fresh.compare_with("her2_positive")
    fresh.show_tab("Compare")
    try:
        spec = fresh.widgets.compare_figure.outputs[0]["data"]["application/vnd.plotly.v1+json"]
        heat = spec["data"][0]
        assert heat["y"] == ["A (current)", LIBRARY["her2_positive"].title]
        column = heat["x"].index("targeted_therapy")
        a, b = fresh.assessment, bonemets.assess(LIBRARY["her2_positive"].case)
        assert [bonemets.STATUSES[row[column]] for row in heat["z"]] == [a.status("targeted_therapy"),
                                                                          b.status("targeted_therapy")]
    finally:
        fresh.show_tab("Status cards")


def test_one_header_with_the_one_disclaimer(fresh):
    root = fresh.build()
    assert render.esc(bonemets.DISCLAIMER) in root.children[0].value
    fresh.compare_with("her2_positive")
    fresh.widgets.yaml_button.click()
    views = (fresh.alerts_html, fresh.cards_html, fresh.teaching_html, fresh.compare_html, fresh.widgets.yaml.value)
    assert all("not a medical device" not in v and "Not a diagnostic device" not in v for v in views)
    assert all("make run" not in v and "web app" not in v for v in (*views, root.children[0].value))


# --------------------------------------------------------------------------- a class's view


@pytest.mark.parametrize("case_id", list(LIBRARY))
def test_green_only_when_nothing_is_raised_or_left_open(case_id):
    a = bonemets.assess(LIBRARY[case_id].case)
    page = render.alerts_html(a)
    open_ = [i for i, s in a.alert_states.items() if s == "undetermined"]
    pending = [p for r in a.recommendations for p in r.pending]
    assert ('data-alert="none"' in page) == (not a.alerts and not open_ and not pending)
    if not a.alerts and (open_ or pending):
        line = _text(page.split('data-alert="open">')[1].split("</div>")[0])
        for i in open_:
            assert a.knowledge.alerts[i].name in line
    for x in a.alerts:  # raised alerts under Act now, before Ask next
        assert page.index(f'data-alert="{x.id}"') < page.find('data-section="ask-next"') or not a.questions


def test_every_open_alert_case_asks_before_it_shows_green():
    """A case that knows nothing leaves every emergency open: never the green line."""
    page = render.alerts_html(bonemets.assess(Case()))
    assert 'data-alert="none"' not in page and 'data-alert="open"' in page
    assert "not ruled out" in _text(page)


def test_tests_by_purpose_and_not_indicated_folded(fresh):
    a = fresh.assessment
    where = _ancestors(fresh.cards_html)
    page = fresh.cards_html
    purposes = re.findall(r'data-purpose="(\w+)"', page)
    assert purposes == [p for p in ("before", "diagnose", "monitor") if p in purposes]
    for r in a.recommendations:
        folded = "details" in where[r.id]
        if r.kind == "family":
            assert folded == (r.status == "not_indicated"), r.id
        else:
            fam_folded = r.kind == "option" and a.status(r.family) == "not_indicated"
            assert folded == (r.status == "not_indicated" or fam_folded), r.id
    # a safety check test is listed before starting a drug, an MRI to diagnose
    before = page.split('data-purpose="before"')[1].split("data-purpose=")[0]
    assert 'data-item="dental_check"' in before and 'data-item="mri"' not in before
    assert 'data-item="mri"' in page.split('data-purpose="diagnose"')[1].split("data-purpose=")[0]


def test_families_headline_in_status_order(fresh):
    statuses = re.findall(r'class="bm-family bm-status-(\w+)"', fresh.cards_html)
    order = [bonemets.STATUSES.index(s) for s in statuses]
    assert order == sorted(order)
    assert len(statuses) == len(fresh.assessment.knowledge.families)


def test_pending_checks_shown_on_the_item():
    ex = Explorer(Case(primary="breast", bone_sites=["spine"]), figures=False)
    r = ex.assessment.recommendation("bisphosphonate_iv")
    assert r.pending
    card = render.card_html(r, ex.assessment.knowledge)
    assert card in ex.cards_html
    assert card.count("<li>Before starting:") == len(r.pending)


def test_class_mode_predict_reveal_score(fresh):
    a = fresh.assessment
    fams = [r for r in a.recommendations if r.kind == "family"]
    fresh.set_class_mode(True)
    try:
        assert fresh.widgets.tabs.layout.display == "none" and fresh.widgets.class_panel.layout.display is None
        assert set(fresh.widgets.predictions) == {r.id for r in fams}
        for r in fams:  # the class says "recommended" for every family
            fresh.predict(r.id, "recommended")
        fresh.predict(fams[0].id, None)  # ... but gives no answer for the first
        assert fresh.score is None and all(v.value == "" for v in fresh.widgets.verdicts.values())
        fresh.widgets.reveal_button.click()
        right = sum(r.status == "recommended" for r in fams[1:])
        assert (fresh.score.right, fresh.score.total) == (right, len(fams))
        assert f'data-score="{right}/{len(fams)}"' in fresh.widgets.score.value
        assert f"{right} of {len(fams)} families right (1 without an answer)" in fresh.widgets.score.value
        for r in fams:
            verdict = fresh.widgets.verdicts[r.id].value
            assert f'data-status="{r.status}"' in verdict
            assert f'data-right="{str(r.id != fams[0].id and r.status == "recommended").lower()}"' in verdict
        fresh.load_teaching_case("spinal_cord_compression")  # a new case: predict again
        assert fresh.score is None and all(p.value == "" for p in fresh.widgets.predictions.values())
    finally:
        fresh.set_class_mode(False)
    assert fresh.widgets.tabs.layout.display is None and fresh.widgets.class_panel.layout.display == "none"


def test_projector_mode_marks_the_app(fresh):
    root = fresh.build()
    assert "bm-projector" not in root._dom_classes
    fresh.set_projector(True)
    assert "bm-projector" in root._dom_classes and "bm-app" in root._dom_classes
    fresh.set_projector(False)
    assert "bm-projector" not in root._dom_classes


def test_a_new_case_gets_a_new_card_pane_a_change_does_not(fresh):
    pane = fresh.widgets.cards
    fresh.set_field("her2", "positive")
    assert fresh.widgets.cards is pane  # the pane keeps its scroll while the case changes
    fresh.load_teaching_case("her2_positive")
    assert fresh.widgets.cards is not pane  # a new case starts at the top
    assert fresh.widgets.cards.value == fresh.cards_html
    assert fresh.widgets.tabs.children[0].children == (fresh.widgets.cards,)


def test_figures_are_redrawn_only_when_what_they_show_changed(fresh):
    from bonemets.figures import schedule_timeline, skeleton_map

    before = fresh.figures
    fresh.set_field("age", "70")  # neither the bone sites nor the options recommended change
    after = fresh.figures
    assert after["Skeleton map"] is before["Skeleton map"]
    assert after["Treatment schedule (52 weeks)"] is before["Treatment schedule (52 weeks)"]
    fresh.set_field("bone_sites", ["spine", "skull"])
    moved = fresh.figures["Skeleton map"]
    assert moved is not before["Skeleton map"]
    assert moved.to_plotly_json() == skeleton_map(fresh.case).to_plotly_json()
    fresh.set_field("her2", "positive")  # HER2-directed therapy becomes recommended
    timeline = fresh.figures["Treatment schedule (52 weeks)"]
    assert timeline.to_plotly_json() == schedule_timeline(fresh.assessment, weeks=52).to_plotly_json()


def test_class_mode_shows_the_story(fresh):
    tc = LIBRARY["hr_positive_postmenopausal"]
    story = fresh.widgets.class_story.value
    assert html.escape(tc.title) in story and html.escape(tc.narrative) in story
    assert fresh.widgets.class_story in fresh.widgets.class_panel.children
    fresh.clear()  # no teaching case: no story
    assert fresh.widgets.class_story.value == ""
