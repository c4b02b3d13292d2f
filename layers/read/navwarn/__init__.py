"""Navigational warnings (航行警告, NAVAREA, 航行警報) read into exercise areas.

A warning announces where and when a drill or firing will happen. `read_warnings(text)` splits
text into warnings (one per paragraph) and reads from each: its number as written and the year
it carries (`闽航警0123/24` → 2024), the issuing body where the text names it (an MSA station
→ CHN, 航行警報 or Japan Coast Guard → JPN, 航船布告 → TWN), the activity, the periods, and the
areas: polygons ("lines joining", "bounded by", 诸点连线, 四点连线, 順次に結んだ線), lettered
areas and corners, circles with any written radius (WITHIN SEVEN MILES OF; 以…为中心，N海里为半径;
NM, KM, metres, cables, 海里, 公里, 浬), sectors (a vertex, two bearings and a radius; a boundary
closed by an arc), lines (TRACKLINE JOINING, 沿…连线) and point lists that are not areas
(layers.read.navwarn.areas). A cancellation (取消…, CANCEL …) marks the warning it cancels.

Nothing is invented: a warning with no coordinates ("具体海域另行通知", "TO BE ANNOUNCED"), a
circle without its radius, an arc whose end points are off its radius, or corners whose order
crosses itself is reported and gives no area; a year that is neither in the text nor in the
number comes from the publication date given with it, never from today; a warning that does
not say who issued it has no nation until the analyst gives one.
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
