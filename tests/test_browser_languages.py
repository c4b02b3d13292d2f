"""The page in each language, as its reader meets it in Chromium (issue 27): opened with
`lang=` it shows no English of its own (what is left once the data's own text is taken out
has no run of English words), the link keeps the language, a browser that prefers Japanese
gets Japanese on a first visit without a `lang=` in the link, and the sidebar's switch changes
the words and puts `lang=` in the link.

Against the repository's own data (geodata/), with an event's details open so that the
details panel, the map's legend and layer list, the timeline and the table are all on screen.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import block_outside_requests, map_frame
from conftest import REPO

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

LAPTOP = (1366, 768)
BOSO = "jcg-cga-boso-2024-07-18"
SHOTS = REPO.parent / "shots" / "i27"
# Two or more English words in a row: the mark of a sentence or a label left in English.
# (Single words are not counted: codes such as JPN, units such as km and nm, and names such
# as NAVAREA are the same in every language.)
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ \-'][A-Za-z][a-z]+)+\b")
# Proper names written in Latin letters in every language of the page: the base map's
# sources, and OpenStreetMap's credit (its licence's wording).
NAMES = ("Natural Earth", "OpenStreetMap contributors", "OpenStreetMap", "Leaflet")
# Words the page's libraries write into attributes for screen readers, which no API of theirs
# translates: Streamlit's ("Help for …", "Clear all"; streamlit/streamlit#13500), Vega's chart
# descriptions, Leaflet's credit link. Checked only where they stand: in attributes, never in
# the text a reader sees.
LIBRARY_LABELS = {
    "Choose an option",  # Streamlit's placeholder, not shown while a value is chosen
    "Choose date",
    "Clear all",
    "Clear selection",
    "Collapse sidebar",
    "Copy Vega-Lite spec",
    "Download as",
    "Help for",
    "Link to heading",
    "Main menu",
    "Selected values",
    "Show data",
    "Skip to main content",
    "file upload",
    "hide columns",
    "Symbol legend titled",
    "Vega visualization",
    "axis for",
    "axis titled",
    "discrete scale with",
    "ending with",
    "for fill color with",
    "linear scale with values from",
    "Script library for interactive maps",  # Leaflet's "A JavaScript library for …"
    "translate icon",  # Streamlit's label of the language switch's Material icon
}
# Streamlit's keyboard "skip link": drawn only while it has the keyboard's focus.
SKIP_LINK = {"Skip to main content"}
# The text a reader sees: every text node whose element is rendered, leaving out Material
# icons (drawn from their ligature's name) and text CSS has replaced (font-size 0: the
# uploader's words, chrome.py). And, apart, the attributes that speak for icons and fields.
VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.textContent.trim()) continue;
    if (element.closest('[data-testid="stIconMaterial"], script, style, noscript')) continue;
    if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (getComputedStyle(element).fontSize === '0px') continue;
    parts.push(node.textContent);
  }
  return parts.join('\\n');
}"""
ATTRIBUTE_TEXT = """() => {
  const parts = [];
  for (const element of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    for (const name of ['title', 'aria-label', 'placeholder']) {
      const value = element.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join('\\n');
}"""


def data_texts() -> list[str]:
    """Every text the data itself holds (events' and areas' properties, at any depth): the
    page shows these as written, in whatever language the source wrote them."""
    texts: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(Path(REPO / "geodata").rglob("*.geojson")):
        texts.add(str(path.relative_to(REPO / "geodata")))  # a file's name is data too
        for feature in json.loads(path.read_text(encoding="utf-8")).get("features", []):
            walk(feature.get("properties") or {})
            walk(feature.get("id"))
    # The base map's place names: Natural Earth's, in English where it gives none in the
    # reader's language (static/basemap/NOTICE.md).
    places = json.loads((REPO / "static" / "basemap" / "places.json").read_text("utf-8"))
    walk([row[0] for row in places["places"]])
    # Longest first, so a title is taken out whole before any name inside it.
    return sorted((text for text in texts if len(text) > 2), key=len, reverse=True)


def english_left(text: str, data: list[str], allowed: set[str] = frozenset()) -> list[str]:
    """The runs of English words in `text` once the data's own texts and NAMES are taken out:
    a run that is part of a data text (a title cut short on a map label) is data too."""
    for written in [*data, *NAMES]:
        text = text.replace(written, " ")
    runs = set(ENGLISH_RUN.findall(text)) - set(allowed)
    return sorted(run for run in runs if not any(run in written for written in data))


def new_page(browser, locale: str | None = None):
    options = {"viewport": {"width": LAPTOP[0], "height": LAPTOP[1]}}
    if locale:
        options["locale"] = locale  # the browser's language: Accept-Language and navigator
    context = browser.new_context(**options)
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def wait_for_full_page(page) -> None:
    """The map, then the timeline and the table (the run after the map's first paint), and
    the page at rest."""
    map_frame(page)
    page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=60_000)
    page.wait_for_selector("table[role='grid']", state="attached", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(1500)


def sidebar_title(page) -> str:
    return page.locator("[data-testid='stSidebar'] h1").first.inner_text()


def shot(page, name: str) -> None:
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize(
    ("lang", "title"),
    [("zh-TW", "海上活動"), ("ja", "海上活動"), ("zh-CN", "海上活动")],
)
def test_the_page_shows_no_english_of_its_own(browser, server, lang, title):
    context, page = new_page(browser)
    page.goto(f"{server}/?lang={lang}&event={BOSO}")
    wait_for_full_page(page)
    shot(page, f"lang-{lang}-1366")
    data = data_texts()
    frame = map_frame(page)
    left = english_left(page.evaluate(VISIBLE_TEXT), data, SKIP_LINK)
    left += [f"map: {run}" for run in english_left(frame.evaluate(VISIBLE_TEXT), data)]
    left += [
        f"attribute: {run}"
        for where in (page, frame)
        for run in english_left(where.evaluate(ATTRIBUTE_TEXT), data, LIBRARY_LABELS)
    ]
    assert left == [], f"English left on the {lang} page: {left}"
    assert title in sidebar_title(page)
    assert f"lang={lang}" in page.url
    assert page.errors == [] and page.outside_requests == []
    context.close()


def test_a_japanese_browser_gets_japanese_on_a_first_visit(browser, server):
    context, page = new_page(browser, locale="ja-JP")
    page.goto(server)
    map_frame(page)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stSidebar'] h1\")", timeout=60_000
    )
    assert "海上活動" in sidebar_title(page)
    # The reader's own language is not written into links: a colleague's browser chooses.
    page.wait_for_timeout(1500)
    assert "lang=" not in page.url
    context.close()


def test_the_sidebar_switch_changes_the_words_and_the_link(browser, server):
    context, page = new_page(browser, locale="en-GB")
    page.goto(server)
    map_frame(page)
    page.get_by_text("Maritime activity").first.wait_for(timeout=60_000)
    switch = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text="Language"
    )
    switch.click()
    page.get_by_role("option", name="繁體中文").click()
    page.wait_for_function("() => location.search.includes('lang=zh-TW')", timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stSidebar'] h1\")"
        ".innerText.includes('海上活動')",
        timeout=30_000,
    )
    context.close()
