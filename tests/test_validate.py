"""The contributors' command: `python -m layers.validate [DIR]`."""

import json
import subprocess
import sys

from conftest import REPO, collection, event, small_dataset, write_geodata


def run_validate(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "layers.validate", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )


def test_clean_data_exits_0_with_a_summary(tmp_path):
    result = run_validate(small_dataset(tmp_path))
    assert result.returncode == 0
    assert result.stdout.startswith("OK: 2 of 2 files, 3 events, 1 area")


def test_the_repository_data_is_clean():
    result = run_validate(REPO / "geodata")
    assert result.returncode == 0, result.stdout
    assert "OK:" in result.stdout


def test_broken_data_exits_1_naming_each_file_feature_and_field(tmp_path):
    good = json.dumps(collection(event("fine")))
    root = write_geodata(
        tmp_path,
        {
            "truncated.geojson": good[:40],
            "mixed.geojson": collection(
                event("valid-one"),
                event("swapped", geometry={"type": "Point", "coordinates": [34.8, 139.8]}),
                event("no-start", start=None),
                event("named", nations=["Japan"]),
                event("backwards", start="2024-07-18", end="2024-07-01"),
            ),
        },
    )
    result = run_validate(root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith('events/mixed.geojson: feature "swapped" (#2): geometry: ')
    assert lines[1] == (
        'events/mixed.geojson: feature "no-start" (#3): start: missing: when did it happen? '
        "(YYYY-MM-DD, YYYY-MM or YYYY)"
    )
    assert lines[2] == (
        'events/mixed.geojson: feature "named" (#4): nations: "Japan" is not an ISO 3166-1 '
        'alpha-3 code (did you mean "JPN"?)'
    )
    assert lines[3] == (
        'events/mixed.geojson: feature "backwards" (#5): end: "2024-07-01" is before the start '
        '"2024-07-18"'
    )
    assert lines[4].startswith("events/truncated.geojson: not valid JSON:")
    assert "valid: 1 of 2 files, 1 event" in result.stderr


def test_help_describes_the_command():
    result = run_validate("--help")
    assert result.returncode == 0 and "data directory" in result.stdout


def test_a_wrong_sides_is_one_line_naming_file_feature_and_field(tmp_path):
    root = write_geodata(
        tmp_path,
        {
            "senkaku.geojson": collection(
                event("buoy", kind="incident", nations=["CHN", "JPN"], sides=[["CHN"], ["JPN"]]),
                event("typo", kind="incident", nations=["CHN", "JPN"], sides=[["CHN"], ["JPM"]]),
            )
        },
    )
    result = run_validate(root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'events/senkaku.geojson: feature "typo" (#2): sides[1][0]: "JPM" is not an ISO 3166-1 '
        "alpha-3 code; the sides are ignored: its nations count neither together nor against "
        "each other"
    ]
    assert "(0 features or files left out)" in result.stderr
