"""The view round-trips through query parameters; bad values fall back one at a time, and a
list parameter leaves out only its bad entries."""

import datetime as dt
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.dates import parse_period
from layers.nations import NATION_NAMES
from layers.view import DEFAULT_CENTER, DEFAULT_ZOOM, MAX_ZOOM, MIN_ZOOM, QUERY_KEYS, View

AREAS = ["senkaku-waters", "taiwan-strait-median-line", "boso-south-waters"]
EVENTS = ["jcg-cga-boso-2024-07-18"]
COUNTS = ["aircraft", "median_line_crossings", "ships"]


def read(**params):
    query = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    return View.from_query(query, area_ids=AREAS, event_ids=EVENTS)


def test_every_parameter_is_read():
    view, warnings = read(
        start="2024-05",
        end="2024-07",
        nations="JPN,twn",
        match="all",
        kinds="exercise,transit",
        layers="senkaku-waters,taiwan-strait-median-line",
        colour="month",
        density="1",
        lat="24.5",
        lon="123.0",
        zoom="6",
        event="jcg-cga-boso-2024-07-18",
    )
    assert warnings == []
    assert view == View(
        start="2024-05",
        end="2024-07",
        nations=("JPN", "TWN"),
        match="all",
        kinds=("exercise", "transit"),
        layers=("senkaku-waters", "taiwan-strait-median-line"),
        colour="month",
        density=True,
        lat=24.5,
        lon=123.0,
        zoom=6,
        event="jcg-cga-boso-2024-07-18",
    )


def test_no_parameters_is_the_default_view():
    view, warnings = read()
    assert (view, warnings) == (View(), [])
    assert view.center() == DEFAULT_CENTER and view.zoom_level() == DEFAULT_ZOOM


@pytest.mark.parametrize(
    ("params", "bad_key"),
    [
        ({"nations": "XXX,ZZZ"}, "nations"),
        ({"start": "2024-13"}, "start"),
        ({"end": "July"}, "end"),
        ({"zoom": "99"}, "zoom"),
        ({"zoom": "4.5"}, "zoom"),
        ({"lat": "abc", "lon": "120"}, "lat"),
        ({"lat": "nan", "lon": "120"}, "lat"),
        ({"lon": "720", "lat": "20"}, "lon"),
        ({"event": "no-such-event"}, "event"),
        ({"event": "<script>"}, "event"),
        ({"kinds": "parade"}, "kinds"),
        ({"layers": "atlantis"}, "layers"),
        ({"match": "most"}, "match"),
        ({"colour": "red"}, "colour"),
        ({"density": "on"}, "density"),
        ({"start": ["2024-05", "2024-06"]}, "start"),
        ({"nations": ["JPN", "TWN"]}, "nations"),
        ({"nations": "JPN," * 3000}, "nations"),
        ({"layers": "senkaku-waters," * 200}, "layers"),
        ({"start": "2024-07", "end": "2024-05"}, "start"),
        ({"lat": "20"}, "lon"),
    ],
)
def test_a_bad_value_warns_once_naming_the_parameter_and_keeps_the_good_ones(params, bad_key):
    good = (
        {"kinds": "exercise", "zoom": "5"} if bad_key not in ("kinds", "zoom") else {"match": "all"}
    )
    view, warnings = read(**params, **good)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"Link parameter '{bad_key}':")
    defaults = View()
    assert getattr(view, bad_key) == getattr(defaults, bad_key)
    for key, value in good.items():
        assert str(getattr(view, key)) in (value, "('exercise',)")


