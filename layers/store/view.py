"""What a view shows when the events live in the shared store, with this session's uploads.

The store answers for the events it holds (layers.store.postgis); the analyst's own uploads,
held in the session only until saved, are filtered in memory as on the files path
(layers.filters). This module puts the two together, so the dashboard sees one answer: how many
events a view shows and in which months, the table's first rows, the map's layers (events one
by one, or counts per grid cell), and the columns the analyses need. What comes from the store
is bounded by what a view shows: at most the table's rows, DETAIL_LIMIT events on the map,
counts per cell, or `FACTS_LIMIT` rows for the analyses.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from layers.aggregate import DETAIL_LIMIT, MapWindow, clusters, in_window
from layers.analysis.coalitions import nation_sets
from layers.dates import month_span
from layers.filters import data_months, events_by_month, monthly_counts, nation_rows, zone_rows
from layers.filters import zone_areas as zone_areas_of
from layers.map.clusters import pack_cells
from layers.map.data import MapData
from layers.map.view import layer_groups, visible_radius
from layers.read.schema import KINDS
from layers.store.postgis import PostgisStore, Shown, StoreSummary
from layers.view import View

# The analyses under the table (who works with whom, activity by area, comparison) take the
# shown events' id, kind, dates, nations, zones and sides from the store up to this many;
# beyond it the dashboard asks for narrower filters rather than holding millions of rows.
FACTS_LIMIT = 50_000
# Map features prepared for events fetched from the store, kept per process (about 0.5 KB
# each): a pan over the same events does not prepare them again.
FEATURE_CACHE_SIZE = 50_000
FACT_COLUMNS = ["id", "kind", "start", "end", "nations", "zones", "sides"]


def store_summaries(summary: StoreSummary, uploads: gpd.GeoDataFrame) -> dict:
    """The sidebar's and the timeline's view of the whole data: the store's summary with this
    session's uploads (the events table of the uploads alone, with "zones") added, under the
    keys layers.filters.event_summaries gives on the files path."""
    months = summary.months
    if len(uploads):
        ends = [*months[:1], *months[-1:], *data_months(uploads)]
        months = month_span(min(ends), max(ends))
    counts = summary.monthly_counts
    if len(uploads):
        counts = (
            pd.concat([counts, monthly_counts(uploads, data_months(uploads))])
            .groupby(["month", "kind"], as_index=False, sort=False)["events"]
            .sum()
            .sort_values(["month", "events"], ascending=[True, False], kind="stable")
        )
    upload_nations = nation_rows(uploads)
    upload_zones = zone_rows(uploads)
    counts = counts.reset_index(drop=True)
    per_month = counts.groupby("month")["events"].sum()
    return {
        "months": months,
        "monthly_counts": counts,
        "month_totals": {month: int(per_month.get(month, 0)) for month in months},
        "nation_rows": upload_nations,
        "nations_present": sorted({*summary.nations_present, *upload_nations.dropna()}),
        "zone_rows": upload_zones,
        "nation_sets": nation_sets(uploads),
        "zone_areas": list(dict.fromkeys([*summary.zone_areas, *zone_areas_of(upload_zones)])),
    }


def combined_shown(stored: Shown, uploads_shown: gpd.GeoDataFrame, months: list[str]) -> Shown:
    """The store's count and month counts for a view plus the uploads it shows."""
    by_month = events_by_month(uploads_shown, months)
    return Shown(
        stored.count + len(uploads_shown),
        {
            month: stored.month_counts.get(month, 0) + len(by_month.get(month, ()))
            for month in months
        },
    )


def table_rows(
    store: PostgisStore, view: View, uploads_shown: gpd.GeoDataFrame, limit: int
) -> gpd.GeoDataFrame:
    """The first `limit` events the view shows, store and uploads together, in date order."""
    stored = store.table(view, limit)
    if uploads_shown.empty:
        return stored
    rows = pd.concat([stored, uploads_shown.head(limit)], ignore_index=True)
    rows = rows.sort_values(["start", "id"], kind="stable", ignore_index=True)
    return rows.head(limit)


def shown_facts(
    store: PostgisStore, view: View, uploads_shown: gpd.GeoDataFrame, limit: int = FACTS_LIMIT
) -> pd.DataFrame | None:
    """FACT_COLUMNS of every event the view shows (store and uploads), or None when there are
    more than `limit` (counted first, on event_groups: nothing is read then)."""
    if store.shown(view, []).count + len(uploads_shown) > limit:
        return None
    stored = store.facts(view, limit)
    if stored is None:
        return None
    return pd.concat([stored, uploads_shown[FACT_COLUMNS]], ignore_index=True)


