"""A mapping's [counts]: each count read from its column as a whole number as lists write it,
an empty cell giving no count (never 0), a cell that is no whole number a line naming the count;
the mapping written out reads back the same; the daily-report example loads its columns."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from conftest import REPO

from layers.read.load import load_geodata
from layers.read.mapping import (
    MappingError,
    import_table,
    mapping_toml,
    parse_mapping,
    whole_number,
)
from layers.read.sources import read_source

EXAMPLES = REPO / "docs/examples/import"
AREAS = load_geodata(REPO / "geodata").areas
MAPPING = """
[source]
title = "Daily reports"
[fields]
id = { template = "r-{row}" }
title = { column = "Title" }
kind = { value = "patrol" }
start = { column = "Date" }
nations = { value = "CHN" }
[counts]
aircraft = { column = "Aircraft" }
ships = { column = "Ships" }
[geometry]
area = "taiwan-strait"
"""


def run(text: str, mapping: str = MAPPING, name: str = "list.csv"):
    table = read_source(name, text.encode("utf-8"), name)
    events, problems = import_table(table, parse_mapping(mapping), name, AREAS)
    return dict(zip(events["id"], events["counts"], strict=True)), [str(p) for p in problems]


def test_counts_come_from_their_columns_and_an_empty_cell_gives_no_count():
    counts, problems = run(
        "Title,Date,Aircraft,Ships\n"
        "Report,2024-07-18,45,7\n"
        "Report,2024-07-19,0,\n"
        "Report,2024-07-20,,3\n"
    )
    assert problems == []
    assert counts == {
        "r-2": {"aircraft": 45, "ships": 7},
        "r-3": {"aircraft": 0},
        "r-4": {"ships": 3},
    }


@pytest.mark.parametrize(
    ("cell", "count"),
    [
        ('"1,234"', 1234),  # thousands grouped, in a list that writes decimal points
        ("45.0", 45),  # a spreadsheet's whole number
        ('"1 234"', 1234),
        ("４５", 45),  # full-width digits, as a Japanese input method types them
        (" 45 ", 45),
    ],
)
def test_a_whole_number_is_read_as_lists_write_it(cell, count):
    counts, problems = run(f"Title,Date,Aircraft,Ships\nReport,2024-07-18,{cell},\n")
    assert (counts, problems) == ({"r-2": {"aircraft": count}}, [])


def test_a_list_that_writes_decimal_commas_groups_thousands_with_points():
    counts, problems = run(
        "Title;Date;Aircraft;Ships\nReport;2024-07-18;1.234;45,0\nReport;2024-07-19;1,5;7\n"
    )
    assert counts == {"r-2": {"aircraft": 1234, "ships": 45}, "r-3": {"ships": 7}}
    assert problems == [
        'list.csv: row #3: counts.aircraft: "1,5" is not a whole number of 0 or more; ignored'
    ]


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("45.5", '"45.5" is not a whole number of 0 or more'),
        ("-1", '"-1" is not a whole number of 0 or more'),
        ("4S", '"4S" is not a whole number of 0 or more'),
        ("45機", '"45機" is not a whole number of 0 or more'),
        ("1.000", '"1.000" could be 1 or 1,000: write it without the separator'),
        ("12345678901", '"12345678901" is over 1,000,000,000, more than any report counts'),
    ],
)
def test_a_cell_that_is_no_whole_number_is_a_line_naming_the_count_and_the_row_still_loads(
    cell, said
):
    counts, problems = run(f"Title,Date,Aircraft,Ships\nReport,2024-07-18,{cell},7\n")
    assert counts == {"r-2": {"ships": 7}}  # the event loads, without the wrong count
    assert problems == [f"list.csv: row #2: counts.aircraft: {said}; ignored"]


def test_values_translate_a_cell_and_an_empty_target_is_no_count():
    mapping = MAPPING.replace(
        'ships = { column = "Ships" }',
        'ships = { column = "Ships", values = { "-" = "0", "n/a" = "" } }',
    )
    mapping = mapping.replace(
        "[counts]", '[counts]\nballoons = { value = 2 }\nsorties = { value = "12" }'
    )
    counts, problems = run(
        "Title,Date,Aircraft,Ships\nR,2024-07-18,1,-\nR,2024-07-19,2,n/a\n", mapping
    )
    assert counts == {
        "r-2": {"aircraft": 1, "ships": 0, "balloons": 2, "sorties": 12},
        "r-3": {"aircraft": 2, "balloons": 2, "sorties": 12},
    }
    assert problems == []


def test_a_workbooks_number_cells_are_read_as_their_whole_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Title", "Date", "Aircraft", "Ships"])
    sheet.append(["Report", "2024-07-18", 45.0, 7])
    sheet.append(["Report", "2024-07-19", 45.5, None])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_source("log.xlsx", buffer.getvalue(), "log.xlsx")
    events, problems = import_table(table, parse_mapping(MAPPING), "log.xlsx", AREAS)
    assert events["counts"].tolist() == [{"aircraft": 45, "ships": 7}, {}]
    assert [str(problem) for problem in problems] == [
        'log.xlsx: row #3: counts.aircraft: "45.5" is not a whole number of 0 or more; ignored'
    ]


@pytest.mark.parametrize(
    ("counts_part", "problem"),
    [
        ('Aircraft = { column = "A" }', 'counts.Aircraft: "Aircraft" is not a count name'),
        ('"ships total" = { column = "A" }', 'counts.ships total: "ships total" is not a count'),
        ('aircraft = { column = "A", split = ";" }', "counts.aircraft.split: a count does not"),
        ('aircraft = { column = "A", value = 3 }', "counts.aircraft needs exactly one of"),
        ("aircraft = { value = 4.5 }", "counts.aircraft.value: 4.5 is not a whole number"),
        ("aircraft = { value = -2 }", "counts.aircraft.value: -2 is not a whole number"),
        ("aircraft = { value = true }", "counts.aircraft.value: true is not a whole number"),
        (
            'aircraft = { column = "A", values = { "-" = "none" } }',
            'counts.aircraft.values: "-" = "none" is not a whole number of 0 or more',
        ),
        ('aircraft = "A"', "counts.aircraft must be { column"),
    ],
)
def test_a_counts_part_that_cannot_be_read_says_which_count_and_why(counts_part, problem):
    text = MAPPING.replace(
        'aircraft = { column = "Aircraft" }\nships = { column = "Ships" }', counts_part
    )
    with pytest.raises(MappingError) as raised:
        parse_mapping(text)
    assert any(line.startswith(problem) for line in raised.value.problems), raised.value.problems


def test_a_counts_part_that_is_not_a_table_is_refused():
    with pytest.raises(MappingError) as raised:
        fields = MAPPING.split("[counts]")[0]
        parse_mapping(f"counts = 3\n{fields}[geometry]\nlat = 'L'\nlon = 'M'")
    assert any("[counts] must be a table" in line for line in raised.value.problems)


def test_a_mapping_with_counts_written_out_reads_back_the_same():
    mapping = parse_mapping(
        MAPPING.replace(
            'ships = { column = "Ships" }',
            'ships = { column = "Ships", values = { "-" = "0", "n/a" = "" } }\n'
            'balloons = { value = 3 }\nsorties = { template = "{Aircraft}" }',
        )
    )
    assert list(mapping.counts) == ["aircraft", "ships", "balloons", "sorties"]
    written = mapping_toml(mapping)
    assert "[counts]" in written
    assert parse_mapping(written) == mapping


def test_the_columns_a_count_reads_must_be_in_the_file():
    with pytest.raises(MappingError) as raised:
        run("Title,Date,Aircraft\nReport,2024-07-18,45\n")
    assert raised.value.problems == [
        'counts.ships names the column "Ships", which the file does not have (its columns: '
        "Title, Date, Aircraft)"
    ]


def test_whole_numbers_and_what_is_refused():
    assert [whole_number(text) for text in ("0", "45", "45.00", "1,234,567", "1,000")] == [
        0,
        45,
        45,
        1234567,
        1000,
    ]
    assert whole_number("1.000", decimal_comma=True) == 1000
    for text in ("", "4.5", "1,23", "1e3", "0x10", "+-1", "1_000", "NaN", "∞"):
        with pytest.raises(ValueError):
            whole_number(text)


def test_the_daily_report_example_loads_every_figure_of_its_columns():
    text = (EXAMPLES / "daily-reports.csv").read_text(encoding="utf-8")
    mapping = parse_mapping((EXAMPLES / "daily-reports.mapping.toml").read_text("utf-8"))
    table = read_source("daily-reports.csv", text.encode("utf-8"), "daily-reports.csv")
    events, problems = import_table(table, mapping, "daily-reports.csv", AREAS)
    assert problems == []
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(events) == len(rows)
    loaded = dict(zip(events["start_text"], events["counts"], strict=True))
    for row in rows:
        day = row["Date"].replace("/", "-")
        expected = {
            name: int(row[column])
            for name, column in (
                ("aircraft", "Aircraft total"),
                ("median_line_crossings", "Crossed median line"),
                ("ships", "Ships"),
            )
            if row[column] != ""
        }
        assert loaded[day] == expected
    assert any("aircraft" not in counts for counts in events["counts"])  # the report without
