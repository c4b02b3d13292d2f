"""One event of many rows (a mapping's group), and GPX and KML tracks with their times."""

from __future__ import annotations

import pytest
from conftest import REPO

from layers.read.load import load_geodata
from layers.read.mapping import MappingError, import_table, mapping_toml, parse_mapping
from layers.read.sources import read_source

EXAMPLES = REPO / "docs/examples/import"
AREAS = load_geodata(REPO / "geodata").areas
GROUPED = """
[source]
title = "Test positions"
[fields]
id = { template = "inc-{Incident}" }
title = { column = "Title" }
kind = { value = "incident" }
nations = { column = "Flag" }
forces = { column = "Ship" }
summary = { column = "Note" }
[geometry]
lat = "Lat"
lon = "Lon"
group = "Incident"
time = "Time"
"""
HEADER = "Incident,Title,Flag,Ship,Note,Time,Lat,Lon"


def run(csv_text: str, mapping_text: str = GROUPED, name: str = "list.csv"):
    table = read_source(name, csv_text.encode("utf-8"), name)
    return import_table(table, parse_mapping(mapping_text), name, AREAS)


def example(name: str):
    path = next(path for path in EXAMPLES.glob(f"{name}.*") if path.suffix != ".toml")
    table = read_source(path.name, path.read_bytes(), path.name)
    mapping = parse_mapping((EXAMPLES / f"{name}.mapping.toml").read_text(encoding="utf-8"))
    events, problems = import_table(table, mapping, path.name, AREAS)
    return events.set_index("id"), problems


def test_an_incident_list_of_ais_positions_gives_one_event_per_incident_with_its_times():
    events, problems = example("incident-tracks")
    assert problems == []
    assert list(events.index) == ["incident-inc-031", "incident-inc-044", "incident-inc-052"]
    assert events["kind"].tolist() == ["incident"] * 3
    assert events["geometry"].geom_type.tolist() == ["LineString"] * 3
    # INC-044: written in Philippine time (+08:00) and listed out of order; kept in time
    # order, in UTC, each position with its own time.
    inc044 = events.loc["incident-inc-044"]
    assert inc044["coord_times"] == (
        (
            "2024-07-02T21:00Z",
            "2024-07-02T21:30Z",
            "2024-07-02T22:00Z",
            "2024-07-02T22:30Z",
            "2024-07-02T23:00Z",
            "2024-07-02T23:30Z",
        ),
    )
    # The position at 21:30Z is the row written "2024-07-03T05:30+08:00" (row 10).
    assert list(inc044.geometry.coords)[1] == (117.4375, 15.0646)
    # Start and end: the first and last times as the rows write them, in their own zone, so
    # the event is dated 3 July as the list dates it.
    assert (inc044["start_text"], inc044["end_text"]) == (
        "2024-07-03T05:00+08:00",
        "2024-07-03T07:30+08:00",
    )
    assert str(inc044["start"].date()) == "2024-07-03"
    inc052 = events.loc["incident-inc-052"]
    assert (inc052["start_text"], inc052["end_text"]) == ("2024-08-09T21:00Z", "2024-08-10T02:00Z")
    assert inc052["coord_times"][0][0] == "2024-08-09T21:00Z"
    assert list(inc052.geometry.coords)[0] == (123.9514, 25.9508)
    # The note given once; the ship gathered; the source's link.
    inc031 = events.loc["incident-inc-031"]
    assert inc031["summary"] == "Fictional example: positions every 20 minutes from AIS."
    assert inc031["forces"] == ["CCG 5901 (fictional)"]
    assert [source["url"] for source in inc031["sources"]] == [
        "https://www.example.org/incidents/031"
    ]
    assert len(inc031["coord_times"][0]) == len(inc031.geometry.coords) == 7


def test_an_ais_list_is_cut_into_voyages_at_the_gap_the_mapping_gives():
    events, problems = example("vessel-positions")
    assert problems == []
    times = events["coord_times"].to_dict()
    assert times == {
        "ais-416999001": (
            tuple(f"2024-05-20T{t}:00Z" for t in ("00:00", "00:30", "01:00", "01:30", "02:00")),
        ),
        "ais-416999001-2": (
            tuple(f"2024-05-20T{t}:00Z" for t in ("12:00", "12:30", "13:00", "13:30")),
        ),
        "ais-416999002": (
            tuple(f"2024-05-20T{t}:00Z" for t in ("03:00", "03:45", "04:30", "05:15")),
        ),
    }
    assert events.loc["ais-416999001-2", "title"] == "CGA PATROL 9 (fictional) (AIS track)"


