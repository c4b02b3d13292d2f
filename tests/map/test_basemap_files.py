"""The offline basemap's files as the map and an export read them: land tiles at each level of
detail cover the region, small islands appear when zoomed in, coastlines are not tile edges,
place names are plain text."""

import json
import math
import os
import sys
from pathlib import Path

import pytest
import shapely
from conftest import REPO

from layers.map.basemap_files import (
    BASEMAP_DIR,
    LEVELS,
    coastlines,
    first_view_land,
    land,
    land_index,
    lat_to_y,
    level_for_zoom,
    lon_to_x,
    places,
    tile_range,
    view_tiles,
)
from layers.region import MAP_REGION

# Points well inland and well out at sea, in the Pacific frame: (lon, lat).
INLAND = {
    "North China Plain": (116.0, 38.0),
    "central Honshu": (138.2, 36.2),
    "central Luzon": (121.0, 15.5),
    "Borneo": (114.0, 1.0),
    "Hawaii Island": (204.5, 19.6),  # 155.5°W
    "Arnhem Land": (134.0, -13.0),
}
AT_SEA = {
    "Philippine Sea": (135.0, 20.0),
    "South China Sea": (114.0, 14.0),
    "north of Hawaii": (200.0, 30.0),
    "Sea of Japan": (134.0, 40.0),
}
# Published positions (geodata/areas/senkaku.geojson; Izu Oshima from GSI's ~34.73N 139.40E).
UOTSURI = (123.4733, 25.7433)
IZU_OSHIMA = (139.40, 34.73)


def around(lon, lat, degrees=0.05):
    return ((lat - degrees, lon - degrees), (lat + degrees, lon + degrees))


def land_at(lon, lat, zoom):
    """The land polygons the map at `zoom` fills at a point (empty: the point is sea)."""
    point = shapely.Point(lon, lat)
    return [p for p in land(around(lon, lat), zoom) if p.covers(point)]


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: f"grid{level.grid}")
def test_each_level_has_a_tile_or_an_all_land_mark_for_every_land_cell_of_the_region(level):
    entry = next(e for e in land_index()["levels"] if e["grid"] == level.grid)
    (south, west), (north, east) = MAP_REGION
    x0, y0, x1, y1 = tile_range(level.grid, west, south, east, north)
    assert (entry["x0"], entry["y0"]) == (x0, y0)
    assert (entry["width"], entry["height"]) == (x1 - x0 + 1, y1 - y0 + 1)
    listed = {
        (entry["x0"] + col, entry["y0"] + row)
        for row, cells in enumerate(entry["cells"])
        for col, state in enumerate(cells)
        if state == "2"
    }
    files = {
        (int(path.parent.name), int(path.stem))
        for path in (BASEMAP_DIR / "land" / str(level.grid)).glob("*/*.json")
    }
    assert listed == files  # no tile missing, none left over from an older build
    zoom = level.zooms[0]
    for name, (lon, lat) in INLAND.items():
        assert land_at(lon, lat, zoom), f"{name} is not land at zoom {zoom}"
    for name, (lon, lat) in AT_SEA.items():
        assert not land_at(lon, lat, zoom), f"{name} is land at zoom {zoom}"


def test_each_map_zoom_draws_one_level_and_every_zoom_has_one():
    served = [zoom for level in LEVELS for zoom in range(level.zooms[0], level.zooms[1] + 1)]
    assert served == list(range(2, 15))
    assert [level_for_zoom(z).grid for z in (2, 5, 6, 9, 10, 14)] == [2, 2, 5, 5, 9, 9]


def test_a_small_island_is_drawn_in_detail_when_zoomed_in_and_not_as_a_blob_when_out():
    (izu,) = land_at(*IZU_OSHIMA, zoom=12)
    lat = IZU_OSHIMA[1]
    area_km2 = izu.area * 111.32**2 * math.cos(math.radians(lat))
    assert 80 < area_km2 < 100  # Izu Oshima is 91 km²
    assert shapely.get_num_coordinates(izu) > 150  # a coastline, not a polygon of a few points
    (overview,) = land_at(*IZU_OSHIMA, zoom=4)
    assert shapely.get_num_coordinates(overview) < 20  # drawn as the few pixels it covers


