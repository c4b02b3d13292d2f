"""The dashboard in headless Chromium against a real `streamlit run`, with no network.

Each test opens the app with every request that leaves 127.0.0.1 blocked and fails if one was
attempted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import (
    LAND_DRAWN,
    MAP_FRAME,
    REPRESENTED_EVENTS,
    block_outside_requests,
    drawn_event_ids,
    map_frame,
    streamlit_server,
    wait_for_drawn,
    wait_for_page_map_drawn,
)
from conftest import REPO, collection, compare_dataset, event, small_dataset, write_geodata

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

ALL_EVENTS = ["boso", "ccg-senkaku", "strait-transit"]
# The sidebar's two file uploaders: events and lists, and navigational warnings.
UPLOADER = '.st-key-uploads [data-testid="stFileUploaderDropzoneInput"]'
WARNINGS_UPLOADER = '[class*="st-key-navwarn_file_"] [data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = small_dataset(tmp_path_factory.mktemp("browser") / "geodata")
    with streamlit_server(root) as running:
        yield running.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.outside_requests = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors
    yield page
    assert page.outside_requests == [], "requests tried to leave the machine"
    context.close()


def choose(page, label: str, option: str) -> None:
    """Pick an option in the sidebar multiselect whose label starts with `label`."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    box.locator("input").click()
    page.get_by_role("option", name=option).click()
    page.keyboard.press("Escape")


def test_the_map_paints_every_event_on_the_offline_basemap(server, page, tmp_path):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    page.wait_for_timeout(1000)
    assert "?" not in page.url  # the default view is a plain address
    frame.wait_for_function(LAND_DRAWN, timeout=15_000)
    legend = frame.locator(".map-legend")
    assert "Incident (grey zone)" in legend.inner_text()
    page.wait_for_timeout(500)
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 50_000
    assert page.page_errors == []


def test_the_guard_records_and_stops_a_request_that_leaves_the_machine(server, browser):
    # The guard the other tests rely on: were it broken, "no request left" would prove nothing.
    context = browser.new_context()
    page = context.new_page()
    outside = block_outside_requests(page)
    page.goto(server)
    frame = map_frame(page)
    reached = frame.evaluate(
        """() => fetch("http://93.184.215.14/tile.png", {mode: "no-cors"})
                   .then(() => true, () => false)"""
    )
    context.close()
    assert reached is False
    assert outside == ["http://93.184.215.14/tile.png"]


def test_changing_a_filter_changes_the_map_and_the_address(server, page):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    choose(page, "Kinds", "Transit")
    wait_for_drawn(frame, ["strait-transit"])
    page.wait_for_function("() => location.search.includes('kinds=transit')")


