"""Spreadsheet text (CSV) as rows numbered the way the spreadsheet numbers them.

The first step of every table an analyst brings: the CSV upload today, mapped imports next.
`read_csv_table` never raises. What it does with text as spreadsheets write it:

- the delimiter is detected from the header: comma, semicolon (Excel in locales with a decimal
  comma) or tab (Excel's "Unicode text"), whichever splits the header into the most columns;
- row numbers are the spreadsheet's: the header is row 1 when it is the first line, a blank
  line is a row, and a cell holding a line break does not start a new row;
- blank and all-empty rows are skipped without a word;
- a row whose number of cells differs from the header's is reported with its row number and
  left out: it is almost always an unquoted delimiter inside a cell, and reading it anyway
  would put every later cell under the wrong column (a summary "123" read as a longitude);
- text is UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or an
  encoding named or detected (layers.read.encoding), said in the table's notes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from layers.i18n import N_, Message
from layers.read.encoding import decode_text
from layers.read.schema import Problem, clip

DELIMITERS = (",", ";", "\t")
MAX_SOURCE_ROWS = 100_000
# A cell may be as long as an upload may be large; the length rules of each field apply later.
csv.field_size_limit(max(csv.field_size_limit(), 32 * 1024 * 1024))
_UNNAMED = "\0unnamed:"  # a row's key for a column with no name (no header holds "\0")
_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)
DELIMITER_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab")}


@dataclass
class Table:
    """The rows of one CSV file, each with its spreadsheet row number.

    `rows` holds (row number, {column: cell text, stripped}); `columns` the header's names in
    order (stripped; a repeated name keeps its first column); `problems` every row or file
    that could not be read.
    """

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    delimiter: str = ","
    header_row: int = 1
    problems: list[Problem] = field(default_factory=list)
    # What a row is called in messages: "row" (spreadsheet rows) or "feature" (KML, …).
    noun: str = "row"
    # What the reader did that the analyst should know and that is no problem: the sheet
    # read, the encoding detected, merged cells given to every cell they cover.
    notes: list[str] = field(default_factory=list)
    # Cells whose value the file does not hold, (row number, column) -> why: a formula whose
    # result was not saved, an error value. A row is left out when its mapping reads one.
    unknown: dict[tuple[int, str], str] = field(default_factory=dict)
    # A workbook's sheets the analyst can choose from (visible ones), and the one read.
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    # The text encoding read (CSV, DBF), and the others that would read the bytes otherwise.
    encoding: str | None = None
    encodings: list[str] = field(default_factory=list)

    @property
    def decimal_comma(self) -> bool:
        """True when numbers may be written 25,5: files separated by semicolons come from
        spreadsheets in locales that write the decimal comma."""
        return self.delimiter == ";"

    def describe(self) -> str:
        """The delimiter and the columns seen, for messages about a header."""
        names = ", ".join(clip(name, 30) for name in self.columns[:20]) or Message("none")
        delimiter = Message(DELIMITER_NAMES[self.delimiter])
        if len(self.columns) > 20:
            return Message(
                "read as {delimiter}-separated, the columns are {names} and {more} more",
                delimiter=delimiter,
                names=names,
                more=str(len(self.columns) - 20),
            )
        return Message(
            "read as {delimiter}-separated, the columns are {names}",
            delimiter=delimiter,
            names=names,
        )


# Counted words, singular and plural, marked here: Babel does not read a marked text inside the
# arguments of another marked call (Message(..., cells=N_(...))).
_CELLS = (N_("{count} cell"), N_("{count} cells"))
_COLUMNS = (N_("{count} column"), N_("{count} columns"))
_LINES = (N_("{count} line"), N_("{count} lines"))


def _binary(text: str) -> bool:
    """True when NUL characters say the bytes are not text (a workbook, a PDF, UTF-16 read
    as one byte per character): more than 8 of them and over 1 in 100 characters. A stray NUL
    in a cell of a text file (a faulty export) leaves the file read: the row holding it is
    named by the event check (layers.read.load.unstorable_reason) and the other rows load."""
    nuls = text.count("\0")
    return nuls > 8 and nuls * 100 > len(text)


def read_csv_table(raw: bytes, label: str, encoding: str | None = None) -> Table:
    """The header and rows of CSV bytes; problems name `label` and the spreadsheet row.

    `encoding` names the text's encoding; without it, UTF-8 or a byte-order mark is read and
    anything else detected (layers.read.encoding), the encoding said in `Table.notes`.
    """
    text, decoded, problem = _decode(raw, label, encoding)
    if problem:
        return Table([], [], problems=[problem], encodings=list(decoded.alternatives))
    if _binary(text):
        return Table(
            [],
            [],
            problems=[Problem(label, Message("holds NUL bytes: a binary file, not CSV text"))],
        )
    # Excel writes "sep=;" as a first line to say the delimiter; it is not a row.
    sep_line = _SEP_LINE.match(text)
    if sep_line and sep_line.group(1) in DELIMITERS:
        delimiter, text = sep_line.group(1), text[sep_line.end() :]
    else:
        delimiter = _detect_delimiter(text)
    table = Table([], [], delimiter, encoding=decoded.encoding)
    table.encodings = list(decoded.alternatives)
    if decoded.note():
        table.notes.append(decoded.note())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            table.problems.append(
                Problem(
                    label,
                    Message(
                        "cannot be read as CSV ({reason}); this row and the rest of the file "
                        "are left out",
                        reason=_csv_words(error),
                    ),
                    row_label(number + 1),
                )
            )
            break
        number += 1
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [cell.strip() for cell in cells]
            # Trailing delimiters after the last name are columns too (pandas and Excel write
            # them for a column with no name), which a row may fill or leave out.
            named = len(header)
            while named and not header[named - 1]:
                named -= 1
            table.columns = list(dict.fromkeys(name for name in header if name))
            table.header_row = number
            table.problems += repeated_columns(header, label)
            continue
        width = len(header)
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            cells = cells[:width]  # empty cells after the last column shift nothing
        if named <= len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if len(cells) != width:
            table.problems.append(_ragged(cells, header[: max(named, 1)], number, delimiter, label))
            continue
        row: dict[str, str] = {}
        for index, (name, cell) in enumerate(zip(header, cells)):
            key = name or _UNNAMED + str(index)
            if key not in row:
                row[key] = cell.strip()
        table.rows.append((number, row))
    if header is not None:
        _name_unnamed_columns(table, header)
    if header is not None and not table.rows and not table.problems:
        table.problems.append(
            Problem(label, Message("has a header row but no rows"), skipped=False)
        )
    return table


def _name_unnamed_columns(table: Table, header: list[str]) -> None:
    """A column with no name in the header that holds values is named by its spreadsheet
    letter ("column Q"), as the workbook reader names it, so its values are seen and can be
    mapped; one that holds nothing is dropped."""
    renamed: dict[str, str] = {}
    for index, name in enumerate(header):
        key = _UNNAMED + str(index)
        if name or not any(row.get(key) for _, row in table.rows):
            continue
        letter = get_column_letter(index + 1)
        renamed[key] = next(
            candidate
            for candidate in (f"column {letter}", f"column {letter} (no name)")
            if candidate not in table.columns
        )
    if renamed:
        order = {name: position for position, name in enumerate(header) if name}
        order.update({new: int(key[len(_UNNAMED) :]) for key, new in renamed.items()})
        table.columns = sorted([*table.columns, *renamed.values()], key=order.__getitem__)
        table.notes.append(
            Message(
                "{columns} with no name in the header but with values: named {names}",
                columns=_count(len(renamed), *_COLUMNS),
                names=", ".join(renamed.values()),
            )
        )
    for _, row in table.rows:
        for key in [key for key in row if key.startswith(_UNNAMED)]:
            value = row.pop(key)
            if key in renamed:
                row[renamed[key]] = value


def repeated_columns(header: list[str], label: str, place=str) -> list[Problem]:
    """One warning per name the header writes more than once, naming where: `place` says a
    column's 1-based number as the file shows it (a number for CSV, a letter for a sheet)."""
    problems = []
    for name in dict.fromkeys(name for name in header if name):
        places = [place(index) for index, column in enumerate(header, start=1) if column == name]
        if len(places) > 1:
            problems.append(
                Problem(
                    label,
                    Message(
                        'the column "{name}" is written {count} times (columns {places}); the '
                        "first is read",
                        name=clip(name, 40),
                        count=str(len(places)),
                        places=", ".join(places),
                    ),
                    field="header",
                    skipped=False,
                )
            )
    return problems


