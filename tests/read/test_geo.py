"""Geographic files load right or say why (issue 21, items 3, 4, 5 and 6), each kind with its
right value, on files written here by hand (as Google Earth and GPS units write them) and by
GDAL itself (pyogrio: KML, LIBKML .kml and .kmz, GeoPackage, Shapefile, GPX, GeoJSON,
FlatGeobuf)."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from test_mapping import AREAS

from layers.read import georows
from layers.read.gpx import read_gpx
from layers.read.kml import read_kml
from layers.read.mapping import import_table, parse_mapping
from layers.read.sources import read_source

KML_22 = 'xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"'


def kml(body: str, namespace: str = KML_22) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<kml {namespace}><Document><name>Doc</name>'
        f"{body}</Document></kml>\n"
    ).encode()


def placemark(name: str, inner: str = "", point: str = "123.5,25.5") -> str:
    geometry = f"<Point><coordinates>{point}</coordinates></Point>" if point else ""
    return f"<Placemark><name>{name}</name>{inner}{geometry}</Placemark>"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, raw in members.items():
            archive.writestr(path, raw)
    return buffer.getvalue()


def rezipped(raw: bytes, changes: dict[str, bytes | None | Callable[[bytes], bytes]]) -> bytes:
    """The archive `raw` with members changed: given new bytes, left out (None), or patched (a
    function of their bytes)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, change in changes.items():
        if change is None:
            members.pop(name, None)
        else:
            members[name] = change(members[name]) if callable(change) else change
    return zipped(members)


def language_driver(ldid: int) -> Callable[[bytes], bytes]:
    """A DBF patched to name language driver `ldid` in its header (byte 29, dBASE III+)."""
    return lambda dbf: dbf[:29] + bytes([ldid]) + dbf[30:]


def rows(table) -> list[dict[str, str]]:
    return [row for _, row in table.rows]


def column(table, name: str) -> list[str]:
    return [row[name] for row in rows(table)]


def lines(table) -> list[str]:
    return [str(problem) for problem in table.problems]


def frame(**columns) -> gpd.GeoDataFrame:
    """Two features a test writes with GDAL: a point east of Taiwan and a box of the strait."""
    return gpd.GeoDataFrame(
        columns,
        geometry=[shapely.Point(123.5, 25.75), shapely.box(119, 24, 120, 25)],
        crs="EPSG:4326",
    )


