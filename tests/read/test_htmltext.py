"""KML descriptions (HTML by the KML reference) come out as the text their balloon shows."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_geo import kml, placemark

from layers.read.htmltext import html_text
from layers.read.sources import read_source


@pytest.mark.parametrize(
    ("written", "text"),
    [
        ("CANADA-NORTH COAST.<br>BEAUFORT SEA.", "CANADA-NORTH COAST.\nBEAUFORT SEA."),
        ("<B>NORWAY.<br />\n   DNC 22.</B>", "NORWAY.\nDNC 22."),  # a tag and a line: one break
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("A&amp;B &lt;C&gt; &#x4E2D;", "A&B <C> 中"),
        ("x<script>alert(1)</script><img src='http://t/x.png'>y", "xy"),
        ("depth < 40 m, AT&T", "depth < 40 m, AT&T"),  # no markup: as written
        (
            "21-23.00N 108-47.40E\n21-23.00N 108-58.00E",
            "21-23.00N 108-47.40E\n21-23.00N 108-58.00E",
        ),
    ],
)
def test_html_becomes_the_text_it_shows(written, text):
    assert html_text(written) == text


@pytest.mark.parametrize(
    ("written", "text"),
    [
        (  # a link's address was dropped: often a report's only source
            'Sighted by JSO. <a href="https://www.mod.go.jp/js/pdf/2024/p.pdf">Source</a>',
            "Sighted by JSO. Source (https://www.mod.go.jp/js/pdf/2024/p.pdf)",
        ),
        (  # entities in the address are the address's characters
            '<a href="https://a.gov/q?id=7&amp;lang=en">report</a>',
            "report (https://a.gov/q?id=7&lang=en)",
        ),
        ('<a href="mailto:ops@a.gov">duty officer</a>', "duty officer (mailto:ops@a.gov)"),
        ('<a href="https://a.gov/x">https://a.gov/x</a>', "https://a.gov/x"),  # said once
        ('<a href="https://www.a.gov/x/">a.gov/x</a>', "a.gov/x"),
        ('<a href="https://a.gov/p"><img src="p.png" alt="logo"></a>', "https://a.gov/p"),
        (
            '<a href="https://a.gov/1">one</a><br><a href="HTTP://b.gov/2">two',
            "one (https://a.gov/1)\ntwo (HTTP://b.gov/2)",
        ),
        # Addresses that are no web or mail address are dropped, their text kept.
        ('<a href="javascript:alert(1)">click</a> here', "click here"),
        ('<a href="files/chart.png">chart</a>', "chart"),
        # What no HTML element is named is the writer's text (a browser would hide it).
        # (A KML's "Vessel &lt;Type 052D&gt; sighted" is this text once the XML is read.)
        ("Vessel <Type 052D> sighted<br>", "Vessel <Type 052D> sighted"),
        ("<b>CCG</b> <CCG 2301> and <Haijing 2502/>", "CCG <CCG 2301> and <Haijing 2502/>"),
        ("<p>Kuroshio<o:p></o:p></p>", "Kuroshio"),  # Word's markup is markup
    ],
)
def test_a_link_keeps_its_address_and_text_that_looks_like_a_tag_is_kept(written, text):
    assert html_text(written) == text


@pytest.mark.parametrize(
    ("description", "text"),
    [
        # Escaped HTML, as Google Earth writes it.
        ("&lt;b&gt;EN&lt;/b&gt;&lt;br&gt;CANADA-NORTH COAST.", "EN\nCANADA-NORTH COAST."),
        # CDATA.
        ("<![CDATA[EN<br>CANADA-NORTH COAST.]]>", "EN\nCANADA-NORTH COAST."),
        # Elements written into the KML as they are (NGA's KML export does): "EN" and
        # "CANADA" were joined into "ENCANADA" when the tags were dropped.
        ("EN<br />CANADA-NORTH COAST.<br />中文", "EN\nCANADA-NORTH COAST.\n中文"),
        # Both at once.
        (
            "&lt;B&gt;NORWAY.&lt;br&gt; DNC 22.&lt;/B&gt;<br /><br />中文",
            "NORWAY.\nDNC 22.\n\n中文",
        ),
        # A link in CDATA, as My Maps and QGIS write it.
        (
            '<![CDATA[Sighted by JSO. <a href="https://www.mod.go.jp/p.pdf">Source</a>]]>',
            "Sighted by JSO. Source (https://www.mod.go.jp/p.pdf)",
        ),
    ],
)
def test_a_kml_description_is_read_as_the_text_its_balloon_shows(description, text):
    raw = kml(placemark("Warning", f"<description>{description}</description>"))
    ((_, row),) = read_source("w.kml", raw, "w.kml").rows
    assert row["description"] == text


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(max_size=200))
def test_any_text_gives_text_and_text_without_markup_is_kept(text):
    result = html_text(text)
    assert isinstance(result, str)
    if "<" not in text and "&" not in text:
        assert result == text
