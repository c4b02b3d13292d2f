"""Odd entries in a data folder: broken links, named pipes, sockets, folders named *.geojson.

Each is named in one line and skipped; every other file still loads, and nothing waits on a
named pipe (a FIFO opened for reading waits for a writer forever) or raises.
"""

import os
import socket
import subprocess
import sys
import threading

import pytest
from conftest import REPO, collection, event, write_geodata

from layers.read import load
from layers.read.load import data_fingerprint, load_geodata


def within(seconds, function, *args):
    """`function(*args)`, failing the test if it has not returned after `seconds` (a hang);
    an exception it raises is raised here."""
    done, raised = [], []

    def run():
        try:
            done.append(function(*args))
        except BaseException as error:  # handed to the test's thread
            raised.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if raised:
        raise raised[0]
    assert done, f"{function.__name__} did not return within {seconds} s (waiting on a pipe?)"
    return done[0]


@pytest.fixture
def odd_data(tmp_path):
    """A data folder with one good events file and, beside it, each odd entry."""
    root = write_geodata(tmp_path / "geodata", {"good.geojson": collection(event("good"))})
    events = root / "events"
    os.symlink(root / "gone.json", events / "broken-link.geojson")
    os.mkfifo(events / "pipe.geojson")
    (events / "folder.geojson").mkdir()
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(events / "socket.geojson"))
    yield root
    listening.close()


def test_each_odd_entry_is_one_line_and_the_good_file_loads(odd_data):
    geodata = within(30, load_geodata, odd_data)
    assert list(geodata.events["id"]) == ["good"]
    assert [str(problem) for problem in geodata.problems] == [
        f"events/broken-link.geojson: is a link to {odd_data / 'gone.json'}, which does not "
        "exist (a broken link); skipped",
        "events/folder.geojson: is a folder, not a file; skipped",
        "events/pipe.geojson: is a named pipe (FIFO), not a file; skipped",
        "events/socket.geojson: is a socket, not a file; skipped",
    ]


def test_the_dashboards_cache_key_takes_a_broken_link(odd_data):
    # Before, stat() of the broken link raised FileNotFoundError in every session: no map.
    fingerprint = within(30, data_fingerprint, odd_data)
    assert {entry[0] for entry in fingerprint} >= {"good.geojson", "broken-link.geojson"}


def test_a_pipe_put_where_a_file_was_listed_is_refused_not_waited_on(odd_data):
    # A file replaced by a named pipe between the listing and the read (an rsync, a user's
    # mkfifo): reading it would wait for a writer forever, with /_stcore/health still 200.
    problems = []
    files = load._geojson_files(odd_data, "events", problems)
    (odd_data / "events" / "good.geojson").unlink()
    os.mkfifo(odd_data / "events" / "good.geojson")
    checks = within(
        30,
        load._check_files,
        odd_data,
        files,
        "events",
        None,
        load.check_file,
        load.hashlib.sha256(),
    )
    assert [str(problem) for check in checks for problem in check.problems] == [
        "events/good.geojson: is a named pipe (FIFO), not a file; skipped"
    ]


def test_the_validator_and_the_import_name_the_odd_entries_without_a_traceback(odd_data):
    result = subprocess.run(
        [sys.executable, "-m", "layers.validate", str(odd_data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "events/folder.geojson: is a folder, not a file; skipped" in result.stdout.splitlines()
    assert "events/pipe.geojson: is a named pipe (FIFO), not a file; skipped" in result.stdout
