"""Event density: overlapping areas add up, each event counts once per cell it touches, the grid
is the map's pixel grid, and the legend's classes cover every count."""

import numpy as np
import pytest
import shapely

from layers.analysis.density import (
    MAX_CLASSES,
    class_label,
    classify,
    count_classes,
    count_events,
    empty_grid,
    event_density,
    pixel_lat,
    pixel_lon,
    world_pixels,
)

TAIWAN = (116.0, 20.0, 127.0, 27.5)  # west, south, east, north
NO_POINTS = np.zeros((0, 2))


def test_where_two_activity_areas_overlap_the_count_is_two_and_outside_both_none():
    west = shapely.box(119.0, 22.0, 121.0, 24.0)
    east = shapely.box(120.0, 22.0, 122.0, 24.0)
    grid = event_density(TAIWAN, 7, NO_POINTS, [west, east])
    assert grid.count_at(120.5, 23.0) == 2  # in both
    assert grid.count_at(119.5, 23.0) == 1  # in the western one only
    assert grid.count_at(121.5, 23.0) == 1
    assert grid.count_at(123.5, 23.0) == 0
    assert grid.counts.max() == 2


def cell_centres(grid):
    """Each cell's centre (lon, lat), row-major: the middle of its square on the map."""
    rows, columns = grid.counts.shape
    x = (grid.column + np.arange(columns) + 0.5) * grid.cell_px
    y = (grid.row + np.arange(rows) + 0.5) * grid.cell_px
    return np.tile(pixel_lon(x, grid.zoom), rows), np.repeat(pixel_lat(y, grid.zoom), columns)


def covering_centres(areas, grid, slack):
    """Per cell, how many areas cover its centre, each area grown (slack > 0) or shrunk."""
    lon, lat = cell_centres(grid)
    return sum(shapely.contains_xy(shapely.buffer(a, slack), lon, lat) for a in areas).astype(int)


def test_1114_overlapping_areas_count_where_they_cover_each_cell():
    rng = np.random.default_rng(13)
    centres = np.column_stack([rng.normal(121.0, 1.0, 1114), rng.normal(23.7, 0.8, 1114)])
    areas = shapely.buffer(shapely.points(centres), 0.6)
    grid = event_density(TAIWAN, 6, NO_POINTS, areas)
    counts = grid.counts.ravel()
    assert (covering_centres(areas, grid, -1e-3) <= counts).all()
    assert (counts <= covering_centres(areas, grid, 1e-3)).all()
    assert grid.count_at(121.0, 23.7) > 20 * max(grid.count_at(124.5, 26.5), 1)


def test_holes_and_parts_of_areas_are_filled_as_drawn():
    ring = shapely.box(119.0, 22.0, 123.0, 26.0)
    with_hole = shapely.Polygon(ring.exterior, [shapely.box(120.0, 23.0, 122.0, 25.0).exterior])
    islands = shapely.MultiPolygon([shapely.box(117.0, 21.0, 118.0, 22.0), with_hole])
    rng = np.random.default_rng(3)
    jagged = shapely.Polygon(np.column_stack([rng.uniform(116, 127, 9), rng.uniform(20, 27, 9)]))
    # Densified: long edges are straight on the map (Mercator), not in degrees.
    jagged = shapely.segmentize(shapely.make_valid(jagged), 0.01)
    islands = shapely.segmentize(islands, 0.01)
    grid = event_density(TAIWAN, 7, NO_POINTS, [islands, jagged])
    assert grid.count_at(121.0, 24.0) == int(jagged.contains(shapely.Point(121.0, 24.0)))
    counts = grid.counts.ravel()
    assert (covering_centres([islands, jagged], grid, -1e-3) <= counts).all()
    assert (counts <= covering_centres([islands, jagged], grid, 1e-3)).all()


def test_a_point_counts_in_its_cell_and_events_outside_the_grid_are_not_counted():
    points = np.array([[120.30, 24.10], [120.30, 24.10], [130.0, 24.0]])  # last one off-grid
    grid = event_density(TAIWAN, 8, points, [])
    assert grid.count_at(120.30, 24.10) == 2
    assert grid.counts.sum() == 2


def test_an_event_counts_once_per_cell_however_many_parts_it_has_there():
    two_points_one_cell = shapely.MultiPoint([(120.3001, 24.1001), (120.3002, 24.1002)])
    there_and_back = shapely.LineString([(119.0, 24.0), (121.0, 24.0), (119.0, 24.0001)])
    grid = event_density(TAIWAN, 7, NO_POINTS, [two_points_one_cell, there_and_back])
    assert grid.count_at(120.3, 24.1) == 1
    assert grid.count_at(120.0, 24.0) == 1


