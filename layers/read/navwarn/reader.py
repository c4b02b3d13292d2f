"""Reading warnings: each warning's text through the stages (headers, times, areas) into a
NavWarning, and cancellations matched up across the warnings read together."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from layers.read.navwarn.areas import read_areas
from layers.read.navwarn.headers import (
    _ACTIVITIES,
    _CANCEL,
    _ISSUERS,
    find_number,
    number_key,
    sea_area,
    split_warnings,
)
from layers.read.navwarn.model import NavWarning
from layers.read.navwarn.times import read_windows


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
    by_number = {number_key(warning.number): warning for warning in warnings if warning.number}
    for warning in warnings:
        if warning.cancels and number_key(warning.cancels) in by_number:
            by_number[number_key(warning.cancels)].cancelled_by = warning.number


def read_warning(text: str, published: dt.date | None = None) -> NavWarning:
    """One warning read from its text. Never raises: what cannot be read is in `problems`."""
    try:
        return _read(text, published)
    except Exception:  # the door never breaks
        return NavWarning(text, problems=["could not be read (an unexpected error); left out"])


def _read(text: str, published: dt.date | None) -> NavWarning:
    normal = unicodedata.normalize("NFKC", text)
    warning = NavWarning(text)
    number = find_number(normal)
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
        target = find_number(normal[cancel.end() :])
        if (
            target
            and target.start() <= 2
            and number_key(target.group()) != number_key(warning.number)
        ):
            warning.cancels = target.group().strip()
            return warning
    for words, english in _ACTIVITIES:
        if words.upper() in normal.upper():
            warning.activity, warning.activity_text = english, words
            break
    warning.place = sea_area(normal, warning.number)
    windows, problems = read_windows(
        normal, year=warning.year, published=published, skip_to=number.end() if number else 0
    )
    warning.windows = windows
    warning.problems += problems
    read_areas(normal, warning, windows)
    # Days, so windows in hours (aware datetimes) and in dates compare.
    starts = [w.first_day() for w in windows] + [_day(a.start) for a in warning.areas if a.start]
    ends = [w.last_day() for w in windows] + [_day(a.end) for a in warning.areas if a.end]
    if starts:
        warning.start, warning.end = min(starts), max(ends)
    elif warning.areas:
        warning.problems.append(_no_dates_words(warning))
    return warning


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _no_dates_words(warning: NavWarning) -> str:
    if warning.year is None:
        return (
            "the dates carry no year and the number none either: give the publication date; "
            "no event is made without dates"
        )
    return "no dates found; no event is made without dates"
