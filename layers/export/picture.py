"""The current view as a picture for a briefing: a PNG and a PDF, drawn on the server.

Page 1 (and the PNG, 2,133 × 1,200 px) is the map as on screen: the offline basemap, the named
areas shown, the events (coloured by kind or by month), uncertainty circles, the open event
and the density layer, in Web Mercator (EPSG:3857, as Leaflet draws it) over the map's bounds,
with a title saying the filters in words ("Taiwan Strait, May–July 2024, JPN and TWN
together"), a legend, a scale bar in km and nm, the data version and the date it was made.
Its labels are laid out as the map lays them out (layers/map/labels.py): the open event's name
first, then by priority, none over another or over an event's dot (place_labels).
The PDF's next pages (A4) list the events on the map with their dates as written, nations and
sources, then, under a heading of their own, those the filters keep outside the map.

Offline and thread-safe: matplotlib's object API (no pyplot), one picture at a time under a
lock (its settings are process-wide), fonts from the machine: DejaVu Sans (matplotlib's own)
with Noto Sans CJK JP (Debian's fonts-noto-cjk) for the glyphs it lacks, so Chinese and
Japanese names print as text, not boxes. Text from the data is never read as markup: math text
is off, so "$" stays a dollar sign.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import io
import json
import math
import threading
import unicodedata
from dataclasses import dataclass, field

import geopandas as gpd
import matplotlib
import matplotlib.text
import numpy as np
import pandas as pd
import shapely
from babel.dates import format_interval, format_skeleton
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.transforms import Bbox
from pyproj import Transformer

from layers.aggregate import DETAIL_LIMIT, NOMINAL_MAP_PX
from layers.analysis.density import pixel_lat, pixel_lon, world_pixels
from layers.assets import STATIC_DIR
from layers.dates import describe_span, moment_parts, month_bounds, parse_period, zone_words
from layers.filters import events_by_month
from layers.i18n import (
    CLDR_LOCALES,
    _,
    current_language,
    date_text,
    is_english,
    month_text,
    ngettext,
    pgettext,
)
from layers.i18n import number as grouped
from layers.map import basemap_files
from layers.map.basemap import ATTRIBUTION, attribution, graticule_step
from layers.map.data import (
    LARGE_UNCERTAINTY_KM,
    area_label,
    geodesic_circle,
    to_pacific_frame,
)
from layers.map.density import DENSITY_OPACITY, class_image, density_legend, geometry_density
from layers.map.style import (
    AREA_LOOKS,
    BORDER_COLOUR,
    COAST_COLOUR,
    LAND_COLOUR,
    OUTSIDE_COLOUR,
    SEA_COLOUR,
    SELECTED_COLOUR,
    month_colours,
)
from layers.measure import EVENTS, count_words, measure_weights
from layers.read.schema import KIND_COLOURS, KIND_LABELS, one_line
from layers.region import MAP_REGION
from layers.view import View

FIGURE_INCHES = (13.333, 7.5)  # a 16:9 slide
PNG_DPI = 160  # 2,133 × 1,200 px: wider than the 2,000 px a full-width slide image needs
# What the PDF draws as an image (over 5,000 events) is drawn at this resolution: the rest is
# vector, and 160 dpi would make a PDF of 100,000 points a third larger for no one's eyes.
PDF_RASTER_DPI = 100
LIST_PAGE_INCHES = (8.27, 11.69)  # A4 portrait, for the list of events
# Where the map and the legend go on page 1 (left, bottom, width, height; figure fractions).
MAP_BOX = (0.045, 0.075, 0.74, 0.80)  # the map fits in this, keeping its shape
LEGEND_WIDTH = 0.2
FONTS = ["DejaVu Sans", "Noto Sans CJK JP"]
# Han characters differ in shape between Taiwan, mainland China and Japan: a Chinese reader's
# picture takes the CJK font of their script (Debian's fonts-noto-cjk has each).
CJK_FONTS = {"zh-TW": "Noto Sans CJK TC", "zh-CN": "Noto Sans CJK SC"}
MAX_LISTED = 200  # events listed in the PDF (13 pages); past this, the CSV download has them all
KM_PER_NM = 1.852  # the international nautical mile
BASEMAP_CREDIT = "Basemap: " + ATTRIBUTION  # in English; basemap_credit() in the reader's
# EPSG:3857 as Leaflet draws it, not wrapped at 180° (+over): the Pacific frame's 200° stays
# east of Japan.
WEB_MERCATOR = (
    "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m "
    "+nadgrids=@null +over +no_defs"
)
MERCATOR_LIMIT = 85.0
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", WEB_MERCATOR, always_xy=True)
_RENDERING = threading.Lock()
_SETTINGS = {
    "font.family": FONTS,
    "text.parse_math": False,
    "axes.unicode_minus": False,
}


@dataclass(frozen=True)
class ViewPicture:
    """Everything the picture of a view shows.

    `events` are the filtered events (the loader's columns, RFC 7946 lon/lat); `areas` the
    named areas drawn (the view's layers); `months` every month of the view's range, in order.
    `bounds` are the map's (west, south, east, north) as the map reports them (Pacific frame);
    None: estimated from the view's centre and zoom for a map of NOMINAL_MAP_PX. `map_px` is
    the map's (width, height) on screen, for line widths and marker sizes as seen there
    (None: from the bounds at the view's zoom).
    """

    view: View
    events: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    months: list[str]
    data_version: str
    area_names: dict[str, str] = field(default_factory=dict)
    bounds: tuple[float, float, float, float] | None = None
    map_px: tuple[int, int] | None = None
    uncertainty: bool = True
    made: dt.datetime | None = None


@contextlib.contextmanager
def rendering():
    """Hold while a picture is made and drawn: one at a time (matplotlib's settings are the
    process's), with its fonts and text settings (_SETTINGS)."""
    with _RENDERING, matplotlib.rc_context({**_SETTINGS, "font.family": fonts()}):
        yield


def fonts() -> list[str]:
    """The fonts of a picture in the current language: DejaVu Sans, then the CJK font of the
    reader's script for the glyphs DejaVu lacks (Japanese's for English and Japanese)."""
    cjk = CJK_FONTS.get(current_language())
    return FONTS if cjk is None else [FONTS[0], cjk, *FONTS[1:]]


def basemap_credit() -> str:
    return _("Basemap: {attribution}").format(attribution=attribution())


def _separator() -> str:
    """ ", " between the parts of a list, as the reader writes it (、 in Chinese and Japanese)."""
    return pgettext("list separator", ", ")


def _and_list(items: list[str]) -> str:
    """ "a, b and c" in the reader's language."""
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=_separator().join(items[:-1]), last=items[-1])


def picture_png(picture: ViewPicture) -> bytes:
    """The view's map page as a PNG, FIGURE_INCHES at PNG_DPI (2,133 × 1,200 px)."""
    with rendering():
        figure = map_page(picture)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI)
    return buffer.getvalue()


def picture_pdf(picture: ViewPicture) -> bytes:
    """The view as a PDF: the map page, then the listed events with their sources (A4)."""
    with rendering():
        buffer = io.BytesIO()
        with PdfPages(buffer, metadata=_pdf_metadata(picture)) as pdf:
            pdf.savefig(map_page(picture), dpi=PDF_RASTER_DPI)
            for page in list_pages(picture):
                pdf.savefig(page)
    return buffer.getvalue()


# --- the filters in words --------------------------------------------------------------------


def months_in_words(first: str, last: str) -> str:
    """ "May 2024", "May–July 2024", "November 2023–February 2024" for a month range."""
    (first_year, first_month), (last_year, last_month) = (
        (int(month[:4]), int(month[5:7])) for month in (first, last)
    )
    if not is_english():
        start, end = dt.date(first_year, first_month, 1), dt.date(last_year, last_month, 1)
        if start == end:
            return month_text(first)
        return format_interval(start, end, "yMMMM", locale=CLDR_LOCALES[current_language()])
    first_name, last_name = calendar.month_name[first_month], calendar.month_name[last_month]
    if (first_year, first_month) == (last_year, last_month):
        return f"{first_name} {first_year}"
    if first_year == last_year:
        return f"{first_name}–{last_name} {last_year}"
    return f"{first_name} {first_year}–{last_name} {last_year}"


def days_in_words(first: dt.date, last: dt.date) -> str:
    """ "18 July 2024", "18–21 July 2024", "28 June–3 July 2024", "28 December 2024–3 January
    2025" for a range of days (a view that chose days, not months)."""
    if not is_english():
        if first == last:
            return date_text(first)
        return format_interval(first, last, "yMMMd", locale=CLDR_LOCALES[current_language()])
    last_text = f"{last.day} {calendar.month_name[last.month]} {last.year}"
    if first == last:
        return last_text
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last_text}"
    if first.year == last.year:
        return f"{first.day} {calendar.month_name[first.month]}–{last_text}"
    return f"{first.day} {calendar.month_name[first.month]} {first.year}–{last_text}"


def nations_in_words(nations: tuple[str, ...], match: str) -> str:
    """ "all nations", "JPN", "JPN and TWN together", "any of JPN, TWN"."""
    if not nations:
        return _("all nations")
    if len(nations) == 1:
        return nations[0]
    if match == "all":
        return _("{nations} together").format(nations=_and_list(list(nations)))
    return _("any of {nations}").format(nations=_separator().join(nations))


def place_in_words(
    view: View, area_names: dict[str, str], bounds: tuple[float, float, float, float]
) -> str:
    """The zones the view keeps, by their names in the data ("Taiwan Strait"), or else the
    map's extent in degrees ("21.3°N–27.4°N, 116.2°E–125.8°E")."""
    if view.zones:
        names = [area_names.get(zone, zone) for zone in view.zones]
        joined = (
            names[0]
            if len(names) == 1
            else _("{areas} or {last}").format(areas=_separator().join(names[:-1]), last=names[-1])
        )
        return _("{areas} (in or possibly in)").format(areas=joined) if view.possibly else joined
    west, south, east, north = bounds
    return f"{_lat(south)}–{_lat(north)}, {_lon(west)}–{_lon(east)}"


def view_title(picture: ViewPicture, bounds: tuple[float, float, float, float]) -> str:
    """The picture's title: place, months and nations in words, and the kinds if chosen."""
    view = picture.view
    parts = [place_in_words(view, picture.area_names, bounds)]
    if picture.months and (view.start_day or view.end_day):
        first, last = view.day_range()
        first = first or month_bounds(picture.months[0])[0]
        last = last or month_bounds(picture.months[-1])[1]
        parts.append(days_in_words(first, last))
    elif picture.months:
        parts.append(months_in_words(picture.months[0], picture.months[-1]))
    parts.append(nations_in_words(view.nations, view.match))
    if view.kinds:
        kinds = [KIND_LABELS[kind].lower() for kind in view.kinds]
        joined = kinds[0]
        for kind in kinds[1:]:
            joined = _("{kinds} and {kind}").format(kinds=joined, kind=kind)
        parts.append(_("{kinds} only").format(kinds=joined))
    # Between the title's parts: a comma in English, a mark that stands out from the lists'
    # 、 in Chinese and Japanese.
    return pgettext("title parts", ", ").join(parts)


# --- the map page ----------------------------------------------------------------------------


def screen_bounds(picture: ViewPicture) -> tuple[float, float, float, float]:
    """The map's (west, south, east, north) in degrees (Pacific frame), as on screen."""
    if picture.bounds is not None:
        west, south, east, north = picture.bounds
        if west < east and south < north:
            return (
                west,
                max(south, -MERCATOR_LIMIT),
                east,
                min(north, MERCATOR_LIMIT),
            )
    lat, lon = picture.view.center()
    zoom = picture.view.zoom_level()
    x, y = world_pixels(lon, lat, zoom)
    width, height = picture.map_px or NOMINAL_MAP_PX
    return (
        float(pixel_lon(x - width / 2, zoom)),
        float(pixel_lat(y + height / 2, zoom)),
        float(pixel_lon(x + width / 2, zoom)),
        float(pixel_lat(y - height / 2, zoom)),
    )


def map_page(picture: ViewPicture) -> Figure:
    """Page 1: title, the map, its legend, scale bar and the data's version and date (made and
    drawn under rendering()).

    Labels are laid out last, as the map lays them out (place_labels): the open event's name
    first, then named areas and place names by priority, none over an event's marker."""
    bounds = screen_bounds(picture)
    west, south, east, north = bounds
    zoom = picture.view.zoom_level()
    # At the PNG's resolution, so the text extents measured for the labels are the PNG's.
    figure = Figure(figsize=FIGURE_INCHES, dpi=PNG_DPI)
    FigureCanvasAgg(figure)
    figure.text(0.015, 0.955, one_line(view_title(picture, bounds)), fontsize=17, weight="bold")
    on_map = events_on_map(picture.events, bounds)
    figure.text(0.015, 0.915, _subtitle(picture, on_map), fontsize=10.5, color="#333333")
    made = picture.made or dt.datetime.now(dt.UTC)
    figure.text(
        0.015,
        0.025,
        _(
            "Data version {version} · made {made} UTC · {credit} · Web Mercator, as on screen"
        ).format(
            version=one_line(picture.data_version),
            made=f"{made:%Y-%m-%d %H:%M}",
            credit=basemap_credit(),
        ),
        fontsize=8.5,
        color="#555555",
    )
    box = map_box(bounds)
    ax = figure.add_axes(box)
    (x0, x1), (y0, y1) = _mercator_xy([west, east], [south, north])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_facecolor(SEA_COLOUR)
    screen_width = picture.map_px[0] if picture.map_px else _screen_width(bounds, zoom)
    px = box[2] * FIGURE_INCHES[0] * 72 / max(screen_width, 1)  # a screen pixel, in points
    _draw_basemap(ax, bounds, zoom, px)
    _draw_outside_region(ax, bounds)
    _draw_graticule(ax, bounds, zoom)
    areas = picture.areas[areas_on_map(picture.areas, bounds)]
    _draw_areas(ax, areas, px)
    events = picture.events
    framed = to_pacific_frame(events.geometry.values) if len(events) else np.array([])
    if picture.uncertainty and len(events) <= DETAIL_LIMIT:
        _draw_uncertainty(ax, events, px)
    shapes = _draw_events(ax, picture, framed, px)
    density = None
    if picture.view.density:
        # With a count as the view's measure, the cells add it up, as on screen.
        weights = measure_weights(events, picture.view.measure)
        values = None if weights is None else weights.to_numpy("float64")
        density = geometry_density(framed, bounds, zoom, values)
        _draw_density(ax, density)
    scale = _draw_scale_bar(ax, bounds)
    labels = _open_event_label(ax, picture, shapes, px)
    labels += _area_labels(ax, areas, zoom)
    labels += _place_labels(ax, bounds, zoom, px)
    renderer = figure.canvas.get_renderer()
    unit = px * figure.dpi / 72  # a screen pixel, in display pixels
    obstacles = _event_marks(ax, picture, shapes, unit)
    obstacles += [artist.get_window_extent(renderer).extents for artist in scale]
    place_labels(labels, obstacles, ax.bbox.extents, LABEL_GAP * unit, renderer)
    _draw_legend(figure, picture, on_map, areas, density, left=box[0] + box[2] + 0.015)
    return figure


def events_on_map(events: gpd.GeoDataFrame, bounds) -> np.ndarray:
    """Which of `events` the map of `bounds` (west, south, east, north; degrees, Pacific
    frame) shows: those whose geometry, as the map draws it (in the Pacific frame), touches
    the bounds. An uncertainty circle reaching in does not count: the event's mark is not on
    the map. A boolean array in the events' order."""
    if not len(events):
        return np.zeros(0, dtype=bool)
    framed = to_pacific_frame(events.geometry.values)
    return shapely.intersects(framed, shapely.box(*bounds))


def areas_on_map(areas: gpd.GeoDataFrame, bounds) -> np.ndarray:
    """Which named areas touch the map of `bounds` (as events_on_map): the picture draws,
    labels and lists in its legend only these."""
    if areas.empty:
        return np.zeros(0, dtype=bool)
    framed = to_pacific_frame(areas.geometry.values, digits=4)
    return shapely.intersects(framed, shapely.box(*bounds))


def _subtitle(picture: ViewPicture, on_map: np.ndarray) -> str:
    events = picture.events
    count, outside = int(on_map.sum()), int((~on_map).sum())
    parts = [
        ngettext("{count} event on this map", "{count} events on this map", count).format(
            count=grouped(count)
        )
    ]
    if outside:
        parts[0] += ngettext(
            " ({count} more in the filters lies outside it)",
            " ({count} more in the filters lie outside it)",
            outside,
        ).format(count=grouped(outside))
    parts.append(
        _("coloured by month") if picture.view.colour == "month" else _("coloured by kind")
    )
    if picture.view.density:
        measured = picture.view.measure != EVENTS and "counts" in events.columns
        parts.append(
            _("{what} density on").format(
                what=count_words(picture.view.measure) if measured else _("event")
            )
        )
    opened = events["id"].to_numpy() == picture.view.event
    if picture.view.event and opened.any():
        said = (
            _("open event: {id}")
            if on_map[opened].any()
            else _("open event: {id} (outside this map)")
        )
        parts.append(said.format(id=one_line(picture.view.event)))
    return " · ".join(parts)


def map_box(bounds) -> tuple[float, float, float, float]:
    """Where the map goes on page 1 (left, bottom, width, height; figure fractions): as large
    as MAP_BOX allows with the screen's shape, at its top left."""
    west, south, east, north = bounds
    (x0, x1), (y0, y1) = _mercator_xy([west, east], [south, north])
    left, bottom, width, height = MAP_BOX
    shape = (y1 - y0) / max(x1 - x0, 1e-9)  # height / width on the map
    width_in, height_in = width * FIGURE_INCHES[0], height * FIGURE_INCHES[1]
    if shape * width_in > height_in:
        width_in = height_in / shape
    else:
        height_in = shape * width_in
    width, new_height = width_in / FIGURE_INCHES[0], height_in / FIGURE_INCHES[1]
    return left, bottom + height - new_height, width, new_height


def _screen_width(bounds, zoom: int) -> float:
    west, _south, east, _north = bounds
    x0, _y = world_pixels(west, 0.0, zoom)
    x1, _y = world_pixels(east, 0.0, zoom)
    return float(x1 - x0)


def _mercator_xy(lons, lats) -> tuple[np.ndarray, np.ndarray]:
    lats = np.clip(np.asarray(lats, dtype=float), -MERCATOR_LIMIT, MERCATOR_LIMIT)
    x, y = _TO_MERCATOR.transform(np.asarray(lons, dtype=float), lats)
    return np.asarray(x), np.asarray(y)


def _to_mercator(geometries: np.ndarray) -> np.ndarray:
    """Shapely geometries (Pacific frame, degrees) in Web Mercator metres."""
    return shapely.transform(
        np.asarray(geometries, dtype=object),
        lambda xy: np.column_stack(_mercator_xy(xy[:, 0], xy[:, 1])),
    )


def _area_paths(geometries: np.ndarray) -> list[Path]:
    """One matplotlib Path per polygonal geometry (in Mercator), holes and parts included."""
    paths = []
    for geometry in geometries:
        rings = shapely.get_rings(shapely.get_parts(geometry))
        if not len(rings):
            paths.append(Path(np.zeros((0, 2))))
            continue
        coords, ring_of = shapely.get_coordinates(rings, return_index=True)
        codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
        starts = np.r_[0, np.flatnonzero(np.diff(ring_of)) + 1]
        codes[starts] = Path.MOVETO
        codes[np.r_[starts[1:] - 1, len(coords) - 1]] = Path.CLOSEPOLY
        paths.append(Path(coords, codes))
    return paths


def _line_parts(geometries: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Every line part's coordinates, and which geometry each part belongs to."""
    parts, owner = shapely.get_parts(geometries, return_index=True)
    return [shapely.get_coordinates(part) for part in parts], owner


@functools.lru_cache(maxsize=1)
def _borders() -> np.ndarray:
    """static/basemap/borders.geojson's lines (Pacific frame)."""
    borders = json.loads((STATIC_DIR / "basemap" / "borders.geojson").read_text(encoding="utf-8"))
    return np.array(
        [shapely.from_geojson(json.dumps(f["geometry"])) for f in borders["features"]],
        dtype=object,
    )


def basemap_shapes(bounds, zoom: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(land, coastlines, borders) the map draws within `bounds` (west, south, east, north;
    Pacific frame) at `zoom`, from the same files (layers/map/basemap_files.py)."""
    west, south, east, north = bounds
    region = ((south, west), (north, east))
    land = np.array(basemap_files.land(region, zoom), dtype=object)
    coasts = np.array(basemap_files.coastlines(region, zoom), dtype=object)
    borders = shapely.clip_by_rect(_borders(), west, south, east, north)
    return land, coasts, borders[~shapely.is_empty(borders)]


def _draw_basemap(ax, bounds, zoom: int, px: float) -> None:
    land, coasts, borders = basemap_shapes(bounds, zoom)
    paths = _area_paths(_to_mercator(land))
    ax.add_collection(
        PathCollection(paths, facecolors=LAND_COLOUR, edgecolors="none", linewidths=0)
    ).set_zorder(1)
    lines, _owners = _line_parts(_to_mercator(coasts))
    ax.add_collection(LineCollection(lines, colors=COAST_COLOUR, linewidths=0.8 * px)).set_zorder(
        1.1
    )
    lines, _owners = _line_parts(_to_mercator(borders))
    ax.add_collection(
        LineCollection(lines, colors=BORDER_COLOUR, linewidths=0.8 * px, linestyles=(0, (4, 3)))
    ).set_zorder(1.2)


def _draw_outside_region(ax, bounds) -> None:
    """Grey (OUTSIDE_COLOUR) over the part of `bounds` (west, south, east, north; Pacific
    frame, degrees) beyond the basemap's region (MAP_REGION), as the map shows it: the
    basemap has no land data there, and open sea would be a false picture."""
    west, south, east, north = bounds
    (region_south, region_west), (region_north, region_east) = MAP_REGION
    outside = shapely.box(west, south, east, north).difference(
        shapely.box(region_west, region_south, region_east, region_north)
    )
    if outside.is_empty:
        return
    ax.add_collection(
        PathCollection(
            _area_paths(_to_mercator(np.array([outside], dtype=object))),
            facecolors=OUTSIDE_COLOUR,
            edgecolors="none",
            linewidths=0,
        )
    ).set_zorder(1.3)


# Place names as the map shows them (basemap.py's BASEMAP_STYLE): colour, size in screen
# pixels, italic.
PLACE_LOOKS = {
    "place": ("#3b3b3b", 11, "normal"),
    "port": ("#3b3b3b", 11, "normal"),
    "water": ("#3f6d94", 11, "italic"),
    "sea": ("#5a84aa", 13, "italic"),
    "land": ("#6b5b45", 11, "italic"),
}


def _place_labels(ax, bounds, zoom: int, px: float) -> list[Label]:
    """The basemap's place names as the map shows them, most important first, each with its
    dot (a place or port) or centred (a water or land name); place_labels thins them."""
    west, south, east, north = bounds
    labels = []
    for place in basemap_files.places(((south, west), (north, east)), zoom):
        kind = "sea" if place.kind == "water" and place.rank <= 1 else place.kind
        colour, size, style = PLACE_LOOKS[kind]
        text = one_line(place.name) + (f" {one_line(place.local)}" if place.local else "")
        (x,), (y,) = _mercator_xy([place.lon], [place.lat])
        marked = kind in ("place", "port")
        artists = []
        if marked:
            (dot,) = ax.plot(
                [x],
                [y],
                marker="s" if kind == "port" else "o",
                markersize=2.2 * px,
                color="#1f5f8b" if kind == "port" else "#555555",
                zorder=1.8,
                clip_on=True,
            )
            artists.append(dot)
        name = ax.text(
            x,
            y,
            ("  " if marked else "") + text,
            fontsize=size * px,
            color=colour,
            style=style,
            ha="left" if marked else "center",
            va="center",
            zorder=1.8,
            clip_on=True,
        )
        labels.append(Label(PLACE_PRIORITY, name, artists))
    return labels


def _draw_graticule(ax, bounds, zoom: int) -> None:
    """Degree lines as on screen (graticule_step), labelled outside the map."""
    west, south, east, north = bounds
    step = graticule_step(zoom)
    lons = np.arange(math.ceil(west / step) * step, east + 1e-9, step)
    lats = np.arange(math.ceil(south / step) * step, north + 1e-9, step)
    xs, _ys = _mercator_xy(lons, np.zeros_like(lons))
    _xs, ys = _mercator_xy(np.zeros_like(lats), lats)
    decimals = 2 if step < 0.1 else 1  # the graticule steps by 0.05° from zoom 12
    ax.set_xticks(xs, [_lon(lon, decimals) for lon in lons], fontsize=8, color="#4d6a85")
    ax.set_yticks(ys, [_lat(lat, decimals) for lat in lats], fontsize=8, color="#4d6a85")
    ax.tick_params(length=2, pad=2, colors="#4d6a85")
    ax.grid(True, color="#7f9bb3", linewidth=0.5, alpha=0.6, zorder=1.5)
    ax.set_axisbelow(False)
    for spine in ax.spines.values():
        spine.set_edgecolor("#7f9bb3")


def _draw_areas(ax, areas: gpd.GeoDataFrame, px: float) -> None:
    """Named areas as on screen: their kind's colour and dashes and a faint fill."""
    if areas.empty:
        return
    framed = to_pacific_frame(areas.geometry.values, digits=4)
    shapes = _to_mercator(framed)
    for geometry, (_unused, row) in zip(shapes, areas.iterrows()):
        look = AREA_LOOKS[row["kind"]]
        dashes = _dashes(look.get("d"))
        colour = look["c"]
        if shapely.get_dimensions(geometry) == 2:
            for path in _area_paths([geometry]):
                ax.add_patch(
                    PathPatch(
                        path,
                        facecolor=(*matplotlib.colors.to_rgb(colour), 0.06),
                        edgecolor=(*matplotlib.colors.to_rgb(colour), 0.8),
                        lw=1.2 * px,
                        linestyle=dashes,
                        zorder=2,
                    )
                )
        elif shapely.get_dimensions(geometry) == 1:
            lines, _owners = _line_parts([geometry])
            collection = LineCollection(
                lines, colors=colour, linewidths=1.5 * px, linestyles=dashes, alpha=0.8
            )
            ax.add_collection(collection).set_zorder(2)
        else:
            coords = shapely.get_coordinates(geometry)
            ax.scatter(coords[:, 0], coords[:, 1], s=(3 * px) ** 2, color=colour, zorder=2)


def _area_labels(ax, areas: gpd.GeoDataFrame, zoom: int) -> list[Label]:
    """A label for each area of the kinds the map labels, from the zoom at which it does,
    with the map's priority (larger areas first); place_labels thins them."""
    if areas.empty:
        return []
    shapes = _to_mercator(to_pacific_frame(areas.geometry.values, digits=4))
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    labels = []
    for geometry, (_unused, row) in zip(shapes, areas.iterrows()):
        label = area_label(row)
        if not AREA_LOOKS[row["kind"]].get("p") or label["z"] > zoom:
            continue
        # Labelled at a point of the part in view, so the label sits on what is shown.
        in_view = shapely.clip_by_rect(geometry, x0, y0, x1, y1)
        if in_view.is_empty:
            continue
        anchors = label_anchors(in_view)
        # Wrapped as the map wraps its labels (220 px wide there).
        lines = wrap(one_line(label["t"]), 44)
        if label["w"]:
            lines += wrap(one_line(label["w"]), 52)
        text = ax.text(
            anchors[0][0],
            anchors[0][1],
            "\n".join(lines),
            fontsize=7.5,
            color="#223344",
            ha="center",
            va="center",
            zorder=7,
            clip_on=True,
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1.5},
        )
        places = [(x, y, "center", "center") for x, y in anchors]
        # Then beside it, touching it: right, left (a label is wider than tall, so its
        # middle stays nearer the area's), below, above.
        west, south, east, north = in_view.bounds
        middle_x, middle_y = (west + east) / 2, (south + north) / 2
        places += [
            (east, middle_y, "left", "center"),
            (west, middle_y, "right", "center"),
            (middle_x, south, "center", "top"),
            (middle_x, north, "center", "bottom"),
        ]
        labels.append(Label(area_priority(label["z"]), text, places=places, movable=True))
    return labels


LABEL_GRID = 7  # an area's label may move to LABEL_GRID × LABEL_GRID points across it


def label_anchors(geometry) -> list[tuple[float, float]]:
    """Where an area's label may be centred, best first: a point on the area (shapely's
    point_on_surface, the map's choice is its centre), then points of a grid across it that
    lie in it, nearest that point first. Where the first is taken by a higher label or an
    event, the label moves over its own area rather than leave the picture (and, failing
    that, beside it: _area_labels)."""
    first = shapely.point_on_surface(geometry)
    anchors = [tuple(shapely.get_coordinates(first)[0])]
    if shapely.get_dimensions(geometry) != 2:
        return anchors
    west, south, east, north = geometry.bounds
    xs = np.linspace(west, east, LABEL_GRID + 2)[1:-1]
    ys = np.linspace(south, north, LABEL_GRID + 2)[1:-1]
    grid = shapely.points(np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2))
    shapely.prepare(geometry)
    inside = grid[shapely.contains(geometry, grid)]
    inside = inside[np.argsort(shapely.distance(inside, first), kind="stable")]
    return anchors + [tuple(xy) for xy in shapely.get_coordinates(inside)]


def _draw_uncertainty(ax, events: gpd.GeoDataFrame, px: float) -> None:
    """Each point event's circle of location_precision_km, geodesic, dashed and faint; one
    over LARGE_UNCERTAINTY_KM outlined only, as on screen (it would tint a whole sea)."""
    precise = events["location_precision_km"].gt(0) & events.geom_type.isin(["Point", "MultiPoint"])
    circles, colours, fills = [], [], []
    for geometry, radius, kind in zip(
        events.geometry[precise], events["location_precision_km"][precise], events["kind"][precise]
    ):
        for point in shapely.get_parts(geometry):
            circles.append(geodesic_circle(point.x, point.y, float(radius)))
            colours.append(KIND_COLOURS[kind])
            fills.append(0.0 if radius > LARGE_UNCERTAINTY_KM else 0.06)
    if not circles:
        return
    shapes = _to_mercator(to_pacific_frame(circles, digits=4))
    rgb = [matplotlib.colors.to_rgb(colour) for colour in colours]
    ax.add_collection(
        PathCollection(
            _area_paths(shapes),
            facecolors=[(*colour, fill) for colour, fill in zip(rgb, fills)],
            edgecolors=[(*colour, 0.5) for colour in rgb],
            linewidths=1 * px,
            linestyles=(0, (3, 4)),
            zorder=3,
        )
    )


def _event_colours(picture: ViewPicture) -> list[tuple[pd.Index, str | None]]:
    """The events to draw, in drawing order, each group with its colour (None: by kind).

    Coloured by month, an event is drawn in each month it was active, later months on top, as
    the map's month layers are."""
    events = picture.events
    if picture.view.colour != "month":
        return [(events.index, None)]
    colours = month_colours(picture.months)
    by_month = events_by_month(events, picture.months)
    return [(index, colours[month]) for month, index in by_month.items()]


def _draw_events(ax, picture: ViewPicture, framed: np.ndarray, px: float) -> pd.Series:
    """Events as on screen: areas faintly filled, lines 3 px, points as 6 px circles; the open
    event outlined in black on top. Many events are drawn into the image (rasterized) so a
    PDF of 100,000 points stays small. Returns the events' shapes in Mercator metres, indexed
    as the events."""
    events = picture.events
    if events.empty:
        return pd.Series([], dtype=object)
    shapes = pd.Series(list(_to_mercator(framed)), index=events.index, dtype=object)
    kinds = events["kind"]
    rasterized = len(events) > 5000
    for index, month_colour in _event_colours(picture):
        if not len(index):
            continue
        colours = [month_colour or KIND_COLOURS[kind] for kind in kinds.loc[index]]
        _draw_shapes(ax, shapes.loc[index].to_numpy(), colours, px, rasterized, zorder=4)
    opened = events.index[events["id"] == picture.view.event]
    if len(opened):
        geometry = shapes.loc[opened].to_numpy()
        _draw_shapes(ax, geometry, [SELECTED_COLOUR], px, False, zorder=4.5, selected=True)
    return shapes


def _draw_shapes(ax, shapes, colours, px, rasterized, zorder, selected=False) -> None:
    dimension = shapely.get_dimensions(shapes)
    rgb = np.array([matplotlib.colors.to_rgb(colour) for colour in colours]).reshape(-1, 3)
    polygons = dimension == 2
    if polygons.any():
        fill = 0.25 if selected else 0.15
        ax.add_collection(
            PathCollection(
                _area_paths(shapes[polygons]),
                facecolors=np.column_stack([rgb[polygons], np.full(polygons.sum(), fill)]),
                edgecolors=np.column_stack([rgb[polygons], np.full(polygons.sum(), 0.9)]),
                linewidths=(3 if selected else 1.5) * px,
                zorder=zorder,
                rasterized=rasterized,
            )
        )
    lines = dimension == 1
    if lines.any():
        parts, owner = _line_parts(shapes[lines])
        collection = LineCollection(
            parts,
            colors=np.column_stack([rgb[lines][owner], np.full(len(owner), 0.9)]),
            linewidths=(4 if selected else 3) * px,
            capstyle="round",
            joinstyle="round",
            rasterized=rasterized,
        )
        ax.add_collection(collection).set_zorder(zorder)
    dots = dimension == 0
    if dots.any():
        coords, owner = shapely.get_coordinates(shapes[dots], return_index=True)
        radius = (OPEN_POINT_RADIUS if selected else POINT_RADIUS) * px
        colour = rgb[dots][owner]
        ax.scatter(
            coords[:, 0],
            coords[:, 1],
            s=(2 * radius) ** 2,
            facecolors=np.column_stack([colour, np.full(len(owner), 0.8)]),
            edgecolors=np.column_stack([colour, np.full(len(owner), 0.9)]),
            linewidths=POINT_EDGE * px,
            zorder=zorder,
            rasterized=rasterized,
        )


# --- labels, laid out as the map lays them out -----------------------------------------------

# The map's label priorities (layers/map/labels.py, the classes text_layer.py and basemap.py
# give): the open event's name 1000, a named area 100 minus the zoom it is labelled from (larger
# areas first), basemap place names 1. Ties keep the order they come in.
OPEN_EVENT_PRIORITY = 1000
PLACE_PRIORITY = 1
LABEL_GAP = 2  # screen px kept between labels, as labels.py's GAP
# Point events as the map draws them (screen px): radius, open event's radius, outline width.
POINT_RADIUS, OPEN_POINT_RADIUS, POINT_EDGE = 6, 9, 3
OPEN_LABEL_OFFSET = 12  # screen px between the open event and its name (text_layer.py)
OPEN_LABEL_PADDING = 6  # screen px inside the name's box, as a Leaflet tooltip's
OPEN_LABEL_CHARACTERS = 70  # the map cuts a longer name to 68 and "…"
OPEN_LABEL_COLUMNS = 36  # the map wraps the name at 240 px of 12 px text


def area_priority(label_zoom: int) -> int:
    """A named area's label priority (labels.py): labelled from a smaller zoom (a larger
    area), it goes first."""
    return 100 - label_zoom


@dataclass
class Label:
    """One label for place_labels: its text (a matplotlib Text on the map's axes), what goes
    with it (a place's dot), its priority (higher first) and how it may move. `places` are
    positions (data x, y, horizontal and vertical alignment) tried in turn (none: where the
    text is); `movable` lets a label the map's edge would cut move inside; `kept` keeps it at
    its first position when no position is clear (the open event's name, as on the map)."""

    priority: int
    text: matplotlib.text.Text
    artists: list = field(default_factory=list)
    places: list = field(default_factory=list)
    movable: bool = False
    kept: bool = False

    def box(self, renderer) -> np.ndarray:
        """(x0, y0, x1, y1) in display pixels: the text with its background box, and what
        goes with it, as matplotlib measures them."""
        boxes = [self.text.get_window_extent(renderer)]
        patch = self.text.get_bbox_patch()
        if patch is not None:
            self.text.update_bbox_position_size(renderer)
            boxes.append(patch.get_window_extent(renderer))
        boxes += [artist.get_window_extent(renderer) for artist in self.artists]
        return np.array(Bbox.union(boxes).extents)

    def move(self, place: tuple) -> None:
        """Put the text at `place`: (x, y, horizontal alignment, vertical alignment)."""
        x, y, horizontal, vertical = place
        self.text.set_position((x, y))
        self.text.set_horizontalalignment(horizontal)
        self.text.set_verticalalignment(vertical)

    def remove(self) -> None:
        for artist in [self.text, *self.artists]:
            artist.remove()


def place_labels(
    labels: list[Label], obstacles: list, frame, gap: float, renderer
) -> list[np.ndarray]:
    """Thin `labels` as the map does (layers/map/labels.py): by priority, highest first (ties
    in the order given), each label is kept only where its box, `gap` display pixels apart,
    overlaps no obstacle (the events' marks, the scale bar) and no label kept before it, and
    lies inside `frame` (the map, x0, y0, x1, y1): a name the edge cuts says half of it. A
    movable label the edge would cut is moved inside first. A label no place suits is removed
    from the figure (never drawn under another), except a `kept` one. Boxes are matplotlib's
    own text extents at the figure's dpi. Returns the kept labels' boxes."""
    taken = np.array(obstacles, dtype=float).reshape(-1, 4)
    frame = np.asarray(frame, dtype=float)
    # Only what is on the map can meet a label that must lie on it (of 100,000 points, few).
    taken = taken[
        (taken[:, 0] < frame[2] + gap)
        & (taken[:, 2] > frame[0] - gap)
        & (taken[:, 1] < frame[3] + gap)
        & (taken[:, 3] > frame[1] - gap)
    ]
    kept_boxes = []

    def clear(box) -> bool:
        inside = (box[:2] >= frame[:2] - 0.5).all() and (box[2:] <= frame[2:] + 0.5).all()
        clash = (
            (taken[:, 0] < box[2] + gap)
            & (box[0] < taken[:, 2] + gap)
            & (taken[:, 1] < box[3] + gap)
            & (box[1] < taken[:, 3] + gap)
        )
        return inside and not clash.any()

    for label in sorted(labels, key=lambda label: -label.priority):
        chosen = None
        for place in label.places or [None]:
            if place is not None:
                label.move(place)
            box = label.box(renderer)
            if label.movable:
                box = _moved_inside(label.text, box, frame)
            if clear(box):
                chosen = box
                break
        if chosen is None and label.kept:
            if label.places:
                label.move(label.places[0])
            chosen = label.box(renderer)
        if chosen is None:
            label.remove()
            continue
        taken = np.vstack([taken, chosen])
        kept_boxes.append(chosen)
    return kept_boxes


def _moved_inside(text, box: np.ndarray, frame: np.ndarray) -> np.ndarray:
    """Move `text` so its `box` lies inside `frame` (both display pixels), if it fits; return
    its box there."""
    if box[2] - box[0] > frame[2] - frame[0] or box[3] - box[1] > frame[3] - frame[1]:
        return box
    shift = np.maximum(frame[:2] - box[:2], 0) + np.minimum(frame[2:] - box[2:], 0)
    if not shift.any():
        return box
    to_data = text.axes.transData
    anchor = to_data.transform(text.get_position())
    text.set_position(to_data.inverted().transform(anchor + shift))
    return box + np.tile(shift, 2)


def _open_event_label(ax, picture: ViewPicture, shapes: pd.Series, px: float) -> list[Label]:
    """The open event's name, as the map writes it: to the left of its mark (the right if
    there is no room), in bold, its box outlined in black."""
    events = picture.events
    opened = events.index[events["id"] == picture.view.event]
    if not len(opened):
        return []
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    in_view = shapely.clip_by_rect(shapes.loc[opened[0]], x0, y0, x1, y1)
    if in_view.is_empty:
        return []
    if shapely.get_dimensions(in_view) == 0:
        anchor = shapely.get_coordinates(in_view)[0]  # the first point, as the map's
    elif shapely.get_dimensions(in_view) == 1:
        anchor = shapely.get_coordinates(shapely.line_interpolate_point(in_view, 0.5, True))[0]
    else:
        anchor = shapely.get_coordinates(shapely.point_on_surface(in_view))[0]
    title = one_line(events.loc[opened[0], "title"])
    if len(title) > OPEN_LABEL_CHARACTERS:
        title = title[: OPEN_LABEL_CHARACTERS - 2] + "…"
    # Clear of the mark: its offset, the tooltip's padding and the mark's own radius.
    away = (OPEN_LABEL_OFFSET + OPEN_LABEL_PADDING) * px * ax.figure.dpi / 72
    centre = ax.transData.transform(anchor)
    left = ax.transData.inverted().transform(centre - (away, 0))
    right = ax.transData.inverted().transform(centre + (away, 0))
    size = 12 * px  # points
    text = ax.text(
        left[0],
        left[1],
        "\n".join(wrap(title, OPEN_LABEL_COLUMNS)),
        fontsize=size,
        weight="bold",
        color=SELECTED_COLOUR,
        ha="right",
        va="center",
        zorder=7.5,
        clip_on=True,
        bbox={
            "facecolor": "white",
            "alpha": 0.9,
            "edgecolor": SELECTED_COLOUR,
            "linewidth": px,
            # A box style's padding is in font sizes.
            "boxstyle": f"round,pad={OPEN_LABEL_PADDING * px / size:.3f}",
        },
    )
    places = [(left[0], left[1], "right", "center"), (right[0], right[1], "left", "center")]
    return [Label(OPEN_EVENT_PRIORITY, text, places=places, kept=True)]


def _event_marks(ax, picture: ViewPicture, shapes: pd.Series, unit: float) -> list:
    """The boxes (display pixels) of the point events' marks, each with its outline and 2 px
    more (labels.py's eventMarks): no label goes over an event. Lines and areas are not
    obstacles (as on the map): a long line would leave no room for any name."""
    if shapes.empty:
        return []
    opened = (picture.events["id"] == picture.view.event).to_numpy()
    points = shapely.get_dimensions(shapes.to_numpy()) == 0
    coords, owner = shapely.get_coordinates(shapes.to_numpy()[points], return_index=True)
    if not len(coords):
        return []
    radius = np.where(opened[points][owner], OPEN_POINT_RADIUS, POINT_RADIUS)
    radius = (radius + POINT_EDGE / 2 + 2) * unit
    centres = ax.transData.transform(coords)
    return list(np.column_stack([centres - radius[:, None], centres + radius[:, None]]))


def _draw_density(ax, grid) -> None:
    """The density grid as on screen: one image pixel per cell, no smoothing, over its
    bounds (rows are evenly spaced in Mercator, so the image stretches linearly)."""
    west, south, east, north = grid.bounds()
    (x0, x1), (y0, y1) = _mercator_xy([west, east], [south, north])
    ax.imshow(
        class_image(grid),
        extent=(x0, x1, y0, y1),
        origin="upper",
        interpolation="nearest",
        alpha=DENSITY_OPACITY,
        zorder=6,
    )
    ax.set_aspect("auto")  # imshow asks for square pixels; the axes already have the shape


def nice_length(most: float) -> float:
    """The largest 1, 2 or 5 × 10^n not over `most` (for a scale bar)."""
    if most <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(most))
    return next(step * power for step in (5, 2, 1) if step * power <= most)


