"""Remake the docs' pictures from the running app: docs/images/*.png.

    .venv/bin/python tools/screenshots.py          # all of them
    .venv/bin/python tools/screenshots.py map      # one (map, zone, import)

Starts the real dashboard (`streamlit run`, tests/browser.py's streamlit_server) on the
repository's own geodata/, opens it in Debian's headless Chromium at 1366x768 (an analyst's
laptop, the size the browser tests try) with every request that leaves the machine blocked,
and writes each view the README shows. A request that tried to leave the machine, or a page
error, stops it with a message naming it: a picture of a broken page is worse than none.

The pictures are quantised to 256 colours (Pillow, already installed with matplotlib), which
keeps a map under 300 KB without a visible change: the map's fills and text use few colours.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import (  # noqa: E402
    block_outside_requests,
    launch_chromium,
    map_frame,
    streamlit_server,
)

IMAGES = REPO / "docs" / "images"
VIEWPORT = {"width": 1366, "height": 768}
# The README's example link: the Japan–Taiwan coast-guard exercise off the Boso Peninsula, open.
BOSO = (
    "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=34.9&lon=139.9&zoom=8"
    "&event=jcg-cga-boso-2024-07-18"
)
# The tour's drawn zone: 30 nm around the Senkaku islets, filtering the events by it.
# (possibly=1: the events whose location precision reaches the circle, as the panel counts them)
ZONE = "shapes=c_24.4667_123_30nm&zones=D1&possibly=1&lat=25.4&lon=123.3&zoom=8"
UPLOADER = '.st-key-uploads [data-testid="stFileUploaderDropzoneInput"]'
EXAMPLES = REPO / "docs" / "examples" / "import"
# A list with its saved mapping: the step reads it with no guessing and previews the events.
TRANSITS = [EXAMPLES / "strait-transits.csv", EXAMPLES / "strait-transits.mapping.toml"]


def settle(page, frame) -> None:
    """Wait until the map's tiles and the page's reruns are done (Streamlit shows a running
    indicator while a script runs)."""
    frame.wait_for_function(
        "() => !document.querySelector('.leaflet-tile-loading')", timeout=30_000
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(1500)


def map_view(page, server: str, lang: str | None = None) -> None:
    page.goto(f"{server}/?{BOSO}" + (f"&lang={lang}" if lang else ""))
    frame = map_frame(page)
    page.locator(".st-key-details_panel .event-details").wait_for(timeout=30_000)
    settle(page, frame)


def language_view(lang: str):
    """The README's map in another language of the page (docs/using.md, Your language)."""
    return lambda page, server: map_view(page, server, lang)


def scroll_to(locator, top: int) -> None:
    """Scroll the page's scrolling part (Streamlit's main area, not the body) so that
    `locator`'s element stands `top` pixels below the window's top."""
    locator.evaluate(
        """(element, top) => {
          let box = element.parentElement;
          while (box && !(box.scrollHeight > box.clientHeight
                          && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
            box = box.parentElement;
          }
          box.scrollTop += element.getBoundingClientRect().top - top;
        }""",
        top,
    )


def zone_view(page, server: str) -> None:
    page.goto(f"{server}/?{ZONE}")
    frame = map_frame(page)
    page.get_by_text("Drawn shapes").first.wait_for(timeout=30_000)
    settle(page, frame)
    # The map's lower part, where the link centres the circle, over the panel of drawn shapes
    # with the circle's measures and counts.
    scroll_to(page.get_by_text("Drawn shapes").first, 520)
    page.wait_for_timeout(1000)


def import_view(page, server: str) -> None:
    page.goto(server)
    frame = map_frame(page)
    settle(page, frame)
    page.locator(UPLOADER).set_input_files([str(path) for path in TRANSITS])
    step = page.locator(".st-key-import_step")
    step.get_by_text("The file's", exact=False).first.wait_for(timeout=60_000)
    preview = step.get_by_text("Preview of", exact=False).first
    preview.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    # The preview: its map and the rows' problems, under the line that counts them.
    scroll_to(preview, 80)
    page.wait_for_timeout(2000)


VIEWS = {
    "map": map_view,
    "zone": zone_view,
    "import": import_view,
    **{f"map-{lang}": language_view(lang) for lang in ("zh-TW", "ja", "zh-CN")},
}


def save(png: bytes, path: Path) -> int:
    """Write a screenshot quantised to 256 colours; return its size in bytes."""
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("views", nargs="*", help=f"any of {', '.join(VIEWS)} (default: all)")
    names = parser.parse_args(argv).views or list(VIEWS)
    unknown = [name for name in names if name not in VIEWS]
    if unknown:
        parser.error(f"no such picture: {', '.join(unknown)} (choose from {', '.join(VIEWS)})")
    IMAGES.mkdir(parents=True, exist_ok=True)
    # The dashboard's cache goes to a temporary folder: geodata/ is left as it is.
    with tempfile.TemporaryDirectory() as cache, sync_playwright() as playwright:
        env = {"GEODATA_CACHE_DIR": cache}
        with streamlit_server(REPO / "geodata", env=env) as server:
            browser = launch_chromium(playwright)
            try:
                for name in names:
                    page = browser.new_context(viewport=VIEWPORT).new_page()
                    outside = block_outside_requests(page)
                    errors: list[str] = []
                    page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
                    VIEWS[name](page, server.url)
                    if outside or errors:
                        print(f"{name}: requests outside: {outside}; page errors: {errors}")
                        return 1
                    path = IMAGES / f"{name}.png"
                    size = save(page.screenshot(), path)
                    print(f"{path.relative_to(REPO)}: {size / 1024:.0f} KB")
                    page.context.close()
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
