"""An analyst's own file, read through the same validator as geodata/.

A GeoJSON FeatureCollection in the event format, or a CSV with one event per row (see
docs/upload-csv.md): `read_upload`. Any other list (other columns, XLSX, KML, …) is read with
a mapping (layers.read.mapping), which the dashboard's import step guesses and the analyst
corrects: `in_event_format` tells the two apart, `upload_table` and `import_upload` do the
rest. Navigational warnings (pasted, or a .txt or .csv of them) become an upload too, read by
layers.read.navwarn: `warnings_text`, `warnings_upload`. Nothing here writes anywhere: the
events live in the analyst's session. Limits keep one file from swamping the page: size,
number of events, vertices.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

import geopandas as gpd
import shapely

from layers.i18n import Message
from layers.read.georows import PLAIN_NUMBER
from layers.read.load import (
    GEOJSON_SUFFIXES,
    UNEXPECTED,
    collect_features,
    events_frame,
    parse_event,
    read_features,
)
from layers.read.mapping import LeftOut, Mapping, MappingError, import_table, rows_left_out
from layers.read.navwarn import import_warnings
from layers.read.schema import FeatureError, Problem, show_value
from layers.read.sources import TABLE_SUFFIXES, format_problem, read_source
from layers.read.table import Table, _decode, read_csv_table

# The dashboard's Streamlit configuration: its server.maxUploadSize is the one upload limit,
# which Streamlit enforces on every uploaded file, deploy/nginx.py on every request body, and
# this module on whatever reaches it (tests/test_deploy_security.py fails when they differ).
STREAMLIT_CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
# Streamlit's own default (MB) when the file does not set it (streamlit/config.py).
STREAMLIT_DEFAULT_UPLOAD_MB = 200


def configured_upload_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """server.maxUploadSize from the dashboard's .streamlit/config.toml, in MB (Streamlit's
    MB are MiB: it multiplies by 1024 * 1024). Streamlit's default when the file or the
    setting is missing, as Streamlit itself would use. Raises ValueError for a file that is
    not TOML or a value that is not a whole number of at least 1."""
    try:
        text = config.read_text(encoding="utf-8")
    except FileNotFoundError:
        return STREAMLIT_DEFAULT_UPLOAD_MB
    try:
        settings = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{config}: {error}") from None
    value = settings.get("server", {}).get("maxUploadSize", STREAMLIT_DEFAULT_UPLOAD_MB)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{config}: server.maxUploadSize must be a whole number of MB, 1 or more")
    return value


MAX_UPLOAD_BYTES = configured_upload_mb() * 1024 * 1024
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
# The properties that make a GeoJSON feature one of ours (the id may be the feature's own).
EVENT_PROPERTIES = ("title", "kind", "start", "nations")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")


@dataclass
class Upload:
    """The valid events of one uploaded file, and every problem with it; for a list read
    through a mapping, the rows its `[[skip]]` conditions left out (not problems, but said)."""

    name: str
    events: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    left_out: LeftOut = field(default_factory=LeftOut)

    @property
    def label(self) -> str:
        """How problems name this file: "upload: " and its name, on one line."""
        return upload_label(self.name)


def upload_label(name: str) -> str:
    """How problems and the table name an uploaded file: "upload: " and its name, one line."""
    return UPLOAD_PREFIX + _safe_name(name)


def read_upload(name: str, raw: bytes, taken_ids: dict[str, str], area_ids: set[str]) -> Upload:
    """Validate an uploaded file; `taken_ids` maps ids already in use to the file using them.

    Never raises: whatever the bytes, the answer is the valid events and one problem per row,
    feature or file that was left out.
    """
    label = UPLOAD_PREFIX + _safe_name(name)
    try:
        return _read_upload(name, label, raw, taken_ids, area_ids)
    except Exception:  # the door never breaks: a failing check costs this file only
        return _refused(name, label, UNEXPECTED)


def _read_upload(
    name: str, label: str, raw: bytes, taken_ids: dict[str, str], area_ids: set[str]
) -> Upload:
    if len(raw) > MAX_UPLOAD_BYTES:
        return _refused(name, label, _too_big(raw))
    refused = format_problem(name, raw)
    if refused:  # a format no reader takes, named as such rather than read as another
        return _refused(name, label, refused)
    is_csv = PurePath(name).suffix.lower() in TABLE_SUFFIXES
    numbers = None
    if is_csv:
        features, problems, numbers = csv_features(raw, label)
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
                "geometry",
                Message(
                    "has {count} vertices; the limit is {limit}",
                    count=format(count, ","),
                    limit=format(MAX_FEATURE_VERTICES, ","),
                ),
            )
        vertices[0] += count
        if vertices[0] > MAX_UPLOAD_VERTICES:
            raise FeatureError(
                "geometry",
                Message(
                    "the file passes {limit} vertices; the rest is left out",
                    limit=format(MAX_UPLOAD_VERTICES, ","),
                ),
            )
        return row, warnings

    taken = [{"id": event_id, "file": file} for event_id, file in taken_ids.items()]
    # A CSV's problems name spreadsheet rows, numbered as the spreadsheet shows them.
    noun = "row" if is_csv else "feature"
    rows = collect_features(features, label, parse, taken, problems, noun, numbers=numbers)
    return Upload(name, events_frame(rows), problems)


def in_event_format(name: str, raw: bytes) -> bool:
    """Whether a file is read as the event format (`read_upload`), or needs a mapping.

    In the event format: a CSV, TSV or TXT with every required column (CSV_REQUIRED), and
    GeoJSON with a feature carrying the event properties (EVENT_PROPERTIES). A file that is
    none of these but cannot be read either (not JSON, no header, over the size limit) goes
    the event format's way too, whose problems say what is wrong; a text whose encoding is in
    doubt goes to the import step, where the analyst chooses it. Everything else (other
    columns, other properties, XLSX, KML, GeoPackage, a zipped Shapefile) needs a mapping.
    """
    suffix = PurePath(name).suffix.lower()
    if len(raw) > MAX_UPLOAD_BYTES or format_problem(name, raw):
        return True
    try:
        if suffix in TABLE_SUFFIXES:
            table = read_csv_table(raw, name)
            if not table.columns and table.encodings:
                return False  # its encoding is a question: the import step asks it
            return not table.columns or all(column in table.columns for column in CSV_REQUIRED)
        if suffix in GEOJSON_SUFFIXES:
            document = json.loads(raw)
            features = document.get("features") if isinstance(document, dict) else None
            if not isinstance(features, list) or not features:
                return True
            return any(
                isinstance(feature, dict)
                and isinstance(feature.get("properties"), dict)
                and all(key in feature["properties"] for key in EVENT_PROPERTIES)
                for feature in features
            )
    except Exception:  # unreadable: the event format's reader says why
        return True
    return False


def upload_table(
    name: str, raw: bytes, sheet: str | None = None, encoding: str | None = None
) -> Table:
    """The rows of a file that needs a mapping (layers.read.sources): `sheet` and `encoding`
    as the mapping's [source] names them, or None to read the first visible sheet and detect
    the encoding. Never raises."""
    label = UPLOAD_PREFIX + _safe_name(name)
    if len(raw) > MAX_UPLOAD_BYTES:
        return Table([], [], problems=[Problem(label, _too_big(raw))])
    return read_source(name, raw, label, sheet, encoding)


def import_upload(
    name: str,
    table: Table,
    mapping: Mapping,
    taken_ids: dict[str, str],
    areas: gpd.GeoDataFrame,
    rows: int | None = None,
) -> Upload:
    """The events of a table read through a mapping, checked like any upload.

    `rows` reads only the first rows (the import step's preview). Never raises: a mapping
    that cannot read the table (a column it names is missing, no position chosen) gives no
    events and one problem per thing wrong with it, in the field "mapping".
    """
    label = UPLOAD_PREFIX + _safe_name(name)
    try:
        return _import_upload(name, label, table, mapping, taken_ids, areas, rows)
    except Exception:  # the door never breaks: a failing check costs this file only
        return _refused(name, label, UNEXPECTED)


def _import_upload(name, label, table, mapping, taken_ids, areas, rows) -> Upload:
    if not table.columns and table.problems:  # the file itself could not be read: say why
        return Upload(name, events_frame([]), list(table.problems))
    if not mapping.geometry:
        message = Message(
            "the mapping gives no position: choose latitude and longitude columns, a WKT "
            "column or a named area"
        )
        return Upload(name, events_frame([]), [Problem(label, message, field="mapping")])
    if len(table.rows) > MAX_UPLOAD_EVENTS:
        return _refused(
            name,
            label,
            Message(
                "has {count} rows; the limit is {limit}",
                count=format(len(table.rows), ","),
                limit=format(MAX_UPLOAD_EVENTS, ","),
            ),
        )
    if rows is not None:
        table = replace(table, rows=table.rows[:rows])
    left_out = rows_left_out(table, mapping)
    try:
        events, problems = import_table(table, mapping, label, areas, taken_ids, left_out=left_out)
    except MappingError as error:
        problems = [Problem(label, line, field="mapping") for line in error.problems]
        return Upload(name, events_frame([]), problems)
    counts = shapely.get_num_coordinates(events.geometry.values)
    if counts.sum() > MAX_UPLOAD_VERTICES:
        return _refused(
            name,
            label,
            Message("passes {limit} vertices; left out", limit=format(MAX_UPLOAD_VERTICES, ",")),
        )
    for event_id, count in zip(events["id"], counts, strict=True):
        if count > MAX_FEATURE_VERTICES:
            message = Message(
                "has {count} vertices; the limit is {limit}",
                count=format(count, ","),
                limit=format(MAX_FEATURE_VERTICES, ","),
            )
            feature = Message("{noun} {id}", noun=Message(table.noun), id=show_value(event_id))
            problems.append(Problem(label, message, feature, "geometry"))
    return Upload(name, events[counts <= MAX_FEATURE_VERTICES], problems, left_out)


def warnings_text(name: str, raw: bytes) -> tuple[str, list[Problem]]:
    """The text of an uploaded .txt file of navigational warnings (UTF-8 with or without BOM,
    or UTF-16 with BOM), and what kept it from being read; never raises."""
    label = upload_label(name)
    if len(raw) > MAX_UPLOAD_BYTES:
        return "", [Problem(label, _too_big(raw))]
    text, _, problem = _decode(raw, label)
    return text, [problem] if problem else []


def warnings_upload(
    name: str,
    items: list,
    nations: list[str] | None,
    area_ids: set[str],
    taken_ids: dict[str, str],
    problems: list[Problem] | None = None,
    issuers: dict[str, list[str]] | None = None,
    read: list | None = None,
) -> Upload:
    """Navigational warnings (`items` as `layers.read.navwarn.import_warnings` takes them) as
    an upload named `name`: their events, checked like any upload, and every problem, those
    met reading the file (`problems`) first. `issuers` are the nations chosen warning by
    warning (by warning id), `nations` those chosen for all; `read` the warnings already read
    from `items` (layers.read.navwarn.sources.completed). Never raises."""
    label = upload_label(name)
    try:
        events, found = import_warnings(
            items, label, nations, area_ids, taken_ids, read=read, issuers=issuers
        )
    except Exception:  # the door never breaks: a failing check costs these warnings only
        return _refused(name, label, UNEXPECTED)
    if len(events) > MAX_UPLOAD_EVENTS:
        return _refused(
            name,
            label,
            Message(
                "has {count} events; the limit is {limit}",
                count=format(len(events), ","),
                limit=format(MAX_UPLOAD_EVENTS, ","),
            ),
        )
    return Upload(name, events, [*(problems or []), *found])


def csv_features(raw: bytes, label: str) -> tuple[list, list[Problem], list[int]]:
    """Each CSV row as a GeoJSON Feature for the event validator, the file's problems, and each
    feature's spreadsheet row number (the header is row 1)."""
    table = read_csv_table(raw, label)
    # A detected encoding is said beside what it read, never silently.
    notes = [Problem(label, note, field="encoding", skipped=False) for note in table.notes]
    if not table.columns:
        return (
            [],
            table.problems or [Problem(label, Message("has no header row"), field="header")],
            [],
        )
    missing = [column for column in CSV_REQUIRED if column not in table.columns]
    if len(missing) == len(CSV_REQUIRED):
        problem = Problem(
            label,
            Message(
                "none of the expected columns ({columns}) is there: {found}",
                columns=", ".join(CSV_REQUIRED),
                found=table.describe(),
            ),
            field="header",
        )
        return [], [problem, *notes, *table.problems], []
    if missing:
        problem = Problem(
            label, Message("missing columns: {columns}", columns=", ".join(missing)), field="header"
        )
        return [], [problem, *notes, *table.problems], []
    features = [_row_feature(row, table.decimal_comma) for _, row in table.rows]
    return features, [*notes, *table.problems], [number for number, _ in table.rows]


def _row_feature(row: dict[str, str], decimal_comma: bool = False) -> dict:
    properties: dict[str, object] = {
        key: row.get(key) or None
        for key in ("id", "title", "kind", "start", "end", "summary", "area")
    }
    for key in ("nations", "forces", "organisations"):
        properties[key] = _split(row.get(key, ""))
    precision = row.get("location_precision_km")
    properties["location_precision_km"] = _number(precision, decimal_comma) if precision else None
    source = {
        key: row.get(f"source_{key}") or None for key in ("title", "publisher", "published", "url")
    }
    properties["sources"] = [{k: v for k, v in source.items() if v}] if source["title"] else []
    properties = {key: value for key, value in properties.items() if value is not None}
    lon = _number(row.get("lon"), decimal_comma)
    lat = _number(row.get("lat"), decimal_comma)
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(CSV_LIST_SEPARATOR) if item.strip()]


