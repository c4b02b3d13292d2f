"""How the dashboard holds up with K sessions at once, in headless Chromium against one server.

    python bench/load.py [--events 10000] [--sessions 1 5 10] [--changes 4] [--timeout 600]

It writes --events synthetic valid events (bench/synthetic.py) into a temporary GEODATA_DIR,
starts one real `streamlit run` for the whole run (with no file watcher, so files edited
meanwhile do not change the code it runs) and loads the dashboard once, so the data cache is
filled before anything is timed; the server's memory then is the baseline. Then, for each K in
--sessions, K sessions (browser contexts of one headless Chromium, each its own Streamlit
session) load the page at once; when all have loaded they make --changes nation-filter changes
together, each adding one nation in the sidebar. Per K it prints:
  - errors seen: failed or timed-out steps, page errors, console errors, Streamlit exceptions
    shown on the page and requests that tried to leave 127.0.0.1;
  - page load p50: page load until the map represents every event;
  - filter change p50 / p95: option click until the map represents exactly the matching
    events, drawn or counted in a cluster (both read from the page's own clock, as in bench.py);
  - the server's resident memory: its peak during the round (sampled every 0.5 s) and after it;
  - the server's side of a filter change (script run asked for on the websocket until its end
    comes back, without the page's repaint) and the CPU the server used in the round: the
    browsers share the machine with the server, and this shows which of them was busy.
Then it checks the goals at the largest K against the smallest: no errors, p95 filter change at
most 3 times, peak memory at most 1.5 times. Nothing leaves 127.0.0.1, every wait has a timeout,
and after --timeout seconds the run stops and reports what it has.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    REPRESENTED_EVENTS,
    block_outside_requests,
    streamlit_server,
)
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402
from proxy import cpu_seconds  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

from bench import LOGGED, MAP_CLOCK, count_with_nation, now_ms  # noqa: E402

# Nations added in turn by each session's filter changes.
PICKS = ["JPN", "TWN", "CHN", "USA", "PHL", "KOR"]
# Generous: ten sessions share two cores with the server and the browser.
LOAD_TIMEOUT_MS = 300_000
CHANGE_TIMEOUT_MS = 180_000
STEP_TIMEOUT_MS = 90_000
CLOSE_TIMEOUT_S = 30
# Not "raf" as in bench.py: polling every frame keeps K pages painting and competes for the cores.
POLL_MS = 50
SHOWN_ERRORS = 5
SHOWN_LOG_LINES = 20
NOTABLE_LOG_LINE = re.compile(r"error|exception|traceback|warn", re.IGNORECASE)
GOAL_P95_RATIO = 3.0
GOAL_RSS_RATIO = 1.5


@dataclass
class Plan:
    """What every session does: the events it waits for, then each nation and its count."""

    total: int
    changes: list[tuple[str, int]]
    think: float = 0.0  # mean seconds a session waits before each change (0: none)


@dataclass
class Round:
    """What K sessions at once saw."""

    sessions: int
    loads: list[float] = field(default_factory=list)
    changes: list[float] = field(default_factory=list)
    replies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    server_cpu: float | None = None
    wall: float | None = None
    rss_peak: float | None = None
    rss_after: float | None = None
    finished: bool = False
    stop_reason: str = "stopped by the --timeout deadline"


class ServerGone(Exception):
    """The server exited during the run."""


def server_rss(server) -> float | None:
    """The server's resident memory in MB, or None once it has exited."""
    if server.process.poll() is not None:
        return None
    try:
        return server.rss_mb()
    except (OSError, StopIteration):  # gone (or a zombie) between the poll and the read
        return None


def server_cpu_seconds(server) -> float | None:
    """CPU time the server has used so far (user + system), or None once it has exited."""
    return cpu_seconds(server.process.pid)


