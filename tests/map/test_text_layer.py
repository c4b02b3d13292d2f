"""GeoJSON text layers: hover text and labels travel as JSON text and show as text."""

import json

import folium
import pytest
from conftest import area, collection, event, small_dataset, write_geodata

from layers.map.data import (
    prepare_areas,
    prepare_features,
)
from layers.map.text_layer import GeoJsonText
from layers.read.load import load_geodata

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def features_of(text):
    return json.loads(text)["features"]


def test_hover_text_and_labels_travel_as_json_text_and_are_shown_as_text(tmp_path):
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(event("x", title=HOSTILE, forces=[HOSTILE]))},
        {"a.geojson": collection(area(name=HOSTILE, alt_names=["東シナ海"]))},
    )
    geodata = load_geodata(root)
    feature_text = prepare_features(geodata.events).iloc[0]
    area_text = prepare_areas(geodata.areas).iloc[0]
    for text in (feature_text, area_text):
        assert "<" not in text and ">" not in text  # cannot end a <script> early
    assert json.loads(feature_text)["properties"]["t"] == HOSTILE
    assert json.loads(area_text)["properties"]["t"] == HOSTILE
    assert json.loads(area_text)["properties"]["w"] == "東シナ海"
    layer = GeoJsonText('{"type":"FeatureCollection","features":[]}')
    layer.add_to(folium.FeatureGroup())
    script = layer._template.module.script(layer, {})
    assert "textContent" in script and "innerHTML" not in script
