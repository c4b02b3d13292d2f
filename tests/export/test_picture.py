"""Export view: a PNG wide enough for a slide and a PDF whose first page is the map with its
title, legend and scale, and whose next page lists the events with their sources; Chinese and
Japanese print as text, and text from the data is never read as markup."""

import datetime as dt
import io
import shutil
import subprocess
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, collection, event, write_geodata
from PIL import Image

from layers.analysis.zones import zone_tags
from layers.export.picture import (
    MAX_LISTED,
    ViewPicture,
    days_in_words,
    event_entry,
    months_in_words,
    nations_in_words,
    nice_length,
    picture_pdf,
    picture_png,
    place_in_words,
    view_title,
    wrap,
)
from layers.filters import filter_events
from layers.map.density import DENSITY_PALETTE
from layers.read.load import load_geodata
from layers.view import View

JAPANESE_TITLE = "日本と台湾の海保が合同訓練、72年の断交後初"
CHINESE_SOURCE = "台灣「巡護八號」停泊東京台場"
# An even number of "$": matplotlib would read it as math text (and \frac as a fraction).
HOSTILE_TITLE = r"$\frac{1}{0}$ costs $x^2$ {% raw %} <script>alert(1)</script> \n"
MONTHS = ["2024-05", "2024-06", "2024-07"]
MADE = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def box(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture(scope="module")
def strait(tmp_path_factory):
    """JPN–TWN events in the Taiwan Strait (the repository's named areas), one with a Japanese
    title and a Chinese source, one with a hostile title, and Chinese drill areas."""
    root = tmp_path_factory.mktemp("strait")
    shutil.copytree(REPO / "geodata" / "areas", root / "areas")
    events = [
        event(
            "jpn-twn-drill",
            title=JAPANESE_TITLE,
            start="2024-06-12",
            geometry={"type": "Point", "coordinates": [119.75, 23.9]},  # on the transit
            sources=[
                {
                    "title": CHINESE_SOURCE,
                    "publisher": "中央社",
                    "published": "2024-06",
                    "url": "https://example.org/cna/20240612",
                }
            ],
        ),
        event(
            "jpn-twn-transit",
            title=HOSTILE_TITLE,
            kind="transit",
            start="2024-05",
            end="2024-07",
            location_precision_km=None,
            geometry={"type": "LineString", "coordinates": [[119.2, 23.2], [120.3, 24.6]]},
        ),
    ] + [
        event(
            f"pla-area-{number}",
            title=f"PLA activity area {number}",
            nations=["CHN"],
            start="2024-07",
            location_precision_km=None,
            geometry=box(118.6 + number * 0.1, 23.0, 120.0 + number * 0.1, 24.4),
        )
        for number in range(6)
    ]
    write_geodata(root, {"strait.geojson": collection(*events)})
    geodata = load_geodata(root)
    assert not geodata.problems
    geodata.events["zones"] = zone_tags(geodata.events, geodata.areas)
    return geodata


def picture_of(geodata, view, **changes):
    areas = geodata.areas
    layers = view.layers if view.layers is not None else ("taiwan-strait", "senkaku-waters")
    settings = {
        "view": view,
        "events": filter_events(geodata.events, view),
        "areas": areas[areas["id"].isin(layers)],
        "months": MONTHS,
        "data_version": geodata.version,
        "area_names": dict(zip(geodata.areas["id"], geodata.areas["name"])),
        "bounds": (116.5, 21.5, 123.5, 26.5),
        "made": MADE,
    }
    settings.update(changes)
    return ViewPicture(**settings)


STRAIT_VIEW = View(
    start="2024-05",
    end="2024-07",
    nations=("JPN", "TWN"),
    match="all",
    zones=("taiwan-strait",),
    density=True,
    lat=24.0,
    lon=120.0,
    zoom=7,
)
TITLE = "Taiwan Strait, May–July 2024, JPN and TWN together"


def pdf_text(pdf: bytes, tmp_path, page: int) -> str:
    path = tmp_path / "view.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def pdf_pages(pdf: bytes, tmp_path) -> list[Image.Image]:
    """The PDF's pages as images, as a reader's viewer draws them (pdftoppm, 50 dpi)."""
    path = tmp_path / "view.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    return [Image.open(page) for page in sorted(tmp_path.glob("page-*.png"))]


def rendered_without_missing_glyphs(make, picture):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = make(picture)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == [], missing
    return result


def test_the_png_is_at_least_2000_px_wide_and_shows_the_density_in_its_colours(strait):
    png = picture_png(picture_of(strait, STRAIT_VIEW))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 2000
    colours = {tuple(pixel) for pixel in np.asarray(image).reshape(-1, 3)[::7]}
    assert (0xF4, 0xF1, 0xEA) in colours  # land, from the basemap files
    darkest = bytes.fromhex(DENSITY_PALETTE[-1][1:])
    # The densest cells (and the legend's swatch) in the darkest class, drawn at 85%.
    assert any(np.abs(np.subtract(c, tuple(darkest))).max() < 40 for c in colours)


def test_beyond_the_basemaps_region_the_picture_is_grey_as_on_screen(strait):
    """Zoomed out to the whole Pacific frame, the west of the picture (Africa, the Indian
    Ocean) has no land data: it is grey, as the map draws it, not open sea; inside the region
    the sea is blue."""
    view = View(lat=20.0, lon=150.0, zoom=2, layers=())
    png = picture_png(picture_of(strait, view, bounds=(10.0, -60.0, 290.0, 75.0)))
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    colours = {tuple(pixel) for pixel in image.reshape(-1, 3)[::5]}
    assert (0xDC, 0xDC, 0xD8) in colours  # grey, OUTSIDE_COLOUR
    assert (0xCD, 0xDF, 0xF0) in colours  # the sea, SEA_COLOUR, inside the region


def test_the_pdf_has_the_map_page_with_title_legend_and_scale_then_the_events(strait, tmp_path):
    picture = picture_of(strait, STRAIT_VIEW)
    pdf = rendered_without_missing_glyphs(picture_pdf, picture)
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) >= 2
    assert pages[0].width > pages[0].height  # the map page is a landscape slide
    assert pages[1].height > pages[1].width  # the list is A4 portrait
    first = " ".join(pdf_text(pdf, tmp_path, 1).split())
    assert TITLE in first
    for words in ("Kinds", "Exercise", "Transit", "Events per cell", "Named areas", "km", "nm"):
        assert words in first
    assert f"Data version {strait.version}" in first and "2026-11-30 10:00 UTC" in first
    listed = " ".join(pdf_text(pdf, tmp_path, 2).split())
    assert "Events on this map (2)" in listed and "Outside this map" not in listed
    assert "jpn-twn-drill · 2024-06-12 (12 June 2024) · Exercise · JPN, TWN" in listed
    assert "2024-05 to 2024-07 (May 2024 – July 2024)" in listed
    assert "pla-area-0" not in listed  # only the events shown (CHN is filtered out)


