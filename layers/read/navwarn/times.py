"""When a warning is in force: the periods (windows) its text writes, in the English of
NAVAREA, HYDROPAC and China MSA broadcasts, in Chinese (MSA 航行警告, Taiwan 航船布告) and in
Japanese (海上保安庁 航行警報); the time a broadcast was issued; and the time it cancels itself.

Forms read (each with its test in tests/read/test_navwarn_times.py):

- Day-time groups (DTG, `DDHHMMZ MON YY`, the NGA broadcast-warning and IMO/IHO Joint MSI
  Manual layout): `FROM 060400UTC TO 181000UTC JUL`, `212300 UTC TO 220300 UTC NOV 24`,
  `010800Z OCT TO 010800Z NOV`, lists `221000Z TO 221400Z, 231000Z TO 231400Z AND 241000Z TO
  241400Z OCT` and `…, ALTERNATE …`: one window per range. A month written once serves every
  range of the list; a day lower than the one before it is in the next month.
- Daily hours: `0200 UTC TO 1000 UTC DAILY FROM 16 TO 17 MAR`, `0100Z TO 1300Z DAILY 24 THRU
  27 AUG`, `DAILY 0100Z TO 0900Z 12 THRU 15 SEP 26`, `DAILY 22, 23 AND 24 OCT`, `2300Z TO
  0900Z COMMENCING DAILY 30 SEP TO 30 OCT`, `… EXCEPT FRIDAYS AND SATURDAYS`: one window per day
  (and per range of hours), hours that end before they start end the next day; at most
  MAX_WINDOWS windows, a problem line says what was left.
- Dates: `FROM 16 TO 17 JUL`, `FROM 0800 ON 10 AUG 2026 TO 1800 ON 14 AUG 2026`.
- Chinese and Japanese: `3月16日至17日每天1000时至1800时` (one window per day),
  `3月18日0800时至25日2400时`, `8月12日20时至13日6时`, `7月22日～25日`, `8月4日0700时至1500时和
  8月5日1100时至1400时` (two windows), `2024年7月22日0900時から同日1500時まで`, `1月8日から1月10日
  まで 毎日0900-1600`; years `2024年`, `令和7年`/`R7.` (令和 1 = 2019), `平成31年`/`H31.`
  (平成 1 = 1989), `民國113年`/`113年` (Republic of China year + 1911 = 2024).

Zones are never guessed. Hours become aware datetimes only where the text writes their zone:
`Z`, `UTC`, `GMT` (UTC), `UTC+8`, `北京时间` (UTC+08:00), `JST`, `日本時間`, `(I)` (UTC+09:00,
the military zone letter India); elsewhere a window holds dates (the days written), never
times in an assumed zone. `2400` is the end of its day (00:00 of the next).

Years: a year written is taken as written; a day and month without a year take the coming year: the
first that puts them no more than PAST_DAYS days before the warning's publication (`published`, else
the broadcast's own issue time), among the year of the warning's number (`year`) and the next, or
the publication's year and those either side when the number has none; without a publication or
issue time, `year`: published 2024-12-27, `1月8日` is 2025-01-08, never January 2024
(`_Context.infer_year`). Days written with no month anywhere in their phrase (`201536Z TO 202024Z,
211536Z TO 212024Z`, NGA's way within the month of issue) take the month that puts them nearest the
publication. A window that ends more than PAST_DAYS days before the publication is a problem line,
not a window. The broadcast's issue time (`issue_time`) and `CANCEL THIS MSG <DTG>` (`cancel_time`)
are never windows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from layers.i18n import Message
from layers.read.navwarn.model import Window

UTC = dt.UTC
BEIJING = dt.timezone(dt.timedelta(hours=8))
JAPAN = dt.timezone(dt.timedelta(hours=9))
MAX_WINDOWS = 366  # a daily window over more days than a year is cut there, with a problem line
PAST_DAYS = 31  # a window ending longer than this before its publication is refused

_MONTH_WORDS = (
    "JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|"
    "SEP(?:T(?:EMBER)?)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        start=1,
    )
}
_WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    )
}
_ZONE = r"(?:Z\b|(?:UTC|GMT)(?:\s?[+\-−]\s?\d{1,2}(?::?\d{2})?)?|JST|\(I\))"
_EN_DTG = (
    rf"(?:(?<![\w.\-/])|(?<=TO)|(?<=AND)|(?<=THRU))(?P<dd>\d{{2}})(?P<dh>\d{{2}})(?P<dm>\d{{2}})"
    rf"(?:\s?(?P<dz>{_ZONE})|(?![\w./]))"
)
_EN_TOKEN = re.compile(
    "|".join(
        (
            rf"(?P<mon>\b(?:{_MONTH_WORDS})\b)(?:\.?\s*(?P<year>\d{{4}}|\d{{2}})(?![\w.\-/:]))?",
            _EN_DTG,
            rf"(?:(?<![\w./])|(?<=TO)|(?<=AND)|(?<=THRU))(?P<th>[0-2]\d)(?P<tm>[0-5]\d)(?:\s?(?P<tz>{_ZONE})|(?![\w./:]))",
            r"(?<![\w./:])(?P<day>[0-3]?\d)(?:ST|ND|RD|TH)?(?![\w./:]|-\d+\.)",
            r"(?P<word>\b(?:TO|THRU|THROUGH|UNTIL|TILL|AND|FROM|DAILY|COMMENCING|ALTERNATE(?:LY)?|"
            r"ALTERNATIVE(?:LY)?|EXCEPT|ON|BETWEEN|EACH\s+DAY|EVERY\s+DAY|"
            r"(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAYS?)\b|\b(?:TO|AND|THRU)(?=\d{4}))",
            r"(?P<sep>[,&\-–、])",
        )
    ),
    re.IGNORECASE,
)
_RANGE_WORDS = {"TO", "THRU", "THROUGH", "UNTIL", "TILL", "-", "–"}

# --- Chinese and Japanese ------------------------------------------------------------------------
_CJK_YEAR = (
    r"(?:(?P<era>令和|平成|昭和|中華民國|中华民国|民國|民国)\s*(?P<ey>\d{1,3}|元)\s*年"
    r"|(?P<y4>\d{4})\s*年|(?P<roc>1\d{2})\s*年)"
)
_CJK_TOKEN = re.compile(
    "|".join(
        (
            rf"(?P<date>(?<![\d./])(?:{_CJK_YEAR}\s*)?(?:(?P<m>\d{{1,2}})\s*月\s*)?(?P<d>\d{{1,2}})\s*[日号號]"
            r"(?:\s*[(（][月火水木金土日一二三四五六][)）])?)",
            r"(?P<eradot>(?<![A-Za-z\d])(?P<el>[RH])\s?(?P<ely>\d{1,2})\.(?P<elm>\d{1,2})\.(?P<eld>\d{1,2})(?![\d.]))",
            r"(?P<same>同日|当日|當日)",
            r"(?P<next>翌日|次日)",
            r"(?P<time>(?P<h1>[0-2]?\d)\s*[时時点點](?:\s*(?P<mi1>[0-5]\d)\s*分)?"
            r"|(?P<h2>[0-2]?\d)(?P<mi2>[0-5]\d)\s*[时時]"
            r"|(?P<h3>[0-2]?\d):(?P<mi3>[0-5]\d)"
            r"|(?<![\d./A-Za-z])(?P<h4>[0-2]\d)(?P<mi4>[0-5]\d)(?![\d./年月日号號A-Za-z]))",
            r"(?P<op>至|到|から|~|〜|-|—|–)",
            r"(?P<daily>每天|每日|毎日|逐日)",
            r"(?P<sep>及び|[,、和及与與]|並びに|および|并)",
            r"(?P<skip>自|从|從|由|起|まで|止|以及|期间|期間|为止|為止)",
            r"(?P<zone>北京时间|北京時間|日本時間|日本標準時|JST|[(（]I[)）]"
            r"|(?:UTC|GMT)(?:\s*[+\-−]\s*\d{1,2}(?::?\d{2})?)?|协调世界时|世界时)",
        )
    )
)
_CJK_ZONES = (
    (re.compile(r"北京时间|北京時間"), BEIJING),
    (re.compile(r"日本時間|日本標準時|\bJST\b|[(（]I[)）]"), JAPAN),
    (re.compile(r"协调世界时|世界时"), UTC),
)
_ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925}

# --- the broadcast's own times -----------------------------------------------------------------
_DTG_YEAR = (
    rf"(?P<d>\d{{2}})(?P<h>\d{{2}})(?P<mi>\d{{2}})\s?(?:Z|UTC)\s*(?P<mon>{_MONTH_WORDS})\b\.?\s*"
    rf"(?P<y>\d{{4}}|\d{{2}})?\b(?!\s*(?:\d{{2,4}}\s*)?(?:TO\b|THRU\b|UNTIL\b|-))"
)
_ISSUE = (
    re.compile(rf"^\W*{_DTG_YEAR}", re.IGNORECASE),
    re.compile(
        rf"^\W*[A-Z一-鿿 ]*?\d+\s*/\s*\d{{2,4}}(?:\s*\([^)]*\))?\s*[.,]?\s*{_DTG_YEAR}",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:DATE\s*:|ISSUED\s+AT)\s*{_DTG_YEAR}", re.IGNORECASE),
)
_ISSUE_ISO = re.compile(
    r"\bDATE\s*:\s*(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})\s+(?P<h>\d{2})\s*UTC", re.IGNORECASE
)
_PUBLISHED_CN = re.compile(r"发布时间\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_CANCEL_THIS = re.compile(
    rf"CANCEL\s+TH(?:IS|E)\s+(?:MSG|MESSAGE|WARNING)\s+(?:AT\s+)?"
    rf"(?P<d>\d{{2}})(?P<h>\d{{2}})(?P<mi>\d{{2}})\s?(?:Z|UTC)\b\s*"
    rf"(?:(?P<mon>{_MONTH_WORDS})\b\.?\s*(?P<y>\d{{4}}|\d{{2}})?\b)?",
    re.IGNORECASE,
)
_NOT_WINDOWS = (
    _CANCEL_THIS,
    re.compile(r"CANCEL\s+TH(?:IS|E)\s+(?:MSG|MESSAGE)\s+[^.]*", re.IGNORECASE),
    re.compile(rf"AUTHORITY\s*:[^\n]*?{_DTG_YEAR}", re.IGNORECASE),
    re.compile(r"发布时间\s*[:：]\s*[\d\-: ]+"),
    re.compile(r"\bDATE\s*:\s*[^\n]{0,24}", re.IGNORECASE),
    re.compile(r"(?:AS\s+OF|IN\s+FORCE)\s+\d{6}\s?Z[^.]*", re.IGNORECASE),
)


_OPEN_ENDED = re.compile(
    rf"(?:\b\d{{6}}\s?(?:Z|UTC)\s*|\b\d{{1,2}}\s+)(?:{_MONTH_WORDS})\b\.?(?:\s*\d{{4}}|\s*\d{{2}}\b)?"
    r"\s+(?:TO\s+)?UNTIL\s+FURTHER\s+NOTICE"
    r"|\d{1,2}\s*日\s*(?:\d{3,4}\s*[时時]\s*)?起\s*(?:至|直至)?\s*(?:另行通知|另行公告)",
    re.IGNORECASE,
)


@dataclass
class _Point:
    """A moment as written: a day (of a month, of a year) and hours in a zone, each optional."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    hour: int | None = None
    minute: int = 0
    zone: dt.tzinfo | None = None
    same_day: bool = False  # 同日: the day of the range's start
    next_day: bool = False  # 翌日
    from_issue: bool = False  # UNTIL …: in force from the warning's issue
    inferred: bool = False  # the year is not written

    def copy(self) -> _Point:
        return _Point(**self.__dict__)


