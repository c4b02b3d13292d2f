"""Every area a navigational warning defines, read as written: lettered areas and corners,
polygons, circles with any written radius, sectors, lines, and what is refused (bow-ties, arcs
off their radius), each form with its right value (positions within 0.001°, circle and sector
vertices within 1 % of the radius, measured with pyproj.Geod)."""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from layers.read.navwarn import NM_KM, Area, NavWarning, read_warning, warning_feature
from layers.read.navwarn.areas import read_areas

GEOD = Geod(ellps="WGS84")
HEAD = "闽航警0002/24，2024年5月23日至5月24日，"


def dm(lat: float, lon: float) -> str:
    """A position as MSA and NGA write it: 24-10.00N 121-50.00E (minutes to 0.01')."""

    def part(value: float, width: int, hemispheres: str) -> str:
        minutes = round(abs(value) * 60 * 100)
        degrees, rest = divmod(minutes, 6000)
        return f"{degrees:0{width}d}-{rest / 100:05.2f}{hemispheres[value < 0]}"

    return f"{part(lat, 2, 'NS')} {part(lon, 3, 'EW')}"


def at(lon: float, lat: float, azimuth: float, km: float) -> tuple[float, float]:
    """(lon, lat) `km` from (lon, lat) along `azimuth` (geodesic), rounded as dm() writes it."""
    x, y, _ = GEOD.fwd(lon, lat, azimuth, km * 1000)
    return round(x * 6000) / 6000, round(y * 6000) / 6000


def distances_km(centre: tuple[float, float], ring: list[tuple[float, float]]) -> list[float]:
    lons, lats = zip(*ring)
    _, _, metres = GEOD.inv([centre[0]] * len(ring), [centre[1]] * len(ring), lons, lats)
    return [m / 1000 for m in metres]


def flat(positions) -> list[float]:
    return [number for position in positions for number in position]


def area_km2(ring) -> float:
    lons, lats = zip(*ring)
    return abs(GEOD.polygon_area_perimeter(lons, lats)[0]) / 1e6


# --- lettered areas and corners --------------------------------------------------------------
BOX_A = [(108 + 47.4 / 60, 21 + 23 / 60), (108 + 58 / 60, 21 + 23 / 60), (108 + 58 / 60, 21.21)]
BOX_B = [(110.0, 20.0), (110 + 10 / 60, 20.0), (110 + 10 / 60, 19 + 50 / 60)]


@pytest.mark.parametrize(
    "text",
    [
        "MILITARY EXERCISES IN AREAS BOUND BY: A. 21-23.00N 108-47.40E, 21-23.00N 108-58.00E, "
        "21-12.60N 108-58.00E. B. 20-00N 110-00E, 20-00N 110-10E, 19-50N 110-10E.",
        "GUNNERY EXERCISES IN AREAS:\n A. BOUND BY\n 21-23.00N 108-47.40E, 21-23.00N 108-58.00E,"
        "\n 21-12.60N 108-58.00E.\n B. BOUND BY\n 20-00N 110-00E, 20-00N 110-10E,\n"
        " 19-50N 110-10E.",
        "IN AREAS BOUNDED BY (A) 21-23.00N 108-47.40E, 21-23.00N 108-58.00E, 21-12.60N "
        "108-58.00E; (B) 20-00N 110-00E, 20-00N 110-10E, 19-50N 110-10E.",
    ],
    ids=["A.-inline", "A.-items", "(A)"],
)
def test_lettered_areas_are_one_polygon_each_with_its_letter(text):
    warning = read_warning(f"FJ0001/24 140100UTC TO 140900UTC OCT {text}")
    assert [(a.form, a.label) for a in warning.areas] == [("polygon", "A"), ("polygon", "B")]
    assert flat(warning.areas[0].positions) == pytest.approx(flat(BOX_A), abs=1e-3)
    assert flat(warning.areas[1].positions) == pytest.approx(flat(BOX_B), abs=1e-3)


CORNERS = [
    (108 + 47.4 / 60, 21 + 23 / 60),
    (108 + 58 / 60, 21 + 23 / 60),
    (108 + 58 / 60, 21 + 12.4 / 60),
    (108 + 47.4 / 60, 21 + 12.4 / 60),
]
P = ["21-23.00N 108-47.40E", "21-23.00N 108-58.00E", "21-12.40N 108-58.00E", "21-12.40N 108-47.40E"]


