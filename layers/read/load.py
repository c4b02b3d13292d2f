"""Read a data directory of GeoJSON into validated events and named areas.

`load_geodata(path)` is the door every feature comes through: it never raises for bad data.
Each problem names the file, the feature and the field; a broken file or feature is left out
and everything valid in every file still loads.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape
from shapely.geometry.polygon import orient

from layers.dates import DateError, parse_period
from layers.nations import NATION_NAMES
from layers.read.schema import (
    AREA_COLUMNS,
    AREA_KINDS,
    EVENT_COLUMNS,
    EVENT_GEOMETRY_TYPES,
    ID_PATTERN,
    KINDS,
    Problem,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "geodata"
EVENTS_SUBDIR = "events"
AREAS_SUBDIR = "areas"
GEOJSON_SUFFIXES = (".geojson", ".json")

_ID_RE = re.compile(ID_PATTERN)
# Bounds on text, so a pasted document or a hostile file cannot swamp the page.
MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 20_000
MAX_LIST_ITEMS = 200
MAX_URL_CHARS = 2_000
_NAME_TO_CODE = {name.casefold(): code for code, name in NATION_NAMES.items()}
# How deep each geometry type nests its positions: a Point is one position, a Polygon a list of
# rings of positions.
_POSITION_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def data_dir() -> Path:
    """The data directory: $GEODATA_DIR when set, else the repository's geodata/."""
    configured = os.environ.get("GEODATA_DIR")
    return Path(configured) if configured else DEFAULT_DATA_DIR


@dataclass
class GeoData:
    """Everything valid in a data directory, and every problem found on the way."""

    events: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    # A short hash of every file's name and bytes: a shared link's reader can tell whether the
    # data changed since the link was made.
    version: str = ""


class FeatureError(ValueError):
    """A field of a feature that cannot be used; `field` names it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def load_geodata(path: Path | str | None = None) -> GeoData:
    """Load every events and areas file under `path` (default: `data_dir()`)."""
    root = Path(path) if path is not None else data_dir()
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), "data directory not found", skipped=True))
        return GeoData(empty_events(), empty_areas(), problems, 0)

    area_files = _geojson_files(root / AREAS_SUBDIR)
    event_files = _geojson_files(root / EVENTS_SUBDIR)
    if not event_files:
        problems.append(
            Problem(
                f"{EVENTS_SUBDIR}/",
                "no event files (*.geojson) found; the map will be empty",
                skipped=False,
            )
        )

    digest = hashlib.sha256()
    area_rows = _load_files(root, area_files, parse_area, problems, digest)
    areas = _frame(area_rows, AREA_COLUMNS)
    area_ids = set(areas["id"])
    event_rows = _load_files(
        root, event_files, lambda feature: parse_event(feature, area_ids), problems, digest
    )
    events = _frame(event_rows, EVENT_COLUMNS)
    events = events.sort_values(["start", "id"], kind="stable", ignore_index=True)
    files = len(area_files) + len(event_files)
    return GeoData(events, areas, problems, files, digest.hexdigest()[:10])


def _load_files(root: Path, paths: list[Path], parse, problems: list, digest) -> list[dict]:
    """The valid rows of every file, in order; problems are appended, bytes hashed."""
    rows: list[dict] = []
    for path in paths:
        label = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        digest.update(label.encode() + b"\0" + raw + b"\0")
        features, file_problems = read_features(raw, label)
        problems += file_problems
        rows += collect_features(features, label, parse, rows, problems)
    return rows


def read_features(raw: bytes, label: str) -> tuple[list, list[Problem]]:
    """The features of a GeoJSON FeatureCollection given as bytes, or why there are none."""
    if raw.startswith(_ARCHIVE_SIGNATURES):
        return [], [Problem(label, "is a compressed archive (zip/gzip), not GeoJSON text")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [Problem(label, f"not UTF-8 text (byte {error.start}); save it as UTF-8")]
    try:
        document = json.loads(text, object_pairs_hook=_object_noting_duplicates)
    except json.JSONDecodeError as error:
        return [], [
            Problem(
                label,
                f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}",
            )
        ]
    except RecursionError:
        return [], [Problem(label, "not valid JSON: nested too deeply")]
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        found = document.get("type") if isinstance(document, dict) else type(document).__name__
        return [], [Problem(label, f"expected a GeoJSON FeatureCollection, found {_show(found)}")]
    features = document.get("features")
    if not isinstance(features, list):
        return [], [Problem(label, "FeatureCollection has no list of features", field="features")]
    return features, []


_ARCHIVE_SIGNATURES = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf")


class _JsonObject(dict):
    """A JSON object that remembers keys written more than once (JSON keeps only the last)."""

    duplicate_keys: tuple[str, ...] = ()


def _object_noting_duplicates(pairs: list[tuple[str, object]]) -> dict:
    result = _JsonObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        result.duplicate_keys = tuple(k for k, _ in pairs if k in seen or seen.add(k))
    return result


def feature_label(feature: object, index: int, noun: str = "feature") -> str:
    """How a problem names a feature: its id when it has one, and its place in the file."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    feature_id = properties.get("id") if isinstance(properties, dict) else None
    if isinstance(feature_id, str) and feature_id.strip():
        return f"{noun} {_show(feature_id)} (#{index})"
    return f"{noun} #{index}"


