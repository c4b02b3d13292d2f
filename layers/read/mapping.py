"""A mapping: how one source's columns become events. A small TOML file (docs/import.md).

The same mapping drives the dashboard's import step and `python -m layers.convert`, so a list
that grows weekly is re-imported with one command. Nothing is guessed here: dates are read only
in the forms the mapping gives (strptime), a month-only or year-only value keeps its precision,
nations are ISO codes, English names or the mapping's own `values`, and a source with no
position takes a named area's, with a radius that covers the area. Every row then goes through
the event validator (`layers.read.load.parse_event`), so bad rows are reported by row and field
and the rest loads.

    [source]
    title = "Taiwan Strait transits list"
    [fields]
    id = { template = "transit-{Date}-{row}" }
    start = { column = "Date", format = "%Y/%m/%d", month_format = "%Y/%m" }
    nations = { column = "Country", split = "[+,;()]", values = { "中国" = "CHN" } }
    [geometry]
    lat = "Lat"
    lon = "Lon"
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import itertools
import json
import math
import re
import tomllib
import unicodedata
import zoneinfo
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

from layers.dates import (
    DATE_FORMS,
    MAX_OFFSET_MINUTES,
    DateError,
    ZoneError,
    normal_offset,
    offset_in,
    offset_text,
    parse_period,
)
from layers.i18n import N_, Message, localized, ngettext, pgettext
from layers.i18n import number as locale_number
from layers.nations import likely_nations, nation_matches
from layers.read.coordinates import LATITUDE, LONGITUDE, CoordinateError, parse_coordinate
from layers.read.encoding import canonical
from layers.read.georows import TRACK_TIMES_COLUMN
from layers.read.groups import import_groups
from layers.read.load import (
    COUNT_NAME_WORDS,
    collect_features,
    events_frame,
    is_web_url,
    parse_event,
)
from layers.read.schema import (
    COUNT_NAME_PATTERN,
    KINDS,
    MAX_COUNT,
    MAX_COUNT_NAMES,
    FeatureError,
    FeatureErrors,
    Problem,
    chained,
    reason,
    show_value,
)
from layers.read.table import Table
from layers.read.tracks import TimeError, gap_seconds, written_times

# The fields a mapping can fill, in the order a mapping file lists them.
FIELDS = (
    "id",
    "title",
    "kind",
    "start",
    "end",
    "precision",
    "nations",
    "side_a",
    "side_b",
    "organisations",
    "forces",
    "summary",
    "area",
    "location_precision_km",
    "source_title",
    "source_url",
)
REQUIRED_FIELDS = ("title", "kind", "start", "nations")
LIST_FIELDS = ("nations", "organisations", "forces")
# Who stood against whom (docs/import.md, "Sides"): an incident list names the nation that
# acted and the one it acted against in two columns (GDELT's Actor1CountryCode and
# Actor2CountryCode, ICEWS's Source Country and Target Country); each is read as nations are,
# and the two become the event's `sides`.
SIDE_FIELDS = ("side_a", "side_b")
# Fields whose items are nations, read with layers.nations.nation_code.
NATION_FIELDS = ("nations", *SIDE_FIELDS)
DATE_FIELDS = ("start", "end")
RULE_KEYS = (
    "column",
    "value",
    "template",
    "values",
    "split",
    "format",
    "month_format",
    "year_format",
    "unit",
)
# Which rule keys each field takes: every field is filled one of three ways and may translate
# what the list writes (`values`); lists split a cell, dates have strptime forms, and a
# location precision has a unit. Any other key is refused naming the field, never ignored.
_WAYS = ("column", "value", "template", "values")
_DATE_KEYS = (*_WAYS, "format", "month_format", "year_format")
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "id": _WAYS,
    "title": _WAYS,
    "kind": _WAYS,
    "start": _DATE_KEYS,
    "end": _DATE_KEYS,
    "precision": _WAYS,
    "nations": (*_WAYS, "split"),
    "side_a": (*_WAYS, "split"),
    "side_b": (*_WAYS, "split"),
    "organisations": (*_WAYS, "split"),
    "forces": (*_WAYS, "split"),
    "summary": _WAYS,
    "area": _WAYS,
    "location_precision_km": (*_WAYS, "unit"),
    "source_title": _WAYS,
    "source_url": _WAYS,
}
# Units of `location_precision_km`, in metres. The international nautical mile is 1852 m
# exactly (International Hydrographic Conference, Monaco 1929; BIPM, SI Brochure 9th ed.,
# Table 8); it was defined as one minute of arc of latitude, so a degree of latitude is taken
# as 60 nautical miles, 111.12 km (the true length varies from 110.57 km at the equator to
# 111.69 km at the poles, well inside the precision a list gives in degrees).
UNITS = {"km": 1000.0, "m": 1.0, "nm": 1852.0, "deg": 60 * 1852.0}
SOURCE_KEYS = ("title", "url", "publisher", "published", "sheet", "encoding", "timezone")
# The rule keys holding strptime forms: each a form or a list of forms, tried in order.
FORM_KEYS = ("format", "month_format", "year_format")
GEOMETRY_KEYS = ("lat", "lon", "wkt", "points", "area")
# Keys that make one event of many rows (docs/import.md, "Tracks"): `group` names the column
# whose value gathers rows into one event, `time` the column of each row's time (ISO 8601),
# `split_gap` the gap after which a group's positions start a new event ("6h"). A time written
# without a zone takes the [source] timezone, as every time the mapping reads does.
TRACK_KEYS = ("group", "time", "split_gap")

POINTS_KEYS = ("column", "order", "separator", "shape")
SKIP_KEYS = ("column", "equals", "empty")
# The parts of a mapping file, in the order mapping_toml writes them.
PARTS = ("source", "fields", "counts", "geometry", "skip")
# A count (the [counts] part) is filled one of the three ways, and may translate with `values`.
COUNT_KEYS = _WAYS
_COUNT_NAME = re.compile(COUNT_NAME_PATTERN)
PRECISIONS = ("day", "month", "year")
_ISO_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
# An ISO 8601 / RFC 3339 date and time of day, as GIS files (KML TimeStamp, GeoPackage and
# GeoJSON attributes) and spreadsheets write them: "2024-07-19T08:00:00+09:00",
# "2024-07-19T08:00Z", "2024-07-19 08:00", "2024-07-19T08:00:00.123Z". The date is group 1.
_ISO_DATE_TIME = re.compile(
    r"^(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9])"
    r"(:(?P<second>[0-5][0-9]|60)([.,][0-9]+)?)?"
    r"(?P<offset>Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?$",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_DISTANCE = re.compile(r"[+]?([0-9]+\.?[0-9]*|\.[0-9]+)")
_GEOD = Geod(ellps="WGS84")


def written_date(text: str) -> str | None:
    """The date an ISO 8601 text writes, at its precision, or None when it is not ISO 8601.

    A date ("2024-07", a spreadsheet's date cell) is unambiguous and kept as it is; a date and
    time ("2024-07-19T08:00:00+09:00") gives the date the source wrote, in its own time zone:
    never converted to UTC, so an 08:00 sighting at +09:00 on 19 July stays 19 July. (The
    time itself is kept by `written_moment`; this is the date alone, for guessing columns.)
    """
    if _ISO_DATE.match(text):
        return text
    moment = _ISO_DATE_TIME.match(text)
    return moment.group(1) if moment else None


def written_moment(text: str, zone: dt.tzinfo | None = None) -> tuple[str, bool] | None:
    """An ISO 8601 date or date and time as the event format writes it, and whether a time
    was dropped; None when `text` is not ISO 8601 (or names a date or time that does not
    exist).

    A date is kept as it is. A date and time keeps its time and its offset as written,
    normalised to "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)" ("2024-07-19t08:00:00+0900" gives
    "2024-07-19T08:00:00+09:00"; fractions of a second are cut, never rounded up). A date and
    time with no offset is local time of an unknown zone: with `zone` (the mapping's
    [source] timezone) it is given that zone's offset at that date and time; without, only its
    date is kept and the second value is True, so the caller can say so. Never converted to
    UTC: 08:00 at +09:00 on 19 July stays 08:00 on 19 July.
    """
    if _ISO_DATE.match(text):
        return (text, False) if _date_exists(text) else None
    moment = _ISO_DATE_TIME.match(text)
    if not moment:
        return None
    day, second, offset = moment.group("date", "second", "offset")
    if not _date_exists(day) or second == "60":
        return None
    time_text = f"{moment['hour']}:{moment['minute']}" + (f":{second}" if second else "")
    if offset is None:
        if zone is None:
            return day, True
        local = dt.datetime.fromisoformat(f"{day}T{time_text}")
        return f"{day}T{time_text}{offset_in(zone, local)}", False
    return f"{day}T{time_text}{normal_offset(offset)}", False


def _date_exists(text: str) -> bool:
    try:
        parse_period(text)
    except DateError:
        return False
    return True


_FIXED_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])([01][0-9]|2[0-3]):?([0-5][0-9])?$", re.IGNORECASE)


def source_zone(text: str) -> dt.tzinfo:
    """The zone a mapping's [source] timezone names: "UTC" or "Z", a fixed offset ("+08:00",
    "-10:00", "UTC+08:00"; hours in two digits), or a zone of the IANA time zone database
    ("Asia/Taipei", "Australia/Sydney": its offset follows the date, summer time included).
    ValueError with a one-line reason when it names none."""
    text = text.strip()
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.UTC
    fixed = _FIXED_OFFSET.match(text)
    if fixed:
        sign, hours, minutes = fixed.groups()
        total = int(hours) * 60 + int(minutes or 0)
        if total > MAX_OFFSET_MINUTES:
            raise ValueError(
                Message("{value} is beyond ±14:00, the offsets in use", value=json.dumps(text))
            )
        return dt.timezone(dt.timedelta(minutes=total if sign == "+" else -total))
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            Message(
                '{value} is neither an offset ("+08:00", "UTC") nor a time zone name '
                '("Asia/Taipei")',
                value=json.dumps(text, ensure_ascii=False),
            )
        ) from None


def _as_forms(value: object) -> tuple[str, ...]:
    """A rule's form key as a tuple of forms: one form, a list of forms, or none."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


