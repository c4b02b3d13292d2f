"""Geographic files as one Table of rows: one row per feature, its attributes as columns (text
as the file writes it) and its geometry as WKT in the column "geometry" (longitude/latitude,
WGS84: other coordinate systems are reprojected; altitudes are dropped).

Who reads what:

- KML and KMZ: `layers.read.kml`, from the XML text (times exactly as written);
- GPX: `layers.read.gpx`, from the XML text (waypoints, routes, tracks);
- GeoJSON (a FeatureCollection or a Feature, RFC 7946): from its JSON text, so every property
  reaches a column with its value as written (a number's digits, `1.50` or
  `9007199254740993`, never rounded through a float), a feature's own `id` is the column `id`,
  and a property written twice in a feature keeps both; geometries are read by shapely (GEOS)
  and one that cannot be read is said with its reason. GDAL would drop a property named
  `geometry`, take integer ids as its row numbers (altering repeated ones), round large
  integers of a column with nulls, and leave a broken geometry empty without a word. Other
  JSON (a bare geometry, Esri JSON, TopoJSON) is read by GDAL as below;
- GeoPackage, FlatGeobuf and Shapefiles: pyogrio (GDAL) through Arrow, so integers stay exact
  (64-bit, nulls included), with dates and times as the text GDAL holds for them
  (`datetime_as_string`: each value with its own UTC offset, never converted; a date field
  stays a date); a GeoPackage table's own feature ids (its fid column) are a column;
- a zip: every file above inside it, at any depth (a folder zipped by Finder or Explorer, with
  several Shapefiles, a KML or a GeoPackage); links and folders are followed inside the
  archive only, and the archive may unpack to at most `MAX_UNPACKED_BYTES`.

A GeoPackage's feature tables are read whatever other tables it holds (QGIS's `layer_styles`):
tables without geometry are named in a note and not read. A property or attribute named like a
column the import gives every feature (`geometry`, `layer`; a GeoJSON property `id` when the
features have their own ids) is renamed, said in a note. A Shapefile's attributes are read in
the encoding the analyst names (`encoding`), else the one its .cpg names, else the one its DBF
header's language driver names (both as GDAL reads them), else one detected
(`layers.read.encoding`, said in the notes); `Table.encoding` is the one read. A declared
encoding is judged by layers.read.encoding's rules: when it reads the text as what no writer
writes while another usual encoding reads it cleanly (a .cpg "1252" beside a GBK DBF), it
loads nothing and asks (Table.encodings), as a detection in doubt and text the encoding cannot
decode do. GDAL reads the DBF's bytes as they are; they are decoded here, in the codec judged.
A file, layer or folder that gives no rows is a problem, never a silent success. `read_geo`
never raises.
"""

from __future__ import annotations

import codecs
import io
import json
import math
import posixpath
import re
import tempfile
import unicodedata
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from layers.i18n import N_, Message
from layers.read.encoding import (
    CHAOS_MIN_BYTES,
    canonical,
    decode_text,
    encoding_label,
    judged,
    readings,
)
from layers.read.georows import (
    Archive,
    ArchiveTooLarge,
    Budget,
    Feature,
    Reading,
    free_column,
    where,
)
from layers.read.gpx import read_gpx
from layers.read.kml import KML_COLUMNS, read_kml, read_kml_in_archive, read_kmz
from layers.read.schema import Problem, chained, clip, plural, without_surrogates
from layers.read.table import MAX_SOURCE_ROWS, Table

GEO_SUFFIXES = (".kml", ".kmz", ".gpx", ".gpkg", ".zip", ".geojson", ".json", ".fgb")
GEOMETRY_COLUMN = "geometry"
KINDS = {
    ".kml": "KML",
    ".kmz": "KMZ",
    ".gpx": "GPX",
    ".gpkg": N_("a GeoPackage"),
    ".zip": N_("a zip archive"),
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".fgb": "FlatGeobuf",
    ".shp": N_("a Shapefile"),
}
# A Shapefile's parts GDAL reads, and files that sit beside them and hold no features
# (spatial indexes, ArcGIS and QGIS metadata).
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHAPEFILE_SIDECARS = (".sbn", ".sbx", ".qix", ".fix", ".xml", ".qmd", ".qpj", ".aih", ".ain")
SHAPEFILE_SIDECARS += (".atx", ".ixs", ".mxs", ".lyr", ".lyrx", ".qml", ".sld")
# dBASE language driver ids that name no code page: 0 (none) and 0x57, ESRI's "ANSI", which
# means the writing computer's own code page (any of them; GDAL takes it as ISO-8859-1).
_UNNAMED_LDIDS = (0x00, 0x57)
# The code page each language driver id names, as GDAL reads them (ogrshapelayer.cpp,
# GetEncodingFromLDIDNumber); two that Python has no codec for (895, 620) are detected.
_LDID_CODE_PAGES = {
    437: (1, 11, 13, 15, 17, 21, 24, 25, 27),
    850: (2, 10, 14, 16, 18, 20, 22, 26, 29, 37, 55),
    1252: (3, 88, 89),
    865: (8, 23, 102),
    932: (19, 123),
    863: (28, 108),
    852: (31, 34, 35, 64, 100, 135),
    860: (36,),
    866: (38, 101),
    936: (77, 122),
    949: (78, 121),
    950: (79, 120),
    874: (80, 124),
    861: (103,),
    737: (106, 134),
    857: (107, 136),
    1250: (200,),
    1251: (201,),
    1254: (202,),
    1253: (203,),
    1257: (204,),
}
_LDID_ENCODINGS = {
    ldid: canonical(f"cp{page}") for page, ldids in _LDID_CODE_PAGES.items() for ldid in ldids
}
_LDID_ENCODINGS |= {4: "mac_roman", 150: "mac_cyrillic", 151: "mac_latin2"}
# A declared encoding's reading of fewer than CHAOS_MIN_BYTES bytes outside ASCII (a few short
# titles), which layers.read.encoding does not measure, is taken as garbled from this measure
# of charset-normalizer's: the correct short texts measured (Western, Chinese, Japanese,
# Korean, Cyrillic, Thai) stay under 0.8 ("£5 €5"), GBK and Big5 read as Windows-1252 reach 1.0
# and more ("º£¾¯´¬" 1.67 for 海警船). A shorter or milder one ("ÖÐ¹ú" for 中国, 0.0) is not
# caught: the rules only rule out.
SHORT_CHAOS_LIMIT = 1.0
# Archives inside archives are read this deep (a zip holding a KMZ), no deeper.
MAX_NESTING = 2
# Columns the import gives every feature: a file's own property or attribute of that name is
# renamed ("geometry (property)", "layer (attribute)").
TAKEN_COLUMNS = ("layer", GEOMETRY_COLUMN)
# GeoJSON's geometry types (RFC 7946 §3.1) and the members of a Feature (§3.2); others are
# foreign members.
GEOJSON_GEOMETRIES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)
_FEATURE_MEMBERS = ("type", "id", "geometry", "properties", "bbox")
# Python refuses to read an integer of more digits than this (sys.int_info); such a number is
# kept as its text (and is no coordinate).
_INT_DIGITS = 4000


