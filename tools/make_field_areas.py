"""Build the named areas of the South China Sea and the passages of the first island chain.

Run from the repository root with the project venv:

    python tools/make_field_areas.py --natural-earth DIR
    python tools/make_field_areas.py                  # the straits only

It writes:

* geodata/areas/south-china-sea.geojson (needs --natural-earth): the South China Sea, the
  Spratly and Paracel Islands and Scarborough Shoal as Natural Earth 1:10m draws them, a 12 nm
  zone around the Paracel Islands and Scarborough Shoal, and Second Thomas Shoal, Mischief Reef
  and Whitsun Reef as points at their published positions;
* geodata/areas/straits.geojson: the Miyako Strait, the passages between Yonaguni-jima and
  Iriomote-jima and between Yonaguni-jima and Taiwan, and the Bashi Channel, each as the line
  between the nearest coasts of the islands it runs between.

No line is drawn by hand. Every coordinate is a published one (cited in the feature's note), a
vertex of Natural Earth or GSHHG, or computed from those by a stated rule: a geodesic distance
(12 nautical miles = 22 224 m, WGS84, pyproj.Geod) or the shortest line between two coasts.

Sources (licences in geodata/areas/NOTICE.md):
- Natural Earth 1:10m (public domain), as GeoJSON in the repository
  martynafford/natural-earth-geojson (CC0), commit 0b9a6ceb0a70, folder 10m/: the files in
  NATURAL_EARTH, checked by SHA-256 (the same files tools/make_basemap.py reads for place names);
- coastlines: GSHHG 2.3.6 "full" (LGPL-3.0-or-later), as the basemap's land tiles in
  static/basemap/land/ hold them (grid 9: GSHHG full as it is, to about 10 m);
- reef positions: the tables in REEFS, each with its source.

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import LineString, Point, mapping, shape
from shapely.ops import nearest_points, unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from area_names import with_names  # noqa: E402
from make_areas import TERRITORIAL_SEA_M, geodesic_circle, rounded, tidy, to_json  # noqa: E402

from layers.map import basemap_files  # noqa: E402

SOUTH_CHINA_SEA_OUT = ROOT / "geodata" / "areas" / "south-china-sea.geojson"
STRAITS_OUT = ROOT / "geodata" / "areas" / "straits.geojson"

NATURAL_EARTH = {
    "ne_10m_admin_0_disputed_areas.json": (
        "462d995d96b4b20901224b877cdb44266521d4b93a7c9259619c557e04a0d7f9"
    ),
    "ne_10m_geography_marine_polys.json": (
        "3a50bf3ffcd2fde0da13e5503099c549ccc46885164fd8010e679b2372538fbc"
    ),
}
NE_SOURCE = (
    "Natural Earth 1:10m (public domain; GeoJSON from the repository "
    "martynafford/natural-earth-geojson, CC0, commit 0b9a6ceb0a70)"
)
GSHHG_SOURCE = (
    "GSHHG 2.3.6 'full' coastlines (Wessel and Smith; LGPL-3.0-or-later), as the basemap's land "
    "tiles hold them (static/basemap/NOTICE.md)"
)
NO_POSITION = "This map takes no position on sovereignty."
# Vertices of a polygon are joined every this many degrees (about 110 m) before the 12 nm
# circles are drawn around them, so the zone follows the edges, not only the corners.
DENSIFY_DEG = 0.001
COAST_ZOOM = 12  # the basemap level whose tiles are GSHHG full, not simplified

# Reefs known by a reported position: (id, name, alternative names, lon, lat, note).
# The position and its source are in the note; the 2016 award's paragraph numbers are as the
# University of the Philippines Institute for Maritime Affairs and Law of the Sea's guide to the
# award lists them (PCA Case No. 2013-19, Award of 12 July 2016).
REEFS = [
    (
        "second-thomas-shoal",
        "Second Thomas Shoal",
        [
            "仁爱礁",
            "仁愛礁",
            "Ren'ai Jiao",
            "仁愛暗沙",
            "Ayungin Shoal",
            "Buhanginan ng Ayungin",
            "Bãi Cỏ Mây",
        ],
        115 + 51 / 60 + 51 / 3600,
        9 + 43 / 60 + 57 / 3600,
        "Position 9°43′57″N 115°51′51″E as the Asia Maritime Transparency Initiative (CSIS) "
        "gives it (Island Tracker, 'Second Thomas Shoal', amti.csis.org/second-thomas-shoal/); "
        "English Wikipedia gives 9°44′N 115°52′E, under 1 km away. A submerged atoll about 11 nm "
        "long north to south: the point stands for all of it. Held by the Philippines since 1999 "
        "(the BRP Sierra Madre, grounded on the reef); claimed by China, Taiwan (ROC) and "
        "Vietnam. The 2016 arbitral award (PCA Case No. 2013-19, ¶¶ 380-381) found it a "
        "low-tide elevation, which has no territorial sea of its own: no 12 nm zone is drawn. "
        "China does not accept the award. " + NO_POSITION,
    ),
    (
        "mischief-reef",
        "Mischief Reef",
        [
            "美济礁",
            "美濟礁",
            "Meiji Jiao",
            "Panganiban Reef",
            "Bahura ng Panganiban",
            "Đá Vành Khăn",
        ],
        115 + 32 / 60,
        9 + 55 / 60,
        "Position 9°55′N 115°32′E as English Wikipedia gives it ('Mischief Reef'), to the "
        "minute (about 1.8 km); an atoll built into an artificial island "
        "with a runway by China from 2013 to 2016. Controlled by China since 1995; claimed by "
        "the Philippines, Taiwan (ROC) and Vietnam. The 2016 arbitral award (PCA Case No. "
        "2013-19, ¶¶ 377-378) found it a low-tide elevation, which has no territorial sea of "
        "its own (nor does an artificial island: UNCLOS art. 60(8)): no 12 nm zone is drawn. "
        "China does not accept the award. " + NO_POSITION,
    ),
    (
        "whitsun-reef",
        "Whitsun Reef",
        [
            "牛轭礁",
            "牛軛礁",
            "Niu'e Jiao",
            "Julian Felipe Reef",
            "Bahura ng Julian Felipe",
            "Đá Ba Đầu",
        ],
        114 + 39 / 60 + 27 / 3600,
        9 + 59 / 60 + 38 / 3600,
        "Position 9°59′38″N 114°39′27″E as English Wikipedia gives it ('Whitsun Reef'); "
        "GlobalSecurity.org gives 10°00′10″N 114°39′58″E, about 1.3 km away. A V-shaped reef "
        "of about 10 km² at the north-east end of Union Banks, where some 220 Chinese vessels "
        "moored in March 2021. Claimed by China, the Philippines and Vietnam. A low-tide "
        "elevation on the modern charts GlobalSecurity.org compares (the UK Hydrographic "
        "Office's among them; one Japanese chart shows a feature exposed at its southern tip), "
        "so it has no territorial sea of its own: no 12 nm zone is drawn. " + NO_POSITION,
    ),
]

# Islands the straits run between, each found in the basemap's GSHHG land as the polygon that
# holds `inside` among the land over `box` (west, south, east, north), which must hold it whole.
# `inside` only picks the island (a point on it, e.g. its main town); no coordinate of the
# output comes from it.
ISLANDS = {
    "okinawa": ("Okinawa-honto (沖縄本島)", (127.5, 25.9, 128.5, 26.95), (127.68, 26.21)),
    "miyako": ("Miyako-jima (宮古島)", (125.1, 24.6, 125.55, 25.0), (125.28, 24.80)),
    "yonaguni": ("Yonaguni-jima (与那国島)", (122.9, 24.4, 123.1, 24.5), (123.0, 24.46)),
    "iriomote": ("Iriomote-jima (西表島)", (123.6, 24.2, 124.0, 24.5), (123.8, 24.33)),
    "taiwan": ("Taiwan (臺灣本島)", (119.9, 21.8, 122.1, 25.4), (121.0, 23.5)),
    "lanyu": ("Orchid Island (蘭嶼, Lanyu)", (121.45, 21.97, 121.65, 22.12), (121.55, 22.04)),
    "xiaolanyu": (
        "Lesser Orchid Island (小蘭嶼)",
        (121.58, 21.9, 121.66, 21.98),
        (121.604, 21.954),
    ),
    "mavulis": ("Mavulis (Y'Ami) Island", (121.9, 21.05, 122.0, 21.15), (121.95, 21.11)),
}


def check_inputs(directory: Path) -> dict[str, dict]:
    """The Natural Earth files of NATURAL_EARTH in `directory`, parsed, after checking each
    one's SHA-256. Raises SystemExit naming a missing or different file."""
    documents = {}
    for name, digest in NATURAL_EARTH.items():
        path = directory / name
        if not path.is_file():
            raise SystemExit(f"{path}: missing (expected Natural Earth {name})")
        data = path.read_bytes()
        found = hashlib.sha256(data).hexdigest()
        if found != digest:
            raise SystemExit(f"{path}: SHA-256 {found}, expected {digest}")
        documents[name] = json.loads(data)
    return documents


