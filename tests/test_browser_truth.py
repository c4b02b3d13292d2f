"""What the page says agrees with the data: an empty view names the filter that emptied it,
and *Activity by area* counts an event placed by its `area` in that area, as the table does.

Against the repository's own data (geodata/), at 1366x768.
"""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from browser import (
    REPRESENTED_EVENTS,
    block_outside_requests,
    map_frame,
)
from conftest import REPO

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

README_LINK = "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=34.9&lon=139.9&zoom=8"
SENKAKU_12NM = "senkaku-territorial-sea"
# The cells of Activity by area, as Vega writes them for screen readers: "Tokyo Bay, 2024-07:
# 1 event".
AREA_CELLS = """() => Array.from(document.querySelectorAll(
  '.st-key-open_areas [data-testid="stVegaLiteChart"] path[role="graphics-symbol"]'))
  .map(path => path.getAttribute("aria-label"))"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    yield page
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def empty_view_text(page, url: str) -> str:
    page.goto(url)
    message = page.get_by_text("No events match")
    message.wait_for(timeout=60_000)
    return message.inner_text()


def represented(page, url: str, expected: int) -> int:
    """The events the map represents at `url`, once it shows `expected` (or after 20 s)."""
    page.goto(url)
    frame = map_frame(page, timeout=60_000)
    with contextlib.suppress(playwright_api.TimeoutError):
        frame.wait_for_function(f"() => ({REPRESENTED_EVENTS})() === {expected}", timeout=20_000)
    return frame.evaluate(REPRESENTED_EVENTS)


def offered(text: str, pattern: str) -> int:
    found = re.search(pattern, text)
    assert found, text
    return int(found.group(1))


def test_a_zone_that_empties_the_view_says_so_and_not_widen_the_months(server, page):
    # No JPN+TWN event is anywhere near the Senkakus: the zone is the cause, not the months.
    text = empty_view_text(page, f"{server}/?{README_LINK}&zones={SENKAKU_12NM}")
    assert "month" not in text
    assert "include possibly" not in text
    count = offered(text, r"clear the zones \((\d+) events?\)")
    # The count it offers is what clearing the zones shows.
    assert represented(page, f"{server}/?{README_LINK}", count) == count


def test_events_only_possibly_in_a_zone_are_offered_with_include_possibly(server, page):
    # The coast guard's presence is placed to within 45 km: only possibly in the 12 nm sea.
    months = "start=2024-05&end=2024-07"
    text = empty_view_text(page, f"{server}/?{months}&zones={SENKAKU_12NM}")
    assert "month" not in text
    count = offered(text, r"tick include possibly \((\d+) events? possibly in Senkaku")
    ticked = f"{server}/?{months}&zones={SENKAKU_12NM}&possibly=1"
    assert represented(page, ticked, count) == count


def test_activity_by_area_counts_each_event_in_the_area_it_names(server, page):
    # The README link's events that name their area (the Boso exercise, the Tokyo port call):
    # Activity by area has each in its area and month, as the table's area column says.
    named = {}
    for path in sorted((REPO / "geodata" / "events").glob("*.geojson")):
        for feature in json.loads(path.read_text())["features"]:
            props = feature["properties"]
            in_months = "2024-05" <= props["start"][:7] <= "2024-07"
            if props.get("area") and {"JPN", "TWN"} <= set(props["nations"]) and in_months:
                named[props["id"]] = (props["area"], props["start"][:7])
    assert named, "the README link shows events placed by their area"
    areas = json.loads((REPO / "geodata" / "areas" / "regions.geojson").read_text())
    names = {f["properties"]["id"]: f["properties"]["name"] for f in areas["features"]}
    page.goto(f"{server}/?{README_LINK}")
    page.get_by_text("Timeline", exact=True).wait_for(timeout=60_000)
    page.get_by_text("Activity by area", exact=True).click()
    page.locator(
        '.st-key-open_areas [data-testid="stVegaLiteChart"] path[role="graphics-symbol"]'
    ).first.wait_for(timeout=30_000)
    cells = set(page.evaluate(AREA_CELLS))
    for area_id, month in named.values():
        assert f"{names[area_id]}, {month}: 1 event" in cells, (area_id, sorted(cells))


# The timeline's legend entries and the box they must show in, as [text, bottom, box bottom].
TIMELINE_LEGEND = """() => {
  const chart = document.querySelector('.st-key-timeline [data-testid="stVegaLiteChart"]')
    || Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
      .find(element => element.querySelector('.role-legend'));
  const box = chart.getBoundingClientRect();
  return Array.from(chart.querySelectorAll('.role-legend-label text'))
    .map(text => [text.textContent, text.getBoundingClientRect().bottom, box.bottom]);
}"""


def test_the_timelines_legend_shows_every_kind_it_draws_whole(server, page):
    # The whole data: every kind the seed data has, at a laptop's height.
    page.goto(f"{server}/")
    page.get_by_text("Timeline", exact=True).wait_for(timeout=60_000)
    page.locator('[data-testid="stVegaLiteChart"] .role-legend-label text').first.wait_for(
        timeout=30_000
    )
    entries = page.evaluate(TIMELINE_LEGEND)
    kinds = set()
    for path in sorted((REPO / "geodata" / "events").glob("*.geojson")):
        kinds |= {f["properties"]["kind"] for f in json.loads(path.read_text())["features"]}
    assert len(entries) == len(kinds), entries
    for text, bottom, box_bottom in entries:
        assert bottom <= box_bottom + 0.5, f"{text!r} is cut at the chart's bottom"
