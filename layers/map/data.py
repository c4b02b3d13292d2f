"""What the map needs from one version of the data, prepared once: feature JSON in the
Pacific-centred frame, uncertainty circles, named areas, display positions."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely import affinity

from layers.aggregate import MapWindow, display_positions
from layers.dates import describe_span
from layers.i18n import language
from layers.map.elements import feature_text, script_safe_json
from layers.map.style import AREA_LOOKS
from layers.map.tracks import clipped, simplified, track_shapes, track_texts, with_times
from layers.read.schema import KIND_COLOURS, KIND_LABELS
from layers.read.upload import UPLOAD_PREFIX
from layers.region import PACIFIC_FRAME_WEST_EDGE
from layers.view import MAX_ZOOM, MIN_ZOOM

CIRCLE_SEGMENTS = 72
LARGE_UNCERTAINTY_KM = 300


_GEOD = Geod(ellps="WGS84")


def to_pacific_frame(geometries: np.ndarray | gpd.GeoSeries, digits: int = 5) -> np.ndarray:
    """Geometries with western-hemisphere longitudes moved +360° and coordinates rounded.

    The map is centred on the Pacific, so a line split at 180° joins up again, and Hawaii lies
    east of Japan. The data itself stays in RFC 7946's −180…180. A line or area that crosses
    the frame's edge (30°W, in the Atlantic: a deployment from Norfolk through Suez) is cut
    there first, as RFC 7946 §3.1.9 cuts at 180°, so no segment is drawn the long way round.
    """
    geometries = np.asarray(geometries)
    bounds = shapely.bounds(geometries)
    crossing = (bounds[:, 0] < PACIFIC_FRAME_WEST_EDGE) & (bounds[:, 2] > PACIFIC_FRAME_WEST_EDGE)
    crossing &= ~np.isin(shapely.get_type_id(geometries), (0, 4))  # points need no cut
    if crossing.any():
        geometries = geometries.copy()
        geometries[crossing] = [_cut_at_frame_edge(item) for item in geometries[crossing]]

    def shift(coords: np.ndarray) -> np.ndarray:
        lons = np.where(coords[:, 0] < PACIFIC_FRAME_WEST_EDGE, coords[:, 0] + 360, coords[:, 0])
        return np.round(np.column_stack([lons, coords[:, 1]]), digits)

    return shapely.transform(geometries, shift)


_WEST_OF_EDGE = shapely.box(-180.0, -90.0, PACIFIC_FRAME_WEST_EDGE, 90.0)
_EAST_OF_EDGE = shapely.box(PACIFIC_FRAME_WEST_EDGE, -90.0, 180.0, 90.0)


def _cut_at_frame_edge(geometry):
    """A line or polygon cut at the frame's edge into a Multi geometry, its western pieces
    moved +360° (the pieces on the edge itself stay east of it)."""
    west = affinity.translate(geometry.intersection(_WEST_OF_EDGE), xoff=360.0)
    east = geometry.intersection(_EAST_OF_EDGE)
    dimension = 1 if geometry.geom_type.endswith("LineString") else 2
    parts = [
        part
        for piece in (east, west)
        for part in shapely.get_parts(piece)
        if shapely.get_dimensions(part) == dimension and not part.is_empty
    ]
    if dimension == 1:
        return shapely.MultiLineString(parts)
    return shapely.MultiPolygon(parts)


def hover_properties(row) -> dict:
    """What hovering an event shows, as plain text: title, kind and dates, nations, id.

    Prepared once for every reader, so in English whatever the language of the run that
    prepares it: the map says its kind, dates and hint in the reader's language
    (text_layer.hover_words)."""
    with language("en"):
        return _hover_properties(row)


def _hover_properties(row) -> dict:
    kind = KIND_LABELS.english(row.kind)
    nations = ", ".join(row.nations)
    uploaded = row.file.startswith(UPLOAD_PREFIX)
    return {
        "i": row.id,
        "c": KIND_COLOURS[row.kind],
        "t": row.title,
        "w": f"{kind} · {describe_span(row.start_text, row.end_text)}",
        "h": f"{nations} · uploaded ({row.file[len(UPLOAD_PREFIX) :]})" if uploaded else nations,
    }


def prepare_features(events: gpd.GeoDataFrame, geometries=None, tracks=None) -> pd.Series:
    """Each event's map features as JSON text, indexed like `events`; once per data version.

    A text holds one feature, or several joined by commas (one per point of a MultiPoint). A
    track's feature carries its times ("t0", "ts": layers.map.tracks). `geometries` (the
    events in the Pacific frame) and `tracks` (their track_shapes) are made here unless the
    caller has them already.
    """
    if events.empty:
        return pd.Series([], dtype=object)
    if geometries is None:
        geometries = to_pacific_frame(events.geometry.values)
    if tracks is None:
        tracks = track_shapes(events, geometries)
    geometry_texts = shapely.to_geojson(geometries)
    texts = []
    for geometry, geometry_text, row, track in zip(
        geometries, geometry_texts, events.itertuples(), tracks, strict=True
    ):
        if track is not None:
            feature = f'{{"type":"Feature","geometry":{geometry_text},"properties":'
            texts.append(with_times(feature + script_safe_json(hover_properties(row)) + "}", track))
            continue
        properties = script_safe_json(hover_properties(row))
        # Leaflet draws a MultiPoint as a nested layer group, which its group tooltips cannot
        # handle (1.9.3); its points are drawn as points of the same event instead.
        if geometry.geom_type == "MultiPoint":
            parts = shapely.to_geojson(shapely.get_parts(geometry))
        else:
            parts = [geometry_text]
        texts.append(
            ",".join(
                f'{{"type":"Feature","geometry":{part},"properties":{properties}}}'
                for part in parts
            )
        )
    return pd.Series(texts, index=events.index, dtype=object)


def prepare_uncertainty(events: gpd.GeoDataFrame) -> pd.Series:
    """Circles of `location_precision_km` around point events, as feature JSON text.

    Each circle carries its event's id ("e"): the month player shows a circle only in the
    months its event is shown (layers.map.player). Not "i", which marks a drawn event.

    A radius up to LARGE_UNCERTAINTY_KM travels as the point and its radius, drawn by
    Leaflet's L.circle (metres at that latitude, within about 1% of the geodesic circle at
    that size) so thousands of events cost bytes, not polygons. A larger one is a geodesic
    polygon computed here, where the flat approximation would visibly bend.
    """
    points = events[
        events["location_precision_km"].gt(0) & events.geom_type.isin(["Point", "MultiPoint"])
    ]
    if points.empty:
        return pd.Series([], dtype=object)
    radii = points["location_precision_km"].to_numpy()
    colours = points["kind"].map(KIND_COLOURS).to_numpy()
    framed = to_pacific_frame(points.geometry.values, digits=4)
    texts = []
    for geometry, original, radius_km, colour, event_id in zip(
        framed, points.geometry.values, radii, colours, points["id"], strict=True
    ):
        if radius_km <= LARGE_UNCERTAINTY_KM:
            shapes = shapely.get_parts(geometry)
            properties = {"c": colour, "e": event_id, "r": round(radius_km * 1000)}
        else:
            circles = [
                geodesic_circle(point.x, point.y, radius_km)
                for point in shapely.get_parts(original)
            ]
            shapes = to_pacific_frame(circles, digits=3)
            # A circle hundreds of km wide would tint a whole sea: outline only.
            properties = {"c": colour, "e": event_id, "f": 0}
        props = script_safe_json(properties)
        texts.append(
            ",".join(
                f'{{"type":"Feature","geometry":{geometry_json},"properties":{props}}}'
                for geometry_json in shapely.to_geojson(shapes)
            )
        )
    return pd.Series(texts, index=points.index, dtype=object)


def geodesic_circle(lon: float, lat: float, radius_km: float) -> shapely.Polygon:
    """A polygon within `radius_km` of a point on the WGS84 ellipsoid (not a flat circle)."""
    azimuths = np.linspace(0, 360, CIRCLE_SEGMENTS, endpoint=False)
    lons, lats, _ = _GEOD.fwd(
        np.full(CIRCLE_SEGMENTS, lon),
        np.full(CIRCLE_SEGMENTS, lat),
        azimuths,
        np.full(CIRCLE_SEGMENTS, radius_km * 1000.0),
    )
    # Keep the ring continuous across 180°: the display frame shifts it afterwards.
    lons = np.where(lons - lon > 180, lons - 360, np.where(lons - lon < -180, lons + 360, lons))
    return shapely.Polygon(list(zip(lons, lats, strict=False))[::-1])


def prepare_areas(areas: gpd.GeoDataFrame) -> pd.Series:
    """Each named area's map feature as JSON text, labelled with all its names."""
    if areas.empty:
        return pd.Series([], dtype=object)
    geometries = shapely.to_geojson(to_pacific_frame(areas.geometry.values, digits=4))
    texts = {}
    for geometry, (index, row) in zip(geometries, areas.iterrows()):
        properties = {**area_label(row), **AREA_LOOKS[row["kind"]]}
        texts[index] = feature_text(geometry, properties)
    return pd.Series(texts, dtype=object)


