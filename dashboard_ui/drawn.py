"""Shapes drawn on the map: what the drawing tool reports, the zones they make for the rest of
the page (filters, layers, comparison, analyses, exports), and the panel that names, measures,
buffers, downloads and removes them. The logic is in layers.shapes and layers.analysis.drawn."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard_ui.access import DRAWN_AREA_FLASH, save_drawn_area
from dashboard_ui.text import markdown_text
from layers.analysis.drawn import (
    DrawnZones,
    area_file,
    drawn_zones,
    english_measures,
    file_id,
    measure_words,
)
from layers.analysis.zones import IN, POSSIBLY, zone_tags
from layers.filters import filter_events, zone_rows
from layers.i18n import Message, _, localized, number
from layers.map.data import prepare_areas
from layers.shapes import (
    MAX_SHAPES,
    MAX_SHAPES_LENGTH,
    METRES_PER,
    SHAPE_ID,
    Shape,
    link_length,
    moved_ids,
    removed,
    renamed,
    shape_id,
    shape_label,
    shapes_from_drawings,
)
from layers.view import View

UNITS = ("nm", "km")


def session_shapes() -> tuple[Shape, ...]:
    return tuple(st.session_state.get("shapes", ()))


def with_drawn_shapes(data: dict, shapes: tuple[Shape, ...], as_zones: bool = True) -> dict:
    """The data with the session's drawn shapes as areas: in the areas table (so the layer
    list, the zones filter, the comparison, the analyses and the exports take them as they
    take named areas), in the zone rows (each event in, or possibly in, each shape: the
    precision rule of layers.analysis.zones), and drawn on the map. Computed once per data
    set and shapes, kept in the session. The shared data is never changed.

    With `as_zones` False (the shared store's page: its events are filtered in the database,
    which knows only the areas stored there) the shapes are drawn and measured, in the layer
    list, but not zones: saved for the team, a shape becomes a stored area that filters."""
    if not shapes:
        return data | {"drawn": None}
    geodata = data["geodata"]
    # The data's version and size with the tables' identity: an id() alone could be reused
    # by a later data set once the first is freed.
    key = (geodata.version, len(geodata.events), id(geodata.events), id(geodata.areas), shapes)
    cache = st.session_state.get("drawn_cache")
    if cache is None or cache[0] != key:
        try:
            parts = _drawn_parts(data, shapes)
        except Exception as error:  # a bug, not the analyst's shape: said, and the page stands
            empty = drawn_zones((), data["geodata"].areas)
            problem = Message(
                "The drawn shapes could not be used as zones ({error}).",
                error=type(error).__name__,
            )
            parts = (replace(empty, problems=(problem,)), None, None, None)
        cache = (key, parts)
        st.session_state["drawn_cache"] = cache
    drawn, areas, rows, zones = cache[1]
    if areas is None:
        return data | {"drawn": drawn}
    names = dict(zip(areas["id"], areas["name"], strict=False))
    if not as_zones:
        return data | {
            "geodata": replace(geodata, areas=pd.concat([geodata.areas, areas])),
            "map_data": replace(
                data["map_data"],
                area_features=pd.concat([data["map_data"].area_features, prepare_areas(areas)]),
            ),
            "area_names": data["area_names"] | names,
            "area_short_names": data["area_short_names"] | names,
            "default_layers": (*data["default_layers"], *areas["id"]),
            "drawn": drawn,
        }
    # The events' own zone tags with the drawn ones after them (the table's zones column, the
    # details, Activity by area): a shallow copy shares every other column with the data.
    events = geodata.events.copy(deep=False)
    events["zones"] = zones
    return data | {
        "geodata": replace(geodata, events=events, areas=pd.concat([geodata.areas, areas])),
        "map_data": replace(
            data["map_data"],
            area_features=pd.concat([data["map_data"].area_features, prepare_areas(areas)]),
        ),
        "zone_rows": pd.concat([data["zone_rows"], rows]),
        "zone_areas": [*data["zone_areas"], *areas["id"]],
        "area_names": data["area_names"] | names,
        "area_short_names": data["area_short_names"] | names,
        # A drawn shape is on the map unless the analyst hides it: a link need not list it.
        "default_layers": (*data["default_layers"], *areas["id"]),
        "drawn": drawn,
    }


def _drawn_parts(data: dict, shapes: tuple[Shape, ...]):
    geodata = data["geodata"]
    drawn = drawn_zones(shapes, geodata.areas)
    if drawn.areas.empty:
        return drawn, None, None, None
    areas = drawn.areas.copy()
    start = int(geodata.areas.index.max()) + 1 if len(geodata.areas) else 0
    areas.index = range(start, start + len(areas))
    events = geodata.events
    tags = zone_tags(events, areas) if len(events) else pd.Series([], dtype=object)
    rows = zone_rows(pd.DataFrame({"zones": tags}, index=events.index))
    zones = pd.Series(
        [own + drawn_tags for own, drawn_tags in zip(events["zones"], tags, strict=True)],
        index=events.index,
        dtype=object,
    )
    return drawn, areas, rows, zones


def drawn_problems(data: dict) -> list[str]:
    """One line per drawn shape that is no zone (said at the top of the page, with the link's
    warnings, where an analyst looks when a view shows nothing)."""
    drawn: DrawnZones | None = data.get("drawn")
    return [localized(problem) for problem in drawn.problems] if drawn else []


def forget_failed_zones(data: dict) -> None:
    """Take out of the zones filter the drawn shapes that are no zone (a self-crossing
    polygon: its line is in the panel), so the filter never keeps nothing in silence. Called
    after with_drawn_shapes, before the sidebar's widgets are drawn."""
    drawn: DrawnZones | None = data.get("drawn")
    if drawn is None or not drawn.problems:
        return
    state = st.session_state
    zones = [
        zone for zone in state.get("zones", []) if not SHAPE_ID.match(zone) or zone in drawn.zones
    ]
    if zones != state.get("zones"):
        state["zones"] = zones


