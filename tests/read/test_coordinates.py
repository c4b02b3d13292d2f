"""Latitudes and longitudes in every spelling analysts' sources use, with their right values."""

import re

import pytest

from layers.read.coordinates import CoordinateError, parse_coordinate


@pytest.mark.parametrize(
    ("text", "axis", "degrees"),
    [
        ("27.58", "latitude", 27.58),
        ("-27.58", "latitude", -27.58),
        ("27.58N", "latitude", 27.58),
        ("27.58 S", "latitude", -27.58),
        ("27°35′N", "latitude", 27 + 35 / 60),
        ("27°35'N", "latitude", 27 + 35 / 60),
        ("24°48'30\"N", "latitude", 24 + 48 / 60 + 30 / 3600),
        ("24°48′30″N", "latitude", 24 + 48 / 60 + 30 / 3600),
        ("N 29°05′30″", "latitude", 29 + 5 / 60 + 30 / 3600),
        ("E 122°40′15″", "longitude", 122 + 40 / 60 + 15 / 3600),
        ("33-50.5N", "latitude", 33 + 50.5 / 60),
        ("118-30.00E", "longitude", 118.5),
        ("24-10.00N", "latitude", 24 + 10 / 60),
        ("27 35 N", "latitude", 27 + 35 / 60),
        ("北緯34度35分", "latitude", 34 + 35 / 60),
        ("東経139度40分", "longitude", 139 + 40 / 60),
        ("北纬27度35分", "latitude", 27 + 35 / 60),
        ("西経170度", "longitude", -170.0),
        ("１２３．５", "longitude", 123.5),
        ("125°10′E", "longitude", 125 + 10 / 60),
        (123.5, "longitude", 123.5),
        ("27º35'N", "latitude", 27 + 35 / 60),
    ],
)
def test_every_spelling_reads_to_decimal_degrees(text, axis, degrees):
    assert parse_coordinate(text, axis) == pytest.approx(degrees)


def test_a_decimal_comma_is_read_only_when_the_file_uses_it():
    assert parse_coordinate("27,58", "latitude", decimal_comma=True) == 27.58
    with pytest.raises(CoordinateError):
        parse_coordinate("27,58", "latitude")


@pytest.mark.parametrize(
    ("text", "axis", "words"),
    [
        ("27°65′N", "latitude", "minutes or seconds of 60 or more"),
        ("125E", "latitude", "is a longitude (E), not a latitude"),
        ("27N", "longitude", "is a latitude (N), not a longitude"),
        ("95", "latitude", "beyond 90°"),
        ("181", "longitude", "beyond 180°"),
        ("33-50", "latitude", "is not a latitude"),  # without a hemisphere: could be a range
        ("north", "latitude", "is not a latitude"),
        ("", "latitude", "no latitude given"),
        ("-27.5S", "latitude", "both a minus sign and S"),
        ("-27.5N", "latitude", "both a minus sign and N"),
    ],
)
def test_what_is_not_a_coordinate_says_why(text, axis, words):
    with pytest.raises(CoordinateError, match=re.escape(words)):
        parse_coordinate(text, axis)
