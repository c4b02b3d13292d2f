"""Heat tables of the analyses (altair, text only): who works with whom, activity by area.

Clicking a cell is an altair point selection that Streamlit reports (as the timeline's brush):
`picked_pair` reads the nations of a clicked matrix cell, `picked_area` the area of a clicked
row of the area table. Each cell carries a description ("Japan with Taiwan: 3 events"), which
Vega writes as the cell's ARIA label: screen readers read it, and tests find a cell by it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
from babel.dates import get_month_names

from layers.i18n import _, cldr_locale, is_english, month_text
from layers.measure import EVENTS, amount, count_words

PAIR = "pair"
AREA = "area_row"
_CELL = 24  # px per cell: a 30-nation matrix is 720 px square


def matrix_frame(
    matrix: pd.DataFrame, names: dict[str, str] | None = None, measure: str = EVENTS
) -> pd.DataFrame:
    """The matrix in long form: one row per cell (row, col, events), empty cells left out,
    with the nations' names and the cell's description ("Japan with Taiwan: 3 events", on the
    diagonal "Japan: 5 events"; with a count as the `measure`, "China: 1,024 aircraft")."""
    names = names or {}
    cells = matrix.stack().rename("events").reset_index()
    cells.columns = ["row", "col", "events"]
    cells = cells[cells["events"] > 0]
    cells = cells.assign(
        row_name=cells["row"].map(lambda code: names.get(code, code)),
        col_name=cells["col"].map(lambda code: names.get(code, code)),
    )
    return cells.assign(
        description=[
            _("{nation}: {amount}").format(nation=row_name, amount=amount(events, measure))
            if row == col
            else _("{nation} with {partner}: {amount}").format(
                nation=row_name, partner=col_name, amount=amount(events, measure)
            )
            for row, col, row_name, col_name, events in zip(
                cells["row"], cells["col"], cells["row_name"], cells["col_name"], cells["events"]
            )
        ]
    )


def nation_matrix_chart(
    matrix: pd.DataFrame, names: dict[str, str] | None = None, measure: str = EVENTS
) -> alt.Chart:
    """Events per pair of nations as a heat table with the counts written in; the diagonal is
    each nation's events (or, with a count as the `measure`, the count they add up to).
    Nations in the matrix's (coalition) order; a click selects a cell (selection PAIR, fields
    row and col)."""
    order = list(matrix.index)
    cells = matrix_frame(matrix, names, measure)
    pick = alt.selection_point(name=PAIR, fields=["row", "col"], on="click", clear="dblclick")
    base = alt.Chart(cells).encode(
        x=alt.X(
            "col:O",
            sort=order,
            scale=alt.Scale(domain=order, type="band", paddingInner=0),
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, labelAlign="center", labelOverlap=False),
        ),
        y=alt.Y(
            "row:O",
            sort=order,
            scale=alt.Scale(domain=order, type="band", paddingInner=0),
            title=None,
            axis=alt.Axis(labelOverlap=False),
        ),
    )
    heat = (
        base.mark_rect(stroke="white")
        .encode(
            color=alt.Color("events:Q", scale=alt.Scale(scheme="blues"), legend=None),
            description=alt.Description("description:N"),
            tooltip=[
                alt.Tooltip("row_name:N", title=_("nation")),
                alt.Tooltip("col_name:N", title=_("with")),
                alt.Tooltip("events:Q", title=count_words(measure), format=",.0f"),
            ],
        )
        .add_params(pick)
    )
    text = base.mark_text(fontSize=11).encode(
        text="events:Q",
        color=alt.condition(
            "datum.events > 0.6 * " + str(max(int(cells["events"].max()), 1) if len(cells) else 1),
            alt.value("white"),
            alt.value("black"),
        ),
    )
    return (heat + text).properties(width=alt.Step(_CELL), height=alt.Step(_CELL))


def picked_pair(selection: dict | None) -> tuple[str, ...] | None:
    """The nations of the clicked matrix cell (one nation for the diagonal), or None."""
    points = (selection or {}).get(PAIR)
    if isinstance(points, dict):
        points = [points]
    if not points:
        return None
    point = points[0]
    row, col = point.get("row"), point.get("col")
    if isinstance(row, list):
        row = row[0] if row else None
    if isinstance(col, list):
        col = col[0] if col else None
    if not row or not col:
        return None
    return (str(row),) if row == col else (str(row), str(col))


def area_month_frame(
    table: pd.DataFrame,
    names: dict[str, str] | None,
    chosen: tuple[str, str] | None,
    measure: str = EVENTS,
) -> pd.DataFrame:
    """area_month_counts in long form: one row per (area, month) with its name, whether the
    month is in the chosen range, and the cell's description ("Taiwan Strait, 2024-07: 3
    events")."""
    names = names or {}
    cells = table.stack().rename("events").reset_index()
    cells.columns = ["area", "month", "events"]
    first, last = chosen or (None, None)
    cells = cells.assign(
        area_name=cells["area"].map(lambda area: names.get(area, area)),
        chosen=cells["month"].between(first, last) if first else True,
    )
    english = is_english()
    return cells.assign(
        description=[
            _("{area}, {month}: {amount}").format(
                area=name,
                month=month if english else month_text(month),
                amount=amount(events, measure),
            )
            for name, month, events in zip(cells["area_name"], cells["month"], cells["events"])
        ]
    )


