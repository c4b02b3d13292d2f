"""Excel workbooks (.xlsx, .xlsm) as one Table of rows, read as the workbook means them.

Read with openpyxl, streaming (its read-only parser), in one pass over the sheet. `read_workbook`
never raises: a file that is not a workbook, or a damaged one, is one problem.

- **Sheets**: the first visible sheet is read, or the one named (`sheet`, the mapping's
  `source.sheet`); a hidden sheet (state "hidden" or "veryHidden") is read only when named, and
  a note says it is hidden. `Table.sheets` lists the visible sheets in order, `Table.sheet` names
  the one read, and when the workbook has several sheets a note names the one read and the
  others.
- **Rows** are numbered as Excel numbers them; the header is the first non-empty row; only the
  columns the header names are read, so work follows those columns and a styled empty cell far
  to the right costs nothing. A value to the right of the last named column is reported for
  its row. A cell stored as a date becomes an ISO 8601 date at the precision its display format
  shows (a cell formatted "mmm-yy" is a month, never the 1st of it).
- **Formulas**: a formula's result is read as the file stores it (Excel and LibreOffice store
  every result). The value of a cell is unknown (`Table.unknown`, a line naming the cell; the
  import leaves out a row whose mapping reads one) when the file holds no result for its
  formula (files written by scripts: openpyxl stores none), when the workbook asks for a full
  recalculation on opening (`<calcPr fullCalcOnLoad="1"/>`, ECMA-376 Part 1 §18.2.2: the
  writer says its stored results are not the workbook's values; XlsxWriter stores 0 for every
  formula and asks for it), and when the cell holds an error (#N/A, #REF!, …, `t="e"`, §18.18.11).
  Shared formulas (§18.3.1.40: dependents hold no text) and the cells of an array formula's
  range are formulas too. Formulas are not evaluated: each cell is reported instead.
- **Merged ranges** (§18.3.1.55): a range below the header gives the value of its top-left
  cell to every cell it covers, said in one note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass

from layers.i18n import N_, Message
from layers.read.schema import Problem, chained, clip
from layers.read.table import MAX_SOURCE_ROWS, Table, repeated_columns, row_label

# How many merged ranges the note lists by name.
LISTED = 5
_RESAVE = N_("open and save it in Excel or LibreOffice so the results are stored")
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the workbook part's relationship type
_VALUE = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}v"


def read_workbook(raw: bytes, label: str, sheet: str | None = None) -> Table:
    """The rows of one sheet of an XLSX/XLSM workbook; problems name `label`.

    `sheet` names the sheet to read (any sheet, hidden ones too); default: the first visible
    one. Returns a Table (spreadsheet row numbers; `unknown` for cells whose value the file
    does not hold; `notes`, `sheets`, `sheet`); never raises.
    """
    try:
        return _read_xlsx(raw, label, sheet)
    except Exception:  # a reader's failure costs this file only, said in one line
        return Table([], [], problems=[Problem(label, _damaged(raw))])


def _damaged(raw: bytes) -> str:
    """Why a workbook could not be read, in the analyst's words."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
    except Exception:
        return Message("is not an Excel workbook (.xlsx)")
    if not any(name.endswith(".xml") and name.startswith("xl/") for name in names):
        return Message("is not an Excel workbook (.xlsx)")
    return Message(
        "is a damaged Excel workbook: a part of it is missing or cannot be read; open and save "
        "it again in Excel or LibreOffice"
    )