@pytest.mark.parametrize(
    "text",
    [
        f"在A：{P[0]}；B：{P[1]}；C：{P[2]}；D：{P[3]}四点连线范围内",
        f"在A点{P[0]}、B点{P[1]}、C点{P[2]}、D点{P[3]}四点连线范围内",
        f"在（A）{P[0]}、（B）{P[1]}、（C）{P[2]}、（D）{P[3]}四点连线范围内",
        f"IN AREA BOUNDED BY A. {P[0]}, B. {P[1]}, C. {P[2]}, D. {P[3]}",
        f"IN AREA BOUNDED BY 1) {P[0]} 2) {P[1]} 3) {P[2]} 4) {P[3]}",
        f"在(1){P[0]}、(2){P[1]}、(3){P[2]}、(4){P[3]}诸点连线范围内",
        f"在以下四点连线水域：{P[0]}、{P[1]}、{P[2]}、{P[3]}",
        f"次の各点を順次に結んだ線により囲まれる範囲 {P[0]}、{P[1]}、{P[2]}、{P[3]}",
    ],
    ids=["A：", "A点", "（A）", "A.", "1)", "(1)", "以下四点连线水域", "範囲"],
)
def test_lettered_or_numbered_corners_are_one_polygon_in_the_order_written(text):
    warning = read_warning(HEAD + text + "进行军事演习。")
    (area,) = warning.areas
    assert area.form == "polygon", warning.problems
    assert flat(area.ring()) == pytest.approx(flat(CORNERS + CORNERS[:1]), abs=1e-3)


FIRST = "20-00.0N/111-12.7E、19-56.0N/111-17.7E、19-49.0N/111-11.0E、19-53.0N/111-06.2E"
SECOND = "19-51.7N/110-59.0E、19-54.4N/110-58.2E、19-55.5N/111-02.7E、19-52.8N/111-03.5E"


@pytest.mark.parametrize(
    "text",
    [
        f"在{FIRST}以及{SECOND}四点连线水域范围内进行军事训练",
        f"MILITARY EXERCISES IN AREA BOUNDED BY THE LINES JOINING {FIRST} AND {SECOND} FROM",
    ],
    ids=["以及", "AND"],
)
def test_two_lists_of_corners_joined_by_and_are_two_areas(text):
    warning = read_warning("HN0144/26，" + text)
    assert [area.form for area in warning.areas] == ["polygon", "polygon"], warning.problems
    assert warning.areas[0].positions[3] == pytest.approx((111 + 6.2 / 60, 19 + 53 / 60), abs=1e-3)
    assert warning.areas[1].positions[0] == pytest.approx((110 + 59 / 60, 19 + 51.7 / 60), abs=1e-3)


def test_the_last_corner_after_and_stays_in_its_list():
    text = f"IN AREA BOUNDED BY {P[0]}, {P[1]}, {P[2]} AND {P[3]}"
    (area,) = read_warning("GD0495/26 " + text).areas
    assert flat(area.positions) == pytest.approx(flat(CORNERS), abs=1e-3)


def test_areas_named_area_a_and_area_b_keep_their_letters():
    text = (
        f"MILITARY ACTIVITIES IN AREA A BOUNDED BY THE LINES JOINING {', '.join(P)} AND AREA B "
        "BOUNDED BY THE LINES JOINING 20-00N 110-00E, 20-00N 110-10E, 19-50N 110-10E"
    )
    warning = read_warning("LYG0116/26 " + text)
    assert [(a.form, a.label) for a in warning.areas] == [("polygon", "A"), ("polygon", "B")]


def test_lettered_positions_that_are_not_an_area_stay_points():
    text = (
        "HYDROPAC 1048/18 MOORING BUOYS ESTABLISHED IN:\n A. 53-02-57N 158-34-10E.\n"
        " B. 53-03-02N 158-34-10E.\n C. 53-03-02N 158-34-17E.\n"
        "2. NAVIGATION PROHIBITED IN AREA WITHIN 0.15 MILES OF 53-02-59N 158-34-13E."
    )
    warning = read_warning(text)
    assert [area.form for area in warning.areas] == ["points", "circle"]
    assert warning.areas[1].radius_nm == pytest.approx(0.15)


# --- circles --------------------------------------------------------------------------------
C = "27-30.0N 123-45.0E"
CENTRE = (123.75, 27.5)


