"""The shared PostGIS event store from the command line: `python -m layers.db COMMAND`.

    python -m layers.db init                 create the schema, or bring it up to date
    python -m layers.db import geodata/      load a data directory through the validator
                                             (--if-empty: only into an empty store)
    python -m layers.db export DIR           write the store back as a data directory
    python -m layers.db status               what the store holds

The database is $EVENTS_DB (postgresql://user@host:port/name) or --db URL; its hot standbys, if
any, $EVENTS_DB_STANDBYS (URLs separated by commas) or --standby URL (repeated): `status` reads
there and says how each standby stands; writes and `export` use the primary. `import` reads the
directory exactly as the dashboard and `python -m layers.validate` do: every problem is printed
as one line (file: feature: field: message) and the valid events are stored; an event whose id
is already stored with other content is reported and left as it is (--replace overwrites it
instead); the same event imported again is no change. Exit status: 0 when everything was
stored cleanly, 1 when there were problems (the valid events are stored all the same), 2 when
the database cannot be used. Never prints a traceback for bad files or an unreachable database.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import psycopg

from layers.read.load import load_geodata
from layers.read.schema import left_out_count, plural
from layers.store.migrations import MigrationError
from layers.store.postgis import PostgisStore, StoreError
from layers.store.replicas import STANDBYS_ENV, standby_urls

ENV_VAR = "EVENTS_DB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m layers.db",
        description="The shared PostGIS event store: schema, import, export.",
    )
    parser.add_argument("--db", help=f"postgresql:// URL of the database (default: ${ENV_VAR})")
    parser.add_argument(
        "--standby",
        action="append",
        metavar="URL",
        help=f"a hot standby of the database, to read from; repeat for more (default: "
        f"${STANDBYS_ENV}, comma-separated)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="create the schema or apply its new migrations")
    importing = commands.add_parser("import", help="load a data directory (events/, areas/)")
    importing.add_argument("directory", help="data directory, e.g. geodata/")
    importing.add_argument(
        "--if-empty",
        action="store_true",
        help="only when the store holds no event yet (a team's first start: make team)",
    )
    importing.add_argument(
        "--replace",
        action="store_true",
        help="overwrite stored events whose id is in the directory with other content",
    )
    exporting = commands.add_parser("export", help="write the store as a data directory")
    exporting.add_argument("directory", help="where events/ and areas/ are written")
    commands.add_parser("status", help="print what the store holds")
    args = parser.parse_args(argv)

    url = args.db or os.environ.get(ENV_VAR)
    if not url:
        print(f"No database: set {ENV_VAR}=postgresql://… or give --db.", file=sys.stderr)
        return 2
    try:
        standbys = args.standby or standby_urls(os.environ.get(STANDBYS_ENV))
        with PostgisStore(url, max_connections=2, standbys=standbys) as store:
            if args.command == "init":
                applied = store.init()
                print(
                    "Schema created/updated: " + ", ".join(applied)
                    if applied
                    else "Schema up to date."
                )
                return 0
            if args.command == "import":
                if args.if_empty and store.summary().total:
                    print(f"The store holds events already: {args.directory} not imported.")
                    return 0
                return import_directory(store, Path(args.directory), args.replace)
            if args.command == "export":
                events, files = store.export(args.directory)
                written = f"{plural(events, 'event')} in {plural(files, 'file')}"
                print(f"Wrote {written} to {args.directory}")
                return 0
            summary = store.summary()
            span = f", {summary.months[0]} to {summary.months[-1]}" if summary.months else ""
            print(
                f"{plural(summary.total, 'event')}{span}, {plural(len(store.areas()), 'area')}; "
                f"version {summary.version}"
            )
            for line in store.standby_status():
                print(line)
            return 0
    except (StoreError, MigrationError) as error:
        print(f"Events database: {error}", file=sys.stderr)
        return 2
    except psycopg.Error as error:  # lost connection, missing rights, …: one line
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"Events database: {type(error).__name__}: {first_line}", file=sys.stderr)
        return 2


def import_directory(store, root: Path, replace: bool) -> int:
    """Validate `root` and store what is valid; print each problem; 1 when any."""
    geodata = load_geodata(root)
    result = store.import_geodata(geodata, replace=replace)
    problems = [*geodata.problems, *result.problems]
    for problem in problems:
        print(problem)
    print(f"{root}: {result.sentence()}; {plural(len(geodata.areas), 'area')} read.")
    if problems:
        left_out = plural(left_out_count(problems), "feature or file", "features or files")
        print(f"{plural(len(problems), 'problem')} ({left_out} not stored)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
