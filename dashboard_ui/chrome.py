"""Streamlit's own words on the page, in the page's language where Streamlit lets them be.

Streamlit 1.67 writes a few words of its own that no parameter changes: the file uploader's
"Upload" button and its "20MB per file" line (streamlit/streamlit#13500, open: "Allow
customization of st.file_uploader UI text"). In another language than English they are
replaced by CSS: the original text is kept for screen readers' layout but not painted, and the
translation is drawn in its place. Its accessibility labels ("Help for …", "Clear all") and
Vega's chart descriptions stay English: they are not in the page's text and no API reaches
them.
"""

from __future__ import annotations

import json

from layers.i18n import _, is_english
from layers.read.upload import MAX_UPLOAD_BYTES


def _css_text(text: str) -> str:
    # A CSS string: JSON's quoting is a valid CSS string for any text (quotes and backslashes
    # escaped), and "<" is escaped too, so no text can close the page's <style> element.
    return json.dumps(text, ensure_ascii=False).replace("<", "\\3C ")


def chrome_style() -> str:
    """A <style> element putting Streamlit's fixed uploader words into the page's language;
    empty in English (Streamlit's own words are English)."""
    if is_english():
        return ""
    upload = _css_text(_("Upload"))
    limit = _css_text(_("{size} MB per file").format(size=MAX_UPLOAD_BYTES // (1024 * 1024)))
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button[kind="secondary"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button[kind="secondary"] p::after {{
  content: {upload}; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {limit}; font-size: 0.75rem; }}
</style>"""
