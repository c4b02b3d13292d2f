"""The analyses under the table (who works with whom, activity by area, two periods compared),
each in a section computed only while it is open, and the clicks on their charts."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard_ui.text import markdown_text
from layers.analysis.charts import (
    AREA,
    PAIR,
    area_month_chart,
    nation_matrix_chart,
    picked_area,
    picked_pair,
)
from layers.analysis.coalitions import (
    confrontation_matrix,
    confrontation_table,
    nation_matrix,
    new_partner_table,
    new_partners,
    unpaired_events,
)
from layers.analysis.compare import NO_AREA, area_month_counts, compare_periods, crossing_period
from layers.dates import month_bounds
from layers.filters import data_months, filter_events
from layers.i18n import CLDR_LOCALES, _, current_language, is_english, month_text, ngettext
from layers.i18n import number as grouped
from layers.measure import EVENTS, amount, count_words, missing_words
from layers.nations import nation_label, nation_name
from layers.read.schema import KIND_LABELS
from layers.view import View


def _locale() -> str:
    """The CLDR locale of the page's language, as layers.nations names nations for it."""
    return CLDR_LOCALES[current_language()]


def nation_names(codes) -> dict[str, str]:
    """The nations' names for the page's reader, by code (layers.nations.nation_name)."""
    locale = _locale()
    return {code: nation_name(code, locale) for code in codes}


def label_of(code: str) -> str:
    """ "Japan (JPN)" / 日本 (JPN): a nation as the analyses' tables name it."""
    return nation_label(code, _locale())


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def months_said(first: str, last: str) -> str:
    """A period as the captions say it: "2024-05..2024-07" (as the link writes it) in English,
    the months as the reader writes them otherwise."""
    if is_english():
        return first if first == last else f"{first}..{last}"
    if first == last:
        return month_text(first)
    return _("{first} to {last}").format(first=month_text(first), last=month_text(last))


def new_pick(chart_key: str, last_key: str, picker):
    """What a click on a chart picked, once: None when nothing new was picked since the last
    rerun (a chart's selection stays in its state across reruns)."""
    chart = st.session_state.get(chart_key)
    picked = picker(chart.selection if chart else None)
    if picked == st.session_state.get(last_key):
        return None
    st.session_state[last_key] = picked
    return picked


def handle_matrix_pick() -> None:
    """A click on a cell of the nations matrix shows that pair's events, all of them together
    (before the sidebar is drawn, as the timeline's brush)."""
    picked = new_pick("nation_matrix", "last_pair", picked_pair)
    if picked:
        st.session_state["nations"] = list(picked)
        st.session_state["match"] = "all"


def handle_area_pick() -> None:
    """A click on a row of the area table selects that area's layer and zone filter."""
    picked = new_pick("area_months", "last_area", picked_area)
    if picked:
        st.session_state["zones"] = [picked]
        if picked not in st.session_state["layers"]:
            st.session_state["layers"] = [*st.session_state["layers"], picked]


def show_analyses(events, filtered, view: View, data: dict, chosen, weights=None) -> None:
    """The analyses of the shown events, each in a section computed only while it is open.

    Closed, a section costs nothing: not on a filter change, and not in the browser while the
    map moves (drawn, the charts had made a 100k pan/zoom 0.2 s slower). A compare link opens
    its section. `weights` (layers.measure.measure_weights of every event, None for events)
    makes each add up the count `view.measure`.
    """
    st.subheader(_("Analyses"))
    measure = view.measure if weights is not None else EVENTS
    sections = [
        (
            _("Who works with whom"),
            "open_partners",
            False,
            lambda: show_partners(
                events,
                filtered,
                view.start and chosen[0],
                data["nation_sets"],
                weights,
                measure,
            ),
        ),
        (
            _("Activity by area"),
            "open_areas",
            False,
            lambda: show_area_activity(filtered, data, chosen, weights, measure),
        ),
    ]
    if view.compare and chosen:
        sections.append(
            (
                _("Compare two periods"),
                "open_compare",
                True,
                lambda: show_comparison(events, view, data, chosen, weights, measure),
            )
        )
    for label, key, expanded, show in sections:
        with st.expander(label, expanded=expanded, key=key, on_change="rerun") as section:
            if section.open:
                show()


def missing_line(weights, measure: str, index) -> str | None:
    """ "11 events give no aircraft count: left out, never counted as 0." for the events of
    `index`, or None (events, or every event gives the count)."""
    if weights is None:
        return None
    said = missing_words(int(weights.loc[index].isna().sum()), measure)
    return _("{missing}: left out, never counted as 0.").format(missing=said) if said else None


