"""Analysts' files of any usual shape as one Table of rows, for a mapping to turn into events.

Which reader takes a file is decided by its suffix, checked against its first bytes:

- CSV, TSV and TXT: `layers.read.table` (delimiter and encoding detected, spreadsheet rows);
- XLSX and XLSM: `layers.read.workbook` (the visible sheets, formulas, merged cells);
- KML, KMZ, GPX, GeoPackage, a zipped Shapefile, GeoJSON with other properties, FlatGeobuf:
  `layers.read.geo`, one row per feature with its geometry as WKT in the column "geometry".

A file of any other format is named as such with what to do instead ("an .ods file is not
read; save it as .xlsx or .csv"), never read as CSV. `read_source` never raises: an
unreadable file gives a Table with no rows and one problem that says why.
"""

from __future__ import annotations

from pathlib import PurePath

from layers.i18n import N_, Message
from layers.read.geo import GEO_SUFFIXES, GEOMETRY_COLUMN, read_geo
from layers.read.schema import Problem
from layers.read.table import MAX_SOURCE_ROWS, Table, read_csv_table
from layers.read.workbook import read_workbook

TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
SOURCE_SUFFIXES = TABLE_SUFFIXES + SPREADSHEET_SUFFIXES + GEO_SUFFIXES
# Formats analysts keep that the import does not read, and what to do instead.
REFUSED_FORMATS = {
    ".ods": N_("an .ods file (OpenDocument spreadsheet) is not read; save it as .xlsx or .csv"),
    ".xls": N_("an .xls file (Excel 97-2003) is not read; save it as .xlsx or .csv"),
    ".xlsb": N_("an .xlsb file (Excel binary workbook) is not read; save it as .xlsx or .csv"),
    ".numbers": N_("a .numbers file is not read; export it from Numbers as .xlsx or .csv"),
    ".shp": N_(
        "a Shapefile is several files: zip the .shp with its .dbf, .shx, .prj (and .cpg) "
        "and give the .zip"
    ),
    ".dbf": N_(
        "a .dbf file is one part of a Shapefile: zip it with its .shp, .shx, .prj (and "
        ".cpg) and give the .zip"
    ),
    ".shx": N_(
        "a .shx file is one part of a Shapefile: zip it with its .shp, .dbf, .prj (and "
        ".cpg) and give the .zip"
    ),
}
READ_FORMATS = "CSV, TSV, TXT, XLSX, KML, KMZ, GPX, GeoPackage, a zipped Shapefile, GeoJSON"
__all__ = [
    "GEOMETRY_COLUMN",
    "MAX_SOURCE_ROWS",
    "SOURCE_SUFFIXES",
    "TABLE_SUFFIXES",
    "read_source",
    "format_problem",
]


def read_source(
    name: str, raw: bytes, label: str, sheet: str | None = None, encoding: str | None = None
) -> Table:
    """The rows of one file, chosen by its suffix; problems name `label`.

    `sheet` picks a workbook's sheet by name (default: the first visible one); `encoding`
    names a text file's encoding (default: detected, and said in `Table.notes`). Geographic
    files give rows whose "geometry" column holds WKT; their rows are "feature" numbers, not
    spreadsheet rows. Never raises.
    """
    suffix = PurePath(name).suffix.lower()
    try:
        refused = format_problem(name, raw)
        if refused:
            return Table([], [], problems=[Problem(label, refused)])
        if suffix in SPREADSHEET_SUFFIXES:
            return read_workbook(raw, label, sheet)
        if suffix in GEO_SUFFIXES:
            return read_geo(raw, label, suffix, encoding=encoding)
        return read_csv_table(raw, label, encoding=encoding)
    except Exception:  # the door never breaks: a reader's failure costs this file only
        if suffix in SPREADSHEET_SUFFIXES:
            said = Message("cannot be read as an Excel workbook")
        else:
            said = Message("cannot be read as a {suffix} file", suffix=suffix or "text")
        return Table([], [], problems=[Problem(label, said)])


def format_problem(name: str, raw: bytes) -> str | None:
    """Why a file is not read by any reader here, in one line, or None when one reads it.

    The suffix chooses the reader; the first bytes are checked against it, so a workbook
    renamed .csv is named as a workbook rather than read as text.
    """
    suffix = PurePath(name).suffix.lower()
    if suffix in REFUSED_FORMATS:
        return Message(REFUSED_FORMATS[suffix])
    zipped = raw[:4] == b"PK\x03\x04"
    if suffix in TABLE_SUFFIXES:
        if zipped:
            return Message(
                "is a ZIP archive (an Excel workbook or a KMZ?), not {format} text: give it its "
                "own suffix (.xlsx, .kmz, .zip)",
                format=suffix[1:].upper(),
            )
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return Message(
                "is an Excel 97-2003 workbook (.xls), not CSV text: save it as .xlsx or .csv"
            )
        return None
    if suffix in SPREADSHEET_SUFFIXES or suffix in GEO_SUFFIXES:
        return None
    if not suffix:
        return Message(
            "has no suffix, so its format is unknown; the import reads {formats}",
            formats=READ_FORMATS,
        )
    return Message(
        "a {suffix} file is not one the import reads ({formats})",
        suffix=suffix,
        formats=READ_FORMATS,
    )
