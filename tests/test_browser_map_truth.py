"""The map tells the truth at a glance (issue 24), at a laptop's 1366x768 and a desktop's
1920x1080: the month player shows a month's uncertainty circles and no other's, and no name is
hidden under an event, cut by the map's edge or covered by the player's month; a capital's
name outranks an area's.

Against the repository's own data (geodata/), and a crowded synthetic set for count circles.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browser import block_outside_requests, map_frame, streamlit_server

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
README_LINK = "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=34.9&lon=139.9&zoom=8"
TOKYO = [35.6247, 139.7885]  # the basemap's place (static/basemap/places.json)

# The uncertainty circles the map draws (on its canvas: the layers on the map), each as
# [lat, lon] of its middle (null for a large one drawn as a polygon). A circle's feature has
# its radius in metres ("r") or is a polygon with no fill ("f": 0): layers.map.data.
CIRCLES = """() => {
  const found = [];
  window.map.eachLayer(layer => {
    const p = layer.feature && layer.feature.properties;
    if (!p || !(p.r || p.f === 0)) { return; }
    const at = layer.getLatLng ? layer.getLatLng() : null;
    found.push(at ? [at.lat, at.lng] : null);
  });
  return found;
}"""
# Where each drawn event marker is, as [lat, lon].
MARKERS = """() => {
  const found = [];
  window.map.eachLayer(layer => {
    const p = layer.feature && layer.feature.properties;
    if (p && p.i && layer._radius !== undefined && layer._mRadius === undefined) {
      found.push([layer.getLatLng().lat, layer.getLatLng().lng]);
    }
  });
  return found;
}"""
# The boxes (page pixels, [left, top, right, bottom]) of what no label may cover: each event
# marker as drawn on the map's canvas (its radius and half its outline's width around its
# place) and each count circle (clusters.ClusterView, an element of its own).
OBSTACLES = """() => {
  const boxes = [], frame = window.map.getContainer().getBoundingClientRect();
  window.map.eachLayer(layer => {
    const p = layer.feature && layer.feature.properties;
    if (p && p.i && layer._radius !== undefined && layer._mRadius === undefined) {
      const at = window.map.latLngToContainerPoint(layer.getLatLng());
      const r = layer._radius + (layer.options.weight || 0) / 2;
      const x = frame.left + at.x, y = frame.top + at.y;
      boxes.push(["event " + p.i, x - r, y - r, x + r, y + r]);
    }
  });
  document.querySelectorAll(".event-cluster").forEach(circle => {
    const box = circle.getBoundingClientRect();
    boxes.push(["count " + circle.innerText, box.left, box.top, box.right, box.bottom]);
  });
  return boxes;
}"""
# Every name shown on the map (place names and area labels that are not thinned out), as
# [text, left, top, right, bottom] in page pixels.
NAMES = """() => Array.from(document.querySelectorAll(".basemap-label, .area-label"))
  .filter(element => !element.classList.contains("label-thinned"))
  .map(element => [element.innerText.replace(/\\n/g, " "), element.getBoundingClientRect()])
  .filter(([, box]) => box.width > 0 && box.height > 0)
  .map(([text, box]) => [text, box.left, box.top, box.right, box.bottom])"""
MAP_BOX = """() => { const box = window.map.getContainer().getBoundingClientRect();
  return [box.left, box.top, box.right, box.bottom]; }"""


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


def meet(a, b) -> bool:
    """Whether two [left, top, right, bottom] boxes overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box, frame) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and box[3] <= frame[3]


def laid_out(frame, page) -> None:
    """Wait for the label layout that follows the last change on the map."""
    frame.evaluate(
        """() => new Promise(done => {
          window.map.once("labelslaidout", done);
          setTimeout(done, 2000);
        })"""
    )
    page.wait_for_timeout(300)


def player_label(frame) -> list[str]:
    return frame.locator(".month-now").inner_text().split()


