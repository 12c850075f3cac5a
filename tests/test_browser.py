"""The explorer as a web app, and the handout in print: Voila serves notebooks/02_explorer.ipynb,
Debian chromium drives it through Playwright (the system chromium, never a downloaded one).

Starts Voila on a free port once for the module and waits for any HTTP answer. Each test opens a
page and checks what a class sees: a case loading (Act now above Ask next, the card pane at its
top), a control changing a status, class mode (predict, reveal, score), projector mode, the
figures and compare tabs, and ``bonemets report``'s handout under print media. Each saves a
screenshot under ``artifacts/`` (git-ignored; copies of the key ones are in docs/screenshots/).
Expected statuses come from ``bonemets.assess`` of the same teaching case, never a snapshot.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

import bonemets

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_explorer.ipynb"
CARD = '.bm-cards-view [data-item="her2_targeted"]'
START = "hr_positive_postmenopausal"  # the notebook's starting teaching case
LIBRARY = bonemets.teaching_library()
VIEWPORT = {"width": 1500, "height": 1250}

pytestmark = pytest.mark.browser  # chromium_browser (tests/conftest.py) skips without chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _voila() -> str:
    exe = Path(sys.executable).with_name("voila")
    return str(exe) if exe.exists() else (shutil.which("voila") or "voila")


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    """Voila serving the explorer notebook on 127.0.0.1; stopped (whole process group) at the end."""
    pytest.importorskip("playwright.sync_api")
    port = _free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    cmd = [_voila(), str(NOTEBOOK.relative_to(ROOT)), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
           '--VoilaConfiguration.extension_denylist=["@jupyter-notebook/lab-extension"]']
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url + "api", timeout=2)
                break
            except urllib.error.HTTPError:  # any HTTP answer (voila's /api is a 404) means it is up
                break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"voila did not start (exit {proc.poll()}): {log.read_text()[-2000:]}")
                time.sleep(0.3)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@contextmanager
def _explorer(browser, url, viewport=VIEWPORT):
    """A page of the explorer, ready (the starting case's cards are there); closed at the end."""
    page = browser.new_page(viewport=viewport)
    try:
        page.goto(url, timeout=90_000)
        page.locator(CARD).wait_for(state="attached", timeout=90_000)
        yield page
    finally:
        page.close()


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_her2_positive_turns_the_her2_card_recommended(chromium_browser, voila_url, artifacts):
    with _explorer(chromium_browser, voila_url) as page:
        # The notebook starts from a teaching case whose cancer is HER2 negative (IHC 0).
        card = page.locator(CARD)
        assert card.get_attribute("data-status") == "not_indicated"
        her2 = page.locator(".bm-field-her2 select")
        assert her2.input_value() == "negative"
        assert "Not a diagnostic device" in page.locator(".bm-banner").inner_text()

        her2.select_option(label="positive")
        page.locator(f'{CARD}[data-status="recommended"]').wait_for(state="visible", timeout=20_000)
        assert "RECOMMENDED" in page.locator(CARD).inner_text().upper()
        assert "HER2" in page.locator(CARD).inner_text()

        page.locator(CARD).scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "explorer.png"))


def test_loading_a_case_act_now_then_ask_next(chromium_browser, voila_url, artifacts):
    """The default case, then the cord compression case from the picker: one header and one
    disclaimer, Act now above Ask next above the cards, and the card pane back at its top."""
    with _explorer(chromium_browser, voila_url) as page:
        text = page.locator(".bm-app").inner_text()
        assert text.count("Not a diagnostic device") == 1 and "make run" not in text and "web app" not in text
        assert page.locator(".bm-header").bounding_box()["height"] < 80  # one compact line
        a = bonemets.assess(LIBRARY[START].case)
        assert page.locator('.bm-alerts-view [data-alert="none"]').count() == 0  # never green with open alerts
        assert _top(page, '[data-section="act-now"]') < _top(page, '[data-section="ask-next"]') < _top(page, ".bm-tabs")
        asked = page.locator(".bm-ask-next li").evaluate_all("els => els.map(e => e.dataset.question)")
        assert asked == [q.field for q in a.questions[:len(asked)]] and asked
        page.screenshot(path=str(artifacts / "explorer-default.png"))

        page.locator(".bm-cards-view").evaluate("el => { el.scrollTop = 600; }")
        assert page.locator(".bm-cards-view").evaluate("el => el.scrollTop") > 0
        page.locator(".bm-case-picker select").select_option(label=LIBRARY["spinal_cord_compression"].title)
        alert = page.locator('.bm-act-now [data-alert="spinal_cord_compression"]')
        alert.wait_for(state="visible", timeout=20_000)
        cord = bonemets.assess(LIBRARY["spinal_cord_compression"].case)
        first = page.locator(".bm-act-now [data-alert]").first
        assert first.get_attribute("data-alert") == cord.alerts[0].id
        assert "CRITICAL" in alert.inner_text().upper()
        assert _top(page, ".bm-act-now") < _top(page, ".bm-ask-next") < _top(page, ".bm-tabs")
        page.locator('.bm-cards-view [data-item="steroids"]').wait_for(state="attached", timeout=20_000)
        assert page.locator(".bm-cards-view").evaluate("el => el.scrollTop") == 0  # a new case starts at the top
        for r in cord.recommendations:
            if r.kind == "family":
                assert page.locator(f'.bm-cards-view [data-item="{r.id}"]').get_attribute("data-status") == r.status
        page.screenshot(path=str(artifacts / "explorer-cord-compression.png"))


