"""Which events a view shows: month overlap, nations any/all, kinds."""

import pytest
from conftest import collection, event, write_geodata

from layers.dates import month_span
from layers.filters import (
    compare_default,
    data_months,
    event_summaries,
    events_by_month,
    filter_events,
    month_totals,
    monthly_counts,
    range_summary,
)
from layers.read.load import load_geodata
from layers.view import View


@pytest.fixture
def events(tmp_path):
    features = [
        event("last-day-of-june", start="2024-06-30", nations=["JPN"]),
        event("first-day-of-july", start="2024-07-01", nations=["TWN"]),
        event("deployment", kind="deployment", start="2024-06", end="2024-12", nations=["ITA"]),
        event("year-2023", kind="diplomacy", start="2023", nations=["JPN", "TWN"]),
        event("trilateral", start="2024-06-27", end="2024-06-29", nations=["JPN", "USA", "KOR"]),
    ]
    return load_geodata(write_geodata(tmp_path, {"e.geojson": collection(*features)})).events


def ids(frame):
    return set(frame["id"])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-06", "2024-06", {"last-day-of-june", "deployment", "trilateral"}),
        ("2024-07", "2024-07", {"first-day-of-july", "deployment"}),
        ("2024-09", "2024-09", {"deployment"}),
        ("2023-12", "2023-12", {"year-2023"}),
        ("2025-01", "2025-03", set()),
        (None, "2023-05", {"year-2023"}),
        ("2024-12", None, {"deployment"}),
    ],
)
def test_an_event_shows_in_every_month_its_dates_overlap(events, start, end, expected):
    assert ids(filter_events(events, View(start=start, end=end))) == expected


@pytest.fixture
def timed(tmp_path):
    """Events of a few days, some with times of day in their own offsets."""
    features = [
        event("july-17", start="2024-07-17"),
        # 08:00 in Japan on 19 July is 23:00 UTC on 18 July: it is on 19 July as written.
        event("tokyo-morning", start="2024-07-19T08:00+09:00"),
        event("night-watch", start="2024-07-18T22:00Z", end="2024-07-20T06:00Z"),
        event("july-month", start="2024-07"),
        event("july-21-to-25", start="2024-07-21", end="2024-07-25"),
    ]
    return load_geodata(write_geodata(tmp_path, {"t.geojson": collection(*features)})).events


@pytest.mark.parametrize(
    ("start_day", "end_day", "expected"),
    [
        ("2024-07-18", "2024-07-18", {"night-watch", "july-month"}),
        ("2024-07-19", "2024-07-19", {"tokyo-morning", "night-watch", "july-month"}),
        ("2024-07-20", "2024-07-21", {"night-watch", "july-month", "july-21-to-25"}),
        (
            "2024-07-17",
            None,
            {"july-17", "tokyo-morning", "night-watch", "july-month", "july-21-to-25"},
        ),
        (None, "2024-07-16", {"july-month"}),
        ("2024-07-26", "2024-07-31", {"july-month"}),
    ],
)
def test_a_range_of_days_shows_the_events_whose_days_overlap_it(
    timed, start_day, end_day, expected
):
    view = View(start_day=start_day, end_day=end_day)
    assert ids(filter_events(timed, view)) == expected
    # The months of the days are the view's months: every July event is in July.
    assert ids(filter_events(timed, View(start="2024-07", end="2024-07"))) == ids(timed)


@pytest.mark.parametrize(
    ("nations", "match", "expected"),
    [
        (("JPN",), "any", {"last-day-of-june", "year-2023", "trilateral"}),
        (
            ("JPN", "TWN"),
            "any",
            {"last-day-of-june", "first-day-of-july", "year-2023", "trilateral"},
        ),
        (("JPN", "TWN"), "all", {"year-2023"}),
        (("USA", "KOR"), "all", {"trilateral"}),
        (("CHN",), "any", set()),
        (
            (),
            "all",
            {"last-day-of-june", "first-day-of-july", "deployment", "year-2023", "trilateral"},
        ),
    ],
)
def test_nations_match_any_or_all(events, nations, match, expected):
    assert ids(filter_events(events, View(nations=nations, match=match))) == expected


