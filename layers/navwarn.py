"""Read navigational warnings into exercise-area events:
`python -m layers.navwarn INPUT --output OUT.geojson`, and keep a file of events up to date from
the files dropped in a folder: `python -m layers.navwarn watch DIR --into FILE.geojson`.

INPUT is read as it is published (layers.read.navwarn.sources):
- a text file (.txt or any other suffix): its warnings as published, each from its number;
- NGA's broadcast warnings as XML (`<broadcast-warn>`, `<smaps>`) or JSON
  (`{"broadcast-warn": [...]}`): one warning per record, numbered as NGA writes it
  (`HYDROPAC 2381/26`), its issue date the publication date;
- a CSV/TSV with the warnings in one column (`--column TEXT`, and optionally `--url-column`,
  `--published-column`, `--station-column`); without `--column`, the China MSA scraper's
  columns (content_preview, url, publish_date, channel) when it has them, else a guess, said
  on stderr. The MSA scraper's JSON is read like its CSV.

One event per warning (`layers.read.navwarn`): its title holds the warning's number as written,
its source is the warning, its geometry the warning's areas. Prints each event made (stderr)
and one line per problem, naming the warning left out (stdout); exits 1 when there was any
problem, 0 otherwise; the output is written whole, and only events the validator accepts.
Warnings that do not say who issued them are left out unless `--issuer PREFIX=CODES` (for the
warnings whose number begins with PREFIX) or `--nations` (for all of them) gives the codes.

`watch` (layers.read.navwarn.watch): each new file in DIR is taken once, its warnings added to
FILE idempotently (the same warning twice is one event, a later cancellation marks the
earlier event, a replacement under the same number replaces it), FILE written whole; one line
per warning added, updated, cancelled or unchanged, and per problem. `--once` takes what is
there and exits (tests, cron); without it, DIR is looked at every `--interval` seconds (60)
until interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from layers.convert import report_and_write
from layers.read.load import data_dir, load_areas
from layers.read.navwarn import import_warnings, warning_id, warning_name
from layers.read.navwarn.events import issuer_rules
from layers.read.navwarn.sources import (
    read_source_warnings,
    read_warning_source,
    source_problems,
)


def build_parser(prog: str = "python -m layers.navwarn") -> argparse.ArgumentParser:
    """The command's options; `prog` is how its help names it (`maritime navwarn` there).
    `PROG watch` has its own (build_watch_parser)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Read navigational warnings into exercise-area events (GeoJSON): one event "
        "per warning,\none line per warning left out (exit 1). `watch DIR --into FILE` keeps "
        "FILE up to date\nfrom the files dropped in DIR (`watch --help`; docs/navwarn.md).",
        epilog="examples:\n"
        "  %(prog)s warnings.txt --output geodata/events/warnings.geojson\n"
        "  %(prog)s broadcasts.txt --issuer 'NAVAREA XI=JPN' --output out.geojson\n"
        "  %(prog)s watch inbox/ --into geodata/events/warnings.geojson",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input",
        help="a text file (warnings as published), NGA's broadcast warnings (.xml, .json) or a CSV",
    )
    parser.add_argument("--output", required=True, help="the GeoJSON file to write")
    parser.add_argument("--column", help="with a CSV: the column holding each warning's text")
    parser.add_argument("--url-column", help="with a CSV: the column holding its URL")
    parser.add_argument(
        "--published-column", help="with a CSV: the column holding its publication date"
    )
    parser.add_argument(
        "--station-column",
        help="with a CSV: the column naming the station whose page it is (an MSA bureau, "
        "广西海事局), given to the reader as the page's 来源 line",
    )
    parser.add_argument("--published", help="publication date (YYYY-MM-DD) of a text file")
    _nations_argument(parser)
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m layers.navwarn") -> int:
    """Read the warnings file named in `argv` (sys.argv's by default), or `watch` a folder;
    the exit code: 0 every warning gave an event, 1 any problem, 2 a usage error."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["watch"]:
        return watch_main(argv[1:], prog=f"{prog} watch")
    args = build_parser(prog).parse_args(argv)
    rules = _rules(args.issuer)
    if rules is None:
        return 1
    source_path, output = Path(args.input), Path(args.output)
    try:
        raw = source_path.read_bytes()
    except OSError as error:
        print(f"cannot read {source_path}: {error.strerror}")
        return 1
    label = source_path.name
    source = read_warning_source(
        label,
        raw,
        label,
        column=args.column,
        url_column=args.url_column,
        published_column=args.published_column,
        station_column=args.station_column,
        published=_date(args.published),
    )
    for note in source.notes:
        print(note, file=sys.stderr)
    if not source.records:
        for problem in source.problems:
            print(problem)
        if not source.problems:
            print(f"{label}: holds no warning")
        return 1
    read = read_source_warnings(source)
    areas, _ = load_areas(data_dir())
    nations = _nations(args.nations)
    events, found = import_warnings(
        source.items(),
        label,
        nations,
        set(areas["id"]),
        read=read,
        issuers=issuer_rules(read, rules),
    )
    for _, event in events.iterrows():
        end = f" to {event['end_text']}" if event["end_text"] else ""
        print(f"{label}: event {event['title']}: {event['start_text']}{end}", file=sys.stderr)
    made = set(events["id"]) if len(events) else set()
    for index, (warning, *_, row) in enumerate(read, start=1):
        if warning.cancels and warning_id(warning) not in made:
            name = warning_name(index, warning, row)
            if source.unit == "record":
                name = name.replace("row #", "record #", 1)
            print(
                f"{label}: {name}: cancels {', '.join(warning.cancels)}; no event of its own",
                file=sys.stderr,
            )
    return report_and_write(events, source_problems(source, found), output)


def build_watch_parser(prog: str = "python -m layers.navwarn watch") -> argparse.ArgumentParser:
    """`watch`'s options; `prog` is how its help names it (`maritime navwarn watch` there)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Take each new warnings file dropped in DIR (.txt, .csv, .tsv, .xml, .json) "
        "into FILE,\nidempotently, and say what changed: one line per warning added, updated, "
        "cancelled or\nunchanged, and per problem.",
        epilog="examples:\n"
        "  %(prog)s inbox/ --into geodata/events/warnings.geojson --once\n"
        "      # take the files there now, and exit (from cron)\n"
        "  %(prog)s inbox/ --into geodata/events/warnings.geojson\n"
        "      # look again every 60 seconds until Ctrl-C",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("directory", help="the folder warnings files are dropped in")
    parser.add_argument("--into", required=True, help="the GeoJSON file of events to keep")
    parser.add_argument("--once", action="store_true", help="take what is there and exit")
    parser.add_argument(
        "--interval", type=float, default=60.0, help="seconds between looks (default 60)"
    )
    _nations_argument(parser)
    return parser


