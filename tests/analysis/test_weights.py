"""Each analysis adds up a count when given weights (layers.measure.measure_weights): an event
adds its count instead of 1, an event that gives none (NaN) adds nothing and is never 0, and a
count is added only where its event's whole period falls."""

import math

import numpy as np
import pandas as pd
import shapely

from layers.analysis.coalitions import nation_matrix
from layers.analysis.compare import (
    NO_AREA,
    area_kind_counts,
    area_month_counts,
    compare_periods,
    crossing_period,
)
from layers.analysis.density import event_density
from layers.measure import (
    EVENTS,
    Tally,
    amount,
    count_names,
    count_table,
    count_words,
    measure_title,
    measure_weights,
    tally,
)

NAN = math.nan
EVENTS_TABLE = pd.DataFrame(
    {
        "kind": ["patrol", "patrol", "incident", "patrol", "patrol"],
        "start": pd.to_datetime(
            ["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-30", "2024-08-04"]
        ),
        "end": pd.to_datetime(
            ["2024-07-01", "2024-07-02", "2024-07-03", "2024-08-02", "2024-08-04"]
        ),
        "nations": [["CHN"], ["CHN"], ["CHN", "RUS"], ["CHN"], ["JPN"]],
        # The incident's two nations on one side: a pair in who works with whom.
        "sides": [None, None, (("CHN", "RUS"),), None, None],
        "counts": [
            {"aircraft": 45, "ships": 7},
            {"aircraft": 0},
            {"aircraft": 12, "drones": 2},
            {"aircraft": 30},
            {"ships": 3},
        ],
    },
    index=[10, 11, 12, 13, 14],  # labels, not positions: weights follow the events' index
)
ZONES = pd.Series(
    [
        (("strait", "in"),),
        (("strait", "in"),),
        (("strait", "in"), ("sea", "possibly")),
        (("strait", "in"),),
        (),
    ],
    index=EVENTS_TABLE.index,
)
AIRCRAFT = measure_weights(EVENTS_TABLE, "aircraft")


def test_weights_are_the_events_counts_and_nan_where_none_is_given():
    assert measure_weights(EVENTS_TABLE, EVENTS) is None
    assert AIRCRAFT.index.tolist() == EVENTS_TABLE.index.tolist()
    assert AIRCRAFT.tolist()[:4] == [45.0, 0.0, 12.0, 30.0]
    assert math.isnan(AIRCRAFT[14])  # gives ships, not aircraft: no count, never 0
    nothing = measure_weights(EVENTS_TABLE, "balloons")
    assert nothing.isna().all() and len(nothing) == len(EVENTS_TABLE)
    table = count_table(EVENTS_TABLE)
    assert list(table.columns) == ["aircraft", "ships", "drones"]  # the usual names' order
    assert measure_weights(EVENTS_TABLE.loc[[12, 10]], "aircraft", table).tolist() == [12, 45]


def test_count_names_put_the_usual_ones_first_then_the_others_alphabetically():
    events = pd.DataFrame({"counts": [{"zeppelins": 1, "ships": 2}, {"aircraft": 3, "buoys": 4}]})
    assert count_names(events) == ["aircraft", "ships", "buoys", "zeppelins"]
    assert count_names(pd.DataFrame({"id": ["x"]})) == []


def test_the_tally_says_what_it_counts_and_the_events_that_give_none():
    shown = tally(AIRCRAFT, len(AIRCRAFT), "aircraft")
    assert shown == Tally("aircraft", 87, 4, 1)
    assert shown.headline() == "87 aircraft in 4 events"
    assert shown.missing_line() == "1 event gives no aircraft count"
    every = tally(None, 5, EVENTS)
    assert (every.headline(), every.missing_line()) == ("5 events", None)
    crossings = tally(pd.Series([NAN, NAN, 1.0]), 3, "median_line_crossings")
    assert crossings.headline() == "1 median-line crossing in 1 event"
    assert crossings.missing_line() == "2 events give no median-line crossings count"


def test_counts_are_said_in_words():
    assert [count_words(name, 2) for name in ("aircraft", "official_ships", "buoy_tenders")] == [
        "aircraft",
        "official ships",
        "buoy tenders",
    ]
    assert amount(1, "ships") == "1 ship" and amount(2345, "aircraft") == "2,345 aircraft"
    assert measure_title("median_line_crossings") == "Median-line crossings"


