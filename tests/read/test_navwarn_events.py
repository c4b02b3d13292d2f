"""A warning made into an event: its span and windows in the event format, its kind, and what a
cancellation does to them."""

from __future__ import annotations

import datetime as dt

import pytest

from layers.read.navwarn import read_warning, warning_feature
from layers.read.navwarn.events import cancelled_windows, moment_text
from layers.read.navwarn.model import Window

BOX = "IN AREA BOUNDED BY 22-00.00N 118-00.00E, 22-00.00N 118-20.00E, 21-40.00N 118-20.00E"
UTC = dt.UTC


def event_of(text: str, nations=("USA",)) -> dict:
    feature, problems = warning_feature(read_warning(text), list(nations))
    assert feature is not None, problems
    return feature["properties"]


def test_a_daily_window_gives_an_event_spanning_its_days_with_each_window_listed():
    properties = event_of(
        f"HYDROPAC 2381/26(61). SOUTH CHINA SEA. ROCKET LAUNCHING 0100Z TO 1300Z DAILY "
        f"24 THRU 26 AUG 26 {BOX}."
    )
    assert (properties["start"], properties["end"]) == ("2026-08-24T01:00Z", "2026-08-26T13:00Z")
    assert properties["windows"] == [
        {"start": f"2026-08-{day}T01:00Z", "end": f"2026-08-{day}T13:00Z"}
        for day in ("24", "25", "26")
    ]
    assert properties["kind"] == "launch"


def test_several_windows_are_all_kept_and_one_window_is_the_span_alone():
    several = event_of(
        f"NAVAREA XI 0555/24 GUNNERY EXERCISES 221000Z TO 221400Z AND 241000Z TO 241400Z OCT 24 "
        f"{BOX}."
    )
    assert (several["start"], several["end"]) == ("2024-10-22T10:00Z", "2024-10-24T14:00Z")
    assert [window["start"] for window in several["windows"]] == [
        "2024-10-22T10:00Z",
        "2024-10-24T10:00Z",
    ]
    assert several["kind"] == "live_fire"
    one = event_of(f"NAVAREA XI 0556/24 GUNNERY 221000Z TO 221400Z OCT 24 {BOX}.")
    assert (one["start"], one["end"], "windows" in one) == (
        "2024-10-22T10:00Z",
        "2024-10-22T14:00Z",
        False,
    )


def test_a_warning_with_no_period_is_in_force_from_its_issue_to_its_cancel_this_msg_time():
    properties = event_of(
        f"221154Z AUG 26\nHYDROPAC 2411/26(61). SOUTH CHINA SEA. HAZARDOUS OPERATIONS {BOX}. "
        "CANCEL THIS MSG 301200Z AUG 26."
    )
    assert (properties["start"], properties["end"]) == ("2026-08-22T11:54Z", "2026-08-30T12:00Z")


def test_local_hours_keep_their_offset_and_unzoned_hours_give_days():
    beijing = event_of(
        "闽航警0123/24，台湾海峡，北京时间2024年5月23日0800时至5月24日1800时，在24-10.00N "
        "118-30.00E、24-10.00N 118-50.00E、24-00.00N 118-50.00E诸点连线范围内进行实弹射击。",
        (),
    )
    assert (beijing["start"], beijing["end"]) == (
        "2024-05-23T08:00+08:00",
        "2024-05-24T18:00+08:00",
    )
    unzoned = event_of(
        "闽航警0124/24，台湾海峡，2024年5月23日0800时至5月24日1800时，在24-10.00N "
        "118-30.00E、24-10.00N 118-50.00E、24-00.00N 118-50.00E诸点连线范围内进行实弹射击。",
        (),
    )
    assert (unzoned["start"], unzoned["end"]) == ("2024-05-23", "2024-05-24")


DAILY = [
    Window(dt.datetime(2026, 8, day, 1, tzinfo=UTC), dt.datetime(2026, 8, day, 13, tzinfo=UTC))
    for day in (24, 25, 26)
]


@pytest.mark.parametrize(
    ("at", "ends"),
    [
        (dt.datetime(2026, 8, 25, 6, tzinfo=UTC), ["2026-08-24T13:00Z", "2026-08-25T06:00Z"]),
        (dt.datetime(2026, 8, 25, 20, tzinfo=UTC), ["2026-08-24T13:00Z", "2026-08-25T13:00Z"]),
        # Before it began or after it ended: the windows stay as written.
        (dt.datetime(2026, 8, 20, tzinfo=UTC), [f"2026-08-{d}T13:00Z" for d in (24, 25, 26)]),
        (dt.datetime(2026, 9, 1, tzinfo=UTC), [f"2026-08-{d}T13:00Z" for d in (24, 25, 26)]),
        (None, [f"2026-08-{d}T13:00Z" for d in (24, 25, 26)]),
    ],
)
def test_a_cancellation_ends_the_windows_where_it_falls(at, ends):
    assert [moment_text(window.end) for window in cancelled_windows(DAILY, at)] == ends