@pytest.mark.parametrize(
    ("text", "radius_km"),
    [
        (f"IN AREA WITHIN SEVEN MILES OF {C}", 7 * NM_KM),
        (f"IN AREA WITHIN TWO NAUTICAL MILES RADIUS OF {C}", 2 * NM_KM),
        (f"IN AREA OF TWO NAUTICAL MILES RADIUS CENTERED ON {C}", 2 * NM_KM),
        (f"CIRCLE CENTERED AT {C} RADIUS 5NM", 5 * NM_KM),
        (f"IN AREA WITHIN .5 MILES OF {C}", 0.5 * NM_KM),
        (f"IN AREA WITHIN 10 KM OF {C}", 10),
        (f"IN AREA WITHIN 1000 METERS OF {C}", 1),
        (f"IN AREA WITHIN 5 CABLES OF {C}", 0.5 * NM_KM),
        (f"MINE IN {C}.\nNAVIGATION PROHIBITED IN AREA WITHIN ONE MILE.", NM_KM),
        (f"LOCATION:{C} ERUPTION EXPECTED, WARNING WITHIN A RADIUS OF 0.6 MILES.", 0.6 * NM_KM),
        (f"在以{C}为中心，半径3海里的圆形区域内", 3 * NM_KM),
        (f"在以{C}为中心，3海里为半径的圆形区域内", 3 * NM_KM),
        (f"在以{C}为圆心，半径5公里的圆形海域内", 5),
        (f"在以{C}为中心，半径3千米的圆形海域内", 3),
        (f"以{C}為中心半徑5浬範圍內", 5 * NM_KM),
        (f"{C}を中心とする半径2キロメートルの円内", 2),
    ],
    ids=[
        "SEVEN MILES",
        "TWO NAUTICAL MILES RADIUS OF",
        "RADIUS CENTERED ON",
        "RADIUS 5NM",
        ".5 MILES",
        "KM",
        "METERS",
        "CABLES",
        "WITHIN ONE MILE after",
        "RADIUS OF 0.6 MILES after",
        "半径3海里",
        "3海里为半径",
        "半径5公里",
        "半径3千米",
        "半徑5浬",
        "半径2キロメートル",
    ],
)
def test_each_written_radius_gives_a_circle_drawn_at_that_radius(text, radius_km):
    warning = read_warning(HEAD + text + "进行军事演习。")
    (area,) = warning.areas
    assert area.form == "circle", warning.problems
    assert area.positions[0] == pytest.approx(CENTRE, abs=1e-3)
    assert area.radius_nm * NM_KM == pytest.approx(radius_km, rel=1e-9)
    distances = distances_km(CENTRE, area.ring())
    assert max(abs(d - radius_km) for d in distances) < 0.01 * radius_km


@pytest.mark.parametrize(
    "text",
    [
        "CAPE BRUNY LIGHT 43-29.6S 147-08.8E RANGE REDUCED TO 15 MILES.",
        "AUXILIARY LIGHT 12-37.3S 143-27.8E FL R 3 SEC 14 MILES BETWEEN 132 AND 152 DEGREES.",
        "DERELICT BARGE ADRIFT IN VICINITY OF 05-05.8N 166-33.5E AT 072210Z OCT.",
        "DANGEROUS WRECK IN 13-00.8N 061-15.0W. ONE MILE BERTH REQUESTED.",
    ],
    ids=["light range", "light sector", "adrift", "wreck"],
)
def test_a_position_that_is_not_an_area_stays_a_point(text):
    warning = read_warning("HYDROPAC 0001/18 " + text)
    assert [area.form for area in warning.areas] == ["points"]


