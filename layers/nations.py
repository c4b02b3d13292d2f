"""ISO 3166-1 alpha-3 codes, their names, and the code a name in any language stands for.

Codes and English display names come from ISO 3166-1 as packaged by pycountry (data maintained
upstream in Debian's iso-codes); codes are facts, names are for display. A few display names are
shorter than ISO's (`_DISPLAY_NAMES`). TWN is ISO's code for Taiwan; it is shown as "Taiwan".

Names in other languages come from the Unicode CLDR territory names Babel ships, in every locale
it has (`CLDR_VERSION`): 日本, 台灣, 中国, 韓国, フィリピン, Deutschland, Россия… A name two
locales give to different nations ("Kongo": COD in one language, COG in another) is ambiguous:
it names no nation by itself, and `nation_matches` returns every candidate so the caller can
say so. The few names this region's lists write that neither CLDR nor ISO gives (中華民國, 米国,
한국…) are in `_REGIONAL_NAMES`.
"""

from __future__ import annotations

import difflib
import functools
import pickle
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry
from babel import Locale, localedata
from babel.core import get_cldr_version
from babel.languages import get_official_languages

# The CLDR release of the names Babel ships ("49" in Babel 2.19): said where a match is shown.
CLDR_VERSION = get_cldr_version()

# Display names where pycountry has no `common_name` and its `name` is long or inverted
# ("Russian Federation", "Virgin Islands, U.S.").
_DISPLAY_NAMES = {
    "BRN": "Brunei",
    "COD": "DR Congo",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "RUS": "Russia",
    "VAT": "Holy See",
    "VGB": "British Virgin Islands",
    "VIR": "US Virgin Islands",
}
# Short forms analysts write that are neither ISO codes nor ISO names. "UK" is not an ISO
# alpha-2 code (GB is), "ROC" is Taiwan and "PRC" China.
_SHORT_FORMS = {
    "USA": ("US", "U.S.", "U.S.A."),
    "GBR": ("UK", "U.K.", "Britain", "Great Britain"),
    "KOR": ("ROK", "Republic of Korea", "Korea (Republic of)"),
    "PRK": ("DPRK",),
    "CHN": ("PRC", "Mainland China"),
    "TWN": ("ROC", "Republic of China"),
    "TUR": ("Turkey", "Turkiye"),
    "MMR": ("Burma",),
    "TLS": ("East Timor",),
    "NLD": ("Holland", "The Netherlands"),
}
# Names this region's lists and press releases write that CLDR's territory names do not give
# (CLDR has one short name per language: zh 中国, ja 日本, ko 대한민국, zh_Hant 南韓): the
# states' own formal names in Chinese, Japanese and Korean (中華民國 is the Republic of China,
# Taiwan's own name; 中华人民共和国 the PRC), the short names Japanese (米国, 豪州) and Korean
# (한국) usage prefers, and 中共, Taiwan's usual word for the PRC's forces (中共軍機). A test
# checks that CLDR still lacks each, so none hides a CLDR name.
_REGIONAL_NAMES = {
    "TWN": ("中華民國", "中华民国"),
    "CHN": ("中華人民共和國", "中华人民共和国", "中共"),
    "KOR": ("大韓民国", "大韓民國", "大韩民国", "韓國", "한국"),
    "JPN": ("日本国", "日本國"),
    "USA": ("米国", "アメリカ"),
    "AUS": ("豪州",),
}
# CLDR names in Latin letters this short are left out: some are English words ("man", "end")
# or other codes ("nga" is Russia in Vietnamese and Nigeria's ISO code).
_SHORTEST_LATIN_NAME = 4

NATION_NAMES: dict[str, str] = {
    country.alpha_3: _DISPLAY_NAMES.get(
        country.alpha_3, getattr(country, "common_name", None) or country.name
    )
    for country in sorted(pycountry.countries, key=lambda country: country.alpha_3)
}
_ALPHA_3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
_ALPHA_2 = {alpha_3: alpha_2 for alpha_2, alpha_3 in _ALPHA_3.items()}


def name_key(text: str) -> str:
    """`text` as names are compared: NFKC (full-width ＪＰＮ is JPN, half-width kana are kana),
    臺 as 台 (臺灣 and 台灣 are one name), ’ as ', spaces collapsed, case folded."""
    text = unicodedata.normalize("NFKC", text).replace("臺", "台").replace("’", "'")
    return " ".join(text.split()).casefold()


