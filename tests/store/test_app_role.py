"""The dashboard's own database role (`python -m layers.db grant-app ROLE`): a save works as
that role, and nothing else it could be made to run changes the schema, empties a table or
rewrites the history. Run against the throwaway PostgreSQL cluster (tests/postgres.py), as an
operator would: the owner runs init and grant-app, the dashboard connects as the role."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from conftest import REPO, area, collection, event, small_dataset

from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore

# What a role without the right is told (SQLSTATE 42501 insufficient_privilege, or 42501's
# "must be owner" for ALTER and DROP).
REFUSED = psycopg.errors.InsufficientPrivilege


def db(*args, url, env=None):
    environment = {key: value for key, value in os.environ.items() if key != "EVENTS_DB"}
    environment |= env or {}
    command = [sys.executable, "-m", "layers.db", "--db", url, *args]
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True)


def as_role(url: str, role: str) -> str:
    """The same database's URL for another user (the cluster trusts loopback logins)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}"))


@pytest.fixture
def app_url(events_db):
    """The URL the dashboard uses: a fresh role made the app's by grant-app, as the owner."""
    role = f"dashboard_app_{uuid.uuid4().hex[:8]}"
    granted = db("grant-app", role, url=events_db)
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout.startswith(f"Role {role} created: ")
    return as_role(events_db, role)


def test_the_app_role_saves_corrects_and_retracts_with_history(app_url, tmp_path):
    geodata = load_geodata(small_dataset(tmp_path / "data"))
    with PostgisStore(app_url, max_connections=2) as store:
        before = store.version()
        result = store.write_events(geodata.events, file="saved: analyst upload", actor="ana")
        assert sorted(result.added) == sorted(geodata.events["id"])
        # The statement triggers ran as the app's role: the counts and the version moved.
        assert store.summary().total == len(geodata.events)
        assert store.version() != before
        with store.connection() as connection:
            groups = connection.execute("SELECT sum(events) FROM event_groups").fetchone()[0]
            assert groups == len(geodata.events)
        # A correction and a retraction (history, migration 0009), each a revision.
        corrected = event("boso", title="JCG and Taiwan CGA joint drill")
        store.correct_event("boso", corrected, 1, "ana", "the drill's own name")
        store.retract_event("ccg-senkaku", 1, "ana", "a duplicate of another report")
        assert store.summary().total == len(geodata.events) - 1
        actions = [revision.action for revision in store.history("boso")]
        assert actions == ["saved", "corrected"]
        assert [r.action for r in store.history("ccg-senkaku")] == ["saved", "retracted"]


# Each is a change a hijacked or buggy dashboard might try; each is refused.
FORBIDDEN = [
    "CREATE TABLE notes (text text)",
    "CREATE VIEW every_event AS SELECT * FROM events",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "CREATE SCHEMA elsewhere",
    "DROP TABLE events",
    "TRUNCATE events",
    "ALTER TABLE events ADD COLUMN note text",
    "ALTER TABLE events DISABLE TRIGGER USER",
    "CREATE INDEX events_title ON events (title)",
    "UPDATE schema_migrations SET checksum = 'x'",
    "DELETE FROM areas",
    "CREATE ROLE intruder LOGIN",
    "ALTER ROLE current_user CREATEDB",
]


def test_the_app_role_cannot_change_the_schema_or_empty_a_table(app_url):
    allowed = []
    for statement in FORBIDDEN:
        with psycopg.connect(app_url, autocommit=True) as connection:
            try:
                connection.execute(statement)
            except REFUSED:
                continue
            allowed.append(statement)
    assert allowed == []


def test_the_history_is_append_only_for_the_app(events_db):
    # event_revisions (migration 0009): the app adds revisions and reads them, nothing more.
    role = f"dashboard_app_{uuid.uuid4().hex[:8]}"
    first = db("init", "--app-role", role, url=events_db)
    assert first.returncode == 0, first.stderr
    assert "append-only (event_revisions)" in first.stdout
    app = as_role(events_db, role)
    with psycopg.connect(app) as connection:
        rights = connection.execute(
            "SELECT has_table_privilege('event_revisions', 'INSERT'), "
            "has_table_privilege('event_revisions', 'SELECT')"
        ).fetchone()
        assert rights == (True, True)
    for statement in [
        "UPDATE event_revisions SET reason = ''",
        "DELETE FROM event_revisions",
        "TRUNCATE event_revisions",
        "DROP TABLE event_revisions",
        "ALTER TABLE event_revisions DISABLE TRIGGER ALL",
    ]:
        with psycopg.connect(app) as connection, pytest.raises(REFUSED):
            connection.execute(statement)


def test_a_table_a_later_migration_adds_is_readable_at_once_and_writable_by_no_one_unasked(
    app_url, events_db
):
    with psycopg.connect(events_db, autocommit=True) as owner:
        owner.execute("CREATE TABLE later_things (id int)")
        owner.execute("INSERT INTO later_things VALUES (1)")
    with psycopg.connect(app_url) as connection:
        assert connection.execute("SELECT id FROM later_things").fetchall() == [(1,)]
        with pytest.raises(REFUSED):
            connection.execute("INSERT INTO later_things VALUES (2)")


