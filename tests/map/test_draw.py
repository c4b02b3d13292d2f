"""The drawing tool's files and page text, offline: the committed Leaflet.draw is the verified
one, the page loads it from the app (never a CDN), the same map gives the same script, and
shapes from data reach the page as JSON, never markup."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re

import pytest
from conftest import REPO
from streamlit_folium import _get_header, _get_map_string

from layers.map.basemap import base_map
from layers.map.draw import DRAW_DIR, DrawnShapes, leaflet_draw_css
from layers.view import View


def _fetch_tool():
    spec = importlib.util.spec_from_file_location(
        "fetch_leaflet_draw", REPO / "tools" / "fetch_leaflet_draw.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_leaflet_draw_files_are_the_ones_notice_md_records():
    notice = (DRAW_DIR / "NOTICE.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"^\| (\S+) \| ([0-9a-f]{64}) \|$", notice, re.MULTILINE))
    committed = {
        path.relative_to(DRAW_DIR).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in DRAW_DIR.rglob("*")
        if path.is_file() and path.name not in ("NOTICE.md", "LICENSE")
    }
    assert committed == recorded
    tool = _fetch_tool()
    assert set(recorded) == set(tool.FILES.values())
    for text in (tool.VERSION, tool.TARBALL_URL, tool.INTEGRITY, "MIT"):
        assert text in notice
    assert "Permission is hereby granted" in (DRAW_DIR / "LICENSE").read_text(encoding="utf-8")


def test_the_refetch_tool_refuses_a_tarball_that_is_not_the_published_one():
    tool = _fetch_tool()
    with pytest.raises(ValueError, match="integrity"):
        tool.verified_tarball(b"not the leaflet-draw tarball")


def test_the_stylesheet_points_its_sprites_at_the_apps_committed_copy():
    urls = re.findall(r"url\('([^']+)'\)", leaflet_draw_css())
    assert urls
    for url in urls:
        assert url.startswith("/app/static/draw/leaflet-draw/images/"), url
        assert (REPO / "static" / url.removeprefix("/app/static/")).is_file(), url


def _page(draw: bool):
    fmap = base_map(View(lat=30, lon=135, zoom=5), draw=draw)
    fmap.render()
    header = _get_header(fmap)
    script = _get_map_string(fmap)
    # What streamlit-folium loads: every element's default_js and default_css.
    elements, links = [fmap], []
    while elements:
        element = elements.pop()
        elements.extend(element._children.values())
        for name in ("default_js", "default_css"):
            links += [src for _, src in getattr(element, name, [])]
    return header, script, links


def test_the_drawing_map_loads_leaflet_draw_from_the_app_and_is_the_same_text_each_time():
    header, script, links = _page(draw=True)
    assert "/app/static/draw/leaflet-draw/leaflet.draw.js" in links
    assert not [link for link in links if not link.startswith("/app/static/")], links
    page = header + script
    assert "cdnjs" not in page
    assert not re.findall(r"(?:src|href)=[\"']?https?:|url\([\"']?https?:", page)
    assert "L.Control.Draw" in script and "window.drawnItems" in script
    assert "leaflet-draw-toolbar" in header  # the stylesheet, inlined
    # streamlit-folium remounts the map when its script or header changes.
    assert _page(draw=True)[:2] == (header, script)


def test_the_base_map_without_draw_has_no_drawing_tool():
    header, script, links = _page(draw=False)
    assert "L.Control.Draw" not in script
    assert not [link for link in links if "draw" in link]
    assert "leaflet-draw" not in header


HOSTILE_ID = '</script><img src=x onerror="alert(1)">{{ 7*7 }}&amp;'


def test_shapes_from_data_reach_the_page_as_json_not_markup():
    feature = {
        "type": "Feature",
        "properties": {"id": HOSTILE_ID, "kind": "polygon", "name": "<b>Boso</b>"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[139.5, 34.5], [140.5, 34.5], [140.5, 35.5], [139.5, 34.5]]],
        },
    }
    shapes = DrawnShapes([feature])
    script = shapes._template.module.script(shapes)
    assert "</script" not in script and "<img" not in script and "{{" not in script
    given = re.search(r"\}\((\[.*\])\)\);", script, re.DOTALL).group(1)
    assert json.loads(given) == [feature]


def test_shapes_that_cannot_be_drawn_are_left_out_with_one_line_each():
    good = {
        "type": "Feature",
        "properties": {"id": "c1", "kind": "circle", "radius": 44448.0},
        "geometry": {"type": "Point", "coordinates": [123.0, 24.45]},
    }
    bad = [
        {
            "type": "Feature",
            "properties": {"id": "c2", "kind": "circle"},
            "geometry": good["geometry"],
        },
        {
            "type": "Feature",
            "properties": {"id": "l1", "kind": "line"},
            "geometry": {"type": "LineString", "coordinates": [[123.0, 24.0]]},
        },
        {
            "type": "Feature",
            "properties": {"id": "m1"},
            "geometry": {"type": "MultiPoint", "coordinates": [[1, 2]]},
        },
        "not a feature",
    ]
    shapes = DrawnShapes([good, *bad])
    assert shapes.features == [good]
    assert len(shapes.skipped) == len(bad)
    assert shapes.skipped[0].startswith("shape c2: a circle needs a radius")
    assert shapes.skipped[1].startswith("shape l1: a line needs 2")
    assert shapes.skipped[2].startswith("shape m1: geometry 'MultiPoint'")
    assert shapes.skipped[3].startswith("shape 4: not a GeoJSON Feature")
