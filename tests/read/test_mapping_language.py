"""The mapped import (a CSV or workbook read through a mapping: the README tour's "import a
list") says its problems in the reader's language (issue 27): the words translated, the values
quoted from the list, the mapping's keys and the strptime forms as written; `str(problem)` is
the English it always was."""

from __future__ import annotations

import re

import openpyxl
import pytest
from conftest import REPO
from strategies import xlsx_bytes

from layers.i18n import language, localized
from layers.read.load import load_geodata
from layers.read.mapping import MappingError, parse_mapping
from layers.read.schema import Problem
from layers.read.upload import import_upload, upload_table

EXAMPLES = REPO / "docs" / "examples" / "import"
QUOTED = re.compile(r'"[^"]*"')
# Two English words in a row (outside quoted values): a sentence left untranslated.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")

BAD_LIST = """Date,Ships,Country,Lat,Lon,Range,Kind,Aircraft,Link,Status
2024-13-01,A,JPN,north,122,5,exercise,12,https://example.org/a,
13/01/2024,B,Narnia,24,east,far,drill,many,see also,
2024-07-18T08:00,C,JPN,24,122,3,exercise,1.000,ftp://example.org/c,
2024-07-19,D,JPN,24,122,3,exercise,2,https://example.org/d,duplicate
2024-07-20,E,JPN,24,122,3,exercise,2,https://example.org/e,
"""
BAD_MAPPING = """[source]
title = "Bad list"
[fields]
title = { column = "Ships" }
kind = { column = "Kind" }
start = { column = "Date" }
nations = { column = "Country", split = ";" }
location_precision_km = { column = "Range", unit = "nm" }
source_url = { column = "Link" }
[counts]
aircraft = { column = "Aircraft" }
[geometry]
lat = "Lat"
lon = "Lon"
[[skip]]
column = "Status"
equals = ["duplicate"]
"""


@pytest.fixture(scope="module")
def areas():
    return load_geodata(REPO / "geodata").areas


def imported(name: str, raw: bytes, mapping_text: str, areas):
    table = upload_table(name, raw)
    return import_upload(name, table, parse_mapping(mapping_text), {}, areas)


def english_runs(text: str) -> list[str]:
    return ENGLISH_RUN.findall(QUOTED.sub('""', text))


def test_the_strait_transits_bad_date_is_said_in_japanese_and_chinese(areas):
    upload = imported(
        "strait-transits.csv",
        (EXAMPLES / "strait-transits.csv").read_bytes(),
        (EXAMPLES / "strait-transits.mapping.toml").read_text(encoding="utf-8"),
        areas,
    )
    [problem] = [problem for problem in upload.problems if problem.field == "start"]
    assert str(problem) == (
        'upload: strait-transits.csv: row #8: start: "2024/10/32" is not a date in the form '
        "%Y/%m/%d or %Y/%m"
    )
    with language("ja"):
        said = problem.localized()
    assert said == (
        'upload: strait-transits.csv: 行 #8: start: "2024/10/32" は %Y/%m/%d または %Y/%m の'
        "書式の日付ではありません"
    )
    with language("zh-TW"):
        assert problem.localized().endswith('"2024/10/32" 不是 %Y/%m/%d 或 %Y/%m 格式的日期')
    with language("zh-CN"):
        assert problem.localized().endswith('"2024/10/32" 不是 %Y/%m/%d 或 %Y/%m 格式的日期')


def test_the_japanese_sightings_log_bad_date_keeps_the_value_as_written(areas):
    upload = imported(
        "sightings-ja.csv",
        (EXAMPLES / "sightings-ja.csv").read_bytes(),
        (EXAMPLES / "sightings-ja.mapping.toml").read_text(encoding="utf-8"),
        areas,
    )
    [problem] = upload.problems
    assert problem.message == '"32/07/2024" is not a date in the form %d/%m/%Y'
    with language("zh-TW"):
        assert problem.localized() == (
            'upload: sightings-ja.csv: 列 #6: start: "32/07/2024" 不是 %d/%m/%Y 格式的日期'
        )


