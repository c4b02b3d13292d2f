"""Reading warnings: each warning's text through the stages (headers, times, areas) into a
NavWarning, and cancellations matched up across the warnings read together."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from layers.i18n import Message
from layers.read.navwarn.areas import read_areas
from layers.read.navwarn.headers import (
    find_number,
    has_positions,
    is_in_force_list,
    number_key,
    number_year,
    read_activity,
    read_cancels,
    read_issuer,
    sea_area,
    split_pages,
)
from layers.read.navwarn.model import NavWarning, Window, cancelled_windows
from layers.read.navwarn.times import cancel_time, issue_time, read_windows

IN_FORCE_WORDS = Message(
    "recognised as a list of the warnings in force (an in-force bulletin), not a warning; no event"
)


def read_warnings(text: str, published: dt.date | None = None) -> list[NavWarning]:
    """Every warning in `text` (split on warning numbers and headers, `split_pages`), with
    cancellations matched up; a warning repeated word for word (same number, same text) is
    kept once.

    `published` is the publication date, used only for a year the warning does not carry.
    Never raises.
    """
    warnings = [read_warning(body, published, page) for body, page in _pages(text)]
    warnings = [warnings[index] for index in _firsts([(w.number, w.text) for w in warnings])]
    _match_cancellations(warnings)
    return warnings


def read_items(
    items: list[tuple[str, str | None, dt.date | None, int | None]],
) -> list[tuple[NavWarning, str | None, dt.date | None, int | None]]:
    """Every warning of `items` ((text, URL, publication date, spreadsheet row or None), as
    `import_warnings` takes them), each with its item's URL, date and row, in order.

    Cancellations are matched across all the items, so a CSV with one warning per row marks
    the warning another row cancels; a warning repeated word for word, in one item or in
    several, is kept once (its first). Never raises.
    """
    read = [
        (warning, url, published, row)
        for text, url, published, row in items
        for warning in read_warnings(text or "", published)
    ]
    read = [read[index] for index in _firsts([(w.number, w.text) for w, *_ in read])]
    _match_cancellations([warning for warning, *_ in read])
    return read


def _pages(text: str) -> list[tuple[str, str]]:
    try:
        return split_pages(text)
    except Exception:  # the door never breaks
        return [(" ".join(text.split()), "")] if text.strip() else []


def _firsts(keys: list[tuple[str, str]]) -> list[int]:
    """The indexes of the first of each (number, text), texts compared as NFKC words."""
    seen, firsts = set(), []
    for index, (number, text) in enumerate(keys):
        key = (number_key(number), " ".join(unicodedata.normalize("NFKC", text).split()))
        if key not in seen:
            seen.add(key)
            firsts.append(index)
    return firsts


def _match_cancellations(warnings: list[NavWarning]) -> None:
    # The first warning of a number is the one a later one cancels (a line of a body that
    # opens with a number it speaks of is read after it).
    by_number: dict[str, NavWarning] = {}
    for warning in warnings:
        if warning.number:
            by_number.setdefault(number_key(warning.number), warning)
    for warning in warnings:
        for cancelled in warning.cancels:
            target = by_number.get(number_key(cancelled))
            if target is not None and target is not warning:
                target.cancelled_by = warning.number


def read_warning(text: str, published: dt.date | None = None, page: str = "") -> NavWarning:
    """One warning read from its text (`page`: the header of the web page it came from, for
    the issuer it names). Never raises: what cannot be read is in `problems`."""
    try:
        return _read(text, published, page)
    except Exception:  # the door never breaks
        return NavWarning(
            text, problems=[Message("could not be read (an unexpected error); left out")]
        )


def _quote(text: str, length: int = 60) -> str:
    words = " ".join(text.split())
    return f'"{words[:length]}…"' if len(words) > length else f'"{words}"'


def _read(text: str, published: dt.date | None, page: str = "") -> NavWarning:
    normal = unicodedata.normalize("NFKC", text)
    warning = NavWarning(text)
    number = find_number(normal)
    if number:
        warning.number = number.group().strip()
        warning.year = number_year(warning.number)
    else:
        warning.problems.append(
            Message(
                "no warning number found in {text} (numbers read: e.g. 闽航警0123/24, "
                "GX20/26, NAVAREA XI 0555/24, HYDROPAC 2381/26, 航行警報 第1234号)",
                text=_quote(text),
            )
        )
    if warning.year is None and published is not None:
        warning.year = published.year
    warning.nations, warning.issuer_source = read_issuer(normal, warning.number, page)
    warning.cancels = read_cancels(normal, warning.number)
    if is_in_force_list(normal, number.group() if number else ""):
        warning.in_force_list = True
        warning.problems = [IN_FORCE_WORDS]
        return warning
    if warning.cancels and not has_positions(normal):
        return warning  # a cancellation and nothing else: no event, nothing to say
    warning.activity, warning.activity_text, warning.kind = read_activity(normal)
    warning.place = sea_area(normal, warning.number)
    normal, permitted = without_permitted_passages(normal)
    if permitted:
        warning.problems.append(
            Message(
                "a passage it permits ({text}) is not read as an area or a window of the warning",
                text=_quote(permitted[0], 50),
            )
        )
    windows, problems = read_windows(
        normal, year=warning.year, published=published, skip_to=number.end() if number else 0
    )
    warning.problems += problems
    issued = issue_time(normal, year=warning.year, published=published)
    ends = cancel_time(normal, year=warning.year, published=published)
    if not windows and issued and ends and issued < ends:
        # No period written, but the broadcast's own times: in force from its issue until it
        # cancels itself (NGA broadcast-warning format; IMO/IHO Joint MSI Manual, CANCEL THIS
        # MSG), both written in the text.
        windows = [Window(issued, ends, "from its issue to its CANCEL THIS MSG time")]
    elif windows and ends:
        # The warning ends itself then: no window runs past it (HYDROPAC 376/26's last daily
        # window, 22 Feb 2343Z to 23 Feb 1429Z, after its CANCEL THIS MSG 221529Z FEB 26).
        windows = cancelled_windows(windows, ends)
    warning.windows = windows
    read_areas(normal, warning, windows)
    # Days, so windows in hours (aware datetimes) and in dates compare.
    starts = [w.first_day() for w in windows] + [_day(a.start) for a in warning.areas if a.start]
    ends = [w.last_day() for w in windows] + [_day(a.end) for a in warning.areas if a.end]
    if starts:
        warning.start, warning.end = min(starts), max(ends)
    elif warning.areas and not problems:
        # (A date the times stage could not take has said so, and why, in its own line.)
        warning.problems.append(_no_dates_words(warning))
    return warning


# Sentences that permit passage (GX64/26: `VESSELS ARE PERMITTED TO TRANSIT AREA BOUNDED BY …
# 1200UTC TO 1900UTC DAILY FROM 23 TO 25 JUL.`; 桂航警166/26: `训练期间每日2000时至次日0300时
# 船舶可由…驶过。`): their areas and hours are when and where the warning does not apply.
_PERMITTED = re.compile(
    r"PERMITTED\s+TO\s+(?:TRANSIT|PASS|NAVIGATE)|TRANSIT\s+IS\s+PERMITTED|MAY\s+TRANSIT"
    r"|船舶可|可以?通行|允许通行|准许通行|可以?驶过|通航不受影响",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^。．]*?(?:[。．]|(?<!\d)\.(?!\d)|$)")


def without_permitted_passages(text: str) -> tuple[str, list[str]]:
    """`text` with each sentence that permits passage blanked out (spaces, so offsets stay),
    and those sentences as written. Their areas and hours are exceptions to the warning, not
    parts of it."""
    found = []
    for sentence in _SENTENCE.finditer(text):
        if sentence.group() and _PERMITTED.search(sentence.group()):
            found.append((sentence.start(), sentence.end()))
    if not found:
        return text, []
    written = [text[start:end].strip() for start, end in found]
    for start, end in found:
        text = text[:start] + " " * (end - start) + text[end:]
    return text, written


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _no_dates_words(warning: NavWarning) -> str:
    if warning.year is None:
        return Message(
            "the dates carry no year and the number none either: give the publication date; "
            "no event is made without dates"
        )
    return Message("no dates found; no event is made without dates")
