"""Tracks on the map: a line event with a time for each position (`coord_times`).

The map draws a track with arrowheads along it (text_layer.GeoJsonText), and the month player
(player.py) moves a marker along it with the track so far. Both read two properties of the
track's feature: "t0", the time of its first position in seconds since 1970 (UTC), and "ts",
each drawn position's time as the seconds since the position before it, in the order of the
geometry's positions (since "t0" for the first; for a MultiLineString, one list per line).

A track is drawn simplified for the zoom it is seen at (Douglas–Peucker within
TOLERANCE_PX pixels, in degrees rounded to a tenth of a pixel): the positions drawn are a
subset of the data's, each keeping its own time, so the marker moves between real positions at
their real times. The data keeps every
position; 500 positions a track at zoom 4 draw as a few dozen.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.aggregate import degrees_per_pixel
from layers.read.tracks import seconds

# How far (in screen pixels) a simplified track may stray from the data's positions.
TOLERANCE_PX = 1.0
_PROPERTIES = ',"properties":'


def track_shapes(events: gpd.GeoDataFrame, framed: np.ndarray) -> np.ndarray:
    """Per event (aligned with `events`), its track as a shapely geometry with each position's
    time as Z (seconds since 1970, UTC), in the map's frame (`framed`: the events' geometries
    in the Pacific frame, layers.map.data.to_pacific_frame); None for an event without times.

    A track whose frame cut it into other parts than its times' (one crossing 30°W, far outside
    the region) is drawn without times: None.
    """
    shapes = np.full(len(events), None, dtype=object)
    if "coord_times" not in events or not len(events):
        return shapes
    timed = np.flatnonzero(
        [isinstance(times, tuple) and bool(times) for times in events["coord_times"]]
    )
    if not len(timed):
        return shapes
    geometries = np.asarray(framed)[timed]
    times = events["coord_times"].to_numpy()[timed]
    line_counts = [[len(line) for line in lines] for lines in times]
    parts = [shapely.get_parts(geometry) for geometry in geometries]
    fits = np.array(
        [
            list(shapely.get_num_coordinates(lines)) == counts
            for lines, counts in zip(parts, line_counts, strict=True)
        ]
    )
    if not fits.any():
        return shapes
    timed, geometries, times = timed[fits], geometries[fits], times[fits]
    coordinates = shapely.get_coordinates(geometries)
    moments = seconds([time for lines in times for line in lines for time in line])
    lengths = [len(line) for lines in times for line in lines]
    line_of_position = np.repeat(np.arange(len(lengths)), lengths)
    lines = shapely.linestrings(np.column_stack([coordinates, moments]), indices=line_of_position)
    event_of_line = np.repeat(np.arange(len(times)), [len(lines_) for lines_ in times])
    multi = np.array([geometry.geom_type == "MultiLineString" for geometry in geometries])
    made = np.empty(len(times), dtype=object)
    single = ~multi[event_of_line]
    made[event_of_line[single]] = lines[single]
    if multi.any():
        keep = multi[event_of_line]
        made[multi] = _multis(lines[keep], event_of_line[keep], multi)
    shapes[timed] = made
    return shapes


def _multis(lines: np.ndarray, owners: np.ndarray, multi: np.ndarray) -> list:
    """MultiLineStrings of `lines` grouped by their owner event (in the order of `multi`'s
    True entries)."""
    order = np.flatnonzero(multi)
    position = {owner: at for at, owner in enumerate(order)}
    renumbered = np.array([position[owner] for owner in owners])
    return list(shapely.multilinestrings(lines, indices=renumbered))


def time_properties(shape) -> str:
    """`"t0":…,"ts":[…]` (no braces) for a track shape with times as Z: the first time in whole
    seconds, and for each position the seconds since the position before it in the geometry's
    order (since "t0" for the first), rounded to the second: short numbers, for one a report."""
    parts = shapely.get_parts(shape)
    coordinates = shapely.get_coordinates(shape, include_z=True)
    first = int(np.floor(coordinates[0, 2]))
    seconds_since = np.rint(coordinates[:, 2] - first).astype(np.int64)
    offsets = np.diff(seconds_since, prepend=0).tolist()
    if shape.geom_type == "LineString":
        written = offsets
    else:
        counts = shapely.get_num_coordinates(parts)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        written = [offsets[bounds[at] : bounds[at + 1]] for at in range(len(counts))]
    return f'"t0":{first},"ts":{json.dumps(written, separators=(",", ":"))}'


def with_times(feature: str, shape) -> str:
    """A feature's JSON text with its track's time properties added."""
    return feature[:-2] + "," + time_properties(shape) + "}}"


def simplified(shapes: pd.Series, zoom: int, pixels: float = TOLERANCE_PX) -> pd.Series:
    """Tracks (with times as Z) simplified within `pixels` pixels at `zoom`: a subset of their
    positions, each with its time, their degrees rounded to a tenth of a pixel (2 decimals at
    zoom 4, 3 at zoom 8, 5 from zoom 14).

    First Douglas–Peucker (the drawn line within `pixels` of every position), then in time:
    a position is kept back when the point the player would put the track at its time
    (between the two kept positions around it, in proportion to their times) is more than
    `pixels` from it; twice more for those the first round moved. So a marker is where the
    data puts it, to within the tolerance, whatever the ship's changes of speed.
    """
    if shapes.empty:
        return pd.Series([], dtype=object)
    pixel = degrees_per_pixel(zoom)
    tolerance = pixels * pixel
    parts, owner = shapely.get_parts(shapes.to_numpy(), return_index=True)
    coordinates = shapely.get_coordinates(parts, include_z=True)
    part_of = np.repeat(np.arange(len(parts)), shapely.get_num_coordinates(parts))
    # Douglas–Peucker on the positions numbered in Z: which it keeps (always each line's ends).
    numbered = shapely.set_coordinates(
        parts.copy(), np.column_stack([coordinates[:, :2], np.arange(len(coordinates))])
    )
    simple = shapely.simplify(numbered, tolerance, preserve_topology=False)
    keep = np.zeros(len(coordinates), dtype=bool)
    keep[shapely.get_coordinates(simple, include_z=True)[:, 2].astype(np.int64)] = True
    x, y, times = coordinates[:, 0], coordinates[:, 1], coordinates[:, 2]
    every = np.arange(len(coordinates))
    for _ in range(3):
        kept = np.flatnonzero(keep)
        before = kept[np.searchsorted(kept, every, side="right") - 1]
        after = kept[np.minimum(np.searchsorted(kept, every, side="left"), len(kept) - 1)]
        span = times[after] - times[before]
        share = np.divide(times - times[before], span, out=np.zeros(len(times)), where=span > 0)
        away = np.hypot(
            x[before] + share * (x[after] - x[before]) - x,
            y[before] + share * (y[after] - y[before]) - y,
        )
        late = away > tolerance
        if not late.any():
            break
        keep |= late
    digits = min(5, max(1, math.ceil(-math.log10(pixel))))
    drawn = coordinates[keep].copy()
    drawn[:, :2] = np.round(drawn[:, :2], digits)
    lines = shapely.linestrings(drawn, indices=part_of[keep])
    multi = np.array([shape.geom_type == "MultiLineString" for shape in shapes])
    made = np.empty(len(shapes), dtype=object)
    single = ~multi[owner]
    made[owner[single]] = lines[single]
    if multi.any():
        grouped = multi[owner]
        made[multi] = _multis(lines[grouped], owner[grouped], multi)
    return pd.Series(made, index=shapes.index, dtype=object)


def clipped(shapes: pd.Series, west: float, south: float, east: float, north: float) -> pd.Series:
    """The parts of tracks (with times as Z) that the box touches: each segment whose box meets
    it, with both its positions (so a line leaves the box as it does), as runs of such
    segments, each run a line. A track with no segment in the box is left out. Every position
    kept is one of the track's, with its time."""
    if shapes.empty:
        return shapes
    parts, owner = shapely.get_parts(shapes.to_numpy(), return_index=True)
    coordinates = shapely.get_coordinates(parts, include_z=True)
    part_of = np.repeat(np.arange(len(parts)), shapely.get_num_coordinates(parts))
    x, y = coordinates[:, 0], coordinates[:, 1]
    inside = (
        (part_of[1:] == part_of[:-1])
        & (np.minimum(x[1:], x[:-1]) <= east)
        & (np.maximum(x[1:], x[:-1]) >= west)
        & (np.minimum(y[1:], y[:-1]) <= north)
        & (np.maximum(y[1:], y[:-1]) >= south)
    )
    keep = np.zeros(len(coordinates), dtype=bool)
    keep[:-1] |= inside
    keep[1:] |= inside
    if not keep.any():
        return pd.Series([], dtype=object)
    # A run starts at a kept position whose segment before it is not kept.
    starts = keep & ~np.concatenate([[False], inside])
    run = np.cumsum(starts) - 1
    lines = shapely.linestrings(coordinates[keep], indices=run[keep])
    tracks = owner[part_of[starts]]
    kept, numbered = np.unique(tracks, return_inverse=True)
    made = shapely.multilinestrings(lines, indices=numbered)
    return pd.Series(made, index=shapes.index[kept], dtype=object)


def track_texts(features: pd.Series, shapes: pd.Series) -> pd.Series:
    """Each track's feature as drawn: its geometry from `shapes` (with times as Z: simplified
    or clipped), its hover properties from its prepared feature (`features`, with "t0"/"ts")
    and the times of the positions drawn."""
    if shapes.empty:
        return pd.Series([], dtype=object)
    geometry_texts = shapely.to_geojson(shapely.force_2d(shapes.to_numpy()))
    texts = []
    for feature, geometry, shape in zip(
        features.loc[shapes.index], geometry_texts, shapes, strict=True
    ):
        properties = feature[feature.rindex(_PROPERTIES) + len(_PROPERTIES) : -1]
        # The hover properties stay; the times are those of the positions drawn.
        hover = properties[: properties.rindex(',"t0":')]
        texts.append(
            '{"type":"Feature","geometry":'
            + geometry
            + ',"properties":'
            + hover
            + ","
            + time_properties(shape)
            + "}}"
        )
    return pd.Series(texts, index=shapes.index, dtype=object)