def parse_event(feature: object, area_ids: set[str] | None = None) -> tuple[dict, list]:
    """One event feature as a row of the events table, plus its field-level warnings.

    Raises FeatureError when the event cannot be shown. Problems with optional fields don't
    stop the event: the field is ignored and a warning (field, message) is returned.
    """
    properties = _properties(feature)
    warnings: list[tuple[str, str]] = []
    row = {
        "id": _required_id(properties),
        "title": _required_text(properties, "title"),
        "summary": _optional_text(properties, "summary", warnings) or "",
        "kind": _kind(properties),
    }
    start_text, start_first = _start(properties)
    row["start_text"], row["start"] = start_text, pd.Timestamp(start_first)
    row["end_text"], row["end"] = _end(properties, start_text, warnings)
    row["nations"] = _nations(properties)
    row["organisations"] = _text_list(properties, "organisations", warnings)
    row["forces"] = _text_list(properties, "forces", warnings)
    row["area"] = _area(properties, area_ids, warnings)
    row["location_precision_km"] = _precision_km(properties, warnings)
    row["sources"] = _sources(properties, row["summary"], warnings)
    row["geometry"] = parse_geometry(feature.get("geometry"), EVENT_GEOMETRY_TYPES)
    return row, warnings


def parse_area(feature: object) -> tuple[dict, list]:
    """One named-area feature as a row of the areas table, plus its field-level warnings."""
    properties = _properties(feature)
    warnings: list[tuple[str, str]] = []
    kind = properties.get("kind")
    if kind not in AREA_KINDS:
        raise FeatureError("kind", f"{_show(kind)} is not one of {', '.join(AREA_KINDS)}")
    default_visible = properties.get("default_visible", True)
    if not isinstance(default_visible, bool):
        warnings.append(("default_visible", f"{_show(default_visible)} is not true or false"))
        default_visible = True
    row = {
        "id": _required_id(properties),
        "name": _required_text(properties, "name"),
        "alt_names": _text_list(properties, "alt_names", warnings),
        "kind": kind,
        "note": _optional_text(properties, "note", warnings) or "",
        "default_visible": default_visible,
        "geometry": parse_geometry(feature.get("geometry"), EVENT_GEOMETRY_TYPES),
    }
    return row, warnings


