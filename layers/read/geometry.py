"""GeoJSON geometry objects (RFC 7946 §3.1) to shapely geometries, checked in an analyst's words.

Every rule is checked on the JSON itself before shapely sees it, so that a bad geometry is
explained ("ring 1 of the Polygon is not closed") instead of surfacing as a GEOS or numpy
error. What is accepted, and what is refused (RFC 7946 sections in brackets):

- positions are [longitude, latitude] or [longitude, latitude, altitude] (§3.1.1); a geometry
  may mix the two, and the altitude is dropped (the map is flat);
- a LineString needs two distinct positions (§3.1.4); a Polygon's rings need four or more
  positions with the last equal to the first (§3.1.6): a ring that is not closed is refused,
  never closed silently, since the missing edge may not be the one the writer meant;
- Multi* geometries may not have empty parts; GeometryCollection is not taken;
- a line or ring may not jump across 180° (§3.1.9 asks writers to cut it there); edges that run
  along ±180° and rings that reach a pole or span every longitude (a cap cut the RFC's way) are
  accepted;
- `bbox` (§5) is 2×dimension numbers, in range, south before north (west may exceed east
  across 180°);
- a geometry may not carry `features`, `geometry` or `properties` (§7.1).
"""

from __future__ import annotations

import math
import re

import numpy as np
import shapely
from shapely.geometry.polygon import orient

from layers.i18n import N_, Message
from layers.read.schema import (
    GEOMETRY_TYPES,
    FeatureError,
    FeatureErrors,
    TooLargeNumber,
    show_value,
)
from layers.region import describe_region, far_outside

# What each type's coordinates are, in words, for messages about the wrong nesting.
_COORDINATE_WORDS = {
    "Point": N_("one [longitude, latitude] position"),
    "MultiPoint": N_("a list of [longitude, latitude] positions"),
    "LineString": N_("a list of [longitude, latitude] positions"),
    "MultiLineString": N_("a list of lines, each a list of [longitude, latitude] positions"),
    "Polygon": N_("a list of rings, each a closed list of [longitude, latitude] positions"),
    "MultiPolygon": N_(
        "a list of polygons, each a list of rings of [longitude, latitude] positions"
    ),
}
# Members that belong to other GeoJSON objects (RFC 7946 §7.1).
GEOMETRY_FOREIGN_MEMBERS = ("features", "geometry", "properties")


def parse_json_int(text: str) -> int | TooLargeNumber:
    """`json.loads`'s parse_int: an int, or TooLargeNumber when no float can hold it.

    Python refuses to parse integers of over 4,300 digits at all (a ValueError that would lose
    the whole file); such a number is kept as a marker so only its feature is refused.
    """
    if len(text) > 320:
        return TooLargeNumber(text)
    value = int(text)
    try:
        float(value)
    except OverflowError:
        return TooLargeNumber(text)
    return value


def parse_geometry(geometry: object, allowed: tuple[str, ...] = GEOMETRY_TYPES):
    """A 2D shapely geometry (lon, lat in degrees, WGS84) from a GeoJSON geometry object.

    Polygons come back with counter-clockwise outer rings (RFC 7946 §3.1.6 asks writers for
    that and readers not to refuse the other winding). Raises FeatureError naming "geometry"
    (or "geometry.bbox", "geometry.properties", …) with the reason in plain words.
    """
    if geometry is None:
        raise FeatureError("geometry", Message("missing: every event needs a place on the map"))
    if not isinstance(geometry, dict):
        raise FeatureError(
            "geometry", Message("{value} is not a GeoJSON geometry", value=show_value(geometry))
        )
    for key in getattr(geometry, "duplicate_keys", ()):
        raise FeatureError(f"geometry.{key}", Message("is written more than once; keep one"))
    geometry_type = geometry.get("type")
    if geometry_type == "GeometryCollection":
        raise FeatureError(
            "geometry",
            Message(
                "a GeometryCollection is not taken; use a MultiPoint, MultiLineString "
                "or MultiPolygon, or one feature per shape"
            ),
        )
    if geometry_type not in allowed:
        raise FeatureError(
            "geometry",
            Message(
                "type {type} is not one of {types}",
                type=show_value(geometry_type),
                types=", ".join(allowed),
            ),
        )
    for key in GEOMETRY_FOREIGN_MEMBERS:
        if key in geometry:
            raise FeatureError(
                f"geometry.{key}",
                Message(
                    'a geometry may not have "{key}" (RFC 7946 §7.1); is the nesting right?',
                    key=key,
                ),
            )
    if "bbox" in geometry:
        check_bbox(geometry["bbox"], "geometry.bbox")
    if "coordinates" not in geometry or geometry["coordinates"] is None:
        raise FeatureError("geometry", Message("the {type} has no coordinates", type=geometry_type))
    built = _BUILDERS[geometry_type](geometry["coordinates"], geometry_type)
    if geometry_type in ("Polygon", "MultiPolygon"):
        if not built.is_valid:
            raise FeatureError("geometry", _invalid_polygon_words(built, geometry_type))
        built = _orient(built)
    return built