def _draw_scale_bar(ax, bounds) -> list:
    """Bars in km and nm, about a fifth of the map wide, true at the map's middle latitude
    (Mercator's scale changes with latitude: 1/cos(lat)). Returns its artists (no label goes
    over it, as the map's labels keep off its scale control)."""
    artists = []
    west, south, east, north = bounds
    middle = (south + north) / 2
    (x0, x1), (y0, y1) = _mercator_xy([west, east], [south, north])
    metres_per_unit = math.cos(math.radians(middle))  # ground metres per Mercator metre
    width_km = (x1 - x0) * metres_per_unit / 1000
    km = nice_length(width_km / 5)
    nm = nice_length(width_km / 5 / KM_PER_NM)
    left, bottom = x0 + (x1 - x0) * 0.02, y0 + (y1 - y0) * 0.035
    height = (y1 - y0) * 0.012
    for row, (length_km, label) in enumerate(
        [
            (nm * KM_PER_NM, _("{length} nm").format(length=_number(nm))),
            (km, _("{length} km").format(length=_number(km))),
        ]
    ):
        length = length_km * 1000 / metres_per_unit
        y = bottom + row * height * 3.2
        bar = matplotlib.patches.Rectangle(
            (left, y), length, height, facecolor="#222222", edgecolor="white", lw=0.6, zorder=8
        )
        artists.append(ax.add_patch(bar))
        text = ax.text(
            left + length + (x1 - x0) * 0.006,
            y + height / 2,
            label,
            fontsize=8,
            va="center",
            zorder=8,
            bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1},
        )
        artists.append(text)
    text = ax.text(
        left,
        bottom + height * 6.4,
        _("scale at {latitude}").format(latitude=_lat(round(middle, 1))),
        fontsize=7,
        color="#333333",
        zorder=8,
        bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1},
    )
    artists.append(text)
    return artists


