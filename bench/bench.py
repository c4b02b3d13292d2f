"""How fast the dashboard paints and repaints, in headless Chromium against `streamlit run`.

    python bench/bench.py [--sizes 1000 10000] [--repeat 3]

For each data size N it writes N synthetic valid events (bench/synthetic.py) into a temporary
GEODATA_DIR, starts a real server and measures:
  - first paint at zoom 12: page load until the basemap's land tiles for a view of Tokyo Bay
    at zoom 12 are drawn (median of three visits);
  - first paint: page load until the map represents every event, drawn or counted in a cluster
    (cold: first visit after the server starts, data read and validated; warm: median of three
    later visits); page complete: until the timeline and table, which follow the map, are in;
  - filter change: picking a nation in the sidebar until the map represents exactly the
    matching events (median of --repeat changes), with the websocket bytes received for it;
  - pan/zoom: a map move (zoom in on hot spots, pan, zoom out), from the moment the map
    arrives at the new view (after Leaflet's 0.25 s zoom animation) until it holds the layers
    for that view, and the same from the call that starts the move, with the websocket bytes
    received for it;
  - the server's resident memory at the end.
The floor is an empty Streamlit page with one selectbox (bench/floor_app.py), measured the same
way in the same run. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from browser import (  # noqa: E402
    REPRESENTED_EVENTS,
    block_outside_requests,
    launch_chromium,
    map_frame,
    streamlit_server,
)
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

from layers.aggregate import DETAIL_LIMIT  # noqa: E402

HERE = Path(__file__).resolve().parent
# Nations picked in turn for the filter changes, and the event count each leaves on the map.
PICKS = ["JPN", "TWN", "CHN", "USA", "PHL"]


def count_with_nation(root: Path, picked: list[str]) -> int:
    count = 0
    for path in (root / "events").glob("*.geojson"):
        for feature in json.loads(path.read_text())["features"]:
            if set(feature["properties"]["nations"]) & set(picked):
                count += 1
    return count


class WebsocketBytes:
    """Bytes the page receives over Streamlit's websocket."""

    def __init__(self, page):
        self.total = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload):
        self.total += len(payload)


# Timing is read from the page's own clock, not from when Playwright notices: its polls queue
# behind the page's work on a busy renderer and arrive up to ~0.9 s late here. In the map's
# frame, a check every 10 ms for changes to Leaflet's event layers (not the basemap) logs
# [map updates so far, events represented, wall-clock ms]. Waits read that log too: polling
# a count of the map's layers in K pages at once was load of its own.
MAP_CLOCK = f"""
if (window.top !== window) {{
  window.__paintLog = [];
  let changes = 0, seen = 0, watched = null;
  setInterval(() => {{
    const map = window.map;
    if (!map || !map._loaded) {{ return; }}
    if (watched !== map) {{  // count layer changes with Leaflet's events: no walk per tick
      watched = map;
      map.on("layeradd layerremove", (event) => {{
        const options = event.layer && event.layer.options;
        if (!options || options.pane !== "basemap") {{ changes += 1; }}
      }});
      changes += 1;
    }}
    if (changes !== seen) {{
      seen = changes;
      window.__paintLog.push([window.__layersUpdated || 0, ({REPRESENTED_EVENTS})(),
                              performance.timeOrigin + performance.now()]);
    }}
  }}, 10);
}} else {{
  // The top page: when the table and the timeline first stand drawn ("page complete").
  window.__completeAt = null;
  const watcher = new MutationObserver(() => {{
    if (document.querySelector('[data-testid="stDataFrame"] canvas') && document.querySelector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')) {{
      window.__completeAt = performance.timeOrigin + performance.now();
      watcher.disconnect();
    }}
  }});
  watcher.observe(document, {{subtree: true, childList: true}});
}}
"""
# On the floor page: when each "chosen: …" text first appeared, by the page's clock.
FLOOR_CLOCK = """
if (window.top === window) {
  window.__chosen = [];
  new MutationObserver(() => {
    const match = document.body && document.body.innerText.match(/chosen: (\\w+)/);
    const last = window.__chosen[window.__chosen.length - 1];
    if (match && (!last || last[0] !== match[1])) {
      window.__chosen.push([match[1], performance.timeOrigin + performance.now()]);
    }
  }).observe(document, {subtree: true, childList: true, characterData: true});
}
"""


def now_ms() -> float:
    return time.time() * 1000


def new_page(browser, clock: str = MAP_CLOCK):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(clock)
    page = context.new_page()
    outside = block_outside_requests(page)
    return context, page, outside


# The page-clock time of the first logged frame with `n` events at or after `after`, or null.
LOGGED = """([n, after]) => {
  const entry = (window.__paintLog || []).find(e => e[1] === n && e[2] >= after);
  return entry ? entry[2] : null;
}"""