class FeatureCache:
    """Map features prepared for events read from the store (layers.map.data.MapData), kept
    by (id, digest) so an event is prepared once while it is unchanged; the oldest go first
    beyond `size`. Shared by a process's sessions (thread-safe)."""

    def __init__(self, size: int = FEATURE_CACHE_SIZE):
        self.size = size
        self._entries: OrderedDict[tuple[str, str], tuple] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, events: gpd.GeoDataFrame) -> MapData:
        """MapData for `events` (read from the store, with "digest"), indexed like them; named
        areas are not part of it."""
        keys = list(zip(events["id"], events["digest"], strict=True))
        with self._lock:
            known = {key: self._entries[key] for key in keys if key in self._entries}
            for key in known:
                self._entries.move_to_end(key)
        missing = [number for number, key in enumerate(keys) if key not in known]
        if missing:
            fresh = MapData.prepare(events.iloc[missing], events.iloc[0:0])
            with self._lock:
                for number, label in zip(missing, events.index[missing], strict=True):
                    entry = (
                        fresh.features[label],
                        fresh.uncertainty.get(label),
                        tuple(fresh.positions.loc[label]),
                    )
                    known[keys[number]] = self._entries[keys[number]] = entry
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        entries = [known[key] for key in keys]
        uncertainty = {
            label: entry[1]
            for label, entry in zip(events.index, entries, strict=True)
            if entry[1] is not None
        }
        return MapData(
            features=pd.Series([entry[0] for entry in entries], index=events.index, dtype=object),
            uncertainty=pd.Series(uncertainty, dtype=object),
            area_features=pd.Series([], dtype=object),
            shapes=pd.Series([], dtype=object),  # the density layer is not on the store path
            positions=pd.DataFrame(
                [entry[2] for entry in entries],
                columns=["x", "y", "minx", "miny", "maxx", "maxy"],
                index=events.index,
            ),
        )


def store_window(window: MapWindow, bounds: tuple[float, float, float, float] | None) -> MapWindow:
    """The part of the map the store path counts and sends: the map's `bounds` (west, south,
    east, north, degrees, as the map reports them) padded by a quarter of their span on each
    side and snapped outward to an eighth of the span rounded up to a power of two; `window`
    (layers.aggregate.map_window's, estimated from the map's centre) while the bounds are not
    known yet.

    map_window pads by half the span so that small pans send nothing new; its window is about
    nine times the map's area (bench/postgis.py's moves, a 1052 x 620 px map), which at 2
    million events was 30,000 (month, cell) counts and 900 KB of layers for one move at zoom
    8. This one is about four times the map's area, so a move counts, sends and draws 40 % as
    much, and a pan of more than a quarter of the map asks the store again (answers are kept
    per window: a pan back costs nothing). Always inside map_window's window.
    """
    if bounds is None:
        return window
    west, south, east, north = bounds
    span = max(east - west, north - south, 1e-6)
    step = 2.0 ** math.ceil(math.log2(span)) / 8
    pad = span / 4
    return MapWindow(
        west=max(window.west, math.floor((west - pad) / step) * step),
        south=max(window.south, math.floor((south - pad) / step) * step),
        east=min(window.east, math.ceil((east + pad) / step) * step),
        north=min(window.north, math.ceil((north + pad) / step) * step),
        zoom=window.zoom,
    )


@dataclass(frozen=True)
class MapParts:
    """What the map shows of a view: the events drawn one by one (store and uploads, with
    their prepared MapData), or the counts per cell."""

    drawn: gpd.GeoDataFrame | None
    map_data: MapData | None
    cells: pd.DataFrame | None