def _draw_legend(
    figure: Figure,
    picture: ViewPicture,
    on_map: np.ndarray,
    areas: gpd.GeoDataFrame,
    density,
    left: float,
) -> None:
    """Kinds (those on the map: `on_map` says which events are) or months, the open event
    (if on the map), the named `areas` on the map, uncertainty and density."""
    handles, labels, headings = [], [], []

    def heading(text):
        headings.append(len(labels))
        handles.append(Patch(visible=False))
        labels.append(text)

    def dot(colour, text):
        handles.append(
            Line2D([], [], marker="o", linestyle="", markersize=7, color=colour, alpha=0.9)
        )
        labels.append(text)

    events = picture.events
    if picture.view.colour == "month":
        heading(_("Months (events active)"))
        colours = list(month_colours(picture.months).items())
        shown = colours if len(colours) <= 12 else colours[:: math.ceil(len(colours) / 12)]
        for month, colour in shown:
            dot(colour, month if is_english() else month_text(month))
    else:
        heading(_("Kinds"))
        present = set(events["kind"][on_map]) if len(events) else set()
        for kind, label in KIND_LABELS.items():
            if kind in present or not present:
                dot(KIND_COLOURS[kind], label)
    if picture.view.event and picture.view.event in set(events["id"][on_map]):
        dot(SELECTED_COLOUR, _("Open event"))
    if (
        picture.uncertainty
        and len(events) <= DETAIL_LIMIT
        and events["location_precision_km"].gt(0).any()
    ):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=11,
                markerfacecolor="none",
                markeredgecolor="#666666",
                alpha=0.6,
            )
        )
        labels.append(_("Location uncertainty"))
    if not areas.empty:
        heading(_("Named areas"))
        for _unused, row in areas.head(8).iterrows():
            look = AREA_LOOKS[row["kind"]]
            handles.append(
                Line2D([], [], color=look["c"], linewidth=1.5, linestyle=_dashes(look.get("d")))
            )
            name = picture.area_names.get(row["id"], row["name"]) if "id" in row else row["name"]
            labels.append(_clip(one_line(name), 38))
        if len(areas) > 8:
            handles.append(Patch(visible=False))
            labels.append(_("and {count} more").format(count=grouped(len(areas) - 8)))
    if density is not None:
        weights = measure_weights(picture.events, picture.view.measure)
        measure = EVENTS if weights is None else picture.view.measure
        missing = 0 if weights is None else int(weights.isna().sum())
        title, rows = density_legend(density, measure, missing)
        heading(title.replace(" (", "\n("))
        for colour, text in rows:
            if colour:
                handles.append(Patch(facecolor=colour, alpha=DENSITY_OPACITY, edgecolor="none"))
            else:
                handles.append(Patch(visible=False))
            labels.append(text)
    ax = figure.add_axes((left, MAP_BOX[1], LEGEND_WIDTH, MAP_BOX[3]))
    ax.axis("off")
    legend = ax.legend(
        handles,
        labels,
        loc="upper left",
        frameon=False,
        fontsize=9,
        handlelength=1.6,
        borderaxespad=0,
        labelspacing=0.45,
    )
    for number, text in enumerate(legend.get_texts()):
        if number in headings:
            text.set_fontweight("bold")


