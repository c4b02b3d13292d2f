"""The month player: the months of the range one by one, in the browser; hours when the range
is a few days and holds tracks."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd
import shapely
from jinja2 import Template

from layers.dates import month_bounds
from layers.i18n import _, current_language, date_text, month_text, ngettext, number
from layers.map.elements import ScriptElement

# A range of at most this many days that holds a track is played hour by hour.
HOUR_STEP_DAYS = 7
_HOUR_MS = 3_600_000
_DAY_MS = 24 * _HOUR_MS


class MonthPlayer(ScriptElement):
    """Play the months of the range one by one: play/pause, step back and forward, speed,
    an optional fading trail of the two months before, and the current month shown large with
    its count of events. An event's uncertainty circle shows only with its month (faded with
    it in the trail), so a quiet month shows an empty map. Every month of the range is
    played: a quiet one shows "no events" rather than being skipped, so the pace of the
    player is the pace of time.

    With `steps` (hour_steps) it plays hours instead, each showing its month's layer.

    The player keeps a time (UTC) that runs through each step while it plays (at the step's
    end when stepped to): each track on the map (a line with its times, layers.map.tracks)
    shows where it was then, as a marker with the track so far drawn over the whole track,
    faded; a marker is hollow once its track has ended. Interpolated between the two drawn
    positions around that time, linearly in latitude and longitude.

    Runs in the browser on the month layers already on the map (each marked with its month),
    so a step costs no round trip, never remounts the map and keeps the view. Its state
    survives the layers being rebuilt by a rerun.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var months = {{ this.months|tojson }};
  var steps = {{ this.steps|tojson }};
  var counts = {{ this.counts|tojson }};
  var unit = {{ this.unit|tojson }};
  var words = {{ this.words|tojson }};  // the player's words in the page's language
  var countTexts = {{ this.count_texts|tojson }};
  var TRACK_FADE = 0.35, REDRAW_MS = 80;
  var saved = window.__monthPlayer || {};
  var savedIndex = -1;
  steps.forEach(function (step, index) { if (step.s === saved.step) { savedIndex = index; } });
  var state = {index: savedIndex, time: saved.time, playing: false,
               speed: saved.speed || 1000, trail: !!saved.trail, frame: null};
  var control = L.control({position: "bottomleft"});
  var label;
  // Each track's line so far and its marker at the player's time, by event id.
  var now = L.layerGroup(), drawn = {};
  function monthGroups() {
    return (window.feature_group || []).filter(function (g) { return g.month; });
  }
  function isTrack(layer) {
    return layer.trackArrow || !!(layer.feature && layer.feature.properties.ts);
  }
  function fade(layer, factor) {
    if (state.index >= 0 && isTrack(layer)) { factor *= TRACK_FADE; }
    if (layer.setStyle) {
      if (layer.__base === undefined) {
        layer.__base = [layer.options.opacity, layer.options.fillOpacity];
      }
      layer.setStyle({opacity: layer.__base[0] * factor, fillOpacity: layer.__base[1] * factor});
    } else if (layer.setOpacity) {
      layer.setOpacity(factor);
    }
  }
  // The uncertainty circles go with their events: a circle shows while its event's month
  // is shown, faded as that month is (the latest month an event is in wins).
  function circleLayers() {
    var layers = [];
    (window.feature_group || []).forEach(function (g) {
      if (!g.circles) { return; }
      g.eachLayer(function (geo) {
        if (!geo.eachLayer) { return; }
        if (!geo.__circles) { geo.__circles = geo.getLayers(); }
        layers.push(geo);
      });
    });
    return layers;
  }
  // `factors`: opacity factor by event id, or null for every circle at full opacity.
  function showCircles(factors) {
    circleLayers().forEach(function (geo) {
      geo.__circles.forEach(function (circle) {
        var id = circle.feature && circle.feature.properties.e;
        var factor = factors === null ? 1 : factors[id];
        if (factor) {
          if (!geo.hasLayer(circle)) { geo.addLayer(circle); }
          fade(circle, factor);
        } else if (geo.hasLayer(circle)) {
          geo.removeLayer(circle);
        }
      });
    });
  }
  function eventIds(monthGroup, factor, into) {
    monthGroup.eachLayer(function (geo) {
      (geo.eachLayer ? geo.getLayers() : [geo]).forEach(function (layer) {
        var id = layer.feature && layer.feature.properties.i;
        if (id && !(into[id] >= factor)) { into[id] = factor; }
      });
    });
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
    window.__monthPlayer = {step: state.index >= 0 ? steps[state.index].s : null,
                            time: state.time, speed: state.speed, trail: state.trail,
                            playing: state.playing};
  }
  // A track's lines with each drawn position's time in ms, kept on the line's layer.
  function trackParts(sublayer) {
    if (!sublayer.__parts) {
      var p = sublayer.feature.properties, lines = sublayer.getLatLngs(), ts = p.ts;
      if (lines.length && !Array.isArray(lines[0])) { lines = [lines]; ts = [ts]; }
      // "ts" are seconds since the position before (layers.map.tracks.time_properties).
      var clock = p.t0;
      sublayer.__parts = lines.map(function (latlngs, k) {
        return {latlngs: latlngs, times: ts[k].map(function (t) {
          clock += t;
          return clock * 1000;
        })};
      });
    }
    return sublayer.__parts;
  }
  // Where a track was at `time`: its lines so far, its position, and whether it had ended;
  // null before its first time.
  function where(parts, time) {
    var sofar = [], at = null, latest = -Infinity, ended = true;
    parts.forEach(function (part) {
      var times = part.times, last = times.length - 1;
      if (time < times[last]) { ended = false; }
      if (time < times[0]) { return; }
      var point;
      if (time >= times[last]) {
        sofar.push(part.latlngs);
        point = part.latlngs[last];
      } else {
        var low = 0, high = last;
        while (high - low > 1) {
          var middle = (low + high) >> 1;
          if (times[middle] <= time) { low = middle; } else { high = middle; }
        }
        var a = part.latlngs[low], b = part.latlngs[high];
        var f = (time - times[low]) / (times[high] - times[low]);
        point = L.latLng(a.lat + (b.lat - a.lat) * f, a.lng + (b.lng - a.lng) * f);
        sofar.push(part.latlngs.slice(0, low + 1).concat([point]));
      }
      if (times[0] >= latest) { latest = times[0]; at = point; }
    });
    return at ? {sofar: sofar, at: at, ended: ended} : null;
  }
  function setTime(time) {
    state.time = time;
    var seen = {};
    if (state.index >= 0 && group._map) {
      var month = steps[state.index].m;
      monthGroups().forEach(function (g) {
        if (g.month !== month) { return; }
        g.eachLayer(function (geo) {
          if (!geo.eachLayer) { return; }
          geo.eachLayer(function (sublayer) {
            var p = sublayer.feature && sublayer.feature.properties;
            if (!p || !p.ts || seen[p.i] || !sublayer.getLatLngs) { return; }
            seen[p.i] = true;
            var place = where(trackParts(sublayer), time);
            var shown = drawn[p.i];
            if (!place) {
              seen[p.i] = false;
              return;
            }
            var colour = sublayer.options.color || p.c;
            if (!shown) {
              shown = drawn[p.i] = {
                line: L.polyline(place.sofar, {color: colour, weight: 4, opacity: 1,
                                               interactive: false, className: "track-so-far"}),
                marker: L.circleMarker(place.at, {radius: 7, color: "#fff", weight: 2,
                  fillColor: colour, fillOpacity: 1, interactive: false, className: "track-now"})
              };
              shown.marker.trackId = p.i;
              now.addLayer(shown.line);
              now.addLayer(shown.marker);
            } else {
              shown.line.setLatLngs(place.sofar);
              shown.marker.setLatLng(place.at);
            }
            shown.marker.ended = place.ended;
            shown.marker.setStyle({fillOpacity: place.ended ? 0 : 1,
                                   color: place.ended ? colour : "#fff"});
          });
        });
      });
    }
    Object.keys(drawn).forEach(function (id) {
      if (!seen[id]) {
        now.removeLayer(drawn[id].line);
        now.removeLayer(drawn[id].marker);
        delete drawn[id];
      }
    });
  }
  function show(index, time) {
    var map = group._map;
    if (!map) { return; }
    state.index = index;
    var current = months.indexOf(steps[index].m);
    var shownEvents = {};
    monthGroups().forEach(function (g) {
      var age = current - months.indexOf(g.month);
      if (age === 0 || (state.trail && age > 0 && age <= 2)) {
        var factor = age === 0 ? 1 : age === 1 ? 0.4 : 0.15;
        map.addLayer(g);
        fadeGroup(g, factor);
        eventIds(g, factor, shownEvents);
      } else {
        map.removeLayer(g);
      }
    });
    showCircles(shownEvents);
    // A step with no events is shown as quiet, not skipped: the player keeps time.
    label.textContent = steps[index].l + " ";
    var count = document.createElement("small");
    count.textContent = countTexts[index];
    label.appendChild(count);
    label.classList.toggle("quiet", !counts[index]);
    label.style.display = "block";
    setTime(time === undefined ? steps[index].e : time);
    remember();
    map.fire("monthshown");  // the month label moved what it covers (labels.py)
  }
  function showAll() {
    stop();
    state.index = -1;
    var map = group._map;
    monthGroups().forEach(function (g) { if (map) { map.addLayer(g); } fadeGroup(g, 1); });
    showCircles(null);
    setTime(null);
    label.style.display = "none";
    remember();
    if (map) { map.fire("monthshown"); }
  }
  function stop() {
    if (state.frame) { cancelAnimationFrame(state.frame); }
    state.frame = null;
    state.playing = false;
    playButton.textContent = "▶";
    playButton.title = words.play;
    remember();
  }
  function play() {
    var lastStep = steps.length - 1;
    if (state.index < 0 || (state.index >= lastStep && state.time >= steps[lastStep].e)) {
      show(0, steps[0].s);
    }
    state.playing = true;
    playButton.textContent = "II";
    playButton.title = words.pause;
    // The time runs through each step in `speed` ms; resumed from where it was.
    var step = steps[state.index];
    var begun = Math.min(Math.max((state.time - step.s) / (step.e - step.s), 0), 1);
    var started = performance.now() - (begun >= 1 ? 0 : begun) * state.speed;
    if (begun >= 1) { started -= state.speed; }
    var redrawn = 0;
    function frame(clock) {
      if (!state.playing) { return; }
      var progress = (clock - started) / state.speed;
      if (progress >= 1) {
        if (state.index >= lastStep) { setTime(steps[lastStep].e); stop(); return; }
        show(state.index + 1, steps[state.index + 1].s);
        started = clock;
        progress = 0;
      }
      if (clock - redrawn >= REDRAW_MS) {
        var current = steps[state.index];
        setTime(current.s + progress * (current.e - current.s));
        redrawn = clock;
      }
      state.frame = requestAnimationFrame(frame);
    }
    state.frame = requestAnimationFrame(frame);
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
    button("«", words.previous, function () { stop(); show(Math.max(0, state.index - 1)); });
    playButton = button("▶", words.play, function () {
      state.playing ? stop() : play();
    });
    button("»", words.next, function () {
      stop(); show(Math.min(steps.length - 1, state.index + 1));
    });
    var speed = L.DomUtil.create("select", "", box);
    speed.title = words.speed;
    [500, 1000, 2000].forEach(function (ms) {
      var option = L.DomUtil.create("option", "", speed);
      option.value = ms;
      option.textContent = words.seconds.replace("{seconds}", ms / 1000);
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
    trailLabel.appendChild(document.createTextNode(" " + words.trail));
    trailLabel.title = words.trailTitle;
    L.DomEvent.on(trail, "change", function () {
      state.trail = trail.checked;
      if (state.index >= 0) { show(state.index, state.time); }
    });
    button(words.all, words.showAll, showAll);
    return box;
  };
  group.on("add", function (event) {
    var map = event.target._map;
    control.addTo(map);
    now.addTo(map);
    // The step shown large in the player's own box, over its buttons: centred at the top of
    // the map it covered the events of that very month (a port call in Tokyo at zoom 10).
    label = L.DomUtil.create("div", "month-now" + (unit === "hour" ? " hours" : ""));
    control.getContainer().insertBefore(label, control.getContainer().firstChild);
    label.style.display = "none";
    if (state.index >= 0) {
      show(state.index, state.time);
      if (saved.playing) { play(); }
    }
  });
  group.on("remove", function () {
    if (state.frame) { cancelAnimationFrame(state.frame); }
    control.remove();
    now.remove();
    L.DomUtil.remove(label);
  });
  window.__trackPlayer = {
    // For tests and the analyst's console: where each track's marker is, by event id.
    markers: function () {
      var found = {};
      Object.keys(drawn).forEach(function (id) {
        var at = drawn[id].marker.getLatLng();
        found[id] = [at.lat, at.lng, !!drawn[id].marker.ended];
      });
      return found;
    },
    time: function () { return state.time; }
  };
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(
        self,
        months: list[str],
        counts: list[int],
        steps: list[dict] | None = None,
        unit: str = "month",
    ):
        super().__init__()
        self._name = "MonthPlayer"
        self.months = months
        if steps is None:
            steps = month_steps(months)
        self.steps = steps
        self.counts = counts  # events active in each step, 0 for a quiet one
        self.unit = unit
        self.words = player_words(unit)
        self.count_texts = [count_text(count) for count in counts]
        if current_language() != "en":
            self.steps = [{**step, "l": step_label(step, unit)} for step in steps]


def player_words(unit: str) -> dict[str, str]:
    """The player's button titles and labels in the reader's language, for steps of `unit`
    ("month" or "hour")."""
    hours = unit == "hour"
    return {
        "previous": _("Previous hour") if hours else _("Previous month"),
        "next": _("Next hour") if hours else _("Next month"),
        "play": _("Play the hours") if hours else _("Play the months"),
        "pause": _("Pause"),
        "speed": _("Seconds per hour") if hours else _("Seconds per month"),
        "seconds": _("{seconds} s"),
        "trail": _("trail"),
        "trailTitle": _("Keep the two months before, faded"),
        "all": _("All"),
        "showAll": _("Show every hour again") if hours else _("Show every month again"),
    }


def count_text(count: int) -> str:
    """A step's count of events as the player writes it under the step: "12 events"."""
    if not count:
        return _("no events")
    return ngettext("{count} event", "{count} events", count).format(count=number(count))


def step_label(step: dict, unit: str) -> str:
    """A step's label in the reader's language (not English: month_steps and hour_steps
    write English's): the month, or the hour's day and times."""
    if unit != "hour":
        return month_text(step["m"]) if step["l"] == step["m"] else step["l"]
    start = dt.datetime.fromtimestamp(step["s"] / 1000, dt.UTC)
    end = start + dt.timedelta(hours=1)
    return _("{day} {start}–{end} UTC").format(
        day=date_text(start.date()), start=f"{start:%H:%M}", end=f"{end:%H:%M}"
    )


def _ms(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=dt.UTC).timestamp() * 1000)


def month_steps(months: list[str]) -> list[dict]:
    """One step per month: its label "l" (the month), its start "s" and end "e" (ms since
    1970, UTC: the month's days as UTC days) and its month "m"."""
    steps = []
    for month in months:
        first, last = month_bounds(month)
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        steps.append({"l": month, "s": _ms(start), "e": _ms(end), "m": month})
    return steps


def hour_steps(
    filtered: pd.DataFrame, tracks: pd.Series, months: list[str], focus: object = None
) -> tuple[list[dict], list[int]] | None:
    """The hours to play, with the count of events active in each, or None (the months are
    played). Hours are played when the shown events span at most HOUR_STEP_DAYS days and hold
    a track, or when the open event (`focus`, an index of `filtered`) is a track whose times
    span at most that: then its hours, with every other track on the map where it was then.
    Each hour shows the layer of its month among `months` (the first or last of them for an
    hour outside them: a local date's UTC time may fall in the month before).

    `filtered` has the events' "start" and "end" (first and last day) by event index;
    `tracks` the tracks' shapes with times as Z (layers.map.tracks), by event index. The hours
    run from the first 00:00 UTC of the events' days (or the first track time, when earlier: a
    day's date may be local) to the end of their last day (or the last track time). An event
    is counted in the hours its days cover (UTC days), a track in the hours from its first to
    its last time.
    """
    shown = tracks.index.intersection(filtered.index)
    if not len(shown) or filtered.empty or not months:
        return None
    starts = filtered["start"].to_numpy().astype("datetime64[ms]").astype(np.int64)
    ends = filtered["end"].to_numpy().astype("datetime64[ms]").astype(np.int64) + _DAY_MS
    times = [shapely.get_coordinates(shape, include_z=True)[:, 2] for shape in tracks[shown]]
    at = filtered.index.get_indexer(shown)
    starts[at] = np.floor(np.array([line.min() for line in times]) * 1000)
    ends[at] = np.ceil(np.array([line.max() for line in times]) * 1000)
    if focus is not None and focus in shown:
        focused = filtered.index.get_loc(focus)
        first, last = starts[focused], ends[focused]
    else:
        first, last = starts.min(), ends.max()
    if last - first > HOUR_STEP_DAYS * _DAY_MS:
        return None
    first = (first // _HOUR_MS) * _HOUR_MS
    last = max(-((-last) // _HOUR_MS) * _HOUR_MS, first + _HOUR_MS)
    count = int((last - first) // _HOUR_MS)
    # Hours each event is active in: from the hour of its start to the hour before its end.
    inside = (ends > first) & (starts < last)
    opens = np.clip((starts[inside] - first) // _HOUR_MS, 0, count - 1)
    closes = np.clip(-((first - ends[inside]) // _HOUR_MS) - 1, 0, count - 1)
    closes = np.maximum(closes, opens)
    active = np.zeros(count + 1, dtype=np.int64)
    np.add.at(active, opens, 1)
    np.add.at(active, closes + 1, -1)
    counts = np.cumsum(active)[:count].tolist()
    steps = []
    for hour in range(count):
        begins = int(first + hour * _HOUR_MS)
        start = dt.datetime.fromtimestamp(begins / 1000, dt.UTC)
        end = start + dt.timedelta(hours=1)
        steps.append(
            {
                "l": f"{start.day} {calendar.month_abbr[start.month]} {start.year} "
                f"{start:%H:%M}–{end:%H:%M} UTC",
                "s": begins,
                "e": begins + _HOUR_MS,
                "m": min(max(f"{start:%Y-%m}", months[0]), months[-1]),
            }
        )
    return steps, counts
