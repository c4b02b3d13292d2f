"""The store page when its database stops and comes back, as analysts drive it (AppTest): the
banner, what the page last read, nothing pending lost, and the same session carrying on. On
a cluster of this module's own (stopped and started here), not the session's shared one."""

import time

import psycopg
import pytest
from conftest import REPO, small_dataset
from streamlit.testing.v1 import AppTest

from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore

APP = str(REPO / "dashboard.py")
BANNER = "The shared store is unavailable; showing what this page last read; saving is paused."
SIGHTING = (
    "id,title,kind,start,end,nations,lat,lon,source_title\n"
    "my-sighting,Sighting off Yonaguni,incident,2024-06-05,,CHN,24.4,123.0,Team log\n"
)


@pytest.fixture
def store_app(own_cluster, tmp_path, monkeypatch):
    """(start, url): start() opens a new session on a store holding the small dataset."""
    from postgres import fresh_database, start_cluster

    url, template = own_cluster
    with fresh_database(url, template) as database:
        with PostgisStore(database) as store:
            store.import_geodata(load_geodata(small_dataset(tmp_path / "geodata")))
        monkeypatch.setenv("EVENTS_DB", database)
        monkeypatch.setenv("GEODATA_DIR", str(tmp_path / "not-used"))

        def start():
            return AppTest.from_file(APP, default_timeout=60).run().run()

        try:
            yield start, database
        finally:
            try:
                psycopg.connect(url, connect_timeout=2).close()
            except psycopg.OperationalError:
                start_cluster(url)


def table_ids(at):
    frame = next(f.value for f in at.dataframe if {"title", "file"} <= set(f.value.columns))
    return list(frame["id"])


def multiselect(at, label):
    return next(widget for widget in at.multiselect if widget.label.startswith(label))


def page_text(at) -> str:
    """The page's messages as read (markdown's escapes removed)."""
    return " ".join(
        str(element.value)
        for kind in ("error", "warning", "info", "caption", "markdown", "success")
        for element in at.get(kind)
    ).replace("\\", "")


def test_a_stopped_database_gives_the_banner_and_the_session_carries_on(store_app):
    from postgres import start_cluster, stop_cluster

    start, url = store_app
    analyst = start()
    analyst.sidebar.get("file_uploader")[0].upload("log.csv", SIGHTING.encode(), "text/csv")
    analyst.run()
    assert table_ids(analyst) == ["ccg-senkaku", "my-sighting", "strait-transit", "boso"]

    stop_cluster(url)
    multiselect(analyst, "Participating nations").select("CAN").run()
    assert not analyst.exception
    assert analyst.error[0].value == BANNER
    text = page_text(analyst)
    assert "Why: the connection to the database was refused or lost" in text
    assert "Traceback" not in text and ".py" not in text and "psycopg" not in text
    # What the page last read of the store stays (the session's own upload follows the new
    # filter: it is filtered in the session), the widgets as the analyst set them; the
    # upload is still pending. (This visitor is not signed in, so has no Save: an editor's
    # Save paused by the outage and working after it is tests/test_browser_team_outage.py.)
    assert table_ids(analyst) == ["ccg-senkaku", "strait-transit", "boso"]
    assert "1 event of your own (uploaded or imported) is on this map" in text
    assert multiselect(analyst, "Participating nations").value == ["CAN"]
    # A new visitor is not kept waiting: the banner, the areas, no events.
    started = time.monotonic()
    visitor = start()
    assert time.monotonic() - started < 30
    assert not visitor.exception
    assert visitor.error[0].value == BANNER

    start_cluster(url)
    deadline = time.monotonic() + 60
    while analyst.error and time.monotonic() < deadline:
        time.sleep(2)
        analyst.run()  # the banner's probe (every 5 s) reruns the page once the store answers
    assert not analyst.exception
    assert not analyst.error
    assert table_ids(analyst) == ["strait-transit"]  # the filter chosen during the outage
    assert analyst.sidebar.metric[0].value == "1"
    multiselect(analyst, "Participating nations").set_value(["CHN"]).run()
    assert "my-sighting" in table_ids(analyst)  # the upload survived the outage


def test_a_session_whose_run_died_starts_again_from_its_link(store_app, monkeypatch):
    """Streamlit forgets the state of the widgets a finished run did not draw: a run that
    ended before the sidebar (as every run did on an outage, with one line of driver text)
    left "started" without them, and each later run failed with KeyError:
    st.session_state has no key "nations" (or "match"), until the analyst reloaded."""
    import dashboard_ui.store_page as store_page

    start, _ = store_app
    analyst = start()
    multiselect(analyst, "Participating nations").select("CAN").run()
    assert analyst.query_params["nations"] == "CAN"

    with monkeypatch.context() as patch:
        # A run that ends early, drawing no widget.
        patch.setattr(store_page, "shared_store_page", lambda *args: None)
        analyst.run()
        assert not analyst.multiselect
    analyst.run()
    assert not analyst.exception
    assert table_ids(analyst) == ["strait-transit"]  # the view from the link, not a reset
    assert multiselect(analyst, "Participating nations").value == ["CAN"]
