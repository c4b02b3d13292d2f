"""How long analysts wait for one dashboard process, by simulation: what to expect on a machine
with nothing else running, from the server's CPU per change (bench/load_server.py measures it).

    python bench/queue_model.py [--change 0.1] [--pause 2 8] [--analysts 1 5 10 12 25 50]

The model: N analysts on one process, each pausing a random LOW–HIGH seconds (uniform) before
asking for a filter change that takes --change seconds of CPU. A process is one Python with
the GIL: Streamlit runs each session's script in its own thread and the interpreter switches
between the threads every few milliseconds, so the runs in progress share the one core equally
(processor sharing). A change's wait is from its request to its answer. With 2–8 s pauses it
gives p95 ≈ 3× one change when the process is busy 40 % of the time, for changes of 0.1 s as of
0.2 s (2.1–2.4× at a quarter, 3.5–3.9× at half); bench/load_server.py plans a team's busiest
process at 40 %.
"""

from __future__ import annotations

import argparse
import heapq
import random


def response_times(
    analysts: int,
    change: float,
    pause: tuple[float, float] = (2.0, 8.0),
    changes: int = 20_000,
    seed: int = 1,
) -> tuple[float, float, float]:
    """Simulate `changes` filter changes; return (p50 s, p95 s, share of the core busy).

    analysts: sessions on the one process (≥ 1); change: CPU seconds one change takes;
    pause: the range of an analyst's uniform random pause before each change, in seconds.
    """
    rng = random.Random(seed)
    now, busy = 0.0, 0.0
    requests = [(rng.uniform(*pause), analyst) for analyst in range(analysts)]
    heapq.heapify(requests)
    running: dict[int, list[float]] = {}  # analyst -> [CPU seconds left, asked at]
    waits: list[float] = []
    while len(waits) < changes:
        shares = len(running)
        nearest = min(running, key=lambda analyst: running[analyst][0]) if shares else None
        done_at = now + running[nearest][0] * shares if shares else float("inf")
        asked_at = requests[0][0] if requests else float("inf")
        moment = min(done_at, asked_at)
        for left in running.values():  # every run in progress got an equal share until then
            left[0] -= (moment - now) / shares
        busy += (moment - now) if shares else 0.0
        now = moment
        if done_at <= asked_at:
            waits.append(now - running.pop(nearest)[1])
            heapq.heappush(requests, (now + rng.uniform(*pause), nearest))
        else:
            _, analyst = heapq.heappop(requests)
            running[analyst] = [change, now]
    waits.sort()
    return waits[len(waits) // 2], waits[int(len(waits) * 0.95)], busy / now


def busiest_process(analysts: int, processes: int, trials: int = 2000, seed: int = 1) -> int:
    """The most analysts one of `processes` processes typically serves (median over `trials`
    random splits): nginx's consistent hash of each browser's random route id places it on a
    process at random, so one of them serves more than the average.
    """
    rng = random.Random(seed)
    most = []
    for _ in range(trials):
        counts = [0] * processes
        for _ in range(analysts):
            counts[rng.randrange(processes)] += 1
        most.append(max(counts))
    most.sort()
    return most[len(most) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--change", type=float, default=0.1, help="CPU seconds per change")
    parser.add_argument("--pause", type=float, nargs=2, default=[2.0, 8.0])
    parser.add_argument("--analysts", type=int, nargs="+", default=[1, 5, 10, 12, 25, 50])
    args = parser.parse_args()
    print("| analysts on one process | busy | p50 | p95 | p95 ÷ one change |")
    print("|---|---|---|---|---|")
    for analysts in args.analysts:
        p50, p95, busy = response_times(analysts, args.change, tuple(args.pause))
        print(f"| {analysts} | {busy:.0%} | {p50:.2f} s | {p95:.2f} s | {p95 / args.change:.1f}× |")


if __name__ == "__main__":
    main()
