"""The page's language: from the link (`lang=`), else the browser's on a session's first run;
switched in the sidebar, and then kept in the link (layers/i18n.py has the catalogues)."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from layers.i18n import (
    LANGUAGES,
    language_from_accept,
    parse_language,
    set_language,
    set_language_provider,
)

LANGUAGE_KEY = "lang_tag"  # the session's language: not a widget, so no run can drop it
CHOSEN_KEY = "lang_chosen"  # True once the link or the analyst chose it (then it is in links)
SWITCH_KEY = "lang_switch"  # the sidebar's language switch


def browser_language() -> str:
    """The reader's language by the browser: its Accept-Language header (every language it
    prefers, with their weights), else the locale it reports; English when neither names one
    of LANGUAGES."""
    try:
        header = st.context.headers.get("Accept-Language")
    except Exception:  # no request headers (AppTest): the locale alone
        header = None
    if header:
        return language_from_accept(header)
    try:
        return language_from_accept(st.context.locale)
    except Exception:
        return language_from_accept(None)


def page_language() -> str:
    """The language this session's page is written in (a tag of LANGUAGES), decided on its
    first run: the link's `lang=`, else the browser's."""
    state = st.session_state
    tag = state.get(LANGUAGE_KEY)
    if tag not in LANGUAGES:
        linked = parse_language(st.query_params.get("lang", ""))
        tag = linked or browser_language()
        state[LANGUAGE_KEY] = tag
        state[CHOSEN_KEY] = linked is not None
    return tag


def use_page_language() -> str:
    """Every message of this session's runs and fragments in its language, from now on: the
    run's own context is set (threads it starts with a copy of its context keep it), and the
    provider answers for the fragments' runs."""
    set_language_provider(_session_language)
    tag = page_language()
    set_language(tag)
    return tag


def _session_language() -> str | None:
    # Outside a session's script thread (the janitor, a pool's thread) there is no session
    # state to read: English, with no warning from Streamlit.
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(LANGUAGE_KEY)


def linked_language() -> str | None:
    """The language a link of this page carries: the one chosen, else none (a colleague's
    browser chooses theirs)."""
    state = st.session_state
    return state.get(LANGUAGE_KEY) if state.get(CHOSEN_KEY) else None


def _switch() -> None:
    state = st.session_state
    state[LANGUAGE_KEY] = state[SWITCH_KEY]
    state[CHOSEN_KEY] = True


def language_switch() -> None:
    """The sidebar's language switch, each language in its own name (a reader who cannot read
    the page's language still finds theirs)."""
    state = st.session_state
    state[SWITCH_KEY] = page_language()
    st.selectbox(
        ":material/translate: Language · 語言 · 言語 · 语言",
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=SWITCH_KEY,
        on_change=_switch,
    )
