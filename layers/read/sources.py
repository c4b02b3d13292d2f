"""Analysts' files of any usual shape as one Table of rows, for a mapping to turn into events.

- CSV, TSV and TXT: `layers.read.table` (delimiter detected, spreadsheet row numbers);
- XLSX: `openpyxl`, the first sheet (or the one named); rows numbered as Excel numbers them; a
  cell Excel stores as a date becomes an ISO 8601 date with the precision its display format
  shows (a cell formatted "mmm-yy" is a month, never the 1st of it);
- KML, GeoPackage, a zipped Shapefile, GeoJSON with other properties: `pyogrio`, one row per
  feature, its attributes as columns and its geometry as WKT in the column "geometry"
  (longitude/latitude, WGS84: other coordinate systems are reprojected).

`read_source(name, raw)` never raises: an unreadable file gives a Table with no rows and one
problem that says why.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
from pathlib import PurePath

from layers.read.schema import Problem
from layers.read.table import Table, read_csv_table

TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
SPREADSHEET_SUFFIXES = (".xlsx",)
GEO_SUFFIXES = (".kml", ".gpkg", ".zip", ".geojson", ".json", ".fgb")
SOURCE_SUFFIXES = TABLE_SUFFIXES + SPREADSHEET_SUFFIXES + GEO_SUFFIXES
GEOMETRY_COLUMN = "geometry"
MAX_SOURCE_ROWS = 100_000


def read_source(name: str, raw: bytes, label: str, sheet: str | None = None) -> Table:
    """The rows of one file, chosen by its suffix; problems name `label`.

    `sheet` picks an XLSX sheet by name (default: the first). Geographic files give rows
    whose "geometry" column holds WKT; their rows are "feature" numbers, not spreadsheet rows.
    """
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix in SPREADSHEET_SUFFIXES:
            return _read_xlsx(raw, label, sheet)
        if suffix in GEO_SUFFIXES:
            return _read_geo(raw, label)
        return read_csv_table(raw, label)
    except Exception:  # the door never breaks: a reader's failure costs this file only
        kind = {".xlsx": "an Excel workbook"}.get(suffix, f"a {suffix or 'text'} file")
        return Table([], [], problems=[Problem(label, f"cannot be read as {kind}")])


def _read_xlsx(raw: bytes, label: str, sheet: str | None) -> Table:
    import openpyxl  # imported here: only imports need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        return Table([], [], problems=[Problem(label, "is not an Excel workbook (.xlsx)")])
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(workbook.sheetnames)
            return Table([], [], problems=[Problem(label, f'has no sheet "{sheet}" ({names})')])
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        table = Table([], [], delimiter=",")
        header: list[str] | None = None
        for cells in worksheet.iter_rows():
            values = [_cell_text(cell) for cell in cells]
            if not any(values):
                continue
            number = next((cell.row for cell in cells if getattr(cell, "row", None)), 0)
            if header is None:
                header = values
                table.columns = list(dict.fromkeys(value for value in header if value))
                table.header_row = number
                continue
            if len(table.rows) >= MAX_SOURCE_ROWS:
                table.problems.append(
                    Problem(label, f"has over {MAX_SOURCE_ROWS:,} rows; the rest is left out")
                )
                break
            row: dict[str, str] = {}
            for column, value in zip(header, values):
                if column and column not in row:
                    row[column] = value
            table.rows.append((number, row))
        return table
    finally:
        workbook.close()


def _cell_text(cell) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return _date_text(value, getattr(cell, "number_format", "") or "")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _date_text(value: dt.date, number_format: str) -> str:
    """An Excel date cell as ISO 8601 text at the precision its display format shows."""
    shown = number_format.lower().split(";")[0]
    # Drop quoted literals and locale/colour codes: "[$-409]mmm\-yy" → "mmm-yy".
    for opening, closing in (('"', '"'), ("[", "]")):
        while opening in shown and closing in shown[shown.index(opening) + 1 :]:
            start = shown.index(opening)
            end = shown.index(closing, start + 1)
            shown = shown[:start] + shown[end + 1 :]
    day = value.date() if isinstance(value, dt.datetime) else value
    if "d" in shown or shown in ("", "general"):
        return day.isoformat()
    if "m" in shown:
        return day.isoformat()[:7]
    return f"{day.year:04d}"


def _read_geo(raw: bytes, label: str) -> Table:
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame = pyogrio.read_dataframe(io.BytesIO(raw))
        except Exception:
            return Table(
                [],
                [],
                problems=[
                    Problem(
                        label,
                        "cannot be read as KML, GeoPackage, GeoJSON or a zipped Shapefile",
                    )
                ],
            )
    problems = []
    if frame.crs is None:
        problems.append(
            Problem(
                label,
                "names no coordinate system; its coordinates are read as WGS84 longitude and "
                "latitude",
                skipped=False,
            )
        )
    elif not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    columns = [column for column in frame.columns if column != frame.geometry.name]
    table = Table([*columns, GEOMETRY_COLUMN], [], problems=problems, noun="feature")
    for number, (_, record) in enumerate(frame.iterrows(), start=1):
        if number > MAX_SOURCE_ROWS:
            problems.append(
                Problem(label, f"has over {MAX_SOURCE_ROWS:,} features; the rest is left out")
            )
            break
        row = {column: _attribute_text(record[column]) for column in columns}
        geometry = record[frame.geometry.name]
        row[GEOMETRY_COLUMN] = geometry.wkt if geometry is not None else ""
        table.rows.append((number, row))
    return table


def _attribute_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    text = str(value).strip()
    return "" if text in ("NaT", "nan", "None") else text