# --- sectors -------------------------------------------------------------------------------
VERTEX = (121 + 50 / 60, 24 + 10 / 60)


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("SECTOR CENTERED 24-10N 121-50E BETWEEN BEARINGS 045T AND 135T RADIUS 25KM", 45, 135),
        ("SECTOR CENTERED 24-10N 121-50E BETWEEN BEARINGS 135T AND 045T RADIUS 25KM", 135, 45),
        ("SECTOR CENTRED ON 24-10N 121-50E BEARING 045 TO 135 DEGREES, RADIUS 25 KM", 45, 135),
        ("以24-10N 121-50E为圆心，方位45°-135°，半径25千米的扇形海域", 45, 135),
        ("以24-10N 121-50E为圆心，方位350°至20°，半径25公里的扇形海域", 350, 20),
    ],
    ids=["045T-135T", "135T-045T", "BEARING TO", "方位45°-135°", "方位350°至20° across north"],
)
def test_a_sector_runs_clockwise_from_the_first_bearing_to_the_second(text, first, second):
    warning = read_warning(HEAD + text + "进行火箭发射。")
    (area,) = warning.areas
    assert area.form == "sector", warning.problems
    ring = area.ring()
    assert ring[0] == pytest.approx(VERTEX, abs=1e-3) and ring[-1] == ring[0]
    arc = ring[1:-1]
    assert max(abs(d - 25) for d in distances_km(VERTEX, arc)) < 0.25  # 1 % of 25 km
    azimuths = [GEOD.inv(*VERTEX, *p)[0] % 360 for p in arc]
    sweep = (second - first) % 360
    assert azimuths[0] == pytest.approx(first % 360, abs=0.01)
    assert azimuths[-1] == pytest.approx(second % 360, abs=0.01)
    # Every arc vertex lies in the clockwise sweep from the first bearing.
    assert all((a - first + 0.01) % 360 <= sweep + 0.02 for a in azimuths)
    # The sector's area is its share of the circle's (25 km radius).
    assert area_km2(ring) == pytest.approx(math.pi * 25**2 * sweep / 360, rel=0.01)
    assert shapely.Polygon(ring).is_valid


def _arc_text(order: str) -> tuple[str, tuple, tuple]:
    one, two = at(*VERTEX, 45, 25), at(*VERTEX, 135, 25)
    ends = (one, two) if order == "45-135" else (two, one)
    written = ", ".join(dm(lat, lon) for lon, lat in ends)
    return (
        f"IN AREA BOUNDED BY {dm(VERTEX[1], VERTEX[0])}, {written} AND AN ARC OF 25 KM RADIUS "
        f"CENTERED ON {dm(VERTEX[1], VERTEX[0])}",
        one,
        two,
    )


@pytest.mark.parametrize("order", ["45-135", "135-45"])
def test_an_area_closed_by_an_arc_joins_its_end_points_the_shorter_way(order):
    text, one, two = _arc_text(order)
    warning = read_warning(HEAD + text + "。")
    (area,) = warning.areas
    assert area.form == "sector", warning.problems
    ring = area.ring()
    assert ring[0] == pytest.approx(VERTEX, abs=1e-3)
    arc = ring[1:-2]
    assert max(abs(d - 25) for d in distances_km(VERTEX, arc)) < 0.25
    # A quarter of the 25 km circle, whichever end point is written first.
    assert area_km2(ring) == pytest.approx(math.pi * 25**2 / 4, rel=0.01)


def test_an_arc_in_chinese_between_two_end_points_about_the_vertex():
    east = at(*VERTEX, 90, 5)
    one, two = at(*VERTEX, 110, 25), at(*VERTEX, 186, 25)
    text = (
        f"以{dm(VERTEX[1], VERTEX[0])}为顶点，正东方向至{dm(east[1], east[0])}，再至"
        f"{dm(one[1], one[0])}端点，顶点正南偏西6°方向至{dm(two[1], two[0])}端点，"
        "以顶点为中心半径25公里的部分圆弧将两个端点连接，形成不规则的闭合范围。该区域内进行实弹射击活动。"
    )
    warning = read_warning("冀航警0450/26，渤海，7月14日至7月17日，" + text)
    (area,) = warning.areas
    assert area.form == "sector", warning.problems
    ring = area.ring()
    assert flat(ring[:3]) == pytest.approx(flat([VERTEX, east, one]), abs=1e-3)
    arc = ring[3:-3]
    assert len(arc) > 10
    assert max(abs(d - 25) for d in distances_km(VERTEX, arc)) < 0.25
    azimuths = [GEOD.inv(*VERTEX, *p)[0] % 360 for p in arc]
    assert all(110 < a < 186 for a in azimuths)


