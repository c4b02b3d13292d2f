"""Reporting the map's moves to the server as soon as they are known."""

from __future__ import annotations

from jinja2 import Template

from layers.map.elements import ScriptElement


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
