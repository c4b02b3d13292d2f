"""Zone tags on known cases: distances from Uotsuri-shima, a track across the median line, an
uncertain event straddling 12 nm, events placed by a named area (in it by definition)."""

import geopandas as gpd
import pytest
import shapely
from conftest import REPO
from pyproj import Geod

from layers.analysis.zones import (
    IN,
    POSSIBLY,
    short_area_name,
    short_area_names,
    zone_tags,
    zones_text,
)
from layers.read.load import load_geodata
from layers.read.mapping import import_table, parse_mapping
from layers.read.sources import read_source

AREAS = load_geodata(REPO / "geodata").areas
GEOD = Geod(ellps="WGS84")
UOTSURI = (123.4733, 25.7433)  # tools/make_areas.py
NM = 1852.0


def west_of_uotsuri(nautical_miles: float) -> shapely.Point:
    """A point due west of Uotsuri-shima, the westernmost islet: nearest to it of all eight."""
    lon, lat, _ = GEOD.fwd(*UOTSURI, 270.0, nautical_miles * NM)
    return shapely.Point(lon, lat)


def tags_of(*geometries, precision_km=None):
    events = gpd.GeoDataFrame(
        {"location_precision_km": [precision_km] * len(geometries)},
        geometry=list(geometries),
        crs="EPSG:4326",
    )
    return [dict(tags) for tags in zone_tags(events, AREAS)]


def test_11_nm_from_uotsuri_is_in_the_territorial_sea_and_13_nm_in_the_contiguous_zone():
    eleven, thirteen, thirty = tags_of(
        west_of_uotsuri(11), west_of_uotsuri(13), west_of_uotsuri(30)
    )
    assert eleven.get("senkaku-territorial-sea") == IN
    assert "senkaku-contiguous-zone" not in eleven
    assert "senkaku-territorial-sea" not in thirteen
    assert thirteen.get("senkaku-contiguous-zone") == IN
    assert not {"senkaku-territorial-sea", "senkaku-contiguous-zone"} & set(thirty)


def test_an_uncertain_event_straddling_12_nm_is_possibly_in_never_silently_in_or_out():
    (straddling,) = tags_of(west_of_uotsuri(13), precision_km=5)  # 13 nm ± 2.7 nm
    assert straddling["senkaku-territorial-sea"] == POSSIBLY
    assert straddling["senkaku-contiguous-zone"] == POSSIBLY  # the same 12 nm line, seen outward
    (band,) = tags_of(west_of_uotsuri(18), precision_km=5)  # 18 nm ± 2.7 nm
    assert band["senkaku-contiguous-zone"] == IN and "senkaku-territorial-sea" not in band
    (deep,) = tags_of(west_of_uotsuri(5), precision_km=5)  # 5 nm ± 2.7 nm: certainly inside
    assert deep["senkaku-territorial-sea"] == IN


def test_a_track_across_the_median_line_crosses_it_and_one_beside_it_does_not():
    across = shapely.LineString([(119.3, 24.5), (120.2, 24.6)])
    beside = shapely.LineString([(119.3, 24.5), (119.4, 24.6)])
    crossed, not_crossed = tags_of(across, beside)
    assert crossed["taiwan-strait-median-line"] == IN
    assert "taiwan-strait-median-line" not in not_crossed
    assert crossed["taiwan-strait"] == IN


def test_an_uncertain_track_near_the_median_line_possibly_crosses_it():
    line = AREAS.set_index("id").loc["taiwan-strait-median-line"].geometry
    near = line.interpolate(0.5, normalized=True)
    track = shapely.LineString([(near.x - 0.3, near.y), (near.x - 0.1, near.y)])  # ~10 km short
    (tags,) = tags_of(track, precision_km=30)
    assert tags["taiwan-strait-median-line"] == POSSIBLY


def test_an_exact_point_on_land_far_away_has_no_tags():
    assert tags_of(shapely.Point(2.35, 48.85)) == [{}]


@pytest.mark.parametrize("precision_km", [None, 0.0, 20.0])
def test_the_boso_exercise_is_in_the_boso_waters(precision_km):
    (tags,) = tags_of(shapely.Point(139.85, 34.85), precision_km=precision_km)
    assert tags.get("boso-south-waters") in (IN, POSSIBLY)


