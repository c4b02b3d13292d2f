"""Turn an analyst's list into event GeoJSON with a mapping:
`python -m layers.convert INPUT --mapping MAPPING.toml --output OUT.geojson`.

INPUT is CSV/TSV, XLSX, KML, KMZ, GPX, GeoPackage, a zipped Shapefile, FlatGeobuf or GeoJSON
with other properties (`layers.read.sources`); MAPPING is the TOML of docs/import.md. Writes
the valid events as one FeatureCollection that `python -m layers.validate` accepts, prints
one line per problem (`strait-transits.csv: row #8: start: "2024/10/32" is not a date in the
form %Y/%m/%d`), and exits 1 when there was any problem, 0 otherwise. The output is written
whole or not at all (a temporary file renamed into place), and only after it has been read
back through the validator. A mapping that cannot read the file (a column it names is
missing) writes nothing, and so does a file that gives no event. Rows the mapping's [[skip]]
conditions leave out are counted in the summary, by reason; they are no problem and do not
make the exit code 1.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from layers.export.tables import events_geojson
from layers.read.load import (
    collect_features,
    data_dir,
    load_geodata,
    parse_event,
    read_features,
)
from layers.read.mapping import MappingError, import_table, parse_mapping, rows_left_out
from layers.read.schema import plural
from layers.read.sources import read_source


def build_parser(prog: str = "python -m layers.convert") -> argparse.ArgumentParser:
    """The command's options; `prog` is how its help names it (`maritime convert` there)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Convert a list (CSV, XLSX, KML, …) into event GeoJSON with a mapping: one "
        "line per\nproblem row (exit 1), the valid events written whole (docs/import.md).",
        epilog="example:\n"
        "  %(prog)s transits.csv --mapping transits.mapping.toml \\\n"
        "      --output geodata/events/transits.geojson\n"
        "(a mapping is saved from the dashboard's import step, or written by hand)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input",
        help="the list: .csv, .tsv, .txt, .xlsx, .xlsm, .kml, .kmz, .gpx, .gpkg, .zip (Shapefiles "
        "and the rest), .geojson, .fgb (docs/import.md)",
    )
    parser.add_argument("--mapping", required=True, help="the mapping (TOML, docs/import.md)")
    parser.add_argument("--output", required=True, help="the GeoJSON file to write")
    parser.add_argument(
        "--data",
        help="data directory for named areas and ids already in use "
        "(default: $GEODATA_DIR or geodata/)",
    )
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m layers.convert") -> int:
    """Convert the list named in `argv` (sys.argv's by default); the exit code: 0 every row
    gave an event, 1 any problem or nothing written, 2 a usage error (argparse's)."""
    args = build_parser(prog).parse_args(argv)
    source, mapping_path, output = Path(args.input), Path(args.mapping), Path(args.output)
    try:
        raw = source.read_bytes()
        mapping_text = mapping_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        name = getattr(error, "filename", None) or mapping_path
        print(f"cannot read {name}: {getattr(error, 'strerror', None) or 'not UTF-8 text'}")
        return 1
    try:
        mapping = parse_mapping(mapping_text)
    except MappingError as error:
        for problem in error.problems:
            print(f"{mapping_path.name}: {problem}")
        return 1
    if output.is_dir() or any(parent.is_file() for parent in output.parents):
        print(f"{output}: cannot be written there (a folder, or under a file)")
        return 1
    data = Path(args.data or data_dir())
    if not data.is_dir():
        print(f"{data}: data directory not found (named areas and ids in use are read there)")
        return 1
    geodata = load_geodata(data)
    # Ids in the file being replaced are not taken: re-importing a list overwrites its events.
    replaced = {output.resolve()}
    root = data.resolve()
    taken = {
        event_id: file
        for event_id, file in zip(geodata.events["id"], geodata.events["file"], strict=False)
        if (root / file).resolve() not in replaced
    }
    table = read_source(
        source.name,
        raw,
        source.name,
        sheet=mapping.source.get("sheet"),
        encoding=mapping.source.get("encoding"),
    )
    left_out = rows_left_out(table, mapping)
    try:
        events, problems = import_table(
            table, mapping, source.name, geodata.areas, taken, left_out=left_out
        )
    except MappingError as error:
        for problem in error.problems:
            print(f"{mapping_path.name}: {problem}")
        return 1
    # What the reader did that is no problem (the sheet read, the encoding detected, merged
    # cells filled) goes with the summary, so the analyst sees how the file was read.
    for note in table.notes:
        print(f"{source.name}: {note}", file=sys.stderr)
    if table.encodings and not table.columns:  # an encoding in doubt: say how to answer it
        named = ", ".join(f'"{name}"' for name in table.encodings[1:4])
        print(
            f"{mapping_path.name}: to read it, name its encoding under [source]: encoding = "
            f'"{table.encodings[0]}"' + (f" (or {named})" if named else ""),
            file=sys.stderr,
        )
    # Rows the mapping's [[skip]] conditions leave out are the analyst's choice, not problems:
    # counted with the summary, and no cause for exit 1.
    if left_out.count:
        print(f"{source.name}: {left_out.summary(table.noun)}", file=sys.stderr)
    return report_and_write(events, problems, output, left_out.count)


