"""The page in the reader's language (issue 27): the sidebar, the headline, the timeline, the
table and the details in 繁體中文 and 日本語 from the link's `lang=`, switched in the sidebar
and then kept in the link; the data (titles, forces, sources) stays as written."""

import contextlib
import json

import pytest
from conftest import REPO, small_dataset
from streamlit.testing.v1 import AppTest

from layers.filters import empty_view_hints, range_summary
from layers.i18n import language, localized
from layers.measure import Tally, amount
from layers.view import View

APP = str(REPO / "dashboard.py")
TITLES = [
    "China Coast Guard in Senkaku waters",
    "Canadian frigate transits the Taiwan Strait",
    "JCG and Taiwan CGA joint exercise",
]


@pytest.fixture
def page(tmp_path, monkeypatch):
    with contextlib.ExitStack() as stack:

        def start(**query):
            monkeypatch.setenv("GEODATA_DIR", str(small_dataset(tmp_path / "geodata")))
            # AppTest formats widget values with their format_func in the test's thread: it
            # reads in the page's language too (as in test_dashboard's app fixture).
            stack.enter_context(language(query.get("lang", "en")))
            at = AppTest.from_file(APP, default_timeout=60)
            for key, value in query.items():
                at.query_params[key] = value
            # The map draws alone on the first run; its first report (a second run here)
            # brings the timeline and the table.
            return at.run().run()

        yield start


def events_frame(at):
    return next(frame for frame in at.dataframe if "file" in frame.value.columns)


def column_headers(at) -> dict[str, str]:
    """The events table's headers as the reader sees them (column → label)."""
    config = json.loads(events_frame(at).proto.columns)
    return {name: column["label"] for name, column in config.items() if "label" in column}


def widget(elements, label):
    return next(element for element in elements if element.label == label)


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        (
            "ja",
            {
                "title": "⚓ 海上活動",
                "metric": "表示中のイベント（全 3 件）",
                "nations": "参加国",
                "kinds": "種別",
                "zones": "所在区域",
                "match": "一致条件",
                "timeline": "タイムライン",
                "table": "イベント（3）",
                "headers": {"title": "タイトル", "kind": "種別", "start": "開始", "nations": "国"},
                "kind": "通過",
                "nation": "カナダ (CAN)",
                "months": "3 か月",
            },
        ),
        (
            "zh-TW",
            {
                "title": "⚓ 海上活動",
                "metric": "顯示的事件（共 3 起）",
                "nations": "參與國家",
                "kinds": "類型",
                "zones": "所在區域",
                "match": "符合方式",
                "timeline": "時間軸",
                "table": "事件（3）",
                "headers": {"title": "標題", "kind": "類型", "start": "開始", "nations": "國家"},
                "kind": "通過",
                "nation": "加拿大 (CAN)",
                "months": "3 個月",
            },
        ),
    ],
)
def test_the_link_opens_the_page_in_its_language(page, tag, words):
    at = page(lang=tag)
    assert not at.exception
    assert at.sidebar.title[0].value == words["title"]
    metric = at.sidebar.metric[0]
    assert (metric.label, metric.value) == (words["metric"], "3")
    nations = widget(at.sidebar.multiselect, words["nations"])
    # Nations named in the reader's language, each with the code the data uses.
    assert words["nation"] in nations.options
    assert words["kind"] in widget(at.sidebar.multiselect, words["kinds"]).options
    widget(at.sidebar.multiselect, words["zones"])
    widget(at.sidebar.radio, words["match"])
    assert words["months"] in [caption.value for caption in at.sidebar.caption]
    subheaders = [header.value for header in at.subheader]
    assert words["timeline"] in subheaders and words["table"] in subheaders
    headers = column_headers(at)
    assert {name: headers[name] for name in words["headers"]} == words["headers"]
    # The data stays as written: titles are not translated, nor are ids.
    frame = events_frame(at).value
    assert sorted(frame["title"]) == sorted(TITLES)
    assert "ccg-senkaku" in list(frame["id"])
    assert "Events shown" not in metric.label