def show_area_activity(
    filtered, data: dict, chosen: tuple[str, str] | None, weights=None, measure: str = EVENTS
) -> None:
    """Events per named area per month for the shown events, the chosen months marked; with
    `weights`, the count `measure` they add up to."""
    months = data_months(filtered)
    shown_weights = None if weights is None else weights.loc[filtered.index]
    table = area_month_counts(filtered, filtered["zones"], months, shown_weights)
    if table.empty:
        st.caption(
            _("None of the shown events is inside a named area.")
            if weights is None
            else _(
                "None of the shown events that give a {what} count is inside a named area."
            ).format(what=count_words(measure, 1))
        )
        return
    if weights is None:
        st.caption(
            _(
                "Shown events inside each named area (not those only possibly in it), per "
                "month they were active; months outside the chosen range are faded. Click a row "
                "to show that area's layer and filter by it."
            )
        )
    else:
        st.caption(
            _(
                "{what} of the shown events inside each named area (not those only possibly in "
                "it), added up in the month that holds each event's dates; months outside the "
                "chosen range are faded. Click a row to show that area's layer and filter by it."
            ).format(what=capitalized(count_words(measure)))
        )
        if months:
            crossing, total = crossing_months(filtered, months, shown_weights)
            if crossing:
                st.caption(
                    ngettext(
                        "{count} event giving {what} spans more than one month ({amount}): "
                        "not added, never split over months.",
                        "{count} events giving {what} span more than one month ({amount}): "
                        "not added, never split over months.",
                        crossing,
                    ).format(
                        count=grouped(crossing),
                        what=count_words(measure),
                        amount=amount(total, measure),
                    )
                )
        line = missing_line(weights, measure, filtered.index)
        if line:
            st.caption(line)
    st.altair_chart(
        area_month_chart(table, data["area_short_names"], chosen, measure),
        width="stretch",
        on_select="rerun",
        selection_mode=AREA,
        key="area_months",
    )


def crossing_months(events, months: list[str], weights) -> tuple[int, int]:
    """(events, count) a count leaves out of every month: events giving it whose period
    crosses a month's edge."""
    starts = events["start"].dt.to_period("M")
    ends = events["end"].dt.to_period("M")
    crossing = (starts != ends).to_numpy() & weights.notna().to_numpy()
    return int(crossing.sum()), int(weights[crossing].sum())


