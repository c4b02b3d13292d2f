"""This checkout beside an earlier revision, on the same data, visits alternated.

    python bench/revisions.py --base REV [--size 100000] [--rounds 3]

Checks out REV in a temporary git worktree, writes N synthetic events (bench/synthetic.py)
once, and starts two real servers on them: REV's dashboard and this checkout's. Then, in
turn, each gets bench/bench.py's warm first paint, its filter changes (nations picked one by
one, until the map represents exactly the matching events) and its four map moves (MOVES,
timed from the map's arrival at the new view until it holds the new view's layers), --rounds
times.
Alternating the two in one run is what makes the comparison fair on a shared machine: a
change in the machine's load weighs on both alike. Prints the medians and maxima side by
side. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
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

from browser import launch_chromium, streamlit_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench import (  # noqa: E402
    count_with_nation,
    filter_changes,
    first_paint,
    pan_and_zoom,
    write_synthetic,
)
from layers.aggregate import DETAIL_LIMIT  # noqa: E402


@contextlib.contextmanager
def worktree(revision: str):
    """A temporary checkout of `revision`, with its static assets installed."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(path), revision], cwd=REPO, check=True
        )
        try:
            subprocess.run([sys.executable, "-m", "layers.assets"], cwd=path, check=True)
            yield path
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=REPO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the earlier revision (git rev)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.size <= DETAIL_LIMIT:
        parser.error(f"--size must be over {DETAIL_LIMIT:,}: below it a map move sends nothing")
    with (
        tempfile.TemporaryDirectory() as tmp,
        worktree(args.base) as base,
        sync_playwright() as playwright,
    ):
        data = write_synthetic(args.size, Path(tmp) / "geodata")
        browser = launch_chromium(playwright)
        with (
            streamlit_server(data, base / "dashboard.py", checkout=base) as before,
            streamlit_server(data) as after,
        ):
            urls = {args.base: before.url, "this checkout": after.url}
            for url in urls.values():
                first_paint(browser, url, args.size)  # the cold start: data read and checked
            total = count_with_nation(data, []) or args.size
            moves = {name: [] for name in urls}
            paints = {name: [] for name in urls}
            changes = {name: [] for name in urls}
            for _ in range(args.rounds):
                for name, url in urls.items():
                    moves[name] += pan_and_zoom(browser, url, args.size)[0]
                    paints[name].append(first_paint(browser, url, args.size)[0])
                    changes[name] += filter_changes(browser, url, data, total, 3)[0]
        browser.close()
    print(f"{args.size:,} events, {args.rounds} rounds, visits alternated")
    print(
        "| revision | first paint (warm), median | filter change, median / max "
        "| pan/zoom after the move, median / max |"
    )
    print("|---|---|---|---|")
    for name in urls:
        print(
            f"| {name} | {statistics.median(paints[name]):.2f} s "
            f"| {statistics.median(changes[name]):.2f} s / {max(changes[name]):.2f} s "
            f"| {statistics.median(moves[name]):.2f} s / {max(moves[name]):.2f} s |"
        )


if __name__ == "__main__":
    main()
