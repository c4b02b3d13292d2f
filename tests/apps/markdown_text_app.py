"""A page of hostile text from data through dashboard_ui.text.markdown_text, for
tests/test_browser_text.py: what the analyst's browser makes of it is the test."""

import json
import os

import streamlit as st

from dashboard_ui.text import markdown_text, text_table

texts = json.loads(os.environ["MARKDOWN_TEXTS"])
for number, text in enumerate(texts):
    st.markdown(f"Row {number}: " + markdown_text(text))
text_table({"value": texts})
