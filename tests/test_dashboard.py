"""The dashboard as an analyst drives it, through Streamlit's AppTest (no browser)."""

import contextlib
import csv
import datetime as dt
import io
import json
import re

import pytest
from conftest import REPO, area, collection, event, small_dataset, write_geodata
from streamlit.testing.v1 import AppTest

from dashboard_ui.messages import NO_EVENTS_YET
from layers.i18n import language
from layers.read.mapping import mapping_toml, parse_mapping

APP = str(REPO / "dashboard.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    with contextlib.ExitStack() as stack:

        def start(root=None, **query):
            monkeypatch.setenv("GEODATA_DIR", str(root or small_dataset(tmp_path / "geodata")))
            if "lang" in query:
                # AppTest formats a widget's value with its format_func in the test's own
                # thread, to find it among the options the page showed: the test reads in the
                # page's language too, as the page's session does.
                stack.enter_context(language(query["lang"]))
            at = AppTest.from_file(APP, default_timeout=60)
            for key, value in query.items():
                at.query_params[key] = value
            return run_as_browser(at)

        yield start


def run_as_browser(at):
    """Start a session: in a browser the map reports its position once drawn, which reruns
    the script; AppTest has no map, so a second run stands in for that report."""
    return at.run().run()


def events_table(at):
    """The events table under the map (the import step's preview has no "file" column)."""
    return next(
        frame.value for frame in at.dataframe if {"title", "file"} <= set(frame.value.columns)
    )


def table_ids(at):
    return list(events_table(at)["id"])


def multiselect(at, label):
    return next(widget for widget in at.multiselect if widget.label.startswith(label))


def test_the_dashboard_shows_every_event_in_the_table(app):
    at = app()
    assert not at.exception
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]
    assert (at.sidebar.metric[0].label, at.sidebar.metric[0].value) == ("Events shown, of 3", "3")


def test_the_map_comes_first_and_the_timeline_and_table_follow(tmp_path, monkeypatch):
    monkeypatch.setenv("GEODATA_DIR", str(small_dataset(tmp_path / "geodata")))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.dataframe and not at.subheader  # only the sidebar and the map so far
    assert any("follow as soon as the map has drawn" in c.value for c in at.caption)
    at.run()  # the map's first report
    assert [header.value for header in at.subheader] == [
        "Timeline",
        "Events (3)",
        "Analyses",
    ]
    # Each analysis is a section, closed (and not computed) until opened.
    assert [section.label for section in at.main.expander] == [
        "Draw, measure and buffer",
        "Who works with whom",
        "Activity by area",
    ]
    assert len(at.get("vega_lite_chart")) == 1  # the timeline only
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]


def test_choosing_a_nation_filters_the_table_and_writes_the_url(app):
    at = app()
    multiselect(at, "Participating nations").select("CAN").run()
    assert table_ids(at) == ["strait-transit"]
    assert at.sidebar.metric[0].value == "1"
    assert at.query_params["nations"] == "CAN"


def test_kinds_and_months_filter_together(app):
    at = app()
    multiselect(at, "Kinds").select("incident").select("exercise").run()
    assert table_ids(at) == ["ccg-senkaku", "boso"]
    selectbox(at, "From").set_value("2024-06").run()
    assert table_ids(at) == ["boso"]
    assert at.query_params["start"] == "2024-06"


def test_nations_all_requires_every_nation(app):
    at = app(nations="CAN,USA", match="all")
    assert table_ids(at) == ["strait-transit"]
    at.radio[0].set_value("any").run()
    multiselect(at, "Participating nations").select("JPN").run()
    assert table_ids(at) == ["strait-transit", "boso"]


def test_an_empty_result_says_so_instead_of_breaking(app):
    at = app(kinds="port_call")
    assert not at.exception
    assert any("No events match" in info.value for info in at.info)
    assert len(events_table(at)) == 0


def test_data_problems_are_listed_naming_the_file_and_valid_events_still_show(app, tmp_path):
    root = write_geodata(
        tmp_path / "bad",
        {
            "good.geojson": collection(event("fine")),
            "broken.geojson": '{"type": "FeatureCollection", "features": [',
            "mixed.geojson": collection(event("no-date", start="2024-13-01"), event("ok-too")),
        },
    )
    at = app(root)
    assert not at.exception
    assert table_ids(at) == ["fine", "ok-too"]
    assert any(
        "The data has 2 problems; 2 features or files are not shown" in warning.value
        for warning in at.warning
    )
    problems = next(frame.value for frame in at.dataframe if "problem" in frame.value.columns)
    rows = problems.to_dict("records")
    assert {"file": "events/broken.geojson", "feature": "", "field": ""}.items() <= rows[0].items()
    assert rows[0]["problem"].startswith("not valid JSON")
    assert rows[1]["feature"] == 'feature "no-date" (#1)' and rows[1]["field"] == "start"


def test_a_link_opens_its_event_details(app):
    at = app(event="boso")
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "JCG and Taiwan CGA joint exercise" in html
    assert "18 July 2024" in html


def test_a_bad_link_parameter_warns_and_keeps_the_rest(app):
    at = app(nations="JPN,XXX", kinds="exercise,transit", zoom="99")
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Link parameter 'nations'") for w in warnings)
    assert any(w.startswith("Link parameter 'zoom'") for w in warnings)
    assert table_ids(at) == ["boso"]  # JPN and both kinds still apply


def test_a_link_with_one_unknown_nation_shows_the_known_nations_events(app):
    at = app(nations="XXX,CAN")
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "Link parameter 'nations': 'XXX' is not an ISO 3166-1 alpha-3 code; left out"
    ]
    assert table_ids(at) == ["strait-transit"]
    assert at.sidebar.metric[0].value == "1"
    assert multiselect(at, "Participating nations").value == ["CAN"]
    assert at.query_params["nations"] == "CAN"


def test_a_link_reaching_past_the_datas_months_shows_up_to_the_last_and_says_so(app):
    # A colleague's link made on more data (end=2030-12): the To list ends at the data's last
    # month; before, it showed its first month and the map that one month.
    at = app(end="2030-12")
    assert not at.exception
    to = next(widget for widget in at.selectbox if widget.label == "To")
    assert to.value == to.options[-1]
    assert table_ids(at) == ["ccg-senkaku", "strait-transit", "boso"]
    assert [w.value for w in at.warning] == [
        f"Link parameter 'end': 2030-12 is outside the data's months ({to.options[0]} to "
        f"{to.options[-1]}); showing the nearest"
    ]


