"""Words, not ids, on every surface (issue 11, item 1).

For every teaching case, each surface a person reads — the text report (short and ``--full``), the
HTML handout, the CDS Hooks cards, the explorer's panes and the figures' visible text — is
rendered, and its visible text must hold no snake_case id of the knowledge or the case fields
(``neurological_deficit``, ``upper_arm``, ``bisphosphonate_iv``...) and no raw ``field = value``.
The ids are collected from the knowledge base and the field specs, not from the renderers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

import bonemets
from bonemets import FIELDS
from bonemets.cards import cards
from bonemets.explorer.render import alerts_html, cards_html, summary_html, teaching_html
from bonemets.figures import decision_sankey, schedule_timeline, skeleton_map
from bonemets.render import text_report
from bonemets.report import report_html

KB = bonemets.knowledge()
CASES = bonemets.teaching_library()
SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
RAW_ASSIGNMENT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+ = ")


def _ids() -> set[str]:
    ids = set(KB.all_ids()) | set(KB.sources) | set(KB.concepts) | {r.rule.id for r in KB.rules}
    ids |= set(FIELDS) | {str(v) for spec in FIELDS.values() for v in spec.allowed}
    ids |= {"creatinine_clearance_ml_min", "corrected_calcium_mmol_l", "mirels_score", "sins_score",
            "tokuhashi_score", "not_indicated", "not_raised"}
    return {i for i in ids if "_" in i}


IDS = _ids()


class _Visible(HTMLParser):
    """The text a browser shows: no tags, attributes, styles or scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("style", "script"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


SHOWN_KEYS = ("text", "hovertext", "label", "name", "ticktext", "title")
_TAGS = re.compile(r"<[^>]+>")


def _hover(template: str, point: Any) -> str:
    """A hovertemplate filled in with one point's customdata, as plotly shows it."""
    def fill(match: re.Match[str]) -> str:
        if match.group(1) == "customdata":
            index = match.group(2)
            return str(point[int(index)] if index is not None else point)
        return " "  # a value plotly fills in from another array that is checked on its own (label, x, y)
    return re.sub(r"%\{(\w+)(?:\[(\d+)\])?[^}]*\}", fill, template)


def _figure_strings(node: Any, key: str = "") -> Iterator[str]:
    """Every string of a figure that is drawn or shown on hover: labels, texts, names, titles and each
    point's hover text (customdata only as the hovertemplate shows it; never ``meta`` or ``ids``)."""
    if isinstance(node, dict):
        template, data = node.get("hovertemplate"), node.get("customdata")
        if isinstance(template, str):
            points = data if isinstance(data, (list, tuple)) else [None]
            yield from (_TAGS.sub(" ", _hover(template, p)) for p in points)
        for k, v in node.items():
            if k not in ("meta", "ids", "customdata", "hovertemplate"):
                yield from _figure_strings(v, k)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _figure_strings(v, key)
    elif isinstance(node, str) and key in SHOWN_KEYS:
        yield _TAGS.sub(" ", node)


def surfaces(case_id: str) -> dict[str, str]:
    a = bonemets.assess(CASES[case_id].case)
    shown = {
        "text": text_report(a),
        "text --full": text_report(a, full=True),
        "handout": visible(report_html(a, figures=False)),
        "cards": " ".join(f"{c['summary']} {c['detail']} {c['source']['topic']['display']}" for c in cards(a)),
        "explorer": visible(alerts_html(a) + summary_html(a) + cards_html(a) + teaching_html(CASES[case_id])),
    }
    for name, fig in (("decision diagram", decision_sankey(a)), ("skeleton map", skeleton_map(a)),
                      ("schedule", schedule_timeline(a))):
        shown[name] = " ".join(_figure_strings(fig.to_plotly_json()))
    return shown


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_no_id_and_no_raw_field_value_on_any_surface(case_id):
    for surface, text in surfaces(case_id).items():
        ids = sorted(set(SNAKE.findall(text)) & IDS)
        assert not ids, f"{case_id}: the {surface} shows ids {ids[:6]}"
        raw = RAW_ASSIGNMENT.findall(text)
        assert not raw, f"{case_id}: the {surface} shows raw field = value: {raw[:3]}"


def test_the_check_can_fail():
    """The same check finds what the old renderers printed: a reason's raw facts and an item id."""
    old = "why: ... a medical emergency. [neurological_deficit = true; bladder_bowel_dysfunction = false] (mri)"
    assert set(SNAKE.findall(old)) & IDS == {"neurological_deficit", "bladder_bowel_dysfunction"}
    assert RAW_ASSIGNMENT.findall(old)
    assert "bisphosphonate_iv" in IDS and "upper_arm" in IDS and "spinal_cord_compression" in IDS


@pytest.mark.parametrize("name", list(FIELDS))
def test_every_field_label_is_words(name):
    """The label of every case field (explorer controls, fact tables, the knowledge reference) is
    words a reader says: no code fragment such as 'e9 l' or 'l1' left from the field's id (found:
    'Platelets e9 l', 'Pd l1 cps')."""
    from bonemets.labels import field_label

    label = field_label(name)
    fragments = [w for w in re.split(r"[\s()]+", label) if w and ((len(w) == 1 and w.isalpha())
                                                                  or re.fullmatch(r"[a-z]+[0-9]+[a-z]*", w))]
    assert not fragments, f"{name}: {label!r}"


@pytest.mark.parametrize("name, value, words", [
    ("bone_lesion_count", 1, "1 bone lesion"), ("bone_lesion_count", 7, "7 bone lesions"),
    ("years_since_primary_diagnosis", 1, "first diagnosed 1 year ago"),
    ("months_since_chemotherapy", 1, "last chemotherapy 1 month ago"),
    ("months_since_chemotherapy", 4, "last chemotherapy 4 months ago")])
def test_a_count_reads_singular_or_plural_not_with_brackets(name, value, words):
    """An educator read '7 bone lesion(s)' in a report: one reads singular, more plural."""
    from bonemets.labels import fact_words

    assert fact_words(name, value) == words
