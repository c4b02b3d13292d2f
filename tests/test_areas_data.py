"""The named areas of the South China Sea and of the island-chain passages (geodata/areas/
south-china-sea.geojson and straits.geojson, built by tools/make_field_areas.py): each one's
names, its vertices against the cited sources, its 12 nm zones measured with pyproj, and the
zone tags an analyst sees for a transit."""

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import REPO
from pyproj import Geod

from layers.analysis.zones import IN, zone_tags
from layers.map import basemap_files
from layers.read.load import load_geodata

GEODATA = load_geodata(REPO / "geodata")
AREAS = GEODATA.areas.set_index("id")
GEOD = Geod(ellps="WGS84")
NM = 1852.0
TWELVE_NM = 12 * NM  # 22 224 m


def dms(degrees: float, minutes: float = 0.0, seconds: float = 0.0) -> float:
    return degrees + minutes / 60 + seconds / 3600


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance (WGS84) between two (lon, lat) positions."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_the_validator_accepts_geodata_with_the_new_areas():
    result = subprocess.run(
        [sys.executable, "-m", "layers.validate", "geodata"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert GEODATA.problems == []


# id: (name, kind, names that must be among alt_names: each claimant's, in its scripts)
NAMES = {
    "south-china-sea": (
        "South China Sea",
        "sea",
        ["南海", "南中国海", "南中國海", "Biển Đông", "West Philippine Sea", "Laut China Selatan"],
    ),
    "spratly-islands": (
        "Spratly Islands",
        "island_waters",
        [
            "南沙群岛",
            "南沙群島",
            "Quần đảo Trường Sa",
            "Kalayaan Island Group",
            "Kepulauan Spratly",
        ],
    ),
    "paracel-islands": (
        "Paracel Islands",
        "island_waters",
        ["西沙群岛", "西沙群島", "Quần đảo Hoàng Sa"],
    ),
    "paracel-islands-12nm": (
        "Paracel Islands: 12 nm from each island (approximate territorial seas)",
        "territorial_sea",
        ["西沙群岛 领海", "西沙群島 領海"],
    ),
    "scarborough-shoal": (
        "Scarborough Shoal",
        "island_waters",
        ["黄岩岛", "黃岩島", "Bajo de Masinloc", "Panatag Shoal"],
    ),
    "scarborough-shoal-12nm": (
        "Scarborough Shoal: 12 nm (approximate territorial sea)",
        "territorial_sea",
        ["黄岩岛 领海", "黃岩島 領海"],
    ),
    "second-thomas-shoal": (
        "Second Thomas Shoal",
        "point_of_interest",
        ["仁爱礁", "仁愛礁", "Ayungin Shoal", "Bãi Cỏ Mây"],
    ),
    "mischief-reef": (
        "Mischief Reef",
        "point_of_interest",
        ["美济礁", "美濟礁", "Panganiban Reef", "Đá Vành Khăn"],
    ),
    "whitsun-reef": (
        "Whitsun Reef",
        "point_of_interest",
        ["牛轭礁", "牛軛礁", "Julian Felipe Reef", "Đá Ba Đầu"],
    ),
    "miyako-strait": (
        "Miyako Strait (between Okinawa and Miyako-jima)",
        "strait",
        ["宮古海峡", "宫古海峡", "宮古海峽", "沖縄本島と宮古島との間の海域"],
    ),
    "yonaguni-iriomote-passage": (
        "Passage between Yonaguni-jima and Iriomote-jima (Yaeyama Islands)",
        "strait",
        ["与那国島と西表島との間の海域", "与那国岛与西表岛之间", "與那國島與西表島之間"],
    ),
    "yonaguni-taiwan-passage": (
        "Passage between Yonaguni-jima and Taiwan",
        "strait",
        ["与那国島と台湾との間の海域", "与那国岛与台湾之间", "與那國島與臺灣之間"],
    ),
    "bashi-channel": (
        "Bashi Channel (between Taiwan and the Batanes)",
        "strait",
        ["巴士海峡", "巴士海峽", "Kipot ng Bashi"],
    ),
}


@pytest.mark.parametrize("area_id", sorted(NAMES))
def test_each_area_has_its_neutral_name_and_each_claimants_names(area_id):
    name, kind, names = NAMES[area_id]
    area = AREAS.loc[area_id]
    assert area["name"] == name
    assert area["kind"] == kind
    assert set(names) <= set(area["alt_names"])
    assert "takes no position on sovereignty" in area["note"] or kind == "strait"


def test_the_south_china_sea_file_holds_exactly_these_areas():
    in_file = AREAS[AREAS["file"].str.endswith("south-china-sea.geojson")].index
    in_straits = AREAS[AREAS["file"].str.endswith("straits.geojson")].index
    assert set(in_file) | set(in_straits) == set(NAMES)


def ring(area_id: str, near: tuple[float, float]) -> set[tuple[float, float]]:
    """The vertices of the part of an area's (multi)polygon that holds or is nearest `near`."""
    geometry = AREAS.loc[area_id].geometry
    parts = list(getattr(geometry, "geoms", [geometry]))
    part = min(parts, key=lambda p: p.distance(shapely.Point(near)))
    return {tuple(xy) for xy in shapely.get_coordinates(part.exterior)}


def test_the_outlines_are_natural_earths_vertices():
    """Natural Earth 1:10m admin_0_disputed_areas and geography_marine_polys (SHA-256 in
    tools/make_field_areas.py), rounded to 4 decimals as the file writes them."""
    assert ring("scarborough-shoal", (117.754, 15.152)) == {
        (117.7539, 15.1544),  # NE 117.75388717800001, 15.154369263000063
        (117.7557, 15.1519),
        (117.7539, 15.1501),
        (117.7519, 15.1519),
    }
    triton = ring("paracel-islands", (111.2, 15.782))  # NE's square for Triton Island
    assert {(111.2046, 15.7792), (111.1929, 15.7782), (111.2085, 15.7863)} <= triton
    itu_aba = ring("spratly-islands", (114.363, 10.373))
    assert {(114.367, 10.3681), (114.3582, 10.3774), (114.3678, 10.3708)} <= itu_aba
    sea = {tuple(xy) for xy in shapely.get_coordinates(AREAS.loc["south-china-sea"].geometry)}
    assert {(120.8221, 21.9308), (120.8221, 21.9303), (104.9169, -2.3923)} <= sea
    assert len(AREAS.loc["spratly-islands"].geometry.geoms) == 21
    assert len(AREAS.loc["paracel-islands"].geometry.geoms) == 18


@pytest.mark.parametrize(
    ("area_id", "cited", "other", "within_m"),
    [
        # AMTI Island Tracker 9°43′57″N 115°51′51″E; English Wikipedia 9°44′N 115°52′E
        (
            "second-thomas-shoal",
            (dms(115, 51, 51), dms(9, 43, 57)),
            (dms(115, 52), dms(9, 44)),
            500,
        ),
        # English Wikipedia 9°55′N 115°32′E (the only source used; to the minute)
        ("mischief-reef", (dms(115, 32), dms(9, 55)), (dms(115, 32), dms(9, 55)), 10),
        # English Wikipedia 9°59′38″N 114°39′27″E; GlobalSecurity.org 10°00′10″N 114°39′58″E
        (
            "whitsun-reef",
            (dms(114, 39, 27), dms(9, 59, 38)),
            (dms(114, 39, 58), dms(10, 0, 10)),
            1400,
        ),
    ],
)
def test_the_reefs_stand_at_their_published_positions(area_id, cited, other, within_m):
    point = AREAS.loc[area_id].geometry
    assert point.geom_type == "Point"
    assert metres((point.x, point.y), cited) < 10  # 4 decimals: about 10 m
    assert metres((point.x, point.y), other) < within_m  # the note's "under 1 km" / "1.3 km"


def test_scarborough_lies_within_the_spread_its_note_gives_for_published_positions():
    centre = AREAS.loc["scarborough-shoal"].geometry.centroid
    here = (centre.x, centre.y)
    assert metres(here, (117.75, dms(15, 8))) < 2_500  # US State Dept INR, 1971
    assert metres(here, (dms(117, 46), dms(15, 11))) < 4_000  # English Wikipedia
    assert 10_000 < metres(here, (dms(117, 51), dms(15, 7))) < 11_500  # Chinese descriptions


def boundary_distances(zone_id: str, feature_id: str) -> np.ndarray:
    """For every vertex of a zone's boundary, the geodesic distance (m) to the nearest point of
    the feature it was drawn around (its outline densified to about 25 m)."""
    zone = AREAS.loc[zone_id].geometry
    feature = AREAS.loc[feature_id].geometry
    vertices = shapely.get_coordinates(zone.boundary)
    source = shapely.get_coordinates(shapely.segmentize(feature.boundary, 0.00025))
    nearest = np.empty(len(vertices))
    for index, (lon, lat) in enumerate(vertices):
        count = len(source)
        _, _, far = GEOD.inv(np.full(count, lon), np.full(count, lat), source[:, 0], source[:, 1])
        nearest[index] = far.min()
    return nearest


@pytest.mark.parametrize(
    ("zone_id", "feature_id"),
    [("scarborough-shoal-12nm", "scarborough-shoal"), ("paracel-islands-12nm", "paracel-islands")],
)
def test_the_12_nm_zones_are_12_nm_from_their_features_within_half_a_percent(zone_id, feature_id):
    distances = boundary_distances(zone_id, feature_id)
    assert len(distances) > 100
    assert distances.min() > TWELVE_NM * 0.995, distances.min()
    assert distances.max() < TWELVE_NM * 1.005, distances.max()
    zone = AREAS.loc[zone_id].geometry
    assert zone.contains(AREAS.loc[feature_id].geometry)


def test_the_reefs_the_award_found_low_tide_elevations_have_no_zone():
    for reef in ("second-thomas-shoal", "mischief-reef", "whitsun-reef"):
        assert "no 12 nm zone is drawn" in AREAS.loc[reef, "note"]
        assert not [other for other in AREAS.index if other.startswith(reef) and other != reef]


def coast(bounds: tuple[float, float, float, float]):
    west, south, east, north = bounds
    return shapely.union_all(basemap_files.land(((south, west), (north, east)), 12))


def test_the_straits_run_from_coast_to_coast_at_the_cited_ends():
    yonaguni_end = shapely.get_coordinates(AREAS.loc["yonaguni-taiwan-passage"].geometry)[0]
    # Yonaguni's west cape, Irizaki: 24°26′58″N 122°56′01″E (GSI, Japan's westernmost point
    # until 2019); GSHHG's coast puts it about 0.4 km off.
    assert metres(tuple(yonaguni_end), (dms(122, 56, 1), dms(24, 26, 58))) < 600
    for area_id in ("miyako-strait", "yonaguni-iriomote-passage", "yonaguni-taiwan-passage"):
        line = AREAS.loc[area_id].geometry
        land = coast(tuple(np.add(line.bounds, (-0.2, -0.2, 0.2, 0.2))))
        start, end = (shapely.Point(xy) for xy in shapely.get_coordinates(line)[[0, -1]])
        assert land.distance(start) < 1e-3 and land.distance(end) < 1e-3  # on a coast (~0.1 km)
        # Nowhere else does the line touch land: it is the open passage between two islands.
        inner = shapely.LineString(
            [line.interpolate(0.001, normalized=True), line.interpolate(0.999, normalized=True)]
        )
        assert not inner.intersects(land)


def test_the_bashi_line_spans_the_narrowest_crossing_the_sources_give():
    """Chinese sources give the narrowest width, Lesser Orchid Island to Mavulis (Y'Ami), as
    96 km (52 nm); the line's last piece is that crossing."""
    points = shapely.get_coordinates(AREAS.loc["bashi-channel"].geometry)
    assert len(points) == 6
    assert 94_000 < metres(tuple(points[-2]), tuple(points[-1])) < 100_000
    assert points[0][1] > 22.0 and points[-1][1] < 21.2  # from Taiwan down to the Batanes


def transit(*positions) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"location_precision_km": [None]},
        geometry=[shapely.LineString(positions)],
        crs="EPSG:4326",
    )


