"""Which named areas and zones each event touches, computed once at load.

Every area of `geodata/areas/` takes part, so an area added later needs no code:

- an area with a surface (Polygon, MultiPolygon: a sea, a strait, the Senkaku 12 nm territorial
  sea, the 12–24 nm contiguous zone) tags the events whose geometry lies in it;
- a reference line (the Taiwan Strait median line) tags the events that cross it: a track or
  area with parts on both sides;
- point areas (islets named for labels) tag nothing.

Location precision is respected: an event known only to within r km is tagged "in" an area when
it is inside it even if moved by r, "possibly" when moving it by up to r could bring it in, and
not at all otherwise.

An event placed by `area` (its source names the area, not a position: a mapping's
`geometry.area`, or an `area` property) is "in" that area whatever its geometry: it is there by
definition (issue 22). Its geometry, a point with a radius covering the area, would otherwise
make it only "possibly" in, and *Activity by area* would not count it. Point areas (a reef)
count it too. For a line: "in" (it crosses) when it has parts more than r from the line
on both sides. Distances are metres in an azimuthal equidistant projection centred on each area
(pyproj; exact from the centre and within 0.1 % across a few hundred km), so a 12 nm test is a
12 nm test at the Senkakus, not a degree approximation.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from layers.i18n import N_, _, current_language, localized, pgettext

IN, POSSIBLY = "in", "possibly"
# The widest uncertainty taken into account, km: larger circles make every nearby zone
# "possibly" and say nothing (the map draws them as what they are).
MAX_PRECISION_KM = 1_000.0
_KM_PER_DEGREE = 111.32


def zone_tags(events: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> pd.Series:
    """For each event (same index), a tuple of (area id, "in" | "possibly"), in area order.

    `events` needs "geometry" and "location_precision_km" (km, NaN for exact) and may have
    "area" (the id of the area an event was placed by: "in" it by definition); `areas` needs
    "id" and "geometry". Both are EPSG:4326. Empty tuples for events in no area.
    """
    tags: dict[object, list[tuple[str, str]]] = {index: [] for index in events.index}
    if events.empty or areas.empty:
        return pd.Series([tuple(tags[index]) for index in events.index], index=events.index)
    radii_km = (
        pd.to_numeric(events["location_precision_km"], errors="coerce")
        .fillna(0.0)
        .clip(0, MAX_PRECISION_KM)
        .astype("float64")
    )
    placed = _placed_by_area(events)
    tree = shapely.STRtree(events.geometry.to_numpy())
    for area_id, area in zip(areas["id"], areas.geometry, strict=False):
        statuses = dict.fromkeys(placed.get(area_id, ()), IN)
        kind = _area_kind(area)
        if kind is not None:
            area = continuous(area)
            margin = _margin_degrees(area, float(radii_km.max()))
            reach = shapely.buffer(shapely.envelope(area), margin)
            candidates = np.unique(
                np.concatenate(
                    [
                        tree.query(shapely.transform(reach, lambda xy, s=shift: xy + [s, 0]))
                        for shift in _shifts(reach)
                    ]
                )
            ).astype(int)
            subset = events.iloc[np.sort(candidates)]
            radii_m = radii_km.loc[subset.index].to_numpy() * 1000
            found = _statuses(kind, area, subset, radii_m) if len(subset) else []
            for index, status in zip(subset.index, found, strict=False):
                if status and index not in statuses:
                    statuses[index] = status
        for index, status in statuses.items():
            tags[index].append((area_id, status))
    return pd.Series([tuple(tags[index]) for index in events.index], index=events.index)


def continuous(geometry):
    """A geometry cut at 180° (RFC 7946 §3.1.9) joined up again: when it spans more than 180°
    of longitude, its parts west of 0° are moved +360°, so its centre and its local projection
    are those of the place (a zone across 180° would otherwise be centred near 0°). Others are
    returned as they are."""
    if geometry is None or geometry.is_empty:
        return geometry
    west, _south, east, _north = geometry.bounds
    if east - west <= 180.0:
        return geometry
    parts = [
        shapely.transform(part, lambda xy: xy + [360.0, 0.0]) if part.bounds[2] <= 0.0 else part
        for part in shapely.get_parts(geometry)
    ]
    return shapely.union_all(parts)


def _shifts(reach) -> list[float]:
    """The shifts (degrees of longitude) that bring a zone's reach over the events it may
    touch, whose lons are in −180…180: none, and ±360° where the reach runs past 180°."""
    west, _south, east, _north = reach.bounds
    return [0.0] + ([-360.0] if east > 180.0 else []) + ([360.0] if west < -180.0 else [])


def _placed_by_area(events: gpd.GeoDataFrame) -> dict[str, list]:
    """The events (index labels, in events order) placed by each area id ("area" column)."""
    if "area" not in events.columns:
        return {}
    placed: dict[str, list] = {}
    for index, area_id in zip(events.index, events["area"], strict=False):
        if isinstance(area_id, str) and area_id:
            placed.setdefault(area_id, []).append(index)
    return placed


def zone_label(tag: tuple[str, str], names: dict[str, str] | None = None) -> str:
    """A tag in words: "Senkaku territorial sea" or "possibly Taiwan Strait median line"."""
    area_id, status = tag
    name = (names or {}).get(area_id, area_id)
    return name if status == IN else _("possibly {area}").format(area=name)


def _area_kind(area) -> str | None:
    if area is None or area.is_empty:
        return None
    if area.geom_type in ("Polygon", "MultiPolygon"):
        return "surface"
    if area.geom_type in ("LineString", "MultiLineString"):
        return "line"
    return None


def _margin_degrees(area, radius_km: float) -> float:
    """The uncertainty radius in degrees of longitude at the area's highest latitude."""
    _west, south, _east, north = area.bounds
    latitude = min(max(abs(south), abs(north)), 85.0)
    return radius_km / (_KM_PER_DEGREE * np.cos(np.radians(latitude))) + 1e-9