def _ragged(cells: list[str], header: list[str], number: int, delimiter: str, label: str):
    """The problem of a row whose cell count differs from the header's, with its likely cause."""
    counts = Message(
        "has {cells} where the header has {columns}",
        cells=_count(len(cells), *_CELLS),
        columns=_count(len(header), *_COLUMNS),
    )
    swallowed = sum(cell.count("\n") for cell in cells)
    if len(cells) < len(header) and swallowed:
        cause = Message(
            'a quote (") opened in this row is never closed, so the {lines} after it were read '
            "into one cell",
            lines=_count(swallowed, *_LINES),
        )
    elif len(cells) > len(header):
        cause = Message(
            "a {delimiter} inside a cell that is not in quotes?",
            delimiter=Message(DELIMITER_NAMES[delimiter]),
        )
    else:
        cause = Message("a cell missing?")
    return Problem(
        label,
        Message("{counts} ({cause}); left out", counts=counts, cause=cause),
        row_label(number),
        "cells",
    )


def row_label(number: int) -> str:
    """How a problem names a spreadsheet row: "row #12"."""
    return Message("row #{number}", number=str(number))


def _count(count: int, singular: str, plural_form: str) -> str:
    """A count with its noun in the English number ("1 cell", "3 cells"), as a Message."""
    return Message(singular if count == 1 else plural_form, count=format(count, ","))


def _decode(raw: bytes, label: str, encoding: str | None = None):
    """The text of `raw`, its Decoded (layers.read.encoding), and the problem that kept it from
    being read, if any."""
    decoded = decode_text(raw, encoding)
    if decoded.text is None:
        return "", decoded, Problem(label, decoded.problem or Message("is not text"))
    return decoded.text, decoded, None


def _detect_delimiter(text: str) -> str:
    """The delimiter that splits the first non-blank record into the most cells."""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text[:65_536], newline=""), delimiter=delimiter)
        try:
            first = next((cells for cells in reader if any(c.strip() for c in cells)), [])
        except csv.Error:
            continue
        if len(first) > best_count:
            best, best_count = delimiter, len(first)
    return best


def _csv_words(error: csv.Error) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return Message(
            "a cell is longer than {limit} characters", limit=format(csv.field_size_limit(), ",")
        )
    return Message("the quoting is broken")
