"""The shared PostGIS store against a real server (a throwaway cluster, tests/postgres.py).

Every answer the dashboard gets from the store is checked against what the files path computes
in memory from the same validated events (layers/filters.py, layers/aggregate.py): the same
events for every filter, the same counts per month and per map cell.
"""

from __future__ import annotations

import json
import random
import threading
import time

import numpy as np
import pandas as pd
import psycopg
import pytest
from conftest import REPO, collection, event, write_geodata
from postgres import database_url, fresh_database

import layers.store.postgis
from layers.aggregate import clusters, display_positions, in_window, map_window
from layers.analysis.zones import zone_tags
from layers.dates import month_span
from layers.filters import data_months, events_by_month, filter_events, monthly_counts
from layers.map.data import to_pacific_frame
from layers.read.load import load_geodata
from layers.read.schema import KINDS
from layers.store.migrations import MIGRATIONS_DIR, MigrationError, migrate
from layers.store.postgis import PostgisStore, StoreError, saved_file, window_boxes
from layers.view import View

AREAS = json.loads((REPO / "geodata/areas/senkaku.geojson").read_text())
REGIONS = json.loads((REPO / "geodata/areas/regions.geojson").read_text())
NATIONS = ["JPN", "TWN", "CHN", "USA", "PHL", "KOR", "AUS"]
# Positions that exercise the frame: the Senkakus' zones, the Taiwan Strait, Tokyo Bay,
# Hawaii (west of 180°: drawn at +360°) and a point near 180°.
PLACES = [(123.52, 25.75), (123.3, 25.9), (120.0, 24.4), (139.8, 35.4), (-157.9, 21.3), (179.0, 30)]
DATES = ["2024-05", "2024-06-10", "2024", "2023-12-30", "2024-07-18", "2024-02-29", "2025-01"]


def varied_events(count: int, seed: int = 3) -> list[dict]:
    """Events of every date precision (day, month, year), spans across months and years,
    one to three nations, points, lines (one crossing 180°) and boxes, with uncertainty."""
    rng = random.Random(seed)
    features = []
    for number in range(count):
        lon, lat = rng.choice(PLACES)
        lon, lat = lon + rng.uniform(-0.3, 0.3), lat + rng.uniform(-0.3, 0.3)
        lon = max(-179.0, min(179.5, lon))
        start = rng.choice(DATES)
        end = rng.choice([None, None, "2024-09", "2024-12-31", "2025"])
        if end is not None and end < start:
            end = None
        shape = rng.choice(["point", "point", "line", "box", "dateline"])
        if shape == "point":
            geometry = {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]}
        elif shape == "line":
            geometry = {
                "type": "LineString",
                "coordinates": [[round(lon, 3), round(lat, 3)], [round(lon - 2, 3), lat - 1.5]],
            }
        elif shape == "box":
            west, south = round(lon, 3), round(lat, 3)
            ring = [[west, south], [west + 0.4, south], [west + 0.4, south + 0.3]]
            ring += [[west, south + 0.3], [west, south]]
            geometry = {"type": "Polygon", "coordinates": [ring]}
        else:  # a transit across the antimeridian, cut there (RFC 7946 §3.1.9)
            geometry = {
                "type": "MultiLineString",
                "coordinates": [[[178.0, 30.0], [180.0, 30.5]], [[-180.0, 30.5], [-178.0, 31.0]]],
            }
        features.append(
            event(
                f"ev-{number:04d}",
                title=f"Event {number}",
                kind=rng.choice(KINDS),
                start=start,
                end=end,
                nations=sorted(rng.sample(NATIONS, rng.choice([1, 1, 2, 3]))),
                location_precision_km=rng.choice([None, 1, 15, 40]),
                geometry=geometry,
            )
        )
    return features


@pytest.fixture
def store(events_db):
    with PostgisStore(events_db) as opened:
        yield opened


@pytest.fixture(scope="module")
def loaded(postgres_cluster, tmp_path_factory):
    """(a store holding 400 varied events and the repository's areas, the same data loaded in
    memory with its zone tags); shared by the tests that only read."""
    root = write_geodata(
        tmp_path_factory.mktemp("varied"),
        {"varied.geojson": collection(*varied_events(400))},
        {"senkaku.geojson": AREAS, "regions.geojson": REGIONS},
    )
    geodata = load_geodata(root)
    assert geodata.problems == []
    with fresh_database(*postgres_cluster) as url, PostgisStore(url) as store:
        result = store.import_geodata(geodata)
        assert result.problems == [] and len(result.added) == len(geodata.events)
        geodata.events["zones"] = zone_tags(geodata.events, geodata.areas)
        yield store, geodata


