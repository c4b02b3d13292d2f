"""The timeline chart and the months a drag across it selects; what it adds up per month or
day, for events or a count."""

import math

import pandas as pd
import pytest
from conftest import collection, event, write_geodata

from layers.filters import data_months, monthly_counts
from layers.measure import count_table, measure_weights
from layers.read.load import load_geodata
from layers.timeline import (
    BRUSH,
    DAY,
    binned,
    brushed_months,
    days_offered,
    days_with_values,
    range_days,
    seven_day_mean,
    timeline_chart,
)


@pytest.mark.parametrize(
    ("selection", "months"),
    [
        ({BRUSH: {"month": ["2024-06", "2024-05", "2024-07"]}}, ("2024-05", "2024-07")),
        ({BRUSH: {"month": ["2024-06"]}}, ("2024-06", "2024-06")),
        ({BRUSH: {"day": ["2024-07-30", "2024-08-02", "2024-07-31"]}}, ("2024-07", "2024-08")),
        ({BRUSH: {}}, None),
        ({}, None),
        (None, None),
    ],
)
def test_a_drag_selects_its_first_to_last_month(selection, months):
    assert brushed_months(selection) == months


def test_the_chart_fades_months_outside_the_range_and_offers_a_brush():
    counts = pd.DataFrame(
        {"month": ["2024-05", "2024-06"], "kind": ["patrol", "incident"], "events": [3, 1]}
    )
    spec = timeline_chart(counts, ["2024-05", "2024-06"], ("2024-06", "2024-06")).to_dict()
    assert spec["params"][0]["name"] == BRUSH
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    assert [row["chosen"] for row in rows] == [False, True]


def test_with_filters_on_the_whole_datas_months_stand_faint_behind_the_shown_events():
    counts = pd.DataFrame({"month": ["2024-06"], "kind": ["patrol"], "events": [1]})
    totals = {"2024-05": 4, "2024-06": 12}
    spec = timeline_chart(
        counts, ["2024-05", "2024-06"], ("2024-05", "2024-06"), totals=totals
    ).to_dict()
    behind, shown = spec["layer"]
    behind_rows = spec["datasets"][behind["data"]["name"]]
    shown_rows = spec["datasets"][shown["data"]["name"]]
    assert [(row["month"], row["value"]) for row in behind_rows] == list(totals.items())
    assert [(row["month"], row["value"]) for row in shown_rows] == [("2024-06", 1)]
    assert behind["mark"]["color"] == "#d9d9d9"
    assert any(param["name"] == BRUSH for param in spec["params"])


def dataset(tmp_path, *features):
    root = write_geodata(tmp_path / "geodata", {"e.geojson": collection(*features)})
    events = load_geodata(root).events
    return events, count_table(events)


def test_events_per_month_are_the_events_active_in_each_as_before(tmp_path):
    events, _ = dataset(
        tmp_path,
        event("a", start="2024-05-03"),
        event("b", start="2024-05", end="2024-07", kind="deployment"),
        event("c", start="2024-07-18", kind="patrol"),
    )
    months = data_months(events)
    found = binned(events, months).values.rename(columns={"value": "events"})
    expected = monthly_counts(events, months)
    key = ["month", "kind"]
    assert (
        found.sort_values(key, ignore_index=True)
        .astype({"events": "int64"})
        .equals(expected.sort_values(key, ignore_index=True))
    )


def test_a_count_is_added_in_the_month_or_day_that_holds_its_event(tmp_path):
    events, table = dataset(
        tmp_path,
        event("d1", start="2024-07-01", counts={"aircraft": 45, "ships": 7}),
        event("d2", start="2024-07-01", kind="incident", counts={"aircraft": 5}),
        event("d3", start="2024-07-02", counts={"aircraft": 12}),
        event("none", start="2024-07-02", counts={"ships": 3}),  # gives no aircraft count
        event("july", start="2024-07", counts={"aircraft": 300}),  # a month's total
        event("span", start="2024-07-31", end="2024-08-01", counts={"aircraft": 9}),
    )
    weights = measure_weights(events, "aircraft", table)
    months = binned(events, ["2024-07", "2024-08"], weights=weights)
    assert months.totals(["2024-07", "2024-08"]) == {"2024-07": 362.0, "2024-08": 0.0}
    assert (months.left_out, months.left_out_total) == (1, 9)  # across two months: not split
    days = range_days("2024-07", "2024-08")
    daily = binned(events, days, DAY, weights)
    totals = daily.totals(days)
    assert (totals["2024-07-01"], totals["2024-07-02"]) == (50.0, 12.0)
    assert sum(totals.values()) == 62.0
    # The month's total and the two-day event fit no single day: said, never spread.
    assert (daily.left_out, daily.left_out_total) == (2, 309)
    by_kind = daily.values.set_index(["day", "kind"])["value"]
    assert (by_kind["2024-07-01", "exercise"], by_kind["2024-07-01", "incident"]) == (45.0, 5.0)


