"""The data on file, read once per process and shared by every session (read-only)."""

from __future__ import annotations

import gc

import streamlit as st

from layers.analysis.zones import short_area_names
from layers.assets import install_vendor_assets
from layers.filters import event_summaries
from layers.i18n import LocalizedNames, _
from layers.map.data import MapData
from layers.prepare import event_columns
from layers.store.files import FileStore, cache_dir


@st.cache_resource(show_spinner=False)
def install_assets() -> None:
    install_vendor_assets()


@st.cache_resource(show_spinner=False)
def file_store(root: str) -> FileStore:
    """The data directory's store: its files checked once, kept checked in its cache folder
    (layers.store.files), and only changed files checked again."""
    return FileStore(cache_dir(root), derive=event_columns)


def load_data(root: str, fingerprint: tuple):
    """The data on file (read_data), read once per process; while it is read (a spinner shows
    after half a second, never for a cached read) the page says so in its language."""
    with st.spinner(_("Reading the data files…")):
        return read_data(root, fingerprint)


# Held once per process and shared by every session (read-only), not copied per rerun.
@st.cache_resource(max_entries=2, show_spinner=False)
def read_data(root: str, fingerprint: tuple):
    # One full collection at the end (below), not the several that the load's allocations would
    # set off, each walking the new data as far as it is built (with 100k events, a reload
    # spent up to ~0.8 s in them).
    gc.disable()
    try:
        geodata = file_store(root).load(root)
        columns, geodata.derived = geodata.derived, None
        # The zones each event touches (analysis.zones), once per file: a column of tuples.
        geodata.events["zones"] = columns["zones"]
        data = {
            "geodata": geodata,
            "map_data": MapData.from_columns(columns, geodata.areas),
            **event_summaries(geodata.events),
            "area_names": area_names(geodata.areas),
            "area_short_names": short_area_names(geodata.areas),
            "default_layers": tuple(geodata.areas.loc[geodata.areas["default_visible"], "id"]),
        }
    finally:
        gc.enable()
    # The data lives as long as the process: out of the garbage collector's walks. With 100k
    # events (600k objects) each full collection, which any allocation-heavy run can set off,
    # took ~0.2 s; a map update that met one took that much longer. The collection here walks
    # only what is not frozen yet (this load's objects). A data set the cache drops later is
    # freed all the same: nothing in it is held by a reference cycle, so reference counting
    # frees it, frozen or not (tests/store/test_file_store.py checks that).
    gc.collect()
    gc.freeze()
    return data


def area_names(areas) -> LocalizedNames:
    """Area id → name, read in the page's language where the area's file gives a name in it
    (an area's `names` property: language tag → name), else its `name` as written."""
    translated = {}
    if "names" in areas.columns:
        translated = {
            area_id: names
            for area_id, names in zip(areas["id"], areas["names"], strict=False)
            if isinstance(names, dict)
        }
    return LocalizedNames(dict(zip(areas["id"], areas["name"], strict=False)), translated)
