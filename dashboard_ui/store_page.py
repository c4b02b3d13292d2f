"""The page when the events are in the shared store (EVENTS_DB): the files page's layout, the
filters asked of the store, and Save to the shared store for the session's uploads."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard_ui.access import (
    Access,
    admin_box,
    current_access,
    localized_problem,
    role_name,
    sign_in_box,
)
from dashboard_ui.analyses import show_area_activity, show_comparison, show_partners
from dashboard_ui.details import show_details
from dashboard_ui.drawn import (
    apply_drawings,
    drawn_problems,
    forget_failed_zones,
    session_shapes,
    shapes_panel,
    with_drawn_shapes,
)
from dashboard_ui.event_record import show_event_record
from dashboard_ui.import_step import import_step
from dashboard_ui.map_area import map_panel
from dashboard_ui.messages import show_problems
from dashboard_ui.navwarn import warnings_step
from dashboard_ui.session import (
    query_params_all,
    session_started,
    start_session,
    view_for_this_run,
)
from dashboard_ui.sidebar import sidebar
from dashboard_ui.store import (
    CONNECTING,
    LAST_DATA,
    LAST_READ,
    READING,
    SessionStore,
    first_line,
    open_store,
    outage_banner,
    process_memory,
    store_data,
    store_down,
    store_map_window,
    went_down,
    write_mark,
)
from dashboard_ui.table import TABLE_LIMIT, draw_table, handle_table_selection
from dashboard_ui.text import markdown_text
from dashboard_ui.timeline import draw_timeline
from dashboard_ui.uploads import current_warnings, session_uploads, session_warnings, with_uploads
from layers.analysis.coalitions import nation_sets
from layers.auth import Role
from layers.dates import month_bounds
from layers.export.tables import events_csv, events_geojson
from layers.filters import filter_events, month_range, monthly_counts, nation_rows, zone_rows
from layers.i18n import (
    Message,
    _,
    current_language,
    localized,
    month_text,
    ngettext,
    number,
)
from layers.read.schema import Problem
from layers.read.upload import Upload
from layers.shapes import SHAPE_ID
from layers.view import View, linked_event_id

# --- The shared store (EVENTS_DB=postgresql://…): layers/store/ -------------------------------
# The events live in PostGIS; the process holds the store's summary (months, timeline counts,
# nations and zones present) and what each view shows: the table's first rows, the map's
# events or counts per cell, the analyses' columns up to FACTS_LIMIT. The session's own uploads
# stay in the session, filtered in memory, until an analyst saves them to the store.
EVENTS_DB = "EVENTS_DB"
# A download from the shared store holds at most this many events (the first in date order).
STORE_DOWNLOAD_LIMIT = 100_000


def shared_store_main(url: str) -> None:
    """The page when the events are in the shared store: main()'s layout, the filters asked
    of the store, and "Save to the shared store" for the session's uploads.

    When the store is unavailable (StoreUnavailable: down, restarting, locked or slow past the
    timeouts) the page keeps its widgets, uploads and import steps and shows what it last read
    under a banner (outage_banner), which brings the page back when the store answers."""
    import psycopg

    from layers.store.postgis import StoreError, StoreUnavailable

    banner = st.container()
    try:
        with st.spinner(_(CONNECTING)):
            raw, __ = open_store(url)
    except StoreUnavailable as error:
        # This process never reached the store: nothing read to show, only the banner.
        went_down(error)
        with banner:
            outage_banner(url)
        return
    except (StoreError, psycopg.OperationalError) as error:
        st.error(
            _("The shared events database cannot be used now: {reason}").format(
                reason=first_line(error)
            )
        )
        return
    # The session's reads reach its own last save (hot standbys: layers/store/replicas.py).
    with raw.session(write_mark()):
        _shared_store_run(url, raw, banner)


def _shared_store_run(url: str, raw, banner) -> None:
    """shared_store_main's run once the process holds the store: the page from what the store
    answers, or from what this session (or process) last read, under the outage banner."""
    import psycopg

    from layers.store.postgis import StoreError, StoreUnavailable

    state = st.session_state
    store = SessionStore(raw)
    memory = process_memory(url)
    try:
        version = store.version()
        with st.spinner(_(READING)):
            data = store_data(url, version)
    except StoreUnavailable as error:
        went_down(error)
        # The store's summary and areas this session last read, or this process did.
        data = state.get(LAST_DATA) or memory.get("data")
    except (StoreError, psycopg.OperationalError) as error:
        st.error(
            _("The shared events database cannot be used now: {reason}").format(
                reason=first_line(error)
            )
        )
        return
    else:
        state[LAST_DATA] = memory["data"] = data
    if data is not None:
        shared_store_page(url, store, data)
    if store_down():
        with banner:
            outage_banner(url)


def shared_store_page(url: str, store, data: dict) -> None:
    from layers.store.view import combined_shown, store_summaries, table_rows

    uploads, waiting = session_uploads(data, current_warnings(data))
    uploads += session_warnings(data, uploads)
    uploads = without_stored(store, uploads)
    data = with_uploads(data, uploads)
    geodata = data["geodata"]
    own = geodata.events  # this session's uploads, not yet in the store
    if len(own):
        data = data | store_summaries(data["summary"], own)
    total = data["summary"].total + len(own)
    access = current_access()
    sign_in_box(access)
    admin_box(store, access)

    if not session_started():
        params = query_params_all()
        # Only an id's form is looked up: whatever else a link holds never reaches SQL.
        linked = [event_id] if (event_id := linked_event_id(params)) else []
        known = [*own["id"], *store.stored_files(linked)] if linked else list(own["id"])
        if linked and store_down():
            known += linked  # unknown until the store answers: its details will say so
        # The store's figures are counted in the database (GROUP BYs over events): they count
        # events, and a link's measure says so rather than being taken as a count it lacks.
        measure = params.pop("measure", None)
        linked, link_warnings = View.from_query(
            params, area_ids=geodata.areas["id"], event_ids=known
        )
        if measure and measure != ["events"]:
            link_warnings.append(
                _(
                    "Link parameter 'measure': the shared store's figures count events; counts "
                    "are kept with each event but not added up there yet"
                )
            )
        if linked.start_day or linked.end_day:
            # The store counts by month (its derived tables): a link's days show their months.
            link_warnings.append(
                _(
                    "Link parameters 'start'/'end': the shared store chooses months, not days; "
                    "showing the months the days fall in"
                )
            )
            linked = replace(linked, start_day=None, end_day=None)
        drawn_zones = [zone for zone in linked.zones if SHAPE_ID.match(zone)]
        if drawn_zones:
            link_warnings.append(
                _(
                    "Link parameter 'zones': the drawn shapes {shapes} do not filter the shared "
                    "store's events (its filters run in the database, on the stored areas); they "
                    "are drawn and measured, and saved for the team they do"
                ).format(shapes=", ".join(drawn_zones))
            )
            linked = replace(linked, zones=tuple(z for z in linked.zones if z not in drawn_zones))
        start_session((linked, link_warnings), data)
    # Drawn shapes are drawn, measured and listed as layers here; zones once saved.
    apply_drawings(as_zones=False)
    data = with_drawn_shapes(data, session_shapes(), as_zones=False)
    forget_failed_zones(data)
    geodata = data["geodata"]
    view = view_for_this_run(data)
    own_shown = filter_events(own, view, data["nation_rows"], data["zone_rows"])
    # The table's rows as the last full run listed them: what a selected row points at.
    handle_table_selection(pd.Series(st.session_state.get("table_ids", []), dtype="str"))
    view = replace(view, event=st.session_state["event"])
    first, last = month_range(view, data["months"])
    chosen_months = [month for month in data["months"] if first <= month <= last] if first else []
    # The map's counts are read while the sidebar's are; the map takes them when it asks.
    store.prefetch_cells(view, store_map_window(view), chosen_months)
    shown = combined_shown(store.shown(view, chosen_months), own_shown, chosen_months)

    # A session that read no count before the store became unavailable has none to show.
    unknown = store_down() and "shown" not in st.session_state.get(LAST_READ, {})
    pending_warnings = sidebar(data, None if unknown else shown.count, total, days=False)
    with st.container():
        for warning in st.session_state.get("link_warnings", []):
            st.warning(localized(warning))
        show_problems(geodata.problems)
        for line in drawn_problems(data):  # a drawn shape that is no zone
            st.warning(markdown_text(line))
        flash = st.session_state.pop("import_flash", None)
        if flash:
            st.success(flash)
        for problem_text in st.session_state.pop("save_problems", []):
            st.warning(problem_text)
        for name in st.session_state.get("unused_mappings", []):
            st.info(
                _(
                    "The mapping {name} goes with no data file: upload it with its list, named "
                    "after it (transits.csv: transits.toml or transits.mapping.toml)."
                ).format(name=markdown_text(name))
            )
        save_to_store_action(store, uploads, access)
        if view.density or view.show == "change":
            st.caption(
                _(
                    "The event density layer, the change map and Export view are not drawn from "
                    "the shared store yet: the map shows the events as usual."
                )
            )
        if shown.count == 0 and not store_down():
            st.info(
                _("No events match these filters. Widen the months, nations or kinds, or reset.")
            )
    with st.container():
        if waiting:
            import_step(waiting, data)
        if pending_warnings:
            warnings_step(pending_warnings, data)

    with st.container(key="map_area"):
        map_panel(own_shown.index, data | {"store_shown": shown, "store_url": url}, chosen_months)
        if view.event is not None:
            with st.container(key="details_panel"):
                shared_store_details(store, view, own, own_shown, data, access)

    if st.session_state["full_runs"] == 1:
        st.caption(_("The timeline and the table follow as soon as the map has drawn…"))
        return
    st.subheader(_("Timeline"))
    if data["months"]:
        everything = shown.count == total
        shown_counts = data["monthly_counts"]
        if not everything:
            shown_counts = (
                pd.concat(
                    [
                        store.monthly_counts(view, data["months"]),
                        monthly_counts(own_shown, data["months"]),
                    ]
                )
                .groupby(["month", "kind"], as_index=False, sort=False)["events"]
                .sum()
            )
        draw_timeline(
            shown_counts,
            data["months"],
            first,
            last,
            totals=None if everything else data["month_totals"],
        )
    shapes_panel(data, view, store=store)
    rows = table_rows(store, view, own_shown, TABLE_LIMIT)
    st.session_state["table_ids"] = list(rows["id"])
    draw_table(rows, shown.count, data)
    shared_store_downloads(store, view, own_shown, shown.count)
    shared_store_analyses(store, view, own_shown, data, first, last)
    st.caption(store_caption(data["summary"], len(geodata.areas)))


def store_caption(summary, areas: int) -> str:
    """The page's last line: the store's version, events, months and named areas (months as
    the sidebar writes them: ISO in English, the reader's own form otherwise)."""
    if summary.months:
        first, last = summary.months[0], summary.months[-1]
        if current_language() != "en":
            first, last = month_text(first), month_text(last)
        text = _(
            "Shared store version {version}: {count} events from {first} to {last}, {areas} "
            "named areas."
        )
    else:
        first = last = ""
        text = _("Shared store version {version}: {count} events, {areas} named areas.")
    return text.format(
        version=summary.version,
        count=number(summary.total),
        first=first,
        last=last,
        areas=number(areas),
    )


def without_stored(store, uploads: list[Upload]) -> list[Upload]:
    """The uploads less the events whose id is already in the store: those this session saved
    are dropped quietly (the store shows them now); any other is a problem, as an id on file is
    on the files path, so no event shows twice."""
    from layers.store.postgis import quoted

    ids = [event_id for upload in uploads for event_id in upload.events["id"]]
    if not ids:
        return uploads
    stored = store.stored_files(ids)
    if not stored:
        return uploads
    saved = st.session_state.get("saved_ids", set())
    result = []
    for upload in uploads:
        taken = upload.events["id"].isin(list(stored)).to_numpy()
        if not taken.any():
            result.append(upload)
            continue
        problems = [
            Problem(
                upload.label,
                Message(
                    "{id} is already used in {file} (shared store); ids must be unique",
                    id=quoted(event_id),
                    file=stored[event_id],
                ),
                f"feature {json.dumps(event_id)}",
                "id",
            )
            for event_id in upload.events.loc[taken, "id"]
            if event_id not in saved
        ]
        result.append(
            replace(upload, events=upload.events[~taken], problems=[*upload.problems, *problems])
        )
    return result


def save_to_store_action(store, uploads: list[Upload], access: Access) -> None:
    """ "Save to the shared store": the session's uploaded and imported events, for every
    analyst (their next rerun shows them), offered to editors only (docs/teams.md) and filed
    under the signed-in editor's name. An id already stored is reported, never overwritten."""
    waiting = [upload for upload in uploads if len(upload.events)]
    count = sum(len(upload.events) for upload in waiting)
    if not count:
        return
    down = store_down()
    own = ngettext(
        "{count} event of your own (uploaded or imported) is on this map for this session only.",
        "{count} events of your own (uploaded or imported) are on this map for this session only.",
        count,
    ).format(count=number(count))
    if not access.may(Role.EDITOR):
        st.info(own + " " + _why_no_save(access), icon=":material/visibility:")
        return
    text_column, button_column = st.columns([3, 1], vertical_alignment="center")
    text_column.info(
        own
        + " "
        + ngettext(
            "Save it to share with every analyst using this store.",
            "Save them to share with every analyst using this store.",
            count,
        )
        + (
            " " + _("Saving is paused while the store is unavailable; they stay here.")
            if down
            else ""
        ),
        icon=":material/upload:",
    )
    button_column.button(
        _("Save to the shared store"),
        key="save_to_store",
        type="primary",
        width="stretch",
        on_click=save_uploads,
        args=(store, waiting, access.actor),
        disabled=bool(down),
        help=_(
            "Each event is filed under its upload's name. An id already in the store is "
            "reported and not saved; nothing stored is overwritten."
        ),
    )


def _why_no_save(access: Access) -> str:
    """Why this analyst has no Save button, and what would give one."""
    if not access.configured:
        return _("Saving to the shared store needs sign-in, which is not configured here.")
    if not access.signed_in:
        return _("Sign in as an editor to save to the shared store.")
    return _(
        "Your role ({role}) reads only; saving to the shared store needs the editor role."
    ).format(role=role_name(access.role))


def save_uploads(store, uploads: list[Upload], actor: str) -> None:
    """Write the uploads to the store (one transaction each) as `actor` and say what
    happened."""
    import psycopg

    from layers.store.postgis import StoreUnavailable, saved_file

    state = st.session_state
    # Checked again at the click: a sign-out (in any tab: the identity cookie is shared) or
    # another analyst signed in since the button was drawn saves nothing.
    access = current_access()
    if not access.may(Role.EDITOR) or access.actor != actor:
        state["save_problems"] = [_("Not saved: {reason}").format(reason=_why_no_save(access))]
        return
    saved = state.setdefault("saved_ids", set())
    added = unchanged = 0
    failed = False
    problems = []
    for upload in uploads:
        try:
            # A callback runs before the page's script: the session is bound here too.
            with store.session(write_mark()):
                result = store.write_events(
                    upload.events, file=saved_file(upload.name), actor=actor
                )
        except StoreUnavailable as error:
            # This upload and those after it stay in the session, to be saved when the store
            # answers (a batch of a large one written before the fault is then "unchanged").
            failed = True
            went_down(error)
            problems.append(
                _(
                    "the shared store is unavailable ({reason}); {upload} and the uploads after "
                    "it are still here, not saved: save them when the store answers"
                ).format(reason=first_line(error), upload=upload.label)
            )
            break
        except psycopg.Error as error:
            # A write the database refuses (a right the app's role lacks, a constraint): one
            # line, this upload kept; a store error is a database's, never a traceback.
            failed = True
            problems.append(
                _("the database refused {upload} ({reason}); it is still here, not saved").format(
                    upload=upload.label, reason=first_line(error)
                )
            )
            break
        saved.update(result.added)
        saved.update(result.unchanged)
        added += len(result.added)
        unchanged += len(result.unchanged)
        problems += result.problems
    if added or unchanged or not failed:
        events = ngettext("{count} event", "{count} events", added).format(count=number(added))
        if unchanged:
            flash = _(
                "Saved {events} to the shared store; {unchanged} were there already, unchanged."
            ).format(events=events, unchanged=number(unchanged))
        else:
            flash = _("Saved {events} to the shared store.").format(events=events)
        state["import_flash"] = flash
    state["save_problems"] = [
        _("Not saved: {reason}").format(reason=markdown_text(localized_problem(problem)))
        for problem in problems
    ]


def shared_store_details(store, view: View, own, own_shown, data: dict, access: Access) -> None:
    """The open event's details (show_details), read from the store or the uploads; a stored
    event's history, correction and retraction under them (event_record.py)."""
    if view.event is None:
        show_details(view, own_shown, data)
        return
    event = own[own["id"] == view.event]
    shown = own_shown[own_shown["id"] == view.event]
    from layers.store.postgis import StoreUnavailable

    stored = event.empty
    if stored:
        try:
            event = store.events([view.event])
            shown = store.shown_events(view, [view.event])
        except StoreUnavailable:
            st.caption(
                _(
                    "This event's details are read from the shared store: they show when it "
                    "answers again."
                )
            )
            return
    one = data | {"geodata": replace(data["geodata"], events=event)}
    show_details(view, shown, one)
    if stored:
        try:
            show_event_record(store, view.event, access, list(data["geodata"].areas["id"]))
        except StoreUnavailable as error:
            went_down(error)
            st.caption(
                _(
                    "This event's history, correction and retraction are read from the shared "
                    "store: they show when it answers again."
                )
            )


def shared_store_downloads(store, view: View, own_shown, count: int) -> None:
    """show_downloads for the store: the files are made on click, from the first
    STORE_DOWNLOAD_LIMIT shown events in date order."""
    if not st.toggle(_("Download the shown events"), key="downloads"):
        return
    if store_down():
        st.caption(_("Downloads are made from the shared store: they come back when it does."))
        return
    from layers.store.view import table_rows

    limit = min(count, STORE_DOWNLOAD_LIMIT)
    if count > limit:
        st.caption(
            _(
                "The first {limit} of {count} in date order; narrow the filters for the rest."
            ).format(limit=number(limit), count=number(count))
        )
    formats = [
        ("GeoJSON", events_geojson, "events.geojson", "application/geo+json"),
        ("CSV", events_csv, "events.csv", "text/csv"),
    ]
    for column, (label, make, file_name, mime) in zip(st.columns(len(formats)), formats):
        column.download_button(
            _("{format} ({count} events)").format(format=label, count=number(limit)),
            lambda make=make: make(
                table_rows(store, view, own_shown, limit).drop(columns="digest", errors="ignore")
            ),
            file_name=file_name,
            mime=mime,
            on_click="ignore",
        )


def shared_store_analyses(store, view: View, own_shown, data: dict, first, last) -> None:
    """show_analyses on the store: each section, when open, reads the shown events' ids, kinds,
    dates, nations and zones from the store (at most FACTS_LIMIT of them)."""
    from layers.store.view import FACTS_LIMIT, shown_facts

    chosen = (first, last) if first else None
    narrower = _(
        "This reads at most {limit} events from the shared store: narrow the months, nations, "
        "kinds or zones to see it."
    ).format(limit=number(FACTS_LIMIT))

    def partners() -> None:
        facts = shown_facts(store, view, own_shown)
        if facts is None:
            st.caption(narrower)
            return
        since = view.start and first
        earlier = pd.DataFrame(
            {"nations": [], "kind": [], "sides": [], "start": pd.Series([], dtype="datetime64[s]")}
        )
        if since:
            day = pd.Timestamp(month_bounds(since)[0])
            pairings = store.pairings_before(day.date())
            before = pd.Series([day - pd.Timedelta(days=1)] * len(pairings), dtype="datetime64[s]")
            earlier = pairings.assign(start=before.to_numpy())
        show_partners(earlier, facts, since, nation_sets(facts))

    def areas() -> None:
        facts = shown_facts(store, view, own_shown)
        if facts is None:
            st.caption(narrower)
            return
        show_area_activity(facts, data, chosen)

    def comparison() -> None:
        unbounded = shown_facts(store, replace(view, start=None, end=None), own_shown)
        if unbounded is None:
            st.caption(narrower)
            return
        rows = {"nation_rows": nation_rows(unbounded), "zone_rows": zone_rows(unbounded)}
        show_comparison(unbounded, view, data | rows, chosen)

    st.subheader(_("Analyses"))
    sections = [
        (_("Who works with whom"), "open_partners", False, partners),
        (_("Activity by area"), "open_areas", False, areas),
    ]
    if view.compare and chosen:
        sections.append((_("Compare two periods"), "open_compare", True, comparison))
    from layers.store.postgis import StoreUnavailable

    for label, key, expanded, show in sections:
        with st.expander(label, expanded=expanded, key=key, on_change="rerun") as section:
            if section.open:
                try:
                    show()
                except StoreUnavailable:
                    st.caption(
                        _("The analyses read the shared store: they come back when it does.")
                    )
