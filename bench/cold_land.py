"""When the land shows on a cold visit: this checkout beside a baseline, in one run.

    python bench/cold_land.py [--base REV] [--rounds 5] [--events N] [--shots DIR]

Each round, for each link (zoom 12 over Tokyo Bay, and the README's Boso link at zoom 8) and
for the baseline and this checkout in turn, it starts a fresh `streamlit run` on the same data
and opens the link in a new browser context (an empty cache) at 1366x768: a cold visit. Then
one more visit to the same, now warm, server in another new context (docs/speed.md's "first paint
at zoom 12" was such a visit). The baseline is REV checked out in a temporary worktree
(bench/revisions.py); by default the revision before the map's first view carried its land
(the parent of the commit that added basemap_files.first_view_land), which fetched the land
index and then the tiles after the map was made.

Every time is read from the page's own clock, in seconds from the start of navigation, as the
time of the first frame the browser renders after the change (its animation-frame callbacks:
the map is made and its events added in one task of 0.1-0.5 s here, so the time of the change
itself would put a gap between them that no frame ever showed):
  - frame: the map's frame is on screen (its iframe over 100 px high; blank until the map);
  - map: the map is made, its sea shown (streamlit-folium files it as window.map);
  - events: the map's first event is drawn;
  - land: a land pixel is drawn and shown over a known point of land in the view (Yokohama at
    Tokyo Bay, 35.486N 139.651E; the Boso peninsula, 35.3N 140.25E, for the README link), read
    from the basemap's tile canvas when a land tile is shown;
  - view: the land of the whole view is drawn (the basemap marks its container, data-basemap);
  - sea only: land minus the later of frame and map, the time the map showed its events on open
    sea.
With --shots DIR it also records the frames Chromium paints (a CDP screencast, which
slows the page, so no figure is taken from those visits) and saves, per link and checkout, the
first frame that shows the map and the first that shows land at the known point.
Prints each visit, then the medians (--rounds 0 with --shots: the frames only). Nothing
leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from browser import (  # noqa: E402
    MAP_FRAME,
    block_outside_requests,
    launch_chromium,
    streamlit_server,
)
from playwright.sync_api import sync_playwright  # noqa: E402
from revisions import worktree  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

from layers.map.style import LAND_COLOUR  # noqa: E402

SIZE = (1366, 768)
# (name, file name, query, a point of land and one of open sea in the link's view at SIZE, off
# the graticule's lines and the data's areas and labels, so that a screenshot shows the
# basemap's own colours there)
LINKS = [
    (
        "zoom 12, Tokyo Bay",
        "tokyo-bay-z12",
        "lat=35.5&lon=139.8&zoom=12",
        (35.486, 139.651),
        (35.475, 139.835),
    ),
    (
        "README link (Boso, zoom 8)",
        "readme-link-z8",
        "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=34.9&lon=139.9&zoom=8",
        (35.3, 140.25),
        (34.25, 138.75),
    ),
]
FIGURES = ["frame", "map", "events", "land", "view", "sea only"]

# Run before every page's scripts. In the map's frame: when the map is made (filed as
# window.map), its first event layer, the first land tile shown with the land colour over the
# known point (checked when a land tile is added or shown), and the first data-basemap mark.
# In the top page: when the map's frame first stands over 100 px high (a ResizeObserver, called
# as the page is laid out for a frame). Each time is performance.timeOrigin + now, so the
# frame's and the page's clocks compare.
CLOCK = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__cold = {};
  // A change is seen in the frame painted after it: the time of that frame's animation
  // callbacks, which run once the task that made the change (and any that follow it before the
  // frame) is done. The map is made, its events added and, here, its land drawn in one task.
  const pending = new Set();
  const mark = (name) => {
    if (name in window.__cold || pending.has(name)) { return; }
    pending.add(name);
    requestAnimationFrame(() => { window.__cold[name] = now(); });
  };
  if (window.top === window) {
    const sized = new ResizeObserver(entries => {
      if (entries.some(entry => entry.contentRect.height > 100)) {
        mark("frame");
        sized.disconnect();
      }
    });
    const found = new MutationObserver(() => {
      const frame = document.querySelector('%(frame)s');
      if (frame) { sized.observe(frame); found.disconnect(); }
    });
    found.observe(document, {subtree: true, childList: true});
    return;
  }
  const [lat, lon] = %(land)s, colour = %(colour)s;
  function landShown() {
    const map = window.map, point = map.latLngToContainerPoint([lat, lon]);
    const mapBox = map.getContainer().getBoundingClientRect();
    const x = point.x + mapBox.left, y = point.y + mapBox.top;
    for (const tile of document.querySelectorAll("canvas.basemap-land-tile")) {
      const box = tile.getBoundingClientRect();
      if (getComputedStyle(tile).visibility !== "visible" || x < box.left || x >= box.right ||
          y < box.top || y >= box.bottom) { continue; }
      const ratio = tile.width / box.width, pixel = tile.getContext("2d").getImageData(
        Math.floor((x - box.left) * ratio), Math.floor((y - box.top) * ratio), 1, 1).data;
      if (pixel[0] === colour[0] && pixel[1] === colour[1] && pixel[2] === colour[2]) {
        return true;
      }
    }
    return false;
  }
  const isTile = node => node.classList && node.classList.contains("basemap-land-tile");
  const tiles = new MutationObserver(records => {
    if (!window.map || !records.some(r => isTile(r.target) ||
        Array.from(r.addedNodes).some(n => isTile(n) || (n.querySelector &&
          n.querySelector("canvas.basemap-land-tile"))))) { return; }
    if (landShown()) { mark("land"); tiles.disconnect(); }
  });
  let current = null;
  Object.defineProperty(window, "map", {
    configurable: true,
    get() { return current; },
    set(map) {
      current = map;
      if (!map || typeof map.on !== "function") { return; }
      mark("map");
      tiles.observe(document, {subtree: true, childList: true, attributes: true,
                               attributeFilter: ["class"]});
      new MutationObserver((_, watcher) => {
        mark("view");
        watcher.disconnect();
      }).observe(map.getContainer(), {attributes: true, attributeFilter: ["data-basemap"]});
      if (map.getContainer().getAttribute("data-basemap")) { mark("view"); }
      map.on("layeradd", event => {
        const p = event.layer.feature && event.layer.feature.properties;
        if (p && (p.i || p.n)) { mark("events"); }
      });
      if (landShown()) { mark("land"); }  // drawn with the map, before it was filed
    },
  });
})();
"""


