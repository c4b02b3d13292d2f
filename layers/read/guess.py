"""A first guess at a mapping for a file not in the event format, and what the import step
shows about it. Never final: the analyst checks every guess in the dashboard's import step.

How a column is chosen for a field:

- by its header, in English, Chinese or Japanese (`FIELD_NAMES`: "date", "日付", "日期" for the
  start; "lat", "北緯", "纬度" for the latitude; "country", "国籍" for the nations, …), compared
  without case, spaces or punctuation; a header that only starts with such a word ("Date_UTC",
  "Lat_deg") counts for dates and positions when its values are dates or positions;
- failing that, by its values: the column whose values mostly (`MOSTLY`) read as latitudes or
  longitudes (with a decimal point, degrees or a hemisphere: a count of ships is no latitude),
  or as dates in one of `DAY_FORMS` / `MONTH_FORMS`;
- a "geometry" column (KML, GeoPackage, … read by layers.read.sources) is read as WKT.

Dates: a form is chosen only when the values prove it. Values like 05/07/2024 fit both day-first
and month-first forms; then no form is chosen and `guess_notes` says the analyst must choose.
Nothing here decides a kind or a nation the file does not state: with no kind column, kind is a
fixed value "" (the preview reports it until one is picked), and nation values that
`nation_code` does not know are left for the analyst (`unknown_values`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePath

from layers.i18n import _, ngettext
from layers.nations import nation_code, nation_matches
from layers.read.coordinates import LATITUDE, LONGITUDE, CoordinateError, parse_coordinate
from layers.read.mapping import Mapping, Rule, written_date
from layers.read.schema import KINDS, clip
from layers.read.sources import GEOMETRY_COLUMN
from layers.read.table import Table

# Header names per field, compared as `_header_key` writes them (case, spaces and punctuation
# ignored). Earlier fields take their column first; within a field, earlier names win.
FIELD_NAMES = {
    "id": ("id", "uid", "eventid", "identifier"),
    "lat": ("lat", "latitude", "北緯", "北纬", "纬度", "緯度"),
    "lon": ("lon", "lng", "long", "longitude", "東経", "東經", "东经", "経度", "经度", "經度"),
    # KML names its times timestamp, begin and end; GPX time, and its routes and tracks are
    # read with start_time and end_time (layers.read.kml, layers.read.gpx).
    "start": (
        "date",
        "start",
        "startdate",
        "begin",
        "eventdate",
        "timestamp",
        "starttime",
        "time",
        "when",
        "日付",
        "日期",
        "开始",
    ),
    "end": ("end", "enddate", "endtime", "until", "終了", "结束", "結束"),
    "nations": (
        "country",
        "countries",
        "nation",
        "nations",
        "nationality",
        "flag",
        "国籍",
        "國籍",
        "国家",
        "國家",
    ),
    "kind": ("type", "kind", "category", "種類", "种类", "类型", "類型", "種別"),
    "title": ("title", "name", "名称", "名稱", "艦種", "船名", "ships", "ship", "vessel"),
    "summary": (
        "summary",
        "description",
        "desc",
        "note",
        "notes",
        "remarks",
        "remark",
        "comment",
        "comments",
        "備考",
        "备注",
        "備註",
        "說明",
        "说明",
    ),
    "forces": ("forces", "units", "unit", "hullnumber", "hull", "舷号", "舷號"),
    "source_url": ("url", "link", "sourceurl", "source", "出典", "来源", "來源"),
}
# Fields whose column may be found from a header that only starts with one of their names,
# when the values agree ("Date_UTC" is a date; "Date_Precision" holds no dates).
_PREFIX_FIELDS = ("lat", "lon", "start", "end")
DAY_FORMS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%m.%d.%Y",
    "%Y年%m月%d日",
)
MONTH_FORMS = ("%Y-%m", "%Y/%m", "%Y年%m月")
# Share of a column's non-empty values that must fit for a guess from values.
MOSTLY = 0.8
# Rows whose values are looked at for a guess; the whole file is read on import.
SAMPLE_ROWS = 500
# Kind words analysts' lists use, in English, Chinese and Japanese.
KIND_WORDS = {
    "exercise": ("exercise", "drill", "training", "演習", "演习", "训练", "訓練"),
    "patrol": ("patrol", "巡逻", "巡邏", "哨戒", "パトロール"),
    "transit": ("transit", "passage", "通過", "通过", "航行"),
    "port_call": ("port call", "port visit", "寄港", "访问", "訪問"),
    "deployment": ("deployment", "展開", "部署", "派遣"),
    "incident": ("incident", "intrusion", "incursion", "事案", "事件", "侵入", "入侵"),
    "diplomacy": ("diplomacy", "meeting", "visit", "会談", "会谈", "會談"),
}
_WKT = re.compile(r"^\s*(MULTI)?(POINT|LINESTRING|POLYGON)\b", re.IGNORECASE)
_URL = re.compile(r"^https?://", re.IGNORECASE)
_COORDINATE_LOOK = re.compile(r"[.°度'′NSEWnsew北南東东西]")
_LIST_SEPARATORS = ";,+/、"


def guess_mapping(table: Table, name: str) -> Mapping:
    """A first guess at the mapping that turns `table` (read from the file `name`) into events.

    The source title is the file's name; the id a template of the file's name and the row
    (`sightings-ja-{row}`) unless a column is named like an id. Fields with no column found
    are left out when optional and set to the fixed value "" when required (title, kind,
    start, nations), so the preview reports them until the analyst chooses.
    """
    columns = list(table.columns)
    samples = {column: _values(table, column) for column in columns}
    chosen = _columns_by_header(columns, samples)
    taken = set(chosen.values())
    for axis, field_name in ((LATITUDE, "lat"), (LONGITUDE, "lon")):
        if field_name not in chosen:
            found = _coordinate_column(columns, samples, axis, taken)
            if found:
                chosen[field_name] = found
                taken.add(found)
    if "start" not in chosen:
        found = _date_column(columns, samples, taken)
        if found:
            chosen["start"] = found
            taken.add(found)

    fields: dict[str, Rule] = {}
    stem = _slug(PurePath(name).stem) or "row"
    fields["id"] = Rule(column=chosen["id"]) if "id" in chosen else Rule(template=stem + "-{row}")
    fields["title"] = Rule(column=chosen["title"]) if "title" in chosen else Rule(value="")
    fields["kind"] = _kind_rule(chosen.get("kind"), samples)
    for date_field in ("start", "end"):
        if date_field in chosen:
            day, month = date_forms(samples[chosen[date_field]])
            fields[date_field] = Rule(
                column=chosen[date_field],
                format=day[0] if len(day) == 1 else None,
                month_format=month,
            )
    fields.setdefault("start", Rule(value=""))
    if "nations" in chosen:
        column = chosen["nations"]
        # "Multi (US+Canada)": parentheses separate nations too.
        fields["nations"] = Rule(
            column=column, split=_split_pattern(samples[column], _LIST_SEPARATORS + "()")
        )
    else:
        fields["nations"] = Rule(value="")
    if "forces" in chosen:
        column = chosen["forces"]
        fields["forces"] = Rule(column=column, split=_split_pattern(samples[column], ";、"))
    if "summary" in chosen:
        fields["summary"] = Rule(column=chosen["summary"])
    if "source_url" in chosen:
        fields["source_url"] = Rule(column=chosen["source_url"])

    geometry: dict[str, object] = {}
    if "lat" in chosen and "lon" in chosen:
        geometry = {"lat": chosen["lat"], "lon": chosen["lon"]}
    else:
        wkt = next(
            (
                column
                for column in columns
                if column not in taken
                and (column == GEOMETRY_COLUMN or _mostly(samples[column], _WKT.match))
            ),
            None,
        )
        if wkt is not None:
            geometry = {"wkt": wkt}
    return Mapping({"title": clip(PurePath(name).name, 200)}, fields, geometry)


def date_forms(values: list[str]) -> tuple[list[str], str | None]:
    """The day forms (DAY_FORMS) that read the most of `values`, and the month form
    (MONTH_FORMS) that reads the most of the rest.

    More than one day form means the values do not say which: 05/07/2024 is 5 July day-first
    and 7 May month-first. One value like 18/07/2024 (no 18th month) proves day-first.
    """
    values = [value for value in values if value]
    counts = {form: sum(_fits(value, form) for value in values) for form in DAY_FORMS}
    best = max(counts.values(), default=0)
    day = [form for form, count in counts.items() if count == best and count > 0]
    rest = [value for value in values if not any(_fits(value, form) for form in day)]
    months = {form: sum(_fits(value, form) for value in rest) for form in MONTH_FORMS}
    month = max(months, key=months.get) if rest and max(months.values()) > 0 else None
    return day, month


def guess_notes(table: Table, mapping: Mapping) -> list[str]:
    """What the analyst must still decide for this mapping, one sentence each, in the order
    of the form. Empty when nothing is left open (the preview may still report rows)."""
    notes = []
    fields = mapping.fields
    for name in ("title", "start"):
        rule = fields.get(name)
        if rule is None or rule.value == "":
            notes.append(
                _("No column looks like the title: choose one.")
                if name == "title"
                else _("No column looks like the start date: choose one.")
            )
    kind = fields.get("kind")
    if kind is None or kind.value == "":
        notes.append(_("No column gives the kind: choose a kind for every row, or a column."))
    for name in ("start", "end"):
        rule = fields.get(name)
        if rule is None or rule.column is None or rule.format or rule.month_format:
            continue
        if rule.column not in table.columns:
            continue
        values = _values(table, rule.column)
        day, _month = date_forms(values)
        if len(day) > 1 and not any(
            sum(_fits(value, form) for form in day) > 1 for value in values
        ):
            notes.append(
                _(
                    'The dates in "{column}" are written in several forms ({forms}): give them '
                    "all as the day form, separated by |."
                ).format(column=clip(rule.column, 40), forms=", ".join(day))
            )
        elif len(day) > 1:
            notes.append(
                _(
                    'The dates in "{column}" fit {forms} alike (e.g. {example}): choose the '
                    "form; it is not guessed."
                ).format(
                    column=clip(rule.column, 40),
                    forms=_(" and ").join(day),
                    example=_example(values, day),
                )
            )
        elif not _looks_iso(values):
            notes.append(
                _(
                    'No usual date form fits "{column}": write its form (strptime, e.g. {example}).'
                ).format(column=clip(rule.column, 40), example="%d %b %Y")
            )
    nations = fields.get("nations")
    if nations is None or nations.value == "":
        notes.append(_("No column gives the nations: choose one."))
    elif nations.column is not None and nations.column in table.columns:
        unknown = [
            value
            for value in unknown_values(table, nations, "nations")
            if not nations.values.get(value)
        ]
        if unknown:
            shown = ", ".join(f'"{clip(value, 20)}"' for value in unknown[:6])
            more = _(" and {count} more").format(count=len(unknown) - 6) if len(unknown) > 6 else ""
            notes.append(
                ngettext(
                    "{count} nation value not known here ({values}): give each a code, or "
                    "leave it out.",
                    "{count} nation values not known here ({values}): give each a code, or "
                    "leave it out.",
                    len(unknown),
                ).format(count=len(unknown), values=shown + more)
            )
    if not mapping.geometry:
        notes.append(
            _(
                "No position columns found: choose latitude and longitude columns, a WKT "
                "column or a named area."
            )
        )
    return notes


def unknown_values(table: Table, rule: Rule, field_name: str, limit: int = 200) -> list[str]:
    """The distinct values of the rule's column (split as it says) that the field cannot take
    without a `values` entry: nations `nation_code` does not know, or texts that are no kind.
    In the order they first appear; at most `limit`."""
    if rule.column is None or rule.column not in table.columns:
        return []
    found: dict[str, None] = {}
    for _number, row in table.rows:
        text = row.get(rule.column, "").strip()
        parts = re.split(rule.split, text) if rule.split and field_name == "nations" else [text]
        for part in (part.strip() for part in parts):
            if not part or part in found:
                continue
            known = nation_code(part) is not None if field_name == "nations" else part in KINDS
            if not known:
                found[part] = None
                if len(found) >= limit:
                    return list(found)
    return list(found)


def matched_values(table: Table, rule: Rule, limit: int = 200) -> list[tuple[str, str]]:
    """The distinct nation values of the rule's column (split as it says) that a name or a
    short form resolves without a `values` entry, each with its code: [("日本", "JPN"),
    ("Taiwan", "TWN")], in the order they first appear, at most `limit`. A value that is its
    code already ("JPN") is left out: there is nothing to check in it."""
    if rule.column is None or rule.column not in table.columns:
        return []
    found: dict[str, str] = {}
    for _number, row in table.rows:
        text = row.get(rule.column, "").strip()
        parts = re.split(rule.split, text) if rule.split else [text]
        for part in (part.strip() for part in parts):
            if not part or part in found or part in rule.values:
                continue
            codes = nation_matches(part)
            if len(codes) == 1 and codes[0] != part:
                found[part] = codes[0]
                if len(found) >= limit:
                    return list(found.items())
    return list(found.items())


def column_samples(table: Table, count: int = 3) -> list[tuple[str, list[str]]]:
    """Each column with up to `count` distinct non-empty values, clipped to 40 characters."""
    samples = []
    for column in table.columns:
        seen: list[str] = []
        for _number, row in table.rows:
            value = row.get(column, "")
            if value and value not in seen:
                seen.append(value)
                if len(seen) == count:
                    break
        samples.append((column, [clip(value, 40) for value in seen]))
    return samples


def mapping_pairs(data_names: list[str], mapping_names: list[str]) -> dict[int, int]:
    """Which uploaded mapping goes with which data file, as {data index: mapping index}.

    A mapping named after its data file goes with it (transits.csv: transits.toml or
    transits.mapping.toml, case ignored); a lone mapping uploaded with a lone data file goes
    with that file whatever their names.
    """
    stems = [PurePath(name).stem.casefold() for name in data_names]
    pairs = {}
    for index, name in enumerate(mapping_names):
        stem = PurePath(name).stem.casefold()
        stem = stem.removesuffix(".mapping")
        for data_index, data_stem in enumerate(stems):
            if data_stem == stem and data_index not in pairs:
                pairs[data_index] = index
                break
    if not pairs and len(data_names) == 1 and len(mapping_names) == 1:
        pairs[0] = 0
    return pairs


def kind_for(text: str) -> str | None:
    """The kind a list's word names ("Port call", "演習"), or None."""
    key = " ".join(text.replace("_", " ").split()).casefold()
    for kind, words in KIND_WORDS.items():
        if key == kind.replace("_", " ") or key in words:
            return kind
    return None