def drawings_reported(returned: dict | None) -> bool:
    """Whether the map's drawing tool reported something new (st_folium's all_drawings: every
    shape on its drawing layer); if so it is kept for `apply_drawings`, and the caller runs
    the page again. The report is not applied here: the map is drawn after the sidebar, whose
    zones and layers widgets it changes, and Streamlit lets a run change a widget's value only
    before the widget is drawn."""
    drawings = (returned or {}).get("all_drawings")
    if not isinstance(drawings, list):
        return False  # the map has not drawn anything since it was mounted
    seen = json.dumps(drawings, sort_keys=True, default=str)
    state = st.session_state
    if seen == state.get("drawings_seen"):
        return False
    state["drawings_seen"] = seen
    state["drawings_pending"] = drawings
    return True


def apply_drawings(as_zones: bool = True) -> None:
    """Apply the drawing tool's last report (drawings_reported) to the session's shapes, at the
    start of a run, before the widgets. A new surface joins the zones filter (with `as_zones`)
    and the layers; a new line joins the layers (measure it; add it to the zones to keep the
    events crossing it). A drawing that would take the link past its limit is not kept, and
    said."""
    state = st.session_state
    drawings = state.pop("drawings_pending", None)
    if drawings is None:
        return
    before = session_shapes()
    update = shapes_from_drawings(drawings, before)
    if link_length(update.shapes) > MAX_SHAPES_LENGTH:
        state["shape_notes"] = [
            Message(
                "The new drawing was not kept: the view's shapes would take {length} "
                "characters of its link, more than the {limit} a link may give them. Draw it "
                "with fewer vertices, or add it as an area file.",
                length=format(link_length(update.shapes), ","),
                limit=format(MAX_SHAPES_LENGTH, ","),
            )
        ]
        state["shapes_version"] = state.get("shapes_version", 0) + 1  # redraw the tool's layer
        return
    if update.shapes == before and not update.problems:
        return
    _apply(update.shapes, update.moved, list(update.problems))
    new_ids = [
        shape_id(position)
        for position in range(len(update.shapes))
        if shape_id(position) not in update.moved.values()
    ]
    for identifier in new_ids:
        shape = update.shapes[int(identifier[1:]) - 1]
        if shape.kind != "line" and as_zones:
            state["zones"] = [*state["zones"], identifier]
        state["layers"] = [*state["layers"], identifier]


def _apply(shapes: tuple[Shape, ...], moved: dict, notes: list[str]) -> None:
    state = st.session_state
    state["shapes"] = shapes
    state["zones"] = list(moved_ids(state["zones"], moved))
    state["layers"] = list(moved_ids(state["layers"], moved))
    state["shape_notes"] = notes
    state["shapes_version"] = state.get("shapes_version", 0) + 1


