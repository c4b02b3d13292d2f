"""The offline basemap and the base map that carries it."""

from __future__ import annotations

import folium
from branca.element import Element
from jinja2 import Template

from layers.aggregate import degrees_per_pixel
from layers.assets import BASEMAP_URL, MAP_CSS, MAP_JS, leaflet_css
from layers.map.basemap_files import OSM_BOX, OSM_CREDIT
from layers.map.elements import RawScript, ScriptElement
from layers.map.labels import LabelLayout, TooltipInsideMap
from layers.map.report import PromptReport
from layers.map.style import BORDER_COLOUR, COAST_COLOUR, LAND_COLOUR, MAP_STYLE
from layers.region import MAP_REGION
from layers.view import MAX_ZOOM, MIN_ZOOM, View

# (south, west), (north, east) of static/basemap in the Pacific frame; see its NOTICE.md.
BASEMAP_BOUNDS = MAP_REGION

# Place-name fonts by kind of place: the browser measures each label in its font to keep
# labels from overlapping, so BASEMAP_STYLE must use the same ones. Chinese names use the
# Noto CJK fonts (Debian's fonts-noto-cjk) where installed.
_SANS = "system-ui, sans-serif"
LABEL_FONTS = {
    "place": f"11px {_SANS}",
    "port": f"11px {_SANS}",
    "water": f"italic 11px {_SANS}",
    "sea": f"italic 13px {_SANS}",
    "land": f"italic 11px {_SANS}",
    "local": f"10px 'Noto Sans CJK SC', 'Noto Sans CJK TC', 'Noto Sans CJK JP', {_SANS}",
}
# The sources, for a picture's credit line (the map credits OSM where it shows OSM's data).
ATTRIBUTION = f"GSHHG · Natural Earth · {OSM_CREDIT}"
BASEMAP_STYLE = f"""<style>
.basemap-label {{ position: absolute; white-space: nowrap; line-height: 14px; color: #3b3b3b;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }}
.basemap-place, .basemap-port {{ font: {LABEL_FONTS["place"]}; padding-left: 7px; }}
.basemap-place::before, .basemap-port::before {{ content: ""; position: absolute; left: 0;
  top: 5px; width: 4px; height: 4px; border-radius: 50%; background: #555; }}
.basemap-port::before {{ background: #1f5f8b; border-radius: 0; }}
.basemap-water {{ font: {LABEL_FONTS["water"]}; color: #3f6d94; }}
.basemap-water.basemap-sea {{ font: {LABEL_FONTS["sea"]}; color: #5a84aa; }}
.basemap-land {{ font: {LABEL_FONTS["land"]}; color: #6b5b45; }}
.basemap-local {{ font: {LABEL_FONTS["local"]}; color: #555; }}
</style>"""