def _number(text: str | None, decimal_comma: bool = False):
    """A finite number, or the text itself so the validator names what was written.

    With `decimal_comma` (a semicolon-separated file), "25,5" is read as 25.5.
    """
    if text and decimal_comma and _DECIMAL_COMMA.fullmatch(text.strip()):
        text = text.strip().replace(",", ".")
    if text is None or not PLAIN_NUMBER.fullmatch(text.strip()):
        return text
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    return value if math.isfinite(value) else text


def _safe_name(name: str) -> str:
    """A file name fit to appear in messages: one line, no markup, not too long."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in name)
    return cleaned[:80]


def _too_big(raw: bytes) -> str:
    megabytes = len(raw) / 1024 / 1024
    return Message(
        "is {size} MB; the limit is {limit} MB",
        size=format(megabytes, ".1f"),
        limit=str(MAX_UPLOAD_BYTES // 1024 // 1024),
    )


def _refused(name: str, label: str, message: str) -> Upload:
    return Upload(name, events_frame([]), [Problem(label, message)])


def ids_taken(events, uploads: list[Upload]) -> dict[str, str]:
    """Every event id already in use, with the file it is in: on file, then earlier uploads."""
    taken = dict(zip(events["id"], events["file"], strict=False))
    for upload in uploads:
        taken.update(zip(upload.events["id"], upload.events["file"], strict=False))
    return taken