def test_who_works_with_whom_adds_up_the_count_of_the_events_each_pair_shares():
    matrix = nation_matrix(EVENTS_TABLE, weights=AIRCRAFT)
    assert matrix.loc["CHN", "CHN"] == 45 + 0 + 12 + 30
    assert matrix.loc["CHN", "RUS"] == matrix.loc["RUS", "RUS"] == 12
    assert "JPN" not in matrix.index  # its one event gives no aircraft count
    counted = nation_matrix(EVENTS_TABLE)
    assert counted.loc["CHN", "CHN"] == 4 and counted.loc["JPN", "JPN"] == 1


def test_activity_by_area_adds_up_the_count_in_the_month_holding_each_event():
    table = area_month_counts(EVENTS_TABLE, ZONES, ["2024-07", "2024-08"], AIRCRAFT)
    # The event from 30 July to 2 August is in neither month: never split over them.
    assert table.loc["strait"].tolist() == [45 + 0 + 12, 0]
    assert "sea" not in table.index  # only possibly in it
    counted = area_month_counts(EVENTS_TABLE, ZONES, ["2024-07", "2024-08"])
    assert counted.loc["strait"].tolist() == [4, 1]  # events: in every month they were active


def test_the_comparison_adds_up_the_count_of_the_events_wholly_in_each_period():
    table = compare_periods(
        EVENTS_TABLE, ZONES, ("2024-07", "2024-07"), ("2024-08", "2024-08"), AIRCRAFT
    )
    rows = {(area, kind): (a, b) for area, kind, a, b in table[["area", "kind", "a", "b"]].values}
    assert rows[("strait", "patrol")] == (45, 0)
    assert rows[("strait", "incident")] == (12, 0)
    assert rows[("sea", "incident")] == (0, 0)
    assert table.set_index(["area", "kind"]).loc[("sea", "incident"), "a_possibly"] == 12
    assert (NO_AREA, "patrol") not in rows  # the only event in no area gives no aircraft
    assert crossing_period(EVENTS_TABLE, "2024-07", "2024-07", AIRCRAFT) == (1, 30)
    assert crossing_period(EVENTS_TABLE, "2024-07", "2024-07", None) == (0, 0)


def test_area_kind_counts_leave_out_the_events_that_give_none():
    counts = area_kind_counts(EVENTS_TABLE, ZONES, measure_weights(EVENTS_TABLE, "ships"))
    assert counts.to_dict("records") == [
        {"area": NO_AREA, "kind": "patrol", "events": 3, "possibly": 0},
        {"area": "strait", "kind": "patrol", "events": 7, "possibly": 0},
    ]


def test_density_adds_up_each_events_count_in_every_cell_it_is_in():
    taiwan = (116.0, 20.0, 127.0, 27.5)
    points = np.array([[120.5, 23.0], [120.5, 23.0], [125.0, 25.0]])
    box = shapely.box(120.0, 22.0, 121.0, 24.0)
    line = shapely.LineString([(118.0, 21.0), (118.0, 26.0)])
    grid = event_density(
        taiwan,
        7,
        points,
        [box, line],
        point_weights=np.array([45.0, 12.0, 7.0]),
        shape_weights=np.array([30.0, 5.0]),
    )
    assert grid.count_at(120.5, 23.0) == 45 + 12 + 30  # two reports and the area over them
    assert grid.count_at(120.2, 22.2) == 30
    assert grid.count_at(125.0, 25.0) == 7
    assert grid.count_at(118.0, 24.0) == 5  # the line adds its count once per cell
    assert grid.count_at(123.0, 21.0) == 0
    plain = event_density(taiwan, 7, points, [box, line])
    assert plain.count_at(120.5, 23.0) == 3


def test_a_tiny_area_adds_its_count_where_its_outline_is():
    speck = shapely.box(121.0, 23.0, 121.001, 23.001)  # covers no cell's centre at zoom 5
    grid = event_density(
        (116.0, 20.0, 127.0, 27.5),
        5,
        np.zeros((0, 2)),
        [speck],
        point_weights=np.zeros(0),
        shape_weights=np.array([9.0]),
    )
    assert grid.counts.max() == 9 and grid.counts.sum() == 9 * (grid.counts > 0).sum()