def test_reset_returns_to_the_default_view(app):
    at = app(kinds="transit")
    assert table_ids(at) == ["strait-transit"]
    next(b for b in at.sidebar.button if b.label == "Reset view").click().run()
    assert len(table_ids(at)) == 3
    assert dict(at.query_params) == {}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"start": "2024-06"}, ["strait-transit", "boso"]),
        ({"end": "2024-06"}, ["ccg-senkaku", "strait-transit"]),
        ({"nations": "CHN"}, ["ccg-senkaku"]),
        ({"nations": "JPN,CAN", "match": "all"}, []),
        ({"kinds": "transit,incident"}, ["ccg-senkaku", "strait-transit"]),
        # Typed with a Japanese or Chinese input method: full-width digits, letters, commas.
        ({"start": "２０２４－０６"}, ["strait-transit", "boso"]),
        ({"end": "2024-06", "nations": "ＣＨＮ，ＣＡＮ"}, ["ccg-senkaku", "strait-transit"]),
    ],
)
def test_the_table_matches_the_filters_the_link_names(app, query, expected):
    at = app(**query)
    assert not at.warning
    assert table_ids(at) == expected


@pytest.mark.parametrize(
    ("bad", "name"),
    [
        ({"nations": "ZZZ"}, "nations"),
        ({"start": "2024-13"}, "start"),
        ({"zoom": "99"}, "zoom"),
        ({"lat": "abc", "lon": "130"}, "lat"),
        ({"event": "not-in-the-data"}, "event"),
        ({"start": "2024-07", "end": "2024-05"}, "start"),
        ({"kinds": "x" * 10_000}, "kinds"),
        ({"layers": "atlantis"}, "layers"),
    ],
)
def test_each_bad_link_value_warns_once_and_only_that_parameter_falls_back(app, bad, name):
    at = app(**bad, kinds="transit") if "kinds" not in bad else app(**bad, nations="CAN")
    warnings = [warning.value for warning in at.warning if "Link parameter" in warning.value]
    assert len(warnings) == 1 and warnings[0].startswith(f"Link parameter '{name}'")
    assert not at.exception
    assert table_ids(at) == ["strait-transit"]  # the good parameter still applies


def test_a_repeated_parameter_warns_and_falls_back(app, tmp_path, monkeypatch):
    monkeypatch.setenv("GEODATA_DIR", str(small_dataset(tmp_path / "g")))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kinds"] = ["transit", "incident"]
    run_as_browser(at)
    assert any("Link parameter 'kinds': is given more than once" in w.value for w in at.warning)
    assert len(table_ids(at)) == 3


def test_layers_and_colour_are_read_from_the_link(app):
    at = app(layers="", colour="month")
    assert multiselect(at, "Map layers").value == []
    assert at.radio[1].value == "month"


def test_the_density_toggle_follows_the_link_and_writes_it(app):
    at = app(density="1")
    density = next(box for box in at.checkbox if box.label == "Show event density")
    assert density.value is True
    density.set_value(False).run()
    assert "density" not in at.query_params
    next(box for box in at.checkbox if box.label == "Show event density").check().run()
    assert at.query_params["density"] == "1"
    assert not at.exception


def test_the_sidebar_offers_the_link_and_the_page_stamps_the_data_version(app):
    at = app(kinds="transit", zoom="6", lat="25", lon="121")
    link = at.code[0].value  # inside the "Link to this view" popover, under the map
    assert link.endswith("?kinds=transit&lat=25&lon=121&zoom=6")
    stamp = " ".join(caption.value for caption in at.caption)
    assert "Data version" in stamp and "3 events, newest starts 2024-07-18" in stamp


def test_downloads_appear_when_asked_for(app):
    at = app(kinds="transit")
    assert not at.get("download_button")
    next(toggle for toggle in at.toggle if toggle.label.startswith("Download")).set_value(
        True
    ).run()
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["GeoJSON (1 events)", "CSV (1 events)"]


def test_export_offers_a_png_and_a_pdf_when_asked_for(app):
    at = app(kinds="transit")
    assert not at.get("download_button")
    next(toggle for toggle in at.toggle if toggle.label.startswith("Export view")).set_value(
        True
    ).run()
    assert not at.exception
    buttons = [button.proto for button in at.get("download_button")]
    assert [button.label for button in buttons] == ["PNG of this view", "PDF of this view"]


def test_an_uploaded_csv_joins_the_table_for_this_session_and_its_problems_are_listed(
    app, tmp_path
):
    root = small_dataset(tmp_path / "geodata")
    at = app(root)
    csv_text = (
        "id,title,kind,start,end,nations,lat,lon,source_title\n"
        "my-sighting,Sighting <b>bold</b>,incident,2024-06-05,,CHN,25.8,123.5,Team log\n"
        "boso,Clash with a file id,incident,2024-06-05,,CHN,25.8,123.5,Team log\n"
        "broken,Bad date,incident,2024-13-05,,CHN,25.8,123.5,Team log\n"
    )
    at.sidebar.get("file_uploader")[0].upload("log.csv", csv_text.encode(), "text/csv").run()
    assert not at.exception
    assert "my-sighting" in table_ids(at)
    table = events_table(at)
    assert table.loc[table["id"] == "my-sighting", "file"].item() == "upload: log.csv"
    assert table.loc[table["id"] == "my-sighting", "title"].item() == "Sighting <b>bold</b>"
    problems = next(frame.value for frame in at.dataframe if "problem" in frame.value.columns)
    assert list(problems["feature"]) == ['row "boso" (#3)', 'row "broken" (#4)']
    assert "already used in events/a.geojson" in problems["problem"].iloc[0]
    # The data on disk is untouched, and a new session does not see the upload.
    assert sorted(path.name for path in (root / "events").iterdir()) == ["a.geojson"]
    assert "my-sighting" not in table_ids(app(root))


def test_the_hostile_examples_show_their_valid_events_and_every_problem(app):
    at = app(REPO / "docs/examples/hostile")
    assert not at.exception
    assert sorted(table_ids(at)) == [
        "bay-of-bengal-exercise",
        "valid-boso-exercise",
        "valid-strait-transit",
    ]
    assert any(
        "The data has 11 problems; 7 features or files are not shown" in warning.value
        for warning in at.warning
    )
    problems = next(frame.value for frame in at.dataframe if "problem" in frame.value.columns)
    assert len(problems) == 11 and not problems["problem"].str.contains("\n").any()


# --- the import step: lists in other columns, read with a mapping ------------------------------
EXAMPLES = REPO / "docs" / "examples" / "import"


def upload(at, *names):
    files = [(name, (EXAMPLES / name).read_bytes(), "application/octet-stream") for name in names]
    at.sidebar.get("file_uploader")[0].set_value(files).run()
    assert not at.exception
    return at


def selectbox(at, label):
    return next(widget for widget in at.selectbox if widget.label == label)


def button(at, label):
    return next(widget for widget in at.button if widget.label == label)


