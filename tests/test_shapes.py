"""Drawn shapes travel in a link compactly and come back the same; the drawing tool's report
becomes the view's shapes; every bad entry or drawing is one line and the rest is kept."""

from __future__ import annotations

import math
import os
from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from layers.shapes import (
    MAX_SHAPES,
    MAX_SHAPES_LENGTH,
    Shape,
    link_length,
    moved_ids,
    removed,
    shape_from_feature,
    shapes_from_drawings,
    shapes_from_param,
    shapes_param,
)
from layers.view import View

PROPERTY_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES") or 2000)
AREAS = ["senkaku-uotsuri-12nm", "taiwan-strait-median-line"]
BOSO_IZU = Shape(
    "polygon",
    ((35.05, 139.55), (35.05, 140.45), (34.55, 140.45), (34.3, 139.75), (34.55, 139.2)),
    name="Boso and Izu Ōshima ~ 100%",
)


def polygon_feature(lonlats, **properties):
    ring = [list(point) for point in lonlats] + [list(lonlats[0])]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_every_kind_of_shape_reads_back_from_its_link_with_its_name():
    shapes = (
        BOSO_IZU,
        Shape("rectangle", ((24.0, 122.5), (25.0, 124.0))),
        Shape("circle", ((24.4667, 123.0),), distance=24.0, unit="nm", name="与那国 24 nm"),
        Shape("line", ((26.2124, 127.6792), (24.4667, 123.0))),
        Shape("buffer", distance=12.0, unit="nm", source="senkaku-uotsuri-12nm"),
        Shape("buffer", distance=5.5, unit="km", source="D3"),
    )
    entries, names = shapes_param(shapes)
    # Only characters both URL encoders leave as they are: the link stays this short.
    assert urlencode({"shapes": entries}) == "shapes=" + entries
    back, warnings = shapes_from_param(entries, names, AREAS)
    assert warnings == []
    assert back == shapes


def test_a_view_with_shapes_round_trips_through_its_query_and_its_zones_name_them():
    view = View(shapes=(BOSO_IZU,), zones=("D1",), layers=("D1",))
    query = view.to_query()
    assert list(query)[:2] == ["shapes", "shape_names"]
    read, warnings = View.from_query({key: [value] for key, value in query.items()}, area_ids=AREAS)
    assert warnings == [] and read == view


def test_a_shape_across_180_degrees_is_continuous_after_its_link():
    shape = Shape("polygon", ((10.0, 179.0), (10.0, 181.0), (12.0, 181.0), (12.0, 179.0)))
    entries, _ = shapes_param([shape])
    assert "_-179_" in entries  # each lon in −180…180 in the link
    (back,), warnings = shapes_from_param(entries, None, [])
    assert back.points == shape.points and warnings == []


def test_bad_entries_are_one_line_naming_each_and_the_others_are_kept():
    entries = "p_34_139_35_139~c_24.4_123_24nmi~x_1_2~l_91_1_2_2~w_D1_3nm~r_30_125_31_126"
    shapes, warnings = shapes_from_param(entries, None, AREAS)
    assert [shape.kind for shape in shapes] == ["rectangle"]
    (warning,) = warnings  # one line for the parameter, as every parameter gets
    assert warning.startswith(
        "Link parameter 'shapes': left out shape 1 ('p_34_139_35_139'): a polygon needs 3"
    )
    assert "shape 2 ('c_24.4_123_24nmi'): '24nmi' is not a distance with its unit" in warning
    assert "shape 3 ('x_1_2'): 'x' is not a kind of shape" in warning
    assert warning.endswith("; and 2 more")
    # Shape 1 was left out: a buffer round it has nothing to be drawn round.
    _, warnings = shapes_from_param("p_34_139_35_139~w_D1_3nm", None, AREAS)
    assert "shape 2 ('w_D1_3nm'): 'D1' is not a named area or an earlier shape" in warnings[0]
    _, warnings = shapes_from_param("l_91_1_2_2", None, AREAS)
    assert "latitude '91' is outside" in warnings[0]