def ne_feature(document: dict, key: str, value: str):
    """The geometry of the one feature whose property `key` is `value`."""
    found = [f for f in document["features"] if f["properties"].get(key) == value]
    if len(found) != 1:
        raise SystemExit(f"Natural Earth: {len(found)} features with {key} = {value!r}")
    return shape(found[0]["geometry"])


def zone_around(geometry, radius_m: float, geod: Geod):
    """Everything within `radius_m` (geodesic, WGS84) of `geometry`: the union of geodesic
    circles around its vertices, its edges first densified to DENSIFY_DEG, and the geometry
    itself. Good to about a metre for features a few km across (the circles' chords)."""
    dense = shapely.segmentize(geometry, DENSIFY_DEG)
    points = shapely.get_coordinates(dense)
    circles = [geodesic_circle(lon, lat, radius_m, geod) for lon, lat in points]
    return unary_union([*circles, geometry])


def island(key: str):
    """The GSHHG polygon of one island of ISLANDS. Raises SystemExit when the land over its box
    does not hold it whole (the box would cut it)."""
    label, (west, south, east, north), inside = ISLANDS[key]
    land = unary_union(basemap_files.land(((south, west), (north, east)), COAST_ZOOM))
    for part in getattr(land, "geoms", [land]):
        if part.contains(Point(inside)):
            w, s, e, n = part.bounds
            if not (west < w and south < s and e < east and n < north):
                raise SystemExit(f"{label}: the box {west, south, east, north} cuts the island")
            return part
    raise SystemExit(f"{label}: no land at {inside}")


