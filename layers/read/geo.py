"""Geographic files as one Table of rows: one row per feature, its attributes as columns (text
as the file writes it) and its geometry as WKT in the column "geometry" (longitude/latitude,
WGS84: other coordinate systems are reprojected; altitudes are dropped).

Who reads what:

- KML and KMZ: `layers.read.kml`, from the XML text (times exactly as written);
- GPX: `layers.read.gpx`, from the XML text (waypoints, routes, tracks);
- GeoPackage, GeoJSON, FlatGeobuf and Shapefiles: pyogrio (GDAL), with dates and times as the
  text GDAL holds for them (`datetime_as_string`: each value with its own UTC offset, never
  converted; a date field stays a date), and GeoJSON strings never typed as dates at all
  (the driver's DATE_AS_STRING open option);
- a zip: every file above inside it, at any depth (a folder zipped by Finder or Explorer, with
  several Shapefiles, a KML or a GeoPackage); links and folders are followed inside the
  archive only, and the archive may unpack to at most `MAX_UNPACKED_BYTES`.

A GeoPackage's feature tables are read whatever other tables it holds (QGIS's `layer_styles`):
tables without geometry are named in a note and not read. A Shapefile's attributes are read in
the encoding its .cpg names, else the one its DBF header names, else the one the analyst names
(`encoding`), else one detected (`layers.read.encoding`), said in the notes; a detection in
doubt loads nothing and asks (Table.encodings). A file, layer or folder that gives no rows is a
problem, never a silent success. `read_geo` never raises.
"""

from __future__ import annotations

import io
import json
import posixpath
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from layers.read.encoding import decode_text, encoding_label
from layers.read.georows import (
    Archive,
    ArchiveTooLarge,
    Budget,
    Feature,
    Reading,
    where,
)
from layers.read.gpx import read_gpx
from layers.read.kml import KML_COLUMNS, read_kml, read_kml_in_archive, read_kmz
from layers.read.schema import Problem, clip, plural
from layers.read.table import MAX_SOURCE_ROWS, Table

GEO_SUFFIXES = (".kml", ".kmz", ".gpx", ".gpkg", ".zip", ".geojson", ".json", ".fgb")
GEOMETRY_COLUMN = "geometry"
KINDS = {
    ".kml": "KML",
    ".kmz": "KMZ",
    ".gpx": "GPX",
    ".gpkg": "a GeoPackage",
    ".zip": "a zip archive",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".fgb": "FlatGeobuf",
    ".shp": "a Shapefile",
}
# A Shapefile's parts GDAL reads, and files that sit beside them and hold no features
# (spatial indexes, ArcGIS and QGIS metadata).
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHAPEFILE_SIDECARS = (".sbn", ".sbx", ".qix", ".fix", ".xml", ".qmd", ".qpj", ".aih", ".ain")
SHAPEFILE_SIDECARS += (".atx", ".ixs", ".mxs", ".lyr", ".lyrx", ".qml", ".sld")
# dBASE language driver ids that name no code page: 0 (none) and 0x57, ESRI's "ANSI", which
# means the writing computer's own code page (any of them).
_UNNAMED_LDIDS = (0x00, 0x57)
# Archives inside archives are read this deep (a zip holding a KMZ), no deeper.
MAX_NESTING = 2


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
        kind = KINDS.get(suffix.lower(), f"a {suffix} file")
        reading = Reading(problems=[Problem(label, f"cannot be read as {kind}")])
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
        message = f"cannot be read as {kind}: it is not a whole ZIP archive"
    except NotImplementedError:  # a compression method Python does not read (e.g. LZMA in old zips)
        message = f"cannot be read as {kind}: its compression method is not one read here"
    return None, Reading(problems=[Problem(label, where(member, message))])


def _read_zip(
    raw: bytes, label: str, member: str | None, encoding: str | None, budget: Budget, depth: int
) -> Reading:
    """Every geographic file inside a zip, at any depth, in the archive's order."""
    archive, reading = _open_archive(raw, label, member, budget, "a zip archive")
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
    reading = Reading()
    chosen, note, problem, alternatives = _dbf_encoding(dbf, ".cpg" in parts, encoding)
    if problem:
        reading.problems.append(Problem(label, where(shown, problem)))
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
        decoded = decode_text(_dbf_text(dbf))
        alternatives = tuple(
            dict.fromkeys(name for name in (decoded.encoding, *decoded.alternatives) if name)
        )
    if note:
        reading.notes.append(where(shown, note))
    reading.encoding = reading.encoding or chosen
    reading.encodings = list(dict.fromkeys([*reading.encodings, *alternatives]))
    return reading


