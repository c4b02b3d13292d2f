"""Many rows, one event: a mapping's `[geometry] group` (docs/import.md, "Tracks").

An incident traced by AIS comes as one row per position. `group = "Incident"` gathers the rows
that write the same value in that column into one event whose geometry is their positions in
order: a LineString (a Point when the group has one position). With `time = "Time"` the
positions are put in time order, the event's dates are the dates of its first and last time
(as the rows write them, in their own zone) and its `coordTimes` are the times in UTC; with
`split_gap = "6h"` a gap longer than that between two positions starts a new event (a voyage),
whose id gets "-2", "-3"… Without `time`, the positions keep the rows' order and the event's
dates run from the earliest start to the latest end its rows give.

The rule for the other fields: a field that is one value (id, title, kind, summary, area,
location precision, nations) must be the same in every row that gives it, or the group is a
problem naming two rows that disagree; a row that leaves it empty agrees with any. Lists that
gather (forces, organisations) and the sources are the union of the rows', in order of first
appearance. A summary is never put together from several rows.

A row that cannot be read (a latitude that is no number, a time without a zone) is left out
of its group with a problem naming it; the rest of the group still makes its event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from layers.dates import DateError, ZoneError, normal_offset, parse_period
from layers.i18n import N_, Message
from layers.read.load import collect_features, parse_event
from layers.read.schema import FeatureError, FeatureErrors, Problem, clip, reason, show_value
from layers.read.tracks import TimeError, gap_seconds, seconds, split_time, utc_time

# Fields each row may give that must be one value for the event.
ONE_VALUE = ("title", "kind", "summary", "area", "location_precision_km", "nations")
# Lists gathered from every row (their union, in order of first appearance).
GATHERED = ("organisations", "forces")
MAX_ID = 128


@dataclass
class _Position:
    """One row of a group: its number, what the mapping read from it, its position and (with
    `time`) its time as UTC text and as the event format writes it, in the row's zone."""

    number: int
    properties: dict
    warnings: list[tuple[str, str]]
    lon: float
    lat: float
    utc: str | None = None
    written: str | None = None


def import_groups(kept, reader, noun, label, area_ids, taken, problems) -> list[dict]:
    """The events a grouped mapping makes of the rows `kept` ((number, row) pairs): valid
    event rows (layers.read.load.parse_event), every problem appended to `problems`.

    `reader` is the mapping's row reader (layers.read.mapping._RowReader); `taken` the event
    rows whose ids are in use. Never raises for anything in the rows.
    """
    geometry = reader.mapping.geometry
    group_column = str(geometry["group"])
    time_column = geometry.get("time")
    gap = gap_seconds(str(geometry["split_gap"])) if "split_gap" in geometry else None
    groups: dict[str, list[_Position]] = {}
    for number, row in kept:
        name = Message("{noun} #{index}", noun=Message(noun), index=str(number))
        try:
            key, position = _position(reader, number, row, group_column, time_column)
        except FeatureError as error:
            for each in getattr(error, "errors", (error,)):
                problems.append(Problem(label, reason(each), name, each.field))
            continue
        except Exception:  # the door never breaks: a failing check costs this row only
            problems.append(Problem(label, Message("could not be read; left out"), name))
            continue
        groups.setdefault(key, []).append(position)

    items, labels, numbers = [], [], []
    for key, positions in groups.items():
        moments = None
        if time_column is not None:
            moments = seconds([position.utc for position in positions])
            order = sorted(range(len(positions)), key=lambda at: moments[at])  # stable
            positions = [positions[at] for at in order]
            moments = moments[order]
        voyages = _voyages(positions, moments, gap)
        for part, voyage in enumerate(voyages, start=1):
            items.append((key, part, voyage))
            rows = sorted(position.number for position in voyage)
            labels.append(_group_label(group_column, key, part, len(voyages) > 1, noun, rows))
            numbers.append(rows[0])

    def parse(item):
        key, part, voyage = item
        feature, warnings = _group_feature(reader, key, part, voyage, time_column is not None, noun)
        event, more = parse_event(feature, area_ids)
        return event, [*warnings, *more]

    return collect_features(
        items, label, parse, taken, problems, noun=noun, numbers=numbers, labels=labels
    )


