"""The shared event store: events and named areas in PostgreSQL with PostGIS.

Everything stored has come through the validator (layers/read/load.py, or the upload and import
readers); the schema is `migrations/*.sql`. What the dashboard asks is answered in the database,
so a process holds only what a view shows, whatever the store's size:

- the filters are one WHERE clause (`view_filter`): months by date overlap (an event shows in
  every month its [start, end] touches, as layers/filters.py), nations any/all as array
  overlap/containment on a GIN index, kinds, zones (tagged at write time by
  layers/analysis/zones.py), and the map window as a box on the geometry's GiST index;
- counts per month and per map grid cell are GROUP BYs (`shown`, `cells`), an event counted in
  each month it was active; rows come back only for the table's first page, the events drawn
  one by one (at most DETAIL_LIMIT) and the open event.

Dates keep the text they were written with (`start_text`, `end_text`: the form is the
precision) beside the first and last day they cover; no day is invented. Geometry is stored as
validated, EPSG:4326, -180…180 (RFC 7946); the map's Pacific-centred frame is applied to the
window and to each event's cell position (`x`, `y`), never to the stored geometry.

With hot standbys (EVENTS_DB_STANDBYS, layers/store/replicas.py) the reads go to them in turn
and the writes to the primary; a session reads its own writes (the WriteMark bound with
`session`), and a standby that fails under a read costs a retry elsewhere, not an error.

Writes (`write_events`) take every row of a batch or report it: an id already stored with the
same content is "unchanged", with other content a clash (a Problem naming the stored file),
unless replacing was asked for. Concurrent writers never lose a row: each row is inserted under
the primary key, and a writer that meets another's uncommitted row waits for it and then
reports the clash.

Every write is recorded in the event's history (event_revisions, layers/store/revisions.py) in
the same transaction: "saved" or "imported" when added, "replaced" when a write asked to replace
overwrote it (what it held kept as `before`). Editors change stored events with
`correct_event` and `retract_event`, each on the revision they read: the row is locked, and a
revision another editor has moved past is refused (StaleRevision, with their change), so no
update is lost. `history`, `event_revision`, `retracted` and `export_history` read it back.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import json
import logging
import math
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from layers.aggregate import MapWindow, display_positions
from layers.analysis.zones import IN, MAX_PRECISION_KM, POSSIBLY, zone_tags
from layers.dates import month_span
from layers.export.tables import event_feature
from layers.i18n import LANGUAGES, Message, _, ngettext, number
from layers.map.data import to_pacific_frame
from layers.read.load import (
    AREAS_SUBDIR,
    EVENTS_SUBDIR,
    GeoData,
    empty_events,
    events_frame,
    feature_label,
    parse_event,
)
from layers.read.schema import (
    AREA_COLUMNS,
    AREA_KINDS,
    AREA_TABLE_COLUMNS,
    EVENT_COLUMNS,
    ID_PATTERN,
    KINDS,
    FeatureError,
    Problem,
    plural,
)
from layers.region import PACIFIC_FRAME_WEST_EDGE
from layers.store.migrations import migrate, pending
from layers.store.replicas import POSITION_SQL, Replicas, WriteMark, lsn_number
from layers.store.replicas import session as bound_session
from layers.store.revisions import (
    CORRECTED,
    IMPORTED,
    REPLACED,
    RETRACTED,
    SAVED,
    Revision,
    resolved,
)
from layers.view import View

T = TypeVar("T")  # an answer PostgisStore._kept keeps

# The columns written for an event, in COPY order (first_month and last_month are generated).
WRITTEN_COLUMNS = (
    "id",
    "title",
    "summary",
    "kind",
    "start_text",
    "end_text",
    "start_day",
    "end_day",
    "nations",
    "organisations",
    "forces",
    "area",
    "location_precision_km",
    "sources",
    "file",
    "zones_in",
    "zones_possibly",
    "geom",
    "x",
    "y",
    "digest",
    "counts",
    "coord_times",
    "windows",
    "sides",
)
# What a read returns for each event: the loader's columns, zone tags and the geometry.
_READ_COLUMNS = sql.SQL(
    "id, title, summary, kind, start_day, end_day, start_text, end_text, nations, "
    "organisations, forces, area, location_precision_km, sources, file, zones_in, "
    "zones_possibly, ST_AsBinary(geom), digest, counts, coord_times, windows, sides"
)
# The zoom levels event_cells counts at (migrations: 2 to 8): beyond 8 a window is small enough
# to count its events one by one, and finer levels would hold nearly a row per event.
CELL_LEVELS = (2, 8)
# The zoom level nation_cells counts at (migrations/0002): its cells add up to those of zoom 2
# and 3, so it serves a nations filter from zoom 2 to this one.
NATION_CELL_LEVEL = 4
# How long a process reuses the store's version it read (seconds): one round trip per rerun
# rather than one per question, and a colleague's save shows at most this much later.
VERSION_SECONDS = 1.0
# Answers of `cells` kept per process (a few hundred KB at most each).
CELLS_CACHE_SIZE = 64
# Views whose counts by months and kind (shown, monthly_counts) a process keeps (a few KB each).
COUNTS_CACHE_SIZE = 256
# Seconds to wait for the database when connecting (StoreTimeouts.connect_s's default).
CONNECT_TIMEOUT_S = 5
# The pool wait before asking the server directly whether it is there, and the whole wait while
# the last attempt found it down (PostgisStore._getconn).
OUTAGE_WAIT_S = 1.0
# Events written per transaction when importing many.
_BATCH = 50_000
# A first import at least this large builds the indexes after loading (_indexes_built_after).
BULK_EVENTS = 100_000
# Saved uploads are filed as events/<name>.geojson (what `export` writes); a name is reduced
# to these characters so no saved name can reach outside the export's events/ folder.
_UNSAFE_NAME = re.compile(r"[^a-z0-9._-]+")
_EXPORT_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class StoreError(RuntimeError):
    """The store cannot be used: unreachable, or its schema is missing or too new."""


class StaleRevision(StoreError):
    """A correction or retraction was refused, and nothing written: the event has changed
    since the editor read it (another editor corrected, replaced or retracted it).

    `newer` holds the revisions made since the one the editor had (who, when, why, and what
    changed: Revision.changed_fields), oldest first; `current` is the event's revision now
    (None when it has been retracted). The message says who changed it, when and why.
    """

    def __init__(self, event_id: str, expected: int, current: int | None, newer: list[Revision]):
        self.event_id = event_id
        self.expected = expected
        self.current = current
        self.newer = newer
        if newer:
            told = "; ".join(revision.sentence() for revision in newer)
            message = f'"{event_id}" has changed since revision {expected}: {told}'
        else:
            message = (
                f'"{event_id}" is not at revision {expected} '
                f"(it is at {current if current is not None else 'none: not stored'})"
            )
        super().__init__(message)


class InvalidEvent(ValueError):
    """A correction that cannot be stored: the feature fails the validator (layers/read/load.py,
    the same checks as a file's events), names another id, or changes nothing; or a retraction
    given no reason. The message is one line naming the feature and field."""


class UnknownEvent(LookupError):
    """No event of this id has ever been stored (no current event and no history)."""


class AreaExists(StoreError):
    """A drawn area was not saved: an area of its id is stored already (a colleague's drawn
    area or a named area); a drawing never replaces one. The message is one line naming the
    id and who saved the stored one and when (or the file it came from)."""

    def __init__(self, area_id: str, saved_by: str | None, saved_at: dt.datetime | None, file):
        self.area_id, self.saved_by, self.saved_at, self.file = area_id, saved_by, saved_at, file
        if saved_by is not None and saved_at is not None:
            stored = Message(
                "saved by {actor} at {when} UTC",
                actor=saved_by,
                when=saved_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
            )
        else:
            stored = Message("a named area from {file}", file=file)
        # A Message: English as str(), in the reader's language where shown (localized).
        super().__init__(
            Message(
                "an area {id} is already stored ({stored}); a drawn area never replaces a "
                "stored one: save it under another id",
                id=json.dumps(area_id, ensure_ascii=False),
                stored=stored,
            )
        )


class InvalidArea(ValueError):
    """A drawn area that cannot be stored as it is given (one line: its id and the field)."""


@dataclass
class SavedAreas:
    """What `save_drawn_area` stored: the area ids, who and when (the server's clock, UTC),
    and how many stored events it tagged (events now in or possibly in them)."""

    ids: list[str]
    saved_by: str
    saved_at: dt.datetime
    tagged: int

    def sentence(self) -> str:
        """What was saved, in the language of the words being written (layers/i18n.py)."""
        areas = ngettext("{count} area", "{count} areas", len(self.ids))
        events = ngettext("{count} event", "{count} events", self.tagged)
        return _(
            "Saved {areas} ({names}) for the team as {actor} at {when} UTC; {events} tagged."
        ).format(
            areas=areas.format(count=number(len(self.ids))),
            names=", ".join(self.ids),
            actor=self.saved_by,
            when=f"{self.saved_at:%Y-%m-%d %H:%M}",
            events=events.format(count=number(self.tagged)),
        )


class StoreUnavailable(StoreError):
    """The store's database cannot answer now, though it may again soon: the connection was
    refused or lost (a stop, restart, admin shutdown, a standby gone), no pooled connection
    came free within the pool's wait, or a read was cancelled by the statement or lock
    timeout. str() is one plain line saying which, for the page; `detail` is the driver's
    first line, for the log."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


# --- Timeouts and outages (the dashboard's connections) -----------------------------------
_log = logging.getLogger(__name__)
# PostgreSQL error classes that mean "not now" rather than "not so" (Appendix A of the
# PostgreSQL manual): 08 connection exception, 53 insufficient resources (too many
# connections, out of memory or disk), 55 object not in prerequisite state (55P03 lock not
# available: lock_timeout), 57 operator intervention (57014 query cancelled: statement_timeout;
# 57P01 admin shutdown; 57P03 cannot connect now: starting or shutting down), 58 system error.
_OUTAGE_CLASSES = ("08", "53", "55", "57", "58")


@dataclass(frozen=True)
class StoreTimeouts:
    """How long the dashboard's connections wait, in seconds (0: no limit, for the statement
    and lock timeouts only). Each can be set by an environment variable (ENV_VARS; docs/teams.md
    "When the database is down or slow"):

    - connect_s: libpq's connect_timeout, to open a connection (libpq takes whole seconds,
      at least 2);
    - pool_s: waiting for a pooled connection (psycopg_pool's getconn timeout) when all are
      busy or the database cannot be reached;
    - statement_s: PostgreSQL's statement_timeout on every statement of the app's connections;
    - lock_s: PostgreSQL's lock_timeout: a read that waits this long for a lock (an import or
      maintenance holding `events`) is cancelled rather than left hanging the page.

    A read cut by any of them is StoreUnavailable for the page, not a traceback.
    """

    connect_s: float = CONNECT_TIMEOUT_S
    pool_s: float = 10.0
    statement_s: float = 10.0
    lock_s: float = 5.0

    ENV_VARS = {
        "connect_s": "EVENTS_DB_CONNECT_TIMEOUT",
        "pool_s": "EVENTS_DB_POOL_TIMEOUT",
        "statement_s": "EVENTS_DB_STATEMENT_TIMEOUT",
        "lock_s": "EVENTS_DB_LOCK_TIMEOUT",
    }

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> StoreTimeouts:
        """The defaults, overridden by ENV_VARS set in `environ` (os.environ by default), each
        a number of seconds. Raises StoreError naming the variable for any other value."""
        environ = os.environ if environ is None else environ
        values = {}
        for name, variable in cls.ENV_VARS.items():
            text = environ.get(variable, "").strip()
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                value = -1.0
            if (
                not math.isfinite(value)
                or value < 0
                or (value == 0 and name in ("connect_s", "pool_s"))
            ):
                setting = variable + "=" + repr(text)
                raise StoreError(Message("{setting}: give a number of seconds", setting=setting))
            values[name] = value
        return cls(**values)

    def without_statement_limits(self) -> StoreTimeouts:
        """These timeouts with no statement or lock limit: for `python -m layers.db`, whose
        imports and index builds run for minutes and wait for readers' locks on purpose."""
        return StoreTimeouts(self.connect_s, self.pool_s, 0.0, 0.0)


def pool_settings(timeouts: StoreTimeouts) -> dict:
    """The ConnectionPool keyword arguments that make the pool survive database faults:

    - each connection gets connect_timeout, statement_timeout and lock_timeout (libpq
      `options`, so they hold from the first statement) and autocommit;
    - `check`: a pooled connection is tried (an empty query) before it is handed out, so one
      the server dropped (a restart, a standby gone) is replaced, not given to a page;
    - `timeout`: the pool wait; `reconnect_timeout`: reconnection attempts back off
      exponentially (psycopg_pool: 1 s, 2 s, 4 s…) and give up after this long, and the next
      request starts again at once, so a database that comes back is found within seconds,
      not after a back-off grown through a long outage.

    Source: psycopg_pool's ConnectionPool documentation ("Connection checks", "reconnect").
    """
    options = ["-c jit=off"]
    # JIT compiling took 0.7 s of a 1.2 s count per cell: the planner's row estimate for
    # generate_series over month spans set it off, and no query here runs long enough to win
    # it back.
    for setting, seconds in (
        ("statement_timeout", timeouts.statement_s),
        ("lock_timeout", timeouts.lock_s),
    ):
        options.append(f"-c {setting}={round(seconds * 1000)}")
    return {
        "kwargs": {
            "autocommit": True,
            "connect_timeout": max(2, math.ceil(timeouts.connect_s)),
            "options": " ".join(options),
        },
        "check": ConnectionPool.check_connection,
        "timeout": timeouts.pool_s,
        "reconnect_timeout": max(timeouts.connect_s, 5.0),
    }


def is_outage(error: BaseException) -> bool:
    """Whether `error` means the database cannot answer now (StoreUnavailable) rather than a
    mistake a retry would repeat (a bad password, a missing database, a bug)."""
    if isinstance(error, (PoolTimeout, psycopg.InterfaceError)):
        return True
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = error.sqlstate
    # No SQLSTATE: libpq's own failure (refused, timed out, connection lost mid-query).
    return state is None or state[:2] in _OUTAGE_CLASSES


def unavailable(error: BaseException, timeouts: StoreTimeouts) -> StoreUnavailable:
    """The plain line an analyst reads for an outage `error` (see is_outage)."""
    detail = next(iter(str(error).strip().splitlines()), type(error).__name__)
    # Messages: English as str(), in each reader's language where the page shows them.
    if isinstance(error, PoolTimeout):
        reason = Message(
            "no database connection came free within {seconds} s (the database is down or busy)",
            seconds=format(timeouts.pool_s, "g"),
        )
    elif isinstance(error, psycopg.errors.LockNotAvailable):
        reason = Message(
            "a read waited more than {seconds} s for a lock on the events (an import or "
            "maintenance is holding them)",
            seconds=format(timeouts.lock_s, "g"),
        )
    elif isinstance(error, psycopg.errors.QueryCanceled):
        reason = Message(
            "a read took longer than the {seconds} s statement timeout",
            seconds=format(timeouts.statement_s, "g"),
        )
    elif isinstance(error, (psycopg.errors.AdminShutdown, psycopg.errors.CannotConnectNow)):
        reason = Message("the database is shutting down or restarting")
    elif isinstance(error, psycopg.errors.CrashShutdown):
        reason = Message("the database server restarted after a crash")
    elif getattr(error, "sqlstate", None) and error.sqlstate[:2] == "53":
        reason = Message("the database is out of connections, memory or disk")
    else:
        reason = Message("the connection to the database was refused or lost")
    return StoreUnavailable(reason, detail)


def month_number(month: str) -> int:
    """ "2024-07" as a number of months since year 0 (2024 * 12 + 6), as the schema stores."""
    year, number = (int(part) for part in month.split("-"))
    return year * 12 + number - 1


def month_text(number: int) -> str:
    """The inverse of month_number: 24294 -> "2024-07"."""
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


@dataclass(frozen=True)
class StoreSummary:
    """What the sidebar and the timeline need about the whole store, for one version of it.

    `monthly_counts` has the columns of layers.filters.monthly_counts (month, kind, events):
    events active in each month, by kind. `zone_areas` are the areas that tag any event, in
    area order.
    """

    version: int
    total: int
    months: list[str]
    monthly_counts: pd.DataFrame
    nations_present: list[str]
    zone_areas: list[str]


@dataclass(frozen=True)
class Shown:
    """What a view's filters select: how many events, and how many are active in each month
    of `months` (the map's month layers)."""

    count: int
    month_counts: dict[str, int]


@dataclass
class WriteResult:
    """What happened to each event of a write: added, replaced, already there unchanged, or
    not written because its id is taken (one Problem each, naming the stored file)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def sentence(self) -> str:
        """ "3 events added, 1 unchanged, 1 not saved (its id is taken)"."""
        parts = [f"{plural(len(self.added), 'event')} added"]
        if self.replaced:
            parts.append(f"{len(self.replaced):,} replaced")
        if self.unchanged:
            parts.append(f"{len(self.unchanged):,} already there unchanged")
        if self.problems:
            parts.append(f"{len(self.problems):,} not written (id taken)")
        return ", ".join(parts)


def quoted(text: str) -> str:
    """An id as the store's messages name it: in double quotes, as written."""
    return '"' + str(text) + '"'


def saved_file(name: str) -> str:
    """The file an event saved from an upload is filed under: events/<name's stem>.geojson,
    reduced to lower-case letters, digits, '.', '_' and '-' (an upload's name is the
    analyst's choice; what `export` writes must stay in its events/ folder)."""
    stem = PurePosixPath(name.replace("\\", "/")).stem.lower()
    stem = _UNSAFE_NAME.sub("-", stem).strip(".-_") or "saved"
    return f"{EVENTS_SUBDIR}/{stem[:100]}.geojson"


def window_boxes(window: MapWindow) -> list[tuple[float, float, float, float]]:
    """The map window (Pacific frame: west of 30°W drawn +360°) as boxes in EPSG:4326.

    Returns (west, south, east, north) boxes: the part of the window from 30°W to 180° as it
    is, and the part beyond 180° moved back by 360°. A window over the frame's whole width
    gives both.
    """
    boxes = []
    for shift, low, high in ((0.0, PACIFIC_FRAME_WEST_EDGE, 180.0), (360.0, -180.0, -30.0)):
        west, east = max(window.west - shift, low), min(window.east - shift, high)
        if west <= east:
            boxes.append((west, window.south, east, window.north))
    return boxes


def view_filter(view: View, window: MapWindow | None = None) -> tuple[sql.Composable, dict]:
    """A view's filters as one SQL condition on `events`, and its parameters.

    Months: the event's [start_day, end_day] overlaps [first day of view.start, last day of
    view.end] (either end open when not given), or the view's days when it names days
    (View.day_range). Nations: any of them (`&&`) or all of them
    (`@>`). Kinds: one of them. Zones: tagged "in" one of them, or also "possibly" with
    view.possibly. `window`: the event's bounding box touches the window (see window_boxes).
    """
    clauses: list[sql.Composable] = []
    params: dict = {}
    if view.start or view.end:
        params["first_day"], params["last_day"] = view.day_range()
        clauses.append(
            sql.SQL(
                "daterange(start_day, end_day, '[]') "
                "&& daterange(%(first_day)s::date, %(last_day)s::date, '[]')"
            )
        )
    if view.kinds:
        params["kinds"] = list(view.kinds)
        clauses.append(sql.SQL("kind = ANY(%(kinds)s::text[])"))
    if view.nations:
        params["nations"] = sorted(set(view.nations))
        operator = "@>" if view.match == "all" else "&&"
        clauses.append(sql.SQL(f"nations {operator} %(nations)s::text[]"))
    if view.zones:
        params["zones"] = list(view.zones)
        condition = "zones_in && %(zones)s::text[]"
        if view.possibly:
            condition = f"({condition} OR zones_possibly && %(zones)s::text[])"
        clauses.append(sql.SQL(condition))
    if window is not None:
        boxes = window_boxes(window)
        if not boxes:
            clauses.append(sql.SQL("false"))
        parts = []
        for number, box in enumerate(boxes):
            names = [f"box{number}_{side}" for side in ("w", "s", "e", "n")]
            params.update(zip(names, box, strict=True))
            parts.append(
                sql.SQL(
                    "geom && ST_MakeEnvelope("
                    + ", ".join(f"%({name})s::float8" for name in names)
                    + ", 4326)"
                )
            )
        if parts:
            clauses.append(sql.SQL("(") + sql.SQL(" OR ").join(parts) + sql.SQL(")"))
    if not clauses:
        return sql.SQL("true"), params
    return sql.SQL(" AND ").join(clauses), params


def group_filter(view: View, window: MapWindow | None = None) -> tuple[sql.Composable, dict]:
    """view_filter for the derived tables event_groups and event_points: the same choices on
    their columns (month numbers, kind, the numbers of the nation and zone sets). `window`
    (event_points only) keeps the events whose position (x, y, Pacific frame) lies in a grid
    cell that touches it."""
    clauses: list[sql.Composable] = []
    params: dict = {}
    if view.start:
        params["start_month"] = month_number(view.start)
        clauses.append(sql.SQL("last_month >= %(start_month)s"))
    if view.end:
        params["end_month"] = month_number(view.end)
        clauses.append(sql.SQL("first_month <= %(end_month)s"))
    if view.kinds:
        params["kinds"] = list(view.kinds)
        clauses.append(sql.SQL("kind = ANY(%(kinds)s::text[])"))
    if view.nations:
        params["nations"] = sorted(set(view.nations))
        operator = "@>" if view.match == "all" else "&&"
        clauses.append(
            sql.SQL(
                "nation_set IN (SELECT id FROM nation_sets WHERE nations "
                f"{operator} %(nations)s::text[])"
            )
        )
    if view.zones:
        params["zones"] = list(view.zones)
        condition = "zones_in && %(zones)s::text[]"
        if view.possibly:
            condition += " OR zones_possibly && %(zones)s::text[]"
        clauses.append(sql.SQL(f"zone_set IN (SELECT id FROM zone_sets WHERE {condition})"))
    if window is not None:
        # Every event in a grid cell that touches the window (cells of window.cell_degrees(),
        # aligned to the world grid): the same events event_cells counts for those cells.
        size = window.cell_degrees()
        params |= {
            "x_from": math.floor(window.west / size) * size,
            "x_to": (math.floor(window.east / size) + 1) * size,
            "y_from": math.floor(window.south / size) * size,
            "y_to": (math.floor(window.north / size) + 1) * size,
        }
        clauses.append(
            sql.SQL(
                "x >= %(x_from)s::float8 AND x < %(x_to)s::float8 "
                "AND y >= %(y_from)s::float8 AND y < %(y_to)s::float8"
            )
        )
    if not clauses:
        return sql.SQL("true"), params
    return sql.SQL(" AND ").join(clauses), params


class PostgisStore:
    """The events and named areas of one PostGIS database (a postgresql:// URL).

    Connections come from a small pool shared by the process's threads (Streamlit runs each
    session's script in its own thread). `standbys`: postgresql:// URLs of hot standbys of
    that database; reads go there (Replicas), writes, `export` and `retag` to the primary; a
    standby that is down at the start is set aside, not an error. Raises StoreError when the
    primary cannot be reached or has no schema (run `python -m layers.db init`).
    """

    def __init__(
        self,
        url: str,
        *,
        max_connections: int = 4,
        timeouts: StoreTimeouts | None = None,
        standbys: Iterable[str] = (),
    ):
        self.url = url
        # StoreTimeouts.from_env() by default: the dashboard's limits, said in docs/teams.md.
        self.timeouts = StoreTimeouts.from_env() if timeouts is None else timeouts
        # One plain connection first: when the database cannot be reached, its error says
        # why (refused, unknown host, password), where the pool would only time out.
        try:
            psycopg.connect(
                url, connect_timeout=pool_settings(self.timeouts)["kwargs"]["connect_timeout"]
            ).close()
        except psycopg.Error as error:
            if is_outage(error):
                outage = unavailable(error, self.timeouts)
                raise StoreUnavailable(
                    Message(
                        "cannot connect to the events database: {reason}", reason=outage.reason
                    ),
                    outage.detail,
                ) from None
            reason = next(iter(str(error).strip().splitlines()), type(error).__name__)
            raise StoreError(
                Message("cannot connect to the events database: {reason}", reason=reason)
            ) from None
        # The standbys' connections are opened the same way (timeouts, no JIT).
        connection_kwargs = pool_settings(self.timeouts)["kwargs"]
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            open=False,
            name="events-store",
            **pool_settings(self.timeouts),
        )
        try:
            self._pool.open(wait=True, timeout=self.timeouts.connect_s + self.timeouts.pool_s)
        except PoolTimeout as error:
            self._pool.close()
            raise unavailable(error, self.timeouts) from None
        # The outage the last connection attempt met, if it did: the next requests wait at
        # most OUTAGE_WAIT_S for the pool rather than the full pool wait, so every rerun and
        # new visitor during a stop learns it in a second, not ten (_getconn).
        self._down: StoreUnavailable | None = None
        self._areas_cache: tuple[int, gpd.GeoDataFrame] | None = None
        self._sets_cache: dict[tuple[int, dt.date], pd.DataFrame] = {}
        self._cells_cache: OrderedDict[tuple, tuple[int | None, pd.DataFrame]] = OrderedDict()
        self._counts_cache: OrderedDict[tuple, list[tuple[int, int, str, int]]] = OrderedDict()
        self._lock = threading.Lock()
        # Answers being read now, by key: a second caller of the same one waits for it.
        self._reading: dict[tuple, Future] = {}
        # For prefetch_cells: the map's counts read while the page asks for the rest.
        self._prefetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-prefetch")
        self._version: tuple[int, float] | None = None
        self._schema_current = False
        # Reads from the hot standbys when there are any (layers/store/replicas.py); writes
        # and everything else go to the primary through `connection`.
        self._replicas = Replicas(
            self.connection, url, list(standbys), connection_kwargs, max_connections=max_connections
        )

    def close(self) -> None:
        self._prefetcher.shutdown(wait=True, cancel_futures=True)
        self._replicas.close()
        self._pool.close()

    def session(self, mark: WriteMark):
        """A context manager: the block's calls are those of the session `mark` belongs to
        (layers/store/replicas.py): its writes are noted in `mark`, and its reads reach its
        last write, on a standby that has replayed it or on the primary."""
        return bound_session(mark)

    def standby_status(self) -> list[str]:
        """One line per hot standby for an operator (Replicas.status): in use and how far
        behind, or set aside and why. Empty without standbys."""
        return self._replicas.status()

    def _fetch(self, query, params=None) -> list[tuple]:
        """One read query's rows, from a standby when one will do (Replicas.read)."""
        return self._on_reader(lambda connection: connection.execute(query, params).fetchall())

    def _on_reader(self, work: Callable[[psycopg.Connection], T]) -> T:
        """work(connection) on a reading server (Replicas.read). A standby's failure that its
        retry could not mend is an outage for the page, as the primary's is: StoreUnavailable
        (the primary's own errors arrive translated already, from `connection`)."""
        try:
            return self._replicas.read(work)
        except (PoolTimeout, psycopg.OperationalError, psycopg.InterfaceError) as error:
            if not is_outage(error):
                raise
            raise unavailable(error, self.timeouts) from error

    def __enter__(self) -> PostgisStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection for the block. Raises StoreUnavailable (see is_outage) when
        none comes or the database fails the block's statements for an outage; the pool drops
        the broken connection and reconnects by itself (pool_settings)."""
        try:
            connection = self._getconn()
            try:
                with connection:
                    yield connection
            finally:
                self._pool.putconn(connection)
        except (PoolTimeout, psycopg.OperationalError, psycopg.InterfaceError) as error:
            if not is_outage(error):
                raise
            translated = unavailable(error, self.timeouts)
            if isinstance(error, PoolTimeout) and self._down is not None:
                # The short wait of a known outage: its cause, not this wait, is the news.
                translated = StoreUnavailable(self._down.reason, self._down.detail)
            _log.warning("events store unavailable: %s (%s)", translated, translated.detail)
            if not isinstance(
                error, (psycopg.errors.QueryCanceled, psycopg.errors.LockNotAvailable)
            ):
                self._down = translated
            raise translated from error
        self._down = None

    def _getconn(self) -> psycopg.Connection:
        """A connection from the pool within the pool wait; sooner an error when the server
        is not there. After OUTAGE_WAIT_S with none, a connection of our own says at once
        whether the server is down (refused: the error) or busy (the wait goes on); while the
        last attempt found it down, OUTAGE_WAIT_S is the whole wait."""
        wait = self.timeouts.pool_s
        if self._down is not None or wait <= OUTAGE_WAIT_S:
            return self._pool.getconn(timeout=min(wait, OUTAGE_WAIT_S))
        try:
            return self._pool.getconn(timeout=OUTAGE_WAIT_S)
        except PoolTimeout:
            connect_timeout = pool_settings(self.timeouts)["kwargs"]["connect_timeout"]
            psycopg.connect(self.url, connect_timeout=connect_timeout).close()
        return self._pool.getconn(timeout=wait - OUTAGE_WAIT_S)

    def available(self) -> bool:
        """Whether the store answers now: a read of the events table (so a lock on it counts
        as down) through the pool. Raises nothing; the page's recovery probe."""
        try:
            with self.connection() as connection, connection.transaction():
                # A probe waits a second for a lock, not the readers' lock timeout: asked
                # every few seconds, it must not hold a connection for long.
                connection.execute("SET LOCAL lock_timeout = '1s'")
                connection.execute("SELECT 1 FROM events LIMIT 0")
        except (StoreError, psycopg.Error):
            return False
        return True

    # --- schema and state -------------------------------------------------------------------

    def init(self) -> list[str]:
        """Create or update the schema; returns the migrations applied now."""
        with self.connection() as connection:
            applied = migrate(connection)
        self._written()
        return applied

    def version(self) -> int:
        """A number that changes with every write to the events or areas (store_state).

        Read at most once per VERSION_SECONDS by a process (its sessions' reruns and each
        call of a rerun share it; a write from this process is seen at once): another
        process's save shows on the first rerun that starts that long after it. With
        standbys it is read from one, and never goes back: the session's own last write
        counts (its WriteMark's version), and later reads reach where this was read
        (Replicas.saw), so nothing is kept under a version its server had not reached.
        """
        now = time.monotonic()
        own = self._replicas.mark().version
        with self._lock:
            if self._version is not None and now - self._version[1] < VERSION_SECONDS:
                return max(self._version[0], own)

        def read(connection: psycopg.Connection) -> tuple[int, str | None]:
            try:
                found = connection.execute(
                    f"SELECT version, {POSITION_SQL}::text FROM store_state"
                ).fetchone()
            except psycopg.errors.UndefinedTable:
                raise StoreError(
                    Message(
                        "the events database has no schema yet: run {command}",
                        command="python -m layers.db init",
                    )
                ) from None
            if not self._schema_current:
                # Once per process: code that reads tables a migration adds says what to do
                # rather than failing on the first view that reads one.
                missing = pending(connection)
                if missing:
                    raise StoreError(
                        Message(
                            "the events database's schema is older than this code (it lacks "
                            "{migrations}): run {command}",
                            migrations=", ".join(missing),
                            command="python -m layers.db init",
                        )
                    )
                self._schema_current = True
            return found

        version, position = self._on_reader(read)
        self._replicas.saw(lsn_number(position) or 0)
        with self._lock:
            if self._version is None or version >= self._version[0]:
                self._version = (version, now)
        return max(version, own)

    def _written(self) -> None:
        """This process has just changed the store: forget the version read, and with
        standbys note the primary's WAL position and version now in the session's WriteMark
        (or the process's), so its next reads reach this write."""
        with self._lock:
            self._version = None
        if self._replicas.standbys:
            with self.connection() as connection:
                version, position = connection.execute(
                    "SELECT version, pg_current_wal_insert_lsn()::text FROM store_state"
                ).fetchone()
            self._replicas.noted(version, lsn_number(position) or 0)

    # --- reads ------------------------------------------------------------------------------

    def areas(self) -> gpd.GeoDataFrame:
        """The named and saved drawn areas, in the order they were stored (the loader's areas
        table, AREA_TABLE_COLUMNS): `saved_by` and `saved_at` (a UTC datetime) say who saved
        a drawn area and when; None for both for an area that came from a file."""
        version = self.version()
        if self._areas_cache is not None and self._areas_cache[0] == version:
            return self._areas_cache[1]
        rows = self._fetch(
            "SELECT id, name, alt_names, kind, note, default_visible, file, saved_by, "
            "saved_at, names, ST_AsBinary(geom) FROM areas ORDER BY position, id"
        )
        frame = pd.DataFrame([row[:-4] for row in rows], columns=list(AREA_COLUMNS)).astype(
            {"default_visible": bool}
        )
        # The area's own names by language (a dict in the languages' order, as the loader
        # gives it: jsonb keeps its keys sorted its own way), or None.
        frame["names"] = pd.Series(
            [
                {tag: row[-2][tag] for tag in LANGUAGES if tag in row[-2]} or None
                if isinstance(row[-2], dict)
                else None
                for row in rows
            ],
            index=frame.index,
            dtype=object,
        )
        # Object columns: None for a file's area (not NaN / NaT), datetimes in UTC.
        frame["saved_by"] = pd.Series([row[-4] for row in rows], index=frame.index, dtype=object)
        frame["saved_at"] = pd.Series(
            [None if row[-3] is None else row[-3].astimezone(dt.UTC) for row in rows],
            index=frame.index,
            dtype=object,
        )
        frame = gpd.GeoDataFrame(
            frame[list(AREA_TABLE_COLUMNS)],
            geometry=shapely.from_wkb([row[-1] for row in rows]),
            crs="EPSG:4326",
        )
        self._areas_cache = (version, frame)
        return frame

    def summary(self) -> StoreSummary:
        """Totals, months, the timeline's counts, nations and zones present, for the whole
        store: read from event_groups (thousands of rows however many events), so it is quick,
        but still worth keeping per `version`."""

        def read(connection: psycopg.Connection) -> tuple[int, list, list[str], list[str]]:
            version = connection.execute("SELECT version FROM store_state").fetchone()[0]
            groups = connection.execute(
                "SELECT first_month, last_month, kind, sum(events)::bigint FROM event_groups "
                "GROUP BY 1, 2, 3"
            ).fetchall()
            nations = [
                code
                for (code,) in connection.execute(
                    "SELECT DISTINCT unnest(nations) FROM nation_sets s WHERE EXISTS "
                    "(SELECT 1 FROM event_groups g WHERE g.nation_set = s.id) ORDER BY 1"
                )
            ]
            zones = [
                area_id
                for (area_id,) in connection.execute(
                    "SELECT a.id FROM areas a WHERE EXISTS (SELECT 1 FROM zone_sets s "
                    "JOIN event_groups g ON g.zone_set = s.id WHERE a.id = ANY(s.zones_in) "
                    "OR a.id = ANY(s.zones_possibly)) ORDER BY a.position, a.id"
                )
            ]
            return version, groups, nations, zones

        version, groups, nations, zones = self._on_reader(read)
        total = sum(row[3] for row in groups)
        if not groups:
            return StoreSummary(version, 0, [], _monthly_frame([]), nations, zones)
        first = min(row[0] for row in groups)
        last = max(row[1] for row in groups)
        months = month_span(month_text(first), month_text(last))
        return StoreSummary(version, total, months, _kind_counts(groups, months), nations, zones)

    def monthly_counts(self, view: View, months: list[str]) -> pd.DataFrame:
        """The view's events active in each of `months`, by kind: the columns of
        layers.filters.monthly_counts (month, kind, events), for the timeline. From the view's
        groups (see shown)."""
        if not months:
            return _monthly_frame([])
        return _kind_counts(self._view_groups(view), months)

    def shown(self, view: View, months: list[str]) -> Shown:
        """How many events the view's filters select, and how many of them are active in each
        of `months` (consecutive "YYYY-MM"; months outside the data count 0).

        Both this and monthly_counts come from the view's events counted by span of months and
        kind on event_groups, asked once per store version and filters: the timeline's counts
        after the sidebar's cost nothing more, nor does a filter changed back, another session
        on the same filters or the analyses' own count.
        """
        groups = self._view_groups(view)
        count = sum(n for *__, n in groups)
        first = month_number(months[0]) if months else 0
        last = month_number(months[-1]) if months else -1
        spread = _spread_over_months([(f, t, "", n) for f, t, __, n in groups], first, last)
        per_month = spread.get("", np.zeros(max(last - first + 1, 0), dtype="int64"))
        return Shown(count, {month: int(per_month[i]) for i, month in enumerate(months)})

    def _view_groups(self, view: View) -> list[tuple[int, int, str, int]]:
        """(first month, last month, kind, events) of the events the view's filters select,
        kept per store version (COUNTS_CACHE_SIZE views; months times kinds rows each)."""
        key = (self.version(), _filter_key(view))

        def read() -> list[tuple[int, int, str, int]]:
            where, params = group_filter(view)
            query = (
                sql.SQL(
                    "SELECT first_month, last_month, kind, sum(events)::bigint "
                    "FROM event_groups WHERE "
                )
                + where
                + sql.SQL(" GROUP BY 1, 2, 3")
            )
            return [tuple(row) for row in self._fetch(query, params)]

        return self._kept(self._counts_cache, COUNTS_CACHE_SIZE, key, read)

    def table(self, view: View, limit: int) -> gpd.GeoDataFrame:
        """The first `limit` events the view shows, in date order (start, then id), with every
        column of the loader's events table and "zones"."""
        where, params = view_filter(view)
        query = (
            sql.SQL("SELECT ")
            + _READ_COLUMNS
            + sql.SQL(" FROM events WHERE ")
            + where
            + sql.SQL(" ORDER BY start_day, id LIMIT %(limit)s")
        )
        return self._read(query, params | {"limit": limit})

    def events(self, ids: Iterable[str]) -> gpd.GeoDataFrame:
        """The stored events with these ids (those that exist), in date order."""
        query = (
            sql.SQL("SELECT ")
            + _READ_COLUMNS
            + sql.SQL(" FROM events WHERE id = ANY(%(ids)s::text[]) ORDER BY start_day, id")
        )
        return self._read(query, {"ids": list(ids)})

    def stored_files(self, ids: Iterable[str]) -> dict[str, str]:
        """For those of `ids` already stored, the file each is filed under."""
        return dict(
            self._fetch("SELECT id, file FROM events WHERE id = ANY(%s::text[])", (list(ids),))
        )

    def shown_events(self, view: View, ids: Iterable[str]) -> gpd.GeoDataFrame:
        """Those of the events with these ids that the view's filters select."""
        where, params = view_filter(view)
        query = (
            sql.SQL("SELECT ")
            + _READ_COLUMNS
            + sql.SQL(" FROM events WHERE id = ANY(%(ids)s::text[]) AND ")
            + where
            + sql.SQL(" ORDER BY start_day, id")
        )
        return self._read(query, params | {"ids": list(ids)})

    def in_window(self, view: View, window: MapWindow, limit: int) -> gpd.GeoDataFrame | None:
        """The view's events whose box touches the window, or None when more than `limit` do
        (then the map counts them per cell: `cells`)."""
        where, params = view_filter(view, window)
        # No ORDER BY: the scan stops at limit + 1 rows however many events are in the window.
        query = (
            sql.SQL("SELECT ")
            + _READ_COLUMNS
            + sql.SQL(" FROM events WHERE ")
            + where
            + sql.SQL(" LIMIT %(limit)s")
        )
        found = self._read(query, params | {"limit": limit + 1})
        if len(found) > limit:
            return None
        return found.sort_values(["start", "id"], kind="stable", ignore_index=True)

    def count_in_window(
        self, view: View, window: MapWindow, limit: int, months: list[str] | None = None
    ) -> int:
        """How many of the view's events have their position (x, y) in a grid cell touching
        the window, counted up to limit + 1: enough to know whether the map draws them one by
        one. Where the counts per cell are stored (see cells) and `months` are given, this
        reads them with the cells for those months in one pass and keeps both, so the `cells`
        call that follows a count of many costs nothing; else event_points is counted.

        cell_months counts an event in each month it was active, not once: more than `limit`
        in one month is more than `limit` events; otherwise they are counted on event_cells
        (a window of at most `limit` events a month has few rows there)."""
        source = _counted_source(view, window)
        if source == "cell_months" and months:
            per_month = self.cells(view, window, months).groupby("group")["n"].sum()
            if len(per_month) and per_month.max() > limit:
                return limit + 1
            source = "event_cells"
        elif source is not None and months:
            return min(self._counted_cells(view, window, months)[0], limit + 1)
        if source is not None:
            where, params = _counted_rows(view, window, _spans_of(source))
            query = sql.SQL("SELECT coalesce(sum(events), 0) FROM (") + where + sql.SQL(") AS c")
        else:
            where, params = group_filter(view, window)
            query = (
                sql.SQL("SELECT count(*) FROM (SELECT 1 FROM event_points WHERE ")
                + where
                + sql.SQL(" LIMIT %(limit)s) AS found")
            )
        found = self._fetch(query, params | {"limit": limit + 1})[0][0]
        return min(int(found), limit + 1)

    def cells(self, view: View, window: MapWindow, months: list[str]) -> pd.DataFrame:
        """The view's events in the window counted per grid cell and month, by kind.

        Columns as layers.aggregate.clusters with groups: group (the month), cx, cy (the cell,
        window.cell_degrees() on a side, aligned to the world grid), x, y (the mean position of
        its events, Pacific frame), n, and a count per kind. An event counts in each of
        `months` it was active, at its position (x, y), in every cell touching the window.

        Counted when stored where a table holds the view's cells (_counted_source: event_cells
        with no nations or zones chosen at zoom 2 to 8, nation_cells for nations alone at zoom
        2 to 4); otherwise from event_points. Answers are kept per store version (a pan back,
        a second session on the same view).
        """
        columns = ["group", "cx", "cy", "x", "y", "n", *KINDS]
        if not months:
            return pd.DataFrame(columns=columns)
        source = _counted_source(view, window)
        if source in ("event_cells", "nation_cells"):
            return self._counted_cells(view, window, months)[1]

        def read() -> tuple[None, pd.DataFrame]:
            if source == "cell_months":
                return None, self._cell_months(window, months)
            return None, self._point_cells(view, window, months)

        key = self._cells_key(view, window, months)
        return self._kept(self._cells_cache, CELLS_CACHE_SIZE, key, read)[1]

    def _point_cells(self, view: View, window: MapWindow, months: list[str]) -> pd.DataFrame:
        """cells counted from event_points: for filters no stored table holds."""
        columns = ["group", "cx", "cy", "x", "y", "n", *KINDS]
        size = window.cell_degrees()
        where, params = group_filter(view, window)
        params |= {"m0": month_number(months[0]), "m1": month_number(months[-1]), "size": size}
        # Grouped by each event's span of months first (few distinct spans), then spread over
        # the months: every event counted in each month it was active.
        query = (
            sql.SQL(
                "WITH grouped AS (SELECT greatest(first_month, %(m0)s) AS f, "
                "least(last_month, %(m1)s) AS l, kind, floor(x / %(size)s)::integer AS cx, "
                "floor(y / %(size)s)::integer AS cy, count(*) AS n, sum(x) AS sx, sum(y) AS sy "
                "FROM event_points WHERE "
            )
            + where
            + sql.SQL(
                " GROUP BY 1, 2, 3, 4, 5) SELECT m, cx, cy, sum(n)::bigint, sum(sx), sum(sy), "
            )
            # One row per month and cell, a column per kind (in KINDS order).
            + sql.SQL(", ").join(
                sql.SQL("coalesce(sum(n) FILTER (WHERE kind = {}), 0)::bigint").format(kind)
                for kind in KINDS
            )
            + sql.SQL(" FROM grouped, generate_series(f, l) AS m GROUP BY m, cx, cy")
        )
        rows = self._fetch(query, params)
        return _cells_frame(rows, columns)

    def _cell_months(self, window: MapWindow, months: list[str]) -> pd.DataFrame:
        """Every event's counts per cell touching the window and month of `months`, as stored
        in cell_months: read, not added up."""
        size = window.cell_degrees()
        params = {
            "level": window.zoom,
            "cx0": math.floor(window.west / size),
            "cx1": math.floor(window.east / size),
            "cy0": math.floor(window.south / size),
            "cy1": math.floor(window.north / size),
            "m0": month_number(months[0]),
            "m1": month_number(months[-1]),
        }
        query = (
            sql.SQL("SELECT month, cx, cy, events, sx, sy, ")
            + sql.SQL(", ").join(sql.Identifier(kind) for kind in KINDS)
            + sql.SQL(
                " FROM cell_months WHERE level = %(level)s AND cx BETWEEN %(cx0)s AND %(cx1)s "
                "AND cy BETWEEN %(cy0)s AND %(cy1)s AND month BETWEEN %(m0)s AND %(m1)s"
            )
        )
        rows = self._fetch(query, params)
        return _cells_frame(rows, ["group", "cx", "cy", "x", "y", "n", *KINDS])

    def _counted_cells(
        self, view: View, window: MapWindow, months: list[str]
    ) -> tuple[int, pd.DataFrame]:
        """(events in the cells touching the window active in `months`, each counted once;
        their counts per cell and month) from the table _counted_source names, in one pass;
        kept per store version."""
        key = self._cells_key(view, window, months)
        return self._kept(
            self._cells_cache,
            CELLS_CACHE_SIZE,
            key,
            lambda: self._read_counted_cells(view, window, months),
        )

    def _read_counted_cells(
        self, view: View, window: MapWindow, months: list[str]
    ) -> tuple[int, pd.DataFrame]:
        found, params = _counted_rows(view, window, _counted_source(view, window))
        params |= {"m0": month_number(months[0]), "m1": month_number(months[-1])}
        kinds = [sql.Identifier(kind) for kind in KINDS]
        # Each stored row spread over its months; one row per month and cell, a column per
        # kind, and last the events seen first in that month (each event counted once: in the
        # first of `months` it was active), which add up to the window's count.
        query = (
            sql.SQL("SELECT m, cx, cy, sum(events)::bigint, sum(sx), sum(sy), ")
            + sql.SQL(", ").join(sql.SQL("sum({})::bigint").format(kind) for kind in kinds)
            + sql.SQL(
                ", sum(events) FILTER (WHERE m = greatest(first_month, %(m0)s))::bigint FROM ("
            )
            + found
            + sql.SQL(
                ") AS found, generate_series(greatest(first_month, %(m0)s), "
                "least(last_month, %(m1)s)) AS m GROUP BY m, cx, cy"
            )
        )
        rows = self._fetch(query, params)
        count = sum(int(row[-1] or 0) for row in rows)
        columns = ["group", "cx", "cy", "x", "y", "n", *KINDS]
        return count, _cells_frame([row[:-1] for row in rows], columns)

    def _cells_key(self, view: View, window: MapWindow, months: list[str]) -> tuple:
        return (self.version(), _filter_key(view), window, months[0], months[-1])

    def _kept(self, cache: OrderedDict, size: int, key: tuple, read: Callable[[], T]) -> T:
        """read()'s answer for `key`, kept in `cache` (the newest `size` answers): asked of the
        database once however many threads want it at the same moment (sessions on the same
        view; prefetch_cells and the map), the others wait for that one answer. An error
        reaches every waiting caller and nothing is kept."""
        with self._lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
            reading = self._reading.get(key)
            if reading is None:
                reading = self._reading[key] = Future()
                ours = True
            else:
                ours = False
        if not ours:
            return reading.result()
        try:
            value = read()
        except BaseException as error:
            with self._lock:
                del self._reading[key]
            reading.set_exception(error)
            raise
        with self._lock:
            cache[key] = value
            while len(cache) > size:
                cache.popitem(last=False)
            del self._reading[key]
        reading.set_result(value)
        return value

    def prefetch_cells(self, view: View, window: MapWindow, months: list[str]) -> Future:
        """Start reading cells(view, window, months) in the background and return at once: the
        page asks for the map's counts first, then for the sidebar's count and the table,
        and the map's own call (map_parts) takes this answer, or waits for it, instead of
        asking again. Only where `cells` reads stored counts (_counted_source: tens of
        milliseconds): counting event_points is the costly case, and the map often draws those
        events one by one instead. Errors are the later call's to raise."""
        if months and _counted_source(view, window) is not None:
            try:
                # In the caller's context: the session bound to it (Replicas) reads there too.
                context = contextvars.copy_context()
                return self._prefetcher.submit(context.run, self.cells, view, window, months)
            except RuntimeError:  # closed: the map's own call will say why
                pass
        done: Future = Future()
        done.set_result(None)
        return done

    def facts(self, view: View, limit: int) -> pd.DataFrame | None:
        """id, kind, start, end, nations, zones and sides of every event the view shows, for the
        analyses (nations matrix, activity by area, comparison), or None when more than
        `limit` events are shown (the caller says to narrow the filters)."""
        where, params = view_filter(view)
        query = (
            sql.SQL(
                "SELECT id, kind, start_day, end_day, nations, zones_in, zones_possibly, sides "
                "FROM events WHERE "
            )
            + where
            + sql.SQL(" LIMIT %(limit)s")
        )
        rows = self._fetch(query, params | {"limit": limit + 1})
        if len(rows) > limit:
            return None
        rows.sort(key=lambda row: (row[2], row[0]))
        order = self._area_order()
        return pd.DataFrame(
            {
                "id": pd.Series([row[0] for row in rows], dtype="str"),
                "kind": pd.Series([row[1] for row in rows], dtype="str"),
                "start": pd.to_datetime([row[2] for row in rows]).astype("datetime64[s]"),
                "end": pd.to_datetime([row[3] for row in rows]).astype("datetime64[s]"),
                "nations": [row[4] for row in rows],
                "zones": [_zone_tuple(row[5], row[6], order) for row in rows],
                "sides": pd.Series([_sides_tuple(row[7]) for row in rows], dtype=object),
            }
        )

    def pairings_before(self, day: dt.date) -> pd.DataFrame:
        """Every distinct (nations, kind, sides) of the events starting before `day`, as
        columns "nations", "kind" and "sides" (None for none): who had stood with whom before
        a month range (new partners, layers.analysis.coalitions). Kept per store version and
        day."""
        version = self.version()
        key = (version, day)
        if key not in self._sets_cache:
            rows = self._fetch(
                "SELECT DISTINCT nations, kind, sides FROM events WHERE start_day < %s", (day,)
            )
            self._sets_cache = {
                cached: sets for cached, sets in self._sets_cache.items() if cached[0] == version
            }
            self._sets_cache[key] = pd.DataFrame(
                {
                    "nations": [list(row[0]) for row in rows],
                    "kind": pd.Series([row[1] for row in rows], dtype="str"),
                    "sides": pd.Series([_sides_tuple(row[2]) for row in rows], dtype=object),
                }
            )
        return self._sets_cache[key]

    def _area_order(self) -> dict[str, int]:
        areas = self.areas()
        return {area_id: position for position, area_id in enumerate(areas["id"])}

    def _read(self, query: sql.Composable, params: dict) -> gpd.GeoDataFrame:
        rows = self._fetch(query, params)
        return events_from_rows(rows, self._area_order())

    # --- writes -----------------------------------------------------------------------------

    def write_areas(self, areas: gpd.GeoDataFrame) -> tuple[int, int]:
        """Add the areas, replacing stored ones of the same id; returns (added or changed,
        unchanged). Events stored before keep the zone tags they had: call `retag` after.

        Who saved an area and when (`saved_by`, `saved_at`) are written as the frame gives
        them: None for an area of a file (geodata/areas/, an admin's upload, `layers.db
        import`), so a file's area is a named area, not anyone's drawing, and an admin's file
        that replaces a drawn area makes it a named one; an exported drawn area (whose file
        carries both) keeps them through `import`. The importer's own name is not recorded
        here: the files' areas are the team's reference set, not a save from the page."""
        changed = unchanged = 0
        with self.connection() as connection, connection.transaction():
            for position, row in enumerate(areas.itertuples(index=False)):
                wkb = shapely.to_wkb(row.geometry, hex=True, include_srid=False)
                saved_by, saved_at = _saved_pair(row)
                values = (
                    row.id,
                    row.name,
                    list(row.alt_names),
                    row.kind,
                    row.note,
                    bool(row.default_visible),
                    row.file,
                    position,
                    saved_by,
                    saved_at,
                    _names_json(row),
                    wkb,
                )
                cursor = connection.execute(
                    "INSERT INTO areas (id, name, alt_names, kind, note, default_visible, file, "
                    "position, saved_by, saved_at, names, geom) VALUES (%s, %s, %s, %s, %s, %s, "
                    "%s, %s, %s, %s, %s::jsonb, "
                    "ST_SetSRID(ST_GeomFromWKB(decode(%s, 'hex')), 4326)) "
                    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                    "alt_names = excluded.alt_names, kind = excluded.kind, note = excluded.note, "
                    "default_visible = excluded.default_visible, file = excluded.file, "
                    "position = excluded.position, saved_by = excluded.saved_by, "
                    "saved_at = excluded.saved_at, names = excluded.names, geom = excluded.geom "
                    "WHERE (areas.name, areas.alt_names, areas.kind, areas.note, "
                    "areas.default_visible, areas.file, areas.position, areas.saved_by, "
                    "areas.saved_at, areas.names, ST_AsBinary(areas.geom)) IS DISTINCT FROM "
                    "(excluded.name, excluded.alt_names, excluded.kind, excluded.note, "
                    "excluded.default_visible, excluded.file, excluded.position, "
                    "excluded.saved_by, excluded.saved_at, excluded.names, "
                    "ST_AsBinary(excluded.geom))",
                    values,
                )
                if cursor.rowcount:
                    changed += 1
                else:
                    unchanged += 1
        self._written()
        return changed, unchanged

    def save_drawn_area(self, areas: gpd.GeoDataFrame, actor: str) -> SavedAreas:
        """Save drawn areas for the team: each row of `areas` (the loader's areas table,
        AREA_COLUMNS and a geometry, EPSG:4326; one or more rows; any saved_by/saved_at given
        are ignored) is added, recording `actor` (the signed-in editor's name) as `saved_by`
        and the server's clock (now(), UTC) as `saved_at`, after the stored areas in order;
        then the stored events in or possibly in them are tagged with them (the zone rule of
        layers/analysis/zones.py), and only those: an event whose geometry, widened by the
        store's largest location uncertainty, cannot reach a drawn area is not read or
        written (bench/drawn_area.py measures a save beside a full `retag`). One
        transaction: all the areas and their tags, or nothing.

        Raises AreaExists (nothing saved) when any id is stored already, a colleague's
        drawn area or a named one: a drawing never overwrites an area; two editors saving
        the same id at once, the second is refused. InvalidArea when a row cannot be stored
        (a bad id, kind, empty geometry, an id twice) or `actor` is blank; StoreUnavailable
        when the database is down or slow, as every call here."""
        if not isinstance(actor, str) or not actor.strip():
            raise InvalidArea(Message("a drawn area is saved by someone: no actor was given"))
        rows = _drawn_rows(areas)
        ids = [row[0] for row in rows]
        with self.connection() as connection, connection.transaction():
            first = connection.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM areas"
            ).fetchone()[0]
            saved_at = None
            for offset, row in enumerate(rows):
                inserted = connection.execute(
                    "INSERT INTO areas (id, name, alt_names, kind, note, default_visible, file, "
                    "position, saved_by, saved_at, geom) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                    "%s, %s, now(), ST_SetSRID(ST_GeomFromWKB(decode(%s, 'hex')), 4326)) "
                    "ON CONFLICT (id) DO NOTHING RETURNING saved_at",
                    (*row[:7], first + offset, actor.strip(), row[7]),
                ).fetchone()
                if inserted is None:
                    # Stored already (or saved by a colleague a moment ago: the insert waited
                    # for their transaction). The transaction is rolled back: nothing saved.
                    stored = connection.execute(
                        "SELECT saved_by, saved_at, file FROM areas WHERE id = %s", (row[0],)
                    ).fetchone()
                    raise AreaExists(row[0], *(stored or (None, None, "the store")))
                saved_at = inserted[0]
            tagged = self._tag_near(connection, ids)
        self._written()
        return SavedAreas(ids, actor.strip(), saved_at.astimezone(dt.UTC), tagged)

    def _tag_near(self, connection: psycopg.Connection, ids: list[str]) -> int:
        """Tag, in `connection`'s transaction, the stored events with the just-inserted areas
        `ids`; returns how many events they tag. The candidates are those zones.zone_tags itself
        would look at: the events whose box meets an area's box widened by the largest location
        uncertainty stored (capped at zones.MAX_PRECISION_KM), found on the GiST index. Widened
        by each event's own uncertainty would be fewer, but zone_tags measures in an azimuthal
        projection centred on the area, where a long edge between two corners on one parallel
        runs poleward of that parallel: an event just beyond the box in degrees can be within
        its uncertainty of the area there, and a full `retag` (widening by its batch's largest)
        tags it. No stored event is placed by one of these areas (`area`): the validator keeps
        an `area` only when it names a stored area, and these were not stored. Their tags for
        these areas are computed by zone_tags and added after the tags they hold: the areas come
        last in the stored order (their positions), so this is what a full `retag` stores
        (bench/drawn_area.py checks it on 100,000 events), for a fraction of the events; the
        events they do not tag are not written. The rows are locked (in id order: no deadlock
        with another writer), so a correction meanwhile is not given tags of its old place."""
        stored = connection.execute(
            "SELECT id, ST_AsBinary(geom) FROM areas WHERE id = ANY (%s) ORDER BY position, id",
            (ids,),
        ).fetchall()
        drawn = gpd.GeoDataFrame(
            {"id": [row[0] for row in stored]},
            geometry=shapely.from_wkb([row[1] for row in stored]),
            crs="EPSG:4326",
        )
        radius_km = connection.execute(
            "SELECT coalesce(max(least(greatest(location_precision_km, 0), %s)), 0) FROM events",
            (MAX_PRECISION_KM,),
        ).fetchone()[0]
        boxes, margins = [], []
        for area in drawn.geometry:
            west, south, east, north = area.bounds
            # zones._margin_degrees: a radius in degrees of longitude at the highest latitude.
            latitude = min(max(abs(south), abs(north)), 85.0)
            boxes.append(shapely.to_wkb(shapely.box(west, south, east, north), hex=True))
            margins.append(radius_km / (111.32 * math.cos(math.radians(latitude))) + 1e-9)
        rows = connection.execute(
            "WITH drawn AS (SELECT ST_SetSRID(ST_GeomFromWKB(decode(b, 'hex')), 4326) AS box, "
            "m AS margin FROM unnest(%s::text[], %s::float8[]) AS d(b, m)) "
            "SELECT e.id, e.location_precision_km, ST_AsBinary(e.geom), e.zones_in, "
            "e.zones_possibly, e.area FROM events e WHERE EXISTS (SELECT 1 FROM drawn d "
            "WHERE e.geom && ST_Expand(d.box, d.margin)) ORDER BY e.id FOR UPDATE",
            (boxes, margins),
        ).fetchall()
        if not rows:
            return 0
        part = _tagging_frame(rows)
        updates = []
        for row, tags in zip(rows, zone_tags(part, drawn), strict=True):
            if tags:
                added_in, added_possibly = _tag_lists(tags)
                updates.append((row[0], [*row[3], *added_in], [*row[4], *added_possibly]))
        if updates:
            connection.execute(
                "CREATE TEMP TABLE retagged (id text, zones_in text[], zones_possibly text[]) "
                "ON COMMIT DROP"
            )
            with connection.cursor().copy(
                "COPY retagged (id, zones_in, zones_possibly) FROM STDIN"
            ) as copy:
                for update in updates:
                    copy.write_row(update)
            connection.execute(
                "UPDATE events SET zones_in = r.zones_in, zones_possibly = r.zones_possibly "
                "FROM retagged r WHERE events.id = r.id"
            )
        return len(updates)

    def write_events(
        self,
        events: gpd.GeoDataFrame,
        *,
        replace: bool = False,
        file: str | None = None,
        actor: str = "",
        reason: str = "",
        added_as: str = SAVED,
    ) -> WriteResult:
        """Store validated events (the loader's events table), tagged with the stored areas'
        zones; in one transaction, with a revision for each event written (event_revisions).

        An id already stored with the same content (title, dates, nations, geometry, …: the
        digest) is left as it is ("unchanged", no revision). With other content it is a clash,
        reported as a Problem naming both files and not written, unless `replace`: then the
        stored event is overwritten and a "replaced" revision keeps what it held (`before`).
        Each event added gets an `added_as` revision ("saved" from the dashboard, "imported"
        from `layers.db import`); an id retracted earlier continues its numbering. `actor` is
        who writes (the signed-in editor, or the command line's user@host), `reason` why (may
        be empty). `file` files every event under that name instead of its own "file" column
        (a saved upload). Two writers saving the same id at once: one is added, the other
        reported; neither is lost silently.
        """
        if added_as not in (SAVED, IMPORTED):
            raise ValueError(f"an event is added as {SAVED!r} or {IMPORTED!r}, not {added_as!r}")
        result = WriteResult()
        if events.empty:
            return result
        # Problems name where the analyst's event came from, not where it is filed.
        labels = dict(zip(events["id"], events["file"], strict=True))
        twice = events["id"].duplicated()
        for event_id in events.loc[twice, "id"]:
            result.problems.append(
                Problem(
                    labels[event_id],
                    Message(
                        "{id} is twice in what was given; the first is written",
                        id=quoted(event_id),
                    ),
                    f"feature {json.dumps(event_id)}",
                    "id",
                )
            )
        events = events[~twice.to_numpy()].copy()
        if file is not None:
            events["file"] = file
        events["zones"] = zone_tags(events, self.areas())
        order = self._area_order()
        with self.connection() as connection, connection.transaction():
            connection.execute(
                "CREATE TEMP TABLE incoming ON COMMIT DROP AS SELECT "
                + ", ".join(WRITTEN_COLUMNS)
                + " FROM events WITH NO DATA"
            )
            # WKB without an SRID comes in; the INSERT below makes it EPSG:4326.
            connection.execute("ALTER TABLE incoming ALTER COLUMN geom TYPE geometry")
            _copy_rows(connection, "incoming", event_rows(events))
            columns = ", ".join(WRITTEN_COLUMNS)
            selected = ", ".join(
                "ST_SetSRID(geom, 4326)" if name == "geom" else name for name in WRITTEN_COLUMNS
            )
            revisions: list[tuple] = []
            if replace:
                # The stored events to overwrite, locked: none can change between reading what
                # it holds (the revision's `before`) and overwriting it.
                old = connection.execute(
                    sql.SQL("SELECT ")
                    + _READ_COLUMNS
                    + sql.SQL(
                        ", revision FROM events WHERE id IN (SELECT i.id FROM incoming i "
                        "JOIN events e USING (id) WHERE e.digest <> i.digest) "
                        "ORDER BY id FOR UPDATE"
                    )
                ).fetchall()
                before = _features(old, order)
                if old:
                    updates = ", ".join(
                        f"{name} = ST_SetSRID(i.geom, 4326)"
                        if name == "geom"
                        else f"{name} = i.{name}"
                        for name in WRITTEN_COLUMNS
                    )
                    replaced = connection.execute(
                        f"UPDATE events SET {updates}, revision = events.revision + 1, "
                        "saved_by = %s, saved_at = now() FROM incoming i "
                        "WHERE events.id = i.id AND events.id = ANY(%s::text[]) "
                        "RETURNING events.id, events.revision",
                        (actor, sorted(before)),
                    ).fetchall()
                    result.replaced = sorted(event_id for event_id, __ in replaced)
                    revisions += [
                        (event_id, number, REPLACED, actor, reason, _json(before[event_id]))
                        for event_id, number in replaced
                    ]
            # An id retracted earlier is added as its next revision.
            added = connection.execute(
                f"INSERT INTO events ({columns}, revision, saved_by) SELECT {selected}, "
                "coalesce((SELECT max(r.number) FROM event_revisions r "
                "WHERE r.event_id = incoming.id), 0) + 1, %s FROM incoming ORDER BY id "
                "ON CONFLICT (id) DO NOTHING RETURNING id, revision",
                (actor,),
            ).fetchall()
            result.added = [event_id for event_id, __ in added]
            revisions += [
                (event_id, number, added_as, actor, reason, None) for event_id, number in added
            ]
            with connection.cursor().copy(
                "COPY event_revisions (event_id, number, action, actor, reason, before) FROM STDIN"
            ) as copy:
                for row in revisions:
                    copy.write_row(row)
            done = [*result.added, *result.replaced]
            others = connection.execute(
                "SELECT i.id, e.file, e.digest = i.digest FROM incoming i JOIN events e "
                "USING (id) WHERE NOT (i.id = ANY(%s::text[])) ORDER BY i.id",
                (sorted(done),),
            ).fetchall()
        self._written()
        for event_id, stored_file, same in others:
            if same:
                result.unchanged.append(event_id)
                continue
            result.problems.append(
                Problem(
                    labels[event_id],
                    Message(
                        "{id} is already in the shared store ({file}) with other content; not "
                        "saved (give it another id, or replace it on purpose)",
                        id=quoted(event_id),
                        file=stored_file,
                    ),
                    f"feature {json.dumps(event_id)}",
                    "id",
                )
            )
        return result

    def import_geodata(
        self,
        geodata: GeoData,
        *,
        replace: bool = False,
        actor: str = "",
        reason: str = "",
    ) -> WriteResult:
        """Store a loaded data directory (layers.read.load.load_geodata): its areas first (so
        events are tagged with them), then its events, each added one an "imported" revision
        by `actor` (each replaced one a "replaced" revision). When areas were added or
        changed, the events stored before are tagged again."""
        with self.connection() as connection:
            had_events = connection.execute("SELECT EXISTS (SELECT 1 FROM events)").fetchone()[0]
        changed, __ = self.write_areas(geodata.areas)
        result = WriteResult()
        bulk = not had_events and len(geodata.events) >= BULK_EVENTS
        with self._indexes_built_after() if bulk else contextlib.nullcontext():
            for start in range(0, len(geodata.events), _BATCH):
                part = self.write_events(
                    geodata.events.iloc[start : start + _BATCH],
                    replace=replace,
                    actor=actor,
                    reason=reason,
                    added_as=IMPORTED,
                )
                result.added += part.added
                result.replaced += part.replaced
                result.unchanged += part.unchanged
                result.problems += part.problems
        if changed and had_events:
            self.retag()
        return result

    # --- history ----------------------------------------------------------------------------

    def correct_event(
        self, event_id: str, feature: dict, expected_revision: int, actor: str, reason: str
    ) -> Revision:
        """Replace a stored event's content by `feature` (a GeoJSON Feature as the data format
        has it, its properties.id the same id) and record a "corrected" revision with the
        event before and after; returns that revision. The event keeps its file; its zone
        tags are computed again, and the map's counts and derived tables follow (triggers).

        The feature goes through the validator files go through (layers.read.load.parse_event,
        with the stored areas' ids): an error, or a field it would ignore (a warning other
        than a position far outside the region), raises InvalidEvent naming the field, as
        does a feature with another id or the same content as stored. When the stored
        revision is not `expected_revision` (another editor changed or retracted the event
        since), nothing is written and StaleRevision says what they did. Two editors
        correcting at once: the row is locked, the first wins and the second gets
        StaleRevision. UnknownEvent when the id was never stored.
        """
        label = _event_label(event_id, feature)
        # Read before the transaction: reading the areas may take a connection of its own.
        areas = self.areas()
        order = self._area_order()
        try:
            row, warnings = parse_event(feature, set(areas["id"]))
        except FeatureError as error:
            told = "; ".join(f"{each.field}: {each}" for each in getattr(error, "errors", (error,)))
            raise InvalidEvent(f"{label}: {told}") from None
        except Exception:  # the door never breaks: anything unforeseen is this feature's problem
            raise InvalidEvent(f"{label}: could not be read as an event") from None
        ignored = [(name, message) for name, message in warnings if name != "geometry"]
        if ignored:
            told = "; ".join(f"{name}: {message}" for name, message in ignored)
            raise InvalidEvent(f"{label}: {told} (a correction is stored only as given)")
        if row["id"] != event_id:
            raise InvalidEvent(
                f"{label}: id: {json.dumps(row['id'], ensure_ascii=False)} is not the event "
                f"corrected ({json.dumps(event_id, ensure_ascii=False)}); an id is not corrected"
            )
        row["file"] = ""  # the stored event's file, set below
        frame = events_frame([row])
        frame["zones"] = zone_tags(frame, areas)
        values = list(next(event_rows(frame)))
        after = _features_of(frame)[event_id]
        with self.connection() as connection, connection.transaction():
            stored = self._locked(connection, event_id, expected_revision, order)
            values[WRITTEN_COLUMNS.index("file")] = stored[14]
            if values[WRITTEN_COLUMNS.index("digest")] == stored[18]:
                raise InvalidEvent(f"{label}: the correction changes nothing")
            before = _features([stored], order)[event_id]
            assignments = ", ".join(
                f"{name} = ST_SetSRID(ST_GeomFromWKB(decode(%s, 'hex')), 4326)"
                if name == "geom"
                else f"{name} = %s"
                for name in WRITTEN_COLUMNS
            )
            number = connection.execute(
                f"UPDATE events SET {assignments}, revision = revision + 1, saved_by = %s, "
                "saved_at = now() WHERE id = %s AND revision = %s RETURNING revision",
                (*values, actor, event_id, expected_revision),
            ).fetchone()[0]
            at = self._record(connection, event_id, number, CORRECTED, actor, reason, before, after)
        self._written()
        return Revision(event_id, number, CORRECTED, actor, at, reason, before, after)

    def retract_event(
        self, event_id: str, expected_revision: int, actor: str, reason: str
    ) -> Revision:
        """Take an event out of the store (the map, counts, tables and derived tables lose it
        through the triggers) and record a "retracted" revision holding it (`before`), so its
        history stays. `reason` is required (InvalidEvent when blank), as ACLED records why an
        event was deleted. StaleRevision when the stored revision is not `expected_revision`
        (nothing written); UnknownEvent when the id was never stored. An id retracted can be
        saved again later: its history continues."""
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidEvent(
                f"feature {json.dumps(event_id, ensure_ascii=False)}: reason: a retraction "
                "says why the event is taken out"
            )
        order = self._area_order()
        with self.connection() as connection, connection.transaction():
            stored = self._locked(connection, event_id, expected_revision, order)
            before = _features([stored], order)[event_id]
            connection.execute(
                "DELETE FROM events WHERE id = %s AND revision = %s", (event_id, expected_revision)
            )
            number = expected_revision + 1
            at = self._record(connection, event_id, number, RETRACTED, actor, reason, before, None)
        self._written()
        return Revision(event_id, number, RETRACTED, actor, at, reason, before, None)

    def history(self, event_id: str) -> list[Revision]:
        """The event's revisions, oldest first, each with the event before and after (see
        layers/store/revisions.py); a retracted event's too. [] for an id never stored."""
        # One statement, one snapshot: a correction committed meanwhile cannot pair an older
        # revision with the newer content.
        with self.connection() as connection:
            rows = connection.execute(
                _REVISIONS_WITH_CURRENT + sql.SQL(" WHERE r.event_id = %s ORDER BY r.number"),
                (event_id,),
            ).fetchall()
        return _resolved_rows(rows, self._area_order())

    def event_revision(self, event_id: str) -> int | None:
        """The stored event's current revision number (what correct_event and retract_event
        expect), or None when it is not stored (never, or retracted)."""
        with self.connection() as connection:
            found = connection.execute(
                "SELECT revision FROM events WHERE id = %s", (event_id,)
            ).fetchone()
        return None if found is None else found[0]

    def retracted(self, limit: int = 100) -> list[Revision]:
        """The latest `limit` retractions of events still out of the store, newest first (an
        event retracted and saved again is not listed)."""
        with self.connection() as connection:
            rows = connection.execute(
                "SELECT r.event_id, r.number, r.action, r.actor, r.at, r.reason, r.before, "
                "r.after FROM event_revisions r WHERE r.action = 'retracted' "
                "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = r.event_id) "
                "AND r.number = (SELECT max(number) FROM event_revisions l "
                "WHERE l.event_id = r.event_id) ORDER BY r.at DESC, r.event_id LIMIT %s",
                (limit,),
            ).fetchall()
        return [resolved([row], None)[0] for row in rows]

    def _locked(
        self, connection: psycopg.Connection, event_id: str, expected: int, order: dict[str, int]
    ) -> tuple:
        """The stored event's row (_READ_COLUMNS, then revision), locked until the transaction
        ends; StaleRevision when its revision is not `expected` (or it has been retracted),
        UnknownEvent when it was never stored."""
        stored = connection.execute(
            sql.SQL("SELECT ")
            + _READ_COLUMNS
            + sql.SQL(", revision FROM events WHERE id = %s FOR UPDATE"),
            (event_id,),
        ).fetchone()
        current = None if stored is None else stored[-1]
        if current is not None and current == expected:
            return stored
        rows = connection.execute(
            "SELECT event_id, number, action, actor, at, reason, before, after "
            "FROM event_revisions WHERE event_id = %s ORDER BY number",
            (event_id,),
        ).fetchall()
        if not rows:
            raise UnknownEvent(f"no event {json.dumps(event_id, ensure_ascii=False)} is stored")
        current_feature = _features([stored], order)[event_id] if stored else None
        history = resolved(rows, current_feature)
        newer = [revision for revision in history if revision.number > expected]
        raise StaleRevision(event_id, expected, current, newer)

    @staticmethod
    def _record(
        connection: psycopg.Connection,
        event_id: str,
        number: int,
        action: str,
        actor: str,
        reason: str,
        before: dict | None,
        after: dict | None,
    ) -> dt.datetime:
        """Append one revision; returns its time (the server's clock, UTC)."""
        at = connection.execute(
            "INSERT INTO event_revisions (event_id, number, action, actor, reason, before, "
            "after) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING at",
            (
                event_id,
                number,
                action,
                actor,
                reason,
                None if before is None else Jsonb(before),
                None if after is None else Jsonb(after),
            ),
        ).fetchone()[0]
        return at.astimezone(dt.UTC)

    def export_history(self, path: Path | str, batch: int = 5_000) -> int:
        """Write every revision of every event, retracted ones included, as JSON Lines: one
        revision a line (Revision.as_json: event_id, revision, action, actor, at, reason,
        before, after), by event id and then revision number. Streams, so a store of millions
        is written in bounded memory. Returns the revisions written."""
        order = self._area_order()
        count = 0
        with (
            Path(path).open("w", encoding="utf-8") as out,
            self.connection() as connection,
            connection.transaction(),
        ):
            cursor = connection.cursor(name="history")
            # Each event's revisions, and with its latest one the event as stored now.
            cursor.execute(_REVISIONS_WITH_CURRENT + sql.SQL(" ORDER BY r.event_id, r.number"))
            group: list[tuple] = []
            # The stored events of a batch made features at once (one table, not one a row).
            current: dict[str, dict] = {}

            def flush() -> int:
                stored = current.pop(group[0][0], None)
                for revision in resolved([row[:8] for row in group], stored):
                    out.write(json.dumps(revision.as_json(), ensure_ascii=False) + "\n")
                return len(group)

            while rows := cursor.fetchmany(batch):
                current |= _features([row[8:] for row in rows if row[8] is not None], order)
                for row in rows:
                    if group and row[0] != group[0][0]:
                        count += flush()
                        group = []
                    group.append(row)
            if group:
                count += flush()
        return count

    @contextlib.contextmanager
    def _indexes_built_after(self) -> Iterator[None]:
        """The secondary indexes of events and event_points dropped for the block and built
        again after it (a first import of many events: building an index once is several
        times faster than keeping it up to date row by row). Indexes that back a constraint
        (primary keys) stay."""
        with self.connection() as connection:
            indexes = connection.execute(
                "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class c ON c.oid = x.indexrelid "
                "WHERE x.indrelid IN ('events'::regclass, 'event_points'::regclass) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
                "ORDER BY c.relname"
            ).fetchall()
            for name, __ in indexes:
                connection.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        try:
            yield
        finally:
            with self.connection() as connection:
                for __, definition in indexes:
                    connection.execute(definition)
                connection.execute("CLUSTER event_points USING event_points_nation_set")
                connection.execute(
                    "ANALYZE events, event_points, event_groups, event_cells, nation_cells, "
                    "cell_months"
                )

    def retag(self, batch: int = _BATCH) -> int:
        """Compute every stored event's zone tags again with the stored areas (after areas
        changed); returns how many events' tags changed."""
        areas = self.areas()
        changed = 0
        with self.connection() as reader, reader.transaction():
            cursor = reader.cursor(name="retag")
            cursor.execute(
                "SELECT id, location_precision_km, ST_AsBinary(geom), zones_in, zones_possibly, "
                "area FROM events ORDER BY id"
            )
            while rows := cursor.fetchmany(batch):
                part = _tagging_frame(rows)
                updates = []
                for row, tags in zip(rows, zone_tags(part, areas), strict=True):
                    zones_in, zones_possibly = _tag_lists(tags)
                    if (zones_in, zones_possibly) != (list(row[3]), list(row[4])):
                        updates.append((row[0], zones_in, zones_possibly))
                if updates:
                    self._update_tags(updates)
                    changed += len(updates)
        return changed

    def _update_tags(self, updates: list[tuple[str, list[str], list[str]]]) -> None:
        with self.connection() as connection, connection.transaction():
            connection.execute(
                "CREATE TEMP TABLE retagged (id text, zones_in text[], zones_possibly text[]) "
                "ON COMMIT DROP"
            )
            with connection.cursor().copy(
                "COPY retagged (id, zones_in, zones_possibly) FROM STDIN"
            ) as copy:
                for row in updates:
                    copy.write_row(row)
            connection.execute(
                "UPDATE events SET zones_in = r.zones_in, zones_possibly = r.zones_possibly "
                "FROM retagged r WHERE events.id = r.id"
            )
        self._written()

    # --- export -----------------------------------------------------------------------------

    def export(self, root: Path | str, batch: int = 5_000) -> tuple[int, int]:
        """Write the store as a data directory: events/*.geojson (each event in the file it is
        filed under) and areas/*.geojson, loadable by layers.read.load and `import` again.
        Streams the events, so a store of millions is written in bounded memory. Returns
        (events, files) written; an existing file of the same name is overwritten."""
        root = Path(root)
        areas = self.areas()
        files = 0
        used_areas: set[Path] = set()
        for name, group in areas.groupby("file", sort=False):
            writer = _CollectionWriter(root, name, AREAS_SUBDIR, used_areas)
            for __, row in group.iterrows():
                writer.write(_area_feature(row))
            writer.close()
            files += 1
        order = self._area_order()
        count = 0
        with self.connection() as connection, connection.transaction():
            cursor = connection.cursor(name="export")
            cursor.execute(
                sql.SQL("SELECT ") + _READ_COLUMNS + sql.SQL(" FROM events ORDER BY file, id")
            )
            current: str | None = None
            writer = None
            used: set[Path] = set()
            while rows := cursor.fetchmany(batch):
                frame = events_from_rows(rows, order)
                for __, event in frame.iterrows():
                    if event["file"] != current:
                        if writer is not None:
                            writer.close()
                        current = event["file"]
                        writer = _CollectionWriter(root, current, EVENTS_SUBDIR, used)
                        files += 1
                    feature = event_feature(event.drop(labels=["zones", "digest"]))
                    writer.write(feature)
                    count += 1
            if writer is not None:
                writer.close()
        return count, files