def test_class_mode_predict_reveal_score(chromium_browser, voila_url, artifacts):
    with _explorer(chromium_browser, voila_url) as page:
        families = [r for r in bonemets.assess(LIBRARY[START].case).recommendations if r.kind == "family"]
        page.locator(".bm-class-toggle").click()
        panel = page.locator(".bm-class-panel")
        panel.wait_for(state="visible", timeout=20_000)
        assert not page.locator(".bm-tabs").is_visible()  # no status in sight
        assert panel.locator(".bm-badge").count() == 0
        for r in families:  # the class says "recommended" for every family but the first
            if r is not families[0]:
                page.locator(f".bm-predict-{r.id} select").select_option(label="recommended")
        page.locator(".bm-reveal").click()
        score = page.locator(".bm-class-score[data-score]:not([data-score=''])")
        score.wait_for(state="visible", timeout=20_000)
        right = sum(r.status == "recommended" for r in families[1:])
        assert score.get_attribute("data-score") == f"{right}/{len(families)}"
        assert f"{right} of {len(families)} families right (1 without an answer)" in score.inner_text()
        for r in families:
            verdict = page.locator(f'.bm-verdict[data-family="{r.id}"]')
            assert verdict.get_attribute("data-status") == r.status
            assert verdict.get_attribute("data-right") == str(r is not families[0] and r.status == "recommended").lower()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / "explorer-class-mode.png"))
        page.locator(".bm-class-toggle").click()
        page.locator(".bm-tabs").wait_for(state="visible", timeout=20_000)


def test_projector_mode_large_type_high_contrast(chromium_browser, voila_url, artifacts):
    with _explorer(chromium_browser, voila_url, viewport={"width": 1280, "height": 800}) as page:
        size = page.locator(".bm-cards-view .bm-card").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        page.locator(".bm-projector-toggle").click()
        page.locator(".bm-app.bm-projector").wait_for(state="attached", timeout=20_000)
        card = page.locator(".bm-cards-view .bm-card").first
        big = card.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert big >= 20 and big >= 1.4 * size
        assert card.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
        assert page.locator(".bm-app").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
        page.screenshot(path=str(artifacts / "explorer-projector.png"))


def test_figures_and_compare_tabs_draw_their_figures(chromium_browser, voila_url, artifacts):
    """The figures reach the page only when their tab is opened, and are drawn by plotly.js there."""
    with _explorer(chromium_browser, voila_url) as page:
        assert page.locator(".bm-figure .js-plotly-plot").count() == 0  # not drawn while hidden

        page.get_by_role("tab", name="Figures").click()
        plots = page.locator(".bm-figure .js-plotly-plot")
        plots.nth(2).wait_for(state="visible", timeout=30_000)
        assert plots.count() == 3
        titles = page.locator(".bm-figure .gtitle").all_text_contents()
        assert titles[:3] == ["Bone sites", "What decided each item: case factors \u2192 items",
                              "Schedules and time to benefit over 52 weeks"]
        page.screenshot(path=str(artifacts / "explorer-figures.png"))

        page.get_by_role("tab", name="Compare").click()
        page.locator(".bm-pin").click()
        matrix = page.locator(".bm-compare-figure .js-plotly-plot")
        matrix.wait_for(state="visible", timeout=30_000)
        assert "same status" in page.locator(".bm-compare-view").inner_text()  # B is A pinned


def test_handout_print_view(chromium_browser, tmp_path, artifacts):
    """``bonemets report`` for a teaching case, under print media at A4 width: the story and the
    alerts come first, nothing is wider than the page, and it opens offline (file://)."""
    out = tmp_path / "handout.html"
    exe = Path(sys.executable).with_name("bonemets")
    done = subprocess.run([str(exe), "report", "spinal_cord_compression", "-o", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = chromium_browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    try:
        page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("file:", "data:"))
                   else route.continue_())  # offline: nothing from the network
        page.emulate_media(media="print")
        page.goto(out.as_uri(), timeout=60_000)
        body = page.locator("body").inner_text()
        tc = LIBRARY["spinal_cord_compression"]
        assert tc.title in body and tc.narrative.split(".")[0] in body
        cord = bonemets.assess(tc.case).alerts[0]
        assert body.index(cord.name) < body.index("Steroids")  # alerts before the items
        assert page.evaluate("document.documentElement.scrollWidth") <= 794  # nothing wider than the page
        page.screenshot(path=str(artifacts / "handout-print.png"))
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf[:5] == b"%PDF-" and len(pdf) < 5_000_000
    finally:
        page.close()