def read_geo(raw: bytes, label: str, suffix: str, encoding: str | None = None) -> Table:
    """Every feature of a geographic file as a row; problems name `label`.

    `suffix` (".kml", …) says what the bytes are (a .kml that is a ZIP is read as a KMZ and
    the other way round); `encoding` names the text encoding of Shapefile attributes (from
    the mapping's `source.encoding`), used instead of the .cpg, the DBF header or detection.
    Never raises: an unreadable file gives a Table with no rows and the problem.
    """
    try:
        reading = _read_file(raw, label, suffix.lower(), None, encoding, Budget(), 0)
    except Exception:  # a reader's failure costs this file only, said plainly
        kind = _kind_words(suffix.lower(), Message("a {suffix} file", suffix=suffix))
        said = Message("cannot be read as {kind}", kind=kind)
        reading = Reading(problems=[Problem(label, said)])
    return _table(reading, label)


def _read_file(
    raw: bytes,
    label: str,
    suffix: str,
    member: str | None,
    encoding: str | None,
    budget: Budget,
    depth: int,
) -> Reading:
    zipped = raw[:4] in (b"PK\x03\x04", b"PK\x05\x06")
    if suffix in (".kml", ".kmz"):
        if not zipped:
            if member is None:
                return read_kml(raw, label)
            return _read_lone_kml(raw, label, member)
        archive, problem = _open_archive(raw, label, member, budget, "KMZ")
        return problem if archive is None else read_kmz(archive, label, member)
    if suffix == ".gpx":
        return read_gpx(raw, label, member)
    if suffix == ".zip":
        return _read_zip(raw, label, member, encoding, budget, depth)
    if suffix in (".geojson", ".json"):
        return _read_geojson(raw, label, member, suffix)
    return _read_ogr(raw, label, member, suffix)


def _read_lone_kml(raw: bytes, label: str, member: str) -> Reading:
    """A .kml that is itself an archive member read on its own (in a KMZ inside a zip)."""
    reading = read_kml(raw, label)
    for feature in reading.features:
        feature.layer = "/".join(part for part in (member, feature.layer) if part)
    return reading


def _open_archive(
    raw: bytes, label: str, member: str | None, budget: Budget, kind: str
) -> tuple[Archive | None, Reading]:
    try:
        return Archive(raw, budget), Reading()
    except ArchiveTooLarge as error:
        message = str(error)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        message = Message("cannot be read as {kind}: it is not a whole ZIP archive", kind=kind)
    except NotImplementedError:  # a compression method Python does not read (e.g. LZMA in old zips)
        message = Message(
            "cannot be read as {kind}: its compression method is not one read here", kind=kind
        )
    return None, Reading(problems=[Problem(label, where(member, message))])


def _read_zip(
    raw: bytes, label: str, member: str | None, encoding: str | None, budget: Budget, depth: int
) -> Reading:
    """Every geographic file inside a zip, at any depth, in the archive's order."""
    archive, reading = _open_archive(raw, label, member, budget, Message("a zip archive"))
    if archive is None:
        return reading
    paths = list(archive.members)
    stems = {path[:-4].lower() for path in paths if path.lower().endswith(".shp")}
    visited: set[str] = set()
    unread: list[str] = []
    read_any = False
    for path in paths:
        suffix = posixpath.splitext(path)[1].lower()
        shown = f"{member}/{path}" if member else path
        if suffix == ".shp":
            reading.add(_read_shapefile(archive, path, label, shown, encoding))
        elif suffix in SHAPEFILE_PARTS or suffix in SHAPEFILE_SIDECARS:
            if suffix in (".dbf", ".shx") and path[:-4].lower() not in stems:
                unread.append(path)  # a part whose .shp is not in the archive
            continue
        elif suffix == ".kml":
            reading.add(read_kml_in_archive(archive, path, label, visited, member))
        elif suffix in (".kmz", ".zip") and depth < MAX_NESTING:
            reading.add(
                _read_file(archive.read(path), label, suffix, shown, encoding, budget, depth + 1)
            )
        elif suffix in (".gpx", ".gpkg", ".geojson", ".json", ".fgb"):
            reading.add(_read_file(archive.read(path), label, suffix, shown, encoding, budget, 0))
        else:
            unread.append(path)
            continue
        read_any = True
    if unread:
        listed = ", ".join(clip(path, 60) for path in unread[:5])
        more = f" and {len(unread) - 5} more" if len(unread) > 5 else ""
        reading.notes.append(
            where(
                member,
                f"not read: {listed}{more} (in a zip the import reads Shapefiles with their "
                ".shx and .dbf, KML, KMZ, GPX, GeoPackage, GeoJSON and FlatGeobuf)",
            )
        )
    if not read_any:
        reading.problems.append(
            Problem(
                label,
                where(
                    member,
                    "holds no file the import reads (a Shapefile, KML, KMZ, GPX, GeoPackage, "
                    "GeoJSON or FlatGeobuf)",
                ),
            )
        )
    return reading


