"""Text encodings (layers.read.encoding): realistic texts of this field in the encodings Windows
writes them in are read exactly or asked about, never read as other text; bytes no encoding
reads as text are refused; a named encoding is used as named."""

from __future__ import annotations

import codecs
import os
import unicodedata

import pytest
from conftest import HYPOTHESIS_SEED
from hypothesis import HealthCheck, given, seed, settings
from strategies import cp1258_form, realistic_texts

from layers.read.encoding import (
    USUAL_ENCODINGS,
    UTF_8_SURE_BYTES,
    _writable,
    canonical,
    decode_text,
    readings,
)
from layers.read.table import read_csv_table

# Texts as analysts of this field keep them: each long enough that one reading is left.
REALISTIC = {
    "cp1252": (
        "Date,Title,Country,Lat,Lon,Note\n"
        "2024-06-17,“Second Thomas Shoal” resupply blocked — water cannon used,PHL,9.72,115.86,"
        "Crew of BRP Sierra Madre; Cdr. José Ramírez injured\n"
        "2024-07-02,Chinese CCG 5901 sighted 80 nm off Luzon – “monster” cutter,CHN,16.1,119.2,"
        "Reported by Raymond M. Powell (SeaLight); café owners’ boats\n"
    ),
    "cp1258": cp1258_form(
        "Ngày 3 tháng 5 năm 2024, tàu Hải cảnh Trung Quốc xâm phạm vùng biển quần đảo Hoàng Sa.\n"
        "Ngư dân Nguyễn Văn Hùng cho biết tàu cá của ông bị đâm và hư hỏng nặng.\n"
        "Bộ Ngoại giao Việt Nam phản đối việc Trung Quốc triển khai giàn khoan trên Biển Đông.\n"
    ),
    "gb18030": (
        "2024年6月17日，中国海警船在仁爱礁附近海域依法对菲律宾补给船采取管控措施。\n"
        "中国人民解放军东部战区组织海空兵力在台湾岛周边开展联合演习。\n"
        "据报道，美国海军驱逐舰通过台湾海峡，中方全程跟踪监视。\n"
    ),
    "cp950": (
        "Date,Title,Country,Lat,Lon,Note\n"
        "2024-06-17,中國海警船隻進入釣魚臺列嶼周邊海域,CHN,25.7,123.5,海巡署監控\n"
        "2024-07-02,共軍機艦逾越海峽中線,CHN,24.2,119.8,國防部公布\n"
    ),
    "cp932": (
        "日付,艦種,国籍,北緯,東経,備考\n"
        "2024-07-18,ルーヤンIII級駆逐艦,中国,27.58,125.17,宮古島北東約80kmの海域を北西進\n"
        "2024-07-19,ジャンカイII級フリゲート,中国,24.8,123.1,与那国島南西\n"
    ),
    "cp1251": (
        "18 июля российский фрегат «Адмирал Горшков» прошёл через Цусимский пролив.\n"
        "Корабли Тихоокеанского флота провели совместные учения с ВМС Китая в Японском море.\n"
    ),
    "cp874": (
        "กองทัพเรือไทยจัดการฝึกผสมกับกองทัพเรือสหรัฐในอ่าวไทย\n"
        "เรือประมงเวียดนามถูกจับกุมในน่านน้ำไทยใกล้จังหวัดสงขลา\n"
    ),
}
PROPERTY_EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES") or 2000)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("encoding", sorted(REALISTIC))
def test_a_realistic_text_is_read_exactly_and_its_encoding_said(encoding):
    text = REALISTIC[encoding]
    decoded = decode_text(text.encode(encoding))
    assert (decoded.encoding, decoded.detected, decoded.problem) == (encoding, True, None)
    assert decoded.text == nfc(text)
    assert decoded.note().startswith("not UTF-8: read as ")


