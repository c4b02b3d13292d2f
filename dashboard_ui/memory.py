"""Giving memory back once sessions and their uploads are gone.

Two things kept a dashboard process at 1.4 GB after five 20 MB uploads whose sessions had
closed (324 MB before; issue 25, bench/upload_memory.py):

- Streamlit (1.5x) keeps a closed browser's session for `server.disconnectedSessionTTL`
  seconds so a reconnect can resume it, in a TTL cache that drops expired entries only when
  it is next written to (the next browser that closes), and drops them without shutting the
  session down: its uploaded files stay in the uploaded-file manager (held by session id), and
  its session state (the parsed uploads, their map data) until that next write.
- glibc keeps freed memory in its heaps (the free pages between live ones, and arenas above
  the mmap threshold it raised for earlier large frees) instead of returning it to the
  system; `malloc_trim(0)` gives back every whole free page (glibc ≥ 2.8, malloc(3)).

- Streamlit's send loop keeps the last session it flushed in a loop variable until the next
  browser connects; with it that session's state, its widgets' callback arguments and its
  fragments (the map's), each holding the data with the session's uploads.

`start_janitor()` starts one thread per process that, every JANITOR_PERIOD_S, shuts down the
sessions whose time to reconnect is over (as Streamlit does for a session it closes itself:
`AppSession.shutdown()` frees its uploaded files and caches), empties their state, widget
metadata and fragments, collects the reference cycles they leave, and trims the heap. The
session internals it reaches are not Streamlit's public API (checked against 1.5x): where they
differ it does nothing (bench/upload_memory.py would show the memory kept). `release_soon()`
asks for the same collection and trim after a live session dropped an upload.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading

import streamlit as st

JANITOR_PERIOD_S = 10.0
# A trim asked for by a session waits this long, so a burst of reruns trims once.
RELEASE_DELAY_S = 2.0

_LOGGER = logging.getLogger(__name__)
_release_due = threading.Event()


def _load_malloc_trim():
    """glibc's malloc_trim, or None on another C library (musl, macOS): then only the
    collection runs."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_MALLOC_TRIM = _load_malloc_trim()


def trim_heap() -> None:
    """Collect reference cycles, then return glibc's free heap pages to the system."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def release_soon() -> None:
    """Ask the janitor to collect and trim within RELEASE_DELAY_S (after an upload is
    dropped from a live session). Cheap: sets a flag."""
    _release_due.set()


def close_expired_sessions() -> int:
    """Shut down the disconnected sessions whose server.disconnectedSessionTTL is over; how
    many. Runs on Streamlit's event loop thread (the session manager is not thread-safe).

    Streamlit's session storage is not public API: when its shape is not the one this was
    written against (streamlit 1.5x), nothing is done and 0 is returned."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    manager = getattr(Runtime.instance(), "_session_mgr", None)
    storage = getattr(manager, "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    expire = getattr(cache, "expire", None)
    lock = getattr(manager, "_storage_lock", None)
    if expire is None or lock is None:
        return 0
    with lock:
        expired = expire()
    for _, info in expired:
        try:
            info.session.shutdown()
            # Streamlit's send loop keeps the last session it flushed in a loop variable
            # until the next browser connects: without its state that holds little.
            state = info.session.session_state
            state.clear()
            # clear() keeps the widgets' metadata, whose callbacks' arguments hold the data
            # with the session's uploads.
            widgets = getattr(state, "_new_widget_state", None)
            metadata = getattr(widgets, "widget_metadata", None)
            if isinstance(metadata, dict):
                metadata.clear()
            # The map's fragment (st.fragment) is kept with its arguments: the data too.
            fragments = getattr(info.session, "_fragment_storage", None)
            if hasattr(fragments, "clear"):
                fragments.clear()
        except Exception:  # one session failing to shut down must not stop the others
            _LOGGER.exception("could not shut down an expired session")
    return len(expired)


def _on_event_loop(function) -> int:
    """Run `function` on Streamlit's event loop and wait for its result (0 when there is no
    loop to run it on)."""
    import asyncio

    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    objects = getattr(Runtime.instance(), "_async_objs", None)
    loop = getattr(objects, "eventloop", None)
    if loop is None or loop.is_closed():
        return 0

    async def run():
        return function()

    try:
        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout=30)
    except Exception:
        _LOGGER.exception("could not close the expired sessions")
        return 0


def _janitor() -> None:
    again = False
    while True:
        asked = _release_due.wait(JANITOR_PERIOD_S)
        if asked:
            _release_due.clear()
            threading.Event().wait(RELEASE_DELAY_S)
        closed = _on_event_loop(close_expired_sessions)
        if closed or asked or again:
            trim_heap()
        # Once more a period later: what the closed sessions' threads and messages still held
        # while they wound down is free by then.
        again = bool(closed or asked)


@st.cache_resource(show_spinner=False)
def start_janitor() -> threading.Thread:
    """The process's janitor thread (started once, by the first session)."""
    thread = threading.Thread(target=_janitor, name="memory-janitor", daemon=True)
    thread.start()
    return thread