def test_chinese_and_japanese_print_as_text_not_boxes(strait, tmp_path):
    pdf = rendered_without_missing_glyphs(picture_pdf, picture_of(strait, STRAIT_VIEW))
    listed = " ".join(pdf_text(pdf, tmp_path, 2).split())
    assert JAPANESE_TITLE in listed
    assert f"中央社 — {CHINESE_SOURCE} — 2024-06 <https://example.org/cna/20240612>" in listed
    first = pdf_text(pdf, tmp_path, 1)
    assert "台灣海峽" in first  # the strait's alternate names, in its map label


def test_hostile_titles_print_literally(strait, tmp_path):
    pdf = rendered_without_missing_glyphs(picture_pdf, picture_of(strait, STRAIT_VIEW))
    listed = pdf_text(pdf, tmp_path, 2)
    assert HOSTILE_TITLE in listed


def test_the_picture_follows_the_view_colour_by_month_and_without_density(strait, tmp_path):
    view = View(start="2024-05", end="2024-07", colour="month", lat=24.0, lon=120.0, zoom=7)
    pdf = picture_pdf(picture_of(strait, view))
    first = " ".join(pdf_text(pdf, tmp_path, 1).split())
    assert "Months (events active)" in first and "2024-06" in first
    assert "Events per cell" not in first
    assert "all nations" in first


def test_a_long_list_says_where_to_find_the_rest(strait, tmp_path, monkeypatch):
    monkeypatch.setattr("layers.export.picture.MAX_LISTED", 3)
    view = View(start="2024-05", end="2024-07", lat=24.0, lon=120.0, zoom=7)
    pdf = picture_pdf(picture_of(strait, view))
    listed = " ".join(pdf_text(pdf, tmp_path, 2).split())
    assert "Events on this map (8)" in listed
    assert (
        "The first 3 are listed (those on the map first, in date order); download the CSV "
        "for all of them."
    ) in listed
    assert MAX_LISTED >= 100