def check_bbox(bbox: object, field: str) -> None:
    """Raise FeatureError(field) unless `bbox` is an RFC 7946 §5 bounding box.

    [west, south, east, north] or [west, south, low, east, north, high], in degrees; west may
    be greater than east for a box across 180° (§5.2).
    """
    if not isinstance(bbox, list) or len(bbox) not in (4, 6):
        raise FeatureError(
            field,
            Message(
                "{value} is not [west, south, east, north] in degrees (RFC 7946 §5)",
                value=show_value(bbox),
            ),
        )
    if not all(_is_number(value) and math.isfinite(value) for value in bbox):
        raise FeatureError(
            field,
            Message(
                "{value} is not [west, south, east, north] in degrees (RFC 7946 §5): numbers only",
                value=show_value(bbox),
            ),
        )
    half = len(bbox) // 2
    west, south, east, north = bbox[0], bbox[1], bbox[half], bbox[half + 1]
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise FeatureError(
            field,
            Message(
                "{value} is out of range: longitudes −180…180, latitudes −90…90 with "
                "south before north",
                value=show_value(bbox),
            ),
        )


def region_warning(geometry) -> str | None:
    """A warning when the whole geometry lies far outside the map's region, or None.

    A route that starts far away and reaches the region (a deployment from Europe) is not
    warned about. When reading the positions as [latitude, longitude] would put them all inside
    the region, the warning asks "lat/lon swapped?". The region is `layers.region.MAP_REGION`.
    """
    coordinates = shapely.get_coordinates(geometry)
    if not len(coordinates):
        return None
    lon, lat = coordinates[:, 0], coordinates[:, 1]
    if not far_outside(lon, lat).all():
        return None
    x, y = float(lon[0]), float(lat[0])
    position = f"[{x:g}, {y:g}]"
    message = (
        Message(
            "position {position} is far outside the region this map covers ({region})",
            position=position,
            region=describe_region(),
        )
        if len(coordinates) == 1
        else Message(
            "every position, the first {position}, is far outside the region this map covers "
            "({region})",
            position=position,
            region=describe_region(),
        )
    )
    swapped_inside = bool((np.abs(lon) <= 90).all()) and not far_outside(lat, lon).any()
    if swapped_inside:
        message = Message(
            "{message}; read as [latitude, longitude] it would be at {place}, inside it: "
            "lat/lon swapped? GeoJSON is [longitude, latitude]",
            message=message,
            place=_place(x, y),
        )
    return Message("{message}; still shown", message=message)


