"""What the dashboard's figures add up: events, or one of the counts the events give.

The view's *measure* (`View.measure`, `measure=` in a link) is "events" (the default) or the
name of a count (docs/data-format.md, "Counts"): "aircraft", "ships"… This module is the one
place that turns it into what each figure adds up. `measure_weights` gives a weight per event,
and the headline, the timeline, activity by area, the comparison, who works with whom and the
density layer add up those weights instead of counting rows:

- "events": no weights (None); each event counts 1, in every period it was active, as always;
- a count's name: each event weighs its count, and an event that gives no such count weighs
  NaN: "no count", never added as 0, and always said ("11 events give no aircraft count").

A count is the total its source gives for the event's whole period. Where a figure cuts time
into periods (a month or a day of the timeline: layers.timeline.binned; a month of *Activity
by area* or a period of the comparison: layers.analysis.compare.within_months), a count is
added in the period that holds the event's whole period; an event whose period crosses the
period's edge is not split, since that would invent how the count was spread: it is left out
of that period and said. A daily report lies inside its day, a monthly total inside its month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.i18n import N_, _, ngettext
from layers.i18n import number as grouped
from layers.read.schema import USUAL_COUNTS

EVENTS = "events"
# The usual counts' words (layers.read.schema.USUAL_COUNTS), marked for the catalogue: read in
# the reader's language by count_words.
_USUAL_WORDS = (
    N_("aircraft"),
    N_("median-line crossing"),
    N_("median-line crossings"),
    N_("ship"),
    N_("ships"),
    N_("official ship"),
    N_("official ships"),
    N_("balloon"),
    N_("balloons"),
    N_("drone"),
    N_("drones"),
    N_("sortie"),
    N_("sorties"),
    N_("scramble"),
    N_("scrambles"),
)


def count_names(events: pd.DataFrame) -> list[str]:
    """The names of the counts any of the events give: the usual ones (USUAL_COUNTS) in their
    order, then the others alphabetically. [] when the events have no "counts" column."""
    if "counts" not in events.columns:
        return []
    names = {name for counts in events["counts"] if isinstance(counts, dict) for name in counts}
    usual = [name for name in USUAL_COUNTS if name in names]
    return usual + sorted(names - set(usual))


def count_table(events: pd.DataFrame) -> pd.DataFrame:
    """The events' counts as a table: one float64 column per count name (count_names order),
    indexed like `events`, NaN where an event gives no such count. Made once per data set (it
    is part of layers.filters.event_summaries), so choosing a measure costs a column lookup."""
    names = count_names(events)
    if not names:
        return pd.DataFrame(index=events.index)
    records = [counts if isinstance(counts, dict) else {} for counts in events["counts"]]
    table = pd.DataFrame.from_records(records, index=events.index, columns=names)
    return table.astype("float64")


def measure_weights(
    events: pd.DataFrame, measure: str, table: pd.DataFrame | None = None
) -> pd.Series | None:
    """Each event's weight for `measure`: None for "events" (each event counts 1); for a
    count's name, a float64 Series indexed like `events`: its count, or NaN where the event
    gives none (all NaN when no event gives it). `table` is `count_table` of a table holding
    these events (made here when not given)."""
    if measure == EVENTS:
        return None
    table = count_table(events) if table is None else table
    if measure in table.columns:
        return table[measure].reindex(events.index)
    return pd.Series(np.nan, index=events.index, dtype="float64")


def count_words(name: str, number: int = 2) -> str:
    """How a count is said after a number: "aircraft", "median-line crossings", "ship" (one);
    a name that is not a usual one is said with spaces for its underscores."""
    if name == EVENTS:
        return _("event") if number == 1 else _("events")
    if name in USUAL_COUNTS:
        one, several, _unused = USUAL_COUNTS[name]
        return _(one if number == 1 else several)
    return name.replace("_", " ")


def measure_title(measure: str) -> str:
    """The measure as a heading: "Events", "Aircraft", "Median-line crossings"."""
    words = count_words(measure)
    return words[:1].upper() + words[1:]


def amount(amount_of: float, measure: str) -> str:
    """ "2,345 aircraft", "1 ship", "12 events": a whole number with what it counts."""
    value = int(round(amount_of))
    if measure == EVENTS:
        return ngettext("{count} event", "{count} events", value).format(count=grouped(value))
    return _("{count} {what}").format(count=grouped(value), what=count_words(measure, value))


@dataclass(frozen=True)
class Tally:
    """What a set of events adds up to for a measure: `total` (the count added up; the number
    of events for "events"), `counted` (events that give the count) and `missing` (events that
    give none: never counted as 0)."""

    measure: str
    total: int
    counted: int
    missing: int

    def headline(self) -> str:
        """ "2,345 aircraft in 123 events"; "123 events" for the events measure."""
        if self.measure == EVENTS:
            return amount(self.total, EVENTS)
        return _("{amount} in {events}").format(
            amount=amount(self.total, self.measure), events=amount(self.counted, EVENTS)
        )

    def missing_line(self) -> str | None:
        """ "11 events give no aircraft count", or None when every event gives it."""
        return missing_words(self.missing, self.measure)


def missing_words(missing: int, measure: str) -> str | None:
    """ "11 events give no aircraft count" (`missing` events without the count `measure`), or
    None for none: the one way the dashboard says it (headline, timeline, analyses, density)."""
    if not missing:
        return None
    return ngettext(
        "{count} event gives no {what} count", "{count} events give no {what} count", missing
    ).format(count=grouped(missing), what=count_words(measure))


def tally(weights: pd.Series | None, events: int, measure: str) -> Tally:
    """The Tally of `events` events whose weights are `weights` (measure_weights of them;
    None for "events")."""
    if weights is None or measure == EVENTS:
        return Tally(EVENTS, events, events, 0)
    values = weights.to_numpy(dtype="float64")
    given = ~np.isnan(values)
    return Tally(measure, int(values[given].sum()), int(given.sum()), int((~given).sum()))
