"""The HTML handout: the case's story, Act now, Ask next, facts in words, families and tests; every
source one numbered reference; no script, small, valid HTML. And the text report's order."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import bonemets
from bonemets import DISCLAIMER, assess, load_case, views
from bonemets.explanation import cite
from bonemets.report import citations, report_html, write_report
from bonemets.views import STATUS_LABELS, TEST_PURPOSES, by_family, reason_lines

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def assessment(name: str) -> bonemets.Assessment:
    return assess(load_case(CASES / f"{name}.yaml"))


class Checker(HTMLParser):
    """Collects tags, attributes and style text; checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style += data
        elif not self.stack or self.stack[-1] != "script":
            self.text.append(data)


@pytest.fixture(scope="module")
def page() -> tuple[bonemets.Assessment, str]:
    a = assessment("spinal_cord_compression")
    return a, report_html(a)


@pytest.fixture(scope="module")
def parsed(page) -> Checker:
    checker = Checker()
    checker.feed(page[1])
    checker.close()
    return checker


def test_disclaimer_at_top_and_bottom(page):
    _, html = page
    assert html.count(escape(DISCLAIMER)) >= 2
    assert html.index(escape(DISCLAIMER)) < html.index("id='story'")
    assert html.rindex(escape(DISCLAIMER)) > html.index("id='references'")


def test_every_source_is_one_numbered_reference(page):
    a, html = page
    kb = a.knowledge
    cited = [c for part in (*a.alerts, *a.recommendations, *a.scores) for c in part.sources]
    cited += [c for x in bonemets.advice_for(a) for c in cite(kb, x.sources)]
    assert cited
    refs = html[html.index("id='references'"):]
    for c in cited:
        assert escape(c.label) in refs, c.label
        assert f"&ldquo;{escape(c.section)}&rdquo;" in refs, c.section
        if c.excerpt:
            assert escape(c.excerpt) in refs
        if c.url:
            assert escape(c.url, quote=True) in refs
    numbers = [int(n) for n in re.findall(r"<li id='ref-(\d+)'>", html)]
    sources = {c.source for c in cited}
    assert numbers == list(range(1, len(sources) + 1))  # one reference per source, each once
    items = re.findall(r"<li id='ref-\d+'>(.*?)</li>", refs)
    labels = [escape(c.label) for c in {c.source: c for c in cited}.values()]
    for label in labels:
        assert sum(item.startswith(label + ".") for item in items) == 1, label
    assert set(citations(a)) == {c for part in (*a.alerts, *a.recommendations, *a.scores) for c in part.sources}
    for n in re.findall(r"href='#ref-(\d+)'", html):  # every link points at a reference
        assert f"<li id='ref-{n}'>" in html


def test_no_script_and_no_external_assets(page, parsed):
    _, html = page
    assert "<script" not in html.lower()  # no plotly.js: the figures are static SVG
    for tag, attrs in parsed.tags:
        if tag in ("img", "iframe", "audio", "video", "source", "embed", "image", "use"):
            for key in ("src", "href", "xlink:href"):
                assert not str(attrs.get(key) or "").startswith(("http", "//")), (tag, attrs)
        if tag == "link":
            assert not str(attrs.get("href", "")).startswith(("http", "//")), attrs
    assert "http" not in parsed.style and "@import" not in parsed.style
    assert "@page { size: A4" in parsed.style and "@media print" in parsed.style


def test_small_enough_to_mail(page):
    _, html = page
    assert len(html.encode("utf-8")) <= 1_500_000
    assert html.count("<svg") >= 3 or "static figures need a browser" in html


def test_valid_html(parsed):
    assert parsed.errors == []
    assert parsed.stack == []
    assert [t for t, _ in parsed.tags[:3]] == ["html", "head", "meta"]


def test_the_case_story_then_act_now_ask_next_facts_treatments_tests_figures_references(page):
    a, html = page
    tc = bonemets.teaching_library()["spinal_cord_compression"]
    assert f"<title>{escape(tc.title)}</title>" in html and f"<h1>{escape(tc.title)}</h1>" in html
    positions = [html.index(x) for x in ("id='story'", "id='alerts'", "id='questions'", "id='factors'", "id='items'",
                                         "id='tests'", "id='figures'", "id='references'")]
    assert positions == sorted(positions)
    story = html[positions[0]:positions[1]]
    assert escape(tc.narrative) in story
    for point in (*tc.teaching_points, *tc.questions):
        assert escape(point) in story
    alert = a.alert("spinal_cord_compression")
    assert alert is not None and alert.level == "critical"
    section = html[positions[1]:positions[2]]
    assert escape(alert.summary) in section
    for action in alert.actions:
        assert escape(action) in section
    for line in reason_lines(alert, a.knowledge):
        assert escape(line) in section


def test_alerts_not_ruled_out_are_one_line_not_cards():
    """An emergency not ruled out is a question (contract §6): one line under Act now naming them all
    (an educator's read found six 'Not ruled out' lines at a first visit), the questions under Ask next."""
    a = assess({"primary": "breast", "bone_sites": ["spine"]})  # cord compression signs unknown
    assert a.alert_state("spinal_cord_compression") == "undetermined" and not a.alerts
    html = report_html(a, figures=False)
    section = html[html.index("id='alerts'"):html.index("id='questions'")]
    assert section.count("Not ruled out") == 1 and "(see Ask next)" in section
    assert "class='card" not in section and "Urgent MRI" not in section  # no actions for what is not raised
    for alert_id, state in a.alert_states.items():
        assert escape(a.knowledge.alerts[alert_id].name) in section or state != "undetermined"


