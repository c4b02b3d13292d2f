"""Any text that looks like warnings, however mangled, is read without breaking, and no warning
is lost without a word: each gives an event, or a problem naming it, or is a cancellation."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.read.navwarn import import_warnings, read_items, warning_id, warning_name
from layers.read.navwarn.events import is_cancellation

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES") or 2000) // 4
FRAGMENTS = [
    "闽航警0123/24，",
    "GX20/26 BEIBU BAY，",
    "HYDROPAC 2381/26(61).",
    "221154Z AUG 26",
    "NAVAREA XI 0540/24",
    "NAVAREA XI NO.26-0449",
    "航行警報 第8号",
    "交通部航港局航船布告\n115年第0277號",
    "舟航通[2024]0097号",
    "来源：大连海事局",
    "发布时间：2026-03-15 13:35 [字体： 大 中 小 ] 分享到：",
    "21-23.00N 108-47.40E",
    "21-12.40N 108-58.00E、",
    "24-10N 121-50E",
    "北緯34度35分 東経139度40分",
    "北緯22度08分00秒、東經120度53分00秒",
    "N 29°05′30″、E 122°40′15″",
    "IN AREA BOUNDED BY",
    "IN AREAS BOUND BY: A.",
    " B. ",
    "诸点连线范围内",
    "以",
    "为中心，半径3海里",
    "WITHIN SEVEN MILES OF",
    "方位090°至方位180°，半径25公里的扇形",
    "AND AN ARC OF 25 KM RADIUS CENTERED ON",
    "ALONG THE LINE JOINING",
    "0100Z TO 1300Z DAILY 24 THRU 27 AUG",
    "FROM 060400UTC TO 181000UTC JUL",
    "221000Z TO 221400Z AND 241000Z TO 241400Z OCT 24",
    "3月16日至17日每天1000时至1800时",
    "8月12日20时至13日6时",
    "令和7年1月8日から1月10日まで 毎日0900-1600",
    "民國113年10月14日",
    "北京时间",
    "UNTIL FURTHER NOTICE",
    "CANCEL THIS MSG 311000Z OCT 24.",
    "CANCEL HYDROPAC 2380/26.",
    "取消闽航警0122/24。",
    "HYDROPAC WARNINGS IN FORCE",
    "ROCKET LAUNCHING",
    "实弹射击",
    "GUNNERY",
    "SURVEY OPERATIONS",
    "。",
    "\n",
    "\n\n",
    " ",
    ", ",
]
TEXTS = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), min_size=1, max_size=30
).map("".join)
PUBLISHED = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.tuples(TEXTS, PUBLISHED), min_size=1, max_size=3))
def test_no_warning_is_lost_without_a_word(texts):
    items = [(text, None, published, None) for text, published in texts]
    events, problems = import_warnings(items, "pasted", ["USA"])
    read = read_items(items)
    made = set(events["id"]) if len(events) else set()
    named = {problem.feature for problem in problems}
    for index, (warning, *_) in enumerate(read, start=1):
        said = warning_name(index, warning) in named
        shown = warning_id(warning) in made
        assert said or shown or is_cancellation(warning), warning.text
    # Every event the reader makes is one the validator took: nothing wrong is drawn.
    assert len(events) <= len(read)
    for _, event in events.iterrows():
        assert event["geometry"].is_valid
        assert event["start"] <= event["end"]