def test_clicking_a_feature_opens_its_details(server, page):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    point = frame.evaluate(
        """() => {
          let found = null;
          window.map.eachLayer(layer => {
            if (layer.feature && layer.feature.properties.i === "ccg-senkaku" && layer.getLatLng) {
              found = window.map.latLngToContainerPoint(layer.getLatLng());
            }
          });
          return found && {x: found.x, y: found.y};
        }"""
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    details = page.locator(".event-details")
    details.wait_for(timeout=15_000)
    assert "China Coast Guard in Senkaku waters" in details.inner_text()
    assert "May 2024 (month only)" in details.inner_text()
    page.wait_for_function("() => location.search.includes('event=ccg-senkaku')")


def test_a_click_during_a_zoom_animation_still_opens_its_event(server, page):
    # The zoom is reported when its animation starts; the click must not be lost when the
    # map arrives and that report is not repeated.
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    page.wait_for_timeout(1000)
    frame.evaluate(
        """() => new Promise(done => {
          const map = window.map;
          let event = null;
          map.eachLayer(layer => {
            const p = layer.feature && layer.feature.properties;
            if (p && p.i === "ccg-senkaku" && layer.getLatLng) { event = layer; }
          });
          map.once("zoomanim", () => setTimeout(() => {
            // Up to its group, as a real click goes.
            event.fire("click", {latlng: event.getLatLng()}, true);
            done();
          }, 30));
          map.setZoom(map.getZoom() + 1);
        })"""
    )
    details = page.locator(".event-details")
    details.wait_for(timeout=15_000)
    assert "Senkaku" in details.inner_text()


def test_a_link_opens_at_its_view_with_the_event_open(server, page):
    page.goto(f"{server}/?kinds=exercise,transit&lat=34.8&lon=139.8&zoom=7&event=boso")
    frame = map_frame(page)
    wait_for_drawn(frame, ["boso", "strait-transit"])
    center = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    assert center == pytest.approx([34.8, 139.8], abs=0.05)
    assert frame.evaluate("() => window.map.getZoom()") == 7
    assert "JCG and Taiwan CGA joint exercise" in page.locator(".event-details").inner_text()
    choose(page, "Kinds", "Incident (grey zone)")
    wait_for_drawn(frame, ALL_EVENTS)
    page.wait_for_function("() => location.search.includes('kinds=exercise%2Ctransit%2Cincident')")
    changed = page.url
    page.goto(changed)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    assert frame.evaluate("() => window.map.getZoom()") == 7
    assert "JCG and Taiwan CGA joint exercise" in page.locator(".event-details").inner_text()
    assert sorted(drawn_event_ids(frame)) == ALL_EVENTS


def test_the_map_zooms_only_as_far_as_a_link_can_say(server, page):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    frame.evaluate("() => window.map.setZoom(17)")
    frame.wait_for_function("() => window.map.getZoom() === 14", timeout=10_000)
    page.wait_for_function("() => location.search.includes('zoom=14')", timeout=15_000)
    frame.evaluate("() => window.map.setZoom(0)")
    frame.wait_for_function("() => window.map.getZoom() === 2", timeout=10_000)
    page.wait_for_function("() => location.search.includes('zoom=2')", timeout=15_000)


# The colour of a pixel of the basemap's land tiles at a position, [r, g, b, a] (a is 0 where
# no land is drawn: the sea is the map's background). Each tile is a canvas of its own.
BASEMAP_PIXEL = """([lat, lon]) => {
  const point = window.map.latLngToContainerPoint([lat, lon]);
  const mapBox = window.map.getContainer().getBoundingClientRect();
  const x = point.x + mapBox.left, y = point.y + mapBox.top;
  const canvas = Array.from(document.querySelectorAll(".leaflet-basemap-pane canvas"))
    .find(tile => {
      const box = tile.getBoundingClientRect();
      return tile.style.opacity !== "0" && box.left <= x && x < box.right && box.top <= y &&
        y < box.bottom;
    });
  if (!canvas) { return null; }
  const box = canvas.getBoundingClientRect(), ratio = canvas.width / box.width;
  return Array.from(canvas.getContext("2d").getImageData(
    Math.floor((x - box.left) * ratio), Math.floor((y - box.top) * ratio), 1, 1).data);
}"""


@pytest.mark.parametrize(
    ("zoom", "land", "sea"),
    [
        (12, (35.07, 139.97), (35.12, 139.73)),  # Boso Peninsula; the Uraga Channel
        (14, (35.27, 139.66), (35.31, 139.72)),  # Yokosuka, Hemi; the bay off it
    ],
)
def test_zoomed_in_on_tokyo_bay_the_basemap_paints_land_from_its_own_tiles(
    server, page, zoom, land, sea
):
    answers = []
    page.on(
        "response",
        lambda r: answers.append((r.status, r.url)) if "/app/static/basemap/" in r.url else None,
    )
    # Opened over Osaka Bay and moved to Tokyo Bay: the first view's land comes in the page
    # with the map (tests/test_browser_tiles.py), a later view's is fetched from the app.
    page.goto(f"{server}/?lat=34.6&lon=135.3&zoom={zoom}")
    frame = map_frame(page)
    frame.wait_for_function(
        "() => (window.map.getContainer().getAttribute('data-basemap') || '').startsWith('z9:')",
        timeout=20_000,
    )
    drawn = frame.evaluate("() => window.__basemapDrawnAt")
    frame.evaluate("(zoom) => window.map.setView([35.2, 139.8], zoom, {animate: false})", zoom)
    frame.wait_for_function("(drawn) => window.__basemapDrawnAt > drawn", arg=drawn)
    frame.evaluate("([lat, lon]) => window.map.setView([lat, lon], window.map.getZoom())", land)
    frame.wait_for_timeout(1000)
    tiles = [url for _, url in answers if "/land/9/" in url]
    assert tiles and all(status == 200 for status, _ in answers), answers
    assert frame.evaluate(BASEMAP_PIXEL, list(land)) == [0xF4, 0xF1, 0xEA, 255]  # land colour
    assert frame.evaluate(BASEMAP_PIXEL, list(sea))[3] == 0  # nothing drawn: the sea
    assert page.page_errors == []


def test_beyond_the_basemaps_region_the_map_is_grey_not_sea(server, page):
    page.goto(f"{server}/?lat=27&lon=135&zoom=2")
    frame = map_frame(page)
    frame.wait_for_function(LAND_DRAWN, timeout=20_000)
    page.wait_for_timeout(500)
    pixel = frame.evaluate(
        """([lat, lon]) => {
          const canvas = document.querySelector(".leaflet-basemapLines-pane canvas");
          const point = window.map.latLngToContainerPoint([lat, lon]);
          const box = canvas.getBoundingClientRect(), map = window.map.getContainer()
            .getBoundingClientRect(), ratio = canvas.width / box.width;
          return Array.from(canvas.getContext("2d").getImageData(
            Math.floor((point.x + map.left - box.left) * ratio),
            Math.floor((point.y + map.top - box.top) * ratio), 1, 1).data);
        }""",
        [5, 45],  # off Somalia, between graticule lines: no land data in the basemap
    )
    assert pixel == [0xDC, 0xDC, 0xD8, 255]


def test_place_names_are_labelled_as_text_without_overlapping(server, page):
    page.goto(f"{server}/?lat=24.0&lon=120.5&zoom=7")
    frame = map_frame(page)
    frame.wait_for_function("() => document.querySelectorAll('.basemap-label').length > 10")
    labels = frame.evaluate(
        """() => Array.from(document.querySelectorAll(".basemap-label")).map(label => {
             const box = label.getBoundingClientRect();
             return {text: label.textContent, html: label.innerHTML,
                     box: [box.left, box.top, box.right, box.bottom]};
           })"""
    )
    texts = [label["text"] for label in labels]
    assert "Kaohsiung 高雄" in texts and "Taiwan Strait" in texts
    for label in labels:  # text in spans, nothing else
        assert (
            label["html"]
            .replace('<span class="basemap-name">', "")
            .replace('<span class="basemap-local">', "")
            .replace("</span>", "")
            == label["text"]
        )
    boxes = [label["box"] for label in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_x <= 1 or overlap_y <= 1, (a, b)


def test_panning_writes_the_position_into_the_address_without_jumping_back(server, page):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    page.wait_for_timeout(800)
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 200, y + 120, steps=8)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('lat=')", timeout=15_000)
    page.wait_for_timeout(2000)  # inertia settles; a rerun that re-centred the map shows by now
    moved = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    page.wait_for_timeout(1500)
    still = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    assert still == pytest.approx(moved, abs=1e-6)
    assert moved[1] > 131  # dragged left: the map moved east of the default 130°E
    params = {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}
    assert float(params["lat"]) == pytest.approx(moved[0], abs=0.01)
    assert float(params["lon"]) == pytest.approx(moved[1], abs=0.01)


def test_the_month_player_shows_each_month_in_turn(server, page):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    player = frame.locator(".month-player")
    player.locator("select").select_option("500")
    player.get_by_title("Play the months").click()
    seen = []
    for expected, month in (
        (["ccg-senkaku"], "2024-05"),
        (["strait-transit"], "2024-06"),
        (["boso"], "2024-07"),
    ):
        wait_for_drawn(frame, expected, timeout=5_000)
        assert frame.locator(".month-now").inner_text().startswith(month)
        seen.append(month)
    assert seen == ["2024-05", "2024-06", "2024-07"]
    player.get_by_title("Show every month again").click()
    wait_for_drawn(frame, ALL_EVENTS)
    assert not frame.locator(".month-now").is_visible()


def test_the_density_layer_draws_its_cells_with_a_legend_and_goes_with_its_checkbox(server, page):
    page.goto(f"{server}/?density=1&lat=27&lon=130&zoom=4")
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)  # the events are still there, under the cells
    cells = frame.locator(".leaflet-density-pane img")
    cells.wait_for(timeout=15_000)
    assert cells.evaluate("image => image.complete && image.naturalWidth > 0")
    legend = frame.locator(".density-legend")
    title, *classes = legend.inner_text().splitlines()
    assert title.startswith("Events per cell (cells ≈ ") and title.endswith(" km)")
    assert classes == ["1"]  # three events, none sharing a cell
    page.get_by_text("Show event density").click()
    legend.wait_for(state="detached", timeout=15_000)
    assert "density" not in page.url
    assert not frame.locator(".leaflet-density-pane img").count()
    assert page.page_errors == []


