"""Counts on events: what the validator takes, what it leaves out (with one line each), and that
any JSON value under `counts` gives an event with only valid counts, never an exception."""

import json
import math
import os
import re

import jsonschema
import pytest
from conftest import HYPOTHESIS_SEED, REPO, collection, event, write_geodata
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from layers.read.load import load_geodata, parse_event
from layers.read.schema import COUNT_NAME_PATTERN, MAX_COUNT, MAX_COUNT_NAMES

SCHEMA = json.loads((REPO / "schema/event-collection.schema.json").read_text())
NAME = re.compile(COUNT_NAME_PATTERN)


def load(tmp_path, *features):
    root = write_geodata(tmp_path / "geodata", {"counts.geojson": collection(*features)})
    geodata = load_geodata(root)
    return geodata.events.set_index("id"), [str(problem) for problem in geodata.problems]


def test_counts_load_as_written_and_an_event_without_gives_none(tmp_path):
    events, problems = load(
        tmp_path,
        event("report", counts={"aircraft": 45, "median_line_crossings": 12, "ships": 7}),
        event("plain"),
    )
    assert problems == []
    assert events.loc["report", "counts"] == {
        "aircraft": 45,
        "median_line_crossings": 12,
        "ships": 7,
    }
    assert events.loc["plain", "counts"] == {}


def test_a_whole_number_written_with_a_decimal_point_is_that_number(tmp_path):
    raw = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": '
        '"r", "title": "Daily report", "kind": "patrol", "start": "2024-07-18", "nations": '
        '["CHN"], "sources": [{"title": "MND"}], "counts": {"aircraft": 45.0, "ships": 0}}, '
        '"geometry": {"type": "Point", "coordinates": [120.5, 23.5]}}]}'
    )
    root = write_geodata(tmp_path / "geodata", {"r.geojson": raw})
    geodata = load_geodata(root)
    counts = geodata.events["counts"].iloc[0]
    assert counts == {"aircraft": 45, "ships": 0}
    assert all(type(value) is int for value in counts.values())


@pytest.mark.parametrize(
    ("counts", "kept", "problem"),
    [
        (
            {"aircraft": 45.5, "ships": 7},
            {"ships": 7},
            "counts.aircraft: 45.5 is not a whole number of 0 or more; ignored",
        ),
        (
            {"aircraft": -1, "ships": 7},
            {"ships": 7},
            "counts.aircraft: -1 is not a whole number of 0 or more; ignored",
        ),
        (
            {"aircraft": True, "ships": 7},
            {"ships": 7},
            "counts.aircraft: true is not a whole number of 0 or more; ignored",
        ),
        (
            {"aircraft": "45", "ships": 7},
            {"ships": 7},
            'counts.aircraft: "45" is text, not a number: write the number unquoted; ignored',
        ),
        (
            {"aircraft": 10**12, "ships": 7},
            {"ships": 7},
            "counts.aircraft: 1000000000000 is over 1,000,000,000, more than any report "
            "counts; ignored",
        ),
        (
            {"Aircraft": 45, "ships": 7},
            {"ships": 7},
            'counts: "Aircraft" is not a count name (lowercase letters, digits and _, starting '
            'with a letter, at most 40 characters); did you mean "aircraft"?; ignored',
        ),
        (
            {"median line": 3, "ships": 7},
            {"ships": 7},
            'counts: "median line" is not a count name (lowercase letters, digits and _, '
            'starting with a letter, at most 40 characters); did you mean "median_line"?; '
            "ignored",
        ),
        (
            {"1st_wave": 3},
            {},
            'counts: "1st_wave" is not a count name (lowercase letters, digits and _, '
            "starting with a letter, at most 40 characters); ignored",
        ),
        (
            [45, 7],
            {},
            'counts: [45, 7] is not an object of counts by name (e.g. {"aircraft": 45}); ignored',
        ),
        (
            {f"type_{number}": 1 for number in range(MAX_COUNT_NAMES + 1)},
            {},
            f"counts: holds {MAX_COUNT_NAMES + 1} names, over {MAX_COUNT_NAMES}; all ignored",
        ),
    ],
)
def test_a_wrong_count_is_left_out_with_one_line_and_the_event_still_shows(
    tmp_path, counts, kept, problem
):
    events, problems = load(tmp_path, event("report", counts=counts))
    assert events.loc["report", "counts"] == kept
    assert problems == [f'events/counts.geojson: feature "report" (#1): {problem}']