def nearest_coasts(first, second) -> tuple[Point, Point]:
    """The nearest points of two island polygons, measured in an azimuthal equidistant
    projection centred between them (metres, WGS84), returned in longitude/latitude."""
    centre = unary_union([first.centroid, second.centroid]).centroid
    local = CRS.from_proj4(
        f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84 +units=m +no_defs"
    )
    forward = Transformer.from_crs("EPSG:4326", local, always_xy=True)
    back = Transformer.from_crs(local, "EPSG:4326", always_xy=True)

    def to_local(geometry):
        return shapely.transform(geometry, lambda xy: np.column_stack(forward.transform(*xy.T)))

    a, b = nearest_points(to_local(first), to_local(second))
    return tuple(Point(back.transform(p.x, p.y)) for p in (a, b))


def feature(properties: dict, geometry) -> dict:
    shape_ = mapping(geometry)
    return {
        "type": "Feature",
        "properties": with_names(properties),
        "geometry": {"type": shape_["type"], "coordinates": rounded(shape_["coordinates"])},
    }


def degrees(point: Point) -> str:
    return f"{point.y:.4f}°N {point.x:.4f}°E"


def build_south_china_sea(documents: dict) -> dict:
    geod = Geod(ellps="WGS84")
    marine = documents["ne_10m_geography_marine_polys.json"]
    disputed = documents["ne_10m_admin_0_disputed_areas.json"]
    sea = ne_feature(marine, "name", "South China Sea")
    spratly = ne_feature(disputed, "NAME", "Spratly Is.")
    paracel = ne_feature(disputed, "NAME", "Paracel Is.")
    scarborough = ne_feature(disputed, "NAME", "Scarborough Reef")
    ne_file = "file ne_10m_admin_0_disputed_areas.json, SHA-256 462d995d…"
    centre = scarborough.centroid
    features = [
        feature(
            {
                "id": "south-china-sea",
                "name": "South China Sea",
                "alt_names": [
                    "南海",
                    "南中国海",
                    "南中國海",
                    "Biển Đông",
                    "Dagat Timog Tsina",
                    "West Philippine Sea",
                    "Kanlurang Dagat ng Pilipinas",
                    "Laut China Selatan",
                    "Laut Cina Selatan",
                    "南シナ海",
                ],
                "kind": "sea",
                "note": (
                    "The sea as Natural Earth draws it: " + NE_SOURCE + ", layer "
                    "geography_marine_polys, feature 'South China Sea' (file "
                    "ne_10m_geography_marine_polys.json, SHA-256 3a50bf3f…), "
                    f"{len(shapely.get_coordinates(sea))} vertices, "
                    f"{sea.bounds[0]:.1f}-{sea.bounds[2]:.1f}°E and "
                    f"{abs(sea.bounds[1]):.1f}°S-{sea.bounds[3]:.1f}°N. Its coasts are Natural "
                    "Earth's, and so are its limits: the Taiwan Strait, the Gulf of Tonkin, the "
                    "Gulf of Thailand and the Sulu Sea are Natural Earth features of their own "
                    "beside it, not parts of it. These limits are Natural Earth's cartography, "
                    "not the IHO's 'Limits of Oceans and Seas' (S-23), and not a legal "
                    "boundary. Names: China 南海 (also 南中国海 / 南中國海); Vietnam Biển "
                    "Đông ('East Sea'); the Philippines calls the part west of its archipelago "
                    "the West Philippine Sea (Kanlurang Dagat ng Pilipinas); Malaysia Laut "
                    "China Selatan; Indonesia Laut Cina Selatan (and the North Natuna Sea for "
                    "its part off the Natuna Islands). Which waters each state may claim is "
                    "disputed. " + NO_POSITION
                ),
                "default_visible": False,
            },
            tidy(sea),
        ),
        feature(
            {
                "id": "spratly-islands",
                "name": "Spratly Islands",
                "alt_names": [
                    "南沙群岛",
                    "南沙群島",
                    "Nansha Qundao",
                    "Quần đảo Trường Sa",
                    "Kalayaan Island Group",
                    "Kapuluan ng Kalayaan",
                    "Kepulauan Spratly",
                ],
                "kind": "island_waters",
                "note": (
                    "The features Natural Earth maps as land in the group: " + NE_SOURCE + ", "
                    "layer admin_0_disputed_areas, feature 'Spratly Is.' (" + ne_file + "), "
                    f"{len(spratly.geoms)} polygons, {spratly.bounds[0]:.2f}-"
                    f"{spratly.bounds[2]:.2f}°E and {spratly.bounds[1]:.2f}-"
                    f"{spratly.bounds[3]:.2f}°N. Most are small squares standing for islets too "
                    "small to draw. The set is Natural Earth's, not a survey: it leaves out the "
                    "features west of 113.3°E and south of 8.2°N (Spratly Island itself, "
                    "Swallow Reef) and draws three squares on the rim of Mischief Reef, which "
                    "the 2016 arbitral award found to be a low-tide elevation. No 12 nm zone is "
                    "drawn around them: which Spratly features have a territorial sea is itself "
                    "in dispute (the award found some to be rocks above high tide, others "
                    "low-tide elevations), and this set can neither tell them apart nor is it "
                    "complete. Claimed in whole or in part by China, Taiwan (ROC), Vietnam, the "
                    "Philippines (as the Kalayaan Island Group), Malaysia and Brunei "
                    "(Natural Earth's note leaves Vietnam out). " + NO_POSITION
                ),
                "default_visible": True,
            },
            tidy(spratly),
        ),
        feature(
            {
                "id": "paracel-islands",
                "name": "Paracel Islands",
                "alt_names": [
                    "西沙群岛",
                    "西沙群島",
                    "Xisha Qundao",
                    "Quần đảo Hoàng Sa",
                ],
                "kind": "island_waters",
                "note": (
                    "The islands Natural Earth maps as land in the group: " + NE_SOURCE + ", "
                    "layer admin_0_disputed_areas, feature 'Paracel Is.' (" + ne_file + "), "
                    f"{len(paracel.geoms)} polygons, {paracel.bounds[0]:.2f}-"
                    f"{paracel.bounds[2]:.2f}°E and {paracel.bounds[1]:.2f}-"
                    f"{paracel.bounds[3]:.2f}°N, from Triton Island in the south-west to "
                    "Lincoln Island in the east. Controlled by China since 1974; claimed by "
                    "Vietnam and Taiwan (ROC) (Natural Earth: 'Admin. by China; Claimed by "
                    "Vietnam and Taiwan'). " + NO_POSITION
                ),
                "default_visible": True,
            },
            tidy(paracel),
        ),
        feature(
            {
                "id": "paracel-islands-12nm",
                "name": "Paracel Islands: 12 nm from each island (approximate territorial seas)",
                "alt_names": ["西沙群岛 领海", "西沙群島 領海", "Hoàng Sa lãnh hải"],
                "kind": "territorial_sea",
                "note": (
                    "Within 12 nautical miles (22.224 km) of an island of the group as Natural "
                    "Earth draws it (feature paracel-islands): geodesic circles (WGS84, "
                    "pyproj.Geod) around its outlines, densified to about 110 m, merged. "
                    "Approximate: a territorial sea is measured from the low-water line, and "
                    "Natural Earth's small islands are squares at approximate positions. China "
                    "measures its territorial sea here from straight baselines it declared "
                    "around the whole group on 15 May 1996, which also make the waters between "
                    "the islands internal; Vietnam and others, the US among them, do not accept "
                    "those baselines, which are not drawn here. Claimed as for the islands. "
                    + NO_POSITION
                ),
                "default_visible": True,
            },
            tidy(zone_around(paracel, TERRITORIAL_SEA_M, geod)),
        ),
        feature(
            {
                "id": "scarborough-shoal",
                "name": "Scarborough Shoal",
                "alt_names": [
                    "黄岩岛",
                    "黃岩島",
                    "Huangyan Dao",
                    "民主礁",
                    "Bajo de Masinloc",
                    "Panatag Shoal",
                    "Buhanginan ng Panatag",
                    "Scarborough Reef",
                ],
                "kind": "island_waters",
                "note": (
                    "The shoal as Natural Earth draws it: " + NE_SOURCE + ", layer "
                    "admin_0_disputed_areas, feature 'Scarborough Reef' (" + ne_file + "), a "
                    f"polygon of {len(scarborough.exterior.coords) - 1} corners about 0.4 km "
                    f"across, centred at {degrees(centre)}. The atoll itself is about 15 km "
                    "across, with a few rocks above high tide on its rim, and published "
                    "positions for it differ by up to about 11 km: 15°08′N 117°45′E (US "
                    "Department of State, Bureau of Intelligence and Research, R. D. Hodgson "
                    "and T. V. McIntyre, 'South China Sea: Up for Grabs', 14 September 1971), "
                    "15°11′N 117°46′E (English Wikipedia), 15°07′N 117°51′E (Chinese "
                    "descriptions of 黄岩岛). Claimed by China, Taiwan (ROC) and the "
                    "Philippines; controlled by China since 2012. The 2016 arbitral award "
                    "(PCA Case No. 2013-19, ¶¶ 554, 556) found it a rock: a 12 nm territorial "
                    "sea but no exclusive economic zone. China declared straight baselines "
                    "around it on 10 November 2024. " + NO_POSITION
                ),
                "default_visible": True,
            },
            tidy(scarborough),
        ),
        feature(
            {
                "id": "scarborough-shoal-12nm",
                "name": "Scarborough Shoal: 12 nm (approximate territorial sea)",
                "alt_names": ["黄岩岛 领海", "黃岩島 領海", "Bajo de Masinloc territorial sea"],
                "kind": "territorial_sea",
                "note": (
                    "Within 12 nautical miles (22.224 km) of the shoal as Natural Earth draws "
                    "it (feature scarborough-shoal): geodesic circles (WGS84, pyproj.Geod) "
                    "around its outline, densified to about 110 m, merged. Approximate: the "
                    "territorial sea is measured from the rocks and reef on the rim of an atoll "
                    "about 15 km across (or, in China's view, from its 2024 baselines), so the "
                    "true limit may lie up to about 11 km from this one. Neither China's "
                    "baselines nor any Philippine line is drawn. "
                    "Claimed by China, Taiwan (ROC) and the Philippines. " + NO_POSITION
                ),
                "default_visible": True,
            },
            tidy(zone_around(scarborough, TERRITORIAL_SEA_M, geod)),
        ),
    ]
    for reef_id, name, alt_names, lon, lat, note in REEFS:
        features.append(
            feature(
                {
                    "id": reef_id,
                    "name": name,
                    "alt_names": alt_names,
                    "kind": "point_of_interest",
                    "note": note,
                    "default_visible": True,
                },
                Point(lon, lat),
            )
        )
    return {"type": "FeatureCollection", "features": features}


