"""The offline basemap and the base map that carries it."""

from __future__ import annotations

import folium
from jinja2 import Template

from layers.aggregate import degrees_per_pixel
from layers.assets import BASEMAP_URL, MAP_CSS, MAP_JS, leaflet_css
from layers.i18n import _, current_language, is_english
from layers.map.basemap_files import OSM_BOX, OSM_CREDIT, first_view_land
from layers.map.draw import DrawControl
from layers.map.elements import RawScript, ScriptElement
from layers.map.labels import MAJOR_RANK, LabelLayout, TooltipInsideMap
from layers.map.layer_list import LayerListOnce
from layers.map.report import PromptReport
from layers.map.style import (
    BORDER_COLOUR,
    COAST_COLOUR,
    LAND_COLOUR,
    MAP_STYLE,
    OUTSIDE_COLOUR,
)
from layers.region import MAP_REGION
from layers.view import MAX_ZOOM, MIN_ZOOM, View

# (south, west), (north, east) of static/basemap in the Pacific frame; see its NOTICE.md.
BASEMAP_BOUNDS = MAP_REGION
# Degrees between graticule lines: (up to this zoom, step). 45 px or more between lines at
# every zoom (at zoom 2 a 10° step was 28 px, less than "120°E" is wide).
GRATICULE_STEPS = ((2, 20.0), (3, 10.0), (5, 5.0), (7, 1.0), (9, 0.5), (11, 0.1), (MAX_ZOOM, 0.05))


def graticule_step(zoom: int) -> float:
    """Degrees between graticule lines at `zoom`, on the map and in exported pictures."""
    return next(step for up_to, step in GRATICULE_STEPS if zoom <= up_to or up_to == MAX_ZOOM)


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


def osm_credit() -> str:
    """OpenStreetMap's credit for the Senkaku islets' land (ODbL), in the reader's language:
    OSM_CREDIT in English."""
    return _("Senkaku islets © OpenStreetMap contributors")


def attribution() -> str:
    """The base map's sources (ATTRIBUTION) in the reader's language."""
    return f"GSHHG · Natural Earth · {osm_credit()}"


