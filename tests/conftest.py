"""Small data sets built in code, shared by the tests."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def event(event_id="jcg-cga-boso", **changes) -> dict:
    """A valid event feature; keyword arguments replace properties (None removes one)."""
    properties = {
        "id": event_id,
        "title": "JCG and Taiwan CGA joint exercise",
        "summary": "First joint exercise since 1972.",
        "kind": "exercise",
        "start": "2024-07-18",
        "nations": ["JPN", "TWN"],
        "forces": ["Sagami", "Guardian 9"],
        "area": None,
        "location_precision_km": 40,
        "sources": [{"title": "Seed report", "published": "2024-07"}],
    }
    geometry = changes.pop("geometry", {"type": "Point", "coordinates": [139.8, 34.8]})
    properties.update(changes)
    properties = {key: value for key, value in properties.items() if value is not None}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def area(area_id="boso-south-waters", **changes) -> dict:
    properties = {
        "id": area_id,
        "name": "Southern Boso Peninsula waters",
        "alt_names": ["房総半島南方海域"],
        "kind": "coastal_waters",
        "note": "Schematic box.",
        "default_visible": True,
    }
    geometry = changes.pop(
        "geometry",
        {
            "type": "Polygon",
            "coordinates": [
                [
                    [139.6, 34.6],
                    [140.2, 34.6],
                    [140.2, 35.0],
                    [139.6, 35.0],
                    [139.6, 34.6],
                ]
            ],
        },
    )
    properties.update(changes)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def write_geodata(
    root: Path, events: dict[str, object], areas: dict[str, object] | None = None
) -> Path:
    """Write files under root/events and root/areas; a value that is bytes/str is written as is."""
    for sub, files in (("events", events), ("areas", areas or {})):
        folder = root / sub
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            elif isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return root


def small_dataset(root: Path) -> Path:
    """Three events in three months, two nations' worth of filters, one area."""
    return write_geodata(
        root,
        {
            "a.geojson": collection(
                event("boso", area="boso-south-waters"),
                event(
                    "ccg-senkaku",
                    title="China Coast Guard in Senkaku waters",
                    kind="incident",
                    start="2024-05",
                    nations=["CHN"],
                    forces=[],
                    geometry={"type": "Point", "coordinates": [123.5, 25.75]},
                ),
                event(
                    "strait-transit",
                    title="Canadian frigate transits the Taiwan Strait",
                    kind="transit",
                    start="2024-06-10",
                    end="2024-06-11",
                    nations=["CAN", "USA"],
                    sides=[["CAN", "USA"]],  # sailed together: a transit is not by nature
                    location_precision_km=None,
                    geometry={
                        "type": "LineString",
                        "coordinates": [[121.0, 26.0], [118.5, 23.0]],
                    },
                ),
            )
        },
        {"areas.geojson": collection(area())},
    )


def compare_dataset(root: Path, bay_name: str = "Small bay") -> Path:
    """Two periods to compare: a sea holding a bay, and a strait. In May two events in the sea
    (one of them in the bay) and one in no area; in July three in the sea (two of them in the
    bay), one in no area and one possibly in the strait (40 km from it, known to 100 km)."""

    def box(west, south, east, north):
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "Polygon", "coordinates": [ring]}

    def at(lon, lat):
        return {"type": "Point", "coordinates": [lon, lat]}

    exact = {"location_precision_km": None}
    return write_geodata(
        root,
        {
            "e.geojson": collection(
                event("a-bay", start="2024-05-03", geometry=at(124.5, 25.5), **exact),
                event("a-sea", start="2024-05-04", geometry=at(121.0, 21.0), **exact),
                event("a-none", start="2024-05-05", geometry=at(150.0, 40.0), **exact),
                event("b-bay", start="2024-07-01", geometry=at(124.5, 25.5), **exact),
                event("b-bay-2", start="2024-07-02", geometry=at(124.6, 25.4), **exact),
                event("b-sea", start="2024-07-03", geometry=at(126.0, 27.0), **exact),
                event("b-none", start="2024-07-04", geometry=at(150.2, 40.1), **exact),
                event("b-maybe", start="2024-07-05", geometry=at(135.6, 35.0)),
            )
        },
        {
            "a.geojson": collection(
                area("big-sea", name="Big sea", kind="sea", geometry=box(120, 20, 130, 30)),
                area("small-bay", name=bay_name, kind="bay", geometry=box(124, 25, 125, 26)),
                area("strait", name="A strait", kind="strait", geometry=box(136, 34, 137, 36)),
            )
        },
    )


@pytest.fixture
def small_data(tmp_path) -> Path:
    return small_dataset(tmp_path / "geodata")


# Hypothesis: one seed per run, printed in pytest's header so a failure can be replayed with
# HYPOTHESIS_SEED=<seed> make test. The number of examples is fixed (tests/read/test_properties.py).
HYPOTHESIS_SEED = int(os.environ.get("HYPOTHESIS_SEED") or random.SystemRandom().randrange(2**32))


def pytest_report_header(config):
    return f"hypothesis seed: {HYPOTHESIS_SEED} (replay with HYPOTHESIS_SEED={HYPOTHESIS_SEED})"


# The shared PostGIS store (tests/store/): one throwaway cluster per test run, started only
# when a test asks for it, and a fresh database with the schema for each test.
def _cluster_with_template():
    """(URL of a new cluster's postgres database, name of a template database with the
    schema), for the cluster's life. Without the Debian packages the tests are skipped, except
    under CI=true, where they fail: CI installs the packages, so their absence there is a
    broken setup."""
    from postgres import PostgresMissing, template_database, throwaway_cluster

    try:
        cluster = throwaway_cluster()
        url = cluster.__enter__()
    except PostgresMissing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {missing}", pytrace=False)
        pytest.skip(str(missing))
    try:
        yield url, template_database(url)
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture(scope="session")
def postgres_cluster():
    """The run's shared cluster: (URL of its postgres database, template database name)."""
    yield from _cluster_with_template()


@pytest.fixture(scope="module")
def own_cluster():
    """A cluster of the module's own, for tests that stop and start it (the store's faults)
    without cutting off the other modules' databases: as postgres_cluster."""
    yield from _cluster_with_template()


@pytest.fixture
def events_db(postgres_cluster) -> str:
    """The URL of a new database holding the store's schema and nothing else."""
    from postgres import fresh_database

    url, template = postgres_cluster
    with fresh_database(url, template) as database:
        yield database


def unstorable_texts(frame) -> list[str]:
    """Every text in `frame`'s cells (lists, tuples and dicts walked, keys too) that PostgreSQL
    cannot store: one holding a NUL (U+0000) or a lone surrogate. What the door lets in must
    leave this empty."""
    found, stack = [], [value for column in frame.columns for value in frame[column]]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):
                found.append(value)
        elif isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, (list, tuple)):
            stack += list(value)
    return found


# The browser tests' shared fixtures (tests/browser.py has the helpers they use): each test
# module gets its own Chromium and, where it asks for `server`, its own dashboard on the
# repository's geodata/. A module that needs another server or browser defines its own.
@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, through Playwright), for one test module."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from browser import launch_chromium

    with playwright_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server():
    """The dashboard (`streamlit run`) on the repository's geodata/, for one test module: its
    URL."""
    from browser import streamlit_server

    with streamlit_server(REPO / "geodata") as running:
        yield running.url
