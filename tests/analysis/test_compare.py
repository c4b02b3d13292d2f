"""Two periods compared by area and kind; activity per area and month."""

import pandas as pd

from layers.analysis.compare import area_month_counts, compare_periods

EVENTS = pd.DataFrame(
    {
        "kind": ["incident", "incident", "transit", "exercise", "incident"],
        "start": pd.to_datetime(
            ["2024-05-03", "2024-07-10", "2024-07-11", "2024-05-20", "2024-07-01"]
        ),
        "end": pd.to_datetime(
            ["2024-05-03", "2024-07-10", "2024-07-12", "2024-06-02", "2024-07-01"]
        ),
    }
)
ZONES = pd.Series(
    [
        (("senkaku-territorial-sea", "in"),),
        (("senkaku-territorial-sea", "in"),),
        (("taiwan-strait", "in"), ("taiwan-strait-median-line", "possibly")),
        (("taiwan-strait", "in"),),
        (("senkaku-territorial-sea", "possibly"),),
    ]
)


def test_counts_by_area_and_kind_in_each_period_and_what_changed():
    table = compare_periods(EVENTS, ZONES, ("2024-05", "2024-05"), ("2024-07", "2024-07"))
    rows = {
        (r.area, r.kind): (r.a, r.b, r.change, r.a_possibly, r.b_possibly)
        for r in table.itertuples()
    }
    assert rows[("senkaku-territorial-sea", "incident")] == (1, 1, "same", 0, 1)
    assert rows[("taiwan-strait", "transit")] == (0, 1, "new", 0, 0)
    assert rows[("taiwan-strait", "exercise")] == (1, 0, "gone", 0, 0)
    assert rows[("taiwan-strait-median-line", "transit")] == (0, 0, "same", 0, 1)


def test_an_event_spanning_both_periods_counts_in_both():
    table = compare_periods(EVENTS, ZONES, ("2024-05", "2024-05"), ("2024-06", "2024-06"))
    exercise = table[(table["area"] == "taiwan-strait") & (table["kind"] == "exercise")].iloc[0]
    assert (exercise["a"], exercise["b"], exercise["change"]) == (1, 1, "same")


def test_activity_per_area_and_month():
    table = area_month_counts(EVENTS, ZONES, ["2024-05", "2024-06", "2024-07"])
    assert table.loc["senkaku-territorial-sea"].tolist() == [1, 0, 1]
    assert table.loc["taiwan-strait"].tolist() == [1, 1, 1]
    assert "taiwan-strait-median-line" not in table.index  # only "possibly" there
