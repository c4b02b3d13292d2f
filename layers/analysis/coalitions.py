"""Who works with whom, and who confronted whom: nations counted by the side they stood on.

An event's `sides` (docs/data-format.md, "Sides") say who stood with whom: nations on the same
side worked together, nations on different sides stood against each other, and a nation of the
event on no side is not counted in a pair. An event without sides is cooperation only when its
kind is cooperative by nature (COOPERATIVE_KINDS: exercise, port call, diplomacy): all its
nations then stand on one side. Any other kind without sides (an incident at the Senkakus with
China and Japan, a transit) counts no pair at all: taking part in the same incident is not
working together, and who stood against whom is not known.

`nation_matrix(events)` counts, for every pair of nations, the events they stood together in
(the diagonal: each nation's events), ordered so that nations that work together sit together.
`confrontation_matrix(events)` counts the events they stood against each other in, and
`confrontation_table` lists those pairs. `new_partners(events, since)` names, per nation, the
partners it had in events from `since` on and never before.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from layers.i18n import ngettext, pgettext
from layers.i18n import number as grouped
from layers.read.schema import COOPERATIVE_KINDS

_COOPERATIVE = frozenset(COOPERATIVE_KINDS)
# (the event's nations, sorted; its sides, each sorted, in sorted order): what the matrices
# and new partners count of one event.
Pairing = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


def pairing(nations, kind: str, sides=None) -> Pairing:
    """What one event counts: (its nations, sorted and distinct; the sides its nations stood
    on, each sorted). The sides are `sides` as given (a tuple of tuples of codes, the loader's
    "sides"); for an event without sides (None) one side of all its nations when `kind` is in
    COOPERATIVE_KINDS, else none; () ("sides not known") gives none. A value that is not a
    tuple or list (NaN from a table joined with one without sides) is no sides."""
    codes = tuple(sorted(set(nations)))
    if not isinstance(sides, (tuple, list)):
        groups = (codes,) if kind in _COOPERATIVE else ()
    else:
        groups = tuple(sorted(tuple(sorted(set(side))) for side in sides))
    return codes, groups


def _given_sides(value):
    """An event's sides as a hashable value: a tuple of tuples, or None for none (a NaN from a
    table joined with one without sides, or any other value that is not sides)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, list):
        return tuple(tuple(side) for side in value)
    return None


def _raw_keys(events: pd.DataFrame) -> list[tuple]:
    """(nations, kind, sides) of each event as written, hashable: many events share one, so
    `pairing` runs once per distinct key rather than once per event."""
    # Lists, not Series: iterating a Series of strings is 20 times slower.
    sides = events["sides"].tolist() if "sides" in events else [None] * len(events)
    return [
        (tuple(codes), kind, _given_sides(given))
        for codes, kind, given in zip(
            events["nations"].tolist(), events["kind"].tolist(), sides, strict=True
        )
    ]


def nation_sets(events: pd.DataFrame) -> pd.Series:
    """Each event's `pairing` (its nations and the sides they stood on), categorical (same
    index): prepared once at load, it spares the matrices building 100k keys on every filter
    change. `events` needs "nations" and "kind"; "sides" when it has them (a table without the
    column is events without sides)."""
    raw = _raw_keys(events)
    pairings: dict[tuple, Pairing] = {}
    number: dict[Pairing, int] = {}
    codes = np.empty(len(raw), dtype=np.int64)
    for place, key in enumerate(raw):
        found = pairings.get(key)
        if found is None:
            found = pairings[key] = pairing(*key)
        codes[place] = number.setdefault(found, len(number))
    # An object index of tuples (pd.Index would make tuples a MultiIndex).
    categories = pd.Index(list(number), dtype=object, tupleize_cols=False)
    return pd.Series(pd.Categorical.from_codes(codes, categories), index=events.index)


