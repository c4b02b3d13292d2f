"""Who works with whom: how often nations take part in the same events.

`nation_matrix(events)` counts, for every pair of nations, the events both took part in (the
diagonal: each nation's events), ordered so that nations that work together sit together.
`new_partners(events, since)` names, per nation, the partners it had in events from `since` on
and never before.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd


def nation_sets(events: pd.DataFrame) -> pd.Series:
    """Each event's set of nations as a sorted tuple, categorical (same index): prepared once at
    load, it spares nation_matrix building 100k tuples on every filter change."""
    keys = [tuple(sorted(set(codes))) for codes in events["nations"]]
    return pd.Series(pd.Categorical(keys), index=events.index)


def nation_matrix(
    events: pd.DataFrame, sets: pd.Series | None = None, weights: pd.Series | None = None
) -> pd.DataFrame:
    """A square DataFrame of co-participation counts, index and columns the nations (ISO
    3166-1 alpha-3) in coalition order; cell (A, B) is the number of events with both A and B,
    cell (A, A) the number of events with A. With `weights` (layers.measure: a count per
    event, NaN for none), a cell adds up the count of those events instead; an event giving
    none is left out (never 0).

    The order is a spectral seriation: nations sorted by the Fiedler vector of the
    co-participation graph's Laplacian (Atkins, Boman and Hendrickson, "A spectral algorithm
    for seriation and the consecutive ones problem", SIAM J. Computing 28, 1998), so dense
    blocks (coalitions) lie along the diagonal. Ties and separate groups fall back to totals.
    `sets` is `nation_sets` of a table holding these events, computed here when not given.
    """
    # Counted once per distinct set of nations, weighted by how many events share it: the
    # loop over every event took 1.2 s at 100k, too slow for a filter change.
    chosen = nation_sets(events) if sets is None else sets.loc[events.index]
    if weights is None:
        groups = chosen.value_counts()
    else:
        values = weights.reindex(events.index)
        given = values.notna().to_numpy()
        groups = values[given].groupby(chosen[given], observed=True).sum().round()
    groups = groups[groups > 0]
    nations = sorted({code for group in groups.index for code in group})
    position = {code: index for index, code in enumerate(nations)}
    counts = np.zeros((len(nations), len(nations)), dtype=np.int64)
    for group, weight in groups.items():
        places = [position[code] for code in group]
        counts[np.ix_(places, places)] += int(weight)
    order = _seriation(counts)
    ordered = [nations[index] for index in order]
    return pd.DataFrame(counts[np.ix_(order, order)], index=ordered, columns=ordered)


def _seriation(counts: np.ndarray) -> list[int]:
    size = len(counts)
    if size < 3:
        return sorted(range(size), key=lambda index: -counts[index, index])
    weights = counts.astype(float).copy()
    np.fill_diagonal(weights, 0.0)
    laplacian = np.diag(weights.sum(axis=1)) - weights
    _, vectors = np.linalg.eigh(laplacian)
    fiedler = vectors[:, 1]
    totals = np.diag(counts)
    # Sort by the Fiedler value; orient so the busiest nation comes first, for a stable read.
    if fiedler[int(np.argmax(totals))] > 0:
        fiedler = -fiedler
    return sorted(range(size), key=lambda index: (round(float(fiedler[index]), 9), -totals[index]))


def new_partners(events: pd.DataFrame, since: pd.Timestamp) -> dict[str, list[str]]:
    """For each nation, the partners it shared an event with starting on or after `since` and
    never in an event that started before it. Nations with no new partner are left out.

    `events` needs "nations" (lists of codes) and "start" (timestamps).
    """
    before: set[tuple[str, str]] = set()
    after: set[tuple[str, str]] = set()
    later = (events["start"] >= since).to_numpy()
    # Each distinct (set of nations, before or after) once: a loop over 100k events was 0.35 s.
    groups = {
        (frozenset(codes), bool(flag))
        for codes, flag in zip(events["nations"], later, strict=False)
    }
    for codes, flag in groups:
        (after if flag else before).update(itertools.permutations(codes, 2))
    fresh: dict[str, list[str]] = {}
    for nation, partner in sorted(after - before):
        fresh.setdefault(nation, []).append(partner)
    return fresh


def new_partner_table(
    fresh: dict[str, list[str]], names: dict[str, str], first: int = 4
) -> pd.DataFrame:
    """`new_partners` made readable when an exercise brings dozens (RIMPAC: 29 nations).

    One row per nation, most new partners first (then by name): columns nation (code), count,
    partners (the first `first` partner names in alphabetical order, then "and N more") and
    every (all of them, for whoever needs the full list). `names` maps codes to names; a code
    without one stands for itself.
    """
    rows = []
    for nation, partners in fresh.items():
        named = sorted(names.get(code, code) for code in partners)
        shown = ", ".join(named[:first])
        rest = len(named) - first
        rows.append(
            {
                "nation": nation,
                "count": len(named),
                "partners": f"{shown} and {rest} more" if rest > 0 else shown,
                "every": ", ".join(named),
                "name": names.get(nation, nation),
            }
        )
    table = pd.DataFrame(rows, columns=["nation", "count", "partners", "every", "name"])
    table = table.sort_values(["count", "name"], ascending=[False, True], ignore_index=True)
    return table.drop(columns=["name"]).astype({"count": "int64"})
