"""Read the offline basemap's files (static/basemap/) in Python: land, coastlines, place names.

The browser draws the same files (layers/map/basemap.py); a server-side export can call
`land`, `coastlines` and `places` to draw exactly what the map shows. All coordinates are in
the map's Pacific-centred frame (western-hemisphere longitudes +360, so 90°E..150°W is
90..210; see layers/region.py); bounds are ((south, west), (north, east)) in degrees, as
`layers.region.MAP_REGION`.

Land tiles (written by tools/make_basemap.py, described in static/basemap/NOTICE.md):
- three levels of detail, each cut on one zoom of the Web Mercator tile grid (`LEVELS`): a
  map at zoom z draws the level whose `zooms` hold z;
- land/index.json lists, per level, each grid cell of the region as '0' (sea), '1' (all land:
  no file) or '2' (coast: land/{grid}/{x}/{y}.json). Tile x counts on past 2^grid east of
  180° (the Pacific frame does not wrap);
- a tile file is a JSON list of polygons, each a list of rings (outline first, then holes:
  lakes). A ring is [u0, v0, du1, dv1, ...]: integer positions in the tile, u from its west
  edge, v from its north edge, QUANTUM units to the tile's side, the first point absolute and
  the others as differences; the ring closes on itself. v is linear in latitude within a tile.
  Polygons are clipped BUFFER units outside the tile, so neighbours overlap; segments along
  that clip edge are not coastline.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import NamedTuple

import numpy as np
import shapely

BASEMAP_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "basemap"

# Where the land is OpenStreetMap's rather than GSHHG's (west, south, east, north; the
# Senkakus' Uotsuri-shima group, see tools/make_basemap.py): a map or picture showing this box
# credits "© OpenStreetMap contributors" (ODbL).
OSM_BOX = (123.40, 25.68, 123.64, 25.82)
OSM_CREDIT = "Senkaku islets © OpenStreetMap contributors"

# Units to a tile's side, and how far outside it polygons are cut (units).
QUANTUM = 8192
BUFFER = 64


class Level(NamedTuple):
    """One level of detail: its tile grid zoom, the map zooms it serves, Douglas-Peucker
    tolerance (degrees; 0 keeps the source as it is) and the smallest land or lake kept."""

    grid: int
    zooms: tuple[int, int]
    tolerance: float
    min_area_km2: float


# A pixel at zoom z is 360 / 256 / 2^z degrees of longitude: 0.044° at zoom 5, 0.0027° at 9.
# Each level is simplified to under a pixel at its highest zoom and drops what would be under
# a pixel there; from zoom 10 the map draws GSHHG "full" as it is (its points are ~50-200 m
# apart, 5-20 px at zoom 14).
LEVELS = (
    Level(grid=2, zooms=(2, 5), tolerance=0.03, min_area_km2=10.0),
    Level(grid=5, zooms=(6, 9), tolerance=0.002, min_area_km2=0.05),
    Level(grid=9, zooms=(10, 14), tolerance=0.0, min_area_km2=0.0),
)


class Place(NamedTuple):
    """A place name: `kind` is "place" (town), "port", "water" (sea, strait, bay...) or "land"
    (island, peninsula, cape); `local` its Chinese name where that is the local one, else "";
    shown from map zoom `min_zoom`; `rank` is Natural Earth's scalerank (0 most important).
    `zh_TW`, `zh_CN`, `ja`: its name in that language where Natural Earth gives one (else "",
    and the map shows the English one); 0 in places.json is "as in the language before"."""

    name: str
    local: str
    kind: str
    lon: float
    lat: float
    min_zoom: float
    rank: int
    zh_TW: str = ""
    zh_CN: str | int = ""
    ja: str | int = ""

    def label(self, language: str) -> tuple[str, str]:
        """(name, local) as the map labels the place for a reader of `language` (a tag of
        layers.i18n.LANGUAGES): the name in that language where Natural Earth gives it, else the
        English one; the local name beside it unless it is the same."""
        names = [self.zh_TW, self.zh_CN, self.ja]
        for index in range(1, len(names)):
            if names[index] == 0:
                names[index] = names[index - 1]
        own = dict(zip(PLACE_LANGUAGES, names)).get(language) or self.name
        return own, ("" if self.local == own else self.local)


# places.json's columns of names in other languages, by language tag (layers/i18n.py).
PLACE_LANGUAGES = ("zh-TW", "zh-CN", "ja")


def level_for_zoom(zoom: float) -> Level:
    """The level of detail a map at `zoom` draws (zooms below/above the range: the ends)."""
    zoom = int(math.floor(zoom))
    for level in LEVELS:
        if zoom <= level.zooms[1]:
            return level
    return LEVELS[-1]


def lon_to_x(lon: float, zoom: int) -> float:
    return (lon + 180.0) / 360.0 * 2**zoom


def lat_to_y(lat: float, zoom: int) -> float:
    phi = math.radians(max(min(lat, 85.0511), -85.0511))
    return (1.0 - math.log(math.tan(phi) + 1.0 / math.cos(phi)) / math.pi) / 2.0 * 2**zoom


def y_to_lat(y: float, zoom: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / 2**zoom))))


def tile_bounds(zoom: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a Web Mercator tile, in degrees (Pacific frame)."""
    n = 2**zoom
    return (
        x / n * 360.0 - 180.0,
        y_to_lat(y + 1, zoom),
        (x + 1) / n * 360.0 - 180.0,
        y_to_lat(y, zoom),
    )


