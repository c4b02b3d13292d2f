"""Loading and validating a data directory: every rule, and nothing valid is ever lost."""

import json

import pytest
from conftest import area, collection, event, write_geodata

from layers.read.load import data_fingerprint, load_geodata


def load_one(tmp_path, *features, areas=None):
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(*features)},
        {"a.geojson": collection(*(areas or [area()]))},
    )
    return load_geodata(root)


def only_problem(geodata):
    assert len(geodata.problems) == 1, [str(p) for p in geodata.problems]
    return geodata.problems[0]


def test_a_valid_event_loads_with_typed_columns(tmp_path):
    geodata = load_one(tmp_path, event("e1", start="2024-06", area="boso-south-waters"))
    assert geodata.problems == []
    row = geodata.events.iloc[0]
    assert row["id"] == "e1"
    assert str(row["start"].date()) == "2024-06-01"
    assert str(row["end"].date()) == "2024-06-30"
    assert row["nations"] == ["JPN", "TWN"]
    assert row["area"] == "boso-south-waters"
    assert row["file"] == "events/e.geojson"
    assert geodata.events.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id": None}, "id", "missing"),
        ({"id": "Has Spaces"}, "id", "not a valid id"),
        ({"title": None}, "title", "missing"),
        ({"title": "  "}, "title", "not a non-empty text"),
        (
            {"kind": "fishing"},
            "kind",
            '"fishing" is not one of exercise, live_fire, launch, patrol',
        ),
        ({"start": None}, "start", "missing"),
        ({"start": "2024-13-01"}, "start", r'"2024-13-01" is not a date \(use YYYY-MM-DD'),
        ({"end": "2024-07-01", "start": "2024-07-18"}, "end", 'is before the start "2024-07-18"'),
        ({"end": "2024-06"}, "end", "is before the start"),
        (
            {"nations": ["Japan"]},
            "nations",
            'not an ISO 3166-1 alpha-3 code \\(did you mean "JPN"\\?\\)',
        ),
        ({"nations": ["jpn"]}, "nations", 'did you mean "JPN"'),
        ({"nations": ["XXX"]}, "nations", '"XXX" is not an ISO 3166-1 alpha-3 code$'),
        ({"nations": []}, "nations", "not a non-empty list"),
        ({"nations": None}, "nations", "missing"),
        ({"sources": None}, "sources", "missing"),
        ({"sources": [], "summary": ""}, "sources", "say in the summary why"),
        ({"geometry": None}, "geometry", "missing"),
        ({"geometry": {"type": "Point", "coordinates": [34.8, 139.8]}}, "geometry", "swapped"),
        ({"geometry": {"type": "Point", "coordinates": [200, 10]}}, "geometry", "out of range"),
        ({"geometry": {"type": "Point", "coordinates": [139.8]}}, "geometry", "not a .longitude"),
        (
            {"geometry": {"type": "Point", "coordinates": ["139.8", 35]}},
            "geometry",
            "not a .longitude",
        ),
        (
            {"geometry": {"type": "Circle", "coordinates": [139.8, 35]}},
            "geometry",
            '"Circle" is not one of',
        ),
        (
            {"geometry": {"type": "LineString", "coordinates": []}},
            "geometry",
            "LineString is empty",
        ),
        (
            {"geometry": {"type": "LineString", "coordinates": [[179, 10], [-179, 11]]}},
            "geometry",
            "crosses 180°; cut it there",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]],
                }
            },
            "geometry",
            "not a valid area: its edges cross each other near",
        ),
    ],
)
def test_a_feature_that_breaks_a_rule_is_left_out_with_file_feature_and_field(
    tmp_path, changes, field, message
):
    geodata = load_one(tmp_path, event("good"), event("bad", **changes))
    assert list(geodata.events["id"]) == ["good"]
    problem = only_problem(geodata)
    assert problem.file == "events/e.geojson"
    assert problem.field == field
    assert problem.skipped
    assert problem.feature.startswith("feature ") and "#2" in problem.feature
    assert str(problem).startswith(f"events/e.geojson: {problem.feature}: {field}: ")
    assert __import__("re").search(message, problem.message), problem.message


def test_the_issue_example_reads_as_promised(tmp_path):
    geodata = load_one(tmp_path, event("a"), event("b"), event("ccg-buoys", start="2024-13-01"))
    assert str(only_problem(geodata)) == (
        'events/e.geojson: feature "ccg-buoys" (#3): start: "2024-13-01" is not a date '
        "(use YYYY-MM-DD, YYYY-MM or YYYY)"
    )


