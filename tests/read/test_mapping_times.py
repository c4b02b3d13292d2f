"""Times of day, ranges in one cell and lists of forms in a mapping (issue 22, "Hours and
ranges"): what a source writes is kept as it wrote it, and nothing it does not write is read."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import REPO

from layers.read.load import load_geodata
from layers.read.mapping import MappingError, Rule, import_table, mapping_toml, parse_mapping
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


# --- ranges in one cell -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start_rule", "cell", "start", "end"),
    [
        (
            '{ column = "Date", format = "%m/%d/%Y" }',
            "06/19/2019 - 06/25/2019",
            "2019-06-19",
            "2019-06-25",
        ),
        ('{ column = "Date" }', "2024-07-18/2024-07-21", "2024-07-18", "2024-07-21"),
        # ISO 8601-1 §5.5.2.2: the end may leave out what the start gives.
        ('{ column = "Date" }', "2024-07-18/21", "2024-07-18", "2024-07-21"),
        ('{ column = "Date" }', "2024-07/2024-09", "2024-07", "2024-09"),  # months stay months
        (
            '{ column = "Date" }',
            "2024-07-18T02:00Z/10:00Z",
            "2024-07-18T02:00Z",
            "2024-07-18T10:00Z",
        ),
        ('{ column = "Date", format = "%d %B %Y" }', "18–21 July 2024", "2024-07-18", "2024-07-21"),
        (
            '{ column = "Date", format = "%d %B %Y" }',
            "18 July — 21 August 2024",
            "2024-07-18",
            "2024-08-21",
        ),
        (
            '{ column = "Date", format = "%d %B %Y" }',
            "28 December 2024 to 3 January 2025",
            "2024-12-28",
            "2025-01-03",
        ),
        (
            '{ column = "Date", format = "%B %d, %Y" }',
            "July 18–21, 2024",
            "2024-07-18",
            "2024-07-21",
        ),
        (
            '{ column = "Date", format = "%Y年%m月%d日" }',
            "2024年7月18日～21日",
            "2024-07-18",
            "2024-07-21",
        ),
        (
            '{ column = "Date", format = "%Y年%m月%d日" }',
            "2024年7月18日至7月21日",
            "2024-07-18",
            "2024-07-21",
        ),
        (
            '{ column = "Date", format = "%Y/%m/%d" }',
            "2024/07/18~2024/07/21",
            "2024-07-18",
            "2024-07-21",
        ),
        (
            '{ column = "Date", format = "%m/%d/%Y" }',
            "06/19 - 06/25/2019",
            "2019-06-19",
            "2019-06-25",
        ),
        # A date alone is a date, whatever dashes and slashes it holds.
        ('{ column = "Date" }', "2024-07-01", "2024-07-01", ""),
        ('{ column = "Date", format = "%m/%d/%Y" }', "06/19/2019", "2019-06-19", ""),
    ],
)
def test_a_start_cell_holding_a_range_gives_start_and_end_at_their_precision(
    start_rule, cell, start, end
):
    events, problems = run([row(cell)], mapping_with(start_rule))
    assert problems == []
    assert (events["start_text"].tolist(), events["end_text"].tolist()) == ([start], [end])


def test_a_year_written_in_another_column_completes_a_japanese_range():
    rule = '{ template = "{Year}年{Date}", format = "%Y年%m月%d日" }'
    events, problems = run([row("7月18日～21日") + ",2024"], mapping_with(rule), HEADER + ",Year")
    assert problems == []
    assert list(zip(events["start_text"], events["end_text"])) == [("2024-07-18", "2024-07-21")]


@pytest.mark.parametrize(
    ("cell", "field", "said"),
    [
        # No year is written anywhere: never guessed.
        ("7月18日～21日", "start", "no year is written"),
        # The end is before the start as written: never moved to the next year.
        ("December 28 – January 3, 2025", "end", "before the start"),
        ("06/25/2019 - 06/19/2019", "end", "before the start"),
    ],
)
def test_a_range_that_cannot_be_read_as_written_is_a_problem(cell, field, said):
    forms = '["%Y年%m月%d日", "%B %d, %Y", "%m/%d/%Y"]'
    events, problems = run([row(cell)], mapping_with(f'{{ column = "Date", format = {forms} }}'))
    assert events.empty
    assert [(p.feature, p.field) for p in problems] == [("row #2", field)]
    assert said in problems[0].message


def test_a_range_is_not_read_when_end_has_a_column_of_its_own():
    mapping = mapping_with('{ column = "Date" }', extra='\nend = { column = "Until" }')
    events, problems = run(
        ["A,2024-07-18/2024-07-21,JPN,34.8,139.8,", "B,2024-07-18,JPN,34.8,139.8,2024-07-20"],
        mapping,
        HEADER + ",Until",
    )
    assert list(zip(events["start_text"], events["end_text"])) == [("2024-07-18", "2024-07-20")]
    assert [(p.feature, p.field) for p in problems] == [("row #2", "start")]
    assert "end has its own column" in problems[0].message


def test_end_mapped_to_the_start_column_reads_a_range_or_repeats_the_date():
    mapping = mapping_with('{ column = "Date" }', extra='\nend = { column = "Date" }')
    events, problems = run([row("2024-07-18/2024-07-21"), row("2024-07-19"), row("July")], mapping)
    assert list(zip(events["start_text"], events["end_text"])) == [
        ("2024-07-18", "2024-07-21"),
        ("2024-07-19", "2024-07-19"),
    ]
    # The cell that is no date is said once, not once for start and once for end.
    assert [(p.feature, p.field) for p in problems] == [("row #4", "start")]


def test_a_precision_column_applies_to_both_ends_of_a_range():
    mapping = mapping_with('{ column = "Date" }', extra='\nprecision = { column = "P" }')
    events, problems = run([row("2024-07-18/2024-09-02") + ",month"], mapping, HEADER + ",P")
    assert problems == []
    assert list(zip(events["start_text"], events["end_text"])) == [("2024-07", "2024-09")]


# --- lists of forms -------------------------------------------------------------------------------
LISTED = '{ column = "Date", format = ["%m/%d/%y", "%m/%d/%Y"], month_format = ["%m/%Y", "%b %Y"] }'


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("7/18/24", "2024-07-18"),
        ("12/11/2019", "2019-12-11"),
        ("07/2024", "2024-07"),
        ("Jul 2024", "2024-07"),
        ("2024-07-18", "2024-07-18"),  # ISO 8601 still needs no form
    ],
)
def test_a_list_of_forms_reads_a_column_that_mixes_them(cell, written):
    events, problems = run([row(cell)], mapping_with(LISTED))
    assert problems == [] and events["start_text"].tolist() == [written]


@pytest.mark.parametrize(
    ("forms", "cell", "readings"),
    [
        (
            '["%m/%d/%Y", "%d/%m/%Y"]',
            "5/7/2024",
            ['2024-05-07 with "%m/%d/%Y"', '2024-07-05 with "%d/%m/%Y"'],
        ),
        (
            '["%d.%m.%y", "%y.%m.%d"]',
            "18.07.24",
            ['2024-07-18 with "%d.%m.%y"', '2018-07-24 with "%y.%m.%d"'],
        ),
    ],
)
def test_a_value_two_forms_read_differently_is_a_problem_naming_both(forms, cell, readings):
    events, problems = run([row(cell)], mapping_with(f'{{ column = "Date", format = {forms} }}'))
    assert events.empty and [(p.feature, p.field) for p in problems] == [("row #2", "start")]
    assert all(reading in problems[0].message for reading in readings)


@pytest.mark.parametrize(
    ("cell", "written"), [("5/5/2024", "2024-05-05"), ("13/7/2024", "2024-07-13")]
)
def test_forms_that_agree_or_only_one_that_reads_are_no_problem(cell, written):
    rule = '{ column = "Date", format = ["%m/%d/%Y", "%d/%m/%Y"] }'
    events, problems = run([row(cell)], mapping_with(rule))
    assert problems == [] and events["start_text"].tolist() == [written]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("[]", "non-empty list of forms"),
        ('["%Y", 7]', "non-empty list of forms"),
        ('["%Y", ""]', "non-empty list of forms"),
        ('["%Y-%m-%d", "%Y-%m-%d"]', "twice"),
        ('["%Y-%m-%d", "%m-%d"]', '"%m-%d" names no year'),
        ("7", "a list of forms"),
    ],
)
def test_a_list_of_forms_is_checked_naming_the_key(value, said):
    with pytest.raises(MappingError) as raised:
        parse_mapping(mapping_with(f'{{ column = "Date", format = {value} }}'))
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith("fields.start.format")
    assert said in raised.value.problems[0]


def test_lists_of_forms_survive_the_round_trip_through_toml():
    mapping = parse_mapping(
        mapping_with(
            '{ column = "Date", format = ["%m/%d/%y", "%m/%d/%Y"], month_format = "%m/%Y", '
            'year_format = ["%Y", "FY%Y"] }',
            source='\ntimezone = "Asia/Tokyo"',
        )
    )
    start = mapping.fields["start"]
    assert (start.format, start.month_format, start.year_format) == (
        ("%m/%d/%y", "%m/%d/%Y"),
        "%m/%Y",
        ("%Y", "FY%Y"),
    )
    text = mapping_toml(mapping)
    assert 'format = ["%m/%d/%y", "%m/%d/%Y"]' in text and 'timezone = "Asia/Tokyo"' in text
    assert parse_mapping(text) == mapping


def test_a_column_written_in_two_forms_is_noted_and_a_list_of_them_reads_it():
    from layers.read.guess import guess_mapping, guess_notes

    text = f"{HEADER}\n{row('2024/07/18')}\n{row('19.07.2024')}\n"
    table = read_source("list.csv", text.encode(), "list.csv")
    notes = [
        note for note in guess_notes(table, guess_mapping(table, "list.csv")) if "Date" in note
    ]
    assert notes == [
        'The dates in "Date" are written in several forms (%Y/%m/%d, %d.%m.%Y): give them all '
        "as the day form, separated by |."
    ]
    events, problems = run(
        [row("2024/07/18"), row("19.07.2024")],
        mapping_with('{ column = "Date", format = ["%Y/%m/%d", "%d.%m.%Y"] }'),
    )
    assert problems == [] and events["start_text"].tolist() == ["2024-07-18", "2024-07-19"]
