"""The map and counts a view gets from the shared store with a session's uploads
(layers/store/view.py) are what the files path draws from the same events in memory."""

import json

import pandas as pd
import pytest
from conftest import REPO, collection, event, write_geodata

import layers.map.view
import layers.store.view
from layers.aggregate import map_window
from layers.analysis.zones import zone_tags
from layers.filters import data_months, filter_events
from layers.map.data import MapData
from layers.map.view import view_layers
from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore
from layers.store.view import (
    FeatureCache,
    combined_shown,
    map_parts,
    store_layers,
    store_window,
    table_rows,
)
from layers.view import View

REGIONS = json.loads((REPO / "geodata/areas/regions.geojson").read_text())


def spread(count, prefix, nations, start="2024-05"):
    """`count` point events on a line across the East China Sea."""
    return [
        event(
            f"{prefix}-{n:03d}",
            start=start if n % 2 else "2024-06-02",
            nations=nations,
            kind=["patrol", "transit", "incident"][n % 3],
            geometry={"type": "Point", "coordinates": [121.0 + n * 0.05, 25.0 + (n % 7) * 0.3]},
        )
        for n in range(count)
    ]


@pytest.fixture
def parts(events_db, tmp_path):
    """(store with 120 events, the uploads' events (30) as the dashboard holds them, every
    event in memory for the files path, areas)."""
    stored_dir = write_geodata(
        tmp_path / "s",
        {"s.geojson": collection(*spread(120, "st", ["JPN"]))},
        {"r.geojson": REGIONS},
    )
    upload_dir = write_geodata(
        tmp_path / "u", {"u.geojson": collection(*spread(30, "up", ["JPN", "TWN"], "2024-07"))}
    )
    stored = load_geodata(stored_dir)
    uploads = load_geodata(upload_dir).events
    uploads["zones"] = zone_tags(uploads, stored.areas)
    both = pd.concat([stored.events, load_geodata(upload_dir).events], ignore_index=True)
    both["zones"] = zone_tags(both, stored.areas)
    with PostgisStore(events_db) as store:
        store.import_geodata(stored)
        yield store, uploads, both, stored.areas


def month_layers(groups):
    return [group.layer_name for group in groups if group.layer_name[:2] == "20"]


def drawn_ids(groups):
    ids = set()
    for group in groups:
        for child in group._children.values():
            text = getattr(child, "data", None) or getattr(child, "text", None)
            if isinstance(text, str) and text.startswith('{"type":"FeatureCollection"'):
                ids |= {feature["properties"].get("i") for feature in json.loads(text)["features"]}
    return ids - {None}


@pytest.mark.parametrize("limit", [1500, 40], ids=["one-by-one", "counted-per-cell"])
# Zoom 6: the nations filter counted on event_points; zoom 4: from nation_cells.
@pytest.mark.parametrize("zoom", [6, 4])
def test_the_store_and_the_uploads_draw_what_the_files_path_draws(parts, monkeypatch, limit, zoom):
    store, uploads, both, areas = parts
    monkeypatch.setattr(layers.store.view, "DETAIL_LIMIT", limit)
    monkeypatch.setattr(layers.map.view, "DETAIL_LIMIT", limit)
    view = View(nations=("JPN",))
    window = map_window(zoom, center=(26.0, 123.0))
    months = [*data_months(both), "2024-08"]  # a quiet month too
    uploads_map = MapData.prepare(uploads, areas.iloc[0:0])
    own = filter_events(uploads, view)
    shown = combined_shown(store.shown(view, months), own, months)
    found = map_parts(store, view, window, months, shown.count, own, uploads_map, FeatureCache())
    from_store = store_layers(
        found,
        shown.month_counts,
        areas.iloc[0:0],
        uploads_map.area_features,
        months,
        view,
        window,
        [],
    )
    files = view_layers(
        filter_events(both, view),
        MapData.prepare(both, areas.iloc[0:0]),
        areas.iloc[0:0],
        months,
        view,
        window,
    )
    assert shown.count == 150
    # The same layers in the same order (the store's assembly, layer_groups, follows
    # view_layers'), the months named with their counts.
    assert [group.layer_name for group in from_store] == [group.layer_name for group in files]
    assert month_layers(from_store) == [
        "2024-05 (60)",
        "2024-06 (75)",
        "2024-07 (15)",
        "2024-08 (none)",
    ]
    elements = [[type(child).__name__ for child in group._children.values()] for group in files]
    assert [
        [type(child).__name__ for child in group._children.values()] for group in from_store
    ] == elements
    if limit == 1500:
        assert found.cells is None
        assert drawn_ids(from_store) == drawn_ids(files) == set(both["id"])
    else:
        assert found.drawn is None
        counted = found.cells.groupby("group")["n"].sum().to_dict()
        assert counted == {"2024-05": 60, "2024-06": 75, "2024-07": 15}


def test_the_table_merges_the_uploads_in_date_order(parts):
    store, uploads, both, _ = parts
    rows = table_rows(store, View(), uploads, limit=100)
    expected = both.sort_values(["start", "id"], kind="stable")["id"].head(100)
    assert list(rows["id"]) == list(expected)


def test_prepared_features_are_reused_while_an_event_is_unchanged(parts):
    store, *_ = parts
    cache = FeatureCache(size=50)
    first = cache.prepare(store.table(View(), 30))
    again = cache.prepare(store.table(View(), 30))
    assert list(first.features) == list(again.features)
    cache.prepare(store.table(View(), 100))
    assert len(cache._entries) == 50  # the oldest went


@pytest.mark.parametrize(
    "bounds",
    [
        (118.0, 23.5, 123.1, 26.7),  # zoom 8 over Taiwan
        (100.0, 5.0, 160.0, 45.0),  # zoom 4, the region
        (170.0, 10.0, 200.0, 30.0),  # across 180° (the Pacific frame goes on past it)
    ],
)
def test_the_store_window_covers_the_map_and_is_inside_the_files_window(bounds):
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    zoom = 8 if span < 10 else 4
    padded = map_window(zoom, bounds=bounds)
    window = store_window(padded, bounds)
    west, south, east, north = bounds
    # Everything the map shows, and a margin of a quarter of its span on every side.
    assert window.west <= west - span / 4 and window.east >= east + span / 4
    assert window.south <= south - span / 4 and window.north >= north + span / 4
    assert padded.west <= window.west and window.east <= padded.east
    assert padded.south <= window.south and window.north <= padded.north
    area = (window.east - window.west) * (window.north - window.south)
    assert area < 0.6 * (padded.east - padded.west) * (padded.north - padded.south)
    # Before the map has reported its bounds: the estimate from its centre, as it was.
    assert store_window(padded, None) == padded
