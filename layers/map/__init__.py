"""The folium map: an offline basemap that never changes, and the layers a view puts on it.

The base map is deterministic (its HTML depends only on the starting position), so
streamlit-folium keeps it mounted; everything that follows the filters is a FeatureGroup passed
as `feature_group_to_add`. Event layers are one L.geoJSON each, drawn on a canvas, built from
feature JSON that `data.prepare_features` serialises once per data version.

One module per map element, as folium's `plugins/`, each with its JavaScript beside it:
`basemap` (OfflineBasemap, base_map), `report` (PromptReport), `text_layer` (GeoJsonText),
`legend`, `player` (MonthPlayer), `clusters` (ClusterView, MonthCells), `density`
(DensityOverlay), `labels` (LabelLayout, TooltipInsideMap), `layer_list`
(LayerListOnce); `elements` holds the script building blocks, `style` the colours, `data` what
is prepared once per data version, and `view` decides what a view shows.

Everything from the data is text: tooltips and labels are HTML-escaped, in Python or as DOM
text nodes.
"""