def tile_range(zoom, west, south, east, north) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1), inclusive: the tiles of `zoom` that a box of degrees meets."""
    eps = 1e-9
    return (
        math.floor(lon_to_x(west, zoom)),
        math.floor(lat_to_y(north, zoom)),
        math.floor(lon_to_x(east, zoom) - eps),
        math.floor(lat_to_y(south, zoom) - eps),
    )


@functools.cache
def land_index(basemap_dir: Path = BASEMAP_DIR) -> dict:
    """land/index.json as read; raises OSError or ValueError if it is missing or broken."""
    return json.loads((basemap_dir / "land" / "index.json").read_text(encoding="ascii"))


def _index_level(level: Level, basemap_dir: Path) -> dict:
    return next(e for e in land_index(basemap_dir)["levels"] if e["grid"] == level.grid)


def tile_state(level: Level, x: int, y: int, basemap_dir: Path = BASEMAP_DIR) -> str:
    """'0' sea, '1' all land, '2' coast (a file) for one tile of a level's grid."""
    entry = _index_level(level, basemap_dir)
    row, col = y - entry["y0"], x - entry["x0"]
    if 0 <= row < entry["height"] and 0 <= col < entry["width"]:
        return entry["cells"][row][col]
    return "0"


def decode_rings(polygons: list, bounds) -> list[list[np.ndarray]]:
    """A tile file's polygons as lists of rings, each an (n, 2) array of lon, lat."""
    west, south, east, north = bounds
    decoded = []
    for rings in polygons:
        out = []
        for ring in rings:
            uv = np.cumsum(np.asarray(ring, dtype=float).reshape(-1, 2), axis=0)
            lon = west + uv[:, 0] / QUANTUM * (east - west)
            lat = north - uv[:, 1] / QUANTUM * (north - south)
            out.append(np.column_stack([lon, lat]))
        decoded.append(out)
    return decoded


@functools.lru_cache(maxsize=512)
def _tile_file(path: Path) -> list:
    return json.loads(path.read_text(encoding="ascii"))


# The land of a link's first view goes in the map's page with the map (layers/map/basemap.py),
# so it is drawn in the map's first frame: the tile files a window of up to this size (CSS
# pixels, a 1920x1080 screen's whole width) shows around the link's centre. A larger window
# fetches the rest as it does every tile after a move.
FIRST_VIEW_PX = (1920, 1080)


def view_tiles(
    lat: float,
    lon: float,
    zoom: int,
    size_px: tuple[int, int] = FIRST_VIEW_PX,
    basemap_dir: Path = BASEMAP_DIR,
) -> list[tuple[int, int, int]]:
    """(grid, x, y) of the coast tiles (those with a file) that the map at `zoom` centred on
    `lat`, `lon` (degrees, Pacific frame) draws in a window of `size_px` (width, height in CSS
    pixels), nearest the centre first. All-land and sea tiles have no file: land/index.json
    says which they are. Raises OSError/ValueError if the index is missing or broken."""
    level = level_for_zoom(zoom)
    scale = 256 * 2 ** (int(zoom) - level.grid)  # pixels of the map's zoom to a grid tile
    middle_x, middle_y = lon_to_x(lon, int(zoom)) * 256, lat_to_y(lat, int(zoom)) * 256
    half_width, half_height = size_px[0] / 2, size_px[1] / 2
    x0, x1 = (
        math.floor((middle_x - half_width) / scale),
        math.floor((middle_x + half_width) / scale),
    )
    y0, y1 = (
        math.floor((middle_y - half_height) / scale),
        math.floor((middle_y + half_height) / scale),
    )
    tiles = [
        (level.grid, x, y)
        for x in range(x0, x1 + 1)
        for y in range(y0, y1 + 1)
        if tile_state(level, x, y, basemap_dir) == "2"
    ]
    return sorted(
        tiles,
        key=lambda t: (
            ((t[1] + 0.5) * scale - middle_x) ** 2 + ((t[2] + 0.5) * scale - middle_y) ** 2
        ),
    )


@functools.lru_cache(maxsize=64)
def _file_text(path: Path) -> str:
    return path.read_text(encoding="ascii")