def _english_index() -> dict[str, str]:
    """Every English name, short form and code (as `name_key`) to its alpha-3 code; later
    entries win, so codes win over names."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("official_name", "name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                index[name_key(name)] = country.alpha_3
    for code, name in NATION_NAMES.items():
        index[name_key(name)] = code
    for code, forms in _SHORT_FORMS.items():
        for form in forms:
            index[name_key(form)] = code
    for code, names in _REGIONAL_NAMES.items():
        for name in names:
            index[name_key(name)] = code
    for country in pycountry.countries:
        index[name_key(country.alpha_2)] = country.alpha_3
        index[name_key(country.alpha_3)] = country.alpha_3
    return index


_CODE_BY_TEXT = _english_index()


@dataclass(frozen=True)
class CldrNames:
    """The CLDR territory names of every locale Babel ships, read once (`cldr_names`).

    `codes`: each name (as `name_key`) to the alpha-3 codes it names, one or, when locales
    disagree, several (sorted). `native`: each code to its name in the first of its official
    languages (CLDR's territory languages, de facto ones included) whose name differs from the
    English display name: JPN 日本, TWN 台灣, KOR 대한민국, PHL Pilipinas; none for USA.
    `locales`: how many locales were read."""

    codes: dict[str, tuple[str, ...]]
    native: dict[str, str]
    locales: int


def _own_territories(identifier: str) -> dict[str, str]:
    """The territory names a locale's own CLDR data gives (not those it inherits, which its
    parent locale gives). Read from Babel's file for the locale (its data is a pickle per
    locale, babel.localedata.load's documented store) rather than through `load`, whose cache
    would keep ~150 MB of every locale's data and could hand another thread this unmerged
    data for the locale."""
    with open(localedata.resolve_locale_filename(identifier), "rb") as file:
        return dict(pickle.load(file).get("territories", {}))


@functools.cache
def cldr_names() -> CldrNames:
    """Every CLDR territory name in every locale Babel ships, to its ISO 3166-1 alpha-3 code.

    Built on first use and kept for the process: for Babel 2.19's 1,147 locales (34,500
    names), 0.3-0.6 s, with 15 MB of Python's memory at the peak and 6 MB kept. Territories
    that are no ISO 3166-1 country (regions such as "Europe", EU, UN, XK) are left out, as are
    Latin-letter names shorter than 4 letters.
    """
    wanted: dict[str, list[str]] = {}  # a language to the territories it is official in
    for alpha_2 in _ALPHA_3:
        for language in get_official_languages(alpha_2, de_facto=True):
            wanted.setdefault(language, []).append(alpha_2)
    codes: dict[str, set[str]] = {}
    in_language: dict[str, dict[str, str]] = {}
    identifiers = localedata.locale_identifiers()
    for identifier in identifiers:
        territories = _own_territories(identifier)
        for alpha_2 in wanted.get(identifier, ()):
            if alpha_2 in territories:
                in_language.setdefault(alpha_2, {})[identifier] = territories[alpha_2]
        for alpha_2, name in territories.items():
            code = _ALPHA_3.get(alpha_2)
            key = name_key(name)
            if code is None or (key.isascii() and len(key) < _SHORTEST_LATIN_NAME):
                continue
            codes.setdefault(key, set()).add(code)
    native = {}
    for alpha_2, names in in_language.items():
        code = _ALPHA_3[alpha_2]
        for language in get_official_languages(alpha_2, de_facto=True):
            name = names.get(language)
            if name and name_key(name) != name_key(NATION_NAMES[code]):
                native[code] = name
                break
    return CldrNames(
        {key: tuple(sorted(found)) for key, found in codes.items()}, native, len(identifiers)
    )


def nation_matches(text: str) -> tuple[str, ...]:
    """Every ISO 3166-1 alpha-3 code `text` may name: one, none (()), or several when the
    name is ambiguous across languages ("Kongo" → ("COD", "COG")).

    Recognised, ignoring case, width (NFKC) and surrounding or repeated spaces, 臺 as 台:
    alpha-3 codes; alpha-2 codes and other two-letter Latin forms only in capitals ("IN" →
    "IND", "NO" → "NOR", "US"; but "in", "no" and "na" are words, not nations); the English
    names of ISO 3166-1 as packaged by pycountry from Debian's iso-codes (`name`,
    `official_name`, `common_name`: "Viet Nam", "Korea, Republic of"), the display names of
    `NATION_NAMES` ("Russia", "Brunei") and usual short forms ("US", "U.K.", "Britain", "ROK",
    "DPRK", "PRC", "ROC" → "TWN", "Burma", "Holland", "Turkey"); `_REGIONAL_NAMES` (中華民國,
    米国, 한국); and the CLDR territory names of every locale Babel ships (日本, 台灣, 中国, 韓国,
    フィリピン, Deutschland). English names, short forms and codes come first: "nga" is
    Nigeria's code, not Vietnamese for Russia. Anything else, including a near miss, gives
    (): there is no fuzzy matching (`likely_nations` suggests, it never matches).
    """
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isascii() and not stripped.isupper():
        return ()
    key = name_key(text)
    if not key:
        return ()
    if key in _CODE_BY_TEXT:
        return (_CODE_BY_TEXT[key],)
    return cldr_names().codes.get(key, ())


def nation_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-3 code `text` names, or None: "Japan", "jpn", "JP", "日本",
    "フィリピン" → their codes. None for a name that is no nation's or is ambiguous
    (`nation_matches` says which: use it to tell the two apart)."""
    found = nation_matches(text)
    return found[0] if len(found) == 1 else None