def test_switching_the_language_in_the_sidebar_keeps_it_in_the_link(page):
    at = page()
    assert at.sidebar.metric[0].label == "Events shown, of 3"
    assert "lang" not in at.query_params  # a colleague's browser would choose theirs
    at.selectbox(key="lang_switch").set_value("ja").run()
    assert not at.exception
    assert at.query_params["lang"] == "ja"
    assert at.sidebar.metric[0].label == "表示中のイベント（全 3 件）"
    assert widget(at.sidebar.multiselect, "参加国")
    assert "イベント（3）" in [header.value for header in at.subheader]
    with language("ja"):  # the page is in Japanese now (see the page fixture)
        at.selectbox(key="lang_switch").set_value("zh-TW").run()
    assert at.query_params["lang"] == "zh-TW"
    assert at.sidebar.metric[0].label == "顯示的事件（共 3 起）"
    # Switching back to English writes English again, and the link says so.
    with language("zh-TW"):
        at.selectbox(key="lang_switch").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.sidebar.metric[0].label == "Events shown, of 3"


def test_a_nation_chosen_by_its_name_in_chinese_filters_by_its_code(page):
    at = page(lang="zh-TW")
    nations = widget(at.sidebar.multiselect, "參與國家")
    assert "加拿大 (CAN)" in nations.options
    nations.select("CAN").run()
    assert not at.exception
    assert at.query_params["nations"] == "CAN"  # the link keeps the code, in any language
    assert list(events_frame(at).value["title"]) == [TITLES[1]]


def test_an_open_events_details_are_in_the_readers_language(page):
    at = page(lang="ja", event="strait-transit")
    panel = next(html.proto.body for html in at.get("html") if "event-details" in html.proto.body)
    # Labels, dates and nations in Japanese; the title as written.
    assert "<th>日時</th>" in panel and "<th>種別</th>" in panel and "<h4>出典</h4>" in panel
    assert "2024/06/10" in panel  # CLDR's medium date for Japanese
    assert "<small>（日付まで確定）</small>" in panel
    assert "カナダ (CAN)、アメリカ合衆国 (USA)" in panel, panel[panel.find("<th>国") :][:200]
    assert "カナダ、アメリカ合衆国が同じ陣営" in panel, panel[panel.find("陣営") :][:200]
    assert "Canadian frigate transits the Taiwan Strait" in panel
    assert any(button.label == "詳細を閉じる" for button in at.button)


def test_the_link_warnings_are_said_in_the_readers_language():
    view, warnings = View.from_query({"zoom": ["99"], "kinds": ["exercise,raid"]})
    # English where made (and wherever the page is in English), as before.
    assert warnings == [
        "Link parameter 'kinds': 'raid' is not one of exercise, live_fire, launch, patrol, "
        "transit, port_call, deployment, incident, survey, hazardous_operations, diplomacy; "
        "left out",
        "Link parameter 'zoom': '99' is not a zoom level from 2 to 14; using the default",
    ]
    with language("ja"):
        assert localized(warnings[1]) == (
            "リンクのパラメーター「zoom」：'99' は 2～14 のズームレベルではありません。"
            "既定値を使います"
        )
    with language("zh-TW"):
        assert localized(warnings[0]).startswith("連結參數「kinds」：'raid' 不是")
        assert localized(warnings[0]).endswith("；已略過")


def test_the_layers_words_follow_the_reader(tmp_path):
    totals = {"2024-01": 2, "2024-02": 0, "2024-03": 0}
    with language("ja"):
        assert range_summary(("2024-01", "2024-03"), totals) == "3 か月（うちイベントなし 2 か月）"
        assert amount(1234, "aircraft") == "航空機 1,234"
        missing = Tally("aircraft", 12, 3, 1).missing_line()
        assert missing == "1 件のイベントに航空機のカウントがありません"
    with language("zh-CN"):
        assert amount(3, "events") == "3 起事件"
    from layers.read.load import load_geodata

    geodata = load_geodata(small_dataset(tmp_path / "geodata"))
    view = View(kinds=("exercise",), nations=("CHN",))
    with language("zh-TW"):
        hints = empty_view_hints(geodata.events, view)
    assert hints == ["清除國家（1 起事件）", "清除類型（1 起事件）"]
