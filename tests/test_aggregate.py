"""What the map sends for a window: events one by one, or counts per cell when there are many."""

import json
import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import collection, event, write_geodata

import layers.map.view
from layers import aggregate
from layers.aggregate import MapWindow, clusters, in_window, map_window
from layers.filters import filter_events
from layers.map.clusters import ClusterView
from layers.map.data import MapData
from layers.map.view import view_layers
from layers.read.load import load_geodata
from layers.read.schema import KIND_LABELS
from layers.view import View


def positions_of(points):
    geometries = [shapely.Point(x, y) for x, y in points]
    frame = gpd.GeoDataFrame(geometry=geometries)
    return aggregate.display_positions(frame, geometries)


def test_the_window_pads_the_viewport_and_snaps_so_small_pans_send_nothing_new():
    window = map_window(6, bounds=(120.0, 20.0, 130.0, 28.0))
    assert window.west <= 115 and window.east >= 135 and window.south <= 16 and window.north >= 32
    nudged = map_window(6, bounds=(120.3, 20.2, 130.3, 28.2))
    assert nudged == window


def test_without_bounds_the_window_is_estimated_around_the_centre():
    window = map_window(4, center=(27.0, 130.0))
    assert window.west < 100 < 160 < window.east
    assert window.south < 10 and window.north > 44


def test_in_window_uses_each_events_bounding_box():
    positions = positions_of([(125, 25), (170, 25)])
    line = shapely.LineString([(100, 0), (150, 30)])
    positions = pd.concat(
        [
            positions,
            aggregate.display_positions(gpd.GeoDataFrame(geometry=[line], index=[2]), [line]),
        ]
    )
    window = MapWindow(120, 20, 130, 30, zoom=6)
    assert list(in_window(positions, window)) == [True, False, True]


def test_clusters_count_events_per_cell_with_their_kinds():
    positions = positions_of([(120.01, 20.01), (120.02, 20.02), (125.5, 25.5)])
    kinds = pd.Series(["patrol", "transit", "patrol"], index=positions.index)
    cells = clusters(positions, kinds, MapWindow(100, 0, 140, 40, zoom=5))
    assert sorted(cells["n"]) == [1, 2]
    pair = cells[cells["n"] == 2].iloc[0]
    assert (pair["patrol"], pair["transit"]) == (1, 1)
    assert pair["x"] == pytest.approx(120.015)


@pytest.mark.parametrize("zoom", [2, 8, 12])
def test_clusters_keep_each_month_and_cell_apart_in_both_hemispheres(zoom):
    # South of the equator and at the map's far east (Pacific frame, up to 330°), at every zoom.
    points = [(150.0, -30.0), (150.0, -30.0), (150.0, 30.0), (329.9, -59.9), (121.0, 0.01)]
    positions = positions_of(points)
    kinds = pd.Series(["patrol", "incident", "patrol", "transit", "patrol"], index=positions.index)
    months = pd.Series(["2024-01", "2024-01", "2024-01", "2024-02", "2024-02"])
    cells = clusters(positions, kinds, MapWindow(100, -70, 340, 70, zoom=zoom), groups=months)
    size = MapWindow(100, -70, 340, 70, zoom=zoom).cell_degrees()
    expected = {
        ("2024-01", math.floor(150 / size), math.floor(-30 / size)): (2, 150.0, -30.0),
        ("2024-01", math.floor(150 / size), math.floor(30 / size)): (1, 150.0, 30.0),
        ("2024-02", math.floor(329.9 / size), math.floor(-59.9 / size)): (1, 329.9, -59.9),
        ("2024-02", math.floor(121 / size), math.floor(0.01 / size)): (1, 121.0, 0.01),
    }
    found = {
        (row.group, row.cx, row.cy): (row.n, pytest.approx(row.x), pytest.approx(row.y))
        for row in cells.itertuples()
    }
    assert found == expected
    south = cells[(cells["cy"] < 0) & (cells["n"] == 2)].iloc[0]
    assert (south["patrol"], south["incident"], south["transit"]) == (1, 1, 0)


def test_cells_are_aligned_to_the_world_not_the_window():
    positions = positions_of([(120.01, 20.01), (120.02, 20.02)])
    kinds = pd.Series(["patrol", "patrol"], index=positions.index)
    one = clusters(positions, kinds, MapWindow(100, 0, 140, 40, zoom=5))
    other = clusters(positions, kinds, MapWindow(110, 10, 150, 50, zoom=5))
    assert one.equals(other)


@pytest.fixture
def many(tmp_path, monkeypatch):
    monkeypatch.setattr(aggregate, "DETAIL_LIMIT", 5)
    monkeypatch.setattr(layers.map.view, "DETAIL_LIMIT", 5)
    features = [
        event(
            f"e{number}",
            kind="patrol",
            start="2024-06-01",
            geometry={"type": "Point", "coordinates": [124.0 + number * 0.5, 25.7]},
        )
        for number in range(8)
    ] + [event("far", start="2024-06-02", geometry={"type": "Point", "coordinates": [150.0, 40.0]})]
    geodata = load_geodata(write_geodata(tmp_path, {"e.geojson": collection(*features)}))
    return geodata, MapData.prepare(geodata.events, geodata.areas)


def month_layer(groups):
    group = next(group for group in groups if group.layer_name.startswith("2024-06"))
    element = next(iter(group._children.values()))
    return group.layer_name, json.loads(element.data)["features"]


def test_many_events_in_the_window_are_sent_as_counts(many):
    geodata, map_data = many
    events = filter_events(geodata.events, View())
    window = map_window(4, center=(27, 130))
    groups = view_layers(events, map_data, geodata.areas, ["2024-06"], View(), window)
    month = next(group for group in groups if group.layer_name.startswith("2024-06"))
    assert month.layer_name == "2024-06 (9)"
    (cells,) = [child.cells for child in month._children.values()]
    assert sorted(sum(cell[1:]) for cell in cells) == [1, 8]
    crowded = max(cells, key=lambda cell: sum(cell[1:]))
    patrol = list(KIND_LABELS).index("patrol")
    assert crowded[1 + patrol] == 8
    legend = groups[-1]
    (view,) = [c for c in legend._children.values() if isinstance(c, ClusterView)]
    far = min(cells, key=lambda cell: sum(cell[1:]))
    assert list(view.places[far[0]]) == [150.0, 40.0]  # where the one far event is
    x, y = view.places[crowded[0]]
    assert 124 <= x <= 127.5 and y == pytest.approx(25.7)
    assert "Location uncertainty" not in [group.layer_name for group in groups]


def test_zoomed_in_the_window_holds_few_events_and_they_are_drawn_one_by_one(many):
    geodata, map_data = many
    events = filter_events(geodata.events, View())
    window = map_window(12, center=(25.7, 124.0))
    groups = view_layers(events, map_data, geodata.areas, ["2024-06"], View(), window)
    name, features = month_layer(groups)
    assert name == "2024-06 (9)"  # the layer still names every event of the month
    assert [feature["properties"]["i"] for feature in features] == ["e0"]
