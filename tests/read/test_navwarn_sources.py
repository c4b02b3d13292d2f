"""Warnings read as they are published (layers.read.navwarn.sources): NGA's broadcast warnings
as XML and JSON, its older SMAPS XML, the China MSA scraper's CSV; each record one warning text
with its number as NGA writes it and its issue date, and a record that cannot be read one
problem naming it and the field."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.read.navwarn.sources import (
    Record,
    cancelled_end,
    nga_number,
    nga_time,
    read_nga_json,
    read_nga_xml,
    read_source_warnings,
    read_warning_source,
    source_problems,
)

UTC = dt.UTC
EXAMPLE = REPO / "docs/examples/navwarn/hydropac.xml"

# A record as NGA's broadcast-warn service returns it (havardgulldahl/navwarns, the test
# BROADCAST_WARN_AREA_BOUND of its scraper), shortened to two positions.
NGA_XML = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<broadcast-warn>
    <broadcastWarnCancelledEntity>
        <msgYear>2017</msgYear>
        <msgNumber>421</msgNumber>
        <navArea>C</navArea>
        <subregion>42</subregion>
        <text>BARENTS SEA.
RUSSIA.
DNC 22.
1. GUNNERY AND MISSILE OPERATIONS 0300Z TO 2100Z
   DAILY 26 THRU 29 DEC IN AREA BOUND BY
   72-20.0N 035-40.0E, 72-10.0N 038-00.0E.
2. CANCEL THIS MSG 292200Z DEC 17.
</text>
        <status>C</status>
        <issueDate>220632Z DEC 2017</issueDate>
        <authority>NAVAREA XX 214/17 220530Z DEC 17.</authority>
        <cancelDate>292200Z DEC 2017</cancelDate>
        <cancelNavArea>C</cancelNavArea>
        <cancelMsgYear>2017</cancelMsgYear>
        <cancelMsgNumber>421</cancelMsgNumber>
    </broadcastWarnCancelledEntity>
</broadcast-warn>"""


@pytest.mark.parametrize(
    "area, number, year, written",
    [
        ("P", 2381, 2026, "HYDROPAC 2381/26"),
        ("A", "77", "2026", "HYDROLANT 77/26"),
        ("C", 421, 2017, "HYDROARC 421/17"),
        ("4", 1177, 2022, "NAVAREA IV 1177/22"),
        ("12", 123, 2026, "NAVAREA XII 123/26"),
        ("11", 540, 2024, "NAVAREA XI 540/24"),
        (" p ", " 9 ", 2009, "HYDROPAC 9/09"),
        ("Z", 1, 2026, None),
        ("P", "12a", 2026, None),
        ("P", 12, None, None),
        ("P", True, 2026, None),
    ],
)
def test_the_number_is_composed_as_nga_writes_it(area, number, year, written):
    assert nga_number(area, number, year) == written


@pytest.mark.parametrize(
    "text, instant",
    [
        ("170950Z JAN 2017", dt.datetime(2017, 1, 17, 9, 50, tzinfo=UTC)),
        ("290041Z AUG 25", dt.datetime(2025, 8, 29, 0, 41, tzinfo=UTC)),
        ("261846Z apr 2023", dt.datetime(2023, 4, 26, 18, 46, tzinfo=UTC)),
        ("310000Z FEB 2026", None),  # no 31 February
        ("170950 JAN 2017", None),  # no zone: not a date-time group
        ("2017-01-17", None),
        (None, None),
    ],
)
def test_nga_date_time_groups(text, instant):
    assert nga_time(text) == instant


def test_a_broadcast_warn_record_becomes_one_warning_text_under_its_number():
    source = read_nga_xml(NGA_XML, "w.xml")
    assert source.problems == []
    (record,) = source.records
    assert record == Record(
        text="HYDROARC 421/17\nBARENTS SEA.\nRUSSIA.\nDNC 22.\n"
        "1. GUNNERY AND MISSILE OPERATIONS 0300Z TO 2100Z\n"
        "   DAILY 26 THRU 29 DEC IN AREA BOUND BY\n"
        "   72-20.0N 035-40.0E, 72-10.0N 038-00.0E.\n"
        "2. CANCEL THIS MSG 292200Z DEC 17.",
        published=dt.date(2017, 12, 22),
        row=1,
        number="HYDROARC 421/17",
        # Cancelled by itself (CANCEL THIS MSG): a time, not another warning.
        cancelled_by=None,
        cancelled_at=dt.datetime(2017, 12, 29, 22, 0, tzinfo=UTC),
    )


