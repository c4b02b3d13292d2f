"""The server's side of many analysts at once: K sessions speaking Streamlit's own protocol.

    python bench/load_server.py [--events 10000] [--sessions 1 5 10] [--changes 4] [--think 0]

bench/load.py drives K real browsers against one server. On this 2-core machine those
browsers use most of the CPU (the server about a fifth of one core), so its figures measure the
browsers sharing the machine as much as the server; each analyst's browser runs on their own
machine. This script takes the browsers out. Each session is a websocket client that asks the
server for the script runs a browser asks for, and reads every message of the reply (the map's
layers, the timeline and the table included):
  - the page load, then the run the map's first report starts (timeline and table);
  - --changes filter changes, each adding one nation (PICKS in load.py).
A run is timed from the request to the server's `script_finished`, and its "Events shown" metric
is checked against the count expected, so a run that answered wrongly is an error.
With --think 0 (the default) the K sessions send each change at the same moment: the worst case.
With --think S each session waits a random 0..2·S seconds (seeded) before each change, as
analysts reading the map do.
Per K it prints errors, p50/p95 of the load and of the filter changes, and the server's memory;
then the goals at the largest K against the smallest, as load.py does. Nothing leaves
127.0.0.1 and every wait has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import websockets  # noqa: E402
from browser import streamlit_server  # noqa: E402
from load import (  # noqa: E402
    Round,
    RssSampler,
    goal_lines,
    make_plan,
    megabytes,
    percentile,
    seconds,
)
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetStates  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

RUN_TIMEOUT_S = 120
ROUND_TIMEOUT_S = 600
NATIONS_LABEL = "Participating nations"


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

    def choose_nations(self, element, codes: list[str]) -> None:
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


async def run_session(
    number: int, url: str, plan, start: asyncio.Barrier, steps: list, think: float, found: Round
) -> None:
    rng = random.Random(number)
    address = url.replace("http://", "ws://") + "/_stcore/stream"
    errors = []
    try:
        async with websockets.connect(address, subprotocols=["streamlit"], max_size=None) as ws:
            session = Session(ws)
            load = await session.run()
            found.loads.append(load.seconds)
            # In a browser the map's first report starts the run with the timeline and table.
            second = await session.run()
            nations = load.nations or second.nations
            errors += filter(
                None, [check(load, plan.total, "load"), check(second, plan.total, "load")]
            )
            await start.wait()
            picked = []
            for (nation, expected), step in zip(plan.changes, steps, strict=True):
                picked.append(nation)
                session.choose_nations(nations, picked)
                if think:
                    await asyncio.sleep(rng.uniform(0, 2 * think))
                else:
                    await step.wait()  # every session sends this change at the same moment
                reply = await session.run()
                found.changes.append(reply.seconds)
                errors += filter(None, [check(reply, expected, f"adding {nation}")])
    except Exception as error:  # noqa: BLE001 - every failure is a finding to report
        errors.append(f"{type(error).__name__}: {error}"[:300])
        # The other sessions would wait for this one at the barriers forever: release them
        # (each then reports a BrokenBarrierError).
        for barrier in [start, *steps]:
            await barrier.abort()
    finally:
        found.errors += [f"session {number}: {error}" for error in errors]


async def run_round(url: str, plan, sessions: int, think: float, server) -> Round:
    found = Round(sessions)
    start = asyncio.Barrier(sessions)
    steps = [asyncio.Barrier(sessions) for _ in plan.changes]
    with RssSampler(server) as sampler:
        async with asyncio.timeout(ROUND_TIMEOUT_S):
            await asyncio.gather(
                *(
                    run_session(number, url, plan, start, steps, think, found)
                    for number in range(1, sessions + 1)
                )
            )
    found.rss_peak = sampler.peak
    found.finished = True
    return found


async def measure(args) -> tuple[list[Round], float | None]:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(args.events, Path(tmp) / "geodata")
        plan = make_plan(root, args.events, args.changes)
        with streamlit_server(root) as server:
            warm_up = await run_round(server.url, make_plan(root, args.events, 1), 1, 0, server)
            rounds = []
            for sessions in args.sessions:
                rounds.append(await run_round(server.url, plan, sessions, args.think, server))
                print(f"K={sessions} done", flush=True)
            return rounds, warm_up.rss_peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--changes", type=int, default=4)
    parser.add_argument(
        "--think", type=float, default=0, help="mean seconds between changes (0: all at once)"
    )
    args = parser.parse_args()
    rounds, baseline = asyncio.run(measure(args))
    spacing = (
        "all sessions send each change at the same moment"
        if not args.think
        else f"each session waits 0–{2 * args.think:g} s (random) before each change"
    )
    print(f"\n{args.events:,} events; {spacing}. Baseline RSS {megabytes(baseline)}.\n")
    print(
        "| sessions (K) | errors | page load run p50 | filter change p50 | filter change p95 "
        "| server RSS peak |"
    )
    print("|---|---|---|---|---|---|")
    for found in rounds:
        load = statistics.median(found.loads) if found.loads else None
        print(
            f"| {found.sessions} | {len(found.errors)} | {seconds(load)} "
            f"| {seconds(percentile(found.changes, 0.5))} "
            f"| {seconds(percentile(found.changes, 0.95))} | {megabytes(found.rss_peak)} |"
        )
    print()
    for line in goal_lines(rounds, args.sessions):
        print(line)
    for found in rounds:
        for error in found.errors[:5]:
            print(f"  K={found.sessions} {error}")


if __name__ == "__main__":
    main()
