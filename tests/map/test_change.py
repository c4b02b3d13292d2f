"""The change map: per named area zoomed out, per grid cell zoomed in, counts A and B as text."""

import json
from dataclasses import replace

import pytest
from conftest import compare_dataset

from layers.aggregate import MapWindow, map_window
from layers.analysis.zones import zone_tags
from layers.filters import filter_events, zone_rows
from layers.map.change import POSSIBLY_ONLY, ChangeView, PeriodChange
from layers.map.data import MapData
from layers.map.view import view_layers
from layers.read.load import load_geodata
from layers.view import View

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def geodata(tmp_path):
    root = compare_dataset(tmp_path, bay_name=HOSTILE)
    geodata = load_geodata(root)
    geodata.events["zones"] = zone_tags(geodata.events, geodata.areas)
    return geodata


VIEW = View(start="2024-07", end="2024-07", compare=("2024-05", "2024-05"), show="change")


def change_groups(geodata, window, view=VIEW):
    events = geodata.events
    period_a = filter_events(events, replace(view, start=view.compare[0], end=view.compare[1]))
    change = PeriodChange(
        view.compare, ("2024-07", "2024-07"), period_a.index, zone_rows(events), geodata.areas
    )
    return view_layers(
        filter_events(events, view),
        MapData.prepare(events, geodata.areas),
        geodata.areas.iloc[0:1],
        ["2024-07"],
        view,
        window,
        change=change,
    )


def change_view(groups) -> ChangeView:
    return next(
        child
        for group in groups
        for child in group._children.values()
        if isinstance(child, ChangeView)
    )


def drawn(groups) -> list[dict]:
    return [feature["properties"] for feature in json.loads(change_view(groups).data)["features"]]


def test_zoomed_out_the_change_is_per_named_area_with_the_counts_in_the_hover_text(geodata):
    groups = change_groups(geodata, map_window(4, center=(27, 130)))
    assert [group.layer_name for group in groups] == [
        "Area: Big sea",
        "Change 2024-05 → 2024-07",
        "Legend",
    ]
    areas = drawn(groups)
    # The larger area first, so the bay lies on top of the sea and can be hovered.
    assert [(p["t"], p["a"], p["b"], p["k"], p["l"]) for p in areas] == [
        ("Big sea", 2, 3, 4, "+1"),
        ("A strait", 0, 0, POSSIBLY_ONLY, ""),
        (HOSTILE, 1, 2, 5, "+1"),
    ]
    assert areas[0]["d"] == ["+1 (more)", "A 2024-05: 2 events", "B 2024-07: 3 events"]
    assert areas[1]["d"] == [
        "Only possibly in it",
        "A 2024-05: 0 events",
        "B 2024-07: 0 events",
        "Possibly in it: 0 in A, 1 in B",
    ]
    assert areas[2]["d"][0] == "+1 (twice as many or more)"
    legend = change_view(groups).legend
    assert legend["title"] == "Change from A to B by named area"
    assert [POSSIBLY_ONLY, "only possibly in it"] in legend["rows"]
    assert legend["notes"][0] == "A 2024-05 (compared with) → B 2024-07 (shown)"
    assert legend["notes"][1].startswith("In no named area: 1 in A, 1 in B.")


def test_zoomed_in_the_change_is_per_grid_cell_new_and_gone_marked(geodata):
    window = MapWindow(west=100, south=0, east=160, north=50, zoom=6)
    cells = drawn(change_groups(geodata, window))
    size = window.cell_degrees()  # 1.40625°
    by_cell = {tuple(p["at"]): (p["a"], p["b"], p["k"], p["t"], p["l"]) for p in cells}
    centre = lambda cx, cy: (cx * size + size / 2, cy * size + size / 2)  # noqa: E731
    assert by_cell == {
        centre(86, 14): (1, 0, 0, "Gone: only in A", "−1"),
        centre(88, 18): (1, 2, 5, "+1 (twice as many or more)", "+1"),
        centre(89, 19): (0, 1, 6, "New: only in B", "+1"),
        centre(106, 28): (1, 1, 3, "0 (same)", "0"),
        centre(96, 24): (0, 1, 6, "New: only in B", "+1"),  # b-maybe, by its position
    }
    gone = next(p for p in cells if p["a"] == 1 and p["b"] == 0)
    assert gone["d"] == ["A 2024-05: 1 event", "B 2024-07: 0 events"]


def test_the_cells_are_those_of_the_window(geodata):
    window = MapWindow(west=115, south=15, east=135, north=35, zoom=6)
    cells = drawn(change_groups(geodata, window))
    assert sorted((p["a"], p["b"]) for p in cells) == [(0, 1), (1, 0), (1, 2)]
    legend = change_view(change_groups(geodata, window)).legend
    assert legend["title"] == "Change from A to B per grid cell"


def test_periods_of_different_lengths_are_said_to_be_unscaled(geodata):
    view = replace(VIEW, compare=("2024-04", "2024-05"))
    legend = change_view(change_groups(geodata, map_window(4, center=(27, 130)), view)).legend
    assert "A spans 2 months, B 1 month: counts are not scaled." in legend["notes"]


def test_area_names_travel_as_script_safe_json(geodata):
    text = change_view(change_groups(geodata, map_window(4, center=(27, 130)))).data
    assert "<" not in text and "onerror" in text


def test_the_events_map_is_unchanged_without_show_change(geodata):
    groups = change_groups(geodata, map_window(4, center=(27, 130)), replace(VIEW, show="events"))
    assert [group.layer_name for group in groups] == [
        "Area: Big sea",
        "Location uncertainty",
        "2024-07 (5)",
        "Legend",
    ]
