"""Reads from hot standbys, writes to the primary: the shared store on PostgreSQL's own
streaming replication (https://www.postgresql.org/docs/current/hot-standby.html).

    EVENTS_DB=postgresql://app@primary/events
    EVENTS_DB_STANDBYS=postgresql://app@standby1/events,postgresql://app@standby2/events

`Replicas` hands out connections: the primary's for writes (PostgisStore.connection), and for
reads one of the standbys, taken in turn, or the primary when none will do. Three rules decide
whether a standby will do for a read; each is a WAL position (an LSN, bytes into the
write-ahead log) that the standby's replay (`pg_last_wal_replay_lsn()`) must have reached:

- **A session reads its own writes.** After a write the store notes the primary's WAL position
  and the store's version in the session's `WriteMark` (a small object the caller keeps, e.g.
  in the dashboard's session state, and binds with `session(mark)`); that session's reads go
  to a standby only once it has replayed that far, else to the primary. A caller that binds
  no mark (the command line, a test) is one session: the process's own mark.
- **The store's version never goes back.** Each process keeps answers per store version; a
  version read from one server must not be used to read from a server that has not reached it
  (its answer would be kept under a version it does not show). So every read must reach the
  position where the process last read the version (`saw`).
- **A standby may lag by at most MAX_LAG_S.** A watcher thread samples the primary's WAL
  position every WATCH_S seconds; a standby that has not replayed what the primary had written
  MAX_LAG_S ago is passed over until it catches up (a colleague's save then shows within
  about MAX_LAG_S + the version's VERSION_SECONDS, never later, wherever the read lands).

A standby that fails under a read (refused or lost connection, shut down, starting up, a query
cancelled by a conflict with recovery) costs one retry elsewhere (another standby or the
primary), never an error for the read; a failed standby is set aside for STANDBY_RETRY_S and
the watcher, which also probes each standby every WATCH_S, takes it back once it answers again
(its pool's stale connections tested and replaced first). With no standby given, every read is
the primary's and nothing here costs a round trip.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TypeVar

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

T = TypeVar("T")
log = logging.getLogger(__name__)

# The environment variable naming the standbys: postgresql:// URLs separated by commas.
STANDBYS_ENV = "EVENTS_DB_STANDBYS"
# How often the watcher samples the primary's WAL position and each standby's replay, and
# probes a standby set aside (seconds).
WATCH_S = 1.0
# A standby further behind than this (seconds of the primary's WAL) is not read from: the
# store's own promise is that a colleague's save shows within seconds (VERSION_SECONDS).
MAX_LAG_S = 5.0
# Seconds a standby that failed under a read is set aside before the watcher may take it back.
STANDBY_RETRY_S = 10.0
# Seconds to wait for a standby's connection (its pool's getconn; the watcher's connect): a
# standby that cannot give one this fast is set aside, and the read goes elsewhere.
STANDBY_CONNECT_S = 3.0
# The server's own WAL position, in one expression for a primary and a standby: what a standby
# has replayed, or on the primary where its next WAL record goes. The insert position, not
# pg_current_wal_lsn(): with synchronous_commit off a committed transaction's commit record may
# not be written out yet, and the insert position is past it all the same.
POSITION_SQL = (
    "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
    "ELSE pg_current_wal_insert_lsn() END"
)
PRIMARY = "primary"


def lsn_number(text: str | None) -> int | None:
    """A pg_lsn as PostgreSQL prints it ("16/B374D848") as a number of bytes; None for NULL."""
    if text is None:
        return None
    high, low = str(text).split("/")
    return (int(high, 16) << 32) | int(low, 16)


def standby_urls(text: str | None) -> list[str]:
    """The standbys' URLs in EVENTS_DB_STANDBYS ("postgresql://…,postgresql://…"): split at
    commas, blanks dropped. Empty or unset: none."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@dataclass
class WriteMark:
    """Where one session's writes stand: the primary's WAL position (bytes) just after its
    last write committed, and the store's version then (0: it has written nothing).

    The caller keeps it for the session (the dashboard: one per browser session, in its
    session state) and binds it around the session's calls with `session(mark)`; the store
    updates it after each write. Only the session's own thread writes it.
    """

    lsn: int = 0
    version: int = 0

    def note(self, version: int, lsn: int) -> None:
        """A write committed: the store is at `version` once WAL position `lsn` is replayed."""
        self.lsn = max(self.lsn, lsn)
        self.version = max(self.version, version)


