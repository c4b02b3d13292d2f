"""The shared store's history (issue 25): every save, import, replacement, correction and
retraction is a revision (who, when, why, the event before and after); a correction made on a
revision another editor has moved past is refused with their change; a retracted event leaves
the map and every count but not the record. Against a real server (tests/postgres.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import sys
import threading

import psycopg
import pytest
from conftest import HYPOTHESIS_SEED, REPO, collection, event, write_geodata
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import event as outcome
from hypothesis import strategies as st
from postgres import database_url

from layers.aggregate import map_window
from layers.read.load import load_geodata
from layers.store.migrations import MIGRATIONS_DIR, migrate
from layers.store.postgis import (
    InvalidEvent,
    PostgisStore,
    StaleRevision,
    UnknownEvent,
)
from layers.view import View

sys.path.insert(0, str(REPO / "tests" / "read"))
import strategies  # noqa: E402  (tests/read/strategies.py: valid and mutated event features)

ANA, BOB = "ana@example.org", "bob@example.org"


@pytest.fixture
def store(events_db):
    with PostgisStore(events_db) as opened:
        yield opened


def saved(store, tmp_path, *features, actor=ANA):
    """The features saved from the dashboard by `actor`, as an upload is."""
    root = write_geodata(tmp_path / "upload", {"mine.geojson": collection(*features)})
    geodata = load_geodata(root)
    assert geodata.problems == []
    result = store.write_events(geodata.events, file="events/mine.geojson", actor=actor)
    assert result.problems == []
    return result


def stored_feature(store, event_id):
    """The event as the store holds it now: its latest revision's `after`."""
    return store.history(event_id)[-1].after


def month_kind(store, month, kind):
    counts = store.summary().monthly_counts
    found = counts[(counts["month"] == month) & (counts["kind"] == kind)]["events"]
    return int(found.sum())


def test_a_save_is_revision_1_saved_by_the_editor(store, tmp_path):
    saved(store, tmp_path, event("e1"), event("e2"))
    (first,) = store.history("e1")
    assert (first.number, first.action, first.actor, first.before) == (1, "saved", ANA, None)
    assert first.after["properties"]["title"] == "JCG and Taiwan CGA joint exercise"
    assert first.after["geometry"] == {"type": "Point", "coordinates": [139.8, 34.8]}
    assert dt.datetime.now(dt.UTC) - first.at < dt.timedelta(minutes=5)
    assert store.event_revision("e1") == 1 and store.event_revision("nothing") is None
    # Saving the same events again changes nothing and records nothing.
    again = saved(store, tmp_path, event("e1"), actor=BOB)
    assert again.unchanged == ["e1"] and len(store.history("e1")) == 1


def test_a_correction_is_revision_2_and_the_counts_follow(store, tmp_path):
    saved(store, tmp_path, event("e1"), event("e2"))
    assert month_kind(store, "2024-07", "exercise") == 2
    window = map_window(6, (34.8, 139.8))
    assert len(store.in_window(View(kinds=("patrol",)), window, 100)) == 0
    corrected = event("e1", title="JCG patrol off Boso", kind="patrol", start="2024-09-02")
    revision = store.correct_event("e1", corrected, 1, BOB, "it was a patrol, in September")
    assert (revision.number, revision.action, revision.actor) == (2, "corrected", BOB)
    assert revision.reason == "it was a patrol, in September"
    assert revision.before["properties"]["kind"] == "exercise"
    assert revision.after["properties"]["kind"] == "patrol"
    changed = {name: (old, new) for name, old, new in revision.changed_fields()}
    assert changed == {
        "title": ("JCG and Taiwan CGA joint exercise", "JCG patrol off Boso"),
        "kind": ("exercise", "patrol"),
        "start": ("2024-07-18", "2024-09-02"),
    }
    assert store.event_revision("e1") == 2
    with store.connection() as connection:
        saved_by = dict(connection.execute("SELECT id, saved_by FROM events").fetchall())
    assert saved_by == {"e1": BOB, "e2": ANA}
    assert [r.action for r in store.history("e1")] == ["saved", "corrected"]
    assert store.history("e1") == [store.history("e1")[0], revision]
    # What the map, timeline and table show follow the new values.
    assert month_kind(store, "2024-07", "exercise") == 1
    assert month_kind(store, "2024-09", "patrol") == 1
    assert store.shown(View(kinds=("patrol",)), ["2024-09"]).month_counts == {"2024-09": 1}
    assert list(store.in_window(View(kinds=("patrol",)), window, 100)["id"]) == ["e1"]
    table = store.table(View(), 10).set_index("id")
    assert table.loc["e1", "title"] == "JCG patrol off Boso"
    cells = store.cells(View(kinds=("patrol",)), window, ["2024-09"])
    assert int(cells["n"].sum()) == 1 and int(cells["patrol"].sum()) == 1


