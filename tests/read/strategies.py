"""Hypothesis strategies: valid events, the ways real files go wrong, and CSV text.

Valid features are built from the format's own rules (ids, kinds, dates whose form is their
precision, ISO nations, positions inside the map's region, closed counter-clockwise rings);
mutations are what files from QGIS, geojson.io, spreadsheets and converters do to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

import openpyxl
from hypothesis import strategies as st
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from layers.nations import NATION_NAMES
from layers.read.geometry import GEOMETRY_TYPES
from layers.read.schema import EVENT_COLUMNS, KINDS

NATIONS = sorted(NATION_NAMES)
# The properties an event file writes (the table's computed columns left out).
EVENT_KEYS = tuple(
    "coordTimes" if column == "coord_times" else column
    for column in EVENT_COLUMNS
    if column not in ("start_text", "end_text", "file")
)

# --- any JSON value, including the numbers and texts that break naive readers ---------------
# Any text, NUL and lone surrogates included: JSON can escape them ("\\u0000", "\\udc80") though
# PostgreSQL cannot store a NUL and no UTF-8 can hold a lone surrogate, and faulty converters
# write both.
UNSTORABLE = ["\x00", "Patrol\x00 off Yonaguni", "\ud800", "Haijing \udfff 2502", "\x00\ud83d"]
unstorable_texts = st.sampled_from(UNSTORABLE) | st.builds(
    lambda text, bad, at: text[:at] + bad + text[at:],
    st.text(max_size=10),
    st.sampled_from(["\x00", "\ud800", "\udc80"]),
    st.integers(0, 10),
)
any_texts = st.text(st.characters(exclude_categories=()), max_size=30) | unstorable_texts
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**420)
    | st.floats(allow_nan=True, allow_infinity=True)
    | any_texts
    | st.sampled_from(["", " ", "\n", "2024-07-18", "9999-12-31", "0001-01-01", "JPN", "<b>"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
any_dates = st.dates(
    min_value=dt.date(1, 1, 1),
    max_value=dt.date(9999, 12, 31),
)
# Every date the format can write (years 0001-9999, at day, month or year precision), and
# texts that look like dates but are not.
format_dates = st.builds(
    lambda day, form: day.isoformat()[:form], any_dates, st.sampled_from([10, 7, 4])
)
odd_dates = (
    format_dates
    | st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True)
    | st.sampled_from(
        ["2024-02-30", "2024-00", "2024-13", "24-07-18", "2024/07/18", "2024-07-18T10:00", " 2024 "]
    )
)


# --- valid pieces ------------------------------------------------------------------------------
def _coordinate(low: float, high: float):
    return st.floats(low, high, allow_nan=False).map(lambda value: round(value, 3))


positions = st.tuples(_coordinate(100.0, 179.0), _coordinate(-10.0, 50.0))


@st.composite
def boxes(draw):
    """A counter-clockwise closed ring: a box of at least 0.01° a side."""
    west, south = draw(positions)
    width = draw(_coordinate(0.01, 0.9))
    height = draw(_coordinate(0.01, 0.9))
    east, north = round(west + width, 3), round(south + height, 3)
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


@st.composite
def valid_geometries(draw):
    kind = draw(st.sampled_from(GEOMETRY_TYPES))
    if kind == "Point":
        return {"type": kind, "coordinates": list(draw(positions))}
    if kind == "MultiPoint":
        return {
            "type": kind,
            "coordinates": [list(p) for p in draw(st.lists(positions, min_size=1, max_size=4))],
        }
    if kind == "LineString":
        line = draw(st.lists(positions, min_size=2, max_size=5, unique=True))
        return {"type": kind, "coordinates": [list(p) for p in line]}
    if kind == "MultiLineString":
        lines = draw(
            st.lists(
                st.lists(positions, min_size=2, max_size=4, unique=True), min_size=1, max_size=3
            )
        )
        return {"type": kind, "coordinates": [[list(p) for p in line] for line in lines]}
    if kind == "Polygon":
        return {"type": kind, "coordinates": [draw(boxes())]}
    # Two boxes far enough apart never overlap.
    first = draw(boxes())
    shift = 2.0 if max(x for x, _ in first) + 2.0 <= 180 else -2.0
    second = [[round(x + shift, 3), y] for x, y in first]
    return {"type": kind, "coordinates": [[first], [second]]}


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


@st.composite
def periods(draw):
    """(start, end or None) written at day, month or year precision, end never before start."""
    first = draw(dates)
    forms = {"day": first.isoformat(), "month": first.isoformat()[:7], "year": str(first.year)}
    start = forms[draw(st.sampled_from(list(forms)))]
    if draw(st.booleans()):
        return start, None
    later = draw(
        st.dates(min_value=first.replace(month=12, day=31), max_value=dt.date(2040, 12, 31))
    )
    return start, later.isoformat()


# Text a valid event may hold: anything PostgreSQL can store (no NUL, no lone surrogate).
texts = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=40
).filter(lambda text: text.strip())


@st.composite
def valid_events(draw, event_id: str):
    start, end = draw(periods())
    properties = {
        "id": event_id,
        "title": draw(texts),
        "kind": draw(st.sampled_from(KINDS)),
        "start": start,
        "nations": draw(st.lists(st.sampled_from(NATIONS), min_size=1, max_size=4)),
        "sources": [{"title": draw(texts)}],
    }
    if end:
        properties["end"] = end
    if draw(st.booleans()):
        properties["summary"] = draw(st.text(max_size=60))
    if draw(st.booleans()):
        properties["forces"] = draw(st.lists(st.text(max_size=20), max_size=3))
    if draw(st.booleans()):
        properties["location_precision_km"] = draw(st.floats(0, 500) | st.integers(0, 500))
    if draw(st.booleans()):
        properties["sides"] = draw(valid_sides(properties["nations"]))
    return {"type": "Feature", "properties": properties, "geometry": draw(valid_geometries())}


@st.composite
def valid_sides(draw, nations: list[str]):
    """Sides an event with `nations` may give: its distinct nations dealt onto up to three
    sides, some left on none (not said); sometimes [] (no side known)."""
    distinct = list(dict.fromkeys(nations))
    count = min(draw(st.sampled_from([0, 1, 2, 2, 3])), len(distinct))
    places = [draw(st.integers(-1, count - 1)) for _ in distinct] if count else []
    sides = [
        [code for code, place in zip(distinct, places) if place == side] for side in range(count)
    ]
    return [side for side in sides if side]


@st.composite
def odd_sides(draw, nations: list[str]):
    """Sides a hand-edited file gets wrong: a code not among the nations, a name, a nation on
    two sides, an empty side, a side that is not a list, a text, or any JSON."""
    sides = draw(valid_sides(nations)) or [[nations[0]]]
    how = draw(st.sampled_from(["outside", "name", "twice", "empty", "flat", "text", "any"]))
    if how == "outside":
        sides[-1].append(draw(st.sampled_from(NATIONS)))
    elif how == "name":
        sides[0].append(draw(st.sampled_from(["Japan", "jpn", "JP", "中国", ""])))
    elif how == "twice":
        sides.append([sides[0][0]])
    elif how == "empty":
        sides.append([])
    elif how == "flat":
        sides.append(draw(st.sampled_from(nations)))
    elif how == "text":
        return " vs ".join("+".join(side) for side in sides)
    else:
        return draw(json_values)
    return sides


# --- what goes wrong --------------------------------------------------------------------------
@st.composite
def odd_geometries(draw):
    """Geometries that are wrong, degenerate or merely unusual (cut at 180°, 3D, poles)."""
    kind = draw(st.sampled_from([*GEOMETRY_TYPES, "GeometryCollection", "Circle"]))
    position = st.lists(
        st.floats(allow_nan=True, allow_infinity=True)
        | st.integers(-400, 400)
        | st.integers(min_value=10**300, max_value=10**420)
        | st.sampled_from([180, -180, 90, -90, 0]),
        min_size=0,
        max_size=4,
    )
    choices = [
        position,
        st.lists(position, max_size=5),
        st.lists(st.lists(position, max_size=5), max_size=3),
        st.lists(st.lists(st.lists(position, max_size=5), max_size=3), max_size=3),
        json_values,
        st.just([[[120, 24], [121, 25]], []]),
        st.just([[[[120, 24], [121, 24], [121, 25], [120, 24]]], []]),
        st.just([[[-180, 80], [180, 80], [180, 90], [-180, 90], [-180, 80]]]),
        st.just([[[170, 10], [180, 10], [180, 20], [170, 20], [170, 10]]]),
        st.just([[120, 24, 5], [121, 25], [122, 25, 0]]),
        st.just([[120, 24], [120, 24]]),
        st.just([[[120, 24], [121, 24], [121, 25]]]),
        st.just([[[120, 24], [121, 24], [121, 25], [120, 25]]]),
    ]
    geometry = {"type": kind, "coordinates": draw(st.one_of(choices))}
    if draw(st.booleans()):
        geometry[draw(st.sampled_from(["bbox", "properties", "features", "geometry", "x"]))] = draw(
            json_values
        )
    return geometry


@st.composite
def mutated_features(draw, event_id: str):
    """A valid event changed in one to three ways, or not a feature at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    feature = draw(valid_events(event_id))
    properties = feature["properties"]
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        change = draw(
            st.sampled_from(
                ["set", "date", "delete", "member", "geometry", "blank", "sides", "unstorable"]
            )
        )
        key = draw(st.sampled_from(EVENT_KEYS))
        if change == "sides":
            nations = properties.get("nations")
            if isinstance(nations, list) and nations and all(isinstance(n, str) for n in nations):
                properties["sides"] = draw(odd_sides(nations))
        elif change == "set":
            properties[key] = draw(json_values)
        elif change == "date":
            properties[draw(st.sampled_from(["start", "end"]))] = draw(odd_dates)
        elif change == "delete":
            properties.pop(key, None)
        elif change == "unstorable":  # text PostgreSQL cannot store, where text belongs
            text = draw(unstorable_texts)
            place = draw(st.sampled_from(["title", "summary", "forces", "sources", "id", "key"]))
            if place == "forces":
                properties["forces"] = ["Sagami", text]
            elif place == "sources":
                properties["sources"] = [{"title": "Report", "url": "https://example.org/" + text}]
            elif place == "key":
                properties[text] = "x"
            else:
                properties[place] = text
        elif change == "blank":
            properties[key] = draw(st.sampled_from(["", "  ", "\t"]))
        elif change == "member":
            member = draw(st.sampled_from(["id", "bbox", "coordinates", "features", "extra"]))
            feature[member] = draw(json_values)
        else:
            feature["geometry"] = draw(odd_geometries() | json_values)
    return feature