# --- rows ------------------------------------------------------------------------------------


def event_digest(fields: Iterable[str]) -> str:
    """A short hash of an event's content as text fields (not its file): equal for the same
    event imported twice. Each field is length-prefixed, so no two contents share a text."""
    text = "".join(f"{len(value)}:{value}" for value in fields)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def event_rows(events: gpd.GeoDataFrame) -> Iterator[tuple]:
    """The events table (with "zones") as rows of WRITTEN_COLUMNS, for COPY.

    The geometry goes as WKB without an SRID (the INSERT sets EPSG:4326); sources as JSON
    text, its keys sorted so the digest does not depend on their order.
    """
    wkb = shapely.to_wkb(np.asarray(events.geometry.values), hex=True)
    positions = display_positions(events, to_pacific_frame(events.geometry.values))
    texts = {
        name: events[name].astype("str").tolist()
        for name in ("id", "title", "summary", "kind", "start_text", "end_text", "area", "file")
    }
    starts = events["start"].to_numpy().astype("datetime64[D]").tolist()
    ends = events["end"].to_numpy().astype("datetime64[D]").tolist()
    precisions = [
        None if np.isnan(value) else float(value)
        for value in events["location_precision_km"].to_numpy(dtype="float64")
    ]
    rows = zip(
        texts["id"],
        texts["title"],
        texts["summary"],
        texts["kind"],
        texts["start_text"],
        texts["end_text"],
        starts,
        ends,
        events["nations"].tolist(),
        events["organisations"].tolist(),
        events["forces"].tolist(),
        texts["area"],
        precisions,
        events["sources"].tolist(),
        texts["file"],
        events["zones"].tolist(),
        wkb.tolist(),
        positions["x"].tolist(),
        positions["y"].tolist(),
        _counts_column(events),
        _coord_times_column(events),
        _windows_column(events),
        _sides_column(events),
        strict=True,
    )
    for row in rows:
        (event_id, title, summary, kind, start_text, end_text, start, end, nations) = row[:9]
        organisations, forces, area, precision, sources, file, zones, geometry, x, y = row[9:19]
        counts, coord_times, windows, sides = row[19:23]
        sources_json = json.dumps(
            [dict(source) for source in sources],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        nations, organisations, forces = list(nations), list(organisations), list(forces)
        counts_json = json.dumps(
            {name: int(value) for name, value in counts.items()},
            sort_keys=True,
            separators=(",", ":"),
        )
        # Only an event with counts has them in its digest: an event stored before counts
        # existed, imported again, is still "unchanged".
        digest = event_digest(
            [
                event_id,
                title,
                summary,
                kind,
                start_text,
                end_text,
                *nations,
                "|",
                *organisations,
                "|",
                *forces,
                "|",
                area,
                repr(precision),
                sources_json,
                geometry,
                *(["counts", counts_json] if counts else []),
                # A track's times; nothing for the others, whose digest stays as it was.
                *(["coord_times", coord_times] if coord_times is not None else []),
                *(["windows", windows] if windows is not None else []),
                # Who stood with whom; nothing for an event without sides, as for windows.
                *(["sides", sides] if sides is not None else []),
            ]
        )
        zones_in, zones_possibly = _tag_lists(zones)
        yield (
            event_id,
            title,
            summary,
            kind,
            start_text,
            end_text,
            start,
            end,
            nations,
            organisations,
            forces,
            area,
            precision,
            sources_json,
            file,
            zones_in,
            zones_possibly,
            geometry,
            x,
            y,
            digest,
            counts_json,
            coord_times,
            windows,
            sides,
        )


def _coord_times_column(events: gpd.GeoDataFrame) -> list[str | None]:
    """Each event's track times as JSON text (a list per line), None for one without."""
    if "coord_times" not in events:
        return [None] * len(events)
    return [
        json.dumps(times, separators=(",", ":")) if times else None
        for times in events["coord_times"]
    ]


def _windows_column(events: pd.DataFrame) -> list[str | None]:
    """Each event's windows as JSON text (a list of [start, end]), None for one without."""
    if "windows" not in events:
        return [None] * len(events)
    return [
        json.dumps([list(window) for window in windows], ensure_ascii=False, separators=(",", ":"))
        if isinstance(windows, tuple) and windows
        else None
        for windows in events["windows"]
    ]


def _sides_column(events: pd.DataFrame) -> list[str | None]:
    """Each event's sides as JSON text (a list of lists of codes; [] for sides not known),
    None for an event without sides (or a table without the column)."""
    if "sides" not in events:
        return [None] * len(events)
    return [
        json.dumps([list(side) for side in sides], separators=(",", ":"))
        if isinstance(sides, tuple)
        else None
        for sides in events["sides"]
    ]


def _sides_tuple(value) -> tuple[tuple[str, ...], ...] | None:
    """A stored sides value (JSON list of lists, or NULL) as the loader's "sides"."""
    return None if value is None else tuple(tuple(side) for side in value)


def _counts_column(events: pd.DataFrame) -> list[dict]:
    """The events' counts, {} for an event without (or a table without the column)."""
    if "counts" not in events.columns:
        return [{}] * len(events)
    return [counts if isinstance(counts, dict) else {} for counts in events["counts"]]


def events_from_rows(rows: list[tuple], area_order: dict[str, int]) -> gpd.GeoDataFrame:
    """Rows of _READ_COLUMNS as the loader's events table (EVENT_COLUMNS, geometry) plus
    "zones": tuples of (area id, "in" | "possibly") in area order, as analysis.zones gives,
    and "digest" (event_digest: what stays equal while the event is unchanged)."""
    if not rows:
        frame = empty_events()
        frame["zones"] = pd.Series([], dtype=object)
        frame["digest"] = pd.Series([], dtype="str")
        return frame
    columns = list(zip(*rows, strict=True))
    data = {
        "id": columns[0],
        "title": columns[1],
        "summary": columns[2],
        "kind": columns[3],
        "start": pd.to_datetime(list(columns[4])).astype("datetime64[s]"),
        "end": pd.to_datetime(list(columns[5])).astype("datetime64[s]"),
        "start_text": columns[6],
        "end_text": columns[7],
        "nations": [list(value) for value in columns[8]],
        "organisations": [list(value) for value in columns[9]],
        "forces": [list(value) for value in columns[10]],
        "area": columns[11],
        "location_precision_km": pd.array(
            [np.nan if value is None else value for value in columns[12]], dtype="float64"
        ),
        "sources": [list(value) for value in columns[13]],
        "counts": [{name: int(value) for name, value in found.items()} for found in columns[19]],
        "coord_times": [
            tuple(tuple(line) for line in value) if value else () for value in columns[20]
        ],
        "windows": [
            tuple(tuple(window) for window in value) if value else () for value in columns[21]
        ],
        "sides": [_sides_tuple(value) for value in columns[22]],
        "file": columns[14],
    }
    frame = pd.DataFrame({name: data[name] for name in EVENT_COLUMNS})
    for name in ("id", "title", "summary", "kind", "start_text", "end_text", "area", "file"):
        frame[name] = frame[name].astype("str")
    frame["zones"] = [
        _zone_tuple(zones_in, zones_possibly, area_order)
        for zones_in, zones_possibly in zip(columns[15], columns[16], strict=True)
    ]
    frame["digest"] = pd.Series(columns[18], dtype="str")
    return gpd.GeoDataFrame(frame, geometry=shapely.from_wkb(list(columns[17])), crs="EPSG:4326")


def _tag_lists(tags) -> tuple[list[str], list[str]]:
    tags = tags or ()
    return (
        [area for area, status in tags if status == IN],
        [area for area, status in tags if status == POSSIBLY],
    )


def _zone_tuple(zones_in, zones_possibly, order: dict[str, int]) -> tuple:
    tags = [(area, IN) for area in zones_in] + [(area, POSSIBLY) for area in zones_possibly]
    return tuple(sorted(tags, key=lambda tag: (order.get(tag[0], len(order)), tag[0])))


def _spread_over_months(
    groups: list[tuple[int, int, str, int]], first: int, last: int
) -> dict[str, np.ndarray]:
    """Counts per key and month from (first month, last month, key, count) groups: each
    group's count in every month from its first to its last (clipped to first…last)."""
    size = last - first + 1
    result: dict[str, np.ndarray] = {}
    for start, end, key, n in groups:
        start, end = max(start, first), min(end, last)
        if start > end:
            continue
        steps = result.setdefault(key, np.zeros(size + 1, dtype="int64"))
        steps[start - first] += n
        steps[end - first + 1] -= n
    return {key: np.cumsum(steps)[:size] for key, steps in result.items()}


def _cells_frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Rows of (month number, cx, cy, n, sum x, sum y, n per kind…) as clusters' columns."""
    if not rows:
        return pd.DataFrame(columns=columns)
    values = np.array(rows, dtype="float64")
    n = values[:, 3]
    names = {number: month_text(number) for number in np.unique(values[:, 0]).astype(int)}
    result = pd.DataFrame(
        {
            "group": [names[number] for number in values[:, 0].astype(int)],
            "cx": values[:, 1].astype("int64"),
            "cy": values[:, 2].astype("int64"),
            "x": values[:, 4] / n,
            "y": values[:, 5] / n,
            "n": n.astype("int64"),
        }
    )
    result[list(KINDS)] = values[:, 6:].astype("int64")
    return result.sort_values(["group", "cx", "cy"], ignore_index=True)


def _counted_source(view: View, window: MapWindow) -> str | None:
    """The table that holds the counts per cell for this view at this window's zoom:
    cell_months (nothing but months chosen, zoom 2 to 8: CELL_LEVELS), event_cells (kinds
    too), nation_cells (nations, and nothing but months, zoom 2 to 4: its mean positions
    are over all kinds), or None: counted on event_points."""
    if view.zones or not CELL_LEVELS[0] <= window.zoom <= CELL_LEVELS[1]:
        return None
    if not view.nations:
        return "event_cells" if view.kinds else "cell_months"
    if not view.kinds and window.zoom <= NATION_CELL_LEVEL:
        return "nation_cells"
    return None


def _spans_of(source: str) -> str:
    """The table counting by span of months what `source` counts (cell_months counts by
    month): event_cells for it, else itself."""
    return "event_cells" if source == "cell_months" else source


def _counted_rows(view: View, window: MapWindow, source: str) -> tuple[sql.Composable, dict]:
    """A SELECT of the stored counts of the cells touching the window at its zoom that the
    view's filters select, from `source` (event_cells or nation_cells): rows of cx, cy (at the
    window's zoom), first_month, last_month, events, sx, sy and a column per kind (KINDS),
    each row a set of events counted once."""
    where, params = group_filter(view)
    size = window.cell_degrees()
    params |= {
        "level": window.zoom,
        "cx0": math.floor(window.west / size),
        "cx1": math.floor(window.east / size),
        "cy0": math.floor(window.south / size),
        "cy1": math.floor(window.north / size),
    }
    if source == "event_cells":
        kinds = sql.SQL(", ").join(
            sql.SQL("CASE WHEN kind = {} THEN events ELSE 0 END AS {}").format(
                kind, sql.Identifier(kind)
            )
            for kind in KINDS
        )
        select = (
            sql.SQL("SELECT cx, cy, first_month, last_month, events, sx, sy, ")
            + kinds
            + sql.SQL(
                " FROM event_cells WHERE level = %(level)s AND cx BETWEEN %(cx0)s AND %(cx1)s "
                "AND cy BETWEEN %(cy0)s AND %(cy1)s AND "
            )
        )
        return select + where, params
    # nation_cells: cells of NATION_CELL_LEVEL, each inside one cell of a lower zoom (the
    # grids are aligned: a cell of zoom z holds 2^(level - z) of them on a side).
    params["scale"] = 2 ** (NATION_CELL_LEVEL - window.zoom)
    select = (
        sql.SQL(
            "SELECT floor(cx / %(scale)s::float8)::integer AS cx, "
            "floor(cy / %(scale)s::float8)::integer AS cy, first_month, last_month, events, "
            "sx, sy, "
        )
        + sql.SQL(", ").join(sql.Identifier(kind) for kind in KINDS)
        + sql.SQL(
            " FROM nation_cells WHERE cx BETWEEN %(cx0)s * %(scale)s "
            "AND (%(cx1)s + 1) * %(scale)s - 1 "
            "AND cy BETWEEN %(cy0)s * %(scale)s AND (%(cy1)s + 1) * %(scale)s - 1 AND "
        )
    )
    return select + where, params


def _filter_key(view: View) -> tuple:
    """What of a view the store's counts depend on (not the map position or the open event)."""
    return (view.start, view.end, view.nations, view.match, view.kinds, view.zones, view.possibly)


def _kind_counts(groups: list[tuple], months: list[str]) -> pd.DataFrame:
    """(first month, last month, kind, events) groups as monthly_counts' rows over `months`
    (consecutive): per month, each kind's events, most first."""
    first, last = month_number(months[0]), month_number(months[-1])
    counts = _spread_over_months([tuple(row) for row in groups], first, last)
    rows = []
    for offset, month in enumerate(months):
        by_kind = sorted(
            ((kind, int(n[offset])) for kind, n in counts.items() if n[offset]),
            key=lambda pair: -pair[1],
        )
        rows += [{"month": month, "kind": kind, "events": n} for kind, n in by_kind]
    return _monthly_frame(rows)


def _monthly_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["month", "kind", "events"])