def _groups(events: pd.DataFrame, sets: pd.Series | None, weights: pd.Series | None) -> pd.Series:
    """How many events (with `weights`, the count they add up to) share each pairing, those
    of none left out. Counted once per distinct pairing: the loop over every event took 1.2 s
    at 100k, too slow for a filter change."""
    chosen = nation_sets(events) if sets is None else sets.loc[events.index]
    if weights is None:
        groups = chosen.value_counts()
    else:
        values = weights.reindex(events.index)
        given = values.notna().to_numpy()
        groups = values[given].groupby(chosen[given], observed=True).sum().round()
    return groups[groups > 0]


def nation_matrix(
    events: pd.DataFrame, sets: pd.Series | None = None, weights: pd.Series | None = None
) -> pd.DataFrame:
    """A square DataFrame of cooperation counts, index and columns the nations (ISO 3166-1
    alpha-3) in coalition order; cell (A, B) is the number of events in which A and B stood on
    the same side (`pairing`: an event without sides only when its kind is cooperative by
    nature), cell (A, A) the number of events with A, whatever its side. With `weights`
    (layers.measure: a count per event, NaN for none), a cell adds up the count of those
    events instead; an event giving none is left out (never 0).

    The order is a spectral seriation: nations sorted by the Fiedler vector of the
    co-operation graph's Laplacian (Atkins, Boman and Hendrickson, "A spectral algorithm
    for seriation and the consecutive ones problem", SIAM J. Computing 28, 1998), so dense
    blocks (coalitions) lie along the diagonal. Ties and separate groups fall back to totals.
    `sets` is `nation_sets` of a table holding these events, computed here when not given.
    """
    groups = _groups(events, sets, weights)
    nations = sorted({code for codes, _sides in groups.index for code in codes})
    position = {code: index for index, code in enumerate(nations)}
    rows: list[int] = []
    columns: list[int] = []
    amounts: list[int] = []
    for (codes, sides), weight in groups.items():
        for code in codes:  # the diagonal: each nation's events, whatever its side
            rows.append(position[code])
            columns.append(position[code])
            amounts.append(int(weight))
        for side in sides:
            for one, other in itertools.permutations(side, 2):
                rows.append(position[one])
                columns.append(position[other])
                amounts.append(int(weight))
    counts = np.zeros((len(nations), len(nations)), dtype=np.int64)
    np.add.at(counts, (rows, columns), amounts)
    order = _seriation(counts)
    ordered = [nations[index] for index in order]
    return pd.DataFrame(counts[np.ix_(order, order)], index=ordered, columns=ordered)


def confrontation_matrix(
    events: pd.DataFrame, sets: pd.Series | None = None, weights: pd.Series | None = None
) -> pd.DataFrame:
    """A square DataFrame of confrontation counts, index and columns the nations that stood
    against another in at least one event, ordered as nation_matrix orders them; cell (A, B)
    is the number of events in which A and B stood on different sides, cell (A, A) the number
    of events in which A stood against anyone. Only events whose `sides` give two sides or
    more count: without sides, who stood against whom is not known. `sets` and `weights` as
    for nation_matrix.
    """
    groups = _groups(events, sets, weights)
    nations = sorted(
        {
            code
            for _codes, sides in groups.index
            if len(sides) > 1
            for side in sides
            for code in side
        }
    )
    position = {code: index for index, code in enumerate(nations)}
    rows: list[int] = []
    columns: list[int] = []
    amounts: list[int] = []
    for (_codes, sides), weight in groups.items():
        if len(sides) < 2:
            continue
        for first, second in itertools.permutations(sides, 2):
            for one in first:
                for other in second:
                    rows.append(position[one])
                    columns.append(position[other])
                    amounts.append(int(weight))
        for code in (code for side in sides for code in side):
            rows.append(position[code])
            columns.append(position[code])
            amounts.append(int(weight))
    counts = np.zeros((len(nations), len(nations)), dtype=np.int64)
    np.add.at(counts, (rows, columns), amounts)
    order = _seriation(counts)
    ordered = [nations[index] for index in order]
    return pd.DataFrame(counts[np.ix_(order, order)], index=ordered, columns=ordered)


