"""The legend box."""

from __future__ import annotations

from collections.abc import Iterable

from jinja2 import Template

from layers.i18n import is_english, month_text
from layers.map.elements import ScriptElement
from layers.map.style import month_colours
from layers.read.schema import KIND_COLOURS, KIND_LABELS


class MapLegend(ScriptElement):
    """A legend box on the map, shown while its layer is on; `entries` are (colour, text), none
    for no box (another element has its own legend)."""

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
  var entries = {{ this.entries|tojson }};
  var control = L.control({position: "bottomright"});
  control.onAdd = function () {
    var box = L.DomUtil.create("div", "map-legend");
    entries.forEach(function (entry) {
      var row = L.DomUtil.create("div", "", box);
      var swatch = L.DomUtil.create("i", "", row);
      swatch.style.background = entry[0];
      row.appendChild(document.createTextNode(entry[1]));
    });
    return box;
  };
  group.on("add", function (event) { if (entries.length) { control.addTo(event.target._map); } });
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


def legend_entries(
    colour_by: str, months: list[str], kinds: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """The legend's (colour, label) rows: one per month when colouring by month, otherwise one
    per event kind, in KIND_LABELS order, only the `kinds` given (those the view shows: eleven
    rows for two kinds on the map hide the map) or every kind when None."""
    if colour_by == "month":
        return [(colour, month_label(month)) for month, colour in month_colours(months).items()]
    shown = set(KIND_LABELS) if kinds is None else set(kinds)
    return [(KIND_COLOURS[kind], label) for kind, label in KIND_LABELS.items() if kind in shown]


def month_label(month: str) -> str:
    """A "YYYY-MM" month as the map names it: as written in English (the link's form), as the
    reader writes it in another language (2024年7月)."""
    return month if is_english() else month_text(month)
