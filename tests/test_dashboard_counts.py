"""Counts on the page, through Streamlit's AppTest: the daily-report example converted with its
[counts] mapping, and `measure=aircraft`: the headline adds up the aircraft column and says the
report that gives none; the timeline, the analyses and the table add up aircraft."""

from __future__ import annotations

import csv
import io
import shutil

import pyarrow as pa
import pytest
from conftest import REPO, collection, event, write_geodata
from streamlit.testing.v1 import AppTest

from layers.export.tables import events_geojson
from layers.read.load import load_geodata
from layers.read.mapping import import_table, parse_mapping
from layers.read.sources import read_source

APP = str(REPO / "dashboard.py")
EXAMPLES = REPO / "docs/examples/import"
REPORTS = (EXAMPLES / "daily-reports.csv").read_text(encoding="utf-8")
ROWS = list(csv.DictReader(io.StringIO(REPORTS)))
AIRCRAFT = {row["Date"].replace("/", "-"): row["Aircraft total"] for row in ROWS}


def daily_reports(root):
    """A data directory: the repository's named areas and the daily-report example, converted
    with its mapping (as `python -m layers.convert` does)."""
    areas = load_geodata(REPO / "geodata").areas
    table = read_source("daily-reports.csv", REPORTS.encode("utf-8"), "daily-reports.csv")
    mapping = parse_mapping((EXAMPLES / "daily-reports.mapping.toml").read_text("utf-8"))
    events, problems = import_table(table, mapping, "daily-reports.csv", areas)
    assert problems == []
    (root / "events").mkdir(parents=True)
    (root / "events" / "daily-reports.geojson").write_text(events_geojson(events), "utf-8")
    shutil.copytree(REPO / "geodata" / "areas", root / "areas")
    return root


@pytest.fixture
def app(tmp_path, monkeypatch):
    def start(root=None, **query):
        monkeypatch.setenv("GEODATA_DIR", str(root or daily_reports(tmp_path / "geodata")))
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        # In a browser the map reports its position once drawn, which reruns the script;
        # AppTest has no map, so a second run stands in for that report.
        return at.run().run()

    return start


def charts(at):
    """Every altair chart's datasets, each as a DataFrame, in page order."""
    found = []
    for chart in at.get("vega_lite_chart"):
        found.append(
            [
                pa.ipc.open_stream(data.data.data).read_all().to_pandas()
                for data in chart.proto.datasets
            ]
        )
    return found


def timeline_bars(at):
    """The timeline's bars: the dataset with a kind per row."""
    return next(frame for frame in charts(at)[0] if "kind" in frame.columns)


def captions(at):
    return [caption.value for caption in at.caption]


def test_with_measure_aircraft_the_headline_is_the_sum_of_the_aircraft_column(app):
    at = app(measure="aircraft")
    assert not at.exception
    total = sum(int(cell) for cell in AIRCRAFT.values() if cell)
    given = sum(1 for cell in AIRCRAFT.values() if cell)
    metric = at.sidebar.metric[0]
    assert (metric.label, metric.value) == ("Aircraft in the events shown", f"{total:,}")
    assert (
        f"{total:,} aircraft in {given} events, of {len(ROWS)} events shown ({len(ROWS)} in "
        "all). 1 event gives no aircraft count."
    ) in [caption.value for caption in at.sidebar.caption]
    assert next(box for box in at.sidebar.selectbox if box.label == "Count").value == "aircraft"


def test_the_timeline_adds_up_aircraft_per_day_with_the_weeks_mean(app):
    at = app(measure="aircraft")
    bars = timeline_bars(at)
    per_day = bars.groupby("day")["value"].sum()
    expected = {day: int(cell) for day, cell in AIRCRAFT.items() if cell}
    assert {day: int(value) for day, value in per_day.items()} == expected
    assert "2024-07-26" not in per_day  # the report without an aircraft figure: no bar, not 0
    mean = next(frame for frame in charts(at)[0] if "mean" in frame.columns)
    week = [int(AIRCRAFT[f"2024-07-{day:02d}"]) for day in range(1, 8)]
    assert mean.set_index("day").loc["2024-07-07", "mean"] == pytest.approx(sum(week) / 7)
    assert any("1 event gives no aircraft count" in line for line in captions(at))


def test_monthly_bars_add_up_aircraft_per_month(app):
    at = app(measure="aircraft")
    bars_per = next(widget for widget in at.get("button_group") if widget.label == "Bars per")
    bars_per.set_value("month").run()
    bars = timeline_bars(at)
    per_month = bars.groupby("month")["value"].sum()
    for month in ("2024-07", "2024-08"):
        expected = sum(int(cell) for day, cell in AIRCRAFT.items() if day[:7] == month and cell)
        assert per_month[month] == expected


def test_counting_events_is_the_default_and_choosing_a_count_writes_the_link(app):
    at = app()
    assert (at.sidebar.metric[0].label, at.sidebar.metric[0].value) == (
        f"Events shown, of {len(ROWS)}",
        str(len(ROWS)),
    )
    assert "measure" not in at.query_params
    count = next(box for box in at.sidebar.selectbox if box.label == "Count")
    assert count.options == [
        "events",
        "aircraft",
        "median-line crossings (median_line_crossings)",
        "ships",
    ]
    count.set_value("ships").run()
    total = sum(int(row["Ships"]) for row in ROWS)
    assert at.sidebar.metric[0].value == f"{total:,}"
    assert at.query_params["measure"] == "ships"
    assert not any("no ships count" in caption.value for caption in at.sidebar.caption)