class ServerReplies:
    """When this page's websocket asked for a script run and when a run's end came back.

    The time between the two is the server's part of a filter change, with the messages' way
    there and back but without the page's repaint.
    """

    def __init__(self, page):
        self.asked: list[float] = []
        self.finished: list[float] = []
        page.on("websocket", self._watch)

    def _watch(self, websocket) -> None:
        websocket.on("framesent", self._sent)
        websocket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, bytes) and message_type(BackMsg, payload) == "rerun_script":
            self.asked.append(time.perf_counter())

    def _received(self, payload) -> None:
        if isinstance(payload, bytes) and message_type(ForwardMsg, payload) == "script_finished":
            self.finished.append(time.perf_counter())

    def reply_seconds(self, since: float) -> float | None:
        """From the first run asked for after `since` to the first run's end after that."""
        asked = next((moment for moment in self.asked if moment >= since), None)
        if asked is None:
            return None
        finished = next((moment for moment in self.finished if moment >= asked), None)
        return None if finished is None else finished - asked


def message_type(message_class, payload: bytes) -> str | None:
    try:
        return message_class.FromString(payload).WhichOneof("type")
    except Exception:  # not a Streamlit message; nothing to time
        return None


class RssSampler:
    """Samples the server's resident memory every 0.5 s in a thread and keeps the peak."""

    def __init__(self, server):
        self.server = server
        self.peak = server_rss(server)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            now = server_rss(self.server)
            if now is None:
                return
            self.peak = max(self.peak or 0, now)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class ServerLog:
    """Reads the server's output as it comes, so its pipe never fills, and keeps the lines."""

    def __init__(self, process):
        self.lines: deque[str] = deque(maxlen=5000)
        thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        thread.start()

    def _read(self, stream) -> None:
        for raw in stream:
            self.lines.append(raw.decode(errors="replace").rstrip())

    def notable(self) -> list[str]:
        return [line for line in self.lines if NOTABLE_LOG_LINE.search(line)]


class StartLine:
    """Holds the sessions until all have loaded (or failed to), so their filter changes overlap."""

    def __init__(self, sessions: int):
        self.waiting = sessions
        self.all_here = asyncio.Event()

    def arrive(self) -> None:
        self.waiting -= 1
        if self.waiting <= 0:
            self.all_here.set()

    async def wait(self) -> None:
        await asyncio.wait_for(self.all_here.wait(), timeout=3 * LOAD_TIMEOUT_MS / 1000)


# The async counterpart of tests/browser.py's map_frame. (Its block_outside_requests only
# registers listeners, which works on an async page as it is.)
async def map_frame(page, timeout: float):
    """The Leaflet map's frame, once the map exists in it."""
    await page.wait_for_selector(MAP_FRAME, timeout=timeout)
    await page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=timeout)
    handle = await page.query_selector(MAP_FRAME)
    content = await handle.content_frame()
    await content.wait_for_function("() => !!window.map", timeout=timeout)
    return content


def watch_for_errors(page, errors: list[str]) -> None:
    def on_console(message):
        if message.type == "error":
            errors.append(f"console error: {message.text}")

    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", on_console)


async def note_streamlit_exception(page, errors: list[str]) -> None:
    shown = page.locator('[data-testid="stException"]')
    if await shown.count():
        text = (await shown.first.inner_text()).strip().splitlines()
        error = f"Streamlit exception on the page: {' '.join(text)[:200]}"
        if error not in errors:
            errors.append(error)


async def painted_at(frame, count: int, after_ms: float, timeout: float) -> float:
    """Wait until the map represents `count` events after `after_ms`; return when it first did,
    by the page's clock (bench.py's MAP_CLOCK log: Playwright's own polls arrive late on a busy
    page, and polling a count of the map's layers in K pages was load of its own)."""
    handle = await frame.wait_for_function(
        LOGGED, arg=[count, after_ms], polling=POLL_MS, timeout=timeout
    )
    return await handle.json_value()


async def load_map(page, url: str, total: int):
    """Open the dashboard; return the seconds until the map represents every event, and it."""
    started = now_ms()
    await page.goto(url, timeout=LOAD_TIMEOUT_MS)
    frame = await map_frame(page, LOAD_TIMEOUT_MS)
    return (await painted_at(frame, total, started, LOAD_TIMEOUT_MS) - started) / 1000, frame


