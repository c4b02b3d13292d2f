"""The parts of a warning's text that are not its areas or its times: where one warning ends
and the next begins (and what of a pasted web page is not a warning at all), its number, who
issued it, its activity and kind, its sea area, what it cancels, and whether it is a list of
the warnings in force rather than a warning.

Layouts known (the IMO/IHO Joint MSI Manual's message layout, as each service writes it):
Chinese MSA (`闽航警0123/24`, `桂航警51/26`; the English versions `GX20/26`, `FJ0987/24`; the
stations' notices `舟航通[2024]0097号`, `浙海航通〔2024〕12号`), NAVAREA XI / XII
(`NAVAREA XI 0540/24`, the Japan Coast Guard's `NAVAREA XI NO.26-0449`), NGA's HYDROPAC relays
(`HYDROPAC 2381/26(61).`), Japan Coast Guard 航行警報 (`航行警報 第1234号`, `本州南方航行警報`,
`第十管区海上保安本部 航行警報 第12号`) and Taiwan's 航船布告 (`航船布告 第113001號`,
`(113)航港航字第1130001號`).
"""

from __future__ import annotations

import re
import unicodedata

# --- the warning's number ----------------------------------------------------------------------
_KANJI_DIGITS = "一二三四五六七八九十〇"
_JCG_DISTRICT = rf"第?[{_KANJI_DIGITS}\d]{{1,3}}管区(?:海上保安本部)?"
_NUMBER_PATTERNS = (
    # Chinese MSA stations: 闽航警0123/24 (station, 航警, serial / year).
    re.compile(r"[\u4e00-\u9fff]{1,3}航警\s*\d+\s*/\s*\d{2,4}"),
    # The Japan Coast Guard's NAVAREA XI list: NAVAREA XI NO.26-0449 (year, serial).
    re.compile(r"NAVAREA\s+[IVXL]+\s+NO\.?\s*\d{2}\s*-\s*\d{1,4}", re.IGNORECASE),
    re.compile(r"NAVAREA\s+[IVXL]+\s+\d+\s*/\s*\d{2,4}", re.IGNORECASE),
    # Japan Coast Guard: 航行警報 第1234号, 本州南方航行警報 第12号, 第十管区 航行警報 第3号.
    re.compile(
        rf"(?:{_JCG_DISTRICT}\s*)?(?:[\u4e00-\u9fff]{{1,6}}[方部域海区]\s*)?航行警報\s*"
        r"(?:\([^()]{1,12}\)\s*)?(?:\d{4}\s*年\s*)?第?\s*\d+\s*号"
    ),
    # Taiwan: 航船布告 第113001號, 航船布告 113年第045號, (113)航港航字第1130001號 (ROC years).
    re.compile(r"航船布告\s*(?:\(\s*\d{2,3}\s*\)|\d{2,3}\s*年)\s*第\s*\d+\s*號"),
    re.compile(r"航船布告\s*[\u4e00-\u9fff]*\s*第?\s*\d+\s*號?"),
    re.compile(r"\(\s*\d{2,3}\s*\)\s*航港航字\s*第?\s*\d+\s*號"),
    # Notices in a numbering of their own, the year in brackets: 舟航通[2024]0097号.
    re.compile(r"[\u4e00-\u9fff]{1,8}\s*[\[〔【]\s*\d{4}\s*[\]〕】]\s*第?\s*\d+\s*[号號]"),
    re.compile(r"\b(?:HYDROPAC|HYDROLANT|HYDROARC|NAVAREA|NAVTEX)\s+\d+\s*/\s*\d{2,4}", re.I),
    # English MSA and other station letters: GX20/26, FJ0987/24.
    re.compile(r"\b[A-Z]{2,4}\s?\d{1,5}\s*/\s*\d{2,4}\b"),
)
# Headers that open a warning even when its number is missing or unreadable.
_HEADER_WORDS = re.compile(
    rf"(?:{_JCG_DISTRICT}|[\u4e00-\u9fff]{{0,6}}航行警報|(?:交通部)?(?:航港局)?航船布告|\(\s*\d{{2,3}}\s*\)\s*航港航字)"
)


def find_number(text: str):
    """The warning number written first in `text` (an `re.Match`), or None. `text` is NFKC."""
    found = [match for pattern in _NUMBER_PATTERNS for match in [pattern.search(text)] if match]
    return min(found, key=lambda match: (match.start(), -match.end())) if found else None


