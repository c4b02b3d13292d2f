"""Where one navigational warning ends and the next begins, whatever the layout; its number,
issuer, kind; what it cancels; lists of warnings in force (layers.read.navwarn.headers). Every
text here is fictional, written in the layout each service publishes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.read.navwarn import (
    import_warnings,
    read_items,
    read_warning,
    read_warnings,
    warning_feature,
    warning_id,
    warning_rows,
)
from layers.read.navwarn.headers import number_key, split_pages, split_warnings
from layers.read.navwarn.reader import IN_FORCE_WORDS

BOX = (
    "IN AREA BOUNDED BY THE LINES JOINING 27-30.0N 123-45.0E, 27-30.0N 124-00.0E, "
    "27-15.0N 124-00.0E, 27-15.0N 123-45.0E"
)
BOX_RING = [123.75, 27.5, 124.0, 27.5, 124.0, 27.25, 123.75, 27.25, 123.75, 27.5]  # lon, lat
CN_BOX = "在24-10.00N 118-30.00E、24-10.00N 119-05.00E、23-40.00N 119-05.00E诸点连线范围内"


# --- one warning, one piece of text, whatever the layout --------------------------------------
@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        (
            f"闽航警0123/24，台湾海峡，2024年5月23日，{CN_BOX}进行军事演习，禁止驶入。\n"
            f"闽航警0125/24，台湾海峡，2024年5月25日，{CN_BOX}进行实弹射击，禁止驶入。",
            ["闽航警0123/24", "闽航警0125/24"],
        ),
        (
            f"桂航警51/26\n\n北部湾，3月16日至17日每天1000时至1800时，{CN_BOX}进行军事训练。",
            ["桂航警51/26"],
        ),
        (
            f"GX20/26 BEIBU BAY，MILITARY TRAINING {BOX} 0200 UTC TO 1000 UTC DAILY FROM 16 TO "
            f"17 MAR. GUANGXI MSA CHINA.\nFJ0987/24 TAIWAN STRAIT GUN FIRING {BOX}. "
            "FUJIAN MSA CHINA.",
            ["GX20/26", "FJ0987/24"],
        ),
        (
            f"NAVAREA XI 0540/24\nEAST CHINA SEA.\n\nHAZARDOUS OPERATIONS {BOX}.\n"
            f"NAVAREA XI 0541/24\nYELLOW SEA.\nMILITARY EXERCISES {BOX}.",
            ["NAVAREA XI 0540/24", "NAVAREA XI 0541/24"],
        ),
        (
            "HYDROPAC 2381/26(61).\nEAST CHINA SEA.\nDNC 23.\n\n1. GUNNERY EXERCISES 0100Z TO "
            f"1300Z DAILY 24 THRU 27 AUG\n   {BOX}.\n2. CANCEL\nHYDROPAC 2380/26.//\n"
            f"HYDROPAC 2382/26(61).\nYELLOW SEA.\n1. HAZARDOUS OPERATIONS {BOX}.//",
            ["HYDROPAC 2381/26", "HYDROPAC 2382/26"],
        ),
        (
            "--- NAVAREA XI NO.26-0449 ---\nNO.26-0449       Date:2026/10/08 09 UTC\n"
            "NORTH PACIFIC, MARSHALLS.\nDERELICT BARGE ADRIFT IN VICINITY OF\n"
            "05-05.8N 166-33.5E AT 072210Z OCT.\nCANCEL THIS MSG 102210Z OCT.\n\n"
            "--- NAVAREA XI NO.26-0448 ---\nNO.26-0448       Date:2026/10/08 03 UTC\n"
            "TAIWAN STRAIT.\nSUBMARINE CABLE REPAIRING WORKS.",
            ["NAVAREA XI NO.26-0449", "NAVAREA XI NO.26-0448"],
        ),
        (
            "航行警報 第1234号\n房総半島南方 射撃訓練\n\n34-40.0N 139-55.0E 付近\n"
            "本州南方航行警報 第56号\n伊豆諸島東方 ロケット打ち上げ\n"
            "第十管区海上保安本部 航行警報 第7号\n種子島南東方 射撃訓練\n"
            "第七管区海上保安本部\n航行警報 第８号\n対馬海峡 射撃訓練",
            [
                "航行警報 第1234号",
                "本州南方航行警報 第56号",
                "第十管区海上保安本部 航行警報 第7号",
                "第七管区海上保安本部 航行警報 第8号",  # the district on the line above
            ],
        ),
        (
            "航船布告 第113001號\n臺灣海峽 實彈射擊\n(113)航港航字第1130002號\n澎湖海域 實彈射擊",
            ["航船布告 第113001號", "(113)航港航字第1130002號"],
        ),
        (
            "舟航通[2024]0097号 舟山中块岛水域军事活动\n舟航通[2024]0098号 舟山黄它山水域军事活动\n"
            "浙海航通〔2024〕12号 温州海域军事训练",
            ["舟航通[2024]0097号", "舟航通[2024]0098号", "浙海航通〔2024〕12号"],
        ),
        (
            f"闽航警0123/24，台湾海峡，{CN_BOX}进行军事演习。闽航警0124/24：取消闽航警0123/24。",
            ["闽航警0123/24", "闽航警0124/24"],
        ),
    ],
    ids=[
        "cn-msa-consecutive-lines",
        "cn-msa-header-blank-body",
        "en-msa-consecutive-lines",
        "navarea-xi-blank-lines-inside",
        "hydropac-wrapped-cancel",
        "jcg-navarea-xi-list",
        "jcg-kokei-keiho",
        "taiwan-hangchuan-bugao",
        "unknown-numbering",
        "cn-msa-same-line",
    ],
)
def test_each_layout_splits_into_its_warnings(text, numbers):
    assert [warning.number for warning in read_warnings(text)] == numbers


# A page of msa.gov.cn as scraped into one cell, and two pages pasted one after the other.
PAGE_ONE_LINE = (
    "English x 中国海事公众号 海事通App 首页 机构职能 机构职责 政府信息公开 航行安全 安全信息 "
    "航行警告 辽宁海事局 MILITARY MISSION—LN121/26 来源：大连海事局 文号：LN121/26 "
    "发布时间：2026-03-27 17:50 [字体： 大 中 小 ] 分享到： LN121/26 BOHAI STRAIT MILITARY "
    f"MISSION {BOX} FROM 280100UTC TO 281000UTC MAR. ENTERING PROHIBITED. 收藏 打印本页 "
    "关闭窗口 下载PDF文件 分享到微信朋友圈 x 打开微信，点击底部的“发现”"
)
PAGES_PASTED = (
    "首页 航行安全 安全信息 航行警告 广西海事局\n军事训练—桂航警51/26\n"
    "发布时间：2026-03-15 13:35 [字体： 大 中 小 ] 分享到：\n"
    f"桂航警51/26，北部湾，3月16日，{CN_BOX}进行军事训练，禁止船舶驶入。\n"
    "收藏 打印本页 关闭窗口\n\n"
    "首页 航行安全 安全信息 航行警告 辽宁海事局\nMILITARY MISSION—LN122/26\n"
    "来源：大连海事局 文号：LN122/26\n发布时间：2026-03-28 10:00 [字体： 大 中 小 ] 分享到：\n"
    f"LN122/26 BOHAI STRAIT MILITARY MISSION {BOX} FROM 290100UTC TO 291000UTC MAR.\n"
    "收藏 打印本页 关闭窗口\n版权所有：中华人民共和国海事局"
)


def test_a_scraped_web_page_gives_its_warning_alone_and_the_issuer_its_header_names():
    (warning,) = read_warnings(PAGE_ONE_LINE)
    assert warning.text == (
        f"LN121/26 BOHAI STRAIT MILITARY MISSION {BOX} FROM 280100UTC TO 281000UTC MAR. "
        "ENTERING PROHIBITED."
    )
    assert (warning.number, warning.nations, warning.issuer_source) == (
        "LN121/26",
        ["CHN"],
        "page header",
    )
    assert [n for p in warning.areas[0].ring() for n in p] == pytest.approx(BOX_RING, abs=1e-3)


def test_pages_pasted_one_after_another_give_one_warning_each_and_no_page_text():
    pieces = split_pages(PAGES_PASTED)
    assert [body for body, _ in pieces] == [
        f"桂航警51/26，北部湾，3月16日，{CN_BOX}进行军事训练，禁止船舶驶入。",
        f"LN122/26 BOHAI STRAIT MILITARY MISSION {BOX} FROM 290100UTC TO 291000UTC MAR.",
    ]
    assert "来源：大连海事局" in pieces[1][1] and "广西海事局" in pieces[0][1]
    read = read_warnings(PAGES_PASTED, dt.date(2026, 3, 15))
    assert [(w.nations, w.issuer_source) for w in read] == [
        (["CHN"], "number"),
        (["CHN"], "page header"),
    ]


def test_a_web_page_alone_is_no_warning():
    assert split_warnings("首页 航行安全 安全信息 航行警告\n收藏 打印本页 关闭窗口") == []


# --- numbers: the year each carries, ids that stay unique, repeats kept once -------------------
@pytest.mark.parametrize(
    ("text", "number", "year"),
    [
        ("闽航警0123/24，台湾海峡。", "闽航警0123/24", 2024),
        ("GX20/26 BEIBU BAY.", "GX20/26", 2026),
        ("NAVAREA XI 0540/24 EAST CHINA SEA.", "NAVAREA XI 0540/24", 2024),
        ("--- NAVAREA XI NO.26-0449 --- NORTH PACIFIC.", "NAVAREA XI NO.26-0449", 2026),
        ("HYDROPAC 2381/26(61). EAST CHINA SEA.", "HYDROPAC 2381/26", 2026),
        ("航行警報 第1234号 房総半島南方", "航行警報 第1234号", None),
        ("航船布告 第113001號 臺灣海峽", "航船布告 第113001號", None),
        ("航船布告 113年第045號 臺灣海峽", "航船布告 113年第045號", 2024),
        ("航船布告(113)第046號 臺灣海峽", "航船布告(113)第046號", 2024),
        ("航行警報(本州南方)第1235号 伊豆諸島東方", "航行警報(本州南方)第1235号", None),
        ("本州南方航行警報 2024年第56号", "本州南方航行警報 2024年第56号", 2024),
        ("NAVAREA XII 0456/24 NORTH PACIFIC.", "NAVAREA XII 0456/24", 2024),
        ("(113)航港航字第1130002號 澎湖海域", "(113)航港航字第1130002號", 2024),
        ("舟航通[2024]0097号 舟山中块岛水域", "舟航通[2024]0097号", 2024),
        ("浙海航通〔2024〕12号 温州海域", "浙海航通〔2024〕12号", 2024),
    ],
)
def test_each_numbering_gives_its_number_and_year(text, number, year):
    warning = read_warning(text)
    assert (warning.number, warning.year) == (number, year)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("NAVAREA XI NO.24-0540", "NAVAREA XI 540/2024"),
        ("闽航警0123/24", "闽航警123/24"),
        ("HYDROPAC 2381/26", "hydropac 2381/26"),
    ],
)
def test_two_spellings_of_one_number_are_one_warning(one, other):
    assert number_key(one) == number_key(other)


def test_two_notices_in_an_unknown_numbering_are_two_warnings_with_two_ids():
    text = (
        f"舟航通[2024]0097号 2024年5月23日 {CN_BOX}进行军事活动。\n"
        f"舟航通[2024]0098号 2024年5月24日 {CN_BOX}进行军事活动。"
    )
    first, second = read_warnings(text)
    assert (first.number, second.number) == ("舟航通[2024]0097号", "舟航通[2024]0098号")
    assert warning_id(first) != warning_id(second)
    events, _ = import_warnings([(text, None, None, None)], "w.txt", nations=["CHN"])
    assert len(events) == 2 and events["id"].is_unique


def test_a_warning_repeated_word_for_word_is_one_warning_said_once():
    text = f"闽航警0123/24，台湾海峡，2024年5月23日，{CN_BOX}进行军事演习。"
    items = [(text + "\n\n" + text, None, None, 2), (text, None, None, 3)]
    read = read_items(items)
    assert len(read) == 1 and read[0][3] == 2
    events, problems = import_warnings(items, "w.csv")
    assert len(events) == 1 and problems == []


def test_warnings_without_a_number_are_named_by_their_text_and_never_share_an_id():
    text = (
        f"2024年5月23日，台湾海峡，{CN_BOX}进行军事演习，禁止驶入，请过往船舶注意避让并加强瞭望。\n\n"
        f"航行警報 第一二三号\n2024年5月24日 {CN_BOX}射撃訓練"
    )
    first, second = read_warnings(text)
    assert first.number == second.number == ""  # 第一二三号 is kanji, not a number read
    assert first.problems[0].startswith(  # the text's first 60 characters
        'no warning number found in "2024年5月23日，台湾海峡，在24-10.00N 118-30.00E、24-10.00N '
        '119-05.00E、2…"'
    )
    assert warning_id(first) != warning_id(second)


# --- what a warning cancels ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "cancels"),
    [
        (
            f"HYDROPAC 2400/26(61). EAST CHINA SEA. 1. HAZARDOUS OPERATIONS FROM 240100UTC TO "
            f"241300UTC AUG {BOX}. 2. CANCEL HYDROPAC 2381/26.//",
            ["HYDROPAC 2381/26"],
        ),
        (
            f"NAVAREA XI 0541/24 EAST CHINA SEA. MILITARY EXERCISES FROM 240100UTC TO 241300UTC "
            f"AUG {BOX}. CANCEL NAVAREA XI 0540/24.",
            ["NAVAREA XI 0540/24"],
        ),
        (
            f"HYDROPAC 2400/26(61). EAST CHINA SEA. 1. GUNNERY FROM 240100UTC TO 241300UTC AUG "
            f"{BOX}. 2. CANCEL HYDROPAC 2381/26, 2390/26.\n3. CANCEL THIS MSG 241400Z AUG 26.//",
            ["HYDROPAC 2381/26", "HYDROPAC 2390/26"],
        ),
        (
            f"--- NAVAREA XI NO.24-0600 --- EAST CHINA SEA. SURVEY OPERATIONS FROM 240100UTC TO "
            f"241300UTC AUG {BOX}. CANCEL 0412/24 AND 0423/24.",
            ["NAVAREA XI 0412/24", "NAVAREA XI 0423/24"],
        ),
        (
            f"SD625/26 YELLOW SEA, MILITARY ACTIVITY {BOX} FROM 200000UTC TO 230800UTC AUG. "
            "ENTERING PROHIBITED. SHANDONG MSA CHINA. CANCEL SD606/26.",
            ["SD606/26"],
        ),
        (
            f"NAVAREA XI 0555/24 EAST CHINA SEA. ROCKET LAUNCHING 212300 UTC TO 220300 UTC NOV 24 "
            f"{BOX}. CANCEL THIS MSG 220400 UTC NOV 24.",
            [],
        ),
    ],
    ids=["hydropac", "navarea-xi", "several", "bare-serials", "en-msa", "this-msg-only"],
)
def test_a_warning_that_cancels_others_keeps_its_own_areas(text, cancels):
    warning = read_warning(text)
    assert warning.cancels == cancels
    (area,) = warning.areas
    assert [n for p in area.ring() for n in p] == pytest.approx(BOX_RING, abs=1e-3)
    feature, _ = warning_feature(warning, ["CHN"])
    assert feature is not None


@pytest.mark.parametrize(
    ("text", "cancels"),
    [
        ("闽航警0124/24：取消闽航警0123/24。", ["闽航警0123/24"]),
        (
            "NAVAREA XI 0541/24\nEAST CHINA SEA.\n1. CANCEL NAVAREA XI 0540/24.\n"
            "2. CANCEL THIS MSG.",
            ["NAVAREA XI 0540/24"],
        ),
        ("鲁航警696/26，黄海，军事活动结束，撤销鲁航警676/26。", ["鲁航警676/26"]),
        ("HYDROPAC 2401/26(61). EAST CHINA SEA. 1. CANCEL HYDROPAC 2381/26, 2390/26.", None),
    ],
    ids=["cn-msa", "navarea-xi", "cn-msa-ended", "hydropac-several"],
)
def test_a_pure_cancellation_makes_no_event_and_says_nothing(text, cancels):
    warning = read_warning(text)
    assert warning.cancels == (cancels or ["HYDROPAC 2381/26", "HYDROPAC 2390/26"])
    assert warning_feature(warning, ["CHN"]) == (None, [])
    assert warning.problems == []


def test_every_warning_cancelled_is_marked_by_the_one_that_cancels_it():
    text = (
        f"HYDROPAC 2381/26(61). EAST CHINA SEA. 1. GUNNERY FROM 220100UTC TO 221300UTC AUG "
        f"{BOX}.//\n"
        f"HYDROPAC 2390/26(61). EAST CHINA SEA. 1. GUNNERY FROM 230100UTC TO 231300UTC AUG "
        f"{BOX}.//\n"
        f"HYDROPAC 2400/26(61). EAST CHINA SEA. 1. GUNNERY FROM 240100UTC TO 241300UTC AUG "
        f"{BOX}. 2. CANCEL HYDROPAC 2381/26, 2390/26.//"
    )
    read = read_items([(text, None, None, None)])
    assert [warning.cancelled_by for warning, *_ in read] == [
        "HYDROPAC 2400/26",
        "HYDROPAC 2400/26",
        None,
    ]
    events, _ = import_warnings([(text, None, None, None)], "w.txt", nations=["USA"])
    assert len(events) == 3  # the replacement keeps its area
    rows = warning_rows(read, ["USA"], [])
    assert rows[2]["cancellation"] == "cancels HYDROPAC 2381/26, HYDROPAC 2390/26"
    assert rows[0]["cancellation"] == "cancelled by HYDROPAC 2400/26"


# --- lists of warnings in force -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "HYDROPAC 2402/26(GEN).\nPACIFIC OCEAN.\nHYDROPAC WARNINGS IN FORCE AS OF 150000Z AUG 26:"
        "\n2025 SERIES: 3114.\n2026 SERIES: 1087, 1450, 2381, 2390.//",
        "--- NAVAREA XI NO.26-0443 ---\nNO.26-0443       Date:2026/10/03 12 UTC\n"
        "NAVAREA XI WARNING MESSAGES IN FORCE\n031200Z OCT. ONLY THOSE MESSAGES ISSUED\n"
        "DURING LAST SIX WEEKS ARE LISTED HEREIN.\n0386 0387 0398 0400 0401/26.\nCANCEL 0434/26.",
        "NAVAREA XI 0601/24 NAVAREA XI IN-FORCE BULLETIN: 0540/24 0541/24 0555/24.",
        "NAVAREA XI 0602/24\n0540/24 0541/24 0555/24 0577/24.",
    ],
    ids=["hydropac-bulletin", "navarea-xi-messages-in-force", "in-force-bulletin", "numbers-only"],
)
def test_a_list_of_warnings_in_force_is_no_event_and_one_line_says_so(text):
    warning = read_warning(text)
    assert warning.in_force_list and warning.areas == []
    assert warning.problems == [IN_FORCE_WORDS]
    assert warning_feature(warning, ["JPN"]) == (None, [("text", IN_FORCE_WORDS)])


# --- who issued it, and where that was read --------------------------------------------------
@pytest.mark.parametrize(
    ("text", "page", "nations", "source"),
    [
        ("辽航警0321/24，黄海北部，军事任务。", "", ["CHN"], "number"),
        ("云航警102/26，黄海南部，实弹射击。", "", ["CHN"], "number"),
        ("GX20/26 BEIBU BAY，MILITARY TRAINING. GUANGXI MSA CHINA.", "", ["CHN"], "text"),
        ("HN136/26 SOUTH CHINA SEA MILITARY EXERCISES. HAINAN MSA.", "", ["CHN"], "text"),
        ("HYDROPAC 2381/26(61). EAST CHINA SEA. GUNNERY. (CHINA MSA)", "", ["CHN"], "text"),
        ("LN121/26 BOHAI STRAIT MILITARY MISSION.", "来源：大连海事局 文号：LN121/26", ["CHN"],
         "page header"),
        ("LN121/26 BOHAI STRAIT MILITARY MISSION.", "首页 航行警告 辽宁海事局", ["CHN"],
         "page header"),
        ("航行警報 第1234号 房総半島南方 射撃訓練", "", ["JPN"], "number"),
        ("NAVAREA XI 0555/24 EAST CHINA SEA. JAPAN COAST GUARD.", "", ["JPN"], "text"),
        ("房総半島南方 射撃訓練 海上保安庁", "", ["JPN"], "text"),
        ("種子島南東方 射撃訓練 第十管区海上保安本部", "", ["JPN"], "text"),
        ("航船布告 第113001號 臺灣海峽 實彈射擊", "", ["TWN"], "number"),
        ("臺灣海峽 實彈射擊 交通部航港局", "", ["TWN"], "text"),
        ("NAVAREA XI 0555/24 EAST CHINA SEA. ROCKET LAUNCHING.", "", [], ""),
        ("HYDROPAC 2381/26(61). SOUTH CHINA SEA. GUNNERY EXERCISES.", "", [], ""),
        ("FJ0987/24 TAIWAN STRAIT GUN FIRING.", "", [], ""),
        ("HYDROPAC 1879/18 DISTRESS SIGNAL. REPORTS TO JAPAN COAST GUARD, PHONE 1.", "", [], ""),
        (
            "HYDROPAC 1879/18 DISTRESS SIGNAL. REPORTS TO JAPAN COAST GUARD.// "
            "Authority: JAPAN COAST GUARD 161553Z MAY 18.",
            "",
            ["JPN"],
            "text",
        ),
        ("舟航通[2024]0099号 舟山水域，发现可疑物体请向舟山海事局报告。", "", [], ""),
    ],
    ids=[
        "msa-station-number",
        "msa-port-station-number",
        "en-msa-signature",
        "en-msa-station-only",
        "hydropac-source-named",
        "page-source",
        "page-channel",
        "jcg-number",
        "jcg-english",
        "jcg-japanese",
        "jcg-district",
        "taiwan-number",
        "taiwan-bureau",
        "navarea-xi-never-guessed",
        "hydropac-never-guessed",
        "station-letters-never-guessed",
        "reports-to-is-no-issuer",
        "nga-authority-line",
        "cn-report-to-is-no-issuer",
    ],
)  # fmt: skip
def test_the_issuer_is_read_where_the_text_names_it_never_guessed(text, page, nations, source):
    warning = read_warning(text, page=page)
    assert (warning.nations, warning.issuer_source) == (nations, source)


# --- the event kind the activity gives ---------------------------------------------------------
@pytest.mark.parametrize(
    ("words", "kind", "activity"),
    [
        ("进行火箭发射", "launch", "rocket launching"),
        ("有火箭残骸掉落", "launch", "rocket debris"),
        ("进行航天发射", "launch", "space launch"),
        ("进行导弹发射", "launch", "missile launching"),
        ("HAZARDOUS OPERATIONS, ROCKET LAUNCHING", "launch", "rocket launching"),
        ("SPACE DEBRIS", "launch", "space debris"),
        ("进行实弹射击", "live_fire", "live-fire"),
        ("进行射击训练", "live_fire", "firing training"),
        ("进行打靶", "live_fire", "target practice"),
        ("GUNNERY EXERCISES", "live_fire", "gunnery exercise"),
        ("GUN FIRING", "live_fire", "gun firing"),
        ("LIVE FIRING", "live_fire", "live-fire"),
        ("MISSILE FIRING EXERCISE", "live_fire", "missile firing"),
        ("SHOOTING EXERCISES", "live_fire", "shooting exercise"),
        ("射撃訓練", "live_fire", "firing exercise"),
        ("實彈射擊", "live_fire", "live-fire"),
        ("进行军事演习", "exercise", "military exercise"),
        ("进行军事训练", "exercise", "military training"),
        ("MILITARY EXERCISES", "exercise", "military exercise"),
        ("MILITARY TRAINING", "exercise", "military training"),
        ("演習", "exercise", "exercise"),
        ("HAZARDOUS OPERATIONS", "hazardous_operations", "hazardous operations"),
        ("SURVEY OPERATIONS", "survey", "survey operations"),
        ("SEISMIC SURVEY WORKS", "survey", "seismic survey"),
        ("进行海洋测量", "survey", "survey"),
        ("海洋調査", "survey", "survey"),
        ("SCIENTIFIC RESEARCH", "survey", "scientific research"),
        ("SUBMARINE CABLE REPAIRING WORKS", "hazardous_operations", "cable operations"),
        ("设置临时禁航区", "hazardous_operations", "no-navigation area"),
        ("执行军事任务", "hazardous_operations", "military task"),
        ("LIGHT BUOY MISSING. MARINERS TO EXERCISE CAUTION", "hazardous_operations", ""),
    ],
)
def test_the_kind_comes_from_the_activity(words, kind, activity):
    warning = read_warning(f"闽航警0009/24，台湾海峡，{words}。")
    assert (warning.kind, warning.activity) == (kind, activity)


def test_the_event_takes_the_warning_kind():
    text = (
        "NAVAREA XI 0555/24 EAST CHINA SEA. ROCKET LAUNCHING 212300 UTC TO 220300 UTC NOV 24 "
        f"{BOX}."
    )
    warning = read_warning(text)
    feature, _ = warning_feature(warning, ["CHN"])
    assert feature["properties"]["kind"] == "launch"
    assert feature["properties"]["title"] == "NAVAREA XI 0555/24: rocket launching, EAST CHINA SEA"


# --- never breaks, and splits what it is given ---------------------------------------------------
WARNING_TEXTS = st.sampled_from(
    [
        "闽航警{n:04d}/24，台湾海峡，2024年5月23日，在24-10N 118-30E附近进行军事演习。",
        "GX{n}/26 BEIBU BAY，MILITARY TRAINING IN 21-23.00N 108-47.40E. GUANGXI MSA CHINA.",
        "NAVAREA XI {n:04d}/24\nEAST CHINA SEA.\n\nHAZARDOUS OPERATIONS.\nCANCEL THIS MSG.",
        "HYDROPAC {n}/26(61).\nEAST CHINA SEA.\n1. GUNNERY.\n2. CANCEL\nHYDROPAC 1/26.//",
        "航行警報 第{n}号\n\n房総半島南方 射撃訓練",
        "舟航通[2024]{n:04d}号 舟山水域军事活动",
    ]
)
SEPARATORS = st.sampled_from(["\n", "\n\n", "\n \n\n", "\r\n", "\n收藏 打印本页 关闭窗口\n"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(WARNING_TEXTS, SEPARATORS), min_size=1, max_size=6),
    st.booleans(),
)
def test_warnings_joined_any_way_split_into_the_same_warnings(parts, with_page):
    text = ""
    for index, (template, separator) in enumerate(parts, start=2):
        if with_page:
            text += (
                "首页 航行警告 辽宁海事局\n发布时间：2026-03-27 17:50 [字体： 大 中 小 ] 分享到：\n"
            )
        text += template.format(n=index) + separator
    read = read_warnings(text)
    assert len(read) == len(parts)
    assert all(warning.number for warning in read)
    assert all("发布时间" not in w.text and "打印本页" not in w.text for w in read)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("闽航警0123/24：取消NAVREXI HYDROPC\n。.,发布时间分享到收藏打印本页[]〔〕号 -")
        ),
        max_size=120,
    )
)
def test_any_text_is_read_without_breaking(text):
    for warning in read_warnings(text):
        assert isinstance(warning.problems, list)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("闽航警0123/24，台湾海峡，2024年5月23日", "台湾海峡"),
        ("GX20/26 BEIBU BAY，MILITARY TRAINING", "BEIBU BAY"),
        ("HYDROPAC 2381/26(61).\nEAST CHINA SEA.\nDNC 23.", "EAST CHINA SEA"),
        (
            "--- NAVAREA XI NO.26-0448 ---\nNO.26-0448       Date:2026/10/08 03 UTC\n"
            "TAIWAN STRAIT.\nSUBMARINE CABLE REPAIRING WORKS.",
            "TAIWAN STRAIT",
        ),
    ],
    ids=["cn-msa", "en-msa", "hydropac-subregion", "jcg-list"],
)
def test_the_sea_area_named_after_the_number(text, place):
    assert read_warnings(text)[0].place == place


@pytest.mark.parametrize(
    ("text", "number", "page", "issuer"),
    [
        # An MSA page's header does not speak for a HYDROPAC or NAVAREA warning pasted after it.
        ("HYDROPAC 2381/26 GUNNERY", "HYDROPAC 2381/26", "来源：大连海事局", []),
        ("NAVAREA XI 0540/24 GUNNERY", "NAVAREA XI 0540/24", "来源：大连海事局", []),
        ("GX20/26 BEIBU BAY", "GX20/26", "来源：广西海事局", ["CHN"]),
        # An authority mariners are told to report to is not the issuer.
        ("NAVAREA XI 0540/24 REPORT POSITION TO JAPAN COAST GUARD.", "NAVAREA XI 0540/24", "", []),
    ],
)
def test_the_issuer_is_never_borrowed(text, number, page, issuer):
    from layers.read.navwarn.headers import read_issuer

    assert read_issuer(text, number, page)[0] == issuer


@pytest.mark.parametrize(
    ("text", "number", "cancels"),
    [
        ("GX26/26 BEIBU BAY. GX24/26 IS CANCELLED.", "GX26/26", ["GX24/26"]),
        ("闽航警0125/24，台湾海峡，闽航警0123/24取消。", "闽航警0125/24", ["闽航警0123/24"]),
        ("闽航警0125/24，台湾海峡，闽航警0123/24作废。", "闽航警0125/24", ["闽航警0123/24"]),
        ("闽航警0125/24，本警告取代闽航警0123/24。", "闽航警0125/24", ["闽航警0123/24"]),
        (
            "NAVAREA XI 0545/24 THIS MSG REPLACES NAVAREA XI 0540/24.",
            "NAVAREA XI 0545/24",
            ["NAVAREA XI 0540/24"],
        ),
        ("HYDROPAC 2390/26 SUPERSEDES HYDROPAC 2381/26.", "HYDROPAC 2390/26", ["HYDROPAC 2381/26"]),
        # An activity called off, or the warning's own end, cancels no warning.
        ("闽航警0125/24，台湾海峡，军事演习取消。", "闽航警0125/24", []),
        ("HYDROPAC 2390/26 GUNNERY. CANCEL THIS MSG 011200Z SEP 26.", "HYDROPAC 2390/26", []),
    ],
)
def test_every_wording_of_a_cancellation_or_replacement(text, number, cancels):
    from layers.read.navwarn.headers import read_cancels

    assert read_cancels(text, number) == cancels


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("火箭炮实弹射击", "live_fire"),
        ("火箭弹射击训练", "live_fire"),
        ("ロケット弾射撃訓練", "live_fire"),
        ("SATELLITE LAUNCH", "launch"),
        ("SPACE VEHICLE LAUNCHING", "launch"),
        ("人工衛星打上げ", "launch"),
        ("导弹试射", "launch"),
        ("BALLISTIC MISSILE", "launch"),
    ],
)
def test_rocket_artillery_is_live_fire_and_launch_words_are_launches(words, kind):
    assert read_warning(f"闽航警0009/24，台湾海峡，{words}。").kind == kind