def parse_geometry(geometry: object, allowed: tuple[str, ...]):
    """A shapely geometry from a GeoJSON geometry object, checked against RFC 7946."""
    if geometry is None:
        raise FeatureError("geometry", "missing: every event needs a place on the map")
    if not isinstance(geometry, dict):
        raise FeatureError("geometry", f"{_show(geometry)} is not a GeoJSON geometry")
    geometry_type = geometry.get("type")
    if geometry_type not in allowed:
        raise FeatureError(
            "geometry",
            f"type {_show(geometry_type)} is not one of {', '.join(allowed)}",
        )
    coordinates = geometry.get("coordinates")
    _check_positions(coordinates, _POSITION_DEPTH[geometry_type], geometry_type)
    if geometry_type in ("LineString", "MultiLineString", "Polygon", "MultiPolygon"):
        _check_antimeridian(coordinates, _POSITION_DEPTH[geometry_type])
    try:
        shapely_geometry = shapely.force_2d(shape(geometry))
    except (
        ValueError,
        TypeError,
        AttributeError,
        shapely.errors.GEOSException,
    ) as error:
        raise FeatureError("geometry", f"not a valid {geometry_type}: {error}") from None
    if shapely_geometry.is_empty:
        raise FeatureError("geometry", f"the {geometry_type} has no coordinates")
    if geometry_type in ("Polygon", "MultiPolygon"):
        if not shapely_geometry.is_valid:
            reason = shapely.is_valid_reason(shapely_geometry)
            raise FeatureError("geometry", f"the {geometry_type} is not valid: {reason}")
        # RFC 7946 asks writers for counter-clockwise outer rings and readers not to reject
        # the other winding, so normalise it here.
        shapely_geometry = _orient(shapely_geometry)
    return shapely_geometry


def empty_events() -> gpd.GeoDataFrame:
    return _frame([], EVENT_COLUMNS)


def events_frame(rows: list[dict]) -> gpd.GeoDataFrame:
    """The events table from parsed rows (see parse_event)."""
    return _frame(rows, EVENT_COLUMNS)


def empty_areas() -> gpd.GeoDataFrame:
    return _frame([], AREA_COLUMNS)


def collect_features(
    features, label, parse, earlier_rows, problems, noun="feature", first_index=1
) -> list[dict]:
    """Parse each feature of one file, keeping the valid ones and recording problems.

    `earlier_rows` are rows already accepted (from other files): their ids are taken.
    """
    seen = {row["id"]: row["file"] for row in earlier_rows}
    rows = []
    for index, feature in enumerate(features, start=first_index):
        name = feature_label(feature, index, noun)
        try:
            row, warnings = parse(feature)
        except FeatureError as error:
            problems.append(Problem(label, str(error), name, error.field))
            continue
        if row["id"] in seen:
            problems.append(
                Problem(
                    label,
                    f'"{row["id"]}" is already used in {seen[row["id"]]}; ids must be unique',
                    name,
                    "id",
                )
            )
            continue
        problems += [
            Problem(label, message, name, field_name, skipped=False)
            for field_name, message in warnings
        ]
        row["file"] = label
        seen[row["id"]] = label
        rows.append(row)
    return rows


def _frame(rows: list[dict], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=[*columns, "geometry"]),
        geometry="geometry",
        crs="EPSG:4326",
    )
    if "start" in frame:
        frame["start"] = pd.to_datetime(frame["start"]).astype("datetime64[ns]")
        frame["end"] = pd.to_datetime(frame["end"]).astype("datetime64[ns]")
        frame["location_precision_km"] = frame["location_precision_km"].astype("float64")
    return frame


def _geojson_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in GEOJSON_SUFFIXES
    )


def _properties(feature: object) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise FeatureError("type", 'not a GeoJSON Feature (needs "type": "Feature")')
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise FeatureError("properties", "missing: a feature needs an object of properties")
    for owner in (feature, properties):
        for key in getattr(owner, "duplicate_keys", ()):
            raise FeatureError(key, "is written more than once; keep one")
    return properties


def _required_id(properties: dict) -> str:
    value = properties.get("id")
    if value is None:
        raise FeatureError("id", 'missing: give the feature a stable id such as "jcg-2024-07-18"')
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise FeatureError(
            "id",
            f"{_show(value)} is not a valid id (lowercase letters, digits, '-', '_', '.'; "
            "at most 128 characters)",
        )
    return value


def _required_text(properties: dict, name: str) -> str:
    value = properties.get(name)
    if value is None:
        raise FeatureError(name, "missing")
    if not isinstance(value, str) or not value.strip():
        raise FeatureError(name, f"{_show(value)} is not a non-empty text")
    _check_length(name, value, MAX_TITLE_CHARS)
    return value.strip()


