"""ISO 8601 dates of day, month or year precision, and times of day with their UTC offset.

A date's written form carries its precision: "2024-07-18" is a day, "2024-07" a month and
"2024" a year. Each parses to the first and last day of the period it names, so an event
given only as "2024-06" covers 1 to 30 June.

A date may carry a time of day with its offset from UTC, as the source wrote it:
"2024-07-18T02:00Z" (UTC) or "2024-07-19T08:00+09:00" (08:00 in Japan, which is 23:00 UTC on
18 July). Minutes are the usual precision and seconds are allowed ("…T02:00:30Z"); the form is
the precision again ("minute" or "second"). A timed value is kept as written: its day is the
date the source gave (19 July above, never converted to 18 July), and its instant in UTC is
derived from it (`utc_instant`). A time without an offset is refused: the instant it names
cannot be known.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re

from layers.i18n import N_, Message

DATE_FORMS = N_("YYYY-MM-DD, YYYY-MM or YYYY")
MOMENT_FORMS = N_("YYYY-MM-DDTHH:MMZ or with an offset, YYYY-MM-DDTHH:MM+09:00")
_DATE_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
# A date and a time of day with its offset (RFC 3339 §5.6 with the seconds optional): the
# form the event format writes. Looser writings ("t", "+0900", no offset) are read by the
# import (layers.read.mapping), which writes them this way.
_MOMENT_PATTERN = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
    r"(Z|([+-])([0-9]{2}):([0-9]{2}))$"
)
_NO_OFFSET = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$")
# Something that starts like a date and goes on with a time: named as a time in messages.
_LOOKS_TIMED = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]")
# The offsets in use run from UTC−12:00 to UTC+14:00 (Kiribati); ISO 8601-1:2019 §4.3.13
# allows any, but a larger one is a typing mistake.
MAX_OFFSET_MINUTES = 14 * 60


def _not_a_date(text: object) -> str:
    return Message(
        "{value} is not a date (use {forms})", value=_show(text), forms=Message(DATE_FORMS)
    )


class DateError(ValueError):
    """A text that is not an ISO 8601 date of day, month or year precision, nor a date and time
    of day with its UTC offset."""


def parse_period(text: object) -> tuple[dt.date, dt.date, str]:
    """Return (first day, last day, precision) of the period an ISO date names.

    Precision is "year", "month" or "day" for a date, and "minute" or "second" for a date and
    time ("2024-07-19T08:00+09:00"), whose one day is the date written. Raises DateError, with
    one line saying what is wrong, for anything else.

    >>> parse_period("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), 'month')
    >>> parse_period("2024-07-19T08:00+09:00")
    (datetime.date(2024, 7, 19), datetime.date(2024, 7, 19), 'minute')
    """
    if not isinstance(text, str):
        raise DateError(_not_a_date(text))
    stripped = text.strip()
    if _LOOKS_TIMED.match(stripped):
        moment = _moment(text)
        precision = "second" if moment.second_written else "minute"
        return moment.day, moment.day, precision
    match = _DATE_PATTERN.match(stripped)
    if not match:
        raise DateError(_not_a_date(text))
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last), "month"
        day_date = dt.date(year, month, day)
    except ValueError:
        raise DateError(_not_a_date(text)) from None
    return day_date, day_date, "day"


def utc_instant(text: str) -> dt.datetime | None:
    """The instant a timed value names, as an aware datetime in UTC; None for a date without a
    time (a day, month or year is a period, not an instant). Raises DateError like
    parse_period.

    >>> utc_instant("2024-07-19T08:00+09:00")
    datetime.datetime(2024, 7, 18, 23, 0, tzinfo=datetime.timezone.utc)
    """
    if isinstance(text, str) and _LOOKS_TIMED.match(text.strip()):
        moment = _moment(text)
        return moment.instant
    parse_period(text)
    return None


def is_timed(text: object) -> bool:
    """True when `text` is written as a date and time (valid or not), not as a date alone."""
    return isinstance(text, str) and bool(_LOOKS_TIMED.match(text.strip()))


class _Moment:
    """A date and time of day as written: its day, its UTC instant, and how it was written."""

    __slots__ = ("day", "instant", "second_written", "time_text", "zone_text")

    def __init__(self, day, instant, second_written, time_text, zone_text):
        self.day = day
        self.instant = instant
        self.second_written = second_written
        self.time_text = time_text
        self.zone_text = zone_text


def _moment(text: str) -> _Moment:
    """Read "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)"; DateError naming what is wrong, in one line."""
    shown = _show(text)
    match = _MOMENT_PATTERN.match(text.strip())
    if not match:
        if _NO_OFFSET.match(text.strip()):
            raise DateError(
                Message(
                    "{value} has no UTC offset, so the instant is unknown: add Z for UTC or the "
                    "source's offset (+09:00)",
                    value=shown,
                )
            )
        raise DateError(
            Message(
                "{value} is not a date and time (use {forms})",
                value=shown,
                forms=Message(MOMENT_FORMS),
            )
        )
    year, month, day, hour, minute, second = (
        int(part) if part else None for part in match.groups()[:6]
    )
    zone, sign, offset_hours, offset_minutes = match.groups()[6:]
    try:
        day_date = dt.date(year, month, day)
    except ValueError:
        raise DateError(
            Message(
                "{value} is not a date: {day} does not exist", value=shown, day=text.strip()[:10]
            )
        ) from None
    if hour > 23:
        raise DateError(
            Message(
                "{value} is not a time of day: hour {number} (00–23)",
                value=shown,
                number=format(hour, "02d"),
            )
        )
    if minute > 59:
        raise DateError(
            Message(
                "{value} is not a time of day: minute {number} (00–59)",
                value=shown,
                number=format(minute, "02d"),
            )
        )
    if second is not None and second > 59:
        raise DateError(
            Message(
                "{value} is not a time of day: second {number} (00–59)",
                value=shown,
                number=format(second, "02d"),
            )
        )
    offset = dt.timedelta(0)
    if zone != "Z":
        hours, minutes = int(offset_hours), int(offset_minutes)
        total = hours * 60 + minutes
        if minutes > 59:
            raise DateError(
                Message(
                    "{value} has the UTC offset {zone}: its minutes are not 00–59",
                    value=shown,
                    zone=zone,
                )
            )
        if total > MAX_OFFSET_MINUTES:
            raise DateError(
                Message(
                    "{value} has the UTC offset {zone}, beyond ±14:00 (the offsets in use)",
                    value=shown,
                    zone=zone,
                )
            )
        if zone == "-00:00":
            # RFC 3339 §4.3: a time in UTC whose local offset is unknown; the format says Z.
            raise DateError(
                Message(
                    "{value} has the offset -00:00 (a time in UTC): write it with Z", value=shown
                )
            )
        offset = dt.timedelta(minutes=total if sign == "+" else -total)
    local = dt.datetime(year, month, day, hour, minute, second or 0)
    instant = (local - offset).replace(tzinfo=dt.UTC)
    time_text = f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second is not None else "")
    return _Moment(day_date, instant, second is not None, time_text, zone)


def moment_parts(text: str) -> tuple[str, str] | None:
    """(time as written "08:00" or "08:00:30", zone as written "Z" or "+09:00") of a timed
    value; None for a date without a time. Raises DateError like parse_period."""
    if not is_timed(text):
        parse_period(text)
        return None
    moment = _moment(text)
    return moment.time_text, moment.zone_text


def zone_words(zone: str) -> str:
    """How a reader is told a written offset: "UTC" for Z, "UTC+09:00" for +09:00."""
    return "UTC" if zone == "Z" else f"UTC{zone}"


@functools.lru_cache(maxsize=8192)
def describe_date(text: str) -> str:
    """Say an ISO date as a reader would, with no more precision than it has; a time is said as
    written, with its zone ("19 July 2024, 08:00 UTC+09:00"), never converted.

    >>> describe_date("2024-07"), describe_date("2024-07-18"), describe_date("2024-07-18T02:00Z")
    ('July 2024', '18 July 2024', '18 July 2024, 02:00 UTC')
    """
    first, _, precision = parse_period(text)
    if precision == "year":
        return f"{first.year}"
    if precision == "month":
        return f"{calendar.month_name[first.month]} {first.year}"
    day = f"{first.day} {calendar.month_name[first.month]} {first.year}"
    if precision == "day":
        return day
    time_text, zone = moment_parts(text)
    return f"{day}, {time_text} {zone_words(zone)}"


@functools.lru_cache(maxsize=8192)
def describe_span(start: str, end: str | None) -> str:
    """Say when an event happened: "10 July 2024 – 17 July 2024", or one date; two times of
    one day in one zone share the day: "18 July 2024, 02:00–10:00 UTC"."""
    start_text = describe_date(start)
    if not end or end == start:
        return start_text
    if is_timed(start) and is_timed(end) and start.strip()[:10] == end.strip()[:10]:
        (start_time, start_zone), (end_time, end_zone) = moment_parts(start), moment_parts(end)
        if start_zone == end_zone:
            day = start_text.split(",")[0]
            return f"{day}, {start_time}–{end_time} {zone_words(start_zone)}"
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


# Offsets as the event format writes them (docs/data-format.md, "Times of day"), shared by the
# mapping (layers.read.mapping) and grouped tracks (layers.read.groups).
def normal_offset(offset: str) -> str:
    """ "Z", "+09:00" from the ways ISO 8601 writes an offset (z, +0900, +09, +09:00)."""
    # RFC 3339 §4.3: "-00:00" is a time in UTC whose local offset is unknown.
    if offset.upper() == "Z" or offset in ("-00:00", "-0000", "-00"):
        return "Z"
    digits = offset[1:].replace(":", "")
    return f"{offset[0]}{digits[:2]}:{digits[2:4] or '00'}"


class ZoneError(ValueError):
    """A local date and time that has no single offset in its zone (the clocks changed)."""


def offset_in(zone: dt.tzinfo, local: dt.datetime) -> str:
    """The offset ("+08:00", "Z" for UTC itself) `zone` had at the local date and time.
    ZoneError when the clocks changed then (the time was skipped, or came twice)."""
    first = local.replace(tzinfo=zone).utcoffset()
    second = local.replace(tzinfo=zone, fold=1).utcoffset()
    if first != second:
        raise ZoneError(
            Message("falls when the clocks changed in {zone}: give its offset", zone=str(zone))
        )
    if zone is dt.UTC:
        return "Z"
    return offset_text(first)


def offset_text(offset: dt.timedelta) -> str:
    """ "+08:00" for an offset of 8 hours ("-10:00", "+00:00"); ZoneError for one of seconds."""
    minutes, seconds = divmod(int(offset.total_seconds()), 60)
    if seconds:
        raise ZoneError(
            Message(
                "has an offset of {offset} (seconds), older than the zones in use",
                offset=str(offset),
            )
        )
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"
