"""How many events cover each place: counts of events per cell of a grid square on the map.

The grid is the map's own pixel grid cut into cells. Leaflet draws the world in Web Mercator
(EPSG:3857) as 256·2^zoom pixels round; a cell is `cell_px` × `cell_px` of those pixels at the
map's zoom. So column edges fall every cell_px·360/(256·2^zoom) degrees of longitude and row
edges at the latitudes where Mercator y steps by as much: every cell is a square on the screen,
and the grid drawn as an image (one pixel per cell, stretched linearly in Mercator) lines up with
the map. Cells are aligned to the world's pixel grid, not to the window, so the same cell counts
the same events wherever the map is panned. Longitudes are in the map's Pacific frame (western
hemisphere +360°, see layers.view.to_pacific_lon), latitudes within Web Mercator's ±85.05°.

Counting rule: an event counts once in each cell it is in, never once per part (a MultiPoint
with two points in one cell adds 1 there):
- a point in the cell it falls in;
- a line in every cell it passes through;
- an area in every cell whose centre it covers, so its edge is drawn to within half a cell; an
  area too small to cover any cell's centre counts in the cells it touches instead, so that no
  area disappears when zoomed out.
Shapes are taken to the grid's units first, in Web Mercator: a segment is straight on the map
(as Leaflet draws it), not in degrees.

Uncertainty circles are not spread over the cells they reach: a circle says where a reported
event might have been, not an area it covered. Spread, one report placed only as "the western
Pacific" (a radius of hundreds of km) would add to thousands of cells and outweigh the precise
ones; the uncertainty layer shows those circles on their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

TILE_PX = 256  # Leaflet's (and EPSG:3857 tiles') world width at zoom 0, in pixels
CELL_PX = 8  # a cell's side on the screen: fine enough to show a strait, coarse enough to count
# Above this many cells the cell side doubles (a window larger than a few screens).
MAX_CELLS = 250_000
MERCATOR_MAX_LAT = 85.0511287798  # Web Mercator's edge: atan(sinh(π))
EARTH_KM_PER_DEGREE = 111.32  # one degree of longitude at the equator, WGS84 semi-major axis
NICE_STEPS = ((1, 2, 5), (1, 3), (1,))  # class bounds per power of ten, finest first
MAX_CLASSES = 7


def world_pixels(lon, lat, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) in world pixels at `zoom` of positions in degrees (Pacific frame).

    x grows east from 180°W, y grows south from Mercator's northern edge, as Leaflet counts
    pixels; latitudes beyond ±85.05° are held at the edge. Arrays of any one shape.
    """
    size = TILE_PX * 2.0**zoom
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT)
    x = (lon + 180.0) / 360.0 * size
    y = (1.0 - np.arcsinh(np.tan(np.radians(lat))) / math.pi) / 2.0 * size
    return x, y


def pixel_lon(x, zoom: int) -> np.ndarray:
    """Longitude in degrees (Pacific frame) of world pixel column x at `zoom`."""
    return np.asarray(x, dtype=float) / (TILE_PX * 2.0**zoom) * 360.0 - 180.0


def pixel_lat(y, zoom: int) -> np.ndarray:
    """Latitude in degrees of world pixel row y at `zoom` (inverse Web Mercator)."""
    mercator = math.pi * (1.0 - 2.0 * np.asarray(y, dtype=float) / (TILE_PX * 2.0**zoom))
    return np.degrees(np.arctan(np.sinh(mercator)))


