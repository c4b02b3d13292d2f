"""The analyses in a Japanese and a Chinese reader's language, through Streamlit's AppTest
(issue 27): their sections, captions, charts' cells and tables' headers and words; the data's
names (areas, nations' codes) as written."""

from test_dashboard import app, chart_data, open_section, zone_dataset  # noqa: F401


def test_activity_by_area_in_japanese(app, tmp_path):  # noqa: F811
    at = open_section(app(zone_dataset(tmp_path / "zones"), lang="ja"), "open_areas")
    assert not at.exception
    labels = [section.label for section in at.main.expander]
    assert "誰と誰が協力しているか" in labels and "区域別の活動" in labels
    assert "Activity by area" not in labels
    assert any(
        caption.value.startswith(
            "各区域内の表示中のイベント（含まれる可能性があるだけのものは除く）"
        )
        for caption in at.caption
    )
    cells = chart_data(at, 1)
    # The 12 nm sea named short: its kind in Japanese and the place by the area file's own
    # Japanese names (every party's, the reader's first).
    assert set(cells["area_name"]) == {"領海（12海里）：尖閣諸島 / 釣魚島 / 釣魚台"}
    assert list(cells["description"]) == [
        "領海（12海里）：尖閣諸島 / 釣魚島 / 釣魚台、2024年7月：1 件のイベント"
    ]


def test_a_compare_link_in_traditional_chinese_says_the_change_in_its_words(app):  # noqa: F811
    at = app(start="2024-07", compare="2024-05..2024-06", lang="zh-TW")
    assert not at.exception
    assert "比較兩個時段" in [section.label for section in at.expander]
    table = next(frame.value for frame in at.dataframe if "變化" in frame.value)
    assert list(table.columns) == [
        "區域",
        "類型",
        "A 2024-05..2024-06",
        "B 2024-07",
        "B − A",
        "變化",
        "A（可能位於）",
        "B（可能位於）",
    ]
    rows = set(zip(table["區域"], table["變化"]))
    assert ("（不在任何區域）", "消失") in rows
    assert ("Southern Boso Peninsula waters", "新增") in rows  # the area's name as written
    caption = next(c.value for c in at.caption if c.value.startswith("各區域內依類型的事件"))
    assert "A = 2024年5月至2024年6月（比較基準），B = 2024年7月" in caption


def test_who_works_with_whom_in_simplified_chinese_names_nations_in_chinese(app):  # noqa: F811
    at = open_section(app(start="2024-06", lang="zh-CN"), "open_partners")
    assert not at.exception
    partners = next(frame.value for frame in at.dataframe if "新伙伴数" in frame.value)
    assert ("加拿大 (CAN)", 1, "美国") in set(
        zip(partners["国家"], partners["新伙伴数"], partners["伙伴"])
    )
    cells = chart_data(at, 1)
    assert "日本 与 台湾：1 起事件" in set(cells["description"])
