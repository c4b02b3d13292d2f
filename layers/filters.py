"""Which events a view shows: pure functions of the events table and a View."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.analysis.coalitions import nation_sets
from layers.dates import month_bounds, month_key, month_span
from layers.i18n import _, ngettext, number
from layers.measure import EVENTS, amount, count_table
from layers.view import View


def data_months(events: gpd.GeoDataFrame) -> list[str]:
    """Every month from the first event's start to the last event's end, in order."""
    if events.empty:
        return []
    first = month_key(events["start"].min().date())
    last = month_key(events["end"].max().date())
    return month_span(first, last)


def month_range(view: View, months: list[str]) -> tuple[str | None, str | None]:
    """The (first, last) month a view covers: its own, or the data's when it names none."""
    first = view.start or (months[0] if months else None)
    last = view.end or (months[-1] if months else None)
    return first, last


def compare_default(chosen: tuple[str, str], months: list[str]) -> tuple[str, str] | None:
    """The period (first, last month) that *Compare with another period* starts with for the
    months `chosen` (period B) in the data's `months` (every month of its span, in order):
    as many months, just before B, so that A and B do not overlap and the change reads as
    "since the period before" (2024-05..2024-07 gives 2024-02..2024-04). Cut at the data's
    first month when the data start later; when B starts at the data's first month, the same
    length just after B instead; when B is every month, B itself (then nothing else is left
    to compare with). None with no months, or when `chosen` is not in them.
    """
    first, last = chosen
    if first not in months or last not in months:
        return None
    start, end = months.index(first), months.index(last)
    length = end - start + 1
    if start > 0:
        return months[max(start - length, 0)], months[start - 1]
    if end < len(months) - 1:
        return months[end + 1], months[min(end + length, len(months) - 1)]
    return first, last


def nation_rows(events: gpd.GeoDataFrame) -> pd.Series:
    """One row per (event, nation), indexed by event: prepared once, it makes nation filters
    a vectorised lookup."""
    return events["nations"].explode()


