"""XML documents (KML, GPX) as small trees of local names, parsed without surprises.

Both formats are read by element names alone, whatever the namespace: KML 2.2
(`http://www.opengis.net/kml/2.2`), Google's `http://earth.google.com/kml/2.x`, no namespace at
all, and prefixes a writer forgot to declare (`gx:Track` without `xmlns:gx`, common in files
edited by hand) all read the same. A name's prefix is dropped (`gx:coord` is `coord`).

Safety: Python's expat never fetches an external entity or DTD; a document that declares
entities at all is refused (KML and GPX never need one, and that is how "billion laughs"
documents are built); documents over `MAX_XML_BYTES` or nested deeper than `MAX_DEPTH` are
refused. `parse_xml` never raises.

Text encodings (XML 1.0 §4.3.3): a byte-order mark, else the encoding the XML declaration
names, else UTF-8; text that is not in that encoding is refused with the byte where it fails.
"""

from __future__ import annotations

import codecs
import re
from xml.parsers import expat

# One XML document over this size is refused: the upload limit is 20 MB, but a KMZ may unpack
# to ten times more, and the tree of 64 MB of KML already takes over a gigabyte of memory
# (about 20 bytes of memory a byte of KML, measured on a 22 MB KML of 60,000 placemarks).
MAX_XML_BYTES = 64 * 1024 * 1024
# Elements nested deeper than this are refused: no KML or GPX writer nests folders so deep,
# and walking such trees must not exhaust Python's stack.
MAX_DEPTH = 100
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_DECLARATION_TEXT = re.compile(r"^\s*<\?xml\s[^>]*\?>")


class Node:
    """One element: its local name, attributes, child elements, and its text and children in
    document order (`content`). A plain class with slots: a 20 MB KML has a million."""

    __slots__ = ("name", "attributes", "children", "content")

    def __init__(self, name: str, attributes: dict[str, str]):
        self.name = name
        self.attributes = attributes
        self.children: list[Node] = []
        self.content: list[Node | str] = []

    @property
    def text(self) -> str:
        """All the text inside the element, its children's included, stripped."""
        if len(self.children) == 0:
            return "".join(self.content).strip()  # type: ignore[arg-type]
        pieces: list[str] = []
        stack: list[Node | str] = [self]
        while stack:  # iterative: deep trees must not reach Python's recursion limit
            item = stack.pop()
            if isinstance(item, str):
                pieces.append(item)
                continue
            stack.extend(reversed(item.content))
        return "".join(pieces).strip()

    def markup(self) -> str:
        """The element's content written back as markup, its text as the XML gives it (already
        unescaped, so HTML written escaped in it is markup again) and its children as tags:
        for KML descriptions that hold HTML both ways."""
        pieces: list[str] = []
        stack: list[Node | str] = list(reversed(self.content))
        while stack:  # iterative: deep trees must not reach Python's recursion limit
            item = stack.pop()
            if isinstance(item, str):
                pieces.append(item)
                continue
            if item.name.startswith("/"):
                pieces.append(f"<{item.name}>")
                continue
            pieces.append(f"<{item.name}>")
            stack.append(Node("/" + item.name, {}))
            stack.extend(reversed(item.content))
        return "".join(pieces)

    def child(self, *names: str) -> Node | None:
        """The first child with one of `names`, or None."""
        return next((node for node in self.children if node.name in names), None)

    def all(self, *names: str) -> list[Node]:
        """The children with one of `names`, in document order."""
        return [node for node in self.children if node.name in names]

    def child_text(self, *names: str) -> str | None:
        """The text of the first child with one of `names`, or None when there is none."""
        node = self.child(*names)
        return node.text if node is not None else None

    def attribute(self, name: str) -> str | None:
        """An attribute by local name (a prefix is ignored)."""
        for key, value in self.attributes.items():
            if key.rsplit(":", 1)[-1] == name:
                return value
        return None


class _Refused(Exception):
    """Stops the parse: the document is refused for the reason given."""


def decode_xml(raw: bytes) -> tuple[str | None, str | None]:
    """The text of an XML document and None, or None and why it cannot be read (a phrase to
    follow "cannot be read as KML: ")."""
    if len(raw) > MAX_XML_BYTES:
        return None, f"it is over {MAX_XML_BYTES // (1024 * 1024)} MB of XML"
    said = "its byte-order mark"
    if raw.startswith(codecs.BOM_UTF8):
        name, raw = "utf-8", raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = "utf-16"
    elif raw.startswith((b"<\0", b"\0<")):
        name, said = ("utf-16-le" if raw[0] == 0x3C else "utf-16-be"), "its first bytes"
    else:
        declared = _DECLARATION.match(raw[:1024])
        name = declared.group(1).decode("ascii") if declared else "utf-8"
        said = "the encoding its XML declaration names" if declared else "XML's default"
        try:
            codecs.lookup(name)
        except LookupError:
            return None, f'its XML declaration names the encoding "{name[:40]}", which is unknown'
    try:
        text = raw.decode(name)
    except UnicodeDecodeError as error:
        return None, f"byte {error.start:,} is not {name} text ({said})"
    except LookupError:  # a codec that is no text encoding ("rot13", "hex")
        return None, f'its XML declaration names "{name[:40]}", which is not a text encoding'
    return _DECLARATION_TEXT.sub("", text, count=1), None


def parse_xml(raw: bytes) -> tuple[Node | None, str | None]:
    """The root element of an XML document and None, or None and why it cannot be read, a
    phrase to follow "cannot be read as KML: " (not well-formed, with line and column;
    entities; size; depth; encoding). Never raises."""
    text, problem = decode_xml(raw)
    if text is None:
        return None, problem
    parser = expat.ParserCreate()
    parser.buffer_text = True
    # Never read a DTD's parameter entities (expat's default, said here so it stays so).
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    roots: list[Node] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise _Refused(f"its elements nest over {MAX_DEPTH} deep")
        node = Node(name[name.rfind(":") + 1 :], attributes)
        if stack:
            stack[-1].children.append(node)
            stack[-1].content.append(node)
        else:
            roots.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].content.append(data)

    def entity(*_args) -> None:
        raise _Refused("it declares XML entities, which KML and GPX never need")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        return None, str(refused)
    except expat.ExpatError as error:
        return None, (
            f"it is not well-formed XML (line {error.lineno:,}, column {error.offset + 1:,})"
        )
    except (RecursionError, MemoryError, ValueError):
        return None, "it is not XML"
    if not roots:
        return None, "it holds no XML element"
    return roots[0], None
