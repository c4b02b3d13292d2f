"""The open event's details, in the panel that floats over the map's right side."""

from __future__ import annotations

import streamlit as st

from layers.details import event_details_html
from layers.i18n import _
from layers.view import View


def open_event(event_id: str | None) -> None:
    st.session_state["event"] = event_id


def show_details(view: View, filtered, data: dict) -> None:
    """The open event's details, in the panel over the map; the close button first, so a long
    record never hides it."""
    st.button(_("Close details"), on_click=open_event, args=(None,), icon=":material/close:")
    events = data["geodata"].events
    match = events[events["id"] == view.event]
    if match.empty:
        st.caption(_("The open event is no longer in the data."))
        return
    event = match.iloc[0]
    if not filtered["id"].eq(view.event).any():
        st.caption(_("This event is outside the current filters."))
    st.html(event_details_html(event, data["area_names"]))
