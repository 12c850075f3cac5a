"""The browsable knowledge reference (bonemets.reference): pages, links both ways, words not
ids, safe links, the writer's directory handling, and a real browser following item -> rule -> source.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import bonemets
from bonemets.case import FIELDS
from bonemets.cli import main
from bonemets.reference import write_reference

pytestmark = pytest.mark.core  # the reference needs no extra (checked below); the browser test skips without one

KB = bonemets.knowledge()
# A chain known from the shipped rule files: rule low_clearance_avoid_iv_bisphosphonate makes the IV
# bisphosphonate "avoid" below a creatinine clearance of 30 mL/min, citing the Zometa SmPC.
OPTION, RULE, SOURCE = "bisphosphonate_iv", "low_clearance_avoid_iv_bisphosphonate", "zometa_smpc"


class _Page(HTMLParser):
    """Links, element ids, visible text, and the text inside elements of a few classes."""

    WATCH = ("when", "meta")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.by_class: dict[str, list[str]] = {c: [] for c in self.WATCH}
        self._open: list[tuple[str, str | None]] = []  # (tag, watched class) of open elements
        self._skip = 0
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append(a["href"] or "")
        if element_id := a.get("id"):
            self.ids.add(element_id)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "h1":
            self._in_h1 = True
        if tag not in ("meta", "input", "br", "img", "link"):
            watched = next((c for c in (a.get("class") or "").split() if c in self.WATCH), None)
            self._open.append((tag, watched))
            if watched:
                self.by_class[watched].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "h1":
            self._in_h1 = False
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._in_h1:
            self.h1 += data
        for c in {w for _, w in self._open if w}:
            self.by_class[c][-1] += data

    @property
    def visible(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, _Page]:
    index = write_reference(tmp_path_factory.mktemp("site") / "reference")
    return {p.name: _parse(p) for p in index.parent.glob("*.html")}


def _href_target(page_name: str, href: str) -> tuple[str, str]:
    """(file, fragment) a relative link of a page in the site's directory points at."""
    parts = urlparse(href)
    assert not parts.scheme and not parts.netloc, f"{page_name}: {href!r} is not a relative link"
    return (unquote(parts.path) or page_name), parts.fragment


def test_every_family_option_test_alert_rule_and_source_has_a_page_titled_by_its_name(site):
    expected = {f"family-{i}.html": e.name for i, e in KB.families.items()}
    expected |= {f"option-{i}.html": e.name for i, e in KB.options.items()}
    expected |= {f"test-{i}.html": e.name for i, e in KB.tests.items()}
    expected |= {f"alert-{i}.html": e.name for i, e in KB.alerts.items()}
    expected |= {f"source-{i}.html": e.title for i, e in KB.sources.items()}
    expected |= {f"rule-{r.rule.id}.html": r.rule.title.replace("->", "\u2192") for r in KB.rules}
    expected |= {f"rule-{r.id}.html": r.title.replace("->", "\u2192") for r in KB.retired_rules}
    assert len(expected) == len(KB.families) + len(KB.options) + len(KB.tests) + len(KB.alerts) + len(
        KB.sources) + len(KB.rules) + len(KB.retired_rules)
    missing = sorted(set(expected) - set(site))
    assert not missing, f"no page for {missing[:5]}"
    assert {name: site[name].h1 for name in expected} == expected
    assert set(site) == set(expected) | {"index.html"}


def test_every_internal_link_resolves_and_every_page_is_reachable_from_the_index(site):
    for name, page in site.items():
        for href in page.links:
            if urlparse(href).scheme in ("http", "https"):
                continue
            target, fragment = _href_target(name, href)
            assert target in site, f"{name}: link {href!r} points at no page"
            if fragment:
                assert fragment in site[target].ids, f"{name}: link {href!r} points at no element"
    reached = {_href_target("index.html", h)[0] for h in site["index.html"].links}
    assert set(site) - reached <= {"index.html"}


def test_every_page_links_home_and_says_the_disclaimer_once(site):
    for name, page in site.items():
        assert "index.html" in page.links, name
        assert page.visible.count(bonemets.DISCLAIMER) == 1, name


