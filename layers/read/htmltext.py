"""HTML as the plain text a reader sees: KML descriptions, which the KML 2.2 reference lets
hold HTML for Google Earth's balloon (OGC 07-147r2 §9.1.3.9 `<description>`).

The dashboard shows data as text, never as markup, so a description written as
`CANADA-NORTH COAST.<br>BEAUFORT SEA.` is kept as the two lines it shows, not as tags an
analyst would have to read past (nor as "COAST.BEAUFORT", tags simply dropped). Line breaks
come from the elements that break lines (`br`, `p`, `div`, `li`, `tr`, headings); entities
are unescaped; pictures, scripts and styles give no text. Text with no markup is returned as
it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that start a new line in a browser's rendering (the HTML Living Standard's
# block-level flow content, as far as descriptions use it).
_BREAKS = {
    "br", "p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "blockquote", "pre", "dt", "dd",
}  # fmt: skip
_SILENT = {"script", "style", "head", "title"}
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>|&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.silent = 0
        self.broke = False  # the last thing was a line break from a tag

    def _break(self) -> None:
        self.pieces.append("\n")
        self.broke = True

    def handle_starttag(self, tag, attrs):
        if tag in _SILENT:
            self.silent += 1
        elif tag in _BREAKS:
            self._break()

    def handle_startendtag(self, tag, attrs):
        if tag in _BREAKS:
            self._break()

    def handle_endtag(self, tag):
        if tag in _SILENT:
            self.silent = max(0, self.silent - 1)
        elif tag in _BREAKS and tag != "br":
            self._break()

    def handle_data(self, data):
        if self.silent:
            return
        if self.broke:  # "<br />" then the source's own line break: one line break, not two
            data = re.sub(r"^[ \t]*\r?\n", "", data)
        self.broke = not data.strip() and self.broke
        self.pieces.append(data)


def html_text(text: str) -> str:
    """The plain text of `text` when it holds HTML markup (tags or entities), else `text`
    unchanged. Lines are stripped and blank lines between paragraphs collapsed. Never raises."""
    if not _MARKUP.search(text):
        return text
    parser = _TextParser()
    try:
        # The source's own line breaks are kept (a browser would join the lines, but the
        # text of a navigational warning is laid out in lines that mean something).
        parser.feed(text)
        parser.close()
    except Exception:  # HTMLParser is lenient; anything it still refuses stays as written
        return text
    lines = [
        re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.pieces).split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
