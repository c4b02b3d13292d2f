"""An analyst's own file, read through the same validator as geodata/.

A GeoJSON FeatureCollection in the event format, or a CSV with one event per row (see
docs/upload-csv.md). Nothing here writes anywhere: the events live in the analyst's session.
Limits keep one file from swamping the page: size, number of events, vertices.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

import geopandas as gpd
import shapely

from layers.read.load import (
    collect_features,
    events_frame,
    parse_event,
    read_features,
)
from layers.read.schema import FeatureError, Problem

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_EVENTS = 20_000
MAX_FEATURE_VERTICES = 20_000
MAX_UPLOAD_VERTICES = 1_000_000
UPLOAD_PREFIX = "upload: "
CSV_REQUIRED = ("id", "title", "kind", "start", "nations", "lat", "lon")
CSV_OPTIONAL = (
    "end",
    "summary",
    "forces",
    "organisations",
    "area",
    "location_precision_km",
    "source_title",
    "source_publisher",
    "source_published",
    "source_url",
)
CSV_LIST_SEPARATOR = ";"


@dataclass
class Upload:
    """The valid events of one uploaded file, and every problem with it."""

    name: str
    events: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)


def read_upload(name: str, raw: bytes, taken_ids: dict[str, str], area_ids: set[str]) -> Upload:
    """Validate an uploaded file; `taken_ids` maps ids already in use to the file using them."""
    label = UPLOAD_PREFIX + _safe_name(name)
    if len(raw) > MAX_UPLOAD_BYTES:
        megabytes = len(raw) / 1024 / 1024
        limit = MAX_UPLOAD_BYTES // 1024 // 1024
        return _refused(name, label, f"is {megabytes:.1f} MB; the limit is {limit} MB")
    is_csv = name.lower().endswith(".csv")
    if is_csv:
        features, problems = csv_features(raw, label)
    else:
        features, problems = read_features(raw, label)
    if len(features) > MAX_UPLOAD_EVENTS:
        return _refused(
            name, label, f"has {len(features):,} events; the limit is {MAX_UPLOAD_EVENTS:,}"
        )
    vertices = [0]

    def parse(feature):
        row, warnings = parse_event(feature, area_ids)
        count = shapely.get_num_coordinates(row["geometry"])
        if count > MAX_FEATURE_VERTICES:
            raise FeatureError(
                "geometry", f"has {count:,} vertices; the limit is {MAX_FEATURE_VERTICES:,}"
            )
        vertices[0] += count
        if vertices[0] > MAX_UPLOAD_VERTICES:
            raise FeatureError(
                "geometry",
                f"the file passes {MAX_UPLOAD_VERTICES:,} vertices; the rest is left out",
            )
        return row, warnings

    taken = [{"id": event_id, "file": file} for event_id, file in taken_ids.items()]
    # A CSV's problems name spreadsheet rows: the header is row 1.
    noun, first = ("row", 2) if is_csv else ("feature", 1)
    rows = collect_features(features, label, parse, taken, problems, noun, first)
    return Upload(name, events_frame(rows), problems)


def csv_features(raw: bytes, label: str) -> tuple[list, list[Problem]]:
    """Each CSV row as a GeoJSON Feature for the event validator, or why the file is unusable."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [Problem(label, f"not UTF-8 text (byte {error.start}); save it as UTF-8")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in CSV_REQUIRED if column not in columns]
    if missing:
        return [], [Problem(label, f"missing columns: {', '.join(missing)}", field="header")]
    reader.fieldnames = columns
    features = []
    try:
        for row in reader:
            features.append(
                _row_feature({key: (value or "").strip() for key, value in row.items() if key})
            )
    except csv.Error as error:
        return features, [Problem(label, f"not readable as CSV: {error}")]
    return features, []


def _row_feature(row: dict[str, str]) -> dict:
    properties: dict[str, object] = {
        key: row.get(key) or None
        for key in ("id", "title", "kind", "start", "end", "summary", "area")
    }
    for key in ("nations", "forces", "organisations"):
        properties[key] = _split(row.get(key, ""))
    precision = row.get("location_precision_km")
    properties["location_precision_km"] = _number(precision) if precision else None
    source = {
        key: row.get(f"source_{key}") or None for key in ("title", "publisher", "published", "url")
    }
    properties["sources"] = [{k: v for k, v in source.items() if v}] if source["title"] else []
    properties = {key: value for key, value in properties.items() if value is not None}
    lon, lat = _number(row.get("lon")), _number(row.get("lat"))
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(CSV_LIST_SEPARATOR) if item.strip()]


def _number(text: str | None):
    """A finite number, or the text itself so the validator names what was written."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    return value if math.isfinite(value) else text


def _safe_name(name: str) -> str:
    """A file name fit to appear in messages: one line, no markup, not too long."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in name)
    return cleaned[:80]


def _refused(name: str, label: str, message: str) -> Upload:
    return Upload(name, events_frame([]), [Problem(label, message)])
