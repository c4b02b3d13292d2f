"""Navigational warnings (航行警告, NAVAREA, 航行警報) read into exercise areas.

A warning announces where and when a drill or firing will happen. `read_warnings(text)` splits
text into warnings (one per paragraph) and reads from each: its number as written and the year
it carries (`闽航警0123/24` → 2024), the issuing body where the text names it (an MSA station
→ CHN, 航行警報 or Japan Coast Guard → JPN, 航船布告 → TWN), the activity, the periods, and the
areas: polygons ("lines joining", "bounded by", 诸点连线, 四点连线, 順次に結んだ線), circles
(以…为中心，N海里为半径; WITHIN N NAUTICAL MILES OF; km or 公里 radii), and point lists that
are not areas. A cancellation (取消…, CANCEL …) marks the warning it cancels.

Nothing is invented: a warning with no coordinates ("具体海域另行通知", "TO BE ANNOUNCED") or
with a boundary this reader does not draw (an arc) is reported and gives no area; a year that
is neither in the text nor in the number comes from the publication date given with it, never
from today; a warning that does not say who issued it has no nation until the analyst gives one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np
from pyproj import Geod

from layers.read.coordinates import LATITUDE, LONGITUDE, CoordinateError, parse_coordinate
from layers.read.schema import Problem, show_value

NM_KM = 1.852  # one international nautical mile, km (by definition)
CIRCLE_VERTICES = 128
_GEOD = Geod(ellps="WGS84")

# --- the warning's number ----------------------------------------------------------------------
_NUMBER_PATTERNS = (
    re.compile(r"[\u4e00-\u9fff]{1,3}航警\s*\d+\s*/\s*\d{2,4}"),
    re.compile(r"NAVAREA\s+[IVXL]+\s+\d+\s*/\s*\d{2,4}", re.IGNORECASE),
    re.compile(r"航行警報\s*第?\s*\d+\s*号"),
    re.compile(r"航船布告\s*[\u4e00-\u9fff]*\s*第?\s*\d+\s*號?"),
    re.compile(r"\b(?:HYDROPAC|HYDROARC|NAVAREA|NAVTEX)\s+\d+\s*/\s*\d{2,4}", re.IGNORECASE),
    re.compile(r"\b[A-Z]{2,4}\s?\d{2,5}\s*/\s*\d{2,4}\b"),
)
# Chinese MSA provincial and port stations, by the character that opens their numbers.
_MSA_STATIONS = "辽冀津鲁苏沪浙闽粤桂琼连烟青厦深广"
_ISSUERS = (
    (re.compile(rf"^[{_MSA_STATIONS}]航警"), "CHN"),
    (re.compile(r"航警"), "CHN"),
    (re.compile(r"\bMSA\s+CHINA\b|\bCHINA\s+MSA\b|中国海事局", re.IGNORECASE), "CHN"),
    (re.compile(r"航行警報|海上保安庁|JAPAN COAST GUARD", re.IGNORECASE), "JPN"),
    (re.compile(r"航船布告|交通部航港局"), "TWN"),
)
# Activities, longest first, with the English an analyst reads in a title.
_ACTIVITIES = (
    ("实弹射击训练", "live-fire training"),
    ("实弹射击", "live-fire"),
    ("实际使用武器", "live weapons use"),
    ("军事演习", "military exercise"),
    ("军事训练", "military training"),
    ("军事任务", "military task"),
    ("火箭发射", "rocket launching"),
    ("火箭残骸", "rocket debris"),
    ("导弹发射", "missile launching"),
    ("射击训练", "firing training"),
    ("打靶", "target practice"),
    ("射撃訓練", "firing exercise"),
    ("ミサイル発射", "missile launching"),
    ("演習", "exercise"),
    ("射撃", "firing"),
    ("實彈射擊", "live-fire"),
    ("GUN FIRING", "gun firing"),
    ("GUNNERY EXERCISE", "gunnery exercise"),
    ("MISSILE FIRING", "missile firing"),
    ("ROCKET LAUNCHING", "rocket launching"),
    ("ROCKET LAUNCH", "rocket launching"),
    ("LIVE FIRING", "live-fire"),
    ("LIVE FIRE", "live-fire"),
    ("MILITARY EXERCISES", "military exercise"),
    ("MILITARY EXERCISE", "military exercise"),
    ("HAZARDOUS OPERATIONS", "hazardous operations"),
)

# --- positions ------------------------------------------------------------------------------
_NUM = r"\d+(?:\.\d+)?"
# Seconds marks: ″ and " (NFKC turns ″ into two primes).
_SEC = r"(?:″|\"|′′|'')"
_LAT = (
    rf"(?:[NS]\s*\d{{1,2}}°\s*(?:{_NUM}[′']\s*(?:{_NUM}{_SEC})?)?"
    rf"|\d{{1,2}}°\s*(?:{_NUM}[′']\s*(?:{_NUM}{_SEC})?)?\s*[NS]"
    rf"|\d{{1,2}}-{_NUM}(?:-{_NUM})?\s*[NS]"
    rf"|北[緯纬]\s*\d{{1,2}}度\s*(?:{_NUM}分\s*(?:{_NUM}秒)?)?"
    rf"|南[緯纬]\s*\d{{1,2}}度\s*(?:{_NUM}分\s*(?:{_NUM}秒)?)?"
    rf"|\d{{1,2}}\.\d+\s*[NS])"
)
_LON = (
    rf"(?:[EW]\s*\d{{1,3}}°\s*(?:{_NUM}[′']\s*(?:{_NUM}{_SEC})?)?"
    rf"|\d{{1,3}}°\s*(?:{_NUM}[′']\s*(?:{_NUM}{_SEC})?)?\s*[EW]"
    rf"|\d{{1,3}}-{_NUM}(?:-{_NUM})?\s*[EW]"
    rf"|[東东]経\s*\d{{1,3}}度\s*(?:{_NUM}分\s*(?:{_NUM}秒)?)?"
    rf"|[東东][经經]\s*\d{{1,3}}度\s*(?:{_NUM}分\s*(?:{_NUM}秒)?)?"
    rf"|西[経经經]\s*\d{{1,3}}度\s*(?:{_NUM}分\s*(?:{_NUM}秒)?)?"
    rf"|\d{{1,3}}\.\d+\s*[EW])"
)
_POSITION = re.compile(rf"(?P<lat>{_LAT})\s*[/,、;]?\s*(?P<lon>{_LON})")
# What may stand between the positions of one list: separators, numbering, "and".
_BETWEEN = re.compile(
    r"^[\s,、;/和及与與および\-]*(?:\(?\d{1,3}[).]\s*|[(（]\d{1,3}[)）]\s*|[A-Z][).]\s*)?"
    r"[\s,、;/和及与與]*(?:AND\s+|TO\s+)?$",
    re.IGNORECASE,
)

# --- area words ---------------------------------------------------------------------------------
_POLYGON_WORDS = re.compile(
    r"连线|連線|LINES?\s+JOINING|BOUNDED\s+BY|結んだ線|囲まれる|围成|範囲|范围|区域|區域|水域|海域"
    r"|\bAREA\b",
    re.IGNORECASE,
)
_CENTRE_WORDS = re.compile(r"为中心|為中心|を中心|CENT(?:ER|RE)D?\s+(?:ON|AT)?", re.IGNORECASE)
_RADIUS = re.compile(
    rf"(?:半径\s*(?P<r1>{_NUM})\s*(?P<u1>海里|浬|公里|千米|km|KM|NM|M|キロメートル|マイル))"
    rf"|(?:(?P<r2>{_NUM})\s*(?P<u2>海里|浬|公里|千米|km|KM|NM|M)\s*(?:为|為)?半径)"
    rf"|(?:WITHIN\s+(?P<r3>{_NUM})\s*(?P<u3>NAUTICAL\s+MILES?|NM|M|KILOMET(?:ER|RE)S?|KM)"
    rf"\s+(?:RADIUS\s+)?OF)"
    rf"|(?:(?P<r4>{_NUM})\s*(?P<u4>NAUTICAL\s+MILES?|NM|KM)\s+RADIUS)",
    re.IGNORECASE,
)
_ARC_WORDS = re.compile(r"\bARC\b|圆弧|圓弧|弧線|弧线|沿.{0,6}弧", re.IGNORECASE)
_TO_BE_ANNOUNCED = re.compile(
    r"另行通知|另行公告|另行发布|追って|TO\s+BE\s+ANNOUNCED|\bTBA\b|WILL\s+BE\s+PROMULGATED",
    re.IGNORECASE,
)
_CANCEL = re.compile(r"(?:取消|撤销|CANCEL(?:LED|S)?\s*:?\s*)", re.IGNORECASE)

# --- dates --------------------------------------------------------------------------------------
_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_CN_RANGE = re.compile(
    r"(?:自|从|從)?\s*(?:(?P<y1>\d{4})年)?\s*(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日\s*"
    r"(?:(?P<t1>\d{4})\s*[时時]\s*)?(?:起\s*)?(?:至|到|から|〜|～|-)\s*"
    r"(?:(?P<y2>\d{4})年)?\s*(?:(?P<m2>\d{1,2})月)?(?:(?P<d2>\d{1,2})日|(?P<same>同日))\s*"
    r"(?:(?P<t2>\d{4})\s*[时時])?(?:まで|止)?"
)
_CN_DAY = re.compile(r"(?:(?P<y>\d{4})年)?\s*(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_DTG_RANGE = re.compile(
    r"(?P<d1>\d{2})(?P<t1>\d{4})\s*(?:UTC|Z)\s*(?P<mon1>[A-Z]{3})?\s*(?P<y1>\d{2,4})?\s*"
    r"(?:TO|UNTIL|-)\s*"
    r"(?P<d2>\d{2})(?P<t2>\d{4})\s*(?:UTC|Z)\s*(?P<mon2>[A-Z]{3})\s*(?P<y2>\d{2,4})?\b",
    re.IGNORECASE,
)


@dataclass
class Area:
    """One area of a warning: a polygon or circle (an area) or a list of points (not one).

    `positions` are (lon, lat) in degrees, WGS84; `radius_nm` is a circle's radius in
    nautical miles; `start`/`end` the area's own period when the text gives one.
    """

    form: str  # "polygon", "circle" or "points"
    positions: list[tuple[float, float]]
    radius_nm: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    span: tuple[int, int] = (0, 0)

    def ring(self) -> list[tuple[float, float]]:
        """The area's boundary as a closed ring of (lon, lat): a circle drawn geodesically
        (CIRCLE_VERTICES vertices on the WGS84 ellipsoid, pyproj.Geod)."""
        if self.form == "circle":
            lon, lat = self.positions[0]
            azimuths = np.linspace(0.0, 360.0, CIRCLE_VERTICES, endpoint=False)
            lons, lats, _ = _GEOD.fwd(
                np.full(CIRCLE_VERTICES, lon),
                np.full(CIRCLE_VERTICES, lat),
                azimuths,
                np.full(CIRCLE_VERTICES, (self.radius_nm or 0) * NM_KM * 1000),
            )
            ring = [(round(float(x), 6), round(float(y), 6)) for x, y in zip(lons, lats)]
        else:
            ring = [(round(x, 6), round(y, 6)) for x, y in self.positions]
        return ring + ring[:1] if ring[0] != ring[-1] else ring


@dataclass
class NavWarning:
    """What one navigational warning says, as read; `problems` say what could not be read."""

    text: str
    number: str = ""
    year: int | None = None
    nations: list[str] = field(default_factory=list)
    activity: str = ""
    activity_text: str = ""
    place: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    areas: list[Area] = field(default_factory=list)
    cancels: str | None = None
    cancelled_by: str | None = None
    problems: list[str] = field(default_factory=list)


def split_warnings(text: str) -> list[str]:
    """The warnings of a text, one per paragraph (blank lines between), stripped."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(part.split()) for part in paragraphs if part.strip()]


