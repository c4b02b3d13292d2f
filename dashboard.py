"""Indo-Pacific maritime activity: exercises, patrols, transits and grey-zone incidents on a map.

The thin UI shell. Data flows one way: files → validated GeoDataFrame (layers.read.load) → one View
(widgets and the URL) → filtered events (layers.filters) → map, timeline, table and details.
Run with `streamlit run dashboard.py`; see README.md.
"""

from __future__ import annotations

import gc
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from layers import mapview
from layers.aggregate import degrees_per_pixel, map_window
from layers.assets import install_vendor_assets
from layers.details import event_details_html, nation_label
from layers.export import events_csv, events_geojson
from layers.filters import (
    data_months,
    filter_events,
    month_range,
    monthly_counts,
    nation_rows,
)
from layers.read.load import GEOJSON_SUFFIXES, UNEXPECTED, data_dir, load_geodata
from layers.read.schema import KIND_LABELS, KINDS, Problem, plural
from layers.read.upload import Upload, read_upload
from layers.timeline import BRUSH, brushed_months, timeline_chart
from layers.view import View

st.set_page_config(page_title="Indo-Pacific maritime activity", page_icon="⚓", layout="wide")

MAP_HEIGHT = 620
# What the map sends back: its position (for the URL) and what was clicked (for details).
MAP_RETURNS = ["center", "zoom", "bounds", "last_object_clicked", "last_object_clicked_tooltip"]
TOOLTIP_ID = re.compile(r"id: ([a-z0-9][a-z0-9._-]*)\s*$")  # hover text ends with the id
# Rows sent to the table: enough to read, few enough that a filter change stays quick.
TABLE_LIMIT = 1000
WIDGET_KEYS = ("months", "nations", "match", "kinds", "layers", "colour", "uncertainty")


@st.cache_resource(show_spinner=False)
def _install_assets() -> None:
    install_vendor_assets()


def data_fingerprint(root: Path) -> tuple:
    """What the cache is keyed on: every data file's path, size and modification time."""
    files = []
    for sub in ("events", "areas"):
        folder = root / sub
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in GEOJSON_SUFFIXES:
                    stat = path.stat()
                    files.append((path.name, sub, stat.st_size, stat.st_mtime_ns))
    return tuple(files)


def event_summaries(events) -> dict:
    """What the sidebar, timeline and filters derive from the whole events table, once."""
    months = data_months(events)
    nations = nation_rows(events)
    return {
        "months": months,
        "monthly_counts": monthly_counts(events, months),
        "nation_rows": nations,
        "nations_present": sorted(set(nations.dropna())),
    }


# Held once per process and shared by every session (read-only), not copied per rerun.
@st.cache_resource(max_entries=2, show_spinner="Reading the data files…")
def load_data(root: str, fingerprint: tuple):
    # A data set replaced since the last load can be collected again once the cache drops it.
    gc.unfreeze()
    geodata = load_geodata(root)
    data = {
        "geodata": geodata,
        "map_data": mapview.MapData.prepare(geodata.events, geodata.areas),
        **event_summaries(geodata.events),
        "area_names": dict(zip(geodata.areas["id"], geodata.areas["name"], strict=False)),
        "default_layers": tuple(geodata.areas.loc[geodata.areas["default_visible"], "id"]),
    }
    # The data lives as long as the process: out of the garbage collector's walks. With 100k
    # events (600k objects) each full collection, which any allocation-heavy run can set off,
    # took ~0.2 s; a map update that met one took that much longer.
    gc.collect()
    gc.freeze()
    return data


def ids_taken(events, uploads: list[Upload]) -> dict[str, str]:
    """Every event id already in use, with the file it is in: on file, then earlier uploads."""
    taken = dict(zip(events["id"], events["file"], strict=False))
    for upload in uploads:
        taken.update(zip(upload.events["id"], upload.events["file"], strict=False))
    return taken


