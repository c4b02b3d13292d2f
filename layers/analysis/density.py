"""How many events cover each place: counts of events per cell of a grid square on the map.

The grid is the map's own pixel grid cut into cells. Leaflet draws the world in Web Mercator
(EPSG:3857) as 256·2^zoom pixels round; a cell is `cell_px` × `cell_px` of those pixels at the
map's zoom. So column edges fall every cell_px·360/(256·2^zoom) degrees of longitude and row
edges at the latitudes where Mercator y steps by as much: every cell is a square on the screen,
and the grid drawn as an image (one pixel per cell, stretched linearly in Mercator) lines up with
the map. Cells are aligned to the world's pixel grid, not to the window, so the same cell counts
the same events wherever the map is panned. Longitudes are in the map's Pacific frame (western
hemisphere +360°, see layers.view.to_pacific_lon), latitudes within Web Mercator's ±85.05°.

Counting rule, one for every geometry type: an event counts once in every cell its geometry
touches (shapely `intersects` with the cell's box): a point in the cell it falls in, a line in
each cell it passes through, an area in each cell it covers or reaches into (so an area smaller
than a cell still counts where it is). A count is of events, not of parts: a MultiPoint with two
points in one cell adds 1 there.

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


def count_events(grid: DensityGrid, points: np.ndarray, shapes) -> DensityGrid:
    """`grid` with each cell counting the events that touch it (see the module's rule).

    `points` is an (n, 2) array of single-point events' (lon, lat); `shapes` an array of the
    other events' shapely geometries (lines, areas, multipoints), each one event. Both in
    degrees, Pacific frame. Events outside the grid are not counted. Shapes are taken to the
    grid's cell units first (Web Mercator, as the map draws them: a segment is straight on the
    screen, not in degrees); lines are then walked cell by cell, other shapes tested against
    the boxes of the cells their bounding box reaches.
    """
    rows, columns = grid.counts.shape
    cells = rows * columns
    flat = np.zeros(cells, dtype="int64")
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(points):
        x, y = _cell_units(grid, points)
        column, row = np.floor(x).astype("int64"), np.floor(y).astype("int64")
        inside = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
        flat += np.bincount(row[inside] * columns + column[inside], minlength=cells)
    shapes = np.asarray(shapes, dtype=object).reshape(-1)
    if len(shapes):
        shapes = shapely.transform(shapes, lambda xy: np.column_stack(_cell_units(grid, xy)))
        # Only the part inside the grid counts; clipping first bounds the work by the grid.
        shapes = shapely.clip_by_rect(shapes, 0.0, 0.0, float(columns), float(rows))
        kept = ~shapely.is_empty(shapes)
        shapes = shapes[kept]
        linear = np.isin(shapely.get_type_id(shapes), (1, 5))  # LineString, MultiLineString
        flat += np.bincount(_line_cells(shapes[linear], columns, rows), minlength=cells)
        flat += np.bincount(_shape_cells(shapes[~linear], columns, rows), minlength=cells)
    return DensityGrid(
        grid.zoom, grid.cell_px, grid.column, grid.row, flat.reshape(rows, columns).astype("int32")
    )


def _cell_units(grid: DensityGrid, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions (lon, lat) as the grid's (column, row), fractional, from its first cell."""
    x, y = world_pixels(coords[:, 0], coords[:, 1], grid.zoom)
    return x / grid.cell_px - grid.column, y / grid.cell_px - grid.row


def _line_cells(lines: np.ndarray, columns: int, rows: int) -> np.ndarray:
    """The flat cell numbers each line passes through, once per line and cell.

    Each segment is cut where it crosses a grid line; the middle of every piece lies in one
    cell the segment passes through, and every such cell has a piece (a "supercover" walk,
    vectorised over all segments). Lines are in cell units, clipped to the grid.
    """
    if not len(lines):
        return np.zeros(0, dtype="int64")
    parts, owners = shapely.get_parts(lines, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    same_part = part_of[:-1] == part_of[1:]
    start, end = coords[:-1][same_part], coords[1:][same_part]
    owner = owners[part_of[:-1][same_part]]
    delta = end - start
    # Parameters (0…1 along the segment) where it crosses a column or a row edge.
    crossings = []
    for axis in (0, 1):
        low = np.floor(np.minimum(start[:, axis], end[:, axis]))
        high = np.floor(np.maximum(start[:, axis], end[:, axis]))
        count = (high - low).astype("int64")
        segment = np.repeat(np.arange(len(start)), count)
        offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        edge = low[segment] + 1 + offset
        crossings.append((segment, (edge - start[segment, axis]) / delta[segment, axis]))
    # Every segment's pieces run between its ends (t = 0 and 1) and its crossings, in order.
    every = np.arange(len(start))
    segment = np.concatenate([every, every] + [on for on, _ in crossings])
    t = np.concatenate([np.zeros(len(start)), np.ones(len(start))] + [at for _, at in crossings])
    order = np.lexsort((t, segment))
    segment, t = segment[order], t[order]
    follows = segment[:-1] == segment[1:]
    piece = segment[:-1][follows]
    middle = (t[:-1][follows] + t[1:][follows]) / 2
    x = start[piece, 0] + middle * delta[piece, 0]
    y = start[piece, 1] + middle * delta[piece, 1]
    column = np.clip(np.floor(x).astype("int64"), 0, columns - 1)
    row = np.clip(np.floor(y).astype("int64"), 0, rows - 1)
    return _once_per_event(owner[piece], row * columns + column, columns * rows)


def _shape_cells(shapes: np.ndarray, columns: int, rows: int) -> np.ndarray:
    """The flat cell numbers each shape (area, multipoint) touches, once per shape and cell.

    Shapes are in cell units, clipped to the grid: cell (r, c) is the box [c, c+1] × [r, r+1].
    """
    if not len(shapes):
        return np.zeros(0, dtype="int64")
    column, row = np.meshgrid(np.arange(columns), np.arange(rows))
    column, row = column.ravel(), row.ravel()
    tree = shapely.STRtree(shapely.box(column, row, column + 1, row + 1))
    # A tree query gives each (shape, cell) pair once: each event counts once per cell.
    _, cells = tree.query(shapes, predicate="intersects")
    return cells


def _once_per_event(events: np.ndarray, cells: np.ndarray, cell_count: int) -> np.ndarray:
    """`cells` with repeats of the same (event, cell) pair left out."""
    return np.unique(events.astype("int64") * cell_count + cells) % cell_count


def event_density(
    bounds: tuple[float, float, float, float],
    zoom: int,
    points: np.ndarray,
    shapes,
    cell_px: int = CELL_PX,
) -> DensityGrid:
    """Counts of events per cell over `bounds` at `zoom`: empty_grid, then count_events."""
    return count_events(empty_grid(bounds, zoom, cell_px), points, shapes)


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
