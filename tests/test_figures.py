"""Figures: read fig.data and fig.layout (never pixels) against the engine's own answers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import bonemets
from bonemets import STATUSES, assess, assess_cohort, load_case
from bonemets.figures import (
    BONE_SITES, NO_SCHEDULE, NOTE, SITE_COLOURS, STATUS_COLOURS, applicability_matrix, breast_subtype,
    cohort_summary, decision_sankey, dose_weeks, schedule_timeline, skeleton_map, status_legend,
)

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
CHROMIUM = "/usr/bin/chromium"


def case(name: str) -> bonemets.Case:
    return load_case(CASES / f"{name}.yaml")


def by_state(fig: go.Figure) -> dict[str, go.Scatter]:
    return {t.meta["state"]: t for t in fig.data if isinstance(t.meta, dict) and "state" in t.meta}


def parts(fig: go.Figure, option: str) -> dict[str, go.Scatter]:
    return {t.meta["part"]: t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("option") == option}


# --------------------------------------------------------------------------- common


def test_status_colours_follow_statuses_and_differ():
    assert tuple(STATUS_COLOURS) == STATUSES
    assert len(set(STATUS_COLOURS.values())) == len(STATUSES)


ALL_FIGURES = {
    "skeleton_map": lambda: skeleton_map(case("her2_positive")),
    "applicability_matrix": lambda: applicability_matrix({"a": case("her2_positive")}),
    "decision_sankey": lambda: decision_sankey(assess(case("her2_positive"))),
    "schedule_timeline": lambda: schedule_timeline(assess(case("her2_positive"))),
    "cohort_summary": lambda: cohort_summary(assess_cohort(COHORT), COHORT, "her2_targeted"),
    "status_legend": status_legend,
}


@pytest.mark.parametrize("name", ALL_FIGURES)
def test_every_figure_says_it_is_not_a_medical_device(name):
    fig = ALL_FIGURES[name]()
    assert isinstance(fig, go.Figure)
    title = fig.layout.title
    assert NOTE in (title.text or "") + (title.subtitle.text or "")


# --------------------------------------------------------------------------- skeleton map


def test_skeleton_involved_sites_are_the_bone_sites():
    c = case("spinal_cord_compression")
    states = by_state(skeleton_map(c))
    assert sorted(states["involved"].customdata) == sorted(c.bone_sites)
    assert sorted(states["not involved"].customdata) == sorted(set(BONE_SITES) - set(c.bone_sites))
    assert states["involved"].marker.color == SITE_COLOURS["involved"]
    assert states["not involved"].marker.color == SITE_COLOURS["not involved"]
    assert "unknown" not in states


def test_skeleton_unknown_bone_sites_show_every_site_as_unknown():
    fig = skeleton_map({"primary": "breast"})
    states = by_state(fig)
    assert sorted(states["unknown"].customdata) == sorted(BONE_SITES)
    assert states["unknown"].marker.color == SITE_COLOURS["unknown"]
    assert "involved" not in states and "not involved" not in states
    assert all("involved: unknown" in h for h in states["unknown"].hovertext)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "fracture: unknown" in notes and "irradiated<br>sites: unknown" in notes


def test_skeleton_marks_irradiated_sites_and_a_fracture():
    fig = skeleton_map(bonemets.Case(primary="breast", bone_sites=["spine", "upper_leg"], pathological_fracture=True,
                                     prior_radiotherapy_sites=["spine", "ribs"]))
    states = by_state(fig)
    assert sorted(states["previously irradiated"].customdata) == ["ribs", "spine"]
    assert sorted(states["involved"].customdata) == ["spine", "upper_leg"]
    hover = dict(zip(states["involved"].customdata, states["involved"].hovertext))
    assert "previously irradiated: yes" in hover["spine"] and "previously irradiated: no" in hover["upper_leg"]
    assert any("Pathological fracture" in a.text for a in fig.layout.annotations)


def test_skeleton_accepts_an_assessment():
    a = assess(case("her2_positive"))
    assert by_state(skeleton_map(a))["involved"].customdata == by_state(skeleton_map(a.case))["involved"].customdata


# --------------------------------------------------------------------------- applicability matrix


def test_matrix_statuses_come_from_the_engine():
    cases = {"her2_positive": case("her2_positive"), "hr_post": case("hr_positive_postmenopausal")}
    items = ["her2_targeted", "aromatase_inhibitor", "receptor_retest", "bisphosphonate_iv"]
    heat = applicability_matrix(cases, items=items).data[0]
    assert list(heat.x) == items and list(heat.y) == list(cases)
    for r, (name, c) in enumerate(cases.items()):
        a = assess(c)
        assert [STATUSES[int(z)] for z in heat.z[r]] == [a.status(i) for i in items], name
    assert STATUSES[heat.z[0][0]] == "recommended"    # HER2+ -> HER2-targeted therapy
    assert STATUSES[heat.z[1][0]] == "not_indicated"  # HER2- -> no benefit


def test_matrix_colours_and_legend_name_each_status():
    fig = applicability_matrix({"x": case("receptors_unknown")})
    heat = fig.data[0]
    k = len(STATUSES)
    scale = [tuple(s) for s in heat.colorscale]
    for j, status in enumerate(STATUSES):  # code j spans [j/k, (j+1)/k] in one colour
        assert (pytest.approx(j / k), STATUS_COLOURS[status]) in scale
        assert (pytest.approx((j + 1) / k), STATUS_COLOURS[status]) in scale
    assert (heat.zmin, heat.zmax) == (-0.5, k - 0.5)
    legend = [t for t in fig.data[1:]]
    assert [t.meta["status"] for t in legend] == list(STATUSES)
    assert [t.marker.color for t in legend] == [STATUS_COLOURS[s] for s in STATUSES]


def test_matrix_hover_gives_the_status_and_a_reason():
    c = case("receptors_unknown")
    heat = applicability_matrix({"helen": c}, items=["her2_targeted"]).data[0]
    hover = heat.customdata[0][0].replace("<br>", " ")
    rec = assess(c).recommendation("her2_targeted")
    assert "undetermined" in hover
    assert rec.reasons[0].text[:40] in hover
    assert "her2 unknown" in hover


def test_matrix_default_columns_and_kind_filter():
    kb = bonemets.knowledge()
    heat = applicability_matrix({"a": case("her2_positive")}).data[0]
    families = [i for i in kb.items() if kb.kind(i) == "family"]
    tests = [i for i in kb.items() if kb.kind(i) == "test"]
    assert list(heat.x) == families + tests
    options = applicability_matrix({"a": case("her2_positive")}, kind="option").data[0]
    assert list(options.x) == [i for i in kb.items() if kb.kind(i) == "option"]
    with pytest.raises(KeyError, match="not_an_item"):
        applicability_matrix({"a": case("her2_positive")}, items=["not_an_item"])


def test_matrix_from_a_dataframe_of_what_if_variants():
    base = case("hr_positive_postmenopausal").model_dump(exclude_none=True)
    frame = pd.DataFrame([base, {**base, "her2": "positive"}, {**base, "her2": None}],
                         index=["as is", "HER2 positive", "HER2 unknown"])
    frame["bone_sites"] = frame["bone_sites"].map(";".join)  # ;-separated list fields are read too
    heat = applicability_matrix(frame, items=["her2_targeted"]).data[0]
    assert [STATUSES[z[0]] for z in heat.z] == ["not_indicated", "recommended", "undetermined"]


def test_matrix_from_a_cohort_frame_equals_the_mapping():
    cases = bonemets.teaching_cases()
    frame = bonemets.cases_frame(cases.values(), index=list(cases))
    assert applicability_matrix(frame).data[0].z == applicability_matrix(cases).data[0].z


# --------------------------------------------------------------------------- decision sankey


def _sankey_links(fig):
    s = fig.data[0]
    keys = [c[0] for c in s.node.customdata]
    return s, keys, list(zip(s.link.source, s.link.target, s.link.label))


def test_sankey_unknown_her2_links_to_her2_targeted_undetermined():
    fig = decision_sankey(assess(case("receptors_unknown")))
    s, keys, links = _sankey_links(fig)
    her2 = list(s.node.label).index("her2: unknown")
    item = keys.index("item:her2_targeted")
    assert "undetermined" in s.node.label[item]
    assert s.node.color[item] == STATUS_COLOURS["undetermined"]
    rules = {t for src, t, _ in links if src == her2}
    into_item = [(src, label) for src, t, label in links if t == item]
    assert any(src in rules and label == "unknown" for src, label in into_item)
    assert all(label == "unknown" for src, t, label in links if src == her2)


def test_sankey_leaves_out_not_indicated_items_unless_asked():
    a = assess(case("receptors_unknown"))
    assert a.status("immunotherapy") == "not_indicated"
    _, keys, _ = _sankey_links(decision_sankey(a))
    assert "item:immunotherapy" not in keys
    assert all(a.status(k[5:]) != "not_indicated" for k in keys if k.startswith("item:"))
    _, keys, _ = _sankey_links(decision_sankey(a, include_not_indicated=True))
    assert "item:immunotherapy" in keys


def test_sankey_known_factors_carry_their_value():
    s, keys, links = _sankey_links(decision_sankey(assess(case("receptors_unknown"))))
    assert "er: positive" in s.node.label
    er = list(s.node.label).index("er: positive")
    target_rules = {keys[t] for src, t, _ in links if src == er}
    assert "rule:hr_positive_aromatase_inhibitor" in target_rules


# --------------------------------------------------------------------------- schedule timeline

NORMAL_KIDNEYS = dict(primary="breast", sex="female", age=45, weight_kg=60, creatinine_umol_l=79.56,
                      calcium_mmol_l=2.35, albumin_g_l=40, menopause="post",
                      er="positive", pr="positive", her2="negative", visceral_metastases="none",
                      bone_sites=["spine"], prior_endocrine_therapy=[], prior_cdk46_inhibitor=False)


@pytest.mark.parametrize("source", ["hr_positive_postmenopausal", "built"])
def test_timeline_zoledronic_doses_and_de_escalation(source):
    c = case(source) if source != "built" else bonemets.Case(**NORMAL_KIDNEYS)
    a = assess(c)
    assert a.status("bisphosphonate_iv") == "recommended"
    fig = schedule_timeline(a, weeks=104)
    doses = parts(fig, "bisphosphonate_iv")["doses"]
    xs = list(doses.x)
    assert xs[:3] == [0, 3, 6]  # every 3-4 weeks, drawn at 3
    usual = [x for x in xs if x < 52]
    later = [x for x in xs if x >= 52]
    assert np.all(np.diff(usual) == 3)
    assert later and later[0] > 52 and np.all(np.diff(later) == 12)
    assert "15 minutes" in doses.text[0] and "infusion" in doses.text[0]
    assert parts(fig, "bisphosphonate_iv")["de-escalation"].x[0] == 52


def test_timeline_aromatase_inhibitor_benefit_band():
    fig = schedule_timeline(assess(case("hr_positive_postmenopausal")))
    p = parts(fig, "aromatase_inhibitor")
    assert (min(p["benefit"].x), max(p["benefit"].x)) == (8, 13)
    assert p["benefit"].fill == "toself"
    assert "daily" in p  # a tablet every day: a continuous bar
    assert min(p["daily"].x) == 0 and max(p["daily"].x) == 52
    assert "Sources" in p["benefit"].text


def test_timeline_lists_options_without_a_schedule():
    a = assess(case("hr_positive_postmenopausal"))
    kb = a.knowledge
    fig = schedule_timeline(a)
    shown = [r.id for r in a.recommendations if r.kind == "option" and r.status in ("recommended", "consider")]
    assert list(fig.layout.yaxis.ticktext) and len(fig.layout.yaxis.ticktext) == len(shown)
    bare = [i for i in shown if kb.options[i].schedule is None]
    assert bare, "expected at least one option without a schedule in this case"
    for option in shown:
        p = parts(fig, option)
        assert p, option
        if option in bare:
            assert NO_SCHEDULE in p["none"].text[0]


def test_dose_weeks_plain_interval_and_daily():
    kb = bonemets.knowledge()
    assert dose_weeks(kb.options["denosumab"].schedule, 12) == ([0, 4, 8, 12], [])
    assert dose_weeks(kb.options["aromatase_inhibitor"].schedule, 12) == ([0.0], [])


# --------------------------------------------------------------------------- cohort summary

COHORT = pd.DataFrame({
    "primary":   ["breast", "breast", "breast", "breast", "breast", "breast", "breast", "breast", "prostate", "breast"],
    "sex":       ["female"] * 8 + ["male", "female"],
    "menopause": ["post", "pre", "post", None, "post", "post", "pre", "post", "not_applicable", "post"],
    "er":        ["positive", "negative", None, "negative", "positive", "negative", "positive", "negative", None, "positive"],
    "pr":        ["positive", "negative", "negative", "positive", None, "negative", "negative", "negative", None, "positive"],
    "her2":      ["negative", "low", "negative", "negative", "positive", "low", None, "positive", None, "negative"],
    "bone_sites": ["spine", "ribs", "pelvis", "spine", "spine;ribs", "spine", "pelvis", "skull", "spine", "spine"],
    "visceral_metastases": ["none"] * 10,
}, index=[f"p{i}" for i in range(10)])
SUBTYPES_BY_HAND = ["HR+/HER2-", "triple negative", "unknown", "HR+/HER2-", "HER2+", "triple negative", "unknown",
                    "HER2+", None, "HR+/HER2-"]


def test_breast_subtype_by_hand():
    got = breast_subtype(COHORT)
    assert list(got.cat.categories) == ["HR+/HER2-", "HER2+", "triple negative", "unknown"]
    assert [None if pd.isna(v) else v for v in got] == SUBTYPES_BY_HAND
    assert got.index.equals(COHORT.index)


@pytest.mark.parametrize("row, expected", [
    ({"er": "negative", "pr": "negative", "her2": "low"}, "triple negative"),   # HER2-low is HER2-negative
    ({"er": "unknown", "pr": "negative", "her2": "negative"}, "unknown"),       # ER could make it HR+
    ({"er": "negative", "pr": "positive", "her2": "negative"}, "HR+/HER2-"),
    ({"er": "positive", "pr": "positive", "her2": "unknown"}, "unknown"),       # HER2 could make it HER2+
    ({"er": "unknown", "pr": "unknown", "her2": "positive"}, "HER2+"),
    ({}, "unknown"),
])
def test_breast_subtype_rows(row, expected):
    frame = pd.DataFrame([row]) if row else pd.DataFrame(index=[0])
    assert breast_subtype(frame).iloc[0] == expected


def test_cohort_summary_counts_equal_value_counts():
    result = assess_cohort(COHORT)
    items = ["her2_targeted", "aromatase_inhibitor"]
    fig = cohort_summary(result, COHORT, items)
    groups = pd.DataFrame({"subtype": [s or "not breast" for s in SUBTYPES_BY_HAND],
                           "menopause": COHORT["menopause"].fillna("unknown").to_numpy()})
    for item in items:
        expected = groups.assign(status=result[item].astype(str).to_numpy()).value_counts()
        traces = [t for t in fig.data if t.meta["item"] == item]
        assert [t.meta["status"] for t in traces] == list(STATUSES)
        got = {(sub, men, t.meta["status"]): y for t in traces for sub, men, y in zip(t.x[0], t.x[1], t.y) if y}
        assert got == expected.to_dict(), item
        assert sum(sum(t.y) for t in traces) == len(COHORT)
        assert all(t.marker.color == STATUS_COLOURS[t.meta["status"]] for t in traces)


def test_cohort_summary_other_groupings():
    result = assess_cohort(COHORT)
    fig = cohort_summary(result, COHORT, ["her2_targeted"], by=("menopause",))
    counts = {s: dict(zip(t.x, t.y)) for t in fig.data for s in [t.meta["status"]]}
    expected = pd.crosstab(COHORT["menopause"].fillna("unknown"), result["her2_targeted"].astype(str))
    for status, column in expected.items():
        for group, n in column.items():
            assert counts[status].get(group, 0) == n
    with pytest.raises(KeyError, match="nope"):
        cohort_summary(result, COHORT, ["her2_targeted"], by=("nope",))


# --------------------------------------------------------------------------- static export


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium")
def test_write_image_through_kaleido(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", CHROMIUM)
    out = tmp_path / "skeleton.png"
    skeleton_map(case("spinal_cord_compression")).write_image(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
