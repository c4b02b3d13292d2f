"""Excel workbooks read as the workbook means them, each kind with its right value: the sheet
read (never a hidden one unasked), formulas with and without a stored result (as openpyxl, Excel
and the real XlsxWriter write them), error values, merged ranges, far styled cells, damaged
files; and end to end through a mapping."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
from conftest import REPO
from openpyxl.styles import PatternFill
from openpyxl.worksheet.formula import ArrayFormula
from strategies import (
    ERROR_CODES,
    SHEET_MAIN,
    drop_full_calc,
    excel_saved,
    hide_sheet,
    rewrite_xlsx,
    store_results,
    xlsx_bytes,
)

from layers.read.load import load_geodata
from layers.read.mapping import import_table, parse_mapping
from layers.read.sources import read_source
from layers.read.workbook import read_workbook

SHEET1 = "xl/worksheets/sheet1.xml"
F = f"{{{SHEET_MAIN}}}f"
UNSAVED = (
    "whose result was not saved in the file: open and save it in Excel or LibreOffice so the "
    "result is stored"
)
UNTRUSTED = (
    "whose saved result cannot be trusted: the file asks for every formula to be recalculated "
    "when it is opened (XlsxWriter writes it so, with 0 as each result); open and save it in "
    "Excel or LibreOffice so the results are stored"
)


def read(raw: bytes, sheet: str | None = None):
    return read_workbook(raw, "log.xlsx", sheet)


def workbook(*rows, title: str = "Log") -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    return book


def xlsxwriter_bytes(rows: list[list], formulas: dict[str, tuple]) -> bytes:
    """A workbook written by the real XlsxWriter: `rows` from A1, then `formulas`
    {"B2": (formula,) or (formula, value given to XlsxWriter)}."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Log")
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    for place, (formula, *value) in formulas.items():
        sheet.write_formula(place, formula, None, *value)
    book.close()
    return buffer.getvalue()


