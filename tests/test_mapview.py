"""Map layers: escaped text, the Pacific frame, geodesic circles, one layer per month."""

import json
import re

import folium
import pytest
import shapely
from conftest import area, collection, event, small_dataset, write_geodata

from layers import mapview
from layers.aggregate import map_window
from layers.filters import filter_events
from layers.read.load import load_geodata
from layers.view import MAX_ZOOM, MIN_ZOOM, View

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def features_of(text):
    return json.loads(text)["features"]


def test_hover_text_and_labels_travel_as_json_text_and_are_shown_as_text(tmp_path):
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(event("x", title=HOSTILE, forces=[HOSTILE]))},
        {"a.geojson": collection(area(name=HOSTILE, alt_names=["東シナ海"]))},
    )
    geodata = load_geodata(root)
    feature_text = mapview.prepare_features(geodata.events).iloc[0]
    area_text = mapview.prepare_areas(geodata.areas).iloc[0]
    for text in (feature_text, area_text):
        assert "<" not in text and ">" not in text  # cannot end a <script> early
    assert json.loads(feature_text)["properties"]["t"] == HOSTILE
    assert json.loads(area_text)["properties"]["t"] == HOSTILE
    assert json.loads(area_text)["properties"]["w"] == "東シナ海"
    layer = mapview.GeoJsonText('{"type":"FeatureCollection","features":[]}')
    layer.add_to(folium.FeatureGroup())
    script = layer._template.module.script(layer, {})
    assert "textContent" in script and "innerHTML" not in script


def test_template_syntax_in_data_cannot_break_the_map(tmp_path):
    root = write_geodata(
        tmp_path, {"e.geojson": collection(event("x", title="{% if %}{{ 7*7 }}{#"))}
    )
    text = mapview.prepare_features(load_geodata(root).events).iloc[0]
    assert "{%" not in text and "{{" not in text and "{#" not in text
    assert json.loads(text)["properties"]["t"] == "{% if %}{{ 7*7 }}{#"
    fmap = mapview.base_map(View())
    group = folium.FeatureGroup().add_to(fmap)
    mapview.GeoJsonText(mapview.collection_text([text])).add_to(group)
    assert "7*7" in fmap.get_root().render()


def test_map_layers_render_on_their_own_as_folium_groups_do():
    # streamlit-folium discards a group's render, but a folium page of these layers still works.
    fmap = mapview.base_map(View())
    group = mapview.MapLayer(name="2024-07").add_to(fmap)
    mapview.MonthCells("2024-07", [[0, 1, 2, 0, 0, 0, 0, 0]]).add_to(group)
    html = fmap.get_root().render()
    group_name, map_name = group.get_name(), fmap.get_name()
    assert f"var {group_name} = L.featureGroup(" in html
    assert f'{group_name}.month = "2024-07";' in html
    assert html.index(f"{group_name}.cells") < html.index(f"{group_name}.addTo({map_name});")


def test_hover_ends_with_the_event_id_that_a_click_reports(tmp_path):
    root = write_geodata(tmp_path, {"e.geojson": collection(event("guardian-9", start="2024-07"))})
    properties = json.loads(mapview.prepare_features(load_geodata(root).events).iloc[0])[
        "properties"
    ]
    assert properties["i"] == "guardian-9"
    assert properties["w"] == "Exercise · July 2024"
    assert properties["h"] == "JPN, TWN"


def test_western_longitudes_are_drawn_east_of_japan_so_a_split_line_joins_up():
    split = shapely.MultiLineString([[(170, 20), (180, 21)], [(-180, 21), (-170, 22)]])
    hawaii = shapely.Point(-157.95, 21.35)
    shifted = mapview.to_pacific_frame([split, hawaii])
    assert shapely.get_coordinates(shifted[0])[:, 0].tolist() == [170, 180, 180, 190]
    assert shifted[1].x == pytest.approx(202.05)


def test_uncertainty_is_a_geodesic_circle_of_the_given_radius():
    circle = mapview.geodesic_circle(139.8, 34.8, 40)
    ring = shapely.get_coordinates(circle)
    distances = mapview._GEOD.inv([139.8] * len(ring), [34.8] * len(ring), ring[:, 0], ring[:, 1])[
        2
    ]
    assert min(distances) == pytest.approx(40_000, rel=1e-6)
    assert max(distances) == pytest.approx(40_000, rel=1e-6)
    assert circle.exterior.is_ccw


def test_uncertainty_circle_across_180_stays_one_piece():
    circle = mapview.geodesic_circle(179.9, 0, 100)
    shifted = mapview.to_pacific_frame([circle])[0]
    xs = shapely.get_coordinates(shifted)[:, 0]
    assert xs.max() - xs.min() < 2


def test_uncertainty_circles_only_for_points_with_a_precision(geodata):
    circles = mapview.prepare_uncertainty(geodata.events)
    with_precision = geodata.events.loc[circles.index, "id"]
    assert set(with_precision) == {"boso", "ccg-senkaku"}


def layer_names(groups):
    return [group.layer_name for group in groups]