def points(**columns) -> gpd.GeoDataFrame:
    """Two points (a Shapefile holds one kind of geometry)."""
    return gpd.GeoDataFrame(
        columns, geometry=[shapely.Point(123.5, 25.75), shapely.Point(120.3, 22.6)], crs="EPSG:4326"
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing reaches the network: a link a file names is never fetched."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the reader used the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- 1. Dates are read from the text the file holds ------------------------------------------
@pytest.mark.parametrize(
    ("body", "cells"),
    [
        (  # a month: never the 1st
            placemark("span", "<TimeSpan><begin>2024-06</begin></TimeSpan>"),
            {"begin": "2024-06", "end": "", "timestamp": ""},
        ),
        (  # a year: never missing
            placemark("year", "<TimeStamp><when>2023</when></TimeStamp>"),
            {"timestamp": "2023", "begin": "", "end": ""},
        ),
        (  # a day and a span's end at another precision
            placemark("day", "<TimeSpan><begin>2024-07-18</begin><end>2024</end></TimeSpan>"),
            {"begin": "2024-07-18", "end": "2024"},
        ),
        (  # a gx:Track's first and last when, each with its own offset
            "<Placemark><name>track</name><gx:Track><when>2024-07-19T08:00:00+09:00</when>"
            "<when>2024-07-19T01:30:00Z</when><gx:coord>123 25 0</gx:coord>"
            "<gx:coord>124 26 0</gx:coord></gx:Track></Placemark>",
            {"begin": "2024-07-19T08:00:00+09:00", "end": "2024-07-19T01:30:00Z"},
        ),
        (  # a track whose positions cannot be read still has the times it writes
            "<Placemark><name>track</name><gx:Track><when>2024-07</when><when>2024-08</when>"
            "<gx:coord>east north</gx:coord></gx:Track></Placemark>",
            {"begin": "2024-07", "end": "2024-08", "geometry": ""},
        ),
    ],
)
def test_kml_times_are_the_text_written_at_its_precision(body, cells):
    table = read_source("times.kml", kml(body), "times.kml")
    assert lines(table) == []
    assert {name: rows(table)[0][name] for name in cells} == cells


def test_each_kml_timestamp_keeps_its_own_offset_whatever_the_other_rows_say():
    body = "".join(
        placemark(name, f"<TimeStamp><when>{when}</when></TimeStamp>")
        for name, when in [
            ("Tokyo morning", "2024-07-19T08:00:00+09:00"),
            ("UTC", "2024-07-19T08:00:00Z"),
            ("Hawaii", "2024-07-18T20:00:00-10:00"),
        ]
    )
    table = read_source("sightings.kml", kml(body), "sightings.kml")
    assert column(table, "timestamp") == [
        "2024-07-19T08:00:00+09:00",  # 19 July in Tokyo, not 18 July in UTC
        "2024-07-19T08:00:00Z",
        "2024-07-18T20:00:00-10:00",
    ]


@pytest.mark.parametrize(
    "namespace",
    [
        KML_22,
        'xmlns="http://earth.google.com/kml/2.1"',  # Google Earth 4
        'xmlns="http://earth.google.com/kml/2.0"',
        "",  # no namespace, and the gx: prefix never declared (files edited by hand)
    ],
)
def test_kml_is_read_in_every_namespace_it_is_written_in(namespace):
    body = (
        placemark("a", "<TimeSpan><begin>2024-06</begin></TimeSpan>")
        + "<Placemark><name>b</name><gx:Track><when>2024-07</when><gx:coord>123 25 0</gx:coord>"
        "</gx:Track></Placemark>"
    )
    table = read_source("ns.kml", kml(body, namespace), "ns.kml")
    assert (column(table, "begin"), column(table, "geometry")) == (
        ["2024-06", "2024-07"],
        ["POINT (123.5 25.5)", "POINT (123 25)"],
    )


def test_a_kml_written_by_libkml_keeps_its_month_and_year(tmp_path):
    path = tmp_path / "spans.kml"
    frame(Name=["Month", "Year"], begin=["2024-06", "2023"]).to_file(path, driver="LIBKML")
    table = read_source("spans.kml", path.read_bytes(), "spans.kml")
    assert (column(table, "Name"), column(table, "begin")) == (
        ["Month", "Year"],
        ["2024-06", "2023"],
    )


@pytest.mark.parametrize(
    ("driver", "suffix"),
    [("GPKG", ".gpkg"), ("FlatGeobuf", ".fgb")],
)
def test_typed_date_times_keep_their_offset_and_dates_stay_dates(tmp_path, driver, suffix):
    path = tmp_path / f"typed{suffix}"
    data = frame(
        day=[dt.date(2024, 7, 19), dt.date(2024, 6, 1)],
        seen=pd.Series(
            [pd.Timestamp("2024-07-19T08:00:00+09:00"), pd.Timestamp("2024-07-18T23:30:00+00:00")],
            dtype=object,
        ),
    )
    data.to_file(path, driver=driver)
    assert pyogrio.read_info(path)["dtypes"][1] == "datetime64[ms]"  # GDAL typed it
    table = read_source(path.name, path.read_bytes(), path.name)
    assert column(table, "seen") == ["2024-07-19T08:00:00+09:00", "2024-07-18T23:30:00Z"]
    assert column(table, "day") == ["2024-07-19", "2024-06-01"]


def test_geojson_strings_gdal_would_type_as_dates_stay_as_written():
    features = [
        {
            "type": "Feature",
            "properties": {"seen": seen, "month": month},
            "geometry": {"type": "Point", "coordinates": [123.5, 25.5]},
        }
        for seen, month in [
            ("2024-07-19T08:00", "2024-06"),  # GDAL would add ":00" seconds
            ("2024-07-19T08:00:00.5+09:00", "2023"),  # GDAL would write ".500"
        ]
    ]
    raw = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    table = read_source("typed.geojson", raw, "typed.geojson")
    assert column(table, "seen") == ["2024-07-19T08:00", "2024-07-19T08:00:00.5+09:00"]
    assert column(table, "month") == ["2024-06", "2023"]


def test_a_shapefile_date_field_is_its_day(tmp_path):
    folder = tmp_path / "dated"
    folder.mkdir()
    frame(day=[dt.date(2024, 7, 19), dt.date(2024, 6, 1)]).iloc[:1].to_file(folder / "d.shp")
    raw = zipped({path.name: path.read_bytes() for path in folder.iterdir()})
    assert column(read_source("d.zip", raw, "d.zip"), "day") == ["2024-07-19"]


MAPPED = """
[source]
title = "Sightings"
[fields]
title = { column = "Name" }
kind = { value = "patrol" }
start = { column = "%s"%s }
nations = { value = "CHN" }
[geometry]
wkt = "geometry"
"""


def test_a_kml_month_and_an_offset_timestamp_import_with_their_own_dates():
    body = placemark("Month", "<TimeSpan><begin>2024-06</begin></TimeSpan>")
    events, problems = import_table(
        read_source("m.kml", kml(body), "m.kml"),
        parse_mapping(MAPPED % ("begin", "")),
        "m.kml",
        AREAS,
    )
    assert (problems, list(events["start_text"])) == ([], ["2024-06"])
    # With the form said, the time is the one written in Tokyo, 08:00 on 19 July, with its
    # offset; its day is 19 July, not 18 July in UTC.
    body = placemark("JST", "<TimeStamp><when>2024-07-19T08:00:00+09:00</when></TimeStamp>")
    mapping = MAPPED % ("timestamp", ', format = "%Y-%m-%dT%H:%M:%S%z"')
    table = read_source("t.kml", kml(body), "t.kml")
    events, problems = import_table(table, parse_mapping(mapping), "t.kml", AREAS)
    assert (problems, list(events["start_text"])) == ([], ["2024-07-19T08:00:00+09:00"])
    assert events["start"].iloc[0].date().isoformat() == "2024-07-19"
    assert list(events.geometry.x) == [123.5]


def test_without_a_form_an_offset_timestamp_keeps_its_time_and_its_day():
    """08:00 in Tokyo on 19 July is imported as written, never as 18 July."""
    body = placemark("JST", "<TimeStamp><when>2024-07-19T08:00:00+09:00</when></TimeStamp>")
    table = read_source("t.kml", kml(body), "t.kml")
    events, problems = import_table(
        table, parse_mapping(MAPPED % ("timestamp", "")), "t.kml", AREAS
    )
    assert problems == []
    assert list(events["start_text"]) == ["2024-07-19T08:00:00+09:00"]
    assert events["start"].iloc[0].date().isoformat() == "2024-07-19"


# --- 2. Archives and multi-table files: followed inside, never all or nothing -----------------
def test_a_kmz_written_by_libkml_gives_each_feature_back(tmp_path):
    path = tmp_path / "layer.kmz"
    frame(
        Name=["Sighting", "Drill area"],
        description=["CCG 2301", "PLA live fire"],
        Country=["CHN", "CHN"],
    ).to_file(path, driver="LIBKML")
    assert "layers/layer.kml" in zipfile.ZipFile(path).namelist()  # behind a NetworkLink
    table = read_source("layer.kmz", path.read_bytes(), "layer.kmz")
    assert lines(table) == []
    assert [
        (row["Name"], row["description"], row["Country"], row["geometry"]) for row in rows(table)
    ] == [
        ("Sighting", "CCG 2301", "CHN", "POINT (123.5 25.75)"),
        (
            "Drill area",
            "PLA live fire",
            "CHN",
            "POLYGON ((120 24, 120 25, 119 25, 119 24, 120 24))",
        ),
    ]


@pytest.mark.parametrize("driver", ["KML", "LIBKML"])
def test_a_kml_written_by_gdal_reads_back(tmp_path, driver):
    path = tmp_path / "areas.kml"
    frame(Name=["A", "B"], Date=["2024-07-18", "2024-07"]).to_file(path, driver=driver)
    table = read_source("areas.kml", path.read_bytes(), "areas.kml")
    assert [(row["Name"], row["Date"], row["geometry"][:7]) for row in rows(table)] == [
        ("A", "2024-07-18", "POINT ("),
        ("B", "2024-07", "POLYGON"),
    ]


def test_a_kmz_follows_its_links_inside_and_names_those_it_does_not_fetch():
    doc = kml(
        placemark("In the root", "<TimeStamp><when>2024-05</when></TimeStamp>")
        + "".join(
            f"<NetworkLink><name>{name}</name><Link><href>{href}</href></Link></NetworkLink>"
            for name, href in [
                ("Patrols", "layers/patrols.kml"),
                ("Live feed", "https://example.org/feed.kml"),
                ("Escape", "../../etc/passwd.kml"),
                ("Gone", "layers/missing.kml"),
            ]
        )
    )
    patrols = kml(
        "<Folder><name>2024</name>"
        + placemark("Patrol", "<TimeSpan><begin>2024-06</begin></TimeSpan>")
        + "</Folder>"
    )
    raw = zipped({"doc.kml": doc, "layers/patrols.kml": patrols, "files/icon.png": b"\x89PNG"})
    table = read_source("linked.kmz", raw, "linked.kmz")
    assert [
        (row["layer"], row["Name"], row["timestamp"] or row["begin"]) for row in rows(table)
    ] == [
        ("", "In the root", "2024-05"),
        ("Patrols/2024", "Patrol", "2024-06"),
    ]
    assert table.notes == [
        'doc.kml: the network link "Live feed" points to https://example.org/feed.kml, outside '
        "the file; not fetched (the import never uses the network)",
        'doc.kml: the network link "Escape" points to ../../etc/passwd.kml, outside the '
        "archive; not read",
        'doc.kml: the network link "Gone" points to layers/missing.kml, which is not in the '
        "archive; not read",
    ]


def test_a_link_in_a_lone_kml_is_named_not_followed():
    body = placemark("Here") + (
        "<NetworkLink><name>More</name><Link><href>more.kml</href></Link></NetworkLink>"
    )
    table = read_source("one.kml", kml(body), "one.kml")
    assert column(table, "Name") == ["Here"]
    assert table.notes == [
        'the network link "More" points to more.kml, which is not in this file; not read (give '
        "the KMZ or zip that holds it)"
    ]


def test_a_geopackage_with_qgis_layer_styles_gives_its_features(tmp_path):
    path = tmp_path / "styled.gpkg"
    frame(Title=["Sighting", "Drill"]).to_file(path, layer="events", driver="GPKG")
    styles = pd.DataFrame({"f_table_name": ["events"], "styleQML": ["<qgis/>"]})
    pyogrio.write_dataframe(styles, path, layer="layer_styles", driver="GPKG", append=True)
    table = read_source("styled.gpkg", path.read_bytes(), "styled.gpkg")
    assert lines(table) == []
    assert column(table, "Title") == ["Sighting", "Drill"]
    assert table.notes == [
        "1 table without geometry not read: layer_styles (styles and other tables that hold no "
        "features)"
    ]


def shapefile_parts(tmp_path: Path, name: str, data: gpd.GeoDataFrame, **options) -> dict:
    folder = tmp_path / name
    folder.mkdir()
    data.to_file(folder / f"{name}.shp", **options)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_shapefile_zipped_as_a_folder_by_finder_gives_its_rows(tmp_path):
    parts = shapefile_parts(tmp_path, "ports", points(Title=["Keelung", "Kaohsiung"]))
    members = {f"ports/{name}": raw for name, raw in parts.items()}
    members |= {f"__MACOSX/ports/._{name}": b"\0\5\26\7resource" for name in parts}
    members["ports/.DS_Store"] = b"\0\0\0\1Bud1"
    table = read_source("ports.zip", zipped(members), "ports.zip")
    assert (lines(table), table.notes) == ([], [])
    assert column(table, "Title") == ["Keelung", "Kaohsiung"]
    assert column(table, "geometry")[0] == "POINT (123.5 25.75)"


def test_a_zip_of_several_files_at_any_depth_gives_each_with_its_layer(tmp_path):
    members = {
        f"data/ports/{name}": raw
        for name, raw in shapefile_parts(tmp_path, "ports", points(Title=["P1", "P2"])).items()
    }
    members |= {
        f"deep/er/{name}": raw
        for name, raw in shapefile_parts(tmp_path, "zones", points(Title=["Z1", "Z2"])).items()
    }
    members["areas.kml"] = kml("<Folder><name>Zones</name>" + placemark("K1") + "</Folder>")
    frame(Title=["G1", "G2"]).to_file(tmp_path / "g.gpkg", layer="sightings", driver="GPKG")
    members["sub/g.gpkg"] = (tmp_path / "g.gpkg").read_bytes()
    members["readme.txt"] = b"notes"
    table = read_source("bundle.zip", zipped(members), "bundle.zip")
    assert [(row["layer"], row.get("Title") or row.get("Name")) for row in rows(table)] == [
        ("data/ports/ports.shp", "P1"),
        ("data/ports/ports.shp", "P2"),
        ("deep/er/zones.shp", "Z1"),
        ("deep/er/zones.shp", "Z2"),
        ("areas.kml/Zones", "K1"),
        ("sub/g.gpkg/sightings", "G1"),
        ("sub/g.gpkg/sightings", "G2"),
    ]
    assert table.notes == [
        "not read: readme.txt (in a zip the import reads Shapefiles with their .shx and .dbf, "
        "KML, KMZ, GPX, GeoPackage, GeoJSON and FlatGeobuf)"
    ]


@pytest.mark.parametrize(
    ("driver", "suffix", "options"),
    [
        ("GPX", ".gpx", {}),
        ("GeoJSON", ".geojson", {}),
        ("FlatGeobuf", ".fgb", {"SPATIAL_INDEX": "NO"}),  # an index sorts the features
        ("GPKG", ".gpkg", {}),
    ],
)
def test_files_gdal_writes_read_back(tmp_path, driver, suffix, options):
    path = tmp_path / f"written{suffix}"
    points = gpd.GeoDataFrame(
        {"name": ["Yonaguni", "Miyako"], "desc": ["west", "east"]},
        geometry=[shapely.Point(123.0, 24.45), shapely.Point(125.3, 24.8)],
        crs="EPSG:4326",
    )
    points.to_file(path, driver=driver, **options)
    table = read_source(path.name, path.read_bytes(), path.name)
    assert lines(table) == []
    assert [(row["name"], row["desc"], row["geometry"]) for row in rows(table)] == [
        ("Yonaguni", "west", "POINT (123 24.45)"),
        ("Miyako", "east", "POINT (125.3 24.8)"),
    ]


@pytest.mark.parametrize(
    ("name", "raw", "problem"),
    [
        ("empty.kml", kml(""), "empty.kml: holds no placemarks"),
        (
            "empty.kmz",
            zipped({"doc.kml": kml("<Folder><name>Nothing yet</name></Folder>")}),
            'empty.kmz: doc.kml: the folder "Nothing yet" holds no placemarks',
        ),
        (
            "empty.geojson",
            b'{"type": "FeatureCollection", "features": []}',
            "empty.geojson: gives no features",
        ),
        (
            "empty.gpx",
            b'<gpx version="1.1"></gpx>',
            "empty.gpx: holds no waypoints, routes or tracks",
        ),
        (
            "notes.zip",
            zipped({"readme.txt": b"x"}),
            "notes.zip: holds no file the import reads (a Shapefile, KML, KMZ, GPX, GeoPackage, "
            "GeoJSON or FlatGeobuf)",
        ),
    ],
)
def test_a_file_that_gives_no_rows_is_one_problem(name, raw, problem):
    table = read_source(name, raw, name)
    assert (table.rows, lines(table)[:2]) == ([], [problem] + lines(table)[1:2])
    assert problem in lines(table)


def test_an_empty_layer_beside_full_ones_is_named(tmp_path):
    path = tmp_path / "two.gpkg"
    frame(Title=["A", "B"]).to_file(path, layer="sightings", driver="GPKG")
    frame(Title=["A", "B"]).iloc[:0].to_file(path, layer="drafts", driver="GPKG")
    table = read_source("two.gpkg", path.read_bytes(), "two.gpkg")
    assert column(table, "Title") == ["A", "B"]
    assert lines(table) == ['two.gpkg: the layer "drafts" gives no features']


def test_an_archive_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(georows, "MAX_UNPACKED_BYTES", 1000)
    raw = zipped({"doc.kml": kml(placemark("x") * 50)})
    table = read_source("bomb.kmz", raw, "bomb.kmz")
    assert (table.rows, lines(table)) == (
        [],
        ["bomb.kmz: unpacks to over 1,000 bytes (1 file); not read"],
    )


# --- 3. Shapefile attributes in the encoding they are written in ------------------------------
# A real incident list's titles and descriptions in Simplified Chinese, as Excel on Chinese
# Windows and ArcMap write a DBF: GBK, no .cpg.
TITLES = ["海警船", "渔船", "海军驱逐舰", "补给舰"]
DESCRIPTIONS = [
    "中国海警船在钓鱼岛附近海域巡航",
    "菲律宾渔船在黄岩岛附近被驱离",
    "解放军海军驱逐舰通过宫古海峡",
    "补给舰与编队在西太平洋会合",
]


def chinese_shapefile(tmp_path, encoding, cpg: bool, titles=TITLES, descriptions=DESCRIPTIONS):
    data = gpd.GeoDataFrame(
        {"标题": titles, "说明": descriptions},
        geometry=[shapely.Point(123 + index / 10, 25) for index in range(len(titles))],
        crs="EPSG:4326",
    )
    parts = shapefile_parts(tmp_path, "ships", data, encoding=encoding)
    if not cpg:
        del parts["ships.cpg"]
    return zipped(parts)


LONGER_TITLES = [*TITLES, "辽宁舰", "海警船", "护卫舰", "驱逐舰"]
LONGER_DESCRIPTIONS = [
    *DESCRIPTIONS,
    "辽宁舰编队在台湾以东海域训练",
    "海警局船只在仁爱礁附近拦截补给船",
    "日本海上自卫队护卫舰通过台湾海峡",
    "美国海军驱逐舰在南海进行航行自由行动",
]


def test_a_gbk_shapefile_without_cpg_gives_its_chinese_titles(tmp_path):
    # Eight rows: with four, EUC-KR reads the same bytes about as cleanly (a question, below).
    raw = chinese_shapefile(tmp_path, "GBK", False, LONGER_TITLES, LONGER_DESCRIPTIONS)
    table = read_source("ships.zip", raw, "ships.zip")
    assert lines(table) == []
    assert column(table, "标题") == LONGER_TITLES  # 海警船, not "º£¾¯´¬"
    assert table.encoding == "gb18030"
    assert table.notes[0].startswith(
        "ships.shp: attributes (.dbf, no .cpg) not UTF-8: read as GB18030 (GBK), detected"
    )


@pytest.mark.parametrize(("encoding", "cpg"), [("GBK", True), ("UTF-8", False), ("UTF-8", True)])
def test_a_shapefile_declared_or_in_utf8_gives_its_titles(tmp_path, encoding, cpg):
    table = read_source("s.zip", chinese_shapefile(tmp_path, encoding, cpg), "s.zip")
    assert (lines(table), table.notes, column(table, "标题")) == ([], [], TITLES)


def test_a_dbf_whose_header_says_only_ansi_is_detected_too(tmp_path):
    """Language driver 0x57 is ESRI's "ANSI": the writing computer's code page, any of them."""
    raw = chinese_shapefile(tmp_path, "GBK", False, LONGER_TITLES, LONGER_DESCRIPTIONS)
    raw = rezipped(raw, {"ships.dbf": language_driver(0x57)})
    table = read_source("ansi.zip", raw, "ansi.zip")
    assert (column(table, "标题"), table.encoding) == (LONGER_TITLES, "gb18030")


def titled_shapefile(
    tmp_path, encoding: str, titles: list[str], field: str = "name", descriptions=None
) -> bytes:
    """A zipped Shapefile of points with a text field (and 说明, descriptions), written by GDAL
    in `encoding`."""
    data = gpd.GeoDataFrame(
        {field: titles, **({"说明": descriptions} if descriptions else {})},
        geometry=[shapely.Point(123 + index / 10, 25) for index in range(len(titles))],
        crs="EPSG:4326",
    )
    return zipped(shapefile_parts(tmp_path, "ships", data, encoding=encoding))


BIG5_TITLES = [
    "中國海警船在釣魚台附近海域巡航",
    "菲律賓漁船在黃岩島附近被驅離",
    "解放軍海軍驅逐艦通過宮古海峽",
]


@pytest.mark.parametrize(
    ("written", "cpg", "titles", "field", "problem", "first"),
    # Eight titles with their descriptions: GBK alone reads them cleanly (with the titles
    # alone, EUC-KR does too: a question between the two, which test_encoding.py covers).
    [
        (  # the reviewer's file: three titles loaded as "ÁÉÄþ½¢Í¨¹ý¹¬¹Åº£Ï¿" without a word
            "GBK",
            b"1252",
            ["辽宁舰通过宫古海峡", "中国海军", "演习"],
            "name",
            "its attributes (.dbf) read as Windows-1252, as its .cpg names, are not text "
            '("ÁÉÄþ½¢Í¨¹ý¹¬¹Åº£Ï¿"); GB18030 (GBK), EUC-KR (cp949), Big5 (cp950) read them '
            "cleanly: choose their encoding",
            "gb18030",
        ),
        (  # eight rows, field names in Chinese too
            "GBK",
            b"1252",
            LONGER_TITLES,
            "标题",
            'its attributes (.dbf) read as Windows-1252, as its .cpg names, are not text ("±êÌâ"); '
            "GB18030 (GBK) reads them cleanly: choose their encoding",
            "gb18030",
        ),
        (  # Big5 with a .cpg for Windows-1252
            "cp950",
            b"1252",
            BIG5_TITLES,
            "name",
            "its attributes (.dbf) read as Windows-1252, as its .cpg names, are not text "
            '("¤¤°ê®üÄµ²î¦b³¨³½¥xªþªñ®ü°ì¨µ¯è"); Big5 (cp950) reads them cleanly: choose their '
            "encoding",
            "cp950",
        ),
        (  # ISO 8859-1, no usual encoding: its reading holds control characters
            "GBK",
            b"88591",
            LONGER_TITLES,
            "标题",
            'its attributes (.dbf) read as iso8859_1, as its .cpg names, are not text ("±êÌâ"); '
            "GB18030 (GBK) reads them cleanly: choose their encoding",
            "gb18030",
        ),
        (  # bytes UTF-8 cannot have written
            "GBK",
            b"UTF-8",
            LONGER_TITLES,
            "标题",
            "its attributes (.dbf) are not UTF-8 text, as its .cpg names; choose their encoding",
            "gb18030",
        ),
    ],
)
def test_a_cpg_that_names_the_wrong_encoding_loads_nothing_and_offers_those_that_read_it(
    tmp_path, written, cpg, titles, field, problem, first
):
    descriptions = LONGER_DESCRIPTIONS if titles == LONGER_TITLES else None
    raw = titled_shapefile(tmp_path, written, titles, field, descriptions)
    raw = rezipped(raw, {"ships.cpg": cpg})
    table = read_source("wrong.zip", raw, "wrong.zip")
    assert (table.rows, lines(table)) == ([], [f"wrong.zip: ships.shp: {problem}"])
    assert (table.encodings[0], table.encoding) == (first, None)
    named = read_source("wrong.zip", raw, "wrong.zip", encoding=first)
    assert (lines(named), column(named, field), named.encoding) == ([], titles, first)


@pytest.mark.parametrize(
    ("written", "cpg", "ldid", "titles", "encoding"),
    [
        ("GBK", b"936", None, LONGER_TITLES, "gbk"),
        ("GBK", b"GBK", None, TITLES, "gbk"),
        ("cp950", b"950", None, BIG5_TITLES, "cp950"),
        (
            "cp1252",
            b"1252",
            None,
            ["Café près de l'île", "Übung größer", "PLAN’s 24°30'N"],
            "cp1252",
        ),
        ("cp1251", b"ANSI 1251", None, ["Корабли ВМФ России", "Японское море"], "cp1251"),
        # GDAL's iconv CP1258 dropped each text's last letter ("Tàu hải cảnh" as "Tàu hải cản")
        ("cp1258", b"CP1258", None, ["Tàu Trung Quốc ở Biển Đông", "Tàu hải cảnh"], "cp1258"),
        ("UTF-8", b"UTF-8", None, TITLES, "utf_8"),
        ("GBK", None, 0x4D, LONGER_TITLES, "gbk"),  # no .cpg: the DBF header's driver, 77
    ],
)
def test_a_declared_encoding_that_reads_the_text_is_used_and_said(
    tmp_path, written, cpg, ldid, titles, encoding
):
    changes = {"ships.cpg": cpg} | ({"ships.dbf": language_driver(ldid)} if ldid else {})
    raw = rezipped(titled_shapefile(tmp_path, written, titles), changes)
    table = read_source("ok.zip", raw, "ok.zip")
    assert (lines(table), column(table, "name"), table.encoding) == ([], titles, encoding)


def test_a_cpg_that_names_no_encoding_is_said_and_the_text_detected(tmp_path):
    raw = chinese_shapefile(tmp_path, "GBK", True, LONGER_TITLES, LONGER_DESCRIPTIONS)
    table = read_source("odd.zip", rezipped(raw, {"ships.cpg": b"System"}), "odd.zip")
    assert (column(table, "标题"), table.encoding) == (LONGER_TITLES, "gb18030")
    assert table.notes[0].startswith(
        'ships.shp: attributes (.dbf, whose .cpg names "System", no encoding known) not UTF-8: '
        "read as GB18030 (GBK), detected"
    )


def test_a_short_dbf_whose_encoding_is_in_doubt_loads_nothing_and_asks(tmp_path):
    raw = chinese_shapefile(tmp_path, "GBK", False, ["海警船", "渔船"], ["", ""])
    table = read_source("short.zip", raw, "short.zip")
    assert table.rows == []
    assert lines(table)[0].startswith(
        "short.zip: ships.shp: its attributes (.dbf, with no .cpg to name their encoding) is not "
        "UTF-8, and its encoding is not certain"
    )
    assert "gb18030" in table.encodings
    # The analyst's choice (the mapping's source.encoding) reads it.
    named = read_source("short.zip", raw, "short.zip", encoding="gbk")
    assert (lines(named), column(named, "标题")) == ([], ["海警船", "渔船"])


# --- 4. GPX: waypoints, routes and tracks with their times as written -------------------------
GPX = b"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Garmin" xmlns="http://www.topografix.com/GPX/1/1">
  <metadata><name>Patrol log</name></metadata>
  <wpt lat="24.45" lon="123.0">
    <ele>12</ele><time>2024-07-19T08:00:00.5+09:00</time><name>CCG 2301</name>
    <desc>Seen off Yonaguni</desc><type>sighting</type>
    <link href="https://example.org/report"><text>report</text></link>
  </wpt>
  <rte><name>Planned</name><rtept lat="24.0" lon="122.0"/><rtept lat="25.0" lon="123.0"/></rte>
  <trk><name>Day 1</name><type>patrol</type>
    <trkseg>
      <trkpt lat="24.0" lon="122.0"><time>2024-07-18T23:00:00Z</time></trkpt>
      <trkpt lat="24.5" lon="122.5"><time>2024-07-19T00:00:00Z</time></trkpt>
    </trkseg>
    <trkseg>
      <trkpt lat="25.0" lon="123.0"><time>2024-07-19T10:30:00+09:00</time></trkpt>
      <trkpt lat="25.5" lon="123.5"><time>2024-07-19T11:00:00+09:00</time></trkpt>
    </trkseg>
  </trk>
</gpx>
"""


def test_gpx_waypoints_routes_and_tracks_with_their_times_as_written():
    table = read_source("log.gpx", GPX, "log.gpx")
    assert lines(table) == []
    assert [
        (
            row["layer"],
            row["name"],
            row["time"],
            row["start_time"],
            row["end_time"],
            row["geometry"],
        )
        for row in rows(table)
    ] == [
        ("waypoints", "CCG 2301", "2024-07-19T08:00:00.5+09:00", "", "", "POINT (123 24.45)"),
        ("routes", "Planned", "", "", "", "LINESTRING (122 24, 123 25)"),
        (
            "tracks",
            "Day 1",
            "",
            "2024-07-18T23:00:00Z",
            "2024-07-19T11:00:00+09:00",
            "MULTILINESTRING ((122 24, 122.5 24.5), (123 25, 123.5 25.5))",
        ),
    ]
    first = rows(table)[0]
    assert (first["desc"], first["type"], first["link"], first["ele"]) == (
        "Seen off Yonaguni",
        "sighting",
        "https://example.org/report",
        "12",
    )
    assert table.notes == ["GPX: read 1 waypoint, 1 route, 1 track"]


TRACK_KML = kml(
    "<Placemark><name>one</name><gx:Track><when>2024-07-19T08:00:00+09:00</when>"
    "<when>2024-07-19T01:30:00Z</when><gx:coord>123 25 0</gx:coord><gx:coord>124 26 0</gx:coord>"
    "</gx:Track></Placemark>"
    "<Placemark><name>two</name><gx:MultiTrack><gx:Track><when>2024-07</when><when></when>"
    "<gx:coord>1 2 0</gx:coord><gx:coord>3 4 0</gx:coord></gx:Track><gx:Track>"
    "<when>2024-08-01T00:00Z</when><gx:coord>5 6 0</gx:coord></gx:Track></gx:MultiTrack>"
    "</Placemark>"
    # Positions that cannot be read: the times written are still the track's.
    "<Placemark><name>three</name><gx:Track><when>2024-09</when><gx:coord>east north</gx:coord>"
    "</gx:Track></Placemark>" + placemark("point")
)


@pytest.mark.parametrize(
    ("name", "raw", "times"),
    [
        (
            "t.kml",
            TRACK_KML,
            [
                [["2024-07-19T08:00:00+09:00", "2024-07-19T01:30:00Z"]],
                [["2024-07", ""], ["2024-08-01T00:00Z"]],
                [["2024-09"]],
                [],
            ],
        ),
        (
            "t.gpx",
            GPX,
            [
                [],  # a waypoint
                [["", ""]],  # a route whose points have no time
                [
                    ["2024-07-18T23:00:00Z", "2024-07-19T00:00:00Z"],
                    ["2024-07-19T10:30:00+09:00", "2024-07-19T11:00:00+09:00"],
                ],
            ],
        ),
    ],
)
def test_a_track_keeps_the_time_of_each_position_as_written(name, raw, times):
    """Kept for drawing tracks in time (issue 22): not a column, each feature's `times`."""
    reading = read_kml(raw, name) if name.endswith(".kml") else read_gpx(raw, name)
    assert [feature.times for feature in reading.features] == times
    table = read_source(name, raw, name)
    first, last = ("begin", "end") if name.endswith(".kml") else ("start_time", "end_time")
    assert [(row[first], row[last]) for row in rows(table)] == [
        (written[0], written[-1]) if written else ("", "")
        for written in ([time for track in each for time in track if time] for each in times)
    ]


def test_gpx_1_0_is_read_too():
    raw = (
        b'<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0"><wpt lat="25" lon="123">'
        b"<time>2024-07-19T08:00:00Z</time><name>A</name><url>https://example.org/a</url></wpt>"
        b"</gpx>"
    )
    table = read_source("old.gpx", raw, "old.gpx")
    assert [(row["name"], row["time"], row["link"]) for row in rows(table)] == [
        ("A", "2024-07-19T08:00:00Z", "https://example.org/a")
    ]


def test_a_track_segment_of_one_point_is_left_out_of_its_line_with_a_warning():
    raw = (
        b'<gpx version="1.1"><trk><name>T</name><trkseg><trkpt lat="24" lon="122"/>'
        b'<trkpt lat="25" lon="123"/></trkseg><trkseg><trkpt lat="26" lon="124"/></trkseg>'
        b"</trk></gpx>"
    )
    table = read_source("t.gpx", raw, "t.gpx")
    assert column(table, "geometry") == ["LINESTRING (122 24, 123 25)"]
    assert lines(table) == [
        "t.gpx: feature #1: geometry: 1 segment of one point left out of the line (a line needs "
        "two points)"
    ]


# --- 5. Geometry as WKT; broken input is a problem, never an exception ------------------------
def test_kml_geometries_become_wkt_in_longitude_latitude():
    body = (
        placemark("line", point="").replace(
            "</Placemark>",
            "<LineString><coordinates>122,24,0 123, 25,0</coordinates></LineString></Placemark>",
        )
        + "<Placemark><name>holed</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        "0,0 10,0 10,10 0,10 0,0</coordinates></LinearRing></outerBoundaryIs><innerBoundaryIs>"
        "<LinearRing><coordinates>1,1 2,1 2,2 1,1</coordinates></LinearRing></innerBoundaryIs>"
        "</Polygon></Placemark>"
        "<Placemark><name>multi</name><MultiGeometry><Point><coordinates>1,2</coordinates>"
        "</Point><Point><coordinates>3,4</coordinates></Point></MultiGeometry></Placemark>"
        "<Placemark><name>tracks</name><gx:MultiTrack><gx:Track><gx:coord>1 2 0</gx:coord>"
        "<gx:coord>3 4 0</gx:coord></gx:Track><gx:Track><gx:coord>5 6 0</gx:coord>"
        "<gx:coord>7 8 0</gx:coord></gx:Track></gx:MultiTrack></Placemark>"
    )
    table = read_source("shapes.kml", kml(body), "shapes.kml")
    assert column(table, "geometry") == [
        "LINESTRING (122 24, 123 25)",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1))",
        "MULTIPOINT ((1 2), (3 4))",
        "MULTILINESTRING ((1 2, 3 4), (5 6, 7 8))",
    ]