@pytest.mark.parametrize("tag", ["ja", "zh-TW", "zh-CN"])
def test_every_problem_of_a_bad_list_is_translated_with_its_values_as_written(areas, tag):
    upload = imported("bad.csv", BAD_LIST.encode(), BAD_MAPPING, areas)
    english = [str(problem) for problem in upload.problems]
    fields = {problem.field for problem in upload.problems}
    assert {"start", "lat", "lon", "kind", "nations", "location_precision_km"} <= fields
    assert {"counts.aircraft", "source_url"} <= fields
    with language(tag):
        said = [problem.localized() for problem in upload.problems]
        left_out = upload.left_out.summary()
    for line, before in zip(said, english, strict=True):
        assert not english_runs(line), line
        # Every value the English quotes is quoted as written in the reader's language too.
        for value in QUOTED.findall(before):
            assert value in line, (value, line)
    assert [str(problem) for problem in upload.problems] == english  # English untouched
    assert "is not a latitude" in " ".join(english)  # the coordinate's own reason, in English
    assert not english_runs(left_out), left_out
    assert 'Status = "duplicate"' in left_out


def test_the_words_are_the_readers_own(areas):
    upload = imported("bad.csv", BAD_LIST.encode(), BAD_MAPPING, areas)
    by_field = {problem.field: problem for problem in upload.problems}
    with language("ja"):
        assert "緯度ではありません" in by_field["lat"].localized()
        assert "この取り込みが知らない国です" in by_field["nations"].localized()
        assert "日付 2024-07-18 だけを残しました" in by_field["start"].localized() or any(
            "日付 2024-07-18 だけを残しました" in problem.localized() for problem in upload.problems
        )
        assert (
            by_field["counts.aircraft"]
            .localized()
            .endswith(
                '"1.000" は 1 とも 1,000 とも読めます。区切り記号なしで書いてください。無視しました'
            )
        )
    with language("zh-TW"):
        assert "不是經度" in by_field["lon"].localized()
        assert '"far" 不是以 nm 計的距離' in by_field["location_precision_km"].localized()
        assert '"drill" 不是下列之一：exercise, ' in by_field["kind"].localized()


def test_a_mapping_that_cannot_be_used_is_said_in_the_readers_language():
    broken = """[source]
title = "List"
[fields]
title = { column = "Ships", split = ";" }
kind = { value = "transit" }
start = { column = "Date", format = "%d/%m" }
[geometry]
lat = "Lat"
"""
    with pytest.raises(MappingError) as caught:
        parse_mapping(broken)
    problems = caught.value.problems
    assert problems == [
        "fields.title.split: title does not take split (it takes column, value, template, values)",
        'fields.start.format: "%d/%m" names no year (%Y or %y): a date needs the year its source '
        'wrote; if another column gives it, join them with template = "{Year} {Date}" and a form '
        'such as "%Y %d %B"',
        "fields.nations is missing: every event needs it",
        "[geometry] needs exactly one of: "
        'lat = "…" with lon = "…", wkt = "…", points = { column = "…" } or area = "…"',
    ]
    with language("ja"):
        said = [Problem("mapping.toml", problem).localized() for problem in problems]
    assert said[0] == (
        "mapping.toml: fields.title.split：title は split を取りません"
        "（使えるのは column, value, template, values）"
    )
    assert "年（%Y または %y）がありません" in said[1] and '"%d/%m"' in said[1]
    assert said[2] == "mapping.toml: fields.nations がありません。すべてのイベントに必要です"
    for line in said:
        assert not english_runs(line), line


