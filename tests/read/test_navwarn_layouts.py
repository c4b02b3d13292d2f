"""Navigational warnings in each published layout, read as a careful analyst reads them.

docs/examples/navwarn/layouts/ holds one fictional file per layout (English and Chinese China
MSA, HYDROPAC, NAVAREA XI and XII, Japan Coast Guard 航行警報, Taiwan 航船布告) and, beside each,
`<layout>.expected.json`: what each warning says, worked out by hand from the text (positions
converted from degrees and minutes by arithmetic, never by the reader). Each file is read whole,
as an analyst pastes it, and every check below is one case per warning.

Values: positions within 0.001°, circle and sector radii within 1 % (distances by pyproj.Geod on
WGS84), windows exact (UTC instants where the text gives hours in UTC/Z, dates otherwise).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from types import SimpleNamespace

import pytest
from conftest import REPO
from pyproj import Geod

from layers.read.navwarn import read_items, warning_feature
from layers.read.navwarn.events import moment_text

LAYOUTS = REPO / "docs/examples/navwarn/layouts"
NAMES = sorted(path.name.removesuffix(".expected.json") for path in LAYOUTS.glob("*.json"))
GEOD = Geod(ellps="WGS84")
NM_M = 1852.0  # one international nautical mile, metres


def _key(number: str | None) -> str:
    """A number as an analyst compares two: NFKC, no spaces, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", number or "")).upper()


def _digits(number: str | None) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", unicodedata.normalize("NFKC", number or ""))]


