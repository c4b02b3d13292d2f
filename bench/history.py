"""What the history costs a first import: main's code beside this checkout's, same events.

    python bench/history.py [--size 100000] [--base main]

Starts a throwaway PostgreSQL cluster (tests/postgres.py) and imports N synthetic events
(bench/synthetic.py `synthetic_frame`) into a new database twice, in this run: once with
--base's code (a `git archive` of it, no history) and once with this checkout's (an "imported"
revision per event, event_revisions, the compact form). Prints, side by side: the seconds
`import_geodata` took and the database's size (and event_revisions' own).

Then, on this checkout's database, what the full form would add: every event's content as a
GeoJSON Feature in jsonb (the `after` of its import revision), built from the events table the
way a revision's features are (layers.store.postgis._features_of) and copied into a table
shaped like event_revisions; its seconds and size. The compact form leaves that `after` NULL
(it is the event as stored, or the next revision's `before`), which is why it stays narrow.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

from postgres import database_url, throwaway_cluster  # noqa: E402

# Run in a checkout (its layers/ and bench/ first on the path): import N synthetic events into
# a new database, print seconds and sizes as JSON. With "full", also time the full form.
IMPORT_SCRIPT = r"""
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/bench"]
import psycopg
from synthetic import synthetic_frame
from layers.read.load import GeoData, load_areas
from layers.store.postgis import PostgisStore

url, name, size, full = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "full"
events = synthetic_frame(size)
areas, problems = load_areas(sys.argv[1] + "/geodata")
assert not problems
figures = {}
with PostgisStore(url) as store:
    store.init()
    started = time.perf_counter()
    result = store.import_geodata(GeoData(events, areas))
    figures["import_s"] = time.perf_counter() - started
    assert len(result.added) == size and not result.problems
    with store.connection() as connection:
        connection.execute("VACUUM ANALYZE")
        figures["database_bytes"] = connection.execute(
            "SELECT pg_database_size(current_database())").fetchone()[0]
        figures["events_bytes"] = connection.execute(
            "SELECT pg_total_relation_size('events')").fetchone()[0]
        if connection.execute("SELECT to_regclass('event_revisions')").fetchone()[0]:
            figures["revisions_bytes"] = connection.execute(
                "SELECT pg_total_relation_size('event_revisions')").fetchone()[0]
    if full:
        from psycopg import sql
        from layers.store.postgis import _READ_COLUMNS, _features, _json
        order = store._area_order()
        started = time.perf_counter()
        # Two connections: one reads the events (a named cursor), the other copies.
        with store.connection() as reader, reader.transaction(), \
                store.connection() as connection, connection.transaction():
            connection.execute(
                "CREATE TABLE full_revisions (LIKE event_revisions INCLUDING DEFAULTS "
                "INCLUDING CONSTRAINTS INCLUDING INDEXES)")
            cursor = reader.cursor(name="all")
            cursor.execute(sql.SQL("SELECT ") + _READ_COLUMNS + sql.SQL(" FROM events"))
            with connection.cursor().copy(
                "COPY full_revisions (event_id, number, action, actor, reason, after) "
                "FROM STDIN") as copy:
                while rows := cursor.fetchmany(5000):
                    for event_id, feature in _features(rows, order).items():
                        copy.write_row((event_id, 1, "imported", "bench", "", _json(feature)))
        figures["full_s"] = time.perf_counter() - started
        with store.connection() as connection:
            connection.execute("VACUUM ANALYZE full_revisions")
            figures["full_bytes"] = connection.execute(
                "SELECT pg_total_relation_size('full_revisions')").fetchone()[0]
print(json.dumps(figures))
"""


def run(checkout: Path, url: str, name: str, size: int, full: bool) -> dict:
    with __import__("psycopg").connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            IMPORT_SCRIPT,
            str(checkout),
            database_url(url, name),
            name,
            str(size),
            "full" if full else "compact",
        ],
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: {done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--base", default="main", help="the code to compare with (git rev)")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="bench-history-") as folder,
        throwaway_cluster({"shared_buffers": "256MB"}) as url,
    ):
        base = Path(folder) / "base"
        base.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", args.base], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        before = run(base, url, "base", args.size, full=False)
        print(f"{args.base}: {before}", file=sys.stderr, flush=True)
        after = run(REPO, url, "this", args.size, full=True)
        print(f"this: {after}", file=sys.stderr, flush=True)
    print(f"{args.size:,} synthetic events, first import (import_geodata), one run")
    print(f"{'':34}{args.base + ' (no history)':>22}{'this (compact)':>18}")
    print(f"{'import seconds':34}{before['import_s']:>22.1f}{after['import_s']:>18.1f}")
    print(
        f"{'database size':34}{mb(before['database_bytes']):>22}{mb(after['database_bytes']):>18}"
    )
    print(f"{'events table':34}{mb(before['events_bytes']):>22}{mb(after['events_bytes']):>18}")
    print(f"{'event_revisions':34}{'-':>22}{mb(after['revisions_bytes']):>18}")
    print(
        f"full form (a jsonb Feature per import revision) would add: {after['full_s']:.1f} s "
        f"and {mb(after['full_bytes'])} (beside {mb(after['revisions_bytes'])} compact)"
    )


if __name__ == "__main__":
    main()
