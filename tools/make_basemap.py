"""Build the offline basemap (land at two levels of detail, borders) in static/basemap/.

Origin: Natural Earth 1:10m (public domain), as redistributed in TopoJSON by the npm package
world-atlas 2.0.2 (ISC, Mike Bostock): `land-10m.json` (Natural Earth "land") and
`countries-10m.json` (Natural Earth "Admin 0 countries", used only for the land borders).

The outputs are display artefacts in the map's Pacific-centred longitude frame: longitudes in
the western hemisphere are shifted by +360 (Hawaii, -158, becomes 202) so that the region
90°E -> 150°W is one continuous span 90..210. Each geometry is clipped to the region, its
western-hemisphere part is translated by +360, then it is simplified, tiny slivers are dropped
and coordinates are rounded. See static/basemap/NOTICE.md.

Re-run (needs the project venv; without an argument it also needs `npm` on PATH and the npm
registry, and runs `npm pack world-atlas@2.0.2` into a temporary directory):

    python tools/make_basemap.py                      # fetch world-atlas with npm
    python tools/make_basemap.py /path/to/package     # an unpacked world-atlas package/ dir
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas
import shapely
from pyproj import Geod
from shapely import affinity
from shapely.geometry import box, mapping

WORLD_ATLAS = "world-atlas@2.0.2"
LAND_FILE, LAND_LAYER = "land-10m.json", "land"
COUNTRIES_FILE, COUNTRIES_LAYER = "countries-10m.json", "countries"

OUT_DIR = Path(__file__).resolve().parent.parent / "static" / "basemap"

# Region in the Pacific-centred frame: lon 90 (90°E) .. 210 (150°W), lat -15 .. 56.
LON_MIN, LON_MAX = 90.0, 210.0
LAT_MIN, LAT_MAX = -15.0, 56.0

# Douglas-Peucker tolerance in degrees. Zoom 9 is ~0.0027° of longitude per pixel, so 0.004°
# moves a coastline by at most ~1.5-2 px there (invisible next to the source itself: it is
# quantized to a 0.0036° x 0.0017° grid, and Natural Earth 1:10m is drawn for 1:10,000,000).
SIMPLIFY_TOLERANCE = 0.004
# Polygons smaller than this (after clipping, before simplifying) are dropped: at zoom 9 they
# would cover about 1-2 pixels, and below it the data holds mostly quantization debris.
# Real small islands (Itu Aba ~0.5 km², Woody Island, Pacific atolls) stay.
MIN_AREA_KM2 = 0.1
# The overview drawn up to zoom 5, where a pixel is 0.044° or more: a tenth of the vertices,
# so the first paint does not wait for the detailed coastline.
OVERVIEW_TOLERANCE = 0.03
OVERVIEW_MIN_AREA_KM2 = 5.0
# Coordinates are written with this many decimals (0.001° is ~110 m, < 0.5 px at zoom 9).
DECIMALS = 3
GRATICULE_STEP = 5

GEOD = Geod(ellps="WGS84")


def fetch_world_atlas(workdir: Path) -> Path:
    """`npm pack` world-atlas into workdir, unpack it, return its package/ directory."""
    tgz_name = (
        subprocess.run(
            ["npm", "pack", WORLD_ATLAS, "--silent"],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with tarfile.open(workdir / tgz_name) as tgz:
        tgz.extractall(workdir, filter="data")
    return workdir / "package"


def read_topojson(path: Path, layer: str) -> geopandas.GeoDataFrame:
    """One object of a TopoJSON file (GDAL names the layer after the object)."""
    frame = geopandas.read_file(path, layer=layer)
    lon_min, lat_min, lon_max, lat_max = frame.total_bounds
    # world-atlas quantizes the topology: check the reader turned it back into degrees.
    if not (-180.5 < lon_min < lon_max < 180.5 and -90.5 < lat_min < lat_max < 90.5):
        sys.exit(f"{path}: coordinates are not lon/lat degrees: {frame.total_bounds}")
    return frame


def to_pacific_frame(geom):
    """Clip geom to the region; the part in [-180, LON_MAX - 360] is moved east by 360."""
    east = geom.intersection(box(LON_MIN, LAT_MIN, 180.0, LAT_MAX))
    west = geom.intersection(box(-180.0, LAT_MIN, LON_MAX - 360.0, LAT_MAX))
    return shapely.union(east, affinity.translate(west, xoff=360.0))


def parts_of_type(geom, geom_type: str) -> list:
    return [g for g in shapely.get_parts(geom) if g.geom_type == geom_type]


def area_km2(polygon) -> float:
    return abs(GEOD.geometry_area_perimeter(polygon)[0]) / 1e6


def build_land(land_geoms, tolerance=SIMPLIFY_TOLERANCE, min_area_km2=MIN_AREA_KM2):
    """One MultiPolygon of all land in the region."""
    # The quantized topology leaves some self-intersecting rings: repair them first.
    land = shapely.union_all([to_pacific_frame(g) for g in shapely.make_valid(land_geoms)])
    polygons = [p for p in parts_of_type(land, "Polygon") if area_km2(p) >= min_area_km2]
    land = shapely.simplify(shapely.MultiPolygon(polygons), tolerance, preserve_topology=True)
    land = shapely.set_precision(land, 10.0**-DECIMALS)
    return shapely.orient_polygons(land)  # RFC 7946: exterior rings counter-clockwise


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
            shared = shapely.simplify(shared, SIMPLIFY_TOLERANCE, preserve_topology=True)
            shared = shapely.set_precision(shared, 10.0**-DECIMALS)
            if not shared.is_empty:
                borders.append((" / ".join(sorted([name_a, name_b])), shared))
    return sorted(borders, key=lambda border: border[0])


def rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(c, DECIMALS) for c in coords]
    return [rounded(c) for c in coords]


def write_features(path: Path, features: list[tuple[dict, object]]) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": {
                    "type": geom.geom_type,
                    "coordinates": rounded(mapping(geom)["coordinates"]),
                },
            }
            for props, geom in features
        ],
    }
    path.write_text(
        json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    vertices = sum(shapely.get_num_coordinates(geom) for _, geom in features)
    print(
        f"{path.name:20s} {path.stat().st_size / 1024:8.1f} KiB  "
        f"{len(features):4d} features  {vertices:7d} vertices"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "package_dir",
        nargs="?",
        type=Path,
        help=f"unpacked {WORLD_ATLAS} package/ directory (default: npm pack it)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        package_dir = args.package_dir or fetch_world_atlas(Path(tmp))
        land = read_topojson(package_dir / LAND_FILE, LAND_LAYER)
        countries = read_topojson(package_dir / COUNTRIES_FILE, COUNTRIES_LAYER)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_features(OUT_DIR / "land.geojson", [({}, build_land(land.geometry.values))])
    overview = build_land(land.geometry.values, OVERVIEW_TOLERANCE, OVERVIEW_MIN_AREA_KM2)
    write_features(OUT_DIR / "land-overview.geojson", [({}, overview)])
    borders = build_borders(countries.geometry.values, countries["name"])
    write_features(OUT_DIR / "borders.geojson", [({"between": n}, g) for n, g in borders])
    return 0


if __name__ == "__main__":
    sys.exit(main())
