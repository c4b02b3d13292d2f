"""A page with one button that saves a drawn box through dashboard_ui.access.save_drawn_area
(the integrator places the real one), for tests/store/test_drawn_area_access.py and
tests/test_browser_drawn_area.py: the role checked at the click, the store's answer shown."""

import os

import geopandas as gpd
import shapely
import streamlit as st

from dashboard_ui.access import DRAWN_AREA_FLASH, current_access, save_drawn_area, sign_in_box
from layers.history import notice_html
from layers.store.postgis import PostgisStore


@st.cache_resource
def store() -> PostgisStore:
    return PostgisStore(os.environ["EVENTS_DB"], max_connections=2)


sign_in_box(current_access())
drawn = gpd.GeoDataFrame(
    {
        "id": ["yonaguni-box"],
        "name": ["Box off Yonaguni"],
        "alt_names": [[]],
        "kind": ["island_waters"],
        "note": [""],
        "default_visible": [True],
        "file": ["drawn"],
    },
    geometry=[shapely.box(122.8, 24.3, 123.2, 24.6)],
    crs="EPSG:4326",
)
# Shown to everyone on this test page: the role is checked when it is clicked.
st.button("Save drawn area for the team", on_click=save_drawn_area, args=(store(), drawn))
flash = st.session_state.pop(DRAWN_AREA_FLASH, None)
if flash:
    st.html(notice_html(*flash))
st.caption("Drawn area page ready")
