"""The page below the map as a new analyst meets it (issue 24), at a laptop's 1366x768 and a
desktop's 1920x1080: *Activity by area* inside its column with every month in view, details
that never cover the controls under the map, a table that reads in names with its telling
columns in view, zone chips that differ, a link clear of its copy button, the ticked row
always the open event, and a period to compare with that starts just before the one shown.

Against the repository's own data (geodata/), which has the README's example link.
"""

from __future__ import annotations

import re

import pytest
from browser import block_outside_requests, map_frame
from conftest import REPO

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

LAPTOP, DESKTOP = (1366, 768), (1920, 1080)
BOSO = "jcg-cga-boso-2024-07-18"
README_LINK = "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=34.9&lon=139.9&zoom=8"
# The Senkaku zones' link: on one line up to "…senkaku-contiguous-", as wide as the block's
# text, where the copy button stood over "contiguous" (with a five-digit port, as tests have).
SENKAKU_ZONES = "zones=senkaku-territorial-sea,senkaku-contiguous-zone&possibly=1"
# The rows of the events table, as [ticked, [cell texts]] (the header row first). Streamlit's
# grid draws on a canvas and keeps an accessible table of the cells it draws beside it: the
# columns listed are those at least partly in view.
TABLE_ROWS = """() => {
  const grid = Array.from(document.querySelectorAll('table[role="grid"]'))
    .find(table => table.querySelector("thead").textContent.includes("title"));
  return grid ? Array.from(grid.querySelectorAll("tr")).map(row => [
    row.getAttribute("aria-selected") === "true",
    Array.from(row.children).map(cell => cell.textContent)]) : null;
}"""


