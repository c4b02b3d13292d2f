"""A signed-in editor's Save across a database outage (the faults' side of saving, which
needs an editor since sign-in: tests/test_browser_team.py signs in the same way). On a
PostgreSQL cluster of this module's own, stopped and started here; a real OpenID Connect
provider on loopback; headless Chromium at 1366x768; nothing leaves 127.0.0.1."""

from __future__ import annotations

import os

import pytest
from browser import free_port, launch_chromium, streamlit_server
from conftest import small_dataset
from test_browser_team import (
    PROVIDER_STYLESHEET,
    SIGHTINGS,
    WAIT,
    auth_secrets,
    block_outside_requests,
    provider,  # noqa: F401 - the module's OpenID Connect provider fixture
    settled,
    sign_in,
    upload,
)

from layers.read.load import load_geodata
from layers.store.postgis import PostgisStore

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

BANNER = "The shared store is unavailable; showing what this page last read; saving is paused."


@pytest.fixture(scope="module")
def own_store(tmp_path_factory):
    from postgres import PostgresMissing, fresh_database, template_database, throwaway_cluster

    try:
        cluster = throwaway_cluster()
        url = cluster.__enter__()
    except PostgresMissing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {missing}", pytrace=False)
        pytest.skip(str(missing))
    try:
        with fresh_database(url, template_database(url)) as database:
            with PostgisStore(database) as store:
                root = tmp_path_factory.mktemp("outage")
                store.import_geodata(load_geodata(small_dataset(root / "geodata")))
            yield database
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture(scope="module")
def server(provider, own_store, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("outage-server")
    port = free_port()
    secrets_file = root / "secrets.toml"
    secrets_file.write_text(auth_secrets(port, provider))
    with streamlit_server(
        root / "not-used",
        port=port,
        options={"secrets.files": str(secrets_file)},
        env={"EVENTS_DB": own_store},
    ) as running:
        yield running.url


def test_an_editors_save_waits_out_an_outage_and_nothing_pending_is_lost(server, own_store):
    from postgres import start_cluster, stop_cluster

    with playwright_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        outside = block_outside_requests(page)
        try:
            sign_in(page, server, "eddie")
            upload(page, "log.csv", SIGHTINGS)
            save = page.get_by_role("button", name="Save to the shared store")
            stop_cluster(own_store)
            try:
                # Pressed before the page knew: not saved, said, and the upload kept.
                save.click()
                page.get_by_text(
                    "log.csv and the uploads after it are still here, not saved"
                ).wait_for(timeout=WAIT)
                page.get_by_text(BANNER).wait_for(timeout=WAIT)
                assert page.get_by_text("Saved 1 event").count() == 0
                page.get_by_text("Saving is paused while the store is unavailable").wait_for(
                    timeout=WAIT
                )
                assert save.is_disabled()
            finally:
                start_cluster(own_store)
            # The banner's probe brings the page back by itself; Save works, as the editor.
            page.get_by_text(BANNER).wait_for(state="detached", timeout=WAIT)
            settled(page)
            save.click()
            page.get_by_text("Saved 1 event to the shared store").wait_for(timeout=WAIT)
            with PostgisStore(own_store) as store:
                saved = store.history("my-sighting")
                assert [(r.action, r.actor) for r in saved] == [("saved", "eddie@example.org")]
        finally:
            context.close()
            browser.close()
    assert [url for url in outside if url != PROVIDER_STYLESHEET] == []