def test_a_measure_the_data_does_not_give_warns_and_counts_events(app):
    at = app(measure="balloons")
    assert any(
        "Link parameter 'measure': no event in the data gives a count named 'balloons'"
        in warning.value
        for warning in at.warning
    )
    assert at.sidebar.metric[0].label == f"Events shown, of {len(ROWS)}"


def test_events_without_the_count_are_said_in_the_headline_never_counted_as_zero(app, tmp_path):
    root = write_geodata(
        tmp_path / "mixed",
        {
            "e.geojson": collection(
                event("report-1", start="2024-07-01", counts={"aircraft": 45}),
                event("report-2", start="2024-07-02", counts={"aircraft": 0, "ships": 3}),
                event("sighting", start="2024-07-02"),
                event("transit", start="2024-07-03", counts={"ships": 2}),
            )
        },
    )
    at = app(root, measure="aircraft")
    assert at.sidebar.metric[0].value == "45"
    lines = [caption.value for caption in at.sidebar.caption]
    assert (
        "45 aircraft in 2 events, of 4 events shown (4 in all). 2 events give no aircraft count."
        in lines
    )
    table = next(frame.value for frame in at.dataframe if "file" in frame.value.columns)
    column = dict(zip(table["id"], table["aircraft"], strict=True))
    assert column["report-1"] == 45 and column["report-2"] == 0
    assert column["sighting"] is pd_na() and column["transit"] is pd_na()


def pd_na():
    import pandas as pd

    return pd.NA


def test_who_works_with_whom_adds_up_aircraft(app):
    at = app(measure="aircraft")
    at.session_state["open_partners"] = True
    at.run()
    total = sum(int(cell) for cell in AIRCRAFT.values() if cell)
    matrix = next(frames[0] for frames in charts(at)[1:] if "row" in frames[0].columns)
    cells = matrix.set_index(["row", "col"])
    assert cells.loc[("CHN", "CHN"), "events"] == total
    assert cells.loc[("CHN", "CHN"), "description"] == f"China: {total:,} aircraft"
    assert any("1 event gives no aircraft count" in line for line in captions(at))


def senkaku_counts(root):
    """Events in the Senkaku territorial sea (as on file) giving ships counts: two in July,
    one across July and August, one giving none; and one far from it."""
    areas = {path.name: path.read_text("utf-8") for path in (REPO / "geodata/areas").iterdir()}
    exact = {"location_precision_km": None}
    at = {"geometry": {"type": "Point", "coordinates": [123.5, 25.75]}}
    return write_geodata(
        root,
        {
            "s.geojson": collection(
                event("ccg-1", start="2024-07-02", counts={"official_ships": 4}, **exact, **at),
                event("ccg-2", start="2024-07-09", counts={"official_ships": 3}, **exact, **at),
                event(
                    "ccg-span",
                    start="2024-07-30",
                    end="2024-08-02",
                    counts={"official_ships": 2},
                    **exact,
                    **at,
                ),
                event("ccg-none", start="2024-08-05", **exact, **at),
                event("far", start="2024-08-06", counts={"official_ships": 9}, **exact),
            )
        },
        areas,
    )


def test_activity_by_area_adds_up_the_count_in_the_month_that_holds_each_event(app, tmp_path):
    at = app(senkaku_counts(tmp_path / "senkaku"), measure="official_ships")
    at.session_state["open_areas"] = True
    at.run()
    areas = next(frames[0] for frames in charts(at)[1:] if "area" in frames[0].columns)
    cells = areas.set_index(["area", "month"])["events"]
    assert cells[("senkaku-territorial-sea", "2024-07")] == 7
    assert cells[("senkaku-territorial-sea", "2024-08")] == 0
    said = captions(at)
    assert any(
        "1 event giving official ships spans more than one month (2 official ships)" in line
        for line in said
    )
    assert any("1 event gives no official ships count" in line for line in said)


def test_the_comparison_adds_up_the_count_in_each_period(app, tmp_path):
    root = senkaku_counts(tmp_path / "senkaku")
    at = app(root, measure="official_ships", start="2024-08", compare="2024-07")
    table = next(frame.value for frame in at.dataframe if "change" in frame.value)
    rows = {
        (area, kind): (a, b)
        for area, kind, a, b in zip(
            table["area"], table["kind"], table["A 2024-07"], table["B 2024-08"], strict=True
        )
    }
    territorial = next(area for area, _ in rows if area.startswith("Senkaku") and "12 nm" in area)
    assert rows[(territorial, "Exercise")] == (7, 0)
    said = captions(at)
    assert any(line.startswith("A: 1 event giving official ships runs across") for line in said)


def test_an_uploaded_daily_report_list_is_counted_and_removing_it_counts_events_again(app):
    at = app(REPO / "geodata")
    files = [
        (name, (EXAMPLES / name).read_bytes(), "application/octet-stream")
        for name in ("daily-reports.csv", "daily-reports.mapping.toml")
    ]
    at.sidebar.get("file_uploader")[0].set_value(files).run()
    next(button for button in at.button if button.label == "Add to the map").click().run()
    assert not at.exception
    next(box for box in at.sidebar.selectbox if box.label == "Count").set_value("aircraft").run()
    total = sum(int(cell) for cell in AIRCRAFT.values() if cell)
    assert at.sidebar.metric[0].value == f"{total:,}"
    on_file = len(load_geodata(REPO / "geodata").events)
    assert f"{on_file + 1} events give no aircraft count." in " ".join(
        caption.value for caption in at.sidebar.caption
    )
    at.sidebar.get("file_uploader")[0].clear().run()
    assert any(
        "No event gives aircraft counts any more: the figures count events." in info.value
        for info in at.info
    )
    assert at.sidebar.metric[0].label == f"Events shown, of {on_file}"
    assert "measure" not in at.query_params