# --- helpers ----------------------------------------------------------------------------------
def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _header_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return [token for token in re.split(r"[^\w]+|_", text) if token]


def _values(table: Table, column: str) -> list[str]:
    values = []
    for _number, row in table.rows[:SAMPLE_ROWS]:
        value = row.get(column, "").strip()
        if value:
            values.append(value)
    return values


def _columns_by_header(columns: list[str], samples: dict[str, list[str]]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    keys = {column: _header_key(column) for column in columns}
    for field_name, names in FIELD_NAMES.items():
        for name in names:
            column = next((c for c in columns if c not in taken and keys[c] == name), None)
            # An empty column is no guess (a GPX of waypoints has empty start_time and type
            # columns; a KML's id column is empty unless its placemarks have XML ids).
            if (
                column is not None
                and samples[column]
                and _values_agree(field_name, samples[column])
            ):
                chosen[field_name] = column
                taken.add(column)
                break
    for field_name in _PREFIX_FIELDS:
        if field_name in chosen:
            continue
        for column in columns:
            tokens = _header_tokens(column)
            if (
                column not in taken
                and tokens
                and tokens[0] in FIELD_NAMES[field_name]
                and samples[column]
                and _values_agree(field_name, samples[column], strict=True)
            ):
                chosen[field_name] = column
                taken.add(column)
                break
    return chosen


def _values_agree(field_name: str, values: list[str], strict: bool = False) -> bool:
    """Whether a column named like `field_name` holds what the field takes: a link column
    holds web addresses; with `strict` (a header that only starts with a field's name), the
    values must be positions or dates. Otherwise the header is trusted, and the preview
    reports values that do not fit."""
    if field_name == "source_url":
        return _mostly(values, _URL.match)
    if not strict:
        return True
    if field_name in ("lat", "lon"):
        axis = LATITUDE if field_name == "lat" else LONGITUDE
        return _mostly(values, lambda value: _is_coordinate(value, axis))
    if field_name in ("start", "end"):
        return _date_share(values) >= MOSTLY
    return True


def _coordinate_column(
    columns: list[str], samples: dict[str, list[str]], axis: str, taken: set[str]
) -> str | None:
    """The first free column whose values mostly read as `axis` and look like coordinates.

    A column that reads as both (plain decimals between -90 and 90) is taken for the first
    axis asked (latitude), as lists write latitude before longitude; the preview shows it."""
    for column in columns:
        values = samples[column]
        if column in taken or not values:
            continue
        if _mostly(values, _COORDINATE_LOOK.search) and _mostly(
            values, lambda value: _is_coordinate(value, axis)
        ):
            return column
    return None


def _date_column(columns: list[str], samples: dict[str, list[str]], taken: set[str]):
    """The free column with the largest share of values read as dates, if mostly dates."""
    best, best_share = None, 0.0
    for column in columns:
        if column in taken or not samples[column]:
            continue
        share = _date_share(samples[column])
        if share >= MOSTLY and share > best_share:
            best, best_share = column, share
    return best


def _date_share(values: list[str]) -> float:
    """The share of `values` read by the best day form(s) and month form."""
    if not values:
        return 0.0
    day, month = date_forms(values)
    forms = [*day, *([month] if month else [])]
    return sum(any(_fits(value, form) for form in forms) for value in values) / len(values)


def _kind_rule(column: str | None, samples: dict[str, list[str]]) -> Rule:
    if column is None:
        return Rule(value="")
    values = {}
    for value in dict.fromkeys(samples[column]):
        if value in KINDS:
            continue
        kind = kind_for(value)
        if kind is not None:
            values[value] = kind
    return Rule(column=column, values=values)


def _split_pattern(values: list[str], separators: str = _LIST_SEPARATORS) -> str | None:
    """A regular expression splitting at the separators the values use (none of these needs
    escaping inside brackets)."""
    used = "".join(ch for ch in separators if any(ch in value for value in values))
    if not used:
        return None
    return re.escape(used) if len(used) == 1 else f"[{used}]"


def _fits(value: str, form: str) -> bool:
    try:
        dt.datetime.strptime(value, form)
    except ValueError:
        return False
    return True


def _looks_iso(values: list[str]) -> bool:
    """Mostly ISO 8601 dates or date-times, which a mapping reads with no form."""
    return bool(values) and _mostly(values, written_date)


def _example(values: list[str], forms: list[str]) -> str:
    return next((value for value in values if all(_fits(value, f) for f in forms)), values[0])


def _is_coordinate(value: str, axis: str) -> bool:
    try:
        parse_coordinate(value, axis)
    except CoordinateError:
        return False
    return True


def _mostly(values: list[str], test) -> bool:
    values = [value for value in values if value]
    return bool(values) and sum(bool(test(value)) for value in values) >= MOSTLY * len(values)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")
