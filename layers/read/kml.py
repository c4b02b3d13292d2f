"""KML and KMZ (OGC 07-147r2, KML 2.2; Google's gx extensions) read from their XML text.

Read here rather than through GDAL because GDAL's KML and LIBKML drivers turn time text into
typed values and cannot give the text back: a TimeSpan `<begin>2024-06</begin>` comes back as
2024-06-01 (a day the file does not say), `<when>2023</when>` as nothing, and every TimeStamp
converted to UTC; and a KMZ whose layers sit behind NetworkLinks (as LIBKML writes it) gives
nothing at all. Here every time is the text the file holds, stripped, at the precision it is
written, with its own UTC offset.

One row per Placemark (in document order, followed through NetworkLinks inside the archive):

- `layer`: the path of Folder, Document and NetworkLink names above it ("Patrols/2024"); the
  top Document or Folder of each file names the file, not a layer, and is left out;
- `id` (the Placemark's XML id), `Name`, `description` (as GDAL's LIBKML driver names them;
  its HTML, which KML allows, as the plain text it shows: layers.read.htmltext),
  `timestamp` (TimeStamp `when`), `begin` and `end` (TimeSpan; for a gx:Track or gx:MultiTrack
  without a TimeSpan, its first and last `when`), and for a gx:Track or gx:MultiTrack drawn as
  lines, `coordTimes`: every `when` as written, as JSON in togeojson's form (one list per
  track; see georows.Feature.keep_track_times);
- every ExtendedData `Data`/`value` and `SchemaData`/`SimpleData` by its name: a name taken by
  the columns above or by `layer` and `geometry` gets " (ExtendedData)" added, and a name a
  placemark writes twice keeps each value, the second as "Country (2)"; both said in a note;
- its geometry as WKT: Point, LineString, LinearRing (a closed line), Polygon with its inner
  boundaries, MultiGeometry (Multi* when its parts are of one kind, else a
  GEOMETRYCOLLECTION), gx:Track (a line) and gx:MultiTrack (several lines). Altitudes are
  dropped. A geometry that cannot be read (a ring not closed, a coordinate that is no number)
  makes the row's geometry a cell of unknown value with the reason, never a guess.

NetworkLinks are followed only to files inside the same archive; a link to http(s), to a path
outside the archive, or from a lone .kml is named in a note and never fetched. Overlays
(pictures draped on the map), tours and models are named in a note and not read.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import shapely

from layers.i18n import N_, Message
from layers.read.georows import (
    Archive,
    Feature,
    GeometryText,
    Reading,
    free_column,
    line_or_point,
    normal_path,
    number,
    where,
)
from layers.read.htmltext import html_text
from layers.read.schema import Problem, chained, clip, counted_message, plural, reason
from layers.read.xmldoc import Node, parse_xml

KML_COLUMNS = ("id", "Name", "description", "timestamp", "begin", "end")
# Names an ExtendedData value may not take: the columns above and those every feature gets
# (layers.read.geo: its layer and its geometry).
TAKEN_COLUMNS = (*KML_COLUMNS, "layer", "geometry")
CONTAINERS = ("Document", "Folder")
OVERLAYS = ("GroundOverlay", "ScreenOverlay", "PhotoOverlay")
GEOMETRIES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
    "Track",
    "MultiTrack",
    "Model",
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class _Walk:
    """The state of reading one upload's KML: what was read, and the documents already read
    (shared by every document of one archive, so a document two links reach is read once)."""

    label: str
    archive: Archive | None
    member: str | None = None
    reading: Reading = field(default_factory=Reading)
    visited: set[str] = field(default_factory=set)
    skipped: dict[str, int] = field(default_factory=dict)
    # ExtendedData names given another column (name -> column), said once in a note.
    renamed: dict[str, str] = field(default_factory=dict)
    repeated: dict[str, str] = field(default_factory=dict)

    def shown(self, path: str | None) -> str | None:
        """How messages name a document: its path, after the archive's own when nested."""
        if path is None:
            return self.member
        return f"{self.member}/{path}" if self.member else path


