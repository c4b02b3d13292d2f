"""Properties of times of day and ranges (Hypothesis): reading a date or a time never raises but
DateError, a time said in words reads back to the text written, and a mapping reads a range in
one cell as the two dates written, or reports it, never a day the cell does not write."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from conftest import HYPOTHESIS_SEED, REPO
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from layers.dates import DateError, describe_date, parse_period, utc_instant
from layers.read.load import load_geodata
from layers.read.mapping import import_table, parse_mapping
from layers.read.sources import read_source

PROPERTY_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES") or 2000)
PROPERTY = settings(
    max_examples=PROPERTY_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
AREAS = load_geodata(REPO / "geodata").areas

# Offsets in use run from -12:00 to +14:00, some at :30 and :45 (India, Nepal, Chatham).
offsets = st.one_of(
    st.just("Z"),
    st.builds(
        lambda sign, hours, minutes: f"{sign}{hours:02d}:{minutes:02d}",
        st.sampled_from("+-"),
        st.integers(0, 13),
        st.sampled_from([0, 15, 30, 45]),
    ).filter(lambda offset: offset != "-00:00"),
    st.sampled_from(["+14:00", "-12:00"]),
)
moments = st.builds(
    lambda when, seconds, offset: (
        when.strftime("%Y-%m-%dT%H:%M" + (":%S" if seconds else "")) + offset
    ),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
    st.booleans(),
    offsets,
)
moment_like = st.one_of(
    moments,
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9])?)?"
        r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?",
        fullmatch=True,
    ),
    st.text(max_size=30),
)

_SAID = re.compile(
    r"^([0-9]{1,2}) ([A-Za-z]+) ([0-9]{4}), ([0-9]{2}:[0-9]{2}(?::[0-9]{2})?) UTC([+-][0-9:]{5})?$"
)
MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}


def text_from_words(said: str) -> str:
    """The ISO text a reader writes back from "19 July 2024, 08:00 UTC+09:00"."""
    day, month, year, time, offset = _SAID.match(said).groups()
    return f"{year}-{MONTHS[month]:02d}-{int(day):02d}T{time}{offset or 'Z'}"


@seed(HYPOTHESIS_SEED)
@PROPERTY
@given(moment_like)
def test_any_text_is_a_date_a_time_or_a_date_error(text):
    try:
        first, last, precision = parse_period(text)
    except DateError as error:
        assert "\n" not in str(error)
        return
    assert first <= last and precision in ("year", "month", "day", "minute", "second")
    instant = utc_instant(text)
    assert (instant is not None) == (precision in ("minute", "second"))
    if instant is not None:
        # The day is the date written, and the instant is within a day of it.
        assert first == dt.date.fromisoformat(text.strip()[:10])
        assert abs((instant.date() - first).days) <= 1


@seed(HYPOTHESIS_SEED)
@PROPERTY
@given(moments)
def test_a_time_said_in_words_reads_back_to_the_text_written(text):
    assert parse_period(text)[2] == (
        "second" if text.count(":") - ("Z" not in text) == 2 else "minute"
    )
    assert text_from_words(describe_date(text)) == text


# --- ranges in one cell -------------------------------------------------------------------------
def _month(day: dt.date) -> str:
    return calendar.month_name[day.month]


def _english(first: dt.date, last: dt.date, shorten: bool) -> tuple[str, str]:
    """ "%d %B %Y": the first day may leave out the month and year it shares with the last."""
    end = f"{last.day} {_month(last)} {last.year}"
    if shorten and first.year == last.year:
        if first.month == last.month:
            return f"{first.day}", end
        return f"{first.day} {_month(first)}", end
    return f"{first.day} {_month(first)} {first.year}", end


def _american(first: dt.date, last: dt.date, shorten: bool) -> tuple[str, str]:
    """ "%B %d, %Y": July 18–21, 2024 leaves out a year before and a month after."""
    if shorten and first.year == last.year:
        end = f"{last.day}, {last.year}" if first.month == last.month else None
        return f"{_month(first)} {first.day}", end or f"{_month(last)} {last.day}, {last.year}"
    return (
        f"{_month(first)} {first.day}, {first.year}",
        f"{_month(last)} {last.day}, {last.year}",
    )


def _japanese(first: dt.date, last: dt.date, shorten: bool) -> tuple[str, str]:
    """ "%Y年%m月%d日": the last day may leave out the year and month it shares."""
    start = f"{first.year}年{first.month}月{first.day}日"
    if shorten and first.year == last.year:
        if first.month == last.month:
            return start, f"{last.day}日"
        return start, f"{last.month}月{last.day}日"
    return start, f"{last.year}年{last.month}月{last.day}日"


def _iso(first: dt.date, last: dt.date, shorten: bool) -> tuple[str, str]:
    """ISO 8601 intervals: 2024-07-18/21, 2024-07-18/08-02 (ISO 8601-1 §5.5.2.2)."""
    if shorten and first.year == last.year:
        if first.month == last.month:
            return first.isoformat(), f"{last.day:02d}"
        return first.isoformat(), last.isoformat()[5:]
    return first.isoformat(), last.isoformat()


def _slashes(first: dt.date, last: dt.date, shorten: bool) -> tuple[str, str]:
    """ "%m/%d/%Y": 06/19 - 06/25/2019 leaves out the first day's year."""
    end = last.strftime("%m/%d/%Y")
    if shorten and first.year == last.year:
        return first.strftime("%m/%d"), end
    return first.strftime("%m/%d/%Y"), end


