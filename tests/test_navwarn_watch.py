"""`python -m layers.navwarn watch DIR --into FILE`: files dropped day after day become one file
of events, each warning once, cancellations marking the warnings they cancel, and a bad file
one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from layers.read.navwarn import read_warning, warning_id
from layers.read.navwarn.watch import state_path, watch_once

W123 = (
    "闽航警0123/24 台湾海峡 2024年5月23日0800时至5月24日1800时 在24-10.00N 118-30.00E、"
    "24-10.00N 118-50.00E、24-00.00N 118-50.00E诸点连线范围内进行实弹射击。"
)
W124 = (
    "闽航警0124/24 台湾海峡 2024年5月25日0800时至5月26日1800时 在24-30.00N 119-00.00E、"
    "24-30.00N 119-20.00E、24-20.00N 119-20.00E诸点连线范围内进行实弹射击。"
)
W125 = (
    "闽航警0125/24 台湾海峡 2024年5月27日0800时至5月27日1800时 在24-40.00N 119-30.00E、"
    "24-40.00N 119-50.00E、24-30.00N 119-50.00E诸点连线范围内进行实弹射击。"
)
# Each event's id as the reader makes it from the warning's number.
ID = {
    123: warning_id(read_warning(W123)),
    124: warning_id(read_warning(W124)),
    125: warning_id(read_warning(W125)),
    2376: warning_id(read_warning("HYDROPAC 2376/26")),
}
CANCEL_124 = "闽航警0126/24 撤销闽航警0124/24。"
BAD = "闽航警0127/24 台湾海峡 2024年5月28日0800时至1800时 进行实弹射击，具体海域另行通知。"


def drop(folder: Path, name: str, *warnings: str) -> None:
    (folder / name).write_text("\n\n".join(warnings) + "\n", encoding="utf-8")


def events(into: Path) -> dict[str, dict]:
    features = json.loads(into.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["title"].split(":")[0]: f["properties"] for f in features}


def test_three_days_of_files_make_each_warning_once(tmp_path):
    inbox, into = tmp_path / "inbox", tmp_path / "events.geojson"
    inbox.mkdir()
    drop(inbox, "2024-05-20.txt", W123, W124)
    day1 = watch_once(inbox, into)
    assert day1.lines == [
        f"2024-05-20.txt: added 闽航警0123/24 ({ID[123]})",
        f"2024-05-20.txt: added 闽航警0124/24 ({ID[124]})",
    ]
    drop(inbox, "2024-05-21.txt", W123, W125)
    day2 = watch_once(inbox, into)
    assert day2.lines == [
        "2024-05-21.txt: unchanged 闽航警0123/24: already in events.geojson",
        f"2024-05-21.txt: added 闽航警0125/24 ({ID[125]})",
    ]
    drop(inbox, "2024-05-22.txt", CANCEL_124)
    drop(inbox, "2024-05-22-b.txt", BAD)
    day3 = watch_once(inbox, into)
    assert day3.lines == [
        '2024-05-22-b.txt: warning "闽航警0127/24" (#1): areas: no coordinates: the area is to '
        "be announced; no event is made and no position is invented",
        "2024-05-22.txt: cancelled 闽航警0124/24 by 闽航警0126/24",
    ]
    assert (day3.cancelled, day3.problems) == (1, 1)

    made = events(into)
    assert sorted(made) == ["闽航警0123/24", "闽航警0124/24", "闽航警0125/24"]
    first, cancelled, third = made["闽航警0123/24"], made["闽航警0124/24"], made["闽航警0125/24"]
    assert (first["start"], first["end"], first["nations"]) == ("2024-05-23", "2024-05-24", ["CHN"])
    assert (third["start"], third["end"]) == ("2024-05-27", "2024-05-27")
    assert cancelled["title"].endswith("(cancelled by 闽航警0126/24)")
    assert cancelled["summary"].endswith("\nCancelled by 闽航警0126/24.")
    # No time in the cancellation: the event keeps its own dates.
    assert (cancelled["start"], cancelled["end"]) == ("2024-05-25", "2024-05-26")
    assert cancelled["sources"] == [
        {"title": "Navigational warning 闽航警0124/24"},
        {"title": "Navigational warning 闽航警0126/24"},
    ]
    assert "cancelled" not in first["title"] and "cancelled" not in third["title"]

    # The state names each file taken, by its SHA-256.
    state = json.loads(state_path(into).read_text(encoding="utf-8"))
    assert sorted(state["files"]) == [
        "2024-05-20.txt",
        "2024-05-21.txt",
        "2024-05-22-b.txt",
        "2024-05-22.txt",
    ]
    # Nothing new: nothing said, nothing written.
    before = into.read_bytes()
    assert watch_once(inbox, into).lines == []
    assert into.read_bytes() == before


def test_a_repeat_a_replacement_and_a_cancellation_that_comes_first(tmp_path):
    inbox, into = tmp_path / "inbox", tmp_path / "events.geojson"
    inbox.mkdir()
    drop(inbox, "a.txt", CANCEL_124)
    assert watch_once(inbox, into).lines == [
        "a.txt: 闽航警0126/24 cancels 闽航警0124/24, which is not in events.geojson: it is "
        "marked when it comes"
    ]
    drop(inbox, "b.txt", W124)
    assert watch_once(inbox, into).lines == [
        f"b.txt: added 闽航警0124/24 ({ID[124]})",
        "a.txt: cancelled 闽航警0124/24 by 闽航警0126/24",
    ]
    # The same file's bytes under another name: the same warning, and still cancelled.
    drop(inbox, "c.txt", W124)
    assert watch_once(inbox, into).lines == [
        "c.txt: unchanged 闽航警0124/24: already in events.geojson"
    ]
    # Re-issued under its number with another period: it replaces the event.
    drop(inbox, "d.txt", W124.replace("5月26日1800时", "5月27日1800时"))
    assert watch_once(inbox, into).lines == ["d.txt: updated 闽航警0124/24: replaced by this text"]
    (only,) = events(into).values()
    assert (only["end"], only["title"].endswith("(cancelled by 闽航警0126/24)")) == (
        "2024-05-27",
        True,
    )


NGA_RECORD = """<broadcast-warn><broadcastWarn{status}Entity>
<msgYear>2026</msgYear><msgNumber>2376</msgNumber><navArea>P</navArea><subregion>93</subregion>
<text>SOUTH CHINA SEA.
VIETNAM.
1. NAVAL EXERCISES 220000Z TO 301200Z AUG
   IN AREA BOUND BY
   11-00.00N 109-30.00E, 11-00.00N 110-00.00E,
   10-30.00N 110-00.00E, 10-30.00N 109-30.00E.