def test_a_geometry_that_cannot_be_read_leaves_out_its_row_with_the_reason():
    body = placemark("good", "<TimeStamp><when>2024-07</when></TimeStamp>") + (
        "<Placemark><name>open ring</name><TimeStamp><when>2024-07</when></TimeStamp><Polygon>"
        "<outerBoundaryIs><LinearRing><coordinates>0,0 10,0 10,10 0,10</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark>"
        "<Placemark><name>text</name><TimeStamp><when>2024-07</when></TimeStamp><Point>"
        "<coordinates>１２３,25</coordinates></Point></Placemark>"
    )
    table = read_source("bad.kml", kml(body), "bad.kml")
    events, problems = import_table(
        table, parse_mapping(MAPPED % ("timestamp", "")), "bad.kml", AREAS
    )
    assert list(events["title"]) == ["good"]
    assert [str(problem) for problem in problems] == [
        "bad.kml: feature #2: wkt: the outer boundary is not closed (its last position is "
        "not its first)",
        'bad.kml: feature #3: wkt: the longitude of position 1 of the Point "１２３" is '
        "not a number",
    ]


@pytest.mark.parametrize(
    ("name", "raw", "problem"),
    [
        ("cut.kml", b"<kml><Document><Placemark>", "cannot be read as KML: it is not well-formed"),
        ("empty.kml", b"", "cannot be read as KML: it is not well-formed XML (line 1, column 1)"),
        ("gpx.kml", GPX, "is XML but not KML (its root is <gpx>)"),
        ("kml.gpx", kml(placemark("x")), "is XML but not GPX (its root is <kml>)"),
        (
            "laughs.kml",
            b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<kml><Document><Placemark><name>&b;</name></Placemark></Document></kml>",
            "cannot be read as KML: it declares XML entities, which KML and GPX never need",
        ),
        (
            "external.kml",
            b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "http://example.org/x">]>'
            b"<kml><Document><Placemark><name>&x;</name></Placemark></Document></kml>",
            "cannot be read as KML: it declares XML entities",
        ),
        (
            "latin.kml",
            "<kml><Placemark><name>Café</name></Placemark></kml>".encode("latin-1"),
            "cannot be read as KML: byte 25 is not utf-8 text (XML's default)",
        ),
        ("cut.kmz", b"PK\x03\x04\x14\x00garbage", "cannot be read as KMZ: it is not a whole ZIP"),
        ("notzip.zip", b"plain text", "cannot be read as a zip archive: it is not a whole ZIP"),
        ("bad.gpkg", b"SQLite format 3\x00" + b"\0" * 100, "cannot be read as a GeoPackage"),
        ("bad.fgb", b"fgb\x03" + b"\xff" * 64, "cannot be read as FlatGeobuf"),
        ("bad.geojson", b'{"type": "Feature', "cannot be read as GeoJSON"),
        (
            "lone.zip",
            zipped({"roads.shp": b"\0" * 100}),
            "roads.shp: has no .shx or .dbf beside it",
        ),
    ],
)
def test_broken_input_is_one_plain_problem_and_nothing_loads(name, raw, problem):
    table = read_source(name, raw, name)
    assert table.rows == []
    assert any(problem in line for line in lines(table)), lines(table)
    assert all(line.startswith(f"{name}: ") and "\n" not in line for line in lines(table))


