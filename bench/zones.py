"""What zone tags (layers/analysis/zones.py) add to a load, beside the load itself.

    python bench/zones.py [--sizes 10000 100000]

For each size N it writes N synthetic valid events (bench/synthetic.py), then measures in this
process: reading and validating the files (`load_geodata`, the baseline), computing every
event's zone tags, and the memory the tags hold (tracemalloc). Goal (issue 14): load with tags
≤ 1.2 × load alone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import write_synthetic  # noqa: E402

from layers.analysis.zones import zone_tags  # noqa: E402
from layers.read.load import load_geodata  # noqa: E402

GOAL_RATIO = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print("| events | load (baseline) | zone tags | load + tags / load | tags memory | tagged |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = write_synthetic(size, Path(folder))
            started = time.perf_counter()
            geodata = load_geodata(root)
            load = time.perf_counter() - started
        started = time.perf_counter()
        tags = zone_tags(geodata.events, geodata.areas)
        tagging = time.perf_counter() - started
        tracemalloc.start()  # a second run, for memory: tracing slows the one it watches
        zone_tags(geodata.events, geodata.areas)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ratio = (load + tagging) / load
        verdict = "OK" if ratio <= GOAL_RATIO else "over the goal"
        tagged = sum(bool(event_tags) for event_tags in tags)
        print(
            f"| {size:,} | {load:.2f} s | {tagging:.2f} s | {ratio:.2f}× ({verdict}, goal "
            f"≤ {GOAL_RATIO}×) | {peak / 1024 / 1024:.0f} MB peak | {tagged:,} |"
        )


if __name__ == "__main__":
    main()
