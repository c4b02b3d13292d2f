"""A stored event's record on the shared store page, under its details: its history (who,
when, why, what changed), and for editors a correction form and a retraction.

No lost update: the form is filled from the revision the page read when the editor opened it,
and the store refuses a correction or retraction of any other revision (StaleRevision); the
refusal shows the other editor's change and keeps what this editor typed. Every text from
the data, the history or a provider's claims is shown as text (escaped HTML built by
layers/history.py, or the value of a form field), never as markup or a link.
"""

from __future__ import annotations

import pandas as pd
import psycopg
import streamlit as st

from dashboard_ui.access import Access, current_access
from dashboard_ui.store import first_line, write_mark
from layers.auth import Role
from layers.history import history_html, notice_html, text_html
from layers.i18n import Message, _, localized, ngettext
from layers.read.schema import KINDS

SOURCE_FIELDS = ("title", "publisher", "published", "url")


def show_event_record(store, event_id: str, access: Access, area_ids: list[str]) -> None:
    """The record of a stored (or retracted) event: any message about the last correction,
    its history, and for editors the correction and retraction forms."""
    state = st.session_state
    for kind, text in state.pop(f"record_flash:{event_id}", []):
        st.html(notice_html(kind, text))
    stale = state.get("stale", {}).get(event_id)
    if stale is not None:
        show_refusal(event_id, stale)
    history = store.history(event_id)
    if history and history[-1].action == "retracted":
        st.html(
            text_html(
                _("Retracted: {sentence}. Kept in the history.").format(
                    sentence=history[-1].sentence()
                ),
                True,
            )
        )
    if history:
        show_history(history)
    current = history[-1] if history and history[-1].action != "retracted" else None
    if current is None or current.after is None:
        return
    if not access.may(Role.EDITOR):
        if access.configured and not access.signed_in:
            st.caption(_("Editors sign in to correct or retract an event."))
        return
    # Only the open event's read is kept: opening another event and coming back reads afresh
    # (what was typed in a closed panel is gone with its widgets anyway).
    editing = state["editing"] = {
        key: value for key, value in state.get("editing", {}).items() if key == event_id
    }
    if event_id not in editing:
        # What the page read: the form starts from it and the store is asked to change it only.
        editing[event_id] = (current.number, current.after)
    read_number, read_feature = editing[event_id]
    if read_number != current.number and stale is None:
        st.warning(
            _(
                "Changed since you opened it (you have revision {yours}, the store "
                "{theirs}): a correction from your form will be refused and their "
                "change shown."
            ).format(yours=read_number, theirs=current.number)
        )
    correction_form(store, event_id, read_number, read_feature, access, area_ids)
    retraction_form(store, event_id, read_number, access)


def show_history(history) -> None:
    """The event's revisions, newest first: who, when, why, and each changed field before →
    after (layers/history.py, escaped HTML)."""
    label = ngettext(
        "History: {count} revision", "History: {count} revisions", len(history)
    ).format(count=len(history))
    with st.expander(label, key=f"open_history_{history[0].event_id}", on_change="rerun") as box:
        if box.open:
            st.html(history_html(history))


def show_refusal(event_id: str, newer) -> None:
    """A correction or retraction refused: who changed the event since, and what."""
    st.error(
        _(
            "Not saved: another editor changed this event after you opened it. Their change "
            "is below; your form still holds what you typed. Start again from their version "
            "to correct it."
        )
    )
    st.html(history_html(list(newer)))
    st.button(
        _("Start again from their version"),
        key=f"restart_{event_id}",
        on_click=start_again,
        args=(event_id,),
    )


def start_again(event_id: str) -> None:
    state = st.session_state
    state.setdefault("editing", {}).pop(event_id, None)
    state.setdefault("stale", {}).pop(event_id, None)


def _key(name: str, event_id: str, number: int) -> str:
    # The revision read is in each field's key: starting again from a newer one fills the
    # form afresh, while a refusal leaves what the editor typed.
    return f"fix_{name}_{number}_{event_id}"


