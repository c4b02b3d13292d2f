"""What a navigational warning is once read: its windows, its areas and the warning itself.

Shared by the reader's stages (layers.read.navwarn.times, .areas, .headers) so none imports
another's internals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
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
    """One area of a warning: a polygon or circle (an area) or a list of points (not one).

    `positions` are (lon, lat) in degrees, WGS84; `radius_nm` is a circle's radius in
    nautical miles; `start`/`end` the area's own period when the text gives one.
    """

    form: str  # "polygon", "circle" or "points"
    positions: list[tuple[float, float]]
    radius_nm: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    span: tuple[int, int] = (0, 0)

    def ring(self) -> list[tuple[float, float]]:
        """The area's boundary as a closed ring of (lon, lat): a circle drawn geodesically
        (CIRCLE_VERTICES vertices on the WGS84 ellipsoid, pyproj.Geod)."""
        if self.form == "circle":
            lon, lat = self.positions[0]
            azimuths = np.linspace(0.0, 360.0, CIRCLE_VERTICES, endpoint=False)
            lons, lats, _ = GEOD.fwd(
                np.full(CIRCLE_VERTICES, lon),
                np.full(CIRCLE_VERTICES, lat),
                azimuths,
                np.full(CIRCLE_VERTICES, (self.radius_nm or 0) * NM_KM * 1000),
            )
            ring = [(round(float(x), 6), round(float(y), 6)) for x, y in zip(lons, lats)]
        else:
            ring = [(round(x, 6), round(y, 6)) for x, y in self.positions]
        return ring + ring[:1] if ring[0] != ring[-1] else ring


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
