"""What a drawn shape covers on the Earth, what it measures, and the areas it becomes.

Every figure is geodesic, on the WGS 84 ellipsoid (pyproj.Geod, Karney's algorithms,
"Algorithms for geodesics", J. Geodesy 87, 2013), not flat:

- a circle is the points within its radius of the centre (180 vertices from Geod.fwd, one
  every 2°: the chord between two falls short of the true circle by r·(1−cos 1°), 0.015 %);
- a buffer ("within 24 nm of Uotsuri-shima") is the union of geodesic circles round the
  source's vertices and of geodesic bands either side of its edges, densified every 5 km at
  most, so each point of its edge is the breadth from the source within 0.1 %
  (tests/analysis/test_drawn.py checks against Geod.inv);
- a polygon's or line's edges are straight on the map's Web Mercator projection, as Leaflet
  draws them: they are densified along that straight line (every 0.05° at most), so the zone
  is the shape the analyst sees, not a different one between the same vertices;
- a length is the sum of the geodesic distances between the vertices (the shortest way
  between them), with the initial bearing (degrees true) of the first leg; an area and its
  perimeter come from Geod.geometry_area_perimeter.

Shapes keep continuous longitudes (a shape across 180° runs past it); `rfc7946` cuts them at
180° for files and the store, as RFC 7946 §3.1.9 asks.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely import affinity
from shapely.validation import explain_validity

from layers.analysis.zones import continuous
from layers.i18n import Message, _, language, localized
from layers.shapes import (
    MAX_DISTANCE_M,
    METRES_PER,
    Shape,
    ShapeError,
    shape_entry,
    shape_id,
    shape_label,
    why,
)

GEOD = Geod(ellps="WGS84")
CIRCLE_VERTICES = 180
BUFFER_CIRCLE_VERTICES = 180
MERCATOR_STEP_DEGREES = 0.05
MAX_BUFFER_STEP_M = 5_000.0
# More vertices than this in one drawn shape is not a hand-drawn zone: it is refused with a
# line (load it as an area file instead). The link's limit (layers.shapes.MAX_SHAPES_LENGTH)
# is met long before by hand; a pasted or scripted shape meets this.
MAX_VERTICES = 2_000
# The longest a drawn polygon's perimeter or a line may run, km: half the Earth's
# circumference, far beyond the Indo-Pacific's seas (the South China Sea's rim is ~8,000 km).
MAX_EDGES_KM = 20_000
# A buffer's bands are densified every MAX_BUFFER_STEP_M at most, and in at most this many
# steps: a longer source gets longer steps (its edge stays within 0.1 %: the bands' corners
# are exact, and the offset of a geodesic is smooth).
MAX_BUFFER_STEPS = 4_000
# A buffer puts a geodesic circle on a vertex where its source turns by more than this
# (degrees), and on a line's ends: elsewhere the bands meet with a gap of at most
# d·(1 − cos(θ/2)), 0.004 % of the distance at 1°.
CORNER_DEGREES = 1.0
DRAWN_FILE = "drawn on the map"
AREA_KIND = "drawn_area"  # layers.read.schema.AREA_KINDS; a drawn line is a reference_line
_LOCATION = re.compile(r"\[([-0-9.e]+) ([-0-9.e]+)\]")


# --- geometry ---------------------------------------------------------------------------------


def _mercator_y(lat: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _mercator_lat(y: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan(np.sinh(y)))


def mercator_densified(points: list[tuple[float, float]], closed: bool) -> np.ndarray:
    """(lon, lat) vertices with points added along each edge's straight line on Web Mercator
    (what Leaflet draws), at most MERCATOR_STEP_DEGREES apart. `points` are (lat, lon)."""
    pairs = list(points) + ([points[0]] if closed else [])
    out: list[np.ndarray] = []
    for (lat1, lon1), (lat2, lon2) in zip(pairs[:-1], pairs[1:], strict=False):
        steps = max(1, math.ceil(max(abs(lon2 - lon1), abs(lat2 - lat1)) / MERCATOR_STEP_DEGREES))
        t = np.linspace(0.0, 1.0, steps, endpoint=False)
        y1, y2 = _mercator_y(np.array(lat1)), _mercator_y(np.array(lat2))
        # A parallel stays exactly on its latitude, and each edge starts exactly on its vertex:
        # the round trip through Mercator would move them by 1e-15°, enough to make a simple
        # ring "self-intersecting" for GEOS.
        lats = np.full(steps, lat1) if lat1 == lat2 else _mercator_lat(y1 + (y2 - y1) * t)
        lats[0] = lat1
        out.append(np.column_stack([lon1 + (lon2 - lon1) * t, lats]))
    last_lat, last_lon = pairs[-1]
    out.append(np.array([[last_lon, last_lat]]))
    return np.vstack(out)


def geodesic_circle(lon: float, lat: float, radius_m: float, vertices: int = CIRCLE_VERTICES):
    """The polygon of points within `radius_m` (metres) of (lon, lat) on WGS 84: `vertices`
    points from Geod.fwd, counter-clockwise, lons continuous with the centre's."""
    azimuths = np.linspace(360.0, 0.0, vertices, endpoint=False)
    lons, lats, __ = GEOD.fwd(
        np.full(vertices, lon), np.full(vertices, lat), azimuths, np.full(vertices, radius_m)
    )
    lons = _near(lons, np.full(vertices, lon))
    return shapely.Polygon(np.column_stack([lons, lats]))