def read_kml(raw: bytes, label: str) -> Reading:
    """The Placemarks of a lone KML document (its NetworkLinks are only named). Never
    raises."""
    walk = _Walk(label, None)
    _read_document(walk, raw, None, ())
    _say_skipped(walk)
    return walk.reading


def read_kmz(archive: Archive, label: str, member: str | None = None) -> Reading:
    """The Placemarks of a KMZ: its root document (doc.kml, else the first .kml in the
    archive, as Google Earth takes it) and the documents its NetworkLinks reach inside the
    archive. Other .kml files no link reaches are named in a note. `member` is the KMZ's path
    when it sits in another archive. Never raises."""
    walk = _Walk(label, archive, member)
    documents = [path for path in archive.members if path.lower().endswith(".kml")]
    if not documents:
        walk.reading.problems.append(
            Problem(label, where(member, Message("holds no .kml document")))
        )
        return walk.reading
    root = "doc.kml" if "doc.kml" in archive.members else documents[0]
    _read_document(walk, archive.read(root), root, (member,) if member else ())
    unread = [path for path in documents if path not in walk.visited]
    if unread:
        template = (
            N_(
                "{paths} is in the archive but no link from {root} reaches it; not read (Google "
                "Earth does not show it either)"
            )
            if len(unread) == 1
            else N_(
                "{paths} are in the archive but no link from {root} reaches them; not read "
                "(Google Earth does not show them either)"
            )
        )
        walk.reading.notes.append(
            where(member, Message(template, paths=_listed(unread), root=root))
        )
    _say_skipped(walk)
    return walk.reading


def read_kml_in_archive(
    archive: Archive, path: str, label: str, visited: set[str], member: str | None = None
) -> Reading:
    """A .kml inside a zip that is not a KMZ: read with its links followed inside that zip.
    `visited` is shared by the zip's documents: one that a link already read is not read
    again (and gives nothing here)."""
    walk = _Walk(label, archive, member, visited=visited)
    if path in visited:
        return walk.reading
    _read_document(walk, archive.read(path), path, (walk.shown(path) or path,))
    _say_skipped(walk)
    return walk.reading


def _read_document(walk: _Walk, raw: bytes, path: str | None, prefix: tuple[str, ...]) -> int:
    """Read one KML document into `walk`; the number of Placemarks it gave (links included).
    `path` is its path in the archive (None for a lone .kml); `prefix` the layer path above
    it."""
    shown = walk.shown(path)
    if path is not None:
        walk.visited.add(path)
    root, problem = parse_xml(raw)
    if root is None:
        message = Message("cannot be read as KML: {reason}", reason=problem)
        walk.reading.problems.append(Problem(walk.label, where(shown, message)))
        return 0
    if root.name == "kml":
        tops = root.children
    elif root.name in (*CONTAINERS, "Placemark"):
        tops = [root]
    else:
        walk.reading.problems.append(
            Problem(
                walk.label,
                where(shown, Message("is XML but not KML (its root is <{root}>)", root=root.name)),
            )
        )
        return 0
    count = 0
    for top in tops:
        if top.name in CONTAINERS:
            # The top container names the file: its children are the file's layers.
            count += _children(walk, top, path, prefix)
        else:
            count += _item(walk, top, path, prefix)
    if count == 0:
        walk.reading.problems.append(
            Problem(walk.label, where(shown, Message("holds no placemarks")), skipped=False)
        )
    return count


def _children(walk: _Walk, node: Node, path: str | None, prefix: tuple[str, ...]) -> int:
    count = 0
    for child in node.children:  # a loop, not sum(…): fewer stack frames for deep folders
        count += _item(walk, child, path, prefix)
    return count


