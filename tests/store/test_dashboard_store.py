"""The dashboard on the shared store (EVENTS_DB), as analysts drive it, through AppTest."""

import json

import pytest
from conftest import REPO, small_dataset
from streamlit.testing.v1 import AppTest

from layers.i18n import language
from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore

APP = str(REPO / "dashboard.py")
SIGHTINGS = (
    "id,title,kind,start,end,nations,lat,lon,source_title\n"
    "my-sighting,Sighting off Yonaguni,incident,2024-06-05,,CHN,24.4,123.0,Team log\n"
    "boso,Clash with a stored id,incident,2024-06-05,,CHN,25.8,123.5,Team log\n"
)


@pytest.fixture
def store_app(events_db, tmp_path, monkeypatch):
    """start(**query): a new session of the dashboard on a store holding the small dataset."""
    with PostgisStore(events_db) as store:
        store.import_geodata(load_geodata(small_dataset(tmp_path / "geodata")))
    monkeypatch.setenv("EVENTS_DB", events_db)
    monkeypatch.setenv("GEODATA_DIR", str(tmp_path / "not-used"))

    def start(**query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at.run().run()  # the second run stands in for the map's first report

    return start


def events_table(at):
    return next(
        frame.value for frame in at.dataframe if {"title", "file"} <= set(frame.value.columns)
    )


def table_ids(at):
    return list(events_table(at)["id"])


def multiselect(at, label):
    return next(widget for widget in at.multiselect if widget.label.startswith(label))


def button(at, label):
    return next(widget for widget in at.button if widget.label == label)


def test_the_store_shows_what_the_files_show(store_app):
    at = store_app()
    assert not at.exception
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]
    assert (at.sidebar.metric[0].label, at.sidebar.metric[0].value) == ("Events shown, of 3", "3")
    multiselect(at, "Participating nations").select("CAN").run()
    assert table_ids(at) == ["strait-transit"]
    assert at.sidebar.metric[0].value == "1"
    assert at.query_params["nations"] == "CAN"
    assert any("Shared store version" in caption.value for caption in at.caption)


def test_a_link_to_a_stored_event_opens_its_details(store_app):
    at = store_app(event="strait-transit", nations="JPN")
    assert not at.exception
    details = "".join(block.proto.body for block in at.get("html"))
    assert "Canadian frigate transits the Taiwan Strait" in details
    assert any("outside the current filters" in caption.value for caption in at.caption)
    unknown = store_app(event="no-such-event")
    assert any("'event'" in warning.value for warning in unknown.warning)


def test_an_anonymous_upload_shows_in_this_session_only_and_cannot_be_saved(store_app):
    """With no sign-in configured the store page is read-only: an upload shows for this
    session only, with no Save button and one line saying why. (An editor's save, seen by a
    colleague's browser, is tests/test_browser_team.py; the store's side is tests/store.)"""
    analyst, colleague = store_app(), store_app()
    analyst.sidebar.get("file_uploader")[0].upload("log.csv", SIGHTINGS.encode(), "text/csv")
    analyst.run()
    assert not analyst.exception
    # Shown in this session only, and the id taken in the store is reported, not shown twice.
    assert table_ids(analyst).count("boso") == 1
    assert "my-sighting" in table_ids(analyst)
    problems = next(frame.value for frame in analyst.dataframe if "problem" in frame.value.columns)
    assert "already used in events/a.geojson (shared store)" in problems["problem"].iloc[-1]
    assert not any(b.label == "Save to the shared store" for b in analyst.button)
    assert any("needs sign-in, which is not configured" in box.value for box in analyst.info)
    assert any("Read-only: sign-in is not configured" in c.value for c in analyst.sidebar.caption)
    assert "my-sighting" not in table_ids(colleague.run())


