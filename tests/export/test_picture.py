"""Export view: a PNG wide enough for a slide and a PDF whose first page is the map with its
title, legend and scale, and whose next page lists the events with their sources; Chinese and
Japanese print as text, and text from the data is never read as markup."""

import datetime as dt
import io
import shutil
import subprocess
import warnings
from dataclasses import replace

import matplotlib
import matplotlib.transforms
import numpy as np
import pandas as pd
import pytest
from conftest import REPO, collection, event, write_geodata
from exported import (
    BOSO,
    README_LINK,
    TAIPEI_VISIT,
    dot_pixels,
    mercator,
    outside_heading_split,
    overlapping_words,
    pdf_words,
    projected,
)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from layers.analysis.zones import zone_tags
from layers.export.picture import (
    MAX_LISTED,
    Label,
    ViewPicture,
    days_in_words,
    event_entry,
    map_page,
    months_in_words,
    nations_in_words,
    nice_length,
    picture_pdf,
    picture_png,
    place_in_words,
    place_labels,
    rendering,
    screen_bounds,
    view_title,
    wrap,
)
from layers.filters import filter_events
from layers.i18n import language
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


# --- the README's Boso link: labels as the map lays them out, the open event never covered ---

# The map's bounds for the README's link as Leaflet reported them at 1366x768 (the page's map
# is 1,042 × 604 px there), and None: the estimate for a map of NOMINAL_MAP_PX.
BOSO_BOUNDS = [(137.10388, 33.44978, 142.69592, 36.32398), None]


@pytest.fixture(scope="module")
def repository():
    geodata = load_geodata(REPO / "geodata")
    geodata.events["zones"] = zone_tags(geodata.events, geodata.areas)
    return geodata


def readme_boso(geodata, bounds) -> ViewPicture:
    """The picture of the README's Boso link with its exercise open, as the page makes it."""
    query = dict(part.split("=") for part in f"{README_LINK}&event={BOSO}".split("&"))
    view, warnings_given = View.from_query(
        {key: [value] for key, value in query.items()},
        area_ids=geodata.areas["id"],
        event_ids=geodata.events["id"],
    )
    assert warnings_given == []
    layers = geodata.areas["id"][geodata.areas["default_visible"]]
    return ViewPicture(
        view=replace(view, layers=tuple(layers)),
        events=filter_events(geodata.events, view),
        areas=geodata.areas[geodata.areas["id"].isin(layers)],
        months=MONTHS,
        data_version=geodata.version,
        area_names=dict(zip(geodata.areas["id"], geodata.areas["name"])),
        bounds=bounds,
        made=MADE,
    )


def boso_point(geodata) -> tuple[float, float]:
    point = geodata.events.set_index("id").geometry[BOSO]
    return point.x, point.y


@pytest.mark.parametrize("bounds", BOSO_BOUNDS, ids=["1366x768", "estimated"])
def test_the_readme_boso_export_shows_the_open_exercise_with_no_label_over_it_or_another(
    repository, bounds, tmp_path
):
    """The PNG and the PDF drawn by poppler: the open exercise's dark dot is there at its
    place, and no word of one label lies over another's or over the dot."""
    picture = readme_boso(repository, bounds)
    frame = screen_bounds(picture)
    lon, lat = boso_point(repository)
    png = np.asarray(Image.open(io.BytesIO(picture_png(picture))).convert("RGB"))
    x, y = projected(frame, lon, lat, png.shape[1], png.shape[0])
    assert dot_pixels(png, x, y) >= 0.9
    pdf = picture_pdf(picture)
    (tmp_path / "view.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "160",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(tmp_path / "view.pdf"),
            str(tmp_path / "map"),
        ],
        check=True,
    )
    (drawn,) = [np.asarray(Image.open(path).convert("RGB")) for path in tmp_path.glob("map*.png")]
    x, y = projected(frame, lon, lat, drawn.shape[1], drawn.shape[0])
    assert dot_pixels(drawn, x, y) >= 0.9
    words = pdf_words(tmp_path / "view.pdf", 1)
    assert overlapping_words(words["words"], frame, words["page"], dot=(lon, lat)) == []
    # Not by leaving the names out: the open event's name and both areas' names are there,
    # "Tokyo" is not (the port call's dot is on it, as on the map).
    text = " ".join(pdf_text(pdf, tmp_path, 1).split())
    assert "First Japan Coast Guard – Taiwan Coast Guard Administration" in text
    assert "Waters around Izu Oshima" in text and "Waters off the southern tip of the Boso" in text
    assert "Tokyo Bay" in text and " Tokyo " not in text.replace("Tokyo Bay", "")


