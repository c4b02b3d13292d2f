"""The base map: offline, deterministic, zoom limits of a link."""

import json
import re

import folium
import pytest
from conftest import small_dataset

from layers.i18n import language
from layers.map.basemap import base_map, held_by_region
from layers.read.load import load_geodata
from layers.view import MAX_ZOOM, MIN_ZOOM, View

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def features_of(text):
    return json.loads(text)["features"]


def test_the_base_map_is_offline_and_the_same_for_the_same_view():
    def rendered():
        fmap = base_map(View(lat=24.5, lon=123.0, zoom=6))
        html = fmap.get_root().render()
        return html.replace(fmap.get_name(), "MAP")

    html = rendered()
    remote = re.compile(
        r"""(src|href)\s*=\s*["']?(https?:)?//|url\(["']?(https?:)?//|@import""", re.I
    )
    assert not remote.search(html), remote.search(html)
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert '"/app/static/basemap"' in html  # land tiles, borders and names from the app itself
    assert isinstance(base_map(View()), folium.Map)
    strip = re.compile(r"_[0-9a-f]{32}")
    assert strip.sub("", html) == strip.sub("", rendered())


def test_the_map_zooms_no_further_in_or_out_than_a_link_can_say():
    html = base_map(View(zoom=MAX_ZOOM)).get_root().render()
    options = re.search(r"L\.map\((.*?)\);", html, re.S).group(1)  # the Leaflet map's own
    assert f'"minZoom": {MIN_ZOOM},' in options and f'"maxZoom": {MAX_ZOOM},' in options
    assert (MIN_ZOOM, MAX_ZOOM) == (2, 14)  # the basemap is drawn for reading to zoom 14


def test_a_view_moved_by_the_regions_bounds_is_still_the_links_view():
    target = {"center": [27.0, 135.0], "zoom": 4}

    def bounds(west, south, east, north):
        return {
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        }

    # A wide window: Leaflet pushed the centre east, its west edge on the region's 90°E.
    assert held_by_region({"lat": 27.0, "lng": 136.24}, 4, target, bounds(90.0, -10, 182.5, 55))
    # Wider than the region: centred on it, both edges beyond.
    assert held_by_region({"lat": 25.46, "lng": 150.0}, 4, target, bounds(80.9, -15.2, 219.1, 56.1))
    # The analyst panned east: the west edge is nowhere near 90°E.
    assert not held_by_region({"lat": 27.0, "lng": 140.0}, 4, target, bounds(95.0, -10, 185, 55))
    # The analyst panned west to the edge: the centre moved toward it, not away.
    assert not held_by_region({"lat": 27.0, "lng": 134.0}, 4, target, bounds(90.0, -10, 178, 55))
    assert not held_by_region({"lat": 27.0, "lng": 136.24}, 5, target, bounds(90.0, -10, 182.5, 55))


def test_the_first_views_land_rides_in_the_pages_html_and_leaves_the_maps_script_alone():
    from streamlit_folium import _get_html, _get_map_string, generate_js_hash

    view = View(lat=35.5, lon=139.8, zoom=12)
    with_land, without = base_map(view, first_land=True), base_map(view)
    html = _get_html(with_land)
    data = re.search(
        r'<script type="application/json" id="basemap-first-land">(.*?)</script>', html, re.S
    )
    assert data and "9/454/201" in json.loads(data.group(1))["tiles"]
    assert "basemap-first-land" not in _get_html(without)
    # streamlit-folium keys its component on the map's script: the same script, the same map
    # (kept, not made again) when a later run leaves the land out.
    assert generate_js_hash(_get_map_string(with_land), "map") == generate_js_hash(
        _get_map_string(without), "map"
    )


def test_the_base_maps_place_names_are_in_the_pages_language_and_its_html_the_same_per_language():
    """The map's script names places in the page's language (layers.i18n): the same HTML for
    the same view and language, another for another language (so the map is made again)."""

    def rendered(tag):
        with language(tag):
            fmap = base_map(View(lat=24.5, lon=123.0, zoom=6))
        html = fmap.get_root().render()
        return re.sub(r"_[0-9a-f]{32}", "_ID", html.replace(fmap.get_name(), "MAP"))

    pages = {tag: rendered(tag) for tag in ("en", "zh-TW", "ja", "zh-CN")}
    for tag, html in pages.items():
        assert f"var language = {json.dumps(tag)};" in html
        assert rendered(tag) == html
    assert len(set(pages.values())) == 4
