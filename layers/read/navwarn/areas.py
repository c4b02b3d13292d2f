"""Where a warning applies: its positions read into areas (polygons, circles, sectors), lines,
or point lists.

Forms read (the wording of the IMO/IHO Joint Manual on Maritime Safety Information, NGA's
broadcast warnings, China MSA's 航行警告, JCG's 航行警報; one example each):

- polygons: `IN AREA BOUNDED BY …`, `LINES JOINING …`, `…诸点连线范围内`, `以下四点连线水域：…`,
  `次の各点を順次に結んだ線により囲まれる海域`;
- lettered areas: `IN AREAS BOUND BY: A. p, p, p. B. p, p, p` → one area per letter, labelled;
  lettered or numbered corners: `A：p；B：p；C：p`, `A点 p`, `(A) p`, `1) p 2) p`, `(1) p` → one
  polygon from the corners in the order written;
- circles: `WITHIN SEVEN MILES OF p`, `TWO NAUTICAL MILES RADIUS`, `RADIUS 5NM`, `以p为中心，
  3海里为半径`, `半径5公里`, `5浬`, `半径2キロメートル`, `WITHIN 1000 METERS OF p`, `p … IN AREA
  WITHIN ONE MILE`;
- sectors: a vertex, two bearings and a radius (`SECTOR CENTERED p BETWEEN BEARINGS 045T AND
  135T RADIUS 25KM`, `以p为圆心，方位158°-194°，半径5千米的扇形`), the arc running clockwise from
  the first bearing to the second; and a boundary closed by an arc about a centre (`AREA BOUNDED
  BY p, p, p AND AN ARC OF 25 KM RADIUS CENTERED ON p`, `…以顶点为中心半径25公里的部分圆弧将两个
  端点连接`), the arc joining the two boundary positions at its radius, the shorter way round;
- lines: `ALONG THE LINE JOINING`, `TRACKLINE JOINING`/`BETWEEN`, `CABLE ROUTE`, `线段`,
  `沿p、p连线` → a line, never closed into an area;
- anything else (a wreck, a buoy, a light) stays points.

Never guessed: a circle without its radius, a sector without its bearings, an arc whose end
points are not at its radius (2 % allowed), corners whose order crosses itself (a bow-tie):
each is a problem line and no area is drawn.
"""

from __future__ import annotations

import re

import shapely
from shapely.validation import explain_validity

from layers.i18n import Message
from layers.read.coordinates import LATITUDE, LONGITUDE, CoordinateError, parse_coordinate
from layers.read.navwarn.model import GEOD, NM_KM, Area, NavWarning, Window
from layers.read.schema import reason

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
# A corner's or area's label as written before its position: A. A: A) (A) A点 1) (1) 1.
# (NFKC has already made Ａ：（Ａ） into A:(A)).
# Taiwan's 航船布告 numbers corners in Chinese numerals, （一）…（十二）.
_LABEL = (
    r"(?:\(\s*(?P<l1>[A-Z]|\d{1,2}|[一二三四五六七八九十]{1,3})\s*\)"
    r"|(?<![A-Z0-9])(?P<l2>[A-Z]|\d{1,2})\s*(?:[.):]|点|點))"
)
_SEPARATORS = r"(?:以及|および|[\s,、;/和及与與\-])*"
# What may stand between the positions of one list: separators, a label, "and".
_BETWEEN = re.compile(
    rf"^{_SEPARATORS}(?:\.?\s*{_LABEL})?[\s,、;/:]*(?:(?i:AND|TO)\s+)?$",
)
_CONJUNCTION = re.compile(r"以及|及|和|与|與|\bAND\b", re.IGNORECASE)
# "AREA A BOUNDED BY …": the area's letter after the word AREA.
_AREA_LETTER = re.compile(r"\bAREA\s+(?P<label>[A-Z])\b(?![.\d-])")
# Positions of one list stand at most this far apart (a label, separators and line breaks).
_LONGEST_GAP = 60
_LABEL_AT_END = re.compile(rf"{_LABEL}[\s:]*$")
# An area's own letter at the head of its item: "B. WITHIN 31 MILES OF", "A. IN AREA BOUND BY".
_ITEM_LETTER = re.compile(r"(?:^|\n|[.:;]\s+)\s*(?P<label>[A-Z])[.)]\s+(?=[A-Z])")

