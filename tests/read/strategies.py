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
import warnings
import zipfile

from hypothesis import strategies as st

from layers.nations import NATION_NAMES
from layers.read.geometry import GEOMETRY_TYPES
from layers.read.schema import EVENT_COLUMNS, KINDS

NATIONS = sorted(NATION_NAMES)
# The properties an event file writes (the table's computed columns left out).
EVENT_KEYS = tuple(
    column for column in EVENT_COLUMNS if column not in ("start_text", "end_text", "file")
)

# --- any JSON value, including the numbers and texts that break naive readers ---------------
# Any text, lone surrogates included: JSON can escape them ("\\udc80") though no UTF-8 can hold
# them, and faulty converters write them.
any_texts = st.text(st.characters(), max_size=30)
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


texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda text: text.strip()
)


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
    return {"type": "Feature", "properties": properties, "geometry": draw(valid_geometries())}


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
        change = draw(st.sampled_from(["set", "date", "delete", "member", "geometry", "blank"]))
        key = draw(st.sampled_from(EVENT_KEYS))
        if change == "set":
            properties[key] = draw(json_values)
        elif change == "date":
            properties[draw(st.sampled_from(["start", "end"]))] = draw(odd_dates)
        elif change == "delete":
            properties.pop(key, None)
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
