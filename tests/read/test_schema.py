"""The JSON Schemas editors use agree with the validator on the repository's data."""

import json

import jsonschema
import pytest
from conftest import REPO, collection, event, write_geodata

from layers.read.load import load_geodata

SCHEMAS = {
    "events": json.loads((REPO / "schema/event-collection.schema.json").read_text()),
    "areas": json.loads((REPO / "schema/area-collection.schema.json").read_text()),
}


@pytest.mark.parametrize(
    "path", sorted((REPO / "geodata").glob("*/*.geojson")), ids=lambda path: path.name
)
def test_repository_files_match_their_schema(path):
    schema = SCHEMAS[path.parent.name]
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "parade"},
        {"start": "2024-13-01"},
        {"nations": ["Japan"]},
        {"nations": []},
        {"id": "Not A Slug"},
        {"sources": [{"title": "x", "url": "javascript:alert(1)"}]},
        {"geometry": {"type": "Point", "coordinates": [200, 10]}},
        {"end": "9999-12-31"},
        {"start": "0001-01-01"},
        {"geometry": {"type": "MultiLineString", "coordinates": [[[120, 24], [121, 25]], []]}},
        {"geometry": {"type": "MultiPolygon", "coordinates": [[[[120, 24], [121, 24]]]]}},
        {"sides": "CHN vs JPN"},
        {"sides": [["CHN"], []]},
        {"sides": [["China"], ["JPN"]]},
        {"title": "Patrol\u0000"},
        {"sources": [{"title": "Report", "url": "https://example.org/\u0000"}]},
    ],
)
def test_the_event_schema_flags_what_the_validator_refuses(changes):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(collection(event("x", **changes)), SCHEMAS["events"])


def test_the_event_schema_accepts_a_valid_event():
    jsonschema.validate(collection(event("x")), SCHEMAS["events"])


@pytest.mark.parametrize("sides", [[["CHN"], ["JPN"]], [["CHN", "JPN"]], []])
def test_the_event_schema_accepts_sides_the_validator_loads(sides, tmp_path):
    document = collection(event("x", nations=["CHN", "JPN"], sides=sides))
    jsonschema.validate(document, SCHEMAS["events"])
    assert load_geodata(write_geodata(tmp_path, {"e.geojson": document})).problems == []


@pytest.mark.parametrize(
    "changes",
    [
        {"start": "2024-07-18T02:00Z"},
        {"start": "2024-07-19T08:00+09:00", "end": "2024-07-19T17:30:15+09:00"},
        {"start": "2024-07-18", "end": "2024-07-18T20:00-10:00"},
        {"start": "2024-07-18T08:00+14:00"},
        {"start": "2024-07-18T08:00-00:30"},
    ],
)
def test_the_event_schema_accepts_times_the_validator_loads(changes, tmp_path):
    document = collection(event("x", **changes))
    jsonschema.validate(document, SCHEMAS["events"])
    assert load_geodata(write_geodata(tmp_path, {"e.geojson": document})).problems == []


@pytest.mark.parametrize(
    "text",
    [
        "2024-07-18T25:00Z",
        "2024-07-18T08:61Z",
        "2024-07-18T08:00",
        "2024-07-18T08:00+14:30",
        "2024-07-18T08:00-00:00",
        "2024-07-18T08:00+0900",
        "2024-07-18 08:00Z",
        "2024-07-18T08:00:00.5Z",
    ],
)
def test_the_event_schema_flags_the_times_the_validator_refuses(text):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(collection(event("x", start=text)), SCHEMAS["events"])