@st.composite
def event_documents(draw):
    """(file bytes, ids of the valid events in it): valid and mutated features interleaved."""
    valid = [draw(valid_events(f"valid-event-{n:04d}")) for n in range(draw(st.integers(0, 4)))]
    mutated = [
        draw(mutated_features(f"mutated-event-{n:04d}")) for n in range(draw(st.integers(0, 5)))
    ]
    features = draw(st.permutations(valid + mutated))
    document: dict = {"type": "FeatureCollection", "features": features}
    if draw(st.integers(0, 4)) == 0:
        document[draw(st.sampled_from(["bbox", "properties", "geometry", "coordinates"]))] = draw(
            json_values
        )
    text = json.dumps(document, ensure_ascii=draw(st.booleans()), allow_nan=True)
    ids = [feature["properties"]["id"] for feature in valid]
    # A lone surrogate written raw is not UTF-8: the file is refused whole, with one problem
    # saying so, and none of its events loads. Escaped ("\\udc80"), it is read.
    raw = text.encode("utf-8", "surrogatepass")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        ids = []
    return raw, ids


@st.composite
def broken_bytes(draw):
    """A valid document cut short, with bytes spliced in, nested deeply, or any bytes at all."""
    raw, _ = draw(event_documents())
    how = draw(st.sampled_from(["cut", "splice", "deep", "bytes", "top"]))
    if how == "cut":
        return raw[: draw(st.integers(0, max(len(raw) - 1, 0)))]
    if how == "splice":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(max_size=8)) + raw[at:]
    if how == "deep":
        depth = draw(st.integers(1, 100_000))
        return b'{"type": "FeatureCollection", "features": ' + b"[" * depth + b"]" * depth + b"}"
    if how == "top":
        return json.dumps(draw(json_values), allow_nan=True).encode()
    return draw(st.binary(max_size=200))