# An event's revisions (event_id, number, action, actor, at, reason, before, after) and, beside
# its latest one, the event as stored now (_READ_COLUMNS; NULLs beside the others).
_REVISIONS_WITH_CURRENT = (
    sql.SQL(
        "SELECT r.event_id, r.number, r.action, r.actor, r.at, r.reason, r.before, r.after, "
        "e.* FROM event_revisions r LEFT JOIN LATERAL (SELECT "
    )
    + _READ_COLUMNS
    + sql.SQL(
        " FROM events WHERE events.id = r.event_id AND events.revision = r.number) AS e ON true"
    )
)


def _resolved_rows(rows: list[tuple], order: dict[str, int]) -> list[Revision]:
    """One event's rows of _REVISIONS_WITH_CURRENT (oldest first) as its revisions, each
    `after` filled in (layers.store.revisions.resolved)."""
    if not rows:
        return []
    stored = [row[8:] for row in rows if row[8] is not None]
    current = _features(stored, order).get(rows[0][0]) if stored else None
    return resolved([row[:8] for row in rows], current)


def _features(rows: list[tuple], order: dict[str, int]) -> dict[str, dict]:
    """Rows of _READ_COLUMNS (anything after them ignored) as GeoJSON Features by id: what a
    revision holds (event_feature, without the computed zone tags)."""
    if not rows:
        return {}
    return _features_of(events_from_rows([row[:23] for row in rows], order))


