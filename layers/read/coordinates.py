"""Latitudes and longitudes as analysts' sources write them, read to decimal degrees.

Spellings read (each with the hemisphere before or after, or a sign):
`27.58`, `-27.58`, `27.58N`, `27°35′N`, `27°35'N`, `24°48'30"N`, `24°48′30″N`, `N 29°05′30″`,
`33-50.5N` (degrees-minutes with a dash, as navigational warnings write them), `27 35 N`,
`北緯27度35分`, `東経125度10分`, `北纬27度35分`, and full-width digits and signs. Minutes and
seconds may carry decimals. With `decimal_comma`, `27,58` is 27.58.

Nothing is guessed: a value that fits none of these, minutes or seconds of 60 or more, a
latitude beyond 90 or a longitude beyond 180, or a hemisphere letter of the other axis (an `E`
in a latitude column) is an error that says so.
"""

from __future__ import annotations

import json
import re
import unicodedata

from layers.i18n import N_, Message

LATITUDE, LONGITUDE = N_("latitude"), N_("longitude")
_AXIS_HEMISPHERES = {LATITUDE: "NS", LONGITUDE: "EW"}
_AXIS_LIMITS = {LATITUDE: 90.0, LONGITUDE: 180.0}
# Written prefixes for the hemispheres in Japanese and Chinese.
_HEMISPHERE_WORDS = {
    "北緯": "N",
    "北纬": "N",
    "南緯": "S",
    "南纬": "S",
    "東経": "E",
    "东经": "E",
    "東經": "E",
    "西経": "W",
    "西经": "W",
    "西經": "W",
}
_SYMBOLS = str.maketrans(
    {
        "º": "°",
        "˚": "°",
        "度": "°",
        "′": "'",
        "’": "'",
        "‘": "'",
        "分": "'",
        "″": '"',
        "”": '"',
        "“": '"',
        "秒": '"',
        "−": "-",
        "–": "-",
    }
)
_NUMBER = r"\d+(?:\.\d+)?"
_DECIMAL = re.compile(rf"^([+-])?({_NUMBER})°?$")
_SYMBOLIC = re.compile(rf"^([+-])?(\d+)°\s*(?:({_NUMBER})'\s*(?:({_NUMBER})(?:\"|''))?)?$")
_DASHED = re.compile(rf"^(\d+)-({_NUMBER})(?:-({_NUMBER}))?$")
_SPACED = re.compile(rf"^(\d+)\s+({_NUMBER})(?:\s+({_NUMBER}))?$")


class CoordinateError(ValueError):
    """A text that is not a latitude or longitude in any spelling read here."""


def parse_coordinate(text: object, axis: str, decimal_comma: bool = False) -> float:
    """Decimal degrees (WGS84; south and west negative) from a written latitude or longitude.

    `axis` is "latitude" or "longitude". Raises CoordinateError with the reason in words.
    """
    if isinstance(text, bool):
        raise CoordinateError(
            Message("{value} is not a {axis}", value=repr(text), axis=Message(axis))
        )
    if isinstance(text, (int, float)):
        return _checked(float(text), axis, str(text))
    if not isinstance(text, str) or not text.strip():
        raise CoordinateError(Message("no {axis} given", axis=Message(axis)))
    original = text.strip()
    # Symbols first: NFKC would turn the ordinal "º" some keyboards give for "°" into an "o".
    cleaned = unicodedata.normalize("NFKC", original.translate(_SYMBOLS)).translate(_SYMBOLS)
    for word, letter in _HEMISPHERE_WORDS.items():
        cleaned = cleaned.replace(word, letter)
    if decimal_comma:
        cleaned = re.sub(r"(\d),(\d)", r"\1.\2", cleaned)
    cleaned = cleaned.strip()
    hemisphere = ""
    match = re.match(r"^([NSEWnsew])\s*(.*)$", cleaned) or re.match(
        r"^(.*?)\s*([NSEWnsew])$", cleaned
    )
    if match:
        first, second = match.groups()
        hemisphere, cleaned = (
            (first, second)
            if len(first) == 1 and first.isalpha()
            else (
                second,
                first,
            )
        )
        hemisphere = hemisphere.upper()
        if hemisphere not in _AXIS_HEMISPHERES[axis]:
            other = LONGITUDE if axis == LATITUDE else LATITUDE
            raise CoordinateError(
                Message(
                    "{value} is a {other} ({hemisphere}), not a {axis}",
                    value=_quoted(original),
                    other=Message(other),
                    hemisphere=hemisphere,
                    axis=Message(axis),
                )
            )
    value = _degrees(cleaned.strip(), hemisphere != "", original, axis)
    if hemisphere and value < 0:
        raise CoordinateError(
            Message(
                "{value} has both a minus sign and {hemisphere}",
                value=_quoted(original),
                hemisphere=hemisphere,
            )
        )
    if hemisphere in ("S", "W"):
        value = -value
    return _checked(value, axis, original)


def _degrees(text: str, has_hemisphere: bool, original: str, axis: str) -> float:
    match = _DECIMAL.match(text)
    if match:
        sign, number = match.groups()
        return -float(number) if sign == "-" else float(number)
    match = _SYMBOLIC.match(text)
    if match:
        sign, degrees, minutes, seconds = match.groups()
        value = _sexagesimal(degrees, minutes, seconds, original)
        return -value if sign == "-" else value
    # Dashed and spaced forms are only read with a hemisphere: "33-50" alone could be a range.
    for pattern in (_DASHED, _SPACED):
        match = pattern.match(text)
        if match and has_hemisphere:
            return _sexagesimal(*match.groups(), original)
    raise CoordinateError(
        Message(
            "{value} is not a {axis} (write e.g. 27.58, 27°35′N, 24°48′30″N or 33-50.5N)",
            value=_quoted(original),
            axis=Message(axis),
        )
    )


def _sexagesimal(degrees: str, minutes: str | None, seconds: str | None, original: str) -> float:
    minutes_value = float(minutes) if minutes else 0.0
    seconds_value = float(seconds) if seconds else 0.0
    if minutes_value >= 60 or seconds_value >= 60:
        raise CoordinateError(
            Message("{value} has minutes or seconds of 60 or more", value=_quoted(original))
        )
    return float(degrees) + minutes_value / 60 + seconds_value / 3600


def _checked(value: float, axis: str, original: str) -> float:
    limit = _AXIS_LIMITS[axis]
    if not -limit <= value <= limit:
        raise CoordinateError(
            Message(
                "{value} is beyond {limit}°, out of range for a {axis}",
                value=_quoted(original),
                limit=format(limit, "g"),
                axis=Message(axis),
            )
        )
    return value


def _quoted(original: str) -> str:
    """A cell's text in double quotes, a quote inside it escaped (as JSON writes it), so a
    message's quoted value ends where the value does: 24°48'30"N is "24°48'30\\"N"."""
    return json.dumps(original, ensure_ascii=False)
