"""The session's view: the link's view put into the widgets when a session starts (and on reset),
and the view each run shows, read back from the widgets after the clicks on the charts."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard_ui.analyses import handle_area_pick, handle_matrix_pick
from dashboard_ui.language import linked_language
from dashboard_ui.timeline import handle_timeline_brush
from layers.aggregate import MapWindow, map_window
from layers.dates import month_bounds
from layers.filters import compare_default, month_range
from layers.i18n import Message
from layers.measure import EVENTS
from layers.shapes import shape_ids
from layers.view import View

WIDGET_KEYS = (
    "months",
    "months_from",
    "months_to",
    "days_on",
    "days",
    "days_picked",
    "compare_on",
    "compare_months",
    "compare_months_from",
    "compare_months_to",
    "show",
    "nations",
    "match",
    "kinds",
    "zones",
    "possibly",
    "layers",
    "colour",
    "density",
    "uncertainty",
    "measure",
)


# What a run reads of the session's view without a default. Streamlit forgets the state of a
# widget that a finished run did not draw, so a run that died before the sidebar (a database
# outage, say) leaves a session "started" without them: it starts again from its link.
SESSION_KEYS = (
    "nations",
    "match",
    "kinds",
    "shapes",
    "zones",
    "possibly",
    "layers",
    "colour",
    "density",
    "uncertainty",
    "event",
    "map_position",
    "map_target",
    "base_view",
)


def session_started() -> bool:
    """Whether this session's view is in its state: started (start_session) and none of
    SESSION_KEYS lost since. False: the page starts the session from its link (the URL,
    which each run keeps up to date with the view)."""
    state = st.session_state
    return bool(state.get("started")) and all(key in state for key in SESSION_KEYS)


def query_params_all() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def init_widgets(view: View, data: dict) -> None:
    """Put a view into the widgets' state; done when a session starts and on reset."""
    months = data["months"]
    first, last = within_months(month_range(view, months), months)
    state = st.session_state
    state["months"] = (first, last) if months else None
    state["days_on"] = bool(months) and (view.start_day or view.end_day) is not None
    state["days"] = days_within(view.day_range(), data) if months else None
    compare = view.compare
    if compare and not (compare[0] in months and compare[1] in months):
        compare = None
    state["compare_on"] = compare is not None
    state["compare_months"] = compare or (
        compare_default((first, last), months) if months else None
    )
    state["show"] = view.show
    state["nations"] = list(view.nations)
    state["match"] = view.match
    state["kinds"] = list(view.kinds)
    state["shapes"] = tuple(view.shapes)
    state["zones"] = list(view.zones)
    state["possibly"] = view.possibly
    # Drawn shapes are on the map by default, as the areas marked default_visible are.
    default_layers = [*data["default_layers"], *shape_ids(view.shapes)]
    state["layers"] = list(view.layers if view.layers is not None else default_layers)
    state["colour"] = view.colour
    state["density"] = view.density
    state["measure"] = view.measure
    state["uncertainty"] = True
    state["event"] = view.event
    state["map_position"] = (view.lat, view.lon, view.zoom)
    # The base map is built once per session from the link's position, so its HTML stays the
    # same and streamlit-folium keeps it mounted; later moves go through map_target.
    state["base_view"] = View(lat=view.lat, lon=view.lon, zoom=view.zoom)
    state["map_target"] = {
        "center": list(view.center()),
        "zoom": view.zoom_level(),
        "position": (view.lat, view.lon, view.zoom),
    }


def start_compare(data: dict) -> None:
    """Turning *Compare with another period* on starts period A just before the months shown
    (layers.filters.compare_default), not on the months of A chosen before."""
    state = st.session_state
    if state.get("compare_on") and state.get("months"):
        state["compare_months"] = compare_default(tuple(state["months"]), data["months"])


def data_days(data: dict) -> tuple[dt.date, dt.date] | None:
    """The first day an event starts and the last an event ends (None with no events)."""
    events = data["geodata"].events
    if events.empty:
        return None
    return events["start"].min().date(), events["end"].max().date()


def days_within(days: tuple[dt.date | None, dt.date | None], data: dict) -> tuple | None:
    """A (first, last) day range inside the data's days: an open end is the data's, and a day
    outside them is moved to the nearest (the day inputs accept no other)."""
    span = data_days(data)
    if span is None:
        return None
    low, high = span
    first = min(max(days[0] or low, low), high)
    last = min(max(days[1] or high, low), high)
    return (first, last) if first <= last else (low, high)


def switch_days(data: dict) -> None:
    """Going to days starts from the months chosen; going back, from the days' months."""
    state = st.session_state
    months = data["months"]
    if state.get("days_on"):
        first, last = state.get("months") or (months[0], months[-1])
        state["days"] = days_within((month_bounds(first)[0], month_bounds(last)[1]), data)
    elif state.get("days"):
        first, last = (day.isoformat()[:7] for day in state["days"])
        state["months"] = (max(first, months[0]), min(last, months[-1]))


