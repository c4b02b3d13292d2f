"""Check a data directory: `python -m layers.validate [DIR]`.

Prints one line per problem (file: feature: field: message) and exits 1 when there is any;
prints a one-line summary and exits 0 when the data is clean. DIR defaults to $GEODATA_DIR or
the repository's geodata/.
"""

from __future__ import annotations

import argparse
import sys

from layers.read.load import data_dir, load_geodata


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
    summary = f"{geodata.files} files, {len(geodata.events)} events, {len(geodata.areas)} areas"
    if geodata.problems:
        skipped = sum(problem.skipped for problem in geodata.problems)
        print(
            f"{len(geodata.problems)} problems ({skipped} features or files left out); "
            f"valid: {summary}",
            file=sys.stderr,
        )
        return 1
    print(f"OK: {summary} in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