def problems_table(at):
    return next(
        frame.value
        for frame in at.dataframe
        if "problem" in frame.value.columns and "feature" in frame.value.columns
    )


def uploaded_ids(at, name):
    table = events_table(at)
    return list(table.loc[table["file"] == f"upload: {name}", "id"])


@pytest.fixture
def downloads(monkeypatch):
    """The bytes each download button was given, by file name (a button that makes its file
    on click is given what its callable makes)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    given = {}
    keep = MemoryMediaFileStorage.load_and_get_id
    keep_deferred = MediaFileManager.add_deferred

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        given[filename] = path_or_data
        return keep(self, path_or_data, mimetype, kind, filename)

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        given[file_name] = data_callable()
        return keep_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return given


def test_a_list_uploaded_with_its_mapping_adds_its_events_and_reports_the_bad_row(app):
    at = upload(app(REPO / "geodata"), "strait-transits.csv", "strait-transits.mapping.toml")
    # The mapping is used as it is, still editable: no guessing.
    assert selectbox(at, "Title").value == "Ships"
    assert selectbox(at, "Kind").value == "\0kind:transit"
    assert at.radio(key=next(r.key for r in at.radio if r.label == "Position from")).value == "area"
    assert any("Preview** of all 7 rows: 6 events, 1 problem" in m.value for m in at.markdown)
    assert uploaded_ids(at, "strait-transits.csv") == []  # not before "Add to the map"
    button(at, "Add to the map").click().run()
    assert not at.exception
    assert len(uploaded_ids(at, "strait-transits.csv")) == 6
    assert not any(subheader.value.startswith("Import") for subheader in at.subheader)
    rows = problems_table(at).to_dict("records")
    assert [(row["file"], row["feature"], row["field"]) for row in rows] == [
        ("upload: strait-transits.csv", "row #8", "start")
    ]
    assert '"2024/10/32" is not a date' in rows[0]["problem"]


def test_a_list_in_other_columns_opens_the_import_step_with_its_guesses(app, downloads):
    at = upload(app(REPO / "geodata"), "sightings-ja.csv")
    assert [s.value for s in at.subheader][0] == "Import sightings\\-ja\\.csv"
    assert selectbox(at, "Start date").value == "日付"
    # The date form guessed from the values (18/07/2024: day first), as the list offers it.
    assert selectbox(at, "Day form").value == "%d/%m/%Y"
    assert any("18/07/2024 → 2024-07-18" in caption.value for caption in at.caption)
    assert (selectbox(at, "Latitude").value, selectbox(at, "Longitude").value) == ("北緯", "東経")
    assert selectbox(at, "Nations").value == "国籍"
    assert selectbox(at, "Kind").value == "\0none"
    notes = " ".join(warning.value for warning in at.warning)
    assert "No column gives the kind" in notes and "nation value" not in notes
    # 中国 and ロシア are CLDR's Chinese and Japanese names: known, with nothing to give, and
    # the step says what each became.
    assert not any("nations" in frame.key for frame in at.data_editor)
    known = " ".join(caption.value for caption in at.caption)
    assert "中国 → China (CHN)" in known and "ロシア → Russia (RUS)" in known
    # The analyst gives the kind.
    selectbox(at, "Kind").set_value("\0kind:transit").run()
    assert not at.warning
    assert any("Preview** of all 5 rows: 4 events, 1 problem" in m.value for m in at.markdown)
    toml = downloads["sightings-ja.mapping.toml"].decode()
    mapping = parse_mapping(toml)
    assert mapping_toml(mapping) == toml  # the download parses back to the same mapping
    assert mapping.fields["kind"].value == "transit"
    assert mapping.fields["nations"].values == {}  # no values table needed
    assert mapping.geometry == {"lat": "北緯", "lon": "東経"}
    assert next(code.value for code in at.code if code.language == "toml") == toml.strip()
    button(at, "Add to the map").click().run()
    assert not at.exception
    assert uploaded_ids(at, "sightings-ja.csv") == [f"sightings-ja-{row}" for row in (2, 3, 4, 5)]
    assert any("Added 4 events from sightings" in message.value for message in at.success)
    # The downloaded mapping, uploaded with the list next time, skips the guessing.
    again = app(REPO / "geodata")
    files = [
        ("sightings-ja.csv", (EXAMPLES / "sightings-ja.csv").read_bytes(), "text/csv"),
        ("sightings-ja.mapping.toml", toml.encode(), "application/toml"),
    ]
    again.sidebar.get("file_uploader")[0].set_value(files).run()
    assert not again.warning
    button(again, "Add to the map").click().run()
    assert len(uploaded_ids(again, "sightings-ja.csv")) == 4


def test_removing_an_imported_list_removes_its_events(app):
    at = upload(app(REPO / "geodata"), "strait-transits.csv", "strait-transits.mapping.toml")
    button(at, "Add to the map").click().run()
    assert len(uploaded_ids(at, "strait-transits.csv")) == 6
    at.sidebar.get("file_uploader")[0].clear().run()
    assert uploaded_ids(at, "strait-transits.csv") == []


def test_a_mapping_that_cannot_be_read_says_why_and_the_step_starts_from_a_guess(app):
    at = app(REPO / "geodata")
    files = [
        ("sightings-ja.csv", (EXAMPLES / "sightings-ja.csv").read_bytes(), "text/csv"),
        ("sightings-ja.toml", b"[fields]\ntitle = 3\n", "application/toml"),
    ]
    at.sidebar.get("file_uploader")[0].set_value(files).run()
    assert not at.exception
    errors = [error.value for error in at.error]
    assert any("cannot be used, so the step starts from a guess" in error for error in errors)
    assert selectbox(at, "Start date").value == "日付"


def xlsx_bytes(rows) -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "raw", "position"),
    [
        (
            "log.xlsx",
            xlsx_bytes(
                [
                    ["Date", "Vessel", "Flag", "Lat", "Lon"],
                    ["2024-07-18", "Haijing 2502", "China", 25.74, 123.48],
                ]
            ),
            ("Latitude", "Lat"),
        ),
        (
            "colleague.geojson",
            json.dumps(
                collection(
                    {
                        "type": "Feature",
                        "properties": {"name": "Haijing 2502", "date": "2024-07-18", "flag": "CN"},
                        "geometry": {"type": "Point", "coordinates": [123.48, 25.74]},
                    }
                )
            ).encode(),
            ("WKT column", "geometry"),
        ),
    ],
)
def test_spreadsheets_and_other_geojson_open_the_import_step(app, name, raw, position):
    at = app()
    at.sidebar.get("file_uploader")[0].upload(name, raw).run()
    assert not at.exception
    assert selectbox(at, position[0]).value == position[1]
    selectbox(at, "Kind").set_value("\0kind:incident").run()
    assert any("1 event, 0 problems" in m.value for m in at.markdown)
    button(at, "Add to the map").click().run()
    assert len(uploaded_ids(at, name)) == 1


def test_several_lists_wait_their_turn_in_the_import_step(app):
    at = upload(app(REPO / "geodata"), "sightings-ja.csv", "strait-transits.csv")
    chooser = selectbox(at, "Files waiting to be imported")
    assert chooser.options == ["sightings-ja.csv", "strait-transits.csv"]
    assert at.subheader[0].value.startswith("Import sightings")
    chooser.set_value(at.session_state["uploads"][1].file_id).run()
    assert at.subheader[0].value.startswith("Import strait")
    # No position in this list: the Taiwan Strait stands for it.
    next(r for r in at.radio if r.label == "Position from").set_value("area").run()
    selectbox(at, "Named area (stands for every row's position)").set_value("taiwan-strait")
    selectbox(at, "Kind").set_value("\0kind:transit").run()
    button(at, "Add to the map").click().run()
    assert not at.exception
    # Rows whose nations are not known yet ("Multi (CA") are left out, each with its problem.
    assert uploaded_ids(at, "strait-transits.csv") == [
        "strait-transits-2",
        "strait-transits-3",
        "strait-transits-5",
        "strait-transits-7",
    ]
    assert not any(w.label == "Files waiting to be imported" for w in at.selectbox)
    assert at.subheader[0].value.startswith("Import sightings")


# --- navigational warnings -----------------------------------------------------------------
NAVWARN = REPO / "docs/examples/navwarn"
WARNINGS_TEXT = (NAVWARN / "warnings.txt").read_text(encoding="utf-8")
MARKDOWN_ESCAPE = re.compile(r"\\(.)")


def paste_warnings(at, text=WARNINGS_TEXT):
    at.text_area(key="navwarn_text").input(text).run()
    assert not at.exception
    return at


def shown_text(value: str) -> str:
    """A cell of a text table as the page shows it (the table escapes markdown)."""
    return MARKDOWN_ESCAPE.sub(r"\1", value)


def text_table(at, column):
    """The text table (st.table) with this column, its cells and headers as shown."""
    frame = next(table.value for table in at.table if column in map(shown_text, table.value))
    frame = frame.rename(columns=shown_text)
    return frame.map(shown_text)


def warnings_summary(at):
    return next(m.value for m in at.markdown if "warning" in m.value and "found" in m.value)


def test_pasted_warnings_show_a_row_each_their_events_and_their_problems(app):
    at = paste_warnings(app())
    assert warnings_summary(at) == "**10 warnings** found: 7 events, 2 problems"
    rows = text_table(at, "number")
    assert list(rows["number"]) == [
        "闽航警0123/24",
        "琼航警0456/24",
        "浙航警0789/24",
        "辽航警0321/24",
        "琼航警0654/24",
        "FJ0987/24",
        "NAVAREA XI 0555/24",
        "航行警報 第1234号",
        "闽航警0124/24",
        "粤航警0777/24",
    ]
    assert list(rows["event"]) == ["yes"] * 6 + ["no", "yes", "no", "no"]
    assert rows["cancellation"].iloc[0] == "cancelled by 闽航警0124/24"
    assert rows["areas"].iloc[5] == "2 polygons"
    assert rows["problems"].iloc[6].startswith("the text does not say who issued it")
    assert rows["problems"].iloc[9] == "no coordinates: the area is to be announced"
    # The problems, one a line, beside the preview map.
    problems = text_table(at, "warning")
    assert list(problems["warning"]) == [
        'warning "NAVAREA XI 0555/24" (#7)',
        'warning "粤航警0777/24" (#10)',
    ]
    assert list(problems["field"]) == ["nations", "areas"]
    # Nothing is on the main map before "Add to the map".
    assert not any(file.startswith("upload:") for file in events_table(at)["file"])


def test_the_analyst_names_the_issuer_and_adds_the_warnings_to_the_map(app):
    at = paste_warnings(app())
    multiselect(at, "Issued by").select("JPN").run()
    assert warnings_summary(at) == "**10 warnings** found: 8 events, 1 problem"
    assert text_table(at, "number")["issued by"].iloc[6] == "JPN (chosen)"
    button(at, "Add to the map").click().run()
    assert not at.exception
    assert len(uploaded_ids(at, "pasted warnings")) == 8
    table = events_table(at)
    navarea = table[table["title"].str.startswith("NAVAREA XI 0555/24")]
    assert (navarea["nations"].item(), navarea["file"].item()) == ("JPN", "upload: pasted warnings")
    assert any(
        "Added 8 events from pasted warnings; 1 warning left out" in message.value
        for message in at.success
    )
    # The step closes, the text area is empty for the next warnings, and the one warning left
    # out is among the data problems.
    assert at.text_area(key="navwarn_text").value == ""
    assert not any(subheader.value == "Navigational warnings" for subheader in at.subheader)
    rows = problems_table(at).to_dict("records")
    assert [(row["file"], row["feature"], row["field"]) for row in rows] == [
        ("upload: pasted warnings", 'warning "粤航警0777/24" (#10)', "areas")
    ]
    # They can be taken off the map again.
    remove = next(b for b in at.sidebar.button if b.label.startswith("Remove pasted warnings"))
    assert remove.label == "Remove pasted warnings (8 events)"
    remove.click().run()
    assert uploaded_ids(at, "pasted warnings") == []


def test_the_downloaded_warnings_are_valid_events_and_an_id_on_the_map_is_not_taken_twice(
    app, downloads, tmp_path
):
    from layers.read.load import load_geodata

    at = paste_warnings(app())
    raw = downloads["warnings.geojson"].encode()
    root = tmp_path / "checked"
    (root / "events").mkdir(parents=True)
    (root / "events" / "warnings.geojson").write_bytes(raw)
    checked = load_geodata(root)
    assert checked.problems == [] and len(checked.events) == 7
    # Added to the map, then the download uploaded: its ids are taken, reported, not doubled.
    button(at, "Add to the map").click().run()
    at.sidebar.get("file_uploader")[0].upload("warnings.geojson", raw).run()
    assert not at.exception
    assert len(uploaded_ids(at, "pasted warnings")) == 7
    assert uploaded_ids(at, "warnings.geojson") == []
    problems = problems_table(at)
    clashes = problems[problems["file"] == "upload: warnings.geojson"]["problem"]
    assert len(clashes) == 7
    assert clashes.str.contains("already used in upload: pasted warnings").all()


def test_the_analyst_names_the_issuer_warning_by_warning(app):
    box = "22-00.00N 118-00.00E, 22-00.00N 118-20.00E, 21-40.00N 118-20.00E"
    text = (
        "NAVAREA XI 0555/24 SOUTH CHINA SEA. GUNNERY EXERCISES 140100UTC TO 140900UTC OCT 24 "
        f"IN AREA BOUNDED BY {box}.\n"
        "HYDROPAC 2381/24 SOUTH CHINA SEA. ROCKET LAUNCHING 150100UTC TO 150900UTC OCT 24 "
        f"IN AREA BOUNDED BY {box}.\n"
    )
    at = paste_warnings(app(), text)
    assert warnings_summary(at) == "**2 warnings** found: 0 events, 2 problems"
    editor = next(frame for frame in at.data_editor if "issuers" in frame.key)
    assert list(editor.value["warning"]) == ["NAVAREA XI 0555/24", "HYDROPAC 2381/24"]
    at.session_state[editor.key] = {
        "edited_rows": {1: {"issued by": "VNM"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert warnings_summary(at) == "**2 warnings** found: 1 event, 1 problem"
    rows = text_table(at, "number")
    assert list(rows["issued by"]) == ["not said", "VNM (chosen)"]
    assert list(rows["event"]) == ["no", "yes"]
    # The sidebar's choice for all fills the others; a warning's own choice stays its own.
    multiselect(at, "Issued by").select("JPN").run()
    rows = text_table(at, "number")
    assert list(rows["issued by"]) == ["JPN (chosen)", "VNM (chosen)"]
    button(at, "Add to the map").click().run()
    table = events_table(at)
    uploaded = table[table["file"] == "upload: pasted warnings"]
    assert sorted(zip(uploaded["title"].str[:18], uploaded["nations"])) == [
        ("HYDROPAC 2381/24: ", "VNM"),
        ("NAVAREA XI 0555/24", "JPN"),
    ]
    assert sorted(uploaded["kind"]) == ["Launch", "Live fire"]  # the table names kinds


def test_ngas_xml_keeps_its_own_word_of_a_cancellation(app):
    at = app()
    raw = (NAVWARN / "hydropac.xml").read_bytes()
    at.sidebar.get("file_uploader")[1].upload("hydropac.xml", raw).run()
    assert not at.exception
    rows = text_table(at, "number").set_index("number")
    assert rows.loc["HYDROPAC 2376/26", "cancellation"] == "cancelled by HYDROPAC 2383/26"
    # Its windows end where NGA cancelled it (24 Aug 12:00Z), as the command line's do.
    assert rows.loc["HYDROPAC 2376/26", "dates"].startswith("2026-08-22")
    assert "2026-08-24T12:00Z" in rows.loc["HYDROPAC 2376/26", "dates"]


def test_a_year_the_text_lacks_comes_from_the_publication_date_given(app):
    text = "航行警報 第99号 5月23日から5月24日まで 34-40.0N 139-55.0E 付近 射撃訓練"
    at = paste_warnings(app(), text)
    assert warnings_summary(at) == "**1 warning** found: 0 events, 1 problem"
    assert "give the publication date" in text_table(at, "warning")["problem"].iloc[0]
    at.date_input(key="navwarn_published").set_value(dt.date(2023, 5, 20)).run()
    assert warnings_summary(at) == "**1 warning** found: 1 event, 0 problems"
    assert text_table(at, "number")["dates"].iloc[0] == "2023-05-23 to 2023-05-24"


def test_a_csv_of_warnings_reads_the_columns_chosen(app):
    paragraphs = WARNINGS_TEXT.split("\n\n")
    lines = [
        ["published", "link", "note"],
        ["2024-05-20", "https://example.org/0123", paragraphs[0]],
        ["2024-05-21", "https://example.org/0124", paragraphs[8]],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)
    at = app()
    at.sidebar.get("file_uploader")[1].upload("msa.csv", buffer.getvalue().encode()).run()
    assert not at.exception
    assert selectbox(at, "Column of the warnings' text").value == "note"
    assert selectbox(at, "Column of their links (optional)").value == "link"
    assert selectbox(at, "Column of their publication dates (optional)").value == "published"
    assert warnings_summary(at) == "**2 warnings** found: 1 event, 0 problems"
    rows = text_table(at, "number")
    assert list(rows["#"]) == ["1 (row 2)", "2 (row 3)"]
    assert rows["cancellation"].iloc[0] == "cancelled by 闽航警0124/24"  # across rows
    button(at, "Add to the map").click().run()
    table = events_table(at)
    added = table[table["file"] == "upload: msa.csv"]
    assert added["title"].item().endswith("(cancelled by 闽航警0124/24)")
    # The file uploader is empty again for the next file.
    assert not at.sidebar.get("file_uploader")[1].value


def zone_dataset(root):
    """The Senkaku zones on file and three events: in the 12 nm sea, possibly in it (a 100 km
    circle), and far from it."""
    root = write_geodata(
        root,
        {
            "z.geojson": collection(
                event(
                    "in-sea",
                    location_precision_km=None,
                    geometry={"type": "Point", "coordinates": [123.5, 25.75]},
                ),
                event(
                    "maybe-sea",
                    start="2024-07-20",
                    location_precision_km=100,
                    geometry={"type": "Point", "coordinates": [123.5, 25.75]},
                ),
                event(
                    "far-away",
                    start="2024-07-22",
                    location_precision_km=None,
                    geometry={"type": "Point", "coordinates": [139.8, 34.8]},
                ),
            )
        },
        {},
    )
    (root / "areas" / "senkaku.geojson").write_text(
        (REPO / "geodata" / "areas" / "senkaku.geojson").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return root


def test_the_zones_filter_keeps_the_tagged_events_and_writes_the_link(app, tmp_path):
    at = app(zone_dataset(tmp_path / "zones"))
    zones = multiselect(at, "Zones")
    # A zone by its kind first: the territorial sea and the contiguous zone of the Senkakus
    # differ from their first words (layers.analysis.zones.short_area_name).
    assert "Territorial sea (12 nm): Senkaku / Diaoyu / Tiaoyutai Islands" in zones.options
    zones.set_value(["senkaku-territorial-sea"]).run()
    assert table_ids(at) == ["in-sea"]
    assert at.query_params["zones"] == "senkaku-territorial-sea"
    next(box for box in at.checkbox if box.label == "include possibly").check().run()
    assert table_ids(at) == ["in-sea", "maybe-sea"]
    assert at.query_params["possibly"] == "1"
    assert events_table(at)["zones"].iloc[0].startswith("Territorial sea (12 nm): Senkaku")


def test_a_zones_link_opens_on_its_events_and_warns_about_a_bad_entry(app, tmp_path):
    at = app(zone_dataset(tmp_path / "zones"), zones="atlantis,senkaku-territorial-sea")
    assert table_ids(at) == ["in-sea"]
    assert [w.value for w in at.warning if "'zones'" in w.value] == [
        "Link parameter 'zones': 'atlantis' is not a named area in the data; left out"
    ]
    at = app(zone_dataset(tmp_path / "zones2"), zones="senkaku-territorial-sea", possibly="1")
    assert table_ids(at) == ["in-sea", "maybe-sea"]


def chart_data(at, index):
    """The data of the page's index-th altair chart (0: the timeline), as Streamlit sent it."""
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[index]
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()