@pytest.mark.parametrize(
    ("changes", "field", "kept"),
    [
        ({"area": "nowhere"}, "area", ("area", "")),
        ({"location_precision_km": -5}, "location_precision_km", ("location_precision_km", None)),
        (
            {"location_precision_km": float("nan")},
            "location_precision_km",
            ("location_precision_km", None),
        ),
        ({"forces": "Sagami"}, "forces", ("forces", [])),
        (
            {"sources": [{"title": "Report", "url": "javascript:alert(1)"}]},
            "sources[1].url",
            ("sources", [{"title": "Report"}]),
        ),
        (
            {"sources": [{"title": "Report", "published": "July 2024"}]},
            "sources[1].published",
            ("sources", [{"title": "Report"}]),
        ),
    ],
)
def test_a_bad_optional_field_is_ignored_and_reported_but_the_event_still_shows(
    tmp_path, changes, field, kept
):
    geodata = load_one(tmp_path, event("e1", **changes))
    problem = only_problem(geodata)
    assert (problem.field, problem.skipped) == (field, False)
    column, value = kept
    loaded = geodata.events.iloc[0][column]
    if value is None:
        assert loaded != loaded  # NaN
    else:
        assert loaded == value


def test_an_event_with_no_sources_but_a_reason_in_the_summary_loads(tmp_path):
    geodata = load_one(
        tmp_path, event("e1", sources=[], summary="Seen by the author; unpublished.")
    )
    assert geodata.problems == [] and len(geodata.events) == 1


def test_ids_are_unique_across_files(tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "a.geojson": collection(event("same")),
            "b.geojson": collection(event("same", title="Other")),
        },
    )
    geodata = load_geodata(root)
    assert list(geodata.events["title"]) == ["JCG and Taiwan CGA joint exercise"]
    problem = only_problem(geodata)
    assert problem.file == "events/b.geojson"
    assert "already used in events/a.geojson" in problem.message


