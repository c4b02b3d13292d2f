"""The import step's first guess at a mapping, and a file read through a mapping as an upload."""

import json
from dataclasses import replace

import pytest
from conftest import REPO, collection, event

from layers.export.tables import events_geojson
from layers.read.guess import (
    column_samples,
    date_forms,
    guess_mapping,
    guess_notes,
    kind_for,
    mapping_pairs,
    matched_values,
    unknown_values,
)
from layers.read.load import load_geodata
from layers.read.mapping import Mapping, Rule, mapping_toml, parse_mapping
from layers.read.sources import read_source
from layers.read.table import Table
from layers.read.upload import import_upload, in_event_format, upload_table
from layers.validate import main as validate

EXAMPLES = REPO / "docs" / "examples" / "import"


@pytest.fixture(scope="module")
def areas():
    return load_geodata(REPO / "geodata").areas


def example(name: str) -> Table:
    return read_source(name, (EXAMPLES / name).read_bytes(), f"upload: {name}")


def csv_table(text: str) -> Table:
    return read_source("list.csv", text.encode(), "upload: list.csv")


def test_the_japanese_sightings_log_is_guessed_from_its_headers():
    table = example("sightings-ja.csv")
    mapping = guess_mapping(table, "sightings-ja.csv")
    fields = mapping.fields
    # 18/07/2024 has no 18th month: day-first is proved by the values, not assumed.
    assert fields["start"] == Rule(column="日付", format="%d/%m/%Y")
    assert mapping.geometry == {"lat": "北緯", "lon": "東経"}
    assert fields["nations"] == Rule(column="国籍")
    assert fields["title"] == Rule(column="艦種")
    assert fields["summary"] == Rule(column="備考")
    assert fields["kind"] == Rule(value="")  # no kind column: the analyst picks one
    assert fields["id"] == Rule(template="sightings-ja-{row}")
    assert mapping.source == {"title": "sightings-ja.csv"}
    assert "end" not in fields and "forces" not in fields
    notes = guess_notes(table, mapping)
    # 中国 and ロシア are CLDR's Chinese and Japanese names: known, no values needed.
    assert notes == ["No column gives the kind: choose a kind for every row, or a column."]
    assert matched_values(table, fields["nations"]) == [("中国", "CHN"), ("ロシア", "RUS")]


def test_the_strait_transits_list_is_guessed_without_inventing_a_position():
    table = example("strait-transits.csv")
    mapping = guess_mapping(table, "strait-transits.csv")
    fields = mapping.fields
    assert fields["start"] == Rule(column="Date", format="%Y/%m/%d", month_format="%Y/%m")
    assert fields["title"] == Rule(column="Ships")
    assert fields["nations"] == Rule(column="Country", split="[,+()]")
    assert fields["forces"] == Rule(column="Hull_Number", split=";")
    assert fields["summary"] == Rule(column="Note")
    assert fields["source_url"] == Rule(column="Source")  # its values are web addresses
    assert all(rule.column != "Date_Precision" for rule in fields.values())
    assert mapping.geometry == {}
    notes = guess_notes(table, mapping)
    assert notes[-1].startswith("No position columns found")
    assert '"Multi"' in notes[1]


@pytest.mark.parametrize(
    ("values", "day", "month"),
    [
        (["2024-07-18", "2024-07"], ["%Y-%m-%d"], "%Y-%m"),
        (["2024/7/18", "2024/10/2"], ["%Y/%m/%d"], None),
        (["18/07/2024", "05/07/2024"], ["%d/%m/%Y"], None),
        (["07/18/2024", "07/05/2024"], ["%m/%d/%Y"], None),
        (["05/07/2024", "06/08/2024"], ["%d/%m/%Y", "%m/%d/%Y"], None),
        (["18.07.2024"], ["%d.%m.%Y"], None),
        (["2024年7月18日", "2024年7月"], ["%Y年%m月%d日"], "%Y年%m月"),
        (["2024/7"], [], "%Y/%m"),
        (["next week", "soon"], [], None),
        ([], [], None),
    ],
)
def test_date_forms_are_those_the_values_prove(values, day, month):
    assert date_forms(values) == (day, month)


