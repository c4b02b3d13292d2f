"""What a view puts on the base map: the layers, bottom to top, for the shown events."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.aggregate import (
    DETAIL_LIMIT,
    MapWindow,
    degrees_per_pixel,
    in_window,
)
from layers.filters import events_by_month
from layers.i18n import _, localized, number
from layers.map.change import PeriodChange, change_layer
from layers.map.clusters import ClusterView, MonthCells, month_cells
from layers.map.data import MapData, to_pacific_frame
from layers.map.density import density_layer
from layers.map.elements import MapLayer, collection_text, feature_text
from layers.map.legend import MapLegend, legend_entries, month_label
from layers.map.player import MonthPlayer, hour_steps
from layers.map.style import month_colours
from layers.map.text_layer import GeoJsonText
from layers.view import View

MIN_CIRCLE_PX = 6


def visible_radius(events: gpd.GeoDataFrame, positions: pd.DataFrame, zoom: int) -> np.ndarray:
    """True where an event's uncertainty circle is at least MIN_CIRCLE_PX wide on screen.

    Smaller circles would be specks under the event's own marker: not sent.
    """
    metres_per_px = 156_543.03 * np.cos(np.radians(positions.loc[events.index, "y"])) / 2**zoom
    radius_px = events["location_precision_km"].to_numpy() * 1000 / metres_per_px.to_numpy()
    return radius_px >= MIN_CIRCLE_PX


def drawn_events(filtered: gpd.GeoDataFrame, positions: pd.DataFrame, window: MapWindow):
    """The events to send for this window, and whether they are drawn one by one.

    Few filtered events are all sent, whatever the window, so panning never re-sends them.
    """
    if len(filtered) <= DETAIL_LIMIT:
        return filtered.index, True
    visible = filtered.index[in_window(positions.loc[filtered.index], window).to_numpy()]
    return visible, len(visible) <= DETAIL_LIMIT


# The columns of the filtered events that view_layers reads.
LAYER_COLUMNS = ("id", "kind", "start", "end", "location_precision_km")


def view_layers(
    filtered: gpd.GeoDataFrame,
    map_data: MapData,
    area_rows: gpd.GeoDataFrame,
    months: list[str],
    view: View,
    window: MapWindow,
    show_uncertainty: bool = True,
    change: PeriodChange | None = None,
    weights: pd.Series | None = None,
    names: Mapping[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """The layers a view puts on the base map, bottom to top.

    Named areas first, then the uncertainty circles, then the event density when the view
    asks for it (drawn above the events, in its own pane), then one layer per month of the range,
    quiet months included (an event is in every month it was active; the layer's name counts
    all its events, or says "none"), then
    the open event, then the legend. Month layers hold events or, when too many are in the
    window, their counts per cell (see layers/aggregate.py).

    With view.show "change" and a `change` (period A; the filtered events are period B), the
    change map (layers/map/change.py) takes the place of the circles and month layers.
    `weights` (layers.measure: the count view.measure per event, NaN for none; None for
    events) makes the density layer add up that count. `names`: area id → name in the
    reader's language (data["area_names"]); the areas' own `name` when None.
    """
    groups = area_layers(area_rows, map_data.area_features, names)

    if view.show == "change" and change is not None:
        groups.append(change_layer(change, filtered.index, map_data, window))
        groups += open_event_layer(filtered, map_data, view)
        legend = MapLayer(name="Legend", control=False)
        MapLegend([], siblings=len(groups)).add_to(legend)
        return [*groups, legend]

    drawn, one_by_one = drawn_events(filtered, map_data.positions, window)
    tracks = None
    if one_by_one:
        tracked = drawn.intersection(map_data.tracks.index)
        tracks = map_data.track_features(tracked, window) if len(tracked) else None
        if len(tracked) and tracks is None:  # too many track positions: counts per cell
            one_by_one = False
            drawn = filtered.index[in_window(map_data.positions.loc[filtered.index], window)]
    if show_uncertainty and one_by_one:
        with_circle = map_data.uncertainty.index.intersection(drawn)
        visible = visible_radius(filtered.loc[with_circle], map_data.positions, window.zoom)
        circles = map_data.uncertainty[with_circle[visible]]
        group = MapLayer(name=_("Location uncertainty"))
        GeoJsonText(collection_text(circles), kind="uncertainty").add_to(group)
        groups.append(group)

    if view.density:
        groups.append(density_layer(filtered.index, map_data, window, weights, view.measure))

    colours = month_colours(months) if view.colour == "month" else {}
    by_month = events_by_month(filtered, months)
    places, cells = (
        ([], {}) if one_by_one else month_cells(filtered, map_data, by_month, drawn, window)
    )
    for month, index in by_month.items():
        # A quiet month keeps its layer: the layer list and the player show every month.
        group = MapLayer(name=month_layer_name(month, len(index)))
        if one_by_one:
            text = collection_text(drawn_texts(map_data, index.intersection(drawn), tracks))
            GeoJsonText(text, colour=colours.get(month), month=month).add_to(group)
        else:
            MonthCells(month, cells.get(month, [])).add_to(group)
        groups.append(group)

    groups += open_event_layer(filtered, map_data, view, window.zoom)

    legend = MapLayer(name="Legend", control=False)
    entries = legend_entries(view.colour, months, set(filtered["kind"]))
    MapLegend(entries, siblings=len(groups)).add_to(legend)
    # Tracks over a few days are played hour by hour, months otherwise.
    opened = filtered.index[filtered["id"] == view.event] if view.event else []
    focus = opened[0] if len(opened) else None
    hours = hour_steps(filtered, map_data.tracks, list(by_month), focus) if one_by_one else None
    if hours is not None and by_month:
        steps, counts = hours
        MonthPlayer(list(by_month), counts, steps, unit="hour").add_to(legend)
    elif len(by_month) > 1:
        MonthPlayer(list(by_month), [len(index) for index in by_month.values()]).add_to(legend)
    if not one_by_one:
        ClusterView(places).add_to(legend)
    groups.append(legend)
    return groups


def month_layer_name(month: str, count: int) -> str:
    """A month's name in the layer list: the month and its count of events, or "none"."""
    if count:
        return _("{month} ({count})").format(month=month_label(month), count=number(count))
    return _("{month} (none)").format(month=month_label(month))


