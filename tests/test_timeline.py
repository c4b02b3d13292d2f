"""The timeline chart and the months a drag across it selects."""

import pandas as pd
import pytest

from layers.timeline import BRUSH, brushed_months, timeline_chart


@pytest.mark.parametrize(
    ("selection", "months"),
    [
        ({BRUSH: {"month": ["2024-06", "2024-05", "2024-07"]}}, ("2024-05", "2024-07")),
        ({BRUSH: {"month": ["2024-06"]}}, ("2024-06", "2024-06")),
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
    assert [(row["month"], row["events"]) for row in behind_rows] == list(totals.items())
    assert [(row["month"], row["events"]) for row in shown_rows] == [("2024-06", 1)]
    assert behind["mark"]["color"] == "#d9d9d9"
    assert any(param["name"] == BRUSH for param in spec["params"])
