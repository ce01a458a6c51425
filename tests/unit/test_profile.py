"""Rectifying one's own profile: allowed fields only, e-mail changes re-verified, audit without values."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlmodel import select

from fluxent.core.errors import Conflict, RateLimited, ValidationFailed
from fluxent.models.accounts import Role, User
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.services.accounts import profile
from fluxent.services.auth import sign_in
from tests.support.auth import AGENT, IP, PASSWORD, Secrets, assert_no_secret_in_audit, audit_actions, make_user

ADA = "ada@example.com"
NEW = "ada.new@example.org"


@pytest.fixture
def ada(session):
    user = make_user(session, ADA, name="Ada Lovelace", username="ada.l")
    session.commit()
    return user


def _update(session, user, changes, password=None, clock=None):
    extra = {"clock": clock} if clock else {}
    return profile.update_profile(
        session, user=user, changes=changes, current_password=password, ip=IP, user_agent=AGENT, **extra
    )


def test_own_fields_change_and_the_audit_names_fields_only(session, ada):
    result = _update(
        session,
        ada,
        {
            "name": "  Ada King ",
            "phone": "+44 20 7946 0958",
            "country": "gb",
            "company": "Analytical Engines",
            "username": "Ada.King",
        },
    )
    session.commit()
    assert set(result.changed) == {"name", "phone", "country", "company", "username"}
    assert (ada.name, ada.country, ada.username) == ("Ada King", "GB", "ada.king")
    assert result.pending_email is None
    meta = session.execute(text("SELECT meta FROM audit_event WHERE action = 'accounts.profile_updated'")).scalar_one()
    assert sorted(json.loads(meta)["fields"]) == ["company", "country", "name", "phone", "username"]
    assert "Ada King" not in meta and "7946" not in meta


@pytest.mark.parametrize(
    "field", ["role", "organization", "is_staff", "title", "team", "password_hash", "email_verified_at", "is_active"]
)
def test_fields_owned_by_administrators_are_refused_by_name(session, ada, field):
    with pytest.raises(ValidationFailed) as refused:
        _update(session, ada, {"name": "Changed", field: "admin"})
    assert field in refused.value.fields
    session.rollback()
    assert session.get(User, ada.id).name == "Ada Lovelace" and ada.role == Role.CLIENT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "call me maybe"),
        ("country", "GBR"),
        ("name", "x" * 201),
        ("name", "Ada\u202eevil"),
        ("username", "a"),
        ("username", "Admin"),
        ("username", "support"),
        ("username", "staff"),
        ("email", "not-an-address"),
        ("name", "Ada\ud800"),
        ("name", 42),
        ("company", None),
    ],
)
def test_bad_values_are_refused_and_change_nothing(session, ada, field, value):
    with pytest.raises(ValidationFailed) as refused:
        _update(session, ada, {"company": "Fine Ltd", field: value}, password=PASSWORD)
    assert field in refused.value.fields
    session.rollback()
    assert session.get(User, ada.id).company == ""


def test_a_taken_username_is_a_conflict(session, ada):
    make_user(session, "grace@example.com", username="grace.h")
    with pytest.raises(Conflict):
        _update(session, ada, {"username": "Grace.H"})


def test_accounts_made_from_reserved_addresses_get_another_username(session):
    for local in ("admin", "support", "staff"):
        assert make_user(session, f"{local}@client.example").username == f"{local}-2"


def test_email_change_needs_the_current_password(session, ada, outbox):
    with pytest.raises(ValidationFailed) as missing:
        _update(session, ada, {"email": NEW})
    assert "current_password" in missing.value.fields
    with pytest.raises(ValidationFailed) as wrong:
        _update(session, ada, {"email": NEW}, password="not the password at all")
    assert "current_password" in wrong.value.fields
    assert outbox.messages(NEW) == []
    assert "accounts.email_change_failed" in audit_actions(session)  # committed despite the error


def test_wrong_passwords_for_an_email_change_hit_the_sign_in_throttle(session, ada, outbox, clock):
    for _ in range(6):
        with pytest.raises(ValidationFailed):
            _update(session, ada, {"email": NEW}, password="wrong password again", clock=clock)
    with pytest.raises(RateLimited):
        _update(session, ada, {"email": NEW}, password=PASSWORD, clock=clock)


def test_email_changes_only_after_the_code_sent_to_the_new_address(session, ada, outbox, clock):
    secrets = Secrets()
    result = _update(session, ada, {"email": "  ADA.New@Example.org "}, password=PASSWORD, clock=clock)
    session.commit()
    assert result.pending_email == NEW and ada.email == ADA
    code = outbox.code(NEW)
    secrets.add(code, PASSWORD)
    with pytest.raises(ValidationFailed):
        profile.confirm_email_change(session, user=ada, code="000000" if code != "000000" else "111111", clock=clock)
    user = profile.confirm_email_change(session, user=ada, code=code, ip=IP, user_agent=AGENT, clock=clock)
    session.commit()
    assert user.email == NEW
    assert "changed" in outbox.last(ADA)["Subject"]  # the old address is told
    with pytest.raises(ValidationFailed):  # single use
        profile.confirm_email_change(session, user=ada, code=code, clock=clock)
    actions = audit_actions(session)
    assert {"accounts.email_change_requested", "accounts.email_changed"} <= set(actions)
    assert_no_secret_in_audit(session, secrets)


def test_an_expired_email_change_code_does_nothing(session, ada, outbox, clock):
    _update(session, ada, {"email": NEW}, password=PASSWORD, clock=clock)
    code = outbox.code(NEW)
    clock.advance(minutes=11)
    with pytest.raises(ValidationFailed):
        profile.confirm_email_change(session, user=ada, code=code, clock=clock)
    assert session.get(User, ada.id).email == ADA


def test_a_sign_in_code_is_not_an_email_change_code(session, ada, outbox, clock):
    _update(session, ada, {"email": NEW}, password=PASSWORD, clock=clock)
    sign_in.request_email_code(session, email=ADA, ip=IP, user_agent=AGENT, clock=clock)
    sign_in_code = outbox.code(ADA)
    with pytest.raises(ValidationFailed):
        profile.confirm_email_change(session, user=ada, code=sign_in_code, clock=clock)


def test_moving_to_a_taken_address_answers_the_same_and_sends_no_code(session, ada, outbox):
    make_user(session, NEW)
    result = _update(session, ada, {"email": NEW}, password=PASSWORD)
    assert result.pending_email == NEW
    message = outbox.last(NEW)
    assert "not changed" in message["Subject"]
    assert session.exec(select(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.EMAIL_CHANGE)).all() == []
