"""Navigational warnings (航行警告, NAVAREA, HYDROPAC, 航行警報, 航船布告) read into events.

A warning announces where and when a drill, a firing, a launch or a survey will happen. The
reader works in stages, one module each:

- `sources`: files as published (NGA's broadcast-warning XML and JSON, the MSA scraper's CSV,
  other tables, text) into warning texts with their URL and publication date;
- `headers`: where one warning ends and the next begins (numbers and headers, never blank
  lines; a web page's furniture dropped), its number and year, who issued it, its activity and
  event kind, its sea area, what it cancels, in-force lists;
- `times`: its windows (DTG ranges, daily hours, Chinese, Japanese and ROC dates), its issue
  and CANCEL THIS MSG times;
- `areas`: its positions into areas (polygons, lettered areas, circles, sectors, lines, points);
- `reader`: the stages wired into a NavWarning per warning, cancellations matched up;
- `events`: the GeoJSON event each warning announces, and the rows the dashboard shows;
- `watch`: a folder of daily files kept in one events file, idempotently.

Nothing is invented: a warning with no coordinates ("具体海域另行通知", "TO BE ANNOUNCED"), no
period or an area it cannot draw is reported and gives no event; a year not in the text comes
from the publication date, never from today; a time takes only a zone the text writes; a
warning that does not say who issued it has no nation until the analyst gives one.
docs/navwarn.md lists every layout and form read.
"""

from layers.read.navwarn.events import (
    AREA_FORM_WORDS,
    guess_warning_columns,
    import_warnings,
    table_items,
    warning_feature,
    warning_id,
    warning_name,
    warning_rows,
)
from layers.read.navwarn.headers import split_warnings
from layers.read.navwarn.model import CIRCLE_VERTICES, NM_KM, Area, NavWarning, Window
from layers.read.navwarn.reader import read_items, read_warning, read_warnings

__all__ = [
    "AREA_FORM_WORDS",
    "CIRCLE_VERTICES",
    "NM_KM",
    "Area",
    "NavWarning",
    "Window",
    "guess_warning_columns",
    "import_warnings",
    "read_items",
    "read_warning",
    "read_warnings",
    "split_warnings",
    "table_items",
    "warning_feature",
    "warning_id",
    "warning_name",
    "warning_rows",
]