def test_dates_that_fit_day_first_and_month_first_alike_are_left_for_the_analyst():
    table = csv_table("Date,Lat,Lon\n05/07/2024,25.1,123.4\n06/08/2024,25.2,123.5\n")
    mapping = guess_mapping(table, "list.csv")
    assert mapping.fields["start"] == Rule(column="Date")  # no form chosen
    assert any(
        note.startswith('The dates in "Date" fit %d/%m/%Y and %m/%d/%Y alike (e.g. 05/07/2024)')
        for note in guess_notes(table, mapping)
    )


def test_columns_with_unknown_headers_are_found_by_their_values():
    table = csv_table(
        "A,B,C,D,E\n"
        "27°35′N,125°10′E,2024-07-18,1,Patrol\n"
        "24.81,123.09,2024-07-19,2,Patrol\n"
        "33-50.5N,128-40.0E,2024-07,4,Patrol\n"
    )
    mapping = guess_mapping(table, "list.csv")
    assert mapping.geometry == {"lat": "A", "lon": "B"}  # D is a count, not a position
    assert mapping.fields["start"] == Rule(column="C", format="%Y-%m-%d", month_format="%Y-%m")


def test_plain_decimals_go_to_the_axis_they_fit():
    # 123.4 is no latitude; 25.1 could be either and is taken as the latitude.
    table = csv_table("p,q\n123.4,25.1\n124.0,25.3\n")
    assert guess_mapping(table, "list.csv").geometry == {"lat": "q", "lon": "p"}


@pytest.mark.parametrize(
    ("header", "values"),
    [
        (
            "date,latitude,longitude,country,title,notes,type",
            "2024-07-18,25.1,123.4,CHN,A,B,patrol",
        ),
        ("日期,纬度,经度,國籍,名称,备注,类型", "2024-07-18,25.1,123.4,中國,海警船,說明,演习"),
        ("日付,緯度,経度,国家,船名,備考,種類", "2024-07-18,25.1,123.4,中国,海警船,備考,演習"),
    ],
)
def test_headers_in_english_chinese_and_japanese(header, values):
    table = csv_table(f"{header}\n{values}\n")
    names = header.split(",")
    mapping = guess_mapping(table, "list.csv")
    assert mapping.fields["start"].column == names[0]
    assert mapping.geometry == {"lat": names[1], "lon": names[2]}
    assert mapping.fields["nations"].column == names[3]
    assert mapping.fields["title"].column == names[4]
    assert mapping.fields["summary"].column == names[5]
    assert mapping.fields["kind"].column == names[6]


def test_a_kind_column_gets_the_kinds_its_words_name():
    table = csv_table(
        "title,type,date,lat,lon\nA,演习,2024-07-18,25,123\nB,Port call,2024-07-19,25,123\n"
    )
    rule = guess_mapping(table, "list.csv").fields["kind"]
    assert rule == Rule(column="type", values={"演习": "exercise", "Port call": "port_call"})


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Exercise", "exercise"), ("port_call", "port_call"), ("通過", "transit"), ("x", None)],
)
def test_kind_for(text, kind):
    assert kind_for(text) == kind


def test_a_header_that_starts_with_a_field_name_counts_only_when_its_values_agree():
    table = csv_table(
        "Ship,Date_Precision,Date_UTC,Lat_deg,Lon_deg\nA,exact,2024-07-18,25.1,123.4\n"
    )
    mapping = guess_mapping(table, "list.csv")
    assert mapping.fields["start"].column == "Date_UTC"
    assert mapping.geometry == {"lat": "Lat_deg", "lon": "Lon_deg"}


def test_a_geographic_file_uses_its_geometry_column_as_wkt():
    table = Table(
        ["Name", "Description", "geometry"],
        [(1, {"Name": "Buoy", "Description": "Seen", "geometry": "POINT (123.4 25.1)"})],
        noun="feature",
    )
    mapping = guess_mapping(table, "placemarks.kml")
    assert mapping.geometry == {"wkt": "geometry"}
    assert mapping.fields["title"] == Rule(column="Name")
    assert mapping.fields["summary"] == Rule(column="Description")
    assert mapping.fields["id"] == Rule(template="placemarks-{row}")


def test_a_table_with_nothing_recognisable_leaves_every_required_field_open():
    table = csv_table("x,y\nfoo,bar\n")
    mapping = guess_mapping(table, "list.csv")
    for name in ("title", "kind", "start", "nations"):
        assert mapping.fields[name] == Rule(value="")
    assert mapping.geometry == {}
    assert len(guess_notes(table, mapping)) == 5


