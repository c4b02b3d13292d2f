"""Drawing, measuring and sharing drawn zones in the dashboard, as an analyst does it in
Chromium at 1366x768, offline: a polygon drawn round Boso and Izu Ōshima filters the map and
goes into the link, and the link opens the same shape and events in a fresh browser; a line
from Naha to Yonaguni reads its geodesic distance; a circle set to 24 nm has its vertices where
pyproj puts them."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import (
    MAP_FRAME,
    block_outside_requests,
    click_on_map,
    map_point_on_page,
    streamlit_server,
    wait_for_page_map_drawn,
)
from conftest import small_dataset
from pyproj import Geod

from layers.shapes import shapes_from_param

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

GEOD = Geod(ellps="WGS84")
SHOTS = Path("/work/shots/i26")
ALL_EVENTS = ["boso", "ccg-senkaku", "strait-transit"]
NAHA = (26.2124, 127.6792)
YONAGUNI = (24.4667, 123.0)
# Round the Boso peninsula and Izu Ōshima, wide enough that the test data's Boso event (known
# to within 40 km, at 34.8°N 139.8°E) is in it, not only possibly.
BOSO_IZU = [(35.7, 138.8), (35.7, 141.0), (33.8, 141.0), (33.6, 139.6), (33.9, 138.8)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = small_dataset(tmp_path_factory.mktemp("drawn") / "geodata")
    with streamlit_server(root) as running:
        yield running.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.outside = block_outside_requests(page)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def frame(page):
    """The map's frame as it is now, with its drawing layer made."""
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    content = page.query_selector(MAP_FRAME).content_frame()
    content.wait_for_function("() => !!window.map && !!window.drawnItems", timeout=60_000)
    return content


def location(page) -> str:
    return page.evaluate("() => window.location.href")


