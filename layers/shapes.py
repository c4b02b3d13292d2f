"""Shapes an analyst draws on the map (or types in a link), as part of the view.

A drawn shape is a zone like the named areas: a polygon, a rectangle, a circle (a centre and a
geodesic radius), a line (events crossing it), or a buffer ("within N nm of" a named area or an
earlier shape). Each has an id by its place in the view, "D1", "D2"…: upper case, which no
area id can be (layers.read.schema.ID_PATTERN), so the zones and layers filters name drawn
shapes and named areas in one list without a clash.

This module is the shapes' model and their two ways in: the link (`shapes=` and
`shape_names=`, written compactly, see `shapes_param`) and the map's drawing tool
(`shapes_from_drawings`, the GeoJSON features Leaflet.draw gives back through st_folium).
Neither ever raises: a bad entry is one line naming it and why, and the others are kept.
Geometry (the zone each shape covers, its measures) is in layers.analysis.drawn.

The link's form, chosen so Python's and the browser's URL encoders leave it as it is (only
letters, digits and "_ . - ~"): shapes separated by "~", each a kind letter and its numbers
separated by "_"; coordinates are degrees rounded to 4 decimals (about 11 m), lat before
lon, each lon in −180…180 (a shape crossing 180° is unwrapped on reading: each vertex is
taken on the side of 180° nearest the one before):

- ``p_lat_lon_lat_lon_…``  polygon (3 or more vertices, the ring not closed)
- ``r_south_west_north_east``  rectangle (a box of latitudes and longitudes, as the map
  draws it)
- ``c_lat_lon_radius``  circle; the radius with its unit: ``24nm``, ``44.4km``, ``44448m``
- ``l_lat_lon_lat_lon_…``  line (2 or more vertices)
- ``w_source_distance``  buffer: within ``distance`` (with its unit) of the named area
  ``source`` (an area id) or of an earlier shape (``D1``)

``shape_names`` holds the shapes' names in the same order, separated by "~", each
percent-encoded (so a name may hold any character); an empty name is an unnamed shape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import quote_plus, unquote

from layers.i18n import N_, Message, localized

SHAPE_KINDS = ("polygon", "rectangle", "circle", "line", "buffer")
KIND_LETTERS = {"polygon": "p", "rectangle": "r", "circle": "c", "line": "l", "buffer": "w"}
LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}
KIND_WORDS = {
    "polygon": N_("polygon"),
    "rectangle": N_("rectangle"),
    "circle": N_("circle"),
    "line": N_("line"),
    "buffer": N_("buffer"),
}
# Metres per unit. The nautical mile is 1,852 m exactly (International Hydrographic
# Conference, 1929; BIPM SI brochure, table 8).
METRES_PER = {"m": 1.0, "km": 1000.0, "nm": 1852.0}
COORDINATE_DIGITS = 4  # 0.0001° is about 11 m: finer than a click at the map's widest zoom
# How many shapes a view holds, and how many characters of the link they may take: the
# whole link stays under 8,000 characters, nginx's default request-line limit
# (large_client_header_buffers 8k) and well inside every browser's.
MAX_SHAPES = 20
MAX_SHAPES_LENGTH = 6000
MAX_NAME_LENGTH = 80
# The widest circle or buffer taken, metres: 2,000 nm reaches from Taiwan past Guam; wider is
# a typing mistake, not a zone.
MAX_DISTANCE_M = 2000 * 1852.0
SHAPE_ID = re.compile(r"^D([1-9][0-9]?)$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_DISTANCE = re.compile(r"^((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(nm|km|m)$")
_AREA_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
_MAX_ENTRY_SHOWN = 40
_MAX_LEFT_OUT_SHOWN = 3


@dataclass(frozen=True)
class Shape:
    """One drawn shape. `points` are (lat, lon) degrees, lon continuous (a shape crossing 180°
    has lons beyond it rather than a jump); a polygon's ring is not closed; a rectangle's two
    points are its south-west and north-east corners; a circle's one point is its centre.
    `distance` is a circle's radius or a buffer's breadth, in `unit` ("nm", "km" or "m");
    `source` is a buffer's area id or shape id. `name` is the analyst's, "" when unnamed."""

    kind: str
    points: tuple[tuple[float, float], ...] = ()
    distance: float | None = None
    unit: str = "nm"
    source: str | None = None
    name: str = ""

    @property
    def distance_m(self) -> float | None:
        """The radius or breadth in metres (None for other kinds)."""
        return None if self.distance is None else self.distance * METRES_PER[self.unit]


def shape_id(position: int) -> str:
    """The id of the shape at `position` (0-based) in a view: "D1" for the first."""
    return f"D{position + 1}"


def shape_ids(shapes: Iterable[Shape]) -> list[str]:
    return [shape_id(position) for position, _ in enumerate(shapes)]


def shape_label(shapes: tuple[Shape, ...], position: int) -> str:
    """How a shape is named on the page: its name, else "Drawn polygon D2"."""
    shape = shapes[position]
    if shape.name:
        return shape.name
    return Message("Drawn {kind} {id}", kind=Message(KIND_WORDS[shape.kind]), id=shape_id(position))


# --- the link ---------------------------------------------------------------------------------


def _number(value: float) -> str:
    text = f"{value:.{COORDINATE_DIGITS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _distance_text(distance: float, unit: str) -> str:
    return f"{_number(distance)}{unit}"


def _normal_lon(lon: float) -> float:
    return ((lon + 180.0) % 360.0) - 180.0 if not -180.0 <= lon <= 180.0 else lon


def shape_entry(shape: Shape) -> str:
    """One shape in the link's form (module docstring)."""
    letter = KIND_LETTERS[shape.kind]
    if shape.kind == "buffer":
        return f"w_{shape.source}_{_distance_text(shape.distance, shape.unit)}"
    numbers = [
        text
        for lat, lon in shape.points
        for text in (_number(lat), _number(_normal_lon(round(lon, COORDINATE_DIGITS))))
    ]
    if shape.kind == "circle":
        numbers.append(_distance_text(shape.distance, shape.unit))
    return "_".join([letter, *numbers])


