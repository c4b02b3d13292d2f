"""`python -m layers.convert`: a list and its mapping become event GeoJSON the validator accepts."""

import datetime as dt
import json
import shutil
import subprocess
import sys

import openpyxl
import pytest
from conftest import REPO

EXAMPLES = REPO / "docs/examples/import"


def convert(*args, data=REPO / "geodata"):
    return subprocess.run(
        [sys.executable, "-m", "layers.convert", *map(str, args), "--data", str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def validate(directory):
    return subprocess.run(
        [sys.executable, "-m", "layers.validate", str(directory)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "count", "line"),
    [
        (
            "strait-transits",
            6,
            'strait-transits.csv: row #8: start: "2024/10/32" is not a date in the form '
            "%Y/%m/%d or %Y/%m",
        ),
        (
            "sightings-ja",
            4,
            'sightings-ja.csv: row #6: start: "32/07/2024" is not a date in the form %d/%m/%Y',
        ),
    ],
)
def test_each_example_converts_to_valid_events_and_reports_its_bad_row(tmp_path, name, count, line):
    data = tmp_path / "geodata"
    shutil.copytree(REPO / "geodata", data)
    output = data / "events" / f"{name}.geojson"
    result = convert(
        EXAMPLES / f"{name}.csv",
        "--mapping",
        EXAMPLES / f"{name}.mapping.toml",
        "--output",
        output,
        data=data,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [line]
    assert result.stderr.strip() == f"{count} events written to {output}; 1 problem"
    checked = validate(data)
    assert checked.returncode == 0, checked.stdout
    assert f"{28 + count} events" in checked.stdout
    # Re-importing the same list replaces its own events: their ids are not "taken".
    again = convert(
        EXAMPLES / f"{name}.csv",
        "--mapping",
        EXAMPLES / f"{name}.mapping.toml",
        "--output",
        output,
        data=data,
    )
    assert again.stdout.splitlines() == [line]


def test_a_mapping_that_names_a_missing_column_writes_nothing(tmp_path):
    output = tmp_path / "out.geojson"
    output.write_text("previous contents")
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        (EXAMPLES / "sightings-ja.mapping.toml").read_text().replace('"北緯"', '"緯度"')
    )
    result = convert(EXAMPLES / "sightings-ja.csv", "--mapping", mapping, "--output", output)
    assert result.returncode == 1
    assert result.stdout.startswith(
        'm.toml: geometry.lat names the column "緯度", which the file does not have (its '
        "columns: 日付, 時刻, 艦種, 隻数, 北緯, 東経, 国籍, 備考)"
    )
    assert output.read_text() == "previous contents"
    assert "Traceback" not in result.stderr


def test_a_clean_list_exits_0(tmp_path):
    source = tmp_path / "clean.csv"
    rows = (EXAMPLES / "sightings-ja.csv").read_text(encoding="utf-8").splitlines()
    source.write_text("\n".join(row for row in rows if "32/07" not in row) + "\n")
    output = tmp_path / "clean.geojson"
    result = convert(
        source, "--mapping", EXAMPLES / "sightings-ja.mapping.toml", "--output", output
    )
    assert (result.returncode, result.stdout) == (0, "")
    assert output.exists()


def test_no_event_never_replaces_a_file_and_a_folder_is_no_output(tmp_path):
    output = tmp_path / "kept.geojson"
    output.write_text("committed events")
    source = tmp_path / "bad.csv"
    source.write_text(
        "日付,時刻,艦種,隻数,北緯,東経,国籍,備考\n32/07/2024,0900,X,1,27N,125E,中国,\n"
    )
    mapping = EXAMPLES / "sightings-ja.mapping.toml"
    result = convert(source, "--mapping", mapping, "--output", output)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        f"{output}: not written: no row gave an event (an existing file is kept)"
    )
    assert output.read_text() == "committed events"
    folder = convert(source, "--mapping", mapping, "--output", tmp_path)
    assert folder.returncode == 1 and "Traceback" not in folder.stderr


def test_the_output_is_readable_by_others(tmp_path):
    output = tmp_path / "out.geojson"
    convert(
        EXAMPLES / "sightings-ja.csv",
        "--mapping",
        EXAMPLES / "sightings-ja.mapping.toml",
        "--output",
        output,
    )
    assert output.stat().st_mode & 0o044 == 0o044


def test_a_workbook_reads_its_visible_sheet_fills_merged_cells_and_names_a_formula_cell(tmp_path):
    book = openpyxl.Workbook()
    decoy = book.active
    decoy.title = "calc"
    decoy.append(["Title", "Date", "End", "Country", "Lat", "Lon"])
    decoy.append(["Hidden working row", dt.date(2020, 1, 1), None, "USA", 10.0, 130.0])
    decoy.sheet_state = "hidden"
    log = book.create_sheet("Log")
    log.append(["Title", "Date", "End", "Country", "Lat", "Lon"])
    log.append(["Liaoning group", dt.date(2024, 7, 18), dt.date(2024, 7, 19), "CHN", 24.5, 121.5])
    log.append(["Shandong group", dt.date(2024, 7, 20), "=B3+1", None, 25.0, 122.0])
    log.append(["Type 055", dt.date(2024, 7, 21), None, None, 23.5, 120.5])
    log.merge_cells("D2:D4")  # one nation for the three rows
    book.active = 1
    source = tmp_path / "log.xlsx"
    book.save(source)
    mapping = tmp_path / "log.mapping.toml"
    mapping.write_text(
        '[source]\ntitle = "Carrier log"\n[fields]\ntitle = { column = "Title" }\n'
        'kind = { value = "deployment" }\nstart = { column = "Date" }\n'
        'end = { column = "End" }\nnations = { column = "Country" }\n'
        '[geometry]\nlat = "Lat"\nlon = "Lon"\n'
    )
    output = tmp_path / "log.geojson"
    result = convert(source, "--mapping", mapping, "--output", output)
    assert result.returncode == 1  # a row was left out
    assert result.stdout.splitlines() == [
        "log.xlsx: row #3: end: C3 holds a formula (=B3+1) whose result was not saved in the "
        "file: open and save it in Excel or LibreOffice so the result is stored"
    ]
    assert result.stderr.splitlines() == [
        'log.xlsx: sheet "Log" read; also in the workbook: the hidden "calc"',
        "log.xlsx: a merged range gives its value to every cell it covers: D2:D4",
        "log.xlsx: 1 cell under the header holds no value the file can be trusted for (a "
        "formula without a saved result, an error); a row is left out only when the mapping "
        "reads one of them",
        f"2 events written to {output}; 1 problem",
    ]
    features = json.loads(output.read_text())["features"]
    assert [
        (
            f["properties"]["title"],
            f["properties"]["start"],
            f["properties"].get("end"),
            f["properties"]["nations"],
            f["geometry"]["coordinates"],
        )
        for f in features
    ] == [
        ("Liaoning group", "2024-07-18", "2024-07-19", ["CHN"], [121.5, 24.5]),
        ("Type 055", "2024-07-21", None, ["CHN"], [120.5, 23.5]),
    ]


def test_an_encoding_in_doubt_writes_nothing_and_says_how_to_name_it(tmp_path):
    """Curly apostrophes are the only non-ASCII in this Windows-1252 list, and GBK, Shift_JIS
    and EUC-KR read those bytes as cleanly: a question, answered in the mapping."""
    source = tmp_path / "w.csv"
    source.write_bytes(b"Title,Date,Country,Lat,Lon\nPLAN\x92s frigate,2024-07-18,CHN,24.5,119.5\n")
    mapping = tmp_path / "w.toml"
    mapping.write_text(
        '[source]\ntitle = "t"\n[fields]\ntitle = { column = "Title" }\n'
        'kind = { value = "incident" }\nstart = { column = "Date" }\n'
        'nations = { column = "Country" }\n[geometry]\nlat = "Lat"\nlon = "Lon"\n',
        encoding="utf-8",
    )
    output = tmp_path / "w.geojson"
    result = convert(source, "--mapping", mapping, "--output", output)
    assert result.returncode == 1 and not output.exists()
    assert "its encoding is not certain (Windows-1252, GB18030" in result.stdout
    assert 'w.toml: to read it, name its encoding under [source]: encoding = "cp1252"' in (
        result.stderr
    )
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace(
            'title = "t"\n', 'title = "t"\nencoding = "cp1252"\n'
        ),
        encoding="utf-8",
    )
    result = convert(source, "--mapping", mapping, "--output", output)
    assert result.returncode == 0
    assert json.loads(output.read_text(encoding="utf-8"))["features"][0]["properties"]["title"] == (
        "PLAN’s frigate"
    )