_bound: contextvars.ContextVar[WriteMark | None] = contextvars.ContextVar(
    "store_write_mark", default=None
)


@contextlib.contextmanager
def session(mark: WriteMark) -> Iterator[WriteMark]:
    """Run the block as the session `mark` belongs to: its writes are noted in `mark`, and its
    reads reach at least the position of its last write. Threads started with a copy of the
    context (contextvars.copy_context) carry it."""
    token = _bound.set(mark)
    try:
        yield mark
    finally:
        _bound.reset(token)


@dataclass
class Standby:
    """One hot standby: its pool of read connections and what the watcher knows of it."""

    label: str
    url: str
    pool: ConnectionPool
    # The WAL position it had replayed when last asked (None: not known, e.g. just back).
    replayed: int | None = None
    # Set aside until this time.monotonic() (None: in use); the reason, for status().
    aside_until: float | None = None
    reason: str = ""
    watch: psycopg.Connection | None = field(default=None, repr=False)


class Replicas:
    """The store's servers: the primary (its connections from `primary`, a context manager
    giving one, e.g. PostgisStore.connection) and zero or more hot standbys (postgresql://
    URLs), each with a pool of at most `max_connections` opened with `connection_kwargs`
    (psycopg.connect's keyword arguments: autocommit, options, …, the same as the primary's).
    """

    def __init__(
        self,
        primary: Callable[[], AbstractContextManager[psycopg.Connection]],
        primary_url: str,
        standbys: list[str],
        connection_kwargs: dict,
        *,
        max_connections: int = 4,
    ):
        self._primary = primary
        self._primary_url = primary_url
        self._kwargs = connection_kwargs
        self._lock = threading.Lock()
        self._process = WriteMark()  # writes made with no session bound
        self._seen = 0  # where the process last read the store's version
        # (time.monotonic(), the primary's WAL position) sampled by the watcher.
        self._primary_positions: deque[tuple[float, int]] = deque()
        self._turn = itertools.count()
        self.reads: Counter[str] = Counter()  # reads served, by server label
        self.retries = 0  # reads that failed on one server and were asked again elsewhere
        self.standbys = [
            Standby(
                f"standby {number}",
                url,
                ConnectionPool(
                    url,
                    # None kept open: a standby that is down at start costs no reconnecting
                    # in the background, only the watcher's probe.
                    min_size=0,
                    max_size=max_connections,
                    kwargs=connection_kwargs,
                    timeout=STANDBY_CONNECT_S,
                    reconnect_timeout=STANDBY_RETRY_S,
                    open=True,
                    name=f"events-standby-{number}",
                ),
            )
            for number, url in enumerate(standbys, start=1)
        ]
        self._closed = threading.Event()
        self._watcher: threading.Thread | None = None
        self._primary_watch: psycopg.Connection | None = None
        if self.standbys:
            self._sample_primary()
            for standby in self.standbys:
                self._probe(standby)
            self._watcher = threading.Thread(
                target=self._watch, name="events-standby-watcher", daemon=True
            )
            self._watcher.start()

    def close(self) -> None:
        """Stop the watcher and close the standbys' connections."""
        self._closed.set()
        if self._watcher is not None:
            self._watcher.join(timeout=2 * STANDBY_CONNECT_S + WATCH_S)
        for standby in self.standbys:
            standby.pool.close()
            _close_quietly(standby.watch)
        _close_quietly(self._primary_watch)

    # --- what a read must reach ----------------------------------------------------------

    def mark(self) -> WriteMark:
        """The bound session's mark, or the process's own when none is bound."""
        return _bound.get() or self._process

    def noted(self, version: int, lsn: int) -> None:
        """A write committed (the store at `version` from WAL position `lsn`): note it in the
        bound session's mark, or the process's."""
        self.mark().note(version, lsn)

    def saw(self, lsn: int) -> None:
        """The process read the store's version at WAL position `lsn`: from now on every read
        reaches at least there (see the module's second rule)."""
        with self._lock:
            self._seen = max(self._seen, lsn)

    def floor(self) -> int:
        """The WAL position a standby must have replayed to serve this session's read now:
        its own last write, the process's writes with no session, where the version was last
        read, and the primary's position MAX_LAG_S ago."""
        bound = _bound.get()
        with self._lock:
            floor = max(self._process.lsn, self._seen, self._lag_floor())
        return max(floor, bound.lsn) if bound is not None else floor

    def _lag_floor(self) -> int:
        limit = time.monotonic() - MAX_LAG_S
        position = 0
        for sampled_at, lsn in self._primary_positions:
            if sampled_at > limit:
                break
            position = lsn
        return position

    # --- reads -----------------------------------------------------------------------------

    def read(self, work: Callable[[psycopg.Connection], T]) -> T:
        """work(connection) on a standby that has reached floor(), or on the primary; asked
        once more on another server when the first fails as a server does (see the module).
        `work` only reads: it may run twice. Other errors (bad SQL, a statement timeout)
        are raised as they are; so is the second server's failure."""
        if not self.standbys:
            with self._primary() as connection:
                return work(connection)
        floor = self.floor()
        failed: set[str] = set()
        for attempt in (1, 2):
            try:
                return self._read_once(work, floor, failed)
            except _ServerFailed as failure:
                failed.add(failure.label)
                if attempt == 2 or not self._other_server(floor, failed):
                    raise failure.error from None
                with self._lock:
                    self.retries += 1
                log.info("read failed on %s (%s); asked again elsewhere", failure.label, failure)
        raise AssertionError("unreachable")

    def _other_server(self, floor: int, failed: set[str]) -> bool:
        return PRIMARY not in failed or any(
            standby.label not in failed and standby.aside_until is None for standby in self.standbys
        )

    def _read_once(self, work, floor: int, failed: set[str]):
        for standby in self._in_turn():
            if standby.label in failed or standby.aside_until is not None:
                continue
            replayed = standby.replayed
            if replayed is None or replayed < self._lag_floor_now():
                continue  # lagging beyond MAX_LAG_S (or not known): the watcher will say
            try:
                with standby.pool.connection() as connection:
                    if replayed < floor:
                        # Not known to be there: ask (one round trip), it is often just behind.
                        row = connection.execute("SELECT pg_last_wal_replay_lsn()").fetchone()
                        replayed = lsn_number(row[0]) or 0
                        standby.replayed = max(standby.replayed or 0, replayed)
                        if replayed < floor:
                            continue
                    result = work(connection)
            except (
                psycopg.OperationalError,
                PoolTimeout,
                psycopg.errors.SerializationFailure,
            ) as error:
                if not _server_failure(error):
                    raise
                if not isinstance(error, psycopg.errors.SerializationFailure) and not _busy(
                    standby.pool, error
                ):
                    self._set_aside(standby, _first_line(error))
                raise _ServerFailed(standby.label, error) from None
            with self._lock:
                self.reads[standby.label] += 1
            return result
        if PRIMARY in failed:
            raise _ServerFailed(PRIMARY, psycopg.OperationalError("no server can serve this read"))
        try:
            with self._primary() as connection:
                result = work(connection)
        except (psycopg.OperationalError, PoolTimeout) as error:
            if not _server_failure(error):
                raise
            raise _ServerFailed(PRIMARY, error) from None
        with self._lock:
            self.reads[PRIMARY] += 1
        return result

    def _lag_floor_now(self) -> int:
        with self._lock:
            return self._lag_floor()

    def _in_turn(self) -> list[Standby]:
        """The standbys, starting from the next in turn: reads spread over them."""
        start = next(self._turn) % len(self.standbys)
        return self.standbys[start:] + self.standbys[:start]

    def _set_aside(self, standby: Standby, reason: str) -> None:
        with self._lock:
            first = standby.aside_until is None
            standby.aside_until = time.monotonic() + STANDBY_RETRY_S
            standby.reason = reason
            standby.replayed = None
        if first:
            log.warning(
                "%s set aside for %.0f s (%s); reads go elsewhere",
                standby.label,
                STANDBY_RETRY_S,
                reason,
            )

    # --- the watcher -----------------------------------------------------------------------

    def _watch(self) -> None:
        while not self._closed.wait(WATCH_S):
            self._sample_primary()
            for standby in self.standbys:
                if self._closed.is_set():
                    return
                self._probe(standby)

    def _sample_primary(self) -> None:
        """The primary's WAL position now, kept for MAX_LAG_S and a little more. A primary
        that cannot be reached gives no sample: the standbys keep serving reads."""
        try:
            if self._primary_watch is None or self._primary_watch.closed:
                self._primary_watch = _watch_connection(self._primary_url)
            row = self._primary_watch.execute("SELECT pg_current_wal_lsn()").fetchone()
        except psycopg.Error:
            _close_quietly(self._primary_watch)
            self._primary_watch = None
            return
        now = time.monotonic()
        with self._lock:
            self._primary_positions.append((now, lsn_number(row[0]) or 0))
            while (
                len(self._primary_positions) > 1
                and self._primary_positions[1][0] <= now - MAX_LAG_S
            ):
                self._primary_positions.popleft()

    def _probe(self, standby: Standby) -> None:
        """Ask the standby what it has replayed; set it aside when it does not answer or is no
        standby; take it back when it was set aside, the time is up and it answers again."""
        try:
            if standby.watch is None or standby.watch.closed:
                standby.watch = _watch_connection(standby.url)
            recovering, replayed = standby.watch.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()"
            ).fetchone()
        except psycopg.Error as error:
            _close_quietly(standby.watch)
            standby.watch = None
            self._set_aside(standby, _first_line(error))
            return
        if not recovering:
            # Promoted, or the primary's URL given as a standby: not a copy the rules hold for.
            self._set_aside(standby, "it is not in recovery: not a standby")
            return
        if standby.aside_until is not None:
            if time.monotonic() < standby.aside_until:
                return
            # Back: the pool's connections from before it went away are tested and replaced
            # first, so no read meets one of them.
            standby.pool.check()
            with self._lock:
                standby.aside_until = None
                standby.reason = ""
            log.warning("%s answers again; reads go to it", standby.label)
        with self._lock:
            standby.replayed = lsn_number(replayed)

    def status(self) -> list[str]:
        """One line per standby for an operator: in use and how far behind the primary's last
        sampled position (bytes), or set aside and why."""
        lines = []
        with self._lock:
            latest = self._primary_positions[-1][1] if self._primary_positions else None
            for standby in self.standbys:
                if standby.aside_until is not None:
                    lines.append(f"{standby.label}: set aside ({standby.reason})")
                elif standby.replayed is None or latest is None:
                    lines.append(f"{standby.label}: in use")
                else:
                    behind = max(latest - standby.replayed, 0)
                    lines.append(f"{standby.label}: in use, {behind:,} bytes of WAL behind")
        return lines


