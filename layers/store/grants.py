"""The database role the dashboard connects as: read everything, write only what a save writes.

`python -m layers.db grant-app ROLE` (or `init --app-role ROLE`), run as the owner of the
store's tables (who runs `init` and `import`), makes ROLE a LOGIN role, or brings an existing
one back to exactly these rights:

- SELECT on every table of the store's schema (the dashboard reads them all);
- INSERT, UPDATE, DELETE on `events` and on the tables its statement triggers write
  (DERIVED_TABLES): a save inserts events, and the triggers keep the derived counts in the
  same transaction, running as the role that saved;
- INSERT and UPDATE (no DELETE) on MANAGED_TABLES (`areas`): an admin adds or replaces named
  areas from the page (docs/teams.md, "Sign-in and roles"); none is removed from the page.
  An editor's drawn area (PostgisStore.save_drawn_area, migration 0010's saved_by and
  saved_at) needs nothing more: an INSERT into `areas` and an UPDATE of the tags of the
  `events` it reaches (with the derived tables), both granted above, and TEMPORARY for the
  staged tags; that a drawing never replaces a stored area is the store's rule
  (INSERT … ON CONFLICT DO NOTHING), since the admin's replacing needs UPDATE on the table;
- INSERT (and SELECT) only on APPEND_ONLY tables (the revision history, `event_revisions`,
  when its migration is there): history is added to, never rewritten;
- TEMPORARY on the database: a save stages its rows in a temporary table;
- no CREATE on the schema (no DDL: no table, view or function of its own), no TRUNCATE, no
  ownership of anything (only an owner may ALTER or DROP), not a superuser, no CREATEDB,
  CREATEROLE, REPLICATION or BYPASSRLS.

Why grants on the derived tables rather than SECURITY DEFINER trigger functions: the triggers
already run in the saving transaction, and making them run as the owner would need a new
migration of every trigger function (and a fixed search_path in each) for no narrower result:
a role that may write `events` decides the derived tables' content anyway, since they are
computed from it.

Tables added by later migrations: the owner's default privileges give ROLE SELECT on them at
once; what it may write is set by running the command again after `init` (`init --app-role`
does both). The grants are made afresh each time (REVOKE ALL, then GRANT), so a table that
leaves DERIVED_TABLES loses its write rights too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
from psycopg import sql

# The table the dashboard writes when an analyst saves, corrects or retracts an event.
WRITTEN_TABLES = ("events",)
# The tables the statement triggers on `events` write (migrations 0001-0003, 0007): the
# grouped counts, the map's points and cells, the per-month cells and the store's version.
DERIVED_TABLES = (
    "nation_sets",
    "zone_sets",
    "event_points",
    "event_cells",
    "event_groups",
    "nation_cells",
    "cell_months",
    "store_state",
)
# Tables an admin adds rows to or replaces rows of on the page, never empties: named areas
# (and an editor's drawn areas, added only).
MANAGED_TABLES = ("areas",)
# Tables the app may add rows to and read, never change: the audit trail.
APPEND_ONLY = ("event_revisions",)


class GrantError(RuntimeError):
    """The role cannot be made the app's role (it owns the store, or no schema yet, …)."""


@dataclass
class Granted:
    """What `grant_app_role` did: the role, whether it was created now, and the tables by the
    rights given (table names, sorted)."""

    role: str
    created: bool
    read_only: list[str] = field(default_factory=list)
    read_write: list[str] = field(default_factory=list)
    append_only: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        made = "created" if self.created else "updated"
        parts = [f"{len(self.read_write)} tables read and written ({', '.join(self.read_write)})"]
        if self.append_only:
            parts.append(f"{len(self.append_only)} append-only ({', '.join(self.append_only)})")
        parts.append(f"{len(self.read_only)} read only")
        return f"Role {self.role} {made}: " + "; ".join(parts) + "; no DDL, no TRUNCATE."


def grant_app_role(
    connection: psycopg.Connection, role: str, password: str | None = None
) -> Granted:
    """Make `role` the dashboard's least-privilege LOGIN role on the store `connection` is
    connected to (as the owner of its tables); in one transaction. `password`, when given,
    becomes the role's password (otherwise an existing one is kept, a new role has none:
    certificate or peer authentication, or set one later).

    Raises GrantError when the store has no schema yet, the connected user does not own the
    store's tables, or `role` is a superuser, owns the store or is a member of its owner;
    psycopg.Error when the connected user may not create roles.
    """
    with connection.transaction():
        schema, owner = _store_owner(connection)
        if not connection.execute(
            "SELECT pg_has_role(current_user, %s, 'USAGE')", (owner,)
        ).fetchone()[0]:
            raise GrantError(
                f"run this as the owner of the store's tables ({owner}), who runs init and import"
            )
        created = _ensure_login_role(connection, role, owner)
        if password is not None:
            connection.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(password)
                )
            )
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
                (schema,),
            )
        ]
        granted = Granted(role, created)
        who, where = sql.Identifier(role), sql.Identifier(schema)
        statements = [
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(connection.info.dbname), who
            ),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(where, who),
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(where, who),
            # PostgreSQL before 15 let every role create in public; the store's schema is for
            # its owner's migrations only.
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(where),
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(where, who),
            sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(where, who),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(where, who),
            # A serial column's default (nextval) in a table the role adds rows to.
            sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(where, who),
            # Tables a later migration adds are readable at once; writes need this run again.
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT ON TABLES TO {}"
            ).format(sql.Identifier(owner), where, who),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE ON SEQUENCES TO {}"
            ).format(sql.Identifier(owner), where, who),
        ]
        for table in tables:
            name = sql.Identifier(schema, table)
            if table in WRITTEN_TABLES or table in DERIVED_TABLES:
                statements.append(
                    sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(name, who)
                )
                granted.read_write.append(table)
            elif table in MANAGED_TABLES:
                statements.append(sql.SQL("GRANT INSERT, UPDATE ON {} TO {}").format(name, who))
                granted.read_write.append(table)
            elif table in APPEND_ONLY:
                statements.append(sql.SQL("GRANT INSERT ON {} TO {}").format(name, who))
                granted.append_only.append(table)
            else:
                granted.read_only.append(table)
        for statement in statements:
            connection.execute(statement)
    return granted


def _store_owner(connection: psycopg.Connection) -> tuple[str, str]:
    """(schema, owner) of the store's `events` table as the connection's search_path finds it;
    GrantError when there is none."""
    row = connection.execute(
        "SELECT n.nspname, pg_get_userbyid(c.relowner) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.oid = to_regclass('events')"
    ).fetchone()
    if row is None:
        raise GrantError("the database has no store schema yet: run python -m layers.db init")
    return row


def _ensure_login_role(connection: psycopg.Connection, role: str, owner: str) -> bool:
    """Create `role` or take back any right beyond logging in; True when created now."""
    row = connection.execute(
        "SELECT rolsuper, pg_has_role(oid, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        (owner, role),
    ).fetchone()
    attributes = sql.SQL(
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
    )
    if row is None:
        connection.execute(sql.SQL("CREATE ROLE {} ").format(sql.Identifier(role)) + attributes)
        return True
    superuser, member_of_owner = row
    if superuser or member_of_owner:
        # An owner's role (or one that holds its rights) cannot be cut down to the app's
        # without cutting down the owner: refuse rather than half-do it.
        raise GrantError(
            f"{role} is a superuser, the store's owner or shares its rights: choose a role of "
            "its own for the dashboard (e.g. dashboard_app)"
        )
    connection.execute(sql.SQL("ALTER ROLE {} ").format(sql.Identifier(role)) + attributes)
    return False
