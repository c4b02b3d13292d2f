"""The dashboard as an analyst drives it, through Streamlit's AppTest (no browser)."""

import pytest
from conftest import REPO, collection, event, small_dataset, write_geodata
from streamlit.testing.v1 import AppTest

APP = str(REPO / "dashboard.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    def start(root=None, **query):
        monkeypatch.setenv("GEODATA_DIR", str(root or small_dataset(tmp_path / "geodata")))
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()

    return start


def table_ids(at):
    return list(at.dataframe[0].value["id"])


def multiselect(at, label):
    return next(widget for widget in at.multiselect if widget.label.startswith(label))


def test_the_dashboard_shows_every_event_in_the_table(app):
    at = app()
    assert not at.exception
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]
    assert at.sidebar.metric[0].value == "3 of 3"


def test_choosing_a_nation_filters_the_table_and_writes_the_url(app):
    at = app()
    multiselect(at, "Participating nations").select("CAN").run()
    assert table_ids(at) == ["strait-transit"]
    assert at.sidebar.metric[0].value == "1 of 3"
    assert at.query_params["nations"] == "CAN"


def test_kinds_and_months_filter_together(app):
    at = app()
    multiselect(at, "Kinds").select("incident").select("exercise").run()
    assert table_ids(at) == ["ccg-senkaku", "boso"]
    at.select_slider[0].set_value(("2024-06", "2024-07")).run()
    assert table_ids(at) == ["boso"]
    assert at.query_params["start"] == "2024-06"


def test_nations_all_requires_every_nation(app):
    at = app(nations="CAN,USA", match="all")
    assert table_ids(at) == ["strait-transit"]
    at.radio[0].set_value("any").run()
    multiselect(at, "Participating nations").select("JPN").run()
    assert table_ids(at) == ["strait-transit", "boso"]


def test_an_empty_result_says_so_instead_of_breaking(app):
    at = app(kinds="port_call")
    assert not at.exception
    assert any("No events match" in info.value for info in at.info)
    assert len(at.dataframe[0].value) == 0


def test_data_problems_are_listed_naming_the_file_and_valid_events_still_show(app, tmp_path):
    root = write_geodata(
        tmp_path / "bad",
        {
            "good.geojson": collection(event("fine")),
            "broken.geojson": '{"type": "FeatureCollection", "features": [',
            "mixed.geojson": collection(event("no-date", start="2024-13-01"), event("ok-too")),
        },
    )
    at = app(root)
    assert not at.exception
    assert table_ids(at) == ["fine", "ok-too"]
    text = " ".join(warning.value for warning in at.warning)
    assert "events/broken.geojson: not valid JSON" in text
    assert 'events/mixed.geojson: feature "no-date" (#1): start:' in text


def test_a_link_opens_its_event_details(app):
    at = app(event="boso")
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "JCG and Taiwan CGA joint exercise" in html
    assert "18 July 2024" in html


def test_a_bad_link_parameter_warns_and_keeps_the_rest(app):
    at = app(nations="JPN,XXX", kinds="transit", zoom="99")
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Link parameter 'nations'") for w in warnings)
    assert any(w.startswith("Link parameter 'zoom'") for w in warnings)
    assert table_ids(at) == ["strait-transit"]


def test_reset_returns_to_the_default_view(app):
    at = app(kinds="transit")
    assert table_ids(at) == ["strait-transit"]
    next(b for b in at.sidebar.button if b.label == "Reset view").click().run()
    assert len(table_ids(at)) == 3
    assert dict(at.query_params) == {}