# --- words ---------------------------------------------------------------------------------------
_POLYGON_WORDS = re.compile(
    r"连线|連線|LINES?\s+JOINING|BOUND(?:ED)?\s+BY|結んだ線|囲まれ|围成|範囲|范围|区域|區域|水域|海域"
    r"|\bAREAS?\b",
    re.IGNORECASE,
)
# Words that make a closed boundary whatever else is said.
_BOUNDARY_WORDS = re.compile(r"BOUND(?:ED)?\s+BY|围成|囲まれ|範囲|范围", re.IGNORECASE)
_LINE_WORDS = re.compile(
    r"TRACK\s*LINES?|\bALONG\s+(?:THE\s+)?(?:LINE|TRACK|ROUTE)|CABLE\s+ROUTE|PIPELINE\s+ROUTE"
    r"|\bLINE\s+(?:JOINING|BETWEEN|CONNECTING)|\bROUTE\s+(?:JOINING|BETWEEN)|线段|線段"
    r"|(?:连线|連線)(?:附近|两侧|兩側)"
    r"|(?:NEAR\s*BY|NEAR|VICINITY\s+OF)\s+(?:THE\s+)?LINES?\s+JOINING"
    r"|を結ぶ線",
    re.IGNORECASE,
)
_JOINING_WORDS = re.compile(r"连线|連線|JOINING|BETWEEN", re.IGNORECASE)
_CENTRE_WORDS = re.compile(
    r"为中心|為中心|为圆心|為圓心|を中心|CENT(?:ER|RE)(?:E?D)?\s+(?:ON|AT)?", re.IGNORECASE
)
_ARC_WORDS = re.compile(r"\bARC\b|圆弧|圓弧|弧線|弧线|沿.{0,6}弧", re.IGNORECASE)
_TO_BE_ANNOUNCED = re.compile(
    r"另行通知|另行公告|另行发布|追って|TO\s+BE\s+ANNOUNCED|\bTBA\b|WILL\s+BE\s+PROMULGATED",
    re.IGNORECASE,
)
# Where a clause ends: an area's words are those of its own clause, not the next one's.
_CLAUSE_END = re.compile(r"[。;]|\.(?=\s)|和|及|並|并|(?<![A-Z])AND\s+(?=IN\b|WITHIN\b)")

