"""An event's history in the shared store: one revision per save, import, replacement,
correction or retraction (table event_revisions, migrations/0009_event_revisions.sql).

A revision says who (`actor`: the signed-in editor's email or subject as the page gives it, or
"layers.db import by <user>@<host>" for the command line), when (`at`, the database server's
clock, UTC), why (`reason`, required for a retraction, as ACLED records why an event was
deleted) and what: the event before and after, each as the GeoJSON Feature `export` writes
(layers.export.tables.event_feature, without the computed zone tags).

What is stored is compact but lossless. A revision's `before` is stored whenever it replaces
content (replaced, corrected, retracted): that content leaves `events` and would otherwise be
lost. Its `after` is stored only for a correction (so each editor's change reads on its own in
the table); for the others it is left NULL in the table and is, by construction, the `before`
of the event's next revision or, for its latest one, the event as stored in `events` now. The
table is append-only (no UPDATE or DELETE: a trigger refuses them, and the app's database role
is granted INSERT and SELECT only), so that chain cannot be broken by the app. An import of
100,000 events so stores 100,000 narrow rows, not 100,000 copies of the events (see
bench/history.py for the figures).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from layers.i18n import N_, _

# What happened to the event, in the words the history shows.
SAVED = "saved"  # added from the dashboard (an upload saved to the shared store)
IMPORTED = "imported"  # added by `python -m layers.db import` (or before history was kept)
REPLACED = "replaced"  # overwritten by a save or an import asked to replace
CORRECTED = "corrected"  # changed by an editor on the page
RETRACTED = "retracted"  # taken out of the store by an editor (kept here)
ACTIONS = (SAVED, IMPORTED, REPLACED, CORRECTED, RETRACTED)
# The actions as the history's sentences say them (translated where shown).
ACTION_WORDS = {
    SAVED: N_("saved"),
    IMPORTED: N_("imported"),
    REPLACED: N_("replaced"),
    CORRECTED: N_("corrected"),
    RETRACTED: N_("retracted"),
}


@dataclass(frozen=True)
class Revision:
    """One revision of one event.

    `number` counts the event's revisions from 1 (an id retracted and saved again continues
    its numbering). `at` is timezone-aware UTC. `before` is None for a first save or import;
    `after` is None for a retraction. Both are GeoJSON Features (dicts as JSON reads them:
    lists, not tuples).
    """

    event_id: str
    number: int
    action: str
    actor: str
    at: dt.datetime
    reason: str
    before: dict | None
    after: dict | None

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """What this revision changed, for display: (field, before, after) for each property
        whose value differs, in the feature's order, then "geometry" when the geometry does.
        A field a side lacks is None there: a first save lists every field with None before,
        a retraction every field with None after."""
        return changed_fields(self.before, self.after)

    def sentence(self) -> str:
        """ "revision 2, corrected by ana@example.org at 2026-12-07 01:02 UTC: typo", in the
        language of the words being written (layers/i18n.py; the actor and reason as given)."""
        when = self.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
        action = _(ACTION_WORDS[self.action]) if self.action in ACTION_WORDS else self.action
        fields = {"number": self.number, "action": action, "actor": self.actor, "when": when}
        if self.actor and self.reason:
            text = _("revision {number}, {action} by {actor} at {when} UTC: {reason}")
        elif self.actor:
            text = _("revision {number}, {action} by {actor} at {when} UTC")
        elif self.reason:
            text = _("revision {number}, {action} at {when} UTC: {reason}")
        else:
            text = _("revision {number}, {action} at {when} UTC")
        return text.format(**fields, reason=self.reason)

    def as_json(self) -> dict:
        """The revision as one line of `layers.db export --history` (see docs/teams.md)."""
        return {
            "event_id": self.event_id,
            "revision": self.number,
            "action": self.action,
            "actor": self.actor,
            "at": self.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
        }


def changed_fields(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for each property of two GeoJSON Features that differs, then
    "geometry"; None stands for a missing feature or field (see Revision.changed_fields)."""
    old = _properties(before)
    new = _properties(after)
    changes = []
    for name in [*old, *(name for name in new if name not in old)]:
        if _plain(old.get(name)) != _plain(new.get(name)):
            changes.append((name, old.get(name), new.get(name)))
    old_geometry = before.get("geometry") if isinstance(before, dict) else None
    new_geometry = after.get("geometry") if isinstance(after, dict) else None
    if _plain(old_geometry) != _plain(new_geometry):
        changes.append(("geometry", old_geometry, new_geometry))
    return changes


def _properties(feature: dict | None) -> dict:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    return properties if isinstance(properties, dict) else {}


def _plain(value: object) -> object:
    """A value as JSON reads it back (tuples as lists), so equal content compares equal."""
    return json.loads(json.dumps(value)) if value is not None else None


def resolved(rows: Iterable[tuple], current: dict | None) -> list[Revision]:
    """One event's revisions from its event_revisions rows (event_id, number, action, actor,
    at, reason, before, after; oldest first), each `after` the table leaves NULL filled in:
    the next revision's `before`, or `current` (the event as stored now, None when it is not
    stored) for the latest. A retraction's after stays None."""
    rows = list(rows)
    revisions = []
    for position, (event_id, number, action, actor, at, reason, before, after) in enumerate(rows):
        if action == RETRACTED:
            after = None
        elif after is None:
            after = rows[position + 1][6] if position + 1 < len(rows) else current
        revisions.append(
            Revision(
                event_id=event_id,
                number=number,
                action=action,
                actor=actor,
                at=at.astimezone(dt.UTC),
                reason=reason,
                before=before,
                after=after,
            )
        )
    return revisions
