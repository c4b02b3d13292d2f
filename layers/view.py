"""The whole view an analyst sees, as one value that round-trips through a URL query string.

`View` holds every choice: months, the period compared with and what the map shows, nations,
kinds, layers, map position and the open event.
`View.from_query` reads it from query parameters and never raises: each bad parameter gives
one warning and falls back to its default, keeping the good ones; in a list (nations, kinds,
layers) only the bad entries are left out. `View.to_query` writes only what differs from the
defaults, so a plain view is a plain link.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from layers.dates import DateError, month_bounds, parse_period
from layers.i18n import LANGUAGES, N_, Message, parse_language
from layers.nations import NATION_NAMES
from layers.read.schema import COUNT_NAME_PATTERN, ID_PATTERN, KINDS
from layers.region import PACIFIC_FRAME_WEST_EDGE
from layers.shapes import MAX_SHAPES_LENGTH, Shape, shape_ids, shapes_from_param, shapes_param

DEFAULT_CENTER = (
    27.0,
    130.0,
)  # lat, lon: Japan, Taiwan, the Philippine Sea and China's coast
DEFAULT_ZOOM = 4
MIN_ZOOM, MAX_ZOOM = 2, 14
MATCH_MODES = ("any", "all")
COLOUR_MODES = ("kind", "month")
# What the map draws: the events of the months shown, or (with compare) the change from the
# compared period to them.
SHOW_MODES = ("events", "change")
MAX_PARAM_LENGTH = 2000
# Order of parameters in a written URL: filters first, then the map, then the open event.
QUERY_KEYS = (
    "start",
    "end",
    "compare",
    "show",
    "nations",
    "match",
    "kinds",
    "shapes",
    "shape_names",
    "zones",
    "possibly",
    "measure",
    "layers",
    "colour",
    "density",
    "lat",
    "lon",
    "zoom",
    "event",
    "lang",
)

# How a list parameter's bad entries are named in its warning: (one entry, several entries).
# Messages (layers.i18n): made once, said in the reader's language where shown.
_NATION_WORDS = (
    Message(N_("an ISO 3166-1 alpha-3 code")),
    Message(N_("ISO 3166-1 alpha-3 codes")),
)
_KIND_WORDS = (
    Message("one of {kinds}", kinds=", ".join(KINDS)),
    Message("among {kinds}", kinds=", ".join(KINDS)),
)
_LAYER_WORDS = (Message(N_("a named area in the data")), Message(N_("named areas in the data")))
_ZONE_WORDS = _LAYER_WORDS
_MAX_ENTRIES_SHOWN = 5

# ASCII digits only, as layers.dates reads them: Python's \d and int() also take Arabic-Indic
# or full-width digits, which the code using the value would then refuse.
_MONTH_RE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
_DAY_RE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_NUMBER_RE = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")
_ID_RE = re.compile(ID_PATTERN)
_COUNT_NAME_RE = re.compile(COUNT_NAME_PATTERN)
# The measure that counts events (layers.measure.EVENTS); any other is a count's name.
EVENTS_MEASURE = "events"


@dataclass(frozen=True)
class View:
    """Every choice that shapes what the dashboard shows; None or empty means the default.

    `start`/`end` are "YYYY-MM" months (None: the data's first/last month). A link may name
    days instead ("start=2024-07-18"): `start_day`/`end_day` hold them ("YYYY-MM-DD"), and
    `start`/`end` are then the months they fall in, so whatever works by month (the month
    lists, the timeline, the player, the store's month counts) keeps working; the filters use
    the days (`day_range`). Empty `nations` or
    `kinds` means all of them. `layers` None means the areas marked default_visible. `zones`
    (area ids) keeps the events tagged "in" any of them, and also "possibly" with `possibly`;
    empty means no zone filter. `compare` is another month range (first, last) to compare the
    shown months with, or None; `show` is what the map draws (SHOW_MODES), "change" only with
    `compare`. `density` adds the layer of events counted per map cell. `measure` is what the
    figures add up: "events", or the name of a count the events give (layers/measure.py).
    """

    start: str | None = None
    end: str | None = None
    compare: tuple[str, str] | None = None
    show: str = "events"
    nations: tuple[str, ...] = ()
    match: str = "any"
    kinds: tuple[str, ...] = ()
    shapes: tuple[Shape, ...] = ()
    zones: tuple[str, ...] = ()
    possibly: bool = False
    measure: str = EVENTS_MEASURE
    layers: tuple[str, ...] | None = None
    colour: str = "kind"
    density: bool = False
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    event: str | None = None
    start_day: str | None = None
    end_day: str | None = None
    # The page's language when the link or the analyst chose one (a tag of
    # layers.i18n.LANGUAGES); None: the reader's own, from the browser.
    lang: str | None = None

    def __post_init__(self) -> None:
        # A day is in its month: the months follow the days, so the two never disagree.
        for day_name, month_name in (("start_day", "start"), ("end_day", "end")):
            day = getattr(self, day_name)
            if day is not None:
                object.__setattr__(self, month_name, day[:7])

    def day_range(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day the view shows (both included): its days, else the first
        day of its start month and the last of its end month; None where the view names none
        (the data's own first or last)."""
        first = last = None
        if self.start_day:
            first = parse_period(self.start_day)[0]
        elif self.start:
            first = month_bounds(self.start)[0]
        if self.end_day:
            last = parse_period(self.end_day)[1]
        elif self.end:
            last = month_bounds(self.end)[1]
        return first, last

    @classmethod
    def from_query(
        cls,
        params: Mapping[str, list[str]],
        *,
        area_ids: Iterable[str] = (),
        event_ids: Iterable[str] = (),
        count_names: Iterable[str] = (),
    ) -> tuple[View, list[str]]:
        """Read a view from query parameters (each key with all its values).

        `count_names` are the counts the data gives: `measure` is "events" or one of them.
        Returns the view and one warning per parameter that was ignored.
        """
        reader = _QueryReader(params)
        start = reader.one("start", _parse_month_or_day)
        end = reader.one("end", _parse_month_or_day)
        if start and end and _first_day(start) > _last_day(end):
            reader.warn(
                "start",
                Message("{start} is after end {end}; showing all months", start=start, end=end),
            )
            start = end = None
        area_ids = list(area_ids)
        shapes = reader.shapes(area_ids)
        known_areas = set(area_ids) | set(shape_ids(shapes))
        known_events = set(event_ids)
        view = cls(
            start=start[:7] if start else None,
            end=end[:7] if end else None,
            start_day=start if start and len(start) == 10 else None,
            end_day=end if end and len(end) == 10 else None,
            compare=reader.one("compare", _parse_period),
            show=reader.one("show", _choice(SHOW_MODES), "events"),
            nations=reader.many("nations", set(NATION_NAMES), _NATION_WORDS, (), str.upper),
            match=reader.one("match", _choice(MATCH_MODES), "any"),
            kinds=reader.many("kinds", set(KINDS), _KIND_WORDS, ()),
            shapes=shapes,
            zones=reader.many("zones", known_areas, _ZONE_WORDS, ()),
            possibly=reader.one("possibly", _flag, False),
            measure=reader.one(
                "measure",
                lambda text: _parse_measure(text, list(count_names)),
                EVENTS_MEASURE,
            ),
            layers=reader.many("layers", known_areas, _LAYER_WORDS, None),
            colour=reader.one("colour", _choice(COLOUR_MODES), "kind"),
            density=reader.one("density", _flag, False),
            lat=reader.one("lat", _number(-85.0, 85.0)),
            lon=reader.one("lon", _number(-180.0, 180.0)),
            zoom=reader.one("zoom", _zoom),
            event=reader.one("event", lambda text: _parse_event(text, known_events)),
            lang=reader.one("lang", _parse_lang),
        )
        if (view.lat is None) != (view.lon is None):
            missing = "lon" if view.lon is None else "lat"
            if not any(
                warning.startswith(("Link parameter 'lat'", "Link parameter 'lon'"))
                for warning in reader.warnings
            ):
                reader.warn(
                    missing, Message("lat and lon go together; using the default map position")
                )
            view = replace(view, lat=None, lon=None)
        if view.show == "change" and view.compare is None:
            if "compare" not in params:
                reader.warn(
                    "show",
                    Message("change needs a period to compare with (compare=); showing events"),
                )
            view = replace(view, show="events")
        return view, reader.warnings

    def to_query(self, default_layers: Iterable[str] = ()) -> dict[str, str]:
        """The query parameters of this view, leaving out every default."""
        layers = None
        if self.layers is not None and sorted(self.layers) != sorted(default_layers):
            layers = ",".join(self.layers)  # "" when every layer is off
        shapes, shape_names = shapes_param(self.shapes)
        query = {
            "start": self.start_day or self.start,
            "end": self.end_day or self.end,
            "compare": f"{self.compare[0]}..{self.compare[1]}" if self.compare else None,
            "show": self.show if self.show != "events" and self.compare else None,
            "nations": ",".join(self.nations) or None,
            "match": self.match if self.match != "any" else None,
            "kinds": ",".join(self.kinds) or None,
            "shapes": shapes,
            "shape_names": shape_names,
            "zones": ",".join(self.zones) or None,
            "possibly": "1" if self.possibly else None,
            "measure": self.measure if self.measure != EVENTS_MEASURE else None,
            "layers": layers,
            "colour": self.colour if self.colour != "kind" else None,
            "density": "1" if self.density else None,
            "lat": _format_coordinate(self.lat),
            "lon": _format_coordinate(self.lon),
            "zoom": str(self.zoom) if self.zoom is not None else None,
            "event": self.event,
            "lang": self.lang,
        }
        return {key: query[key] for key in QUERY_KEYS if query[key] is not None}

    def center(self) -> tuple[float, float]:
        """Where the map is centred, as (lat, lon) with lon in the map's Pacific frame."""
        if self.lat is None or self.lon is None:
            return DEFAULT_CENTER
        return self.lat, to_pacific_lon(self.lon)

    def zoom_level(self) -> int:
        return self.zoom if self.zoom is not None else DEFAULT_ZOOM

    def with_map_position(self, lat: float, lon: float, zoom: int) -> View:
        """This view with the map moved; back to None when it is the default position."""
        lat, lon = round(lat, 2), round(normalise_lon(lon), 2)
        zoom = int(min(max(zoom, MIN_ZOOM), MAX_ZOOM))
        default_lat, default_lon = DEFAULT_CENTER
        if (lat, lon, zoom) == (default_lat, default_lon, DEFAULT_ZOOM):
            return replace(self, lat=None, lon=None, zoom=None)
        return replace(self, lat=lat, lon=lon, zoom=zoom)


def normalise_lon(lon: float) -> float:
    """A longitude in −180…180, as RFC 7946 and the URL use it."""
    return ((lon + 180.0) % 360.0) - 180.0 if not -180.0 <= lon <= 180.0 else lon


def to_pacific_lon(lon: float) -> float:
    """The map's Pacific-centred frame: the Americas side of 180° is drawn east of it."""
    return lon + 360.0 if lon < PACIFIC_FRAME_WEST_EDGE else lon


@dataclass
class _QueryReader:
    params: Mapping[str, list[str]]
    warnings: list[str] = field(default_factory=list)

    def one(self, key: str, parse, default=None):
        text = self._text(key)
        if text is None:
            return default
        try:
            return parse(text)
        except ValueError as error:
            said = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
            self.warn(key, Message("{problem}; using the default", problem=said))
            return default

    def many(self, key: str, known: set[str], words: tuple[str, str], default, normalise=str):
        """A comma-separated list: unknown entries are left out with one warning naming them;
        when none is known the parameter falls back to its default."""
        text = self._text(key)
        if text is None:
            return default
        entries = _split(text)
        good = [normalise(entry) for entry in entries if normalise(entry) in known]
        bad = list(dict.fromkeys(entry for entry in entries if normalise(entry) not in known))
        if bad:
            one, several = words
            entries = _show_entries(bad)
            if len(bad) == 1:
                named = Message("{entries} is not {what}", entries=entries, what=one)
            else:
                named = Message("{entries} are not {what}", entries=entries, what=several)
            if good:
                self.warn(key, Message("{problem}; left out", problem=named))
            else:
                self.warn(key, Message("{problem}; using the default", problem=named))
            if not good:
                return default
        return tuple(dict.fromkeys(good))

    def shapes(self, area_ids: list[str]) -> tuple[Shape, ...]:
        """The drawn shapes (layers.shapes): one warning per entry left out."""
        entries = self._text("shapes", MAX_SHAPES_LENGTH)
        # A name is the analyst's own text: kept as typed (no NFKC, which would turn a
        # full-width name into ASCII).
        names = self._text("shape_names", MAX_SHAPES_LENGTH, normalise=False)
        shapes, warnings = shapes_from_param(entries, names, area_ids)
        self.warnings += warnings
        return shapes

    def _text(
        self, key: str, longest: int = MAX_PARAM_LENGTH, normalise: bool = True
    ) -> str | None:
        """The parameter's one value, or None (with a warning when it cannot be used)."""
        values = self.params.get(key)
        if not values:
            return None
        if len(values) > 1:
            self.warn(key, Message("is given more than once; using the default"))
            return None
        text = values[0]
        if len(text) > longest:
            self.warn(
                key,
                Message(
                    "is {count} characters long; using the default", count=format(len(text), ",")
                ),
            )
            return None
        # A link typed with a Japanese or Chinese input method has full-width digits,
        # letters and commas (２０２４－０５, ＪＰＮ，ＴＷＮ): NFKC makes them the ASCII
        # the rules below read.
        return unicodedata.normalize("NFKC", text) if normalise else text

    def warn(self, key: str, message: str) -> None:
        """One warning: a Message, English as before, said in the reader's language where
        the page shows it (layers.i18n.localized)."""
        self.warnings.append(Message("Link parameter '{key}': {message}", key=key, message=message))


def _show(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _parse_month(text: str) -> str:
    """A "YYYY-MM" month that layers.dates reads too (year 0000 is none)."""
    try:
        if _MONTH_RE.fullmatch(text) and parse_period(text)[2] == "month":
            return text
    except DateError:
        pass
    raise ValueError(Message("{value} is not a month (YYYY-MM)", value=_show(text)))


def _parse_month_or_day(text: str) -> str:
    """A "YYYY-MM" month or a "YYYY-MM-DD" day that layers.dates reads too."""
    try:
        if _DAY_RE.fullmatch(text) and parse_period(text)[2] == "day":
            return text
    except DateError:
        pass
    if len(text) > 7 and _DAY_RE.fullmatch(text):
        raise ValueError(
            Message("{value} is not a day (that date does not exist)", value=_show(text))
        )
    try:
        return _parse_month(text)
    except ValueError:
        raise ValueError(
            Message("{value} is not a month (YYYY-MM) or a day (YYYY-MM-DD)", value=_show(text))
        ) from None


def _first_day(text: str) -> dt.date:
    return parse_period(text)[0]


def _last_day(text: str) -> dt.date:
    return parse_period(text)[1]


def _parse_period(text: str) -> tuple[str, str]:
    """ "2024-05..2024-07" (both ends included) or one month "2024-05"."""
    first, dots, last = text.partition("..")
    first, last = _parse_month(first), _parse_month(last if dots else first)
    if first > last:
        raise ValueError(Message("{value} starts after it ends", value=_show(text)))
    return first, last


def _show_entries(entries: list[str]) -> str:
    shown = ", ".join(_show(entry) for entry in entries[:_MAX_ENTRIES_SHOWN])
    more = len(entries) - _MAX_ENTRIES_SHOWN
    if more > 0:
        return Message("{entries} and {count} more", entries=shown, count=format(more, ","))
    return shown


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def linked_event_id(params: Mapping[str, list[str]]) -> str | None:
    """The event id a link's `event` parameter names when it has the form of an id
    (schema.ID_PATTERN, read as `from_query` reads it), else None. For the shared store, which
    looks the id up before `from_query` can tell whether it is an event: text that is not an
    id (a NUL, a lone surrogate, 2,000 characters) never reaches the database; `from_query`
    then warns of it as of any unknown event."""
    values = params.get("event") or []
    if len(values) != 1 or len(values[0]) > MAX_PARAM_LENGTH:
        return None
    text = unicodedata.normalize("NFKC", values[0])
    return text if _ID_RE.fullmatch(text) else None


def _parse_event(text: str, known: set[str]) -> str:
    if not _ID_RE.fullmatch(text) or text not in known:
        raise ValueError(Message("{value} is not an event in the data", value=_show(text)))
    return text


def _parse_measure(text: str, known: list[str]) -> str:
    """ "events", or the name of a count the data gives (`known`)."""
    if text == EVENTS_MEASURE or text in known:
        return text
    if not _COUNT_NAME_RE.fullmatch(text):
        raise ValueError(Message("{value} is not events or the name of a count", value=_show(text)))
    if known:
        raise ValueError(
            Message(
                "no event in the data gives a count named {value} (it gives {names})",
                value=_show(text),
                names=_show_entries(known),
            )
        )
    raise ValueError(
        Message(
            "no event in the data gives a count named {value} (it gives none)", value=_show(text)
        )
    )


def _parse_lang(text: str) -> str:
    language = parse_language(text)
    if language is None:
        raise ValueError(
            Message(
                "{value} is not one of {options}", value=repr(text), options=", ".join(LANGUAGES)
            )
        )
    return language


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(Message("{value} is not 1 (on) or 0 (off)", value=_show(text)))
    return text == "1"


def _choice(options: tuple[str, ...]):
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(
                Message(
                    "{value} is not one of {options}", value=_show(text), options=", ".join(options)
                )
            )
        return text

    return parse


def _number(low: float, high: float):
    def parse(text: str) -> float:
        # A decimal number as written; float() would also take "1_0", "infinity" and "nan".
        if not _NUMBER_RE.fullmatch(text):
            raise ValueError(Message("{value} is not a number", value=_show(text)))
        value = float(text)
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(
                Message(
                    "{value} is not between {low} and {high}",
                    value=_show(text),
                    low=format(low, "g"),
                    high=format(high, "g"),
                )
            )
        return round(value, 4)

    return parse


def _zoom(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,2}", text) or not MIN_ZOOM <= int(text) <= MAX_ZOOM:
        raise ValueError(
            Message(
                "{value} is not a zoom level from {low} to {high}",
                value=_show(text),
                low=str(MIN_ZOOM),
                high=str(MAX_ZOOM),
            )
        )
    return int(text)


def _format_coordinate(value: float | None) -> str | None:
    return None if value is None else f"{value:.2f}".rstrip("0").rstrip(".")
