"""The docs a newcomer reads: every link goes somewhere, and the commands shown run as shown.

Links: every relative link and #anchor in README.md and docs/*.md must name a file of the
repository and, with an anchor, a heading of that file as GitHub spells its anchor (lower case,
punctuation dropped, spaces to hyphens, a repeated heading numbered -1, -2…). A page moved or a
heading renamed leaves a dangling link, which fails here.

Runnable examples (as sqlite-utils checks its docs with cog): a ```console block right after
`<!-- runnable -->` (or `<!-- runnable: exit N -->`) holds `$ command` lines, each followed by
lines its output must contain. Each command is run in a temporary copy of geodata/ and docs/
with this checkout's `maritime` on PATH; its exit code must be the one marked (0 unless said)
and each expected line must be a line of what it printed (stdout and stderr); a line `…` stands
for lines the example leaves out.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

FENCE = re.compile(r"^\s*(```|~~~)")
# [text](target) and ![alt](target); a target has no spaces (an optional "title" follows one).
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"`+[^`]*`+")
RUNNABLE = re.compile(r"^<!--\s*runnable(?::\s*exit\s+(\d+))?\s*-->\s*$")


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The page's lines outside fenced code blocks, numbered from 1."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def github_anchor(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, characters other than letters,
    digits, '_', '-' and spaces dropped, each space a hyphen (github/cmark-gfm's toc filter)."""
    text = INLINE_CODE.sub(lambda m: m.group(0).strip("`"), heading.strip())
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading: its text
    text = re.sub(r"<[^>]+>", "", text).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor a page's headings give, repeated ones numbered as GitHub numbers them."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        match = re.match(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        base = github_anchor(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(path: Path) -> list[tuple[int, str]]:
    """(line, target) of each link in a page's prose that is not to another site."""
    links = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for match in LINK.finditer(INLINE_CODE.sub("", line)):
            target = match.group(1)
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):  # http:, mailto: …
                continue
            links.append((number, target))
    return links


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_and_anchor_resolves(page):
    dangling = []
    for number, target in relative_links(page):
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        where = f"{page.relative_to(REPO)}:{number}: {target}"
        if not file.exists():
            dangling.append(f"{where} (no such file)")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            dangling.append(f"{where} (no heading with that anchor)")
    assert not dangling, "links to nowhere:\n" + "\n".join(dangling)


def test_anchors_follow_github():
    # The rule the link test relies on, on headings of these docs.
    assert github_anchor("A shared store for teams (PostGIS)") == "a-shared-store-for-teams-postgis"
    assert github_anchor("Draw, measure and keep your own areas") == (
        "draw-measure-and-keep-your-own-areas"
    )
    assert github_anchor("1. The database: an owner for the schema") == (
        "1-the-database-an-owner-for-the-schema"
    )
    assert github_anchor("`maritime navwarn watch`") == "maritime-navwarn-watch"


def runnable_examples() -> list[tuple[str, str, int, list[str]]]:
    """(where, command, exit code, expected lines) for each command in a runnable block."""
    examples = []
    for page in PAGES:
        # Stripped: a block may be indented inside a list item.
        lines = [line.strip() for line in page.read_text(encoding="utf-8").splitlines()]
        for index, line in enumerate(lines):
            marker = RUNNABLE.match(line)
            if not marker:
                continue
            code = int(marker.group(1) or 0)
            assert index + 1 < len(lines) and lines[index + 1].startswith("```console"), (
                f"{page.name}:{index + 1}: a runnable mark must stand"
                " right before a ```console block"
            )
            block = []
            for body in lines[index + 2 :]:
                if body.startswith("```"):
                    break
                block.append(body)
            command, expected = None, []
            for body in [*block, "$ "]:
                if body.startswith("$ "):
                    if command:
                        examples.append((f"{page.name}:{index + 1}", command, code, expected))
                    command, expected = body[2:].strip(), []
                elif body.strip() not in ("", "…", "..."):  # '…': lines left out of the example
                    expected.append(body.strip())
    return examples


EXAMPLES = runnable_examples()


def test_the_docs_mark_their_main_commands_runnable():
    # A newcomer's first commands must stay among the runnable ones.
    commands = [shlex.split(command)[:2] for _, command, _, _ in EXAMPLES]
    for wanted in (["maritime", "--help"], ["maritime", "validate"], ["maritime", "convert"]):
        assert wanted in commands, f"no runnable `{' '.join(wanted)}` in the docs"
    assert ["maritime", "navwarn"] in commands


@pytest.mark.parametrize(
    ("where", "command", "code", "expected"), EXAMPLES, ids=[e[1][:60] for e in EXAMPLES]
)
def test_runnable_example(where, command, code, expected, tmp_path):
    shutil.copytree(REPO / "geodata", tmp_path / "geodata", ignore=shutil.ignore_patterns(".cache"))
    shutil.copytree(REPO / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("images"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("GEODATA_DIR", None)
    env["COLUMNS"] = "80"  # argparse wraps --help to the terminal's width
    done = subprocess.run(
        shlex.split(command),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    printed = [line.strip() for line in (done.stdout + "\n" + done.stderr).splitlines()]
    missing = [line for line in expected if line not in printed]
    assert done.returncode == code and not missing, (
        f"{where}: `{command}` exited {done.returncode} (the docs say {code}); "
        f"lines the docs show that it did not print: {missing}\n"
        f"it printed:\n{done.stdout}{done.stderr}"
    )