def test_a_complete_guess_survives_the_toml_round_trip():
    table = example("sightings-ja.csv")
    mapping = guess_mapping(table, "sightings-ja.csv")
    assert parse_mapping(mapping_toml(mapping)) == mapping


def test_unknown_values_lists_what_the_field_cannot_take_in_file_order():
    table = example("strait-transits.csv")
    rule = Rule(column="Country", split="[+,;()]|Multi")
    assert unknown_values(table, rule, "nations") == []
    assert unknown_values(table, Rule(column="Country"), "nations") == [
        "Multi (CA+US)",
        "Multi (AU+NZ)",
        "US, Canada",
    ]
    assert unknown_values(table, Rule(column="Ship_Type"), "kind")[:2] == [
        "巡防艦",
        "巡防艦/驅逐艦",
    ]
    assert unknown_values(table, Rule(value="x"), "nations") == []


def test_column_samples_show_a_few_distinct_values():
    samples = dict(column_samples(example("sightings-ja.csv")))
    assert samples["国籍"] == ["中国", "ロシア"]
    assert samples["日付"] == ["18/07/2024", "19/07/2024", "20/07/2024"]


@pytest.mark.parametrize(
    ("data", "mappings", "pairs"),
    [
        (["transits.csv"], ["transits.mapping.toml"], {0: 0}),
        (["a.csv", "transits.csv"], ["transits.toml"], {1: 0}),
        (["log.xlsx"], ["my mapping.toml"], {0: 0}),  # alone together: they go together
        (["a.csv", "b.csv"], ["c.toml"], {}),
        (["A.CSV", "b.csv"], ["b.toml", "a.mapping.toml"], {1: 0, 0: 1}),
    ],
)
def test_mapping_pairs(data, mappings, pairs):
    assert mapping_pairs(data, mappings) == pairs


# --- through the upload ------------------------------------------------------------------------
def our_csv() -> bytes:
    return b"id,title,kind,start,end,nations,lat,lon\nx,T,patrol,2024-07-18,,JPN,34.8,139.8\n"


@pytest.mark.parametrize(
    ("name", "raw", "ours"),
    [
        ("ours.csv", our_csv(), True),
        ("ours.tsv", our_csv().replace(b",", b"\t"), True),
        ("sightings-ja.csv", (EXAMPLES / "sightings-ja.csv").read_bytes(), False),
        ("ours.geojson", json.dumps(collection(event("a"))).encode(), True),
        (
            "colleague.geojson",
            json.dumps(
                collection({"type": "Feature", "properties": {"name": "A"}, "geometry": None})
            ).encode(),
            False,
        ),
        ("broken.geojson", b'{"type": "FeatureCollection", "features": [', True),
        ("empty.csv", b"", True),
        ("list.xlsx", b"PK\x03\x04", False),
        ("placemarks.kml", b"<kml/>", False),
    ],
)
def test_in_event_format(name, raw, ours):
    assert in_event_format(name, raw) is ours


def sightings_mapping() -> Mapping:
    table = example("sightings-ja.csv")
    mapping = guess_mapping(table, "sightings-ja.csv")
    fields = dict(mapping.fields)
    fields["kind"] = Rule(value="transit")
    fields["nations"] = replace(fields["nations"], values={"中国": "CHN", "ロシア": "RUS"})
    return replace(mapping, fields=fields)


def test_the_corrected_guess_imports_the_sightings_log_and_reports_the_impossible_date(
    areas, tmp_path
):
    raw = (EXAMPLES / "sightings-ja.csv").read_bytes()
    table = upload_table("sightings-ja.csv", raw)
    result = import_upload("sightings-ja.csv", table, sightings_mapping(), {}, areas)
    assert list(result.events["id"]) == [f"sightings-ja-{row}" for row in (2, 3, 4, 5)]
    assert set(result.events["file"]) == {"upload: sightings-ja.csv"}
    assert [str(problem) for problem in result.problems] == [
        'upload: sightings-ja.csv: row #6: start: "32/07/2024" is not a date in the form %d/%m/%Y'
    ]
    # The GeoJSON download is data the validator accepts as it is.
    folder = tmp_path / "geodata" / "events"
    folder.mkdir(parents=True)
    (folder / "sightings.geojson").write_text(events_geojson(result.events), encoding="utf-8")
    (tmp_path / "geodata" / "areas").mkdir()
    assert validate([str(tmp_path / "geodata")]) == 0


