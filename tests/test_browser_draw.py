"""The map's drawing tool as the analyst uses it, in Chromium at 1366x768, offline: shapes drawn
with the mouse reach the app exactly, an edited circle's new radius reaches it, a deleted shape
is gone, and shapes the app gives back stay put across reruns without a remount.

The app is tests/apps/draw_app.py: base_map(draw=True) through st_folium, its returned
`all_drawings` written in the page as JSON.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import MAP_FRAME, block_outside_requests, launch_chromium, streamlit_server
from conftest import REPO

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

APP = REPO / "tests" / "apps" / "draw_app.py"
SHOTS = Path("/work/shots/i26")
# The map's centre is 178°E: its right half is east of 180°, in the map's Pacific frame.
VIEW = "30,178,5"


@contextmanager
def draw_page(tmp_path, shapes: list | None = None):
    """The app's page at 1366x768, its map made; yields (page, outside, bad) where outside
    lists requests that tried to leave the machine and bad the responses of 400 or more."""
    shapes_file = tmp_path / "shapes.json"
    shapes_file.write_text(json.dumps(shapes or []))
    env = {"PYTHONPATH": str(REPO), "DRAW_VIEW": VIEW, "DRAW_SHAPES_FILE": str(shapes_file)}
    with (
        streamlit_server(tmp_path, script=APP, env=env) as server,
        playwright_api.sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        outside = block_outside_requests(page)
        bad: list[str] = []
        page.on("response", lambda r: r.status >= 400 and bad.append(f"{r.status} {r.url}"))
        page.goto(server.url)
        frame(page).wait_for_selector(".leaflet-draw-draw-polygon", timeout=60_000)
        yield page, outside, bad
        browser.close()


def frame(page):
    """The map's frame as it is now (read afresh: a remount would make a new one)."""
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    content = page.query_selector(MAP_FRAME).content_frame()
    content.wait_for_function("() => !!window.map && !!window.drawnItems", timeout=60_000)
    return content


