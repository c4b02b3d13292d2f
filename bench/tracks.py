"""Tracks at scale: 1,000,000 track positions (2,000 tracks of 500) beside 100,000 point events.

    python bench/tracks.py [--tracks 2000] [--positions 500] [--points 100000] [--repeat 3]

The README's speed goals are set for 100,000 point events (first paint ≤ 3 s, filter change,
pan and zoom ≤ 0.5 s, server memory ≤ 1.5 GB). This measures both data sets in the same run,
the same way (bench/bench.py: a real `streamlit run`, headless Chromium, the page's own clock),
and prints them side by side, with the load of the files alone (in this process, no cache):

- the point events: bench/synthetic.py's 100,000;
- the tracks: 2,000 synthetic AIS-like tracks of 500 positions each, one every ten minutes
  (three and a half days), wandering from the same hot spots with the same kinds and nations,
  each with its `coordTimes`; a track stays within its month (as an event of one day does),
  so every event is drawn or counted once.

Each track is drawn simplified for the zoom (layers.map.tracks), within a budget of positions
per view (layers.map.data.TRACK_VERTEX_BUDGET: then only their parts in the window, coarser,
or counts per cell); the data keeps every position. The map moves are bench.py's (zoom 7 and 8
on hot spots, zoom 4) and two closer in on the Senkakus (zoom 10 and 12), where the tracks are
drawn one by one. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from browser import launch_chromium  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import DAYS, FIRST_DAY, HOTSPOTS, NATIONS, REPO, write_synthetic  # noqa: E402

import bench  # noqa: E402
from bench import measure_data  # noqa: E402
from layers.read.load import load_geodata  # noqa: E402

STEP_MINUTES = 10
# bench.py's moves, and two closer in on the Senkakus (zoom 10 and 12), where tracks are drawn
# one by one; both data sets make the same moves.
MOVES = [*bench.MOVES[:3], ([25.8, 123.5], 10), ([25.9, 123.7], 12), bench.MOVES[3]]
TRACK_KINDS = ["patrol"] * 4 + ["transit", "incident"]


def synthetic_track(number: int, positions: int, rng: random.Random) -> dict:
    """A track of `positions` positions ten minutes apart: a ship at 6–14 knots that turns
    at every report (about 11° on average, far more than a ship on passage), from a hot spot,
    with its coordTimes."""
    lon0, lat0, spread = rng.choice(HOTSPOTS)
    lon, lat = lon0 + rng.gauss(0, spread), lat0 + rng.gauss(0, spread / 2)
    # A day whose track (3.5 days) ends in its month.
    while True:
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        if day.day <= 24:
            break
    start = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(0, 60, 10)))
    heading = rng.uniform(0, 2 * math.pi)
    knots = rng.uniform(6, 14)
    coordinates, times = [], []
    for step in range(positions):
        coordinates.append([round(lon, 5), round(lat, 5)])
        times.append((start + dt.timedelta(minutes=STEP_MINUTES * step)).isoformat() + "Z")
        heading += rng.gauss(0, 0.2)
        degrees = knots * STEP_MINUTES / 60 / 60  # nautical miles as degrees of latitude
        lat += degrees * math.cos(heading)
        lon += degrees * math.sin(heading) / math.cos(math.radians(lat))
    end = start + dt.timedelta(minutes=STEP_MINUTES * (positions - 1))
    kind = rng.choice(TRACK_KINDS)
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {
            "id": f"track-{number:05d}",
            "title": f"Synthetic {kind} track #{number} (合成データ)",
            "summary": "Generated for benchmarks.",
            "kind": kind,
            "start": start.date().isoformat(),
            "end": end.date().isoformat(),
            "nations": sorted(set(rng.sample(NATIONS, rng.choice([1, 1, 1, 2])))),
            "sources": [{"title": "bench/tracks.py", "published": "2026"}],
            "coordTimes": times,
        },
    }


def write_tracks(count: int, positions: int, root: Path, seed: int = 11, per_file: int = 100):
    """`count` tracks in files of `per_file`, plus the repository's named areas."""
    rng = random.Random(seed)
    events = root / "events"
    events.mkdir(parents=True, exist_ok=True)
    features = [synthetic_track(number, positions, rng) for number in range(count)]
    for start in range(0, count, per_file):
        chunk = {"type": "FeatureCollection", "features": features[start : start + per_file]}
        path = events / f"tracks-{start // per_file:03d}.geojson"
        path.write_text(json.dumps(chunk, ensure_ascii=False), encoding="utf-8")
    shutil.copytree(REPO / "geodata" / "areas", root / "areas", dirs_exist_ok=True)
    return root


def load_seconds(root: Path) -> tuple[float, int]:
    """Seconds to read and validate the files alone (load_geodata, no cache), and positions."""
    started = time.perf_counter()
    geodata = load_geodata(root)
    seconds = time.perf_counter() - started
    assert not geodata.problems, geodata.problems[:3]
    positions = sum(sum(len(line) for line in times) for times in geodata.events["coord_times"])
    return seconds, positions


def row(name: str, figures: dict, load: float) -> str:
    moves = "–"
    if "pan/zoom" in figures:
        moves = (
            f"{figures['pan/zoom']:.2f} s / {figures['pan/zoom max']:.2f} s "
            f"({figures['pan/zoom from call']:.2f} s)"
        )
    bytes_moved = (
        f"{figures['bytes per move'] / 1024:,.0f} KiB" if "bytes per move" in figures else "–"
    )
    return (
        f"| {name} | {load:.2f} s | {figures['cold first paint']:.2f} s "
        f"| {figures['first paint']:.2f} s | {figures['page complete']:.2f} s "
        f"| {figures['filter change']:.2f} s / {figures['filter change max']:.2f} s "
        f"| {figures['bytes per change'] / 1024:,.0f} KiB | {moves} | {bytes_moved} "
        f"| {figures['rss']:.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=2000)
    parser.add_argument("--positions", type=int, default=500)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bench.MOVES[:] = MOVES
    with tempfile.TemporaryDirectory() as tmp:
        points_root = write_synthetic(args.points, Path(tmp) / "points")
        tracks_root = write_tracks(args.tracks, args.positions, Path(tmp) / "tracks")
        points_load, _ = load_seconds(points_root)
        tracks_load, positions = load_seconds(tracks_root)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            points = measure_data(browser, points_root, args.points, args.repeat)
            tracks = measure_data(browser, tracks_root, args.tracks, args.repeat)
            browser.close()
    print(
        "| data | load (files alone) | first paint (cold) | first paint (warm) | page complete "
        "| filter change (median / max) | bytes per change "
        "| pan/zoom after the move, median / max (from the call) | bytes per move | server RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(row(f"{args.points:,} point events (baseline)", points, points_load))
    print(row(f"{args.tracks:,} tracks, {positions:,} positions", tracks, tracks_load))


if __name__ == "__main__":
    main()