def test_a_correction_on_a_stale_revision_is_refused_with_the_other_editors_change(store, tmp_path):
    saved(store, tmp_path, event("e1"))
    store.correct_event("e1", event("e1", title="Ana's title"), 1, ANA, "typo")
    with pytest.raises(StaleRevision) as refused:
        store.correct_event("e1", event("e1", title="Bob's title"), 1, BOB, "mine")
    assert ANA in str(refused.value) and "typo" in str(refused.value)
    (newer,) = refused.value.newer
    assert (newer.number, newer.actor, newer.reason) == (2, ANA, "typo")
    assert ("title", "JCG and Taiwan CGA joint exercise", "Ana's title") in newer.changed_fields()
    # Nothing of Bob's was written.
    assert store.events(["e1"]).iloc[0]["title"] == "Ana's title"
    assert len(store.history("e1")) == 2 and store.event_revision("e1") == 2
    with pytest.raises(StaleRevision):
        store.retract_event("e1", 1, BOB, "duplicate")
    assert store.event_revision("e1") == 2


def test_two_editors_correcting_at_once_one_wins_the_other_is_told(store, tmp_path):
    saved(store, tmp_path, *(event(f"e{number}") for number in range(6)))
    for number in range(6):
        event_id = f"e{number}"
        start = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def correct(actor, event_id=event_id, start=start, outcomes=outcomes):
            start.wait()
            try:
                feature = event(event_id, title=f"Title by {actor}")
                outcomes[actor] = store.correct_event(event_id, feature, 1, actor, "at once")
            except StaleRevision as refused:
                outcomes[actor] = refused

        threads = [threading.Thread(target=correct, args=(actor,)) for actor in (ANA, BOB)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        won = [actor for actor, result in outcomes.items() if not isinstance(result, Exception)]
        assert len(won) == 1, outcomes
        (loser,) = {ANA, BOB} - set(won)
        assert isinstance(outcomes[loser], StaleRevision) and won[0] in str(outcomes[loser])
        assert store.events([event_id]).iloc[0]["title"] == f"Title by {won[0]}"
        assert [r.actor for r in store.history(event_id)] == [ANA, won[0]]


def test_a_retracted_event_leaves_the_map_and_counts_but_not_the_record(store, events_db, tmp_path):
    saved(store, tmp_path, event("e1"), event("e2"))
    window = map_window(6, (34.8, 139.8))
    with pytest.raises(InvalidEvent, match="reason"):
        store.retract_event("e1", 1, BOB, "  ")
    revision = store.retract_event("e1", 1, BOB, "duplicate of e2")
    assert (revision.number, revision.action, revision.after) == (2, "retracted", None)
    assert revision.before["properties"]["id"] == "e1"
    assert store.event_revision("e1") is None
    assert list(store.table(View(), 10)["id"]) == ["e2"]
    assert store.summary().total == 1 and month_kind(store, "2024-07", "exercise") == 1
    assert list(store.in_window(View(), window, 100)["id"]) == ["e2"]
    assert store.events(["e1"]).empty
    history = store.history("e1")
    assert [(r.action, r.actor) for r in history] == [("saved", ANA), ("retracted", BOB)]
    assert history[0].after == revision.before  # what was saved is what was retracted
    assert [(r.event_id, r.reason) for r in store.retracted(10)] == [("e1", "duplicate of e2")]
    with pytest.raises(StaleRevision, match="retracted by bob@example.org"):
        store.correct_event("e1", event("e1", title="Too late"), 1, ANA, "fix")
    with pytest.raises(UnknownEvent):
        store.retract_event("never", 1, ANA, "why")
    # The history export holds the retracted event, with what it was.
    exported = db("export", str(tmp_path / "out"), "--history", url=events_db)
    assert exported.returncode == 0, exported.stderr
    assert "Wrote 3 revisions to" in exported.stdout
    lines = [json.loads(line) for line in (tmp_path / "out/history.jsonl").read_text().splitlines()]
    retraction = [line for line in lines if line["event_id"] == "e1"][-1]
    assert retraction["action"] == "retracted" and retraction["actor"] == BOB
    assert retraction["reason"] == "duplicate of e2"
    assert retraction["before"]["properties"]["title"] == "JCG and Taiwan CGA joint exercise"
    assert retraction["after"] is None and retraction["at"].endswith("Z")
    # Saved again later, the id continues its history.
    saved(store, tmp_path, event("e1", title="Back"), actor=ANA)
    assert store.event_revision("e1") == 3 and store.retracted(10) == []


def db(*args, url=None):
    import subprocess

    environment = {key: value for key, value in os.environ.items() if key != "EVENTS_DB"}
    command = [sys.executable, "-m", "layers.db", *(["--db", url] if url else []), *args]
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True)