def open_section(at, key):
    """Open an analysis section, as a click on its title does."""
    at.session_state[key] = True
    return at.run()


def test_the_nations_matrix_counts_the_shown_events_and_names_new_partners(app):
    at = open_section(app(start="2024-06"), "open_partners")
    cells = chart_data(at, 1)
    counts = {(row, col): n for row, col, n in zip(cells["row"], cells["col"], cells["events"])}
    assert counts == {
        ("JPN", "JPN"): 1,
        ("JPN", "TWN"): 1,
        ("TWN", "JPN"): 1,
        ("TWN", "TWN"): 1,
        ("CAN", "CAN"): 1,
        ("CAN", "USA"): 1,
        ("USA", "CAN"): 1,
        ("USA", "USA"): 1,
    }
    partners = next(frame.value for frame in at.dataframe if "new partners" in frame.value)
    assert list(zip(partners["nation"], partners["new partners"], partners["who"])) == [
        ("Canada (CAN)", 1, "United States"),
        ("Japan (JPN)", 1, "Taiwan"),
        ("Taiwan (TWN)", 1, "Japan"),
        ("United States (USA)", 1, "Canada"),
    ]


def test_rimpacs_dozens_of_new_partners_read_as_counts_and_the_first_names(app):
    at = open_section(app(REPO / "geodata", start="2024-06"), "open_partners")
    partners = next(frame.value for frame in at.dataframe if "new partners" in frame.value)
    assert list(partners["new partners"]) == sorted(partners["new partners"], reverse=True)
    first = partners.iloc[0]
    assert first["new partners"] > 20 and first["who"].endswith(
        f"and {first['new partners'] - 4} more"
    )
    assert len(first["who"]) < 60
    every = next(toggle for toggle in at.toggle if toggle.label == "Every new partner, by nation")
    every.set_value(True).run()
    listed = [
        block.value
        for block in at.markdown
        if block.value.startswith("**") and "**: " in block.value
    ]
    assert len(listed) == len(partners)
    assert len(listed[0].split(", ")) == first["new partners"]