def test_a_count_written_twice_is_left_out_not_taken_from_the_last(tmp_path):
    raw = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": '
        '"r", "title": "Daily report", "kind": "patrol", "start": "2024-07-18", "nations": '
        '["CHN"], "sources": [{"title": "MND"}], "counts": {"aircraft": 45, "ships": 7, '
        '"aircraft": 54}}, "geometry": {"type": "Point", "coordinates": [120.5, 23.5]}}]}'
    )
    geodata = load_geodata(write_geodata(tmp_path / "geodata", {"r.geojson": raw}))
    assert geodata.events["counts"].iloc[0] == {"ships": 7}
    assert [str(problem) for problem in geodata.problems] == [
        'events/r.geojson: feature "r" (#1): counts.aircraft: is written more than once '
        "(JSON keeps only the last); ignored"
    ]


@pytest.mark.parametrize("blank", [None, {}, "", " "])
def test_no_counts_or_a_blank_is_no_counts_and_no_problem(tmp_path, blank):
    events, problems = load(tmp_path, event("report", counts=blank))
    assert (events.loc["report", "counts"], problems) == ({}, [])


def test_a_null_count_is_no_count_not_zero(tmp_path):
    events, problems = load(tmp_path, event("report", counts={"aircraft": None, "ships": 7}))
    assert (events.loc["report", "counts"], problems) == ({"ships": 7}, [])


def test_the_schema_takes_what_the_validator_takes_and_flags_what_it_refuses():
    good = collection(event("x", counts={"aircraft": 45, "median_line_crossings": 0}))
    jsonschema.validate(good, SCHEMA)
    for counts in (
        {"aircraft": 45.5},
        {"aircraft": -1},
        {"aircraft": "45"},
        {"aircraft": True},
        {"Aircraft": 1},
        {"x" * 41: 1},
        {"aircraft": MAX_COUNT + 1},
        [45],
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(collection(event("x", counts=counts)), SCHEMA)


# --- any JSON value under `counts` ------------------------------------------------------------
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 45, 45.0, 1e9, 1e9 + 1, 0.5, -0.0, 2**53 + 1])
    | st.text(max_size=12)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
COUNT_NAMES = st.sampled_from(["aircraft", "ships", "median_line_crossings", "a" * 40]) | st.text(
    max_size=45
)
COUNTS_VALUES = (
    st.dictionaries(COUNT_NAMES, JSON_VALUES, max_size=MAX_COUNT_NAMES + 3)
    | st.dictionaries(COUNT_NAMES, JSON_SCALARS, max_size=8)
    | JSON_VALUES
)


@seed(HYPOTHESIS_SEED)
@settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES") or 300),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(COUNTS_VALUES)
def test_any_json_under_counts_gives_the_event_with_only_valid_counts_or_a_problem(counts):
    row, warnings = parse_event(event("report", counts=counts))
    kept = row["counts"]
    assert isinstance(kept, dict)
    for name, value in kept.items():
        assert NAME.fullmatch(name)
        assert type(value) is int and 0 <= value <= MAX_COUNT
        # Never a count the file does not hold: each one kept is the value written.
        written = counts[name]
        assert not isinstance(written, bool) and written == value
        assert not isinstance(written, float) or math.isfinite(written)
    # Everything else given is said, one line each, naming counts or the count.
    given = counts if isinstance(counts, dict) else {}
    dropped = [name for name, value in given.items() if name not in kept and value is not None]
    lines = [message for field, message in warnings if field.startswith("counts")]
    # A null or blank object (a text of only spaces, "\x85" too) is absent, as documented.
    blank = counts is None or (isinstance(counts, str) and not counts.strip())
    if dropped or (not blank and counts != {} and not isinstance(counts, dict)):
        assert lines
    assert all("\n" not in line for line in lines)
    if isinstance(counts, dict) and len(counts) <= MAX_COUNT_NAMES:
        valid = {
            name
            for name, value in counts.items()
            if isinstance(name, str)
            and NAME.fullmatch(name)
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and 0 <= value <= MAX_COUNT
            and value == int(value)
        }
        assert set(kept) == valid
