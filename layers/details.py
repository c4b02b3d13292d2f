"""The details of one event as escaped HTML: every value from the data is shown as text."""

from __future__ import annotations

import html

import pandas as pd
from babel.lists import format_list

from layers.dates import describe_date, describe_span, moment_parts, parse_period, zone_words
from layers.i18n import (
    CLDR_LOCALES,
    N_,
    _,
    cldr_locale,
    current_language,
    date_text,
    is_english,
    number,
    pgettext,
)
from layers.measure import amount
from layers.nations import NATION_NAMES, nation_label, nation_name
from layers.read.load import is_web_url
from layers.read.schema import COOPERATIVE_KINDS, KIND_LABELS, USUAL_COUNTS

PRECISION_WORDS = {
    "second": N_("time to the second"),
    "minute": N_("time to the minute"),
    "day": N_("exact day"),
    "month": N_("month only"),
    "year": N_("year only"),
}


def date_precision(text: str) -> str:
    """How precisely an ISO date (or date and time) is known, from its form."""
    return _(PRECISION_WORDS[parse_period(text)[2]])


def listed(items) -> str:
    """Names one after the other: "a, b" in English, "a、b" in Chinese and Japanese."""
    return (", " if is_english() else "、").join(items)


def date_words(text: str) -> str:
    """An ISO date (or date and time) as the reader says it, at its precision; a time as
    written with its zone, never converted (layers.dates.describe_date in English)."""
    if is_english():
        return describe_date(text)
    first, _last, precision = parse_period(text)
    if precision in ("year", "month", "day"):
        return date_text(first, precision)
    time_text, zone = moment_parts(text)
    return f"{date_text(first)} {time_text} {zone_words(zone)}"


def span_words(start: str, end: str | None) -> str:
    """When an event happened, as the reader says it (layers.dates.describe_span in
    English): two dates, or one; two times of one day in one zone share the day."""
    if is_english():
        return describe_span(start, end)
    start_text = date_words(start)
    if not end or end == start:
        return start_text
    start_moment, end_moment = moment_parts(start), moment_parts(end)
    if start_moment and end_moment and start.strip()[:10] == end.strip()[:10]:
        (start_time, start_zone), (end_time, end_zone) = start_moment, end_moment
        if start_zone == end_zone:
            day = date_text(parse_period(start)[0])
            return f"{day} {start_time}–{end_time} {zone_words(start_zone)}"
    return f"{start_text} – {date_words(end)}"


def zones_sentence(tags, area_names: dict[str, str] | None = None) -> str:
    """ "In: Senkaku territorial sea; possibly: Taiwan Strait median line" ("" for no tags)."""
    names = area_names or {}
    parts = []
    for status in ("in", "possibly"):
        chosen = [names.get(area, area) for area, tag_status in tags or () if tag_status == status]
        if chosen:
            if status == "in":
                word = pgettext("zone status", "In")
            elif parts:
                word = pgettext("zone status", "possibly")
            else:
                word = pgettext("zone status", "Possibly")
            parts.append(_("{status}: {areas}").format(status=word, areas=listed(chosen)))
    return _("; ").join(parts)


def track_sentence(coord_times) -> str:
    """ "7 positions with their times, 2024-06-17T01:00Z to 2024-06-17T03:00Z (UTC)" for a
    track (its coord_times: a tuple of UTC texts per line), "" for an event without times."""
    if not isinstance(coord_times, tuple) or not coord_times:
        return ""
    times = [time for line in coord_times for time in line]
    said = {
        "count": number(len(times)),
        "lines": number(len(coord_times)),
        "first": min(times, key=_instant),
        "last": max(times, key=_instant),
    }
    if len(coord_times) > 1:
        return _(
            "{count} positions in {lines} lines with their times, {first} to {last} (UTC)"
        ).format(**said)
    return _("{count} positions with their times, {first} to {last} (UTC)").format(**said)


def _instant(time: str) -> str:
    # UTC texts compare as instants once their precision is the same (minutes are :00).
    return time[:-1] if len(time) > 17 else time[:-1] + ":00"


