"""Nation codes and names: ISO 3166-1 from pycountry, short display names, and name lookup."""

import pycountry
import pytest
from conftest import collection, event, write_geodata

from layers.nations import NATION_NAMES, nation_code
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
