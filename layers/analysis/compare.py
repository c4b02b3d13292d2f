"""What changed between two periods, and how activity in each area runs month by month.

Counts by named area use the events' zone tags (`layers.analysis.zones`): an event tagged
"possibly" in an area is counted apart, never silently in or out. The change map also counts
per grid cell, by each event's display point (as the map's clusters do).

With `weights` (layers.measure.measure_weights: a count per event, NaN for none), the tables
add up that count instead of counting events: an event that gives none is left out (never 0),
and an event's count is added in a month or period only when its whole period lies in it
(`within_months`), never split over the months it does not say (layers/measure.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.analysis.zones import IN, POSSIBLY
from layers.dates import month_bounds
from layers.i18n import N_

NO_AREA = N_("(no named area)")  # a key of the tables: translated where shown
# The change map's classes, from fewer to more (their index is the "shade" column). Doubling
# and halving are the thresholds: on a ratio scale twice as many and half as many are equally
# strong changes, so the scale diverges symmetrically around "same".
# (Keys of the tables, marked for the catalogue: translated where shown, `_(change)`.)
CHANGE_CLASSES = (
    N_("gone"),
    N_("half or fewer"),
    N_("fewer"),
    N_("same"),
    N_("more"),
    N_("twice or more"),
    N_("new"),
)


def in_months(events: pd.DataFrame, first: str, last: str) -> pd.Series:
    """True for the events whose [start, end] overlaps the months first…last ("YYYY-MM")."""
    start = np.datetime64(month_bounds(first)[0], "s")
    end = np.datetime64(month_bounds(last)[1], "s")
    return (events["end"].to_numpy() >= start) & (events["start"].to_numpy() <= end)


def within_months(events: pd.DataFrame, first: str, last: str) -> np.ndarray:
    """True for the events whose whole [start, end] lies in the months first…last: where a
    count they give is added (an event crossing the edge is not split)."""
    start = np.datetime64(month_bounds(first)[0], "D")
    end = np.datetime64(month_bounds(last)[1], "D")
    starts = events["start"].to_numpy().astype("datetime64[D]")
    ends = events["end"].to_numpy().astype("datetime64[D]")
    return (starts >= start) & (ends <= end)


def in_period(
    events: pd.DataFrame, first: str, last: str, weights: pd.Series | None = None
) -> np.ndarray:
    """The events a period (months first…last) counts: those active in it (in_months) for
    the events measure; for a count (`weights`), those giving it whose whole period lies in
    it (within_months)."""
    if weights is None:
        return in_months(events, first, last)
    given = weights.reindex(events.index).notna().to_numpy()
    return given & within_months(events, first, last)


def crossing_period(
    events: pd.DataFrame, first: str, last: str, weights: pd.Series | None
) -> tuple[int, int]:
    """(how many events, what count) a count leaves out of the period first…last: events
    giving it that were active in it without lying wholly inside. (0, 0) for events."""
    if weights is None:
        return 0, 0
    values = weights.reindex(events.index).to_numpy("float64")
    crossing = in_months(events, first, last) & ~within_months(events, first, last)
    crossing &= ~np.isnan(values)
    return int(crossing.sum()), int(values[crossing].sum())


def area_kind_counts(
    events: pd.DataFrame, zones: pd.Series, weights: pd.Series | None = None
) -> pd.DataFrame:
    """Events per (area, kind): columns area, kind, events (tagged "in"), possibly. With
    `weights`, each event adds its count instead of 1, and an event giving none is left out."""
    values = None if weights is None else weights.reindex(events.index).to_numpy("float64")
    rows = []
    for position, (tags, kind) in enumerate(
        zip(zones.loc[events.index], events["kind"], strict=False)
    ):
        weight = 1 if values is None else values[position]
        if values is not None and np.isnan(weight):
            continue
        certain = [area for area, status in tags if status == IN]
        maybe = [area for area, status in tags if status == POSSIBLY]
        for area in certain or ([] if maybe else [NO_AREA]):
            rows.append((area, kind, weight, 0))
        for area in maybe:
            rows.append((area, kind, 0, weight))
    frame = pd.DataFrame(rows, columns=["area", "kind", "events", "possibly"])
    frame = frame.groupby(["area", "kind"], as_index=False).sum()
    return (
        frame.astype({"events": "float64", "possibly": "float64"})
        .round()
        .astype({"events": "int64", "possibly": "int64"})
    )


def compare_periods(
    events: pd.DataFrame,
    zones: pd.Series,
    period_a: tuple[str, str],
    period_b: tuple[str, str],
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Counts by area and kind in period A and period B (month ranges, "YYYY-MM" both ends
    included) and the change: columns area, kind, a, b, difference, change ("new", "gone",
    "more", "fewer", "same"). "possibly" tags are counted in a_possibly and b_possibly. With
    `weights` (a count per event, NaN for none) the count is added up instead (in_period)."""
    a = area_kind_counts(events[in_period(events, *period_a, weights)], zones, weights)
    b = area_kind_counts(events[in_period(events, *period_b, weights)], zones, weights)
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
    table["change"] = change_labels(table["a"].to_numpy(), table["b"].to_numpy())
    columns = ["area", "kind", "a", "b", "difference", "change", "a_possibly", "b_possibly"]
    return table[columns].sort_values(["area", "kind"], ignore_index=True)