def test_a_rectangle_with_west_and_east_swapped_is_refused_not_taken_round_the_world():
    shapes, warnings = shapes_from_param("r_24_124_25_122~r_10_175_20_-175", None, [])
    assert "358.0000° wide, more than 180°: are its west and east swapped?" in warnings[0]
    assert shapes == (Shape("rectangle", ((10.0, 175.0), (20.0, 185.0))),)  # across 180°


def test_names_in_any_script_take_the_link_once_encoded():
    name = "与那国島 24 nm ~ 100% 〈区域〉"
    shapes = (Shape("circle", ((24.4667, 123.0),), distance=24.0, unit="nm", name=name),)
    entries, names = shapes_param(shapes)
    assert shapes_from_param(entries, names, []) == (shapes, [])
    encoded = urlencode({"shape_names": names})
    assert link_length(shapes) == len(urlencode({"shapes": entries})) + len(encoded) - 19
    # Each character is encoded once by the URL ("与" is 9 characters, not 27); only the "~"
    # and "%" a name holds are escaped first (the "~" separates the names).
    assert encoded.startswith("shape_names=%E4%B8%8E%E9%82%A3")
    assert "+%257E+100%2525+" in encoded


def test_a_buffer_follows_its_shape_when_an_entry_before_it_is_left_out():
    shapes, warnings = shapes_from_param("c_1_2_0nm~c_24_123_3nm~w_D2_1nm", None, [])
    assert len(warnings) == 1 and "between 0 and 2,000 nm" in warnings[0]
    assert shapes[1] == Shape("buffer", distance=1.0, unit="nm", source="D1")


def test_too_long_or_too_many_shapes_are_said():
    entries = "~".join(["c_24_123_3nm"] * (MAX_SHAPES + 1))
    shapes, warnings = shapes_from_param(entries, None, [])
    assert len(shapes) == MAX_SHAPES and "the first 20 are kept" in warnings[0]
    shapes, warnings = shapes_from_param("l_" + "_1" * MAX_SHAPES_LENGTH, None, [])
    assert shapes == () and "characters, more than a view's shapes may take" in warnings[0]


def test_a_drawn_polygon_circle_and_line_become_shapes_rounded_as_the_link_keeps_them():
    features = [
        polygon_feature([(139.551234, 35.05), (140.45, 35.05), (140.45, 34.55)]),
        {
            "type": "Feature",
            "properties": {"radius": 44448.4},
            "geometry": {"type": "Point", "coordinates": [123.0, 24.4667]},
        },
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "LineString",
                "coordinates": [[127.6792, 26.2124], [123.0, 24.4667]],
            },
        },
        polygon_feature([(122.5, 24), (124, 24), (124, 25), (122.5, 25)], kind="rectangle"),
    ]
    update = shapes_from_drawings(features, ())
    assert update.problems == ()
    polygon, circle, line, rectangle = update.shapes
    assert polygon.points[0] == (35.05, 139.5512)
    assert (circle.kind, circle.distance, circle.unit) == ("circle", 44448, "m")
    assert line.points == ((26.2124, 127.6792), (24.4667, 123.0))
    assert rectangle.points == ((24.0, 122.5), (25.0, 124.0))


def test_edits_and_deletions_with_the_drawing_tool_follow_their_ids():
    shapes = (
        Shape("circle", ((24.0, 123.0),), distance=10.0, unit="nm", name="Kept name"),
        BOSO_IZU,
        Shape("buffer", distance=3.0, unit="nm", source="D2"),
        Shape("buffer", distance=3.0, unit="nm", source="D1"),
    )
    edited = {
        "type": "Feature",
        "properties": {"id": "D1", "radius": 30000},
        "geometry": {"type": "Point", "coordinates": [123.5, 24.0]},
    }
    update = shapes_from_drawings([edited], shapes)  # D2 deleted on the map
    # Edited on the map (a radius in metres), it keeps its unit: 30 km is 16.1987 nm.
    assert update.shapes[0] == Shape(
        "circle", ((24.0, 123.5),), distance=16.1987, unit="nm", name="Kept name"
    )
    assert update.shapes[1] == Shape("buffer", distance=3.0, unit="nm", source="D1")
    assert update.problems == ("A buffer round D2 was removed with it",)
    assert update.moved == {"D1": "D1", "D2": None, "D3": None, "D4": "D2"}
    assert moved_ids(["senkaku-uotsuri-12nm", "D2", "D4"], update.moved) == (
        "senkaku-uotsuri-12nm",
        "D2",
    )


