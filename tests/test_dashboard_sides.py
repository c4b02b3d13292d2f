"""Who works with whom and who confronted whom on the page (AppTest, no browser), with the
repository's data: the Senkaku incidents give China and Japan on opposite sides."""

from __future__ import annotations

import pyarrow as pa
import pytest
from conftest import REPO, collection, event, write_geodata
from streamlit.testing.v1 import AppTest

APP = str(REPO / "dashboard.py")


@pytest.fixture
def app(monkeypatch):
    def start(root, **query):
        monkeypatch.setenv("GEODATA_DIR", str(root))
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run().run()  # the second run stands in for the map's first report
        at.session_state["open_partners"] = True
        return at.run()

    return start


def matrix_cells(at) -> dict[tuple[str, str], int]:
    chart = at.get("vega_lite_chart")[1]  # 0: the timeline
    cells = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    return {(r, c): int(n) for r, c, n in zip(cells["row"], cells["col"], cells["events"])}


def confronted(at):
    return next(frame.value for frame in at.dataframe if "against" in frame.value.columns)


def captions(at) -> str:
    return "\n".join(caption.value for caption in at.caption)


def test_the_senkaku_incidents_count_as_china_against_japan_not_together(app):
    at = app(REPO / "geodata")
    cells = matrix_cells(at)
    assert ("CHN", "JPN") not in cells and ("JPN", "CHN") not in cells
    assert cells[("CHN", "CHN")] == 4  # China's own events, whatever its side
    # RIMPAC, the maritime cooperative activity and the transit whose one side names both.
    assert cells[("CAN", "USA")] == 3
    table = confronted(at)
    assert table.to_dict("records") == [
        {"nation": "China (CHN)", "against": "Japan (JPN)", "events": 2}
    ]
    said = captions(at)
    assert (
        "any other event without sides (an incident, a transit, a patrol…) counts no pair" in said
    )


def test_an_incident_without_sides_is_said_to_count_in_no_pair(app, tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event("drill", nations=["JPN", "TWN"]),
                event("collision", kind="incident", nations=["CHN", "PHL"]),
            )
        },
    )
    at = app(root)
    cells = matrix_cells(at)
    assert cells[("JPN", "TWN")] == 1 and ("CHN", "PHL") not in cells
    assert cells[("CHN", "CHN")] == cells[("PHL", "PHL")] == 1
    assert (
        "1 shown event with several nations says no sides that pair them: counted on the "
        "diagonal only, neither together nor against each other." in captions(at)
    )
    assert "No shown event says who stood against whom" in captions(at)


def test_an_uploaded_mappings_sides_reach_the_imported_events(monkeypatch, tmp_path):
    """The import form has no widgets for side_a and side_b: an uploaded mapping's must reach
    the events added to the map, not be dropped (China and Japan would then be an incident
    without sides)."""
    text = "What,Date,Nations,Initiator,Target,Lat,Lon\nBuoy,2023-07,CHN;JPN,China,Japan,25.9,123\n"
    mapping = """[source]
title = "Incident tracker"
[fields]
title = { column = "What" }
kind = { value = "incident" }
start = { column = "Date" }
nations = { column = "Nations", split = ";" }
side_a = { column = "Initiator" }
side_b = { column = "Target" }
[geometry]
lat = "Lat"
lon = "Lon"
"""
    root = write_geodata(tmp_path, {"e.geojson": collection(event("drill"))})
    monkeypatch.setenv("GEODATA_DIR", str(root))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run().run()
    files = [("tracker.csv", text.encode(), "text/csv"), ("tracker.toml", mapping.encode(), "x")]
    at.sidebar.get("file_uploader")[0].set_value(files).run()
    assert not at.exception
    next(button for button in at.button if button.label == "Add to the map").click().run()
    (imported,) = at.session_state["imported"].values()
    assert imported["upload"].events["sides"].tolist() == [(("CHN",), ("JPN",))]