VIEWS = [
    View(),
    View(start="2024-09", end="2024-09"),  # only long events reach September
    View(start="2024-06"),
    View(end="2024-01"),
    View(nations=("JPN",)),
    View(nations=("JPN", "TWN"), match="any"),
    View(nations=("JPN", "TWN"), match="all"),
    View(nations=("CHN", "PHL", "USA"), match="all"),
    View(kinds=("transit", "incident")),
    View(zones=("senkaku-territorial-sea",)),
    View(zones=("senkaku-territorial-sea", "taiwan-strait-median-line"), possibly=True),
    View(start="2024-05", end="2024-07", nations=("CHN",), kinds=("incident", "patrol")),
]


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.to_query() and repr(view.to_query()))
def test_every_filter_selects_the_events_the_files_path_shows(loaded, view):
    store, geodata = loaded
    expected = filter_events(geodata.events, view)
    months = data_months(geodata.events)
    table = store.table(view, limit=10_000)
    assert list(table["id"]) == list(expected["id"])  # same events, same date order
    shown = store.shown(view, months)
    assert shown.count == len(expected)
    by_month = events_by_month(expected, months)
    assert shown.month_counts == {month: len(index) for month, index in by_month.items()}


def test_a_deployment_shows_in_every_month_it_overlaps(store, tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event("deployment", kind="deployment", start="2024-06", end="2024-12"),
                event("june-day", start="2024-06-10"),
                event("year-only", start="2024"),
            )
        },
    )
    store.import_geodata(load_geodata(root))
    september = View(start="2024-09", end="2024-09")
    assert set(store.table(september, 10)["id"]) == {"deployment", "year-only"}
    july = store.table(View(start="2024-07", end="2024-07"), 10)
    assert list(july["id"]) == ["year-only", "deployment"]  # date order: 2024-01-01 first
    stored = store.events(["year-only"]).iloc[0]
    # The precision is kept: a year stays a year, no day is invented.
    assert (stored["start_text"], stored["end_text"]) == ("2024", "")
    assert str(stored["start"].date()) == "2024-01-01" and str(stored["end"].date()) == "2024-12-31"


def test_nations_any_and_all(store, tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "e.geojson": collection(
                event("both", nations=["JPN", "TWN"]),
                event("japan", nations=["JPN"]),
                event("three", nations=["JPN", "TWN", "USA"]),
                event("china", nations=["CHN"]),
            )
        },
    )
    store.import_geodata(load_geodata(root))
    pair = ("JPN", "TWN")
    assert set(store.table(View(nations=pair), 10)["id"]) == {"both", "japan", "three"}
    assert set(store.table(View(nations=pair, match="all"), 10)["id"]) == {"both", "three"}
    assert store.shown(View(nations=("USA", "CHN"), match="all"), []).count == 0


def test_zones_are_tagged_when_stored_and_filter_with_possibly(loaded):
    store, geodata = loaded
    stored = store.table(View(), 10_000).set_index("id")["zones"]
    expected = geodata.events.set_index("id")["zones"]
    assert stored.to_dict() == expected.loc[stored.index].to_dict()
    assert any(tags for tags in stored)  # the data does reach the zones
    summary = store.summary()
    in_memory_zones = {area for tags in expected for area, _ in tags}
    assert set(summary.zone_areas) == in_memory_zones


def window_ids(geodata, window) -> set[str]:
    positions = display_positions(geodata.events, to_pacific_frame(geodata.events.geometry.values))
    return set(geodata.events.loc[in_window(positions, window).to_numpy(), "id"])


@pytest.mark.parametrize(
    ("zoom", "center"),
    [
        (4, (27.0, 130.0)),
        (7, (25.8, 123.5)),
        (6, (21.3, 202.1)),
        (5, (30.0, 180.0)),
        (2, (20, 150)),
    ],
    ids=["region", "senkakus", "hawaii-beyond-180", "antimeridian", "world"],
)
def test_the_viewport_finds_the_events_the_map_window_touches(loaded, zoom, center):
    store, geodata = loaded
    window = map_window(zoom, center=center)
    found = store.in_window(View(), window, limit=10_000)
    expected = window_ids(geodata, window)
    # The store tests the stored geometry's box (EPSG:4326, split at 180°); the file path the
    # box in the map's frame. They agree except for a line cut at 180°, whose 4326 box spans
    # the globe: the store may also send it, never miss one.
    extra = set(found["id"]) - expected
    assert expected <= set(found["id"])
    assert all(
        geodata.events.set_index("id").loc[event_id].geometry.geom_type == "MultiLineString"
        for event_id in extra
    )
    if zoom >= 6:
        assert len(found) < len(geodata.events)  # a window narrows


def test_window_boxes_cover_both_sides_of_the_antimeridian():
    window = map_window(5, center=(30.0, 180.0))
    boxes = window_boxes(window)
    assert [box[0] < 0 for box in boxes] == [False, True]
    assert boxes[0][2] == 180.0 and boxes[1][0] == -180.0


def test_more_events_in_the_window_than_the_limit_asks_for_cells(loaded):
    store, _ = loaded
    assert store.in_window(View(), map_window(4, center=(27.0, 130.0)), limit=50) is None