# --- sheets -----------------------------------------------------------------------------------
def sheets_bytes(sheets: list[tuple[str, str]]) -> bytes:
    """One sheet per (name, state), each with the header "Title" and a row naming its sheet."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, state in sheets:
        sheet = book.create_sheet(name)
        sheet.append(["Title"])
        sheet.append([f"row of {name}"])
        sheet.sheet_state = state
    if not any(state == "visible" for _, state in sheets):
        book.worksheets[0].sheet_state = "visible"  # openpyxl writes none without one
        raw = xlsx_bytes(book)
        return rewrite_xlsx(raw, "xl/workbook.xml", hide_sheet(sheets[0]))
    book.active = next(i for i, (_, state) in enumerate(sheets) if state == "visible")
    return xlsx_bytes(book)


HIDDEN_FIRST = [("calc", "hidden"), ("Log", "visible"), ("2023", "visible")]


@pytest.mark.parametrize(
    ("sheets", "wanted", "read_sheet", "note"),
    [
        (
            HIDDEN_FIRST,
            None,
            "Log",
            'sheet "Log" read; also in the workbook: the hidden "calc" and "2023"',
        ),
        (
            [("calc", "veryHidden"), ("Log", "visible")],
            None,
            "Log",
            'sheet "Log" read; also in the workbook: the hidden "calc"',
        ),
        (
            [("Log", "visible"), ("2023", "visible"), ("calc", "hidden")],
            "2023",
            "2023",
            'sheet "2023" read; also in the workbook: "Log" and the hidden "calc"',
        ),
        (
            HIDDEN_FIRST,
            "calc",
            "calc",
            'sheet "calc" (hidden in the workbook) read; also in the workbook: "Log" and "2023"',
        ),
        ([("Log", "visible")], None, "Log", None),
    ],
)
def test_the_first_visible_sheet_is_read_or_the_one_named_and_said(
    sheets, wanted, read_sheet, note
):
    table = read(sheets_bytes(sheets), wanted)
    assert table.rows == [(2, {"Title": f"row of {read_sheet}"})]
    assert table.sheet == read_sheet
    assert table.sheets == [name for name, state in sheets if state == "visible"]
    assert table.notes == ([note] if note else [])
    assert table.problems == []


@pytest.mark.parametrize(
    ("sheets", "wanted", "problem"),
    [
        (
            HIDDEN_FIRST,
            "Nope",
            'log.xlsx: has no sheet "Nope" (its sheets: "Log", "2023"; hidden: "calc")',
        ),
        (
            [("calc", "hidden"), ("old", "veryHidden")],
            None,
            'log.xlsx: has no visible sheet (hidden: "calc", "old"); name the one to read in '
            "the mapping's [source] sheet",
        ),
    ],
)
def test_a_sheet_that_is_not_there_or_no_visible_sheet_is_a_problem_not_a_hidden_read(
    sheets, wanted, problem
):
    table = read(sheets_bytes(sheets), wanted)
    assert [str(p) for p in table.problems] == [problem]
    assert table.rows == [] and table.sheet is None
    assert table.sheets == [name for name, state in sheets if state == "visible"]


# --- formulas and their results -----------------------------------------------------------------
def formula_bytes() -> bytes:
    """Lat in B2 is a formula (openpyxl stores no result and asks to recalculate on opening)."""
    return xlsx_bytes(workbook(["Title", "Lat", "Lon"], ["A", "=24+0.5", 121.5]))


def shared_bytes(results: dict | None) -> bytes:
    """B2:B4 share one formula as Excel writes it (B3 and B4 hold no text, only t="shared"),
    with `results` stored (Excel-saved) or none."""
    book = workbook(["Title", "Lat"], ["A", "=C2+1"], ["B", "=C3+1"], ["C", "=C4+1"])

    def share(root):
        for cell in root.iter(f"{{{SHEET_MAIN}}}c"):
            formula = cell.find(F)
            if formula is None:
                continue
            formula.set("t", "shared")
            formula.set("si", "0")
            if cell.get("r") == "B2":
                formula.set("ref", "B2:B4")
            else:
                formula.text = None

    raw = rewrite_xlsx(xlsx_bytes(book), SHEET1, share)
    return excel_saved(raw, results, SHEET1) if results else raw


def array_bytes() -> bytes:
    book = workbook(["Title", "Lat"], ["A"], ["B"], ["C", 20])
    book.active["B2"] = ArrayFormula("B2:B3", "=B4*2")
    return xlsx_bytes(book)


@pytest.mark.parametrize(
    ("raw", "lat", "why"),
    [
        # written by a script (openpyxl): no result, and a request to recalculate on opening
        (formula_bytes(), "", f"B2 holds a formula (=24+0.5) {UNSAVED}"),
        # no result, even with no request to recalculate
        (
            rewrite_xlsx(formula_bytes(), "xl/workbook.xml", drop_full_calc),
            "",
            f"B2 holds a formula (=24+0.5) {UNSAVED}",
        ),
        # as Excel and LibreOffice save it: the result stored, no request: the result is read
        (excel_saved(formula_bytes(), {"B2": ("n", "24.5")}, SHEET1), "24.5", None),
        (excel_saved(formula_bytes(), {"B2": ("str", "N 24°30'")}, SHEET1), "N 24°30'", None),
        (excel_saved(formula_bytes(), {"B2": ("str", "")}, SHEET1), "", None),
        # a result stored, but the file asks for every formula to be recalculated
        (
            rewrite_xlsx(formula_bytes(), SHEET1, store_results({"B2": ("n", "24.5")})),
            "",
            f"B2 holds a formula (=24+0.5) {UNTRUSTED}",
        ),
        # the real XlsxWriter: placeholder 0 (or the value it was given) and fullCalcOnLoad
        (
            xlsxwriter_bytes([["Title", "Lat", "Lon"], ["A", None, 121.5]], {"B2": ("=24+0.5",)}),
            "",
            f"B2 holds a formula (=24+0.5) {UNTRUSTED}",
        ),
        (
            xlsxwriter_bytes(
                [["Title", "Lat", "Lon"], ["A", None, 121.5]], {"B2": ("=24+0.5", 24.5)}
            ),
            "",
            f"B2 holds a formula (=24+0.5) {UNTRUSTED}",
        ),
        # an error as the stored result
        (
            excel_saved(formula_bytes(), {"B2": ("e", "#DIV/0!")}, SHEET1),
            "",
            "B2 holds a formula (=24+0.5) whose result is the error #DIV/0!",
        ),
    ],
    ids=[
        "openpyxl",
        "no-result-no-recalc",
        "excel-number",
        "excel-text",
        "excel-empty-text",
        "stored-but-recalc",
        "xlsxwriter-placeholder",
        "xlsxwriter-value",
        "error-result",
    ],
)
def test_a_formula_loads_its_stored_result_only_when_the_file_holds_one_it_can_trust(raw, lat, why):
    table = read(raw)
    assert table.rows == [(2, {"Title": "A", "Lat": lat, "Lon": "121.5"})]
    assert table.unknown == ({(2, "Lat"): why} if why else {})
    assert table.problems == []


def test_the_real_xlsxwriter_stores_the_placeholder_0_that_must_not_load():
    raw = xlsxwriter_bytes([["Title", "Lat"], ["A"]], {"B2": ("=24+0.5",)})
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheet = archive.read(SHEET1).decode()
        book = archive.read("xl/workbook.xml").decode()
    assert "<f>24+0.5</f><v>0</v>" in sheet and 'fullCalcOnLoad="1"' in book
    assert read(raw).rows == [(2, {"Title": "A", "Lat": ""})]


@pytest.mark.parametrize(
    ("raw", "lats", "unknown"),
    [
        (
            shared_bytes(None),
            ["", "", ""],
            {
                (2, "Lat"): f"B2 holds a formula (=C2+1) {UNSAVED}",
                (3, "Lat"): f"B3 holds a formula (=C3+1) {UNSAVED}",
                (4, "Lat"): f"B4 holds a formula (=C4+1) {UNSAVED}",
            },
        ),
        (
            shared_bytes({"B2": ("n", "1"), "B3": ("n", "2"), "B4": ("n", "3")}),
            ["1", "2", "3"],
            {},
        ),
        (
            array_bytes(),
            ["", "", "20"],
            {
                (2, "Lat"): f"B2 holds a formula (=B4*2) {UNSAVED}",
                (3, "Lat"): f"B3 holds a formula (=B4*2) {UNSAVED}",
            },
        ),
    ],
    ids=["shared-no-results", "shared-excel-saved", "array-no-result"],
)
def test_shared_and_array_formulas_are_formulas_in_every_cell_they_cover(raw, lats, unknown):
    table = read(raw)
    assert [row["Lat"] for _, row in table.rows] == lats
    assert table.unknown == unknown


@pytest.mark.parametrize("error", [*ERROR_CODES, "#SPILL!", "#CALC!"])
def test_an_error_value_is_unknown_never_text(error):
    book = workbook(["Title", "Lat"], ["A", 24.5], ["B", error])
    raw = xlsx_bytes(book)
    if error not in ERROR_CODES:  # newer Excel errors: a t="e" cell openpyxl cannot write
        raw = rewrite_xlsx(raw, SHEET1, store_results({"B3": ("e", error)}))
    table = read(raw)
    assert table.rows == [(2, {"Title": "A", "Lat": "24.5"}), (3, {"Title": "B", "Lat": ""})]
    assert table.unknown == {(3, "Lat"): f"B3 holds the error {error}"}


def test_a_row_of_formulas_without_results_is_a_row_not_a_blank_one():
    table = read(xlsx_bytes(workbook(["Title", "Lat"], ["=D2", "=E2"], ["B", 24.5])))
    assert [number for number, _ in table.rows] == [2, 3]
    assert set(table.unknown) == {(2, "Title"), (2, "Lat")}


def test_a_header_cell_without_a_value_is_named_by_its_letter_and_said():
    table = read(xlsx_bytes(workbook(["Title", "=A1&1", "Lon"], ["A", 24.5, 121.5])))
    assert table.columns == ["Title", "column B", "Lon"]
    assert [str(p) for p in table.problems] == [
        f'log.xlsx: header: B1 holds a formula (=A1&1) {UNSAVED}; the column is called "column B"'
    ]


# --- merged ranges ------------------------------------------------------------------------------
def merged_bytes(rows: list[list], ranges: list[str]) -> bytes:
    book = workbook(*rows)
    for cells in ranges:
        book.active.merge_cells(cells)
    return xlsx_bytes(book)


@pytest.mark.parametrize(
    ("rows", "ranges", "expected", "note"),
    [
        (  # a vessel merged over three rows: each row has it
            [
                ["Title", "Vessel", "Date"],
                ["A", "Liaoning", "2024-07-18"],
                ["B", None, "2024-07-19"],
                ["C", None, "2024-07-20"],
                ["D", "Shandong", "2024-07-21"],
            ],
            ["B2:B4"],
            [
                (2, {"Title": "A", "Vessel": "Liaoning", "Date": "2024-07-18"}),
                (3, {"Title": "B", "Vessel": "Liaoning", "Date": "2024-07-19"}),
                (4, {"Title": "C", "Vessel": "Liaoning", "Date": "2024-07-20"}),
                (5, {"Title": "D", "Vessel": "Shandong", "Date": "2024-07-21"}),
            ],
            "a merged range gives its value to every cell it covers: B2:B4",
        ),
        (  # one date merged over two columns
            [["Title", "From", "To"], ["A", "2024-07-18"]],
            ["B2:C2"],
            [(2, {"Title": "A", "From": "2024-07-18", "To": "2024-07-18"})],
            "a merged range gives its value to every cell it covers: B2:C2",
        ),
        (  # a block over rows and columns, reaching past the last named column
            [["Title", "Lat", "Lon"], ["A", 24.5], ["B"]],
            ["B2:D3"],
            [
                (2, {"Title": "A", "Lat": "24.5", "Lon": "24.5"}),
                (3, {"Title": "B", "Lat": "24.5", "Lon": "24.5"}),
            ],
            "a merged range gives its value to every cell it covers: B2:D3",
        ),
        (  # many ranges: the note lists five
            [["Title", "Nation"]] + [[f"T{n}", "CHN" if n % 2 else None] for n in range(1, 15)],
            [f"B{row}:B{row + 1}" for row in range(2, 15, 2)],
            [(row, {"Title": f"T{row - 1}", "Nation": "CHN"}) for row in range(2, 16)],
            "7 merged ranges give their value to every cell they cover: B2:B3, B4:B5, B6:B7, "
            "B8:B9, B10:B11 and 2 more",
        ),
    ],
    ids=["three-rows", "two-columns", "block-past-the-header", "many"],
)
def test_a_merged_range_gives_its_value_to_every_cell_it_covers(rows, ranges, expected, note):
    table = read(merged_bytes(rows, ranges))
    assert table.rows == expected
    assert table.notes == [note]


def test_a_merged_formula_without_result_leaves_every_covered_cell_unknown():
    raw = merged_bytes([["Title", "Lat"], ["A", "=24+0.5"], ["B"]], ["B2:B3"])
    table = read(raw)
    assert [row["Lat"] for _, row in table.rows] == ["", ""]
    assert table.unknown == {
        (2, "Lat"): f"B2 holds a formula (=24+0.5) {UNSAVED}",
        (3, "Lat"): f"B2 holds a formula (=24+0.5) {UNSAVED}",
    }


# --- the columns the header names ---------------------------------------------------------------
@pytest.mark.parametrize("far", ["XFD1", "ZZ3", "XFD3"])
def test_a_styled_empty_cell_far_to_the_right_adds_no_column_and_no_problem(far):
    book = workbook(["Title", "Lat"], ["A", 24.5], ["B", 25.0])
    book.active[far].fill = PatternFill("solid", fgColor="FFFF00")
    table = read(xlsx_bytes(book))
    assert table.columns == ["Title", "Lat"]
    assert table.rows == [(2, {"Title": "A", "Lat": "24.5"}), (3, {"Title": "B", "Lat": "25"})]
    assert table.problems == []


def test_a_value_right_of_the_last_named_column_is_said_and_not_read():
    book = workbook(["Title", "Lat"], ["A", 24.5], ["B", 25.0])
    book.active["F3"] = "stray"
    table = read(xlsx_bytes(book))
    assert table.rows == [(2, {"Title": "A", "Lat": "24.5"}), (3, {"Title": "B", "Lat": "25"})]
    assert [str(p) for p in table.problems] == [
        "log.xlsx: row #3: cells: has cells to the right of the last named column; they are "
        "not read"
    ]


# --- damaged files ------------------------------------------------------------------------------
def without(raw: bytes, part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info.filename))
    return buffer.getvalue()


def replaced(raw: bytes, part: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, data if info.filename == part else source.read(info.filename))
    return buffer.getvalue()


PLAIN = xlsx_bytes(workbook(["Title", "Lat"], ["A", 24.5]))
NOT_A_WORKBOOK = "log.xlsx: is not an Excel workbook (.xlsx)"
DAMAGED = (
    "log.xlsx: is a damaged Excel workbook: a part of it is missing or cannot be read; open "
    "and save it again in Excel or LibreOffice"
)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"not a workbook", NOT_A_WORKBOOK),
        (PLAIN[: len(PLAIN) // 2], NOT_A_WORKBOOK),
        (without(PLAIN, "xl/workbook.xml"), DAMAGED),
        (
            without(PLAIN, SHEET1),
            'log.xlsx: is a damaged Excel workbook: its sheet "Log" is missing; open and save '
            "it again in Excel or LibreOffice",
        ),
        (replaced(PLAIN, SHEET1, b"<worksheet><sheetData><row>"), DAMAGED),
        (replaced(PLAIN, SHEET1, b'<worksheet xmlns="' + SHEET_MAIN.encode() + b'">'), DAMAGED),
        (
            rewrite_xlsx(PLAIN, SHEET1, store_results({"A2": ("s", "99")})),  # no string 99
            DAMAGED,
        ),
    ],
    ids=[
        "not-zip",
        "cut",
        "no-workbook-part",
        "no-sheet-part",
        "broken-xml",
        "unclosed",
        "bad-string",
    ],
)
def test_a_damaged_workbook_is_one_problem_never_an_exception(raw, problem):
    table = read(raw)
    assert [str(p) for p in table.problems] == [problem]
    assert table.rows == []


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([], 'log.xlsx: its sheet "Log" is empty'),
        ([["Title", "Lat"]], "log.xlsx: has a header row but no rows"),
    ],
)
def test_an_empty_sheet_says_so(rows, problem):
    table = read(xlsx_bytes(workbook(*rows)))
    assert [str(p) for p in table.problems] == [problem] and table.rows == []


# --- end to end through a mapping ---------------------------------------------------------------
AREAS = load_geodata(REPO / "geodata").areas
MAPPING = """
[source]
title = "Test list"
[fields]
title = { column = "Title" }
kind = { value = "patrol" }
start = { column = "Date" }
end = { column = "End" }
nations = { column = "Country" }
[geometry]
lat = "Lat"
lon = "Lon"
"""
HEADER = ["Title", "Date", "End", "Country", "Lat", "Lon"]


def imported(raw: bytes):
    table = read_source("log.xlsx", raw, "log.xlsx")
    events, problems = import_table(table, parse_mapping(MAPPING), "log.xlsx", AREAS)
    return events, [str(p) for p in problems]


def test_an_end_date_held_by_a_formula_without_result_leaves_its_row_out_naming_the_cell():
    book = workbook(
        HEADER,
        ["Kept", "2024-07-18", "2024-07-19", "CHN", 24.5, 121.5],
        ["Left out", "2024-07-18", "=B3+1", "CHN", 24.5, 121.5],
        ["No end", "2024-07-20", None, "CHN", 24.5, 121.5],
    )
    events, problems = imported(xlsx_bytes(book))
    assert list(events["title"]) == ["Kept", "No end"]
    assert list(events["end_text"].fillna("")) == ["2024-07-19", ""]
    assert problems == [f"log.xlsx: row #3: end: C3 holds a formula (=B3+1) {UNSAVED}"]


def test_a_latitude_that_is_xlsxwriters_placeholder_0_never_loads_as_0():
    raw = xlsxwriter_bytes(
        [HEADER, ["Placeholder", "2024-07-18", "", "CHN", None, 121.5]],
        {"E2": ("=24+0.5",)},
    )
    events, problems = imported(raw)
    assert len(events) == 0
    assert problems == [f"log.xlsx: row #2: lat: E2 holds a formula (=24+0.5) {UNTRUSTED}"]


@pytest.mark.parametrize(
    ("shown", "stored", "why"),
    [
        (
            "yyyy-mm-dd",
            "1e10",
            'B2 is shown as a date but holds "1e10", which is no date Excel can show',
        ),
        ("General", "1e999", "B2 holds a number too large to read"),
    ],
)
def test_a_number_no_date_or_float_can_hold_is_unknown_not_empty(shown, stored, why):
    book = workbook(["Title", "Date"], ["A", 45000])
    book.active["B2"].number_format = shown
    raw = rewrite_xlsx(xlsx_bytes(book), SHEET1, store_results({"B2": ("n", stored)}))
    table = read(raw)
    assert table.rows == [(2, {"Title": "A", "Date": ""})]
    assert table.unknown == {(2, "Date"): why}


def test_past_the_row_limit_the_rows_read_still_get_their_merged_values(monkeypatch):
    monkeypatch.setattr("layers.read.workbook.MAX_SOURCE_ROWS", 2)
    rows = [["Title", "Nation"], ["A", "CHN"], ["B"], ["C", "RUS"]]
    table = read(merged_bytes(rows, ["B2:B3"]))
    assert table.rows == [
        (2, {"Title": "A", "Nation": "CHN"}),
        (3, {"Title": "B", "Nation": "CHN"}),
    ]
    assert [str(p) for p in table.problems] == ["log.xlsx: has over 2 rows; the rest is left out"]


@pytest.mark.parametrize(
    ("number_format", "shown"),
    [
        ("yyyy-mm-dd", "2024-07-19"),
        ("mmm-yy", "2024-07"),
        ("mmmm yyyy", "2024-07"),
        ("yyyy", "2024"),
        # "m" beside "h" or "s" is minutes (ECMA-376 §18.8.31): a time shows no month; the
        # cell still holds its day. "h:mm" loaded as the month 2024-07.
        ("h:mm", "2024-07-19"),
        ("mm:ss", "2024-07-19"),
        ("m/d/yy h:mm", "2024-07-19"),
    ],
)
def test_a_date_cell_is_read_at_the_precision_its_format_shows(number_format, shown):
    book = workbook(["Date"], [dt.datetime(2024, 7, 19, 8, 30)])
    book.active["A2"].number_format = number_format
    ((_, row),) = read(xlsx_bytes(book)).rows
    assert row["Date"] == shown