def test_a_transit_between_okinawa_and_miyako_crosses_the_miyako_strait():
    east_china_sea, pacific = (126.0, 26.3), (127.0, 24.6)
    (tags,) = zone_tags(transit(east_china_sea, pacific), GEODATA.areas)
    assert dict(tags).get("miyako-strait") == IN
    (north,) = zone_tags(transit((126.0, 26.8), (128.6, 27.4)), GEODATA.areas)
    assert "miyako-strait" not in dict(north)


def test_a_ship_inside_12_nm_of_scarborough_is_in_its_zone_and_one_outside_is_not():
    centre = AREAS.loc["scarborough-shoal"].geometry.centroid
    inside, outside = (
        shapely.Point(GEOD.fwd(centre.x, centre.y, 90.0, nm * NM)[:2]) for nm in (11.5, 12.5)
    )
    events = gpd.GeoDataFrame(
        {"location_precision_km": [None, None]}, geometry=[inside, outside], crs="EPSG:4326"
    )
    near, far = (dict(tags) for tags in zone_tags(events, GEODATA.areas))
    assert near.get("scarborough-shoal-12nm") == IN
    assert "scarborough-shoal-12nm" not in far


def test_the_straits_file_is_what_the_builder_makes_from_the_basemaps_coastlines():
    """tools/make_field_areas.py needs no download for the straits: running it again gives
    the same bytes, so the file and its notes follow any change to the coastlines or rules."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import make_field_areas
    finally:
        sys.path.remove(str(REPO / "tools"))
    built = make_field_areas.to_json(make_field_areas.build_straits())
    assert built == (REPO / "geodata/areas/straits.geojson").read_text(encoding="utf-8")
