"""What changed between two periods, and how activity in each area runs month by month.

Both count events by the named areas they are in (their zone tags, `layers.analysis.zones`):
an event tagged "possibly" in an area is counted apart, never silently in or out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.analysis.zones import IN, POSSIBLY
from layers.dates import month_bounds

NO_AREA = "(no named area)"


def in_months(events: pd.DataFrame, first: str, last: str) -> pd.Series:
    """True for the events whose [start, end] overlaps the months first…last ("YYYY-MM")."""
    start = np.datetime64(month_bounds(first)[0], "s")
    end = np.datetime64(month_bounds(last)[1], "s")
    return (events["end"].to_numpy() >= start) & (events["start"].to_numpy() <= end)


def area_kind_counts(events: pd.DataFrame, zones: pd.Series) -> pd.DataFrame:
    """Events per (area, kind): columns area, kind, events (tagged "in"), possibly."""
    rows = []
    for tags, kind in zip(zones.loc[events.index], events["kind"], strict=False):
        certain = [area for area, status in tags if status == IN]
        maybe = [area for area, status in tags if status == POSSIBLY]
        for area in certain or ([] if maybe else [NO_AREA]):
            rows.append((area, kind, 1, 0))
        for area in maybe:
            rows.append((area, kind, 0, 1))
    frame = pd.DataFrame(rows, columns=["area", "kind", "events", "possibly"])
    return frame.groupby(["area", "kind"], as_index=False).sum()


def compare_periods(
    events: pd.DataFrame, zones: pd.Series, period_a: tuple[str, str], period_b: tuple[str, str]
) -> pd.DataFrame:
    """Counts by area and kind in period A and period B (month ranges, "YYYY-MM" both ends
    included) and the change: columns area, kind, a, b, difference, change ("new", "gone",
    "more", "fewer", "same"). "possibly" tags are counted in a_possibly and b_possibly."""
    a = area_kind_counts(events[in_months(events, *period_a)], zones)
    b = area_kind_counts(events[in_months(events, *period_b)], zones)
    table = a.merge(b, on=["area", "kind"], how="outer", suffixes=("_a", "_b")).fillna(0)
    table = table.rename(
        columns={
            "events_a": "a",
            "events_b": "b",
            "possibly_a": "a_possibly",
            "possibly_b": "b_possibly",
        }
    )
    for column in ("a", "b", "a_possibly", "b_possibly"):
        table[column] = table[column].astype("int64")
    table["difference"] = table["b"] - table["a"]
    table["change"] = np.select(
        [
            (table["a"] == 0) & (table["b"] > 0),
            (table["a"] > 0) & (table["b"] == 0),
            table["difference"] > 0,
            table["difference"] < 0,
        ],
        ["new", "gone", "more", "fewer"],
        "same",
    )
    columns = ["area", "kind", "a", "b", "difference", "change", "a_possibly", "b_possibly"]
    return table[columns].sort_values(["area", "kind"], ignore_index=True)


def area_month_counts(events: pd.DataFrame, zones: pd.Series, months: list[str]) -> pd.DataFrame:
    """Events in each named area (tagged "in") active in each month: areas as rows, months as
    columns, in the given order."""
    # One (event position, area) pair per "in" tag, then a bincount per month: a loop over
    # every tag and month took seconds at 100k events.
    positions, names = [], []
    for position, tags in enumerate(zones.loc[events.index]):
        for area, status in tags:
            if status == IN:
                positions.append(position)
                names.append(area)
    areas = sorted(set(names))
    codes = pd.Categorical(names, categories=areas).codes.astype(np.int64)
    positions = np.asarray(positions, dtype=np.int64)
    table = pd.DataFrame(0, index=areas, columns=months, dtype="int64")
    for month in months:
        active = in_months(events, month, month)[positions]
        table[month] = np.bincount(codes[active], minlength=len(areas))
    return table