def test_the_senkaku_islets_are_where_their_published_positions_are_at_high_zoom_only():
    (uotsuri,) = land_at(*UOTSURI, zoom=14)
    lat = UOTSURI[1]
    area_km2 = uotsuri.area * 111.32**2 * math.cos(math.radians(lat))
    assert 2.5 < area_km2 < 5  # Uotsuri-shima is 3.8 km²
    assert land_at(*UOTSURI, zoom=9)  # still there at zoom 9
    assert not land_at(*UOTSURI, zoom=4)  # under a pixel at zoom 4: left out, not a blob


def long_straight_cuts(lines, degrees=0.1):
    """Segments running exactly north-south or east-west for more than `degrees`: tile edges
    (a shore never runs so straight for kilometres)."""
    cuts = []
    for line in lines:
        xy = list(line.coords)
        for (x0, y0), (x1, y1) in zip(xy, xy[1:], strict=False):
            if (x0 == x1 or y0 == y1) and math.hypot(x1 - x0, y1 - y0) > degrees:
                cuts.append(((x0, y0), (x1, y1)))
    return cuts


def test_coastlines_are_the_shore_not_the_edges_tiles_are_cut_along():
    interior = around(105.0, 45.0, degrees=1.0)  # Mongolia: several tiles of land
    assert len(land(interior, 12)) > 4
    assert long_straight_cuts(coastlines(interior, 12)) == []
    assert long_straight_cuts(coastlines(around(139.8, 35.3, degrees=0.5), 10)) == []
    assert long_straight_cuts(coastlines(around(121.0, 24.0, degrees=3.0), 7)) == []
    shores = coastlines(around(*IZU_OSHIMA, degrees=0.2), 12)
    point = shapely.Point(*IZU_OSHIMA)
    (ring,) = [line for line in shores if shapely.Polygon(line.coords).covers(point)]
    assert ring.is_closed  # the island's whole shore, in one line


def test_place_names_are_plain_text_ranked_and_appear_by_zoom():
    taiwan = ((21.5, 118.0), (26.5, 123.0))
    at_seven = {place.name: place for place in places(taiwan, 7)}
    assert {"Taiwan Strait", "Kaohsiung", "Taipei"} <= set(at_seven)
    assert at_seven["Kaohsiung"].local == "高雄" and at_seven["Kaohsiung"].kind == "port"
    assert at_seven["Taiwan Strait"].kind == "water"
    at_four = {place.name for place in places(taiwan, 4)}
    assert "Taipei" in at_four and "Kaohsiung" not in at_four  # fewer names zoomed out
    ranked = places(MAP_REGION, 14)
    assert [p.min_zoom for p in ranked] == sorted(p.min_zoom for p in ranked)
    document = json.loads((BASEMAP_DIR / "places.json").read_text(encoding="utf-8"))
    for row in document["places"]:
        assert "<" not in row[0] and ">" not in row[0] and "&" not in row[0], row
    (yokosuka,) = [p for p in ranked if p.name == "Yokosuka"]
    assert yokosuka.kind == "port" and yokosuka.min_zoom <= 9


def test_a_first_view_carries_the_index_and_every_coast_tile_of_its_window():
    # Tokyo Bay at zoom 12: the level of grid 9, whose tiles are 2048 px wide at zoom 12.
    lat, lon, zoom = 35.5, 139.8, 12
    first = json.loads(first_view_land(lat, lon, zoom))
    assert first["index"] == land_index()
    x, y = math.floor(lon_to_x(lon, 9)), math.floor(lat_to_y(lat, 9))
    assert f"9/{x}/{y}" in first["tiles"]  # the tile under the centre
    for key, polygons in first["tiles"].items():
        grid, tile_x, tile_y = key.split("/")
        path = BASEMAP_DIR / "land" / grid / tile_x / f"{tile_y}.json"
        assert polygons == json.loads(path.read_text())  # the file as it is
    # A window's tiles are all those of the view, and a smaller window's are among a larger's.
    wide = set(view_tiles(lat, lon, zoom, (1920, 1080)))
    assert {(9, *map(int, key.split("/")[1:])) for key in first["tiles"]} == wide
    assert set(view_tiles(lat, lon, zoom, (800, 600))) <= wide
    # Open ocean has no coast tile to carry; all-land and sea tiles are in the index.
    assert view_tiles(20.0, 160.0, 10) == []