def test_the_older_smaps_xml_is_read_as_it_is():
    raw = (
        b"<smaps><smapsActiveEntity><category>RACON</category><status>INFORCE</status>"
        b"<msgText>290041Z AUG 25\nHYDROARC 145/25(15).\nBEAUFORT SEA.\nCANADA.\n"
        b"RACON AT PITT ISLAND 69-09.00N 136-11.00W\nINOPERATIVE.</msgText>"
        b"</smapsActiveEntity></smaps>"
    )
    (record,) = read_nga_xml(raw, "s.xml").records
    assert (record.number, record.published) == ("HYDROARC 145/25", dt.date(2025, 8, 29))
    assert record.text.startswith("290041Z AUG 25\nHYDROARC 145/25(15).\nBEAUFORT SEA.")


def test_ngas_json_records_and_their_cancellation():
    # The record of NGA's Marlin app's test (NavigationalWarningTypeAdapterTest), with a
    # cancellation by another warning.
    document = {
        "broadcast-warn": [
            {
                "msgYear": 2023,
                "msgNumber": 464,
                "navArea": "4",
                "subregion": "24",
                "text": "WESTERN NORTH ATLANTIC.\nSURINAME.\n1. OPERATIONS IN PROGRESS UNTIL "
                "17 MAY\n   BY M/V ATLANTIC SPIRIT IN 07-21.61N 055-41.02W.\n",
                "status": "C",
                "issueDate": "261846Z APR 2023",
                "authority": "SURINAME 7/23 261838Z APR 23.",
                "cancelDate": "101200Z MAY 2023",
                "cancelNavArea": "4",
                "cancelMsgYear": 2023,
                "cancelMsgNumber": 501,
            }
        ]
    }
    source = read_nga_json(json.dumps(document).encode(), "w.json")
    (record,) = source.records
    assert record.text.splitlines()[:2] == ["NAVAREA IV 464/23", "WESTERN NORTH ATLANTIC."]
    assert (record.published, record.cancelled_by, record.cancelled_at) == (
        dt.date(2023, 4, 26),
        "NAVAREA IV 501/23",
        dt.datetime(2023, 5, 10, 12, 0, tzinfo=UTC),
    )
    bare = read_nga_json(json.dumps(document["broadcast-warn"]).encode(), "w.json")
    assert bare.records == source.records


def _record(**fields) -> str:
    base = {"msgYear": "2026", "msgNumber": "10", "navArea": "P", "text": "SOUTH CHINA SEA."}
    base.update(fields)
    return (
        "<broadcastWarnActiveEntity>"
        + "".join(f"<{k}>{v}</{k}>" for k, v in base.items() if v is not None)
        + "</broadcastWarnActiveEntity>"
    )


@pytest.mark.parametrize(
    "fields, line",
    [
        (
            {"text": ""},
            "w.xml: record #2 (HYDROPAC 10/26): text: no text: the record holds no warning "
            "to read; left out",
        ),
        (
            {"text": None},
            "w.xml: record #2 (HYDROPAC 10/26): text: no text: the record holds no warning "
            "to read; left out",
        ),
        (
            {"msgNumber": "1O"},
            'w.xml: record #2: msgNumber: "1O" is not what NGA writes: the warning\'s number '
            "cannot be made (navArea, msgNumber, msgYear); left out",
        ),
        (
            {"navArea": "Q"},
            'w.xml: record #2: navArea: "Q" is not what NGA writes: the warning\'s number '
            "cannot be made (navArea, msgNumber, msgYear); left out",
        ),
        (
            {"msgYear": None},
            "w.xml: record #2: msgYear: missing: the warning's number cannot be made (navArea, "
            "msgNumber, msgYear); left out",
        ),
    ],
    ids=["empty text", "no text", "number", "area", "year"],
)
def test_a_record_that_cannot_be_read_is_one_line_and_nothing_else_is_lost(fields, line):
    raw = (
        "<broadcast-warn>"
        + _record(msgNumber="9")
        + _record(**fields)
        + _record(msgNumber="11")
        + "</broadcast-warn>"
    ).encode()
    source = read_nga_xml(raw, "w.xml")
    assert [str(problem) for problem in source.problems] == [line]
    assert [record.number for record in source.records] == ["HYDROPAC 9/26", "HYDROPAC 11/26"]
    assert [record.row for record in source.records] == [1, 3]