# --- radii --------------------------------------------------------------------------------------
# Numbers as warnings spell them (NGA: "WITHIN SEVEN MILES OF", "TWO NAUTICAL MILES RADIUS").
_WORD_NUMBERS = {
    "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7, "EIGHT": 8,
    "NINE": 9, "TEN": 10, "ELEVEN": 11, "TWELVE": 12, "FIFTEEN": 15, "TWENTY": 20,
    "TWENTY-FIVE": 25, "THIRTY": 30, "FORTY": 40, "FIFTY": 50, "HALF A": 0.5, "A HALF": 0.5,
}  # fmt: skip
_NUMBER = (
    r"(?P<n>\d+(?:\.\d+)?|\.\d+|"
    + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
    + ")"
)
# Each unit's length in nautical miles, with where it comes from.
_UNITS = (
    # Miles in a navigational warning are nautical miles (IMO/IHO Joint Manual on MSI: distances
    # in nautical miles); 1 nautical mile = 1852 m (International Hydrographic Conference 1929,
    # SI Brochure table 8). 海里 (GB 3102.1: 1 n mile = 1852 m), 浬 (its older character, Taiwan
    # and Japan), マイル in JCG warnings, and M (INT 1 / IHO S-4 abbreviation of the sea mile).
    (r"NAUTICAL\s+MILES?|N\.\s?M\.|NMI|NM|MILES?|海里|浬|マイル|M", 1.0),
    # Kilometre: 1000 m (SI); 公里 and 千米 are the kilometre in Chinese (GB 3102.1).
    (r"KILOMET(?:ER|RE)S?|KMS?|公里|千米|キロメートル|キロ", 1 / NM_KM),
    # Metre (SI): 1/1852 of a nautical mile. 米 and メートル are the metre.
    (r"MET(?:ER|RE)S?|米|メートル|m", 1 / 1852),
    # Cable: one tenth of a nautical mile (IHO S-32 Hydrographic Dictionary, "cable"); 链 the
    # same in Chinese charts and warnings.
    (r"CABLES?|链|鏈", 0.1),
)
_UNIT = r"(?P<u>" + "|".join(pattern for pattern, _ in _UNITS) + r")(?![A-Za-z])"
_RADII = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"半[径徑]\s*(?:为|為|是)?\s*{_NUMBER}\s*{_UNIT}",
        rf"{_NUMBER}\s*{_UNIT}\s*(?:为|為)\s*半[径徑]",
        rf"\bWITHIN\s+(?:A\s+)?(?:RADIUS\s+(?:OF\s+)?)?{_NUMBER}\s*{_UNIT}(?:\s+RADIUS)?",
        rf"\b{_NUMBER}[\s-]*{_UNIT}\s+RADIUS",
        rf"\bRADIUS\s+(?:OF\s+)?{_NUMBER}\s*{_UNIT}",
        # HYDROPAC's lettered circles: `IN AREAS WITHIN: A. 20 MILES OF p. B. TEN MILES OF p`.
        rf"(?<![\w.-]){_NUMBER}\s*{_UNIT}\s+OF\b",
    )
]
# A radius after the position in a sentence of its own: "MINE IN p. … IN AREA WITHIN ONE MILE."
# (not "WITHIN 5 MILES OF", which is the next position's).
_RADIUS_AFTER = re.compile(
    rf"\bWITHIN\s+(?:A\s+)?(?:RADIUS\s+(?:OF\s+)?)?{_NUMBER}\s*{_UNIT}(?!\s*(?:RADIUS\s+)?OF\b)",
    re.IGNORECASE,
)
_DEGREES = r"(?:\s*(?:°|度|DEG(?:REES?)?\.?))?(?:\s*\(?T\)?(?![A-Z]))?"
# `方位090°至方位180°`, `方位090度至方位200度` (Taiwan): the word may come again before the second.
_BEARINGS = re.compile(
    r"(?:BEARINGS?|真?方位角?)\s*(?:BETWEEN\s*|FROM\s*)?(?P<b1>\d{1,3}(?:\.\d+)?)"
    + _DEGREES
    + r"\s*(?:AND|TO|THRU|-|–|—|~|～|至|到)\s*(?:真?方位角?\s*)?(?P<b2>\d{1,3}(?:\.\d+)?)"
    + _DEGREES,
    re.IGNORECASE,
)
# How far an arc's end point may lie from its stated radius and still be its end point.
ARC_TOLERANCE = 0.02


