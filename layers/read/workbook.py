"""Excel workbooks (.xlsx, .xlsm) as one Table of rows, read with openpyxl.

Rows are numbered as Excel numbers them; a cell Excel stores as a date becomes an ISO 8601
date with the precision its display format shows (a cell formatted "mmm-yy" is a month, never
the 1st of it).
"""

from __future__ import annotations

import datetime as dt
import io
import math

from layers.read.schema import Problem, clip
from layers.read.table import MAX_SOURCE_ROWS, Table


def read_workbook(raw: bytes, label: str, sheet: str | None = None) -> Table:
    """The rows of one sheet of an XLSX workbook (default: the first); problems name `label`."""
    return _read_xlsx(raw, label, sheet)


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
