"""How long a restart keeps analysts waiting, beside the naive app, in one run.

    python bench/restart.py [--events 100000] [--added 1000] [--repeat 3]

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
The two slow starts run once; the floor, the naive app and the restart then run --repeat
times in turn (medians and ranges printed), so a change in the machine's load weighs on all
three alike. Then, in the last restart's open page, it adds one file of --added events and asks
for a rerun (Streamlit's "R" key, as an analyst would after adding a file): the seconds until
the map represents every event, the new ones included, and the server's part of that (the
rerun asked for on the websocket until its end comes back) beside the same for a rerun with no
change.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
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


def naive_app_folder(folder: Path) -> Path:
    """A folder to run the naive app from: Streamlit serves static/ beside the main script,
    and this one's static/ is the repository's."""
    folder.mkdir()
    (folder / "naive_app.py").symlink_to(HERE / "naive_app.py")
    (folder / "static").symlink_to(REPO / "static")
    return folder


def naive_start(browser, root: Path, total: int, folder: Path) -> ColdStart:
    """The naive app's cold start (run from `naive_app_folder`)."""
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


NO_CACHE = "dashboard, no cache (as before)"
FIRST_START = "dashboard, first start (cache empty, filled)"
RESTART = "dashboard, restart (cache filled)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=1000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of floor, naive app and restart, in turn"
    )
    args = parser.parse_args()
    rows: dict[str, list[ColdStart]] = {}
    repaint = None
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        root = write_synthetic(args.events, Path(tmp) / "geodata")
        cache = Path(tmp) / "cache"
        naive_folder = naive_app_folder(Path(tmp) / "naive")
        browser = launch_chromium(playwright)
        # The two slow starts once; then the floor, the naive app and the dashboard's restart
        # in turn, so a change in the machine's load weighs on all three alike.
        for name, setting in ((NO_CACHE, "off"), (FIRST_START, str(cache))):
            os.environ["GEODATA_CACHE_DIR"] = setting
            rows[name] = [dashboard_start(browser, root, args.events, name)[0]]
        for round_number in range(args.repeat):
            rows.setdefault("floor", []).append(floor_start(browser))
            rows.setdefault("naive", []).append(
                naive_start(browser, root, args.events, naive_folder)
            )
            last = round_number == args.repeat - 1
            start, added = dashboard_start(
                browser, root, args.events, RESTART, args.added if last else 0
            )
            rows.setdefault(RESTART, []).append(start)
            repaint = added or repaint
        browser.close()
    report(rows, repaint, args)


def report(rows: dict[str, list[ColdStart]], repaint: Repaint | None, args) -> None:
    print(f"{args.events:,} events in {-(-args.events // 5000)} files\n")
    print(
        "| app | runs | start → first visit painted, median (range) | of which server up "
        "| server RSS |"
    )
    print("|---|---|---|---|---|")
    order = ["floor", "naive", NO_CACHE, FIRST_START, RESTART]
    for key in order:
        starts = rows[key]
        totals = [start.total for start in starts]
        spread = f" ({min(totals):.2f}–{max(totals):.2f} s)" if len(totals) > 1 else ""
        up = statistics.median(start.server_up for start in starts)
        print(
            f"| {starts[0].name} | {len(starts)} | {statistics.median(totals):.2f} s{spread} "
            f"| {up:.2f} s | {starts[-1].rss:.0f} MB |"
        )
    naive = statistics.median(start.total for start in rows["naive"])
    print()
    for key in (NO_CACHE, FIRST_START, RESTART):
        ratio = statistics.median(start.total for start in rows[key]) / naive
        verdict = "OK" if ratio <= GOAL_RATIO else "over"
        print(f"{key}: {ratio:.2f} × the naive app's (goal ≤ {GOAL_RATIO:g}: {verdict})")
    pairs = [mine.total / theirs.total for mine, theirs in zip(rows[RESTART], rows["naive"])]
    print(f"  restart / naive app, round by round: {', '.join(f'{p:.2f}' for p in pairs)}")
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
