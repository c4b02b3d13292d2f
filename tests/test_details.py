"""The details panel says dates with their precision, nations by name, and escapes everything."""

import pytest
from conftest import collection, event, write_geodata

from layers.details import event_details_html, sources_html
from layers.read.load import events_frame, load_geodata, parse_event


def details_of(tmp_path, **changes):
    root = write_geodata(tmp_path, {"e.geojson": collection(event("e1", **changes))})
    geodata = load_geodata(root)
    assert geodata.problems == [], [str(p) for p in geodata.problems]
    return event_details_html(geodata.events.iloc[0])


def test_a_month_precision_event_says_the_month_not_a_day(tmp_path):
    html = details_of(tmp_path, start="2024-07")
    assert "July 2024 <small>(month only)</small>" in html
    assert "1 July" not in html


def test_a_span_with_mixed_precision_says_so(tmp_path):
    html = details_of(tmp_path, start="2024-06-03", end="2024-12")
    assert "3 June 2024 – December 2024" in html and "exact day to month only" in html


def test_nations_are_named_with_their_codes_and_forces_listed(tmp_path):
    html = details_of(tmp_path, nations=["JPN", "TWN"], forces=["Sagami", "Guardian 9"])
    assert "Japan (JPN), Taiwan (TWN)" in html
    assert "<li>Sagami</li><li>Guardian 9</li>" in html


def test_every_text_field_is_escaped(tmp_path):
    evil = '"><img src=x onerror=alert(1)>'
    html = details_of(
        tmp_path,
        title=evil,
        summary=evil,
        forces=[evil],
        organisations=[evil],
        sources=[{"title": evil, "publisher": evil}],
    )
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 6


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://www.kaiho.mlit.go.jp/", True),
        ("http://example.org/a?b=1&c=2", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("ftp://example.org/file", False),
        ("//example.org", False),
    ],
)
def test_only_http_and_https_urls_become_links(url, linked):
    html = sources_html([{"title": "Source", "url": url}])
    assert ("<a href=" in html) is linked
    if linked:
        assert 'rel="noopener noreferrer"' in html
    assert "javascript:" not in html and "<script" not in html


def test_sources_show_publisher_and_date_in_words():
    html = sources_html([{"title": "Report", "publisher": "JCG", "published": "2024-07"}])
    assert "<li>Report — JCG, July 2024</li>" in html


def test_no_sources_says_to_read_the_summary():
    assert "see the summary" in sources_html([])


def test_zones_are_named_in_then_possibly():
    from layers.details import zones_sentence

    names = {"senkaku-territorial-sea": "Senkaku territorial sea"}
    tags = (("senkaku-territorial-sea", "in"), ("taiwan-strait-median-line", "possibly"))
    assert zones_sentence(tags, names) == (
        "In: Senkaku territorial sea; possibly: taiwan-strait-median-line"
    )
    assert zones_sentence((("a", "possibly"),)) == "Possibly: a"
    assert zones_sentence(()) == ""


def test_a_track_says_how_many_positions_and_from_when_to_when(tmp_path):
    html = details_of(
        tmp_path,
        start="2024-07-03",
        location_precision_km=None,
        geometry={"type": "LineString", "coordinates": [[117.45, 15.05], [117.44, 15.06]]},
        coordTimes=["2024-07-02T21:00Z", "2024-07-03T07:30+08:00"],
    )
    assert (
        "<tr><th>Track</th><td>2 positions with their times, 2024-07-02T21:00Z to "
        "2024-07-02T23:30Z (UTC)</td></tr>"
    ) in html
    assert "Track" not in details_of(tmp_path / "point")


def test_the_details_give_the_events_counts_as_text():
    row, _ = parse_event(
        event(
            "report",
            counts={"ships": 7, "aircraft": 45, "median_line_crossings": 1, "x_<b>": 2},
        )
    )
    row["file"] = "events/e.geojson"
    details = event_details_html(events_frame([row]).iloc[0])
    assert "<th>Counts</th><td>45 aircraft, 1 median-line crossing, 7 ships</td>" in details
    assert "<b>" not in details  # a name is never HTML (and this one is no valid name)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"start": "2024-07-18T02:00Z"}, "18 July 2024, 02:00 UTC <small>(time to the minute)"),
        (
            {"start": "2024-07-19T08:00+09:00", "end": "2024-07-19T17:00+09:00"},
            "19 July 2024, 08:00–17:00 UTC+09:00 <small>(time to the minute)",
        ),
        (
            {"start": "2024-07-18", "end": "2024-07-20T06:00:30-10:00"},
            "18 July 2024 – 20 July 2024, 06:00:30 UTC-10:00 <small>(exact day to time to the "
            "second)",
        ),
    ],
)
def test_a_time_is_said_as_written_with_its_zone(tmp_path, changes, said):
    assert said in details_of(tmp_path, **changes)


def test_the_details_list_a_warnings_windows_as_written_and_escaped():
    from layers.details import WINDOWS_SHOWN, windows_html

    daily = tuple(
        (f"2026-08-{day:02d}T01:00Z", f"2026-08-{day:02d}T13:00Z") for day in range(1, 32)
    )
    listed = windows_html(daily + (("2026-09-01", "<b>2026-09-02</b>"),))
    assert listed.count("<li>") == WINDOWS_SHOWN + 1
    assert "<li>2026-08-01T01:00Z to 2026-08-01T13:00Z</li>" in listed
    assert listed.endswith("<li>and 1 more</li></ul>")
    assert "<b>" not in windows_html((("2026-09-01", "<b>2026-09-02</b>"),))


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        (
            {"kind": "incident", "nations": ["CHN", "JPN"], "sides": [["CHN"], ["JPN"]]},
            "<th>Sides</th><td>China against Japan</td>",
        ),
        (
            {"kind": "transit", "nations": ["CAN", "USA", "GBR"], "sides": [["CAN", "USA"]]},
            "<td>Canada and United States together; United Kingdom: side not said</td>",
        ),
        (
            {"kind": "incident", "nations": ["CHN", "JPN"]},
            "<td>not given: its nations count neither together nor against each other</td>",
        ),
        (
            {"nations": ["CHN", "JPN"], "sides": []},
            "<td>not known: its nations count neither together nor against each other</td>",
        ),
    ],
)
def test_the_details_say_the_sides_in_words(tmp_path, changes, said):
    assert said in details_of(tmp_path, **changes)


def test_an_exercise_without_sides_says_nothing_of_them(tmp_path):
    assert "Sides" not in details_of(tmp_path, nations=["JPN", "TWN"])