def _dashes(pattern: str | None):
    """A Leaflet dashArray ("6 4") as a matplotlib dash style; solid when None."""
    if not pattern:
        return "solid"
    return (0, tuple(float(part) for part in pattern.split()))


# --- the list pages --------------------------------------------------------------------------


def event_entry(event: pd.Series) -> list[tuple[str, str]]:
    """One event in the list as (style, text) lines: its id, dates as written (and in words),
    kind and nations; its title; then one line per source (publisher, title, date, URL)."""
    start, end = event["start_text"], event["end_text"]
    written = _("{start} to {end}").format(start=start, end=end) if end and end != start else start
    when = _("{dates} ({words})").format(dates=written, words=span_words(start, end or None))
    lines = [
        (
            "id",
            f"{event['id']} · {when} · {KIND_LABELS[event['kind']]} · "
            f"{_separator().join(event['nations'])}",
        ),
        ("title", one_line(event["title"])),
    ]
    if not event["sources"]:
        lines.append(("source", _("No source given (see the event's summary).")))
    for source in event["sources"]:
        parts = [source.get("publisher"), source["title"], source.get("published")]
        text = " — ".join(one_line(str(part)) for part in parts if part)
        if source.get("url"):
            text += f" <{one_line(source['url'])}>"
        lines.append(("source", "• " + text))
    return lines