def test_an_arc_whose_end_points_are_off_its_radius_is_a_problem_not_drawn():
    far = at(*VERTEX, 135, 27)  # 8 % beyond the 25 km radius
    near = at(*VERTEX, 45, 25)
    text = (
        f"IN AREA BOUNDED BY {dm(VERTEX[1], VERTEX[0])}, {dm(near[1], near[0])}, "
        f"{dm(far[1], far[0])} AND AN ARC OF 25 KM RADIUS CENTERED ON {dm(VERTEX[1], VERTEX[0])}"
    )
    warning = read_warning(HEAD + text + "。")
    assert warning.areas == []
    assert any("not at its radius (25 km)" in problem for problem in warning.problems)


def test_an_arc_between_opposite_end_points_is_a_problem_not_a_guessed_half():
    north, south = at(*VERTEX, 0, 25), at(*VERTEX, 180, 25)
    text = (
        f"IN AREA BOUNDED BY {dm(north[1], north[0])}, {dm(south[1], south[0])} AND AN ARC OF "
        f"25 KM RADIUS CENTERED ON {dm(VERTEX[1], VERTEX[0])}"
    )
    warning = read_warning(HEAD + text + "。")
    assert warning.areas == []
    assert any("opposite each other" in problem for problem in warning.problems)


def test_a_sector_without_its_radius_is_a_problem():
    warning = read_warning(HEAD + "SECTOR CENTERED 24-10N 121-50E BETWEEN BEARINGS 045T AND 135T")
    assert warning.areas == []
    assert any("sector's bearings" in problem for problem in warning.problems)


# --- lines ---------------------------------------------------------------------------------
LINE = [(118 + 46.48 / 60, 24 + 4.12 / 60), (118 + 46.95 / 60, 24 + 3.82 / 60), (119.03, 23.86)]
L = "24-04.12N 118-46.48E, 24-03.82N 118-46.95E, 23-51.60N 119-01.80E"


@pytest.mark.parametrize(
    "text",
    [
        f"SUBMARINE CABLE WORKS ALONG THE LINE JOINING {L}.",
        f"CABLE OPERATIONS IN VICINITY OF TRACKLINE JOINING\n{L}.",
        f"CABLE ROUTE {L}.",
        f"IN VICINITY OF LINE JOINING {L}.",
        f"沿{L.replace(', ', '、')}连线进行海底电缆施工。",
        f"在{L.replace(', ', '、')}线段附近施工。",
        f"在{L.replace(', ', '、')}各点连线附近进行军事活动。",
        f"MILITARY ACTIVITY IN AREA NEAR BY THE LINES JOINING {L.replace(', ', ',')} FROM",
    ],
    ids=[
        "ALONG THE LINE",
        "TRACKLINE",
        "CABLE ROUTE",
        "LINE JOINING",
        "沿…连线",
        "线段",
        "连线附近",
        "NEAR BY THE LINES",
    ],
)
def test_a_line_is_a_line_not_closed_into_an_area(text):
    warning = read_warning(HEAD + text)
    (area,) = warning.areas
    assert area.form == "line", warning.problems
    assert flat(area.ring()) == pytest.approx(flat(LINE), abs=1e-3)
    geometry = area.geometry()
    assert geometry["type"] == "LineString" and len(geometry["coordinates"]) == 3


def test_a_trackline_between_two_positions_is_a_line():
    warning = read_warning(
        "NAVAREA IV 438/18 PIPELINE OPERATIONS ALONG TRACKLINE BETWEEN 25-52.5N 096-45.2W AND "
        "25-58.1N 096-59.9W."
    )
    (area,) = warning.areas
    assert area.form == "line"
    assert flat(area.positions) == pytest.approx([-96.7533, 25.875, -96.9983, 25.9683], abs=1e-3)


# --- what is never drawn ----------------------------------------------------------------------
def test_corners_whose_order_crosses_itself_are_a_problem_naming_the_area_never_reordered():
    text = (
        "GUNNERY EXERCISES IN AREAS: A. BOUND BY 25-48N 120-48E, 25-48N 121-20E, 24-52N 120-23E, "
        "24-52N 119-55E. B. BOUND BY 24-00N 118-00E, 24-00N 118-30E, 23-30N 118-00E, "
        "23-30N 118-30E."
    )
    warning = read_warning("HYDROPAC 0002/18 0100Z TO 1300Z DAILY 24 THRU 27 AUG " + text)
    assert [(a.form, a.label) for a in warning.areas] == [("polygon", "A")]
    (problem,) = [p for p in warning.problems if "cross" in p]
    assert problem.startswith("area B: its corners, in the order written, cross themselves")
    assert problem.endswith("not drawn")