def test_a_circle_and_a_sector_about_one_centre_are_drawn_as_their_outline():
    """沪航警561/26's form: a 3 km circle and a 5 km sector about the same centre overlap, which
    a MultiPolygon may not; the event draws the outline they cover together and says so."""
    properties_and_geometry = warning_feature(
        read_warning(
            "沪航警561/26，东海，2026年7月20日0600时至22日1200时，在以31-12.18N 123-42.69E为圆心，"
            "半径3千米的圆形海域内和以31-12.18N 123-42.69E为圆心，方位158°-194°，半径5千米的扇形的"
            "海域进行火箭发射。禁止驶入。"
        )
    )
    feature, problems = properties_and_geometry
    assert feature is not None, problems
    import shapely.geometry

    outline = shapely.geometry.shape(feature["geometry"])
    assert outline.is_valid and outline.geom_type == "Polygon"
    assert "Its 2 areas overlap: the map draws their outline." in feature["properties"]["summary"]
    # The sector reaches 5 km south (bearing 176°), the circle only 3 km north.
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    centre = (123 + 42.69 / 60, 31 + 12.18 / 60)
    reach = {
        name: max(
            geod.inv(centre[0], centre[1], x, y)[2]
            for x, y in outline.exterior.coords
            if test(geod.inv(centre[0], centre[1], x, y)[0] % 360)
        )
        for name, test in (("south", lambda a: 170 < a < 182), ("north", lambda a: a < 10))
    }
    assert abs(reach["south"] - 5000) < 50 and abs(reach["north"] - 3000) < 30
    assert feature["properties"]["kind"] == "launch"


def test_an_issuer_rule_matches_whole_words_of_the_number():
    from layers.read.navwarn import read_warnings, warning_id
    from layers.read.navwarn.events import issuer_rules

    warnings = read_warnings(
        "NAVAREA XI 0540/24 EAST CHINA SEA.\nNAVAREA XII 0612/26 NORTH PACIFIC.\n"
        "NAVAREA XI NO.26-0449 MARSHALLS.\nHYDROPAC 2381/26 SOUTH CHINA SEA.\n"
    )
    chosen = issuer_rules(
        [(warning, None, None, None) for warning in warnings],
        [("navarea xi", ["JPN"]), ("HYDROPAC 23", ["VNM"])],
    )
    assert [chosen.get(warning_id(warning)) for warning in warnings] == [
        ["JPN"],
        None,  # NAVAREA XII is not NAVAREA XI
        ["JPN"],
        ["VNM"],
    ]


def test_two_districts_warnings_of_one_number_are_two_events():
    """Each Japan Coast Guard district numbers its own 航行警報: 第512号 of the third district and
    of the tenth are two warnings, two ids, two events."""
    from layers.read.navwarn import import_warnings

    text = (
        "航行警報　第５１２号（三管区）\n令和8年1月8日 北緯34度35分 東経139度40分 付近 射撃訓練\n"
        "航行警報　第５１２号（十管区）\n令和8年1月9日 北緯31度35分 東経130度40分 付近 射撃訓練\n"
    )
    events, problems = import_warnings([(text, None, dt.date(2026, 1, 5), None)], "jcg.txt")
    assert [problem.message for problem in problems if problem.skipped] == []
    assert len(set(events["id"])) == 2


def test_no_window_runs_past_the_warnings_own_cancel_this_msg_time():
    """HYDROPAC 376/26: daily windows 13 THRU 22 FEB overnight, and CANCEL THIS MSG 221529Z FEB:
    the window that would begin at 2343Z on the 22nd is after the warning ended."""
    properties = event_of(
        "HYDROPAC 376/26(61). PHILIPPINE SEA. HAZARDOUS OPERATIONS 2343Z TO 1429Z DAILY, 13 THRU "
        "22 FEB 26 IN AREA BOUND BY 20-00N 130-00E, 20-30N 130-00E, 20-30N 131-00E, "
        "20-00N 131-00E. 2. CANCEL THIS MSG 221529Z FEB 26."
    )
    assert (properties["start"], properties["end"]) == ("2026-02-13T23:43Z", "2026-02-22T14:29Z")
    assert len(properties["windows"]) == 9


def test_a_passage_the_warning_permits_is_no_area_and_no_window_of_it():
    """GX64/26's layout: an area closed for training, and inside it a corridor vessels may
    transit at set hours. The corridor and its hours are where and when the warning does not
    apply: neither an area nor windows of the event, and said."""
    feature, problems = warning_feature(
        read_warning(
            "GX64/26 BEIBU BAY, MILITARY TRAINING IN AREA BOUNDED BY THE LINES JOINING "
            "1)21-18.22N 109-30.11E；2)21-19.61N 109-38.05E；3)21-13.35N 109-40.62E；"
            "4)20-40.03N 109-32.95E FROM 222200UTC TO 261200UTC JUL．ENTERING PROHIBITED．"
            "VESSELS ARE PERMITTED TO TRANSIT AREA BOUNDED BY THE LINES JOINING "
            "1)21-00.15N 109-18.15E；2)20-40.02N 109-32.97E；3)20-31.63N 109-21.88E "
            "1200UTC TO 1900UTC DAILY FROM 23 TO 25 JUL. GUANGXI MSA CHINA."
        )
    )
    properties = feature["properties"]
    assert feature["geometry"]["type"] == "Polygon"
    assert (properties["start"], properties["end"], "windows" in properties) == (
        "2026-07-22T22:00Z",
        "2026-07-26T12:00Z",
        False,
    )
    assert any("a passage it permits" in message for _, message in problems)
