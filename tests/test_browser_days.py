"""Choosing days in the sidebar (issue 22: "a short range can be chosen by day"), in headless
Chromium against a real `streamlit run`, with no network."""

from __future__ import annotations

import re

import pytest
from browser import (
    block_outside_requests,
    launch_chromium,
    map_frame,
    streamlit_server,
    wait_for_drawn,
)
from conftest import collection, event, write_geodata

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = write_geodata(
        tmp_path_factory.mktemp("days") / "geodata",
        {
            "t.geojson": collection(
                event("before", start="2024-07-17", nations=["JPN"]),
                # 08:00 in Japan on 19 July (23:00 UTC on the 18th): on 19 July as written.
                event("tokyo-morning", start="2024-07-19T08:00+09:00", nations=["CHN"]),
                event("later", start="2024-07-25", end="2024-07-26", nations=["TWN"]),
                event("june", start="2024-06", nations=["USA"]),
            )
        },
    )
    with streamlit_server(root) as running:
        yield running.url


@pytest.fixture
def page(server):
    with playwright_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.outside_requests = block_outside_requests(page)
        yield page
        assert page.outside_requests == [], "requests tried to leave the machine"
        chromium.close()


def pick_day(page, label: str) -> None:
    page.get_by_role("button", name=re.compile(f"^{label}")).click()


def test_days_chosen_in_the_sidebar_filter_the_map_and_go_in_the_address(server, page):
    page.goto(server + "?start=2024-07&end=2024-07")
    frame = map_frame(page)
    wait_for_drawn(frame, ["before", "later", "tokyo-morning"])
    page.get_by_text("Choose days").click()
    # The days start as the month chosen, within the data's days (the last ends on the 26th).
    page.wait_for_function(
        "() => location.search.includes('start=2024-07-01&end=2024-07-26')", timeout=15_000
    )
    days = page.locator('[data-testid="stDateInput"]').filter(has_text="Days (both ends")
    days.locator('[data-testid="stDateInputField"]').click()
    pick_day(page, "Thursday, July 18, 2024")
    pick_day(page, "Saturday, July 20, 2024")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => location.search.includes('start=2024-07-18&end=2024-07-20')", timeout=15_000
    )
    wait_for_drawn(frame, ["tokyo-morning"])
    page.get_by_text("3 days").wait_for()
    # Back to months: the month the days fall in (the data's last, so no end is written).
    page.get_by_text("Choose days").click()
    page.wait_for_function("() => location.search === '?start=2024-07'", timeout=15_000)
    wait_for_drawn(frame, ["before", "later", "tokyo-morning"])


def test_a_link_with_days_opens_with_those_days_chosen(server, page):
    page.goto(server + "?start=2024-07-18&end=2024-07-19")
    frame = map_frame(page)
    wait_for_drawn(frame, ["tokyo-morning"])
    assert page.get_by_role("checkbox", name="Choose days").is_checked()
    page.get_by_text("2 days").wait_for()