def _check_length(name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise FeatureError(name, f"is {len(value):,} characters long; at most {limit:,}")


def _optional_text(properties: dict, name: str, warnings: list) -> str | None:
    value = properties.get(name)
    if isinstance(value, str):
        _check_length(name, value, MAX_TEXT_CHARS)
    if value is None or isinstance(value, str):
        return value
    warnings.append((name, f"{_show(value)} is not text; ignored"))
    return None


def _text_list(properties: dict, name: str, warnings: list) -> list[str]:
    value = properties.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        warnings.append((name, f"{_show(value)} is not a list of texts; ignored"))
        return []
    if len(value) > MAX_LIST_ITEMS or any(len(item) > MAX_TITLE_CHARS for item in value):
        warnings.append(
            (
                name,
                f"over {MAX_LIST_ITEMS} items, or an item over {MAX_TITLE_CHARS} characters; "
                "ignored",
            )
        )
        return []
    return [item.strip() for item in value if item.strip()]


def _kind(properties: dict) -> str:
    value = properties.get("kind")
    if value is None:
        raise FeatureError("kind", f"missing: one of {', '.join(KINDS)}")
    if value not in KINDS:
        raise FeatureError("kind", f"{_show(value)} is not one of {', '.join(KINDS)}")
    return value


def _start(properties: dict):
    value = properties.get("start")
    if value is None:
        raise FeatureError("start", "missing: when did it happen? (YYYY-MM-DD, YYYY-MM or YYYY)")
    try:
        first, _, _ = parse_period(value)
    except DateError as error:
        raise FeatureError("start", str(error)) from None
    return value.strip(), first


def _end(properties: dict, start_text: str, warnings: list):
    """The last day the event covers; without `end`, the last day of the start's period."""
    start_first, start_last, _ = parse_period(start_text)
    value = properties.get("end")
    if value is None:
        return "", pd.Timestamp(start_last)
    try:
        _, end_last, _ = parse_period(value)
    except DateError as error:
        raise FeatureError("end", str(error)) from None
    if end_last < start_first:
        raise FeatureError("end", f'"{value}" is before the start "{start_text}"')
    return value.strip(), pd.Timestamp(end_last)


def _nations(properties: dict) -> list[str]:
    value = properties.get("nations")
    if value is None:
        raise FeatureError("nations", "missing: list the participants' ISO 3166-1 alpha-3 codes")
    if not isinstance(value, list) or not value:
        raise FeatureError("nations", f"{_show(value)} is not a non-empty list of codes")
    codes = []
    for item in value:
        if isinstance(item, str) and item in NATION_NAMES:
            if item not in codes:
                codes.append(item)
            continue
        hint = ""
        if isinstance(item, str):
            guess = _NAME_TO_CODE.get(item.strip().casefold())
            if guess is None and item.strip().upper() in NATION_NAMES:
                guess = item.strip().upper()
            hint = f' (did you mean "{guess}"?)' if guess else ""
        raise FeatureError("nations", f"{_show(item)} is not an ISO 3166-1 alpha-3 code{hint}")
    return codes


def _area(properties: dict, area_ids: set[str] | None, warnings: list) -> str:
    """The id of the named area the event belongs to, or "" for none."""
    value = properties.get("area")
    if value is None:
        return ""
    if not isinstance(value, str):
        warnings.append(("area", f"{_show(value)} is not an area id; ignored"))
        return ""
    if area_ids is not None and value not in area_ids:
        warnings.append(("area", f'no named area has the id "{_clip(value)}"; ignored'))
        return ""
    return value


def _precision_km(properties: dict, warnings: list) -> float | None:
    value = properties.get("location_precision_km")
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not 0 <= value <= 20_000
    ):
        warnings.append(
            (
                "location_precision_km",
                f"{_show(value)} is not a distance in km (0–20000); ignored",
            )
        )
        return None
    return float(value)


