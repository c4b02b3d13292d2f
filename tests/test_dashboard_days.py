"""Days as well as months in the sidebar and the link, through Streamlit's AppTest."""

import datetime as dt

import pytest
from conftest import REPO, collection, event, write_geodata
from streamlit.testing.v1 import AppTest

APP = str(REPO / "dashboard.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    root = write_geodata(
        tmp_path / "geodata",
        {
            "t.geojson": collection(
                event("june", start="2024-06-20"),
                event("before", start="2024-07-17"),
                # 08:00 in Japan on 19 July is 23:00 UTC on 18 July: on 19 July as written.
                event("tokyo-morning", start="2024-07-19T08:00+09:00"),
                event("later", start="2024-07-25", end="2024-07-26"),
            )
        },
    )
    monkeypatch.setenv("GEODATA_DIR", str(root))

    def start(**query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at.run().run()  # the second run stands in for the map's first report

    return start


def table_ids(at):
    table = next(f.value for f in at.dataframe if {"title", "file"} <= set(f.value.columns))
    return list(table["id"])


def days_box(at):
    return next(box for box in at.checkbox if box.label == "Choose days")


def test_a_link_with_days_opens_with_those_days_and_their_events(app):
    at = app(start="2024-07-18", end="2024-07-19")
    assert not at.exception
    assert days_box(at).value is True
    assert table_ids(at) == ["tokyo-morning"]
    assert at.sidebar.metric[0].value == "1"
    assert any(caption.value == "2 days" for caption in at.sidebar.caption)
    assert (at.query_params["start"], at.query_params["end"]) == ("2024-07-18", "2024-07-19")


def test_choosing_days_starts_from_the_months_and_going_back_keeps_their_months(app):
    at = app(start="2024-07")
    assert days_box(at).value is False and table_ids(at) == ["before", "tokyo-morning", "later"]
    days_box(at).check().run()
    # July, within the data's days (the last event ends on the 26th).
    picker = next(box for box in at.date_input if box.label.startswith("Days"))
    assert picker.value == (dt.date(2024, 7, 1), dt.date(2024, 7, 26))
    assert (at.query_params["start"], at.query_params["end"]) == ("2024-07-01", "2024-07-26")
    picker.set_value((dt.date(2024, 7, 20), dt.date(2024, 7, 25))).run()
    assert table_ids(at) == ["later"]
    assert (at.query_params["start"], at.query_params["end"]) == ("2024-07-20", "2024-07-25")
    days_box(at).uncheck().run()
    assert table_ids(at) == ["before", "tokyo-morning", "later"]
    assert at.query_params["start"] == "2024-07" and "end" not in at.query_params
