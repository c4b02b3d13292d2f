"""Synthetic, valid events for benchmarks: daily patrols, transits and exercise boxes.

`python bench/synthetic.py N DIR` writes N events into DIR/events/ (and the repository's areas
into DIR/areas/) so the dashboard can be pointed at it with GEODATA_DIR=DIR.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NATIONS = ["JPN", "TWN", "CHN", "USA", "PHL", "KOR", "AUS", "GBR", "FRA", "CAN", "DEU", "IND"]
KINDS = ["patrol"] * 5 + ["transit"] * 2 + ["exercise", "incident", "incident", "port_call"]
# Hot spots where real activity clusters (lon, lat, spread in degrees).
HOTSPOTS = [
    (123.5, 25.8, 0.6),  # Senkaku waters
    (120.0, 24.5, 1.2),  # Taiwan Strait
    (122.5, 22.0, 2.0),  # around Taiwan
    (128.0, 31.0, 3.0),  # East China Sea
    (135.0, 20.0, 6.0),  # Philippine Sea
    (116.0, 15.0, 3.0),  # South China Sea
    (139.8, 34.8, 0.8),  # Boso / Izu Oshima
]
FIRST_DAY = dt.date(2023, 1, 1)
DAYS = 730


def synthetic_event(number: int, rng: random.Random) -> dict:
    lon0, lat0, spread = rng.choice(HOTSPOTS)
    lon, lat = lon0 + rng.gauss(0, spread), lat0 + rng.gauss(0, spread / 2)
    kind = rng.choice(KINDS)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    if kind == "transit":
        geometry = {
            "type": "LineString",
            "coordinates": [
                [round(lon, 4), round(lat, 4)],
                [round(lon - 1.5, 4), round(lat - 2, 4)],
            ],
        }
    elif kind == "exercise":
        west, south = round(lon, 3), round(lat, 3)
        ring = [[west, south], [west + 0.5, south], [west + 0.5, south + 0.4], [west, south + 0.4]]
        geometry = {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
    else:
        geometry = {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]}
    nations = sorted(set(rng.sample(NATIONS, rng.choice([1, 1, 1, 2, 3]))))
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "id": f"synthetic-{number:06d}",
            "title": f"Synthetic {kind} #{number} (合成データ)",
            "summary": "Generated for benchmarks.",
            "kind": kind,
            "start": day.isoformat(),
            "nations": nations,
            "location_precision_km": rng.choice([5, 10, 20]),
            "sources": [{"title": "bench/synthetic.py", "published": "2026"}],
        },
    }


def write_synthetic(count: int, root: Path, seed: int = 7, per_file: int = 5000) -> Path:
    """Write `count` events in files of `per_file`, plus the repository's named areas."""
    rng = random.Random(seed)
    events_dir = root / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    features = [synthetic_event(number, rng) for number in range(count)]
    for start in range(0, count, per_file):
        chunk = {"type": "FeatureCollection", "features": features[start : start + per_file]}
        path = events_dir / f"synthetic-{start // per_file:03d}.geojson"
        path.write_text(json.dumps(chunk, ensure_ascii=False), encoding="utf-8")
    shutil.copytree(REPO / "geodata" / "areas", root / "areas", dirs_exist_ok=True)
    return root


if __name__ == "__main__":
    write_synthetic(int(sys.argv[1]), Path(sys.argv[2]))


def synthetic_frame(count: int, seed: int = 7):
    """`count` synthetic events as the loader's events table (layers.read.load), built with
    numpy for millions of rows: the same hot spots, kinds, dates, shapes and nations as
    `synthetic_event`, drawn from another random stream. Valid by construction (the loader's
    own rules: slug ids, ISO dates and codes, closed rings), so a benchmark of the shared
    store can load two million without reading two million features."""
    import numpy as np
    import pandas as pd
    import shapely

    from layers.read.load import events_frame

    rng = np.random.default_rng(seed)
    spots = np.array(HOTSPOTS)
    spot = spots[rng.integers(len(HOTSPOTS), size=count)]
    lon = spot[:, 0] + rng.normal(0, 1, count) * spot[:, 2]
    lat = spot[:, 1] + rng.normal(0, 1, count) * spot[:, 2] / 2
    kinds = np.array(KINDS)[rng.integers(len(KINDS), size=count)]
    days = pd.Timestamp(FIRST_DAY) + pd.to_timedelta(rng.integers(DAYS, size=count), unit="D")
    geometry = np.empty(count, dtype=object)
    points = ~np.isin(kinds, ["transit", "exercise"])
    geometry[points] = shapely.points(np.round(lon[points], 4), np.round(lat[points], 4))
    transit = kinds == "transit"
    x, y = np.round(lon[transit], 4), np.round(lat[transit], 4)
    geometry[transit] = shapely.linestrings(
        np.stack([np.column_stack([x, y]), np.column_stack([x - 1.5, y - 2])], axis=1)
    )
    box = kinds == "exercise"
    west, south = np.round(lon[box], 3), np.round(lat[box], 3)
    geometry[box] = shapely.box(west, south, west + 0.5, south + 0.4, ccw=True)
    sizes = np.array([1, 1, 1, 2, 3])[rng.integers(5, size=count)]
    order = np.argsort(rng.random((count, len(NATIONS))), axis=1)
    nations = [
        sorted(NATIONS[i] for i in row[:size]) for row, size in zip(order, sizes, strict=True)
    ]
    frame = events_frame([])
    frame = frame.reindex(range(count))
    frame["id"] = [f"synthetic-{number:07d}" for number in range(count)]
    frame["title"] = [f"Synthetic {kind} #{n} (合成データ)" for n, kind in enumerate(kinds)]
    frame["summary"] = "Generated for benchmarks."
    frame["kind"] = kinds
    frame["start"] = frame["end"] = days.astype("datetime64[s]")
    frame["start_text"] = days.strftime("%Y-%m-%d")
    frame["end_text"] = ""
    frame["nations"] = nations
    frame["organisations"] = [[] for _ in range(count)]
    frame["forces"] = [[] for _ in range(count)]
    frame["area"] = ""
    frame["location_precision_km"] = np.array([5.0, 10.0, 20.0])[rng.integers(3, size=count)]
    frame["sources"] = [[{"title": "bench/synthetic.py", "published": "2026"}]] * count
    no_times = np.empty(count, dtype=object)
    no_times[:] = [()] * count
    frame["coord_times"] = no_times
    frame["counts"] = [{} for _ in range(count)]
    frame["file"] = [f"events/synthetic-{n // 5000:03d}.geojson" for n in range(count)]
    frame = frame.set_geometry(geometry, crs="EPSG:4326")
    return frame.sort_values(["start", "id"], kind="stable", ignore_index=True)
