"""An exported picture checked as a reader sees it: the open event's dot in the pixels, the
labels' words as poppler's pdftotext finds them on the page, and the list split at its
"Outside this map" heading. Shared by tests/export/test_picture.py and the browser tests."""

from __future__ import annotations

import math
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np

from layers.export.picture import map_box

BOSO = "jcg-cga-boso-2024-07-18"
TAIPEI_VISIT = "jcg-officials-visit-cga-taipei-2024-06"
README_LINK = "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=34.9&lon=139.9&zoom=8"
OUTSIDE_HEADING = "Outside this map ("
DARK = 110  # a pixel of the open event's dot (#111 at 80 %) has no channel above this
EARTH_RADIUS = 6378137.0  # Web Mercator's sphere, metres


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """EPSG:3857 x, y in metres (the spherical formulas)."""
    lat = math.radians(max(min(lat, 85.0), -85.0))
    return EARTH_RADIUS * math.radians(lon), EARTH_RADIUS * math.log(
        math.tan(math.pi / 4 + lat / 2)
    )


def projected(bounds, lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
    """Where (lon, lat) is on a map page `width` × `height` (pixels or points, origin top left)
    whose map shows `bounds` (west, south, east, north) in the box the page gives it."""
    left, bottom, box_width, box_height = map_box(bounds)
    west, south, east, north = bounds
    (x0, y0), (x1, y1), (x, y) = mercator(west, south), mercator(east, north), mercator(lon, lat)
    across = left + box_width * (x - x0) / (x1 - x0)
    up = bottom + box_height * (y - y0) / (y1 - y0)
    return across * width, (1 - up) * height


def dot_pixels(image: np.ndarray, x: float, y: float, radius: float = 5) -> float:
    """The share of pixels within `radius` of (x, y) that are the open event's dark colour:
    about 1 where its dot shows, near 0 where a label's pale box lies over it."""
    rows, columns = np.ogrid[: image.shape[0], : image.shape[1]]
    disc = (columns - x) ** 2 + (rows - y) ** 2 <= radius**2
    return float((image[disc].max(axis=1) <= DARK).mean())


def pdf_words(pdf: Path, page: int) -> dict:
    """The words poppler finds on `page`: {"page": (width, height) in points, "words": [(text,
    x0, y0, x1, y1), ...]} (points, origin top left)."""
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    root = ElementTree.fromstring(result.stdout[result.stdout.index("<html") :])
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    sheet = root.find(".//x:page", namespace)
    words = [
        (word.text or "", *(float(word.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")))
        for word in sheet.findall("x:word", namespace)
    ]
    return {"page": (float(sheet.get("width")), float(sheet.get("height"))), "words": words}


def _clash(a, b) -> bool:
    """Two words drawn over each other: across, they share more than a point; up and down,
    their middles are nearer than 0.4 of the lower box. (poppler's word boxes are the font's
    whole box, about twice the letters' height and three times for Chinese and Japanese
    characters, so the boxes of a label's lines, 1.2 font sizes apart, overlap; their
    middles do not come that near.)"""
    _, ax0, ay0, ax1, ay1 = a
    _, bx0, by0, bx1, by1 = b
    across = min(ax1, bx1) - max(ax0, bx0)
    apart = abs((ay0 + ay1) / 2 - (by0 + by1) / 2)
    return across > 1 and apart < 0.4 * min(ay1 - ay0, by1 - by0)


def _meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def overlapping_words(words, bounds, page_size, dot=None, dot_radius: float = 3.0) -> list:
    """Pairs of words on the map (of `bounds`, on a page of `page_size` points) whose ink lies
    over each other (two labels drawn on one spot), and words over the open event's `dot`
    (lon, lat): empty when every label is clear."""
    width, height = page_size
    left, bottom, box_width, box_height = map_box(bounds)
    frame = (left * width, (1 - bottom - box_height) * height)
    frame += ((left + box_width) * width, (1 - bottom) * height)

    def middle(word):
        _, x0, y0, x1, y1 = word
        return (x0 + x1) / 2, (y0 + y1) / 2

    on_map = [word for word in words if _meet((*middle(word), *middle(word)), frame)]
    clashes = [
        (a[0], b[0])
        for number, a in enumerate(on_map)
        for b in on_map[number + 1 :]
        if _clash(a, b)
    ]
    if dot is not None:
        # The dot's middle: no word's letters (its box less a quarter of its height above and
        # below) reach it.
        x, y = projected(bounds, *dot, width, height)
        mark = (x - dot_radius, y - dot_radius, x + dot_radius, y + dot_radius)
        clashes += [
            (word[0], "the open event")
            for word in on_map
            if _meet(
                (
                    word[1],
                    word[2] + (word[4] - word[2]) / 4,
                    word[3],
                    word[4] - (word[4] - word[2]) / 4,
                ),
                mark,
            )
        ]
    return clashes


def outside_heading_split(listed: str) -> tuple[str, str]:
    """The list's text before its "Outside this map" heading (the events on the map) and from
    it on ("" when there is none)."""
    at = listed.find(OUTSIDE_HEADING)
    return (listed, "") if at < 0 else (listed[:at], listed[at:])
