"""The HTML handout: self-contained, escaped, complete (every citation), valid HTML."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import bonemets
from bonemets import DISCLAIMER, assess, load_case
from bonemets.report import citations, report_html, write_report
from bonemets.views import STATUS_HEADINGS

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
    assert html.index(escape(DISCLAIMER)) < html.index("id='factors'")
    assert html.rindex(escape(DISCLAIMER)) > html.index("id='references'")


def test_every_citation_label_and_section_is_in_the_page(page):
    a, html = page
    cited = [c for part in (*a.alerts, *a.recommendations) for c in part.sources]
    assert cited
    for c in cited:
        assert escape(c.label) in html, c.label
        assert f"section &ldquo;{escape(c.section)}&rdquo;" in html, c.section
        if c.excerpt:
            assert escape(c.excerpt) in html
        if c.url:
            assert escape(c.url, quote=True) in html
    refs = re.findall(r"<li id='ref-(\d+)'>", html)
    assert [int(n) for n in refs] == list(range(1, len(set(cited)) + 1))
    assert set(citations(a)) == set(cited)


def test_no_external_assets(page, parsed):
    _, html = page
    assert "<script src=" not in html.lower()
    for tag, attrs in parsed.tags:
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed"):
            assert "src" not in attrs or not str(attrs["src"]).startswith(("http", "//")), (tag, attrs)
        if tag == "link":
            assert not str(attrs.get("href", "")).startswith(("http", "//")), attrs
    assert "http" not in parsed.style and "@import" not in parsed.style
    assert len(re.findall(r"plotly\.js v\d", html)) == 1  # plotly.js inlined once


def test_valid_html(parsed):
    assert parsed.errors == []
    assert parsed.stack == []
    assert [t for t, _ in parsed.tags[:3]] == ["html", "head", "meta"]


def test_alerts_come_first_then_cards_then_figures(page):
    a, html = page
    alert = a.alert("spinal_cord_compression")
    assert alert is not None and alert.level == "critical"
    positions = [html.index(x) for x in ("id='factors'", "id='alerts'", "id='items'", "id='figures'",
                                         "id='references'")]
    assert positions == sorted(positions)
    section = html[html.index("id='alerts'"):html.index("id='items'")]
    assert escape(alert.summary) in section
    for action in alert.actions:
        assert escape(action) in section
    for reason in alert.reasons:
        assert escape(reason.line()) in section
    for div in ("figure-skeleton", "figure-sankey", "figure-timeline"):
        assert f'id="{div}"' in html


def test_cards_are_grouped_by_status(page):
    a, html = page
    items = html[html.index("id='items'"):html.index("id='figures'")]
    groups = a.by_status()
    order = [items.index(f"id='status-{s}'") for s in bonemets.STATUSES if groups[s]]
    assert order == sorted(order)
    for status, recs in groups.items():
        for rec in recs:
            start = items.index(f"({escape(rec.kind)}: {escape(rec.id)})")
            assert items.rindex(f"id='status-{status}'", 0, start) >= 0
            heading_before = max(items.rfind(f"id='status-{s}'", 0, start) for s in bonemets.STATUSES)
            assert items.rfind(f"id='status-{status}'", 0, start) == heading_before, rec.id
    mri = a.recommendation("mri")
    assert mri.urgency == "emergency" and "EMERGENCY" in items


def test_known_and_unknown_factors():
    a = assessment("receptors_unknown")
    html = report_html(a)
    factors = html[html.index("id='factors'"):html.index("id='alerts'")]
    unknown = factors[factors.index("Unknown ("):]
    assert "<li>her2</li>" in unknown and "<li>pr</li>" in unknown
    assert "<dt>er</dt><dd>positive</dd>" in factors


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


def test_statuses_read_as_words_with_the_views_headings(page):
    a, html = page
    items = html[html.index("id='items'"):html.index("id='figures'")]
    groups = a.by_status()
    assert groups["not_indicated"], "expected a not-indicated item in this case"
    for status, recs in groups.items():
        if recs:
            assert f"id='status-{status}'>{escape(STATUS_HEADINGS[status])} ({len(recs)})</h3>" in items
    assert "<span class='badge'>not indicated</span>" in items
    assert "<span class='badge'>not_indicated</span>" not in items


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
    assert "pending: Before starting:" in text