def session_uploads(data: dict) -> list[Upload]:
    """The analyst's uploaded files, validated once each and kept in this session only."""
    files = st.session_state.get("uploads") or []
    if not files:
        return []
    cache = st.session_state.setdefault("upload_cache", {})
    geodata = data["geodata"]
    area_ids = set(geodata.areas["id"])
    uploads = []
    for file in files:
        key = (file.file_id, geodata.version)
        if key not in cache:  # read and checked once; the ids taken are gathered only then
            taken = ids_taken(geodata.events, uploads)
            cache[key] = read_upload(file.name, file.getvalue(), taken, area_ids)
        upload = cache[key]
        uploads.append(upload)
    return uploads


def with_uploads(data: dict, uploads: list[Upload]) -> dict:
    """The shared data plus this session's uploads (the shared copy is never changed).

    Never raises: if the uploads' valid events cannot be prepared for the map (a bug, not bad
    data: the validator has passed them), they are left out with one problem per file.
    """
    try:
        return _with_uploads(data, uploads)
    except Exception:
        refused = [
            Upload(upload.name, upload.events.iloc[0:0], [Problem(upload.label, UNEXPECTED)])
            for upload in uploads
        ]
        return _with_uploads(data, refused)


def _with_uploads(data: dict, uploads: list[Upload]) -> dict:
    geodata = data["geodata"]
    added = [upload.events for upload in uploads if len(upload.events)]
    problems = [problem for upload in uploads for problem in upload.problems]
    if not added and not problems:
        return data
    start = int(geodata.events.index.max()) + 1 if len(geodata.events) else 0
    extra = pd.concat(added, ignore_index=True) if added else geodata.events.iloc[0:0]
    extra.index = range(start, start + len(extra))
    events = pd.concat([geodata.events, extra]) if len(extra) else geodata.events
    extra_map = mapview.MapData.prepare(extra, geodata.areas.iloc[0:0])
    base_map_data = data["map_data"]
    return data | {
        "geodata": replace(geodata, events=events, problems=[*geodata.problems, *problems]),
        "map_data": replace(
            base_map_data,
            features=pd.concat([base_map_data.features, extra_map.features]),
            uncertainty=pd.concat([base_map_data.uncertainty, extra_map.uncertainty]),
            positions=pd.concat([base_map_data.positions, extra_map.positions]),
        ),
        **event_summaries(events),
    }


def query_params_all() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def init_widgets(view: View, data: dict) -> None:
    """Put a view into the widgets' state; done when a session starts and on reset."""
    months = data["months"]
    first, last = month_range(view, months)
    state = st.session_state
    state["months"] = (first, last) if months else None
    state["nations"] = list(view.nations)
    state["match"] = view.match
    state["kinds"] = list(view.kinds)
    state["layers"] = list(view.layers if view.layers is not None else data["default_layers"])
    state["colour"] = view.colour
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


def view_from_widgets(data: dict) -> View:
    state = st.session_state
    months = data["months"]
    start, end = state["months"] if state.get("months") else (None, None)
    lat, lon, zoom = state["map_position"]
    return View(
        start=start if months and start != months[0] else None,
        end=end if months and end != months[-1] else None,
        nations=tuple(state["nations"]),
        match=state["match"],
        kinds=tuple(state["kinds"]),
        layers=tuple(state["layers"]),
        colour=state["colour"],
        lat=lat,
        lon=lon,
        zoom=zoom,
        event=state["event"],
    )


def reset_view() -> None:
    for key in (
        *WIDGET_KEYS,
        "event",
        "map_position",
        "map_target",
        "base_view",
        "started",
    ):
        st.session_state.pop(key, None)
    st.query_params.clear()


