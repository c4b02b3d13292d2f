"""Where a warning applies: its positions read into areas (polygons, circles, …) or point lists."""

from __future__ import annotations

import re

from layers.read.coordinates import LATITUDE, LONGITUDE, CoordinateError, parse_coordinate
from layers.read.navwarn.model import NM_KM, Area, NavWarning, Window

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


# --- areas ---------------------------------------------------------------------------------------
def read_areas(text: str, warning: NavWarning, windows: list[Window]) -> None:
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
        _assign_window(area, windows)
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


def _assign_window(area: Area, windows: list[Window]) -> None:
    """An area takes the last period written before it; failing that, the first one after. A
    period is the windows written together (a daily window gives one per day, same span): the
    area takes their first and last day."""
    if len({window.span for window in windows}) < 2:
        return
    before = [window for window in windows if window.span[1] <= area.span[0]]
    chosen = before[-1] if before else windows[0]
    period = [window for window in windows if window.span == chosen.span]
    area.start = min(window.first_day() for window in period)
    area.end = max(window.last_day() for window in period)
