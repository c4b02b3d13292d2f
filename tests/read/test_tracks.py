"""Tracks: coordTimes in the event format, kept through the cache and the export (issue 22)."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from conftest import HYPOTHESIS_SEED, REPO, collection, event, write_geodata
from hypothesis import given, seed
from hypothesis import strategies as st
from test_properties import PROPERTY

from layers.export.tables import events_geojson
from layers.read.load import load_geodata, parse_event
from layers.read.schema import FeatureError
from layers.read.tracks import seconds, utc_time
from layers.store.files import FileStore

LINE = {"type": "LineString", "coordinates": [[124.0, 25.0], [124.1, 25.1], [124.2, 25.2]]}
TWO_LINES = {
    "type": "MultiLineString",
    "coordinates": [[[124.0, 25.0], [124.1, 25.1]], [[124.3, 25.3], [124.4, 25.4], [124.5, 25.5]]],
}


def track(times, geometry=LINE, **changes):
    changes = {"kind": "incident", **changes}
    return event("track", coordTimes=times, geometry=geometry, **changes)


def test_a_line_keeps_one_utc_time_per_position_offsets_converted_exactly():
    row, warnings = parse_event(
        track(["2024-07-18T01:00Z", "2024-07-18T11:30:15+09:00", "2024-07-18T02:45:00.250Z"])
    )
    assert warnings == []
    assert row["coord_times"] == (
        ("2024-07-18T01:00Z", "2024-07-18T02:30:15Z", "2024-07-18T02:45:00.250Z"),
    )


def test_a_multilinestring_has_one_list_per_line_as_togeojson_writes_it():
    times = [
        ["2024-07-18T01:00:00Z", "2024-07-18T02:00:00Z"],
        ["2024-07-18T05:00:00Z", "2024-07-18T05:00:00Z", "2024-07-18T06:00:00Z"],
    ]
    row, warnings = parse_event(track(times, TWO_LINES))
    assert warnings == []
    assert row["coord_times"] == tuple(tuple(line) for line in times)


@pytest.mark.parametrize(
    ("times", "geometry", "said"),
    [
        (["2024-07-18T01:00Z", "2024-07-18T02:00Z"], LINE, "2 times for 3 positions"),
        (
            ["2024-07-18T01:00Z", "2024-07-18T02:00", "2024-07-18T03:00Z"],
            LINE,
            'position 2: "2024-07-18T02:00" has no time zone',
        ),
        (
            ["2024-07-18T01:00Z", "2024-07-18T03:00Z", "2024-07-18T02:59Z"],
            LINE,
            "position 3 (2024-07-18T02:59Z) is before position 2 (2024-07-18T03:00Z)",
        ),
        (
            ["2024-07-16T01:00Z", "2024-07-18T02:00Z", "2024-07-18T03:00Z"],
            LINE,
            "2024-07-16T01:00Z is before the event's start (2024-07-18)",
        ),
        (
            ["2024-07-18T01:00Z", "2024-07-18T02:00Z", "2024-07-19T12:00Z"],
            LINE,
            "2024-07-19T12:00Z is after the event's end (2024-07-18)",
        ),
        (["2024-07-18T01:00Z"], {"type": "Point", "coordinates": [124.0, 25.0]}, "not Point"),
        ([["2024-07-18T01:00Z"] * 3], LINE, "not a list of lists"),
        (["2024-07-18T01:00Z"] * 5, TWO_LINES, "a list of lists, one per line"),
        ([["2024-07-18T01:00Z"] * 2, ["2024-07-18T01:00Z"] * 2], TWO_LINES, "line 2: 2 times"),
        (["2024-02-30T01:00Z"] * 3, LINE, '"2024-02-30T01:00Z" does not exist'),
        ("2024-07-18T01:00Z", LINE, "is not a list of times"),
    ],
)
def test_times_that_cannot_be_the_tracks_are_said_and_the_line_still_shown(times, geometry, said):
    row, warnings = parse_event(track(times, geometry))
    assert row["coord_times"] == ()
    assert [field for field, _ in warnings] == ["coordTimes"]
    assert said in warnings[0][1]
    assert warnings[0][1].endswith("ignored (the event is shown without times)")


def test_a_day_holds_the_times_that_fall_in_it_somewhere_on_earth():
    """Dates carry no zone: 18 July covers 17 July 10:00Z (18 July 00:00 at UTC+14) to
    19 July 12:00Z (24:00 at UTC−12), and no more."""
    inside = ["2024-07-17T10:00Z", "2024-07-18T12:00Z", "2024-07-19T11:59Z"]
    assert parse_event(track(inside))[1] == []
    before = ["2024-07-17T09:59Z", "2024-07-18T12:00Z", "2024-07-18T13:00Z"]
    assert "before the event's start" in parse_event(track(before))[1][0][1]
    after = ["2024-07-18T09:59Z", "2024-07-18T12:00Z", "2024-07-19T12:00Z"]
    assert "after the event's end" in parse_event(track(after))[1][0][1]


def test_a_start_and_end_with_times_of_day_hold_the_times_between_their_instants():
    """A timed start is an instant; a timed end covers its minute (or second) written."""
    span = {"start": "2024-07-18T09:00+09:00", "end": "2024-07-18T12:30+09:00"}
    inside = ["2024-07-18T00:00Z", "2024-07-18T02:00Z", "2024-07-18T03:30:59Z"]
    assert parse_event(track(inside, **span))[1] == []
    before = ["2024-07-17T23:59Z", "2024-07-18T02:00Z", "2024-07-18T03:00Z"]
    said = parse_event(track(before, **span))[1][0][1]
    assert "2024-07-17T23:59Z is before the event's start (2024-07-18T00:00:00Z)" in said
    after = ["2024-07-18T00:00Z", "2024-07-18T02:00Z", "2024-07-18T03:31Z"]
    said = parse_event(track(after, **span))[1][0][1]
    assert "2024-07-18T03:31Z is after the event's end (before 2024-07-18T03:31:00Z)" in said
    to_the_second = {"start": "2024-07-18T00:00:00Z", "end": "2024-07-18T03:30:00Z"}
    assert parse_event(track(inside, **to_the_second))[1][0][0] == "coordTimes"


def test_coord_times_problems_come_with_the_features_other_problems_in_one_pass():
    feature = track(["2024-07-18T01:00"] * 3, kind="sortie")
    with pytest.raises(FeatureError) as raised:
        parse_event(feature)
    fields = [error.field for error in raised.value.errors]
    assert fields == ["kind", "coordTimes"]


def test_the_loader_reports_coord_times_by_file_feature_and_field(tmp_path):
    root = write_geodata(
        tmp_path,
        {"t.geojson": collection(track(["2024-07-18T01:00Z", "2024-07-18T00:00Z", "x"]))},
    )
    geodata = load_geodata(root)
    assert geodata.events["id"].tolist() == ["track"]
    assert [str(problem) for problem in geodata.problems] == [
        'events/t.geojson: feature "track" (#1): coordTimes: position 3: "x" is not an ISO 8601 '
        "time (YYYY-MM-DDThh:mm[:ss]Z); ignored (the event is shown without times)"
    ]


def test_times_go_through_the_export_and_the_file_cache_unchanged(tmp_path):
    times = [
        ["2024-07-18T01:00:00Z", "2024-07-18T02:00:00Z"],
        ["2024-07-18T05:00:00Z", "2024-07-18T14:30:00+09:00", "2024-07-18T06:00:00Z"],
    ]
    root = write_geodata(
        tmp_path / "data",
        {"t.geojson": collection(track(times, TWO_LINES), event("point"))},
    )
    expected = (
        ("2024-07-18T01:00:00Z", "2024-07-18T02:00:00Z"),
        ("2024-07-18T05:00:00Z", "2024-07-18T05:30:00Z", "2024-07-18T06:00:00Z"),
    )
    loaded = load_geodata(root).events.set_index("id")["coord_times"]
    assert loaded.to_dict() == {"point": (), "track": expected}

    exported = json.loads(events_geojson(load_geodata(root).events))
    written = {
        f["properties"]["id"]: f["properties"].get("coordTimes") for f in exported["features"]
    }
    assert written == {"point": None, "track": [list(line) for line in expected]}

    cache = tmp_path / "cache"
    FileStore(cache).load(root)
    again = FileStore(cache)  # a new process: the events come from the disk cache
    events = again.load(root).events
    assert again.checked == []
    assert events.set_index("id")["coord_times"].to_dict() == {"point": (), "track": expected}


# --- a property of the validator --------------------------------------------------------------
ZONES = st.sampled_from(["Z", "+09:00", "-05:00", "+05:45", "+0800", "-12:00", "+14:00"])
MOMENTS = st.datetimes(
    min_value=dt.datetime(2024, 7, 1), max_value=dt.datetime(2024, 7, 31, 23, 59, 59)
)


def _written(moment: dt.datetime, zone: str, form: int) -> str:
    """`moment` (UTC) as a time in `zone`, written to the minute (0), second (1) or ms (2)."""
    if zone == "Z":
        offset = dt.timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    local = moment + offset
    text = local.isoformat(timespec=("minutes", "seconds", "milliseconds")[form])
    return text + zone


@st.composite
def tracks_with_times(draw):
    """A LineString or MultiLineString in July 2024 with times, right or wrong in one way."""
    parts = draw(st.integers(1, 3))
    lines, written, moments = [], [], []
    for part in range(parts):
        count = draw(st.integers(2, 5))
        lines.append([[120.0 + part + 0.01 * i, 20.0 + 0.01 * i] for i in range(count)])
        line_moments = sorted(
            draw(MOMENTS).replace(microsecond=0) + dt.timedelta(minutes=i) for i in range(count)
        )
        form = draw(st.integers(0, 2))
        if form == 0:
            line_moments = [moment.replace(second=0) for moment in line_moments]
        moments.append(line_moments)
        written.append([_written(m, draw(ZONES), form) for m in line_moments])
    fault = draw(st.sampled_from(["none", "zone", "order", "count", "shape", "dates", "any"]))
    value: object = written if parts > 1 else written[0]
    if fault == "zone":
        line = draw(st.integers(0, parts - 1))
        written[line][0] = written[line][0][:16]
    elif fault == "order" and len(written[0]) > 2:
        written[0][0], written[0][-1] = written[0][-1], written[0][0]
    elif fault == "count":
        written[0].pop()
    elif fault == "shape":
        value = [time for line in written for time in line] if parts > 1 else [written[0]]
    elif fault == "any":
        value = draw(st.recursive(st.text(max_size=25) | st.none() | st.integers(), st.lists))
    geometry = (
        {"type": "LineString", "coordinates": lines[0]}
        if parts == 1
        else {"type": "MultiLineString", "coordinates": lines}
    )
    start = "2024-07" if fault != "dates" else "2024-08-15"
    return geometry, value, start, moments, fault


@seed(HYPOTHESIS_SEED)
@PROPERTY
@given(tracks_with_times())
def test_coord_times_are_kept_exactly_when_right_and_said_otherwise(case):
    geometry, value, start, moments, fault = case
    row, warnings = parse_event(track(value, geometry, start=start))
    times = row["coord_times"]
    if value is None:  # the helper leaves coordTimes out: a line without times, nothing said
        assert (times, warnings) == ((), [])
        return
    if fault == "none" or (fault == "order" and times != ()):
        # Right times: each line's instants, in UTC, exactly; nothing said.
        assert warnings == []
        assert [list(seconds(line)) for line in times] == [
            [m.replace(tzinfo=dt.UTC).timestamp() for m in line] for line in moments
        ]
    if times:
        for line, positions in zip(
            times,
            geometry["coordinates"] if len(times) > 1 else [geometry["coordinates"]],
            strict=True,
        ):
            assert len(line) == len(positions)
            assert all(utc_time(time) == time and time.endswith("Z") for time in line)
            assert list(seconds(line)) == sorted(seconds(line))
    else:
        assert [field for field, _ in warnings] == ["coordTimes"], (value, warnings)
        assert "\n" not in warnings[0][1]
    if fault in ("zone", "count", "shape", "dates"):
        assert times == ()


# --- the JSON Schema editors use ---------------------------------------------------------------
SCHEMA = json.loads((REPO / "schema/event-collection.schema.json").read_text())


@pytest.mark.parametrize(
    ("times", "geometry"),
    [
        (["2024-07-18T01:00Z", "2024-07-18T10:30:15+09:00", "2024-07-18T02:45:00.250Z"], LINE),
        ([["2024-07-18T01:00:00Z"] * 2, ["2024-07-18T05:00:00Z"] * 3], TWO_LINES),
    ],
)
def test_the_schema_accepts_coord_times_as_togeojson_writes_them(times, geometry):
    jsonschema.validate(collection(track(times, geometry)), SCHEMA)
    assert parse_event(track(times, geometry))[1] == []


@pytest.mark.parametrize(
    "times",
    [
        ["2024-07-18T01:00", "2024-07-18T02:00Z", "2024-07-18T03:00Z"],  # no zone
        ["18/07/2024 01:00Z"] * 3,
        "2024-07-18T01:00Z",
        [1721264400, 1721268000, 1721271600],  # epoch numbers
    ],
)
def test_the_schema_flags_coord_times_the_validator_refuses(times):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(collection(track(times)), SCHEMA)
    assert parse_event(track(times))[0]["coord_times"] == ()
