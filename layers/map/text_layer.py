"""GeoJSON drawn from JSON text: events, the open event, uncertainty circles, named areas."""

from __future__ import annotations

from jinja2 import Template

from layers.i18n import CLDR_LOCALES, _, current_language, is_english
from layers.map.elements import ScriptElement
from layers.map.style import SELECTED_COLOUR
from layers.read.schema import KIND_LABELS


class GeoJsonText(ScriptElement):
    """A GeoJSON FeatureCollection, given as JSON text, drawn as one L.geoJSON layer.

    `kind` picks how features look: "events" (coloured by their "c" property, or all in
    `colour`), "selected" (the open event, outlined), "uncertainty" (faint circles, each with
    its event's id "e"; their layer group is marked `circles` for the month player), "areas"
    (named areas, labelled). A track (a feature with times, "ts": layers.map.tracks) gets
    arrowheads along it and at its end, for its direction. Hover text comes from the
    properties "t" (title), "w" (when), "h" (nations, or a hint) and "i" (id), and is put on the
    page as text nodes, never as HTML. For an event its last line is "id: <event id>", which
    streamlit-folium reports back when the feature is clicked.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var options = {{ this.options|tojson }};
  // An event's hover lines are prepared once, in English (layers/map/data.py): in another
  // language its kind, its dates and the upload hint are said in the reader's (hover_words).
  var words = options.words;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var DATE = new RegExp("(?:([0-9]{1,2}) )?(" + MONTHS.join("|") + ") ([0-9]{4})", "g");
  function localDates(text) {
    return text.replace(DATE, function (all, day, month, year) {
      var when = new Date(Date.UTC(Number(year), MONTHS.indexOf(month), Number(day || 1)));
      var format = {timeZone: "UTC", year: "numeric", month: "short"};
      if (day) { format.day = "numeric"; }
      return new Intl.DateTimeFormat(words.locale, format).format(when);
    });
  }
  function said(text, index) {
    if (!words || !text) { return text; }
    if (index === 1) {
      var cut = text.indexOf(" · ");
      var kind = cut < 0 ? "" : text.slice(0, cut);
      if (words.kinds[kind]) { text = words.kinds[kind] + text.slice(cut); }
      return localDates(text);
    }
    if (index === 2) {
      var upload = / · uploaded \\((.*)\\)$/.exec(text);
      if (upload) {
        // A function, so that "$&" or "$'" in a file's name are not replacement patterns.
        var uploaded = words.uploaded.replace("{file}", function () { return upload[1]; });
        text = text.slice(0, upload.index) + " · " + uploaded;
      }
    }
    return text;
  }
  function hoverText(properties) {
    var box = document.createElement("div");
    box.className = options.tooltipClass;
    [properties.t, said(properties.w, 1), said(properties.h, 2)].forEach(function (text, index) {
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
  var named = {};  // the open event's id, once its name is on the map
  var layer = L.geoJSON({{ this.data }}, {
    interactive: options.interactive,
    pointToLayer: function (feature, latlng) {
      if (feature.properties.r) {  // an uncertainty radius in metres
        return L.circle(latlng, {radius: feature.properties.r});
      }
      // The open event's marker is marked, so no label is laid over it (labels.py).
      return L.circleMarker(latlng, {radius: options.pointRadius,
                                     className: options.selectedLabel ? "open-event-mark" : ""});
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
          // Larger areas (labelled from a smaller zoom) go first when labels would overlap.
          labelOptions.className += " label-from-" + feature.properties.z +
            " label-priority-" + (100 - feature.properties.z);
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
        if (labelOptions.permanent) {
          // A label thinned out (LabelLayout) shows again while its area is pointed at.
          sublayer.on("mouseover mouseout", function (event) {
            var tip = target.getTooltip() && target.getTooltip().getElement();
            if (tip) { tip.classList.toggle("label-hovered", event.type === "mouseover"); }
          });
        }
      }
      if (options.selectedLabel && feature.properties.t && !named[feature.properties.i]) {
        // The open event is named on the map, and its name goes first (LabelLayout): once,
        // though its points or parts may come as several features.
        named[feature.properties.i] = true;
        var marked = sublayer.getLayers ? sublayer.getLayers()[0] : sublayer;
        var name = document.createElement("span");
        var title = feature.properties.t;
        name.textContent = title.length > 70 ? title.slice(0, 68) + "…" : title;
        // To the left: the details panel floats over the map's right side.
        marked.bindTooltip(name, {permanent: true, direction: "left", offset: [-12, 0],
          interactive: false, className: "selected-label label-priority-1000"});
      }
    }
  });
  if (options.hover) {
    layer.bindTooltip(function (sublayer) { return hoverText(sublayer.feature.properties); },
                      options.hover);
  }
  if (options.arrows) {
    // A track (a line with a time per position, "ts") shows its direction: chevrons every
    // ARROW_SPACING pixels along it and one at each line's end, drawn in screen pixels, so
    // made again after each zoom. They are part of the layer (shown, hidden and faded with
    // it) but never take the pointer: the line's hover text stays the event's.
    var SPACING = 110, SIZE = 7, SPREAD = 0.5;
    var arrows = [];
    function chevron(map, a, b, f) {
      var tip = a.add(b.subtract(a).multiplyBy(f));
      var angle = Math.atan2(b.y - a.y, b.x - a.x);
      var side = function (turn) {
        return map.layerPointToLatLng(L.point(tip.x - SIZE * Math.cos(angle + turn),
                                              tip.y - SIZE * Math.sin(angle + turn)));
      };
      return [side(-SPREAD), map.layerPointToLatLng(tip), side(SPREAD)];
    }
    function chevrons(map, sublayer) {
      var parts = sublayer.getLatLngs();
      if (parts.length && !Array.isArray(parts[0])) { parts = [parts]; }
      var made = [];
      parts.forEach(function (latlngs) {
        var points = latlngs.map(function (latlng) { return map.latLngToLayerPoint(latlng); });
        var travelled = 0, next = SPACING, last = null;
        for (var i = 1; i < points.length; i++) {
          var length = points[i - 1].distanceTo(points[i]);
          if (!length) { continue; }
          while (travelled + length > next + SIZE) {
            made.push(chevron(map, points[i - 1], points[i], (next - travelled) / length));
            next += SPACING;
          }
          travelled += length;
          last = i;
        }
        if (last !== null) { made.push(chevron(map, points[last - 1], points[last], 1)); }
      });
      return made;
    }
    function drawArrows() {
      var map = layer._map;
      arrows.forEach(function (arrow) { layer.removeLayer(arrow); });
      arrows = [];
      if (!map) { return; }
      layer.eachLayer(function (sublayer) {
        var p = sublayer.feature && sublayer.feature.properties;
        if (!p || !p.ts || !sublayer.getLatLngs) { return; }
        var arrow = L.polyline(chevrons(map, sublayer), {
          color: options.colour || (options.style.color || p.c), weight: 2,
          opacity: options.style.opacity, interactive: false, className: "track-arrow"});
        arrow.trackArrow = true;
        arrows.push(arrow);
      });
      arrows.forEach(function (arrow) { layer.addLayer(arrow); });
    }
    var onMap = null;
    layer.on("add", function () {
      onMap = layer._map;
      drawArrows();
      onMap.on("zoomend", drawArrows);
    });
    layer.on("remove", function () {
      if (onMap) { onMap.off("zoomend", drawArrows); }
      onMap = null;
    });
  }
  return layer;
})().addTo({{ this._parent.get_name() }});
{% if this.month %}{{ this._parent.get_name() }}.month = {{ this.month|tojson }};{% endif %}
{% if this.options.circles %}{{ this._parent.get_name() }}.circles = true;{% endif %}
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
            "hover": {"sticky": True, "className": "event-tip-box"}
            if kind in ("events", "selected")
            else None,
            "selectedLabel": kind == "selected",
            # Marks the layer group as the uncertainty circles', which the month player
            # shows month by month with their events.
            "circles": kind == "uncertainty",
            "arrows": kind in ("events", "selected"),
            "labels": _area_label_options(kind),
            "tooltipClass": "area-label-text" if kind == "areas" else "event-tip",
            "words": hover_words() if kind in ("events", "selected") else None,
        }


def hover_words() -> dict | None:
    """What an event's hover text needs to be said in the reader's language: its kind's
    label by the English one, the locale its dates are written in, the upload hint. None in
    English (the prepared text is said as it is)."""
    if is_english():
        return None
    return {
        "kinds": {KIND_LABELS.english(kind): KIND_LABELS[kind] for kind in KIND_LABELS},
        "locale": CLDR_LOCALES[current_language()].replace("_", "-"),
        "uploaded": _("uploaded ({file})"),
    }


def _area_label_options(kind: str) -> dict | None:
    if kind != "areas":
        return None
    return {"sticky": True, "className": "area-label", "pane": "areaLabels"}
