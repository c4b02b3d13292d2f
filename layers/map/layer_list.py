"""The layer list (Leaflet's layers control), rebuilt once per change of layers."""

from __future__ import annotations

from jinja2 import Template

from layers.map.elements import ScriptElement


class LayerListOnce(ScriptElement):
    """Makes Leaflet's layers control rebuild its list once per task, not once per layer.

    Leaflet 1.9's `L.Control.Layers` rebuilds its whole list (every checkbox, and a linear
    search for each one's layer) whenever one of its layers is added to or removed from the
    map. An update of the view adds the event layers and then folium's LayerControl removes
    each overlay that starts hidden: with 81 month layers that was about 80 rebuilds of 100
    rows, most of a move's main-thread time at the seed data. Here a rebuild asked for while
    one is pending waits for the end of the current task (a microtask), so the list is built
    once, from the final state, before the page is painted.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var proto = L.Control.Layers.prototype;
  if (proto.__rebuiltOnce) { return; }
  proto.__rebuiltOnce = true;
  var rebuild = proto._update;
  proto._update = function () {
    if (this.__rebuildPending) { return this; }
    this.__rebuildPending = true;
    var control = this;
    queueMicrotask(function () {
      control.__rebuildPending = false;
      if (control._map) { rebuild.call(control); }
    });
    return this;
  };
})();
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "LayerListOnce"
