"""Text from data in Streamlit's markdown, as the browser shows it: exactly as written, and
never a link other than http(s) (the project's rule: only http(s) URLs become links)."""

from __future__ import annotations

import json

import pytest
from browser import block_outside_requests, launch_chromium, streamlit_server
from conftest import REPO

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

# What titles, summaries, source names and file names hold in real lists: contacts of a press
# office, bare host names, other URL schemes, and markup.
HOSTILE = [
    "Press office: ana.lin@mnd.gov.tw (ask for the map)",
    "mailto:pao@navy.mil",
    "xmpp:watch@example.org",
    "联系 info@cmsa.gov.cn。",
    "javascript:alert(1)",
    "ftp://files.example.org/track.kml",
    "[click](javascript:alert(1)) and ![img](http://example.org/x.png)",
    "*bold* _it_ `code` <b>tag</b> &amp; \\ back",
]


def test_data_text_shows_as_written_and_no_mailto_or_other_scheme_becomes_a_link(tmp_path):
    app = REPO / "tests" / "apps" / "markdown_text_app.py"
    env = {"MARKDOWN_TEXTS": json.dumps(HOSTILE), "PYTHONPATH": str(REPO)}
    with (
        streamlit_server(tmp_path, script=app, env=env) as server,
        playwright_api.sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        outside = block_outside_requests(page)
        page.goto(server.url)
        page.get_by_text(f"Row {len(HOSTILE) - 1}:").wait_for(timeout=60_000)
        rows = page.locator("[data-testid=stMarkdownContainer]").all_inner_texts()
        for number, text in enumerate(HOSTILE):
            assert f"Row {number}: {text}" in rows
        links = page.locator("[data-testid=stMarkdownContainer] a, [data-testid=stTable] a")
        hrefs = [links.nth(index).get_attribute("href") for index in range(links.count())]
        # An http(s) URL in the text may be linked (that is the rule); nothing else.
        assert hrefs and all(href.startswith(("http://", "https://")) for href in hrefs), hrefs
        assert page.locator("[data-testid=stMarkdownContainer] img").count() == 0
        table = page.locator("[data-testid=stTable]").inner_text()
        for text in HOSTILE:
            assert text in table
        assert outside == []
        browser.close()