def follow_data_months(months: list[str]) -> None:
    """When uploads widen the data's months, a month range that reached an end of the old
    span reaches the new one: an analyst who saw every month still does, and events just
    added are not hidden by a range chosen before they came."""
    state = st.session_state
    span = (months[0], months[-1]) if months else None
    old, state["months_span"] = state.get("months_span"), span
    if old is None or span is None or old == span or not state.get("months"):
        return
    start, end = state["months"]
    start = span[0] if start == old[0] or start not in months else start
    end = span[1] if end == old[1] or end not in months else end
    state["months"] = (start, end)


def follow_count_names(names: list[str]) -> None:
    """When the count chosen is no longer in the data (the upload that gave it was removed),
    the figures count events again, and the page says why once."""
    state = st.session_state
    measure = state.get("measure", EVENTS)
    if measure != EVENTS and measure not in names:
        state["measure"] = EVENTS
        state["measure_gone"] = measure


def view_from_widgets(data: dict) -> View:
    state = st.session_state
    months = data["months"]
    start, end = state["months"] if state.get("months") else (None, None)
    lat, lon, zoom = state["map_position"]
    compare = state.get("compare_months") if state.get("compare_on") else None
    days = state.get("days") if state.get("days_on") else None
    return View(
        start=start if months and start != months[0] else None,
        end=end if months and end != months[-1] else None,
        # Chosen days replace the months (View keeps their months beside them).
        start_day=days[0].isoformat() if days else None,
        end_day=days[1].isoformat() if days else None,
        compare=tuple(compare) if compare else None,
        show=state.get("show", "events") if compare else "events",
        nations=tuple(state["nations"]),
        match=state["match"],
        kinds=tuple(state["kinds"]),
        shapes=tuple(state.get("shapes", ())),
        zones=tuple(state["zones"]),
        possibly=state["possibly"],
        measure=state.get("measure", EVENTS),
        layers=tuple(state["layers"]),
        colour=state["colour"],
        density=state["density"],
        lat=lat,
        lon=lon,
        zoom=zoom,
        event=state["event"],
        lang=linked_language(),
    )


def reset_view() -> None:
    for key in (
        *WIDGET_KEYS,
        "shapes",
        "drawings_seen",
        "event",
        "map_position",
        "map_target",
        "base_view",
        "started",
    ):
        st.session_state.pop(key, None)
    st.query_params.clear()


def within_months(
    chosen: tuple[str | None, str | None], months: list[str]
) -> tuple[str | None, str | None]:
    """A (first, last) month range moved inside the data's months ("YYYY-MM", in order): a
    month before the first is the first, after the last the last. The month lists offer no
    other, and a month they do not hold would show as their first (2017-12 for a link's
    end=2024-12 on data ending 2024-08, and the map with that one month)."""
    if not months:
        return chosen
    first, last = (
        None if month is None else min(max(month, months[0]), months[-1]) for month in chosen
    )
    return first, last


def start_session(linked: tuple[View, list[str]], data: dict) -> None:
    """A session's first run: the link's view into the widgets, and its warnings kept."""
    view, link_warnings = linked
    months = data["months"]
    if months:
        for key, month in (("start", view.start), ("end", view.end)):
            if month is not None and not months[0] <= month <= months[-1]:
                link_warnings.append(
                    Message(
                        "Link parameter '{key}': {message}",
                        key=key,
                        message=Message(
                            "{month} is outside the data's months ({first} to {last});"
                            " showing the nearest",
                            month=month,
                            first=months[0],
                            last=months[-1],
                        ),
                    )
                )
    init_widgets(view, data)
    if view.compare and not st.session_state["compare_on"]:
        link_warnings.append(
            Message(
                "Link parameter '{key}': {message}",
                key="compare",
                message=Message("its months are outside the data's; using the default"),
            )
        )
    st.session_state["link_warnings"] = link_warnings
    st.session_state["started"] = True


def view_for_this_run(data: dict) -> View:
    """The view this run shows: the widgets, after the clicks on the charts are applied."""
    st.session_state["full_runs"] = st.session_state.get("full_runs", 0) + 1
    follow_data_months(data["months"])
    follow_count_names(data.get("count_names") or [])
    handle_timeline_brush(data["months"])
    handle_matrix_pick()
    handle_area_pick()
    return view_from_widgets(data)


def session_map_window(view: View) -> MapWindow:
    """The map's window for this session now (layers.aggregate.map_window): the view's
    position, and the bounds the map last reported, once it has."""
    return map_window(
        view.zoom_level(), center=view.center(), bounds=st.session_state.get("map_bounds")
    )