def test_the_link_to_this_view_is_the_address_of_this_view(server, page):
    page.goto(f"{server}/?kinds=transit&zoom=5&lat=25&lon=121")
    frame = map_frame(page)
    wait_for_drawn(frame, ["strait-transit"])
    page.get_by_text("Link to this view").click()
    code = page.locator('[data-testid="stCode"]').first
    code.wait_for(timeout=10_000)
    link = urlsplit(code.inner_text().strip())
    address = urlsplit(page.url)
    assert (link.scheme, link.netloc, link.path) == (address.scheme, address.netloc, "/")
    assert parse_qs(link.query) == parse_qs(address.query)


HOSTILE = '<img src=x onerror="window.__pwned=1" data-pwned>'
HOSTILE_SCRIPT = "<script>window.__pwned=2</script>"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from conftest import area, collection, event, write_geodata

    root = write_geodata(
        tmp_path_factory.mktemp("hostile") / "geodata",
        {
            "hostile.geojson": collection(
                event(
                    "hostile",
                    title=HOSTILE,
                    summary=HOSTILE_SCRIPT,
                    forces=[HOSTILE],
                    area="evil-area",
                    sources=[{"title": HOSTILE, "url": "javascript:window.__pwned=3"}],
                )
            )
        },
        {"areas.geojson": collection(area("evil-area", name=HOSTILE, alt_names=[HOSTILE_SCRIPT]))},
    )
    with streamlit_server(root) as running:
        yield running.url


