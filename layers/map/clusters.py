"""Events counted per grid cell when too many are in the window, and their circles."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
from jinja2 import Template

from layers.aggregate import (
    MapWindow,
    clusters,
)
from layers.i18n import _
from layers.map.data import MapData
from layers.map.elements import ScriptElement
from layers.read.schema import KIND_LABELS


def month_cells(
    filtered: gpd.GeoDataFrame,
    map_data: MapData,
    by_month: dict[str, pd.Index],
    drawn: pd.Index,
    window: MapWindow,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The window's grid cells, and per month its events counted in them by kind.

    Returns (places, per month): `places` is a float array of shape (cells, 2), row i the
    mean position [x, y] (degrees) of cell i's events over all the months; each month's array
    has shape (its cells, 1 + len(KIND_LABELS)), a row [i, count per kind in KIND_LABELS
    order...]. ClusterView adds up the months on the map. One table of places, not a position
    per month and cell, halves what a map update sends.
    """
    # Event labels are integers: one mask of the drawn ones serves every month, where an
    # Index.intersection per month cost more than the counting itself at 100k events.
    drawn_labels = drawn.to_numpy(dtype="int64")
    is_drawn = np.zeros(int(drawn_labels.max()) + 1 if len(drawn_labels) else 0, dtype=bool)
    is_drawn[drawn_labels] = True
    members = []
    for index in by_month.values():
        labels = index.to_numpy(dtype="int64")
        labels = labels[labels < len(is_drawn)]
        members.append(labels[is_drawn[labels]])
    rows = np.concatenate(members) if members else np.array([], dtype="int64")
    months = np.array(list(by_month))
    # Months as numbers while counting (strings made pandas build an Arrow array per update).
    month_numbers = np.repeat(np.arange(len(months)), [len(labels) for labels in members])
    cells = clusters(
        map_data.positions.loc[rows], filtered["kind"], window, groups=pd.Series(month_numbers)
    )
    cells["group"] = months[cells["group"].to_numpy(dtype="int64")] if len(cells) else []
    return pack_cells(cells)