def _read_shapefile(
    archive: Archive, path: str, label: str, shown: str, encoding: str | None
) -> Reading:
    """One Shapefile of an archive (its .shp, .shx, .dbf, .prj and .cpg beside it), its
    attributes in the encoding named, declared or detected."""
    stem = path[:-4]
    parts = {
        other[len(stem) :].lower(): other
        for other in archive.members
        if other[: len(stem)].lower() == stem.lower()
        and other[len(stem) :].lower() in SHAPEFILE_PARTS
    }
    missing = [part for part in (".shx", ".dbf") if part not in parts]
    if missing:
        return Reading(
            problems=[
                Problem(
                    label,
                    where(
                        shown,
                        f"has no {' or '.join(missing)} beside it; zip the .shp with its .shx, "
                        ".dbf, .prj (and .cpg)",
                    ),
                )
            ]
        )
    dbf = archive.read(parts[".dbf"])
    cpg = archive.read(parts[".cpg"]) if ".cpg" in parts else None
    reading = Reading()
    chosen, note, problem, alternatives = _dbf_encoding(dbf, cpg, encoding)
    if problem or chosen is None:
        reading.problems.append(Problem(label, where(shown, problem or Message("cannot be read"))))
        reading.encodings = list(alternatives)
        reading.refused = True
        return reading
    with tempfile.TemporaryDirectory(prefix="shapefile-") as folder:
        # Written under names of our own: a member's path never reaches the file system.
        for part, member in parts.items():
            data = dbf if part == ".dbf" else archive.read(member)
            (Path(folder) / f"layer{part}").write_bytes(data)
        reading.add(_read_ogr(str(Path(folder) / "layer.shp"), label, shown, ".shp", chosen, shown))
    if reading.undecodable:  # offer the encodings that do read the text
        alternatives = _choices(_dbf_text(dbf))
    if note:
        reading.notes.append(where(shown, note))
    reading.encoding = reading.encoding or chosen
    reading.encodings = list(dict.fromkeys([*reading.encodings, *alternatives]))
    return reading


def _dbf_encoding(
    dbf: bytes, cpg: bytes | None, named: str | None
) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
    """(the codec to read the DBF's text with; a note; a problem that stops the reading;
    encodings to offer). The encoding is the one the analyst names, else the one the .cpg
    names, else the one the DBF header's language driver names, each as GDAL reads them
    (ogrshapelayer.cpp, GetEncodingFromCPG and GetEncodingFromLDIDNumber), else one detected
    (layers.read.encoding). A declared encoding is judged by layers.read.encoding's rules: when
    it reads the text as what no writer writes while another usual encoding reads it cleanly,
    the .cpg or header is wrong, and the analyst is asked."""
    text = _dbf_text(dbf)
    if named:
        decoded = decode_text(text, named)
        if decoded.text is None:
            problem = Message(
                "its attributes (.dbf) are not {encoding} text, as named",
                encoding=encoding_label(named),
            )
            return None, None, problem, _choices(text)
        return decoded.encoding, None, None, ()
    declared, source, unknown = _declared_encoding(dbf, cpg)
    if declared:
        return _declaration_checked(text, declared, source)
    decoded = decode_text(text)
    if decoded.text is None:
        said = unknown or Message("with no .cpg to name their encoding")
        problem = Message(
            "its attributes (.dbf, {said}) {problem}", said=said, problem=decoded.problem
        )
        return None, None, problem, decoded.alternatives
    note = decoded.note()
    if note:
        note = f"attributes (.dbf, {unknown or 'no .cpg'}) {note}"
    return decoded.encoding, note, None, decoded.alternatives


def _declared_encoding(dbf: bytes, cpg: bytes | None) -> tuple[str | None, str, str | None]:
    """(the codec a Shapefile's .cpg names, else its DBF header's language driver, or None;
    which of the two names it; when a .cpg names nothing known, the words that say so)."""
    if cpg is not None:
        written = cpg.decode("ascii", "replace").strip()
        name = _cpg_codec(written)
        if name:
            return name, Message("its .cpg names"), None
        return (
            None,
            "",
            Message('whose .cpg names "{name}", no encoding known', name=clip(written, 40)),
        )
    ldid = dbf[29] if len(dbf) > 29 else 0
    name = _LDID_ENCODINGS.get(ldid)
    if name and ldid not in _UNNAMED_LDIDS:
        code = format(ldid, "#04x")
        return name, Message("its .dbf header names (language driver {code})", code=code), None
    return None, "", None


def _cpg_codec(written: str) -> str | None:
    """The codec a .cpg's text names, read as GDAL reads it: a Windows or DOS code page number
    ("1252", "936"), ISO 8859 ("88591", "8859-1"), UTF-8, "ANSI 1251", else the name itself
    ("GBK", "Big5"); and the code page 65001, which is UTF-8."""
    digits = re.match(r"[0-9]+", written)
    number = int(digits.group()) if digits else 0
    if 437 <= number <= 950 or 1250 <= number <= 1258:
        return canonical(f"cp{number}")
    if number == 65001 or written.upper().startswith(("UTF-8", "UTF8")):
        return "utf_8"
    if written.startswith("8859"):
        return canonical("iso8859_" + written[4:].lstrip("-_ "))
    if written.upper().startswith("ANSI 1251"):
        return "cp1251"
    return canonical(written) if written else None