def map_parts(
    store: PostgisStore,
    view: View,
    window: MapWindow,
    months: list[str],
    shown_count: int,
    uploads_shown: gpd.GeoDataFrame,
    uploads_map_data: MapData,
    cache: FeatureCache,
) -> MapParts:
    """As the files path (layers.map.view.drawn_events): up to DETAIL_LIMIT events shown in
    all are all drawn, wherever the window is; beyond that, the events touching the window
    are drawn when at most DETAIL_LIMIT do, and counted per cell otherwise."""
    positions = uploads_map_data.positions.loc[uploads_shown.index]
    if shown_count <= DETAIL_LIMIT:
        stored = store.table(view, DETAIL_LIMIT)
        uploads_drawn = uploads_shown
    else:
        uploads_drawn = uploads_shown[in_window(positions, window).to_numpy()]
        room = DETAIL_LIMIT - len(uploads_drawn)
        # Counted first (a narrow table, or the counts per cell, read with the cells for the
        # months, so `cells` below costs nothing): reading 1,500 whole events only to find
        # there are more cost most of a pan at 2 million.
        few = room >= 0 and store.count_in_window(view, window, room, months) <= room
        stored = store.in_window(view, window, room) if few else None
    if stored is not None:
        prepared = cache.prepare(stored)
        # Uploads are numbered after the stored events: one index for both.
        uploads_drawn = uploads_drawn.copy()
        offset = len(stored)
        labels = pd.RangeIndex(offset, offset + len(uploads_drawn))
        upload_data = uploads_map_data
        from_uploads = MapData(
            features=pd.Series(
                upload_data.features.loc[uploads_drawn.index].to_numpy(), index=labels
            ),
            uncertainty=pd.Series(
                {
                    labels[number]: upload_data.uncertainty[label]
                    for number, label in enumerate(uploads_drawn.index)
                    if label in upload_data.uncertainty.index
                },
                dtype=object,
            ),
            area_features=pd.Series([], dtype=object),
            shapes=pd.Series([], dtype=object),  # the density layer is not on the store path
            positions=upload_data.positions.loc[uploads_drawn.index].set_axis(labels),
        )
        uploads_drawn.index = labels
        drawn = pd.concat([stored, uploads_drawn])
        map_data = MapData(
            features=pd.concat([prepared.features, from_uploads.features]),
            uncertainty=pd.concat([prepared.uncertainty, from_uploads.uncertainty]),
            area_features=pd.Series([], dtype=object),
            shapes=pd.Series([], dtype=object),  # the density layer is not on the store path
            positions=pd.concat([prepared.positions, from_uploads.positions]),
        )
        return MapParts(drawn, map_data, None)
    cells = store.cells(view, window, months)
    uploads_in = uploads_shown[in_window(positions, window).to_numpy()]
    if len(uploads_in):
        members = events_by_month(uploads_in, months)
        rows = np.concatenate([index.to_numpy() for index in members.values()])
        groups = np.repeat(list(members), [len(index) for index in members.values()])
        own = clusters(
            positions.loc[rows], uploads_in["kind"], window, groups=pd.Series(groups)
        ).reindex(columns=cells.columns, fill_value=0)
        cells = add_cells(cells, own)
    return MapParts(None, None, cells)


def add_cells(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Two tables of counts per (month, cell) added up; the mean positions weighted by count."""
    both = pd.concat([first, second], ignore_index=True)
    both["sx"] = both["x"] * both["n"]
    both["sy"] = both["y"] * both["n"]
    summed = both.groupby(["group", "cx", "cy"], as_index=False)[["n", "sx", "sy", *KINDS]].sum()
    summed["x"] = summed["sx"] / summed["n"]
    summed["y"] = summed["sy"] / summed["n"]
    return summed[["group", "cx", "cy", "x", "y", "n", *KINDS]]


def store_layers(
    parts: MapParts,
    month_counts: dict[str, int],
    area_rows: gpd.GeoDataFrame,
    area_features: pd.Series,
    months: list[str],
    view: View,
    window: MapWindow,
    selected: list[str],
    show_uncertainty: bool = True,
) -> list[folium.FeatureGroup]:
    """The map's layers (layers.map.view.layer_groups) from map_parts; `selected` are the
    feature texts of the open event when the view shows it."""
    if parts.cells is not None:
        return layer_groups(
            area_rows,
            area_features,
            months,
            view,
            month_counts,
            cells=pack_cells(parts.cells),
            selected=selected,
        )
    drawn, map_data = parts.drawn, parts.map_data
    circles = None
    if show_uncertainty:
        with_circle = map_data.uncertainty.index.intersection(drawn.index)
        visible = visible_radius(drawn.loc[with_circle], map_data.positions, window.zoom)
        circles = map_data.uncertainty[with_circle[visible]]
    features = {
        month: map_data.features[index]
        for month, index in events_by_month(drawn, months).items()
        if len(index)
    }
    return layer_groups(
        area_rows,
        area_features,
        months,
        view,
        month_counts,
        month_features=features,
        circles=circles,
        selected=selected,
    )
