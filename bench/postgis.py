"""The shared PostGIS store at scale: the dashboard on 2 million events beside a smaller store.

    python bench/postgis.py [--sizes 100000 2000000] [--repeat 3] [--no-browser]
                            [--base REV [--rounds 2]]

Starts a throwaway PostgreSQL cluster with PostGIS (tests/postgres.py), and for each size N
loads N synthetic events (bench/synthetic.py `synthetic_frame`, the same hot spots, kinds and
nations as the files benchmark) through the store's import (COPY, indexes built after), then
measures in the same run:

  - what the database answers for a view (the store's own calls, median of --repeat, the
    answers a process keeps dropped before each): the sidebar's summary, the counts for a
    filter change (nations picked one by one, as in bench/bench.py: the sidebar's and the
    timeline's), the table's first page, and what the map asks (layers.store.view.map_parts:
    the window's count, then its events or its counts per cell) for the filter change and per
    map move of bench/bench.py's MOVES, in the window the store path uses (store_window);
  - the real dashboard with EVENTS_DB set (`streamlit run`, headless Chromium, the page's own
    clock as bench/bench.py): first paint cold and warm, filter change, pan/zoom, and the
    server's resident memory, which should not grow with N: the process holds what a view
    shows, not the store;
  - the baselines, measured the same way in the same run (the machine is shared: only figures
    of one run compare): the floor (an empty Streamlit page with one selectbox) and the files
    path on the same synthetic events written as files, at the smallest size;
  - with --base REV, REV's dashboard (a temporary worktree) and this checkout's on each same
    store, alternated --rounds times: what a change of code did, whatever the machine's load.

Nothing leaves 127.0.0.1. Loading 2 million events takes minutes (zone tagging and COPY).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# bench/ first: `bench` is bench/bench.py here, not the folder.
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

import psycopg  # noqa: E402
from browser import launch_chromium, map_frame, streamlit_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from postgres import database_url, throwaway_cluster  # noqa: E402
from synthetic import synthetic_frame  # noqa: E402

from bench import (  # noqa: E402
    MOVES,
    PICKS,
    WebsocketBytes,
    first_paint,
    floor,
    new_page,
    now_ms,
    painted_at,
    pan_and_zoom,
    wait_for_count,
)
from layers.aggregate import (  # noqa: E402
    DETAIL_LIMIT,
    NOMINAL_MAP_PX,
    MapWindow,
    degrees_per_pixel,
    map_window,
)
from layers.export.tables import events_geojson  # noqa: E402
from layers.read.load import GeoData, load_areas  # noqa: E402
from layers.store.postgis import PostgisStore  # noqa: E402
from layers.store.view import store_window  # noqa: E402
from layers.view import View  # noqa: E402

# A server for a benchmark, not for keeps: memory for the events' pages, parallel counting.
SERVER_SETTINGS = {
    "shared_buffers": "1GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
    "max_parallel_workers_per_gather": "2",
}


def load(url: str, size: int) -> tuple[float, float]:
    """A new database of `size` synthetic events; (seconds to build them, seconds to store)."""
    name = f"bench_{size}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    started = time.perf_counter()
    events = synthetic_frame(size)
    built = time.perf_counter() - started
    areas, problems = load_areas(HERE.parent / "geodata")
    assert not problems, problems
    with PostgisStore(database_url(url, name)) as store:
        store.init()
        started = time.perf_counter()
        result = store.import_geodata(GeoData(events, areas))
        stored = time.perf_counter() - started
        assert len(result.added) == size and not result.problems
        with store.connection() as connection:
            connection.execute("VACUUM ANALYZE")
    return built, stored


def timed(call, repeat: int, store: PostgisStore | None = None) -> float:
    """Median seconds of `call`; with `store`, its answers kept per process are dropped
    before each call, so every call asks the database."""
    times = []
    for _ in range(repeat):
        if store is not None:
            store._cells_cache.clear()
            store._counts_cache.clear()
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def store_queries(database: str, repeat: int) -> dict:
    """Seconds the store takes for what the dashboard asks (median of `repeat`)."""
    with PostgisStore(database) as store:
        summary = store.summary()
        months = summary.months
        figures = {"summary": timed(store.summary, repeat)}
        picks = [View(nations=tuple(PICKS[: step + 1])) for step in range(len(PICKS))]

        def counts(view):  # the sidebar's count and the timeline's, as a rerun asks
            store.shown(view, months)
            store.monthly_counts(view, months)

        figures["filter change: counts"] = statistics.median(
            timed(lambda view=view: counts(view), repeat, store) for view in picks
        )
        figures["filter change: table"] = statistics.median(
            timed(lambda view=view: store.table(view, 1000), repeat) for view in picks
        )
        window = window_at((27.0, 130.0), 4)
        figures["filter change: map cells"] = statistics.median(
            timed(lambda view=view: map_query(store, view, window, months), repeat, store)
            for view in picks
        )
        moves = []
        for center, zoom in MOVES:
            window = window_at(center, zoom)
            moves.append(
                timed(lambda window=window: map_query(store, View(), window, months), repeat, store)
            )
        figures["pan/zoom (median of moves)"] = statistics.median(moves)
        figures["pan/zoom (slowest move)"] = max(moves)
    return figures


def window_at(center: tuple[float, float], zoom: int) -> MapWindow:
    """The window the store path uses (layers.store.view.store_window) for a map of
    NOMINAL_MAP_PX centred on `center` (lat, lon) at `zoom`, as the dashboard computes it
    from the map's bounds."""
    lat, lon = center
    half_width = NOMINAL_MAP_PX[0] / 2 * degrees_per_pixel(zoom)
    half_height = NOMINAL_MAP_PX[1] / 2 * degrees_per_pixel(zoom) * math.cos(math.radians(lat))
    bounds = (lon - half_width, lat - half_height, lon + half_width, lat + half_height)
    return store_window(map_window(zoom, bounds=bounds), bounds)


