"""The timeline under the map: the shown events per month and kind, and a drag across it that
chooses the months."""

from __future__ import annotations

import streamlit as st

from layers.filters import monthly_counts
from layers.timeline import BRUSH, brushed_months, timeline_chart


def handle_timeline_brush(months: list[str]) -> None:
    """A drag across the timeline sets the month range (before the slider is drawn)."""
    chart = st.session_state.get("timeline")
    brushed = brushed_months(chart.selection if chart else None)
    if brushed == st.session_state.get("last_brush"):
        return
    st.session_state["last_brush"] = brushed
    if brushed and len(months) > 1 and brushed[0] in months and brushed[1] in months:
        st.session_state["months"] = brushed
        st.session_state["days_on"] = False  # months chosen on the chart replace chosen days


def draw_timeline(shown_counts, months: list[str], first, last, totals=None) -> None:
    """The timeline chart of `shown_counts` (month, kind, events) over `months`, the months from
    `first` to `last` chosen and `totals` (the whole data's counts, or None when everything is
    shown) faint behind; a drag across it chooses months (handle_timeline_brush). The files
    page and the shared store's page both draw it."""
    st.altair_chart(
        timeline_chart(shown_counts, months, (first, last), totals=totals),
        width="stretch",
        on_select="rerun",
        selection_mode=BRUSH,
        key="timeline",
    )
    st.caption("Drag across the timeline to choose months.")


def show_timeline(filtered, events, data: dict, first: str | None, last: str | None) -> None:
    """The shown events per month and kind, the months from `first` to `last` chosen."""
    st.subheader("Timeline")
    if data["months"]:
        # The timeline follows the filters; the whole data's months stand faint behind.
        everything = len(filtered) == len(events)
        shown_counts = (
            data["monthly_counts"] if everything else monthly_counts(filtered, data["months"])
        )
        draw_timeline(
            shown_counts,
            data["months"],
            first,
            last,
            totals=None if everything else data["month_totals"],
        )
