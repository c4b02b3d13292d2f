"""Who works with whom, in the browser, on the repository's data (issue 24): China and Japan
at the Senkakus (the buoy and the coast-guard presence) stood on opposite sides, so the nations
matrix has no China–Japan cell, and *Who confronted whom* lists China against Japan."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import block_outside_requests, map_frame

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
SHOTS = Path("/work/shots/i24")
# The rows of the data grid whose header holds `header` (Streamlit's grid draws on a canvas and
# keeps an accessible table of the same cells beside it), or null while there is none.
GRID_ROWS = """header => {
  const grid = Array.from(document.querySelectorAll('table[role="grid"]'))
    .find(table => table.querySelector("thead").textContent.includes(header));
  return grid ? Array.from(grid.querySelectorAll("tbody tr"))
    .map(row => Array.from(row.querySelectorAll("td")).map(cell => cell.textContent)) : null;
}"""
# The descriptions of the nations matrix's cells (Vega writes each as its ARIA label).
CELL_LABELS = """() => Array.from(document.querySelectorAll(
  '[data-testid="stExpander"] path[role="graphics-symbol"][aria-label]'))
  .map(cell => cell.getAttribute("aria-label"))"""


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def page(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def open_partners(page) -> None:
    """Open *Who works with whom* (closed sections are not drawn) and wait for its matrix."""
    page.get_by_text("Timeline", exact=True).wait_for(timeout=60_000)
    section = page.locator('[data-testid="stExpander"] summary').filter(
        has_text="Who works with whom"
    )
    section.click()
    page.locator('[data-testid="stExpander"] path[aria-label^="Japan with Taiwan"]').first.wait_for(
        timeout=30_000
    )
    page.wait_for_timeout(500)


def test_china_and_japan_at_the_senkakus_are_confronting_not_working_together(server, page):
    page.goto(server)
    map_frame(page)
    open_partners(page)
    labels = page.evaluate(CELL_LABELS)
    # The matrix is drawn (Japan's own events and its partners) and holds no China–Japan pair:
    # the two Senkaku incidents put them on opposite sides.
    assert any(label.startswith("Japan with Taiwan: ") for label in labels), labels
    assert any(label.startswith("China: 4 events") for label in labels), labels
    assert not [label for label in labels if label.startswith(("China with", "Japan with China"))]
    # The second view: who confronted whom, China against Japan in the two incidents.
    heading = page.get_by_text("Who confronted whom", exact=True)
    heading.wait_for(timeout=15_000)
    page.wait_for_function(f"() => ({GRID_ROWS})('against') !== null", timeout=15_000)
    rows = page.evaluate(f"() => ({GRID_ROWS})('against')")
    assert rows == [["China (CHN)", "Japan (JPN)", "2"]]
    # The caption says how events without sides are counted.
    assert page.get_by_text("any other event without sides", exact=False).count() == 1
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator('[data-testid="stExpander"] summary').filter(
        has_text="Who works with whom"
    ).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"sides-matrix-{width}x{height}.png"))
    heading.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / f"sides-confronted-{width}x{height}.png"))
    # The confronted list lies inside the page's width: nothing to scroll sideways for it.
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="against")
    assert table.count() == 1
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_details_of_the_buoy_say_china_against_japan(server, page):
    page.goto(f"{server}/?event=china-buoy-japan-eez-senkaku-2023-07")
    map_frame(page)
    details = page.locator(".event-details")
    details.wait_for(timeout=30_000)
    assert "Sides\tChina against Japan" in details.inner_text()
    details.locator("th", has_text="Sides").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sides-details-{width}x{height}.png"))