def show_comparison(
    events, view: View, data: dict, shown: tuple[str, str], weights=None, measure: str = EVENTS
) -> None:
    """Period A (the compare months) against period B (the months shown): events by named
    area and kind in each, with the change; with `weights`, the count `measure`."""
    unbounded = replace(view, start=None, end=None)
    chosen = filter_events(events, unbounded, data["nation_rows"], data["zone_rows"])
    chosen_weights = None if weights is None else weights.loc[chosen.index]
    table = compare_periods(chosen, chosen["zones"], view.compare, shown, chosen_weights)
    a, b = (f"{first}..{last}" if first != last else first for first, last in (view.compare, shown))
    said_a, said_b = (months_said(*period) for period in (view.compare, shown))
    what = _("Events") if weights is None else capitalized(count_words(measure))
    st.caption(
        _(
            "{what} inside each named area, by kind: A = {a} (compared with), B = {b} (the "
            "months shown), with the nations, kinds and zones chosen; events only possibly in "
            "an area are counted apart, events in none under {no_area}."
        ).format(what=what, a=said_a, b=said_b, no_area=_(NO_AREA))
    )
    if weights is not None:
        for name, period in (("A", view.compare), ("B", shown)):
            crossing, total = crossing_period(chosen, *period, chosen_weights)
            if crossing:
                st.caption(
                    ngettext(
                        "{period}: {count} event giving {what} runs across the period's edge "
                        "({amount}): not added, never split.",
                        "{period}: {count} events giving {what} run across the period's edge "
                        "({amount}): not added, never split.",
                        crossing,
                    ).format(
                        period=name,
                        count=grouped(crossing),
                        what=count_words(measure),
                        amount=amount(total, measure),
                    )
                )
        line = missing_line(weights, measure, chosen.index)
        if line:
            st.caption(line)
    names = data["area_names"]
    st.dataframe(
        pd.DataFrame(
            {
                _("area"): [
                    _(NO_AREA) if area == NO_AREA else names.get(area, area)
                    for area in table["area"]
                ],
                _("kind"): [KIND_LABELS.get(kind, kind) for kind in table["kind"]],
                f"A {a}": table["a"],
                f"B {b}": table["b"],
                "B − A": table["difference"],
                _("change"): [_(change) for change in table["change"]],
                _("A possibly"): table["a_possibly"],
                _("B possibly"): table["b_possibly"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="comparison",
    )


def show_partners(
    events, filtered, first: str | None, sets, weights=None, measure: str = EVENTS
) -> None:
    """Who works with whom: the nations matrix of the shown events (with `weights`, the count
    `measure` they add up to), who confronted whom under it, and each nation's partners new in
    the chosen months (against all earlier data). Nations count as partners only on the same
    side of an event (layers.analysis.coalitions), and the captions say so."""
    shown_weights = None if weights is None else weights.loc[filtered.index]
    matrix = nation_matrix(filtered, sets, shown_weights)
    if matrix.empty and weights is None:
        st.caption(_("No nations in the shown events."))
        return
    if matrix.empty:
        st.caption(_("No shown event gives a {what} count.").format(what=count_words(measure, 1)))
    else:
        what = (
            _("Events")
            if weights is None
            else _("{what} of the events").format(what=capitalized(count_words(measure)))
        )
        st.caption(
            _(
                "{what} in which each pair of nations stood on the same side (the diagonal: "
                "each nation's, whatever its side), ordered so that coalitions sit together. An "
                "event's sides say who stood with whom; an exercise, port call or diplomacy "
                "event that gives none counts all its nations together, and any other event "
                "without sides (an incident, a transit, a patrol…) counts no pair. Click a cell "
                "to show that pair's events."
            ).format(what=what)
        )
        unpaired = unpaired_events(filtered, sets)
        if unpaired:
            st.caption(
                ngettext(
                    "{count} shown event with several nations says no sides that pair them: "
                    "counted on the diagonal only, neither together nor against each other.",
                    "{count} shown events with several nations say no sides that pair them: "
                    "counted on the diagonal only, neither together nor against each other.",
                    unpaired,
                ).format(count=grouped(unpaired))
            )
        if weights is not None:
            line = missing_line(weights, measure, filtered.index)
            if line:
                st.caption(line)
        show_matrix(matrix, measure)
    show_confrontations(filtered, sets, shown_weights, measure)
    show_new_partners(events, filtered, first)


def show_confrontations(filtered, sets, weights=None, measure: str = EVENTS) -> None:
    """Who confronted whom: each pair of nations that stood on different sides of a shown
    event, with the events (or the count `measure` they add up to)."""
    st.markdown(_("**Who confronted whom**"))
    matrix = confrontation_matrix(filtered, sets, weights)
    table = confrontation_table(matrix, nation_names(matrix.index))
    if table.empty:
        st.caption(
            _(
                "No shown event says who stood against whom: an event's sides say it "
                '(`"sides": [["CHN"], ["JPN"]]`, docs/data-format.md).'
            )
        )
        return
    what = _("Events") if weights is None else capitalized(count_words(measure))
    st.caption(
        _(
            "{what} in which the two nations stood on different sides, as the events' sides "
            "say; events without sides are not counted here."
        ).format(what=what)
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("nation"): [label_of(code) for code in table["nation"]],
                _("against"): [label_of(code) for code in table["against"]],
                count_words(measure): table["events"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="confrontations",
    )


def show_matrix(matrix, measure: str) -> None:
    st.altair_chart(
        nation_matrix_chart(matrix, nation_names(matrix.index), measure),
        width="content",
        on_select="rerun",
        selection_mode=PAIR,
        key="nation_matrix",
    )


def show_new_partners(events, filtered, first: str | None) -> None:
    """Each nation's partners new in the chosen months: who worked with whom at all, whatever
    the measure."""
    st.markdown(_("**New partners in these months**"))
    data_first = events["start"].min() if len(events) else None
    since = pd.Timestamp(month_bounds(first)[0]) if first else None
    if since is None or data_first is None or since <= data_first:
        st.caption(_("Choose a later first month to compare with the data before it."))
        return
    columns = [column for column in ("nations", "kind", "sides", "start") if column in events]
    fresh = new_partners(
        pd.concat(
            [
                events.loc[events["start"] < since, columns],
                filtered.loc[filtered["start"] >= since, columns],
            ]
        ),
        since,
    )
    st.caption(
        _(
            "Partners each nation stood on the same side with in the shown events starting "
            "from {month}, and in no event before it."
        ).format(month=first if is_english() else month_text(first))
    )
    if not fresh:
        st.caption(_("None: every pairing in these months happened before."))
        return
    table = new_partner_table(
        fresh, nation_names({*fresh, *(code for codes in fresh.values() for code in codes)})
    )
    st.dataframe(
        pd.DataFrame(
            {
                _("nation"): [label_of(code) for code in table["nation"]],
                _("new partners"): table["count"],
                _("who"): table["partners"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="new_partners",
    )
    # A toggle, not an expander: the section is an expander already, and they cannot nest.
    if (table["partners"] != table["every"]).any() and st.toggle(
        _("Every new partner, by nation"), key="every_partner"
    ):
        for code, every in zip(table["nation"], table["every"]):
            st.markdown(
                _("**{nation}**: {partners}").format(
                    nation=markdown_text(label_of(code)), partners=markdown_text(every)
                )
            )