@pytest.mark.parametrize(
    ("key", "text", "kept", "bad"),
    [
        ("nations", "XXX,CAN", ("CAN",), "XXX"),
        ("nations", "jpn,XXX,twn,jpn", ("JPN", "TWN"), "XXX"),
        ("kinds", "parade,transit", ("transit",), "parade"),
        ("kinds", "exercise, parade ,exercise", ("exercise",), "parade"),
        ("layers", "senkaku-waters,atlantis", ("senkaku-waters",), "atlantis"),
        (
            "layers",
            "atlantis,boso-south-waters,senkaku-waters",
            ("boso-south-waters", "senkaku-waters"),
            "atlantis",
        ),
    ],
)
def test_a_list_keeps_its_good_entries_and_the_warning_names_only_the_bad_one(key, text, kept, bad):
    view, warnings = read(**{key: text}, zoom="6")
    assert getattr(view, key) == kept
    assert view.zoom == 6  # the other parameters are untouched
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"Link parameter '{key}': '{bad}' is not ")
    assert warnings[0].endswith("; left out")
    assert not any(f"'{entry}'" in warnings[0] for entry in kept)


def test_the_nations_warning_reads_as_one_sentence():
    view, warnings = read(nations="XXX,CAN")
    assert view.nations == ("CAN",)
    assert warnings == [
        "Link parameter 'nations': 'XXX' is not an ISO 3166-1 alpha-3 code; left out"
    ]


@pytest.mark.parametrize(
    ("key", "text", "bad"),
    [
        ("nations", "XXX,ZZZ", ["XXX", "ZZZ"]),
        ("kinds", "parade,march", ["parade", "march"]),
        ("layers", "atlantis,lemuria", ["atlantis", "lemuria"]),
    ],
)
def test_a_list_with_no_good_entry_falls_back_to_its_default_naming_each_bad_one(key, text, bad):
    view, warnings = read(**{key: text})
    assert getattr(view, key) == getattr(View(), key)  # layers: the default areas, not none
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"Link parameter '{key}': '{bad[0]}', '{bad[1]}' are not ")
    assert warnings[0].endswith("; using the default")


def test_a_long_list_of_bad_entries_names_a_few_and_counts_the_rest():
    codes = [f"X{letter}X" for letter in "ABCDEFGH"]
    view, warnings = read(nations=",".join([*codes, "CAN"]))
    assert view.nations == ("CAN",)
    assert warnings == [
        "Link parameter 'nations': 'XAX', 'XBX', 'XCX', 'XDX', 'XEX' and 3 more are not "
        "ISO 3166-1 alpha-3 codes; left out"
    ]


def test_defaults_are_not_written_so_a_plain_view_is_a_plain_link():
    assert View().to_query() == {}
    assert View(layers=("a", "b")).to_query(default_layers=["b", "a"]) == {}


def test_all_layers_off_is_written_as_an_empty_value():
    query = View(layers=()).to_query(default_layers=["a"])
    assert query == {"layers": ""}
    assert read(layers="")[0].layers == ()


def test_a_view_survives_the_round_trip():
    view = View(
        start="2024-05",
        nations=("JPN", "TWN"),
        match="all",
        kinds=("exercise",),
        layers=("senkaku-waters",),
        lat=24.5,
        lon=-157.9,
        zoom=7,
        event=EVENTS[0],
    )
    query = view.to_query(default_layers=["boso-south-waters"])
    assert read(**query) == (view, [])


def test_map_position_is_rounded_and_longitude_kept_in_range():
    moved = View().with_map_position(24.56789, 201.234, 6)
    assert (moved.lat, moved.lon, moved.zoom) == (24.57, -158.77, 6)
    assert moved.center() == (24.57, 201.23)


def test_the_default_position_is_not_written():
    lat, lon = DEFAULT_CENTER
    assert View().with_map_position(lat + 0.001, lon, DEFAULT_ZOOM).to_query() == {}


def test_zones_and_possibly_round_trip():
    areas = ["senkaku-territorial-sea", "taiwan-strait-median-line"]
    view = View(zones=("senkaku-territorial-sea",), possibly=True)
    query = view.to_query()
    assert query == {"zones": "senkaku-territorial-sea", "possibly": "1"}
    back, warnings = View.from_query({k: [v] for k, v in query.items()}, area_ids=areas)
    assert (back, warnings) == (view, [])


