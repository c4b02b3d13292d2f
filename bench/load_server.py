"""Many analysts at once, the servers' side: K sessions speaking Streamlit's own protocol,
against one dashboard process and against several behind nginx.

    python bench/load_server.py [--events 10000] [--processes 1 2] [--sessions 1 10 25 50]
                                [--changes 8] [--pause 2 8] [--team 100]

bench/load.py drives real browsers; on this 2-core machine ten of them are the load
themselves (README). This script takes the browsers out. Each session is a websocket client that
opens the page as a browser does (GET /, which through nginx gives it its route cookie, then the
websocket with that cookie and the page's Origin), asks the server for the script runs a
browser asks for and reads every message of each reply (the map's layers, the timeline and the
table included):
  - the page load, then the run the map's first report starts (timeline and table);
  - --changes filter changes, each choosing the next set of nations (JPN, then JPN and TWN,
    ... up to six, then from JPN again), after an analyst's pause of --pause LOW HIGH seconds
    (random, seeded per session; --pause 0 0 sends every session's change at the same moment).
A run is timed from the request to the server's `script_finished`, and its "Events shown"
metric is checked against the count expected, so a run that answered wrongly is an error.

Each setup in --processes starts that many `streamlit run` processes with the repository's
config and MALLOC_ARENA_MAX=2 on their own ports; one is used directly, two or more behind
Debian's nginx with deploy/nginx.conf.template (sticky by a route cookie). Each process is
warmed (data loaded) by one session of its own first. Then, per K in --sessions, it prints:
errors; how the sessions split over the processes (from nginx's access log, which also shows
that every request of a session reached one process); p50 of the page-load run; p50/p95 of the
filter changes and p95 against K=1 of the same setup; the peak resident memory of each process
(/proc, sampled every 0.5 s) and the largest against K=1; the servers' CPU per filter change
and the busiest process's share of a core; the cores this script used; the cores everything
else on the machine used meanwhile (all CPU time in /proc/stat less these servers', nginx's
and this script's: other people's work on a shared machine); and the load average before and
after the round (which counts these servers' session threads waiting for their turn too).
Then the goals of issue 15 and what a team of --team analysts would need, worked out from the
measured CPU per change and memory per process. Nothing leaves 127.0.0.1 and every wait has a
timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import websockets  # noqa: E402
from browser import streamlit_server  # noqa: E402
from load import PICKS, Round, RssSampler, megabytes, percentile, seconds  # noqa: E402
from proxy import Proxy, cpu_seconds, nginx_proxy  # noqa: E402
from queue_model import busiest_process, response_times  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetStates  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

from bench import count_with_nation  # noqa: E402

RUN_TIMEOUT_S = 120
ROUND_TIMEOUT_S = 900
NATIONS_LABEL = "Participating nations"
GOAL_P95_RATIO = 3.0
GOAL_RSS_RATIO = 1.5
SHOWN_ERRORS = 5
# Team sizing plans the busiest process (one Python with the GIL: one core at most) at 40 % of
# a core of work: there, with analysts' 2–8 s pauses, p95 of a change is about 3 × one change
# alone, the goal's own ratio (bench/queue_model.py; 3.5–4 × at half a core).
PLANNED_BUSY = 0.4


@dataclass
class Script:
    """What every session does: the events the page shows, then each change and its count."""

    total: int
    steps: list[tuple[tuple[str, ...], int]]


@dataclass
class Setup:
    """What the sessions talk to: one process, or several behind nginx."""

    name: str
    url: str
    servers: list
    proxy: Proxy | None = None

    def process_of(self, upstream: str) -> int | None:
        """The process number (1, 2, …) behind an nginx upstream address, e.g. 127.0.0.1:8502."""
        for number, server in enumerate(self.servers, 1):
            if server.url.endswith("//" + upstream):
                return number
        return None


@dataclass
class Usage:
    """CPU seconds used until a moment, by each process, nginx, this script and the machine."""

    moment: float
    servers: list[float]
    proxy: float
    client: float
    machine_busy: float

    @staticmethod
    def now(setup: Setup) -> Usage:
        return Usage(
            time.monotonic(),
            [cpu_seconds(server.process.pid) or 0.0 for server in setup.servers],
            setup.proxy.cpu_seconds() if setup.proxy else 0.0,
            time.process_time(),
            machine_busy_seconds(),
        )


@dataclass
class Phase:
    """CPU use between two moments, in seconds, and the wall time between them."""

    wall: float
    servers: list[float]
    proxy: float
    client: float
    machine_busy: float

    @staticmethod
    def between(start: Usage, end: Usage) -> Phase:
        return Phase(
            end.moment - start.moment,
            [b - a for a, b in zip(start.servers, end.servers)],
            end.proxy - start.proxy,
            end.client - start.client,
            end.machine_busy - start.machine_busy,
        )

    @property
    def client_cores(self) -> float:
        """Cores this script (the K sessions' websockets) used in this phase."""
        return self.client / self.wall if self.wall else 0.0

    @property
    def others(self) -> float:
        """Cores used by everything else on the machine in this phase (other people's work)."""
        ours = sum(self.servers) + self.proxy + self.client
        return max(0.0, self.machine_busy - ours) / self.wall if self.wall else 0.0


@dataclass
class LoadRound(Round):
    """What K sessions saw against one setup, and what the machine did meanwhile."""

    setup: str = ""
    rss_peaks: list[float | None] = field(default_factory=list)
    split: list[int] = field(default_factory=list)
    loading: Phase | None = None
    changing: Phase | None = None
    load_average: tuple[float, float] | None = None  # 1-minute, before and after the round

    def rss_largest(self) -> float | None:
        peaks = [peak for peak in self.rss_peaks if peak is not None]
        return max(peaks) if peaks else None

    def cpu_per_change(self) -> float | None:
        if not self.changing or not self.changes:
            return None
        return sum(self.changing.servers) / len(self.changes)

    def cpu_per_page_open(self) -> float | None:
        if not self.loading or not self.loads:
            return None
        return sum(self.loading.servers) / len(self.loads)

    def busiest_process(self) -> float | None:
        """The largest share of one core a process used while the sessions changed filters."""
        if not self.changing or not self.changing.wall:
            return None
        return max(self.changing.servers) / self.changing.wall


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent on anything but idling since boot (Linux /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


@dataclass
class Reply:
    """What one script run sent back."""

    seconds: float
    shown: int | None  # the "Events shown" metric
    nations: object | None  # the nations multiselect element, for its id and options
    exception: str | None


class Session:
    """One analyst's tab, as Streamlit's server sees it: a websocket and its script runs."""

    def __init__(self, websocket):
        self.websocket = websocket
        self.widgets = WidgetStates()

    async def run(self) -> Reply:
        """Ask for a script run with the current widget states; read its reply to the end."""
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.widget_states.CopyFrom(self.widgets)
        started = time.perf_counter()
        await self.websocket.send(request.SerializeToString())
        shown, nations, exception = None, None, None
        async with asyncio.timeout(RUN_TIMEOUT_S):
            while True:
                message = ForwardMsg.FromString(await self.websocket.recv())
                kind = message.WhichOneof("type")
                if kind == "script_finished":
                    return Reply(time.perf_counter() - started, shown, nations, exception)
                if kind != "delta" or message.delta.WhichOneof("type") != "new_element":
                    continue
                element = message.delta.new_element
                which = element.WhichOneof("type")
                if which == "metric":
                    shown = int(element.metric.body.replace(",", ""))
                elif which == "multiselect" and element.multiselect.label == NATIONS_LABEL:
                    nations = element.multiselect
                elif which == "exception":
                    exception = element.exception.message[:200]

    def choose_nations(self, element, codes: tuple[str, ...]) -> None:
        """Set the nations multiselect as a browser would: its options' labels."""
        labels = [
            label for label in element.options if label.endswith(tuple(f"({c})" for c in codes))
        ]
        self.widgets = WidgetStates()
        state = self.widgets.widgets.add()
        state.id = element.id
        state.string_array_value.data.extend(labels)


def check(reply: Reply, expected: int, step: str) -> str | None:
    if reply.exception:
        return f"{step}: the app raised: {reply.exception}"
    if reply.shown != expected:
        return f"{step}: {reply.shown} events shown, {expected} expected"
    return None


def open_page(url: str) -> str | None:
    """GET the page as a browser's first visit does; return the route cookie nginx gave, if any."""
    with urllib.request.urlopen(url + "/", timeout=RUN_TIMEOUT_S) as response:
        response.read()
        cookie = response.headers.get("Set-Cookie")
    return cookie.split(";", 1)[0] if cookie else None


async def run_session(
    number: int,
    url: str,
    script: Script,
    pause: tuple[float, float],
    start: asyncio.Barrier,
    steps: list[asyncio.Barrier],
    on_start,
    found: LoadRound,
) -> None:
    rng = random.Random(number)
    errors = []
    try:
        cookie = await asyncio.to_thread(open_page, url)
        async with websockets.connect(
            url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],
            origin=url,
            additional_headers={"Cookie": cookie} if cookie else None,
            max_size=None,
        ) as ws:
            session = Session(ws)
            load = await session.run()
            found.loads.append(load.seconds)
            # In a browser the map's first report starts the run with the timeline and table.
            second = await session.run()
            nations = load.nations or second.nations
            errors += filter(
                None, [check(load, script.total, "load"), check(second, script.total, "load")]
            )
            if await start.wait() == 0:
                on_start()
            for (codes, expected), step in zip(script.steps, steps, strict=True):
                session.choose_nations(nations, codes)
                if max(pause):
                    await asyncio.sleep(rng.uniform(*pause))
                else:
                    await step.wait()  # every session sends this change at the same moment
                reply = await session.run()
                found.changes.append(reply.seconds)
                errors += filter(None, [check(reply, expected, f"nations {'+'.join(codes)}")])
    except Exception as error:  # noqa: BLE001 - every failure is a finding to report
        errors.append(f"{type(error).__name__}: {error}"[:300])
        # The other sessions would wait for this one at the barriers forever: release them
        # (each then reports a BrokenBarrierError).
        for barrier in [start, *steps]:
            await barrier.abort()
    finally:
        found.errors += [f"session {number}: {error}" for error in errors]


async def run_round(
    setup: Setup, url: str, script: Script, sessions: int, pause: tuple[float, float]
) -> LoadRound:
    """K sessions at once against `url` (a process, or nginx), measured on `setup`."""
    found = LoadRound(sessions, setup=setup.name)
    start = asyncio.Barrier(sessions)
    steps = [asyncio.Barrier(sessions) for _ in script.steps]
    proxied = setup.proxy is not None and url == setup.proxy.url
    logged_before = len(setup.proxy.requests()) if proxied else 0
    marks = {"start": Usage.now(setup)}
    average_before = load_average()

    def on_start() -> None:  # every session has loaded: the filter changes begin
        marks["changes"] = Usage.now(setup)

    with ExitStack() as samplers:
        sampled = [samplers.enter_context(RssSampler(server)) for server in setup.servers]
        async with asyncio.timeout(ROUND_TIMEOUT_S):
            await asyncio.gather(
                *(
                    run_session(number, url, script, pause, start, steps, on_start, found)
                    for number in range(1, sessions + 1)
                )
            )
    end = Usage.now(setup)
    found.rss_peaks = [sampler.peak for sampler in sampled]
    found.load_average = (average_before, load_average())
    if "changes" in marks:
        found.loading = Phase.between(marks["start"], marks["changes"])
        found.changing = Phase.between(marks["changes"], end)
    if proxied:
        await asyncio.sleep(0.5)  # nginx logs a websocket when it closes
        note_split(setup, setup.proxy.requests()[logged_before:], found)
    else:
        found.split = [sessions if server.url == url else 0 for server in setup.servers]
    found.finished = True
    return found


def note_split(setup: Setup, requests: list[dict], found: LoadRound) -> None:
    """Sessions per process, from the websockets nginx logged; a route on two processes is an
    error (a session's uploads would then reach a process that does not know it)."""
    streams = Counter(
        setup.process_of(request["upstream"])
        for request in requests
        if request["path"] == "/_stcore/stream"
    )
    found.split = [streams.get(number, 0) for number in range(1, len(setup.servers) + 1)]
    processes_of_route: dict[str, set[str]] = {}
    for request in requests:
        processes_of_route.setdefault(request["route"], set()).add(request["upstream"])
    for route, upstreams in processes_of_route.items():
        if len(upstreams) > 1:
            found.errors.append(f"route {route}: requests reached {sorted(upstreams)}")
    if sum(found.split) != found.sessions:
        found.errors.append(f"nginx logged {sum(found.split)} websockets for {found.sessions}")


def make_script(root: Path, total: int, changes: int) -> Script:
    """Change i chooses the first (i mod 6) + 1 nations of PICKS, counted in the files."""
    counts = {size: count_with_nation(root, PICKS[:size]) for size in range(1, len(PICKS) + 1)}
    sizes = [step % len(PICKS) + 1 for step in range(changes)]
    return Script(total, [(tuple(PICKS[:size]), counts[size]) for size in sizes])


async def measure_setup(root: Path, processes: int, args, script: Script) -> list[LoadRound]:
    with ExitStack() as stack:
        servers = [stack.enter_context(streamlit_server(root)) for _ in range(processes)]
        if processes == 1:
            setup = Setup("1 process", servers[0].url, servers)
        else:
            proxy = stack.enter_context(nginx_proxy([s.url.split("//")[1] for s in servers]))
            setup = Setup(f"{processes} processes behind nginx", proxy.url, servers, proxy)
        # Each process reads and validates the data on its first session: not timed.
        warm_up = Script(script.total, script.steps[:1])
        for server in servers:
            warmed = await run_round(setup, server.url, warm_up, 1, (0, 0))
            if warmed.errors:
                raise RuntimeError(f"warm-up of {server.url} failed: {warmed.errors[0]}")
        rounds = []
        for sessions in args.sessions:
            rounds.append(await run_round(setup, setup.url, script, sessions, tuple(args.pause)))
            print(f"{setup.name}: K={sessions} done", flush=True)
        return rounds


async def measure(args) -> list[LoadRound]:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(args.events, Path(tmp) / "geodata")
        script = make_script(root, args.events, args.changes)
        rounds = []
        for processes in args.processes:
            rounds += await measure_setup(root, processes, args, script)
        return rounds


def ratio(large: float | None, small: float | None) -> float | None:
    return large / small if large is not None and small else None


def times(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}×"


def baseline(rounds: list[LoadRound], found: LoadRound) -> LoadRound | None:
    """The same setup's K=1 round."""
    return next((r for r in rounds if r.setup == found.setup and r.sessions == 1), None)


def table(rounds: list[LoadRound]) -> list[str]:
    lines = [
        "| setup | K | errors | sessions per process | page load run p50 | filter change p50 "
        "| p95 | p95 ÷ K=1 | RSS peak per process | largest ÷ K=1 | server CPU per change "
        "| busiest process | this script | everything else on the machine "
        "| load average (1 min) before → after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for found in rounds:
        base = baseline(rounds, found)
        p95 = percentile(found.changes, 0.95)
        per_change = found.cpu_per_change()
        busiest = found.busiest_process()
        cells = [
            found.setup,
            str(found.sessions),
            str(len(found.errors)),
            " + ".join(map(str, found.split)),
            seconds(statistics.median(found.loads) if found.loads else None),
            seconds(percentile(found.changes, 0.5)),
            seconds(p95),
            times(ratio(p95, percentile(base.changes, 0.95) if base else None)),
            " + ".join(megabytes(peak) for peak in found.rss_peaks),
            times(ratio(found.rss_largest(), base.rss_largest() if base else None)),
            "–" if per_change is None else f"{per_change * 1000:.0f} ms",
            "–" if busiest is None else f"{busiest:.0%} of a core",
            "–" if not found.changing else f"{found.changing.client_cores:.2f} cores",
            "–" if not found.changing else f"{found.changing.others:.2f} cores",
            "–" if not found.load_average else "{:.2f} → {:.2f}".format(*found.load_average),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def goal_lines(rounds: list[LoadRound], goal_sessions: int, pause) -> list[str]:
    """Issue 15's goals: no errors; with the most processes at K=goal, p95 ≤ 3× and the
    memory per process ≤ 1.5× K=1."""
    errors = sum(len(found.errors) for found in rounds)
    lines = [f"errors in every round: {errors} (goal 0): {'OK' if not errors else 'FAIL'}"]
    most = max((found for found in rounds), key=lambda found: len(found.split), default=None)
    goal = next(
        (r for r in rounds if most and r.setup == most.setup and r.sessions == goal_sessions),
        None,
    )
    base = baseline(rounds, goal) if goal else None
    if not goal or not base:
        return lines + [f"K={goal_sessions} and K=1 with {most.setup if most else '–'}: not run"]
    expected = expected_line(rounds, goal, pause)
    for name, value, limit in [
        (
            "p95 filter change",
            ratio(percentile(goal.changes, 0.95), percentile(base.changes, 0.95)),
            GOAL_P95_RATIO,
        ),
        ("largest RSS per process", ratio(goal.rss_largest(), base.rss_largest()), GOAL_RSS_RATIO),
    ]:
        verdict = "–" if value is None else ("OK" if value <= limit else "FAIL")
        lines.append(
            f"{goal.setup}, {name} at K={goal_sessions} ÷ K=1: {times(value)} "
            f"(goal ≤ {limit:g}×): {verdict}"
        )
    return lines + ([expected] if expected else [])


def median_cpu_per_change(rounds: list[LoadRound]) -> float | None:
    """Server CPU seconds per change, median of the rounds with K > 1 (concurrency included)."""
    costs = [found.cpu_per_change() for found in rounds if found.sessions > 1]
    costs = [cost for cost in costs if cost]
    return statistics.median(costs) if costs else None


def expected_line(rounds: list[LoadRound], goal: LoadRound, pause) -> str | None:
    """What the goal round's p95 would be on a machine doing nothing else (queue_model.py):
    the CPU per change is measured well on a busy machine, the waits are not."""
    change = median_cpu_per_change(rounds)
    if not change or not max(pause):
        return None
    most = max(goal.split)
    _, p95, busy = response_times(most, change, tuple(pause))
    return (
        f"  on a machine doing nothing else, by bench/queue_model.py ({most} sessions on the "
        f"busier process, {change * 1000:.0f} ms per change): p95 {p95:.2f} s = "
        f"{p95 / change:.1f}× one change alone, the process busy {busy:.0%}"
    )


def sizing_lines(
    rounds: list[LoadRound], team: int, pause: tuple[float, float], events: int
) -> list[str]:
    """What `team` analysts, all exploring at once, would need, from the measured costs.

    Each analyst makes one change per cycle: a mean pause, then a change answered as for one
    analyst alone (K=1 p50). Each analyst's work is the server CPU per change (median of the
    rounds with K > 1, so it includes what concurrency costs) per cycle. Processes: the fewest
    whose busiest one (nginx places browsers at random: queue_model.busiest_process) stays at or
    under PLANNED_BUSY of a core. Memory: the peak of a process serving about as many sessions.
    """
    alone = [found for found in rounds if found.sessions == 1 and found.changes]
    busy = [found for found in rounds if found.sessions > 1 and found.cpu_per_change()]
    per_change = median_cpu_per_change(rounds)
    if not alone or not per_change or not max(pause):
        return ["Team sizing: needs K=1, a round with K > 1 and analysts' pauses."]
    per_open = statistics.median(
        found.cpu_per_page_open() for found in busy if found.cpu_per_page_open()
    )
    answer = statistics.median(percentile(found.changes, 0.5) for found in alone)
    cycle = sum(pause) / 2 + answer
    per_analyst = per_change / cycle  # cores
    processes = max(1, math.ceil(team * per_analyst / PLANNED_BUSY))
    while busiest_process(team, processes) * per_analyst > PLANNED_BUSY:
        processes += 1
    most = busiest_process(team, processes)
    nearest = min(busy, key=lambda found: abs(found.sessions / len(found.split) - most))
    memory = nearest.rss_largest() or 0
    proxy = max(found.changing.proxy / found.changing.wall for found in busy if found.changing)
    return [
        f"Team of {team} analysts all exploring at once, each making a change every "
        f"{cycle:.1f} s ({sum(pause) / 2:g} s mean pause + {answer:.2f} s answer):",
        f"  {team / cycle:.1f} changes/s × {per_change * 1000:.0f} ms of server CPU each "
        f"= {team * per_analyst:.2f} cores of work;",
        f"  {processes} processes, one core each: nginx's random split typically gives the "
        f"busiest {most} analysts, {most * per_analyst:.0%} of its core (≤ {PLANNED_BUSY:.0%}); "
        f"nginx used {proxy:.0%} of a core at most here;",
        f"  memory: {processes} × {megabytes(memory)} (peak of a process serving "
        f"{nearest.sessions / len(nearest.split):.0f} sessions here, {events:,} events) "
        f"= {processes * memory / 1024:.1f} GB;",
        f"  a page open costs {per_open * 1000:.0f} ms of server CPU: {team} analysts opening "
        f"the dashboard in the same minute add {team * per_open / 60:.2f} cores for that minute.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 25, 50])
    parser.add_argument("--changes", type=int, default=8, help="filter changes per session")
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=[2.0, 8.0],
        metavar=("LOW", "HIGH"),
        help="seconds an analyst pauses before each change, at random (0 0: all at once)",
    )
    parser.add_argument("--goal-sessions", type=int, default=25)
    parser.add_argument("--team", type=int, default=100, help="analysts to size a team setup for")
    args = parser.parse_args()
    if 1 not in args.sessions:
        parser.error("--sessions needs 1: every ratio is against K=1")
    started = time.monotonic()
    print(f"Machine at the start: load average {Path('/proc/loadavg').read_text().strip()}")
    rounds = asyncio.run(measure(args))
    low, high = args.pause
    spacing = (
        "every session sends each change at the same moment"
        if not high
        else f"each session pauses {low:g}–{high:g} s (random) before each change"
    )
    print(
        f"\n{args.events:,} synthetic events (bench/synthetic.py); {args.changes} filter changes "
        f"per session; {spacing}; {os.cpu_count()} cores.\n"
    )
    print("\n".join(table(rounds)))
    print()
    print("\n".join(goal_lines(rounds, args.goal_sessions, (low, high))))
    print()
    print("\n".join(sizing_lines(rounds, args.team, (low, high), args.events)))
    for found in rounds:
        for error in found.errors[:SHOWN_ERRORS]:
            print(f"  {found.setup} K={found.sessions}: {error}")
    print(
        f"\nTotal run time: {time.monotonic() - started:.0f} s; machine at the end: load average "
        f"{Path('/proc/loadavg').read_text().strip()}"
    )


if __name__ == "__main__":
    main()