def on_a_marker(circle, markers) -> bool:
    """Whether a circle's middle is an event marker's place (circles are rounded to 4
    decimals, events to 5: layers.map.data)."""
    return any(abs(circle[0] - at[0]) < 1e-3 and abs(circle[1] - at[1]) < 1e-3 for at in markers)


def test_a_quiet_month_shows_no_uncertainty_circle(server, page):
    # 2018-12: one event, memoranda signed in Tokyo, placed to within 20 km; 2019-01 to -03:
    # none.
    page.goto(f"{server}/?start=2018-12&end=2019-03&lat=35.7&lon=139.7&zoom=7")
    frame = map_frame(page)
    player = frame.locator(".month-player")
    player.wait_for(timeout=20_000)
    frame.wait_for_function(f"() => ({CIRCLES})().length === 1", timeout=20_000)
    player.get_by_title("Next month").click()
    assert player_label(frame) == ["2018-12", "1", "event"]
    (circle,) = frame.evaluate(CIRCLES)
    assert on_a_marker(circle, frame.evaluate(MARKERS))
    player.get_by_title("Next month").click()
    assert player_label(frame) == ["2019-01", "no", "events"]
    assert frame.evaluate(CIRCLES) == []  # an empty month looks empty
    # With the trail (the two months before, faded), 2018-12's event and its circle stay
    # until 2019-03.
    player.locator('input[type="checkbox"]').check()
    assert len(frame.evaluate(CIRCLES)) == 1
    for month in ["2019-02", "2019-03"]:
        player.get_by_title("Next month").click()
        assert player_label(frame) == [month, "no", "events"]
    assert frame.evaluate(CIRCLES) == []
    player.get_by_title("Show every month again").click()
    assert len(frame.evaluate(CIRCLES)) == 1


def test_each_month_shows_the_circles_of_its_own_events_only(server, page):
    page.goto(f"{server}/?start=2024-05&end=2024-07&lat=28&lon=132&zoom=5")
    frame = map_frame(page)
    player = frame.locator(".month-player")
    player.wait_for(timeout=20_000)
    frame.wait_for_function(f"() => ({CIRCLES})().length > 5", timeout=20_000)
    every = len(frame.evaluate(CIRCLES))
    for month in ["2024-05", "2024-06", "2024-07"]:
        player.get_by_title("Next month").click()
        assert player_label(frame)[0] == month
        circles = frame.evaluate(CIRCLES)
        markers = frame.evaluate(MARKERS)
        assert 0 < len(circles) < every
        stray = [circle for circle in circles if circle and not on_a_marker(circle, markers)]
        assert stray == [], f"{month}: circles of events not shown in it"


def names_and_obstacles(frame, page):
    laid_out(frame, page)
    return frame.evaluate(NAMES), frame.evaluate(OBSTACLES), frame.evaluate(MAP_BOX)


def assert_clear_of_events(names, obstacles):
    covered = [
        (name[0], obstacle[0])
        for name in names
        for obstacle in obstacles
        if meet(name[1:], obstacle[1:])
    ]
    assert covered == [], "names under event markers or count circles"


# A place name shown on the map, by its name: [left, top, right, bottom] of its label and
# [x, y] of its dot (the place's mark, drawn before the name: basemap.py), in page pixels;
# null when it is not shown (thinned out, or not placed at this zoom).
PLACE_NAME = """name => {
  const label = Array.from(document.querySelectorAll(".basemap-label"))
    .find(element => element.querySelector(".basemap-name").textContent === name);
  if (!label || label.classList.contains("label-thinned")) { return null; }
  const box = label.getBoundingClientRect();
  const dot = getComputedStyle(label, "::before");
  const shift = (dot.translate === "none" ? "0px" : dot.translate).split(" ");
  return {box: [box.left, box.top, box.right, box.bottom],
          dot: [box.left + parseFloat(dot.left) + parseFloat(dot.width) / 2 + parseFloat(shift[0]),
                box.top + parseFloat(dot.top) + parseFloat(dot.height) / 2 +
                parseFloat(shift[1] || "0")]};
}"""
WHERE = """([lat, lon]) => {
  const at = window.map.latLngToContainerPoint([lat, lon]);
  const box = window.map.getContainer().getBoundingClientRect();
  return [box.left + at.x, box.top + at.y];
}"""


