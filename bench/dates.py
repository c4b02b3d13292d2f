"""How long a mapping takes to read date columns, now and before times, ranges and lists of
forms were read (issue 22).

    python bench/dates.py [--rows 20000] [--repeat 3] [--old REV]

Builds a CSV of --rows rows (title, date, nation, lat, lon) for each way a list writes dates
(ISO days, a strptime form, two forms in a list, ISO date-times with an offset, ranges in one
cell) and imports it with `layers.read.mapping.import_table`, printing the best and median
time beside the mapping of the revision --old (default: the commit before the branch's first
change to layers/read/mapping.py for times, found with git; its module is loaded from
`git show` and uses today's layers.read.load), in the same run. A shape the old mapping cannot
read (a list of forms, a range) is timed as the rows it refuses; the events each imports are
counted beside the times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from old_module import module_before  # noqa: E402

import layers.read.mapping as now_mapping  # noqa: E402
from layers.read.load import load_geodata  # noqa: E402
from layers.read.sources import read_source  # noqa: E402

MAPPING = """
[source]
title = "Bench list"
[fields]
title = {{ column = "Title" }}
kind = {{ value = "patrol" }}
start = {start}
nations = {{ column = "Country" }}
[geometry]
lat = "Lat"
lon = "Lon"
"""
FIRST = dt.datetime(2024, 1, 1, 6, 30)
SHAPES = {
    # name: (start rule, a row's date cell from its number)
    "ISO days": ('{ column = "Date" }', lambda n: (FIRST + dt.timedelta(days=n % 300)).date()),
    "a form": (
        '{ column = "Date", format = "%d/%m/%Y" }',
        lambda n: (FIRST + dt.timedelta(days=n % 300)).strftime("%d/%m/%Y"),
    ),
    "two forms": (
        '{ column = "Date", format = ["%m/%d/%y", "%m/%d/%Y"] }',
        lambda n: (FIRST + dt.timedelta(days=n % 300)).strftime(
            "%m/%d/%y" if n % 2 else "%m/%d/%Y"
        ),
    ),
    "ISO date-times": (
        '{ column = "Date" }',
        lambda n: (FIRST + dt.timedelta(hours=n % 5000)).strftime("%Y-%m-%dT%H:%M:%S+09:00"),
    ),
    "ranges": (
        '{ column = "Date", format = "%m/%d/%Y" }',
        lambda n: (
            (FIRST + dt.timedelta(days=n % 300)).strftime("%m/%d/%Y")
            + " - "
            + (FIRST + dt.timedelta(days=n % 300 + 3)).strftime("%m/%d/%Y")
        ),
    ),
}


def old_import(revision: str | None):
    """`import_table` of `layers/read/mapping.py` at `revision` (default: found), or None."""
    return module_before("layers/read/mapping.py", ["-S", "def written_moment"], revision)


def timed(module, table, mapping_text: str, areas, repeat: int):
    try:
        mapping = module.parse_mapping(mapping_text)
    except Exception:  # the old mapping refuses a list of forms
        return None
    times, events = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        events, _ = module.import_table(table, mapping, "bench.csv", areas)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), len(events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old", help="git revision of the mapping to compare (default: found)")
    args = parser.parse_args()
    areas = load_geodata(ROOT / "geodata").areas
    old, revision = old_import(args.old)
    now = now_mapping
    print(f"{args.rows:,} rows, best and median of {args.repeat} imports (s), events imported")
    head = f"{'dates':<16}{'now best':>10}{'median':>9}{'events':>8}"
    if old:
        head += f"{'old best':>10}{'median':>9}{'events':>8}   (old: {revision})"
    print(head)
    for name, (rule, cell) in SHAPES.items():
        lines = ["Title,Date,Country,Lat,Lon"]
        lines += [
            f'Row {n},"{cell(n)}",CHN,{20 + n % 10 / 10},{120 + n % 7 / 10}'
            for n in range(args.rows)
        ]
        table = read_source("bench.csv", ("\n".join(lines) + "\n").encode(), "bench.csv")
        text = MAPPING.format(start=rule)
        best, median, count = timed(now, table, text, areas, args.repeat)
        line = f"{name:<16}{best:>10.2f}{median:>9.2f}{count:>8,}"
        if old:
            result = timed(old, table, text, areas, args.repeat)
            if result is None:
                line += f"{'refused':>27}"
            else:
                line += f"{result[0]:>10.2f}{result[1]:>9.2f}{result[2]:>8,}"
        print(line)


if __name__ == "__main__":
    main()