def test_activity_by_area_counts_the_events_inside_each_area_per_month(app, tmp_path):
    at = open_section(app(zone_dataset(tmp_path / "zones")), "open_areas")
    cells = chart_data(at, 1)
    counts = {
        (area, month): n for area, month, n in zip(cells["area"], cells["month"], cells["events"])
    }
    assert counts == {("senkaku-territorial-sea", "2024-07"): 1}  # maybe-sea is only possibly
    assert set(cells["chosen"]) == {True}


def test_a_compare_link_shows_the_two_periods_by_area_and_kind(app):
    at = app(start="2024-07", compare="2024-05..2024-06")
    assert "Compare two periods" in [section.label for section in at.expander]  # open
    table = next(frame.value for frame in at.dataframe if "change" in frame.value)
    rows = {
        (area, kind): (a, b, change, b_possibly)
        for area, kind, a, b, change, b_possibly in zip(
            table["area"],
            table["kind"],
            table["A 2024-05..2024-06"],
            table["B 2024-07"],
            table["change"],
            table["B possibly"],
        )
    }
    assert rows == {
        ("(no named area)", "Incident (grey zone)"): (1, 0, "gone", 0),
        ("(no named area)", "Transit"): (1, 0, "gone", 0),
        # The Boso exercise names its area ("area": "boso-south-waters"): it is in it, though
        # its 40 km circle reaches beyond the box.
        ("Southern Boso Peninsula waters", "Exercise"): (0, 1, "new", 0),
    }
    assert at.query_params["compare"] == "2024-05..2024-06"
    assert next(box for box in at.sidebar.checkbox if box.label.startswith("Compare")).value


