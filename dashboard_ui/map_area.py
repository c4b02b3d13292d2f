"""The map: the events on the offline base map (a fragment: a pan, zoom or click reruns only it),
what the map reports back, and the link to the view under it."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit, urlunsplit

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard_ui.drawn import drawings_reported, session_shapes
from dashboard_ui.export import show_export
from dashboard_ui.session import session_map_window, view_from_widgets
from dashboard_ui.store import shared_store_layers
from layers.analysis.drawn import drawing_features
from layers.i18n import _
from layers.map.basemap import base_map, held_by_region
from layers.map.change import PeriodChange
from layers.map.draw import DrawnShapes
from layers.map.view import LAYER_COLUMNS, at_target, view_layers
from layers.measure import measure_weights
from layers.view import View

MAP_HEIGHT = 620  # the map's frame before the page style sizes it to the window
# What the map sends back: its position (for the URL) and what was clicked (for details).
MAP_RETURNS = [
    "center",
    "zoom",
    "bounds",
    "last_object_clicked",
    "last_object_clicked_tooltip",
    "all_drawings",
]
TOOLTIP_ID = re.compile(r"id: ([a-z0-9][a-z0-9._-]*)\s*$")  # hover text ends with the id


def view_link(query: dict[str, str]) -> str:
    """The address of this view: the page's own address with the view's query string."""
    address = urlsplit(st.context.url or "")
    base = urlunsplit((address.scheme, address.netloc, address.path or "/", "", ""))
    return f"{base}?{urlencode(query, safe=',')}" if query else base


def handle_map_return(returned: dict | None) -> None:
    """Record the map's position and, when a feature was clicked, open its event."""
    if not returned:
        return
    state = st.session_state
    center, zoom = returned.get("center"), returned.get("zoom")
    if center and zoom is not None:
        target = state["map_target"]
        bounds = returned.get("bounds") or {}
        if at_target(center, zoom, target) or held_by_region(center, zoom, target, bounds):
            # Leaflet settles a pixel or so off the centre it was given: still the link's view.
            state["map_position"] = target["position"]
        else:
            moved = View().with_map_position(center["lat"], center["lng"], zoom)
            state["map_position"] = (moved.lat, moved.lon, moved.zoom)
        south_west, north_east = bounds.get("_southWest"), bounds.get("_northEast")
        if south_west and north_east and None not in south_west.values():
            state["map_bounds"] = (
                south_west["lng"],
                south_west["lat"],
                north_east["lng"],
                north_east["lat"],
            )
    click = (
        returned.get("last_object_clicked_tooltip"),
        str(returned.get("last_object_clicked")),
    )
    if click != state.get("last_click"):
        state["last_click"] = click
        match = TOOLTIP_ID.search(click[0] or "")
        if match:
            state["event"] = match.group(1)


@st.fragment
def map_panel(
    shown: pd.Index, data: dict, chosen_months: list[str], compared: pd.Index | None = None
) -> None:
    """The map and the link to the view.

    A fragment: a pan, zoom or click on the map reruns only this, with the events the last full
    run showed (`shown`, their index: Streamlit keeps a fragment's arguments for each session,
    and an index is far smaller than a copy of the rows), not the sidebar, timeline and table,
    which a move cannot change. `compared`: period A's events, for the change map.
    """
    # Only the columns the map's layers read: taking the shown rows of those is cheap.
    events = data["geodata"].events[list(LAYER_COLUMNS)]
    filtered = events if len(shown) == len(events) else events.loc[shown]
    state = st.session_state
    opened = state["event"]
    handle_map_return(state.get("map"))
    if drawings_reported(state.get("map")):
        st.rerun()  # a shape drawn, edited or deleted: the filters and the page follow
    if state["event"] != opened:
        st.rerun()  # a clicked event opens its details beside the map: the page follows
    if state.get("map") and state["full_runs"] == 1:
        st.rerun()  # the map has drawn: now the timeline and table (see main)
    view = view_from_widgets(data)
    query = view.to_query(default_layers=data["default_layers"])
    if query != {key: st.query_params[key] for key in st.query_params}:
        st.query_params.from_dict(query)

    areas = data["geodata"].areas
    if "store_shown" in data:  # the shared store (EVENTS_DB): see shared_store_main
        groups = shared_store_layers(data, filtered, chosen_months, view)
    else:
        change = None
        if compared is not None and view.compare and chosen_months:
            shown_period = (chosen_months[0], chosen_months[-1])
            change = PeriodChange(
                view.compare,
                shown_period,
                compared,
                data["zone_rows"],
                areas,
                data["area_names"],
            )
        groups = view_layers(
            filtered,
            data["map_data"],
            areas[areas["id"].isin(view.layers or ())],
            chosen_months,
            view,
            session_map_window(view),
            show_uncertainty=st.session_state["uncertainty"],
            change=change,
            weights=measure_weights(filtered, view.measure, data.get("count_table")),
            names=data["area_names"],
        )
    # The drawing tool's own layer holds the session's shapes, so they can be edited and
    # deleted, and a link's shapes are there on opening it (layers/map/draw.py).
    editable = folium.FeatureGroup(name=_("Drawn shapes (editable)"), control=False)
    DrawnShapes(drawing_features(session_shapes())).add_to(editable)
    groups = [*(groups or []), editable]
    st_folium(
        # The first view's land goes in the page until the map has reported (it is made):
        # then the map draws land in its first frame, and later runs leave those bytes out.
        base_map(st.session_state["base_view"], first_land=not state.get("map"), draw=True),
        key="map",
        height=MAP_HEIGHT,
        width="stretch",
        returned_objects=MAP_RETURNS,
        feature_group_to_add=groups or [folium.FeatureGroup()],
        layer_control=folium.LayerControl(position="topleft", collapsed=True),
        center=st.session_state["map_target"]["center"],
        zoom=st.session_state["map_target"]["zoom"],
    )
    link_column, hint_column = st.columns([1, 3], vertical_alignment="center")
    # In a popover, the code block (and its copy button) loads only when opened.
    with link_column.popover(_("Link to this view"), icon=":material/link:"):
        st.caption(_("Anyone with this link sees this view. Copy it with the button at its right:"))
        st.code(view_link(query), language=None, wrap_lines=True)
    # Always a line of text here, so opening an event moves nothing below the map.
    hint_column.caption(
        _("Click an event on the map, or a row of the table, for its details.")
        if state["event"] is None
        else _("The open event is outlined on the map; its details are on the right.")
    )
    if "store_shown" not in data:  # not yet on the shared store: it draws every shown event
        show_export(view, shown, data, chosen_months)
