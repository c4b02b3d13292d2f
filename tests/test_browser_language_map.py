"""The map in the reader's language (issue 27), in the browser: a link with lang=ja opens a
map whose legend, layer list, month player and drawing toolbar speak Japanese, and whose data
(titles, names no source gives in Japanese) stays as written."""

from __future__ import annotations

import pytest
from browser import block_outside_requests, map_frame

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

LINK = "start=2024-05&end=2024-07&lat=30&lon=128&zoom=5"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def test_the_map_speaks_japanese_from_the_link(server, page):
    page.goto(f"{server}/?{LINK}&lang=ja")
    frame = map_frame(page, timeout=60_000)
    frame.wait_for_selector(".map-legend", timeout=30_000)
    legend = frame.locator(".map-legend").first.inner_text()
    # Kinds in Japanese (the glossary's words), none in English.
    assert any(word in legend for word in ("演習", "哨戒", "通過", "寄港", "展開"))
    assert "Exercise" not in legend and "Patrol" not in legend
    layers = frame.locator(".leaflet-control-layers-list").text_content()
    assert "区域：" in layers and "Area:" not in layers
    assert "2024年5月（" in layers and "2024-05 (" not in layers
    # The drawing tool's own words: Leaflet.draw's L.drawLocal in Japanese.
    assert frame.locator(".leaflet-draw-draw-polygon").get_attribute("title") == "多角形を描く"
    assert frame.locator(".leaflet-draw-draw-polyline").get_attribute("title") == "線を描く"
    assert frame.locator(".leaflet-draw-edit-remove").get_attribute("title") in (
        "図形を削除",
        "削除できる図形がありません",
    )
    # The month player's buttons.
    assert frame.locator(".month-player button").first.get_attribute("title") == "前の月"
    # Below the map, the page's own line about the map.
    assert page.get_by_text("このビューへのリンク").count() >= 1


def test_english_stays_english(server, page):
    page.goto(f"{server}/?{LINK}&lang=en")
    frame = map_frame(page, timeout=60_000)
    frame.wait_for_selector(".map-legend", timeout=30_000)
    layers = frame.locator(".leaflet-control-layers-list").text_content()
    assert "Area: " in layers and "2024-05 (" in layers
    assert frame.locator(".leaflet-draw-draw-polygon").get_attribute("title") == "Draw a polygon"
    assert frame.locator(".month-player button").first.get_attribute("title") == "Previous month"
