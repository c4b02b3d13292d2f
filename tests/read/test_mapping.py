"""Mapped imports: every mapping key, every date case, the nation rules, the readers (CSV, XLSX,
KML made here), and mappings that cannot read their file, each with its right value."""

from __future__ import annotations

import datetime as dt
import io
import json

import geopandas as gpd
import openpyxl
import pytest
import shapely
from conftest import REPO, area, collection

from layers.read.load import load_geodata
from layers.read.mapping import (
    MappingError,
    import_table,
    mapping_problems,
    mapping_toml,
    parse_mapping,
)
from layers.read.sources import read_source

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
    for line in lines:
        key = line.split("=")[0].strip()
        if key in rules and not line.startswith("["):
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
        'list.csv: row #4: kind: "不明" is not one of exercise, patrol, transit, port_call, '
        'deployment, incident, diplomacy; map it with values = { "…" = "exercise" }'
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
        'list.csv: row #2: nations: "Atlantis": not a nation this import knows; add it to the '
        'mapping\'s values, e.g. values = { "中国" = "CHN" } (or "" to leave it out)'
    ]


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
        'x.xlsx: header: the column "Country" is written 2 times; the first is read'
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