def test_kinds_filter_and_combine_with_months(events):
    view = View(kinds=("deployment", "diplomacy"), start="2024-01")
    assert ids(filter_events(events, view)) == {"deployment"}


def test_filtered_events_come_in_start_order(events):
    assert list(filter_events(events, View())["id"])[:2] == ["year-2023", "deployment"]


def test_data_months_run_from_first_start_to_last_end(events):
    months = data_months(events)
    assert (months[0], months[-1], len(months)) == ("2023-01", "2024-12", 24)


def test_events_by_month_puts_a_long_event_in_each_month(events):
    groups = events_by_month(events, ["2024-06", "2024-07", "2024-08"])
    assert {m: set(events.loc[i, "id"]) for m, i in groups.items()} == {
        "2024-06": {"last-day-of-june", "deployment", "trilateral"},
        "2024-07": {"first-day-of-july", "deployment"},
        "2024-08": {"deployment"},
    }


def test_monthly_counts_stack_by_kind(events):
    counts = monthly_counts(events, ["2024-06"])
    assert dict(zip(counts["kind"], counts["events"])) == {"exercise": 2, "deployment": 1}


def test_zones_keep_events_in_a_zone_and_possibly_when_asked(events):
    from layers.filters import zone_areas, zone_rows

    tagged = events.copy()
    tags = {
        "last-day-of-june": (("senkaku", "in"),),
        "first-day-of-july": (("senkaku", "possibly"), ("median", "in")),
        "deployment": (("median", "possibly"),),
    }
    tagged["zones"] = [tags.get(event_id, ()) for event_id in tagged["id"]]
    rows = zone_rows(tagged)
    assert sorted(zone_areas(rows)) == ["median", "senkaku"]
    assert ids(filter_events(tagged, View(zones=("senkaku",)), zones=rows)) == {"last-day-of-june"}
    assert ids(filter_events(tagged, View(zones=("senkaku",), possibly=True))) == {
        "last-day-of-june",
        "first-day-of-july",
    }
    assert ids(filter_events(tagged, View(zones=("senkaku", "median")), zones=rows)) == {
        "last-day-of-june",
        "first-day-of-july",
    }
    assert len(filter_events(tagged, View(possibly=True))) == len(tagged)


def test_month_totals_count_each_active_event_once_and_keep_quiet_months(events):
    totals = month_totals(events, ["2024-01", "2024-06", "2024-07"])
    # 2024-01: nothing was active (the 2023 event ended, the deployment had not begun).
    assert totals == {"2024-01": 0, "2024-06": 3, "2024-07": 2}


def test_a_month_range_says_how_many_months_it_holds_and_how_many_were_quiet():
    totals = {"2023-12": 4, "2024-01": 2, "2024-02": 0, "2024-03": 0, "2024-04": 5}
    assert range_summary(("2024-01", "2024-03"), totals) == "3 months, 2 with no events"
    assert range_summary(("2024-04", "2024-04"), totals) == "1 month"


def test_the_whole_data_summary_covers_every_month_nation_and_pairing(events):
    summary = event_summaries(events)
    assert summary["months"][0] == "2023-01" and summary["months"][-1] == "2024-12"
    assert summary["nations_present"] == ["ITA", "JPN", "KOR", "TWN", "USA"]
    assert summary["month_totals"]["2024-06"] == 3  # June's last day, the deployment, trilateral
    assert sum(summary["month_totals"].values()) == summary["monthly_counts"]["events"].sum()
    # Each event's nations and the sides they stood on (layers.analysis.coalitions.pairing):
    # the exercises and the diplomacy event on one side, the deployment on none.
    assert set(summary["nation_sets"]) == {
        (("JPN",), (("JPN",),)),
        (("TWN",), (("TWN",),)),
        (("ITA",), ()),
        (("JPN", "TWN"), (("JPN", "TWN"),)),
        (("JPN", "KOR", "USA"), (("JPN", "KOR", "USA"),)),
    }


