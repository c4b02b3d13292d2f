"""What an event and a named area are: the vocabulary every other module shares.

The full description, with examples, is docs/data-format.md; data/event.schema.json states the
same rules for editors. Rules JSON Schema cannot state (dates in order, unique ids, real ISO
codes, areas that exist) are checked in layers/read/load.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from layers.i18n import N_, Message, TranslatedLabels, localized

# Event kinds, in legend order, with the colour each is drawn in: colour-blind-safe, the first
# six from Okabe & Ito's palette (2008, "Color Universal Design"), grey for diplomacy (no
# physical track), and the four kinds navigational warnings announce (issue 23) from Paul Tol's
# "muted" scheme (2021, "Colour Schemes", SRON/EPS/TN/09-002), which stays apart from them.
KIND_COLOURS = {
    "exercise": "#D55E00",
    "live_fire": "#882255",
    "launch": "#332288",
    "patrol": "#0072B2",
    "transit": "#009E73",
    "port_call": "#CC79A7",
    "deployment": "#E69F00",
    "incident": "#B2182B",
    "survey": "#44AA99",
    "hazardous_operations": "#999933",
    "diplomacy": "#666666",
}
KINDS = tuple(KIND_COLOURS)
KIND_LABELS = TranslatedLabels(
    {
        "exercise": N_("Exercise"),
        "live_fire": N_("Live fire"),
        "launch": N_("Launch"),
        "patrol": N_("Patrol"),
        "transit": N_("Transit"),
        "port_call": N_("Port call"),
        "deployment": N_("Deployment"),
        "incident": N_("Incident (grey zone)"),
        "survey": N_("Survey"),
        "hazardous_operations": N_("Hazardous operations"),
        "diplomacy": N_("Diplomacy"),
    }
)
KIND_MEANINGS = {
    "exercise": "Planned training or drills by one or more forces, bilateral or multinational.",
    "live_fire": "Firing with live weapons: gunnery, live-fire drills, missile firing exercises "
    "(a navigational warning's 实弹射击, GUNNERY, 射撃訓練).",
    "launch": "A missile, rocket or space launch, and the areas its stages or debris may fall "
    "in (火箭发射, ROCKET LAUNCHING, SPACE DEBRIS).",
    "patrol": "Routine presence or law-enforcement patrol (fisheries, EEZ, sovereignty).",
    "transit": "Passage of ships or aircraft through a strait or sea, e.g. Taiwan Strait.",
    "port_call": "A ship's visit to a foreign port.",
    "deployment": "A force sent to the region for weeks or months, e.g. a carrier group.",
    "incident": "Grey-zone or coercive activity: incursions, buoys, unauthorised surveys in "
    "another's waters, confrontations.",
    "survey": "Survey or research at sea announced by a navigational warning "
    "(SURVEY OPERATIONS, 测量, 調査).",
    "hazardous_operations": "An area a navigational warning closes or warns of for another "
    "operation, or with no activity stated: towing, cable work, salvage, a no-entry area.",
    "diplomacy": "Agreements, memoranda, official visits, statements, liaison offices.",
}

# Kinds that are cooperation by nature: an event of one of them that gives no `sides` counts all
# its nations as working together (Who works with whom). An event of any other kind without
# `sides` (an incident, a transit, a patrol…) counts no pair at all: taking part in the same
# incident is not working together (docs/data-format.md, "Sides").
COOPERATIVE_KINDS = ("exercise", "port_call", "diplomacy")

AREA_KINDS = (
    "sea",
    "strait",
    "bay",
    "coastal_waters",
    "island_waters",
    "territorial_sea",
    "contiguous_zone",
    "reference_line",
    "point_of_interest",
    # An analyst's own zone, drawn on the map and kept as an area file (layers.shapes).
    "drawn_area",
)

GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)

# Columns of the events GeoDataFrame, in order; "start"/"end" are the first and last day the
# event covers, "start_text"/"end_text" the dates as written (their form is the precision;
# "end_text" is "" when the file gives no end). "area" is "" when the event names none.
# "coord_times" is a track's time for each position (layers.read.tracks): one tuple of UTC
# texts per line of its geometry, () when the event has none.
# "counts" is a dict of the event's counts by name ({} when it gives none).
# "windows" are the periods in force within the event's span (a navigational warning's daily
# hours): a tuple of (start, end) texts as written, () when the event gives none.
# "sides" says who stood with whom (docs/data-format.md, "Sides"): a tuple of sides, each a
# tuple of nation codes from "nations"; None when the event gives none, () when it gives
# sides that cannot be read (its nations then count neither together nor against each other).
EVENT_COLUMNS = (
    "id",
    "title",
    "summary",
    "kind",
    "start",
    "end",
    "start_text",
    "end_text",
    "nations",
    "organisations",
    "forces",
    "area",
    "location_precision_km",
    "sources",
    "coord_times",
    "counts",
    "windows",
    "sides",
    "file",
)
AREA_COLUMNS = ("id", "name", "alt_names", "kind", "note", "default_visible", "file")
# Who saved an area drawn on the map for the team, and when (the shared store, issue 26:
# PostgisStore.save_drawn_area): a text and a UTC datetime, or None for both (an area written
# in a file). The loader reads them as optional properties, so an exported drawn area keeps
# them through `layers.db export` and `import` (docs/data-format.md, "Named areas").
AREA_SAVED_COLUMNS = ("saved_by", "saved_at")
# An area's own name in its readers' languages (issue 27): {language tag: name} for the page's
# languages other than English (layers.i18n.LANGUAGES), or None when the file gives none.
AREA_NAMES_COLUMN = "names"
# The loader's areas table: an area's own columns, who saved it and when, its own names.
AREA_TABLE_COLUMNS = AREA_COLUMNS + AREA_SAVED_COLUMNS + (AREA_NAMES_COLUMN,)

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"

# --- counts: how many aircraft, ships… an event reports (docs/data-format.md, "Counts") ------
# A count's name: lowercase ASCII letters, digits and "_", starting with a letter, at most 40
# characters, so it reads in a link (measure=aircraft) and as a column or JSON key anywhere.
COUNT_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
# More names than this in one event is a broken file, not a report: its counts are ignored.
MAX_COUNT_NAMES = 50
# The largest count taken: far above any report of the field (a year of PLA flights around
# Taiwan is a few thousand), and small enough that sums of a million events stay exact in a
# float64 (2^53).
MAX_COUNT = 1_000_000_000
# The usual names, in the order the dashboard offers them: (one, several, what it counts).
# Taiwan's Ministry of National Defense (MND) reports PLA activity around Taiwan daily, from
# 06:00 the day before to 06:00; Japan's Joint Staff Office reports PLA and Russian ships and
# aircraft passing Japan and its scrambles; the Japan Coast Guard (JCG) counts China Coast
# Guard ships in the Senkaku waters each day.
USUAL_COUNTS = {
    "aircraft": (
        "aircraft",
        "aircraft",
        "Military aircraft the source counts, crewed or not, as its total gives them (MND's "
        "daily total of PLA aircraft counts drones and helicopters among them).",
    ),
    "median_line_crossings": (
        "median-line crossing",
        "median-line crossings",
        'Aircraft that crossed the Taiwan Strait median line (MND: "crossed the median line '
        "and entered Taiwan's ADIZ\"), counted as aircraft, not as flights.",
    ),
    "ships": (
        "ship",
        "ships",
        "Naval vessels: warships and naval auxiliaries (MND's PLAN vessels; the ships Japan's "
        "Joint Staff reports passing a strait).",
    ),
    "official_ships": (
        "official ship",
        "official ships",
        'Coast-guard and other government ships that are not naval (MND\'s "official ships"; '
        "the China Coast Guard ships JCG counts in the Senkaku waters).",
    ),
    "balloons": ("balloon", "balloons", "Balloons, as MND's daily reports list them."),
    "drones": (
        "drone",
        "drones",
        "Uncrewed aircraft counted apart from the aircraft (as Japan's Joint Staff reports "
        "them); a source that counts them among its aircraft gives only `aircraft`.",
    ),
    "sorties": (
        "sortie",
        "sorties",
        "Flights, when the source counts flights rather than aircraft (one aircraft flying "
        "twice is two sorties).",
    ),
    "scrambles": (
        "scramble",
        "scrambles",
        "Scrambles flown in response by the reporting side's air force (Japan's Joint Staff: "
        "JASDF scrambles).",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data, said so an analyst can find and fix it.

    Every text is kept to one line: control characters (newlines included) in a file name, a
    feature's id or a message become visible escapes, so `str(problem)` is always one line.
    """

    file: str
    message: str
    feature: str | None = None
    field: str | None = None
    # True when the feature was left off the map; False when only the field was ignored.
    skipped: bool = True

    def __post_init__(self) -> None:
        for name in ("file", "message", "feature", "field"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, one_line_text(value))

    def __str__(self) -> str:
        parts = [self.file]
        if self.feature is not None:
            parts.append(self.feature)
        if self.field is not None:
            parts.append(self.field)
        return ": ".join([str(part) for part in parts] + [str(self.message)])

    def localized(self) -> str:
        """The problem in the reader's language (layers.i18n): the words translated, the file
        and field names and the values quoted from the data as written. `str(problem)` is the
        English."""
        parts = [self.file]
        if self.feature is not None:
            parts.append(localized(self.feature))
        if self.field is not None:
            parts.append(self.field)
        return ": ".join([str(part) for part in parts] + [localized(self.message)])


