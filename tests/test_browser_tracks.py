"""A track on the map and in the player, in headless Chromium against `streamlit run`."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from browser import (
    block_outside_requests,
    map_frame,
    streamlit_server,
    wait_for_drawn,
)
from conftest import collection, event, write_geodata

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

# A patrol zigzagging north over two and a half hours on 18 July 2024: every turn is far wider
# than a pixel at zoom 9, so the map draws each position (none is simplified away).
POSITIONS = [
    [123.0, 24.0],
    [123.1, 24.1],
    [123.0, 24.2],
    [123.1, 24.3],
    [123.0, 24.4],
    [123.1, 24.5],
]
TIMES = [
    f"2024-07-18T{hour:02d}:{minute:02d}:00Z"
    for hour, minute in [(1, 0), (1, 30), (2, 0), (2, 30), (3, 0), (3, 30)]
]
VIEW = "/?lat=24.25&lon=123.05&zoom=9"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = write_geodata(
        tmp_path_factory.mktemp("tracks") / "geodata",
        {
            "tracks.geojson": collection(
                event(
                    "patrol-track",
                    kind="patrol",
                    start="2024-07-18",
                    geometry={"type": "LineString", "coordinates": POSITIONS},
                    coordTimes=TIMES,
                    location_precision_km=None,
                ),
                event("boso", start="2024-07-18"),
            )
        },
    )
    with streamlit_server(root) as running:
        yield running.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def expected_position(time_ms: float) -> tuple[float, float]:
    """(lat, lon) of the track at `time_ms`, interpolated between its two positions around it."""
    moments = [dt.datetime.fromisoformat(t).timestamp() * 1000 for t in TIMES]
    if time_ms >= moments[-1]:
        lon, lat = POSITIONS[-1]
        return lat, lon
    after = next(at for at, moment in enumerate(moments) if moment > time_ms)
    f = (time_ms - moments[after - 1]) / (moments[after] - moments[after - 1])
    (lon_a, lat_a), (lon_b, lat_b) = POSITIONS[after - 1], POSITIONS[after]
    return lat_a + (lat_b - lat_a) * f, lon_a + (lon_b - lon_a) * f


def distance_to_track(lat: float, lon: float) -> float:
    """Degrees from (lat, lon) to the nearest point of the track's line."""
    best = math.inf
    for (x1, y1), (x2, y2) in zip(POSITIONS, POSITIONS[1:]):
        dx, dy = x2 - x1, y2 - y1
        f = max(0.0, min(1.0, ((lon - x1) * dx + (lat - y1) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(lon - (x1 + f * dx), lat - (y1 + f * dy)))
    return best


def markers(frame) -> dict:
    return frame.evaluate("() => window.__trackPlayer ? window.__trackPlayer.markers() : {}")


def test_a_track_is_drawn_with_arrowheads_and_played_hour_by_hour(server, page):
    page.goto(server + VIEW)
    frame = map_frame(page)
    wait_for_drawn(frame, ["boso", "patrol-track"])
    # Its direction: chevrons along the line and at its end, which take no pointer.
    arrows = frame.evaluate(
        """() => { const found = [];
          window.map.eachLayer(l => { if (l.trackArrow) { found.push(l.getLatLngs().length); } });
          return found; }"""
    )
    assert len(arrows) == 1 and arrows[0] >= 2
    # A day with a track: the player steps by the hour through the day (the point event's
    # day, 00:00 to 24:00 UTC), each step showing where the track was at its end.
    player = frame.locator(".month-player")
    label = frame.locator(".month-now")
    places = []
    for hour, expected in ((1, "1 event"), (2, "2 events"), (3, "2 events"), (4, "2 events")):
        player.get_by_title("Next hour").click()
        assert label.inner_text().split() == [
            "18",
            "Jul",
            "2024",
            f"{hour - 1:02d}:00–{hour:02d}:00",
            "UTC",
            *expected.split(),
        ]
        time_ms = frame.evaluate("() => window.__trackPlayer.time()")
        assert time_ms == dt.datetime(2024, 7, 18, hour, tzinfo=dt.UTC).timestamp() * 1000
        places.append(markers(frame)["patrol-track"])
    # At 01:00, 02:00 and 03:00 it is at the positions written then; at 04:00 it has ended
    # at its last (written at 03:30), and its marker says so.
    assert places == [
        [pytest.approx(24.0), pytest.approx(123.0), False],
        [pytest.approx(24.2), pytest.approx(123.0), False],
        [pytest.approx(24.4), pytest.approx(123.0), False],
        [pytest.approx(24.5), pytest.approx(123.1), True],
    ]


def test_playing_moves_the_marker_along_the_track_between_its_positions(server, page):
    page.goto(server + VIEW)
    frame = map_frame(page)
    wait_for_drawn(frame, ["boso", "patrol-track"])
    player = frame.locator(".month-player")
    player.locator("select").select_option("1000")  # a second an hour
    player.get_by_title("Play the hours").click()
    seen = []
    for _ in range(6):
        page.wait_for_timeout(700)
        sample = frame.evaluate(
            "() => [window.__trackPlayer.time(), window.__trackPlayer.markers()['patrol-track']]"
        )
        if sample[1] is not None:
            seen.append(sample)
    assert len({(round(lat, 6), round(lon, 6)) for _, (lat, lon, _) in seen}) >= 3
    for time_ms, (lat, lon, _) in seen:
        assert distance_to_track(lat, lon) < 1e-6
        # Where the data puts it at that time (the page reads the clock a frame later).
        expected = expected_position(time_ms)
        assert (lat, lon) == pytest.approx(expected, abs=1e-6)