plain_characters = st.characters(exclude_characters='"\r\n\0', exclude_categories=("Cs",))

# --- CSV text ---------------------------------------------------------------------------------
CSV_COLUMNS = ("id", "title", "kind", "start", "end", "nations", "lat", "lon", "source_title")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "shift_jis")


@st.composite
def csv_files(draw):
    """(bytes, encoding, delimiter, {row number: id} of the valid rows, row numbers of the bad
    rows, {row number: id} of valid rows shifted by one extra cell, the unquoted delimiter of
    a hand-edited file). Row numbers are the spreadsheet's: the header is row 1, blank lines
    count."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    columns = draw(st.permutations(CSV_COLUMNS))
    decimal_comma = delimiter == ";" and draw(st.booleans())
    records: list[str] = [record(columns, delimiter)]
    valid: dict[int, str] = {}
    bad: list[int] = []
    shifted: dict[int, str] = {}
    for n in range(draw(st.integers(0, 8))):
        shape = draw(
            st.sampled_from(["valid", "valid", "blank", "empty", "ragged", "random", "shifted"])
        )
        if shape == "blank":
            records.append("")
        elif shape == "empty":
            records.append(delimiter * (len(columns) - 1))
        elif shape == "ragged":
            cells = draw(st.lists(st.text(plain_characters, max_size=6), min_size=1, max_size=14))
            cells = [cell.replace(delimiter, "") for cell in cells]
            if len(cells) == len(columns):
                cells.append("extra")
            records.append(delimiter.join(cells))
            bad.append(len(records))
        elif shape == "random":
            cells = draw(
                st.lists(st.text(max_size=12), min_size=len(columns), max_size=len(columns))
            )
            cells = [cell.replace("\0", "") for cell in cells]
            records.append(record(cells, delimiter))
            bad.append(len(records))
        elif shape == "shifted":
            row = draw(_valid_csv_row(f"shifted-row-{n:04d}", decimal_comma))
            original = [row[column] for column in columns]
            cells = list(original)
            extra = draw(st.sampled_from(["123", ""]))
            cells.insert(draw(st.integers(0, len(cells))), extra)
            records.append(record(cells, delimiter))
            if cells[: len(original)] == original and not extra:
                valid[len(records)] = row["id"]  # an empty cell after the last shifts nothing
            else:
                bad.append(len(records))
                shifted[len(records)] = row["id"]
        else:
            row = draw(_valid_csv_row(f"valid-row-{n:04d}", decimal_comma))
            records.append(record([row[column] for column in columns], delimiter))
            valid[len(records)] = row["id"]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(records) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(ENCODINGS))
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        encoding = "utf-8"
        raw = text.encode(encoding)
    return raw, encoding, delimiter, valid, bad, shifted


@st.composite
def _valid_csv_row(draw, row_id: str, decimal_comma: bool):
    start, end = draw(periods())
    lon, lat = draw(positions)
    number = (lambda value: str(value).replace(".", ",")) if decimal_comma else str
    title = draw(texts).replace("\0", "")
    return {
        "id": row_id,
        # Multi-line titles are quoted by the writer; the title check refuses none of them.
        "title": title if title.strip() else "T",
        "kind": draw(st.sampled_from(KINDS)),
        "start": start,
        "end": end or "",
        "nations": ";".join(draw(st.lists(st.sampled_from(NATIONS), min_size=1, max_size=3))),
        "lat": number(lat),
        "lon": number(lon),
        "source_title": draw(texts).replace("\0", "").strip() or "S",
    }


def record(cells, delimiter: str) -> str:
    buffer = io.StringIO()
    # With "\r\n" as the terminator the writer quotes every cell holding \r or \n.
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()[:-2]


MAPPING_LINES = (
    "[source]",
    'title = "List"',
    "[fields]",
    'title = { column = "A" }',
    'kind = { value = "patrol" }',
    'start = { column = "B", format = "%Y" }',
    'nations = { column = "C", split = "[" }',
    'id = { template = "{A}-{row}" }',
    "[geometry]",
    'lat = "D"',
    'lon = "E"',
    'area = "x"',
    'points = { column = "F", order = "up" }',
    "[other]",
    "x = 1",
    'location_precision_km = { column = "G", values = { "6" = "800" }, unit = "nm" }',
    'location_precision_km = { column = "G", unit = "miles" }',
    'title = { column = "A", format = "%Y" }',
    'encoding = "cp1252"',
    'encoding = "base64"',
    "[[skip]]",
    'column = "H"',
    'equals = ["duplicate", "retracted"]',
    "empty = true",
    "[counts]",
    'aircraft = { column = "I" }',
    'ships = { column = "J", values = { "-" = "0", "n/a" = "" } }',
    "sorties = { value = 4.5 }",
    'Aircraft = { column = "I" }',
    'ships = { column = "J", split = ";" }',
)


@st.composite
def toml_mutations(draw):
    """Mapping files built from valid and broken lines, shuffled."""
    lines = draw(st.lists(st.sampled_from(MAPPING_LINES), max_size=12))
    lines += draw(st.lists(st.text(max_size=20), max_size=2))
    return "\n".join(draw(st.permutations(lines)))


# --- KML, KMZ and GPX documents (layers.read.kml, layers.read.gpx) ----------------------------
# Text XML 1.0 can hold (§2.2), without "\r" (parsers turn it into "\n").
xml_characters = st.characters(
    exclude_categories=("Cs", "Cc", "Cn"), exclude_characters="\ufffe\uffff"
) | st.sampled_from(" \t\n")
xml_texts = st.text(xml_characters, max_size=20)
# Times at every precision KML (xsd:dateTime, gYearMonth, gYear, date) and GPX write, with
# every kind of UTC offset, and texts that are no times at all: each must reach its cell as
# written.
time_texts = st.builds(
    lambda moment, width, fraction, offset: (
        moment.isoformat()[:width]
        + (fraction if width == 19 else "")
        + (offset if width > 10 else "")
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from([4, 7, 10, 16, 19]),
    st.sampled_from(["", ".5", ".123456"]),
    st.sampled_from(["", "Z", "+09:00", "-05:30", "+14:00", "-12:00", "+0800"]),
) | xml_texts.map(str.strip)
KML_NAMESPACES = (
    ' xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"',
    ' xmlns="http://earth.google.com/kml/2.1"',
    "",  # no namespace, and a gx: prefix nobody declared
)


def _x(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text, {'"': "&quot;"})


@st.composite
def _placemark(draw, key: str):
    """A Placemark XML text and the time cells it must give: {column: text as written}."""
    name, description = draw(xml_texts), draw(xml_texts)
    shape = draw(st.sampled_from(["stamp", "span", "track", "none"]))
    expected = {"timestamp": "", "begin": "", "end": ""}
    times = ""
    geometry = "<Point><coordinates>123.5,25.5</coordinates></Point>"
    if shape == "stamp":
        when = draw(time_texts)
        times, expected["timestamp"] = f"<TimeStamp><when>{_x(when)}</when></TimeStamp>", when
    elif shape == "span":
        begin, end = draw(time_texts), draw(time_texts)
        times = f"<TimeSpan><begin>{_x(begin)}</begin><end>{_x(end)}</end></TimeSpan>"
        expected["begin"], expected["end"] = begin, end
    elif shape == "track":
        whens = draw(st.lists(time_texts, min_size=1, max_size=3))
        coords = "".join(f"<gx:coord>{123 + i} 25 0</gx:coord>" for i in range(len(whens)))
        geometry = (
            "<gx:Track>" + "".join(f"<when>{_x(w)}</when>" for w in whens) + coords + "</gx:Track>"
        )
        written = [w for w in whens if w]
        if written:
            expected["begin"], expected["end"] = written[0], written[-1]
    data = "".join(
        f'<Data name="d{_x(k)}"><value>{_x(v)}</value></Data>'
        for k, v in draw(st.dictionaries(xml_texts, xml_texts, max_size=2)).items()
    )
    text = (
        f"<Placemark><name>{_x(name)}</name><description>{_x(description)}</description>"
        f'{times}<ExtendedData><Data name="key"><value>{key}</value></Data>{data}'
        f"</ExtendedData>{geometry}</Placemark>"
    )
    folders = draw(st.lists(xml_texts, max_size=3))
    for folder in reversed(folders):
        text = f"<Folder><name>{_x(folder)}</name>{text}</Folder>"
    return text, expected


@st.composite
def _kml_document(draw, keys: list[str], links: list[str]):
    namespace = draw(st.sampled_from(KML_NAMESPACES))
    expected = {}
    parts = []
    for key in keys:
        text, expected[key] = draw(_placemark(key))
        parts.append(text)
    parts += [
        f"<NetworkLink><name>{_x(draw(xml_texts))}</name><Link><href>{_x(href)}</href></Link>"
        "</NetworkLink>"
        for href in links
    ]
    draw(st.randoms()).shuffle(parts)
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<kml{namespace}><Document>'
        f"<name>{_x(draw(xml_texts))}</name>{''.join(parts)}</Document></kml>\n"
    )
    return body.encode("utf-8"), expected


@st.composite
def _broken(draw, raw: bytes) -> tuple[bytes, bool]:
    """The document, or (when drawn) cut short inside its root element: never well-formed."""
    if not draw(st.booleans()) or draw(st.integers(0, 3)):
        return raw, False
    end = raw.rstrip().rfind(b"</")
    return raw[: draw(st.integers(0, max(0, end - 1)))], True


@st.composite
def geo_xml_uploads(draw):
    """(file name, bytes, {key: {time column: text}}, keys that must load, links outside).

    A KML, a KMZ whose doc.kml links layers inside the archive, one outside it (http) and
    one above it (../), or a GPX; any document may be cut short (broken XML), and then only
    its own rows are lost.
    """
    kind = draw(st.sampled_from(["kml", "kmz", "gpx"]))
    if kind == "gpx":
        return draw(_gpx_upload())
    count = draw(st.integers(0, 6))
    keys = [f"k{index}" for index in range(count)]
    if kind == "kml":
        raw, expected = draw(_kml_document(keys, []))
        raw, broken = draw(_broken(raw))
        return "l.kml", raw, expected, ([] if broken else keys), []
    split = draw(st.integers(0, count))
    layers = [keys[split:][i::2] for i in range(2)]
    outside = ["http://example.org/feed.kml", "../outside.kml"]
    inside = [f"layers/{index}.kml" for index in range(2)]
    root, expected = draw(_kml_document(keys[:split], inside + outside))
    root, root_broken = draw(_broken(root))
    members = {"doc.kml": root}
    must = [] if root_broken else list(keys[:split])
    for path, layer_keys in zip(inside, layers, strict=True):
        raw, more = draw(_kml_document(layer_keys, []))
        raw, broken = draw(_broken(raw))
        expected |= more
        members[path] = raw
        if not root_broken and not broken:
            must += layer_keys
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, raw in members.items():
            archive.writestr(path, raw)
    return "l.kmz", buffer.getvalue(), expected, must, ([] if root_broken else outside)


@st.composite
def _gpx_upload(draw):
    expected, parts, keys = {}, [], []
    for index in range(draw(st.integers(0, 5))):
        key = f"k{index}"
        keys.append(key)
        kind = draw(st.sampled_from(["wpt", "rte", "trk"]))
        if kind == "wpt":
            time = draw(time_texts)
            expected[key] = {"time": time}
            parts.append(
                f'<wpt lat="25.5" lon="123.5"><time>{_x(time)}</time><name>{key}</name>'
                f"<desc>{_x(draw(xml_texts))}</desc></wpt>"
            )
            continue
        segments = draw(
            st.lists(st.lists(time_texts, min_size=1, max_size=3), min_size=1, max_size=2)
        )
        point = "rtept" if kind == "rte" else "trkpt"
        inner = [
            "".join(
                f'<{point} lat="25.{i}" lon="123.{i}"><time>{_x(t)}</time></{point}>'
                for i, t in enumerate(segment)
            )
            for segment in segments
        ]
        if kind == "rte":
            inner = [inner[0]]
            segments = segments[:1]
        else:
            inner = [f"<trkseg>{segment}</trkseg>" for segment in inner]
        written = [t for segment in segments for t in segment if t]
        expected[key] = {
            "start_time": written[0] if written else "",
            "end_time": written[-1] if written else "",
        }
        parts.append(f"<{kind}><name>{key}</name>{''.join(inner)}</{kind}>")
    namespace = draw(st.sampled_from(["1/1", "1/0"]))
    raw = (
        f'<?xml version="1.0"?><gpx version="1.1" creator="t" '
        f'xmlns="http://www.topografix.com/GPX/{namespace}">{"".join(parts)}</gpx>'
    ).encode()
    raw, broken = draw(_broken(raw))
    return "l.gpx", raw, expected, ([] if broken else keys), []


@st.composite
def geo_archives(draw):
    """A zip or KMZ of members with hostile paths ("../x.kml", "/etc/x.shp", "C:\\\\x.kml",
    Finder's "__MACOSX/._x") and contents: broken bytes, KML linking anywhere, Shapefile parts
    that are not Shapefiles, a zip inside."""
    paths = st.sampled_from(
        [
            "doc.kml",
            "a/b.kml",
            "../up.kml",
            "/abs.kml",
            "C:\\win.kml",
            "__MACOSX/._doc.kml",
            "x.shp",
            "x.dbf",
            "x.shx",
            "X.CPG",
            "dir/y.shp",
            "dir/y.dbf",
            "in.zip",
            "in.kmz",
            "g.gpx",
            "g.geojson",
            "g.gpkg",
            "g.fgb",
            "readme.txt",
            "a/",
        ]
    ) | st.text(  # zipfile cuts a name at NUL, and an empty name cannot be written
        st.characters(exclude_characters="\0", exclude_categories=("Cs",)), max_size=12
    ).map(lambda name: name + ".kml")
    contents = (
        broken_bytes()
        | st.binary(max_size=200)
        | st.sampled_from(
            [
                b"<kml><Document><NetworkLink><Link><href>../../x.kml</href></Link>"
                b"</NetworkLink><NetworkLink><Link><href>doc.kml</href></Link></NetworkLink>"
                b"<Placemark><name>p</name></Placemark></Document></kml>",
                b'<gpx><wpt lat="a" lon="1"/><trk><trkseg><trkpt lat="1" lon="2"/></trkseg>'
                b"</trk></gpx>",
                b"PK\x05\x06" + b"\0" * 18,
            ]
        )
    )
    members = draw(st.lists(st.tuples(paths, contents), max_size=6))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a name written twice: hostile archives do that
        for path, raw in members:
            archive.writestr(path, raw)
    return draw(st.sampled_from(["l.zip", "l.kmz"])), buffer.getvalue()


# --- Excel workbooks ----------------------------------------------------------------------------
SHEET_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def xlsx_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_xlsx(raw: bytes, part: str, edit) -> bytes:
    """The workbook with one XML part changed by `edit(root)` (an ElementTree element), every
    other part as it was: how the tests make what Excel, LibreOffice or a script would write."""
    ET.register_namespace("", SHEET_MAIN)
    ET.register_namespace("r", _RELATIONSHIPS)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                root = ET.fromstring(data)
                edit(root)
                data = ET.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def store_results(results: dict[str, tuple[str, str]]):
    """An edit of a sheet part that stores formula results as Excel does: `{"D2": ("n", "3")}`
    puts `<v>3</v>` in D2; the type is the cell's `t` ("str" a text result, "b" a boolean,
    "e" an error)."""

    def edit(root):
        for cell in root.iter(f"{{{SHEET_MAIN}}}c"):
            if cell.get("r") not in results:
                continue
            kind, text = results[cell.get("r")]
            if kind == "n":
                cell.attrib.pop("t", None)
            else:
                cell.set("t", kind)
            value = cell.find(f"{{{SHEET_MAIN}}}v")
            if value is None:
                value = ET.SubElement(cell, f"{{{SHEET_MAIN}}}v")
            value.text = text

    return edit


def drop_full_calc(root) -> None:
    """An edit of xl/workbook.xml: no request to recalculate on opening (as Excel saves)."""
    for calc in root.iter(f"{{{SHEET_MAIN}}}calcPr"):
        calc.attrib.pop("fullCalcOnLoad", None)


def hide_sheet(sheet: tuple[str, str]):
    """An edit of xl/workbook.xml giving the sheet named `sheet[0]` the state `sheet[1]`."""

    def edit(root):
        for element in root.iter(f"{{{SHEET_MAIN}}}sheet"):
            if element.get("name") == sheet[0]:
                element.set("state", sheet[1])

    return edit


def excel_saved(raw: bytes, results: dict[str, tuple[str, str]], part: str) -> bytes:
    """An openpyxl workbook as Excel would save it: formula results stored in sheet `part`, and
    no fullCalcOnLoad."""
    return rewrite_xlsx(
        rewrite_xlsx(raw, part, store_results(results)), "xl/workbook.xml", drop_full_calc
    )


# Text a cell can hold as text: no control characters (XML cannot hold most), not a formula
# ("=…") nor an error code, which openpyxl would write as such.
cell_texts = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=8
).filter(lambda text: not text.startswith("=") and text.strip() not in ERROR_CODES)
FORMULAS = ("1+2", "B2*2", "SUM(A1:A3)", 'CONCAT("a","b")', "NOW()", "Sheet2!A1")
# Results a formula may have stored: (cell type, <v> text, the text it reads as; None: an error).
STORED_RESULTS = (
    ("n", "3", "3"),
    ("n", "0", "0"),
    ("n", "24.5", "24.5"),
    ("str", "Liaoning", "Liaoning"),
    ("str", "", ""),
    ("b", "1", "TRUE"),
    ("e", "#N/A", None),
    ("e", "#REF!", None),
    ("e", "#SPILL!", None),
)


@st.composite
def cell_specs(draw):
    """One cell: (kind, what it is written as, the text it reads as or None when its value is
    unknown, the stored result patched in or None)."""
    kind = draw(
        st.sampled_from(["text", "number", "decimal", "bool", "date", "formula", "error", "none"])
    )
    if kind == "text":
        text = draw(cell_texts)
        return ("text", text, text.strip(), None)
    if kind == "number":
        number = draw(st.integers(-(10**9), 10**9))
        return ("number", number, str(number), None)
    if kind == "decimal":
        number = draw(st.sampled_from([24.5, 121.25, -0.5, 0.1, 1e-07]))
        return ("decimal", number, repr(number), None)
    if kind == "bool":
        value = draw(st.booleans())
        return ("bool", value, "TRUE" if value else "FALSE", None)
    if kind == "date":
        day = draw(st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)))
        return ("date", day, day.isoformat(), None)
    if kind == "formula":
        formula = "=" + draw(st.sampled_from(FORMULAS))
        stored = draw(st.none() | st.sampled_from(STORED_RESULTS))
        return ("formula", formula, None, stored)
    if kind == "error":
        return ("error", draw(st.sampled_from(ERROR_CODES)), None, None)
    return ("none", None, "", None)


@dataclass
class WorkbookModel:
    """A workbook to write, and what each of its cells holds.

    `sheets` are (name, state) in order; the one at `target` holds `header` at `header_row`
    and `cells` {(row, column): cell spec} under it; every other sheet holds a decoy row. The
    sheet is asked for by `wanted` (None: the default). `merges` are (top, left, bottom,
    right) ranges under the header; `far` a styled empty cell; `beyond` values right of the
    last named column; `full_calc` keeps openpyxl's request to recalculate on opening.
    """

    sheets: list[tuple[str, str]]
    target: int
    wanted: str | None
    header_row: int
    header: list[str]
    cells: dict[tuple[int, int], tuple] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    far: tuple[int, int] | None = None
    beyond: dict[tuple[int, int], str] = field(default_factory=dict)
    full_calc: bool = True

    def visible(self) -> list[str]:
        return [name for name, state in self.sheets if state == "visible"]

    def sheet_read(self) -> str | None:
        """The sheet the reader must read: the one named, or the first visible one."""
        names = [name for name, _ in self.sheets]
        if self.wanted is not None:
            return self.wanted if self.wanted in names else None
        visible = self.visible()
        return visible[0] if visible else None

    def state(self, spec) -> str | None:
        """The text a cell reads as, or None when its value is unknown."""
        kind, _, text, stored = spec
        if kind != "formula":
            return text
        if stored is None or self.full_calc:
            return None
        return stored[2]

    def expected(self):
        """([(row number, {column: text})], {(row number, column): the cell its message names})
        for the rows read: a row is read when one of its own named cells holds a value or an
        unknown one; a merged range gives its top-left cell to every cell it covers."""
        width = len(self.header)
        last = max([self.header_row, *(row for row, _ in self.cells)])
        covered = {}
        for top, left, bottom, right in self.merges:
            for row in range(top, bottom + 1):
                for column in range(left, right + 1):
                    covered[(row, column)] = (top, left)
        rows: dict[int, dict] = {}
        for number in range(self.header_row + 1, last + 1):
            own = {}
            for column in range(1, width + 1):
                spec = self.cells.get((number, column))
                if spec is None or covered.get((number, column), (number, column)) != (
                    number,
                    column,
                ):
                    continue
                own[column] = self.state(spec)
            if any(text is None or text != "" for text in own.values()):
                rows[number] = own
        texts: list[tuple[int, dict]] = []
        unknown: dict[tuple[int, str], str] = {}
        for number in rows:
            row = {}
            for column in range(1, width + 1):
                source = covered.get((number, column), (number, column))
                if source[0] in rows and source in self.cells:
                    text = self.state(self.cells[source])
                else:
                    text = ""
                name = self.header[column - 1]
                row[name] = text if text is not None else ""
                if text is None:
                    unknown[(number, name)] = get_column_letter(source[1]) + str(source[0])
            texts.append((number, row))
        return texts, unknown

    def write(self) -> bytes:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        results = {}
        part = None
        for index, (name, state) in enumerate(self.sheets):
            sheet = workbook.create_sheet(name)
            sheet.sheet_state = state
            if index != self.target:
                sheet.append(["Decoy"])
                sheet.append(["WRONG SHEET"])
                continue
            part = f"xl/worksheets/sheet{index + 1}.xml"
            for column, name in enumerate(self.header, start=1):
                sheet.cell(self.header_row, column, name)
            for (row, column), (kind, written, _, stored) in self.cells.items():
                if kind == "none":
                    continue
                cell = sheet.cell(row, column, written)
                if kind == "date":
                    cell.number_format = "yyyy-mm-dd"
                if stored is not None:
                    results[cell.coordinate] = stored[:2]
            for (row, column), text in self.beyond.items():
                sheet.cell(row, column, text)
            for top, left, bottom, right in self.merges:
                sheet.merge_cells(
                    start_row=top, start_column=left, end_row=bottom, end_column=right
                )
            if self.far:
                sheet.cell(*self.far).fill = PatternFill("solid", fgColor="FFFF00")
        visible = [index for index, (_, state) in enumerate(self.sheets) if state == "visible"]
        if not visible:  # openpyxl writes no such workbook; Excel opens it (showing none)
            workbook.worksheets[0].sheet_state = "visible"
        workbook.active = visible[0] if visible else 0
        raw = xlsx_bytes(workbook)
        if not visible:
            raw = rewrite_xlsx(raw, "xl/workbook.xml", hide_sheet(self.sheets[0]))
        if results and part:
            raw = rewrite_xlsx(raw, part, store_results(results))
        if not self.full_calc:
            raw = rewrite_xlsx(raw, "xl/workbook.xml", drop_full_calc)
        return raw


SHEET_NAMES = ("Log", "2023", "calc", "Sheet 1", "データ")


@st.composite
def workbook_models(draw):
    """Workbooks with hidden sheets, a header under blank rows, cells of every kind (formulas
    with and without stored results, errors), blank rows, merged ranges, a styled empty cell
    far to the right and values right of the last named column."""
    names = draw(st.lists(st.sampled_from(SHEET_NAMES), min_size=1, max_size=4, unique=True))
    states = draw(
        st.lists(
            st.sampled_from(["visible", "visible", "hidden", "veryHidden"]),
            min_size=len(names),
            max_size=len(names),
        )
    )
    sheets = list(zip(names, states))
    how = draw(st.sampled_from(["default", "default", "named", "missing"]))
    visible = [index for index, (_, state) in enumerate(sheets) if state == "visible"]
    if how == "named" or not visible:
        target = draw(st.integers(0, len(sheets) - 1))
        wanted = names[target] if how == "named" else None
    else:
        target, wanted = visible[0], None
    if how == "missing":
        wanted = "Nope"
    header_row = draw(st.integers(1, 3))
    header = draw(
        st.lists(
            cell_texts.map(str.strip).filter(bool).filter(lambda name: "column " not in name),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    width = len(header)
    count = draw(st.integers(0, 7))
    cells = {}
    for row in range(header_row + 1, header_row + 1 + count):
        for column in range(1, width + 1):
            cells[(row, column)] = draw(cell_specs())
    merges: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 3)) if count else 0):
        top = draw(st.integers(header_row + 1, header_row + count))
        left = draw(st.integers(1, width + 1))
        bottom = draw(st.integers(top, min(top + 3, header_row + count + 1)))
        right = draw(st.integers(left, left + 2))
        area = {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        if len(area) > 1 and not area & taken:
            merges.append((top, left, bottom, right))
            taken |= area
            for place in area - {(top, left)}:
                cells.pop(place, None)  # Excel keeps only the top-left cell's value
    far = None
    if draw(st.booleans()):
        far = (
            draw(st.integers(1, header_row + count + 1)),
            draw(st.sampled_from([30, 702, 16384])),
        )
    beyond = {}
    for row in draw(st.lists(st.integers(header_row + 1, header_row + 8), max_size=2)):
        place = (row, width + draw(st.integers(2, 4)))
        if place not in taken:
            beyond[place] = draw(cell_texts.filter(lambda text: text.strip() != ""))
    return WorkbookModel(
        sheets=sheets,
        target=target,
        wanted=wanted,
        header_row=header_row,
        header=header,
        cells=cells,
        merges=merges,
        far=far,
        beyond=beyond,
        full_calc=draw(st.booleans()),
    )


# --- realistic text in the usual encodings (layers.read.encoding) ------------------------------
def cp1258_form(text: str) -> str:
    """Vietnamese as Windows-1258 writes it: letters with their vowel marks (circumflex, breve,
    horn) precomposed, tone marks as combining characters after them."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.S):
        base = "".join(ch for ch in cluster if ch not in tones)
        out.append(
            unicodedata.normalize("NFC", base) + "".join(ch for ch in cluster if ch in tones)
        )
    return "".join(out)


