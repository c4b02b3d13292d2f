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

import datetime as dt
import hashlib
import itertools
import json
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

from layers.dates import DateError, parse_period
from layers.nations import nation_code
from layers.read.coordinates import LATITUDE, LONGITUDE, CoordinateError, parse_coordinate
from layers.read.encoding import canonical
from layers.read.georows import TRACK_TIMES_COLUMN
from layers.read.groups import import_groups
from layers.read.load import collect_features, events_frame, is_web_url, parse_event
from layers.read.schema import KINDS, FeatureError, FeatureErrors, Problem, plural, show_value
from layers.read.table import Table
from layers.read.tracks import TimeError, gap_seconds, written_times, zone_suffix

# The fields a mapping can fill, in the order a mapping file lists them.
FIELDS = (
    "id",
    "title",
    "kind",
    "start",
    "end",
    "precision",
    "nations",
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
SOURCE_KEYS = ("title", "url", "publisher", "published", "sheet", "encoding")
GEOMETRY_KEYS = ("lat", "lon", "wkt", "points", "area")
# Keys that make one event of many rows (docs/import.md, "Tracks"): `group` names the column
# whose value gathers rows into one event, `time` the column of each row's time (ISO 8601),
# `time_zone` the zone of times written without one ("UTC", "+09:00"), `split_gap` the gap
# after which a group's positions start a new event ("6h").
TRACK_KEYS = ("group", "time", "time_zone", "split_gap")

POINTS_KEYS = ("column", "order", "separator", "shape")
SKIP_KEYS = ("column", "equals", "empty")
PRECISIONS = ("day", "month", "year")
_ISO_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
# An ISO 8601 / RFC 3339 date and time of day, as GIS files (KML TimeStamp, GeoPackage and
# GeoJSON attributes) and spreadsheets write them: "2024-07-19T08:00:00+09:00",
# "2024-07-19T08:00Z", "2024-07-19 08:00", "2024-07-19T08:00:00.123Z". The date is group 1.
_ISO_DATE_TIME = re.compile(
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:([0-5][0-9]|60)([.,][0-9]+)?)?"
    r"(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?$",
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
    time of day is not kept yet.)
    """
    if _ISO_DATE.match(text):
        return text
    moment = _ISO_DATE_TIME.match(text)
    return moment.group(1) if moment else None


class MappingError(ValueError):
    """A mapping that cannot be used; `problems` holds one line per thing wrong with it."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Rule:
    """How one field is filled: from a `column`, a fixed `value` or a `template` of columns.

    `values` translates source values (a value mapped to "" is dropped); `split` is a regular
    expression splitting a cell into a list; `format`, `month_format` and `year_format` are
    strptime forms for day, month and year precision dates; `unit` is the unit of a location
    precision (a key of UNITS; default km). FIELD_KEYS says which field takes which key.
    """

    column: str | None = None
    value: object = None
    template: str | None = None
    format: str | None = None
    month_format: str | None = None
    year_format: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    split: str | None = None
    unit: str | None = None

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
            return [f"{self.column} empty"]
        return [f"{self.column} = {json.dumps(value, ensure_ascii=False)}" for value in self.equals]

    def reason(self, row: dict[str, str]) -> str | None:
        """Why this condition leaves `row` out, or None when it does not."""
        cell = row.get(self.column, "").strip()
        if self.empty:
            return f"{self.column} empty" if not cell else None
        if cell in self.equals:
            return f"{self.column} = {json.dumps(cell, ensure_ascii=False)}"
        return None


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping: `source` (title, url, publisher, published, sheet, encoding), one
    Rule per field, `geometry` ({"lat", "lon"}, {"wkt"}, {"points": {...}} or {"area"}), and
    the `skip` conditions that leave rows out."""

    source: dict[str, str]
    fields: dict[str, Rule]
    geometry: dict[str, object]
    skip: tuple[Skip, ...] = ()

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
        why = ", ".join(f"{count} with {reason}" for reason, count in self.reasons)
        return f"{plural(self.count, noun)} left out by the mapping: {why}"


def parse_mapping(text: str) -> Mapping:
    """A Mapping from TOML text. Raises MappingError listing everything wrong with it: a part,
    field or key it does not know, a key a field does not take (FIELD_KEYS), a value that
    cannot mean anything (an encoding Python does not know, a unit not in UNITS, a regular
    expression that does not compile)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError([f"not valid TOML: {error}"]) from None
    problems: list[str] = []
    for key in document:
        if key not in ("source", "fields", "geometry", "skip"):
            problems.append(
                f"[{key}] is not a part of a mapping (source, fields, geometry, [[skip]])"
            )
    source = _source(document.get("source"), problems)
    spec = document.get("geometry")
    dates_from_times = isinstance(spec, dict) and "time" in spec
    rules = _rules(document.get("fields"), problems, dates_from_times)
    geometry = _geometry(spec, problems)
    skip = _skips(document.get("skip", []), problems)
    if problems:
        raise MappingError(problems)
    return Mapping(source, rules, geometry, skip)


