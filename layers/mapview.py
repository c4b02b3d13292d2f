"""The folium map: an offline basemap that never changes, and the layers a view puts on it.

The base map is deterministic (its HTML depends only on the starting position), so
streamlit-folium keeps it mounted; everything that follows the filters is a FeatureGroup passed
as `feature_group_to_add`. Event layers are one L.geoJSON each, drawn on a canvas, built from
feature JSON that `prepare_features` serialises once per data version.

Everything from the data is text: tooltips and labels are HTML-escaped here, in Python.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from pyproj import Geod
from shapely import affinity

from layers.aggregate import (
    DETAIL_LIMIT,
    MapWindow,
    clusters,
    display_positions,
    in_window,
)
from layers.assets import BASEMAP_URL, MAP_CSS, MAP_JS, leaflet_css
from layers.dates import describe_span
from layers.filters import events_by_month
from layers.read.schema import KIND_COLOURS, KIND_LABELS
from layers.read.upload import UPLOAD_PREFIX
from layers.region import MAP_REGION, PACIFIC_FRAME_WEST_EDGE
from layers.view import MAX_ZOOM, MIN_ZOOM, View

SEA_COLOUR = "#cddff0"
LAND_COLOUR = "#f4f1ea"
COAST_COLOUR = "#8c8c8c"
BORDER_COLOUR = "#a0a0a0"
SELECTED_COLOUR = "#111111"
# Sequential colours for "colour by month", from early (light) to late (dark).
MONTH_PALETTE = (
    "#fdd49e",
    "#fdbb84",
    "#fc8d59",
    "#ef6548",
    "#d7301f",
    "#b30000",
    "#7f0000",
)
CIRCLE_SEGMENTS = 72
LARGE_UNCERTAINTY_KM = 300
MIN_CIRCLE_PX = 6
# (south, west), (north, east) of static/basemap in the Pacific frame; see its NOTICE.md.
BASEMAP_BOUNDS = MAP_REGION
_GEOD = Geod(ellps="WGS84")


def _label_zoom_rules() -> str:
    """CSS hiding each area label until the map is zoomed in to its "z" (see area_label)."""
    return "\n".join(
        f".map-zoom-{zoom} .label-from-{shown} {{ display: none; }}"
        for zoom in range(MIN_ZOOM, MAX_ZOOM + 1)
        for shown in range(zoom + 1, MAX_ZOOM + 1)
    )


MAP_STYLE = f"""<style>
.leaflet-container {{ background: {SEA_COLOUR}; font: 12px/1.4 system-ui, sans-serif; }}
.graticule-label {{ color: #4d6a85; font-size: 10px; white-space: nowrap; }}
.area-label {{ background: rgba(255,255,255,0.7); border: none; box-shadow: none;
  color: #234; font-size: 11px; padding: 1px 4px; }}
.area-label::before {{ display: none; }}
.event-tip .event-id {{ color: #777; font-size: 10px; }}
.event-cluster {{ border: 2px solid; border-radius: 50%; color: #fff; font-weight: 600;
  font-size: 11px; display: flex; align-items: center; justify-content: center;
  text-shadow: 0 0 2px rgba(0,0,0,0.6); }}
.month-player {{ background: #fff; padding: 3px 4px; display: flex; gap: 3px;
  align-items: center; font-size: 12px; }}
.month-player button {{ border: 1px solid #bbb; background: #f7f7f7; border-radius: 3px;
  min-width: 26px; height: 24px; cursor: pointer; font-size: 12px; }}
.month-player select {{ height: 24px; font-size: 12px; }}
.month-now {{ font-size: 30px; font-weight: 700; color: #223; background: rgba(255,255,255,0.8);
  padding: 2px 12px; border-radius: 6px; margin-right: 56px; }}
.area-label-text {{ white-space: normal; width: max-content; max-width: 220px; }}
.area-label-text div {{ font-size: 10px; color: #456; }}
.map-legend {{ background: rgba(255,255,255,0.9); padding: 4px 7px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 11px; line-height: 1.35; }}
.map-legend i {{ display: inline-block; width: 9px; height: 9px; border-radius: 50%;
  margin-right: 4px; vertical-align: 0; }}
{_label_zoom_rules()}
</style>"""


# Element ids from a counter: branca draws a uuid4 per element, a system call each, and a map
# update makes hundreds of elements. Ids only need to be unique within the page.
_element_ids = itertools.count()


def _next_element_id(self) -> str:
    return f"{next(_element_ids):032x}"


class RawScript(Element):
    """Script text placed in the page as is.

    branca wraps each rendered script in an Element whose *template* is that text, so Jinja
    parses the data a second time: slow for megabytes of features, and a title containing
    "{%" would stop the whole map. Data-bearing elements use this instead.
    """

    _generate_id = _next_element_id

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ScriptElement(MacroElement):
    """A MacroElement whose one `script` macro is placed in the page as is (see RawScript)."""

    _generate_id = _next_element_id

    def render(self, **kwargs) -> None:
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(RawScript(script(self, kwargs)), name=self.get_name())


class MapLayer(folium.FeatureGroup):
    """folium's FeatureGroup, its scripts placed as they are (see RawScript).

    streamlit-folium renders every group it is given, then discards that render and writes the
    group's script from the template macros itself. folium's render compiled each script as a
    Jinja template: two thirds of a map update's time in streamlit-folium, for nothing.
    """

    _generate_id = _next_element_id

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawScript(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        if self.show:
            figure.script.add_child(
                RawScript(f"{self.get_name()}.addTo({self._parent.get_name()});"),
                name=f"{self.get_name()}_add",
            )


class OfflineBasemap(ScriptElement):
    """Natural Earth land and borders from the app's own static files, and a labelled graticule.

    Drawn in its own pane below every overlay, on one canvas, never interactive.
    """

    _template = Template(
        r"""
{% macro script(this, kwargs) %}
(function (map) {
  var pane = map.createPane("basemap");
  pane.style.zIndex = 200;
  pane.style.pointerEvents = "none";
  // Area labels sit above the areas but below the events (overlayPane is 400).
  map.createPane("areaLabels").style.zIndex = 390;
  var labelPane = map.createPane("graticuleLabels");
  labelPane.style.zIndex = 450;
  labelPane.style.pointerEvents = "none";
  var renderer = L.canvas({pane: "basemap", padding: 0.5});
  var loaded = {};
  function load(layer) {
    if (!loaded[layer.url]) {
      loaded[layer.url] = fetch(layer.url)
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          return L.geoJSON(data, {pane: "basemap", renderer: renderer, interactive: false,
                                  style: layer.style});
        });
      loaded[layer.url].catch(function (error) {
        console.error("basemap " + layer.url + ": " + error);
      });
    }
    return loaded[layer.url];
  }
  // Land comes at two levels of detail: a light overview when zoomed out, and the detailed
  // coastline (fetched when first needed) from zoom {{ this.detail_zoom }}.
  var land = {{ this.land|tojson }};
  var shownLand = null;
  function showLand() {
    var wanted = map.getZoom() >= {{ this.detail_zoom }} ? land.detail : land.overview;
    if (shownLand === wanted) { return; }
    shownLand = wanted;
    load(wanted).then(function (layer) {
      if (shownLand !== wanted) { return; }
      layer.addTo(map);
      [land.detail, land.overview].forEach(function (other) {
        if (other !== wanted && loaded[other.url]) {
          loaded[other.url].then(function (old) { map.removeLayer(old); });
        }
      });
    });
  }
  map.on("zoomend", showLand);
  showLand();
  {{ this.layers|tojson }}.forEach(function (layer) {
    load(layer).then(function (loadedLayer) { loadedLayer.addTo(map); });
  });
  var graticule = L.layerGroup().addTo(map);
  function degrees(value, positive, negative) {
    var rounded = Math.round(value * 100) / 100;
    if (rounded === 0) { return "0°"; }
    return Math.abs(rounded) + "°" + (rounded > 0 ? positive : negative);
  }
  function lonLabel(lon) {
    var wrapped = ((lon + 180) % 360 + 360) % 360 - 180;
    return Math.abs(wrapped) === 180 ? "180°" : degrees(wrapped, "E", "W");
  }
  function drawGraticule() {
    graticule.clearLayers();
    var zoom = map.getZoom();
    var step = zoom <= 3 ? 10 : zoom <= 5 ? 5 : zoom <= 7 ? 1 : 0.5;
    var view = map.getBounds();
    var west = Math.floor(view.getWest() / step) * step;
    var east = Math.ceil(view.getEast() / step) * step;
    var south = Math.max(-85, Math.floor(view.getSouth() / step) * step);
    var north = Math.min(85, Math.ceil(view.getNorth() / step) * step);
    var line = {pane: "basemap", renderer: renderer, color: "#7f9bb3", weight: 0.6,
                opacity: 0.6, interactive: false};
    function label(latlng, text, anchor) {
      graticule.addLayer(L.marker(latlng, {pane: "graticuleLabels", interactive: false,
        keyboard: false, icon: L.divIcon({className: "graticule-label", html: text,
        iconSize: null, iconAnchor: anchor})}));
    }
    for (var lon = west; lon <= east; lon += step) {
      graticule.addLayer(L.polyline([[south, lon], [north, lon]], line));
      label([view.getSouth(), lon], lonLabel(lon), [-2, 14]);
    }
    for (var lat = south; lat <= north; lat += step) {
      graticule.addLayer(L.polyline([[lat, west], [lat, east]], line));
      label([lat, view.getWest()], degrees(lat, "N", "S"), [-3, 12]);
    }
  }
  function markZoom() {
    var container = map.getContainer();
    container.className = container.className.replace(/ ?map-zoom-\d+/g, "");
    container.classList.add("map-zoom-" + map.getZoom());
  }
  map.on("moveend", drawGraticule);
  map.on("zoomend", markZoom);
  drawGraticule();
  markZoom();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    DETAIL_ZOOM = 6

    def __init__(self, base_url: str = BASEMAP_URL):
        super().__init__()
        self._name = "OfflineBasemap"
        self.detail_zoom = self.DETAIL_ZOOM
        land_style = {
            "color": COAST_COLOUR,
            "weight": 0.7,
            "fillColor": LAND_COLOUR,
            "fillOpacity": 1,
        }
        self.land = {
            "overview": {"url": f"{base_url}/land-overview.geojson", "style": land_style},
            "detail": {"url": f"{base_url}/land.geojson", "style": land_style},
        }
        self.layers = [
            {
                "url": f"{base_url}/borders.geojson",
                "style": {"color": BORDER_COLOUR, "weight": 0.8, "dashArray": "4 3"},
            },
        ]


class PromptReport(ScriptElement):
    """Tells the server where the map is going as soon as it is known.

    streamlit-folium reports a move 250 ms after it ends (a fixed debounce). This sends the same
    report, in its format (the returned objects, in its order): when a zoom starts (Leaflet's
    "zoomanim" gives the centre and zoom it is animating to, so the server prepares the new
    view's detail during the 0.25 s animation) and when any move ends. streamlit-folium's own
    report then finds nothing new and sends nothing. Left to streamlit-folium when it wraps
    longitudes or returns everything.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var target = null;  // where the running zoom animation ends, already reported
  function report(center, zoom, bounds, quietly) {
    var state = window.__GLOBAL_DATA__;
    if (!state || !window.Streamlit || !state.returned_objects || state.wrap_longitude) {
      return;
    }
    var all = {
      last_clicked: state.lat_lng_clicked,
      last_object_clicked: state.last_object_clicked,
      last_object_clicked_count: state.last_object_clicked_count,
      last_object_clicked_tooltip: state.last_object_clicked_tooltip,
      last_object_clicked_popup: state.last_object_clicked_popup,
      all_drawings: state.all_drawings,
      last_active_drawing: state.last_active_drawing,
      last_geocoder_result: state.last_geocoder_result,
      bounds: bounds,
      zoom: zoom,
      last_circle_radius: state.last_circle_radius,
      last_circle_polygon: state.last_circle_polygon,
      center: center,
      selected_layers: Object.values(state.selected_layers || {}),
      selected_tags: state.selected_tags
    };
    var data = {};
    Object.keys(all).forEach(function (key) {
      if (state.returned_objects.indexOf(key) !== -1) { data[key] = all[key]; }
    });
    if (JSON.stringify(state.previous_data) !== JSON.stringify(data)) {
      // Quiet only when nothing but the view changed: a click during the animation is sent.
      var onlyTheView = quietly && besidesTheView(state.previous_data) === besidesTheView(data);
      state.previous_data = data;
      if (!onlyTheView) { window.Streamlit.setComponentValue(data); }
    }
  }
  function besidesTheView(data) {
    var rest = Object.assign({}, data || {});
    delete rest.center;
    delete rest.zoom;
    delete rest.bounds;
    return JSON.stringify(rest);
  }
  map.on("zoomanim", function (event) {
    // The view the animation ends in, computed as map.getBounds() will compute it then.
    var half = map.getSize().divideBy(2);
    var middle = map.project(event.center, event.zoom);
    var bounds = L.latLngBounds(
      map.unproject(middle.add(L.point(-half.x, half.y)), event.zoom),
      map.unproject(middle.add(L.point(half.x, -half.y)), event.zoom));
    target = {center: event.center, zoom: event.zoom};
    report(event.center, event.zoom, bounds);
  });
  map.on("moveend", function () {
    var center = map.getCenter(), zoom = map.getZoom();
    // The animation ends within a pixel of where it was going (Leaflet rounds to pixels):
    // the server has that view already. Record the exact one, so streamlit-folium's own
    // report finds nothing new, but start no second run for a sub-pixel difference.
    var arrived = target && target.zoom === zoom &&
      map.project(target.center, zoom).distanceTo(map.project(center, zoom)) < 1;
    target = null;
    report(center, zoom, map.getBounds(), arrived);
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "PromptReport"


class GeoJsonText(ScriptElement):
    """A GeoJSON FeatureCollection, given as JSON text, drawn as one L.geoJSON layer.

    `kind` picks how features look: "events" (coloured by their "c" property, or all in
    `colour`), "selected" (the open event, outlined), "uncertainty" (faint circles), "areas"
    (named areas, labelled). Hover text comes from the
    properties "t" (title), "w" (when), "h" (nations, or a hint) and "i" (id), and is put on the
    page as text nodes, never as HTML. For an event its last line is "id: <event id>", which
    streamlit-folium reports back when the feature is clicked.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var options = {{ this.options|tojson }};
  function hoverText(properties) {
    var box = document.createElement("div");
    box.className = options.tooltipClass;
    [properties.t, properties.w, properties.h].forEach(function (text, index) {
      if (!text) { return; }
      var line = document.createElement(index === 0 ? "b" : "div");
      line.textContent = text;
      box.appendChild(line);
    });
    if (properties.i) {
      var id = document.createElement("div");
      id.className = "event-id";
      id.textContent = "id: " + properties.i;
      box.appendChild(id);
    }
    return box;
  }
  var layer = L.geoJSON({{ this.data }}, {
    interactive: options.interactive,
    pointToLayer: function (feature, latlng) {
      if (feature.properties.r) {  // an uncertainty radius in metres
        return L.circle(latlng, {radius: feature.properties.r});
      }
      return L.circleMarker(latlng, {radius: options.pointRadius});
    },
    style: function (feature) {
      var colour = options.colour || feature.properties.c;
      var type = feature.geometry.type;
      var style = Object.assign({}, options.style);
      style.color = style.color || colour;
      style.fillColor = colour;
      if (type.indexOf("Polygon") >= 0) {
        style.weight = style.polygonWeight;
        style.fillOpacity = style.polygonFillOpacity;
      } else if (type.indexOf("Line") >= 0) {
        style.fillOpacity = 0;
      }
      if (feature.properties.d) { style.dashArray = feature.properties.d; }
      if (feature.properties.f === 0) { style.fillOpacity = 0; }
      return style;
    },
    onEachFeature: function (feature, sublayer) {
      if (options.labels && feature.properties.t) {
        var labelOptions = Object.assign({}, options.labels);
        if (feature.properties.p) {  // a permanent label, centred, shown from zoom "z" on
          labelOptions.permanent = true;
          labelOptions.sticky = false;
          labelOptions.className += " label-from-" + feature.properties.z;
          // Points keep their label below them, clear of the events drawn on top.
          if (feature.geometry.type.indexOf("Point") >= 0) {
            labelOptions.direction = "bottom";
            labelOptions.offset = [0, 6];
          } else {
            labelOptions.direction = "center";
          }
        }
        // A MultiPoint is a group of markers: label its first point, not the group.
        var target = sublayer.getLayers ? sublayer.getLayers()[0] : sublayer;
        target.bindTooltip(hoverText(feature.properties), labelOptions);
      }
    }
  });
  if (options.hover) {
    layer.bindTooltip(function (sublayer) { return hoverText(sublayer.feature.properties); },
                      options.hover);
  }
  return layer;
})().addTo({{ this._parent.get_name() }});
{% if this.month %}{{ this._parent.get_name() }}.month = {{ this.month|tojson }};{% endif %}
{% endmacro %}
"""
    )

    STYLES = {
        "events": {
            "weight": 3,
            "opacity": 0.9,
            "fillOpacity": 0.8,
            "polygonWeight": 1.5,
            "polygonFillOpacity": 0.15,
        },
        "selected": {
            "color": SELECTED_COLOUR,
            "weight": 4,
            "opacity": 1,
            "fillOpacity": 0.9,
            "polygonWeight": 3,
            "polygonFillOpacity": 0.25,
        },
        "uncertainty": {
            "weight": 1,
            "opacity": 0.5,
            "dashArray": "3 4",
            "fillOpacity": 0.06,
            "polygonWeight": 1,
            "polygonFillOpacity": 0.06,
        },
        "areas": {
            "color": None,
            "weight": 1.5,
            "opacity": 0.8,
            "fillOpacity": 0.9,
            "polygonWeight": 1.2,
            "polygonFillOpacity": 0.06,
        },
    }

    def __init__(
        self, data: str, kind: str = "events", colour: str | None = None, month: str | None = None
    ):
        super().__init__()
        self._name = "GeoJsonText"
        self.data = data
        self.month = month  # marks the layer group as this month's, for the month player
        self.options = {
            "colour": colour,
            "style": self.STYLES[kind],
            "pointRadius": {"selected": 9, "areas": 3}.get(kind, 6),
            "interactive": kind != "uncertainty",
            "hover": {"sticky": True} if kind in ("events", "selected") else None,
            "labels": _area_label_options(kind),
            "tooltipClass": "area-label-text" if kind == "areas" else "event-tip",
        }


def _area_label_options(kind: str) -> dict | None:
    if kind != "areas":
        return None
    return {"sticky": True, "className": "area-label", "pane": "areaLabels"}


class MapLegend(ScriptElement):
    """A legend box on the map, shown while its layer is on; `entries` are (colour, text)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.layerGroup();
// streamlit-folium keeps every feature group it ever added in window.feature_group; this
// legend's group is added last, so all but this update's other groups are stale: drop them,
// or old layers would pile up in memory and the month player would find old months.
if (window.feature_group && {{ this.siblings }} >= 0) {
  window.feature_group.splice(0, Math.max(0, window.feature_group.length - {{ this.siblings }}));
}
window.__layersUpdated = (window.__layersUpdated || 0) + 1;  // for tests and bench/
(function (group) {
  var control = L.control({position: "bottomright"});
  control.onAdd = function () {
    var box = L.DomUtil.create("div", "map-legend");
    {{ this.entries|tojson }}.forEach(function (entry) {
      var row = L.DomUtil.create("div", "", box);
      var swatch = L.DomUtil.create("i", "", row);
      swatch.style.background = entry[0];
      row.appendChild(document.createTextNode(entry[1]));
    });
    return box;
  };
  group.on("add", function (event) { control.addTo(event.target._map); });
  group.on("remove", function () { control.remove(); });
})({{ this.get_name() }});
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, entries: list[tuple[str, str]], siblings: int = -1):
        super().__init__()
        self._name = "MapLegend"
        self.entries = entries
        self.siblings = siblings  # feature groups added before this one in the same update


class MonthPlayer(ScriptElement):
    """Play the months of the range one by one: play/pause, step back and forward, speed,
    an optional fading trail of the two months before, and the current month shown large.

    Runs in the browser on the month layers already on the map (each marked with its month),
    so a step costs no round trip, never remounts the map and keeps the view. Its state
    survives the layers being rebuilt by a rerun.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var months = {{ this.months|tojson }};
  var saved = window.__monthPlayer || {};
  var state = {index: months.indexOf(saved.month), playing: false,
               speed: saved.speed || 1000, trail: !!saved.trail, timer: null};
  var control = L.control({position: "topleft"});
  var big = L.control({position: "topright"});
  var label;
  function monthGroups() {
    return (window.feature_group || []).filter(function (g) { return g.month; });
  }
  function fade(layer, factor) {
    if (layer.setStyle) {
      if (layer.__base === undefined) {
        layer.__base = [layer.options.opacity, layer.options.fillOpacity];
      }
      layer.setStyle({opacity: layer.__base[0] * factor, fillOpacity: layer.__base[1] * factor});
    } else if (layer.setOpacity) {
      layer.setOpacity(factor);
    }
  }
  function fadeGroup(monthGroup, factor) {
    monthGroup.eachLayer(function (geo) {
      if (geo.eachLayer) {
        geo.eachLayer(function (layer) { fade(layer, factor); });
      } else {
        fade(geo, factor);
      }
    });
  }
  function remember() {
    window.__monthPlayer = {month: state.index >= 0 ? months[state.index] : null,
                            speed: state.speed, trail: state.trail, playing: state.playing};
  }
  function show(index) {
    var map = group._map;
    if (!map) { return; }
    state.index = index;
    monthGroups().forEach(function (g) {
      var age = index - months.indexOf(g.month);
      if (age === 0 || (state.trail && age > 0 && age <= 2)) {
        map.addLayer(g);
        fadeGroup(g, age === 0 ? 1 : age === 1 ? 0.4 : 0.15);
      } else {
        map.removeLayer(g);
      }
    });
    label.textContent = months[index];
    label.style.display = "block";
    remember();
  }
  function showAll() {
    stop();
    state.index = -1;
    var map = group._map;
    monthGroups().forEach(function (g) { if (map) { map.addLayer(g); } fadeGroup(g, 1); });
    label.style.display = "none";
    remember();
  }
  function stop() {
    if (state.timer) { clearInterval(state.timer); }
    state.timer = null;
    state.playing = false;
    playButton.textContent = "▶";
    playButton.title = "Play the months";
    remember();
  }
  function play() {
    if (state.index < 0 || state.index >= months.length - 1) { show(0); }
    state.playing = true;
    playButton.textContent = "II";
    playButton.title = "Pause";
    state.timer = setInterval(function () {
      if (state.index >= months.length - 1) { stop(); return; }
      show(state.index + 1);
    }, state.speed);
    remember();
  }
  var playButton;
  control.onAdd = function () {
    var box = L.DomUtil.create("div", "month-player leaflet-bar");
    L.DomEvent.disableClickPropagation(box);
    function button(text, title, action) {
      var element = L.DomUtil.create("button", "", box);
      element.type = "button";
      element.textContent = text;
      element.title = title;
      element.setAttribute("aria-label", title);
      L.DomEvent.on(element, "click", action);
      return element;
    }
    button("«", "Previous month", function () { stop(); show(Math.max(0, state.index - 1)); });
    playButton = button("▶", "Play the months", function () { state.playing ? stop() : play(); });
    button("»", "Next month", function () {
      stop(); show(Math.min(months.length - 1, state.index + 1));
    });
    var speed = L.DomUtil.create("select", "", box);
    speed.title = "Seconds per month";
    [500, 1000, 2000].forEach(function (ms) {
      var option = L.DomUtil.create("option", "", speed);
      option.value = ms;
      option.textContent = ms / 1000 + " s";
      option.selected = ms === state.speed;
    });
    L.DomEvent.on(speed, "change", function () {
      state.speed = Number(speed.value);
      if (state.playing) { stop(); play(); }
    });
    var trailLabel = L.DomUtil.create("label", "", box);
    var trail = L.DomUtil.create("input", "", trailLabel);
    trail.type = "checkbox";
    trail.checked = state.trail;
    trailLabel.appendChild(document.createTextNode(" trail"));
    trailLabel.title = "Keep the two months before, faded";
    L.DomEvent.on(trail, "change", function () {
      state.trail = trail.checked;
      if (state.index >= 0) { show(state.index); }
    });
    button("All", "Show every month again", showAll);
    return box;
  };
  big.onAdd = function () {
    label = L.DomUtil.create("div", "month-now");
    label.style.display = "none";
    return label;
  };
  group.on("add", function (event) {
    control.addTo(event.target._map);
    big.addTo(event.target._map);
    if (state.index >= 0) {
      show(state.index);
      if (saved.playing) { play(); }
    }
  });
  group.on("remove", function () {
    if (state.timer) { clearInterval(state.timer); }
    control.remove();
    big.remove();
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, months: list[str]):
        super().__init__()
        self._name = "MonthPlayer"
        self.months = months


def base_map(view: View) -> folium.Map:
    """The map without data: offline basemap, graticule, scale. Same view, same HTML."""
    lat, lon = view.center()
    fmap = folium.Map(
        location=[lat, lon],
        zoom_start=view.zoom_level(),
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        world_copy_jump=False,
        # The offline basemap covers this box (Pacific frame); beyond it there is no land.
        max_bounds=True,
        min_lat=BASEMAP_BOUNDS[0][0],
        min_lon=BASEMAP_BOUNDS[0][1],
        max_lat=BASEMAP_BOUNDS[1][0],
        max_lon=BASEMAP_BOUNDS[1][1],
    )
    # The map's own zoom range is the link's. folium passes min_zoom/max_zoom only to a tile
    # layer, and with tiles=None there is none, so Leaflet would zoom past MAX_ZOOM.
    fmap.options.update(min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM)
    fmap.default_js = MAP_JS
    fmap.default_css = MAP_CSS
    fmap.get_root().header.add_child(
        RawScript(f"<style>{leaflet_css()}</style>"), name="leaflet_css"
    )
    fmap.get_root().header.add_child(Element(MAP_STYLE), name="map_style")
    OfflineBasemap().add_to(fmap)
    PromptReport().add_to(fmap)
    return fmap


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
    """What hovering an event shows, as plain text: title, kind and dates, nations, id."""
    kind = KIND_LABELS[row.kind]
    nations = ", ".join(row.nations)
    uploaded = row.file.startswith(UPLOAD_PREFIX)
    return {
        "i": row.id,
        "c": KIND_COLOURS[row.kind],
        "t": row.title,
        "w": f"{kind} · {describe_span(row.start_text, row.end_text)}",
        "h": f"{nations} · uploaded ({row.file[len(UPLOAD_PREFIX) :]})" if uploaded else nations,
    }


def prepare_features(events: gpd.GeoDataFrame) -> pd.Series:
    """Each event's map features as JSON text, indexed like `events`; once per data version.

    A text holds one feature, or several joined by commas (one per point of a MultiPoint).
    """
    if events.empty:
        return pd.Series([], dtype=object)
    geometries = to_pacific_frame(events.geometry.values)
    geometry_texts = shapely.to_geojson(geometries)
    texts = []
    for geometry, geometry_text, row in zip(geometries, geometry_texts, events.itertuples()):
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
    for geometry, original, radius_km, colour in zip(
        framed, points.geometry.values, radii, colours
    ):
        if radius_km <= LARGE_UNCERTAINTY_KM:
            shapes = shapely.get_parts(geometry)
            properties = {"c": colour, "r": round(radius_km * 1000)}
        else:
            circles = [
                geodesic_circle(point.x, point.y, radius_km)
                for point in shapely.get_parts(original)
            ]
            shapes = to_pacific_frame(circles, digits=3)
            # A circle hundreds of km wide would tint a whole sea: outline only.
            properties = {"c": colour, "f": 0}
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
        properties = {**area_label(row), **_AREA_LOOKS[row["kind"]]}
        texts[index] = _feature_text(geometry, properties)
    return pd.Series(texts, dtype=object)


def area_label(row: pd.Series) -> dict:
    """An area's name and, under it, every alternate name: the map never picks one silently.

    "z" is the zoom from which the label stays on the map: small areas are labelled only once
    they are big enough on screen to carry one.
    """
    west, south, east, north = row.geometry.bounds
    extent = max(east - west, north - south, 0.01)
    label_zoom = int(min(max(round(math.log2(360 / extent)) - 3, MIN_ZOOM), MAX_ZOOM))
    return {"t": row["name"], "w": " / ".join(row["alt_names"]), "z": label_zoom}


# Colour, dash pattern and whether the label stays on the map ("p"), by area kind. Zones and
# reference lines are labelled on hover only: they overlap the areas they belong to.
_AREA_LOOKS = {
    "sea": {"c": "#3a5f85", "p": 1},
    "strait": {"c": "#3a5f85", "p": 1},
    "bay": {"c": "#3a5f85", "p": 1},
    "coastal_waters": {"c": "#2c7a7b", "p": 1},
    "island_waters": {"c": "#2c7a7b", "p": 1},
    "territorial_sea": {"c": "#5b3a85", "d": "6 4"},
    "contiguous_zone": {"c": "#5b3a85", "d": "2 5"},
    "reference_line": {"c": "#a23b3b", "d": "8 6"},
    "point_of_interest": {"c": "#333333", "p": 1},
}


def collection_text(feature_texts) -> str:
    """A FeatureCollection from feature JSON texts."""
    return '{"type":"FeatureCollection","features":[' + ",".join(feature_texts) + "]}"


def month_colours(months: list[str]) -> dict[str, str]:
    """A colour per month, light to dark across the months given."""
    if not months:
        return {}
    last = max(len(months) - 1, 1)
    return {
        month: MONTH_PALETTE[round(position * (len(MONTH_PALETTE) - 1) / last)]
        for position, month in enumerate(months)
    }


def legend_entries(colour_by: str, months: list[str]) -> list[tuple[str, str]]:
    if colour_by == "month":
        return [(colour, month) for month, colour in month_colours(months).items()]
    return [(KIND_COLOURS[kind], label) for kind, label in KIND_LABELS.items()]


def _feature_text(geometry_json: str, properties: dict) -> str:
    return (
        '{"type":"Feature","geometry":'
        + geometry_json
        + ',"properties":'
        + script_safe_json(properties)
        + "}"
    )


def script_safe_json(value) -> str:
    """JSON that can sit inside a <script> or an eval'd string without ending it early."""
    return _JINJA_OPENERS.sub(r"\\u007b", _script_safe(value))


# "{{", "{%" and "{#" never occur in json.dumps' own syntax, only inside strings; escaping the
# brace there keeps any template pass from reading data as template code.
_JINJA_OPENERS = re.compile(r"\{(?=[{%#])")


def _script_safe(value) -> str:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True)
class MapData:
    """What the map needs from one version of the data, prepared once and shared."""

    features: pd.Series
    uncertainty: pd.Series
    area_features: pd.Series
    positions: pd.DataFrame

    @classmethod
    def prepare(cls, events: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> MapData:
        return cls(
            features=prepare_features(events),
            uncertainty=prepare_uncertainty(events),
            area_features=prepare_areas(areas),
            positions=display_positions(events, to_pacific_frame(events.geometry.values)),
        )


def visible_radius(events: gpd.GeoDataFrame, positions: pd.DataFrame, zoom: int) -> np.ndarray:
    """True where an event's uncertainty circle is at least MIN_CIRCLE_PX wide on screen.

    Smaller circles would be specks under the event's own marker: not sent.
    """
    metres_per_px = 156_543.03 * np.cos(np.radians(positions.loc[events.index, "y"])) / 2**zoom
    radius_px = events["location_precision_km"].to_numpy() * 1000 / metres_per_px.to_numpy()
    return radius_px >= MIN_CIRCLE_PX


def drawn_events(filtered: gpd.GeoDataFrame, positions: pd.DataFrame, window: MapWindow):
    """The events to send for this window, and whether they are drawn one by one.

    Few filtered events are all sent, whatever the window, so panning never re-sends them.
    """
    if len(filtered) <= DETAIL_LIMIT:
        return filtered.index, True
    visible = filtered.index[in_window(positions.loc[filtered.index], window).to_numpy()]
    return visible, len(visible) <= DETAIL_LIMIT


# The columns of the filtered events that view_layers reads.
LAYER_COLUMNS = ("id", "kind", "start", "end", "location_precision_km")


def view_layers(
    filtered: gpd.GeoDataFrame,
    map_data: MapData,
    area_rows: gpd.GeoDataFrame,
    months: list[str],
    view: View,
    window: MapWindow,
    show_uncertainty: bool = True,
) -> list[folium.FeatureGroup]:
    """The layers a view puts on the base map, bottom to top.

    Named areas first, then the uncertainty circles, then one layer per month of the range
    (an event is in every month it was active; the layer's name counts all its events), then
    the open event, then the legend. Month layers hold events or, when too many are in the
    window, their counts per cell (see layers/aggregate.py).
    """
    groups = []
    for index, row in area_rows.iterrows():
        # Leaflet's layer control writes layer names as HTML: escape the data's text.
        group = MapLayer(name=html.escape(f"Area: {row['name']}"))
        area_text = collection_text([map_data.area_features[index]])
        GeoJsonText(area_text, kind="areas").add_to(group)
        groups.append(group)

    drawn, one_by_one = drawn_events(filtered, map_data.positions, window)
    if show_uncertainty and one_by_one:
        with_circle = map_data.uncertainty.index.intersection(drawn)
        visible = visible_radius(filtered.loc[with_circle], map_data.positions, window.zoom)
        circles = map_data.uncertainty[with_circle[visible]]
        group = MapLayer(name="Location uncertainty")
        GeoJsonText(collection_text(circles), kind="uncertainty").add_to(group)
        groups.append(group)

    colours = month_colours(months) if view.colour == "month" else {}
    by_month = events_by_month(filtered, months)
    places, cells = (
        ([], {}) if one_by_one else month_cells(filtered, map_data, by_month, drawn, window)
    )
    for month, index in by_month.items():
        if len(index) == 0:
            continue
        group = MapLayer(name=f"{month} ({len(index)})")
        if one_by_one:
            text = collection_text(map_data.features[index.intersection(drawn)])
            GeoJsonText(text, colour=colours.get(month), month=month).add_to(group)
        else:
            MonthCells(month, cells.get(month, [])).add_to(group)
        groups.append(group)

    if view.event is not None:
        selected = filtered.index[filtered["id"] == view.event]
        if len(selected):
            group = MapLayer(name="Open event")
            GeoJsonText(collection_text(map_data.features[selected]), kind="selected").add_to(group)
            groups.append(group)

    legend = MapLayer(name="Legend", control=False)
    MapLegend(legend_entries(view.colour, months), siblings=len(groups)).add_to(legend)
    played = [month for month, index in by_month.items() if len(index)]
    if len(played) > 1:
        MonthPlayer(played).add_to(legend)
    if not one_by_one:
        ClusterView(places).add_to(legend)
    groups.append(legend)
    return groups


def month_cells(
    filtered: gpd.GeoDataFrame,
    map_data: MapData,
    by_month: dict[str, pd.Index],
    drawn: pd.Index,
    window: MapWindow,
) -> tuple[list[list[float]], dict[str, list[list[int]]]]:
    """The window's grid cells, and per month its events counted in them by kind.

    Returns (places, per month): `places[i]` is [x, y], the mean position of cell i's events
    over all the months; each month lists [i, count per kind in KINDS order...] for its cells.
    ClusterView adds up the months on the map. One table of places, not a position per month
    and cell, halves what a map update sends.
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
    kinds = cells.reindex(columns=list(KIND_LABELS), fill_value=0).to_numpy(dtype="int64")
    place, number = np.unique(
        cells[["cx", "cy"]].to_numpy(dtype="int64"), axis=0, return_inverse=True
    )
    number = number.ravel()
    weight = cells["n"].to_numpy(dtype="float64")
    total = np.bincount(number, weights=weight)
    places = np.column_stack(
        [
            np.bincount(number, weights=cells["x"].to_numpy() * weight) / total,
            np.bincount(number, weights=cells["y"].to_numpy() * weight) / total,
        ]
    ).round(4)
    result: dict[str, list[list[int]]] = {}
    # Plain lists, not a walk over pandas' arrow-backed columns (0.07 s per move at 100k).
    for month, entry in zip(
        cells["group"].tolist(), np.column_stack([number, kinds]).tolist(), strict=True
    ):
        result.setdefault(month, []).append(entry)
    return places.tolist() if len(place) else [], result


class MonthCells(ScriptElement):
    """A month layer's grid-cell counts, kept on its group for ClusterView; draws nothing."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.month = {{ this.month|tojson }};
{{ this._parent.get_name() }}.cells = {{ this.cells|tojson }};
{% endmacro %}
"""
    )

    def __init__(self, month: str, cells: list[list]):
        super().__init__()
        self._name = "MonthCells"
        self.month = month
        self.cells = cells


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
  var places = {{ this.places|tojson }};
  var kinds = {{ this.kinds|tojson }};
  var labels = {{ this.labels|tojson }};
  var colours = {{ this.colours|tojson }};
  var view = L.layerGroup();
  var pending = null;
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
  function draw() {
    pending = null;
    var map = group._map;
    if (!map) { return; }
    var merged = {};
    var months = 0;
    (window.feature_group || []).forEach(function (g) {
      if (!g.cells || !map.hasLayer(g)) { return; }
      months += 1;
      g.cells.forEach(function (cell) {
        var m = merged[cell[0]];
        if (!m) { m = merged[cell[0]] = {n: 0, kinds: kinds.map(function () { return 0; })}; }
        for (var i = 1; i < cell.length; i++) {
          m.kinds[i - 1] += cell[i];
          m.n += cell[i];
        }
      });
    });
    view.clearLayers();
    Object.keys(merged).forEach(function (key) {
      var m = merged[key];
      var place = places[key];
      var order = kinds.map(function (_, i) { return i; })
        .sort(function (a, b) { return m.kinds[b] - m.kinds[a]; });
      var properties = {
        n: m.n,
        c: colours[order[0]],
        t: m.n.toLocaleString("en") + " events" + (months > 1 ? " in " + months + " months" : ""),
        w: order.filter(function (i) { return m.kinds[i]; })
          .map(function (i) { return labels[i] + " " + m.kinds[i].toLocaleString("en"); })
          .join(" · "),
        h: "Click to zoom in"
      };
      var size = Math.round(Math.min(46, 16 + 10 * Math.log10(m.n + 1)));
      var text = document.createElement("span");
      text.textContent = m.n >= 10000 ? Math.round(m.n / 1000) + "k" : String(m.n);
      var marker = L.marker([place[1], place[0]], {icon: L.divIcon({
        html: text, className: "event-cluster", iconSize: [size, size]})});
      marker.feature = {type: "Feature", properties: properties};
      marker.bindTooltip(hover(properties), {sticky: true});
      marker.on("add", function () {
        marker.getElement().style.background = properties.c + "cc";
        marker.getElement().style.borderColor = properties.c;
      });
      marker.on("click", function (event) {
        map.setView(event.latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
      });
      view.addLayer(marker);
    });
  }
  function later() { if (!pending) { pending = setTimeout(draw, 0); } }
  // Only a month layer coming or going changes the sums (not the circles drawn here).
  function onLayer(event) { if (event.layer && event.layer.cells) { later(); } }
  group.on("add", function (event) {
    view.addTo(event.target._map);
    event.target._map.on("layeradd layerremove", onLayer);
    later();
  });
  group.on("remove", function () {
    if (view._map) {
      view._map.off("layeradd layerremove", onLayer);
      view.remove();
    }
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, places: list[list[float]]):
        super().__init__()
        self._name = "ClusterView"
        self.places = places
        self.kinds = list(KIND_LABELS)
        self.labels = list(KIND_LABELS.values())
        self.colours = [KIND_COLOURS[kind] for kind in KIND_LABELS]
