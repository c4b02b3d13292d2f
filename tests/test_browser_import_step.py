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
from browser import block_outside_requests, map_frame, streamlit_server
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
    page.get_by_role("option").first.wait_for(timeout=20_000)
    if typed:
        # The list narrows a moment after the text is in the box (slower on a loaded machine):
        # read it once every nation it lists has the typed text in its label.
        page.wait_for_function(
            """typed => {
              const nations = Array.from(document.querySelectorAll('[role="option"]'))
                .map(option => option.innerText).filter(text => /\\([A-Z]{3}\\)/.test(text));
              return nations.length > 0 && nations.every(text => text.includes(typed));
            }""",
            arg=typed,
            timeout=20_000,
        )
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
    # The typed name's chip becomes the nation's on the rerun the link already shows.
    expected = ["Japan (JPN) · 日本", "South Korea (KOR) · 대한민국"]
    for _ in range(50):
        chips = box.locator("[data-tag]").evaluate_all("tags => tags.map(t => t.ariaLabel)")
        if chips == expected:
            break
        page.wait_for_timeout(300)
    assert chips == expected, chips
    # A name two languages give to different nations is said, not chosen.
    box.locator("input").fill("Kongo")
    page.keyboard.press("Enter")
    warning = page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]')
    warning.wait_for(timeout=15_000)
    assert "names more than one nation" in warning.inner_text()
    assert "DR Congo (COD)" in warning.inner_text() and "Congo (COG)" in warning.inner_text()
    page.keyboard.press("Escape")
    shot(page, "nation-filter-chosen")


def grid_cells(editor) -> list[list[str]]:
    """The data editor's rows as its accessible table gives them (the grid is a canvas)."""
    return editor.locator("table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(c => c.innerText))"
    )


# A coast-guard log in Japanese: nations written as names (中国, 台湾, 日本, ロシア, known by
# their CLDR names) and as agencies (海上保安庁, 中国海警) that no name resolves. Repeated to
# 180 rows, so each rerun of the step (its preview reads every row) takes a while: long enough
# for the analyst to be typing in the grid while it runs.
COASTGUARD_ROWS = [
    ("18/07/2024", "巡視船", "海上保安庁", "25.8", "123.4", "警戒監視"),
    ("19/07/2024", "海警船", "中国海警", "25.7", "123.5", "領海侵入"),
    ("20/07/2024", "海警船", "中国", "25.7", "123.5", "魚釣島接続水域"),
    ("21/07/2024", "巡防艦", "台湾", "24.5", "122.0", "与那国島西方"),
    ("22/07/2024", "護衛艦", "日本", "34.9", "139.9", "房総半島沖"),
    ("23/07/2024", "駆逐艦", "ロシア", "33.8", "128.7", "対馬海峡"),
]
COASTGUARD_LOG = "日付,艦種,国籍,北緯,東経,備考\n" + "".join(
    ",".join(row) + "\n" for row in COASTGUARD_ROWS * 30
)


def open_cell(page, editor, row: int, column_share: float) -> None:
    """Open a cell of a data editor (a canvas: cells are found by position; the header and
    each row are 35 px high). A click selects a cell, or opens it when it is selected already;
    Enter opens a selected cell. A click while the grid is being redrawn is lost: again."""
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    cell = page.locator("#portal textarea").first
    for _ in range(10):
        page.mouse.click(box["x"] + box["width"] * column_share, box["y"] + 35 * (row + 1) + 17)
        try:
            cell.wait_for(timeout=400)
            return
        except playwright_api.TimeoutError:
            page.keyboard.press("Enter")
        try:
            cell.wait_for(timeout=600)
            return
        except playwright_api.TimeoutError:
            continue
    raise AssertionError(f"row {row}'s cell did not open")


# The page's last message to the server that asked for a run (a widget's new value), kept so a
# test can ask for the same run again: a rerun of the page with nothing changed, as any other
# widget's change or another session's data would bring, while the analyst is typing.
KEEP_LAST_RERUN = """(() => { const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if ((data.byteLength || 0) > 1000) { window.__lastRerun = [this, data]; }
    return send.call(this, data); }; })()"""
RERUN_AGAIN = "() => { const [socket, data] = window.__lastRerun; socket.send(data); }"


def compose(page, steps: list[str], pause: int, rerun: bool = False) -> None:
    """Type as an input method does (Japanese IME: n, に, にh, にほ, …, 日本), a step every
    `pause` ms, then commit the last text; with `rerun`, the page reruns at every step."""
    cdp = page.context.new_cdp_session(page)
    for text in steps:
        cdp.send(
            "Input.imeSetComposition",
            {"text": text, "selectionStart": len(text), "selectionEnd": len(text)},
        )
        if rerun:
            page.evaluate(RERUN_AGAIN)
        page.wait_for_timeout(pause)
    cdp.send("Input.insertText", {"text": steps[-1]})
    cdp.detach()


def step_text(page) -> str:
    return page.locator(".st-key-import_step").inner_text()


def open_import(page, server: str, tmp_path, kind: str | None = "Transit (every row)"):
    """The import step for the coast-guard log, with `kind` chosen for every row; the step."""
    path = tmp_path / "coastguard-ja.csv"
    path.write_text(COASTGUARD_LOG, encoding="utf-8")
    page.add_init_script(KEEP_LAST_RERUN)
    page.goto(server)
    map_frame(page)
    page.locator(UPLOADER).set_input_files(str(path))
    step = page.locator(".st-key-import_step")
    step.get_by_text("The file's", exact=False).first.wait_for(timeout=20_000)
    if kind:
        step.locator('[data-testid="stSelectbox"]').filter(has_text="Kind").click()
        page.get_by_role("option", name=kind).click()
        page.wait_for_function(
            "() => !document.querySelector('.st-key-import_step').innerText"
            ".includes('No column gives the kind')"
        )
    return step