def test_an_issue_date_that_is_not_one_is_said_and_the_warning_kept():
    raw = ("<broadcast-warn>" + _record(issueDate="yesterday") + "</broadcast-warn>").encode()
    source = read_nga_xml(raw, "w.xml")
    (record,) = source.records
    assert record.published is None
    (problem,) = source.problems
    assert (problem.field, problem.skipped) == ("issueDate", False)


@pytest.mark.parametrize(
    "raw, why",
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            b'"&lol;&lol;&lol;">]><broadcast-warn><x><text>&lol2;</text></x></broadcast-warn>',
            "it declares a DOCTYPE or entities",
        ),
        (b'<!DOCTYPE x SYSTEM "http://example.org/x.dtd"><broadcast-warn/>', "DOCTYPE"),
        (b"<broadcast-warn><broadcastWarnActiveEntity><text>SOUTH", "not well-formed XML"),
        (b"\xff\xfe\x00garbage", "not"),
        (b"<html><body>blocked</body></html>", "holds no NGA broadcast warning"),
    ],
    ids=["entities", "external DTD", "truncated", "binary", "not NGA's"],
)
def test_a_document_that_cannot_be_read_is_one_problem_naming_the_file(raw, why):
    source = read_nga_xml(raw, "w.xml")
    assert source.records == []
    (problem,) = source.problems
    assert problem.file == "w.xml" and why in problem.message


def test_ngas_empty_answer_holds_no_warnings_and_no_problem():
    # NGA's answer for a navArea and year without warnings (havardgulldahl/navwarns, history/
    # broadcast-warn?navArea=B&status=all&msgYear=2023&output=xml.xml).
    raw = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<broadcast-warn/>\n'
    source = read_nga_xml(raw, "b.xml")
    assert (source.records, source.problems) == ([], [])
    assert source.notes == ["b.xml: holds no warnings (an empty <broadcast-warn>)"]


def test_the_hydropac_example_gives_one_text_per_record():
    source = read_warning_source("hydropac.xml", EXAMPLE.read_bytes(), "hydropac.xml")
    assert [(r.row, r.number, r.published) for r in source.records] == [
        (1, "HYDROPAC 2379/26", dt.date(2026, 8, 21)),
        (2, "HYDROPAC 2380/26", dt.date(2026, 8, 22)),
        (3, "HYDROPAC 2381/26", dt.date(2026, 8, 23)),
        (4, "HYDROPAC 2385/26", dt.date(2026, 8, 25)),
        (5, "HYDROPAC 2376/26", dt.date(2026, 8, 20)),
        (6, "HYDROPAC 2386/26", dt.date(2026, 8, 26)),
    ]
    assert [str(problem) for problem in source.problems] == [
        "hydropac.xml: record #7 (HYDROPAC 2387/26): text: no text: the record holds no "
        "warning to read; left out"
    ]
    cancelled = source.records[4]
    assert (cancelled.cancelled_by, cancelled.cancelled_at) == (
        "HYDROPAC 2383/26",
        dt.datetime(2026, 8, 24, 12, 0, tzinfo=UTC),
    )
    # The daily window is in the text as NGA wrote it, under the number.
    assert source.records[0].text.splitlines()[:5] == [
        "HYDROPAC 2379/26",
        "SOUTH CHINA SEA.",
        "CHINA.",
        "DNC 11.",
        "1. MILITARY EXERCISES 0100Z TO 1300Z DAILY 24 THRU 27 AUG",
    ]