@functools.cache
def _layout(name: str):
    expected = json.loads((LAYOUTS / f"{name}.expected.json").read_text(encoding="utf-8"))
    text = (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8")
    published = dt.date.fromisoformat(expected["published"]) if "published" in expected else None
    read = [warning for warning, *_ in read_items([(text, None, published, None)])]
    return expected, read


def _case_id(name: str, number: str) -> str:
    """A test id in ASCII (pytest escapes other characters): the layout and the number's
    ASCII part, e.g. `jcg-kohokeiho:512`, `msa-chinese-page:0412/26`."""
    ascii_part = re.sub(r"[^\x21-\x7e ]+", "", unicodedata.normalize("NFKC", number)).strip()
    return f"{name}:{ascii_part.replace(' ', '-')}"


CASES = [
    pytest.param(name, index, id=_case_id(name, warning["number"]))
    for name in NAMES
    for index, warning in enumerate(_layout(name)[0]["warnings"])
]


def _find(name: str, index: int):
    """The expected warning and the one the reader read for it: by its number, else by the
    number's digits (so a number read wrongly fails its own test, not every other one)."""
    expected, read = _layout(name)
    want = expected["warnings"][index]
    same = [w for w in read if _key(w.number) == _key(want["number"])]
    if not same:
        same = [w for w in read if _digits(w.number) == _digits(want["number"])]
    if not same:
        pytest.fail(
            f"{want['number']} was not read as a warning of its own; numbers read: "
            f"{[w.number for w in read]}"
        )
    return expected, want, same[0]


def _when(text: str):
    """An expected window end: a UTC instant ('2026-08-24T01:00Z') or a date ('2026-08-24')."""
    if "T" in text:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt.date.fromisoformat(text)


def _same_time(got, want) -> bool:
    """Equal, and of the same sort: a date is not a datetime (hours in no stated zone stay a
    date), and an instant is aware."""
    if isinstance(want, dt.datetime):
        return isinstance(got, dt.datetime) and got.tzinfo is not None and got == want
    return type(got) is dt.date and got == want


# --- one warning, one event ----------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_each_layout_splits_into_its_warnings(name):
    """The file pasted whole gives exactly its warnings, each once, whatever the blank lines
    (several warnings sit on consecutive lines), page headers and footers."""
    expected, read = _layout(name)
    assert sorted(_key(w.number) for w in read) == sorted(
        _key(w["number"]) for w in expected["warnings"]
    )


@pytest.mark.parametrize(("name", "index"), CASES)
def test_number(name, index):
    _, want, warning = _find(name, index)
    assert _key(warning.number) == _key(want["number"])


# --- when --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "index"), CASES)
def test_windows(name, index):
    """Every window the text writes, in order: daily hours give one window a day, `AND` and
    `ALTERNATE` a window each, overnight hours end the next day, eras and 民國 years converted."""
    _, want, warning = _find(name, index)
    windows = [(_when(w["start"]), _when(w["end"])) for w in want["windows"]]
    got = [(w.start, w.end) for w in warning.windows]
    assert len(got) == len(windows), f"windows read: {got}"
    for (start, end), (want_start, want_end) in zip(got, windows):
        assert _same_time(start, want_start), f"{start!r} != {want_start!r}"
        assert _same_time(end, want_end), f"{end!r} != {want_end!r}"
    feature, _ = warning_feature(warning, ["USA"])
    if windows and feature is not None:
        # The event spans its windows, to the minute with the offset where they are timed.
        span = (feature["properties"]["start"], feature["properties"]["end"])
        assert span == (moment_text(windows[0][0]), moment_text(windows[-1][1]))


# --- where -------------------------------------------------------------------------------------
def _open(positions):
    positions = [tuple(p[:2]) for p in positions]
    if len(positions) > 2 and positions[0] == positions[-1]:
        positions = positions[:-1]
    return positions


def _bearing_in(bearing: float, first: float, last: float, slack: float = 0.5) -> bool:
    """Whether `bearing` lies on the clockwise turn from `first` to `last` (degrees true)."""
    turn, offset = (last - first) % 360, (bearing - first) % 360
    return offset <= turn + slack or offset >= 360 - slack


def _form(area) -> str:
    return area["form"] if isinstance(area, dict) else area.form


def _points_together(areas: list) -> list:
    """The areas with every list of points (positions that bound no area) made one list, the
    areas first: whether `A. … B. …` points are one list or two is not the reader's to show."""
    points = [a for a in areas if _form(a) == "points"]
    rest = [a for a in areas if _form(a) != "points"]
    if not points:
        return rest
    if isinstance(points[0], dict):
        return [*rest, {"form": "points", "vertices": [v for a in points for v in a["vertices"]]}]
    return [
        *rest,
        SimpleNamespace(form="points", positions=[p for a in points for p in a.positions]),
    ]


@pytest.mark.parametrize(("name", "index"), CASES)
def test_areas(name, index):
    """Every area the text defines, in order, with its form and its vertices; a circle's or a
    sector's boundary drawn at its radius (within 1 %), a sector's arc between its bearings."""
    _, want, warning = _find(name, index)
    areas, wants = _points_together(warning.areas), _points_together(want["areas"])
    assert [_form(a) for a in areas] == [a["form"] for a in wants]
    for area, wanted in zip(areas, wants):
        vertices = [tuple(v) for v in wanted["vertices"]]
        if wanted["form"] in ("circle", "sector"):
            lon, lat = vertices[0]
            assert tuple(area.positions[0][:2]) == pytest.approx((lon, lat), abs=1e-3)
            radius = wanted["radius_nm"] * NM_M
            assert area.radius_nm * NM_M == pytest.approx(radius, rel=0.01)
            ring = _open(area.ring())
            rim = [p for p in ring if abs(p[0] - lon) > 1e-9 or abs(p[1] - lat) > 1e-9]
            azimuths, _, distances = GEOD.inv(
                [lon] * len(rim), [lat] * len(rim), [p[0] for p in rim], [p[1] for p in rim]
            )
            assert all(abs(d - radius) <= 0.01 * radius for d in distances)
            if wanted["form"] == "sector":
                first, last = wanted["bearings"]
                assert len(ring) > len(rim), "a sector's boundary runs through its vertex"
                assert all(_bearing_in(a % 360, first, last) for a in azimuths)
                assert any(abs((a - first + 180) % 360 - 180) < 0.5 for a in azimuths)
                assert any(abs((a - last + 180) % 360 - 180) < 0.5 for a in azimuths)
        else:
            got = _open(area.positions)
            assert len(got) == len(vertices), f"vertices read: {got}"
            for position, vertex in zip(got, vertices):
                assert position == pytest.approx(vertex, abs=1e-3)


# --- who, what, and whether it is an event ----------------------------------------------------
@pytest.mark.parametrize(("name", "index"), CASES)
def test_issuer(name, index):
    """The issuer where the text or its page names one (an MSA station, 来源：…, GUANGXI MSA
    CHINA, 海上保安本部, 交通部航港局); none where it names none (never guessed from the sea)."""
    _, want, warning = _find(name, index)
    assert warning.nations == ([want["issuer"]] if want["issuer"] else [])


@pytest.mark.parametrize(("name", "index"), CASES)
def test_cancellations(name, index):
    """What a warning cancels, and the warning that cancels it when both are read together."""
    _, want, warning = _find(name, index)
    assert _digits(" ".join(warning.cancels)) == _digits(want["cancels"])
    assert _digits(warning.cancelled_by) == _digits(want["cancelled_by"])


@pytest.mark.parametrize(("name", "index"), CASES)
def test_event_and_kind(name, index):
    """An event exactly where the analyst expects one (a replacement keeps its own areas; a
    cancellation, an in-force list or a warning with no period is none), of the kind its
    activity names, issued by whom the text names or, where it names no one, by the nation the
    analyst gives."""
    expected, want, warning = _find(name, index)
    given = None if want["issuer"] else expected.get("nations_given", ["USA"])
    feature, problems = warning_feature(warning, given)
    assert (feature is not None) == want["event"], problems
    if feature is None:
        if not want["cancels"]:
            assert problems, "a warning left out says why"
        return
    properties = feature["properties"]
    assert properties["kind"] == want["kind"]
    assert properties["nations"] == ([want["issuer"]] if want["issuer"] else given)
    if want["windows"]:
        assert _same_time(_parse(properties["start"]), _when(want["windows"][0]["start"]))
        assert _same_time(_parse(properties["end"]), _when(want["windows"][-1]["end"]))


def _parse(text: str):
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
