"""`python -m layers.db`: init, import through the validator, export, status, as run by hand."""

import os
import subprocess
import sys

from conftest import REPO

from layers.read.load import load_geodata


def db(*args, url=None, env=None):
    environment = {key: value for key, value in os.environ.items() if key != "EVENTS_DB"}
    environment |= env or {}
    command = [sys.executable, "-m", "layers.db", *(["--db", url] if url else []), *args]
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True)


def test_init_import_export_and_status(events_db, tmp_path):
    areas = len(load_geodata(REPO / "geodata").areas)  # every named area of geodata/areas/
    assert areas >= 25
    files = len(list((REPO / "geodata").rglob("*.geojson")))  # events' files and areas' files
    assert db("init", url=events_db).stdout.strip() == "Schema up to date."
    imported = db("import", "geodata", env={"EVENTS_DB": events_db})
    assert imported.returncode == 0, imported.stderr
    assert f"geodata: 28 events added; {areas} areas read." in imported.stdout
    again = db("import", "--if-empty", "geodata", url=events_db)
    assert again.returncode == 0 and "holds events already" in again.stdout
    same = db("import", "geodata", url=events_db)
    assert "0 events added, 28 already there unchanged" in same.stdout
    exported = db("export", str(tmp_path / "out"), url=events_db)
    assert exported.returncode == 0 and f"Wrote 28 events in {files} files" in exported.stdout
    assert len(load_geodata(tmp_path / "out").events) == 28
    validated = subprocess.run(
        [sys.executable, "-m", "layers.validate", str(tmp_path / "out")], cwd=REPO
    )
    assert validated.returncode == 0
    status = db("status", url=events_db)
    assert status.stdout.startswith(f"28 events, 2017-12 to 2024-08, {areas} areas; version ")


def test_import_prints_each_problem_and_stores_the_valid_events(events_db):
    result = db("import", "docs/examples/hostile", url=events_db)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 12  # the validator's 11 lines and the summary
    assert lines[-1] == "docs/examples/hostile: 3 events added; 0 areas read."
    assert "Traceback" not in result.stderr


def test_no_database_or_an_unreachable_one_is_one_line(tmp_path):
    missing = db("status")
    assert missing.returncode == 2 and "EVENTS_DB" in missing.stderr
    unreachable = db("init", url="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert unreachable.returncode == 2
    assert unreachable.stderr.startswith("Events database: cannot connect")
    assert len(unreachable.stderr.strip().splitlines()) == 1


def test_import_names_a_nul_title_and_stores_the_other_events_of_its_file(events_db, tmp_path):
    # Before: PostgreSQL refused the whole batch ("invalid byte sequence … 0x00"), the import
    # exited 2 and the valid events of the same file were not stored.
    from conftest import collection, event, write_geodata

    root = write_geodata(
        tmp_path / "data",
        {"e.geojson": collection(event("kept"), event("nul-title", title="Patrol\u0000"))},
    )
    result = db("import", str(root), url=events_db)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        'events/e.geojson: feature "nul-title" (#2): title: holds a NUL character (U+0000), '
        "which cannot be stored",
        f"{root}: 1 event added; 0 areas read.",
    ]
    assert "Traceback" not in result.stderr
    assert db("status", url=events_db).stdout.startswith("1 event, 2024-07 to 2024-07")


def test_import_names_odd_entries_and_stores_the_good_file(events_db, tmp_path):
    from conftest import collection, event, write_geodata

    root = write_geodata(tmp_path / "data", {"good.geojson": collection(event("kept"))})
    (root / "events" / "folder.geojson").mkdir()
    os.mkfifo(root / "events" / "pipe.geojson")
    result = db("import", str(root), url=events_db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "events/folder.geojson: is a folder, not a file; skipped",
        "events/pipe.geojson: is a named pipe (FIFO), not a file; skipped",
        f"{root}: 1 event added; 0 areas read.",
    ]
