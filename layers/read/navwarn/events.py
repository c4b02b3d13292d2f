"""Warnings made into events: the GeoJSON feature each warning announces, its id, the rows the
dashboard shows of what was read, and the tables (CSV) warnings come in."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import replace

import shapely
import shapely.geometry

from layers.dates import offset_text
from layers.i18n import N_, Message, _, localized, ngettext, npgettext, pgettext
from layers.read.navwarn.headers import find_number, number_key
from layers.read.navwarn.model import Area, NavWarning, Window, cancelled_windows, instant
from layers.read.navwarn.reader import read_items
from layers.read.schema import Problem, show_value


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
    a short hash of it (and of the Japan Coast Guard district written after it, `(三管区)`), so
    闽航警0123/24 and 琼航警0123/24 differ; a warning without a number takes the hash of its
    text, so two never share an id."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKC", warning.number).lower())
    digest = hashlib.sha256(
        (warning.number + _district(warning) if warning.number else warning.text).encode("utf-8")
    ).hexdigest()[:6]
    return f"navwarn-{ascii_part.strip('-')}-{digest}".replace("--", "-")


_DISTRICT = re.compile(r"\s*\(\s*([一二三四五六七八九十\d]{1,3}\s*管区)\s*\)")


def _district(warning: NavWarning) -> str:
    """The Japan Coast Guard district written after a 航行警報's number (`第512号(三管区)`):
    each district numbers its own warnings, so two 第512号 are two warnings; "" if none."""
    text = unicodedata.normalize("NFKC", warning.text)
    at = text.find(warning.number)
    found = _DISTRICT.match(text, at + len(warning.number)) if at >= 0 else None
    return found.group(1) if found else ""


def warning_feature(
    warning: NavWarning,
    nations: list[str] | None = None,
    url: str | None = None,
    published: str | None = None,
    chosen: list[str] | None = None,
) -> tuple[dict | None, list[tuple[str, str]]]:
    """The event (a GeoJSON Feature in the event format) a warning announces, or None, and the
    (field, message) problems that kept it from being one or that the analyst should know.

    `chosen` (the analyst's choice for this warning), else `nations` (their choice for every
    warning), are used when the text does not say who issued the warning (never guessed);
    `url` and `published` (ISO date) describe the warning as a source. A cancellation makes no
    event. The geometry is the warning's areas: a Polygon or MultiPolygon (circles drawn
    geodesically), or a MultiPoint when the warning lists points that are not areas.
    """
    problems = [(_problem_field(message), message) for message in warning.problems]
    if warning.in_force_list:
        return None, problems
    if is_cancellation(warning):
        return None, []
    if not warning.areas or warning.start is None:
        if not problems:
            problems.append(("areas", Message("no areas or dates found; no event is made")))
        return None, problems
    issuers = warning.nations or list(chosen or nations or [])
    if not issuers:
        problems.append(
            (
                "nations",
                Message(
                    "the text does not say who issued it: give the nation (the reader does not "
                    "guess); left out"
                ),
            )
        )
        return None, problems
    geometry, left_out = warning_geometry(warning.areas)
    if left_out:
        problems.append(("areas", left_out))
    geometry, merged = overlaps_merged(geometry)
    activity = warning.activity or "activity"
    title = f"{warning.number}: {activity}" + (f", {warning.place}" if warning.place else "")
    summary = warning.text
    periods = [
        f"{number}) {area.start.isoformat()}"
        + (f" to {area.end.isoformat()}" if area.end and area.end != area.start else "")
        for number, area in enumerate(warning.areas, start=1)
        if area.start
    ]
    # Each area's own period, where the areas have different ones (an area with several
    # windows is listed by them in `windows`, not by one of them here).
    spans = {(area.start, area.end) for area in warning.areas if area.start}
    if periods and len(warning.areas) > 1 and len(spans) > 1:
        summary += "\nAreas: " + "; ".join(periods) + "."
    if merged:
        summary += f"\nIts {merged} areas overlap: the map draws their outline."
    if warning.cancelled_by:
        title += f" (cancelled by {warning.cancelled_by})"
        summary += f"\nCancelled by {warning.cancelled_by}."
    source = {"title": f"Navigational warning {warning.number}"}
    if url:
        source["url"] = url
    if published:
        source["published"] = published
    start, end, windows = warning_span(warning)
    properties = {
        "id": warning_id(warning),
        "title": title,
        "summary": summary,
        "kind": warning.kind,
        "start": start,
        "end": end,
        "nations": issuers,
        "sources": [source],
    }
    if len(windows) > 1:
        # Each period in force, as read: the event spans them (docs/data-format.md, Windows).
        properties["windows"] = [
            {"start": moment_text(window.start), "end": moment_text(window.end)}
            for window in windows
        ]
    return {"type": "Feature", "properties": properties, "geometry": geometry}, problems


def issuer_rules(
    read: list[tuple[NavWarning, str | None, dt.date | None, int | None]],
    rules: list[tuple[str, list[str]]],
) -> dict[str, list[str]]:
    """The nations the analyst's rules give the warnings of `read` whose text does not say who
    issued them, by warning_id: a rule (prefix, codes) applies to the warnings whose number
    begins with the prefix in whole words (NFKC, upper case, single spaces; `NAVAREA XI` is
    not NAVAREA XII's), the longest prefix first. `HYDROPAC` → every HYDROPAC warning; `NAVAREA XI`
    → NAVAREA XI's. Warnings no rule matches are not in the answer."""
    ordered = sorted(
        ((_rule_words(prefix), codes) for prefix, codes in rules),
        key=lambda rule: -len(rule[0]),
    )
    chosen: dict[str, list[str]] = {}
    for warning, *_rest in read:
        if warning.nations or not warning.number:
            continue
        words = _rule_words(warning.number)
        for prefix, codes in ordered:
            # Whole words: NAVAREA XI is not NAVAREA XII; HYDROPAC 23 is HYDROPAC 2381/26.
            if prefix and words.startswith(prefix) and not _goes_on(words, prefix):
                chosen[warning_id(warning)] = list(codes)
                break
    return chosen


def _rule_words(text: str) -> str:
    """A number or a rule's prefix as rules compare them: NFKC, upper case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).upper().split())


def _goes_on(words: str, prefix: str) -> bool:
    """Whether the prefix ends inside a word of `words` (letters run on: NAVAREA XI|I)."""
    if len(words) == len(prefix):
        return False
    return prefix[-1].isalpha() and words[len(prefix)].isalpha()


def warning_span(warning: NavWarning) -> tuple[str, str, list[Window]]:
    """(start, end) of the event a warning announces, as the event format writes them, and its
    windows once a cancellation has cut them (`cancelled_windows`): the first window's start
    and the last one's end, to the minute with their offset where the text gives hours and zone
    (`moment_text`), else the warning's days. `warning.start` must be set."""
    start, end = warning.start.isoformat(), (warning.end or warning.start).isoformat()
    windows = cancelled_windows(warning.windows, warning.cancelled_at)
    if windows:
        first = min(windows, key=lambda window: instant(window.start))
        last = max(windows, key=lambda window: instant(window.end, after=True))
        start, end = moment_text(first.start), moment_text(last.end)
    return start, end, windows


def moment_text(value: dt.date) -> str:
    """A window's start or end as the event format writes it: a date `2026-08-24`, or a time to
    the minute with its offset, `2026-08-24T01:00Z`, `2026-03-16T10:00+08:00`."""
    if isinstance(value, dt.datetime):
        offset = value.utcoffset() or dt.timedelta(0)
        zone = "Z" if offset == dt.timedelta(0) else offset_text(offset)
        return value.strftime("%Y-%m-%dT%H:%M") + zone
    return value.isoformat()


def is_cancellation(warning: NavWarning) -> bool:
    """Whether a warning only cancels others (no areas of its own): it makes no event."""
    return bool(warning.cancels) and not warning.areas and not warning.in_force_list


def overlaps_merged(geometry: dict) -> tuple[dict, int]:
    """A MultiPolygon whose areas overlap (a circle and a sector about one centre, a transit
    corridor inside a closed area: MSA's 沪航警561/26, GX64/26) as the outline they cover
    together (shapely.union_all), which the event format can hold (RFC 7946 §3.1.7 and OGC
    Simple Features: the parts of a MultiPolygon may not overlap), and how many areas were
    merged; any other geometry as it is, and 0. Areas each drawn wrong are not merged: they
    stay as they are for the validator to refuse."""
    if geometry.get("type") != "MultiPolygon":
        return geometry, 0
    parts = [
        shapely.geometry.shape({"type": "Polygon", "coordinates": part})
        for part in geometry["coordinates"]
    ]
    if not all(part.is_valid for part in parts):
        return geometry, 0
    if shapely.MultiPolygon(parts).is_valid:
        return geometry, 0
    outline = shapely.union_all(parts)
    # As JSON writes it (lists, not shapely's tuples), the form the validator reads.
    return json.loads(shapely.to_geojson(shapely.set_precision(outline, 1e-6))), len(parts)


def warning_geometry(areas: list[Area]) -> tuple[dict, str]:
    """The GeoJSON geometry of a warning's areas (each `Area.geometry()`) and, when some had
    to be left out of it, a problem saying which.

    Areas (polygons, circles, sectors) make a Polygon or MultiPolygon; when there are none,
    lines make a LineString or MultiLineString; when there are neither, the points make a
    MultiPoint. An event has one geometry type (the event format takes no
    GeometryCollection), so lines or points beside areas are left out of the map, said.
    """
    parts = {"polygon": [], "line": [], "points": []}
    for area in areas:
        kind = area.form if area.form in ("line", "points") else "polygon"
        parts[kind].append(area.geometry())
    for kind, single, multi in (
        ("polygon", "Polygon", "MultiPolygon"),
        ("line", "LineString", "MultiLineString"),
    ):
        if not parts[kind]:
            continue
        pieces = [
            piece
            for geometry in parts[kind]
            for piece in (
                [geometry["coordinates"]] if geometry["type"] == single else geometry["coordinates"]
            )
        ]
        geometry = (
            {"type": single, "coordinates": pieces[0]}
            if len(pieces) == 1
            else {"type": multi, "coordinates": pieces}
        )
        left = [other for other in ("line", "points") if other != kind and parts[other]]
        note = _LEFT_OFF_MAP.get(tuple(left), "")
        return geometry, note
    points = [position for geometry in parts["points"] for position in geometry["coordinates"]]
    return {"type": "MultiPoint", "coordinates": points}, ""


# What a warning's areas leave off the map: lines or points outside any area (by the forms).
_LEFT_OFF_MAP = {
    ("line",): Message("lines outside any area are left out of the map"),
    ("points",): Message("points listed outside any area are left out of the map"),
    ("line", "points"): Message("lines and points listed outside any area are left out of the map"),
}


def warning_name(index: int, warning: NavWarning, row: int | None = None) -> str:
    """How problems name a warning: its spreadsheet row (from a CSV), its number as written
    and its place among the warnings read: `row #3, warning "闽航警0123/24" (#2)`."""
    if warning.number:
        name = Message(
            "warning {number} (#{index})", number=show_value(warning.number), index=str(index)
        )
    else:
        name = Message("warning (#{index})", index=str(index))
    if row is not None:
        return Message("row #{row}, {warning}", row=str(row), warning=name)
    return name


def import_warnings(
    items: list[tuple[str, str | None, dt.date | None, int | None]],
    label: str,
    nations: list[str] | None = None,
    area_ids: set[str] | None = None,
    taken_ids: dict[str, str] | None = None,
    read: list | None = None,
    issuers: dict[str, list[str]] | None = None,
):
    """The events of navigational warnings, validated like geodata/, and every problem.

    `items` are (text, URL, publication date, spreadsheet row or None); a text may hold several
    warnings (split on their numbers and headers, layers.read.navwarn.headers.split_pages).
    `read`, when given, is `read_items(items)` already done (and perhaps completed from the
    source's own fields, layers.read.navwarn.sources): the warnings are not read again.
    `issuers` gives nations warning by warning (by `warning_id`) for the warnings whose text
    does not say who issued them; `nations` those of the others. Problems name `label` and the
    warning ("warning "闽航警0123/24" (#1)", `warning_name`), the validator's too. Returns
    (events GeoDataFrame, problems). Never raises.
    """
    from layers.read.load import collect_features, events_frame, feature_label, parse_event

    problems: list[Problem] = []
    features: list[dict] = []
    names: list[str] = []
    warnings = read_items(items) if read is None else read
    numbers = {number_key(warning.number) for warning, *_rest in warnings}
    for index, (warning, url, published, row) in enumerate(warnings, start=1):
        name = warning_name(index, warning, row)
        feature, notes = warning_feature(
            warning,
            nations,
            url,
            published.isoformat() if published else None,
            (issuers or {}).get(warning_id(warning)),
        )
        notes += [
            (
                "cancels",
                Message("cancels {number}, which is not among these warnings", number=cancelled),
            )
            for cancelled in warning.cancels
            if number_key(cancelled) not in numbers
        ]
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
# The activities the reader names in English (layers.read.navwarn.headers' _ACTIVITIES), for
# the catalogue: the table of warnings shows each in the reader's language. Event titles keep
# the English (they are data, saved and shared).
ACTIVITY_WORDS = (
    N_("ballistic missile launch"),
    N_("cable operations"),
    N_("drill"),
    N_("exercise"),
    N_("firing"),
    N_("firing exercise"),
    N_("firing practice"),
    N_("firing training"),
    N_("gun firing"),
    N_("gunnery"),
    N_("gunnery exercise"),
    N_("hazardous operations"),
    N_("hydrographic survey"),
    N_("live weapons use"),
    N_("live-fire"),
    N_("live-fire training"),
    N_("military activity"),
    N_("military exercise"),
    N_("military mission"),
    N_("military operation"),
    N_("military task"),
    N_("military training"),
    N_("missile exercise"),
    N_("missile firing"),
    N_("missile launching"),
    N_("missile operations"),
    N_("missile test launch"),
    N_("naval exercise"),
    N_("no-navigation area"),
    N_("ocean survey"),
    N_("pipeline operations"),
    N_("re-entry"),
    N_("rocket artillery firing"),
    N_("rocket debris"),
    N_("rocket launching"),
    N_("satellite launch"),
    N_("scientific research"),
    N_("seismic survey"),
    N_("shooting"),
    N_("shooting exercise"),
    N_("space debris"),
    N_("space launch"),
    N_("space vehicle launch"),
    N_("splashdown"),
    N_("survey"),
    N_("survey operations"),
    N_("target practice"),
)
AREA_FORM_WORDS = {
    "polygon": ("polygon", "polygons"),
    "circle": ("circle", "circles"),
    "sector": ("sector", "sectors"),
    "line": ("line", "lines"),
    "points": ("point list", "point lists"),
}


def warning_rows(
    read: list[tuple[NavWarning, str | None, dt.date | None, int | None]],
    nations: list[str] | None,
    problems: list[Problem],
    issuers: dict[str, list[str]] | None = None,
) -> list[dict[str, str]]:
    """One row per warning read (`read_items`), for an analyst to check the reading: its
    number, who issued it (where the text does not say: `issuers` by warning_id, else `nations`,
    marked "chosen"), activity,
    dates, areas by form, what it cancels or is cancelled by, whether it makes an event, and
    its problems in words (those of `problems`, as `import_warnings` gave them, that name it),
    each said up to its first "; ": what is wrong, not again what follows ("left out"), which
    the "event" column says."""
    by_name: dict[str | None, list[Problem]] = {}
    for problem in problems:
        by_name.setdefault(problem.feature, []).append(problem)
    rows = []
    for index, (warning, _url, _published, row) in enumerate(read, start=1):
        own = by_name.get(warning_name(index, warning, row), [])
        chosen = (issuers or {}).get(warning_id(warning)) or nations
        if warning.nations:
            issuer = ", ".join(warning.nations)
        elif chosen:
            issuer = _("{nations} (chosen)").format(nations=", ".join(chosen))
        else:
            issuer = _("not said")
        cancels = pgettext("list separator", "; ").join(
            (
                [_("cancels {numbers}").format(numbers=", ".join(warning.cancels))]
                if warning.cancels
                else []
            )
            + (
                [_("cancelled by {number}").format(number=warning.cancelled_by)]
                if warning.cancelled_by
                else []
            )
        )
        pure = is_cancellation(warning)
        made = not (pure or warning.in_force_list or any(problem.skipped for problem in own))
        rows.append(
            {
                "#": str(index)
                if row is None
                else _("{index} (row {row})").format(index=index, row=row),
                "number": warning.number,
                "issued by": "" if pure else issuer,
                "activity": _("cancellation")
                if pure
                else (_(warning.activity) if warning.activity else ""),
                "dates": _dates_words(warning),
                "areas": _areas_words(warning.areas),
                "cancellation": cancels,
                "event": _("yes") if made else _("no"),
                "problems": pgettext("list separator", "; ").join(
                    _first_clause(problem.message) for problem in own
                ),
            }
        )
    return rows


def _first_clause(message: str) -> str:
    """What a problem says is wrong, up to its first "; " (in the reader's language where the
    problem is a translated Message: "；" in Chinese and Japanese)."""
    text = localized(message)
    first = text.split("; ")[0]
    return first.split("；")[0] if text != message else first


def _dates_words(warning: NavWarning) -> str:
    """ "2026-08-28T01:00Z to 2026-08-31T13:00Z (4 windows)": the event's span as written, and
    how many windows it has when more than one."""
    if warning.start is None:
        return ""
    start, end, windows = warning_span(warning)
    words = _("{start} to {end}").format(start=start, end=end) if end != start else start
    if len(windows) > 1:
        words += ngettext(" ({count} window)", " ({count} windows)", len(windows)).format(
            count=len(windows)
        )
    return words


def _areas_words(areas: list[Area]) -> str:
    """ "2 polygons, 1 circle (3 nm)": how many areas of each form, circles with radii."""
    parts = []
    for form in AREA_FORM_WORDS:
        found = [area for area in areas if area.form == form]
        if not found:
            continue
        words = _area_count(form, len(found))
        if form == "circle":
            # A no-break space: "3 nm" stays on one line in a narrow column.
            words += (
                " ("
                + ", ".join(
                    _("{radius}\u00a0nm").format(radius=f"{round(area.radius_nm, 2):g}")
                    for area in found
                )
                + ")"
            )
        parts.append(words)
    return pgettext("list separator", ", ").join(parts) or _("none")


def _area_count(form: str, count: int) -> str:
    """ "2 polygons": a count of areas of one form (AREA_FORM_WORDS), in the reader's language."""
    if form == "polygon":
        text = ngettext("{count} polygon", "{count} polygons", count)
    elif form == "circle":
        text = ngettext("{count} circle", "{count} circles", count)
    elif form == "sector":
        text = ngettext("{count} sector", "{count} sectors", count)
    elif form == "line":
        text = npgettext("warning area", "{count} line", "{count} lines", count)
    else:
        text = ngettext("{count} point list", "{count} point lists", count)
    return text.format(count=count)


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
                        Message(
                            "{value} is not a date (YYYY-MM-DD); not used",
                            value=show_value(written),
                        ),
                        Message("{noun} #{index}", noun=Message("row"), index=str(number)),
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
        column: [row.get(column, "") for _number, row in table.rows[:50]]
        for column in table.columns
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
        return find_number(unicodedata.normalize("NFKC", value)) is not None

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