def _item(walk: _Walk, node: Node, path: str | None, prefix: tuple[str, ...]) -> int:
    """One child of a container: a Placemark, a folder, a link or something not read."""
    if node.name == "Placemark":
        walk.reading.features.append(_placemark(walk, node, prefix))
        return 1
    if node.name in CONTAINERS:
        name = node.child_text("name") or ""
        inner = (*prefix, name) if name else prefix
        count = _children(walk, node, path, inner)
        if count == 0:
            folder = "/".join(inner) or node.name
            walk.reading.problems.append(
                Problem(
                    walk.label,
                    where(
                        walk.shown(path),
                        Message(
                            'the {container} "{name}" holds no placemarks',
                            container=node.name.lower(),
                            name=clip(folder, 80),
                        ),
                    ),
                    skipped=False,
                )
            )
        return count
    if node.name == "NetworkLink":
        return _network_link(walk, node, path, prefix)
    if node.name in (*OVERLAYS, "Tour"):
        walk.skipped[node.name] = walk.skipped.get(node.name, 0) + 1
    return 0


def _network_link(walk: _Walk, node: Node, path: str | None, prefix: tuple[str, ...]) -> int:
    """The Placemarks of the document a NetworkLink names, when it is inside the archive."""
    link = node.child("Link", "Url")
    href = (link.child_text("href") if link is not None else None) or ""
    name = node.child_text("name") or href
    said = f'the network link "{clip(name, 60)}"'

    def note(text: str) -> int:
        walk.reading.notes.append(where(walk.shown(path), f"{said} {text}"))
        return 0

    if not href:
        return note("names no file; nothing is read from it")
    target_text = unquote(href.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if _SCHEME.match(href) or target_text.startswith("/"):
        return note(
            f"points to {clip(href, 100)}, outside the file; not fetched (the import "
            "never uses the network)"
        )
    if walk.archive is None:
        return note(
            f"points to {clip(href, 100)}, which is not in this file; not read (give "
            "the KMZ or zip that holds it)"
        )
    base = posixpath.dirname(path or "")
    target = normal_path(posixpath.join(base, target_text))
    if target is None:
        return note(f"points to {clip(href, 100)}, outside the archive; not read")
    if target not in walk.archive.members:
        return note(f"points to {clip(href, 100)}, which is not in the archive; not read")
    if target in walk.visited:
        return note(f"points to {clip(target, 100)}, which is read once only")
    if not target.lower().endswith(".kml"):
        return note(f"points to {clip(target, 100)}, which is not a .kml document; not read")
    inner = (*prefix, node.child_text("name") or posixpath.basename(target))
    return _read_document(walk, walk.archive.read(target), target, inner)


def _description(node: Node | None) -> str:
    """A description as the text its balloon shows: KML lets it hold HTML, escaped, in CDATA
    or (in files written by hand) as elements; its markup becomes line breaks, never tags."""
    if node is None:
        return ""
    # With child elements, the text and the elements are one HTML source; without, the text
    # may still hold HTML written escaped or in CDATA.
    written = node.markup() if node.children else node.text
    return html_text(written).strip()


def _placemark(walk: _Walk, node: Node, prefix: tuple[str, ...]) -> Feature:
    """One Placemark as a row: its names, times as written, data and geometry."""
    cells = {
        "id": node.attribute("id") or "",
        "Name": node.child_text("name") or "",
        "description": _description(node.child("description")),
        "timestamp": "",
        "begin": "",
        "end": "",
    }
    stamp = node.child("TimeStamp")
    if stamp is not None:
        cells["timestamp"] = stamp.child_text("when") or ""
    span = node.child("TimeSpan")
    if span is not None:
        cells["begin"] = span.child_text("begin") or ""
        cells["end"] = span.child_text("end") or ""
    for key, value in _extended_data(node):
        column = key
        if key in TAKEN_COLUMNS:
            walk.renamed[key] = column = f"{key} (ExtendedData)"
        free = free_column(cells, column)
        if free != column:
            walk.repeated.setdefault(column, free)
        cells[free] = value
    feature = Feature(cells, layer="/".join(part for part in prefix if part))
    shape = node.child(*GEOMETRIES)
    if shape is None:
        return feature
    if shape.name in ("Track", "MultiTrack"):
        # Each position's time as written, kept for drawing the track in time (issue 22);
        # the first and last are its span, even when its positions cannot be read.
        tracks = [shape] if shape.name == "Track" else shape.all("Track")
        feature.times = [[when.text for when in track.all("when")] for track in tracks]
        written = [when for whens in feature.times for when in whens if when]
        if written and span is None:
            cells["begin"], cells["end"] = written[0], written[-1]
    try:
        feature.shape = _geometry(shape)
    except GeometryText as error:
        feature.unreadable = reason(error)
        return feature
    if feature.times and feature.shape.geom_type in ("LineString", "MultiLineString"):
        # Each line's times (a gx:Track with no position gives no line, so no times).
        lines = [shape] if shape.name == "Track" else shape.all("Track")
        feature.keep_track_times(
            [times for times, track in zip(feature.times, lines) if track.all("coord")]
        )
    return feature


def _extended_data(node: Node) -> list[tuple[str, str]]:
    """(name, text) of each ExtendedData Data and SchemaData SimpleData, in order."""
    data = node.child("ExtendedData")
    if data is None:
        return []
    found = []
    for item in data.children:
        if item.name == "Data":
            name = (item.attribute("name") or "").strip()
            if name:
                found.append((name, item.child_text("value") or ""))
        elif item.name == "SchemaData":
            for simple in item.all("SimpleData"):
                name = (simple.attribute("name") or "").strip()
                if name:
                    found.append((name, simple.text))
    return found


def _positions(node: Node | None, what: str) -> list[tuple[float, float]]:
    """The positions of a `coordinates` element: "lon,lat[,alt]" tuples separated by white
    space (KML 2.2 §16.9); spaces around the commas are tolerated."""
    text = re.sub(r"\s*,\s*", ",", node.text if node is not None else "")
    return [_position(item, index, what, ",") for index, item in enumerate(text.split(), 1)]


def _position(item: str, index: int, what: str, separator: str | None) -> tuple[float, float]:
    """(longitude, latitude) of the `index`-th position of `what`, written "lon,lat[,alt]"
    (`separator` ",": a `coordinates` tuple) or "lon lat [alt]" (None: a gx:coord); the
    altitude is dropped. GeometryText naming the position when it is not numbers."""
    parts = item.split(separator)
    if len(parts) not in (2, 3):
        form = (
            Message("longitude,latitude[,altitude]")
            if separator
            else Message("longitude latitude altitude")
        )
        raise GeometryText(
            Message(
                'position {index} of the {what} "{value}" is not {form}',
                index=str(index),
                what=what,
                value=clip(item, 40),
                form=form,
            )
        )
    lon = number(
        parts[0],
        Message("the longitude of position {index} of the {what}", index=str(index), what=what),
    )
    lat = number(
        parts[1],
        Message("the latitude of position {index} of the {what}", index=str(index), what=what),
    )
    return lon, lat


def _ring(ring: Node | None, what: str) -> list[tuple[float, float]]:
    positions = _positions(ring.child("coordinates") if ring is not None else None, what)
    if len(positions) < 4:
        raise GeometryText(
            Message(
                "the {what} has {positions}; a ring needs 4",
                what=what,
                positions=_positions_count(len(positions)),
            )
        )
    if positions[0] != positions[-1]:
        # KML 2.2 §10.5: the last position repeats the first. Closing it here could draw an
        # edge the writer did not mean.
        raise GeometryText(
            Message("the {what} is not closed (its last position is not its first)", what=what)
        )
    return positions


def _geometry(node: Node) -> shapely.Geometry | None:
    """A KML geometry element as a shapely geometry (2D); GeometryText when it cannot be
    read."""
    if node.name == "Point":
        positions = _positions(node.child("coordinates"), "Point")
        if len(positions) != 1:
            raise GeometryText(
                Message(
                    "the Point has {positions}, not 1",
                    positions=_positions_count(len(positions)),
                )
            )
        return shapely.Point(positions[0])
    if node.name in ("LineString", "LinearRing"):
        positions = _positions(node.child("coordinates"), node.name)
        if len(positions) < 2:
            raise GeometryText(
                Message(
                    "the {what} has {positions}",
                    what=node.name,
                    positions=_positions_count(len(positions)),
                )
            )
        return shapely.LineString(positions)
    if node.name == "Polygon":
        boundary = node.child("outerBoundaryIs")
        outer = _ring(boundary.child("LinearRing") if boundary else None, Message("outer boundary"))
        holes = []
        # KML 2.2 allows one innerBoundaryIs per hole; writers also put several rings in one.
        for boundary in node.all("innerBoundaryIs"):
            for ring in boundary.all("LinearRing"):
                holes.append(
                    _ring(ring, Message("inner boundary {number}", number=str(len(holes) + 1)))
                )
        return shapely.Polygon(outer, holes)
    if node.name == "MultiGeometry":
        parts = []
        for child in node.all(*GEOMETRIES):
            part = _geometry(child)
            if part is not None:
                parts.extend(getattr(part, "geoms", [part]))
        if not parts:
            raise GeometryText(Message("the MultiGeometry holds no geometry"))
        kinds = {part.geom_type for part in parts}
        if kinds == {"Point"}:
            return shapely.MultiPoint(parts)
        if kinds == {"LineString"}:
            return shapely.MultiLineString(parts)
        if kinds == {"Polygon"}:
            return shapely.MultiPolygon(parts)
        return shapely.GeometryCollection(parts)
    if node.name in ("Track", "MultiTrack"):
        tracks = [node] if node.name == "Track" else node.all("Track")
        lines = [line_or_point(_track_positions(track)) for track in tracks]
        lines = [line for line in lines if line is not None]
        if not lines:
            raise GeometryText(Message("the {what} has no positions", what=node.name))
        if node.name == "Track":
            return lines[0]
        if all(line.geom_type == "LineString" for line in lines):
            return shapely.MultiLineString(lines)
        return shapely.GeometryCollection(lines)
    raise GeometryText(
        Message("a {what} (a 3D model) is not a geometry the import reads", what=node.name)
    )


def _positions_count(count: int) -> str:
    """ "1 position", "3 positions" as a Message."""
    return counted_message(count, N_("{count} position"), N_("{count} positions"))


def _track_positions(track: Node) -> list[tuple[float, float]]:
    """The positions of a gx:Track: its gx:coord "lon lat alt" (KML 2.2 gx extension,
    §gx:Track), in order; the n-th belongs to the n-th `when` (Feature.times). GeometryText
    when a coord is not numbers."""
    coords = track.all("coord")
    return [_position(coord.text, index, "Track", None) for index, coord in enumerate(coords, 1)]


def _say_skipped(walk: _Walk) -> None:
    """The notes said once per file: what was not read, ExtendedData names given a column of
    their own."""
    if walk.skipped:
        listed = ", ".join(plural(count, name) for name, count in walk.skipped.items())
        walk.reading.notes.append(
            Message(
                "{things} not read: overlays are pictures and tours camera paths, not features",
                things=listed,
            )
        )
    if walk.renamed:
        names = [
            Message('"{name}" is "{column}"', name=name, column=column)
            for name, column in walk.renamed.items()
        ]
        listed = chained(N_("{first}, {rest}"), names)
        walk.reading.notes.append(
            where(
                walk.member,
                Message(
                    "ExtendedData named as a column the import adds is renamed: {names}",
                    names=listed,
                ),
            )
        )
    if walk.repeated:
        listed = chained(
            N_("{first}, {rest}"),
            [
                Message('"{name}" (again as "{copy}")', name=name, copy=copy)
                for name, copy in walk.repeated.items()
            ],
        )
        walk.reading.notes.append(
            where(
                walk.member,
                Message(
                    "a placemark's ExtendedData writes the same name more than once; each is "
                    "kept: {names}",
                    names=listed,
                ),
            )
        )


def _listed(paths: list[str]) -> str:
    shown = ", ".join(clip(path, 60) for path in paths[:5])
    if len(paths) > 5:
        return Message("{items} and {count} more", items=shown, count=str(len(paths) - 5))
    return shown
