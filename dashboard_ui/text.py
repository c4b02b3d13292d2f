"""Text from data on the page: escaped for Streamlit's markdown, and small tables of it."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def markdown_text(text: str) -> str:
    """Text from a file made safe to place in Streamlit markdown: every markup character is
    escaped, so a file name or a column shows as written and never as a link or an image."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


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