def test_a_gpx_track_is_one_event_with_its_times_offsets_in_utc():
    events, problems = example("patrol-track")
    assert problems == []
    (track,) = events.itertuples()
    assert track.geometry.geom_type == "MultiLineString"
    assert track.coord_times == (
        (
            "2024-05-21T23:30:00Z",
            "2024-05-22T00:10:00Z",
            "2024-05-22T00:50:00Z",
            "2024-05-22T01:30:00Z",
        ),
        # Written at +08:00 in the file.
        (
            "2024-05-22T02:15:00Z",
            "2024-05-22T03:00:00Z",
            "2024-05-22T03:45:00Z",
            "2024-05-22T04:30:00Z",
        ),
    )
    # The GPX reader's start_time and end_time: the first and last times as the file writes them.
    assert (track.start_text, track.end_text) == (
        "2024-05-21T23:30:00Z",
        "2024-05-22T12:30:00+08:00",
    )


def test_a_kml_gx_track_is_one_event_with_its_times():
    events, problems = example("survey-track")
    assert problems == []
    (track,) = events.itertuples()
    assert track.coord_times == (
        tuple(f"2024-09-02T{h}:00Z" for h in ("06:00", "07:00", "08:00", "09:30", "11:00")),
    )
    assert list(track.geometry.coords)[-1] == (126.35, 25.25)


def test_a_track_time_without_a_zone_in_a_gpx_file_is_said_never_taken_as_utc():
    raw = (
        (EXAMPLES / "patrol-track.gpx")
        .read_text()
        .replace("<time>2024-05-22T00:10:00Z</time>", "<time>2024-05-22T00:10:00</time>")
    )
    table = read_source("t.gpx", raw.encode(), "t.gpx")
    mapping = parse_mapping((EXAMPLES / "patrol-track.mapping.toml").read_text())
    events, problems = import_table(table, mapping, "t.gpx", AREAS)
    assert events["coord_times"].tolist() == [()]
    assert [str(problem) for problem in problems] == [
        "t.gpx: feature #2: coordTimes: "
        'line 1: position 2: "2024-05-22T00:10:00" has no time zone: write Z (UTC) or an '
        "offset such as +09:00; a time without one is never taken as UTC; ignored (the event "
        "is shown without times)"
    ]


def test_rows_that_disagree_on_a_field_of_one_value_leave_their_event_out_naming_them():
    events, problems = run(
        f"{HEADER}\n"
        "A,Buoys laid,CHN,CCG 1,,2024-07-18T01:00Z,25.0,124.0\n"
        "A,Buoys laid,CHN,CCG 2,,2024-07-18T02:00Z,25.1,124.1\n"
        "A,Buoys removed,CHN,CCG 1,,2024-07-18T03:00Z,25.2,124.2\n"
        "B,Survey,CHN,Ship B,,2024-07-19T01:00Z,25.0,125.0\n"
    )
    assert events["id"].tolist() == ["inc-b"]
    assert [str(problem) for problem in problems] == [
        'list.csv: Incident "A" (rows 2–4): title: the rows of one event disagree: row 2 gives '
        '"Buoys laid", row 4 gives "Buoys removed" (2 values); give one value, or leave it '
        "empty in the other rows"
    ]


def test_lists_gather_and_a_value_given_once_stands_for_the_group():
    events, _ = run(
        f"{HEADER}\n"
        "A,Buoys laid,CHN,CCG 1,Seen from the air.,2024-07-18T01:00Z,25.0,124.0\n"
        "A,,CHN,CCG 2,,2024-07-18T02:00Z,25.1,124.1\n"
        "A,Buoys laid,,CCG 1,,2024-07-18T03:00Z,25.2,124.2\n"
    )
    (event,) = events.itertuples()
    assert (event.title, event.summary, event.nations) == (
        "Buoys laid",
        "Seen from the air.",
        ["CHN"],
    )
    assert event.forces == ["CCG 1", "CCG 2"]


def test_a_row_that_cannot_be_read_is_left_out_of_its_track_the_rest_loads():
    events, problems = run(
        f"{HEADER}\n"
        "A,Buoys,CHN,CCG 1,,2024-07-18T01:00Z,25.0,124.0\n"
        "A,Buoys,CHN,CCG 1,,2024-07-18T02:00,25.1,124.1\n"
        "A,Buoys,CHN,CCG 1,,2024-07-18T03:00Z,north,124.2\n"
        "A,Buoys,CHN,CCG 1,,2024-07-18T04:00Z,25.3,124.3\n"
    )
    assert events.iloc[0]["coord_times"] == (("2024-07-18T01:00Z", "2024-07-18T04:00Z"),)
    assert [(problem.feature, problem.field) for problem in problems] == [
        ("row #3", "time"),
        ("row #4", "lat"),
    ]
    assert problems[0].message.startswith('"2024-07-18T02:00" has no time zone')
    assert problems[0].message.endswith('; left out of its event (group "A")')


