"""A drawn shape's zone, measures and area file are geodesic and honest: checked against
pyproj's inverse problem and published figures, not against the code's own formulas."""

from __future__ import annotations

import json
import math
import os
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from layers.analysis.drawn import (
    MAX_VERTICES,
    area_file,
    drawing_features,
    drawn_zones,
    geodesic_buffer,
    measure_words,
    measures,
    zone_geometry,
)
from layers.analysis.zones import zone_tags
from layers.read.load import AREAS_SUBDIR, check_file
from layers.shapes import Shape, ShapeError

GEOD = Geod(ellps="WGS84")
NO_AREAS = gpd.GeoDataFrame({"id": []}, geometry=[], crs=4326)
NAHA = (26.2124, 127.6792)  # Naha port, Okinawa
YONAGUNI = (24.4667, 123.0)  # Yonaguni-jima


def test_a_line_measures_the_geodesic_length_and_initial_bearing():
    # One degree of latitude north from the equator is 110,574 m on WGS 84 (the meridian
    # arc; e.g. NGA's "Length of a degree of latitude" table).
    north = Shape("line", ((0.0, 100.0), (1.0, 100.0)))
    result = measures(north, zone_geometry(north, {}))
    assert result.length_m == pytest.approx(110_574, abs=1)
    assert result.bearing_deg == pytest.approx(0.0, abs=1e-9)
    legs = Shape("line", (NAHA, (25.0, 125.0), YONAGUNI))
    result = measures(legs, zone_geometry(legs, {}))
    first = GEOD.inv(NAHA[1], NAHA[0], 125.0, 25.0)
    second = GEOD.inv(125.0, 25.0, YONAGUNI[1], YONAGUNI[0])
    assert result.length_m == pytest.approx(first[2] + second[2], rel=1e-12)
    assert result.bearing_deg == pytest.approx(first[0] % 360)
    assert measure_words(legs, result).startswith("5")
    assert "over 2 legs; initial bearing" in measure_words(legs, result)


def test_naha_to_yonaguni_reads_about_509_km_not_the_spherical_figure():
    line = Shape("line", (NAHA, YONAGUNI))
    result = measures(line, zone_geometry(line, {}))
    words = measure_words(line, result)
    assert words.startswith("509.2 km (274.9 nm)")
    # A sphere of the mean radius (Leaflet's map.distance) gives a figure 0.09 % away.
    lat1, lon1, lat2, lon2 = map(math.radians, (*NAHA, *YONAGUNI))
    haversine = (
        2
        * 6_371_000
        * math.asin(
            math.sqrt(
                math.sin((lat2 - lat1) / 2) ** 2
                + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
            )
        )
    )
    assert abs(haversine / result.length_m - 1) > 0.0009


def test_a_24_nm_circle_is_24_nm_from_its_centre_all_round():
    circle = Shape("circle", (YONAGUNI,), distance=24.0, unit="nm")
    zone = zone_geometry(circle, {})
    lons, lats = np.asarray(zone.exterior.coords).T
    _, _, distances = GEOD.inv(np.full(len(lons), 123.0), np.full(len(lons), 24.4667), lons, lats)
    assert np.allclose(distances, 24 * 1852, atol=0.01)
    result = measures(circle, zone)
    assert result.area_m2 == pytest.approx(math.pi * (24 * 1852) ** 2, rel=0.002)


