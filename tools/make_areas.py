"""Build the computed named areas around the Senkaku / Diaoyu / Tiaoyutai islets.

Run from the repository root:

    python tools/make_areas.py

It writes geodata/areas/senkaku.geojson with three features:

* senkaku-waters: the eight islets as a MultiPoint;
* senkaku-territorial-sea: everything within 12 nautical miles of an islet point;
* senkaku-contiguous-zone: the band from 12 to 24 nautical miles of an islet point.

The zones are geodesic circles (WGS84 ellipsoid, pyproj.Geod) around each islet point, merged.
They are approximations: a real territorial sea is measured from baselines along the low-water
line of each coast, not from one point per islet, and the islands' sovereignty is disputed.

The hand-drawn areas (seas, straits, bays) are not built here: they are checked in as
geodata/areas/regions.geojson.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import shapely
from area_names import with_names
from pyproj import Geod
from shapely.geometry import MultiPoint, Polygon, mapping
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

OUTPUT = Path(__file__).resolve().parent.parent / "geodata" / "areas" / "senkaku.geojson"

NAUTICAL_MILE_M = 1852.0
TERRITORIAL_SEA_M = 12 * NAUTICAL_MILE_M  # 22 224 m
CONTIGUOUS_ZONE_M = 24 * NAUTICAL_MILE_M  # 44 448 m
CIRCLE_SEGMENTS = 144  # one vertex every 2.5 degrees of azimuth
PRECISION_DEG = 1e-4  # about 11 m: the grid every output coordinate is snapped to

# One point per islet, in decimal degrees (lon, lat, WGS84), with the names each side uses:
# (Japanese romanised, Japanese, PRC name, ROC/Taiwan name).
# Sources: Uotsuri-shima from the PRC State Oceanic Administration's published point for the
# island (25°44.6'N 123°28.4'E); Kita-kojima, Kuba-shima, Taisho-to, Oki-no-Kita-iwa and
# Oki-no-Minami-iwa from the seconds-precision coordinates in the Japanese/Chinese Wikipedia
# articles; Minami-kojima and Tobise from the minute-precision table of the Ocean Policy Research
# Institute (Sasakawa Peace Foundation), which cites GSI's Digital Japan Basic Map, placed within
# that minute from the islands' described positions. Expect errors of up to about 1-2 km.
ISLETS = [
    ("Uotsuri-shima", "魚釣島", "钓鱼岛 Diaoyu Dao", "釣魚台 Diaoyutai", 123.4733, 25.7433),
    ("Kita-kojima", "北小島", "北小岛 Bei Xiaodao", "北小島", 123.5406, 25.7319),
    ("Minami-kojima", "南小島", "南小岛 Nan Xiaodao", "南小島", 123.5517, 25.7225),
    ("Kuba-shima", "久場島", "黄尾屿 Huangwei Yu", "黃尾嶼", 123.6808, 25.9233),
    ("Taisho-to", "大正島", "赤尾屿 Chiwei Yu", "赤尾嶼", 124.5600, 25.9225),
    ("Oki-no-Kita-iwa", "沖の北岩", "北屿 Bei Yu", "沖北岩", 123.5442, 25.7811),
    ("Oki-no-Minami-iwa", "沖の南岩", "南屿 Nan Yu", "沖南岩", 123.5664, 25.7553),
    ("Tobise", "飛瀬", "飞屿 Fei Yu", "飛瀨", 123.5014, 25.7417),
]

# The display name gives all three names; these are the other forms, in each side's script.
GROUP_NAMES = [
    "尖閣諸島",
    "钓鱼岛及其附属岛屿",
    "釣魚臺列嶼",
    "Diaoyutai Islands",
    "Pinnacle Islands",
]
DISPUTE = (
    "Administered by Japan; claimed by the People's Republic of China and by Taiwan (ROC). "
    "This map takes no position on sovereignty."
)
ZONE_CAVEAT = (
    "Approximate: computed as geodesic circles (WGS84) around one point per islet and merged. "
    "The real zones are measured from baselines along each coast, so the true limits differ by "
    "up to a few km; not an official boundary."
)


def geodesic_circle(lon: float, lat: float, radius_m: float, geod: Geod) -> Polygon:
    """The polygon of points `radius_m` metres from (lon, lat) along the ellipsoid."""
    azimuths = [360.0 * step / CIRCLE_SEGMENTS for step in range(CIRCLE_SEGMENTS)]
    lons, lats, _ = geod.fwd(
        [lon] * CIRCLE_SEGMENTS, [lat] * CIRCLE_SEGMENTS, azimuths, [radius_m] * CIRCLE_SEGMENTS
    )
    return Polygon(zip(lons, lats, strict=True))


def zone(radius_m: float, geod: Geod):
    """Everything within `radius_m` of any islet point, as one (multi)polygon."""
    return unary_union([geodesic_circle(lon, lat, radius_m, geod) for *_, lon, lat in ISLETS])


def tidy(geometry):
    """Snap to the output grid, keep it valid and give outer rings the right-hand rule."""
    geometry = shapely.set_precision(geometry, PRECISION_DEG)
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if geometry.geom_type == "Polygon":
        return orient(geometry, 1.0)
    if geometry.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([orient(part, 1.0) for part in geometry.geoms])
    return geometry


def rounded(value):
    """Coordinates rounded to 4 decimals, recursively through GeoJSON nesting."""
    if isinstance(value, (list, tuple)):
        return [rounded(item) for item in value]
    return round(value, 4)


def feature(properties: dict, geometry) -> dict:
    shape = mapping(geometry)
    return {
        "type": "Feature",
        "properties": with_names(properties),
        "geometry": {"type": shape["type"], "coordinates": rounded(shape["coordinates"])},
    }


def islet_list() -> str:
    return "; ".join(
        f"{romaji} {japanese} / {prc} / {roc} ({lat:.4f}N {lon:.4f}E)"
        for romaji, japanese, prc, roc, lon, lat in ISLETS
    )


def build() -> dict:
    geod = Geod(ellps="WGS84")
    islets = MultiPoint([(lon, lat) for *_, lon, lat in ISLETS])
    territorial = zone(TERRITORIAL_SEA_M, geod)
    contiguous = zone(CONTIGUOUS_ZONE_M, geod).difference(territorial)
    name = "Senkaku / Diaoyu / Tiaoyutai Islands"
    features = [
        feature(
            {
                "id": "senkaku-waters",
                "name": name,
                "alt_names": GROUP_NAMES,
                "kind": "island_waters",
                "note": (
                    "The eight islets as points, in this order: "
                    + islet_list()
                    + ". Coordinates from public gazetteer values (PRC State Oceanic "
                    "Administration point for Uotsuri-shima/Diaoyu Dao; Wikipedia; OPRF table "
                    "citing GSI), accurate to about 1-2 km. " + DISPUTE
                ),
                "default_visible": True,
            },
            islets,
        ),
        feature(
            {
                "id": "senkaku-territorial-sea",
                "name": f"{name}: 12 nm from the islets (approximate territorial sea)",
                "alt_names": ["尖閣諸島 領海", "钓鱼岛 领海", "釣魚臺列嶼 領海"],
                "kind": "territorial_sea",
                "note": "Within 12 nautical miles (22.224 km) of an islet point. "
                + ZONE_CAVEAT
                + " "
                + DISPUTE,
                "default_visible": True,
            },
            tidy(territorial),
        ),
        feature(
            {
                "id": "senkaku-contiguous-zone",
                "name": f"{name}: 12–24 nm (approximate contiguous zone)",
                "alt_names": ["尖閣諸島 接続水域", "钓鱼岛 毗连区", "釣魚臺列嶼 鄰接區"],
                "kind": "contiguous_zone",
                "note": "The band from 12 to 24 nautical miles (22.224-44.448 km) of an islet "
                "point, the territorial sea cut out. " + ZONE_CAVEAT + " " + DISPUTE,
                "default_visible": True,
            },
            tidy(contiguous),
        ),
    ]
    return {"type": "FeatureCollection", "features": features}


def to_json(document: dict) -> str:
    """Pretty JSON (2-space indent) with each [lon, lat] pair kept on one line."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return re.sub(r"\[\s+(-?\d+(?:\.\d+)?),\s+(-?\d+(?:\.\d+)?)\s+\]", r"[\1, \2]", text) + "\n"


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(to_json(build()), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