def assert_nothing_ran(page, frame):
    for context in (page, frame):
        assert context.evaluate("() => window.__pwned") is None
        assert context.evaluate("() => document.querySelectorAll('[data-pwned]').length") == 0


def test_hostile_text_is_shown_as_text_and_nothing_runs(hostile_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_server}/?event=hostile&zoom=7&lat=34.8&lon=139.8")
    frame = map_frame(page)
    wait_for_drawn(frame, ["hostile"])
    details = page.locator(".event-details")
    assert HOSTILE in details.inner_text() and HOSTILE_SCRIPT in details.inner_text()
    assert details.locator("a").count() == 0  # the javascript: URL is not a link
    # Its text, whether or not the label layout thinned it out beside the open event's name.
    labels = frame.locator(".area-label").all_text_contents()
    assert any(HOSTILE in label for label in labels)
    # Hover the event: its tooltip shows the title as text.
    point = frame.evaluate(
        """() => { let p = null; window.map.eachLayer(l => {
          if (l.feature && l.feature.properties.i === "hostile" && l.getLatLng) {
            p = window.map.latLngToContainerPoint(l.getLatLng()); } });
          return {x: p.x, y: p.y}; }"""
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = frame.locator(".event-tip")
    tooltip.wait_for(timeout=5_000)
    assert HOSTILE in tooltip.inner_text()
    # An uploaded CSV with the same payloads is shown as text too.
    csv_text = (
        "id,title,kind,start,end,nations,lat,lon,forces,source_title,source_url\n"
        f'uploaded-hostile,"{HOSTILE.replace(chr(34), chr(34) * 2)}",incident,2024-07-18,,CHN,'
        f"34.9,139.9,=cmd|' /C calc'!A0,{HOSTILE_SCRIPT},\"data:text/html;base64,PHNjcmlwdD4=\"\n"
    )
    csv_path = tmp_path / "hostile.csv"
    csv_path.write_text(csv_text, encoding="utf-8")
    page.locator(UPLOADER).set_input_files(str(csv_path))
    wait_for_drawn(frame, ["hostile", "uploaded-hostile"], timeout=20_000)
    page.wait_for_timeout(1000)
    assert_nothing_ran(page, frame)
    assert dialogs == []
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)


def test_brushing_the_timeline_sets_the_months_and_the_table_follows(server, page):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = chart.bounding_box()
    y = box["y"] + box["height"] * 0.4
    # Three months, 2024-05 … 2024-07, share the plot: drag over the first two bars.
    page.mouse.move(box["x"] + box["width"] * 0.08, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=8)
    page.mouse.up()
    page.get_by_text("Events (2)").wait_for(timeout=15_000)
    page.wait_for_function(
        "() => location.search.includes('end=2024-06') && !location.search.includes('start=')"
    )
    wait_for_drawn(frame, ["ccg-senkaku", "strait-transit"])


@pytest.fixture(scope="module")
def crowded_server(tmp_path_factory):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from synthetic import write_synthetic

    root = write_synthetic(3500, tmp_path_factory.mktemp("crowded") / "geodata")
    with streamlit_server(root) as running:
        yield running.url


def test_many_events_show_as_counts_that_add_up_and_open_on_click(crowded_server, page):
    page.goto(crowded_server)
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({REPRESENTED_EVENTS})() === 3500", timeout=60_000)
    clusters = frame.locator(".event-cluster")
    assert 5 < clusters.count() < 200  # one circle per cell, not one per cell and month
    biggest = max(range(clusters.count()), key=lambda i: int(clusters.nth(i).inner_text()))
    zoom = frame.evaluate("() => window.map.getZoom()")
    clusters.nth(biggest).hover()
    tip = frame.locator(".event-tip")
    tip.wait_for(timeout=5_000)
    assert "events in 24 months" in tip.inner_text() and "Patrol" in tip.inner_text()
    clusters.nth(biggest).click()
    frame.wait_for_function(f"() => window.map.getZoom() === {zoom + 2}", timeout=10_000)
    # A circle is not an event: the click zooms in and opens nothing (the map reports no
    # clicked object to the server, which would rerun the map for it).
    assert frame.evaluate("() => window.__GLOBAL_DATA__.last_object_clicked") is None
    page.wait_for_function(f"() => location.search.includes('zoom={zoom + 2}')", timeout=15_000)
    # The zoom was reported when its animation began; the address holds where it ended.
    page.wait_for_timeout(1000)
    center = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    params = {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}
    assert [float(params["lat"]), float(params["lon"])] == pytest.approx(center, abs=0.01)