def _statuses(kind: str, area, events: gpd.GeoDataFrame, radii_m: np.ndarray) -> list:
    centre = area.centroid
    local = CRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m +no_defs"
    )
    area_m = gpd.GeoSeries([area], crs="EPSG:4326").to_crs(local).iloc[0]
    geometries = events.geometry.to_crs(local).to_numpy()
    if kind == "surface":
        return _surface_statuses(area_m, geometries, radii_m)
    return _line_statuses(area_m, geometries, radii_m)


def _quantised(radii: np.ndarray) -> np.ndarray:
    """Radii (m) rounded up to a few steps, so buffers are made once per step: 1 km steps to
    20 km, 5 km to 100 km, 25 km beyond. Rounding up is the honest side: an event is "in" only
    if it is in even with the larger circle."""
    km = radii / 1000.0
    steps = np.where(
        km <= 20, np.ceil(km), np.where(km <= 100, np.ceil(km / 5) * 5, np.ceil(km / 25) * 25)
    )
    return steps * 1000.0


def _surface_statuses(area, geometries: np.ndarray, radii: np.ndarray) -> list:
    shapely.prepare(area)
    certain = np.zeros(len(geometries), dtype=bool)
    exact = radii == 0
    certain[exact] = shapely.intersects(area, geometries[exact])
    steps = _quantised(radii)
    for step in np.unique(steps[~exact]):
        chosen = ~exact & (steps == step)
        inner = shapely.buffer(area, -step)  # empty where the area is narrower than the circle
        if not inner.is_empty:
            shapely.prepare(inner)
            certain[chosen] = shapely.intersects(inner, geometries[chosen])
    possible = shapely.dwithin(area, geometries, radii)
    possible |= certain
    return [IN if c else POSSIBLY if p else None for c, p in zip(certain, possible, strict=False)]


def _line_statuses(line, geometries: np.ndarray, radii: np.ndarray) -> list:
    """Crossing: parts beyond r on both sides of the line ("in"); within r of it ("possibly")."""
    sides = _half_planes(line)
    reach = shapely.dwithin(line, geometries, np.maximum(radii, 1.0))
    reach &= ~((radii == 0) & np.isin(shapely.get_type_id(geometries), (0, 4)))
    certain = np.zeros(len(geometries), dtype=bool)
    steps = np.maximum(_quantised(radii), 1.0)  # 1 m: a vertex on the line is on it
    for step in np.unique(steps[reach]):
        chosen = reach & (steps == step)
        near = shapely.buffer(line, step)
        if sides is None:
            certain[chosen] = [
                _both_sides(line, geometry.difference(near)) for geometry in geometries[chosen]
            ]
            continue
        left, right = (shapely.difference(side, near) for side in sides)
        certain[chosen] = shapely.intersects(left, geometries[chosen]) & shapely.intersects(
            right, geometries[chosen]
        )
    return [IN if c else POSSIBLY if r else None for c, r in zip(certain, reach, strict=False)]


def _half_planes(line, reach_m: float = 5_000_000.0):
    """The two sides of a simple line as polygons (the line extended straight at both ends and
    cut through a large box), or None for a line that is not one simple piece."""
    if line.geom_type != "LineString" or not line.is_simple:
        return None
    coords = shapely.get_coordinates(line)
    if len(coords) < 2:
        return None
    start = coords[0] + (coords[0] - coords[1]) / np.linalg.norm(coords[0] - coords[1]) * reach_m
    end = coords[-1] + (coords[-1] - coords[-2]) / np.linalg.norm(coords[-1] - coords[-2]) * reach_m
    extended = shapely.LineString([start, *coords, end])
    box = shapely.box(*shapely.buffer(extended, reach_m / 2).bounds)
    pieces = list(shapely.get_parts(shapely.polygonize([shapely.union(box.boundary, extended)])))
    if len(pieces) != 2:
        return None
    return pieces[0], pieces[1]


