"""The shared store on a primary and a hot standby (layers/store/replicas.py), both real servers
on this machine: the standby made with pg_basebackup -R from the session's throwaway cluster
(tests/postgres.py throwaway_standby).

What an operator and an analyst would notice: reads are served by the standby, a save is seen
by the session that made it at once even while the standby replays nothing, a standby killed
under reads from several threads costs no read, and it is used again once it is back.
"""

from __future__ import annotations

import json
import threading
import time

import geopandas as gpd
import psycopg
import pytest
from conftest import REPO, collection, event, write_geodata
from postgres import database_url, fresh_database

import layers.store.replicas
from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore
from layers.store.replicas import WriteMark, lsn_number, standby_urls
from layers.view import View

WAIT_S = 60  # a loaded machine: a standby's restart or catching up may take this long


@pytest.fixture(scope="module")
def standby_server(postgres_cluster):
    """A hot standby of the session's throwaway cluster (its Server: url, stop, start)."""
    from postgres import throwaway_standby

    url, _ = postgres_cluster
    with throwaway_standby(url) as server:
        yield server


def until(condition, what: str, timeout: float = WAIT_S):
    """condition()'s first true value, asked every 0.1 s; fails naming `what` after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"waited {timeout} s for {what}")


@pytest.fixture
def pair(postgres_cluster, standby_server):
    """(primary URL, standby URL) of a new database with the schema, once the standby has it."""
    url, template = postgres_cluster
    with fresh_database(url, template) as primary:
        name = primary.rsplit("/", 1)[1]
        standby = database_url(standby_server.url, name)

        def replicated() -> bool:
            try:
                with psycopg.connect(standby, connect_timeout=2) as connection:
                    return connection.execute("SELECT pg_is_in_recovery()").fetchone()[0]
            except psycopg.OperationalError:
                return False

        until(replicated, "the new database on the standby")
        yield primary, standby


def on_servers(store: PostgisStore) -> list[bool]:
    """A list that fills, for every read the store makes from now on, with whether the
    connection it ran on was a standby's (pg_is_in_recovery() asked on that connection)."""
    used: list[bool] = []
    original = store._replicas.read

    def read(work):
        def recorded(connection):
            used.append(connection.execute("SELECT pg_is_in_recovery()").fetchone()[0])
            return work(connection)

        return original(recorded)

    store._replicas.read = read
    return used


def saved_events(tmp_path, *ids: str) -> gpd.GeoDataFrame:
    """Valid events with these ids, as an upload gives them."""
    root = write_geodata(tmp_path / "-".join(ids), {"saved.geojson": collection(*map(event, ids))})
    geodata = load_geodata(root)
    assert not geodata.problems
    return geodata.events


def set_replay(standby_url: str, paused: bool) -> None:
    with psycopg.connect(standby_url, autocommit=True) as connection:
        call = "pg_wal_replay_pause" if paused else "pg_wal_replay_resume"
        connection.execute(f"SELECT {call}()")
        if paused:
            until(
                lambda: (
                    connection.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
                    == "paused"
                ),
                "the standby's replay to pause",
            )


def test_standby_urls_and_positions_are_read_as_written():
    assert standby_urls(" postgresql://a/x, ,postgresql://b/x,") == [
        "postgresql://a/x",
        "postgresql://b/x",
    ]
    assert standby_urls(None) == []
    assert lsn_number("16/B374D848") == (0x16 << 32) | 0xB374D848
    assert lsn_number(None) is None


def test_reads_are_served_by_the_standby_and_saves_by_the_primary(pair, tmp_path):
    primary, standby = pair
    with PostgisStore(primary, standbys=[standby]) as store:
        used = on_servers(store)
        store.write_events(saved_events(tmp_path, "saved-1"), file="events/saved.geojson")
        # Read on the primary until the standby has replayed the save, then on the standby.
        until(lambda: store.stored_files(["saved-1"]) and used[-1], "the save on the standby")
        used.clear()
        store._version = None  # the next rerun asks the version again
        assert store.summary().total == 1
        assert store.shown(View(), ["2024-07"]).count == 1
        assert list(store.table(View(), 10)["id"]) == ["saved-1"]
        assert store.areas().empty
        assert used and all(used), f"reads on a standby: {used}"