def canonical_number(number: str) -> str:
    """A number written the way the rest of the reader compares it: NFKC, single spaces, and
    the Japan Coast Guard's `NAVAREA XI NO.26-0449` as `NAVAREA XI 0449/26`."""
    number = " ".join(unicodedata.normalize("NFKC", number or "").split())
    jcg = re.fullmatch(r"(NAVAREA\s+[IVXL]+)\s+NO\.?\s*(\d{2})\s*-\s*(\d{1,4})", number, re.I)
    if jcg:
        return f"{jcg.group(1).upper()} {jcg.group(3)}/{jcg.group(2)}"
    return number


def number_key(number: str | None) -> str:
    """The key two spellings of one number share: no spaces, upper case, serial without its
    leading zeros and a two-digit year (`NAVAREA XI 540/2024` = `NAVAREA XI NO.24-0540`)."""
    key = re.sub(r"\s+", "", canonical_number(number or "")).upper()
    serial = re.search(r"0*(\d+)/(?:20)?(\d{2})$", key)
    return key[: serial.start()] + f"{serial.group(1)}/{serial.group(2)}" if serial else key


def number_year(number: str) -> int | None:
    """The year a number carries: `/24` → 2024, `[2024]` → 2024, `NO.26-0449` → 2026,
    `(113)航港航字`, `航船布告 113年第…` → 2024 (ROC year + 1911), `航行警報 2024年第…` → 2024;
    None when it carries none."""
    number = unicodedata.normalize("NFKC", number or "")
    for pattern, convert in (
        (r"/\s*(\d{2,4})\s*$", None),
        (r"[\[〔【]\s*(\d{4})\s*[\]〕】]", None),
        (r"NO\.?\s*(\d{2})\s*-\s*\d", None),
        (r"^\(\s*(\d{2,3})\s*\)\s*航港航字", 1911),
        (r"航船布告\s*\(?\s*(\d{2,3})\s*(?:\)|年)\s*第", 1911),
        (r"(\d{4})\s*年\s*第", None),
    ):
        found = re.search(pattern, number, re.IGNORECASE)
        if found:
            digits = found.group(1)
            if convert:
                return int(digits) + convert
            return int(digits) if len(digits) == 4 else 2000 + int(digits)
    return None


def _series(number: str) -> str:
    """What precedes the serial in a number: `HYDROPAC ` of `HYDROPAC 2381/26`."""
    return re.sub(r"\d+\s*/\s*\d{2,4}\s*$", "", canonical_number(number))


# --- the warning's text: where it begins and ends, and a web page's surroundings ----------------
# A web page's furniture (msa.gov.cn's as scraped): menus, the page header giving the source
# station, the number and the publication time, and the footer.
_PAGE_HEADER = re.compile(
    r"(?:来源[:：]\s*\S+\s*)?(?:文号[:：]\s*\S+\s*)?"
    r"(?:发布时间[:：]\s*[\d\-/ :：]*\d(?:\s*\[\s*字体[:：][^\]]*\])?\s*(?:分享到[:：]?)?"
    r"|来源[:：]\s*\S+(?:\s*文号[:：]\s*\S+)?)"
)
_FOOTER = re.compile(
    r"(?:收藏\s*)?(?:【?打印本页】?|【?关闭窗口】?|下载PDF文件|分享到微信朋友圈|扫一扫在手机打开"
    r"|版权所有|主办单位[:：]|网站标识码|ICP备|Copyright\s*©)"
)
_MENU = re.compile(r"首页|机构职能|政府信息公开|English\s+(?:x\s+)?(?:中国海事|首页)|航行警告\s*$")
_POSITION = re.compile(
    r"\d{1,3}\s*[-°度]\s*\d{1,2}(?:[.\-]\d+)*\s*['′″\"分秒]*\s*[NS北南]"
    r"|[NS]\s?\d{1,2}\s*°|北緯|北纬|南纬|南緯"
)
_SENTENCE_END = re.compile(r"(?:。|\.\s|\.$|//)")
# A line that ends so that the next one goes on with it: a header at the next line's start is
# then a reference (`CANCEL` / `HYDROPAC 2381/26.`), not a new warning.
_GOES_ON = re.compile(r"(?:CANCEL|取消|撤销|AND|SEE|REF|OF|IN|BY|[,，、:：(])\s*$", re.IGNORECASE)


