"""The sidebar: the filters (months as two searchable lists with quick ranges, nations, kinds,
zones), the map's layers and colours, the uploads and the navigational warnings' form, and
Reset view."""

from __future__ import annotations

import streamlit as st

from dashboard_ui.language import language_switch
from dashboard_ui.navwarn import warnings_form
from dashboard_ui.session import data_days, days_within, reset_view, start_compare, switch_days
from dashboard_ui.text import markdown_text
from dashboard_ui.uploads import UPLOAD_TYPES
from layers.filters import range_summary
from layers.i18n import (
    CLDR_LOCALES,
    N_,
    _,
    current_language,
    is_english,
    month_text,
    ngettext,
    number,
)
from layers.measure import EVENTS, Tally, count_words, measure_title
from layers.nations import CLDR_VERSION, nation_label, nation_matches, nations_by_name
from layers.read.schema import KIND_LABELS, KINDS, clip
from layers.view import SHOW_MODES


def sidebar(
    data: dict, shown: int | None, total: int, tally: Tally | None = None, days: bool = True
) -> dict | None:
    """The sidebar's widgets; returns the navigational warnings given to read (warnings_form).

    `tally` is what the shown events add up to for the view's measure (layers.measure); with
    it, and counts in the data, the sidebar offers *Count* (events or a count's name) and the
    headline says what it counts. Without it (the shared store) the headline counts events.
    `days`: offer days as well as months (the shared store's page counts by month only).
    """
    geodata = data["geodata"]
    months = data["months"]
    st.sidebar.title(_("⚓ Maritime activity"))
    st.sidebar.caption(_("Indo-Pacific exercises, patrols, transits and grey-zone incidents"))
    with st.sidebar:
        language_switch()
    headline(shown, total, tally)
    names = data.get("count_names") or []
    if tally is not None and names:
        st.sidebar.selectbox(
            _("Count"),
            options=[EVENTS, *names],
            format_func=said({measure: count_choice(measure) for measure in [EVENTS, *names]}),
            key="measure",
            help=_(
                "What the headline, the timeline, the density layer and the analyses add up: "
                "events, or a count the events give (aircraft, ships…). Events that give no "
                "such count are said, never counted as 0."
            ),
        )
    by_day = days and bool(months) and st.session_state.get("days_on")
    if by_day:
        day_range_inputs(data)
    elif len(months) > 1:
        month_range_inputs(_("Months (both ends included)"), "months", data)
    if days and months:
        st.sidebar.checkbox(
            _("Choose days"),
            key="days_on",
            on_change=switch_days,
            args=(data,),
            help=_(
                "A short range by day: events whose dates overlap the days chosen. The "
                "timeline and the map's months follow the months those days fall in."
            ),
        )
    if len(months) > 1:
        st.sidebar.checkbox(
            _("Compare with another period"),
            key="compare_on",
            on_change=start_compare,
            args=(data,),
            help=_(
                "Period A starts as the same number of months just before the months shown (B)."
            ),
        )
        if st.session_state.get("compare_on"):
            month_range_inputs(_("Compare with (months)"), "compare_months", data, presets=False)
            a_first, a_last = st.session_state["compare_months"]
            b_first, b_last = st.session_state["months"]
            if a_first <= b_last and b_first <= a_last:
                st.sidebar.caption(_("A overlaps the months shown (B): its events count in both."))
            st.sidebar.radio(
                _("Map shows"),
                options=list(SHOW_MODES),
                format_func=said({mode: _(SHOW_WORDS[mode]) for mode in SHOW_MODES}),
                key="show",
                horizontal=True,
                help=_(
                    "A: the months compared with; B: the months shown. The change map colours "
                    "each named area (zoomed out) or grid cell (zoomed in) by how its count of "
                    "events changed."
                ),
            )
    elif months and not by_day:
        st.sidebar.caption(_("All events fall in {month}.").format(month=month_words(months[0])))
    nation_filter(data)
    st.sidebar.radio(
        _("Match"),
        options=["any", "all"],
        format_func=said({match: _(word) for match, word in MATCH_WORDS.items()}),
        key="match",
        horizontal=True,
    )
    st.sidebar.multiselect(
        _("Kinds"),
        options=list(KINDS),
        format_func=said({kind: KIND_LABELS[kind] for kind in KINDS}),
        key="kinds",
        placeholder=_("All kinds"),
    )
    zones = list(data["zone_areas"])
    zones += [area_id for area_id in st.session_state["zones"] if area_id not in zones]
    st.sidebar.multiselect(
        _("Zones"),
        options=zones,
        format_func=lambda area_id: data["area_short_names"].get(area_id, area_id),
        key="zones",
        placeholder=_("Any zone or none"),
        help=_(
            "Events inside a named area or a shape drawn on the map, or crossing a reference "
            "line (the median line, a drawn line); computed from each event's geometry and "
            "location precision."
        ),
    )
    st.sidebar.checkbox(
        _("include possibly"),
        key="possibly",
        help=_("Also events whose uncertainty circle only partly reaches the zone."),
    )
    st.sidebar.multiselect(
        _("Map layers (named and drawn areas)"),
        options=list(geodata.areas["id"]),
        format_func=lambda area_id: data["area_short_names"].get(area_id, area_id),
        key="layers",
        placeholder=_("No area layers"),
    )
    st.sidebar.radio(
        _("Colour events by"),
        options=["kind", "month"],
        format_func=said({colour: _(word) for colour, word in COLOUR_WORDS.items()}),
        key="colour",
        horizontal=True,
    )
    st.sidebar.checkbox(_("Show location uncertainty circles"), key="uncertainty")
    st.sidebar.checkbox(
        _("Show event density"),
        key="density",
        help=_(
            "How many of the shown events touch each cell of the map, as a heat surface "
            "drawn over the events: where activity areas overlap, where tracks and reports "
            "bunch."
        ),
    )
    st.sidebar.file_uploader(
        _("Add your own events or lists"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key="uploads",
        help=_(
            "Checked like the data on file and shown for this session only; nothing is saved. "
            "GeoJSON or CSV in the event format (see docs/upload-csv.md) is added at once; any "
            "other list (CSV, TSV, XLSX, KML, KMZ, GPX, GeoPackage, zipped Shapefile) opens an "
            "import step where you say how its columns become events. Add a mapping (.toml) "
            "to skip the guessing."
        ),
    )
    pending = warnings_form()
    st.sidebar.button(_("Reset view"), on_click=reset_view, width="stretch")
    return pending


def nation_filter(data: dict) -> None:
    """The nations filter: the data's nations by name ("Denmark (DNK)" before "Germany (DEU)"),
    each with its own name where it differs ("Japan (JPN) · 日本"), so typing either finds it.
    A name in any other language CLDR knows (韓国, フィリピン, Allemagne) is taken on Enter and
    becomes its nation (`resolve_typed_nations`); one that names no nation, or more than one,
    is said under the list and not chosen."""
    present = list(data["nations_present"])
    present += [code for code in st.session_state["nations"] if code not in present]
    # Named in the reader's language (CLDR), with the code the data uses; typed names in any
    # language are still found (resolve_typed_nations).
    locale = CLDR_LOCALES[current_language()]
    st.sidebar.multiselect(
        _("Participating nations"),
        options=nations_by_name(present, locale),
        format_func=lambda code: nation_label(code, locale, native=True),
        key="nations",
        placeholder=_("All nations"),
        accept_new_options=True,
        filter_mode="contains",
        on_change=resolve_typed_nations,
        help=_(
            "Type a name or code to find a nation. A name in another language (韓国, "
            "フィリピン, Allemagne) is looked up on Enter in the Unicode CLDR names of every "
            "language (CLDR {version})."
        ).format(version=CLDR_VERSION),
    )
    for note in st.session_state.pop("nations_typed", []):
        st.sidebar.warning(note)


def resolve_typed_nations() -> None:
    """Turn names typed into the nations filter (kept as typed by the multiselect) into the
    codes they name; names that name no nation or several are dropped, and why is kept in
    `st.session_state["nations_typed"]` for the filter to say."""
    state = st.session_state
    codes: list[str] = []
    notes = []
    for item in state.get("nations", []):
        found = nation_matches(item)
        shown = markdown_text(clip(item, 40))
        locale = CLDR_LOCALES[current_language()]
        if len(found) == 1:
            if found[0] not in codes:
                codes.append(found[0])
        elif found:
            choices = ", ".join(nation_label(code, locale) for code in found)
            notes.append(
                _("“{name}” names more than one nation ({choices}): choose one.").format(
                    name=shown, choices=choices
                )
            )
        else:
            notes.append(_("“{name}” is no nation's name or code known here.").format(name=shown))
    state["nations"] = codes
    state["nations_typed"] = notes


def headline(shown: int | None, total: int, tally: Tally | None) -> None:
    """The headline figure: the events shown, or what they add up to for a count, with the
    events that give no such count said ("11 events give no aircraft count")."""
    if tally is None or tally.measure == EVENTS:
        # The total goes in the label: "100,000 of 100,000" does not fit the sidebar's metric.
        # None: not known (the shared store is unavailable and this page read no count).
        st.sidebar.metric(
            _("Events shown, of {total}").format(total=number(total)),
            "—" if shown is None else number(shown),
        )
        return
    st.sidebar.metric(
        _("{measure} in the events shown").format(measure=measure_title(tally.measure)),
        number(tally.total),
    )
    lines = [
        ngettext(
            "{tally}, of {count} event shown ({total} in all).",
            "{tally}, of {count} events shown ({total} in all).",
            shown or 0,
        ).format(tally=tally.headline(), count=number(shown or 0), total=number(total))
    ]
    if tally.missing_line():
        lines.append(_("{sentence}.").format(sentence=tally.missing_line()))
    # Chinese and Japanese set sentences one after the other with no space.
    st.sidebar.caption(("" if current_language() != "en" else " ").join(lines))


# Quick month ranges: (label, how many months back from the data's last; None for all).
MONTH_PRESETS = ((N_("All"), None), (N_("Last 12"), 12), (N_("Last 3"), 3))
# The words of the sidebar's choices (translated where shown).
SHOW_WORDS = {"events": N_("events"), "change": N_("change from A to B")}
MATCH_WORDS = {"any": N_("any of them"), "all": N_("all of them together")}
COLOUR_WORDS = {"kind": N_("kind"), "month": N_("month")}
END_WORDS = {"from": N_("From"), "to": N_("To")}


def said(words: dict[str, str]):
    """A widget's format_func from its options' words as this run says them: a table made
    in the run, so the words do not depend on where Streamlit calls it (a callback, a test
    harness) but on the page's language when the widget was drawn."""
    return lambda option: words.get(option, option)


def month_words(month: str) -> str:
    """A month as the sidebar says it: "2024-07" in English (as the month lists write it),
    else as the reader writes a month (2024年7月)."""
    return month if is_english() else month_text(month)


def month_range_inputs(label: str, key: str, data: dict, presets: bool = True) -> None:
    """A month range as two searchable lists, From and To, and a line saying what it holds.

    A slider cannot hold a data set's 100+ months: its handles stack, and a quiet month cannot
    be found on it. `st.session_state[key]` holds the (first, last) range; the lists follow it
    and write it back (a From after the To moves the To, and the other way round).
    """
    months = data["months"]
    state = st.session_state
    state[f"{key}_from"], state[f"{key}_to"] = state[key]
    st.sidebar.markdown(
        label, help=_("Type in a list to find a month: 2023-1 lists 2023-10 to 12.")
    )
    from_column, to_column = st.sidebar.columns(2, gap="small")
    for column, end in ((from_column, "from"), (to_column, "to")):
        column.selectbox(
            _(END_WORDS[end]),
            options=months,
            key=f"{key}_{end}",
            on_change=set_month_range,
            args=(key, end),
        )
    st.sidebar.caption(range_summary(state[key], data["month_totals"]))
    if presets:
        for column, (name, count) in zip(
            st.sidebar.columns(len(MONTH_PRESETS), gap="small"), MONTH_PRESETS, strict=True
        ):
            column.button(
                _(name),
                key=f"{key}_preset_{name}",
                on_click=set_month_preset,
                args=(key, months, count),
                width="stretch",
                type="tertiary",
            )


def set_month_range(key: str, changed: str) -> None:
    state = st.session_state
    first, last = state[f"{key}_from"], state[f"{key}_to"]
    if first > last:
        first, last = (first, first) if changed == "from" else (last, last)
    state[key] = (first, last)


def set_month_preset(key: str, months: list[str], count: int | None) -> None:
    st.session_state[key] = (months[0] if count is None else months[-count:][0], months[-1])


def day_range_inputs(data: dict) -> None:
    """The days shown as one date range input within the data's days, and a line saying how
    many days that is. `st.session_state["days"]` holds the (first, last) days; the input
    follows it and writes it back once both ends are picked."""
    state = st.session_state
    span = data_days(data)
    if span is None:
        return
    state["days"] = days_within(state.get("days") or (None, None), data)
    picked = state.get("days_picked")
    # After the first click the input holds one day until the second: left as it is, or the
    # range could never be picked.
    if not (isinstance(picked, (tuple, list)) and len(picked) == 1):
        state["days_picked"] = state["days"]
    st.sidebar.date_input(
        _("Days (both ends included)"),
        min_value=span[0],
        max_value=span[1],
        key="days_picked",
        format="YYYY-MM-DD",
        on_change=set_day_range,
        help=_("Pick the first day, then the last: events whose dates overlap them are shown."),
    )
    first, last = state["days"]
    count = (last - first).days + 1
    st.sidebar.caption(ngettext("{count} day", "{count} days", count).format(count=number(count)))


def set_day_range() -> None:
    picked = st.session_state["days_picked"]
    # While only the first day is picked the input holds one day: the range waits for both.
    if isinstance(picked, (tuple, list)) and len(picked) == 2 and all(picked):
        st.session_state["days"] = (min(picked), max(picked))


def count_choice(measure: str) -> str:
    """A count as the *Count* select shows it: its words, and its name in the data (as links
    and mappings write it) when the words differ: "median-line crossings
    (median_line_crossings)", but "aircraft"."""
    if measure == EVENTS:
        return _("events")
    words = count_words(measure)
    return words if words == measure else f"{words} ({measure})"