def span_words(start: str, end: str | None) -> str:
    """When an event happened, in words (layers.dates.describe_span in English; in another
    language the dates as its reader writes them, at their precision, times as written)."""
    if is_english():
        return describe_span(start, end)
    if not end or end == start:
        return _date_words(start)
    return _("{start} to {end}").format(start=_date_words(start), end=_date_words(end))


def _date_words(text: str) -> str:
    first, _last, precision = parse_period(text)
    if precision in ("year", "month"):
        return date_text(first, precision)
    # The day in full, as in a sentence (CLDR's yMMMd: 2024年6月12日), not the short 2024/06/12.
    day = format_skeleton("yMMMd", first, locale=CLDR_LOCALES[current_language()])
    if precision == "day":
        return day
    time_text, zone = moment_parts(text)
    return f"{day} {time_text} {zone_words(zone)}"


LIST_STYLES = {
    "id": {"fontsize": 7.5, "color": "#555555"},
    "title": {"fontsize": 9.5, "weight": "bold"},
    "source": {"fontsize": 7.5, "color": "#222222"},
    "head": {"fontsize": 13, "weight": "bold"},
    "note": {"fontsize": 8.5, "color": "#444444"},
}
LIST_WRAP = {"id": 118, "title": 92, "source": 118, "head": 72, "note": 110}  # columns
LIST_MARGIN = 0.07  # of the page, each side
LINE_GAP = 1.45  # line height, as a multiple of the font size