def test_an_unlabelled_bow_tie_is_named_by_its_place():
    text = "IN AREA BOUNDED BY THE LINES JOINING 19-49.6N/110-59.6E、19-55.6N/110-57.7E、"
    warning = read_warning("HN131/26 " + text + "19-51.3N/111-05.6E AND 19-57.6N/111-03.7E")
    assert warning.areas == []
    assert any(p.startswith("area 1: its corners") for p in warning.problems)


# --- 180° ----------------------------------------------------------------------------------------
def test_a_polygon_across_180_degrees_is_cut_there_not_drawn_round_the_world():
    text = "IN AREA BOUNDED BY 10-00N 179-50E, 10-00N 179-50W, 09-50N 179-50W, 09-50N 179-50E"
    (area,) = read_warning("HYDROPAC 0003/18 " + text).areas
    ring = area.ring()
    lons = [lon for lon, _ in ring]
    assert max(lons) - min(lons) == pytest.approx(1 / 3, abs=1e-3)  # 20′, not 359°40′
    geometry = area.geometry()
    assert geometry["type"] == "MultiPolygon"
    shape = shapely.geometry.shape(geometry)
    assert shape.bounds[0] >= -180 and shape.bounds[2] <= 180
    assert shape.area == pytest.approx(1 / 3 * 1 / 6, rel=1e-3)  # square degrees, both halves


def test_a_circle_across_180_degrees_is_cut_there():
    area = Area("circle", [(179.95, -17.0)], radius_nm=10)
    ring = area.ring()
    assert max(lon for lon, _ in ring) > 180  # one run of longitudes, no jump
    assert max(abs(d - 10 * NM_KM) for d in distances_km((179.95, -17.0), ring)) < 0.1852
    shape = shapely.geometry.shape(area.geometry())
    assert shape.geom_type == "MultiPolygon" and len(shape.geoms) == 2
    assert shape.bounds[0] >= -180 and shape.bounds[2] <= 180 and shape.is_valid


# --- geometry for events --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("area", "kind"),
    [
        (Area("polygon", CORNERS), "Polygon"),
        (Area("circle", [CENTRE], radius_nm=2), "Polygon"),
        (Area("sector", [VERTEX], radius_nm=10, bearings=(45, 135)), "Polygon"),
        (Area("line", LINE), "LineString"),
        (Area("points", LINE), "MultiPoint"),
    ],
    ids=["polygon", "circle", "sector", "line", "points"],
)
def test_each_form_has_its_geojson_geometry(area, kind):
    geometry = area.geometry()
    assert geometry["type"] == kind
    shape = shapely.geometry.shape(geometry)
    assert shape.is_valid and not shape.is_empty


def test_an_event_of_lines_is_a_line_and_lines_beside_areas_are_said_to_be_left_out():
    line_only = read_warning(f"闽航警0005/24，2024年5月23日，沿{L.replace(', ', '、')}连线施工。")
    feature, _ = warning_feature(line_only)
    assert feature["geometry"]["type"] == "LineString"
    both = read_warning(
        "HYDROLANT 1682/18 140100UTC TO 140900UTC OCT 18 PIPELINE OPERATIONS: A. WITHIN AREA "
        f"BOUND BY {', '.join(P[:3])}. B. ALONG TRACKLINE JOINING: {L}."
    )
    assert [(a.form, a.label) for a in both.areas] == [("polygon", "A"), ("line", "B")]
    feature, problems = warning_feature(both, nations=["USA"])
    assert feature["geometry"]["type"] == "Polygon"
    assert ("areas", "lines outside any area are left out of the map") in problems


# --- never raises, never draws a crossed area ---------------------------------------------------
FRAGMENTS = [
    "24-10N 121-50E",
    "24-20N 122-00E",
    "23-58N 118-50E",
    "179-59E",
    "10-00N 179-50W",
    ", ",
    "、",
    "；",
    " AND ",
    "A. ",
    "B：",
    "(1)",
    "AN ARC OF 25 KM RADIUS CENTERED ON ",
    "SECTOR ",
    "BETWEEN BEARINGS 045T AND 135T ",
    "RADIUS 5NM ",
    "WITHIN SEVEN MILES OF ",
    "以",
    "为中心",
    "为顶点",
    "半径25公里",
    "圆弧",
    "方位158°-194°",
    "连线",
    "范围内",
    "TRACKLINE JOINING ",
    "IN AREA BOUNDED BY ",
    ". ",
    "。",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=24))
