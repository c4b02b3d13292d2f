"""The dashboard reads its data through the files store: a restart finds the checked files in
the cache beside the data and shows the same page, problems included."""

import json

import streamlit as st
from conftest import REPO, collection, event, small_dataset
from streamlit.testing.v1 import AppTest

import layers.store.files as files_module

APP = str(REPO / "dashboard.py")


def open_dashboard():
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run().run()  # the second run stands in for the map's first report


def what_the_page_says(at) -> tuple:
    problems = next(frame.value for frame in at.dataframe if "problem" in frame.value.columns)
    events = next(frame.value for frame in at.dataframe if "title" in frame.value.columns)
    stamp = next(caption.value for caption in at.caption if caption.value.startswith("Data v"))
    return problems.to_dict("list"), list(events["id"]), list(events["zones"]), stamp


def test_a_restart_shows_the_same_page_from_the_cache(tmp_path, monkeypatch):
    root = small_dataset(tmp_path / "geodata")
    broken = collection(event("late", start="2024-13-01"), event("fine", start="2024-08-02"))
    (root / "events" / "b.geojson").write_text(json.dumps(broken))
    monkeypatch.setenv("GEODATA_DIR", str(root))
    monkeypatch.delenv("GEODATA_CACHE_DIR", raising=False)
    first = open_dashboard()
    assert not first.exception
    assert sorted(path.suffix for path in (root / ".cache").iterdir()) == [".arrow"] * 5

    checked = []
    real = files_module.check_file
    monkeypatch.setattr(
        files_module, "check_file", lambda *args: checked.append(args[1]) or real(*args)
    )
    st.cache_resource.clear()  # a restart: the process's caches are gone, the disk's stay
    restart = open_dashboard()
    assert checked == []
    assert what_the_page_says(restart) == what_the_page_says(first)
    assert "2024-13-01" in str(what_the_page_says(restart)[0])