@pytest.mark.parametrize(
    "query",
    [
        README_LINK,  # the Hsun Hu 9's port call sits on Tokyo
        "lat=35.65&lon=139.8&zoom=10",  # and NATO's liaison office, and another port call
    ],
)
def test_a_city_with_an_event_on_it_keeps_its_name_beside_the_marker(server, page, query):
    page.goto(f"{server}/?{query}")
    frame = map_frame(page)
    frame.wait_for_function(
        f"() => ({MARKERS})().length > 0 && document.querySelectorAll('.basemap-label').length > 2",
        timeout=20_000,
    )
    names, obstacles, box = names_and_obstacles(frame, page)
    assert_clear_of_events(names, obstacles)
    tokyo = frame.evaluate(PLACE_NAME, "Tokyo")
    assert tokyo is not None, "Tokyo is not named"
    assert inside(tokyo["box"], box)
    # Its dot stays on the city (under the marker), not moved with the name.
    assert tokyo["dot"] == pytest.approx(frame.evaluate(WHERE, TOKYO), abs=2)


def test_an_areas_label_at_the_maps_edge_is_moved_inside_it(server, page):
    # Tokyo Bay's middle 12 px from the map's right edge: its label (100 px wide) would be
    # half off the map; it is moved in, whole.
    page.goto(f"{server}/?start=2024-05&end=2024-07&lat=35.4&lon=139.8&zoom=8")
    frame = map_frame(page)
    frame.wait_for_function(
        "() => Array.from(document.querySelectorAll('.area-label'))"
        ".some(label => label.textContent.startsWith('Tokyo Bay'))",
        timeout=20_000,
    )
    frame.evaluate(
        """() => {
          let middle = null;
          window.map.eachLayer(layer => {
            const tip = layer.getTooltip && layer.getTooltip();
            if (tip && tip.getElement() && tip.getElement().textContent.startsWith("Tokyo Bay")) {
              middle = window.map.latLngToContainerPoint(tip.getLatLng());
            }
          });
          const size = window.map.getSize();
          window.map.panBy([middle.x - (size.x - 12), middle.y - size.y / 2], {animate: false});
        }"""
    )
    page.wait_for_timeout(2500)  # the move's report, and the layers it brings, settle
    names, obstacles, box = names_and_obstacles(frame, page)
    bay = [name for name in names if name[0].startswith("Tokyo Bay")]
    assert bay, "Tokyo Bay is not named"
    cut = [name[0] for name in names if not inside(name[1:], box)]
    assert cut == []
    assert_clear_of_events(names, obstacles)


def test_the_players_month_covers_no_name(server, page):
    # Tokyo right under the month the player shows, at the top middle of the map.
    page.goto(f"{server}/?{README_LINK}")
    frame = map_frame(page)
    player = frame.locator(".month-player")
    player.wait_for(timeout=20_000)
    frame.wait_for_function(
        "() => Array.from(document.querySelectorAll('.basemap-label'))"
        ".some(label => label.textContent === 'Tokyo')",
        timeout=20_000,
    )
    frame.evaluate(
        """tokyo => {
          const at = window.map.latLngToContainerPoint(tokyo), size = window.map.getSize();
          window.map.panBy([at.x - size.x / 2 - 20, at.y - 30], {animate: false});
        }""",
        TOKYO,
    )
    page.wait_for_timeout(2500)
    for month in ["2024-05", "2024-06", "2024-07"]:
        player.get_by_title("Next month").click()
        assert player_label(frame)[0] == month
        laid_out(frame, page)
        month_box = frame.evaluate(
            """() => { const box = document.querySelector(".month-now").getBoundingClientRect();
              return [box.left, box.top, box.right, box.bottom]; }"""
        )
        names = frame.evaluate(NAMES)
        assert [name[0] for name in names if meet(name[1:], month_box)] == [], month
        assert_clear_of_events(names, frame.evaluate(OBSTACLES))