# --- areas ---------------------------------------------------------------------------------------
def read_areas(text: str, warning: NavWarning, windows: list[Window]) -> None:
    """Read every area of `text` (NFKC-normalised) into `warning.areas`, each taking its window.

    Positions written one after another (separators, labels, "and" between them) are one list;
    the words of the list's own clause say what it is (see the module's docstring). What cannot
    be read is a problem in `warning.problems`, quoting the text; no area is then invented.
    Never raises on any text.
    """
    matches = list(_POSITION.finditer(text))
    if not matches:
        if _TO_BE_ANNOUNCED.search(text):
            warning.problems.append(
                Message(
                    "no coordinates: the area is to be announced; no event is made and no "
                    "position is invented"
                )
            )
        else:
            warning.problems.append(Message("no coordinates found; no event is made"))
        return
    unread = _unread_positions(text, matches)
    if unread:
        # A corner that cannot be read would leave a smaller area: none is drawn.
        warning.problems.append(
            Message(
                "a position could not be read ({text}: a latitude without its longitude, or a "
                "longitude cut short); no area is drawn rather than a wrong one",
                text=", ".join(map(repr, unread[:3])),
            )
        )
        return
    positions = _read_positions(matches, warning)
    consumed: set[int] = set()
    arc_areas: list[tuple[int, Area | None]] = []
    sentences: set[tuple[int, int]] = set()
    for arc in _ARC_WORDS.finditer(text):
        sentence = _sentence(text, arc.start())
        if sentence in sentences or len(consumed) == len(matches):
            continue
        sentences.add(sentence)
        area, used = _arc_area(text, sentence, matches, positions, warning)
        consumed |= used
        arc_areas.append((min(used) if used else len(matches), area))

    groups: list[list[int]] = []
    for index in range(len(matches)):
        if index in consumed:
            continue
        previous = groups[-1][-1] if groups else None
        gap = text[matches[index - 1].end() : matches[index].start()] if index else ""
        if previous == index - 1 and len(gap) <= _LONGEST_GAP and _BETWEEN.match(gap):
            groups[-1].append(index)
        else:
            groups.append([index])

    found: list[tuple[int, Area]] = [(first, area) for first, area in arc_areas if area]
    ends = [0] + [matches[g[-1]].end() for g in groups]
    for number, group in enumerate(groups):
        following = matches[groups[number + 1][0]].start() if number + 1 < len(groups) else None
        before = text[ends[number] : matches[group[0]].start()]
        after = text[matches[group[-1]].end() : following if following is not None else len(text)]
        for area in _group_areas(text, group, matches, positions, before, after, warning):
            found.append((group[0], area))
    found.sort(key=lambda item: item[0])
    for number, (_, area) in enumerate(found, start=1):
        if area.form in ("polygon", "sector") and not _drawable(area, number, warning):
            continue
        _assign_window(area, windows)
        warning.areas.append(area)


def _read_positions(matches, warning: NavWarning) -> list[tuple[float, float] | None]:
    """(lon, lat) of each match, None where it is out of range (said in a problem)."""
    positions: list[tuple[float, float] | None] = []
    for match in matches:
        try:
            lat = parse_coordinate(match.group("lat"), LATITUDE)
            lon = parse_coordinate(match.group("lon"), LONGITUDE)
        except CoordinateError as error:
            warning.problems.append(
                Message("{reason}; this area is left out", reason=reason(error))
            )
            positions.append(None)
            continue
        positions.append((lon, lat))
    return positions


def _group_areas(text, group, matches, positions, before, after, warning) -> list[Area]:
    """The areas of one list of positions written together: one, or one per label when the
    list is lettered areas (`A. p, p, p. B. p, p, p`)."""
    labels = [
        _label(text[: matches[i].start()] if n == 0 else _gap(text, matches, i))
        for n, i in enumerate(group)
    ]
    lead = _clause_before(_strip_label(before))
    item = _ITEM_LETTER.findall(_strip_label(before)[-200:])
    parts: list[tuple[str, list[int]]] = []
    if labels[0] and any(len(run) > 1 for run in _runs(labels)):
        for label, index in zip(labels, group):
            if label:
                parts.append((label, [index]))
            else:
                parts[-1][1].append(index)
    else:
        named = _AREA_LETTER.search(lead)
        label = item[-1] if item else (named.group("label") if named else "")
        parts = [(label, indexes) for indexes in _joined_lists(text, group, matches)]
    areas = []
    for number, (label, indexes) in enumerate(parts):
        if any(positions[i] is None for i in indexes):
            continue
        points = [positions[i] for i in indexes]
        last = number == len(parts) - 1
        area = _area_form(points, lead, _clause_after(after), after if last else "", warning)
        if area is None:
            continue
        span = (matches[indexes[0]].start(), matches[indexes[-1]].end())
        if area.form == "circles":
            # One circle about each centre of the list, the radius they share.
            for index, centre in zip(indexes, points, strict=True):
                circle = Area("circle", [centre], radius_nm=area.radius_nm, label=label)
                circle.span = (matches[index].start(), matches[index].end())
                areas.append(circle)
            continue
        area.label = label
        area.span = span
        areas.append(area)
    return areas


