"""The files store: a start that finds the files unchanged reads them from the cache and gives
what checking every file gives; a changed file is checked again alone; the cache is never
trusted after a change of the validator or of its format, nor when it is damaged."""

import dataclasses
import gc
import json
import os
import shutil
import subprocess
import weakref

import pandas as pd
import pyarrow as pa
import pytest
from conftest import REPO, area, collection, event, write_geodata
from pandas.testing import assert_frame_equal, assert_series_equal

import layers.store.cache as cache_module
import layers.store.files as files_module
from layers.analysis.coalitions import nation_sets
from layers.analysis.zones import zone_tags
from layers.filters import data_months, monthly_counts, nation_rows, zone_rows
from layers.map.data import MapData
from layers.prepare import event_columns
from layers.read.load import load_geodata
from layers.store.cache import DiskCache
from layers.store.files import FileStore, cache_dir


@pytest.fixture
def data(tmp_path):
    """The repository's data, the hostile examples, and ids clashing across and within files."""
    root = tmp_path / "geodata"
    shutil.copytree(REPO / "geodata", root, ignore=shutil.ignore_patterns(".cache"))
    for path in (REPO / "docs/examples/hostile/events").iterdir():
        shutil.copy(path, root / "events" / f"hostile-{path.name}")
    return write_geodata(
        root,
        {
            "clash-a.geojson": collection(
                event("x1"), event("x2", area="no-such-area"), event("x3", area="senkaku-waters")
            ),
            "clash-b.geojson": collection(
                event("y1"),
                event("x1"),
                event("x2", location_precision_km="far"),
                event("y1"),
                {"type": "Feature"},
                event("x2"),
                event("y2"),
            ),
            "clash-c.geojson": collection(
                event("y2"), event("z1", counts={"aircraft": 45, "ships": 0, "Ships": 2})
            ),
        },
    )


def assert_same_load(found, expected):
    assert_frame_equal(found.events, expected.events)
    assert_frame_equal(found.areas, expected.areas)
    assert found.problems == expected.problems
    assert (found.version, found.files, found.valid_files) == (
        expected.version,
        expected.files,
        expected.valid_files,
    )


def data_files(root) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.glob("*/*.geojson"))


def count_checks(monkeypatch) -> list[str]:
    """The files checked from here on (a spy on the store's validator)."""
    checked = []
    real = files_module.check_file

    def spy(raw, label, kind, areas=None):
        checked.append(label)
        return real(raw, label, kind, areas)

    monkeypatch.setattr(files_module, "check_file", spy)
    return checked


def test_a_start_with_unchanged_files_reads_the_cache_and_gives_the_same_data(
    data, tmp_path, monkeypatch
):
    expected = load_geodata(data)
    assert any("already used" in problem.message for problem in expected.problems)
    first = FileStore(tmp_path / "cache").load(data)
    checked = count_checks(monkeypatch)
    restart = FileStore(tmp_path / "cache").load(data)  # a new process: only the disk
    assert checked == []
    assert_same_load(first, expected)
    assert_same_load(restart, expected)
    assert restart.derived is None
    # Counts come back from the cache as the file writes them, as whole numbers.
    counts = restart.events.set_index("id").loc["z1", "counts"]
    assert counts == {"aircraft": 45, "ships": 0}
    assert all(type(value) is int for value in counts.values())
    assert sum(found == {} for found in restart.events["counts"]) == len(restart.events) - 1


def test_derived_columns_kept_per_file_are_those_of_the_whole_data(data, tmp_path):
    FileStore(tmp_path / "cache", derive=event_columns).load(data)
    store = FileStore(tmp_path / "cache", derive=event_columns)
    geodata = store.load(data)
    assert store.checked == [] and store.derived == []
    whole = load_geodata(data)
    assert_frame_equal(geodata.events, whole.events)
    zones = zone_tags(whole.events, whole.areas)
    assert_series_equal(geodata.derived["zones"], zones, check_names=False)
    kept = MapData.from_columns(geodata.derived, geodata.areas)
    prepared = MapData.prepare(whole.events, whole.areas)
    # Every column the map is drawn from (not the caches a MapData fills as it draws).
    for name in (field.name for field in dataclasses.fields(MapData) if field.compare):
        expected = getattr(prepared, name)
        compare = assert_frame_equal if isinstance(expected, pd.DataFrame) else assert_series_equal
        compare(getattr(kept, name), expected)


