"""The shared store (EVENTS_DB=postgresql://…, layers/store/): its connection and its summary,
held once per process, and the map's layers drawn from it."""

from __future__ import annotations

import os
import time
from concurrent.futures import Future

import pandas as pd
import streamlit as st

from dashboard_ui.data import area_names
from dashboard_ui.session import session_map_window
from layers.analysis.zones import short_area_names
from layers.i18n import N_, Message, _, localized
from layers.map.data import MapData
from layers.view import View

# --- When the store is down or slow (layers.store.postgis.StoreUnavailable) -------------------
# Marked for the catalogues and translated where shown (_), as every word made at import.
BANNER = N_("The shared store is unavailable; showing what this page last read; saving is paused.")
# Session state: the reason (one plain line) while this session finds the store unavailable,
# and when it last asked; the store's answers it last read; the map's layers it last drew.
DOWN = "store_down"
DOWN_ASKED = "store_down_asked"
LAST_READ = "store_last_read"
LAST_LAYERS = "store_last_layers"
LAST_DATA = "store_last_data"
# Seconds between two questions to a store found unavailable (outage_banner's probe).
PROBE_SECONDS = 5
# Reads whose last answer stands in while the store is unavailable, whatever is asked: the
# sidebar's count, the timeline and the table, as this page last read them (the banner says
# so). A session that has read none gets nothing (an empty answer), never another's.
STANDS_IN = {
    "shown": lambda: _empty_shown(),
    "monthly_counts": lambda: pd.DataFrame({"month": [], "kind": [], "events": []}),
    "table": lambda: _empty_events(),
}
# Reads passed on to the store (the others, writes included, go straight to it).
READS = {
    *STANDS_IN,
    "version",
    "summary",
    "areas",
    "stored_files",
    "events",
    "shown_events",
    "in_window",
    "count_in_window",
    "cells",
    "facts",
    "pairings_before",
}


def _empty_shown():
    from layers.store.postgis import Shown

    return Shown(0, {})


def _empty_events():
    from layers.store.postgis import events_from_rows

    return events_from_rows([], {})


def store_down() -> str | None:
    """Why this session finds the shared store unavailable (one plain line), or None."""
    return st.session_state.get(DOWN)


def went_down(error: Exception) -> bool:
    """Note that the store is unavailable for this session (`error`: StoreUnavailable);
    True when it was not already. Until outage_banner finds it answering again, the page
    reads nothing from it and shows what it last read."""
    state = st.session_state
    newly = DOWN not in state
    # The reason as layers/store/postgis.py made it: a Message, shown in the page's language.
    state[DOWN] = reason_of(error)
    if newly:
        state[DOWN_ASKED] = time.monotonic()
    return newly


class SessionStore:
    """The store as one session's page reads it (it has PostgisStore's methods).

    While the store answers, each of READS is passed on and the answers of STANDS_IN are kept
    in the session (LAST_READ: one per method, a table page, a count). When a read raises
    StoreUnavailable, the session is marked down (went_down) and from then on nothing is
    asked until the store answers again: a STANDS_IN read gets the session's last answer (or
    an empty one), stored_files the last answer to the same ids (or none stored: Save checks
    again), and any other read raises StoreUnavailable for its caller to say (details,
    analyses, the map's own last layers). With `stand_in=False` every read raises while down.
    """

    def __init__(self, store, *, stand_in: bool = True):
        self.store = store
        self.stand_in = stand_in

    def __getattr__(self, name: str):
        method = getattr(self.store, name)
        if name not in READS:
            return method

        def read(*args, **kwargs):
            from layers.store.postgis import StoreUnavailable

            state = st.session_state
            last = state.setdefault(LAST_READ, {})
            key = repr((args, sorted(kwargs.items()))) if name == "stored_files" else None
            if DOWN not in state:
                try:
                    value = method(*args, **kwargs)
                except StoreUnavailable as error:
                    went_down(error)
                else:
                    if name in STANDS_IN or name == "stored_files":
                        last[name] = (key, value)
                    return value
            if self.stand_in and name in STANDS_IN:
                return last[name][1] if name in last else STANDS_IN[name]()
            if self.stand_in and name == "stored_files":
                return last[name][1] if last.get(name, (None,))[0] == key else {}
            raise StoreUnavailable(state[DOWN])

        return read

    def prefetch_cells(self, *args) -> Future:
        """PostgisStore.prefetch_cells, or nothing while the store is unavailable."""
        if DOWN in st.session_state:
            done: Future = Future()
            done.set_result(None)
            return done
        return self.store.prefetch_cells(*args)


def store_answers(url: str) -> bool:
    """Whether the shared store answers now (PostgisStore.available), opening it if this
    process never could. Raises nothing."""
    from layers.store.postgis import StoreError

    try:
        store, __ = open_store(url)
    except StoreError:
        return False
    return store.available()


