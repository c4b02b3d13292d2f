"""Read a data directory of GeoJSON into validated events and named areas.

`load_geodata(path)` is the door every feature comes through: it never raises, whatever the
bytes. Each problem is one line naming the file, the feature and the field; every problem of a
feature is reported in one pass; a broken file or feature is left out and everything valid in
every file still loads. The rules are RFC 7946 GeoJSON (sections cited where they apply) and
the event format of docs/data-format.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.dates import DateError, parse_period, utc_instant
from layers.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Message
from layers.nations import NATION_NAMES, nation_code
from layers.read.geometry import (
    check_bbox,
    parse_geometry,
    parse_json_int,
    region_warning,
)
from layers.read.schema import (
    AREA_KINDS,
    AREA_TABLE_COLUMNS,
    COUNT_NAME_PATTERN,
    EVENT_COLUMNS,
    EVENT_GEOMETRY_TYPES,
    ID_PATTERN,
    KINDS,
    MAX_COUNT,
    MAX_COUNT_NAMES,
    FeatureError,
    FeatureErrors,
    Problem,
    TooLargeNumber,
    chained,
    clip,
    one_line,
    reason,
    show_value,
    without_surrogates,
)
from layers.read.tracks import FIELD as COORD_TIMES
from layers.read.tracks import check_coord_times

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "geodata"
EVENTS_SUBDIR = "events"
AREAS_SUBDIR = "areas"
GEOJSON_SUFFIXES = (".geojson", ".json")
LAYOUT_WORDS = Message(
    "a data directory holds event files as events/*.geojson and named areas as "
    "areas/*.geojson (like the repository's geodata/)"
)

_ID_RE = re.compile(ID_PATTERN)
_COUNT_NAME_RE = re.compile(COUNT_NAME_PATTERN)
# Bounds on text, so a pasted document or a hostile file cannot swamp the page.
MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 20_000
MAX_LIST_ITEMS = 200
MAX_URL_CHARS = 2_000
# The years an event's dates may fall in. Outside them a date is almost always a placeholder
# ("9999-12-31" for "no end yet", "0001-01-01" for "unknown"), and one such event would stretch
# the month range, the timeline and the month layers over centuries.
COVERED_YEARS = (1900, 2100)
# When a check itself fails (a bug, not bad data), the feature or file is left out with this.
# Files larger than this are not read: a data file that size is a mistake (a export of the
# wrong layer, a sparse file) and reading it would stall every analyst's dashboard.
MAX_FILE_MB = 200
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
UNEXPECTED = Message(
    "could not be checked (an unexpected error; please report this file); left out"
)
# Members that belong to other GeoJSON objects (RFC 7946 §7.1).
FEATURE_FOREIGN_MEMBERS = ("coordinates", "features")
COLLECTION_FOREIGN_MEMBERS = ("coordinates", "geometry", "properties")


def data_dir() -> Path:
    """The data directory: $GEODATA_DIR when set, else the repository's geodata/."""
    configured = os.environ.get("GEODATA_DIR")
    return Path(configured) if configured else DEFAULT_DATA_DIR


@dataclass
class GeoData:
    """Everything valid in a data directory, and every problem found on the way.

    `files` counts the files read; `valid_files` those that gave at least one valid event or
    area.
    """

    events: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    # A short hash of every file's name and bytes: a shared link's reader can tell whether the
    # data changed since the link was made.
    version: str = ""
    valid_files: int = 0
    # Columns derived from each event alone by the file checker (layers.store.files), indexed
    # like `events`; None when the checker derives none.
    derived: pd.DataFrame | None = None


def load_geodata(path: Path | str | None = None, check: FileChecker | None = None) -> GeoData:
    """Load every events and areas file under `path` (default: `data_dir()`). Never raises.

    `check` checks one file's bytes alone (default `check_file`); layers.store.files passes one
    that keeps each file's result in a cache. Whatever it is, the files are put together by
    `join_checks`, so the result is the same.
    """
    root = Path(path) if path is not None else data_dir()
    check = check or check_file
    problems: list[Problem] = []
    layout_problem = _layout_problem(root)
    if layout_problem:
        return GeoData(empty_events(), empty_areas(), [layout_problem], 0)

    area_files = _geojson_files(root, AREAS_SUBDIR, problems)
    event_files = _geojson_files(root, EVENTS_SUBDIR, problems)
    # An empty events/ is a new team's first day, not a problem (the dashboard says how to add
    # events); events/ holding only what cannot be read is one.
    if not event_files and any(p.file.startswith(f"{EVENTS_SUBDIR}/") for p in problems):
        problems.append(
            Problem(
                f"{EVENTS_SUBDIR}/",
                "no event files (*.geojson) found; the map will be empty",
                skipped=False,
            )
        )

    digest = hashlib.sha256()
    area_checks = _check_files(root, area_files, AREAS_SUBDIR, None, check, digest)
    areas, _, area_problems = join_checks(area_checks, AREA_TABLE_COLUMNS)
    event_checks = _check_files(root, event_files, EVENTS_SUBDIR, areas, check, digest)
    events, derived, event_problems = join_checks(event_checks, EVENT_COLUMNS)
    problems += area_problems + event_problems
    order = events.sort_values(["start", "id"], kind="stable").index
    events = events.loc[order].reset_index(drop=True)
    if derived is not None:
        derived = derived.loc[order].reset_index(drop=True)
    files = len(area_files) + len(event_files)
    valid_files = len(set(areas["file"]) | set(events["file"]))
    return GeoData(events, areas, problems, files, digest.hexdigest()[:10], valid_files, derived)


def load_areas(path: Path | str | None = None) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """The named areas of a data directory (its areas/*.geojson) and their problems; never
    raises. For tools that need the areas without reading every event (imports)."""
    root = Path(path) if path is not None else data_dir()
    problems: list[Problem] = []
    files = _geojson_files(root, AREAS_SUBDIR, problems)
    checks = _check_files(root, files, AREAS_SUBDIR, None, check_file, hashlib.sha256())
    areas, _, area_problems = join_checks(checks, AREA_TABLE_COLUMNS)
    return areas, problems + area_problems


def _layout_problem(root: Path) -> Problem | None:
    """Why `root` is not a data directory, or None when it is one."""
    try:
        if root.is_file():
            return Problem(
                str(root),
                Message("is a file, not a data directory: {layout}", layout=LAYOUT_WORDS),
            )
        if not root.is_dir():
            return Problem(str(root), Message("data directory not found"))
        if not (root / EVENTS_SUBDIR).is_dir() and not (root / AREAS_SUBDIR).is_dir():
            return Problem(
                str(root),
                Message("has neither events/ nor areas/: {layout}", layout=LAYOUT_WORDS),
                skipped=False,
            )
    except OSError as error:
        said = error.strerror or Message("access refused")
        return Problem(str(root), Message("cannot be read: {reason}", reason=said))
    return None


@dataclass
class RowNotes:
    """What a file checked alone notes so its rows can later be joined with other files'.

    Per valid row: where its warnings start in the file's problems, how many there are, and
    its feature's name. Per problem saying an id is used twice in the file: its position and
    the id.
    """

    starts: list[int] = field(default_factory=list)
    warnings: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class FileCheck:
    """One data file checked on its own: its valid rows as a table, and its problems in order.

    Alone, a file cannot know the ids the files before it use; `notes` say enough for
    `join_checks` to apply that rule (ids are unique across files) as if the files had been
    read together. `derived` holds columns a checker derived from the rows (aligned with
    `table`), or None.
    """

    label: str
    table: gpd.GeoDataFrame
    problems: list[Problem]
    notes: RowNotes = field(default_factory=RowNotes)
    derived: pd.DataFrame | None = None


# check(raw bytes, file label, EVENTS_SUBDIR or AREAS_SUBDIR, the named areas for an events
# file or None) -> FileCheck
FileChecker = Callable[[bytes, str, str, "gpd.GeoDataFrame | None"], FileCheck]