def area_month_counts(
    events: pd.DataFrame,
    zones: pd.Series,
    months: list[str],
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Events in each named area (tagged "in") active in each month: areas as rows, months as
    columns, in the given order. With `weights` (a count per event, NaN for none), each cell
    adds up the count of the events giving it whose whole period lies in that month."""
    # One (event position, area) pair per "in" tag, then a bincount per month: a loop over
    # every tag and month took seconds at 100k events.
    values = None if weights is None else weights.reindex(events.index).to_numpy("float64")
    positions, names = [], []
    for position, tags in enumerate(zones.loc[events.index]):
        if values is not None and np.isnan(values[position]):
            continue
        for area, status in tags:
            if status == IN:
                positions.append(position)
                names.append(area)
    areas = sorted(set(names))
    codes = pd.Categorical(names, categories=areas).codes.astype(np.int64)
    positions = np.asarray(positions, dtype=np.int64)
    table = pd.DataFrame(0, index=areas, columns=months, dtype="int64")
    for month in months:
        if values is None:
            active = in_months(events, month, month)[positions]
            table[month] = np.bincount(codes[active], minlength=len(areas))
            continue
        inside = within_months(events, month, month)[positions]
        sums = np.bincount(codes[inside], weights=values[positions][inside], minlength=len(areas))
        table[month] = np.round(sums).astype("int64")
    return table


def period_text(period: tuple[str, str]) -> str:
    """A month range as the link writes it: "2024-05..2024-07", or "2024-07" for one month."""
    first, last = period
    return first if first == last else f"{first}..{last}"


def change_labels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair of counts (A, B): "new" (only in B), "gone" (only in A), "more", "fewer" or
    "same"."""
    a, b = np.asarray(a), np.asarray(b)
    return np.select(
        [(a == 0) & (b > 0), (a > 0) & (b == 0), b > a, b < a],
        ["new", "gone", "more", "fewer"],
        "same",
    )


def change_shades(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair of counts (A, B), the index of its class in CHANGE_CLASSES: new and gone as
    change_labels, "twice or more" when B >= 2A, "half or fewer" when 2B <= A."""
    a, b = np.asarray(a, dtype="int64"), np.asarray(b, dtype="int64")
    shade = np.select(
        [(a == 0) & (b > 0), (a > 0) & (b == 0), b == a, b >= 2 * a, b > a, 2 * b <= a],
        [6, 0, 3, 5, 4, 1],
        2,
    )
    return shade.astype("int64")


def _with_change(table: pd.DataFrame) -> pd.DataFrame:
    a, b = table["a"].to_numpy(), table["b"].to_numpy()
    return table.assign(
        difference=b - a, change=change_labels(a, b), shade=change_shades(a, b)
    ).reset_index(drop=True)


def area_changes(tags: pd.DataFrame, events_a: pd.Index, events_b: pd.Index) -> pd.DataFrame:
    """Events per named area in period A and in period B, and the change.

    `tags` is one row per (event, zone tag), indexed by event label, with columns area and
    status (`layers.filters.zone_rows`); `events_a` and `events_b` are the labels of each
    period's events (an event active in both counts in both). Returns columns area, a, b,
    a_possibly, b_possibly, difference, change (change_labels), shade (change_shades), one row
    per area with an event in either period (tagged "in" or "possibly"), sorted by area id,
    then a row NO_AREA for the events with no tag at all, as compare_periods counts them.
    """
    # Area codes and numpy counts: pandas' value_counts per period and status cost 60 ms per
    # map update at 100k events, and the change map recounts on every pan.
    # (pandas' own factorize and eq: the columns are arrow strings, slow to turn into numpy)
    codes, names = pd.factorize(tags["area"], sort=True)
    tagged = {status: tags["status"].eq(status).to_numpy() for status in (IN, POSSIBLY)}
    columns = {"area": np.asarray(names, dtype=object)}
    for name, labels in (("a", events_a), ("b", events_b)):
        member = tags.index.isin(labels)
        for suffix, wanted in (("", IN), ("_possibly", POSSIBLY)):
            chosen = codes[member & tagged[wanted]]
            columns[name + suffix] = np.bincount(chosen, minlength=len(names))
    table = pd.DataFrame(columns)
    counted = table[["a", "b", "a_possibly", "b_possibly"]].sum(axis=1) > 0
    untagged = {
        "area": NO_AREA,
        "a": int((~events_a.isin(tags.index)).sum()),
        "b": int((~events_b.isin(tags.index)).sum()),
        "a_possibly": 0,
        "b_possibly": 0,
    }
    table = pd.concat([table[counted.to_numpy()], pd.DataFrame([untagged])], ignore_index=True)
    return _with_change(table.astype({column: "int64" for column in table.columns[1:]}))


def cell_changes(
    points_a: pd.DataFrame, points_b: pd.DataFrame, cell_degrees: float
) -> pd.DataFrame:
    """Events per grid cell in period A and in period B, and the change.

    `points_a` and `points_b` hold each period's events as x (longitude) and y (latitude),
    degrees; cells are `cell_degrees` square and aligned to the world grid (cell (cx, cy)
    spans x from cx * cell_degrees to (cx + 1) * cell_degrees), as the map's clusters are, so a
    cell holds the same events wherever the map is panned. Returns columns cx, cy, a, b,
    difference, change, shade (as area_changes), one row per cell with an event in either
    period, sorted by cx then cy.
    """
    # One int64 key per (period, cell), ordered (period, cx, cy), counted by numpy as in
    # layers.aggregate.clusters.
    shift = 1 << 21
    keys = []
    for period, points in enumerate((points_a, points_b)):
        cx = np.floor(points["x"].to_numpy() / cell_degrees).astype("int64") + shift // 2
        cy = np.floor(points["y"].to_numpy() / cell_degrees).astype("int64") + shift // 2
        keys.append(cx * shift + cy + period * shift * shift)
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    cells, where = np.unique(unique % (shift * shift), return_inverse=True)
    per_period = np.zeros((len(cells), 2), dtype="int64")
    per_period[where.ravel(), unique // (shift * shift)] = counts
    table = pd.DataFrame(
        {
            "cx": cells // shift - shift // 2,
            "cy": cells % shift - shift // 2,
            "a": per_period[:, 0],
            "b": per_period[:, 1],
        }
    )
    return _with_change(table)