def test_a_kml_in_a_declared_encoding_is_read():
    raw = (
        '<?xml version="1.0" encoding="windows-1252"?><kml><Placemark><name>Café</name>'
        "</Placemark></kml>"
    )
    table = read_source("latin.kml", raw.encode("cp1252"), "latin.kml")
    assert column(table, "Name") == ["Café"]


# --- 6. Every value a feature holds reaches a column, as written ------------------------------
def geojson(*features: str, crs: str = "") -> bytes:
    """A FeatureCollection written by hand: each feature as its JSON text, numbers as typed."""
    head = f'"crs": {crs}, ' if crs else ""
    return f'{{"type": "FeatureCollection", {head}"features": [{", ".join(features)}]}}'.encode()


def feature(
    properties: str, id_: str = "", geometry: str = '{"type": "Point", "coordinates": [130, 33]}'
) -> str:
    member = f'"id": {id_}, ' if id_ else ""
    return f'{{"type": "Feature", {member}"properties": {properties}, "geometry": {geometry}}}'


@pytest.mark.parametrize(
    ("features", "cells"),
    [
        (  # a property named "geometry" was overwritten by the geometry (pyogrio)
            [feature('{"name": "A", "geometry": "reported by JSO"}')],
            {
                "name": ["A"],
                "geometry (property)": ["reported by JSO"],
                "geometry": ["POINT (130 33)"],
            },
        ),
        (  # and one named "layer" by the layer column
            [feature('{"layer": "PLAN"}')],
            {"layer (property)": ["PLAN"]},
        ),
        (  # numeric ids were GDAL's row numbers, never a column
            [feature('{"n": 1}', "17"), feature('{"n": 2}', "18"), feature('{"n": 3}', "19")],
            {"id": ["17", "18", "19"], "n": ["1", "2", "3"]},
        ),
        (  # GDAL renumbered a repeated id, invented one, dropped a text one among numbers
            [feature("{}", "5"), feature("{}", "5"), feature("{}"), feature("{}", '"x2"')],
            {"id": ["5", "5", "", "x2"]},
        ),
        (  # a feature's id and a property "id": both kept
            [feature('{"id": "p-1"}', '"f-1"')],
            {"id": ["f-1"], "id (property)": ["p-1"]},
        ),
        (  # an integer column with a null went through a float: ...993 became ...992
            [feature('{"big": 9007199254740993}'), feature('{"big": null}')],
            {"big": ["9007199254740993", ""]},
        ),
        (  # numbers as written, not as a float prints them
            [feature('{"kn": 1.50, "m": 2.25e3, "x": 0.1000000000000000055511151231257827}')],
            {"kn": ["1.50"], "m": ["2.25e3"], "x": ["0.1000000000000000055511151231257827"]},
        ),
        (  # a name written twice in one feature: both values (JSON keeps the last)
            [feature('{"Country": "CHN", "Country": "RUS"}')],
            {"Country": ["CHN"], "Country (2)": ["RUS"]},
        ),
        (  # true, false, lists and objects as JSON writes them
            [feature('{"ok": true, "no": false, "ships": [1.50, {"a": null}]}')],
            {"ok": ["true"], "no": ["false"], "ships": ['[1.50, {"a": null}]']},
        ),
    ],
)
def test_every_geojson_property_and_id_reaches_a_column_as_written(features, cells):
    table = read_source("p.geojson", geojson(*features), "p.geojson")
    assert lines(table) == []
    assert {name: column(table, name) for name in cells} == cells


