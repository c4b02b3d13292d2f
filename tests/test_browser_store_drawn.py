"""Drawing on the shared store's page, as a team does it: the real dashboard (`streamlit run
dashboard.py`) on a throwaway PostGIS store holding the small dataset (ccg-senkaku,
strait-transit, boso), analysts signed in through a real OpenID Connect provider
(oidc-provider-mock, as tests/test_browser_team.py), in headless Chromium at 1366x768 with the
mouse on the map (as tests/test_browser_drawn.py). An editor draws a polygon round Boso and Izu
Ōshima, sees it measured, saves it for the team: it leaves the drawn shapes, becomes a stored
area that the Zones filter offers and that filters the map, and a colleague's fresh browser
has it. A viewer's save stores nothing. A link's drawn zones are said not to filter the store;
a buffer added there is measured and filters nothing.
Nothing leaves 127.0.0.1.

Screenshots go to /work/shots/i26/storepage-*.png when that folder's parent exists."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import (
    DRAWN_EVENT_IDS,
    MAP_FRAME,
    click_on_map,
    free_port,
    streamlit_server,
)
from conftest import small_dataset
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_browser_team import (  # noqa: F401 - the fixtures are used by name
    WAIT,
    auth_secrets,
    new_page,
    open_page,
    provider,
    settled,
    sign_in,
)

from layers.read.load import load_geodata
from layers.shapes import Shape, shapes_param
from layers.store.postgis import PostgisStore

pytest.importorskip("playwright.sync_api")
pytest.importorskip("oidc_provider_mock")
pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/i26")
# Round the Boso peninsula and Izu Ōshima (tests/test_browser_drawn.py): the Boso event, known
# to within 40 km at 34.8°N 139.8°E, is in it; Senkaku and the Taiwan Strait are far outside.
BOSO_IZU = [(35.7, 138.8), (35.7, 141.0), (33.8, 141.0), (33.6, 139.6), (33.9, 138.8)]
VIEW = "?lat=34.7&lon=139.9&zoom=7"
SAVE = "Save for the team"
SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture(scope="module")
def store_db(postgres_cluster):
    from postgres import fresh_database

    url, template = postgres_cluster
    with fresh_database(url, template) as database:
        yield database


@pytest.fixture(scope="module")
def server(provider, store_db, tmp_path_factory):  # noqa: F811
    """The real dashboard on the store, sign-in through the provider."""
    root = tmp_path_factory.mktemp("storedrawn")
    with PostgisStore(store_db) as store:
        store.import_geodata(load_geodata(small_dataset(root / "geodata")))
    port = free_port()
    secrets_file = root / "secrets.toml"
    secrets_file.write_text(
        auth_secrets(port, provider) + '[roles]\nclaim = "roles"\ndefault = "viewer"\n'
    )
    with streamlit_server(
        root / "not-used",
        port=port,
        options={"secrets.files": str(secrets_file)},
        env={"EVENTS_DB": store_db},
    ) as running:
        yield running.url


def shot(page, name: str) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"storepage-{name}.png"), full_page=False)


def stored_areas(store_db) -> dict[str, str | None]:
    """The store's areas: id -> who saved it (None for imported areas)."""
    with PostgisStore(store_db) as store:
        areas = store.areas()
    return dict(zip(areas["id"], areas["saved_by"], strict=True))


def map_frame_now(page):
    """The map's frame as it is now, with its drawing layer made."""
    page.wait_for_selector(MAP_FRAME, timeout=WAIT)
    content = page.query_selector(MAP_FRAME).content_frame()
    content.wait_for_function("() => !!window.map && !!window.drawnItems", timeout=WAIT)
    return content


def drawn_ids(page) -> object:
    handle = page.query_selector(MAP_FRAME)
    frame = handle.content_frame() if handle else None
    try:
        return frame.evaluate(DRAWN_EVENT_IDS) if frame else None
    except Exception as error:  # a frame replaced mid-read: read again
        return f"unreadable ({error})"


