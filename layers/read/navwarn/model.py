"""What a navigational warning is once read: its windows, its areas and the warning itself.

Shared by the reader's stages (layers.read.navwarn.times, .areas, .headers) so none imports
another's internals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import shapely
import shapely.geometry
from pyproj import Geod

NM_KM = 1.852  # one international nautical mile, km (by definition)
CIRCLE_VERTICES = 128
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Window:
    """One period a warning is in force, as its text writes it.

    `start` and `end` are dates (`dt.date`: the text gives days, or hours in a zone it does not
    state) or aware datetimes (`dt.datetime` with tzinfo: the text gives the hours and their
    zone, UTC/Z, 北京时间 = UTC+8, JST/日本時 = UTC+9). `written` is the text it was read
    from; `span` its (start, end) offsets in the normalised (NFKC) text.
    """

    start: dt.date
    end: dt.date
    written: str = ""
    span: tuple[int, int] = (0, 0)

    def first_day(self) -> dt.date:
        """The start's calendar day as written (a datetime's own date)."""
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    def last_day(self) -> dt.date:
        """The end's calendar day as written; an end at 00:00 (`2400`, `TO 010000Z`) closes the
        day before, the last one in force."""
        if isinstance(self.end, dt.datetime):
            if self.end.time() == dt.time(0) and self.end > self.start:
                return (self.end - dt.timedelta(days=1)).date()
            return self.end.date()
        return self.end


@dataclass
class Area:
    """One area of a warning: a polygon, circle or sector (an area), a line, or points.

    `form` is "polygon", "circle", "sector", "line" or "points". `positions` are (lon, lat) in
    degrees, WGS84, in the order written; `radius_nm` is a circle's or sector's radius in
    nautical miles; `label` the area's letter or number as written ("A", "B", "1"), "" if none;
    `start`/`end` the area's own period when the text gives one.

    A sector is either a vertex (`positions[0]`) and two `bearings` (degrees true, the arc runs
    CLOCKWISE from the first to the second, as light sectors are stated in the IHO S-4 and the
    lists of lights), or a boundary (`positions`) whose edge from `positions[arc_from]` to the
    next position (cyclically) is an arc of `radius_nm` about `centre`, the shorter way round.
    """

    form: str  # "polygon", "circle", "sector", "line" or "points"
    positions: list[tuple[float, float]]
    radius_nm: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    span: tuple[int, int] = (0, 0)
    label: str = ""
    bearings: tuple[float, float] | None = None
    centre: tuple[float, float] | None = None
    arc_from: int | None = None

    def ring(self) -> list[tuple[float, float]]:
        """The area's boundary as a closed ring of (lon, lat) degrees; for a line, its positions.

        Circles and arcs are drawn geodesically on the WGS84 ellipsoid (pyproj.Geod.fwd at the
        radius; a whole circle has CIRCLE_VERTICES vertices, an arc as many in proportion).
        Longitudes run on without a jump across 180° (179.5 then 180.5, never -179.5), so a
        ring across 180° may hold longitudes beyond ±180; `geometry()` cuts it there.
        """
        metres = (self.radius_nm or 0) * NM_KM * 1000
        if self.form == "circle":
            lon, lat = self.positions[0]
            azimuths = np.linspace(0.0, 360.0, CIRCLE_VERTICES, endpoint=False)
            ring = _fwd(lon, lat, azimuths, metres)
        elif self.form == "sector" and self.arc_from is None and self.bearings:
            vertex = self.positions[0]
            first, second = self.bearings
            sweep = (second - first) % 360.0 or 360.0
            ring = [vertex, *_fwd(*vertex, _azimuths(first, sweep), metres), vertex]
        elif self.form == "sector" and self.arc_from is not None and self.centre:
            ring = []
            count = len(self.positions)
            for index, position in enumerate(self.positions):
                ring.append(position)
                if index == self.arc_from:
                    after = self.positions[(index + 1) % count]
                    start = _azimuth(self.centre, position)
                    sweep = (_azimuth(self.centre, after) - start) % 360.0
                    sweep = sweep - 360.0 if sweep > 180.0 else sweep  # the shorter way
                    ring += _fwd(*self.centre, _azimuths(start, sweep)[1:-1], metres)
        else:
            ring = list(self.positions)
        ring = _continuous([(round(float(x), 6), round(float(y), 6)) for x, y in ring])
        if self.form in ("line", "points"):
            return ring
        return ring + ring[:1] if ring[0] != ring[-1] else ring

    def geometry(self) -> dict:
        """The area as a GeoJSON geometry (RFC 7946): a Polygon (polygon, circle, sector), a
        LineString (line) or a MultiPoint (points), [lon, lat] in degrees.

        A polygon or line that crosses 180° is cut there into a MultiPolygon or
        MultiLineString (RFC 7946 §3.1.9), as layers.read.geometry asks of every event.
        """
        ring = self.ring()
        if self.form == "points":
            return {"type": "MultiPoint", "coordinates": [list(p) for p in self.positions]}
        shape = shapely.LineString(ring) if self.form == "line" else shapely.Polygon(ring)
        if all(-180.0 <= lon <= 180.0 for lon, _ in ring):
            return _plain(shape)
        return _plain(_cut_at_180(shape))


@dataclass
class NavWarning:
    """What one navigational warning says, as read; `problems` say what could not be read.

    `nations` are the issuer's codes where the number, the text or its web page names the
    issuing authority, `issuer_source` where ("number", "text", "page header"; "" when not
    named). `kind` is the event kind its activity gives (launch, live_fire, exercise,
    survey, hazardous_operations). `cancels` are the numbers of the warnings it
    cancels (it keeps its own areas whatever it cancels); `in_force_list` is True for a list of
    the warnings in force (not a warning: no areas, no event).
    """

    text: str
    number: str = ""
    year: int | None = None
    nations: list[str] = field(default_factory=list)
    issuer_source: str = ""
    activity: str = ""
    activity_text: str = ""
    kind: str = "hazardous_operations"
    place: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    windows: list[Window] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    cancels: list[str] = field(default_factory=list)
    cancelled_by: str | None = None
    # When the source says it was cancelled (NGA's cancelDate), aware: its windows end there.
    cancelled_at: dt.datetime | None = None
    in_force_list: bool = False
    problems: list[str] = field(default_factory=list)


def _azimuth(centre: tuple[float, float], position: tuple[float, float]) -> float:
    """The geodesic azimuth (degrees true, 0..360) from `centre` to `position`."""
    azimuth, _, _ = GEOD.inv(centre[0], centre[1], position[0], position[1])
    return float(azimuth) % 360.0


def _azimuths(start: float, sweep: float) -> np.ndarray:
    """Azimuths from `start` through `sweep` degrees (positive clockwise), both ends included,
    at most 360/CIRCLE_VERTICES degrees apart."""
    steps = max(2, int(np.ceil(abs(sweep) / 360.0 * CIRCLE_VERTICES)))
    return np.linspace(start, start + sweep, steps + 1)


def _fwd(lon: float, lat: float, azimuths, metres: float) -> list[tuple[float, float]]:
    """The points `metres` from (lon, lat) along each azimuth (geodesics on WGS84)."""
    azimuths = np.asarray(azimuths, dtype=float)
    if not len(azimuths):
        return []
    lons, lats, _ = GEOD.fwd(
        np.full(len(azimuths), lon),
        np.full(len(azimuths), lat),
        azimuths,
        np.full(len(azimuths), metres),
    )
    return [(float(x), float(y)) for x, y in zip(lons, lats)]


def _continuous(positions: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Positions whose longitudes never jump more than 180° from one to the next (each moved by
    ±360° as needed), so an area across 180° is not drawn the long way round the world."""
    out: list[tuple[float, float]] = []
    for lon, lat in positions:
        if out:
            previous = out[-1][0]
            lon += 360.0 * round((previous - lon) / 360.0)
        out.append((lon, lat))
    if out and min(lon for lon, _ in out) > 180.0:
        out = [(lon - 360.0, lat) for lon, lat in out]
    if out and max(lon for lon, _ in out) < -180.0:
        out = [(lon + 360.0, lat) for lon, lat in out]
    return out