def _both_sides(line, beyond) -> bool:
    sides = {_side(line, part) for part in shapely.get_parts(beyond) if not part.is_empty}
    return sides >= {-1, 1}


def _side(line, part) -> int:
    """-1 or 1: which side of the line a piece lies on (the sign of the cross product of the
    line's direction at the nearest point and the direction to the piece)."""
    point = part.representative_point()
    along = line.project(point)
    here = line.interpolate(along)
    ahead = line.interpolate(min(along + 1.0, line.length))
    behind = line.interpolate(max(along - 1.0, 0.0))
    dx, dy = ahead.x - behind.x, ahead.y - behind.y
    cross = dx * (point.y - here.y) - dy * (point.x - here.x)
    return 1 if cross > 0 else -1


# The zones UNCLOS measures from a coast's baselines, by the breadth it gives them (art. 3: a
# territorial sea of up to 12 nm; art. 33: a contiguous zone of up to 24 nm, the band beyond
# the territorial sea). Areas of these kinds are drawn as that breadth from their islets.
ZONE_KIND_WORDS = {
    "territorial_sea": N_("Territorial sea (12 nm)"),
    "contiguous_zone": N_("Contiguous zone (12–24 nm)"),
}


def short_area_name(name: str, kind: str) -> str:
    """An area's name where room is short (the sidebar's chips, the table's cells, the area
    chart's rows). A territorial sea or contiguous zone (ZONE_KIND_WORDS) named "Place: how it
    is drawn" is "Territorial sea (12 nm): Place", its kind first: the zones of one place, and
    the territorial seas of two places, then differ from their first words, where a cut
    name still shows them ("Senkaku / Diaoyu / Tiaoyutai Islands: 12 nm from the islets…" and
    "…: 12–24 nm…" read the same once cut). Every other name is kept as it is. The place keeps
    all its names (a disputed place's names stand together, as the area gives them)."""
    words = ZONE_KIND_WORDS.get(kind)
    if words is None:
        return name
    # "Place: how it is drawn", or in Chinese and Japanese "地名：…" (a full-width colon).
    place = re.split(r": |：", name, maxsplit=1)[0].strip() or name
    return _("{zone}: {place}").format(zone=_(words), place=place)


class ShortAreaNames(Mapping[str, str]):
    """Each area's short_area_name by id, read in the current language: the zone's kind in the
    reader's words, the area's own name in their language where its file gives one (`names`),
    else as written. Made once per data set and read by every session, so nothing is
    translated when it is made."""

    def __init__(self, areas: pd.DataFrame) -> None:
        self._names = dict(zip(areas["id"], areas["name"], strict=False))
        self._kinds = dict(zip(areas["id"], areas["kind"], strict=False))
        self._translated = {}
        if "names" in areas.columns:
            self._translated = {
                area_id: dict(names)
                for area_id, names in zip(areas["id"], areas["names"], strict=False)
                if isinstance(names, dict)
            }

        self._others: dict[str, str] = {}  # names added with |, kept as given

    def __getitem__(self, key: str) -> str:
        if key in self._others:
            return localized(self._others[key])  # a drawn shape's default name is a Message
        name = self._translated.get(key, {}).get(current_language()) or self._names[key]
        return short_area_name(name, self._kinds[key])

    def __iter__(self) -> Iterator[str]:
        yield from self._names
        yield from (key for key in self._others if key not in self._names)

    def __len__(self) -> int:
        return len(self._names) + sum(key not in self._names for key in self._others)

    def __or__(self, other: Mapping[str, str]) -> ShortAreaNames:
        """These names and `other`'s (drawn areas' names, as their analyst wrote them), which
        win where both name an id."""
        joined = copy.copy(self)
        joined._others = {**self._others, **dict(other.items())}
        return joined


def short_area_names(areas: pd.DataFrame) -> ShortAreaNames:
    """Each area's short_area_name by id (a mapping read in the current language); `areas`
    needs "id", "name" and "kind" (and "names", an area's names by language, when it has
    them)."""
    return ShortAreaNames(areas)


def zones_text(tags: tuple, names: dict[str, str]) -> str:
    """ "Senkaku territorial sea; possibly Taiwan Strait median line" for the table."""
    return pgettext("zones separator", "; ").join(zone_label(tag, names) for tag in tags)
