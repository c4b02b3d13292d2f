"""Label layout: labels that would overlap each other, an event or the map's edge are moved
or thinned by priority, and hover text stays inside the map.

Both work on whatever the map shows at the moment, in the browser, after every move, zoom and
layer change: the server cannot know the labels' sizes in pixels.
"""

from __future__ import annotations

from jinja2 import Template

from layers.map.elements import ScriptElement

# A moved label stays within this many px of the point it names (a place's dot, an area's
# middle): further, it would seem to name something else.
REACH = 24
# Natural Earth's scalerank of the capitals and big cities whose names outrank an area's
# label (0 to 2: Tokyo, Taipei, Shanghai, Manila, Guangzhou ...; layers/map/basemap.py).
MAJOR_RANK = 2


class LabelLayout(ScriptElement):
    """Places the map's permanent labels so that none prints over another, over an event's
    marker or count circle, over a map control or the month player's month, or across the
    map's edge: a label that would is moved a little, and thinned out (hidden) only when no
    place near what it names is free.

    Labels are placed by priority, from a label's `label-priority-N` class: the open event's
    name 1000; capitals and big cities 99 (basemap, Natural Earth scalerank <= MAJOR_RANK);
    named areas 100 minus the zoom they are labelled from (86 to 98), so larger areas first;
    the graticule's edge labels 50; other place names 1. Ties keep the page's order.

    A label that meets something already placed tries the nearest free spot: moved just
    clear of what it meets (right, left, below or above), then clear of what that move meets,
    or in from the map's edge. It moves only while it stays within REACH px of the point it
    names (a place's dot, which stays put, or an area's middle), and only when that point is
    on the map and a place's dot under no other label. Edge labels of the graticule
    mark their line and never move. The open event's name is never thinned: kept inside
    the map where nothing free is near. A thinned label keeps its box (visibility, not
    display), moved inside the map, and shows again while its area is pointed at. Labels the
    zoom hides (CSS `label-from-N`) take no part.

    Runs in the browser after every move, zoom, layer change, month shown by the player
    (its "monthshown" event) and place names drawn: the server cannot know sizes in pixels.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var pending = null;
  var GAP = 2;  // px kept between labels
  var REACH = {{ this.reach }};  // px a moved label may be from the point it names
  var SECOND_MOVES = 6;  // first moves tried with a second one after them
  var MOVABLE = /(^| )(basemap-label|area-label|selected-label)( |$)/;
  function priority(element) {
    var match = /label-priority-(\\d+)/.exec(element.className);
    return match ? Number(match[1]) : 0;
  }
  function overlaps(a, b) {
    return a.left < b.right + GAP && b.left < a.right + GAP &&
           a.top < b.bottom + GAP && b.top < a.bottom + GAP;
  }
  function shifted(box, offset) {
    return {left: box.left + offset[0], right: box.right + offset[0],
            top: box.top + offset[1], bottom: box.bottom + offset[1]};
  }
  function outside(box, frame) {
    return box.left < frame.left || box.right > frame.right ||
           box.top < frame.top || box.bottom > frame.bottom;
  }
  // The move that brings `box` inside `frame` (none on an axis where it is larger).
  function inward(box, frame) {
    var dx = box.left < frame.left ? frame.left - box.left :
             box.right > frame.right ? frame.right - box.right : 0;
    var dy = box.top < frame.top ? frame.top - box.top :
             box.bottom > frame.bottom ? frame.bottom - box.bottom : 0;
    return [dx, dy];
  }
  function distance(point, box) {
    var dx = Math.max(box.left - point.x, 0, point.x - box.right);
    var dy = Math.max(box.top - point.y, 0, point.y - box.bottom);
    return Math.sqrt(dx * dx + dy * dy);
  }
  function hasDot(element) {
    return element.classList.contains("basemap-place") ||
           element.classList.contains("basemap-port");
  }
  // The point a label names, in the page's pixels, from where Leaflet or the basemap put it.
  function anchorOf(element, box) {
    var middle = {x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2};
    var classes = element.classList;
    if (hasDot(element)) {
      return {x: box.left + 2, y: box.top + 7};  // its dot (basemap.py BASEMAP_STYLE)
    }
    if (classes.contains("leaflet-tooltip-bottom")) { return {x: middle.x, y: box.top - 6}; }
    if (classes.contains("leaflet-tooltip-left")) { return {x: box.right + 12, y: middle.y}; }
    return middle;
  }
  function boxAround(point, r) {
    return {left: point.x - r, right: point.x + r, top: point.y - r, bottom: point.y + r};
  }
  function eventMarks(rect) {
    // Event markers and count circles are obstacles: no label is drawn over an event (a
    // name would hide what the map is about). Uncertainty circles (L.Circle, in metres) are
    // not: they would hide every name near an event.
    var boxes = [];
    map.eachLayer(function (layer) {
      var event = layer.feature && layer.feature.properties && layer.feature.properties.i;
      var className = (layer.options && layer.options.className) || "";
      var marker = className === "open-event-mark" || className === "track-now";
      if ((marker || event) && layer._point && layer._radius !== undefined &&
          layer._mRadius === undefined) {
        var point = map.layerPointToContainerPoint(layer._point);
        var r = (layer._radius || 8) + 2;
        boxes.push(boxAround({x: rect.left + point.x, y: rect.top + point.y}, r));
      }
    });
    return boxes;
  }
  function shownBoxes(selector) {
    return Array.prototype.slice.call(map.getContainer().querySelectorAll(selector))
      .map(function (element) { return element.getBoundingClientRect(); })
      .filter(function (box) { return box.width > 0 && box.height > 0; });
  }
  function layout() {
    pending = null;
    var labels = Array.prototype.slice.call(
      map.getContainer().querySelectorAll('[class*="label-priority-"]'));
    var items = [];
    // All class and style changes first, then all measures: interleaved, each measure after
    // a change would lay the page out again.
    labels.forEach(function (element) {
      element.classList.remove("label-thinned");
      element.style.translate = "";
      element.style.removeProperty("--label-dx");
      element.style.removeProperty("--label-dy");
    });
    labels.forEach(function (element, order) {
      var box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) { return; }  // hidden at this zoom
      items.push({element: element, box: box, priority: priority(element), order: order,
                  movable: MOVABLE.test(element.className), anchor: anchorOf(element, box)});
    });
    items.sort(function (a, b) { return b.priority - a.priority || a.order - b.order; });
    // The map's controls (zoom, layers, player, scale, legend, attribution) and the player's
    // month are obstacles too, and a label cut by the map's edge says half a name.
    var frame = map.getContainer().getBoundingClientRect();
    var placed = eventMarks(frame).concat(shownBoxes(".event-cluster"),
                                          shownBoxes(".leaflet-control"),
                                          shownBoxes(".month-now"));
    var texts = [];  // the labels placed so far
    function fits(box) {
      return !outside(box, frame) &&
             !placed.some(function (other) { return overlaps(other, box); });
    }
    // A moved place name leaves its dot where it was: the dot must not be under a label.
    function dotClear(item) {
      if (!hasDot(item.element)) { return true; }
      var dot = boxAround(item.anchor, 2);
      return !texts.some(function (other) { return overlaps(other, dot); });
    }
    // The moves that take `box` just clear of each thing it meets, or into the map.
    function moves(box) {
      var found = [];
      placed.forEach(function (other) {
        if (!overlaps(other, box)) { return; }
        var clear = GAP + 0.5;
        found.push([other.right + clear - box.left, 0], [other.left - clear - box.right, 0],
                   [0, other.bottom + clear - box.top], [0, other.top - clear - box.bottom]);
      });
      var inside = inward(box, frame);
      if (inside[0] || inside[1]) { found.push(inside); }
      return found;
    }
    // The shortest move (one, or one then another) to a free spot within REACH, or null.
    // Only a label whose point is on the map moves: moved in from beyond the edge, it would
    // name something that is not there.
    function nearestFree(item) {
      if (outside(boxAround(item.anchor, 0), frame) || !dotClear(item)) { return null; }
      var best = null, cost = Infinity;
      function consider(offset) {
        var length = Math.sqrt(offset[0] * offset[0] + offset[1] * offset[1]);
        if (length >= cost) { return false; }
        var box = shifted(item.box, offset);
        if (distance(item.anchor, box) > REACH) { return false; }
        if (fits(box)) { best = offset; cost = length; return false; }
        return true;  // within reach but not free: a second move may free it
      }
      // Shortest first; a second move only from the few nearest first ones (a label among
      // many markers meets dozens: every pair would cost seconds at a wide zoom).
      var firsts = moves(item.box).sort(function (a, b) {
        return a[0] * a[0] + a[1] * a[1] - b[0] * b[0] - b[1] * b[1];
      });
      var seconds = 0;
      for (var k = 0; k < firsts.length; k++) {
        var first = firsts[k];
        if (Math.sqrt(first[0] * first[0] + first[1] * first[1]) >= cost) { break; }
        if (!consider(first) || seconds >= SECOND_MOVES) { continue; }
        seconds += 1;
        moves(shifted(item.box, first)).forEach(function (then) {
          consider([first[0] + then[0], first[1] + then[1]]);
        });
      }
      return best;
    }
    function move(item, offset) {
      if (!offset || (!offset[0] && !offset[1])) { return; }
      var style = item.element.style;
      style.translate = offset[0] + "px " + offset[1] + "px";
      // A place's dot stays on the place (MAP_STYLE moves it back).
      style.setProperty("--label-dx", offset[0] + "px");
      style.setProperty("--label-dy", offset[1] + "px");
      item.box = shifted(item.box, offset);
    }
    items.forEach(function (item) {
      var offset = fits(item.box) ? [0, 0] : item.movable ? nearestFree(item) : null;
      if (offset) {
        move(item, offset);
        placed.push(item.box);
        texts.push(item.box);
        if ((offset[0] || offset[1]) && hasDot(item.element)) {
          placed.push(boxAround(item.anchor, 2));  // its dot, left on the place
        }
      } else if (item.priority >= 1000) {
        move(item, inward(item.box, frame));  // never thinned: inside the map at least
        placed.push(item.box);
        texts.push(item.box);
      } else {
        item.element.classList.add("label-thinned");
        // Whole when pointed at: inside the map, if what it names is.
        if (item.movable && !outside(boxAround(item.anchor, 0), frame)) {
          move(item, inward(item.box, frame));
        }
      }
    });
    map.fire("labelslaidout");  // for tests
  }
  function later() {
    if (!pending) { pending = setTimeout(layout, 30); }
  }
  map.on("zoomend moveend layeradd layerremove resize monthshown", later);
  // Place names come in on their own (the basemap adds them once its places are read).
  var names = map.getPane("basemapLabels");
  if (names && window.MutationObserver) {
    new MutationObserver(later).observe(names, {childList: true});
  }
  window.__layoutLabels = layout;
  later();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "LabelLayout"
        self.reach = REACH


class TooltipInsideMap(ScriptElement):
    """Keeps hover text inside the map: Leaflet places a sticky tooltip to the right or left
    of the pointer (whichever half of the map it is in) but never moves it up from the bottom
    edge or in from a side when it is wider than the room left. This shifts it back in."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  if (L.Tooltip.prototype.__keptInside) { return; }
  L.Tooltip.prototype.__keptInside = true;
  var place = L.Tooltip.prototype._setPosition;
  var MARGIN = 4;
  L.Tooltip.prototype._setPosition = function (position) {
    place.call(this, position);
    if (this.options.permanent || !this._map || !this._container) { return; }
    var size = this._map.getSize();
    var at = L.DomUtil.getPosition(this._container);
    var corner = this._map.layerPointToContainerPoint(at);
    var width = this._container.offsetWidth, height = this._container.offsetHeight;
    var dx = 0, dy = 0;
    if (corner.x + width > size.x - MARGIN) { dx = size.x - MARGIN - width - corner.x; }
    if (corner.x + dx < MARGIN) { dx = MARGIN - corner.x; }
    if (corner.y + height > size.y - MARGIN) { dy = size.y - MARGIN - height - corner.y; }
    if (corner.y + dy < MARGIN) { dy = MARGIN - corner.y; }
    if (dx || dy) { L.DomUtil.setPosition(this._container, at.add(L.point(dx, dy))); }
  };
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "TooltipInsideMap"