def report_and_write(events, problems: list, output: Path, left_out: int = 0) -> int:
    """Print each problem, write the events as GeoJSON (whole, and only once they read back
    through the validator), print the summary; the exit code: 1 when there was any problem.

    No events is never a success: nothing is written (an existing file is kept) and the exit
    code is 1, whether or not a problem says why. `left_out` counts the rows the mapping
    chose to leave out (no problem), for the line that says why nothing was written.
    """
    for problem in problems:
        print(problem)
    alike = commonest_problem(problems)
    if alike:
        print(alike, file=sys.stderr)
    if events.empty:
        if problems:
            why = "no row gave an event"
        elif left_out:
            why = "the mapping left out every row"
        else:
            why = "the file holds no rows"
        print(f"{output}: not written: {why} (an existing file is kept)")
        return 1
    text = events_geojson(events)
    if not reads_back(text, len(events)):
        print(f"{output}: not written: the events did not read back as valid (please report)")
        return 1
    write_whole(output, text)
    print(
        f"{plural(len(events), 'event')} written to {output}; {plural(len(problems), 'problem')}",
        file=sys.stderr,
    )
    return 1 if problems else 0


# Quoted values in a problem's message ("2013-09-19 05:24:50"): two problems that differ only
# in them are the same problem, in other rows.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
# From this many problems alike, the summary says so: the cause is in the mapping, not the rows.
ALIKE_AT_LEAST = 20


def commonest_problem(problems: list) -> str | None:
    """One line when at least ALIKE_AT_LEAST problems, and most of them, say the same thing of
    the same field in different rows (a missing [source] timezone gives one per row): how
    many, and the first of them; None otherwise."""
    if len(problems) < ALIKE_AT_LEAST:
        return None
    kinds: dict[tuple, list] = {}
    for problem in problems:
        kinds.setdefault((problem.field, _QUOTED.sub("…", problem.message)), []).append(problem)
    alike = max(kinds.values(), key=len)
    if len(alike) < ALIKE_AT_LEAST or 2 * len(alike) <= len(problems):
        return None
    return (
        f"{len(alike):,} of the {len(problems):,} problems are alike but for their values, "
        f"the first: {alike[0]}"
    )


def reads_back(text: str, count: int) -> bool:
    """True when the written GeoJSON passes the event validator with every event intact
    (warnings such as a position far from the map's region do not count: the validator shows
    such events too)."""
    features, problems = read_features(text.encode("utf-8"), "output")
    rows = collect_features(features, "output", parse_event, [], problems)
    return not any(problem.skipped for problem in problems) and len(rows) == count


def write_whole(path: Path, text: str) -> None:
    """Write `text` to `path` at once: a temporary file beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        # mkstemp makes the file private (0600); a data file is as readable as any other.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
