"""The files store: a data directory's files, each checked once and kept checked on disk.

`FileStore(cache).load(root)` gives what `load_geodata(root)` gives (the same events, areas,
problems and version) but checks only the files whose name or bytes changed since they were
last checked, or that were checked by other code: every other file's valid rows and problems
come from the cache (layers/store/cache.py), or from memory when this store loaded them last.
An event file is checked against the named areas' ids, so it is checked again when they change.

A store may also `derive` columns from each events file's valid rows (the map's feature text,
the zones each event is in, ...): they are kept per file the same way, against the whole named
areas, and come back joined and sorted like the events in `GeoData.derived`.

The cache is `root/.cache/` unless $GEODATA_CACHE_DIR names another folder or is "off".
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import os
import threading
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layers.i18n import Message
from layers.read.load import (
    AREAS_SUBDIR,
    EVENTS_SUBDIR,
    FileCheck,
    GeoData,
    check_file,
    data_dir,
    load_geodata,
)
from layers.read.schema import Problem
from layers.store.cache import (
    LAYERS_DIR,
    DiskCache,
    check_table,
    code_fingerprint,
    entry_key,
    frame_table,
    table_check,
    table_frame,
)

CACHE_ENV = "GEODATA_CACHE_DIR"
CACHE_SUBDIR = ".cache"
CACHE_OFF = "off"

# derive(an events file's valid rows, the named areas) -> columns with the rows' index
Derive = Callable[[gpd.GeoDataFrame, gpd.GeoDataFrame], pd.DataFrame]


def cache_dir(root: Path | str | None = None) -> Path | None:
    """The cache folder of the data directory `root` (default `data_dir()`): $GEODATA_CACHE_DIR
    when set (None when it is "off"), else root/.cache."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() == CACHE_OFF:
        return None
    if configured:
        return Path(configured)
    return (Path(root) if root is not None else data_dir()) / CACHE_SUBDIR


def _cache_label(path: Path, root: Path | str | None) -> str:
    """A cache file's name for a problem line: relative to the data directory when the cache
    is inside it (".cache/…arrow"), else its full path."""
    base = Path(root) if root is not None else data_dir()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


class FileStore:
    """Loads data directories through a cache of checked files (`cache`: a folder, or None
    for none on disk; the files of the last load are always kept in memory).

    `checked` lists the files the last load had to check (not found in memory or the cache),
    and `derived` those whose derived columns it had to compute.
    """

    def __init__(self, cache: Path | str | None, derive: Derive | None = None):
        self.cache = DiskCache(cache) if cache is not None else None
        self.derive = derive
        # The fingerprint holds the code under layers/; a derive function from elsewhere (a
        # test's) counts too.
        source = Path(inspect.getsourcefile(derive)).resolve() if derive is not None else None
        outside = source is not None and LAYERS_DIR not in source.parents
        self.fingerprint = code_fingerprint(*([source] if outside else []))
        self.checked: list[str] = []
        self.derived: list[str] = []
        self._held: dict[str, FileCheck | pd.DataFrame] = {}
        self._lock = threading.Lock()

    def load(self, root: Path | str | None = None) -> GeoData:
        """Everything valid under `root` (default `data_dir()`) and every problem, as
        `load_geodata` gives them; `derived` holds the derive function's columns. Never
        raises for anything in the data or the cache."""
        with self._lock:
            held: dict[str, FileCheck | pd.DataFrame] = {}
            area_keys: list[str] = []
            self.checked, self.derived = [], []

            def check(raw: bytes, label: str, kind: str, areas) -> FileCheck:
                content = hashlib.blake2b(raw, digest_size=16).hexdigest()
                area_ids = "\n".join(sorted(areas["id"])) if areas is not None else ""
                key = entry_key(self.fingerprint, kind, label, content, area_ids)
                found = self._recall(key, table_check)
                if found is None:
                    found = check_file(raw, label, kind, areas)
                    self.checked.append(label)
                    self._keep(key, found, check_table)
                held[key] = found
                if kind == AREAS_SUBDIR:
                    area_keys.append(key)
                if kind != EVENTS_SUBDIR or self.derive is None:
                    return found
                derived_key = entry_key(self.fingerprint, "derived", key, *area_keys)
                derived = self._recall(derived_key, table_frame)
                if derived is None:
                    derived = self.derive(found.table, areas)
                    self.derived.append(label)
                    self._keep(derived_key, derived, frame_table)
                held[derived_key] = derived
                return dataclasses.replace(found, derived=derived)

            if self.cache is not None:
                self.cache.odd = []
            geodata = load_geodata(root, check)
            if self.cache is not None:
                geodata.problems += [
                    Problem(
                        _cache_label(path, root),
                        Message(
                            "is {kind}, not a cache entry; skipped (the data file is checked "
                            "again instead)",
                            kind=kind,
                        ),
                        skipped=False,
                    )
                    for path, kind in self.cache.odd
                ]
            if self.derive is not None and geodata.derived is None and geodata.events.empty:
                # No event file yet (a new team's first day): the derived columns of no events,
                # so the page opens on the named areas instead of failing.
                geodata.derived = self.derive(geodata.events, geodata.areas)
            self._held = held
            if self.cache is not None:
                self.cache.prune(set(held))
            return geodata

    def _recall(self, key: str, decode):
        """An entry from the last load, or from the cache; None when neither has it."""
        if key in self._held:
            return self._held[key]
        if self.cache is None:
            return None
        table = self.cache.read(key)
        if table is None:
            return None
        try:
            return decode(table)
        except Exception:  # an entry this code cannot decode: checked again
            return None

    def _keep(self, key: str, value, encode) -> None:
        if self.cache is None:
            return
        try:
            table = encode(value)
        except Exception:  # a value Arrow cannot hold: this file is not cached
            return
        self.cache.write(key, table)
