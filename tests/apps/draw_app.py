"""The base map with its drawing tool through st_folium, for tests/test_browser_draw.py.

Shapes given from code (DrawnShapes) come from the `shapes` query parameter (JSON: a list of
GeoJSON Features) or, read afresh on every run, the JSON file named by DRAW_SHAPES_FILE. The
map's view is DRAW_VIEW ("lat,lon,zoom"). The page writes the run number and st_folium's
returned `all_drawings` as JSON for the test to read; "Rerun" reruns the script.
"""

import json
import os
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

from layers.assets import install_vendor_assets
from layers.map.basemap import base_map
from layers.map.draw import DrawnShapes
from layers.view import View

# As the dashboard does on start: Leaflet itself is copied from its PyPI package.
install_vendor_assets()
lat, lon, zoom = (float(part) for part in os.environ.get("DRAW_VIEW", "30,135,5").split(","))
if "shapes" in st.query_params:
    features = json.loads(st.query_params["shapes"])
elif os.environ.get("DRAW_SHAPES_FILE"):
    features = json.loads(Path(os.environ["DRAW_SHAPES_FILE"]).read_text())
else:
    features = []
shapes = DrawnShapes(features)
for line in shapes.skipped:
    st.warning(line)
group = folium.FeatureGroup(name="Drawn shapes")
group.add_child(shapes)

st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.button("Rerun")
returned = st_folium(
    base_map(View(lat=lat, lon=lon, zoom=int(zoom)), draw=True),
    key="map",
    height=560,
    width="stretch",
    returned_objects=["all_drawings"],
    feature_group_to_add=group,
)
st.text(f"run {st.session_state['runs']}")
st.code(json.dumps(returned.get("all_drawings") if returned else None), language="json")