def _declaration_checked(
    text: bytes, declared: str, source: str
) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
    """The declared encoding, unless it cannot read `text` or reads it as what no writer
    writes while another usual encoding reads it cleanly (a .cpg saying "1252" beside a GBK
    DBF: "ÁÉÄþ½¢Í¨¹ý" for "辽宁舰通过"): then a problem and the encodings to offer."""
    label = encoding_label(declared)
    try:
        codecs.decode(text, declared)
    except (UnicodeDecodeError, ValueError):
        problem = Message(
            "its attributes (.dbf) are not {encoding} text, as {source}; choose their encoding",
            encoding=label,
            source=source,
        )
        return None, None, problem, _choices(text)
    if declared == "utf_8" or text.isascii():  # valid UTF-8 is UTF-8 (layers.read.encoding)
        return declared, None, None, ()
    own = judged(text, declared)
    if own is None or (
        own.clean and (own.outside_ascii >= CHAOS_MIN_BYTES or own.chaos < SHORT_CHAOS_LIMIT)
    ):
        return declared, None, None, ()
    clean = [reading for reading in readings(text) if reading.clean and reading.text != own.text]
    if not clean:  # no reading is better than the declared one
        return declared, None, None, ()
    sample = next((line for line in own.text.splitlines() if not line.isascii()), own.text)
    listed = ", ".join(encoding_label(reading.encodings[0]) for reading in clean[:3])
    template = (
        N_(
            'its attributes (.dbf) read as {encoding}, as {source}, are not text ("{sample}"); '
            "{others} reads them cleanly: choose their encoding"
        )
        if len(clean) == 1
        else N_(
            'its attributes (.dbf) read as {encoding}, as {source}, are not text ("{sample}"); '
            "{others} read them cleanly: choose their encoding"
        )
    )
    problem = Message(
        template, encoding=label, source=source, sample=clip(sample, 30), others=listed
    )
    return None, None, problem, (*(reading.encodings[0] for reading in clean), declared)


def _choices(text: bytes) -> tuple[str, ...]:
    """The encodings to offer for a DBF's text: those that read it, the likeliest first."""
    decoded = decode_text(text)
    return tuple(dict.fromkeys(name for name in (decoded.encoding, *decoded.alternatives) if name))


