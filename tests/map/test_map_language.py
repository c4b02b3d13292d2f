"""The map in the reader's language: legend, layer list, hover words, player, clusters, the
change map, the density legend, the drawing tool's words and the shapes panel's measures and
problem lines. Data stays as written; English stays as it was."""

import json

import pytest
from conftest import area, collection, event, small_dataset, write_geodata

from dashboard_ui.data import area_names
from layers.aggregate import map_window
from layers.analysis.drawn import drawn_zones, measure_words
from layers.filters import filter_events
from layers.i18n import language, localized
from layers.map.change import change_hover
from layers.map.clusters import ClusterView
from layers.map.data import MapData, hover_properties
from layers.map.draw import DrawControl, draw_local
from layers.map.legend import legend_entries
from layers.map.player import MonthPlayer
from layers.map.text_layer import GeoJsonText
from layers.map.view import month_layer_name, view_layers
from layers.read.load import load_geodata
from layers.read.schema import KIND_LABELS
from layers.shapes import Shape, shape_label, shapes_from_param
from layers.view import View

HOSTILE = '<img src=x onerror="alert(1)">&amp;'


@pytest.fixture
def geodata(tmp_path):
    return load_geodata(small_dataset(tmp_path))


def layer_names(groups):
    return [group.layer_name for group in groups]


def test_the_legend_says_kinds_and_months_in_japanese():
    with language("ja"):
        kinds = legend_entries("kind", [], ["port_call", "exercise"])
        months = legend_entries("month", ["2024-07", "2024-08"])
    assert [label for _colour, label in kinds] == ["演習", "寄港"]
    assert [label for _colour, label in months] == ["2024年7月", "2024年8月"]
    # English as before: the months as the link writes them.
    assert [label for _colour, label in legend_entries("month", ["2024-07"])] == ["2024-07"]


def test_the_layer_list_is_in_japanese_and_area_names_are_the_areas_own(tmp_path):
    names = {"boso-south-waters": {"ja": "房総半島南方海域（日本語名）"}}
    root = write_geodata(
        tmp_path,
        {"e.geojson": collection(event("x"), event("y", start="2024-09-02"))},
        {"a.geojson": collection(area()), "b.geojson": collection(area("odd", name=HOSTILE))},
    )
    geodata = load_geodata(root)
    areas = geodata.areas.assign(names=[names.get(i) for i in geodata.areas["id"]])
    view = View()
    with language("ja"):
        groups = view_layers(
            filter_events(geodata.events, view),
            MapData.prepare(geodata.events, geodata.areas),
            geodata.areas,
            ["2024-07", "2024-08", "2024-09"],
            view,
            map_window(4, center=(27, 130)),
            names=area_names(areas),
        )
    listed = layer_names(groups)
    assert "区域：房総半島南方海域（日本語名）" in listed
    # A name no source gives in Japanese stays as written, escaped for the layer list.
    assert [name for name in listed if "img" in name] == [
        "区域：&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;"
    ]
    assert "位置の不確かさ" in listed
    assert "2024年7月（1 件）" in listed
    assert "2024年8月（なし）" in listed
    # The area's label on the map: its Japanese name, every other name under it.
    area_script = groups[0]._children
    (text,) = [child for child in area_script.values() if isinstance(child, GeoJsonText)]
    label = json.loads(text.data)["features"][0]["properties"]
    assert label["t"] == "房総半島南方海域（日本語名）"
    assert label["w"] == "Southern Boso Peninsula waters / 房総半島南方海域"


def test_layer_names_in_english_are_as_before():
    assert month_layer_name("2024-07", 1234) == "2024-07 (1,234)"
    assert month_layer_name("2024-07", 0) == "2024-07 (none)"
    with language("zh-TW"):
        assert month_layer_name("2024-07", 1234) == "2024年7月（1,234 件）"