# Each language's letters as its writers use them: a sampled_from list repeats a letter to
# weigh it (accented letters are a minority of any Western word).
_WESTERN = list("etaoinshrdlcumwfgypbvkjxqz" * 6 + "éèàçñüöäßøåíóúâêôïë")
_PUNCTUATION = [" ", " ", " ", ", ", ". ", "; ", ": ", " – ", " — ", "’", " “", "” ", "\n"]
_VI_ONSETS = [
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
    "Đ",
    "Ng",
    "Tr",
    "H",
]
_VI_VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ươ", "uô", "iê", "oa"]
_VI_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
_VI_CODAS = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
_HANZI_SIMPLIFIED = (
    "中国海警船在仁爱礁附近域依法对菲律宾补给采取管控措施人民解放军东部战区组织空兵力台湾岛周边开展联合"
    "演习据报道美驱逐舰通过峡方全程跟踪监视福建事局发布航行告分进实弹射击训练黄岩是固有领土巡执渔作业时"
    "被离称受到水炮攻辽宁母编队西太平洋远战化俄罗斯艇抵达青港参加上日月年"
)
_HANZI_TRADITIONAL = (
    "國防部今日公布共軍機艦逾越海峽中線嚴密監控並適切應處巡署表示大陸警船隻進入金門限制水域已立即驅離"
    "美通過臺灣展現維護印太地區自由開放承諾本上衛隊護首度單獨航經引起各關注釣魚列嶼周邊發現保安廳出告"
    "山東號南方行載起降訓練漁民反映抽砂澎湖作業破壞洋生態年月"
)
_JAPANESE = (
    "午前時頃級駆逐艦隻宮古島北東約海域西進確認上自衛隊第航空群所属警戒監視実施中国局船舶尖閣諸周辺領"
    "侵入保安庁巡視退去要求軍対馬峡日本向与那台湾間防省統合幕僚部空母遼寧動発表朝鮮弾道発射排他的経済水"
    "外落下推定"
    "のがをにはでとしたるいかれもてなすこ"
    "ルーヤンフリゲトロシアウダイジキミサ"
)
_HANGUL = (
    "중국해군구축함척이어도인근역을통과했다고합동참모본부가밝혔러시아초계기독쪽방공식별구진입해전투긴급출격"
    "양경찰청은서북한선에서어불법조업단속동상으로단거리탄미사일발사미연남실시일본자위호부산항입국제관참"
)
_CYRILLIC = list("оеаинтсрвлкмдпуяызбгчйхжшюцщэфъё")
_THAI_CONSONANTS = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ"
_THAI_UPPER = [
    "",
    "",
    "\u0e34",
    "\u0e35",
    "\u0e36",
    "\u0e37",
    "\u0e38",
    "\u0e39",
    "\u0e31",
    "\u0e47",
]
_THAI_TONES = ["", "", "", "\u0e48", "\u0e49", "\u0e4a", "\u0e4b"]
_THAI_LEADING = ["", "", "", "เ", "แ", "โ", "ใ", "ไ"]
_THAI_AFTER = ["", "", "า", "ำ", "ะ"]


