"""The map's colours, its page style, and how each kind of named area looks."""

from __future__ import annotations

from layers.read.schema import KIND_COLOURS, KIND_LABELS
from layers.view import MAX_ZOOM, MIN_ZOOM

SEA_COLOUR = "#cddff0"
LAND_COLOUR = "#f4f1ea"
# Beyond the basemap's region (layers.region.MAP_REGION) there is no land data: grey, not the
# sea's blue, on the map and in exported pictures.
OUTSIDE_COLOUR = "#dcdcd8"
COAST_COLOUR = "#8c8c8c"
BORDER_COLOUR = "#a0a0a0"
SELECTED_COLOUR = "#111111"
# Sequential colours for "colour by month", from early (light) to late (dark).
MONTH_PALETTE = (
    "#fdd49e",
    "#fdbb84",
    "#fc8d59",
    "#ef6548",
    "#d7301f",
    "#b30000",
    "#7f0000",
)


def _label_zoom_rules() -> str:
    """CSS hiding each area label until the map is zoomed in to its "z" (see area_label)."""
    return "\n".join(
        f".map-zoom-{zoom} .label-from-{shown} {{ display: none; }}"
        for zoom in range(MIN_ZOOM, MAX_ZOOM + 1)
        for shown in range(zoom + 1, MAX_ZOOM + 1)
    )


def _kind_circle_rules() -> str:
    """CSS colouring a count circle (clusters.ClusterView) by its most frequent kind: class
    event-kind-N is the N-th kind of KIND_LABELS, filled at 80 % opacity, its rim solid."""
    return "\n".join(
        f".event-kind-{number} {{ background: {KIND_COLOURS[kind]}cc; "
        f"border-color: {KIND_COLOURS[kind]}; }}"
        for number, kind in enumerate(KIND_LABELS)
    )


MAP_STYLE = f"""<style>
.leaflet-container {{ background: {SEA_COLOUR}; font: 12px/1.4 system-ui, sans-serif; }}
.graticule-label {{ color: #4d6a85; font-size: 10px; white-space: nowrap; }}
.area-label {{ background: rgba(255,255,255,0.7); border: none; box-shadow: none;
  color: #234; font-size: 11px; padding: 1px 4px; }}
.area-label::before {{ display: none; }}
.event-tip .event-id {{ color: #777; font-size: 10px; }}
.event-cluster {{ border: 2px solid; border-radius: 50%; color: #fff; font-weight: 600;
  font-size: 11px; display: flex; align-items: center; justify-content: center;
  text-shadow: 0 0 2px rgba(0,0,0,0.6); }}
.month-player {{ background: #fff; padding: 3px 4px; display: flex; gap: 3px;
  align-items: center; font-size: 12px; }}
.month-player button {{ border: 1px solid #bbb; background: #f7f7f7; border-radius: 3px;
  min-width: 26px; height: 24px; cursor: pointer; font-size: 12px; }}
.month-player select {{ height: 24px; font-size: 12px; }}
/* The month shown sits on the player's box (a Leaflet control, position: relative), not over
   the map's middle where it covered that month's events. */
.month-now {{ position: absolute; left: 0; bottom: calc(100% + 4px); pointer-events: none;
  font-size: 22px; font-weight: 700; color: #223; background: rgba(255,255,255,0.9);
  padding: 0 8px; border-radius: 4px; white-space: nowrap; }}
.month-now.quiet {{ color: #778; }}
.month-now small {{ font-size: 14px; font-weight: 400; margin-left: 8px; }}
.month-now.hours {{ font-size: 20px; }}
/* The map fills its frame, which the page sizes to the window (dashboard.py PAGE_STYLE);
   Leaflet follows the frame's resizes itself (its trackResize). */
html, body {{ height: 100%; margin: 0; overflow: hidden; }}
#map_div {{ height: 100vh !important; }}
/* Controls never cover each other: zoom and the layer list top left, the player and the scale
   bottom left (the scale above the longitude labels), the legend bottom right, and the layer
   list never taller than the space above the player. */
.leaflet-control-layers-list {{ max-height: calc(100vh - 240px); overflow-y: auto; }}
.leaflet-control-layers label {{ font-size: 12px; line-height: 1.35; }}
.leaflet-control-layers-expanded {{ max-width: 320px; }}
.leaflet-bottom.leaflet-left .leaflet-control-scale {{ margin-bottom: 20px; }}
/* Hover text: short lines that wrap, kept inside the map (see tooltip_inside_map in basemap). */
.leaflet-tooltip.event-tip-box {{ white-space: normal; width: max-content; max-width: 260px; }}
.selected-label {{ font-weight: 600; font-size: 12px; color: #111; max-width: 240px;
  white-space: normal; width: max-content; border-color: #111; }}
/* Labels that would overlap one placed before them are thinned out (layers/map/labels.py);
   one shows again while its area is pointed at. */
.label-thinned {{ visibility: hidden; }}
.label-thinned.label-hovered {{ visibility: visible; }}
/* A label the layout moved clear of an event (its style's translate): a place's dot stays on
   the place. */
.basemap-label::before {{
  translate: calc(-1 * var(--label-dx, 0px)) calc(-1 * var(--label-dy, 0px)); }}
.area-label-text {{ white-space: normal; width: max-content; max-width: 220px; }}
.area-label-text div {{ font-size: 10px; color: #456; }}
.map-legend {{ background: rgba(255,255,255,0.9); padding: 4px 7px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 11px; line-height: 1.35; }}
.map-legend i {{ display: inline-block; width: 9px; height: 9px; border-radius: 50%;
  margin-right: 4px; vertical-align: 0; }}
.change-legend {{ max-width: 260px; }}
.change-rows {{ display: grid; grid-template-columns: auto auto; column-gap: 10px; }}
.change-legend i.change-swatch {{ width: 12px; height: 10px; border-radius: 0; margin-top: 2px;
  box-sizing: border-box; vertical-align: -1px; }}
.change-swatch span {{ display: block; width: 100%; height: 100%; }}
.change-tip {{ white-space: normal; width: max-content; max-width: 280px; }}
.change-note {{ color: #445; font-size: 10px; margin-top: 3px; }}
.change-label span {{ position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  background: rgba(255,255,255,0.85); border-radius: 3px; padding: 0 3px; font-size: 11px;
  font-weight: 600; color: #222; }}
{_label_zoom_rules()}
{_kind_circle_rules()}
</style>"""