def shapes_param(shapes: Iterable[Shape]) -> tuple[str | None, str | None]:
    """The view's shapes as the link's (`shapes`, `shape_names`) values; None when empty."""
    shapes = list(shapes)
    if not shapes:
        return None, None
    entries = "~".join(shape_entry(shape) for shape in shapes)
    names = None
    if any(shape.name for shape in shapes):
        # Only "%" and "~" are escaped here: the URL encodes the rest once (escaping it all
        # here too made every Japanese character nine characters in the link).
        names = "~".join(shape.name.replace("%", "%25").replace("~", "%7E") for shape in shapes)
    return entries, names


def rounded(shape: Shape) -> Shape:
    """The shape as the link keeps it: coordinates to COORDINATE_DIGITS decimals (about
    11 m), so the session's shape and the link's are the same shape."""
    # The first vertex's lon in −180…180 (the map's Pacific frame gives 200 for 160°W), the
    # others moved with it: the link writes it so, and reading the link gives it back.
    shift = 360.0 * math.floor((shape.points[0][1] + 180.0) / 360.0) if shape.points else 0.0
    points = tuple(
        (round(lat, COORDINATE_DIGITS), round(lon - shift, COORDINATE_DIGITS))
        for lat, lon in shape.points
    )
    distance = None if shape.distance is None else round(shape.distance, COORDINATE_DIGITS)
    return replace(shape, points=points, distance=distance)


def link_length(shapes: Iterable[Shape]) -> int:
    """The characters the shapes take in a link, both parameters as the URL writes them."""
    entries, names = shapes_param(shapes)
    return len(quote_plus(entries or "", safe="")) + len(quote_plus(names or "", safe=""))


class ShapeError(ValueError):
    """A shape entry that cannot be read; the message says why, in words for the analyst (a
    Message: shown in the reader's language with `why`)."""


def why(error: Exception) -> str:
    """What an error says, kept a Message when it is one (shown in the reader's language)."""
    return error.args[0] if error.args and isinstance(error.args[0], str) else str(error)


class Joined(Message):
    """Lines joined by `separator`, each shown in the reader's language."""

    def __new__(cls, separator: str, parts: list) -> Joined:
        made = str.__new__(cls, separator.join(str(part) for part in parts))
        made.template = separator
        made.arguments = {}
        made.parts = list(parts)
        made.separator = separator
        return made

    def localized(self) -> str:
        return self.separator.join(localized(part) for part in self.parts)

    def __reduce__(self):
        return (Joined, (self.separator, self.parts))


def _float(text: str, what: str) -> float:
    if not _NUMBER.match(text):
        raise ShapeError(Message("{what} {text} is not a number", what=what, text=_shown(text)))
    value = float(text)
    if not math.isfinite(value):
        raise ShapeError(Message("{what} {text} is not a number", what=what, text=_shown(text)))
    return value