def check_file(
    raw: bytes, label: str, kind: str, areas: gpd.GeoDataFrame | None = None
) -> FileCheck:
    """Check one file's bytes alone: an areas file (`kind` AREAS_SUBDIR) or an events file
    whose events may name the `areas`. Never raises: a failing check costs this file only."""
    columns = AREA_TABLE_COLUMNS if kind == AREAS_SUBDIR else EVENT_COLUMNS
    if kind == AREAS_SUBDIR:
        parse = parse_area
    else:
        area_ids = set(areas["id"]) if areas is not None else set()
        parse = lambda feature: parse_event(feature, area_ids)  # noqa: E731
    notes = RowNotes()
    try:
        features, problems = read_features(raw, label)
        rows = collect_features(features, label, parse, [], problems, notes=notes)
        table = _frame(rows, columns)
    except Exception:  # the door never breaks: a failing check costs this file only
        return FileCheck(label, _frame([], columns), [Problem(label, UNEXPECTED)])
    return FileCheck(label, table, problems, notes)


def join_checks(
    checks: list[FileCheck], columns: tuple[str, ...]
) -> tuple[gpd.GeoDataFrame, pd.DataFrame | None, list[Problem]]:
    """The files' rows as one table (in file order), their derived columns (None unless every
    file has them) and every problem, as if the files had been read one after another.

    An id already used by an earlier file leaves its row out, with one problem where that
    row's warnings would have been (see collect_features).
    """
    seen: dict[str, str] = {}
    tables, derived, problems = [], [], []
    for check in checks:
        ids = check.table["id"].tolist()
        clashes = [row for row, event_id in enumerate(ids) if event_id in seen]
        retold = [(at, event_id) for at, event_id in check.notes.duplicates if event_id in seen]
        table, extra = check.table, check.derived
        if clashes or retold:
            problems += _joined_problems(check, clashes, retold, seen)
            keep = np.ones(len(ids), dtype=bool)
            keep[clashes] = False
            table = table[keep]
            extra = extra[keep] if extra is not None else None
        else:
            problems += check.problems
        seen.update(dict.fromkeys(table["id"].tolist(), check.label))
        if len(table):
            tables.append(table)
            derived.append(extra)
    if not tables:
        no_derived = bool(checks) and all(check.derived is not None for check in checks)
        return _frame([], columns), (pd.DataFrame() if no_derived else None), problems
    joined = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    joined = joined.reset_index(drop=True)
    if any(extra is None for extra in derived):
        return joined, None, problems
    return joined, pd.concat(derived, ignore_index=True), problems


def _joined_problems(
    check: FileCheck, clashes: list[int], retold: list[tuple[int, str]], seen: dict[str, str]
) -> list[Problem]:
    """A file's problems once the ids of earlier files are known: each clashing row's warnings
    replaced by one duplicate-id problem, and each duplicate within the file naming the file
    that used the id first."""
    notes, ids = check.notes, check.table["id"].tolist()
    replaced = {
        at: duplicate_id_problem(
            check.label, event_id, seen[event_id], check.problems[at].feature or ""
        )
        for at, event_id in retold
    }
    inserted: dict[int, list[Problem]] = {}
    dropped: set[int] = set()
    for row in clashes:
        start = notes.starts[row]
        dropped.update(range(start, start + notes.warnings[row]))
        problem = duplicate_id_problem(check.label, ids[row], seen[ids[row]], notes.names[row])
        inserted.setdefault(start, []).append(problem)
    joined = []
    for at in range(len(check.problems) + 1):
        joined += inserted.get(at, [])
        if at < len(check.problems) and at not in dropped:
            joined.append(replaced.get(at, check.problems[at]))
    return joined


def duplicate_id_problem(label: str, event_id: str, used_in: str, feature: str) -> Problem:
    """A feature left out because its id is already used (in the file `used_in`)."""
    return Problem(
        label,
        Message('"{id}" is already used in {file}; ids must be unique', id=event_id, file=used_in),
        feature,
        "id",
    )


def _check_files(
    root: Path,
    paths: list[Path],
    kind: str,
    areas: gpd.GeoDataFrame | None,
    check: FileChecker,
    digest,
) -> list[FileCheck]:
    """Each file checked alone, in order (a file that cannot be read: no rows, one problem);
    every file's name and bytes go into `digest`."""
    checks = []
    columns = AREA_TABLE_COLUMNS if kind == AREAS_SUBDIR else EVENT_COLUMNS
    for path in paths:
        label = file_label(path.relative_to(root).as_posix())
        try:
            raw = read_regular_file(path, MAX_FILE_BYTES)
        except TooLarge as error:
            megabytes = f"{error.size / 1024 / 1024:,.0f}"
            problem = Problem(
                label,
                Message(
                    "is {size} MB; files over {limit} MB are not read",
                    size=megabytes,
                    limit=str(MAX_FILE_MB),
                ),
            )
            checks.append(FileCheck(label, _frame([], columns), [problem]))
            continue
        except NotAFile as error:  # replaced by a pipe or a socket since it was listed
            checks.append(
                FileCheck(
                    label,
                    _frame([], columns),
                    [Problem(label, Message("{reason}; skipped", reason=error.strerror))],
                )
            )
            continue
        except OSError as error:
            problem = Problem(label, odd_file_reason(path, error))
            checks.append(FileCheck(label, _frame([], columns), [problem]))
            continue
        digest.update(label.encode("utf-8", "replace") + b"\0" + raw + b"\0")
        checks.append(check(raw, label, kind, areas))
    return checks