CIRCLES_OUTSIDE = """(pad) => {
  const view = window.map.getBounds().pad(pad);
  let inside = 0, outside = 0;
  window.map.eachLayer(layer => {
    if (!(layer.feature && layer.feature.properties.n)) { return; }
    if (view.contains(layer.getLatLng())) { inside += 1; } else { outside += 1; }
  });
  return [inside, outside];
}"""


def test_count_circles_follow_a_pan_and_come_back_with_it(crowded_server, page):
    # Zoomed in enough that the window the server sends (twice the view) is not the region.
    page.goto(f"{crowded_server}/?lat=25&lon=125&zoom=6")
    frame = map_frame(page)
    frame.wait_for_function(f"() => ({CIRCLES_OUTSIDE})(0.26)[0] > 0", timeout=60_000)
    page.wait_for_timeout(1000)
    represented = frame.evaluate(REPRESENTED_EVENTS)
    # Half a view east: the circles are those in the new view (and a quarter view around it),
    # none left behind from the old one.
    # Counted 50 ms after the pan: the browser's own redraw, before the server could answer.
    inside, outside = frame.evaluate(
        f"""() => new Promise(done => {{
          window.map.panBy([window.map.getSize().x / 2, 0], {{animate: false}});
          setTimeout(() => done(({CIRCLES_OUTSIDE})(0.26)), 50);
        }})"""
    )
    assert inside > 0 and outside == 0
    # Back where it was: the same events are counted in circles again.
    frame.evaluate(
        "() => { window.map.panBy([-window.map.getSize().x / 2, 0], {animate: false}); }"
    )
    frame.wait_for_function(f"() => ({REPRESENTED_EVENTS})() === {represented}", timeout=20_000)


def test_filter_changes_do_not_pile_up_old_layers(server, page):
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    count = frame.evaluate("() => window.feature_group.length")
    choose(page, "Kinds", "Transit")
    wait_for_drawn(frame, ["strait-transit"])
    choose(page, "Kinds", "Exercise")
    wait_for_drawn(frame, ["boso", "strait-transit"])
    assert frame.evaluate("() => window.feature_group.length") <= count
    assert frame.evaluate("() => window.feature_group.every(g => window.map.hasLayer(g))")


SIGHTINGS = Path(__file__).resolve().parent.parent / "docs/examples/import"
SIGHTING_IDS = [f"sightings-ja-{row}" for row in (2, 3, 4, 5)]


def edit_cell(page, editor, row: int, column_share: float, text: str) -> None:
    """Type into a cell of a data editor (a canvas: cells are found by position)."""
    editor.scroll_into_view_if_needed()
    cell = page.locator("#portal textarea").first
    for _ in range(10):
        box = editor.bounding_box()
        # The header and each row are 35 px high. A click selects the cell (or, when it is
        # selected already, opens its text box) and Enter opens it; a click while the editor
        # is still being redrawn is lost: again.
        page.mouse.click(box["x"] + box["width"] * column_share, box["y"] + 35 * (row + 1) + 17)
        page.wait_for_timeout(300)
        if not cell.is_visible():
            page.keyboard.press("Enter")
        try:
            cell.wait_for(timeout=1_000)
            break
        except playwright_api.TimeoutError:
            continue
    cell.fill(text)
    page.keyboard.press("Enter")