def test_an_area_smaller_than_a_cell_still_counts_where_it_is():
    speck = shapely.box(120.5, 23.5, 120.501, 23.501)
    grid = event_density(TAIWAN, 5, NO_POINTS, [speck])  # cells ~0.35° wide
    assert grid.count_at(120.5005, 23.5005) == 1
    assert grid.counts.sum() == 1


def cell_boxes(grid):
    """Each cell's box in degrees, row-major, and a flat index."""
    lons, lats = grid.column_edges(), grid.row_edges()
    rows, columns = grid.counts.shape
    return shapely.box(
        np.tile(lons[:-1], rows),
        np.repeat(lats[1:], columns),
        np.tile(lons[1:], rows),
        np.repeat(lats[:-1], columns),
    )


def test_a_line_counts_in_exactly_the_cells_it_passes_through():
    """Lines are walked cell by cell; the result must equal shapely's intersects with each cell
    (in the map's projection, where a segment is straight; at this size degrees and Mercator
    differ by less than a cell)."""
    rng = np.random.default_rng(5)
    grid = empty_grid((119.0, 22.0, 121.0, 24.0), 8)
    boxes = cell_boxes(grid)
    for _ in range(30):
        coords = np.column_stack([rng.uniform(118.8, 121.2, 4), rng.uniform(21.8, 24.2, 4)])
        line = shapely.segmentize(shapely.LineString(coords), 0.01)  # close to straight on screen
        walked = count_events(grid, NO_POINTS, [line]).counts.ravel()
        exact = shapely.intersects(boxes, line).astype(int)
        # Cells the line only grazes (within 1e-3 of a cell) may go either way.
        grazed = shapely.dwithin(boxes, shapely.boundary(line), 1e-3) & ~shapely.intersects(
            shapely.buffer(boxes, -1e-3), line
        )
        assert np.array_equal(walked[~grazed], exact[~grazed])


def test_cells_are_squares_of_the_maps_pixels_and_stay_put_when_the_map_pans():
    grid = empty_grid(TAIWAN, 7)
    x, y = world_pixels(grid.column_edges()[:3], grid.row_edges()[:3], 7)
    assert np.allclose(np.diff(x), grid.cell_px) and np.allclose(np.diff(y), grid.cell_px)
    assert np.allclose(x % grid.cell_px, 0) and np.allclose(y % grid.cell_px, 0)
    area = [shapely.box(120.1, 23.1, 120.9, 23.7)]
    here = event_density(TAIWAN, 7, NO_POINTS, area)
    panned = event_density((117.3, 21.1, 128.4, 28.0), 7, NO_POINTS, area)
    assert here.counts.sum() == panned.counts.sum()
    assert here.count_at(120.5, 23.4) == panned.count_at(120.5, 23.4) == 1


def test_the_pacific_frame_counts_east_of_180():
    hawaii = np.array([[360.0 - 157.95, 21.35]])
    grid = event_density((195.0, 15.0, 210.0, 25.0), 6, hawaii, [])
    assert grid.count_at(202.05, 21.35) == 1
    west, south, east, north = grid.bounds()
    assert west <= 195.0 and east >= 210.0 and south <= 15.0 and north >= 25.0


def test_a_huge_window_gets_coarser_cells_not_millions_of_them():
    grid = empty_grid((90.0, -15.0, 210.0, 56.0), 12)
    assert grid.counts.size <= 250_000 and grid.cell_px > 8


def test_bad_bounds_are_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="west, south, east, north"):
        empty_grid((121.0, 20.0, 119.0, 27.0), 6)


@pytest.mark.parametrize("highest", [*range(1, 40), 99, 100, 101, 207, 1114, 99_999, 10**9])
def test_classes_cover_every_count_once_in_order_and_are_few(highest):
    classes = count_classes(highest)
    assert 1 <= len(classes) <= MAX_CLASSES
    assert classes[0][0] == 1 and classes[-1][1] == highest
    for (_, high), (low, _) in zip(classes, classes[1:]):
        assert low == high + 1
    counts = np.array([0, 1, highest])
    assert list(classify(counts, classes)) == [0, 1, len(classes)]


def test_classes_are_round_numbers_on_a_log_scale():
    assert count_classes(5) == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
    assert [class_label(*c) for c in count_classes(60)] == [
        "1",
        "2–4",
        "5–9",
        "10–19",
        "20–49",
        "50–60",
    ]
    assert [class_label(*c) for c in count_classes(1114)] == [
        "1–2",
        "3–9",
        "10–29",
        "30–99",
        "100–299",
        "300–999",
        "1,000–1,114",
    ]
    assert count_classes(0) == []