STYLES = {  # how a list writes two days, and the separators it uses with them
    "english": (_english, [" - ", "–", " — ", " to ", "-"]),
    "american": (_american, [" - ", "–", " to "]),
    "japanese": (_japanese, ["～", "~", "至", "〜"]),
    "iso": (_iso, ["/", " to "]),
    "slashes": (_slashes, [" - ", " to ", "–"]),
}
FORMS = '["%d %B %Y", "%B %d, %Y", "%Y年%m月%d日", "%m/%d/%Y"]'
MAPPING = f"""
[source]
title = "Test list"
[fields]
title = {{ column = "Title" }}
kind = {{ value = "patrol" }}
start = {{ column = "Date", format = {FORMS} }}
nations = {{ value = "JPN" }}
[geometry]
lat = "Lat"
lon = "Lon"
"""
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


def import_cells(cells: list[str]):
    lines = ["Title,Date,Lat,Lon", *(f'A,"{cell}",34.8,139.8' for cell in cells)]
    table = read_source("list.csv", ("\n".join(lines) + "\n").encode(), "list.csv")
    return import_table(table, parse_mapping(MAPPING), "list.csv", AREAS)


@st.composite
def written_ranges(draw):
    """(cell, first day, last day) as a list writes a range, its parts shortened where the
    two days share what the style lets a part leave out."""
    write, separators = STYLES[draw(st.sampled_from(sorted(STYLES)))]
    first, last = draw(days), draw(days)
    if draw(st.booleans()):  # ranges of a few days, as most are
        last = first + dt.timedelta(days=draw(st.integers(-3, 40)))
    start, end = write(first, last, draw(st.booleans()))
    return start + draw(st.sampled_from(separators)) + end, first, last


@seed(HYPOTHESIS_SEED)
@PROPERTY
@given(written_ranges())
def test_a_range_in_one_cell_gives_the_two_days_written_or_a_problem(written):
    cell, first, last = written
    events, problems = import_cells([cell])
    if first <= last:
        assert problems == [], (cell, [str(p) for p in problems])
        assert list(zip(events["start_text"], events["end_text"])) == [
            (first.isoformat(), last.isoformat())
        ], cell
    else:  # the end written is before the start: said, never moved to another year
        assert events.empty
        assert [(p.feature, p.field) for p in problems] == [("row #2", "end")], cell


WORDS = st.sampled_from(
    [
        "18",
        "21",
        "7",
        "07",
        "12",
        "31",
        "2024",
        "2025",
        "24",
        "July",
        "August",
        "December",
        "月",
        "日",
        "年",
        "-",
        "–",
        "—",
        "/",
        " to ",
        "～",
        "至",
        " ",
        ", ",
        "T02:00Z",
    ]
)


@seed(HYPOTHESIS_SEED)
@PROPERTY
@given(st.lists(st.lists(WORDS, max_size=10).map("".join), min_size=1, max_size=4))
def test_any_cell_gives_days_it_writes_in_order_or_a_problem_for_its_row(cells):
    events, problems = import_cells(cells)
    for problem in problems:
        assert "\n" not in str(problem) and problem.feature.startswith("row #")
        # Two cells that read alike give one id twice: said for the id, not a date.
        assert problem.field in ("start", "end", "id"), str(problem)
    numbers = {int(number) for number in re.findall(r"[0-9]+", " ".join(cells))}
    for _, event in events.iterrows():
        assert event["start"] <= event["end"]
        for text in (event["start_text"], event["end_text"] or event["start_text"]):
            # The year is written (in full, or as its last two digits), and so is the day.
            assert int(text[:4]) in numbers or int(text[2:4]) in numbers, (cells, text)
            if len(text) >= 10:
                assert int(text[8:10]) in numbers, (cells, text)
