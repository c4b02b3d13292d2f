"""The density layer: how many of the shown events cover each place, as coloured cells.

The counts (layers/analysis/density.py) become one small image, one pixel per cell, a
palette PNG made here with numpy and Pillow and sent as a data: URL in an L.imageOverlay:
at 8 px cells a window of a few screens is ~100k cells, a few kB of PNG, where drawing each
cell as a vector would send megabytes. The image is stretched over the grid's bounds, which
Leaflet does linearly in Web Mercator, exactly as the grid's rows are spaced, and scaled
without smoothing so each cell stays a square.

It lies above the events (its own pane, above Leaflet's overlay pane, letting the pointer
through to the events below): where 1,114 activity areas overlap, their fills add up to one
solid colour, and the counts on top are what shows where activity concentrates.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
import shapely
from jinja2 import Template
from PIL import Image

from layers.aggregate import MapWindow
from layers.analysis.density import (
    DensityGrid,
    class_label,
    classify,
    count_classes,
    event_density,
)
from layers.i18n import N_, _, number
from layers.map.data import MapData
from layers.map.elements import MapLayer, ScriptElement
from layers.measure import EVENTS, count_words, measure_title, missing_words
from layers.region import MAP_REGION

# ColorBrewer RdPu (Cynthia Brewer, Penn State; Apache-2.0), its 7 darkest of 9 classes: a
# sequential scale light to dark that reads on the sea's blue and the land's beige, and is
# not the orange-red of "colour by month" nor a kind's colour.
DENSITY_PALETTE = (
    "#fcc5c0",
    "#fa9fb5",
    "#f768a1",
    "#dd3497",
    "#ae017e",
    "#7a0177",
    "#49006a",
)
DENSITY_OPACITY = 0.85
LAYER_NAME = N_("Event density")


def class_colours(count: int) -> list[str]:
    """`count` colours of DENSITY_PALETTE spread light to dark (all 7 when count is 7)."""
    if count <= 0:
        return []
    last = max(count - 1, 1)
    top = len(DENSITY_PALETTE) - 1
    return [DENSITY_PALETTE[round(position * top / last)] for position in range(count)]


def density_legend(
    grid: DensityGrid, measure: str = EVENTS, missing: int = 0
) -> tuple[str, list[tuple[str, str]]]:
    """The legend's title and its (colour, counts) rows for a grid, lightest first. With a
    count as the `measure`, the cells add it up ("Aircraft per cell"), and a last row says how
    many of the events shown give none (`missing`), which the cells leave out."""
    classes = count_classes(int(grid.counts.max()) if grid.counts.size else 0)
    title = _("{measure} per cell (cells ≈ {size} km)").format(
        measure=measure_title(measure), size=number(grid.cell_km())
    )
    if not classes:
        rows = [("", _("no {counts} here").format(counts=count_words(measure)))]
    else:
        pairs = zip(class_colours(len(classes)), classes, strict=True)
        rows = [(colour, class_label(low, high)) for colour, (low, high) in pairs]
    if missing:
        rows.append(("", missing_words(missing, measure)))
    return title, rows


def class_image(grid: DensityGrid) -> np.ndarray:
    """RGBA pixels of a grid, one per cell (rows north to south), uint8 shape (rows, cols, 4):
    each cell in its class's colour, cells with no events fully transparent."""
    classes = count_classes(int(grid.counts.max()) if grid.counts.size else 0)
    table = np.zeros((len(classes) + 1, 4), dtype="uint8")
    for index, colour in enumerate(class_colours(len(classes)), start=1):
        table[index] = [*_rgb(colour), 255]
    return table[classify(grid.counts, classes)]


def density_png(grid: DensityGrid) -> bytes:
    """The grid as a palette PNG, one pixel per cell; index 0 (no events) is transparent."""
    classes = count_classes(int(grid.counts.max()) if grid.counts.size else 0)
    pixels = classify(grid.counts, classes)
    image = Image.frombytes("P", (pixels.shape[1], pixels.shape[0]), pixels.tobytes())
    colours = class_colours(len(classes))
    palette = [0, 0, 0] + [value for colour in colours for value in _rgb(colour)]
    image.putpalette(palette)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=0, optimize=True)
    return buffer.getvalue()