def list_pages(picture: ViewPicture) -> list[Figure]:
    """The events on the map (events_on_map) with their sources, on A4; then, under a heading
    of their own, the events the filters keep that lie outside the map: none is listed as if
    it were on the map. At most MAX_LISTED in all, those on the map first, each part in the
    events' order (by date)."""
    events = picture.events
    bounds = screen_bounds(picture)
    on_map = events_on_map(events, bounds)
    inside, outside = events[on_map], events[~on_map]
    listed_inside = inside.head(MAX_LISTED)
    listed_outside = outside.head(MAX_LISTED - len(listed_inside))
    heading = [
        ("head", _("Events on this map ({count})").format(count=grouped(len(inside)))),
        ("note", view_title(picture, bounds)),
    ]
    if not len(inside):
        heading.append(("note", _("None of the events the filters keep is on this map.")))
    if len(events) > MAX_LISTED:
        heading.append(
            (
                "note",
                _(
                    "The first {count} are listed (those on the map first, in date order); "
                    "download the CSV for all of them."
                ).format(count=grouped(MAX_LISTED)),
            )
        )
    # One block per event, kept on one page (unless it is longer than a page).
    blocks = [heading + [("gap", "")]]
    blocks += [event_entry(event) + [("gap", "")] for _label, event in listed_inside.iterrows()]
    if len(outside):
        count = grouped(len(outside))
        if len(listed_outside) < len(outside):
            count = _("{count}; the first {listed} listed").format(
                count=count, listed=grouped(len(listed_outside))
            )
        blocks.append(
            [
                ("gap", ""),
                ("head", _("Outside this map ({count})").format(count=count)),
                (
                    "note",
                    _(
                        "The filters keep these too, but they lie beyond the map's edges "
                        "({place}): page 1 does not show them."
                    ).format(place=place_in_words(View(), {}, bounds)),
                ),
                ("gap", ""),
            ]
        )
        blocks += [
            event_entry(event) + [("gap", "")] for _label, event in listed_outside.iterrows()
        ]
    pages, page, used = [], [], 0.0
    height = LIST_PAGE_INCHES[1] * 72 * (1 - 2 * LIST_MARGIN)
    for block in blocks:
        laid = []
        for style, text in block:
            wrapped = [""] if style == "gap" else wrap(text, LIST_WRAP[style])
            size = 5 if style == "gap" else LIST_STYLES[style]["fontsize"]
            laid.append((style, wrapped, len(wrapped) * size * LINE_GAP))
        if page and used + sum(need for *_unused, need in laid) > height:
            pages.append(page)
            page, used = [], 0.0
        for style, wrapped, need in laid:
            if page and used + need > height:
                pages.append(page)
                page, used = [], 0.0
            page.append((style, wrapped, used))
            used += need
    if page:
        pages.append(page)
    figures = []
    for number, page in enumerate(pages, start=1):
        figure = Figure(figsize=LIST_PAGE_INCHES)
        FigureCanvasAgg(figure)
        top = 1 - LIST_MARGIN
        page_points = LIST_PAGE_INCHES[1] * 72
        # Lines of one style in a row (an event's sources) are one text: matplotlib's cost
        # is mostly per text drawn.
        merged = []
        for style, wrapped, offset in page:
            if merged and merged[-1][0] == style:
                merged[-1][1].extend(wrapped)
            else:
                merged.append((style, list(wrapped), offset))
        for style, wrapped, offset in merged:
            if style == "gap":
                continue
            figure.text(
                LIST_MARGIN,
                top - offset / page_points,
                "\n".join(wrapped),
                va="top",
                linespacing=LINE_GAP,
                **LIST_STYLES[style],
            )
        figure.text(
            1 - LIST_MARGIN,
            LIST_MARGIN / 2,
            _("Data version {version} · page {page} of {pages}").format(
                version=one_line(picture.data_version), page=number + 1, pages=len(pages) + 1
            ),
            ha="right",
            fontsize=7.5,
            color="#555555",
        )
        figures.append(figure)
    return figures


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` columns, a Chinese or Japanese character counting
    two (it is about twice as wide); broken at spaces where it can be, anywhere if not."""
    lines, line, width = [], "", 0
    last_space = -1
    for character in text:
        size = 2 if unicodedata.east_asian_width(character) in "WF" else 1
        if width + size > columns and line:
            if character != " " and last_space > 0:
                line, rest = line[:last_space], line[last_space + 1 :]
            else:
                rest = ""
            lines.append(line.rstrip())
            line, width, last_space = rest, _columns(rest), -1
            if character == " " and not line:
                continue
        if character == " ":
            last_space = len(line)
        line += character
        width += size
    lines.append(line.rstrip())
    return lines


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pdf_metadata(picture: ViewPicture) -> dict:
    return {
        "Title": one_line(view_title(picture, screen_bounds(picture))),
        "Subject": _("Data version {version}").format(version=one_line(picture.data_version)),
        "Creator": _("Indo-Pacific maritime activity dashboard"),
    }


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lat(value: float, decimals: int = 1) -> str:
    rounded = round(value, decimals)
    text = f"{abs(rounded):g}°"
    return "0°" if rounded == 0 else text + ("N" if rounded > 0 else "S")


def _lon(value: float, decimals: int = 1) -> str:
    lon = ((value + 180.0) % 360.0) - 180.0
    rounded = round(lon, decimals)
    if abs(rounded) == 180:
        return "180°"
    text = f"{abs(rounded):g}°"
    return "0°" if rounded == 0 else text + ("E" if rounded > 0 else "W")
