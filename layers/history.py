"""An event's history as the store page shows it: escaped HTML, every text from the data or
from a provider's claims shown as the characters it holds (Streamlit's Markdown would make an
email, "www." or "http:" in it a link even when escaped, so none of it goes through Markdown).

Pure Python: dashboard_ui/event_record.py hands the result to st.html. Its own words (the
table's heads, the revision's sentence) are in the page's language (layers/i18n.py); the
data's are as written.
"""

from __future__ import annotations

import html
import json

from layers.i18n import _, number
from layers.store.revisions import Revision

# A value longer than this is cut in the table (the whole is in `layers.db export --history`).
SHOWN_CHARACTERS = 300
STYLE = (
    "<style>.history p{margin:0.6rem 0 0.2rem}.history table{border-collapse:collapse;"
    "width:100%;font-size:0.85rem}.history td,.history th{border:1px solid #ddd;"
    "padding:2px 6px;vertical-align:top;text-align:left;overflow-wrap:anywhere}"
    ".history tr > :first-child{white-space:nowrap;overflow-wrap:normal}"
    ".history .note{color:#666;font-size:0.85rem}</style>"
)


def shown_value(value: object) -> str:
    """A field's value as text: text as it is, lists and objects as JSON, nothing as —; cut
    to SHOWN_CHARACTERS."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def changes_html(changes: list[tuple[str, object, object]]) -> str:
    """(field, before, after) rows as an escaped table ("" for none)."""
    if not changes:
        return ""
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(name)}</td><td>{esc(shown_value(before))}</td>"
        f"<td>{esc(shown_value(after))}</td></tr>"
        for name, before, after in changes
    )
    head = "".join(f"<th>{esc(word)}</th>" for word in (_("field"), _("before"), _("after")))
    return f"<table><tr>{head}</tr>{rows}</table>"


def revision_html(revision: Revision) -> str:
    """One revision: its sentence (who, what, when, why), then the fields it changed before →
    after; a first save or import says how many fields it stored instead of listing them."""
    changes = revision.changed_fields()
    head = f"<p>{html.escape(revision.sentence())}</p>"
    if revision.before is None and revision.action in ("saved", "imported"):
        note = _("First stored, with {count} fields.").format(count=number(len(changes)))
        return head + f'<div class="note">{html.escape(note)}</div>'
    return head + changes_html(changes)


def history_html(revisions: list[Revision]) -> str:
    """The revisions, newest first, in one block."""
    body = "".join(revision_html(revision) for revision in reversed(revisions))
    return f'{STYLE}<div class="history">{body}</div>'


def text_html(text: str, note: bool = False) -> str:
    """One line of text (an actor, a sentence) as escaped HTML."""
    style = ' style="color:#666;font-size:0.875rem;margin:0"' if note else ' style="margin:0"'
    return f"<p{style}>{html.escape(text)}</p>"


# The colours of Streamlit's own st.success / st.warning / st.error boxes (light theme).
NOTICE_COLOURS = {
    "success": ("#dff0e3", "#173928"),
    "warning": ("#fff6d6", "#4a3b00"),
    "error": ("#fde4e4", "#7d1a1a"),
}


def notice_html(kind: str, text: str) -> str:
    """A message box ("success", "warning" or "error") holding `text` as escaped text."""
    background, colour = NOTICE_COLOURS.get(kind, NOTICE_COLOURS["warning"])
    return (
        f'<div role="status" style="background:{background};color:{colour};padding:0.6rem '
        f'0.8rem;border-radius:0.5rem;margin:0.3rem 0">{html.escape(text)}</div>'
    )