def rfc7946(geometry):
    """A geometry with continuous longitudes as RFC 7946 wants it (§3.1.9): cut at 180° where
    it crosses, each part's lons within −180…180."""
    if geometry is None or geometry.is_empty:
        return geometry
    west, __, east, __ = geometry.bounds
    shift = 360.0 * math.floor((west + 180.0) / 360.0)
    if shift:
        geometry = affinity.translate(geometry, xoff=-shift)
        west, east = west - shift, east - shift
    if east <= 180.0:
        return geometry
    inside = geometry.intersection(shapely.box(-180.0, -90.0, 180.0, 90.0))
    beyond = affinity.translate(
        geometry.intersection(shapely.box(180.0, -90.0, 540.0, 90.0)), xoff=-360.0
    )
    dimension = 1 if "LineString" in geometry.geom_type else 2
    parts = [
        part
        for piece in (inside, beyond)
        for part in shapely.get_parts(piece)
        if not part.is_empty and shapely.get_dimensions(part) == dimension
    ]
    if dimension == 1:
        return shapely.MultiLineString(parts)
    return shapely.MultiPolygon(parts)


def _coordinate_runs(geometry) -> list[np.ndarray]:
    """The (lon, lat) sequences a buffer is drawn round: rings, lines, single points."""
    runs = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            runs += [np.asarray(ring.coords) for ring in (part.exterior, *part.interiors)]
        elif part.geom_type in ("LineString", "LinearRing", "Point"):
            runs.append(np.asarray(part.coords))
    return runs