# A form's era: an era's name then its year ("令和6年", "民國113年", "平成元年"), as POSIX
# strftime's %EC (the era's name) and %Ey (the year in it) write it. Python's strptime has no
# eras: the import reads the pair itself, as the Gregorian year, before strptime reads the rest.
ERA_FORM = "%EC%Ey"
# Each era's name and first day: Japan's eras (gengō) since Taishō, whose dates are Gregorian
# (dates of the Meiji era before 1873 are in the old lunisolar calendar, and are not read), and
# 民國 (Minguo), the Republic of China's calendar that Taiwan uses: 民國1年 is 1912.
ERAS = {
    "大正": dt.date(1912, 7, 30),
    "昭和": dt.date(1926, 12, 25),
    "平成": dt.date(1989, 1, 8),
    "令和": dt.date(2019, 5, 1),
    "民國": dt.date(1912, 1, 1),
    "民国": dt.date(1912, 1, 1),
}
_ERA_YEAR = re.compile(rf"({'|'.join(ERAS)})\s*(元|[0-9０-９]{{1,3}})")


def era_year(text: str) -> tuple[str, dt.date] | None:
    """`text` with its era year written as the Gregorian year, and the era's first day; None
    when it writes no era year. "令和6年7月18日" → ("2024年7月18日", 2019-05-01); "令和元年" is
    its first year (元年), full-width digits read as digits."""
    match = _ERA_YEAR.search(text)
    if match is None:
        return None
    written = match.group(2)
    number = 1 if written == "元" else int(unicodedata.normalize("NFKC", written))
    if number < 1:
        return None
    start = ERAS[match.group(1)]
    year = start.year + number - 1
    return f"{text[: match.start()]}{year:04d}{text[match.end() :]}", start


def _period_end(day: dt.date, width: int) -> dt.date:
    """The last day of the period a reading at `width` (10 a day, 7 a month, 4 a year) names."""
    if width == 10:
        return day
    if width == 7:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day.replace(month=12, day=31)


# strptime directives that name a year, a day, a month, and the parts of a time of day.
_YEAR_DIRECTIVES = set("YyG")
_DAY_DIRECTIVES = set("djUWuwaAGVc")
_MONTH_DIRECTIVES = set("mbBh")
# A form whose own text (outside its directives) says UTC reads UTC times: "%H%M UTC",
# "%d%H%MZ %b %y" (a date-time group as military messages write it).
_UTC_WORD = re.compile(r"(?<![A-Za-z])(?:Z|UTC|GMT)(?![A-Za-z])")


@dataclass(frozen=True)
class DateForm:
    """What a strptime form can say: its ISO width (10 a day, 7 a month, 4 a year), whether it
    reads a time of day (hours and minutes; `seconds` too), and how that time's zone is known:
    `offset` (%z), `utc` (the form's text says Z, UTC or GMT), or neither."""

    form: str
    width: int
    time: bool
    seconds: bool
    offset: bool
    utc: bool

    @classmethod
    @functools.lru_cache(maxsize=256)
    def of(cls, form: str) -> DateForm:
        """What `form` can say (kept per form: every cell of a column asks)."""
        directives = set(re.findall(r"%-?([a-zA-Z])", form.replace(ERA_FORM, "%Y")))
        if directives & _DAY_DIRECTIVES:
            width = 10
        elif directives & _MONTH_DIRECTIVES:
            width = 7
        else:
            width = 4
        hours = bool(directives & {"H"}) or {"I", "p"} <= directives
        time = hours and "M" in directives
        literal = re.sub(r"%-?[a-zA-Z%]", " ", form)
        return cls(
            form,
            width,
            time,
            time and "S" in directives,
            "z" in directives,
            bool(_UTC_WORD.search(literal)),
        )


@functools.lru_cache(maxsize=256)
def form_problem(form: str) -> str | None:
    """Why a strptime form cannot read dates as the event format needs them, or None.

    A form must name the year (%Y, %y): strptime would give 1900 for a form without one, a year
    the source never wrote. A time of day is read to the minute: %H (or %I with %p) with %M;
    a form with an hour but no minutes, or minutes but no hour, is refused rather than read
    to a precision it does not have. %Z is refused: strptime reads a zone name there without
    keeping it; write an offset's place as %z, or UTC as the form's own text ("%H%M UTC").
    %EC%Ey (an era's name and its year: 令和6年, 民國113年, `ERA_FORM`) names the year."""
    if "%E" in form.replace(ERA_FORM, ""):
        return Message("%E is read only as %EC%Ey, an era's name and year (令和6年, 民國113年)")
    directives = set(re.findall(r"%-?([a-zA-Z])", form.replace(ERA_FORM, "%Y")))
    if "Z" in directives:
        return Message(
            "%Z reads a zone name without keeping it: use %z for an offset (+09:00), or write "
            'UTC in the form ("%H:%M UTC")'
        )
    if not directives & _YEAR_DIRECTIVES:
        return Message(
            "names no year (%Y or %y): a date needs the year its source wrote; if another "
            'column gives it, join them with template = "{Year} {Date}" and a form such as '
            '"%Y %d %B"'
        )
    hours = bool(directives & {"H"}) or {"I", "p"} <= directives
    if "I" in directives and "p" not in directives:
        return Message("%I (a 12-hour clock) needs %p (AM or PM)")
    if hours != ("M" in directives):
        return Message("a time of day is read to the minute: give both the hour (%H) and %M")
    if "S" in directives and not hours:
        return Message("%S (seconds) needs the hour and minutes (%H:%M:%S)")
    return None


@dataclass(frozen=True)
class Reading:
    """One reading of a date cell: the ISO text the event format writes (a date at its
    precision, or a date and time with its offset), the form that read it ("ISO 8601" for
    ISO text), and whether a time with no zone was dropped (only its date kept)."""

    text: str
    form: str
    dropped_time: bool = False


ISO_FORM = "ISO 8601"


@functools.lru_cache(maxsize=4096)
def _cached_readings(
    text: str, forms: tuple[str, ...], zone: dt.tzinfo | None
) -> tuple[Reading, ...] | ZoneError:
    try:
        return tuple(_readings(text, forms, zone))
    except ZoneError as error:
        return error


def date_readings(text: str, forms: tuple[str, ...], zone: dt.tzinfo | None) -> list[Reading]:
    """Every distinct reading of `text` by the forms (each of FORM_KEYS's, in order) and as ISO
    8601 text; [] when none reads it. Two readings that differ mean the forms disagree on this
    value: the caller reports it, never taking the first. A form `form_problem` refuses reads
    nothing. Raises ZoneError when a local time falls when the mapping's zone changed its
    clocks. Kept for the last few thousand texts: a range's parts are read for each place
    the cell could split, and a list repeats its dates."""
    found = _cached_readings(text, forms, zone)
    if isinstance(found, ZoneError):
        raise found
    return list(found)


def _readings(text: str, forms: tuple[str, ...], zone: dt.tzinfo | None) -> list[Reading]:
    readings: dict[str, Reading] = {}
    for form in forms:
        reading = _form_reading(text, DateForm.of(form), zone)
        if reading is not None and reading.text not in readings:
            readings[reading.text] = reading
    iso = written_moment(text, zone)
    if iso is not None and iso[0] not in readings:
        readings[iso[0]] = Reading(iso[0], ISO_FORM, iso[1])
    return list(readings.values())


def _form_reading(text: str, shape: DateForm, zone: dt.tzinfo | None) -> Reading | None:
    if form_problem(shape.form):
        return None
    era_start = None
    form = shape.form
    if ERA_FORM in form:
        gregorian = era_year(text)
        if gregorian is None:
            return None
        text, era_start = gregorian
        form = form.replace(ERA_FORM, "%Y", 1)
    try:
        value = dt.datetime.strptime(text, form)
    except ValueError:
        return None
    if era_start is not None and _period_end(value.date(), shape.width) < era_start:
        return None  # 令和元年4月1日: the era began on 1 May 2019; no such date was written
    day = value.date().isoformat()[: shape.width]
    if not shape.time or shape.width < 10:
        return Reading(day, shape.form)
    time_text = f"{value.hour:02d}:{value.minute:02d}"
    if shape.seconds:
        time_text += f":{value.second:02d}"
    if value.tzinfo is not None:
        offset = value.utcoffset()
        zone_text = "Z" if not offset else offset_text(offset)
    elif shape.utc:
        zone_text = "Z"
    elif zone is not None:
        zone_text = offset_in(zone, value)
    else:
        return Reading(day, shape.form, dropped_time=True)
    return Reading(f"{day}T{time_text}{zone_text}", shape.form)


# Where a cell holding a range splits: a dash (hyphen, en or em dash), a slash (ISO 8601
# intervals), a wave dash or tilde (Japanese and Chinese lists), 至 ("to" in Chinese), or the
# word "to".
_RANGE_SEPARATOR = re.compile(r"\s*(?:[-–—/～~〜至]|(?<![A-Za-z])to(?![A-Za-z]))\s*", re.IGNORECASE)
_DIGIT = re.compile(r"[0-9]")
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+|[\W_]+")


def _kind(token: str) -> str:
    """A token's kind: a number, a word, or punctuation and spaces."""
    return "9" if token[0].isdigit() else "a" if token[0].isalpha() else " "


def _skeleton(text: str) -> str:
    """The shape of a date's text: numbers of one or two digits (9), numbers of more (#),
    words (a), and the punctuation between them as written (spaces as one)."""
    shape = _LONG_NUMBER.sub("#", text)
    shape = _SHORT_NUMBER.sub("9", shape)
    shape = _WORD.sub("a", shape)
    return _SPACES.sub(" ", shape)


_LONG_NUMBER = re.compile(r"[0-9]{3,}")
_SHORT_NUMBER = re.compile(r"[0-9]{1,2}")
_WORD = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"\s+")


