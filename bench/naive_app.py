"""The naive baseline for restarts: the streamlit-folium app anyone would write first.

geopandas reads every events file (no validation, no problems reported) and folium's
FastMarkerCluster, the plugin streamlit-folium users reach for when there are many points,
puts a marker for every event (a point on it) into clusters drawn in the browser. No filters,
no timeline, no table, no named areas. Its one concession is the dashboard's too: Leaflet,
jQuery and Leaflet.markercluster are served by the app (static/vendor/), so it runs with no
network. bench/restart.py runs it with GEODATA_DIR set, from a folder whose static/ is the
repository's.
"""

import os
import shutil
import sys
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
import xstatic.pkg.leaflet_markercluster as xstatic_markercluster
from folium.plugins import FastMarkerCluster
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from layers.assets import (  # noqa: E402
    MAP_JS,
    STATIC_URL,
    VENDOR_DIR,
    install_vendor_assets,
    leaflet_css,
)

CLUSTER_FILES = ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")
CLUSTER_URL = f"{STATIC_URL}/vendor/markercluster"


@st.cache_resource
def install_assets() -> None:
    install_vendor_assets()
    target = VENDOR_DIR / "markercluster"
    target.mkdir(parents=True, exist_ok=True)
    for name in CLUSTER_FILES:
        shutil.copy2(Path(xstatic_markercluster.BASE_DIR) / name, target / name)


@st.cache_data
def load_events(root: str) -> gpd.GeoDataFrame:
    paths = sorted((Path(root) / "events").glob("*.geojson"))
    return pd.concat([gpd.read_file(path) for path in paths], ignore_index=True)


install_assets()
events = load_events(os.environ["GEODATA_DIR"])
points = events.geometry.representative_point()
fmap = folium.Map(location=[25, 125], zoom_start=4, tiles=None)
fmap.options.update(min_zoom=2, max_zoom=12)  # with no tiles, clustering needs a zoom range
fmap.default_js = MAP_JS
fmap.default_css = []
fmap.get_root().header.add_child(folium.Element(f"<style>{leaflet_css()}</style>"))
clusters = FastMarkerCluster(
    list(zip(points.y, points.x)),
    callback="function (row) { return L.marker([row[0], row[1]]); }",
)
clusters.default_js = [("markerclusterjs", f"{CLUSTER_URL}/leaflet.markercluster.js")]
clusters.default_css = [
    ("markerclustercss", f"{CLUSTER_URL}/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{CLUSTER_URL}/MarkerCluster.Default.css"),
]
clusters.add_to(fmap)
st.write(f"{len(events):,} events")
st_folium(fmap, height=620, use_container_width=True, returned_objects=[])