def read_warnings(text: str, published: dt.date | None = None) -> list[NavWarning]:
    """Every warning in `text` (one per paragraph), with cancellations matched up.

    `published` is the publication date, used only for a year the warning does not carry.
    Never raises.
    """
    warnings = [read_warning(paragraph, published) for paragraph in split_warnings(text)]
    _match_cancellations(warnings)
    return warnings


def read_items(
    items: list[tuple[str, str | None, dt.date | None, int | None]],
) -> list[tuple[NavWarning, str | None, dt.date | None, int | None]]:
    """Every warning of `items` ((text, URL, publication date, spreadsheet row or None), as
    `import_warnings` takes them), each with its item's URL, date and row, in order.

    Cancellations are matched across all the items, so a CSV with one warning per row marks
    the warning another row cancels. Never raises.
    """
    read = [
        (warning, url, published, row)
        for text, url, published, row in items
        for warning in read_warnings(text or "", published)
    ]
    _match_cancellations([warning for warning, *_ in read])
    return read


def _match_cancellations(warnings: list[NavWarning]) -> None:
    by_number = {_key(warning.number): warning for warning in warnings if warning.number}
    for warning in warnings:
        if warning.cancels and _key(warning.cancels) in by_number:
            by_number[_key(warning.cancels)].cancelled_by = warning.number


