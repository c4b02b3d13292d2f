"""Text from data on the page: escaped for Streamlit's markdown, and small tables of it."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# GitHub-flavoured markdown's e-mail autolink literal (mdast-util-gfm-autolink-literal, which
# Streamlit's markdown runs on the text after parsing, so escaping its characters does not stop
# it): an address in a title or a summary would become a mailto: link.
_EMAIL = re.compile(r"[-.+\w]+@[-\w]+(?:\.[-\w]+)+")


def markdown_text(text: str) -> str:
    """Text from a file made safe to place in Streamlit markdown: every markup character is
    escaped, so a file name or a column shows as written and never as a link or an image.

    E-mail addresses go in code spans, the one place the autolink step leaves alone: only
    http(s) URLs may become links (the project's rule), never mailto:. The address's own
    characters ([-.+\\w@]) hold no backtick, so the span always closes where it should.
    """
    parts, last = [], 0
    for match in _EMAIL.finditer(text):
        parts.append(_MARKDOWN_SPECIALS.sub(r"\\\1", text[last : match.start()]))
        parts.append(f"`{match.group(0)}`")
        last = match.end()
    parts.append(_MARKDOWN_SPECIALS.sub(r"\\\1", text[last:]))
    return "".join(parts)


def text_table(columns: dict[str, list[str]], height: int | str = "content") -> None:
    """A small table whose long cells wrap instead of being cut (st.table); every cell is
    text from data, escaped so it shows as written and never as markup."""
    st.table(
        pd.DataFrame(
            {
                markdown_text(name): [markdown_text(str(value)) for value in values]
                for name, values in columns.items()
            }
        ),
        hide_index=True,
        height=height,
    )
