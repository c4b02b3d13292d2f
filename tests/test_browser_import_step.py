"""Nations by their names in any language, and the import step's nations grid, problem rows and
date forms, at the analyst's 1366x768 in headless Chromium against a real `streamlit run`.

Each test opens the app with every request that leaves 127.0.0.1 blocked and fails if one was
attempted. Screenshots go to SHOTS_DIR when it is set (the issue's record of the fixed views).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser import block_outside_requests, launch_chromium, map_frame, streamlit_server
from conftest import area, collection, event, write_geodata

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

UPLOADER = '.st-key-uploads [data-testid="stFileUploaderDropzoneInput"]'
NATIONS_BOX = '[data-testid="stMultiSelect"]:has-text("Participating nations")'
# Nations whose codes and names sort differently: DEU (Germany) before DNK (Denmark) by code.
NATIONS = ["CHN", "DEU", "DNK", "JPN", "KOR", "PHL", "TWN"]
CODE = re.compile(r"\([A-Z]{3}\)")
SHOTS = os.environ.get("SHOTS_DIR")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"importnames-{name}.png"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = write_geodata(
        tmp_path_factory.mktemp("names") / "geodata",
        {
            "a.geojson": collection(
                event("boso", area="boso-south-waters"),
                event("baltops", title="BALTOPS", nations=["DEU", "DNK"]),
                event("kamandag", title="KAMANDAG", nations=["PHL", "KOR", "JPN"]),
                event("ccg", title="China Coast Guard", kind="incident", nations=["CHN"]),
            )
        },
        {"areas.geojson": collection(area())},
    )
    with streamlit_server(root) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def nation_options(page, typed: str = "") -> list[str]:
    """The nation filter's options as its list shows them, after typing `typed`."""
    box = page.locator(NATIONS_BOX)
    box.locator("input").click()
    if typed:
        box.locator("input").fill(typed)
    page.get_by_role("option").first.wait_for(timeout=5_000)
    # Streamlit's own "Select all" line is no nation.
    return [text for text in page.get_by_role("option").all_inner_texts() if CODE.search(text)]


def test_the_nation_filter_lists_nations_by_name_and_finds_them_in_any_language(server, page):
    page.goto(server)
    map_frame(page)
    options = nation_options(page)
    names = [option.split(" (")[0] for option in options]
    # By name as an English reader reads them, not by code: Denmark before Germany.
    assert names == sorted(names, key=str.casefold), options
    assert names.index("Denmark") < names.index("Germany")
    assert options[names.index("Denmark")].startswith("Denmark (DNK)")
    shot(page, "nation-filter-order")
    page.keyboard.press("Escape")
    # 日本 finds Japan as it is typed (its own name is in its label) and chooses it.
    found = nation_options(page, "日本")
    assert len(found) == 1 and found[0].startswith("Japan (JPN)"), found
    shot(page, "nation-filter-search")
    page.get_by_role("option", name=found[0]).click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('nations') === 'JPN'")
    # 韓国 (Japanese for South Korea) is no label's text: on Enter it becomes its nation.
    box = page.locator(NATIONS_BOX)
    box.locator("input").fill("韓国")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('nations') === 'JPN,KOR'", timeout=15_000
    )
    page.keyboard.press("Escape")
    chips = box.locator("[data-tag]").evaluate_all("tags => tags.map(t => t.ariaLabel)")
    assert chips == ["Japan (JPN) · 日本", "South Korea (KOR) · 대한민국"], chips
    # A name two languages give to different nations is said, not chosen.
    box.locator("input").fill("Kongo")
    page.keyboard.press("Enter")
    warning = page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]')
    warning.wait_for(timeout=15_000)
    assert "names more than one nation" in warning.inner_text()
    assert "DR Congo (COD)" in warning.inner_text() and "Congo (COG)" in warning.inner_text()
    page.keyboard.press("Escape")
    shot(page, "nation-filter-chosen")
