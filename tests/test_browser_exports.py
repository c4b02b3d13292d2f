"""Export view as an analyst uses it: the README's Boso link at 1366x768 and 1920x1080 (the
picture is of the map's bounds, which follow the window), the page's "Export view" toggle and
its PNG and PDF buttons. The files are checked as what a reader sees: the open exercise's dot
is there in the PNG and in the PDF drawn by poppler, no two labels lie over each other
(poppler's own word boxes), and the PDF lists as on the map only events on the map.

Against the repository's own data (geodata/), which has the README's example link.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import shapely
from browser import block_outside_requests, map_frame
from conftest import REPO
from exported import (
    BOSO,
    README_LINK,
    TAIPEI_VISIT,
    dot_pixels,
    outside_heading_split,
    overlapping_words,
    pdf_words,
    projected,
)
from PIL import Image

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/i24")
MAP_BOUNDS = """() => { const b = window.map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }"""


@pytest.fixture(params=[(1366, 768), (1920, 1080)], ids=lambda size: f"{size[0]}x{size[1]}")
def page(browser, request):
    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def event_shapes() -> dict[str, shapely.Geometry]:
    """Every event of the repository's data by id, as its file gives it (RFC 7946 lon/lat)."""
    shapes = {}
    for path in (REPO / "geodata" / "events").glob("*.geojson"):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            shapes[feature["properties"]["id"]] = shapely.geometry.shape(feature["geometry"])
    return shapes


def download(page, label: str, path: Path) -> Path:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).click()
    info.value.save_as(path)
    return path


def test_the_exported_png_and_pdf_show_the_open_exercise_and_list_only_what_the_map_shows(
    server, page, tmp_path
):
    page.goto(f"{server}/?{README_LINK}&event={BOSO}")
    frame = map_frame(page, timeout=60_000)
    page.get_by_text("Timeline", exact=True).wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # the map reports its bounds to the page
    bounds = frame.evaluate(MAP_BOUNDS)
    size = f"{page.viewport_size['width']}x{page.viewport_size['height']}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"exports-map-{size}.png"))
    page.get_by_text("Export view (PNG, PDF)", exact=True).click()
    png = download(page, "PNG of this view", tmp_path / "view.png")
    pdf = download(page, "PDF of this view", tmp_path / "view.pdf")
    shutil.copy(png, SHOTS / f"exports-readme-boso-{size}.png")
    page.screenshot(path=str(SHOTS / f"exports-buttons-{size}.png"))

    # The export is of the map as the page shows it (its title gives the bounds in degrees).
    first = " ".join(pdf_text(pdf, 1).split())
    extent = re.search(r"([\d.]+)°N–([\d.]+)°N, ([\d.]+)°E–([\d.]+)°E", first)
    west, south, east, north = bounds
    said = [float(number) for number in extent.groups()]
    assert np.allclose(said, [south, north, west, east], atol=0.051), (said, bounds)

    boso = event_shapes()[BOSO]
    image = np.asarray(Image.open(png).convert("RGB"))
    x, y = projected(bounds, boso.x, boso.y, image.shape[1], image.shape[0])
    assert dot_pixels(image, x, y) >= 0.9, "the open exercise's dot is covered in the PNG"

    subprocess.run(["pdftoppm", "-r", "160", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    for number, rendered in enumerate(pages, start=1):
        shutil.copy(rendered, SHOTS / f"exports-readme-boso-{size}-pdf-page-{number}.png")
    drawn = np.asarray(Image.open(pages[0]).convert("RGB"))
    x, y = projected(bounds, boso.x, boso.y, drawn.shape[1], drawn.shape[0])
    assert dot_pixels(drawn, x, y) >= 0.9, "the open exercise's dot is covered in the PDF"

    words = pdf_words(pdf, 1)
    width, height = words["page"]
    assert overlapping_words(words["words"], bounds, (width, height), dot=(boso.x, boso.y)) == []

    # Page 2 on: the events listed as on the map are on it; the rest are said to be outside.
    listed = pdf_text(pdf, 2, len(pages))
    on_map, outside = outside_heading_split(listed)
    shapes = event_shapes()
    frame_box = shapely.box(*bounds)
    listed_on_map = [name for name in shapes if f"{name} ·" in on_map]
    assert BOSO in listed_on_map
    assert all(shapes[name].intersects(frame_box) for name in listed_on_map), listed_on_map
    listed_outside = [name for name in shapes if f"{name} ·" in outside]
    assert TAIPEI_VISIT in listed_outside
    assert not any(shapes[name].intersects(frame_box) for name in listed_outside)


def pdf_text(pdf: Path, first: int, last: int | None = None) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-f", str(first), "-l", str(last or first), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout
