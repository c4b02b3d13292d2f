"""Drive the real dashboard: `streamlit run` on a free port, headless Debian Chromium.

Shared by the browser tests and bench/. Every request that leaves 127.0.0.1 is blocked and
recorded, so a test can assert the dashboard works with no network.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the browser tests skip themselves (pytest.importorskip)
    PlaywrightError = PlaywrightTimeoutError = RuntimeError

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing can leave the machine: every request but loopback goes to a proxy port that is
    # closed. Chromium never proxies loopback, so the app itself still loads.
    "--proxy-server=http://127.0.0.1:9",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")

# JavaScript run inside the map's frame: the ids of the events Leaflet is drawing.
DRAWN_EVENT_IDS = """() => {
  const ids = new Set();
  if (!window.map) { return null; }
  window.map.eachLayer(layer => {
    const p = layer.feature && layer.feature.properties;
    if (p && p.i && layer.options.pane !== "basemap") { ids.add(p.i); }
  });
  return Array.from(ids).sort();
}"""
# The number of events the map represents: each drawn event once, plus each cluster's count.
REPRESENTED_EVENTS = """() => {
  if (!window.map) { return -1; }
  const ids = new Set();
  let counted = 0;
  window.map.eachLayer(layer => {
    const p = layer.feature && layer.feature.properties;
    if (!p || layer.options.pane === "basemap") { return; }
    if (p.i) { ids.add(p.i); } else if (p.n) { counted += p.n; }
  });
  return ids.size + counted;
}"""
# The basemap's land tiles for the current view are drawn (OfflineBasemap marks its container).
LAND_DRAWN = """() => !!window.map && !!window.map.getContainer().getAttribute("data-basemap")"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP port is listened on (Linux /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, _, state = line.split()[1:4]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    found.add(address)
    return found


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def rss_mb(self) -> float:
        """The server's resident memory now, in MB (Linux /proc)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        return kb / 1024


@contextmanager
def streamlit_server(
    data_dir: Path | str,
    script: Path = REPO / "dashboard.py",
    checkout: Path = REPO,
    *,
    port: int | None = None,
    options: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
):
    """Run `streamlit run` on a free port (or `port`) with GEODATA_DIR set; yield the Server.
    The server runs in `checkout` (its code and .streamlit/config.toml): this one, or another
    revision's (bench/revisions.py). `options` are more `--name value` flags (a test's own
    `secrets.files`); `env` more environment variables (EVENTS_DB)."""
    port = port or free_port()
    # As deployed (Dockerfile, make run): two malloc arenas for the session threads.
    env = {**os.environ, "GEODATA_DIR": str(data_dir), "MALLOC_ARENA_MAX": "2", **(env or {})}
    flags = [part for name, value in (options or {}).items() for part in (f"--{name}", value)]
    # Output to a file, not a pipe: a pipe nobody reads fills up over a long bench and stops
    # the server at its next log line.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script)]
            + ["--server.port", str(port), "--server.address", "127.0.0.1"]
            + ["--server.headless", "true"]
            + flags,
            cwd=checkout,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, process, log=log)
            yield Server(url, process)
        finally:
            stop(process)


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ask a server to stop (SIGTERM); kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until_healthy(
    url: str, process: subprocess.Popen, timeout: float = 60, log: IO[bytes] | None = None
) -> None:
    """Wait until the server answers its health check; if it exits first, raise RuntimeError
    with what it printed (from its pipe, or from `log`, the file its output went to)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if log is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")
            else:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit at {url} did not become healthy in {timeout} s")


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def block_outside_requests(page) -> list[str]:
    """Record every request that tries to leave the machine (Chromium's launch flags make each
    one fail); return the list they are recorded in.

    Watching requests, rather than routing each one through Playwright, leaves the page's own
    timing alone: routing added about 0.3 s to a first paint here."""
    outside: list[str] = []

    def record(url: str) -> None:
        if not url.startswith(LOCAL_PREFIXES):
            outside.append(url)

    page.on("request", lambda request: record(request.url))
    page.on("websocket", lambda ws: record(ws.url))
    return outside


def map_frame(page, timeout: float = 30_000):
    """The Leaflet map's frame, once the map exists in it."""
    page.wait_for_selector(MAP_FRAME, timeout=timeout)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=timeout)
    handle = page.query_selector(MAP_FRAME)
    content = handle.content_frame()
    content.wait_for_function("() => !!window.map", timeout=timeout)
    return content


def drawn_event_ids(frame) -> list[str]:
    return frame.evaluate(DRAWN_EVENT_IDS)


def wait_for_page_map_drawn(page, expected: list[str], timeout: float = 40_000) -> None:
    """Wait until the page's main map draws exactly `expected` event ids, reading the map's
    frame afresh on each look: a rerun that reorders the page (an import step closing) may
    remount st_folium in a new frame, and a frame read once would be the old one."""
    deadline = time.monotonic() + timeout / 1000
    drawn: object = None
    while time.monotonic() < deadline:
        handle = page.query_selector(MAP_FRAME)
        frame = handle.content_frame() if handle else None
        if frame is not None:
            try:
                drawn = drawn_event_ids(frame)
            except PlaywrightError as error:
                drawn = f"unreadable ({error})"
            if drawn == sorted(expected):
                return
        page.wait_for_timeout(250)
    raise AssertionError(f"the page's map drew {drawn!r} after {timeout / 1000:.0f} s")


def wait_for_drawn(frame, expected: list[str], timeout: float = 15_000) -> None:
    """Wait until the map draws exactly `expected` event ids; on a timeout, say what it drew."""
    try:
        frame.wait_for_function(
            f"expected => JSON.stringify(({DRAWN_EVENT_IDS})()) === JSON.stringify(expected)",
            arg=sorted(expected),
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        try:
            drawn = drawn_event_ids(frame)
        except PlaywrightError as error:
            drawn = f"unreadable ({error})"
        missing = sorted(set(expected) - set(drawn or [])) if isinstance(drawn, list) else "?"
        extra = sorted(set(drawn or []) - set(expected)) if isinstance(drawn, list) else "?"
        raise AssertionError(
            f"the map drew {drawn!r} after {timeout / 1000:.0f} s; missing {missing}, extra {extra}"
        ) from None


def map_point_on_page(page, lat: float, lon: float) -> tuple[float, float]:
    """The page coordinates of a position on the page's map (its frame read afresh)."""
    frame = page.query_selector(MAP_FRAME).content_frame()
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = map.latLngToContainerPoint([lat, lon]);"
        " const r = map.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        [lat, lon],
    )
    box = page.query_selector(MAP_FRAME).bounding_box()
    return box["x"] + x, box["y"] + y


def click_on_map(page, lat: float, lon: float) -> None:
    """Click the map at a position, as a hand does (a move, then the click)."""
    x, y = map_point_on_page(page, lat, lon)
    page.mouse.move(x - 4, y - 4)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    time.sleep(0.4)  # Leaflet.draw takes a second click within its double-click time as one
