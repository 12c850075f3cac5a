"""The explorer without a browser: controls in, assessment, HTML and figures out."""

from __future__ import annotations

import html

import pytest
import yaml

import bonemets
from bonemets import FIELDS, Case
from bonemets.explorer import Explorer, compare, compare_html, field_groups, render

LIBRARY = bonemets.teaching_library()


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
    assert bonemets.DISCLAIMER in explorer.cards_html
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


def test_option_cards_name_their_family(fresh):
    a = fresh.assessment
    card = fresh.cards_html.split('data-item="denosumab"')[1]
    kind = card.split('class="bm-kind">')[1].split("<")[0]
    assert kind == f"option \u00b7 {html.escape(a.recommendation('bone_strengthening').name)}"
    family = fresh.cards_html.split('data-item="bone_strengthening"')[1]
    assert family.split('class="bm-kind">')[1].split("<")[0] == "family"


def test_unknown_gives_undetermined(fresh):
    fresh.controls["her2"].input.value = "unknown"
    assert fresh.case.her2 is None
    assert fresh.assessment.status("her2_targeted") == "undetermined"
    assert fresh.assessment.status("receptor_retest") == "recommended"
    card = fresh.cards_html.split('data-item="her2_targeted"')[1].split("</div></div>")[0]
    assert "her2 unknown" in card


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
    assert bonemets.DISCLAIMER in fresh.compare_html

    cmp = fresh.compare_with("her2_positive")
    norm = lambda v: sorted(v) if isinstance(v, list) else v  # noqa: E731
    expected = {k for k in FIELDS if norm(fresh.case.engine_record()[k])
                != norm(LIBRARY["her2_positive"].case.engine_record()[k])}
    assert set(cmp.fields) == expected and "visceral_metastases" in cmp.fields
    a, b = fresh.assessment, bonemets.assess(LIBRARY["her2_positive"].case)
    assert set(cmp.statuses) == {r.id for r in a.recommendations if r.status != b.status(r.id)}
    for item in cmp.statuses:
        assert f'data-item="{item}"' in fresh.compare_html
    assert "Fields that differ" in cmp.to_text()
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


def test_every_view_shows_the_disclaimer(fresh):
    root = fresh.build()
    assert bonemets.DISCLAIMER in root.children[0].value
    fresh.compare_with("her2_positive")
    fresh.widgets.yaml_button.click()
    for text in (fresh.cards_html, fresh.teaching_html, fresh.compare_html, fresh.widgets.yaml.value):
        assert render.esc(bonemets.DISCLAIMER) in text or bonemets.DISCLAIMER in text