def test_hover_text_is_prepared_in_english_and_said_in_the_readers_language(geodata):
    row = next(geodata.events.itertuples())
    with language("ja"):
        prepared = hover_properties(row)  # made once for every reader
        words = GeoJsonText("{}", kind="events").options["words"]
    assert prepared == hover_properties(row)
    assert prepared["w"].startswith(KIND_LABELS.english(row.kind) + " · ")
    assert prepared["w"].endswith(" 2024")  # its dates in English words too
    assert words["kinds"]["Exercise"] == "演習"
    assert words["kinds"]["Port call"] == "寄港"
    assert words["locale"] == "ja-JP"
    assert words["uploaded"] == "アップロード（{file}）"
    assert GeoJsonText("{}", kind="events").options["words"] is None  # English: as prepared


def test_the_month_player_speaks_japanese():
    with language("ja"):
        player = MonthPlayer(["2024-07", "2024-08"], [1, 0])
    assert player.count_texts == ["1 件のイベント", "イベントなし"]
    assert [step["l"] for step in player.steps] == ["2024年7月", "2024年8月"]
    assert player.words["play"] == "1 か月ずつ再生"
    assert player.words["trail"] == "軌跡"
    english = MonthPlayer(["2024-07"], [2])
    assert english.count_texts == ["2 events"]
    assert english.steps[0]["l"] == "2024-07"


def test_count_circles_and_the_change_map_speak_chinese():
    with language("zh-CN"):
        clusters = ClusterView([[130.0, 27.0]])
        lines = change_hover(2, 5, 5, ("2024-05", "2024-05"), ("2024-07", "2024-07"))
    assert clusters.words["zoom"] == "点击以放大"
    assert "演习" in clusters.labels  # the kinds in Chinese
    assert lines == ["+3（增为两倍以上）", "A 2024-05：2 起事件", "B 2024-07：5 起事件"]


def test_the_drawing_tool_speaks_the_readers_language():
    with language("ja"):
        local = draw_local()
        control = DrawControl()
    assert local["draw"]["toolbar"]["buttons"]["polygon"] == "多角形を描く"
    assert local["draw"]["handlers"]["polygon"]["tooltip"]["start"] == (
        "クリックして図形を描き始めます。"
    )
    assert local["edit"]["toolbar"]["buttons"]["remove"] == "図形を削除"
    assert control.nm == "海里"
    with language("zh-TW"):
        assert draw_local()["draw"]["toolbar"]["buttons"]["polyline"] == "繪製線"
    assert draw_local() == {}  # English: Leaflet.draw's own words, as before


def test_shapes_measures_and_problems_in_japanese_names_as_written(geodata):
    circle = Shape("circle", ((25.0, 122.0),), distance=12, unit="nm")
    crossing = Shape("polygon", ((24.0, 121.0), (26.0, 123.0), (24.0, 123.0), (26.0, 121.0)))
    named = Shape("polygon", crossing.points, name="東シナ海の枠")
    drawn = drawn_zones((circle, crossing, named), geodata.areas)
    assert drawn.problems[0].startswith("Drawn polygon D2 is not used as a zone: its edges")
    with language("ja"):
        measures = measure_words(circle, drawn.measures["D1"])
        problems = [localized(problem) for problem in drawn.problems]
        label = localized(shape_label((circle,), 0))
        _shapes, warnings = shapes_from_param("x_1_2", None)
        warning = localized(warnings[0])
    assert measures.startswith("半径 22.22 km（12.00 海里）、面積 ")
    assert problems[0].startswith("描いた多角形 D2 は所在区域として使われません：")
    assert "付近で辺が交差しています" in problems[0]
    assert problems[1].startswith("東シナ海の枠 は所在区域として使われません")
    assert label == "描いた円 D1"
    assert warning == (
        "リンクのパラメーター 'shapes'：図形 1（'x_1_2'）：'x' は図形の種別ではありません"
        "（p 多角形、r 長方形、c 円、l 線、w バッファ） を除外"
    )
    # English as before.
    assert measure_words(circle, drawn.measures["D1"]).startswith("radius 22.22 km (12.00 nm)")
    assert warnings[0].startswith("Link parameter 'shapes': left out shape 1 ('x_1_2'): 'x' is")
