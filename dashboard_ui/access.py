"""Sign-in and the analyst's role on the shared store page: Streamlit's own st.login /
st.logout / st.user against the OpenID Connect provider of .streamlit/secrets.toml `[auth]`,
and the role its claims give (layers/auth.py, `[roles]`). Files mode never asks for this."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from layers.auth import Role, actor_name, role_from_claims, role_settings
from layers.history import notice_html, text_html

TEAMS_DOC = "docs/teams.md"


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
                f"Read-only: sign-in is not configured. To let editors save, set up `[auth]` "
                f"in .streamlit/secrets.toml ({TEAMS_DOC}, “Sign-in and roles”)."
            )
            return
        if not access.signed_in:
            st.button("Sign in", key="sign_in_button", on_click=st.login, icon=":material/login:")
            st.caption("Signed out: you can read; editors sign in to save and correct.")
            return
        st.html(text_html(f"Signed in as {access.actor} · {access.role.value}", note=True))
        st.button("Sign out", key="sign_out_button", on_click=st.logout, icon=":material/logout:")
        for problem in access.problems:
            st.html(notice_html("warning", problem))