def split_pages(text: str) -> list[tuple[str, str]]:
    """A text cut into (warning text, page header) pairs, one per warning, in order.

    Splits on warning numbers and headers written at a line's start (or after a sentence's
    end), never on blank lines: a header line, a blank line and the body are one warning; two
    warnings on consecutive lines are two. The furniture of a web page pasted with its
    warnings (menus, `来源：大连海事局 文号：… 发布时间：2026-03-15 13:35 [字体： 大 中 小 ]
    分享到：`, `收藏 打印本页 关闭窗口`) is not part of any warning: the page header is given
    with each warning that follows it (for the issuer it names) and the rest is dropped.
    Each warning's text has its whitespace collapsed. Never raises.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Footers end a page: cut them to the line's end or to the next page's menu or header.
    text = _FOOTER.sub("\n\x00", text)
    text = re.sub(r"\x00[^\n]*?(?=English\s|首页|来源[:：]|发布时间[:：]|\n|$)", "", text)
    pieces: list[tuple[str, str]] = []
    page, position = "", 0
    for header in _page_headers(text):
        pieces += [(body, page) for body in _split_body(text[position : header[0]])]
        page, position = text[header[0] : header[1]], header[1]
    pieces += [(body, page) for body in _split_body(text[position:])]
    return pieces


def split_warnings(text: str) -> list[str]:
    """The warnings of a text, each its own text with whitespace collapsed (`split_pages`)."""
    return [body for body, _ in split_pages(text)]


def _page_headers(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each web-page header block: the page header (`来源：…`, `发布时间：…
    分享到：`), and before it, on its line and up to three lines back, the page's menu and
    title (`军事训练—桂航警51/26`: a title names the number of the warning the page holds, or
    none), back to the previous sentence's end; a warning before the page stays a warning."""
    blocks: list[tuple[int, int]] = []
    for match in _PAGE_HEADER.finditer(text):
        if blocks and match.start() < blocks[-1][1]:
            continue
        after = find_number(unicodedata.normalize("NFKC", text[match.start() : match.end() + 300]))
        key = number_key(after.group()) if after else ""
        line_start = text.rfind("\n", 0, match.start()) + 1
        ends = [end.end() for end in _SENTENCE_END.finditer(text, line_start, match.start())]
        start = max([line_start, *ends])
        if not _is_title(text[start : match.start()], key):
            blocks.append((match.start(), match.end()))
            continue
        for _ in range(3 if start == line_start else 0):
            previous = text.rfind("\n", 0, max(start - 1, 0)) + 1
            line = text[previous : max(start - 1, 0)]
            if start == 0 or not line.strip() or not _is_title(line, key):
                break
            start = previous
        blocks.append((start, match.end()))
    return blocks


def _is_title(segment: str, key: str) -> bool:
    """Whether a piece of text before a page header is the page's own (its menu, or a title
    naming the page's warning number or a short one naming none), not a warning before it."""
    normal = unicodedata.normalize("NFKC", segment)
    if not normal.strip() or _MENU.search(normal):
        return True
    if _POSITION.search(normal) or _SENTENCE_END.search(normal):
        return False
    number = find_number(normal)
    return number_key(number.group()) == key if number else len(normal.strip()) <= 30


def _line_header(line: str):
    """The warning number (a Match) or header words opening `line`, or None."""
    stripped = line.lstrip(" \t-=*#")
    normal = unicodedata.normalize("NFKC", stripped)
    number = find_number(normal)
    if number and number.start() == 0:
        return number
    return _HEADER_WORDS.match(normal)


def _split_body(text: str) -> list[str]:
    chunks: list[list[str]] = []
    previous = ""
    for line in text.split("\n"):
        for part in _sentence_headers(line):
            header = _line_header(part)
            opens = header is not None and not _GOES_ON.search(previous)
            if opens and chunks and _header_only(chunks[-1], header.group()):
                opens = False  # a title line repeating the number: the same warning
            if opens or not chunks:
                chunks.append([])
            chunks[-1].append(part)
            if part.strip():
                previous = part
    texts = [" ".join(" ".join(chunk).split()) for chunk in chunks]
    return [text for text in texts if text and not _is_furniture(text)]


