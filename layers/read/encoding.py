"""Which text encoding a file's bytes are in: declared, certain, detected, or a question.

Text the import reads (CSV, a Shapefile's DBF) is UTF-8 when it can be, and the encoding a
byte-order mark or the analyst names otherwise. Anything else is detected with
charset-normalizer, and the answer is taken only when it is not in doubt: a reading that
another usual encoding would give differently, and about as cleanly, is a question for the
analyst (the mapping's `source.encoding`, a select in the import step), never a silent load of
mojibake. Bytes that no encoding reads cleanly are refused.

The usual encodings are those the tools of this field write when they do not write UTF-8:
Excel's "CSV" on Windows in Western, Chinese (PRC and Taiwan), Japanese, Korean, Vietnamese,
Thai and Cyrillic locales (the Windows code pages, Microsoft's "Code Page Identifiers").
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Windows code pages by locale, each with the names charset-normalizer gives its readings.
USUAL_ENCODINGS = {
    "cp1252": ("cp1252",),  # Western European, Excel's "CSV" in English locales
    "gb18030": ("gb18030", "gbk", "gb2312", "cp936"),  # Simplified Chinese
    "big5": ("big5", "cp950", "big5hkscs"),  # Traditional Chinese (Taiwan)
    "cp932": ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213"),  # Japanese
    "cp949": ("cp949", "euc_kr"),  # Korean
    "cp1258": ("cp1258",),  # Vietnamese
    "cp874": ("cp874", "tis_620", "iso8859_11"),  # Thai
    "cp1251": ("cp1251",),  # Cyrillic
}
# charset-normalizer's measure of how garbled a reading looks (0 clean, 1 noise): readings
# above this are not offered at all; a reading is taken without asking only when it is less
# garbled than every other usual reading by at least MARGIN.
CHAOS_LIMIT = 0.2
MARGIN = 0.02
# How much of a large file is given to detection (it samples within that).
DETECTION_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Decoded:
    """The text of some bytes, or why there is none.

    `encoding` is the codec used (Python's name); `detected` is True when it was guessed
    rather than declared (BOM, valid UTF-8, named by the analyst); `alternatives` are other
    encodings that read the bytes otherwise (most likely first); `problem` is one line saying
    why `text` is None: undecodable bytes, or a guess in doubt (then `alternatives` holds the
    choices to offer).
    """

    text: str | None
    encoding: str | None
    detected: bool = False
    alternatives: tuple[str, ...] = ()
    problem: str | None = None

    def note(self) -> str | None:
        """One line for the analyst when the encoding was detected, else None."""
        if not self.detected or self.encoding is None:
            return None
        others = f" (or {', '.join(self.alternatives[:3])})" if self.alternatives else ""
        return (
            f"not UTF-8: read as {encoding_label(self.encoding)}, detected; if letters look "
            f"wrong, choose another encoding{others}"
        )


def encoding_label(name: str) -> str:
    """A codec's name as people know it: "cp1252" is "Windows-1252"."""
    labels = {
        "cp1252": "Windows-1252",
        "gb18030": "GB18030 (GBK)",
        "big5": "Big5",
        "cp932": "Shift_JIS (cp932)",
        "cp949": "EUC-KR (cp949)",
        "cp1258": "Windows-1258",
        "cp874": "Windows-874",
        "cp1251": "Windows-1251",
        "utf_8": "UTF-8",
        "utf_16": "UTF-16",
    }
    return labels.get(canonical(name) or name, name)


def canonical(name: str) -> str | None:
    """Python's own name for an encoding ("windows-1252" -> "cp1252"), or None if unknown."""
    try:
        return codecs.lookup(name).name.replace("-", "_")
    except (LookupError, TypeError, ValueError):
        return None


def decode_text(raw: bytes, encoding: str | None = None) -> Decoded:
    """The text of `raw`: in `encoding` when one is named, else by BOM, UTF-8, or detection.

    Never raises. A named encoding that cannot read the bytes, bytes no encoding reads
    cleanly, and a detection in doubt each give `text=None` and a one-line `problem`.
    """
    if encoding:
        name = canonical(encoding)
        if name is None:
            return Decoded(None, None, problem=f'"{encoding}" is not a text encoding Python knows')
        try:
            return Decoded(codecs.decode(raw, name), name)
        except (UnicodeDecodeError, ValueError) as error:
            where = f" (byte {error.start:,})" if isinstance(error, UnicodeDecodeError) else ""
            return Decoded(
                None, name, problem=f"is not {encoding_label(name)} text{where}, as named"
            )
    for mark, name in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF32_LE, "utf_32")):
        if raw.startswith(mark):
            return _strict(raw, name)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf_16")
    try:
        return Decoded(raw.decode("utf-8"), "utf_8")
    except UnicodeDecodeError:
        pass
    return _detected(raw)


def _strict(raw: bytes, name: str) -> Decoded:
    try:
        return Decoded(raw.decode(name), name)
    except UnicodeDecodeError as error:
        return Decoded(
            None, name, problem=f"starts as {encoding_label(name)} but byte {error.start:,} is not"
        )


def _detected(raw: bytes) -> Decoded:
    """charset-normalizer's readings, taken only when one usual encoding is clearly best."""
    from charset_normalizer import from_bytes

    matches = [
        match
        for match in from_bytes(raw[:DETECTION_BYTES], threshold=CHAOS_LIMIT)
        if match.chaos <= CHAOS_LIMIT
    ]
    usual = []  # (chaos, usual encoding) of each distinct reading in a usual encoding
    for match in matches:
        names = {canonical(name) for name in match.could_be_from_charset}
        found = next(
            (key for key, aliases in USUAL_ENCODINGS.items() if names & set(aliases)), None
        )
        if found is not None:
            usual.append((match.chaos, found))
    usual.sort()
    choices = tuple(dict.fromkeys(name for _, name in usual))
    if not usual:
        return Decoded(
            None,
            None,
            problem="is not UTF-8 text, and no usual encoding reads it cleanly (is it text?); "
            "save it as UTF-8",
        )
    best_chaos, best = usual[0]
    if len(usual) > 1 and usual[1][0] - best_chaos < MARGIN:
        listed = ", ".join(encoding_label(name) for name in choices[:4])
        return Decoded(
            None,
            None,
            alternatives=choices,
            problem=f"is not UTF-8, and its encoding is not certain ({listed} read it "
            "differently): choose one, or save the file as UTF-8",
        )
    # Full decode in the chosen encoding: the sample may not have met every byte.
    try:
        text = raw.decode(best)
    except UnicodeDecodeError as error:
        return Decoded(
            None,
            None,
            alternatives=choices,
            problem=f"is not UTF-8, and reads as {encoding_label(best)} only until byte "
            f"{error.start:,}; name its encoding or save it as UTF-8",
        )
    return Decoded(text, best, detected=True, alternatives=choices[1:])
