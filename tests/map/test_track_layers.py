"""Tracks on the map: their times ride with the positions drawn, simplified and clipped."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import collection, event, write_geodata

import layers.map.data
from layers.aggregate import MapWindow
from layers.map.data import MapData
from layers.map.player import hour_steps
from layers.map.tracks import clipped, time_properties
from layers.map.view import view_layers
from layers.read.load import load_geodata
from layers.read.tracks import seconds
from layers.view import View

# A zigzag north-east, one position every ten minutes from 00:00Z on 18 July 2024.
POSITIONS = [[124.0 + 0.05 * i, 24.0 + 0.05 * i + (0.02 if i % 2 else 0)] for i in range(40)]
TIMES = [f"2024-07-18T{(10 * i) // 60:02d}:{(10 * i) % 60:02d}:00Z" for i in range(40)]


def track_data(tmp_path, count=1):
    features = [
        event(
            f"track-{n}",
            kind="patrol",
            start="2024-07-18",
            location_precision_km=None,
            geometry={
                "type": "LineString",
                "coordinates": [[x + 0.001 * n, y] for x, y in POSITIONS],
            },
            coordTimes=TIMES,
        )
        for n in range(count)
    ]
    root = write_geodata(tmp_path, {"t.geojson": collection(*features, event("point"))})
    geodata = load_geodata(root)
    assert geodata.problems == []
    return geodata, MapData.prepare(geodata.events, geodata.areas)


def decoded_times(feature: dict) -> list[float]:
    """The times of a drawn feature's positions (seconds since 1970), from "t0" and "ts"."""
    ts = feature["properties"]["ts"]
    flat = [t for line in ts for t in line] if ts and isinstance(ts[0], list) else ts
    return list(feature["properties"]["t0"] + np.cumsum(flat))


def test_a_tracks_feature_carries_each_positions_time(tmp_path):
    geodata, map_data = track_data(tmp_path)
    track = geodata.events.index[geodata.events["id"] == "track-0"][0]
    feature = json.loads(map_data.features[track])
    assert decoded_times(feature) == list(seconds(TIMES))
    assert np.allclose(feature["geometry"]["coordinates"], POSITIONS, atol=1e-9)
    assert list(map_data.tracks.index) == [track]  # the point has no times
    assert "ts" not in map_data.features[geodata.events.index[geodata.events["id"] == "point"][0]]


def test_drawn_positions_are_the_datas_each_with_its_own_time(tmp_path):
    geodata, map_data = track_data(tmp_path)
    track = map_data.tracks.index[0]
    for zoom in (4, 8, 12):
        feature = json.loads(map_data.drawn_features(pd.Index([track]), zoom)[track])
        drawn = feature["geometry"]["coordinates"]
        timed = dict(zip(seconds(TIMES), POSITIONS, strict=True))
        for (x, y), time in zip(drawn, decoded_times(feature), strict=True):
            assert [x, y] == pytest.approx(timed[time], abs=0.01)  # rounded to a tenth pixel
        assert decoded_times(feature)[0] == seconds(TIMES)[0]
        assert decoded_times(feature)[-1] == seconds(TIMES)[-1]
        if zoom == 4:
            assert len(drawn) < len(POSITIONS)  # a zigzag 0.02° wide is under a pixel there
        if zoom == 12:
            assert len(drawn) == len(POSITIONS)


def test_a_track_clipped_to_a_box_keeps_the_segments_that_meet_it_with_their_times():
    shape = shapely.LineString([(0, 0, 100), (1, 0, 200), (2, 0, 300), (3, 0, 400), (4, 0, 500)])
    inside = clipped(pd.Series([shape], index=[7]), 1.5, -1, 2.5, 1)
    assert list(inside.index) == [7]
    assert shapely.get_coordinates(inside[7], include_z=True).tolist() == [
        [1, 0, 200],
        [2, 0, 300],
        [3, 0, 400],
    ]
    # A segment that crosses the box with both ends outside it is kept too.
    across = clipped(pd.Series([shape]), 0.2, -1, 0.8, 1)
    assert shapely.get_coordinates(across[0], include_z=True)[:, 2].tolist() == [100, 200]
    assert clipped(pd.Series([shape]), 10, 10, 11, 11).empty


