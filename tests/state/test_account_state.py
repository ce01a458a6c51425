"""The account page: profile edits with inline errors, and the e-mail change by code."""

from __future__ import annotations

from sqlalchemy import text

from fluxent.core.db import session_scope
from fluxent.models.accounts import OrgRole
from fluxent.state.account import AccountState
from fluxent.state.privacy import PrivacyState
from tests.support.state import PASSWORD, person, reload, run, tab


def _form(state: AccountState, **changes: str) -> dict[str, str]:
    """What the browser submits: every field as shown, with ``changes`` typed over it."""
    return {**state.profile, "current_password": "", **changes}


def test_load_fills_the_form_from_the_resolved_user(database):
    _, cookie = person("kim@example.com", name="Kim Park")
    state = tab(AccountState, cookie=cookie)
    version = state.form_version
    state.load()
    assert state.loaded and state.form_version == version + 1
    assert state.profile["name"] == "Kim Park" and state.profile["email"] == "kim@example.com"


def test_saving_changes_only_what_changed(database):
    user_id, cookie = person("kim@example.com", name="Kim Park")
    state = tab(AccountState, cookie=cookie)
    state.load()
    run(state.save(_form(state, name="  Kim Park-Lee ", company="Park Labs", country="de")))
    assert state.errors == {} and state.notice == "Profile saved."
    assert state.user_name == "Kim Park-Lee"
    with session_scope() as db:
        user = reload(db, user_id)
        assert (user.name, user.company, user.country) == ("Kim Park-Lee", "Park Labs", "DE")
        fields = db.execute(
            text("SELECT meta FROM audit_event WHERE action = 'accounts.profile_updated' ORDER BY seq DESC")
        ).scalar()
    assert "Park Labs" not in fields and "company" in fields

    run(state.save(_form(state)))
    assert state.notice == "Nothing to save: your profile is unchanged."


def test_bad_input_shows_inline_and_changes_nothing(database):
    user_id, cookie = person("kim@example.com", name="Kim Park")
    _, other_cookie = person("taken@example.com", name="Other")
    state = tab(AccountState, cookie=cookie)
    state.load()
    taken = tab(AccountState, cookie=other_cookie)
    taken.load()

    steps = run(state.save(_form(state, phone="<script>alert(1)</script>", name="New Name")))
    assert "phone" in state.errors and state.busy == ""
    # The summary has the form's message; focus moves to the first field in error.
    assert state.errors["form"]
    assert str(steps[-1].args[0][1]._var_value) == "ref_profile_phone"
    run(state.save(_form(state, country="ZZZ")))
    assert "country" in state.errors
    run(state.save(_form(state, username=taken.profile["username"])))
    assert "username" in state.errors
    run(state.save(_form(state, name="x" * 201)))
    assert "name" in state.errors
    with session_scope() as db:
        user = reload(db, user_id)
        assert (user.name, user.phone, user.country) == ("Kim Park", "", "")


def test_fields_outside_the_form_are_never_sent(database):
    user_id, cookie = person("kim@example.com", name="Kim Park")
    state = tab(AccountState, cookie=cookie)
    state.load()
    run(state.save(_form(state, role="admin", is_staff="1", organization="1", name="Kim P")))
    assert state.errors == {}
    with session_scope() as db:
        user = reload(db, user_id)
        assert (user.name, str(user.role)) == ("Kim P", "client")


def test_email_change_needs_the_password_then_the_code_from_the_new_address(database, outbox):
    user_id, cookie = person("kim@example.com", name="Kim Park")
    state = tab(AccountState, cookie=cookie)
    state.load_portal()
    state.load()

    run(state.save(_form(state, email="kim.new@example.com")))
    assert "current_password" in state.errors and state.pending_email == ""
    run(state.save(_form(state, email="kim.new@example.com", current_password="wrong password here")))
    assert "current_password" in state.errors and state.pending_email == ""
    assert outbox.messages("kim.new@example.com") == []

    run(state.save(_form(state, email="kim.new@example.com", current_password=PASSWORD)))
    assert state.errors == {} and state.pending_email == "kim.new@example.com"
    assert state.profile["email"] == "kim@example.com"  # not yet
    code = outbox.code("kim.new@example.com")

    wrong = "000000" if code != "000000" else "111111"
    run(state.confirm_email({"code": wrong}))
    assert "code" in state.code_errors and state.pending_email == "kim.new@example.com"
    run(state.confirm_email({"code": code}))
    assert state.code_errors == {} and state.pending_email == ""
    assert state.profile["email"] == "kim.new@example.com" and state.user_email == "kim.new@example.com"
    assert state.notice == "Your e-mail address is changed."
    with session_scope() as db:
        assert reload(db, user_id).email == "kim.new@example.com"
    run(state.confirm_email({"code": code}))  # replay
    assert "code" in state.code_errors


def test_a_revoked_session_saves_nothing(database):
    user_id, cookie = person("kim@example.com", name="Kim Park")
    state = tab(AccountState, cookie=cookie)
    state.load()
    with session_scope() as db:
        db.execute(text("UPDATE auth_session SET revoked_at = created_at WHERE user_id = :id"), {"id": user_id})
    run(state.save(_form(state, name="Hijacked")))
    assert not state.signed_in
    with session_scope() as db:
        assert reload(db, user_id).name == "Kim Park"


def test_deletion_by_e_mailed_code(database, outbox):
    user_id, cookie = person("code.only@example.com", organization="Northwind", org_role=OrgRole.MEMBER)
    state = tab(PrivacyState, cookie=cookie)
    state.load_portal()
    state.use_method("code")
    run(state.send_code())
    assert state.code_sent and state.notice == "We sent a 6-digit code to code.only@example.com."
    code = outbox.code("code.only@example.com")
    run(state.delete_account({"secret": "123", "confirmation": "DELETE"}))
    assert "secret" in state.errors and state.leave_to == ""
    run(state.delete_account({"secret": code, "confirmation": "DELETE"}))
    assert state.errors == {} and state.leave_to
    with session_scope() as db:
        assert reload(db, user_id).erased_at is not None
