"""The filtered events as files an analyst takes away: GeoJSON that loads back, and CSV."""

from __future__ import annotations

import csv
import io
import json

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping

from layers.measure import count_names
from layers.read.tracks import FIELD as COORD_TIMES
from layers.read.tracks import times_json

CSV_COLUMNS = (
    "id",
    "title",
    "kind",
    "start",
    "end",
    "windows",
    "nations",
    "sides",
    "lat",
    "lon",
    "geometry_type",
    "area",
    "zones",
    "location_precision_km",
    "forces",
    "organisations",
    "summary",
    "sources",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def event_feature(event: pd.Series) -> dict:
    """An event as a GeoJSON Feature in the data format it was read from."""
    properties = {
        "id": event["id"],
        "title": event["title"],
        "summary": event["summary"],
        "kind": event["kind"],
        "start": event["start_text"],
    }
    if event["end_text"]:
        properties["end"] = event["end_text"]
    properties["nations"] = list(event["nations"])
    for key in ("organisations", "forces"):
        if event[key]:
            properties[key] = list(event[key])
    if event["area"]:
        properties["area"] = event["area"]
    if pd.notna(event["location_precision_km"]):
        properties["location_precision_km"] = event["location_precision_km"]
    properties["sources"] = [dict(source) for source in event["sources"]]
    coord_times = event.get("coord_times")
    if coord_times:
        # A track's times, as togeojson writes them: the loader reads them back.
        properties[COORD_TIMES] = times_json(coord_times, event.geometry.geom_type)
    windows = event.get("windows")
    if windows:
        properties["windows"] = [{"start": start, "end": end} for start, end in windows]
    sides = event.get("sides")
    if isinstance(sides, tuple):
        # [] too: sides not known, which the loader reads back as such.
        properties["sides"] = [list(side) for side in sides]
    counts = event.get("counts")
    if isinstance(counts, dict) and counts:
        properties["counts"] = {name: int(value) for name, value in counts.items()}
    zones = event.get("zones")
    if zones:
        # Computed at load, written for the reader; the loader ignores it on re-load.
        properties["zones"] = [{"area": area, "status": status} for area, status in zones]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": mapping(event.geometry),
    }


def events_geojson(events: gpd.GeoDataFrame) -> str:
    """An RFC 7946 FeatureCollection of the events, loadable by the dashboard as a data file."""
    collection = {
        "type": "FeatureCollection",
        "features": [event_feature(event) for _, event in events.iterrows()],
    }
    return json.dumps(collection, ensure_ascii=False, indent=1)


def events_csv(events: gpd.GeoDataFrame) -> str:
    """One row per event; lists joined with ";"; a line or area is placed at a point inside it;
    an event's windows as ISO 8601 intervals, `2026-08-24T01:00Z/2026-08-24T13:00Z;…`; its
    sides as `sides_text` writes them (`CHN vs JPN`).

    After the fixed columns (CSV_COLUMNS), one column per count the events give, named
    "counts.<name>" (counts.aircraft): the event's count, or an empty cell when it gives none
    (never 0), so a spreadsheet adds up only what the sources counted.
    """
    names = count_names(events)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*CSV_COLUMNS, *(f"counts.{name}" for name in names)])
    for _, event in events.iterrows():
        point = event.geometry.representative_point()
        sources = "; ".join(
            f"{s['title']} <{s['url']}>" if s.get("url") else s["title"] for s in event["sources"]
        )
        row = [
            event["id"],
            event["title"],
            event["kind"],
            event["start_text"],
            event["end_text"] or "",
            # ISO 8601 intervals (start/end), as a spreadsheet keeps them: text.
            ";".join(f"{start}/{end}" for start, end in event.get("windows") or ()),
            ";".join(event["nations"]),
            sides_text(event.get("sides")),
            round(point.y, 5),
            round(point.x, 5),
            event.geometry.geom_type,
            event["area"] or "",
            ";".join(f"{area}:{status}" for area, status in event.get("zones") or ()),
            "" if pd.isna(event["location_precision_km"]) else event["location_precision_km"],
            ";".join(event["forces"]),
            ";".join(event["organisations"]),
            event["summary"],
            sources,
        ]
        counts = event.get("counts")
        counts = counts if isinstance(counts, dict) else {}
        row += [counts.get(name, "") for name in names]
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def sides_text(sides) -> str:
    """An event's sides in a cell: sides joined by " vs ", the nations of a side by "+"
    (`CHN vs JPN`, `CAN+USA`); "" for an event without sides, "not known" for sides not
    known (the loader's ())."""
    if not isinstance(sides, tuple):
        return ""
    return " vs ".join("+".join(side) for side in sides) if sides else "not known"


def csv_cell(value):
    """A cell a spreadsheet shows as text: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