def _joined_lists(text: str, group: list[int], matches) -> list[list[int]]:
    """The group cut where a conjunction joins two lists of three or more positions each
    (`p、p、p、p以及p、p、p、p四点连线`, `p, p, p, p AND p, p, p, p`: two areas); "p, p, p AND p"
    (the last corner after "and") stays one list."""
    cuts = [n for n in range(1, len(group)) if _CONJUNCTION.search(_gap(text, matches, group[n]))]
    if not cuts:
        return [group]
    bounds = [0, *cuts, len(group)]
    lists = [group[a:b] for a, b in zip(bounds, bounds[1:])]
    return lists if all(len(part) >= 3 for part in lists) else [group]


def _runs(labels: list[str]) -> list[list[str]]:
    """The labels cut into runs, each a label and the unlabelled positions after it."""
    runs: list[list[str]] = []
    for label in labels:
        if label or not runs:
            runs.append([label])
        else:
            runs[-1].append(label)
    return runs


def _gap(text: str, matches, index: int) -> str:
    return text[matches[index - 1].end() : matches[index].start()]


def _label(before: str) -> str:
    found = _LABEL_AT_END.search(before[-12:])
    return (found.group("l1") or found.group("l2")) if found else ""


def _strip_label(before: str) -> str:
    found = _LABEL_AT_END.search(before[-12:])
    return before[: len(before) - len(found.group())] if found else before


def _clause_before(before: str) -> str:
    """The words of `before` in the same clause as the position that follows it."""
    ends = list(_CLAUSE_END.finditer(before))
    return before[ends[-1].end() :][-160:] if ends else before[-160:]


def _clause_after(after: str) -> str:
    """The words of `after` in the same clause as the position before it."""
    end = _CLAUSE_END.search(after)
    return after[: end.start()][:160] if end else after[:160]


# A latitude as warnings write it (`21-37.48N`, `33-55.00N`), to find one no position took.
_LATITUDE_TOKEN = re.compile(
    r"(?<![\d.\-])\d{1,2}-\d{1,2}(?:\.\d+)?(?:-\d{1,2}(?:\.\d+)?)?\s*[NS](?![A-Za-z])"
)


def _unread_positions(text: str, matches: list[re.Match]) -> list[str]:
    """Latitudes in `text` that no read position holds, each with what follows it (up to 20
    characters): `21-37.48N 134-34.4.` (a longitude cut short), `33-55.00N120-26.20诸点` (no
    E). A corner lost so would shrink the area drawn without a word."""
    taken = [(match.start(), match.end()) for match in matches]
    unread = []
    for token in _LATITUDE_TOKEN.finditer(text):
        if not any(start <= token.start() < end for start, end in taken):
            unread.append(text[token.start() : token.end() + 20].split("。")[0].strip())
    return unread


