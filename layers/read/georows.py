"""What each geographic reader gives (features, problems, notes) and the archive they may be in.

`Feature` is one row before it is numbered: its cells as the file writes them, its geometry as
WKT (longitude/latitude, WGS84, altitude dropped: the map is flat), or why the file's geometry
cannot be read. `Reading` gathers what one file (or one archive member) gave. `Archive` reads
members of a ZIP (KMZ, zipped Shapefile) within a shared budget of unpacked bytes, so a small
upload cannot unpack into gigabytes, and never lets a path leave the archive.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

import shapely

from layers.i18n import Message
from layers.read.schema import Problem, clip, plural

# Every archive of one upload (a zip inside a zip included) may unpack to at most this much:
# ten times the upload limit (20 MB) leaves room for any real KMZ or zipped Shapefile.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
# A number as people write it, and a coordinate as KML and GPX write it (xsd:double without
# INF/NaN): ASCII digits only, so full-width digits, "1_000", "infinity" and "nan", which
# float() would take, are not numbers. Also layers.read.upload's.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


class GeometryText(ValueError):
    """A geometry written in the file that cannot be read; the message says why, plainly."""


@dataclass
class Feature:
    """One feature of a file: `cells` (column -> text as written, stripped), `shape` (its
    geometry in longitude/latitude, 2D, None when it has none; made WKT for the whole table at
    once), `unreadable` (why the file's geometry cannot be read, or
    None), `layer` (folder path, table or archive member), `warnings` ((field, message) said
    for this feature without leaving it out), `times` (a track's: see below)."""

    cells: dict[str, str]
    shape: shapely.Geometry | None = None
    unreadable: str | None = None
    layer: str = ""
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # A track's time for each position as written ("" for a position with none): one list per
    # GPX segment (trkseg; a route's one) or KML gx:Track, in the file's order, the n-th time
    # the n-th position's (for a gx:Track, its n-th `when`, as written even when its count is
    # not the coords'). Empty for any other feature. Not a column: the times of a track as
    # events are drawn (issue 22); its first and last are its columns.
    times: list[list[str]] = field(default_factory=list)

    def keep_track_times(self, lines: list[list[str]]) -> None:
        """Give the row its track's times as the column TRACK_TIMES_COLUMN: `lines` holds the
        times of each line of `shape` as written (one list per line, in order), as JSON in
        togeojson's form (one list for a LineString, a list of lists for a MultiLineString).
        Nothing when no time is written. The mapping converts them to UTC and checks them
        (layers.read.tracks); a time without a zone is refused there, never assumed UTC."""
        if not any(time for times in lines for time in times):
            return
        value = (
            lines[0] if self.shape is not None and self.shape.geom_type == "LineString" else lines
        )
        self.cells[free_column(self.cells, TRACK_TIMES_COLUMN)] = json.dumps(
            value, ensure_ascii=False
        )


# The column a track's times are given in (a GPX track or route, a KML gx:Track): togeojson's
# property name, so a GeoJSON file written by togeojson gives the same column.
TRACK_TIMES_COLUMN = "coordTimes"


@dataclass
class Reading:
    """What one file gave: features in order, the columns their cells use in order, problems
    (each naming the upload), notes, and the text encoding read (Shapefile attributes).
    `refused` is True when nothing may be loaded (an encoding in doubt): the features read
    from the other files of the upload are dropped too, so no part loads as mojibake."""

    features: list[Feature] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str | None = None
    encodings: list[str] = field(default_factory=list)
    refused: bool = False
    # True when text could not be decoded in the encoding declared or named.
    undecodable: bool = False

    def add(self, other: Reading) -> None:
        """`other`'s features, columns, problems and notes after this one's."""
        self.features += other.features
        self.columns = list(dict.fromkeys([*self.columns, *other.columns]))
        self.problems += other.problems
        self.notes += other.notes
        self.encoding = self.encoding or other.encoding
        self.encodings = list(dict.fromkeys([*self.encodings, *other.encodings]))
        self.refused = self.refused or other.refused
        self.undecodable = self.undecodable or other.undecodable


def free_column(cells: dict[str, str], name: str) -> str:
    """`name`, or when a feature's cells already hold it (a name its data writes twice),
    "name (2)", "name (3)"…: each value keeps a column of its own."""
    if name not in cells:
        return name
    copy = 2
    while f"{name} ({copy})" in cells:
        copy += 1
    return f"{name} ({copy})"


def where(member: str | None, text: str) -> str:
    """A message about a member of an archive starts with the member's path."""
    if not member:
        return text
    if isinstance(text, Message):
        return Message("{where}: {message}", where=member, message=text)
    return f"{member}: {text}"


def number(text: str, what: str) -> float:
    """A coordinate's number, or GeometryText naming `what` when the text is not one."""
    if not PLAIN_NUMBER.fullmatch(text):
        raise GeometryText(
            Message('{what} "{value}" is not a number', what=what, value=clip(text, 40))
        )
    value = float(text)
    if not math.isfinite(value):
        raise GeometryText(
            Message('{what} "{value}" is too large', what=what, value=clip(text, 40))
        )
    return value


def line_or_point(positions: list[tuple[float, float]]) -> shapely.Geometry | None:
    """A track's or route's positions as a LineString, a Point when there is only one, None
    when there are none."""
    if not positions:
        return None
    if len(positions) == 1:
        return shapely.Point(positions[0])
    return shapely.LineString(positions)


class ArchiveTooLarge(Exception):
    """The upload's archives unpack to more than MAX_UNPACKED_BYTES."""


@dataclass
class Budget:
    """Bytes the upload's archives may still unpack to."""

    left: int = field(default_factory=lambda: MAX_UNPACKED_BYTES)


class Archive:
    """The members of one ZIP, by normalised path ("layers/a.kml"), read within a Budget.

    Directories, macOS resource forks (`__MACOSX/`, `._name`) and `.DS_Store` are not members.
    Raises ArchiveTooLarge from the constructor when the members' sizes exceed the budget, and
    zipfile.BadZipFile (or OSError) when the bytes are not a ZIP archive.
    """

    def __init__(self, raw: bytes, budget: Budget):
        import io

        self._zip = zipfile.ZipFile(io.BytesIO(raw))
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArchiveTooLarge(f"holds over {MAX_MEMBERS:,} files; not read")
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            path = normal_path(info.filename)
            if info.is_dir() or path is None or _system_file(path):
                continue
            self.members.setdefault(path, info)
        total = sum(info.file_size for info in self.members.values())
        if total > budget.left:
            raise ArchiveTooLarge(
                f"unpacks to over {_megabytes(MAX_UNPACKED_BYTES)} "
                f"({plural(len(self.members), 'file')}); not read"
            )
        budget.left -= total

    def read(self, path: str) -> bytes:
        """A member's bytes (never more than its stated size: zipfile stops there)."""
        info = self.members[path]
        with self._zip.open(info) as member:
            return member.read(info.file_size + 1)[: info.file_size]


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024):,} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def normal_path(name: str) -> str | None:
    """A member's path with "/" separators and no "." parts, or None when it would leave the
    archive (absolute, a drive, or ".." above its root)."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    path = posixpath.normpath(name)
    if path in (".", "") or path == ".." or path.startswith("../"):
        return None
    return path


def _system_file(path: str) -> bool:
    """Files Finder and Explorer add to archives that hold no data."""
    base = posixpath.basename(path)
    return (
        path.startswith("__MACOSX/")
        or base.startswith("._")
        or base in (".DS_Store", "Thumbs.db", "desktop.ini")
    )