@pytest.mark.parametrize(
    ("view", "zoom", "center"),
    [
        (View(), 4, (27.0, 130.0)),  # counted when stored (cell_months)
        (View(), 7, (25.8, 123.5)),
        (View(), 9, (25.8, 123.5)),  # counted now (event_points)
        (View(kinds=("patrol", "incident")), 4, (27.0, 130.0)),  # event_cells
        (View(nations=("JPN", "TWN"), match="all"), 5, (25.0, 125.0)),
        # Counted when stored by nation set (nation_cells), summed to zoom 3 and 2 cells.
        (View(nations=("JPN", "TWN"), match="all"), 4, (27.0, 130.0)),
        (View(nations=("CHN", "USA")), 3, (25, 150)),
        (View(nations=("JPN",), start="2024-06", end="2024-12"), 2, (20, 150)),
        (View(start="2024-06", end="2024-12"), 2, (20, 150)),
        (
            View(start="2024-06", end="2024-12", kinds=("patrol", "exercise", "transit")),
            3,
            (25, 150),
        ),
    ],
)
def test_cells_count_what_the_in_memory_clusters_count(loaded, view, zoom, center):
    store, geodata = loaded
    window = map_window(zoom, center=center)
    months = data_months(geodata.events)
    if view.start:
        months = month_span(view.start, view.end)
    filtered = filter_events(geodata.events, view)
    positions = display_positions(filtered, to_pacific_frame(filtered.geometry.values))
    # Counted where the map places them: the events in the grid cells touching the window.
    size = window.cell_degrees()
    cx, cy = np.floor(positions["x"] / size), np.floor(positions["y"] / size)
    inside = cx.between(np.floor(window.west / size), np.floor(window.east / size)) & cy.between(
        np.floor(window.south / size), np.floor(window.north / size)
    )
    drawn = filtered.index[inside.to_numpy()]
    members = events_by_month(filtered.loc[drawn], months)
    rows = np.concatenate([index.to_numpy() for index in members.values()])
    groups = np.repeat(list(members), [len(index) for index in members.values()])
    expected = clusters(positions.loc[rows], filtered["kind"], window, groups=pd.Series(groups))
    expected = expected.reindex(columns=["group", "cx", "cy", "x", "y", "n", *KINDS]).fillna(0)
    found = store.cells(view, window, months)
    key = ["group", "cx", "cy"]
    expected = expected.sort_values(key, ignore_index=True)
    found = found.sort_values(key, ignore_index=True)
    assert len(found) > 0
    assert (
        found[[*key, "n", *KINDS]]
        .astype("int64", errors="ignore")
        .equals(
            expected[[*key, "n", *KINDS]].astype(
                {name: "int64" for name in ["cx", "cy", "n", *KINDS]}
            )
        )
    )
    assert np.allclose(found[["x", "y"]], expected[["x", "y"]])
    # The count that decides between events one by one and cells: each event once.
    assert store.count_in_window(view, window, 10_000, months) == len(drawn)
    assert store.count_in_window(view, window, 10_000) == len(drawn)
    assert store.count_in_window(view, window, 5, months) == 6  # "more than 5"


def slow_reads(store, monkeypatch, seconds: float = 0.3) -> tuple[list[str], threading.Event]:
    """Make the store's three ways of reading cells slow, so two callers overlap; returns the
    list each read is logged in and an event set when the first read begins."""
    reads: list[str] = []
    begun = threading.Event()
    for name in ("_cell_months", "_read_counted_cells", "_point_cells"):
        original = getattr(store, name)

        def slow(*args, original=original, name=name):
            reads.append(name)
            begun.set()
            time.sleep(seconds)
            return original(*args)

        monkeypatch.setattr(store, name, slow)
    return reads, begun


@pytest.mark.parametrize(
    ("view", "zoom"),
    [
        (View(), 4),  # cell_months
        (View(nations=("JPN", "TWN")), 4),  # nation_cells
        (View(kinds=("patrol", "incident")), 4),  # event_cells
    ],
)
def test_the_map_takes_the_prefetched_cells_and_the_database_is_asked_once(
    loaded, monkeypatch, view, zoom
):
    store, geodata = loaded
    months = data_months(geodata.events)
    window = map_window(zoom, center=(27.0, 130.0) if zoom == 4 else (25.8, 123.5))
    store._cells_cache.clear()
    expected = store.cells(view, window, months)
    store._cells_cache.clear()
    reads, begun = slow_reads(store, monkeypatch)
    prefetched = store.prefetch_cells(view, window, months)
    assert begun.wait(10)  # the prefetch is reading now
    found = store.cells(view, window, months)
    assert len(reads) == 1
    assert prefetched.result() is found
    pd.testing.assert_frame_equal(found, expected)
    assert len(found) > 0


def test_counting_event_points_is_left_to_the_map(loaded, monkeypatch):
    """At zoom 9 nothing stored holds the cells: counting event_points is the costly query,
    and the map often draws those events one by one, so the prefetch asks nothing."""
    store, geodata = loaded
    months = data_months(geodata.events)
    store._cells_cache.clear()
    reads, _ = slow_reads(store, monkeypatch, seconds=0)
    assert (
        store.prefetch_cells(View(), map_window(9, center=(25.8, 123.5)), months).result() is None
    )
    assert reads == []