@pytest.mark.parametrize(
    "query",
    [
        # Only the Senkaku islands' area, in a month with no events: its three-language label
        # sat over Taipei's name.
        "start=2023-02&end=2023-02&layers=senkaku-waters&lat=24.5&lon=122.5&zoom=6",
        # The README's filters: a meeting on Taipei and the Senkaku islands' area.
        "start=2024-05&end=2024-07&nations=JPN,TWN&match=all&lat=24.5&lon=122.5&zoom=6",
    ],
)
def test_at_zoom_6_taipei_stays_named_beside_the_senkaku_label(server, page, query):
    page.goto(f"{server}/?{query}")
    frame = map_frame(page)
    frame.wait_for_function(
        "() => document.querySelectorAll('.basemap-label').length > 10 && "
        "Array.from(document.querySelectorAll('.area-label'))"
        ".some(label => label.textContent.startsWith('Senkaku'))",
        timeout=20_000,
    )
    names, obstacles, box = names_and_obstacles(frame, page)
    taipei = [name for name in names if name[0].startswith("Taipei")]
    assert taipei, "Taipei is not named"
    assert inside(taipei[0][1:], box)
    assert [
        name[0] for name in names if name is not taipei[0] and meet(name[1:], taipei[0][1:])
    ] == []
    assert_clear_of_events(names, obstacles)


@pytest.fixture(scope="module")
def crowded_server(tmp_path_factory):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from synthetic import write_synthetic

    root = write_synthetic(3500, tmp_path_factory.mktemp("crowded") / "geodata")
    with streamlit_server(root) as running:
        yield running.url


def test_no_name_is_hidden_under_a_count_circle(crowded_server, page):
    # 3,500 events around Taiwan and the East China Sea: counts per cell over the cities.
    page.goto(f"{crowded_server}/?lat=25&lon=121&zoom=6")
    frame = map_frame(page)
    frame.wait_for_function(
        "() => document.querySelectorAll('.event-cluster').length > 10 && "
        "document.querySelectorAll('.basemap-label').length > 10",
        timeout=60_000,
    )
    names, obstacles, box = names_and_obstacles(frame, page)
    assert len(names) > 5
    assert_clear_of_events(names, obstacles)
    assert [name[0] for name in names if not inside(name[1:], box)] == []


def test_the_players_month_covers_no_event_of_that_month(server, page):
    # A port call in Tokyo, panned to the top middle of the map where the month was shown.
    page.goto(f"{server}/?{README_LINK}")
    frame = map_frame(page)
    player = frame.locator(".month-player")
    player.wait_for(timeout=20_000)
    frame.evaluate(
        """tokyo => {
          const at = window.map.latLngToContainerPoint(tokyo), size = window.map.getSize();
          window.map.panBy([at.x - size.x / 2, at.y - 30], {animate: false});
        }""",
        TOKYO,
    )
    page.wait_for_timeout(1000)
    for month in ["2024-05", "2024-06", "2024-07"]:
        player.get_by_title("Next month").click()
        assert player_label(frame)[0] == month
        page.wait_for_timeout(500)
        month_box = frame.evaluate(
            """() => { const box = document.querySelector(".month-now").getBoundingClientRect();
              return [box.left, box.top, box.right, box.bottom]; }"""
        )
        covered = [box for box in frame.evaluate(OBSTACLES) if meet(box[-4:], month_box)]
        assert covered == [], month
