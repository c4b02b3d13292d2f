"""The shared PostGIS event store from the command line: `python -m layers.db COMMAND`.

    python -m layers.db init                 create the schema, or bring it up to date
    python -m layers.db import geodata/      load a data directory through the validator
                                             (--if-empty: only into an empty store)
    python -m layers.db export DIR           write the store back as a data directory
                                             (--history: and DIR/history.jsonl, every
                                             revision of every event, retracted ones too)
    python -m layers.db status               what the store holds
    python -m layers.db grant-app ROLE       make ROLE the dashboard's least-privilege login
                                             (read all, write what a save writes, no DDL);
                                             init --app-role ROLE does it after migrating

Run init, import and grant-app as the owner of the store's tables; point the dashboard at the
app's role (layers/store/grants.py says what it may do). grant-app sets the role's password
from $EVENTS_APP_PASSWORD when that is set (never from the command line, which others see).

The database is $EVENTS_DB (postgresql://user@host:port/name) or --db URL; its hot standbys, if
any, $EVENTS_DB_STANDBYS (URLs separated by commas) or --standby URL (repeated): `status` reads
there and says how each standby stands; writes and `export` use the primary. `import` reads the
directory exactly as the dashboard and `python -m layers.validate` do: every problem is printed
as one line (file: feature: field: message) and the valid events are stored; an event whose id
is already stored with other content is reported and left as it is (--replace overwrites it
instead, and the content it held is kept in the event's history as a "replaced" revision); the
same event imported again is no change. Every event imported is recorded as an "imported"
revision by "layers.db import by <user>@<host>" (docs/teams.md, "What is audited"). Exit
status: 0 when everything was stored cleanly, 1 when there were problems (the valid events are
stored all the same), 2 when the database cannot be used. Never prints a traceback for bad
files or an unreachable database.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys
from pathlib import Path

import psycopg

from layers.read.load import load_geodata
from layers.read.schema import left_out_count, plural
from layers.store.grants import GrantError, grant_app_role
from layers.store.migrations import MigrationError
from layers.store.postgis import PostgisStore, StoreError, StoreTimeouts
from layers.store.replicas import STANDBYS_ENV, standby_urls

ENV_VAR = "EVENTS_DB"
PASSWORD_VAR = "EVENTS_APP_PASSWORD"
# What `export --history` writes beside events/ and areas/ (the loader reads only those two).
HISTORY_FILE = "history.jsonl"


def command_line_actor() -> str:
    """Who the history names for a command-line import: "layers.db import by user@host" (the
    operating-system user running it and this machine's name)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = f"uid {os.getuid()}"
    return f"layers.db import by {user}@{socket.gethostname()}"


def build_parser(prog: str = "python -m layers.db") -> argparse.ArgumentParser:
    """The command's options and its subcommands (init, import, export, status, grant-app);
    `prog` is how its help names it (`maritime db` there)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="The shared PostGIS event store: schema, import, export (docs/teams.md). "
        "The database is\n$EVENTS_DB or --db. Exit 0 done, 1 problems in the files (the valid "
        "events stored), 2 no\ndatabase to use.",
        epilog="examples:\n"
        "  export EVENTS_DB=postgresql://analyst@dbhost/events\n"
        "  %(prog)s init                # create the schema, or bring it up to date\n"
        "  %(prog)s import geodata/     # load a data directory through the validator\n"
        "  %(prog)s status              # what the store holds\n"
        "  %(prog)s import --help       # each command's own options",
        formatter_class=argparse.RawDescriptionHelpFormatter,
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

    def command(name: str, summary: str, example: str) -> argparse.ArgumentParser:
        # The summary is the line in the list above and the first line of the command's own
        # --help, so they cannot say different things.
        return commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    initing = command(
        "init",
        "create the schema or apply its new migrations",
        "EVENTS_APP_PASSWORD=… %(prog)s --app-role dashboard_app",
    )
    initing.add_argument(
        "--app-role",
        metavar="ROLE",
        help="then give ROLE the dashboard's rights on every table (as grant-app does)",
    )
    importing = command(
        "import", "load a data directory (events/, areas/)", "%(prog)s --if-empty geodata/"
    )
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
    exporting = command(
        "export", "write the store as a data directory", "%(prog)s backup/ --history"
    )
    exporting.add_argument("directory", help="where events/ and areas/ are written")
    exporting.add_argument(
        "--history",
        action="store_true",
        help="also write DIR/history.jsonl: every revision of every event, one a line",
    )
    command("status", "print what the store holds", "%(prog)s")
    granting = command(
        "grant-app",
        "make ROLE the dashboard's login: read all, write what a save writes, no DDL",
        "EVENTS_APP_PASSWORD=… %(prog)s dashboard_app",
    )
    granting.add_argument("role", help="the role's name, e.g. dashboard_app")
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m layers.db") -> int:
    """Run the store command in `argv` (sys.argv's by default); the exit code: 0 done, 1
    problems in the files (the valid events stored), 2 no database to use or a usage error."""
    args = build_parser(prog).parse_args(argv)

    url = args.db or os.environ.get(ENV_VAR)
    if not url:
        print(f"No database: set {ENV_VAR}=postgresql://… or give --db.", file=sys.stderr)
        return 2
    try:
        # Imports and index builds run for minutes: no statement or lock timeout here.
        timeouts = StoreTimeouts.from_env().without_statement_limits()
        standbys = args.standby or standby_urls(os.environ.get(STANDBYS_ENV))
        with PostgisStore(url, max_connections=2, timeouts=timeouts, standbys=standbys) as store:
            if args.command == "init":
                applied = store.init()
                print(
                    "Schema created/updated: " + ", ".join(applied)
                    if applied
                    else "Schema up to date."
                )
                if args.app_role:
                    return grant(store, args.app_role)
                return 0
            if args.command == "grant-app":
                return grant(store, args.role)
            if args.command == "import":
                if args.if_empty and store.summary().total:
                    print(f"The store holds events already: {args.directory} not imported.")
                    return 0
                return import_directory(store, Path(args.directory), args.replace)
            if args.command == "export":
                events, files = store.export(args.directory)
                written = f"{plural(events, 'event')} in {plural(files, 'file')}"
                print(f"Wrote {written} to {args.directory}")
                if args.history:
                    path = Path(args.directory) / HISTORY_FILE
                    revisions = store.export_history(path)
                    print(f"Wrote {plural(revisions, 'revision')} to {path}")
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
    except (StoreError, MigrationError, GrantError) as error:
        # An outage's driver line (host, port, what failed) is for the operator running this.
        detail = getattr(error, "detail", "")
        print(f"Events database: {error}" + (f" ({detail})" if detail else ""), file=sys.stderr)
        return 2
    except psycopg.Error as error:  # lost connection, missing rights, …: one line
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"Events database: {type(error).__name__}: {first_line}", file=sys.stderr)
        return 2


def grant(store, role: str) -> int:
    """Give `role` the dashboard's rights (layers.store.grants) and say what they are."""
    with store.connection() as connection:
        granted = grant_app_role(connection, role, os.environ.get(PASSWORD_VAR) or None)
    print(granted.sentence())
    return 0


def import_directory(store, root: Path, replace: bool) -> int:
    """Validate `root` and store what is valid; print each problem; 1 when any."""
    geodata = load_geodata(root)
    result = store.import_geodata(geodata, replace=replace, actor=command_line_actor())
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
