"""Navigational warnings: given in the sidebar (pasted, or a .txt or .csv file), read into
events, previewed in a step of their own, then added to this session's map."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath

import streamlit as st

from dashboard_ui.import_step import NONE, counted, nation_text, preview_panel
from dashboard_ui.text import markdown_text, text_table
from layers.export.tables import events_geojson
from layers.i18n import CLDR_LOCALES, N_, _, current_language, pgettext
from layers.nations import NATION_NAMES, nations_by_name
from layers.read.navwarn import (
    guess_warning_columns,
    read_items,
    table_items,
    warning_id,
    warning_rows,
)
from layers.read.navwarn.events import is_cancellation
from layers.read.navwarn.sources import completed, read_warning_source
from layers.read.schema import left_out_count
from layers.read.upload import (
    Upload,
    ids_taken,
    upload_label,
    upload_table,
    warnings_text,
    warnings_upload,
)

# Navigational warnings (layers.read.navwarn): pasted, or a .txt or .csv file of them.
# NGA's broadcast warnings come as .xml or .json (layers.read.navwarn.sources).
NAVWARN_TYPES = ["txt", "csv", "xml", "json"]
NAVWARN_PASTED = N_("pasted warnings")  # the name of the pasted batch (as the reader reads)
NAVWARN_DATES = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))  # the years the validator takes
NAVWARN_TABLE_ROWS = 12  # more warnings than this scroll in NAVWARN_TABLE_HEIGHT
NAVWARN_TABLE_HEIGHT = 480
# In the warnings' tables a line breaks at spaces only, never inside a number (闽航警0123/24):
# browsers break Chinese and Japanese text between any two characters.
NAVWARN_STYLE = (
    "<style>.st-key-navwarn_step td :is(div, p) "
    "{ word-break: keep-all !important; overflow-wrap: break-word !important; }</style>"
)
# The table of warnings read: its columns' headings (layers.read.navwarn.warning_rows' keys).
WARNING_HEADINGS = {
    "#": "#",
    "number": N_("number"),
    "issued by": N_("issued by"),
    "activity": N_("activity"),
    "dates": N_("dates"),
    "areas": N_("areas"),
    "cancellation": N_("cancellation"),
    "event": N_("event"),
    "problems": N_("problems"),
}
NAVWARN_PLACEHOLDER = (
    "闽航警0123/24，台湾海峡，…诸点连线范围内进行军事演习。\n\nFJ0987/24 TAIWAN STRAIT GUN FIRING …"
)


def warnings_form() -> dict | None:
    """ "Add navigational warnings" in the sidebar: pasted text or a .txt or .csv file of
    warnings (a CSV's columns chosen), a publication date for the years the text lacks, and
    the nations for warnings that do not say who issued them; the batches added, to remove.

    Returns what to read ({"name", "items", "problems", "nations", "download"}: its name in
    the table's file column, its `import_warnings` items, the problems met reading the file,
    the nations chosen, the download's file name), or None when nothing is given."""
    state = st.session_state
    with st.sidebar.expander(_("Add navigational warnings"), icon=":material/sailing:"):
        st.caption(
            _(
                "航行警告, NAVAREA, HYDROPAC, 航行警報 …: each warning's areas become an event "
                "(exercise, live fire, launch …), checked like the data on file and shown for "
                "this session only."
            )
        )
        text = st.text_area(
            _("Warnings, as published"),
            key="navwarn_text",
            height=130,
            placeholder=NAVWARN_PLACEHOLDER,
            help=_(
                "Paste them as they come, page headers and all: each warning starts at its "
                "number (闽航警0123/24, HYDROPAC 2381/26, 航行警報 第8号). Press Ctrl+Enter (or "
                "click away) to read them."
            ),
        )
        file = st.file_uploader(
            _("…or a file of them (.txt, .csv, NGA's .xml or .json)"),
            type=NAVWARN_TYPES,
            key=f"navwarn_file_{state.get('navwarn_files', 0)}",
            help=_(
                "A .txt holds warnings as published; a .csv one per row, in a column you "
                "choose; NGA's broadcast warnings (.xml, .json) one per record."
            ),
        )
        items, problems, names, records = [], [], [], []
        if text.strip():
            names.append(_(NAVWARN_PASTED))
        if file is not None:
            names.insert(0, file.name)
        name = unused_batch_name(_(" and ").join(names)) if names else ""
        download = (PurePath(file.name).stem if file is not None else "") or "warnings"
        table_columns = warnings_columns(file) if file is not None else None
        published = st.date_input(
            _("Published on (only for a year the text lacks)"),
            value=None,
            min_value=NAVWARN_DATES[0],
            max_value=NAVWARN_DATES[1],
            format="YYYY-MM-DD",
            key="navwarn_published",
            help=_(
                "A warning numbered …/24 carries its year. For one that does not, the year "
                "comes from this date (or a CSV's column of dates), never from today."
            ),
        )
        nations = st.multiselect(
            _("Issued by (where the text does not say), for all"),
            options=nations_by_name(NATION_NAMES, CLDR_LOCALES[current_language()]),
            format_func=nation_text,
            key="navwarn_nations",
            placeholder=_("Nobody: such warnings are left out"),
            help=_(
                "An MSA station's number says China, 航行警報 Japan; a NAVAREA or HYDROPAC "
                "warning often does not say: choose who issued it, here for all or in the "
                "warnings' step one by one. The reader does not guess."
            ),
        )
        if text.strip():
            items.append((text, None, published, None))
        if file is not None and table_columns is not None:
            table, column, url_column, published_column = table_columns
            found, more = table_items(
                table, upload_label(name), column, url_column, published_column, published
            )
            items += found
            problems += [*table.problems, *more]
        elif file is not None and PurePath(file.name).suffix.lower() in (".xml", ".json"):
            source = read_warning_source(file.name, file.getvalue(), upload_label(name))
            items += source.items()
            problems += source.problems
            records = source.records  # NGA's own word of a cancellation, kept
        elif file is not None:
            file_text, more = warnings_text(file.name, file.getvalue())
            items.append((file_text, None, published, None))
            problems += more
        for batch in state.get("navwarn_added", []):
            st.button(
                _("Remove {name} ({events})").format(
                    name=markdown_text(batch["name"]),
                    events=counted(len(batch["upload"].events), "event"),
                ),
                key=f"navwarn:remove:{batch['serial']}",
                on_click=remove_warnings,
                args=(batch["serial"],),
                icon=":material/close:",
                width="stretch",
            )
    if not names:
        return None
    return {
        "name": name,
        "items": items,
        "problems": problems,
        "nations": list(nations),
        "download": f"{download}.geojson",
        "records": records,
    }


def unused_batch_name(name: str) -> str:
    """A name no batch of warnings added in this session has ("pasted warnings (2)")."""
    used = {batch["name"] for batch in st.session_state.get("navwarn_added", [])}
    number, candidate = 1, name
    while candidate in used:
        number += 1
        candidate = f"{name} ({number})"
    return candidate


def warnings_columns(file) -> tuple | None:
    """For a CSV of warnings: its rows (read once) and the columns chosen for the text, the
    links and the publication dates, started from a guess. None for a text file."""
    if not file.name.lower().endswith(".csv"):
        return None
    state = st.session_state
    cache = state.setdefault("upload_cache", {})
    if ("navwarn", file.file_id) not in cache:
        table = upload_table(file.name, file.getvalue())
        cache[("navwarn", file.file_id)] = (table, guess_warning_columns(table))
    table, guess = cache[("navwarn", file.file_id)]
    if not table.columns:
        st.caption(_("No columns could be read from this file: see its problems."))
        return table, "", None, None
    prefix = f"navwarn:{file.file_id}:"
    choices = {}
    for part, label, options in (
        ("text", _("Column of the warnings' text"), list(table.columns)),
        ("url", _("Column of their links (optional)"), [NONE, *table.columns]),
        ("published", _("Column of their publication dates (optional)"), [NONE, *table.columns]),
    ):
        state.setdefault(prefix + part, guess[part] or options[0])
        chosen = st.selectbox(
            label,
            options,
            key=prefix + part,
            format_func=lambda option: _("— none —") if option == NONE else option,
        )
        choices[part] = None if chosen in (NONE, None) else chosen
    return table, choices["text"] or "", choices["url"], choices["published"]


def unsaid_issuers(pending: dict) -> list[tuple[str, str]]:
    """(warning id, number) of each warning read from `pending` whose text does not say who
    issued it and that could make an event (not a pure cancellation, not an in-force list),
    in order, each once; kept while the items stay the same."""
    key = hashlib.sha1(repr(pending["items"]).encode()).hexdigest()
    cached = st.session_state.get("navwarn_unsaid")
    if cached is None or cached[0] != key:
        found: dict[str, str] = {}
        for warning, *_rest in read_items(pending["items"]):
            if warning.nations or warning.in_force_list or is_cancellation(warning):
                continue
            found.setdefault(warning_id(warning), warning.number or warning.text[:40])
        cached = st.session_state["navwarn_unsaid"] = (key, list(found.items()))
    return cached[1]


def issuers_editor(unsaid: list[tuple[str, str]], nations: list[str]) -> dict[str, list[str]]:
    """A table of the warnings whose text does not say who issued them, each with a choice of
    nation (blank: the sidebar's choice for all, `nations`, or none); returns the choices made,
    {warning id: [code]}. The reader never guesses an issuer: the analyst says it, warning by
    warning (a NAVAREA XI warning relayed for Viet Nam is not Japan's)."""
    default = ", ".join(nations) if nations else _("nobody: left out")
    st.markdown(
        _("**Who issued them?** {warnings} do not say.").format(
            warnings=counted(len(unsaid), "warning")
        )
    )
    edited = st.data_editor(
        {"warning": [number for _id, number in unsaid], "issued by": [None] * len(unsaid)},
        key=f"navwarn:issuers:{hashlib.sha1(repr(unsaid).encode()).hexdigest()[:8]}",
        hide_index=True,
        disabled=["warning"],
        width="stretch",
        column_config={
            "warning": st.column_config.TextColumn(_("Warning")),
            "issued by": st.column_config.SelectboxColumn(
                _("Issued by"),
                options=nations_by_name(NATION_NAMES, CLDR_LOCALES[current_language()]),
                format_func=nation_text,
                help=_(
                    "The nation whose authority issued this warning. Blank: the sidebar's "
                    "choice for every warning ({default})."
                ).format(default=default),
            ),
        },
    )
    chosen = {}
    for (identifier, _number), code in zip(unsaid, edited["issued by"], strict=True):
        if isinstance(code, str) and code in NATION_NAMES:
            chosen[identifier] = [code]
    return chosen


def warnings_preview(pending: dict, geodata) -> tuple[Upload, list[dict[str, str]]]:
    """The warnings' events as an upload and one row per warning; read again only when the
    text, the choices or the ids already in use change."""
    taken = ids_taken(geodata.events, [])
    key = (
        hashlib.sha1(repr(sorted(pending.items())).encode()).hexdigest(),
        geodata.version,
        hash(tuple(taken.items())),
        current_language(),  # the rows' words are in the reader's language
    )
    cached = st.session_state.get("navwarn_preview")
    if cached is None or cached[0] != key:
        read = completed(read_items(pending["items"]), pending.get("records", []))
        upload = warnings_upload(
            pending["name"],
            pending["items"],
            pending["nations"],
            set(geodata.areas["id"]),
            taken,
            pending["problems"],
            pending.get("issuers"),
            read,
        )
        rows = warning_rows(
            read,
            pending["nations"],
            upload.problems,
            pending.get("issuers"),
        )
        cached = st.session_state["navwarn_preview"] = (key, upload, rows)
    return cached[1], cached[2]


def warnings_step(pending: dict, data: dict) -> None:
    """The warnings given in the sidebar, read: a row per warning, their areas on a preview
    map with the problems beside, then "Add to the map" and "Download GeoJSON"."""
    geodata = data["geodata"]
    with st.container(border=True, key="navwarn_step"):
        heading = st.container()
        unsaid = unsaid_issuers(pending)
        if unsaid:
            with st.columns([1.25, 1])[0]:
                pending = {**pending, "issuers": issuers_editor(unsaid, pending["nations"])}
        upload, rows = warnings_preview(pending, geodata)
        events, problems = upload.events, upload.problems
        warnings_table(heading, pending, rows, events, problems)
        fit = None
        if len(events) > 1:
            with st.columns([1.25, 1], gap="medium")[0]:
                fit = warnings_focus(events)
        preview_panel("navwarn:map", events, problems, "warning", geodata.areas, fit)
        warnings_buttons(pending, upload, geodata.version)


def warnings_table(heading, pending: dict, rows: list[dict], events, problems) -> None:
    """The step's heading and its table of warnings read, in `heading` (a container placed
    above the issuers' editor, which must run first)."""
    with heading:
        st.html(NAVWARN_STYLE)
        st.subheader(_("Navigational warnings"), anchor=False)
        st.caption(
            _(
                "Read from {name}. Check each reading against its text (each event's summary "
                "holds it); say who issued the warnings whose text does not, below or in the "
                "sidebar. Nothing is saved: add the events to this session's map, or download "
                "them."
            ).format(name=markdown_text(pending["name"]))
        )
        st.markdown(
            _("**{warnings}** found: {events}, {problems}").format(
                warnings=counted(len(rows), "warning"),
                events=counted(len(events), "event"),
                problems=counted(len(problems), "problem"),
            )
        )
        if rows:
            text_table(
                {
                    _(WARNING_HEADINGS.get(name, name)): [row[name] for row in rows]
                    for name in rows[0]
                },
                height=NAVWARN_TABLE_HEIGHT if len(rows) > NAVWARN_TABLE_ROWS else "content",
            )
        else:
            st.info(
                _(
                    "No warning found: each warning starts at its number (闽航警0123/24, "
                    "NAVAREA XI 0540/24); in a CSV, choose the column that holds their text."
                )
            )


def warnings_buttons(pending: dict, upload: Upload, version: str) -> None:
    """ "Add to the map" and "Download GeoJSON" for the warnings' events."""
    events = upload.events
    add_column, geojson_column = st.columns(2)
    add_column.button(
        _("Add to the map"),
        type="primary",
        key="navwarn:add",
        disabled=events.empty,
        width="stretch",
        on_click=add_warnings,
        args=(pending, upload, version),
        help=_("Adds the events to this session's map, marked uploaded; nothing is saved."),
    )
    geojson_column.download_button(
        _("Download GeoJSON"),
        lambda: events_geojson(events),
        file_name=pending["download"],
        mime="application/geo+json",
        key="navwarn:geojson",
        on_click="ignore",
        disabled=events.empty,
        width="stretch",
        help=_("The events, checked by the validator, ready for geodata/events/."),
    )


def warnings_focus(events):
    """A choice of the warning whose areas the preview map zooms to (areas a few miles across
    are specks when the map holds warnings from Hainan to Boso); returns its event, or None
    for all."""
    key = "navwarn:focus"
    options = [NONE, *events["id"]]
    if st.session_state.get(key) not in options:
        st.session_state[key] = NONE
    titles = dict(zip(events["id"], events["title"], strict=False))
    chosen = st.selectbox(
        _("Preview map shows"),
        options,
        format_func=lambda option: _("every warning's areas") if option == NONE else titles[option],
        key=key,
    )
    return None if chosen in (NONE, None) else events[events["id"] == chosen]


def add_warnings(pending: dict, upload: Upload, version: str) -> None:
    """Keep the previewed warnings' events on this session's map; empty the inputs."""
    state = st.session_state
    added = state.setdefault("navwarn_added", [])
    serial = state["navwarn_serial"] = state.get("navwarn_serial", 0) + 1
    added.append({**pending, "upload": upload, "version": version, "serial": serial})
    state["navwarn_text"] = ""
    state["navwarn_files"] = state.get("navwarn_files", 0) + 1  # a new, empty file uploader
    left_out = left_out_count(upload.problems)
    flash = _("Added {events} from {file}").format(
        events=counted(len(upload.events), "event"), file=markdown_text(pending["name"])
    )
    if left_out:
        flash += _("; {warnings} left out (see Data problems).").format(
            warnings=counted(left_out, "warning")
        )
    else:
        flash += pgettext("end of a sentence", ".")
    state["import_flash"] = flash


def remove_warnings(serial: int) -> None:
    state = st.session_state
    state["navwarn_added"] = [
        batch for batch in state.get("navwarn_added", []) if batch["serial"] != serial
    ]
