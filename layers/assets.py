"""The map's scripts and styles, served by the app itself so the dashboard works offline.

Leaflet and jQuery come from their PyPI packages (xstatic-leaflet, xstatic-jquery) and are
copied into static/vendor/, which Streamlit serves at /app/static/ when
`server.enableStaticServing` is on. `python -m layers.assets` does the copy (the Dockerfile runs
it at build time); the dashboard runs it on start when the copy is missing or out of date.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import xstatic.pkg.jquery as xstatic_jquery
import xstatic.pkg.leaflet as xstatic_leaflet

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
STATIC_URL = "/app/static"
BASEMAP_URL = f"{STATIC_URL}/basemap"

LEAFLET_JS = ("leaflet", f"{STATIC_URL}/vendor/leaflet/leaflet.js")
JQUERY_JS = ("jquery", f"{STATIC_URL}/vendor/jquery/jquery.min.js")
# folium's defaults point at CDNs; these replace them. jQuery is needed by st_folium's page.
MAP_JS = [LEAFLET_JS, JQUERY_JS]
# Leaflet's stylesheet goes inline (leaflet_css): streamlit-folium loads linked stylesheets
# after the map's script has run, and tooltips placed before it arrives sit far off their
# features until the next zoom.
MAP_CSS: list[tuple[str, str]] = []

_COPIES = {
    "leaflet": (xstatic_leaflet, ("leaflet.js", "leaflet.css", "images")),
    "jquery": (xstatic_jquery, ("jquery.min.js",)),
}


@functools.cache
def leaflet_css() -> str:
    """Leaflet's CSS, with its image URLs pointing at the app's copy."""
    css = (Path(xstatic_leaflet.BASE_DIR) / "leaflet.css").read_text(encoding="utf-8")
    return css.replace("url(images/", f"url({STATIC_URL}/vendor/leaflet/images/")


def install_vendor_assets(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the packaged Leaflet and jQuery into `vendor_dir` unless this version is there."""
    written = []
    for name, (package, files) in _COPIES.items():
        target = vendor_dir / name
        stamp = target / "VERSION"
        if stamp.is_file() and stamp.read_text().strip() == package.VERSION:
            continue
        target.mkdir(parents=True, exist_ok=True)
        source = Path(package.BASE_DIR)
        for file_name in files:
            if (source / file_name).is_dir():
                shutil.copytree(source / file_name, target / file_name, dirs_exist_ok=True)
            else:
                shutil.copy2(source / file_name, target / file_name)
        stamp.write_text(package.VERSION + "\n")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in install_vendor_assets():
        print(f"installed {path}")