# A run of letters of one kind: CJK ideographs and kana, Hangul, or other letters (Latin,
# Cyrillic…) with the marks, apostrophes and hyphens inside names.
_WORD = re.compile(r"[\w'’.-]+", re.UNICODE)
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def likely_nations(text: str) -> tuple[str, ...]:
    """The codes a value `nation_matches` does not resolve may stand for, for a suggestion
    (never a match): the candidates of an ambiguous name; else the nation a name inside the
    value names ("中国海警" → CHN, "日本海上保安庁" → JPN, "Japan Coast Guard" → JPN; the longest
    name found, in CJK any two or more characters, in other scripts whole words); else the
    English name or short form the value is a near miss of ("Phillipines" → PHL, by
    difflib's ratio of at least 0.85). () when nothing comes close."""
    found = nation_matches(text)
    if len(found) > 1:
        return found
    key = name_key(text)
    if found or not key:
        return ()
    best: tuple[int, tuple[str, ...]] = (0, ())
    # Parts to try: every run of two or more CJK characters' substrings, and every run of
    # whole words in other scripts.
    words = _WORD.findall(key)
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            part = " ".join(words[start:end])
            if part != key and len(part) > best[0]:
                codes = nation_matches(part) if len(part) >= _SHORTEST_LATIN_NAME else ()
                if len(codes) == 1:
                    best = (len(part), codes)
    for start in range(len(key)):
        for end in range(start + 2, len(key) + 1):
            part = key[start:end]
            if (
                end - start > best[0]
                and part != key
                and _SPACELESS.match(part[0])
                and _SPACELESS.match(part[-1])
            ):
                codes = nation_matches(part)
                if len(codes) == 1:
                    best = (len(part), codes)
    if best[1]:
        return best[1]
    if key.isascii() and len(key) >= 5:
        near = difflib.get_close_matches(key, list(_CODE_BY_TEXT), n=1, cutoff=0.85)
        if near:
            return (_CODE_BY_TEXT[near[0]],)
    return ()


def nation_name(code: str, language: str = "en") -> str:
    """A nation's name for a reader of `language` (a CLDR locale identifier): English from
    `NATION_NAMES`, another language CLDR's territory name; the code itself when neither
    knows it."""
    if language == "en":
        return NATION_NAMES.get(code, code)
    alpha_2 = _ALPHA_2.get(code)
    return Locale.parse(language).territories.get(alpha_2, code) if alpha_2 else code


def nation_label(code: str, language: str = "en", native: bool = False) -> str:
    """ "Japan (JPN)": a name a reader of `language` knows, with the code the data uses; with
    `native`, and the nation's own name where it differs (`native_name`): "Japan (JPN) · 日本",
    so a search in a list of labels finds it by either."""
    label = f"{nation_name(code, language)} ({code})"
    own = native_name(code) if native else None
    return f"{label} · {own}" if own and own != nation_name(code, language) else label


def native_name(code: str) -> str | None:
    """The nation's name in its own language per CLDR (JPN 日本, TWN 台灣, DEU Deutschland),
    or None where that is the English name (USA, GBR) or CLDR gives none."""
    return cldr_names().native.get(code)


def _sort_key(name: str) -> str:
    # Accents are not letters of their own in English order: Åland between Albania and
    # Algeria, Côte d'Ivoire among the C's. (CLDR collation needs ICU, which this project
    # does not ship; other languages' orders come with the issue that adds them.)
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def nations_by_name(codes: Iterable[str], language: str = "en") -> list[str]:
    """`codes` in the order of their names for a reader of `language` (Denmark before
    Germany), the code breaking ties."""
    return sorted(codes, key=lambda code: (_sort_key(nation_name(code, language)), code))
