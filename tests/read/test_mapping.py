"""Mapped imports: every mapping key, every date case, the nation rules, the readers (CSV, XLSX,
KML made here), and mappings that cannot read their file, each with its right value."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import geopandas as gpd
import openpyxl
import pytest
import shapely
from conftest import REPO, area, collection

from layers import convert
from layers.read.load import load_geodata
from layers.read.mapping import (
    FIELD_KEYS,
    FIELDS,
    RULE_KEYS,
    MappingError,
    form_problem,
    import_table,
    mapping_problems,
    mapping_toml,
    parse_mapping,
    rows_left_out,
)
from layers.read.sources import read_source
from layers.read.upload import upload_table

EXAMPLES = REPO / "docs/examples/import"
AREAS = load_geodata(REPO / "geodata").areas
MINIMAL = """
[source]
title = "Test list"
[fields]
title = { column = "Title" }
kind = { value = "patrol" }
start = { column = "Date", format = "%Y-%m-%d" }
nations = { column = "Country" }
[geometry]
lat = "Lat"
lon = "Lon"
"""
HEADER = "Title,Date,Country,Lat,Lon"


def run(csv_text: str, mapping_text: str = MINIMAL, name: str = "list.csv", areas=AREAS):
    table = read_source(name, csv_text.encode("utf-8"), name)
    return import_table(table, parse_mapping(mapping_text), name, areas)


def with_fields(**rules: str) -> str:
    """MINIMAL with some [fields] lines replaced or added (each value is the TOML right side)."""
    lines = MINIMAL.strip().splitlines()
    out = []
    part = ""
    for line in lines:
        key = line.split("=")[0].strip()
        part = line if line.startswith("[") else part
        if key in rules and part == "[fields]":
            continue
        out.append(line)
        if line == "[fields]":
            out += [f"{key} = {value}" for key, value in rules.items()]
    return "\n".join(out) + "\n"


def messages(problems):
    return [str(problem) for problem in problems]


# --- the two examples -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "count", "bad"),
    [
        (
            "strait-transits",
            6,
            'strait-transits.csv: row #8: start: "2024/10/32" is not a date in the form '
            "%Y/%m/%d or %Y/%m",
        ),
        (
            "sightings-ja",
            4,
            'sightings-ja.csv: row #6: start: "32/07/2024" is not a date in the form %d/%m/%Y',
        ),
    ],
)
def test_both_examples_import_with_their_mappings(name, count, bad):
    table = read_source(f"{name}.csv", (EXAMPLES / f"{name}.csv").read_bytes(), f"{name}.csv")
    mapping = parse_mapping((EXAMPLES / f"{name}.mapping.toml").read_text(encoding="utf-8"))
    events, problems = import_table(table, mapping, f"{name}.csv", AREAS)
    assert len(events) == count
    assert messages(problems) == [bad]


def test_the_transits_list_keeps_month_dates_and_splits_nations():
    table = read_source("t.csv", (EXAMPLES / "strait-transits.csv").read_bytes(), "t.csv")
    mapping = parse_mapping((EXAMPLES / "strait-transits.mapping.toml").read_text())
    events, _ = import_table(table, mapping, "t.csv", AREAS)
    by_id = events.set_index("id")
    prairial = by_id.loc["strait-transit-2023-4-f731"]
    assert prairial["start_text"] == "2023-04"  # the list says only April: no day invented
    assert by_id.loc["strait-transit-2023-9-9-ffh-341-ddg-114", "nations"] == ["CAN", "USA"]
    assert by_id.loc["strait-transit-2024-10-20-ddg-114-ffh-331", "nations"] == ["USA", "CAN"]
    assert by_id.loc["strait-transit-2021-9-27-f239", "forces"] == ["F239"]
    assert by_id.loc["strait-transit-2021-9-27-f239", "sources"] == [
        {
            "title": "Taiwan Strait transits list (example)",
            "url": "https://www.example.org/news/2021-09-27-richmond",
        }
    ]


def test_a_list_without_positions_stands_on_its_named_area_with_a_covering_radius():
    table = read_source("t.csv", (EXAMPLES / "strait-transits.csv").read_bytes(), "t.csv")
    mapping = parse_mapping((EXAMPLES / "strait-transits.mapping.toml").read_text())
    events, _ = import_table(table, mapping, "t.csv", AREAS)
    strait = AREAS.set_index("id").loc["taiwan-strait"].geometry
    point = events.geometry.iloc[0]
    assert set(events["area"]) == {"taiwan-strait"}
    assert strait.contains(point)
    radius = events["location_precision_km"].iloc[0]
    # The circle covers every corner of the strait's shape (1° of latitude is ~111 km).
    corners = shapely.get_coordinates(strait)
    farthest = max(((x - point.x) ** 2 + (y - point.y) ** 2) ** 0.5 for x, y in corners)
    assert 0.8 * farthest * 111 < radius < 1.6 * farthest * 111


def test_the_sightings_log_reads_degrees_minutes_seconds():
    table = read_source("s.csv", (EXAMPLES / "sightings-ja.csv").read_bytes(), "s.csv")
    mapping = parse_mapping((EXAMPLES / "sightings-ja.mapping.toml").read_text())
    events, _ = import_table(table, mapping, "s.csv", AREAS)
    first = events.set_index("id").loc["sighting-3"]
    assert first.geometry.y == pytest.approx(24 + 48 / 60 + 30 / 3600)
    assert first.geometry.x == pytest.approx(123 + 5 / 60 + 15 / 3600)
    assert first["title"] == "ジャンカイII級フリゲート ×2" and first["start_text"] == "2024-07-19"


# --- every key ---------------------------------------------------------------------------------
def test_column_value_and_template_fill_fields():
    events, problems = run(
        f"{HEADER},Ref\nDestroyer,2024-07-18,JPN,34.8,139.8,A1\n",
        with_fields(
            id='{ template = "log-{Ref}-{row}" }',
            summary='{ template = "Seen: {Title} on {Date}" }',
            location_precision_km="{ value = 15 }",
        ),
    )
    assert problems == []
    event = events.iloc[0]
    assert event["id"] == "log-a1-2"
    assert event["summary"] == "Seen: Destroyer on 2024-07-18"
    assert event["kind"] == "patrol" and event["location_precision_km"] == 15.0


def test_without_an_id_rule_the_id_is_a_stable_hash_of_the_row():
    text = f"{HEADER}\nDestroyer,2024-07-18,JPN,34.8,139.8\n"
    first, _ = run(text)
    again, _ = run(f"{HEADER}\n\n\nDestroyer,2024-07-18,JPN,34.8,139.8\n")
    assert first["id"].iloc[0] == again["id"].iloc[0]
    assert first["id"].iloc[0].startswith("test-list-")


def test_kind_from_a_column_with_values():
    events, problems = run(
        "Title,Date,Country,Lat,Lon,種類\nA,2024-07-18,JPN,34.8,139.8,演習\n"
        "B,2024-07-18,JPN,34.8,139.8,航行\nC,2024-07-18,JPN,34.8,139.8,不明\n",
        with_fields(
            kind='{ column = "種類", values = { "演習" = "exercise", "航行" = "transit" } }'
        ),
    )
    assert list(events["kind"]) == ["exercise", "transit"]
    assert messages(problems) == [
        'list.csv: row #4: kind: "不明" is not one of exercise, live_fire, launch, patrol, '
        "transit, port_call, deployment, incident, survey, hazardous_operations, diplomacy; "
        'map it with values = { "…" = "exercise" }'
    ]


def test_end_and_a_precision_column_that_only_ever_lowers_precision():
    events, problems = run(
        "Title,Date,Until,Sure,Country,Lat,Lon\n"
        "A,2024-07-18,2024-07-20,exact,JPN,34.8,139.8\n"
        "B,2024-07-18,,approximate,JPN,34.8,139.8\n",
        with_fields(
            end='{ column = "Until", format = "%Y-%m-%d" }',
            precision='{ column = "Sure", values = { exact = "day", approximate = "month" } }',
        ),
    )
    assert problems == []
    assert list(events["start_text"]) == ["2024-07-18", "2024-07"]
    assert list(events["end_text"]) == ["2024-07-20", ""]


def test_organisations_forces_split_and_source_title_per_row():
    events, problems = run(
        "Title,Date,Country,Lat,Lon,Units,Org,Paper,Link\n"
        "A,2024-07-18,JPN,34.8,139.8,Sagami; Izu,JCG,Asahi,https://example.org/a\n",
        with_fields(
            forces='{ column = "Units", split = ";" }',
            organisations='{ column = "Org" }',
            source_title='{ column = "Paper" }',
            source_url='{ column = "Link" }',
        ),
    )
    assert problems == []
    event = events.iloc[0]
    assert event["forces"] == ["Sagami", "Izu"] and event["organisations"] == ["JCG"]
    assert event["sources"] == [{"title": "Asahi", "url": "https://example.org/a"}]


def test_area_field_names_the_events_area():
    events, _ = run(
        f"{HEADER}\nA,2024-07-18,JPN,24.5,119.5\n",
        with_fields(area='{ value = "taiwan-strait" }'),
    )
    assert events["area"].iloc[0] == "taiwan-strait"


@pytest.mark.parametrize(
    ("geometry", "cell", "expected"),
    [
        ('wkt = "Shape"', "LINESTRING (121 26, 118.5 23)", "LINESTRING (121 26, 118.5 23)"),
        (
            'points = { column = "Shape", order = "lat,lon", separator = ";", shape = "polygon" }',
            "24,118; 24,119; 25,119; 25,118",
            "POLYGON ((118 24, 118 25, 119 25, 119 24, 118 24))",
        ),
        (
            'points = { column = "Shape", order = "lon,lat", shape = "line" }',
            "118 24; 119 25",
            "LINESTRING (118 24, 119 25)",
        ),
        (
            'points = { column = "Shape" }',
            "24-10.00N 118-30.00E; 24-20.00N 118-40.00E",
            "MULTIPOINT ((118.5 24.166667), (118.666667 24.333333))",
        ),
    ],
    ids=["wkt", "points-polygon", "points-line", "points-dm"],
)
def test_geometry_from_wkt_and_point_lists(geometry, cell, expected):
    mapping = MINIMAL.replace('lat = "Lat"\nlon = "Lon"', geometry)
    events, problems = run(f'Title,Date,Country,Shape\nA,2024-07-18,JPN,"{cell}"\n', mapping)
    assert problems == []
    got = shapely.set_precision(events.geometry.iloc[0], 1e-6)
    assert got.normalize().equals(shapely.from_wkt(expected).normalize())


# --- dates ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule", "cell", "written"),
    [
        ('{ column = "Date", format = "%d/%m/%Y" }', "05/07/2024", "2024-07-05"),
        ('{ column = "Date", format = "%m/%d/%Y" }', "05/07/2024", "2024-05-07"),
        ('{ column = "Date", format = "%Y/%m/%d", month_format = "%Y/%m" }', "2024/7", "2024-07"),
        ('{ column = "Date", format = "%Y-%m-%d", year_format = "%Y" }', "2024", "2024"),
        ('{ column = "Date", format = "%Y年%m月%d日" }', "2024年7月18日", "2024-07-18"),
        ('{ column = "Date" }', "2024-07", "2024-07"),  # ISO 8601 text needs no format
    ],
)
def test_dates_are_read_only_as_the_mapping_says_and_keep_their_precision(rule, cell, written):
    events, problems = run(f"{HEADER}\nA,{cell},JPN,34.8,139.8\n", with_fields(start=rule))
    assert problems == [] and events["start_text"].iloc[0] == written


@pytest.mark.parametrize(
    ("rule", "cell", "message"),
    [
        ('{ column = "Date", format = "%d/%m/%Y" }', "18-07-2024", "in the form %d/%m/%Y"),
        ('{ column = "Date", format = "%Y/%m/%d" }', "2024/7", "in the form %Y/%m/%d"),
        ('{ column = "Date", format = "%Y/%m/%d" }', "2024/10/32", "in the form %Y/%m/%d"),
        ('{ column = "Date" }', "18/07/2024", "in the form YYYY-MM-DD"),
    ],
)
def test_a_date_the_mapping_does_not_describe_is_a_problem_for_its_row(rule, cell, message):
    events, problems = run(
        f"{HEADER}\nA,{cell},JPN,34.8,139.8\nB,2024-07-18,JPN,34.8,139.8\n",
        with_fields(start=rule),
    )
    assert list(events["title"]) == ["B"]
    assert problems[0].feature == "row #2" and problems[0].field == "start"
    assert message in problems[0].message


# --- nations ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "nations"),
    [
        ("JPN", ["JPN"]),
        ("JP", ["JPN"]),
        ("Japan", ["JPN"]),
        ("United States", ["USA"]),
        ("US", ["USA"]),
        ("UK", ["GBR"]),
        ("ROK", ["KOR"]),
        ("PRC", ["CHN"]),
        ("ROC", ["TWN"]),
        ("Taiwan", ["TWN"]),
        ("中国", ["CHN"]),  # from the mapping's values
        ("Other", []),  # mapped to "": dropped, and then the row has no nation
    ],
)
def test_nations_by_code_name_short_form_or_values(cell, nations):
    rule = '{ column = "Country", values = { "中国" = "CHN", "Other" = "" } }'
    events, problems = run(f"{HEADER}\nA,2024-07-18,{cell},34.8,139.8\n", with_fields(nations=rule))
    if nations:
        assert problems == [] and events["nations"].iloc[0] == nations
    else:
        assert [problem.field for problem in problems] == ["nations"]


def test_an_unknown_nation_is_a_problem_for_its_row_naming_the_value():
    events, problems = run(
        f"{HEADER}\nA,2024-07-18,Atlantis,34.8,139.8\nB,2024-07-18,JPN,34.8,139.8\n"
    )
    assert list(events["title"]) == ["B"]
    assert messages(problems) == [
        'list.csv: row #2: nations: "Atlantis" is not a nation this import knows: map it with '
        'values = { "Atlantis" = "…" }, its ISO code (or "" to leave a value out)'
    ]


def test_each_unknown_nation_is_suggested_its_own_values_entry():
    """Each row's problem names its own value, with the code the value likely means: never
    another row's example."""
    rows = ["中国海警", "日本海上保安庁", "台湾海巡署", "Kongo", "海上保安庁"]
    text = "".join(f"{value},2024-07-18,{value},34.8,139.8\n" for value in rows)
    events, problems = run(f"{HEADER}\n{text}")
    assert events.empty
    suggested = [problem.message for problem in problems]
    assert suggested == [
        '"中国海警" is not a nation this import knows (perhaps CHN): map it with values = '
        '{ "中国海警" = "CHN" } (or "" to leave a value out)',
        '"日本海上保安庁" is not a nation this import knows (perhaps JPN): map it with values = '
        '{ "日本海上保安庁" = "JPN" } (or "" to leave a value out)',
        '"台湾海巡署" is not a nation this import knows (perhaps TWN): map it with values = '
        '{ "台湾海巡署" = "TWN" } (or "" to leave a value out)',
        '"Kongo" names more than one nation in CLDR\'s names (COD, COG): map it with values = '
        '{ "Kongo" = "COD" } or "COG" (or "" to leave a value out)',
        '"海上保安庁" is not a nation this import knows: map it with values = '
        '{ "海上保安庁" = "…" }, its ISO code (or "" to leave a value out)',
    ]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("日本", "JPN"),
        ("台灣", "TWN"),
        ("台湾", "TWN"),
        ("中国", "CHN"),
        ("韓国", "KOR"),
        ("フィリピン", "PHL"),
        ("中華民國", "TWN"),
    ],
)
def test_nations_written_in_any_language_need_no_values(cell, code):
    events, problems = run(f"{HEADER}\nA,2024-07-18,{cell},34.8,139.8\n")
    assert problems == []
    assert events["nations"].iloc[0] == [code]


