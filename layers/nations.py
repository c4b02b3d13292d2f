"""ISO 3166-1 alpha-3 codes, short English display names, and the code a name stands for.

Codes and names come from ISO 3166-1 as packaged by pycountry (data maintained upstream in
Debian's iso-codes); codes are facts, names are for display. A few display names are shorter
than ISO's (`_DISPLAY_NAMES`). TWN is ISO's code for Taiwan; it is shown as "Taiwan".
"""

from __future__ import annotations

import pycountry

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

NATION_NAMES: dict[str, str] = {
    country.alpha_3: _DISPLAY_NAMES.get(
        country.alpha_3, getattr(country, "common_name", None) or country.name
    )
    for country in sorted(pycountry.countries, key=lambda country: country.alpha_3)
}


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _code_index() -> dict[str, str]:
    """Every recognised text (as `_key`) to its alpha-3 code; later entries win."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("official_name", "name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                index[_key(name)] = country.alpha_3
    for code, name in NATION_NAMES.items():
        index[_key(name)] = code
    for code, forms in _SHORT_FORMS.items():
        for form in forms:
            index[_key(form)] = code
    for country in pycountry.countries:
        index[_key(country.alpha_2)] = country.alpha_3
        index[_key(country.alpha_3)] = country.alpha_3
    return index


_CODE_BY_TEXT = _code_index()


def nation_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-3 code `text` names, or None: "Japan", "jpn", "JP" → "JPN".

    Recognised, ignoring case and surrounding or repeated spaces: alpha-3 codes; alpha-2 codes
    and other two-letter forms only in capitals ("IN" → "IND", "NO" → "NOR", "US"; but "in",
    "no" and "na" are words, not nations, and give None); the English
    names of ISO 3166-1 as packaged by pycountry from Debian's iso-codes (`name`,
    `official_name`, `common_name`: "Viet Nam", "Korea, Republic of", "Czech Republic"); the
    display names of `NATION_NAMES` ("Russia", "Brunei"); and usual short forms ("US", "U.K.",
    "Britain", "ROK", "DPRK", "PRC", "ROC" → "TWN", "Burma", "East Timor", "Holland",
    "Turkey"). Anything else, including a near miss, gives None: there is no fuzzy matching.
    """
    if len(text.strip()) == 2 and not text.strip().isupper():
        return None
    return _CODE_BY_TEXT.get(_key(text))