@pytest.mark.parametrize("bounds", BOSO_BOUNDS, ids=["1366x768", "estimated"])
def test_no_two_labels_boxes_overlap_as_matplotlib_measures_them(repository, bounds):
    """Every text on the map, with its background box, as matplotlib's renderer measures it:
    none overlaps another or the open event's dot."""
    picture = readme_boso(repository, bounds)
    boxes = []
    with rendering():
        figure = map_page(picture)
        ax = figure.axes[0]
        renderer = figure.canvas.get_renderer()
        for text in ax.texts:
            extents = [text.get_window_extent(renderer)]
            if text.get_bbox_patch() is not None:
                text.update_bbox_position_size(renderer)
                extents.append(text.get_bbox_patch().get_window_extent(renderer))
            boxes.append((text.get_text(), matplotlib.transforms.Bbox.union(extents)))
    assert len(boxes) >= 6  # the open event, three areas, places, the scale
    # The open event's dot as matplotlib draws it: the one mark in its colour (#111).
    (dot_mark,) = [
        mark
        for mark in ax.collections
        if len(mark.get_facecolor()) and np.allclose(mark.get_facecolor()[0][:3], 0x11 / 255)
    ]
    assert np.allclose(dot_mark.get_offsets()[0], mercator(*boso_point(repository)))
    ((x, y),) = ax.transData.transform(dot_mark.get_offsets()[:1])
    points = np.sqrt(dot_mark.get_sizes()[0]) / 2 + dot_mark.get_linewidths()[0] / 2
    radius = points * figure.dpi / 72
    dot = matplotlib.transforms.Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)
    for number, (name, box) in enumerate(boxes):
        assert not box.overlaps(dot), name
        for other, other_box in boxes[number + 1 :]:
            assert not box.overlaps(other_box), (name, other)


def test_the_pdf_lists_events_outside_the_map_only_under_their_own_heading(repository, tmp_path):
    picture = readme_boso(repository, BOSO_BOUNDS[0])
    pdf = picture_pdf(picture)
    first = " ".join(pdf_text(pdf, tmp_path, 1).split())
    assert "2 events on this map (1 more in the filters lies outside it)" in first
    listed = " ".join(pdf_text(pdf, tmp_path, 2).split())
    on_map, outside = outside_heading_split(listed)
    assert "Events on this map (2)" in on_map
    assert f"{BOSO} ·" in on_map and "cga-hsun-hu-9-tokyo-port-call-2024-07 ·" in on_map
    assert TAIPEI_VISIT not in on_map
    assert outside.startswith("Outside this map (1)") and f"{TAIPEI_VISIT} ·" in outside
    assert "lie beyond the map's edges (33.4°N–36.3°N, 137.1°E–142.7°E)" in outside


def test_the_legend_keys_only_what_the_map_shows(repository, tmp_path):
    """The Taipei visit (diplomacy) and the Senkaku and Spratly areas are off the map: the
    legend keys neither."""
    first = " ".join(
        pdf_text(picture_pdf(readme_boso(repository, BOSO_BOUNDS[0])), tmp_path, 1).split()
    )
    assert "Exercise" in first and "Port call" in first and "Diplomacy" not in first
    assert "Waters around Izu Oshima" in first and "Senkaku / Diaoyu" not in first
    assert "Spratly" not in first


def label_figure():
    figure = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 400)
    ax.set_ylim(0, 300)
    return figure, ax


def test_place_labels_keeps_the_higher_priority_and_moves_or_drops_the_rest():
    figure, ax = label_figure()
    renderer = figure.canvas.get_renderer()
    frame = ax.bbox.extents
    high = Label(90, ax.text(200, 150, "Waters around Izu Oshima", ha="center", va="center"))
    low = Label(1, ax.text(200, 150, "Kawagoe", ha="center", va="center"))
    # An area label tried at its place, then beside its area.
    moved = Label(
        89,
        ax.text(200, 150, "Boso", ha="center", va="center"),
        places=[(200, 150, "center", "center"), (200, 100, "center", "top")],
    )
    cut = Label(50, ax.text(395, 20, "Cut at the edge"))
    inside = Label(49, ax.text(395, 60, "Moved inside"), movable=True)
    kept = place_labels([low, moved, high, cut, inside], [], frame, 2, renderer)
    shown = [text.get_text() for text in ax.texts]
    assert shown == ["Waters around Izu Oshima", "Boso", "Moved inside"]
    assert moved.text.get_position() == (200, 100)
    assert inside.text.get_window_extent(renderer).x1 <= frame[2] + 0.5
    assert len(kept) == 3


