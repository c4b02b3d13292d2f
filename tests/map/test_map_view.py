"""What a view puts on the map: one layer per month, the open event, escaped names."""

import json

import pytest
from conftest import area, collection, event, small_dataset, write_geodata

from layers.aggregate import degrees_per_pixel, map_window
from layers.filters import filter_events
from layers.map.data import (
    MapData,
)
from layers.map.player import MonthPlayer
from layers.map.view import at_target, fitted_view, mercator_degrees, view_layers
from layers.read.load import load_geodata
from layers.view import View

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def features_of(text):
    return json.loads(text)["features"]


def layer_names(groups):
    return [group.layer_name for group in groups]


def test_one_layer_per_month_that_has_events_with_counts(geodata):
    view = View()
    groups = view_layers(
        filter_events(geodata.events, view),
        MapData.prepare(geodata.events, geodata.areas),
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
    groups = view_layers(
        filter_events(geodata.events, view),
        MapData.prepare(geodata.events, geodata.areas),
        geodata.areas.iloc[0:0],
        ["2024-07"],
        view,
        map_window(4, center=(27, 130)),
        show_uncertainty=False,
    )
    assert layer_names(groups) == ["2024-07 (1)", "Open event", "Legend"]


def test_uncertainty_circles_too_small_to_see_at_this_zoom_are_not_sent(geodata):
    map_data = MapData.prepare(geodata.events, geodata.areas)
    events = filter_events(geodata.events, View())

    def circle_count(zoom):
        groups = view_layers(
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
    groups = view_layers(
        filter_events(geodata.events, View()),
        MapData.prepare(geodata.events, geodata.areas),
        geodata.areas,
        ["2024-07"],
        View(),
        map_window(4, center=(27, 130)),
    )
    assert groups[0].layer_name.startswith("Area: &lt;img src=x onerror=")
    assert "<" not in groups[0].layer_name


def test_a_quiet_month_keeps_its_layer_and_its_place_in_the_player(geodata):
    view = View()
    months = ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08"]
    groups = view_layers(
        filter_events(geodata.events, view),
        MapData.prepare(geodata.events, geodata.areas),
        geodata.areas.iloc[0:0],
        months,
        view,
        map_window(4, center=(27, 130)),
        show_uncertainty=False,
    )
    names = layer_names(groups)
    assert names[:5] == [
        "2024-04 (none)",
        "2024-05 (1)",
        "2024-06 (1)",
        "2024-07 (1)",
        "2024-08 (none)",
    ]
    (player,) = [child for child in groups[-1]._children.values() if isinstance(child, MonthPlayer)]
    assert player.months == months
    assert player.counts == [0, 1, 1, 1, 0]


def fitted(tmp_path, *features, size=340):
    geodata = load_geodata(write_geodata(tmp_path, {"e.geojson": collection(*features)}))
    no_areas = geodata.areas.iloc[0:0]
    map_data = MapData.prepare(geodata.events, no_areas)
    return geodata.events, map_data, fitted_view(geodata.events, map_data, no_areas, size)


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def test_a_preview_map_shows_every_event_and_zooms_in_as_far_as_that_allows(tmp_path):
    boso = [
        event("boso-a", geometry=point(139.8, 34.8), location_precision_km=1),
        event("boso-b", geometry=point(139.9, 34.9), location_precision_km=1),
    ]
    _, _, (_, _, near_zoom) = fitted(tmp_path / "near", *boso)
    events, map_data, (lat, lon, zoom) = fitted(
        tmp_path / "far", *boso, event("senkaku", geometry=point(123.5, 25.7))
    )
    assert zoom < near_zoom
    half = 340 / 2 * degrees_per_pixel(zoom)  # degrees from the centre to the map's edge
    for x, y in zip(map_data.positions["x"], map_data.positions["y"]):
        assert abs(x - lon) <= half
        assert abs(mercator_degrees(y) - mercator_degrees(lat)) <= half


def test_a_preview_map_makes_room_for_an_events_uncertainty_circle(tmp_path):
    _, _, (_, _, exact) = fitted(tmp_path / "exact", event(location_precision_km=1))
    _, _, (_, _, vague) = fitted(tmp_path / "vague", event(location_precision_km=300))
    assert vague < exact


def test_a_map_a_pixel_from_where_it_was_sent_is_still_there_three_pixels_is_moved():
    target = {"center": [25.0, 125.0], "zoom": 6}
    pixel = degrees_per_pixel(6)
    assert at_target({"lat": 25.0 + pixel, "lng": 125.0 - pixel}, 6, target)
    assert not at_target({"lat": 25.0 + 3 * pixel, "lng": 125.0}, 6, target)
    assert not at_target({"lat": 25.0, "lng": 125.0}, 7, target)