def range_readings(
    text: str, forms: tuple[str, ...], zone: dt.tzinfo | None
) -> list[tuple[Reading, Reading]]:
    """The ways `text` reads as two dates joined by a range separator, each in the forms (or as
    ISO 8601 text): "06/19/2019 - 06/25/2019", "2024-07-18/2024-07-21", "18–21 July 2024",
    "2024年7月18日～21日". One part may leave out what the other writes: the first its end
    ("18" with " July 2024" from "21 July 2024"), the second its beginning ("21日" with
    "2024年7月" from "2024年7月18日"); a completed part must have the shape of the part it
    borrowed from (numbers, words and punctuation in the same places) and read as a date.
    Nothing is carried that neither part writes: a year written nowhere gives no reading.
    Each part's readings must agree (one reading each); distinct results are all returned.
    """
    found: dict[tuple[str, str], tuple[Reading, Reading]] = {}
    for separator in _RANGE_SEPARATOR.finditer(text):
        first, second = text[: separator.start()].strip(), text[separator.end() :].strip()
        # Every date writes a number: a part without one is no date, however completed.
        if not _DIGIT.search(first) or not _DIGIT.search(second):
            continue
        for first_text, second_text in _completions(first, second, forms, zone):
            first_reading = _one_reading(first_text, forms, zone)
            second_reading = _one_reading(second_text, forms, zone)
            if first_reading and second_reading:
                found.setdefault(
                    (first_reading.text, second_reading.text), (first_reading, second_reading)
                )
    return list(found.values())


def _one_reading(text: str, forms: tuple[str, ...], zone: dt.tzinfo | None) -> Reading | None:
    """The one reading of `text`, or None when it has none or several (they would disagree)."""
    try:
        readings = date_readings(text, forms, zone)
    except ZoneError:
        return None
    return readings[0] if len(readings) == 1 else None


def _completions(
    first: str, second: str, forms: tuple[str, ...], zone: dt.tzinfo | None
) -> list[tuple[str, str]]:
    """The texts of the two parts of a range: as written when both read, else each part that
    does not read completed from the other (see range_readings)."""
    first_reads = bool(date_readings_safe(first, forms, zone))
    second_reads = bool(date_readings_safe(second, forms, zone))
    if first_reads and second_reads:
        return [(first, second)]
    first_tokens, second_tokens = _TOKEN.findall(first), _TOKEN.findall(second)
    # A borrowed piece meets the part between two tokens of different kinds: "1" borrowed
    # before "1日" would make "11日", a day neither part writes.
    tails = [first] if first_reads else []
    if not first_reads:
        tails = [
            first + "".join(second_tokens[at:])
            for at in range(1, len(second_tokens))
            if _kind(second_tokens[at]) != _kind(first_tokens[-1])
        ]
    heads = [second] if second_reads else []
    if not second_reads:
        heads = [
            "".join(first_tokens[:at]) + second
            for at in range(1, len(first_tokens))
            if _kind(first_tokens[at - 1]) != _kind(second_tokens[0])
        ]
    head_shapes = [(_skeleton(text), text) for text in heads]
    pairs = []
    for first_text in tails:
        shape = _skeleton(first_text)
        pairs += [(first_text, text) for other, text in head_shapes if other == shape]
    return pairs


def date_readings_safe(text: str, forms: tuple[str, ...], zone: dt.tzinfo | None) -> list[Reading]:
    """date_readings, [] where the zone cannot say the offset (the caller reports the cell)."""
    try:
        return date_readings(text, forms, zone)
    except ZoneError:
        return []