@st.fragment(run_every=PROBE_SECONDS)
def outage_banner(url: str) -> None:
    """The banner while the store is unavailable for this session: BANNER and the reason in
    one plain line. Every PROBE_SECONDS it asks the store (store_answers) and, once it
    answers, reruns the page, which reads afresh: no reload, nothing pending lost."""
    state = st.session_state
    if DOWN not in state:
        return
    if time.monotonic() - state.get(DOWN_ASKED, 0) >= PROBE_SECONDS * 0.8:
        state[DOWN_ASKED] = time.monotonic()
        if store_answers(url):
            for key in (DOWN, DOWN_ASKED):
                state.pop(key, None)
            st.rerun()
    st.error(_(BANNER), icon=":material/cloud_off:")
    st.caption(
        _(
            "Why: {reason}. The filters, uploads and import steps stay as you leave them; "
            "this page asks again every {seconds} s and carries on by itself when the store "
            "answers."
        ).format(reason=localized(state[DOWN]), seconds=PROBE_SECONDS)
    )


@st.cache_resource
def process_memory(url: str) -> dict:
    """What this process last read of the store at `url` ("data": store_data's answer): a
    new visitor while the store is down gets its named areas on an empty map."""
    return {}


# The spinners of the cached functions below are the callers' (st.spinner in the page's
# language): a decorator's text is made once, at import, for every reader.
CONNECTING = N_("Connecting to the shared events database…")
READING = N_("Reading the shared store…")


@st.cache_resource(show_spinner=False)
def open_store(url: str):
    """The shared store (one connection pool per process, and one per hot standby named in
    EVENTS_DB_STANDBYS: reads go there, layers/store/replicas.py) and its map feature cache."""
    from layers.store.postgis import PostgisStore
    from layers.store.replicas import STANDBYS_ENV, standby_urls
    from layers.store.view import FeatureCache

    return PostgisStore(url, standbys=standby_urls(os.environ.get(STANDBYS_ENV))), FeatureCache()


def reason_of(error: Exception) -> str:
    """An error's text as the store made it: its Message (layers/i18n.py), which the page
    shows in its reader's language, else its text."""
    given = error.args[0] if len(error.args) == 1 else None
    return given if isinstance(given, Message) else str(error)


def first_line(error: Exception) -> str:
    """An error's first line (a driver's text can run to several), for a one-line message: in
    the page's language where the store wrote it as a Message."""
    text = localized(reason_of(error))
    return next(iter(text.strip().splitlines()), type(error).__name__)


def write_mark():
    """This browser session's WriteMark (layers/store/replicas.py), kept in its state: every
    store call of the session runs inside store.session(write_mark()), so after a save its
    reads reach that save, on a standby that has replayed it or on the primary."""
    from layers.store.replicas import WriteMark

    return st.session_state.setdefault("store_write_mark", WriteMark())


@st.cache_resource(max_entries=2, show_spinner=False)
def store_data(url: str, version: int) -> dict:
    """What every session needs about one version of the store, held once per process: the
    files path's data keys (load_data) for an empty events table (the session's uploads are
    added to it), the store's summary, and the named areas prepared for the map."""
    from layers.read.load import GeoData, empty_events
    from layers.store.view import store_summaries

    store, __ = open_store(url)
    summary = store.summary()
    areas = store.areas()
    events = empty_events()
    events["zones"] = pd.Series([], dtype=object)
    return {
        "geodata": GeoData(events, areas, [], 0, f"store-{summary.version}", 0),
        "map_data": MapData.prepare(events, areas),
        "summary": summary,
        **store_summaries(summary, events),
        "area_names": area_names(areas),
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
    """The map's layers from the store and this session's uploads (map_panel's other path).
    While the store is unavailable: the layers this session last drew, or, if none, the named
    areas and its uploads (and the page reruns once, for the banner)."""
    from layers.store.postgis import StoreUnavailable

    state = st.session_state
    was_down = DOWN in state
    try:
        groups = _store_layers(data, own_shown, chosen_months, view)
    except StoreUnavailable as error:
        went_down(error)
        if not was_down:
            st.rerun()  # the banner, and the rest of the page as last read
        if LAST_LAYERS in state:
            return state[LAST_LAYERS]
        # Nothing drawn yet by this session: the named areas and its own uploads.
        groups = _store_layers(data, own_shown, chosen_months, view, _NothingRead())
    else:
        state[LAST_LAYERS] = groups
    return groups


class _NothingRead:
    """A store that holds nothing: the map of a session that read none while the store is
    down (map_parts asks it for the table only, as it counts no event)."""

    def table(self, view, limit):
        return _empty_events()

    def shown_events(self, view, ids):
        return _empty_events()


def _store_layers(data: dict, own_shown, chosen_months: list[str], view: View, store=None):
    from layers.store.view import map_parts, store_layers

    raw, cache = open_store(data["store_url"])
    store = SessionStore(raw, stand_in=False) if store is None else store
    shown = data["store_shown"]
    if isinstance(store, _NothingRead):
        from layers.store.postgis import Shown

        shown = Shown(0, {})
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
