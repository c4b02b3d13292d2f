"""How long a restart keeps analysts waiting, beside the naive app, in one run.

    python bench/restart.py [--events 100000] [--added 1000]

It writes --events synthetic valid events (bench/synthetic.py, files of 5,000) into a temporary
GEODATA_DIR and, for each app below, starts a real `streamlit run` and opens it once in
headless Chromium. Cold start: from the moment the server process is started until the first
visit's map represents every event (read from the page's own clock, as in bench.py), with the
part until the server answers its health check, and the server's memory after the visit:
  - the floor: an empty Streamlit page with one selectbox (bench/floor_app.py), until it shows;
  - the naive app: geopandas + folium's FastMarkerCluster, no validation (bench/naive_app.py);
  - the dashboard with no cache (GEODATA_CACHE_DIR=off): every file read and checked, as it
    was before the cache;
  - the dashboard's first start with an empty cache, which it fills;
  - the dashboard's restart with that cache.
Then, in the last one's open page, it adds one file of --added events and asks for a rerun
(Streamlit's "R" key, as an analyst would after adding a file): the seconds until the map
represents every event, the new ones included, and the server's part of that (the rerun asked
for on the websocket until its end comes back) beside the same for a rerun with no change.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import REPO, launch_chromium, map_frame, streamlit_server  # noqa: E402
from load import ServerReplies  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import synthetic_event, write_synthetic  # noqa: E402

from bench import FLOOR_CLOCK, new_page, now_ms, painted_at  # noqa: E402

HERE = Path(__file__).resolve().parent
GOAL_RATIO = 1.5  # the dashboard's restart against the naive app's cold start
GOAL_ADDED_S = 2.0  # adding one file: the rerun until the map has it
TIMEOUT_MS = 600_000
# In the naive app's map frame: when its marker clusters first hold `window.__expected` events.
NAIVE_CLOCK = """
if (window.top !== window) {
  const watch = setInterval(() => {
    if (!window.map || !window.L || !L.MarkerClusterGroup) { return; }
    let held = 0;
    window.map.eachLayer(layer => {
      if (layer instanceof L.MarkerClusterGroup) { held += layer.getLayers().length; }
    });
    if (held > 0) {
      window.__held = held;
      window.__paintedAt = performance.timeOrigin + performance.now();
      clearInterval(watch);
    }
  }, 10);
}
"""


@dataclass
class ColdStart:
    name: str
    total: float  # process start until the first visit is painted, s
    server_up: float  # process start until the health check answers, s
    rss: float  # the server's memory after the visit, MB


def floor_start(browser) -> ColdStart:
    started = now_ms()
    with streamlit_server(Path("."), script=HERE / "floor_app.py") as server:
        up = now_ms()
        context, page, outside = new_page(browser, FLOOR_CLOCK)
        page.goto(server.url)
        page.get_by_text("chosen: any").wait_for(timeout=TIMEOUT_MS)
        shown = page.evaluate("() => window.__chosen[0][1]")
        assert not outside, outside
        context.close()
        return ColdStart(
            "floor (1 selectbox)", (shown - started) / 1000, (up - started) / 1000, server.rss_mb()
        )


def naive_start(browser, root: Path, total: int, folder: Path) -> ColdStart:
    """The naive app, run from a folder whose static/ is the repository's (Streamlit serves
    static/ beside the main script)."""
    folder.mkdir()
    (folder / "naive_app.py").symlink_to(HERE / "naive_app.py")
    (folder / "static").symlink_to(REPO / "static")
    started = now_ms()
    with streamlit_server(root, script=folder / "naive_app.py") as server:
        up = now_ms()
        context, page, outside = new_page(browser, NAIVE_CLOCK)
        page.goto(server.url, timeout=TIMEOUT_MS)
        frame = map_frame(page, timeout=TIMEOUT_MS)
        painted = frame.wait_for_function(
            "() => window.__paintedAt", polling=50, timeout=TIMEOUT_MS
        ).json_value()
        held = frame.evaluate("() => window.__held")
        assert held == total, f"the naive app holds {held} of {total} events"
        assert not outside, outside
        context.close()
        return ColdStart(
            "naive streamlit-folium app",
            (painted - started) / 1000,
            (up - started) / 1000,
            server.rss_mb(),
        )


def dashboard_start(browser, root: Path, total: int, name: str, added: int = 0):
    """The dashboard's cold start (GEODATA_CACHE_DIR as set by the caller); with `added`, also
    the seconds from asking for a rerun after adding a file of `added` events until the map
    has them."""
    started = now_ms()
    with streamlit_server(root) as server:
        up = now_ms()
        context, page, outside = new_page(browser)
        replies = ServerReplies(page)
        page.goto(server.url, timeout=TIMEOUT_MS)
        frame = map_frame(page, timeout=TIMEOUT_MS)
        painted = painted_at(frame, total, started, timeout=TIMEOUT_MS)
        start = ColdStart(name, (painted - started) / 1000, (up - started) / 1000, server.rss_mb())
        repaint = None
        if added:
            page.wait_for_timeout(3000)  # the timeline and table, which follow the map
            # The same rerun with no change first: the server's time for it, as a baseline.
            plain = server_rerun(page, replies)
            page.wait_for_timeout(2000)
            add_file(root, total, added)
            since, asked = time.perf_counter(), now_ms()
            ask_for_rerun(page)
            painted = painted_at(frame, total + added, asked, timeout=60_000)
            repaint = Repaint((painted - asked) / 1000, server_reply(page, replies, since), plain)
        assert not outside, outside
        context.close()
        return start, repaint


@dataclass
class Repaint:
    """After a file is added: the rerun until the map has the new events, the server's part
    of it (rerun asked for until the run ends), and the server's part of a rerun with no
    change."""

    total: float
    server: float
    plain_server: float


def ask_for_rerun(page) -> None:
    """Streamlit's "R" key, with the focus on the page rather than in a widget."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("r")