class MappingError(ValueError):
    """A mapping that cannot be used; `problems` holds one line per thing wrong with it."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def unknown_nations_message(unknown: dict[str, tuple[str, ...]]) -> str:
    """What is wrong with a cell's nation values that no name or code resolves, each value with
    the `values` entry that would map it: its own likely code (`likely_nations`: "中国海警" →
    "CHN"), the candidates of a name that names several nations, else "…" for the analyst's
    code. `unknown`: each value as written to (what the mapping's `values` turn it into, then
    the codes that names: several when ambiguous, none when unknown)."""
    sentences = []
    for value, (mapped, *codes) in unknown.items():
        shown = show_value(value, 30)
        what = (
            shown
            if mapped == value
            else Message("{value} (mapped to {mapped})", value=shown, mapped=show_value(mapped, 30))
        )
        if len(codes) > 1:
            sentences.append(
                Message(
                    "{value} names more than one nation in CLDR's names ({codes}): map it with "
                    "values = {{ {shown} = {code} }} or {others}",
                    value=what,
                    codes=", ".join(codes),
                    shown=shown,
                    code=json.dumps(codes[0]),
                    others=either([json.dumps(code) for code in codes[1:]]),
                )
            )
            continue
        likely = likely_nations(mapped) or likely_nations(value)
        if likely:
            sentences.append(
                Message(
                    "{value} is not a nation this import knows (perhaps {likely}): map it with "
                    "values = {{ {shown} = {code} }}",
                    value=what,
                    likely=likely[0],
                    shown=shown,
                    code=json.dumps(likely[0]),
                )
            )
        else:
            sentences.append(
                Message(
                    "{value} is not a nation this import knows: map it with values = "
                    '{{ {shown} = "…" }}, its ISO code',
                    value=what,
                    shown=shown,
                )
            )
    # (Each catalogue id is written outside the Message call: Babel does not read a call
    # nested in another's arguments.)
    joined = chained(N_("{first}; {rest}"), sentences)
    return Message('{problems} (or "" to leave a value out)', problems=joined)


def either(parts: list[str]) -> str:
    """ "a or b or c" as a Message (values as written, "or" in the reader's language)."""
    return chained(N_("{first} or {rest}"), parts)


@dataclass(frozen=True)
class Rule:
    """How one field is filled: from a `column`, a fixed `value` or a `template` of columns.

    `values` translates source values (a value mapped to "" is dropped); `split` is a regular
    expression splitting a cell into a list; `format`, `month_format` and `year_format` are
    strptime forms for dates (a form's directives say its precision: day, month or year, and
    a time of day with %H and %M), each one form or a tuple of forms tried together (a value
    two forms read differently is a problem); `unit` is the unit of a location precision (a
    key of UNITS; default km). FIELD_KEYS says which field takes which key.
    """

    column: str | None = None
    value: object = None
    template: str | None = None
    format: str | tuple[str, ...] | None = None
    month_format: str | tuple[str, ...] | None = None
    year_format: str | tuple[str, ...] | None = None
    values: dict[str, str] = field(default_factory=dict)
    split: str | None = None
    unit: str | None = None

    def forms(self) -> tuple[str, ...]:
        """Every strptime form of the rule, day forms first, then month and year forms."""
        return tuple(form for key in FORM_KEYS for form in _as_forms(getattr(self, key)))

    def columns(self) -> list[str]:
        """The source columns this rule reads."""
        if self.column is not None:
            return [self.column]
        if self.template is not None:
            return [name for name in _PLACEHOLDER.findall(self.template) if name != "row"]
        return []


@dataclass(frozen=True)
class Skip:
    """A condition that leaves a row out: its `column` is empty (`empty`), or holds exactly
    one of `equals` (the cell as written, spaces at its ends trimmed)."""

    column: str
    equals: tuple[str, ...] = ()
    empty: bool = False

    def reasons(self) -> list[str]:
        """How a row this condition leaves out is described, one per value it matches."""
        if self.empty:
            return [Message("{column} empty", column=self.column)]
        return [f"{self.column} = {json.dumps(value, ensure_ascii=False)}" for value in self.equals]

    def reason(self, row: dict[str, str]) -> str | None:
        """Why this condition leaves `row` out, or None when it does not."""
        cell = row.get(self.column, "").strip()
        if self.empty:
            return Message("{column} empty", column=self.column) if not cell else None
        if cell in self.equals:
            return f"{self.column} = {json.dumps(cell, ensure_ascii=False)}"
        return None


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping: `source` (title, url, publisher, published, sheet, encoding), one
    Rule per field, `geometry` ({"lat", "lon"}, {"wkt"}, {"points": {...}} or {"area"}), the
    `skip` conditions that leave rows out, and one Rule per count (`counts`)."""

    source: dict[str, str]
    fields: dict[str, Rule]
    geometry: dict[str, object]
    skip: tuple[Skip, ...] = ()
    # The [counts] part: one Rule per count name (docs/import.md, "Counts").
    counts: dict[str, Rule] = field(default_factory=dict)

    def columns(self) -> list[tuple[str, str]]:
        """(column, where the mapping names it) for every source column the mapping reads."""
        named = [
            (column, f"fields.{name}")
            for name, rule in self.fields.items()
            for column in rule.columns()
        ]
        for key in ("lat", "lon", "wkt", "group", "time"):
            if key in self.geometry:
                named.append((str(self.geometry[key]), f"geometry.{key}"))
        points = self.geometry.get("points")
        if isinstance(points, dict):
            named.append((str(points["column"]), "geometry.points"))
        named += [(skip.column, f"skip[{number}]") for number, skip in enumerate(self.skip, 1)]
        named += [
            (column, f"counts.{name}")
            for name, rule in self.counts.items()
            for column in rule.columns()
        ]
        return named


@dataclass(frozen=True)
class LeftOut:
    """The rows a mapping's `skip` conditions leave out: their numbers, and how many for each
    reason ("Status = \"duplicate\"", "Lat empty"), in the order of the conditions. Rows left
    out are the analyst's choice, not problems."""

    rows: frozenset[int] = frozenset()
    reasons: tuple[tuple[str, int], ...] = ()

    @property
    def count(self) -> int:
        """How many rows were left out."""
        return len(self.rows)

    def summary(self, noun: str = "row") -> str | None:
        """One line for the summary ("12 rows left out by the mapping: 10 with Status =
        \"duplicate\", 2 with Lat empty"), or None when no row was left out."""
        if not self.rows:
            return None
        why = pgettext("list separator", ", ").join(
            pgettext("rows left out", "{count} with {reason}").format(
                count=count, reason=localized(reason)
            )
            for reason, count in self.reasons
        )
        if noun == "feature":
            text = ngettext(
                "{count} feature left out by the mapping: {why}",
                "{count} features left out by the mapping: {why}",
                self.count,
            )
        elif noun == "record":
            text = ngettext(
                "{count} record left out by the mapping: {why}",
                "{count} records left out by the mapping: {why}",
                self.count,
            )
        else:
            text = ngettext(
                "{count} row left out by the mapping: {why}",
                "{count} rows left out by the mapping: {why}",
                self.count,
            )
        return text.format(count=locale_number(self.count), why=why)


def parse_mapping(text: str) -> Mapping:
    """A Mapping from TOML text. Raises MappingError listing everything wrong with it: a part,
    field or key it does not know, a key a field does not take (FIELD_KEYS), a value that
    cannot mean anything (an encoding Python does not know, a unit not in UNITS, a regular
    expression that does not compile)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError([Message("not valid TOML: {error}", error=str(error))]) from None
    problems: list[str] = []
    for key in document:
        if key not in PARTS:
            problems.append(
                Message(
                    "[{key}] is not a part of a mapping (source, fields, counts, geometry, "
                    "[[skip]])",
                    key=key,
                )
            )
    source = _source(document.get("source"), problems)
    spec = document.get("geometry")
    dates_from_times = isinstance(spec, dict) and "time" in spec
    rules = _rules(document.get("fields"), problems, dates_from_times)
    geometry = _geometry(spec, problems)
    skip = _skips(document.get("skip", []), problems)
    counts = count_rules(document.get("counts", {}), problems)
    if problems:
        raise MappingError(problems)
    return Mapping(source, rules, geometry, skip, counts)


def _source(value: object, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("title"), str):
        problems.append(
            Message('[source] needs a title = "…": every event cites where it comes from')
        )
        return {}
    source = {}
    for key, item in value.items():
        if key not in SOURCE_KEYS:
            problems.append(
                Message(
                    "source.{key} is not a source key ({keys})",
                    key=key,
                    keys=", ".join(SOURCE_KEYS),
                )
            )
        elif not isinstance(item, str):
            problems.append(Message("source.{key} must be text", key=key))
        elif not item.strip():
            continue
        elif key == "timezone" and _zone_problem(item):
            problems.append(Message("source.timezone: {reason}", reason=_zone_problem(item)))
        elif key == "encoding" and canonical(item.strip()) is None:
            problems.append(
                Message(
                    'source.encoding: {value} is not a text encoding Python knows (e.g. "utf-8", '
                    '"cp1252", "gbk", "big5", "shift_jis", "euc-kr", "cp1251")',
                    value=json.dumps(item, ensure_ascii=False),
                )
            )
        else:
            source[key] = item.strip()
    return source


def _zone_problem(text: str) -> str | None:
    try:
        source_zone(text)
    except ValueError as error:
        return reason(error)
    return None


def _rules(value: object, problems: list[str], dates_from_times: bool = False) -> dict[str, Rule]:
    """The [fields] rules. With `dates_from_times` (geometry.time), an event's dates are its
    first and last times: start and end are not mapped."""
    if not isinstance(value, dict):
        problems.append(Message("[fields] is missing: it says which column fills each field"))
        return {}
    rules = {}
    for name, spec in value.items():
        if name not in FIELDS:
            problems.append(
                Message(
                    "fields.{name} is not a field ({fields})", name=name, fields=", ".join(FIELDS)
                )
            )
            continue
        rule = _rule(name, spec, problems)
        if rule is not None:
            rules[name] = rule
    for name in REQUIRED_FIELDS:
        if name not in value and not (dates_from_times and name == "start"):
            problems.append(Message("fields.{name} is missing: every event needs it", name=name))
    if dates_from_times:
        for name in DATE_FIELDS:
            if name in value:
                problems.append(
                    Message(
                        "fields.{name}: with geometry.time an event's dates are its first and "
                        "last times; leave {name} out",
                        name=name,
                    )
                )
    return rules


def _rule(name: str, spec: object, problems: list[str]) -> Rule | None:
    where = f"fields.{name}"
    if not isinstance(spec, dict):
        problems.append(
            Message(
                '{where} must be {{ column = "…" }}, {{ value = … }} or {{ template = "…" }}',
                where=where,
            )
        )
        return None
    taken = FIELD_KEYS[name]
    refused = [key for key in spec if key not in taken]
    for key in refused:
        problems.append(
            Message(
                "{where}.{key}: {name} does not take {key} (it takes {keys})",
                where=where,
                key=key,
                name=name,
                keys=", ".join(taken),
            )
        )
    if refused:
        return None
    sources = [key for key in ("column", "value", "template") if key in spec]
    if len(sources) != 1:
        problems.append(
            Message("{where} needs exactly one of column, value, template", where=where)
        )
        return None
    for key in ("column", "template", "split", "unit"):
        if key in spec and not (isinstance(spec[key], str) and spec[key]):
            problems.append(Message("{where}.{key} must be non-empty text", where=where, key=key))
            return None
    forms = {}
    for key in FORM_KEYS:
        if key in spec:
            forms[key] = _forms_value(f"{where}.{key}", spec[key], problems)
            if forms[key] is None:
                return None
    values = _values(where, name, spec.get("values", {}), spec.get("unit"), problems)
    if values is None:
        return None
    if "split" in spec:
        try:
            re.compile(spec["split"])
        except re.error as error:
            problems.append(
                Message(
                    "{where}.split is not a regular expression: {error}",
                    where=where,
                    error=str(error),
                )
            )
            return None
    if "unit" in spec and spec["unit"] not in UNITS:
        problems.append(
            Message(
                "{where}.unit: {value} is not a unit ({units})",
                where=where,
                value=json.dumps(spec["unit"], ensure_ascii=False),
                units=", ".join(UNITS),
            )
        )
        return None
    if "value" in spec and isinstance(spec["value"], (dict, list, bool, dt.date, dt.time)):
        problems.append(Message("{where}.value must be text or a number", where=where))
        return None
    if "value" in spec and name == "location_precision_km" and not _is_distance(spec["value"]):
        problems.append(
            Message("{where}.value must be a distance: a number of 0 or more", where=where)
        )
        return None
    if "template" in spec and _PLACEHOLDER.sub("", spec["template"]).count("{") + _PLACEHOLDER.sub(
        "", spec["template"]
    ).count("}"):
        problems.append(
            Message(
                "{where}.template has a {{ or }} that does not enclose a column name", where=where
            )
        )
        return None
    kept = {key: spec[key] for key in spec if key != "values"}
    return Rule(**(kept | forms), values=values)


def _forms_value(where: str, value: object, problems: list[str]) -> str | tuple[str, ...] | None:
    """A form key's value: one strptime form (kept as text) or a non-empty list of them (kept
    as a tuple, in order); None, with a problem, for anything else or a form that cannot read
    a date (form_problem)."""
    if isinstance(value, list):
        if not value or not all(isinstance(item, str) and item for item in value):
            problems.append(
                Message("{where} must be a form or a non-empty list of forms (texts)", where=where)
            )
            return None
        forms = tuple(value)
    elif isinstance(value, str) and value:
        forms = (value,)
    else:
        problems.append(
            Message("{where} must be non-empty text (a form) or a list of forms", where=where)
        )
        return None
    for form in forms:
        problem = form_problem(form)
        if problem:
            problems.append(
                Message(
                    "{where}: {form} {problem}",
                    where=where,
                    form=json.dumps(form, ensure_ascii=False),
                    problem=problem,
                )
            )
            return None
    repeated = [form for number, form in enumerate(forms) if form in forms[:number]]
    if repeated:
        problems.append(
            Message(
                "{where} lists {form} twice",
                where=where,
                form=json.dumps(repeated[0], ensure_ascii=False),
            )
        )
        return None
    return forms if isinstance(value, list) else value


def _values(
    where: str, name: str, values: object, unit: object, problems: list[str]
) -> dict[str, str] | None:
    """A rule's `values` table, its targets as text; None (and a problem) when it is not a
    table of texts, or, for a location precision, a target is not a distance in its unit."""
    numbers = name == "location_precision_km"
    target = (str, int, float) if numbers else str
    if not isinstance(values, dict) or not all(
        isinstance(item, target) and not isinstance(item, bool) for item in values.values()
    ):
        example = '{ "6" = "800" }' if numbers else '{ "中国" = "CHN" }'
        problems.append(
            Message(
                "{where}.values must be a table of texts, e.g. {example}",
                where=where,
                example=example,
            )
        )
        return None
    texts = {key: item if isinstance(item, str) else repr(item) for key, item in values.items()}
    if numbers:
        for key, item in texts.items():
            if item.strip() and not _is_distance(item):
                problems.append(
                    Message(
                        "{where}.values: {key} = {value} is not a distance in {unit} (a number of "
                        '0 or more, or "" for none)',
                        where=where,
                        key=json.dumps(key, ensure_ascii=False),
                        value=json.dumps(item, ensure_ascii=False),
                        unit=unit if isinstance(unit, str) else "km",
                    )
                )
                return None
    return texts


def _is_distance(value: object) -> bool:
    """True for a finite number of 0 or more, given as a number or plain decimal text."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value) and value >= 0
    return isinstance(value, str) and bool(_DISTANCE.fullmatch(value.strip()))


def count_rules(value: object, problems: list[str]) -> dict[str, Rule]:
    """The [counts] part: a Rule per count name, each `{ column = "…" }`, `{ value = 45 }` or
    `{ template = "…" }` with `values` optional (targets: whole numbers, or "" for no count).
    A name that is not a count name (as the event format's), a key a count does not take, or a
    value that is not a whole number is a problem naming the count."""
    if not isinstance(value, dict):
        problems.append(
            Message('[counts] must be a table of counts, e.g. aircraft = { column = "…" }')
        )
        return {}
    if len(value) > MAX_COUNT_NAMES:
        problems.append(
            Message(
                "[counts] names {count} counts; at most {limit}",
                count=format(len(value), ","),
                limit=str(MAX_COUNT_NAMES),
            )
        )
        return {}
    rules = {}
    for name, spec in value.items():
        where = f"counts.{name}"
        if not _COUNT_NAME.fullmatch(name):
            problems.append(
                Message(
                    "{where}: {name} is not a count name ({rule})",
                    where=where,
                    name=json.dumps(name, ensure_ascii=False),
                    rule=COUNT_NAME_WORDS,
                )
            )
            continue
        rule = _count_rule(where, spec, problems)
        if rule is not None:
            rules[name] = rule
    return rules


