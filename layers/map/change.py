"""The change map: what changed from period A (the months compared with) to period B (the
months shown), per named area when zoomed out and per grid cell when zoomed in.

Why the switch at AREA_MAX_ZOOM: zoomed out (the default view, zoom 4, shows the region from
the Sea of Japan to the South China Sea), a grid cell is 2.8° (about 300 km) or wider and
cuts across seas and straits arbitrarily, while the named areas (seas, straits, the Senkaku
zones) are the units an analyst reports in and the compare table counts by. Zoomed in, a
cell is 1.4° or less, finer than most areas, and shows where inside an area activity moved;
it also counts the events that lie in no named area. The legend says which is shown.

Per area an event counts where its zone tags put it "in" (as the compare table), "possibly"
apart in the hover text; an area with events only possibly in it is outlined as such, never
dropped. Per cell an event counts at its display point (as the map's clusters).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from jinja2 import Template

from layers.aggregate import MapWindow
from layers.analysis.compare import (
    CHANGE_CLASSES,
    NO_AREA,
    area_changes,
    cell_changes,
    period_text,
)
from layers.dates import month_span
from layers.i18n import N_, _, ngettext, number
from layers.map.data import MapData, to_pacific_frame
from layers.map.elements import MapLayer, ScriptElement, collection_text, feature_text
from layers.map.style import CHANGE_LOOKS, POSSIBLY_LOOK

AREA_MAX_ZOOM = 5
# The look after CHANGE_CLASSES': an area with events only possibly in it.
POSSIBLY_ONLY = len(CHANGE_CLASSES)
# What each class means, in hover text (CHANGE_CLASSES order).
CHANGE_MEANINGS = (
    N_("gone: only in A"),
    N_("half as many or fewer"),
    N_("fewer"),
    N_("same"),
    N_("more"),
    N_("twice as many or more"),
    N_("new: only in B"),
)


@dataclass(frozen=True)
class PeriodChange:
    """What the change map compares.

    `period_a` (compared with) and `period_b` (shown) are (first, last) "YYYY-MM" months;
    `events_a` the labels of period A's events under the view's other filters (period B's are
    the filtered events the map is given); `tags` the zone tags of all events, one row per
    (event, tag) (`layers.filters.zone_rows`); `areas` every named area (id, name, geometry),
    indexed as MapData's area features.
    """

    period_a: tuple[str, str]
    period_b: tuple[str, str]
    events_a: pd.Index
    tags: pd.DataFrame
    areas: gpd.GeoDataFrame
    # Area id → name in the reader's language (data["area_names"]); as written when None.
    names: Mapping[str, str] | None = None


def signed(difference: int) -> str:
    """A difference as the map labels it: "+3", "−2" (a minus sign), "0"."""
    if difference > 0:
        return f"+{difference:,}"
    return f"−{-difference:,}" if difference < 0 else "0"


def events_text(count: int) -> str:
    return ngettext("{count} event", "{count} events", count).format(count=number(count))


def change_hover(
    a: int, b: int, shade: int, period_a: tuple[str, str], period_b: tuple[str, str]
) -> list[str]:
    """Hover lines of a cell or area, plain text: the change, the count in A, the count in B."""
    meaning = _(CHANGE_MEANINGS[shade])
    return [
        _("{change} ({meaning})").format(change=signed(b - a), meaning=meaning)
        if a and b
        else meaning[0].upper() + meaning[1:],
        _("A {period}: {events}").format(period=period_text(period_a), events=events_text(a)),
        _("B {period}: {events}").format(period=period_text(period_b), events=events_text(b)),
    ]


def area_change_features(
    table: pd.DataFrame, areas: gpd.GeoDataFrame, period_a, period_b, names=None
) -> list[str]:
    """Feature JSON texts, one per named area of `table` (area_changes) with an event in it or
    possibly in it in either period, largest first so smaller areas lie on top; titled with the
    area's name, the events possibly in it named in the hover text. An area with events only
    possibly in it has the look POSSIBLY_ONLY and no label."""
    counts = table[["a", "b", "a_possibly", "b_possibly"]].sum(axis=1)
    table = table[(table["area"] != NO_AREA) & (counts > 0)]
    chosen = areas[areas["id"].isin(table["area"])]
    if chosen.empty:
        return []
    framed = to_pacific_frame(chosen.geometry.values, digits=4)
    spots = shapely.get_coordinates(shapely.point_on_surface(framed)).round(4)
    rows = table.set_index("area")
    order = np.argsort(-shapely.area(framed), kind="stable")
    texts = []
    for position in order:
        row = rows.loc[chosen["id"].iat[position]]
        a, b, shade = int(row["a"]), int(row["b"]), int(row["shade"])
        lines = change_hover(a, b, shade, period_a, period_b)
        if not a and not b:
            shade, lines[0] = POSSIBLY_ONLY, _("Only possibly in it")
        if row["a_possibly"] or row["b_possibly"]:
            possibly = (
                _("Possibly in it too: {a} in A, {b} in B")
                if a or b
                else _("Possibly in it: {a} in A, {b} in B")
            )
            lines.append(possibly.format(a=number(row["a_possibly"]), b=number(row["b_possibly"])))
        properties = {
            "k": shade,
            "a": a,
            "b": b,
            "t": names.get(chosen["id"].iat[position], chosen["name"].iat[position])
            if names is not None
            else chosen["name"].iat[position],
            "d": lines,
            "l": "" if shade == POSSIBLY_ONLY else signed(b - a),
            "at": spots[position].tolist(),
        }
        texts.append(feature_text(shapely.to_geojson(framed[position]), properties))
    return texts


def cell_change_features(table: pd.DataFrame, size: float, period_a, period_b) -> list[str]:
    """Feature JSON texts, one square per cell of `table` (cell_changes, cells `size`
    degrees), labelled with B − A."""
    texts = []
    for cx, cy, a, b, shade in table[["cx", "cy", "a", "b", "shade"]].to_numpy().tolist():
        change, *counts = change_hover(a, b, shade, period_a, period_b)
        west, south = round(cx * size, 6), round(cy * size, 6)
        east, north = round(west + size, 6), round(south + size, 6)
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        properties = {
            "k": shade,
            "a": a,
            "b": b,
            "t": change,
            "d": counts,
            "l": signed(b - a),
            "at": [round(west + size / 2, 6), round(south + size / 2, 6)],
        }
        geometry = json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))
        texts.append(feature_text(geometry, properties))
    return texts


def change_layer(
    change: PeriodChange, events_b: pd.Index, map_data: MapData, window: MapWindow
) -> MapLayer:
    """The change map's layer for this window: named areas up to AREA_MAX_ZOOM, grid cells of
    the window from there on (the map's clusters' grid); with its legend."""
    period_a, period_b = change.period_a, change.period_b
    notes = [
        _("A {period_a} (compared with) → B {period_b} (shown)").format(
            period_a=period_text(period_a), period_b=period_text(period_b)
        )
    ]
    rows = LEGEND_ROWS
    if window.zoom <= AREA_MAX_ZOOM:
        table = area_changes(change.tags, change.events_a, events_b)
        texts = area_change_features(table, change.areas, period_a, period_b, change.names)
        title = _("Change from A to B by named area")
        rows = [*LEGEND_ROWS, (POSSIBLY_ONLY, N_("only possibly in it"))]
        outside = table[table["area"] == NO_AREA].iloc[0]
        notes.append(
            _("In no named area: {a} in A, {b} in B. Zoom in for a grid of cells.").format(
                a=number(outside["a"]), b=number(outside["b"])
            )
        )
    else:
        size = window.cell_degrees()
        points_a, points_b = (
            _window_points(map_data.positions, labels, window)
            for labels in (change.events_a, events_b)
        )
        table = cell_changes(points_a, points_b, size)
        texts = cell_change_features(table, size, period_a, period_b)
        title = _("Change from A to B per grid cell")
        notes.append(
            _(
                "Cells {size}° square; each event counts at its position. Zoom out for named areas."
            ).format(size=f"{size:.2f}")
        )
    if not texts:
        notes.append(_("No events in A or B here."))
    months_a, months_b = (len(month_span(*period)) for period in (period_a, period_b))
    if months_a != months_b:
        notes.append(
            _("A spans {months_a}, B {months_b}: counts are not scaled.").format(
                months_a=_months(months_a), months_b=_months(months_b)
            )
        )
    legend = {"title": title, "rows": [[shade, _(label)] for shade, label in rows], "notes": notes}
    name = _("Change {period_a} → {period_b}").format(
        period_a=period_text(period_a), period_b=period_text(period_b)
    )
    group = MapLayer(name=name)
    ChangeView(collection_text(texts), legend).add_to(group)
    return group


# The legend's rows, two to a line: more on the left, fewer on the right, then same.
LEGEND_ROWS = (
    (6, N_("new (only in B)")),
    (0, N_("gone (only in A)")),
    (5, N_("twice or more")),
    (1, N_("half or fewer")),
    (4, N_("more")),
    (2, N_("fewer")),
    (3, N_("same")),
)


def _months(count: int) -> str:
    return ngettext("{count} month", "{count} months", count).format(count=number(count))


def _window_points(positions: pd.DataFrame, labels: pd.Index, window: MapWindow) -> pd.DataFrame:
    """The display points (x, y) of these events that lie in the window."""
    points = positions.loc[labels, ["x", "y"]]
    x, y = points["x"].to_numpy(), points["y"].to_numpy()
    inside = (x >= window.west) & (x <= window.east) & (y >= window.south) & (y <= window.north)
    return points[inside]


class ChangeView(ScriptElement):
    """The change map's areas or cells and its legend, shown while its layer is on.

    Each feature is filled by its class ("k", an index into CHANGE_CLASSES and CHANGE_LOOKS),
    labelled "l" (B − A) at "at" when big enough on screen to carry it, and hover shows the
    title "t" and the lines "d" as text nodes, never HTML. Drawn in a pane above the area
    outlines, so its hover text is the one shown.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var looks = {{ this.looks|tojson }};
  var legendData = {{ this.legend|tojson }};
  var shapes = null, labels = L.layerGroup(), legend = L.control({position: "bottomright"});
  function hover(properties) {
    var box = document.createElement("div");
    box.className = "event-tip";
    [properties.t].concat(properties.d).forEach(function (text, index) {
      var line = document.createElement(index === 0 ? "b" : "div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }
  function style(feature) {
    var look = Object.assign({pane: "changes"}, looks[feature.properties.k]);
    if (feature.geometry.type.indexOf("Line") >= 0) {  // a reference line: a thick stroke
      look.color = look.fillColor;
      look.weight = feature.properties.l ? 5 : 3;
    }
    return look;
  }
  function swatch(look) {
    var box = document.createElement("i");
    box.className = "change-swatch";
    var fill = L.DomUtil.create("span", "", box);
    fill.style.background = look.fillColor;
    fill.style.opacity = look.fillOpacity;
    box.style.border = Math.min(look.weight, 3) + "px " + (look.dashArray ? "dashed " : "solid ")
      + look.color;
    return box;
  }
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "map-legend change-legend");
    var title = L.DomUtil.create("b", "", box);
    title.textContent = legendData.title;
    var grid = L.DomUtil.create("div", "change-rows", box);
    legendData.rows.forEach(function (row) {
      var line = L.DomUtil.create("div", "", grid);
      line.appendChild(swatch(looks[row[0]]));
      line.appendChild(document.createTextNode(row[1]));
    });
    legendData.notes.forEach(function (note) {
      L.DomUtil.create("div", "change-note", box).textContent = note;
    });
    return box;
  };
  function fitLabels() {
    var map = group._map;
    if (!map) { return; }
    labels.eachLayer(function (marker) {
      var bounds = marker.shape.getBounds();
      var corner = map.latLngToLayerPoint(bounds.getSouthWest());
      var other = map.latLngToLayerPoint(bounds.getNorthEast());
      var fits = Math.abs(other.x - corner.x) >= 34 && Math.abs(corner.y - other.y) >= 18;
      if (marker.getElement()) { marker.getElement().style.display = fits ? "" : "none"; }
    });
  }
  group.on("add", function (event) {
    var map = event.target._map;
    if (!map.getPane("changes")) { map.createPane("changes").style.zIndex = 410; }
    shapes = L.geoJSON({{ this.data }}, {
      style: style,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(hover(feature.properties), {sticky: true, className: "change-tip"});
        if (!feature.properties.l) { return; }
        var text = document.createElement("span");  // centred on the point by its CSS
        text.textContent = feature.properties.l;
        var marker = L.marker([feature.properties.at[1], feature.properties.at[0]], {
          interactive: false, keyboard: false,
          icon: L.divIcon({html: text, className: "change-label", iconSize: null})});
        marker.shape = layer;
        labels.addLayer(marker);
      }
    }).addTo(map);
    labels.addTo(map);
    legend.addTo(map);
    map.on("zoomend", fitLabels);
    fitLabels();
  });
  group.on("remove", function () {
    var map = shapes && shapes._map;
    if (map) { map.off("zoomend", fitLabels); }
    if (shapes) { shapes.remove(); }
    labels.clearLayers();
    labels.remove();
    legend.remove();
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, data: str, legend: dict):
        super().__init__()
        self._name = "ChangeView"
        self.data = data
        self.legend = legend
        self.looks = [*CHANGE_LOOKS, POSSIBLY_LOOK]
