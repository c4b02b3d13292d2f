"""Geographic files (KML, KMZ, GeoPackage, a zipped Shapefile, GeoJSON with other properties,
FlatGeobuf) as one Table of rows, read with pyogrio: one row per feature, its attributes as
columns and its geometry as WKT in the column "geometry" (longitude/latitude, WGS84: other
coordinate systems are reprojected).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import warnings

import pandas as pd

from layers.read.schema import Problem
from layers.read.table import MAX_SOURCE_ROWS, Table

GEO_SUFFIXES = (".kml", ".kmz", ".gpx", ".gpkg", ".zip", ".geojson", ".json", ".fgb")
GEOMETRY_COLUMN = "geometry"


def read_geo(raw: bytes, label: str, suffix: str, encoding: str | None = None) -> Table:
    """Every feature of a geographic file as a row; problems name `label`.

    `suffix` (".kml", …) says what the bytes are; `encoding` names the text encoding of a
    Shapefile's attributes when it has no .cpg (default: detected).
    """
    return _read_geo(raw, label)


def _read_geo(raw: bytes, label: str) -> Table:
    """Every layer of a geographic file (KML folders, GeoPackage tables), one row a feature,
    with the layer's name in the column "layer" when there are several."""
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(io.BytesIO(raw))]
            # By index: a file read from memory gets a new layer name at each opening.
            frames = [
                pyogrio.read_dataframe(io.BytesIO(raw), layer=index) for index in range(len(layers))
            ] or [pyogrio.read_dataframe(io.BytesIO(raw))]
        except Exception:
            return Table(
                [],
                [],
                problems=[
                    Problem(
                        label,
                        "cannot be read as KML, GeoPackage, GeoJSON or a zipped Shapefile",
                    )
                ],
            )
    problems = []
    if any(frame.crs is None for frame in frames):
        problems.append(
            Problem(
                label,
                "names no coordinate system; its coordinates are read as WGS84 longitude and "
                "latitude",
                skipped=False,
            )
        )
    frames = [
        frame.to_crs("EPSG:4326")
        if frame.crs is not None and not frame.crs.equals("EPSG:4326")
        else frame
        for frame in frames
    ]
    several = len(frames) > 1
    columns = list(
        dict.fromkeys(
            column for frame in frames for column in frame.columns if column != frame.geometry.name
        )
    )
    if several:
        columns = ["layer", *columns]
    table = Table([*columns, GEOMETRY_COLUMN], [], problems=problems, noun="feature")
    number = 0
    for layer, frame in zip(layers or [""], frames, strict=False):
        for record in frame.to_dict("records"):
            number += 1
            if number > MAX_SOURCE_ROWS:
                problems.append(
                    Problem(label, f"has over {MAX_SOURCE_ROWS:,} features; the rest is left out")
                )
                return table
            row = {column: _attribute_text(record.get(column)) for column in columns}
            if several:
                row["layer"] = layer
            geometry = record.get(frame.geometry.name)
            row[GEOMETRY_COLUMN] = geometry.wkt if geometry is not None else ""
            table.rows.append((number, row))
    return table


def _attribute_text(value: object) -> str:
    """A feature attribute as a cell: numbers as written, lists and objects as JSON, nothing
    (None, NaN, NaT) as ""."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "tolist"):
        value = value.tolist() if hasattr(value, "tolist") else value
        if not isinstance(value, (list, tuple, dict)):
            return _attribute_text(value)
        return json.dumps(value, ensure_ascii=False, default=str)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()