def first_view_land(
    lat: float,
    lon: float,
    zoom: int,
    size_px: tuple[int, int] = FIRST_VIEW_PX,
    basemap_dir: Path = BASEMAP_DIR,
) -> str:
    """The land of a map's first view as JSON text: {"index": land/index.json, "tiles":
    {"grid/x/y": that tile's file}} for the `view_tiles` of the view, each file's own text
    (not parsed and written again). The map draws these as it would the fetched files.
    Raises OSError if a file is missing, ValueError if the index is broken."""
    parts = [
        f'"{grid}/{x}/{y}":' + _file_text(basemap_dir / "land" / str(grid) / str(x) / f"{y}.json")
        for grid, x, y in view_tiles(lat, lon, zoom, size_px, basemap_dir)
    ]
    index = _file_text(basemap_dir / "land" / "index.json")
    return '{"index":' + index + ',"tiles":{' + ",".join(parts) + "}}"


def _tiles(bounds, zoom, basemap_dir):
    """(level, x, y, state) of the tiles the map at `zoom` draws over `bounds`."""
    (south, west), (north, east) = bounds
    level = level_for_zoom(zoom)
    x0, y0, x1, y1 = tile_range(level.grid, west, south, east, north)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            state = tile_state(level, x, y, basemap_dir)
            if state != "0":
                yield level, x, y, state


def _buffered(bounds):
    west, south, east, north = bounds
    bx, by = (east - west) * BUFFER / QUANTUM, (north - south) * BUFFER / QUANTUM
    return west - bx, south - by, east + bx, north + by


def land(bounds, zoom: float, basemap_dir: Path = BASEMAP_DIR) -> list[shapely.Polygon]:
    """Land polygons (lakes as holes) that the map at `zoom` fills over `bounds`.

    Pieces of neighbouring tiles overlap by BUFFER units; fill them without an outline and
    draw `coastlines` on top. Raises OSError/ValueError when the basemap files are missing.
    """
    polygons = []
    for level, x, y, state in _tiles(bounds, zoom, basemap_dir):
        tile = tile_bounds(level.grid, x, y)
        if state == "1":
            polygons.append(shapely.box(*_buffered(tile)))
            continue
        path = basemap_dir / "land" / str(level.grid) / str(x) / f"{y}.json"
        for rings in decode_rings(_tile_file(path), tile):
            polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return polygons


def coastlines(bounds, zoom: float, basemap_dir: Path = BASEMAP_DIR) -> list[shapely.LineString]:
    """The coastlines (and lake shores) the map at `zoom` draws over `bounds`: the tiles'
    rings without the segments along their cut edges."""
    lines = []
    for level, x, y, state in _tiles(bounds, zoom, basemap_dir):
        if state != "2":
            continue
        tile = tile_bounds(level.grid, x, y)
        path = basemap_dir / "land" / str(level.grid) / str(x) / f"{y}.json"
        for polygon in _tile_file(path):
            for ring in polygon:
                uv = np.cumsum(np.asarray(ring).reshape(-1, 2), axis=0)
                for run in coast_runs(uv):
                    lines.append(shapely.LineString(decode_rings([[_encode(run)]], tile)[0][0]))
    return lines


def _encode(uv: np.ndarray) -> list[int]:
    return np.diff(uv, axis=0, prepend=[[0, 0]]).ravel().tolist()


def coast_runs(uv: np.ndarray) -> list[np.ndarray]:
    """Split a closed ring of tile units into the runs of points joined by coastline: a
    segment with both ends on the same cut edge (u or v at -BUFFER or QUANTUM + BUFFER) is the
    cut, not a coast. The browser does the same (basemap.py)."""
    low, high = -BUFFER, QUANTUM + BUFFER
    closed = np.vstack([uv, uv[:1]])
    a, b = closed[:-1], closed[1:]
    on_cut = np.zeros(len(a), bool)
    for axis in (0, 1):
        for edge in (low, high):
            on_cut |= (a[:, axis] == edge) & (b[:, axis] == edge)
    if not on_cut.any():
        return [closed]
    # Start just after a cut segment so that no run wraps around the ring's end.
    start = int(np.argmax(on_cut)) + 1
    order = np.roll(np.arange(len(a)), -start)
    runs, current = [], []
    for i in order:
        if on_cut[i]:
            if len(current) > 1:
                runs.append(np.array(current))
            current = []
            continue
        if not current:
            current.append(closed[i])
        current.append(closed[i + 1])
    if len(current) > 1:
        runs.append(np.array(current))
    return runs


@functools.cache
def _all_places(basemap_dir: Path = BASEMAP_DIR) -> tuple[Place, ...]:
    document = json.loads((basemap_dir / "places.json").read_text(encoding="utf-8"))
    return tuple(Place(*row) for row in document["places"])


def places(bounds, zoom: float, basemap_dir: Path = BASEMAP_DIR) -> list[Place]:
    """The place names the map may label at `zoom` inside `bounds`, most important first.

    The map shows each unless it would overlap one placed before it (so a caller drawing
    them should skip overlapping ones in this order too). Raises OSError/ValueError when
    places.json is missing or broken.
    """
    (south, west), (north, east) = bounds
    return [
        place
        for place in _all_places(basemap_dir)
        if place.min_zoom <= zoom and west <= place.lon <= east and south <= place.lat <= north
    ]
