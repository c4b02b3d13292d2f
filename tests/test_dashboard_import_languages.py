"""The import step and the warnings step in the reader's language (issue 27): their labels,
buttons, captions and tables' headings are translated; the file's own values (column names,
titles, warning numbers) stay as written. Through Streamlit's AppTest, the page opened with
`?lang=`."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from conftest import REPO, small_dataset
from streamlit.testing.v1 import AppTest

from layers.i18n import language

APP = str(REPO / "dashboard.py")
EXAMPLES = REPO / "docs" / "examples" / "import"
WARNINGS_TEXT = (REPO / "docs/examples/navwarn/warnings.txt").read_text(encoding="utf-8")
MARKDOWN_ESCAPE = re.compile(r"\\(.)")


@pytest.fixture
def app(tmp_path, monkeypatch):
    with contextlib.ExitStack() as stack:

        def start(lang, root=None):
            monkeypatch.setenv("GEODATA_DIR", str(root or small_dataset(tmp_path / "geodata")))
            # AppTest formats a widget's value with its format_func in the test's own thread
            # (to find it among the options the page showed): the test reads in the page's
            # language too, as the page's session does.
            stack.enter_context(language(lang))
            at = AppTest.from_file(APP, default_timeout=60)
            at.query_params["lang"] = lang
            return at.run().run()  # the second run stands in for the map's first report

        yield start


def upload(at, name, raw):
    at.sidebar.get("file_uploader")[0].set_value([(name, raw, "application/octet-stream")])
    at.run()
    assert not at.exception
    return at


def selectbox(at, label):
    return next(widget for widget in at.selectbox if widget.label == label)


def shown(value: str) -> str:
    """Text as the page shows it (text tables and captions escape markdown)."""
    return MARKDOWN_ESCAPE.sub(r"\1", value)


def text_table(at, column):
    frame = next(table.value for table in at.table if column in map(shown, table.value))
    return frame.rename(columns=shown).map(shown)


def xlsx_bytes(rows) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_japanese_list_is_imported_in_japanese_and_its_values_stay_as_written(app):
    at = app("ja")
    raw = (EXAMPLES / "sightings-ja.csv").read_bytes()
    at = upload(at, "sightings-ja.csv", raw)
    assert shown(at.subheader[0].value) == "sightings-ja.csv の取り込み"
    assert any("イベント形式ではないため" in caption.value for caption in at.caption)
    # The form's labels are Japanese; the columns it chose are the file's, as written.
    assert selectbox(at, "開始日").value == "日付"
    assert selectbox(at, "タイトル").value == "艦種"
    assert selectbox(at, "国").value == "国籍"
    assert next(radio for radio in at.radio if radio.label == "位置の取得元").value == "lat"
    assert selectbox(at, "緯度").value == "北緯"
    # The file's columns, with Japanese headings and the file's values.
    columns = text_table(at, "値の例")
    assert list(columns.columns) == ["列", "入力あり（5 中）", "値の例"]
    assert "日付" in list(columns["列"])
    # A kind for every row, chosen by its Japanese label; the preview says it in Japanese.
    kind = selectbox(at, "種別")
    assert "哨戒（全行）" in [kind.format_func(option) for option in kind.options]
    kind.set_value("\0kind:patrol").run()
    assert not at.exception
    preview = next(m.value for m in at.markdown if "**プレビュー**" in m.value)
    assert preview.startswith("全 5 行の**プレビュー**：")
    frame = next(f.value for f in at.dataframe if "start_text" not in f.value and "kind" in f.value)
    assert set(frame["kind"]) == {"哨戒"}  # the kind's label, not its id (patrol)
    assert "ルーヤンIII級駆逐艦" in list(frame["title"])  # the data as written
    labels = [button.label for button in at.button]
    assert "地図に追加" in labels
    assert "English" not in " ".join(labels)
    assert not any(label in labels for label in ("Add to the map", "Download mapping"))


def test_a_workbook_is_imported_in_simplified_chinese(app):
    at = app("zh-CN")
    raw = xlsx_bytes(
        [
            ["Date", "Vessel", "Flag", "Lat", "Lon"],
            ["2024-07-18", "Haijing 2502", "China", 25.74, 123.48],
        ]
    )
    at = upload(at, "log.xlsx", raw)
    assert shown(at.subheader[0].value) == "导入 log.xlsx"
    assert selectbox(at, "开始日期").value == "Date"
    assert selectbox(at, "纬度").value == "Lat"
    kind = selectbox(at, "类型")
    assert kind.format_func(kind.options[0]) == "— 请选择 —"
    assert any("没有列提供类型" in warning.value for warning in at.warning)
    kind.set_value("\0kind:incident").run()
    assert any("1 起事件、0 个问题" in m.value for m in at.markdown)
    assert any("这些行没有问题。" in success.value for success in at.success)
    next(button for button in at.button if button.label == "添加到地图").click().run()
    assert not at.exception
    assert any("已从 log.xlsx 添加 1 起事件。" in shown(s.value) for s in at.success)
    # On the map and in the table as the workbook writes it.
    table = next(f.value for f in at.dataframe if {"title", "file"} <= set(f.value.columns))
    assert list(table.loc[table["file"] == "upload: log.xlsx", "title"]) == ["Haijing 2502"]


def test_pasted_warnings_are_read_in_traditional_chinese(app):
    at = app("zh-TW")
    expander = next(e for e in at.sidebar.expander if e.label == "加入航行警告")
    assert expander.text_area[0].label == "警告（依發布原文）"
    at.text_area(key="navwarn_text").input(WARNINGS_TEXT).run()
    assert not at.exception
    assert any(subheader.value == "航行警告" for subheader in at.subheader)
    summary = next(m.value for m in at.markdown if "找到" in m.value)
    assert summary == "找到 **10 則警告**：7 起事件、2 個問題"
    rows = text_table(at, "編號")
    assert list(rows.columns) == [
        "#",
        "編號",
        "發布者",
        "活動",
        "日期",
        "區域",
        "取消",
        "事件",
        "問題",
    ]
    # The warnings' numbers as published; the reading's words in Traditional Chinese.
    assert list(rows["編號"])[:2] == ["闽航警0123/24", "琼航警0456/24"]
    assert list(rows["事件"]) == ["是"] * 6 + ["否", "是", "否", "否"]
    assert rows["取消"].iloc[0] == "已由 闽航警0124/24 取消"
    assert rows["區域"].iloc[5] == "2 個多邊形"
    assert rows["發布者"].iloc[6] == "未載明"
    assert list(rows["活動"])[:2] == ["軍事演習", "實彈射擊"]  # the reader's words, translated
    assert rows["區域"].iloc[1] == "1 個圓 (3\u00a0浬)"
    # The issuer chosen in the sidebar, by the nation's Chinese name.
    issued = next(m for m in at.sidebar.multiselect if m.label.startswith("發布者"))
    assert "日本 (JPN)" in issued.options
    issued.select("JPN").run()
    assert text_table(at, "編號")["發布者"].iloc[6] == "JPN（已指定）"
    next(button for button in at.button if button.label == "加入地圖").click().run()
    assert not at.exception
    assert any(
        "已從 貼上的警告 加入 8 起事件；1 則警告未加入" in shown(success.value)
        for success in at.success
    )
    remove = next(b for b in at.sidebar.button if b.label.startswith("移除"))
    assert shown(remove.label) == "移除 貼上的警告（8 起事件）"


# --- the words layers/ gives the import step, in a language (no page) ---------------------------
def test_a_guess_says_what_is_left_to_choose_in_the_readers_language():
    from layers.read.guess import guess_mapping, guess_notes
    from layers.read.table import Table

    table = Table(["日付", "船名"], [(2, {"日付": "05/07/2024", "船名": "海警2502"})])
    mapping = guess_mapping(table, "list.csv")
    english = guess_notes(table, mapping)
    with language("ja"):
        notes = guess_notes(table, mapping)
    assert "No column gives the kind: choose a kind for every row, or a column." in english
    assert "種別を示す列がありません。全行に共通の種別か、列を選んでください。" in notes
    # A column's name is the file's, as written, inside the translated sentence.
    assert any(note.startswith("「日付」の日付は") for note in notes)
    assert len(notes) == len(english)


def test_rows_left_out_by_a_mapping_are_counted_in_the_readers_language():
    from layers.read.mapping import LeftOut

    left_out = LeftOut(frozenset({3, 4}), (('Status = "duplicate"', 2),))
    assert left_out.summary() == '2 rows left out by the mapping: 2 with Status = "duplicate"'
    with language("zh-CN"):
        assert left_out.summary() == '映射略过 2 行：2 个符合 Status = "duplicate"'
    with language("ja"):
        assert left_out.summary("feature") == (
            'マッピングで 2 件の地物を除外：Status = "duplicate" が 2 件'
        )


def test_every_activity_the_warnings_reader_names_is_in_the_catalogue():
    from layers.read.navwarn.events import ACTIVITY_WORDS
    from layers.read.navwarn.headers import _ACTIVITIES, read_activity

    named = {english for _words, english, _kind in _ACTIVITIES}
    named.add(read_activity("火箭炮射击")[0])
    assert named <= set(ACTIVITY_WORDS)
    with language("ja"):
        from layers.i18n import _

        assert _("military exercise") == "軍事演習"