# The month axis of the area table, as Vega expressions of the month ("YYYY-MM", datum.value)
# and the width of a month's column (bandwidth('x'), px): the table takes the width of its
# column whatever the number of months, and each month is named as far as its column allows.
# Each month's label is two lines: the year over January (and over the first month when there
# is room), and the month under it: "Jul" where the column is wide, "J" where it is narrow,
# nothing where even a letter would not fit (the years alone). Every month is a column in
# view; its tooltip gives it in full.
_MONTH_ABBREVIATIONS = str(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun"] + ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
)
_MONTH_LETTERS = str(list("JFMAMJJASOND"))
_MONTH_NUMBER = "toNumber(slice(datum.value, 5, 7))"
# The year over January, and over the first month when it leaves room before the next
# January's ("2017" over a narrow December would print over "2018").
_FIRST = (
    f"(slice(datum.value, 5, 7) === '01' || datum.index === 0 && "
    f"(bandwidth('x') >= 26 || {_MONTH_NUMBER} <= 9))"
)
_YEAR = "slice(datum.value, 0, 4)"
_MONTH_LABEL = (
    f"[{_FIRST} ? {_YEAR} : '', bandwidth('x') >= 26 ? "
    f"{_MONTH_ABBREVIATIONS}[{_MONTH_NUMBER} - 1] : bandwidth('x') >= 8 ? "
    f"{_MONTH_LETTERS}[{_MONTH_NUMBER} - 1] : '']"
)


def month_label_expression() -> str:
    """_MONTH_LABEL in the reader's language: the months' abbreviated and narrow names from
    CLDR ("7月" and "7" in Chinese and Japanese, the number from 12 px, as two digits need); English
    as _MONTH_LABEL."""
    if is_english():
        return _MONTH_LABEL
    locale = cldr_locale()
    abbreviated = get_month_names("abbreviated", locale=locale)
    narrow = get_month_names("narrow", locale=locale)
    return (
        f"[{_FIRST} ? {_YEAR} : '', bandwidth('x') >= 26 ? "
        f"{str([abbreviated[number] for number in range(1, 13)])}[{_MONTH_NUMBER} - 1] : "
        f"bandwidth('x') >= 12 ? "
        f"{str([narrow[number] for number in range(1, 13)])}[{_MONTH_NUMBER} - 1] : '']"
    )


# Counts are written in a cell only when it is wide enough for three digits.
_COUNT_ROOM = 22


def area_month_chart(
    table: pd.DataFrame,
    names: dict[str, str] | None,
    chosen: tuple[str, str] | None,
    measure: str = EVENTS,
) -> alt.Chart:
    """Events per named area per month as a heat table as wide as its container (Vega's
    "container" width: Streamlit's width="stretch"), counts written in when the cells have
    room, months outside `chosen` faded; a click on a row selects its area (selection AREA).

    The month axis names each month as far as its column allows (_MONTH_LABEL), so that no
    month is cut off at any width: at 1366 px the 81 months of the repository's data were a
    1,225 px table cut at 2023-06 (issue 24)."""
    cells = area_month_frame(table, names, chosen, measure)
    months = list(table.columns)
    order = [(names or {}).get(area, area) for area in table.index]
    pick = alt.selection_point(name=AREA, fields=["area"], on="click", clear="dblclick")
    base = alt.Chart(cells).encode(
        x=alt.X(
            "month:O",
            sort=months,
            scale=alt.Scale(domain=months, type="band", paddingInner=0),
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelAlign="center",
                labelExpr=month_label_expression(),
                labelOverlap=False,
                labelFontSize=10,
                labelLineHeight=12,
                labelBaseline="bottom",
                ticks=False,
                # Vega sets a label's first line on the baseline and the next one below it:
                # raised by a line, the month line ends 4 px over the table, not in its top row.
                labelPadding=4 + 12,
            ),
        ),
        y=alt.Y(
            "area_name:N",
            sort=order,
            scale=alt.Scale(domain=order, type="band", paddingInner=0),
            title=None,
            axis=alt.Axis(labelLimit=260),
        ),
    )
    heat = (
        base.mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.Color("events:Q", scale=alt.Scale(scheme="oranges"), legend=None),
            opacity=alt.condition("datum.chosen", alt.value(1.0), alt.value(0.3)),
            description=alt.Description("description:N"),
            tooltip=[
                alt.Tooltip("area_name:N", title=_("area")),
                alt.Tooltip("month:O", title=_("month")),
                alt.Tooltip("events:Q", title=count_words(measure), format=",.0f"),
            ],
        )
        .add_params(pick)
    )
    most = max(int(cells["events"].max()), 1) if len(cells) else 1
    text = (
        base.transform_filter("datum.events > 0")
        .mark_text(fontSize=11)
        .encode(
            text=alt.condition(
                f"bandwidth('x') >= {_COUNT_ROOM}", alt.Text("events:Q"), alt.value("")
            ),
            color=alt.condition(
                f"datum.events > {0.6 * most}", alt.value("white"), alt.value("black")
            ),
        )
    )
    return (heat + text).properties(width="container", height=alt.Step(22))


def picked_area(selection: dict | None) -> str | None:
    """The area of the clicked row of the area table, or None."""
    points = (selection or {}).get(AREA)
    if isinstance(points, dict):
        points = [points]
    if not points:
        return None
    area = points[0].get("area")
    if isinstance(area, list):
        area = area[0] if area else None
    return str(area) if area else None
