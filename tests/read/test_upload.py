"""An analyst's own file: GeoJSON or CSV through the same validator, with limits."""

import json
import zipfile
from io import BytesIO

import pandas as pd
import pytest
from conftest import REPO, collection, event

from layers.read import upload
from layers.read.schema import Problem
from layers.read.upload import ids_taken, read_upload

TAKEN = {"on-file": "events/a.geojson"}
AREAS = {"senkaku-waters"}


def csv_bytes(*rows, header="id,title,kind,start,end,nations,lat,lon,source_title"):
    return ("\n".join([header, *rows]) + "\n").encode()


def messages(result):
    return [str(problem) for problem in result.problems]


def test_the_documented_example_csv_loads_cleanly():
    raw = (REPO / "docs/examples/sightings.csv").read_bytes()
    result = read_upload("sightings.csv", raw, {}, AREAS)
    assert messages(result) == []
    first = result.events.iloc[0]
    assert first["forces"] == ["Haijing 2502", "Haijing 2302"]
    assert first["file"] == "upload: sightings.csv"
    assert result.events.iloc[1]["start_text"] == "2024-06"


def test_a_geojson_upload_uses_the_event_format():
    raw = json.dumps(collection(event("mine"), event("also-mine", kind="patrol"))).encode()
    result = read_upload("colleague.geojson", raw, TAKEN, AREAS)
    assert list(result.events["id"]) == ["mine", "also-mine"] and result.problems == []


@pytest.mark.parametrize(
    ("row", "field", "text"),
    [
        ("bad-date,T,incident,2024-13-01,,CHN,25,123,S", "start", "is not a date"),
        ("bad-nation,T,incident,2024-06,,Japan,25,123,S", "nations", 'did you mean "JPN"'),
        ("bad-lat,T,incident,2024-06,,CHN,north,123,S", "geometry", "not a [longitude, latitude]"),
        ("swapped,T,incident,2024-06,,CHN,123,25,S", "geometry", "swapped"),
        ("no-source,T,incident,2024-06,,CHN,25,123,", "sources", "say in the summary why"),
        ("nan,T,incident,2024-06,,CHN,nan,123,S", "geometry", "not a [longitude, latitude]"),
    ],
)
def test_a_bad_csv_row_names_its_spreadsheet_row_and_field(row, field, text):
    result = read_upload(
        "log.csv", csv_bytes("fine,T,incident,2024-06,,CHN,25,123,S", row), {}, AREAS
    )
    assert list(result.events["id"]) == ["fine"]
    (problem,) = result.problems
    assert problem.file == "upload: log.csv" and problem.field == field
    assert problem.feature.startswith("row ") and problem.feature.endswith("(#3)")
    assert text in problem.message


def test_a_csv_without_required_columns_says_which():
    result = read_upload("log.csv", b"id,title\nx,y\n", {}, AREAS)
    assert messages(result) == [
        "upload: log.csv: header: missing columns: kind, start, nations, lat, lon"
    ]


def test_an_id_already_on_file_is_reported_not_overwritten():
    raw = json.dumps(collection(event("on-file"), event("new"))).encode()
    result = read_upload("mine.geojson", raw, TAKEN, AREAS)
    assert list(result.events["id"]) == ["new"]
    assert '"on-file" is already used in events/a.geojson' in messages(result)[0]