def test_the_preview_reads_only_its_rows_and_ids_in_use_are_reported(areas):
    table = example("sightings-ja.csv")
    preview = import_upload("sightings-ja.csv", table, sightings_mapping(), {}, areas, rows=2)
    assert list(preview.events["id"]) == ["sightings-ja-2", "sightings-ja-3"]
    taken = {"sightings-ja-2": "events/mine.geojson"}
    result = import_upload("sightings-ja.csv", table, sightings_mapping(), taken, areas, rows=2)
    assert list(result.events["id"]) == ["sightings-ja-3"]
    assert "already used in events/mine.geojson" in result.problems[0].message


def test_a_mapping_that_cannot_read_the_file_is_one_problem_per_thing_wrong(areas):
    table = example("sightings-ja.csv")
    mapping = sightings_mapping()
    no_position = import_upload("s.csv", table, replace(mapping, geometry={}), {}, areas)
    assert no_position.events.empty
    assert [(p.field, p.message[:30]) for p in no_position.problems] == [
        ("mapping", "the mapping gives no position:")
    ]
    missing = replace(mapping, geometry={"lat": "Lat", "lon": "東経"})
    result = import_upload("s.csv", table, missing, {}, areas)
    assert result.events.empty
    assert result.problems[0].field == "mapping"
    assert 'names the column "Lat", which the file does not have' in result.problems[0].message


def test_an_uploaded_list_over_the_size_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr("layers.read.upload.MAX_UPLOAD_BYTES", 10)
    table = upload_table("big.csv", b"a,b\n1,2\n3,4\n")
    assert table.rows == [] and "the limit is" in table.problems[0].message


def test_the_strait_transits_list_imports_with_its_own_mapping(areas):
    table = example("strait-transits.csv")
    mapping = parse_mapping((EXAMPLES / "strait-transits.mapping.toml").read_text())
    result = import_upload("strait-transits.csv", table, mapping, {}, areas)
    assert len(result.events) == 6
    assert [(p.feature, p.field) for p in result.problems] == [("row #8", "start")]


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="25.75" lon="123.5"><time>2024-07-19T08:00:00+09:00</time><name>CCG 2301</name>
<desc>Seen north of Uotsuri-shima</desc></wpt>
</gpx>"""
KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Drill area</name>
<description>PLA live fire</description><TimeSpan><begin>2024-06</begin><end>2024-07</end>
</TimeSpan><Point><coordinates>119.5,24.5</coordinates></Point></Placemark></Document></kml>"""


@pytest.mark.parametrize(
    ("name", "raw", "start", "end", "read"),
    [
        (
            "way.gpx",
            GPX,
            "time",
            None,
            ("CCG 2301", "2024-07-19T08:00:00+09:00", "Seen north of Uotsuri-shima"),
        ),
        ("areas.kml", KML, "begin", "end", ("Drill area", "2024-06", "PLA live fire")),
    ],
)
def test_gpx_and_kml_times_names_and_descriptions_are_guessed(name, raw, start, end, read, areas):
    """A GPX waypoint's time and a KML TimeSpan are the dates, written as ISO 8601 (no form to
    ask); the name is the title and the description the summary."""
    table = read_source(name, raw.encode(), name)
    mapping = guess_mapping(table, name)
    fields = mapping.fields
    assert (fields["start"].column, fields["end"].column if end else None) == (start, end)
    assert (fields["title"].column, fields["summary"].column) == (
        "Name" if name.endswith(".kml") else "name",
        "description" if name.endswith(".kml") else "desc",
    )
    assert mapping.geometry == {"wkt": "geometry"}
    assert not [note for note in guess_notes(table, mapping) if "date" in note]
    kind = replace(
        mapping, fields={**fields, "kind": Rule(value="incident"), "nations": Rule(value="CHN")}
    )
    events = import_upload(name, table, kind, {}, areas).events
    assert (events["title"][0], events["start_text"][0], events["summary"][0]) == read
