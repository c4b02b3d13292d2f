"""HTML as the plain text a reader sees: KML descriptions, which the KML 2.2 reference lets
hold HTML for Google Earth's balloon (OGC 07-147r2 §9.1.3.9 `<description>`).

The dashboard shows data as text, never as markup, so a description written as
`CANADA-NORTH COAST.<br>BEAUFORT SEA.` is kept as the two lines it shows, not as tags an
analyst would have to read past (nor as "COAST.BEAUFORT", tags simply dropped). Line breaks
come from the elements that break lines (`br`, `p`, `div`, `li`, `tr`, headings); entities
are unescaped; pictures, scripts and styles give no text. Text with no markup is returned as
it is.

A link keeps its address, which is often a report's only source: `<a href="https://a.gov/
p.pdf">Source</a>` is "Source (https://a.gov/p.pdf)", and a link whose text is its address
is that text once. Only web and mail addresses (http, https, mailto) are kept; any other
(`javascript:`, a path inside the file) is dropped, as the text around it is kept. Something
written like a tag that is no HTML element (`<Type 052D>`, `<CCG 2301>`) is kept as written:
it is the writer's text, which a browser would hide (namespaced markup such as Word's `<o:p>`
is still dropped).
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
# The elements of HTML (the HTML Living Standard's index of elements, with the obsolete ones
# descriptions still use: font, center, big, tt, strike); any other tag is text.
_ELEMENTS = {
    "a", "abbr", "address", "area", "article", "aside", "audio", "b", "base", "bdi", "bdo",
    "big", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code",
    "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog", "div", "dl",
    "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe",
    "img", "input", "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark",
    "menu", "meta", "meter", "nav", "nobr", "noscript", "object", "ol", "optgroup", "option",
    "output", "p", "param", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp",
    "script", "search", "section", "select", "slot", "small", "source", "span", "strike",
    "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "template", "textarea",
    "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video",
    "wbr",
}  # fmt: skip
# Link addresses kept: the web and mail (RFC 3986 schemes, compared without case).
_KEPT_SCHEMES = ("http://", "https://", "mailto:")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>|&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.silent = 0
        self.broke = False  # the last thing was a line break from a tag
        # The open link: its address (None when not kept) and where its text starts.
        self.link: tuple[str | None, int] | None = None

    def _break(self) -> None:
        self.pieces.append("\n")
        self.broke = True

    def handle_starttag(self, tag, attrs):
        if _text_tag(tag):
            self.handle_data(self.get_starttag_text() or "")
        elif tag in _SILENT:
            self.silent += 1
        elif tag in _BREAKS:
            self._break()
        elif tag == "a":
            self._close_link()
            self.link = (_kept_address(dict(attrs).get("href")), len(self.pieces))

    def handle_startendtag(self, tag, attrs):
        if _text_tag(tag):
            self.handle_data(self.get_starttag_text() or "")
        elif tag in _BREAKS:
            self._break()

    def handle_endtag(self, tag):
        if _text_tag(tag):
            self.handle_data(f"</{tag}>")
        elif tag in _SILENT:
            self.silent = max(0, self.silent - 1)
        elif tag in _BREAKS and tag != "br":
            self._break()
        elif tag == "a":
            self._close_link()

    def _close_link(self) -> None:
        """After a link's text, its address in brackets, unless the text is the address."""
        if self.link is None:
            return
        (address, start), self.link = self.link, None
        if address is None:
            return
        text = "".join(self.pieces[start:]).strip()
        if not text:
            self.pieces.append(f" {address} ")
        elif _bare(text) != _bare(address):
            self.pieces.append(f" ({address})")

    def close(self):
        super().close()
        self._close_link()  # a link never closed still keeps its address

    def handle_data(self, data):
        if self.silent:
            return
        if self.broke:  # "<br />" then the source's own line break: one line break, not two
            data = re.sub(r"^[ \t]*\r?\n", "", data)
        self.broke = not data.strip() and self.broke
        self.pieces.append(data)


def _text_tag(tag: str) -> bool:
    """True for a tag that is the writer's text: no HTML element, and not the namespaced
    markup Word and other editors leave in HTML they export (`<o:p>`)."""
    return tag not in _ELEMENTS and ":" not in tag


def _kept_address(href: str | None) -> str | None:
    """A link's address when it is a web or mail address, else None."""
    address = (href or "").strip()
    return address if address.lower().startswith(_KEPT_SCHEMES) else None


def _bare(address: str) -> str:
    """An address as its text may show it: without scheme, "www.", "mailto:" or a final "/"."""
    bare = re.sub(r"^(https?://(www\.)?|mailto:)", "", address.strip(), flags=re.IGNORECASE)
    return bare.rstrip("/").lower()


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