def read_warning(text: str, published: dt.date | None = None) -> NavWarning:
    """One warning read from its text. Never raises: what cannot be read is in `problems`."""
    try:
        return _read(text, published)
    except Exception:  # the door never breaks
        return NavWarning(text, problems=["could not be read (an unexpected error); left out"])


def _read(text: str, published: dt.date | None) -> NavWarning:
    normal = unicodedata.normalize("NFKC", text)
    warning = NavWarning(text)
    number = _find_number(normal)
    if number:
        warning.number = number.group().strip()
        year = re.search(r"/\s*(\d{2,4})\s*$", warning.number)
        if year:
            digits = year.group(1)
            warning.year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    else:
        warning.problems.append("no warning number found (e.g. 闽航警0123/24, NAVAREA XI 0555/24)")
    if warning.year is None and published is not None:
        warning.year = published.year
    for pattern, nation in _ISSUERS:
        if pattern.search(normal):
            warning.nations = [nation]
            break
    cancel = _CANCEL.search(normal)
    if cancel:
        target = _find_number(normal[cancel.end() :])
        if target and target.start() <= 2 and _key(target.group()) != _key(warning.number):
            warning.cancels = target.group().strip()
            return warning
    for words, english in _ACTIVITIES:
        if words.upper() in normal.upper():
            warning.activity, warning.activity_text = english, words
            break
    warning.place = _place(normal, warning.number)
    periods = _periods(normal, warning, number.end() if number else 0)
    _read_areas(normal, warning, periods)
    starts = [p[0] for p in periods] + [a.start for a in warning.areas if a.start]
    ends = [p[1] for p in periods] + [a.end for a in warning.areas if a.end]
    if starts:
        warning.start, warning.end = min(starts), max(ends)
    elif warning.areas:
        warning.problems.append(_no_dates_words(warning))
    return warning


