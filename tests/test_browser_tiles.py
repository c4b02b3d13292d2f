"""The land of a link's view is on the map from its first frame, in a cold browser.

A fresh visit at zoom 12 over Tokyo Bay used to show the events on open sea until the land
tiles came (two rounds of fetches after the map was made). These tests record, in the map's
own frame, what the map holds at the moment its first event is drawn: not a time, an order.
Against the repository's own data (geodata/), which has events in Tokyo (the Odaiba port calls).
"""

from __future__ import annotations

import json

import pytest
import shapely
from browser import block_outside_requests, map_frame

from layers.map import basemap_files
from layers.map.style import LAND_COLOUR

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
# Tokyo Bay at zoom 12, with Tokyo's events in view at both window sizes.
TOKYO_BAY = "lat=35.6&lon=139.78&zoom=12"
LAND = (35.56, 139.70)  # Kawasaki, ~160 px inland at zoom 12
SEA = (35.55, 139.85)  # Tokyo Bay, ~180 px from any shore

# Run in the map's frame before its scripts: when streamlit-folium files the map as
# window.map, watch it for its first event layer (a feature with an id, or a cluster's count,
# as tests/browser.py's DRAWN_EVENT_IDS and REPRESENTED_EVENTS read them). At that moment, after
# the task's promise callbacks (the browser paints between tasks, never within one), record
# what the frame then shows: whether the land of the whole view is drawn (data-basemap, see
# layers/map/basemap.py), and the basemap's pixels over known land and known sea.
FIRST_EVENT_WATCH = """
(() => {
  if (window.top === window) { return; }
  const [land, sea] = %s;
  function pixel([lat, lon]) {
    const map = window.map, point = map.latLngToContainerPoint([lat, lon]);
    const mapBox = map.getContainer().getBoundingClientRect();
    const x = point.x + mapBox.left, y = point.y + mapBox.top;
    const canvas = Array.from(document.querySelectorAll(".leaflet-basemap-pane canvas"))
      .find(tile => {
        const box = tile.getBoundingClientRect();
        return getComputedStyle(tile).visibility === "visible" && box.left <= x &&
          x < box.right && box.top <= y && y < box.bottom;
      });
    if (!canvas) { return null; }  // no land tile shown there
    const box = canvas.getBoundingClientRect(), ratio = canvas.width / box.width;
    return Array.from(canvas.getContext("2d").getImageData(
      Math.floor((x - box.left) * ratio), Math.floor((y - box.top) * ratio), 1, 1).data);
  }
  let current = null;
  window.__atFirstEvent = null;
  Object.defineProperty(window, "map", {
    configurable: true,
    get() { return current; },
    set(map) {
      current = map;
      if (!map || typeof map.on !== "function") { return; }
      map.on("layeradd", event => {
        const p = event.layer.feature && event.layer.feature.properties;
        if (window.__atFirstEvent || !p || !(p.i || p.n)) { return; }
        window.__atFirstEvent = "pending";
        queueMicrotask(() => {
          window.__atFirstEvent = {
            basemap: map.getContainer().getAttribute("data-basemap"),
            land: pixel(land), sea: pixel(sea),
          };
        });
      });
    },
  });
})();
"""


def test_the_known_points_are_land_and_sea_in_the_basemaps_own_files():
    """The test below reads the map over these points: they must be what they are said to be."""
    land = shapely.union_all(basemap_files.land(((35.4, 139.6), (35.8, 140.0)), 12))
    assert land.contains(shapely.Point(LAND[1], LAND[0]))
    assert not land.contains(shapely.Point(SEA[1], SEA[0]))


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_a_cold_visit_at_zoom_12_shows_the_land_in_the_frame_its_first_events_show(
    server, browser, size
):
    width, height = size
    # A new context: an empty cache, nothing of an earlier visit.
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_init_script(FIRST_EVENT_WATCH % json.dumps([LAND, SEA]))
    page = context.new_page()
    outside = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/?{TOKYO_BAY}")
    frame = map_frame(page, timeout=60_000)
    seen = frame.wait_for_function(
        "() => window.__atFirstEvent && window.__atFirstEvent !== 'pending' && "
        "window.__atFirstEvent",
        timeout=30_000,
    ).json_value()
    land_colour = [int(LAND_COLOUR[i : i + 2], 16) for i in (1, 3, 5)] + [255]
    # When the first event is drawn, so is the land of the whole view (the detailed level,
    # grid 9), and Kawasaki shows as land, the bay as sea.
    assert (seen["basemap"] or "").startswith("z9:"), seen
    assert seen["land"] == land_colour, seen
    assert seen["sea"] is None or seen["sea"][3] == 0, seen
    # The events are there too (the Odaiba port calls, the Tokyo statements).
    assert frame.evaluate(
        "() => { let n = 0; window.map.eachLayer(l => { const p = l.feature && "
        "l.feature.properties; if (p && p.i) { n += 1; } }); return n; }"
    )
    assert errors == [] and outside == []
    context.close()
