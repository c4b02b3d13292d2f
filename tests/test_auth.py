"""Roles from an OpenID Connect claim (layers/auth.py): what an operator's `[roles]` table and
a provider's ID token give an analyst on the shared store."""

from layers.auth import Role, actor_name, role_from_claims, role_settings


def signed_in(**claims):
    return {"is_logged_in": True, "sub": "u-1", **claims}


def test_the_defaults_read_the_roles_claim_and_make_a_signed_in_analyst_a_viewer():
    settings, problems = role_settings(None)
    assert problems == []
    assert role_from_claims(signed_in(roles=["editor"]), settings) is Role.EDITOR
    assert role_from_claims(signed_in(roles="admin"), settings) is Role.ADMIN
    # No claim, or a value nobody mapped: the documented default, viewer.
    assert role_from_claims(signed_in(), settings) is Role.VIEWER
    assert role_from_claims(signed_in(roles=["staff"]), settings) is Role.VIEWER


def test_a_groups_claim_maps_provider_group_names_and_the_highest_role_wins():
    settings, problems = role_settings(
        {
            "claim": "groups",
            "values": {"/analysts/editors": "editor", "/analysts/admins": "admin"},
        }
    )
    assert problems == []
    claims = signed_in(groups=["/analysts/editors", "/analysts/admins", "/other"])
    assert role_from_claims(claims, settings) is Role.ADMIN
    assert role_from_claims(signed_in(groups=["/analysts/editors"]), settings) is Role.EDITOR
    # The roles claim is not read once another claim is named.
    assert role_from_claims(signed_in(roles=["admin"]), settings) is Role.VIEWER


def test_a_default_role_applies_to_signed_in_analysts_only():
    settings, _ = role_settings({"default": "editor"})
    assert role_from_claims(signed_in(), settings) is Role.EDITOR
    # Anyone not signed in reads only, whatever the default.
    assert role_from_claims({"is_logged_in": False}, settings) is Role.VIEWER


def test_a_claim_that_is_not_text_gives_no_role():
    settings, _ = role_settings(None)
    for value in (1, {"editor": True}, None, [1, None], True):
        assert role_from_claims(signed_in(roles=value), settings) is Role.VIEWER
    assert role_from_claims(signed_in(roles=[3, "editor"]), settings) is Role.EDITOR


def test_an_unusable_setting_is_said_and_gives_no_rights():
    settings, problems = role_settings(
        {"default": "superuser", "values": {"staff": "owner", "eds": "editor"}, "claims": "x"}
    )
    assert settings.default is Role.VIEWER
    assert role_from_claims(signed_in(roles=["staff"]), settings) is Role.VIEWER
    assert role_from_claims(signed_in(roles=["eds"]), settings) is Role.EDITOR
    assert any("'superuser' is not one of viewer, editor, admin" in line for line in problems)
    assert any("'staff' = 'owner'" in line for line in problems)
    assert any("'claims' is not a setting" in line for line in problems)
    _, problems = role_settings("editor")
    assert problems == ["[roles] in secrets.toml is not a table; using the defaults"]


def test_each_role_may_do_what_the_ones_before_it_may():
    assert Role.ADMIN.may(Role.EDITOR) and Role.EDITOR.may(Role.VIEWER)
    assert not Role.VIEWER.may(Role.EDITOR) and not Role.EDITOR.may(Role.ADMIN)


def test_the_history_names_an_analyst_by_email_else_username_else_subject():
    assert actor_name(signed_in(email="kim@example.org", name="Kim")) == "kim@example.org"
    assert actor_name(signed_in(preferred_username="kim", email=" ")) == "kim"
    assert actor_name(signed_in()) == "u-1"