def area_label(row: pd.Series) -> dict:
    """An area's name and, under it, every alternate name: the map never picks one silently.

    "z" is the zoom from which the label stays on the map: small areas are labelled only once
    they are big enough on screen to carry one, 45 to 90 px across (`extent` / 360 * 256 *
    2^z, Web Mercator at the equator). At 23 to 45 px the Senkaku zones' three-line label,
    centred on them, lay over northern Taiwan at zoom 5.
    """
    west, south, east, north = row.geometry.bounds
    extent = max(east - west, north - south, 0.01)
    label_zoom = int(min(max(round(math.log2(360 / extent)) - 2, MIN_ZOOM), MAX_ZOOM))
    return {"t": row["name"], "w": " / ".join(row["alt_names"]), "z": label_zoom}


@dataclass(frozen=True)
class MapData:
    """What the map needs from one version of the data, prepared once and shared."""

    features: pd.Series
    uncertainty: pd.Series
    area_features: pd.Series
    positions: pd.DataFrame
    # The events that are not one point (lines, areas, multipoints) as shapely geometries in
    # the Pacific frame, indexed like the events: the density layer counts the cells they
    # touch. A point event's position is positions' x, y.
    shapes: pd.Series
    # The tracks (events with coord_times) in the Pacific frame, each position's time as Z
    # (layers.map.tracks.track_shapes), indexed like the events.
    tracks: pd.Series = field(default_factory=lambda: pd.Series([], dtype=object))
    # Tracks simplified for a zoom and tolerance, and their features, made as they are drawn.
    _drawn_tracks: OrderedDict = field(default_factory=OrderedDict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def drawn_features(self, index: pd.Index, zoom: int) -> pd.Series:
        """The features of the events `index` as drawn at `zoom`: a track simplified for that
        zoom (layers.map.tracks), every other event as prepared."""
        texts = self.features[index]
        tracked = index.intersection(self.tracks.index)
        if not len(tracked):
            return texts
        texts = texts.copy()
        texts[tracked] = self._texts(tracked, zoom, TRACK_TOLERANCES_PX[0])
        return texts

    def track_features(self, index: pd.Index, window: MapWindow) -> pd.Series | None:
        """The features of the tracks `index` as drawn in `window`, within
        TRACK_VERTEX_BUDGET positions: simplified within a pixel at its zoom, or, when that is
        more, only their parts in the window, then simplified within 2, 4 and 8 pixels; None
        when even that is more (the window shows counts per cell instead). A track with no
        part in the window is left out."""
        zoom, box = window.zoom, (window.west, window.south, window.east, window.north)
        finest, coarsest = TRACK_TOLERANCES_PX[0], TRACK_TOLERANCES_PX[-1]
        if _positions(self._shapes(index, zoom, finest)) <= TRACK_VERTEX_BUDGET:
            return self._texts(index, zoom, finest)
        if _positions(clipped(self._shapes(index, zoom, coarsest), *box)) > TRACK_VERTEX_BUDGET:
            return None  # settled at once, without the levels between
        for pixels in TRACK_TOLERANCES_PX:
            inside = clipped(self._shapes(index, zoom, pixels), *box)
            if _positions(inside) <= TRACK_VERTEX_BUDGET:
                return track_texts(self.features, inside)
        return None

    def _shapes(self, index: pd.Index, zoom: int, pixels: float) -> pd.Series:
        """The tracks `index` simplified for (zoom, pixels), each made once and kept for the
        last MAX_TRACK_LEVELS (zoom, pixels) drawn."""
        return self._held(
            ("shapes", zoom, pixels),
            index,
            lambda missing: simplified(self.tracks[missing], zoom, pixels),
        )

    def _texts(self, index: pd.Index, zoom: int, pixels: float) -> pd.Series:
        return self._held(
            ("texts", zoom, pixels),
            index,
            lambda missing: track_texts(self.features, self._shapes(missing, zoom, pixels)),
        )

    def _held(self, key: tuple, index: pd.Index, make) -> pd.Series:
        with self._lock:
            held = self._drawn_tracks.get(key)
        missing = index if held is None else index.difference(held.index)
        if len(missing):
            fresh = make(missing)
            held = fresh if held is None else pd.concat([held, fresh])
        with self._lock:
            self._drawn_tracks[key] = held
            self._drawn_tracks.move_to_end(key)
            while len(self._drawn_tracks) > MAX_TRACK_LEVELS:
                self._drawn_tracks.popitem(last=False)
        return held[index]

    @classmethod
    def prepare(cls, events: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> MapData:
        """What the map needs of `events` and `areas`, prepared once per data version."""
        return cls.from_columns(map_columns(events), areas)

    def joined(self, other: MapData) -> MapData:
        """This data and `other`'s events (a session's uploads: an index of their own) as one,
        every column of both, and nothing drawn yet. The areas are this data's."""
        return replace(
            self,
            features=pd.concat([self.features, other.features]),
            uncertainty=pd.concat([self.uncertainty, other.uncertainty]),
            positions=pd.concat([self.positions, other.positions]),
            shapes=pd.concat([self.shapes, other.shapes]),
            tracks=pd.concat([self.tracks, other.tracks]),
            _drawn_tracks=OrderedDict(),
            _lock=threading.Lock(),
        )

    @classmethod
    def from_columns(cls, columns: pd.DataFrame, areas: gpd.GeoDataFrame) -> MapData:
        """The MapData `prepare` gives, from the events' `map_columns` (kept per data file by
        layers.store.files, so a restart need not compute them)."""
        uncertainty = columns["uncertainty"]
        shapes = columns["shape"]
        tracks = columns["track"] if "track" in columns else pd.Series([], dtype=object)
        return cls(
            features=columns["feature"].rename(None),
            uncertainty=uncertainty[uncertainty != ""].rename(None),
            area_features=prepare_areas(areas),
            positions=columns[POSITION_COLUMNS],
            shapes=shapes[shapes.notna()].rename(None),
            tracks=tracks[tracks.notna()].rename(None),
        )


POSITION_COLUMNS = ["x", "y", "minx", "miny", "maxx", "maxy"]


def _positions(shapes: pd.Series) -> int:
    """How many positions the shapes hold together."""
    return int(shapely.get_num_coordinates(shapes.to_numpy()).sum()) if len(shapes) else 0


# Tracks' simplified shapes and features kept, by (zoom, tolerance): a zoom's and its
# neighbours', at a level or two each.
MAX_TRACK_LEVELS = 16
# The tolerances a track is simplified within, in pixels, finest first (layers.map.tracks).
TRACK_TOLERANCES_PX = (1.0, 2.0, 4.0, 8.0)
# At most this many track positions are sent for one view: about 600 KB with their times, what
# a map move sends for 1,500 point events.
TRACK_VERTEX_BUDGET = 20_000


def map_columns(events: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per event (same index), what the map draws of it, prepared from the event alone: its
    features as JSON text ("feature"), its uncertainty circle ("uncertainty", "" when it has
    none), its display position and box (POSITION_COLUMNS, aggregate.display_positions),
    unless it is one point, its geometry in the Pacific frame ("shape", else None), and for a
    track its positions with their times ("track", layers.map.tracks.track_shapes, else
    None)."""
    framed = to_pacific_frame(events.geometry.values)
    columns = display_positions(events, framed)
    shapes = np.empty(len(framed), dtype=object)
    not_point = shapely.get_type_id(framed) != 0
    shapes[not_point] = framed[not_point]
    columns["shape"] = shapes
    columns["track"] = track_shapes(events, framed)
    columns["feature"] = prepare_features(events, framed, columns["track"].to_numpy())
    columns["uncertainty"] = prepare_uncertainty(events).reindex(events.index, fill_value="")
    return columns
