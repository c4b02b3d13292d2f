"""This session's own events, kept in the session only: the files the analyst uploaded (shown
at once, or waiting in the import step), the navigational warnings added, the data with them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard_ui.memory import release_soon
from layers.analysis.zones import zone_tags
from layers.filters import event_summaries
from layers.map.data import MapData
from layers.read.guess import mapping_pairs
from layers.read.load import UNEXPECTED
from layers.read.schema import Problem
from layers.read.upload import (
    Upload,
    ids_taken,
    import_upload,
    in_event_format,
    read_upload,
    upload_table,
    warnings_upload,
)

# Any file: one the import cannot read is named as such with what to do instead (an .ods: save
# it as .xlsx or .csv), where the uploader's own type filter would only say "not allowed".
UPLOAD_TYPES = None
MAPPING_SUFFIX = ".toml"


def session_uploads(
    data: dict, warnings: list[Upload] | tuple = ()
) -> tuple[list[Upload], list[tuple]]:
    """The analyst's uploaded files, kept in this session only: the uploads to show (read
    once each), and the files waiting in the import step, each with the mapping file uploaded
    for it (or None).

    A file in the event format is read as it is; any other file (and one uploaded with a
    mapping) waits in the import step until "Add to the map" imports it. A file read for the
    first time finds the ids of the navigational warnings already on the map (`warnings`)
    taken too.
    """
    files = st.session_state.get("uploads") or []
    forget_dropped_uploads({file.file_id for file in files})
    if not files:
        return [], []
    state = st.session_state
    cache = state.setdefault("upload_cache", {})
    imported = state.setdefault("imported", {})
    geodata = data["geodata"]
    area_ids = set(geodata.areas["id"])
    mappings = [file for file in files if file.name.lower().endswith(MAPPING_SUFFIX)]
    tables = [file for file in files if not file.name.lower().endswith(MAPPING_SUFFIX)]
    pairs = mapping_pairs([file.name for file in tables], [file.name for file in mappings])
    uploads, waiting = [], []
    for index, file in enumerate(tables):
        mapping_file = mappings[pairs[index]] if index in pairs else None
        if ("format", file.file_id) not in cache:
            cache[("format", file.file_id)] = in_event_format(file.name, file.getvalue())
        if file.file_id in imported:
            done = imported[file.file_id]
            if done["version"] != geodata.version:  # the data changed: check the ids again
                source = done["mapping"].source
                table = upload_table(
                    file.name, file.getvalue(), source.get("sheet"), source.get("encoding")
                )
                done["upload"] = import_upload(
                    file.name,
                    table,
                    done["mapping"],
                    ids_taken(geodata.events, uploads),
                    geodata.areas,
                )
                done["version"] = geodata.version
            uploads.append(done["upload"])
        elif cache[("format", file.file_id)] and mapping_file is None:
            key = (file.file_id, geodata.version)
            if key not in cache:  # read and checked once; the ids taken are gathered only then
                taken = ids_taken(geodata.events, [*warnings, *uploads])
                cache[key] = read_upload(file.name, file.getvalue(), taken, area_ids)
            uploads.append(cache[key])
        else:
            waiting.append((file, mapping_file))
    used = set(pairs.values())
    state["unused_mappings"] = [file.name for i, file in enumerate(mappings) if i not in used]
    return uploads, waiting


def forget_dropped_uploads(file_ids: set[str]) -> None:
    """Drop what this session kept for uploads the analyst removed (their checked events,
    imports and zone tags: for a 20 MB file, hundreds of MB), and ask for the memory to be
    given back (dashboard_ui.memory). `file_ids` are the uploads still there."""
    state = st.session_state
    cache = state.get("upload_cache") or {}
    imported = state.get("imported") or {}
    stale = [key for key in cache if key[0] not in file_ids and key[0] != "format"]
    stale += [key for key in cache if key[0] == "format" and key[1] not in file_ids]
    gone = [file_id for file_id in imported if file_id not in file_ids]
    for key in stale:
        del cache[key]
    for file_id in gone:
        del imported[file_id]
    if stale or gone:
        state.pop("zone_cache", None)  # rebuilt for the uploads still shown
        release_soon()


def session_warnings(data: dict, uploads: list[Upload]) -> list[Upload]:
    """The navigational warnings added to this session's map (kept in this session only),
    each batch an upload of its own; re-checked when the data changes, as imported lists are.
    `uploads` are the files shown before them, whose ids are taken."""
    geodata = data["geodata"]
    shown: list[Upload] = []
    for batch in st.session_state.get("navwarn_added", []):
        if batch["version"] != geodata.version:
            batch["upload"] = warnings_upload(
                batch["name"],
                batch["items"],
                batch["nations"],
                set(geodata.areas["id"]),
                ids_taken(geodata.events, uploads + shown),
                batch["problems"],
            )
            batch["version"] = geodata.version
        shown.append(batch["upload"])
    return shown


def current_warnings(data: dict) -> list[Upload]:
    """The warnings on this session's map that were checked against this version of the data
    (after a change they are checked again, against the uploaded files: session_warnings)."""
    version = data["geodata"].version
    batches = st.session_state.get("navwarn_added", [])
    return [batch["upload"] for batch in batches if batch["version"] == version]


def with_uploads(data: dict, uploads: list[Upload]) -> dict:
    """The shared data plus this session's uploads (the shared copy is never changed).

    Never raises: if the uploads' valid events cannot be prepared for the map (a bug, not bad
    data: the validator has passed them), they are left out with one problem per file.
    """
    try:
        return _with_uploads(data, uploads)
    except Exception:
        refused = [
            Upload(upload.name, upload.events.iloc[0:0], [Problem(upload.label, UNEXPECTED)])
            for upload in uploads
        ]
        return _with_uploads(data, refused)


def _with_uploads(data: dict, uploads: list[Upload]) -> dict:
    geodata = data["geodata"]
    added = [upload.events for upload in uploads if len(upload.events)]
    problems = [problem for upload in uploads for problem in upload.problems]
    if not added and not problems:
        return data
    start = int(geodata.events.index.max()) + 1 if len(geodata.events) else 0
    extra = pd.concat(added, ignore_index=True) if added else geodata.events.iloc[0:0]
    extra.index = range(start, start + len(extra))
    extra["zones"] = upload_zones(uploads, geodata.areas)
    events = pd.concat([geodata.events, extra]) if len(extra) else geodata.events
    extra_map = MapData.prepare(extra, geodata.areas.iloc[0:0])
    return data | {
        "geodata": replace(geodata, events=events, problems=[*geodata.problems, *problems]),
        # Every column, tracks and shapes too: an uploaded track is simplified and played as
        # a shared one, and the density layer counts the cells an uploaded line touches.
        "map_data": data["map_data"].joined(extra_map),
        **event_summaries(events),
    }


def upload_zones(uploads: list[Upload], areas) -> list[tuple]:
    """The zone tags of the uploads' events, in order: computed once per upload (kept in the
    session beside it), not on every rerun."""
    cache = st.session_state.setdefault("zone_cache", {})
    tags: list[tuple] = []
    for upload in uploads:
        if not len(upload.events):
            continue
        key = (upload.label, id(upload.events))
        if key not in cache or cache[key][0] is not upload.events:
            cache[key] = (upload.events, list(zone_tags(upload.events, areas)))
        tags += cache[key][1]
    return tags
