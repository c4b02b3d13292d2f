"""What the density layer adds to a map update, beside the update itself.

    python bench/density.py [--sizes 10000 100000] [--areas 1114] [--repeat 5]

Two data sets, each loaded once in this process:
  - N synthetic events (bench/synthetic.py: points, transit lines, exercise boxes);
  - 1,114 overlapping activity areas around Taiwan in three months (`activity_areas`), as
    issue 13's real PLA case has.
For each, at the default view (zoom 4) and over the Taiwan Strait (zoom 7), it times the map's
layers for the filtered events without density (`view_layers`, the baseline: what a map update
costs today) and the density layer alone (counting and the PNG), medians of --repeat runs, and
the PNG's size. `python bench/density.py --write-areas DIR` writes the areas data set as a
GEODATA_DIR for the dashboard.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import write_synthetic  # noqa: E402

from layers.aggregate import map_window  # noqa: E402
from layers.filters import data_months, filter_events  # noqa: E402
from layers.map.data import MapData  # noqa: E402
from layers.map.density import density_layer, density_png, shown_density  # noqa: E402
from layers.map.view import view_layers  # noqa: E402
from layers.view import View  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# (name, zoom, centre lat, lon); the map's size is the app's nominal 900 × 620 px.
VIEWS = [("default view", 4, 27.0, 130.0), ("Taiwan Strait", 7, 24.0, 120.5)]


def activity_areas(count: int = 1114, seed: int = 13) -> list[dict]:
    """`count` declared activity areas around Taiwan, as closed/exercise zones are announced:
    irregular quadrilaterals 0.2–1.5° across, most in the Strait and east of Taiwan, spread
    over May–July 2024, all CHN."""
    rng = np.random.default_rng(seed)
    centres = [(119.8, 24.2, 0.8), (122.2, 23.5, 1.0), (121.0, 21.6, 0.8), (121.9, 25.6, 0.7)]
    features = []
    for number in range(count):
        lon, lat, spread = centres[rng.integers(len(centres))]
        x, y = lon + rng.normal(0, spread), lat + rng.normal(0, spread * 0.7)
        half = rng.uniform(0.1, 0.75, 2)
        jitter = rng.uniform(-0.15, 0.15, (4, 2)) * half
        corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * half + jitter + (x, y)
        ring = np.round(np.vstack([corners, corners[:1]]), 3).tolist()
        month = 5 + number % 3
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "id": f"pla-area-{number:04d}",
                    "title": f"PLA activity area {number} (解放军活动区域)",
                    "summary": "Synthetic, for benchmarks: shaped like announced closure areas.",
                    "kind": "exercise",
                    "start": f"2024-{month:02d}",
                    "nations": ["CHN"],
                    "sources": [{"title": "bench/density.py", "published": "2026"}],
                },
            }
        )
    return features


def write_areas(root: Path, count: int = 1114) -> Path:
    (root / "events").mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": activity_areas(count)}
    (root / "events" / "activity-areas.geojson").write_text(
        json.dumps(collection, ensure_ascii=False), encoding="utf-8"
    )
    shutil.copytree(REPO / "geodata" / "areas", root / "areas", dirs_exist_ok=True)
    return root


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(name: str, root: Path, repeat: int) -> None:
    from layers.read.load import load_geodata

    geodata = load_geodata(root)
    events = geodata.events
    map_data = MapData.prepare(events, geodata.areas)
    # As the dashboard does after a load (dashboard_ui.data.load_data): the data out of the
    # garbage collector's walks, or a full collection that any allocation can set off costs
    # ~0.5 s.
    gc.collect()
    gc.freeze()
    months = data_months(events)
    view = View()
    filtered = events[["id", "kind", "start", "end", "location_precision_km"]]
    filtered = filtered.loc[filter_events(events, view).index]
    for label, zoom, lat, lon in VIEWS:
        window = map_window(zoom, center=(lat, lon))
        bounds = (window.west, window.south, window.east, window.north)

        def layers(window=window):
            view_layers(filtered, map_data, geodata.areas.iloc[0:0], months, view, window)

        def density(window=window):
            density_layer(filtered.index, map_data, window)

        grid = shown_density(filtered.index, map_data, bounds, zoom)
        base = median_seconds(layers, repeat)
        extra = median_seconds(density, repeat)
        print(
            f"| {name} | {label} (z{zoom}) | {grid.counts.shape[1]}×{grid.counts.shape[0]} "
            f"| {grid.counts.max():,} | {base:.3f} s | {extra:.3f} s | {extra / base:.2f}× "
            f"| {len(density_png(grid)) / 1024:.1f} kB |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--areas", type=int, default=1114)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write-areas", type=Path, help="write the areas data set here; exit")
    args = parser.parse_args()
    if args.write_areas:
        print(write_areas(args.write_areas, args.areas))
        return
    print(
        "| data | view | cells | highest count | map layers without density (baseline) "
        "| density layer | density / baseline | PNG |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        measure(f"{args.areas:,} activity areas", write_areas(Path(folder), args.areas), 5)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"{size:,} synthetic events", write_synthetic(size, Path(folder)), args.repeat)


if __name__ == "__main__":
    main()
