"""GPX 1.0 and 1.1 (Topografix, https://www.topografix.com/GPX/1/1/) read from the XML text.

Read here rather than through GDAL's GPX driver because that driver rewrites times
(`08:00:00.5+09:00` comes back as `08:00:00.500+09:00`) and gives a track's times only as a
separate layer of points to join back; here every time is the text the file holds.

Rows, in document order, with their kind in the column `layer`:

- `waypoints`: one per `wpt`, a Point, with `name`, `cmt`, `desc`, `src`, `link` (the first
  link's address; GPX 1.0's `url`), `sym`, `type`, `ele` and `time` as written;
- `routes`: one per `rte`, a LineString through its `rtept`s (a Point if it has one), with
  `name`, `cmt`, `desc`, `src`, `link`, `number`, `type`, and `start_time`/`end_time`: the
  first and last times its points write;
- `tracks`: one per `trk`: its segments as a MultiLineString (a LineString when it has one
  segment), with the same columns as a route. A segment of one point cannot be a line: it is
  left out of the geometry with a warning for the track.

Times are xsd:dateTime (UTC by the GPX 1.1 schema); the offset a file writes is kept as
written, never converted. Extensions (`<extensions>`, Garmin's and others') are not read.
A route's or track's Feature keeps the time of each of its points in `times`, and those of the
segments that are lines in the column `coordTimes` (as JSON, togeojson's form: see
georows.Feature.keep_track_times), so a mapping makes the track one event with its times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely

from layers.i18n import N_, Message
from layers.read.georows import (
    Feature,
    GeometryText,
    Reading,
    line_or_point,
    number,
    where,
)
from layers.read.schema import Problem, chained, counted_message, reason
from layers.read.xmldoc import Node, parse_xml

WAYPOINT_COLUMNS = ("name", "cmt", "desc", "src", "link", "sym", "type", "ele", "time")
LINE_COLUMNS = ("name", "cmt", "desc", "src", "link", "number", "type", "start_time", "end_time")
GPX_COLUMNS = tuple(dict.fromkeys([*WAYPOINT_COLUMNS, *LINE_COLUMNS]))
LAYERS = {"wpt": "waypoints", "rte": "routes", "trk": "tracks"}


@dataclass
class Point:
    """One position of a GPX file with its `time` as written ("" when it has none)."""

    lon: float
    lat: float
    time: str


@dataclass
class Track:
    """A route or track: its cells and its points, one list per segment (a route has one)."""

    cells: dict[str, str]
    segments: list[list[Point]] = field(default_factory=list)
    # Why the points cannot be read (a latitude that is no number), or None.
    unreadable: str | None = None


def read_gpx(raw: bytes, label: str, member: str | None = None) -> Reading:
    """Waypoints, routes and tracks of a GPX document as rows; `member` is its path when it
    comes from an archive. Never raises."""
    reading = Reading(columns=["layer", *GPX_COLUMNS])
    root, problem = parse_xml(raw)
    if root is None:
        reading.problems.append(
            Problem(
                label,
                where(member, Message("cannot be read as GPX: {reason}", reason=problem)),
            )
        )
        return reading
    if root.name != "gpx":
        reading.problems.append(
            Problem(
                label,
                where(
                    member,
                    Message("is XML but not GPX (its root is <{root}>)", root=root.name),
                ),
            )
        )
        return reading
    counts = {name: 0 for name in LAYERS.values()}
    for node in root.children:
        if node.name == "wpt":
            reading.features.append(_waypoint(node))
        elif node.name in ("rte", "trk"):
            reading.features.append(_line(_track(node), LAYERS[node.name]))
        else:
            continue
        counts[LAYERS[node.name]] += 1
    if member:
        for feature in reading.features:
            feature.layer = f"{member}/{feature.layer}"
    if not reading.features:
        reading.problems.append(
            Problem(
                label,
                where(member, Message("holds no waypoints, routes or tracks")),
                skipped=False,
            )
        )
    else:
        read = chained(
            N_("{first}, {rest}"),
            [counted_message(count, *COUNTED[name]) for name, count in counts.items() if count],
        )
        reading.notes.append(where(member, Message("GPX: read {things}", things=read)))
    return reading


def _texts(node: Node, columns: tuple[str, ...]) -> dict[str, str]:
    cells = {column: node.child_text(column) or "" for column in columns}
    if "link" in cells:
        link = node.child("link")
        href = link.attribute("href") if link is not None else None
        cells["link"] = (href or node.child_text("url") or "").strip()  # GPX 1.0: url
    return cells


# Each layer's count in a note ("2 waypoints"), singular and plural.
COUNTED = {
    "waypoints": (N_("{count} waypoint"), N_("{count} waypoints")),
    "routes": (N_("{count} route"), N_("{count} routes")),
    "tracks": (N_("{count} track"), N_("{count} tracks")),
}


def _position(node: Node, what: str) -> Point:
    lat = number((node.attribute("lat") or "").strip(), Message("the lat of the {what}", what=what))
    lon = number((node.attribute("lon") or "").strip(), Message("the lon of the {what}", what=what))
    return Point(lon, lat, node.child_text("time") or "")


def _waypoint(node: Node) -> Feature:
    feature = Feature(_texts(node, WAYPOINT_COLUMNS), layer="waypoints")
    try:
        point = _position(node, Message("waypoint"))
    except GeometryText as error:
        feature.unreadable = reason(error)
        return feature
    feature.shape = shapely.Point(point.lon, point.lat)
    return feature


def _track(node: Node) -> Track:
    """A `rte` (its `rtept`s, one segment) or a `trk` (its `trkseg`s of `trkpt`s)."""
    track = Track(_texts(node, LINE_COLUMNS[:-2]))
    if node.name == "rte":
        segments = [node.all("rtept")]
    else:
        segments = [segment.all("trkpt") for segment in node.all("trkseg")]
    try:
        track.segments = [
            [
                _position(point, Message("point {index}", index=str(index)))
                for index, point in enumerate(points, 1)
            ]
            for points in segments
        ]
    except GeometryText as error:
        track.unreadable = reason(error)
    return track


def _line(track: Track, layer: str) -> Feature:
    """A route or track as a row: its lines, the first and last times its points write, and
    every point's time (Feature.times)."""
    feature = Feature(dict(track.cells), layer=layer)
    feature.times = [[point.time for point in segment] for segment in track.segments]
    written = [time for times in feature.times for time in times if time]
    feature.cells["start_time"] = written[0] if written else ""
    feature.cells["end_time"] = written[-1] if written else ""
    if track.unreadable:
        feature.unreadable = track.unreadable
        return feature
    parts = [[(point.lon, point.lat) for point in segment] for segment in track.segments]
    parts = [part for part in parts if part]
    lines = [part for part in parts if len(part) >= 2]
    if not lines:
        feature.shape = line_or_point([position for part in parts for position in part])
        if len(parts) > 1:  # several one-point segments: the points, not a line
            feature.shape = shapely.MultiPoint([part[0] for part in parts])
        return feature
    if len(lines) < len(parts):
        segments = counted_message(
            len(parts) - len(lines), N_("{count} segment"), N_("{count} segments")
        )
        feature.warnings.append(
            (
                "geometry",
                Message(
                    "{segments} of one point left out of the line (a line needs two points)",
                    segments=segments,
                ),
            )
        )
    feature.shape = (
        shapely.LineString(lines[0]) if len(lines) == 1 else shapely.MultiLineString(lines)
    )
    # The times of the segments that are lines, as the column coordTimes.
    feature.keep_track_times([times for times in feature.times if len(times) >= 2])
    return feature