def sidebar(data: dict, shown: int, total: int) -> None:
    geodata = data["geodata"]
    months = data["months"]
    st.sidebar.title("⚓ Maritime activity")
    st.sidebar.caption("Indo-Pacific exercises, patrols, transits and grey-zone incidents")
    # The total goes in the label: "100,000 of 100,000" does not fit the sidebar's metric.
    st.sidebar.metric(f"Events shown, of {total:,}", f"{shown:,}")
    if len(months) > 1:
        # The default value tells the slider it selects a range; the state holds the view's.
        st.sidebar.select_slider(
            "Months (both ends included)",
            options=months,
            value=(months[0], months[-1]),
            key="months",
        )
    elif months:
        st.sidebar.caption(f"All events fall in {months[0]}.")
    present = list(data["nations_present"])
    present += [code for code in st.session_state["nations"] if code not in present]
    st.sidebar.multiselect(
        "Participating nations",
        options=present,
        format_func=nation_label,
        key="nations",
        placeholder="All nations",
    )
    st.sidebar.radio(
        "Match",
        options=["any", "all"],
        format_func={"any": "any of them", "all": "all of them together"}.get,
        key="match",
        horizontal=True,
    )
    st.sidebar.multiselect(
        "Kinds",
        options=list(KINDS),
        format_func=KIND_LABELS.get,
        key="kinds",
        placeholder="All kinds",
    )
    st.sidebar.multiselect(
        "Map layers (named areas)",
        options=list(geodata.areas["id"]),
        format_func=lambda area_id: data["area_names"].get(area_id, area_id),
        key="layers",
        placeholder="No area layers",
    )
    st.sidebar.radio("Colour events by", options=["kind", "month"], key="colour", horizontal=True)
    st.sidebar.checkbox("Show location uncertainty circles", key="uncertainty")
    st.sidebar.file_uploader(
        "Add your own events (GeoJSON or CSV)",
        type=["geojson", "json", "csv"],
        accept_multiple_files=True,
        key="uploads",
        help="Checked like the data on file and shown for this session only; nothing is saved. "
        "CSV columns: id, title, kind, start, end, nations (; between), lat, lon; "
        "see docs/upload-csv.md.",
    )
    st.sidebar.button("Reset view", on_click=reset_view, width="stretch")


def view_link(query: dict[str, str]) -> str:
    """The address of this view: the page's own address with the view's query string."""
    address = urlsplit(st.context.url or "")
    base = urlunsplit((address.scheme, address.netloc, address.path or "/", "", ""))
    return f"{base}?{urlencode(query, safe=',')}" if query else base