def test_a_changed_file_is_checked_again_alone(data, tmp_path, monkeypatch):
    FileStore(tmp_path / "cache", derive=event_columns).load(data)
    changed = data / "events" / "clash-c.geojson"
    changed.write_text(json.dumps(collection(event("y2"), event("z1"), event("z2"))))
    added = data / "events" / "new.geojson"
    added.write_text(json.dumps(collection(event("n1", start="2024-08"))))
    checked = count_checks(monkeypatch)
    store = FileStore(tmp_path / "cache", derive=event_columns)
    geodata = store.load(data)
    assert sorted(checked) == ["events/clash-c.geojson", "events/new.geojson"]
    assert sorted(store.derived) == sorted(checked)
    assert {"z2", "n1"} <= set(geodata.events["id"])
    assert_same_load(geodata, load_geodata(data))


def test_the_same_store_checks_only_what_changed_since_its_last_load(data, tmp_path, monkeypatch):
    store = FileStore(None)  # no cache on disk: the last load is kept in memory
    store.load(data)
    (data / "events" / "new.geojson").write_text(json.dumps(collection(event("n1"))))
    checked = count_checks(monkeypatch)
    assert_same_load(store.load(data), load_geodata(data))
    assert checked == ["events/new.geojson"]


def test_events_are_checked_again_when_the_named_areas_change(data, tmp_path, monkeypatch):
    FileStore(tmp_path / "cache").load(data)
    write_geodata(data, {}, {"more.geojson": collection(area("no-such-area"))})
    checked = count_checks(monkeypatch)
    geodata = FileStore(tmp_path / "cache").load(data)
    assert "events/clash-a.geojson" in checked and "areas/more.geojson" in checked
    assert not any("no-such-area" in problem.message for problem in geodata.problems)
    assert_same_load(geodata, load_geodata(data))


def test_a_change_to_the_validator_makes_every_entry_stale(data, tmp_path, monkeypatch):
    FileStore(tmp_path / "cache").load(data)
    code = tmp_path / "layers"
    shutil.copytree(cache_module.LAYERS_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "LAYERS_DIR", code)
    checked = count_checks(monkeypatch)
    FileStore(tmp_path / "cache").load(data)
    assert checked == []  # the same code: the same entries
    validator = code / "read" / "load.py"
    validator.write_text(validator.read_text() + "\n# a changed rule\n")
    FileStore(tmp_path / "cache").load(data)
    assert sorted(checked) == data_files(data)  # every file, once


def test_a_change_of_the_cache_format_makes_every_entry_stale(data, tmp_path, monkeypatch):
    FileStore(tmp_path / "cache").load(data)
    monkeypatch.setattr(cache_module, "FORMAT_VERSION", cache_module.FORMAT_VERSION + 1)
    checked = count_checks(monkeypatch)
    FileStore(tmp_path / "cache").load(data)
    assert sorted(checked) == data_files(data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda path: path.write_bytes(b"\0" * 64),
        lambda path: path.write_bytes(b""),
        lambda path: shutil.copy(sorted(path.parent.glob("*.arrow"))[0], path),
    ],
    ids=["cut-short", "garbage", "empty", "another-entry"],
)
def test_a_damaged_entry_is_ignored_and_written_again(data, tmp_path, monkeypatch, damage):
    expected = FileStore(tmp_path / "cache").load(data)
    entries = sorted((tmp_path / "cache").glob("*.arrow"))
    for path in entries[1:]:
        damage(path)
    checked = count_checks(monkeypatch)
    assert_same_load(FileStore(tmp_path / "cache").load(data), expected)
    assert len(checked) == len(entries) - 1
    checked.clear()
    FileStore(tmp_path / "cache").load(data)
    assert checked == []  # rewritten whole