def area_layers(
    area_rows: gpd.GeoDataFrame, area_features: pd.Series, names: Mapping[str, str] | None
) -> list[MapLayer]:
    """One layer per named area, named in the layer list "Area: <name>" and labelled on the
    map, by the area's name in the reader's language where `names` gives one (the prepared
    feature, labelled with the name as written, is relabelled: the name shown first, every
    other name under it)."""
    groups = []
    for index, row in area_rows.iterrows():
        # A drawn shape's default name is a Message: said in the reader's language.
        name = localized(row["name"] if names is None else names.get(row["id"], row["name"]))
        # Leaflet's layer control writes layer names as HTML: escape the data's text.
        group = MapLayer(name=html.escape(_("Area: {name}").format(name=name)))
        feature = area_features[index]
        if name != row["name"]:
            feature = relabelled(feature, name, [row["name"], *row["alt_names"]])
        GeoJsonText(collection_text([feature]), kind="areas").add_to(group)
        groups.append(group)
    return groups


def relabelled(feature: str, name: str, others: Iterable[str]) -> str:
    """An area's prepared feature text labelled `name`, its other names under it (each once,
    never the name shown)."""
    parsed = json.loads(feature)
    under: list[str] = []
    for other in others:
        if other and other != name and other not in under:
            under.append(other)
    properties = {**parsed["properties"], "t": name, "w": " / ".join(under)}
    return feature_text(json.dumps(parsed["geometry"], separators=(",", ":")), properties)


def drawn_texts(map_data: MapData, index: pd.Index, tracks: pd.Series | None) -> pd.Series:
    """The features of the events `index`: tracks as `tracks` gives them (drawn for the view:
    MapData.track_features; a track it leaves out has no part in the window), the others as
    prepared."""
    if tracks is None:
        return map_data.features[index]
    tracked = index.intersection(map_data.tracks.index)
    others = map_data.features[index.difference(tracked, sort=False)]
    return pd.concat([others, tracks[tracked.intersection(tracks.index)]])


def open_event_layer(
    filtered: gpd.GeoDataFrame, map_data: MapData, view: View, zoom: int | None = None
) -> list:
    """The open event, outlined, in a layer of its own (none when it is not shown); a track
    simplified for `zoom` when given."""
    if view.event is None:
        return []
    selected = filtered.index[filtered["id"] == view.event]
    if not len(selected):
        return []
    group = MapLayer(name=_("Open event"))
    texts = map_data.features[selected] if zoom is None else map_data.drawn_features(selected, zoom)
    GeoJsonText(collection_text(texts), kind="selected").add_to(group)
    return [group]


