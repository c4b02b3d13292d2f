"""Saving a drawn area for the team, signed in with a real OpenID Connect provider (as
tests/test_browser_team.py): the role is read at the click, so a viewer's click saves nothing,
an editor's saves the area with their name, and a colleague's second save of the id is
refused naming who saved it. Headless Chromium at 1366x768 against `streamlit run` of
tests/apps/drawn_area_app.py (the button the integrator places calls the same function) on a
throwaway PostGIS store. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import free_port, streamlit_server
from conftest import REPO
from test_browser_team import (  # noqa: F401 - the fixtures are used by name
    ANALYSTS,
    WAIT,
    auth_secrets,
    new_page,
    provider,
)

from layers.store.postgis import PostgisStore

pytest.importorskip("playwright.sync_api")
pytest.importorskip("oidc_provider_mock")
pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SHOTS_DIR")
APP = REPO / "tests" / "apps" / "drawn_area_app.py"
SAVE = "Save drawn area for the team"


@pytest.fixture(scope="module")
def store_db(postgres_cluster):
    from postgres import fresh_database

    url, template = postgres_cluster
    with fresh_database(url, template) as database:
        yield database


@pytest.fixture(scope="module")
def server(provider, store_db, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("drawn")
    port = free_port()
    secrets_file = root / "secrets.toml"
    secrets_file.write_text(
        auth_secrets(port, provider) + '[roles]\nclaim = "roles"\ndefault = "viewer"\n'
    )
    with streamlit_server(
        root / "not-used",
        APP,
        port=port,
        options={"secrets.files": str(secrets_file)},
        env={"EVENTS_DB": store_db},
    ) as running:
        yield running.url


def ready(page) -> None:
    page.get_by_text("Drawn area page ready").wait_for(timeout=WAIT)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid^="stStatusWidgetRunning"]')""",
        timeout=WAIT,
    )


def sign_in(page, url: str, sub: str) -> None:
    page.goto(url)
    ready(page)
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').wait_for(timeout=WAIT)
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=WAIT)
    page.get_by_text(f"Signed in as {ANALYSTS[sub]['email']}").wait_for(timeout=WAIT)
    ready(page)


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"store-{name}.png"))


def stored(store_db) -> dict:
    with PostgisStore(store_db) as store:
        return store.areas().set_index("id")["saved_by"].to_dict()


def test_a_viewer_saves_nothing_an_editor_saves_with_their_name(server, new_page, store_db):  # noqa: F811
    viewer = new_page()
    sign_in(viewer, server, "vera")
    viewer.get_by_role("button", name=SAVE).click()
    viewer.get_by_text(
        "Not saved: saving a drawn area for the team needs an editor signed in."
    ).wait_for(timeout=WAIT)
    shot(viewer, "viewer-refused")
    assert stored(store_db) == {}

    editor = new_page()
    sign_in(editor, server, "eddie")
    editor.get_by_role("button", name=SAVE).click()
    editor.get_by_text("as eddie@example.org at").wait_for(timeout=WAIT)
    shot(editor, "editor-saved")
    assert stored(store_db) == {"yonaguni-box": "eddie@example.org"}

    colleague = new_page()
    sign_in(colleague, server, "erin")
    colleague.get_by_role("button", name=SAVE).click()
    colleague.get_by_text('an area "yonaguni-box" is already stored (saved by eddie').wait_for(
        timeout=WAIT
    )
    shot(colleague, "second-refused")
    assert stored(store_db) == {"yonaguni-box": "eddie@example.org"}
