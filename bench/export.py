"""How long "Export view" takes, beside the GeoJSON download of the same events.

    python bench/export.py [--sizes 10000 100000]

For the seed data (geodata/, Taiwan Strait, May–July 2024, density on), 1,114 overlapping
activity areas (bench/density.py) and N synthetic events (bench/synthetic.py, the default view
with density on), it times the PNG and the PDF (layers/export/picture.py) and, as the
baseline, the GeoJSON download of the same events (layers/export/tables.py), each once after
a warm-up run, and prints the files' sizes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from density import write_areas  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

from layers.export.picture import ViewPicture, picture_pdf, picture_png  # noqa: E402
from layers.export.tables import events_geojson  # noqa: E402
from layers.filters import data_months, filter_events, month_range  # noqa: E402
from layers.read.load import load_geodata  # noqa: E402
from layers.view import View  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
STRAIT = View(start="2024-05", end="2024-07", density=True, lat=24.0, lon=121.0, zoom=6)


def timed(action) -> tuple[float, int]:
    action()  # warm-up: fonts, the basemap files
    started = time.perf_counter()
    size = len(action())
    return time.perf_counter() - started, size


def measure(name: str, root: Path, view: View) -> None:
    geodata = load_geodata(root)
    events = filter_events(geodata.events, view)
    months = data_months(geodata.events)
    first, last = month_range(view, months)
    picture = ViewPicture(
        view=view,
        events=events,
        areas=geodata.areas[geodata.areas["default_visible"]],
        months=[month for month in months if first <= month <= last],
        data_version=geodata.version,
        area_names=dict(zip(geodata.areas["id"], geodata.areas["name"])),
    )
    base, base_size = timed(lambda: events_geojson(events).encode())
    png, png_size = timed(lambda: picture_png(picture))
    pdf, pdf_size = timed(lambda: picture_pdf(picture))
    print(
        f"| {name} | {len(events):,} | {base:.2f} s ({base_size / 1024:,.0f} kB) "
        f"| {png:.2f} s ({png_size / 1024:,.0f} kB) | {pdf:.2f} s ({pdf_size / 1024:,.0f} kB) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    args = parser.parse_args()
    print("| data | events shown | GeoJSON download (baseline) | PNG | PDF |")
    print("|---|---|---|---|---|")
    measure("seed data, Taiwan Strait", REPO / "geodata", STRAIT)
    with tempfile.TemporaryDirectory() as folder:
        measure("1,114 activity areas", write_areas(Path(folder)), STRAIT)
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = write_synthetic(size, Path(folder))
            measure(f"{size:,} synthetic, default view", root, View(density=True))


if __name__ == "__main__":
    main()