def test_import_replace_keeps_the_old_content_in_the_history(store, events_db, tmp_path):
    first = write_geodata(tmp_path / "a", {"e.geojson": collection(event("e1"), event("e2"))})
    assert db("import", str(first), url=events_db).returncode == 0
    changed = write_geodata(tmp_path / "b", {"e.geojson": collection(event("e1", title="New"))})
    assert db("import", str(changed), url=events_db).returncode == 1  # a clash, not written
    assert len(store.history("e1")) == 1
    replaced = db("import", "--replace", str(changed), url=events_db)
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    imported, replacement = store.history("e1")
    assert imported.action == "imported" and imported.actor.startswith("layers.db import by ")
    assert "@" in imported.actor
    assert replacement.action == "replaced" and replacement.number == 2
    assert replacement.before["properties"]["title"] == "JCG and Taiwan CGA joint exercise"
    assert replacement.after["properties"]["title"] == "New"
    assert imported.after == replacement.before
    assert store.event_revision("e1") == 2 and store.event_revision("e2") == 1


def test_a_store_made_before_history_gets_an_imported_revision_per_event(
    postgres_cluster, tmp_path
):
    folder = tmp_path / "migrations"
    folder.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("000[1-8]_*.sql")):
        (folder / path.name).write_text(path.read_text())
    url, _ = postgres_cluster
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE before_history")
    older = database_url(url, "before_history")
    with psycopg.connect(older, autocommit=True) as connection:
        migrate(connection, folder)
    # Events stored under schema 0008, as its code wrote them.
    with psycopg.connect(older, autocommit=True) as connection:
        for event_id in ("e1", "e2"):
            connection.execute(
                "INSERT INTO events (id, title, kind, start_text, start_day, end_day, nations, "
                "sources, file, geom, x, y, digest, saved_at) VALUES (%s, 'Stored before', "
                "'patrol', '2024-07-18', '2024-07-18', '2024-07-18', '{JPN}', "
                "'[{\"title\": \"Seed report\"}]', 'events/e.geojson', "
                "ST_SetSRID(ST_MakePoint(139.8, 34.8), 4326), 139.8, 34.8, 'x', "
                "'2025-01-02T03:04:05Z')",
                (event_id,),
            )
    with PostgisStore(older) as store:
        assert store.init() == ["0009_event_revisions", "0010_area_saved_by", "0011_area_names"]
        assert store.summary().total == 2
        for event_id in ("e1", "e2"):
            (revision,) = store.history(event_id)
            assert (revision.number, revision.action, revision.before) == (1, "imported", None)
            assert revision.after["properties"]["id"] == event_id
            assert revision.after["properties"]["title"] == "Stored before"
            assert revision.at == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
            assert store.event_revision(event_id) == 1
        corrected = store.correct_event("e1", event("e1", title="Fixed"), 1, ANA, "typo")
        assert corrected.number == 2
        assert corrected.before == store.history("e1")[0].after