def test_an_entry_cut_off_while_being_written_never_takes_the_entrys_name(tmp_path, monkeypatch):
    cache = DiskCache(tmp_path / "cache")
    table = pa.table({"a": [1, 2, 3]})

    def crash(self, table):
        raise OSError("disk full")

    monkeypatch.setattr(pa.ipc.RecordBatchFileWriter, "write_table", crash)
    cache.write("k", table)
    assert cache.read("k") is None
    assert list((tmp_path / "cache").iterdir()) == []  # no half-written file left either
    monkeypatch.undo()
    cache.write("k", table)
    assert cache.read("k").column("a").to_pylist() == [1, 2, 3]


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_time(data, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert_same_load(FileStore(blocked / "cache").load(data), load_geodata(data))


def test_entries_no_load_has_used_for_a_week_are_removed(data, tmp_path):
    cache = tmp_path / "cache"
    FileStore(cache).load(data)
    (data / "events" / "clash-c.geojson").unlink()
    week_ago = os.path.getmtime(next(cache.iterdir())) - cache_module.STALE_AFTER_S - 60
    for path in cache.iterdir():
        os.utime(path, (week_ago, week_ago))
    before = len(list(cache.iterdir()))
    FileStore(cache).load(data)
    assert len(list(cache.iterdir())) == before - 1  # the removed file's entry


def test_the_cache_is_beside_the_data_unless_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("GEODATA_CACHE_DIR", raising=False)
    assert cache_dir(tmp_path) == tmp_path / ".cache"
    monkeypatch.setenv("GEODATA_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_dir(tmp_path) == tmp_path / "elsewhere"
    monkeypatch.setenv("GEODATA_CACHE_DIR", "off")
    assert cache_dir(tmp_path) is None


def test_the_cache_folder_is_ignored_by_git(monkeypatch):
    monkeypatch.delenv("GEODATA_CACHE_DIR", raising=False)
    entry = cache_dir(REPO / "geodata") / "0123abcd.arrow"
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", str(entry.relative_to(REPO))], cwd=REPO
    )
    assert ignored.returncode == 0


def test_a_loaded_data_set_is_freed_by_reference_counting_alone(data, tmp_path):
    """The dashboard freezes its data out of the garbage collector's walks; a data set its
    cache drops must then be freed without a collection: no reference cycles hold it."""
    store = FileStore(tmp_path / "cache", derive=event_columns)
    geodata = store.load(data)
    columns, geodata.derived = geodata.derived, None
    geodata.events["zones"] = columns["zones"]
    held = {
        "geodata": geodata,
        "map_data": MapData.from_columns(columns, geodata.areas),
        "nation_rows": nation_rows(geodata.events),
        "zone_rows": zone_rows(geodata.events),
        "nation_sets": nation_sets(geodata.events),
        "monthly_counts": monthly_counts(geodata.events, data_months(geodata.events)),
    }
    watched = [weakref.ref(value) for value in (*held.values(), geodata.events, geodata.areas)]
    gc.disable()
    try:
        del geodata, columns, held
        store.load(data / "events")  # the store's own copy of the last load goes too
        assert [ref() for ref in watched] == [None] * len(watched)
    finally:
        gc.enable()


@pytest.mark.parametrize("odd", ["pipe", "folder"])
def test_an_entry_that_is_a_pipe_or_a_folder_is_named_and_skipped_never_waited_on(
    data, tmp_path, odd
):
    # Before, a named pipe in an entry's place was opened for reading: the load waited for a
    # writer forever while /_stcore/health said 200.
    import threading

    FileStore(tmp_path / "cache").load(data)
    entry = sorted((tmp_path / "cache").glob("*.arrow"))[0]
    entry.unlink()
    os.mkfifo(entry) if odd == "pipe" else entry.mkdir()
    done = []
    worker = threading.Thread(
        target=lambda: done.append(FileStore(tmp_path / "cache").load(data)), daemon=True
    )
    worker.start()
    worker.join(60)
    assert done, "the load waited on the named pipe"
    geodata = done[0]
    expected = load_geodata(data)
    assert geodata.events["id"].tolist() == expected.events["id"].tolist()
    kind = "a named pipe (FIFO)" if odd == "pipe" else "a folder"
    assert [str(problem) for problem in geodata.problems[len(expected.problems) :]] == [
        f"{entry}: is {kind}, not a cache entry; skipped (the data file is checked again instead)"
    ]
    # A pipe is replaced by the entry written again; a folder stays in the way, named each time.
    again = FileStore(tmp_path / "cache").load(data)
    assert len(again.problems) == len(expected.problems) + (odd == "folder")