def _area_form(points, lead: str, own_after: str, after: str, warning) -> Area | None:
    """What one list of positions is, from the words of its clause (`lead` before it,
    `own_after` after it; `after` runs on to the next position for a radius said later)."""
    near = lead + " " + own_after
    if len(points) == 1:
        radius = _radius(lead, own_after, after)
        bearings = _BEARINGS.search(near)
        if bearings:
            first, second = float(bearings.group("b1")), float(bearings.group("b2"))
            if radius is None:
                warning.problems.append(
                    Message(
                        "a sector's bearings are given ({text}) but not its radius; left out",
                        text=repr(bearings.group().strip()),
                    )
                )
                return None
            if first > 360 or second > 360 or first % 360 == second % 360:
                warning.problems.append(
                    Message(
                        "a sector's bearings {text} do not make a sector; left out",
                        text=repr(bearings.group().strip()),
                    )
                )
                return None
            return Area("sector", points, radius_nm=radius, bearings=(first, second))
        if radius is not None:
            return Area("circle", points, radius_nm=radius)
        if _CENTRE_WORDS.search(near):
            warning.problems.append(
                Message("a circle's centre is given but not its radius; left out")
            )
            return None
        return Area("points", points)
    radius = _radius(lead, own_after, "")
    if (
        radius is not None
        and not (_JOINING_WORDS.search(near) or _BOUNDARY_WORDS.search(near))
        and not (_ARC_WORDS.search(near) or _LINE_WORDS.search(near))
    ):
        # `WITHIN 3 MILES OF p AND p`, `以p、p为中心、半径3海里`, `IN CIRCLES OF 2NM RADIUS
        # CENTERED ON: A. p. B. p.`: a circle about each; "circles" is cut into them by
        # read_areas.
        return Area("circles", points, radius_nm=radius)
    if not _BOUNDARY_WORDS.search(near) and (
        _LINE_WORDS.search(near)
        or ("沿" in lead and _JOINING_WORDS.search(near))
        or (len(points) == 2 and _JOINING_WORDS.search(near))
    ):
        return Area("line", points)
    if len(points) >= 3 and _POLYGON_WORDS.search(near):
        return Area("polygon", points)
    return Area("points", points)


def _radius(lead: str, own_after: str, after: str) -> float | None:
    """The radius in nautical miles said for a single position, or None."""
    candidates = []
    for pattern in _RADII:
        candidates += [(m, "lead") for m in pattern.finditer(lead)]
        candidates += [(m, "after") for m in pattern.finditer(own_after)]
    if not candidates:
        later = _RADIUS_AFTER.search(after[:200])
        if not later or _POSITION.search(after[: later.start()]):
            return None
        candidates = [(later, "after")]
    # The radius nearest the position: the last one before it, else the first one after it.
    leading = [m for m, side in candidates if side == "lead"]
    match = (
        max(leading, key=lambda m: m.end())
        if leading
        else min((m for m, _ in candidates), key=lambda m: m.start())
    )
    return _nautical_miles(match)


def _nautical_miles(match: re.Match) -> float | None:
    written = match.group("n").upper()
    value = _WORD_NUMBERS.get(re.sub(r"\s+", " ", written))
    if value is None:
        try:
            value = float(written)
        except ValueError:
            return None
    unit = match.group("u")
    for pattern, length in _UNITS:
        if re.fullmatch(pattern, unit, re.IGNORECASE):
            if unit == "m":  # lower-case m is the metre (SI), upper-case M the sea mile
                length = 1 / 1852
            return value * length if value > 0 else None
    return None


# --- arcs ----------------------------------------------------------------------------------------
def _sentence(text: str, at: int) -> tuple[int, int]:
    """The (start, end) of the sentence of `text` around offset `at`."""
    breaks = re.compile(r"。|\.(?=\s)|\n\s*\d{1,2}\.\s")
    start = 0
    for found in breaks.finditer(text, 0, at):
        start = found.end()
    following = breaks.search(text, at)
    return start, following.start() if following else len(text)