def map_query(store: PostgisStore, view: View, window: MapWindow, months: list[str]) -> None:
    """What the map asks of the store for a view (layers.store.view.map_parts): the window's
    count, then its events when few enough to draw, else its counts per cell."""
    few = store.count_in_window(view, window, DETAIL_LIMIT, months) <= DETAIL_LIMIT
    if not few or store.in_window(view, window, DETAIL_LIMIT) is None:
        store.cells(view, window, months)


def with_nations(events, picked: list[str]) -> int:
    wanted = set(picked)
    return int(sum(bool(wanted.intersection(codes)) for codes in events["nations"]))


def browser_figures(
    browser, database: str | None, size: int, repeat: int, checkout: Path = HERE.parent
) -> dict:
    """The dashboard measured in Chromium on the store `database`, or, with None, on the
    same synthetic events written as files (the files path, bench/synthetic.py); the
    dashboard of `checkout` (this one, or another revision's: --base)."""
    events = synthetic_frame(size)  # the same events, to know what each filter leaves
    with contextlib.ExitStack() as stack:
        if database is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "geodata"
            (root / "events").mkdir(parents=True)
            for number, start in enumerate(range(0, size, 5000)):
                text = events_geojson(events.iloc[start : start + 5000])
                (root / "events" / f"synthetic-{number:03d}.geojson").write_text(text)
            shutil.copytree(HERE.parent / "geodata" / "areas", root / "areas")
        else:
            root = HERE.parent / "geodata"
            os.environ["EVENTS_DB"] = database
            stack.callback(os.environ.pop, "EVENTS_DB", None)
        server = stack.enter_context(
            streamlit_server(root, checkout / "dashboard.py", checkout=checkout)
        )
        cold, _ = first_paint(browser, server.url, size)
        warm = [first_paint(browser, server.url, size) for _ in range(3)]
        context, page, outside = new_page(browser)
        received = WebsocketBytes(page)
        page.goto(server.url)
        frame = map_frame(page, timeout=180_000)
        wait_for_count(frame, size)
        page.wait_for_timeout(1500)
        box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Participating nations")
        changes, sizes = [], []
        for step in range(repeat):
            expected = with_nations(events, PICKS[: step + 1])
            box.locator("input").click()
            # Typed, so the option is at the top (as bench/load.py): a click on one that had
            # to be scrolled to was sometimes lost on a page too busy to keep up.
            box.locator("input").fill(PICKS[step])
            option = page.get_by_role("option", name=f"({PICKS[step]})")
            option.wait_for()
            before = received.total
            started = now_ms()
            option.click()
            changes.append((painted_at(frame, expected, started) - started) / 1000)
            page.keyboard.press("Escape")
            page.wait_for_timeout(1500)
            sizes.append(received.total - before)
        assert not outside, outside
        context.close()
        moves, moves_from_call, _ = pan_and_zoom(browser, server.url, size)
        return {
            "cold first paint": cold,
            "first paint": statistics.median(paint for paint, _ in warm),
            "page complete": statistics.median(complete for _, complete in warm),
            "filter change": statistics.median(changes),
            "filter change max": max(changes),
            "bytes per change": statistics.median(sizes),
            "pan/zoom": statistics.median(moves),
            "pan/zoom max": max(moves),
            "pan/zoom from call": statistics.median(moves_from_call),
            "rss": server.rss_mb(),
        }