# --- what the import step says about the file itself: workbook, GPX, KML --------------------
def workbook_bytes() -> bytes:
    """A log on its second sheet, the first hidden; a formula without a saved result."""
    book = openpyxl.Workbook()
    book.active.title = "calc"
    book.active.append(["x"])
    book.active.sheet_state = "hidden"
    log = book.create_sheet("航跡")
    log.append(["Title", "Lat", "Lon"])
    log.append(["A", "=24+0.5", 121.5])
    book.active = 1
    return xlsx_bytes(book)


def test_the_sheet_note_and_a_formula_cell_are_said_in_japanese_and_chinese(areas):
    table = upload_table("log.xlsx", workbook_bytes())
    assert table.notes[0] == 'sheet "航跡" read; also in the workbook: the hidden "calc"'
    [why] = table.unknown.values()
    assert str(why).startswith("B2 holds a formula (=24+0.5) whose result was not saved")
    with language("ja"):
        assert localized(table.notes[0]) == (
            'シート "航跡" を読み取りました。ブック内の他のシート：非表示の "calc"'
        )
        said = localized(why)
        assert said.startswith("B2 の数式（=24+0.5）の結果がファイルに保存されていません")
        assert not english_runs(said.replace("XlsxWriter", "").replace("LibreOffice", ""))
    with language("zh-TW"):
        assert localized(table.notes[0]) == '已讀取工作表 "航跡"；活頁簿中另有：隱藏的 "calc"'
    mapping = """[source]
title = "Log"
[fields]
title = { column = "Title" }
kind = { value = "patrol" }
start = { value = "2024-07-18" }
nations = { value = "JPN" }
[geometry]
lat = "Lat"
lon = "Lon"
"""
    [problem] = import_upload("log.xlsx", table, parse_mapping(mapping), {}, areas).problems
    assert problem.field == "lat"
    with language("zh-CN"):
        said = problem.localized()
    assert said.startswith("upload: log.xlsx: 行 #2: lat: B2 含有公式（=24+0.5），但结果未存入文件")


GPX = b"""<?xml version="1.0"?>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="north" lon="122"><name>A</name></wpt>
<trk><trkseg><trkpt lat="24" lon="122"/></trkseg>
<trkseg><trkpt lat="24" lon="122"/><trkpt lat="25" lon="123"/></trkseg></trk>
</gpx>"""


def test_a_gpx_files_note_and_problems_are_said_in_japanese():
    table = upload_table("patrol.gpx", GPX)
    assert table.notes == ["GPX: read 1 waypoint, 1 track"]
    [why] = table.unknown.values()
    assert why == 'the lat of the waypoint "north" is not a number'
    [warning] = table.problems
    with language("ja"):
        assert localized(table.notes[0]) == "GPX：ウェイポイント 1 件、航跡 1 件を読み取りました"
        assert localized(why) == 'ウェイポイントの lat "north" は数値ではありません'
        assert warning.localized() == (
            "upload: patrol.gpx: 地物 #2: geometry: "
            "点が 1 つだけのセグメント 1 件を線から除きました（線には 2 点が必要です）"
        )


