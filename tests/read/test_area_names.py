"""An area's own names in its readers' languages (`names`, issue 27): read by the loader, kept
in the areas table, given to the page as data["area_names"] in the page's language; a bad
entry is one problem line and the area still shows."""

from __future__ import annotations

from pathlib import Path

from conftest import area, collection, event, write_geodata

from dashboard_ui.data import area_names, load_data
from layers.i18n import language
from layers.read.load import data_fingerprint, load_geodata

REPO = Path(__file__).resolve().parent.parent.parent


def test_the_repositorys_areas_are_named_in_each_readers_language():
    root = REPO / "geodata"
    data = load_data(str(root), data_fingerprint(root))
    names = data["area_names"]
    assert names["izu-oshima-waters"] == "Waters around Izu Oshima"  # English: as written
    with language("ja"):
        assert names["izu-oshima-waters"] == "伊豆大島周辺海域"
        assert names["boso-south-waters"] == "房総半島南端沖"
        assert names["taiwan-strait-median-line"].startswith("台湾海峡中間線")
        assert names["senkaku-contiguous-zone"].endswith("（おおよその接続水域）")
    with language("zh-TW"):
        assert names["taiwan-strait"] == "台灣海峽"
        assert names["south-china-sea"] == "南海"
        assert names["senkaku-territorial-sea"].endswith("（約略領海）")
    with language("zh-CN"):
        assert names["north-philippine-sea"] == "菲律宾海北部"
        assert names["senkaku-contiguous-zone"].endswith("（近似毗连区）")


def test_a_disputed_place_keeps_every_partys_name_the_readers_own_first():
    areas = load_geodata(REPO / "geodata").areas
    names = area_names(areas)
    expected = {
        "ja": "尖閣諸島 / 釣魚島 / 釣魚台",
        "zh-TW": "釣魚臺列嶼 / 尖閣諸島 / 釣魚島",
        "zh-CN": "钓鱼岛 / 尖阁诸岛 / 钓鱼台",
    }
    for tag, name in expected.items():
        with language(tag):
            assert names["senkaku-waters"] == name
            assert names["scarborough-shoal"].count(" / ") >= 1
    # Every area of the repository is named in every language.
    for row in areas.itertuples():
        assert set(row.names) == {"zh-TW", "ja", "zh-CN"}, row.id


def test_a_bad_names_entry_is_one_problem_line_and_the_area_still_shows(tmp_path):
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(event("e1"))},
        {
            "a.geojson": collection(
                area("bay", names={"ja": "東京湾", "fr": "Baie de Tokyo", "zh-TW": "  "}),
                area("sea", names="南海"),
                area("plain"),
            )
        },
    )
    geodata = load_geodata(root)
    assert set(geodata.areas["id"]) == {"bay", "sea", "plain"}
    lines = sorted(str(problem) for problem in geodata.problems)
    assert lines == [
        'areas/a.geojson: feature "bay" (#1): names.fr: "fr" is not one of the page\'s languages '
        "other than English (zh-TW, ja, zh-CN); ignored",
        'areas/a.geojson: feature "bay" (#1): names.zh-TW: "  " is not a name (one line of '
        "text, at most 500 characters); ignored",
        'areas/a.geojson: feature "sea" (#2): names: "南海" is not an object of language tags '
        "(zh-TW, ja, zh-CN) to names; ignored",
    ]
    rows = geodata.areas.set_index("id")
    assert rows.loc["bay", "names"] == {"ja": "東京湾"}
    assert rows.loc["sea", "names"] is None
    assert rows.loc["plain", "names"] is None
    names = area_names(geodata.areas)
    with language("ja"):
        assert names["bay"] == "東京湾"
        assert names["sea"] == rows.loc["sea", "name"]  # as written
    with language("zh-TW"):
        assert names["bay"] == rows.loc["bay", "name"]


def test_a_name_over_several_lines_is_refused(tmp_path):
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(event("e1"))},
        {"a.geojson": collection(area("bay", names={"ja": "東京\n湾"}))},
    )
    geodata = load_geodata(root)
    assert list(geodata.areas["id"]) == ["bay"]
    (problem,) = geodata.problems
    assert problem.field == "names.ja"
    assert geodata.areas.iloc[0]["names"] is None
