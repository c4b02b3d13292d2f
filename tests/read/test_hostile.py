"""Hostile and odd input: kept as text, refused with a clear message, never executed."""

import json

import pytest
from conftest import area, collection, event, unstorable_texts, write_geodata

from layers.details import event_details_html
from layers.export.tables import events_csv
from layers.read.load import load_geodata

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="window.__pwned=1">',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "&lt;b&gt; &amp; \"quotes\" 'single'",
    '=HYPERLINK("http://evil")',
    "尖閣諸島 / 钓鱼岛 / 釣魚臺 \u200f\u202eRTL\u202c",
    "{% raw %}{{ 7*7 }}",
    "line one\nline two",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_in_every_field_loads_as_the_same_text(tmp_path, payload):
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event(
                    "hostile",
                    title=payload,
                    summary=payload,
                    forces=[payload],
                    organisations=[payload],
                    sources=[{"title": payload, "publisher": payload}],
                )
            )
        },
        {"a.geojson": collection(area(name=payload, alt_names=[payload], note=payload))},
    )
    geodata = load_geodata(root)
    assert geodata.problems == []
    row = geodata.events.iloc[0]
    assert row["title"] == payload.strip() and row["forces"] == [payload.strip()]
    assert geodata.areas.iloc[0]["name"] == payload.strip()
    html = event_details_html(row)
    assert "<script" not in html and "<img" not in html
    assert "\n'=" not in events_csv(geodata.events) and ",=" not in events_csv(geodata.events)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("JaVaScRiPt:alert(1)", False),
        ('https://example.org/"><script>', True),
    ],
)
def test_only_web_urls_are_kept_for_sources(tmp_path, url, kept):
    root = write_geodata(
        tmp_path, {"e.geojson": collection(event("x", sources=[{"title": "S", "url": url}]))}
    )
    source = load_geodata(root).events.iloc[0]["sources"][0]
    assert ("url" in source) is kept


def write_raw(tmp_path, text):
    return load_geodata(write_geodata(tmp_path, {"e.geojson": text}))


def test_duplicate_json_keys_are_reported_not_silently_resolved(tmp_path):
    feature = json.dumps(event("dup"))
    duplicated = feature.replace('"title":', '"title": "first", "title":', 1)
    geodata = write_raw(tmp_path, f'{{"type": "FeatureCollection", "features": [{duplicated}]}}')
    assert geodata.events.empty
    assert geodata.problems[0].field == "title"
    assert "written more than once" in geodata.problems[0].message


@pytest.mark.parametrize(
    ("geometry", "field"),
    [
        ('{"type": "Point", "coordinates": [NaN, 25]}', "geometry"),
        ('{"type": "Point", "coordinates": [Infinity, 25]}', "geometry"),
        ('{"type": "Point", "coordinates": []}', "geometry"),
        ('{"type": "MultiPolygon", "coordinates": []}', "geometry"),
        ('{"type": "GeometryCollection", "geometries": []}', "geometry"),
        ('{"type": "Point", "coordinates": {"lon": 1, "lat": 2}}', "geometry"),
    ],
)
def test_odd_numbers_and_empty_or_nested_geometries_are_refused(tmp_path, geometry, field):
    feature = json.dumps(event("odd")).replace(json.dumps(event("odd")["geometry"]), "GEOMETRY")
    text = (
        '{"type": "FeatureCollection", "features": [' + feature.replace("GEOMETRY", geometry) + "]}"
    )
    geodata = write_raw(tmp_path, text)
    assert geodata.events.empty
    assert geodata.problems[0].field == field


def test_nested_objects_where_text_belongs_are_refused_or_ignored(tmp_path):
    geodata = write_raw(
        tmp_path,
        json.dumps(
            collection(event("a", title={"html": "<b>x</b>"}), event("b", forces=[{"x": 1}]))
        ),
    )
    assert list(geodata.events["id"]) == ["b"]
    assert {problem.field for problem in geodata.problems} == {"title", "forces"}


def test_very_long_text_is_refused_with_its_length(tmp_path):
    geodata = write_raw(tmp_path, json.dumps(collection(event("long", title="x" * 100_000))))
    assert geodata.events.empty
    assert "is 100,000 characters long; at most 500" in geodata.problems[0].message


def test_problem_messages_stay_on_one_line(tmp_path):
    geodata = write_raw(
        tmp_path, json.dumps(collection(event("x", start="2024\n- [a](javascript:1)")))
    )
    assert "\n" not in str(geodata.problems[0])


NUL_CASES = [
    # (the event's changes, the field named, whether the event is left out)
    ({"title": "Patrol\u0000 off Yonaguni"}, "title", True),
    ({"id": "nul\u0000id"}, "id", True),
    ({"nations": ["JPN", "CHN\u0000"]}, "nations[1]", True),
    (
        {"sources": [{"title": "Report", "url": "https://example.org/\u0000"}]},
        "sources[1].url",
        True,
    ),
    ({"end": "2024-07-\u000019"}, "end", True),
    ({"summary": "Seen from the air.\u0000"}, "summary", False),
    ({"forces": ["Sagami", "Guardian\u0000 9"]}, "forces[1]", False),
]


@pytest.mark.parametrize(("changes", "field", "left_out"), NUL_CASES)
def test_a_nul_character_is_named_at_the_door_and_the_other_events_load(
    tmp_path, changes, field, left_out
):
    # PostgreSQL's text cannot hold U+0000: before, such a title passed the validator, was
    # drawn, and Save to the shared store then failed with a psycopg.DataError traceback.
    root = write_geodata(
        tmp_path, {"e.geojson": collection(event("nul-event", **changes), event("kept"))}
    )
    geodata = load_geodata(root)
    problem = geodata.problems[0]
    assert len(geodata.problems) == 1 and problem.field == field
    assert problem.message.startswith("holds a NUL character (U+0000), which cannot be stored")
    assert problem.skipped == left_out
    ids = set(geodata.events["id"])
    assert "kept" in ids and ("nul-event" in ids) != left_out
    # Nothing loaded holds a NUL: whatever is shown can be saved.
    assert unstorable_texts(geodata.events) == []


def test_a_nul_in_a_title_is_one_line_naming_file_event_and_field(tmp_path):
    root = write_geodata(
        tmp_path, {"e.geojson": collection(event("nul-title", title="Patrol\u0000"), event("kept"))}
    )
    assert [str(problem) for problem in load_geodata(root).problems] == [
        'events/e.geojson: feature "nul-title" (#1): title: holds a NUL character (U+0000), '
        "which cannot be stored"
    ]


def test_text_that_cannot_be_stored_in_an_area_leaves_it_out_or_is_ignored(tmp_path):
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(event("kept"))},
        {
            "a.geojson": collection(
                area("bad-name", name="Bay\u0000"), area("kept-area", note="Note\u0000")
            )
        },
    )
    geodata = load_geodata(root)
    assert [(p.feature, p.field, p.skipped) for p in geodata.problems] == [
        ('feature "bad-name" (#1)', "name", True),
        ('feature "kept-area" (#2)', "note", False),
    ]
    assert list(geodata.areas["id"]) == ["kept-area"] and geodata.areas.iloc[0]["note"] == ""