async def change_filter(page, frame, nation: str, expected: int, replies, found: Round) -> None:
    """Add a nation in the sidebar; note the seconds from the click to the repainted map."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Participating nations")
    await box.locator("input").click(timeout=STEP_TIMEOUT_MS)
    # Typed, so the option is at the top: clicking one that must first be scrolled to was
    # sometimes lost when the page was too busy to keep up (the browsers' CPU, not the server).
    await box.locator("input").fill(nation, timeout=STEP_TIMEOUT_MS)
    option = page.get_by_role("option", name=f"({nation})")
    await option.wait_for(timeout=STEP_TIMEOUT_MS)
    started, started_ms = time.perf_counter(), now_ms()
    await option.click(timeout=STEP_TIMEOUT_MS)
    try:
        painted = await painted_at(frame, expected, started_ms, CHANGE_TIMEOUT_MS)
    except PlaywrightTimeout:
        state = await map_state(page, frame, box, replies, started)
        raise MapNotRepainted(
            f"adding {nation}: the map did not come to {expected} events in "
            f"{CHANGE_TIMEOUT_MS / 1000:.0f} s; {state}"
        ) from None
    found.changes.append((painted - started_ms) / 1000)
    await page.keyboard.press("Escape")
    await page.wait_for_timeout(800)
    reply = replies.reply_seconds(started)
    if reply is not None:
        found.replies.append(reply)


class MapNotRepainted(Exception):
    """A filter change's map never represented the expected events."""


async def map_state(page, frame, box, replies: ServerReplies, since: float) -> str:
    """What the page shows when a change has not come through, to tell where it stuck."""
    try:
        represented = await frame.evaluate(REPRESENTED_EVENTS)
    except Exception as error:
        represented = describe(error)
    picked = " ".join((await box.inner_text(timeout=STEP_TIMEOUT_MS)).split())
    asked = sum(moment >= since for moment in replies.asked)
    finished = sum(moment >= since for moment in replies.finished)
    maps = await page.locator(MAP_FRAME).count()
    return (
        f"it represents {represented}; nations box: {picked!r}; map frames: {maps}; "
        f"script runs since the click: {asked} asked, {finished} finished"
    )


