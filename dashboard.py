"""Indo-Pacific maritime activity: exercises, patrols, transits and grey-zone incidents on a map.

The thin UI shell: the page's outline, top to bottom; each part of the page is a module of
dashboard_ui/, and the logic under it is in layers/. Data flows one way: files → validated
GeoDataFrame (layers.read.load) → one View (widgets and the URL) → filtered events
(layers.filters) → map, timeline, table and details. With EVENTS_DB set the events are in the
shared store instead (dashboard_ui/store_page.py). Run with `streamlit run dashboard.py`; see
README.md.
"""

from __future__ import annotations

import os
from dataclasses import replace

import streamlit as st

from dashboard_ui.analyses import show_analyses
from dashboard_ui.chrome import chrome_style
from dashboard_ui.data import install_assets, load_data
from dashboard_ui.details import show_details
from dashboard_ui.drawn import (
    apply_drawings,
    drawn_problems,
    forget_failed_zones,
    session_shapes,
    shapes_panel,
    with_drawn_shapes,
)
from dashboard_ui.export import show_downloads
from dashboard_ui.import_step import import_step
from dashboard_ui.language import use_page_language
from dashboard_ui.map_area import map_panel
from dashboard_ui.memory import start_janitor
from dashboard_ui.messages import show_data_stamp, show_messages
from dashboard_ui.navwarn import warnings_step
from dashboard_ui.session import (
    query_params_all,
    session_started,
    start_session,
    view_for_this_run,
)
from dashboard_ui.sidebar import sidebar
from dashboard_ui.store_page import EVENTS_DB, shared_store_main
from dashboard_ui.style import PAGE_STYLE
from dashboard_ui.table import handle_table_selection, show_table
from dashboard_ui.text import markdown_text
from dashboard_ui.timeline import show_timeline
from dashboard_ui.uploads import current_warnings, session_uploads, session_warnings, with_uploads
from layers.filters import empty_view_hints, filter_events, month_range
from layers.i18n import _
from layers.measure import count_words, measure_weights, tally
from layers.read.load import data_dir, data_fingerprint
from layers.view import View


def main() -> None:
    """The page, top to bottom: on the data files, or with EVENTS_DB set on the shared store
    (dashboard_ui/store_page.py, the same layout)."""
    use_page_language()  # the link's language, else the browser's: before any word is written
    st.set_page_config(
        page_title=_("Indo-Pacific maritime activity"), page_icon="⚓", layout="wide"
    )
    install_assets()
    start_janitor()  # gives back the memory of closed sessions and dropped uploads
    st.html(PAGE_STYLE + chrome_style())  # chrome_style: Streamlit's own words, translated
    if os.environ.get(EVENTS_DB):
        shared_store_main(os.environ[EVENTS_DB])
        return
    root = data_dir()
    data = load_data(str(root), data_fingerprint(root))
    uploads, waiting = session_uploads(data, current_warnings(data))
    uploads += session_warnings(data, uploads)
    data = with_uploads(data, uploads)
    geodata = data["geodata"]
    events = geodata.events

    if not session_started():
        start_session(
            View.from_query(
                query_params_all(),
                area_ids=geodata.areas["id"],
                event_ids=events["id"],
                count_names=data["count_names"],
            ),
            data,
        )
    # Shapes drawn on the map are zones like the named areas for everything below.
    apply_drawings()
    data = with_drawn_shapes(data, session_shapes())
    forget_failed_zones(data)
    geodata = data["geodata"]
    events = geodata.events
    view = view_for_this_run(data)
    filtered = filter_events(events, view, data["nation_rows"], data["zone_rows"])
    handle_table_selection(filtered["id"])
    view = replace(view, event=st.session_state["event"])
    # What every figure adds up (layers/measure.py): None for events, else a count per event.
    weights = measure_weights(events, view.measure, data["count_table"])
    shown_tally = tally(
        None if weights is None else weights.loc[filtered.index], len(filtered), view.measure
    )

    pending_warnings = sidebar(data, len(filtered), len(events), shown_tally)
    # Messages and the import step come and go; in containers that are always there, the map
    # below keeps its place in the page, so it is not drawn afresh when they do.
    hints = (
        empty_view_hints(events, view, data["nation_rows"], data["zone_rows"], data["area_names"])
        if filtered.empty
        else None
    )
    show_messages(geodata.problems, filtered.empty, no_events=events.empty, hints=hints)
    for line in drawn_problems(data):  # a drawn shape that is no zone, said where one looks
        st.warning(markdown_text(line))
    gone = st.session_state.pop("measure_gone", None)
    if gone:
        st.info(
            _("No event gives {what} counts any more: the figures count events.").format(
                what=count_words(gone)
            )
        )
    with st.container():
        if waiting:
            import_step(waiting, data)
        if pending_warnings:
            warnings_step(pending_warnings, data)

    first, last = month_range(view, data["months"])
    chosen_months = [month for month in data["months"] if first <= month <= last] if first else []
    compared = None
    if view.show == "change":
        period_a = replace(view, start=view.compare[0], end=view.compare[1], event=None)
        compared = filter_events(events, period_a, data["nation_rows"], data["zone_rows"])
    # The map takes the main area's width and most of the window's height (PAGE_STYLE); an
    # open event's details float over its right side in a panel that scrolls on its own, so
    # opening one never moves the map, the timeline or the table.
    with st.container(key="map_area"):
        map_panel(filtered.index, data, chosen_months, None if compared is None else compared.index)
        if view.event is not None:
            with st.container(key="details_panel"):
                show_details(view, filtered, data)

    if st.session_state["full_runs"] == 1:
        # The map paints first. Vega and the data grid are the page's heaviest scripts and
        # would compete with it for the CPU, so the timeline and table come with the next
        # run, which the map's first report of its position starts (see map_panel).
        st.caption(_("The timeline and the table follow as soon as the map has drawn…"))
        return
    shapes_panel(data, view)
    show_timeline(filtered, events, data, first, last, view.measure, weights)
    show_table(filtered, data, view.measure)
    show_downloads(filtered)
    show_analyses(events, filtered, view, data, (first, last) if first else None, weights)
    show_data_stamp(geodata)


main()
