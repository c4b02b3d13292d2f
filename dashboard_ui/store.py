"""The shared store (EVENTS_DB=postgresql://…, layers/store/): its connection and its summary,
held once per process, and the map's layers drawn from it."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from dashboard_ui.session import session_map_window
from layers.analysis.zones import short_area_names
from layers.map.data import MapData
from layers.view import View


@st.cache_resource(show_spinner="Connecting to the shared events database…")
def open_store(url: str):
    """The shared store (one connection pool per process, and one per hot standby named in
    EVENTS_DB_STANDBYS: reads go there, layers/store/replicas.py) and its map feature cache."""
    from layers.store.postgis import PostgisStore
    from layers.store.replicas import STANDBYS_ENV, standby_urls
    from layers.store.view import FeatureCache

    return PostgisStore(url, standbys=standby_urls(os.environ.get(STANDBYS_ENV))), FeatureCache()


def write_mark():
    """This browser session's WriteMark (layers/store/replicas.py), kept in its state: every
    store call of the session runs inside store.session(write_mark()), so after a save its
    reads reach that save, on a standby that has replayed it or on the primary."""
    from layers.store.replicas import WriteMark

    return st.session_state.setdefault("store_write_mark", WriteMark())


@st.cache_resource(max_entries=2, show_spinner="Reading the shared store…")
def store_data(url: str, version: int) -> dict:
    """What every session needs about one version of the store, held once per process: the
    files path's data keys (load_data) for an empty events table (the session's uploads are
    added to it), the store's summary, and the named areas prepared for the map."""
    from layers.read.load import GeoData, empty_events
    from layers.store.view import store_summaries

    store, _ = open_store(url)
    summary = store.summary()
    areas = store.areas()
    events = empty_events()
    events["zones"] = pd.Series([], dtype=object)
    return {
        "geodata": GeoData(events, areas, [], 0, f"store-{summary.version}", 0),
        "map_data": MapData.prepare(events, areas),
        "summary": summary,
        **store_summaries(summary, events),
        "area_names": dict(zip(areas["id"], areas["name"], strict=False)),
        "area_short_names": short_area_names(areas),
        "default_layers": tuple(areas.loc[areas["default_visible"], "id"]),
    }


def store_map_window(view: View):
    """The part of the map the store path counts and sends for this session's map now: its
    window (session_map_window) padded as layers.store.view.store_window pads it. The page's
    prefetch and the map's layers both ask for this one."""
    from layers.store.view import store_window

    return store_window(session_map_window(view), st.session_state.get("map_bounds"))


def shared_store_layers(data: dict, own_shown, chosen_months: list[str], view: View):
    """The map's layers from the store and this session's uploads (map_panel's other path)."""
    from layers.store.view import map_parts, store_layers

    store, cache = open_store(data["store_url"])
    shown = data["store_shown"]
    window = store_map_window(view)
    parts = map_parts(
        store, view, window, chosen_months, shown.count, own_shown, data["map_data"], cache
    )
    selected: list[str] = []
    if view.event is not None:
        if parts.drawn is not None and view.event in set(parts.drawn["id"]):
            index = parts.drawn.index[parts.drawn["id"] == view.event]
            selected = list(parts.map_data.features[index])
        elif view.event in set(own_shown["id"]):
            index = own_shown.index[own_shown["id"] == view.event]
            selected = list(data["map_data"].features[index])
        else:
            found = store.shown_events(view, [view.event])
            if len(found):
                selected = list(cache.prepare(found).features)
    areas = data["geodata"].areas
    return store_layers(
        parts,
        shown.month_counts,
        areas[areas["id"].isin(view.layers or ())],
        data["map_data"].area_features,
        chosen_months,
        view,
        window,
        selected,
        show_uncertainty=st.session_state["uncertainty"],
    )