def correction_form(store, event_id, number, feature, access, area_ids) -> None:
    """The form of the event's fields as the page read them (revision `number`)."""
    properties = feature.get("properties", {})
    with (
        # Keyed and tracked: it stays open across the reruns a refusal or a message makes.
        st.expander(_("Correct this event"), key=f"open_correct_{event_id}", on_change="rerun"),
        st.form(key=f"correct_{number}_{event_id}", border=False),
    ):
        st.text_input(_("Title"), properties.get("title", ""), key=_key("title", event_id, number))
        st.text_area(
            _("Summary"), properties.get("summary", ""), key=_key("summary", event_id, number)
        )
        kind = properties.get("kind")
        kinds = list(KINDS) if kind in KINDS else [kind, *KINDS]
        st.selectbox(
            _("Kind"),
            kinds,
            index=kinds.index(kind),
            key=_key("kind", event_id, number),
        )
        st.text_input(
            _("Start, as the source gives it"),
            properties.get("start", ""),
            key=_key("start", event_id, number),
            help=_("2024-06-05, 2024-06 or 2024; or 2024-07-18T02:00Z (docs/data-format.md)"),
        )
        st.text_input(
            _("End, as the source gives it (blank: the start's period)"),
            properties.get("end", ""),
            key=_key("end", event_id, number),
        )
        st.text_input(
            _("Nations (ISO 3166-1 alpha-3 codes, comma-separated)"),
            ", ".join(properties.get("nations", [])),
            key=_key("nations", event_id, number),
        )
        st.text_area(
            _("Forces (one per line)"),
            "\n".join(properties.get("forces", [])),
            key=_key("forces", event_id, number),
        )
        area = properties.get("area", "")
        none_word = _("(none)")
        areas = ["", *area_ids] if area in ("", *area_ids) else ["", area, *area_ids]
        st.selectbox(
            _("Area"),
            areas,
            index=areas.index(area),
            format_func=lambda value: value or none_word,
            key=_key("area", event_id, number),
        )
        st.data_editor(
            pd.DataFrame(
                [
                    {name: source.get(name) or "" for name in SOURCE_FIELDS}
                    for source in properties.get("sources", [])
                ],
                columns=list(SOURCE_FIELDS),
                dtype=str,
            ),
            num_rows="dynamic",
            hide_index=True,
            key=_key("sources", event_id, number),
            width="stretch",
        )
        st.text_input(
            _("Why (recorded in the history)"),
            key=_key("reason", event_id, number),
            placeholder=_("e.g. the ministry's corrected release gives 5 June"),
        )
        st.form_submit_button(
            _("Save correction"),
            type="primary",
            on_click=submit_correction,
            args=(store, event_id, number, feature, access.actor),
        )


def edited_feature(event_id: str, number: int, feature: dict) -> dict:
    """The feature read, with the form's fields in place of its own (the fields the form does
    not offer, such as the geometry, counts and sides, are kept as read)."""
    state = st.session_state
    properties = {
        name: value for name, value in feature.get("properties", {}).items() if name != "zones"
    }

    def field(name: str) -> str:
        value = state.get(_key(name, event_id, number))
        return value if isinstance(value, str) else ""

    properties["title"] = field("title").strip()
    properties["summary"] = field("summary").strip()
    properties["kind"] = state.get(_key("kind", event_id, number))
    properties["start"] = field("start").strip()
    end = field("end").strip()
    if end:
        properties["end"] = end
    else:
        properties.pop("end", None)
    properties["nations"] = [code.strip() for code in field("nations").split(",") if code.strip()]
    forces = [line.strip() for line in field("forces").splitlines() if line.strip()]
    if forces:
        properties["forces"] = forces
    else:
        properties.pop("forces", None)
    area = state.get(_key("area", event_id, number)) or ""
    if area:
        properties["area"] = area
    else:
        properties.pop("area", None)
    properties["sources"] = edited_sources(
        feature.get("properties", {}).get("sources", []),
        state.get(_key("sources", event_id, number)) or {},
    )
    return {"type": "Feature", "properties": properties, "geometry": feature.get("geometry")}


def edited_sources(sources: list, edits: dict) -> list[dict]:
    """The sources after the table's edits (st.data_editor's state: edited_rows, added_rows,
    deleted_rows); a field left blank is left out, a row with no field at all dropped."""
    rows = [{name: source.get(name) or "" for name in SOURCE_FIELDS} for source in sources]
    for position, changes in (edits.get("edited_rows") or {}).items():
        rows[int(position)].update({k: v or "" for k, v in changes.items() if k in SOURCE_FIELDS})
    deleted = set(edits.get("deleted_rows") or [])
    rows = [row for position, row in enumerate(rows) if position not in deleted]
    for added in edits.get("added_rows") or []:
        rows.append({name: added.get(name) or "" for name in SOURCE_FIELDS})
    result = []
    for row in rows:
        kept = {name: str(value).strip() for name, value in row.items() if str(value).strip()}
        if kept:
            result.append(kept)
    return result


