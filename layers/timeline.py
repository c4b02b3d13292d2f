"""The timeline: events active per month, stacked by kind, with the chosen months marked."""

from __future__ import annotations

import altair as alt
import pandas as pd

from layers.read.schema import KIND_COLOURS, KIND_LABELS, KINDS

BRUSH = "brush"


def timeline_chart(
    counts: pd.DataFrame,
    months: list[str],
    chosen: tuple[str, str],
    totals: dict[str, int] | None = None,
) -> alt.Chart:
    """A stacked bar per month over the whole data span; months outside `chosen` are faded.

    `counts` is `filters.monthly_counts` output (month, kind, events) for the shown events.
    `totals`, when the filters leave events out, is every event's count per month
    (`filters.month_totals`): drawn as a faint grey bar behind, so the shown share reads
    against the whole. Dragging across the chart selects months (a selection named BRUSH;
    see `brushed_months`).
    """
    first, last = chosen
    data = counts.assign(
        kind_label=counts["kind"].map(KIND_LABELS),
        chosen=counts["month"].between(first, last),
    )
    x = alt.X("month:O", sort=months, scale=alt.Scale(domain=months), title=None)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("events:Q", stack="zero", title="events active"),
            color=alt.Color(
                "kind_label:N",
                title="kind",
                scale=alt.Scale(
                    domain=[KIND_LABELS[kind] for kind in KINDS],
                    range=[KIND_COLOURS[kind] for kind in KINDS],
                ),
            ),
            opacity=alt.condition("datum.chosen", alt.value(1.0), alt.value(0.25)),
            tooltip=[
                alt.Tooltip("month:O"),
                alt.Tooltip("kind_label:N", title="kind"),
                alt.Tooltip("events:Q", title="events shown"),
            ],
        )
        .add_params(alt.selection_interval(name=BRUSH, encodings=["x"]))
    )
    if totals is not None:
        whole = pd.DataFrame({"month": list(totals), "events": list(totals.values())})
        behind = (
            alt.Chart(whole)
            .mark_bar(color="#d9d9d9")
            .encode(
                x=x,
                y=alt.Y("events:Q"),
                tooltip=[alt.Tooltip("month:O"), alt.Tooltip("events:Q", title="all events")],
            )
        )
        return alt.layer(behind, bars).properties(height=160)
    return bars.properties(height=160)


def brushed_months(selection: dict | None) -> tuple[str, str] | None:
    """The (first, last) month a drag on the timeline selected, from Streamlit's selection."""
    values = ((selection or {}).get(BRUSH) or {}).get("month")
    if not values:
        return None
    months = sorted(str(value) for value in values)
    return months[0], months[-1]