def new_page(browser, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


@pytest.fixture(params=[LAPTOP, DESKTOP], ids=lambda size: f"{size[0]}x{size[1]}")
def page(browser, request):
    context, page = new_page(browser, request.param)
    yield page
    assert page.errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


@pytest.fixture
def laptop(browser):
    context, page = new_page(browser, LAPTOP)
    yield page
    assert page.errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def wait_for_page(page) -> None:
    """The map, then the timeline and table (they come with the run after the first paint)."""
    map_frame(page)
    page.get_by_text("Timeline", exact=True).wait_for(timeout=60_000)
    page.wait_for_function(f"() => ({TABLE_ROWS})() !== null", timeout=30_000)
    page.wait_for_timeout(800)


def shot(page, name: str) -> None:
    """Keep what the test saw, for the note (issue 24 asks for each view to be looked at)."""
    size = page.viewport_size
    path = REPO.parent / "shots" / "i24"
    if path.is_dir():
        page.screenshot(path=str(path / f"layout-{name}-{size['width']}.png"))


def covered_points(page, handle, within: str | None = None) -> list[list[float]]:
    """The points of an element's box (its centre and four points just inside its corners)
    where the page shows something else on top of it: what a click there would not reach.
    With `within` (a selector of an ancestor), the part of the box inside that ancestor's
    box (the timeline's legend runs past the chart's own bottom edge, cut there)."""
    return page.evaluate(
        """([element, within]) => {
          let box = element.getBoundingClientRect();
          let [left, top, right, bottom] = [box.left, box.top, box.right, box.bottom];
          if (within) {
            const outer = element.closest(within).getBoundingClientRect();
            [left, top] = [Math.max(left, outer.left), Math.max(top, outer.top)];
            [right, bottom] = [Math.min(right, outer.right), Math.min(bottom, outer.bottom)];
          }
          const points = [[(left + right) / 2, (top + bottom) / 2], [left + 3, top + 3],
                          [right - 3, top + 3], [left + 3, bottom - 3], [right - 3, bottom - 3]];
          return points.filter(([x, y]) => {
            const shown = document.elementFromPoint(x, y);
            return !(shown && (element.contains(shown) || shown.contains(element)));
          });
        }""",
        [handle, within],
    )


# ---- 1. Activity by area: inside its column, every month in view and named -------------------

AREA_CHART = ".st-key-open_areas [data-testid='stVegaLiteChart']"
# The area table's cells ([month, left, right]), its month labels ([year line, month line,
# left, right, opacity]) and the section's box.
AREA_TABLE = """selector => {
  const chart = document.querySelector(selector);
  const section = chart.closest('.st-key-open_areas').getBoundingClientRect();
  const cells = Array.from(chart.querySelectorAll('svg [aria-label]'))
    .map(cell => [/, (\\d{4}-\\d{2}): /.exec(cell.getAttribute('aria-label')),
                  cell.getBoundingClientRect()])
    .filter(([match]) => match)
    .map(([match, box]) => [match[1], box.left, box.right, box.top]);
  const axis = chart.querySelector('svg .role-axis-label');
  const labels = Array.from(axis.querySelectorAll('text')).map(text => {
    const lines = Array.from(text.querySelectorAll('tspan'));
    const month = lines.length > 1 ? lines[1] : text;
    const box = month.getBoundingClientRect();
    return [lines.length > 1 ? lines[0].textContent : '', month.textContent,
            box.left, box.right, Number(text.getAttribute('opacity') || 1), box.bottom];
  });
  return {cells, labels, section: [section.left, section.right],
          page: [document.documentElement.scrollWidth, window.innerWidth]};
}"""


def test_activity_by_area_fits_its_column_with_every_month_in_view_and_named(server, page):
    page.goto(server)  # every month of the data: 2017-12 to 2024-08
    wait_for_page(page)
    first = page.get_by_label("From").first.input_value()
    last = page.get_by_label("To").first.input_value()
    page.get_by_text("Activity by area", exact=True).click()
    page.locator(AREA_CHART).wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    page.locator(AREA_CHART).scroll_into_view_if_needed()
    shot(page, "areas")
    table = page.evaluate(AREA_TABLE, AREA_CHART)
    months = sorted({month for month, *_ in table["cells"]})
    assert months[0] == first and months[-1] == last and len(months) > 80
    left, right = table["section"]
    # Every month's cells, the newest included, lie inside the section: none is cut off.
    outside = sorted({month for month, x0, x1, _ in table["cells"] if x0 < left or x1 > right})
    assert outside == [], f"months cut off: {outside[:3]}…{outside[-3:]}"
    assert table["page"][0] <= table["page"][1]  # and the page does not scroll sideways
    # Every month has a label of its own over its column ("J", or "Jul" where there is room),
    # none printed over another, and each year is written over its January.
    shown = [label for label in table["labels"] if label[4] > 0 and label[1]]
    assert len(shown) == len(months)
    for (_, _, _, end, *_), (_, _, start, *_) in zip(shown, shown[1:]):
        assert end <= start + 0.5, "month labels print over each other"
    top = min(cell[3] for cell in table["cells"])
    assert max(label[5] for label in shown) <= top + 0.5, "month labels print into the table"
    years = {year for year, *_ in table["labels"] if year}
    assert {month[:4] for month in months if month.endswith("-01")} <= years


# ---- 2. The details never cover the controls under the map ---------------------------------


def test_open_details_never_cover_the_pdf_button_or_the_timelines_legend(server, page):
    page.goto(f"{server}/?{README_LINK}&event={BOSO}")
    wait_for_page(page)
    panel = page.locator(".st-key-details_panel")
    panel.locator(".event-details").wait_for(timeout=20_000)
    page.get_by_text("Export view (PNG, PDF)").click()
    pdf = page.get_by_role("button", name="PDF of this view")
    pdf.wait_for(timeout=20_000)
    # Scrolled so that the button, then the legend, is in the window's middle: where the
    # panel stood when it stayed fixed in the window.
    pdf.evaluate("element => element.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    shot(page, "details-pdf")
    assert covered_points(page, pdf.element_handle()) == []
    legend = page.locator('[data-testid="stVegaLiteChart"] .role-legend').first
    legend.evaluate("element => element.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    shot(page, "details-legend")
    assert covered_points(page, legend.element_handle(), '[data-testid="stVegaLiteChart"]') == []
    # The details are still where the event is: over the map's right side.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator('[data-testid="stMain"]').evaluate("element => element.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    details = panel.bounding_box()
    shown = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert shown["x"] < details["x"] and details["x"] + details["width"] <= (
        shown["x"] + shown["width"]
    )
    assert shown["y"] <= details["y"] and details["y"] + details["height"] <= (
        shown["y"] + shown["height"]
    )


# ---- 3. The table: names, its telling columns in view; zone chips that differ ---------------


def test_the_table_reads_in_names_with_its_telling_columns_in_view(server, page):
    page.goto(f"{server}/?{README_LINK}")
    wait_for_page(page)
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, "table")
    rows = page.evaluate(TABLE_ROWS)
    header = rows[0][1]
    # What happened, its kind, when, who and where: all in view with no sideways scroll.
    # (The grid lists the columns at least partly in view: one after "zones" means "zones"
    # ends inside the table.)
    telling = ["title", "kind", "start", "end", "nations", "area", "zones"]
    assert header[: len(telling)] == telling
    assert len(header) > len(telling), "the zones column runs past the table's edge"
    cells = {name: [row[1][header.index(name)] for row in rows[1:]] for name in telling}
    # Kinds and areas by their names, as the legend and the map name them; nations by code.
    assert sorted(cells["kind"]) == ["Diplomacy", "Exercise", "Port call"]
    assert "Waters off the southern tip of the Boso Peninsula" in cells["area"]
    assert "Tokyo Bay" in cells["area"]
    identifiers = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)+$")
    assert [
        cell for name in ("kind", "area") for cell in cells[name] if identifiers.match(cell)
    ] == []
    assert all(re.fullmatch(r"[A-Z]{3}(, [A-Z]{3})*", cell) for cell in cells["nations"])


VISIBLE_CHIPS = """() => Array.from(document.querySelectorAll(
    '[data-testid="stSidebar"] .st-key-zones [data-tag] > span[title]')).map(chip => {
  // The characters of the chip's text drawn inside its box: what a reader sees of it.
  const box = chip.getBoundingClientRect();
  const text = chip.firstChild;
  let seen = "";
  for (let index = 0; index < text.length; index++) {
    const range = document.createRange();
    range.setStart(text, index);
    range.setEnd(text, index + 1);
    const at = range.getBoundingClientRect();
    if (at.width > 0 && at.right <= box.right + 0.5 && at.bottom <= box.bottom + 0.5) {
      seen += text.data[index];
    }
  }
  return seen;
})"""


def test_the_two_senkaku_zone_chips_read_differently(server, laptop):
    laptop.goto(f"{server}/?{SENKAKU_ZONES}")
    wait_for_page(laptop)
    chips = laptop.evaluate(VISIBLE_CHIPS)
    laptop.locator(".st-key-zones").scroll_into_view_if_needed()
    shot(laptop, "zone-chips")
    assert len(chips) == 2
    # What is seen of each chip differs, and names its kind of zone.
    assert chips[0] != chips[1]
    assert "Territorial sea" in chips[0] and "Contiguous zone" in chips[1]


# ---- 4. The link's copy button ------------------------------------------------------------

LINK_TEXT_UNDER_BUTTON = """() => {
  const block = document.querySelector('[data-testid="stCode"]');
  const button = block.querySelector('button').getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(block.querySelector('code'));
  const lines = Array.from(range.getClientRects()).filter(line => line.width > 0);
  return [lines.length, lines.filter(line => line.left < button.right && button.left < line.right
    && line.top < button.bottom && button.top < line.bottom).length];
}"""


def test_the_copy_button_leaves_the_links_text_clear(server, page):
    page.goto(f"{server}/?{SENKAKU_ZONES}")
    map_frame(page)
    page.get_by_text("Link to this view").click()
    page.get_by_role("button", name="Copy to clipboard").wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    shot(page, "copy-button")
    lines, under = page.evaluate(LINK_TEXT_UNDER_BUTTON)
    assert lines >= 2  # the link wraps
    assert under == 0


# ---- 5. The ticked row is always the open event ---------------------------------------------


def ticked(page) -> list[str]:
    """The ids of the ticked rows of the events table."""
    rows = page.evaluate(TABLE_ROWS)
    column = rows[0][1].index("id")
    return [cells[column] for tick, cells in rows[1:] if tick]


def tick_first_row(page) -> str:
    """Tick the table's first row (its checkbox: the grid is a canvas); return its id."""
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = table.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 36 + 17)
    page.locator(".st-key-details_panel .event-details").wait_for(timeout=20_000)
    page.wait_for_function(f"() => ({TABLE_ROWS})().some(([tick], index) => index && tick)")
    (opened,) = ticked(page)
    return opened