def _geodesic_densified(run: np.ndarray, step_m: float) -> np.ndarray:
    out = [run[:1]]
    for (lon1, lat1), (lon2, lat2) in zip(run[:-1], run[1:], strict=False):
        __, __, distance = GEOD.inv(lon1, lat1, lon2, lat2)
        count = int(distance // step_m)
        if count:
            middle = np.array(GEOD.npts(lon1, lat1, lon2, lat2, count))
            middle[:, 0] = _near(middle[:, 0], np.full(len(middle), lon1))
            out.append(middle)
        out.append(np.array([[lon2, lat2]]))
    return np.vstack(out)


def _run_length(run: np.ndarray) -> float:
    if len(run) < 2:
        return 0.0
    __, __, legs = GEOD.inv(run[:-1, 0], run[:-1, 1], run[1:, 0], run[1:, 1])
    return float(np.sum(legs))


def _corners(run: np.ndarray) -> np.ndarray:
    """The vertices of a run where it turns by more than CORNER_DEGREES, its ends (a line's),
    and single points: where a buffer needs a circle. A ring's first vertex is checked against
    its last edge."""
    if len(run) < 3:
        return run
    closed = bool(np.allclose(run[0], run[-1]))
    points = run[:-1] if closed else run
    if len(points) < 3:
        return run
    before = np.roll(points, 1, axis=0)
    after = np.roll(points, -1, axis=0)
    outgoing, __, __ = GEOD.inv(points[:, 0], points[:, 1], after[:, 0], after[:, 1])
    # The direction of travel arriving at a vertex is the forward azimuth there of the edge
    # coming in: the back azimuth of that edge seen from the vertex, turned 180°.
    __, arriving, __ = GEOD.inv(before[:, 0], before[:, 1], points[:, 0], points[:, 1])
    turn = np.abs((outgoing - (arriving + 180.0) + 180.0) % 360.0 - 180.0)
    keep = turn > CORNER_DEGREES
    if not closed:
        keep[0] = keep[-1] = True
    return points[keep]


def geodesic_buffer(geometry, distance_m: float):
    """The points within `distance_m` (metres, geodesic on WGS 84) of `geometry` (lon/lat,
    continuous lons): circles round its vertices, bands either side of its edges (densified
    every MAX_BUFFER_STEP_M at most) and, for a surface, the surface itself."""
    pieces = []
    if shapely.get_dimensions(geometry) == 2:
        pieces.append(geometry)
    runs = _coordinate_runs(geometry)
    length = sum(_run_length(run) for run in runs)
    step = max(min(MAX_BUFFER_STEP_M, distance_m / 2.0), length / MAX_BUFFER_STEPS)
    for run in runs:
        for lon, lat in _corners(run):
            pieces.append(geodesic_circle(lon, lat, distance_m, BUFFER_CIRCLE_VERTICES))
        if len(run) < 2:
            continue
        dense = _geodesic_densified(run, step)
        a, b = dense[:-1], dense[1:]
        forward, back, length = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        keep = length > 0
        a, b, forward, back = a[keep], b[keep], forward[keep], back[keep]
        count = len(a)
        reach = np.full(count, distance_m)
        corners = []
        for base, azimuth in ((a, forward - 90), (b, back + 90), (b, back - 90), (a, forward + 90)):
            lons, lats, __ = GEOD.fwd(base[:, 0], base[:, 1], azimuth, reach)
            lons = _near(lons, base[:, 0])
            corners.append(np.column_stack([lons, lats]))
        rings = np.stack(corners, axis=1)  # count × 4 corners × (lon, lat)
        pieces += list(shapely.polygons(rings))
    # Neighbouring bands share corners computed twice (a float apart): on a 1e-7° grid (about
    # a centimetre) they join, rather than leaving hairline gaps that split the buffer.
    return shapely.union_all([shapely.make_valid(piece) for piece in pieces], grid_size=1e-7)


def _near(lons: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """`lons` moved by 360° where that brings them next to `reference` (Geod gives −180…180);
    unchanged elsewhere, to the bit."""
    return np.where(
        lons - reference > 180.0,
        lons - 360.0,
        np.where(lons - reference < -180.0, lons + 360.0, lons),
    )


def zone_geometry(shape: Shape, sources: Mapping[str, object]):
    """The zone a shape covers, lon/lat with continuous lons: a Polygon (MultiPolygon for some
    buffers) or, for a line, a LineString. `sources` maps area and shape ids to their zone
    geometries, for buffers. Raises ShapeError for a shape that is no zone (a self-crossing
    polygon, too many vertices, an unknown buffer source)."""
    if shape.kind in ("polygon", "line") and len(shape.points) > MAX_VERTICES:
        raise ShapeError(
            Message(
                "it has {count} vertices, more than a drawn shape may have ({limit}); add it "
                "as an area file instead",
                count=format(len(shape.points), ","),
                limit=format(MAX_VERTICES, ","),
            )
        )
    _check(shape)
    if shape.kind == "circle":
        (lat, lon), radius = shape.points[0], shape.distance_m
        return geodesic_circle(lon, lat, radius)
    if shape.kind == "rectangle":
        # Its edges along parallels and meridians, densified so the measures are of that box
        # (a 4-vertex ring would be measured with geodesic edges: 1.5 % off for 20° by 30°).
        (south, west), (north, east) = shape.points
        corners = [(south, west), (south, east), (north, east), (north, west)]
        return shapely.Polygon(mercator_densified(corners, closed=True))
    if shape.kind == "buffer":
        source = sources.get(shape.source)
        if source is None or source.is_empty:
            raise ShapeError(
                Message("{source} has no geometry to draw a buffer round", source=shape.source)
            )
        return geodesic_buffer(continuous(source), shape.distance_m)
    _check_length(shape)
    coordinates = mercator_densified(list(shape.points), closed=shape.kind == "polygon")
    if shape.kind == "line":
        line = shapely.LineString(coordinates)
        return line
    polygon = shapely.Polygon(coordinates)
    if not polygon.is_valid:
        raise ShapeError(_crossing_words(polygon))
    return polygon


def _check_length(shape: Shape) -> None:
    """Refuse a polygon or line whose edges run further than MAX_EDGES_KM (geodesic): no zone
    of this field is that long, and the densified edges and buffers of one would take the
    server minutes (a 41-character link of two pole-to-pole legs did)."""
    lats = np.array([lat for lat, __ in shape.points])
    lons = np.array([lon for __, lon in shape.points])
    if shape.kind == "polygon":
        lats, lons = np.append(lats, lats[0]), np.append(lons, lons[0])
    __, __, legs = GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    total_km = float(np.sum(legs)) / 1000.0
    if total_km > MAX_EDGES_KM:
        raise ShapeError(
            Message(
                "its edges run {length} km, more than a drawn shape's {limit} km",
                length=format(total_km, ",.0f"),
                limit=format(MAX_EDGES_KM, ","),
            )
        )


def _check(shape: Shape) -> None:
    """Raise ShapeError for a shape no zone can be made of (the link and the drawing tool
    refuse these already; a shape made elsewhere is checked here too)."""
    points = shape.points
    if any(not (-85.0 <= lat <= 85.0 and math.isfinite(lon)) for lat, lon in points):
        raise ShapeError(Message("a vertex is beyond 85° of latitude or not a number"))
    distinct = len(set(points))
    if shape.kind == "polygon" and distinct < 3:
        raise ShapeError(Message("a polygon needs 3 different vertices or more"))
    if shape.kind == "line" and distinct < 2:
        raise ShapeError(Message("a line needs 2 different vertices or more"))
    if shape.kind == "rectangle":
        (south, west), (north, east) = points
        if not (south < north and west < east):
            raise ShapeError(Message("a rectangle needs a width and a height"))
    if shape.kind in ("circle", "buffer"):
        metres = shape.distance_m
        if shape.kind == "circle" and len(points) != 1:
            raise ShapeError(Message("a circle has one centre"))
        if metres is None or not 0 < metres <= MAX_DISTANCE_M:
            raise ShapeError(Message("its distance is not between 0 and 2,000 nm"))


def _crossing_words(polygon) -> str:
    reason = explain_validity(polygon)
    match = _LOCATION.search(reason)
    if "Self-intersection" in reason and match:
        lon, lat = float(match.group(1)), float(match.group(2))
        return Message(
            "its edges cross each other near {lat} {lon}: redraw it",
            lat=_lat_words(lat),
            lon=_lon_words(lon),
        )
    return Message("it is not a simple polygon (its edges cross or touch): redraw it")


def _lat_words(lat: float) -> str:
    return f"{abs(lat):.3f}°{'N' if lat >= 0 else 'S'}"


def _lon_words(lon: float) -> str:
    lon = ((lon + 180.0) % 360.0) - 180.0
    return f"{abs(lon):.3f}°{'E' if lon >= 0 else 'W'}"


# --- measures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShapeMeasures:
    """A shape's geodesic measures: a line's length (metres, the sum of its legs), its legs
    and the initial bearing of the first (degrees true, 0–360); a surface's area (m²) and
    perimeter (metres). None where a figure does not apply."""

    length_m: float | None = None
    legs: int = 0
    bearing_deg: float | None = None
    area_m2: float | None = None
    perimeter_m: float | None = None


def measures(shape: Shape, geometry) -> ShapeMeasures:
    """The measures of a shape whose zone is `geometry` (zone_geometry)."""
    if shape.kind == "line":
        lats = np.array([lat for lat, __ in shape.points])
        lons = np.array([lon for __, lon in shape.points])
        forward, __, legs = GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
        return ShapeMeasures(
            length_m=float(np.sum(legs)),
            legs=len(legs),
            bearing_deg=float(forward[0]) % 360.0,
        )
    area, perimeter = GEOD.geometry_area_perimeter(geometry)
    return ShapeMeasures(area_m2=abs(float(area)), perimeter_m=float(perimeter))


def distance_words(metres: float) -> str:
    """ "509.4 km (275.1 nm)": a distance in both units (1 nm = 1,852 m)."""
    return _("{km} km ({nm} nm)").format(
        km=_figure(metres / 1000.0), nm=_figure(metres / METRES_PER["nm"])
    )


def area_words(square_metres: float) -> str:
    """ "1,234 km² (359.8 nm²)"."""
    return _("{km} km² ({nm} nm²)").format(
        km=_figure(square_metres / 1e6), nm=_figure(square_metres / METRES_PER["nm"] ** 2)
    )


def bearing_words(degrees: float) -> str:
    """ "254.3° true"."""
    return _("{degrees}° true").format(degrees=format(degrees, ".1f"))


def _figure(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}" if value >= 10_000 else f"{value:,.1f}"
    return f"{value:.2f}"


def english_measures(
    shape: Shape, result: ShapeMeasures, names: Mapping[str, str] | None = None
) -> str:
    """measure_words in English: for an area file's note, which is data, not the page."""
    with language("en"):
        return measure_words(shape, result, names)


def measure_words(
    shape: Shape, result: ShapeMeasures, names: Mapping[str, str] | None = None
) -> str:
    """A shape's measures in one line for the page; `names` gives a buffer's source by name
    (area and shape ids to names; the id where it has none)."""
    if result.length_m is not None:
        said = (
            _("{length} over {legs} legs; initial bearing {bearing}")
            if result.legs > 1
            else _("{length}; initial bearing {bearing}")
        )
        return said.format(
            length=distance_words(result.length_m),
            legs=result.legs,
            bearing=bearing_words(result.bearing_deg),
        )
    words = _("area {area}, perimeter {perimeter}").format(
        area=area_words(result.area_m2), perimeter=distance_words(result.perimeter_m)
    )
    if shape.kind == "circle":
        words = _("radius {radius}; {measures}").format(
            radius=distance_words(shape.distance_m), measures=words
        )
    if shape.kind == "buffer":
        source = localized((names or {}).get(shape.source, shape.source))
        words = _("within {distance} of {source}; {measures}").format(
            distance=distance_words(shape.distance_m), source=source, measures=words
        )
    return words


# --- the areas the shapes become --------------------------------------------------------------


@dataclass(frozen=True)
class DrawnZones:
    """The view's shapes as areas: `areas` has the areas table's columns (id "D1"…, name,
    alt_names, kind drawn_area or reference_line, note, default_visible, file, geometry cut
    at 180° as every area is), `zones` the continuous zone geometry of each shape by id,
    `measures` by id, `names` of every area and shape by id, and `problems` one line per
    shape that is no zone (left out)."""

    areas: gpd.GeoDataFrame
    zones: dict[str, object]
    measures: dict[str, ShapeMeasures]
    problems: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)


def drawn_zones(shapes: tuple[Shape, ...], areas: gpd.GeoDataFrame) -> DrawnZones:
    """The shapes' zones, measures and area rows (DrawnZones). Never raises: a shape that is
    no zone, or whose geometry fails, is a line in `problems`."""
    sources: dict[str, object] = dict(zip(areas["id"], areas.geometry, strict=False))
    names = dict(zip(areas["id"], areas["name"], strict=False)) if "name" in areas else {}
    names |= {shape_id(position): shape_label(shapes, position) for position in range(len(shapes))}
    rows, zones, found, problems = [], {}, {}, []
    for position, shape in enumerate(shapes):
        identifier = shape_id(position)
        label = shape_label(shapes, position)
        try:
            geometry = zone_geometry(shape, sources)
            result = measures(shape, geometry)
        except ShapeError as error:
            problems.append(
                Message("{shape} is not used as a zone: {error}", shape=label, error=why(error))
            )
            continue
        except Exception as error:  # a geometry library failure is said, never a traceback
            problems.append(
                Message(
                    "{shape} is not used as a zone: its geometry failed ({error})",
                    shape=label,
                    error=type(error).__name__,
                )
            )
            continue
        sources[identifier] = geometry
        zones[identifier] = geometry
        found[identifier] = result
        rows.append(
            {
                "id": identifier,
                "name": label,
                "alt_names": (),
                "kind": "reference_line" if shape.kind == "line" else AREA_KIND,
                "note": f"Drawn on the map: {english_measures(shape, result, names)}",
                "default_visible": False,
                "file": DRAWN_FILE,
                "geometry": rfc7946(geometry),
            }
        )
    columns = ["id", "name", "alt_names", "kind", "note", "default_visible", "file"]
    table = gpd.GeoDataFrame(rows, columns=[*columns, "geometry"], geometry="geometry", crs=4326)
    return DrawnZones(table, zones, found, tuple(problems), names)


def file_id(shape: Shape, identifier: str) -> str:
    """An id for the shape's area file, as geodata/areas/ wants ids (lower case, ASCII): its
    name ("Yonaguni 30 nm" → "yonaguni-30-nm"), else "drawn-d1", then six hex digits of the
    shape's own link form, so two sessions' files of different shapes never share an id
    ("yonaguni-30-nm-3fa2c1"), and the same shape keeps its id."""
    text = unicodedata.normalize("NFKD", shape.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or f"drawn-{identifier.lower()}"
    digest = hashlib.sha256(shape_entry(shape).encode()).hexdigest()[:6]
    return f"{slug}-{digest}"


def area_file(shape: Shape, identifier: str, label: str, geometry, note: str) -> str:
    """The shape as an area file geodata/areas/ takes as it is (docs/data-format.md, "Named
    areas"): one Feature, RFC 7946 geometry cut at 180°, coordinates to 6 decimals."""
    cut = rfc7946(geometry)
    feature = {
        "type": "Feature",
        "properties": {
            "id": file_id(shape, identifier),
            "name": label,
            "alt_names": [],
            "kind": "reference_line" if shape.kind == "line" else AREA_KIND,
            "note": note,
            "default_visible": True,
        },
        "geometry": json.loads(shapely.to_geojson(shapely.set_precision(cut, 1e-6))),
    }
    collection = {"type": "FeatureCollection", "features": [feature]}
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


def drawing_features(shapes: tuple[Shape, ...]) -> list[dict]:
    """The shapes the map's drawing tool can edit (every kind but buffers) as GeoJSON
    features in the map's Pacific frame: properties id, kind and, for a circle (a Point),
    its radius in metres (Leaflet.draw's and st_folium's convention)."""
    features = []
    for position, shape in enumerate(shapes):
        if shape.kind == "buffer":
            continue
        shift = 360.0 if shape.points[0][1] < -30.0 else 0.0
        coordinates = [[round(lon + shift, 6), round(lat, 6)] for lat, lon in shape.points]
        properties = {"id": shape_id(position), "kind": shape.kind}
        if shape.kind == "circle":
            geometry = {"type": "Point", "coordinates": coordinates[0]}
            properties["radius"] = shape.distance_m
        elif shape.kind == "line":
            geometry = {"type": "LineString", "coordinates": coordinates}
        elif shape.kind == "rectangle":
            (west, south), (east, north) = coordinates
            ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
            geometry = {"type": "Polygon", "coordinates": [ring]}
        else:
            geometry = {"type": "Polygon", "coordinates": [[*coordinates, coordinates[0]]]}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return features
