"""Where navigational warnings come from, read as they are published: NGA's broadcast warnings
(XML and JSON), the China MSA scraper's CSV (or JSON), any table with a column of warnings, and
plain text. Each source gives `Record`s: one warning text each (a text file's may hold several,
split by the reader on their numbers), with its URL, publication date and where it is in the
file, as `import_warnings` takes them.

NGA broadcast warnings (HYDROPAC, HYDROLANT, HYDROARC, NAVAREA IV and XII), the US National
Geospatial-Intelligence Agency's Maritime Safety Information service
`https://msi.nga.mil/api/publications/broadcast-warn` (`output=xml` or `output=json`). The
layout read here is the one NGA's answers show in public repositories (read 2026-12):

- XML: the root `<broadcast-warn>` holds one element per warning, named for its status
  (`<broadcastWarnActiveEntity>`, `<broadcastWarnCancelledEntity>`), whose children are
  `msgYear` (2017), `msgNumber` (421), `navArea` (C), `subregion` (42), `text` (the warning
  without its number: "BARENTS SEA.\\nRUSSIA.\\nDNC 22.\\n1. GUNNERY AND MISSILE OPERATIONS
  0300Z TO 2100Z …"), `status` (A in force, C cancelled), `issueDate` ("220632Z DEC 2017"),
  `authority` ("NAVAREA XX 214/17 220530Z DEC 17."), `cancelDate` ("292200Z DEC 2017"),
  `cancelNavArea`, `cancelMsgYear`, `cancelMsgNumber` (the warning that cancelled this one:
  HYDROLANT 148/24 at 190212Z JAN 2024 for HYDROLANT 2990/23). NGA's own answers are kept in
  havardgulldahl/navwarns, history/`broadcast-warn?navArea=C&status=all&msgYear=2023&output=
  xml.xml` (and A, 2010–2024; an answer with no warning is an empty `<broadcast-warn/>`),
  read by its scripts/scraper.py (parse_broadcast_warn_xml).
- JSON: `{"broadcast-warn": [{"msgYear": 2023, "msgNumber": 464, "navArea": "4", "subregion":
  "24", "text": …, "status": "A", "issueDate": "261846Z APR 2023", "authority": …,
  "cancelDate": …, "cancelNavArea": …, "cancelMsgYear": …, "cancelMsgNumber": …}]}`: NGA's
  own Marlin app (ngageoint Marlin, Android NavigationalWarningTypeAdapterTest and the iOS
  NavigationalWarningProperties decoder, which shows cancelNavArea/cancelMsgNumber/
  cancelMsgYear as "Cancelled By"). A bare list of the same objects is read too.
- `navArea` codes (Marlin's NavigationalWarningNavArea): P HYDROPAC, A HYDROLANT, C HYDROARC,
  4 NAVAREA IV, 12 NAVAREA XII; another number is written as its NAVAREA in Roman numerals.
  The warning's number is composed as NGA writes it in its broadcasts: `HYDROPAC 2381/26`,
  `NAVAREA XII 123/26` (number, two-digit year).
- The older SMAPS XML (`https://msi.nga.mil/api/publications/smaps?…&output=xml`,
  havardgulldahl/navwarns tests/test_data/current.xml): `<smaps><smapsActiveEntity>` with
  `category`, `status` and `msgText`, whose text begins with the date-time group and the
  number ("290041Z AUG 25\\nHYDROARC 145/25(15).\\n…"): read as it is.

The China MSA scraper's table (s0914712/pla-data-dashboard, data/navigation_warnings/
military_exercises.csv and .json): columns publish_date, title, channel, time_periods, …,
content_preview, url. The text is `content_preview` (the page as scraped, its header "发布时间：…
[字体： 大 中 小 ] 分享到：" included), `publish_date` its publication date, `url` its page, and
`channel` (广西海事局) the station whose page it is: given to the reader as the page's header
line `来源：广西海事局` before the text, as msa.gov.cn pages write it.

Safety: an XML document that declares a DOCTYPE or an entity is refused (NGA's never do, and
that is how entity-expansion documents are built); expat never fetches anything; documents
over 64 MB or nested over 100 deep are refused (layers.read.xmldoc). Nothing here raises: what
cannot be read is a Problem naming the file, the record (its index and number) and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from layers.i18n import N_, Message
from layers.read.navwarn.events import guess_warning_columns, table_items
from layers.read.schema import Problem, chained, show_value
from layers.read.table import Table
from layers.read.xmldoc import MAX_XML_BYTES, Node, decode_xml, parse_xml

# NGA's navArea codes and the names its broadcasts give them (Marlin's NavigationalWarningNavArea).
NGA_AREAS = {
    "P": "HYDROPAC",
    "A": "HYDROLANT",
    "C": "HYDROARC",
    "4": "NAVAREA IV",
    "12": "NAVAREA XII",
}
# The MSA scraper's columns (pla-data-dashboard military_exercises.csv).
MSA_SCRAPER_COLUMNS = {
    "text": "content_preview",
    "url": "url",
    "published": "publish_date",
    "station": "channel",
}
WARNING_SUFFIXES = (".txt", ".csv", ".tsv", ".xml", ".json")
_ROMAN = (
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
# NGA's date-time group: day, hours, minutes, Z, month, year (two or four digits).
_DTG = re.compile(r"^\s*(\d{2})(\d{2})(\d{2})\s*Z\s+([A-Z]{3})\s+(\d{4}|\d{2})\b", re.IGNORECASE)
_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass
class Record:
    """One warning's text as its source gives it, ready for the reader.

    `text` is what the reader reads (for NGA records, the number as NGA writes it, a line, then
    the record's text); `row` the spreadsheet row or the record's place in the file (1, 2, …),
    None in a text file; `published` the publication date (NGA: the issue date's UTC day).
    `cancelled_by` and `cancelled_at` are the source's own word that the warning was cancelled
    (NGA's cancelNavArea/cancelMsgNumber/cancelMsgYear and cancelDate, an aware UTC datetime).
    """

    text: str
    url: str | None = None
    published: dt.date | None = None
    row: int | None = None
    number: str = ""
    cancelled_by: str | None = None
    cancelled_at: dt.datetime | None = None

    def item(self) -> tuple[str, str | None, dt.date | None, int | None]:
        """The (text, URL, publication date, row) item `import_warnings` takes."""
        return (self.text, self.url, self.published, self.row)


@dataclass
class WarningSource:
    """What one file holds: its records, its problems, and what the reader chose and the
    analyst should know (`notes`: the columns read from a table). `unit` is how problems name
    a record's place: "row" (a spreadsheet row), "record" (NGA's records), "" (a text)."""

    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit: str = ""

    def items(self) -> list[tuple[str, str | None, dt.date | None, int | None]]:
        return [record.item() for record in self.records]


def nga_number(area: object, number: object, year: object) -> str | None:
    """A warning's number as NGA's broadcasts write it, from its navArea, msgNumber and msgYear
    fields: ("P", 2381, 2026) -> "HYDROPAC 2381/26", ("12", 123, 2026) -> "NAVAREA XII
    123/26", ("11", 540, 2024) -> "NAVAREA XI 540/24". None when a field is not what NGA
    writes (an unknown area, a number or year that is not a whole number)."""
    name = nga_area(area)
    count, when = _whole(number), _whole(year)
    if name is None or count is None or when is None or not 1900 <= when <= 2999:
        return None
    return f"{name} {count}/{when % 100:02d}"


def nga_area(area: object) -> str | None:
    """The name of an NGA navArea code: P HYDROPAC, A HYDROLANT, C HYDROARC, 4 NAVAREA IV,
    12 NAVAREA XII, another number 1–21 its NAVAREA in Roman numerals; None otherwise."""
    code = str(area).strip().upper() if isinstance(area, (str, int)) else ""
    if code in NGA_AREAS:
        return NGA_AREAS[code]
    if code.isascii() and code.isdigit() and 1 <= int(code) <= 21:
        value, roman = int(code), ""
        for amount, letters in _ROMAN:
            while value >= amount:
                roman, value = roman + letters, value - amount
        return f"NAVAREA {roman}"
    return None


def nga_time(text: object) -> dt.datetime | None:
    """An NGA date-time group as an aware UTC datetime: "170950Z JAN 2017" and "170950Z JAN
    17" -> 2017-01-17 09:50 UTC. None when it is not one (or not a real day)."""
    if not isinstance(text, str):
        return None
    match = _DTG.match(text)
    if not match or match.group(4).upper() not in _MONTHS:
        return None
    day, hour, minute, month, year = match.groups()
    try:
        return dt.datetime(
            int(year) if len(year) == 4 else 2000 + int(year),
            _MONTHS.index(month.upper()) + 1,
            int(day),
            int(hour),
            int(minute),
            tzinfo=dt.UTC,
        )
    except ValueError:
        return None


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _one_warning(text: str) -> str:
    """A record's text with its blank lines closed up and line ends kept: one NGA record is one
    warning, and its text is read as such."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line.strip())


# --- NGA records -----------------------------------------------------------------------------
def nga_record(fields: dict[str, object], index: int, label: str) -> tuple[Record | None, list]:
    """One NGA broadcast-warning record (its fields by name, as the XML's children or the
    JSON's members give them) as a Record, and the problems naming it (`record #3 (HYDROPAC
    2381/26)`). A record without text, or whose number cannot be composed and whose text does
    not begin with one, gives no Record and one problem naming the field. Never raises."""
    problems: list[Problem] = []
    number = nga_number(fields.get("navArea"), fields.get("msgNumber"), fields.get("msgYear"))
    name = (
        Message("record #{index} ({number})", index=str(index), number=number)
        if number
        else Message("record #{index}", index=str(index))
    )
    body = fields.get("text")
    if body is None:
        body = fields.get("msgText")
    body = _one_warning(body) if isinstance(body, str) else ""
    if not body.strip():
        why = Message("no text: the record holds no warning to read; left out")
        field_name = "msgText" if "msgText" in fields else "text"
        return None, [Problem(label, why, name, field_name)]
    issued = nga_time(fields.get("issueDate"))
    lines = body.split("\n")
    if issued is None and nga_time(lines[0]):  # SMAPS: the text opens with its date-time group
        issued = nga_time(lines[0])
    if number is None:
        from layers.read.navwarn.headers import find_number

        opening = find_number(unicodedata.normalize("NFKC", "\n".join(lines[:3])))
        if opening is None:
            wrong = next(
                (
                    key
                    for key, good in (
                        ("navArea", nga_area(fields.get("navArea"))),
                        ("msgNumber", _whole(fields.get("msgNumber"))),
                        ("msgYear", nga_number("P", 1, fields.get("msgYear"))),
                    )
                    if good is None
                ),
                "msgNumber",
            )
            value = fields.get(wrong)
            said = (
                Message("missing")
                if value is None
                else Message("{value} is not what NGA writes", value=show_value(value))
            )
            return None, [
                Problem(
                    label,
                    Message(
                        "{said}: the warning's number cannot be made (navArea, msgNumber, "
                        "msgYear); left out",
                        said=said,
                    ),
                    name,
                    wrong,
                )
            ]
        text = body
        number = opening.group().strip()
    else:
        text = f"{number}\n{body}"
    written = fields.get("issueDate")
    if issued is None and written not in (None, ""):
        problems.append(
            Problem(
                label,
                Message(
                    "{value} is not an NGA date-time group (170950Z JAN 2017); the warning is "
                    "read without its publication date",
                    value=show_value(written),
                ),
                name,
                "issueDate",
                skipped=False,
            )
        )
    record = Record(text, None, issued.date() if issued else None, index, number)
    by = nga_number(
        fields.get("cancelNavArea"), fields.get("cancelMsgNumber"), fields.get("cancelMsgYear")
    )
    cancelled = nga_time(fields.get("cancelDate"))
    if by is not None and by != number:
        record.cancelled_by = by
    if cancelled is not None and (by is not None or str(fields.get("status", "")).upper() == "C"):
        record.cancelled_at = cancelled
    if by is None and any(
        fields.get(key) not in (None, "") for key in ("cancelNavArea", "cancelMsgNumber")
    ):
        problems.append(
            Problem(
                label,
                Message(
                    "the warning that cancelled it cannot be named from cancelNavArea {area}, "
                    "cancelMsgNumber {number}, cancelMsgYear {year}; not marked cancelled",
                    area=show_value(fields.get("cancelNavArea")),
                    number=show_value(fields.get("cancelMsgNumber")),
                    year=show_value(fields.get("cancelMsgYear")),
                ),
                name,
                "cancelNavArea",
                skipped=False,
            )
        )
    return record, problems


def read_nga_xml(raw: bytes, label: str) -> WarningSource:
    """NGA's broadcast warnings as XML (`<broadcast-warn>` or the older `<smaps>`): one Record
    per record element, in order, numbered 1, 2, …; a document that cannot be read is one
    problem naming the file. Never raises."""
    source = WarningSource(unit="record")
    try:
        text, why = decode_xml(raw)
        if text is not None and _DECLARATIONS.search(text):
            why = (
                "it declares a DOCTYPE or entities, which NGA's broadcast warnings never do "
                "(refused: entities can expand without end)"
            )
        root = None
        if why is None:
            root, why = parse_xml(raw)
        if root is None:
            source.problems.append(
                Problem(label, Message("cannot be read as NGA's XML: {reason}", reason=why))
            )
            return source
        entities = [node for node in root.children if _is_record(node)]
        if not entities and _is_record(root):
            entities = [root]
        if not root.children and root.name in ("broadcast-warn", "smaps"):
            # NGA's answer when no warning matched (a navArea and year without any).
            source.notes.append(
                Message("{file}: holds no warnings (an empty <{root}>)", file=label, root=root.name)
            )
            return source
        if not entities:
            source.problems.append(
                Problem(
                    label,
                    Message(
                        "holds no NGA broadcast warning: the root <{root}> has no record with "
                        "msgNumber, text or msgText (NGA's <broadcast-warn> or <smaps>)",
                        root=root.name[:40],
                    ),
                )
            )
            return source
        _add_records(
            source,
            [{child.name: child.text for child in node.children} for node in entities],
            label,
        )
    except Exception:  # the door never breaks
        source.problems.append(
            Problem(label, Message("cannot be read as NGA's XML (an unexpected error)"))
        )
    return source


def _add_records(source: WarningSource, records: list[dict], label: str) -> None:
    """NGA's records (their fields by name, in order) into `source`: each a Record, or the
    problems that kept it from being one."""
    for index, fields in enumerate(records, start=1):
        record, problems = nga_record(fields, index, label)
        source.problems += problems
        if record is not None:
            source.records.append(record)


def _is_record(node: Node) -> bool:
    return any(child.name in ("msgNumber", "text", "msgText") for child in node.children)


def read_nga_json(raw: bytes, label: str) -> WarningSource:
    """NGA's broadcast warnings as JSON (`{"broadcast-warn": [...]}` or a bare list of its
    records), or the MSA scraper's JSON (a list of records with content_preview): Records as
    `read_nga_xml` and `table_source` give them. Never raises."""
    source = WarningSource(unit="record")
    try:
        if len(raw) > MAX_XML_BYTES:
            why = Message("it is over {size} MB", size=str(MAX_XML_BYTES // (1024 * 1024)))
            source.problems.append(
                Problem(label, Message("cannot be read as JSON: {reason}", reason=why))
            )
            return source
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            source.problems.append(
                Problem(
                    label,
                    Message(
                        "cannot be read as JSON: byte {byte} is not UTF-8",
                        byte=format(error.start, ","),
                    ),
                )
            )
            return source
        except (ValueError, RecursionError) as error:
            said = (
                Message(
                    "cannot be read as JSON: not JSON (line {line}, column {column})",
                    line=format(error.lineno, ","),
                    column=format(error.colno, ","),
                )
                if isinstance(error, json.JSONDecodeError)
                else Message("cannot be read as JSON: not JSON")
            )
            source.problems.append(Problem(label, said))
            return source
        records = document.get("broadcast-warn") if isinstance(document, dict) else document
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            source.problems.append(
                Problem(
                    label,
                    'holds no warnings: NGA\'s JSON is {"broadcast-warn": [records]} and the MSA '
                    "scraper's a list of records",
                )
            )
            return source
        if records and not any(("text" in r or "msgNumber" in r) for r in records):
            rows = [
                (number, {str(k): _cell(v) for k, v in r.items()})
                for number, r in enumerate(records, start=1)
            ]
            columns = list(dict.fromkeys(key for _, row in rows for key in row))
            table = Table(columns, rows, noun="record")
            return table_source(table, label, unit="record")
        _add_records(source, records, label)
    except Exception:  # the door never breaks
        source.problems.append(
            Problem(label, Message("cannot be read as JSON (an unexpected error)"))
        )
    return source


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, ensure_ascii=False)


# --- tables ----------------------------------------------------------------------------------
def table_source(
    table: Table,
    label: str,
    column: str | None = None,
    url_column: str | None = None,
    published_column: str | None = None,
    station_column: str | None = None,
    published: dt.date | None = None,
    unit: str = "row",
) -> WarningSource:
    """The warnings of a table, one per row with a text: from `column` (with `url_column`,
    `published_column` and `station_column` when given); without `column`, the MSA scraper's
    columns when the table has them (content_preview, url, publish_date, channel), else a guess
    (`guess_warning_columns`), said in `notes`. A station (广西海事局) is given to the reader
    as the page's header line "来源：广西海事局" before the text. Never raises."""
    source = WarningSource(problems=list(table.problems), unit=unit)
    if column is None:
        if all(name in table.columns for name in MSA_SCRAPER_COLUMNS.values()):
            chosen = dict(MSA_SCRAPER_COLUMNS)
            how = Message("the China MSA scraper's columns")
        else:
            chosen = {**guess_warning_columns(table), "station": None}
            how = Message("guessed")
        if not chosen["text"]:
            source.problems.append(
                Problem(label, Message("no column of warnings found: give one (--column)"))
            )
            return source
        column, url_column = chosen["text"], chosen["url"]
        published_column, station_column = chosen["published"], chosen["station"]
        parts = [Message('text "{column}"', column=column)]
        parts += [f'URL "{url_column}"'] if url_column else []
        parts += (
            [Message('published "{column}"', column=published_column)] if published_column else []
        )
        parts += [Message('station "{column}"', column=station_column)] if station_column else []
        listed = chained(N_("{first}, {rest}"), parts)
        source.notes.append(
            Message(
                "{file}: warnings read from {columns} ({how})", file=label, columns=listed, how=how
            )
        )
    elif column not in table.columns:
        source.problems.append(
            Problem(
                label,
                Message('no column "{column}" ({found})', column=column, found=table.describe()),
            )
        )
        return source
    items, problems = table_items(table, label, column, url_column, published_column, published)
    source.problems += problems
    stations = {number: row.get(station_column or "", "").strip() for number, row in table.rows}
    for text, url, day, row in items:
        station = stations.get(row, "") if station_column else ""
        prefix = f"来源：{station}\n" if station and "来源" not in text[:200] else ""
        source.records.append(Record(prefix + text, url, day, row))
    return source


# --- any file --------------------------------------------------------------------------------
def read_warning_source(
    name: str,
    raw: bytes,
    label: str,
    column: str | None = None,
    url_column: str | None = None,
    published_column: str | None = None,
    station_column: str | None = None,
    published: dt.date | None = None,
) -> WarningSource:
    """The warnings of one file, by its suffix: .xml NGA's XML, .json NGA's or the scraper's
    JSON, .csv/.tsv a table (`table_source`), anything else UTF-8 text (one Record, whose
    warnings the reader splits on their numbers; `published` its publication date). Never raises."""
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".xml":
            return read_nga_xml(raw, label)
        if suffix == ".json":
            return read_nga_json(raw, label)
        if suffix in (".csv", ".tsv"):
            from layers.read.sources import read_source

            table = read_source(name, raw, label)
            if not table.columns:
                return WarningSource(problems=list(table.problems), unit="row")
            return table_source(
                table, label, column, url_column, published_column, station_column, published
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            why = Message(
                "not UTF-8 text (byte {byte}); save it as UTF-8", byte=format(error.start, ",")
            )
            return WarningSource(problems=[Problem(label, why)])
        if "\0" in text:
            return WarningSource(
                problems=[Problem(label, Message("holds NUL bytes: a binary file"))]
            )
        return WarningSource([Record(text, None, published, None)])
    except Exception:  # the door never breaks
        return WarningSource(
            problems=[Problem(label, Message("cannot be read (an unexpected error)"))]
        )


# --- the reader's warnings, completed from the source's own fields ----------------------------
def read_source_warnings(source: WarningSource):
    """`read_items` of the source's records, each warning completed from its record's own
    fields: NGA's word that it was cancelled (by another warning: `cancelled_by`; at a time:
    its end, when that falls within the warning). Never raises."""
    from layers.read.navwarn.reader import read_items

    return completed(read_items(source.items()), source.records)


def completed(read: list, records: list[Record]) -> list:
    """The warnings of `read` (`read_items` of items among which are those of `records`, by
    their row) completed from their records' own fields, as `read_source_warnings` does; the
    others as they are. Returns `read`. Never raises."""
    by_row = {record.row: record for record in records if record.row is not None}
    for warning, _, _, row in read:
        record = by_row.get(row)
        if record is None:
            continue
        try:
            if record.cancelled_by and not warning.cancelled_by:
                warning.cancelled_by = record.cancelled_by
            if record.cancelled_at is not None and warning.start is not None:
                warning.end = cancelled_end(warning.start, warning.end, record.cancelled_at)
                warning.cancelled_at = record.cancelled_at
        except Exception:  # the door never breaks: the warning stays as read
            continue
    return read


def cancelled_end(start, end, at: dt.datetime):
    """A warning's end once it is cancelled at `at` (aware): `at` when it falls between its
    start and its end (compared by UTC instant where both carry a time, by day otherwise), its
    own end otherwise (cancelled after it ended, or before it began: its dates stay)."""
    end = end or start

    def day(value):
        return value.date() if isinstance(value, dt.datetime) else value

    def timed(value):
        return isinstance(value, dt.datetime) and value.tzinfo is not None

    after_start = at >= start if timed(start) else day(at) >= day(start)
    before_end = at < end if timed(end) else day(at) <= day(end)
    return at if after_start and before_end else end


def source_problems(source: WarningSource, problems: list[Problem]) -> list[Problem]:
    """The source's own problems and the reader's, a record named as the source names it
    ("record #3, warning …" for NGA's records, not a spreadsheet "row"), in the records'
    order."""
    if source.unit != "record":
        return source.problems + problems
    renamed = [
        replace(problem, feature="record #" + problem.feature[len("row #") :])
        if problem.feature and problem.feature.startswith("row #")
        else problem
        for problem in problems
    ]

    def place(problem: Problem) -> int:
        found = re.match(r"record #(\d+)", problem.feature or "")
        return int(found.group(1)) if found else 0

    # In the records' order: a record left out is said where it is in the file.
    return sorted(source.problems + renamed, key=place)