class _ServerFailed(Exception):
    def __init__(self, label: str, error: BaseException):
        super().__init__(f"{label}: {_first_line(error)}")
        self.label = label
        self.error = error


def _server_failure(error: BaseException) -> bool:
    """Whether a read's error is the server's (down, going away, starting, or a standby
    cancelling the query for a conflict with recovery) rather than the read's own."""
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, psycopg.errors.QueryCanceled):
        return False  # a statement timeout: as slow elsewhere, and not the server's failure
    if isinstance(error, psycopg.errors.SerializationFailure):
        return "recovery" in str(error)
    return isinstance(error, psycopg.OperationalError)


def _busy(pool: ConnectionPool, error: BaseException) -> bool:
    """Whether a PoolTimeout came from the process's own reads holding every connection of
    the pool (busy: go elsewhere this once) rather than from connections that cannot be
    made (the standby is down: set it aside)."""
    if not isinstance(error, PoolTimeout):
        return False
    return pool.get_stats().get("pool_size", 0) >= (pool.max_size or 0)


def _watch_connection(url: str) -> psycopg.Connection:
    return psycopg.connect(
        url,
        autocommit=True,
        connect_timeout=int(STANDBY_CONNECT_S),
        options=f"-c statement_timeout={int(STANDBY_CONNECT_S * 1000)}",
    )


def _close_quietly(connection: psycopg.Connection | None) -> None:
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