def _remove(position: int) -> None:
    update = removed(session_shapes(), position)
    _apply(update.shapes, update.moved, list(update.problems))


def _fits(shapes: tuple[Shape, ...]) -> bool:
    """Whether the shapes fit in a link; if not, the line that says so is left for the panel."""
    length = link_length(shapes)
    if length <= MAX_SHAPES_LENGTH:
        return True
    st.session_state["shape_notes"] = [
        Message(
            "Not changed: the view's shapes would take {length} characters of its link, more "
            "than the {limit} a link may give them. A shorter name, or fewer shapes.",
            length=format(length, ","),
            limit=format(MAX_SHAPES_LENGTH, ","),
        )
    ]
    return False


def _changed(shapes: tuple[Shape, ...]) -> None:
    """The session's shapes are `shapes`, same ids. The zones and layers widgets are given
    their values again: Streamlit keeps a multiselect's values by their labels, and a
    shape's label is its name, so after a rename they would be dropped in silence."""
    state = st.session_state
    state["shapes"] = shapes
    state["zones"] = list(state.get("zones", []))
    state["layers"] = list(state.get("layers", []))
    state["shapes_version"] = state.get("shapes_version", 0) + 1


def _rename(position: int, key: str) -> None:
    shapes = renamed(session_shapes(), position, st.session_state.get(key, ""))
    if _fits(shapes):
        _changed(shapes)


def _set_radius(position: int, key: str) -> None:
    state = st.session_state
    value = state.get(key)
    unit = state.get(f"{key}_unit", "nm")
    shapes = list(session_shapes())
    if not value or value <= 0 or value * METRES_PER[unit] > 2000 * 1852:
        state["shape_notes"] = [Message("A radius is a distance above 0 and up to 2,000 nm.")]
        return
    shapes[position] = replace(shapes[position], distance=round(float(value), 4), unit=unit)
    if _fits(tuple(shapes)):
        _changed(tuple(shapes))


def _add_buffer(sources: list[str], as_zones: bool = True) -> None:
    state = st.session_state
    source = state.get("buffer_source")
    distance = state.get("buffer_distance")
    unit = state.get("buffer_unit", "nm")
    shapes = session_shapes()
    if source not in sources or not distance or distance <= 0:
        state["shape_notes"] = [
            Message("Choose what the buffer is drawn round, and a distance above 0.")
        ]
        return
    if distance * METRES_PER[unit] > 2000 * 1852:
        state["shape_notes"] = [Message("A buffer reaches at most 2,000 nm.")]
        return
    if len(shapes) >= MAX_SHAPES:
        state["shape_notes"] = [
            Message("Not added: a view holds {count} shapes.", count=MAX_SHAPES)
        ]
        return
    shape = Shape("buffer", distance=round(float(distance), 4), unit=unit, source=source)
    if not _fits((*shapes, shape)):
        return
    identifier = shape_id(len(shapes))
    state["shapes"] = (*shapes, shape)
    if as_zones:  # on the shared store a buffer is no zone until saved (with_drawn_shapes)
        state["zones"] = [*state["zones"], identifier]
    state["layers"] = [*state["layers"], identifier]
    state["shapes_version"] = state.get("shapes_version", 0) + 1


def shapes_panel(data: dict, view: View, store=None) -> None:
    """The drawn shapes under the map: each with its measures, how many of the events the
    other filters keep are in it (and possibly in it), its name, its area file and a remove
    button; circles take an exact radius; a buffer "within N nm of" any area or shape."""
    state = st.session_state
    notes = state.pop("shape_notes", None)
    for note in notes or []:
        st.warning(localized(note))
    shapes = session_shapes()
    drawn: DrawnZones | None = data.get("drawn")
    # Read before the expander opens: a save that took the last shape leaves none to open
    # it, and its line (saved, or why not) must still be seen.
    flash = _kept_flash() if store is not None else None
    title = (
        _("Drawn shapes ({count})").format(count=number(len(shapes)))
        if shapes
        else _("Draw, measure and buffer")
    )
    expanded = bool(shapes) or bool(notes) or bool(flash)
    with st.expander(title, expanded=expanded, icon=":material/draw:"):
        if not shapes and store is None:
            st.caption(
                _(
                    "Draw a polygon, rectangle, circle or line with the tools at the map's "
                    "left; a drawn surface filters the events like a zone, a line measures "
                    "(km, nm, bearing). Or add a buffer round a named area below."
                )
            )
        elif not shapes:
            # The store's filters run in the database, on stored areas: a drawing is no
            # zone there until saved, and the page must not say it filters.
            st.caption(
                _(
                    "Draw a polygon, rectangle, circle or line with the tools at the map's "
                    "left: it is drawn and measured here (km, nm, bearing); saved for the team "
                    "(editors) it becomes a stored area that filters the events. Or add a "
                    "buffer round a named area below."
                )
            )
        if store is not None:
            if flash:
                (st.success if flash[0] == "success" else st.error)(markdown_text(flash[1]))
            if shapes:
                st.caption(
                    _(
                        "On the shared store a drawn shape is drawn and measured here; saved "
                        "for the team (editors) it becomes a stored area that filters the "
                        "events, recorded with who saved it and when."
                    )
                )
        counts = _zone_counts(data, view, shapes) if drawn and store is None else None
        for position, shape in enumerate(shapes):
            _shape_row(position, shape, shapes, drawn, counts, store)
        _buffer_form(data, shapes, as_zones=store is None)