@st.composite
def _thai_syllable(draw):
    lead = draw(st.sampled_from(_THAI_LEADING))
    consonant = draw(st.sampled_from(_THAI_CONSONANTS))
    upper = "" if lead else draw(st.sampled_from(_THAI_UPPER))
    tone = draw(st.sampled_from(_THAI_TONES)) if upper != "\u0e47" else ""
    after = "" if (lead or upper) else draw(st.sampled_from(_THAI_AFTER))
    final = draw(st.sampled_from(["", "", "น", "ง", "ม", "ก", "ด", "บ", "ย", "ว"]))
    return lead + consonant + upper + tone + after + final


@st.composite
def _vietnamese_syllable(draw):
    vowel = draw(st.sampled_from(_VI_VOWELS))
    tone = draw(st.sampled_from(_VI_TONES))
    # The tone sits on the (last) vowel of the nucleus, as Vietnamese writes it.
    nucleus = vowel + tone if len(vowel) == 1 else vowel[0] + vowel[1] + tone
    return draw(st.sampled_from(_VI_ONSETS)) + nucleus + draw(st.sampled_from(_VI_CODAS))


def _words(letters, min_size=1, max_size=9):
    return st.lists(st.sampled_from(list(letters)), min_size=min_size, max_size=max_size).map(
        "".join
    )