@pytest.mark.parametrize(
    ("text", "encoding", "also"),
    [
        # A pair of characters is a different pair in each CJK encoding: only the writer knows.
        ("南海", "gb18030", {"cp950", "cp932", "cp949"}),
        ("臺灣海峽", "cp950", {"cp1252"}),
        ("尖閣", "cp932", {"gb18030", "cp949"}),
        ("독도 해군", "cp949", {"gb18030"}),
        # Korean in EUC-KR is also common Chinese characters in GBK, however long.
        (
            "7월 18일 중국 해군 구축함 1척이 이어도 인근 해역을 통과했다고 합동참모본부가 "
            "밝혔다.\n러시아 초계기가 독도 동쪽 방공식별구역에 진입해 공군 전투기가 긴급 "
            "출격했다.\n",
            "cp949",
            {"gb18030"},
        ),
        ("Корвет", "cp1251", {"gb18030", "cp950", "cp949"}),
        ("Япония", "cp1251", {"cp1252"}),  # or "ßïîíèÿ": too short to measure as garbled
        ("Zürich", "cp1252", {"gb18030"}),  # or "Z黵ich"
        # "São" is "Săo" in Windows-1258: both are Latin letters in place.
        ("São Paulo", "cp1252", {"cp1258"}),
    ],
)
def test_a_text_more_than_one_encoding_reads_cleanly_is_a_question(text, encoding, also):
    decoded = decode_text(text.encode(encoding))
    assert decoded.text is None and decoded.encoding is None
    assert "its encoding is not certain" in decoded.problem
    assert {encoding, *also} <= set(decoded.alternatives)
    # Answering the question reads the text as it was written.
    assert nfc(decode_text(text.encode(encoding), encoding).text) == nfc(text)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("José", "cp1252"),  # Windows-1251 would give "Josй", Windows-874 "Jos้"
        ("Ñandú", "cp1252"),
        ("déjà vu", "cp1252"),
        ("Gem-Ver sunk near Reed Bank — “crew rescued”", "cp1252"),  # same text in 1251
    ],
)
def test_a_short_text_that_only_one_encoding_reads_cleanly_is_read(text, encoding):
    decoded = decode_text(text.encode(encoding))
    assert decoded.text == text and decoded.detected


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        ("Josй", 1),  # Latin then Cyrillic in one word
        ("Jos\u0e49", 1),  # a Thai tone mark on a Latin letter
        ("\u0e49ก", 2),  # a Thai tone mark with nothing under it (defective, and not Thai)
        ("ก\u0e49", 0),
        ("เก็บ ที่ น้ำ จันทร์", 0),  # leading vowel, vowel and tone marks, thanthakhat
        ("เ ก", 1),  # a leading vowel before a space
        ("Nguy\u00ea\u0303n", 0),  # Windows-1258: a tone mark on ê
        ("NguyêÞn HaÒi", 2),  # the same, read as Windows-1252: capitals inside words
        ("Ngn\u0303", 1),  # a tone mark on a consonant
        (" \u0301a", 2),  # an accent on nothing (defective, and no Vietnamese vowel)
        ("80km III級 LG전자 β版", 0),  # scripts that do meet in a word
        ("俄Су", 1),  # Han then Cyrillic
        ("ｿﾕ\ue000", 1),  # a private-use character
        ("JosÃ© â€™", 2),  # UTF-8 read as Windows-1252
        ("SÃO PAULO, CHÂTEAU", 0),  # Ã and Â before letters, as Portuguese and French write
        # Syllables only Unified Hangul Code adds: Shift_JIS "頃、頃頃" read as cp949.
        ("뜝갂뜝뜝", 2),
        ("똠얌꿍 먹었다", 0),  # one rare syllable among common ones is Korean
    ],
)
def test_what_rules_a_reading_out(text, faults):
    from layers.read.encoding import _faults

    assert min(_faults(text), 2) == faults


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (bytes(range(256)) * 4, "no usual encoding reads it cleanly (is it text?)"),
        (b"\x00\x01\x02\xff\xfe" * 40, "no usual encoding reads it cleanly (is it text?)"),
    ],
)
def test_bytes_no_encoding_reads_as_text_are_refused(raw, words):
    decoded = decode_text(raw)
    assert decoded.text is None and words in decoded.problem and decoded.alternatives == ()


def test_a_cyrillic_text_that_starts_like_a_utf_16_mark_is_not_read_as_utf_16():
    # FF FE is "яю" in Windows-1251: the mark is believed only when what follows is text.
    text = "яюПфюэочпя, Корабли Тихоокеанского флота провели учения в Японском море.\n" * 2
    assert text.encode("cp1251")[:2] == b"\xff\xfe"
    decoded = decode_text(text.encode("cp1251"))
    assert decoded.text == text and decoded.encoding == "cp1251"
    assert decode_text("Sightings log\n".encode("utf-16")).text == "Sightings log\n"


