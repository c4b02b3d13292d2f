"""What the page says about its data: the messages over the map (the link's warnings, the data's
problems, what an import did) and the data stamp at the foot of the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_ui.text import markdown_text
from layers.i18n import (
    N_,
    _,
    date_text,
    is_english,
    localized,
    ngettext,
    number,
    pgettext,
)
from layers.read.schema import left_out_count


def show_problems(problems: list) -> None:
    """Every problem with the data, as a table of text (never rendered as markup)."""
    if not problems:
        return
    left = left_out_count(problems)
    left_out = ngettext(
        "{count} feature or file is not shown", "{count} features or files are not shown", left
    ).format(count=number(left))
    said = ngettext(
        "The data has {count} problem; {left_out}. Everything valid is on the map.",
        "The data has {count} problems; {left_out}. Everything valid is on the map.",
        len(problems),
    )
    st.warning(said.format(count=number(len(problems)), left_out=left_out))
    yes, no = _("yes"), _("no")
    with st.expander(_("Data problems"), expanded=len(problems) <= 10):
        st.dataframe(
            pd.DataFrame(
                {
                    _("file"): [problem.file for problem in problems],
                    _("feature"): [localized(problem.feature or "") for problem in problems],
                    _("field"): [problem.field or "" for problem in problems],
                    _("problem"): [localized(problem.message) for problem in problems],
                    _("shown"): [no if problem.skipped else yes for problem in problems],
                }
            ),
            hide_index=True,
            width="stretch",
        )


NO_EVENTS_YET = N_(
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
            st.warning(localized(warning))
        show_problems(problems)
        flash = st.session_state.pop("import_flash", None)
        if flash:
            st.success(localized(flash))
        for name in st.session_state.get("unused_mappings", []):
            st.info(
                _(
                    "The mapping {name} goes with no data file: upload it with its list, named "
                    "after it (transits.csv: transits.toml or transits.mapping.toml)."
                ).format(name=markdown_text(name))
            )
        if no_events:
            st.info(_(NO_EVENTS_YET))
        elif nothing_shown:
            st.info(nothing_shown_text(hints or []))


def nothing_shown_text(hints: list[str]) -> str:
    """The line over an empty map: the filter changes that would each show events, when one
    alone would (layers.filters.empty_view_hints); else the plain advice."""
    if not hints:
        return _(
            "No events match these filters: no single change brings any back. Widen several "
            "of them, or reset."
        )
    return _("No events match these filters. Any one of these would show some: {hints}.").format(
        hints="; ".join(markdown_text(localized(hint)) for hint in hints)
    )


def show_data_stamp(geodata) -> None:
    """Which data this view was made from, so a reader of a shared link can tell if it changed."""
    events, areas, files = len(geodata.events), len(geodata.areas), geodata.files
    counts = [
        ngettext("{count} event", "{count} events", events).format(count=number(events)),
        ngettext("{count} named area", "{count} named areas", areas).format(count=number(areas)),
        ngettext("{count} file", "{count} files", files).format(count=number(files)),
    ]
    if events:
        newest = geodata.events["start"].max()
        day = f"{newest:%Y-%m-%d}" if is_english() else date_text(newest.date())
        counts.insert(1, _("newest starts {day}").format(day=day))
    st.caption(
        _("Data version {version}: {counts}.").format(
            version=geodata.version, counts=pgettext("list separator", ", ").join(counts)
        )
    )