def pack_cells(cells: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Counts per grid cell and month (layers.aggregate.clusters' columns, "group" the month)
    as ClusterView and MonthCells take them: (places, per month) as month_cells returns them,
    months in order. The shared store's counts (layers.store) come this way too."""
    if cells.empty:
        return np.empty((0, 2)), {}
    kinds = cells.reindex(columns=list(KIND_LABELS), fill_value=0).to_numpy(dtype="int64")
    # Each cell (cx, cy) as one int64 (cells are within 2^31 of the origin at any zoom the map
    # has): numpy's unique on rows (axis=0) sorts them as structured records, ~5x slower.
    keys = cells["cx"].to_numpy(dtype="int64") * (1 << 32) + cells["cy"].to_numpy(dtype="int64")
    place, number = np.unique(keys, return_inverse=True)
    number = number.ravel()
    weight = cells["n"].to_numpy(dtype="float64")
    total = np.bincount(number, weights=weight)
    places = np.column_stack(
        [
            np.bincount(number, weights=cells["x"].to_numpy() * weight) / total,
            np.bincount(number, weights=cells["y"].to_numpy() * weight) / total,
        ]
    ).round(4)
    # Rows sorted by month (stable: a month keeps its cells' order) and cut where the month
    # changes: no Python loop over the rows, 22,800 of them in a zoom-8 move at 2 million.
    month_number, month_names = pd.factorize(cells["group"], sort=True)
    order = np.argsort(month_number, kind="stable")
    rows = np.column_stack([number, kinds])[order]
    starts = np.searchsorted(month_number[order], np.arange(len(month_names)))
    return places, dict(zip(month_names.tolist(), np.split(rows, starts[1:]), strict=True))


def flat_json(values: np.ndarray) -> str:
    """A numeric array as one flat JSON array, row after row, with no spaces: the script form
    of MonthCells and ClusterView. Flat and compact, a zoom-8 move's 22,800 (month, cell) rows
    are 386 KB made in 10 ms, where nested lists through Jinja's tojson were 585 KB in 21 ms,
    and the browser parses one array per month, not one per row."""
    return json.dumps(np.asarray(values).ravel().tolist(), separators=(",", ":"))


class MonthCells(ScriptElement):
    """A month layer's grid-cell counts, kept on its group for ClusterView; draws nothing."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.month = {{ this.month|tojson }};
{{ this._parent.get_name() }}.cells = {{ this.cells_json }};
{% endmacro %}
"""
    )

    def __init__(self, month: str, cells: np.ndarray):
        """`cells`: shape (cells, 1 + len(KIND_LABELS)), rows as pack_cells makes them; sent
        flat (flat_json), row after row."""
        super().__init__()
        self._name = "MonthCells"
        self.month = month
        self.cells = np.asarray(cells, dtype="int64")
        self.cells_json = flat_json(self.cells)


class ClusterView(ScriptElement):
    """One circle per grid cell, adding up the cells of every month layer on the map.

    `places` are the cells' positions (month_cells); each month layer's cells count by kind.

    Re-drawn whenever a month layer is switched on or off (layer control, month player), so
    a cell shows one count, not a stack of one circle per month. Hover: the count by kind;
    click: zoom in two levels.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var places = {{ this.places_json }};  // x, y of cell i at 2i, 2i + 1
  var kinds = {{ this.kinds|tojson }};
  var labels = {{ this.labels|tojson }};
  var words = {{ this.words|tojson }};  // in the page's language
  var view = L.featureGroup();
  var pending = null;
  // Placed with a 2D translate, not Leaflet's translate3d: a 3D transform gives each of the
  // window's ~600 circles a compositing layer of its own, and laying those out took ~0.5 s
  // of every 100k move (Chromium's "Layerize").
  var CellMarker = L.Marker.extend({
    _setPos: function (pos) {
      this._icon._leaflet_pos = pos;
      this._icon.style.transform = "translate(" + pos.x + "px," + pos.y + "px)";
      this._zIndex = pos.y + this.options.zIndexOffset;
      this._resetZIndex();
    }
  });
  function hover(properties) {
    var box = document.createElement("div");
    box.className = "event-tip";
    [properties.t, properties.w, properties.h].forEach(function (text, index) {
      var line = document.createElement(index === 0 ? "b" : "div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }
  // The month layers' counts added up per cell, made again when a month layer comes or goes.
  var sums = null, months = 0;
  function addUp(map) {
    sums = {};
    months = 0;
    (window.feature_group || []).forEach(function (g) {
      if (!g.cells || !map.hasLayer(g)) { return; }
      months += 1;
      // Flat rows: [cell, count per kind...], one after another.
      var cells = g.cells, stride = kinds.length + 1;
      for (var row = 0; row < cells.length; row += stride) {
        var m = sums[cells[row]];
        if (!m) { m = sums[cells[row]] = {n: 0, kinds: kinds.map(function () { return 0; })}; }
        for (var i = 1; i < stride; i++) {
          m.kinds[i - 1] += cells[row + i];
          m.n += cells[row + i];
        }
      }
    });
  }
  // What a circle says when pointed at, made then, not for every circle drawn.
  function describe(m) {
    var order = kinds.map(function (_, i) { return i; })
      .sort(function (a, b) { return m.kinds[b] - m.kinds[a]; });
    return {
      t: (months > 1 ? words.inMonths : words.events)
        .replace("{count}", m.n.toLocaleString("en")).replace("{months}", months),
      w: order.filter(function (i) { return m.kinds[i]; })
        .map(function (i) { return labels[i] + " " + m.kinds[i].toLocaleString("en"); })
        .join(" · "),
      h: words.zoom
    };
  }
  // A circle coloured by its most frequent kind (the first of equals), through its class
  // (MAP_STYLE's event-kind-N): no style written per circle.
  function circle(m, place) {
    var main = 0;
    for (var i = 1; i < kinds.length; i++) { if (m.kinds[i] > m.kinds[main]) { main = i; } }
    var size = Math.round(Math.min(46, 16 + 10 * Math.log10(m.n + 1)));
    var text = document.createElement("span");
    text.textContent = m.n >= 10000 ? Math.round(m.n / 1000) + "k" : String(m.n);
    var marker = new CellMarker([place[1], place[0]], {icon: L.divIcon({
      html: text, className: "event-cluster event-kind-" + main, iconSize: [size, size]})});
    marker.cell = m;
    marker.feature = {type: "Feature", properties: {n: m.n}};  // read by REPRESENTED_EVENTS
    return marker;
  }
  // One hover text and one click handler for all the circles, on their group: a tooltip and
  // two handlers per circle were most of a redraw's time.
  view.bindTooltip(function (marker) { return hover(describe(marker.cell)); },
                   {sticky: true, className: "event-tip-box"});
  view.on("click", function (event) {
    var map = group._map;
    if (map) { map.setView(event.latlng, Math.min(map.getZoom() + 2, map.getMaxZoom())); }
  });
  // Circles only for the cells in view and a quarter of a view around it: the server sends
  // the cells of a window twice the view's size (so small moves send nothing), and ~1,000
  // DOM circles cost the browser more to lay out than the ~250 in view to make again after
  // each move.
  function draw() {
    pending = null;
    var map = group._map;
    if (!map) { return; }
    if (!sums) { addUp(map); }
    var bounds = map.getBounds().pad(0.25);
    view.clearLayers();
    // On the map from the first draw, a task after the group's script: streamlit-folium
    // reports clicks on every layer on the map when the script has run, and a click on a
    // circle zooms in; it is not a click on an event.
    if (!view._map) { view.addTo(map); }
    Object.keys(sums).forEach(function (key) {
      var place = [places[2 * key], places[2 * key + 1]];
      if (bounds.contains([place[1], place[0]])) { view.addLayer(circle(sums[key], place)); }
    });
  }
  function later() { if (!pending) { pending = setTimeout(draw, 0); } }
  // Only a month layer coming or going changes the sums (not the circles drawn here).
  function onLayer(event) {
    if (event.layer && event.layer.cells) { sums = null; later(); }
  }
  var shownOn = null;  // the map the group is on
  group.on("add", function (event) {
    shownOn = event.target._map;
    shownOn.on("layeradd layerremove", onLayer);
    shownOn.on("moveend", later);
    sums = null;
    later();
  });
  group.on("remove", function () {
    if (shownOn) {
      shownOn.off("layeradd layerremove", onLayer);
      shownOn.off("moveend", later);
      shownOn = null;
    }
    view.remove();
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, places: np.ndarray):
        """`places`: shape (cells, 2), the cells' positions [x, y] (degrees), as pack_cells
        makes them; sent flat (flat_json)."""
        super().__init__()
        self._name = "ClusterView"
        self.places = np.asarray(places, dtype="float64").reshape(-1, 2)
        self.places_json = flat_json(self.places)
        self.kinds = list(KIND_LABELS)
        self.labels = list(KIND_LABELS.values())
        self.words = {
            "events": _("{count} events"),
            "inMonths": _("{count} events in {months} months"),
            "zoom": _("Click to zoom in"),
        }