def _group_label(column: str, key: str, part: int, voyages: bool, noun: str, rows) -> str:
    """How a problem names a group's event: `ship "Shandong" voyage 2 (rows 4–9)`."""
    group = Message("{column} {value}", column=column, value=show_value(clip(key, 60)))
    if voyages:
        group = Message("{group} voyage {part}", group=group, part=str(part))
    if len(rows) > 1:
        span = Message(
            "{nouns} {first}–{last}",
            nouns=Message(_PLURAL_NOUNS.get(noun, noun + "s")),
            first=str(rows[0]),
            last=str(rows[-1]),
        )
    else:
        span = Message("{noun} {index}", noun=Message(noun), index=str(rows[0]))
    return Message("{group} ({span})", group=group, span=span)


# The plural of each noun a problem names rows by (layers.read.table.Table.noun).
_PLURAL_NOUNS = {"row": N_("rows"), "feature": N_("features"), "record": N_("records")}


def _position(reader, number, row, group_column, time_column):
    """(group value, _Position) of one row; FeatureErrors for all that cannot be read."""
    errors: list[FeatureError] = []
    key = row.get(group_column, "").strip()
    if not key:
        errors.append(
            FeatureError(
                "group",
                Message("{column} is empty: the row is in no group", column=group_column),
            )
        )
    feature = warnings = None
    try:
        feature, warnings = reader.feature(number, row)
    except FeatureError as error:
        errors += getattr(error, "errors", [error])
    utc = written = None
    if time_column is not None:
        try:
            utc, written = _row_time(row.get(str(time_column), ""), reader.offset_at)
        except TimeError as error:
            errors.append(FeatureError("time", reason(error)))
    if feature is not None and feature["geometry"]["type"] != "Point":
        errors.append(
            FeatureError(
                "geometry",
                Message(
                    "a {type}: each row of a group gives one position",
                    type=feature["geometry"]["type"],
                ),
            )
        )
    if errors:
        raise FeatureErrors(
            [
                FeatureError(
                    error.field,
                    Message(
                        "{reason}; left out of its event (group {group})",
                        reason=reason(error),
                        group=show_value(clip(key, 60)),
                    )
                    if key
                    else Message("{reason}; left out of its event", reason=reason(error)),
                )
                for error in errors
            ]
        )
    lon, lat = feature["geometry"]["coordinates"]
    return key, _Position(number, feature["properties"], warnings, lon, lat, utc, written)


def _row_time(text: str, offset_at) -> tuple[str, str]:
    """(UTC text, the time as the event format writes it) of a row's time. A time written
    without a zone takes the offset the mapping's [source] timezone had then (`offset_at`, the
    row reader's); without one it is refused (tracks.utc_time): never taken as UTC."""
    text = text.strip()
    if not text:
        raise TimeError(Message("empty: each row of a timed group needs its time"))
    local, zone = split_time(text)
    if zone is None:
        try:
            zone = offset_at(dt.datetime.fromisoformat(local.partition(".")[0]))
        except ZoneError as error:  # the clocks changed then, or an offset of seconds
            raise TimeError(
                Message("{value} {reason}", value=show_value(clip(text, 40)), reason=reason(error))
            ) from None
        except ValueError:
            raise TimeError(
                Message("{value} is not a time that exists", value=show_value(clip(text, 40)))
            ) from None
        if zone is None:
            raise TimeError(
                Message(
                    "{value} has no time zone: give the list's zone as [source] timezone "
                    '("UTC", "+09:00", "Asia/Taipei"); a time without one is never taken as UTC',
                    value=show_value(clip(text, 40)),
                )
            )
    utc = utc_time(local + zone)
    # As the event format writes start and end: to the second at most (coordTimes keep the
    # fraction), the offset as Z or ±HH:MM.
    return utc, local.partition(".")[0] + normal_offset(zone)


def _voyages(positions: list[_Position], moments, gap: float | None) -> list[list[_Position]]:
    """The positions cut where the time between two is longer than `gap` seconds."""
    if gap is None or moments is None or len(positions) < 2:
        return [positions]
    voyages, start = [], 0
    for at in range(1, len(positions)):
        if moments[at] - moments[at - 1] > gap:
            voyages.append(positions[start:at])
            start = at
    voyages.append(positions[start:])
    return voyages