def _count_rule(where: str, spec: object, problems: list[str]) -> Rule | None:
    if not isinstance(spec, dict):
        problems.append(
            Message(
                '{where} must be {{ column = "…" }}, {{ value = … }} or {{ template = "…" }}',
                where=where,
            )
        )
        return None
    refused = [key for key in spec if key not in COUNT_KEYS]
    for key in refused:
        problems.append(
            Message(
                "{where}.{key}: a count does not take {key} (it takes {keys})",
                where=where,
                key=key,
                keys=", ".join(COUNT_KEYS),
            )
        )
    if refused:
        return None
    sources = [key for key in ("column", "value", "template") if key in spec]
    if len(sources) != 1:
        problems.append(
            Message("{where} needs exactly one of column, value, template", where=where)
        )
        return None
    for key in ("column", "template"):
        if key in spec and not (isinstance(spec[key], str) and spec[key]):
            problems.append(Message("{where}.{key} must be non-empty text", where=where, key=key))
            return None
    if "value" in spec:
        try:
            whole_number(spec["value"])
        except ValueError as error:
            problems.append(
                Message(
                    "{where}.value: {value} {reason}",
                    where=where,
                    value=show_value(spec["value"]),
                    reason=reason(error),
                )
            )
            return None
    values = spec.get("values", {})
    if not isinstance(values, dict):
        problems.append(
            Message('{where}.values must be a table, e.g. {{ "-" = "0", "n/a" = "" }}', where=where)
        )
        return None
    texts = {}
    for key, target in values.items():
        try:
            if not (isinstance(target, str) and not target.strip()):
                whole_number(target)
        except ValueError as error:
            problems.append(
                Message(
                    '{where}.values: {key} = {value} {reason} (give a whole number, or "" for no '
                    "count)",
                    where=where,
                    key=json.dumps(key, ensure_ascii=False),
                    value=show_value(target),
                    reason=reason(error),
                )
            )
            return None
        texts[key] = target if isinstance(target, str) else str(target)
    if "template" in spec and _PLACEHOLDER.sub("", spec["template"]).count("{") + _PLACEHOLDER.sub(
        "", spec["template"]
    ).count("}"):
        problems.append(
            Message(
                "{where}.template has a {{ or }} that does not enclose a column name", where=where
            )
        )
        return None
    return Rule(**{key: spec[key] for key in spec if key != "values"}, values=texts)


# A whole number as lists write it: digits, with thousands grouped by "," (or "." where numbers
# are written with a decimal comma) or by spaces, and ".0" (",0") after it as a spreadsheet
# may write a whole number.
_WHOLE = re.compile(r"[0-9]+")
_GROUPED_SPACES = re.compile(r"[0-9]{1,3}([ \u00a0\u202f\u2009][0-9]{3})+")
_GROUPED = {
    False: re.compile(r"[0-9]{1,3}(,[0-9]{3})+"),
    True: re.compile(r"[0-9]{1,3}(\.[0-9]{3})+"),
}
_THOUSAND_OR_ONE = {False: re.compile(r"[0-9]{1,3}\.000"), True: re.compile(r"[0-9]{1,3},000")}
_ZERO_FRACTION = {False: re.compile(r"(.+)\.0+"), True: re.compile(r"(.+),0+")}


def whole_number(value: object, decimal_comma: bool = False) -> int:
    """A count as a list writes it: 45, 45.0 (a spreadsheet's number), "1,234" or "1 234"
    (thousands grouped), full-width digits (４５). With `decimal_comma` (a list that writes
    25,5), "1.234" is 1234 and "45,0" is 45, and "1,234" is not whole. Raises ValueError with
    why not, to follow the value as written ("is not a whole number of 0 or more")."""
    not_whole = Message("is not a whole number of 0 or more")
    if isinstance(value, bool):
        raise ValueError(not_whole)
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if _THOUSAND_OR_ONE[decimal_comma].fullmatch(text):
            # 1.000 is one (a decimal point) or a thousand (grouped): never taken as either.
            whole, _, _ = text.partition("," if decimal_comma else ".")
            raise ValueError(
                Message(
                    "could be {one} or {other}: write it without the separator",
                    one=whole,
                    other=format(int(re.sub("[^0-9]", "", text)), ","),
                )
            )
        zero_fraction = _ZERO_FRACTION[decimal_comma].fullmatch(text)
        if zero_fraction:
            text = zero_fraction.group(1)
        if _GROUPED[decimal_comma].fullmatch(text) or _GROUPED_SPACES.fullmatch(text):
            text = re.sub(r"[^0-9]", "", text)
        if not _WHOLE.fullmatch(text):
            raise ValueError(not_whole)
        number = int(text) if len(text) <= 20 else MAX_COUNT + 1
    else:
        raise ValueError(not_whole)
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise ValueError(not_whole)
    if number > MAX_COUNT:
        raise ValueError(
            Message("is over {limit}, more than any report counts", limit=format(MAX_COUNT, ","))
        )
    return int(number)


def _skips(value: object, problems: list[str]) -> tuple[Skip, ...]:
    """The [[skip]] tables: each a column and exactly one of `equals` (a text or a list of
    texts) or `empty = true`."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems.append(
            Message(
                'skip must be [[skip]] tables, each column = "…" with equals = ["…", …] or '
                "empty = true"
            )
        )
        return ()
    skips = []
    for number, spec in enumerate(value, start=1):
        where = f"skip[{number}]"
        unknown = [key for key in spec if key not in SKIP_KEYS]
        if unknown:
            problems.append(
                Message(
                    "{where}.{key} is not a skip key ({keys})",
                    where=where,
                    key=unknown[0],
                    keys=", ".join(SKIP_KEYS),
                )
            )
            continue
        column = spec.get("column")
        if not isinstance(column, str) or not column.strip():
            problems.append(
                Message('{where} needs column = "…": the column whose cell decides', where=where)
            )
            continue
        if ("equals" in spec) == ("empty" in spec):
            problems.append(Message("{where} needs exactly one of equals, empty", where=where))
            continue
        if "empty" in spec:
            if spec["empty"] is not True:
                problems.append(
                    Message(
                        "{where}.empty must be true (leave it out to keep every row)", where=where
                    )
                )
                continue
            skips.append(Skip(column, empty=True))
            continue
        equals = spec["equals"]
        equals = [equals] if isinstance(equals, str) else equals
        if (
            not isinstance(equals, list)
            or not equals
            or not all(isinstance(item, str) and item.strip() for item in equals)
        ):
            problems.append(
                Message(
                    '{where}.equals must be a non-empty text or list of texts, e.g. ["duplicate"] '
                    "(for an empty cell, use empty = true)",
                    where=where,
                )
            )
            continue
        skips.append(Skip(column, equals=tuple(dict.fromkeys(item.strip() for item in equals))))
    return tuple(skips)


def _geometry(value: object, problems: list[str]) -> dict[str, object]:
    words = Message('lat = "…" with lon = "…", wkt = "…", points = { column = "…" } or area = "…"')
    if not isinstance(value, dict):
        problems.append(Message("[geometry] is missing: give {ways}", ways=words))
        return {}
    unknown = [key for key in value if key not in (*GEOMETRY_KEYS, *TRACK_KEYS, "time_zone")]
    if unknown:
        problems.append(
            Message("geometry.{key} is not a geometry key ({ways})", key=unknown[0], ways=words)
        )
        return {}
    if not _track_keys(value, problems):
        return {}
    kinds = {"lat" if key == "lon" else key for key in value if key not in TRACK_KEYS}
    if len(kinds) != 1 or ("lat" in value) != ("lon" in value):
        problems.append(Message("[geometry] needs exactly one of: {ways}", ways=words))
        return {}
    for key in ("lat", "lon", "wkt", "area"):
        if key in value and not (isinstance(value[key], str) and value[key]):
            problems.append(Message("geometry.{key} must be non-empty text", key=key))
            return {}
    points = value.get("points")
    if points is not None:
        if not isinstance(points, dict) or not isinstance(points.get("column"), str):
            problems.append(
                Message('geometry.points must be { column = "…", order = "lat,lon", … }')
            )
            return {}
        if any(key not in POINTS_KEYS for key in points):
            problems.append(Message("geometry.points keys are {keys}", keys=", ".join(POINTS_KEYS)))
            return {}
        if points.get("order", "lat,lon") not in ("lat,lon", "lon,lat"):
            problems.append(Message('geometry.points.order is "lat,lon" or "lon,lat"'))
            return {}
        separator = points.get("separator", ";")
        if not isinstance(separator, str) or not separator:
            problems.append(Message('geometry.points.separator must be non-empty text, e.g. ";"'))
            return {}
        if points.get("shape", "points") not in ("points", "line", "polygon"):
            problems.append(Message('geometry.points.shape is "points", "line" or "polygon"'))
            return {}
    return dict(value)


def _track_keys(value: dict, problems: list[str]) -> bool:
    """Whether the keys that make one event of many rows (TRACK_KEYS) are usable; each
    problem said."""
    before = len(problems)
    if "time_zone" in value:
        problems.append(
            Message(
                "geometry.time_zone is not a key: the zone of times written without one is "
                '[source] timezone = "UTC" (or "+09:00", "Asia/Taipei"), for the track\'s times as '
                "for dates"
            )
        )
    for key in TRACK_KEYS:
        if key in value and not (isinstance(value[key], str) and value[key].strip()):
            problems.append(Message("geometry.{key} must be non-empty text", key=key))
    if len(problems) > before:
        return False
    if "group" not in value:
        for key in ("time", "split_gap"):
            if key in value:
                problems.append(
                    Message(
                        'geometry.{key} orders the positions of a group: give group = "…" too',
                        key=key,
                    )
                )
    elif "area" in value:
        problems.append(
            Message(
                "geometry.group gathers rows' positions into a track: each row needs its own "
                "position (lat and lon, points or wkt), not a named area"
            )
        )
    if "split_gap" in value and "time" not in value and "group" in value:
        problems.append(
            Message('geometry.split_gap needs time = "…": the column of each row\'s time')
        )
    if "split_gap" in value and gap_seconds(value["split_gap"]) is None:
        problems.append(
            Message(
                'geometry.split_gap: {value} is not a duration (a number and s, min, h or d: "6h", '
                '"90min")',
                value=json.dumps(value["split_gap"], ensure_ascii=False),
            )
        )
    return len(problems) == before


def mapping_problems(mapping: Mapping, columns: list[str], area_ids: set[str]) -> list[str]:
    """What stops a mapping from reading a file with these columns: each column it names that
    the file lacks (with the file's columns), a named area that is not in the data, and track
    keys that cannot work (a split_gap that is no duration)."""
    problems = []
    # A mapping made in the import step (not read from TOML) has its track keys checked here.
    _track_keys(mapping.geometry, problems)
    have = set(columns)
    for column, where in mapping.columns():
        if column not in have:
            seen = ", ".join(columns[:20]) or Message("none")
            problems.append(
                Message(
                    '{where} names the column "{column}", which the file does not have '
                    "(its columns: {seen})",
                    where=where,
                    column=column,
                    seen=seen,
                )
            )
    for area in (mapping.geometry.get("area"), _fixed(mapping, "area")):
        if isinstance(area, str) and area not in area_ids:
            problems.append(Message('"{area}" is not a named area in the data', area=area))
    return problems


def _unknown_cells(mapping: Mapping, table: Table) -> dict[int, list[tuple[str, str]]]:
    """Row number -> [(field, why)] for the cells the mapping reads whose value is unknown."""
    if not table.unknown:
        return {}
    reads: dict[str, list[str]] = {}
    for column, where in mapping.columns():
        # "fields.end" -> "end", "geometry.lat" -> "lat"; a skip condition ("skip[2]") whose
        # cell is unknown cannot say whether the row is one to leave out: reported as "skip".
        # A count keeps its part's name, as the event format's problems say it.
        name = where.split(".", 1)[1] if "." in where else where.split("[", 1)[0]
        if where.startswith("counts."):
            name = where
        reads.setdefault(column, []).append(name)
    found: dict[int, list[tuple[str, str]]] = {}
    for (number, column), why in table.unknown.items():
        for name in reads.get(column, ()):
            found.setdefault(number, []).append((name, why))
    return found


def _fixed(mapping: Mapping, name: str) -> object:
    rule = mapping.fields.get(name)
    return rule.value if rule is not None and rule.value is not None else None


def rows_left_out(table: Table, mapping: Mapping) -> LeftOut:
    """The rows of `table` that the mapping's `skip` conditions leave out, and why (each row
    counted under the first condition it meets). A condition whose cell has no known value
    (a formula whose result was not saved) decides nothing: the row is read, and reported
    for that cell."""
    if not mapping.skip:
        return LeftOut()
    counts = dict.fromkeys((reason for skip in mapping.skip for reason in skip.reasons()), 0)
    rows = set()
    for number, row in table.rows:
        for skip in mapping.skip:
            if (number, skip.column) in table.unknown:
                continue
            reason = skip.reason(row)
            if reason is not None:
                counts[reason] = counts.get(reason, 0) + 1
                rows.add(number)
                break
    return LeftOut(frozenset(rows), tuple((why, n) for why, n in counts.items() if n))


def import_table(
    table: Table,
    mapping: Mapping,
    label: str,
    areas: gpd.GeoDataFrame,
    taken_ids: dict[str, str] | None = None,
    left_out: LeftOut | None = None,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The valid events of a table read through a mapping, and every problem.

    Problems name `label` and the row (spreadsheet row numbers; feature numbers for KML and
    the like). Rows the mapping's `skip` conditions leave out are neither events nor problems:
    `rows_left_out` counts them for the summary, and its answer may be given as `left_out`
    so it is not worked out twice. Raises MappingError, and only that, when the mapping cannot
    read the table at all (a column it names is missing, an area it names does not exist).
    `taken_ids` maps ids already in use to the file using them.
    """
    area_ids = set(areas["id"]) if len(areas) else set()
    if not table.columns and table.problems:
        return events_frame([]), list(table.problems)  # the file itself could not be read
    missing = mapping_problems(mapping, table.columns, area_ids)
    if missing:
        raise MappingError(missing)
    reader = _RowReader(
        mapping,
        areas,
        table.decimal_comma,
        _slug(mapping.source.get("title", "")),
        _unknown_cells(mapping, table),
    )

    def parse(numbered_row):
        number, row = numbered_row
        feature, found = reader.feature(number, row)
        event, warnings = parse_event(feature, area_ids)
        return event, [*found, *warnings]

    left = (left_out if left_out is not None else rows_left_out(table, mapping)).rows
    kept = [(number, row) for number, row in table.rows if number not in left]
    taken = [{"id": event_id, "file": file} for event_id, file in (taken_ids or {}).items()]
    problems = list(table.problems)
    if "group" in mapping.geometry:  # many rows make one event: layers.read.groups
        rows = import_groups(kept, reader, table.noun, label, area_ids, taken, problems)
        return events_frame(rows), problems
    rows = collect_features(
        kept,
        label,
        parse,
        taken,
        problems,
        noun=table.noun,
        numbers=[number for number, _ in kept],
    )
    return events_frame(rows), problems