def wait_for_map(page, check, what: str, timeout: float = WAIT / 1000) -> None:
    """Wait until check(ids the map draws) holds, reading the frame afresh each time."""
    deadline = time.monotonic() + timeout
    ids = None
    while time.monotonic() < deadline:
        ids = drawn_ids(page)
        if isinstance(ids, list) and check(ids):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the map never drew {what}: it drew {ids!r}")


def draw_boso_izu(page) -> None:
    """Draw the polygon with the mouse, with the map on Boso and every event it holds drawn."""
    wait_for_map(page, lambda ids: "boso" in ids, "the Boso event")
    map_frame_now(page).click(".leaflet-draw-draw-polygon")
    for lat, lon in BOSO_IZU:
        click_on_map(page, lat, lon)
    click_on_map(page, *BOSO_IZU[0])  # on the first vertex: the polygon closes


def shape_box(page, identifier: str = "D1"):
    box = page.locator(f".st-key-shape_{identifier}")
    box.wait_for(timeout=WAIT)
    return box


def multiselect(page, label: str):
    return page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').filter(has_text=label)


def options_of(page, label: str) -> list[str]:
    """The names a sidebar multiselect offers (its list opened, read, closed)."""
    options: list[str] = []
    for _ in range(6):  # a rerun the map asks for may replace the list while it is read
        settled(page)
        multiselect(page, label).locator("input").click()
        try:
            page.get_by_role("option").first.wait_for(timeout=10_000)
        except PlaywrightTimeoutError:
            continue
        options = page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
        if options:
            break
    return [option.strip() for option in options]