def _names(codes) -> str:
    """Names joined for a sentence: "Japan", "Japan and Taiwan", "Japan, United States and
    Philippines"."""
    if not is_english():
        locale = CLDR_LOCALES[current_language()]
        return format_list([nation_name(code, locale) for code in codes], locale=cldr_locale())
    names = [NATION_NAMES.get(code, code) for code in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


NOT_PAIRED = "its nations count neither together nor against each other"


def sides_sentence(sides, nations, kind: str) -> str:
    """Who stood with whom, in words: "China against Japan", "Canada and United States
    together"; nations of the event on no side are said ("Taiwan: side not said"). For an
    event without sides (None) of several nations, what that means for its kind ("" for a
    kind that is cooperative by nature, whose nations count together); for sides not known
    (()), that they count as neither. docs/data-format.md, "Sides"."""
    if not isinstance(sides, (tuple, list)):
        if len(nations) < 2 or kind in COOPERATIVE_KINDS:
            return ""
        return _("not given: its nations count neither together nor against each other")
    if not sides:
        if len(nations) < 2:
            return ""
        return _("not known: its nations count neither together nor against each other")
    placed = {code for side in sides for code in side}
    if len(sides) > 1:
        said = _(" against ").join(_names(side) for side in sides)
    elif len(sides[0]) > 1:
        # "together" as sides (one side), not as the filter's "all of them together".
        said = pgettext("sides", "{nations} together").format(nations=_names(sides[0]))
    else:
        said = _("{nations} on one side").format(nations=_names(sides[0]))
    unsaid = [code for code in nations if code not in placed]
    if unsaid:
        said += _("; {nations}: side not said").format(nations=_names(unsaid))
    return said


def ordered_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """An event's counts in the order the dashboard offers them: the usual names first
    (USUAL_COUNTS), then the others alphabetically."""
    usual = list(USUAL_COUNTS)
    return sorted(
        counts.items(),
        key=lambda item: (usual.index(item[0]) if item[0] in usual else len(usual), item[0]),
    )


def event_details_html(event: pd.Series, area_names: dict[str, str] | None = None) -> str:
    """The details panel of an event: title, dates with precision, nations and their sides,
    forces, sources."""
    esc = html.escape
    when = span_words(event["start_text"], event["end_text"])
    precision = date_precision(event["start_text"])
    if event["end_text"] and date_precision(event["end_text"]) != precision:
        precision = _("{first} to {last}").format(
            first=precision, last=date_precision(event["end_text"])
        )
    precision_words = _("({precision})").format(precision=precision)
    locale = CLDR_LOCALES[current_language()]
    rows = [
        (_("When"), f"{esc(when)} <small>{esc(precision_words)}</small>"),
        (_("Kind"), esc(KIND_LABELS[event["kind"]])),
        (_("Nations"), esc(listed(nation_label(code, locale) for code in event["nations"]))),
    ]
    sides = sides_sentence(event.get("sides"), event["nations"], event["kind"])
    if sides:
        rows.append((_("Sides"), esc(sides)))
    if event["organisations"]:
        rows.append((_("Organisations"), esc(", ".join(event["organisations"]))))
    if event["forces"]:
        items = "".join(f"<li>{esc(force)}</li>" for force in event["forces"])
        rows.append((_("Forces"), f"<ul>{items}</ul>"))
    if event["area"]:
        name = (area_names or {}).get(event["area"], event["area"])
        rows.append((_("Area"), esc(name)))
    zones = zones_sentence(event.get("zones"), area_names)
    if zones:
        rows.append((_("Zones"), esc(zones)))
    track = track_sentence(event.get("coord_times"))
    if track:
        rows.append((_("Track"), esc(track)))
    windows = event.get("windows")
    if isinstance(windows, tuple) and windows:
        rows.append((_("Windows"), windows_html(windows)))
    counts = event.get("counts")
    if isinstance(counts, dict) and counts:
        said = listed(amount(value, name) for name, value in ordered_counts(counts))
        rows.append((_("Counts"), esc(said)))
    precision_km = event["location_precision_km"]
    if pd.notna(precision_km):
        within = _("within about {km} km of the point shown").format(km=f"{precision_km:g}")
        rows.append((_("Location"), esc(within)))
    rows.append((_("Id"), f"<code>{esc(event['id'])}</code>"))
    rows.append((_("File"), esc(event["file"])))
    table = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    sources_word = _("Sources")
    summary = f'<p class="summary">{esc(event["summary"])}</p>' if event["summary"].strip() else ""
    return (
        f'<div class="event-details"><h3>{esc(event["title"])}</h3>{summary}'
        f"<table>{table}</table><h4>{sources_word}</h4>{sources_html(event['sources'])}</div>"
    )


WINDOWS_SHOWN = 31  # a month of daily windows; more are counted, not listed


def windows_html(windows: tuple[tuple[str, str], ...]) -> str:
    """The periods in force an event lists (its `windows`: (start, end) texts as written), one
    per line as "start to end", the first WINDOWS_SHOWN and then how many more; escaped."""
    shown = "".join(
        "<li>{}</li>".format(html.escape(_("{first} to {last}").format(first=start, last=end)))
        for start, end in windows[:WINDOWS_SHOWN]
    )
    more = len(windows) - WINDOWS_SHOWN
    rest = ""
    if more > 0:
        rest = "<li>" + html.escape(_("and {count} more").format(count=number(more))) + "</li>"
    return f"<ul>{shown}{rest}</ul>"


def sources_html(sources: list[dict]) -> str:
    """A list of sources; a title is a link only when its URL is http(s)."""
    if not sources:
        return "<p>" + html.escape(_("No source given (see the summary).")) + "</p>"
    items = []
    for source in sources:
        title = html.escape(source["title"])
        url = source.get("url")
        if url and is_web_url(url):
            title = (
                f'<a href="{html.escape(url, quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">{title}</a>'
            )
        extra = [html.escape(source[key]) for key in ("publisher",) if source.get(key)]
        if source.get("published"):
            try:
                extra.append(html.escape(date_words(source["published"])))
            except ValueError:
                extra.append(html.escape(source["published"]))
        suffix = f" — {listed(extra)}" if extra else ""
        items.append(f"<li>{title}{suffix}</li>")
    return f"<ul>{''.join(items)}</ul>"