@dataclass
class _RowReader:
    """Turns one source row into an event feature as the mapping says (one method a field)."""

    mapping: Mapping
    areas: gpd.GeoDataFrame
    decimal_comma: bool
    id_prefix: str
    # Row number -> [(field, why)] for each cell the mapping reads whose value is unknown.
    unknown: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    # The zone of the source's local times ([source] timezone), or None when it says none.
    zone: dt.tzinfo | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        text = self.mapping.source.get("timezone")
        if text:
            try:
                self.zone = source_zone(text)
            except ValueError:
                self.zone = None  # parse_mapping refuses it; a mapping built in code may not

    def offset_at(self, local: dt.datetime) -> str | None:
        """The offset ("+08:00", "Z") the source's time zone ([source] timezone) had at a
        local date and time written without one; None when the mapping names no zone.
        ZoneError when the clocks changed at that time (it was skipped, or came twice)."""
        return None if self.zone is None else offset_in(self.zone, local)

    def feature(self, number: int, row: dict[str, str]) -> tuple[dict, list[tuple[str, str]]]:
        """One row as a GeoJSON Feature in the event format, with (field, message) warnings
        that do not keep it out (a part of a source_url cell that is not a link); FeatureErrors
        for every field the mapping cannot read. A row that needs a cell whose value the file
        does not hold (a formula whose result was not saved) is left out for that alone."""
        if number in self.unknown:
            raise FeatureErrors([FeatureError(name, why) for name, why in self.unknown[number]])
        errors: list[FeatureError] = []
        warnings: list[tuple[str, str]] = []
        properties: dict[str, object] = {}
        rules = self.mapping.fields

        def attempt(name, read, *args):
            try:
                value = read(*args)
            except FeatureError as error:
                errors.append(error)
                return
            if value not in (None, "", []):
                properties[name] = value

        for name in ("title", "summary", "kind", "area"):
            if name in rules:
                attempt(name, self._text, name, rules[name], number, row)
        precision = None
        if "precision" in rules:
            try:
                precision = self._precision(rules["precision"], number, row)
            except FeatureError as error:
                errors.append(error)
        try:
            properties.update(self._dates(number, row, precision, warnings))
        except FeatureErrors as failed:
            errors += failed.errors
        for name in LIST_FIELDS:
            if name in rules:
                attempt(name, self._list, name, rules[name], number, row)
        try:
            sides = self._sides(number, row, properties.get("nations") or [], warnings)
        except FeatureErrors as failed:
            errors += failed.errors
        else:
            if sides is not None:
                properties["sides"] = sides
        if "location_precision_km" in rules:
            rule = rules["location_precision_km"]
            attempt("location_precision_km", self._number, rule, number, row)
        counts = self._counts(number, row, warnings)
        if counts:
            properties["counts"] = counts
        properties["id"] = self._id(number, row, errors)
        properties["sources"] = self._sources(number, row, warnings)
        geometry = None
        try:
            geometry = self._geometry(row, properties)
        except FeatureError as error:
            errors.append(error)
        if errors:
            raise FeatureErrors(errors)
        return {"type": "Feature", "properties": properties, "geometry": geometry}, warnings

    # --- one field each ---------------------------------------------------------------------
    def _raw(self, rule: Rule, number: int, row: dict[str, str]) -> str:
        if rule.value is not None:
            return str(rule.value)
        if rule.column is not None:
            return row.get(rule.column, "").strip()
        return _PLACEHOLDER.sub(
            lambda match: str(number) if match.group(1) == "row" else row.get(match.group(1), ""),
            rule.template or "",
        ).strip()

    def _translated(self, rule: Rule, text: str) -> str:
        return rule.values.get(text, text) if rule.values else text

    def _text(self, name: str, rule: Rule, number: int, row: dict[str, str]) -> str:
        text = self._translated(rule, self._raw(rule, number, row))
        if name == "kind" and text and text not in KINDS:
            raise FeatureError(
                "kind",
                Message(
                    '{value} is not one of {kinds}; map it with values = {{ "…" = "exercise" }}',
                    value=show_value(text),
                    kinds=", ".join(KINDS),
                ),
            )
        return text

    def _list(self, name: str, rule: Rule, number: int, row: dict[str, str]) -> list[str]:
        text = self._raw(rule, number, row)
        parts = re.split(rule.split, text) if rule.split else [text]
        items: list[str] = []
        unknown: dict[str, tuple[str, ...]] = {}  # a part to what it maps to, then its codes
        for part in (part.strip() for part in parts):
            if not part:
                continue
            mapped = rule.values.get(part, part) if rule.values else part
            if mapped == "":
                continue
            if name in NATION_FIELDS:
                found = nation_matches(mapped)
                if len(found) != 1:
                    unknown[part] = (mapped, *found)
                    continue
                mapped = found[0]
            if mapped not in items:
                items.append(mapped)
        if unknown:
            raise FeatureError(name, unknown_nations_message(unknown))
        return items

    def _sides(
        self, number: int, row: dict[str, str], nations: list[str], warnings: list
    ) -> list[list[str]] | None:
        """The row's `sides` from side_a and side_b (each read as nations are): the sides that
        name a nation, in that order; None when neither is mapped or both cells are empty.
        FeatureErrors for a value that is not a nation (the row is left out, as for nations).
        A nation of a side that is not among the row's nations, or on both sides, is a warning
        naming the field, and gives [] (sides not known): the event still loads, its nations
        counted neither together nor against each other (layers.read.load.event_sides)."""
        rules = self.mapping.fields
        sides: list[tuple[str, list[str]]] = []
        errors: list[FeatureError] = []
        for name in SIDE_FIELDS:
            if name in rules:
                try:
                    side = self._list(name, rules[name], number, row)
                except FeatureError as error:
                    errors.append(error)
                    continue
                if side:
                    sides.append((name, side))
        if errors:
            raise FeatureErrors(errors)
        if not sides:
            return None
        ignored = Message(
            "the sides are ignored: its nations count neither together nor against each other"
        )
        for name, side in sides:
            outside = [code for code in side if code not in nations]
            if outside:
                warnings.append(
                    (
                        name,
                        Message(
                            "{codes} not among the row's nations ({nations}): map nations to "
                            'include both sides, e.g. {{ template = "{{Actor1}};{{Actor2}}", '
                            'split = ";" }}; {ignored}',
                            codes=", ".join(outside),
                            nations=", ".join(nations) or Message("none"),
                            ignored=ignored,
                        ),
                    )
                )
                return []
        if len(sides) == 2:
            both = [code for code in sides[0][1] if code in sides[1][1]]
            if both:
                warnings.append(
                    (
                        "side_b",
                        Message(
                            "{codes} on both sides (side_a and side_b); {ignored}",
                            codes=", ".join(both),
                            ignored=ignored,
                        ),
                    )
                )
                return []
        return [side for _, side in sides]

    def _precision(self, rule: Rule, number: int, row: dict[str, str]) -> str | None:
        text = self._translated(rule, self._raw(rule, number, row)).lower()
        if not text:
            return None
        if text not in PRECISIONS:
            raise FeatureError(
                "precision",
                Message(
                    "{value} is not day, month or year; map it with values", value=show_value(text)
                ),
            )
        return text

    def _dates(
        self, number: int, row: dict[str, str], precision: str | None, warnings: list
    ) -> dict[str, str]:
        """The row's start and end as the event format writes them. A start cell holding a
        range ("06/19/2019 - 06/25/2019") gives both, unless end is mapped to a column of its
        own (end mapped to the start's own column reads the same cell: a range there gives
        both, a date gives the same date to both). FeatureErrors for every date that cannot
        be read."""
        rules = self.mapping.fields
        start_rule, end_rule = rules.get("start"), rules.get("end")
        same_cell = (
            start_rule is not None
            and end_rule is not None
            and end_rule.column is not None
            and end_rule.column == start_rule.column
        )
        ranges = start_rule is not None and (end_rule is None or same_cell)
        found: dict[str, str] = {}
        errors: list[FeatureError] = []
        start_failed = False
        if start_rule is not None:
            try:
                value = self._date("start", start_rule, number, row, precision, warnings, ranges)
            except FeatureError as error:
                errors.append(error)
                start_failed = True
            else:
                if isinstance(value, tuple):
                    found["start"], found["end"] = value
                elif value:
                    found["start"] = value
        # A range already gave the end; a start that failed on the same cell is said once.
        if end_rule is not None and "end" not in found and not (same_cell and start_failed):
            try:
                value = self._date("end", end_rule, number, row, precision, warnings)
            except FeatureError as error:
                errors.append(error)
            else:
                if value:
                    found["end"] = value
        if errors:
            raise FeatureErrors(errors)
        return found

    def _date(
        self,
        name: str,
        rule: Rule,
        number: int,
        row: dict[str, str],
        precision: str | None,
        warnings: list,
        ranges: bool = False,
    ) -> str | tuple[str, str]:
        """An ISO 8601 date at the precision the value has, or a date and time with its offset:
        what the matching form's directives hold (a form without a day gives a month, never
        the 1st). ISO 8601 text needs no form. Every form (and the ISO reading) is tried: two
        that read the value as different dates are a problem naming both, never a silent
        first match. With `ranges`, a cell holding two dates joined by a range separator gives
        (start, end) (range_readings). A time with no zone keeps only its date, with a
        warning, unless the mapping's [source] timezone says the zone."""
        text = self._translated(rule, self._raw(rule, number, row))
        if not text:
            return ""
        forms = rule.forms()
        for form in forms:
            problem = form_problem(form)
            if problem:
                raise FeatureError(
                    name,
                    Message(
                        "the form {form} {problem}",
                        form=json.dumps(form, ensure_ascii=False),
                        problem=problem,
                    ),
                )
        try:
            readings = date_readings(text, forms, self.zone)
        except ZoneError as error:
            raise FeatureError(
                name, Message("{value} {reason}", value=show_value(text), reason=reason(error))
            ) from None
        if len(readings) > 1:
            said = chained(
                N_("{first} and as {rest}"),
                [
                    Message("{date} with {form}", date=reading.text, form=_form_name(reading.form))
                    for reading in readings[:3]
                ],
            )
            raise FeatureError(
                name,
                Message(
                    "{value} reads as {readings}: the forms disagree; keep only the form this "
                    "list writes",
                    value=show_value(text),
                    readings=said,
                ),
            )
        if readings:
            return self._kept_date(name, text, readings[0], precision, warnings)
        pairs = range_readings(text, forms, self.zone)
        if ranges and len(pairs) == 1:
            first, last = pairs[0]
            return (
                self._kept_date("start", text, first, precision, warnings),
                self._kept_date("end", text, last, precision, warnings),
            )
        if len(pairs) > 1:
            said = chained(
                N_("{first}, or {rest}"),
                [
                    Message("{first} to {last}", first=first.text, last=last.text)
                    for first, last in pairs[:3]
                ],
            )
            raise FeatureError(
                name,
                Message(
                    "{value} reads as a range in more than one way: {ranges}",
                    value=show_value(text),
                    ranges=said,
                ),
            )
        if _ISO_DATE.match(text) and not _date_exists(text):
            raise FeatureError(
                name,
                Message(
                    "{value} is not a date (use {forms})",
                    value=show_value(text),
                    forms=Message(DATE_FORMS),
                ),
            )
        moment = _ISO_DATE_TIME.match(text)
        if moment and not _date_exists(moment.group(1)):
            raise FeatureError(
                name,
                Message(
                    "{value} is not a date: {day} does not exist",
                    value=show_value(text),
                    day=moment.group(1),
                ),
            )
        written = either(list(forms)) if forms else "YYYY-MM-DD"
        if pairs:
            raise FeatureError(
                name,
                Message(
                    "{value} is not a date in the form {forms}; it reads as a range ({first} to "
                    "{last}), but end has its own column: leave end out, or map it to this column",
                    value=show_value(text),
                    forms=written,
                    first=pairs[0][0].text,
                    last=pairs[0][1].text,
                ),
            )
        if forms and all("%Y" in form for form in forms) and not re.search(r"[0-9]{4}", text):
            raise FeatureError(
                name,
                Message(
                    "{value} is not a date in the form {forms}; no year is written in it (a year "
                    "is never guessed)",
                    value=show_value(text),
                    forms=written,
                ),
            )
        raise FeatureError(
            name,
            Message(
                "{value} is not a date in the form {forms}", value=show_value(text), forms=written
            ),
        )

    @staticmethod
    def _kept_date(
        name: str, text: str, reading: Reading, precision: str | None, warnings: list
    ) -> str:
        """A reading at the row's precision (the `precision` field cuts it to a day, month or
        year), with a warning when a time with no zone was dropped."""
        iso = reading.text
        if reading.dropped_time:
            warnings.append(
                (
                    name,
                    Message(
                        "{value} has a time but no time zone (no Z or offset): only its date "
                        "{date} is kept; say the list's zone in the mapping ([source] timezone "
                        '= "+08:00" or "Asia/Taipei") to keep the time',
                        value=show_value(text),
                        date=iso,
                    ),
                )
            )
        if precision == "day":
            iso = iso[:10]
        elif precision == "month":
            iso = iso[:7]
        elif precision == "year":
            iso = iso[:4]
        return iso

    def _number(self, rule: Rule, number: int, row: dict[str, str]) -> float | None:
        """A distance in km: the cell (or value), translated by `values`, read as a number in
        the rule's `unit` (UNITS; default km) and converted. In a file that writes decimal
        commas, "1.000,5" is 1000.5."""
        unit = rule.unit or "km"
        if isinstance(rule.value, (int, float)) and not isinstance(rule.value, bool):
            return _in_km(float(rule.value), unit)
        written = self._raw(rule, number, row)
        text = self._translated(rule, written).strip()
        if not text:
            return None
        shown = show_value(written)
        if text != written:
            shown = Message(
                "{value} (given by values as {given})", value=shown, given=show_value(text)
            )
        # Decimal commas are the file's way of writing; the mapping's own `value` and
        # `values` are TOML and use points ("0.500" nm is half a mile in any file).
        if self.decimal_comma and text == written and rule.value is None:
            if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?", text):
                text = text.replace(".", "")
            text = text.replace(",", ".")
        if not _DISTANCE.fullmatch(text):
            raise FeatureError(
                "location_precision_km",
                Message("{value} is not a distance in {unit}", value=shown, unit=unit),
            )
        value = float(text)
        if not math.isfinite(value):
            raise FeatureError(
                "location_precision_km", Message("{value} is not a distance", value=shown)
            )
        return _in_km(value, unit)

    def _counts(self, number: int, row: dict[str, str], warnings: list) -> dict[str, int]:
        """The row's counts, by name. An empty cell (or one `values` maps to "") gives no
        count, never 0; a cell that is not a whole number is a warning naming the count
        ("counts.aircraft"), and the row loads without that count: a wrong count is never
        shown, and the rest of the row can be."""
        counts: dict[str, int] = {}
        for name, rule in self.mapping.counts.items():
            if isinstance(rule.value, (int, float)) and not isinstance(rule.value, bool):
                counts[name] = int(rule.value)
                continue
            written = self._raw(rule, number, row)
            text = self._translated(rule, written).strip()
            if not text:
                continue
            # The list's way of writing numbers applies to its cells, not to the mapping's
            # own `value` and `values` (TOML: "1.5" there is one and a half anywhere).
            comma = self.decimal_comma and text == written and rule.value is None
            try:
                counts[name] = whole_number(text, comma)
            except ValueError as error:
                shown = show_value(written)
                if text != written.strip():
                    shown = Message(
                        "{value}, given by values as {given},", value=shown, given=show_value(text)
                    )
                warnings.append(
                    (
                        f"counts.{name}",
                        Message("{value} {reason}; ignored", value=shown, reason=reason(error)),
                    )
                )
        return counts

    def _id(self, number: int, row: dict[str, str], errors: list) -> str:
        rule = self.mapping.fields.get("id")
        if rule is None:
            cells = json.dumps(sorted(row.items()), ensure_ascii=False)
            digest = hashlib.sha256(cells.encode()).hexdigest()[:10]
            return f"{(self.id_prefix or 'row')[:100].rstrip('-._')}-{digest}"
        text = self._translated(rule, self._raw(rule, number, row))
        slug = _slug(text)
        if not slug:
            errors.append(
                FeatureError("id", Message("{value} gives no usable id", value=show_value(text)))
            )
        return slug

    def _sources(self, number: int, row: dict[str, str], warnings: list) -> list[dict]:
        """The list as the source; a row's own `source_title` replaces the list's title,
        publisher and date, and each http(s) address of a row's `source_url` cell (several
        are split, `split_urls`) gives one source with that title. A part of the cell that is
        not an http(s) address is named in a warning; the addresses beside it are kept."""
        source = {
            key: self.mapping.source[key]
            for key in ("title", "url", "publisher", "published")
            if key in self.mapping.source
        }
        rules = self.mapping.fields
        if "source_title" in rules:
            title = self._translated(
                rules["source_title"], self._raw(rules["source_title"], number, row)
            )
            if title:
                source = {"title": title}
        if not source.get("title"):
            return []
        if "source_url" not in rules:
            return [source]
        cell = self._translated(rules["source_url"], self._raw(rules["source_url"], number, row))
        parts = split_urls(cell)
        urls = [part for part in parts if is_web_url(part)]
        # Words between addresses are named together ("see also"), as the cell writes them.
        others = [
            " ".join(run)
            for link, run in itertools.groupby(parts, key=is_web_url)
            if not link
            for run in [list(run)]
        ]
        if others:
            listed = ", ".join(show_value(part, 60) for part in others)
            if len(urls) == 1:
                kept = Message("1 link kept")
            elif urls:
                kept = Message("{count} links kept", count=format(len(urls), ","))
            else:
                kept = Message("the source kept, without a link")
            warnings.append(
                (
                    "source_url",
                    Message(
                        "{values}: not an http(s) address, so not a link ({kept})",
                        values=listed,
                        kept=kept,
                    ),
                )
            )
        if not urls:
            return [source]
        return [{**source, "url": url} for url in urls]

    def _geometry(self, row: dict[str, str], properties: dict) -> dict:
        geometry = self.mapping.geometry
        if "lat" in geometry:
            lat = self._coordinate(row.get(str(geometry["lat"]), ""), LATITUDE, "lat")
            lon = self._coordinate(row.get(str(geometry["lon"]), ""), LONGITUDE, "lon")
            return {"type": "Point", "coordinates": [lon, lat]}
        if "wkt" in geometry:
            text = row.get(str(geometry["wkt"]), "")
            if not text.strip():
                raise FeatureError("geometry", Message("no geometry given"))
            try:
                shape = shapely.from_wkt(text)
            except Exception:
                raise FeatureError(
                    "geometry", Message("{value} is not WKT", value=show_value(text))
                ) from None
            if shape is None or shape.is_empty:
                raise FeatureError("geometry", Message("no geometry given"))
            # A track's times, when the file gives them (GPX, KML gx:Track, togeojson's
            # GeoJSON): checked with the event (layers.read.tracks).
            times = row.get(TRACK_TIMES_COLUMN, "")
            if times.strip() and shape.geom_type in ("LineString", "MultiLineString"):
                try:
                    properties[TRACK_TIMES_COLUMN] = written_times(times)
                except TimeError:
                    properties[TRACK_TIMES_COLUMN] = times
            return json.loads(shapely.to_geojson(shapely.force_2d(shape)))
        if "points" in geometry:
            return self._points(row, geometry["points"])
        return self._area_geometry(str(geometry["area"]), properties)

    def _coordinate(self, text: str, axis: str, field_name: str) -> float:
        try:
            return parse_coordinate(text, axis, self.decimal_comma)
        except CoordinateError as error:
            raise FeatureError(field_name, reason(error)) from None

    def _points(self, row: dict[str, str], spec: dict) -> dict:
        text = row.get(str(spec["column"]), "")
        separator = str(spec.get("separator", ";"))
        lat_first = spec.get("order", "lat,lon") == "lat,lon"
        positions = []
        for number, pair in enumerate((p for p in text.split(separator) if p.strip()), start=1):
            parts = [part for part in re.split(r"[,\s/]+", pair.strip()) if part]
            if len(parts) != 2:
                raise FeatureError(
                    "geometry",
                    Message(
                        "point {number} {value} is not two numbers",
                        number=str(number),
                        value=show_value(pair.strip()),
                    ),
                )
            lat_text, lon_text = parts if lat_first else parts[::-1]
            positions.append(
                [
                    self._coordinate(lon_text, LONGITUDE, "geometry"),
                    self._coordinate(lat_text, LATITUDE, "geometry"),
                ]
            )
        if not positions:
            raise FeatureError("geometry", Message("no points given"))
        shape = spec.get("shape", "points")
        if shape == "polygon":
            # The mapping declares the points a polygon's corners: the ring closes on the first.
            if positions[0] != positions[-1]:
                positions.append(positions[0])
            return {"type": "Polygon", "coordinates": [positions]}
        if shape == "line":
            return {"type": "LineString", "coordinates": positions}
        if len(positions) == 1:
            return {"type": "Point", "coordinates": positions[0]}
        return {"type": "MultiPoint", "coordinates": positions}

    def _area_geometry(self, area_id: str, properties: dict) -> dict:
        """The named area stands for a position the source does not give: a point inside it,
        with a location precision that covers the whole area (km, geodesic on WGS84)."""
        match = self.areas[self.areas["id"] == area_id]
        shape = match.geometry.iloc[0]
        point = shape.representative_point()
        vertices = shapely.get_coordinates(shape)
        count = len(vertices)
        _, _, metres = _GEOD.inv(
            np.full(count, point.x), np.full(count, point.y), vertices[:, 0], vertices[:, 1]
        )
        radius_km = math.ceil(float(np.max(metres)) / 1000) if len(vertices) else 0
        properties["area"] = properties.get("area") or area_id
        given = properties.get("location_precision_km")
        properties["location_precision_km"] = max(float(given or 0), float(radius_km))
        return {"type": "Point", "coordinates": [round(point.x, 4), round(point.y, 4)]}