def choose(page, label: str, option: str) -> None:
    for _ in range(6):  # a rerun the map asks for may close the list as it opens
        settled(page)
        multiselect(page, label).locator("input").click()
        try:
            page.get_by_role("option", name=option).click(timeout=10_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    page.keyboard.press("Escape")


def test_a_viewer_s_save_stores_nothing_and_the_shape_stays(server, new_page, store_db):  # noqa: F811
    before = stored_areas(store_db)
    viewer = new_page()
    sign_in(viewer, server, "vera")
    open_page(viewer, server, VIEW)
    draw_boso_izu(viewer)
    box = shape_box(viewer)
    box.get_by_text("area ").first.wait_for(timeout=WAIT)
    box.get_by_role("button", name=SAVE).click()
    viewer.get_by_text(
        "Not saved: saving a drawn area for the team needs an editor signed in."
    ).wait_for(timeout=WAIT)
    settled(viewer)
    assert stored_areas(store_db) == before
    assert shape_box(viewer).is_visible()  # the drawing is kept in the session
    shot(viewer, "viewer-refused")


def test_an_editor_saves_a_drawn_polygon_and_the_team_filters_by_it(server, new_page, store_db):  # noqa: F811
    editor = new_page()
    sign_in(editor, server, "eddie")
    open_page(editor, server, VIEW)
    draw_boso_izu(editor)
    box = shape_box(editor)
    # Measured in the panel; on the store it filters nothing yet: every event stays drawn.
    box.get_by_text("area ").first.wait_for(timeout=WAIT)
    assert "perimeter" in box.inner_text()
    assert "Boso and Izu" not in options_of(editor, "Zones")
    name = box.get_by_label("Name")
    name.fill("Boso and Izu")
    name.press("Enter")
    settled(editor)
    shape_box(editor).get_by_role("button", name=SAVE).click()
    # The area's id: its name's, and six hex digits of the shape (layers.analysis.drawn.file_id).
    saved = editor.get_by_text(
        re.compile(
            r"Saved 1 area \(boso-and-izu-[0-9a-f]{6}\) for the team as eddie@example\.org at"
        )
    )
    saved.wait_for(timeout=WAIT)
    settled(editor)
    assert "1 event tagged" in saved.inner_text()
    area_id = re.search(r"\((boso-and-izu-[0-9a-f]{6})\)", saved.inner_text()).group(1)
    assert stored_areas(store_db)[area_id] == "eddie@example.org"
    # The drawn shape has left the drawn shapes; the stored area takes its place.
    assert editor.locator(".st-key-shape_D1").count() == 0
    assert editor.get_by_text("Draw, measure and buffer").is_visible()
    # With no shape left, the panel says what a drawing does here: no filter until saved.
    editor.get_by_text("saved for the team (editors) it becomes a stored area").wait_for(
        timeout=WAIT
    )
    assert editor.get_by_text("a drawn surface filters the events like a zone").count() == 0
    # The saved line was read above: a later run (the map reporting its position) may already
    # have taken it away, as every one-time notice of the page goes; the picture is of the panel.
    editor.get_by_text("Draw, measure and buffer").scroll_into_view_if_needed()
    shot(editor, "saved")

    # A stored area now: the Zones filter offers it, and choosing it filters the map.
    assert "Boso and Izu" in options_of(editor, "Zones")
    wait_for_map(editor, lambda ids: "boso" in ids, "the Boso event")
    choose(editor, "Zones", "Boso and Izu")
    settled(editor)
    editor.get_by_text("Events shown, of 3").wait_for(timeout=WAIT)
    assert editor.get_by_test_id("stMetricValue").first.inner_text().strip() == "1"
    open_page(editor, server, f"?zones={area_id}&lat=29&lon=130&zoom=5")
    wait_for_map(editor, lambda ids: ids == ["boso"], "only the Boso event")
    shot(editor, "zone-filters")

    # A colleague's fresh browser, not signed in: the area is in its zones and its layers.
    colleague = new_page()
    open_page(colleague, server, VIEW)
    wait_for_map(colleague, lambda ids: "boso" in ids, "the Boso event")
    assert "Boso and Izu" in options_of(colleague, "Zones")
    assert "Boso and Izu" in options_of(colleague, "Map layers")
    open_page(colleague, server, VIEW + f"&layers={area_id}")
    map_frame_now(colleague).wait_for_function(
        """() => { let found = false; map.eachLayer(layer => {
            const p = layer.feature && layer.feature.properties;
            if (p && p.t === 'Boso and Izu') { found = true; } }); return found; }""",
        timeout=WAIT,
    )


def test_a_link_s_drawn_zones_are_said_not_to_filter_the_store(server, new_page):  # noqa: F811
    shape = Shape("polygon", points=tuple(BOSO_IZU))
    shapes, _ = shapes_param([shape])
    query = f"{VIEW}&zones=D1&shapes={quote(shapes, safe='')}"
    page = new_page()
    open_page(page, server, query)
    page.get_by_text(
        "Link parameter 'zones': the drawn shapes D1 do not filter the shared store's events"
    ).wait_for(timeout=WAIT)
    # The page still works: every stored event is shown and drawn, the shape measured.
    page.get_by_text("Events shown, of 3").wait_for(timeout=WAIT)
    assert page.get_by_test_id("stMetricValue").first.inner_text().strip() == "3"
    wait_for_map(page, lambda ids: "boso" in ids, "the Boso event")
    shape_box(page).get_by_text("area ").first.wait_for(timeout=WAIT)
    shot(page, "link-drawn-zones")


def test_a_buffer_added_on_the_store_is_measured_and_filters_nothing(server, new_page):  # noqa: F811
    """A buffer is drawn and measured on the store, as a drawn polygon is, and is no zone
    there: the store's filters know only stored areas, and a zone it does not know would
    leave no event shown, as if none were within the buffer."""
    page = new_page()
    open_page(page, server, VIEW)
    wait_for_map(page, lambda ids: "boso" in ids, "the Boso event")
    settled(page)
    page.get_by_text("Draw, measure and buffer").click()
    for _ in range(6):  # a rerun the map asks for may close the list as it opens
        settled(page)
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Round").click()
        option = page.get_by_role("option").filter(has_text="Southern Boso").first
        try:
            option.click(timeout=10_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    page.get_by_role("button", name="Add the buffer").click()
    box = shape_box(page)
    box.get_by_text("within ").first.wait_for(timeout=WAIT)
    settled(page)
    assert page.get_by_test_id("stMetricValue").first.inner_text().strip() == "3"
    assert page.get_by_text("No events match these filters").count() == 0
    wait_for_map(page, lambda ids: "boso" in ids, "the Boso event")
    assert "zones=" not in page.evaluate("() => window.location.href")
    box.scroll_into_view_if_needed()
    shot(page, "buffer")