def _source(value: object, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("title"), str):
        problems.append('[source] needs a title = "…": every event cites where it comes from')
        return {}
    source = {}
    for key, item in value.items():
        if key not in SOURCE_KEYS:
            problems.append(f"source.{key} is not a source key ({', '.join(SOURCE_KEYS)})")
        elif not isinstance(item, str):
            problems.append(f"source.{key} must be text")
        elif not item.strip():
            continue
        elif key == "encoding" and canonical(item.strip()) is None:
            problems.append(
                f"source.encoding: {json.dumps(item, ensure_ascii=False)} is not a text "
                'encoding Python knows (e.g. "utf-8", "cp1252", "gbk", "big5", "shift_jis", '
                '"euc-kr", "cp1251")'
            )
        else:
            source[key] = item.strip()
    return source


def _rules(value: object, problems: list[str], dates_from_times: bool = False) -> dict[str, Rule]:
    """The [fields] rules. With `dates_from_times` (geometry.time), an event's dates are its
    first and last times: start and end are not mapped."""
    if not isinstance(value, dict):
        problems.append("[fields] is missing: it says which column fills each field")
        return {}
    rules = {}
    for name, spec in value.items():
        if name not in FIELDS:
            problems.append(f"fields.{name} is not a field ({', '.join(FIELDS)})")
            continue
        rule = _rule(name, spec, problems)
        if rule is not None:
            rules[name] = rule
    for name in REQUIRED_FIELDS:
        if name not in value and not (dates_from_times and name == "start"):
            problems.append(f"fields.{name} is missing: every event needs it")
    if dates_from_times:
        for name in DATE_FIELDS:
            if name in value:
                problems.append(
                    f"fields.{name}: with geometry.time an event's dates are its first and last "
                    f"times; leave {name} out"
                )
    return rules


