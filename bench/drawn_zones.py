"""What a drawn zone costs a session: its zone tags over every event, beside a named area's.

    python bench/drawn_zones.py [--size 100000]

A drawn shape is tagged on every event of the data when it is drawn (dashboard_ui/drawn.py
`with_drawn_shapes`, kept in the session until the shapes change). This times, on N synthetic
events (bench/synthetic.py), in one run:

- baseline: `zone_tags` for a named area of the same size, as the load tags every area;
- drawn: the whole path of a drawn shape (`drawn_zones`: geodesic geometry and measures, then
  `zone_tags`), for a 30 nm circle off Yonaguni, a polygon round Boso and Izu Ōshima, a
  buffer of 24 nm round the Senkaku territorial sea, and a polygon across 180°.

Prints seconds (median of 3) and the events each tags. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import geopandas as gpd  # noqa: E402
from synthetic import synthetic_frame  # noqa: E402

from layers.analysis.drawn import drawn_zones  # noqa: E402
from layers.analysis.zones import zone_tags  # noqa: E402
from layers.read.load import load_geodata  # noqa: E402
from layers.shapes import shapes_from_param  # noqa: E402

SHAPES = {
    "30 nm circle off Yonaguni": "c_24.4667_123_30nm",
    "polygon round Boso and Izu Ōshima": "p_35.7_138.8_35.7_141_33.8_141_33.6_139.6_33.9_138.8",
    "24 nm round the Senkaku territorial sea": "w_senkaku-territorial-sea_24nm",
    "polygon across 180°": "p_10_175_10_-175_20_-175_20_175",
}


def timed(function) -> tuple[float, object]:
    times, result = [], None
    for _ in range(3):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    size = parser.parse_args().size
    events = synthetic_frame(size)
    areas = load_geodata(HERE.parent / "geodata").areas
    print(f"{size:,} synthetic events; seconds, median of 3")
    for label, entry in SHAPES.items():
        shapes, warnings = shapes_from_param(entry, None, areas["id"])
        assert not warnings, warnings
        seconds, drawn = timed(lambda shapes=shapes: drawn_zones(shapes, areas))
        same = gpd.GeoDataFrame({"id": ["named"], "geometry": list(drawn.areas.geometry)}, crs=4326)
        baseline, _ = timed(lambda same=same: zone_tags(events, same))
        tagging, tags = timed(lambda drawn=drawn: zone_tags(events, drawn.areas))
        tagged = sum(bool(tag) for tag in tags)
        print(
            f"{label:42} baseline (named area, zone_tags) {baseline:6.2f} s | drawn: "
            f"geometry {seconds:5.2f} s + tags {tagging:6.2f} s | {tagged:,} events tagged"
        )


if __name__ == "__main__":
    main()
