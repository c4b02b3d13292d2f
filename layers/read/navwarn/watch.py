"""Warnings that arrive every day, kept in one GeoJSON file of events:
`python -m layers.navwarn watch DIR --into FILE.geojson`.

Each new file dropped in DIR (.txt, .csv, .tsv, .xml, .json, read as
layers.read.navwarn.sources reads them) is taken once, in name order (name files by date, as
NGA's and the scrapers' are): a state file beside FILE (`FILE.navwarn-state`, JSON) records
each file taken by name and SHA-256, so a file is read again only when its bytes change.

Its warnings are added idempotently. A warning is known by its number (as
`headers.number_key` normalises it: `闽航警 0123/24` is `闽航警0123/24`) and its issuer (the
nations the text names or `--nations` gives):

- a warning not yet in FILE is added;
- the same warning again is one event: unchanged, it is said and skipped;
- a warning with the same number whose event differs (a replacement re-issued under its
  number) replaces the earlier event;
- a cancellation marks the event it cancels: its title and summary say "cancelled by …", the
  cancelling warning is added to its sources, and when the cancellation gives a time (NGA's
  cancelDate) that falls within the event, that time is its end. A cancellation that comes
  before the warning it cancels is kept in the state and marks it when it comes.

FILE is written whole (a temporary file beside it, renamed over it), then the state. One line
is printed per warning added, updated, cancelled or unchanged, and per problem; a file that
cannot be read (binary, truncated XML, unreadable) is one line naming it, and the rest goes on.
Nothing raises out of `watch_once`.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from layers.read.navwarn.events import (
    cancelled_windows,
    import_warnings,
    issuer_rules,
    moment_text,
    warning_feature,
    warning_id,
)
from layers.read.navwarn.headers import number_key
from layers.read.navwarn.model import Window
from layers.read.navwarn.sources import (
    WARNING_SUFFIXES,
    cancelled_end,
    read_source_warnings,
    read_warning_source,
    source_problems,
)

# Not ".json": FILE may be in a data folder's events/, whose .json files are all read as events.
STATE_SUFFIX = ".navwarn-state"
STATE_VERSION = 1
# In polling mode, a file changed this recently may still be being written: taken next time.
SETTLE_SECONDS = 2.0


def state_path(into: Path) -> Path:
    """The state file beside `into`: `events.geojson.navwarn-state` (JSON; not named .json, so
    that a data folder's events/ can hold FILE and its state)."""
    return into.with_name(into.name + STATE_SUFFIX)


@dataclass
class Store:
    """FILE's events (GeoJSON features, in order) and the state: files taken (name ->
    SHA-256), events by key (key -> {"id", "number", "cancelled_by", "cancelled_at"}), and
    cancellations waiting for their warning (number key -> {"by", "at", "source"})."""

    features: list[dict] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    events: dict[str, dict] = field(default_factory=dict)
    pending: dict[str, dict] = field(default_factory=dict)

    def index(self, event_id: str) -> int | None:
        return next(
            (i for i, f in enumerate(self.features) if f["properties"].get("id") == event_id),
            None,
        )

    def state(self) -> dict:
        return {
            "version": STATE_VERSION,
            "files": self.files,
            "events": self.events,
            "pending": self.pending,
        }


@dataclass
class Changes:
    """What one pass did, counted for the summary line."""

    added: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    problems: int = 0
    lines: list[str] = field(default_factory=list)

    def say(self, line: str, kind: str | None = None) -> None:
        self.lines.append(line)
        if kind:
            setattr(self, kind, getattr(self, kind) + 1)

    def summary(self, into: Path) -> str:
        return (
            f"{into.name}: {self.added} added, {self.updated} updated, {self.cancelled} "
            f"cancelled, {self.unchanged} unchanged; {self.problems} "
            f"problem{'' if self.problems == 1 else 's'}"
        )


def load_store(into: Path) -> tuple[Store | None, str | None]:
    """FILE's events and its state, or None and why FILE cannot be used (it is never written
    over then). A missing FILE is an empty store; a state file that cannot be read is started
    afresh (events are then known again by their ids), said in the second value."""
    store = Store()
    note = None
    if into.exists():
        try:
            document = json.loads(into.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as error:
            why = getattr(error, "strerror", None) or "it is not JSON"
            return None, f"{into}: cannot be read ({why}); not written over"
        features = document.get("features") if isinstance(document, dict) else None
        if not isinstance(features, list) or not all(
            isinstance(f, dict) and isinstance(f.get("properties"), dict) for f in features
        ):
            return None, f"{into}: not a GeoJSON FeatureCollection of events; not written over"
        store.features = features
    state_file = state_path(into)
    if state_file.exists():
        try:
            state = json.loads(state_file.read_text(encoding="utf-8"))
            store.files = dict(state["files"])
            store.events = dict(state["events"])
            store.pending = dict(state.get("pending", {}))
        except (OSError, ValueError, RecursionError, KeyError, TypeError, AttributeError):
            store.files, store.events, store.pending = {}, {}, {}
            note = f"{state_file}: cannot be read; started afresh (every file is read again)"
    return store, note


def write_store(store: Store, into: Path) -> None:
    """FILE, then its state, each written whole (temporary file, os.replace)."""
    from layers.convert import write_whole

    collection = {"type": "FeatureCollection", "features": store.features}
    write_whole(into, json.dumps(collection, ensure_ascii=False, indent=1) + "\n")
    write_whole(state_path(into), json.dumps(store.state(), ensure_ascii=False, indent=1) + "\n")


def warning_key(number: str, issuers: list[str]) -> str:
    """How a warning is known again: its number (number_key) and its issuers."""
    return number_key(number) + "|" + ",".join(sorted(issuers))


def mark_cancelled(
    feature: dict, by: str, at: dt.datetime | None, source: dict | None = None
) -> dict:
    """A copy of an event feature marked cancelled by warning `by`: "(cancelled by …)" in its
    title, "Cancelled by … [at …]." in its summary, `source` (the cancelling warning) added to
    its sources, and its end set to `at` when `at` falls within it (`cancelled_end`)."""
    marked = copy.deepcopy(feature)
    properties = marked["properties"]
    if f"cancelled by {by}" not in properties.get("title", ""):
        properties["title"] = f"{properties.get('title', '')} (cancelled by {by})"
    said = f"Cancelled by {by}" + (f" at {at.strftime('%Y-%m-%d %H:%M')} UTC" if at else "") + "."
    summary = properties.get("summary") or ""
    if said not in summary:
        # The reader says "Cancelled by X." when both came together; a time makes it fuller.
        summary = summary.replace(f"\nCancelled by {by}.", "")
        properties["summary"] = (summary + "\n" + said).strip()
    if source and source not in properties.get("sources", []):
        properties.setdefault("sources", []).append(source)
    if at is not None:
        start, end = _moment_of(properties.get("start")), _moment_of(properties.get("end"))
        if start is not None:
            new_end = cancelled_end(start, end, at)
            if new_end is at:
                properties["end"] = moment_text(at)
                if isinstance(properties.get("windows"), list):
                    _cancel_windows(properties, at)
    return marked


def _cancel_windows(properties: dict, at: dt.datetime) -> None:
    """An event's `windows` once cancelled at `at`, as model.cancelled_windows cuts them: those
    begun before it, the one it falls in ending at `at`; none left when one window remains."""
    windows = [
        Window(_moment_of(window.get("start")), _moment_of(window.get("end")))
        for window in properties["windows"]
        if isinstance(window, dict)
    ]
    if any(window.start is None or window.end is None for window in windows):
        return
    kept = cancelled_windows(windows, at)
    if len(kept) > 1:
        properties["windows"] = [
            {"start": moment_text(window.start), "end": moment_text(window.end)} for window in kept
        ]
    else:
        properties.pop("windows")


def _moment_of(text: object):
    """An event's start or end as a date or an aware datetime; None when neither."""
    if not isinstance(text, str):
        return None
    try:
        if "T" in text:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return value if value.tzinfo else value.date()
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def watch_once(
    directory: Path,
    into: Path,
    nations: list[str] | None = None,
    area_ids: set[str] | None = None,
    settle: float = 0.0,
    rules: list[tuple[str, list[str]]] | None = None,
) -> Changes:
    """Take every new or changed file of `directory` into `into` (see the module); the lines
    said are in `Changes.lines`, in order. `settle` > 0 leaves files changed in the last
    `settle` seconds for the next pass; `rules` are the analyst's issuer rules (prefix of a
    number, codes: events.issuer_rules) for warnings whose text does not say. Never raises."""
    changes = Changes()
    try:
        store, note = load_store(into)
        if store is None:
            changes.say(note, "problems")
            return changes
        if note:
            changes.say(note)
        try:
            paths = sorted(path for path in directory.iterdir() if path.is_file())
        except OSError as error:
            changes.say(f"{directory}: cannot be listed ({error.strerror})", "problems")
            return changes
        skip = {into.resolve(), state_path(into).resolve()}
        touched = False
        for path in paths:
            if path.name.startswith((".", "~")) or path.resolve() in skip:
                continue
            if path.suffix.lower() in (".tmp", ".part", ".crdownload", ".swp"):
                continue
            try:
                if settle and time.time() - path.stat().st_mtime < settle:
                    continue
                raw = path.read_bytes()
            except OSError as error:
                changes.say(f"{path.name}: cannot be read ({error.strerror}); tried again next")
                changes.problems += 1
                continue
            digest = _sha256(raw)
            if store.files.get(path.name) == digest:
                continue
            touched = True
            store.files[path.name] = digest
            if path.suffix.lower() not in WARNING_SUFFIXES:
                changes.say(
                    f"{path.name}: not a warnings file ({', '.join(WARNING_SUFFIXES)}); skipped"
                )
                continue
            try:
                _take(path.name, raw, store, into, (nations, rules), area_ids, changes)
            except Exception:  # the door never breaks: this file only
                changes.say(f"{path.name}: could not be taken (an unexpected error)", "problems")
        if touched:
            write_store(store, into)
    except Exception:  # the door never breaks
        changes.say(f"{into}: not updated (an unexpected error)", "problems")
    return changes


def _take(name, raw, store: Store, into: Path, given, area_ids, changes: Changes) -> None:
    """One file's warnings into the store; `given` is (nations for all, issuer rules)."""
    nations, rules = given
    source = read_warning_source(name, raw, name)
    if not source.records:
        for problem in source.problems:
            changes.say(str(problem), "problems")
        for note in source.notes:
            changes.say(note)
        if not source.problems and not source.notes:
            changes.say(f"{name}: holds no warning")
        return
    read = read_source_warnings(source)
    chosen = issuer_rules(read, rules or [])
    events, found = import_warnings(
        source.items(), name, nations, area_ids, read=read, issuers=chosen
    )
    valid = set(events["id"]) if len(events) else set()
    for problem in source_problems(source, found):
        if problem.field == "cancels":
            continue  # whether its warning is in FILE is said below
        changes.say(str(problem), "problems")
    for warning, url, published, _ in read:
        mine = chosen.get(warning_id(warning))
        issuers = warning.nations or list(mine or nations or [])
        own = {"title": f"Navigational warning {warning.number}"}
        if url:
            own["url"] = url
        if published:
            own["published"] = published.isoformat()
        feature, _ = warning_feature(
            warning, nations, url, published and published.isoformat(), mine
        )
        if feature is not None and feature["properties"]["id"] in valid:
            if not warning.number.strip():
                changes.say(
                    f"{name}: a warning with no number is left out of {into.name}: it could not "
                    "be known again when it comes again",
                    "problems",
                )
            else:
                _add(name, warning.number, issuers, feature, store, changes, into)
        # A cancellation's text gives no time of its own here: the event keeps its end.
        for target in warning.cancels:
            _cancel(name, warning.number, target, issuers, None, own, store, changes, into)


def _add(name, number, issuers, feature, store: Store, changes: Changes, into: Path) -> None:
    key = warning_key(number, issuers)
    info = store.events.get(key)
    waiting = store.pending.pop(number_key(number), None)
    if info is None and store.index(feature["properties"]["id"]) is not None:
        # A state started afresh: the event is known by its id.
        info = {"id": feature["properties"]["id"], "number": number}
    cancelled = info and info.get("cancelled_by")
    if cancelled:
        feature = mark_cancelled(
            feature, cancelled, _moment_of(info.get("cancelled_at")), info.get("cancel_source")
        )
    if info is None:
        event_id = feature["properties"]["id"]
        if store.index(event_id) is not None:  # another issuer's warning of the same number
            event_id += "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
            feature["properties"]["id"] = event_id
        store.features.append(feature)
        store.events[key] = {"id": event_id, "number": number}
        changes.say(f"{name}: added {number} ({event_id})", "added")
    else:
        feature["properties"]["id"] = info["id"]
        at = store.index(info["id"])
        if at is None:
            store.features.append(feature)
            changes.say(f"{name}: added {number} ({info['id']}) again", "added")
        elif store.features[at] == feature:
            changes.say(f"{name}: unchanged {number}: already in {into.name}", "unchanged")
        else:
            before = store.features[at]["properties"].get("title", "")
            store.features[at] = feature
            after = feature["properties"].get("title", "")
            if "(cancelled by " in after and "(cancelled by " not in before:
                # The source's own word that it was cancelled (NGA's cancelled records).
                by = after[after.rindex("(cancelled by ") + len("(cancelled by ") :].rstrip(")")
                changes.say(f"{name}: cancelled {number} by {by}", "cancelled")
            else:
                changes.say(f"{name}: updated {number}: replaced by this text", "updated")
        store.events[key] = {**info, "number": number}
    if waiting is not None:
        _cancel(
            waiting.get("file", name),
            waiting["by"],
            number,
            issuers,
            _moment_of(waiting.get("at")),
            waiting.get("source"),
            store,
            changes,
            into,
        )


def _cancel(name, by, target, issuers, at, source, store: Store, changes, into: Path) -> None:
    """Mark the event of warning `target` cancelled by warning `by`."""
    wanted = number_key(target)
    matches = [k for k, info in store.events.items() if number_key(info["number"]) == wanted]
    same_issuer = [k for k in matches if k == warning_key(target, issuers)]
    keys = same_issuer or (matches if len(matches) == 1 else [])
    if not keys:
        store.pending[number_key(target)] = {
            "by": by,
            "at": at.isoformat() if isinstance(at, dt.datetime) else None,
            "source": source,
            "file": name,
        }
        changes.say(
            f"{name}: {by} cancels {target}, which is not in {into.name}: it is marked when it "
            "comes"
        )
        return
    key = keys[0]
    info = store.events[key]
    at_index = store.index(info["id"])
    if (
        info.get("cancelled_by") == by
        and at_index is not None
        and mark_cancelled(store.features[at_index], by, at, source) == store.features[at_index]
    ):
        changes.say(f"{name}: unchanged {target}: already cancelled by {by}", "unchanged")
        return
    info.update(
        {
            "cancelled_by": by,
            "cancelled_at": at.isoformat() if isinstance(at, dt.datetime) else None,
            "cancel_source": source,
        }
    )
    if at_index is not None:
        store.features[at_index] = mark_cancelled(store.features[at_index], by, at, source)
    when = f" at {at.strftime('%Y-%m-%d %H:%M')} UTC" if isinstance(at, dt.datetime) else ""
    changes.say(f"{name}: cancelled {target} by {by}{when}", "cancelled")


def watch(
    directory: Path,
    into: Path,
    nations: list[str] | None = None,
    area_ids: set[str] | None = None,
    interval: float = 60.0,
    once: bool = False,
    say=print,
    rules: list[tuple[str, list[str]]] | None = None,
) -> int:
    """Take DIR's new files into FILE once (`once`), or every `interval` seconds until
    interrupted; each pass's lines are given to `say`. Returns 1 when the last pass met a
    problem, 0 otherwise."""
    try:
        while True:
            settle = 0 if once else SETTLE_SECONDS
            changes = watch_once(directory, into, nations, area_ids, settle=settle, rules=rules)
            for line in changes.lines:
                say(line)
            if once:
                return 1 if changes.problems else 0
            time.sleep(interval)
    except KeyboardInterrupt:  # the way to stop it; FILE is whole (written by renaming)
        return 0
