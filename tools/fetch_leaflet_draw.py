"""Fetch Leaflet.draw from the npm registry, verify it, and write the files the map needs.

Run from the repository root (needs the npm registry, nothing else):

    python tools/fetch_leaflet_draw.py           # refetch, verify, write the files and NOTICE.md
    python tools/fetch_leaflet_draw.py --check   # refetch, verify, compare with the committed files

The tarball is checked against the registry's published integrity (sha512, Subresource
Integrity format) before anything is read from it. The files go to static/draw/leaflet-draw/,
which is committed (unlike static/vendor/, filled from PyPI packages at start: Leaflet.draw has
no xstatic package). NOTICE.md there records the version, the tarball's URL and integrity and
the sha256 of each committed file; tests/map/test_draw_assets.py checks the committed files
against it offline.

The package tarball has no licence file (its package.json says "MIT"); LICENSE is the MIT
licence text of the project's repository (Leaflet/Leaflet.draw, MIT-LICENSE.md), committed
beside the files and left alone by this script.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "1.0.4"
TARBALL_URL = f"https://registry.npmjs.org/leaflet-draw/-/leaflet-draw-{VERSION}.tgz"
# From the registry's metadata for leaflet-draw 1.0.4 (dist.integrity).
INTEGRITY = (
    "sha512-rsQ6saQO5ST5Aj6XRFylr5zvarWgzWnrg46zQ1MEOEIHsppdC/8hnN8"
    "qMoFvACsPvTioAuysya/TVtog15tyAQ=="
)
TARGET = Path(__file__).resolve().parent.parent / "static" / "draw" / "leaflet-draw"
# Tarball member -> committed path. Only what the page loads: the minified script, the
# stylesheet and the toolbar sprites it names (no marker tool, so no marker images).
FILES = {
    "package/dist/leaflet.draw.js": "leaflet.draw.js",
    "package/dist/leaflet.draw.css": "leaflet.draw.css",
    "package/dist/images/spritesheet.png": "images/spritesheet.png",
    "package/dist/images/spritesheet-2x.png": "images/spritesheet-2x.png",
    "package/dist/images/spritesheet.svg": "images/spritesheet.svg",
}


def verified_tarball(data: bytes, integrity: str = INTEGRITY) -> bytes:
    """`data` if its sha512 matches `integrity` ("sha512-<base64>"); ValueError otherwise."""
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise ValueError(f"tarball integrity {algorithm}-{actual} is not {integrity}")
    return data


def extract(data: bytes) -> dict[str, bytes]:
    """The committed paths and their bytes, from the verified tarball."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return {path: archive.extractfile(member).read() for member, path in FILES.items()}


def notice(files: dict[str, bytes]) -> str:
    """NOTICE.md's text: where the files come from and the sha256 of each."""
    rows = "\n".join(
        f"| {path} | {hashlib.sha256(content).hexdigest()} |"
        for path, content in sorted(files.items())
    )
    return f"""# Leaflet.draw {VERSION}

The map's drawing tool (layers/map/draw.py). Served by the app at
/app/static/draw/leaflet-draw/, never from a CDN.

- Package: leaflet-draw {VERSION}, from the npm registry
- Tarball: {TARBALL_URL}
- Integrity: {INTEGRITY}
- Licence: MIT (package.json "license": "MIT"); the text is in LICENSE, taken from the
  project's repository (github.com/Leaflet/Leaflet.draw, MIT-LICENSE.md) because the tarball
  carries none. Copyright 2012-2016 Jacob Toye and Leaflet.
- Refetch and verify: `python tools/fetch_leaflet_draw.py` (`--check` to compare only).
- The files are as in the tarball's dist/; the map inlines leaflet.draw.css with its image
  URLs pointed at this folder (layers/map/draw.py).

sha256 of each committed file:

| file | sha256 |
| --- | --- |
{rows}
"""


def main(argv: list[str]) -> int:
    with urllib.request.urlopen(TARBALL_URL, timeout=60) as response:
        files = extract(verified_tarball(response.read()))
    if "--check" in argv:
        differ = [
            path
            for path, content in files.items()
            if not (TARGET / path).is_file() or (TARGET / path).read_bytes() != content
        ]
        if (TARGET / "NOTICE.md").read_text(encoding="utf-8") != notice(files):
            differ.append("NOTICE.md")
        for path in differ:
            print(f"differs from the registry's tarball: {TARGET / path}")
        return 1 if differ else 0
    for path, content in files.items():
        (TARGET / path).parent.mkdir(parents=True, exist_ok=True)
        (TARGET / path).write_bytes(content)
    (TARGET / "NOTICE.md").write_text(notice(files), encoding="utf-8")
    print(f"wrote {len(files)} files and NOTICE.md to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
