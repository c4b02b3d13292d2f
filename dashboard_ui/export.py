"""What leaves the page: the shown events as GeoJSON and CSV, and the view as a PNG or PDF for a
briefing; each file made only when clicked."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from layers.export.tables import events_csv, events_geojson
from layers.i18n import _, current_language, language
from layers.view import View


def show_export(view: View, shown: pd.Index, data: dict, chosen_months: list[str]) -> None:
    """'Export view': this view as a PNG and a PDF for a briefing, drawn when clicked."""
    # As the downloads: the buttons only when asked for, the files made on click (Streamlit
    # runs the callable in a thread of its own), and matplotlib loaded only for an export.
    if not st.toggle(_("Export view (PNG, PDF)"), key="export"):
        return
    from layers.export.picture import ViewPicture, picture_pdf, picture_png

    geodata = data["geodata"]
    areas = geodata.areas
    bounds = st.session_state.get("map_bounds")
    uncertainty = st.session_state["uncertainty"]

    def picture() -> ViewPicture:
        return ViewPicture(
            view=view,
            events=geodata.events.loc[shown],
            areas=areas[areas["id"].isin(view.layers or ())],
            months=chosen_months,
            data_version=geodata.version,
            area_names=data["area_names"],
            bounds=bounds,
            uncertainty=uncertainty,
        )

    formats = [
        ("PNG", picture_png, "png", "image/png"),
        ("PDF", picture_pdf, "pdf", "application/pdf"),
    ]
    # The files are drawn in a thread of Streamlit's own, where the page's language is not
    # set: each is drawn in the language of the page that asked for it.
    tag = current_language()

    def made(make):
        with language(tag):
            return make(picture())

    for column, (label, make, suffix, mime) in zip(st.columns(len(formats)), formats):
        column.download_button(
            _("{format} of this view").format(format=label),
            lambda make=make: made(make),
            file_name=f"maritime-view-{dt.date.today():%Y-%m-%d}.{suffix}",
            mime=mime,
            on_click="ignore",
        )


def show_downloads(filtered) -> None:
    # Registering a download costs Streamlit about a second per button while the map's data is
    # in flight, so the buttons appear only when asked for; the files are made on click.
    if not st.toggle(_("Download the shown events"), key="downloads"):
        return
    formats = [
        ("GeoJSON", events_geojson, "events.geojson", "application/geo+json"),
        ("CSV", events_csv, "events.csv", "text/csv"),
    ]
    for column, (label, make, file_name, mime) in zip(st.columns(len(formats)), formats):
        column.download_button(
            _("{format} ({count} events)").format(format=label, count=len(filtered)),
            lambda make=make: make(filtered),
            file_name=file_name,
            mime=mime,
            on_click="ignore",
        )