def test_item_to_rule_to_source_and_back(site):
    option, rule, source = (site[f"{k}-{i}.html"] for k, i in (("option", OPTION), ("rule", RULE),
                                                                ("source", SOURCE)))
    assert f"rule-{RULE}.html" in option.links
    # The rule's condition, in words: the derived number's label with its unit and the threshold.
    assert rule.by_class["when"], "the rule page shows no condition"
    when = re.sub(r"\s+", " ", rule.by_class["when"][0]).strip()
    assert when == "Creatinine clearance (mL/min): below 30"
    assert "avoid" in rule.by_class["meta"][0].lower()
    assert f"option-{OPTION}.html" in rule.links
    assert f"source-{SOURCE}.html" in rule.links
    # The source names its publisher and lists the rule and the option that cite it.
    assert KB.sources[SOURCE].publisher in source.visible
    assert f"rule-{RULE}.html" in source.links
    assert f"option-{OPTION}.html" in source.links


def test_a_rule_shows_its_worked_examples_and_the_sections_it_cites(site):
    rule = site[f"rule-{RULE}.html"]
    # examples from data/knowledge/rules/bone_health.yaml, as field labels and values
    assert "Creatinine (\u00b5mol/L): 200" in rule.visible
    assert "Weight (kg): 50" in rule.visible
    assert "Posology: renal impairment" in rule.visible
    # each example with the clearance the engine computes: Cockcroft-Gault, female, by hand
    # (140 - 80) * 50 * 0.85 / (72 * 200 / 88.4) = 15.65; (140 - 45) * 60 * 0.85 / (72 * 0.9) = 74.77
    assert "computed Creatinine clearance (mL/min): 15.65" in rule.visible
    assert "computed Creatinine clearance (mL/min): 74.77" in rule.visible


def test_pubmed_and_doi_links_where_a_source_has_them(site):
    # data/knowledge/sources/guidelines.yaml: asco_cco_2017_bma has pmid 29035643 and no url;
    # endocrine_resistance_definition has doi 10.1007/s12032-020-01449-8.
    asco = site["source-asco_cco_2017_bma.html"]
    assert "https://pubmed.ncbi.nlm.nih.gov/29035643/" in asco.links
    assert "https://doi.org/10.1007/s12032-020-01449-8" in site["source-endocrine_resistance_definition.html"].links
    # and on the pages of the rules citing them, next to the citation
    assert "https://pubmed.ncbi.nlm.nih.gov/29035643/" in site["rule-breast_bone_strengthening.html"].links


def test_a_named_condition_reads_as_its_title_with_its_definition(site):
    # breast_bone_strengthening: when {ref: breast}; concept breast: {field: primary, is: breast}
    when = re.sub(r"\s+", " ", site["rule-breast_bone_strengthening.html"].by_class["when"][0])
    assert "Breast cancer" in when and "Primary: breast" in when


def _ids_with_underscores() -> set[str]:
    ids = set(KB.all_ids()) | set(KB.sources) | set(KB.concepts) | {r.rule.id for r in KB.rules}
    ids |= set(FIELDS) | {v for spec in FIELDS.values() for v in spec.allowed}
    ids |= {"creatinine_clearance_ml_min", "corrected_calcium_mmol_l", "mirels_score", "sins_score",
            "not_indicated", "not_raised"}
    return {i for i in ids if "_" in i}


def test_no_snake_case_id_in_the_visible_text_of_any_page(site):
    ids = _ids_with_underscores()
    assert "creatinine_clearance_ml_min" in ids and "upper_arm" in ids
    for name, page in site.items():
        words = set(re.findall(r"[a-z0-9]+(?:_[a-z0-9]+)+", page.visible))
        assert not words & ids, f"{name} shows ids: {sorted(words & ids)[:5]}"


def test_a_javascript_url_and_markup_in_a_modified_copy_are_neither_links_nor_markup(tmp_path):
    # The loader rejects such a url in a file; a copy changed in memory must still not link it.
    kb = bonemets.load_knowledge(KB.path)
    kb.sources[SOURCE] = kb.sources[SOURCE].model_copy(
        update={"url": "  JavaScript:alert(1)", "title": "<script>alert(2)</script> label"})
    index = write_reference(tmp_path / "ref", kb=kb)
    page = index.parent / f"source-{SOURCE}.html"
    parsed = _parse(page)
    for p in [parsed, _parse(index.parent / f"rule-{RULE}.html")]:
        assert not [h for h in p.links if "javascript" in h.lower()]
    assert "<script>alert(2)" not in page.read_text(encoding="utf-8")
    assert "<script>alert(2)</script> label" in parsed.visible
    assert "javascript" not in _parse(index).visible.lower()