# Colour, dash pattern and whether the label stays on the map ("p"), by area kind. Zones and
# reference lines are labelled on hover only: they overlap the areas they belong to.
AREA_LOOKS = {
    "sea": {"c": "#3a5f85", "p": 1},
    "strait": {"c": "#3a5f85", "p": 1},
    "bay": {"c": "#3a5f85", "p": 1},
    "coastal_waters": {"c": "#2c7a7b", "p": 1},
    "island_waters": {"c": "#2c7a7b", "p": 1},
    "territorial_sea": {"c": "#5b3a85", "d": "6 4"},
    "contiguous_zone": {"c": "#5b3a85", "d": "2 5"},
    "reference_line": {"c": "#a23b3b", "d": "8 6"},
    "point_of_interest": {"c": "#333333", "p": 1},
    # Drawn zones: the drawing tool's own colour (layers/map/draw.py SHAPE_STYLE), so the
    # export and the screen agree; labelled on the map like a sea.
    "drawn_area": {"c": "#d6336c", "d": "4 3", "p": 1},
}

# The change map's looks, in CHANGE_CLASSES order (gone … new): ColorBrewer's PuOr diverging
# scheme (Brewer, colorbrewer2.org; safe for colour-blind readers), purple for fewer and
# orange for more. New and gone take their side's strongest colour and a distinct outline:
# new a heavy solid one, gone a dashed one around an almost empty fill.
CHANGE_LOOKS = (
    {
        "color": "#5e3c99",
        "fillColor": "#5e3c99",
        "fillOpacity": 0.08,
        "weight": 2.5,
        "dashArray": "5 4",
    },
    {"color": "#5e3c99", "fillColor": "#5e3c99", "fillOpacity": 0.6, "weight": 1},
    {"color": "#8073ac", "fillColor": "#b2abd2", "fillOpacity": 0.6, "weight": 1},
    {"color": "#999999", "fillColor": "#f7f7f7", "fillOpacity": 0.6, "weight": 1},
    {"color": "#e08214", "fillColor": "#fdb863", "fillOpacity": 0.6, "weight": 1},
    {"color": "#e66101", "fillColor": "#e66101", "fillOpacity": 0.6, "weight": 1},
    {"color": "#7f3b08", "fillColor": "#e66101", "fillOpacity": 0.75, "weight": 3},
)

# An area with events only possibly in it (their uncertainty reaches it): a grey dotted outline.
POSSIBLY_LOOK = {
    "color": "#666666",
    "fillColor": "#999999",
    "fillOpacity": 0.05,
    "weight": 1.5,
    "dashArray": "2 4",
}


def month_colours(months: list[str]) -> dict[str, str]:
    """A colour per month, light to dark across the months given."""
    if not months:
        return {}
    last = max(len(months) - 1, 1)
    return {
        month: MONTH_PALETTE[round(position * (len(MONTH_PALETTE) - 1) / last)]
        for position, month in enumerate(months)
    }
