"""What the change map (layers/map/change.py) costs per map update, beside the events map.

    python bench/change.py [--sizes 10000 100000] [--repeat 5]

For each size N it writes N synthetic valid events over 2023–2024 (bench/synthetic.py), loads
them with their zone tags as the dashboard does, and times, in this process, one map update as
the dashboard's map fragment makes it on a pan or zoom: `view_layers` for the window, then the
layers rendered into a page (what streamlit-folium sends). The baseline is the events map of
the same months (2024-07..2024-09) and window; the change map compares them with 2024-04..06,
per named area at zoom 4 and per grid cell at zoom 6. Medians of --repeat runs; bytes are the
rendered script. Goal (issue 14): pan/zoom ≤ 0.5 s end to end, so the change map should cost no
more than the events map it replaces.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import write_synthetic  # noqa: E402

from layers.aggregate import map_window  # noqa: E402
from layers.analysis.zones import zone_tags  # noqa: E402
from layers.dates import month_span  # noqa: E402
from layers.filters import filter_events, zone_rows  # noqa: E402
from layers.map.basemap import base_map  # noqa: E402
from layers.map.change import PeriodChange  # noqa: E402
from layers.map.data import MapData  # noqa: E402
from layers.map.view import view_layers  # noqa: E402
from layers.read.load import load_geodata  # noqa: E402
from layers.view import View  # noqa: E402

SHOWN = ("2024-07", "2024-09")
COMPARED = ("2024-04", "2024-06")


def one_update(events, map_data, areas, view, window, change) -> tuple[float, int]:
    """Seconds and rendered bytes of one map update."""
    started = time.perf_counter()
    groups = view_layers(
        events, map_data, areas.iloc[0:0], month_span(*SHOWN), view, window, change=change
    )
    fmap = base_map(View())
    for group in groups:
        group.add_to(fmap)
    page = fmap.get_root().render()
    return time.perf_counter() - started, len(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| events | zoom | events map (baseline) | change map | change / events |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            geodata = load_geodata(write_synthetic(size, Path(folder)))
        events = geodata.events
        events["zones"] = zone_tags(events, geodata.areas)
        map_data = MapData.prepare(events, geodata.areas)
        tags = zone_rows(events)
        view = View(start=SHOWN[0], end=SHOWN[1], compare=COMPARED)
        shown = filter_events(events, view)
        compared = filter_events(events, replace(view, start=COMPARED[0], end=COMPARED[1]))
        change = PeriodChange(COMPARED, SHOWN, compared.index, tags, geodata.areas)
        for zoom in (4, 6):
            window = map_window(zoom, center=(25.0, 125.0))
            runs = {"events": [], "change": []}
            for _ in range(args.repeat):
                for mode in runs:
                    shows = replace(view, show=mode)
                    runs[mode].append(
                        one_update(shown, map_data, geodata.areas, shows, window, change)
                    )
            figures = {
                mode: (statistics.median(t for t, _ in results), results[0][1])
                for mode, results in runs.items()
            }
            (base, base_bytes), (new, new_bytes) = figures["events"], figures["change"]
            print(
                f"| {size:,} | {zoom} | {base:.3f} s, {base_bytes / 1024:.0f} kB | "
                f"{new:.3f} s, {new_bytes / 1024:.0f} kB | {new / base:.2f}× |"
            )


if __name__ == "__main__":
    main()
