"""How long a workbook takes to read, with and without a styled empty cell far to the right.

    python bench/workbook.py [--rows 40000] [--repeat 3] [--old REV]

Builds, with openpyxl, workbooks of --rows rows × 8 columns (title, date cell, nation, latitude,
longitude, kind, count, note): the same rows plain, with one styled empty cell far to the right
(XFD1 on the header row; ZZ on the last row) and with a styled empty cell at ZZ on every row.
Reads each --repeat times with `layers.read.workbook.read_workbook` and prints the best and
the median time beside each other, in the same run; with the reader of the revision --old
beside them (default: the parent of the commit that replaced the cell-by-cell reader, found
with git; its `layers/read/workbook.py` is loaded from `git show` as a module of its own, and
uses today's `layers.read.table` and `layers.read.schema`). Each reader's rows are compared:
a difference is printed. Reading time should follow the columns the header names: the far
cell should cost nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from old_module import module_before  # noqa: E402
from openpyxl.styles import PatternFill  # noqa: E402

from layers.read.workbook import read_workbook  # noqa: E402

HEADER = ["Title", "Date", "Country", "Lat", "Lon", "Kind", "Ships", "Note"]
FILL = PatternFill("solid", fgColor="FFFF00")


def build(rows: int, far: str) -> bytes:
    """The workbook: `far` is "" (none), "XFD1", "ZZ-last" or "ZZ-every"."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    start = dt.datetime(2024, 1, 1)
    for n in range(rows):
        sheet.append(
            [
                f"Sighting {n}",
                start + dt.timedelta(days=n % 300),
                "CHN",
                20 + (n % 10) / 10,
                120 + (n % 7) / 10,
                "patrol",
                n % 5,
                "note",
            ]
        )
        if far == "ZZ-every":
            sheet.cell(n + 2, 702).fill = FILL
    if far == "XFD1":
        sheet["XFD1"].fill = FILL
    elif far == "ZZ-last":
        sheet.cell(rows + 1, 702).fill = FILL
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def old_reader(revision: str | None):
    """`read_workbook` of `layers/read/workbook.py` at `revision`, or None without git."""
    # The commit that dropped the cell-by-cell reader's reset_dimensions(): its parent.
    module, short = module_before(
        "layers/read/workbook.py", ["-G", "reset_dimensions"], revision, newest=True
    )
    return (module.read_workbook, short) if module is not None else (None, None)


def timed(read, raw: bytes, repeat: int):
    times, table = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        table = read(raw, "bench.xlsx")
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old", help="git revision of the reader to compare (default: found)")
    args = parser.parse_args()
    old, revision = old_reader(args.old)
    print(f"{args.rows:,} rows x {len(HEADER)} columns, best and median of {args.repeat} reads")
    head = f"{'workbook':<34}{'now best':>10}{'median':>9}"
    if old:
        head += f"{'old best':>10}{'median':>9}   (old: {revision})"
    print(head)
    shapes = [
        ("plain", ""),
        ("styled empty cell at XFD1", "XFD1"),
        ("styled empty cell at ZZ, last row", "ZZ-last"),
        ("styled empty cell at ZZ, every row", "ZZ-every"),
    ]
    for name, far in shapes:
        raw = build(args.rows, far)
        best, median, table = timed(read_workbook, raw, args.repeat)
        line = f"{name:<34}{best:>9.2f}s{median:>8.2f}s"
        if old:
            old_best, old_median, old_table = timed(old, raw, args.repeat)
            line += f"{old_best:>9.2f}s{old_median:>8.2f}s"
            if old_table.rows != table.rows:
                line += "   rows differ!"
        print(line + f"   {len(table.rows):,} rows, {len(table.problems)} problems", flush=True)


if __name__ == "__main__":
    main()
