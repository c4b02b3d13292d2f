"""The page's languages (layers/i18n.py, tools/i18n.py): every message the code can show is
translated in every catalogue, with the same replacement fields; no English text reaches a
Streamlit widget without passing through the catalogue; the link's `lang=` and the browser's
language choose the page's language."""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import pickle
import re
from pathlib import Path

import pytest

from layers.i18n import (
    CATALOGUE_LOCALES,
    LANGUAGES,
    Message,
    _,
    date_text,
    language,
    language_from_accept,
    localized,
    ngettext,
    parse_language,
    placeholders,
)
from layers.view import View

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool():
    return _tool()


@pytest.fixture(scope="module")
def template(tool):
    return tool.extract()


@pytest.mark.parametrize("tag", list(CATALOGUE_LOCALES))
def test_every_message_is_translated(tool, template, tag):
    missing = tool.untranslated(template, tag)
    assert not missing, f"{len(missing)} messages not translated:\n" + "\n".join(missing[:40])


def test_the_catalogues_hold_the_page_title(template):
    # The extraction itself finds messages (a test that extracted nothing would pass above).
    assert "Indo-Pacific maritime activity" in [message.id for message in template]
    with language("ja"):
        assert _("Indo-Pacific maritime activity") != "Indo-Pacific maritime activity"


# Streamlit calls whose text arguments the reader sees.
_SHOWN = {
    "title",
    "header",
    "subheader",
    "caption",
    "markdown",
    "write",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "select_slider",
    "slider",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "file_uploader",
    "download_button",
    "form_submit_button",
    "expander",
    "popover",
    "tabs",
    "metric",
    "spinner",
    "status",
    "segmented_control",
    "pills",
    "link_button",
    "page_link",
    "dialog",
    "TextColumn",
    "NumberColumn",
    "LinkColumn",
    "DateColumn",
    "ListColumn",
    "CheckboxColumn",
    "SelectboxColumn",
    "Column",
    "DatetimeColumn",
}
_SHOWN_KEYWORDS = {"label", "help", "placeholder", "caption", "body", "text", "title"}
_ENGLISH = re.compile(r"[A-Za-z]{2,}")
# Text that is the same in every language: the language switch names each language in its own.
_SAME_IN_EVERY_LANGUAGE = {":material/translate: Language · 語言 · 言語 · 语言"}


def _english_literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return None
    if text in _SAME_IN_EVERY_LANGUAGE or not _ENGLISH.search(re.sub(r":\w+:", "", text)):
        return None  # icons (":material/map:") and symbols only
    return text


def _is_streamlit(func: ast.AST) -> bool:
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id in {"st", "column_config"}


def test_no_english_reaches_a_widget_untranslated():
    found = []
    files = [ROOT / "dashboard.py", *sorted((ROOT / "dashboard_ui").glob("*.py"))]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in _SHOWN or not _is_streamlit(node.func):
                continue
            shown = list(node.args) + [
                keyword.value for keyword in node.keywords if keyword.arg in _SHOWN_KEYWORDS
            ]
            for argument in shown:
                text = _english_literal(argument)
                if text is not None:
                    found.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: st.{node.func.attr}"
                        f" shows {text[:60]!r} without _()"
                    )
    assert not found, f"{len(found)} texts shown untranslated:\n" + "\n".join(found[:60])


def test_translations_keep_the_messages_fields():
    assert placeholders("{count} events in {area}") == {"count", "area"}
    assert placeholders("{} of {}") == {"0", "1"}
    assert placeholders("%(name)s saved") == {"%name"}


def test_a_message_made_once_is_shown_in_each_readers_language():
    message = Message("Indo-Pacific maritime activity")
    assert message == "Indo-Pacific maritime activity"  # English where it is made
    with language("zh-TW"):
        assert localized(message) == "印太海上活動"
    with language("ja"):
        assert localized(pickle.loads(pickle.dumps(message))) == "インド太平洋の海上活動"
    assert localized(message) == "Indo-Pacific maritime activity"


def test_plural_forms_come_from_the_catalogue():
    assert ngettext("{count} event", "{count} events", 1) == "{count} event"
    assert ngettext("{count} event", "{count} events", 2) == "{count} events"


def test_dates_are_written_at_their_precision_for_the_reader():
    day = dt.date(2024, 7, 18)
    with language("ja"):
        assert date_text(day, "month") == "2024年7月"
        assert date_text(day, "year") == "2024年"
    with language("zh-TW"):
        assert date_text(day) == "2024年7月18日"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-TW,zh;q=0.9,en-US;q=0.8", "zh-TW"),
        ("ja-JP,ja;q=0.9", "ja"),
        ("zh-CN,zh;q=0.9", "zh-CN"),
        ("zh-Hant-HK", "zh-TW"),
        ("fr-FR,fr;q=0.9,ja;q=0.5,en;q=0.4", "ja"),
        ("ko-KR,ko;q=0.9", "en"),
        ("de, en;q=0.1, ja;q=0.2", "ja"),
        ("ja;q=0, en", "en"),
        ("", "en"),
        (None, "en"),
        ("zh;q=abc", "en"),
    ],
)
def test_the_browsers_language_chooses_the_page_language(header, expected):
    assert language_from_accept(header) == expected