def test_the_history_cannot_be_changed_or_removed(store, tmp_path):
    saved(store, tmp_path, event("e1"))
    with store.connection() as connection:
        for statement in (
            "UPDATE event_revisions SET actor = 'someone else'",
            "DELETE FROM event_revisions",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                connection.execute(statement)
    assert store.history("e1")[0].actor == ANA


PROPERTY_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES") or 200)


@pytest.fixture(scope="module")
def one_event_store(postgres_cluster, tmp_path_factory):
    from postgres import fresh_database

    root = write_geodata(tmp_path_factory.mktemp("one"), {"e.geojson": collection(event("e1"))})
    with fresh_database(*postgres_cluster) as url, PostgisStore(url) as opened:
        opened.write_events(load_geodata(root).events, actor=ANA)
        yield opened


@seed(HYPOTHESIS_SEED)
@settings(
    max_examples=PROPERTY_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(
    feature=st.one_of(
        strategies.mutated_features("e1"),
        strategies.valid_events("e1"),
        strategies.json_values,
    ),
    stale=st.integers(0, 9),
)
def test_a_correction_raises_nothing_but_its_documented_errors(one_event_store, feature, stale):
    store = one_event_store
    current = store.event_revision("e1")
    expected = current - 1 if stale == 0 else current
    before = copy.deepcopy(feature)
    try:
        revision = store.correct_event("e1", feature, expected, BOB, "property")
    except InvalidEvent as refused:
        outcome("refused: invalid")
        assert "\n" not in str(refused) and str(refused).startswith("feature ")
        assert store.event_revision("e1") == current
    except StaleRevision:
        outcome("refused: stale")
        assert stale == 0 and store.event_revision("e1") == current
    else:
        outcome("corrected")
        assert stale != 0 and revision.number == current + 1
        assert store.history("e1")[-1] == revision
    assert feature == before  # the caller's feature is not changed


def test_every_stored_event_can_be_corrected_from_what_its_history_shows(store, tmp_path):
    """What the page offers to edit is the latest revision's `after`: for every event of the
    repository's data (tracks, windows, sides, counts, areas), changing its title alone is a
    correction of the title alone; nothing else is lost or refused on the way."""
    track = event(
        "track",
        kind="incident",
        coordTimes=[
            ["2024-07-18T01:00:00Z", "2024-07-18T02:00:00Z"],
            ["2024-07-18T05:00:00Z", "2024-07-18T14:30:00+09:00", "2024-07-18T06:00:00Z"],
        ],
        geometry={
            "type": "MultiLineString",
            "coordinates": [
                [[124.0, 25.0], [124.1, 25.1]],
                [[124.3, 25.3], [124.4, 25.4], [124.5, 25.5]],
            ],
        },
    )
    warning = event(
        "warning",
        kind="launch",
        start="2026-08-24T01:00Z",
        end="2026-08-25T13:00Z",
        windows=[
            {"start": "2026-08-24T01:00Z", "end": "2026-08-24T13:00Z"},
            {"start": "2026-08-25T01:00Z", "end": "2026-08-25T13:00Z"},
        ],
    )
    counted = event("report", counts={"aircraft": 45, "ships": 0})
    extra = write_geodata(tmp_path / "extra", {"x.geojson": collection(track, warning, counted)})
    geodata = load_geodata(REPO / "geodata")
    store.import_geodata(geodata, actor="layers.db import by test@here")
    store.import_geodata(load_geodata(extra), actor="layers.db import by test@here")
    for event_id in [*geodata.events["id"], "track", "warning", "report"]:
        feature = copy.deepcopy(stored_feature(store, event_id))
        title = feature["properties"]["title"]
        feature["properties"]["title"] = title + " (corrected)"
        revision = store.correct_event(event_id, feature, 1, ANA, "title")
        assert revision.changed_fields() == [("title", title, title + " (corrected)")]
        assert stored_feature(store, event_id) == revision.after
    kept = {name: stored_feature(store, name)["properties"] for name in ("track", "warning")}
    assert kept["track"]["coordTimes"][1][1] == "2024-07-18T05:30:00Z"
    assert len(kept["warning"]["windows"]) == 2
    assert stored_feature(store, "report")["properties"]["counts"] == {"aircraft": 45, "ships": 0}