def test_renamed_and_repeated_geojson_properties_are_said_once_per_file():
    raw = geojson(
        *[feature('{"geometry": "x", "Country": "CHN", "Country": "RUS"}', str(n)) for n in (1, 2)]
    )
    table = read_source("p.geojson", raw, "p.geojson")
    assert table.notes == [
        'properties named as a column the import adds are renamed: "geometry" is "geometry '
        '(property)"',
        'a feature writes the same property more than once; each is kept: "Country" (again as '
        '"Country (2)")',
    ]


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        (  # GDAL left these empty without a word
            '{"type": "Polygon", "coordinates": [[[0, 0], [0, 0]]]}',
            "its geometry cannot be read: a ring of the Polygon has too few positions (4, the "
            "last repeating the first)",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}',
            "its geometry cannot be read: a ring of the Polygon is not closed (its last "
            "position is not its first)",
        ),
        (
            '{"type": "LineString", "coordinates": [[130, 33]]}',
            "its geometry cannot be read: a line or ring of the LineString has one position",
        ),
        (
            '{"type": "Point", "coordinates": [130]}',
            "its geometry cannot be read: a position of the Point is not [longitude, latitude]",
        ),
        (
            '{"type": "Point", "coordinates": "130,33"}',
            "its geometry cannot be read: its coordinates are not those of a GeoJSON Point (RFC "
            "7946 §3.1)",
        ),
        (
            '{"type": "Circle", "radius": 5}',
            'its geometry is an object of type "Circle", not a GeoJSON geometry',
        ),
    ],
)
def test_a_geojson_geometry_that_cannot_be_read_is_said_for_its_row(geometry, reason):
    raw = geojson(feature('{"name": "A"}', geometry=geometry), feature('{"name": "B"}'))
    table = read_source("g.geojson", raw, "g.geojson")
    assert [(row["name"], row["geometry"]) for row in rows(table)] == [
        ("A", ""),
        ("B", "POINT (130 33)"),
    ]
    assert table.unknown == {(1, "geometry"): reason}


