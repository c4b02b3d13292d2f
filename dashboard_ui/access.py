"""Sign-in and the analyst's role on the shared store page: Streamlit's own st.login /
st.logout / st.user against the OpenID Connect provider of .streamlit/secrets.toml `[auth]`,
and the role its claims give (layers/auth.py, `[roles]`). Files mode never asks for this."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from layers.auth import Role, actor_name, role_from_claims, role_settings
from layers.history import notice_html, text_html
from layers.i18n import N_, _, localized, ngettext, number
from layers.read.schema import Problem

TEAMS_DOC = "docs/teams.md"
# The roles as the page names them (translated where shown: role_name).
ROLE_WORDS = {Role.VIEWER: N_("viewer"), Role.EDITOR: N_("editor"), Role.ADMIN: N_("admin")}


def role_name(role: Role) -> str:
    """A role's name in the page's language ("editor", 編集者…)."""
    return _(ROLE_WORDS[role])


def localized_problem(problem) -> str:
    """A problem's one line in the page's language: a Problem's (Problem.localized: file,
    feature, field, message), or a line the page made itself (a text or a Message: a store
    that went away while saving, a write the database refused)."""
    if isinstance(problem, Problem):
        return problem.localized()
    return localized(problem)


@dataclass(frozen=True)
class Access:
    """This session's standing: `configured` when secrets.toml has an `[auth]` provider;
    `signed_in`; `role`; `actor` (the name the store's history records); `claims` the ID
    token's claims Streamlit kept (shown to admins); `problems` lines about `[roles]`."""

    configured: bool
    signed_in: bool
    role: Role
    actor: str = ""
    claims: dict = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def may(self, role: Role) -> bool:
        return self.role.may(role)


def _secrets() -> dict:
    """secrets.toml as a dict ({} when there is none or it cannot be read: Streamlit logs why
    at start)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return {}
        return st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - a broken secrets file means no sign-in, said on the page
        return {}


def current_access() -> Access:
    """The session's Access, read afresh each run (a sign-out or a new claim shows at once)."""
    secrets = _secrets()
    auth = secrets.get("auth")
    configured = isinstance(auth, dict) and bool(auth.get("redirect_uri"))
    if not configured:
        return Access(False, False, Role.VIEWER)
    settings, problems = role_settings(secrets.get("roles"))
    user = st.user.to_dict()
    if not user.get("is_logged_in"):
        return Access(True, False, Role.VIEWER, problems=tuple(problems))
    return Access(
        True,
        True,
        role_from_claims(user, settings),
        actor_name(user),
        {key: value for key, value in user.items() if key not in ("is_logged_in",)},
        tuple(problems),
    )


def sign_in_box(access: Access) -> None:
    """Sign in / sign out and who and what this analyst is, at the top of the sidebar; with
    no `[auth]`, one line saying the page is read-only and how to turn sign-in on."""
    with st.sidebar.container(key="sign_in"):
        if not access.configured:
            st.caption(
                _(
                    "Read-only: sign-in is not configured. To let editors save, set up `[auth]` "
                    "in .streamlit/secrets.toml ({doc}, “Sign-in and roles”)."
                ).format(doc=TEAMS_DOC)
            )
            return
        if not access.signed_in:
            st.button(_("Sign in"), key="sign_in_button", on_click=sign_in, icon=":material/login:")
            failed = st.session_state.pop("sign_in_failed", None)
            if failed:
                st.html(notice_html("error", failed))
            st.caption(_("Signed out: you can read; editors sign in to save and correct."))
            return
        signed_in = _("Signed in as {actor} · {role}").format(
            actor=access.actor, role=role_name(access.role)
        )
        st.html(text_html(signed_in, note=True))
        st.button(
            _("Sign out"), key="sign_out_button", on_click=st.logout, icon=":material/logout:"
        )
        for problem in access.problems:
            st.html(notice_html("warning", problem))


def sign_in() -> None:
    """st.login with the [auth] provider; a setting it refuses (a missing client_secret, say)
    is one line under the button, not a traceback."""
    from streamlit.errors import StreamlitAuthError

    try:
        st.login()
    except StreamlitAuthError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        st.session_state["sign_in_failed"] = _(
            "Sign-in is not set up right: {reason} ({doc})"
        ).format(reason=first, doc=TEAMS_DOC)


def admin_box(store, access: Access) -> None:
    """For admins, in the sidebar: what the provider's claim gave this analyst and which claim
    values give which role; and named areas uploaded into the shared store."""
    if not access.may(Role.ADMIN):
        return
    from layers.auth import claim_values

    settings, __ = role_settings(_secrets().get("roles"))
    with st.sidebar.expander(_("Administration"), key="admin_box", on_change="rerun") as box:
        if not box.open:
            return
        st.markdown("**" + _("Roles") + "**")
        given = claim_values(access.claims, settings.claim)
        st.html(
            text_html(
                _("You are {actor}: claim “{claim}” = {values} → {role}.").format(
                    actor=access.actor,
                    claim=settings.claim,
                    values=", ".join(given) if given else _("(none)"),
                    role=role_name(access.role),
                ),
                note=True,
            )
        )
        st.html(roles_html(settings))
        st.caption(
            _(
                "Who is in which group is kept by your OpenID Connect provider; each analyst's "
                "role is read from their claim when they sign in (docs/teams.md)."
            )
        )
        st.markdown("**" + _("Named areas") + "**")
        upload = st.file_uploader(
            _("Add or replace named areas (an areas GeoJSON file)"),
            type=["geojson", "json"],
            key="admin_areas",
        )
        if upload is not None:
            areas_upload(store, upload.name, upload.getvalue())


def roles_html(settings) -> str:
    """The [roles] mapping as an escaped table: claim value → role, then the default."""
    import html

    rows = "".join(
        f"<tr><td>{html.escape(value)}</td><td>{html.escape(role_name(role))}</td></tr>"
        for value, role in settings.values.items()
    )
    # Words marked outside the f-strings: Babel does not read inside an f-string.
    anyone_else, role = _("signed in, none of these"), _("role")
    rows += (
        f"<tr><td><i>{html.escape(anyone_else)}</i></td>"
        f"<td>{html.escape(role_name(settings.default))}</td></tr>"
    )
    return (
        '<table style="font-size:0.85rem;border-collapse:collapse">'
        f"<tr><th>{html.escape(settings.claim)}</th><th>{html.escape(role)}</th></tr>"
        f"{rows}</table>"
    )


def areas_upload(store, name: str, raw: bytes) -> None:
    """Check an uploaded areas file as the loader checks areas/*.geojson; its problems are
    said, and an admin saves its valid areas into the store (write_areas, then the events'
    zone tags computed again)."""
    from layers.read.load import AREAS_SUBDIR, check_file
    from layers.store.postgis import saved_file

    label = saved_file(name).replace("events/", f"{AREAS_SUBDIR}/", 1)
    checked = check_file(raw, label, AREAS_SUBDIR)
    for problem in checked.problems:
        st.html(notice_html("warning", localized_problem(problem)))
    count = len(checked.table)
    if not count:
        st.html(notice_html("error", _("{file}: no area can be saved from it.").format(file=name)))
        return
    st.button(
        ngettext(
            "Save {count} area to the shared store", "Save {count} areas to the shared store", count
        ).format(count=number(count)),
        key="save_areas",
        on_click=save_areas,
        args=(store, checked.table),
    )
    flash = st.session_state.pop("areas_flash", None)
    if flash:
        st.html(notice_html(*flash))


def error_text(error: Exception) -> str:
    """A store error's text in the page's language (a Message, layers/i18n.py), else as it is."""
    from dashboard_ui.store import reason_of

    return localized(reason_of(error))


def save_areas(store, areas) -> None:
    access = current_access()
    if not access.may(Role.ADMIN):
        st.session_state["areas_flash"] = (
            "error",
            _("Not saved: managing areas needs an admin."),
        )
        return
    from layers.store.postgis import StoreError

    try:
        changed, unchanged = store.write_areas(areas)
        retagged = store.retag() if changed else 0
    except StoreError as error:  # StoreUnavailable too: the store is down or slow
        st.session_state["areas_flash"] = (
            "error",
            _("Not saved: {reason}").format(reason=error_text(error)),
        )
        return
    st.session_state["areas_flash"] = (
        "success",
        _(
            "Saved: {changed} area(s) added or changed, {unchanged} unchanged; {retagged} "
            "event(s) tagged again."
        ).format(changed=number(changed), unchanged=number(unchanged), retagged=number(retagged)),
    )


# Where save_drawn_area leaves what happened, for the page to show once (notice_html(*flash)).
DRAWN_AREA_FLASH = "drawn_area_flash"


def save_drawn_area(store, areas) -> None:
    """Save drawn areas (the loader's areas table, one or more rows) into the shared store for
    the team, as the signed-in analyst: a button's on_click. The role is read again at the
    click (a sign-out or a changed claim since the page was drawn counts): editors and admins
    save, viewers and anonymous visitors never (nothing is written). The store records the
    analyst's name (Access.actor, as corrections do) and its own clock
    (PostgisStore.save_drawn_area). What happened is left in st.session_state under
    DRAWN_AREA_FLASH as (notice kind, one line): saved (who, when, events tagged), or not
    saved and why (an id already stored, and by whom; the store down; a right the
    database's role lacks)."""
    access = current_access()
    if not access.may(Role.EDITOR):
        st.session_state[DRAWN_AREA_FLASH] = (
            "error",
            _("Not saved: saving a drawn area for the team needs an editor signed in."),
        )
        return
    import psycopg

    from dashboard_ui.store import first_line, write_mark
    from layers.store.postgis import AreaExists, InvalidArea, StoreError

    try:
        # A callback runs before the page's script: bound to the session, so its next reads
        # reach this save (hot standbys, layers/store/replicas.py).
        with store.session(write_mark()):
            saved = store.save_drawn_area(areas, access.actor)
    except (AreaExists, InvalidArea) as error:
        st.session_state[DRAWN_AREA_FLASH] = (
            "error",
            _("Not saved: {reason}").format(reason=error_text(error)),
        )
        return
    except StoreError as error:  # StoreUnavailable too: the store is down or slow
        st.session_state[DRAWN_AREA_FLASH] = (
            "error",
            _("Not saved: {reason}").format(reason=error_text(error)),
        )
        return
    except psycopg.Error as error:  # e.g. a right the app's role lacks: one line, no trace
        st.session_state[DRAWN_AREA_FLASH] = (
            "error",
            _("Not saved: the database refused it: {reason}").format(reason=first_line(error)),
        )
        return
    st.session_state[DRAWN_AREA_FLASH] = ("success", saved.sentence())
