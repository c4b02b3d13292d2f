"""Times of day, ranges in one cell and lists of forms in a mapping (issue 22, "Hours and
ranges"): what a source writes is kept as it wrote it, and nothing it does not write is read."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import REPO

from layers.read.load import load_geodata
from layers.read.mapping import MappingError, Rule, import_table, parse_mapping
from layers.read.sources import read_source

AREAS = load_geodata(REPO / "geodata").areas
MINIMAL = """
[source]
title = "Test list"
[fields]
title = { column = "Title" }
kind = { value = "patrol" }
start = { column = "Date" }
nations = { column = "Country" }
[geometry]
lat = "Lat"
lon = "Lon"
"""
HEADER = "Title,Date,Country,Lat,Lon"


def mapping_with(start: str = '{ column = "Date" }', source: str = "", extra: str = "") -> str:
    """MINIMAL with its start rule, more [source] lines and more [fields] lines."""
    text = MINIMAL.replace('start = { column = "Date" }', f"start = {start}{extra}")
    return text.replace('title = "Test list"', f'title = "Test list"{source}')


def run(rows: list[str], mapping_text: str, header: str = HEADER):
    text = "\n".join([header, *rows]) + "\n"
    table = read_source("list.csv", text.encode("utf-8"), "list.csv")
    return import_table(table, parse_mapping(mapping_text), "list.csv", AREAS)


def row(cell: str) -> str:
    """One CSV row with the date cell `cell` (quoted, so commas stay in it)."""
    return f'A,"{cell}",JPN,34.8,139.8'


@pytest.mark.parametrize(
    ("cell", "field"),
    [("2024-07-18T08:00+14:30", "start"), ("2024-07-18T08:00+15:00", "start")],
)
def test_an_offset_beyond_fourteen_hours_is_a_problem_naming_the_field(cell, field):
    events, problems = run([row(cell)], mapping_with())
    assert events.empty and [problem.field for problem in problems] == [field]
    assert "±14:00" in problems[0].message and "\n" not in problems[0].message


@pytest.mark.parametrize(
    ("cell", "kept"),
    [("2024-07-19 08:00", "2024-07-19"), ("2024-07-19T08:00:30", "2024-07-19")],
)
def test_a_date_time_with_no_zone_keeps_its_date_and_says_so_naming_the_row(cell, kept):
    """Local time of an unknown zone is never taken as UTC: its date is kept, and a warning
    names the row and says how to keep the time."""
    events, problems = run([row(cell)], mapping_with())
    assert events["start_text"].tolist() == [kept]
    assert [(p.feature, p.field, p.skipped) for p in problems] == [("row #2", "start", False)]
    assert "no time zone" in problems[0].message and "timezone" in problems[0].message


@pytest.mark.parametrize(
    ("zone", "cell", "written"),
    [
        ("+08:00", "2024-07-19 08:00", "2024-07-19T08:00+08:00"),
        ("-10:00", "2024-07-19T08:00:30", "2024-07-19T08:00:30-10:00"),
        ("UTC", "2024-07-19 08:00", "2024-07-19T08:00Z"),
        ("Asia/Taipei", "2024-07-19 08:00", "2024-07-19T08:00+08:00"),
        # A zone's offset follows the date: Sydney keeps summer time in January.
        ("Australia/Sydney", "2024-01-19 08:00", "2024-01-19T08:00+11:00"),
        ("Australia/Sydney", "2024-07-19 08:00", "2024-07-19T08:00+10:00"),
        # A written offset wins over the list's zone: it is what the source said.
        ("+08:00", "2024-07-19T08:00+09:00", "2024-07-19T08:00+09:00"),
    ],
)
def test_the_source_timezone_gives_local_times_their_offset(zone, cell, written):
    events, problems = run([row(cell)], mapping_with(source=f'\ntimezone = "{zone}"'))
    assert problems == [] and events["start_text"].tolist() == [written]


def test_a_local_time_the_clocks_skipped_is_a_problem_naming_the_row():
    mapping = mapping_with(source='\ntimezone = "Australia/Sydney"')
    # Sydney's clocks went from 02:00 to 03:00 on 6 October 2024.
    events, problems = run([row("2024-10-06 02:30")], mapping)
    assert events.empty
    assert [(p.feature, p.field) for p in problems] == [("row #2", "start")]
    assert "clocks changed in Australia/Sydney" in problems[0].message


@pytest.mark.parametrize("zone", ["UTC+8", "+15:00", "Mars/Olympus", "0800"])
def test_a_timezone_that_names_no_zone_is_refused(zone):
    with pytest.raises(MappingError) as raised:
        parse_mapping(mapping_with(source=f'\ntimezone = "{zone}"'))
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith("source.timezone: ")


@pytest.mark.parametrize(
    ("rule", "cell", "written"),
    [
        (
            '{ column = "Date", format = "%d/%m/%Y %H:%M %z" }',
            "19/07/2024 08:00 +0900",
            "2024-07-19T08:00+09:00",
        ),
        (
            '{ column = "Date", format = "%d/%m/%Y %H:%M:%S %z" }',
            "19/07/2024 08:00:05 -0230",
            "2024-07-19T08:00:05-02:30",
        ),
        # A date-time group as military messages write it: the form's own Z says UTC.
        ('{ column = "Date", format = "%d%H%MZ %b %y" }', "180200Z JUL 24", "2024-07-18T02:00Z"),
        (
            '{ column = "Date", format = "%Y-%m-%d %H%M UTC" }',
            "2024-07-18 0200 UTC",
            "2024-07-18T02:00Z",
        ),
        (
            '{ column = "Date", format = "%m/%d/%Y %I:%M %p %z" }',
            "07/18/2024 02:15 PM +0800",
            "2024-07-18T14:15+08:00",
        ),
    ],
)
def test_a_format_with_hours_and_minutes_keeps_the_time(rule, cell, written):
    events, problems = run([row(cell)], mapping_with(rule))
    assert problems == [] and events["start_text"].tolist() == [written]


def test_a_format_with_a_time_and_no_zone_keeps_the_date_and_warns():
    rule = '{ column = "Date", format = "%d/%m/%Y %H:%M" }'
    events, problems = run([row("19/07/2024 08:00")], mapping_with(rule))
    assert events["start_text"].tolist() == ["2024-07-19"]
    assert [(p.field, p.skipped) for p in problems] == [("start", False)]
    assert "no time zone" in problems[0].message


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ("%m月%d日", "names no year"),
        ("%d %B", "names no year"),
        ("%Y-%m-%d %H", "to the minute"),
        ("%Y-%m-%d %M", "to the minute"),
        ("%Y-%m-%d %I:%M", "%p"),
        ("%Y-%m-%d %H:%M %Z", "%Z"),
    ],
)
def test_a_form_that_cannot_read_a_date_as_written_is_refused_naming_it(form, said):
    """strptime gives 1900 for a form without a year, and would read 02 o'clock as 02:00: a
    year and minutes the source never wrote."""
    with pytest.raises(MappingError) as raised:
        parse_mapping(mapping_with(f'{{ column = "Date", format = "{form}" }}'))
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(f'fields.start.format: "{form}" ')
    assert said in raised.value.problems[0]


def test_a_form_without_a_year_built_outside_a_mapping_file_reads_nothing_and_says_why():
    """The import step builds its rules from the page, not from TOML: a year-less form there is
    said per row, never read as 1900."""
    mapping = parse_mapping(mapping_with())
    fields = {**mapping.fields, "start": Rule(column="Date", format="%m月%d日")}
    table = read_source("list.csv", f"{HEADER}\n{row('7月18日')}\n".encode(), "list.csv")
    events, problems = import_table(table, replace(mapping, fields=fields), "list.csv", AREAS)
    assert events.empty and [p.field for p in problems] == ["start"]
    assert "names no year" in problems[0].message