def test_ngas_cancellation_ends_the_warning_when_it_falls_within_it():
    source = read_warning_source("hydropac.xml", EXAMPLE.read_bytes(), "hydropac.xml")
    read = read_source_warnings(source)
    warning = next(w for w, *_ in read if w.number == "HYDROPAC 2376/26")
    # NAVAL EXERCISES 220000Z TO 301200Z AUG, cancelled at 241200Z AUG 2026.
    assert warning.cancelled_by == "HYDROPAC 2383/26"
    assert warning.end == dt.datetime(2026, 8, 24, 12, 0, tzinfo=UTC)
    assert warning.start.isoformat().startswith("2026-08-22")


T = dt.datetime(2026, 8, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "start, end, end_after",
    [
        (dt.date(2026, 8, 22), dt.date(2026, 8, 30), T),
        (dt.date(2026, 8, 22), dt.date(2026, 8, 23), dt.date(2026, 8, 23)),  # ended before
        (dt.date(2026, 8, 25), dt.date(2026, 8, 30), dt.date(2026, 8, 30)),  # not begun
        (
            dt.datetime(2026, 8, 24, 13, 0, tzinfo=UTC),
            dt.datetime(2026, 8, 24, 18, 0, tzinfo=UTC),
            dt.datetime(2026, 8, 24, 18, 0, tzinfo=UTC),
        ),
        (
            dt.datetime(2026, 8, 24, 6, 0, tzinfo=UTC),
            None,
            dt.datetime(2026, 8, 24, 6, 0, tzinfo=UTC),
        ),
    ],
    ids=["within", "after its end", "before its start", "timed, before its start", "no end"],
)
def test_a_cancellation_time_ends_a_warning_only_within_it(start, end, end_after):
    assert cancelled_end(start, end, T) == end_after


# --- the China MSA scraper's table ------------------------------------------------------------
SCRAPER_HEADER = (
    "publish_date,title,channel,time_periods,coordinate_count,coordinates,coordinates_raw,"
    "content_preview,url,scraped_at,start_date,end_date\n"
)
SCRAPER_ROW = (
    '2024-05-20,军事训练—闽航警0123/24,福建海事局,05/23-05/24,3,"24.1667,118.5","24-10.00N",'
    '"闽航警0123/24 发布时间：2024-05-20 10:00 [字体： 大 中 小 ] 分享到： 闽航警0123/24 台湾海峡 '
    "2024年5月23日0800时至5月24日1800时 在24-10.00N 118-30.00E、24-10.00N 118-50.00E、"
    '24-00.00N 118-50.00E诸点连线范围内进行实弹射击。",https://www.msa.gov.cn/x/1,'
    "2024-05-21T04:00:00,2024-05-23,2024-05-24\n"
)


def test_the_msa_scrapers_csv_is_read_as_it_is():
    raw = ("\ufeff" + SCRAPER_HEADER + SCRAPER_ROW).encode("utf-8")
    source = read_warning_source("military_exercises.csv", raw, "m.csv")
    assert source.problems == []
    (record,) = source.records
    assert record.text.startswith("来源：福建海事局\n闽航警0123/24 发布时间：2024-05-20 10:00")
    assert (record.url, record.published, record.row) == (
        "https://www.msa.gov.cn/x/1",
        dt.date(2024, 5, 20),
        2,
    )
    assert source.notes == [
        'm.csv: warnings read from text "content_preview", URL "url", published '
        '"publish_date", station "channel" (the China MSA scraper\'s columns)'
    ]
    ((warning, *_),) = read_source_warnings(source)
    assert (warning.number, warning.start, warning.end) == (
        "闽航警0123/24",
        dt.date(2024, 5, 23),
        dt.date(2024, 5, 24),
    )


