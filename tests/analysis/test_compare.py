"""Two periods compared by area and kind; activity per area and month."""

import pandas as pd

from layers.analysis.compare import (
    CHANGE_CLASSES,
    NO_AREA,
    area_changes,
    area_month_counts,
    cell_changes,
    change_labels,
    change_shades,
    compare_periods,
    period_text,
)
from layers.filters import zone_rows

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


def test_each_change_class_from_its_counts():
    a = [0, 0, 3, 4, 4, 3, 4, 5, 4]
    b = [0, 2, 0, 8, 5, 3, 3, 2, 2]
    assert [CHANGE_CLASSES[shade] for shade in change_shades(a, b)] == [
        "same",
        "new",
        "gone",
        "twice or more",
        "more",
        "same",
        "fewer",
        "half or fewer",  # 2 of 5
        "half or fewer",  # exactly half
    ]
    assert list(change_labels(a, b)) == [
        "same",
        "new",
        "gone",
        "more",
        "more",
        "same",
        "fewer",
        "fewer",
        "fewer",
    ]


def test_area_changes_count_in_and_possibly_apart_and_untagged_events_under_no_area():
    # Period A: events 0 (May) and 3 (May-June); period B: events 1, 2 and 4 (July).
    table = area_changes(
        zone_rows(EVENTS.assign(zones=ZONES)), pd.Index([0, 3]), pd.Index([1, 2, 4])
    )
    rows = {
        row.area: (row.a, row.b, row.a_possibly, row.b_possibly, row.change)
        for row in table.itertuples()
    }
    assert rows == {
        "senkaku-territorial-sea": (1, 1, 0, 1, "same"),
        "taiwan-strait": (1, 1, 0, 0, "same"),
        "taiwan-strait-median-line": (0, 0, 0, 1, "same"),
        NO_AREA: (0, 0, 0, 0, "same"),
    }
    untagged = EVENTS.assign(zones=[(), (), (), (), ()])
    table = area_changes(zone_rows(untagged), pd.Index([0, 3]), pd.Index([1, 2, 4]))
    assert table[["area", "a", "b", "difference", "change"]].values.tolist() == [
        [NO_AREA, 2, 3, 1, "more"]
    ]


def test_cell_changes_count_each_period_per_world_aligned_cell():
    a = pd.DataFrame({"x": [120.2, 120.9, 121.5, 125.0], "y": [24.1, 24.9, 24.5, 30.0]})
    b = pd.DataFrame(
        {"x": [120.5, 121.1, 121.9, 121.2, -170.5], "y": [24.5, 24.2, 24.8, 24.0, 10.0]}
    )
    table = cell_changes(a, b, 1.0)
    cells = {
        (row.cx, row.cy): (row.a, row.b, row.change, CHANGE_CLASSES[row.shade])
        for row in table.itertuples()
    }
    assert cells == {
        (120, 24): (2, 1, "fewer", "half or fewer"),
        (121, 24): (1, 3, "more", "twice or more"),
        (125, 30): (1, 0, "gone", "gone"),
        (-171, 10): (0, 1, "new", "new"),
    }
    # Half the cell size: the first cell's two events part.
    finer = cell_changes(a, b, 0.5)
    assert finer.loc[(finer["cx"] == 240) & (finer["cy"] == 48), ["a", "b"]].values.tolist() == [
        [1, 0]
    ]
    assert finer.loc[(finer["cx"] == 241) & (finer["cy"] == 49), ["a", "b"]].values.tolist() == [
        [1, 1]
    ]


def test_period_text_is_the_links_form():
    assert period_text(("2024-05", "2024-06")) == "2024-05..2024-06"
    assert period_text(("2024-07", "2024-07")) == "2024-07"