def _sentence_headers(line: str) -> list[str]:
    """A line cut before each Chinese MSA number that follows a sentence's end and opens a
    warning (`…禁止驶入。闽航警0124/24，…`); other numbers stay where they are."""
    cuts = [0] + [
        match.start(1)
        for match in re.finditer(
            r"(?:。|\.)\s*([\u4e00-\u9fff]{1,3}航警\s*\d+\s*/\s*\d{2,4}[，,:：\s])", line
        )
    ]
    return [line[a:b] for a, b in zip(cuts, cuts[1:] + [len(line)])]


def _header_only(chunk: list[str], number: str) -> bool:
    """Whether a chunk so far is only a header or title naming the same number or none
    (`第十管区海上保安本部` on its own line above `航行警報 第7号`)."""
    text = unicodedata.normalize("NFKC", " ".join(chunk))
    found = find_number(text)
    if not found:
        return len(text.strip()) <= 40 and not _POSITION.search(text)
    if number_key(found.group()) != number_key(number):
        return False
    rest = text[: found.start()] + text[found.end() :]
    return len(rest.strip(" -—–=*#.,，。:：")) <= 40 and not _POSITION.search(rest)


def _is_furniture(text: str) -> bool:
    """A piece of a web page that is no warning: menus or a footer only."""
    normal = unicodedata.normalize("NFKC", text)
    return (
        find_number(normal) is None
        and not _POSITION.search(normal)
        and (bool(_MENU.search(normal)) or not normal.strip(" x"))
    )


def has_positions(text: str) -> bool:
    """Whether the text writes any latitude (`24-10.00N`, `N 29°05′`, `北緯34度`)."""
    return bool(_POSITION.search(unicodedata.normalize("NFKC", text)))


# --- who issued it ------------------------------------------------------------------------------
_MSA_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,3}航警\s*\d")
_ISSUERS_IN_NUMBER = (
    (_MSA_NUMBER, "CHN"),
    (re.compile(r"航行警報"), "JPN"),
    (re.compile(r"航船布告|航港航字"), "TWN"),
)
# Chinese MSA stations as their English warnings sign them (`HAINAN MSA.`): the provincial
# MSAs and the port MSAs that issue warnings of their own.
_MSA_PLACES = (
    "LIAONING", "HEBEI", "TIANJIN", "SHANDONG", "JIANGSU", "SHANGHAI", "ZHEJIANG", "FUJIAN",
    "GUANGDONG", "GUANGXI", "HAINAN", "LIANYUNGANG", "DALIAN", "YINGKOU", "QINHUANGDAO",
    "QINGDAO", "YANTAI", "WEIHAI", "RIZHAO", "NINGBO", "ZHOUSHAN", "WENZHOU", "XIAMEN",
    "SHENZHEN", "GUANGZHOU", "ZHANJIANG", "SANYA", "SANSHA", "BEIHAI", "QINZHOU",
    "FANGCHENGGANG", "HUANGHUA", "CAOFEIDIAN",
)  # fmt: skip
_ISSUERS_IN_TEXT = (
    (
        re.compile(
            r"\bMSA\s+(?:OF\s+)?(?:THE\s+)?(?:P\.?\s?R\.?\s?)?CHINA\b|\bCHINA\s+MSA\b"
            r"|MARITIME\s+SAFETY\s+ADMINISTRATION\s+OF\s+(?:THE\s+)?(?:P\.?\s?R\.?\s?)?CHINA"
            r"|CHINA\s+MARITIME\s+SAFETY\s+ADMINISTRATION|[\u4e00-\u9fff]{1,8}海事局"
            rf"|\b(?:{'|'.join(_MSA_PLACES)})\s+MSA\b",
            re.IGNORECASE,
        ),
        "CHN",
    ),
    (
        re.compile(rf"JAPAN\s+COAST\s+GUARD|海上保安庁|{_JCG_DISTRICT}海上保安本部", re.I),
        "JPN",
    ),
    (re.compile(r"交通部航港局|航港局|MARITIME\s+AND\s+PORT\s+BUREAU", re.IGNORECASE), "TWN"),
)