# --- readers: XLSX and KML made here -----------------------------------------------------------
def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Title", "Date", "Country", "Lat", "Lon"])
    sheet.append(["Day cell", dt.datetime(2024, 7, 18), "Japan", 34.8, 139.8])
    sheet.append(["Month cell", dt.datetime(2024, 6, 1), "JPN", "27°35′N", "125°10′E"])
    sheet["B3"].number_format = "mmm-yy"
    sheet.append([None, None, None, None, None])
    sheet.append(["After a blank row", "2024-05", "TWN", 24.0, 121.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_excel_sheet_imports_with_date_cells_at_their_shown_precision():
    table = read_source("log.xlsx", xlsx_bytes(), "log.xlsx")
    mapping = MINIMAL.replace(', format = "%Y-%m-%d"', "")
    events, problems = import_table(table, parse_mapping(mapping), "log.xlsx", AREAS)
    assert problems == []
    assert list(events["start_text"]) == ["2024-07-18", "2024-06", "2024-05"]
    assert [number for number, _ in table.rows] == [2, 3, 5]  # Excel's row numbers


def test_a_kml_imports_each_placemark_with_its_geometry(tmp_path):
    frame = gpd.GeoDataFrame(
        {
            "Title": ["Drill area", "Sighting"],
            "Date": ["2024-07-18", "2024-07"],
            "Country": ["CHN", "CHN"],
        },
        geometry=[shapely.box(119, 24, 120, 25), shapely.Point(123.5, 25.75)],
        crs="EPSG:4326",
    )
    path = tmp_path / "areas.kml"
    frame.to_file(path, driver="KML")
    table = read_source("areas.kml", path.read_bytes(), "areas.kml")
    assert table.noun == "feature"
    mapping = MINIMAL.replace('lat = "Lat"\nlon = "Lon"', 'wkt = "geometry"').replace(
        ', format = "%Y-%m-%d"', ""
    )
    events, problems = import_table(table, parse_mapping(mapping), "areas.kml", AREAS)
    assert problems == []
    assert list(events.geometry.geom_type) == ["Polygon", "Point"]
    assert list(events["start_text"]) == ["2024-07-18", "2024-07"]


@pytest.mark.parametrize(
    ("name", "raw", "words"),
    [
        ("log.xlsx", b"not a workbook", "is not an Excel workbook"),
        ("areas.kml", b"<kml", "cannot be read as KML"),
    ],
)
def test_an_unreadable_file_is_one_problem(name, raw, words):
    table = read_source(name, raw, name)
    assert table.rows == [] and words in table.problems[0].message


# --- mappings that cannot be used ---------------------------------------------------------------
def test_a_mapping_that_names_missing_columns_says_which_and_what_the_file_has():
    table = read_source(
        "l.csv", b"Titel,Datum,Land,Lat,Lon\nA,2024-07-18,JPN,34.8,139.8\n", "l.csv"
    )
    with pytest.raises(MappingError) as raised:
        import_table(table, parse_mapping(MINIMAL), "l.csv", AREAS)
    assert raised.value.problems == [
        'fields.title names the column "Title", which the file does not have (its columns: '
        "Titel, Datum, Land, Lat, Lon)",
        'fields.start names the column "Date", which the file does not have (its columns: '
        "Titel, Datum, Land, Lat, Lon)",
        'fields.nations names the column "Country", which the file does not have (its columns: '
        "Titel, Datum, Land, Lat, Lon)",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[source\n", "not valid TOML"),
        (MINIMAL.replace("[source]\ntitle", "[source]\nname"), "[source] needs a title"),
        (MINIMAL.replace("title = {", "titel = {"), "fields.titel is not a field"),
        (MINIMAL.replace('kind = { value = "patrol" }', ""), "fields.kind is missing"),
        (
            MINIMAL.replace('{ value = "patrol" }', '{ value = "patrol", column = "K" }'),
            "fields.kind needs exactly one of column, value, template",
        ),
        (MINIMAL.replace('lon = "Lon"', ""), "[geometry] needs exactly one of"),
        (
            MINIMAL.replace('{ column = "Country" }', '{ column = "Country", split = "[" }'),
            "fields.nations.split is not a regular expression",
        ),
        (MINIMAL.replace("[geometry]", '[geometry]\narea = "x"'), "needs exactly one of"),
    ],
)
def test_a_broken_mapping_is_refused_with_every_reason(text, problem):
    with pytest.raises(MappingError) as raised:
        parse_mapping(text)
    assert any(problem in line for line in raised.value.problems), raised.value.problems


def test_a_named_area_that_does_not_exist_is_a_mapping_problem():
    mapping = parse_mapping(MINIMAL.replace('lat = "Lat"\nlon = "Lon"', 'area = "nowhere"'))
    assert mapping_problems(mapping, ["Title", "Date", "Country"], set(AREAS["id"])) == [
        '"nowhere" is not a named area in the data'
    ]


def test_a_mapping_written_out_reads_back_the_same():
    for path in EXAMPLES.glob("*.mapping.toml"):
        mapping = parse_mapping(path.read_text(encoding="utf-8"))
        assert parse_mapping(mapping_toml(mapping)) == mapping


def test_the_events_are_validated_like_geodata(tmp_path):
    areas = gpd.GeoDataFrame.from_features(collection(area()), crs="EPSG:4326")
    areas["id"] = "boso-south-waters"
    events, problems = run(f"{HEADER}\nA,2024-07-18,JPN,95,139.8\n", areas=areas)
    assert events.empty
    assert messages(problems) == [
        'list.csv: row #2: lat: "95" is beyond 90°, out of range for a latitude'
    ]
    assert json.loads(json.dumps(messages(problems)))  # plain text


# --- found by review: each with its right value ------------------------------------------------
def test_a_format_without_a_day_gives_a_month_or_a_year_never_the_first():
    for rule, cell, written in [
        ('{ column = "Date", format = "%Y/%m" }', "2024/7", "2024-07"),
        ('{ column = "Date", format = "%b %Y" }', "Jul 2024", "2024-07"),
        ('{ column = "Date", format = "%Y" }', "2024", "2024"),
        ('{ column = "Date", format = "%y" }', "24", "2024"),
    ]:
        events, problems = run(f"{HEADER}\nA,{cell},JPN,34.8,139.8\n", with_fields(start=rule))
        assert (problems, events["start_text"].iloc[0]) == ([], written), rule


def test_a_far_away_event_is_imported_with_its_warning():
    events, problems = run(f"{HEADER}\nBrisbane,2024-07-18,AUS,-27.5,153.1\n")
    assert len(events) == 1
    assert [(p.field, p.skipped) for p in problems] == [("geometry", False)]


def test_a_kml_with_two_folders_gives_every_placemark_with_its_layer(tmp_path):
    path = tmp_path / "two.gpkg"
    for layer, point in (("first", (123.5, 25.7)), ("second", (121.0, 24.0))):
        gpd.GeoDataFrame(
            {"Title": [layer], "Date": ["2024-07-18"], "Country": ["CHN"]},
            geometry=[shapely.Point(point)],
            crs="EPSG:4326",
        ).to_file(path, layer=layer, driver="GPKG")
    table = read_source("two.gpkg", path.read_bytes(), "two.gpkg")
    assert [row["layer"] for _, row in table.rows] == ["first", "second"]


def test_empty_and_list_attributes_read_as_nothing_and_json(tmp_path):
    raw = json.dumps(
        collection(
            {
                "type": "Feature",
                "properties": {"countries": ["US", "Japan"], "note": None},
                "geometry": {"type": "Point", "coordinates": [139.8, 34.8]},
            }
        )
    ).encode()
    ((_, row),) = read_source("c.geojson", raw, "c.geojson").rows
    assert row["countries"] == '["US", "Japan"]' and row["note"] == ""


def test_excel_blank_and_repeated_headers_are_named_not_dropped():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Title", None, "Country", "Country"])
    workbook.active.append(["A", "2024-07-18", "US", "JP"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_source("x.xlsx", buffer.getvalue(), "x.xlsx")
    assert table.columns == ["Title", "column B", "Country"]
    assert [str(p) for p in table.problems] == [
        'x.xlsx: header: the column "Country" is written 2 times (columns C, D); the first is read'
    ]


def test_a_thousands_separator_in_a_decimal_comma_file_is_not_a_decimal_point():
    mapping = with_fields(location_precision_km='{ column = "Km" }')
    text = "Title;Date;Country;Lat;Lon;Km\nA;2024-07-18;JPN;34,8;139,8;1.000\n"
    events, problems = run(text, mapping)
    assert problems == [] and events["location_precision_km"].iloc[0] == 1000.0


def test_rows_of_a_long_titled_list_keep_distinct_ids():
    mapping = MINIMAL.replace('title = "Test list"', f'title = "{"Very long list name " * 10}"')
    events, problems = run(
        f"{HEADER}\nA,2024-07-18,JPN,34.8,139.8\nB,2024-07-18,JPN,34.8,139.8\n", mapping
    )
    assert problems == [] and events["id"].nunique() == 2


def test_a_file_that_cannot_be_read_says_so_rather_than_naming_missing_columns():
    mapping = parse_mapping(MINIMAL)
    table = read_source("x.xlsx", b"not a workbook", "x.xlsx")
    events, problems = import_table(table, mapping, "x.xlsx", AREAS)
    assert [str(p) for p in problems] == ["x.xlsx: is not an Excel workbook (.xlsx)"]


@pytest.mark.parametrize(
    ("replace", "problem"),
    [
        ('lat = "Lat"\nlon = "Lon"', 'points = { column = "P", separator = "" }'),
        ('{ column = "Title" }', "{ value = true }"),
        ('{ column = "Title" }', '{ template = "{Title" }'),
    ],
)
def test_mapping_values_that_cannot_mean_anything_are_refused(replace, problem):
    with pytest.raises(MappingError):
        parse_mapping(MINIMAL.replace(replace, problem))


def test_precision_words_are_read_in_any_case():
    events, problems = run(
        "Title,Date,Sure,Country,Lat,Lon\nA,2024-07-18,Month,JPN,34.8,139.8\n",
        with_fields(precision='{ column = "Sure" }'),
    )
    assert problems == [] and events["start_text"].iloc[0] == "2024-07"


# --- which keys each field takes: every allowed key honoured, every other refused -------------
def field_value(event, name):
    """What a field became in an imported event (precision shows in the start date)."""
    column = {"start": "start_text", "end": "end_text", "precision": "start_text"}.get(name, name)
    if name == "source_title":
        return [source["title"] for source in event["sources"]]
    if name == "source_url":
        return [source.get("url") for source in event["sources"]]
    if name in ("side_a", "side_b"):
        return event["sides"]
    return event[column]


def imported(name: str, rule: str, cells: dict[str, str]):
    """The field `name` of the one event a row of MINIMAL's columns and `cells` gives with
    `rule` for that field, or None when the row gives no event."""
    header = [*HEADER.split(","), *cells]
    row = ["A", "2024-07-18", "JPN", "34.8", "139.8", *cells.values()]
    text = "\n".join([",".join(header), ",".join(f'"{cell}"' for cell in row)]) + "\n"
    events, _ = run(text, with_fields(**{name: rule}))
    return field_value(events.iloc[0], name) if len(events) else None


# (field, key): the rule, the row's own cells, and what the field becomes. Each case is made
# so that its key decides the result: a source key gives text no other key could, and a
# modifier key (values, split, format…, unit) gives a result the rule without it does not.
KEY_CASES = {
    ("id", "column"): ('{ column = "X" }', {"X": "Ref A1"}, "ref-a1"),
    ("id", "value"): ('{ value = "fixed-id" }', {}, "fixed-id"),
    ("id", "template"): ('{ template = "log-{X}-{row}" }', {"X": "B7"}, "log-b7-2"),
    ("id", "values"): (
        '{ column = "X", values = { "Ref A1" = "alpha" } }',
        {"X": "Ref A1"},
        "alpha",
    ),
    ("title", "column"): ('{ column = "X" }', {"X": "Destroyer"}, "Destroyer"),
    ("title", "value"): ('{ value = "Fixed title" }', {}, "Fixed title"),
    ("title", "template"): ('{ template = "Seen: {X}" }', {"X": "Destroyer"}, "Seen: Destroyer"),
    ("title", "values"): (
        '{ column = "X", values = { "DDG" = "Luyang III destroyer" } }',
        {"X": "DDG"},
        "Luyang III destroyer",
    ),
    ("kind", "column"): ('{ column = "X" }', {"X": "exercise"}, "exercise"),
    ("kind", "value"): ('{ value = "transit" }', {}, "transit"),
    ("kind", "template"): ('{ template = "{X}_call" }', {"X": "port"}, "port_call"),
    ("kind", "values"): (
        '{ column = "X", values = { "演習" = "exercise" } }',
        {"X": "演習"},
        "exercise",
    ),
    ("start", "column"): ('{ column = "X" }', {"X": "2024-05-02"}, "2024-05-02"),
    ("start", "value"): ('{ value = "2024-05" }', {}, "2024-05"),
    ("start", "template"): ('{ template = "{Y}-{M}" }', {"Y": "2024", "M": "06"}, "2024-06"),
    ("start", "values"): (
        '{ column = "X", values = { "mid-July 2024" = "2024-07" } }',
        {"X": "mid-July 2024"},
        "2024-07",
    ),
    ("start", "format"): (
        '{ column = "X", format = "%d/%m/%Y" }',
        {"X": "05/07/2024"},
        "2024-07-05",
    ),
    ("start", "month_format"): (
        '{ column = "X", month_format = "%Y/%m" }',
        {"X": "2024/7"},
        "2024-07",
    ),
    ("start", "year_format"): ('{ column = "X", year_format = "%Y年" }', {"X": "2023年"}, "2023"),
    ("end", "column"): ('{ column = "X" }', {"X": "2024-07-20"}, "2024-07-20"),
    ("end", "value"): ('{ value = "2024-08" }', {}, "2024-08"),
    ("end", "template"): ('{ template = "{Y}-{M}" }', {"Y": "2024", "M": "09"}, "2024-09"),
    ("end", "values"): ('{ column = "X", values = { "ongoing" = "" } }', {"X": "ongoing"}, ""),
    ("end", "format"): ('{ column = "X", format = "%d/%m/%Y" }', {"X": "20/07/2024"}, "2024-07-20"),
    ("end", "month_format"): (
        '{ column = "X", month_format = "%m.%Y" }',
        {"X": "08.2024"},
        "2024-08",
    ),
    ("end", "year_format"): ('{ column = "X", year_format = "FY%Y" }', {"X": "FY2025"}, "2025"),
    ("precision", "column"): ('{ column = "X" }', {"X": "month"}, "2024-07"),
    ("precision", "value"): ('{ value = "year" }', {}, "2024"),
    ("precision", "template"): ('{ template = "{X}th" }', {"X": "mon"}, "2024-07"),
    ("precision", "values"): (
        '{ column = "X", values = { "approximate" = "month" } }',
        {"X": "approximate"},
        "2024-07",
    ),
    ("nations", "column"): ('{ column = "X" }', {"X": "USA"}, ["USA"]),
    ("nations", "value"): ('{ value = "PHL" }', {}, ["PHL"]),
    ("nations", "template"): ('{ template = "{X}N" }', {"X": "CH"}, ["CHN"]),
    ("nations", "values"): (
        '{ column = "X", values = { "海上保安庁" = "JPN" } }',
        {"X": "海上保安庁"},
        ["JPN"],
    ),
    ("nations", "split"): ('{ column = "X", split = "[+]" }', {"X": "JPN+USA"}, ["JPN", "USA"]),
    # The row's nations are JPN: a side names one of them (a lone side: the others unsaid).
    ("side_a", "column"): ('{ column = "X" }', {"X": "Japan"}, (("JPN",),)),
    ("side_a", "value"): ('{ value = "JPN" }', {}, (("JPN",),)),
    ("side_a", "template"): ('{ template = "{X}N" }', {"X": "JP"}, (("JPN",),)),
    ("side_a", "values"): ('{ column = "X", values = { "J" = "JPN" } }', {"X": "J"}, (("JPN",),)),
    ("side_a", "split"): ('{ column = "X", split = "[+]" }', {"X": "JPN+Japan"}, (("JPN",),)),
    ("side_b", "column"): ('{ column = "X" }', {"X": "JPN"}, (("JPN",),)),
    ("side_b", "value"): ('{ value = "Japan" }', {}, (("JPN",),)),
    ("side_b", "template"): ('{ template = "{X}an" }', {"X": "Jap"}, (("JPN",),)),
    ("side_b", "values"): (
        '{ column = "X", values = { "海保" = "JPN" } }',
        {"X": "海保"},
        (("JPN",),),
    ),
    ("side_b", "split"): ('{ column = "X", split = ";" }', {"X": "Japan; JPN"}, (("JPN",),)),
    ("organisations", "column"): ('{ column = "X" }', {"X": "JCG"}, ["JCG"]),
    ("organisations", "value"): ('{ value = "PLAN" }', {}, ["PLAN"]),
    ("organisations", "template"): ('{ template = "{X} Navy" }', {"X": "PLA"}, ["PLA Navy"]),
    ("organisations", "values"): (
        '{ column = "X", values = { "海保" = "JCG" } }',
        {"X": "海保"},
        ["JCG"],
    ),
    ("organisations", "split"): (
        '{ column = "X", split = ";" }',
        {"X": "JCG; JMSDF"},
        ["JCG", "JMSDF"],
    ),
    ("forces", "column"): ('{ column = "X" }', {"X": "DDG-174"}, ["DDG-174"]),
    ("forces", "value"): ('{ value = "F239" }', {}, ["F239"]),
    ("forces", "template"): ('{ template = "Hull {X}" }', {"X": "174"}, ["Hull 174"]),
    ("forces", "values"): (
        '{ column = "X", values = { "DD" = "Destroyer" } }',
        {"X": "DD"},
        ["Destroyer"],
    ),
    ("forces", "split"): ('{ column = "X", split = "/" }', {"X": "F239/F731"}, ["F239", "F731"]),
    ("summary", "column"): ('{ column = "X" }', {"X": "Seen off Yonaguni"}, "Seen off Yonaguni"),
    ("summary", "value"): ('{ value = "From the log" }', {}, "From the log"),
    ("summary", "template"): ('{ template = "Note: {X}" }', {"X": "two ships"}, "Note: two ships"),
    ("summary", "values"): ('{ column = "X", values = { "n/a" = "" } }', {"X": "n/a"}, ""),
    ("area", "column"): ('{ column = "X" }', {"X": "taiwan-strait"}, "taiwan-strait"),
    ("area", "value"): ('{ value = "taiwan-strait" }', {}, "taiwan-strait"),
    ("area", "template"): ('{ template = "{X}-strait" }', {"X": "taiwan"}, "taiwan-strait"),
    ("area", "values"): (
        '{ column = "X", values = { "TS" = "taiwan-strait" } }',
        {"X": "TS"},
        "taiwan-strait",
    ),
    ("location_precision_km", "column"): ('{ column = "X" }', {"X": "15"}, 15.0),
    ("location_precision_km", "value"): ("{ value = 20 }", {}, 20.0),
    ("location_precision_km", "template"): ('{ template = "{X}0" }', {"X": "5"}, 50.0),
    ("location_precision_km", "values"): (
        '{ column = "X", values = { "6" = "800" } }',
        {"X": "6"},
        800.0,
    ),
    ("location_precision_km", "unit"): ('{ column = "X", unit = "nm" }', {"X": "12"}, 22.224),
    ("source_title", "column"): ('{ column = "X" }', {"X": "Asahi"}, ["Asahi"]),
    ("source_title", "value"): ('{ value = "Kyodo" }', {}, ["Kyodo"]),
    ("source_title", "template"): (
        '{ template = "{X} (evening)" }',
        {"X": "Asahi"},
        ["Asahi (evening)"],
    ),
    ("source_title", "values"): (
        '{ column = "X", values = { "AS" = "Asahi Shimbun" } }',
        {"X": "AS"},
        ["Asahi Shimbun"],
    ),
    ("source_url", "column"): (
        '{ column = "X" }',
        {"X": "https://a.example/1"},
        ["https://a.example/1"],
    ),
    ("source_url", "value"): ('{ value = "https://b.example/" }', {}, ["https://b.example/"]),
    ("source_url", "template"): (
        '{ template = "https://c.example/{X}" }',
        {"X": "n/5"},
        ["https://c.example/n/5"],
    ),
    ("source_url", "values"): (
        '{ column = "X", values = { "MND" = "https://www.mnd.gov.tw/" } }',
        {"X": "MND"},
        ["https://www.mnd.gov.tw/"],
    ),
}
SOURCE_KEYS = ("column", "value", "template")
# A value each key could be given, for the keys a field refuses.
REFUSED_SAMPLES = {
    "value": '"x"',
    "template": '"{X}"',
    "values": '{ "a" = "b" }',
    "split": '";"',
    "format": '"%Y-%m-%d"',
    "month_format": '"%Y-%m"',
    "year_format": '"%Y"',
    "unit": '"nm"',
    "colour": '"red"',  # a key no field takes
}


def test_every_allowed_key_has_a_case_and_every_case_is_an_allowed_key():
    assert set(KEY_CASES) == {(name, key) for name, keys in FIELD_KEYS.items() for key in keys}


@pytest.mark.parametrize(
    ("name", "key"), sorted(KEY_CASES), ids=[".".join(case) for case in sorted(KEY_CASES)]
)
def test_each_key_a_field_takes_decides_its_value(name, key):
    rule, cells, expected = KEY_CASES[(name, key)]
    assert imported(name, rule, cells) == expected
    if key not in SOURCE_KEYS:  # the same rule without the key gives something else
        without = re.sub(rf",\s*{key} = (\{{[^}}]*\}}|\"[^\"]*\")", "", rule)
        assert without != rule
        assert imported(name, without, cells) != expected


REFUSED_CASES = [
    (name, key) for name in FIELDS for key in (*RULE_KEYS, "colour") if key not in FIELD_KEYS[name]
]


@pytest.mark.parametrize(
    ("name", "key"), REFUSED_CASES, ids=[".".join(case) for case in REFUSED_CASES]
)
def test_each_key_a_field_does_not_take_is_refused_naming_the_field(name, key):
    text = with_fields(**{name: f'{{ column = "X", {key} = {REFUSED_SAMPLES[key]} }}'})
    with pytest.raises(MappingError) as raised:
        parse_mapping(text)
    assert raised.value.problems == [
        f"fields.{name}.{key}: {name} does not take {key} (it takes {', '.join(FIELD_KEYS[name])})"
    ]


def test_the_documented_key_table_is_the_one_enforced():
    text = (REPO / "docs/import.md").read_text(encoding="utf-8")
    table = text[text.index("| field | required |") :].split("\n\n")[0].splitlines()[2:]
    documented = {}
    for line in table:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        for name in re.findall(r"`([a-z_]+)`", cells[0]):
            documented[name] = tuple(re.findall(r"`([a-z_]+)`", cells[-1]))
    assert documented == FIELD_KEYS


def test_a_mapping_with_every_key_reads_back_the_same():
    rules = {name: rule for (name, _), (rule, _, _) in KEY_CASES.items()}
    rules["title"] = KEY_CASES[("title", "template")][0]
    rules["kind"] = KEY_CASES[("kind", "value")][0]
    rules["start"] = (
        '{ column = "X", values = { "?" = "" }, format = "%d/%m/%Y", month_format = "%m/%Y", '
        'year_format = "%Y" }'
    )
    rules["nations"] = '{ column = "X", values = { "海上保安庁" = "JPN" }, split = "[+]" }'
    rules["location_precision_km"] = (
        '{ column = "X", values = { "6" = 800, "7" = "" }, unit = "nm" }'
    )
    text = with_fields(**rules) + (
        '\n[[skip]]\ncolumn = "Status"\nequals = ["duplicate", "retracted"]\n'
        '\n[[skip]]\ncolumn = "Lat"\nempty = true\n'
    )
    text = text.replace(
        '[source]\ntitle = "Test list"',
        '[source]\ntitle = "Test list"\nencoding = "cp1252"\nsheet = "Log"',
    )
    mapping = parse_mapping(text)
    assert {
        key for rule in mapping.fields.values() for key in RULE_KEYS if getattr(rule, key)
    } == set(RULE_KEYS)
    assert mapping.source["encoding"] == "cp1252" and len(mapping.skip) == 2
    assert parse_mapping(mapping_toml(mapping)) == mapping


# --- location precision: values and unit ------------------------------------------------------
@pytest.mark.parametrize(
    ("rule", "cell", "km"),
    [
        # A list's level "6" means "somewhere in the South China Sea": 800 km, never 6 km.
        ('{ column = "Level", values = { "1" = "5", "6" = "800" } }', "6", 800.0),
        ('{ column = "Level", values = { "1" = "5", "6" = "800" } }', "1", 5.0),
        ('{ column = "Level", values = { "6" = 800 } }', "6", 800.0),
        ('{ column = "Level", unit = "nm" }', "12", 22.224),  # 12 × 1852 m
        ('{ column = "Level", unit = "m" }', "500", 0.5),
        ('{ column = "Level", unit = "km" }', "7.5", 7.5),
        ('{ column = "Level", unit = "deg" }', "0.5", 55.56),  # 30 nm
        ('{ column = "Level", unit = "nm", values = { "coastal" = "3" } }', "coastal", 5.556),
        ('{ value = 12, unit = "nm" }', "ignored", 22.224),
        ('{ value = "1.5", unit = "deg" }', "ignored", 166.68),
    ],
)
def test_location_precision_is_translated_then_read_in_its_unit(rule, cell, km):
    events, problems = run(
        f"{HEADER},Level\nA,2024-07-18,JPN,34.8,139.8,{cell}\n",
        with_fields(location_precision_km=rule),
    )
    assert problems == []
    assert events["location_precision_km"].iloc[0] == pytest.approx(km, abs=1e-9)


def test_a_precision_level_the_values_do_not_know_is_read_as_written_or_refused():
    rule = '{ column = "Level", values = { "6" = "800" }, unit = "nm" }'
    events, problems = run(
        f"{HEADER},Level\nA,2024-07-18,JPN,34.8,139.8,2\nB,2024-07-18,JPN,34.8,139.8,far\n",
        with_fields(location_precision_km=rule),
    )
    assert list(events["location_precision_km"]) == [3.704]
    assert messages(problems) == [
        'list.csv: row #3: location_precision_km: "far" is not a distance in nm'
    ]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (
            '{ column = "L", unit = "miles" }',
            'fields.location_precision_km.unit: "miles" is not a unit (km, m, nm, deg)',
        ),
        (
            '{ column = "L", values = { "6" = "far" }, unit = "nm" }',
            'fields.location_precision_km.values: "6" = "far" is not a distance in nm (a number '
            'of 0 or more, or "" for none)',
        ),
        (
            '{ value = "about 5" }',
            "fields.location_precision_km.value must be a distance: a number of 0 or more",
        ),
        (
            "{ value = -3 }",
            "fields.location_precision_km.value must be a distance: a number of 0 or more",
        ),
    ],
)
def test_a_precision_rule_that_cannot_give_a_distance_is_refused(rule, problem):
    with pytest.raises(MappingError) as raised:
        parse_mapping(with_fields(location_precision_km=rule))
    assert raised.value.problems == [problem]


# --- several source addresses in one cell -----------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "urls", "warning"),
    [
        (
            "https://a.example/1 https://b.example/2",
            ["https://a.example/1", "https://b.example/2"],
            None,
        ),
        (
            "https://a.example/1; https://b.example/2",
            ["https://a.example/1", "https://b.example/2"],
            None,
        ),
        (
            "https://a.example/1;https://b.example/2;",
            ["https://a.example/1", "https://b.example/2"],
            None,
        ),
        (
            "https://a.example/1 | http://b.example/2",
            ["https://a.example/1", "http://b.example/2"],
            None,
        ),
        (
            "https://a.example/1\nhttps://b.example/2\n",
            ["https://a.example/1", "https://b.example/2"],
            None,
        ),
        # Commas, as lists often separate addresses, and the full-width and Chinese marks:
        # "https://a.gov/x," kept its comma, and "x,https://b" was one broken link.
        (
            "https://a.example/1, https://b.example/2",
            ["https://a.example/1", "https://b.example/2"],
            None,
        ),
        (
            "https://a.example/1,https://b.example/2",
            ["https://a.example/1", "https://b.example/2"],
            None,
        ),
        (
            "https://a.example/1；https://b.example/2、https://c.example/3，",
            ["https://a.example/1", "https://b.example/2", "https://c.example/3"],
            None,
        ),
        # An archived address holds another, and a page's address its own commas.
        (
            "https://web.archive.org/web/2020/https://mnd.gov.tw/a,b",
            ["https://web.archive.org/web/2020/https://mnd.gov.tw/a,b"],
            None,
        ),
        # A ";" inside an address is not a separator: only one before http(s):// is.
        (
            "https://a.example/x;jsessionid=42;https://b.example/y",
            ["https://a.example/x;jsessionid=42", "https://b.example/y"],
            None,
        ),
        (
            "https://a.example/1 see also ftp://files.example/2",
            ["https://a.example/1"],
            '"see also ftp://files.example/2": not an http(s) address, so not a link (1 link kept)',
        ),
        (
            "MND press release",
            [None],
            '"MND press release": not an http(s) address, so not a link (the source kept, '
            "without a link)",
        ),
    ],
)
def test_a_cell_of_several_addresses_gives_one_source_each(cell, urls, warning):
    events, problems = run(
        f'Title,Date,Country,Lat,Lon,Paper,Links\nA,2024-07-18,JPN,34.8,139.8,Asahi,"{cell}"\n',
        with_fields(source_title='{ column = "Paper" }', source_url='{ column = "Links" }'),
    )
    sources = events["sources"].iloc[0]
    assert [source.get("url") for source in sources] == urls
    assert {source["title"] for source in sources} == {"Asahi"}
    expected = [] if warning is None else [f"list.csv: row #2: source_url: {warning}"]
    assert messages(problems) == expected
    assert not any(problem.skipped for problem in problems)


def test_several_addresses_under_the_lists_own_source_keep_its_publisher():
    mapping = with_fields(source_url='{ column = "Links" }').replace(
        'title = "Test list"', 'title = "Test list"\npublisher = "Taiwan MND"'
    )
    events, problems = run(
        f"{HEADER},Links\nA,2024-07-18,JPN,34.8,139.8,https://a.example/1 https://b.example/2\n",
        mapping,
    )
    assert problems == []
    assert events["sources"].iloc[0] == [
        {"title": "Test list", "publisher": "Taiwan MND", "url": "https://a.example/1"},
        {"title": "Test list", "publisher": "Taiwan MND", "url": "https://b.example/2"},
    ]


# --- rows left out by the mapping -------------------------------------------------------------
SKIPPING = MINIMAL + (
    '\n[[skip]]\ncolumn = "Status"\nequals = ["duplicate", "retracted"]\n'
    '\n[[skip]]\ncolumn = "Lat"\nempty = true\n'
)
STATUS_LIST = (
    "Title,Date,Country,Lat,Lon,Status\n"
    "A,2024-07-18,JPN,34.8,139.8,\n"
    "B,2024-07-18,JPN,34.8,139.8,duplicate\n"
    "C,2024-07-18,JPN,,139.8,\n"
    "D,2024-07-18,JPN,34.8,139.8,duplicate\n"
    "E,2024-07-18,JPN,,,retracted\n"
    "F,2024-07-18,JPN,34.8,139.8,Duplicate\n"
    "G,2024-07-32,JPN,34.8,139.8,checked\n"
)


def test_rows_a_skip_condition_meets_are_left_out_and_counted_by_reason():
    table = read_source("list.csv", STATUS_LIST.encode(), "list.csv")
    mapping = parse_mapping(SKIPPING)
    events, problems = import_table(table, mapping, "list.csv", AREAS)
    # "Duplicate" is not "duplicate": a condition matches the cell exactly as written.
    assert list(events["title"]) == ["A", "F"]
    assert messages(problems) == [
        'list.csv: row #8: start: "2024-07-32" is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)'
    ]
    left = rows_left_out(table, mapping)
    assert left.rows == {3, 4, 5, 6}
    assert left.reasons == (
        ('Status = "duplicate"', 2),
        ('Status = "retracted"', 1),
        ("Lat empty", 1),
    )
    assert left.summary() == (
        '4 rows left out by the mapping: 2 with Status = "duplicate", 1 with Status = '
        '"retracted", 1 with Lat empty'
    )


@pytest.mark.parametrize(
    ("skip", "problem"),
    [
        ('column = "Status"', "skip[1] needs exactly one of equals, empty"),
        (
            'column = "Status"\nequals = "x"\nempty = true',
            "skip[1] needs exactly one of equals, empty",
        ),
        ('equals = ["x"]', 'skip[1] needs column = "…": the column whose cell decides'),
        (
            'column = "Status"\nempty = false',
            "skip[1].empty must be true (leave it out to keep every row)",
        ),
        (
            'column = "Status"\nequals = []',
            'skip[1].equals must be a non-empty text or list of texts, e.g. ["duplicate"] (for an '
            "empty cell, use empty = true)",
        ),
        (
            'column = "Status"\nequals = [1]',
            'skip[1].equals must be a non-empty text or list of texts, e.g. ["duplicate"] (for an '
            "empty cell, use empty = true)",
        ),
        (
            'column = "Status"\nmatches = "dup.*"',
            "skip[1].matches is not a skip key (column, equals, empty)",
        ),
    ],
)
def test_a_skip_condition_that_cannot_mean_anything_is_refused(skip, problem):
    with pytest.raises(MappingError) as raised:
        parse_mapping(MINIMAL + f"\n[[skip]]\n{skip}\n")
    assert raised.value.problems == [problem]


def test_a_skip_column_the_file_lacks_is_named_like_any_other():
    table = read_source("list.csv", f"{HEADER}\nA,2024-07-18,JPN,34.8,139.8\n".encode(), "list.csv")
    with pytest.raises(MappingError) as raised:
        import_table(table, parse_mapping(SKIPPING), "list.csv", AREAS)
    assert raised.value.problems == [
        'skip[1] names the column "Status", which the file does not have (its columns: '
        "Title, Date, Country, Lat, Lon)"
    ]


def test_convert_says_what_the_mapping_left_out_and_it_is_no_problem(tmp_path, capsys):
    source = tmp_path / "list.csv"
    source.write_text(STATUS_LIST.replace("2024-07-32", "2024-07-30"), encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(SKIPPING, encoding="utf-8")
    output = tmp_path / "out.geojson"
    code = convert.main(
        [
            str(source),
            "--mapping",
            str(mapping),
            "--output",
            str(output),
            "--data",
            str(REPO / "geodata"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0 and out == ""
    assert err.splitlines() == [
        'list.csv: 4 rows left out by the mapping: 2 with Status = "duplicate", 1 with Status = '
        '"retracted", 1 with Lat empty',
        f"3 events written to {output}; 0 problems",
    ]
    titles = [
        feature["properties"]["title"] for feature in json.loads(output.read_text())["features"]
    ]
    assert titles == ["A", "F", "G"]


def test_convert_writes_nothing_when_the_mapping_leaves_out_every_row(tmp_path, capsys):
    source = tmp_path / "list.csv"
    source.write_text("Title,Date,Country,Lat,Lon,Status\nA,2024-07-18,JPN,34.8,139.8,duplicate\n")
    mapping = tmp_path / "m.toml"
    mapping.write_text(SKIPPING, encoding="utf-8")
    output = tmp_path / "out.geojson"
    code = convert.main(
        [
            str(source),
            "--mapping",
            str(mapping),
            "--output",
            str(output),
            "--data",
            str(REPO / "geodata"),
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 1 and not output.exists()
    assert (
        out == f"{output}: not written: the mapping left out every row (an existing file is kept)\n"
    )


# --- the source's encoding, named in the mapping -----------------------------------------------
GBK_LIST = "Title,Date,Country,Lat,Lon\n南海,2024-07-18,CHN,15.1,117.7\n"


def test_a_short_gbk_list_is_a_question_until_the_mapping_names_its_encoding(tmp_path, capsys):
    source = tmp_path / "list.csv"
    source.write_bytes(GBK_LIST.encode("gbk"))
    mapping = tmp_path / "m.toml"
    output = tmp_path / "out.geojson"
    argv = [
        str(source),
        "--mapping",
        str(mapping),
        "--output",
        str(output),
        "--data",
        str(REPO / "geodata"),
    ]
    mapping.write_text(MINIMAL, encoding="utf-8")
    assert convert.main(argv) == 1
    out, _ = capsys.readouterr()
    assert "its encoding is not certain" in out and not output.exists()
    mapping.write_text(
        MINIMAL.replace('title = "Test list"', 'title = "Test list"\nencoding = "gbk"')
    )
    assert convert.main(argv) == 0
    _, err = capsys.readouterr()
    written = json.loads(output.read_text(encoding="utf-8"))["features"]
    assert [feature["properties"]["title"] for feature in written] == ["南海"]
    assert "1 event written" in err


@pytest.mark.parametrize("name", ["windows-1252", "cp1252", "latin-1"])
def test_a_named_encoding_reaches_the_csv_reader_through_the_upload_path(name):
    text = f"{HEADER}\nCdr. José Ramírez’s report,2024-07-18,PHL,9.7,115.9\n"
    mapping = parse_mapping(
        MINIMAL.replace('title = "Test list"', f'title = "Test list"\nencoding = "{name}"')
    )
    raw = text.encode("cp1252") if name != "latin-1" else text.replace("’", "'").encode("latin-1")
    table = upload_table("list.csv", raw, None, mapping.source.get("encoding"))
    events, problems = import_table(table, mapping, "list.csv", AREAS)
    assert problems == [] and table.notes == []
    assert events["title"].iloc[0] in ("Cdr. José Ramírez’s report", "Cdr. José Ramírez's report")


@pytest.mark.parametrize(
    ("encoding", "problem"),
    [
        (
            "latin-9x",
            'source.encoding: "latin-9x" is not a text encoding Python knows (e.g. "utf-8", '
            '"cp1252", "gbk", "big5", "shift_jis", "euc-kr", "cp1251")',
        ),
        ("", None),
    ],
)
def test_an_encoding_python_does_not_know_is_refused_naming_it(encoding, problem):
    text = MINIMAL.replace('title = "Test list"', f'title = "Test list"\nencoding = "{encoding}"')
    if problem is None:
        assert "encoding" not in parse_mapping(text).source
        return
    with pytest.raises(MappingError) as raised:
        parse_mapping(text)
    assert raised.value.problems == [problem]


# --- date-times as GIS files write them --------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "written"),
    [
        # The time the source wrote, in its own time zone: 08:00 at +09:00 on 19 July is
        # 18 July 23:00 UTC, and stays 08:00 on 19 July with its offset.
        ("2024-07-19T08:00:00+09:00", "2024-07-19T08:00:00+09:00"),
        ("2024-07-19T23:30:00-10:00", "2024-07-19T23:30:00-10:00"),
        ("2024-07-19T08:00Z", "2024-07-19T08:00Z"),
        ("2024-07-19T08:00:00.123Z", "2024-07-19T08:00:00Z"),  # cut, never rounded up
        ("2024-07-19T08:00:00.999Z", "2024-07-19T08:00:00Z"),
        ("2024-07-19T08:00:00+0900", "2024-07-19T08:00:00+09:00"),
        ("2024-07-19T08:00:00+09", "2024-07-19T08:00:00+09:00"),
        ("2024-07-19t08:00z", "2024-07-19T08:00Z"),
        ("2024-07-19 08:00+05:30", "2024-07-19T08:00+05:30"),
        ("2024-07-19T08:00-00:00", "2024-07-19T08:00Z"),  # RFC 3339: UTC, local offset unknown
    ],
)
def test_an_iso_date_time_keeps_its_time_and_offset_as_written(cell, written):
    events, problems = run(
        f"{HEADER}\nA,{cell},JPN,34.8,139.8\n", with_fields(start='{ column = "Date" }')
    )
    assert problems == [] and events["start_text"].iloc[0] == written
    # The day covered is the date the source wrote, not the UTC one.
    assert events["start"].iloc[0].date().isoformat() == written[:10]


@pytest.mark.parametrize(
    "cell",
    [
        "2024-07-19T25:00",
        "2024-07-19T08:61Z",
        "2024-02-30T08:00Z",
        "2024-07-19T08:00+9",
        "19/07/2024 08:00",
        "2024-07-19T",
        "2024-07-19T23:59:60Z",
    ],
)
def test_a_date_time_that_is_not_iso_8601_still_needs_a_format(cell):
    events, problems = run(
        f"{HEADER}\nA,{cell},JPN,34.8,139.8\n", with_fields(start='{ column = "Date" }')
    )
    assert events.empty and [problem.field for problem in problems] == ["start"]
    assert f'"{cell}"' in problems[0].message  # the cell as written, never a part of it


def test_a_column_with_no_name_keeps_its_rows_and_is_named_by_its_letter():
    """A pandas or Excel export ends its header with a comma for a column with no name; a row
    that fills it was left out as "a comma inside a cell that is not in quotes?" (a real list:
    naval_transits.csv, whose last row has its article's address there). The row loads, and
    the column is named as the workbook reader names it."""
    text = (
        f"{HEADER},\n"
        "A,2024-07-18,JPN,34.8,139.8,\n"
        "B,2024-07-19,JPN,34.8,139.8,https://www.cna.com.tw/news/aopl/202608220025.aspx\n"
        "C,2024-07-20,JPN,34.8,139.8\n"
    )
    table = read_source("list.csv", text.encode(), "list.csv")
    assert table.columns[-1] == "column F" and table.problems == []
    assert [row["column F"] for _, row in table.rows] == [
        "",
        "https://www.cna.com.tw/news/aopl/202608220025.aspx",
        "",
    ]
    events, problems = run(text, with_fields(source_url='{ column = "column F" }'))
    assert problems == [] and list(events["title"]) == ["A", "B", "C"]
    assert events["sources"][1][0]["url"].endswith("202608220025.aspx")


def test_a_skip_condition_on_a_cell_of_unknown_value_leaves_its_row_out_naming_the_cell():
    """Whether a row is one to leave out cannot be known from a formula whose result was not
    saved: the row is left out with the cell named (it was an IndexError out of import_table),
    and a formula in a column the mapping does not read changes nothing."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Title", "Date", "Country", "Lat", "Lon", "Status", "Note"])
    sheet.append(["A", "2024-07-18", "JPN", 34.8, 139.8, "ok", "=1+1"])
    sheet.append(["B", "2024-07-19", "JPN", 34.8, 139.8, '=IF(1,"duplicate","ok")', None])
    sheet.append(["C", "2024-07-20", "JPN", 34.8, 139.8, "duplicate", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_source("log.xlsx", buffer.getvalue(), "log.xlsx")
    mapping = parse_mapping(MINIMAL + '\n[[skip]]\ncolumn = "Status"\nequals = "duplicate"\n')
    left_out = rows_left_out(table, mapping)
    events, problems = import_table(table, mapping, "log.xlsx", AREAS, left_out=left_out)
    assert list(events["title"]) == ["A"]
    assert [(p.feature, p.field, p.message.split(":")[0]) for p in problems] == [
        (
            "row #3",
            "skip",
            'F3 holds a formula (=IF(1,"duplicate","ok")) whose result was not saved in the file',
        )
    ]
    assert left_out.summary() == '1 row left out by the mapping: 1 with Status = "duplicate"'


@pytest.mark.parametrize("value", ['"0.500"', "0.5"])
def test_a_mappings_own_value_is_read_with_a_point_in_a_semicolon_file(value):
    """A semicolon file writes decimal commas; the mapping is TOML and writes points: its
    value "0.500" nm is half a nautical mile (it was read as 500 nm, 926 km)."""
    text = "Title;Date;Country;Lat;Lon\nA;2024-07-18;JPN;34,8;139,8\n"
    rule = f'{{ value = {value}, unit = "nm" }}'
    events, problems = run(text, with_fields(location_precision_km=rule))
    assert problems == [] and events["location_precision_km"].iloc[0] == 0.926


INCIDENTS = """
[source]
title = "Incident tracker"
[fields]
title = { column = "What" }
kind = { value = "incident" }
start = { column = "Date" }
nations = { template = "{Initiator};{Target}", split = ";" }
side_a = { column = "Initiator" }
side_b = { column = "Target", split = "[;,]" }
[geometry]
area = "taiwan-strait"
"""


def test_an_incident_lists_initiator_and_target_become_the_events_sides():
    text = (
        "What,Date,Initiator,Target\n"
        "Buoy,2023-07,China,Japan\n"
        "Water cannon,2024-06-17,CHN,Philippines; Viet Nam\n"
        "Survey ship,2024-05,China,\n"
    )
    events, problems = run(text, INCIDENTS)
    assert problems == []
    assert events["sides"].tolist() == [
        (("CHN",), ("JPN",)),
        (("CHN",), ("PHL", "VNM")),
        (("CHN",),),  # China's side said, no other nation's
    ]
    assert events["nations"].tolist()[1] == ["CHN", "PHL", "VNM"]
    # With the nations in a column of their own, two empty side cells give no sides: the
    # event counts as its kind does (an incident: no pair).
    mapping = INCIDENTS.replace(
        'nations = { template = "{Initiator};{Target}", split = ";" }',
        'nations = { column = "Nations", split = ";" }',
    )
    events, problems = run("What,Date,Nations,Initiator,Target\nShips,2024-04,CHN;JPN,,\n", mapping)
    assert problems == [] and events["sides"].tolist() == [None]


def test_a_side_outside_the_rows_nations_or_on_both_sides_leaves_its_sides_not_known():
    mapping = INCIDENTS.replace(
        'nations = { template = "{Initiator};{Target}", split = ";" }',
        'nations = { column = "Initiator" }',
    )
    text = "What,Date,Initiator,Target\nBuoy,2023-07,China,Japan\nDrill,2024-05,China,China\n"
    events, problems = run(text, mapping)
    assert events["sides"].tolist() == [(), ()]  # loaded, counted neither together nor against
    said = [str(problem) for problem in problems]
    assert len(said) == 2 and not any(problem.skipped for problem in problems)
    assert said[0].startswith("list.csv: row #2: side_b: JPN not among the row's nations (CHN)")
    assert said[1].startswith("list.csv: row #3: side_b: CHN on both sides (side_a and side_b)")
    assert all("count neither together nor against each other" in line for line in said)


def test_a_side_that_is_not_a_nation_leaves_the_row_out_naming_the_field():
    text = "What,Date,Initiator,Target\nBuoy,2023-07,China,Atlantis\n"
    events, problems = run(
        text,
        INCIDENTS.replace(
            'nations = { template = "{Initiator};{Target}", split = ";" }',
            'nations = { value = "CHN" }',
        ),
    )
    assert events.empty
    assert [problem.field for problem in problems] == ["side_b"]
    assert '"Atlantis" is not a nation this import knows' in problems[0].message


# --- eras: 令和6年, 民國113年 ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "form", "date"),
    [
        ("令和6年7月18日", "%EC%Ey年%m月%d日", "2024-07-18"),
        ("令和元年5月1日", "%EC%Ey年%m月%d日", "2019-05-01"),
        ("令和６年7月18日", "%EC%Ey年%m月%d日", "2024-07-18"),  # a full-width era year
        ("平成31年4月30日", "%EC%Ey年%m月%d日", "2019-04-30"),
        ("昭和64年1月7日", "%EC%Ey年%m月%d日", "1989-01-07"),
        ("民國113年9月25日", "%EC%Ey年%m月%d日", "2024-09-25"),
        ("民国113年9月", "%EC%Ey年%m月", "2024-09"),
        ("令和6年", "%EC%Ey年", "2024"),
    ],
)
def test_an_era_and_its_year_read_as_the_gregorian_year(cell, form, date):
    rule = f'{{ column = "Date", format = "{form}" }}'
    events, problems = run(f"{HEADER}\nA,{cell},JPN,34.8,139.8\n", with_fields(start=rule))
    assert problems == []
    assert events["start_text"].iloc[0] == date


@pytest.mark.parametrize(
    "cell",
    [
        "令和元年4月30日",  # the Reiwa era began on 1 May 2019
        "令和0年7月18日",
        "2024年7月18日",  # no era written
        "R6.7.18",
    ],
)
def test_a_date_no_era_reads_is_a_problem(cell):
    rule = '{ column = "Date", format = "%EC%Ey年%m月%d日" }'
    events, problems = run(f"{HEADER}\nA,{cell},JPN,34.8,139.8\n", with_fields(start=rule))
    assert events.empty and [problem.field for problem in problems] == ["start"]


def test_an_e_directive_other_than_the_era_pair_is_refused():
    assert form_problem("%EC%Ey年%m月") is None
    assert "%EC%Ey" in form_problem("%Ey年%m月")