def test_a_session_reads_its_own_save_while_the_standby_replays_nothing(pair, tmp_path):
    primary, standby = pair
    with PostgisStore(primary, standbys=[standby]) as store:
        before = store.version()
        set_replay(standby, paused=True)
        try:
            saver, colleague = WriteMark(), WriteMark()
            with store.session(saver):
                result = store.write_events(
                    saved_events(tmp_path, "own-save"), file="events/saved.geojson"
                )
            assert result.added == ["own-save"]
            used = on_servers(store)
            with store.session(colleague):
                # A colleague's rerun in the same process comes first: it reads the store's
                # version on the standby, which shows the store before the save (replay
                # paused), and the process keeps that version for VERSION_SECONDS.
                assert store.version() == before
                assert store.shown(View(), ["2024-07"]).count == 0
                assert used and all(used)
            used.clear()
            with store.session(saver):
                # The saver's rerun: that older version does not hide the save; the saver
                # sees it everywhere the page looks, read where it is (the primary).
                assert store.version() > before
                assert store.stored_files(["own-save"]) == {"own-save": "events/saved.geojson"}
                assert store.summary().total == 1
                assert store.shown(View(), ["2024-07"]).count == 1
                assert list(store.table(View(), 10)["id"]) == ["own-save"]
                assert used and not any(used), "the standby has not replayed the save"
        finally:
            set_replay(standby, paused=False)
        with store.session(colleague):
            store._version = None
            until(lambda: store.shown(View(), ["2024-07"]).count == 1, "the colleague to see it")
            assert used[-1], "once replayed, the colleague reads it on the standby"


def test_a_standby_lagging_beyond_the_limit_is_passed_over(pair, tmp_path, monkeypatch):
    primary, standby = pair
    monkeypatch.setattr(layers.store.replicas, "MAX_LAG_S", 1.0)
    with (
        PostgisStore(primary, standbys=[standby]) as store,
        PostgisStore(primary) as other_process,
    ):
        used = on_servers(store)
        set_replay(standby, paused=True)
        try:
            other_process.write_events(
                saved_events(tmp_path, "colleague-save"), file="events/saved.geojson"
            )
            # Once the standby is more than MAX_LAG_S behind, the primary answers.
            store._version = None
            until(lambda: store.stored_files(["colleague-save"]), "the lagging standby passed over")
            assert not used[-1]
        finally:
            set_replay(standby, paused=False)
        until(lambda: store.stored_files(["colleague-save"]) and used[-1], "the standby again")


def test_a_standby_killed_under_reads_costs_no_read_and_is_used_again(
    pair, standby_server, tmp_path
):
    primary, standby = pair
    with PostgisStore(primary, standbys=[standby], max_connections=4) as store:
        store.write_events(saved_events(tmp_path, "kept"), file="events/saved.geojson")
        used = on_servers(store)
        failures: list[BaseException] = []
        reads = [0]
        stop = threading.Event()

        def analyst(number: int) -> None:
            view = View(nations=("JPN",) if number % 2 else ())
            while not stop.is_set():
                try:
                    # Not kept by the process: each asks a server.
                    rows = store.table(view, 10)
                    found = store.stored_files(["kept"])
                    assert list(rows["id"]) == ["kept"] and found == {
                        "kept": "events/saved.geojson"
                    }
                    reads[0] += 1
                except BaseException as error:  # noqa: BLE001 - every failure is the finding
                    failures.append(error)

        threads = [threading.Thread(target=analyst, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        try:
            until(lambda: len(used) > 40 and all(used[-20:]), "reads on the standby")
            standby_server.stop("immediate")
            killed_at = len(used)
            until(lambda: len(used) > killed_at + 100, "reads after the kill")
            assert not any(used[-50:]), "reads went to the primary meanwhile"
        finally:
            standby_server.start()
        try:
            until(lambda: any(used[-20:]), "reads on the standby again")
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=WAIT_S)
        assert not failures, f"{len(failures)} failed reads, first: {failures[0]!r}"
        assert reads[0] > 100
        assert store._replicas.status() and "in use" in store._replicas.status()[0]


def test_the_command_line_imports_through_the_primary_and_says_how_each_standby_stands(pair):
    from postgres import free_port
    from test_db_cli import db

    from layers.analysis.zones import zone_tags

    primary, standby = pair
    nobody = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres?connect_timeout=2"
    imported = db("--standby", standby, "import", "geodata", url=primary)
    assert imported.returncode == 0, imported.stderr
    assert "28 events added" in imported.stdout
    # The events were tagged with the areas the same import had just written (read back
    # where they are): as many events in a zone as the validator's own tagging gives.
    geodata = load_geodata(REPO / "geodata")
    expected = sum(bool(tags) for tags in zone_tags(geodata.events, geodata.areas))
    assert expected
    with psycopg.connect(primary) as connection:
        tagged = connection.execute(
            "SELECT count(*) FROM events WHERE zones_in <> '{}' OR zones_possibly <> '{}'"
        ).fetchone()[0]
    assert tagged == expected
    status = db("status", url=primary, env={"EVENTS_DB_STANDBYS": f"{standby},{nobody}"})
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].startswith("28 events, 2017-12 to 2024-08")
    assert lines[1].startswith("standby 1: in use, ") and lines[1].endswith("bytes of WAL behind")
    assert lines[2].startswith("standby 2: set aside (connection failed")
    assert "Traceback" not in status.stderr