@pytest.mark.parametrize(
    ("name", "raw", "text"),
    [
        ("big.geojson", b" " * (upload.MAX_UPLOAD_BYTES + 1), "the limit is 20 MB"),
        ("archive.geojson", b"PK\x03\x04rest-of-a-zip", "compressed archive"),
        ("binary.csv", bytes(range(256)) * 4, "no usual encoding reads it"),
        ("shift-jis.geojson", "尖閣".encode("shift_jis"), "not UTF-8"),
        ("not-json.geojson", b"<html><script>alert(1)</script></html>", "not valid JSON"),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(name, raw, text):
    result = read_upload(name, raw, {}, AREAS)
    assert result.events.empty
    assert text in messages(result)[0]


def test_a_windows_1252_csv_is_read_and_its_encoding_said():
    text = (
        "id,title,kind,start,nations,lat,lon,source_title\n"
        "reed-bank,Gem-Ver sunk near Reed Bank — “crew rescued”,incident,2019-06-09,PHL,10.7,"
        "116.2,Incident list\n"
    )
    result = read_upload("incidents.csv", text.encode("cp1252"), {}, AREAS)
    assert list(result.events["title"]) == ["Gem-Ver sunk near Reed Bank — “crew rescued”"]
    (note,) = result.problems
    assert (note.field, note.skipped) == ("encoding", False)
    assert "read as Windows-1252, detected" in note.message


def test_a_real_zip_renamed_to_geojson_is_recognised():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("events.geojson", json.dumps(collection(event("x"))))
    result = read_upload("events.geojson", buffer.getvalue(), {}, AREAS)
    assert "compressed archive" in messages(result)[0]


def test_too_many_events_or_vertices_are_refused(monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_EVENTS", 2)
    raw = json.dumps(collection(event("a"), event("b"), event("c"))).encode()
    assert "has 3 events; the limit is 2" in messages(read_upload("x.geojson", raw, {}, AREAS))[0]
    monkeypatch.setattr(upload, "MAX_FEATURE_VERTICES", 3)
    line = {"type": "LineString", "coordinates": [[120, 20], [121, 21], [122, 22], [123, 23]]}
    raw = json.dumps(collection(event("long", geometry=line), event("short"))).encode()
    result = read_upload("x.geojson", raw, {}, AREAS)
    assert list(result.events["id"]) == ["short"]
    assert "has 4 vertices; the limit is 3" in messages(result)[0]


def test_a_file_name_cannot_inject_lines_into_messages():
    result = read_upload("evil\n- [x](javascript:alert(1))`.geojson", b"{", {}, AREAS)
    assert "\n" not in str(result.problems[0])


# --- navigational warnings as an upload ---------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "text", "problem"),
    [
        ("闽航警0123/24".encode("utf-8-sig"), "闽航警0123/24", None),
        ("闽航警0123/24".encode("utf-16"), "闽航警0123/24", None),
        ("闽航警0123/24".encode("gb18030"), "", "its encoding is not certain (GB18030 (GBK), Big5"),
        (b" " * (upload.MAX_UPLOAD_BYTES + 1), "", "the limit is 20 MB"),
    ],
)
def test_a_text_file_of_warnings_is_read_or_says_why_not(raw, text, problem):
    read, problems = upload.warnings_text("w.txt", raw)
    assert read == text
    assert [problem in found.message for found in problems] == ([True] if problem else [])
    assert all(found.file == "upload: w.txt" for found in problems)


def test_warnings_become_an_upload_checked_like_any_other():
    text = (REPO / "docs/examples/navwarn/warnings.txt").read_text(encoding="utf-8")
    earlier = Problem("upload: w.txt", "an earlier problem")
    result = upload.warnings_upload(
        "w.txt", [(text, None, None, None)], ["JPN"], AREAS, {}, [earlier]
    )
    assert len(result.events) == 8 and set(result.events["file"]) == {"upload: w.txt"}
    assert result.label == "upload: w.txt"
    assert [p.message for p in result.problems][0] == "an earlier problem"
    assert result.problems[1].feature == 'warning "粤航警0777/24" (#10)'


def test_an_id_in_an_earlier_upload_is_taken_and_named_by_its_upload():
    first = read_upload(
        "mine.geojson", json.dumps(collection(event("mine"))).encode(), TAKEN, AREAS
    )
    taken = ids_taken(pd.DataFrame({"id": ["on-file"], "file": ["events/a.geojson"]}), [first])
    assert taken == {"on-file": "events/a.geojson", "mine": first.events["file"].iat[0]}
    again = read_upload(
        "again.geojson", json.dumps(collection(event("mine"))).encode(), taken, AREAS
    )
    assert again.events.empty
    assert f'"mine" is already used in {first.events["file"].iat[0]}' in messages(again)[0]


def test_a_csv_in_the_event_format_takes_times_of_day_as_written():
    raw = csv_bytes(
        "tokyo,T,incident,2024-07-19T08:00+09:00,2024-07-19T17:30+09:00,CHN,25,123,S",
        "late,T,incident,2024-07-18T10:00Z,2024-07-18T02:00Z,CHN,25,123,S",
        "no-zone,T,incident,2024-07-18T10:00,,CHN,25,123,S",
    )
    result = read_upload("log.csv", raw, {}, AREAS)
    assert list(zip(result.events["start_text"], result.events["end_text"])) == [
        ("2024-07-19T08:00+09:00", "2024-07-19T17:30+09:00")
    ]
    assert [(p.feature.split(" (")[0], p.field) for p in result.problems] == [
        ('row "late"', "end"),
        ('row "no-zone"', "start"),
    ]


def test_a_nul_in_a_csv_cell_names_its_row_and_the_other_rows_load():
    # Before, one NUL anywhere refused the whole file as "a binary file", every valid row lost.
    raw = csv_bytes(
        "kept-1,Patrol,patrol,2024-07-01,,JPN,25.7,123.5,Report",
        "nul-row,Patrol\x00 two,patrol,2024-07-02,,JPN,25.7,123.5,Report",
        "kept-2,Patrol,patrol,2024-07-03,,JPN,25.7,123.5,Report",
    )
    result = read_upload("sightings.csv", raw, {}, AREAS)
    assert list(result.events["id"]) == ["kept-1", "kept-2"]
    assert messages(result) == [
        'upload: sightings.csv: row "nul-row" (#3): title: holds a NUL character (U+0000), '
        "which cannot be stored"
    ]
    # A file of many NULs is still not text (UTF-16 read as CSV).
    result = read_upload("sheet.csv", "id,title\nabc,def\n".encode("utf-16-le") * 5, {}, AREAS)
    assert messages(result) == ["upload: sheet.csv: holds NUL bytes: a binary file, not CSV text"]