def test_the_map_switches_to_the_change_from_the_compared_period_and_the_link_says_so(app):
    at = app(start="2024-07", compare="2024-05..2024-06")
    shows = next(radio for radio in at.sidebar.radio if radio.label == "Map shows")
    assert shows.value == "events" and "show" not in at.query_params
    shows.set_value("change").run()
    assert not at.exception
    assert at.query_params["show"] == "change"
    next(box for box in at.sidebar.checkbox if box.label.startswith("Compare")).uncheck().run()
    assert not at.exception
    assert "show" not in at.query_params and "compare" not in at.query_params
    assert all(radio.label != "Map shows" for radio in at.sidebar.radio)
    next(box for box in at.sidebar.checkbox if box.label.startswith("Compare")).check().run()
    assert not at.exception
    # As the compared months, the switch starts afresh: the map shows events.
    assert next(radio for radio in at.sidebar.radio if radio.label == "Map shows").value == "events"
    assert "show" not in at.query_params


def test_a_change_map_link_opens_with_the_change_chosen(app):
    at = app(start="2024-07", compare="2024-05..2024-06", show="change")
    assert not at.exception and not at.warning
    assert next(radio for radio in at.sidebar.radio if radio.label == "Map shows").value == "change"
    assert at.query_params["show"] == "change"


def test_a_compare_link_outside_the_data_warns(app):
    at = app(compare="2020-01..2020-02")
    assert any("'compare'" in warning.value for warning in at.warning)
    assert "Compare two periods" not in [section.label for section in at.expander]


def test_a_month_range_is_chosen_from_two_lists_that_keep_their_order(app):
    at = app()
    selectbox(at, "To").set_value("2024-05").run()
    assert at.query_params["end"] == "2024-05"
    # A From after the To moves the To with it: the range is never empty by mistake.
    selectbox(at, "From").set_value("2024-07").run()
    assert (at.query_params["start"], at.query_params.get("end")) == ("2024-07", None)
    assert table_ids(at) == ["boso"]
    assert selectbox(at, "From").options == ["2024-05", "2024-06", "2024-07"]
    assert any(caption.value == "1 month" for caption in at.sidebar.caption)


def test_month_presets_choose_the_last_months_of_the_data(app):
    at = app()
    next(button for button in at.button if button.label == "Last 3").click().run()
    assert (at.query_params.get("start"), at.query_params.get("end")) == (None, None)
    selectbox(at, "From").set_value("2024-06").run()
    next(button for button in at.button if button.label == "All").click().run()
    assert at.query_params.get("start") is None