def _rule(name: str, spec: object, problems: list[str]) -> Rule | None:
    where = f"fields.{name}"
    if not isinstance(spec, dict):
        problems.append(
            f'{where} must be {{ column = "…" }}, {{ value = … }} or {{ template = "…" }}'
        )
        return None
    taken = FIELD_KEYS[name]
    refused = [key for key in spec if key not in taken]
    for key in refused:
        problems.append(f"{where}.{key}: {name} does not take {key} (it takes {', '.join(taken)})")
    if refused:
        return None
    sources = [key for key in ("column", "value", "template") if key in spec]
    if len(sources) != 1:
        problems.append(f"{where} needs exactly one of column, value, template")
        return None
    for key in ("column", "template", "format", "month_format", "year_format", "split", "unit"):
        if key in spec and not (isinstance(spec[key], str) and spec[key]):
            problems.append(f"{where}.{key} must be non-empty text")
            return None
    values = _values(where, name, spec.get("values", {}), spec.get("unit"), problems)
    if values is None:
        return None
    if "split" in spec:
        try:
            re.compile(spec["split"])
        except re.error as error:
            problems.append(f"{where}.split is not a regular expression: {error}")
            return None
    if "unit" in spec and spec["unit"] not in UNITS:
        problems.append(
            f"{where}.unit: {json.dumps(spec['unit'], ensure_ascii=False)} is not a unit "
            f"({', '.join(UNITS)})"
        )
        return None
    if "value" in spec and isinstance(spec["value"], (dict, list, bool, dt.date, dt.time)):
        problems.append(f"{where}.value must be text or a number")
        return None
    if "value" in spec and name == "location_precision_km" and not _is_distance(spec["value"]):
        problems.append(f"{where}.value must be a distance: a number of 0 or more")
        return None
    if "template" in spec and _PLACEHOLDER.sub("", spec["template"]).count("{") + _PLACEHOLDER.sub(
        "", spec["template"]
    ).count("}"):
        problems.append(f"{where}.template has a {{ or }} that does not enclose a column name")
        return None
    return Rule(**{key: spec[key] for key in spec if key != "values"}, values=values)


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
        problems.append(f"{where}.values must be a table of texts, e.g. {example}")
        return None
    texts = {key: item if isinstance(item, str) else repr(item) for key, item in values.items()}
    if numbers:
        for key, item in texts.items():
            if item.strip() and not _is_distance(item):
                problems.append(
                    f"{where}.values: {json.dumps(key, ensure_ascii=False)} = "
                    f"{json.dumps(item, ensure_ascii=False)} is not a distance in "
                    f"{unit if isinstance(unit, str) else 'km'} (a number of 0 or more, or "
                    '"" for none)'
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


def _skips(value: object, problems: list[str]) -> tuple[Skip, ...]:
    """The [[skip]] tables: each a column and exactly one of `equals` (a text or a list of
    texts) or `empty = true`."""
    words = '[[skip]] tables, each column = "…" with equals = ["…", …] or empty = true'
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems.append(f"skip must be {words}")
        return ()
    skips = []
    for number, spec in enumerate(value, start=1):
        where = f"skip[{number}]"
        unknown = [key for key in spec if key not in SKIP_KEYS]
        if unknown:
            problems.append(f"{where}.{unknown[0]} is not a skip key ({', '.join(SKIP_KEYS)})")
            continue
        column = spec.get("column")
        if not isinstance(column, str) or not column.strip():
            problems.append(f'{where} needs column = "…": the column whose cell decides')
            continue
        if ("equals" in spec) == ("empty" in spec):
            problems.append(f"{where} needs exactly one of equals, empty")
            continue
        if "empty" in spec:
            if spec["empty"] is not True:
                problems.append(f"{where}.empty must be true (leave it out to keep every row)")
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
                f'{where}.equals must be a non-empty text or list of texts, e.g. ["duplicate"] '
                "(for an empty cell, use empty = true)"
            )
            continue
        skips.append(Skip(column, equals=tuple(dict.fromkeys(item.strip() for item in equals))))
    return tuple(skips)


def _geometry(value: object, problems: list[str]) -> dict[str, object]:
    words = 'lat = "…" with lon = "…", wkt = "…", points = { column = "…" } or area = "…"'
    if not isinstance(value, dict):
        problems.append(f"[geometry] is missing: give {words}")
        return {}
    unknown = [key for key in value if key not in (*GEOMETRY_KEYS, *TRACK_KEYS)]
    if unknown:
        problems.append(f"geometry.{unknown[0]} is not a geometry key ({words})")
        return {}
    if not _track_keys(value, problems):
        return {}
    kinds = {"lat" if key == "lon" else key for key in value if key not in TRACK_KEYS}
    if len(kinds) != 1 or ("lat" in value) != ("lon" in value):
        problems.append(f"[geometry] needs exactly one of: {words}")
        return {}
    for key in ("lat", "lon", "wkt", "area"):
        if key in value and not (isinstance(value[key], str) and value[key]):
            problems.append(f"geometry.{key} must be non-empty text")
            return {}
    points = value.get("points")
    if points is not None:
        if not isinstance(points, dict) or not isinstance(points.get("column"), str):
            problems.append('geometry.points must be { column = "…", order = "lat,lon", … }')
            return {}
        if any(key not in POINTS_KEYS for key in points):
            problems.append(f"geometry.points keys are {', '.join(POINTS_KEYS)}")
            return {}
        if points.get("order", "lat,lon") not in ("lat,lon", "lon,lat"):
            problems.append('geometry.points.order is "lat,lon" or "lon,lat"')
            return {}
        separator = points.get("separator", ";")
        if not isinstance(separator, str) or not separator:
            problems.append('geometry.points.separator must be non-empty text, e.g. ";"')
            return {}
        if points.get("shape", "points") not in ("points", "line", "polygon"):
            problems.append('geometry.points.shape is "points", "line" or "polygon"')
            return {}
    return dict(value)