def zone_rows(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per (event, zone tag), indexed by event, with columns area and status: the
    events' "zones" column (tuples of (area id, status), see analysis.zones) prepared once."""
    if "zones" not in events.columns:
        return pd.DataFrame({"area": [], "status": []}, index=events.index[:0])
    tags = events["zones"].explode().dropna()
    if tags.empty:
        return pd.DataFrame({"area": [], "status": []}, index=tags.index)
    return pd.DataFrame(tags.tolist(), index=tags.index, columns=["area", "status"])


def zone_areas(zones: pd.DataFrame) -> list[str]:
    """The areas that tag any event (in or possibly), in the order first met."""
    return list(zones["area"].unique())  # in the order first met


def filter_events(
    events: gpd.GeoDataFrame,
    view: View,
    nations: pd.Series | None = None,
    zones: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The events a view shows, in the order of `events` (the loader sorts them by start).

    An event is in the month range (or the days, when the view names days) when its
    [start, end] overlaps it, so a June–December deployment shows in September. Nations match
    when the event has any (or, with match="all", every one) of the view's nations. `nations`
    is `nation_rows(events)`, computed here when not given. Zones keep the events tagged "in"
    any of the view's zones (or "possibly" in one, with view.possibly); `zones` is
    `zone_rows(events)`.
    """
    keep = pd.Series(True, index=events.index)
    first_day, last_day = view.day_range()
    if first_day:
        keep &= events["end"] >= pd.Timestamp(first_day)
    if last_day:
        keep &= events["start"] <= pd.Timestamp(last_day)
    if view.kinds:
        keep &= events["kind"].isin(view.kinds)
    if view.nations:
        listed = nations if nations is not None else nation_rows(events)
        hits = listed[listed.isin(view.nations)].groupby(level=0).nunique()
        needed = len(set(view.nations)) if view.match == "all" else 1
        keep &= pd.Series(events.index.isin(hits.index[hits >= needed]), index=events.index)
    if view.zones:
        tags = zones if zones is not None else zone_rows(events)
        hit = tags["area"].isin(view.zones)
        if not view.possibly:
            hit &= tags["status"].eq("in")
        keep &= pd.Series(events.index.isin(tags.index[hit.to_numpy()]), index=events.index)
    return events if keep.all() else events[keep.to_numpy()]


def events_by_month(events: gpd.GeoDataFrame, months: list[str]) -> dict[str, pd.Index]:
    """For each month, the index labels of the events active during it.

    An event spanning several months is in each of them, so toggling a month on the map shows
    everything that was happening then.
    """
    # Plain numpy comparisons: pandas' per-operation overhead, times two per month, was a
    # good part of a map update.
    starts, ends = events["start"].to_numpy(), events["end"].to_numpy()
    result = {}
    for month in months:
        first, last = (np.datetime64(day, "s") for day in month_bounds(month))
        result[month] = events.index[(starts <= last) & (ends >= first)]
    return result


def monthly_counts(events: gpd.GeoDataFrame, months: list[str]) -> pd.DataFrame:
    """Events active in each month, by kind: the timeline's data (month, kind, events)."""
    kinds = pd.Categorical(events["kind"])
    codes, names = kinds.codes, list(kinds.categories)
    starts, ends = events["start"].to_numpy(), events["end"].to_numpy()
    rows = []
    # numpy per month, not pandas: a data set spanning decades has hundreds of months.
    for month in months:
        first, last = (np.datetime64(day, "s") for day in month_bounds(month))
        counts = np.bincount(codes[(starts <= last) & (ends >= first)], minlength=len(names))
        rows += [
            {"month": month, "kind": names[code], "events": int(n)}
            for code, n in sorted(enumerate(counts), key=lambda pair: -pair[1])
            if n
        ]
    return pd.DataFrame(rows, columns=["month", "kind", "events"])


def month_totals(events: gpd.GeoDataFrame, months: list[str]) -> dict[str, int]:
    """Events active in each month, all kinds together; a quiet month is there with 0."""
    counts = monthly_counts(events, months).groupby("month")["events"].sum()
    return {month: int(counts.get(month, 0)) for month in months}


def event_summaries(events) -> dict:
    """What the sidebar, timeline and filters derive from the whole events table, once."""
    months = data_months(events)
    nations = nation_rows(events)
    zones = zone_rows(events)
    counts = count_table(events)
    return {
        "months": months,
        "monthly_counts": monthly_counts(events, months),
        "month_totals": month_totals(events, months),
        "nation_rows": nations,
        "nations_present": sorted(nations.dropna().unique()),
        "zone_rows": zones,
        "nation_sets": nation_sets(events),
        "zone_areas": zone_areas(zones),
        # The events' counts by name (layers.measure): the measures the sidebar offers.
        "count_table": counts,
        "count_names": list(counts.columns),
    }


def range_summary(chosen: tuple[str, str], totals: dict[str, int]) -> str:
    """ "3 months, 2 with no events": how many months the range `chosen` (first, last month,
    both included) holds, and how many of them had no event active (`totals`: month_totals)."""
    first, last = chosen
    inside = [count for month, count in totals.items() if first <= month <= last]
    quiet = sum(count == 0 for count in inside)
    text = ngettext("{count} month", "{count} months", len(inside)).format(
        count=number(len(inside))
    )
    return text + (_(", {count} with no events").format(count=number(quiet)) if quiet else "")


def empty_view_hints(
    events: gpd.GeoDataFrame,
    view: View,
    nations: pd.Series | None = None,
    zones: pd.DataFrame | None = None,
    area_names: dict[str, str] | None = None,
) -> list[str]:
    """Why a view shows no event: the changes to its filters that would each bring some back.

    Each of the view's filters is relaxed alone, the others kept, and every relaxation that
    shows events is said with its count, in the order an analyst would try them: "include
    possibly" (events whose uncertainty circle only reaches the zone), no zone filter, any of
    the nations rather than all, no nation filter, no kind filter, every month. So a zone
    filter that empties a view says "tick include possibly: 1 event possibly in Senkaku
    territorial sea", never "widen the months" when the months are not the cause. An empty
    list: no single filter is the cause (two or more must be relaxed, or there are no events).

    Returns lines such as "clear the zones (5 events)". `nations` and `zones` are
    `nation_rows(events)` and `zone_rows(events)`; `area_names` maps area ids to names (an id
    without one stands for itself).
    """
    names = area_names or {}
    # Each relaxation's words, with {events} where its count of events goes; the area names
    # are data, given as a value (never part of the template), so braces in them are safe.
    zone_words = _(" or ").join(names.get(area, area) for area in view.zones)
    trials: list[tuple[View, str]] = []
    if view.zones and not view.possibly:
        trials.append(
            (
                replace(view, possibly=True),
                _("tick include possibly ({events} possibly in {zones})"),
            )
        )
    if view.zones:
        trials.append((replace(view, zones=(), possibly=False), _("clear the zones ({events})")))
    if view.nations and view.match == "all" and len(set(view.nations)) > 1:
        trials.append(
            (replace(view, match="any"), _("match any of the nations, not all ({events})"))
        )
    if view.nations:
        trials.append((replace(view, nations=()), _("clear the nations ({events})")))
    if view.kinds:
        trials.append((replace(view, kinds=()), _("clear the kinds ({events})")))
    if view.start_day or view.end_day or view.start or view.end:
        every_month = replace(view, start=None, end=None, start_day=None, end_day=None)
        trials.append((every_month, _("show every month ({events})")))
    hints = []
    for relaxed, words in trials:
        count = len(filter_events(events, relaxed, nations, zones))
        if count:
            hints.append(words.format(events=amount(count, EVENTS), zones=zone_words))
    return hints