def strait_note(definition: str, ends: str, points: list[Point], length_km: float) -> str:
    return (
        definition
        + " Drawn as the line between the nearest coasts of "
        + ends
        + " in "
        + GSHHG_SOURCE
        + ": "
        + " to ".join(degrees(p) for p in points)
        + f", {length_km:.1f} km (geodesic; the line is straight in longitude and latitude). "
        "A track crosses the strait when it has parts on both sides of this line. The line is "
        "a way to count transits, not a boundary: the water on both sides is the same passage."
    )


def geodesic_km(points: list[Point], geod: Geod) -> float:
    return (
        sum(geod.inv(a.x, a.y, b.x, b.y)[2] for a, b in zip(points, points[1:], strict=False))
        / 1000
    )


def build_straits() -> dict:
    geod = Geod(ellps="WGS84")
    islands = {key: island(key) for key in ISLANDS}
    features = []

    def passage(properties: dict, points: list[Point], definition: str, ends: str) -> None:
        note = strait_note(definition, ends, points, geodesic_km(points, geod))
        properties = {**properties, "note": note + " " + properties.pop("note", "")}
        properties["note"] = properties["note"].strip()
        properties["default_visible"] = True
        features.append(feature(properties, LineString(points)))

    mod = "Japan's Ministry of Defense (Joint Staff) reports transits through it as "
    passage(
        {
            "id": "miyako-strait",
            "name": "Miyako Strait (between Okinawa and Miyako-jima)",
            "alt_names": [
                "宮古海峡",
                "宫古海峡",
                "宮古海峽",
                "沖縄本島と宮古島との間の海域",
                "Okinawa–Miyako passage",
            ],
            "kind": "strait",
        },
        list(nearest_coasts(islands["okinawa"], islands["miyako"])),
        "The passage between Okinawa-honto and Miyako-jima. " + mod + "'沖縄本島と宮古島との間"
        "の海域' (e.g. Joint Staff press release of 19 May 2026, "
        "www.mod.go.jp/js/pdf/2026/p20260519_01.pdf).",
        "Okinawa-honto and Miyako-jima",
    )
    passage(
        {
            "id": "yonaguni-iriomote-passage",
            "name": "Passage between Yonaguni-jima and Iriomote-jima (Yaeyama Islands)",
            "alt_names": [
                "与那国島と西表島との間の海域",
                "与那国岛与西表岛之间",
                "與那國島與西表島之間",
                "Yaeyama Islands passage",
            ],
            "kind": "strait",
            "note": (
                "Both islands are Japanese (Okinawa Prefecture); the passage is wider than "
                "24 nm, so international waters run through it."
            ),
        },
        list(nearest_coasts(islands["yonaguni"], islands["iriomote"])),
        "The passage within the Yaeyama Islands between Yonaguni-jima and Iriomote-jima. "
        + mod
        + "'与那国島と西表島との間の海域' (e.g. Joint Staff press release of 10 March 2026, "
        "www.mod.go.jp/js/pdf/2026/p20260310_01.pdf).",
        "Yonaguni-jima and Iriomote-jima",
    )
    passage(
        {
            "id": "yonaguni-taiwan-passage",
            "name": "Passage between Yonaguni-jima and Taiwan",
            "alt_names": [
                "与那国島と台湾との間の海域",
                "与那国岛与台湾之间",
                "與那國島與臺灣之間",
            ],
            "kind": "strait",
        },
        list(nearest_coasts(islands["yonaguni"], islands["taiwan"])),
        "The passage between Yonaguni-jima, Japan's westernmost inhabited island, and Taiwan. "
        "Japan's Ministry of Defense (Joint Staff) reports flights through it as "
        "'与那国島と台湾との間を通過' (e.g. its list of notable flights of fiscal 2025, "
        "www.mod.go.jp/js/pdf/2026/p20260417_03.pdf).",
        "Yonaguni-jima and Taiwan",
    )
    taiwan_end, lanyu_north = nearest_coasts(islands["taiwan"], islands["lanyu"])
    lanyu_south, xiaolanyu_north = nearest_coasts(islands["lanyu"], islands["xiaolanyu"])
    xiaolanyu_south, mavulis_end = nearest_coasts(islands["xiaolanyu"], islands["mavulis"])
    passage(
        {
            "id": "bashi-channel",
            "name": "Bashi Channel (between Taiwan and the Batanes)",
            "alt_names": [
                "巴士海峡",
                "巴士海峽",
                "Tsanel ng Bashi",
                "Kipot ng Bashi",
                "バシー海峡",
            ],
            "kind": "strait",
            "note": (
                "The northern channel of the Luzon Strait, between the South China Sea and the "
                "Philippine Sea. Taiwan and the Philippines both claim the waters of the "
                "channel as within 200 nm of their coasts."
            ),
        },
        [taiwan_end, lanyu_north, lanyu_south, xiaolanyu_north, xiaolanyu_south, mavulis_end],
        "The channel between Taiwan and the Batanes (Philippines): English Wikipedia ('Bashi "
        "Channel') places it between Mavulis (Y'Ami) Island and Orchid Island (Lanyu), Chinese "
        "Wikipedia ('巴士海峽') between Taiwan island and the Batanes, narrowest between Lesser "
        "Orchid Island and Mavulis; the line closes both, from Taiwan over Orchid Island and "
        "Lesser Orchid Island to Mavulis (the short pieces across the two islands and the gap "
        "between them join its three crossings).",
        "Taiwan, Orchid Island, Lesser Orchid Island and Mavulis",
    )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--natural-earth",
        type=Path,
        help="folder holding the Natural Earth GeoJSON files (see NATURAL_EARTH); without it "
        "only the straits are written",
    )
    args = parser.parse_args()
    if args.natural_earth:
        documents = check_inputs(args.natural_earth)
        SOUTH_CHINA_SEA_OUT.write_text(to_json(build_south_china_sea(documents)), "utf-8")
        print(f"wrote {SOUTH_CHINA_SEA_OUT}")
    STRAITS_OUT.write_text(to_json(build_straits()), "utf-8")
    print(f"wrote {STRAITS_OUT}")


if __name__ == "__main__":
    main()