def test_place_labels_never_puts_a_label_on_an_obstacle_but_keeps_the_open_events_name():
    figure, ax = label_figure()
    renderer = figure.canvas.get_renderer()
    dot = (190, 140, 210, 160)  # display pixels: the axes fill a 400 × 300 px figure
    area = Label(90, ax.text(200, 150, "Waters", ha="center", va="center"))
    name = Label(
        1000,
        ax.text(180, 150, "Open event", ha="right", va="center"),
        places=[(180, 150, "right", "center")],
        kept=True,
    )
    place_labels([area, name], [dot], ax.bbox.extents, 2, renderer)
    assert [text.get_text() for text in ax.texts] == ["Open event"]


# --- the picture in the page's language (issue 27) -------------------------------------------


def figure_words(figure) -> list[str]:
    """Every text the figure draws: its own, its axes' and its legends'."""
    texts = list(figure.texts)
    for ax in figure.axes:
        texts += ax.texts
        legend = ax.get_legend()
        if legend is not None:
            texts += legend.get_texts()
        texts += ax.get_xticklabels() + ax.get_yticklabels()
    return [text.get_text() for text in texts]


def test_the_map_page_in_traditional_chinese_says_the_view_in_its_words(strait):
    picture = picture_of(strait, replace(STRAIT_VIEW, kinds=("exercise", "transit")))
    with language("zh-TW"), rendering():
        # Taiwan's glyph shapes, not Japan's.
        assert "Noto Sans CJK TC" in matplotlib.rcParams["font.family"]
        words = figure_words(map_page(picture))
    title = words[0]
    # The area's name as its data writes it; months, nations and kinds in the reader's words.
    assert title == "Taiwan Strait，2024年5月至7月，JPN、TWN共同參與，僅演習、通過"
    assert words[1].startswith("此地圖上有 2 起事件 · 依類型著色")
    for said in ("類型", "演習", "通過", "命名區域", "位置不確定範圍", "50 浬", "100 公里"):
        assert said in words, said
    assert any(
        word.startswith("資料版本 ") and "製作於 2026-11-30 10:00 UTC" in word for word in words
    )
    assert not {"Kinds", "Named areas", "Exercise", "Location uncertainty"} & set(words)
    with language("zh-TW"):
        png = rendered_without_missing_glyphs(picture_png, picture)  # no glyph drawn as a box
    assert Image.open(io.BytesIO(png)).size == (2133, 1200)


def test_the_pdf_in_japanese_prints_its_words_and_the_data_as_written(strait, tmp_path):
    with language("ja"):
        pdf = rendered_without_missing_glyphs(picture_pdf, picture_of(strait, STRAIT_VIEW))
    first = " ".join(pdf_text(pdf, tmp_path, 1).split())
    assert "Taiwan Strait／2024年5月～7月／JPN、TWNがすべて参加" in first
    for said in ("種別", "演習", "区域", "海里", "データ版"):
        assert said in first, said
    listed = " ".join(pdf_text(pdf, tmp_path, 2).split())
    assert "この地図上のイベント（2）" in listed
    assert "jpn-twn-drill · 2024-06-12（2024年6月12日） · 演習 · JPN、TWN" in listed
    assert "2024-05～2024-07（2024年5月～2024年7月）" in listed
    assert JAPANESE_TITLE in listed and HOSTILE_TITLE.strip() in pdf_text(pdf, tmp_path, 2)
    assert f"中央社 — {CHINESE_SOURCE} — 2024-06" in listed  # sources as written
    assert "Events on this map" not in listed and "Data version" not in listed


def test_filters_in_words_in_the_readers_language():
    with language("zh-TW"):
        assert months_in_words("2024-05", "2024-07") == "2024年5月至7月"
        assert months_in_words("2023-11", "2024-02") == "2023年11月至2024年2月"
        assert months_in_words("2024-05", "2024-05") == "2024年5月"
        assert days_in_words(dt.date(2024, 7, 18), dt.date(2024, 7, 21)) == "2024年7月18日至21日"
        assert nations_in_words(("JPN", "TWN", "USA"), "all") == "JPN、TWN、USA共同參與"
        assert nations_in_words(("JPN", "TWN"), "any") == "JPN、TWN任一國"
        assert nations_in_words((), "any") == "所有國家"
    with language("ja"):
        assert months_in_words("2024-05", "2024-07") == "2024年5月～7月"
        two = View(zones=("taiwan-strait", "senkaku-waters"), possibly=True)
        names = {"taiwan-strait": "Taiwan Strait", "senkaku-waters": "尖閣諸島周辺海域"}
        assert place_in_words(two, names, (0, 0, 1, 1)) == (
            "Taiwan Straitまたは尖閣諸島周辺海域（区域内または含まれる可能性あり）"
        )
