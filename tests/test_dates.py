import datetime as dt

import pytest

from layers.dates import (
    DateError,
    describe_date,
    describe_span,
    month_span,
    parse_period,
    utc_instant,
)


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2024-07-18", dt.date(2024, 7, 18), dt.date(2024, 7, 18), "day"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28), "month"),
        ("2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31), "year"),
    ],
)
def test_a_date_covers_the_whole_period_its_form_names(text, first, last, precision):
    assert parse_period(text) == (first, last, precision)


@pytest.mark.parametrize(
    "text", ["2024-13-01", "2024-13", "2024-02-30", "18/07/2024", "July 2024", "24-07", "", 2024]
)
def test_what_is_not_an_iso_date_is_refused_with_the_forms_to_use(text):
    with pytest.raises(DateError, match="is not a date .use YYYY-MM-DD, YYYY-MM or YYYY"):
        parse_period(text)


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        ("2024-07", "", "July 2024"),
        ("2024-07-18", None, "18 July 2024"),
        ("2024-07-10", "2024-07-17", "10 July 2024 – 17 July 2024"),
        ("2017-12", "2017-12", "December 2017"),
        ("2024", "", "2024"),
    ],
)
def test_dates_are_said_with_no_more_precision_than_known(start, end, said):
    assert describe_span(start, end) == said


def test_describe_date_of_a_month():
    assert describe_date("2023-08") == "August 2023"


def test_month_span_crosses_a_year_end():
    assert month_span("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]


# --- times of day --------------------------------------------------------------------------------
UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "day", "precision", "instant", "said"),
    [
        (
            "2024-07-18T02:00Z",
            dt.date(2024, 7, 18),
            "minute",
            dt.datetime(2024, 7, 18, 2, 0, tzinfo=UTC),
            "18 July 2024, 02:00 UTC",
        ),
        # The day is the date the source gave: 19 July, though it is 18 July in UTC.
        (
            "2024-07-19T08:00+09:00",
            dt.date(2024, 7, 19),
            "minute",
            dt.datetime(2024, 7, 18, 23, 0, tzinfo=UTC),
            "19 July 2024, 08:00 UTC+09:00",
        ),
        (
            "2024-07-18T02:00:30Z",
            dt.date(2024, 7, 18),
            "second",
            dt.datetime(2024, 7, 18, 2, 0, 30, tzinfo=UTC),
            "18 July 2024, 02:00:30 UTC",
        ),
        (
            "2024-07-18T20:00-10:00",
            dt.date(2024, 7, 18),
            "minute",
            dt.datetime(2024, 7, 19, 6, 0, tzinfo=UTC),
            "18 July 2024, 20:00 UTC-10:00",
        ),
        (
            "2024-07-18T08:00+05:45",
            dt.date(2024, 7, 18),
            "minute",
            dt.datetime(2024, 7, 18, 2, 15, tzinfo=UTC),
            "18 July 2024, 08:00 UTC+05:45",
        ),
        (
            "2024-12-31T23:59:59+14:00",
            dt.date(2024, 12, 31),
            "second",
            dt.datetime(2024, 12, 31, 9, 59, 59, tzinfo=UTC),
            "31 December 2024, 23:59:59 UTC+14:00",
        ),
        (
            "2024-07-18T00:00+00:00",
            dt.date(2024, 7, 18),
            "minute",
            dt.datetime(2024, 7, 18, 0, 0, tzinfo=UTC),
            "18 July 2024, 00:00 UTC+00:00",
        ),
    ],
)
def test_a_time_is_kept_as_written_with_the_day_the_source_gave(
    text, day, precision, instant, said
):
    assert parse_period(text) == (day, day, precision)
    assert utc_instant(text) == instant
    assert describe_date(text) == said


@pytest.mark.parametrize("text", ["2024-07-18", "2024-07", "2024"])
def test_a_date_without_a_time_has_no_instant_and_keeps_its_precision(text):
    assert utc_instant(text) is None
    assert parse_period(text)[2] in ("day", "month", "year")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2024-07-18T25:00Z", "hour 25"),
        ("2024-07-18T24:00Z", "hour 24"),
        ("2024-07-18T08:61Z", "minute 61"),
        ("2024-07-18T08:00:60Z", "second 60"),
        ("2024-07-18T08:00+14:30", "beyond ±14:00"),
        ("2024-07-18T08:00-15:00", "beyond ±14:00"),
        ("2024-07-18T08:00+09:75", "minutes are not 00–59"),
        ("2024-07-18T08:00", "no UTC offset"),
        ("2024-07-18T08:00:30", "no UTC offset"),
        ("2024-07-18T08:00-00:00", "write it with Z"),
        ("2024-02-30T08:00Z", "2024-02-30 does not exist"),
        ("2024-07-18 08:00Z", "not a date and time"),
        ("2024-07-18t08:00z", "not a date and time"),
        ("2024-07-18T08:00+0900", "not a date and time"),
        ("2024-07-18T08Z", "not a date and time"),
        ("2024-07-18T08:00:00.5Z", "not a date and time"),
    ],
)
def test_a_time_that_is_not_one_is_refused_in_one_line_saying_why(text, said):
    with pytest.raises(DateError) as raised:
        parse_period(text)
    assert said in str(raised.value) and "\n" not in str(raised.value)
    assert f'"{text}"' in str(raised.value)


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        ("2024-07-18T02:00Z", "2024-07-18T10:00Z", "18 July 2024, 02:00–10:00 UTC"),
        ("2024-07-19T08:00+09:00", "2024-07-19T17:30+09:00", "19 July 2024, 08:00–17:30 UTC+09:00"),
        (
            "2024-07-18T02:00Z",
            "2024-07-19T06:00Z",
            "18 July 2024, 02:00 UTC – 19 July 2024, 06:00 UTC",
        ),
        # Two zones: each time as written.
        (
            "2024-07-19T08:00+09:00",
            "2024-07-19T01:30Z",
            "19 July 2024, 08:00 UTC+09:00 – 19 July 2024, 01:30 UTC",
        ),
        ("2024-07-18", "2024-07-18T10:00Z", "18 July 2024 – 18 July 2024, 10:00 UTC"),
        ("2024-07-18T02:00Z", "", "18 July 2024, 02:00 UTC"),
    ],
)
def test_a_span_with_times_says_them_as_written(start, end, said):
    assert describe_span(start, end) == said