def _track_keys(value: dict, problems: list[str]) -> bool:
    """Whether the keys that make one event of many rows (TRACK_KEYS) are usable; each
    problem said."""
    before = len(problems)
    for key in ("group", "time", "time_zone", "split_gap"):
        if key in value and not (isinstance(value[key], str) and value[key].strip()):
            problems.append(f"geometry.{key} must be non-empty text")
    if len(problems) > before:
        return False
    if "group" not in value:
        for key in ("time", "time_zone", "split_gap"):
            if key in value:
                problems.append(
                    f'geometry.{key} orders the positions of a group: give group = "…" too'
                )
    elif "area" in value:
        problems.append(
            "geometry.group gathers rows' positions into a track: each row needs its own "
            "position (lat and lon, points or wkt), not a named area"
        )
    for key in ("time_zone", "split_gap"):
        if key in value and "time" not in value and "group" in value:
            problems.append(f'geometry.{key} needs time = "…": the column of each row\'s time')
    if "time_zone" in value and zone_suffix(value["time_zone"]) is None:
        problems.append(
            f"geometry.time_zone: {json.dumps(value['time_zone'], ensure_ascii=False)} is not "
            'a time zone ("UTC", or an offset such as "+09:00")'
        )
    if "split_gap" in value and gap_seconds(value["split_gap"]) is None:
        problems.append(
            f"geometry.split_gap: {json.dumps(value['split_gap'], ensure_ascii=False)} is not "
            'a duration (a number and s, min, h or d: "6h", "90min")'
        )
    return len(problems) == before


def mapping_problems(mapping: Mapping, columns: list[str], area_ids: set[str]) -> list[str]:
    """What stops a mapping from reading a file with these columns: each column it names that
    the file lacks (with the file's columns), a named area that is not in the data, and track
    keys that cannot work (a time_zone that is no zone, a split_gap that is no duration)."""
    problems = []
    # A mapping made in the import step (not read from TOML) has its track keys checked here.
    _track_keys(mapping.geometry, problems)
    have = set(columns)
    for column, where in mapping.columns():
        if column not in have:
            seen = ", ".join(columns[:20]) or "none"
            problems.append(
                f'{where} names the column "{column}", which the file does not have '
                f"(its columns: {seen})"
            )
    for area in (mapping.geometry.get("area"), _fixed(mapping, "area")):
        if isinstance(area, str) and area not in area_ids:
            problems.append(f'"{area}" is not a named area in the data')
    return problems


