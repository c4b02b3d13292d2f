"""The region the dashboard covers, in one place for the basemap, the map and the validator.

The map is Pacific-centred: longitudes west of 30°W are drawn +360° (see `layers.view`), so
the region 90°E → 150°W is the continuous span 90…210. The box is the one the offline basemap
is cut to (`tools/make_basemap.py`, `static/basemap/NOTICE.md`): the Indo-Pacific from the Bay
of Bengal's eastern shore to Hawaii, from Java and northern Australia to the Sea of Okhotsk.
"""

from __future__ import annotations

import numpy as np

# (south, west), (north, east) in degrees, longitudes in the Pacific frame.
MAP_REGION = ((-15.0, 90.0), (56.0, 210.0))
# A position more than this many degrees beyond the box is "far outside": a warning, since it
# is more often a typing or column mistake than an event (the Bay of Bengal, just west of the
# box, stays quiet).
FAR_MARGIN_DEGREES = 10.0
# Longitudes west of this are drawn +360° (the Pacific frame of the map and the basemap).
PACIFIC_FRAME_WEST_EDGE = -30.0


def describe_region() -> str:
    """The map's region in words: "15°S–56°N, 90°E–150°W"."""
    (south, west), (north, east) = MAP_REGION
    return f"{_lat(south)}–{_lat(north)}, {_lon(west)}–{_lon(east)}"


def far_outside(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """True where a WGS84 position (degrees, lon in −180…180) is far outside the map's region.

    Shapes: `lon` and `lat` are arrays of one shape; the result has that shape.
    """
    (south, west), (north, east) = MAP_REGION
    margin = FAR_MARGIN_DEGREES
    pacific = np.where(lon < PACIFIC_FRAME_WEST_EDGE, lon + 360.0, lon)
    inside = (
        (lat >= south - margin)
        & (lat <= north + margin)
        & (pacific >= west - margin)
        & (pacific <= east + margin)
    )
    return ~inside


def _lat(value: float) -> str:
    return f"{abs(value):g}°{'S' if value < 0 else 'N'}"


def _lon(value: float) -> str:
    lon = value - 360.0 if value > 180.0 else value
    return f"{abs(lon):g}°{'W' if lon < 0 else 'E'}"
