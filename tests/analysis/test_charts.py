"""The heat tables' data and what a click on them selects."""

import pandas as pd

from layers.analysis.charts import PAIR, matrix_frame, nation_matrix_chart, picked_pair
from layers.analysis.coalitions import nation_matrix


def test_the_matrix_frame_has_one_row_per_non_empty_cell_with_names():
    events = pd.DataFrame({"nations": [["JPN", "PHL"], ["JPN"], ["USA"]], "kind": "exercise"})
    cells = matrix_frame(nation_matrix(events), {"JPN": "Japan"})
    got = {(r, c): n for r, c, n in zip(cells["row"], cells["col"], cells["events"])}
    assert got == {
        ("JPN", "JPN"): 2,
        ("JPN", "PHL"): 1,
        ("PHL", "JPN"): 1,
        ("PHL", "PHL"): 1,
        ("USA", "USA"): 1,
    }
    assert set(cells.loc[cells["row"] == "JPN", "row_name"]) == {"Japan"}
    assert list(cells["description"][:3]) == [
        "Japan: 2 events",
        "Japan with PHL: 1 event",
        "PHL with Japan: 1 event",
    ]
    assert nation_matrix_chart(nation_matrix(events)).to_dict()["params"][0]["name"] == PAIR


def test_a_clicked_cell_is_a_pair_and_the_diagonal_one_nation():
    assert picked_pair({PAIR: [{"row": "JPN", "col": "PHL"}]}) == ("JPN", "PHL")
    assert picked_pair({PAIR: [{"row": "JPN", "col": "JPN"}]}) == ("JPN",)
    assert picked_pair({PAIR: []}) is None
    assert picked_pair(None) is None


def test_the_area_table_marks_the_chosen_months_and_a_row_click_is_its_area():
    from layers.analysis.charts import AREA, area_month_chart, area_month_frame, picked_area

    table = pd.DataFrame(
        [[1, 0, 2]], index=["senkaku-territorial-sea"], columns=["2024-05", "2024-06", "2024-07"]
    )
    cells = area_month_frame(table, {"senkaku-territorial-sea": "Senkaku"}, ("2024-06", "2024-07"))
    assert list(cells["events"]) == [1, 0, 2]
    assert list(cells["chosen"]) == [False, True, True]
    assert set(cells["area_name"]) == {"Senkaku"}
    assert list(cells["description"]) == [
        "Senkaku, 2024-05: 1 event",
        "Senkaku, 2024-06: 0 events",
        "Senkaku, 2024-07: 2 events",
    ]
    assert area_month_chart(table, {}, None).to_dict()
    assert picked_area({AREA: [{"area": "senkaku-territorial-sea"}]}) == "senkaku-territorial-sea"
    assert picked_area({AREA: []}) is None
