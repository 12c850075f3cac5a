"""Figures: read fig.data and fig.layout (never pixels) against the engine's own answers."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import bonemets
from bonemets import ALERT_STATES, STATUSES, URGENCIES, assess, assess_cohort, load_case, views
from bonemets.figures import (
    BONE_SITES,
    NO_SCHEDULE,
    NOTE,
    SITE_COLOURS,
    STATUS_COLOURS,
    applicability_matrix,
    breast_subtype,
    cohort_summary,
    decision_sankey,
    dose_weeks,
    kaplan_meier,
    schedule_timeline,
    skeleton_map,
    status_legend,
)
from bonemets.figures._common import esc
from bonemets.figures.sankey import deciding

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


@pytest.mark.parametrize("name, ids", [
    ("STATUS_LABELS", STATUSES), ("STATUS_HEADINGS", STATUSES), ("STATUS_COLOURS", STATUSES),
    ("STATUS_MARKS", STATUSES), ("ALERT_LABELS", ALERT_STATES), ("ALERT_COLOURS", ALERT_STATES),
    ("URGENCY_LABELS", URGENCIES), ("URGENCY_COLOURS", URGENCIES),
])
def test_views_name_every_id_once_in_vocabulary_order(name, ids):
    mapping = getattr(views, name)
    assert tuple(mapping) == ids
    assert len(set(mapping.values())) == len(ids)  # two ids never look the same
    assert all("_" not in v for v in mapping.values())  # words, never snake_case ids


def test_ink_reads_on_every_colour():
    # Relative luminance contrast (WCAG) of the chosen text colour against each background is at least 3.
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    ink = {"#fff": "#ffffff"}
    for colour in (*views.STATUS_COLOURS.values(), *views.ALERT_COLOURS.values(), *views.URGENCY_COLOURS.values()):
        text = ink.get(views.ink(colour), views.ink(colour))
        high, low = sorted((luminance(colour), luminance(text)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 3, colour


ALL_FIGURES = {
    "skeleton_map": lambda: skeleton_map(case("her2_positive")),
    "applicability_matrix": lambda: applicability_matrix({"a": assess(case("her2_positive"))}),
    "kaplan_meier": lambda: kaplan_meier(KM, "days", "event"),
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
    hover = dict(zip(states["involved"].customdata, states["involved"].hovertext, strict=True))
    assert "previously irradiated: yes" in hover["spine"] and "previously irradiated: no" in hover["upper_leg"]
    assert any("Pathological fracture" in a.text for a in fig.layout.annotations)


def test_skeleton_accepts_an_assessment():
    a = assess(case("her2_positive"))
    assert by_state(skeleton_map(a))["involved"].customdata == by_state(skeleton_map(a.case))["involved"].customdata


# --------------------------------------------------------------------------- applicability matrix


def test_matrix_statuses_come_from_the_assessments():
    assessments = {"her2_positive": assess(case("her2_positive")),
                   "hr_post": assess(case("hr_positive_postmenopausal"))}
    items = ["her2_targeted", "aromatase_inhibitor", "receptor_retest", "bisphosphonate_iv"]
    heat = applicability_matrix(assessments, items=items).data[0]
    assert list(heat.x) == items and list(heat.y) == list(assessments)
    for r, (name, a) in enumerate(assessments.items()):
        assert [STATUSES[int(z)] for z in heat.z[r]] == [a.status(i) for i in items], name
    assert STATUSES[heat.z[0][0]] == "recommended"    # HER2+ -> HER2-targeted therapy
    assert STATUSES[heat.z[1][0]] == "not_indicated"  # HER2- -> no benefit


RENDERERS = ["figures", "report.py", "render.py", "cards.py", "views.py", "explorer/render.py", "explorer/plots.py",
             "explorer/comparison.py", "explorer/layout.py"]


@pytest.mark.parametrize("where", RENDERERS)
def test_renderers_never_assess(where):
    """Views take an Assessment or the frame assess_cohort returns: no renderer names the engine."""
    import ast

    package = Path(bonemets.__file__).parent
    files = sorted((package / where).glob("*.py")) if (package / where).is_dir() else [package / where]
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not names & {"assess", "assess_cohort"}, file


def test_matrix_colours_and_legend_name_each_status():
    fig = applicability_matrix({"x": assess(case("receptors_unknown"))})
    heat = fig.data[0]
    k = len(STATUSES)
    scale = [tuple(s) for s in heat.colorscale]
    for j, status in enumerate(STATUSES):  # code j spans [j/k, (j+1)/k] in one colour
        assert (pytest.approx(j / k), STATUS_COLOURS[status]) in scale
        assert (pytest.approx((j + 1) / k), STATUS_COLOURS[status]) in scale
    assert (heat.zmin, heat.zmax) == (-0.5, k - 0.5)
    legend = list(fig.data[1:])
    assert [t.meta["status"] for t in legend] == list(STATUSES)
    assert [t.marker.color for t in legend] == [STATUS_COLOURS[s] for s in STATUSES]


def test_matrix_hover_gives_the_status_and_a_reason():
    a = assess(case("receptors_unknown"))
    heat = applicability_matrix({"helen": a}, items=["her2_targeted"]).data[0]
    hover = heat.customdata[0][0].replace("<br>", " ")
    rec = a.recommendation("her2_targeted")
    assert "undetermined" in hover
    assert rec.reasons[0].text[:40] in hover
    assert "Unknown: HER2" in hover and "her2" not in hover  # in words


def test_matrix_default_columns_and_kind_filter():
    kb = bonemets.knowledge()
    a = {"a": assess(case("her2_positive"))}
    heat = applicability_matrix(a).data[0]
    families = [i for i in kb.items() if kb.kind(i) == "family"]
    tests = [i for i in kb.items() if kb.kind(i) == "test"]
    assert list(heat.x) == families + tests
    options = applicability_matrix(a, kind="option").data[0]
    assert list(options.x) == [i for i in kb.items() if kb.kind(i) == "option"]
    with pytest.raises(KeyError, match="not_an_item"):
        applicability_matrix(a, items=["not_an_item"])


def test_matrix_from_a_dataframe_of_what_if_variants():
    base = case("hr_positive_postmenopausal").model_dump(exclude_none=True)
    frame = pd.DataFrame([base, {**base, "her2": "positive"}, {**base, "her2": None}],
                         index=["as is", "HER2 positive", "HER2 unknown"])
    frame["bone_sites"] = frame["bone_sites"].map(";".join)  # ;-separated list fields are read too
    heat = applicability_matrix(assess_cohort(frame, urgency=True), items=["her2_targeted"]).data[0]
    assert [STATUSES[z[0]] for z in heat.z] == ["not_indicated", "recommended", "undetermined"]
    assert list(heat.y) == ["as is", "HER2 positive", "HER2 unknown"]
    assert "status: <b>not indicated</b>" in heat.customdata[0][0]


def test_matrix_from_a_cohort_frame_equals_the_assessments():
    cases = bonemets.teaching_cases()
    frame = bonemets.cases_frame(cases.values(), index=list(cases))
    by_frame = applicability_matrix(assess_cohort(frame, urgency=True), kind="test").data[0]
    by_assessments = applicability_matrix({n: assess(c) for n, c in cases.items()}, kind="test").data[0]
    assert by_frame.z == by_assessments.z and by_frame.text == by_assessments.text
    # the frame's hover is the assessments' without the reasons (status and urgency)
    for row_f, row_a in zip(by_frame.customdata, by_assessments.customdata, strict=True):
        for f, a in zip(row_f, row_a, strict=True):
            assert a.startswith(f)
    assert any("urgency: emergency" in h for row in by_frame.customdata for h in row)


def test_matrix_names_a_frame_that_is_not_assessed():
    frame = bonemets.cases_frame([case("her2_positive")], index=["x"])
    with pytest.raises(KeyError, match="assess_cohort"):
        applicability_matrix(frame)
    bad = pd.DataFrame({"her2_targeted": ["maybe"]}, index=["x"])
    with pytest.raises(ValueError, match="row 'x', column 'her2_targeted' holds no status"):
        applicability_matrix(bad, items=["her2_targeted"])


# --------------------------------------------------------------------------- decision sankey


def _sankey_links(fig):
    s = fig.data[0]
    keys = [c[0] for c in s.node.customdata]
    return s, keys, list(zip(s.link.source, s.link.target, s.link.label, strict=True))


def test_sankey_unknown_her2_links_to_her2_targeted_undetermined():
    fig = decision_sankey(assess(case("receptors_unknown")))
    s, keys, links = _sankey_links(fig)
    her2 = list(s.node.label).index("HER2 unknown")
    item = keys.index("item:her2_targeted")
    assert "undetermined" in s.node.label[item]
    assert s.node.color[item] == STATUS_COLOURS["undetermined"]
    assert (her2, item, "unknown") in links
    assert all(label == "unknown" for src, t, label in links if src == her2)


def test_sankey_leaves_out_not_indicated_items_unless_asked():
    a = assess(case("triple_negative"))
    off = {f"item:{r.id}" for r in a.recommendations if r.status == "not_indicated" and deciding(r)
           and not (r.kind == "family" and a.knowledge.options_of(r.id))}
    assert "item:her2_targeted" in off  # HER2 zero decided "not indicated"
    _, keys, _ = _sankey_links(decision_sankey(a))
    assert all(a.status(k[5:]) != "not_indicated" for k in keys if k.startswith("item:"))
    _, keys, _ = _sankey_links(decision_sankey(a, include_not_indicated=True))
    assert off <= set(keys)


def test_sankey_shows_only_factors_that_decided_in_words():
    a = assess(case("receptors_unknown"))
    s, keys, links = _sankey_links(decision_sankey(a))
    labels = list(s.node.label)
    assert not any(k.startswith("rule:") for k in keys)  # factors straight to items, no rule ids
    assert all(re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", w) is None for label in labels for w in label.split())
    er = labels.index("ER positive")
    assert (er, keys.index("item:aromatase_inhibitor"), "decided") in links
    used = {src for src, _, _ in links} | {t for _, t, _ in links}
    assert used == set(range(len(keys)))  # every factor shown decided something
    # a known factor links only to items whose status one of its rules gave
    for _, t, label in links:
        rec = a.recommendation(keys[t][5:])
        if label == "decided":
            assert any(r.gives == rec.status or r.outcome == "pending" for r in rec.reasons)


def test_sankey_is_readable_at_1024_pixels():
    for cid in ("spinal_cord_compression", "receptors_unknown", "hr_positive_postmenopausal"):
        fig = decision_sankey(assess(case(cid)))
        assert fig.layout.width <= 1024
        assert max(len(label) for label in fig.data[0].node.label) <= 46
        n = max(sum(k.startswith(p) for k, _ in fig.data[0].node.customdata) for p in ("factor:", "item:"))
        assert fig.layout.height >= 24 * n  # room for every label in the longer column


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


def test_timeline_shows_only_options_with_a_schedule():
    a = assess(case("hr_positive_postmenopausal"))
    kb = a.knowledge
    fig = schedule_timeline(a)
    shown = [r for s in ("recommended", "consider") for r in a.recommendations if r.kind == "option" and r.status == s]
    timed = [r for r in shown if kb.options[r.id].schedule is not None]
    bare = [r for r in shown if kb.options[r.id].schedule is None]
    assert timed and bare, "expected options with and without a schedule in this case"
    assert [t.split(" (")[0] for t in fig.layout.yaxis.ticktext] == [r.name for r in timed]
    assert {tr.meta["option"] for tr in fig.data} == {r.id for r in timed}
    assert fig.layout.meta["no_schedule"] == [r.id for r in bare]
    note = fig.layout.annotations[0].text
    assert NO_SCHEDULE in note and all(esc(r.name) in note.replace("<br>", " ") for r in bare)


def test_dose_weeks_plain_interval_and_daily():
    kb = bonemets.knowledge()
    assert dose_weeks(kb.options["denosumab"].schedule, 12) == ([0, 4, 8, 12], [])
    assert dose_weeks(kb.options["aromatase_inhibitor"].schedule, 12) == ([0.0], [])


# --------------------------------------------------------------------------- cohort summary

COHORT: pd.DataFrame = pd.DataFrame({
    "primary":   ["breast", "breast", "breast", "breast", "breast", "breast", "breast", "breast", "prostate", "breast"],
    "sex":       ["female"] * 8 + ["male", "female"],
    "menopause": ["post", "pre", "post", None, "post", "post", "pre", "post", "not_applicable", "post"],
    "er":        ["positive", "negative", None, "negative", "positive", "negative", "positive", "negative", None,
                  "positive"],
    "pr":        ["positive", "negative", "negative", "positive", None, "negative", "negative", "negative", None,
                  "positive"],
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
                           "menopause": COHORT["menopause"].fillna("unknown").str.replace("_", " ").to_numpy()})
    for item in items:
        expected = groups.assign(status=result[item].astype(str).to_numpy()).value_counts()
        traces = [t for t in fig.data if t.meta["item"] == item]
        assert [t.meta["status"] for t in traces] == list(STATUSES)
        got = {(sub, men, t.meta["status"]): y
               for t in traces for sub, men, y in zip(t.x[0], t.x[1], t.y, strict=True) if y}
        assert got == expected.to_dict(), item
        assert sum(sum(t.y) for t in traces) == len(COHORT)
        assert all(t.marker.color == STATUS_COLOURS[t.meta["status"]] for t in traces)


def test_cohort_summary_other_groupings():
    result = assess_cohort(COHORT)
    fig = cohort_summary(result, COHORT, ["her2_targeted"], by=("menopause",))
    counts = {s: dict(zip(t.x, t.y, strict=True)) for t in fig.data for s in [t.meta["status"]]}
    expected = pd.crosstab(COHORT["menopause"].fillna("unknown").str.replace("_", " "),  # values in words
                           result["her2_targeted"].astype(str))
    for status, column in expected.items():
        for group, n in column.items():
            assert counts[status].get(group, 0) == n
    with pytest.raises(KeyError, match="nope"):
        cohort_summary(result, COHORT, ["her2_targeted"], by=("nope",))


# --------------------------------------------------------------------------- Kaplan-Meier

# Six people of group "a" and two of group "b"; event 1 = observed, 0 = censored.
KM: pd.DataFrame = pd.DataFrame({"days": [1, 2, 2, 3, 4, 5, 1, 3], "event": [1, 1, 0, 1, 0, 1, 0, 1],
                   "arm": pd.Categorical(list("aaaaaabb"), categories=["b", "a"])})
# By hand, group a: at t=1, 6 at risk, 1 event: 5/6. At t=2, 5 at risk, 1 event (the one
# censored at 2 is still at risk): 5/6 * 4/5 = 2/3. At t=3, 3 at risk, 1 event: 2/3 * 2/3 = 4/9.
# t=4 only censors. At t=5, 1 at risk, 1 event: 0. Group b: censored at 1, then the last one dies at 3.
KM_A = {0: 1, 1: 5 / 6, 2: 2 / 3, 3: 4 / 9, 4: 4 / 9, 5: 0}
KM_B = {0: 1, 1: 1, 3: 0}


def _curves(fig):
    return {t.meta["group"]: t for t in fig.data if t.meta["part"] == "survival"}


def test_kaplan_meier_by_hand():
    pytest.importorskip("lifelines")
    fig = kaplan_meier(KM, "days", "event", by="arm", band=False)
    assert len(fig.data) == 2  # one curve per group, no band
    curves = _curves(fig)
    assert list(curves) == ["b", "a"]  # the categorical's order
    for group, expected in (("a", KM_A), ("b", KM_B)):
        t = curves[group]
        assert list(t.x) == list(expected)
        assert list(t.y) == pytest.approx(list(expected.values()), abs=1e-4)
        assert t.line.shape == "hv"
        assert t.meta["n"] == {"a": 6, "b": 2}[group] and f"(n = {t.meta['n']})" in t.name
    assert curves["a"].line.color != curves["b"].line.color


def test_kaplan_meier_bands_and_panels():
    pytest.importorskip("lifelines")
    week = pd.Series(np.where(KM["days"] <= 2, "early", "late"), index=KM.index, name="half_of_the_week")
    fig = kaplan_meier(KM.assign(event=KM["event"].astype(bool)), "days", "event", by=["arm", week], per=7,
                       time_label="weeks")
    assert len(fig.data) == 3 * 4  # upper, lower and estimate for each of 2 + 2 groups
    assert [t.meta["part"] for t in fig.data[:3]] == ["upper", "lower", "survival"]
    assert [a.text for a in fig.layout.annotations] == ["by arm", "by half of the week"]
    for t in fig.data:
        y = np.asarray(t.y, dtype=float)
        assert y[0] == 1 and np.all(np.diff(y) <= 0), t.meta  # starts at 1, never rises
        assert t.x[0] == 0
    upper, lower, estimate = (np.asarray(t.y, dtype=float) for t in fig.data[3:6])  # group "a"
    assert np.all(lower <= estimate) and np.all(estimate <= upper)
    assert list(fig.data[5].x) == pytest.approx([k / 7 for k in KM_A], abs=1e-4)
    assert fig.data[4].fill == "tonexty"
    assert {t.xaxis for t in fig.data} == {"x", "x2"}


def test_kaplan_meier_names_a_missing_column():
    pytest.importorskip("lifelines")
    with pytest.raises(KeyError, match="'nope' is not a column"):
        kaplan_meier(KM, "days", "event", by="nope")
    with pytest.raises(KeyError, match="'time' is not a column"):
        kaplan_meier(KM, "time", "event")


# --------------------------------------------------------------------------- static export


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium")
def test_write_image_through_kaleido(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", CHROMIUM)
    out = tmp_path / "skeleton.png"
    skeleton_map(case("spinal_cord_compression")).write_image(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_matrix_and_cohort_panels_name_items_in_words():
    a = assess(case("her2_positive"))
    fig = applicability_matrix({"Helen": a}, kind="family")
    ids = list(fig.data[0].x)
    assert list(fig.layout.xaxis.tickvals) == ids
    assert list(fig.layout.xaxis.ticktext) == [esc(a.recommendation(i).name) for i in ids]
    result = assess_cohort(COHORT)
    panels = cohort_summary(result, COHORT, ["her2_targeted", "aromatase_inhibitor"])
    titles = [x.text for x in panels.layout.annotations][:2]
    assert titles == [esc(a.recommendation(i).name) for i in ("her2_targeted", "aromatase_inhibitor")]
    assert not any("_" in str(v) for t in panels.data for level in t.x for v in level)