def standby_transactions(standby: str) -> int:
    """Transactions the standby has served in its database (pg_stat_database, its own)."""
    name = standby.rsplit("/", 1)[1]
    with psycopg.connect(standby) as connection:
        return connection.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (name,)
        ).fetchone()[0]


def test_the_page_reads_the_standby_shows_its_own_save_at_once_and_outlives_the_standby(
    pair, standby_server, tmp_path, monkeypatch
):
    from conftest import small_dataset
    from streamlit.testing.v1 import AppTest
    from test_dashboard_store import APP, events_table, multiselect, table_ids

    from dashboard_ui.store import open_store

    primary, standby = pair
    with PostgisStore(primary) as store:
        store.import_geodata(load_geodata(small_dataset(tmp_path / "geodata")))
    monkeypatch.setenv("EVENTS_DB", primary)
    monkeypatch.setenv("EVENTS_DB_STANDBYS", standby)
    monkeypatch.setenv("GEODATA_DIR", str(tmp_path / "not-used"))
    until(lambda: _count(standby) == 3, "the events on the standby")
    served = standby_transactions(standby)
    try:
        analyst = AppTest.from_file(APP, default_timeout=60).run().run()
        assert not analyst.exception
        assert table_ids(analyst) == ["ccg-senkaku", "strait-transit", "boso"]
        until(lambda: standby_transactions(standby) > served + 5, "the page's reads on the standby")

        set_replay(standby, paused=True)
        try:
            # Saving from the page needs a signed-in editor (tests/test_browser_team.py signs
            # in against a real provider); here the save is made as the page's Save callback
            # makes it: by the process's store, inside this session's write mark.
            sighting = tmp_path / "sighting"
            (sighting / "events").mkdir(parents=True)
            (sighting / "events" / "log.geojson").write_text(json.dumps(SIGHTING_COLLECTION))
            mark = analyst.session_state["store_write_mark"]
            process_store = open_store(primary)[0]
            with process_store.session(mark):
                process_store.write_events(
                    load_geodata(sighting).events, file="events/log.geojson", actor="editor"
                )
            analyst.run()
            assert not analyst.exception
            # The rerun after the save reads it back though the standby has not replayed it:
            # filed in the store and counted.
            table = events_table(analyst).set_index("id")
            assert table.loc["my-sighting", "file"] == "events/log.geojson"
            assert analyst.sidebar.metric[0].label == "Events shown, of 4"
        finally:
            set_replay(standby, paused=False)

        until(lambda: _count(standby) == 4, "the save on the standby")
        standby_server.stop("immediate")
        try:
            multiselect(analyst, "Participating nations").select("CHN").run()
            assert not analyst.exception
            assert not analyst.error, [box.value for box in analyst.error]
            assert "my-sighting" in table_ids(analyst)
            assert analyst.sidebar.metric[0].label == "Events shown, of 4"
        finally:
            standby_server.start()
    finally:
        open_store(primary)[0].close()
        open_store.clear()


SIGHTING_COLLECTION = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [123.0, 24.4]},
            "properties": {
                "id": "my-sighting",
                "title": "Sighting off Yonaguni",
                "kind": "incident",
                "start": "2024-06-05",
                "nations": ["CHN"],
                "sources": [{"title": "Team log"}],
            },
        }
    ],
}


def _count(url: str) -> int | None:
    try:
        with psycopg.connect(url, connect_timeout=2) as connection:
            return connection.execute("SELECT count(*) FROM events").fetchone()[0]
    except psycopg.OperationalError:
        return None