def test_a_group_of_one_position_is_a_point_at_its_time():
    events, problems = run(f"{HEADER}\nA,Buoys,CHN,CCG 1,,2024-07-18T23:30-05:00,25.0,124.0\n")
    assert problems == []
    (event,) = events.itertuples()
    assert (event.geometry.geom_type, event.start_text, event.coord_times) == (
        "Point",
        "2024-07-18T23:30-05:00",
        (),
    )


def test_without_time_the_rows_order_is_the_tracks_and_the_dates_span_the_rows():
    mapping = GROUPED.replace('time = "Time"\n', "").replace(
        "[geometry]", 'start = { column = "Time" }\n[geometry]'
    )
    events, problems = run(
        f"{HEADER}\n"
        "A,Buoys,CHN,CCG 1,,2024-07-20,25.2,124.2\n"
        "A,Buoys,CHN,CCG 1,,2024-07-18,25.0,124.0\n"
        "A,Buoys,CHN,CCG 1,,2024-07,25.1,124.1\n",
        mapping,
    )
    assert problems == []
    (event,) = events.itertuples()
    assert list(event.geometry.coords) == [(124.2, 25.2), (124.0, 25.0), (124.1, 25.1)]
    # The earliest start the rows give and the latest end: July 2024, from the 1st to the 31st.
    assert (event.start_text, event.end_text) == ("2024-07", "")
    assert event.coord_times == ()


@pytest.mark.parametrize(
    ("geometry", "said"),
    [
        (
            'lat = "Lat"\nlon = "Lon"\ntime = "Time"',
            "geometry.time orders the positions of a group",
        ),
        (
            'lat = "Lat"\nlon = "Lon"\ngroup = "Incident"\nsplit_gap = "6h"',
            "geometry.split_gap needs time",
        ),
        (
            'lat = "Lat"\nlon = "Lon"\ngroup = "Incident"\ntime = "Time"\nsplit_gap = "6 hours"',
            'geometry.split_gap: "6 hours" is not a duration',
        ),
        (
            'lat = "Lat"\nlon = "Lon"\ngroup = "Incident"\ntime = "Time"\ntime_zone = "UTC"',
            "geometry.time_zone is not a key: the zone of times written without one is [source]",
        ),
        ('area = "taiwan-strait"\ngroup = "Incident"', "each row needs its own position"),
    ],
)
def test_track_keys_that_cannot_work_are_refused_naming_the_key(geometry, said):
    text = GROUPED.split("[geometry]")[0] + "[geometry]\n" + geometry + "\n"
    with pytest.raises(MappingError) as raised:
        parse_mapping(text)
    assert any(said in problem for problem in raised.value.problems), raised.value.problems


def test_with_time_the_dates_come_from_the_times_not_from_fields():
    with pytest.raises(MappingError) as raised:
        parse_mapping(GROUPED.replace("[geometry]", 'start = { column = "Time" }\n[geometry]'))
    assert raised.value.problems == [
        "fields.start: with geometry.time an event's dates are its first and last times; leave "
        "start out"
    ]


@pytest.mark.parametrize(
    "name", ["incident-tracks", "vessel-positions", "patrol-track", "survey-track"]
)
def test_track_mappings_round_trip_through_their_toml(name):
    mapping = parse_mapping((EXAMPLES / f"{name}.mapping.toml").read_text(encoding="utf-8"))
    assert parse_mapping(mapping_toml(mapping)) == mapping


def test_a_row_whose_offset_is_beyond_the_zones_in_use_is_left_out_not_its_whole_group():
    # +15:00 was read as a track time, then refused as the event's start: the whole group lost.
    rows = [
        "A,Buoys,CHN,CCG 1,,2024-07-18T01:00Z,25.0,124.0",
        "A,Buoys,CHN,CCG 1,,2024-07-18T16:00+15:00,25.1,124.1",
        "A,Buoys,CHN,CCG 1,,2024-07-18T03:00Z,25.2,124.2",
    ]
    events, problems = run("\n".join([HEADER, *rows]) + "\n")
    assert [(problem.feature, problem.field) for problem in problems] == [("row #3", "time")]
    assert "beyond ±14:00" in problems[0].message
    assert events.iloc[0]["coord_times"] == (("2024-07-18T01:00Z", "2024-07-18T03:00Z"),)


def test_a_local_time_in_a_zone_of_seconds_says_so_for_a_track_as_for_a_date():
    mapping = GROUPED.replace("[fields]", 'timezone = "Africa/Monrovia"\n[fields]')
    rows = ["A,Buoys,CHN,CCG 1,,1971-07-18 02:00,25.0,124.0", "A,Buoys,CHN,CCG 1,,,25.1,124.1"]
    _, problems = run("\n".join([HEADER, *rows]) + "\n", mapping)
    assert "has an offset of" in problems[0].message and "(seconds)" in problems[0].message