# Authorities a warning tells mariners to report to or contact are not its issuer.
_REPORT_TO = re.compile(
    r"\b(?:REPORTS?(?:\s+\w+){0,3}?\s+TO|CONTACT|INFORM|NOTIFY)\s+[^,.;\n]{0,60}"
    r"|向[^，。,;；]{0,20}(?:报告|联系|報告)",
    re.IGNORECASE,
)


def read_issuer(text: str, number: str, page: str = "") -> tuple[list[str], str]:
    """Who issued a warning, where its number, its text or its web page's header names the
    issuing authority: (ISO 3166-1 alpha-3 codes, where it was read: "number", "text" or
    "page header"), or ([], "") when none names it.

    Read: a Chinese MSA station's number (`辽航警…` → CHN), 航行警報 (the Japan Coast Guard's
    numbering → JPN), 航船布告 / 航港航字 (Taiwan's Maritime and Port Bureau → TWN); in the text,
    `GUANGXI MSA CHINA`, `(CHINA MSA)`, `…海事局` (CHN), `JAPAN COAST GUARD`, `海上保安庁`,
    `第十管区海上保安本部` (JPN), `交通部航港局` (TWN), but not one the mariner is told to
    report to (`REPORTS TO JAPAN COAST GUARD`, `向大连海事局报告`); in the page header,
    `来源：大连海事局` or the channel `辽宁海事局`. Never from the sea area, the NAVAREA
    (NAVAREA XI is coordinated by Japan for others' warnings too), HYDROPAC (NGA's relay of
    others' warnings) or station letters alone (`FJ0987/24`).
    """
    number = unicodedata.normalize("NFKC", number or "")
    text = _REPORT_TO.sub(" ", unicodedata.normalize("NFKC", text or ""))
    for pattern, nation in _ISSUERS_IN_NUMBER:
        if number and pattern.search(number):
            return [nation], "number"
    for pattern, nation in _ISSUERS_IN_TEXT:
        if pattern.search(text):
            return [nation], "text"
    page = unicodedata.normalize("NFKC", page or "")
    if number and _OTHER_SERIES.search(number):
        # A HYDROPAC or NAVAREA warning pasted after an MSA page is not that page's.
        return [], ""
    for pattern, nation in _ISSUERS_IN_TEXT:
        if pattern.search(page):
            return [nation], "page header"
    return [], ""


# Numbers of series a web page's header does not speak for: NGA's relays, the NAVAREAs.
_OTHER_SERIES = re.compile(r"HYDROPAC|HYDROLANT|HYDROARC|NAVAREA|NAVTEX", re.IGNORECASE)


