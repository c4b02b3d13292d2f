"""The built areas' own names in the page's other languages (issue 27): the `names` property
that tools/make_areas.py and tools/make_field_areas.py write (docs/data-format.md, "Named
areas"). regions.geojson is written by hand and carries its own.

Each is the name the area's readers use (official or common usage; the glossary's terms for
領海 / 接続水域 / 毗连区). A disputed place stays neutral as its English `name` does: every
party's name, the reader's own first; the map takes no position on sovereignty (the areas'
notes).
"""

from __future__ import annotations

AREA_NAMES: dict[str, dict[str, str]] = {
    "senkaku-waters": {
        "zh-TW": "釣魚臺列嶼 / 尖閣諸島 / 釣魚島",
        "ja": "尖閣諸島 / 釣魚島 / 釣魚台",
        "zh-CN": "钓鱼岛 / 尖阁诸岛 / 钓鱼台",
    },
    "senkaku-territorial-sea": {
        "zh-TW": "釣魚臺列嶼 / 尖閣諸島 / 釣魚島：距島嶼12浬（約略領海）",
        "ja": "尖閣諸島 / 釣魚島 / 釣魚台：島々から12海里（おおよその領海）",
        "zh-CN": "钓鱼岛 / 尖阁诸岛 / 钓鱼台：距岛屿12海里（近似领海）",
    },
    "senkaku-contiguous-zone": {
        "zh-TW": "釣魚臺列嶼 / 尖閣諸島 / 釣魚島：12至24浬（約略鄰接區）",
        "ja": "尖閣諸島 / 釣魚島 / 釣魚台：12～24海里（おおよその接続水域）",
        "zh-CN": "钓鱼岛 / 尖阁诸岛 / 钓鱼台：12至24海里（近似毗连区）",
    },
    "south-china-sea": {
        "zh-TW": "南海",
        "ja": "南シナ海",
        "zh-CN": "南海",
    },
    "spratly-islands": {
        "zh-TW": "南沙群島 / 斯普拉特利群島",
        "ja": "南沙諸島 / スプラトリー諸島",
        "zh-CN": "南沙群岛 / 斯普拉特利群岛",
    },
    "paracel-islands": {
        "zh-TW": "西沙群島 / 帕拉塞爾群島",
        "ja": "西沙諸島 / パラセル諸島",
        "zh-CN": "西沙群岛 / 帕拉塞尔群岛",
    },
    "paracel-islands-12nm": {
        "zh-TW": "西沙群島 / 帕拉塞爾群島：距各島12浬（約略領海）",
        "ja": "西沙諸島 / パラセル諸島：各島から12海里（おおよその領海）",
        "zh-CN": "西沙群岛 / 帕拉塞尔群岛：距各岛12海里（近似领海）",
    },
    "scarborough-shoal": {
        "zh-TW": "黃岩島 / 斯卡伯勒淺灘",
        "ja": "スカボロー礁 / 黄岩島",
        "zh-CN": "黄岩岛 / 斯卡伯勒浅滩",
    },
    "scarborough-shoal-12nm": {
        "zh-TW": "黃岩島 / 斯卡伯勒淺灘：12浬（約略領海）",
        "ja": "スカボロー礁 / 黄岩島：12海里（おおよその領海）",
        "zh-CN": "黄岩岛 / 斯卡伯勒浅滩：12海里（近似领海）",
    },
    "second-thomas-shoal": {
        "zh-TW": "仁愛礁 / 第二托馬斯淺灘 / 阿雲金淺灘",
        "ja": "セカンド・トーマス礁 / 仁愛礁 / アユンギン礁",
        "zh-CN": "仁爱礁 / 第二托马斯浅滩 / 阿云金浅滩",
    },
    "mischief-reef": {
        "zh-TW": "美濟礁 / 密斯契夫礁 / 潘加尼班礁",
        "ja": "ミスチーフ礁 / 美済礁 / パンガニバン礁",
        "zh-CN": "美济礁 / 密斯契夫礁 / 潘加尼班礁",
    },
    "whitsun-reef": {
        "zh-TW": "牛軛礁 / 惠特森礁 / 胡利安·費利佩礁",
        "ja": "ウィットサン礁 / 牛軛礁 / フリアン・フェリペ礁",
        "zh-CN": "牛轭礁 / 惠特森礁 / 胡利安·费利佩礁",
    },
    "miyako-strait": {
        "zh-TW": "宮古海峽（沖繩本島與宮古島之間）",
        "ja": "宮古海峡（沖縄本島と宮古島との間の海域）",
        "zh-CN": "宫古海峡（冲绳本岛与宫古岛之间）",
    },
    "yonaguni-iriomote-passage": {
        "zh-TW": "與那國島與西表島之間水道（八重山群島）",
        "ja": "与那国島と西表島との間の海域（八重山諸島）",
        "zh-CN": "与那国岛与西表岛之间水道（八重山群岛）",
    },
    "yonaguni-taiwan-passage": {
        "zh-TW": "與那國島與台灣之間水道",
        "ja": "与那国島と台湾との間の海域",
        "zh-CN": "与那国岛与台湾之间水道",
    },
    "bashi-channel": {
        "zh-TW": "巴士海峽（台灣與巴丹群島之間）",
        "ja": "バシー海峡（台湾とバタン諸島の間）",
        "zh-CN": "巴士海峡（台湾与巴丹群岛之间）",
    },
}


def with_names(properties: dict) -> dict:
    """`properties` with the area's `names` (AREA_NAMES) after its `alt_names`."""
    names = AREA_NAMES.get(properties.get("id"))
    if names is None:
        return properties
    result = {}
    for key, value in properties.items():
        if key != "names":
            result[key] = value
        if key == "alt_names":
            result["names"] = dict(names)
    return result
