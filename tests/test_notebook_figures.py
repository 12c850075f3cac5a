"""Notebooks read without running show their figures (issue 11, item 6).

Every stored plotly figure output also holds an SVG copy of the same figure, so that nbconvert HTML,
GitHub and other static viewers, which never load plotly.js, draw it; and the renderer the notebooks
set up (:func:`bonemets.figures.static_images`) makes that copy whenever a notebook is run.
"""

import base64
import re
import shutil
import warnings
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from bonemets.figures import _common, static_images, svg_image

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
PLOTLY = "application/vnd.plotly.v1+json"
SVG = "image/svg+xml"

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and shutil.which("google-chrome") is None,
    reason="kaleido draws the SVG with Chromium (apt-get install chromium)")


def figure_outputs(path):
    """The data of every stored output that holds a plotly figure, in order."""
    nb = nbformat.read(path, as_version=4)
    return [o["data"] for cell in nb.cells if cell.cell_type == "code"
            for o in cell.get("outputs", []) if PLOTLY in o.get("data", {})]


def svg_size(svg):
    match = re.match(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg)
    return (int(match.group(1)), int(match.group(2))) if match else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_stored_figure_has_an_svg_of_that_figure(path):
    for data in figure_outputs(path):
        assert SVG in data, f"{path.name}: a figure output holds only plotly JSON (re-run it with static_images())"
        svg, layout = data[SVG], data[PLOTLY]["layout"]
        assert svg_size(svg) == (layout.get("width", 700), layout.get("height", 500)), path.name
        title = layout.get("title", {}).get("text")
        if title:  # the drawing is of this figure: its title is in it (plotly escapes & < > the same way)
            assert title.split("<br>")[0] in svg, (path.name, title)


def test_the_notebooks_with_figures_store_them():
    counts = {p.stem: len(figure_outputs(p)) for p in NOTEBOOKS}
    # The issue counted the figures nbconvert lost: 2 in 01, 3 in 07.
    assert counts["01_case_walkthrough"] >= 2 and counts["07_cohort"] >= 3


@pytest.mark.parametrize("name", ["01_case_walkthrough", "07_cohort"])
def test_nbconvert_html_shows_every_figure(name):
    from nbconvert import HTMLExporter

    path = ROOT / "notebooks" / f"{name}.ipynb"
    html, _ = HTMLExporter().from_filename(str(path))
    images = re.findall(r'data-mime-type="image/svg\+xml"[^>]*>\s*<img[^>]* src="data:image/svg\+xml;base64,([^"]+)"',
                        html)
    stored = [data[SVG] for data in figure_outputs(path)]
    assert len(images) == len(stored) >= 2
    assert [base64.b64decode(i).decode() for i in images] == stored


@pytest.fixture
def renderer():
    before = pio.renderers.default
    yield
    pio.renderers.default = before


def small_figure(title):
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout=dict(title=dict(text=title), width=400, height=300))


@needs_chromium
def test_static_images_puts_json_and_svg_in_one_output(renderer):
    static_images()
    bundle = small_figure("Two bars")._repr_mimebundle_()
    assert set(bundle) == {PLOTLY, SVG}
    assert bundle[PLOTLY]["data"][0]["y"] == [1, 2]
    assert svg_size(bundle[SVG]) == (400, 300) and "Two bars" in bundle[SVG]


@needs_chromium
def test_svg_is_the_same_for_the_same_figure_and_ids_differ_between_figures():
    first, again, other = svg_image(small_figure("One")), svg_image(small_figure("One")), svg_image(small_figure("Two"))
    assert first == again  # re-running a notebook leaves its SVG unchanged
    ids = set(re.findall(r' id="([^"]+)"', first))
    assert ids and not ids & set(re.findall(r' id="([^"]+)"', other))  # two figures on one page never clash
    assert all(f"#{i}" in first for i in ids if i.startswith("clip") and i.endswith("xyplot"))  # references follow


def test_without_a_browser_the_figure_is_json_only_with_one_warning(monkeypatch, renderer):
    monkeypatch.setattr(_common, "_kaleido_server", lambda: "kaleido found no Chromium or Chrome")
    static_images()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bundle = small_figure("No browser")._repr_mimebundle_()
    assert set(bundle) == {PLOTLY}
    assert [str(w.message) for w in caught] == [
        "figures are shown without a static image: kaleido found no Chromium or Chrome"]