def _read_xlsx(raw: bytes, label: str, sheet: str | None) -> Table:
    import openpyxl  # imported here: only imports need it

    with warnings.catch_warnings():
        # openpyxl warns about parts it skips (styles, extensions, a date out of range); what
        # matters to the analyst is said in problems and notes, not on the console. (The
        # filter is process-wide: two reads at once in two threads may leave it on or off,
        # which changes only what reaches the console.)
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(raw), read_only=True, data_only=True, keep_links=False
            )
        except Exception:
            return Table([], [], problems=[Problem(label, _damaged(raw))])
        try:
            listed, full_calc = _workbook_part(raw)
            cells = {ws.title: ws for ws in workbook.worksheets}
            charts = {chart.title for chart in workbook.chartsheets}
            sheets = [
                _Sheet(name, state, "cells" if name in cells else "chart" if name in charts else "")
                for name, state in listed
            ]
            visible = [s.name for s in sheets if s.state == "visible" and s.kind == "cells"]
            chosen, problem = _choose_sheet(sheets, sheet)
            if problem:
                return Table([], [], problems=[Problem(label, problem)], sheets=visible)
            worksheet = cells[chosen.name]
            with worksheet._get_source() as source:  # the sheet's XML, streamed
                parser = _sheet_parser(source, worksheet, workbook, full_calc)
                table = _read_sheet(parser, worksheet, label)
            table.sheets, table.sheet = visible, chosen.name
            note = _sheet_note(chosen, sheets)
            if note:
                table.notes.insert(0, note)
            return table
        finally:
            workbook.close()


@dataclass
class _Sheet:
    """A sheet as the workbook part lists it: its name, its state ("visible", "hidden",
    "veryHidden"; ECMA-376 Part 1 §18.18.68) and kind ("cells", "chart", or "" when its part
    is missing)."""

    name: str
    state: str
    kind: str


def _choose_sheet(sheets: list[_Sheet], wanted: str | None):
    """(the sheet to read, None) or (None, why not). Never a hidden sheet unless named, and
    never another sheet than the one meant: a sheet whose part is missing is a problem."""
    if wanted is not None:
        found = next((sheet for sheet in sheets if sheet.name == wanted), None)
        if found is None:
            return None, Message(
                'has no sheet "{name}" ({sheets})',
                name=clip(wanted, 40),
                sheets=_sheet_list(sheets),
            )
    else:
        found = next((s for s in sheets if s.state == "visible" and s.kind != "chart"), None)
        if found is None:
            if not any(sheet.kind == "cells" for sheet in sheets):
                return None, Message("has no sheet of cells")
            return None, Message(
                "has no visible sheet ({sheets}); name the one to read in the mapping's "
                "[source] sheet",
                sheets=_sheet_list(sheets),
            )
    if found.kind == "chart":
        return None, Message(
            'its sheet "{name}" is a chart, not a sheet of cells', name=clip(found.name, 40)
        )
    if found.kind != "cells":
        return None, Message(
            'is a damaged Excel workbook: its sheet "{name}" is missing; open and save it again '
            "in Excel or LibreOffice",
            name=clip(found.name, 40),
        )
    return found, None


def _sheet_list(sheets: list[_Sheet]) -> str:
    """'its sheets: "Log", "2023"; hidden: "calc"'."""
    named = [sheet for sheet in sheets if sheet.kind == "cells"]
    shown = [f'"{clip(s.name, 40)}"' for s in named if s.state == "visible"]
    hidden = [f'"{clip(s.name, 40)}"' for s in named if s.state != "visible"]
    if shown and hidden:
        return Message(
            "its sheets: {shown}; hidden: {hidden}",
            shown=", ".join(shown),
            hidden=", ".join(hidden),
        )
    if shown:
        return Message("its sheets: {shown}", shown=", ".join(shown))
    if hidden:
        return Message("hidden: {hidden}", hidden=", ".join(hidden))
    return Message("no sheet of cells")


def _sheet_note(chosen: _Sheet, sheets: list[_Sheet]) -> str | None:
    """'sheet "Log" read; also in the workbook: "2023" and the hidden "calc"', or None when
    the workbook has one sheet that is visible."""
    hidden = chosen.state != "visible"
    others = [
        Message('the hidden "{name}"', name=clip(sheet.name, 40))
        if sheet.state != "visible"
        else f'"{clip(sheet.name, 40)}"'
        for sheet in sheets
        if sheet is not chosen and sheet.kind == "cells"
    ]
    if not others and not hidden:
        return None
    name = clip(chosen.name, 40)
    read = (
        Message('sheet "{name}" (hidden in the workbook) read', name=name)
        if hidden
        else Message('sheet "{name}" read', name=name)
    )
    if not others:
        return read
    listed = (
        Message(
            "{items} and {last}", items=chained(N_("{first}, {rest}"), others[:-1]), last=others[-1]
        )
        if len(others) > 1
        else others[0]
    )
    return Message("{read}; also in the workbook: {others}", read=read, others=listed)