class FeatureError(ValueError):
    """A field of a feature that cannot be used; `field` names it ("geometry", "sources[2]")."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        # Kept as given: a Message (layers.i18n) stays translatable, where str(error) is English.
        self.message = message


class FeatureErrors(FeatureError):
    """Every field error of one feature, so they are all reported in one pass."""

    def __init__(self, errors: list[FeatureError]):
        super().__init__(errors[0].field, str(errors[0]))
        self.errors = errors


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def one_line(text: str) -> str:
    """`text` with control characters and line separators written as visible escapes, and
    lone surrogates (from a bad \\uD800 escape or a non-UTF-8 file name) as U+FFFD."""
    text = _SURROGATE.sub(REPLACEMENT, text)
    return _CONTROL.sub(lambda match: json.dumps(match.group())[1:-1], text)


def one_line_text(text: object) -> str:
    """`text` as one line (`one_line`); a Message (layers.i18n) stays a Message, its arguments
    made one line, so that it can still be shown in the reader's language."""
    if isinstance(text, Message):
        english = str(text)
        if one_line(english) == english:
            return text
        arguments = {
            key: one_line_text(value) if isinstance(value, str) else value
            for key, value in text.arguments.items()
        }
        made = Message(text.template, **arguments)
        return made if one_line(str(made)) == str(made) else one_line(english)
    return one_line(str(text))


