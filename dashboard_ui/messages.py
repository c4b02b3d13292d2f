"""What the page says about its data: the messages over the map (the link's warnings, the data's
problems, what an import did) and the data stamp at the foot of the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_ui.text import markdown_text
from layers.read.schema import left_out_count, plural


def show_problems(problems: list) -> None:
    """Every problem with the data, as a table of text (never rendered as markup)."""
    if not problems:
        return
    left_out = plural(left_out_count(problems), "feature or file is", "features or files are")
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


NO_EVENTS_YET = (
    "No events yet: the map shows the named areas. Add events as GeoJSON files in "
    "geodata/events/ (see docs/data-format.md), or bring in a list, a KML or navigational "
    "warnings with *Add your own events* in the sidebar."
)


def show_messages(
    problems: list, nothing_shown: bool, no_events: bool = False, hints: list[str] | None = None
) -> None:
    """The messages over the map, in a container that is always there: the link's warnings,
    the data's problems, what an import did, mappings that go with no file, and when no event
    matches the filters, what to change (`hints`, layers.filters.empty_view_hints) or, with
    `no_events`, how to add the first ones."""
    with st.container():
        for warning in st.session_state.get("link_warnings", []):
            st.warning(warning)
        show_problems(problems)
        flash = st.session_state.pop("import_flash", None)
        if flash:
            st.success(flash)
        for name in st.session_state.get("unused_mappings", []):
            st.info(
                f"The mapping {markdown_text(name)} goes with no data file: upload it with its "
                "list, named after it (transits.csv: transits.toml or transits.mapping.toml)."
            )
        if no_events:
            st.info(NO_EVENTS_YET)
        elif nothing_shown:
            st.info(nothing_shown_text(hints or []))


def nothing_shown_text(hints: list[str]) -> str:
    """The line over an empty map: the filter changes that would each show events, when one
    alone would (layers.filters.empty_view_hints); else the plain advice."""
    if not hints:
        return (
            "No events match these filters: no single change brings any back. Widen several "
            "of them, or reset."
        )
    return (
        "No events match these filters. Any one of these would show some: "
        + "; ".join(markdown_text(hint) for hint in hints)
        + "."
    )


def show_data_stamp(geodata) -> None:
    """Which data this view was made from, so a reader of a shared link can tell if it changed."""
    newest = geodata.events["start"].max()
    newest_text = f", newest starts {newest:%Y-%m-%d}" if len(geodata.events) else ""
    st.caption(
        f"Data version {geodata.version}: {len(geodata.events):,} events{newest_text}, "
        f"{len(geodata.areas)} named areas, {geodata.files} files."
    )