def describe(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"[:400]


async def close_quietly(closable) -> None:
    # Best effort: leaving Playwright's context manager ends the browser anyway.
    with contextlib.suppress(Exception):
        await asyncio.wait_for(closable.close(), timeout=CLOSE_TIMEOUT_S)


async def run_session(
    number: int, browser, url: str, plan: Plan, start_line: StartLine, found: Round
) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(MAP_CLOCK)
    errors: list[str] = []
    outside: list[str] = []
    try:
        page = await context.new_page()
        outside = block_outside_requests(page)
        watch_for_errors(page, errors)
        replies = ServerReplies(page)
        try:
            seconds, frame = await load_map(page, url, plan.total)
            found.loads.append(seconds)
        finally:
            start_line.arrive()
        await note_streamlit_exception(page, errors)
        await start_line.wait()
        await page.wait_for_timeout(1500)  # let the map's first report (position) settle
        pauses = random.Random(number)
        for nation, expected in plan.changes:
            if plan.think:
                await asyncio.sleep(pauses.uniform(0, 2 * plan.think))
            await change_filter(page, frame, nation, expected, replies, found)
        await note_streamlit_exception(page, errors)
    except asyncio.CancelledError:
        errors.append(found.stop_reason)
        raise
    except Exception as error:
        errors.append(describe(error))
    finally:
        await close_quietly(context)
        errors += [f"request to leave 127.0.0.1: {address}" for address in outside]
        found.errors += [f"session {number}: {error}" for error in errors]


async def server_exit(server) -> int:
    while server.process.poll() is None:
        await asyncio.sleep(0.5)
    return server.process.returncode


async def run_round(browser, url: str, plan: Plan, found: Round, server) -> None:
    start_line = StartLine(found.sessions)
    sampler = RssSampler(server)
    sessions = asyncio.gather(
        *(
            run_session(number, browser, url, plan, start_line, found)
            for number in range(1, found.sessions + 1)
        )
    )
    exit_code = asyncio.ensure_future(server_exit(server))
    cpu_before, started = server_cpu_seconds(server), time.perf_counter()
    try:
        with sampler:
            # Sessions would wait out their timeouts against a server that has gone.
            await asyncio.wait({sessions, exit_code}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        found.rss_peak = sampler.peak
        found.rss_after = server_rss(server)
        cpu_after, found.wall = server_cpu_seconds(server), time.perf_counter() - started
        if cpu_before is not None and cpu_after is not None:
            found.server_cpu = cpu_after - cpu_before
        server_gone = exit_code.done()
        exit_code.cancel()
        await stop_sessions(sessions, found, "stopped: the server exited" if server_gone else None)
    if server_gone:
        found.errors.append(f"the server exited with code {server.process.returncode}")
        raise ServerGone(f"the server exited with code {server.process.returncode}")
    found.finished = True


async def stop_sessions(sessions, found: Round, reason: str | None) -> None:
    if sessions.done():
        return
    if reason:
        found.stop_reason = reason
    sessions.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sessions


def make_plan(root: Path, total: int, changes: int, think: float = 0.0) -> Plan:
    picks = PICKS[:changes]
    counts = [count_with_nation(root, picks[: step + 1]) for step in range(len(picks))]
    return Plan(total, list(zip(picks, counts)), think)


def lowly_chromium(folder: Path) -> Path:
    """A launcher that runs Chromium (and so every page's renderer) at the lowest CPU priority.

    Each analyst's browser runs on their own machine; here K browsers share two cores with the
    one server. At equal priority ten renderers starve the server of CPU, and the figures then
    measure this machine's browsers more than the server. At nice 19 the server gets the CPU
    when it asks for it and the browsers share what is left.
    """
    launcher = folder / "chromium"
    launcher.write_text(f'#!/bin/sh\nexec nice -n 19 "{CHROMIUM}" "$@"\n')
    launcher.chmod(0o755)
    return launcher


async def run_all(args, root: Path, server, warm_up: Round, rounds: list[Round]) -> None:
    async with async_playwright() as playwright:
        executable = CHROMIUM if args.equal_priority else lowly_chromium(root.parent)
        browser = await playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS
        )
        try:
            await run_round(browser, server.url, Plan(args.events, []), warm_up, server)
            print(f"warm-up done: server RSS {megabytes(warm_up.rss_after)}", flush=True)
            plan = make_plan(root, args.events, args.changes, args.think)
            for sessions in args.sessions:
                found = Round(sessions)
                rounds.append(found)
                started = time.perf_counter()
                await run_round(browser, server.url, plan, found, server)
                took = time.perf_counter() - started
                print(f"K={sessions} done in {took:.0f} s", flush=True)
        finally:
            await close_quietly(browser)


async def measure(args, deadline: float) -> tuple[Round, list[Round], list[str], str | None]:
    """Run every round before the deadline; return what was seen and why it stopped early."""
    warm_up, rounds = Round(1), []
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(args.events, Path(tmp) / "geodata")
        with streamlit_server(root) as server:
            log = ServerLog(server.process)
            budget = deadline - time.monotonic()
            try:
                await asyncio.wait_for(run_all(args, root, server, warm_up, rounds), budget)
                stopped = None
            except TimeoutError:
                stopped = f"Stopped at the --timeout deadline ({args.timeout:g} s)"
            except ServerGone as gone:
                stopped = f"Stopped: {gone}; its last output:\n" + "\n".join(
                    f"  {line}" for line in list(log.lines)[-SHOWN_LOG_LINES:]
                )
            return warm_up, rounds, log.notable(), stopped


def percentile(values: list[float], share: float) -> float | None:
    return float(np.percentile(values, share * 100)) if values else None


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def megabytes(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


def table_row(found: Round) -> str:
    label = str(found.sessions) if found.finished else f"{found.sessions} (stopped)"
    load = statistics.median(found.loads) if found.loads else None
    cells = [
        label,
        str(len(found.errors)),
        seconds(load),
        seconds(percentile(found.changes, 0.5)),
        seconds(percentile(found.changes, 0.95)),
        megabytes(found.rss_peak),
        megabytes(found.rss_after),
    ]
    return "| " + " | ".join(cells) + " |"


def ratio_line(name: str, large: float | None, small: float | None, goal: float) -> str:
    if large is None or not small:
        return f"{name} (goal ≤ {goal:g}): not measured"
    ratio = large / small
    verdict = "OK" if ratio <= goal else "FAIL"
    return f"{name} = {ratio:.1f} (goal ≤ {goal:g}): {verdict}"


def server_side_line(found: Round) -> str:
    reply = (
        f"{seconds(percentile(found.replies, 0.5))} p50 / "
        f"{seconds(percentile(found.replies, 0.95))} p95 of {len(found.replies)}"
    )
    if found.server_cpu is None or not found.wall:
        return f"K={found.sessions}: {reply}"
    busy = found.server_cpu / found.wall
    return (
        f"K={found.sessions}: {reply}; server CPU {found.server_cpu:.0f} s "
        f"in {found.wall:.0f} s ({busy:.0%} of one core)"
    )


def goal_lines(rounds: list[Round], sessions: list[int]) -> list[str]:
    by_count = {found.sessions: found for found in rounds}
    small_k, large_k = min(sessions), max(sessions)
    small, large = by_count.get(small_k), by_count.get(large_k)
    complete = small_k < large_k and small and large and small.finished and large.finished
    small_p95 = percentile(small.changes, 0.95) if complete else None
    large_p95 = percentile(large.changes, 0.95) if complete else None
    lines = [
        ratio_line(f"p95 at K={large_k} / K={small_k}", large_p95, small_p95, GOAL_P95_RATIO),
        ratio_line(
            f"RSS peak K={large_k} / K={small_k}",
            large.rss_peak if complete else None,
            small.rss_peak if complete else None,
            GOAL_RSS_RATIO,
        ),
    ]
    if large is None:
        lines.append(f"errors at K={large_k} (goal 0): not measured")
    else:
        verdict = "OK" if not large.errors and large.finished else "FAIL"
        lines.append(f"errors at K={large_k}: {len(large.errors)} (goal 0): {verdict}")
    return lines


def report(warm_up: Round, rounds: list[Round], log: list[str], args, stopped: str | None) -> None:
    print()
    load = seconds(warm_up.loads[0] if warm_up.loads else None)
    print(
        f"Baseline after warm-up (one page load, {load}, {len(warm_up.errors)} errors): "
        f"server RSS {megabytes(warm_up.rss_after)}"
    )
    if stopped:
        print(f"{stopped}\nFigures so far.")
    print()
    print(
        "| sessions (K) | errors | page loads p50 | filter change p50 | filter change p95 "
        "| server RSS peak | RSS after |"
    )
    print("|---|---|---|---|---|---|---|")
    for found in rounds:
        print(table_row(found))
    print()
    timed = ", ".join(f"K={found.sessions}: {len(found.changes)}" for found in rounds)
    print(f"{args.events:,} events; filter changes timed per round: {timed}")
    if args.think:
        print(f"Each session waited 0–{2 * args.think:g} s (random) before each change.")
    priority = "the server's" if args.equal_priority else "nice 19, below the server"
    print(f"Browsers ran at {priority} CPU priority.")
    for line in goal_lines(rounds, args.sessions):
        print(line)
    print()
    print("Server side of a filter change (script run asked for → its end received) and CPU:")
    for found in rounds:
        print(f"  {server_side_line(found)}")
    for found in [warm_up, *rounds]:
        if found.errors:
            name = "warm-up" if found is warm_up else f"K={found.sessions}"
            print(f"\nFirst errors at {name} (of {len(found.errors)}):")
            for error in found.errors[:SHOWN_ERRORS]:
                print(f"  - {error}")
    if log:
        print(f"\nServer log lines that mention an error or warning (first {SHOWN_LOG_LINES}):")
        for line in log[:SHOWN_LOG_LINES]:
            print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--changes", type=int, default=4, choices=range(1, len(PICKS) + 1))
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the whole run")
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="mean seconds each session waits before a change, at random (0: changes together)",
    )
    parser.add_argument(
        "--equal-priority",
        action="store_true",
        help="run the browsers at the server's CPU priority (by default they run at nice 19)",
    )
    args = parser.parse_args()
    # The server runs the code as it was at its start, even if the files are edited meanwhile.
    os.environ["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "none"
    started = time.monotonic()
    warm_up, rounds, log, stopped = asyncio.run(measure(args, started + args.timeout))
    report(warm_up, rounds, log, args, stopped)
    print(f"\nTotal run time: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