def _dbf_text(dbf: bytes) -> bytes:
    """The field names and the text (C) fields of a dBASE file, one value a line: the bytes
    whose encoding is in question (numbers and dates are ASCII). dBASE III layout: record
    count at 4, header length at 8, record length at 10, 32-byte field descriptors from 32."""
    if len(dbf) < 32:
        return b""
    count = int.from_bytes(dbf[4:8], "little")
    header = int.from_bytes(dbf[8:10], "little")
    size = int.from_bytes(dbf[10:12], "little")
    fields, offset, position = [], 1, 32  # a record starts with its deletion flag
    pieces = []
    while position + 32 <= min(header, len(dbf)) and dbf[position] != 0x0D:
        descriptor = dbf[position : position + 32]
        pieces.append(descriptor[:11].split(b"\0", 1)[0])
        width = descriptor[16]
        if descriptor[11:12] == b"C":
            fields.append((offset, width))
        offset += width
        position += 32
    for index in range(min(count, max(0, (len(dbf) - header) // max(size, 1)))):
        record = dbf[header + index * size : header + (index + 1) * size]
        pieces += [record[start : start + width].rstrip(b" \0") for start, width in fields]
    return b"\n".join(piece for piece in pieces if piece)


class _Float(float):
    """A JSON number with a fraction or an exponent that Python would write otherwise
    ("1.50", "2.25e3", "0.1000000000000000055"), and the text the file writes for it: a float
    for a geometry, its text for a cell."""

    __slots__ = ("text",)

    def __new__(cls, text: str):
        value = super().__new__(cls, text)  # "1e999" is inf: its text is still the cell
        value.text = text
        return value


def _json_float(text: str) -> float:
    """`json.loads`'s parse_float: a float, which is also the text written when Python writes
    it back the same (most coordinates); else a _Float that keeps the text."""
    value = float(text)
    return value if repr(value) == text else _Float(text)


def _json_int(text: str) -> int | _Float:
    """`json.loads`'s parse_int: the integer, exact; past Python's limit on digits, its text."""
    return int(text) if len(text) <= _INT_DIGITS else _Float(text)


class _JsonObject(dict):
    """A JSON object that writes a name twice, with every member (`pairs`, in order; a dict
    keeps only the last)."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, object]]):
        super().__init__(pairs)
        self.pairs = pairs


def _json_object(pairs: list[tuple[str, object]]) -> dict:
    """`json.loads`'s object_pairs_hook: a dict, or a _JsonObject when a name is written twice."""
    value = dict(pairs)
    return value if len(value) == len(pairs) else _JsonObject(pairs)


def _members(value: dict) -> list[tuple[str, object]]:
    pairs = getattr(value, "pairs", None)
    return pairs if pairs is not None else list(value.items())


def _json_cell(value: object) -> str:
    """A JSON value as a cell, as the file writes it: text (stripped), a number's own digits,
    true and false, null as "", arrays and objects as JSON text with their numbers as
    written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return _json_source(value)


def _json_source(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _Float):
        return value.text
    if isinstance(value, (int, float)):  # a float here is written as the file writes it
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_json_source(item) for item in value) + "]"
    if isinstance(value, dict):
        members = (
            f"{json.dumps(name, ensure_ascii=False)}: {_json_source(item)}"
            for name, item in _members(value)
        )
        return "{" + ", ".join(members) + "}"
    return json.dumps(value, ensure_ascii=False)  # text, null


def _json_kind(value: object) -> str:
    """What a JSON value is, in words ("a number", "a list")."""
    if isinstance(value, dict):
        found = value.get("type")
        if found:
            return Message('an object of type "{type}"', type=clip(str(found), 40))
        return Message("an object")
    if isinstance(value, bool):
        return "true" if value else "false"
    kinds = (
        (type(None), "null"),
        (str, Message("a text")),
        ((int, float), Message("a number")),
        (list, Message("a list")),
    )
    return next((word for kind, word in kinds if isinstance(value, kind)), Message("a value"))


def _read_geojson(raw: bytes, label: str, member: str | None, suffix: str) -> Reading:
    """A GeoJSON FeatureCollection or Feature (RFC 7946) read from its text: one Feature per
    GeoJSON feature, every property a column with its value as written, the feature's own
    `id` the column "id" when features have one. Other JSON (a bare geometry, Esri JSON,
    TopoJSON) is read by GDAL."""
    try:
        text = raw.decode("utf-8-sig")  # RFC 8259 §8.1: UTF-8; a byte-order mark is ignored
    except UnicodeDecodeError:
        message = "its text is not UTF-8, as GeoJSON must be; save it as UTF-8"
        return Reading(problems=[Problem(label, where(member, message))])
    try:
        document = json.loads(
            text,
            parse_float=_json_float,
            parse_int=_json_int,
            parse_constant=_Float,  # NaN and Infinity, which JSON does not allow: as written
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as error:
        if not text.strip():
            message = "cannot be read as GeoJSON: it is empty"
        elif error.pos >= len(text.rstrip()):
            message = "cannot be read as GeoJSON: its text ends too early (cut short?)"
        else:  # the decoder's own reason names its grammar ("Expecting ',' delimiter")
            message = (
                f"cannot be read as GeoJSON: it stops being JSON at line {error.lineno}, "
                f"column {error.colno}"
            )
        return Reading(problems=[Problem(label, where(member, message))])
    except (RecursionError, ValueError):
        message = "cannot be read as GeoJSON: it is nested too deeply"
        return Reading(problems=[Problem(label, where(member, message))])
    if not isinstance(document, dict) or document.get("type") not in (
        "FeatureCollection",
        "Feature",
    ):
        return _read_ogr(raw, label, member, suffix)
    features = [document] if document["type"] == "Feature" else document.get("features")
    if not isinstance(features, list):
        message = 'its FeatureCollection holds no list of "features"'
        return Reading(problems=[Problem(label, where(member, message))])
    try:
        return _geojson_features(document, features, label, member, "\\ud" in text.lower())
    except RecursionError:
        message = "cannot be read as GeoJSON: a property is nested too deeply"
        return Reading(problems=[Problem(label, where(member, message))])


def _geojson_features(
    document: dict, features: list, label: str, member: str | None, escapes: bool
) -> Reading:
    """The features of a GeoJSON document; `escapes` is True when its text writes a \\u escape
    of a surrogate (then texts are cleaned of lone ones)."""
    reading = Reading()
    with_ids = any(isinstance(item, dict) and "id" in item for item in features)
    taken = (*TAKEN_COLUMNS, "id") if with_ids else TAKEN_COLUMNS
    renamed: dict[str, str] = {}
    repeated: dict[str, str] = {}
    foreign: dict[str, None] = {}
    not_features: list[tuple[int, str]] = []
    broken_escapes = 0
    geometries: list[tuple[Feature, str]] = []
    points: list[tuple[Feature, float, float]] = []
    for position, item in enumerate(features, start=1):
        if not isinstance(item, dict) or item.get("type") != "Feature":
            not_features.append((position, _json_kind(item)))
            continue
        cells = {"id": _json_cell(item.get("id"))} if with_ids else {}
        feature = Feature(cells, layer=member or "")
        properties = item.get("properties")
        if isinstance(properties, dict):
            for name, value in _members(properties):
                column = name.strip() or "(no name)"
                if column in taken:
                    renamed[column] = f"{column} (property)"
                    column = renamed[column]
                free = free_column(cells, column)  # a name written twice: both kept
                if free != column:
                    repeated.setdefault(column, free)
                cells[free] = _json_cell(value)
        elif properties is not None:
            feature.warnings.append(
                (
                    "properties",
                    Message("is {kind}, not an object; not read", kind=_json_kind(properties)),
                )
            )
        foreign.update((key, None) for key in item if key not in _FEATURE_MEMBERS)
        if escapes:
            cleaned = {}
            for column, value in cells.items():
                column, keys = without_surrogates(column)
                value, values = without_surrogates(value)
                broken_escapes += keys + values
                cleaned[column] = value
            feature.cells = cleaned
        geometry = item.get("geometry")
        if isinstance(geometry, dict) and geometry.get("type") in GEOJSON_GEOMETRIES:
            position = geometry.get("coordinates") if geometry["type"] == "Point" else None
            if _plain_position(position):  # most features: made at once, without GEOS's parser
                points.append((feature, position[0], position[1]))
            else:
                geometries.append((feature, json.dumps(geometry)))
        elif geometry is not None:
            feature.unreadable = Message(
                "its geometry is {kind}, not a GeoJSON geometry", kind=_json_kind(geometry)
            )
        reading.features.append(feature)
    reading.columns = list(
        dict.fromkeys(column for feature in reading.features for column in feature.cells)
    )
    crs, problem = _geojson_crs(document)
    if problem:
        reading.problems.append(Problem(label, where(member, problem)))
        return Reading(problems=reading.problems)
    _geojson_shapes(geometries, points, crs)
    if not reading.features and not not_features:
        reading.problems.append(
            Problem(label, where(member, Message("gives no features")), skipped=False)
        )
    if not_features:
        listed = chained(
            N_("{first}, {rest}"),
            [
                Message("{position} ({kind})", position=str(position), kind=kind)
                for position, kind in not_features[:5]
            ],
        )
        if len(not_features) > 5:
            listed = Message(
                "{items} and {count} more", items=listed, count=str(len(not_features) - 5)
            )
        template = (
            N_('entry {entries} of "features" is not a Feature; left out')
            if len(not_features) == 1
            else N_('entries {entries} of "features" are not Features; left out')
        )
        reading.problems.append(Problem(label, where(member, Message(template, entries=listed))))
    if broken_escapes:
        reading.problems.append(
            Problem(
                label,
                where(
                    member,
                    f"holds {plural(broken_escapes, 'text')} with a broken \\u escape (a lone "
                    "surrogate, as a faulty converter writes); each such character is shown as "
                    "\ufffd",
                ),
                skipped=False,
            )
        )
    if renamed:
        listed = ", ".join(f'"{name}" is "{column}"' for name, column in renamed.items())
        reading.notes.append(
            where(member, f"properties named as a column the import adds are renamed: {listed}")
        )
    if repeated:
        listed = ", ".join(f'"{name}" (again as "{copy}")' for name, copy in repeated.items())
        reading.notes.append(
            where(
                member,
                f"a feature writes the same property more than once; each is kept: {listed}",
            )
        )
    if foreign:
        listed = ", ".join(f'"{clip(name, 40)}"' for name in list(foreign)[:5])
        reading.notes.append(
            where(member, f'not read: members of features outside "properties" ({listed})')
        )
    return reading


def _geojson_crs(document: dict):
    """The coordinate system a GeoJSON document names (GeoJSON 2008's "crs" member, which RFC
    7946 §4 dropped), or None for longitude/latitude on WGS84; and the problem that keeps the
    file from being read (a system that is not known: no position is guessed)."""
    named = document.get("crs")
    if named is None:
        return None, None
    name = None
    if isinstance(named, dict) and isinstance(named.get("properties"), dict):
        properties = named["properties"]
        if named.get("type") == "name":
            name = properties.get("name")
        elif named.get("type") == "EPSG" and isinstance(properties.get("code"), int):
            name = f"EPSG:{properties['code']}"
    if not isinstance(name, str):
        return None, (
            f"names its coordinate system in a form not read ({clip(_json_source(named), 80)}); "
            "not read"
        )
    import pyproj

    try:
        return pyproj.CRS.from_user_input(name), None
    except Exception:  # pyproj's CRSError, or anything it raises on text it cannot parse
        return None, f'names the coordinate system "{clip(name, 80)}", which is not known; not read'


def _plain_position(position: object) -> bool:
    """True for a position of two or three numbers a float holds (RFC 7946 §3.1.1), written
    as Python writes them back (not a _Float, which GEOS's parser reads)."""
    return (
        isinstance(position, list)
        and len(position) in (2, 3)
        and all(
            (type(number) is float and math.isfinite(number))
            or (type(number) is int and abs(number) < 1e300)
            for number in position
        )
    )


def _geojson_shapes(
    geometries: list[tuple[Feature, str]], points: list[tuple[Feature, float, float]], crs
) -> None:
    """Give each feature its geometry: a Point's plain position made directly, any other
    geometry read from its GeoJSON text by shapely (GEOS); 2D, reprojected from `crs` when one
    is named. A geometry that cannot be read gets the reason instead."""
    features = [feature for feature, _ in geometries] + [feature for feature, _, _ in points]
    if not features:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = shapely.from_geojson([text for _, text in geometries], on_invalid="ignore")
    made = shapely.points([(x, y) for _, x, y in points]) if points else []
    shapes = np.concatenate([shapely.force_2d(np.asarray(read, dtype=object)), made])
    if crs is not None:
        import geopandas as gpd

        shapes = np.asarray(gpd.GeoSeries(shapes, crs=crs).to_crs("EPSG:4326").values)
    texts = [text for _, text in geometries] + [None] * len(points)
    for feature, text, shape in zip(features, texts, shapes, strict=True):
        if shape is None:
            feature.unreadable = Message(
                "its geometry cannot be read: {reason}", reason=_geojson_geometry_problem(text)
            )
        else:
            feature.shape = shape


# What GEOS says of a GeoJSON geometry it cannot read, in words (its own messages name its
# parser's internals).
_GEOS_WORDS = (
    (
        "closed linestring",
        N_("a ring of the {kind} is not closed (its last position is not its first)"),
    ),
    (
        "points in LinearRing",
        N_("a ring of the {kind} has too few positions (4, the last repeating the first)"),
    ),
    ("0 or >1 elements", N_("a line or ring of the {kind} has one position")),
    ("coordinates found", N_("a position of the {kind} is not [longitude, latitude]")),
    ("not found", N_('the {kind} has no "coordinates"')),
    ("invalid literal", N_("a coordinate of the {kind} is not a finite number")),
)


def _geojson_geometry_problem(text: str) -> str:
    kind = json.loads(text).get("type", "geometry")
    try:
        shapely.from_geojson(text)
        message = ""
    except Exception as error:  # GEOSException, with GEOS's words
        message = str(error)
    for clue, words in _GEOS_WORDS:
        if clue in message:
            return Message(words, kind=kind)
    return Message("its coordinates are not those of a GeoJSON {kind} (RFC 7946 §3.1)", kind=kind)


def _read_ogr(
    source: bytes | str,
    label: str,
    member: str | None,
    suffix: str,
    encoding: str | None = None,
    layer: str | None = None,
) -> Reading:
    """Every layer of a file GDAL reads (GeoPackage, FlatGeobuf, a Shapefile on disk, JSON
    that is not a GeoJSON FeatureCollection), one Feature per feature, dates as text. `layer`
    names the rows' layer when the file has one (a Shapefile's path); a GeoPackage's rows are
    named by their table."""
    import pyogrio

    kind = _kind_words(suffix, Message("a geographic file"))
    reading = Reading()

    def opened():
        return io.BytesIO(source) if isinstance(source, bytes) else source

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layers = [(str(name), kind_) for name, kind_ in pyogrio.list_layers(opened())]
        except Exception:
            reading.problems.append(
                Problem(label, where(member, Message("cannot be read as {kind}", kind=kind)))
            )
            return reading
        if not layers:
            reading.problems.append(
                Problem(
                    label,
                    where(
                        member, Message("cannot be read as {kind}: it holds no layer", kind=kind)
                    ),
                )
            )
            return reading
        spatial = [index for index, (_, geometry) in enumerate(layers) if geometry is not None]
        tables = [index for index, (_, geometry) in enumerate(layers) if geometry is None]
        chosen = spatial or tables
        if spatial and tables:
            names = ", ".join(clip(layers[index][0], 40) for index in tables)
            reading.notes.append(
                where(
                    member,
                    f"{plural(len(tables), 'table')} without geometry not read: {names} "
                    "(styles and other tables that hold no features)",
                )
            )
        # Strings of JSON GDAL reads stay text: it would type "2024-07-19T08:00" as a
        # date-time and give it back with seconds the file does not write.
        options = {"DATE_AS_STRING": "YES"} if suffix in (".geojson", ".json") else {}
        for index in chosen:
            name = layers[index][0]
            # A GeoPackage's tables are its layers; other files' layer names are made up by
            # GDAL from a temporary file name and mean nothing to the analyst.
            shown_layer = layer if layer is not None else (member or "")
            if suffix == ".gpkg":
                shown_layer = f"{member}/{name}" if member else name
            try:
                # Arrow keeps 64-bit integers exact where pandas would make a column with
                # nulls float (9007199254740993 read as ...992). A GeoPackage's fid column is
                # the table's own ids; other formats' fids are only row numbers.
                # A Shapefile's text is read by GDAL byte for byte (ISO-8859-1 gives each byte
                # its own character) and decoded here with the codec judged for it: GDAL's
                # iconv would read another table under the same name, and its CP1258 drops
                # each text's last letter ("Tàu" read as "Tà").
                meta, arrow = pyogrio.read_arrow(
                    opened(),
                    layer=index,
                    datetime_as_string=True,
                    encoding="ISO-8859-1" if suffix == ".shp" and encoding else encoding,
                    return_fids=suffix == ".gpkg",
                    **options,
                )
                codec = encoding if suffix == ".shp" else None
                reading.add(
                    _arrow_reading(meta, arrow, label, member, name, shown_layer, suffix, codec)
                )
            except UnicodeDecodeError:
                if suffix == ".shp":
                    declared = (
                        f"{encoding_label(encoding)} text"
                        if encoding
                        else "text in the encoding their .cpg or .dbf header names"
                    )
                    message = f"its attributes (.dbf) are not {declared}; name their encoding"
                else:  # GeoJSON (RFC 8259 §8.1), GeoPackage and FlatGeobuf text is UTF-8
                    message = Message(
                        "its text is not UTF-8, as {kind} must be; save it as UTF-8", kind=kind
                    )
                reading.problems.append(Problem(label, where(member, message)))
                reading.undecodable = True
            except Exception:
                said = (
                    Message(
                        'the layer "{layer}" cannot be read as {kind}',
                        layer=clip(name, 60),
                        kind=kind,
                    )
                    if suffix == ".gpkg"
                    else Message("cannot be read as {kind}", kind=kind)
                )
                reading.problems.append(Problem(label, where(member, said)))
    return reading


def _kind_words(suffix: str, default: str) -> str:
    """What a file of `suffix` is, in words ("a GeoPackage", "KML"), as a Message."""
    return Message(KINDS[suffix]) if suffix in KINDS else default


def _arrow_reading(meta: dict, arrow, label, member, name, layer, suffix, codec=None) -> Reading:
    """One layer read by pyogrio as an Arrow table, as Features reprojected to WGS84
    longitude/latitude; a geometry GEOS cannot read (a curve) is said for its row. `codec`
    decodes texts GDAL read byte for byte (a Shapefile's); UnicodeDecodeError when they are
    not text in it."""
    reading = Reading()
    about = f'the layer "{clip(name, 60)}"' if suffix == ".gpkg" else None
    if arrow.num_rows == 0:
        message = (
            Message('the layer "{layer}" gives no features', layer=clip(name, 60))
            if about
            else Message("gives no features")
        )
        reading.problems.append(Problem(label, where(member, message), skipped=False))
        return reading
    geometry_name = meta.get("geometry_name") or "wkb_geometry"
    if meta.get("geometry_type") is None or geometry_name not in arrow.column_names:
        geometry_name = None
    shapes = np.full(arrow.num_rows, None, dtype=object)
    if geometry_name is not None:
        wkb = np.asarray(arrow.column(geometry_name).to_pylist(), dtype=object)
        shapes = shapely.force_2d(_from_wkb(wkb))
        if meta.get("crs") is None:
            reading.problems.append(
                Problem(
                    label,
                    where(
                        member,
                        f"{about + ' ' if about else ''}names no coordinate system; its "
                        "coordinates are read as WGS84 longitude and latitude",
                    ),
                    skipped=False,
                )
            )
        else:
            import geopandas as gpd

            series = gpd.GeoSeries(shapes, crs=meta["crs"])
            try:
                if not series.crs.equals("EPSG:4326"):
                    shapes = np.asarray(series.to_crs("EPSG:4326").values, dtype=object)
            except Exception:
                reading.problems.append(
                    Problem(
                        label,
                        where(
                            member,
                            f"{about + ' ' if about else ''}is in a coordinate system that "
                            "cannot be converted to longitude and latitude; not read",
                        ),
                    )
                )
                return reading
    else:
        wkb = shapes
    columns = [column for column in arrow.column_names if column != geometry_name]
    shown = {column: _decoded(str(column), codec) for column in columns}
    renamed = {
        column: f"{text} (attribute)" if text in TAKEN_COLUMNS else text
        for column, text in shown.items()
    }
    reading.columns = list(renamed.values())
    values = [
        [_attribute_text(_decoded(value, codec)) for value in arrow.column(column).to_pylist()]
        for column in columns
    ]
    for number, shape in enumerate(shapes):
        cells = {
            renamed[column]: texts[number] for column, texts in zip(columns, values, strict=True)
        }
        feature = Feature(cells, shape, layer=layer)
        if shape is None and wkb[number] is not None:
            feature.unreadable = Message(
                "its geometry cannot be read (a curve, or another kind of geometry the import "
                "does not read)"
            )
        reading.features.append(feature)
    taken = [column for column in columns if shown[column] in TAKEN_COLUMNS]
    if taken:
        listed = ", ".join(f'"{shown[column]}" is "{renamed[column]}"' for column in taken)
        reading.notes.append(
            where(member, f"attributes named as a column the import adds are renamed: {listed}")
        )
    return reading


def _from_wkb(wkb: np.ndarray) -> np.ndarray:
    """Shapely geometries of WKB values, None for one GEOS cannot read: shapely refuses the
    whole array for one curve (CircularString: NotImplementedError), so those are read one by
    one."""
    try:
        return shapely.from_wkb(wkb, on_invalid="ignore")
    except Exception:  # NotImplementedError for a nonlinear geometry, GEOSException
        shapes = np.full(len(wkb), None, dtype=object)
        for index, value in enumerate(wkb):
            try:
                shapes[index] = shapely.from_wkb(value, on_invalid="ignore")
            except Exception:  # this one stays None: said for its row
                continue
        return shapes


def _decoded(value: object, codec: str | None) -> object:
    """A text GDAL read as ISO-8859-1 (its bytes), decoded in `codec`; other values as they
    are. Windows-1258 text is composed (NFC), as layers.read.encoding reads it."""
    if codec is None or not isinstance(value, str):
        return value
    text = value.encode("latin-1").decode(codec)
    return unicodedata.normalize("NFC", text) if codec == "cp1258" else text


def _table(reading: Reading, label: str) -> Table:
    """The features of every file read as one Table: numbered from 1, a "layer" column when
    they come from more than one layer, the geometry last; a reading with no rows is a
    problem; a refused reading (an encoding in doubt) loads nothing."""
    table = Table([], [], problems=list(reading.problems), noun="feature")
    table.notes = list(dict.fromkeys(reading.notes))
    table.encoding = reading.encoding
    table.encodings = list(reading.encodings)
    if reading.refused:
        return table
    features = reading.features
    if not features:
        if not table.problems:
            table.problems.append(Problem(label, "holds no features", skipped=False))
        return table
    several = len({feature.layer for feature in features}) > 1
    names = [*reading.columns, *(name for feature in features for name in feature.cells)]
    columns = [name for name in dict.fromkeys(names) if name not in ("layer", GEOMETRY_COLUMN)]
    table.columns = [*(["layer"] if several else []), *columns, GEOMETRY_COLUMN]
    if len(features) > MAX_SOURCE_ROWS:
        table.problems.append(
            Problem(
                label,
                Message(
                    "has over {limit} features; the rest is left out",
                    limit=format(MAX_SOURCE_ROWS, ","),
                ),
            )
        )
        features = features[:MAX_SOURCE_ROWS]
    shapes = np.array([feature.shape for feature in features], dtype=object)
    texts = shapely.to_wkt(shapes, rounding_precision=-1)  # None for none
    for number, (feature, text) in enumerate(zip(features, texts, strict=True), start=1):
        row = {"layer": feature.layer} if several else {}
        row.update((column, feature.cells.get(column, "")) for column in columns)
        row[GEOMETRY_COLUMN] = text or ""
        table.rows.append((number, row))
        if feature.unreadable:
            table.unknown[(number, GEOMETRY_COLUMN)] = feature.unreadable
        for field_name, message in feature.warnings:
            table.problems.append(
                Problem(
                    label,
                    message,
                    Message("{noun} #{index}", noun=Message("feature"), index=str(number)),
                    field_name,
                    skipped=False,
                )
            )
    return table


def _attribute_text(value: object) -> str:
    """A feature attribute as a cell: text as read, numbers as written, lists and objects as
    JSON, nothing (None, NaN) as "". Dates arrive as text (read with datetime_as_string)."""
    if value is None:
        return ""
    if isinstance(value, bytes):  # a binary field (a GeoPackage BLOB): its bytes in hex
        return value.hex()
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "tolist"):
        value = value.tolist() if hasattr(value, "tolist") else value
        if not isinstance(value, (list, tuple, dict)):
            return _attribute_text(value)
        return json.dumps(value, ensure_ascii=False, default=str)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):  # never expected: dates are read as text
        return value.isoformat()
    return str(value).strip()


__all__ = ["GEO_SUFFIXES", "GEOMETRY_COLUMN", "KML_COLUMNS", "read_geo"]
