"""What the map draws for a view: each event itself, or counts per grid cell when there are many.

The browser is sent only what the current map window shows, so a filter change or a pan costs
bytes in proportion to what is visible, not to the size of the data:

- the *window* is the map's viewport padded by half its size on every side and snapped to a
  coarse grid, so small pans keep the same window and nothing is re-sent;
- when at most DETAIL_LIMIT filtered events touch the window, they are drawn as themselves;
- otherwise events are counted per grid cell (about CELL_PX pixels square at the current zoom)
  and drawn as sized circles that open to their counts by kind and zoom in when clicked.

All positions are in the map's Pacific-centred frame (see layers.map.data.to_pacific_frame).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

DETAIL_LIMIT = 1500
CELL_PX = 64
TILE_PX = 256
# Map size assumed before the browser has reported its real bounds.
NOMINAL_MAP_PX = (900, 620)


@dataclass(frozen=True)
class MapWindow:
    """The part of the map whose content is sent: west, south, east, north and the zoom."""

    west: float
    south: float
    east: float
    north: float
    zoom: int

    def cell_degrees(self) -> float:
        """Side of an aggregation cell, in degrees of longitude, at this zoom."""
        return CELL_PX * 360.0 / (TILE_PX * 2**self.zoom)


def degrees_per_pixel(zoom: int) -> float:
    return 360.0 / (TILE_PX * 2**zoom)


def map_window(
    zoom: int,
    center: tuple[float, float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> MapWindow:
    """The snapped, padded window around the map's bounds (or an estimate from its centre).

    `bounds` is (west, south, east, north) as the map reports it; without it the viewport is
    estimated from `center` (lat, lon) and NOMINAL_MAP_PX.
    """
    if bounds is None:
        lat, lon = center
        half_width = NOMINAL_MAP_PX[0] / 2 * degrees_per_pixel(zoom)
        half_height = NOMINAL_MAP_PX[1] / 2 * degrees_per_pixel(zoom) * math.cos(math.radians(lat))
        bounds = (lon - half_width, lat - half_height, lon + half_width, lat + half_height)
    west, south, east, north = bounds
    span = max(east - west, north - south, 1e-6)
    # Snap to a step of a quarter of the span rounded up to a power of two: a pan smaller than
    # the padding leaves the window unchanged.
    step = 2.0 ** math.ceil(math.log2(span)) / 4
    pad = span / 2
    return MapWindow(
        west=math.floor((west - pad) / step) * step,
        south=max(-90.0, math.floor((south - pad) / step) * step),
        east=math.ceil((east + pad) / step) * step,
        north=min(90.0, math.ceil((north + pad) / step) * step),
        zoom=zoom,
    )


def display_positions(events: gpd.GeoDataFrame, frame_geometries) -> pd.DataFrame:
    """Per event, in the display frame: a point on it (x, y) and its bounding box."""
    geometries = np.asarray(frame_geometries)
    bounds = shapely.bounds(geometries).reshape(-1, 4)
    points = shapely.get_coordinates(shapely.point_on_surface(geometries)).reshape(-1, 2)
    return pd.DataFrame(
        {
            "x": points[:, 0],
            "y": points[:, 1],
            "minx": bounds[:, 0],
            "miny": bounds[:, 1],
            "maxx": bounds[:, 2],
            "maxy": bounds[:, 3],
        },
        index=events.index,
    )


def in_window(positions: pd.DataFrame, window: MapWindow) -> pd.Series:
    """True for events whose bounding box touches the window."""
    return (
        (positions["maxx"] >= window.west)
        & (positions["minx"] <= window.east)
        & (positions["maxy"] >= window.south)
        & (positions["miny"] <= window.north)
    )


def clusters(
    positions: pd.DataFrame, kinds: pd.Series, window: MapWindow, groups: pd.Series | None = None
) -> pd.DataFrame:
    """Counts of events per grid cell: cx, cy (the cell), x, y (mean position), n, n per kind.

    `positions` may list an event more than once, with `groups` (aligned row by row, e.g. the
    month) saying which group each row counts in; the result then has a "group" column. Cells
    are aligned to the world grid, not the window, so the same cell holds the same events
    wherever the map is panned.
    """
    size = window.cell_degrees()
    x, y = positions["x"].to_numpy(), positions["y"].to_numpy()
    cx = np.floor(x / size).astype("int64")
    cy = np.floor(y / size).astype("int64")
    group_codes, group_names = pd.factorize(
        pd.Series(groups.to_numpy() if groups is not None else np.zeros(len(x), dtype=int)),
        sort=True,
    )
    kind_codes, kind_names = pd.factorize(
        pd.Series(kinds.reindex(positions.index).to_numpy()), sort=True
    )
    # One int64 per (group, cell), ordered as (group, cx, cy): numpy's unique and bincount do
    # the grouping (pandas' groupby cost several times more per map update).
    shift = 1 << 21
    keys = (group_codes.astype("int64") * shift + cx + shift // 2) * shift + cy + shift // 2
    unique, inverse = np.unique(keys, return_inverse=True)
    n = np.bincount(inverse)
    # Counts per (cell, kind) by one bincount: numpy's add.at did the same ~10x slower.
    kind_count = len(kind_names)
    by_kind = np.bincount(
        inverse.ravel() * kind_count + kind_codes, minlength=len(unique) * kind_count
    ).reshape(len(unique), kind_count)
    result = pd.DataFrame(
        {
            "group": np.asarray(group_names)[unique // shift // shift],
            "cx": unique // shift % shift - shift // 2,
            "cy": unique % shift - shift // 2,
            "x": np.bincount(inverse, weights=x) / n,
            "y": np.bincount(inverse, weights=y) / n,
            "n": n,
        }
    )
    result[list(kind_names)] = by_kind
    return result if groups is not None else result.drop(columns=["group"])