def _features_of(events: pd.DataFrame) -> dict[str, dict]:
    """The events table's rows as GeoJSON Features by id, as JSON reads them back (lists, not
    tuples): the form stored in event_revisions."""
    features = {}
    for __, event in events.iterrows():
        feature = event_feature(event.drop(labels=["zones", "digest"], errors="ignore"))
        features[event["id"]] = json.loads(json.dumps(feature, ensure_ascii=False))
    return features


def _json(feature: dict) -> str:
    """A feature as JSON text for COPY into a jsonb column."""
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"))


def _event_label(event_id: str, feature: object) -> str:
    """How a correction's problem names the feature: its id (layers.read.load.feature_label),
    else the event corrected."""
    try:
        label = feature_label(feature, 1)
    except Exception:  # an odd feature still gets a name
        label = "feature #1"
    if label == "feature #1":
        return f"feature {json.dumps(event_id, ensure_ascii=False)}"
    return label.removesuffix(" (#1)")


def _copy_rows(connection: psycopg.Connection, table: str, rows: Iterable[tuple]) -> None:
    query = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, WRITTEN_COLUMNS))
    )
    with connection.cursor().copy(query) as copy:
        for row in rows:
            copy.write_row(row)


def _saved_pair(row) -> tuple[str | None, dt.datetime | None]:
    """An areas row's (saved_by, saved_at), both or neither (migration 0010's check): None,
    None for a row without them (a file's area, a frame without the columns)."""
    by, at = getattr(row, "saved_by", None), getattr(row, "saved_at", None)
    if isinstance(by, str) and by.strip() and isinstance(at, dt.datetime) and not pd.isna(at):
        return by.strip(), at
    return None, None


