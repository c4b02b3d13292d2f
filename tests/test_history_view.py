"""An event's history as the store page shows it (layers/history.py): every text from the data
or a provider's claims is escaped, never markup or a link."""

import datetime as dt

from layers.history import history_html, notice_html, revision_html, text_html
from layers.store.revisions import Revision

AT = dt.datetime(2026, 12, 7, 1, 2, tzinfo=dt.UTC)


def feature(**properties):
    return {"type": "Feature", "properties": properties, "geometry": None}


def test_a_correction_shows_who_when_why_and_each_field_before_and_after():
    revision = Revision(
        "boso",
        2,
        "corrected",
        "ana@example.org",
        AT,
        "the release says 5 June",
        feature(id="boso", title="Old", start="2024-06-04"),
        feature(id="boso", title="Old", start="2024-06-05"),
    )
    shown = revision_html(revision)
    assert "revision 2, corrected by ana@example.org at 2026-12-07 01:02 UTC" in shown
    assert "the release says 5 June" in shown
    assert "<td>start</td><td>2024-06-04</td><td>2024-06-05</td>" in shown
    assert "<td>title</td>" not in shown  # unchanged fields are not listed


def test_text_from_the_data_and_the_claims_is_escaped_never_markup():
    hostile = '<img src=x onerror="alert(1)"><a href="javascript:x">www.evil.example</a>'
    revision = Revision(
        "boso",
        3,
        "retracted",
        hostile,
        AT,
        hostile,
        feature(id="boso", title=hostile, nations=["CHN"]),
        None,
    )
    for shown in (
        history_html([revision]),
        notice_html("error", hostile),
        text_html(hostile),
    ):
        assert "<img" not in shown and "<a " not in shown
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in shown
    # A list is shown as JSON text, and the retraction's after as —.
    assert "<td>nations</td><td>[&quot;CHN&quot;]</td><td>—</td>" in history_html([revision])


def test_a_first_save_says_how_many_fields_it_stored():
    revision = Revision(
        "boso", 1, "saved", "ana@example.org", AT, "", None, feature(id="boso", title="T")
    )
    assert "First stored, with 2 fields." in revision_html(revision)


def test_the_history_reads_in_the_readers_language_and_the_data_as_written():
    from layers.i18n import language

    revision = Revision(
        "boso",
        2,
        "corrected",
        "ana@example.org",
        AT,
        "the release says 5 June",
        feature(id="boso", title="Old", start="2024-06-04"),
        feature(id="boso", title="Old", start="2024-06-05"),
    )
    with language("ja"):
        shown = revision_html(revision)
        first = revision_html(
            Revision("boso", 1, "saved", "ana@example.org", AT, "", None, feature(id="boso"))
        )
    assert "第 2 版：ana@example.org が 2026-12-07 01:02 UTC に訂正：the release says" in shown
    assert "<th>項目</th><th>変更前</th><th>変更後</th>" in shown
    assert "<td>start</td><td>2024-06-04</td><td>2024-06-05</td>" in shown  # as written
    assert "初回保存（1 項目）。" in first
    with language("zh-TW"):
        shown = revision_html(revision)
    assert "第 2 版，由 ana@example.org 於 2026-12-07 01:02 UTC 更正：the release says" in shown
    assert "<th>欄位</th><th>變更前</th><th>變更後</th>" in shown
    # English as before.
    assert "revision 2, corrected by ana@example.org" in revision_html(revision)
