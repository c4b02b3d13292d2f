"""A team on the shared store, signed in: analysts sign in with Streamlit's st.login against a
real OpenID Connect provider (oidc-provider-mock, on loopback, issuing signed ID tokens with
the claims each analyst has), in headless Chromium at 1366x768 against a real `streamlit run`
on a throwaway PostGIS store. Nothing leaves 127.0.0.1 (every other request is recorded and
fails the test).

Screenshots go to SHOTS_DIR when it is set.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from pathlib import Path

import pytest
from browser import (
    DRAWN_EVENT_IDS,
    block_outside_requests,
    drawn_event_ids,
    free_port,
    map_frame,
    streamlit_server,
)
from conftest import area, collection, small_dataset

from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore

playwright_api = pytest.importorskip("playwright.sync_api")
oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SHOTS_DIR")
UPLOADER = '.st-key-uploads [data-testid="stFileUploaderDropzoneInput"]'
SIGHTINGS = (
    "id,title,kind,start,end,nations,lat,lon,source_title\n"
    "my-sighting,Sighting off Yonaguni,incident,2024-06-05,,CHN,24.4,123.0,Team log\n"
)
# The analysts the provider knows, and the roles claim each ID token carries.
ANALYSTS = {
    "vera": {"email": "vera@example.org", "roles": ["viewer"]},
    "eddie": {"email": "eddie@example.org", "roles": ["editor"]},
    "erin": {"email": "erin@example.org", "roles": ["analysts", "editor"]},
    "ada": {"email": "ada@example.org", "roles": ["admin"]},
}
# The mock provider's own sign-in form asks a CDN for its stylesheet (it fails, blocked: the
# form works without it). The provider stands in for the operator's; the dashboard asks nothing.
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/pico@2/css/pico.min.css"
WAIT = 60_000  # ms: a loaded machine runs six helpers' tests at once


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"auth-{name}.png"))


@pytest.fixture(scope="module")
def provider():
    """A real OpenID Connect provider on 127.0.0.1 (authorization code flow, RS256 ID tokens,
    discovery document); yields its issuer URL."""
    import werkzeug.serving
    from oidc_provider_mock import User

    users = [User(sub=sub, claims=claims) for sub, claims in ANALYSTS.items()]
    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, oidc_provider_mock.app(user_claims=users), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture(scope="module")
def store_db(postgres_cluster):
    """A store holding the small dataset (ccg-senkaku, strait-transit, boso), for the module."""
    from postgres import fresh_database

    url, template = postgres_cluster
    with fresh_database(url, template) as database:
        yield database


@pytest.fixture(scope="module")
def server(provider, store_db, tmp_path_factory):
    """The dashboard on the store, with sign-in through the provider ([auth] and [roles] in a
    secrets.toml of the test's own)."""
    root = tmp_path_factory.mktemp("team")
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


def auth_secrets(port: int, provider: str) -> str:
    """secrets.toml's [auth] table for a dashboard on 127.0.0.1:`port` signing in through the
    test's OpenID Connect `provider` (its URL)."""
    return (
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "dashboard"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )


@pytest.fixture
def new_page(browser):
    """new_page(): a page in a browser context of its own (its own cookies: one analyst)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        contexts.append(context)
        page = context.new_page()
        page.outside_requests = block_outside_requests(page)
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        for page in context.pages:
            assert page.errors == []
            outside = [url for url in page.outside_requests if url != PROVIDER_STYLESHEET]
            assert outside == [], "requests tried to leave the machine"
        context.close()


def open_page(page, url: str, query: str = "") -> None:
    page.goto(url + query)
    settled(page)


def settled(page) -> None:
    """Wait for the page's full run to end: the store's caption at its foot is drawn and the
    app is not running. A file set into the uploader during a run can be lost with the
    widget that run replaces."""
    page.get_by_text("Shared store version").wait_for(timeout=WAIT)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid^="stStatusWidgetRunning"]')""",
        timeout=WAIT,
    )


def sign_in(page, url: str, sub: str) -> None:
    """Sign in as `sub` at the provider's own authorization form, and back on the page."""
    open_page(page, url)
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').wait_for(timeout=WAIT)
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=WAIT)
    page.get_by_text(f"Signed in as {ANALYSTS[sub]['email']}").wait_for(timeout=WAIT)
    settled(page)


def upload(page, name: str, text: str) -> None:
    page.locator(UPLOADER).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_text("on this map for this session only").wait_for(timeout=WAIT)