def tagged_events(events):
    from layers.filters import zone_rows

    tagged = events.copy()
    tags = {"first-day-of-july": (("senkaku", "possibly"),), "deployment": (("median", "in"),)}
    tagged["zones"] = [tags.get(event_id, ()) for event_id in tagged["id"]]
    return tagged, zone_rows(tagged)


def test_an_empty_zone_view_points_at_include_possibly_not_the_months(events):
    from layers.filters import empty_view_hints

    tagged, rows = tagged_events(events)
    view = View(start="2024-07", end="2024-07", zones=("senkaku",))
    assert filter_events(tagged, view, zones=rows).empty
    hints = empty_view_hints(tagged, view, zones=rows, area_names={"senkaku": "Senkaku {12 nm}"})
    # first-day-of-july is only possibly in the zone; deployment (July too) is in another one.
    assert hints == [
        "tick include possibly (1 event possibly in Senkaku {12 nm})",
        "clear the zones (2 events)",
    ]
    assert not any("month" in hint for hint in hints)


def test_an_empty_view_names_each_filter_that_alone_would_show_events(events):
    from layers.filters import empty_view_hints

    tagged, rows = tagged_events(events)
    view = View(start="2025-01", end="2025-02", nations=("JPN", "TWN"), match="all")
    assert filter_events(tagged, view).empty
    # year-2023 has both nations, but not in 2025; nothing at all happens in 2025.
    assert empty_view_hints(tagged, view, zones=rows) == ["show every month (1 event)"]
    both = View(start="2024-06", end="2024-07", nations=("JPN", "TWN"), match="all")
    assert empty_view_hints(tagged, both, zones=rows) == [
        "match any of the nations, not all (3 events)",
        "clear the nations (4 events)",
        "show every month (1 event)",
    ]
    # Two filters at fault: no single change brings an event back, and none is pretended.
    kinds = View(start="2025-01", end="2025-01", kinds=("port_call",))
    assert empty_view_hints(tagged, kinds, zones=rows) == []


MONTHS = month_span("2017-12", "2024-08")  # the repository's data


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        # The README's link: three months, compared with the three just before.
        (("2024-05", "2024-07"), ("2024-02", "2024-04")),
        (("2024-07", "2024-07"), ("2024-06", "2024-06")),
        (("2018-01", "2018-12"), ("2017-12", "2017-12")),  # cut at the data's first month
        (("2017-12", "2018-02"), ("2018-03", "2018-05")),  # nothing before: just after
        (("2017-12", "2024-07"), ("2024-08", "2024-08")),
        (("2017-12", "2024-08"), ("2017-12", "2024-08")),  # every month: nothing else
    ],
)
def test_compare_starts_with_as_many_months_just_before_the_shown_ones(shown, expected):
    assert compare_default(shown, MONTHS) == expected


def test_a_period_a_does_not_overlap_b_whenever_the_data_leave_room():
    for start in range(len(MONTHS)):
        for end in range(start, len(MONTHS)):
            first, last = compare_default((MONTHS[start], MONTHS[end]), MONTHS)
            a, b = (MONTHS.index(first), MONTHS.index(last)), (start, end)
            if (start, end) != (0, len(MONTHS) - 1):
                assert a[1] < b[0] or b[1] < a[0]
                assert a[1] - a[0] <= end - start  # never longer than B
            if start > 0:
                assert a[1] == start - 1  # it ends the month before B


def test_compare_has_no_default_outside_the_datas_months():
    assert compare_default(("2030-01", "2030-02"), MONTHS) is None
    assert compare_default(("2024-01", "2024-02"), []) is None