@dataclass(frozen=True)
class DensityGrid:
    """Event counts per cell over a window of the map.

    `counts` has shape (rows, columns), row 0 the northernmost (image order); cell (r, c) is
    world-pixel column `column + c` and row `row + r` of size `cell_px` at `zoom`.
    """

    zoom: int
    cell_px: int
    column: int
    row: int
    counts: np.ndarray

    def column_edges(self) -> np.ndarray:
        """Longitudes of the columns' edges, west to east: shape (columns + 1,), degrees."""
        columns = np.arange(self.column, self.column + self.counts.shape[1] + 1)
        return pixel_lon(columns * self.cell_px, self.zoom)

    def row_edges(self) -> np.ndarray:
        """Latitudes of the rows' edges, north to south: shape (rows + 1,), degrees."""
        rows = np.arange(self.row, self.row + self.counts.shape[0] + 1)
        return pixel_lat(rows * self.cell_px, self.zoom)

    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the whole grid in degrees, Pacific frame."""
        lons, lats = self.column_edges(), self.row_edges()
        return float(lons[0]), float(lats[-1]), float(lons[-1]), float(lats[0])

    def count_at(self, lon: float, lat: float) -> int:
        """The count of the cell holding (lon, lat), in degrees, Pacific frame; 0 off the grid."""
        x, y = world_pixels(lon, lat, self.zoom)
        column = int(math.floor(float(x) / self.cell_px)) - self.column
        row = int(math.floor(float(y) / self.cell_px)) - self.row
        rows, columns = self.counts.shape
        if 0 <= row < rows and 0 <= column < columns:
            return int(self.counts[row, column])
        return 0

    def cell_km(self) -> float:
        """A cell's side in km on the ground at the grid's middle latitude (Mercator squares
        shrink towards the poles: at 25°N a cell is 0.91 of its size at the equator)."""
        west, south, east, north = self.bounds()
        degrees = (east - west) / max(self.counts.shape[1], 1)
        return degrees * EARTH_KM_PER_DEGREE * math.cos(math.radians((south + north) / 2))


def empty_grid(
    bounds: tuple[float, float, float, float],
    zoom: int,
    cell_px: int = CELL_PX,
    max_cells: int = MAX_CELLS,
) -> DensityGrid:
    """A grid of zero counts covering `bounds` (west, south, east, north; degrees, Pacific
    frame), its cells `cell_px` screen pixels square at `zoom` (doubled until there are at most
    `max_cells`). Raises ValueError when west ≥ east or south ≥ north."""
    west, south, east, north = bounds
    if not (west < east and south < north):
        raise ValueError(f"bounds {bounds} are not (west, south, east, north)")
    x0, y0 = world_pixels(west, north, zoom)
    x1, y1 = world_pixels(east, south, zoom)
    while True:
        first_column, first_row = int(x0 // cell_px), int(y0 // cell_px)
        columns = max(int(math.ceil(x1 / cell_px)) - first_column, 1)
        rows = max(int(math.ceil(y1 / cell_px)) - first_row, 1)
        if columns * rows <= max_cells:
            break
        cell_px *= 2
    return DensityGrid(zoom, cell_px, first_column, first_row, np.zeros((rows, columns), "int32"))


def count_events(
    grid: DensityGrid,
    points: np.ndarray,
    shapes,
    point_weights: np.ndarray | None = None,
    shape_weights: np.ndarray | None = None,
) -> DensityGrid:
    """`grid` with each cell counting the events in it (see the module's rule).

    `points` is an (n, 2) array of single-point events' (lon, lat); `shapes` an array of the
    other events' shapely geometries (lines, areas, multipoints), each one event. Both in
    degrees, Pacific frame. Events outside the grid are not counted. Vectorised with numpy:
    points are binned, lines walked cell by cell, areas filled row by row (scanlines), so the
    cost grows with the shapes' vertices and the grid's rows, not with the cells an area covers.

    With `point_weights` and `shape_weights` (whole numbers ≥ 0, one per point and per shape:
    a count each event gives, layers.measure), each event adds its weight to the cells it is
    in instead of 1, by the same rule; the counts are then int64.
    """
    rows, columns = grid.counts.shape
    cells = rows * columns
    weighted = point_weights is not None or shape_weights is not None
    flat = np.zeros(cells, dtype="int64")
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(points):
        x, y = _cell_units(grid, points)
        at, inside = _point_cells(x, y, columns, rows, with_inside=True)
        weights = None if point_weights is None else _as_weights(point_weights)[inside]
        flat += _added(at, weights, cells)
    shapes = np.asarray(shapes, dtype=object).reshape(-1)
    if len(shapes):
        weights = None if shape_weights is None else _as_weights(shape_weights)
        shapes = shapely.transform(shapes, lambda xy: np.column_stack(_cell_units(grid, xy)))
        # Only the part inside the grid counts; clipping first bounds the work by the grid.
        shapes = shapely.clip_by_rect(shapes, 0.0, 0.0, float(columns), float(rows))
        kept = ~shapely.is_empty(shapes)
        shapes = shapes[kept]
        weights = None if weights is None else weights[kept]
        kind = shapely.get_type_id(shapes)
        dots = np.isin(kind, (0, 4))  # Point, MultiPoint
        lines = np.isin(kind, (1, 5))  # LineString, MultiLineString
        areas = ~dots & ~lines

        def part(mask):
            return shapes[mask], None if weights is None else weights[mask]

        dot_shapes, dot_weights = part(dots)
        found, owners = _multipoint_cells(dot_shapes, columns, rows, with_owners=True)
        flat += _added(found, _owned(dot_weights, owners), cells)
        line_shapes, line_weights = part(lines)
        found, owners = _line_cells(line_shapes, columns, rows, with_owners=True)
        flat += _added(found, _owned(line_weights, owners), cells)
        area_shapes, area_weights = part(areas)
        filled, speck = _area_counts(area_shapes, columns, rows, area_weights, with_mask=True)
        flat += filled.ravel()
        # Areas that cover no cell's centre: the cells their outline touches.
        outlines = shapely.boundary(area_shapes[speck])
        found, owners = _line_cells(outlines, columns, rows, with_owners=True)
        speck_weights = None if area_weights is None else area_weights[speck]
        flat += _added(found, _owned(speck_weights, owners), cells)
    counts = flat.reshape(rows, columns)
    return DensityGrid(
        grid.zoom,
        grid.cell_px,
        grid.column,
        grid.row,
        counts if weighted else counts.astype("int32"),
    )


def _as_weights(weights) -> np.ndarray:
    return np.asarray(weights, dtype="float64").reshape(-1)


def _owned(weights: np.ndarray | None, owners: np.ndarray) -> np.ndarray | None:
    """The weight of each found cell's event, or None when events weigh 1."""
    return None if weights is None else weights[owners]


def _added(cells: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    """Per cell, how many of `cells` fall in it, or the sum of their `weights` (whole)."""
    if weights is None:
        return np.bincount(cells, minlength=size)
    return np.round(np.bincount(cells, weights=weights, minlength=size)).astype("int64")


def _cell_units(grid: DensityGrid, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (lon, lat) as the grid's (column, row), fractional, from its first cell."""
    x, y = world_pixels(coords[:, 0], coords[:, 1], grid.zoom)
    return x / grid.cell_px - grid.column, y / grid.cell_px - grid.row


def _point_cells(x: np.ndarray, y: np.ndarray, columns: int, rows: int, with_inside: bool = False):
    """Flat cell numbers of positions in cell units; those off the grid left out (with
    `with_inside`, also which positions were kept)."""
    column, row = np.floor(x).astype("int64"), np.floor(y).astype("int64")
    inside = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
    found = row[inside] * columns + column[inside]
    return (found, inside) if with_inside else found


def _multipoint_cells(dots: np.ndarray, columns: int, rows: int, with_owners: bool = False):
    """The flat cell numbers of each multipoint's points, once per multipoint and cell (with
    `with_owners`, also the multipoint each belongs to)."""
    if not len(dots):
        none = np.zeros(0, dtype="int64")
        return (none, none) if with_owners else none
    coords, owner = shapely.get_coordinates(dots, return_index=True)
    column = np.clip(np.floor(coords[:, 0]).astype("int64"), 0, columns - 1)
    row = np.clip(np.floor(coords[:, 1]).astype("int64"), 0, rows - 1)
    return _once_per_event(owner, row * columns + column, columns * rows, with_owners)


def _line_cells(lines: np.ndarray, columns: int, rows: int, with_owners: bool = False):
    """The flat cell numbers each line passes through, once per line and cell (with
    `with_owners`, also the line each belongs to).

    A segment passes through the cell its start is in and, at each grid line it crosses, the
    cell on the far side: past column edge k going east, column k; going west, k − 1; the row
    is where it crosses (rows likewise). Vectorised over all segments ("supercover" walk).
    Lines are in cell units, clipped to the grid.
    """
    if not len(lines):
        none = np.zeros(0, dtype="int64")
        return (none, none) if with_owners else none
    start, end, owner = _segments(lines)
    delta = end - start
    cells = [np.floor(start).astype("int64")]
    owners = [owner]
    for axis in (0, 1):
        other = 1 - axis
        low = np.floor(np.minimum(start[:, axis], end[:, axis]))
        high = np.floor(np.maximum(start[:, axis], end[:, axis]))
        segment, offset = _ragged(high - low)
        edge = low[segment] + 1 + offset  # the grid lines crossed
        t = (edge - start[segment, axis]) / delta[segment, axis]
        crossed = np.empty((len(segment), 2), dtype="int64")
        crossed[:, axis] = edge - (delta[segment, axis] < 0)
        crossed[:, other] = np.floor(start[segment, other] + t * delta[segment, other])
        cells.append(crossed)
        owners.append(owner[segment])
    cells = np.concatenate(cells)
    column = np.clip(cells[:, 0], 0, columns - 1)
    row = np.clip(cells[:, 1], 0, rows - 1)
    return _once_per_event(
        np.concatenate(owners), row * columns + column, columns * rows, with_owners
    )


def _area_counts(
    areas: np.ndarray,
    columns: int,
    rows: int,
    weights: np.ndarray | None = None,
    with_mask: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(counts, specks): per cell, how many areas cover its centre (with `weights`, the sum of
    their weights), shape (rows, columns); and the areas that cover no cell's centre (with
    `with_mask`, as a boolean mask over `areas`).

    A scanline fill: along each row's centre line, an area's rings (holes and parts alike)
    cross in pairs (even-odd rule), and the cells between a pair are inside. A span adds +1
    where it starts and −1 after it ends; a running sum along the row gives the counts, so an
    area covering the whole grid costs its edges times the rows, not its cells.
    """
    counts = np.zeros((rows, columns), dtype="int64")
    if not len(areas):
        return counts, (np.zeros(0, dtype=bool) if with_mask else areas)
    start, end, owner = _segments(areas)
    # The rows whose centre line (y = r + 0.5) a segment crosses, counting a vertex once.
    low = np.minimum(start[:, 1], end[:, 1])
    high = np.maximum(start[:, 1], end[:, 1])
    first = np.ceil(low - 0.5)
    segment, offset = _ragged(np.ceil(high - 0.5) - first)
    row = (first[segment] + offset).astype("int64")
    a, b = start[segment], end[segment]
    x = a[:, 0] + (row + 0.5 - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
    area = owner[segment]
    order = np.lexsort((x, row, area))
    x, row, area = x[order], row[order], area[order]
    # Crossings pair up within each (area, row): 1st with 2nd, 3rd with 4th…
    group_start = np.r_[True, (area[1:] != area[:-1]) | (row[1:] != row[:-1])]
    order_in_all = np.arange(len(x))
    position = order_in_all - np.maximum.accumulate(np.where(group_start, order_in_all, 0))
    opens = np.flatnonzero(position % 2 == 0)
    opens = opens[opens + 1 < len(x)]
    opens = opens[(area[opens + 1] == area[opens]) & (row[opens + 1] == row[opens])]
    # Cells whose centre (c + 0.5) lies in [x_open, x_close).
    first_cell = np.clip(np.ceil(x[opens] - 0.5), 0, columns).astype("int64")
    after_cell = np.clip(np.ceil(x[opens + 1] - 0.5), 0, columns).astype("int64")
    span_row = np.clip(row[opens], 0, rows - 1)
    wide = after_cell > first_cell
    step = 1 if weights is None else _as_weights(weights)[area[opens[wide]]]
    edges = np.zeros((rows, columns + 1), dtype="int64" if weights is None else "float64")
    np.add.at(edges, (span_row[wide], first_cell[wide]), step)
    np.add.at(edges, (span_row[wide], after_cell[wide]), -step)
    counts += np.round(np.cumsum(edges, axis=1)[:, :columns]).astype("int64")
    covered = np.bincount(area[opens[wide]], minlength=len(areas))
    return counts, (covered == 0 if with_mask else areas[covered == 0])


def _segments(shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, owner): every segment of the shapes' lines, or of their rings when they are
    areas, as (n, 2) arrays of its ends and the index of the shape it belongs to."""
    lines, owner = shapely.get_parts(shapes, return_index=True)
    if len(lines) and shapely.get_dimensions(lines[0]) == 2:
        lines, ring_of = shapely.get_rings(lines, return_index=True)
        owner = owner[ring_of]
    coords, line_of = shapely.get_coordinates(lines, return_index=True)
    same = line_of[:-1] == line_of[1:]
    return coords[:-1][same], coords[1:][same], owner[line_of[:-1][same]]


def _ragged(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items with `counts` entries each: (item of each entry, its offset 0… in the item)."""
    counts = np.maximum(counts, 0).astype("int64")
    item = np.repeat(np.arange(len(counts)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return item, offset


def _once_per_event(
    events: np.ndarray, cells: np.ndarray, cell_count: int, with_owners: bool = False
):
    """`cells` with repeats of the same (event, cell) pair left out (with `with_owners`, also
    the event of each)."""
    pairs = np.sort(events.astype("int64") * cell_count + cells)
    # A sort and a comparison: numpy's hash-based np.unique took 20× as long here (2.4).
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    if with_owners:
        return pairs[first] % cell_count, pairs[first] // cell_count
    return pairs[first] % cell_count


def event_density(
    bounds: tuple[float, float, float, float],
    zoom: int,
    points: np.ndarray,
    shapes,
    cell_px: int = CELL_PX,
    point_weights: np.ndarray | None = None,
    shape_weights: np.ndarray | None = None,
) -> DensityGrid:
    """Counts of events per cell over `bounds` at `zoom`: empty_grid, then count_events (with
    the events' weights, when given)."""
    grid = empty_grid(bounds, zoom, cell_px)
    return count_events(grid, points, shapes, point_weights, shape_weights)


def count_classes(highest: int, most: int = MAX_CLASSES) -> list[tuple[int, int]]:
    """Classes of counts for a legend, as (lowest, highest) counts, from 1 to `highest`.

    Log classes on round numbers, so a legend reads "1, 2–4, 5–9, 10–19 …" whatever the data:
    every count up to `most`, else the finest of the 1-2-5, 1-3 and 1 (powers of ten) series
    that needs at most `most` classes. Counts grow by orders of magnitude between a quiet sea
    and a hot spot; equal steps would put nearly every cell in the first class. Empty when
    `highest` < 1.
    """
    if highest < 1:
        return []
    if highest <= most:
        return [(count, count) for count in range(1, highest + 1)]
    for steps in NICE_STEPS:
        lows = []
        power = 1
        while power <= highest:
            lows += [step * power for step in steps if step * power <= highest]
            power *= 10
        if len(lows) <= most:
            break
    # The last series (powers of ten) may still need more than `most` classes: widen by 10².
    while len(lows) > most:
        lows = lows[::2]
    highs = [next_low - 1 for next_low in lows[1:]] + [highest]
    return list(zip(lows, highs))


def classify(counts: np.ndarray, classes: list[tuple[int, int]]) -> np.ndarray:
    """Each cell's class number: 0 for no events, k for the k-th class (1-based). uint8, the
    shape of `counts`."""
    lows = np.array([low for low, _ in classes], dtype="int64")
    return np.searchsorted(lows, counts, side="right").astype("uint8")


def class_label(low: int, high: int) -> str:
    """ "1", "2–4", "1,000–1,114": a class of counts as a legend says it."""
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"
