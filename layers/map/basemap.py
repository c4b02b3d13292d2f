"""The offline basemap and the base map that carries it."""

from __future__ import annotations

import folium
from branca.element import Element
from jinja2 import Template

from layers.aggregate import degrees_per_pixel
from layers.assets import BASEMAP_URL, MAP_CSS, MAP_JS, leaflet_css
from layers.map.elements import RawScript, ScriptElement
from layers.map.labels import LabelLayout, TooltipInsideMap
from layers.map.report import PromptReport
from layers.map.style import BORDER_COLOUR, COAST_COLOUR, LAND_COLOUR, MAP_STYLE
from layers.region import MAP_REGION
from layers.view import MAX_ZOOM, MIN_ZOOM, View

# (south, west), (north, east) of static/basemap in the Pacific frame; see its NOTICE.md.
BASEMAP_BOUNDS = MAP_REGION


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
    LabelLayout().add_to(fmap)
    TooltipInsideMap().add_to(fmap)
    return fmap


def held_by_region(center: dict, zoom: int, target: dict, bounds: dict) -> bool:
    """Whether the map shows the target as nearly as the basemap's bounds let it.

    Leaflet keeps the view inside the map's maxBounds (BASEMAP_BOUNDS): in a window wider or
    taller than the region at that zoom it moves the centre away from the edge it would cross.
    That is the link's view on this screen, not a move of the analyst's, who moving toward an
    edge moves the centre toward it.
    """
    south_west, north_east = bounds.get("_southWest"), bounds.get("_northEast")
    if zoom != target["zoom"] or not south_west or not north_east:
        return False
    tolerance = 2 * degrees_per_pixel(zoom)
    (south, west), (north, east) = BASEMAP_BOUNDS
    target_lat, target_lon = target["center"]

    def held(reported, wanted, low_edge, high_edge, low_limit, high_limit) -> bool:
        if reported is None or low_edge is None or high_edge is None:
            return False
        if abs(reported - wanted) <= tolerance:
            return True
        if reported > wanted:  # pushed up or east: the low edge met its limit
            return low_edge <= low_limit + tolerance
        return high_edge >= high_limit - tolerance

    return held(
        center.get("lat"), target_lat, south_west.get("lat"), north_east.get("lat"), south, north
    ) and held(
        center.get("lng"), target_lon, south_west.get("lng"), north_east.get("lng"), west, east
    )
