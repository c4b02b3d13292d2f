"""Nation codes and names: ISO 3166-1 from pycountry, short display names, name lookup in every
language CLDR gives (through Babel), suggestions for what is not a name, and order by name."""

import time
import tracemalloc

import pycountry
import pytest
from babel import Locale, localedata
from conftest import collection, event, write_geodata

from layers import nations
from layers.nations import (
    NATION_NAMES,
    cldr_names,
    likely_nations,
    name_key,
    nation_code,
    nation_label,
    nation_matches,
    nations_by_name,
    native_name,
)
from layers.read.load import load_geodata

# The display names the hand-kept table chose where pycountry has no common_name; every other
# code shows pycountry's common_name, else its name, as the table did.
DISPLAY_OVERRIDES = {
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
COUNTRIES = list(pycountry.countries)


def test_every_iso_3166_1_country_has_a_name():
    assert len(NATION_NAMES) == 249
    assert set(NATION_NAMES) == {country.alpha_3 for country in COUNTRIES}
    assert list(NATION_NAMES) == sorted(NATION_NAMES)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("JPN", "Japan"),
        ("TWN", "Taiwan"),
        ("CHN", "China"),
        ("KOR", "South Korea"),
        ("PRK", "North Korea"),
        ("RUS", "Russia"),
        ("VNM", "Vietnam"),
        ("PHL", "Philippines"),
        ("USA", "United States"),
        ("GBR", "United Kingdom"),
        ("IRN", "Iran"),
        *DISPLAY_OVERRIDES.items(),
    ],
)
def test_display_names_are_short(code, name):
    assert NATION_NAMES[code] == name


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda country: country.alpha_3)
def test_display_names_are_pycountrys_unless_overridden(country):
    expected = DISPLAY_OVERRIDES.get(
        country.alpha_3, getattr(country, "common_name", None) or country.name
    )
    assert NATION_NAMES[country.alpha_3] == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Codes, any case and spacing; alpha-2 only as exactly two letters.
        ("JPN", "JPN"),
        ("jpn", "JPN"),
        ("  Jpn ", "JPN"),
        ("JP", "JPN"),
        ("CA", "CAN"),
        ("IN", "IND"),
        ("NO", "NOR"),
        ("GB", "GBR"),
        # ISO names, official names and common names.
        ("Japan", "JPN"),
        ("JAPAN", "JPN"),
        ("Korea, Republic of", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("People's Republic of China", "CHN"),
        ("United States of America", "USA"),
        ("Brunei Darussalam", "BRN"),
        ("Falkland Islands (Malvinas)", "FLK"),
        ("Federated States of Micronesia", "FSM"),
        ("Côte d'Ivoire", "CIV"),
        # The short forms analysts use.
        ("US", "USA"),
        ("USA", "USA"),
        ("U.S.", "USA"),
        ("u.s.", "USA"),
        ("United States", "USA"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("Britain", "GBR"),
        ("Great Britain", "GBR"),
        ("United Kingdom", "GBR"),
        ("ROK", "KOR"),
        ("Korea (Republic of)", "KOR"),
        ("Republic of Korea", "KOR"),
        ("South Korea", "KOR"),
        ("south   korea", "KOR"),
        ("DPRK", "PRK"),
        ("North Korea", "PRK"),
        ("PRC", "CHN"),
        ("China", "CHN"),
        ("Mainland China", "CHN"),
        ("ROC", "TWN"),
        ("roc", "TWN"),
        ("Taiwan", "TWN"),
        ("Republic of China", "TWN"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Vietnam", "VNM"),
        ("Viet Nam", "VNM"),
        ("Iran", "IRN"),
        ("Laos", "LAO"),
        ("Syria", "SYR"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("Burma", "MMR"),
        ("Myanmar", "MMR"),
        ("East Timor", "TLS"),
        ("Timor-Leste", "TLS"),
        ("Holland", "NLD"),
        ("Netherlands", "NLD"),
        ("Brunei", "BRN"),
        ("Micronesia", "FSM"),
        ("Philippines", "PHL"),
    ],
)
def test_nation_code_recognises_codes_names_and_short_forms(text, code):
    assert nation_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "Other",
        "",
        "   ",
        "Multi",
        "XX",
        "XXX",
        "Atlantis",
        "Korea",
        "Japn",
        "J P N",
        "U S",
        "in",
        "no",
        "na",
        "jp",
    ],
)
def test_nation_code_is_none_for_anything_else(text):
    assert nation_code(text) is None


@pytest.mark.parametrize("code", NATION_NAMES)
def test_every_alpha_3_code_and_display_name_resolves_to_itself(code):
    assert nation_code(code) == code
    assert nation_code(code.lower()) == code
    assert nation_code(NATION_NAMES[code]) == code


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda country: country.alpha_2)
def test_every_alpha_2_code_and_iso_name_resolves_to_its_alpha_3(country):
    assert nation_code(country.alpha_2) == country.alpha_3
    for attribute in ("name", "official_name", "common_name"):
        if hasattr(country, attribute):
            assert nation_code(getattr(country, attribute)) == country.alpha_3


