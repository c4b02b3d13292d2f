"""The base map: offline, deterministic, zoom limits of a link."""

import json
import re

import folium
import pytest
from conftest import small_dataset

from layers.map.basemap import base_map
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
