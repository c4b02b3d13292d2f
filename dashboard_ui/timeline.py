"""The timeline under the map: what the shown events add up to per month (or per day, for a
range of up to four months) and kind, and a drag across it that chooses the months."""

from __future__ import annotations

import streamlit as st

from layers.i18n import _, ngettext, number
from layers.measure import EVENTS, amount, count_words, missing_words
from layers.timeline import (
    BRUSH,
    DAY,
    MONTH,
    binned,
    brushed_months,
    days_offered,
    days_with_values,
    range_days,
    seven_day_mean,
    timeline_chart,
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
        st.session_state["days_on"] = False  # months chosen on the chart replace chosen days


def draw_timeline(
    shown_counts,
    months: list[str],
    first,
    last,
    totals=None,
    *,
    measure: str = EVENTS,
    per: str = MONTH,
    mean=None,
) -> None:
    """The timeline chart of `shown_counts` (month or day, kind, value) over `months` (the
    bins), the months from `first` to `last` chosen and `totals` (the whole data's, or None
    when everything is shown) faint behind; a drag across it chooses months
    (handle_timeline_brush). The files page and the shared store's page both draw it."""
    st.altair_chart(
        timeline_chart(
            shown_counts,
            months,
            (first, last),
            totals=totals,
            measure=measure,
            per=per,
            mean=mean,
        ),
        width="stretch",
        on_select="rerun",
        selection_mode=BRUSH,
        key="timeline",
    )
    st.caption(_("Drag across the timeline to choose months."))


def show_timeline(
    filtered,
    events,
    data: dict,
    first: str | None,
    last: str | None,
    measure: str = EVENTS,
    weights=None,
) -> None:
    """What the shown events add up to per month (or day) and kind, the months from `first` to
    `last` chosen. `weights` (layers.measure.measure_weights of every event; None for events)
    makes it add up the count `measure`."""
    st.subheader(_("Timeline"))
    if not data["months"]:
        return
    per = MONTH
    if days_offered(first, last):
        # Days when a count is chosen (daily activity is how such counts are read), months
        # for events; the analyst's choice holds while the range stays short.
        default = DAY if measure != EVENTS else MONTH
        per = st.segmented_control(
            _("Bars per"),
            options=[MONTH, DAY],
            format_func={MONTH: _("month"), DAY: _("day")}.get,
            default=default,
            required=True,
            key="timeline_per",
            help=_(
                "Up to four months can be drawn a bar per day, with the mean of the last "
                "7 days as a line."
            ),
        )
    # The timeline follows the filters; the whole data's bins stand faint behind.
    everything = len(filtered) == len(events)
    shown_weights = None if weights is None else weights.loc[filtered.index]
    bins = range_days(first, last) if per == DAY else data["months"]
    if per == MONTH and measure == EVENTS:
        # Counted once per data set (filters.event_summaries) when nothing is filtered out.
        values = data["monthly_counts"] if everything else binned(filtered, bins).values
        totals = None if everything else data["month_totals"]
        left_out = None
    else:
        shown = binned(filtered, bins, per, shown_weights)
        values = shown.values
        totals = None if everything else binned(events, bins, per, weights).totals(bins)
        left_out = shown
    mean = None
    if per == DAY:
        known = days_with_values(filtered, bins, shown_weights)
        mean = seven_day_mean(shown.totals(bins), known)
    draw_timeline(values, bins, first, last, totals, measure=measure, per=per, mean=mean)
    for line in timeline_notes(left_out, per, measure, shown_weights):
        st.caption(line)


def timeline_notes(shown, per: str, measure: str, weights) -> list[str]:
    """What the bars leave out, said: events that fit no single bin, and (for a count) the
    events that give none."""
    notes = []
    if per == DAY:
        what = _("events active each day") if measure == EVENTS else count_words(measure)
        note = _(
            "Bars per day: {what}, by kind; the line is the mean of the last 7 days that "
            "have a value (at least 4 of them)."
        ).format(what=what)
        if measure != EVENTS:
            note += _(" A day no event gives a count for has no bar and is not taken as 0.")
        notes.append(note)
    if shown is not None and shown.left_out:
        count = shown.left_out
        if measure == EVENTS:
            notes.append(
                ngettext(
                    "{count} event dated only to the month or year is not in the daily bars.",
                    "{count} events dated only to the month or year are not in the daily bars.",
                    count,
                ).format(count=number(count))
            )
        else:
            said = {
                "count": number(count),
                "what": count_words(measure),
                "amount": amount(shown.left_out_total, measure),
            }
            if per == DAY:
                line = ngettext(
                    "{count} event giving {what} spans more than one day ({amount}): not in "
                    "the bars, since a total is never split over days or months it does not "
                    "say.",
                    "{count} events giving {what} span more than one day ({amount}): not in "
                    "the bars, since a total is never split over days or months it does not "
                    "say.",
                    count,
                )
            else:
                line = ngettext(
                    "{count} event giving {what} spans more than one month ({amount}): not in "
                    "the bars, since a total is never split over days or months it does not "
                    "say.",
                    "{count} events giving {what} span more than one month ({amount}): not in "
                    "the bars, since a total is never split over days or months it does not "
                    "say.",
                    count,
                )
            notes.append(line.format(**said))
    if weights is not None:
        said = missing_words(int(weights.isna().sum()), measure)
        if said:
            notes.append(_("{said}: not in the bars, never counted as 0.").format(said=said))
    return notes