def test_one_broken_file_never_stops_the_others(tmp_path):
    good = json.dumps(collection(event("kept")))
    root = write_geodata(
        tmp_path,
        {
            "a-truncated.geojson": good[: len(good) // 2],
            "b-good.geojson": good,
            "c-not-utf8.geojson": "Ｔａｉｗａｎ".encode("shift_jis"),
            "d-list.geojson": "[1, 2]",
            "e-feature.geojson": json.dumps(event("lonely")),
        },
    )
    geodata = load_geodata(root)
    assert list(geodata.events["id"]) == ["kept"]
    said = {p.file: p.message for p in geodata.problems}
    assert said["events/a-truncated.geojson"].startswith("not valid JSON:")
    assert "line 1 column" in said["events/a-truncated.geojson"]
    assert said["events/c-not-utf8.geojson"].startswith("not UTF-8 text")
    assert "FeatureCollection" in said["events/d-list.geojson"]
    assert "found a single Feature" in said["events/e-feature.geojson"]


def test_polygons_are_normalised_to_the_right_hand_rule_and_3d_is_flattened(tmp_path):
    clockwise = [[[139, 34, 5], [139, 35, 5], [140, 35, 5], [140, 34, 5], [139, 34, 5]]]
    geodata = load_one(
        tmp_path, event("box", geometry={"type": "Polygon", "coordinates": clockwise})
    )
    polygon = geodata.events.geometry.iloc[0]
    assert polygon.exterior.is_ccw
    assert not polygon.has_z


def test_a_line_split_at_the_antimeridian_is_accepted(tmp_path):
    split = {
        "type": "MultiLineString",
        "coordinates": [[[170, 20], [180, 21]], [[-180, 21], [-170, 22]]],
    }
    geodata = load_one(tmp_path, event("split", geometry=split))
    assert geodata.problems == []


def test_an_area_an_event_names_must_exist(tmp_path):
    geodata = load_one(tmp_path, event("e1", area="boso-south-waters"), areas=[area("other")])
    assert only_problem(geodata).message == 'no named area has the id "boso-south-waters"; ignored'


def test_area_problems_name_the_area_file(tmp_path):
    geodata = load_one(tmp_path, event("e1"), areas=[area(), area("x2", kind="ocean")])
    problem = only_problem(geodata)
    assert (problem.file, problem.field) == ("areas/a.geojson", "kind")


def test_a_missing_directory_is_a_problem_not_a_crash(tmp_path):
    geodata = load_geodata(tmp_path / "nope")
    assert geodata.events.empty
    assert "data directory not found" in str(geodata.problems[0])


def test_geodata_dir_environment_variable_is_honoured(tmp_path, monkeypatch):
    root = write_geodata(tmp_path, {"a.geojson": collection(event("from-env"))})
    monkeypatch.setenv("GEODATA_DIR", str(root))
    assert list(load_geodata().events["id"]) == ["from-env"]


def test_the_data_version_changes_with_the_content_not_the_modification_time(tmp_path):
    root = write_geodata(tmp_path, {"a.geojson": collection(event("one"))})
    first = load_geodata(root).version
    path = root / "events" / "a.geojson"
    path.write_bytes(path.read_bytes())  # same bytes, new mtime
    assert load_geodata(root).version == first
    write_geodata(root, {"a.geojson": collection(event("one", title="Changed"))})
    assert load_geodata(root).version != first
    assert len(first) == 10


def test_the_data_fingerprint_changes_with_a_data_file_and_ignores_other_files(tmp_path):
    root = write_geodata(tmp_path, {"e.geojson": collection(event())})
    (root / "events" / "notes.txt").write_text("not data")
    before = data_fingerprint(root)
    assert [name for name, *_ in before if name.endswith(".txt")] == []
    (root / "events" / "notes.txt").write_text("still not data, longer")
    assert data_fingerprint(root) == before
    (root / "events" / "e.geojson").write_text(json.dumps(collection(event(), event("second"))))
    assert data_fingerprint(root) != before


# --- times of day in start and end ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "days", "texts"),
    [
        (
            {"start": "2024-07-18T02:00Z", "end": "2024-07-18T10:00Z"},
            ("2024-07-18", "2024-07-18"),
            ("2024-07-18T02:00Z", "2024-07-18T10:00Z"),
        ),
        # The day covered is the date the source gave, not the UTC one (18 July).
        (
            {"start": "2024-07-19T08:00+09:00"},
            ("2024-07-19", "2024-07-19"),
            ("2024-07-19T08:00+09:00", ""),
        ),
        # A time on the day of a date-only start.
        (
            {"start": "2024-07-18", "end": "2024-07-18T01:00Z"},
            ("2024-07-18", "2024-07-18"),
            ("2024-07-18", "2024-07-18T01:00Z"),
        ),
        # A date-only end after a timed start; seconds kept.
        (
            {"start": "2024-07-18T23:59:30Z", "end": "2024-07"},
            ("2024-07-18", "2024-07-31"),
            ("2024-07-18T23:59:30Z", "2024-07"),
        ),
        # In order in UTC (23:30Z on 18 July is after 08:00+09:00 on 19 July) though the end's
        # written date is the day before: the event covers the start's day, never ending
        # before it begins.
        (
            {"start": "2024-07-19T08:00+09:00", "end": "2024-07-18T23:30Z"},
            ("2024-07-19", "2024-07-19"),
            ("2024-07-19T08:00+09:00", "2024-07-18T23:30Z"),
        ),
    ],
)
def test_times_of_day_load_as_written_and_cover_their_written_days(tmp_path, changes, days, texts):
    root = write_geodata(tmp_path, {"e.geojson": collection(event("timed", **changes))})
    geodata = load_geodata(root)
    assert geodata.problems == []
    row = geodata.events.iloc[0]
    assert (str(row["start"].date()), str(row["end"].date())) == days
    assert (row["start_text"], row["end_text"]) == texts


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        (
            {"start": "2024-07-18T10:00Z", "end": "2024-07-18T02:00Z"},
            "end",
            '"2024-07-18T02:00Z" is before the start "2024-07-18T10:00Z" (compared in UTC)',
        ),
        # 08:00 at +09:00 on 19 July is 23:00 UTC on 18 July: 22:00Z is an hour before it.
        (
            {"start": "2024-07-19T08:00+09:00", "end": "2024-07-18T22:00Z"},
            "end",
            "before the start",
        ),
        ({"start": "2024-07-18T02:00Z", "end": "2024-07-17"}, "end", "before the start"),
        ({"start": "2024-07-18T25:00Z"}, "start", "hour 25"),
        ({"start": "2024-07-18T08:61Z"}, "start", "minute 61"),
        ({"end": "2024-07-18T08:00+15:00"}, "end", "beyond ±14:00"),
        ({"start": "2024-07-18T08:00"}, "start", "no UTC offset"),
    ],
)
def test_a_wrong_time_is_one_line_naming_the_field(tmp_path, changes, field, said):
    root = write_geodata(tmp_path, {"e.geojson": collection(event("timed", **changes))})
    geodata = load_geodata(root)
    assert geodata.events.empty
    assert [(p.field, "\n" in p.message) for p in geodata.problems] == [(field, False)]
    assert said in geodata.problems[0].message


DAILY = [
    {"start": "2026-08-24T01:00Z", "end": "2026-08-24T13:00Z"},
    {"start": "2026-08-25T01:00Z", "end": "2026-08-25T13:00Z"},
]


