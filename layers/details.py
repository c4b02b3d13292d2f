"""The details of one event as escaped HTML: every value from the data is shown as text."""

from __future__ import annotations

import html

import pandas as pd

from layers.dates import describe_date, describe_span, parse_period
from layers.measure import amount
from layers.nations import NATION_NAMES, nation_label
from layers.read.load import is_web_url
from layers.read.schema import COOPERATIVE_KINDS, KIND_LABELS, USUAL_COUNTS

PRECISION_WORDS = {
    "second": "time to the second",
    "minute": "time to the minute",
    "day": "exact day",
    "month": "month only",
    "year": "year only",
}


def date_precision(text: str) -> str:
    """How precisely an ISO date (or date and time) is known, from its form."""
    return PRECISION_WORDS[parse_period(text)[2]]


def zones_sentence(tags, area_names: dict[str, str] | None = None) -> str:
    """ "In: Senkaku territorial sea; possibly: Taiwan Strait median line" ("" for no tags)."""
    names = area_names or {}
    parts = []
    for status, word in (("in", "In"), ("possibly", "possibly")):
        chosen = [names.get(area, area) for area, tag_status in tags or () if tag_status == status]
        if chosen:
            parts.append(f"{word if parts else word.capitalize()}: {', '.join(chosen)}")
    return "; ".join(parts)


def track_sentence(coord_times) -> str:
    """ "7 positions with their times, 2024-06-17T01:00Z to 2024-06-17T03:00Z (UTC)" for a
    track (its coord_times: a tuple of UTC texts per line), "" for an event without times."""
    if not isinstance(coord_times, tuple) or not coord_times:
        return ""
    times = [time for line in coord_times for time in line]
    lines = f" in {len(coord_times)} lines" if len(coord_times) > 1 else ""
    return (
        f"{len(times):,} positions{lines} with their times, {min(times, key=_instant)} to "
        f"{max(times, key=_instant)} (UTC)"
    )


def _instant(time: str) -> str:
    # UTC texts compare as instants once their precision is the same (minutes are :00).
    return time[:-1] if len(time) > 17 else time[:-1] + ":00"


def _names(codes) -> str:
    """Names joined for a sentence: "Japan", "Japan and Taiwan", "Japan, United States and
    Philippines"."""
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
        return f"not given: {NOT_PAIRED}"
    if not sides:
        return f"not known: {NOT_PAIRED}" if len(nations) > 1 else ""
    placed = {code for side in sides for code in side}
    if len(sides) > 1:
        said = " against ".join(_names(side) for side in sides)
    elif len(sides[0]) > 1:
        said = f"{_names(sides[0])} together"
    else:
        said = f"{_names(sides[0])} on one side"
    unsaid = [code for code in nations if code not in placed]
    if unsaid:
        said += f"; {_names(unsaid)}: side not said"
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
    when = describe_span(event["start_text"], event["end_text"])
    precision = date_precision(event["start_text"])
    if event["end_text"] and date_precision(event["end_text"]) != precision:
        precision += f" to {date_precision(event['end_text'])}"
    rows = [
        ("When", f"{esc(when)} <small>({esc(precision)})</small>"),
        ("Kind", esc(KIND_LABELS[event["kind"]])),
        ("Nations", esc(", ".join(nation_label(code) for code in event["nations"]))),
    ]
    sides = sides_sentence(event.get("sides"), event["nations"], event["kind"])
    if sides:
        rows.append(("Sides", esc(sides)))
    if event["organisations"]:
        rows.append(("Organisations", esc(", ".join(event["organisations"]))))
    if event["forces"]:
        items = "".join(f"<li>{esc(force)}</li>" for force in event["forces"])
        rows.append(("Forces", f"<ul>{items}</ul>"))
    if event["area"]:
        name = (area_names or {}).get(event["area"], event["area"])
        rows.append(("Area", esc(name)))
    zones = zones_sentence(event.get("zones"), area_names)
    if zones:
        rows.append(("Zones", esc(zones)))
    track = track_sentence(event.get("coord_times"))
    if track:
        rows.append(("Track", esc(track)))
    windows = event.get("windows")
    if isinstance(windows, tuple) and windows:
        rows.append(("Windows", windows_html(windows)))
    counts = event.get("counts")
    if isinstance(counts, dict) and counts:
        said = ", ".join(amount(value, name) for name, value in ordered_counts(counts))
        rows.append(("Counts", esc(said)))
    precision_km = event["location_precision_km"]
    if pd.notna(precision_km):
        rows.append(("Location", f"within about {precision_km:g} km of the point shown"))
    rows.append(("Id", f"<code>{esc(event['id'])}</code>"))
    rows.append(("File", esc(event["file"])))
    table = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    summary = f'<p class="summary">{esc(event["summary"])}</p>' if event["summary"].strip() else ""
    return (
        f'<div class="event-details"><h3>{esc(event["title"])}</h3>{summary}'
        f"<table>{table}</table><h4>Sources</h4>{sources_html(event['sources'])}</div>"
    )


WINDOWS_SHOWN = 31  # a month of daily windows; more are counted, not listed


def windows_html(windows: tuple[tuple[str, str], ...]) -> str:
    """The periods in force an event lists (its `windows`: (start, end) texts as written), one
    per line as "start to end", the first WINDOWS_SHOWN and then how many more; escaped."""
    shown = "".join(
        f"<li>{html.escape(start)} to {html.escape(end)}</li>"
        for start, end in windows[:WINDOWS_SHOWN]
    )
    more = len(windows) - WINDOWS_SHOWN
    rest = f"<li>and {more:,} more</li>" if more > 0 else ""
    return f"<ul>{shown}{rest}</ul>"


def sources_html(sources: list[dict]) -> str:
    """A list of sources; a title is a link only when its URL is http(s)."""
    if not sources:
        return "<p>No source given (see the summary).</p>"
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
                extra.append(html.escape(describe_date(source["published"])))
            except ValueError:
                extra.append(html.escape(source["published"]))
        suffix = f" — {', '.join(extra)}" if extra else ""
        items.append(f"<li>{title}{suffix}</li>")
    return f"<ul>{''.join(items)}</ul>"