def test_a_list_in_other_columns_is_imported_through_the_import_step(server, browser, tmp_path):
    # The analyst's screen: 1366×768.
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    outside = block_outside_requests(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    uploader = page.locator(UPLOADER)
    uploader.set_input_files(str(SIGHTINGS / "sightings-ja.csv"))
    step = page.locator(".st-key-import_step")
    step.get_by_text("The file's", exact=False).first.wait_for(timeout=20_000)
    notes = step.locator('[data-testid="stAlert"]').first
    assert "No column gives the kind" in notes.inner_text()
    page.screenshot(path=str(tmp_path / "import-step.png"))
    # Correct the kind guess: every row of this log is a transit.
    step.locator('[data-testid="stSelectbox"]').filter(has_text="Kind").click()
    page.get_by_role("option", name="Transit (every row)").click()
    page.wait_for_function(
        "() => !document.querySelector('.st-key-import_step').innerText"
        ".includes('No column gives the kind')"
    )
    # The nation values are names the import knows in Japanese (CLDR): nothing to type, and
    # the step says what each became.
    matched = step.get_by_text("Nation values known by name", exact=False)
    matched.wait_for(timeout=20_000)
    assert "中国 → China (CHN)" in matched.inner_text()
    assert "ロシア → Russia (RUS)" in matched.inner_text()
    step.get_by_text("Preview of all 5 rows: 4 events, 1 problem").wait_for(timeout=20_000)
    # The preview draws them, marked uploaded, on a map of its own.
    preview = step.locator(MAP_FRAME).element_handle().content_frame()
    preview.wait_for_function("() => !!window.map")
    wait_for_drawn(preview, SIGHTING_IDS)
    step.get_by_role("button", name="Add to the map").click()
    step.wait_for(state="detached", timeout=20_000)
    wait_for_page_map_drawn(page, ALL_EVENTS + SIGHTING_IDS)
    page.get_by_text("Added 4 events from sightings-ja.csv").wait_for()
    assert outside == [] and errors == []
    context.close()


def test_an_imported_list_shows_hostile_names_and_values_as_text(hostile_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_server)
    frame = map_frame(page)
    wait_for_drawn(frame, ["hostile"])
    link = "[click](javascript:window.__pwned=4)"
    header = f'"{HOSTILE.replace(chr(34), chr(34) * 2)}",{HOSTILE_SCRIPT},{link},date,lat,lon'
    row = f'"{HOSTILE.replace(chr(34), chr(34) * 2)}",{HOSTILE_SCRIPT},{link},2024-07-18,34.9,139.9'
    path = tmp_path / "![x](http 1.2.3.4 x.png) list.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    page.locator(UPLOADER).set_input_files(str(path))
    step = page.locator(".st-key-import_step")
    step.get_by_text("The file's", exact=False).first.wait_for(timeout=20_000)
    assert "![x](http 1.2.3.4 x.png) list.csv" in step.locator("h3").inner_text()
    step.locator('[data-testid="stSelectbox"]').filter(has_text="Title").click()
    options = page.get_by_role("option").all_inner_texts()
    assert HOSTILE in options and HOSTILE_SCRIPT in options and link in options
    page.keyboard.press("Escape")
    page.wait_for_timeout(1000)
    assert_nothing_ran(page, frame)
    assert dialogs == [] and step.locator("a").count() == 0


NAVWARN_TEXT = (REPO / "docs/examples/navwarn/warnings.txt").read_text(encoding="utf-8")
# Where each warning's areas are on the map (south, west, north, east), as Leaflet holds them.
LAYER_BOUNDS = """ids => { const found = {}; window.map.eachLayer(layer => {
  const p = layer.feature && layer.feature.properties;
  if (p && ids.includes(p.i) && layer.getBounds) { const b = layer.getBounds();
    found[p.i] = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; } });
  return found; }"""


def paste_warnings(page, text: str):
    """Paste warnings into the sidebar's text area; the warnings step, once it has read them."""
    page.get_by_text("Add navigational warnings").click()
    area = page.locator(".st-key-navwarn_text textarea")
    area.fill(text)
    area.press("Control+Enter")  # Streamlit takes a text area's value on Ctrl+Enter or blur
    return page.locator(".st-key-navwarn_step")


def test_pasted_warnings_are_previewed_then_drawn_where_their_coordinates_put_them(server, page):
    from layers.read.navwarn import import_warnings, read_warnings, warning_id

    warnings = {warning.number: warning_id(warning) for warning in read_warnings(NAVWARN_TEXT)}
    events, _ = import_warnings([(NAVWARN_TEXT, None, None, None)], "w.txt")
    ids = sorted(events["id"])
    assert len(ids) == 7
    page.goto(server)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS)
    step = paste_warnings(page, NAVWARN_TEXT)
    step.get_by_text("10 warnings found: 7 events, 2 problems").wait_for(timeout=20_000)
    rows = step.locator('[data-testid="stTable"]').first.inner_text()
    assert "闽航警0123/24" in rows and "航行警報 第1234号" in rows
    preview = step.locator(MAP_FRAME).element_handle().content_frame()
    preview.wait_for_function("() => !!window.map")
    wait_for_drawn(preview, ids)
    step.get_by_role("button", name="Add to the map").click()
    step.wait_for(state="detached", timeout=20_000)
    frame = map_frame(page)
    wait_for_drawn(frame, ALL_EVENTS + ids, timeout=20_000)
    page.get_by_text("Added 7 events from pasted warnings").wait_for()
    # Each area as its coordinates put it: 24-10.00N 118-30.00E … 23-40.00N 119-05.00E, and
    # FJ0987/24's two areas from 23-58.00N 118-40.00E to 24-20.00N 119-08.00E.
    strait = [warnings["闽航警0123/24"], warnings["FJ0987/24"]]
    bounds = frame.evaluate(LAYER_BOUNDS, strait)
    assert bounds[strait[0]] == pytest.approx([23 + 40 / 60, 118.5, 24 + 10 / 60, 119 + 5 / 60])
    assert bounds[strait[1]] == pytest.approx(
        [23 + 58 / 60, 118 + 40 / 60, 24 + 20 / 60, 119 + 8 / 60]
    )
    assert page.page_errors == []


