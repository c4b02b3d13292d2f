"""The shared store keeps an area's own names (`names`, migration 0011, issue 27): the page
reads them in its language from the store as from the files, and export writes them so an
import keeps them."""

from __future__ import annotations

import json

import pytest
from conftest import area, collection, event, write_geodata

from dashboard_ui.data import area_names
from layers.i18n import language
from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore

NAMES = {"ja": "房総半島南端沖", "zh-TW": "房總半島南端外海", "zh-CN": "房总半岛南端外海"}


@pytest.fixture
def store(events_db):
    with PostgisStore(events_db, max_connections=2) as opened:
        yield opened


def test_the_store_keeps_an_areas_own_names_and_exports_them(store, tmp_path):
    root = write_geodata(
        tmp_path / "data",
        {"e.geojson": collection(event("e1"))},
        {"a.geojson": collection(area("boso", names=NAMES), area("plain"))},
    )
    store.import_geodata(load_geodata(root), actor="importer")
    areas = store.areas().set_index("id")
    assert areas.loc["boso", "names"] == NAMES
    assert areas.loc["plain", "names"] is None
    names = area_names(store.areas())
    with language("ja"):
        assert names["boso"] == "房総半島南端沖"
        assert names["plain"] == areas.loc["plain", "name"]
    with language("zh-CN"):
        assert names["boso"] == "房总半岛南端外海"
    # A file that changes only the names changes the stored area.
    changed = store.areas().copy()
    changed["names"] = [{"ja": "房総沖"}, None]
    assert store.write_areas(changed) == (1, 1)
    assert store.areas().set_index("id").loc["boso", "names"] == {"ja": "房総沖"}
    # Export writes them; the loader reads them back.
    store.export(tmp_path / "out")
    (written,) = (tmp_path / "out" / "areas").glob("*.geojson")
    features = {
        feature["properties"]["id"]: feature["properties"]
        for feature in json.loads(written.read_text(encoding="utf-8"))["features"]
    }
    assert features["boso"]["names"] == {"ja": "房総沖"}
    assert "names" not in features["plain"]
    again = load_geodata(tmp_path / "out")
    assert again.areas.set_index("id").loc["boso", "names"] == {"ja": "房総沖"}