def test_draft_and_retired_rules_have_pages_but_give_no_status(tmp_path):
    retired = {"status": "retired", "retired": {"date": "2026-12-01", "reason": "superseded in a what-if"}}
    kb = KB.with_changes(rules={RULE: {"status": "draft"}, "breast_bone_strengthening": retired})
    folder = write_reference(tmp_path / "ref", kb=kb).parent
    assert "Draft, under review: not used in assessments." in _parse(folder / f"rule-{RULE}.html").visible
    retired_page = _parse(folder / "rule-breast_bone_strengthening.html")
    assert "Retired on 2026-12-01: superseded in a what-if." in retired_page.visible
    option = (folder / f"option-{OPTION}.html").read_text(encoding="utf-8")
    statuses = re.search(r'<table class="statuses">(.*?)</table>', option, re.S).group(1)
    assert f"rule-{RULE}.html" not in statuses and "rule-breast_bone_strengthening.html" not in statuses
    assert "rule-low_calcium_correct_first.html" in statuses  # still avoided for low calcium
    assert f"rule-{RULE}.html" in _parse(folder / f"option-{OPTION}.html").links  # listed, marked as not used
    assert "(draft, not used)" in _parse(folder / f"option-{OPTION}.html").visible


def test_writing_replaces_an_earlier_reference_but_never_a_users_directory(tmp_path):
    target = tmp_path / "ref"
    first = write_reference(target)
    (target / "stale.html").write_text("old")
    assert write_reference(target) == first and not (target / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref"]  # nothing left beside it

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(bonemets.BonemetsError, match="not empty"):
        write_reference(mine)
    assert (mine / "notes.txt").read_text() == "keep me" and len(list(mine.iterdir())) == 1

    a_file = tmp_path / "file.html"
    a_file.write_text("x")
    with pytest.raises(bonemets.BonemetsError, match="is a file"):
        write_reference(a_file)
    assert a_file.read_text() == "x"

    empty = tmp_path / "empty"
    empty.mkdir()
    assert write_reference(empty).is_file()


def test_cli_writes_the_reference_of_the_knowledge_it_checks(tmp_path, capsys):
    what_if = KB.with_changes(rules={RULE: {"gives": "consider", "check": None}})
    out = tmp_path / "ref"
    assert main(["knowledge", "--check", str(what_if.path), "--html", str(out)]) == 0
    index = out.resolve() / "index.html"
    assert capsys.readouterr().out == f"{index}\n"
    rule = _parse(out / f"rule-{RULE}.html")
    assert "Gives consider to Intravenous bisphosphonate" in re.sub(r"\s+", " ", rule.by_class["meta"][0])


def test_cli_refuses_a_file_or_a_users_directory_in_one_line(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    assert main(["knowledge", "--html", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("bonemets: error:") and "is a file" in err
    assert a_file.read_text() == "keep me"


def test_the_reference_needs_no_optional_extra(tmp_path):
    """``bonemets knowledge --html`` is a core command: no ipywidgets, dask or other extra."""
    blocked = ["ipywidgets", "dask", "distributed", "lifelines", "voila", "anywidget", "pyarrow"]
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            f"        if name.split('.')[0] in {blocked!r}:\n"
            "            raise ImportError('blocked: ' + name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "from bonemets.reference import write_reference\n"
            f"print(write_reference({str(tmp_path / 'ref')!r}).name)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "index.html"


@pytest.mark.browser
def test_browser_searches_then_follows_item_rule_source_offline(chromium_browser, artifacts, tmp_path):
    index = write_reference(tmp_path / "reference")
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file://") else None)
    try:
        page.goto(index.as_uri())
        rows = page.locator("li[data-search]")
        total = rows.count()
        page.fill("#q", "intravenous bisphosphonate")
        visible = page.locator("li[data-search]:visible")
        assert 0 < visible.count() < total
        assert "Intravenous bisphosphonate" in visible.first.inner_text()
        page.screenshot(path=str(artifacts / "reference-search.png"))

        page.locator("li[data-search]:visible a", has_text="Intravenous bisphosphonate").first.click()
        page.wait_for_url(f"**/option-{OPTION}.html")
        page.locator(f'a[href="rule-{RULE}.html"]').first.click()
        page.wait_for_url(f"**/rule-{RULE}.html")
        assert page.locator(".when").first.inner_text().strip() == "Creatinine clearance (mL/min): below 30"
        page.screenshot(path=str(artifacts / "reference-rule.png"), full_page=True)

        page.locator(f'a[href="source-{SOURCE}.html"]').first.click()
        page.wait_for_url(f"**/source-{SOURCE}.html")
        assert KB.sources[SOURCE].publisher in page.inner_text("main")
        page.locator(f'a[href="rule-{RULE}.html"]').first.click()  # and back to the rule
        page.wait_for_url(f"**/rule-{RULE}.html")
        assert outside == []
    finally:
        page.close()