def watch_main(argv: list[str], prog: str = "python -m layers.navwarn watch") -> int:
    """`watch` DIR --into FILE from `argv`; the exit code is watch()'s (1 for a bad option)."""
    from layers.read.navwarn.watch import watch

    args = build_watch_parser(prog).parse_args(argv)
    rules = _rules(args.issuer)
    if rules is None:
        return 1
    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"{directory}: not a folder")
        return 1
    if args.interval <= 0:
        print(f"--interval {args.interval:g}: give a number of seconds above 0")
        return 1
    areas, _ = load_areas(data_dir())
    return watch(
        directory,
        Path(args.into),
        _nations(args.nations),
        set(areas["id"]),
        interval=args.interval,
        once=args.once,
        say=lambda line: print(line, flush=True),
        rules=rules,
    )


def _nations_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--nations",
        help="ISO 3166-1 alpha-3 codes (comma-separated) for warnings that do not say who "
        "issued them",
    )
    parser.add_argument(
        "--issuer",
        action="append",
        default=[],
        metavar="PREFIX=CODES",
        help="for warnings whose number begins with PREFIX and whose text does not say who "
        "issued them, these ISO 3166-1 alpha-3 codes (comma-separated); repeat for several "
        "rules, the longest prefix wins: --issuer 'NAVAREA XI=JPN' --issuer 'HYDROPAC=USA'",
    )


def _rules(written: list[str]) -> list[tuple[str, list[str]]] | None:
    """The --issuer rules as (prefix, codes); None (and one line said) for one not PREFIX=CODES."""
    rules = []
    for rule in written:
        prefix, sign, codes = rule.partition("=")
        if not sign or not prefix.strip() or not _nations(codes):
            print(f"--issuer {rule!r}: write PREFIX=CODES, e.g. 'HYDROPAC=USA'")
            return None
        rules.append((prefix.strip(), _nations(codes)))
    return rules


def _nations(text: str | None) -> list[str]:
    return [code.strip().upper() for code in (text or "").split(",") if code.strip()]


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main())
