"""Who may do what on the shared store: the role a signed-in analyst's OpenID Connect claims
give (viewer, editor, admin), from the `[roles]` table of .streamlit/secrets.toml.

    settings, problems = role_settings(secrets.get("roles"))
    role = role_from_claims(st.user.to_dict(), settings)

Pure Python (no streamlit): the page (dashboard_ui/access.py) passes the claims Streamlit read
from the provider's ID token and the table it read from secrets.toml. docs/teams.md, "Sign-in
and roles", is the operator's side of this. Its problem lines are written in the page's
language (layers/i18n.py): they are made for the session that reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from layers.i18n import _


class Role(Enum):
    """What an analyst may do on the shared store; each role may do all the one before may.

    viewer: read. editor: also save uploads, correct and retract events. admin: also upload
    named areas into the store and see who has which role."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def may(self, other: Role) -> bool:
        """True when this role may do what `other` may (admin may all an editor may)."""
        return self.rank >= other.rank


# The claim most providers put group or role names in: Keycloak's client role mapper and
# Entra ID's app roles both name it "roles" (docs/teams.md shows each).
DEFAULT_CLAIM = "roles"
# A signed-in analyst whose claims name no role reads only: a provider that lets anyone sign in
# (a Google account) must not make everyone an editor.
DEFAULT_ROLE = Role.VIEWER


@dataclass(frozen=True)
class RoleSettings:
    """The `[roles]` table: `claim` is the ID token claim read (a string or a list of strings);
    `values` maps a value of that claim to a Role; `default` is the role of a signed-in analyst
    whose claim is missing or names no mapped value."""

    claim: str = DEFAULT_CLAIM
    values: Mapping[str, Role] = field(default_factory=lambda: {role.value: role for role in Role})
    default: Role = DEFAULT_ROLE


def role_settings(table: Mapping | None) -> tuple[RoleSettings, list[str]]:
    """RoleSettings from the `[roles]` table of secrets.toml (None or {} gives the defaults:
    claim "roles", values "viewer"/"editor"/"admin", default viewer), and one line per entry
    that could not be used (the entry is left out, never guessed: an unknown role name in
    `values` or `default` gives no rights).

        [roles]
        claim = "groups"
        default = "viewer"
        [roles.values]
        "/analysts/editors" = "editor"
        "/analysts/admins" = "admin"
    """
    problems: list[str] = []
    if table is None:
        return RoleSettings(), problems
    if not isinstance(table, Mapping):
        return RoleSettings(), [_("[roles] in secrets.toml is not a table; using the defaults")]
    known = {role.value: role for role in Role}
    claim = table.get("claim", DEFAULT_CLAIM)
    if not isinstance(claim, str) or not claim.strip():
        problems.append(
            _('[roles] claim must be a claim name; using "{claim}"').format(claim=DEFAULT_CLAIM)
        )
        claim = DEFAULT_CLAIM
    default = table.get("default", DEFAULT_ROLE.value)
    if default not in known:
        problems.append(
            _("[roles] default {value} is not one of viewer, editor, admin; using viewer").format(
                value=repr(default)
            )
        )
        default = DEFAULT_ROLE.value
    values: dict[str, Role] = {}
    given = table.get("values")
    if given is None:
        values = dict(known)
    elif not isinstance(given, Mapping):
        problems.append(_("[roles.values] is not a table; no claim value gives a role"))
    else:
        for value, role in given.items():
            if role in known:
                values[str(value)] = known[role]
            else:
                problems.append(
                    _(
                        "[roles.values] {value} = {role}: not one of viewer, editor, admin; "
                        "left out"
                    ).format(value=repr(str(value)), role=repr(role))
                )
    for name in table:
        if name not in ("claim", "default", "values"):
            problems.append(
                _("[roles] {name} is not a setting (claim, default, values)").format(
                    name=repr(name)
                )
            )
    return RoleSettings(claim.strip(), values, known[default]), problems


def claim_values(claims: Mapping, name: str) -> list[str]:
    """The values of claim `name`: a string is one value, a list its string items; anything
    else (missing, a number, an object) none."""
    value = claims.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def role_from_claims(claims: Mapping, settings: RoleSettings) -> Role:
    """The role of a signed-in analyst with these ID token claims: the highest role any value
    of `settings.claim` maps to, else `settings.default`. Claims of nobody signed in
    (`is_logged_in` false, as Streamlit's st.user says) give viewer whatever the default."""
    if not claims.get("is_logged_in", True):
        return Role.VIEWER
    roles = [
        settings.values[v] for v in claim_values(claims, settings.claim) if v in settings.values
    ]
    return max(roles, key=lambda role: role.rank, default=settings.default)


def actor_name(claims: Mapping) -> str:
    """Who a signed-in analyst is, as the store's history records it: their email, else their
    preferred_username, else their name, else the provider's subject (`sub`), which every ID
    token carries (OpenID Connect Core 1.0, section 2)."""
    for name in ("email", "preferred_username", "name", "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "unknown"