def hex_colour(text: str) -> list[int]:
    return [int(text[i : i + 2], 16) for i in (1, 3, 5)]


def visit(browser, url: str, query: str, land, sea, shots: list | None = None) -> dict:
    """Open `url/?query` in a new context: the figures, in seconds from navigation start.
    With `shots` a list, the frames Chromium paints are added to it, each with the page
    positions of the points `land` and `sea` (lat, lon)."""
    context = browser.new_context(viewport={"width": SIZE[0], "height": SIZE[1]})
    context.add_init_script(
        CLOCK
        % {
            "frame": MAP_FRAME,
            "land": json.dumps(list(land)),
            "colour": json.dumps(hex_colour(LAND_COLOUR)),
        }
    )
    page = context.new_page()
    outside = block_outside_requests(page)
    frames, recording = [], shots is not None
    if shots is not None:
        cdp = context.new_cdp_session(page)

        def keep(frame):
            if recording:
                frames.append((frame["metadata"]["timestamp"], frame["data"]))
                cdp.send("Page.screencastFrameAck", {"sessionId": frame["sessionId"]})

        cdp.on("Page.screencastFrame", keep)
        cdp.send("Page.startScreencast", {"format": "png", "everyNthFrame": 1})
    page.goto(f"{url}/?{query}")
    page.wait_for_selector(MAP_FRAME, timeout=180_000)
    frame = page.query_selector(MAP_FRAME).content_frame()
    frame.wait_for_function(
        "() => window.__cold && ['map', 'events', 'land', 'view'].every(k => k in window.__cold)",
        polling=100,
        timeout=180_000,
    )
    page.wait_for_function("() => 'frame' in window.__cold", timeout=30_000)
    marks = frame.evaluate("() => window.__cold") | page.evaluate("() => window.__cold")
    started = page.evaluate("() => performance.timeOrigin")
    if shots is not None:
        box = page.query_selector(MAP_FRAME).bounding_box()
        points = [
            frame.evaluate(
                "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); "
                "const b = window.map.getContainer().getBoundingClientRect(); "
                "return [p.x + b.left, p.y + b.top]; }",
                list(point),
            )
            for point in (land, sea)
        ]
        # The page settled (the timeline and table follow the map's first report): its
        # screenshot is the reference the painted frames are compared with.
        page.get_by_text("Timeline", exact=True).wait_for(timeout=120_000)
        page.wait_for_timeout(1500)
        recording = False
        cdp.send("Page.stopScreencast")
        settled = base64.b64encode(page.screenshot()).decode()
        where = [(box["x"] + x, box["y"] + y) for x, y in points]
        shots.extend((stamp, data, where) for stamp, data in frames)
        shots.append((float("inf"), settled, where))
    assert not outside, outside
    context.close()
    figures = {name: (marks[name] - started) / 1000 for name in marks}
    figures["sea only"] = max(0.0, figures["land"] - max(figures["frame"], figures["map"]))
    return figures