class OfflineBasemap(ScriptElement):
    """Land, coastlines and borders from the app's own static files, place names and a
    labelled graticule.

    Land comes as tiles (static/basemap/land/, read the same way by basemap_files): the level
    of detail for the map's zoom, only the tiles in view (and half a view around), each fetched
    once. A new level replaces the old one when all its tiles in view are in, so the map is
    never bare. Drawn in its own pane below every overlay, on one canvas, never interactive.
    Place names sit in a pane above the land and below the areas and events: the most
    important first, each skipped if it would overlap one already placed; the label layout
    (labels.py) then hides any that a named area's label or the open event would overlap.
    When the tiles for the current view are drawn, the map's container carries
    data-basemap="z<grid>:<tiles>" and window.__basemapDrawnAt the page-clock time (tests and
    the bench wait for them).
    """

    _template = Template(
        r"""
{% macro script(this, kwargs) %}
(function (map) {
  var pane = map.createPane("basemap");
  pane.style.zIndex = 200;
  pane.style.pointerEvents = "none";
  // Place names above the land, below the areas (overlayPane is 400) and the events.
  var placePane = map.createPane("basemapLabels");
  placePane.style.zIndex = 350;
  placePane.style.pointerEvents = "none";
  // Area labels sit above the areas but below the events (overlayPane is 400).
  map.createPane("areaLabels").style.zIndex = 390;
  var labelPane = map.createPane("graticuleLabels");
  labelPane.style.zIndex = 450;
  labelPane.style.pointerEvents = "none";
  // Leaflet's default padding (0.1): the canvas is redrawn whole after every move, and with
  // 0.5 (four times the window's pixels) that redraw made a 10k pan/zoom 0.49 s, not 0.29 s.
  var renderer = L.canvas({pane: "basemap", padding: 0.1});
  var base = {{ this.base_url|tojson }};
  var landStyle = {{ this.land_style|tojson }};
  var coastStyle = {{ this.coast_style|tojson }};
  var container = map.getContainer();
  // OpenStreetMap's data (ODbL) asks for its credit where it is shown: only around the
  // Senkakus (basemap_files.OSM_BOX). The other sources are credited in NOTICE.md.
  var osm = L.latLngBounds({{ this.osm_bounds|tojson }}), osmCredited = false;
  function creditOsm() {
    var wanted = map.getBounds().intersects(osm);
    if (map.attributionControl && wanted !== osmCredited) {
      map.attributionControl[wanted ? "addAttribution" : "removeAttribution"](
        {{ this.osm_credit|tojson }});
      osmCredited = wanted;
    }
  }
  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }
  function failed(url) {
    return function (error) { console.error("basemap " + url + ": " + error); };
  }

  // ---- Land tiles (format: layers/map/basemap_files.py) ----
  var index = null, tiles = {}, shown = {}, wanted = {}, generation = 0;
  function levelFor(zoom) {
    var levels = index.levels;
    for (var i = 0; i < levels.length; i++) {
      if (zoom <= levels[i].zooms[1]) { return levels[i]; }
    }
    return levels[levels.length - 1];
  }
  function yToLat(y, n) {
    return Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
  }
  function tileBox(z, x, y) {
    var n = Math.pow(2, z);
    return {west: x / n * 360 - 180, east: (x + 1) / n * 360 - 180,
            north: yToLat(y, n), south: yToLat(y + 1, n)};
  }
  function tilesInView(level) {
    var n = Math.pow(2, level.grid), scale = n / 256 / Math.pow(2, map.getZoom());
    var view = map.getPixelBounds(), size = view.getSize();
    var pad = size.multiplyBy(0.5);
    var min = view.min.subtract(pad), max = view.max.add(pad);
    // Map pixels at this zoom -> tile numbers of the level's grid (both Web Mercator).
    var x0 = Math.max(level.x0, Math.floor(min.x * scale));
    var x1 = Math.min(level.x0 + level.width - 1, Math.floor(max.x * scale));
    var y0 = Math.max(level.y0, Math.floor(min.y * scale));
    var y1 = Math.min(level.y0 + level.height - 1, Math.floor(max.y * scale));
    var found = [];
    for (var y = y0; y <= y1; y++) {
      var row = level.cells[y - level.y0];
      for (var x = x0; x <= x1; x++) {
        var state = row.charAt(x - level.x0);
        if (state !== "0") { found.push({key: level.grid + "/" + x + "/" + y, z: level.grid,
                                         x: x, y: y, state: state}); }
      }
    }
    return found;
  }
  function ringPoints(ring) {
    var points = [], u = 0, v = 0;
    for (var i = 0; i < ring.length; i += 2) {
      u += ring[i]; v += ring[i + 1];
      points.push([u, v]);
    }
    return points;
  }
  // Runs of a closed ring joined by coastline: a segment along the tile's cut edge is not one.
  function coastRuns(points) {
    var low = -index.buffer, high = index.quantum + index.buffer, n = points.length;
    function cut(a, b) {
      return (a[0] === b[0] && (a[0] === low || a[0] === high)) ||
             (a[1] === b[1] && (a[1] === low || a[1] === high));
    }
    var start = -1;
    for (var i = 0; i < n; i++) {
      if (cut(points[i], points[(i + 1) % n])) { start = i + 1; break; }
    }
    if (start < 0) { return [points.concat([points[0]])]; }
    var runs = [], current = [];
    for (var k = 0; k < n; k++) {
      var a = points[(start + k) % n], b = points[(start + k + 1) % n];
      if (cut(a, b)) {
        if (current.length > 1) { runs.push(current); }
        current = [];
      } else {
        if (!current.length) { current.push(a); }
        current.push(b);
      }
    }
    if (current.length > 1) { runs.push(current); }
    return runs;
  }
  function tileLayer(tile, polygons) {
    var box = tileBox(tile.z, tile.x, tile.y), q = index.quantum;
    var dx = (box.east - box.west) / q, dy = (box.north - box.south) / q;
    function latLng(p) { return [box.north - p[1] * dy, box.west + p[0] * dx]; }
    if (tile.state === "1") {
      var bx = index.buffer * dx, by = index.buffer * dy;
      return L.rectangle([[box.south - by, box.west - bx], [box.north + by, box.east + bx]],
        L.extend({pane: "basemap", renderer: renderer, interactive: false, stroke: false},
                 landStyle));
    }
    var fills = [], coasts = [];
    polygons.forEach(function (rings) {
      fills.push(rings.map(function (ring) {
        var points = ringPoints(ring);
        coastRuns(points).forEach(function (run) { coasts.push(run.map(latLng)); });
        return points.map(latLng);
      }));
    });
    return L.layerGroup([
      L.polygon(fills, L.extend({pane: "basemap", renderer: renderer, interactive: false,
                                 stroke: false}, landStyle)),
      L.polyline(coasts, L.extend({pane: "basemap", renderer: renderer, interactive: false,
                                   fill: false}, coastStyle)),
    ]);
  }
  function loadTile(tile) {
    if (!tiles[tile.key]) {
      var url = base + "/land/" + tile.key + ".json";
      tiles[tile.key] = (tile.state === "1" ? Promise.resolve(null) : fetchJson(url))
        .then(function (polygons) { return tileLayer(tile, polygons); });
      tiles[tile.key].catch(failed(url));
    }
    return tiles[tile.key];
  }
  // Tiles fetched are kept for moving back, up to KEPT_TILES; beyond that the least recently
  // wanted ones not on the map are dropped (a long session at zoom 10+ would hold them all).
  var KEPT_TILES = 400, lastWanted = {}, moves = 0;
  function forgetOldTiles() {
    moves += 1;
    Object.keys(wanted).forEach(function (key) { lastWanted[key] = moves; });
    var keys = Object.keys(tiles);
    if (keys.length <= KEPT_TILES) { return; }
    keys.filter(function (key) { return !shown[key]; })
      .sort(function (a, b) { return (lastWanted[a] || 0) - (lastWanted[b] || 0); })
      .slice(0, keys.length - KEPT_TILES)
      .forEach(function (key) { delete tiles[key]; delete lastWanted[key]; });
  }
  function show(key, layer) {
    if (!shown[key]) { layer.addTo(map); shown[key] = layer; }
  }
  function updateLand() {
    if (!index) { return; }
    var level = levelFor(map.getZoom()), inView = tilesInView(level);
    var mine = ++generation;
    wanted = {};
    inView.forEach(function (tile) { wanted[tile.key] = true; });
    // Tiles of the level already drawn come in as they arrive; another level's tiles stay
    // until every tile of this one in view is in.
    var sameLevel = Object.keys(shown).every(function (key) {
      return key.split("/")[0] === String(level.grid);
    });
    var loads = inView.map(function (tile) {
      return loadTile(tile).then(function (layer) {
        if (sameLevel && wanted[tile.key]) { show(tile.key, layer); }
        return [tile.key, layer];
      });
    });
    Promise.allSettled(loads).then(function (results) {
      if (mine !== generation) { return; }  // a newer view took over
      results.forEach(function (result) {
        if (result.status === "fulfilled") { show(result.value[0], result.value[1]); }
      });
      Object.keys(shown).forEach(function (key) {
        if (!wanted[key]) { map.removeLayer(shown[key]); delete shown[key]; }
      });
      forgetOldTiles();
      container.setAttribute("data-basemap", "z" + level.grid + ":" + inView.length);
      window.__basemapDrawnAt = performance.timeOrigin + performance.now();
    });
  }
  fetchJson(base + "/land/index.json").then(function (data) {
    index = data;
    updateLand();
  }, failed(base + "/land/index.json"));

  // ---- Place names ----
  var places = null, measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, font) {
    measure.font = font;
    return measure.measureText(text).width;
  }
  var fonts = {{ this.label_fonts|tojson }};
  function drawPlaces() {
    placePane.textContent = "";
    if (!places) { return; }
    var zoom = map.getZoom(), view = map.getBounds().pad(0.05), taken = [];
    var columns = places.columns, rows = places.places;
    var at = {};
    columns.forEach(function (name, i) { at[name] = i; });
    for (var i = 0; i < rows.length && taken.length < 250; i++) {
      var row = rows[i];
      if (row[at.min_zoom] > zoom) { break; }  // sorted by min_zoom: none further shows
      var latlng = L.latLng(row[at.lat], row[at.lon]);
      if (!view.contains(latlng)) { continue; }
      var kind = row[at.kind], name = row[at.name], local = row[at.local];
      var font = fonts[kind === "water" && row[at.rank] <= 1 ? "sea" : kind];
      var width = textWidth(name, font) + (local ? textWidth(" " + local, fonts.local) : 0);
      var point = map.latLngToLayerPoint(latlng), marked = kind === "place" || kind === "port";
      var box = marked
        ? [point.x - 3, point.y - 8, point.x + 7 + width, point.y + 8]
        : [point.x - width / 2 - 2, point.y - 8, point.x + width / 2 + 2, point.y + 8];
      var clear = taken.every(function (other) {
        return box[2] < other[0] || box[0] > other[2] || box[3] < other[1] || box[1] > other[3];
      });
      if (!clear) { continue; }
      taken.push(box);
      // Lowest priority for the label layout (labels.py): named areas' labels and the open
      // event come first.
      var label = L.DomUtil.create("div", "basemap-label label-priority-1 basemap-" + kind,
                                   placePane);
      if (kind === "water" && row[at.rank] <= 1) { label.classList.add("basemap-sea"); }
      var text = L.DomUtil.create("span", "basemap-name", label);
      text.textContent = name;
      if (local) {
        var second = L.DomUtil.create("span", "basemap-local", label);
        second.textContent = " " + local;
      }
      label.style.left = (marked ? point.x - 2 : point.x - width / 2) + "px";
      label.style.top = (point.y - 7) + "px";
    }
  }
  fetchJson(base + "/places.json").then(function (data) {
    places = data;
    drawPlaces();
  }, failed(base + "/places.json"));
  map.on("zoomstart", function () { placePane.style.display = "none"; });

  // ---- Borders ----
  {{ this.layers|tojson }}.forEach(function (layer) {
    fetchJson(layer.url).then(function (data) {
      L.geoJSON(data, {pane: "basemap", renderer: renderer, interactive: false,
                       style: layer.style}).addTo(map);
    }, failed(layer.url));
  });

  // ---- Graticule ----
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
    var step = zoom <= 3 ? 10 : zoom <= 5 ? 5 : zoom <= 7 ? 1 : zoom <= 9 ? 0.5 :
               zoom <= 11 ? 0.1 : 0.05;
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
    for (var i = 0; west + i * step <= east + 1e-9; i++) {
      var lon = west + i * step;
      graticule.addLayer(L.polyline([[south, lon], [north, lon]], line));
      label([view.getSouth(), lon], lonLabel(lon), [-2, 14]);
    }
    for (var j = 0; south + j * step <= north + 1e-9; j++) {
      var lat = south + j * step;
      graticule.addLayer(L.polyline([[lat, west], [lat, east]], line));
      label([lat, view.getWest()], degrees(lat, "N", "S"), [-3, 12]);
    }
  }
  function markZoom() {
    container.className = container.className.replace(/ ?map-zoom-\d+/g, "");
    container.classList.add("map-zoom-" + map.getZoom());
  }
  map.on("moveend", function () {
    creditOsm();
    drawGraticule();
    updateLand();
    drawPlaces();
    placePane.style.display = "";
  });
  map.on("zoomend", markZoom);
  drawGraticule();
  markZoom();
  creditOsm();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, base_url: str = BASEMAP_URL):
        super().__init__()
        self._name = "OfflineBasemap"
        self.base_url = base_url
        self.land_style = {"fillColor": LAND_COLOUR, "fillOpacity": 1}
        self.coast_style = {"color": COAST_COLOUR, "weight": 0.8, "opacity": 1}
        self.label_fonts = LABEL_FONTS
        west, south, east, north = OSM_BOX
        self.osm_bounds = [[south, west], [north, east]]
        self.osm_credit = OSM_CREDIT
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
    fmap.get_root().header.add_child(Element(BASEMAP_STYLE), name="basemap_style")
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