def test_closing_the_details_unticks_the_row(server, laptop):
    laptop.goto(f"{server}/?{README_LINK}")
    wait_for_page(laptop)
    opened = tick_first_row(laptop)
    assert opened in laptop.locator(".st-key-details_panel").inner_text()
    # The line under the table names the open event: its details are out of view from here.
    title = laptop.evaluate(TABLE_ROWS)[1][1][0]
    laptop.get_by_text(f"Open: {title}.", exact=False).wait_for(timeout=10_000)
    laptop.locator(".st-key-details_panel").get_by_role("button", name="Close details").click()
    laptop.locator(".st-key-details_panel").wait_for(state="detached", timeout=15_000)
    laptop.wait_for_timeout(1500)
    assert ticked(laptop) == []
    shot(laptop, "closed-unticked")


def test_a_timeline_drag_never_ticks_an_event_that_is_not_open(server, laptop):
    laptop.goto(f"{server}/?{README_LINK}")
    wait_for_page(laptop)
    opened = tick_first_row(laptop)  # the June diplomacy visit, first in date order
    # Drag across July 2024's bar: the visit is no longer listed, its row goes to another.
    bar = laptop.locator('[data-testid="stVegaLiteChart"] [aria-label*="month: 2024-07"]').first
    bar.evaluate("element => element.scrollIntoView({block: 'end'})")
    laptop.wait_for_timeout(500)
    box = bar.bounding_box()
    y = box["y"] + box["height"] / 2
    laptop.mouse.move(box["x"] + 1, y)
    laptop.mouse.down()
    laptop.mouse.move(box["x"] + box["width"] - 1, y, steps=6)
    laptop.mouse.up()
    laptop.wait_for_function(
        "() => new URLSearchParams(location.search).get('start') === '2024-07'", timeout=20_000
    )
    laptop.wait_for_function(f"() => ({TABLE_ROWS})().length === 3", timeout=20_000)
    laptop.wait_for_timeout(1500)
    shot(laptop, "drag-tick")
    rows = laptop.evaluate(TABLE_ROWS)
    listed = [cells[rows[0][1].index("id")] for _, cells in rows[1:]]
    assert opened not in listed
    open_now = laptop.evaluate("() => new URLSearchParams(location.search).get('event')")
    assert ticked(laptop) == ([open_now] if open_now in listed else [])


# ---- 6. Compare starts with the period just before the one shown -----------------------------


def test_compare_starts_with_the_months_just_before_the_ones_shown(server, laptop):
    laptop.goto(f"{server}/?{README_LINK}")
    wait_for_page(laptop)
    laptop.get_by_text("Compare with another period").click()
    laptop.wait_for_function(
        "() => new URLSearchParams(location.search).get('compare') !== null", timeout=20_000
    )
    shot(laptop, "compare")
    compare = laptop.evaluate("() => new URLSearchParams(location.search).get('compare')")
    assert compare == "2024-02..2024-04"  # three months, as B (2024-05..2024-07), just before
    sidebar = laptop.locator('[data-testid="stSidebar"]')
    assert "A overlaps" not in sidebar.inner_text()
