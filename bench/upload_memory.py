"""Does a dashboard process give back the memory of large uploads once their sessions end?

    python bench/upload_memory.py [--events 10000] [--sessions 5] [--upload-mb 19]
                                  [--kind geojson|csv] [--ttl 15] [--checkout DIR]

Starts the dashboard (files mode, the repository's config, MALLOC_ARENA_MAX=2 as `make run`
and the Dockerfile set it) on a synthetic data directory of --events events, with
server.disconnectedSessionTTL set to --ttl seconds (default 120 s in Streamlit; shortened so
the run is minutes, not hours: the same code frees the sessions either way). Then, through
real browsers (Playwright, Chromium) and the dashboard's own uploader:

  1. one warm-up session opens the page (the data is read) and is closed; after the TTL the
     process's resident memory (RSS, /proc) is sampled for a few seconds: **idle before**,
     the baseline of this run;
  2. --sessions sessions open the page and each uploads its own file of about --upload-mb MB
     (GeoJSON of up to 20,000 events with long summaries, or the same events as CSV), waiting
     until its "Events shown" metric counts the upload's events: the upload went through the
     whole upload path (the uploaded-file manager, read_upload, the map's data); RSS is
     sampled every 0.5 s meanwhile: **peak**;
  3. every browser is closed; after the TTL (plus a margin) RSS is sampled again: **after**.

It prints the three figures, after − before, and after as a multiple of before: the process
should come back near its idle size (issue 25: it stayed at 1.4 GB after 324 MB before).
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from browser import REPO, block_outside_requests, launch_chromium, streamlit_server  # noqa: E402
from load import RssSampler  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

UPLOADER = '.st-key-uploads [data-testid="stFileUploaderDropzoneInput"]'
METRIC = '[data-testid="stSidebar"] [data-testid="stMetricValue"]'
MAX_EVENTS = 20_000  # layers.read.upload.MAX_UPLOAD_EVENTS
PAGE_TIMEOUT_MS = 600_000


def upload_features(session: int, target_bytes: int) -> list[dict]:
    """Up to MAX_EVENTS valid events whose GeoJSON is about `target_bytes`: each holds a long
    summary, as an analyst's notes do; ids are the session's own."""
    per_event = max(target_bytes // MAX_EVENTS, 300)
    count = min(MAX_EVENTS, max(1, target_bytes // per_event))
    filler = "Seen from the patrol aircraft; course and speed noted in the log. "
    summary = (filler * (per_event // len(filler) + 1))[: max(per_event - 420, 10)]
    return [
        {
            "type": "Feature",
            "properties": {
                "id": f"s{session}-sighting-{number:05d}",
                "title": f"Sighting {number} of session {session}",
                "summary": summary,
                "kind": "patrol",
                "start": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
                "nations": ["CHN"] if number % 2 else ["JPN"],
                "sources": [{"title": "Team log", "published": "2024-07"}],
            },
            "geometry": {
                "type": "Point",
                "coordinates": [120 + (number % 1000) / 100, 20 + (number % 700) / 100],
            },
        }
        for number in range(count)
    ]


def write_upload(folder: Path, session: int, kind: str, target_bytes: int) -> tuple[Path, int]:
    """The session's upload file and how many events it holds."""
    features = upload_features(session, target_bytes)
    if kind == "geojson":
        path = folder / f"sightings-{session}.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        return path, len(features)
    rows = [
        [
            p["id"],
            p["title"],
            p["summary"],
            p["kind"],
            p["start"],
            ",".join(p["nations"]),
            f["geometry"]["coordinates"][1],
            f["geometry"]["coordinates"][0],
            "Team log",
        ]
        for f in features
        for p in [f["properties"]]
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "title", "summary", "kind", "start", "nations", "lat", "lon", "source_title"]
    )
    writer.writerows(rows)
    path = folder / f"sightings-{session}.csv"
    path.write_text(out.getvalue())
    return path, len(features)


def settle_rss(server, seconds: float) -> float:
    """The median of RSS samples taken every 0.5 s over `seconds` (MB)."""
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        samples.append(server.rss_mb())
        time.sleep(0.5)
    return statistics.median(samples)


def wait_shown(page, expected: int) -> None:
    """Wait until the sidebar's "Events shown" metric reads `expected`."""
    page.wait_for_function(
        """([selector, expected]) => {
             const m = document.querySelector(selector);
             return !!m && m.textContent.replace(/[^0-9]/g, "") === String(expected); }""",
        arg=[METRIC, expected],
        timeout=PAGE_TIMEOUT_MS,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the data")
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--upload-mb", type=float, default=19.0, help="size of each upload")
    parser.add_argument("--kind", choices=("geojson", "csv"), default="geojson")
    parser.add_argument("--ttl", type=float, default=15.0, help="disconnectedSessionTTL, s")
    parser.add_argument(
        "--checkout",
        type=Path,
        default=REPO,
        help="run this checkout's dashboard (e.g. main's, from git archive) to compare",
    )
    args = parser.parse_args()

    os.environ["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(int(args.ttl))
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        root = write_synthetic(args.events, folder / "geodata")
        uploads = [
            write_upload(folder, session, args.kind, int(args.upload_mb * 1024 * 1024))
            for session in range(args.sessions)
        ]
        script = args.checkout / "dashboard.py"
        server = stack.enter_context(streamlit_server(root, script, args.checkout))
        print(
            f"dashboard {script} (pid {server.process.pid}), {args.events:,} events in files mode"
        )
        sizes = ", ".join(f"{path.stat().st_size / 1e6:.1f} MB" for path, _ in uploads)
        print(f"{args.sessions} uploads ({args.kind}, {uploads[0][1]:,} events each): {sizes}")
        playwright = stack.enter_context(sync_playwright())
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        outside: list[str] = []

        def open_page():
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            page = context.new_page()
            outside.extend(block_outside_requests(page))
            page.goto(server.url, timeout=PAGE_TIMEOUT_MS)
            wait_shown(page, args.events)
            return context, page

        started = server.rss_mb()
        warm, _ = open_page()
        warm.close()
        time.sleep(args.ttl + 5)
        before = settle_rss(server, 5)

        with RssSampler(server) as sampler:
            pages = [open_page() for _ in uploads]
            for (_, page), (path, count) in zip(pages, uploads, strict=True):
                page.locator(UPLOADER).set_input_files(str(path))
                wait_shown(page, args.events + count)
            loaded = server.rss_mb()
            for context, _ in pages:
                context.close()
        peak = max(sampler.peak or 0, loaded)
        time.sleep(args.ttl + 10)
        after = settle_rss(server, 10)

        print(f"RSS at start (no session yet): {started:,.0f} MB")
        print(f"RSS idle before the uploads (baseline): {before:,.0f} MB")
        print(f"RSS at peak, {args.sessions} sessions with their uploads: {peak:,.0f} MB")
        print(f"RSS with all {args.sessions} uploads shown: {loaded:,.0f} MB")
        print(
            f"RSS after the sessions closed and {args.ttl:.0f} s TTL: {after:,.0f} MB "
            f"({after - before:+,.0f} MB against the baseline, {after / before:.2f} ×)"
        )
        if outside:
            print(f"requests that tried to leave the machine: {outside[:5]}")


if __name__ == "__main__":
    main()
