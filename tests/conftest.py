"""Fixtures shared by several test files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Debian's chromium; the browser tests drive it through Playwright and never download a browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    """A headless Playwright browser on Debian's chromium, shared by a test module; skips without
    chromium or Playwright (request it before other module fixtures, so a skip comes first)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def artifacts() -> Path:
    """``artifacts/`` at the repository root (git-ignored), for screenshots and other test outputs."""
    path = ROOT / "artifacts"
    path.mkdir(exist_ok=True)
    return path


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``-m core`` (``make test-core``: the core dependencies alone) import only the test
    modules marked core (``pytestmark = pytest.mark.core``); the others need the extras."""
    if config.getoption("markexpr") == "core" and collection_path.name.startswith("test_"):
        return "pytest.mark.core" not in collection_path.read_text(encoding="utf-8")
    return None
