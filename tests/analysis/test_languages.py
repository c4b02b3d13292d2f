"""The analyses in the reader's language (issue 27): the heat tables' cells, tooltips and
month axis, the counts' words, the zones' short names and words, the new partners' lists.
Names of places and nations a source gives stay as written; English is as before."""

import pandas as pd

from layers.analysis.charts import (
    area_month_chart,
    area_month_frame,
    matrix_frame,
    nation_matrix_chart,
)
from layers.analysis.coalitions import nation_matrix, new_partner_table
from layers.analysis.zones import IN, POSSIBLY, short_area_names, zones_text
from layers.i18n import language
from layers.measure import Tally, amount, missing_words

AREAS = pd.DataFrame(
    {
        "id": ["senkaku-territorial-sea", "taiwan-strait"],
        "name": ["Senkaku / Diaoyu / Tiaoyutai Islands: 12 nm from the islets", "Taiwan Strait"],
        "kind": ["territorial_sea", "strait"],
        "names": [None, {"zh-TW": "臺灣海峽", "ja": "台湾海峡"}],
    }
)


def tooltip_titles(chart) -> list[str]:
    spec = chart.to_dict()
    layer = spec["layer"][0]
    return [tooltip.get("title", tooltip["field"]) for tooltip in layer["encoding"]["tooltip"]]


def test_the_area_table_speaks_japanese_and_names_its_months_as_a_japanese_reader_does():
    table = pd.DataFrame([[3, 0]], index=["taiwan-strait"], columns=["2024-07", "2024-08"])
    names = {"taiwan-strait": "Taiwan Strait"}
    with language("ja"):
        cells = area_month_frame(table, names, ("2024-07", "2024-07"))
        chart = area_month_chart(table, names, ("2024-07", "2024-07"))
        assert list(cells["description"]) == [
            "Taiwan Strait、2024年7月：3 件のイベント",
            "Taiwan Strait、2024年8月：0 件のイベント",
        ]
        assert tooltip_titles(chart) == ["区域", "月", "イベント"]
        label = chart.to_dict()["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]
        assert "'7月'" in label and "'Jul'" not in label
    english = area_month_chart(table, names, None).to_dict()
    assert "'Jul'" in english["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]
    assert tooltip_titles(area_month_chart(table, names, None)) == ["area", "month", "events"]


def test_the_nations_matrix_in_traditional_chinese():
    events = pd.DataFrame({"nations": [["JPN", "TWN"], ["JPN"]], "kind": "exercise"})
    matrix = nation_matrix(events)
    names = {"JPN": "日本", "TWN": "台灣"}
    with language("zh-TW"):
        cells = matrix_frame(matrix, names)
        descriptions = set(cells["description"])
        assert "日本 與 台灣：1 起事件" in descriptions
        assert "日本：2 起事件" in descriptions
        assert tooltip_titles(nation_matrix_chart(matrix, names)) == ["國家", "合作對象", "事件"]


def test_counts_are_said_in_the_readers_words():
    with language("zh-TW"):
        assert amount(1024, "aircraft") == "航空器 1,024"
        assert amount(12, "events") == "12 起事件"
        assert missing_words(11, "aircraft") == "11 起事件未提供航空器計數"
        assert Tally("ships", 40, 7, 2).headline() == "艦船 40（7 起事件）"
    with language("ja"):
        assert amount(3, "median_line_crossings") == "中間線越え 3"
    # English as before.
    assert amount(1024, "aircraft") == "1,024 aircraft"
    assert missing_words(1, "ships") == "1 event gives no ships count"
    assert Tally("ships", 40, 7, 2).headline() == "40 ships in 7 events"


def test_short_area_names_are_read_in_the_readers_language():
    short = short_area_names(AREAS)
    assert dict(short) == {
        "senkaku-territorial-sea": "Territorial sea (12 nm): Senkaku / Diaoyu / Tiaoyutai Islands",
        "taiwan-strait": "Taiwan Strait",
    }
    with language("ja"):
        assert short["senkaku-territorial-sea"] == (
            "領海（12海里）：Senkaku / Diaoyu / Tiaoyutai Islands"  # the place as written
        )
        assert short["taiwan-strait"] == "台湾海峡"  # the area's own Japanese name
    with language("zh-TW"):
        assert short["taiwan-strait"] == "臺灣海峽"
        tags = (("senkaku-territorial-sea", IN), ("taiwan-strait", POSSIBLY))
        assert zones_text(tags, short) == (
            "領海（12 浬）：Senkaku / Diaoyu / Tiaoyutai Islands；可能位於臺灣海峽"
        )


def test_the_new_partners_list_is_joined_as_the_reader_writes_it():
    fresh = {"JPN": ["AUS", "CAN", "FRA", "GBR", "IND", "USA"]}
    with language("zh-CN"):
        table = new_partner_table(fresh, {})
        assert table["partners"][0] == "AUS、CAN、FRA、GBR，另有 2 国"
    assert new_partner_table(fresh, {})["partners"][0] == "AUS, CAN, FRA, GBR and 2 more"


def test_drawn_areas_join_the_short_names_as_their_analyst_named_them():
    joined = short_area_names(AREAS) | {"drawn-1": "My box", "taiwan-strait": "Strait (mine)"}
    assert len(joined) == 3
    with language("ja"):
        assert dict(joined) == {
            "senkaku-territorial-sea": "領海（12海里）：Senkaku / Diaoyu / Tiaoyutai Islands",
            "taiwan-strait": "Strait (mine)",
            "drawn-1": "My box",
        }