def test_the_table_names_each_zone_an_event_touches_by_its_area_name():
    tags = (("senkaku-territorial-sea", IN), ("taiwan-strait-median-line", POSSIBLY))
    names = {"senkaku-territorial-sea": "Senkaku territorial sea"}
    assert zones_text(tags, names) == (
        "Senkaku territorial sea; possibly taiwan-strait-median-line"
    )
    assert zones_text((), names) == ""


def test_short_names_tell_the_zones_of_one_place_apart_from_their_first_words():
    short = short_area_names(AREAS)
    territorial, contiguous = short["senkaku-territorial-sea"], short["senkaku-contiguous-zone"]
    assert territorial == "Territorial sea (12 nm): Senkaku / Diaoyu / Tiaoyutai Islands"
    assert contiguous == "Contiguous zone (12–24 nm): Senkaku / Diaoyu / Tiaoyutai Islands"
    # The territorial seas of two places differ as soon as the kind's words end.
    assert short["paracel-islands-12nm"] == "Territorial sea (12 nm): Paracel Islands"
    assert short["scarborough-shoal-12nm"] == "Territorial sea (12 nm): Scarborough Shoal"
    # Every other area keeps its name as it is.
    for area_id, name, kind in zip(AREAS["id"], AREAS["name"], AREAS["kind"]):
        if kind not in ("territorial_sea", "contiguous_zone"):
            assert short[area_id] == name


def test_a_zone_named_without_a_colon_keeps_its_whole_name_as_the_place():
    assert short_area_name("Pratas 12 nm", "territorial_sea") == (
        "Territorial sea (12 nm): Pratas 12 nm"
    )


PLACED_MAPPING = """
[source]
title = "Strait list"
[fields]
title = { column = "Title" }
kind = { value = "patrol" }
start = { column = "Date", format = "%Y-%m-%d" }
nations = { column = "Country" }
[geometry]
area = "taiwan-strait"
"""


def placed_in_the_taiwan_strait() -> gpd.GeoDataFrame:
    """Two events of a list that names the Taiwan Strait instead of a position, imported
    through a mapping's `geometry.area` as an analyst would."""
    csv = "Title,Date,Country\nPatrol,2024-07-18,CHN\nTransit,2024-07-19,USA\n"
    table = read_source("strait.csv", csv.encode("utf-8"), "strait.csv")
    events, problems = import_table(table, parse_mapping(PLACED_MAPPING), "strait.csv", AREAS)
    assert problems == []
    return events


def test_an_event_placed_by_area_is_in_its_area_though_its_circle_spills_out():
    events = placed_in_the_taiwan_strait()
    strait = AREAS.set_index("id").loc["taiwan-strait"].geometry
    point = events.geometry.iloc[0]
    radius_km = events["location_precision_km"].iloc[0]
    # The circle that stands for "somewhere in the strait" reaches far outside it: by geometry
    # alone the event is only possibly there.
    local = gpd.GeoSeries([strait.boundary, point], crs="EPSG:4326").to_crs(
        f"+proj=aeqd +lat_0={point.y} +lon_0={point.x} +datum=WGS84 +units=m"
    )
    assert local.iloc[0].distance(local.iloc[1]) / 1000 < radius_km
    tags = [dict(each) for each in zone_tags(events, AREAS)]
    assert [each["taiwan-strait"] for each in tags] == [IN, IN]
    unplaced = events.drop(columns="area")
    assert [dict(each)["taiwan-strait"] for each in zone_tags(unplaced, AREAS)] == [
        POSSIBLY,
        POSSIBLY,
    ]


def test_placing_by_area_says_nothing_of_other_areas_the_circle_touches():
    (tags,) = zone_tags(placed_in_the_taiwan_strait().iloc[:1], AREAS)
    others = {area: status for area, status in tags if area != "taiwan-strait"}
    # The median line runs through the strait: an event anywhere in it may or may not cross it.
    assert others.get("taiwan-strait-median-line") == POSSIBLY
    assert IN not in others.values()


def test_an_event_placed_at_a_point_area_is_in_it():
    """Point areas (a reef's position) tag nothing by geometry; an event placed by one is in it."""
    reef = AREAS.set_index("id").loc["second-thomas-shoal"].geometry
    events = gpd.GeoDataFrame(
        {"location_precision_km": [0.0, 0.0], "area": ["second-thomas-shoal", None]},
        geometry=[reef, reef],
        crs="EPSG:4326",
    )
    placed, unplaced = (dict(each) for each in zone_tags(events, AREAS))
    assert placed["second-thomas-shoal"] == IN
    assert "second-thomas-shoal" not in unplaced
