"""A folder of checked data files, kept on disk so a restart need not check them again.

Each entry is one Arrow IPC file (zstd-compressed) named by its key, the hash of everything its
content depends on: the file's name and bytes, what it was checked against, the cache format
and a fingerprint of the code (every module of `layers/`, and the versions of the libraries
that shape the result). A change to the validator or to this format changes every key, so an
entry written by other code is never read, whatever anyone remembers to bump.

Entries are written to a temporary file and renamed into place (`os.replace`), so a process
reading while another writes sees a whole entry or none. An entry that cannot be read (cut
short, corrupt, written by another format) is treated as missing and written again: the cache
can cost time, never an error. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import stat
import tempfile
import time
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from layers.i18n import Message
from layers.read.load import FileCheck, RowNotes, file_kind
from layers.read.schema import Problem

# Bump when the layout of an entry changes (the code fingerprint changes anyway then, since
# this module is part of it; the number says so in the entry itself).
FORMAT_VERSION = 2
ENTRY_SUFFIX = ".arrow"
# Entries no load has used for this long are removed (the data files they were made from have
# changed or gone). A week spares caches shared by processes running different code for a while.
STALE_AFTER_S = 7 * 24 * 3600
LAYERS_DIR = Path(__file__).resolve().parent.parent
# The libraries whose output is kept in entries (parsed dates, geometry, derived JSON text).
LIBRARIES = ("pandas", "geopandas", "shapely", "pyarrow", "numpy", "pyproj")
_ROW_COLUMNS = ("_row_start", "_row_warnings", "_row_name")


def code_fingerprint(*extra_sources: Path) -> str:
    """A hash of the code that makes an entry: every .py file under layers/ (and
    `extra_sources`), the Python version and the versions of LIBRARIES."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"format {FORMAT_VERSION}\0python {platform.python_version()}\0".encode())
    for name in LIBRARIES:
        digest.update(f"{name} {metadata.version(name)}\0".encode())
    sources = [(path.relative_to(LAYERS_DIR), path) for path in sorted(LAYERS_DIR.rglob("*.py"))]
    sources += [(Path(path).name, Path(path)) for path in extra_sources]
    for name, path in sources:
        digest.update(str(name).encode("utf-8", "replace") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def entry_key(*parts: str | bytes) -> str:
    """The key of an entry: a hash of its parts (each text or bytes), in order."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "replace") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


class DiskCache:
    """Entries (Arrow tables) in one folder, by key. Never raises: a folder that cannot be
    made or written turns the cache into a pass-through; an unreadable entry is missing."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        # Entries found to be no file at all (a named pipe, a socket, a folder), as (path,
        # what it is), for the caller to name; opening a named pipe would wait for a writer.
        self.odd: list[tuple[Path, str]] = []

    def read(self, key: str) -> pa.Table | None:
        path = self.folder / f"{key}{ENTRY_SUFFIX}"
        try:
            mode = path.stat().st_mode
        except OSError:  # missing, or a broken link: written again by the caller
            return None
        if not stat.S_ISREG(mode):
            self.odd.append((path, file_kind(mode)))
            return None
        try:
            with pa.memory_map(str(path)) as source:
                table = pa.ipc.open_file(source).read_all()
            if (table.schema.metadata or {}).get(b"key") != key.encode():
                raise ValueError("an entry for another key")
        except FileNotFoundError:
            return None
        except Exception:  # cut short, corrupt or foreign: rebuilt by the caller
            self._remove(path)
            return None
        self._touch(path)
        return table

    def write(self, key: str, table: pa.Table) -> None:
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), b"key": key.encode()}
        )
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{key}.", dir=self.folder)
            with os.fdopen(handle, "wb") as sink:
                options = pa.ipc.IpcWriteOptions(compression="zstd")
                with pa.ipc.new_file(sink, table.schema, options=options) as writer:
                    writer.write_table(table)
            os.replace(temporary, self.folder / f"{key}{ENTRY_SUFFIX}")
        except Exception:  # a full disk or a read-only folder: the data still loads
            if temporary:
                self._remove(Path(temporary))

    def prune(self, keep: set[str], older_than_s: float = STALE_AFTER_S) -> int:
        """Remove entries not in `keep` that no load has used for `older_than_s` seconds, and
        leftover temporary files as old; how many were removed."""
        removed = 0
        limit = time.time() - older_than_s
        try:
            paths = list(self.folder.iterdir())
        except OSError:
            return 0
        for path in paths:
            key = path.name.removesuffix(ENTRY_SUFFIX)
            ours = path.suffix == ENTRY_SUFFIX or path.name.startswith(".")
            try:
                if ours and key not in keep and path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    @staticmethod
    def _touch(path: Path) -> None:
        with contextlib.suppress(OSError):  # a read-only cache is still read
            os.utime(path)

    @staticmethod
    def _remove(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()


# --- a file check as an Arrow table, and back ------------------------------------------------


def check_table(check: FileCheck) -> pa.Table:
    """A FileCheck as a table: its rows (geometry as WKB), each row's notes, and in the
    metadata its label, problems and duplicate-id notes."""
    table = frame_table(check.table.drop(columns="geometry"))
    table = table.append_column("geometry", pa.array(shapely.to_wkb(check.table.geometry.values)))
    notes = check.notes
    for name, values, kind in zip(
        _ROW_COLUMNS,
        (notes.starts, notes.warnings, [json.dumps(_text_json(name)) for name in notes.names]),
        (pa.int64(), pa.int64(), pa.string()),
        strict=True,
    ):
        table = table.append_column(name, pa.array(values, type=kind))
    problems = [
        [
            problem.file,
            _text_json(problem.message),
            _text_json(problem.feature),
            problem.field,
            problem.skipped,
        ]
        for problem in check.problems
    ]
    return table.replace_schema_metadata(
        {
            **table.schema.metadata,
            b"label": check.label.encode(),
            b"problems": json.dumps(problems).encode(),
            b"duplicates": json.dumps(notes.duplicates).encode(),
        }
    )


def table_check(table: pa.Table) -> FileCheck:
    """The FileCheck `check_table` made `table` from."""
    found = table.schema.metadata
    rows = table.drop_columns([*_ROW_COLUMNS, "geometry"])
    frame = table_frame(rows)
    geometry = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    checked = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    starts, warnings, names = (table.column(name).to_pylist() for name in _ROW_COLUMNS)
    duplicates = [(at, event_id) for at, event_id in json.loads(found[b"duplicates"])]
    problems = [
        Problem(file, _json_text(message), _json_text(feature), field, skipped)
        for file, message, feature, field, skipped in json.loads(found[b"problems"])
    ]
    names = [_json_text(json.loads(name)) for name in names]
    notes = RowNotes(starts, warnings, names, duplicates)
    return FileCheck(found[b"label"].decode(), checked, problems, notes)


def _text_json(text: object) -> object:
    """A text as JSON: a Message (layers.i18n) as {"message": its id, "arguments": …} so
    that it comes back translatable, anything else as it is."""
    if isinstance(text, Message):
        return {
            "message": text.template,
            "arguments": {key: _text_json(value) for key, value in text.arguments.items()},
        }
    if text is None or isinstance(text, (bool, int, float)):
        return text
    return str(text)


def _json_text(value: object) -> object:
    """What `_text_json` wrote, as it was: a Message again."""
    if isinstance(value, dict):
        arguments = {key: _json_text(item) for key, item in value["arguments"].items()}
        return Message(value["message"], **arguments)
    return value


def frame_table(frame: pd.DataFrame) -> pa.Table:
    """A table of a data frame's columns: text, numbers, dates and flags as Arrow's own,
    shapely geometries (or None) as WKB; any other values (lists, dicts, tuples) as one JSON
    document per column, kept in the table's metadata with how to read it back
    (`table_frame`)."""
    geometries = [name for name in frame.columns if _is_geometry(frame[name])]
    native = [
        name for name in frame.columns if name not in geometries and not _needs_json(frame[name])
    ]
    table = pa.Table.from_pandas(frame[native], preserve_index=False)
    for name in geometries:
        wkb = shapely.to_wkb(frame[name].to_numpy())
        table = table.append_column(name, pa.array(wkb, pa.binary()))
    metadata = dict(table.schema.metadata)
    encoded = {}
    for name in frame.columns:
        if name in native or name in geometries:
            continue
        values = frame[name].tolist()
        encoded[name] = _json_kind(values)
        # One document for the whole column: many times quicker than one per value.
        metadata[f"json:{name}".encode()] = json.dumps(values).encode()
    # Text kept as Python objects (not pandas' own text type) comes back so.
    objects = [name for name in native if frame[name].dtype == object]
    layout = {
        "columns": list(frame.columns),
        "json": encoded,
        "objects": objects,
        "geometries": geometries,
    }
    metadata[b"frame"] = json.dumps(layout).encode()
    return table.replace_schema_metadata(metadata)


def table_frame(table: pa.Table) -> pd.DataFrame:
    """The data frame `frame_table` made `table` from (same columns, values and types)."""
    metadata = table.schema.metadata
    layout = json.loads(metadata[b"frame"])
    frame = table.drop_columns(layout["geometries"]).to_pandas()
    for name in layout["objects"]:
        frame[name] = frame[name].astype(object)
    for name in layout["geometries"]:
        frame[name] = shapely.from_wkb(table.column(name).to_numpy(zero_copy_only=False))
    for name, kind in layout["json"].items():
        values = json.loads(metadata[f"json:{name}".encode()])
        if kind == "json-pairs":
            values = [tuple(map(tuple, value)) for value in values]
        elif kind == "json-tuples":
            values = [_as_tuples(value) for value in values]
        column = np.empty(len(values), dtype=object)
        column[:] = values
        frame[name] = column
    return frame[layout["columns"]]


def _is_geometry(column: pd.Series) -> bool:
    if column.dtype != object:
        return False
    present = column.dropna()
    return len(present) > 0 and bool(shapely.is_geometry(present.to_numpy()).all())


def _needs_json(column: pd.Series) -> bool:
    if column.dtype != object:
        return False
    return not all(isinstance(value, str) for value in column)


def _json_kind(values: list) -> str:
    """How a column's values come back from JSON: as JSON gives them ("json"); when the column
    holds tuples, every list a tuple ("json-tuples"), or quicker for tuples of tuples of plain
    values such as zone tags ("json-pairs")."""
    if not any(type(value) is tuple for value in values):
        return "json"
    plain = (str, int, float, bool, type(None))
    for value in values:
        if type(value) is not tuple:
            return "json-tuples"
        for item in value:
            if type(item) is not tuple or not all(isinstance(part, plain) for part in item):
                return "json-tuples"
    return "json-pairs"


def _as_tuples(value):
    if type(value) is not list:
        return value
    return tuple([_as_tuples(item) if type(item) is list else item for item in value])