def _dbf_encoding(
    dbf: bytes, has_cpg: bool, named: str | None
) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
    """(encoding to read the DBF with, or None to let GDAL use the .cpg or the header's
    language driver; a note; a problem that stops the reading; alternatives to offer)."""
    ldid = dbf[29] if len(dbf) > 29 else 0
    if not named and (has_cpg or ldid not in _UNNAMED_LDIDS):
        return None, None, None, ()
    decoded = decode_text(_dbf_text(dbf), named)
    if decoded.text is None:
        problem = (
            f"its attributes (.dbf) are not {encoding_label(named)} text, as named"
            if named
            else f"its attributes (.dbf, with no .cpg to name their encoding) {decoded.problem}"
        )
        return None, None, problem, decoded.alternatives
    note = decoded.note()
    if note:
        note = f"attributes (.dbf, no .cpg) {note}"
    return decoded.encoding, note, None, decoded.alternatives


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


def _read_ogr(
    source: bytes | str,
    label: str,
    member: str | None,
    suffix: str,
    encoding: str | None = None,
    layer: str | None = None,
) -> Reading:
    """Every layer of a file GDAL reads (GeoPackage, GeoJSON, FlatGeobuf, a Shapefile on
    disk), one Feature per feature, dates as text. `layer` names the rows' layer when the
    file has one (a Shapefile's path); a GeoPackage's rows are named by their table."""
    import pyogrio

    kind = KINDS.get(suffix, "a geographic file")
    reading = Reading()

    def opened():
        return io.BytesIO(source) if isinstance(source, bytes) else source

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layers = [(str(name), kind_) for name, kind_ in pyogrio.list_layers(opened())]
        except Exception:
            reading.problems.append(Problem(label, where(member, f"cannot be read as {kind}")))
            return reading
        if not layers:
            reading.problems.append(
                Problem(label, where(member, f"cannot be read as {kind}: it holds no layer"))
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
        # GeoJSON strings stay text: GDAL would type "2024-07-19T08:00" as a date-time and
        # give it back with seconds the file does not write.
        options = {"DATE_AS_STRING": "YES"} if suffix in (".geojson", ".json") else {}
        for index in chosen:
            name = layers[index][0]
            # A GeoPackage's tables are its layers; other files' layer names are made up by
            # GDAL from a temporary file name and mean nothing to the analyst.
            shown_layer = layer if layer is not None else (member or "")
            if suffix == ".gpkg":
                shown_layer = f"{member}/{name}" if member else name
            try:
                frame = pyogrio.read_dataframe(
                    opened(), layer=index, datetime_as_string=True, encoding=encoding, **options
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
                    message = f"its text is not UTF-8, as {kind} must be; save it as UTF-8"
                reading.problems.append(Problem(label, where(member, message)))
                reading.undecodable = True
                continue
            except Exception:
                about = f'the layer "{clip(name, 60)}" ' if suffix == ".gpkg" else ""
                reading.problems.append(
                    Problem(label, where(member, f"{about}cannot be read as {kind}"))
                )
                continue
            reading.add(_frame_reading(frame, label, member, name, shown_layer, suffix))
    return reading


def _frame_reading(frame, label, member, name, layer, suffix) -> Reading:
    """One layer read by pyogrio as Features, reprojected to WGS84 longitude/latitude."""
    reading = Reading()
    about = f'the layer "{clip(name, 60)}"' if suffix == ".gpkg" else None
    geometry_name = getattr(getattr(frame, "geometry", None), "name", None)
    if len(frame) == 0:
        message = f"{about} gives no features" if about else "gives no features"
        reading.problems.append(Problem(label, where(member, message), skipped=False))
        return reading
    if geometry_name is not None:
        if frame.crs is None:
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
        elif not frame.crs.equals("EPSG:4326"):
            try:
                frame = frame.to_crs("EPSG:4326")
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
    columns = [column for column in frame.columns if column != geometry_name]
    renamed = {
        column: f"{column} (attribute)" if column in ("layer", GEOMETRY_COLUMN) else str(column)
        for column in columns
    }
    reading.columns = list(renamed.values())
    shapes = (
        shapely.force_2d(np.asarray(frame.geometry.values, dtype=object))
        if geometry_name is not None
        else [None] * len(frame)
    )
    for record, shape in zip(frame[columns].to_dict("records"), shapes, strict=True):
        cells = {renamed[column]: _attribute_text(value) for column, value in record.items()}
        reading.features.append(Feature(cells, shape, layer=layer))
    return reading


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
            Problem(label, f"has over {MAX_SOURCE_ROWS:,} features; the rest is left out")
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
                Problem(label, message, f"feature #{number}", field_name, skipped=False)
            )
    return table


def _attribute_text(value: object) -> str:
    """A feature attribute as a cell: text as read, numbers as written, lists and objects as
    JSON, nothing (None, NaN) as "". Dates arrive as text (read with datetime_as_string)."""
    if value is None:
        return ""
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
