"""What saving one drawn area for the team costs, beside a full retag of the same store.

    python bench/drawn_area.py [--size 100000] [--repeat 3]

Starts a throwaway PostgreSQL cluster (tests/postgres.py), imports N synthetic events
(bench/synthetic.py `synthetic_frame`) with the repository's named areas, then measures in this
run, alternately, --repeat times each (the median is printed; the machine is shared, so only
figures of one run compare):

  - `PostgisStore.save_drawn_area` of one drawn area (a new id each time): the insert and the
    zone tags of the events it can reach (only those are read and written);
  - the baseline: the same shape under another id the existing way, an admin's area upload
    (`write_areas`, then the full `retag()`, which reads every event, computes its tags
    against every area and writes those that changed: the same events as the save);
  - a full `retag()` right after each save, alone: it should change nothing (the save tagged
    what a full retag would), and its time is the floor of any full retag.

Three areas: a 30 nm circle off Yonaguni (few events), a 1° box in the Senkaku hot spot
(many) and a box over the whole East China Sea (most of a hot spot). The retag after each save
finding nothing to change is the check that the save tagged what a full retag would.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE), str(REPO / "tests")]

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import psycopg  # noqa: E402
import shapely  # noqa: E402
from postgres import database_url, throwaway_cluster  # noqa: E402
from pyproj import Geod  # noqa: E402
from synthetic import synthetic_frame  # noqa: E402

from layers.read.load import GeoData, load_areas  # noqa: E402
from layers.store.postgis import PostgisStore  # noqa: E402

NM = 1852.0  # metres in a nautical mile


def circle(lon: float, lat: float, radius_m: float, vertices: int = 64):
    """A geodesic circle (WGS84, pyproj.Geod) as a polygon of `vertices` points."""
    geod = Geod(ellps="WGS84")
    azimuths = [360.0 * k / vertices for k in range(vertices)]
    lons, lats, _ = geod.fwd([lon] * vertices, [lat] * vertices, azimuths, [radius_m] * vertices)
    return shapely.Polygon(zip(lons, lats, strict=True))


DRAWN = {
    "30 nm round Yonaguni": circle(123.0, 24.45, 30 * NM),
    "1° box, Senkaku hot spot": shapely.box(123.0, 25.3, 124.0, 26.3),
    "East China Sea box": shapely.box(122.0, 26.0, 131.0, 34.0),
}


def drawn(area_id: str, geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [area_id],
            "name": [area_id],
            "alt_names": [[]],
            "kind": ["island_waters"],
            "note": [""],
            "default_visible": [True],
            "file": ["drawn"],
        },
        geometry=[geometry],
        crs="EPSG:4326",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    areas, problems = load_areas(REPO / "geodata")
    assert not problems, problems
    with throwaway_cluster({"shared_buffers": "256MB"}) as url:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE DATABASE bench_drawn")
        store_url = database_url(url, "bench_drawn")
        with PostgisStore(store_url) as store:
            store.init()
            started = time.perf_counter()
            store.import_geodata(GeoData(synthetic_frame(args.size), areas), actor="bench")
            print(
                f"{args.size:,} events, {len(areas)} named areas imported in "
                f"{time.perf_counter() - started:.0f} s\n"
            )
            print(
                "| drawn area | events tagged | save_drawn_area | baseline: write_areas + full "
                "retag | save / baseline | full retag alone (nothing to change) "
                "| retag changed after a save |"
            )
            print("|---|---|---|---|---|---|---|")
            for number, (label, geometry) in enumerate(DRAWN.items()):
                saves, baselines, retags, leftover, tagged = [], [], [], 0, 0
                for turn in range(args.repeat):
                    started = time.perf_counter()
                    saved = store.save_drawn_area(drawn(f"drawn-{number}-{turn}", geometry), "b")
                    saves.append(time.perf_counter() - started)
                    tagged = saved.tagged
                    started = time.perf_counter()
                    leftover += store.retag()
                    retags.append(time.perf_counter() - started)
                    # The admin's path for the same shape under another id: every area written
                    # (write_areas numbers positions from the frame), then every event retagged.
                    started = time.perf_counter()
                    more = pd.concat([store.areas(), drawn(f"admin-{number}-{turn}", geometry)])
                    store.write_areas(gpd.GeoDataFrame(more, crs="EPSG:4326"))
                    store.retag()
                    baselines.append(time.perf_counter() - started)
                save, baseline = statistics.median(saves), statistics.median(baselines)
                print(
                    f"| {label} | {tagged:,} | {save:.2f} s | {baseline:.2f} s | "
                    f"{save / baseline:.2f}× | {statistics.median(retags):.2f} s | {leftover} |"
                )


if __name__ == "__main__":
    main()
