"""Downloads: GeoJSON that loads back unchanged, CSV that a spreadsheet cannot run."""

import csv
import io
import json

import pytest
from conftest import collection, event, small_dataset, write_geodata

from layers.export.tables import csv_cell, events_csv, events_geojson
from layers.read.load import load_geodata


def test_geojson_export_loads_back_as_the_same_events(tmp_path):
    root = small_dataset(tmp_path)
    original = load_geodata(root)
    (root / "events" / "a.geojson").write_text(events_geojson(original.events), encoding="utf-8")
    reloaded = load_geodata(root)
    assert reloaded.problems == []
    columns = ["id", "title", "kind", "start", "end", "start_text", "end_text", "nations", "area"]
    assert reloaded.events[columns].equals(original.events[columns])
    assert reloaded.events.geometry.equals(original.events.geometry)


def test_geojson_export_is_rfc7946_shaped(tmp_path):
    events = load_geodata(small_dataset(tmp_path)).events
    document = json.loads(events_geojson(events))
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document
    point = next(f for f in document["features"] if f["properties"]["id"] == "boso")
    assert point["geometry"] == {"type": "Point", "coordinates": [139.8, 34.8]}
    assert "end" not in point["properties"]


def test_csv_has_one_row_per_event_with_lists_joined(tmp_path):
    events = load_geodata(small_dataset(tmp_path)).events
    rows = list(csv.DictReader(io.StringIO(events_csv(events))))
    assert [row["id"] for row in rows] == list(events["id"])
    transit = next(row for row in rows if row["id"] == "strait-transit")
    assert transit["nations"] == "CAN;USA"
    assert transit["geometry_type"] == "LineString"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Plain title", "Plain title"),
        (-12.5, -12.5),
    ],
)
def test_csv_cells_that_look_like_formulas_are_defused(value, written):
    assert csv_cell(value) == written


def test_csv_export_defuses_formula_titles(tmp_path):
    root = write_geodata(
        tmp_path, {"e.geojson": collection(event("x", title="=cmd|' /C calc'!A0"))}
    )
    text = events_csv(load_geodata(root).events)
    assert "\n=cmd" not in text and ",=cmd" not in text and "'=cmd" in text


def test_zones_are_in_both_downloads_and_the_geojson_loads_back(tmp_path):
    root = small_dataset(tmp_path)
    original = load_geodata(root)
    events = original.events.copy()
    events["zones"] = [
        (("senkaku-territorial-sea", "in"), ("taiwan-strait-median-line", "possibly"))
    ] + [()] * (len(events) - 1)
    document = json.loads(events_geojson(events))
    first = document["features"][0]["properties"]
    assert first["zones"] == [
        {"area": "senkaku-territorial-sea", "status": "in"},
        {"area": "taiwan-strait-median-line", "status": "possibly"},
    ]
    assert all("zones" not in f["properties"] for f in document["features"][1:])
    rows = list(csv.DictReader(io.StringIO(events_csv(events))))
    assert rows[0]["zones"] == "senkaku-territorial-sea:in;taiwan-strait-median-line:possibly"
    assert rows[1]["zones"] == ""
    # The loader ignores the computed zones on re-load: no problem, the same events.
    (root / "events" / "a.geojson").write_text(events_geojson(events), encoding="utf-8")
    reloaded = load_geodata(root)
    assert reloaded.problems == []
    assert list(reloaded.events["id"]) == list(original.events["id"])


def test_counts_go_into_both_downloads_and_the_geojson_loads_back(tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event("report", counts={"aircraft": 45, "median_line_crossings": 12}),
                event("quiet", counts={"aircraft": 0}),
                event("plain"),
            )
        },
    )
    original = load_geodata(root)
    document = json.loads(events_geojson(original.events))
    written = {f["properties"]["id"]: f["properties"].get("counts") for f in document["features"]}
    assert written == {
        "report": {"aircraft": 45, "median_line_crossings": 12},
        "quiet": {"aircraft": 0},
        "plain": None,
    }
    (root / "events" / "e.geojson").write_text(events_geojson(original.events), encoding="utf-8")
    reloaded = load_geodata(root)
    assert reloaded.problems == []
    assert reloaded.events["counts"].tolist() == original.events["counts"].tolist()
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(events_csv(original.events)))}
    # One column per count; an event that gives none has an empty cell, never 0.
    cells = {
        event_id: (row["counts.aircraft"], row["counts.median_line_crossings"])
        for event_id, row in rows.items()
    }
    assert cells == {"report": ("45", "12"), "quiet": ("0", ""), "plain": ("", "")}