def test_grant_app_refuses_the_owner_and_a_store_without_schema(events_db, postgres_cluster):
    owner = urlsplit(events_db).username
    refused = db("grant-app", owner, url=events_db)
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"Events database: {owner} is a superuser, the store's")
    assert "Traceback" not in refused.stderr
    cluster_url, _ = postgres_cluster
    empty = db("grant-app", "dashboard_app", url=cluster_url)  # the bare postgres database
    assert empty.returncode == 2
    assert "no store schema yet: run python -m layers.db init" in empty.stderr


def test_running_it_again_takes_back_rights_given_by_hand_and_sets_the_password(app_url, events_db):
    role = urlsplit(app_url).username
    with psycopg.connect(events_db, autocommit=True) as owner:
        owner.execute(f'GRANT TRUNCATE, DELETE ON areas, schema_migrations TO "{role}"')
        owner.execute(f'ALTER ROLE "{role}" CREATEDB')
    secret = "correct horse battery staple"
    again = db("grant-app", role, url=events_db, env={"EVENTS_APP_PASSWORD": secret})
    assert again.returncode == 0 and again.stdout.startswith(f"Role {role} updated: ")
    assert secret not in again.stdout + again.stderr
    with psycopg.connect(events_db) as owner:
        stored = owner.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)
        ).fetchone()[0]
        assert stored and stored.startswith("SCRAM-SHA-256$")  # hashed, never kept as given
    with psycopg.connect(app_url) as connection, pytest.raises(REFUSED):
        connection.execute("TRUNCATE areas")
    with psycopg.connect(app_url, autocommit=True) as connection, pytest.raises(REFUSED):
        connection.execute("CREATE DATABASE other")


def test_the_app_role_saves_as_an_editor_and_adds_areas_as_an_admin(app_url, events_db, tmp_path):
    """What the page writes for a signed-in editor (a save, with its actor) and an admin
    (named areas, then the events' zones again) is allowed to the app's role. The page's
    buttons themselves are tests/test_browser_team.py (they need a signed-in analyst)."""
    from layers.read.load import AREAS_SUBDIR, check_file
    from layers.read.upload import read_upload

    with PostgisStore(events_db) as owner:
        owner.import_geodata(load_geodata(small_dataset(tmp_path / "geodata")))
    sighting = (
        "id,title,kind,start,end,nations,lat,lon,source_title\n"
        "my-sighting,Sighting off Yonaguni,incident,2024-06-05,,CHN,24.4,123.0,Team log\n"
    )
    upload = read_upload("log.csv", sighting.encode(), {}, set())
    shoal = area("scarborough-shoal", name="Scarborough Shoal", kind="island_waters")
    areas = check_file(json.dumps(collection(shoal)).encode(), "areas/s.geojson", AREAS_SUBDIR)
    with PostgisStore(app_url) as app:
        result = app.write_events(upload.events, file="events/log.geojson", actor="ana")
        assert result.added == ["my-sighting"]
        assert app.write_areas(areas.table) == (1, 0)
        app.retag()
    with PostgisStore(events_db) as owner:
        assert owner.summary().total == 4
        assert [(r.action, r.actor) for r in owner.history("my-sighting")] == [("saved", "ana")]
        assert "scarborough-shoal" in set(owner.areas()["id"])


def test_the_app_role_saves_a_drawn_area_but_cannot_change_or_drop_areas(app_url, tmp_path):
    import geopandas as gpd
    import shapely

    drawn = gpd.GeoDataFrame(
        {
            "id": ["drawn-box"],
            "name": ["Box off Boso"],
            "alt_names": [[]],
            "kind": ["coastal_waters"],
            "note": [""],
            "default_visible": [True],
            "file": ["drawn"],
        },
        geometry=[shapely.box(139.7, 34.7, 139.9, 34.9)],
        crs="EPSG:4326",
    )
    geodata = load_geodata(small_dataset(tmp_path / "data"))
    with PostgisStore(app_url, max_connections=2) as store:
        store.write_events(geodata.events, actor="ana")
        # Migration 0010's columns and the events' tags, written as the app's role.
        saved = store.save_drawn_area(drawn, "ana")
        assert saved.saved_by == "ana" and saved.tagged == 1
        assert store.areas().set_index("id").loc["drawn-box", "saved_by"] == "ana"
    refused = []
    for statement in [
        "DROP TABLE areas",
        "ALTER TABLE areas DROP COLUMN saved_by",
        "ALTER TABLE areas DROP CONSTRAINT areas_saved_by_and_at",
        "ALTER TABLE areas DISABLE TRIGGER USER",
        "DELETE FROM areas WHERE id = 'drawn-box'",
        "TRUNCATE areas",
    ]:
        with psycopg.connect(app_url, autocommit=True) as connection:
            try:
                connection.execute(statement)
            except REFUSED:
                refused.append(statement)
    assert len(refused) == 6, refused
