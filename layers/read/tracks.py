"""Tracks: a line event with a time for each of its positions (`coordTimes`).

The convention is togeojson's (mapbox/togeojson, which Google Earth, GPX and Mapbox tools' GeoJSON
follow): `properties.coordTimes` holds, for a LineString, a list of ISO 8601 times, one per
position in order; for a MultiLineString, a list of such lists, one per line. The times are UTC
by that convention; here each is checked to say so (a `Z`, or an offset such as `+09:00`, which
is converted to UTC exactly): a time without a zone is refused, never taken as UTC.

Times are kept as UTC text at the precision written ("2024-07-18T02:00Z" stays a minute,
"…02:00:00.5Z" keeps its half second). `check_coord_times` is the rule the event validator
(layers.read.load) applies; `utc_time` the one every reader of track times (GPX, KML, a
mapping) applies to each time.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import shapely

from layers.dates import MAX_OFFSET_MINUTES
from layers.i18n import Message
from layers.read.schema import FeatureError, clip, reason, show_value

FIELD = "coordTimes"
LINE_TYPES = ("LineString", "MultiLineString")
# An ISO 8601 / RFC 3339 date and time of day with its zone: "2024-07-18T02:00Z",
# "2024-07-18T11:00:00+09:00", "2024-07-18T02:00:00.250Z". Group 1: the date and time, 2: the
# zone. RFC 3339 §5.6 allows a lowercase t and z, and a space for the T (§5.6 note).
_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)"
    r"([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)
# The form every kept time has (UTC, "Z"), checked for a whole line at once.
_UTC = (
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]"
    r"(?::[0-5][0-9](?:\.[0-9]{1,9})?)?Z"
)
_UTC_LINE = re.compile(f"(?:{_UTC}\n)*{_UTC}")
# A day of an event's dates holds a time when the time falls in that day somewhere on Earth:
# dates carry no zone (a source writes its own local date), and zones run from UTC−12 to
# UTC+14.
EARLIEST_ZONE_H = 14
LATEST_ZONE_H = 12
# A mapping's split_gap ("6h") (layers.read.mapping, groups).
_GAP = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(s|min|h|d)\s*$")
GAP_UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400}


class TimeError(ValueError):
    """A text that is not an ISO 8601 date and time with a zone; the message says why."""


def utc_time(text: object) -> str:
    """A time with its zone as UTC text at the precision written ("2024-07-19T08:00+09:00" ->
    "2024-07-18T23:00Z"; "…:00.5Z" keeps ".5"). Raises TimeError for anything else: no zone
    (never assumed UTC), a date or time that does not exist, a leap second (60)."""
    if not isinstance(text, str) or not text.strip():
        raise TimeError(Message("{value} is not a time", value=show_value(text, 40)))
    written = text.strip()
    local, zone = split_time(written)
    if zone is None:
        raise TimeError(
            Message(
                "{value} has no time zone: write Z (UTC) or an offset such as +09:00; a time "
                "without one is never taken as UTC",
                value=show_value(written, 40),
            )
        )
    whole, _, fraction = local.partition(".")
    try:
        moment = dt.datetime.fromisoformat(whole)
    except ValueError:
        raise TimeError(_not_a_time(written)) from None
    if zone in "Zz":
        offset = dt.timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if minutes > 59 or hours * 60 + minutes > MAX_OFFSET_MINUTES:
            raise TimeError(
                Message(
                    "{value} has an offset beyond ±14:00, the offsets in use",
                    value=show_value(written, 40),
                )
            )
        offset = sign * dt.timedelta(hours=hours, minutes=minutes)
    try:
        utc = moment - offset
    except OverflowError:
        raise TimeError(_not_a_time(written)) from None
    written_to = "minutes" if len(whole) == 16 else "seconds"
    return utc.isoformat(timespec=written_to) + (f".{fraction}" if fraction else "") + "Z"


def _not_a_time(written: str) -> str:
    return Message("{value} is not a time that exists", value=show_value(written, 40))


def _on_line(line: int | None, message: str) -> str:
    """`message` about line `line` of a MultiLineString ("line 2: …"), or as it is."""
    if line is None:
        return message
    return Message("line {number}: {message}", number=str(line), message=message)


def lines_of(geometry) -> list:
    """The lines of a LineString (itself) or MultiLineString (its parts), in order."""
    if geometry.geom_type == "LineString":
        return [geometry]
    return list(shapely.get_parts(geometry))


def check_coord_times(
    value: object,
    geometry,
    first_day: dt.date | None,
    last_day: dt.date | None,
    first_instant: dt.datetime | None = None,
    after_end: dt.datetime | None = None,
) -> tuple[tuple[str, ...], ...]:
    """The times of a track's positions, one tuple per line, as UTC text; FeatureError naming
    "coordTimes" when they cannot be the times of `geometry`'s positions.

    `value` is what the feature writes: a list of texts for a LineString, a list of such lists
    for a MultiLineString (togeojson's form). The rules: one time per position; each an ISO
    8601 date and time with a zone (see utc_time); within a line, no time before the one
    before it (equal times are allowed: two reports in one second); and every time within
    the event's dates (`first_day` to `last_day`, the first and last day it covers), a day
    being taken as that date anywhere on Earth (UTC+14 to UTC−12), since dates carry no zone;
    a start written with a time is that instant (`first_instant`, an aware datetime), an end
    written with one ends with its minute or second (`after_end`: the first instant after it).
    """
    if geometry is None or geometry.geom_type not in LINE_TYPES:
        kind = geometry.geom_type if geometry is not None else Message("no geometry")
        raise FeatureError(
            FIELD,
            Message(
                "only a LineString or MultiLineString has a time per position, not {kind}",
                kind=kind,
            ),
        )
    lines = lines_of(geometry)
    multi = geometry.geom_type == "MultiLineString"
    if not isinstance(value, list):
        raise FeatureError(
            FIELD, Message("{value} is not a list of times", value=show_value(value, 40))
        )
    if multi:
        if not all(isinstance(item, list) for item in value):
            raise FeatureError(
                FIELD,
                Message(
                    "a MultiLineString's times are a list of lists, one per line "
                    '([["2024-07-18T02:00Z", …], […]])'
                ),
            )
        given = value
        if len(given) != len(lines):
            raise FeatureError(
                FIELD,
                Message(
                    "{lists} lists of times for {lines} lines; give one per line",
                    lists=str(len(given)),
                    lines=str(len(lines)),
                ),
            )
    else:
        if value and isinstance(value[0], list):
            raise FeatureError(
                FIELD, Message("a LineString's times are one list of texts, not a list of lists")
            )
        given = [value]
    kept = []
    for number, (times, line) in enumerate(zip(given, lines, strict=True), start=1):
        where = number if multi else None
        count = shapely.get_num_coordinates(line)
        if len(times) != count:
            raise FeatureError(
                FIELD,
                _on_line(
                    where,
                    Message(
                        "{times} times for {positions} positions; give one per position",
                        times=format(len(times), ","),
                        positions=format(count, ","),
                    ),
                ),
            )
        kept.append(_line_times(times, where))
    _check_within(kept, first_day, last_day, first_instant, after_end)
    return tuple(kept)


def _line_times(times: list, where: int | None) -> tuple[str, ...]:
    """One line's times as UTC text, in order; FeatureError naming the first wrong position."""
    joined = "\n".join(times) if all(type(item) is str for item in times) else None
    if joined is not None and joined.count("\n") == len(times) - 1 and _UTC_LINE.fullmatch(joined):
        utc = tuple(times)  # the usual case, already UTC: checked for a whole line at once
    else:
        converted = []
        for position, item in enumerate(times, start=1):
            try:
                converted.append(utc_time(item))
            except TimeError as error:
                said = Message(
                    "position {position}: {reason}", position=str(position), reason=reason(error)
                )
                raise FeatureError(FIELD, _on_line(where, said)) from None
        utc = tuple(converted)
    try:
        moments = seconds(utc)
    except ValueError:  # a day the calendar does not have (30 February)
        for position, item in enumerate(utc, start=1):
            try:
                seconds((item,))
            except ValueError:
                raise FeatureError(
                    FIELD,
                    _on_line(
                        where,
                        Message(
                            "position {position}: {value} does not exist",
                            position=str(position),
                            value=show_value(item, 40),
                        ),
                    ),
                ) from None
        raise
    backwards = np.flatnonzero(np.diff(moments) < 0)
    if len(backwards):
        at = int(backwards[0]) + 2
        raise FeatureError(
            FIELD,
            _on_line(
                where,
                Message(
                    "position {position} ({time}) is before position {before} ({before_time}): "
                    "times go forward along a line",
                    position=format(at, ","),
                    time=utc[at - 1],
                    before=format(at - 1, ","),
                    before_time=utc[at - 2],
                ),
            ),
        )
    return utc


def _check_within(
    lines: list[tuple[str, ...]], first_day, last_day, first_instant, after_end
) -> None:
    if first_day is None or last_day is None:
        return
    moments = np.concatenate([seconds(line) for line in lines if line] or [np.array([])])
    if not len(moments):
        return
    if first_instant is not None:
        earliest, start = first_instant.timestamp(), _utc_text(first_instant)
    else:
        earliest, start = _epoch(first_day) - EARLIEST_ZONE_H * 3600, first_day.isoformat()
    if after_end is not None:
        latest = after_end.timestamp()
        end = Message("before {time}", time=_utc_text(after_end))
    else:
        # A day ends at its last moment anywhere on Earth.
        latest = _epoch(last_day + dt.timedelta(days=1)) + LATEST_ZONE_H * 3600
        end = last_day.isoformat()
    flat = [time for line in lines for time in line]
    low, high = int(np.argmin(moments)), int(np.argmax(moments))
    if moments[low] < earliest:
        raise FeatureError(
            FIELD,
            Message(
                "{time} is before the event's start ({start}); the start must cover the first time",
                time=flat[low],
                start=start,
            ),
        )
    if moments[high] >= latest:
        raise FeatureError(
            FIELD,
            Message(
                "{time} is after the event's end ({end}); the end must cover the last time",
                time=flat[high],
                end=end,
            ),
        )


def _utc_text(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(day: dt.date) -> float:
    return (day - dt.date(1970, 1, 1)).days * 86400.0


def seconds(times) -> np.ndarray:
    """UTC texts (as kept: utc_time's form) as seconds since 1970-01-01 UTC (float64, exact to
    the microsecond for these years). ValueError for a date the calendar does not have."""
    stripped = [time[:-1] for time in times]
    return np.array(stripped, dtype="datetime64[us]").astype("int64") / 1e6


def times_json(lines: tuple[tuple[str, ...], ...], geometry_type: str) -> list:
    """`coordTimes` as a feature writes it: one list for a LineString, a list of lists for a
    MultiLineString (togeojson's form)."""
    if geometry_type == "LineString" and len(lines) == 1:
        return list(lines[0])
    return [list(line) for line in lines]


def written_times(cell: str) -> list | None:
    """The `coordTimes` a table cell holds as JSON (what layers.read.geo writes for a GPX or
    KML track, or a GeoJSON property), or None when the cell is empty. TimeError when the
    text is not JSON."""
    if not cell.strip():
        return None
    try:
        return json.loads(cell)
    except ValueError:
        raise TimeError(f"{show_value(clip(cell, 60))} is not a list of times") from None


def split_time(text: str) -> tuple[str, str | None]:
    """An ISO 8601 date and time as (its date and time, "YYYY-MM-DDThh:mm[:ss[.f]]"; its zone
    as written, None when it has none). TimeError when the text is not one."""
    written = text.strip()
    match = _TIME.fullmatch(written)
    if not match:
        raise TimeError(
            Message(
                "{value} is not an ISO 8601 time (YYYY-MM-DDThh:mm[:ss]Z)",
                value=show_value(written, 40),
            )
        )
    local, zone = match.groups()
    return local[:10] + "T" + local[11:].replace(",", "."), zone


def gap_seconds(text: str) -> float | None:
    """A mapping's `split_gap` ("6h", "90min", "2d", "30s") in seconds (over 0), or None."""
    match = _GAP.match(text)
    if not match:
        return None
    value = float(match.group(1)) * GAP_UNITS[match.group(2)]
    return value if value > 0 else None
