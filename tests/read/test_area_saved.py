"""Who saved an area and when (`saved_by`, `saved_at`: what the shared store records for a
drawn area and writes in an export, issue 26) read back by the loader, so an exported drawn
area keeps them through `layers.db import`; bad values are a warning and the area still
loads."""

from __future__ import annotations

import datetime as dt
import json
import os

from conftest import area, collection, event, write_geodata
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import any_texts, json_values

from layers.read.load import check_file, load_geodata

PROPERTY_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES") or 2000)


def load_areas(tmp_path, *features):
    root = write_geodata(
        tmp_path, {"e.geojson": collection(event("e1"))}, {"a.geojson": collection(*features)}
    )
    return load_geodata(root)


def test_an_areas_saved_by_and_at_are_read_and_a_files_area_has_neither(tmp_path):
    geodata = load_areas(
        tmp_path,
        area("drawn-box", saved_by="eddie@example.org", saved_at="2026-12-07T12:41:00+09:00"),
        area("named"),
    )
    assert geodata.problems == []
    rows = geodata.areas.set_index("id")
    assert rows.loc["drawn-box", "saved_by"] == "eddie@example.org"
    assert rows.loc["drawn-box", "saved_at"] == dt.datetime(2026, 12, 7, 3, 41, tzinfo=dt.UTC)
    assert rows.loc["named", "saved_by"] is None
    assert rows.loc["named", "saved_at"] is None


def test_a_who_without_a_when_is_one_warning_and_the_area_still_loads(tmp_path):
    geodata = load_areas(
        tmp_path,
        area("no-when", saved_by="eddie@example.org"),
        area("no-offset", saved_by="eddie@example.org", saved_at="2026-12-07T03:41:00"),
    )
    assert [(p.feature, p.field) for p in geodata.problems] == [
        ('feature "no-when" (#1)', "saved_at"),
        ('feature "no-offset" (#2)', "saved_at"),
    ]
    assert "saved_by and saved_at ignored" in geodata.problems[0].message
    rows = geodata.areas.set_index("id")
    assert list(rows.index) == ["no-when", "no-offset"]
    assert rows["saved_by"].tolist() == [None, None]


@settings(
    max_examples=PROPERTY_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(
    by=st.none() | any_texts | json_values,
    at=st.none() | any_texts | json_values | st.datetimes().map(lambda d: d.isoformat() + "Z"),
)
def test_any_saved_by_and_at_never_cost_the_area(by, at):
    raw = json.dumps(collection(area("any", saved_by=by, saved_at=at))).encode()
    checked = check_file(raw, "areas/a.geojson", "areas")
    assert checked.table["id"].tolist() == ["any"]
    row = checked.table.iloc[0]
    # Both or neither: a "who" is never shown without its "when".
    assert (row["saved_by"] is None) == (row["saved_at"] is None)
    if row["saved_at"] is not None:
        assert row["saved_at"].utcoffset() == dt.timedelta(0)
        assert isinstance(row["saved_by"], str) and row["saved_by"].strip()