def test_events_per_day_are_those_dated_to_the_day_on_each_day_they_were_active(tmp_path):
    events, _ = dataset(
        tmp_path,
        event("a", start="2024-07-01", end="2024-07-03"),
        event("b", start="2024-07-02"),
        event("month", start="2024-07"),  # some day of July: on no day in particular
    )
    days = range_days("2024-07", "2024-07")
    daily = binned(events, days, DAY)
    totals = daily.totals(days)
    assert [totals[f"2024-07-0{n}"] for n in (1, 2, 3, 4)] == [1.0, 2.0, 1.0, 0.0]
    assert (daily.left_out, daily.left_out_total) == (1, 0)


def test_the_seven_day_mean_takes_the_days_with_a_value_never_a_missing_day_as_zero():
    days = [f"2024-07-{n:02d}" for n in range(1, 11)]
    totals = {day: float(n) for n, day in enumerate(days, start=1)}
    known = {day: day != "2024-07-05" for day in days}  # no report on the 5th
    means = seven_day_mean(totals, known)
    assert "2024-07-03" not in means  # three days with a value: too few for a mean
    assert means["2024-07-04"] == pytest.approx((1 + 2 + 3 + 4) / 4)
    assert means["2024-07-07"] == pytest.approx((1 + 2 + 3 + 4 + 6 + 7) / 6)
    assert means["2024-07-10"] == pytest.approx((4 + 6 + 7 + 8 + 9 + 10) / 6)


def test_days_with_a_value_are_those_an_event_gave_the_count_for(tmp_path):
    events, table = dataset(
        tmp_path,
        event("d1", start="2024-07-01", counts={"aircraft": 0}),
        event("d2", start="2024-07-02", counts={"ships": 3}),
    )
    days = ["2024-07-01", "2024-07-02", "2024-07-03"]
    weights = measure_weights(events, "aircraft", table)
    assert days_with_values(events, days, weights) == {
        "2024-07-01": True,  # 0 aircraft reported: a value
        "2024-07-02": False,
        "2024-07-03": False,
    }
    assert all(days_with_values(events, days, None).values())


def test_days_are_offered_for_ranges_of_about_four_months():
    assert days_offered("2024-05", "2024-08")  # 123 days
    assert not days_offered("2024-05", "2024-09")
    assert not days_offered(None, None)


def test_the_day_chart_says_what_it_adds_up_and_draws_the_mean():
    days = range_days("2024-07", "2024-07")
    counts = pd.DataFrame({"day": ["2024-07-01"], "kind": ["patrol"], "value": [45.0]})
    spec = timeline_chart(
        counts,
        days,
        ("2024-07", "2024-07"),
        measure="aircraft",
        per=DAY,
        mean={"2024-07-04": 20.5},
    ).to_dict()
    bars, line = spec["layer"]
    assert bars["encoding"]["y"]["title"] == "aircraft"
    assert [tip.get("title") for tip in bars["encoding"]["tooltip"]][-1] == "aircraft shown"
    assert spec["datasets"][line["data"]["name"]] == [{"day": "2024-07-04", "mean": 20.5}]
    assert not any(math.isnan(row["value"]) for row in spec["datasets"][bars["data"]["name"]])


def test_the_legend_names_only_the_kinds_the_bars_hold_in_their_fixed_colours():
    from layers.map.style import KIND_COLOURS

    counts = pd.DataFrame(
        {"month": ["2024-06", "2024-06"], "kind": ["port_call", "launch"], "events": [1, 2]}
    )
    spec = timeline_chart(counts, ["2024-06"], ("2024-06", "2024-06")).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    # In the kinds' own order, each with the colour the map gives it.
    assert scale["domain"] == ["Launch", "Port call"]
    assert scale["range"] == [KIND_COLOURS["launch"], KIND_COLOURS["port_call"]]
