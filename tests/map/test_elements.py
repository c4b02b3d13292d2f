"""Script elements: data can never be read as template code; groups render alone."""

import json

import folium
import pytest
from conftest import collection, event, small_dataset, write_geodata

from layers.map.basemap import base_map
from layers.map.clusters import MonthCells
from layers.map.data import (
    prepare_features,
)
from layers.map.elements import MapLayer, collection_text
from layers.map.text_layer import GeoJsonText
from layers.read.load import load_geodata
from layers.view import View

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def features_of(text):
    return json.loads(text)["features"]


def test_template_syntax_in_data_cannot_break_the_map(tmp_path):
    root = write_geodata(
        tmp_path, {"e.geojson": collection(event("x", title="{% if %}{{ 7*7 }}{#"))}
    )
    text = prepare_features(load_geodata(root).events).iloc[0]
    assert "{%" not in text and "{{" not in text and "{#" not in text
    assert json.loads(text)["properties"]["t"] == "{% if %}{{ 7*7 }}{#"
    fmap = base_map(View())
    group = folium.FeatureGroup().add_to(fmap)
    GeoJsonText(collection_text([text])).add_to(group)
    assert "7*7" in fmap.get_root().render()


def test_map_layers_render_on_their_own_as_folium_groups_do():
    # streamlit-folium discards a group's render, but a folium page of these layers still works.
    fmap = base_map(View())
    group = MapLayer(name="2024-07").add_to(fmap)
    MonthCells("2024-07", [[0, 1, 2, 0, 0, 0, 0, 0]]).add_to(group)
    html = fmap.get_root().render()
    group_name, map_name = group.get_name(), fmap.get_name()
    assert f"var {group_name} = L.featureGroup(" in html
    assert f'{group_name}.month = "2024-07";' in html
    assert html.index(f"{group_name}.cells") < html.index(f"{group_name}.addTo({map_name});")