@pytest.mark.parametrize(
    ("given", "code"), [("Japan", "JPN"), ("jpn", "JPN"), ("JP", "JPN"), ("ROC", "TWN")]
)
def test_the_loader_suggests_the_code_a_name_stands_for(tmp_path, given, code):
    root = write_geodata(tmp_path, {"e.geojson": collection(event("e1", nations=[given]))})
    [problem] = load_geodata(root).problems
    assert problem.message == (
        f'"{given}" is not an ISO 3166-1 alpha-3 code (did you mean "{code}"?)'
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The names the issue found unknown, in the languages of the lists analysts import.
        ("日本", "JPN"),
        ("台灣", "TWN"),
        ("台湾", "TWN"),
        ("臺灣", "TWN"),
        ("中国", "CHN"),
        ("中國", "CHN"),
        ("韓国", "KOR"),
        ("南韓", "KOR"),
        ("대한민국", "KOR"),
        ("フィリピン", "PHL"),
        ("菲律賓", "PHL"),
        ("北朝鮮", "PRK"),
        ("ロシア", "RUS"),
        ("美國", "USA"),
        ("Deutschland", "DEU"),
        ("Allemagne", "DEU"),
        ("Россия", "RUS"),
        ("Việt Nam", "VNM"),
        # Full-width letters are the letters.
        ("ＪＰＮ", "JPN"),
        ("  日本 ", "JPN"),
        # The region's names CLDR does not give.
        ("中華民國", "TWN"),
        ("中华民国", "TWN"),
        ("中华人民共和国", "CHN"),
        ("中共", "CHN"),
        ("大韓民国", "KOR"),
        ("한국", "KOR"),
        ("日本国", "JPN"),
        ("米国", "USA"),
        ("豪州", "AUS"),
    ],
)
def test_names_in_any_language_cldr_gives_name_their_nation(text, code):
    assert nation_code(text) == code
    assert nation_matches(text) == (code,)


def test_the_regions_own_names_are_ones_cldr_lacks():
    """Each name kept by hand is one CLDR does not give, so none hides a CLDR name."""
    codes = cldr_names().codes
    for names in nations._REGIONAL_NAMES.values():
        for name in names:
            assert name_key(name) not in codes, name


@pytest.mark.parametrize(
    ("text", "codes"),
    [("Kongo", ("COD", "COG")), ("Конго", ("COD", "COG")), ("Nigeri", ("NER", "NGA"))],
)
def test_a_name_two_languages_give_to_different_nations_names_neither(text, codes):
    assert nation_matches(text) == codes
    assert nation_code(text) is None
    assert likely_nations(text) == codes


def test_short_latin_names_and_codes_keep_their_meaning():
    # "nga" is Nigeria's code (and Vietnamese for Russia): the code wins.
    assert nation_code("nga") == "NGA"
    # A two-letter word is no nation, but two CJK characters are a name.
    assert nation_code("no") is None
    assert nation_code("韓国") == "KOR"


def test_every_locale_babel_ships_is_read():
    names = cldr_names()
    assert names.locales == len(localedata.locale_identifiers()) > 1000
    # Every name of a few locales' merged data (what Locale.territories gives) is known.
    for identifier in ("ja", "zh_Hant", "ko", "de_CH", "fil"):
        for alpha_2, name in Locale.parse(identifier).territories.items():
            country = pycountry.countries.get(alpha_2=alpha_2)
            if country is None or (name.isascii() and len(name) < 4):
                continue
            assert country.alpha_3 in names.codes[name_key(name)], (identifier, name)


def test_the_index_is_quick_to_build_and_small():
    cldr_names.cache_clear()
    started = time.perf_counter()
    names = cldr_names()
    took = time.perf_counter() - started
    cldr_names.cache_clear()
    tracemalloc.start()
    try:
        cldr_names()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(names.codes) > 30_000
    # Measured 0.3-0.6 s, 6 MB kept and a 15 MB peak (Python's allocations) on a shared
    # 2-core machine; read through Babel's cached loader every locale's data would stay, 150+ MB.
    assert took < 5
    assert kept < 30e6 and peak < 40e6, (kept, peak)
    assert cldr_names() is not names and cldr_names() == names


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("中国海警", ("CHN",)),
        ("日本海上保安庁", ("JPN",)),
        ("台湾海巡署", ("TWN",)),
        ("Japan Coast Guard", ("JPN",)),
        ("Royal Australian Navy (Australia)", ("AUS",)),
        ("Phillippines", ("PHL",)),
        ("海上保安庁", ()),
        ("Multi", ()),
        ("Other", ()),
        ("日本", ()),  # a name is matched, so no suggestion is needed
    ],
)
def test_likely_nations_suggests_the_nation_named_inside_a_value(text, codes):
    assert likely_nations(text) == codes


def test_nations_sort_by_their_names_not_their_codes():
    assert nations_by_name(["DEU", "DNK", "JPN", "ALA", "ALB", "DZA", "CIV", "CAN"]) == [
        "ALA",  # Åland Islands: Å among the A's
        "ALB",
        "DZA",
        "CAN",
        "CIV",  # Côte d'Ivoire
        "DNK",
        "DEU",
        "JPN",
    ]


def test_labels_carry_the_nations_own_name_where_it_differs():
    assert nation_label("JPN") == "Japan (JPN)"
    assert nation_label("JPN", native=True) == "Japan (JPN) · 日本"
    assert nation_label("TWN", native=True) == "Taiwan (TWN) · 台灣"
    assert nation_label("DNK", native=True) == "Denmark (DNK) · Danmark"
    assert nation_label("USA", native=True) == "United States (USA)"
    assert native_name("GBR") is None
