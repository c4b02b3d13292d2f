"""The month player: the months of the range one by one, in the browser."""

from __future__ import annotations

from jinja2 import Template

from layers.map.elements import ScriptElement


class MonthPlayer(ScriptElement):
    """Play the months of the range one by one: play/pause, step back and forward, speed,
    an optional fading trail of the two months before, and the current month shown large with
    its count of events. Every month of the range is played: a quiet one shows "no events"
    rather than being skipped, so the pace of the player is the pace of time.

    Runs in the browser on the month layers already on the map (each marked with its month),
    so a step costs no round trip, never remounts the map and keeps the view. Its state
    survives the layers being rebuilt by a rerun.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var months = {{ this.months|tojson }};
  var counts = {{ this.counts|tojson }};
  var saved = window.__monthPlayer || {};
  var state = {index: months.indexOf(saved.month), playing: false,
               speed: saved.speed || 1000, trail: !!saved.trail, timer: null};
  var control = L.control({position: "bottomleft"});
  var label;
  function monthGroups() {
    return (window.feature_group || []).filter(function (g) { return g.month; });
  }
  function fade(layer, factor) {
    if (layer.setStyle) {
      if (layer.__base === undefined) {
        layer.__base = [layer.options.opacity, layer.options.fillOpacity];
      }
      layer.setStyle({opacity: layer.__base[0] * factor, fillOpacity: layer.__base[1] * factor});
    } else if (layer.setOpacity) {
      layer.setOpacity(factor);
    }
  }
  function fadeGroup(monthGroup, factor) {
    monthGroup.eachLayer(function (geo) {
      if (geo.eachLayer) {
        geo.eachLayer(function (layer) { fade(layer, factor); });
      } else {
        fade(geo, factor);
      }
    });
  }
  function remember() {
    window.__monthPlayer = {month: state.index >= 0 ? months[state.index] : null,
                            speed: state.speed, trail: state.trail, playing: state.playing};
  }
  function show(index) {
    var map = group._map;
    if (!map) { return; }
    state.index = index;
    monthGroups().forEach(function (g) {
      var age = index - months.indexOf(g.month);
      if (age === 0 || (state.trail && age > 0 && age <= 2)) {
        map.addLayer(g);
        fadeGroup(g, age === 0 ? 1 : age === 1 ? 0.4 : 0.15);
      } else {
        map.removeLayer(g);
      }
    });
    // A month with no events is shown as quiet, not skipped: the player keeps time.
    label.textContent = months[index] + " ";
    var count = document.createElement("small");
    count.textContent = counts[index] ? counts[index].toLocaleString("en") +
      (counts[index] === 1 ? " event" : " events") : "no events";
    label.appendChild(count);
    label.classList.toggle("quiet", !counts[index]);
    label.style.display = "block";
    remember();
  }
  function showAll() {
    stop();
    state.index = -1;
    var map = group._map;
    monthGroups().forEach(function (g) { if (map) { map.addLayer(g); } fadeGroup(g, 1); });
    label.style.display = "none";
    remember();
  }
  function stop() {
    if (state.timer) { clearInterval(state.timer); }
    state.timer = null;
    state.playing = false;
    playButton.textContent = "▶";
    playButton.title = "Play the months";
    remember();
  }
  function play() {
    if (state.index < 0 || state.index >= months.length - 1) { show(0); }
    state.playing = true;
    playButton.textContent = "II";
    playButton.title = "Pause";
    state.timer = setInterval(function () {
      if (state.index >= months.length - 1) { stop(); return; }
      show(state.index + 1);
    }, state.speed);
    remember();
  }
  var playButton;
  control.onAdd = function () {
    var box = L.DomUtil.create("div", "month-player leaflet-bar");
    L.DomEvent.disableClickPropagation(box);
    function button(text, title, action) {
      var element = L.DomUtil.create("button", "", box);
      element.type = "button";
      element.textContent = text;
      element.title = title;
      element.setAttribute("aria-label", title);
      L.DomEvent.on(element, "click", action);
      return element;
    }
    button("«", "Previous month", function () { stop(); show(Math.max(0, state.index - 1)); });
    playButton = button("▶", "Play the months", function () { state.playing ? stop() : play(); });
    button("»", "Next month", function () {
      stop(); show(Math.min(months.length - 1, state.index + 1));
    });
    var speed = L.DomUtil.create("select", "", box);
    speed.title = "Seconds per month";
    [500, 1000, 2000].forEach(function (ms) {
      var option = L.DomUtil.create("option", "", speed);
      option.value = ms;
      option.textContent = ms / 1000 + " s";
      option.selected = ms === state.speed;
    });
    L.DomEvent.on(speed, "change", function () {
      state.speed = Number(speed.value);
      if (state.playing) { stop(); play(); }
    });
    var trailLabel = L.DomUtil.create("label", "", box);
    var trail = L.DomUtil.create("input", "", trailLabel);
    trail.type = "checkbox";
    trail.checked = state.trail;
    trailLabel.appendChild(document.createTextNode(" trail"));
    trailLabel.title = "Keep the two months before, faded";
    L.DomEvent.on(trail, "change", function () {
      state.trail = trail.checked;
      if (state.index >= 0) { show(state.index); }
    });
    button("All", "Show every month again", showAll);
    return box;
  };
  group.on("add", function (event) {
    control.addTo(event.target._map);
    // The month shown large, centred at the top of the map (no Leaflet corner is there).
    label = L.DomUtil.create("div", "month-now", event.target._map.getContainer());
    label.style.display = "none";
    if (state.index >= 0) {
      show(state.index);
      if (saved.playing) { play(); }
    }
  });
  group.on("remove", function () {
    if (state.timer) { clearInterval(state.timer); }
    control.remove();
    L.DomUtil.remove(label);
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, months: list[str], counts: list[int]):
        super().__init__()
        self._name = "MonthPlayer"
        self.months = months
        self.counts = counts  # events active in each month, 0 for a quiet one
