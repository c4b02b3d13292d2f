"""Heat tables of the analyses (altair, text only): who works with whom, activity by area.

Clicking a cell is an altair point selection that Streamlit reports (as the timeline's brush):
`picked_pair` reads the nations of a clicked matrix cell, `picked_area` the area of a clicked
row of the area table.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

PAIR = "pair"
AREA = "area_row"
_CELL = 24  # px per cell: a 30-nation matrix is 720 px square


def matrix_frame(matrix: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The matrix in long form: one row per cell (row, col, events), empty cells left out."""
    names = names or {}
    cells = matrix.stack().rename("events").reset_index()
    cells.columns = ["row", "col", "events"]
    cells = cells[cells["events"] > 0]
    return cells.assign(
        row_name=cells["row"].map(lambda code: names.get(code, code)),
        col_name=cells["col"].map(lambda code: names.get(code, code)),
    )


def nation_matrix_chart(matrix: pd.DataFrame, names: dict[str, str] | None = None) -> alt.Chart:
    """Events per pair of nations as a heat table with the counts written in; the diagonal is
    each nation's events. Nations in the matrix's (coalition) order; a click selects a cell
    (selection PAIR, fields row and col)."""
    order = list(matrix.index)
    cells = matrix_frame(matrix, names)
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
            tooltip=[
                alt.Tooltip("row_name:N", title="nation"),
                alt.Tooltip("col_name:N", title="with"),
                alt.Tooltip("events:Q"),
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