def test_known_facts_in_words_not_a_grid():
    a = assessment("receptors_unknown")
    html = report_html(a, figures=False)
    facts = html[html.index("id='factors'"):html.index("id='items'")]
    assert "<li>ER positive</li>" in facts and "<li>after the menopause</li>" in facts
    assert "<dt>" not in facts and "her2" not in facts
    assert "HER2" in facts[facts.index("Not known"):]  # the unknown ones named once, in words


def test_families_hold_their_options_and_tests_are_grouped_by_purpose(page):
    a, html = page
    items = html[html.index("id='items'"):html.index("id='tests'")]
    heads = [(m.start(), m.group(1)) for m in re.finditer(r"<section class='family'><h3[^>]*>\S+ ([^<]+)<", items)]
    shown = [f for f, _ in by_family(a) if f.status not in ("not_indicated",)]
    assert [escape(f.name) for f in shown] == [name for _, name in heads]
    for i, (family, options) in enumerate(f for f in by_family(a) if f[0].status != "not_indicated"):
        block = items[heads[i][0]:heads[i + 1][0] if i + 1 < len(heads) else len(items)]
        assert f"<span class='badge'>{escape(STATUS_LABELS[family.status])}</span>" in block
        for o in options:
            assert escape(o.name) in block, (family.id, o.id)
    tests = html[html.index("id='tests'"):html.index("id='figures'")]
    for purpose, recs in views.tests_by_purpose(a).items():
        if recs:
            start = tests.index(f"<h3>{escape(TEST_PURPOSES[purpose])}</h3>")
            for r in recs:
                assert tests.index(escape(r.name), start) > start
    mri = a.recommendation("mri")
    assert mri.urgency == "emergency" and "EMERGENCY" in tests


def test_text_is_escaped():
    html = report_html(assessment("her2_positive"), title="<script>alert('x')</script> & co")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in html


def test_write_report_writes_the_file(tmp_path):
    a = assessment("her2_positive")
    out = write_report(a, tmp_path / "handout.html", title="Handout")
    assert isinstance(out, Path) and out.exists()
    text = out.read_text(encoding="utf-8")
    assert text == report_html(a, title="Handout")
    assert text.startswith("<!DOCTYPE html>") and "<title>Handout</title>" in text


def test_same_assessment_same_page():
    """No random ids: a handout can be diffed against last term's."""
    a = assessment("triple_negative")
    assert report_html(a) == report_html(a)


def test_text_report_in_the_class_order_and_short_by_default():
    """Disclaimer, title, Act now, Ask next, treatments by family, tests by purpose; about a screen and
    a half for a teaching case, everything with full=True."""
    from bonemets.cases import teaching_library
    from bonemets.render import text_report

    lengths = []
    for tc in teaching_library().values():
        a = assess(tc.case)
        text, full = text_report(a), text_report(a, full=True)
        lines = text.splitlines()
        assert lines[0] == DISCLAIMER and f"Teaching case: {tc.title}" in lines[:4], tc.id
        heads = [text.index(h) for h in ("\nACT NOW\n", "\nASK NEXT\n", "\nTREATMENTS (by family)\n",
                                          "\nTESTS (by purpose)\n")]
        assert heads == sorted(heads), tc.id
        for x in a.alerts:  # raised alerts are under Act now, before the questions
            assert heads[0] < text.index(x.name) < heads[1], (tc.id, x.id)
        if a.questions:
            assert a.questions[0].text in " ".join(text[heads[1]:heads[2]].split())
        lengths.append(len(lines))
        assert len(full.splitlines()) > 4 * len(lines)
        for r in a.recommendations:  # every item is named by the full report, with its reasons
            assert r.name in full, (tc.id, r.id)
    assert max(lengths) <= 80 and sorted(lengths)[len(lengths) // 2] <= 62, lengths


def test_text_report_families_carry_their_options_and_pending_checks():
    a = assessment("receptors_unknown")
    text = " ".join(a.to_text().split())
    family = a.recommendation("targeted_therapy")
    assert family.status == "undetermined"
    assert "? Targeted (biological) therapy (undetermined)" in text
    block = text[text.index("? Targeted (biological) therapy"):]
    assert block.index("undetermined: HER2-directed therapy") < block.index("Chemotherapy")
    pending = [p for r in a.recommendations if r.status in ("recommended", "consider") for p in r.pending]
    assert pending, "expected a pending check"
    assert "pending: " in text or "pending for " in text


def test_the_advice_that_applies_with_its_source(page):
    """Cord compression raised: the alert card's advice (Breast Cancer Now, 'Spinal cord compression
    alert card') is there, the advice for everyone too, and advice for an option not indicated is not."""
    a, html = page
    section = html[html.index("id='advice'"):html.index("id='figures'")]
    kb = a.knowledge
    for advice_id in ("emotional_support", "informed_consent"):  # applies: [always]
        assert escape(kb.advice[advice_id].title) in section, advice_id
    shown = {x.id for x in kb.advice.values() if f"<strong>{escape(x.title)}</strong>" in section}
    assert shown == {x.id for x in bonemets.advice_for(a)}
    if a.status("nsaids") not in ("recommended", "consider"):  # advice tied to an item waits for it
        assert "nsaid_safety" not in shown
    warnings = [x for x in bonemets.advice_for(a) if x.level == "warning"]
    infos = [x for x in bonemets.advice_for(a) if x.level == "info"]
    if warnings and infos:  # when to contact the team comes first
        assert section.index(escape(warnings[-1].title)) < section.index(escape(infos[0].title))
    for x in bonemets.advice_for(a):  # each with the number of its source
        for c in cite(kb, x.sources):
            n = re.search(rf"<li id='ref-(\d+)'>{re.escape(escape(c.label))}\.", html)
            assert n is not None, c.label