# --- the activity, and the event kind it gives ---------------------------------------------------
# (words as written, the English an analyst reads in a title, the event kind). The kinds are
# tried in this order, so a warning that names a launch and hazardous operations is a launch,
# and a military exercise with live firing is live fire. A missile FIRING (an exercise shooting
# at a target) is live fire; a missile or rocket LAUNCH (and its debris and splashdown areas) is
# a launch.
_ACTIVITIES = (
    ("火箭残骸", "rocket debris", "launch"),
    ("火箭发射", "rocket launching", "launch"),
    ("航天发射", "space launch", "launch"),
    ("卫星发射", "satellite launch", "launch"),
    ("导弹发射", "missile launching", "launch"),
    ("导弹试射", "missile test launch", "launch"),
    ("飛彈試射", "missile test launch", "launch"),
    ("人工衛星打上げ", "satellite launch", "launch"),
    ("衛星打上げ", "satellite launch", "launch"),
    ("ミサイル発射", "missile launching", "launch"),
    ("ロケット打ち上げ", "rocket launching", "launch"),
    ("ロケット", "rocket launching", "launch"),
    ("火箭", "rocket launching", "launch"),
    ("ROCKET LAUNCHING", "rocket launching", "launch"),
    ("ROCKET LAUNCH", "rocket launching", "launch"),
    ("MISSILE LAUNCHING", "missile launching", "launch"),
    ("MISSILE LAUNCH", "missile launching", "launch"),
    ("SPACE LAUNCH", "space launch", "launch"),
    ("SATELLITE LAUNCH", "satellite launch", "launch"),
    ("SPACE VEHICLE LAUNCH", "space vehicle launch", "launch"),
    ("BALLISTIC MISSILE", "ballistic missile launch", "launch"),
    ("SPACE DEBRIS", "space debris", "launch"),
    ("ROCKET DEBRIS", "rocket debris", "launch"),
    ("SPLASHDOWN", "splashdown", "launch"),
    ("REENTRY", "re-entry", "launch"),
    ("RE-ENTRY", "re-entry", "launch"),
    ("实弹射击训练", "live-fire training", "live_fire"),
    ("实弹射击", "live-fire", "live_fire"),
    ("實彈射擊", "live-fire", "live_fire"),
    ("实际使用武器", "live weapons use", "live_fire"),
    ("射击训练", "firing training", "live_fire"),
    ("射擊訓練", "firing training", "live_fire"),
    ("打靶", "target practice", "live_fire"),
    ("射撃訓練", "firing exercise", "live_fire"),
    ("射撃", "firing", "live_fire"),
    ("射击", "firing", "live_fire"),
    ("射擊", "firing", "live_fire"),
    ("GUNNERY EXERCISE", "gunnery exercise", "live_fire"),
    ("GUNNERY", "gunnery", "live_fire"),
    ("GUN FIRING", "gun firing", "live_fire"),
    ("MISSILE FIRING", "missile firing", "live_fire"),
    ("MISSILE OPERATIONS", "missile operations", "live_fire"),
    ("MISSILE EXERCISE", "missile exercise", "live_fire"),
    ("LIVE FIRING", "live-fire", "live_fire"),
    ("LIVE FIRE", "live-fire", "live_fire"),
    ("FIRING EXERCISE", "firing exercise", "live_fire"),
    ("FIRING PRACTICE", "firing practice", "live_fire"),
    ("SHOOTING EXERCISE", "shooting exercise", "live_fire"),
    ("SHOOTING", "shooting", "live_fire"),
    ("FIRING", "firing", "live_fire"),
    ("军事演习", "military exercise", "exercise"),
    ("军事演练", "military exercise", "exercise"),
    ("军事训练", "military training", "exercise"),
    ("軍事演習", "military exercise", "exercise"),
    ("演习", "exercise", "exercise"),
    ("演练", "drill", "exercise"),
    ("演練", "drill", "exercise"),
    ("演習", "exercise", "exercise"),
    ("MILITARY EXERCISES", "military exercise", "exercise"),
    ("MILITARY EXERCISE", "military exercise", "exercise"),
    ("MILITARY TRAINING", "military training", "exercise"),
    ("NAVAL EXERCISE", "naval exercise", "exercise"),
    ("EXERCISES", "exercise", "exercise"),
    ("EXERCISE", "exercise", "exercise"),
    ("HAZARDOUS OPERATIONS", "hazardous operations", "hazardous_operations"),
    ("HAZARDOUS OPERATION", "hazardous operations", "hazardous_operations"),
    ("SEISMIC SURVEY", "seismic survey", "survey"),
    ("HYDROGRAPHIC SURVEY", "hydrographic survey", "survey"),
    ("SURVEY OPERATIONS", "survey operations", "survey"),
    ("SURVEY", "survey", "survey"),
    ("SCIENTIFIC RESEARCH", "scientific research", "survey"),
    ("海洋调查", "ocean survey", "survey"),
    ("科学考察", "scientific research", "survey"),
    ("测量", "survey", "survey"),
    ("調査", "survey", "survey"),
    ("调查", "survey", "survey"),
    # Activities that are none of the kinds above: hazardous operations, titled with them
    # (layers.read.schema KIND_MEANINGS: an area closed for another operation, or none stated).
    ("军事任务", "military task", "other"),
    ("军事活动", "military activity", "other"),
    ("军事行动", "military operation", "other"),
    ("MILITARY MISSION", "military mission", "other"),
    ("MILITARY ACTIVITIES", "military activity", "other"),
    ("MILITARY ACTIVITY", "military activity", "other"),
    ("MILITARY OPERATION", "military operation", "other"),
    ("禁航区", "no-navigation area", "other"),
    ("CABLE", "cable operations", "other"),
    ("PIPELINE", "pipeline operations", "other"),
)
# The order kinds are looked for in: a launch warning that also says HAZARDOUS OPERATIONS is a
# launch. "other" (a cable, a closed area) is an activity named but of none of the kinds: its
# event is hazardous_operations, after a survey named beside it ("CABLE ROUTE SURVEY").
KINDS = ("launch", "live_fire", "exercise", "hazardous_operations", "survey", "other")


