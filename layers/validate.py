"""Check a data directory: `python -m layers.validate [DIR]`.

Prints one line per problem (file: feature: field: message) and exits 1 when there is any;
prints a one-line summary and exits 0 when the data is clean. DIR defaults to $GEODATA_DIR or
the repository's geodata/. Never prints a traceback: whatever the files hold, the answer is
problem lines (exit 1) or the summary (exit 0).
"""

from __future__ import annotations

import argparse
import sys

from layers.read.load import data_dir, load_geodata
from layers.read.schema import left_out_count, plural


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m layers.validate",
        description="Check the event and area GeoJSON files of a data directory.",
    )
    parser.add_argument(
        "directory",
        nargs="?",
        help="data directory holding events/ and areas/ (default: $GEODATA_DIR or geodata/)",
    )
    args = parser.parse_args(argv)
    root = args.directory or data_dir()
    geodata = load_geodata(root)
    for problem in geodata.problems:
        print(problem)
    valid = (
        f"{geodata.valid_files:,} of {plural(geodata.files, 'file')}, "
        f"{plural(len(geodata.events), 'event')}, {plural(len(geodata.areas), 'area')}"
    )
    if geodata.problems:
        left_out = plural(left_out_count(geodata.problems), "feature or file", "features or files")
        print(
            f"{plural(len(geodata.problems), 'problem')} ({left_out} left out); valid: {valid}",
            file=sys.stderr,
        )
        return 1
    print(f"OK: {valid} in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