def test_an_anonymous_visitor_and_a_viewer_read_but_see_no_save(server, new_page):
    page = new_page()
    open_page(page, server)
    assert page.get_by_role("button", name="Sign in").is_visible()
    upload(page, "log.csv", SIGHTINGS)
    page.get_by_text("Sign in as an editor to save to the shared store").wait_for(timeout=WAIT)
    assert page.get_by_role("button", name="Save to the shared store").count() == 0
    shot(page, "signed-out")

    viewer = new_page()
    sign_in(viewer, server, "vera")
    assert viewer.get_by_text("Signed in as vera@example.org · viewer").is_visible()
    upload(viewer, "log.csv", SIGHTINGS)
    viewer.get_by_text("Your role (viewer) reads only").wait_for(timeout=WAIT)
    assert viewer.get_by_role("button", name="Save to the shared store").count() == 0


def test_an_editor_saves_an_upload_and_a_colleague_sees_it(server, new_page, store_db):
    editor = new_page()
    sign_in(editor, server, "eddie")
    upload(editor, "log.csv", SIGHTINGS)
    editor.get_by_role("button", name="Save to the shared store").click()
    editor.get_by_text("Saved 1 event to the shared store").wait_for(timeout=WAIT)
    with PostgisStore(store_db) as store:
        assert list(store.events(["my-sighting"])["file"]) == ["events/log.geojson"]
        saved = store.history("my-sighting")
        assert [(r.action, r.actor) for r in saved] == [("saved", "eddie@example.org")]

    colleague = new_page()
    sign_in(colleague, server, "erin")
    colleague.get_by_text("Events shown, of 4").wait_for(timeout=WAIT)


def details(page):
    return page.locator(".st-key-details_panel")


def open_correction(page):
    """Open the "Correct this event" form of the event in the details panel."""
    panel = details(page)
    panel.get_by_text("Correct this event").click()
    panel.get_by_label("Title").wait_for(timeout=WAIT)
    return panel


def save_correction(panel, reason: str) -> None:
    panel.get_by_label("Why (recorded in the history)").fill(reason)
    panel.get_by_role("button", name="Save correction").click()


def test_a_stale_correction_is_refused_with_the_other_editors_change_shown(
    server, new_page, store_db
):
    """Two editors open the same event; the second to save is refused, sees the first's change
    (who, why, title before → after) and keeps what they typed; starting again from it, their
    correction is saved, and the first editor's browser shows both in the history."""
    event = "?event=strait-transit"
    eddie, erin = new_page(), new_page()
    sign_in(eddie, server, "eddie")
    sign_in(erin, server, "erin")
    open_page(eddie, server, event)
    open_page(erin, server, event)
    eddie_form = open_correction(eddie)
    erin_form = open_correction(erin)

    erin_form.get_by_label("Title").fill("Canadian frigate HMCS Ottawa transits the Strait")
    save_correction(erin_form, "the ship's name, from the ministry's release")
    details(erin).get_by_text("Corrected (title)").wait_for(timeout=WAIT)

    # Eddie's form still holds what the page read before Erin's correction.
    summary = "Transit northbound; no PLAN shadowing reported."
    eddie_form.get_by_label("Summary").fill(summary)
    save_correction(eddie_form, "summary from the release")
    refusal = details(eddie)
    refusal.get_by_text("Not saved: another editor changed this event").wait_for(timeout=WAIT)
    assert refusal.get_by_text("corrected by erin@example.org").first.is_visible()
    assert refusal.get_by_text("the ship's name, from the ministry's release").first.is_visible()
    assert refusal.get_by_text(
        "Canadian frigate HMCS Ottawa transits the Strait"
    ).first.is_visible()
    assert eddie_form.get_by_label("Summary").input_value() == summary  # nothing typed is lost
    with PostgisStore(store_db) as store:
        stored = store.events(["strait-transit"]).iloc[0]
        assert stored["title"] == "Canadian frigate HMCS Ottawa transits the Strait"
        assert stored["summary"] == "First joint exercise since 1972."
    refusal.get_by_text("Not saved: another editor changed this event").scroll_into_view_if_needed()
    shot(eddie, "stale-correction-refused")

    refusal.get_by_role("button", name="Start again from their version").click()
    # The form is filled afresh from Erin's revision (once the rerun has replaced the old one).
    eddie.wait_for_function(
        """title => {
          const panel = document.querySelector('.st-key-details_panel');
          const boxes = panel.querySelectorAll('input[aria-label="Title"]');
          return boxes.length === 1 && boxes[0].value === title;
        }""",
        arg="Canadian frigate HMCS Ottawa transits the Strait",
        timeout=WAIT,
    )
    if not eddie_form.get_by_label("Title").is_visible():
        eddie_form = open_correction(eddie)
    eddie_form.get_by_label("Summary").fill(summary)
    save_correction(eddie_form, "summary from the release")
    details(eddie).get_by_text("Corrected (summary)").wait_for(timeout=WAIT)

    # Erin's browser, on its next load, shows Eddie's correction and the history of both.
    open_page(erin, server, event)
    panel = details(erin)
    panel.get_by_text(summary).first.wait_for(timeout=WAIT)
    panel.get_by_text("History: 3 revisions").click()
    panel.get_by_text("revision 3, corrected by eddie@example.org").wait_for(timeout=WAIT)
    assert panel.get_by_text("revision 2, corrected by erin@example.org").is_visible()
    assert panel.get_by_text("revision 1, imported").is_visible()
    details(eddie).get_by_text("History: 3 revisions").click()
    history = details(eddie).get_by_text("revision 3, corrected by eddie@example.org")
    history.last.wait_for(timeout=WAIT)
    shot(eddie, "editor-details-history")