def painted_at(frame, count: int, after_ms: float = 0, timeout: float = 120_000) -> float:
    """Wait until the map represents `count` events after `after_ms`; return when it first
    did, by the page's clock."""
    return frame.wait_for_function(
        LOGGED, arg=[count, after_ms], polling=50, timeout=timeout
    ).json_value()


def wait_for_count(frame, count: int, timeout: float = 120_000) -> None:
    painted_at(frame, count, 0, timeout)


def settled_at(frame, after_update: int) -> float:
    """The page-clock time of the last change to the event layers since map update
    `after_update` (the update's layers, then the clusters drawn from them)."""
    log = frame.evaluate("() => window.__paintLog")
    return max(at for updates, _, at in log if updates > after_update)


def first_paint(browser, url: str, total: int) -> tuple[float, float]:
    """Seconds until the map represents every event, and until the timeline and table are in."""
    context, page, outside = new_page(browser)
    started = now_ms()
    page.goto(url)
    frame = map_frame(page, timeout=180_000)
    painted = (painted_at(frame, total, started) - started) / 1000
    completed_at = page.wait_for_function(
        "() => window.__completeAt", polling=50, timeout=120_000
    ).json_value()
    complete = (completed_at - started) / 1000
    assert not outside, outside
    context.close()
    return painted, complete


# Where "first paint at zoom 12" looks: Tokyo Bay, the densest coastline of the region's tiles.
ZOOM_12_VIEW = "lat=35.3&lon=139.75&zoom=12"


def basemap_paint(browser, url: str) -> float:
    """Seconds from page load until the basemap's land tiles for a zoom-12 view are drawn
    (the basemap marks the moment, by the page's clock, in window.__basemapDrawnAt)."""
    context, page, outside = new_page(browser)
    started = now_ms()
    page.goto(f"{url}/?{ZOOM_12_VIEW}")
    frame = map_frame(page, timeout=180_000)
    drawn_at = frame.wait_for_function(
        "() => (document.querySelector('.leaflet-container').getAttribute('data-basemap') || '')"
        ".startsWith('z9:') && window.__basemapDrawnAt",
        polling=50,
        timeout=120_000,
    ).json_value()
    assert not outside, outside
    context.close()
    return (drawn_at - started) / 1000


def filter_changes(browser, url: str, root: Path, total: int, repeat: int) -> tuple[list, list]:
    context, page, outside = new_page(browser)
    received = WebsocketBytes(page)
    page.goto(url)
    frame = map_frame(page, timeout=180_000)
    wait_for_count(frame, total)
    page.wait_for_timeout(1500)  # let the map's first report (position) settle
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Participating nations")
    times, sizes = [], []
    for step in range(repeat):
        expected = count_with_nation(root, PICKS[: step + 1])
        box.locator("input").click()
        option = page.get_by_role("option", name=f"({PICKS[step]})")
        before = received.total
        started = now_ms()
        option.click()
        times.append((painted_at(frame, expected, started) - started) / 1000)
        page.keyboard.press("Escape")
        page.wait_for_timeout(1500)  # the table and the rest of the run's messages arrive
        sizes.append(received.total - before)
    assert not outside, outside
    context.close()
    return times, sizes


# Map moves for the pan/zoom figure: zoom in on hot spots, pan along, zoom back out.
MOVES = [([24.5, 120.5], 7), ([25.8, 123.5], 8), ([22.0, 122.5], 8), ([27.0, 130.0], 4)]


def pan_and_zoom(browser, url: str, total: int) -> tuple[list, list, list]:
    """Per map move: seconds from the map arriving at the new view (Leaflet's moveend, after
    its 0.25 s zoom animation) until it holds the new view's layers; the same from the call
    that starts the move; the websocket bytes received for it."""
    context, page, outside = new_page(browser)
    received = WebsocketBytes(page)
    page.goto(url)
    frame = map_frame(page, timeout=180_000)
    wait_for_count(frame, total)
    page.wait_for_timeout(1500)
    after_move, from_call, sizes = [], [], []
    for center, zoom in MOVES:
        updates = frame.evaluate("() => window.__layersUpdated || 0")
        before = received.total
        frame.evaluate(
            """() => { window.map.once("moveend", () => {
                 window.__movedAt = performance.timeOrigin + performance.now(); }); }"""
        )
        started = now_ms()
        frame.evaluate("([center, zoom]) => { window.map.setView(center, zoom); }", [center, zoom])
        if total <= DETAIL_LIMIT:
            continue  # every event is already on the map: a move sends nothing
        frame.wait_for_function(
            f"() => (window.__layersUpdated || 0) > {updates}", polling="raf", timeout=60_000
        )
        page.wait_for_timeout(500)  # the clusters are drawn just after the update
        settled = settled_at(frame, updates)
        # Since a zoom is reported when its animation starts, its layers may be in before the
        # animation ends: that counts as no wait at all, not as a negative one.
        after_move.append(max(0.0, settled - frame.evaluate("() => window.__movedAt")) / 1000)
        from_call.append((settled - started) / 1000)
        sizes.append(received.total - before)
        page.wait_for_timeout(1000)
    assert not outside, outside
    context.close()
    return after_move, from_call, sizes