def _workbook_part(raw: bytes) -> tuple[list[tuple[str, str]], bool]:
    """The sheets the workbook part lists, (name, state) in order, and whether it asks for a
    full recalculation on opening (`<calcPr fullCalcOnLoad>`, ECMA-376 Part 1 §18.2.2; the
    default is false). Read from the part itself: openpyxl's `calculation.fullCalcOnLoad` is
    True when the attribute is absent, as it is in every workbook Excel saves, and openpyxl
    drops a sheet whose part is missing without a word."""
    from openpyxl.xml.functions import fromstring

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        part = "xl/workbook.xml"
        try:
            for relationship in fromstring(archive.read("_rels/.rels")):
                if relationship.get("Type", "").endswith(_OFFICE_DOCUMENT):
                    part = posixpath.normpath(relationship.get("Target", part).lstrip("/"))
                    break
        except (KeyError, SyntaxError):
            pass
        root = fromstring(archive.read(part))
    sheets: list[tuple[str, str]] = []
    full_calc = False
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name == "sheet":
            sheets.append((element.get("name", ""), element.get("state", "visible")))
        elif name == "calcPr":
            full_calc = element.get("fullCalcOnLoad", "false").strip() in ("1", "true")
    return sheets, full_calc


@dataclass
class _Unknown:
    """A cell whose value the file does not hold, and why (one line naming the cell)."""

    why: str


def _read_sheet(parser, worksheet, label: str) -> Table:
    """The sheet's rows under its first non-empty row (the header). A column whose header cell
    is empty is named by its letter ("column F"); a repeated name is reported, the first read."""
    from openpyxl.utils import get_column_letter

    table = Table([], [], delimiter=",")
    header: list[str] | None = None
    read: list[str | None] = []
    width = 0
    previous = 0
    texts = _CellTexts(worksheet)
    rows = parser.parse()
    for number, cells in rows:
        if number <= previous:
            table.problems.append(
                Problem(
                    label,
                    Message(
                        "the sheet holds row #{number} again after row #{previous}; this copy "
                        "is left out",
                        number=str(number),
                        previous=str(previous),
                    ),
                    row_label(number),
                    "cells",
                )
            )
            continue
        previous = number
        if header is None:
            values = {cell["column"]: texts.value(cell) for cell in cells}
            filled = [column for column, value in values.items() if value != ""]
            if not filled:
                continue
            width = max(filled)
            header = []
            for column in range(1, width + 1):
                value = values.get(column, "")
                letter = f"column {get_column_letter(column)}"
                if isinstance(value, _Unknown):
                    table.problems.append(
                        Problem(
                            label,
                            Message(
                                '{reason}; the column is called "{name}"',
                                reason=value.why,
                                name=letter,
                            ),
                            field="header",
                            skipped=False,
                        )
                    )
                    value = ""
                header.append(value or letter)
            table.columns = list(dict.fromkeys(header))
            # The name each column is read under; None for a repeated name's later columns.
            read = [
                name if header.index(name) == index else None for index, name in enumerate(header)
            ]
            table.header_row = number
            table.problems += repeated_columns(header, label, get_column_letter)
            continue
        row: dict[str, str] = {}
        unknown: dict[str, str] = {}
        beyond = False
        for cell in cells:
            column = cell["column"]
            if column > width:
                beyond = beyond or _holds_something(cell)
                continue
            name = read[column - 1]
            if name is None:
                continue  # a repeated column name: its first column is read
            value = texts.value(cell)
            if isinstance(value, _Unknown):
                unknown[name] = value.why
            elif value:
                row[name] = value
        if parser.ranges:
            seen = {cell["column"] for cell in cells}
            unknown.update(_absent_members(parser.ranges, number, read, seen))
        if beyond:
            table.problems.append(
                Problem(
                    label,
                    Message("has cells to the right of the last named column; they are not read"),
                    row_label(number),
                    "cells",
                    skipped=False,
                )
            )
        if not row and not unknown:
            continue  # a blank row (within the named columns)
        if len(table.rows) >= MAX_SOURCE_ROWS:
            table.problems.append(
                Problem(
                    label,
                    Message(
                        "has over {limit} rows; the rest is left out",
                        limit=format(MAX_SOURCE_ROWS, ","),
                    ),
                )
            )
            for _ in rows:  # the merged ranges come after the rows: read on to them
                pass
            break
        for name in table.columns:
            row.setdefault(name, "")
        table.rows.append((number, row))
        for name, why in unknown.items():
            table.unknown[(number, name)] = why
    merged = getattr(parser, "merged_cells", None)
    if merged is not None:
        _fill_merged(table, read, merged.mergeCell)
    if header is None:
        table.problems.append(
            Problem(
                label,
                Message('its sheet "{name}" is empty', name=clip(worksheet.title, 40)),
            )
        )
    elif not table.rows:
        table.problems.append(
            Problem(label, Message("has a header row but no rows"), skipped=False)
        )
    unknown_note = _unknown_note(table)
    if unknown_note:
        table.notes.append(unknown_note)
    return table