_AREA_ID = re.compile(ID_PATTERN)


def _drawn_rows(areas: gpd.GeoDataFrame) -> list[tuple]:
    """The rows of drawn areas to insert, (id, name, alt_names, kind, note, default_visible,
    file, geometry as hex WKB); InvalidArea, one line naming the area and the field, for a
    row that cannot be stored (what the loader would have refused)."""
    if areas is None or len(areas) == 0:
        raise InvalidArea(Message("no drawn area was given to save"))
    missing = [name for name in (*AREA_COLUMNS, "geometry") if name not in areas.columns]
    if missing:
        raise InvalidArea(
            Message("a drawn area needs the columns {columns}", columns=", ".join(missing))
        )
    rows, seen = [], set()
    for row in areas.itertuples(index=False):
        area_id = json.dumps(str(row.id), ensure_ascii=False)
        if not isinstance(row.id, str) or not _AREA_ID.match(row.id):
            raise InvalidArea(
                Message(
                    "drawn area {id}: id: not lowercase letters, digits, '.', '_' or '-'",
                    id=area_id,
                )
            )
        if row.id in seen:
            raise InvalidArea(Message("drawn area {id}: id: given twice", id=area_id))
        seen.add(row.id)
        if not isinstance(row.name, str) or not row.name.strip():
            raise InvalidArea(
                Message("drawn area {id}: name: a drawn area needs a name", id=area_id)
            )
        if row.kind not in AREA_KINDS:
            raise InvalidArea(
                Message(
                    "drawn area {id}: kind: {kind} is not one of {kinds}",
                    id=area_id,
                    kind=repr(row.kind),
                    kinds=", ".join(AREA_KINDS),
                )
            )
        geometry = row.geometry
        if geometry is None or geometry.is_empty or not geometry.is_valid:
            raise InvalidArea(
                Message(
                    "drawn area {id}: geometry: empty or not valid (OGC simple features)",
                    id=area_id,
                )
            )
        rows.append(
            (
                row.id,
                row.name.strip(),
                [str(name) for name in (row.alt_names if isinstance(row.alt_names, list) else [])],
                row.kind,
                row.note if isinstance(row.note, str) else "",
                bool(row.default_visible),
                str(row.file),
                shapely.to_wkb(geometry, hex=True, include_srid=False),
            )
        )
    return rows