def _cased(words):
    """Words as an alphabet with case writes them: lower case, a capital first, or all
    capitals (an abbreviation: "ВМС", "USA")."""
    return st.tuples(words, st.sampled_from(["lower", "lower", "title", "upper"])).map(
        lambda pair: pair[0].capitalize() if pair[1] == "title" else getattr(pair[0], pair[1])()
    )


_ASCII_BITS = st.sampled_from(["2024", "07", "18", "80km", "DDG-114", "F239", "No.5", "III", "CCG"])
_CJK_PUNCTUATION = ["，", "。", "、", "：", "（", "）", "“", "”", "\n", " ", "/"]
# Per encoding: how a word is made, what separates words, and how the text is written.
_LANGUAGES = {
    "cp1252": (_cased(_words(_WESTERN, 1, 10)), _PUNCTUATION),
    "cp1258": (_vietnamese_syllable(), [" ", " ", " ", ", ", ". ", "\n"]),
    "gb18030": (_words(_HANZI_SIMPLIFIED, 1, 12), _CJK_PUNCTUATION),
    "cp950": (_words(_HANZI_TRADITIONAL, 1, 12), _CJK_PUNCTUATION),
    "cp932": (_words(_JAPANESE, 1, 12), ["、", "。", "「", "」", "\n", "・", " "]),
    "cp949": (_words(_HANGUL, 1, 5), [" ", " ", " ", ", ", ". ", "\n"]),
    "cp1251": (
        _cased(_words(_CYRILLIC, 1, 10)),
        [" ", " ", " ", ", ", ". ", " — ", " «", "» ", "\n"],
    ),
    "cp874": (st.lists(_thai_syllable(), min_size=1, max_size=4).map("".join), [" ", "\n", " "]),
}