def _zone_counts(data: dict, view: View, shapes: tuple[Shape, ...]) -> dict:
    """For each shape id: (events in it, events possibly in it) among the events the view's
    other filters keep (its months, nations and kinds; no zone filter)."""
    events = data["geodata"].events
    unzoned = replace(view, zones=(), possibly=False, event=None)
    kept = filter_events(events, unzoned, data["nation_rows"], data["zone_rows"]).index
    rows = data["zone_rows"]
    rows = rows[rows.index.isin(kept) & rows["area"].str.match(r"^D[0-9]+$")]
    counts = {}
    for identifier, group in rows.groupby("area"):
        inside = group.index[group["status"] == IN].unique()
        possibly = group.index[group["status"] == POSSIBLY].unique().difference(inside)
        counts[identifier] = (len(inside), len(possibly))
    return counts


def _shape_row(position, shape, shapes, drawn, counts, store=None) -> None:
    identifier = shape_id(position)
    label = localized(shape_label(shapes, position))
    result = drawn.measures.get(identifier) if drawn else None
    with st.container(border=True, key=f"shape_{identifier}"):
        head, remove = st.columns([6, 1], vertical_alignment="center")
        # The id (its name in a link's zones) beside a name the analyst gave.
        head.markdown(
            f"**{markdown_text(label)}** · `{identifier}`" if shape.name else f"**{label}**"
        )
        remove.button(
            _("Remove"),
            key=f"shape_remove_{position}_{state_version()}",
            on_click=_remove,
            args=(position,),
            icon=":material/delete:",
        )
        if result is None:
            st.caption(_("Not a zone (see the line above): nothing is measured or filtered by it."))
        else:
            st.markdown(markdown_text(measure_words(shape, result, drawn.names)))
            if counts is not None:
                inside, possibly = counts.get(identifier, (0, 0))
                said = (
                    _(
                        "Of the events the other filters keep: {inside} cross it, {possibly} "
                        "possibly (their location precision reaches it)."
                    )
                    if shape.kind == "line"
                    else _(
                        "Of the events the other filters keep: {inside} in it, {possibly} "
                        "possibly (their location precision reaches it)."
                    )
                )
                st.caption(said.format(inside=number(inside), possibly=number(possibly)))
        name_column, file_column = st.columns([3, 2], vertical_alignment="bottom")
        # Keys carry the shapes' version: after a removal or an edit on the map, each box
        # starts from its own shape's values, not those of the shape that had its place.
        name_key = f"shape_name_{position}_{state_version()}"
        name_column.text_input(
            _("Name"),
            value=shape.name,
            key=name_key,
            max_chars=80,
            on_change=_rename,
            args=(position, name_key),
            placeholder=label,
        )
        if result is not None:
            geometry = drawn.zones[identifier]
            # The file's note is data: in English, as the notes of the project's areas.
            note = f"Drawn on the map: {english_measures(shape, result, drawn.names)}"
            file_column.download_button(
                _("Area file"),
                data=area_file(shape, identifier, label, geometry, note),
                file_name=f"{file_id(shape, identifier)}.geojson",
                mime="application/geo+json",
                key=f"shape_file_{position}",
                icon=":material/download:",
                help=_("A GeoJSON area file that geodata/areas/ takes as it is."),
            )
        if store is not None and result is not None:
            st.button(
                _("Save for the team"),
                key=f"shape_save_{position}_{state_version()}",
                on_click=_save_for_team,
                args=(store, position, drawn),
                icon=":material/group:",
                help=_(
                    "Editors: a stored area for everyone, under the name's id ({id}); a "
                    "stored area is never replaced by it."
                ).format(id=file_id(shape, identifier)),
            )
        if shape.kind == "circle":
            radius, unit, button = st.columns([2, 1, 2], vertical_alignment="bottom")
            shown_unit = shape.unit if shape.unit in UNITS else "nm"
            radius_key = f"shape_radius_{position}_{state_version()}"
            radius.number_input(
                _("Radius"),
                min_value=0.001,
                max_value=2000.0 * 1852 / METRES_PER[shown_unit],
                value=round(shape.distance_m / METRES_PER[shown_unit], 3),
                key=radius_key,
                format="%.3f",
            )
            unit.selectbox(
                _("Unit"),
                UNITS,
                index=UNITS.index(shown_unit),
                key=f"{radius_key}_unit",
                format_func=unit_word,
            )
            button.button(
                _("Set the radius"),
                key=f"{radius_key}_set",
                on_click=_set_radius,
                args=(position, radius_key),
            )