def test_a_warnings_windows_load_as_written(tmp_path):
    geodata = load_one(
        tmp_path,
        event("w", start="2026-08-24T01:00Z", end="2026-08-25T13:00Z", windows=DAILY),
        event("plain"),
    )
    assert geodata.problems == []
    windows = geodata.events.set_index("id")["windows"].to_dict()
    assert windows == {
        "w": (
            ("2026-08-24T01:00Z", "2026-08-24T13:00Z"),
            ("2026-08-25T01:00Z", "2026-08-25T13:00Z"),
        ),
        "plain": (),
    }


@pytest.mark.parametrize(
    ("windows", "field", "said"),
    [
        (
            [DAILY[0], {"start": "2026-08-25T13:00Z", "end": "2026-08-25T01:00Z"}],
            "windows[1].end",
            'is before the start "2026-08-25T13:00Z" (compared in UTC); the windows are ignored',
        ),
        (
            [DAILY[0], {"start": "2026-08-27", "end": "2026-08-27"}],
            "windows[1]",
            "2026-08-27 to 2026-08-27 is outside the event's days (2026-08-24T01:00Z to "
            "2026-08-25T13:00Z); the windows are ignored",
        ),
        ([DAILY[0], {"start": "2026-08-25"}], "windows[1]", "is not"),
        ("daily", "windows", "is not a list of periods; ignored"),
    ],
)
def test_a_wrong_window_is_one_line_and_the_event_still_shows(tmp_path, windows, field, said):
    geodata = load_one(
        tmp_path, event("w", start="2026-08-24T01:00Z", end="2026-08-25T13:00Z", windows=windows)
    )
    problem = only_problem(geodata)
    assert (problem.field, problem.skipped) == (field, False)
    assert said in problem.message
    assert geodata.events.iloc[0]["windows"] == ()


def test_sides_load_as_written_and_say_who_stood_with_whom(tmp_path):
    geodata = load_one(
        tmp_path,
        event("buoy", kind="incident", nations=["CHN", "JPN"], sides=[["CHN"], ["JPN"]]),
        event("transit", kind="transit", nations=["CAN", "USA"], sides=[["CAN", "USA", "CAN"]]),
        event("unknown", nations=["CHN", "JPN"], sides=[]),
        event("plain"),
        event("blank", sides="  "),
    )
    assert geodata.problems == []
    assert geodata.events.set_index("id")["sides"].to_dict() == {
        "buoy": (("CHN",), ("JPN",)),
        "transit": (("CAN", "USA"),),  # a code written twice in a side counts once
        "unknown": (),  # said: no side known
        "plain": None,
        "blank": None,
    }


@pytest.mark.parametrize(
    ("sides", "field", "said"),
    [
        ([["CHN"], ["JPM"]], "sides[1][0]", '"JPM" is not an ISO 3166-1 alpha-3 code'),
        (
            [["CHN"], ["Japan"]],
            "sides[1][0]",
            'not an ISO 3166-1 alpha-3 code (did you mean "JPN"?)',
        ),
        ([["CHN"], ["TWN"]], "sides[1][0]", '"TWN" is not one of the event\'s nations (CHN, JPN)'),
        ([["CHN", "JPN"], ["JPN"]], "sides[1][0]", '"JPN" is on two sides (sides[0] and sides[1])'),
        ([["CHN"], []], "sides[1]", "an empty side"),
        ([["CHN"], "JPN"], "sides[1]", '"JPN" is not a list'),
        ([["CHN"], [7]], "sides[1][0]", "7 is not an ISO 3166-1 alpha-3 code"),
        ("CHN vs JPN", "sides", '"CHN vs JPN" is not a list of sides, e.g. [["CHN"], ["JPN"]]'),
        ({"a": ["CHN"]}, "sides", "is not a list of sides"),
        ([["CHN"], ["JPN"], ["CHN"]], "sides", "3 sides for 2 nations"),
    ],
)
def test_a_wrong_sides_is_one_line_and_the_event_loads_with_its_sides_not_known(
    tmp_path, sides, field, said
):
    # A diplomacy event: read without sides it would count China and Japan as partners, which
    # the sides written deny. Not known, they count as neither.
    geodata = load_one(
        tmp_path, event("protest", kind="diplomacy", nations=["CHN", "JPN"], sides=sides)
    )
    problem = only_problem(geodata)
    assert (problem.field, problem.skipped) == (field, False)
    assert said in problem.message
    assert problem.message.endswith(
        "the sides are ignored: its nations count neither together nor against each other"
    )
    assert str(problem).startswith('events/e.geojson: feature "protest" (#1): ')
    assert "\n" not in str(problem)
    assert geodata.events.iloc[0]["sides"] == ()