def _form_name(form: str) -> str:
    return form if form == ISO_FORM else json.dumps(form, ensure_ascii=False)


def _in_km(value: float, unit: str) -> float:
    """A distance in `unit` (a key of UNITS) in km, to the millimetre."""
    return round(value * UNITS[unit] / 1000, 6)


# A source_url cell's separators: spaces and line breaks, "|", and ";" where an http(s)
# address follows (a ";" inside an address, as in ";jsessionid=", stays).
# Between addresses: spaces and line breaks, "|", and a ";" or "," (or their full-width and
# Chinese forms "；", "，", "、") where an address follows; an address may hold ";" and ",".
_URL_SEPARATORS = re.compile(r"\s*[|｜]\s*|\s*[;,；，、]+\s*(?=https?://)|\s+", re.IGNORECASE)
_URL_TRAILING = ";,；，、"


def split_urls(text: str) -> list[str]:
    """The parts of a cell that holds one or several addresses: split at spaces, line
    breaks, "|", and at ";" or "," (and "；", "，", "、") where the next part starts with
    http:// or https://; such a mark that ends a part is a separator too, never part of an
    address. Empty parts are dropped; the parts are not checked."""
    parts = (part.strip().rstrip(_URL_TRAILING).strip() for part in _URL_SEPARATORS.split(text))
    return [part for part in parts if part]


