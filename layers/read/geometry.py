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

from layers.read.schema import (
    GEOMETRY_TYPES,
    FeatureError,
    FeatureErrors,
    TooLargeNumber,
    plural,
    show_value,
)
from layers.region import describe_region, far_outside

# What each type's coordinates are, in words, for messages about the wrong nesting.
_COORDINATE_WORDS = {
    "Point": "one [longitude, latitude] position",
    "MultiPoint": "a list of [longitude, latitude] positions",
    "LineString": "a list of [longitude, latitude] positions",
    "MultiLineString": "a list of lines, each a list of [longitude, latitude] positions",
    "Polygon": "a list of rings, each a closed list of [longitude, latitude] positions",
    "MultiPolygon": "a list of polygons, each a list of rings of [longitude, latitude] positions",
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
        raise FeatureError("geometry", "missing: every event needs a place on the map")
    if not isinstance(geometry, dict):
        raise FeatureError("geometry", f"{show_value(geometry)} is not a GeoJSON geometry")
    for key in getattr(geometry, "duplicate_keys", ()):
        raise FeatureError(f"geometry.{key}", "is written more than once; keep one")
    geometry_type = geometry.get("type")
    if geometry_type == "GeometryCollection":
        raise FeatureError(
            "geometry",
            "a GeometryCollection is not taken; use a MultiPoint, MultiLineString "
            "or MultiPolygon, or one feature per shape",
        )
    if geometry_type not in allowed:
        raise FeatureError(
            "geometry", f"type {show_value(geometry_type)} is not one of {', '.join(allowed)}"
        )
    for key in GEOMETRY_FOREIGN_MEMBERS:
        if key in geometry:
            raise FeatureError(
                f"geometry.{key}",
                f'a geometry may not have "{key}" (RFC 7946 §7.1); is the nesting right?',
            )
    if "bbox" in geometry:
        check_bbox(geometry["bbox"], "geometry.bbox")
    if "coordinates" not in geometry or geometry["coordinates"] is None:
        raise FeatureError("geometry", f"the {geometry_type} has no coordinates")
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
    words = "[west, south, east, north] in degrees (RFC 7946 §5)"
    if not isinstance(bbox, list) or len(bbox) not in (4, 6):
        raise FeatureError(field, f"{show_value(bbox)} is not {words}")
    if not all(_is_number(value) and math.isfinite(value) for value in bbox):
        raise FeatureError(field, f"{show_value(bbox)} is not {words}: numbers only")
    half = len(bbox) // 2
    west, south, east, north = bbox[0], bbox[1], bbox[half], bbox[half + 1]
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise FeatureError(
            field,
            f"{show_value(bbox)} is out of range: longitudes −180…180, latitudes −90…90 with "
            "south before north",
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
    where = "position" if len(coordinates) == 1 else "every position, the first"
    message = (
        f"{where} [{x:g}, {y:g}] is far outside the region this map covers ({describe_region()})"
    )
    swapped_inside = bool((np.abs(lon) <= 90).all()) and not far_outside(lat, lon).any()
    if swapped_inside:
        message += (
            f"; read as [latitude, longitude] it would be at {_place(x, y)}, inside it: "
            "lat/lon swapped? GeoJSON is [longitude, latitude]"
        )
    return message + "; still shown"


def _place(lat: float, lon: float) -> str:
    return f"{abs(lat):g}°{'S' if lat < 0 else 'N'} {abs(lon):g}°{'W' if lon < 0 else 'E'}"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _position(value: object, geometry_type: str) -> tuple[float, float]:
    """(lon, lat) of one position; the altitude, if any, is dropped."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        raise FeatureError(
            "geometry",
            f"the {geometry_type}'s coordinates are nested too deeply: they should be "
            f"{_COORDINATE_WORDS[geometry_type]}",
        )
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        raise FeatureError(
            "geometry",
            f"{show_value(value)} is not a [longitude, latitude] position "
            "(or [longitude, latitude, altitude])",
        )
    for number in value:
        if isinstance(number, TooLargeNumber):
            raise FeatureError("geometry", f"{number} is a number too large to be a position")
        if not _is_number(number):
            raise FeatureError(
                "geometry",
                f"{show_value(value)} is not a [longitude, latitude] position: "
                f"{show_value(number)} is not a number",
            )
        if not math.isfinite(number):
            raise FeatureError("geometry", f"{show_value(value)} has a number that is not finite")
    lon, lat = float(value[0]), float(value[1])
    if -180 <= lon <= 180 and -90 <= lat <= 90:
        return lon, lat
    if -90 <= lon <= 90 and -180 <= lat <= 180:
        raise FeatureError(
            "geometry",
            f"[{lon:g}, {lat:g}]: latitude {lat:g} is out of range; are longitude and latitude "
            "swapped? GeoJSON is [longitude, latitude]",
        )
    raise FeatureError(
        "geometry",
        f"[{lon:g}, {lat:g}] is out of range (longitude −180…180, latitude −90…90)",
    )


def _positions(value: object, geometry_type: str, what: str) -> list[tuple[float, float]]:
    """A list of positions; `what` names the part in messages ("line 2 of the …")."""
    if not isinstance(value, list) or (value and not isinstance(value[0], list)):
        raise FeatureError(
            "geometry",
            f"the {geometry_type}'s coordinates are not {_COORDINATE_WORDS[geometry_type]}",
        )
    if value and value[0] and isinstance(value[0][0], list) and geometry_type != "Point":
        raise FeatureError(
            "geometry",
            f"the {geometry_type}'s coordinates are nested too deeply: they should be "
            f"{_COORDINATE_WORDS[geometry_type]}",
        )
    if not value:
        raise FeatureError("geometry", f"{what} is empty")
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
            f"the {geometry_type}'s coordinates are not {_COORDINATE_WORDS[geometry_type]}",
        )
    if not value:
        raise FeatureError("geometry", f"the {geometry_type} has no coordinates")
    return value


def _line(value: object, geometry_type: str, what: str) -> list[tuple[float, float]]:
    positions = _positions(value, geometry_type, what)
    if len(set(positions)) < 2:
        raise FeatureError(
            "geometry",
            f"{what} needs at least 2 different positions; it has {len(set(positions))}",
        )
    _check_antimeridian(positions, what)
    return positions


def _ring(value: object, geometry_type: str, what: str) -> list[tuple[float, float]]:
    positions = _positions(value, geometry_type, what)
    if len(positions) < 4:
        raise FeatureError(
            "geometry",
            f"{what} has {plural(len(positions), 'position')}; a ring needs at least 4, the "
            "last the same as the first",
        )
    if positions[0] != positions[-1]:
        raise FeatureError(
            "geometry",
            f"{what} is not closed: its last position {_pair(positions[-1])} should repeat the "
            f"first {_pair(positions[0])}",
        )
    _check_antimeridian(positions, what)
    return positions


def _pair(position: tuple[float, float]) -> str:
    return f"[{position[0]:g}, {position[1]:g}]"


def _polygon_rings(value: object, geometry_type: str, prefix: str) -> list:
    rings = _parts(value, geometry_type)
    return [
        _ring(ring, geometry_type, f"{prefix}ring {number} of the {geometry_type}")
        for number, ring in enumerate(rings, start=1)
    ]


def _build_point(value: object, geometry_type: str):
    return shapely.Point(_position(value, geometry_type))


def _build_multipoint(value: object, geometry_type: str):
    return shapely.MultiPoint(_positions(value, geometry_type, f"the {geometry_type}"))


def _build_linestring(value: object, geometry_type: str):
    return shapely.LineString(_line(value, geometry_type, f"the {geometry_type}"))


def _build_multilinestring(value: object, geometry_type: str):
    parts = _parts(value, geometry_type)
    return shapely.MultiLineString(
        [
            _line(part, geometry_type, f"line {number} of the {geometry_type}")
            for number, part in enumerate(parts, start=1)
        ]
    )


def _build_polygon(value: object, geometry_type: str):
    rings = _polygon_rings(value, geometry_type, "")
    return shapely.Polygon(rings[0], rings[1:])


def _build_multipolygon(value: object, geometry_type: str):
    polygons = _parts(value, geometry_type)
    built = []
    for number, polygon in enumerate(polygons, start=1):
        if polygon == []:
            raise FeatureError("geometry", f"polygon {number} of the {geometry_type} is empty")
        rings = _polygon_rings(polygon, geometry_type, f"polygon {number}: ")
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
                f"{what}: the segment from {before[0]:g}° to {after[0]:g}° longitude crosses "
                "180°; cut it there into a Multi geometry (RFC 7946 §3.1.9)",
            )


# GEOS's reasons for an invalid polygon (shapely.is_valid_reason), in an analyst's words.
_INVALID_POLYGON_WORDS = {
    "Self-intersection": "its edges cross each other",
    "Ring Self-intersection": "a ring touches or crosses itself",
    "Hole lies outside shell": "a hole (ring 2 or later) lies outside the outer ring",
    "Holes are nested": "a hole lies inside another hole",
    "Interior is disconnected": "its holes cut it into pieces",
    "Nested shells": "one polygon lies inside another; make the inner one a hole",
    "Duplicate Rings": "a ring is given twice",
    "Too few points": "a ring has fewer than 3 different positions",
    "Invalid Coordinate": "a position is not a number",
    "Ring is not closed": "a ring is not closed",
}


def _invalid_polygon_words(geometry, geometry_type: str) -> str:
    reason = shapely.is_valid_reason(geometry) or ""
    match = re.match(r"^([A-Za-z -]+?)\s*\[([-\d.e]+) ([-\d.e]+)\]", reason)
    name = match.group(1) if match else reason
    words = next(
        (words for key, words in _INVALID_POLYGON_WORDS.items() if name.startswith(key)),
        "its rings do not make a valid area",
    )
    where = ""
    if match:
        where = f" near [{float(match.group(2)):.4g}, {float(match.group(3)):.4g}]"
    return f"the {geometry_type} is not a valid area: {words}{where}"


def _orient(geometry):
    if geometry.geom_type == "Polygon":
        return orient(geometry, 1.0)
    return shapely.MultiPolygon([orient(part, 1.0) for part in geometry.geoms])