def main() -> None:
    # A kill (TERM) unwinds like Ctrl+C: the cluster and the server are stopped and removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 2_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="the store's calls only")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the floor and the files path"
    )
    parser.add_argument(
        "--base",
        help="an earlier revision (git rev) to measure beside this checkout on each store, "
        "the two alternated --rounds times (bench/revisions.py does this for files)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --base")
    args = parser.parse_args()
    if args.base and args.no_browser:
        parser.error("--base compares the dashboards in the browser: drop --no-browser")
    rows = {}
    baselines = {}
    side_by_side: dict[int, dict[str, list[dict]]] = {}
    if not args.no_browser and not args.no_baseline:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            baselines["floor (1 selectbox)"] = floor(browser, args.repeat)
            smallest = min(args.sizes)
            baselines[f"files, {smallest:,} events"] = browser_figures(
                browser, None, smallest, args.repeat
            )
            browser.close()
        print(f"baselines: {baselines}", flush=True)
    with throwaway_cluster(SERVER_SETTINGS) as url:
        for size in args.sizes:
            built, stored = load(url, size)
            database = database_url(url, f"bench_{size}")
            row = {"made": built, "stored": stored, **store_queries(database, args.repeat)}
            if not args.no_browser:
                with sync_playwright() as playwright:
                    browser = launch_chromium(playwright)
                    row |= browser_figures(browser, database, size, args.repeat)
                    if args.base:
                        side_by_side[size] = revisions_alternated(
                            browser, database, size, args.repeat, args.base, args.rounds
                        )
                    browser.close()
            rows[size] = row
            print(f"{size:,} events: {row}", flush=True)
    print(f"\nload average after the run: {os.getloadavg()[0]:.1f} (2 cores)\n")
    print(
        "| store | stored in | summary | filter change: counts / map cells / table "
        "| pan/zoom query, median / slowest |"
    )
    print("|---|---|---|---|---|")
    for size, row in rows.items():
        print(
            f"| {size:,} events | {row['stored']:.0f} s | {row['summary']:.3f} s "
            f"| {row['filter change: counts']:.3f} / {row['filter change: map cells']:.3f} / "
            f"{row['filter change: table']:.3f} s "
            f"| {row['pan/zoom (median of moves)']:.3f} / {row['pan/zoom (slowest move)']:.3f} s |"
        )
    if args.no_browser:
        return
    print(
        "\n| data | first paint (warm) | page complete | first paint (cold) "
        "| filter change (median / max) | bytes per change "
        "| pan/zoom after the move, median / max (from the call) | server RSS |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, row in baselines.items():
        print(browser_row(name, row))
    for size, row in rows.items():
        print(browser_row(f"store, {size:,} events", row))
    for size, runs in side_by_side.items():
        print(f"\n{size:,} events in the store, {args.base} and this checkout alternated:\n")
        print(
            "| revision, round | first paint (warm) | filter change (median / max) "
            "| pan/zoom after the move (median / max) |"
        )
        print("|---|---|---|---|")
        for name, figures in runs.items():
            for number, row in enumerate(figures, 1):
                print(
                    f"| {name}, {number} | {row['first paint']:.2f} s "
                    f"| {row['filter change']:.2f} s / {row['filter change max']:.2f} s "
                    f"| {row['pan/zoom']:.2f} s / {row['pan/zoom max']:.2f} s |"
                )


def revisions_alternated(
    browser, database: str, size: int, repeat: int, base: str, rounds: int
) -> dict[str, list[dict]]:
    """browser_figures for revision `base` (a temporary worktree, bench/revisions.py) and for
    this checkout on the same store, alternated `rounds` times: a change in the machine's load
    weighs on both alike. {name: [figures per round]}."""
    from revisions import worktree

    runs: dict[str, list[dict]] = {base: [], "this checkout": []}
    with worktree(base) as checkout:
        for _ in range(rounds):
            for name, path in ((base, checkout), ("this checkout", HERE.parent)):
                runs[name].append(browser_figures(browser, database, size, repeat, path))
                print(f"{name}: {browser_row(name, runs[name][-1])}", flush=True)
    return runs


def browser_row(name: str, row: dict) -> str:
    def seconds(key: str) -> str:
        return f"{row[key]:.2f} s" if key in row else "–"

    change = seconds("filter change")
    if "filter change max" in row:
        change += f" / {row['filter change max']:.2f} s"
    size = f"{row['bytes per change'] / 1024:,.0f} KiB" if "bytes per change" in row else "–"
    moves = "–"
    if "pan/zoom" in row:
        moves = (
            f"{row['pan/zoom']:.2f} s / {row['pan/zoom max']:.2f} s "
            f"({row['pan/zoom from call']:.2f} s)"
        )
    return (
        f"| {name} | {seconds('first paint')} | {seconds('page complete')} "
        f"| {seconds('cold first paint')} | {change} | {size} | {moves} | {row['rss']:.0f} MB |"
    )


if __name__ == "__main__":
    main()