def test_times_are_written_as_seconds_since_the_position_before():
    shape = shapely.MultiLineString([[(0, 0, 1000.4), (1, 1, 1600)], [(2, 2, 5000), (3, 3, 5030)]])
    assert time_properties(shape) == '"t0":1000,"ts":[[0,600],[3400,30]]'


def test_too_many_track_positions_are_clipped_then_counted_per_cell(tmp_path, monkeypatch):
    geodata, map_data = track_data(tmp_path, count=3)
    tracks = map_data.tracks.index
    # The window ends between positions 9 and 10 (x 124.45 and 124.5): the first quarter.
    window = MapWindow(124.0, 23.5, 124.475, 24.6, 12)
    whole = map_data.track_features(tracks, window)
    assert [len(json.loads(text)["geometry"]["coordinates"]) for text in whole] == [40] * 3
    monkeypatch.setattr(layers.map.data, "TRACK_VERTEX_BUDGET", 60)
    inside = map_data.track_features(tracks, window)
    for text in inside:
        feature = json.loads(text)
        (line,) = feature["geometry"]["coordinates"]
        assert len(line) == 11  # positions 0–10: the segments touching the window
        assert decoded_times(feature) == list(seconds(TIMES[:11]))
    monkeypatch.setattr(layers.map.data, "TRACK_VERTEX_BUDGET", 10)
    assert map_data.track_features(tracks, window) is None
    groups = view_layers(
        geodata.events, map_data, geodata.areas.iloc[0:0], ["2024-07"], View(), window
    )
    drawn = {type(child).__name__ for group in groups for child in group._children.values()}
    assert "MonthCells" in drawn and "GeoJsonText" not in drawn


def test_the_player_steps_by_the_hour_through_a_few_days_with_tracks(tmp_path):
    geodata, map_data = track_data(tmp_path)
    steps, counts = hour_steps(geodata.events, map_data.tracks, ["2024-07"])
    # The point event's day, 00:00 to 24:00 UTC; the track runs 00:00–06:30.
    assert len(steps) == 24
    assert steps[0]["l"] == "18 Jul 2024 00:00–01:00 UTC"
    assert (steps[0]["s"], steps[0]["e"]) == (1721260800000, 1721264400000)
    assert counts == [2] * 7 + [1] * 17
    # Over a week: months.
    long = geodata.events.copy()
    long.loc[long["id"] == "point", "end"] = pd.Timestamp("2024-07-30")
    assert hour_steps(long, map_data.tracks, ["2024-07"]) is None
    # Unless the open event is a track of a few days: then its hours.
    track = long.index[long["id"] == "track-0"][0]
    steps, counts = hour_steps(long, map_data.tracks, ["2024-07"], focus=track)
    assert [step["l"][-15:] for step in (steps[0], steps[-1])] == [
        "00:00–01:00 UTC",
        "06:00–07:00 UTC",
    ]
    assert counts == [2] * 7


def test_an_uploaded_track_joined_to_the_shared_data_is_drawn_and_played_as_a_shared_one(
    tmp_path,
):
    # The uploads were joined with three columns of the map data only: an uploaded track was
    # never simplified, and the hour player did not know it.
    shared, shared_map = track_data(tmp_path / "shared")
    uploaded, _ = track_data(tmp_path / "upload")
    offset = int(shared.events.index.max()) + 1
    relabel = {label: label + offset for label in uploaded.events.index}
    upload_only = MapData.prepare(uploaded.events.rename(index=relabel), uploaded.areas)
    joined = shared_map.joined(upload_only)
    track = relabel[uploaded.events.index[uploaded.events["id"] == "track-0"][0]]
    assert track in joined.tracks.index and track in joined.shapes.index
    drawn = json.loads(joined.drawn_features(pd.Index([track]), 6)[track])
    assert len(drawn["geometry"]["coordinates"]) < len(POSITIONS)  # simplified for zoom 6
    assert decoded_times(drawn)[0] == seconds(TIMES)[0]
    assert len(joined.features) == len(shared_map.features) + len(upload_only.features)
