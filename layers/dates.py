"""ISO 8601 calendar dates of day, month or year precision.

A date's written form carries its precision: "2024-07-18" is a day, "2024-07" a month and
"2024" a year. Each parses to the first and last day of the period it names, so an event
given only as "2024-06" covers 1 to 30 June.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re

DATE_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"
_DATE_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


class DateError(ValueError):
    """A text that is not an ISO 8601 date of day, month or year precision."""


def parse_period(text: object) -> tuple[dt.date, dt.date, str]:
    """Return (first day, last day, precision) of the period an ISO date names.

    >>> parse_period("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), 'month')
    """
    if not isinstance(text, str):
        raise DateError(f"{_show(text)} is not a date (use {DATE_FORMS})")
    match = _DATE_PATTERN.match(text.strip())
    if not match:
        raise DateError(f"{_show(text)} is not a date (use {DATE_FORMS})")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last), "month"
        day_date = dt.date(year, month, day)
    except ValueError:
        raise DateError(f"{_show(text)} is not a date (use {DATE_FORMS})") from None
    return day_date, day_date, "day"


@functools.lru_cache(maxsize=8192)
def describe_date(text: str) -> str:
    """Say an ISO date as a reader would, with no more precision than it has.

    >>> describe_date("2024-07"), describe_date("2024-07-18")
    ('July 2024', '18 July 2024')
    """
    first, _, precision = parse_period(text)
    if precision == "year":
        return f"{first.year}"
    if precision == "month":
        return f"{calendar.month_name[first.month]} {first.year}"
    return f"{first.day} {calendar.month_name[first.month]} {first.year}"


@functools.lru_cache(maxsize=8192)
def describe_span(start: str, end: str | None) -> str:
    """Say when an event happened: "10 July 2024 – 17 July 2024", or one date."""
    start_text = describe_date(start)
    if not end or end == start:
        return start_text
    return f"{start_text} – {describe_date(end)}"


def month_key(day: dt.date) -> str:
    """The "YYYY-MM" month a day falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def month_span(first_month: str, last_month: str) -> list[str]:
    """Every "YYYY-MM" month from first to last, both included."""
    year, month = (int(part) for part in first_month.split("-"))
    end_year, end_month = (int(part) for part in last_month.split("-"))
    months = []
    while (year, month) <= (end_year, end_month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a "YYYY-MM" month."""
    first, last, _ = parse_period(month)
    return first, last


def _show(value: object) -> str:
    """A value as written in JSON (newlines and quotes escaped), shortened."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"