@dataclass
class _Item:
    """One written period: a range, or daily hours over days; `span` in the searched text."""

    span: tuple[int, int]
    points: list[_Point]  # the dated points, in the order written (month and year fill)
    ranges: list[tuple[_Point, _Point]] = field(default_factory=list)
    daily: list[tuple[_Point, _Point]] = field(default_factory=list)  # hours of the day
    days: list[tuple[_Point, _Point | None]] = field(default_factory=list)  # days or day ranges
    except_weekdays: set[int] = field(default_factory=set)
    run: int = 0
    forward_first: bool = False  # Chinese and Japanese months run forward from the first date


class _Context:
    def __init__(self, year: int | None, reference: dt.date | None):
        self.year, self.reference = year, reference
        self.issued: dt.datetime | None = None
        self.problems: list[str] = []

    def infer_year(self, month: int, day: int) -> int | None:
        """The year of a day written without one. A warning announces what is coming: the first
        year that puts the day no more than PAST_DAYS before the reference day (the
        publication date, else the broadcast's issue time), among the warning's own year (from
        its number) and the next (a /26 warning issued in December for January 2027), or,
        without one (or with one more than a year from the reference's: a typo), the
        reference's year and those either side; without a reference, the
        warning's own year. A day that falls before the reference even so takes the latest of
        them, and `_not_long_before` says so."""
        if self.reference is None:
            return self.year
        # A number's year far from the publication is a typo (NGA's `HYDROPAC 1690/261`).
        near = self.year is not None and abs(self.year - self.reference.year) <= 1
        years = (
            (self.year, self.year + 1)
            if near
            else (self.reference.year - 1, self.reference.year, self.reference.year + 1)
        )
        candidates = []
        for year in years:
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
        if not candidates:
            return None
        earliest = self.reference - dt.timedelta(days=PAST_DAYS)
        coming = [candidate for candidate in candidates if candidate >= earliest]
        return (coming[0] if coming else candidates[-1]).year

    def nearest_month(self, day: int) -> tuple[int, int] | None:
        """The (month, year) that puts a day of the month nearest the reference day."""
        if self.reference is None:
            return None
        candidates = []
        for shift in (-1, 0, 1):
            month0 = self.reference.year * 12 + self.reference.month - 1 + shift
            try:
                candidates.append(dt.date(month0 // 12, month0 % 12 + 1, day))
            except ValueError:
                continue
        if not candidates:
            return None
        best = min(candidates, key=lambda day_: abs((day_ - self.reference).days))
        return best.month, best.year


# --- public -----------------------------------------------------------------------------------
def read_windows(
    text: str, *, year: int | None, published: dt.date | None = None, skip_to: int = 0
) -> tuple[list[Window], list[str]]:
    """The windows `text` writes after offset `skip_to`, in the order written, and the problems
    met, each one plain line naming the text it could not take.

    `year` is the warning's own year (from its number), `published` its publication date; a
    day without a year takes the coming year after `published` (else the issue time the
    broadcast writes), among `year` and the next (`_Context.infer_year`); a year is never
    taken from today. A window is dates
    (`dt.date`) unless the text gives hours and their zone (then aware `dt.datetime`). A daily
    window gives one Window per day, all with the same `written` and `span`. `span` offsets are
    in the NFKC-normalised text (as the reader passes it). Never raises on any text.
    """
    try:
        return _read_windows(unicodedata.normalize("NFKC", text or ""), year, published, skip_to)
    except Exception:  # the door never breaks
        return [], ["the dates could not be read (an unexpected error); no dates are taken"]


def issue_time(
    text: str, *, year: int | None = None, published: dt.date | None = None
) -> dt.datetime | None:
    """When the broadcast was issued (aware, UTC), from its own date-time group: the DTG that
    opens an NGA message (`221154Z AUG 26` before `HYDROPAC 2411/26`) or follows its number
    (`HYDROPAC 2381/26(61). 170950Z JAN 17`), `DATE: 290948Z APR 12`, `ISSUED AT 080200UTC SEP
    2026`, a scraped `Date:2026/10/08 09 UTC`. None when there is none. This time is never a
    window. A DTG without a year takes the one nearest `published`, else `year`. Never raises.
    """
    try:
        found = _issue(unicodedata.normalize("NFKC", text or ""), year, published)
        return found[0] if found else None
    except Exception:
        return None


def cancel_time(
    text: str, *, year: int | None = None, published: dt.date | None = None
) -> dt.datetime | None:
    """When the warning cancels itself, `CANCEL THIS MSG 311000Z OCT 24` (IMO/IHO Joint MSI
    Manual; NGA broadcast-warning format), as an aware UTC datetime; None when the text has none,
    or gives no hour or month. A year not written is the one nearest `published` (else the
    broadcast's issue time, else `year`). It is not a window (`read_windows` never takes it).
    Never raises.
    """
    try:
        normal = unicodedata.normalize("NFKC", text or "")
        match = _CANCEL_THIS.search(normal)
        if not match or not match.group("mon"):
            return None
        context = _Context(year, _reference(normal, year, published))
        return _dtg_datetime(match, context)
    except Exception:
        return None


# --- reading ------------------------------------------------------------------------------------
def _read_windows(
    text: str, year: int | None, published: dt.date | None, skip_to: int
) -> tuple[list[Window], list[str]]:
    context = _Context(year, _reference(text, year, published))
    blocked = [match.span() for pattern in _NOT_WINDOWS for match in pattern.finditer(text)]
    issue = _issue(text, year, published)
    if issue:
        blocked.append(issue[1])
        context.issued = issue[0]
    body = text[skip_to:]
    upper = body.upper()
    items = _english_items(upper, skip_to, blocked)
    taken = [item.span for item in items]
    items += _cjk_items(body, skip_to, blocked + taken, text)
    items.sort(key=lambda item: item.span[0])
    _fill_dates(items, context)
    windows: list[Window] = []
    for item in items:
        written = text[item.span[0] : item.span[1]].strip()
        for start, end in _item_windows(item, context, written):
            if len(windows) >= MAX_WINDOWS:
                context.problems.append(
                    Message(
                        '"{text}" gives more than {limit} windows; those after {day} are left out',
                        text=written,
                        limit=str(MAX_WINDOWS),
                        day=windows[-1].first_day().isoformat(),
                    )
                )
                break
            windows.append(Window(start, end, written, item.span))
        else:
            continue
        break
    if not items:
        windows += _lone_day(body, skip_to, context, text)
    for match in _OPEN_ENDED.finditer(body):
        context.problems.append(
            Message(
                '"{text}" gives a start but no end (until further notice); no window is made '
                "from it",
                text=match.group().strip(),
            )
        )
    windows = [window for window in windows if _not_long_before(window, context)]
    broken = [
        match.group().strip()
        for match in _BROKEN_DTG.finditer(body)
        if not any(start <= match.start() + skip_to < end for start, end in blocked)
    ]
    if broken and windows:
        # One window of a list lost to a typo would leave the others to pass for the whole.
        context.problems.append(
            Message(
                '"{text}" is no date-time group (DDHHMMZ: six digits); its window cannot be '
                "read, so none of the warning's are taken",
                text=broken[0],
            )
        )
        return [], context.problems
    return windows, context.problems


# A date-time group of the wrong length (HYDROPAC 2966/25's `2708030Z`): digits and Z or UTC,
# not six digits. (Five digits and more than eight are not DTGs at all: positions, numbers.)
_BROKEN_DTG = re.compile(r"(?<![\d/.\-])(?:\d{5}|\d{7}|\d{8})\s?(?:Z|UTC)\b")


def _reference(text: str, year: int | None, published: dt.date | None) -> dt.date | None:
    if published is not None:
        return published
    issued = _issue(text, year, None)
    if issued:
        return issued[0].date()
    match = _PUBLISHED_CN.search(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None


def _issue(
    text: str, year: int | None, published: dt.date | None
) -> tuple[dt.datetime, tuple[int, int]] | None:
    context = _Context(year, published)
    for pattern in _ISSUE:
        match = pattern.search(text)
        if match:
            when = _dtg_datetime(match, context)
            if when:
                return when, match.span()
    match = _ISSUE_ISO.search(text)
    if match:
        try:
            parts = [int(part) for part in match.groups()]
            return dt.datetime(*parts, tzinfo=UTC), match.span()
        except ValueError:
            return None
    return None


def _dtg_datetime(match: re.Match, context: _Context) -> dt.datetime | None:
    month = _MONTHS.get(match.group("mon")[:3].upper())
    day, hour, minute = int(match.group("d")), int(match.group("h")), int(match.group("mi"))
    year = _full_year(match.group("y")) if match.group("y") else context.infer_year(month, day)
    if year is None or hour > 24 or minute > 59:
        return None
    try:
        return dt.datetime(year, month, day, tzinfo=UTC) + dt.timedelta(hours=hour, minutes=minute)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


_OFFSET = re.compile(r"(?:UTC|GMT)([+\-−])(\d{1,2})(?::?(\d{2}))?$")


def _zone(text: str | None) -> dt.tzinfo | None:
    """The zone a written word names: Z, UTC, GMT; JST and (I) (Japan, +09:00); UTC+8,
    GMT-10, UTC+05:30 (offsets within ±14:00, the offsets in use); None for anything else."""
    if not text:
        return None
    text = text.upper().replace(" ", "")
    if text in ("Z", "UTC", "GMT"):
        return UTC
    if text in ("JST", "(I)"):
        return JAPAN
    offset = _OFFSET.match(text)
    if offset:
        minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
        if minutes <= 14 * 60:
            sign = -1 if offset.group(1) in "-−" else 1
            return dt.timezone(dt.timedelta(minutes=sign * minutes))
    return None


# --- English ------------------------------------------------------------------------------------
# The longest list of days or day ranges a warning writes for one month and the next.
_MOST_DAYS = 62


@dataclass
class _Token:
    kind: str  # dtg, time, day, mon, word, sep, break
    start: int
    end: int
    text: str = ""
    point: _Point | None = None


def _english_tokens(upper: str, offset: int, blocked: list[tuple[int, int]]) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    for match in _EN_TOKEN.finditer(upper):
        gap = upper[position : match.start()]
        if gap.strip() or not tokens:
            tokens.append(_Token("break", position, match.start()))
        position = match.end()
        start, end = match.start() + offset, match.end() + offset
        if any(low < end and start < high for low, high in blocked):
            tokens.append(_Token("break", match.start(), match.end()))
            continue
        if match.group("mon"):
            point = _Point(month=_MONTHS[match.group("mon")[:3].upper()])
            if match.group("year"):
                point.year = _full_year(match.group("year"))
            tokens.append(_Token("mon", match.start(), match.end(), point=point))
        elif match.group("dd"):
            point = _Point(
                day=int(match.group("dd")),
                hour=int(match.group("dh")),
                minute=int(match.group("dm")),
                zone=_zone(match.group("dz")),
            )
            kind = "dtg" if point.hour <= 24 and point.minute < 60 else "break"
            tokens.append(_Token(kind, match.start(), match.end(), point=point))
        elif match.group("th"):
            point = _Point(
                hour=int(match.group("th")),
                minute=int(match.group("tm")),
                zone=_zone(match.group("tz")),
            )
            kind = "time" if point.hour <= 24 else "break"
            tokens.append(_Token(kind, match.start(), match.end(), point=point))
        elif match.group("day"):
            tokens.append(
                _Token("day", match.start(), match.end(), point=_Point(day=int(match.group("day"))))
            )
        elif match.group("word"):
            word = " ".join(match.group("word").split())
            tokens.append(_Token("word", match.start(), match.end(), text=word))
        else:
            tokens.append(_Token("sep", match.start(), match.end(), text=match.group("sep")))
    tokens.append(_Token("break", len(upper), len(upper)))
    return tokens


class _EnglishParser:
    """A small recursive-descent reader of the English time phrases over tokens."""

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens

    def kind(self, index: int) -> str:
        return self.tokens[index].kind if index < len(self.tokens) else "break"

    def is_word(self, index: int, words) -> bool:
        token = self.tokens[index] if index < len(self.tokens) else None
        return bool(token and token.kind in ("word", "sep") and token.text in words)

    def skip(self, index: int, words) -> int:
        while self.is_word(index, words):
            index += 1
        return index

    # hours of the day: 0200 UTC TO 1000 UTC
    def hours(self, index: int):
        if self.kind(index) != "time":
            return None
        after = index + 1
        if not self.is_word(after, _RANGE_WORDS) or self.kind(after + 1) != "time":
            return None
        first = self.tokens[index].point.copy()
        last = self.tokens[after + 1].point.copy()
        first.zone = first.zone or last.zone
        last.zone = last.zone or first.zone
        return (first, last), after + 2

    def hours_list(self, index: int):
        found = self.hours(index)
        if not found:
            return None
        ranges, index = [found[0]], found[1]
        while True:
            following = self.skip(index, {",", "、", "AND"})
            found = self.hours(following) if following > index else None
            if not found:
                return ranges, index
            ranges.append(found[0])
            index = found[1]

    # days: 16 TO 17 MAR; 24 THRU 27 AUG; 22, 23 AND 24 OCT; 30 SEP TO 30 OCT
    def day(self, index: int):
        if self.kind(index) != "day":
            return None
        point = self.tokens[index].point.copy()
        index += 1
        if self.kind(index) == "mon":
            month = self.tokens[index].point
            point.month, point.year = month.month, month.year
            index += 1
        return point, index

    def days(self, index: int, need_month: bool = True):
        index = self.skip(index, {"FROM", "ON"})
        found = self.day(index)
        if not found:
            return None
        items: list[tuple[_Point, _Point | None]] = []
        while found:
            first, index = found
            last = None
            if self.is_word(index, _RANGE_WORDS):
                ended = self.day(index + 1)
                if ended:
                    last, index = ended
            items.append((first, last))
            if len(items) > _MOST_DAYS:
                return None  # no list of days: a run of numbers (it also bounds the work)
            following = self.skip(index, {",", "、", "AND", "&"})
            found = self.day(following) if following > index else None
        points = [point for pair in items for point in pair if point]
        if need_month and not any(point.month for point in points):
            return None
        return items, index

    def weekdays(self, index: int):
        if not self.is_word(index, {"EXCEPT"}):
            return set(), index
        index += 1
        found: set[int] = set()
        while True:
            token = self.tokens[index] if index < len(self.tokens) else None
            if token and token.kind == "word":
                name = token.text[:-1] if token.text.endswith("DAYS") else token.text
                if name in _WEEKDAYS:
                    found.add(_WEEKDAYS[name])
                    index += 1
                    continue
            if found and self.is_word(index, {",", "、", "AND", "&"}):
                index += 1
                continue
            return found, index

    def daily(self, index: int):
        start = index
        # DAILY 0100Z TO 0900Z 12 THRU 15 SEP 26; DAILY FROM 0500 TO 2400 ON 3 AUG TO 7 AUG
        if self.is_word(index, {"DAILY", "EACH DAY", "EVERY DAY"}):
            hours = self.hours_list(self.skip(index + 1, {",", "FROM", "BETWEEN"}))
            if hours:
                days = self.days(hours[1])
                if days:
                    return self._daily(start, hours[0], *days)
            return None
        # 0200 UTC TO 1000 UTC [COMMENCING] DAILY [FROM] 16 TO 17 MAR; 0001Z TO 0400Z 28 AND 29 OCT
        hours = self.hours_list(self.skip(index, {"FROM", "BETWEEN"}))
        if hours:
            following = self.skip(hours[1], {","})
            if self.is_word(following, {"COMMENCING"}):
                following += 1
            daily = self.is_word(following, {"DAILY", "EACH DAY", "EVERY DAY"})
            if daily:
                following = self.skip(following + 1, {","})
                if self.is_word(following, {"UNTIL", "TILL"}):
                    # 0630Z TO 0830Z DAILY UNTIL 21 FEB: from the warning's issue
                    ended = self.day(following + 1)
                    if ended:
                        return self._daily(
                            start, hours[0], [(_Point(from_issue=True), ended[0])], ended[1]
                        )
            days = self.days(following, need_month=not daily)
            if days:
                return self._daily(start, hours[0], *days)
            return None
        # FROM 10 TO 12 AUG, DAILY 1130 UTC TO 1330 UTC
        days = self.days(index)
        if days:
            following = self.skip(days[1], {","})
            if self.is_word(following, {"DAILY", "EACH DAY", "EVERY DAY"}):
                hours = self.hours_list(self.skip(following + 1, {"FROM", "BETWEEN"}))
                if hours:
                    return self._daily(start, hours[0], days[0], hours[1])
        return None

    def _daily(self, start: int, hours, days, index: int):
        excepted, index = self.weekdays(index)
        item = _Item(
            (self.tokens[start].start, self.tokens[index - 1].end),
            [point for pair in days for point in pair if point],
            daily=hours,
            days=days,
            except_weekdays=excepted,
        )
        return item, index

    # a moment: 060400UTC [JUL [26]]; 0800 ON 10 AUG 2026; 16 [MAR]
    def moment(self, index: int):
        kind = self.kind(index)
        if kind == "dtg":
            point = self.tokens[index].point.copy()
            index += 1
            if self.kind(index) == "mon":
                month = self.tokens[index].point
                point.month, point.year = month.month, month.year
                index += 1
            return point, index
        if kind == "time":
            following = self.skip(index + 1, {"ON"})
            found = self.day(following)
            if found and found[0].month:
                point = found[0]
                time = self.tokens[index].point
                point.hour, point.minute, point.zone = time.hour, time.minute, time.zone
                return point, found[1]
            return None
        return self.day(index)

    def period(self, index: int):
        start = index
        if self.is_word(index, {"UNTIL", "TILL"}):
            # UNTIL 211500Z OCT, UNTIL 31 DEC 2026: in force from the warning's issue
            ended = self.moment(index + 1)
            if not ended or (ended[0].hour is None and ended[0].month is None):
                return None
            first = _Point(from_issue=True)
            span = (self.tokens[start].start, self.tokens[ended[1] - 1].end)
            return _Item(span, [ended[0]], ranges=[(first, ended[0])]), ended[1]
        index = self.skip(index, {"FROM", "BETWEEN"})
        found = self.moment(index)
        if not found:
            return None
        first, index = found
        between = self.is_word(start, {"BETWEEN"})
        if not (self.is_word(index, _RANGE_WORDS) or (between and self.is_word(index, {"AND"}))):
            return None
        ended = self.moment(index + 1)
        if not ended:
            return None
        last, index = ended
        if (first.hour is None) != (last.hour is None):
            return None
        if first.hour is None and not (first.month or last.month):
            return None  # two numbers, not two days
        first.zone = first.zone or last.zone
        last.zone = last.zone or first.zone
        span = (self.tokens[start].start, self.tokens[index - 1].end)
        return _Item(span, [first, last], ranges=[(first, last)]), index

    def items(self) -> list[_Item]:
        return _scan(self, lambda index: self.daily(index) or self.period(index))


def _english_items(upper: str, offset: int, blocked) -> list[_Item]:
    items = _EnglishParser(_english_tokens(upper, offset, blocked)).items()
    for item in items:
        item.span = (item.span[0] + offset, item.span[1] + offset)
    return items


# --- Chinese and Japanese -----------------------------------------------------------------------
def _cjk_tokens(body: str, offset: int, blocked) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    for match in _CJK_TOKEN.finditer(body):
        gap = body[position : match.start()]
        if gap.strip(" \t\n\r:：()（）") or not tokens:
            tokens.append(_Token("break", position, match.start()))
        position = match.end()
        start, end = match.start() + offset, match.end() + offset
        if any(low < end and start < high for low, high in blocked):
            tokens.append(_Token("break", match.start(), match.end()))
            continue
        group = match.lastgroup
        if match.group("date"):
            if match.group().rstrip(")）").endswith(("号", "號")) and not match.group("m"):
                tokens.append(_Token("break", match.start(), match.end()))
                continue  # 第99号: a number, not a day
            point = _Point(day=int(match.group("d")))
            if match.group("m"):
                point.month = int(match.group("m"))
            point.year = _cjk_year(match)
            kind = "date"
        elif match.group("eradot"):
            point = _Point(
                day=int(match.group("eld")),
                month=int(match.group("elm")),
                year=_ERAS[match.group("el")] + int(match.group("ely")),
            )
            kind = "date"
        elif match.group("same") or match.group("next"):
            point = _Point(same_day=bool(match.group("same")), next_day=bool(match.group("next")))
            kind = "date"
        elif match.group("time"):
            hour = next(match.group(f"h{i}") for i in range(1, 5) if match.group(f"h{i}"))
            minute = next((match.group(f"mi{i}") for i in range(1, 5) if match.group(f"mi{i}")), 0)
            point = _Point(hour=int(hour), minute=int(minute or 0))
            kind = (
                "time" if point.hour <= 24 and not (point.hour == 24 and point.minute) else "break"
            )
        else:
            point, kind = None, group or "break"
            if kind == "zone":
                point = _Point(zone=_cjk_zone(match.group()))
        tokens.append(_Token(kind, match.start(), match.end(), text=match.group(), point=point))
    tokens.append(_Token("break", len(body), len(body)))
    return tokens


def _cjk_year(match: re.Match) -> int | None:
    if match.group("y4"):
        return int(match.group("y4"))
    if match.group("roc"):
        return 1911 + int(match.group("roc"))
    if match.group("era"):
        number = 1 if match.group("ey") == "元" else int(match.group("ey"))
        era = match.group("era")
        return (_ERAS.get(era, 1911)) + number
    return None


def _cjk_zone(word: str) -> dt.tzinfo | None:
    """The zone of a Chinese or Japanese text's zone word: 北京时间 (+08:00), 日本時間/JST/(I)
    (+09:00), 协调世界时 and UTC, and UTC+8 or GMT+8 with their offset (`_zone`)."""
    if word in ("协调世界时", "世界时"):
        return UTC
    if "北京" in word:
        return BEIJING
    if word.upper().startswith(("UTC", "GMT")):
        return _zone(word)
    return JAPAN


def _scan(parser, read_at) -> list[_Item]:
    """Every item `read_at(index)` reads along a parser's tokens, in order, each numbered by
    the run of tokens (between breaks) it stands in; a token nothing reads is passed over."""
    found: list[_Item] = []
    run, index = 0, 0
    while index < len(parser.tokens):
        if parser.kind(index) == "break":
            run += 1
            index += 1
            continue
        result = read_at(index)
        if result:
            item, index = result
            item.run = run
            found.append(item)
        else:
            index += 1
    return found


class _CjkParser:
    def __init__(self, tokens: list[_Token], zone: dt.tzinfo | None):
        self.tokens, self.zone = tokens, zone

    def kind(self, index: int) -> str:
        return self.tokens[index].kind if index < len(self.tokens) else "break"

    def skip(self, index: int, kinds=("skip", "zone")) -> int:
        while self.kind(index) in kinds:
            index += 1
        return index

    def point(self, index: int):
        """A date, a time, or a date and its time: 3月18日0800时, 25日2400时, 1500時."""
        index = self.skip(index)
        point = None
        if self.kind(index) == "date":
            point = self.tokens[index].point.copy()
            index = self.skip(index + 1)
        if self.kind(index) == "time":
            time = self.tokens[index].point
            point = point or _Point()
            point.hour, point.minute = time.hour, time.minute
            index = self.skip(index + 1)
        return (point, index) if point else None

    def hours(self, index: int):
        index = self.skip(index)
        first = self.point(index)
        if not first or first[0].day is not None or first[0].same_day:
            return None
        if self.kind(first[1]) != "op":
            return None
        last = self.point(first[1] + 1)
        if not last or last[0].day is not None or last[0].hour is None:
            return None
        return (first[0], last[0]), self.skip(last[1])

    def daily_after(self, index: int):
        following = self.skip(index, ("skip", "zone", "sep"))
        if self.kind(following) != "daily":
            return None
        return self.hours(following + 1)

    def item(self, index: int):
        start = index
        first = self.point(index)
        if not first:
            return None
        point, index = first
        if point.day is None:
            # 每日0900时至1700时，6月3日至5日 (hours before the days) is not read: too rare
            return None
        # a list of days: 3月16日、18日和20日每天1000时至1800时
        if point.hour is None and self.kind(index) == "sep":
            days = [point]
            following = index
            while self.kind(following) == "sep" and self.kind(self.skip(following + 1)) == "date":
                nxt = self.point(following + 1)
                if not nxt:
                    break
                if nxt[0].hour is not None:
                    # 3月16日、18日和20日0800时至1800时: the hours after the last day are each
                    # day's (read as one range, the days before it were lost).
                    return self._listed_days_hours(start, days, nxt)
                days.append(nxt[0])
                following = nxt[1]
            if len(days) > 1:
                daily = self.daily_after(following)
                if daily:
                    hours, end = daily
                    return self._item(
                        start, end, days, daily=[hours], days=[(d, None) for d in days]
                    )
        if self.kind(index) == "op":
            second = self.point(index + 1)
            if second:
                last, following = second
                if point.hour is None and last.hour is None:
                    daily = self.daily_after(following)
                    if daily:
                        hours, end = daily
                        return self._item(
                            start, end, [point, last], daily=[hours], days=[(point, last)]
                        )
                    return self._item(start, following, [point, last], ranges=[(point, last)])
                if point.hour is not None and last.hour is not None:
                    return self._item(start, following, [point, last], ranges=[(point, last)])
            return None
        if point.hour is None:
            daily = self.daily_after(index)
            if daily:
                hours, end = daily
                return self._item(start, end, [point], daily=[hours], days=[(point, None)])
        return None

    def _listed_days_hours(self, start: int, days: list[_Point], last):
        """Days listed, the last with hours `HHMM时至HHMM时` after it: those hours on each day.
        None when the last day's hours are not a range of hours."""
        point, index = last
        if self.kind(index) != "op":
            return None
        second = self.point(index + 1)
        if not second or second[0].day is not None or second[0].hour is None:
            return None
        day = point.copy()
        day.hour, day.minute = None, 0
        opening = _Point(hour=point.hour, minute=point.minute)
        days = [*days, day]
        end = self.skip(second[1])
        return self._item(
            start, end, days, daily=[(opening, second[0])], days=[(d, None) for d in days]
        )

    def _item(self, start: int, end: int, points, **parts):
        span = (self.tokens[start].start, self.tokens[end - 1].end)
        zone = self._zone_near(start, end) or self.zone
        for pair in parts.get("ranges", []) + parts.get("daily", []):
            for moment in pair:
                moment.zone = zone if moment.hour is not None else None
        return _Item(span, points, forward_first=True, **parts), end

    def _zone_near(self, start: int, end: int) -> dt.tzinfo | None:
        for index in (start - 1, *range(start, end), end):
            if 0 <= index < len(self.tokens) and self.kind(index) == "zone":
                return self.tokens[index].point.zone
        return None

    def items(self) -> list[_Item]:
        return _scan(self, self.item)


def _cjk_items(body: str, offset: int, blocked, text: str) -> list[_Item]:
    zones = {zone for pattern, zone in _CJK_ZONES if pattern.search(text)}
    zone = zones.pop() if len(zones) == 1 else None
    items = _CjkParser(_cjk_tokens(body, offset, blocked), zone).items()
    for item in items:
        item.span = (item.span[0] + offset, item.span[1] + offset)
    return items


def _lone_day(body: str, offset: int, context: _Context, text: str) -> list[Window]:
    """A text that writes a single date and no period is in force that day (2024年5月23日)."""
    days = [
        token
        for token in _cjk_tokens(body, offset, [])
        if token.kind == "date" and token.point.day is not None
    ]
    if len(days) != 1 or days[0].point.month is None:
        return []
    token = days[0]
    item = _Item((token.start + offset, token.end + offset), [token.point.copy()])
    item.ranges = [(item.points[0], item.points[0])]
    _fill_dates([item], context)
    written = text[item.span[0] : item.span[1]].strip()
    return [
        Window(start, end, written, item.span)
        for start, end in _item_windows(item, context, written)
    ]


# --- months and years ---------------------------------------------------------------------------
def _fill_dates(items: list[_Item], context: _Context) -> None:
    """Months and years for the days written without them, run by run (a run: the phrases
    joined by TO, AND, commas, with nothing else between). A month written once serves the
    days before it (`22, 23 AND 24 OCT`) or, failing that, after it; within a list a day lower
    than the one before is in the next month. A range's end is on or after its start; other
    days take the year nearest the day before them."""
    runs: dict[int, list[tuple[_Point, str]]] = {}
    forward: dict[int, bool] = {}
    previous: _Item | None = None
    for item in items:
        ends = {id(last) for _, last in item.ranges + item.days if last is not None}
        points = runs.setdefault(item.run, [])
        for index, point in enumerate(p for p in item.points if p.day is not None):
            if index == 0:
                # between phrases: DTG ranges are listed in time order, day lists are not
                both_ranges = previous is not None and bool(previous.ranges and item.ranges)
                link = "list" if both_ranges else "copy"
            else:
                link = "range" if id(point) in ends else "list"
            points.append((point, link))
        forward[item.run] = item.forward_first
        previous = item
    for run, linked in runs.items():
        points = [point for point, _ in linked]
        links = [link for _, link in linked][1:]  # links[i]: points[i] to points[i + 1]
        if points and not any(point.month for point in points) and context.reference:
            # NGA writes `201536Z TO 202024Z, 211536Z TO …` in the month of issue: a day with
            # no month anywhere in its phrase takes the month that puts it nearest the
            # publication (or issue time).
            nearest = context.nearest_month(points[0].day)
            if nearest:
                points[0].month, points[0].year = nearest
                points[0].inferred = True
        if forward[run]:
            _months_forward(points, links)
            _months_backward(points, links)
        else:
            _months_backward(points, links)
            _months_forward(points, links)
        _years(points, links, context)


def _month_step(month: int, step: int) -> int:
    return (month - 1 + step) % 12 + 1


def _wraps(drop: int, link: str) -> bool:
    """Whether a day `drop` days before the one it follows is in the next month: in a list,
    whenever it drops; in a range only from the month's end (`302300Z TO 010300Z`), so that
    `251536Z TO 242024Z` (a slip) ends before it starts and is said, not read as a month."""
    if link == "copy" or drop <= 0:
        return False
    return link == "list" or drop >= 10


def _months_backward(points: list[_Point], links: list[str]) -> None:
    for index in range(len(points) - 2, -1, -1):
        point, following = points[index], points[index + 1]
        if point.month is None and following.month is not None:
            wrap = _wraps(point.day - following.day, links[index])
            point.month = _month_step(following.month, -1) if wrap else following.month


def _months_forward(points: list[_Point], links: list[str]) -> None:
    for index in range(1, len(points)):
        point, before = points[index], points[index - 1]
        if point.month is None and before.month is not None:
            wrap = _wraps(before.day - point.day, links[index - 1])
            point.month = _month_step(before.month, 1) if wrap else before.month


def _year_near(point: _Point, other: _Point, link: str, after: bool) -> int:
    """The year of `point` from its neighbour `other` (after it when `after`)."""
    if link == "range":  # a range's end is in its start's year or, past December, the next
        if after:
            return other.year + (point.month < other.month)
        return other.year - (point.month > other.month)
    try:
        anchor = dt.date(other.year, other.month, other.day)
    except ValueError:
        return other.year
    best, distance = other.year, None
    for year in (other.year - 1, other.year, other.year + 1):
        try:
            gap = abs((dt.date(year, point.month, point.day) - anchor).days)
        except ValueError:
            continue
        if distance is None or gap < distance:
            best, distance = year, gap
    return best


def _years(points: list[_Point], links: list[str], context: _Context) -> None:
    known = [index for index, point in enumerate(points) if point.year is not None]
    if not known:
        first = next((point for point in points if point.month), None)
        if first is None:
            return
        first.year = context.infer_year(first.month, first.day)
        first.inferred = True
        if first.year is None:
            return
        known = [points.index(first)]
    for index in range(known[0] - 1, -1, -1):
        point, following = points[index], points[index + 1]
        if point.year is None and point.month and following.year and following.month:
            point.year = _year_near(point, following, links[index], after=False)
            point.inferred = following.inferred
    for index in range(known[0] + 1, len(points)):
        point, before = points[index], points[index - 1]
        if point.year is None and point.month and before.year and before.month:
            point.year = _year_near(point, before, links[index - 1], after=True)
            point.inferred = before.inferred


# --- windows ------------------------------------------------------------------------------------
def _date(point: _Point) -> dt.date:
    return dt.date(point.year, point.month, point.day)


def _moment(day: dt.date, point: _Point) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=point.zone) + dt.timedelta(
        hours=point.hour, minutes=point.minute
    )


def _only_an_end(written: str) -> str:
    return Message(
        '"{text}" gives only an end, and the warning\'s issue date is not known; not taken',
        text=written,
    )


def _timed(*points: _Point) -> bool:
    return all(point.hour is not None and point.zone is not None for point in points)


def _item_windows(item: _Item, context: _Context, written: str):
    """The (start, end) of each window an item writes; a problem line for what is not real."""
    try:
        starts = [first for first, _ in item.ranges + item.days]
        if any(first.from_issue for first in starts) and context.reference is None:
            context.problems.append(_only_an_end(written))
            return []
        for point in item.points:
            if point.day is not None and (point.month is None or point.year is None):
                if point.month is not None and context.reference is not None:
                    context.problems.append(
                        Message(
                            '"{text}" is not a real date in any year near the warning\'s '
                            "publication ({day}); not taken",
                            text=written,
                            day=context.reference.isoformat(),
                        )
                    )
                    return []
                if point.month is None:
                    said = Message(
                        '"{text}" gives no month; these dates are not taken', text=written
                    )
                else:
                    said = Message(
                        '"{text}" gives no year, nor does the warning\'s number: give the '
                        "publication date; these dates are not taken",
                        text=written,
                    )
                context.problems.append(said)
                return []
        if item.ranges:
            return [pair for pair in (_range(*r, written, context) for r in item.ranges) if pair]
        return _daily_windows(item, written, context)
    except (ValueError, OverflowError):
        context.problems.append(Message('"{text}" is not a real date; not taken', text=written))
        return []


def _range(first: _Point, last: _Point, written: str, context: _Context):
    if first.from_issue:
        return _from_issue(last, written, context)
    start_day = _date(first)
    if last.same_day or last.day is None:
        end_day = start_day + dt.timedelta(days=1 if last.next_day else 0)
        if (
            last.day is None
            and not last.same_day
            and not last.next_day  # 至次日0600时: the next day already
            and first.hour is not None
            and (last.hour, last.minute) <= (first.hour, first.minute)
        ):
            end_day += dt.timedelta(days=1)  # 2200时至0400时: the next morning
    elif last.next_day:
        end_day = start_day + dt.timedelta(days=1)
    else:
        end_day = _date(last)
    if _timed(first, last):
        start, end = _moment(start_day, first), _moment(end_day, last)
    else:
        start, end = start_day, end_day
    if end < start:
        context.problems.append(Message('"{text}" ends before it starts; not taken', text=written))
        return None
    return start, end


def _from_issue(last: _Point, written: str, context: _Context):
    """`UNTIL <end>` alone: in force from the warning's issue (a broadcast warning is in force
    from its issue until its end or cancellation; NGA broadcast-warning format) to the end."""
    if context.reference is None:
        context.problems.append(_only_an_end(written))
        return None
    end_day = _date(last)
    if last.inferred and end_day < context.reference:
        end_day = end_day.replace(year=end_day.year + 1)  # an end is after the issue
    if _timed(last) and context.issued is not None:
        start, end = context.issued, _moment(end_day, last)
    else:
        start, end = context.reference, end_day
    if end < start:
        context.problems.append(
            Message('"{text}" ends before the warning\'s issue; not taken', text=written)
        )
        return None
    return start, end


def _daily_windows(item: _Item, written: str, context: _Context):
    days: list[dt.date] = []
    for first, last in item.days:
        if first.from_issue and context.reference is None:
            context.problems.append(_only_an_end(written))
            return []
        day = context.reference if first.from_issue else _date(first)
        final = _date(last) if last else day
        if first.from_issue and last.inferred and final < day:
            final = final.replace(year=final.year + 1)  # an end is after the issue
        if final < day:
            context.problems.append(
                Message('"{text}" ends before it starts; not taken', text=written)
            )
            return []
        while day <= final and len(days) <= MAX_WINDOWS:
            days.append(day)
            day += dt.timedelta(days=1)
    days = [day for day in days if day.weekday() not in item.except_weekdays]
    windows = []
    for day in days:
        for first, last in item.daily:
            overnight = (last.hour, last.minute) <= (first.hour, first.minute)
            end_day = day + dt.timedelta(days=1) if overnight else day
            if _timed(first, last):
                window = (_moment(day, first), _moment(end_day, last))
                if not (
                    item.days[0][0].from_issue and context.issued and window[1] < context.issued
                ):
                    windows.append(window)
            elif (day, end_day) not in windows:
                windows.append((day, end_day))
    return windows


def _not_long_before(window: Window, context: _Context) -> bool:
    if context.reference is None:
        return True
    days = (context.reference - window.last_day()).days
    if days > PAST_DAYS:
        if any(window.written in problem for problem in context.problems):
            return False
        context.problems.append(
            Message(
                '"{text}" ends {day}, {days} days before the warning\'s publication '
                "({published}); not taken",
                text=window.written,
                day=window.last_day().isoformat(),
                days=str(days),
                published=context.reference.isoformat(),
            )
        )
        return False
    return True