def test_one_layer_per_month_that_has_events_with_counts(geodata):
    view = View()
    groups = mapview.view_layers(
        filter_events(geodata.events, view),
        mapview.MapData.prepare(geodata.events, geodata.areas),
        geodata.areas,
        ["2024-05", "2024-06", "2024-07"],
        view,
        map_window(4, center=(27, 130)),
    )
    assert layer_names(groups) == [
        "Area: Southern Boso Peninsula waters",
        "Location uncertainty",
        "2024-05 (1)",
        "2024-06 (1)",
        "2024-07 (1)",
        "Legend",
    ]


def test_the_open_event_gets_its_own_highlight_layer_and_areas_can_be_off(geodata):
    view = View(event="boso")
    groups = mapview.view_layers(
        filter_events(geodata.events, view),
        mapview.MapData.prepare(geodata.events, geodata.areas),
        geodata.areas.iloc[0:0],
        ["2024-07"],
        view,
        map_window(4, center=(27, 130)),
        show_uncertainty=False,
    )
    assert layer_names(groups) == ["2024-07 (1)", "Open event", "Legend"]


def test_colour_by_month_runs_light_to_dark():
    colours = mapview.month_colours(["2024-01", "2024-02", "2024-03"])
    assert colours["2024-01"] == mapview.MONTH_PALETTE[0]
    assert colours["2024-03"] == mapview.MONTH_PALETTE[-1]


def test_the_base_map_is_offline_and_the_same_for_the_same_view():
    def rendered():
        fmap = mapview.base_map(View(lat=24.5, lon=123.0, zoom=6))
        html = fmap.get_root().render()
        return html.replace(fmap.get_name(), "MAP")

    html = rendered()
    remote = re.compile(
        r"""(src|href)\s*=\s*["']?(https?:)?//|url\(["']?(https?:)?//|@import""", re.I
    )
    assert not remote.search(html), remote.search(html)
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/basemap/land.geojson" in html
    assert isinstance(mapview.base_map(View()), folium.Map)
    strip = re.compile(r"_[0-9a-f]{32}")
    assert strip.sub("", html) == strip.sub("", rendered())


def test_the_map_zooms_no_further_in_or_out_than_a_link_can_say():
    html = mapview.base_map(View(zoom=MAX_ZOOM)).get_root().render()
    options = re.search(r"L\.map\((.*?)\);", html, re.S).group(1)  # the Leaflet map's own
    assert f'"minZoom": {MIN_ZOOM},' in options and f'"maxZoom": {MAX_ZOOM},' in options
    assert (MIN_ZOOM, MAX_ZOOM) == (2, 12)


def test_small_uncertainty_travels_as_a_radius_and_large_as_a_geodesic_polygon(tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event("near", location_precision_km=40),
                event("far", location_precision_km=2500),
            )
        },
    )
    events = load_geodata(root).events
    circles = mapview.prepare_uncertainty(events)
    near = json.loads(circles[events.index[events["id"] == "near"][0]])
    far = json.loads(circles[events.index[events["id"] == "far"][0]])
    assert near["geometry"]["type"] == "Point" and near["properties"]["r"] == 40_000
    assert far["geometry"]["type"] == "Polygon" and far["properties"]["f"] == 0


def test_uncertainty_circles_too_small_to_see_at_this_zoom_are_not_sent(geodata):
    map_data = mapview.MapData.prepare(geodata.events, geodata.areas)
    events = filter_events(geodata.events, View())

    def circle_count(zoom):
        groups = mapview.view_layers(
            events,
            map_data,
            geodata.areas.iloc[0:0],
            ["2024-05"],
            View(),
            map_window(zoom, center=(27, 130)),
        )
        group = next(group for group in groups if group.layer_name == "Location uncertainty")
        return len(json.loads(next(iter(group._children.values())).data)["features"])

    assert circle_count(2) == 0  # 40 km is under a pixel at zoom 2
    assert circle_count(8) == 2


def test_area_names_in_the_layer_control_are_escaped(tmp_path):
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(event("x"))},
        {"a.geojson": collection(area(name=HOSTILE))},
    )
    geodata = load_geodata(root)
    groups = mapview.view_layers(
        filter_events(geodata.events, View()),
        mapview.MapData.prepare(geodata.events, geodata.areas),
        geodata.areas,
        ["2024-07"],
        View(),
        map_window(4, center=(27, 130)),
    )
    assert groups[0].layer_name.startswith("Area: &lt;img src=x onerror=")
    assert "<" not in groups[0].layer_name


def test_a_route_across_the_atlantic_is_cut_at_the_frames_edge_not_drawn_round_the_world():
    import numpy as np
    import shapely

    route = shapely.LineString([(-76, 37), (-5, 36), (32, 31), (139, 35)])  # Norfolk → Suez → Japan
    (drawn,) = mapview.to_pacific_frame(np.array([route]))
    assert drawn.geom_type == "MultiLineString"
    # No drawn segment spans more than the longest real leg (107° from Suez to Japan).
    for part in drawn.geoms:
        xs = shapely.get_coordinates(part)[:, 0]
        assert np.abs(np.diff(xs)).max() <= 107
    assert drawn.length == pytest.approx(route.length, rel=1e-6)