def test_the_msa_scrapers_json_is_read_like_its_csv():
    record = {
        "publish_date": "2024-05-20",
        "channel": "福建海事局",
        "content_preview": "闽航警0123/24 台湾海峡 2024年5月23日0800时至5月24日1800时 在24-10.00N "
        "118-30.00E、24-10.00N 118-50.00E、24-00.00N 118-50.00E诸点连线范围内进行实弹射击。",
        "url": "https://www.msa.gov.cn/x/1",
        "coordinate_count": 3,
    }
    source = read_warning_source("m.json", json.dumps([record]).encode(), "m.json")
    ((text, url, published, row),) = source.items()
    assert text.startswith("来源：福建海事局\n闽航警0123/24 台湾海峡")
    assert (url, published, row) == ("https://www.msa.gov.cn/x/1", dt.date(2024, 5, 20), 1)


def test_another_csv_has_its_columns_guessed_or_given():
    raw = (
        "body,link,when\n"
        '"闽航警0123/24 台湾海峡 2024年5月23日0800时至5月24日1800时 在24-10.00N 118-30.00E、'
        '24-10.00N 118-50.00E、24-00.00N 118-50.00E诸点连线范围内进行实弹射击。",'
        "https://example.org/1,2024-05-20\n"
    ).encode()
    guessed = read_warning_source("w.csv", raw, "w.csv")
    assert guessed.notes == [
        'w.csv: warnings read from text "body", URL "link", published "when" (guessed)'
    ]
    given_ = read_warning_source("w.csv", raw, "w.csv", column="body")
    assert given_.notes == [] and given_.items()[0][1:] == (None, None, 2)
    missing = read_warning_source("w.csv", raw, "w.csv", column="text")
    assert [str(p) for p in missing.problems] == [
        'w.csv: no column "text" (read as comma-separated, the columns are body, link, when)'
    ]


def test_problems_of_nga_records_name_records_not_rows():
    raw = "<broadcast-warn>" + _record(text="SOUTH CHINA SEA. NO POSITION.") + "</broadcast-warn>"
    from layers.read.navwarn import import_warnings

    source = read_nga_xml(raw.encode(), "w.xml")
    _, found = import_warnings(source.items(), "w.xml", read=read_source_warnings(source))
    named = [problem.feature for problem in source_problems(source, found)]
    assert named and all(name.startswith('record #1, warning "HYDROPAC 10/26"') for name in named)


# --- never raises ------------------------------------------------------------------------------
FIELDS = [
    "msgYear",
    "msgNumber",
    "navArea",
    "subregion",
    "text",
    "msgText",
    "status",
    "issueDate",
    "authority",
    "cancelDate",
    "cancelNavArea",
    "cancelMsgYear",
    "cancelMsgNumber",
]
_xml_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(
    lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
)
_record_xml = st.lists(st.tuples(st.sampled_from(FIELDS), _xml_text), max_size=8).map(
    lambda pairs: "<entity>" + "".join(f"<{k}>{v}</{k}>" for k, v in pairs) + "</entity>"
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_never_raise(raw):
    for source in (read_nga_xml(raw, "w.xml"), read_nga_json(raw, "w.json")):
        assert all(isinstance(record, Record) for record in source.records)
        assert source.records or source.problems or source.notes


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(_record_xml, max_size=5), st.sampled_from(["broadcast-warn", "smaps", "x"]))
def test_any_well_formed_xml_never_raises_and_loses_no_record_silently(records, root):
    raw = f"<{root}>{''.join(records)}</{root}>".encode()
    source = read_nga_xml(raw, "w.xml")
    readable = [r for r in records if any(f"<{k}>" in r for k in ("msgNumber", "text", "msgText"))]
    # Every record is a text or a problem naming it.
    named = {p.feature.split(" ")[1] for p in source.problems if p.feature and p.skipped}
    assert len(source.records) + len(named) >= len(readable)
    read_source_warnings(source)  # nor does the reader on what was read


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(FIELDS + ["broadcast-warn"]), inner, max_size=6)
        ),
        max_leaves=20,
    )
)
def test_any_json_never_raises(document):
    source = read_nga_json(json.dumps(document).encode(), "w.json")
    assert all(isinstance(record, Record) for record in source.records)
