"""How far one primary and N hot standbys go: the store's page reads from K analysts at once,
primary alone against primary + 1 (+ 2) standbys, measured in one run.

    python bench/replicas.py [--events 200000] [--standbys 1 2] [--analysts 2 4 8]
                             [--seconds 20] [--save-every 10]

Starts a throwaway primary (tests/postgres.py, bench/postgis.py's server settings), stores
--events synthetic events through the store's import (bench/postgis.py `load`: the same events
as the team setup's 2-million-event figures, fewer of them so the run finishes), then copies it
with pg_basebackup -R into as many hot standbys as the largest of --standbys asks for. For each
K of --analysts the primary alone is run first and again last: the baseline, and how much the
shared machine's load drifted during the setups between them.

Each analyst is a process of its own (as sessions spread over a team's dashboard processes)
with its own PostgisStore and WriteMark, asking in a loop what a dashboard rerun asks after a
filter change (bench/postgis.py store_queries: the version, the sidebar's and the timeline's
counts, the table's first 1,000 rows, the map's count and its events or counts per cell), each
analyst on its own nations and map windows (bench/bench.py PICKS and MOVES) so the process's
kept answers do not hide the database; every --save-every pages it saves one event, and its
next pages must read that save (read-your-writes: on the primary until a standby has replayed
it). No pause between pages: the figure is how many pages a second the servers can serve.

Per setup and K it prints: pages a second and against the primary alone at the same K; p50 and
p95 of a page; the share of reads served by standbys; failed pages (must be 0); the CPU seconds
each server used per page (postgres processes of its data directory, /proc) and the cores
everything used. Then what that means for a team, worked out from the measured CPU per page
(extrapolated, and said so): this machine has 2 cores shared by the client, the primary and
every standby, so standbys here cannot add capacity; on machines of their own each adds its
cores for reads. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from postgres import database_url, throwaway_server, throwaway_standby  # noqa: E402
from proxy import children, cpu_seconds  # noqa: E402

# An analyst's pause between actions in bench/load_server.py (2 to 8 s): one page every 5 s.
ANALYST_PAGE_S = 5.0
DATABASE = "bench_replicas"


def analyst(number, primary, standbys, timing, save_every, ready, start, results, close):
    """One analyst's process: pages in a loop once `start` is set, for `timing` (warm-up
    seconds, timed seconds, a tag for its saves' ids); puts (seconds of each timed page,
    failures, reads by server) in `results`."""
    from postgis import map_query, window_at

    from bench import MOVES, PICKS
    from layers.read.load import load_geodata
    from layers.store.postgis import PostgisStore
    from layers.store.replicas import WriteMark
    from layers.view import View

    rng = random.Random(number)
    saved = load_geodata(HERE.parent / "geodata").events.iloc[:1].copy()
    mark = WriteMark()
    times: list[float] = []
    failures: list[str] = []
    with PostgisStore(primary, standbys=standbys, max_connections=2) as store, store.session(mark):
        months = store.summary().months
        ready.put(number)
        start.wait()
        warmup, seconds, tag = timing
        began = time.perf_counter()
        timed_from, page = began + warmup, 0
        while time.perf_counter() < timed_from + seconds:
            page += 1
            nations = tuple(sorted(rng.sample(PICKS, rng.randint(1, 3))))
            view = View(nations=nations)
            center, zoom = MOVES[(number + page) % len(MOVES)]
            window = window_at(center, zoom)
            started = time.perf_counter()
            try:
                store.version()
                store.shown(view, months)
                store.monthly_counts(view, months)
                store.table(view, 1000)
                map_query(store, view, window, months)
                if save_every and page % save_every == 0:
                    saved["id"] = f"analyst-{tag}-{number}-{page}"
                    result = store.write_events(saved, file="events/bench-saves.geojson")
                    assert result.added, result.sentence()
                    # The next page's first read: the save must be there (read-your-writes).
                    assert store.stored_files([saved["id"].iloc[0]]), "own save not read back"
                if started >= timed_from:
                    times.append(time.perf_counter() - started)
            except Exception as error:  # noqa: BLE001 - a failed page is the finding
                if started < timed_from:
                    continue
                failures.append(f"{type(error).__name__}: {str(error).splitlines()[0][:120]}")
            # Answers kept by the process are dropped: each page asks the database, as pages of
            # many analysts on different views do.
            store._cells_cache.clear()
            store._counts_cache.clear()
        results.put((times, failures, dict(store._replicas.reads)))
        close.wait()


def server_cpu(data_dir: Path) -> float:
    """CPU seconds used so far by a server's postmaster and its live backends."""
    pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    return sum(cpu_seconds(p) or 0.0 for p in [pid, *children(pid)])