def _sources(properties: dict, summary: str, warnings: list) -> list[dict]:
    value = properties.get("sources")
    if value is None:
        raise FeatureError(
            "sources",
            "missing: list where this comes from (may be [] if the summary says why)",
        )
    if not isinstance(value, list):
        raise FeatureError("sources", f"{_show(value)} is not a list of sources")
    if not value and not summary.strip():
        raise FeatureError(
            "sources", "empty: give a source, or say in the summary why there is none"
        )
    sources = []
    for number, item in enumerate(value, start=1):
        name = f"sources[{number}]"
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("title"), str)
            or not item["title"].strip()
            or len(item["title"]) > MAX_TITLE_CHARS
        ):
            warnings.append(
                (name, f'a source needs a "title" of 1–{MAX_TITLE_CHARS} characters; ignored')
            )
            continue
        source = {"title": item["title"].strip()}
        for key in ("publisher", "published", "url"):
            text = item.get(key)
            if text is None:
                continue
            if not isinstance(text, str) or len(text) > MAX_URL_CHARS:
                warnings.append(
                    (
                        f"{name}.{key}",
                        f"{_show(text)} is not text of at most 2,000 characters; ignored",
                    )
                )
            elif key == "published" and not _is_date(text):
                warnings.append(
                    (
                        f"{name}.{key}",
                        f"{_show(text)} is not a date (YYYY-MM-DD, YYYY-MM or YYYY); ignored",
                    )
                )
            elif key == "url" and not is_web_url(text):
                warnings.append(
                    (
                        f"{name}.{key}",
                        f"{_show(text)} is not an http(s) address; ignored",
                    )
                )
            else:
                source[key] = text.strip()
        sources.append(source)
    return sources


def is_web_url(text: str) -> bool:
    """True for an absolute http or https address: the only kind that becomes a link."""
    return bool(re.match(r"^https?://[^\s/$.?#][^\s]*$", text.strip(), re.IGNORECASE))


def _is_date(text: str) -> bool:
    try:
        parse_period(text)
    except DateError:
        return False
    return True


def _check_positions(coordinates: object, depth: int, geometry_type: str) -> None:
    if depth == 0:
        _check_position(coordinates)
        return
    if not isinstance(coordinates, list):
        raise FeatureError("geometry", f"coordinates of the {geometry_type} are not nested lists")
    for item in coordinates:
        _check_positions(item, depth - 1, geometry_type)


def _check_position(position: object) -> None:
    if (
        not isinstance(position, list)
        or not 2 <= len(position) <= 3
        or not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in position)
    ):
        raise FeatureError("geometry", f"{_show(position)} is not a [longitude, latitude] position")
    lon, lat = position[0], position[1]
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise FeatureError("geometry", f"{_show(position)} has a number that is not finite")
    if -180 <= lon <= 180 and -90 <= lat <= 90:
        return
    if -90 <= lon <= 90 and -180 <= lat <= 180:
        raise FeatureError(
            "geometry",
            f"[{lon}, {lat}]: latitude {lat} is out of range; are longitude and latitude "
            "swapped? GeoJSON is [longitude, latitude]",
        )
    raise FeatureError(
        "geometry",
        f"[{lon}, {lat}] is out of range (longitude −180…180, latitude −90…90)",
    )


def _check_antimeridian(coordinates: list, depth: int) -> None:
    """Reject a line or ring that jumps across 180° instead of being split (RFC 7946 3.1.9)."""
    if depth > 1:
        for part in coordinates:
            _check_antimeridian(part, depth - 1)
        return
    for before, after in zip(coordinates, coordinates[1:], strict=False):
        if abs(after[0] - before[0]) > 180:
            raise FeatureError(
                "geometry",
                f"the segment from {before[0]}° to {after[0]}° longitude crosses 180°; split it "
                "there into a Multi geometry (RFC 7946, 3.1.9)",
            )


def _orient(geometry):
    if geometry.geom_type == "Polygon":
        return orient(geometry, 1.0)
    return shapely.MultiPolygon([orient(part, 1.0) for part in geometry.geoms])


def _show(value: object) -> str:
    """A value as it is written in JSON: quotes, newlines and control characters escaped."""
    return _clip(json.dumps(value, ensure_ascii=False, default=str))


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