def _sheet_parser(source, worksheet, workbook, full_calc: bool):
    """openpyxl's streaming parser of one sheet's XML (the one its read-only worksheets use),
    reading stored values (data_only) and saying for each cell whether its value is unknown.

    One pass gives values, formulas and merged ranges, each for the very cell openpyxl
    decoded: measured on 40,000 rows × 8 columns, this is about 20% faster than openpyxl's
    read-only rows plus a second ElementTree pass for formulas and merges, and twice as fast
    as reading the workbook twice (data_only True and False). It relies on openpyxl's
    internals (`openpyxl.worksheet._reader`, the worksheet's shared strings and the
    workbook's date styles): openpyxl is pinned, and tests/read/test_workbook.py exercises
    every path, so an upgrade that moves them fails the tests, not the analyst."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        # Array and data-table formulas over more than one cell, until past their last row:
        # (min column, min row, max column, max row, text, True when their result is unknown).
        ranges: list[tuple[int, int, int, int, str, bool]]

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            formula = element.find(FORMULA_TAG)
            kind = element.get("t", "n")
            if formula is None:
                if kind == "e" or cell["data_type"] == "e":
                    cell["unknown"] = self._error(cell, element, None)
                elif self.ranges:
                    self._in_range(cell, element)
                return cell
            form = formula.get("t")
            needed = (
                full_calc or kind == "e" or cell["data_type"] == "e" or not _stored(element, kind)
            )
            text = ""
            # A shared formula's first cell holds its text, which openpyxl keeps to translate
            # for the cells that share it (they hold none); only a cell reported needs its own.
            if needed or form in ("array", "dataTable") or (form == "shared" and formula.text):
                text = self._formula_text(element)
            if form in ("array", "dataTable") and ":" in formula.get("ref", ""):
                with contextlib.suppress(TypeError, ValueError):  # a range it does not name
                    self.ranges.append((*range_boundaries(formula.get("ref")), text, needed))
            if needed:
                cell["unknown"] = self._why(cell, element, kind, text)
            return cell

        def _formula_text(self, element) -> str:
            try:
                formula = self.parse_formula(element)
            except Exception:  # a formula openpyxl cannot translate is still a formula
                formula = "=" + (element.find(FORMULA_TAG).text or "")
            text = str(getattr(formula, "text", formula) or "=")
            return text if text != "=" else Message("a data table")

        def _why(self, cell, element, kind: str, text: str) -> str:
            place = get_column_letter(cell["column"]) + str(cell["row"])
            shown = Message(
                "{place} holds a formula ({formula})", place=place, formula=clip(text, 40)
            )
            if not _stored(element, kind):
                return _unsaved(place, text)
            if full_calc:
                return Message(
                    "{formula} whose saved result cannot be trusted: the file asks for every "
                    "formula to be recalculated when it is opened (XlsxWriter writes it so, "
                    "with 0 as each result); {advice}",
                    formula=shown,
                    advice=Message(_RESAVE),
                )
            return self._error(cell, element, shown)

        def _error(self, cell, element, shown: str | None) -> str:
            place = get_column_letter(cell["column"]) + str(cell["row"])
            stored = (element.findtext(VALUE_TAG) or "").strip()
            if element.get("t", "n") != "e":  # openpyxl's "#VALUE!" for a date out of range
                return Message(
                    '{place} is shown as a date but holds "{value}", which is no date Excel can '
                    "show",
                    place=place,
                    value=clip(stored, 20),
                )
            error = (
                Message("the error {code}", code=clip(stored, 20))
                if stored
                else Message("an error")
            )
            if shown:
                return Message("{formula} whose result is {error}", formula=shown, error=error)
            return Message("{place} holds {error}", place=place, error=error)

        def _in_range(self, cell, element) -> None:
            column, row = cell["column"], cell["row"]
            if any(high_row < row for _, _, _, high_row, _, _ in self.ranges):
                self.ranges = [each for each in self.ranges if each[3] >= row]  # rows go down
            for low_column, low_row, high_column, high_row, text, _ in self.ranges:
                if low_column <= column <= high_column and low_row <= row <= high_row:
                    kind = element.get("t", "n")
                    if full_calc or not _stored(element, kind):
                        cell["unknown"] = self._why(cell, element, kind, text)
                    return

    parser = Parser(
        source,
        worksheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    parser.ranges = []
    return parser


def _unsaved(place: str, text: str) -> str:
    return Message(
        "{place} holds a formula ({formula}) whose result was not saved in the file: open and "
        "save it in Excel or LibreOffice so the result is stored",
        place=place,
        formula=clip(text, 40),
    )


def _absent_members(ranges, number: int, read: list, seen: set[int]) -> dict[str, str]:
    """{column: why} for the cells of row `number` that an array formula without a known
    result covers but the file does not hold at all (openpyxl writes only the first)."""
    from openpyxl.utils import get_column_letter

    found: dict[str, str] = {}
    for low_column, low_row, high_column, high_row, text, unknown in ranges:
        if not unknown or not low_row <= number <= high_row:
            continue
        for column in range(low_column, min(high_column, len(read)) + 1):
            if column not in seen and read[column - 1] is not None:
                found[read[column - 1]] = _unsaved(get_column_letter(column) + str(number), text)
    return found


def _stored(element, kind: str) -> bool:
    """True when a formula cell holds its result: a `<v>` with text, or an empty `<v>` of a
    text result (`t="str"`: the formula gives ""). openpyxl writes an empty `<v/>` of no type
    for a formula whose result it does not know."""
    value = element.find(_VALUE)
    if value is None:
        return False
    return bool(value.text) or kind == "str"


def _holds_something(cell: dict) -> bool:
    value = cell["value"]
    return "unknown" in cell or (value is not None and str(value).strip() != "")


class _CellTexts:
    """A parsed cell's text (or _Unknown), with each date style's number format looked up once."""

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self.formats: dict[int, str] = {}

    def value(self, cell: dict) -> str | _Unknown:
        if "unknown" in cell:
            return _Unknown(cell["unknown"])
        value = cell["value"]
        if value is None:
            return ""
        if isinstance(value, (dt.datetime, dt.date)):
            return _date_text(value, self._format(cell))
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, float):
            if not math.isfinite(value):
                from openpyxl.utils import get_column_letter

                place = get_column_letter(cell["column"]) + str(cell["row"])
                return _Unknown(f"{place} holds a number too large to read")
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value).strip()

    def _format(self, cell: dict) -> str:
        from openpyxl.cell.read_only import ReadOnlyCell

        style = cell["style_id"]
        if style not in self.formats:
            try:
                shown = ReadOnlyCell(self.worksheet, 1, 1, None, "n", style).number_format
            except (IndexError, KeyError, AttributeError):
                shown = ""
            self.formats[style] = shown or ""
        return self.formats[style]


def _fill_merged(table: Table, read: list[str | None], ranges) -> None:
    """Give each merged range's top-left value to every cell it covers, in the rows read under
    the header and the named columns (`read`: the name each column is read under); one note
    lists the ranges filled. A range that starts in or above the header row is not filled."""
    rows = dict(table.rows)
    if not rows:
        return
    last = max(rows)
    filled = []
    for merged in sorted(ranges, key=lambda each: (each.min_row, each.min_col)):
        top, left = merged.min_row, merged.min_col
        if top <= table.header_row or left > len(read) or top not in rows:
            continue
        anchor = read[left - 1]
        if anchor is None:
            continue
        value = rows[top].get(anchor, "")
        why = table.unknown.get((top, anchor))
        if not value and why is None:
            continue  # an empty range gives nothing
        names = [
            name for name in read[left - 1 : min(merged.max_col, len(read))] if name is not None
        ]
        given = False
        for number in range(top, min(merged.max_row, last) + 1):
            row = rows.get(number)
            if row is None:
                continue  # a blank row is not read
            for name in names:
                given = given or (number, name) != (top, anchor)
                if why is None:
                    row[name] = value
                    table.unknown.pop((number, name), None)
                else:
                    row[name] = ""
                    table.unknown[(number, name)] = why
        if given:
            filled.append(merged.coord)
    if filled:
        shown = ", ".join(filled[:LISTED])
        if len(filled) > LISTED:
            shown = Message(
                "{items} and {count} more", items=shown, count=str(len(filled) - LISTED)
            )
        table.notes.append(
            Message(
                "{count} merged ranges give their value to every cell they cover: {ranges}",
                count=str(len(filled)),
                ranges=shown,
            )
            if len(filled) > 1
            else Message(
                "a merged range gives its value to every cell it covers: {ranges}", ranges=shown
            )
        )


def _unknown_note(table: Table) -> str | None:
    if not table.unknown:
        return None
    count = len(table.unknown)
    if count == 1:
        return Message(
            "1 cell under the header holds no value the file can be trusted for (a formula "
            "without a saved result, an error); a row is left out only when the mapping reads "
            "one of them"
        )
    return Message(
        "{count} cells under the header hold no value the file can be trusted for (a formula "
        "without a saved result, an error); a row is left out only when the mapping reads one "
        "of them",
        count=format(count, ","),
    )


# ("[h]" has lost its brackets with the locale codes above: ":mm" alone is minutes too.)
_TIME_CODES = re.compile(r"h+[:.]?(m+)?|(m+)?[:.]?s+(\.0+)?|[:.]m+|a/p|am/pm")


def _date_text(value: dt.date, number_format: str) -> str:
    """An Excel date cell as ISO 8601 text at the precision its display format shows."""
    shown = number_format.lower().split(";")[0]
    # Drop quoted literals and locale/colour codes: "[$-409]mmm\-yy" → "mmm-yy".
    for opening, closing in (('"', '"'), ("[", "]")):
        while opening in shown and closing in shown[shown.index(opening) + 1 :]:
            start = shown.index(opening)
            end = shown.index(closing, start + 1)
            shown = shown[:start] + shown[end + 1 :]
    # Time codes: "m" next to "h" or "s" is minutes, not the month (ECMA-376 Part 1,
    # §18.8.31 numFmts): "h:mm" shows a time, not a month.
    shown = _TIME_CODES.sub("", shown)
    day = value.date() if isinstance(value, dt.datetime) else value
    if "d" in shown or not re.search("[my]", shown):
        # A day shown, or no date shown at all (a time format hides the day the cell holds).
        return day.isoformat()
    if "m" in shown:
        return day.isoformat()[:7]
    return f"{day.year:04d}"
