"""The parts of a warning's text that are not its areas or its times: where one warning ends
and the next begins, its number, who issued it, its activity, its sea area, what it cancels."""

from __future__ import annotations

import re
import unicodedata

# --- the warning's number ----------------------------------------------------------------------
_NUMBER_PATTERNS = (
    re.compile(r"[\u4e00-\u9fff]{1,3}航警\s*\d+\s*/\s*\d{2,4}"),
    re.compile(r"NAVAREA\s+[IVXL]+\s+\d+\s*/\s*\d{2,4}", re.IGNORECASE),
    re.compile(r"航行警報\s*第?\s*\d+\s*号"),
    re.compile(r"航船布告\s*[\u4e00-\u9fff]*\s*第?\s*\d+\s*號?"),
    re.compile(r"\b(?:HYDROPAC|HYDROARC|NAVAREA|NAVTEX)\s+\d+\s*/\s*\d{2,4}", re.IGNORECASE),
    re.compile(r"\b[A-Z]{2,4}\s?\d{2,5}\s*/\s*\d{2,4}\b"),
)
# Chinese MSA provincial and port stations, by the character that opens their numbers.
_MSA_STATIONS = "辽冀津鲁苏沪浙闽粤桂琼连烟青厦深广"
_ISSUERS = (
    (re.compile(rf"^[{_MSA_STATIONS}]航警"), "CHN"),
    (re.compile(r"航警"), "CHN"),
    (re.compile(r"\bMSA\s+CHINA\b|\bCHINA\s+MSA\b|中国海事局", re.IGNORECASE), "CHN"),
    (re.compile(r"航行警報|海上保安庁|JAPAN COAST GUARD", re.IGNORECASE), "JPN"),
    (re.compile(r"航船布告|交通部航港局"), "TWN"),
)
# Activities, longest first, with the English an analyst reads in a title.
_ACTIVITIES = (
    ("实弹射击训练", "live-fire training"),
    ("实弹射击", "live-fire"),
    ("实际使用武器", "live weapons use"),
    ("军事演习", "military exercise"),
    ("军事训练", "military training"),
    ("军事任务", "military task"),
    ("火箭发射", "rocket launching"),
    ("火箭残骸", "rocket debris"),
    ("导弹发射", "missile launching"),
    ("射击训练", "firing training"),
    ("打靶", "target practice"),
    ("射撃訓練", "firing exercise"),
    ("ミサイル発射", "missile launching"),
    ("演習", "exercise"),
    ("射撃", "firing"),
    ("實彈射擊", "live-fire"),
    ("GUN FIRING", "gun firing"),
    ("GUNNERY EXERCISE", "gunnery exercise"),
    ("MISSILE FIRING", "missile firing"),
    ("ROCKET LAUNCHING", "rocket launching"),
    ("ROCKET LAUNCH", "rocket launching"),
    ("LIVE FIRING", "live-fire"),
    ("LIVE FIRE", "live-fire"),
    ("MILITARY EXERCISES", "military exercise"),
    ("MILITARY EXERCISE", "military exercise"),
    ("HAZARDOUS OPERATIONS", "hazardous operations"),
)


_CANCEL = re.compile(r"(?:取消|撤销|CANCEL(?:LED|S)?\s*:?\s*)", re.IGNORECASE)


def split_warnings(text: str) -> list[str]:
    """The warnings of a text, one per paragraph (blank lines between), stripped."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(part.split()) for part in paragraphs if part.strip()]


def number_key(number: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", number or "")).upper()


_PLACE = re.compile(
    r"^[\s,.:;]*([\u4e00-\u9fff]{2,12}|[A-Z][A-Z ]{3,40}?)"
    r"(?=[,.;]|\s{2}|\s+[A-Z]+\s+(?:FIRING|OPERATIONS|EXERCISE))"
)


def find_number(text: str):
    found = [match for pattern in _NUMBER_PATTERNS for match in [pattern.search(text)] if match]
    return min(found, key=lambda match: match.start()) if found else None


def sea_area(text: str, number: str) -> str:
    """The sea area named right after the number (台湾海峡, EAST CHINA SEA), if any."""
    rest = text[text.find(number) + len(number) :] if number and number in text else text
    match = _PLACE.match(rest)
    if not match:
        return ""
    place = match.group(1).strip()
    return "" if find_number(place) or re.search(r"\d", place) else place
