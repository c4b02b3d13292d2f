"""Drawn areas saved for the team in the shared store (issue 26, "Keep"): who saved one and
when, its events tagged (and only its), a colleague's or a named area never overwritten, and
who and when kept through `export` and `import`. On the throwaway PostGIS cluster
(tests/postgres.py)."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pytest
import shapely
from conftest import collection, event, small_dataset, write_geodata

from layers.read.load import load_geodata
from layers.store.postgis import AreaExists, InvalidArea, PostgisStore
from layers.view import View

# Events off Yonaguni: one exactly placed inside the box drawn below, one known to 30 km just
# outside it (possibly in), one far away (never touched).
NEAR_YONAGUNI = collection(
    event(
        "yonaguni-patrol",
        title="PLA Navy destroyer off Yonaguni",
        nations=["CHN"],
        location_precision_km=None,
        geometry={"type": "Point", "coordinates": [123.0, 24.45]},
    ),
    event(
        "yonaguni-vague",
        title="Sighting somewhere west of Yonaguni",
        nations=["CHN"],
        location_precision_km=30,
        geometry={"type": "Point", "coordinates": [122.6, 24.45]},
    ),
)


def drawn(area_id: str = "yonaguni-box", west=122.8, south=24.3, east=123.2, north=24.6):
    """A drawn area as the loader's areas table has it (one row): a box, lon/lat degrees."""
    return gpd.GeoDataFrame(
        {
            "id": [area_id],
            "name": ["Box off Yonaguni"],
            "alt_names": [[]],
            "kind": ["island_waters"],
            "note": ["Drawn on the map"],
            "default_visible": [True],
            "file": ["drawn"],
        },
        geometry=[shapely.box(west, south, east, north)],
        crs="EPSG:4326",
    )


@pytest.fixture
def store(events_db, tmp_path):
    root = small_dataset(tmp_path / "data")
    write_geodata(root, {"yonaguni.geojson": NEAR_YONAGUNI})
    with PostgisStore(events_db, max_connections=2) as opened:
        opened.import_geodata(load_geodata(root), actor="importer")
        yield opened


def tags(store) -> dict[str, tuple]:
    with store.connection() as connection:
        rows = connection.execute("SELECT id, zones_in, zones_possibly, saved_at FROM events")
        return {row[0]: tuple(row[1:]) for row in rows}


def server_now(store) -> dt.datetime:
    with store.connection() as connection:
        return connection.execute("SELECT clock_timestamp()").fetchone()[0]


def test_a_saved_drawn_area_records_who_and_when_and_tags_only_its_events(store):
    before = tags(store)
    started = server_now(store)
    saved = store.save_drawn_area(drawn(), "eddie@example.org")
    assert saved.ids == ["yonaguni-box"]
    assert saved.saved_by == "eddie@example.org"
    assert started <= saved.saved_at <= server_now(store)
    assert saved.tagged == 2

    areas = store.areas().set_index("id")
    assert areas.loc["yonaguni-box", "saved_by"] == "eddie@example.org"
    assert areas.loc["yonaguni-box", "saved_at"] == saved.saved_at
    # A named area from a file was saved by nobody from the page.
    assert areas.loc["boso-south-waters", "saved_by"] is None
    assert areas.loc["boso-south-waters", "saved_at"] is None
    # Drawn areas come after the named ones (layer list and tag order).
    assert list(store.areas()["id"]) == ["boso-south-waters", "yonaguni-box"]

    # The zones filter finds the event in the box, and the vague one only with "possibly".
    inside = store.table(View(zones=("yonaguni-box",)), 100)
    assert list(inside["id"]) == ["yonaguni-patrol"]
    maybe = store.table(View(zones=("yonaguni-box",), possibly=True), 100)
    assert sorted(maybe["id"]) == ["yonaguni-patrol", "yonaguni-vague"]

    # The other events were not rewritten: the same tags, not even touched (saved_at).
    after = tags(store)
    for event_id in ("boso", "ccg-senkaku", "strait-transit"):
        assert after[event_id] == before[event_id]
    # What was tagged is what a full retag would tag: nothing is left for it to change.
    assert store.retag() == 0