def test_a_hostile_csv_of_warnings_shows_its_name_and_cells_as_text(hostile_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_server)
    frame = map_frame(page)
    wait_for_drawn(frame, ["hostile"])
    link = "[click](javascript:window.__pwned=5)"
    first, second = NAVWARN_TEXT.split("\n\n")[:2]
    path = tmp_path / "![x](http 1.2.3.4 x.png) warnings.csv"
    path.write_text(
        "text,link,published\n"
        f'"{first}",javascript:window.__pwned=6,{link}\n'
        f'"{second}",https://example.org/0456,2024-06-01\n',
        encoding="utf-8",
    )
    page.get_by_text("Add navigational warnings").click()
    page.locator(WARNINGS_UPLOADER).set_input_files(str(path))
    step = page.locator(".st-key-navwarn_step")
    step.get_by_text("2 warnings found: 2 events, 2 problems").wait_for(timeout=20_000)
    assert "![x](http 1.2.3.4 x.png) warnings.csv" in step.inner_text()
    assert link in step.locator('[data-testid="stTable"]').nth(1).inner_text()
    page.wait_for_timeout(1000)
    assert_nothing_ran(page, frame)
    assert dialogs == [] and step.locator("a").count() == 0


@pytest.fixture(scope="module")
def zone_server(tmp_path_factory):
    """The Senkaku zones on file; one event in the 12 nm sea, one possibly (a 100 km circle),
    one far away."""
    here = {"type": "Point", "coordinates": [123.5, 25.75]}
    root = write_geodata(
        tmp_path_factory.mktemp("zones") / "geodata",
        {
            "z.geojson": collection(
                event("in-sea", location_precision_km=None, geometry=here),
                event("maybe-sea", start="2024-07-20", location_precision_km=100, geometry=here),
                event("far-away", start="2024-07-22", location_precision_km=None),
            )
        },
        {},
    )
    (root / "areas" / "senkaku.geojson").write_text(
        (REPO / "geodata" / "areas" / "senkaku.geojson").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with streamlit_server(root) as running:
        yield running.url


def test_a_zones_link_shows_only_the_tagged_events(zone_server, page):
    page.goto(f"{zone_server}/?zones=senkaku-territorial-sea&event=in-sea")
    frame = map_frame(page)
    wait_for_drawn(frame, ["in-sea"])
    details = page.locator(".event-details")
    assert "Zones\tIn: Senkaku / Diaoyu / Tiaoyutai Islands: 12 nm" in details.inner_text()
    page.goto(f"{zone_server}/?zones=senkaku-territorial-sea&possibly=1")
    wait_for_drawn(map_frame(page), ["in-sea", "maybe-sea"])
    assert page.page_errors == []


def chart_cell(page, description: str):
    """The cell of an altair heat table whose description (Vega writes it as the cell's ARIA
    label, see layers/analysis/charts.py) starts with `description`, scrolled into view: found
    by what it says, wherever the layout and the coalition order put it."""
    label = f'path[role="graphics-symbol"][aria-label^="{description}"]'
    cell = page.locator(label)
    cell.wait_for(timeout=20_000)
    cell.scroll_into_view_if_needed()
    return cell


def open_analysis(page, label: str) -> None:
    """Open an analysis section (closed sections are not drawn) and wait for its chart."""
    page.get_by_text("Timeline", exact=True).wait_for(timeout=30_000)
    page.locator('[data-testid="stExpander"] summary').filter(has_text=label).click()
    page.locator('[data-testid="stExpander"] [data-testid="stVegaLiteChart"]').wait_for(
        timeout=15_000
    )
    page.wait_for_timeout(500)


def test_clicking_a_cell_of_the_nations_matrix_shows_that_pair_together(server, page):
    page.goto(server)
    wait_for_drawn(map_frame(page), ALL_EVENTS)
    open_analysis(page, "Who works with whom")
    chart_cell(page, "Canada with United States: 1 event").click()
    page.get_by_text("Events (1)").wait_for(timeout=15_000)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('nations') === 'CAN,USA'"
        " && new URLSearchParams(location.search).get('match') === 'all'"
    )


def test_clicking_a_row_of_the_area_table_selects_its_layer_and_zone(zone_server, page):
    page.goto(f"{zone_server}/?layers=")  # every area layer off: the click turns its area on
    frame = map_frame(page)
    wait_for_drawn(frame, ["far-away", "in-sea", "maybe-sea"])
    open_analysis(page, "Activity by area")
    # The table's one row (the 12 nm sea) has one month, 2024-07, with the event in it.
    # The area named short, its kind first (layers.analysis.zones.short_area_name).
    chart_cell(page, "Territorial sea (12 nm): Senkaku / Diaoyu / Tiaoyutai Islands").click()
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('zones') === 'senkaku-territorial-sea'"
        " && new URLSearchParams(location.search).get('layers') === 'senkaku-territorial-sea'"
    )
    wait_for_drawn(frame, ["in-sea"])