def server_rerun(page, replies: ServerReplies) -> float:
    since = time.perf_counter()
    ask_for_rerun(page)
    return server_reply(page, replies, since)


def server_reply(page, replies: ServerReplies, since: float) -> float:
    """Seconds from the first rerun asked for after `since` until its run ended."""
    for _ in range(1200):
        reply = replies.reply_seconds(since)
        if reply is not None:
            return reply
        page.wait_for_timeout(50)  # Playwright delivers the websocket's frames meanwhile
    raise TimeoutError("the rerun did not end within a minute")


def add_file(root: Path, existing: int, count: int) -> None:
    """One more events file of `count` synthetic events, numbered after the `existing` ones."""
    rng = random.Random(11)
    features = [synthetic_event(number, rng) for number in range(existing, existing + count)]
    path = root / "events" / "added.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=1000)
    args = parser.parse_args()
    rows: list[ColdStart] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        root = write_synthetic(args.events, Path(tmp) / "geodata")
        cache = Path(tmp) / "cache"
        browser = launch_chromium(playwright)
        rows.append(floor_start(browser))
        rows.append(naive_start(browser, root, args.events, Path(tmp) / "naive"))
        runs = [  # name, GEODATA_CACHE_DIR, whether a file is then added
            ("dashboard, no cache (as before)", "off", False),
            ("dashboard, first start (cache empty, filled)", str(cache), False),
            ("dashboard, restart (cache filled)", str(cache), True),
        ]
        shutil.rmtree(cache, ignore_errors=True)
        repaint = None
        for name, setting, then_add in runs:
            os.environ["GEODATA_CACHE_DIR"] = setting
            start, added = dashboard_start(
                browser, root, args.events, name, args.added if then_add else 0
            )
            rows.append(start)
            repaint = added if added is not None else repaint
        browser.close()
    print(f"{args.events:,} events in {-(-args.events // 5000)} files\n")
    print("| app | start → first visit painted | of which server up | server RSS |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {row.name} | {row.total:.2f} s | {row.server_up:.2f} s | {row.rss:.0f} MB |")
    naive = next(row for row in rows if row.name.startswith("naive"))
    print()
    for row in rows[2:]:
        ratio = row.total / naive.total
        verdict = "OK" if ratio <= GOAL_RATIO else "over"
        print(f"{row.name}: {ratio:.2f} × the naive app's (goal ≤ {GOAL_RATIO:g}: {verdict})")
    if repaint is not None:
        verdict = "OK" if repaint.total <= GOAL_ADDED_S else "over"
        print(
            f"one file of {args.added:,} events added to {args.events:,}: rerun → map has them "
            f"in {repaint.total:.2f} s (goal ≤ {GOAL_ADDED_S:g} s: {verdict}); the server's "
            f"run {repaint.server:.2f} s, against {repaint.plain_server:.2f} s for a rerun "
            "with no change"
        )


if __name__ == "__main__":
    start_time = time.monotonic()
    main()
    print(f"\nTotal run time: {time.monotonic() - start_time:.0f} s")