@pytest.mark.parametrize(
    ("name", "raw", "text", "problem"),
    [
        ("windows-1252", "Müller’s".encode("cp1252"), "Müller’s", None),
        ("GBK", "南海".encode("gbk"), "南海", None),
        ("big5", "臺灣".encode("big5"), "臺灣", None),
        ("shift_jis", "尖閣".encode("shift_jis"), "尖閣", None),
        ("euc-kr", "독도".encode("euc-kr"), "독도", None),
        # Windows-1258 writes tone marks apart; the text is composed as written elsewhere.
        ("cp1258", cp1258_form("Nguyễn").encode("cp1258"), "Nguyễn", None),
        ("utf-8", "Müller".encode("cp1252"), None, "is not UTF-8 text (byte 1), as named"),
        ("base64", b"TQ==", None, '"base64" is not a text encoding Python knows'),
        ("klingon", b"x", None, '"klingon" is not a text encoding Python knows'),
    ],
)
def test_a_named_encoding_is_used_as_named(name, raw, text, problem):
    decoded = decode_text(raw, name)
    assert (decoded.text, decoded.problem) == (text, problem)
    assert decoded.detected is False


def test_every_usual_encoding_is_a_codec_python_knows_by_its_names():
    for name, aliases in USUAL_ENCODINGS.items():
        assert canonical(name) == name
        assert all(canonical(alias) is not None for alias in aliases)


def test_a_csv_in_a_detected_encoding_says_so_and_offers_the_others():
    table = read_csv_table(REALISTIC["cp950"].encode("cp950"), "list.csv")
    assert (
        table.encoding == "cp950"
        and table.rows[0][1]["Title"] == "中國海警船隻進入釣魚臺列嶼周邊海域"
    )
    assert table.notes[0].startswith("not UTF-8: read as Big5 (cp950), detected")
    asked = read_csv_table("Title\n南海\n".encode("gbk"), "list.csv")
    assert asked.rows == [] and asked.encoding is None
    assert {"gb18030", "cp950"} <= set(asked.encodings)
    assert str(asked.problems[0]).startswith("list.csv: is not UTF-8, and its encoding is not")


def test_the_rules_see_a_long_files_end_too():
    # A long Windows-1252 file whose only accented words come last is still read whole.
    text = "id,title\n" + "".join(f"{n},Patrol {n}\n" for n in range(40_000))
    text += "40000,Cdr. José Ramírez’s “report” — Müller, Françoise, Zürich\n" * 8
    found = readings(text.encode("cp1252"))
    assert found[0].encodings[0] == "cp1252" and found[0].clean
    assert decode_text(text.encode("cp1252")).text == text


@seed(HYPOTHESIS_SEED)
@settings(
    max_examples=PROPERTY_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(realistic_texts())
def test_a_realistic_text_is_read_as_written_or_asked_about_never_read_otherwise(case):
    text, encoding = case
    raw = text.encode(encoding)
    decoded = decode_text(raw)
    if decoded.encoding == "utf_8" and text.encode("utf-8") != raw:
        # The one limit (the module's docstring): a short text that is also valid UTF-8 of
        # letters a usual encoding writes is read as UTF-8, the likelier by far.
        # Seen up to 8 bytes ("청청 청청" in EUC-KR is "ûû ûû"); a few more would be a surprise.
        assert len(raw) - len(raw.translate(None, bytes(range(128, 256)))) < 2 * UTF_8_SURE_BYTES
        assert _writable(decoded.text)
        return
    if decoded.text is None:
        assert decoded.problem and "\n" not in decoded.problem
        # The writer's encoding is offered (or one that reads the same text).
        offered = [decode_text(raw, name).text for name in decoded.alternatives]
        assert nfc(text) in {nfc(each) for each in offered if each is not None}
        return
    assert nfc(decoded.text) == nfc(text), (encoding, decoded.encoding)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("แกน ", "cp874"), ("โถง DDG-114", "cp874")],
)
def test_a_short_text_that_happens_to_be_utf_8_of_another_script_is_a_question(text, encoding):
    raw = text.encode(encoding)
    assert raw.decode("utf-8") != text  # valid UTF-8: a Mongolian letter, a Tifinagh one
    decoded = decode_text(raw)
    assert decoded.text is None and decoded.alternatives[0] == "utf_8"
    assert encoding in decoded.alternatives


