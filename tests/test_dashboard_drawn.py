"""Shapes drawn on the map, through Streamlit's AppTest: a link's shapes are zones for the
filters, the layers and the table; the panel measures, names, buffers and removes them."""

import math
import re

import pytest
from conftest import REPO, small_dataset
from streamlit.testing.v1 import AppTest

APP = str(REPO / "dashboard.py")
# A polygon round the Boso peninsula and Izu Ōshima, wide enough that the test data's Boso
# event (known to within 40 km) is in it, not only possibly.
BOSO_IZU = "p_35.6_138.9_35.6_140.9_33.9_140.9_33.9_138.9"


@pytest.fixture
def app(tmp_path, monkeypatch):
    def start(**query):
        monkeypatch.setenv("GEODATA_DIR", str(small_dataset(tmp_path / "geodata")))
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at.run().run()

    return start


def table_ids(at):
    frame = next(f.value for f in at.dataframe if {"title", "file"} <= set(f.value.columns))
    return list(frame["id"])


def test_a_links_drawn_polygon_filters_the_table_and_stays_in_the_link(app):
    at = app(shapes=BOSO_IZU, shape_names="Boso and Izu Ōshima", zones="D1", layers="D1")
    assert not at.exception
    assert table_ids(at) == ["boso"]
    zones = next(w for w in at.multiselect if w.label == "Zones")
    assert zones.value == ["D1"]
    assert zones.format_func("D1") == "Boso and Izu Ōshima"
    assert at.query_params["shapes"] == BOSO_IZU
    panel = next(e for e in at.main.expander if e.label.startswith("Drawn shapes"))
    texts = " ".join(m.value for m in panel.markdown)
    assert re.search(r"area 34,[0-9]{3} km² \\\(10,[0-9]{3} nm²\\\)", texts)  # 1.7° × 2° at 35°N
    assert any("1 in it, 0 possibly" in c.value for c in panel.caption)


def test_a_buffer_round_a_named_area_is_added_to_the_zones_and_the_link(app):
    at = app()
    at.selectbox(key="buffer_source").set_value("boso-south-waters")
    at.number_input(key="buffer_distance").set_value(60.0)
    next(b for b in at.button if b.label == "Add the buffer").click()
    at.run()
    assert not at.exception
    assert at.query_params["shapes"] == "w_boso-south-waters_60nm"
    assert at.query_params["zones"] == "D1"
    assert table_ids(at) == ["boso"]


def test_removing_a_shape_takes_it_out_of_the_zones_and_the_link(app):
    at = app(shapes=f"{BOSO_IZU}~c_24.45_122.95_30nm", zones="D1,D2")
    next(b for b in at.button if b.key and b.key.startswith("shape_remove_0")).click()
    at.run()
    assert not at.exception
    assert at.query_params["shapes"] == "c_24.45_122.95_30nm"
    assert at.query_params["zones"] == "D1"


def test_a_bad_shape_in_a_link_is_one_warning_and_the_rest_shows(app):
    at = app(shapes=f"{BOSO_IZU}~p_25_123_26_124_25_124_26_123~c_1_2_3", zones="D1")
    assert not at.exception
    assert table_ids(at) == ["boso"]
    warnings = [w.value for w in at.warning] + [str(e.value) for e in at.error]
    text = " ".join(warnings).replace("\\", "")  # as the page shows the escaped text
    assert "shape 3 ('c_1_2_3')" in text
    assert "Drawn polygon D2 is not used as a zone: its edges cross each other" in text


def test_activity_by_area_and_the_table_count_a_drawn_zone(app):
    at = app(shapes=BOSO_IZU, shape_names="Boso and Izu Ōshima")
    assert not at.exception
    frame = next(f.value for f in at.dataframe if {"title", "file"} <= set(f.value.columns))
    zones = dict(zip(frame["id"], frame["zones"], strict=True))
    assert "Boso and Izu Ōshima" in zones["boso"]
    assert "Boso and Izu Ōshima" not in zones["ccg-senkaku"]
    at.session_state["open_areas"] = True  # the analyst opens *Activity by area*
    at.run()
    section = next(e for e in at.main.expander if e.label == "Activity by area")
    (chart,) = section.get("vega_lite_chart")
    assert "Boso and Izu" in chart.proto.spec  # a row for the drawn zone


def drawn(at, *rings, kind="polygon"):
    """The map's drawing tool reports these polygons (lon, lat rings), as st_folium does."""
    features = [
        {
            "type": "Feature",
            "properties": {"kind": kind},
            "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        }
        for ring in rings
    ]
    at.session_state["map"] = {"all_drawings": features}
    return at.run()


def test_a_drawing_of_ten_thousand_vertices_is_refused_with_a_line(app):
    at = app()
    ring = [
        [123 + math.cos(2 * math.pi * i / 10_000), 24 + math.sin(2 * math.pi * i / 10_000)]
        for i in range(10_000)
    ]
    drawn(at, ring)
    assert not at.exception
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("The new drawing was not kept: the view's shapes would take 16")
    assert "more than the 6,000 a link may give them" in warning
    assert "shapes" not in at.query_params
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]


def test_a_self_crossing_drawing_is_a_line_and_the_page_stands(app):
    at = app()
    drawn(at, [[123, 25], [124, 26], [124, 25], [123, 26]])
    assert not at.exception
    text = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Drawn polygon D1 is not used as a zone: its edges cross each other near" in text
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]


def test_a_drawing_across_180_degrees_is_kept_whole_and_its_zone_is_split(app):
    at = app()
    # Drawn east of 180° on the Pacific-centred map: lons above 180.
    drawn(at, [[170, 20], [190, 20], [190, 30], [170, 30]])
    assert not at.exception
    assert at.query_params["shapes"] == "p_20_170_20_-170_30_-170_30_170"
    assert at.query_params["zones"] == "D1"
    assert table_ids(at) == []  # no test event lies near 180°
    # 20° by 10° at 20–30°N: about 2.2 million km², whole (a zone cut at 180° and measured
    # as two would be right too, but a polygon taken the long way round would be 50 times it).
    assert any(m.value.startswith("area 2,2") for m in at.main.markdown)


def test_the_comparison_and_the_change_map_follow_a_drawn_zone(app):
    at = app(
        shapes=BOSO_IZU,
        shape_names="Boso and Izu Ōshima",
        zones="D1",
        start="2024-07",
        end="2024-07",
        compare="2024-05..2024-06",
        show="change",
    )
    assert not at.exception
    assert table_ids(at) == ["boso"]
    section = next(e for e in at.main.expander if e.label == "Compare two periods")
    (table,) = [frame.value for frame in section.dataframe]
    # The drawn zone is a row of the comparison, as the named area it covers is.
    assert list(table["area"]) == ["Boso and Izu Ōshima", "Southern Boso Peninsula waters"]


def test_renaming_a_shape_keeps_it_in_the_zones_and_layers(app):
    at = app(shapes=BOSO_IZU, zones="D1")
    assert table_ids(at) == ["boso"]
    name = next(box for box in at.text_input if box.label == "Name")
    name.input("Strait box").run()
    at.checkbox(key="possibly").check().run()  # any other widget after the rename
    assert not at.exception
    assert at.query_params["zones"] == "D1"
    assert at.query_params["shape_names"] == "Strait box"
    assert table_ids(at) == ["boso"]
    assert multiselect_value(at, "Zones") == ["D1"]
    assert "D1" in multiselect_value(at, "Map layers")


def multiselect_value(at, label):
    return next(widget for widget in at.multiselect if widget.label.startswith(label)).value
