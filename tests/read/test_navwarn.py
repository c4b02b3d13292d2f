"""Navigational warnings read as a careful analyst reads them (docs/examples/navwarn), and each
position spelling, area form and date form with its right value."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import shapely
from conftest import REPO
from pyproj import Geod

from layers.read.navwarn import (
    NM_KM,
    guess_warning_columns,
    import_warnings,
    read_items,
    read_warning,
    read_warnings,
    table_items,
    warning_rows,
)
from layers.read.table import read_csv_table

EXAMPLES = REPO / "docs/examples/navwarn"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
READ = read_warnings((EXAMPLES / "warnings.txt").read_text(encoding="utf-8"))
GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize("index", range(len(EXPECTED)), ids=[e["warning"] for e in EXPECTED])
def test_each_example_reads_as_expected(index):
    expected, warning = EXPECTED[index], READ[index]
    assert warning.number == expected["warning"]
    if "cancels" in expected:
        assert warning.cancels == [expected["cancels"]] and warning.areas == []
        return
    if "problem" in expected:
        assert warning.areas == [] and any("no coordinates" in p for p in warning.problems)
        return
    assert warning.nations == expected["nations"]
    assert (warning.start.isoformat(), warning.end.isoformat()) == (
        expected["start"],
        expected["end"],
    )
    assert warning.activity == expected["activity"] or expected["activity"] in warning.activity
    assert warning.cancelled_by == expected.get("cancelled_by")
    assert len(warning.areas) == len(expected["areas"])
    for area, want in zip(warning.areas, expected["areas"]):
        if "polygon" in want:
            assert area.form == "polygon"
            got = [number for position in area.ring() for number in position]
            assert got == pytest.approx([n for p in want["polygon"] for n in p], abs=1e-3)
        else:
            circle = want["circle"]
            assert area.form == "circle"
            assert area.positions[0] == pytest.approx(tuple(circle["center"]), abs=1e-3)
            # Every vertex of the drawn circle lies at the radius, within 1 %.
            ring = area.ring()
            lon, lat = circle["center"]
            _, _, metres = GEOD.inv([lon] * len(ring), [lat] * len(ring), *zip(*ring))
            radius = circle["radius_nm"] * NM_KM * 1000
            assert max(abs(m - radius) for m in metres) < 0.01 * radius
        if "start" in want:
            assert (area.start.isoformat(), area.end.isoformat()) == (want["start"], want["end"])


def test_the_examples_become_events_except_the_cancellation_and_the_unannounced_area():
    text = (EXAMPLES / "warnings.txt").read_text(encoding="utf-8")
    events, problems = import_warnings([(text, None, None, None)], "warnings.txt")
    assert len(events) == 7  # 10 less the cancellation, the area to be announced, NAVAREA
    assert [str(problem) for problem in problems] == [
        'warnings.txt: warning "NAVAREA XI 0555/24" (#7): nations: the text does not say who '
        "issued it: give the nation (the reader does not guess); left out",
        'warnings.txt: warning "粤航警0777/24" (#10): areas: no coordinates: the area is to be '
        "announced; no event is made and no position is invented",
    ]
    with_nation, _ = import_warnings([(text, None, None, None)], "w.txt", nations=["JPN"])
    assert len(with_nation) == 8
    cancelled = events[events["title"].str.startswith("闽航警0123/24")].iloc[0]
    assert (
        cancelled["title"]
        == "闽航警0123/24: military exercise, 台湾海峡 (cancelled by 闽航警0124/24)"
    )
    assert cancelled["summary"].startswith("闽航警0123/24，台湾海峡")
    two = events[events["title"].str.startswith("FJ0987/24")].iloc[0]
    assert two.geometry.geom_type == "MultiPolygon" and len(two.geometry.geoms) == 2
    assert "Areas: 1) 2024-10-14; 2) 2024-10-15." in two["summary"]
    assert two["sources"] == [{"title": "Navigational warning FJ0987/24"}]


@pytest.mark.parametrize(
    ("written", "lon", "lat"),
    [
        ("24-10.00N 118-30.00E", 118.5, 24 + 10 / 60),
        ("38-40.5N122-10.2E", 122.17, 38 + 40.5 / 60),
        ("17-40.25N/110-10.50E", 110.175, 17 + 40.25 / 60),
        ("N 29°05′30″、E 122°40′15″", 122 + 40.25 / 60, 29 + 5.5 / 60),
        ("北緯34度35分 東経139度40分", 139 + 40 / 60, 34 + 35 / 60),
        ("1) 24-05.00N, 118-40.00E", 118 + 40 / 60, 24 + 5 / 60),
        ("１）２４－０５．００Ｎ，１１８－４０．００Ｅ", 118 + 40 / 60, 24 + 5 / 60),
    ],
)
def test_each_position_spelling(written, lon, lat):
    warning = read_warning(f"闽航警0001/24，2024年5月23日，在{written}附近进行军事演习。")
    (area,) = warning.areas
    assert area.form == "points"
    assert area.positions[0] == pytest.approx((lon, lat), abs=1e-6)


@pytest.mark.parametrize(
    ("text", "form", "radius_nm"),
    [
        ("在以18-20.00N 109-30.00E为中心，3海里为半径的圆形区域内", "circle", 3),
        ("在以18-20.00N 109-30.00E为中心，半径5.5公里的圆形区域内", "circle", 5.5 / NM_KM),
        ("IN AREA WITHIN 5 NAUTICAL MILES OF 27-30.0N 123-45.0E", "circle", 5),
        ("IN AREA WITHIN 10 KM OF 27-30.0N 123-45.0E", "circle", 10 / NM_KM),
        ("在24-10N 118-30E、24-10N 119-05E、23-40N 119-05E诸点连线范围内", "polygon", None),
        (
            "IN AREA BOUNDED BY THE LINES JOINING 24-05.00N 118-40.00E, 24-05.00N 118-50.00E, "
            "23-58.00N 118-50.00E",
            "polygon",
            None,
        ),
        (
            "次の各点を順次に結んだ線により囲まれる海域 34-40.0N 139-55.0E、34-40.0N 140-10.0E、"
            "34-30.0N 140-10.0E",
            "polygon",
            None,
        ),
        ("在24-10N 118-30E、24-20N 118-40E附近海域有火箭残骸坠落", "points", None),
        ("沿24-10N 118-30E、24-20N 118-40E航行", "points", None),
    ],
)
def test_each_area_form(text, form, radius_nm):
    warning = read_warning(f"闽航警0002/24，2024年5月23日至5月24日，{text}进行军事演习。")
    assert [area.form for area in warning.areas] == [form], warning.problems
    if radius_nm:
        assert warning.areas[0].radius_nm == pytest.approx(radius_nm)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024年5月23日0800时至5月24日1800时", "2024-05-23", "2024-05-24"),
        ("自6月3日至6月5日，每日0900时至1700时", "2024-06-03", "2024-06-05"),
        ("12月30日至1月2日", "2024-12-30", "2025-01-02"),
        ("2024年7月22日0900時から同日1500時まで", "2024-07-22", "2024-07-22"),
        ("FROM 140100UTC TO 140900UTC OCT", "2024-10-14", "2024-10-14"),
        ("212300 UTC TO 220300 UTC NOV 24", "2024-11-21", "2024-11-22"),
        ("302300 UTC TO 010300 UTC JAN 25", "2024-12-30", "2025-01-01"),
    ],
)
def test_each_date_form(text, start, end):
    warning = read_warning(f"闽航警0003/24，{text}，在24-10N 118-30E附近进行军事演习。")
    assert (str(warning.start), str(warning.end)) == (start, end), warning.problems


def test_a_year_comes_from_the_number_or_the_publication_date_never_from_today():
    text = "航行警報 第99号 5月23日から5月24日まで 34-40.0N 139-55.0E 付近 射撃訓練"
    assert read_warning(text).start is None
    events, problems = import_warnings([(text, None, None, None)], "w.txt")
    assert events.empty and "give the publication date" in problems[0].message
    published = dt.date(2023, 5, 20)
    assert str(read_warning(text, published).start) == "2023-05-23"


def test_two_areas_with_two_periods():
    warning = READ[5]
    assert [(str(a.start), str(a.end)) for a in warning.areas] == [
        ("2024-10-14", "2024-10-14"),
        ("2024-10-15", "2024-10-15"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "FJ0100/24 GUN FIRING 140100UTC TO 140900UTC OCT IN AREA BOUNDED BY 24-05N 118-40E THENCE "
        "ALONG THE ARC OF A CIRCLE 10NM RADIUS CENTERED AT 24-00N 118-30E TO 23-58N 118-50E",
        "闽航警0200/24，2024年5月23日，在台湾海峡南部进行军事演习，具体海域另行通知。",
        "闽航警0201/24，2024年5月23日，在台湾海峡进行军事演习。",
    ],
    ids=["arc", "to-be-announced", "no-coordinates"],
)
def test_a_form_the_reader_does_not_know_is_reported_and_nothing_is_invented(text):
    events, problems = import_warnings([(text, None, None, None)], "w.txt")
    assert events.empty
    assert len(problems) == 1 and problems[0].field == "areas"


def test_the_event_geometry_lies_where_the_coordinates_put_it():
    text = (EXAMPLES / "warnings.txt").read_text(encoding="utf-8")
    events, _ = import_warnings([(text, None, None, None)], "w.txt", nations=["JPN"])
    boso = events[events["title"].str.startswith("航行警報")].geometry.iloc[0]
    box = shapely.box(139 + 55 / 60, 34.5, 140 + 10 / 60, 34 + 40 / 60)
    assert boso.normalize().equals_exact(box.normalize(), 1e-3)


# --- what the dashboard shows of each warning (warning_rows, read_items, table_items) ----------
EXAMPLE_TEXT = (EXAMPLES / "warnings.txt").read_text(encoding="utf-8")


def test_each_warning_is_one_row_saying_what_was_read_and_what_is_wrong():
    items = [(EXAMPLE_TEXT, None, None, None)]
    _, problems = import_warnings(items, "w.txt")
    rows = warning_rows(read_items(items), [], problems)
    assert [row["number"] for row in rows] == [expected["warning"] for expected in EXPECTED]
    assert [row["event"] for row in rows] == ["yes"] * 6 + ["no", "yes", "no", "no"]
    assert rows[0] | {"problems": ""} == {
        "#": "1",
        "number": "闽航警0123/24",
        "issued by": "CHN",
        "activity": "military exercise",
        "dates": "2024-05-23 to 2024-05-24",
        "areas": "1 polygon",
        "cancellation": "cancelled by 闽航警0124/24",
        "event": "yes",
        "problems": "",
    }
    assert rows[1]["areas"] == "1 circle (3\u00a0nm)"
    assert (rows[5]["areas"], rows[5]["dates"]) == (
        "2 polygons",
        "2024-10-14T01:00Z to 2024-10-15T09:00Z (2 windows)",
    )
    assert (rows[6]["issued by"], rows[6]["problems"]) == (
        "not said",
        "the text does not say who issued it: give the nation (the reader does not guess)",
    )
    assert (rows[8]["activity"], rows[8]["cancellation"]) == (
        "cancellation",
        "cancels 闽航警0123/24",
    )
    assert rows[9]["problems"] == "no coordinates: the area is to be announced"
    # The analyst names the issuer: the row says so, and the warning makes its event.
    _, problems = import_warnings(items, "w.txt", nations=["JPN"])
    chosen = warning_rows(read_items(items), ["JPN"], problems)[6]
    assert (chosen["issued by"], chosen["event"], chosen["problems"]) == ("JPN (chosen)", "yes", "")


def test_the_validator_problems_name_the_warning_as_the_reading_problems_do():
    items = [(EXAMPLE_TEXT, None, None, None)]
    first, _ = import_warnings(items, "w.txt")
    taken = {first["id"].iloc[0]: "upload: earlier.txt"}
    events, problems = import_warnings(items, "w.txt", taken_ids=taken)
    assert len(events) == 6
    clash = next(problem for problem in problems if problem.field == "id")
    assert clash.feature == 'warning "闽航警0123/24" (#1)'
    assert "already used in upload: earlier.txt" in clash.message
    assert warning_rows(read_items(items), [], problems)[0]["event"] == "no"


def test_a_cancellation_in_another_row_marks_the_warning_it_cancels():
    paragraphs = EXAMPLE_TEXT.split("\n\n")
    items = [(paragraphs[0], None, None, 2), (paragraphs[8], None, None, 3)]
    read = read_items(items)
    assert read[0][0].cancelled_by == "闽航警0124/24" and read[0][3] == 2
    events, problems = import_warnings(items, "w.csv")
    assert events["title"].item().endswith("(cancelled by 闽航警0124/24)")
    assert problems == []
    assert warning_rows(read, [], problems)[1]["#"] == "2 (row 3)"


BOSO_FIRING = (
    "航行警報 第{}号 5月23日0900時から同日1500時まで 次の各点を順次に結んだ線により囲まれる海域 "
    "34-40.0N 139-55.0E、34-40.0N 140-10.0E、34-30.0N 140-10.0E 射撃訓練"
)


def test_a_csv_column_of_warnings_becomes_items_with_their_rows_links_and_dates():
    raw = (
        "when,text,link\n"
        f'2024-05-20,"{BOSO_FIRING.format(77)}",https://example.org/77\n'
        ",,\n"
        f'20 May,"{BOSO_FIRING.format(78)}",\n'
    ).encode()
    table = read_csv_table(raw, "upload: w.csv")
    assert guess_warning_columns(table) == {"text": "text", "url": "link", "published": "when"}
    items, problems = table_items(
        table, "upload: w.csv", "text", "link", "when", dt.date(2023, 1, 1)
    )
    assert [(url, day, row) for _, url, day, row in items] == [
        ("https://example.org/77", dt.date(2024, 5, 20), 2),
        (None, dt.date(2023, 1, 1), 4),  # the date given for all, where the row's is no date
    ]
    assert [str(problem) for problem in problems] == [
        'upload: w.csv: row #4: when: "20 May" is not a date (YYYY-MM-DD); not used'
    ]
    events, _ = import_warnings(items, "upload: w.csv")
    assert list(events["start"].dt.year) == [2024, 2023]