def _group_feature(
    reader, key: str, part: int, voyage: list[_Position], timed: bool, noun: str = "row"
):
    """One group's (or voyage's) rows as an event feature and its warnings; FeatureErrors
    when rows disagree on a field that is one value."""
    errors: list[FeatureError] = []
    warnings = [
        (
            field,
            Message(
                "{noun} {index}: {message}",
                noun=Message(noun),
                index=str(position.number),
                message=message,
            ),
        )
        for position in voyage
        for field, message in position.warnings
    ]
    properties: dict[str, object] = {}
    for field in ONE_VALUE:
        value = _one_value(field, voyage, errors, noun)
        if value is not None:
            properties[field] = value
    for field in GATHERED:
        gathered = list(
            dict.fromkeys(
                item for position in voyage for item in position.properties.get(field, ())
            )
        )
        if gathered:
            properties[field] = gathered
    sources = {}
    for position in voyage:
        for source in position.properties.get("sources", ()):
            sources.setdefault(json.dumps(source, sort_keys=True), source)
    properties["sources"] = list(sources.values())
    if "id" in reader.mapping.fields:
        event_id = _one_value("id", voyage, errors, noun)
    else:
        digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:10]
        event_id = f"{(reader.id_prefix or 'group')[:100].rstrip('-._')}-{digest}"
    if event_id and part > 1:
        event_id = f"{event_id[: MAX_ID - len(str(part)) - 1]}-{part}"
    properties["id"] = event_id or ""
    if timed:
        first, last = voyage[0].written, voyage[-1].written
        properties["start"] = first
        if last != first:
            properties["end"] = last
    else:
        properties.update(_span(voyage))
    positions = [[position.lon, position.lat] for position in voyage]
    if len(positions) == 1:
        geometry = {"type": "Point", "coordinates": positions[0]}
    else:
        geometry = {"type": "LineString", "coordinates": positions}
        if timed:
            properties["coordTimes"] = [position.utc for position in voyage]
    if errors:
        raise FeatureErrors(errors)
    return {"type": "Feature", "properties": properties, "geometry": geometry}, warnings


def _one_value(field: str, voyage: list[_Position], errors: list[FeatureError], noun: str):
    """The value the rows that give `field` agree on (None when none gives it); a problem
    naming two rows when they do not agree. Nations agree as sets."""
    seen: dict[object, tuple[int, object]] = {}
    for position in voyage:
        value = position.properties.get(field)
        if value in (None, "", []):
            continue
        same = frozenset(value) if isinstance(value, list) else value
        seen.setdefault(same, (position.number, value))
    if len(seen) > 1:
        (first, one), (second, other) = list(seen.values())[:2]
        errors.append(
            FeatureError(
                field,
                Message(
                    "the {nouns} of one event disagree: {noun} {first} gives {one}, {noun} "
                    "{second} gives {other} ({count} values); give one value, or leave it empty "
                    "in the other {nouns}",
                    nouns=Message(_PLURAL_NOUNS.get(noun, noun + "s")),
                    noun=Message(noun),
                    first=str(first),
                    one=show_value(one, 40),
                    second=str(second),
                    other=show_value(other, 40),
                    count=format(len(seen), ","),
                ),
            )
        )
        return None
    return next(iter(seen.values()))[1] if seen else None


def _span(voyage: list[_Position]) -> dict[str, str]:
    """Without times: start the earliest start the rows give, end the latest end (or start)."""
    starts, ends = [], []
    for position in voyage:
        start = position.properties.get("start")
        end = position.properties.get("end") or start
        for text, bucket, at in ((start, starts, 0), (end, ends, 1)):
            if not text:
                continue
            try:
                bucket.append((parse_period(text)[at], text))
            except DateError:
                continue  # the row's own date is checked with the event
    span: dict[str, str] = {}
    if starts:
        span["start"] = min(starts, key=lambda pair: pair[0])[1]
    if ends:
        _, end = max(ends, key=lambda pair: pair[0])
        if "start" in span and end != span["start"]:
            span["end"] = end
    return span
