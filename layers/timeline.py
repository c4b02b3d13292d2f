"""The timeline: what the shown events add up to per month (or per day, for a short range),
stacked by kind, with the chosen months marked.

It adds up the view's measure (layers/measure.py): events active in each month or day, or a
count (aircraft, ships…) in the month or day that holds the whole period of the event giving
it. Days are offered when the months chosen hold at most DAY_RANGE_LIMIT days, as analysts
chart daily activity around Taiwan: a bar per day and a line of the 7-day mean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from layers.dates import month_bounds
from layers.i18n import _
from layers.measure import EVENTS, count_words
from layers.read.schema import KIND_COLOURS, KIND_LABELS, KINDS

BRUSH = "brush"
MONTH, DAY = "month", "day"
# The longest range drawn a bar per day: four months of bars stay a few pixels wide each.
DAY_RANGE_LIMIT = 123
# The 7-day mean of a day: the mean of that day and the six before it that have a value, when
# at least this many do (a mean of one or two reports in a week would read as a trend).
MEAN_DAYS = 7
MEAN_MIN_DAYS = 4


def range_days(first: str, last: str) -> list[str]:
    """Every day ("YYYY-MM-DD") of the months `first` to `last` ("YYYY-MM"), both included."""
    start = month_bounds(first)[0]
    end = month_bounds(last)[1]
    return [(start + dt.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def days_offered(first: str | None, last: str | None) -> bool:
    """True when the months chosen are few enough to draw a bar per day (DAY_RANGE_LIMIT)."""
    if not first or not last:
        return False
    return (month_bounds(last)[1] - month_bounds(first)[0]).days + 1 <= DAY_RANGE_LIMIT


@dataclass(frozen=True)
class Binned:
    """What a timeline draws for some events: `values` (columns month or day, kind, value:
    each bin's total by kind, bins with nothing left out), and the events that add to the
    measure but fit no single bin, so they are not in the bars: `left_out` of them, giving
    `left_out_total` of the count (0 for the events measure)."""

    per: str
    values: pd.DataFrame
    left_out: int = 0
    left_out_total: int = 0

    def totals(self, bins: list[str]) -> dict[str, float]:
        """Each bin's total over the kinds (0 for a bin with nothing)."""
        sums = self.values.groupby(self.per)["value"].sum()
        return {label: float(sums.get(label, 0.0)) for label in bins}


def binned(
    events: pd.DataFrame,
    bins: list[str],
    per: str = MONTH,
    weights: pd.Series | None = None,
) -> Binned:
    """What `events` add up to in each of `bins` (consecutive months "YYYY-MM" with per
    MONTH, days "YYYY-MM-DD" with per DAY), by kind.

    The events measure (`weights` None) counts each event in every bin it was active in; per
    day, only events dated to the day (a "2024-07" event was active some day of July, not
    every day): the others are left out and said. A count (`weights`: layers.measure
    measure_weights, NaN for no count) is added in the bin that holds the event's whole
    period; an event giving it whose period crosses a bin's edge is left out and said, never
    split over the bins (that would invent how the count was spread).
    """
    column = per
    empty = pd.DataFrame({column: pd.Series(dtype=str), "kind": [], "value": []})
    if not bins or events.empty:
        return Binned(per, empty)
    starts = events["start"].to_numpy().astype("datetime64[D]")
    ends = events["end"].to_numpy().astype("datetime64[D]")
    edges = _bin_edges(bins, per)  # first day of each bin, and the day after the last
    first, after = edges[0], edges[-1]
    kinds = pd.Categorical(events["kind"], categories=list(KINDS))
    codes = kinds.codes.astype("int64")
    values = None if weights is None else weights.reindex(events.index).to_numpy("float64")
    if values is None and per == MONTH:
        table = _active_per_bin(starts, ends, codes, edges, np.ones(len(events), dtype=bool))
        return Binned(per, _long(table, bins, column))
    active = (starts < after) & (ends >= first)
    if values is None:  # events per day: those dated to the day, on each day they were active
        by_day = _dated_to_day(events)
        table = _active_per_bin(starts, ends, codes, edges, by_day)
        return Binned(per, _long(table, bins, column), int((active & ~by_day).sum()), 0)
    given = ~np.isnan(values)
    start_bin = np.searchsorted(edges, starts, side="right") - 1
    end_bin = np.searchsorted(edges, ends, side="right") - 1
    placed = given & (start_bin == end_bin) & (starts >= first) & (ends < after)
    table = np.zeros((len(bins), len(KINDS)))
    np.add.at(table, (start_bin[placed], codes[placed]), values[placed])
    crossing = given & active & ~placed
    return Binned(
        per,
        _long(table, bins, column),
        int(crossing.sum()),
        int(values[crossing].sum()),
    )


def seven_day_mean(totals: dict[str, float], has_value: dict[str, bool]) -> dict[str, float]:
    """Each day's mean over the 7 days ending on it (`totals` in day order), of the days that
    have a value (`has_value`), when at least MEAN_MIN_DAYS of them do. A day with no value is
    not taken as 0: with a count, a day no event gave is unknown, not quiet."""
    days = list(totals)
    value = np.array([totals[day] for day in days], dtype="float64")
    known = np.array([has_value.get(day, False) for day in days])
    means = {}
    for position, day in enumerate(days):
        window = slice(max(position - MEAN_DAYS + 1, 0), position + 1)
        if known[window].sum() >= MEAN_MIN_DAYS:
            means[day] = float(value[window][known[window]].mean())
    return means


def days_with_values(
    events: pd.DataFrame, days: list[str], weights: pd.Series | None
) -> dict[str, bool]:
    """Which days have a value: every day for the events measure (a day with no event had
    none: 0); for a count, the days of an event that gives it and lies within the day."""
    if weights is None:
        return dict.fromkeys(days, True)
    values = weights.reindex(events.index).to_numpy("float64")
    starts = events["start"].to_numpy().astype("datetime64[D]")
    ends = events["end"].to_numpy().astype("datetime64[D]")
    same = (starts == ends) & ~np.isnan(values)
    dated = {str(day) for day in starts[same]}
    return {day: day in dated for day in days}


def _bin_edges(bins: list[str], per: str) -> np.ndarray:
    """The first day of each bin and the day after the last, as datetime64[D]."""
    if per == DAY:
        first = np.datetime64(bins[0], "D")
        return first + np.arange(len(bins) + 1).astype("timedelta64[D]")
    firsts = [np.datetime64(month_bounds(month)[0], "D") for month in bins]
    return np.array([*firsts, np.datetime64(month_bounds(bins[-1])[1], "D") + 1])


def _active_per_bin(starts, ends, codes, edges, keep) -> np.ndarray:
    """Events (those `keep` says) active in each bin, by kind: (bins, kinds) counts, from the
    bins each event's [start, end] touches (a difference array, summed along the bins)."""
    bins = len(edges) - 1
    first_bin = np.searchsorted(edges, starts, side="right") - 1
    last_bin = np.searchsorted(edges, ends, side="right") - 1
    touching = keep & (last_bin >= 0) & (first_bin < bins)
    steps = np.zeros((bins + 1, len(KINDS)))
    np.add.at(steps, (np.clip(first_bin[touching], 0, bins), codes[touching]), 1.0)
    np.add.at(steps, (np.clip(last_bin[touching], -1, bins - 1) + 1, codes[touching]), -1.0)
    return np.cumsum(steps, axis=0)[:bins]


def _dated_to_day(events: pd.DataFrame) -> np.ndarray:
    """True for events whose dates are written to the day (start, and end when given)."""
    start_text = events["start_text"].astype(str).str.len().to_numpy() >= 10
    end_text = events["end_text"].astype(str).str.len().to_numpy()
    return start_text & ((end_text == 0) | (end_text >= 10))


def _long(table: np.ndarray, bins: list[str], column: str) -> pd.DataFrame:
    """A (bins, kinds) table as rows (bin, kind, value), zero cells left out, the kinds of a
    bin largest first (as the chart stacks them)."""
    rows = []
    for position, label in enumerate(bins):
        cells = [(KINDS[code], float(table[position, code])) for code in range(len(KINDS))]
        rows += [
            {column: label, "kind": kind, "value": value}
            for kind, value in sorted(cells, key=lambda cell: -cell[1])
            if value
        ]
    return pd.DataFrame(rows, columns=[column, "kind", "value"])


# The chart's height, px, and what its legend needs: Vega-Lite's symbol legend rows and title.
CHART_HEIGHT_PX = 160
LEGEND_ROW_PX = 18
LEGEND_TITLE_PX = 30


def timeline_chart(
    counts: pd.DataFrame,
    months: list[str],
    chosen: tuple[str, str],
    totals: dict[str, float] | None = None,
    *,
    measure: str = EVENTS,
    per: str = MONTH,
    mean: dict[str, float] | None = None,
) -> alt.Chart:
    """A stacked bar per bin over `months` (the bins: months "YYYY-MM", or days with per
    DAY); bins outside `chosen` (first, last month) are faded.

    `counts` has the columns month (or day), kind and value (or events, as
    filters.monthly_counts gives them): what the shown events add up to. `totals`, when the
    filters leave events out, is every event's total per bin: drawn as a faint grey bar behind,
    so the shown share reads against the whole. `mean` (days: the 7-day mean) is drawn as a
    line. Dragging across the chart selects bins (a selection named BRUSH; see
    `brushed_months`). `measure` names what is added up in the axis and the tooltips.
    """
    first, last = chosen
    column = DAY if per == DAY else MONTH
    data = counts.rename(columns={"events": "value"})
    words = count_words(measure)
    data = data.assign(
        kind_label=data["kind"].map(KIND_LABELS),
        chosen=data[column].str[:7].between(first, last),
    )
    axis = alt.Axis()
    if per == DAY:
        # A label a week (the 1st, 8th, 15th and 22nd), as "07-18": 120 would overlap.
        marks = [day for day in months if day[8:] in ("01", "08", "15", "22")]
        axis = alt.Axis(values=marks, labelExpr="slice(datum.value, 5)", labelAngle=-45)
    x = alt.X(f"{column}:O", sort=months, scale=alt.Scale(domain=months), title=None, axis=axis)
    # The legend names the kinds the bars hold, each in its fixed colour: listing every kind
    # (eleven since the navigational warnings' four) overflowed the chart's height at 1366 px
    # and named kinds no bar has.
    present = set(data["kind"])
    kinds = [kind for kind in KINDS if kind in present] or list(KINDS[:1])
    height = max(CHART_HEIGHT_PX, LEGEND_ROW_PX * len(kinds) + LEGEND_TITLE_PX)
    if measure != EVENTS:
        title = words
    else:
        title = _("events active per day") if per == DAY else _("events active")
    kind_title = _("kind")
    bin_word = _("day") if per == DAY else _("month")
    # The bin's own name in the tooltip ("month", "day"): the field's name in English.
    bin_tooltip = alt.Tooltip(f"{column}:O", title=bin_word)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("value:Q", stack="zero", title=title),
            color=alt.Color(
                "kind_label:N",
                title=kind_title,
                scale=alt.Scale(
                    domain=[KIND_LABELS[kind] for kind in kinds],
                    range=[KIND_COLOURS[kind] for kind in kinds],
                ),
            ),
            opacity=alt.condition("datum.chosen", alt.value(1.0), alt.value(0.25)),
            tooltip=[
                bin_tooltip,
                alt.Tooltip("kind_label:N", title=kind_title),
                alt.Tooltip("value:Q", title=_("{what} shown").format(what=words), format=",.0f"),
            ],
        )
        .add_params(alt.selection_interval(name=BRUSH, encodings=["x"]))
    )
    layers = []
    if totals is not None:
        whole = pd.DataFrame({column: list(totals), "value": list(totals.values())})
        layers.append(
            alt.Chart(whole)
            .mark_bar(color="#d9d9d9")
            .encode(
                x=x,
                y=alt.Y("value:Q"),
                tooltip=[
                    bin_tooltip,
                    alt.Tooltip("value:Q", title=_("all {what}").format(what=words), format=",.0f"),
                ],
            )
        )
    layers.append(bars)
    if mean:
        line = pd.DataFrame({column: list(mean), "mean": list(mean.values())})
        layers.append(
            alt.Chart(line)
            .mark_line(color="#222222", strokeWidth=2)
            .encode(
                x=x,
                y=alt.Y("mean:Q"),
                tooltip=[
                    bin_tooltip,
                    alt.Tooltip(
                        "mean:Q",
                        title=_("7-day mean of {what}").format(what=words),
                        format=",.1f",
                    ),
                ],
            )
        )
    if len(layers) == 1:
        return bars.properties(height=height)
    return alt.layer(*layers).properties(height=height)


def brushed_months(selection: dict | None) -> tuple[str, str] | None:
    """The (first, last) month a drag on the timeline selected, from Streamlit's selection
    (a drag across days selects the months they fall in)."""
    chosen = (selection or {}).get(BRUSH) or {}
    values = chosen.get("month") or [str(day)[:7] for day in chosen.get("day") or ()]
    if not values:
        return None
    months = sorted(str(value) for value in values)
    return months[0], months[-1]