def test_a_failed_read_reaches_every_caller_and_is_not_kept(loaded, monkeypatch):
    store, geodata = loaded
    months = data_months(geodata.events)
    window = map_window(4, center=(27.0, 130.0))
    store._cells_cache.clear()
    reads = []
    begun = threading.Event()

    def failing(*args):
        reads.append(args)
        begun.set()
        time.sleep(0.3)
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(store, "_cell_months", failing)
    prefetched = store.prefetch_cells(View(), window, months)
    assert begun.wait(10)
    with pytest.raises(psycopg.OperationalError):
        store.cells(View(), window, months)
    with pytest.raises(psycopg.OperationalError):
        prefetched.result()
    assert len(reads) == 1
    monkeypatch.undo()
    assert len(store.cells(View(), window, months)) > 0  # asked again, and answered


def test_the_timeline_and_sidebar_summary_match_the_files_path(loaded):
    store, geodata = loaded
    summary = store.summary()
    assert summary.total == len(geodata.events)
    assert summary.months == data_months(geodata.events)
    expected = monthly_counts(geodata.events, summary.months)
    key = ["month", "kind"]
    assert (
        summary.monthly_counts.sort_values(key, ignore_index=True)
        .astype({"events": "int64"})
        .equals(expected.sort_values(key, ignore_index=True).astype({"events": "int64"}))
    )
    nations = sorted({code for codes in geodata.events["nations"] for code in codes})
    assert summary.nations_present == nations


def test_import_export_round_trip_keeps_every_field(store, tmp_path):
    geodata = load_geodata(REPO / "geodata")
    store.import_geodata(geodata)
    events, files = store.export(tmp_path / "out")
    assert events == len(geodata.events)
    again = load_geodata(tmp_path / "out")
    assert again.problems == []
    before = geodata.events.sort_values("id", ignore_index=True)
    after = again.events.sort_values("id", ignore_index=True)
    for column in before.columns:
        if column == "geometry":
            assert all(a.equals_exact(b, 0) for a, b in zip(before.geometry, after.geometry))
        else:
            assert before[column].astype(str).equals(after[column].astype(str)), column
    areas_before = geodata.areas.drop(columns="geometry").astype(str)
    assert areas_before.equals(again.areas.drop(columns="geometry").astype(str))
    assert sorted(path.name for path in (tmp_path / "out/events").iterdir()) == sorted(
        path.name for path in (REPO / "geodata/events").iterdir()
    )


def test_importing_again_is_no_change_and_a_changed_event_is_a_clash(store, tmp_path):
    first = write_geodata(tmp_path / "a", {"e.geojson": collection(event("e1"), event("e2"))})
    assert len(store.import_geodata(load_geodata(first)).added) == 2
    version = store.version()
    same = store.import_geodata(load_geodata(first))
    assert (same.added, sorted(same.unchanged), same.problems) == ([], ["e1", "e2"], [])
    changed = write_geodata(
        tmp_path / "b", {"f.geojson": collection(event("e1", title="Another title"))}
    )
    clash = store.import_geodata(load_geodata(changed))
    assert clash.added == [] and len(clash.problems) == 1
    problem = clash.problems[0]
    assert problem.file == "events/f.geojson" and problem.field == "id"
    assert "already in the shared store (events/e.geojson)" in problem.message
    assert store.events(["e1"]).iloc[0]["title"] == "JCG and Taiwan CGA joint exercise"
    replaced = store.import_geodata(load_geodata(changed), replace=True)
    assert replaced.replaced == ["e1"]
    assert store.events(["e1"]).iloc[0]["title"] == "Another title"
    assert store.version() != version  # every dashboard process sees the change