def floor(browser, repeat: int) -> dict:
    with streamlit_server(Path("."), script=HERE / "floor_app.py") as server:
        paints = []
        for _ in range(4):  # a fresh browser context each time, as for the dashboard
            context, page, _ = new_page(browser, FLOOR_CLOCK)
            started = now_ms()
            page.goto(server.url)
            page.get_by_text("chosen: any").wait_for()
            paints.append((page.evaluate("() => window.__chosen[0][1]") - started) / 1000)
            context.close()
        paint = statistics.median(paints[1:])  # the first visit is the cold one
        context, page, _ = new_page(browser, FLOOR_CLOCK)
        page.goto(server.url)
        page.get_by_text("chosen: any").wait_for()
        times = []
        for step in range(repeat):
            choice = ["JPN", "TWN"][step % 2]
            page.locator('[data-testid="stSelectbox"]').click()
            option = page.get_by_role("option", name=choice)
            started = now_ms()
            option.click()
            page.get_by_text(f"chosen: {choice}").wait_for()
            shown = page.evaluate("() => window.__chosen[window.__chosen.length - 1][1]")
            times.append((shown - started) / 1000)
        context.close()
        return {
            "first paint": paint,
            "filter change": statistics.median(times),
            "rss": server.rss_mb(),
        }


def measure(browser, size: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(size, Path(tmp) / "geodata")
        return measure_data(browser, root, size, repeat)


def measure_data(browser, root: Path, size: int, repeat: int) -> dict:
    """Every figure for the data directory `root` of `size` events (bench/tracks.py measures
    tracks with it too)."""
    total = count_with_nation(root, []) or size
    with streamlit_server(root) as server:
        cold, _ = first_paint(browser, server.url, size)
        warm_runs = [first_paint(browser, server.url, size) for _ in range(3)]
        zoom_12 = statistics.median(basemap_paint(browser, server.url) for _ in range(3))
        times, sizes = filter_changes(browser, server.url, root, total, repeat)
        moves, moves_from_call, move_sizes = pan_and_zoom(browser, server.url, size)
        moved = {}
        if moves:  # none when every event is already drawn: a move sends nothing
            moved = {
                "pan/zoom": statistics.median(moves),
                "pan/zoom max": max(moves),
                "pan/zoom from call": statistics.median(moves_from_call),
                "bytes per move": statistics.median(move_sizes),
            }
        return moved | {
            "cold first paint": cold,
            "first paint": statistics.median(paint for paint, _ in warm_runs),
            "zoom 12 basemap": zoom_12,
            "page complete": statistics.median(complete for _, complete in warm_runs),
            "filter change": statistics.median(times),
            "filter change max": max(times),
            "bytes per change": statistics.median(sizes),
            "rss": server.rss_mb(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        rows = {"floor (1 selectbox)": floor(browser, args.repeat)}
        for size in args.sizes:
            rows[f"{size:,} events"] = measure(browser, size, args.repeat)
        browser.close()
    print(
        "| data | first paint (warm) | first paint at zoom 12 (basemap drawn) "
        "| page complete | first paint (cold) "
        "| filter change (median / max) | bytes per change "
        "| pan/zoom after the move, median / max (from the call) "
        "| bytes per move | server RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        cold = f"{row['cold first paint']:.2f} s" if "cold first paint" in row else "–"
        complete = f"{row['page complete']:.2f} s" if "page complete" in row else "–"
        zoom_12 = f"{row['zoom 12 basemap']:.2f} s" if "zoom 12 basemap" in row else "–"
        change = f"{row['filter change']:.2f} s"
        if "filter change max" in row:
            change += f" / {row['filter change max']:.2f} s"
        size = f"{row['bytes per change'] / 1024:,.0f} KiB" if "bytes per change" in row else "–"
        moves, move_size = "–", "–"
        if "pan/zoom" in row:
            moves = (
                f"{row['pan/zoom']:.2f} s / {row['pan/zoom max']:.2f} s "
                f"({row['pan/zoom from call']:.2f} s)"
            )
            move_size = f"{row['bytes per move'] / 1024:,.0f} KiB"
        print(
            f"| {name} | {row['first paint']:.2f} s | {zoom_12} | {complete} | {cold} | {change} "
            f"| {size} "
            f"| {moves} | {move_size} | {row['rss']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