def test_an_entry_of_features_that_is_not_a_feature_is_said_and_the_rest_loads():
    raw = geojson('{"type": "Point", "coordinates": [1, 2]}', feature('{"name": "B"}'), "7")
    table = read_source("e.geojson", raw, "e.geojson")
    assert column(table, "name") == ["B"]
    assert lines(table) == [
        'e.geojson: entries 1 (an object of type "Point"), 3 (a number) of "features" are not '
        "Features; left out"
    ]


def test_a_geojson_in_a_named_coordinate_system_is_reprojected_and_an_unknown_one_refused():
    web_mercator = '{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}'
    point = '{"type": "Point", "coordinates": [13358338.895192828, 3895303.9633938945]}'
    table = read_source(
        "m.geojson", geojson(feature("{}", geometry=point), crs=web_mercator), "m.geojson"
    )
    x, y = shapely.from_wkt(column(table, "geometry")[0]).coords[0]
    assert (round(x, 6), round(y, 6)) == (120.0, 33.0)
    unknown = '{"type": "name", "properties": {"name": "EPSG:999999"}}'
    table = read_source("u.geojson", geojson(feature("{}"), crs=unknown), "u.geojson")
    assert (table.rows, lines(table)) == (
        [],
        ['u.geojson: names the coordinate system "EPSG:999999", which is not known; not read'],
    )