def test_the_month_range_says_how_many_of_its_months_were_quiet(app, tmp_path):
    root = write_geodata(
        tmp_path / "gap",
        {
            "e.geojson": collection(
                event("may", start="2024-05-02"), event("august", start="2024-08-09")
            )
        },
    )
    at = app(root=root)
    assert any(caption.value == "4 months, 2 with no events" for caption in at.sidebar.caption)


def test_a_data_directory_with_areas_and_no_events_yet_opens_on_the_areas(app, tmp_path):
    """A new team's first day: named areas, an empty events/. The page opens (it stopped with
    a TypeError in dashboard_ui/data.py) on an empty map and says how to add events."""
    root = write_geodata(tmp_path / "geodata", {}, {"areas.geojson": collection(area())})
    at = app(root)
    assert not at.exception
    assert [info.value for info in at.info] == [NO_EVENTS_YET]
    assert not at.warning  # no "problem" for an empty folder
    assert at.sidebar.metric[0].value == "0"


def columns_table(at):
    """The import step's table of the file's columns, its cells as the page shows them."""
    frame = next(table.value for table in at.table if "column" in table.value.columns)
    frame = frame.map(lambda cell: cell.replace("\\", ""))  # markdown escapes
    return frame.rename(columns=lambda name: name.replace("\\", ""))


def test_a_list_not_in_utf8_says_its_encoding_and_another_can_be_chosen(app, downloads):
    """Excel's "CSV" on Windows is Windows-1252: read, the encoding said; the analyst who knows
    better chooses another, the columns show what it reads and the mapping keeps it."""
    text = (
        "Date,Vessel,Flag,Lat,Lon,Notes\n"
        "2019-06-09,Gem-Ver,PHL,10.7,116.2,“Filipino boat sunk near Reed Bank — crew rescued”\n"
        "2020-04-02,QNg-90617-TS,VNM,16.5,112.0,Boat rammed near the Paracels; the owner’s café\n"
        "2021-03-07,Señor Ñandú,PHL,9.9,114.8,“Whitsun Reef: 220 militia vessels” — PCG\n"
    )
    at = app()
    at.sidebar.get("file_uploader")[0].upload("incidents.csv", text.encode("cp1252")).run()
    assert not at.exception
    assert any("read as Windows\\-1252, detected" in c.value for c in at.caption)
    table = columns_table(at)
    assert list(table["column"]) == ["Date", "Vessel", "Flag", "Lat", "Lon", "Notes"]
    assert table.loc[1, "values, for example"] == "Gem-Ver · QNg-90617-TS · Señor Ñandú"
    selectbox(at, "Text encoding").set_value("cp1251").run()
    assert columns_table(at).loc[1, "values, for example"].endswith("Seсor Сandъ")  # Cyrillic
    assert parse_mapping(downloads["incidents.mapping.toml"].decode()).source["encoding"] == (
        "cp1251"
    )


def test_a_short_list_whose_encoding_is_in_doubt_asks_and_reads_the_choice(app):
    """Three lines of Windows-1252 read as cleanly in Windows-874 and -1251: a question, not a
    guess; the readings are offered, the likeliest first, and the one chosen is read."""
    text = "Date,Vessel,Flag,Lat,Lon\n2019-06-09,Señor “Gem-Ver”,PHL,10.7,116.2\n"
    at = app()
    at.sidebar.get("file_uploader")[0].upload("short.csv", text.encode("cp1252")).run()
    assert not at.exception
    preview = next(table.value for table in at.table if "problem" in table.value.columns)
    said = preview["problem"].iloc[0].replace("\\", "")  # markdown escapes
    assert "its encoding is not certain (Windows-1252, Windows-874" in said
    encodings = selectbox(at, "Text encoding")
    assert encodings.options[:2] == ["— choose —", "Windows-1252"]
    encodings.set_value("cp1252").run()
    assert columns_table(at).loc[1, "values, for example"] == "Señor “Gem-Ver”"


def test_a_long_list_previews_its_first_rows_and_every_row_on_request(app):
    rows = "".join(f"Sighting {n},2024-07-18,JPN,34.8,139.8\n" for n in range(250))
    at = app()
    at.sidebar.get("file_uploader")[0].upload("long.csv", f"T,D,C,Lat,Lon\n{rows}".encode()).run()
    assert any("Preview** of the first 200 of 250 rows" in m.value for m in at.markdown)
    assert columns_table(at).loc[0, "filled (of 250)"] == "250"
    next(box for box in at.checkbox if box.label == "Preview every row (250)").check().run()
    assert any("Preview** of all 250 rows" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("name", "raw", "said"),
    [
        (
            "tracker.ods",
            b"PK\x03\x04ods",
            "an .ods file (OpenDocument spreadsheet) is not read; save",
        ),
        ("track.pdf", b"%PDF-1.7", "a .pdf file is not one the import reads (CSV, TSV, TXT, XLSX"),
        ("log.csv", b"PK\x03\x04xlsx", "is a ZIP archive (an Excel workbook or a KMZ?), not CSV"),
    ],
)
def test_a_file_no_reader_takes_is_named_as_such_not_read_as_csv(app, name, raw, said):
    at = app()
    at.sidebar.get("file_uploader")[0].upload(name, raw).run()
    assert not at.exception
    assert not any(subheader.value.startswith("Import") for subheader in at.subheader)
    (row,) = problems_table(at).to_dict("records")
    assert row["file"] == f"upload: {name}" and row["problem"].startswith(said)


def test_a_workbooks_visible_sheets_are_offered_and_the_choice_is_kept(app, downloads):
    """A hidden first sheet is never read silently: the step reads the first visible one,
    says so, and offers the visible sheets; the downloaded mapping keeps the one chosen."""
    import openpyxl

    workbook = openpyxl.Workbook()
    calc = workbook.active
    calc.title, calc.sheet_state = "calc", "hidden"
    calc.append(["Decoy", "Date"])
    calc.append(["never read", "1999-01-01"])
    for name, vessel in (("Log", "Haijing 2502"), ("2023", "Haijing 2305")):
        sheet = workbook.create_sheet(name)
        sheet.append(["Date", "Vessel", "Flag", "Lat", "Lon"])
        sheet.append(["2024-07-18", vessel, "China", 25.74, 123.48])
    buffer = io.BytesIO()
    workbook.save(buffer)
    at = app()
    at.sidebar.get("file_uploader")[0].upload("tracker.xlsx", buffer.getvalue()).run()
    assert not at.exception
    sheets = selectbox(at, "Sheet")
    assert (sheets.options, sheets.value) == (["Log", "2023"], "Log")
    assert any('Sheet "Log" read' in caption.value for caption in at.caption)
    assert columns_table(at).loc[1, "values, for example"] == "Haijing 2502"
    sheets.set_value("2023").run()
    assert columns_table(at).loc[1, "values, for example"] == "Haijing 2305"
    mapping = parse_mapping(downloads["tracker.mapping.toml"].decode())
    assert mapping.source["sheet"] == "2023"