def _save_for_team(store, position: int, drawn: DrawnZones) -> None:
    """Save the shape as a stored area (dashboard_ui.access.save_drawn_area: editors, who and
    when recorded); once saved it leaves the drawn shapes, and the stored area takes its place
    in the layers."""
    shapes = session_shapes()
    if position >= len(shapes) or drawn is None:
        return
    identifier = shape_id(position)
    rows = drawn.areas[drawn.areas["id"] == identifier]
    if rows.empty:
        return
    shape = shapes[position]
    stored_id = file_id(shape, identifier)
    area = rows.assign(id=stored_id, file=f"drawn by the team: {stored_id}").reset_index(drop=True)
    save_drawn_area(store, area)
    flash = st.session_state.get(DRAWN_AREA_FLASH)
    state = st.session_state
    if flash and flash[0] == "success":
        update = removed(shapes, position)
        _apply(update.shapes, update.moved, list(update.problems))
        state["layers"] = [*state["layers"], stored_id]
    # The line stays until the shapes change again, not only for the next run: the map's own
    # report of its position reruns the page at once and took it away before it was read.
    state["drawn_area_flash_version"] = state_version()


def _kept_flash() -> tuple[str, str] | None:
    """The last save's line (saved, or why not) while the shapes are as that save left them."""
    state = st.session_state
    if state.get("drawn_area_flash_version") != state_version():
        state.pop(DRAWN_AREA_FLASH, None)
        return None
    return state.get(DRAWN_AREA_FLASH)


def state_version() -> int:
    return st.session_state.get("shapes_version", 0)


def _buffer_form(data: dict, shapes: tuple[Shape, ...], as_zones: bool = True) -> None:
    areas = data["geodata"].areas
    sources = [
        area_id
        for area_id, geometry in zip(areas["id"], areas.geometry, strict=False)
        if geometry is not None and not geometry.is_empty
    ]
    names = data["area_short_names"]
    st.markdown("**{}**".format(_("Within a distance of an area or a shape")))
    source, distance, unit, button = st.columns([4, 2, 1, 2], vertical_alignment="bottom")
    source.selectbox(
        _("Round"),
        sources,
        format_func=lambda area_id: names.get(area_id, area_id),
        key="buffer_source",
        index=None,
        placeholder=_("Choose an area or a drawn shape"),
    )
    distance.number_input(
        _("Distance"), min_value=0.1, max_value=2000.0, value=12.0, key="buffer_distance"
    )
    unit.selectbox(_("Unit"), UNITS, key="buffer_unit", format_func=unit_word)
    button.button(
        _("Add the buffer"),
        on_click=_add_buffer,
        args=(sources, as_zones),
        icon=":material/add:",
    )
    st.caption(
        _(
            "Geodesic, on the WGS 84 ellipsoid: each point of its edge is that distance from "
            "the nearest point of what it is drawn round (1 nm = 1,852 m)."
        )
    )


def unit_word(unit: str) -> str:
    """A unit of distance as the reader abbreviates it (nm: 浬 in Taiwan, 海里 in Japan)."""
    return {"nm": _("nm"), "km": _("km")}.get(unit, unit)