def to_page(page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of the map's container point (x, y)."""
    box = page.query_selector(MAP_FRAME).bounding_box()
    rect = frame(page).evaluate(
        "() => { const r = map.getContainer().getBoundingClientRect(); return [r.left, r.top]; }"
    )
    return box["x"] + rect[0] + x, box["y"] + rect[1] + y


def lon_lat(page, x: float, y: float) -> list[float]:
    """[lon, lat] of the map's container point (x, y), rounded as Leaflet's toGeoJSON does."""
    return frame(page).evaluate(
        "([x, y]) => L.GeoJSON.latLngToCoords(map.containerPointToLatLng([x, y]))", [x, y]
    )


def click(page, x: float, y: float) -> None:
    page.mouse.move(*to_page(page, x - 5, y - 5))
    page.mouse.move(*to_page(page, x, y))
    page.mouse.click(*to_page(page, x, y))
    time.sleep(0.3)  # Leaflet.draw ignores a second click within its double-click window


def drag(page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*to_page(page, *start))
    page.mouse.down()
    page.mouse.move(*to_page(page, *end), steps=8)
    page.mouse.up()


def returned(page) -> object:
    """The app's last returned all_drawings."""
    return json.loads(page.locator("[data-testid=stCode]").inner_text())


def wait_returned(page, check, timeout: float = 60) -> object:
    """Wait until the app's returned all_drawings pass `check`; return them."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        try:
            value = returned(page)
        except (ValueError, playwright_api.Error):
            value = None
        if value is not None and check(value):
            return value
        time.sleep(0.3)
    raise AssertionError(f"the app's all_drawings never passed the check: {value}")


def run_number(page) -> int:
    text = page.get_by_text("run ", exact=False).last.inner_text()
    return int(text.split()[-1])


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"draw-{name}.png"))


def test_a_polygon_drawn_with_the_mouse_reaches_the_app_exactly(tmp_path):
    with draw_page(tmp_path) as (page, outside, bad):
        frame(page).click(".leaflet-draw-draw-polygon")
        # Four clicks, the last east of 180° (the map's centre is 178°E).
        points = [(150, 150), (330, 130), (500, 300), (200, 380)]
        for x, y in points:
            click(page, x, y)
        expected_ring = [lon_lat(page, x, y) for x, y in points]
        click(page, *points[0])  # on the first point: closes the polygon
        drawings = wait_returned(page, lambda value: len(value) == 1)
        assert drawings[0]["properties"] == {"kind": "polygon"}
        assert drawings[0]["geometry"] == {
            "type": "Polygon",
            "coordinates": [expected_ring + [expected_ring[0]]],
        }
        # Pacific frame: the point east of 180° comes back above 180, not wrapped to -180..
        assert expected_ring[2][0] > 180
        shot(page, "polygon")
        assert outside == [] and bad == []


def test_a_circle_returns_its_centre_and_radius_and_after_an_edit_its_new_radius(tmp_path):
    with draw_page(tmp_path) as (page, outside, bad):
        frame(page).click(".leaflet-draw-draw-circle")
        centre, edge = (300, 260), (380, 260)
        drag(page, centre, edge)
        drawings = wait_returned(page, lambda value: len(value) == 1)
        radius = frame(page).evaluate(
            "([c, e]) => map.distance("
            "map.containerPointToLatLng(c), map.containerPointToLatLng(e))",
            [list(centre), list(edge)],
        )
        assert drawings[0]["geometry"] == {"type": "Point", "coordinates": lon_lat(page, *centre)}
        assert drawings[0]["properties"]["kind"] == "circle"
        assert drawings[0]["properties"]["radius"] == pytest.approx(radius, rel=1e-6)

        # Edit: drag the circle's resize handle outward, then Save.
        frame(page).click(".leaflet-draw-edit-edit")
        handle = frame(page).locator(".leaflet-edit-resize")
        handle.wait_for(timeout=10_000)
        box = handle.bounding_box()  # in the page's coordinates
        start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(start[0] + 60, start[1] - 60, steps=8)
        page.mouse.up()
        frame(page).get_by_text("Save", exact=True).click()
        new_radius = frame(page).evaluate(
            "() => drawnItems.getLayers().filter(l => l instanceof L.Circle)[0].getRadius()"
        )
        assert new_radius > 1.5 * radius
        drawings = wait_returned(
            page, lambda value: len(value) == 1 and value[0]["properties"]["radius"] != radius
        )
        assert drawings[0]["properties"]["radius"] == pytest.approx(new_radius, rel=1e-9)
        assert drawings[0]["geometry"]["coordinates"] == lon_lat(page, *centre)
        shot(page, "circle-edited")
        assert outside == [] and bad == []


def test_a_line_across_180_and_a_deleted_shape(tmp_path):
    with draw_page(tmp_path) as (page, outside, bad):
        frame(page).click(".leaflet-draw-draw-polyline")
        points = [(200, 200), (450, 250)]
        for x, y in points:
            click(page, x, y)
        frame(page).get_by_text("Finish", exact=True).click()
        expected = [lon_lat(page, x, y) for x, y in points]
        drawings = wait_returned(page, lambda value: len(value) == 1)
        assert drawings[0] == {
            "type": "Feature",
            "properties": {"kind": "line"},
            "geometry": {"type": "LineString", "coordinates": expected},
        }
        assert expected[0][0] < 180 < expected[1][0]

        frame(page).click(".leaflet-draw-draw-rectangle")
        drag(page, (150, 320), (300, 420))
        drawings = wait_returned(page, lambda value: len(value) == 2)
        assert drawings[1]["properties"] == {"kind": "rectangle"}

        # Delete the line: the delete tool, a click on the line, Save.
        frame(page).click(".leaflet-draw-edit-remove")
        page.mouse.click(*to_page(page, 325, 225))
        frame(page).get_by_text("Save", exact=True).click()
        drawings = wait_returned(page, lambda value: len(value) == 1)
        assert drawings[0]["properties"] == {"kind": "rectangle"}
        assert frame(page).evaluate("() => drawnItems.getLayers().length") == 1
        assert outside == [] and bad == []


GIVEN = [
    {
        "type": "Feature",
        "properties": {"id": "boso", "kind": "polygon", "name": "<b>Boso</b> & Izu"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[169.5, 30.5], [172.25, 30.5], [171.0, 33.125], [169.5, 30.5]]],
        },
    },
    {
        "type": "Feature",
        "properties": {"id": "box", "kind": "rectangle"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[174.0, 25.0], [176.5, 25.0], [176.5, 27.0], [174.0, 27.0], [174.0, 25.0]]
            ],
        },
    },
    {
        "type": "Feature",
        "properties": {"id": "ring", "kind": "circle", "radius": 44448.0},
        "geometry": {"type": "Point", "coordinates": [182.5, 31.0]},
    },
    {
        "type": "Feature",
        "properties": {"id": "route", "kind": "line"},
        "geometry": {"type": "LineString", "coordinates": [[176.0, 34.0], [185.75, 33.5]]},
    },
]
IN_MAP = "() => drawnItems.toGeoJSON().features"


def test_shapes_given_by_the_app_are_drawn_returned_as_given_and_survive_reruns(tmp_path):
    with draw_page(tmp_path, shapes=GIVEN) as (page, outside, bad):
        map_frame = frame(page)
        map_frame.wait_for_function("() => drawnItems.getLayers().length === 4", timeout=30_000)
        assert map_frame.evaluate(IN_MAP) == GIVEN
        kinds = map_frame.evaluate(
            "() => drawnItems.getLayers().map(l => l instanceof L.Rectangle ? 'rectangle'"
            " : l instanceof L.Circle ? 'circle' : l instanceof L.Polygon ? 'polygon'"
            " : 'line')"
        )
        assert kinds == ["polygon", "rectangle", "circle", "line"]
        # Text from data is text: the name's markup made no element.
        assert map_frame.locator("b").count() == 0
        map_frame.evaluate("() => { window.__sameMount = true; }")

        # The given shapes can be edited with the toolbar (their vertex and resize handles
        # show), and cancelling leaves them as they were.
        map_frame.click(".leaflet-draw-edit-edit")
        # 4 corners of the rectangle and 1 on the circle; a move handle on each; a vertex
        # handle on each of the polygon's 3 corners and the line's 2 ends.
        assert map_frame.locator(".leaflet-edit-resize").count() == 5
        assert map_frame.locator(".leaflet-edit-move").count() == 2
        assert (
            map_frame.locator(
                ".leaflet-editing-icon:not(.leaflet-edit-resize):not(.leaflet-edit-move)"
            ).count()
            >= 5
        )
        map_frame.get_by_text("Cancel", exact=True).click()

        # Draw one more: the app gets the given shapes unchanged, plus the new one.
        map_frame.click(".leaflet-draw-draw-polyline")
        click(page, 120, 450)
        click(page, 260, 470)
        map_frame.get_by_text("Finish", exact=True).click()
        drawings = wait_returned(page, lambda value: len(value) == 5)
        assert drawings[:4] == GIVEN
        assert drawings[4]["properties"] == {"kind": "line"}

        # A rerun with the same shapes: nothing duplicated, the same map (no remount).
        before = run_number(page)
        page.get_by_role("button", name="Rerun").click()
        page.get_by_text(f"run {before + 1}", exact=True).wait_for(timeout=60_000)
        time.sleep(2)
        assert frame(page).evaluate("() => drawnItems.getLayers().length") == 5
        assert frame(page).evaluate("() => window.__sameMount === true")

        # The app gives two shapes: the map holds exactly those, still the same map.
        (tmp_path / "shapes.json").write_text(json.dumps(GIVEN[2:]))
        page.get_by_role("button", name="Rerun").click()
        page.get_by_text(f"run {before + 2}", exact=True).wait_for(timeout=60_000)
        frame(page).wait_for_function("() => drawnItems.getLayers().length === 2", timeout=30_000)
        assert frame(page).evaluate(IN_MAP) == GIVEN[2:]
        assert frame(page).evaluate("() => window.__sameMount === true")
        # What the app hears next (here on a move of the map) is what the map now holds, not
        # the five shapes of the last draw event.
        frame(page).evaluate("() => map.panBy([40, 0], {animate: false})")
        assert wait_returned(page, lambda value: len(value) != 5) == GIVEN[2:]
        shot(page, "given-shapes")
        assert outside == [] and bad == []