def region_bounds(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """`bounds` (west, south, east, north; Pacific frame) held to the basemap's region; the
    whole region when they miss it."""
    (region_south, region_west), (region_north, region_east) = MAP_REGION
    west, south, east, north = bounds
    clipped = (
        max(west, region_west),
        max(south, region_south),
        min(east, region_east),
        min(north, region_north),
    )
    if not (clipped[0] < clipped[2] and clipped[1] < clipped[3]):
        return region_west, region_south, region_east, region_north
    return clipped


def shown_density(
    shown: pd.Index,
    map_data: MapData,
    bounds: tuple[float, float, float, float],
    zoom: int,
    weights: pd.Series | None = None,
) -> DensityGrid:
    """Counts per cell of the events `shown` (the filtered events' index) over `bounds`
    (west, south, east, north; Pacific frame) at `zoom`, held to the basemap's region. With
    `weights` (layers.measure: a count per event, NaN for none), each cell adds up the count
    of the events in it, and events giving none are left out."""
    if weights is not None:
        values = weights.reindex(shown)
        shown = shown[values.notna().to_numpy()]
    west, south, east, north = region_bounds(bounds)
    positions = map_data.positions.loc[shown]
    near = (
        (positions["maxx"] >= west)
        & (positions["minx"] <= east)
        & (positions["maxy"] >= south)
        & (positions["miny"] <= north)
    )
    near_index = positions.index[near.to_numpy()]
    is_shape = near_index.isin(map_data.shapes.index)
    points = positions.loc[near_index[~is_shape], ["x", "y"]].to_numpy()
    shapes = map_data.shapes.loc[near_index[is_shape]].to_numpy()
    if weights is None:
        return event_density((west, south, east, north), zoom, points, shapes)
    return event_density(
        (west, south, east, north),
        zoom,
        points,
        shapes,
        point_weights=weights.loc[near_index[~is_shape]].to_numpy("float64"),
        shape_weights=weights.loc[near_index[is_shape]].to_numpy("float64"),
    )


def geometry_density(
    geometries: np.ndarray,
    bounds: tuple[float, float, float, float],
    zoom: int,
    weights: np.ndarray | None = None,
) -> DensityGrid:
    """Counts per cell of events given as shapely geometries in the Pacific frame (one per
    event), over `bounds` at `zoom` held to the basemap's region: as shown_density, for
    events not prepared in a MapData (an export). `weights` (one per geometry: a count, NaN
    for none) makes each cell add up that count; events giving none are left out."""
    geometries = np.asarray(geometries, dtype=object).reshape(-1)
    if weights is not None:
        weights = np.asarray(weights, dtype="float64").reshape(-1)
        given = ~np.isnan(weights)
        geometries, weights = geometries[given], weights[given]
    single = shapely.get_type_id(geometries) == 0
    points = shapely.get_coordinates(geometries[single]).reshape(-1, 2)
    if weights is None:
        return event_density(region_bounds(bounds), zoom, points, geometries[~single])
    return event_density(
        region_bounds(bounds),
        zoom,
        points,
        geometries[~single],
        point_weights=weights[single],
        shape_weights=weights[~single],
    )


class DensityOverlay(ScriptElement):
    """A density grid drawn as an image over its bounds, with a legend of counts while on."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var overlay = L.imageOverlay({{ this.url|tojson }}, {{ this.bounds|tojson }},
    {pane: "density", opacity: {{ this.opacity }}, interactive: false});
  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "map-legend density-legend");
    L.DomUtil.create("b", "", box).textContent = {{ this.title|tojson }};
    {{ this.rows|tojson }}.forEach(function (entry) {
      var row = L.DomUtil.create("div", "", box);
      if (entry[0]) {
        var swatch = L.DomUtil.create("i", "", row);
        swatch.style.background = entry[0];
        swatch.style.borderRadius = "0";
        swatch.style.opacity = {{ this.opacity }};
      }
      row.appendChild(document.createTextNode(entry[1]));
    });
    return box;
  };
  group.on("add", function (event) {
    var map = event.target._map;
    if (!map.getPane("density")) {
      // Above the overlay pane (events, areas: 400), below the markers; the pointer goes
      // through to the events underneath.
      var pane = map.createPane("density");
      pane.style.zIndex = 420;
      pane.style.pointerEvents = "none";
    }
    if (!group.hasLayer(overlay)) { group.addLayer(overlay); }
    overlay.getElement().style.imageRendering = "pixelated";
    legend.addTo(map);
  });
  group.on("remove", function () { legend.remove(); });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, grid: DensityGrid, measure: str = EVENTS, missing: int = 0):
        super().__init__()
        self._name = "DensityOverlay"
        west, south, east, north = grid.bounds()
        self.bounds = [[south, west], [north, east]]
        self.url = "data:image/png;base64," + base64.b64encode(density_png(grid)).decode("ascii")
        self.opacity = DENSITY_OPACITY
        self.title, self.rows = density_legend(grid, measure, missing)


def density_layer(
    shown: pd.Index,
    map_data: MapData,
    window: MapWindow,
    weights: pd.Series | None = None,
    measure: str = EVENTS,
) -> MapLayer:
    """The switchable "Event density" layer for the shown events over the map's window; with
    `weights` (a count per event, NaN for none), of the count `measure` they add up to."""
    bounds = (window.west, window.south, window.east, window.north)
    group = MapLayer(name=_(LAYER_NAME))
    grid = shown_density(shown, map_data, bounds, window.zoom, weights)
    missing = 0 if weights is None else int(weights.reindex(shown).isna().sum())
    DensityOverlay(grid, measure if weights is not None else EVENTS, missing).add_to(group)
    return group


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