def layer_groups(
    area_rows: gpd.GeoDataFrame,
    area_features: pd.Series,
    months: list[str],
    view: View,
    month_counts: dict[str, int],
    *,
    month_features: dict[str, Iterable[str]] | None = None,
    cells: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
    circles: Iterable[str] | None = None,
    selected: Iterable[str] = (),
    names: Mapping[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """The layers for what a view shows, from its parts already found (the shared store's
    answers: layers.store.view), bottom to top, as view_layers lays them out.

    Named areas first (`area_rows`, their prepared `area_features`), then the uncertainty
    circles (feature texts; no layer when None), then one layer per month of `month_counts`
    (events shown active in it; quiet months too), then the open event (`selected`, feature
    texts), then the legend. Month layers hold the events one by one (`month_features`: each
    month's feature texts) or their counts per grid cell (`cells`: clusters.pack_cells).
    """
    groups = area_layers(area_rows, area_features, names)

    if circles is not None:
        group = MapLayer(name=_("Location uncertainty"))
        GeoJsonText(collection_text(circles), kind="uncertainty").add_to(group)
        groups.append(group)

    one_by_one = cells is None
    places, per_month = ([], {}) if one_by_one else cells
    colours = month_colours(months) if view.colour == "month" else {}
    for month, count in month_counts.items():
        # A quiet month keeps its layer: the layer list and the player show every month.
        group = MapLayer(name=month_layer_name(month, count))
        if one_by_one:
            text = collection_text((month_features or {}).get(month, ()))
            GeoJsonText(text, colour=colours.get(month), month=month).add_to(group)
        else:
            MonthCells(month, per_month.get(month, [])).add_to(group)
        groups.append(group)

    selected = list(selected)
    if selected:
        group = MapLayer(name=_("Open event"))
        GeoJsonText(collection_text(selected), kind="selected").add_to(group)
        groups.append(group)

    legend = MapLayer(name="Legend", control=False)
    # The store's answers carry no kinds per view: the kinds filter, or every kind.
    entries = legend_entries(view.colour, months, view.kinds or None)
    MapLegend(entries, siblings=len(groups)).add_to(legend)
    if len(month_counts) > 1:
        MonthPlayer(list(month_counts), list(month_counts.values())).add_to(legend)
    if not one_by_one:
        ClusterView(places).add_to(legend)
    groups.append(legend)
    return groups


def fitted_view(events, map_data, used_areas, size: int) -> tuple[float, float, int]:
    """Centre (latitude, longitude in degrees) and zoom showing every event on a preview map
    with its uncertainty circle, and the named areas they stand in (the default view when there
    is no event). `map_data`: the events' MapData; `size`: the map's narrow side in pixels.

    Heights are compared in the map's own (Web Mercator) degrees, which stretch north-south
    away from the equator; the map is taken as `size` pixels square."""
    positions = map_data.positions
    if positions.empty:
        lat, lon = View().center()
        return lat, lon, View().zoom_level()
    # The circles: km as degrees of latitude, and of longitude at each event's latitude.
    radius = events["location_precision_km"].fillna(0).to_numpy() / 111.32
    stretch = np.maximum(np.cos(np.radians(positions["y"].to_numpy())), 0.05)
    boxes = [
        positions["minx"] - radius / stretch,
        positions["miny"] - radius,
        positions["maxx"] + radius / stretch,
        positions["maxy"] + radius,
    ]
    west, south, east, north = (np.min(boxes[0]), np.min(boxes[1]), *map(np.max, boxes[2:]))
    if len(used_areas):
        area_west, area_south, area_east, area_north = shapely.total_bounds(
            to_pacific_frame(used_areas.geometry.values)
        )
        west, south = min(west, area_west), min(south, area_south)
        east, north = max(east, area_east), max(north, area_north)
    south, north = mercator_degrees(south), mercator_degrees(north)
    span = max(east - west, north - south, 0.5)
    zoom = 9
    while zoom > 2 and span > degrees_per_pixel(zoom) * size * 0.75:
        zoom -= 1
    middle = math.degrees(math.atan(math.sinh(math.radians((south + north) / 2))))
    return middle, (west + east) / 2, zoom


def mercator_degrees(lat):
    """A latitude as Web Mercator's y, in degrees of longitude at the equator."""
    return float(np.degrees(np.arcsinh(np.tan(np.radians(np.clip(lat, -85, 85))))))


def at_target(center: dict, zoom: int, target: dict) -> bool:
    """Whether the map is where it was last sent, to within two pixels."""
    tolerance = 2 * degrees_per_pixel(zoom)
    target_lat, target_lon = target["center"]
    return (
        zoom == target["zoom"]
        and abs(center["lat"] - target_lat) <= tolerance
        and abs(center["lng"] - target_lon) <= tolerance
    )