def submit_correction(store, event_id: str, number: int, feature: dict, actor: str) -> None:
    """Ask the store to correct the event from revision `number`; say what happened."""
    from layers.store.postgis import InvalidEvent, StaleRevision, StoreError, UnknownEvent

    state = st.session_state
    flash = state.setdefault(f"record_flash:{event_id}", [])
    access = current_access()
    if not access.may(Role.EDITOR) or access.actor != actor:
        flash.append(("error", _("Not saved: correcting an event needs an editor signed in.")))
        return
    reason = (state.get(_key("reason", event_id, number)) or "").strip()
    try:
        # A callback runs before the page's script: the session is bound here too, so its
        # next reads reach this correction (hot standbys, layers/store/replicas.py).
        with store.session(write_mark()):
            revision = store.correct_event(
                event_id, edited_feature(event_id, number, feature), number, actor, reason
            )
    except StaleRevision as stale:
        state.setdefault("stale", {})[event_id] = stale.newer
        return
    except (InvalidEvent, UnknownEvent) as error:
        flash.append(("error", _("Not saved: {reason}").format(reason=reason_text(error))))
        return
    except StoreError as error:
        flash.append(("error", _("Not saved: {reason}").format(reason=reason_text(error))))
        return
    except psycopg.Error as error:  # e.g. a right the app's role lacks: one line, no trace
        flash.append(
            (
                "error",
                _("Not saved: the database refused it: {reason}").format(reason=first_line(error)),
            )
        )
        return
    state["editing"].pop(event_id, None)
    state.setdefault("stale", {}).pop(event_id, None)
    changed = ", ".join(name for name, _before, _after in revision.changed_fields())
    flash.append(
        (
            "success",
            _("Corrected ({fields}): {sentence}").format(
                fields=changed, sentence=revision.sentence()
            ),
        )
    )


def reason_text(error: Exception) -> str:
    """Why the store refused, in the reader's language where the store said it as a Message
    (layers.i18n), else as it said it."""
    said = error.args[0] if len(error.args) == 1 else None
    return localized(said) if isinstance(said, Message) else str(error)


def retraction_form(store, event_id: str, number: int, access: Access) -> None:
    """Retract the event (it leaves the map; its history stays), a reason required."""
    with (
        st.expander(_("Retract this event"), key=f"open_retract_{event_id}", on_change="rerun"),
        st.form(key=f"retract_{number}_{event_id}", border=False),
    ):
        st.text_input(
            _("Why retract it (required, recorded in the history)"),
            key=_key("retract_reason", event_id, number),
        )
        st.form_submit_button(
            _("Retract event"),
            on_click=submit_retraction,
            args=(store, event_id, number, access.actor),
        )


def submit_retraction(store, event_id: str, number: int, actor: str) -> None:
    from layers.store.postgis import InvalidEvent, StaleRevision, StoreError, UnknownEvent

    state = st.session_state
    flash = state.setdefault(f"record_flash:{event_id}", [])
    access = current_access()
    if not access.may(Role.EDITOR) or access.actor != actor:
        flash.append(("error", _("Not retracted: retracting an event needs an editor signed in.")))
        return
    reason = (state.get(_key("retract_reason", event_id, number)) or "").strip()
    if not reason:
        flash.append(("error", _("Not retracted: say why (the history keeps the reason).")))
        return
    try:
        with store.session(write_mark()):
            revision = store.retract_event(event_id, number, actor, reason)
    except StaleRevision as stale:
        state.setdefault("stale", {})[event_id] = stale.newer
        return
    except (InvalidEvent, UnknownEvent, StoreError) as error:
        flash.append(("error", _("Not retracted: {reason}").format(reason=reason_text(error))))
        return
    except psycopg.Error as error:
        flash.append(
            (
                "error",
                _("Not retracted: the database refused it: {reason}").format(
                    reason=first_line(error)
                ),
            )
        )
        return
    state["editing"].pop(event_id, None)
    flash.append(
        (
            "success",
            _("Retracted; it has left the map, its history is kept: {sentence}").format(
                sentence=revision.sentence()
            ),
        )
    )