</text><status>{code}</status><issueDate>200915Z AUG 2026</issueDate>{cancel}
</broadcastWarn{status}Entity></broadcast-warn>"""


def test_ngas_cancelled_record_ends_the_event_it_cancels(tmp_path):
    inbox, into = tmp_path / "inbox", tmp_path / "events.geojson"
    inbox.mkdir()
    (inbox / "1.xml").write_text(NGA_RECORD.format(status="Active", code="A", cancel=""))
    assert watch_once(inbox, into, nations=["VNM"]).lines == [
        f"1.xml: added HYDROPAC 2376/26 ({ID[2376]})"
    ]
    assert events(into)["HYDROPAC 2376/26"]["end"].startswith("2026-08-30")
    cancel = (
        "<cancelDate>241200Z AUG 2026</cancelDate><cancelNavArea>P</cancelNavArea>"
        "<cancelMsgYear>2026</cancelMsgYear><cancelMsgNumber>2383</cancelMsgNumber>"
    )
    (inbox / "2.xml").write_text(NGA_RECORD.format(status="Cancelled", code="C", cancel=cancel))
    assert watch_once(inbox, into, nations=["VNM"]).lines == [
        "2.xml: cancelled HYDROPAC 2376/26 by HYDROPAC 2383/26"
    ]
    event = events(into)["HYDROPAC 2376/26"]
    assert event["end"] == "2026-08-24T12:00Z"
    assert event["title"].endswith("(cancelled by HYDROPAC 2383/26)")


def test_a_bad_file_is_one_line_and_the_rest_goes_on(tmp_path, monkeypatch):
    inbox, into = tmp_path / "inbox", tmp_path / "events.geojson"
    inbox.mkdir()
    (inbox / "1-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    (inbox / "2-truncated.xml").write_bytes(b"<broadcast-warn><broadcastWarnActiveEntity><text>S")
    (inbox / "3-locked.txt").write_text(W125, encoding="utf-8")
    (inbox / "4-notes.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "4-quiet-day.xml").write_bytes(b"<broadcast-warn/>")
    drop(inbox, "5-good.txt", W123)
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "3-locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    changes = watch_once(inbox, into)
    assert changes.problems == 3  # the binary, truncated and unreadable files
    assert changes.lines == [
        "1-binary.txt: not UTF-8 text (byte 0); save it as UTF-8",
        "2-truncated.xml: cannot be read as NGA's XML: it is not well-formed XML (line 1, "
        "column 51)",
        "3-locked.txt: cannot be read (Permission denied); tried again next",
        "4-notes.pdf: not a warnings file (.txt, .csv, .tsv, .xml, .json); skipped",
        "4-quiet-day.xml: holds no warnings (an empty <broadcast-warn>)",
        f"5-good.txt: added 闽航警0123/24 ({ID[123]})",
    ]
    assert sorted(events(into)) == ["闽航警0123/24"]
    # Once readable, the locked file is taken; the others are not said again.
    monkeypatch.setattr(Path, "read_bytes", real)
    assert watch_once(inbox, into).lines == [f"3-locked.txt: added 闽航警0125/24 ({ID[125]})"]


def test_a_file_of_events_that_cannot_be_read_is_never_written_over(tmp_path):
    inbox, into = tmp_path / "inbox", tmp_path / "events.geojson"
    inbox.mkdir()
    drop(inbox, "a.txt", W123)
    into.write_text("{not json", encoding="utf-8")
    changes = watch_once(inbox, into)
    assert changes.lines == [f"{into}: cannot be read (it is not JSON); not written over"]
    assert into.read_text(encoding="utf-8") == "{not json"


def test_the_command_takes_the_files_once(tmp_path):
    inbox, into = tmp_path / "inbox", tmp_path / "out" / "events" / "warnings.geojson"
    inbox.mkdir()
    drop(inbox, "2024-05-20.txt", W123, W124)
    drop(inbox, "2024-05-22.txt", CANCEL_124)
    command = [sys.executable, "-m", "layers.navwarn", "watch", str(inbox), "--into", str(into)]
    run = subprocess.run(
        command + ["--once"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert (run.returncode, run.stdout.splitlines()) == (
        0,
        [
            f"2024-05-20.txt: added 闽航警0123/24 ({ID[123]})",
            f"2024-05-20.txt: added 闽航警0124/24 ({ID[124]})",
            "2024-05-22.txt: cancelled 闽航警0124/24 by 闽航警0126/24",
        ],
    )
    again = subprocess.run(
        command + ["--once"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert (again.returncode, again.stdout) == (0, "")
    checked = subprocess.run(
        [sys.executable, "-m", "layers.validate", str(into.parent.parent)],
        cwd=REPO,
        capture_output=True,
    )
    assert checked.returncode == 0, checked.stdout


def test_the_command_takes_issuer_rules_for_warnings_that_do_not_say(tmp_path):
    inbox, into = tmp_path / "inbox", tmp_path / "warnings.geojson"
    inbox.mkdir()
    box = "22-00.00N 118-00.00E, 22-00.00N 118-20.00E, 21-40.00N 118-20.00E"
    (inbox / "2024-10-13.txt").write_text(
        f"HYDROPAC 2381/24 SOUTH CHINA SEA. GUNNERY 140100UTC TO 140900UTC OCT 24 "
        f"IN AREA BOUNDED BY {box}.\n"
        f"NAVAREA XII 0612/24 NORTH PACIFIC. GUNNERY 150100UTC TO 150900UTC OCT 24 "
        f"IN AREA BOUNDED BY {box}.\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "layers.navwarn", "watch", str(inbox), "--into", str(into)]
    run = subprocess.run(
        command + ["--once", "--issuer", "HYDROPAC=VNM"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    features = json.loads(into.read_text(encoding="utf-8"))["features"]
    assert [(f["properties"]["title"][:16], f["properties"]["nations"]) for f in features] == [
        ("HYDROPAC 2381/24", ["VNM"])
    ]
    assert any(
        "NAVAREA XII 0612/24" in line and "who issued" in line for line in run.stdout.splitlines()
    )
