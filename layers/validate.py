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


def build_parser(prog: str = "python -m layers.validate") -> argparse.ArgumentParser:
    """The command's options; `prog` is how its help names it (`maritime validate` there)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Check the event and area GeoJSON files of a data directory: one line per "
        "problem\n(exit 1), or a one-line summary (exit 0).",
        epilog="examples:\n"
        "  %(prog)s                 # check geodata/ (or $GEODATA_DIR)\n"
        "  %(prog)s path/to/data    # another directory holding events/ and areas/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "directory",
        nargs="?",
        help="data directory holding events/ and areas/ (default: $GEODATA_DIR or geodata/)",
    )
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m layers.validate") -> int:
    """Check the data directory named in `argv` (sys.argv's by default); the exit code: 0 clean,
    1 any problem, 2 a usage error (argparse's)."""
    args = build_parser(prog).parse_args(argv)
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