def _lat(text: str) -> float:
    value = _float(text, Message("latitude"))
    if not -85.0 <= value <= 85.0:
        raise ShapeError(
            Message("latitude {text} is outside −85…85 (the map's reach)", text=_shown(text))
        )
    return value


def _lon(text: str) -> float:
    value = _float(text, Message("longitude"))
    if not -180.0 <= value <= 180.0:
        raise ShapeError(Message("longitude {text} is outside −180…180", text=_shown(text)))
    return value


def _distance(text: str) -> tuple[float, str]:
    match = _DISTANCE.match(text)
    if not match:
        raise ShapeError(
            Message(
                "{text} is not a distance with its unit (24nm, 44.4km, 500m)", text=_shown(text)
            )
        )
    value, unit = float(match.group(1)), match.group(2)
    if not 0 < value * METRES_PER[unit] <= MAX_DISTANCE_M:
        raise ShapeError(Message("{text} is not between 0 and 2,000 nm", text=_shown(text)))
    return value, unit


def unwrapped(points: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """The points with each lon moved by 360° to the side nearest the one before, so a shape
    crossing 180° is continuous (its lons run past 180 rather than jumping to −180)."""
    out: list[tuple[float, float]] = []
    for lat, lon in points:
        if out:
            before = out[-1][1]
            lon += 360.0 * round((before - lon) / 360.0)
        out.append((lat, lon))
    return tuple(out)


def _pairs(numbers: list[str]) -> list[tuple[float, float]]:
    if len(numbers) % 2:
        raise ShapeError(Message("its numbers do not pair into latitude and longitude"))
    return [(_lat(numbers[i]), _lon(numbers[i + 1])) for i in range(0, len(numbers), 2)]


def parse_entry(entry: str, known_sources: set[str]) -> Shape:
    """One shape from its link form. Raises ShapeError saying why it cannot be read.
    `known_sources` are the ids a buffer may be drawn round (area ids, earlier shapes)."""
    letter, _, rest = entry.partition("_")
    kind = LETTER_KINDS.get(letter)
    if kind is None:
        raise ShapeError(
            Message(
                "{letter} is not a kind of shape (p polygon, r rectangle, c circle, "
                "l line, w buffer)",
                letter=_shown(letter),
            )
        )
    fields = rest.split("_") if rest else []
    if kind == "buffer":
        if len(fields) < 2:
            raise ShapeError(Message("a buffer is w_<area or shape id>_<distance>"))
        source, distance = "_".join(fields[:-1]), fields[-1]
        if source not in known_sources:
            raise ShapeError(
                Message("{source} is not a named area or an earlier shape", source=_shown(source))
            )
        value, unit = _distance(distance)
        return Shape("buffer", distance=value, unit=unit, source=source)
    if kind == "circle":
        if len(fields) != 3:
            raise ShapeError(Message("a circle is c_<lat>_<lon>_<radius>"))
        value, unit = _distance(fields[2])
        return Shape("circle", ((_lat(fields[0]), _lon(fields[1])),), distance=value, unit=unit)
    points = _pairs(fields)
    if kind == "rectangle":
        if len(points) != 2:
            raise ShapeError(Message("a rectangle is r_<south>_<west>_<north>_<east>"))
        (south, west), (north, east) = points
        if east < west:
            east += 360.0  # across 180°
        if not (south < north and west < east):
            raise ShapeError(
                Message("its south is not below its north, or its west equals its east")
            )
        if east - west > 180.0:
            raise ShapeError(
                Message(
                    "it is {width}° wide, more than 180°: are its west and east swapped?",
                    width=format(east - west, ".4f"),
                )
            )
        return Shape("rectangle", ((south, west), (north, east)))
    if kind == "polygon":
        points = _distinct(points)
        if len(points) < 3:
            raise ShapeError(Message("a polygon needs 3 different vertices or more"))
        return Shape("polygon", unwrapped(points))
    points = _distinct(points)
    if len(points) < 2:
        raise ShapeError(Message("a line needs 2 different vertices or more"))
    return Shape("line", unwrapped(points))


def _distinct(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points without one repeating the one before it (and a ring's closing repeat)."""
    out = [point for i, point in enumerate(points) if i == 0 or point != points[i - 1]]
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def shapes_from_param(
    entries: str | None, names: str | None, area_ids: Iterable[str] = ()
) -> tuple[tuple[Shape, ...], list[str]]:
    """Read the link's `shapes` and `shape_names` values (module docstring). Returns the shapes
    and one warning per entry left out (naming it and why). Never raises."""
    if not entries:
        ignored = Message("Link parameter 'shape_names' ignored: no shapes= to name")
        return (), ([ignored] if names else [])
    warnings: list[str] = []
    if len(entries) > MAX_SHAPES_LENGTH:
        return (), [
            Message(
                "Link parameter 'shapes' ignored: {length} characters, more than a view's "
                "shapes may take ({limit})",
                length=format(len(entries), ","),
                limit=format(MAX_SHAPES_LENGTH, ","),
            )
        ]
    parts = entries.split("~")
    if len(parts) > MAX_SHAPES:
        warnings.append(
            Message(
                "Link parameter 'shapes': {count} shapes, more than a view holds "
                "({limit}); the first {limit} are kept",
                count=len(parts),
                limit=MAX_SHAPES,
            )
        )
        parts = parts[:MAX_SHAPES]
    name_list = _names(names, len(parts), warnings)
    known = set(area_ids)
    shapes: list[Shape] = []
    # A buffer names its source by id: the ids of the entries read so far, in order.
    positions: dict[int, int] = {}
    left_out: list[str] = []
    for number, entry in enumerate(parts, start=1):
        sources = known | {f"D{n}" for n in positions}
        try:
            shape = parse_entry(entry, sources)
            if shape.source and SHAPE_ID.match(shape.source):
                # The entry numbers of the link become the kept shapes' ids.
                old = int(SHAPE_ID.match(shape.source).group(1))
                if old not in positions:
                    raise ShapeError(
                        Message("{source} is not an earlier shape", source=shape.source)
                    )
                shape = replace(shape, source=shape_id(positions[old]))
            problem = shape_problem(shape)
            if problem:
                raise ShapeError(problem)
        except ShapeError as error:
            left_out.append(
                Message(
                    "shape {number} ({entry}): {error}",
                    number=number,
                    entry=_shown(entry),
                    error=why(error),
                )
            )
            continue
        positions[number] = len(shapes)
        shapes.append(replace(shape, name=name_list[number - 1]))
    if left_out:
        # One line for the parameter, as every other parameter gets: the first few entries
        # named with why, the count of the rest.
        shown = Joined("; ", left_out[:_MAX_LEFT_OUT_SHOWN])
        more = len(left_out) - _MAX_LEFT_OUT_SHOWN
        if more > 0:
            warnings.append(
                Message(
                    "Link parameter 'shapes': left out {shown}; and {more} more",
                    shown=shown,
                    more=more,
                )
            )
        else:
            warnings.append(Message("Link parameter 'shapes': left out {shown}", shown=shown))
    return tuple(shapes), warnings


def _names(names: str | None, count: int, warnings: list[str]) -> list[str]:
    if not names:
        return [""] * count
    values = [unquote(value) for value in names.split("~")]
    cleaned = [_clean_name(value) for value in values]
    if len(values) > count:
        warnings.append(
            Message(
                "Link parameter 'shape_names': {names} names for {count} shapes; "
                "the last {extra} are left out",
                names=len(values),
                count=count,
                extra=len(values) - count,
            )
        )
    return (cleaned + [""] * count)[:count]


def _clean_name(name: str) -> str:
    """A shape's name as kept: no control characters, NUL or lone surrogates (they cannot be
    stored or shown), at most MAX_NAME_LENGTH characters."""
    text = "".join(
        char
        for char in name
        if char.isprintable() or char == " "
        if not 0xD800 <= ord(char) <= 0xDFFF
    )
    return text.strip()[:MAX_NAME_LENGTH]


def shape_problem(shape: Shape) -> str | None:
    """What makes a shape unusable as a zone, in words, or None. Self-crossing polygons are
    found by layers.analysis.drawn (it needs the geometry); this checks what the link can."""
    if shape.kind in ("polygon", "line"):
        lons = [lon for _, lon in shape.points]
        if max(lons) - min(lons) >= 360.0:
            return Message("it goes round the whole Earth")
    return None


def _shown(text: str) -> str:
    text = str(text)
    return repr(text if len(text) <= _MAX_ENTRY_SHOWN else text[:_MAX_ENTRY_SHOWN] + "…")


# --- the drawing tool -------------------------------------------------------------------------


def _feature_kind(feature: Mapping) -> str | None:
    geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
    properties = feature.get("properties") if isinstance(feature, Mapping) else None
    properties = properties if isinstance(properties, Mapping) else {}
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind == "Point" and properties.get("radius") is not None:
        return "circle"
    if kind == "LineString":
        return "line"
    if kind == "Polygon":
        return "rectangle" if properties.get("kind") == "rectangle" else "polygon"
    return None


def _feature_points(geometry: Mapping, kind: str) -> list[tuple[float, float]]:
    coordinates = geometry.get("coordinates")
    if kind == "circle":
        coordinates = [coordinates]
    elif kind in ("polygon", "rectangle"):
        if not isinstance(coordinates, list) or not coordinates:
            raise ShapeError(Message("its ring is missing"))
        coordinates = coordinates[0]
    if not isinstance(coordinates, list):
        raise ShapeError(Message("its coordinates are not a list"))
    points = []
    for position in coordinates:
        if not (
            isinstance(position, list | tuple)
            and len(position) >= 2
            and all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in position[:2]
            )
        ):
            raise ShapeError(Message("a position is not two numbers"))
        lon, lat = float(position[0]), float(position[1])
        if not -85.0 <= lat <= 85.0:
            raise ShapeError(Message("latitude {lat} is outside −85…85", lat=format(lat, ".4f")))
        points.append((lat, lon))
    return points


def shape_from_feature(feature: Mapping, name: str = "") -> Shape:
    """A shape from one GeoJSON feature the drawing tool gave (lon/lat; a circle is a Point
    with properties.radius in metres, the convention of Leaflet.draw and st_folium; a
    rectangle a Polygon with properties.kind "rectangle"). Raises ShapeError saying why not.
    Coordinates are rounded as the link keeps them (`rounded`)."""
    kind = _feature_kind(feature)
    if kind is None:
        raise ShapeError(Message("it is not a polygon, rectangle, circle or line"))
    points = _feature_points(feature["geometry"], kind)
    if kind == "circle":
        radius = feature["properties"].get("radius")
        if isinstance(radius, bool) or not isinstance(radius, int | float):
            raise ShapeError(Message("its radius is not a number"))
        if not 0 < radius <= MAX_DISTANCE_M:
            raise ShapeError(Message("its radius is not between 0 and 2,000 nm"))
        return rounded(Shape("circle", (points[0],), distance=round(radius), unit="m", name=name))
    if kind == "rectangle":
        lats = [lat for lat, _ in points]
        lons = [lon for _, lon in points]
        box = ((min(lats), min(lons)), (max(lats), max(lons)))
        if box[0][0] == box[1][0] or box[0][1] == box[1][1]:
            raise ShapeError(Message("it has no width or no height"))
        return rounded(Shape("rectangle", box, name=name))
    points = _distinct([(round(lat, 4), round(lon, 4)) for lat, lon in points])
    if kind == "polygon" and len(points) < 3:
        raise ShapeError(Message("a polygon needs 3 different vertices or more"))
    if kind == "line" and len(points) < 2:
        raise ShapeError(Message("a line needs 2 different vertices or more"))
    shape = rounded(Shape(kind, unwrapped(points), name=name))
    problem = shape_problem(shape)
    if problem:
        raise ShapeError(problem)
    return shape


def feature_shape_id(feature: object) -> str | None:
    """The id of the view's shape a drawn feature is ("D2"), or None for one drawn anew."""
    properties = feature.get("properties") if isinstance(feature, Mapping) else None
    value = properties.get("id") if isinstance(properties, Mapping) else None
    return value if isinstance(value, str) and SHAPE_ID.match(value) else None


@dataclass(frozen=True)
class DrawnUpdate:
    """What the drawing tool's features make of the view's shapes: the new shapes, where each
    old id went (None: deleted), and one line per feature or buffer that could not be kept."""

    shapes: tuple[Shape, ...]
    moved: dict[str, str | None]
    problems: tuple[str, ...]


def shapes_from_drawings(features: object, shapes: tuple[Shape, ...]) -> DrawnUpdate:
    """The view's shapes after the drawing tool's report (`features`: st_folium's
    all_drawings, every shape on the map's drawing layer). A feature with a shape's id is that
    shape, edited or not (its name kept); one without an id is a new shape, added at the end;
    a drawn shape no feature names was deleted. Buffers are not on the drawing layer: they
    stay, unless what they were drawn round is gone. A shape that cannot be kept is left out
    with a line (why), the others kept. Never raises."""
    features = features if isinstance(features, list) else []
    by_id: dict[str, object] = {}
    fresh: list[object] = []
    for feature in features:
        identifier = feature_shape_id(feature)
        if identifier and identifier not in by_id:
            by_id[identifier] = feature
        else:
            fresh.append(feature)
    problems: list[str] = []
    kept: list[tuple[str | None, Shape]] = []
    for position, shape in enumerate(shapes):
        identifier = shape_id(position)
        if shape.kind == "buffer":
            kept.append((identifier, shape))
            continue
        feature = by_id.get(identifier)
        if feature is None:
            continue  # deleted with the drawing tool
        try:
            drawn = shape_from_feature(feature, shape.name)
            # The map gives back the shapes it was given (a circle's radius in metres): a
            # shape it did not change keeps its own form (24 nm stays 24 nm), and an edited
            # circle keeps its unit (to 4 decimals: 0.0001 nm is 0.19 m).
            if _same_place(shape, drawn):
                drawn = shape
            elif drawn.kind == "circle" and shape.kind == "circle" and shape.unit != "m":
                value = round(drawn.distance_m / METRES_PER[shape.unit], COORDINATE_DIGITS)
                drawn = replace(drawn, distance=value, unit=shape.unit)
            kept.append((identifier, drawn))
        except ShapeError as error:
            problems.append(
                Message(
                    "{shape} was not changed: {error}",
                    shape=shape_label(shapes, position),
                    error=why(error),
                )
            )
            kept.append((identifier, shape))
    for feature in fresh:
        if len(kept) >= MAX_SHAPES:
            problems.append(
                Message("A new shape was not added: a view holds {count} shapes", count=MAX_SHAPES)
            )
            break
        try:
            kept.append((None, shape_from_feature(feature)))
        except ShapeError as error:
            problems.append(Message("A new shape was not added: {error}", error=why(error)))
    return _renumbered(kept, [shape_id(position) for position in range(len(shapes))], problems)


def _same_place(shape: Shape, drawn: Shape) -> bool:
    """Whether a drawn shape is `shape` unchanged: the same kind and vertices as the link keeps
    them, and the same radius to half a metre."""
    if shape.kind != drawn.kind or rounded(shape).points != drawn.points:
        return False
    if shape.distance_m is None or drawn.distance_m is None:
        return shape.distance_m == drawn.distance_m
    return abs(shape.distance_m - drawn.distance_m) < 0.5


def _renumbered(
    kept: list[tuple[str | None, Shape]], old_ids: list[str], problems: list[str]
) -> DrawnUpdate:
    """Give the kept shapes their new ids, point buffers at their sources' new ids, and drop
    the buffers whose source went (said)."""
    moved: dict[str, str | None] = dict.fromkeys(old_ids)
    out: list[Shape] = []
    for old, shape in kept:
        if shape.kind == "buffer" and shape.source and SHAPE_ID.match(shape.source):
            source = moved.get(shape.source)
            if source is None:
                problems.append(
                    Message(
                        "{shape} round {source} was removed with it",
                        shape=shape.name,
                        source=shape.source,
                    )
                    if shape.name
                    else Message("A buffer round {source} was removed with it", source=shape.source)
                )
                continue
            shape = replace(shape, source=source)
        new = shape_id(len(out))
        if old is not None:
            moved[old] = new
        out.append(shape)
    return DrawnUpdate(tuple(out), moved, tuple(problems))


def removed(shapes: tuple[Shape, ...], position: int) -> DrawnUpdate:
    """The shapes without the one at `position` (and the buffers drawn round it)."""
    kept = [(shape_id(i), shape) for i, shape in enumerate(shapes) if i != position]
    return _renumbered(kept, shape_ids(shapes), [])


def renamed(shapes: tuple[Shape, ...], position: int, name: str) -> tuple[Shape, ...]:
    """The shapes with the one at `position` named `name` (cleaned: see `_clean_name`)."""
    out = list(shapes)
    out[position] = replace(out[position], name=_clean_name(name))
    return tuple(out)


def moved_ids(ids: Iterable[str], moved: Mapping[str, str | None]) -> tuple[str, ...]:
    """Area and shape ids (a zones or layers filter) after shapes were renumbered: a shape id
    follows its shape, a deleted shape's id leaves, area ids stay."""
    out = []
    for identifier in ids:
        if identifier in moved:
            if moved[identifier] is not None:
                out.append(moved[identifier])
        else:
            out.append(identifier)
    return tuple(out)


def is_area_id(text: str) -> bool:
    return bool(_AREA_ID.match(text))