@pytest.mark.parametrize(
    "source",
    [
        shapely.Point(123.476, 25.746),  # Uotsuri-shima
        shapely.Polygon([(110, 10), (118, 10), (118, 20), (112, 21), (110, 15)]),
        shapely.LineString([(119.9, 26.5), (117.5, 23.3)]),
        shapely.Polygon([(179, 10), (181, 10), (181, 12), (179, 12)]),
    ],
)
def test_a_buffer_edge_is_its_distance_from_the_source(source):
    buffered = geodesic_buffer(source, 24 * 1852)
    assert buffered.geom_type == "Polygon"
    edge = np.asarray(buffered.exterior.coords)
    # The source's edges densified geodesically every 200 m.
    runs = source.exterior.coords if source.geom_type == "Polygon" else source.coords
    runs = np.asarray(runs)
    points = [runs[:1]]
    for (lon1, lat1), (lon2, lat2) in zip(runs[:-1], runs[1:], strict=False):
        count = int(GEOD.inv(lon1, lat1, lon2, lat2)[2] // 200)
        points.append(np.array(GEOD.npts(lon1, lat1, lon2, lat2, count) or np.empty((0, 2))))
        points.append(np.array([[lon2, lat2]]))
    near = np.vstack([p.reshape(-1, 2) for p in points])
    for lon, lat in edge:
        _, _, distances = GEOD.inv(np.full(len(near), lon), np.full(len(near), lat), *near.T)
        assert distances.min() == pytest.approx(24 * 1852, rel=0.001)


def test_a_self_crossing_polygon_is_refused_with_where_and_the_others_still_count():
    bow_tie = Shape("polygon", ((25.0, 123.0), (26.0, 124.0), (25.0, 124.0), (26.0, 123.0)))
    circle = Shape("circle", (YONAGUNI,), distance=5.0, unit="nm")
    zones = drawn_zones((bow_tie, circle), NO_AREAS)
    assert zones.problems == (
        # Where the edges cross on the map: they are straight on its Mercator projection.
        "Drawn polygon D1 is not used as a zone: its edges cross each other near 25.501°N "
        "123.500°E: redraw it",
    )
    assert list(zones.areas["id"]) == ["D2"]


def test_a_polygon_of_ten_thousand_vertices_gets_a_plain_answer():
    ring = tuple(
        (24.0 + math.sin(2 * math.pi * i / 10_000), 123.0 + math.cos(2 * math.pi * i / 10_000))
        for i in range(10_000)
    )
    with pytest.raises(
        ShapeError,
        match=f"10,000 vertices, more than a drawn shape may have \\({MAX_VERTICES:,}\\)",
    ):
        zone_geometry(Shape("polygon", ring), {})
    assert (
        drawn_zones((Shape("polygon", ring),), NO_AREAS)
        .problems[0]
        .startswith("Drawn polygon D1 is not used as a zone: it has 10,000 vertices")
    )


def test_a_polygon_across_180_is_cut_for_files_and_still_tags_events_on_both_sides():
    shape = Shape("polygon", ((10.0, 179.0), (10.0, 181.0), (12.0, 181.0), (12.0, 179.0)))
    zones = drawn_zones((shape,), NO_AREAS)
    area = zones.areas.geometry.iloc[0]
    assert area.geom_type == "MultiPolygon" and len(area.geoms) == 2
    assert all(-180 <= x <= 180 for part in area.geoms for x, _ in part.exterior.coords)
    events = gpd.GeoDataFrame(
        {"location_precision_km": [np.nan, np.nan, np.nan, 30.0]},
        geometry=[
            shapely.Point(-179.5, 11),
            shapely.Point(179.5, 11),
            shapely.Point(170, 11),
            shapely.Point(-178.9, 11),
        ],
        crs=4326,
    )
    assert list(zone_tags(events, zones.areas)) == [
        (("D1", "in"),),
        (("D1", "in"),),
        (),
        (("D1", "possibly"),),
    ]


def test_the_area_file_is_taken_by_the_areas_folder_as_it_is(tmp_path):
    shape = Shape("circle", (YONAGUNI,), distance=24.0, unit="nm", name="Yonaguni 24 nm ~ 与那国")
    zone = zone_geometry(shape, {})
    text = area_file(shape, "D1", shape.name, zone, "Drawn on the map")
    checked = check_file(text.encode(), f"{AREAS_SUBDIR}/yonaguni.geojson", AREAS_SUBDIR)
    assert checked.problems == []
    row = checked.table.iloc[0]
    # The name's id and six hex digits of the shape (two sessions' files never clash).
    assert re.fullmatch(r"yonaguni-24-nm-[0-9a-f]{6}", row["id"])
    assert (row["name"], row["kind"]) == (shape.name, "drawn_area")
    assert row.geometry.hausdorff_distance(zone) < 1e-6  # the same ring, to 6 decimals
    line = Shape("line", (NAHA, YONAGUNI))
    text = area_file(line, "D2", "Drawn line D2", zone_geometry(line, {}), "x")
    assert json.loads(text)["features"][0]["properties"]["kind"] == "reference_line"
    checked = check_file(text.encode(), f"{AREAS_SUBDIR}/line.geojson", AREAS_SUBDIR)
    assert checked.problems == []
    assert re.fullmatch(r"drawn-d2-[0-9a-f]{6}", checked.table.iloc[0]["id"])


def test_the_drawing_tool_gets_the_shapes_in_the_maps_pacific_frame():
    shapes = (
        Shape("circle", ((21.3, -157.9),), distance=10.0, unit="km"),  # Pearl Harbor
        Shape("rectangle", ((24.0, 122.5), (25.0, 124.0))),
        Shape("buffer", distance=3.0, source="D1"),
    )
    circle, rectangle = drawing_features(shapes)
    assert circle["geometry"]["coordinates"] == [202.1, 21.3]
    assert circle["properties"] == {"id": "D1", "kind": "circle", "radius": 10_000.0}
    assert rectangle["properties"]["kind"] == "rectangle"
    assert rectangle["geometry"]["coordinates"][0][2] == [124.0, 25.0]


PROPERTY_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES") or 2000)
LATS = st.floats(-85, 85, allow_nan=False)
LONS = st.floats(-200, 400, allow_nan=False)
POINTS = st.lists(st.tuples(LATS, LONS), min_size=1, max_size=6).map(tuple)
# Up to 2,500 (past the 2,000 nm refused) in nm, km or m: buffers of 2,000 nm round
# continents of vertices take seconds each, so the examples are fewer (below).
DISTANCES = st.floats(0.0001, 2500, allow_nan=False)
SHAPES = st.one_of(
    st.builds(Shape, st.just("polygon"), POINTS),
    st.builds(Shape, st.just("line"), POINTS),
    st.builds(Shape, st.just("rectangle"), st.tuples(st.tuples(LATS, LONS), st.tuples(LATS, LONS))),
    st.builds(
        Shape,
        st.just("circle"),
        POINTS.map(lambda p: p[:1]),
        DISTANCES,
        st.sampled_from(["nm", "km", "m"]),
    ),
    st.builds(
        Shape,
        st.just("buffer"),
        st.just(()),
        DISTANCES,
        st.sampled_from(["nm", "km"]),
        st.sampled_from(["D1", "D2", "boso", "nowhere"]),
    ),
)
AREAS = gpd.GeoDataFrame(
    {"id": ["boso"]}, geometry=[shapely.box(139.6, 34.65, 140.2, 34.95)], crs=4326
)


@settings(max_examples=PROPERTY_EXAMPLES // 40, deadline=None, database=None)
@given(st.lists(SHAPES, max_size=3).map(tuple))
def test_any_shapes_give_zones_or_lines_never_an_error(shapes):
    """Whatever shapes a view holds (a bug upstream, a hand-made link), the zones are made or
    each shape that cannot be one is a line; the zone tags of events never raise."""
    zones = drawn_zones(shapes, AREAS)
    assert all(isinstance(p, str) and "\n" not in p for p in zones.problems)
    assert len(zones.areas) + len(zones.problems) == len(shapes)
    assert all(
        -180 <= x <= 180 for g in zones.areas.geometry for x in shapely.get_coordinates(g)[:, 0]
    )
    events = gpd.GeoDataFrame(
        {"location_precision_km": [np.nan, 30.0]},
        geometry=[shapely.Point(139.8, 34.8), shapely.Point(-179.5, 0)],
        crs=4326,
    )
    zone_tags(events, zones.areas)