def confrontation_table(matrix: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The pairs of a confrontation_matrix as a list: one row per pair that stood against
    each other (each pair once), most events first, then by name; columns nation and against
    (codes, the one whose name sorts first as nation) and events. `names` maps codes to
    names; a code without one stands for itself."""
    rows = []
    for first, second in itertools.combinations(matrix.index, 2):
        events = int(matrix.loc[first, second])
        if events <= 0:
            continue
        one, other = sorted((first, second), key=lambda code: (names.get(code, code), code))
        rows.append({"nation": one, "against": other, "events": events})
    table = pd.DataFrame(rows, columns=["nation", "against", "events"])
    table = table.assign(
        first=[names.get(code, code) for code in table["nation"]],
        second=[names.get(code, code) for code in table["against"]],
    )
    table = table.sort_values(
        ["events", "first", "second"], ascending=[False, True, True], ignore_index=True
    )
    return table.drop(columns=["first", "second"]).astype({"events": "int64"})


def unpaired_events(events: pd.DataFrame, sets: pd.Series | None = None) -> int:
    """How many of `events` have two nations or more and count in no pair, neither as partners
    nor as opponents: an incident, a transit or another kind that is not cooperative by nature
    without `sides`, or sides that place at most one of them. The dashboard says how many, so
    the empty cells are read as "not said", not as "never met"."""
    chosen = nation_sets(events) if sets is None else sets.loc[events.index]
    counted = chosen.value_counts()
    return int(
        sum(
            number
            for (codes, sides), number in counted.items()
            if len(codes) > 1 and len(sides) < 2 and all(len(side) < 2 for side in sides)
        )
    )


def _seriation(counts: np.ndarray) -> list[int]:
    size = len(counts)
    if size < 3:
        return sorted(range(size), key=lambda index: -counts[index, index])
    weights = counts.astype(float).copy()
    np.fill_diagonal(weights, 0.0)
    laplacian = np.diag(weights.sum(axis=1)) - weights
    _values, vectors = np.linalg.eigh(laplacian)
    fiedler = vectors[:, 1]
    totals = np.diag(counts)
    # Sort by the Fiedler value; orient so the busiest nation comes first, for a stable read.
    if fiedler[int(np.argmax(totals))] > 0:
        fiedler = -fiedler
    return sorted(range(size), key=lambda index: (round(float(fiedler[index]), 9), -totals[index]))


def new_partners(events: pd.DataFrame, since: pd.Timestamp) -> dict[str, list[str]]:
    """For each nation, the partners it stood on the same side with (as nation_matrix counts
    them: a confrontation is no partnership) in an event starting on or after `since`, and in
    no event that started before it. Nations with no new partner are left out.

    `events` needs "nations" (lists of codes), "kind", "start" (timestamps) and, when it has
    them, "sides".
    """
    before: set[tuple[str, str]] = set()
    after: set[tuple[str, str]] = set()
    later = (events["start"] >= since).to_numpy()
    # Each distinct (nations, kind, sides, before or after) once: a loop over 100k events was
    # 0.35 s.
    groups = set(zip(_raw_keys(events), later.tolist(), strict=True))
    for key, flag in groups:
        for side in pairing(*key)[1]:
            (after if flag else before).update(itertools.permutations(side, 2))
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
    separator = pgettext("list separator", ", ")
    for nation, partners in fresh.items():
        named = sorted(names.get(code, code) for code in partners)
        shown = separator.join(named[:first])
        rest = len(named) - first
        more = ngettext("{names} and {count} more", "{names} and {count} more", rest)
        rows.append(
            {
                "nation": nation,
                "count": len(named),
                "partners": more.format(names=shown, count=grouped(rest)) if rest > 0 else shown,
                "every": separator.join(named),
                "name": names.get(nation, nation),
            }
        )
    table = pd.DataFrame(rows, columns=["nation", "count", "partners", "every", "name"])
    table = table.sort_values(["count", "name"], ascending=[False, True], ignore_index=True)
    return table.drop(columns=["name"]).astype({"count": "int64"})