def reason(error: BaseException) -> str:
    """What an error says: the Message it was raised with (layers.i18n), so that it can be
    shown in the reader's language, else its text."""
    said = getattr(error, "message", None)
    if isinstance(said, Message):
        return said
    if len(error.args) == 1 and isinstance(error.args[0], Message):
        return error.args[0]
    return str(error)


def chained(template: str, parts: list[str]) -> str:
    """`parts` joined by a Message `template` of {first} and {rest} ("{first}, {rest}",
    "{first} or {rest}"), so that the words between them are said in the reader's language;
    one part is itself. Mark the template with N_ where it is written."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return Message(template, first=parts[0], rest=chained(template, parts[1:]))


def counted_message(count: int, singular: str, plural_form: str) -> str:
    """A count with its noun as a Message ("1 position", "3 positions"): the English form by
    the English rule, as `plural` writes it; both ids marked with N_ where they are written."""
    return Message(singular if count == 1 else plural_form, count=format(count, ","))


def without_surrogates(text: str) -> tuple[str, int]:
    """(`text` with each lone surrogate replaced by U+FFFD, how many were replaced).

    A JSON text may escape a lone surrogate ("\\udc80"), which no UTF-8 writer can encode:
    left in, it would fail later, far from the file it came from.
    """
    return _SURROGATE.subn(REPLACEMENT, text)


class TooLargeNumber:
    """A JSON integer too large for a float (over ~1.8e308): kept only to be reported."""

    def __init__(self, digits: str):
        self.digits = digits

    def __str__(self) -> str:
        return f"{self.digits[:12]}… ({len(self.digits.lstrip('-'))} digits)"


def left_out_count(problems: list[Problem]) -> int:
    """How many features, rows or files the problems left out (a feature with four problems
    counts once)."""
    return len({(problem.file, problem.feature) for problem in problems if problem.skipped})


def show_value(value: object, limit: int = 80) -> str:
    """A value as it is written in JSON (quotes, newlines, control characters escaped), clipped
    to `limit` characters. Never raises, even for values nested too deeply to print."""
    if isinstance(value, TooLargeNumber):
        return clip(str(value), limit)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (RecursionError, ValueError, TypeError):
        text = "a nested value" if isinstance(value, (list, dict)) else type(value).__name__
    return clip(text, limit)


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """ "1 problem", "2 problems", "1,200 events": a count with its noun in the right number."""
    word = noun if count == 1 else (plural_noun or noun + "s")
    return f"{count:,} {word}"


def clip(text: str, limit: int = 80) -> str:
    """`text` shortened to `limit` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Events and areas take the same geometry types.
EVENT_GEOMETRY_TYPES = GEOMETRY_TYPES
