"""Read navigational warnings into exercise-area events:
`python -m layers.navwarn INPUT --output OUT.geojson`.

INPUT is a text file with one warning per paragraph, or a CSV with the warnings in one column
(`--column TEXT`, and optionally `--url-column`, `--published-column`). One event per warning
(`layers.read.navwarn`): its title holds the warning's number as written, its source is the
warning, its geometry the warning's areas. Prints one line per problem and exits 1 when there
was any, 0 otherwise; the output is written whole, and only events the validator accepts.
Warnings that do not say who issued them are left out unless `--nations` gives the codes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from layers.convert import report_and_write
from layers.read.load import data_dir, load_areas
from layers.read.navwarn import import_warnings
from layers.read.sources import read_source


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m layers.navwarn",
        description="Read navigational warnings into exercise-area events (GeoJSON).",
    )
    parser.add_argument("input", help="a text file (one warning per paragraph) or a CSV")
    parser.add_argument("--output", required=True, help="the GeoJSON file to write")
    parser.add_argument("--column", help="with a CSV: the column holding each warning's text")
    parser.add_argument("--url-column", help="with a CSV: the column holding its URL")
    parser.add_argument(
        "--published-column", help="with a CSV: the column holding its publication date"
    )
    parser.add_argument("--published", help="publication date (YYYY-MM-DD) of a text file")
    parser.add_argument(
        "--nations",
        help="ISO 3166-1 alpha-3 codes (comma-separated) for warnings that do not say who "
        "issued them",
    )
    args = parser.parse_args(argv)
    source, output = Path(args.input), Path(args.output)
    try:
        raw = source.read_bytes()
    except OSError as error:
        print(f"cannot read {source}: {error.strerror}")
        return 1
    nations = [code.strip().upper() for code in (args.nations or "").split(",") if code.strip()]
    published = _date(args.published)
    if args.column:
        table = read_source(source.name, raw, source.name)
        if args.column not in table.columns:
            print(f'{source.name}: no column "{args.column}" ({table.describe()})')
            return 1
        items = [
            (
                row.get(args.column, ""),
                row.get(args.url_column or "", "") or None,
                _date(row.get(args.published_column or "", "")),
                number,
            )
            for number, row in table.rows
        ]
        problems = list(table.problems)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            print(f"{source.name}: not UTF-8 text (byte {error.start}); save it as UTF-8")
            return 1
        items = [(text, None, published, None)]
        problems = []
    areas, _ = load_areas(data_dir())
    events, found = import_warnings(items, source.name, nations, set(areas["id"]))
    return report_and_write(events, problems + found, output)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main())