@pytest.mark.parametrize(("driver", "suffix"), [("GPKG", ".gpkg"), ("FlatGeobuf", ".fgb")])
def test_large_integers_with_nulls_stay_exact_in_typed_files(tmp_path, driver, suffix):
    path = tmp_path / f"big{suffix}"
    points(mmsi=pd.array([9007199254740993, None], dtype="Int64")).to_file(path, driver=driver)
    table = read_source(path.name, path.read_bytes(), path.name)
    assert column(table, "mmsi") == ["9007199254740993", ""]


def test_a_geopackage_keeps_its_fids_and_an_attribute_named_geometry(tmp_path):
    from pyogrio.raw import write

    path = tmp_path / "named.gpkg"
    write(
        path,
        geometry=shapely.to_wkb(np.array([shapely.Point(123.5, 25.75), shapely.Point(120, 22)])),
        field_data=[np.array(["A", "B"], dtype=object), np.array(["JSO", "CCG"], dtype=object)],
        fields=["name", "geometry"],
        geometry_type="Point",
        crs="EPSG:4326",
        layer="sightings",
        driver="GPKG",
    )
    table = read_source("named.gpkg", path.read_bytes(), "named.gpkg")
    assert [
        (row["fid"], row["name"], row["geometry (attribute)"], row["geometry"])
        for row in rows(table)
    ] == [("1", "A", "JSO", "POINT (123.5 25.75)"), ("2", "B", "CCG", "POINT (120 22)")]
    assert table.notes == [
        'attributes named as a column the import adds are renamed: "geometry" is "geometry '
        '(attribute)"'
    ]


