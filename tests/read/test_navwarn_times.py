"""When a navigational warning is in force, as each real form writes it: every window with its
exact start and end (dates, or aware datetimes where the text gives the zone), the broadcast's
own issue time and self-cancellation kept out of the windows, and what is not a date never
becoming one."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.read.navwarn import read_warning, times
from layers.read.navwarn.times import MAX_WINDOWS, cancel_time, issue_time, read_windows

UTC = dt.UTC
CST = dt.timezone(dt.timedelta(hours=8))
JST = dt.timezone(dt.timedelta(hours=9))
D = dt.date


def T(year, month, day, hour=0, minute=0, zone=UTC):  # noqa: N802 - reads like the DTG
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


def daily(days, first, last, zone=UTC):
    """One window per day from `first` to `last` (hours, minutes); overnight ends next day."""
    windows = []
    for day in days:
        end_day = day + dt.timedelta(days=1) if last <= first else day
        windows.append(
            (
                dt.datetime.combine(day, dt.time(*first), zone),
                dt.datetime.combine(end_day, dt.time(*last), zone),
            )
        )
    return windows


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def read(text, year=2026, published=None):
    windows, problems = read_windows(text, year=year, published=published)
    return [(window.start, window.end) for window in windows], problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # DTG ranges (NGA broadcast-warning format, China MSA English)
        ("FROM 060400UTC TO 181000UTC JUL", [(T(2026, 7, 6, 4), T(2026, 7, 18, 10))]),
        ("140100UTC TO 140900UTC OCT", [(T(2026, 10, 14, 1), T(2026, 10, 14, 9))]),
        ("212300 UTC TO 220300 UTC NOV 24", [(T(2024, 11, 21, 23), T(2024, 11, 22, 3))]),
        ("091700Z TO 092300Z OCT", [(T(2026, 10, 9, 17), T(2026, 10, 9, 23))]),
        ("010800Z OCT TO 010800Z NOV", [(T(2026, 10, 1, 8), T(2026, 11, 1, 8))]),
        ("302300Z DEC 24 TO 010300Z JAN 25", [(T(2024, 12, 30, 23), T(2025, 1, 1, 3))]),
        ("302300 UTC TO 010300 UTC JAN 25", [(T(2024, 12, 30, 23), T(2025, 1, 1, 3))]),
        ("FROM 282000UTC TO 282400UTC JULY", [(T(2026, 7, 28, 20), T(2026, 7, 29, 0))]),
        ("181500Z THRU 200300Z DEC", [(T(2026, 12, 18, 15), T(2026, 12, 20, 3))]),
        # several windows in one warning: each kept
        (
            "221000Z TO 221400Z, 231000Z TO 231400Z AND 241000Z TO 241400Z OCT",
            [
                (T(2026, 10, 22, 10), T(2026, 10, 22, 14)),
                (T(2026, 10, 23, 10), T(2026, 10, 23, 14)),
                (T(2026, 10, 24, 10), T(2026, 10, 24, 14)),
            ],
        ),
        (
            "090600Z TO 091242Z OCT, ALTERNATE 100600Z TO 101242Z OCT.",
            [
                (T(2026, 10, 9, 6), T(2026, 10, 9, 12, 42)),
                (T(2026, 10, 10, 6), T(2026, 10, 10, 12, 42)),
            ],
        ),
        (
            "302123Z TO 302311Z NOV, 012123Z TO 012311Z, 022123Z TO 022311Z",
            [
                (T(2026, 11, 30, 21, 23), T(2026, 11, 30, 23, 11)),
                (T(2026, 12, 1, 21, 23), T(2026, 12, 1, 23, 11)),
                (T(2026, 12, 2, 21, 23), T(2026, 12, 2, 23, 11)),
            ],
        ),
        (
            "FROM 130100UTC TO 130400UTC、 140200UTC TO 140330UTC AND 150100UTC TO 150400UTC AUG.",
            [
                (T(2026, 8, 13, 1), T(2026, 8, 13, 4)),
                (T(2026, 8, 14, 2), T(2026, 8, 14, 3, 30)),
                (T(2026, 8, 15, 1), T(2026, 8, 15, 4)),
            ],
        ),
        # daily hours: one window per day
        (
            "0200 UTC TO 1000 UTC DAILY FROM 16 TO 17 MAR",
            daily(days(D(2026, 3, 16), D(2026, 3, 17)), (2,), (10,)),
        ),
        (
            "0100Z TO 1300Z DAILY 24 THRU 27 AUG",
            daily(days(D(2026, 8, 24), D(2026, 8, 27)), (1,), (13,)),
        ),
        (
            "DAILY 0100Z TO 0900Z 12 THRU 15 SEP 26",
            daily(days(D(2026, 9, 12), D(2026, 9, 15)), (1,), (9,)),
        ),
        (
            "0000 UTC TO 0800 UTC DAILY 3 AND 4 JUN",
            daily([D(2026, 6, 3), D(2026, 6, 4)], (0,), (8,)),
        ),
        (
            "2200Z TO 0400Z DAILY 10 THRU 12 OCT",
            daily(days(D(2026, 10, 10), D(2026, 10, 12)), (22,), (4,)),
        ),
        (
            "0100Z TO 0300Z DAILY 22, 23 AND 24 OCT",
            daily(days(D(2026, 10, 22), D(2026, 10, 24)), (1,), (3,)),
        ),
        (
            "GUNNERY. 2300Z TO 0900Z COMMENCING DAILY 30 SEP TO 30 OCT. AREA BOUNDED BY",
            daily(days(D(2026, 9, 30), D(2026, 10, 30)), (23,), (9,)),
        ),
        (
            "2329Z TO 0045Z DAILY 04 NOV THRU 04 DEC",
            daily(days(D(2026, 11, 4), D(2026, 12, 4)), (23, 29), (0, 45)),
        ),
        (
            "0300Z TO 1900Z DAILY 02 THRU 04, 09 THRU 10 MAR IN AREA",
            daily(
                days(D(2026, 3, 2), D(2026, 3, 4)) + days(D(2026, 3, 9), D(2026, 3, 10)),
                (3,),
                (19,),
            ),
        ),
        (
            "0330Z TO 0800Z AND 1000Z TO 1230Z DAILY 13 THRU 14 OCT IN AREA",
            [
                (T(2026, 10, 13, 3, 30), T(2026, 10, 13, 8)),
                (T(2026, 10, 13, 10), T(2026, 10, 13, 12, 30)),
                (T(2026, 10, 14, 3, 30), T(2026, 10, 14, 8)),
                (T(2026, 10, 14, 10), T(2026, 10, 14, 12, 30)),
            ],
        ),
        (
            "0300Z TO 1900Z DAILY 01 THRU 11 OCT EXCEPT SATURDAYS AND SUNDAYS IN AREA",
            daily(
                [d for d in days(D(2026, 10, 1), D(2026, 10, 11)) if d.weekday() < 5], (3,), (19,)
            ),
        ),
        (
            "0001Z TO 0400Z 28 AND 29 OCT IN AREA",
            daily([D(2026, 10, 28), D(2026, 10, 29)], (0, 1), (4,)),
        ),
        (
            "FROM 10 TO 12 AUG，DAILY 1130 UTC TO 1330 UTC .ENTERING",
            daily(days(D(2026, 8, 10), D(2026, 8, 12)), (11, 30), (13, 30)),
        ),
        # dates, and hours in a zone the text does not state: dates
        ("FROM 16 TO 17 JUL.ENTER PROHIBITED", [(D(2026, 7, 16), D(2026, 7, 17))]),
        ("FROM 170000 TO 190900 AUG.ENTERING", [(D(2026, 8, 17), D(2026, 8, 19))]),
        (
            "FROM 0800 ON 10 AUG 2026 TO 1800 ON 14 AUG 2026, ENTERING",
            [(D(2026, 8, 10), D(2026, 8, 14))],
        ),
        (
            "DAILY FROM 0500 TO 2400 ON 3 AUG 2026 TO 4 AUG 2026 AND FROM 0700 TO 1800 ON 8 AUG "
            "2026 , ENTERING",
            [(D(2026, 8, 3), D(2026, 8, 3)), (D(2026, 8, 4), D(2026, 8, 4)), (D(2026, 8, 8),) * 2],
        ),
        # Chinese MSA, in Chinese
        ("3月16日至17日每天1000时至1800时", [(D(2026, 3, 16),) * 2, (D(2026, 3, 17),) * 2]),
        (
            "北京时间3月16日至17日每天1000时至1800时",
            daily([D(2026, 3, 16), D(2026, 3, 17)], (10,), (18,), CST),
        ),
        ("3月18日0800时至25日2400时", [(D(2026, 3, 18), D(2026, 3, 25))]),
        (
            "3月18日0800时至25日2400时（北京时间）",
            [(T(2026, 3, 18, 8, zone=CST), T(2026, 3, 26, 0, zone=CST))],
        ),
        ("8月12日20时至13日6时", [(D(2026, 8, 12), D(2026, 8, 13))]),
        ("7月22日～25日", [(D(2026, 7, 22), D(2026, 7, 25))]),
        (
            "自6月3日至6月5日，每日0900时至1700时",
            [(d, d) for d in days(D(2026, 6, 3), D(2026, 6, 5))],
        ),
        (
            "8月4日0700时至1500时和8月5日1100时至1400时，在以下四点",
            [(D(2026, 8, 4),) * 2, (D(2026, 8, 5),) * 2],
        ),
        (
            "8月13日0900时至1200时、14日1000时至1130时、15日0900时至1200时，在",
            [(D(2026, 8, 13),) * 2, (D(2026, 8, 14),) * 2, (D(2026, 8, 15),) * 2],
        ),
        (
            "8月24日、25日、27日，每日1100时至1730时，以下",
            [(D(2026, 8, 24),) * 2, (D(2026, 8, 25),) * 2, (D(2026, 8, 27),) * 2],
        ),
        ("12月30日至1月2日", [(D(2026, 12, 30), D(2027, 1, 2))]),
        # Japanese 航行警報
        ("2024年7月22日0900時から同日1500時まで", [(D(2024, 7, 22),) * 2]),
        (
            "日本時間 2024年7月22日0900時から同日1500時まで",
            [(T(2024, 7, 22, 9, zone=JST), T(2024, 7, 22, 15, zone=JST))],
        ),
        ("令和7年1月8日から1月10日まで", [(D(2025, 1, 8), D(2025, 1, 10))]),
        (
            "令和7年1月8日0900(I)から1600(I)まで",
            [(T(2025, 1, 8, 9, zone=JST), T(2025, 1, 8, 16, zone=JST))],
        ),
        (
            "1月8日0900から1600まで（JST）",
            [(T(2026, 1, 8, 9, zone=JST), T(2026, 1, 8, 16, zone=JST))],
        ),
        ("3月16日0800时至1200时（UTC）", [(T(2026, 3, 16, 8), T(2026, 3, 16, 12))]),
        (
            "0800 UTC+8 TO 1600 UTC+8 DAILY 3 JUN",
            [(T(2026, 6, 3, 8, zone=CST), T(2026, 6, 3, 16, zone=CST))],
        ),
        ("0100 TO 0900 UTC DAILY 3 JUN", [(T(2026, 6, 3, 1), T(2026, 6, 3, 9))]),
        ("R7.1.8から1月10日まで", [(D(2025, 1, 8), D(2025, 1, 10))]),
        ("平成31年4月29日から4月30日まで", [(D(2019, 4, 29), D(2019, 4, 30))]),
        ("令和元年5月1日から5月2日まで", [(D(2019, 5, 1), D(2019, 5, 2))]),
        ("１月８日０９００から１６００まで", [(D(2026, 1, 8),) * 2]),
        (
            "1月8日から1月10日まで 毎日0900-1600",
            [(d, d) for d in days(D(2026, 1, 8), D(2026, 1, 10))],
        ),
        # Taiwan 航船布告
        ("民國113年10月14日至10月16日", [(D(2024, 10, 14), D(2024, 10, 16))]),
        ("113年10月14日至16日", [(D(2024, 10, 14), D(2024, 10, 16))]),
    ],
)
def test_each_written_form_gives_its_windows(text, expected):
    windows, problems = read(text)
    assert windows == expected, problems
    assert problems == []
    for start, end in windows:
        if isinstance(start, dt.datetime):
            assert start.tzinfo is not None and end.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # UNTIL <end>: in force from the warning's issue (its DTG, else its publication)
        (
            "101045Z OCT 26 HYDROPAC 1/26 UNTIL 211500Z OCT.",
            None,
            [(T(2026, 10, 10, 10, 45), T(2026, 10, 21, 15))],
        ),
        (
            "UNDERWATER OPERATIONS UNTIL 31 DEC IN AREA",
            D(2026, 2, 11),
            [(D(2026, 2, 11), D(2026, 12, 31))],
        ),
        (
            "PIPELINE WORKS. UNTIL 08 OCT 2026. IN VICINITY",
            D(2026, 9, 24),
            [(D(2026, 9, 24), D(2026, 10, 8))],
        ),
        (
            "111151Z FEB 26 HYDROPAC 417/26 0630Z TO 0830Z DAILY UNTIL 14 FEB IN AREA",
            None,
            daily(days(D(2026, 2, 12), D(2026, 2, 14)), (6, 30), (8, 30)),
        ),
        # DAILY with a comma, days with no month (that of issue), TO glued to the DTG
        (
            "0100Z TO 1100Z DAILY, 12 AND 13 JAN IN AREAS",
            None,
            daily([D(2026, 1, 12), D(2026, 1, 13)], (1,), (11,)),
        ),
        (
            "131044Z NOV 25 HYDROPAC 2920/25 0800Z TO 1445Z DAILY 18 THRU 19 IN AREAS",
            None,
            daily([D(2025, 11, 18), D(2025, 11, 19)], (8,), (14, 45)),
        ),
        (
            "OFF AIR 131500Z TO131700Z NOV AT USCG",
            None,
            [(T(2026, 11, 13, 15), T(2026, 11, 13, 17))],
        ),
        # two daily clauses, the month written once at the end serves both
        (
            "0900Z TO 1200Z DAILY 01, 05 AND 1230Z TO 1430Z 01 AND 08 JUN IN AREA",
            D(2018, 5, 28),
            daily([D(2018, 6, 1), D(2018, 6, 5)], (9,), (12,))
            + daily([D(2018, 6, 1), D(2018, 6, 8)], (12, 30), (14, 30)),
        ),
        # two daily clauses in a row: the second's days are not a year later
        (
            "2300Z TO 0500Z COMMENCING DAILY 31 MAY AND 03 JUN, 0600Z TO 0900Z DAILY 01 JUN IN",
            D(2018, 5, 27),
            daily([D(2018, 5, 31), D(2018, 6, 3)], (23,), (5,))
            + daily([D(2018, 6, 1)], (6,), (9,)),
        ),
        (
            "2200Z TO 1000Z DAILY, 31 JUL, 02 THRU 03 AND 30 AUG, IN AREA",
            None,
            daily([D(2026, 7, 31), D(2026, 8, 2), D(2026, 8, 3), D(2026, 8, 30)], (22,), (10,)),
        ),
    ],
)
def test_each_nga_variant_gives_its_windows(text, published, expected):
    # As NGA's records give them: a publication date, and the number's year read apart.
    windows, problems = read(text, year=None if published else 2026, published=published)
    assert windows == expected, problems
    assert problems == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "CABLE OPERATIONS 28 JAN UNTIL FURTHER NOTICE BY CABLESHIP ANIEK",
            '"28 JAN UNTIL FURTHER NOTICE" gives a start but no end (until further notice); no '
            "window is made from it",
        ),
        (
            "HYDROPAC 1/26 UNTIL 211500Z OCT.",
            '"UNTIL 211500Z OCT" gives only an end, and the warning\'s issue date is not known; '
            "not taken",
        ),
        (
            "201536Z TO 202024Z OCT, 251536Z TO 242024Z OCT",
            '"251536Z TO 242024Z OCT" ends before it starts; not taken',
        ),
        (
            "281754Z JAN 26 HYDROPAC 262/26 1. HAZARDOUS OPERATIONS 290800Z TO 291359Z FEB IN",
            '"290800Z TO 291359Z FEB" is not a real date in any year near the warning\'s '
            "publication (2026-01-28); not taken",
        ),
    ],
)
def test_a_period_that_cannot_be_taken_is_said(text, problem):
    _, problems = read(text, year=2026)
    assert problems == [problem]


def test_times_in_utc_are_aware_in_utc():
    (window,), _ = read_windows("140100UTC TO 140900UTC OCT", year=2026)
    assert window.start.tzinfo is UTC and window.end.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "HYDROPAC 2381/26",
        "CANCEL HYDROPAC 2381/26",
        "IN 21-23.00N 108-47.40E, 21-23.00N 108-58.00E",
        "CANCEL NAVAREA XI 0540/24",
        "航行警報 第99号",
        "DISCOLORED WATER VICINITY 24-49.3N 141-20.4E AT 290640Z APR.",
        "CANCEL THIS MSG 311000Z OCT 24.",
        "HYDROPAC 2381/26(61). 170950Z JAN 17 NORTH PACIFIC.",
        "221154Z AUG 26 HYDROPAC 2411/26 NORTH PACIFIC. CANCEL HYDROPAC 2381/26 AND THIS MSG.",
        "发布时间：2026-03-15 13:35 [字体： 大 中 小 ] 分享到：",
        "Authority: NAVAREA XI 262/12 290938Z APR 12. Date: 290948Z APR 12",
        "CHART 97562. 1008 TONS. 10050 METRE LONG.",
    ],
)
def test_what_is_not_a_period_never_becomes_a_window(text):
    windows, problems = read(text)
    assert windows == [] and problems == []


def test_the_broadcast_issue_time_is_read_and_is_not_a_window():
    text = "HYDROPAC 2381/26(61). 170950Z JAN 26 NORTH PACIFIC. 1. 200100Z TO 200500Z JAN."
    assert issue_time(text) == T(2026, 1, 17, 9, 50)
    windows, _ = read(text)
    assert windows == [(T(2026, 1, 20, 1), T(2026, 1, 20, 5))]
    assert issue_time("190840Z AUG 26\nHYDROPAC 2410/26.\nNORTH PACIFIC.") == T(2026, 8, 19, 8, 40)
    assert issue_time("NO.26-0449       Date:2026/10/08 09 UTC") == T(2026, 10, 8, 9)
    assert issue_time("HYDROPAC 1222/12 DISCOLORED WATER. Date: 290948Z APR 12") == T(
        2012, 4, 29, 9, 48
    )
    assert issue_time("140100UTC TO 140900UTC OCT") is None


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("CANCEL THIS MSG 311000Z OCT 24.", None, T(2024, 10, 31, 10)),
        ("CANCEL THIS MSG 102210Z OCT.", D(2026, 10, 8), T(2026, 10, 10, 22, 10)),
        ("CANCEL THIS MSG 050100Z JAN.", D(2025, 12, 28), T(2026, 1, 5, 1)),
        ("2. CANCEL THIS MSG 270700Z AUG 26.", None, T(2026, 8, 27, 7)),
        ("CANCEL THIS MSG 01 JAN 2027.", None, None),  # a day, no hour: not a time
        ("CANCEL HYDROPAC 2381/26.", None, None),
    ],
)
def test_cancel_this_msg_is_the_time_the_warning_ends_itself(text, published, expected):
    assert cancel_time(text, year=None, published=published) == expected
    assert read(text, published=published)[0] == []


def test_a_day_without_a_year_takes_the_one_nearest_its_publication():
    published = D(2024, 12, 27)
    assert read("1月8日から1月10日まで", year=2024, published=published)[0] == [
        (D(2025, 1, 8), D(2025, 1, 10))
    ]
    assert read("050100Z TO 050300Z JAN", year=2024, published=published)[0] == [
        (T(2025, 1, 5, 1), T(2025, 1, 5, 3))
    ]
    # the issue time, when no publication date is given
    text = "281200Z DEC 24\nHYDROPAC 3999/24\n050100Z TO 050300Z JAN"
    assert read(text, year=2024)[0] == [(T(2025, 1, 5, 1), T(2025, 1, 5, 3))]


def test_a_written_year_long_before_publication_is_a_problem_not_a_window():
    published = D(2024, 12, 27)
    assert read("令和7年1月8日から1月9日まで", year=2024, published=published) == (
        [(D(2025, 1, 8), D(2025, 1, 9))],
        [],
    )
    windows, problems = read("令和6年1月8日から1月9日まで", year=2024, published=published)
    assert windows == []
    assert problems == [
        '"令和6年1月8日から1月9日まで" ends 2024-01-09, 353 days before the warning\'s '
        "publication (2024-12-27); not taken"
    ]


def test_days_with_no_month_written_take_the_month_of_issue():
    text = "101613Z OCT 25\nHYDROPAC 2607/25\nSPACE DEBRIS 201536Z TO 202024Z, 211536Z TO 212024Z."
    assert read(text, year=2025)[0] == [
        (T(2025, 10, 20, 15, 36), T(2025, 10, 20, 20, 24)),
        (T(2025, 10, 21, 15, 36), T(2025, 10, 21, 20, 24)),
    ]
    windows, problems = read("180030Z TO 180830Z", year=2025)
    assert windows == []
    assert problems == ['"180030Z TO 180830Z" gives no month; these dates are not taken']


def test_no_year_anywhere_is_said_not_guessed():
    windows, problems = read("5月23日から5月24日まで", year=None)
    assert windows == []
    assert "gives no year" in problems[0] and "5月23日から5月24日まで" in problems[0]


def test_a_date_that_is_not_real_is_said():
    windows, problems = read("2月30日至3月2日", year=2026)
    assert windows == [] and problems == ['"2月30日至3月2日" is not a real date; not taken']


def test_a_daily_window_over_more_than_a_year_is_cut_with_a_problem():
    windows, problems = read("0100Z TO 0200Z DAILY 01 JAN 2025 THRU 31 DEC 2026")
    assert len(windows) == MAX_WINDOWS
    assert windows[-1] == (T(2026, 1, 1, 1), T(2026, 1, 1, 2))
    assert len(problems) == 1 and f"more than {MAX_WINDOWS} windows" in problems[0]


def test_a_warning_with_several_windows_spans_them_all():
    warning = read_warning(
        "FJ0100/26 GUN FIRING 221000Z TO 221400Z, 231000Z TO 231400Z AND 241000Z TO 241400Z "
        "OCT IN AREA BOUNDED BY 24-05.00N 118-40.00E, 24-05.00N 118-50.00E, 23-58.00N "
        "118-50.00E."
    )
    assert (warning.start, warning.end) == (D(2026, 10, 22), D(2026, 10, 24))
    assert len(warning.windows) == 3


def test_a_daily_warning_spans_its_days_and_its_area_takes_them_all():
    warning = read_warning(
        "GX20/26 BEIBU BAY，MILITARY TRAINING IN AREA BOUNDED BY THE LINES JOINING "
        "21-23.00N 108-47.40E；21-23.00N 108-58.00E；21-12.40N 108-58.00E；21-12.40N "
        "108-47.40E 0200 UTC TO 1000 UTC DAILY FROM 16 TO 17 MAR. ENTERING PROHIBITED．",
        D(2026, 3, 15),
    )
    assert (warning.start, warning.end) == (D(2026, 3, 16), D(2026, 3, 17))
    assert [w.start for w in warning.windows] == [T(2026, 3, 16, 2), T(2026, 3, 17, 2)]


def test_an_end_at_2400_closes_that_day():
    warning = read_warning(
        "SD560/26 YELLOW SEA,MILITARY ACTIVITY IN AREA BOUNDED BY THE LINES JOINING "
        "35-41.62N 120-17.28E,35-41.62N 122-05.78E,35-30.82N 122-05.78E "
        "FROM 282000UTC TO 282400UTC JULY.ENTERING PROHIBITED.",
        D(2026, 7, 28),
    )
    assert (warning.start, warning.end) == (D(2026, 7, 28), D(2026, 7, 28))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "0100Z",
                "TO",
                "THRU",
                "DAILY",
                "221000Z",
                "OCT",
                "24",
                "3",
                "AND",
                ",",
                "FROM",
                "月",
                "日",
                "至",
                "每天",
                "1000时",
                "令和",
                "7年",
                "R7.1.8",
                "民國",
                "113年",
                "2400",
                "北京时间",
                "UTC",
                "EXCEPT",
                "SUNDAYS",
                "CANCEL THIS MSG",
                "31",
                "2月",
                "30日",
                "-",
                "～",
                "同日",
                "から",
                "まで",
                "99",
                "0000",
                "JAN 25",
                ".",
            ]
        ),
        max_size=25,
    ).map(" ".join),
    st.one_of(st.none(), st.integers(1, 9999)),
    st.one_of(st.none(), st.dates()),
)
def test_any_text_gives_windows_or_problems_never_an_exception(text, year, published):
    # the readers under read_windows' and issue_time's guards: no error is swallowed here
    windows, problems = times._read_windows(text, year, published, 0)
    assert all(isinstance(problem, str) and "\n" not in problem for problem in problems)
    for window in windows:
        assert window.start <= window.end and window.first_day() <= window.last_day()
    times._issue(text, year, published)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), st.integers(-5, 99999)))
def test_any_characters_never_raise(text, year):
    times._read_windows(unicodedata.normalize("NFKC", text), year, None, 0)


def test_each_area_takes_the_days_of_the_daily_period_written_before_it():
    warning = read_warning(
        "FJ0987/26 TAIWAN STRAIT GUN FIRING 0100Z TO 0900Z DAILY 14 THRU 15 OCT, IN AREA "
        "BOUNDED BY THE LINES JOINING 24-05.00N 118-40.00E, 24-05.00N 118-50.00E, 23-58.00N "
        "118-50.00E. 0100Z TO 0900Z DAILY 16 THRU 18 OCT, IN AREA BOUNDED BY THE LINES JOINING "
        "24-20.00N 119-00.00E, 24-20.00N 119-08.00E, 24-14.00N 119-08.00E."
    )
    assert [(area.start, area.end) for area in warning.areas] == [
        (D(2026, 10, 14), D(2026, 10, 15)),
        (D(2026, 10, 16), D(2026, 10, 18)),
    ]
    assert (warning.start, warning.end) == (D(2026, 10, 14), D(2026, 10, 18))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # A written offset is the time's own, in Chinese text as in English.
        ("3月20日0800时至1800时（UTC+8）", "2026-03-20T08:00+08:00", "2026-03-20T18:00+08:00"),
        ("3月20日0800-1800（UTC+8）", "2026-03-20T08:00+08:00", "2026-03-20T18:00+08:00"),
        ("0800 UTC+8 TO 1800 UTC+8 20 MAR", "2026-03-20T08:00+08:00", "2026-03-20T18:00+08:00"),
        ("200800 GMT-10 TO 201800 GMT-10 MAR", "2026-03-20T08:00-10:00", "2026-03-20T18:00-10:00"),
    ],
)
def test_a_written_offset_is_kept_in_every_language(text, start, end):
    from layers.read.navwarn.events import moment_text

    windows, problems = read_windows(text, year=2026, published=dt.date(2026, 3, 14))
    assert problems == []
    assert [(moment_text(w.start), moment_text(w.end)) for w in windows] == [(start, end)]


@pytest.mark.parametrize(
    ("text", "year", "published", "first_day"),
    [
        # A /26 warning published in March for September: September 2026, not 2025.
        ("SURVEY OPERATIONS 20 THRU 21 SEP", 2026, dt.date(2026, 3, 10), dt.date(2026, 9, 20)),
        # A /26 warning issued late in December for early January: January 2027.
        ("1月3日至1月5日", 2026, dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
        # No year in the number: the first coming year after the publication.
        ("1月8日から1月10日まで", None, dt.date(2024, 12, 27), dt.date(2025, 1, 8)),
        ("3月16日至17日", 2026, dt.date(2026, 3, 15), dt.date(2026, 3, 16)),
        # A number's year far from the publication is a typo (NGA's HYDROPAC 1690/261).
        ("0100Z TO 1300Z DAILY 24 THRU 27 AUG", 261, dt.date(2026, 8, 20), dt.date(2026, 8, 24)),
    ],
)
def test_a_day_without_a_year_takes_the_coming_one(text, year, published, first_day):
    windows, problems = read_windows(text, year=year, published=published)
    assert problems == []
    assert windows[0].first_day() == first_day


@pytest.mark.parametrize(
    ("text", "last_day"),
    [
        ("3月16日1800时至次日0600时", dt.date(2026, 3, 17)),
        ("令和８年３月１６日２２時から翌日０４時まで", dt.date(2026, 3, 17)),
    ],
)
def test_the_next_day_is_one_day_later(text, last_day):
    windows, problems = read_windows(text, year=2026, published=dt.date(2026, 3, 10))
    assert problems == []
    assert windows[-1].last_day() == last_day


@pytest.mark.parametrize(
    "text",
    [
        # Real typos in NGA's HYDROPAC broadcasts: one window of a list written with a DTG of
        # the wrong length, which would leave the others to pass for the whole warning.
        "200830Z TO 201030Z, AND 2708030Z TO 271030Z NOV",  # HYDROPAC 2966/25
        "060330Z TO 060530Z AND 061530Z TO 06730Z FEB",  # HYDROPAC 306/26
        "050230Z TO 05630Z AND 050830Z TO 051130Z MAY",  # HYDROPAC 1628/26
    ],
)
def test_a_broken_date_time_group_takes_no_window_and_says_so(text):
    windows, problems = read_windows(text, year=2026, published=dt.date(2026, 1, 1))
    assert windows == []
    assert len(problems) == 1 and "is no date-time group (DDHHMMZ: six digits)" in problems[0]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        # Days listed, the hours written after the last: every day's, not the last day's.
        ("3月16日、18日和20日0800时至1800时", [16, 18, 20]),
        ("3月16日、18日和20日每天0800时至1800时", [16, 18, 20]),
    ],
)
def test_hours_after_a_list_of_days_are_each_days(text, days):
    windows, problems = read_windows(text, year=2026, published=dt.date(2026, 3, 10))
    assert problems == []
    assert [window.first_day() for window in windows] == [dt.date(2026, 3, d) for d in days]