@st.composite
def realistic_texts(draw):
    """(text, encoding): a text of one language as its writers write it (its letters, its
    punctuation, numbers and Latin codes among them), in the encoding Windows writes it in
    (USUAL_ENCODINGS); Vietnamese in Windows-1258's form (tone marks combining)."""
    encoding = draw(st.sampled_from(sorted(_LANGUAGES)))
    words, separators = _LANGUAGES[encoding]
    parts = []
    for _ in range(draw(st.integers(1, 30))):
        parts.append(draw(_ASCII_BITS) if draw(st.integers(0, 9)) == 0 else draw(words))
        parts.append(draw(st.sampled_from(separators)))
    text = "".join(parts)
    if encoding == "cp1258":
        text = cp1258_form(text)
    return text, encoding


# --- data folders: what else a folder can hold ---------------------------------------------
ODD_ENTRIES = ("broken-link", "pipe", "socket", "folder", "good", "bad-bytes")


@st.composite
def data_folders(draw):
    """What events/ holds, as (name, kind) pairs with kind in ODD_ENTRIES: at least one good
    events file, and broken links, named pipes, sockets, folders named *.geojson and files of
    any bytes beside it, under names in any order."""
    kinds = draw(st.lists(st.sampled_from(ODD_ENTRIES), min_size=0, max_size=6))
    kinds.append("good")
    names = draw(
        st.lists(
            st.from_regex(r"[a-z0-9][a-z0-9 _.-]{0,12}", fullmatch=True),
            min_size=len(kinds),
            max_size=len(kinds),
            unique_by=str.lower,
        )
    )
    suffixes = draw(
        st.lists(
            st.sampled_from([".geojson", ".json", ".GeoJSON"]),
            min_size=len(kinds),
            max_size=len(kinds),
        )
    )
    return [(name + suffix, kind) for name, suffix, kind in zip(names, suffixes, kinds)]