def save_first_frames(shots: list, directory: Path, stem: str) -> list[str]:
    """Save the first painted frame that shows the map and the first that shows land at the
    known point of land; say what was saved. The map shows when the known point of sea has the
    colour it has once the page has settled (the sea, or the sea under a named area's tint); the
    land when the land point has its settled colour (the land's beige, under any tint)."""
    from io import BytesIO

    from PIL import Image

    def near(pixel, colour) -> bool:
        return max(abs(a - b) for a, b in zip(pixel, colour)) <= 6

    frames = []
    for stamp, data, points in sorted(shots, key=lambda shot: shot[0]):
        image = Image.open(BytesIO(base64.b64decode(data))).convert("RGB")
        scale = image.width / SIZE[0]
        frames.append(
            (stamp, image, [image.getpixel((int(x * scale), int(y * scale))) for x, y in points])
        )
    if not frames:
        return ["no frames recorded"]
    *frames, (_, settled, (land_end, sea_end)) = frames  # the settled page's screenshot
    settled.save(directory / f"{stem}-settled.png")
    # Land is beige (LAND_COLOUR), the sea blue, under any tint of the data's areas.
    if not land_end[0] > land_end[2] or not sea_end[2] > sea_end[0] + 10:
        return [f"{stem}: the points end {land_end} and {sea_end}, not land and sea"]
    saved, map_seen = [], None
    for stamp, image, (at_land, at_sea) in frames:
        if map_seen is None and near(at_sea, sea_end):
            map_seen = stamp
            path = directory / f"{stem}-first-map-frame.png"
            image.save(path)
            saved.append(f"{path}: the first frame with the map")
        if map_seen is not None and near(at_land, land_end):
            path = directory / f"{stem}-first-land-frame.png"
            image.save(path)
            saved.append(f"{path}: the first frame with land, {stamp - map_seen:.2f} s later")
            break
    return saved


def default_base() -> str:
    """The parent of the commit that made the map carry its first view's land."""
    added = subprocess.run(
        ["git", "log", "--format=%H", "-S", "def first_view_land", "--", "layers/map"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if not added:
        raise SystemExit("no commit adds first_view_land here: give --base")
    return f"{added[-1]}~1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="the baseline revision (default: see above)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--events", type=int, default=0, help="synthetic events (default: geodata/)"
    )
    parser.add_argument("--shots", type=Path, help="save first frames here (slower visits)")
    args = parser.parse_args()
    base_rev = subprocess.run(
        ["git", "rev-parse", "--short=10", args.base or default_base()],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with (
        tempfile.TemporaryDirectory() as tmp,
        worktree(base_rev) as base,
        sync_playwright() as playwright,
    ):
        data = write_synthetic(args.events, Path(tmp) / "geodata") if args.events else None
        data = data or REPO / "geodata"
        browser = launch_chromium(playwright)
        checkouts = {f"baseline {base_rev}": base, "this checkout": REPO}
        results = {
            (link, name, kind): {figure: [] for figure in FIGURES}
            for link, *_ in LINKS
            for name in checkouts
            for kind in ("cold", "warm")
        }
        for round_number in range(args.rounds):
            for link, _, query, land, sea in LINKS:
                for name, checkout in checkouts.items():
                    with streamlit_server(data, checkout / "dashboard.py", checkout) as server:
                        for kind in ("cold", "warm"):
                            figures = visit(browser, server.url, query, land, sea)
                            for figure in FIGURES:
                                results[(link, name, kind)][figure].append(figures[figure])
                            print(
                                f"round {round_number + 1} | {link} | {name} | {kind} | "
                                + " | ".join(f"{f} {figures[f]:.2f}" for f in FIGURES),
                                flush=True,
                            )
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
            for _, slug, query, land, sea in LINKS:
                for checkout in checkouts.values():
                    shots: list = []
                    with streamlit_server(data, checkout / "dashboard.py", checkout) as server:
                        visit(browser, server.url, query, land, sea, shots=shots)
                    stem = f"{slug}-{'baseline' if checkout == base else 'now'}"
                    for line in save_first_frames(shots, args.shots, stem):
                        print(line)
        browser.close()
    if not args.rounds:  # --rounds 0 --shots DIR: the frames only
        return
    where = f"{args.events:,} synthetic events" if args.events else "geodata/"
    print(
        f"\nMedians of {args.rounds} rounds, {where}, {SIZE[0]}x{SIZE[1]}, seconds from "
        "navigation start; cold: a freshly started server; both: a new, empty browser context\n"
    )
    print("| link | revision | visit | " + " | ".join(FIGURES) + " |")
    print("|---" * (3 + len(FIGURES)) + "|")
    for (link, name, kind), figures in results.items():
        print(
            f"| {link} | {name} | {kind} | "
            + " | ".join(f"{statistics.median(figures[f]):.2f}" for f in FIGURES)
            + " |"
        )


if __name__ == "__main__":
    main()
