"""Hostile and odd input: kept as text, refused with a clear message, never executed."""

import json

import pytest
from conftest import area, collection, event, write_geodata

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