def test_zones_keep_good_entries_and_name_the_bad_ones():
    view, warnings = View.from_query(
        {"zones": ["atlantis,senkaku-territorial-sea"], "possibly": ["yes"]},
        area_ids=["senkaku-territorial-sea"],
    )
    assert view.zones == ("senkaku-territorial-sea",)
    assert view.possibly is False
    assert len(warnings) == 2
    assert "'zones'" in warnings[0] and "'atlantis'" in warnings[0]
    assert "'possibly'" in warnings[1]


@pytest.mark.parametrize(
    ("text", "period"),
    [("2024-05..2024-07", ("2024-05", "2024-07")), ("2024-05", ("2024-05", "2024-05"))],
)
def test_compare_is_a_month_range(text, period):
    view, warnings = read(compare=text)
    assert (view.compare, warnings) == (period, [])
    assert View(compare=period).to_query()["compare"] == f"{period[0]}..{period[1]}"


@pytest.mark.parametrize("text", ["2024-07..2024-05", "2024-13", "may..july", "2024-05.."])
def test_a_bad_compare_warns_and_is_left_out(text):
    view, warnings = read(compare=text)
    assert view.compare is None
    assert len(warnings) == 1 and "'compare'" in warnings[0]


def test_density_round_trips_and_is_off_by_default():
    view = View(density=True, colour="month")
    query = view.to_query()
    assert query == {"colour": "month", "density": "1"}
    assert list(query) == ["colour", "density"]  # written beside the other map choices
    back, warnings = read(**query)
    assert (back, warnings) == (view, [])
    assert read(density="0") == (View(), [])
    assert "density" not in View().to_query()


def test_the_change_map_round_trips_with_its_compared_period():
    view = View(start="2024-07", compare=("2024-05", "2024-06"), show="change")
    query = view.to_query()
    assert query == {"start": "2024-07", "compare": "2024-05..2024-06", "show": "change"}
    assert list(query) == ["start", "compare", "show"]
    back, warnings = View.from_query({key: [value] for key, value in query.items()})
    assert (back, warnings) == (view, [])


def test_showing_events_is_the_default_and_not_written():
    assert "show" not in View(compare=("2024-05", "2024-06"), show="events").to_query()
    assert read(show="events", compare="2024-05") == (View(compare=("2024-05", "2024-05")), [])


def test_a_change_map_without_a_period_to_compare_shows_events_with_a_warning():
    view, warnings = read(show="change")
    assert view.show == "events"
    assert len(warnings) == 1 and "'show'" in warnings[0] and "compare=" in warnings[0]
    assert "show" not in View(show="change").to_query()


def test_a_bad_compare_with_show_change_warns_once_about_the_compare():
    view, warnings = read(show="change", compare="2024-13")
    assert (view.compare, view.show) == (None, "events")
    assert len(warnings) == 1 and "'compare'" in warnings[0]


def test_an_unknown_map_mode_warns_and_shows_events():
    view, warnings = read(show="heat", compare="2024-05")
    assert view.show == "events"
    assert len(warnings) == 1 and "'show'" in warnings[0] and "events, change" in warnings[0]


# --- every parameter is checked with the rule of the code that uses it -------------------------
FULL_WIDTH = str.maketrans("0123456789-,", "０１２３４５６７８９－，")


@pytest.mark.parametrize(
    ("key", "typed", "read"),
    [
        ("start", "2024-05", "2024-05"),
        ("end", "2024-07", "2024-07"),
        ("compare", "2024-05..2024-06", ("2024-05", "2024-06")),
        ("zoom", "7", 7),
        ("nations", "JPN,TWN", ("JPN", "TWN")),
    ],
)
def test_a_link_typed_with_full_width_digits_reads_as_its_ascii(key, typed, read):
    """A Japanese or Chinese input method types ２０２４－０５: the link opens that month, no
    warning and no traceback (it was a DateError on the page)."""
    text = typed.translate(FULL_WIDTH).replace("JPN", "ＪＰＮ")
    view, warnings = View.from_query({key: [text]}, area_ids=AREAS, event_ids=EVENTS)
    assert (getattr(view, key), warnings) == (read, [])