def test_place_names_come_in_the_readers_language_where_natural_earth_gives_one():
    """places.json carries Natural Earth's names in the page's other languages: its one Chinese
    field goes to the readers whose character set writes it (臺北 to zh-TW, 厦门 to zh-CN, 高雄
    to both); Natural Earth (the pinned 4.0 files) gives no Japanese names and no Chinese ones
    for seas, so those readers see the English name. The local name is not shown twice."""
    named = {}
    for place in places(MAP_REGION, 14):
        named.setdefault(place.name, place)
    taipei, kaohsiung, xiamen = named["Taipei"], named["Kaohsiung"], named["Xiamen"]
    sea, tokyo = named["Philippine Sea"], named["Tokyo"]
    assert taipei.label("en") == ("Taipei", "臺北")  # English as before
    assert taipei.label("zh-TW") == ("臺北", "")
    assert taipei.label("zh-CN") == ("Taipei", "臺北")  # Traditional: not a zh-CN name
    assert kaohsiung.label("zh-TW") == kaohsiung.label("zh-CN") == ("高雄", "")
    assert xiamen.label("zh-CN") == ("厦门", "") and xiamen.label("zh-TW") == ("Xiamen", "厦门")
    assert named["Baotou"].label("zh-TW") == ("Baotou", "包头")  # 头: Simplified only
    assert (
        named["Manila"].label("zh-CN") == ("马尼拉", "")
        and named["Manila"].label("zh-TW")[0] == "Manila"
    )
    assert tokyo.label("zh-TW") == ("東京都", "") and tokyo.label("zh-CN") == ("Tokyo", "")
    for language in ("en", "zh-TW", "ja", "zh-CN"):
        assert sea.label(language) == ("Philippine Sea", "")
    assert {named[name].label("ja") for name in ("Tokyo", "Taipei", "Sea of Japan")} == {
        ("Tokyo", ""),
        ("Taipei", "臺北"),
        ("Sea of Japan", ""),
    }
    document = json.loads((BASEMAP_DIR / "places.json").read_text(encoding="utf-8"))
    assert document["columns"][7:] == ["zh-TW", "zh-CN", "ja"]
    for row in document["places"]:
        assert 7 <= len(row) <= 10 and row[-1] != "", row  # a row ends at its last name
        assert all(name == 0 or "<" not in name and "&" not in name for name in row[7:]), row


def test_places_json_is_what_the_builder_writes():
    """tools/make_basemap.py writes places.json (`--only places --natural-earth DIR`): written
    again from its own rows it gives the same bytes; with the Natural Earth files at hand
    (BASEMAP_NATURAL_EARTH=DIR) it is built again from them and compared."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import make_basemap
    finally:
        sys.path.remove(str(REPO / "tools"))
    path = BASEMAP_DIR / "places.json"
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["columns"] == make_basemap.PLACE_COLUMNS
    tags = list(make_basemap.NAME_FIELDS)
    rows = []
    for row in document["places"]:
        names = [*row[7:], *[""] * (10 - len(row))]
        for index in range(1, len(names)):
            if names[index] == 0:
                names[index] = names[index - 1]
        rows.append(
            {
                "name": row[0],
                "local": row[1],
                "kind": row[2],
                "at": (row[3], row[4]),
                "zoom": row[5],
                "rank": row[6],
                "names": {tag: name for tag, name in zip(tags, names, strict=True) if name},
            }
        )
    assert make_basemap.places_document(rows) == text
    natural_earth = os.environ.get("BASEMAP_NATURAL_EARTH")
    if natural_earth:
        built = make_basemap.places_document(make_basemap.read_places(Path(natural_earth)))
        assert built == text
