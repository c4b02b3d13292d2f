"""save_drawn_area on the page (dashboard_ui/access.py) without sign-in: an anonymous
visitor's click saves nothing and says why (Streamlit's AppTest on tests/apps/drawn_area_app.py;
a signed-in viewer and editor: tests/test_browser_drawn_area.py, with a real provider)."""

from __future__ import annotations

from conftest import REPO
from streamlit.testing.v1 import AppTest

from layers.store.postgis import PostgisStore

APP = str(REPO / "tests" / "apps" / "drawn_area_app.py")


def test_an_anonymous_click_saves_no_drawn_area(events_db, monkeypatch):
    monkeypatch.setenv("EVENTS_DB", events_db)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    at.button[-1].click().run()
    assert not at.exception
    shown = " ".join(element.proto.body for element in at.get("html"))
    assert "Not saved: saving a drawn area for the team needs an editor signed in." in shown
    with PostgisStore(events_db) as store:
        assert "yonaguni-box" not in set(store.areas()["id"])