@pytest.mark.parametrize("text", ["٢٠٢٤-05", "2024-٠٥", "१२"])
def test_other_scripts_digits_are_refused_with_the_one_line_warning(text):
    view, warnings = View.from_query({"start": [text], "zoom": [text]}, area_ids=AREAS)
    assert (view.start, view.zoom) == (None, None)
    assert len(warnings) == 2 and all("\n" not in warning for warning in warnings)


@pytest.mark.parametrize("text", ["1_0", "infinity", "nan", "0x1A"])
def test_a_coordinate_is_a_decimal_number_as_written(text):
    view, warnings = View.from_query({"lat": [text], "lon": ["130"]}, area_ids=AREAS)
    assert view.lat is None and warnings


LINK_TEXT = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[0-9０-９]{4}[-－][0-9０-９]{2}(\.\.[0-9]{4}-[0-9]{2})?", fullmatch=True),
    st.from_regex(r"[0-9０-９]{4}[-－][0-3０-３][0-9][-－][0-3][0-9]", fullmatch=True),
    st.dates().map(dt.date.isoformat),
    st.sampled_from(
        ["2024-05", "2024-07-18", "JPN,TWN", "１２", "27.5", "-0", "1e3", " 7 ", "exercise"]
    ),
    st.sampled_from(["events", "aircraft", "ships", "Aircraft", "balloons", "ａｉｒｃｒａｆｔ"]),
)


@settings(max_examples=1500, deadline=None, database=None)
@given(st.dictionaries(st.sampled_from(QUERY_KEYS), st.lists(LINK_TEXT, max_size=2)))
def test_any_link_gives_a_view_the_rest_of_the_code_can_use(params):
    """Whatever a link holds, reading it never raises, each warning is one line, and every
    value the view keeps passes the check of the code that uses it: months parse as dates
    (layers.dates), the map position is finite and in range, nations are ISO codes. The link the
    view writes reads back to the same view without a warning."""
    view, warnings = View.from_query(params, area_ids=AREAS, event_ids=EVENTS, count_names=COUNTS)
    assert all(isinstance(warning, str) and "\n" not in warning for warning in warnings)
    assert view.measure in ("events", *COUNTS)  # only a count the data gives
    months = [view.start, view.end, *(view.compare or ())]
    for month in filter(None, months):
        assert parse_period(month)[2] == "month"
    for day, month in ((view.start_day, view.start), (view.end_day, view.end)):
        assert day is None or (parse_period(day)[2] == "day" and day[:7] == month)
    first, last = view.day_range()
    assert first is None or last is None or first <= last
    for value, low, high in ((view.lat, -85, 85), (view.lon, -180, 180)):
        assert value is None or (math.isfinite(value) and low <= value <= high)
    assert view.zoom is None or MIN_ZOOM <= view.zoom <= MAX_ZOOM
    assert set(view.nations) <= set(NATION_NAMES)
    default_layers = AREAS[:1]
    link = {key: [value] for key, value in view.to_query(default_layers).items()}
    if view.layers is not None and sorted(view.layers) == sorted(default_layers):
        view = replace(view, layers=None)  # the default layers are not written in a link
    assert View.from_query(link, area_ids=AREAS, event_ids=EVENTS, count_names=COUNTS) == (
        view,
        [],
    )


def test_the_measure_is_a_count_the_data_gives_and_round_trips():
    view, warnings = View.from_query({"measure": ["aircraft"]}, count_names=COUNTS)
    assert (view.measure, warnings) == ("aircraft", [])
    assert view.to_query() == {"measure": "aircraft"}
    assert View.from_query({"measure": ["events"]}, count_names=COUNTS) == (View(), [])
    assert View().to_query() == {}  # counting events is the default: not written