def _slug(text: str) -> str:
    """An id from any text: lowercase ASCII letters, digits, '-', '_', '.'; at most 128."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^a-z0-9._-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    return text[:128].rstrip("-._")


def mapping_toml(mapping: Mapping) -> str:
    """The mapping as TOML text that `parse_mapping` reads back to the same Mapping."""
    lines = ["[source]"]
    lines += [f"{key} = {_toml_value(value)}" for key, value in mapping.source.items()]
    lines += ["", "[fields]"]
    for name in FIELDS:
        rule = mapping.fields.get(name)
        if rule is None:
            continue
        parts = []
        for key in RULE_KEYS:
            value = getattr(rule, key)
            if value is None or value == {}:
                continue
            parts.append(f"{key} = {_toml_value(value)}")
        lines.append(f"{name} = {{ {', '.join(parts)} }}")
    if mapping.counts:
        lines += ["", "[counts]"]
        for name, rule in mapping.counts.items():
            parts = [
                f"{key} = {_toml_value(getattr(rule, key))}"
                for key in COUNT_KEYS
                if getattr(rule, key) is not None and getattr(rule, key) != {}
            ]
            lines.append(f"{name} = {{ {', '.join(parts)} }}")
    lines += ["", "[geometry]"]
    for key, value in mapping.geometry.items():
        lines.append(f"{key} = {_toml_value(value)}")
    for skip in mapping.skip:
        lines += ["", "[[skip]]", f"column = {_toml_value(skip.column)}"]
        if skip.empty:
            lines.append("empty = true")
        else:
            lines.append(f"equals = [{', '.join(_toml_value(item) for item in skip.equals)}]")
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, tuple):
        return f"[{', '.join(_toml_value(item) for item in value)}]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    # JSON string escapes are TOML basic-string escapes.
    return json.dumps(str(value), ensure_ascii=False)