def test_an_uploaded_mappings_keys_without_widgets_are_kept(app, downloads):
    """The form shows no widget for a location precision's `values` or `unit`: an uploaded
    mapping's level "6" = 800 (nm) must reach the preview and the downloaded mapping, not be
    dropped (a level-6 event drawn "within 6 km")."""
    text = "Title,Date,Country,Lat,Lon,Level\nSighting,2024-07-18,JPN,34.8,139.8,6\n"
    mapping = """[source]
title = "Levels"
[fields]
title = { column = "Title" }
kind = { value = "incident" }
start = { column = "Date" }
nations = { column = "Country" }
location_precision_km = { column = "Level", values = { "6" = "800" }, unit = "nm" }
[geometry]
lat = "Lat"
lon = "Lon"
"""
    files = [("levels.csv", text.encode(), "text/csv"), ("levels.toml", mapping.encode(), "x")]
    at = app()
    at.sidebar.get("file_uploader")[0].set_value(files).run()
    assert not at.exception
    kept = parse_mapping(downloads["levels.mapping.toml"].decode()).fields["location_precision_km"]
    assert (kept.values, kept.unit) == ({"6": "800"}, "nm")
    button(at, "Add to the map").click().run()
    (imported,) = at.session_state["imported"].values()
    assert imported["upload"].events["location_precision_km"].tolist() == [1481.6]  # 800 nm


def test_rows_a_mapping_leaves_out_are_said_in_the_preview_and_when_added(app):
    """[[skip]] rows are the analyst's choice, not problems, but never silent: "3 rows: 1
    event, 0 problems" must say where the other two went."""
    text = (
        "Title,Date,Country,Lat,Lon,Status\n"
        "A,2024-05-01,CHN,24.5,119.5,ok\n"
        "B,2024-05-02,CHN,24.5,119.5,duplicate\n"
        "C,2024-05-03,CHN,24.5,119.5,duplicate\n"
    )
    mapping = MAPPING_WITH_SKIP.encode()
    files = [("l.csv", text.encode(), "text/csv"), ("l.toml", mapping, "application/toml")]
    at = app()
    at.sidebar.get("file_uploader")[0].set_value(files).run()
    assert any("Preview** of all 3 rows: 1 event, 0 problems" in m.value for m in at.markdown)
    said = 'rows left out by the mapping: 2 with Status = "duplicate"'
    assert any(said in caption.value.replace("\\", "") for caption in at.caption)
    button(at, "Add to the map").click().run()
    flash = [message.value.replace("\\", "") for message in at.success]
    assert any(f"Added 1 event from l.csv; 2 {said}" in message for message in flash)


MAPPING_WITH_SKIP = """[source]
title = "List"
[fields]
title = { column = "Title" }
kind = { value = "patrol" }
start = { column = "Date" }
nations = { column = "Country" }
[geometry]
lat = "Lat"
lon = "Lon"
[[skip]]
column = "Status"
equals = "duplicate"
"""


def test_an_incident_list_with_its_grouping_mapping_adds_one_track_per_incident(app, downloads):
    """The import step shows the mapping's track keys (group, time) and keeps them: the
    preview, the events added and the downloaded mapping gather the rows per incident."""
    at = upload(app(REPO / "geodata"), "incident-tracks.csv", "incident-tracks.mapping.toml")
    assert selectbox(at, "Rows with the same value are one event").value == "Incident"
    assert selectbox(at, "Each row's time (ISO 8601)").value == "Time"
    assert any("Preview** of all 19 rows: 3 events, 0 problems" in m.value for m in at.markdown)
    kept = parse_mapping(downloads["incident-tracks.mapping.toml"].decode()).geometry
    assert kept == {"lat": "Lat", "lon": "Lon", "group": "Incident", "time": "Time"}
    button(at, "Add to the map").click().run()
    assert not at.exception
    (imported,) = at.session_state["imported"].values()
    times = imported["upload"].events.set_index("id")["coord_times"]
    assert [len(lines[0]) for lines in times] == [7, 6, 6]
    assert times["incident-inc-044"][0][0] == "2024-07-02T21:00Z"


def test_a_long_grouped_list_says_its_preview_tracks_stop_at_the_rows_read(app):
    # A voyage of 250 positions: the preview reads 200, so its end is not the track's.
    rows = "".join(
        f"416999001,CGA 9,TWN,2024-05-20T{n // 60:02d}:{n % 60:02d}:00Z,22.{n:03d},120.1\n"
        for n in range(250)
    )
    files = [
        ("ais.csv", f"MMSI,VesselName,Flag,BaseDateTime,LAT,LON\n{rows}".encode(), "text/csv"),
        (
            "ais.mapping.toml",
            (EXAMPLES / "vessel-positions.mapping.toml").read_bytes(),
            "application/toml",
        ),
    ]
    at = app(REPO / "geodata")
    at.sidebar.get("file_uploader")[0].set_value(files).run()
    assert not at.exception
    said = "here its positions, start and end are those of the first 200 only"
    assert any(said in caption.value for caption in at.caption)
    next(box for box in at.checkbox if box.label == "Preview every row (250)").check().run()
    assert not any(said in caption.value for caption in at.caption)


def test_odd_entries_in_the_data_and_cache_folders_are_named_and_the_map_shows_the_rest(
    app, tmp_path
):
    # Before, one broken *.geojson link gave every session a FileNotFoundError traceback and
    # no map, and a named pipe in the cache's place made the load wait forever.
    import os

    from layers.store.files import FileStore

    root = small_dataset(tmp_path / "geodata")
    FileStore(root / ".cache").load(root)
    entry = sorted((root / ".cache").glob("*.arrow"))[0]
    entry.unlink()
    os.mkfifo(entry)
    os.symlink(tmp_path / "moved-away.geojson", root / "events" / "broken.geojson")
    os.mkfifo(root / "events" / "pipe.geojson")
    at = app(root)
    assert not at.exception
    assert sorted(table_ids(at)) == ["boso", "ccg-senkaku", "strait-transit"]
    problems = next(frame.value for frame in at.dataframe if "problem" in frame.value.columns)
    assert problems[["file", "problem"]].values.tolist() == [
        [
            "events/broken.geojson",
            f"is a link to {tmp_path / 'moved-away.geojson'}, which does not exist (a broken "
            "link); skipped",
        ],
        ["events/pipe.geojson", "is a named pipe (FIFO), not a file; skipped"],
        [
            f".cache/{entry.name}",
            "is a named pipe (FIFO), not a cache entry; skipped (the data file is checked again "
            "instead)",
        ],
    ]
    assert any(
        "The data has 3 problems; 2 features or files are not shown" in w.value for w in at.warning
    )