def test_removing_a_shape_renumbers_the_rest():
    shapes = (BOSO_IZU, Shape("circle", ((24.0, 123.0),), distance=3.0))
    update = removed(shapes, 0)
    assert update.shapes == (shapes[1],) and update.moved == {"D1": None, "D2": "D1"}


def test_a_bad_drawing_is_a_line_and_the_good_ones_are_kept():
    features = [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
        polygon_feature([(139.0, 35.0), (139.0, 35.0), (139.0, 35.0)]),
        polygon_feature([(139.0, 89.0), (140.0, 35.0), (141.0, 35.0)]),
        {
            "type": "Feature",
            "properties": {"radius": "5"},
            "geometry": {"type": "Point", "coordinates": [1, 2]},
        },
        polygon_feature([(139.0, 35.0), (140.0, 35.0), (140.0, 36.0)]),
    ]
    update = shapes_from_drawings(features, ())
    assert len(update.shapes) == 1
    assert update.problems == (
        "A new shape was not added: it is not a polygon, rectangle, circle or line",
        "A new shape was not added: a polygon needs 3 different vertices or more",
        "A new shape was not added: latitude 89.0000 is outside −85…85",
        "A new shape was not added: its radius is not a number",
    )


def test_a_drawing_of_ten_thousand_vertices_is_too_long_for_a_link():
    ring = [
        (123.0 + math.cos(2 * math.pi * i / 10_000), 24.0 + math.sin(2 * math.pi * i / 10_000))
        for i in range(10_000)
    ]
    update = shapes_from_drawings([polygon_feature(ring)], ())
    assert link_length(update.shapes) > MAX_SHAPES_LENGTH  # the page refuses it: see test_drawn


def test_a_feature_is_read_without_trusting_its_types():
    assert shape_from_feature(polygon_feature([(1, 2), (3, 4), (5, 7)]), name="x").name == "x"


JSONISH = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["type", "geometry", "coordinates", "properties", "radius", "id", "kind"]
            )
            | st.text(max_size=3),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=PROPERTY_EXAMPLES, deadline=None, database=None)
@given(
    st.one_of(
        st.text(alphabet="prclwD0123456789_.-~nmk", max_size=60),
        st.text(max_size=40),
    ),
    st.one_of(st.none(), st.text(max_size=30)),
)
def test_any_shapes_parameter_gives_shapes_or_lines_and_reads_back_the_same(entries, names):
    shapes, warnings = shapes_from_param(entries, names, AREAS)
    assert all(isinstance(w, str) and "\n" not in w for w in warnings)
    written, written_names = shapes_param(shapes)
    assert shapes_from_param(written, written_names, AREAS) == (shapes, [])


@settings(max_examples=PROPERTY_EXAMPLES, deadline=None, database=None)
@given(st.lists(JSONISH, max_size=4))
def test_any_drawing_report_never_raises(features):
    update = shapes_from_drawings(features, (BOSO_IZU,))
    assert all(isinstance(p, str) and "\n" not in p for p in update.problems)
    assert all(
        shape.kind in ("polygon", "rectangle", "circle", "line", "buffer")
        for shape in update.shapes
    )


def test_shapes_the_map_gives_back_unchanged_keep_their_own_form():
    shapes = (Shape("circle", ((24.4667, 123.0),), distance=24.0, unit="nm", name="Yonaguni"),)
    given_back = {
        "type": "Feature",
        "properties": {"id": "D1", "kind": "circle", "radius": 44448.0},
        "geometry": {"type": "Point", "coordinates": [123.0, 24.4667]},
    }
    assert shapes_from_drawings([given_back], shapes).shapes == shapes
    given_back["properties"]["radius"] = 50000.0  # edited on the map: 26.9978 nm
    (edited,) = shapes_from_drawings([given_back], shapes).shapes
    assert (edited.distance, edited.unit, edited.name) == (26.9978, "nm", "Yonaguni")