@pytest.mark.parametrize("text", ["José", "Müller’s", "Япония", "แกน", "南海", "독도"])
def test_a_short_utf_8_text_in_letters_a_usual_encoding_writes_is_utf_8(text):
    assert decode_text(text.encode("utf-8")) == decode_text(text.encode("utf-8"), "utf-8")


def test_japanese_the_measure_calls_garbled_is_never_read_as_korean():
    # Found by the property below (CI, a random seed): charset-normalizer measures this
    # Japanese as garbled (one mark in five is punctuation), and its cp949 reading, made of
    # syllables only Unified Hangul Code adds, was the one clean reading left.
    text = "頃、頃頃頃、頃頃頃、頃頃頃頃、頃頃頃頃頃、"
    decoded = decode_text(text.encode("cp932"))
    assert decoded.text is None and "cp932" in decoded.alternatives
    assert decode_text(text.encode("cp932"), "cp932").text == text


@pytest.mark.parametrize(
    "text",
    [
        # Found by the property below: lists dense with full-width commas measured garbled, and
        # their Big5 readings ("笢ㄛ笢ㄛ") clean.
        "中，中，中，中，中中中，中中措，",
        "中，中，中中，中近，中中中，2024，07，",
        "中，美，日，俄，韩，朝，越，菲，澳，印，英，法",
        # ... and one whose Shift_JIS reading is half-width katakana ("2024｣ｬ").
        "2024，2024，2024，2024，2024，2024，中中中，2024，2024，2024“中，III，",
    ],
)
def test_chinese_dense_with_punctuation_is_read_or_asked_about_never_read_otherwise(text):
    decoded = decode_text(text.encode("gb18030"))
    assert decoded.text == text or (decoded.text is None and "gb18030" in decoded.alternatives)


def test_utf_8_of_combining_marks_on_nothing_is_a_question_when_gbk_reads_it_cleanly():
    # Found by the property: "太太太太" in GBK is valid UTF-8, four combining marks (U+032B).
    decoded = decode_text("太太太太\n".encode("gb18030"))
    assert decoded.text is None and {"utf_8", "gb18030"} <= set(decoded.alternatives)


def test_thai_that_is_valid_utf_8_of_letters_no_one_writes_is_a_question():
    # Found by the property: nine bytes outside ASCII, three Arabic Extended-B letters in UTF-8.
    decoded = decode_text("เกน เกน เกน ".encode("cp874"))
    assert decoded.text is None and {"utf_8", "cp874"} <= set(decoded.alternatives)
    # UTF-8 with one character a usual encoding writes stays UTF-8, emoji and all.
    assert decode_text("Zürich 東京 🚢 😀".encode()).encoding == "utf_8"


def test_a_thai_syllable_that_is_valid_utf_8_is_a_question_not_a_chinese_character():
    # Found by the CSV property (CI, a random seed): "ไธน" in Windows-874 is "丹" in UTF-8.
    decoded = decode_text("ไธน ".encode("cp874"))
    assert decoded.text is None and {"utf_8", "cp874"} <= set(decoded.alternatives)
    # Reverted once: "日" and "2023年" in UTF-8 read as clean Thai too; only UTF-8 whose every
    # character starts with a Thai leading vowel's byte is in doubt.
    for text in ("丹 中国", "日", "2023年", "中国海警"):
        assert decode_text(text.encode()).encoding == "utf_8", text


def test_a_windows_1251_text_starting_like_a_utf_16_mark_is_not_read_as_utf_16():
    # "яю" in Windows-1251 is FF FE, UTF-16's byte order mark: read as UTF-16, "яю 2024 " was
    # "㈠㈰‴" (found by the property test above at a random seed). UTF-16 text always has an
    # ASCII character once it is a list (commas, tabs, line ends, digits).
    decoded = decode_text("яю 2024 ".encode("cp1251"))
    assert decoded.text != "㈠㈰‴"
    assert decoded.text == "яю 2024 " or decoded.problem
    assert decode_text(codecs.BOM_UTF16_LE + "日本,1\n".encode("utf-16-le")).text == "日本,1\n"