def test_any_area_text_gives_areas_or_problems_and_never_a_crossed_area(parts):
    warning = NavWarning("")
    read_areas("".join(parts), warning, [])  # raises nothing
    for area in warning.areas:
        geometry = area.geometry()
        if area.form in ("polygon", "circle", "sector"):
            assert shapely.geometry.shape(geometry).is_valid


def test_areas_across_180_degrees_and_lines_make_events_the_validator_takes():
    from layers.read.navwarn import import_warnings

    text = (
        "HYDROPAC 0010/18 FROM 140100UTC TO 140900UTC OCT HAZARDOUS OPERATIONS IN AREA "
        "BOUNDED BY 10-00N 179-50E, 10-00N 179-50W, 09-50N 179-50W, 09-50N 179-50E.\n\n"
        "HYDROPAC 0011/18 FROM 140100UTC TO 140900UTC OCT CABLE OPERATIONS ALONG "
        f"TRACKLINE JOINING {L}."
    )
    events, problems = import_warnings([(text, None, None, None)], "w.txt", nations=["USA"])
    assert problems == []
    assert list(events.geometry.geom_type) == ["MultiPolygon", "LineString"]
    assert events.geometry.iloc[0].area == pytest.approx(1 / 3 * 1 / 6, rel=1e-3)


@pytest.mark.parametrize(
    "text",
    [
        "HYDROPAC 2381/26 SOUTH CHINA SEA. GUNNERY 221000Z TO 221400Z OCT 26 WITHIN 3 MILES OF "
        "17-12.00N 112-18.00E AND 17-30.00N 112-40.00E.",
        "HYDROPAC 2382/26 SOUTH CHINA SEA. GUNNERY 221000Z TO 221400Z OCT 26 IN CIRCLES OF 3NM "
        "RADIUS CENTERED ON: A. 17-12.00N 112-18.00E. B. 17-30.00N 112-40.00E.",
        "闽航警0123/26，南海，2026年5月23日至24日，以17-12.00N 112-18.00E、17-30.00N 112-40.00E"
        "为中心、半径3海里的圆形水域内进行实弹射击。",
    ],
)
def test_several_centres_sharing_one_radius_are_a_circle_each(text):
    warning = read_warning(text)
    assert warning.problems == []
    assert [(area.form, area.radius_nm) for area in warning.areas] == [("circle", 3.0)] * 2
    centres = [coordinate for area in warning.areas for coordinate in area.positions[0]]
    assert centres == pytest.approx([112.3, 17.2, 112 + 40 / 60, 17.5], abs=1e-6)


@pytest.mark.parametrize(
    "text",
    [
        # 云航警102/26: the fifth corner has no E; a four-corner polygon would be drawn.
        "云航警102/26，连云港，3月16日至17日，在34-00.00N 120-20.00E、34-00.00N 120-30.00E、"
        "33-55.00N 120-30.00E、33-50.00N 120-26.20E、"
        "33-55.00N120-26.20诸点连线范围内进行军事活动。",
        # HYDROPAC 1556/26: a longitude cut short.
        "HYDROPAC 1556/26 PHILIPPINE SEA. GUNNERY 242000Z TO 280800Z AUG IN AREA BOUND BY "
        "21-37.48N 134-30.00E, 21-40.00N 134-40.00E, 21-30.00N 134-40.00E, 21-37.48N 134-34.4.",
    ],
)
def test_a_corner_that_cannot_be_read_draws_no_smaller_area(text):
    warning = read_warning(text)
    assert warning.areas == []
    assert any(problem.startswith("a position could not be read") for problem in warning.problems)


def test_lettered_circles_with_their_radius_after_the_letter():
    warning = read_warning(
        "HYDROPAC 2391/26(61). SOUTH PACIFIC. GUNNERY EXERCISES 242000Z TO 280800Z AUG IN AREAS "
        "WITHIN: A. 20 MILES OF 23-00.00S 165-58.00E. B. TEN MILES OF 22-42.00S 166-00.00E."
    )
    assert [(area.form, area.radius_nm) for area in warning.areas] == [
        ("circle", 20.0),
        ("circle", 10.0),
    ]