def test_a_second_save_of_the_same_id_is_refused_naming_who_and_when(store):
    first = store.save_drawn_area(drawn(), "eddie@example.org")
    with pytest.raises(AreaExists) as refused:
        store.save_drawn_area(drawn(west=123.5, east=124.0), "erin@example.org")
    line = str(refused.value)
    assert "\n" not in line
    assert '"yonaguni-box"' in line
    assert "eddie@example.org" in line
    assert f"{first.saved_at:%Y-%m-%d %H:%M} UTC" in line
    kept = store.areas().set_index("id").loc["yonaguni-box"]
    assert kept["saved_by"] == "eddie@example.org"
    assert kept.geometry.equals(shapely.box(122.8, 24.3, 123.2, 24.6))

    # A named area is never overwritten by a drawing either, and a save of several areas
    # with one clash saves none of them.
    both = gpd.GeoDataFrame(
        gpd.pd.concat([drawn("yonaguni-north", north=24.9), drawn("boso-south-waters")]),
        crs="EPSG:4326",
    )
    with pytest.raises(AreaExists, match=r"boso-south-waters.*a named area from areas/"):
        store.save_drawn_area(both, "erin@example.org")
    areas = store.areas()
    assert "yonaguni-north" not in set(areas["id"])
    assert areas.set_index("id").loc["boso-south-waters", "name"] != "Box off Yonaguni"


def test_a_drawn_area_that_cannot_be_stored_or_has_no_actor_is_refused(store):
    with pytest.raises(InvalidArea, match="actor"):
        store.save_drawn_area(drawn(), "  ")
    with pytest.raises(InvalidArea, match=r'"Bad id": id'):
        store.save_drawn_area(drawn("Bad id"), "eddie@example.org")
    assert "yonaguni-box" not in set(store.areas()["id"])


def test_who_and_when_survive_export_and_import(store, postgres_cluster, tmp_path):
    from postgres import fresh_database

    saved = store.save_drawn_area(drawn(), "eddie@example.org")
    store.export(tmp_path / "out")
    exported = load_geodata(tmp_path / "out")
    assert not [p for p in exported.problems if "saved" in (p.field or "")]
    row = exported.areas.set_index("id").loc["yonaguni-box"]
    assert (row["saved_by"], row["saved_at"]) == ("eddie@example.org", saved.saved_at)
    features = json.loads(next((tmp_path / "out" / "areas").glob("drawn*.geojson")).read_text())
    assert features["features"][0]["properties"]["saved_by"] == "eddie@example.org"

    url, template = postgres_cluster
    with fresh_database(url, template) as database, PostgisStore(database) as other:
        other.import_geodata(exported, actor="restorer")
        areas = other.areas().set_index("id")
        assert areas.loc["yonaguni-box", "saved_by"] == "eddie@example.org"
        assert areas.loc["yonaguni-box", "saved_at"] == saved.saved_at
        assert areas.loc["boso-south-waters", "saved_by"] is None
        assert list(other.table(View(zones=("yonaguni-box",)), 10)["id"]) == ["yonaguni-patrol"]


def test_areas_stored_before_migration_0010_were_saved_by_nobody(postgres_cluster, tmp_path):
    import psycopg
    from postgres import database_url

    from layers.store.migrations import MIGRATIONS_DIR, migrate

    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("000[1-9]_*.sql")):
        (folder / path.name).write_text(path.read_text())
    url, _ = postgres_cluster
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE before_saved_areas")
    older = database_url(url, "before_saved_areas")
    with psycopg.connect(older, autocommit=True) as connection:
        migrate(connection, folder)
        connection.execute(
            "INSERT INTO areas (id, name, kind, file, position, geom) VALUES ('old-bay', "
            "'Old bay', 'bay', 'areas/a.geojson', 0, ST_MakeEnvelope(139, 34, 140, 35, 4326))"
        )
    with PostgisStore(older) as store:
        assert store.init() == ["0010_area_saved_by", "0011_area_names"]
        old = store.areas().set_index("id").loc["old-bay"]
        assert (old["saved_by"], old["saved_at"]) == (None, None)


def test_a_save_while_the_store_cannot_answer_is_unavailable_and_saves_nothing(store, events_db):
    import threading

    import psycopg

    from layers.store.postgis import StoreTimeouts, StoreUnavailable

    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        # What a long migration or an operator's maintenance holds: every reader waits.
        with psycopg.connect(events_db) as holder:
            holder.execute("LOCK TABLE areas IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(60)

    holder = threading.Thread(target=hold_lock)
    timeouts = StoreTimeouts.from_env({"EVENTS_DB_LOCK_TIMEOUT": "1"})
    with PostgisStore(events_db, timeouts=timeouts) as impatient:
        holder.start()
        try:
            assert locked.wait(30)
            with pytest.raises(StoreUnavailable, match="waited more than 1 s for a lock"):
                impatient.save_drawn_area(drawn(), "eddie@example.org")
        finally:
            release.set()
            holder.join()
    assert "yonaguni-box" not in set(store.areas()["id"])
    assert store.table(View(zones=("yonaguni-box",)), 10).empty
