"""The explorer as a web app: Voila serves notebooks/02_explorer.ipynb, Debian chromium drives it.

Starts Voila on a free port, waits for any HTTP answer, loads the page with Playwright (the
system chromium, never a downloaded one), sets HER2 from negative to positive and checks that the
HER2-directed therapy card turns "recommended". Saves ``artifacts/explorer.png``.
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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_explorer.ipynb"
CARD = '.bm-cards-view [data-item="her2_targeted"]'

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


def test_her2_positive_turns_the_her2_card_recommended(chromium_browser, voila_url, artifacts):
    page = chromium_browser.new_page(viewport={"width": 1500, "height": 1250})
    try:
        page.goto(voila_url, timeout=90_000)
        # The notebook starts from a teaching case whose cancer is HER2 negative (IHC 0).
        card = page.locator(CARD)
        card.wait_for(state="attached", timeout=90_000)
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
    finally:
        page.close()


def test_figures_and_compare_tabs_draw_their_figures(chromium_browser, voila_url, artifacts):
    """The figures reach the page only when their tab is opened, and are drawn by plotly.js there."""
    page = chromium_browser.new_page(viewport={"width": 1500, "height": 1250})
    try:
        page.goto(voila_url, timeout=90_000)
        page.locator(CARD).wait_for(state="attached", timeout=90_000)
        assert page.locator(".bm-figure .js-plotly-plot").count() == 0  # not drawn while hidden

        page.get_by_role("tab", name="Figures").click()
        plots = page.locator(".bm-figure .js-plotly-plot")
        plots.nth(2).wait_for(state="visible", timeout=30_000)
        assert plots.count() == 3
        titles = page.locator(".bm-figure .gtitle").all_text_contents()
        assert titles[:3] == ["Bone sites", "How the assessment was reached: case factors \u2192 rules \u2192 items",
                              "Schedules and time to benefit over 52 weeks"]
        page.screenshot(path=str(artifacts / "explorer-figures.png"))

        page.get_by_role("tab", name="Compare").click()
        page.locator(".bm-pin").click()
        matrix = page.locator(".bm-compare-figure .js-plotly-plot")
        matrix.wait_for(state="visible", timeout=30_000)
        assert "same status" in page.locator(".bm-compare-view").inner_text()  # B is A pinned
    finally:
        page.close()
