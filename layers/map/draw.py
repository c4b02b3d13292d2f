"""The drawing tool on the map (Leaflet.draw, served by the app) and the shapes the app puts back.

Leaflet.draw 1.0.4 comes from the app's own copy in static/draw/leaflet-draw/ (see its
NOTICE.md and tools/fetch_leaflet_draw.py), never from a CDN.

What the browser sends back: streamlit-folium reads `window.drawnItems.toGeoJSON().features`
on every draw:created, draw:edited and draw:deleted and returns it as `all_drawings` (when
"all_drawings" is in `returned_objects`). Each feature is RFC 7946 GeoJSON in the map's frame:
lon, lat rounded to 6 decimals (Leaflet's toGeoJSON), and a longitude drawn east of 180° stays
above 180 (the map's Pacific frame runs to 210°E; nothing wraps it), e.g. 190.5, not -169.5.

- polygon: Polygon, one closed ring; properties {"kind": "polygon"}
- rectangle: Polygon, closed ring of 5 positions; properties {"kind": "rectangle"}
- circle: Point (the centre); properties {"kind": "circle", "radius": metres}. Leaflet's radius
  is a great-circle distance on a sphere of 6,371,000 m (L.CRS.Earth); the radius stays right
  after an edit (DrawControl's handler: streamlit-folium writes it on draw:created only).
- line: LineString; properties {"kind": "line"}

Shapes the app gives back through DrawnShapes keep their own properties (their "id" too).
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

from folium.plugins import Draw
from jinja2 import Template

from layers.assets import STATIC_DIR, STATIC_URL
from layers.i18n import _, is_english
from layers.map.elements import RawScript, ScriptElement, script_safe_json

DRAW_DIR = STATIC_DIR / "draw" / "leaflet-draw"
DRAW_URL = f"{STATIC_URL}/draw/leaflet-draw"
DRAW_JS = ("leaflet_draw_js", f"{DRAW_URL}/leaflet.draw.js")
# Shape kinds, from Leaflet.draw's layerType ("polyline" is the analyst's "line").
KINDS = {"polygon": "polygon", "rectangle": "rectangle", "circle": "circle", "polyline": "line"}
# Drawn shapes in one colour that no event layer uses (style.py's palette is for nations).
SHAPE_STYLE = {"color": "#d6336c", "weight": 2, "fillOpacity": 0.08}


# The drawing tool's toolbars (four draw buttons, edit and delete: about 200 px) sit between
# the zoom buttons and the layer list in the top-left corner, so the opened layer list starts
# that much lower: it keeps that much shorter, to stop above the month player as it did
# without the tool (layers/map/style.py, "Controls never cover each other";
# tests/test_browser_layout.py). More specific than style.py's rule, so it wins wherever the
# two stylesheets fall in the page.
LAYER_LIST_BELOW_TOOLS = (
    ".leaflet-top.leaflet-left .leaflet-control-layers-list "
    "{ max-height: calc(100vh - 450px); min-height: 60px; }"
)


@functools.cache
def leaflet_draw_css(draw_dir: Path = DRAW_DIR) -> str:
    """Leaflet.draw's stylesheet, its sprite URLs pointing at the app's copy.

    Inlined in the page like Leaflet's own (layers.assets.leaflet_css): streamlit-folium loads
    linked stylesheets after the map's script has run.
    """
    css = (draw_dir / "leaflet.draw.css").read_text(encoding="utf-8")
    return css.replace("url('images/", f"url('{DRAW_URL}/images/")


def draw_options() -> dict:
    """Leaflet.draw's `draw` options: polygon, rectangle, circle and line, no markers.

    Lengths in km and nautical miles, areas in km² (Leaflet.draw's own readouts while drawing;
    option names from Leaflet.draw 1.0.4's L.Draw.Polyline/Polygon/Circle).
    """
    shape = {"shapeOptions": SHAPE_STYLE}
    return {
        "polyline": {
            **shape,
            "showLength": True,
            "metric": ["km"],
            "feet": False,
            "nautic": True,
        },
        "polygon": {
            **shape,
            "allowIntersection": False,
            "showArea": True,
            "showLength": True,
            "metric": ["km"],
            "feet": False,
            "nautic": True,
        },
        "rectangle": {**shape, "showArea": True, "metric": ["km"]},
        "circle": {**shape, "showRadius": True, "metric": True, "feet": False, "nautic": True},
        "marker": False,
        "circlemarker": False,
    }


def draw_local() -> dict:
    """Leaflet.draw's own words (its `L.drawLocal`, 1.0.4) in the reader's language: the
    toolbar's button titles, the hints that follow the pointer while drawing and editing, the
    actions' buttons. Only the tools the map has (no markers). Empty in English: Leaflet.draw's
    own English stays, as it was. The polyline tool is the analyst's "line"."""
    if is_english():
        return {}
    return {
        "draw": {
            "toolbar": {
                "actions": {"title": _("Cancel drawing"), "text": _("Cancel")},
                "finish": {"title": _("Finish drawing"), "text": _("Finish")},
                "undo": {"title": _("Delete last point drawn"), "text": _("Delete last point")},
                "buttons": {
                    "polyline": _("Draw a line"),
                    "polygon": _("Draw a polygon"),
                    "rectangle": _("Draw a rectangle"),
                    "circle": _("Draw a circle"),
                },
            },
            "handlers": {
                "circle": {
                    "tooltip": {"start": _("Click and drag to draw circle.")},
                    "radius": _("Radius"),
                },
                "polygon": {
                    "tooltip": {
                        "start": _("Click to start drawing shape."),
                        "cont": _("Click to continue drawing shape."),
                        "end": _("Click first point to close this shape."),
                    }
                },
                "polyline": {
                    # Leaflet.draw writes this one as HTML; the words are the catalogue's.
                    "error": "<strong>{error}</strong> {text}".format(
                        error=_("Error:"), text=_("shape edges cannot cross!")
                    ),
                    "tooltip": {
                        "start": _("Click to start drawing line."),
                        "cont": _("Click to continue drawing line."),
                        "end": _("Click last point to finish line."),
                    },
                },
                "rectangle": {"tooltip": {"start": _("Click and drag to draw rectangle.")}},
                "simpleshape": {"tooltip": {"end": _("Release mouse to finish drawing.")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": {"title": _("Save changes"), "text": _("Save")},
                    "cancel": {
                        "title": _("Cancel editing, discards all changes"),
                        "text": _("Cancel"),
                    },
                    "clearAll": {"title": _("Clear all layers"), "text": _("Clear All")},
                },
                "buttons": {
                    "edit": _("Edit layers"),
                    "editDisabled": _("No layers to edit"),
                    "remove": _("Delete layers"),
                    "removeDisabled": _("No layers to delete"),
                },
            },
            "handlers": {
                "edit": {
                    "tooltip": {
                        "text": _("Drag handles or markers to edit features."),
                        "subtext": _("Click cancel to undo changes."),
                    }
                },
                "remove": {"tooltip": {"text": _("Click on a feature to remove.")}},
            },
        },
    }


class DrawControl(Draw):
    """Leaflet.draw's toolbar (folium.plugins.Draw), from the app's own copy of Leaflet.draw.

    Tools: polygon (no self-crossing, area shown), rectangle, circle, line (length shown), in km
    and nautical miles; edit and delete. The shapes live in the global `window.drawnItems`
    (the FeatureGroup streamlit-folium reads for `all_drawings`). On draw:created and
    draw:edited the script writes properties.kind ("polygon" | "rectangle" | "circle" |
    "line") and, for a circle, properties.radius = layer.getRadius() in metres, before
    streamlit-folium's own handlers (registered after the map's script) read the shapes.
    The script is the same text on every render (streamlit-folium remounts the map when it
    changes). No constructor arguments: `DrawControl().add_to(fmap)`.
    """

    default_js = [DRAW_JS]
    # Inlined (render): a linked stylesheet arrives after the map is drawn.
    default_css: list[tuple[str, str]] = []

    _template = Template(
        r"""
{% macro script(this, kwargs) %}
var drawnItems = window.drawnItems = new L.FeatureGroup().addTo({{ this._parent.get_name() }});
(function (map, drawnItems) {
  var kinds = {{ this.kinds|tojson }};
  // Leaflet.draw's words in the page's language (draw_local), before the toolbar reads them.
  (function merge(into, from) {
    Object.keys(from).forEach(function (key) {
      if (from[key] && typeof from[key] === "object") {
        merge(into[key] = into[key] || {}, from[key]);
      } else {
        into[key] = from[key];
      }
    });
  })(L.drawLocal, {{ this.local|tojson }});
  var nm = {{ this.nm|tojson }};
  // A circle's radius in metres, written by the app: streamlit-folium writes it only when the
  // circle is drawn, so after an edit it would return the radius drawn first. The properties
  // are a new object each time: toGeoJSON shares the layer's properties object, and
  // streamlit-folium sends a value only if it differs from the last one sent, which changing
  // that object in place would change too (the edit would never reach the app).
  function describe(layer, kind) {
    var feature = layer.feature = layer.feature || {type: "Feature", properties: {}};
    var properties = L.extend({}, feature.properties);
    if (kind) { properties.kind = kind; }
    if (layer instanceof L.Circle) {
      properties.kind = "circle";
      properties.radius = layer.getRadius();
    }
    feature.properties = properties;
  }
  // Leaflet.draw shows one unit (metric wins over nautic); the analyst reads km and nm.
  // 1 nm = 1852 m exactly.
  var util = L.GeometryUtil;
  if (!util.__kmAndNm) {
    util.__kmAndNm = true;
    var distance = util.readableDistance, area = util.readableArea;
    util.readableDistance = function (metres, isMetric, isFeet, isNautic, precision) {
      if (isMetric && isNautic) {
        return distance.call(util, metres, isMetric, false, false, precision) + " · " +
          util.formattedNumber(metres / 1852, 2) + " " + nm;
      }
      return distance.apply(util, arguments);
    };
    util.readableArea = function (squareMetres, isMetric, precision) {
      var text = area.apply(util, arguments);
      if (isMetric && isMetric.indexOf && isMetric.indexOf("km") !== -1) {
        text += " · " + util.formattedNumber(squareMetres / (1852 * 1852), 2) + " " + nm + "²";
      }
      return text;
    };
  }
  new L.Control.Draw({
    position: {{ this.position|tojson }},
    draw: {{ this.draw_options|tojson }},
    edit: {featureGroup: drawnItems, poly: {allowIntersection: false}}
  }).addTo(map);
  map.on(L.Draw.Event.CREATED, function (e) {
    describe(e.layer, kinds[e.layerType]);
    drawnItems.addLayer(e.layer);
  });
  map.on(L.Draw.Event.EDITED, function () {
    drawnItems.eachLayer(function (layer) { describe(layer, null); });
  });
}({{ this._parent.get_name() }}, drawnItems));
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__(
            position="topleft",
            show_geometry_on_click=False,
            draw_options=draw_options(),
        )
        self.kinds = KINDS
        self.local = draw_local()
        # Nautical miles as the reader abbreviates them.
        self.nm = _("nm")

    _generate_id = ScriptElement._generate_id

    def render(self, **kwargs) -> None:
        """Add the script, the inlined stylesheet and the script link to the page."""
        root = self.get_root()
        root.header.add_child(
            RawScript(f"<style>{leaflet_draw_css()}{LAYER_LIST_BELOW_TOOLS}</style>"),
            name="leaflet_draw_css",
        )
        super().render(**kwargs)


class DrawnShapes(ScriptElement):
    """Puts the given shapes in the map's `window.drawnItems`, in place of what it holds.

    `features`: GeoJSON Features (RFC 7946, lon/lat; lon may be in the map's Pacific frame, up
    to 210), each with properties {"id": str, "kind": "polygon" | "rectangle" | "circle" |
    "line"} and, for a circle, "radius" in metres with a Point geometry. A LineString becomes
    L.polyline, a Point with a radius L.circle, a Polygon L.polygon, or L.rectangle when its
    kind is "rectangle" and its ring is 4 corners with sides along meridians and parallels
    (so an edit keeps it square to the axes; its ring comes back in the given order until
    edited, then in Leaflet's SW, NW, NE, SE). Each layer keeps the feature's properties, so
    `all_drawings` returns them as given (coordinates rounded to 6 decimals by Leaflet).

    Put it in a FeatureGroup passed through st_folium's `feature_group_to_add`: its script
    runs each time that group's script changes (not on a rerun that leaves it the same), so a
    rerun neither duplicates shapes nor remounts the map. Replacing fires no draw:* event; the
    shapes stay editable and deletable from the toolbar. Needs DrawControl on the map (the
    script does nothing, and says so in the console, without it).

    Features that cannot be drawn (another geometry, a circle without a positive finite radius,
    too few positions) are left out and listed in `skipped` as one line each, naming the
    feature's id, for the caller to show.
    """

    _template = Template(
        r"""
{% macro script(this, kwargs) %}
(function (features) {
  var drawnItems = window.drawnItems;
  if (!drawnItems || !drawnItems.clearLayers) {
    console.error("DrawnShapes: the map has no drawing tool (DrawControl)");
    return;
  }
  var style = {{ this.style|tojson }};
  // One ring of 4 corners (closed: 5 positions), each a corner of its bounds, sides along
  // the meridians and parallels: what L.rectangle can edit. Another ring is drawn as L.polygon.
  function isBox(rings) {
    var ring = rings[0], lons = {}, lats = {};
    if (rings.length !== 1 || ring.length !== 5) { return false; }
    for (var i = 0; i < 4; i++) {
      lons[ring[i][0]] = true; lats[ring[i][1]] = true;
      if (ring[i][0] !== ring[i + 1][0] && ring[i][1] !== ring[i + 1][1]) { return false; }
    }
    return Object.keys(lons).length === 2 && Object.keys(lats).length === 2;
  }
  drawnItems.clearLayers();
  features.forEach(function (feature) {
    var geometry = feature.geometry, properties = feature.properties, layer;
    if (geometry.type === "Point") {
      layer = L.circle(L.GeoJSON.coordsToLatLng(geometry.coordinates),
                       L.extend({}, style, {radius: properties.radius}));
    } else if (geometry.type === "LineString") {
      layer = L.polyline(L.GeoJSON.coordsToLatLngs(geometry.coordinates, 0), style);
    } else if (properties.kind === "rectangle" && isBox(geometry.coordinates)) {
      // The given ring's own order until an edit (L.rectangle orders its corners itself).
      var ring = L.GeoJSON.coordsToLatLngs(geometry.coordinates[0], 0);
      layer = L.rectangle(L.latLngBounds(ring), style).setLatLngs(ring);
    } else {
      layer = L.polygon(L.GeoJSON.coordsToLatLngs(geometry.coordinates, 1), style);
    }
    layer.feature = {type: "Feature", properties: L.extend({}, properties)};
    drawnItems.addLayer(layer);
  });
  // What st_folium returns next (on the next move or draw) is what the map now holds, not
  // the shapes of the last draw event.
  if (window.__GLOBAL_DATA__) {
    window.__GLOBAL_DATA__.all_drawings = drawnItems.toGeoJSON().features;
  }
}({{ this.features_json }}));
{% endmacro %}
"""
    )

    def __init__(self, features: list[dict]):
        super().__init__()
        self._name = "DrawnShapes"
        self.style = SHAPE_STYLE
        self.skipped: list[str] = []
        kept = []
        for number, feature in enumerate(features):
            problem = _undrawable(feature)
            if problem:
                properties = feature.get("properties") if isinstance(feature, dict) else None
                name = properties.get("id") if isinstance(properties, dict) else None
                self.skipped.append(f"shape {name or number}: {problem}; not drawn")
            else:
                kept.append(feature)
        self.features = kept
        self.features_json = script_safe_json(kept)


def _undrawable(feature) -> str | None:
    """Why `feature` cannot be drawn, or None if it can."""
    if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
        return "not a GeoJSON Feature"
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        return "no properties"
    geometry = feature["geometry"]
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    try:
        if kind == "Point":
            radius = properties.get("radius")
            if not _position(coordinates):
                return "centre is not a lon, lat position"
            if (
                isinstance(radius, bool)
                or not isinstance(radius, int | float)
                or not math.isfinite(radius)
                or radius <= 0
            ):
                return "a circle needs a radius in metres above 0"
        elif kind == "LineString":
            if len(coordinates) < 2 or not all(map(_position, coordinates)):
                return "a line needs 2 or more lon, lat positions"
        elif kind == "Polygon":
            if (
                not coordinates
                or len(coordinates[0]) < 4
                or not all(_position(p) for ring in coordinates for p in ring)
            ):
                return "a polygon needs a ring of 4 or more lon, lat positions"
        else:
            return f"geometry {kind!r} is not a Polygon, LineString or Point"
    except TypeError:
        return "coordinates are not lists of lon, lat positions"
    return None


def _position(value) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) >= 2
        and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in value[:2]
        )
    )
