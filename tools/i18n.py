"""The page's gettext catalogues: extract the messages from the code, bring each language's
catalogue up to date, and say what is not yet translated (layers/i18n.py).

    python tools/i18n.py extract   # layers/locales/messages.pot from the code
    python tools/i18n.py update    # every messages.po gets the new ids; translations are kept
    python tools/i18n.py check     # each id with no translation, per language; exit 1 if any
    python tools/i18n.py todo PART FILE...  # PART.po per language: the untranslated ids of FILEs

Messages are marked in the code with `_("…")`, `ngettext("…", "…", n)`, `pgettext("ctx", "…")`,
`N_("…")` and `Message("…", name=…)` (layers/i18n.py). An f-string cannot be looked up: write
`_("{count} events").format(count=n)`.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layers.i18n import CATALOGUE_LOCALES, LOCALES_DIR, catalogue_path, placeholders  # noqa: E402

TEMPLATE = LOCALES_DIR / "messages.pot"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "Message": None,
}
SOURCE_DIRS = ("dashboard_ui", "layers")
SOURCE_FILES = ("dashboard.py",)


def extract() -> Catalog:
    """Every message the page can show, as a catalogue template (ids, no translations)."""
    template = Catalog(
        project="maritime-dashboard", charset="utf-8", creation_date=STARTED, fuzzy=False
    )
    method_map = [("**.py", "python")]
    found = []
    for folder in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, method_map, keywords=KEYWORDS, strip_comment_tags=True
        ):
            found.append((f"{folder}/{filename}", lineno, message, comments, context))
    for name in SOURCE_FILES:
        for lineno, message, comments, context in extract_from_file(
            "python", ROOT / name, keywords=KEYWORDS
        ):
            found.append((name, lineno, message, comments, context))
    for filename, lineno, message, comments, context in sorted(found, key=lambda f: f[:2]):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def write_template(template: Catalog) -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as file:
        write_po(file, template, width=100, omit_header=False, sort_output=False)


# The catalogues' header keeps one date (when they were started), so regenerating them changes
# only their messages.
STARTED = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)


def new_catalogue(tag: str) -> Catalog:
    return Catalog(
        locale=CATALOGUE_LOCALES[tag],
        project="maritime-dashboard",
        creation_date=STARTED,
        revision_date=STARTED,
        fuzzy=False,
    )


def read_file(tag: str, path: Path) -> Catalog:
    if not path.is_file():
        return new_catalogue(tag)
    with path.open("rb") as file:
        return read_po(file, locale=CATALOGUE_LOCALES[tag])


def part_paths(tag: str) -> list[Path]:
    folder = catalogue_path(tag).parent
    return sorted(path for path in folder.glob("*.po") if path.name != "messages.po")


def read_catalogue(tag: str) -> Catalog:
    """A language's catalogue: messages.po with every part catalogue's translations added."""
    catalogue = read_file(tag, catalogue_path(tag))
    for path in part_paths(tag):
        for message in read_file(tag, path):
            if not message.id or not message.string:
                continue
            have = catalogue.get(message.id, context=message.context)
            if have is None or not have.string:
                catalogue.add(
                    message.id,
                    message.string,
                    message.locations,
                    context=message.context,
                    flags=message.flags,
                )
    return catalogue


def write_file(path: Path, catalogue: Catalog) -> None:
    catalogue.fuzzy = False
    catalogue.creation_date = STARTED
    catalogue.revision_date = STARTED
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue, width=100, include_previous=False)


def update(template: Catalog) -> None:
    """Each language's catalogue gets the template's ids; its translations are kept, and ids no
    longer in the code are dropped. No fuzzy guesses: a new id stays untranslated until a
    person translates it."""
    for tag in CATALOGUE_LOCALES:
        catalogue = read_catalogue(tag)  # the part catalogues folded in
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        write_file(catalogue_path(tag), catalogue)
        for path in part_paths(tag):
            path.unlink()


def todo(template: Catalog, part: str, files: list[str]) -> None:
    """PART.po in each language's folder: every message of `files` that no catalogue of that
    language translates yet, to be translated there (its existing entries are kept)."""
    wanted = {Path(name).resolve() for name in files}
    for tag in CATALOGUE_LOCALES:
        have = read_catalogue(tag)
        path = catalogue_path(tag).parent / f"{part}.po"
        catalogue = read_file(tag, path)
        for message in template:
            if not message.id or not any(
                (ROOT / location).resolve() in wanted for location, _line in message.locations
            ):
                continue
            done = have.get(message.id, context=message.context)
            mine = catalogue.get(message.id, context=message.context)
            if (done is not None and done.string) or mine is not None:
                continue
            empty = ("", "") if isinstance(message.id, tuple) else ""
            catalogue.add(message.id, empty, message.locations, context=message.context)
        write_file(path, catalogue)
        print(f"{path.relative_to(ROOT)}: {len(catalogue)} messages")


def untranslated(template: Catalog, tag: str) -> list[str]:
    """One line per message of `template` that the language's catalogue does not translate,
    translates only in part (a plural form missing), marks fuzzy, or translates with other
    replacement fields than the id's."""
    catalogue = read_catalogue(tag)
    lines = []
    for message in template:
        if not message.id:
            continue
        entry = catalogue.get(message.id, context=message.context)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        label = repr(ids[0]) + (f" (context {message.context!r})" if message.context else "")
        if entry is None or not entry.string:
            lines.append(f"{tag}: no translation of {label}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(strings):
            lines.append(f"{tag}: fuzzy or incomplete translation of {label}")
            continue
        wanted = placeholders(ids[-1]) | placeholders(ids[0])
        for text in strings:
            if placeholders(text) - wanted or (placeholders(ids[0]) - placeholders(text)):
                lines.append(
                    f"{tag}: the translation of {label} has fields {sorted(placeholders(text))},"
                    f" the message {sorted(wanted)}"
                )
                break
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "update", "check", "todo"))
    parser.add_argument("part", nargs="?", help="todo: the part catalogue's name")
    parser.add_argument("files", nargs="*", help="todo: the source files it translates")
    args = parser.parse_args(argv)
    template = extract()
    if args.command == "todo":
        if not args.part or not args.files:
            parser.error("todo needs a part name and the source files it translates")
        todo(template, args.part, args.files)
        return 0
    if args.command == "extract":
        write_template(template)
        print(f"{TEMPLATE.relative_to(ROOT)}: {len(template)} messages")
        return 0
    if args.command == "update":
        write_template(template)
        update(template)
        print(f"{len(template)} messages; catalogues updated: {', '.join(CATALOGUE_LOCALES)}")
        return 0
    missing = [line for tag in CATALOGUE_LOCALES for line in untranslated(template, tag)]
    for line in missing:
        print(line)
    print(f"{len(template)} messages, {len(missing)} not translated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