def test_an_editor_retracts_an_event_and_it_leaves_every_map(server, new_page, store_db):
    eddie, erin = new_page(), new_page()
    sign_in(erin, server, "erin")
    before = erin.get_by_test_id("stMetricLabel").first.inner_text()
    sign_in(eddie, server, "eddie")
    open_page(eddie, server, "?event=ccg-senkaku")
    panel = details(eddie)
    panel.get_by_text("Retract this event").click()
    panel.get_by_role("button", name="Retract event").click()
    panel.get_by_text("Not retracted: say why").wait_for(timeout=WAIT)
    # The run that says so may still be drawing: its form and the one it replaces both
    # stand in the page until it ends.
    settled(eddie)
    with PostgisStore(store_db) as store:
        assert store.event_revision("ccg-senkaku") == 1  # no reason, nothing retracted
    panel.get_by_label("Why retract it (required, recorded in the history)").fill(
        "duplicate of the JCG's own report"
    )
    panel.get_by_role("button", name="Retract event").click()
    panel.get_by_text("Retracted; it has left the map").wait_for(timeout=WAIT)
    assert panel.get_by_text("Retracted: revision 2, retracted by eddie@example.org").is_visible()
    with PostgisStore(store_db) as store:
        assert store.events(["ccg-senkaku"]).empty
        assert [r.action for r in store.history("ccg-senkaku")] == ["imported", "retracted"]

    open_page(erin, server)
    count = int(before.rsplit(" ", 1)[1])
    erin.get_by_text(f"Events shown, of {count - 1}").wait_for(timeout=WAIT)
    frame = map_frame(erin, timeout=WAIT)
    frame.wait_for_function(f"() => ({DRAWN_EVENT_IDS})()?.includes('boso')", timeout=WAIT)
    assert "ccg-senkaku" not in drawn_event_ids(frame)


def test_an_admin_sees_what_the_claim_gave_and_adds_named_areas(server, new_page, store_db):
    editor = new_page()
    sign_in(editor, server, "eddie")
    assert editor.get_by_text("Administration").count() == 0  # an editor manages no areas

    admin = new_page()
    sign_in(admin, server, "ada")
    admin.get_by_text("Administration").click()
    admin.get_by_text("You are ada@example.org: claim “roles” = admin → admin.").wait_for(
        timeout=WAIT
    )
    shoal = area(
        "scarborough-shoal",
        name="Scarborough Shoal",
        alt_names=["黄岩岛"],
        kind="island_waters",
        geometry={
            "type": "Polygon",
            "coordinates": [[[117.7, 15.1], [117.9, 15.1], [117.9, 15.3], [117.7, 15.1]]],
        },
    )
    admin.locator(
        '.st-key-admin_areas [data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files(
        files=[
            {
                "name": "shoals.geojson",
                "mimeType": "application/geo+json",
                "buffer": json.dumps(collection(shoal)).encode(),
            }
        ]
    )
    admin.get_by_role("button", name="Save 1 area to the shared store").click()
    admin.get_by_text("Saved: 1 area(s) added or changed").wait_for(timeout=WAIT)
    shot(admin, "admin-areas")
    with PostgisStore(store_db) as store:
        areas = store.areas().set_index("id")
        assert areas.loc["scarborough-shoal", "name"] == "Scarborough Shoal"
        assert areas.loc["scarborough-shoal", "file"] == "areas/shoals.geojson"
