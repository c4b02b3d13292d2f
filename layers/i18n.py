"""The page's languages: gettext catalogues, the reader's language, and locale formats.

The words of the page are gettext messages, extracted from the code and compiled by Babel
(`tools/i18n.py`): one catalogue per language in `layers/locales/<locale>/LC_MESSAGES/
messages.po`, read and compiled in memory the first time a language is asked for. English is
the source language: an English reader sees the message ids themselves.

Languages are named in links and in the View by their BCP 47 tags (RFC 5646): `en`, `zh-TW`
(Traditional Chinese as written in Taiwan), `ja`, `zh-CN` (Simplified Chinese). Dates and
numbers are formatted with the Unicode CLDR data Babel ships for the matching locale.

The language of the words being written is a context variable (`current_language`): the page
sets it at the start of each run from the session's choice, and everything under it, in
`layers/` too, reads it. Text made once and shown to many readers (a file's problems, cached
for every session) is a `Message`: English as a string, translated when shown (`localized`).
Data is never translated: a title in Japanese stays as written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import string
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

# BCP 47 tag → the language's own name, as the language switch lists them.
LANGUAGES = {"en": "English", "zh-TW": "繁體中文", "ja": "日本語", "zh-CN": "简体中文"}
DEFAULT_LANGUAGE = "en"
# The gettext catalogue of each translated language (a folder of layers/locales/).
CATALOGUE_LOCALES = {"zh-TW": "zh_TW", "ja": "ja", "zh-CN": "zh_CN"}
# The CLDR locale whose formats and names a reader of each language expects.
CLDR_LOCALES = {"en": "en", "zh-TW": "zh_Hant_TW", "ja": "ja_JP", "zh-CN": "zh_Hans_CN"}
LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"

# Set for a block of code (`language`, `set_language`); where it is not set, the page's
# provider says (`set_language_provider`: the session's choice, which fragments and every run's
# thread read alike), else English.
_language: ContextVar[str] = ContextVar("language")
_provider: list = []


def parse_language(text: str) -> str | None:
    """The language a tag names (`zh-TW`, `zh_tw`, `ja-JP`, `zh-Hant-HK`, `en-GB`…), or None
    when it names none of LANGUAGES. Chinese is Traditional for Taiwan, Hong Kong, Macau and
    any `Hant` tag, and Simplified otherwise (RFC 5646 §2.2.3 script subtags)."""
    parts = [part.casefold() for part in re.split(r"[-_]", text.strip()) if part]
    if not parts:
        return None
    if parts[0] == "en":
        return "en"
    if parts[0] == "ja":
        return "ja"
    if parts[0] == "zh":
        traditional = {"hant", "tw", "hk", "mo"}
        return "zh-TW" if traditional & set(parts[1:]) else "zh-CN"
    return None


def language_from_accept(header: str | None) -> str:
    """The reader's language from an HTTP Accept-Language header (RFC 9110 §12.5.4), or a
    single locale such as the browser's `navigator.language`: the first of LANGUAGES by the
    header's quality values; English when the header names none of them or is missing."""
    choices: list[tuple[float, int, str]] = []
    for index, item in enumerate((header or "").split(",")):
        tag, _separator, params = item.partition(";")
        quality = 1.0
        match = re.search(r"q\s*=\s*([^;\s]*)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                continue  # a weight that is no number: the entry is not understood
        language = parse_language(tag)
        if language is not None and quality > 0:
            choices.append((-quality, index, language))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the words being written: one of LANGUAGES' tags."""
    try:
        return _language.get()
    except LookupError:
        pass
    if _provider:
        try:
            tag = _provider[0]()
        except Exception:  # a provider that cannot answer here (no session) means English
            tag = None
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def is_english() -> bool:
    """Whether the words being written are English, the source language (where the page keeps
    its English forms as they were: ISO months, Leaflet's own words)."""
    return current_language() == DEFAULT_LANGUAGE


def set_language_provider(provider) -> None:
    """`provider()` gives the language wherever no block has set one: the dashboard's session
    choice (dashboard_ui/language.py). Layers code never imports the UI; the UI hands this in."""
    _provider[:] = [provider]


def set_language(language: str) -> None:
    """Write in `language` (a tag of LANGUAGES; anything else is English) from now on in this
    context: the page calls it at the start of each run."""
    _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextlib.contextmanager
def language(tag: str) -> Iterator[None]:
    """Write in `tag` inside the block, as before after it."""
    token = _language.set(tag if tag in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def catalogue_path(tag: str) -> Path:
    """The gettext catalogue (.po) of a translated language."""
    return LOCALES_DIR / CATALOGUE_LOCALES[tag] / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(tag: str) -> NullTranslations:
    """The compiled catalogue of a language: its .po files compiled by Babel in memory (no .mo
    file to keep in step). English, or a language with no catalogue, gives the message ids
    themselves. Fuzzy entries are left out, as msgfmt does. Besides messages.po, a language's
    folder may hold part catalogues (`<part>.po`, written by `tools/i18n.py todo` while a part
    of the page is translated); `tools/i18n.py update` folds them into messages.po."""
    if tag not in CATALOGUE_LOCALES:
        return NullTranslations()
    paths = sorted(catalogue_path(tag).parent.glob("*.po"), key=lambda p: p.name == "messages.po")
    merged: NullTranslations = NullTranslations()
    for path in paths:  # messages.po last: its entries win
        with path.open("rb") as file:
            catalogue = read_po(file, locale=CATALOGUE_LOCALES[tag])
        compiled = io.BytesIO()
        write_mo(compiled, catalogue, use_fuzzy=False)
        compiled.seek(0)
        translated = Translations(compiled, domain=DOMAIN)
        if isinstance(merged, Translations):
            merged.merge(translated)
        else:
            merged = translated
    return merged


def _(message: str) -> str:
    """`message` in the current language (gettext). The empty text stays empty (gettext would
    give the catalogue's header for it)."""
    if not message:
        return message
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or the plural form for `n` in the current language, by the catalogue's
    Plural-Forms (Chinese and Japanese have one form)."""
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, where the same English word needs different
    translations in different places (`context` tells them apart)."""
    if not message:
        return message
    return translations(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """ngettext where the same English needs different translations in different places
    (`context` tells them apart: a warning's "2 lines" of area, a CSV's "2 lines" of text)."""
    return translations(current_language()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it: for tables of words made once
    (a kind's label) and translated with `_` where shown."""
    return message


class Message(str):
    """A text made once and shown to readers of any language: the English text as a string
    (so it compares, joins and prints as before), and its message id and arguments, so that
    `localized` gives it in the reader's language when it is shown.

    `Message("{field}: not a date", field="start")` is "start: not a date"; its id is
    extracted into the catalogues. An argument that is itself a Message is translated too.
    """

    __slots__ = ("template", "arguments")

    template: str
    arguments: dict[str, object]

    def __new__(cls, template: str, /, **arguments: object) -> Message:
        text = template.format(**arguments) if arguments else template
        made = super().__new__(cls, text)
        made.template = template
        made.arguments = arguments
        return made

    def __reduce__(self):
        # Kept in caches that pickle (st.cache_data): rebuilt from its id and arguments.
        return (_rebuild_message, (self.template, self.arguments))

    def localized(self) -> str:
        """The text in the current language; English where the catalogue has no entry."""
        translated = _(self.template)
        if not self.arguments:
            return translated
        arguments = {key: localized(value) for key, value in self.arguments.items()}
        try:
            return translated.format(**arguments)
        except (KeyError, IndexError, ValueError):
            # A translation whose fields do not match the id (the catalogue test prevents it)
            # must not take the text away: the English is shown.
            return str(self)


class TranslatedLabels(Mapping[str, str]):
    """A table of words made once (key → English label, marked with N_) whose labels are read
    in the current language: `KIND_LABELS["port_call"]` is "Port call" to an English reader
    and 寄港 to a Japanese one, wherever it is read. `english(key)` gives the English label."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = dict(labels)

    def __getitem__(self, key: str) -> str:
        return _(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def english(self, key: str) -> str:
        return self._labels[key]


class LocalizedNames(Mapping[str, str]):
    """Names of things the data names (areas: id → name), read in the current language where
    the data gives a name in it (`names`: id → {language tag → name}, an area's `names`
    property), else as the data writes them. Never machine-translated: a name no source gives
    in a language stays as written."""

    def __init__(
        self, names: Mapping[str, str], translated: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        self._names = dict(names)
        self._translated = {key: dict(value) for key, value in (translated or {}).items()}

    def __getitem__(self, key: str) -> str:
        own = self._translated.get(key, {}).get(current_language())
        # A name given as a Message (a drawn shape's "Drawn circle D1") is read translated.
        return own or localized(self._names[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __or__(self, other: Mapping[str, str]) -> LocalizedNames:
        translated = {key: value for key, value in self._translated.items() if key not in other}
        return LocalizedNames({**self._names, **dict(other.items())}, translated)

    def as_written(self, key: str) -> str:
        """The name as the data's `name` writes it (English in this project's areas)."""
        return self._names[key]


def _rebuild_message(template: str, arguments: dict[str, object]) -> Message:
    return Message(template, **arguments)


def localized(text: object) -> str:
    """Any text in the current language: a Message translated, anything else as it is."""
    if isinstance(text, Message):
        return text.localized()
    return text if isinstance(text, str) else str(text)


def placeholders(text: str) -> set[str]:
    """The replacement fields of a message (`{count}`, `{name}`, positional `{}` as "0",
    "1"…); %-style fields too (`%(name)s`, `%d`). A translation must keep the same ones."""
    found: set[str] = set()
    try:
        auto = 0
        for _literal, field, _spec, _conversion in string.Formatter().parse(text):
            if field is None:
                continue
            if field == "":
                field = str(auto)
                auto += 1
            found.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    except ValueError:
        found.add("<unbalanced braces>")
    found |= {f"%{name}" for name in re.findall(r"%\((\w+)\)[sdifr]", text)}
    found |= {f"%{index}" for index, _field in enumerate(re.findall(r"%(?!\()[sdif]", text))}
    return found


# --- locale formats (Unicode CLDR through Babel) -------------------------------------------


def cldr_locale() -> Locale:
    """The CLDR locale of the current language."""
    return Locale.parse(CLDR_LOCALES[current_language()])


def number(value: float, decimals: int = 0) -> str:
    """A number as the reader writes it: 12,345 in English, 12,345 in Chinese and Japanese
    (CLDR's grouping), with `decimals` places at most."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=cldr_locale())


def percent(value: float) -> str:
    """A share (0.25) as the reader writes a percentage: 25%."""
    return format_percent(value, locale=cldr_locale())


def date_text(day: dt.date, precision: str = "day") -> str:
    """A date as the reader writes it, at its precision and no finer ("day", "month" or
    "year"): 18 Jul 2024 / 2024年7月18日; Jul 2024 / 2024年7月; 2024 / 2024年. A month or a year
    is never written with a day the source did not give."""
    locale = cldr_locale()
    if precision == "year":
        return format_skeleton("y", day, locale=locale)
    if precision == "month":
        return format_skeleton("yMMM", day, locale=locale)
    return format_date(day, "medium", locale=locale)


def month_text(month: str) -> str:
    """A month written "YYYY-MM" (the link's and the sidebar's form) as the reader writes it."""
    year, month_number = (int(part) for part in month.split("-")[:2])
    return date_text(dt.date(year, month_number, 1), "month")