def read_activity(text: str) -> tuple[str, str, str]:
    """(activity in English, its words as written, event kind) of a warning's text; the kind
    is `hazardous_operations` when no activity of another kind is named (cable laying, buoys,
    a closed area without a stated activity), and the activity "" when none is named at all.
    English words count as whole words (with a plural or -ING), and `EXERCISE CAUTION` is advice, no
    exercise."""
    upper = unicodedata.normalize("NFKC", text or "").upper()
    upper = re.sub(r"EXERCISE\s+(?:EXTREME\s+|GREAT\s+|DUE\s+)?CAUTION", " ", upper)
    # Rocket artillery (火箭炮, 火箭弹, ロケット弾) fires: live fire, not a launch.
    artillery = _ARTILLERY.search(upper)
    if artillery:
        return "rocket artillery firing", artillery.group(), "live_fire"
    for kind in KINDS:
        for words, english, its_kind in _ACTIVITIES:
            if its_kind != kind:
                continue
            if words.isascii():
                if re.search(rf"(?<![A-Z]){re.escape(words)}(?:S|ES|ING)?(?![A-Z])", upper):
                    return english, words, _event_kind(kind)
            elif words in upper:
                return english, words, _event_kind(kind)
    return "", "", "hazardous_operations"


_ARTILLERY = re.compile(r"火箭炮|火箭弹|火箭彈|ロケット弾|ROCKET\s+ARTILLERY|MLRS")


def _event_kind(kind: str) -> str:
    return "hazardous_operations" if kind == "other" else kind


# --- what it cancels, and lists of warnings in force ---------------------------------------------
_CANCEL = re.compile(
    r"(?:取消|撤销|撤銷|取代|代替|CANCEL(?:LED|S)?|REPLACES|SUPERSEDES)\s*[:：]?\s*",
    re.IGNORECASE,
)
_SELF = re.compile(r"(?:THIS\s+(?:MSG|MESSAGE|WARNING)|本(?:航行)?警告|本通告|本警報)", re.I)
_BARE_SERIAL = re.compile(r"(\d{1,5})\s*/\s*(\d{2,4})\b")
_LIST_GLUE = re.compile(r"\s*(?:,|，|、|;|&|\bAND\b|和|及|与)\s*", re.IGNORECASE)


def read_cancels(text: str, number: str = "") -> list[str]:
    """The numbers of the warnings a warning cancels, as the reader writes numbers
    (`canonical_number`): `CANCEL HYDROPAC 2381/26, 2390/26` → both (a bare serial takes the
    series of the number before it, or of the warning's own number: `CANCEL 0434/26` in
    NAVAREA XI 0443/26 is NAVAREA XI 0434/26); `取消闽航警0123/24`; never the warning itself
    (`CANCEL THIS MSG 311000Z OCT` ends it, cancels nothing)."""
    text = unicodedata.normalize("NFKC", text or "")
    own = number_key(number)
    series = _series(number) if number else ""
    found: list[str] = []
    for cancel in _CANCEL.finditer(text):
        rest = text[cancel.end() :]
        if _SELF.match(rest):
            continue
        at, prefix = 0, series
        while True:
            target = find_number(rest[at:])
            bare = _BARE_SERIAL.match(rest, at)
            if target and target.start() == 0 and (not bare or target.end() >= bare.end() - at):
                written = canonical_number(target.group().strip())
                prefix, at = _series(written), at + target.end()
            elif bare:
                written = canonical_number(f"{prefix}{bare.group(1)}/{bare.group(2)}")
                at = bare.end()
            else:
                break
            if number_key(written) != own and written not in found:
                found.append(written)
            glue = _LIST_GLUE.match(rest, at)
            if not glue:
                break
            at = glue.end()
    for written in _cancelled_before_words(text) + _taiwan_cancelled(text):
        if number_key(written) != own and written not in found:
            found.append(written)
    return found


