"""When a warning is in force: the periods (windows) its text writes, in Chinese, Japanese and
the English of NAVAREA, HYDROPAC and MSA broadcasts."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from layers.read.navwarn.model import NavWarning, Window

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


# --- periods ----------------------------------------------------------------------------------
def read_windows(
    text: str, *, year: int | None, published: dt.date | None = None, skip_to: int = 0
) -> tuple[list[Window], list[str]]:
    """The windows `text` writes after offset `skip_to`, in the order written, and the
    problems met (a date that is not real, …). `year` is the warning's own year (from its
    number or text), `published` its publication date; a year is never taken from today.
    Never raises on any text.
    """
    warning = NavWarning(text, year=year)
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
    windows = [
        Window(first, last, text[start:end].strip(), (start, end))
        for first, last, start, end in sorted(periods, key=lambda period: period[2])
    ]
    return windows, warning.problems


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