def wait_for_link(page, key: str, timeout: float = 40) -> dict[str, list[str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        query = parse_qs(urlsplit(location(page)).query)
        if key in query:
            return query
        time.sleep(0.25)
    raise AssertionError(f"the link never got {key}=: {location(page)}")


def drawn_layer_rings(page) -> list:
    """The drawing tool's shapes on the map, as GeoJSON geometries."""
    return frame(page).evaluate(
        "() => drawnItems.getLayers().map(layer => layer.toGeoJSON().geometry)"
    )


def panel_text(page, identifier: str) -> str:
    box = page.locator(f".st-key-shape_{identifier}")
    box.wait_for(timeout=40_000)
    return box.inner_text()


def test_a_polygon_round_boso_and_izu_oshima_filters_and_its_link_reopens_it(server, browser, page):
    page.goto(f"{server}/?lat=34.7&lon=139.9&zoom=7")
    wait_for_page_map_drawn(page, ALL_EVENTS)
    frame(page).click(".leaflet-draw-draw-polygon")
    for lat, lon in BOSO_IZU:
        click_on_map(page, lat, lon)
    click_on_map(page, *BOSO_IZU[0])  # on the first vertex: the polygon closes
    # The filter applies: only the Boso event is left on the map.
    wait_for_page_map_drawn(page, ["boso"])
    query = wait_for_link(page, "shapes")
    assert query["zones"] == ["D1"]
    (shape,), warnings = shapes_from_param(query["shapes"][0], None, [])
    assert warnings == [] and shape.kind == "polygon"
    # Each vertex where it was clicked, to the pixel (a pixel is about 1.2 km at zoom 7).
    for (lat, lon), (clicked_lat, clicked_lon) in zip(shape.points, BOSO_IZU, strict=True):
        assert abs(lat - clicked_lat) < 0.015 and abs(lon - clicked_lon) < 0.015
    assert "in it" in panel_text(page, "D1")
    page.screenshot(path=str(SHOTS / "drawn-boso-izu.png"))
    link = location(page)
    assert page.outside == [] and page.errors == []

    # The link in a browser that has never seen the page: the same shape, the same events.
    fresh = browser.new_context(viewport={"width": 1366, "height": 768})
    other = fresh.new_page()
    outside = block_outside_requests(other)
    other.goto(link)
    wait_for_page_map_drawn(other, ["boso"])
    frame(other).wait_for_function("() => drawnItems.getLayers().length === 1")
    (ring,) = drawn_layer_rings(other)
    expected = [[lon, lat] for lat, lon in shape.points]
    assert ring["type"] == "Polygon"
    assert ring["coordinates"][0][:-1] == expected
    assert parse_qs(urlsplit(location(other)).query)["shapes"] == query["shapes"]
    other.screenshot(path=str(SHOTS / "drawn-boso-izu-reopened.png"))
    assert outside == []
    fresh.close()


def test_naha_to_yonaguni_reads_the_geodesic_distance(server, page):
    page.goto(f"{server}/?lat=25.4&lon=125.3&zoom=7")
    wait_for_page_map_drawn(page, ALL_EVENTS)
    frame(page).click(".leaflet-draw-draw-polyline")
    click_on_map(page, *NAHA)
    click_on_map(page, *YONAGUNI)
    frame(page).get_by_text("Finish", exact=True).click()
    text = panel_text(page, "D1")
    km, nm = map(float, re.search(r"([0-9.]+) km \(([0-9.]+) nm\)", text).groups())
    _, _, metres = GEOD.inv(NAHA[1], NAHA[0], YONAGUNI[1], YONAGUNI[0])
    assert km * 1000 == pytest.approx(metres, rel=0.005)
    assert nm * 1852 == pytest.approx(metres, rel=0.005)
    bearing = float(re.search(r"initial bearing ([0-9.]+)° true", text).group(1))
    assert bearing == pytest.approx(
        GEOD.inv(NAHA[1], NAHA[0], YONAGUNI[1], YONAGUNI[0])[0] % 360, abs=0.5
    )
    # A line measures: it is not a zone filter until the analyst adds it to the zones.
    wait_for_page_map_drawn(page, ALL_EVENTS)
    assert "zones" not in parse_qs(urlsplit(location(page)).query)
    page.screenshot(path=str(SHOTS / "drawn-naha-yonaguni.png"))
    assert page.outside == [] and page.errors == []


def test_a_circle_set_to_24_nm_has_its_vertices_where_pyproj_puts_them(server, page):
    page.goto(f"{server}/?lat=24.5&lon=123&zoom=8")
    wait_for_page_map_drawn(page, ALL_EVENTS)
    frame(page).click(".leaflet-draw-draw-circle")
    x, y = map_point_on_page(page, *YONAGUNI)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y, steps=8)
    page.mouse.up()
    panel_text(page, "D1")
    radius = page.locator(".st-key-shape_D1").get_by_label("Radius")
    radius.fill("24")
    radius.press("Enter")
    page.locator(".st-key-shape_D1").get_by_role("button", name="Set the radius").click()
    page.wait_for_function(
        "() => document.querySelector('.st-key-shape_D1').innerText"
        ".includes('radius 44.45 km (24.00 nm)')",
        timeout=40_000,
    )
    query = wait_for_link(page, "shapes")
    (circle,), _ = shapes_from_param(query["shapes"][0], None, [])
    assert (circle.distance, circle.unit) == (24.0, "nm")
    (lat0, lon0) = circle.points[0]
    # The zone the filter uses, as the map draws it: the area layer named for the circle.
    vertices = (
        frame(page)
        .wait_for_function(
            """() => {
          let found = null;
          map.eachLayer(layer => {
            const p = layer.feature && layer.feature.properties;
            if (p && p.t === 'Drawn circle D1' && layer.getLatLngs) {
              found = layer.getLatLngs().flat(3).map(ll => [ll.lng, ll.lat]);
            }
          });
          return found;
        }""",
            timeout=40_000,
        )
        .json_value()
    )
    assert len(vertices) >= 180
    lons = [lon for lon, _ in vertices]
    lats = [lat for _, lat in vertices]
    azimuths, _, distances = GEOD.inv([lon0] * len(lons), [lat0] * len(lats), lons, lats)
    # 24 nm is 44,448 m; the map's coordinates are rounded to 0.0001° (about 11 m).
    assert max(abs(d - 44_448) for d in distances) < 15
    expected_lons, expected_lats, _ = GEOD.fwd(
        [lon0] * len(lons), [lat0] * len(lats), azimuths, [44_448] * len(lons)
    )
    assert max(abs(a - b) for a, b in zip(lons, expected_lons, strict=True)) < 2e-4
    assert max(abs(a - b) for a, b in zip(lats, expected_lats, strict=True)) < 2e-4
    # The drawing tool's circle took the radius too (it can be edited from there).
    frame(page).wait_for_function(
        "() => drawnItems.getLayers()"
        ".some(l => l instanceof L.Circle && Math.abs(l.getRadius() - 44448) < 1)",
        timeout=40_000,
    )
    page.screenshot(path=str(SHOTS / "drawn-circle-24nm.png"))
    assert page.outside == [] and page.errors == []


def test_renaming_a_shape_keeps_its_zone_and_layer(server, page):
    """Streamlit's multiselect keeps its values by their labels in the browser, and a shape's
    label is its name: a rename must not drop it from the zones (the count fell to 0)."""
    boso = "p_35.7_138.8_35.7_141_33.8_141_33.6_139.6_33.9_138.8"
    page.goto(f"{server}/?shapes={boso}&zones=D1&lat=34.7&lon=139.9&zoom=7")
    wait_for_page_map_drawn(page, ["boso"])
    name = page.locator(".st-key-shape_D1").get_by_label("Name")
    name.fill("Boso box")
    name.press("Enter")
    page.locator(".st-key-shape_D1").get_by_text("Boso box · D1").wait_for(timeout=40_000)
    page.get_by_text("include possibly").click()  # any other widget after the rename
    query = wait_for_link(page, "possibly")
    assert query["zones"] == ["D1"] and query["shape_names"] == ["Boso box"]
    wait_for_page_map_drawn(page, ["boso"])
    assert "Boso box" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert page.outside == [] and page.errors == []
