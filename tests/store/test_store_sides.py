"""Who works with whom on the shared store (EVENTS_DB), through AppTest: the sides travel
through the store to the matrix, the confronted list and the new partners."""

import pyarrow as pa
import pytest
from conftest import REPO, collection, event, write_geodata
from streamlit.testing.v1 import AppTest

from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore

APP = str(REPO / "dashboard.py")


@pytest.fixture
def store_app(events_db, tmp_path, monkeypatch):
    events = [
        event("port-call-2023", kind="port_call", start="2023-08", nations=["TWN", "JPN"]),
        event(
            "buoy",
            kind="incident",
            start="2023-07",
            nations=["CHN", "JPN"],
            sides=[["CHN"], ["JPN"]],
        ),
        event(
            "ccg-presence",
            kind="incident",
            start="2024-01",
            nations=["CHN", "JPN"],
            sides=[["CHN"], ["JPN"]],
        ),
        event("drill", start="2024-07-18", nations=["JPN", "TWN", "USA"]),
    ]
    root = write_geodata(tmp_path / "geodata", {"e.geojson": collection(*events)})
    with PostgisStore(events_db) as store:
        store.import_geodata(load_geodata(root))
    monkeypatch.setenv("EVENTS_DB", events_db)
    monkeypatch.setenv("GEODATA_DIR", str(tmp_path / "not-used"))

    def start(**query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run().run()
        at.session_state["open_partners"] = True
        return at.run()

    return start


def test_the_store_counts_the_senkaku_incidents_as_china_against_japan(store_app):
    at = store_app(start="2024-01")
    assert not at.exception
    chart = at.get("vega_lite_chart")[1]
    cells = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    pairs = {(row, col) for row, col in zip(cells["row"], cells["col"])}
    assert ("CHN", "JPN") not in pairs and ("JPN", "TWN") in pairs
    confronted = next(frame.value for frame in at.dataframe if "against" in frame.value.columns)
    assert confronted.to_dict("records") == [
        {"nation": "China (CHN)", "against": "Japan (JPN)", "events": 1}
    ]
    # New partners from 2024-01, against the store's events before it: Japan and Taiwan met
    # at the 2023 port call; the buoy made China no partner of Japan's.
    partners = next(frame.value for frame in at.dataframe if "new partners" in frame.value)
    assert list(zip(partners["nation"], partners["who"])) == [
        ("United States (USA)", "Japan, Taiwan"),
        ("Japan (JPN)", "United States"),
        ("Taiwan (TWN)", "United States"),
    ]
