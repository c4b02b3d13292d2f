"""Label layout: labels that would overlap are thinned by priority, and hover text stays inside
the map.

Both work on whatever the map shows at the moment, in the browser, after every move, zoom and
layer change: the server cannot know the labels' sizes in pixels.
"""

from __future__ import annotations

from jinja2 import Template

from layers.map.elements import ScriptElement


class LabelLayout(ScriptElement):
    """Hides a permanent label that would overlap one of higher priority, an event's marker or
    a map control, or that the map's edge would cut.

    Priority comes from a label's `label-priority-N` class (the open event's name 1000, named
    areas 100 minus the zoom they are labelled from, so larger areas first; the graticule's
    edge labels 50; basemap place names 1). Ties keep the page's order. A thinned
    label keeps its box (visibility, not display) and shows again while its area is pointed
    at. Labels the zoom hides (CSS `label-from-N`) take no part.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var pending = null;
  var GAP = 2;  // px kept between labels
  function priority(element) {
    var match = /label-priority-(\\d+)/.exec(element.className);
    return match ? Number(match[1]) : 0;
  }
  function overlaps(a, b) {
    return a.left < b.right + GAP && b.left < a.right + GAP &&
           a.top < b.bottom + GAP && b.top < a.bottom + GAP;
  }
  function eventMarks() {
    // Event markers are obstacles: no label is drawn over an event (a name would hide what
    // the map is about; it shows again while its area is pointed at). Uncertainty circles
    // (L.Circle, in metres) are not: they would hide every name near an event.
    var boxes = [];
    map.eachLayer(function (layer) {
      var event = layer.feature && layer.feature.properties && layer.feature.properties.i;
      var marker = layer.options && layer.options.className === "open-event-mark";
      if ((marker || event) && layer._point && layer._radius !== undefined &&
          layer._mRadius === undefined) {
        var point = map.layerPointToContainerPoint(layer._point);
        var rect = map.getContainer().getBoundingClientRect();
        var r = (layer._radius || 8) + 2;
        boxes.push({left: rect.left + point.x - r, right: rect.left + point.x + r,
                    top: rect.top + point.y - r, bottom: rect.top + point.y + r});
      }
    });
    return boxes;
  }
  function layout() {
    pending = null;
    var labels = Array.prototype.slice.call(
      map.getContainer().querySelectorAll('[class*="label-priority-"]'));
    var items = [];
    // All class changes first, then all measures: interleaved, each measure after a change
    // would lay the page out again.
    labels.forEach(function (element) { element.classList.remove("label-thinned"); });
    labels.forEach(function (element, order) {
      var box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) { return; }  // hidden at this zoom
      items.push({element: element, box: box, priority: priority(element), order: order});
    });
    items.sort(function (a, b) { return b.priority - a.priority || a.order - b.order; });
    // The map's controls (zoom, layers, player, scale, legend, attribution) are obstacles
    // too, and a label cut by the map's edge says half a name: both are thinned.
    var frame = map.getContainer().getBoundingClientRect();
    var controls = Array.prototype.slice.call(
      map.getContainer().querySelectorAll(".leaflet-control"))
      .map(function (control) { return control.getBoundingClientRect(); })
      .filter(function (box) { return box.width > 0 && box.height > 0; });
    var placed = eventMarks().concat(controls);
    items.forEach(function (item) {
      var box = item.box;
      var cut = box.left < frame.left || box.right > frame.right ||
                box.top < frame.top || box.bottom > frame.bottom;
      var clash = cut || placed.some(function (other) { return overlaps(other, box); });
      if (clash && item.priority < 1000) {
        item.element.classList.add("label-thinned");
      } else {
        placed.push(item.box);
      }
    });
    map.fire("labelslaidout");  // for tests
  }
  function later() {
    if (!pending) { pending = setTimeout(layout, 30); }
  }
  map.on("zoomend moveend layeradd layerremove resize", later);
  window.__layoutLabels = layout;
  later();
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "LabelLayout"


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