@pytest.fixture(scope="module")
def compare_server(tmp_path_factory):
    root = compare_dataset(tmp_path_factory.mktemp("compare") / "geodata")
    with streamlit_server(root) as running:
        yield running.url


# The rows of the data grid whose header holds `header` (Streamlit's grid draws on a canvas and
# keeps an accessible table of the same cells beside it), or null while there is none.
GRID_ROWS = """header => {
  const grid = Array.from(document.querySelectorAll('table[role="grid"]'))
    .find(table => table.querySelector("thead").textContent.includes(header));
  return grid ? Array.from(grid.querySelectorAll("tr"))
    .map(row => Array.from(row.children).map(cell => cell.textContent)) : null;
}"""
# What the change map draws: per area or cell title, its counts in A and B and its label.
CHANGE_SHAPES = """() => { const found = []; window.map.eachLayer(layer => {
  const p = layer.feature && layer.feature.properties;
  if (p && p.k !== undefined && p.a !== undefined) { found.push([p.t, p.a, p.b, p.l]); } });
  return found.sort(); }"""


def test_a_compare_link_shows_the_table_and_switches_to_the_change_map(compare_server, page):
    page.goto(f"{compare_server}/?start=2024-07&compare=2024-05")
    frame = map_frame(page)
    wait_for_drawn(frame, ["b-bay", "b-bay-2", "b-maybe", "b-none", "b-sea"])
    page.get_by_text("Compare two periods").wait_for(timeout=30_000)
    page.wait_for_function(f"() => ({GRID_ROWS})('B − A') !== null", timeout=15_000)
    assert page.evaluate(GRID_ROWS, "B − A") == [
        ["area", "kind", "A 2024-05", "B 2024-07", "B − A", "change", "A possibly", "B possibly"],
        ["(no named area)", "Exercise", "1", "1", "0", "same", "0", "0"],
        ["Big sea", "Exercise", "2", "3", "1", "more", "0", "0"],
        ["Small bay", "Exercise", "1", "2", "1", "more", "0", "0"],
        ["A strait", "Exercise", "0", "0", "0", "same", "0", "1"],
    ]

    page.get_by_text("change from A to B").click()
    legend = frame.locator(".change-legend")
    legend.wait_for(timeout=15_000)
    page.wait_for_function("() => location.search.includes('show=change')")
    assert legend.inner_text().startswith("Change from A to B by named area")
    assert "A 2024-05 (compared with) → B 2024-07 (shown)" in legend.inner_text()
    assert "In no named area: 1 in A, 1 in B." in legend.inner_text()
    # The same figures as the table, per area; the strait only possibly, so unlabelled.
    assert frame.evaluate(CHANGE_SHAPES) == [
        ["A strait", 0, 0, ""],
        ["Big sea", 2, 3, "+1"],
        ["Small bay", 1, 2, "+1"],
    ]
    assert drawn_event_ids(frame) == []  # the change replaces the events
    # Hovering the bay (drawn over the sea) shows its counts.
    spot = frame.evaluate(
        "() => { const p = window.map.latLngToContainerPoint([25.2, 124.8]); return [p.x, p.y]; }"
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + spot[0], box["y"] + spot[1])
    tip = frame.locator(".event-tip")
    tip.wait_for(timeout=5_000)
    assert tip.inner_text().split("\n") == [
        "Small bay",
        "+1 (twice as many or more)",
        "A 2024-05: 1 event",
        "B 2024-07: 2 events",
    ]

    # Zoomed in, the change is per grid cell: the bay's two July events share a cell.
    frame.evaluate("() => window.map.setView([25.5, 124.5], 6)")
    frame.wait_for_function(
        "() => document.querySelector('.change-legend b').textContent.includes('grid cell')",
        timeout=15_000,
    )
    cells = frame.evaluate(CHANGE_SHAPES)
    assert ["+1 (twice as many or more)", 1, 2, "+1"] in cells
    assert ["Gone: only in A", 1, 0, "−1"] in cells  # a-sea, at 121°E 21°N
    assert page.page_errors == []


def test_place_names_are_in_the_pages_language_where_natural_earth_gives_one(server, page):
    page.goto(f"{server}/?lat=24.0&lon=120.5&zoom=7&lang=zh-TW")
    frame = map_frame(page)
    frame.wait_for_function("() => document.querySelectorAll('.basemap-label').length > 10")
    texts = frame.evaluate(
        "() => Array.from(document.querySelectorAll('.basemap-label')).map(l => l.textContent)"
    )
    # Traditional names where Natural Earth writes one (once: not beside the same local name),
    # the English with its local name where it gives a Simplified one, seas in English.
    assert {"高雄", "臺北", "Xiamen 厦门", "Taiwan Strait"} <= set(texts), texts
    assert "Kaohsiung 高雄" not in texts
    assert frame.locator(".basemap-name[lang='zh-TW']", has_text="高雄").count() == 1