def _arc_area(text, sentence, matches, positions, warning) -> tuple[Area | None, set[int]]:
    """A boundary closed by an arc about a centre, from the sentence that says so; the area
    (or None, with a problem said) and the positions it used."""
    start, end = sentence
    inside = [i for i, m in enumerate(matches) if start <= m.start() < end]
    words = text[start:end]
    quoted = " ".join(words.split())[:160]
    if not inside:
        warning.problems.append(
            f"an area is bounded by an arc whose positions are not in its sentence ({quoted!r}); "
            "no area is made rather than a wrong one"
        )
        return None, set(range(len(matches)))
    centre_index, in_boundary = None, False
    for i in inside:
        if re.search(
            r"CENT(?:ER|RE)(?:E?D)?\s+(?:ON|AT)\s*$", text[start : matches[i].start()], re.I
        ):
            centre_index = i
            break
        tail = text[matches[i].end() : matches[i].end() + 4]
        if re.match(r"\s*(?:为|為)(?:顶点|頂點)", tail) and re.search(r"以顶点为|以頂點為", words):
            centre_index, in_boundary = i, True
            break
        if re.match(r"\s*(?:为|為)(?:圆心|圓心|中心)", tail):
            centre_index = i
            break
    radius = None
    for pattern in _RADII:
        found = pattern.search(words)
        if found:
            radius = _nautical_miles(found)
            break
    if centre_index is None or radius is None or any(positions[i] is None for i in inside):
        warning.problems.append(
            f"an area is bounded by an arc whose centre or radius cannot be read ({quoted!r}); "
            "no area is made rather than a wrong one"
        )
        return None, set(inside)
    centre = positions[centre_index]
    boundary = [i for i in inside if i != centre_index or in_boundary]
    metres = radius * NM_KM * 1000
    on_arc = []
    for n, i in enumerate(boundary):
        _, _, distance = GEOD.inv(centre[0], centre[1], *positions[i])
        if abs(distance - metres) <= ARC_TOLERANCE * metres:
            on_arc.append(n)
    count = len(boundary)
    pair = None
    if len(on_arc) == 2 and count >= 2:
        first, second = on_arc
        if second == first + 1:
            pair = first
        elif first == 0 and second == count - 1:
            pair = second
    if pair is None:
        warning.problems.append(
            f"an arc's end points are not at its radius ({radius * NM_KM:g} km) from its "
            f"centre ({quoted!r}); no area is made rather than a wrong one"
        )
        return None, set(inside)
    ends = [positions[boundary[pair]], positions[boundary[(pair + 1) % count]]]
    first, second = (GEOD.inv(*centre, *end)[0] for end in ends)
    if abs(abs((second - first) % 360.0) - 180.0) < 1.0:
        warning.problems.append(
            f"an arc's end points are opposite each other about its centre ({quoted!r}): "
            "which half is meant is not said; no area is made rather than a wrong one"
        )
        return None, set(inside)
    area = Area(
        "sector",
        [positions[i] for i in boundary],
        radius_nm=radius,
        centre=centre,
        arc_from=pair,
    )
    area.span = (matches[inside[0]].start(), matches[inside[-1]].end())
    return area, set(inside)


# --- checks -------------------------------------------------------------------------------------
def _drawable(area: Area, number: int, warning: NavWarning) -> bool:
    """False, with a problem naming the area, when its boundary crosses itself (a bow-tie):
    such corners are never drawn and never reordered."""
    ring = area.ring()
    shape = shapely.Polygon(ring) if len(ring) >= 4 else None
    if shape is not None and shape.is_valid:
        return True
    name = Message("area {label}", label=str(area.label or number))
    if shape is None:
        warning.problems.append(
            Message("{name}: too few distinct corners to make an area; not drawn", name=name)
        )
        return False
    why = explain_validity(shape)
    where = re.search(r"\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\]", why)
    if where:
        warning.problems.append(
            Message(
                "{name}: its corners, in the order written, cross themselves (at {lat}°, "
                "{lon}°); not drawn",
                name=name,
                lat=format(float(where.group(2)), ".3f"),
                lon=format(float(where.group(1)), ".3f"),
            )
        )
    else:
        warning.problems.append(
            Message(
                "{name}: its corners, in the order written, cross themselves; not drawn", name=name
            )
        )
    return False


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
