"""What the dashboard prepares from each event alone, once per events file: the map's columns
(layers.map.data) and the zones the event touches (layers.analysis.zones).

layers.store.files computes these per data file and keeps them in its cache with the file's
checked events, so neither a restart nor an added file computes them for the other files.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers.analysis.zones import zone_tags
from layers.map.data import map_columns


def event_columns(events: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per event (same index): `map_columns` (feature, uncertainty, display position and box)
    and "zones", its zone tags against the named `areas` (a tuple of (area id, status))."""
    columns = map_columns(events)
    columns["zones"] = zone_tags(events, areas)
    return columns