def machine_cpu() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(value) for value in fields) - int(fields[3]) - int(fields[4])
    return busy / os.sysconf("SC_CLK_TCK")


def one_round(primary, standbys, servers, analysts, seconds, save_every, warmup) -> dict:
    context = multiprocessing.get_context("spawn")
    ready, results = context.Queue(), context.Queue()
    start, close = context.Event(), context.Event()
    workers = [
        context.Process(
            target=analyst,
            args=(
                n,
                primary,
                standbys,
                (warmup, seconds, f"{time.time_ns():x}"),
                save_every,
                ready,
                start,
                results,
                close,
            ),
            daemon=True,  # Ctrl+C on the bench ends its analysts too
        )
        for n in range(analysts)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=300)
    start.set()
    time.sleep(warmup)  # the servers' caches warm for this setup; not counted
    cpu_before = {name: server_cpu(data) for name, data in servers.items()}
    machine_before, wall = machine_cpu(), time.perf_counter()
    found = [results.get(timeout=seconds + 300) for _ in workers]
    wall = time.perf_counter() - wall
    cpu = {name: server_cpu(data) - cpu_before[name] for name, data in servers.items()}
    machine = machine_cpu() - machine_before
    close.set()
    for worker in workers:
        worker.join(timeout=60)
    times = [t for found_times, *_ in found for t in found_times]
    failures = [f for _, found_failures, *_ in found for f in found_failures]
    reads: dict[str, int] = {}
    for *_, by_server in found:
        for name, count in by_server.items():
            reads[name] = reads.get(name, 0) + count
    pages = len(times)
    return {
        "pages_per_s": pages / wall,
        "p50": statistics.median(times) if times else float("nan"),
        "p95": statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else float("nan"),
        "standby_share": (sum(v for k, v in reads.items() if k != "primary") / sum(reads.values()))
        if reads
        else 0.0,
        "failures": failures,
        "cpu_per_page": {name: seconds_used / max(pages, 1) for name, seconds_used in cpu.items()},
        "cores": machine / wall,
        "pages": pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--standbys", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--analysts", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--seconds", type=float, default=20.0, help="timed seconds per round")
    parser.add_argument("--save-every", type=int, default=10, help="pages between saves (0: none)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds not timed per round")
    parser.add_argument(
        "--standby-checkpoint", help="the standbys' checkpoint_timeout, e.g. 30s (default 5min)"
    )
    parser.add_argument(
        "--warm", type=float, default=30.0, help="seconds of pages on every server before all"
    )
    args = parser.parse_args()

    from postgis import SERVER_SETTINGS, load

    print(f"Machine: {os.cpu_count()} cores, shared by the client, the primary and the standbys.")
    # Each standby holds its own shared_buffers: kept modest so three servers fit in memory.
    settings = SERVER_SETTINGS | {"shared_buffers": "512MB", "max_connections": "100"}
    with throwaway_server(settings) as primary_server, contextlib.ExitStack() as stack:
        started = time.perf_counter()
        built, stored = load(primary_server.url, args.events)
        # bench/postgis.py names its database after the size.
        name = f"bench_{args.events}"
        print(
            f"{args.events:,} events stored in {stored:.0f} s (built in {built:.0f} s); "
            f"total {time.perf_counter() - started:.0f} s"
        )
        standby_settings = {}
        if args.standby_checkpoint:
            # A standby sets hint bits on rows changed since its last restartpoint only after
            # the next one; restartpoints follow checkpoint_timeout (5 min by default).
            standby_settings["checkpoint_timeout"] = args.standby_checkpoint
            print(f"standbys: checkpoint_timeout = {args.standby_checkpoint}")
        standby_servers = []
        for _ in range(max(args.standbys)):
            copied = time.perf_counter()
            standby_servers.append(
                stack.enter_context(
                    throwaway_standby(primary_server.url, settings | standby_settings)
                )
            )
            took = time.perf_counter() - copied
            print(f"standby {len(standby_servers)} copied and started in {took:.0f} s")
        primary = database_url(primary_server.url, name)
        if standby_servers:
            # A standby just copied served its first pages several times slower in a first
            # run (325 ms of CPU a page against 48 ms once warm): every server is warmed by
            # one untimed round first, as the primary is by the load.
            all_servers = {"primary": primary_server.data} | {
                f"standby {n}": server.data for n, server in enumerate(standby_servers, start=1)
            }
            one_round(
                primary,
                [database_url(server.url, name) for server in standby_servers],
                all_servers,
                2,
                args.warm,
                0,
                0.0,
            )
            print(f"servers warmed by {args.warm:.0f} s of pages (not counted)")
        rows = []
        for analysts in args.analysts:
            # The primary alone first and again last: the machine is shared, and the two
            # baselines say how much its load drifted during the setups between them.
            base = None
            for count in [0, *args.standbys, 0]:
                used = standby_servers[:count]
                servers = {"primary": primary_server.data} | {
                    f"standby {n}": server.data for n, server in enumerate(used, start=1)
                }
                found = one_round(
                    primary,
                    [database_url(server.url, name) for server in used],
                    servers,
                    analysts,
                    args.seconds,
                    args.save_every,
                    args.warmup,
                )
                base = base or found["pages_per_s"]
                rows.append((count, analysts, found))
                print_row(count, analysts, found, base)
        print_extrapolation(rows)


def print_row(count: int, analysts: int, found: dict, base: float | None) -> None:
    setup = (
        "primary alone" if count == 0 else f"primary + {count} standby" + ("s" if count > 1 else "")
    )
    against = f"{found['pages_per_s'] / base:.2f}× alone" if base else "-"
    cpu = ", ".join(
        f"{name} {value * 1000:.0f} ms" for name, value in found["cpu_per_page"].items()
    )
    print(
        f"{setup:<22} K={analysts:<3} {found['pages_per_s']:6.1f} pages/s ({against}); "
        f"p50 {found['p50'] * 1000:.0f} ms, p95 {found['p95'] * 1000:.0f} ms; "
        f"reads on standbys {found['standby_share']:.0%}; failed pages {len(found['failures'])}; "
        f"server CPU per page: {cpu}; machine {found['cores']:.2f} cores busy"
    )
    for failure in found["failures"][:3]:
        print(f"    failed: {failure}")


def print_extrapolation(rows) -> None:
    """A team's size from the measured server CPU per page (extrapolated: machines of their own)."""
    alone = [found for count, _, found in rows if count == 0]
    with_standbys = [found for count, _, found in rows if count > 0]
    if not alone or not with_standbys:
        return
    primary_alone = statistics.median(found["cpu_per_page"]["primary"] for found in alone)
    standby_read = statistics.median(
        statistics.mean(v for k, v in found["cpu_per_page"].items() if k != "primary")
        for found in with_standbys
    )
    primary_left = statistics.median(found["cpu_per_page"]["primary"] for found in with_standbys)
    print()
    print(
        f"Measured server CPU per page: primary alone {primary_alone * 1000:.0f} ms; with "
        f"standbys, per standby {standby_read * 1000:.0f} ms and the primary "
        f"{primary_left * 1000:.0f} ms "
        "(the saves, the reads right after them, the watcher's samples)."
    )
    print(
        f"Extrapolated (not measured: this machine has {os.cpu_count()} cores for everything), "
        f"one page per analyst every {ANALYST_PAGE_S:.0f} s, servers at 50 % of their cores:"
    )
    for cores in (2, 4, 8):
        alone_analysts = 0.5 * cores / max(primary_alone, 1e-9) * ANALYST_PAGE_S
        line = f"  {cores}-core servers: primary alone ~{alone_analysts:,.0f} analysts"
        for standbys in (1, 2, 4):
            reads = standbys * 0.5 * cores / max(standby_read, 1e-9) * ANALYST_PAGE_S
            primary_cap = 0.5 * cores / max(primary_left, 1e-9) * ANALYST_PAGE_S
            line += f"; +{standbys} standby ~{min(reads, primary_cap):,.0f}"
        print(line)


if __name__ == "__main__":
    main()