def zoom_titles() -> list[str] | None:
    """Leaflet's zoom buttons' titles in the reader's language (None in English: Leaflet's
    own "Zoom in" / "Zoom out" stay)."""
    if is_english():
        return None
    return [_("Zoom in"), _("Zoom out")]


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
    of detail for the map's zoom, only the tiles in view, each fetched once. It is drawn as a
    Leaflet grid layer: each 256 px tile of the map's zoom is painted once on its own canvas
    and a move only shifts the canvases (Leaflet keeps the last zoom's tiles until the new
    ones are in, so the map is never bare). The first view's tiles and the index can come in
    the page itself (base_map's first_land): then that land is drawn as the map is made, in the
    same frame as the events, rather than after two rounds of fetches (index, then tiles)
    showing the events on open sea meanwhile. Borders and the graticule are lines on one canvas
    above the land. All in panes below every overlay, never interactive.
    Place names sit in a pane above the land and below the areas and events: the most
    important first, each skipped if it would overlap one already placed; the label layout
    (labels.py) then moves, or hides, any that something placed first would overlap.
    When the tiles for the current view are drawn, the map's container carries
    data-basemap="z<grid>:<tiles>" and window.__basemapDrawnAt the page-clock time (tests and
    the bench wait for them).
    """

    _template = Template(
        r"""
{% macro script(this, kwargs) %}
(function (map) {
  // The scale, 75 to 150 px long (Leaflet rounds down to 1, 2, 3 or 5 times a power of ten):
  // at its default 100 px a bar could be 50 px, shorter than "300 km", whose text then ran
  // through the bar's end.
  L.control.scale({maxWidth: 150}).addTo(map);
  var pane = map.createPane("basemap");
  pane.style.zIndex = 200;
  pane.style.pointerEvents = "none";
  // Place names above the land, below the areas (overlayPane is 400) and the events.
  // Borders and the graticule on one canvas above the land tiles.
  map.createPane("basemapLines").style.zIndex = 210;
  map.getPane("basemapLines").style.pointerEvents = "none";
  var placePane = map.createPane("basemapLabels");
  placePane.style.zIndex = 350;
  placePane.style.pointerEvents = "none";
  // Area labels sit above the areas but below the events (overlayPane is 400).
  map.createPane("areaLabels").style.zIndex = 390;
  var labelPane = map.createPane("graticuleLabels");
  labelPane.style.zIndex = 450;
  labelPane.style.pointerEvents = "none";
  // Leaflet's default padding (0.1): the canvas is redrawn whole after every move.
  var renderer = L.canvas({pane: "basemapLines", padding: 0.1});
  // The basemap's files cover its region only: beyond it (seen in a window wider than the
  // region, or zoomed far out) there is no land data, drawn grey rather than as open sea.
  var region = {{ this.region|tojson }};
  L.polygon([
    [[-85, -540], [85, -540], [85, 540], [-85, 540]],
    [[region[0][0], region[0][1]], [region[1][0], region[0][1]],
     [region[1][0], region[1][1]], [region[0][0], region[1][1]]]
  ], {pane: "basemapLines", renderer: renderer, stroke: false, fillOpacity: 1,
      fillColor: "{{ this.outside_colour }}", interactive: false}).addTo(map);
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
  // Drawn as Leaflet grid tiles: each 256 px tile of the map's zoom is painted once on a
  // canvas of its own, from the data tile of the level that covers it, and a pan or zoom
  // animation only moves the canvases. (One canvas for every tile, as before, was
  // reprojected and redrawn whole after every move: ~0.5 s of a zoom at 10k events.)
  // data["grid/x/y"]: {paths, promise} of a data tile, paths set once it can be drawn.
  // firstTiles: the first view's tile files as they came in the page (base_map's first_land).
  var index = null, data = {}, firstTiles = {};
  function levelFor(zoom) {
    var levels = index.levels;
    for (var i = 0; i < levels.length; i++) {
      if (zoom <= levels[i].zooms[1]) { return levels[i]; }
    }
    return levels[levels.length - 1];
  }
  function stateOf(level, x, y) {
    var row = level.cells[y - level.y0];
    if (x < level.x0 || x >= level.x0 + level.width || !row) { return "0"; }
    return row.charAt(x - level.x0);
  }
  function yToLat(y, n) {
    return Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
  }
  // Web Mercator's world square, 0..1 from the west (180°W) and from the north.
  function mercatorY(lat) {
    var phi = lat * Math.PI / 180;
    return (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
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
  // A data tile's polygons and coastlines as paths in the world square, each with its box,
  // made once per data tile: [x0, y0, x1, y1, ...] in a Float64Array.
  function worldPaths(grid, x, y, polygons) {
    var n = Math.pow(2, grid), q = index.quantum;
    var west = x / n * 360 - 180, east = (x + 1) / n * 360 - 180;
    var north = yToLat(y, n), south = yToLat(y + 1, n);
    var dx = (east - west) / q, dy = (north - south) / q;
    function path(points) {
      var xy = new Float64Array(points.length * 2);
      var box = [Infinity, Infinity, -Infinity, -Infinity];
      points.forEach(function (p, i) {
        var px = (west + p[0] * dx + 180) / 360, py = mercatorY(north - p[1] * dy);
        xy[2 * i] = px; xy[2 * i + 1] = py;
        if (px < box[0]) { box[0] = px; } if (py < box[1]) { box[1] = py; }
        if (px > box[2]) { box[2] = px; } if (py > box[3]) { box[3] = py; }
      });
      return {xy: xy, box: box};
    }
    var fills = [], coasts = [];
    polygons.forEach(function (rings) {
      var polygon = rings.map(function (ring) {
        var points = ringPoints(ring);
        coastRuns(points).forEach(function (run) { coasts.push(path(run)); });
        return path(points);
      });
      // The outline's box holds its holes'.
      fills.push({rings: polygon, box: polygon[0].box});
    });
    return {fills: fills, coasts: coasts, zooms: {}};
  }
  function loadData(grid, x, y) {
    var key = grid + "/" + x + "/" + y;
    if (!data[key]) {
      var entry = data[key] = {paths: null, promise: null};
      if (firstTiles[key]) {  // in the page: drawn now, in the map's first frame
        entry.paths = worldPaths(grid, x, y, firstTiles[key]);
        entry.promise = Promise.resolve(entry.paths);
        delete firstTiles[key];
      } else {
        var url = base + "/land/" + key + ".json";
        entry.promise = fetchJson(url).then(function (polygons) {
          entry.paths = worldPaths(grid, x, y, polygons);
          return entry.paths;
        });
        entry.promise.catch(failed(url));
      }
    }
    return data[key];
  }
  // A tile drawn at once is ready within this task: Leaflet files the tile only after
  // createTile returns (a `done` called before is lost), and the browser paints between
  // tasks, so it shows in the same frame as the layers added with it (the events).
  function readySoon(done, canvas) {
    Promise.resolve().then(function () { done(null, canvas); });
  }
  function meets(box, view) {
    return box[0] <= view[2] && box[2] >= view[0] && box[1] <= view[3] && box[3] >= view[1];
  }
  // A data tile's paths in the pixels of one zoom, simplified to half a pixel (Leaflet's
  // Douglas-Peucker): a level's data is detailed enough for its highest zoom, and drawn at
  // its lowest every point would be drawn eight times over. Made once per data tile and zoom,
  // and only the last zoom's kept: tiles already painted keep their pixels, and at zooms 10-14
  // five copies of GSHHG's full detail per tile would add up over a long session.
  function atZoom(paths, zoom) {
    if (!paths.zooms[zoom]) {
      paths.zooms = {};
      var scale = 256 * Math.pow(2, zoom);
      var project = function (xy) {
        var points = [];
        for (var i = 0; i < xy.length; i += 2) {
          points.push(L.point(xy[i] * scale, xy[i + 1] * scale));
        }
        return L.LineUtil.simplify(points, 0.5);
      };
      paths.zooms[zoom] = {
        fills: paths.fills.map(function (polygon) {
          return {box: polygon.box, rings: polygon.rings.map(function (ring) {
            return project(ring.xy);
          })};
        }),
        coasts: paths.coasts.map(function (run) {
          return {box: run.box, points: project(run.xy)};
        }),
      };
    }
    return paths.zooms[zoom];
  }
  function paint(canvas, coords, paths) {
    var size = 256, ratio = window.devicePixelRatio || 1, context = canvas.getContext("2d");
    canvas.width = canvas.height = Math.round(size * ratio);
    context.scale(ratio, ratio);
    context.fillStyle = landStyle.fillColor;
    if (!paths) { context.fillRect(0, 0, size, size); return; }  // all land
    var scale = size * Math.pow(2, coords.z), left = coords.x * size, top = coords.y * size;
    // This tile with a margin for the coast's stroke, in the world square and in pixels.
    var margin = 2, view = [(left - margin) / scale, (top - margin) / scale,
                            (left + size + margin) / scale, (top + size + margin) / scale];
    var clip = L.bounds([left - margin, top - margin], [left + size + margin, top + size + margin]);
    var shapes = atZoom(paths, coords.z);
    // Each ring cut to the tile (Sutherland-Hodgman, Leaflet's clipPolygon): a large island's
    // outline is drawn only where it crosses this tile, not in full on every tile it meets.
    context.beginPath();
    shapes.fills.forEach(function (polygon) {
      if (!meets(polygon.box, view)) { return; }
      polygon.rings.forEach(function (ring) {
        var cut = L.PolyUtil.clipPolygon(ring, clip);
        if (cut.length < 3) { return; }
        context.moveTo(cut[0].x - left, cut[0].y - top);
        for (var i = 1; i < cut.length; i++) { context.lineTo(cut[i].x - left, cut[i].y - top); }
        context.closePath();
      });
    });
    context.fill("evenodd");
    // Coastlines: only the segments that reach into the tile.
    context.beginPath();
    shapes.coasts.forEach(function (run) {
      if (!meets(run.box, view)) { return; }
      var points = run.points, pen = false;
      for (var i = 1; i < points.length; i++) {
        var a = points[i - 1], b = points[i];
        if ((a.x < clip.min.x && b.x < clip.min.x) || (a.x > clip.max.x && b.x > clip.max.x) ||
            (a.y < clip.min.y && b.y < clip.min.y) || (a.y > clip.max.y && b.y > clip.max.y)) {
          pen = false;
          continue;
        }
        if (!pen) { context.moveTo(a.x - left, a.y - top); pen = true; }
        context.lineTo(b.x - left, b.y - top);
      }
    });
    context.strokeStyle = coastStyle.color;
    context.lineWidth = coastStyle.weight;
    context.lineJoin = "round";
    context.stroke();
  }
  var LandTiles = L.GridLayer.extend({
    createTile: function (coords, done) {
      var canvas = L.DomUtil.create("canvas", "basemap-land-tile");
      var level = levelFor(coords.z), shift = coords.z - level.grid;
      var x = Math.floor(coords.x / Math.pow(2, shift));
      var y = Math.floor(coords.y / Math.pow(2, shift));
      var state = stateOf(level, x, y);
      var entry = state === "2" ? loadData(level.grid, x, y) : null;
      if (state === "0") {  // sea: nothing to draw
        readySoon(done, canvas);
      } else if (state === "1") {
        paint(canvas, coords, null);
        readySoon(done, canvas);
      } else if (entry.paths) {
        paint(canvas, coords, entry.paths);
        readySoon(done, canvas);
      } else {
        entry.promise.then(function (paths) {
          paint(canvas, coords, paths);
          done(null, canvas);
        }, function (error) { done(error, canvas); });
      }
      canvas.dataset.land = level.grid + "/" + x + "/" + y;
      return canvas;
    }
  });
  // Tiles fetched are kept for moving back, up to KEPT_TILES (a long session at zoom 10+
  // would hold them all); the oldest fetched go first.
  var KEPT_TILES = 400;
  function forgetOldTiles() {
    var keys = Object.keys(data);
    keys.slice(0, Math.max(0, keys.length - KEPT_TILES)).forEach(function (key) {
      delete data[key];
    });
  }
  var land = null;
  function landDrawn() {
    var level = levelFor(map.getZoom()), used = {};
    Object.keys(land._tiles).forEach(function (key) {
      var tile = land._tiles[key];
      if (tile.current && tile.coords.z === map.getZoom()) { used[tile.el.dataset.land] = true; }
    });
    forgetOldTiles();
    container.setAttribute("data-basemap", "z" + level.grid + ":" + Object.keys(used).length);
    window.__basemapDrawnAt = performance.timeOrigin + performance.now();
  }
  function startLand(loaded) {
    index = loaded;
    // noWrap: the Pacific frame runs past 180°E, and its tiles are numbered on past 2^z.
    land = new LandTiles({pane: "basemap", noWrap: true, updateWhenZooming: false,
                          keepBuffer: 2, className: "basemap-land"});
    land.on("load", landDrawn);
    land.addTo(map);
  }
  // The first view's land, when it came in the page (base_map's first_land): the index and
  // the tiles around the view's centre, so the land is drawn now, with the map. Without it
  // (a map made again later), the index and tiles are fetched, and the sea shows meanwhile.
  var first = document.getElementById("basemap-first-land"), firstLand = null;
  if (first) {
    try {
      firstLand = JSON.parse(first.textContent);
    } catch (error) {
      console.error("basemap first view: " + error);
    }
    first.parentNode.removeChild(first);
  }
  if (firstLand) {
    firstTiles = firstLand.tiles;
    startLand(firstLand.index);
  } else {
    fetchJson(base + "/land/index.json").then(startLand, failed(base + "/land/index.json"));
  }

  // ---- Place names ----
  // Each place's label is made once, when first shown, and kept: a move only re-places the
  // labels and adds or removes the ones that come into or leave the view.
  var places = null, measure = document.createElement("canvas").getContext("2d");
  var fonts = {{ this.label_fonts|tojson }};
  function textWidth(text, font) {
    measure.font = font;
    return measure.measureText(text).width;
  }
  // Names in the reader's language where places.json has them (0: as in the language column
  // before it), else the English; the local name beside it unless the same (as
  // basemap_files.Place.label).
  var language = {{ this.language|tojson }};
  function nameIn(row, at) {
    var index = at[language];
    if (index === undefined) { return row[at.name]; }
    while (row[index] === 0) { index--; }
    return row[index] || row[at.name];
  }
  function placeFrom(row, at) {
    var kind = row[at.kind], name = nameIn(row, at), local = row[at.local];
    if (local === name) { local = ""; }
    var sea = kind === "water" && row[at.rank] <= 1;
    return {latlng: L.latLng(row[at.lat], row[at.lon]), kind: kind, name: name, local: local,
            own: name !== row[at.name],
            sea: sea, minZoom: row[at.min_zoom], marked: kind === "place" || kind === "port",
            major: (kind === "place" || kind === "port") && row[at.rank] <= {{ this.major_rank }},
            width: textWidth(name, fonts[sea ? "sea" : kind]) +
                   (local ? textWidth(" " + local, fonts.local) : 0),
            label: null};
  }
  function labelFor(place) {
    if (!place.label) {
      // Lowest priority for the label layout (labels.py): named areas' labels and the open
      // event come first; but capitals and big cities come before the areas' labels.
      var label = L.DomUtil.create("div", "basemap-label label-priority-" +
                                   (place.major ? 99 : 1) + " basemap-" + place.kind);
      if (place.sea) { label.classList.add("basemap-sea"); }
      var text = L.DomUtil.create("span", "basemap-name", label);
      text.textContent = place.name;
      if (place.own) { text.lang = language; }  // the reader's own CJK font (TC, JP or SC)
      if (place.local) {
        var second = L.DomUtil.create("span", "basemap-local", label);
        second.textContent = " " + place.local;
      }
      place.label = label;
    }
    return place.label;
  }
  var placed = [];
  function drawPlaces() {
    if (!places) { return; }
    var zoom = map.getZoom(), view = map.getBounds().pad(0.05), taken = [], now = [];
    for (var i = 0; i < places.length && taken.length < 250; i++) {
      var place = places[i];
      if (place.minZoom > zoom) { break; }  // sorted by min_zoom: none further shows
      if (!view.contains(place.latlng)) { continue; }
      var point = map.latLngToLayerPoint(place.latlng), width = place.width;
      var box = place.marked
        ? [point.x - 3, point.y - 8, point.x + 7 + width, point.y + 8]
        : [point.x - width / 2 - 2, point.y - 8, point.x + width / 2 + 2, point.y + 8];
      var clear = taken.every(function (other) {
        return box[2] < other[0] || box[0] > other[2] || box[3] < other[1] || box[1] > other[3];
      });
      if (!clear) { continue; }
      taken.push(box);
      var label = labelFor(place);
      label.style.left = (place.marked ? point.x - 2 : point.x - width / 2) + "px";
      label.style.top = (point.y - 7) + "px";
      if (label.parentNode !== placePane) { placePane.appendChild(label); }
      now.push(label);
    }
    var keep = new Set(now);
    placed.forEach(function (label) {
      if (!keep.has(label)) { placePane.removeChild(label); }
    });
    placed = now;
  }
  fetchJson(base + "/places.json").then(function (data) {
    var at = {};
    data.columns.forEach(function (name, i) { at[name] = i; });
    places = data.places.map(function (row) { return placeFrom(row, at); });
    drawPlaces();
  }, failed(base + "/places.json"));
  map.on("zoomstart", function () { placePane.style.display = "none"; });

  // ---- Borders ----
  {{ this.layers|tojson }}.forEach(function (layer) {
    fetchJson(layer.url).then(function (data) {
      L.geoJSON(data, {pane: "basemapLines", renderer: renderer, interactive: false,
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
    var steps = {{ this.graticule_steps|tojson }};  // GRATICULE_STEPS
    var k = 0;
    while (k < steps.length - 1 && zoom > steps[k][0]) { k++; }
    var step = steps[k][1];
    var view = map.getBounds();
    var west = Math.floor(view.getWest() / step) * step;
    var east = Math.ceil(view.getEast() / step) * step;
    var south = Math.max(-85, Math.floor(view.getSouth() / step) * step);
    var north = Math.min(85, Math.ceil(view.getNorth() / step) * step);
    var line = {pane: "basemapLines", renderer: renderer, color: "#7f9bb3", weight: 0.6,
                opacity: 0.6, interactive: false};
    function label(latlng, text, anchor) {
      graticule.addLayer(L.marker(latlng, {pane: "graticuleLabels", interactive: false,
        // Above place names and below area names in the label layout (layers/map/labels.py):
        // a place name that would print over an edge label is thinned, an area's name is not.
        keyboard: false, icon: L.divIcon({className: "graticule-label label-priority-50",
        html: text, iconSize: null, iconAnchor: anchor})}));
    }
    // A line is labelled only where its whole label is inside the map (about 6 px a
    // character at 10 px): a line just beyond an edge, or a label running off one, would
    // show a stray "°E". Latitudes stop short of the controls in the left corners (zoom and
    // layers at the top, player and scale at the bottom) and of the row of longitudes;
    // longitudes short of the attribution and legend at the bottom right.
    var size = map.getSize();
    var corners = map._controlCorners;
    var top = corners.topleft.offsetHeight + 14;
    var bottom = size.y - Math.max(18, corners.bottomleft.offsetHeight + 4);
    var right = size.x - corners.bottomright.offsetWidth - 4;
    function room(text) { return 6 * text.length + 4; }
    for (var i = 0; west + i * step <= east + 1e-9; i++) {
      var lon = west + i * step;
      graticule.addLayer(L.polyline([[south, lon], [north, lon]], line));
      var x = map.latLngToContainerPoint([view.getSouth(), lon]).x;
      if (x >= 0 && x + room(lonLabel(lon)) <= right) {
        label([view.getSouth(), lon], lonLabel(lon), [-2, 14]);
      }
    }
    for (var j = 0; south + j * step <= north + 1e-9; j++) {
      var lat = south + j * step;
      graticule.addLayer(L.polyline([[lat, west], [lat, east]], line));
      var y = map.latLngToContainerPoint([lat, view.getWest()]).y;
      if (y >= top && y <= bottom) {
        label([lat, view.getWest()], degrees(lat, "N", "S"), [-3, 12]);
      }
    }
  }
  function markZoom() {
    container.className = container.className.replace(/ ?map-zoom-\d+/g, "");
    container.classList.add("map-zoom-" + map.getZoom());
  }
  map.on("moveend", function () {
    creditOsm();
    drawGraticule();
    drawPlaces();
    placePane.style.display = "";
  });
  map.on("zoomend", markZoom);
  // Leaflet's zoom buttons say what they do in the page's language (their title and label).
  var zoomTitles = {{ this.zoom_titles|tojson }};
  if (zoomTitles && map.zoomControl) {
    [map.zoomControl._zoomInButton, map.zoomControl._zoomOutButton].forEach(function (b, i) {
      b.title = zoomTitles[i];
      b.setAttribute("aria-label", zoomTitles[i]);
    });
  }
  drawGraticule();
  markZoom();
  creditOsm();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, base_url: str = BASEMAP_URL, language: str | None = None):
        super().__init__()
        self._name = "OfflineBasemap"
        self.base_url = base_url
        # Place names in this language (layers.i18n's tag; the page's by default).
        self.language = language or current_language()
        self.land_style = {"fillColor": LAND_COLOUR, "fillOpacity": 1}
        self.coast_style = {"color": COAST_COLOUR, "weight": 0.8, "opacity": 1}
        self.label_fonts = LABEL_FONTS
        self.major_rank = MAJOR_RANK
        self.region = [list(corner) for corner in BASEMAP_BOUNDS]
        self.outside_colour = OUTSIDE_COLOUR
        self.graticule_steps = [list(entry) for entry in GRATICULE_STEPS]
        west, south, east, north = OSM_BOX
        self.osm_bounds = [[south, west], [north, east]]
        self.osm_credit = osm_credit()
        self.zoom_titles = zoom_titles()
        self.layers = [
            {
                "url": f"{base_url}/borders.geojson",
                "style": {"color": BORDER_COLOUR, "weight": 0.8, "dashArray": "4 3"},
            },
        ]


def base_map(view: View, first_land: bool = False, draw: bool = False) -> folium.Map:
    """The map without data: offline basemap, graticule, scale. Same view, same HTML.

    With `first_land`, the land of the view's window (basemap_files.first_view_land: the index
    and the tile files around the centre, ~30 KB at zoom 12, up to ~0.7 MB at zoom 6) goes in
    the page's HTML, and the map draws it as it is made: the first frame of the map has its
    land, not the sea until two rounds of fetches come back. Only the map's making reads it,
    and streamlit-folium keeps a map that is already made when only the page's HTML changes
    (its script is the same), so a caller sends it until the map is made and then leaves it
    out: the same map, without those bytes in every later run.

    With `draw`, the map has the drawing tool (draw.DrawControl: polygon, rectangle, circle,
    line; edit, delete); its shapes are in the page's `window.drawnItems`.
    """
    lat, lon = view.center()
    fmap = folium.Map(
        location=[lat, lon],
        zoom_start=view.zoom_level(),
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # OfflineBasemap adds it, longer
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
    # No fade-in of new land tiles (or hover text): the fade re-composites every tile on the
    # map each frame for 0.2 s after a move, main-thread work that delays the move's layers.
    fmap.options.update(fade_animation=False)
    fmap.default_js = MAP_JS
    fmap.default_css = MAP_CSS
    fmap.get_root().header.add_child(
        RawScript(f"<style>{leaflet_css()}</style>"), name="leaflet_css"
    )
    # As they are: an Element compiled each style as a Jinja template on every rerun (8 ms).
    fmap.get_root().header.add_child(RawScript(MAP_STYLE), name="map_style")
    fmap.get_root().header.add_child(RawScript(BASEMAP_STYLE), name="basemap_style")
    OfflineBasemap().add_to(fmap)
    if first_land:
        _add_first_land(fmap, lat, lon, view.zoom_level())
    PromptReport().add_to(fmap)
    LabelLayout().add_to(fmap)
    TooltipInsideMap().add_to(fmap)
    LayerListOnce().add_to(fmap)
    if draw:
        DrawControl().add_to(fmap)
    return fmap


def _add_first_land(fmap: folium.Map, lat: float, lon: float, zoom: int) -> None:
    """The first view's land in the page as JSON data (read by OfflineBasemap's script).
    Without the files, nothing is added: the map then fetches them and says in the browser's
    console what it could not load, as it does for any tile."""
    try:
        text = first_view_land(lat, lon, zoom)
    except (OSError, ValueError):
        return
    # Data, not markup: no "<" may close the element early (the files hold numbers only).
    text = text.replace("<", "\\u003c")
    fmap.get_root().html.add_child(
        RawScript(f'\n<script type="application/json" id="basemap-first-land">{text}</script>\n'),
        name="basemap_first_land",
    )


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
