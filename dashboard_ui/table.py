"""The events table under the timeline: the shown events, one a row; a click on a row opens its
details, and the row of the open event is the one ticked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_ui.details import open_event
from dashboard_ui.text import markdown_text
from layers.analysis.zones import zones_text
from layers.i18n import N_, _, number, pgettext
from layers.measure import EVENTS
from layers.read.schema import KIND_LABELS

# Rows sent to the table: enough to read, few enough that a filter change stays quick.
TABLE_LIMIT = 1000
# The table's columns, most telling first: what happened, when, who and where fit a laptop's
# 1366 px beside the sidebar with no sideways scroll (tests/test_browser_page.py measures it);
# the id and the file, for links and for finding the record, come last. Column → (width,
# help); the headers are the fields' names in English, in the reader's language otherwise
# (table_columns).
TABLE_COLUMNS = {
    "title": (240, None),
    "kind": (135, None),
    "start": (88, None),
    "end": (88, None),
    "nations": (96, N_("The nations taking part, by ISO 3166 alpha-3 code.")),
    "area": (150, None),
    "zones": (185, N_("The named areas and zones the event is in, or possibly in.")),
    "id": (200, None),
    "file": (160, None),
}


def column_header(name: str) -> str:
    """A column's header in the page's language: the field's name ("title") in English."""
    headers = {
        "title": pgettext("table column", "title"),
        "kind": pgettext("table column", "kind"),
        "start": pgettext("table column", "start"),
        "end": pgettext("table column", "end"),
        "nations": pgettext("table column", "nations"),
        "area": pgettext("table column", "area"),
        "zones": pgettext("table column", "zones"),
        "id": pgettext("table column", "id"),
        "file": pgettext("table column", "file"),
    }
    return headers[name]


def table_columns() -> dict:
    """The table's column_config, its headers and help in the page's language."""
    return {
        name: st.column_config.TextColumn(
            column_header(name), width=width, help=_(help_text) if help_text else None
        )
        for name, (width, help_text) in TABLE_COLUMNS.items()
    }


def handle_table_selection(table_ids: pd.Series) -> None:
    """A row ticked in the table (`table_ids`: the ids of its rows, in order) opens its event;
    a row unticked closes it (the ticked row is always the open event's: draw_table)."""
    selection = st.session_state.get("table")
    rows = tuple(selection.selection.rows) if selection else ()
    last = st.session_state.get("last_rows")
    if rows != last:
        st.session_state["last_rows"] = rows
        if rows and rows[0] < len(table_ids):
            open_event(table_ids.iat[rows[0]])
        elif not rows and last:  # the open event's row unticked
            open_event(None)


def show_table(filtered, data: dict, measure: str = EVENTS) -> None:
    """The shown events, one a row (the first TABLE_LIMIT in date order); a click on a row
    opens its details (handle_table_selection)."""
    draw_table(filtered.head(TABLE_LIMIT), len(filtered), data, measure)


def tick_open_event(ids: pd.Series) -> None:
    """Tick the open event's row among `ids` (the table's rows, in order), and no other: after
    the details are closed, or when the rows change under the tick (a drag across the
    timeline, a filter), the table never shows another event as the one open."""
    state = st.session_state
    matches = [
        int(row)
        for row in (ids.reset_index(drop=True) == state.get("event")).to_numpy().nonzero()[0]
    ]
    wanted = tuple(matches[:1])
    selection = state.get("table")
    if (tuple(selection.selection.rows) if selection else ()) != wanted:
        state["table"] = {"selection": {"rows": list(wanted), "columns": [], "cells": []}}
    # What the table now shows ticked: not a click of the analyst's (handle_table_selection).
    state["last_rows"] = wanted


def draw_table(rows, count: int, data: dict, measure: str = EVENTS) -> None:
    """The events table: `rows` (at most TABLE_LIMIT, in date order) of `count` shown events,
    saying when some are not listed. The files page and the shared store's page both draw it.
    Kinds and areas are given by their names (a zone by its short name, which tells the zones
    of one place apart: layers.analysis.zones.short_area_name), nations by their codes. With a
    count as the `measure`, a column gives each event's count, empty where it gives none
    (never 0).
    """
    st.subheader(_("Events ({count})").format(count=number(count)))
    if count > TABLE_LIMIT:
        st.caption(
            _(
                "The first {count} in date order are listed; narrow the filters to see "
                "others, or download them."
            ).format(count=number(TABLE_LIMIT))
        )
    names = data.get("area_short_names") or data["area_names"]
    table = rows[["title", "kind", "start_text", "end_text", "nations", "area", "zones", "id"]]
    table = table.rename(columns={"start_text": "start", "end_text": "end"}).assign(
        kind=rows["kind"].map(lambda kind: KIND_LABELS.get(kind, kind)),
        nations=rows["nations"].map(", ".join),
        area=rows["area"].map(lambda area: names.get(area, area) if area else ""),
        zones=rows["zones"].map(lambda tags: zones_text(tags, names)),
        file=rows["file"],
    )
    config = table_columns()
    if measure != EVENTS and "counts" in rows.columns:
        given = [
            found.get(measure) if isinstance(found, dict) else None for found in rows["counts"]
        ]
        # A count may be named like a column ("area"): the table's columns stay unique.
        label = (
            measure if measure not in table.columns else _("{name} (count)").format(name=measure)
        )
        table.insert(2, label, pd.array(given, dtype="Int64"))
        config[label] = st.column_config.NumberColumn(label, width=80)
    tick_open_event(rows["id"])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config=config,
        on_select="rerun",
        selection_mode="single-row",
        key="table",
    )
    # The details are over the map, out of view from here: the line says which event is open
    # and where, so a tick never goes unanswered. Always a line, so the page below stays put.
    opened = rows.loc[rows["id"] == st.session_state.get("event"), "title"]
    st.caption(
        _("Open: {title}. Its details are over the map, at the top of the page.").format(
            title=markdown_text(opened.iat[0])
        )
        if len(opened)
        else _("Tick a row to open its details over the map, at the top of the page.")
    )