def test_a_colleague_saving_the_same_id_first_is_reported_not_overwritten(store_app, events_db):
    """A colleague (an editor, through the store) saves an id this session holds unsaved: this
    session's next run shows the stored event and reports its own copy as a clash."""
    from layers.read.upload import read_upload

    second = store_app()
    mine = SIGHTINGS.replace("Sighting off Yonaguni", "My version").splitlines()[:2]
    second.sidebar.get("file_uploader")[0].upload("mine.csv", "\n".join(mine).encode(), "text/csv")
    second.run()
    assert table_ids(second).count("my-sighting") == 1
    colleague_upload = read_upload(
        "log.csv", SIGHTINGS.encode(), {"boso": "events/a.geojson"}, set()
    )
    with PostgisStore(events_db) as store:
        store.write_events(colleague_upload.events, file="events/log.geojson")
    second.run()  # the colleague's save is in the store now: this session's copy clashes
    assert not second.exception
    table = events_table(second).set_index("id")
    assert table.loc["my-sighting", "title"] == "Sighting off Yonaguni"
    problems = next(frame.value for frame in second.dataframe if "problem" in frame.value.columns)
    assert "already used in events/log.geojson (shared store)" in problems["problem"].iloc[-1]


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    # Refused: an outage (issue 25), the banner and its reason; the page asks again by itself.
    monkeypatch.setenv("EVENTS_DB", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value.startswith("The shared store is unavailable")
    assert at.caption[0].value.startswith(
        "Why: cannot connect to the events database: the connection to the database was "
        "refused or lost."
    )


def test_a_measure_link_on_the_store_says_its_figures_count_events(store_app):
    at = store_app(measure="aircraft", kinds="incident")
    assert not at.exception
    assert any(
        "Link parameter 'measure': the shared store's figures count events" in warning.value
        for warning in at.warning
    )
    assert at.sidebar.metric[0].label == "Events shown, of 3"
    assert table_ids(at) == ["ccg-senkaku"]  # the other parameters still hold
    assert not any(box.label == "Count" for box in at.sidebar.selectbox)


def test_a_link_with_days_shows_their_months_on_the_store_and_says_so(store_app):
    """The store counts by month: a link's days open at the months they fall in, with a
    warning, and no day input is offered (its counts would disagree with the table)."""
    at = store_app(start="2024-06-10", end="2024-06-10")
    assert not at.exception
    assert table_ids(at) == ["strait-transit"]  # June; the May event is left out
    assert any("'start'/'end'" in warning.value for warning in at.warning)
    assert at.query_params["start"] == "2024-06"
    assert not [box for box in at.checkbox if box.label == "Choose days"]


@pytest.mark.parametrize("text", ["\x00", "strait-transit\x00"])
def test_a_link_parameter_that_is_not_an_id_never_reaches_the_database(store_app, text):
    # Before, ?event=%00 was sent to PostgreSQL as it was: a psycopg.DataError traceback.
    at = store_app(event=text, nations=text, zones=text, layers=text, start=text)
    assert not at.exception
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]
    warnings = [warning.value for warning in at.warning]
    assert any(w.startswith("Link parameter 'event':") for w in warnings), warnings
    assert all("\n" not in w for w in warnings)


def test_an_upload_with_a_nul_title_shows_its_other_events_and_names_the_bad_one(store_app):
    # Before, the NUL title passed the validator, was drawn, and Save failed with a
    # psycopg.DataError traceback ("PostgreSQL text fields cannot contain NUL (0x00) bytes").
    from conftest import collection, event

    raw = json.dumps(
        collection(event("my-good-one"), event("nul-title", title="Patrol\u0000"))
    ).encode()
    analyst = store_app()
    analyst.sidebar.get("file_uploader")[0].upload("log.geojson", raw, "application/geo+json")
    analyst.run()
    assert not analyst.exception
    problems = next(frame.value for frame in analyst.dataframe if "problem" in frame.value.columns)
    assert problems[["feature", "field", "problem"]].values.tolist() == [
        [
            'feature "nul-title" (#2)',
            "title",
            "holds a NUL character (U+0000), which cannot be stored",
        ]
    ]
    # Only the valid event is on the page, so only it can be saved (Save needs a signed-in
    # editor: tests/test_browser_team.py; the store refusing nothing of it:
    # tests/store/test_db_cli.py's NUL import).
    assert "nul-title" not in table_ids(analyst) and "my-good-one" in table_ids(analyst)


def test_the_store_page_reads_in_the_readers_language_and_the_data_as_written(store_app):
    """?lang=ja: the store page's own words (sign-in, Save, its last line) are Japanese; the
    events' titles and ids stay as the data writes them."""
    # AppTest formats widget values with their format_func in the test's thread: it reads in
    # the page's language too (test_dashboard's app fixture).
    with language("ja"):
        at = store_app(lang="ja")
        at.sidebar.get("file_uploader")[0].upload("log.csv", SIGHTINGS.encode(), "text/csv")
        at.run()
    assert not at.exception
    captions = " ".join(caption.value for caption in at.sidebar.caption)
    assert "読み取り専用：サインインが設定されていません" in captions
    infos = " ".join(box.value for box in at.info)
    assert "あなた自身のイベント 1 件（アップロードまたは取り込み）" in infos
    assert "共有データベースへの保存にはサインインが必要ですが" in infos
    assert any(caption.value.startswith("共有データベース バージョン") for caption in at.caption)
    assert "分析" in [header.value for header in at.subheader]
    table = events_table(at).set_index("id")
    assert table.loc["my-sighting", "title"] == "Sighting off Yonaguni"


@pytest.mark.parametrize(
    ("lang", "banner", "why"),
    [
        (
            "ja",
            "共有データベースを利用できません。",
            "理由：イベントデータベースに接続できません：データベースへの接続が拒否されたか"
            "切断されました。",
        ),
        (
            "zh-TW",
            "共用資料庫目前無法使用；",
            "原因：無法連線至事件資料庫：與資料庫的連線遭拒或中斷。",
        ),
    ],
    ids=["ja", "zh-TW"],
)
def test_the_outage_banner_and_its_reason_read_in_the_readers_language(
    tmp_path, monkeypatch, lang, banner, why
):
    monkeypatch.setenv("EVENTS_DB", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith(banner)
    assert at.caption[0].value.startswith(why)
