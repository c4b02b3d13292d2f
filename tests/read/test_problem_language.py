"""A data problem is made once (cached for every session) and shown in each reader's language:
`Problem.localized()` translates its words and keeps the values quoted from the data as
written; `str(problem)` stays the English it always was."""

from __future__ import annotations

import json
import pickle

from conftest import REPO, collection, event, write_geodata
from streamlit.testing.v1 import AppTest

from layers.i18n import Message, language, localized
from layers.read.load import check_file, load_geodata
from layers.read.schema import Problem
from layers.read.upload import read_upload


def problems_of(*features) -> list[Problem]:
    raw = json.dumps(collection(*features), ensure_ascii=False).encode()
    return check_file(raw, "events/bad.geojson", "events").problems


def only(problems: list[Problem], field: str) -> Problem:
    [problem] = [problem for problem in problems if problem.field == field]
    return problem


def test_a_bad_date_is_said_in_japanese_with_the_date_as_written():
    problem = only(problems_of(event("bad-date", start="2024年7月18日")), "start")
    english = str(problem)
    assert english == (
        'events/bad.geojson: feature "bad-date" (#1): start: "2024年7月18日" is not a date '
        "(use YYYY-MM-DD, YYYY-MM or YYYY)"
    )
    with language("ja"):
        said = problem.localized()
    assert said == (
        'events/bad.geojson: 地物 "bad-date" (#1): start: "2024年7月18日" は日付ではありません'
        "（YYYY-MM-DD、YYYY-MM または YYYY の形式で）"
    )
    assert str(problem) == english  # the English is untouched by the reading


def test_a_bad_nation_is_said_in_japanese_with_the_code_as_written_and_the_guess():
    problem = only(problems_of(event("bad-nation", nations=["Japan"])), "nations")
    assert problem.message == '"Japan" is not an ISO 3166-1 alpha-3 code (did you mean "JPN"?)'
    with language("ja"):
        said = problem.localized()
    assert '"Japan" は ISO 3166-1 alpha-3 コードではありません' in said
    assert '"JPN"' in said and "ではありませんか" in said


def test_a_bad_kind_and_a_bad_geometry_in_traditional_chinese_and_japanese():
    problems = problems_of(
        event(
            "two-wrongs",
            kind="演習",
            geometry={"type": "Point", "coordinates": [35.2, 139.8]},
        )
    )
    kind, geometry = only(problems, "kind"), only(problems, "geometry")
    assert kind.message.startswith('"演習" is not one of exercise, ')
    with language("zh-TW"):
        kind_said, geometry_said = kind.localized(), geometry.localized()
    assert '"演習" 不是下列之一：exercise, ' in kind_said  # the kinds are the codes to write
    assert "[35.2, 139.8]" in geometry_said and "緯度 139.8 超出範圍" in geometry_said
    with language("ja"):
        assert "[35.2, 139.8]" in geometry.localized()
        assert "緯度 139.8 が範囲外です" in geometry.localized()
    assert "latitude 139.8 is out of range" in str(geometry)


def test_a_warning_about_precision_and_sources_is_translated_and_keeps_the_event():
    problems = problems_of(
        event(
            "kept",
            location_precision_km="about 40",
            sources=[{"title": "Seed report", "url": "ftp://example.org/x"}],
        )
    )
    precision, url = only(problems, "location_precision_km"), only(problems, "sources[1].url")
    assert not precision.skipped and not url.skipped
    with language("zh-CN"):
        assert precision.localized().endswith('"about 40" 不是以公里计的距离（0–20000）；已忽略')
        assert '"ftp://example.org/x" 不是 http(s) 地址；已忽略' in url.localized()


def test_a_problem_survives_the_caches_pickle_still_translatable():
    problem = only(problems_of(event("bad-date", start="2024-13-01")), "start")
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem and str(again) == str(problem)
    assert isinstance(again.message, Message) and isinstance(again.feature, Message)
    with language("ja"):
        assert again.localized() == problem.localized()
        assert "は日付ではありません" in again.localized()


def test_a_message_with_a_line_break_in_a_value_stays_one_line_and_translatable():
    problem = Problem("f", Message("{value} is not text; ignored", value='"a\nb"'), field="x")
    assert str(problem) == 'f: x: "a\\nb" is not text; ignored'
    with language("ja"):
        assert problem.localized() == 'f: x: "a\\nb" はテキストではありません。無視しました'


def test_a_file_that_is_not_json_is_said_in_the_readers_language(tmp_path):
    root = write_geodata(
        tmp_path, {"broken.geojson": '{"type": "FeatureCollection", "features": ['}
    )
    [problem] = load_geodata(root).problems
    assert problem.message == "not valid JSON: the text ends too early (cut short?)"
    with language("zh-TW"):
        assert problem.localized() == (
            "events/broken.geojson: 不是有效的 JSON：文字過早結束（被截斷了？）"
        )


def test_a_csv_upload_row_is_named_in_the_readers_language():
    raw = (
        b"id,title,kind,start,nations,lat,lon,source_title\n"
        b"a,Transit,transit,2024-02-30,JPN,24.5,122.0,Joint Staff\n"
    )
    [problem] = read_upload("list.csv", raw, {}, set()).problems
    assert str(problem).startswith('upload: list.csv: row "a" (#2): start: "2024-02-30"')
    with language("ja"):
        assert problem.localized().startswith('upload: list.csv: 行 "a" (#2): start: "2024-02-30"')


def test_the_problems_box_is_shown_in_traditional_chinese(tmp_path, monkeypatch):
    root = write_geodata(
        tmp_path / "geodata",
        {
            "good.geojson": collection(event("fine")),
            "mixed.geojson": collection(event("no-date", start="2024-13-01"), event("ok-too")),
        },
    )
    monkeypatch.setenv("GEODATA_DIR", str(root))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "zh-TW"
    at.run().run()
    assert not at.exception
    assert any(
        "資料有 1 個問題；1 個圖徵或檔案未顯示。所有有效的資料都已在地圖上。" in warning.value
        for warning in at.warning
    )
    assert any(expander.label == "資料問題" for expander in at.expander)
    frame = next(frame.value for frame in at.dataframe if "問題" in frame.value.columns)
    row = frame.to_dict("records")[0]
    assert row["檔案"] == "events/mixed.geojson"  # the file's name as written
    assert row["圖徵"] == '圖徵 "no-date" (#1)'
    assert row["欄位"] == "start"  # a field of the data format stays as the file writes it
    assert row["問題"] == '"2024-13-01" 不是日期（請使用 YYYY-MM-DD、YYYY-MM 或 YYYY）'
    assert row["已顯示"] == "否"
    stamp = next(caption.value for caption in at.caption if "資料版本" in caption.value)
    assert "事件" in stamp and "2024年7月18日" in stamp and "events" not in stamp


def test_a_problem_kept_in_the_disk_cache_comes_back_translatable():
    from layers.store.cache import check_table, table_check

    raw = json.dumps(collection(event("bad-date", start="2024-13-01"), event("fine"))).encode()
    check = check_file(raw, "events/bad.geojson", "events")
    again = table_check(check_table(check))
    assert [str(problem) for problem in again.problems] == [str(p) for p in check.problems]
    assert again.notes.names == check.notes.names
    [problem] = again.problems
    with language("zh-CN"):
        assert problem.localized() == (
            'events/bad.geojson: 要素 "bad-date" (#1): start: "2024-13-01" 不是日期'
            "（请使用 YYYY-MM-DD、YYYY-MM 或 YYYY）"
        )
    with language("ja"):
        assert [localized(name) for name in again.notes.names] == ['地物 "fine" (#2)']