def extended(*data: tuple[str, str], schema: tuple[tuple[str, str], ...] = ()) -> str:
    """A placemark's ExtendedData: Data elements, then one SchemaData of SimpleData."""
    items = "".join(f'<Data name="{name}"><value>{value}</value></Data>' for name, value in data)
    if schema:
        simple = "".join(
            f'<SimpleData name="{name}">{value}</SimpleData>' for name, value in schema
        )
        items += f'<SchemaData schemaUrl="#s">{simple}</SchemaData>'
    return f"<ExtendedData>{items}</ExtendedData>"


@pytest.mark.parametrize(
    ("data", "cells", "notes"),
    [
        (  # overwritten by the geometry's WKT
            extended(("geometry", "reported by JSO")),
            {"geometry (ExtendedData)": "reported by JSO", "geometry": "POINT (123.5 25.5)"},
            [
                'ExtendedData named as a column the import adds is renamed: "geometry" is '
                '"geometry (ExtendedData)"'
            ],
        ),
        (  # the second was lost to the first
            extended(("Country", "CHN"), ("Country", "RUS"), ("Country", "PRK")),
            {"Country": "CHN", "Country (2)": "RUS", "Country (3)": "PRK"},
            [
                "a placemark's ExtendedData writes the same name more than once; each is kept: "
                '"Country" (again as "Country (2)")'
            ],
        ),
        (  # a Data and a SimpleData of one name, and names the import's columns take
            extended(("Name", "Haijing 2301"), ("layer", "CCG"), schema=(("Name", "2301"),)),
            {
                "Name": "A",
                "Name (ExtendedData)": "Haijing 2301",
                "layer (ExtendedData)": "CCG",
                "Name (ExtendedData) (2)": "2301",
            },
            [
                'ExtendedData named as a column the import adds is renamed: "Name" is "Name '
                '(ExtendedData)", "layer" is "layer (ExtendedData)"',
                "a placemark's ExtendedData writes the same name more than once; each is kept: "
                '"Name (ExtendedData)" (again as "Name (ExtendedData) (2)")',
            ],
        ),
    ],
)
def test_every_extended_data_value_is_a_column_of_its_own(data, cells, notes):
    table = read_source("x.kml", kml(placemark("A", data) + placemark("B", data)), "x.kml")
    assert lines(table) == []
    assert [{name: row[name] for name in cells} for row in rows(table)] == [
        cells,
        {**cells, **({"Name": "B"} if "Name" in cells else {})},
    ]
    assert table.notes == notes  # once for the file, not once per placemark


def test_a_curve_in_a_geopackage_is_said_for_its_row_and_the_rest_loads(tmp_path):
    """GEOS reads no CircularString (shapely refused the whole layer for one)."""
    from pyogrio.raw import write

    arc = (
        b"\x01\x08\x00\x00\x00\x03\x00\x00\x00"
        + np.array([123, 25, 123.5, 25.5, 124, 25], dtype="<f8").tobytes()
    )
    line = shapely.to_wkb(shapely.LineString([(120, 22), (121, 23)]))
    path = tmp_path / "curve.gpkg"
    write(
        path,
        geometry=np.array([arc, line], dtype=object),
        field_data=[np.array(["arc", "line"], dtype=object)],
        fields=["name"],
        geometry_type="Unknown",
        crs="EPSG:4326",
        layer="routes",
        driver="GPKG",
    )
    table = read_source("curve.gpkg", path.read_bytes(), "curve.gpkg")
    assert [(row["name"], row["geometry"]) for row in rows(table)] == [
        ("arc", ""),
        ("line", "LINESTRING (120 22, 121 23)"),
    ]
    assert table.unknown == {
        (1, "geometry"): "its geometry cannot be read (a curve, or another kind of geometry the "
        "import does not read)"
    }


@pytest.mark.parametrize(
    ("coordinates", "wkt"),
    [
        ("[130, 33]", "POINT (130 33)"),
        ("[130.0, 33.50, 12]", "POINT (130 33.5)"),  # written otherwise than Python writes
        ("[1.3e2, 33.25]", "POINT (130 33.25)"),
        ("[-179.999999, -0.000001]", "POINT (-179.999999 -1e-6)"),
    ],
)
def test_a_geojson_point_is_its_position_however_its_numbers_are_written(coordinates, wkt):
    point = f'{{"type": "Point", "coordinates": {coordinates}}}'
    mixed = '{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}'
    raw = geojson(feature("{}", geometry=mixed), feature("{}", geometry=point))
    table = read_source("p.geojson", raw, "p.geojson")
    assert column(table, "geometry") == ["LINESTRING (1 2, 3 4)", wkt]