def _cut_at_180(shape):
    """A shape whose longitudes run past ±180° cut there, its pieces beyond moved back by 360°."""
    pieces = []
    for offset in (-360.0, 0.0, 360.0):
        box = shapely.box(-180.0 - offset, -90.0, 180.0 - offset, 90.0)
        part = shape.intersection(box)
        if not part.is_empty:
            pieces += [
                shapely.transform(piece, lambda xy, o=offset: xy + [o, 0.0])
                for piece in shapely.get_parts(part)
                if shapely.get_dimensions(piece) == shapely.get_dimensions(shape)
            ]
    if shapely.get_dimensions(shape) == 1:
        return shapely.MultiLineString(pieces)
    return shapely.MultiPolygon(pieces)


def _plain(shape) -> dict:
    """A shapely shape as a GeoJSON geometry dict with lists (not tuples) and rounded numbers."""

    def listed(value):
        if isinstance(value, (tuple, list)) and value and isinstance(value[0], (int, float)):
            return [round(float(value[0]), 6), round(float(value[1]), 6)]
        return [listed(item) for item in value]

    mapped = shapely.geometry.mapping(shape)
    return {"type": mapped["type"], "coordinates": listed(mapped["coordinates"])}


def instant(value: dt.date, after: bool = False) -> dt.datetime:
    """A date or time as a UTC instant to order windows by; a date is its first moment, or
    with `after` the first moment after it."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    day = value + dt.timedelta(days=1) if after else value
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def cancelled_windows(windows: list[Window], at: dt.datetime | None) -> list[Window]:
    """The windows of a warning cancelled at `at` (aware; None: not cancelled): those begun
    before it, the one it falls in ending at `at`. A cancellation before the first window or
    after the last leaves them all, as layers.read.navwarn.sources.cancelled_end leaves the
    dates (cancelled before it began, or after it ended)."""
    if at is None or not windows:
        return list(windows)
    kept = [window for window in windows if instant(window.start) < at]
    if not kept or at >= max(instant(window.end, after=True) for window in windows):
        return list(windows)
    last = kept[-1]
    ends_later = instant(last.end, after=True) > at
    # A window of days that ends on the cancellation's own day stays days (05 THRU 20 SEP with
    # CANCEL THIS MSG 202359Z SEP): its form is its precision.
    if ends_later and (isinstance(last.end, dt.datetime) or at.date() < last.end):
        kept[-1] = Window(last.start, at, last.written, last.span)
    return kept