@pytest.mark.parametrize(
    ("text", "counts", "said"),
    [
        (
            "balloons",
            COUNTS,
            "no event in the data gives a count named 'balloons' (it gives 'aircraft', "
            "'median_line_crossings', 'ships')",
        ),
        ("aircraft", [], "no event in the data gives a count named 'aircraft' (it gives none)"),
        ("Aircraft", COUNTS, "'Aircraft' is not events or the name of a count"),
        ("<b>x</b>", COUNTS, "'<b>x</b>' is not events or the name of a count"),
    ],
)
def test_a_measure_the_data_cannot_count_warns_once_and_counts_events(text, counts, said):
    view, warnings = View.from_query({"measure": [text], "kinds": ["patrol"]}, count_names=counts)
    assert view == View(kinds=("patrol",))
    assert warnings == [f"Link parameter 'measure': {said}; using the default"]


# --- days as well as months --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "months", "days", "bounds"),
    [
        (
            {"start": "2024-07-18", "end": "2024-07-21"},
            ("2024-07", "2024-07"),
            ("2024-07-18", "2024-07-21"),
            (dt.date(2024, 7, 18), dt.date(2024, 7, 21)),
        ),
        (
            {"start": "2024-07-18"},
            ("2024-07", None),
            ("2024-07-18", None),
            (dt.date(2024, 7, 18), None),
        ),
        (  # a month and a day together: from 1 June to 3 July
            {"start": "2024-06", "end": "2024-07-03"},
            ("2024-06", "2024-07"),
            (None, "2024-07-03"),
            (dt.date(2024, 6, 1), dt.date(2024, 7, 3)),
        ),
        (  # months as before: whole months
            {"start": "2024-05", "end": "2024-06"},
            ("2024-05", "2024-06"),
            (None, None),
            (dt.date(2024, 5, 1), dt.date(2024, 6, 30)),
        ),
        (  # one day
            {"start": "2024-02-29", "end": "2024-02-29"},
            ("2024-02", "2024-02"),
            ("2024-02-29", "2024-02-29"),
            (dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
        ),
    ],
)
def test_start_and_end_may_be_days_whose_months_are_kept_beside_them(params, months, days, bounds):
    view, warnings = read(**params)
    assert warnings == []
    assert (view.start, view.end) == months
    assert (view.start_day, view.end_day) == days
    assert view.day_range() == bounds
    assert read(**view.to_query()) == (view, [])
    assert view.to_query() == params


@pytest.mark.parametrize(
    ("params", "bad_key"),
    [
        ({"start": "2024-02-30"}, "start"),
        ({"end": "2023-02-29"}, "end"),
        ({"start": "2024-07-32"}, "start"),
        ({"start": "2024-7-18"}, "start"),
        ({"end": "18/07/2024"}, "end"),
        ({"start": "2024-07-18T02:00Z"}, "start"),
        ({"start": "2024-07-21", "end": "2024-07-18"}, "start"),
        ({"start": "2024-08", "end": "2024-07-31"}, "start"),
    ],
)
def test_a_bad_day_warns_once_and_shows_every_month(params, bad_key):
    view, warnings = read(**params, zoom="5")
    assert len(warnings) == 1 and warnings[0].startswith(f"Link parameter '{bad_key}':")
    assert (view.start, view.end, view.start_day, view.end_day) == (None, None, None, None)
    assert view.zoom == 5


def test_a_day_typed_with_full_width_digits_reads_as_its_ascii():
    view, warnings = read(start="２０２４－０７－１８")
    assert (view.start_day, view.start, warnings) == ("2024-07-18", "2024-07", [])


def test_a_view_made_with_a_day_keeps_its_month_in_step():
    view = View(start_day="2024-07-18", end_day="2024-09-02")
    assert (view.start, view.end) == ("2024-07", "2024-09")
    assert replace(view, start_day="2025-01-05").start == "2025-01"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["strait-transit"], "strait-transit"),
        (["ｓｔｒａｉｔ"], "strait"),  # read as from_query reads it (NFKC)
        (["\x00"], None),
        (["strait-transit\x00"], None),
        (["\ud800"], None),
        (["a" * 3000], None),
        (["a", "b"], None),
        ([], None),
    ],
)
def test_only_an_id_shaped_event_link_is_looked_up(values, expected):
    from layers.view import linked_event_id

    assert linked_event_id({"event": values}) == expected
