"""Which text encoding a file's bytes are in: declared, certain, detected, or a question.

Text the import reads (CSV, a Shapefile's DBF) is UTF-8 when it can be, and the encoding a
byte-order mark or the analyst names otherwise. Anything else is detected among the usual
encodings (USUAL_ENCODINGS), and read only when the bytes leave no doubt:

1. Each usual encoding either cannot have written the bytes (they do not decode in it,
   strictly), or gives a reading. Encodings that give the same text are one reading.
2. A reading is ruled out by what no text written in that encoding's languages holds:
   - control characters (then it is not text at all);
   - a word that runs letters of two scripts together that no writing joins (`Josй`: Latin
     then Cyrillic; Cyrillic and Greek with each other, with Latin, or with Thai, Hangul or
     Han; Hangul with kana; the script of a letter is the first word of its Unicode name);
   - an accented Latin capital inside a lower-case word (`HaÒi`: Vietnamese read as
     Windows-1252);
   - private-use characters and noncharacters (Unicode Standard 15.0 §23.5, §23.7);
   - UTF-8 read as a Windows code page: Â, Ã, Ă or â before a character of the code page's
     0x80-0xBF, where UTF-8 puts its continuation bytes (`JosÃ©`, `â€™`), when the bytes are
     UTF-8 text (else "â’" is as written);
   - a combining mark with no letter under it (a "defective combining character sequence",
     Unicode Standard 15.0 §3.6 D57); a Thai vowel or tone mark not on a Thai consonant, or a
     Thai leading vowel with no consonant after it (Thai orthography, the input sequence check
     of WTT 2.0 in its simplest form); a Vietnamese tone mark not on a vowel;
   - Korean made mostly of the Hangul syllables Unified Hangul Code (cp949) adds to the 2,350
     of KS X 1001 (EUC-KR): KS X 1001 chose its syllables as those in use, and the 8,822 UHC
     adds are rare (`뜝갂`), but they are what Shift_JIS read as cp949 gives (`頃、`), since
     UHC put them on the lead and trail bytes that KS X 1001 leaves free; each counts once
     they are at least two and more than half of the syllables, so a rare name in Korean text
     does not rule it out;
   - what charset-normalizer measures as garbled (CJK punctuation left out of the measure,
     which takes a list such as "中，美，日" for garbled): its mess ratio at or above 0.2, the
     threshold at which it discards a decoding itself, applied from 32 bytes outside ASCII
     (CHAOS_MIN_BYTES; under that its ratios swing on one character).
3. Exactly one reading left: it is read, and the encoding said (`Decoded.note`). Several
   left: a question (`Decoded.problem`, with the encodings as `alternatives`), never a
   silent choice. None left: the readings that are at least text are offered the same way,
   fewest faults first; bytes that no encoding reads as text are refused.

Valid UTF-8 is read as UTF-8, as every browser and Python do (WHATWG Encoding Standard),
unless its text breaks a rule of step 2 while a usual encoding reads the bytes cleanly ("太太"
in GBK is two combining marks on nothing in UTF-8): then it is a question. Text
in another encoding is valid UTF-8 only by coincidence, which needs every run of non-ASCII
bytes to form UTF-8 sequences. In 21,000 generated texts of the languages below that happened
7 times, each with at most 6 bytes outside ASCII; in some 100,000 more, run by the property
tests with random seeds, a few times with up to 9. So a short UTF-8 text (under
UTF_8_SURE_BYTES bytes outside ASCII, or UTF_8_ODD_SURE_BYTES when no usual encoding writes
any of its characters) whose characters no usual encoding can write, while a usual encoding
reads its bytes cleanly, is a question ("แกน" in Windows-874 is U+1879, a Mongolian letter, in
UTF-8). One whose characters a usual encoding writes is UTF-8: that is the limit of this
module, as "척" in EUC-KR is "ô" in UTF-8 and "청청 청청" is "ûû ûû" (8 bytes), and "中国" in
UTF-8 is as clean a text, "涓浗", in GBK; UTF-8 is by far the likelier of the two. Thai is
the exception: its leading vowels and consonants are UTF-8's lead and continuation bytes, so
"ไธน" in Windows-874 is "丹" in UTF-8; short UTF-8 that is also clean Thai is a question
when every UTF-8 character starts with a Thai leading vowel's byte (0xE0-0xE4: a lone "中"
is then a question too, "中国" is not).

What this can and cannot know. The rules only rule out; they never prefer one clean reading to
another, so a wrong reading is taken only if the true one breaks a rule and the wrong one
breaks none. Text as people write it breaks none of them (tests/read/test_encoding.py checks
realistic texts in each language and a Hypothesis property over their alphabets), with one
known exception: a Russian word typed with a Latin look-alike letter ("Cамолет"), which makes
the file a question. Short texts and texts made only of non-ASCII letters are often questions:
`南海` is a different pair of characters in GBK, Big5, Shift_JIS and EUC-KR, and `São` is `Săo`
in Windows-1258; only the writer knows, so the analyst is asked. Korean in EUC-KR is a
question however long: its syllables are common Chinese characters in GBK, which
charset-normalizer measures as clean (about 0.13), and no rule here tells them apart.

The usual encodings are those the tools of this field write when they do not write UTF-8:
Excel's "CSV" on Windows in Western, Chinese (PRC and Taiwan), Japanese, Korean, Vietnamese,
Thai and Cyrillic locales (the Windows code pages, Microsoft's "Code Page Identifiers").
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from layers.i18n import Message

# Windows code pages by locale (Python's codec name), each with other names of the encoding.
USUAL_ENCODINGS = {
    "cp1252": ("cp1252", "windows_1252"),  # Western European, Excel's "CSV" in English
    "gb18030": ("gb18030", "gbk", "gb2312", "cp936"),  # Simplified Chinese
    "cp950": ("cp950", "big5", "big5hkscs"),  # Traditional Chinese (Taiwan): Big5 as Windows
    "cp932": ("cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213"),  # Japanese
    "cp949": ("cp949", "euc_kr"),  # Korean
    "cp1258": ("cp1258",),  # Vietnamese
    "cp874": ("cp874", "tis_620", "iso8859_11"),  # Thai
    "cp1251": ("cp1251",),  # Cyrillic
}
# charset-normalizer's mess ratio at or above which a reading is garbled: the threshold its
# own detection (`from_bytes`) discards a decoding at.
CHAOS_LIMIT = 0.2
# How much of a long text the rules read: evenly spread pieces, so a file's end counts too.
SAMPLE_CHARS = 256 * 1024
SAMPLE_PIECES = 16
_HIGH_BYTES = bytes(range(128, 256))
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
# The first byte of each UTF-8 sequence of two bytes or more.
_UTF_8_LEADS = re.compile(rb"[\xc2-\xf4]")
_LATIN_THAI = re.compile("[A-Za-z][\u0e01-\u0e5b]|[\u0e01-\u0e5b][A-Za-z]")
# CJK Symbols and Punctuation, and the full-width punctuation of Halfwidth and Fullwidth
# Forms; not its half-width corner brackets and middle dot (U+FF61-FF65), which Shift_JIS
# writes in one byte each and a wrong reading of other bytes often gives.
_CJK_PUNCTUATION = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff60]")

# Control characters (C0 but tab, line feed, carriage return; DEL; C1): never in text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Private-use characters and noncharacters (Unicode Standard §23.5, §23.7): no one types them;
# a reading that gives them maps bytes onto the unassigned corners of a code page.
_UNTYPED = re.compile("[\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff]")
# Under this many bytes outside ASCII, charset-normalizer's measure is not applied: it calls a
# sequence under 32 bytes too small to judge (TOO_SMALL_SEQUENCE), and its ratios (of
# punctuation, of accented letters) swing on one character: "福域织。福，" in GBK measures as
# garbled, and its Big5 reading "腦郖眽﹝腦ㄛ" as clean.
CHAOS_MIN_BYTES = 32
# From this many bytes outside ASCII, valid UTF-8 is UTF-8 whatever it says: no realistic
# text in another encoding was valid UTF-8 with as many (the module's docstring).
UTF_8_SURE_BYTES = 8
# ... and from this many, when no usual encoding writes any of its characters: "เกน เกน เกน"
# in Windows-874 is valid UTF-8 of nine bytes outside ASCII, three Arabic letters no one types.
UTF_8_ODD_SURE_BYTES = 64
# Scripts by the first words of a letter's Unicode name; a letter of none of them is
# "other" ("O"), and letters whose name says no script (MICRO SIGN, ª) join anything.
_SCRIPTS = (
    ("LATIN", "L"),
    ("FULLWIDTH LATIN", "L"),
    ("CYRILLIC", "C"),
    ("GREEK", "G"),
    ("THAI", "T"),
    ("HANGUL", "H"),
    ("HALFWIDTH HANGUL", "H"),
    ("CJK", "J"),
    ("HIRAGANA", "J"),
    ("KATAKANA", "J"),
    ("HALFWIDTH KATAKANA", "J"),
    ("BOPOMOFO", "J"),
    ("IDEOGRAPHIC", "J"),
)
# Scripts that do meet inside a word: Latin with Han and kana, Hangul or Thai ("80km",
# "III級", "LG전자", Thai written without spaces); Han with Hangul (Hanja); Greek with Han
# ("β版"). The kana are put with Han ("J"): Japanese joins them in every word.
_JOINED = {"LJ", "JL", "LH", "HL", "LT", "TL", "JH", "HJ", "GJ", "JG"}
_NEVER_JOINED = re.compile(
    "|".join(a + b for a in "LCGTHJO" for b in "LCGTHJO" if a != b and a + b not in _JOINED)
)
# UTF-8 read as Windows-1252 or -1258: a UTF-8 lead byte (Â Ã Ă â) before a character of the
# code page's 0x80-0xBF, where UTF-8 puts its continuation bytes ("JosÃ©", "â€™").
_UTF_8_AS_WINDOWS = re.compile(
    "[\u00c2\u00c3\u0102\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
    "\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
# Thai: an above or below vowel or a tone mark sits on a consonant (a tone mark may follow
# the vowel); a leading vowel (เ แ โ ใ ไ) comes before a consonant.
_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_THAI_CLUSTER = re.compile(
    "[\u0e01-\u0e2e](?:[\u0e31\u0e34-\u0e3a\u0e47\u0e4d][\u0e48-\u0e4c]?|[\u0e48-\u0e4c])"
)
_THAI_LEADING = re.compile("[\u0e40-\u0e44](?![\u0e01-\u0e2e])")
# Vietnamese (Windows-1258): the five tone marks it writes as combining characters sit on a
# vowel.
_VIETNAMESE_TONE = re.compile(
    "(?<![aeiouyAEIOUY\u00e2\u00ea\u00f4\u0103\u01a1\u01b0\u00c2\u00ca\u00d4\u0102\u01a0\u01af])"
    "[\u0300\u0301\u0303\u0309\u0323]"
)


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
        label = encoding_label(self.encoding)
        if not self.alternatives:
            return Message(
                "not UTF-8: read as {encoding}, detected; if letters look wrong, choose another "
                "encoding",
                encoding=label,
            )
        return Message(
            "not UTF-8: read as {encoding}, detected; if letters look wrong, choose another "
            "encoding (or {others})",
            encoding=label,
            others=", ".join(self.alternatives[:3]),
        )


def encoding_label(name: str) -> str:
    """A codec's name as people know it: "cp1252" is "Windows-1252"."""
    labels = {
        "cp1252": "Windows-1252",
        "gb18030": "GB18030 (GBK)",
        "gbk": "GBK",
        "cp950": "Big5 (cp950)",
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
    """Python's own name for an encoding ("windows-1252" -> "cp1252"), or None if unknown
    or not a text encoding (a bytes-to-bytes codec such as "base64")."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name.replace("-", "_")


def decode_text(raw: bytes, encoding: str | None = None) -> Decoded:
    """The text of `raw`: in `encoding` when one is named, else by BOM, UTF-8, or detection
    (the rule of this module's docstring).

    Never raises. A named encoding that cannot read the bytes, bytes no encoding reads
    cleanly, and a detection in doubt each give `text=None` and a one-line `problem`.
    Windows-1258 text is composed (NFC): that code page writes Vietnamese tone marks as
    separate characters, which are the same text as the composed letters used elsewhere.
    """
    if encoding:
        name = canonical(encoding)
        if name is None:
            return Decoded(
                None,
                None,
                problem=Message(
                    '"{encoding}" is not a text encoding Python knows', encoding=encoding
                ),
            )
        try:
            return Decoded(_composed(codecs.decode(raw, name), name), name)
        except (UnicodeDecodeError, ValueError) as error:
            label = encoding_label(name)
            problem = (
                Message(
                    "is not {encoding} text (byte {byte}), as named",
                    encoding=label,
                    byte=format(error.start, ","),
                )
                if isinstance(error, UnicodeDecodeError)
                else Message("is not {encoding} text, as named", encoding=label)
            )
            return Decoded(None, name, problem=problem)
    for mark, name in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF32_LE, "utf_32")):
        if raw.startswith(mark):
            return _strict(raw, name)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # FF FE and FE FF are also "яю"/"юя" in Windows-1251 and "ÿþ" in Windows-1252: the
        # mark is believed when the text after it is text, with at least one ASCII character
        # (a list's commas, tabs, line ends or digits, which UTF-16 writes as XX 00). Without
        # one, "яю 2024 " in Windows-1251 read as UTF-16 is "㈠㈰‴" (a property test found it),
        # so detection decides.
        utf_16 = _strict(raw, "utf_16")
        if (
            utf_16.text is not None
            and any(character.isascii() for character in utf_16.text)
            and _judge(utf_16.text, ("utf_16",), len(raw)).clean
        ):
            return utf_16
        detected = _detected(raw)
        if utf_16.text is None or not any(character.isascii() for character in utf_16.text):
            return detected  # read by detection, or asked about: never the UTF-16 guess
        return utf_16 if detected.text is None else detected
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _detected(raw)
    return _utf_8(raw, text)


def _utf_8(raw: bytes, text: str) -> Decoded:
    """Valid UTF-8 is UTF-8, but for a short text whose characters no usual encoding can
    write while a usual encoding reads the bytes cleanly: then it is a question, UTF-8 first.
    Short is under UTF_8_SURE_BYTES bytes outside ASCII, or under UTF_8_ODD_SURE_BYTES when no
    usual encoding writes any of its characters ("แกน" in Windows-874 is U+1879, a Mongolian
    letter, in UTF-8). UTF-8 whose text breaks a rule is a question at any length."""
    outside_ascii = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    if outside_ascii == 0:
        return Decoded(text, "utf_8")
    sample = _sample(text)
    if _CONTROL.search(sample) or _faults(sample):
        # UTF-8 that breaks a rule ("太太" in GBK is two combining marks on nothing in UTF-8):
        # a question when a usual encoding reads the bytes cleanly.
        return _utf_8_in_doubt(raw, text)
    if outside_ascii >= UTF_8_ODD_SURE_BYTES:
        return Decoded(text, "utf_8")
    if _thai_coincidence(raw):
        return _utf_8_in_doubt(raw, text)
    if _writable(text):
        return Decoded(text, "utf_8")
    if outside_ascii >= UTF_8_SURE_BYTES and not _all_odd(text):
        return Decoded(text, "utf_8")
    return _utf_8_in_doubt(raw, text)


def _utf_8_in_doubt(raw: bytes, text: str) -> Decoded:
    """UTF-8 unless a usual encoding reads the bytes cleanly otherwise: then a question, the
    clean readings and UTF-8 offered."""
    clean = [r.encodings[0] for r in readings(raw) if r.clean and r.text != text]
    if not clean:
        return Decoded(text, "utf_8")
    choices = ("utf_8", *clean)
    listed = ", ".join(encoding_label(name) for name in choices[:4])
    return Decoded(
        None,
        None,
        alternatives=choices,
        problem=Message(
            "its encoding is not certain ({encodings} read it differently): choose one, or save "
            "the file as UTF-8",
            encodings=listed,
        ),
    )


def _thai_coincidence(raw: bytes) -> bool:
    """True when every UTF-8 sequence of `raw` starts with a byte that is a Thai leading vowel
    in Windows-874 (เ แ โ ใ ไ, 0xE0-0xE4) and the bytes read there as clean Thai, no Thai
    letter touching a Latin one. Thai's consonants (0xA1-0xBF) are UTF-8's continuation bytes,
    so "ไธน" is "丹" in UTF-8, a text as clean; "日" (0xE6…) or "2023年" (0xE5…) are not Thai
    syllables, and stay UTF-8."""
    leads = _UTF_8_LEADS.findall(raw)
    if not leads or any(lead[0] > 0xE4 or lead[0] < 0xE0 for lead in leads):
        return False
    try:
        thai = raw.decode("cp874")
    except UnicodeDecodeError:
        return False
    if _CONTROL.search(thai) or _faults(thai) or _LATIN_THAI.search(thai):
        return False
    return all("\u0e00" <= ch <= "\u0e7f" for ch in thai if not ch.isascii())


def _all_odd(text: str) -> bool:
    """True when no usual encoding writes any of the characters of `text` outside ASCII (a
    text of emoji and "Zürich" has ü, which Windows-1252 writes)."""
    return not any(_writable(ch) for ch in {ch for ch in text if not ch.isascii()})


def _writable(text: str) -> bool:
    """True when one usual encoding can write every character of `text` (GB18030 as GBK:
    GB18030 is a Unicode encoding and writes every character)."""
    for name in USUAL_ENCODINGS:
        try:
            text.encode("gbk" if name == "gb18030" else name)
        except UnicodeEncodeError:
            continue
        return True
    return False


def _composed(text: str, name: str) -> str:
    return unicodedata.normalize("NFC", text) if name == "cp1258" else text


def _strict(raw: bytes, name: str) -> Decoded:
    try:
        return Decoded(raw.decode(name), name)
    except UnicodeDecodeError as error:
        return Decoded(
            None,
            name,
            problem=Message(
                "starts as {encoding} but byte {byte} is not",
                encoding=encoding_label(name),
                byte=format(error.start, ","),
            ),
        )


@dataclass(frozen=True)
class Reading:
    """One text the bytes can be: the usual encodings that give it, and how it fares under
    the rules (`faults`: places that break one; `chaos`: charset-normalizer's mess ratio)."""

    text: str
    encodings: tuple[str, ...]
    control: bool
    faults: int
    chaos: float
    outside_ascii: int = 0  # bytes of the file that are not ASCII

    @property
    def clean(self) -> bool:
        """True when nothing rules this reading out (chaos counts from CHAOS_MIN_BYTES)."""
        garbled = self.chaos >= CHAOS_LIMIT and self.outside_ascii >= CHAOS_MIN_BYTES
        return not self.control and not self.faults and not garbled


def readings(raw: bytes) -> list[Reading]:
    """Every distinct reading of `raw` in the usual encodings, judged by the rules: clean ones
    first, then by fewest faults and least chaos. Bytes an encoding cannot decode strictly
    give no reading in it."""
    texts: dict[str, list[str]] = {}
    for name in USUAL_ENCODINGS:
        try:
            text = _composed(codecs.decode(raw, name), name)
        except (UnicodeDecodeError, ValueError):
            continue
        texts.setdefault(text, []).append(name)
    outside_ascii = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    mojibake = _utf_8_text(raw)
    found = [_judge(text, tuple(names), outside_ascii, mojibake) for text, names in texts.items()]
    # Clean readings first; then, and within each, the least garbled (for a question's order).
    return sorted(found, key=lambda r: (not r.clean, r.control, r.faults, r.chaos))


def _utf_8_text(raw: bytes) -> bool:
    """True when `raw` is valid UTF-8 whose text breaks no rule: only then can a Windows
    code page's reading of it be UTF-8 read wrongly ("JosÃ©"). Bytes that are not UTF-8 text
    may hold "â’" as written ("Château’s" in Windows-1252)."""
    if raw.isascii():
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    sample = _sample(text)
    return not (_CONTROL.search(sample) or _faults(sample, utf_8_mojibake=False))


def _judge(
    text: str, encodings: tuple[str, ...], outside_ascii: int, utf_8_mojibake: bool = True
) -> Reading:
    """A reading judged by the rules; `outside_ascii` counts the bytes that are not ASCII (the
    measure of chaos applies from CHAOS_MIN_BYTES)."""
    sample = _sample(text)
    if _CONTROL.search(sample):
        return Reading(text, encodings, True, 0, 1.0)
    faults = _faults(sample, utf_8_mojibake)
    return Reading(text, encodings, False, faults, _chaos(sample), outside_ascii)


def _sample(text: str) -> str:
    """The text, or SAMPLE_PIECES evenly spread pieces of it when it is longer than
    SAMPLE_CHARS (cut at line ends where there are some, so words stay whole)."""
    if len(text) <= SAMPLE_CHARS:
        return text
    size = SAMPLE_CHARS // SAMPLE_PIECES
    step = (len(text) - size) // (SAMPLE_PIECES - 1)
    pieces = []
    for start in range(0, step * SAMPLE_PIECES, step):
        piece = text[start : start + size]
        if start:
            piece = piece[piece.find("\n") + 1 :] if "\n" in piece else piece
        end = piece.rfind("\n")
        pieces.append(piece[:end] if end > 0 else piece)
    return "\n".join(pieces)


def _faults(text: str, utf_8_mojibake: bool = True) -> int:
    """How many places of `text` break a rule of the module's docstring (step 2, but chaos)."""
    distinct = set(text)
    odd = {ch for ch in distinct if not ch.isascii()}
    if not odd:
        return 0
    scripts = text.translate(str.maketrans({ch: _script(ch) for ch in distinct}))
    faults = len(_NEVER_JOINED.findall(scripts)) + len(_UNTYPED.findall(text))
    if utf_8_mojibake:
        faults += len(_UTF_8_AS_WINDOWS.findall(text))
    # A Latin capital with an accent inside a lower-case word ("HaÒi", "NguyêÞn": Windows-1258
    # tone marks read as Windows-1252): no orthography writes one there.
    capitals = "".join(sorted(ch for ch in odd if ch.isupper() and _script(ch) == "L"))
    if capitals:
        lower = "a-z" + re.escape("".join(ch for ch in odd if ch.islower() and _script(ch) == "L"))
        faults += len(re.findall(f"(?<=[{lower}])[{re.escape(capitals)}](?=[{lower}])", text))
    marks = "".join(sorted(ch for ch in odd if unicodedata.category(ch).startswith("M")))
    if marks:
        marks_class = re.escape(marks)
        defective = re.compile(f"(?<![^\\W\\d_]|[{marks_class}])[{marks_class}]")
        faults += len(defective.findall(text))
        faults += len(_VIETNAMESE_TONE.findall(text))
    faults += _rare_hangul(odd, text)
    thai_marks = len(_THAI_MARKS.findall(text))
    if thai_marks:
        placed = sum(len(_THAI_MARKS.findall(c)) for c in _THAI_CLUSTER.findall(text))
        faults += thai_marks - placed
    faults += len(_THAI_LEADING.findall(text))
    return faults


def _rare_hangul(odd: set[str], text: str) -> int:
    """The Hangul syllables of `text` outside KS X 1001 when they are at least two and more
    than half of its syllables (the rule of the module's docstring), else 0."""
    syllables = [ch for ch in odd if "\uac00" <= ch <= "\ud7a3"]
    if not syllables:
        return 0
    rare = {ch for ch in syllables if not _in_ks_x_1001(ch)}
    if not rare:
        return 0
    found = _HANGUL_SYLLABLE.findall(text)
    count = sum(1 for ch in found if ch in rare)
    return count if count >= 2 and 2 * count > len(found) else 0


def _in_ks_x_1001(ch: str) -> bool:
    """True for a Hangul syllable of KS X 1001: Python's EUC-KR writes it in two bytes (the
    others as an eight-byte jamo sequence, KS X 1001 annex 3)."""
    return len(ch.encode("euc_kr")) == 2


def _script(ch: str) -> str:
    """The script code of a letter for _NEVER_JOINED ("L", "C", "G", "T", "H", "J", "O"),
    "N" for a letter of no script, and a space for what is not a letter."""
    if ch.isascii():
        return "L" if ch.isalpha() else " "
    if not unicodedata.category(ch).startswith("L"):
        return " "
    name = unicodedata.name(ch, "")
    for prefix, code in _SCRIPTS:
        if name.startswith(prefix):
            return code
    return "O" if " LETTER " in f" {name} " or " LIGATURE " in name else "N"


def _chaos(text: str) -> float:
    """charset-normalizer's mess ratio of `text` (0 clean; CHAOS_LIMIT and above garbled),
    measured with the punctuation of CJK writing (the ideographic comma and full stop, corner
    brackets, full-width forms) as spaces, which end words as it does: its measure takes a
    list such as "中，美，日，俄" (one mark for each character) for garbled, while a wrong
    reading of the same bytes, which turns the marks into letters ("笢ㄛ" in Big5), measured
    clean."""
    from charset_normalizer.md import mess_ratio

    return mess_ratio(_CJK_PUNCTUATION.sub(" ", text), maximum_threshold=1.0)


def _detected(raw: bytes) -> Decoded:
    """The one clean reading among the usual encodings, or a question, or a refusal."""
    found = readings(raw)
    clean = [reading for reading in found if reading.clean]
    text_like = [reading for reading in found if not reading.control]
    choices = tuple(reading.encodings[0] for reading in text_like)
    if len(clean) == 1:
        (reading,) = clean
        return Decoded(reading.text, reading.encodings[0], detected=True, alternatives=choices[1:])
    if not text_like:
        return Decoded(
            None,
            None,
            problem=Message(
                "is not UTF-8 text, and no usual encoding reads it cleanly (is it text?); save "
                "it as UTF-8"
            ),
        )
    listed = ", ".join(encoding_label(name) for name in choices[:4])
    if clean:
        problem = Message(
            "is not UTF-8, and its encoding is not certain ({encodings} read it differently): "
            "choose one, or save the file as UTF-8",
            encodings=listed,
        )
    else:
        problem = Message(
            "is not UTF-8, and no usual encoding reads it cleanly (the nearest: {encodings}): "
            "choose one if it is right, or save the file as UTF-8",
            encodings=listed,
        )
    return Decoded(None, None, alternatives=choices, problem=problem)


def judged(raw: bytes, encoding: str) -> Reading | None:
    """The reading of `raw` in `encoding` (any codec name), judged by the rules of this
    module's docstring as `readings` judges the usual encodings: for text whose encoding is
    declared (a Shapefile's .cpg), which may name the wrong code page. None when the name is no
    text encoding or the bytes do not decode in it strictly."""
    name = canonical(encoding)
    if name is None:
        return None
    try:
        text = _composed(codecs.decode(raw, name), name)
    except (UnicodeDecodeError, ValueError):
        return None
    outside_ascii = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    return _judge(text, (name,), outside_ascii, _utf_8_text(raw))