def test_concurrent_saves_never_lose_one(events_db, tmp_path):
    """Eight analysts save at once: each saves ten events of their own, and all eight save
    the same two ids (different content). Every own event is stored; each shared id is stored
    once and reported to the seven others."""
    with PostgisStore(events_db) as store:
        store.write_areas(load_geodata(REPO / "geodata").areas)
    analysts = 8
    uploads = []
    for number in range(analysts):
        features = [event(f"own-{number}-{n}", title=f"Analyst {number} #{n}") for n in range(10)]
        features += [
            event(shared, title=f"{shared} by analyst {number}") for shared in ("s1", "s2")
        ]
        root = write_geodata(tmp_path / str(number), {"up.geojson": collection(*features)})
        uploads.append(load_geodata(root).events)
    results = [None] * analysts
    barrier = threading.Barrier(analysts)

    def save(number):
        with PostgisStore(events_db, max_connections=1) as own:
            barrier.wait()
            results[number] = own.write_events(uploads[number], file=f"events/up-{number}.geojson")

    threads = [threading.Thread(target=save, args=(number,)) for number in range(analysts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    added = [event_id for result in results for event_id in result.added]
    assert len(added) == len(set(added)) == analysts * 10 + 2
    for shared in ("s1", "s2"):
        winners = [n for n, result in enumerate(results) if shared in result.added]
        reported = [
            n
            for n, result in enumerate(results)
            if any(f'"{shared}"' in p.message for p in result.problems)
        ]
        assert len(winners) == 1 and sorted(winners + reported) == list(range(analysts))
    with psycopg.connect(events_db) as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone()[0] == len(added)
        # The counts per cell the eight writers' triggers added up to are the events' own.
        for stored, direct in [
            (STORED_EVENT_CELLS, EVENT_CELLS),
            (STORED_NATION_CELLS, NATION_CELLS),
            (STORED_CELL_MONTHS, CELL_MONTHS),
        ]:
            assert connection.execute(stored).fetchall() == connection.execute(direct).fetchall()


def test_a_saved_upload_is_filed_inside_the_export_folder(store, tmp_path):
    assert saved_file("../../etc/Passwd.CSV") == "events/passwd.geojson"
    assert saved_file("台湾 sightings (v2).xlsx") == "events/sightings-v2.geojson"
    assert saved_file("...") == "events/saved.geojson"
    root = write_geodata(tmp_path / "in", {"e.geojson": collection(event("e1"))})
    store.write_events(load_geodata(root).events, file=saved_file("../../x.csv"))
    store.export(tmp_path / "out")
    assert [path.name for path in (tmp_path / "out/events").iterdir()] == ["x.geojson"]


def test_a_store_older_than_the_code_asks_for_init(postgres_cluster, tmp_path):
    """Code with a newer migration than the database says to run init (the dashboard shows
    it), rather than failing on the first view that reads a table the migration adds."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    first = sorted(MIGRATIONS_DIR.glob("0001_*.sql"))[0]
    (folder / first.name).write_text(first.read_text())
    url, _ = postgres_cluster
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE older_store")
    older = database_url(url, "older_store")
    with psycopg.connect(older, autocommit=True) as connection:
        migrate(connection, folder)
    with PostgisStore(older) as store:
        with pytest.raises(StoreError, match="older than this code.*layers.db init"):
            store.version()
        assert store.init() == [m.stem for m in sorted(MIGRATIONS_DIR.glob("*.sql"))][1:]
        assert store.version() == store.summary().version


def test_init_is_idempotent_and_an_edited_migration_is_refused(postgres_cluster, tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_first.sql").write_text("CREATE TABLE extra (id integer);")
    url, _ = postgres_cluster
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE migrations_test")
    with psycopg.connect(database_url(url, "migrations_test"), autocommit=True) as connection:
        assert migrate(connection, folder) == ["0001_first"]
        assert migrate(connection, folder) == []
        (folder / "0001_first.sql").write_text("CREATE TABLE extra (id bigint);")
        with pytest.raises(MigrationError, match="changed after it was applied"):
            migrate(connection, folder)


# nation_cells (migrations/0002) counted again from the events: per level-4 cell, months and
# nation set, the events, their positions' sums and a count per kind.
NATION_CELLS = (
    "SELECT n.id, floor(e.x / 5.625)::integer, floor(e.y / 5.625)::integer, e.first_month, "
    "e.last_month, count(*), round(sum(e.x)::numeric, 6), round(sum(e.y)::numeric, 6), "
    + ", ".join(f"count(*) FILTER (WHERE e.kind = '{kind}')" for kind in KINDS)
    + " FROM events e JOIN nation_sets n ON n.nations = e.nations "
    "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
)
STORED_NATION_CELLS = (
    "SELECT nation_set, cx, cy, first_month, last_month, events, round(sx::numeric, 6), "
    "round(sy::numeric, 6), " + ", ".join(KINDS) + " FROM nation_cells ORDER BY 1, 2, 3, 4, 5"
)
EVENT_CELLS = (
    "SELECT l, floor(x / (90.0 / 2 ^ l))::integer, floor(y / (90.0 / 2 ^ l))::integer, "
    "first_month, last_month, kind, count(*) FROM events, generate_series(2, 8) AS l "
    "GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"
)
# cell_months (migrations/0003) counted again: per level, cell and month each event was active
# in, the events and a count per kind.
CELL_MONTHS = (
    "SELECT l, floor(x / (90.0 / 2 ^ l))::integer, floor(y / (90.0 / 2 ^ l))::integer, m, "
    "count(*), round(sum(x)::numeric, 6), round(sum(y)::numeric, 6), "
    + ", ".join(f"count(*) FILTER (WHERE kind = '{kind}')" for kind in KINDS)
    + " FROM events, generate_series(2, 8) AS l, generate_series(first_month, last_month) AS m "
    "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
)
STORED_CELL_MONTHS = (
    "SELECT level, cx, cy, month, events, round(sx::numeric, 6), round(sy::numeric, 6), "
    + ", ".join(KINDS)
    + " FROM cell_months ORDER BY 1, 2, 3, 4"
)
STORED_EVENT_CELLS = (
    "SELECT level, cx, cy, first_month, last_month, kind, events FROM event_cells "
    "ORDER BY 1, 2, 3, 4, 5, 6"
)


@pytest.mark.parametrize("table", ["nation_cells", "cell_months"])
def test_the_counts_per_cell_have_a_column_per_kind(store, table):
    """A kind added to the schema without a migration adding its column to these tables would
    go uncounted on the map: this says so first."""
    with psycopg.connect(store.url) as connection:
        columns = {
            name
            for (name,) in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
                (table,),
            )
        }
    assert set(KINDS) <= columns


def test_a_first_bulk_import_counts_as_a_save_does(store, tmp_path, monkeypatch):
    """A first import of many events builds the indexes after loading (and analyzes the
    counting tables): the counts per cell are the events' own, as after a save."""
    monkeypatch.setattr(layers.store.postgis, "BULK_EVENTS", 50)
    root = write_geodata(
        tmp_path, {"e.geojson": collection(*varied_events(120, seed=9))}, {"s.geojson": AREAS}
    )
    assert len(store.import_geodata(load_geodata(root)).added) == 120
    with psycopg.connect(store.url) as connection:
        for stored, direct in [
            (STORED_EVENT_CELLS, EVENT_CELLS),
            (STORED_NATION_CELLS, NATION_CELLS),
            (STORED_CELL_MONTHS, CELL_MONTHS),
        ]:
            assert connection.execute(stored).fetchall() == connection.execute(direct).fetchall()
        analyzed = connection.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
            "AND relname IN ('nation_cells', 'cell_months')"
        ).fetchone()[0]
    assert analyzed == 2


def test_the_counting_tables_follow_every_kind_of_write(store, tmp_path):
    """event_groups, event_points, event_cells and nation_cells are kept by triggers: after
    adds, replacements, zone retagging and deletes (even by hand, in SQL), their counts equal a
    count of the events."""
    root = write_geodata(
        tmp_path / "a",
        {"e.geojson": collection(*varied_events(60, seed=5))},
        {"senkaku.geojson": AREAS},
    )
    store.import_geodata(load_geodata(root))
    changed = [
        event(f"ev-{n:04d}", kind="incident", nations=["CHN"], start="2024-08")
        for n in range(0, 60, 3)
    ]
    again = write_geodata(tmp_path / "b", {"e.geojson": collection(*changed)})
    assert len(store.import_geodata(load_geodata(again), replace=True).replaced) == 20
    store.write_areas(load_geodata(REPO / "geodata").areas)
    store.retag()
    with psycopg.connect(store.url, autocommit=True) as connection:
        connection.execute("DELETE FROM events WHERE id IN ('ev-0001', 'ev-0002', 'ev-0004')")
        direct = connection.execute(
            "SELECT kind, nations, zones_in, zones_possibly, count(*) FROM events "
            "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        ).fetchall()
        derived = connection.execute(
            "SELECT g.kind, n.nations, z.zones_in, z.zones_possibly, sum(g.events)::bigint "
            "FROM event_groups g JOIN nation_sets n ON n.id = g.nation_set "
            "JOIN zone_sets z ON z.id = g.zone_set GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        ).fetchall()
        points = connection.execute("SELECT count(*) FROM event_points").fetchone()[0]
        cells = connection.execute(STORED_EVENT_CELLS).fetchall()
        direct_cells = connection.execute(EVENT_CELLS).fetchall()
        nation_cells = connection.execute(STORED_NATION_CELLS).fetchall()
        direct_nation_cells = connection.execute(NATION_CELLS).fetchall()
        cell_months = connection.execute(STORED_CELL_MONTHS).fetchall()
        direct_cell_months = connection.execute(CELL_MONTHS).fetchall()
        chinese_incidents = connection.execute(
            "SELECT count(*) FROM events WHERE 'CHN' = ANY(nations) AND kind = 'incident'"
        ).fetchone()[0]
    assert derived == direct
    assert cells == direct_cells
    assert nation_cells == direct_nation_cells
    assert len(nation_cells) > 10  # several cells, months and nation sets
    assert cell_months == direct_cell_months
    assert any(row[3] != row[4] for row in direct_cells)  # events of several months too
    assert points == 57
    assert chinese_incidents >= 20  # the replaced ones (none of them deleted)
    assert store.shown(View(nations=("CHN",), kinds=("incident",)), []).count == chinese_incidents


def test_retagging_keeps_an_event_placed_by_area_in_its_area(store, tmp_path):
    """An event placed by `area` is in that area by definition (analysis.zones): the tags
    written with it and those computed again after the areas change agree."""
    strait = load_geodata(REPO / "geodata").areas.set_index("id").loc["taiwan-strait"].geometry
    inside = strait.representative_point()
    placed = event(
        "placed-in-strait",
        area="taiwan-strait",
        location_precision_km=300,  # a circle far wider than the strait
        geometry={"type": "Point", "coordinates": [inside.x, inside.y]},
    )
    regions = json.loads((REPO / "geodata/areas/regions.geojson").read_text(encoding="utf-8"))
    root = write_geodata(
        tmp_path / "a", {"e.geojson": collection(placed)}, {"regions.geojson": regions}
    )
    store.import_geodata(load_geodata(root))
    with psycopg.connect(store.url, autocommit=True) as connection:
        connection.execute("UPDATE events SET zones_in = '{}', zones_possibly = '{}'")
    assert store.retag() == 1
    with psycopg.connect(store.url, autocommit=True) as connection:
        zones_in, zones_possibly = connection.execute(
            "SELECT zones_in, zones_possibly FROM events WHERE id = 'placed-in-strait'"
        ).fetchone()
    assert "taiwan-strait" in zones_in
    assert "taiwan-strait" not in zones_possibly
    assert "taiwan-strait-median-line" in zones_possibly


def test_a_track_keeps_its_times_through_the_store_and_its_export(store, tmp_path):
    times = [
        ["2024-07-18T01:00:00Z", "2024-07-18T02:00:00Z"],
        ["2024-07-18T05:00:00Z", "2024-07-18T14:30:00+09:00", "2024-07-18T06:00:00Z"],
    ]
    track = event(
        "track",
        kind="incident",
        coordTimes=times,
        geometry={
            "type": "MultiLineString",
            "coordinates": [
                [[124.0, 25.0], [124.1, 25.1]],
                [[124.3, 25.3], [124.4, 25.4], [124.5, 25.5]],
            ],
        },
    )
    root = write_geodata(tmp_path / "in", {"t.geojson": collection(track, event("point"))})
    store.import_geodata(load_geodata(root))
    expected = (
        ("2024-07-18T01:00:00Z", "2024-07-18T02:00:00Z"),
        ("2024-07-18T05:00:00Z", "2024-07-18T05:30:00Z", "2024-07-18T06:00:00Z"),
    )
    stored = store.events(["track", "point"]).set_index("id")["coord_times"].to_dict()
    assert stored == {"track": expected, "point": ()}
    store.export(tmp_path / "out")
    again = load_geodata(tmp_path / "out")
    assert again.problems == []
    assert again.events.set_index("id")["coord_times"].to_dict() == stored
    # The same track again is no change; other times are other content.
    assert store.import_geodata(load_geodata(root)).unchanged == ["point", "track"]
    times[0][1] = "2024-07-18T02:30:00Z"
    changed = write_geodata(
        tmp_path / "b",
        {
            "t.geojson": collection(
                event("track", kind="incident", coordTimes=times, geometry=track["geometry"])
            )
        },
    )
    assert len(store.import_geodata(load_geodata(changed)).problems) == 1


def test_counts_are_stored_read_back_and_exported_and_a_changed_count_is_a_clash(store, tmp_path):
    counted = {"aircraft": 45, "median_line_crossings": 12, "ships": 0}
    root = write_geodata(
        tmp_path / "a", {"e.geojson": collection(event("report", counts=counted), event("plain"))}
    )
    assert sorted(store.import_geodata(load_geodata(root)).added) == ["plain", "report"]
    stored = store.events(["plain", "report"]).set_index("id")["counts"].to_dict()
    assert stored == {"plain": {}, "report": counted}
    again = store.import_geodata(load_geodata(root))
    assert (again.added, sorted(again.unchanged)) == ([], ["plain", "report"])
    # One aircraft more is other content: never taken silently over the stored count.
    changed = write_geodata(
        tmp_path / "b",
        {"f.geojson": collection(event("report", counts={**counted, "aircraft": 46}))},
    )
    clash = store.import_geodata(load_geodata(changed))
    assert clash.added == [] and [p.field for p in clash.problems] == ["id"]
    assert store.events(["report"]).iloc[0]["counts"] == counted
    store.export(tmp_path / "out")
    exported = load_geodata(tmp_path / "out").events.set_index("id")["counts"].to_dict()
    assert exported == {"plain": {}, "report": counted}


def test_events_stored_before_counts_existed_give_none_after_init(postgres_cluster, tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("000[123]_*.sql")):
        (folder / path.name).write_text(path.read_text())
    url, _ = postgres_cluster
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE before_counts")
    older = database_url(url, "before_counts")
    with psycopg.connect(older, autocommit=True) as connection:
        migrate(connection, folder)
        connection.execute(
            "INSERT INTO events (id, title, kind, start_text, start_day, end_day, nations, "
            "sources, file, geom, x, y, digest) VALUES ('old', 'Stored before counts', "
            "'patrol', '2024-07-18', '2024-07-18', '2024-07-18', '{JPN}', '[]', "
            "'events/e.geojson', ST_SetSRID(ST_MakePoint(139.8, 34.8), 4326), 139.8, 34.8, 'x')"
        )
    with PostgisStore(older) as store:
        assert store.init() == [
            "0004_event_counts",
            "0005_coord_times",
            "0006_event_windows",
            "0007_warning_kinds",
            "0008_event_sides",
            "0009_event_revisions",
            "0010_area_saved_by",
            "0011_area_names",
        ]
        assert store.events(["old"]).iloc[0]["counts"] == {}


def test_times_of_day_are_stored_as_written_and_come_back_so(store, tmp_path):
    """A time keeps its text and offset in the store; its days are the days written, so the
    store's filters by month and day select what the files path selects."""
    timed = [
        event("tokyo-morning", start="2024-07-19T08:00+09:00", end="2024-07-19T17:30:15+09:00"),
        event("utc-night", start="2024-07-31T22:00Z", end="2024-08-01T02:00Z"),
        event("mixed", start="2024-07-18", end="2024-07-18T10:00Z"),
    ]
    root = write_geodata(tmp_path / "in", {"t.geojson": collection(*timed)})
    geodata = load_geodata(root)
    assert store.import_geodata(geodata).problems == []
    stored = store.events(["tokyo-morning", "utc-night", "mixed"]).set_index("id")
    assert stored.loc["tokyo-morning", "start_text"] == "2024-07-19T08:00+09:00"
    assert stored.loc["tokyo-morning", "end_text"] == "2024-07-19T17:30:15+09:00"
    assert str(stored.loc["tokyo-morning", "start"].date()) == "2024-07-19"  # not 18 July
    assert (
        str(stored.loc["utc-night", "start"].date()),
        str(stored.loc["utc-night", "end"].date()),
    ) == (
        "2024-07-31",
        "2024-08-01",
    )
    for view in (
        View(start="2024-08", end="2024-08"),
        View(start_day="2024-07-18", end_day="2024-07-18"),
        View(start_day="2024-07-19", end_day="2024-07-30"),
    ):
        assert set(store.table(view, 10)["id"]) == set(filter_events(geodata.events, view)["id"])
    events, _ = store.export(tmp_path / "out")
    again = load_geodata(tmp_path / "out")
    columns = ["start_text", "end_text", "start", "end"]
    before = geodata.events.set_index("id")[columns].sort_index()
    assert again.events.set_index("id")[columns].sort_index().equals(before)


def test_a_warnings_windows_go_through_the_store_and_its_export(store, tmp_path):
    windows = [
        {"start": "2026-08-24T01:00Z", "end": "2026-08-24T13:00Z"},
        {"start": "2026-08-25T01:00Z", "end": "2026-08-25T13:00Z"},
    ]
    warning = event(
        "warning",
        kind="launch",
        start="2026-08-24T01:00Z",
        end="2026-08-25T13:00Z",
        windows=windows,
    )
    root = write_geodata(tmp_path / "in", {"w.geojson": collection(warning, event("point"))})
    store.import_geodata(load_geodata(root))
    expected = tuple((window["start"], window["end"]) for window in windows)
    stored = store.events(["warning", "point"]).set_index("id")["windows"].to_dict()
    assert stored == {"warning": expected, "point": ()}
    assert store.events(["warning"]).iloc[0]["kind"] == "launch"
    with psycopg.connect(store.url) as connection:
        # The triggers count the new kind per cell (migration 0007), once per zoom level and
        # month in cell_months (levels 2 to 8, one month).
        launches = [
            connection.execute(f"SELECT sum(launch) FROM {table}").fetchone()[0]
            for table in ("nation_cells", "cell_months")
        ]
    assert launches == [1, 7]
    store.export(tmp_path / "out")
    again = load_geodata(tmp_path / "out")
    assert again.problems == []
    assert again.events.set_index("id")["windows"].to_dict() == stored
    assert store.import_geodata(load_geodata(root)).unchanged == ["point", "warning"]


def test_sides_go_through_the_store_its_facts_and_its_export(store, tmp_path):
    """Who stood with whom is kept as written (None, not known, or the sides), read back for
    the analyses (facts, and the pairings before a month for new partners), and exported."""
    import datetime as dt

    events = [
        event("buoy", kind="incident", nations=["CHN", "JPN"], sides=[["CHN"], ["JPN"]]),
        event("typo", kind="diplomacy", nations=["CHN", "JPN"], sides=[["CHN"], ["JPM"]]),
        event("drill", start="2024-08-01"),
    ]
    root = write_geodata(tmp_path / "in", {"s.geojson": collection(*events)})
    geodata = load_geodata(root)
    assert [problem.field for problem in geodata.problems] == ["sides[1][0]"]
    store.import_geodata(geodata)
    expected = {"buoy": (("CHN",), ("JPN",)), "typo": (), "drill": None}
    stored = store.events(["buoy", "typo", "drill"]).set_index("id")["sides"].to_dict()
    assert stored == expected
    facts = store.facts(View(), 10).set_index("id")["sides"].to_dict()
    assert facts == expected
    before = store.pairings_before(dt.date(2024, 8, 1))
    assert sorted(zip(before["kind"], before["sides"])) == [
        ("diplomacy", ()),
        ("incident", (("CHN",), ("JPN",))),
    ]
    store.export(tmp_path / "out")
    again = load_geodata(tmp_path / "out")
    assert again.problems == []  # the typo's sides come back as not known ([]), said once
    assert again.events.set_index("id")["sides"].to_dict() == expected
    assert store.import_geodata(again).unchanged == ["buoy", "drill", "typo"]