def show_problems(problems: list) -> None:
    """Every problem with the data, as a table of text (never rendered as markup)."""
    if not problems:
        return
    skipped = sum(problem.skipped for problem in problems)
    left_out = plural(skipped, "feature or file is", "features or files are")
    st.warning(
        f"The data has {plural(len(problems), 'problem')}; {left_out} not shown. Everything "
        "valid is on the map."
    )
    with st.expander("Data problems", expanded=len(problems) <= 10):
        st.dataframe(
            pd.DataFrame(
                {
                    "file": [problem.file for problem in problems],
                    "feature": [problem.feature or "" for problem in problems],
                    "field": [problem.field or "" for problem in problems],
                    "problem": [problem.message for problem in problems],
                    "shown": ["no" if problem.skipped else "yes" for problem in problems],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def handle_map_return(returned: dict | None) -> None:
    """Record the map's position and, when a feature was clicked, open its event."""
    if not returned:
        return
    state = st.session_state
    center, zoom = returned.get("center"), returned.get("zoom")
    if center and zoom is not None:
        target = state["map_target"]
        if at_target(center, zoom, target):
            # Leaflet settles a pixel or so off the centre it was given: still the link's view.
            state["map_position"] = target["position"]
        else:
            moved = View().with_map_position(center["lat"], center["lng"], zoom)
            state["map_position"] = (moved.lat, moved.lon, moved.zoom)
        bounds = returned.get("bounds") or {}
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


def at_target(center: dict, zoom: int, target: dict) -> bool:
    """Whether the map is where it was last sent, to within two pixels."""
    tolerance = 2 * degrees_per_pixel(zoom)
    target_lat, target_lon = target["center"]
    return (
        zoom == target["zoom"]
        and abs(center["lat"] - target_lat) <= tolerance
        and abs(center["lng"] - target_lon) <= tolerance
    )


def handle_timeline_brush(months: list[str]) -> None:
    """A drag across the timeline sets the month range (before the slider is drawn)."""
    chart = st.session_state.get("timeline")
    brushed = brushed_months(chart.selection if chart else None)
    if brushed == st.session_state.get("last_brush"):
        return
    st.session_state["last_brush"] = brushed
    if brushed and len(months) > 1 and brushed[0] in months and brushed[1] in months:
        st.session_state["months"] = brushed


def handle_table_selection(table_ids: pd.Series) -> None:
    selection = st.session_state.get("table")
    rows = tuple(selection.selection.rows) if selection else ()
    if rows != st.session_state.get("last_rows"):
        st.session_state["last_rows"] = rows
        if rows and rows[0] < len(table_ids):
            open_event(table_ids.iat[rows[0]])


def open_event(event_id: str | None) -> None:
    st.session_state["event"] = event_id


def main() -> None:
    _install_assets()
    root = data_dir()
    data = load_data(str(root), data_fingerprint(root))
    data = with_uploads(data, session_uploads(data))
    geodata = data["geodata"]
    events = geodata.events

    if not st.session_state.get("started"):
        view, link_warnings = View.from_query(
            query_params_all(), area_ids=geodata.areas["id"], event_ids=events["id"]
        )
        init_widgets(view, data)
        st.session_state["link_warnings"] = link_warnings
        st.session_state["started"] = True

    st.session_state["full_runs"] = st.session_state.get("full_runs", 0) + 1
    handle_timeline_brush(data["months"])
    view = view_from_widgets(data)
    filtered = filter_events(events, view, data["nation_rows"])
    handle_table_selection(filtered["id"])
    view = replace(view, event=st.session_state["event"])

    sidebar(data, len(filtered), len(events))
    for warning in st.session_state.get("link_warnings", []):
        st.warning(warning)
    show_problems(geodata.problems)
    if filtered.empty:
        st.info("No events match these filters. Widen the months, nations or kinds, or reset.")

    first, last = month_range(view, data["months"])
    chosen_months = [month for month in data["months"] if first <= month <= last] if first else []
    map_column, details_column = st.columns([3, 1.25], gap="medium")
    with map_column:
        map_panel(filtered.index, data, chosen_months)
    with details_column:
        show_details(view, filtered, data)

    if st.session_state["full_runs"] == 1:
        # The map paints first. Vega and the data grid are the page's heaviest scripts and
        # would compete with it for the CPU, so the timeline and table come with the next
        # run, which the map's first report of its position starts (see map_panel).
        st.caption("The timeline and the table follow as soon as the map has drawn…")
        return
    st.subheader("Timeline")
    if data["months"]:
        st.altair_chart(
            timeline_chart(data["monthly_counts"], data["months"], (first, last)),
            width="stretch",
            on_select="rerun",
            selection_mode=BRUSH,
            key="timeline",
        )
        st.caption("Drag across the timeline to choose months.")
    st.subheader(f"Events ({len(filtered):,})")
    if len(filtered) > TABLE_LIMIT:
        st.caption(
            f"The first {TABLE_LIMIT:,} in date order are listed; narrow the filters to see "
            "others, or download them all."
        )
    table = filtered[["id", "title", "kind", "start_text", "end_text", "nations", "area", "file"]]
    table = table.head(TABLE_LIMIT).rename(columns={"start_text": "start", "end_text": "end"})
    table["nations"] = table["nations"].map(", ".join)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="table",
    )
    show_downloads(filtered)
    show_data_stamp(geodata)


@st.fragment
def map_panel(shown: pd.Index, data: dict, chosen_months: list[str]) -> None:
    """The map and the link to the view.

    A fragment: a pan, zoom or click on the map reruns only this, with the events the last full
    run showed (`shown`, their index: Streamlit keeps a fragment's arguments for each session,
    and an index is far smaller than a copy of the rows), not the sidebar, timeline and table,
    which a move cannot change.
    """
    # Only the columns the map's layers read: taking the shown rows of those is cheap.
    events = data["geodata"].events[list(mapview.LAYER_COLUMNS)]
    filtered = events if len(shown) == len(events) else events.loc[shown]
    state = st.session_state
    opened = state["event"]
    handle_map_return(state.get("map"))
    if state["event"] != opened:
        st.rerun()  # a clicked event opens its details beside the map: the page follows
    if state.get("map") and state["full_runs"] == 1:
        st.rerun()  # the map has drawn: now the timeline and table (see main)
    view = view_from_widgets(data)
    query = view.to_query(default_layers=data["default_layers"])
    if query != {key: st.query_params[key] for key in st.query_params}:
        st.query_params.from_dict(query)

    areas = data["geodata"].areas
    window = map_window(
        view.zoom_level(), center=view.center(), bounds=st.session_state.get("map_bounds")
    )
    groups = mapview.view_layers(
        filtered,
        data["map_data"],
        areas[areas["id"].isin(view.layers or ())],
        chosen_months,
        view,
        window,
        show_uncertainty=st.session_state["uncertainty"],
    )
    st_folium(
        mapview.base_map(st.session_state["base_view"]),
        key="map",
        height=MAP_HEIGHT,
        width="stretch",
        returned_objects=MAP_RETURNS,
        feature_group_to_add=groups or [folium.FeatureGroup()],
        layer_control=folium.LayerControl(collapsed=True),
        center=st.session_state["map_target"]["center"],
        zoom=st.session_state["map_target"]["zoom"],
    )
    # In a popover, the code block (and its copy button) loads only when opened.
    with st.popover("Link to this view", icon=":material/link:"):
        st.caption("Anyone with this link sees this view (copy button on the right):")
        st.code(view_link(query), language=None, wrap_lines=True)


def show_data_stamp(geodata) -> None:
    """Which data this view was made from, so a reader of a shared link can tell if it changed."""
    newest = geodata.events["start"].max()
    newest_text = f", newest starts {newest:%Y-%m-%d}" if len(geodata.events) else ""
    st.caption(
        f"Data version {geodata.version}: {len(geodata.events):,} events{newest_text}, "
        f"{len(geodata.areas)} named areas, {geodata.files} files."
    )


def show_downloads(filtered) -> None:
    # Registering a download costs Streamlit about a second per button while the map's data is
    # in flight, so the buttons appear only when asked for; the files are made on click.
    if not st.toggle("Download the shown events", key="downloads"):
        return
    formats = [
        ("GeoJSON", events_geojson, "events.geojson", "application/geo+json"),
        ("CSV", events_csv, "events.csv", "text/csv"),
    ]
    for column, (label, make, file_name, mime) in zip(st.columns(len(formats)), formats):
        column.download_button(
            f"{label} ({len(filtered)} events)",
            lambda make=make: make(filtered),
            file_name=file_name,
            mime=mime,
            on_click="ignore",
        )


def show_details(view: View, filtered, data: dict) -> None:
    events = data["geodata"].events
    if view.event is None:
        st.caption("Click an event on the map or a row of the table to see its details here.")
        return
    match = events[events["id"] == view.event]
    if match.empty:
        st.caption("The open event is no longer in the data.")
        return
    event = match.iloc[0]
    if not filtered["id"].eq(view.event).any():
        st.caption("This event is outside the current filters.")
    st.html(event_details_html(event, data["area_names"]))
    st.button("Close details", on_click=open_event, args=(None,))


main()
