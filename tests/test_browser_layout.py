"""The page as an analyst reads it, at a laptop's 1366x768 and a desktop's 1920x1080: the map's
share of the page, details that leave it where it was, hover text inside it, labels that do
not overlap, quiet months in the player, and a timeline that follows the filters.

Against the repository's own data (geodata/), which has the README's example link.
"""

from __future__ import annotations

import pytest
from browser import block_outside_requests, map_frame

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
BOSO = "jcg-cga-boso-2024-07-18"
README_LINK = "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=34.9&lon=139.9&zoom=8"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Every visible permanent label in the map's frame, as [text, left, top, right, bottom].
VISIBLE_LABELS = """(selector) => Array.from(document.querySelectorAll(
  selector || '[class*="label-priority-"]'))
  .filter(element => !element.classList.contains("label-thinned"))
  .map(element => [element.innerText, element.getBoundingClientRect()])
  .filter(([, box]) => box.width > 0 && box.height > 0)
  .map(([text, box]) => [text, box.left, box.top, box.right, box.bottom])"""


@pytest.fixture(params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def page(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def box_of(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def wait_for_page(page) -> None:
    """The map, then the timeline and table (they come with the run after the first paint)."""
    page.get_by_text("Timeline", exact=True).wait_for(timeout=60_000)
    page.wait_for_timeout(800)


def test_the_map_takes_the_main_areas_width_and_most_of_the_window(server, page):
    page.goto(server)
    map_frame(page)
    wait_for_page(page)
    viewport = page.viewport_size
    main = box_of(page, '[data-testid="stMainBlockContainer"]')
    shown = box_of(page, MAP_IFRAME)
    assert shown["width"] >= main["width"] - 2 * 24 - 2  # all of it but the page's padding
    assert shown["height"] >= 0.75 * viewport["height"]
    assert shown["y"] >= 0 and shown["y"] + shown["height"] <= viewport["height"]
    # The Leaflet map inside fills the frame: nothing is cut off and no blank band is left.
    inner = map_frame(page).evaluate("() => [window.map.getSize().x, window.map.getSize().y]")
    assert abs(inner[0] - shown["width"]) <= 2 and abs(inner[1] - shown["height"]) <= 2


def test_opening_an_event_leaves_the_map_timeline_and_table_where_they_were(server, page):
    page.goto(f"{server}/?{README_LINK}")
    frame = map_frame(page)
    wait_for_page(page)
    map_before = box_of(page, MAP_IFRAME)
    timeline_before = box_of(page, '[data-testid="stVegaLiteChart"]')
    point = frame.evaluate(
        """id => {
          let found = null;
          window.map.eachLayer(layer => {
            if (layer.feature && layer.feature.properties.i === id && layer.getLatLng) {
              found = window.map.latLngToContainerPoint(layer.getLatLng());
            }
          });
          return found && {x: found.x, y: found.y};
        }""",
        BOSO,
    )
    page.mouse.click(map_before["x"] + point["x"], map_before["y"] + point["y"])
    panel = page.locator(".st-key-details_panel")
    panel.locator(".event-details").wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    assert box_of(page, MAP_IFRAME) == map_before
    assert box_of(page, '[data-testid="stVegaLiteChart"]') == timeline_before
    # The panel floats over the map, inside it, and scrolls on its own when the text is long.
    details = panel.bounding_box()
    assert map_before["x"] < details["x"] and details["x"] + details["width"] <= (
        map_before["x"] + map_before["width"]
    )
    assert details["y"] + details["height"] <= map_before["y"] + map_before["height"]
    # This record is longer than the panel at both sizes: the panel scrolls, the page does not.
    assert panel.evaluate("element => element.scrollHeight > element.clientHeight + 50")
    assert panel.evaluate("element => getComputedStyle(element).overflowY") == "auto"
    panel.get_by_role("button", name="Close details").click()
    panel.wait_for(state="detached", timeout=15_000)
    assert box_of(page, MAP_IFRAME) == map_before


MARKER_AT = """id => {
  let found = null;
  window.map.eachLayer(layer => {
    if (layer.feature && layer.feature.properties.i === id && layer.getLatLng) {
      found = window.map.latLngToContainerPoint(layer.getLatLng());
    }
  });
  return found && {x: found.x, y: found.y};
}"""


@pytest.mark.parametrize("edge", ["bottom", "top"])
def test_hover_text_stays_inside_the_map_near_its_edges(server, page, edge):
    # The Boso exercise put 18 px from the map's bottom or top edge, right of the middle
    # (clear of the legend and the player): Leaflet alone centres its hover text on the
    # pointer, half of it past the edge.
    page.goto(f"{server}/?start=2024-07&end=2024-07&lat=35.9&lon=138.5&zoom=8")
    frame = map_frame(page)
    page.wait_for_timeout(1500)
    width, height = frame.evaluate("() => [window.map.getSize().x, window.map.getSize().y]")
    target = [width * 0.6, height - 18 if edge == "bottom" else 18]
    at = frame.evaluate(MARKER_AT, BOSO)
    frame.evaluate(
        "shift => window.map.panBy(shift, {animate: false})",
        [at["x"] - target[0], at["y"] - target[1]],
    )
    page.wait_for_timeout(2500)  # the move's report, and the layers it brings, settle
    point = frame.evaluate(MARKER_AT, BOSO)
    shown = box_of(page, MAP_IFRAME)
    for step in (2, 0):  # into the marker, so Leaflet sees the pointer arrive over it
        page.mouse.move(shown["x"] + point["x"] + step, shown["y"] + point["y"])
    tip = frame.locator(".leaflet-tooltip.event-tip-box")
    tip.wait_for(timeout=10_000)
    page.wait_for_timeout(200)
    box = tip.bounding_box()  # in the page's coordinates, like `shown`
    assert "Boso" in tip.inner_text() and "JPN, TWN" in tip.inner_text()
    assert box["x"] >= shown["x"] and box["y"] >= shown["y"]
    assert box["x"] + box["width"] <= shown["x"] + shown["width"]
    assert box["y"] + box["height"] <= shown["y"] + shown["height"]
    assert box["width"] <= 280  # short lines that wrap, not one 440 px line


def labels_when_ready(page, url: str, ready: str, selector: str | None = None):
    """(the map's frame, VISIBLE_LABELS matching `selector`) once the map at `url` meets the
    script `ready` and its label layout has run."""
    page.goto(url)
    frame = map_frame(page)
    frame.wait_for_function(ready, timeout=20_000)
    page.wait_for_timeout(1000)
    return frame, frame.evaluate(VISIBLE_LABELS, selector)


def overlapping(labels: list) -> list[tuple[str, str]]:
    """The pairs of VISIBLE_LABELS' labels whose boxes overlap."""
    pairs = []
    for index, (text, *box) in enumerate(labels):
        for other, *other_box in labels[index + 1 :]:
            apart = (
                box[2] <= other_box[0]
                or other_box[2] <= box[0]
                or box[3] <= other_box[1]
                or other_box[3] <= box[1]
            )
            if not apart:
                pairs.append((text, other))
    return pairs


@pytest.mark.parametrize("query", ["zoom=2", "lat=22&lon=112&zoom=5"])
def test_edge_labels_and_place_names_never_print_over_each_other(server, page, query):
    """The graticule's degree labels along the bottom and left edges, place names and area
    names: none prints over another, zoomed far out (where 10° lines were closer than their
    labels are wide) or where the map's edge runs through towns (Hong Kong, Guangzhou)."""
    frame, labels = labels_when_ready(
        page,
        f"{server}/?{query}",
        """() => document.querySelectorAll('.graticule-label').length >= 6 &&
                 document.querySelectorAll('.basemap-label').length >= 3""",
        '[class*="label-priority-"], .graticule-label',
    )
    longitudes = [text for text, *_ in labels if text.endswith(("°E", "°W", "180°"))]
    assert len(longitudes) >= 4  # the edge still says where the map is
    assert overlapping(labels) == []
    # Each degree label is wholly inside the map, none half cut off at an edge, and none
    # under a control (zoom, layers, player, scale).
    hidden = frame.evaluate(
        """() => {
          const map = document.querySelector('.leaflet-container').getBoundingClientRect();
          const controls = Array.from(document.querySelectorAll('.leaflet-control'))
            .map(control => control.getBoundingClientRect());
          const meets = (a, b) => a.left < b.right && b.left < a.right &&
                                  a.top < b.bottom && b.top < a.bottom;
          return Array.from(document.querySelectorAll('.graticule-label')).filter(label => {
            const box = label.getBoundingClientRect();
            return box.left < map.left || box.right > map.right || box.top < map.top ||
                   box.bottom > map.bottom || controls.some(control => meets(box, control));
          }).map(label => label.innerText);
        }"""
    )
    assert hidden == []
    # The lines are far enough apart for their own labels: none is thinned for another.
    crowded = frame.evaluate(
        """() => Array.from(document.querySelectorAll('.graticule-label.label-thinned'))
          .map(label => label.innerText).filter(text => /°[EW]$|^180°$/.test(text))"""
    )
    assert crowded == []


def test_labels_at_the_readme_link_do_not_overlap_and_the_open_event_is_named(server, page):
    frame, labels = labels_when_ready(
        page,
        f"{server}/?{README_LINK}&event={BOSO}",
        """() => document.querySelector('.selected-label') &&
                 document.querySelectorAll('.area-label').length >= 2""",
    )
    texts = [text for text, *_ in labels]
    assert any(text.startswith("First Japan Coast Guard") for text in texts)
    assert overlapping(labels) == []
    # Thinned labels are there, not lost: pointing at an area shows its name again.
    assert frame.locator(".label-thinned").count() >= 1


def test_the_player_shows_a_quiet_month_as_no_events(server, page):
    # 2023-02 and 2023-03 have no events in the data; 2023-04 has one.
    page.goto(f"{server}/?start=2023-02&end=2023-05")
    frame = map_frame(page)
    player = frame.locator(".month-player")
    player.wait_for(timeout=20_000)
    player.get_by_title("Next month").click()
    label = frame.locator(".month-now")
    assert label.inner_text().split() == ["2023-02", "no", "events"]
    assert "quiet" in label.get_attribute("class")
    player.get_by_title("Next month").click()
    player.get_by_title("Next month").click()
    assert label.inner_text().split() == ["2023-04", "1", "event"]
    names = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [name.strip() for name in names if name.strip().startswith("2023")] == [
        "2023-02 (none)",
        "2023-03 (none)",
        "2023-04 (1)",
        "2023-05 (1)",
    ]


def test_the_timeline_follows_a_nation_filter_with_the_whole_faint_behind(server, page):
    page.goto(f"{server}/?nations=CAN")
    map_frame(page)
    wait_for_page(page)
    bars = page.locator('[data-testid="stVegaLiteChart"] [aria-label*="events shown"]')
    bars.first.wait_for(timeout=20_000)
    shown = {}
    for label in bars.evaluate_all("marks => marks.map(m => m.getAttribute('aria-label'))"):
        fields = dict(part.split(": ", 1) for part in label.split("; "))
        shown[fields["month"]] = shown.get(fields["month"], 0) + int(fields["events shown"])
    # Canada's three events: a 2023-09 transit, and two exercises running into June-August 2024.
    assert shown["2023-09"] == 1
    assert shown["2024-06"] == 2
    assert sum(shown.values()) < 12  # not the 12 events of every nation in 2024-06
    whole = page.locator('[data-testid="stVegaLiteChart"] [aria-label*="all events: 12"]')
    assert whole.count() == 1  # June 2024's whole count stands behind


def test_a_table_row_opens_its_details_over_the_map_and_the_row_stays_in_view(server, page):
    # The details sit over the map and move with it (issue 24: fixed in the window, they
    # covered the PDF button and the timeline's legend): the table does not move, its row is
    # ticked, and the line under it names the open event and says where its details are.
    page.goto(server)
    map_frame(page)
    wait_for_page(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    before = table.bounding_box()
    # The first row's checkbox cell (the grid is a canvas: click where the row is drawn).
    page.mouse.click(before["x"] + 16, before["y"] + 36 + 17)
    panel = page.locator(".st-key-details_panel")
    panel.locator(".event-details").wait_for(timeout=20_000)
    page.wait_for_timeout(800)
    after = table.bounding_box()
    assert abs(after["y"] - before["y"]) < 2  # the table did not move: its row is in view
    title = panel.locator(".event-details h3").first
    line = page.get_by_text("Its details are over the map, at the top of the page.")
    assert line.is_visible()
    assert title.inner_text().strip() in line.inner_text()
    shown = box_of(page, MAP_IFRAME)
    details = panel.bounding_box()
    assert shown["y"] <= details["y"] and details["y"] + details["height"] <= (
        shown["y"] + shown["height"]
    )


CONTROLS = """() => Object.fromEntries(
  [".leaflet-control-layers", ".month-player", ".map-legend", ".leaflet-control-scale"]
    .map(selector => {
      const box = document.querySelector(selector).getBoundingClientRect();
      return [selector, [box.left, box.top, box.right, box.bottom]];
    }))"""


def test_the_layer_list_legend_player_and_scale_never_cover_each_other(server, page):
    # Twenty months: a long layer list, opened.
    page.goto(f"{server}/?start=2023-01")
    frame = map_frame(page)
    frame.locator(".month-player").wait_for(timeout=20_000)
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-expanded").wait_for(timeout=5_000)
    boxes = frame.evaluate(CONTROLS)
    names = list(boxes)
    for index, name in enumerate(names):
        for other in names[index + 1 :]:
            a, b = boxes[name], boxes[other]
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, f"{name} covers {other}"


@pytest.mark.parametrize("query", ["zoom=2", "lat=22&lon=112&zoom=5", README_LINK])
def test_the_scales_text_stays_inside_its_bars(server, page, query):
    page.goto(f"{server}/?{query}")
    frame = map_frame(page)
    frame.locator(".leaflet-control-scale-line").first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)
    lines = frame.evaluate(
        """() => Array.from(document.querySelectorAll('.leaflet-control-scale-line'))
          .map(line => [line.textContent, line.scrollWidth, line.clientWidth])"""
    )
    assert [text for text, *_ in lines if text.endswith("km")]  # the metric bar is there
    for text, needed, width in lines:
        assert needed <= width, f"{text!r} needs {needed} px in a bar {width} px wide"


def test_the_links_copy_button_shows_without_pointing_at_it(server, page):
    page.goto(server)
    map_frame(page)
    page.get_by_text("Link to this view").click()
    button = page.get_by_role("button", name="Copy to clipboard")
    button.wait_for(timeout=10_000)
    page.mouse.move(0, 0)  # the pointer away from the code block
    page.wait_for_timeout(300)
    shown = button.evaluate(
        """button => {
          let opacity = 1;
          for (let element = button; element; element = element.parentElement) {
            const style = getComputedStyle(element);
            if (style.visibility === "hidden" || style.display === "none") { return 0; }
            opacity *= Number(style.opacity);
          }
          return opacity;
        }"""
    )
    assert shown == 1


def test_an_open_event_of_several_points_is_named_once(server, page):
    # The CCG's Senkaku presence is one event of eight points.
    page.goto(f"{server}/?start=2024-05&lat=25&lon=125&zoom=5&event=ccg-senkaku-presence-2024")
    frame = map_frame(page)
    frame.wait_for_selector(".selected-label", state="attached", timeout=20_000)
    page.wait_for_timeout(1000)
    names = frame.locator(".selected-label")
    assert names.count() == 1
    assert "Senkaku" in names.inner_text()