def test_times_of_day_go_out_and_come_back_as_written(tmp_path):
    timed = [
        event("tokyo-morning", start="2024-07-19T08:00+09:00", end="2024-07-19T17:30:15+09:00"),
        event("utc-night", start="2024-07-18T22:00Z", end="2024-07-20"),
    ]
    root = write_geodata(tmp_path, {"t.geojson": collection(*timed)})
    original = load_geodata(root)
    rows = list(csv.DictReader(io.StringIO(events_csv(original.events))))
    assert [(row["start"], row["end"]) for row in rows] == [
        ("2024-07-18T22:00Z", "2024-07-20"),
        ("2024-07-19T08:00+09:00", "2024-07-19T17:30:15+09:00"),
    ]
    (root / "events" / "t.geojson").write_text(events_geojson(original.events), encoding="utf-8")
    reloaded = load_geodata(root)
    columns = ["id", "start", "end", "start_text", "end_text"]
    assert reloaded.problems == [] and reloaded.events[columns].equals(original.events[columns])


def test_a_warnings_windows_go_out_in_both_exports_and_load_back(tmp_path):
    windows = [
        {"start": "2026-08-24T01:00Z", "end": "2026-08-24T13:00Z"},
        {"start": "2026-08-25T01:00Z", "end": "2026-08-25T13:00Z"},
    ]
    warning = event(
        "w", kind="launch", start="2026-08-24T01:00Z", end="2026-08-25T13:00Z", windows=windows
    )
    root = write_geodata(tmp_path / "in", {"w.geojson": collection(warning, event("plain"))})
    events = load_geodata(root).events
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(events_csv(events)))}
    assert rows["w"]["windows"] == (
        "2026-08-24T01:00Z/2026-08-24T13:00Z;2026-08-25T01:00Z/2026-08-25T13:00Z"
    )
    assert rows["plain"]["windows"] == ""
    again = write_geodata(tmp_path / "out", {"w.geojson": json.loads(events_geojson(events))})
    reloaded = load_geodata(again)
    assert reloaded.problems == []
    assert reloaded.events.set_index("id")["windows"]["w"] == tuple(
        (window["start"], window["end"]) for window in windows
    )


def test_sides_go_out_in_both_exports_and_load_back(tmp_path):
    events = [
        event("buoy", kind="incident", nations=["CHN", "JPN"], sides=[["CHN"], ["JPN"]]),
        event("transit", kind="transit", nations=["CAN", "USA"], sides=[["CAN", "USA"]]),
        # Written wrong: loaded as sides not known, which must come back as not known, not as
        # no sides (an exercise without sides would count its nations together).
        event("typo", nations=["CHN", "JPN"], sides=[["CHN"], ["JPM"]]),
        event("plain"),
    ]
    root = write_geodata(tmp_path / "in", {"s.geojson": collection(*events)})
    original = load_geodata(root).events
    rows = {row["id"]: row["sides"] for row in csv.DictReader(io.StringIO(events_csv(original)))}
    assert rows == {"buoy": "CHN vs JPN", "transit": "CAN+USA", "typo": "not known", "plain": ""}
    again = write_geodata(tmp_path / "out", {"s.geojson": json.loads(events_geojson(original))})
    reloaded = load_geodata(again)
    assert reloaded.problems == []
    assert reloaded.events.set_index("id")["sides"].to_dict() == {
        "buoy": (("CHN",), ("JPN",)),
        "transit": (("CAN", "USA"),),
        "typo": (),
        "plain": None,
    }