def test_the_import_step_matches_nations_by_name_and_says_what_each_became(server, page, tmp_path):
    step = open_import(page, server, tmp_path)
    # 中国, 台湾, 日本 and ロシア need no values table: their rows are events.
    step.get_by_text("Preview of all 180 rows: 120 events, 60 problems").wait_for(timeout=20_000)
    text = step_text(page)
    for matched in (
        "中国 → China (CHN)",
        "台湾 → Taiwan (TWN)",
        "日本 → Japan (JPN)",
        "ロシア → Russia (RUS)",
    ):
        assert matched in text, matched
    editor = step.locator('[data-testid="stDataFrame"]').filter(has_text="in the file")
    assert [cells[0] for cells in grid_cells(editor)] == ["海上保安庁", "中国海警"]
    step.get_by_text("Nation values known by name", exact=False).scroll_into_view_if_needed()
    shot(page, "import-matched")


def test_each_problem_row_suggests_its_own_values_entry(server, page, tmp_path):
    step = open_import(page, server, tmp_path)
    problems = step.locator('[data-testid="stTable"]').filter(has_text="problem").last
    problems.locator("tbody tr").first.wait_for(timeout=20_000)
    rows = [row for row in problems.locator("tbody tr").all_inner_texts() if "nations" in row]
    by_value = {
        value: [row for row in rows if f'"{value}"' in row.split(" is ")[0].split(":")[0]]
        for value in ("海上保安庁", "中国海警")
    }
    assert by_value["中国海警"] and by_value["海上保安庁"], rows
    # Each names its own value, with the code it likely stands for (中国海警: China's coast
    # guard), or a place for the analyst's code: never another row's value.
    assert all('values = { "中国海警" = "CHN" }' in row for row in by_value["中国海警"]), rows
    assert all('values = { "海上保安庁" = "…" }' in row for row in by_value["海上保安庁"]), rows
    assert not any('"中国" = "CHN"' in row for row in rows), rows
    problems.scroll_into_view_if_needed()
    shot(page, "import-suggestions")


def test_a_name_typed_into_the_nations_grid_while_the_step_reruns_is_kept_and_matched(
    server, page, tmp_path
):
    step = open_import(page, server, tmp_path)
    editor = step.locator('[data-testid="stDataFrame"]').filter(has_text="in the file")
    values = [cells[0] for cells in grid_cells(editor)]
    coast_guard, china_coast_guard = values.index("海上保安庁"), values.index("中国海警")
    # Give 中国海警 a code (the step reruns), then type 日本 into 海上保安庁's cell slowly
    # through an input method while the page reruns at every keystroke.
    open_cell(page, editor, china_coast_guard, 0.45)
    page.keyboard.type("CHN", delay=120)
    page.wait_for_function("() => document.querySelector('#portal textarea').value === 'CHN'")
    page.keyboard.press("Enter")
    open_cell(page, editor, coast_guard, 0.45)
    compose(page, ["n", "に", "にh", "にほ", "にほn", "にほん", "日本"], pause=400, rerun=True)
    page.keyboard.press("Enter")
    page.wait_for_timeout(3000)
    cells = grid_cells(editor)
    assert (cells[coast_guard][1], cells[china_coast_guard][1]) == ("日本", "CHN"), cells
    # A name typed is a nation's: the step says which, and every row is an event.
    step.get_by_text("海上保安庁: 日本 → Japan (JPN)").wait_for(timeout=20_000)
    step.get_by_text("Preview of all 180 rows: 180 events, 0 problems").wait_for(timeout=20_000)
    editor.scroll_into_view_if_needed()
    shot(page, "import-grid")


def test_the_import_step_offers_date_forms_in_words_and_shows_a_value_read(server, page, tmp_path):
    step = open_import(page, server, tmp_path, kind=None)
    day_form = step.locator('[data-testid="stSelectbox"]').filter(has_text="Day form")
    # The guess (18/07/2024 has no 18th month: day first) shows in words, with a value read.
    assert day_form.locator("input").input_value() == "day/month/year · 18/07/2024"
    assert "18/07/2024 → 2024-07-18" in step_text(page)
    day_form.scroll_into_view_if_needed()
    day_form.click()
    options = page.get_by_role("option").all_inner_texts()
    for words in (
        "year-month-day · 2024-07-18",
        "month/day/year · 07/18/2024",
        "Japanese era or Minguo year · 令和6年7月18日",
        "other: write the form…",
    ):
        assert words in options, options
    shot(page, "import-date-forms")
    # Month first: the column's dates do not read that way, and the step says so.
    page.get_by_role("option", name="month/day/year · 07/18/2024").click()
    unread = step.get_by_text("None of the first values reads in this form", exact=False)
    unread.wait_for(timeout=20_000)
    unread.scroll_into_view_if_needed()
    shot(page, "import-date-form-month-first")
    day_form.click()
    page.get_by_role("option", name="day/month/year · 18/07/2024").click()
    step.get_by_text("18/07/2024 → 2024-07-18").wait_for(timeout=20_000)
    # The mapping keeps its strptime form.
    step.get_by_text("The mapping as TOML").click()
    toml = step.locator('[data-testid="stCode"]').last.inner_text()
    assert 'start = { column = "日付", format = "%d/%m/%Y" }' in toml, toml