def test_without_the_maps_bounds_the_picture_is_centred_on_the_view(strait, tmp_path):
    pdf = picture_pdf(picture_of(strait, View(lat=24.0, lon=120.0, zoom=6), bounds=None))
    first = " ".join(pdf_text(pdf, tmp_path, 1).split())
    # A 900 × 620 px map at zoom 6 around 24°N 120°E: 900 px are 19.8° of longitude; 310 px
    # either side of Mercator y(24°) = 0.4317 rad are ±0.1189 rad: 17.6°N and 30.1°N.
    assert "17.6°N–30.1°N, 110.1°E–129.9°E" in first


def test_filters_in_words():
    assert months_in_words("2024-05", "2024-07") == "May–July 2024"
    assert months_in_words("2024-05", "2024-05") == "May 2024"
    assert months_in_words("2023-11", "2024-02") == "November 2023–February 2024"
    assert nations_in_words(("JPN", "TWN"), "all") == "JPN and TWN together"
    assert nations_in_words(("JPN", "TWN", "USA"), "all") == "JPN, TWN and USA together"
    assert nations_in_words(("JPN", "TWN"), "any") == "any of JPN, TWN"
    assert nations_in_words(("JPN",), "all") == "JPN"
    assert nations_in_words((), "any") == "all nations"
    names = {"taiwan-strait": "Taiwan Strait", "senkaku-waters": "Senkaku waters"}
    two = View(zones=("taiwan-strait", "senkaku-waters"), possibly=True)
    assert place_in_words(two, names, (0, 0, 1, 1)) == (
        "Taiwan Strait or Senkaku waters (in or possibly in)"
    )
    assert place_in_words(View(), names, (200.0, -5.25, 210.0, 10.0)) == ("5.2°S–10°N, 160°W–150°W")


def test_scale_bar_lengths_are_round():
    assert [nice_length(value) for value in (0.7, 3, 140, 199, 200, 4999)] == [
        0.5,
        2,
        100,
        100,
        200,
        2000,
    ]


def test_wrapping_counts_chinese_and_japanese_characters_double_and_breaks_at_spaces():
    assert wrap("one two three", 8) == ["one two", "three"]
    assert wrap("日本と台湾の海保", 8) == ["日本と台", "湾の海保"]
    assert wrap("https://example.org/" + "a" * 30, 20)[0] == "https://example.org/"


def test_with_a_count_chosen_the_pictures_density_adds_it_up_and_says_what_it_counts(
    strait, tmp_path
):
    events = strait.events.copy()
    events["counts"] = [
        {"aircraft": 40} if event_id.startswith("pla-area") else {} for event_id in events["id"]
    ]
    view = View(start="2024-05", end="2024-07", density=True, measure="aircraft", zoom=7)
    picture = picture_of(replace(strait, events=events), view)
    first = " ".join(pdf_text(picture_pdf(picture), tmp_path, 1).split())
    without = sum(1 for counts in events["counts"] if not counts)
    assert "Aircraft per cell" in first and "aircraft density on" in first
    assert f"{without} events give no aircraft count" in first
    # Six overlapping areas of 40 aircraft each: the densest cells add up to 240.
    assert "240" in first


@pytest.mark.parametrize(
    ("first", "last", "said"),
    [
        (dt.date(2024, 7, 18), dt.date(2024, 7, 18), "18 July 2024"),
        (dt.date(2024, 7, 18), dt.date(2024, 7, 21), "18–21 July 2024"),
        (dt.date(2024, 6, 28), dt.date(2024, 7, 3), "28 June–3 July 2024"),
        (dt.date(2024, 12, 28), dt.date(2025, 1, 3), "28 December 2024–3 January 2025"),
    ],
)
def test_days_in_words(first, last, said):
    assert days_in_words(first, last) == said


def test_a_view_of_days_is_titled_with_its_days_and_lists_times_as_written(strait):
    view = View(start_day="2024-07-18", end_day="2024-07-21", lat=24.0, lon=120.0, zoom=7)
    picture = picture_of(strait, view, months=["2024-07"])
    assert "18–21 July 2024" in view_title(picture, (116.5, 21.5, 123.5, 26.5))
    timed = pd.Series(
        {
            "id": "ccg-2301",
            "kind": "incident",
            "nations": ["CHN"],
            "title": "CCG 2301",
            "start_text": "2024-07-19T08:00+09:00",
            "end_text": "2024-07-19T17:30+09:00",
            "sources": [],
        }
    )
    lines = dict(event_entry(timed)[:1])
    assert lines["id"].startswith(
        "ccg-2301 · 2024-07-19T08:00+09:00 to 2024-07-19T17:30+09:00 "
        "(19 July 2024, 08:00–17:30 UTC+09:00)"
    )
