"""The events table under the timeline: the shown events, one a row; a click on a row opens its
details."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_ui.details import open_event
from layers.analysis.zones import zones_text
from layers.measure import EVENTS

# Rows sent to the table: enough to read, few enough that a filter change stays quick.
TABLE_LIMIT = 1000


def handle_table_selection(table_ids: pd.Series) -> None:
    selection = st.session_state.get("table")
    rows = tuple(selection.selection.rows) if selection else ()
    if rows != st.session_state.get("last_rows"):
        st.session_state["last_rows"] = rows
        if rows and rows[0] < len(table_ids):
            open_event(table_ids.iat[rows[0]])


def show_table(filtered, data: dict, measure: str = EVENTS) -> None:
    """The shown events, one a row (the first TABLE_LIMIT in date order); a click on a row
    opens its details (handle_table_selection)."""
    draw_table(filtered.head(TABLE_LIMIT), len(filtered), data, measure)


def draw_table(rows, count: int, data: dict, measure: str = EVENTS) -> None:
    """The events table: `rows` (at most TABLE_LIMIT, in date order) of `count` shown events,
    saying when some are not listed. The files page and the shared store's page both draw it.
    With a count as the `measure`, a column gives each event's count, empty where it gives
    none (never 0).
    """
    st.subheader(f"Events ({count:,})")
    if count > TABLE_LIMIT:
        st.caption(
            f"The first {TABLE_LIMIT:,} in date order are listed; narrow the filters to see "
            "others, or download them."
        )
    columns = ["id", "title", "kind", "start_text", "end_text", "nations", "area", "zones", "file"]
    table = rows[columns].rename(columns={"start_text": "start", "end_text": "end"})
    table["nations"] = table["nations"].map(", ".join)
    table["zones"] = table["zones"].map(lambda tags: zones_text(tags, data["area_names"]))
    if measure != EVENTS and "counts" in rows.columns:
        given = [
            found.get(measure) if isinstance(found, dict) else None for found in rows["counts"]
        ]
        # A count may be named like a column ("area"): the table's columns stay unique.
        label = measure if measure not in table.columns else f"{measure} (count)"
        table.insert(3, label, pd.array(given, dtype="Int64"))
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="table",
    )