def test_the_link_keeps_the_language():
    view, warnings = View.from_query({"lang": ["ja"]})
    assert view.lang == "ja" and not warnings
    assert view.to_query()["lang"] == "ja"
    view, warnings = View.from_query({"lang": ["zh_tw"]})
    assert view.lang == "zh-TW"
    view, warnings = View.from_query({"lang": ["klingon"]})
    assert view.lang is None
    assert warnings == [
        "Link parameter 'lang': 'klingon' is not one of en, zh-TW, ja, zh-CN; using the default"
    ]
    assert "lang" not in View().to_query()


def test_every_language_has_its_own_name():
    assert set(LANGUAGES) == {"en", *CATALOGUE_LOCALES}
    assert parse_language("ja-JP") == "ja"


def test_streamlits_uploader_words_are_drawn_in_the_pages_language():
    from dashboard_ui.chrome import chrome_style

    assert chrome_style() == ""  # English: Streamlit's own words stay
    with language("zh-TW"):
        style = chrome_style()
    # The words themselves, not JSON's \\u escapes (CSS would draw "u4e0au50b3").
    assert 'content: "上傳"' in style and "\\u" not in style
    with language("ja"):
        assert "MB まで" in chrome_style()


_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff]")


@pytest.mark.parametrize(("tag", "encoding"), [("zh-TW", "cp950"), ("zh-CN", "gb2312")])
def test_each_chinese_catalogue_is_written_in_its_own_script(tool, tag, encoding):
    # Traditional Chinese in Big5's characters, Simplified in GB 2312's: a Simplified-only
    # character in the Taiwan catalogue (国, 号) or a Traditional one in the mainland's (國,
    # 臺) is a slip, and so is Japanese kana. Only examples quoted from the message itself
    # (闽航警0123/24, 航行警報, 韓国) may be in another script.
    slips = []
    for message in tool.read_catalogue(tag):
        if not message.id:
            continue
        source = "".join(message.id if isinstance(message.id, tuple) else (message.id,))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            for character in _IDEOGRAPH.findall(text):
                try:
                    character.encode(encoding)
                    if "\u3040" <= character <= "\u30ff":
                        raise UnicodeEncodeError(encoding, character, 0, 1, "kana")
                except UnicodeEncodeError:
                    if character not in source:
                        slips.append(f"{character} in {text[:40]!r}")
    assert slips == []


def test_an_empty_text_stays_empty_and_a_drawn_shapes_name_is_read_translated():
    from layers.analysis.zones import short_area_names
    from layers.i18n import LocalizedNames

    with language("ja"):
        # gettext gives the catalogue's header for ""; the page must never show it.
        assert _("") == "" and Message("").localized() == ""
        drawn = {"D1": Message("Drawn {kind} {id}", kind=Message("circle"), id="D1")}
        names = LocalizedNames({"area-1": "Boso"}) | drawn
        assert names["D1"] == "描いた円 D1" and type(names["D1"]) is str
        import pandas as pd

        areas = pd.DataFrame({"id": ["area-1"], "name": ["Boso"], "kind": ["coastal_waters"]})
        assert (short_area_names(areas) | drawn)["D1"] == "描いた円 D1"


_MARKERS = {"_": 0, "N_": 0, "Message": 0, "ngettext": 0, "pgettext": 1, "npgettext": 1}


def test_every_marked_text_in_the_code_reaches_the_catalogue(template):
    # Babel's extractor does not see a marked text inside the arguments of another marked call
    # (Message("{a}: {b}", b=Message("…"))): such a text would never be translated, and the
    # completeness test above would not know it exists. The code's own marked literals are
    # read here from its syntax tree and must all be in the extracted template.
    extracted = {
        (message.id[0] if isinstance(message.id, tuple) else message.id) for message in template
    }
    missing = []
    files = [ROOT / "dashboard.py", *(ROOT / "dashboard_ui").glob("*.py")]
    files += (ROOT / "layers").rglob("*.py")
    for path in sorted(files):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            position = _MARKERS.get(node.func.id)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            text = argument.value if isinstance(argument, ast.Constant) else None
            if isinstance(text, str) and text and text not in extracted:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    assert missing == [], "marked but not extracted:\n" + "\n".join(missing[:40])
