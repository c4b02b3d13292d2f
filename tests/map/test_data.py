"""Prepared map data: the Pacific frame, geodesic uncertainty circles, hover text."""

import json

import pandas as pd
import pytest
import shapely
from conftest import collection, event, small_dataset, write_geodata

from layers.map.data import (
    _GEOD,
    area_label,
    geodesic_circle,
    prepare_features,
    prepare_uncertainty,
    to_pacific_frame,
)
from layers.read.load import load_geodata
from layers.view import MIN_ZOOM

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def features_of(text):
    return json.loads(text)["features"]


def test_hover_ends_with_the_event_id_that_a_click_reports(tmp_path):
    root = write_geodata(tmp_path, {"e.geojson": collection(event("guardian-9", start="2024-07"))})
    properties = json.loads(prepare_features(load_geodata(root).events).iloc[0])["properties"]
    assert properties["i"] == "guardian-9"
    assert properties["w"] == "Exercise · July 2024"
    assert properties["h"] == "JPN, TWN"


def test_western_longitudes_are_drawn_east_of_japan_so_a_split_line_joins_up():
    split = shapely.MultiLineString([[(170, 20), (180, 21)], [(-180, 21), (-170, 22)]])
    hawaii = shapely.Point(-157.95, 21.35)
    shifted = to_pacific_frame([split, hawaii])
    assert shapely.get_coordinates(shifted[0])[:, 0].tolist() == [170, 180, 180, 190]
    assert shifted[1].x == pytest.approx(202.05)


def test_uncertainty_is_a_geodesic_circle_of_the_given_radius():
    circle = geodesic_circle(139.8, 34.8, 40)
    ring = shapely.get_coordinates(circle)
    distances = _GEOD.inv([139.8] * len(ring), [34.8] * len(ring), ring[:, 0], ring[:, 1])[2]
    assert min(distances) == pytest.approx(40_000, rel=1e-6)
    assert max(distances) == pytest.approx(40_000, rel=1e-6)
    assert circle.exterior.is_ccw


def test_uncertainty_circle_across_180_stays_one_piece():
    circle = geodesic_circle(179.9, 0, 100)
    shifted = to_pacific_frame([circle])[0]
    xs = shapely.get_coordinates(shifted)[:, 0]
    assert xs.max() - xs.min() < 2


def test_uncertainty_circles_only_for_points_with_a_precision(geodata):
    circles = prepare_uncertainty(geodata.events)
    with_precision = geodata.events.loc[circles.index, "id"]
    assert set(with_precision) == {"boso", "ccg-senkaku"}


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
    circles = prepare_uncertainty(events)
    near = json.loads(circles[events.index[events["id"] == "near"][0]])
    far = json.loads(circles[events.index[events["id"] == "far"][0]])
    assert near["geometry"]["type"] == "Point" and near["properties"]["r"] == 40_000
    assert far["geometry"]["type"] == "Polygon" and far["properties"]["f"] == 0


def test_a_route_across_the_atlantic_is_cut_at_the_frames_edge_not_drawn_round_the_world():
    import numpy as np
    import shapely

    route = shapely.LineString([(-76, 37), (-5, 36), (32, 31), (139, 35)])  # Norfolk → Suez → Japan
    (drawn,) = to_pacific_frame(np.array([route]))
    assert drawn.geom_type == "MultiLineString"
    # No drawn segment spans more than the longest real leg (107° from Suez to Japan).
    for part in drawn.geoms:
        xs = shapely.get_coordinates(part)[:, 0]
        assert np.abs(np.diff(xs)).max() <= 107
    assert drawn.length == pytest.approx(route.length, rel=1e-6)


@pytest.mark.parametrize("extent", [0.05, 0.43, 1.97, 4.1, 11.0, 22.1])
def test_an_area_is_labelled_from_the_zoom_where_it_is_45_px_across(extent):
    """Its name (three lines with alternate names) is not pinned on a speck: the Senkaku
    contiguous zone (1.97 degrees across) is labelled from zoom 6, not at zoom 5, where its
    label lay over northern Taiwan."""
    area = pd.Series({"name": "A", "alt_names": ["B"], "geometry": shapely.box(0, 0, extent, 0.01)})
    zoom = area_label(area)["z"]
    across = extent / 360 * 256 * 2**zoom  # pixels, Web Mercator at the equator
    assert 45 <= across <= 90 or zoom == MIN_ZOOM and across > 90
    if extent == 1.97:
        assert zoom == 6