def test_many_problems_alike_are_summed_up_in_one_line_naming_the_first(tmp_path):
    # An AIS list without its [source] timezone: one problem per row, the cause in the mapping.
    mapping = tmp_path / "ais.mapping.toml"
    mapping.write_text(
        (EXAMPLES / "vessel-positions.mapping.toml").read_text().replace('timezone = "UTC"', "")
    )
    rows = [
        f"416999001,CGA 9,TWN,2024-05-20 {hour:02d}:00:00,22.{hour:02d},120.5" for hour in range(24)
    ]
    source = tmp_path / "ais.csv"
    source.write_text("MMSI,VesselName,Flag,BaseDateTime,LAT,LON\n" + "\n".join(rows) + "\n")
    result = convert(source, "--mapping", mapping, "--output", tmp_path / "out.geojson")
    assert result.returncode == 1 and len(result.stdout.splitlines()) == 24 + 1
    assert result.stderr.splitlines() == [
        "24 of the 24 problems are alike but for their values, the first: ais.csv: row #2: "
        'time: "2024-05-20 00:00:00" has no time zone: give the list\'s zone as [source] '
        'timezone ("UTC", "+09:00", "Asia/Taipei"); a time without one is never taken as UTC; '
        'left out of its event (group "416999001")'
    ]