# Numbers written before the words that cancel them: `航行警報第515号の取消し`,
# `航行警報第515号（…）は、…取り消す`, `闽航警0123/24取消`, `…作废`, `GX24/26 IS CANCELLED`.
_CANCEL_AFTER = re.compile(
    r"^(?:[^。\n]{0,40}?(?:の取消|の取り消し|は[^。\n]{0,30}?取り消す)"
    r"|\s*(?:取消|作废|作廢|撤销|撤銷)(?![^。\n]{0,6}(?:本警告|以下))"
    r"|\s*(?:IS|ARE|HAS\s+BEEN|HAVE\s+BEEN)?\s*CANCELL?ED\b)",
    re.IGNORECASE,
)
# Taiwan's 航船布告 cancels `本局115年第0281號航船布告` (the number's words after its digits).
_TAIWAN_CANCEL = re.compile(
    r"(?:撤銷|撤销)\s*(?:本局)?\s*(\d{2,3})\s*年\s*第\s*(\d+)\s*號\s*航船布告"
)


def _cancelled_before_words(text: str) -> list[str]:
    """Numbers a warning cancels written before the words that cancel them (Japanese
    `…の取消し`, Chinese `…取消`/`…作废`, English `… IS CANCELLED`)."""
    found = []
    for pattern in _NUMBER_PATTERNS:
        for match in pattern.finditer(text):
            if _CANCEL_AFTER.match(text[match.end() :]):
                found.append(canonical_number(match.group().strip()))
    return found


def _taiwan_cancelled(text: str) -> list[str]:
    return [
        canonical_number(f"航船布告 {match.group(1)}年第{match.group(2)}號")
        for match in _TAIWAN_CANCEL.finditer(text)
    ]


_IN_FORCE = re.compile(
    r"\b(?:WARNINGS?|MESSAGES?|MSGS?|BROADCASTS?|BULLETIN)\b[^.]{0,40}?\bIN[\s-]?FORCE\b"
    r"|\bIN[\s-]FORCE\s+(?:LIST|BULLETIN|WARNINGS?|MESSAGES?)\b"
    r"|现行有效的?航行警告|有效航行警告(?:一览|清单|列表)|現在有効な航行警報|有効な航行警報一覧",
    re.IGNORECASE,
)
_LIST_WORDS = re.compile(
    r"\b(?:NAVAREA|HYDROPAC|HYDROLANT|HYDROARC|NAVTEX|[IVXL]+|SERIES|AND|OF|NR|NOS?)\b|\d+|[^\w]",
    re.IGNORECASE,
)


def is_in_force_list(text: str, number: str = "") -> bool:
    """Whether a text is a list of the warnings in force (HYDROPAC's `HYDROPAC WARNINGS IN
    FORCE` bulletin, NAVAREA XI's `WARNING MESSAGES IN FORCE`, or numbers only) rather than a
    warning: no positions, and the words of an in-force list or nothing but three or more
    numbers."""
    text = unicodedata.normalize("NFKC", text or "")
    if has_positions(text):
        return False
    if _IN_FORCE.search(text):
        return True
    if not number:
        return False
    body = text.replace(number, " ", 1)
    if _CANCEL.search(body):
        return False
    serials = re.findall(r"\b\d{1,5}(?:/\d{2,4})?\b", body)
    return len(serials) >= 3 and not _LIST_WORDS.sub("", body).strip("_ ")


# --- the sea area --------------------------------------------------------------------------------
_PLACE = re.compile(
    r"^[\s,.:;，。]*(?:\(\w+\)[\s.,]*)?"
    r"(?:-+\s*NO\.\s*\d{2}-\d+\s+(?i:DATE):\s*[\d/]+\s+\d{2}\s+UTC\s*)?"
    r"([\u4e00-\u9fff]{2,12}|[A-Z][A-Z ]{3,40}?)"
    r"(?=[,.;，。]|\s{2}|\s+[A-Z]+\s+(?:FIRING|OPERATIONS|EXERCISE))"
)


def sea_area(text: str, number: str) -> str:
    """The sea area named right after the number (台湾海峡, EAST CHINA SEA; after HYDROPAC's
    subregion `(61).` and the Japan Coast Guard list's `NO.26-0449 Date:2026/10/08 09 UTC`),
    if any."""
    rest = text[text.find(number) + len(number) :] if number and number in text else text
    match = _PLACE.match(rest)
    if not match:
        return ""
    place = match.group(1).strip()
    return "" if find_number(place) or re.search(r"\d", place) else place
