"""The shared store's schema, as plain numbered SQL files applied in order.

`migrations/NNNN_name.sql` beside this module; each is applied once, in one transaction, and
recorded in the table `schema_migrations`. A change to the schema is a new file, never an edit
of an applied one (an edited file is reported, not silently skipped). Two processes migrating
at once take turns (an advisory lock), so `python -m layers.db init` is safe to run from every
replica's start.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Any fixed number: the key of the advisory lock that serialises migrations.
_LOCK_KEY = 7_015_001


class MigrationError(RuntimeError):
    """The database's schema history does not match the migration files."""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]


def migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in order of their numbers; a misnamed .sql file raises."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: a migration is named NNNN_words.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    numbers = [migration.number for migration in found]
    if len(set(numbers)) != len(numbers):
        raise MigrationError("two migration files share a number")
    return found


def migrate(connection: psycopg.Connection, folder: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply every migration the database has not had; returns their names ("0001_events").

    Raises MigrationError when an applied migration's file has changed since, or the database
    has one this code does not know (it is newer than this code).
    """
    applied_now = []
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " number integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {
            number: (name, checksum)
            for number, name, checksum in connection.execute(
                "SELECT number, name, checksum FROM schema_migrations"
            )
        }
        known = {migration.number: migration for migration in migrations(folder)}
        unknown = sorted(set(done) - set(known))
        if unknown:
            raise MigrationError(
                f"the database has migration {unknown[0]:04d}_{done[unknown[0]][0]}, which this "
                "code does not know: it was set up by a newer version"
            )
        for number, migration in sorted(known.items()):
            label = f"{number:04d}_{migration.name}"
            if number in done:
                if done[number][1] != migration.checksum:
                    raise MigrationError(
                        f"{label}.sql was changed after it was applied; add a new migration "
                        "instead of editing an applied one"
                    )
                continue
            connection.execute(migration.sql)
            connection.execute(
                "INSERT INTO schema_migrations (number, name, checksum) VALUES (%s, %s, %s)",
                (number, migration.name, migration.checksum),
            )
            applied_now.append(label)
    return applied_now


def pending(connection: psycopg.Connection, folder: Path = MIGRATIONS_DIR) -> list[str]:
    """The migrations not applied yet (all of them on an empty database)."""
    exists = connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    done = (
        {number for (number,) in connection.execute("SELECT number FROM schema_migrations")}
        if exists[0]
        else set()
    )
    return [f"{m.number:04d}_{m.name}" for m in migrations(folder) if m.number not in done]