def _unknown_cells(mapping: Mapping, table: Table) -> dict[int, list[tuple[str, str]]]:
    """Row number -> [(field, why)] for the cells the mapping reads whose value is unknown."""
    if not table.unknown:
        return {}
    reads: dict[str, list[str]] = {}
    for column, where in mapping.columns():
        # "fields.end" -> "end", "geometry.lat" -> "lat"; a skip condition ("skip[2]") whose
        # cell is unknown cannot say whether the row is one to leave out: reported as "skip".
        name = where.split(".", 1)[1] if "." in where else where.split("[", 1)[0]
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
        for name in DATE_FIELDS:
            if name in rules:
                attempt(name, self._date, name, rules[name], number, row, precision)
        for name in LIST_FIELDS:
            if name in rules:
                attempt(name, self._list, name, rules[name], number, row)
        if "location_precision_km" in rules:
            rule = rules["location_precision_km"]
            attempt("location_precision_km", self._number, rule, number, row)
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
                f"{show_value(text)} is not one of {', '.join(KINDS)}; map it with values = "
                '{ "…" = "exercise" }',
            )
        return text

    def _list(self, name: str, rule: Rule, number: int, row: dict[str, str]) -> list[str]:
        text = self._raw(rule, number, row)
        parts = re.split(rule.split, text) if rule.split else [text]
        items: list[str] = []
        unknown: list[str] = []
        for part in (part.strip() for part in parts):
            if not part:
                continue
            mapped = rule.values.get(part, part) if rule.values else part
            if mapped == "":
                continue
            if name == "nations":
                code = nation_code(mapped)
                if code is None:
                    unknown.append(part)
                    continue
                mapped = code
            if mapped not in items:
                items.append(mapped)
        if unknown:
            listed = ", ".join(show_value(item, 30) for item in unknown)
            raise FeatureError(
                "nations",
                f"{listed}: not a nation this import knows; add it to the mapping's values, "
                'e.g. values = { "中国" = "CHN" } (or "" to leave it out)',
            )
        return items

    def _precision(self, rule: Rule, number: int, row: dict[str, str]) -> str | None:
        text = self._translated(rule, self._raw(rule, number, row)).lower()
        if not text:
            return None
        if text not in PRECISIONS:
            raise FeatureError(
                "precision", f"{show_value(text)} is not day, month or year; map it with values"
            )
        return text

    def _date(self, name, rule: Rule, number: int, row: dict[str, str], precision) -> str:
        """An ISO 8601 date at the precision the value has: what the matching form's
        directives hold (a form without a day gives a month, never the 1st). ISO 8601 text
        needs no form: a date, or a date and time with or without an offset, whose date is
        taken as written."""
        text = self._translated(rule, self._raw(rule, number, row))
        if not text:
            return ""
        iso = None
        forms = [form for form in (rule.format, rule.month_format, rule.year_format) if form]
        for form in forms:
            try:
                day = dt.datetime.strptime(text, form).date()
            except ValueError:
                continue
            iso = day.isoformat()[: _form_width(form)]
            break
        if iso is None:
            iso = written_date(text)
            if iso is not None and iso != text:  # a date-time: its date must exist
                try:
                    parse_period(iso)
                except DateError:
                    raise FeatureError(
                        name, f"{show_value(text)} is not a date: {iso} does not exist"
                    ) from None
        if iso is None:
            written = " or ".join(forms) or "YYYY-MM-DD"
            raise FeatureError(name, f"{show_value(text)} is not a date in the form {written}")
        if precision == "month":
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
            shown += f" (given by values as {show_value(text)})"
        # Decimal commas are the file's way of writing; the mapping's own `value` and
        # `values` are TOML and use points ("0.500" nm is half a mile in any file).
        if self.decimal_comma and text == written and rule.value is None:
            if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?", text):
                text = text.replace(".", "")
            text = text.replace(",", ".")
        if not _DISTANCE.fullmatch(text):
            raise FeatureError("location_precision_km", f"{shown} is not a distance in {unit}")
        value = float(text)
        if not math.isfinite(value):
            raise FeatureError("location_precision_km", f"{shown} is not a distance")
        return _in_km(value, unit)

    def _id(self, number: int, row: dict[str, str], errors: list) -> str:
        rule = self.mapping.fields.get("id")
        if rule is None:
            cells = json.dumps(sorted(row.items()), ensure_ascii=False)
            digest = hashlib.sha256(cells.encode()).hexdigest()[:10]
            return f"{(self.id_prefix or 'row')[:100].rstrip('-._')}-{digest}"
        text = self._translated(rule, self._raw(rule, number, row))
        slug = _slug(text)
        if not slug:
            errors.append(FeatureError("id", f"{show_value(text)} gives no usable id"))
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
            kept = (
                f"{plural(len(urls), 'link')} kept" if urls else "the source kept, without a link"
            )
            warnings.append(
                ("source_url", f"{listed}: not an http(s) address, so not a link ({kept})")
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
                raise FeatureError("geometry", "no geometry given")
            try:
                shape = shapely.from_wkt(text)
            except Exception:
                raise FeatureError("geometry", f"{show_value(text)} is not WKT") from None
            if shape is None or shape.is_empty:
                raise FeatureError("geometry", "no geometry given")
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
            raise FeatureError(field_name, str(error)) from None

    def _points(self, row: dict[str, str], spec: dict) -> dict:
        text = row.get(str(spec["column"]), "")
        separator = str(spec.get("separator", ";"))
        lat_first = spec.get("order", "lat,lon") == "lat,lon"
        positions = []
        for number, pair in enumerate((p for p in text.split(separator) if p.strip()), start=1):
            parts = [part for part in re.split(r"[,\s/]+", pair.strip()) if part]
            if len(parts) != 2:
                raise FeatureError(
                    "geometry", f"point {number} {show_value(pair.strip())} is not two numbers"
                )
            lat_text, lon_text = parts if lat_first else parts[::-1]
            positions.append(
                [
                    self._coordinate(lon_text, LONGITUDE, "geometry"),
                    self._coordinate(lat_text, LATITUDE, "geometry"),
                ]
            )
        if not positions:
            raise FeatureError("geometry", "no points given")
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


def _form_width(form: str) -> int:
    """How much of an ISO date a strptime form can say: 10 (a day), 7 (a month) or 4 (a year),
    from its directives (%d, %j, %U…: a day; %m, %b, %B: a month)."""
    directives = set(re.findall(r"%-?([a-zA-Z])", form))
    if directives & set("djUWuwaAGVc"):
        return 10
    if directives & set("mbBh"):
        return 7
    return 4


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    # JSON string escapes are TOML basic-string escapes.
    return json.dumps(str(value), ensure_ascii=False)