KML = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Box</name><Polygon><outerBoundaryIs><LinearRing>
<coordinates>122,24 123,24 123,25</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Odd</name><Point><coordinates>122;24</coordinates></Point></Placemark>
</Document></kml>"""


def test_a_kml_geometry_that_cannot_be_read_is_said_in_traditional_chinese():
    table = upload_table("survey.kml", KML)
    reasons = [table.unknown[key] for key in sorted(table.unknown)]
    assert reasons == [
        "the outer boundary has 3 positions; a ring needs 4",
        'position 1 of the Point "122;24" is not longitude,latitude[,altitude]',
    ]
    with language("zh-TW"):
        assert [localized(why) for why in reasons] == [
            "外邊界有 3 個位置；環需要 4 個",
            'Point 的第 1 個位置 "122;24" 不是「經度,緯度[,高度]」',
        ]


# --- warning sources --------------------------------------------------------------------------
def test_a_warning_tables_notes_and_bad_date_are_said_in_japanese():
    from layers.read.navwarn.events import table_items
    from layers.read.navwarn.sources import read_nga_json, table_source
    from layers.read.table import Table

    table = Table(
        ["text", "url", "date"],
        [(2, {"text": "HYDROPAC 1234/24 …", "url": "https://example.org/1", "date": "18/07/2024"})],
    )
    source = table_source(table, "warnings.csv", published_column="date")
    [note] = source.notes
    assert note == 'warnings.csv: warnings read from text "text", URL "url" (guessed)'
    _items, [problem] = table_items(table, "warnings.csv", "text", published_column="date")
    assert str(problem) == (
        'warnings.csv: row #2: date: "18/07/2024" is not a date (YYYY-MM-DD); not used'
    )
    with language("ja"):
        assert localized(note) == (
            'warnings.csv：警報を 本文 "text"、URL "url" から読み取りました（推定）'
        )
        assert problem.localized() == (
            'warnings.csv: 行 #2: date: "18/07/2024" は日付（YYYY-MM-DD）ではありません。'
            "使いませんでした"
        )
    [broken] = read_nga_json(b'{"broadcast-warn": [', "w.json").problems
    with language("zh-TW"):
        assert broken.localized() == "w.json: 無法以 JSON 讀取：不是 JSON（第 1 行，第 21 字）"


def test_a_list_of_bad_nation_codes_is_joined_in_the_readers_language():
    import json

    from conftest import collection, event

    from layers.read.load import check_file

    raw = json.dumps(collection(event("two", nations=["Japan", "Xx"]))).encode()
    [problem] = check_file(raw, "events/bad.geojson", "events").problems
    assert problem.message == (
        '"Japan" (did you mean "JPN"?), "Xx" are not ISO 3166-1 alpha-3 codes'
    )
    with language("ja"):
        said = problem.localized()
    assert '"Japan"（"JPN" ではありませんか？）、"Xx"' in said
    assert not english_runs(said.replace("ISO 3166-1 alpha-3", ""))


# --- the import step itself ---------------------------------------------------------------------
def test_the_import_steps_problem_table_names_each_row_and_says_each_problem_in_japanese(
    tmp_path, monkeypatch
):
    from conftest import small_dataset
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GEODATA_DIR", str(small_dataset(tmp_path / "geodata")))
    with language("ja"):
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        at.query_params["lang"] = "ja"
        at.run().run()
        files = [
            ("list.csv", BAD_LIST.encode(), "text/csv"),
            ("list.mapping.toml", BAD_MAPPING.encode(), "application/toml"),
        ]
        at.sidebar.get("file_uploader")[0].set_value(files)
        at.run()
    assert not at.exception
    frame = next(table.value for table in at.table if "問題" in list(table.value.columns))
    frame = frame.map(lambda text: re.sub(r"\\(.)", r"\1", text))
    rows = frame.to_dict("records")
    lat = next(row for row in rows if row["項目"] == "lat")
    assert lat["行"] == "行 #2"  # the row named in the reader's language
    assert lat["問題"].startswith('"north" は緯度ではありません')
    assert not any(english_runs(row["問題"]) for row in rows)


def test_a_big5_lists_encoding_note_is_said_in_traditional_chinese():
    text = (
        "日期,艦名,備註\n2024/7/18,海巡艦艇甲,臺灣東部海域巡邏\n2024/7/19,海巡艦艇乙,澎湖附近海域\n"
        "2024/7/20,海巡艦艇丙,金門料羅灣\n"
    )
    raw = text.encode("cp950")
    table = upload_table("list.csv", raw)
    [note] = table.notes
    assert note.startswith("not UTF-8: read as Big5 (cp950), detected; if letters look wrong")
    with language("zh-TW"):
        said = localized(note)
    assert said.startswith(
        "不是 UTF-8：經偵測以 Big5 (cp950) 讀取；若文字看起來有誤，請選擇其他編碼"
    )
    assert not english_runs(said)