def file_label(name: str) -> str:
    """A file's name fit for messages and tables: a name that is not UTF-8 (from a Windows zip)
    shows its undecodable bytes as U+FFFD instead of failing wherever it is written."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_features(raw: bytes, label: str) -> tuple[list, list[Problem]]:
    """The features of a GeoJSON FeatureCollection given as bytes, and the file's problems.

    Problems with the collection itself (foreign members, a bad bbox, RFC 7946 §5 and §7.1) are
    reported and its features still read; when no features can be read the list is empty.
    """
    if not raw.strip():
        return [], [Problem(label, Message("is empty"))]
    if raw.startswith(_ARCHIVE_SIGNATURES):
        return [], [Problem(label, Message("is a compressed archive (zip/gzip), not GeoJSON text"))]
    if b"\0" in raw[:4096]:
        return [], [Problem(label, Message("holds NUL bytes: a binary file, not GeoJSON text"))]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [], [Problem(label, Message("is UTF-16 text; save it as UTF-8"))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [
            Problem(
                label,
                Message("not UTF-8 text (byte {byte}); save it as UTF-8", byte=str(error.start)),
            )
        ]
    try:
        document = json.loads(
            text, object_pairs_hook=_object_noting_duplicates, parse_int=parse_json_int
        )
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()):
            return [], [
                Problem(label, Message("not valid JSON: the text ends too early (cut short?)"))
            ]
        return [], [
            Problem(
                label,
                Message(
                    "not valid JSON: {reason} at line {line} column {column}",
                    reason=_json_words(error.msg),
                    line=str(error.lineno),
                    column=str(error.colno),
                ),
            )
        ]
    except RecursionError:
        return [], [Problem(label, Message("not valid JSON: nested too deeply"))]
    except ValueError:
        return [], [
            Problem(label, Message("not valid JSON: a number or text in it cannot be read"))
        ]
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return [], [
            Problem(
                label,
                Message(
                    "expected a GeoJSON FeatureCollection, found {found}",
                    found=_kind_of(document),
                ),
            )
        ]
    problems = _collection_problems(document, label)
    if _SURROGATE_ESCAPE.search(text):
        replaced = _replace_surrogates(document)
        if replaced:
            # Outside the Message call: Babel does not read an id nested in another's arguments.
            texts = _count_words(replaced, N_("{count} text"), N_("{count} texts"))
            problems.append(
                Problem(
                    label,
                    Message(
                        "holds {texts} with a broken \\u escape (a lone surrogate, as a faulty "
                        "converter writes); each such character is shown as \ufffd",
                        texts=texts,
                    ),
                    skipped=False,
                )
            )
    features = document.get("features")
    if not isinstance(features, list):
        problems.append(
            Problem(
                label, Message("the FeatureCollection has no list of features"), field="features"
            )
        )
        return [], problems
    return features, problems


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _replace_surrogates(document: object) -> int:
    """Replace lone surrogates in every text of a parsed document, in place; how many texts.

    Iterative: the document may be nested as deeply as the JSON reader allows.
    """
    replaced = 0
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in [key for key in item if without_surrogates(key)[1]]:
                item[without_surrogates(key)[0]] = item.pop(key)
                replaced += 1
            slots = list(item.items())
        elif isinstance(item, list):
            slots = list(enumerate(item))
        else:
            continue
        for slot, value in slots:
            if isinstance(value, str):
                clean, count = without_surrogates(value)
                if count:
                    item[slot] = clean
                    replaced += 1
            else:
                stack.append(value)
    return replaced


# The JSON decoder's reasons, in words for someone who has not read the JSON grammar.
_JSON_WORDS = {
    "Expecting value": N_("a value is missing or not JSON (a trailing comma, or NaN?)"),
    "Expecting property name enclosed in double quotes": N_(
        "a name is not in double quotes (or a trailing comma)"
    ),
    "Expecting ',' delimiter": N_(
        "a comma is missing between two values (or a number is written as JSON does not "
        "allow, such as 1_000 or 1,5)"
    ),
    "Expecting ':' delimiter": N_("a colon is missing after a name"),
    "Extra data": N_("there is more text after the end of the document"),
    "Unterminated string starting at": N_("a text is not closed with a double quote"),
    "Invalid control character at": N_("a text holds a line break or tab; write it as \\n"),
    "Invalid \\escape": N_("a backslash starts an escape JSON does not know (write \\\\)"),
    "Invalid \\uXXXX escape": N_("a \\u escape is not followed by four hexadecimal digits"),
}


def _json_words(message: str) -> str:
    said = _JSON_WORDS.get(message, N_("the text stops being JSON here"))
    return Message(said)


def _kind_of(document: object) -> str:
    if isinstance(document, dict):
        found = document.get("type")
        if found == "Feature":
            return Message('a single Feature; put it in a FeatureCollection\'s "features" list')
        if found in EVENT_GEOMETRY_TYPES:
            return Message(
                "a bare {type} geometry; put it in a Feature with properties", type=found
            )
        return (
            Message("an object of type {type}", type=show_value(found))
            if found is not None
            else Message("an object with no type")
        )
    if isinstance(document, list):
        return Message("a list; put the features in a FeatureCollection")
    return show_value(document)


def _collection_problems(document: dict, label: str) -> list[Problem]:
    problems = []
    for key in getattr(document, "duplicate_keys", ()):
        problems.append(
            Problem(
                label,
                Message("is written more than once; only the last is read"),
                field=key,
                skipped=False,
            )
        )
    for key in COLLECTION_FOREIGN_MEMBERS:
        if key in document:
            problems.append(
                Problem(
                    label,
                    Message(
                        'a FeatureCollection may not have "{key}" (RFC 7946 §7.1); ignored',
                        key=key,
                    ),
                    field=key,
                    skipped=False,
                )
            )
    if "bbox" in document:
        try:
            check_bbox(document["bbox"], "bbox")
        except FeatureError as error:
            problems.append(Problem(label, _ignored(reason(error)), field="bbox", skipped=False))
    return problems


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
    feature_id = None
    if isinstance(feature, dict):
        properties = feature.get("properties")
        if isinstance(properties, dict):
            feature_id = properties.get("id")
        if not (isinstance(feature_id, str) and feature_id.strip()):
            feature_id = feature.get("id")
    if isinstance(feature_id, str) and feature_id.strip():
        return Message(
            "{noun} {id} (#{index})", noun=_noun(noun), id=show_value(feature_id), index=str(index)
        )
    return Message("{noun} #{index}", noun=_noun(noun), index=str(index))


class _Checks:
    """Runs a feature's field checks, keeping every error so all come out in one pass.

    `explained` holds properties already refused for a reason said once (text that cannot be
    stored, see `_storable`): the field checks' own errors about them are not repeated.
    """

    def __init__(self) -> None:
        self.errors: list[FeatureError] = []
        self.explained: set[str] = set()

    def __call__(self, check, *args, default=None):
        try:
            return check(*args)
        except FeatureErrors as errors:
            self.errors += [error for error in errors.errors if not self._explained(error)]
        except FeatureError as error:
            if not self._explained(error):
                self.errors.append(error)
        return default

    def _explained(self, error: FeatureError) -> bool:
        return _FIELD_ROOT.match(error.field or "").group() in self.explained

    def raise_any(self, warnings: list[tuple[str, str]] = ()) -> None:
        """Raise every error, and with them the field warnings: the feature is left out, so
        the analyst fixes everything in one round."""
        if self.errors:
            notes = [FeatureError(name, message) for name, message in warnings]
            raise FeatureErrors(self.errors + notes)


def parse_event(feature: object, area_ids: set[str] | None = None) -> tuple[dict, list]:
    """One event feature as a row of the events table, plus its field-level warnings.

    Raises FeatureError (FeatureErrors when several fields are wrong: every one of them) when
    the event cannot be shown. Problems with optional fields don't stop the event: the field
    is ignored and a warning (field, message) is returned. A position far outside the map's
    region (layers.region) is a warning too.
    """
    checks = _Checks()
    warnings: list[tuple[str, str]] = []
    properties = _storable(_properties(feature), EVENT_REQUIRED, checks, warnings)
    checks(_check_duplicate_keys, feature, feature.get("properties"))
    checks(_check_feature_members, feature)
    row: dict = {
        "id": checks(_required_id, properties),
        "title": checks(_required_text, properties, "title"),
        "summary": checks(_optional_text, properties, "summary", warnings) or "",
        "kind": checks(_kind, properties),
    }
    start = checks(_start, properties)
    end = checks(_end, properties, start)
    if start is not None and end is not None:
        row["start_text"], row["start"] = start[0], pd.Timestamp(start[1])
        row["end_text"], row["end"] = end[0], pd.Timestamp(end[1])
    row["nations"] = checks(_nations, properties)
    row["organisations"] = _text_list(properties, "organisations", warnings)
    row["forces"] = _text_list(properties, "forces", warnings)
    row["area"] = _area(properties, area_ids, warnings)
    row["location_precision_km"] = _precision_km(properties, warnings)
    row["sources"] = checks(_sources, properties, row["summary"], warnings)
    row["counts"] = event_counts(properties.get("counts"), warnings)
    row["geometry"] = checks(parse_geometry, feature.get("geometry"), EVENT_GEOMETRY_TYPES)
    row["coord_times"] = _coord_times(properties, row["geometry"], start, end, warnings)
    row["windows"] = event_windows(properties.get("windows"), start, end, warnings)
    row["sides"] = event_sides(properties.get("sides"), row["nations"], warnings)
    checks.raise_any(warnings)
    far = region_warning(row["geometry"])
    if far:
        warnings.append(("geometry", far))
    return row, warnings


_SECONDS_WRITTEN = re.compile(r"T[0-9]{2}:[0-9]{2}:[0-9]{2}")


def _coord_times(properties: dict, geometry, start, end, warnings: list) -> tuple:
    """A track's times (layers.read.tracks.check_coord_times), () when it has none. Times that
    cannot be the track's are a warning and left out: the event is still shown, as a line
    without times, with the dates it gives."""
    value = properties.get(COORD_TIMES)
    if value is None or geometry is None:
        return ()
    first_day = start[1] if start is not None else None
    last_day = end[1] if start is not None and end is not None else None
    first_instant = after_end = None
    if start is not None and end is not None:
        first_instant = utc_instant(start[0])
        last_text = end[0] or start[0]  # "" when the event gives no end: its start
        last_instant = utc_instant(last_text)
        if last_instant is not None:
            # An end written to the minute covers that minute; to the second, that second.
            unit = 1 if _SECONDS_WRITTEN.search(last_text) else 60
            after_end = last_instant + dt.timedelta(seconds=unit)
    try:
        return check_coord_times(value, geometry, first_day, last_day, first_instant, after_end)
    except FeatureError as error:
        warnings.append(
            (
                error.field,
                Message(
                    "{reason}; ignored (the event is shown without times)", reason=reason(error)
                ),
            )
        )
        return ()


def parse_area(feature: object) -> tuple[dict, list]:
    """One named-area feature as a row of the areas table, plus its field-level warnings.

    Raises FeatureError (FeatureErrors for several fields) when the area cannot be drawn.
    """
    checks = _Checks()
    warnings: list[tuple[str, str]] = []
    properties = _storable(_properties(feature), AREA_REQUIRED, checks, warnings)
    checks(_check_duplicate_keys, feature, feature.get("properties"))
    checks(_check_feature_members, feature)
    default_visible = properties.get("default_visible", True)
    if _blank(default_visible):
        default_visible = True
    if not isinstance(default_visible, bool):
        warnings.append(
            (
                "default_visible",
                Message("{value} is not true or false", value=show_value(default_visible)),
            )
        )
        default_visible = True
    row = {
        "id": checks(_required_id, properties),
        "name": checks(_required_text, properties, "name"),
        "alt_names": _text_list(properties, "alt_names", warnings),
        "kind": checks(_area_kind, properties),
        "note": checks(_optional_text, properties, "note", warnings) or "",
        "default_visible": default_visible,
        **_saved_by_and_at(properties, warnings),
        "names": _area_names(properties, warnings),
        "geometry": checks(parse_geometry, feature.get("geometry"), EVENT_GEOMETRY_TYPES),
    }
    checks.raise_any(warnings)
    far = region_warning(row["geometry"])
    if far:
        warnings.append(("geometry", far))
    return row, warnings


def _saved_by_and_at(properties: dict, warnings: list) -> dict:
    """An area's optional `saved_by` (who saved it for the team, text of at most 200
    characters) and `saved_at` (when: an ISO 8601 date and time with its UTC offset, "Z" or
    "+09:00"), as a pair: {"saved_by": str, "saved_at": UTC datetime}, or both None. They are
    what the shared store records for a drawn area (PostgisStore.save_drawn_area) and writes
    in an export, read back so an import keeps them; a file's own areas have neither. One
    missing or malformed: both ignored, with a warning (a "who" without a "when" would say
    something the store never recorded)."""
    by, at = properties.get("saved_by"), properties.get("saved_at")
    none = {"saved_by": None, "saved_at": None}
    if _blank(by) and _blank(at):
        return none
    if not isinstance(by, str) or _blank(by) or len(by) > MAX_SAVED_BY_CHARS:
        warnings.append(
            (
                "saved_by",
                Message(
                    "{value} is not who saved the area (text of 1–{limit} characters, given "
                    "with saved_at); saved_by and saved_at ignored",
                    value=show_value(by),
                    limit=str(MAX_SAVED_BY_CHARS),
                ),
            )
        )
        return none
    moment = None
    if isinstance(at, str) and _SAVED_AT.match(at.strip()):
        with contextlib.suppress(ValueError):
            moment = dt.datetime.fromisoformat(at.strip().replace("z", "Z"))
    if moment is None or moment.utcoffset() is None:
        warnings.append(
            (
                "saved_at",
                Message(
                    "{value} is not a date and time with its offset (2026-12-07T03:41:00Z); "
                    "saved_by and saved_at ignored",
                    value=show_value(at),
                ),
            )
        )
        return none
    return {"saved_by": by.strip(), "saved_at": moment.astimezone(dt.UTC)}


def _area_names(properties: dict, warnings: list) -> dict[str, str] | None:
    """An area's optional `names`: its own name in the languages its readers use, as an
    object of language tags (layers.i18n.LANGUAGES, English aside: `name` is the English)
    to one-line names, e.g. {"ja": "伊豆大島", "zh-TW": "伊豆大島"}. An entry that is not
    one (an unknown tag, a value that is no name) is a warning naming it and is left out; the
    area keeps its other names. None when no usable name is given."""
    value = properties.get("names")
    if _blank(value):
        return None
    tags = [tag for tag in LANGUAGES if tag != DEFAULT_LANGUAGE]
    if not isinstance(value, dict):
        warnings.append(
            (
                "names",
                Message(
                    "{value} is not an object of language tags ({tags}) to names; ignored",
                    value=show_value(value),
                    tags=", ".join(tags),
                ),
            )
        )
        return None
    names = {}
    for tag, name in value.items():
        where = f"names.{clip(str(tag), 40)}"
        if tag not in tags:
            warnings.append(
                (
                    where,
                    Message(
                        "{tag} is not one of the page's languages other than English ({tags}); "
                        "ignored",
                        tag=show_value(tag, 40),
                        tags=", ".join(tags),
                    ),
                )
            )
        elif (
            not isinstance(name, str)
            or not name.strip()
            or len(name) > MAX_TITLE_CHARS
            or one_line(name) != name
        ):
            warnings.append(
                (
                    where,
                    Message(
                        "{value} is not a name (one line of text, at most {limit} characters); "
                        "ignored",
                        value=show_value(name),
                        limit=MAX_TITLE_CHARS,
                    ),
                )
            )
        else:
            names[tag] = name.strip()
    # In the languages' order (layers.i18n.LANGUAGES), as the store gives them back.
    return {tag: names[tag] for tag in tags if tag in names} or None


# The longest `saved_by` taken: a signed-in name or e-mail address (layers/auth.py actor_name).
MAX_SAVED_BY_CHARS = 200
# RFC 3339's date-time (section 5.6): a full date, a time, an offset.
_SAVED_AT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)


def empty_events() -> gpd.GeoDataFrame:
    """An events table with no rows (the columns of EVENT_COLUMNS and a geometry)."""
    return _frame([], EVENT_COLUMNS)


def events_frame(rows: list[dict]) -> gpd.GeoDataFrame:
    """The events table from parsed rows (see parse_event)."""
    return _frame(rows, EVENT_COLUMNS)


def empty_areas() -> gpd.GeoDataFrame:
    """An areas table with no rows."""
    return _frame([], AREA_TABLE_COLUMNS)


def collect_features(
    features,
    label,
    parse,
    earlier_rows,
    problems,
    noun="feature",
    numbers=None,
    notes=None,
    labels=None,
) -> list[dict]:
    """Parse each feature of one file, keeping the valid ones and recording problems.

    `earlier_rows` are rows already accepted (from other files): their ids are taken.
    `numbers` are the features' numbers in messages (a CSV's spreadsheet rows; default 1, 2,
    …); `labels`, when given, name each feature in messages instead (the rows a mapping's
    group gathers). `notes` (a RowNotes), when given, is told where each row's problems are
    (see join_checks). Never raises: a check that fails unexpectedly costs only its feature.
    """
    seen = {row["id"]: row["file"] for row in earlier_rows}
    rows = []
    numbers = numbers if numbers is not None else range(1, len(features) + 1)
    for position, (index, feature) in enumerate(zip(numbers, features)):
        name = labels[position] if labels is not None else feature_label(feature, index, noun)
        try:
            row, warnings = parse(feature)
        except FeatureError as error:
            for each in getattr(error, "errors", (error,)):
                problems.append(Problem(label, reason(each), name, each.field))
            continue
        except Exception:  # the door never breaks: a failing check costs this feature only
            problems.append(Problem(label, UNEXPECTED, name))
            continue
        if row["id"] in seen:
            if notes is not None:
                notes.duplicates.append((len(problems), row["id"]))
            problems.append(duplicate_id_problem(label, row["id"], seen[row["id"]], name))
            continue
        if notes is not None:
            notes.starts.append(len(problems))
            notes.warnings.append(len(warnings))
            notes.names.append(name)
        problems += [
            Problem(label, message, name, field_name, skipped=False)
            for field_name, message in warnings
        ]
        row["file"] = label
        seen[row["id"]] = label
        rows.append(row)
    return rows


def _frame(rows: list[dict], columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    # Read before the frame is made: pandas would make datetimes and None a datetime64 column.
    rows_at = [row.get("saved_at") for row in rows] if "saved_at" in columns else []
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=[*columns, "geometry"]),
        geometry="geometry",
        crs="EPSG:4326",
    )
    if "start" in frame:
        # Second resolution holds every date the format can write (years 1–9999); nanoseconds
        # would end in 2262.
        for column in ("start", "end"):
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[s]")
        frame["location_precision_km"] = frame["location_precision_km"].astype("float64")
    if "saved_at" in frame:
        # None for an area nobody saved from the page, not NaT: object, as the store reads it.
        moments = np.empty(len(frame), dtype=object)
        moments[:] = [value if isinstance(value, dt.datetime) else None for value in rows_at]
        frame["saved_at"] = pd.Series(moments, index=frame.index, dtype=object)
        frame["saved_by"] = frame["saved_by"].astype(object).where(frame["saved_at"].notna(), None)
    if "coord_times" in frame:
        # Rows made elsewhere (an upload, the shared store) may give none: no times, not NaN.
        times = np.empty(len(frame), dtype=object)
        times[:] = [value if isinstance(value, tuple) else () for value in frame["coord_times"]]
        frame["coord_times"] = times
    if "windows" in frame:
        windows = np.empty(len(frame), dtype=object)
        windows[:] = [value if isinstance(value, tuple) else () for value in frame["windows"]]
        frame["windows"] = windows
    if "sides" in frame:
        # None (no sides given) stays None: a NaN from a row made without the column is None.
        sides = np.empty(len(frame), dtype=object)
        sides[:] = [value if isinstance(value, tuple) else None for value in frame["sides"]]
        frame["sides"] = sides
    if "counts" in frame and len(frame):
        # Every event has a dict of counts, {} for none (a row made without one gets {}).
        frame["counts"] = [value if isinstance(value, dict) else {} for value in frame["counts"]]
    return frame


def _geojson_files(root: Path, sub: str, problems: list[Problem]) -> list[Path]:
    """The GeoJSON files directly in root/sub, in name order; what looks like data but cannot
    be read (a broken link, a named pipe, a socket, a folder named *.geojson, a sub-folder of
    files, `sub` itself a file) is one problem each, and the other files are still listed.
    Only stat() is used here: nothing is opened, so a named pipe cannot stall the listing."""
    folder = root / sub
    files = []
    try:
        if folder.exists() and not folder.is_dir():
            problems.append(
                Problem(f"{sub}", Message("is a file, not a folder: {layout}", layout=LAYOUT_WORDS))
            )
            return []
        if not folder.is_dir():
            return []
        paths = sorted(folder.iterdir())
    except OSError as error:
        said = error.strerror or Message("read error")
        problems.append(Problem(f"{sub}/", Message("cannot be read: {reason}", reason=said)))
        return []
    for path in paths:
        name = file_label(path.relative_to(root).as_posix())
        data_name = path.suffix.lower() in GEOJSON_SUFFIXES
        try:
            mode = path.stat().st_mode
        except OSError as error:
            if data_name:
                problems.append(
                    Problem(name, Message("{reason}; skipped", reason=odd_file_reason(path, error)))
                )
            continue
        if stat.S_ISDIR(mode):
            if data_name:
                problems.append(Problem(name, Message("is a folder, not a file; skipped")))
            elif _holds_geojson(path):
                problems.append(
                    Problem(
                        f"{name}/",
                        Message(
                            "is a folder: files in sub-folders are not read; move them into "
                            "{folder}/",
                            folder=sub,
                        ),
                    )
                )
            continue
        if not data_name:
            continue
        if not stat.S_ISREG(mode):
            problems.append(
                Problem(name, Message("is {kind}, not a file; skipped", kind=file_kind(mode)))
            )
            continue
        files.append(path)
    return files


def _holds_geojson(folder: Path) -> bool:
    """True when `folder` directly holds a name ending in a GeoJSON suffix (False when it
    cannot be listed: it is not read either way)."""
    try:
        return any(child.suffix.lower() in GEOJSON_SUFFIXES for child in folder.iterdir())
    except OSError:
        return False


def file_kind(mode: int) -> str:
    """What a file system entry that is not a regular file is, in words ("a named pipe
    (FIFO)"), from its st_mode (stat(2))."""
    if stat.S_ISDIR(mode):
        return Message("a folder")
    if stat.S_ISFIFO(mode):
        return Message("a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return Message("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Message("a device")
    return Message("not a regular file")


def odd_file_reason(path: Path, error: OSError) -> str:
    """Why `path` could not even be looked at, in words: a link whose target is gone says so
    and names the target; any other error gives the system's reason."""
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return Message(
            "is a link to {target}, which does not exist (a broken link)",
            target=file_label(target),
        )
    return Message("cannot be read: {reason}", reason=error.strerror or Message("read error"))


class NotAFile(OSError):
    """What `read_regular_file` was given is not a regular file (its strerror says what)."""


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path` (a link is followed).

    Opened with O_NONBLOCK, then checked with fstat() before any read, so a named pipe, a
    socket or a device put where a file was listed is refused (NotAFile) instead of stalling
    the caller until a writer comes. Raises NotAFile, TooLarge (over `limit` bytes) or the
    OSError of open/read (strerror says why).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotAFile(0, Message("is {kind}, not a file", kind=file_kind(status.st_mode)))
        if limit is not None and status.st_size > limit:
            raise TooLarge(status.st_size)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(descriptor)


class TooLarge(OSError):
    """A file over the size limit; `size` is its size in bytes."""

    def __init__(self, size: int):
        super().__init__(0, "too large")
        self.size = size


def _blank(value: object) -> bool:
    """True for an absent optional value: missing, null, or a text of only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


# The properties an event or area cannot be shown without, or whose absence would change what
# it says (an end left out would make a long event one day): text in them that cannot be stored
# leaves the feature out. Any other property holding such text is ignored, with a warning.
EVENT_REQUIRED = frozenset({"id", "title", "kind", "start", "end", "nations", "sources"})
AREA_REQUIRED = frozenset({"id", "name", "kind"})
# Optional properties whose own check keeps no text it has not matched against a pattern or a
# list (a count's name, a time, a date, a nation code, a number): text that cannot be stored
# never passes it, and it says so in its own terms (a bad count is left out alone, the other
# counts kept).
_CHECKED_ITEM_BY_ITEM = frozenset(
    {"counts", COORD_TIMES, "windows", "sides", "location_precision_km"}
)
_FIELD_ROOT = re.compile(r"[^.\[]*")
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def unstorable_reason(text: str) -> str | None:
    """Why `text` cannot be stored, or None when it can: a NUL character (U+0000), which
    PostgreSQL's text and jsonb refuse (docs: "the character with code zero cannot be in a
    string constant"), or a lone surrogate (U+D800–U+DFFF), which JSON can escape but UTF-8
    cannot encode (RFC 3629 §3)."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "holds a NUL character (U+0000), which cannot be stored"
    return (
        f"holds a lone surrogate (U+{ord(found.group()):04X}), which UTF-8 cannot encode, "
        "so it cannot be stored"
    )


def unstorable_text(name: str, value: object) -> tuple[str, str] | None:
    """The first text in property `name` (its value, nested lists and objects, their keys too)
    that cannot be stored, as (where, why): ("sources[1].url", "holds a NUL character …");
    None when every text can be. Iterative, so a value nested as deeply as JSON allows is
    fine; sources are numbered from 1 as the sources' own problems are, other lists from 0."""
    stack: list[tuple[str, object]] = [(name, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            reason = unstorable_reason(item)
            if reason:
                return where, reason
        elif isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                if isinstance(key, str) and unstorable_reason(key):
                    return where, f"has a name that {unstorable_reason(key)}"
                stack.append((f"{where}.{key}", inner))
        elif isinstance(item, list):
            first = 1 if where == "sources" else 0
            stack += [(f"{where}[{i + first}]", inner) for i, inner in enumerate(item)][::-1]
    return None


def _storable(properties: dict, required: frozenset, checks: _Checks, warnings: list) -> dict:
    """`properties` without the optional ones holding text that cannot be stored (each a
    warning: the field is ignored); such text in a `required` property is an error (the
    feature is left out), said once. Names that cannot be stored belong to no property the
    format reads and are ignored with a warning."""
    kept = properties
    for key, value in properties.items():
        if key in _CHECKED_ITEM_BY_ITEM:
            continue
        if isinstance(key, str) and unstorable_reason(key):
            found = (show_value(key, 40), f"a property name {unstorable_reason(key)}")
        else:
            found = unstorable_text(key, value)
        if found is None:
            continue
        where, reason = found
        if key in required:
            checks.errors.append(FeatureError(where, reason))
            checks.explained.add(key)
        else:
            warnings.append((where, f"{reason}; ignored"))
        if kept is properties:
            kept = dict(properties)
        del kept[key]
    return kept


def _properties(feature: object) -> dict:
    """The feature's properties, with its top-level id when the properties give none.

    RFC 7946 §3.2 puts a feature's identifier in a top-level "id" (a string or a number);
    this format keeps it in properties.id. A file written by QGIS or geojson.io has only the
    top-level one, which is then used as the event's id.
    """
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise FeatureError("type", Message('not a GeoJSON Feature (needs "type": "Feature")'))
    properties = feature.get("properties")
    if properties is None:
        raise FeatureError(
            "properties", Message("missing: a feature needs an object of properties")
        )
    if not isinstance(properties, dict):
        raise FeatureError(
            "properties",
            Message("{value} is not an object of properties", value=show_value(properties, 40)),
        )
    if "id" in feature and _blank(properties.get("id")):
        top_id = feature["id"]
        if isinstance(top_id, str) or (
            isinstance(top_id, (int, float))
            and not isinstance(top_id, bool)
            and math.isfinite(top_id)
        ):
            properties = {**properties, "id": str(top_id).strip()}
    return properties


def _check_duplicate_keys(feature: dict, properties: dict) -> None:
    errors = [
        FeatureError(key, Message("is written more than once; keep one (JSON keeps only the last)"))
        for owner in (feature, properties)
        for key in getattr(owner, "duplicate_keys", ())
    ]
    if errors:
        raise FeatureErrors(errors)


def _check_feature_members(feature: dict) -> None:
    errors = []
    if "id" in feature:
        top_id = feature["id"]
        if (
            isinstance(top_id, bool)
            or not isinstance(top_id, (str, int, float))
            or (isinstance(top_id, float) and not math.isfinite(top_id))
        ):
            errors.append(
                FeatureError(
                    "id",
                    Message(
                        "the feature's top-level id {value} is neither a string nor a number "
                        "(RFC 7946 §3.2)",
                        value=show_value(top_id),
                    ),
                )
            )
    for key in FEATURE_FOREIGN_MEMBERS:
        if key in feature:
            said = (
                Message(
                    'a Feature may not have "{key}" (RFC 7946 §7.1); put it in its geometry',
                    key=key,
                )
                if key == "coordinates"
                else Message(
                    'a Feature may not have "{key}" (RFC 7946 §7.1); put it in a FeatureCollection',
                    key=key,
                )
            )
            errors.append(FeatureError(key, said))
    if "bbox" in feature:
        try:
            check_bbox(feature["bbox"], "bbox")
        except FeatureError as error:
            errors.append(error)
    if errors:
        raise FeatureErrors(errors)


def _required_id(properties: dict) -> str:
    value = properties.get("id")
    if _blank(value):
        raise FeatureError(
            "id", Message('missing: give the feature a stable id such as "jcg-2024-07-18"')
        )
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise FeatureError(
            "id",
            Message(
                "{value} is not a valid id (lowercase letters, digits, '-', '_', '.'; "
                "at most 128 characters)",
                value=show_value(value),
            ),
        )
    return value


def _required_text(properties: dict, name: str) -> str:
    value = properties.get(name)
    if value is None:
        raise FeatureError(name, Message("missing"))
    if not isinstance(value, str) or not value.strip():
        raise FeatureError(
            name, Message("{value} is not a non-empty text", value=show_value(value))
        )
    _check_length(name, value, MAX_TITLE_CHARS)
    return value.strip()


def _check_length(name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise FeatureError(
            name,
            Message(
                "is {length} characters long; at most {limit}",
                length=format(len(value), ","),
                limit=format(limit, ","),
            ),
        )


def _optional_text(properties: dict, name: str, warnings: list) -> str | None:
    value = properties.get(name)
    if _blank(value):
        return None
    if isinstance(value, str):
        _check_length(name, value, MAX_TEXT_CHARS)
        return value.strip()
    warnings.append((name, Message("{value} is not text; ignored", value=show_value(value))))
    return None


def _text_list(properties: dict, name: str, warnings: list) -> list[str]:
    value = properties.get(name)
    if _blank(value):
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        warnings.append(
            (name, Message("{value} is not a list of texts; ignored", value=show_value(value)))
        )
        return []
    if len(value) > MAX_LIST_ITEMS or any(len(item) > MAX_TITLE_CHARS for item in value):
        warnings.append(
            (
                name,
                Message(
                    "over {items} items, or an item over {limit} characters; ignored",
                    items=str(MAX_LIST_ITEMS),
                    limit=str(MAX_TITLE_CHARS),
                ),
            )
        )
        return []
    return [item.strip() for item in value if item.strip()]


def _kind(properties: dict) -> str:
    value = properties.get("kind")
    if _blank(value):
        raise FeatureError("kind", Message("missing: one of {kinds}", kinds=", ".join(KINDS)))
    if not isinstance(value, str) or value not in KINDS:
        raise FeatureError(
            "kind",
            Message(
                "{value} is not one of {kinds}", value=show_value(value), kinds=", ".join(KINDS)
            ),
        )
    return value


def _area_kind(properties: dict) -> str:
    value = properties.get("kind")
    if not isinstance(value, str) or value not in AREA_KINDS:
        raise FeatureError(
            "kind",
            Message(
                "{value} is not one of {kinds}",
                value=show_value(value),
                kinds=", ".join(AREA_KINDS),
            ),
        )
    return value


def _period(value: object, name: str):
    """(first day, last day) of a date field, within COVERED_YEARS; FeatureError(name) if not."""
    try:
        first, last, _ = parse_period(value)
    except DateError as error:
        raise FeatureError(name, reason(error)) from None
    low, high = COVERED_YEARS
    if not low <= first.year <= high:
        outside = Message(
            "{value} is outside {low}–{high}, the years this dashboard covers",
            value=show_value(value),
            low=str(low),
            high=str(high),
        )
        if first.year >= 9000 or first.year <= 1:
            outside = (
                Message(
                    "{outside}; a placeholder such as 9999-12-31 is not a date: give the last "
                    "date known, or leave end out",
                    outside=outside,
                )
                if name == "end"
                else Message(
                    "{outside}; give the date as far as it is known (YYYY-MM or YYYY)",
                    outside=outside,
                )
            )
        raise FeatureError(name, outside)
    return first, last


def _start(properties: dict):
    """(text as written, first day, last day) of the start."""
    value = properties.get("start")
    if _blank(value):
        raise FeatureError(
            "start", Message("missing: when did it happen? (YYYY-MM-DD, YYYY-MM or YYYY)")
        )
    first, last = _period(value, "start")
    return value.strip(), first, last


def _end(properties: dict, start):
    """(text as written or "", last day the event covers); without `end`, the start's last day.

    `start` is what _start gave, or None when the start is wrong (the end is still checked).
    An end whose last day is before the start's first is an error; so is a timed end before a
    timed start (compared as UTC instants). An end with a time on the day of a date-only start
    is fine. Two times in different offsets may be in order while the end's written date is
    the day before the start's (23:30Z on 18 July is after 08:00+09:00 on 19 July): the event
    then covers the start's day, so its days never end before they begin.
    """
    value = properties.get("end")
    if _blank(value):
        if start is None:
            return None
        return "", start[2]
    _, end_last = _period(value, "end")
    if start is None:
        return value.strip(), end_last
    start_instant, end_instant = utc_instant(start[0]), utc_instant(value)
    if start_instant is not None and end_instant is not None:
        if end_instant < start_instant:
            raise FeatureError(
                "end",
                Message(
                    '"{end}" is before the start "{start}" (compared in UTC)',
                    end=value.strip(),
                    start=start[0],
                ),
            )
        return value.strip(), max(end_last, start[1])
    if end_last < start[1]:
        raise FeatureError(
            "end",
            Message('"{end}" is before the start "{start}"', end=value.strip(), start=start[0]),
        )
    return value.strip(), end_last


MAX_WINDOWS = 1000  # more than a year of daily windows


def event_windows(value: object, start, end, warnings: list) -> tuple[tuple[str, str], ...]:
    """The periods in force an event lists within its span (`windows`: a list of
    {"start", "end"} in the forms of `start` and `end`, each end given), as (start, end) texts
    as written; () when it gives none.

    `start` and `end` are what _start and _end gave (None when wrong: windows are then not
    checked against them). Windows are all or nothing: one that is not a period, ends before it
    starts or lies outside the event's days is a warning ("windows[3].end") and every window is
    ignored, since a list with one window missing would read as complete. Never raises.
    """
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        warnings.append(
            (
                "windows",
                Message("{value} is not a list of periods; ignored", value=show_value(value, 40)),
            )
        )
        return ()
    if len(value) > MAX_WINDOWS:
        warnings.append(
            (
                "windows",
                Message(
                    "{count} windows, over {limit}; ignored",
                    count=format(len(value), ","),
                    limit=format(MAX_WINDOWS, ","),
                ),
            )
        )
        return ()
    windows: list[tuple[str, str]] = []
    for index, window in enumerate(value):
        where = f"windows[{index}]"
        if not isinstance(window, dict) or set(window) != {"start", "end"}:
            warnings.append(
                (
                    where,
                    Message(
                        '{value} is not {{"start": …, "end": …}}; the windows are ignored',
                        value=show_value(window, 60),
                    ),
                )
            )
            return ()
        try:
            first = _start(window)
            last = _end(window, first)
        except FeatureError as error:
            warnings.append(
                (
                    f"{where}.{error.field}",
                    Message("{reason}; the windows are ignored", reason=reason(error)),
                )
            )
            return ()
        if start is not None and end is not None and (first[1] < start[1] or last[1] > end[1]):
            warnings.append(
                (
                    where,
                    Message(
                        "{start} to {end} is outside the event's days ({first} to {last}); "
                        "the windows are ignored",
                        start=str(window["start"]),
                        end=str(window["end"]),
                        first=start[0],
                        last=end[0] or start[0],
                    ),
                )
            )
            return ()
        windows.append((first[0], last[0]))
    return tuple(windows)


SIDES_IGNORED = "the sides are ignored: its nations count neither together nor against each other"


def _sides_ignored(said: str) -> str:
    """`said; ` + SIDES_IGNORED, as a Message."""
    return Message(
        "{reason}; the sides are ignored: its nations count neither together nor against "
        "each other",
        reason=said,
    )


def event_sides(
    value: object, nations: list[str] | None, warnings: list
) -> tuple[tuple[str, ...], ...] | None:
    """Who stood with whom in an event (`sides`: a list of sides, each a list of codes from
    its `nations`), as a tuple of sides, each a tuple of codes in the order written; None
    when the event gives none (absent, null or blank). docs/data-format.md, "Sides".

    `[]` says that no nation's side is known, and gives (). Sides are all or nothing, as
    windows are: a value that is not a list of lists, an empty side, a code that is not one of
    the event's `nations`, or a nation on two sides is one warning naming the place
    ("sides[1][0]") and gives () too: the event still loads, and its nations count neither as
    partners nor as opponents. Read without its sides, an exercise, port call or diplomacy
    event would count them all as partners, which the sides given may deny. `nations` is what
    _nations gave (None when wrong: the event is left out then, and sides are not read).
    Never raises.
    """
    if nations is None or _blank(value):
        return None
    if not isinstance(value, list):
        warnings.append(
            (
                "sides",
                _sides_ignored(
                    Message(
                        '{value} is not a list of sides, e.g. [["CHN"], ["JPN"]]',
                        value=show_value(value, 40),
                    )
                ),
            )
        )
        return ()
    if len(value) > len(nations):
        nations_counted = _count_words(len(nations), N_("{count} nation"), N_("{count} nations"))
        warnings.append(
            (
                "sides",
                _sides_ignored(
                    Message(
                        "{count} sides for {nations}",
                        count=format(len(value), ","),
                        nations=nations_counted,
                    )
                ),
            )
        )
        return ()
    sides: list[tuple[str, ...]] = []
    placed: dict[str, int] = {}
    for index, side in enumerate(value):
        where = f"sides[{index}]"
        if not isinstance(side, list) or not side:
            what = (
                Message("an empty side")
                if side == []
                else Message("{value} is not a list", value=show_value(side, 40))
            )
            said = Message("{what}: a side lists nation codes", what=what)
            warnings.append((where, _sides_ignored(said)))
            return ()
        codes: list[str] = []
        for position, code in enumerate(side):
            here = f"{where}[{position}]"
            if not isinstance(code, str) or code not in nations:
                if isinstance(code, str) and code in NATION_NAMES:
                    said = Message(
                        '"{code}" is not one of the event\'s nations ({nations})',
                        code=code,
                        nations=", ".join(nations),
                    )
                else:
                    guess = nation_code(code) if isinstance(code, str) else None
                    said = _not_a_code(show_value(code, 40), guess)
                warnings.append((here, _sides_ignored(said)))
                return ()
            if code in placed and placed[code] != index:
                warnings.append(
                    (
                        here,
                        _sides_ignored(
                            Message(
                                '"{code}" is on two sides ({first} and {second})',
                                code=code,
                                first="sides[" + str(placed[code]) + "]",
                                second=where,
                            )
                        ),
                    )
                )
                return ()
            if code not in codes:
                codes.append(code)
                placed[code] = index
        sides.append(tuple(codes))
    return tuple(sides)


def _nations(properties: dict) -> list[str]:
    value = properties.get("nations")
    if value is None:
        raise FeatureError(
            "nations", Message("missing: list the participants' ISO 3166-1 alpha-3 codes")
        )
    if not isinstance(value, list) or not value:
        raise FeatureError(
            "nations", Message("{value} is not a non-empty list of codes", value=show_value(value))
        )
    codes: list[str] = []
    wrong: list[tuple[str, str | None]] = []
    for item in value:
        if isinstance(item, str) and item in NATION_NAMES:
            if item not in codes:
                codes.append(item)
            continue
        guess = nation_code(item) if isinstance(item, str) else None
        wrong.append((show_value(item, 40), guess))
    if len(wrong) == 1:
        raise FeatureError("nations", _not_a_code(*wrong[0]))
    if wrong:
        listed = [
            Message('{value} (did you mean "{guess}"?)', value=text, guess=guess) if guess else text
            for text, guess in wrong[:10]
        ]
        raise FeatureError(
            "nations",
            Message(
                "{values} are not ISO 3166-1 alpha-3 codes",
                values=_joined(listed),
            ),
        )
    return codes


def _not_a_code(value_text: str, guess: str | None) -> str:
    """`value_text` is not a nation code, with the code it was likely meant to be."""
    if guess:
        return Message(
            '{value} is not an ISO 3166-1 alpha-3 code (did you mean "{guess}"?)',
            value=value_text,
            guess=guess,
        )
    return Message("{value} is not an ISO 3166-1 alpha-3 code", value=value_text)


def _joined(parts: list[str]) -> str:
    """Texts joined with ", ", a Message whose parts are translated each when any is one."""
    if not any(hasattr(part, "template") for part in parts):  # no Message among them
        return ", ".join(parts)
    # A template made here would be in no catalogue: the parts are chained by one that is.
    return chained(N_("{first}, {rest}"), parts)


def _count_words(count: int, singular: str, plural_form: str) -> str:
    """A count with its noun ("1 text", "3 texts") as a Message: the singular or the plural
    form by the English rule (Chinese and Japanese have one form, the same for both ids)."""
    return Message(singular if count == 1 else plural_form, count=format(count, ","))


# The nouns a problem names a feature by (feature_label), for the catalogue.
FEATURE_NOUNS = (N_("feature"), N_("row"), N_("record"), N_("area"))


def _noun(noun: str) -> str:
    """The noun a problem names a feature by ("feature", "row", "record"…), as a Message."""
    return Message(noun)


def _ignored(said: str) -> str:
    """`said; ignored` as a Message."""
    return Message("{reason}; ignored", reason=said)


def _area(properties: dict, area_ids: set[str] | None, warnings: list) -> str:
    """The id of the named area the event belongs to, or "" for none."""
    value = properties.get("area")
    if _blank(value):
        return ""
    if not isinstance(value, str):
        warnings.append(
            ("area", Message("{value} is not an area id; ignored", value=show_value(value)))
        )
        return ""
    value = value.strip()
    if area_ids is not None and value not in area_ids:
        warnings.append(
            ("area", Message('no named area has the id "{id}"; ignored', id=clip(value)))
        )
        return ""
    return value


def _precision_km(properties: dict, warnings: list) -> float | None:
    value = properties.get("location_precision_km")
    if _blank(value):
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
                Message(
                    "{value} is not a distance in km (0–20000); ignored", value=show_value(value)
                ),
            )
        )
        return None
    return float(value)


def _sources(properties: dict, summary: str, warnings: list) -> list[dict]:
    value = properties.get("sources")
    if value is None:
        raise FeatureError(
            "sources",
            Message("missing: list where this comes from (may be [] if the summary says why)"),
        )
    if not isinstance(value, list):
        raise FeatureError(
            "sources", Message("{value} is not a list of sources", value=show_value(value))
        )
    if not value and not summary.strip():
        raise FeatureError(
            "sources", Message("empty: give a source, or say in the summary why there is none")
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
                (
                    name,
                    Message(
                        'a source needs a "title" of 1–{limit} characters; ignored',
                        limit=str(MAX_TITLE_CHARS),
                    ),
                )
            )
            continue
        source = {"title": item["title"].strip()}
        for key in ("publisher", "published", "url"):
            text = item.get(key)
            if _blank(text):
                continue
            if not isinstance(text, str) or len(text) > MAX_URL_CHARS:
                warnings.append(
                    (
                        f"{name}.{key}",
                        Message(
                            "{value} is not text of at most 2,000 characters; ignored",
                            value=show_value(text),
                        ),
                    )
                )
            elif key == "published" and not _is_date(text):
                warnings.append(
                    (
                        f"{name}.{key}",
                        Message(
                            "{value} is not a date (YYYY-MM-DD, YYYY-MM or YYYY); ignored",
                            value=show_value(text),
                        ),
                    )
                )
            elif key == "url" and not is_web_url(text):
                warnings.append(
                    (
                        f"{name}.{key}",
                        Message(
                            "{value} is not an http(s) address; ignored", value=show_value(text)
                        ),
                    )
                )
            else:
                source[key] = text.strip()
        sources.append(source)
    if value and not sources and not summary.strip():
        raise FeatureError(
            "sources",
            Message("no usable source: give one with a title, or say in the summary why"),
        )
    return sources


COUNT_NAME_WORDS = Message(
    "lowercase letters, digits and _, starting with a letter, at most 40 characters"
)


def event_counts(value: object, warnings: list) -> dict[str, int]:
    """The valid counts of an event's `counts` object, by name ({} when it gives none).

    A count that cannot be taken as it is written is left out with a warning (field
    "counts.<name>", or "counts" for the object or a name) and the other counts and the event
    are kept: a wrong count must never be shown, and a typo in one number should not hide the
    event. Taken: names of COUNT_NAME_PATTERN, whole numbers 0…MAX_COUNT (45.0 is 45; 45.5,
    -1, true and "45" are not). Refused whole: a value that is not an object, and an object of
    over MAX_COUNT_NAMES names. A null (or blank) object or count is absent, not a problem.
    """
    if _blank(value):
        return {}
    if not isinstance(value, dict):
        warnings.append(
            (
                "counts",
                Message(
                    '{value} is not an object of counts by name (e.g. {{"aircraft": 45}}); ignored',
                    value=show_value(value, 40),
                ),
            )
        )
        return {}
    if len(value) > MAX_COUNT_NAMES:
        warnings.append(
            (
                "counts",
                Message(
                    "holds {count} names, over {limit}; all ignored",
                    count=format(len(value), ","),
                    limit=str(MAX_COUNT_NAMES),
                ),
            )
        )
        return {}
    repeated = set(getattr(value, "duplicate_keys", ()))
    counts: dict[str, int] = {}
    for name, number in value.items():
        if not isinstance(name, str) or not _COUNT_NAME_RE.fullmatch(name):
            warnings.append(("counts", _count_name_problem(name)))
            continue
        where = f"counts.{name}"
        if name in repeated:
            warnings.append(
                (where, Message("is written more than once (JSON keeps only the last); ignored"))
            )
            continue
        if number is None:
            continue
        try:
            counts[name] = whole_count(number)
        except ValueError as error:
            warnings.append((where, _ignored(reason(error))))
    return counts


def whole_count(value: object) -> int:
    """A JSON value as a count: a whole number from 0 to MAX_COUNT (45 or 45.0). Raises
    ValueError saying why not, in words for the analyst."""
    if isinstance(value, TooLargeNumber) or (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > MAX_COUNT
    ):
        raise ValueError(
            Message(
                "{value} is over {limit}, more than any report counts",
                value=show_value(value),
                limit=format(MAX_COUNT, ","),
            )
        )
    if isinstance(value, str):
        raise ValueError(
            Message(
                "{value} is text, not a number: write the number unquoted", value=show_value(value)
            )
        )
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
        or value != int(value)
    ):
        raise ValueError(
            Message("{value} is not a whole number of 0 or more", value=show_value(value))
        )
    return int(value)


def _count_name_problem(name: str) -> str:
    """Why `name` is not a count name, with the name it was likely meant to be."""
    guess = re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")
    if guess != name and _COUNT_NAME_RE.fullmatch(guess):
        return Message(
            '{value} is not a count name ({rule}); did you mean "{guess}"?; ignored',
            value=show_value(name, 50),
            rule=COUNT_NAME_WORDS,
            guess=guess,
        )
    return Message(
        "{value} is not a count name ({rule}); ignored",
        value=show_value(name, 50),
        rule=COUNT_NAME_WORDS,
    )


def is_web_url(text: str) -> bool:
    """True for an absolute http or https address: the only kind that becomes a link."""
    return bool(re.match(r"^https?://[^\s/$.?#][^\s]*$", text.strip(), re.IGNORECASE))


def _is_date(text: str) -> bool:
    try:
        parse_period(text)
    except DateError:
        return False
    return True


def data_fingerprint(root: Path) -> tuple:
    """What the cache is keyed on: every data file's path, size and modification time (an
    entry that cannot be looked at, such as a broken link, as -1 and its error). Never raises:
    the load it keys names what is wrong."""
    files = []
    for sub in ("events", "areas"):
        folder = root / sub
        try:
            paths = sorted(folder.iterdir()) if folder.is_dir() else []
        except OSError as error:
            files.append((sub, "", -1, error.errno or 0))
            continue
        for path in paths:
            if path.suffix.lower() in GEOJSON_SUFFIXES:
                try:
                    status = path.stat()
                except OSError as error:
                    files.append((path.name, sub, -1, error.errno or 0))
                    continue
                files.append((path.name, sub, status.st_size, status.st_mtime_ns))
    return tuple(files)
