"""The density layer on the map: it follows the filtered events, its image lines up with its
counts, its legend names the counts, and it is there only when the view asks for it."""

import base64
import io

import numpy as np
import pytest
from conftest import collection, event, write_geodata
from PIL import Image

from layers.aggregate import map_window
from layers.filters import filter_events
from layers.map.data import MapData
from layers.map.density import (
    DENSITY_PALETTE,
    DensityOverlay,
    class_image,
    density_legend,
    density_png,
    shown_density,
)
from layers.map.view import view_layers
from layers.measure import measure_weights
from layers.read.load import load_geodata
from layers.view import View

STRAIT = (116.0, 20.0, 127.0, 27.5)


def box(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def drills(tmp_path):
    """Three overlapping activity areas (two Chinese, one Japanese) and a Taiwanese point."""
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event("a", nations=["CHN"], geometry=box(119.0, 22.0, 121.0, 24.0)),
                event("b", nations=["CHN"], geometry=box(120.0, 22.0, 122.0, 24.0)),
                event("c", nations=["JPN"], geometry=box(120.0, 23.0, 123.0, 25.0)),
                event("d", nations=["TWN"]),
            )
        },
    )
    geodata = load_geodata(root)
    assert not geodata.problems
    return geodata, MapData.prepare(geodata.events, geodata.areas)


def test_density_counts_the_filtered_events_only(drills):
    geodata, map_data = drills
    every = shown_density(filter_events(geodata.events, View()).index, map_data, STRAIT, 7)
    china = filter_events(geodata.events, View(nations=("CHN",)))
    chinese = shown_density(china.index, map_data, STRAIT, 7)
    assert every.count_at(120.5, 23.5) == 3
    assert chinese.count_at(120.5, 23.5) == 2
    assert chinese.count_at(122.5, 24.5) == 0 and every.count_at(122.5, 24.5) == 1


def test_the_image_shows_each_cell_in_its_class_colour_and_no_events_as_clear(drills):
    geodata, map_data = drills
    grid = shown_density(geodata.events.index, map_data, STRAIT, 6)
    png = Image.open(io.BytesIO(density_png(grid))).convert("RGBA")
    assert png.size == (grid.counts.shape[1], grid.counts.shape[0])
    pixels = class_image(grid)
    assert (pixels == np.asarray(png)).all()
    row, column = divmod(int(grid.counts.argmax()), grid.counts.shape[1])
    assert tuple(pixels[row, column]) == (*bytes.fromhex(DENSITY_PALETTE[-1][1:]), 255)
    assert pixels[grid.counts == 0][:, 3].max() == 0  # transparent where nothing is


def test_the_legend_names_each_class_of_counts_and_the_cell_size(drills):
    geodata, map_data = drills
    grid = shown_density(geodata.events.index, map_data, STRAIT, 7)
    title, rows = density_legend(grid)
    assert title == "Events per cell (cells ≈ 9 km)"
    assert [text for _, text in rows] == ["1", "2", "3"]
    assert rows[0][0] == DENSITY_PALETTE[0] and rows[-1][0] == DENSITY_PALETTE[-1]


def test_a_window_with_no_events_says_so(drills):
    geodata, map_data = drills
    grid = shown_density(geodata.events.index[:0], map_data, STRAIT, 7)
    assert density_legend(grid)[1] == [("", "no events here")]


def test_the_overlay_covers_the_grid_and_carries_its_image(drills):
    geodata, map_data = drills
    grid = shown_density(geodata.events.index, map_data, STRAIT, 7)
    overlay = DensityOverlay(grid)
    west, south, east, north = grid.bounds()
    assert overlay.bounds == [[south, west], [north, east]]
    assert base64.b64decode(overlay.url.split(",", 1)[1]) == density_png(grid)


def test_the_density_layer_is_on_the_map_only_when_the_view_asks(drills):
    geodata, map_data = drills

    def names(view):
        groups = view_layers(
            filter_events(geodata.events, view),
            map_data,
            geodata.areas,
            ["2024-07"],
            view,
            map_window(7, center=(23.5, 121.0)),
        )
        return [group.layer_name for group in groups]

    assert "Event density" not in names(View())
    with_density = names(View(density=True))
    # Listed before the months; drawn above them in its own pane.
    assert with_density.index("Event density") < with_density.index("2024-07 (4)")


def test_a_window_outside_the_basemap_is_held_to_its_region(drills):
    geodata, map_data = drills
    grid = shown_density(geodata.events.index, map_data, (60.0, -40.0, 250.0, 80.0), 3)
    west, south, east, north = grid.bounds()
    assert west >= 89.0 and east <= 211.0 and south >= -16.0 and north <= 57.0
    assert grid.count_at(120.5, 23.5) == 3


def test_with_a_count_the_layer_adds_it_up_and_its_legend_says_the_events_without(tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event("a", geometry=box(119.0, 22.0, 121.0, 24.0), counts={"ships": 7}),
                event("b", geometry=box(120.0, 22.0, 122.0, 24.0), counts={"ships": 3}),
                event("c", geometry=box(120.0, 23.0, 123.0, 25.0)),  # gives no ships count
            )
        },
    )
    geodata = load_geodata(root)
    map_data = MapData.prepare(geodata.events, geodata.areas)
    weights = measure_weights(geodata.events, "ships")
    grid = shown_density(geodata.events.index, map_data, STRAIT, 7, weights)
    assert grid.count_at(120.5, 23.5) == 10  # c is there too, but gives no count: not 0+…
    assert grid.count_at(119.5, 22.5) == 7
    assert grid.count_at(122.5, 24.5) == 0
    title, rows = density_legend(grid, "ships", missing=1)
    assert title.startswith("Ships per cell")
    assert rows[-1] == ("", "1 event gives no ships count")