def _names_json(row) -> str | None:
    """An area's own names (the loader's `names`: language tag → name) as JSON for the store,
    or None when it has none (a frame without the column: a drawn area's)."""
    names = getattr(row, "names", None)
    if not isinstance(names, dict) or not names:
        return None
    return json.dumps(names, ensure_ascii=False)


def _area_feature(row: pd.Series) -> dict:
    properties = {
        "id": row["id"],
        "name": row["name"],
        "alt_names": list(row["alt_names"]),
        "kind": row["kind"],
    }
    if row["note"]:
        properties["note"] = row["note"]
    properties["default_visible"] = bool(row["default_visible"])
    # A drawn area saved for the team keeps who and when (the loader reads them back).
    names = row.get("names")
    if isinstance(names, dict) and names:
        properties["names"] = dict(names)
    saved_by, saved_at = _saved_pair(row)
    if saved_by is not None:
        properties["saved_by"] = saved_by
        properties["saved_at"] = saved_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": shapely.geometry.mapping(row.geometry),
    }


def _export_path(root: Path, name: str, folder: str, used: set[Path]) -> Path:
    """Where a stored file name is written under root/folder: its last part only, reduced to
    letters, digits, '.', '_' and '-', a .geojson name (what the loader reads), never outside
    the folder, and not a path this export has written already."""
    base = PurePosixPath(name.replace("\\", "/")).name
    stem = _EXPORT_UNSAFE.sub("-", base.removesuffix(".geojson")).strip(".-_") or "events"
    target = root / folder
    target.mkdir(parents=True, exist_ok=True)
    path, number = target / f"{stem}.geojson", 1
    while path in used:
        number += 1
        path = target / f"{stem}-{number}.geojson"
    used.add(path)
    return path


class _CollectionWriter:
    """A FeatureCollection written one feature at a time."""

    def __init__(self, root: Path, name: str, folder: str, used: set[Path]):
        self._file = _export_path(root, name, folder, used).open("w", encoding="utf-8")
        self._file.write('{"type": "FeatureCollection", "features": [\n')
        self._first = True

    def write(self, feature: dict) -> None:
        if not self._first:
            self._file.write(",\n")
        self._file.write(json.dumps(feature, ensure_ascii=False))
        self._first = False

    def close(self) -> None:
        self._file.write("\n]}\n")
        self._file.close()


def _tagging_frame(rows: list[tuple]) -> gpd.GeoDataFrame:
    """What zone_tags needs of stored events, from rows of (id, location_precision_km, WKB
    geometry, zones_in, zones_possibly, area): retag and a drawn area's save read the same."""
    return gpd.GeoDataFrame(
        {
            "id": [row[0] for row in rows],
            "location_precision_km": [row[1] for row in rows],
            "area": [row[5] for row in rows],  # placed by area: in it (zones.py)
        },
        geometry=shapely.from_wkb([row[2] for row in rows]),
        crs="EPSG:4326",
    )