def _place(lat: float, lon: float) -> str:
    return f"{abs(lat):g}°{'S' if lat < 0 else 'N'} {abs(lon):g}°{'W' if lon < 0 else 'E'}"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _position(value: object, geometry_type: str) -> tuple[float, float]:
    """(lon, lat) of one position; the altitude, if any, is dropped."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        raise FeatureError(
            "geometry",
            Message(
                "the {type}'s coordinates are nested too deeply: they should be {words}",
                type=geometry_type,
                words=Message(_COORDINATE_WORDS[geometry_type]),
            ),
        )
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        raise FeatureError(
            "geometry",
            Message(
                "{value} is not a [longitude, latitude] position "
                "(or [longitude, latitude, altitude])",
                value=show_value(value),
            ),
        )
    for number in value:
        if isinstance(number, TooLargeNumber):
            raise FeatureError(
                "geometry",
                Message("{value} is a number too large to be a position", value=str(number)),
            )
        if not _is_number(number):
            raise FeatureError(
                "geometry",
                Message(
                    "{value} is not a [longitude, latitude] position: {item} is not a number",
                    value=show_value(value),
                    item=show_value(number),
                ),
            )
        if not math.isfinite(number):
            raise FeatureError(
                "geometry",
                Message("{value} has a number that is not finite", value=show_value(value)),
            )
    lon, lat = float(value[0]), float(value[1])
    if -180 <= lon <= 180 and -90 <= lat <= 90:
        return lon, lat
    if -90 <= lon <= 90 and -180 <= lat <= 180:
        raise FeatureError(
            "geometry",
            Message(
                "{position}: latitude {latitude} is out of range; are longitude and latitude "
                "swapped? GeoJSON is [longitude, latitude]",
                position=_pair((lon, lat)),
                latitude=format(lat, "g"),
            ),
        )
    raise FeatureError(
        "geometry",
        Message(
            "{position} is out of range (longitude −180…180, latitude −90…90)",
            position=_pair((lon, lat)),
        ),
    )


def _positions(value: object, geometry_type: str, what: str) -> list[tuple[float, float]]:
    """A list of positions; `what` names the part in messages ("line 2 of the …")."""
    if not isinstance(value, list) or (value and not isinstance(value[0], list)):
        raise FeatureError(
            "geometry",
            Message(
                "the {type}'s coordinates are not {words}",
                type=geometry_type,
                words=Message(_COORDINATE_WORDS[geometry_type]),
            ),
        )
    if value and value[0] and isinstance(value[0][0], list) and geometry_type != "Point":
        raise FeatureError(
            "geometry",
            Message(
                "the {type}'s coordinates are nested too deeply: they should be {words}",
                type=geometry_type,
                words=Message(_COORDINATE_WORDS[geometry_type]),
            ),
        )
    if not value:
        raise FeatureError("geometry", Message("{what} is empty", what=what))
    positions, errors = [], []
    for item in value:
        try:
            positions.append(_position(item, geometry_type))
        except FeatureError as error:
            errors.append(error)
    if errors:
        # Every bad position at once (up to five), so a file is fixed in one round.
        raise FeatureErrors(errors[:5]) if len(errors) > 1 else errors[0]
    return positions


def _parts(value: object, geometry_type: str) -> list:
    if not isinstance(value, list) or any(not isinstance(item, list) for item in value):
        raise FeatureError(
            "geometry",
            Message(
                "the {type}'s coordinates are not {words}",
                type=geometry_type,
                words=Message(_COORDINATE_WORDS[geometry_type]),
            ),
        )
    if not value:
        raise FeatureError("geometry", Message("the {type} has no coordinates", type=geometry_type))
    return value


def _line(value: object, geometry_type: str, what: str) -> list[tuple[float, float]]:
    positions = _positions(value, geometry_type, what)
    if len(set(positions)) < 2:
        raise FeatureError(
            "geometry",
            Message(
                "{what} needs at least 2 different positions; it has {count}",
                what=what,
                count=str(len(set(positions))),
            ),
        )
    _check_antimeridian(positions, what)
    return positions


def _ring(value: object, geometry_type: str, what: str) -> list[tuple[float, float]]:
    positions = _positions(value, geometry_type, what)
    if len(positions) < 4:
        raise FeatureError(
            "geometry",
            Message(
                "{what} has {positions}; a ring needs at least 4, the last the same as the first",
                what=what,
                positions=_positions_words(len(positions)),
            ),
        )
    if positions[0] != positions[-1]:
        raise FeatureError(
            "geometry",
            Message(
                "{what} is not closed: its last position {last} should repeat the first {first}",
                what=what,
                last=_pair(positions[-1]),
                first=_pair(positions[0]),
            ),
        )
    _check_antimeridian(positions, what)
    return positions


def _positions_words(count: int) -> str:
    """ "1 position", "3 positions", as a Message."""
    if count == 1:
        return Message("{count} position", count=format(count, ","))
    return Message("{count} positions", count=format(count, ","))


def _pair(position: tuple[float, float]) -> str:
    return f"[{position[0]:g}, {position[1]:g}]"


def _polygon_rings(value: object, geometry_type: str, prefix: int | None) -> list:
    rings = _parts(value, geometry_type)
    return [
        _ring(ring, geometry_type, _ring_words(prefix, number, geometry_type))
        for number, ring in enumerate(rings, start=1)
    ]


def _ring_words(polygon: int | None, number: int, geometry_type: str) -> str:
    """How a message names a ring: "ring 2 of the Polygon", "polygon 3: ring 1 of the …"."""
    if polygon is None:
        return Message("ring {number} of the {type}", number=str(number), type=geometry_type)
    return Message(
        "polygon {polygon}: ring {number} of the {type}",
        polygon=str(polygon),
        number=str(number),
        type=geometry_type,
    )


def _the(geometry_type: str) -> str:
    return Message("the {type}", type=geometry_type)


def _build_point(value: object, geometry_type: str):
    return shapely.Point(_position(value, geometry_type))


def _build_multipoint(value: object, geometry_type: str):
    return shapely.MultiPoint(_positions(value, geometry_type, _the(geometry_type)))


def _build_linestring(value: object, geometry_type: str):
    return shapely.LineString(_line(value, geometry_type, _the(geometry_type)))


def _build_multilinestring(value: object, geometry_type: str):
    parts = _parts(value, geometry_type)
    return shapely.MultiLineString(
        [
            _line(
                part,
                geometry_type,
                Message("line {number} of the {type}", number=str(number), type=geometry_type),
            )
            for number, part in enumerate(parts, start=1)
        ]
    )


def _build_polygon(value: object, geometry_type: str):
    rings = _polygon_rings(value, geometry_type, None)
    return shapely.Polygon(rings[0], rings[1:])


def _build_multipolygon(value: object, geometry_type: str):
    polygons = _parts(value, geometry_type)
    built = []
    for number, polygon in enumerate(polygons, start=1):
        if polygon == []:
            raise FeatureError(
                "geometry",
                Message(
                    "polygon {number} of the {type} is empty",
                    number=str(number),
                    type=geometry_type,
                ),
            )
        rings = _polygon_rings(polygon, geometry_type, number)
        built.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(built)


_BUILDERS = {
    "Point": _build_point,
    "MultiPoint": _build_multipoint,
    "LineString": _build_linestring,
    "MultiLineString": _build_multilinestring,
    "Polygon": _build_polygon,
    "MultiPolygon": _build_multipolygon,
}


def _check_antimeridian(positions: list[tuple[float, float]], what: str) -> None:
    """Refuse a segment that jumps across 180° instead of being cut there (RFC 7946 §3.1.9).

    A segment between two positions on ±180° is an edge along the cut (a cap around a pole
    spans every longitude that way) and is accepted.
    """
    for before, after in zip(positions, positions[1:], strict=False):
        if abs(after[0] - before[0]) > 180 and not (abs(before[0]) == 180 and abs(after[0]) == 180):
            raise FeatureError(
                "geometry",
                Message(
                    "{what}: the segment from {west}° to {east}° longitude crosses 180°; cut it "
                    "there into a Multi geometry (RFC 7946 §3.1.9)",
                    what=what,
                    west=format(before[0], "g"),
                    east=format(after[0], "g"),
                ),
            )


# GEOS's reasons for an invalid polygon (shapely.is_valid_reason), in an analyst's words.
_INVALID_POLYGON_WORDS = {
    "Self-intersection": N_("its edges cross each other"),
    "Ring Self-intersection": N_("a ring touches or crosses itself"),
    "Hole lies outside shell": N_("a hole (ring 2 or later) lies outside the outer ring"),
    "Holes are nested": N_("a hole lies inside another hole"),
    "Interior is disconnected": N_("its holes cut it into pieces"),
    "Nested shells": N_("one polygon lies inside another; make the inner one a hole"),
    "Duplicate Rings": N_("a ring is given twice"),
    "Too few points": N_("a ring has fewer than 3 different positions"),
    "Invalid Coordinate": N_("a position is not a number"),
    "Ring is not closed": N_("a ring is not closed"),
}


def _invalid_polygon_words(geometry, geometry_type: str) -> str:
    reason = shapely.is_valid_reason(geometry) or ""
    match = re.match(r"^([A-Za-z -]+?)\s*\[([-\d.e]+) ([-\d.e]+)\]", reason)
    name = match.group(1) if match else reason
    words = next(
        (words for key, words in _INVALID_POLYGON_WORDS.items() if name.startswith(key)),
        N_("its rings do not make a valid area"),
    )
    if match:
        return Message(
            "the {type} is not a valid area: {words} near {position}",
            type=geometry_type,
            words=Message(words),
            position=f"[{float(match.group(2)):.4g}, {float(match.group(3)):.4g}]",
        )
    return Message(
        "the {type} is not a valid area: {words}", type=geometry_type, words=Message(words)
    )


def _orient(geometry):
    if geometry.geom_type == "Polygon":
        return orient(geometry, 1.0)
    return shapely.MultiPolygon([orient(part, 1.0) for part in geometry.geoms])