def _key(number: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", number or "")).upper()


_PLACE = re.compile(
    r"^[\s,.:;]*([\u4e00-\u9fff]{2,12}|[A-Z][A-Z ]{3,40}?)"
    r"(?=[,.;]|\s{2}|\s+[A-Z]+\s+(?:FIRING|OPERATIONS|EXERCISE))"
)


def _find_number(text: str):
    found = [match for pattern in _NUMBER_PATTERNS for match in [pattern.search(text)] if match]
    return min(found, key=lambda match: match.start()) if found else None


def _place(text: str, number: str) -> str:
    """The sea area named right after the number (台湾海峡, EAST CHINA SEA), if any."""
    rest = text[text.find(number) + len(number) :] if number and number in text else text
    match = _PLACE.match(rest)
    if not match:
        return ""
    place = match.group(1).strip()
    return "" if _find_number(place) or re.search(r"\d", place) else place


def _no_dates_words(warning: NavWarning) -> str:
    if warning.year is None:
        return (
            "the dates carry no year and the number none either: give the publication date; "
            "no event is made without dates"
        )
    return "no dates found; no event is made without dates"


# --- periods ----------------------------------------------------------------------------------
def _periods(
    text: str, warning: NavWarning, skip_to: int
) -> list[tuple[dt.date, dt.date, int, int]]:
    """(first day, last day, start offset, end offset) of each period in the text."""
    periods: list[tuple[dt.date, dt.date, int, int]] = []
    body = text[skip_to:]
    for match in _CN_RANGE.finditer(body):
        year = int(match.group("y1")) if match.group("y1") else warning.year
        if year is None:
            continue
        month1, day1 = int(match.group("m1")), int(match.group("d1"))
        try:
            first = dt.date(year, month1, day1)
            if match.group("same"):
                last = first
            else:
                year2 = int(match.group("y2")) if match.group("y2") else year
                month2 = int(match.group("m2")) if match.group("m2") else month1
                last = dt.date(year2, month2, int(match.group("d2")))
                if last < first and not match.group("y2"):
                    last = last.replace(year=year2 + 1)  # across the new year
        except ValueError:
            warning.problems.append(f'"{match.group().strip()}" is not a real date')
            continue
        periods.append((first, last, match.start() + skip_to, match.end() + skip_to))
    for match in _DTG_RANGE.finditer(body):
        parsed = _dtg_period(match, warning)
        if parsed:
            periods.append((*parsed, match.start() + skip_to, match.end() + skip_to))
    if not periods:
        days = list(_CN_DAY.finditer(body))
        if len(days) == 1 and (days[0].group("y") or warning.year):
            match = days[0]
            year = int(match.group("y")) if match.group("y") else warning.year
            try:
                day = dt.date(year, int(match.group("m")), int(match.group("d")))
                periods.append((day, day, match.start() + skip_to, match.end() + skip_to))
            except ValueError:
                warning.problems.append(f'"{match.group()}" is not a real date')
    return sorted(periods, key=lambda period: period[2])


def _dtg_period(match, warning: NavWarning) -> tuple[dt.date, dt.date] | None:
    """A UTC day-time group range: 140100UTC TO 140900UTC OCT, 212300 UTC TO 220300 UTC NOV 24."""
    month2 = _MONTHS.get((match.group("mon2") or "").upper())
    if month2 is None:
        return None
    # A year written at the end belongs to the end (…TO 010300 UTC JAN 25).
    year_text = match.group("y2") or match.group("y1")
    year2 = _full_year(year_text) if year_text else warning.year
    if year2 is None:
        return None
    day1, day2 = int(match.group("d1")), int(match.group("d2"))
    month1 = _MONTHS.get((match.group("mon1") or "").upper())
    year1 = year2
    if month1 is None:
        # One month written for both ends: a first day after the last is in the month before.
        month1 = month2 if day1 <= day2 else (month2 - 2) % 12 + 1
        if month1 > month2:
            year1 -= 1
    elif month1 > month2:
        year1 -= 1
    try:
        first = dt.date(year1, month1, day1)
        last = dt.date(year2, month2, day2)
    except ValueError:
        warning.problems.append(f'"{match.group().strip()}" is not a real date')
        return None
    return first, last


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


# --- areas ---------------------------------------------------------------------------------------
def _read_areas(text: str, warning: NavWarning, periods: list) -> None:
    matches = list(_POSITION.finditer(text))
    if not matches:
        if _TO_BE_ANNOUNCED.search(text):
            warning.problems.append(
                "no coordinates: the area is to be announced; no event is made and no position "
                "is invented"
            )
        else:
            warning.problems.append("no coordinates found; no event is made")
        return
    if _ARC_WORDS.search(text):
        warning.problems.append(
            "an area is bounded by an arc, which this reader does not draw; no area is made "
            "rather than a wrong one"
        )
        return
    groups: list[list] = [[matches[0]]]
    for previous, match in zip(matches, matches[1:]):
        if _BETWEEN.match(text[previous.end() : match.start()]):
            groups[-1].append(match)
        else:
            groups.append([match])
    area_start = 0
    for index, group in enumerate(groups):
        positions = []
        for match in group:
            try:
                lat = parse_coordinate(match.group("lat"), LATITUDE)
                lon = parse_coordinate(match.group("lon"), LONGITUDE)
            except CoordinateError as error:
                warning.problems.append(f"{error}; this area is left out")
                positions = []
                break
            positions.append((lon, lat))
        following = groups[index + 1][0].start() if index + 1 < len(groups) else len(text)
        before = text[area_start : group[0].start()]
        after = text[group[-1].end() : following]
        area_start = group[-1].end()
        if not positions:
            continue
        area = _area_form(positions, before, after, warning)
        if area is None:
            continue
        area.span = (group[0].start(), group[-1].end())
        _assign_period(area, periods)
        warning.areas.append(area)


def _area_form(positions, before: str, after: str, warning: NavWarning) -> Area | None:
    near = before[-120:] + " " + after[:60]
    radius = _RADIUS.search(near)
    if len(positions) == 1 and (radius or _CENTRE_WORDS.search(near)):
        if not radius:
            warning.problems.append("a circle's centre is given but not its radius; left out")
            return None
        value = next(v for v in (radius.group(f"r{i}") for i in range(1, 5)) if v)
        unit = next(u for u in (radius.group(f"u{i}") for i in range(1, 5)) if u).upper()
        kilometres = unit in ("公里", "千米", "KM", "キロメートル") or unit.startswith("KILOMET")
        radius_nm = float(value) / NM_KM if kilometres else float(value)
        return Area("circle", positions, radius_nm=radius_nm)
    if len(positions) >= 3 and _POLYGON_WORDS.search(near):
        return Area("polygon", positions)
    return Area("points", positions)


def _assign_period(area: Area, periods: list) -> None:
    """An area takes the last period written before it; failing that, the first one after."""
    if len(periods) < 2:
        return
    before = [period for period in periods if period[3] <= area.span[0]]
    chosen = before[-1] if before else periods[0]
    area.start, area.end = chosen[0], chosen[1]


def _problem_field(message: str) -> str:
    """Which part of the warning a reading problem is about."""
    for words, name in (
        ("coordinat", "areas"),
        ("area", "areas"),
        ("circle", "areas"),
        ("date", "dates"),
        ("year", "dates"),
        ("number", "number"),
    ):
        if words in message:
            return name
    return "text"


def warning_id(warning: NavWarning) -> str:
    """A stable event id from the warning's number: ASCII letters and digits of the number and
    a short hash of it, so 闽航警0123/24 and 琼航警0123/24 differ."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKC", warning.number).lower())
    digest = hashlib.sha256(warning.number.encode("utf-8")).hexdigest()[:6]
    return f"navwarn-{ascii_part.strip('-')}-{digest}".replace("--", "-")


def warning_feature(
    warning: NavWarning,
    nations: list[str] | None = None,
    url: str | None = None,
    published: str | None = None,
) -> tuple[dict | None, list[tuple[str, str]]]:
    """The event (a GeoJSON Feature in the event format) a warning announces, or None, and the
    (field, message) problems that kept it from being one or that the analyst should know.

    `nations` are used when the text does not say who issued the warning (never guessed);
    `url` and `published` (ISO date) describe the warning as a source. A cancellation makes no
    event. The geometry is the warning's areas: a Polygon or MultiPolygon (circles drawn
    geodesically), or a MultiPoint when the warning lists points that are not areas.
    """
    problems = [(_problem_field(message), message) for message in warning.problems]
    if warning.cancels:
        return None, []
    if not warning.areas or warning.start is None:
        if not problems:
            problems.append(("areas", "no areas or dates found; no event is made"))
        return None, problems
    issuers = warning.nations or list(nations or [])
    if not issuers:
        problems.append(
            (
                "nations",
                "the text does not say who issued it: give the nation (the reader does not "
                "guess); left out",
            )
        )
        return None, problems
    areas = [area for area in warning.areas if area.form != "points"]
    if areas and len(areas) < len(warning.areas):
        problems.append(("areas", "points listed outside any area are left out of the map"))
    if areas:
        rings = [[list(position) for position in area.ring()] for area in areas]
        geometry = (
            {"type": "Polygon", "coordinates": [rings[0]]}
            if len(rings) == 1
            else {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]}
        )
    else:
        points = [list(position) for area in warning.areas for position in area.positions]
        geometry = {"type": "MultiPoint", "coordinates": points}
    activity = warning.activity or "activity"
    title = f"{warning.number}: {activity}" + (f", {warning.place}" if warning.place else "")
    summary = warning.text
    periods = [
        f"{number}) {area.start.isoformat()}"
        + (f" to {area.end.isoformat()}" if area.end and area.end != area.start else "")
        for number, area in enumerate(warning.areas, start=1)
        if area.start
    ]
    if periods:
        summary += "\nAreas: " + "; ".join(periods) + "."
    if warning.cancelled_by:
        title += f" (cancelled by {warning.cancelled_by})"
        summary += f"\nCancelled by {warning.cancelled_by}."
    source = {"title": f"Navigational warning {warning.number}"}
    if url:
        source["url"] = url
    if published:
        source["published"] = published
    properties = {
        "id": warning_id(warning),
        "title": title,
        "summary": summary,
        "kind": "exercise",
        "start": warning.start.isoformat(),
        "end": (warning.end or warning.start).isoformat(),
        "nations": issuers,
        "sources": [source],
    }
    return {"type": "Feature", "properties": properties, "geometry": geometry}, problems


def warning_name(index: int, warning: NavWarning, row: int | None = None) -> str:
    """How problems name a warning: its spreadsheet row (from a CSV), its number as written
    and its place among the warnings read: `row #3, warning "闽航警0123/24" (#2)`."""
    where = f"row #{row}, " if row is not None else ""
    number = f" {show_value(warning.number)}" if warning.number else ""
    return f"{where}warning{number} (#{index})"


def import_warnings(
    items: list[tuple[str, str | None, dt.date | None, int | None]],
    label: str,
    nations: list[str] | None = None,
    area_ids: set[str] | None = None,
    taken_ids: dict[str, str] | None = None,
):
    """The events of navigational warnings, validated like geodata/, and every problem.

    `items` are (text, URL, publication date, spreadsheet row or None); a text may hold several
    warnings, one per paragraph. Problems name `label` and the warning ("warning
    "闽航警0123/24" (#1)", `warning_name`), the validator's too. Returns (events GeoDataFrame,
    problems). Never raises.
    """
    from layers.read.load import collect_features, events_frame, feature_label, parse_event

    problems: list[Problem] = []
    features: list[dict] = []
    names: list[str] = []
    warnings = read_items(items)
    numbers = {_key(warning.number) for warning, *_ in warnings}
    for index, (warning, url, published, row) in enumerate(warnings, start=1):
        name = warning_name(index, warning, row)
        feature, notes = warning_feature(
            warning, nations, url, published.isoformat() if published else None
        )
        if warning.cancels and _key(warning.cancels) not in numbers:
            notes.append(
                ("cancels", f"cancels {warning.cancels}, which is not among these warnings")
            )
        made = feature is not None
        problems += [
            Problem(label, message, name, field, skipped=not made) for field, message in notes
        ]
        if made:
            features.append(feature)
            names.append(name)
    taken = [{"id": event_id, "file": file} for event_id, file in (taken_ids or {}).items()]
    checked: list[Problem] = []
    rows = collect_features(
        features, label, lambda feature: parse_event(feature, area_ids), taken, checked
    )
    # The validator names a feature by its id and its place among the events; an analyst
    # knows it by its warning.
    renamed = {
        feature_label(feature, index): name
        for index, (feature, name) in enumerate(zip(features, names), start=1)
    }
    problems += [
        replace(problem, feature=renamed.get(problem.feature, problem.feature))
        for problem in checked
    ]
    return events_frame(rows), problems


# --- what the dashboard shows of each warning --------------------------------------------------
AREA_FORM_WORDS = {
    "polygon": ("polygon", "polygons"),
    "circle": ("circle", "circles"),
    "points": ("point list", "point lists"),
}


def warning_rows(
    read: list[tuple[NavWarning, str | None, dt.date | None, int | None]],
    nations: list[str] | None,
    problems: list[Problem],
) -> list[dict[str, str]]:
    """One row per warning read (`read_items`), for an analyst to check the reading: its
    number, who issued it (`nations` where the text does not say, marked "chosen"), activity,
    dates, areas by form, what it cancels or is cancelled by, whether it makes an event, and
    its problems in words (those of `problems`, as `import_warnings` gave them, that name it),
    each said up to its first "; ": what is wrong, not again what follows ("left out"), which
    the "event" column says."""
    by_name: dict[str | None, list[Problem]] = {}
    for problem in problems:
        by_name.setdefault(problem.feature, []).append(problem)
    rows = []
    for index, (warning, _, _, row) in enumerate(read, start=1):
        own = by_name.get(warning_name(index, warning, row), [])
        if warning.nations:
            issuer = ", ".join(warning.nations)
        elif nations:
            issuer = ", ".join(nations) + " (chosen)"
        else:
            issuer = "not said"
        if warning.cancels:
            cancels = f"cancels {warning.cancels}"
        elif warning.cancelled_by:
            cancels = f"cancelled by {warning.cancelled_by}"
        else:
            cancels = ""
        rows.append(
            {
                "#": str(index) if row is None else f"{index} (row {row})",
                "number": warning.number,
                "issued by": "" if warning.cancels else issuer,
                "activity": "cancellation" if warning.cancels else warning.activity,
                "dates": _dates_words(warning),
                "areas": _areas_words(warning.areas),
                "cancellation": cancels,
                "event": "no"
                if warning.cancels or any(problem.skipped for problem in own)
                else "yes",
                "problems": "; ".join(problem.message.split("; ")[0] for problem in own),
            }
        )
    return rows


def _dates_words(warning: NavWarning) -> str:
    if warning.start is None:
        return ""
    end = warning.end or warning.start
    return warning.start.isoformat() + (f" to {end.isoformat()}" if end != warning.start else "")


def _areas_words(areas: list[Area]) -> str:
    """ "2 polygons, 1 circle (3 nm)": how many areas of each form, circles with radii."""
    parts = []
    for form, (one, many) in AREA_FORM_WORDS.items():
        found = [area for area in areas if area.form == form]
        if not found:
            continue
        words = f"{len(found)} {one if len(found) == 1 else many}"
        if form == "circle":
            # A no-break space: "3 nm" stays on one line in a narrow column.
            words += (
                " (" + ", ".join(f"{round(area.radius_nm, 2):g}\u00a0nm" for area in found) + ")"
            )
        parts.append(words)
    return ", ".join(parts) or "none"


def table_items(
    table,
    label: str,
    column: str,
    url_column: str | None = None,
    published_column: str | None = None,
    published: dt.date | None = None,
) -> tuple[list[tuple[str, str | None, dt.date | None, int | None]], list[Problem]]:
    """The warnings in a table's `column` (layers.read.table.Table), as `import_warnings` items
    with each row's URL and publication date (YYYY-MM-DD; `published` where the row gives
    none), and the problems, naming `label`: a publication date that is not a date is
    reported and not used. Rows with an empty text are skipped.
    """
    items, problems = [], []
    for number, row in table.rows:
        text = row.get(column, "")
        if not text.strip():
            continue
        day = published
        written = row.get(published_column or "", "").strip()
        if written:
            try:
                day = dt.date.fromisoformat(written)
            except ValueError:
                problems.append(
                    Problem(
                        label,
                        f"{show_value(written)} is not a date (YYYY-MM-DD); not used",
                        f"row #{number}",
                        published_column,
                        skipped=False,
                    )
                )
        items.append((text, row.get(url_column or "", "").strip() or None, day, number))
    return items, problems


def guess_warning_columns(table) -> dict[str, str | None]:
    """A first guess at a table's columns of warnings: "text" (the column whose cells most
    often hold a warning number, then the longest), "url" (cells that are http(s) addresses)
    and "published" (cells that are YYYY-MM-DD dates); None where no column fits."""
    cells = {
        column: [row.get(column, "") for _, row in table.rows[:50]] for column in table.columns
    }

    def share(values: list[str], test) -> float:
        written = [value for value in values if value.strip()]
        return sum(map(test, written)) / len(written) if written else 0.0

    def is_date(value: str) -> bool:
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            return False
        return True

    def is_url(value: str) -> bool:
        return value.strip().lower().startswith(("http://", "https://"))

    def has_number(value: str) -> bool:
        return _find_number(unicodedata.normalize("NFKC", value)) is not None

    def best(test, threshold: float = 0.5) -> str | None:
        scores = {column: share(values, test) for column, values in cells.items()}
        column = max(scores, key=scores.get, default=None)
        return column if column is not None and scores[column] >= threshold else None

    text = max(
        cells,
        key=lambda column: (
            share(cells[column], has_number),
            sum(map(len, cells[column])) / max(len(cells[column]), 1),
        ),
        default=None,
    )
    return {"text": text, "url": best(is_url), "published": best(is_date)}
