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
import json
import math
import warnings
from pathlib import PurePath

import pandas as pd

from layers.read.schema import Problem, clip
from layers.read.table import Table, read_csv_table

TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
GEO_SUFFIXES = (".kml", ".kmz", ".gpkg", ".zip", ".geojson", ".json", ".fgb")
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
        kind = (
            "an Excel workbook" if suffix in SPREADSHEET_SUFFIXES else f"a {suffix or 'text'} file"
        )
        return Table([], [], problems=[Problem(label, f"cannot be read as {kind}")])


def _read_xlsx(raw: bytes, label: str, sheet: str | None) -> Table:
    """The sheet's rows under its first non-empty row (the header). A column whose header cell
    is empty is named by its letter ("column F"); a repeated name is reported, the first read."""
    import openpyxl  # imported here: only imports need it
    from openpyxl.utils import get_column_letter

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        return Table([], [], problems=[Problem(label, "is not an Excel workbook (.xlsx)")])
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(workbook.sheetnames)
            return Table([], [], problems=[Problem(label, f'has no sheet "{sheet}" ({names})')])
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        # A stale stored size (some writers leave one) would cut rows and columns off.
        worksheet.reset_dimensions()
        table = Table([], [], delimiter=",")
        header: list[str] | None = None
        for cells in worksheet.iter_rows():
            values = [_cell_text(cell) for cell in cells]
            if not any(values):
                continue
            number = next((cell.row for cell in cells if getattr(cell, "row", None)), 0)
            if header is None:
                while values and not values[-1]:
                    values.pop()
                header = [
                    value or f"column {get_column_letter(index)}"
                    for index, value in enumerate(values, start=1)
                ]
                table.columns = list(dict.fromkeys(header))
                table.header_row = number
                table.problems += _repeated(header, label)
                continue
            if len(table.rows) >= MAX_SOURCE_ROWS:
                table.problems.append(
                    Problem(label, f"has over {MAX_SOURCE_ROWS:,} rows; the rest is left out")
                )
                break
            row: dict[str, str] = {}
            for column, value in zip(header, values):
                if column not in row:
                    row[column] = value
            if any(values[len(header) :]):
                table.problems.append(
                    Problem(
                        label,
                        "has cells to the right of the last named column; they are not read",
                        f"row #{number}",
                        "cells",
                        skipped=False,
                    )
                )
            table.rows.append((number, row))
        return table
    finally:
        workbook.close()


def _repeated(header: list[str], label: str) -> list[Problem]:
    counts = {name: header.count(name) for name in dict.fromkeys(header)}
    return [
        Problem(
            label,
            f'the column "{clip(name, 40)}" is written {count} times; the first is read',
            field="header",
            skipped=False,
        )
        for name, count in counts.items()
        if count > 1
    ]


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
    """Every layer of a geographic file (KML folders, GeoPackage tables), one row a feature,
    with the layer's name in the column "layer" when there are several."""
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(io.BytesIO(raw))]
            # By index: a file read from memory gets a new layer name at each opening.
            frames = [
                pyogrio.read_dataframe(io.BytesIO(raw), layer=index) for index in range(len(layers))
            ] or [pyogrio.read_dataframe(io.BytesIO(raw))]
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
    if any(frame.crs is None for frame in frames):
        problems.append(
            Problem(
                label,
                "names no coordinate system; its coordinates are read as WGS84 longitude and "
                "latitude",
                skipped=False,
            )
        )
    frames = [
        frame.to_crs("EPSG:4326")
        if frame.crs is not None and not frame.crs.equals("EPSG:4326")
        else frame
        for frame in frames
    ]
    several = len(frames) > 1
    columns = list(
        dict.fromkeys(
            column for frame in frames for column in frame.columns if column != frame.geometry.name
        )
    )
    if several:
        columns = ["layer", *columns]
    table = Table([*columns, GEOMETRY_COLUMN], [], problems=problems, noun="feature")
    number = 0
    for layer, frame in zip(layers or [""], frames, strict=False):
        for record in frame.to_dict("records"):
            number += 1
            if number > MAX_SOURCE_ROWS:
                problems.append(
                    Problem(label, f"has over {MAX_SOURCE_ROWS:,} features; the rest is left out")
                )
                return table
            row = {column: _attribute_text(record.get(column)) for column in columns}
            if several:
                row["layer"] = layer
            geometry = record.get(frame.geometry.name)
            row[GEOMETRY_COLUMN] = geometry.wkt if geometry is not None else ""
            table.rows.append((number, row))
    return table


def _attribute_text(value: object) -> str:
    """A feature attribute as a cell: numbers as written, lists and objects as JSON, nothing
    (None, NaN, NaT) as ""."""
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
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()
