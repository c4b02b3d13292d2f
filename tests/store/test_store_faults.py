"""The store when its database is down or slow: StoreUnavailable, the pool's recovery, and the
timeouts on the dashboard's connections. On a cluster of this module's own (it is stopped and
started again here), never the session's shared one."""

import threading
import time

import psycopg
import pytest
from conftest import small_dataset

from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore, StoreError, StoreTimeouts, StoreUnavailable
from layers.view import View

# Generous: the machine running the tests may be loaded; each wait still has an end.
RECOVERY_S = 60


@pytest.fixture
def stored(own_cluster, tmp_path):
    """The URL of a database holding the small dataset; the cluster is running again after."""
    from postgres import fresh_database, start_cluster

    url, template = own_cluster
    with fresh_database(url, template) as database:
        with PostgisStore(database) as store:
            store.import_geodata(load_geodata(small_dataset(tmp_path / "geodata")))
        try:
            yield database
        finally:
            try:
                psycopg.connect(url, connect_timeout=2).close()
            except psycopg.OperationalError:
                start_cluster(url)  # a test stopped it and failed before starting it


def until(check, seconds: float = RECOVERY_S):
    """check()'s first true answer, asked every 0.5 s for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


def test_the_app_connections_have_statement_and_lock_timeouts(stored, monkeypatch):
    with PostgisStore(stored) as store, store.connection() as connection:
        assert connection.execute("SHOW statement_timeout").fetchone()[0] == "10s"
        assert connection.execute("SHOW lock_timeout").fetchone()[0] == "5s"
    monkeypatch.setenv("EVENTS_DB_STATEMENT_TIMEOUT", "2.5")
    monkeypatch.setenv("EVENTS_DB_LOCK_TIMEOUT", "0")  # 0: no lock timeout
    with PostgisStore(stored) as store, store.connection() as connection:
        assert connection.execute("SHOW statement_timeout").fetchone()[0] == "2500ms"
        assert connection.execute("SHOW lock_timeout").fetchone()[0] == "0"
        # A read longer than the statement timeout is an outage for the page, said plainly.
        started = time.monotonic()
        with (
            pytest.raises(StoreUnavailable, match="longer than the 2.5 s statement timeout"),
            store.connection() as slow,
        ):
            slow.execute("SELECT pg_sleep(30)")
        assert time.monotonic() - started < 15
    # The command line's imports and index builds are not cut short.
    timeouts = StoreTimeouts.from_env().without_statement_limits()
    with PostgisStore(stored, timeouts=timeouts) as store, store.connection() as connection:
        assert connection.execute("SHOW statement_timeout").fetchone()[0] == "0"


def test_a_timeout_that_is_not_a_number_is_named(monkeypatch):
    monkeypatch.setenv("EVENTS_DB_POOL_TIMEOUT", "ten")
    with pytest.raises(StoreError, match="EVENTS_DB_POOL_TIMEOUT='ten': give a number"):
        StoreTimeouts.from_env()


def test_a_stopped_server_is_unavailable_and_the_pool_recovers_after_a_restart(stored):
    from postgres import start_cluster, stop_cluster

    with PostgisStore(stored) as store:
        assert store.summary().total == 3
        stop_cluster(stored)
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as raised:
            store.table(View(), 10)
        assert str(raised.value) in (
            "the connection to the database was refused or lost",
            "the database is shutting down or restarting",
            "no database connection came free within 10 s (the database is down or busy)",
        )
        assert time.monotonic() - started < 15  # the pool wait at most, with margin
        # Known down: later reads say so in about a second, not a pool wait each.
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.shown(View(nations=("CAN",)), [])
        assert time.monotonic() - started < 5
        assert not store.available()
        # A new process's store on a stopped server: unavailable, not a configuration error.
        with pytest.raises(StoreUnavailable):
            PostgisStore(stored)

        start_cluster(stored)
        assert until(store.available), "the pool did not reconnect after the restart"
        assert list(store.table(View(), 10)["id"]) == ["ccg-senkaku", "strait-transit", "boso"]
        assert store.shown(View(nations=("CAN",)), []).count == 1


def test_a_locked_events_table_is_unavailable_within_the_lock_timeout(stored):
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        with psycopg.connect(stored) as holder:
            holder.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(60)

    holder = threading.Thread(target=hold_lock)
    with PostgisStore(stored) as store:
        holder.start()
        try:
            assert locked.wait(30)
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match="waited more than 5 s for a lock"):
                store.table(View(kinds=("incident",)), 10)
            waited = time.monotonic() - started
            assert 4 < waited < 5 + 10  # the lock timeout, then the answer at once
            assert not store.available()
        finally:
            release.set()
            holder.join()
        assert until(store.available)
        assert list(store.table(View(kinds=("incident",)), 10)["id"]) == ["ccg-senkaku"]
