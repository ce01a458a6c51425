"""Password reset and change, sessions, sign-out, and a sweep of the audit log for secrets."""

from __future__ import annotations

import pytest
from sqlmodel import select

from fluxent.core.errors import NotAuthenticated, NotFound, RateLimited, ValidationFailed
from fluxent.core.passwords import BCRYPT_ROUNDS, verify_password
from fluxent.models.auth import AuthSession, OneTimeToken, TokenPurpose
from fluxent.services.auth import sessions, sign_in
from fluxent.services.auth.password_policy import PERSONAL_REASON
from tests.support.auth import (
    AGENT,
    IP,
    OTHER_IP,
    PASSWORD,
    Secrets,
    assert_no_secret_in_audit,
    audit_actions,
    make_user,
)

ADA = "ada@example.com"
RESET = "/reset-password/"
NEW_PASSWORD = "granite sparrow lullaby"


@pytest.fixture
def ada(session):
    user = make_user(session, ADA, name="Ada Lovelace", username="ada.l", company="Analytical Engines")
    session.commit()
    return user


def _sessions_of(session, user, count, clock):
    return [sessions.start_session(session, user=user, ip=IP, user_agent=AGENT, clock=clock) for _ in range(count)]


def _request_reset(session, clock, address=ADA):
    sign_in.request_password_reset(session, email=address, ip=IP, user_agent=AGENT, clock=clock)


# Password reset ---------------------------------------------------------------------


def test_a_reset_sets_the_password_and_signs_out_everywhere(session, ada, outbox, clock):
    started = _sessions_of(session, ada, 2, clock)
    sign_in.request_magic_link(session, email=ADA, ip=IP, user_agent=AGENT, clock=clock)
    magic = outbox.link_token(ADA, "/auth/magic/")
    _request_reset(session, clock)
    first = outbox.link_token(ADA, RESET)
    _request_reset(session, clock)
    second = outbox.link_token(ADA, RESET)

    with pytest.raises(NotAuthenticated):  # the newer link revoked the older one
        sign_in.confirm_password_reset(session, token=first, new_password=NEW_PASSWORD, clock=clock)
    user = sign_in.confirm_password_reset(session, token=second, new_password=NEW_PASSWORD, clock=clock)

    assert user.password_hash.startswith(f"$2b${BCRYPT_ROUNDS}$")
    assert verify_password(NEW_PASSWORD, user.password_hash)
    assert all(sessions.resolve(session, raw, clock=clock) is None for _, raw in started)
    with pytest.raises(NotAuthenticated):
        sign_in.confirm_password_reset(session, token=second, new_password="another granite comet", clock=clock)
    with pytest.raises(NotAuthenticated):  # outstanding sign-in links went with it
        sign_in.consume_magic_link(session, token=magic, ip=IP, user_agent=AGENT, clock=clock)
    assert "password was changed" in outbox.last(ADA)["Subject"]
    assert "auth.password_reset" in audit_actions(session)
    secrets = Secrets()
    secrets.add(first, second, magic, NEW_PASSWORD, PASSWORD, *(raw for _, raw in started))
    assert_no_secret_in_audit(session, secrets)


def test_a_refused_new_password_leaves_the_reset_link_usable(session, ada, outbox, clock):
    _request_reset(session, clock)
    token = outbox.link_token(ADA, RESET)
    with pytest.raises(ValidationFailed) as refused:
        sign_in.confirm_password_reset(session, token=token, new_password="lovelace forever and ever", clock=clock)
    assert refused.value.fields["password"] == PERSONAL_REASON
    with pytest.raises(ValidationFailed):
        sign_in.confirm_password_reset(session, token=token, new_password="x" * 257, clock=clock)
    sign_in.confirm_password_reset(session, token=token, new_password=NEW_PASSWORD, clock=clock)


def test_a_reset_link_expires_after_fifteen_minutes(session, ada, outbox, clock):
    _request_reset(session, clock)
    token = outbox.link_token(ADA, RESET)
    clock.advance(minutes=15, seconds=1)
    with pytest.raises(NotAuthenticated):
        sign_in.confirm_password_reset(session, token=token, new_password=NEW_PASSWORD, clock=clock)


def test_a_reset_for_an_unknown_address_sends_a_note_and_nothing_to_redeem(session, ada, outbox, clock):
    _request_reset(session, clock, address="nobody@example.com")
    assert "no active account" in outbox.text(outbox.last("nobody@example.com"))
    assert session.exec(select(OneTimeToken)).all() == []


def test_a_reset_clears_the_sign_in_lock(session, ada, outbox, clock):
    for _ in range(6):
        with pytest.raises(NotAuthenticated):
            sign_in.login(session, login="ada.l", password="wrong wrong wrong", ip=IP, user_agent=AGENT, clock=clock)
    with pytest.raises(RateLimited):
        sign_in.login(session, login="ada.l", password=PASSWORD, ip=IP, user_agent=AGENT, clock=clock)
    _request_reset(session, clock)
    sign_in.confirm_password_reset(session, token=outbox.link_token(ADA, RESET), new_password=NEW_PASSWORD, clock=clock)
    sign_in.login(session, login="ada.l", password=NEW_PASSWORD, ip=IP, user_agent=AGENT, clock=clock)


# Password change ----------------------------------------------------------------------


def test_a_change_needs_the_current_password_and_signs_out_only_other_sessions(session, ada, outbox, clock):
    (current, current_raw), (other, other_raw) = _sessions_of(session, ada, 2, clock)
    with pytest.raises(ValidationFailed) as wrong:
        sign_in.change_password(
            session,
            user=ada,
            current_password="not my password at all",
            new_password=NEW_PASSWORD,
            keep_session=current,
            clock=clock,
        )
    assert "current_password" in wrong.value.fields
    assert sessions.resolve(session, other_raw, clock=clock) is not None

    revoked = sign_in.change_password(
        session, user=ada, current_password=PASSWORD, new_password=NEW_PASSWORD, keep_session=current, clock=clock
    )
    assert revoked == 1
    assert sessions.resolve(session, current_raw, clock=clock) is not None
    assert sessions.resolve(session, other_raw, clock=clock) is None
    assert ada.password_hash.startswith(f"$2b${BCRYPT_ROUNDS}$") and verify_password(NEW_PASSWORD, ada.password_hash)
    secrets = Secrets()
    secrets.add(PASSWORD, NEW_PASSWORD, current_raw, other_raw, "not my password at all")
    assert_no_secret_in_audit(session, secrets)


def test_a_change_revokes_every_link_and_code_asked_for_before_it(session, ada, outbox, clock):
    ((current, _),) = _sessions_of(session, ada, 1, clock)
    _request_reset(session, clock)
    reset = outbox.link_token(ADA, RESET)
    sign_in.request_magic_link(session, email=ADA, ip=IP, user_agent=AGENT, clock=clock)
    magic = outbox.link_token(ADA, "/auth/magic/")
    sign_in.request_email_code(session, email=ADA, ip=IP, user_agent=AGENT, clock=clock)
    code = outbox.code(ADA)
    session.commit()

    sign_in.change_password(
        session, user=ada, current_password=PASSWORD, new_password=NEW_PASSWORD, keep_session=current, clock=clock
    )
    session.commit()

    with pytest.raises(NotAuthenticated):
        sign_in.confirm_password_reset(session, token=reset, new_password="another granite comet", clock=clock)
    with pytest.raises(NotAuthenticated):
        sign_in.consume_magic_link(session, token=magic, ip=IP, user_agent=AGENT, clock=clock)
    with pytest.raises(NotAuthenticated):
        sign_in.verify_email_code(session, email=ADA, code=code, ip=IP, user_agent=AGENT, clock=clock)
    session.refresh(ada)
    assert verify_password(NEW_PASSWORD, ada.password_hash)


def test_a_change_applies_the_policy(session, ada, clock):
    with pytest.raises(ValidationFailed) as refused:
        sign_in.change_password(
            session,
            user=ada,
            current_password=PASSWORD,
            new_password="analytical engines rock",
            keep_session=None,
            clock=clock,
        )
    assert refused.value.fields == {"password": PERSONAL_REASON}


def test_wrong_current_passwords_are_throttled(session, ada, clock):
    for _ in range(6):
        with pytest.raises(ValidationFailed):
            sign_in.change_password(
                session,
                user=ada,
                current_password="guess guess guess",
                new_password=NEW_PASSWORD,
                keep_session=None,
                clock=clock,
            )
    with pytest.raises(RateLimited):
        sign_in.change_password(
            session, user=ada, current_password=PASSWORD, new_password=NEW_PASSWORD, keep_session=None, clock=clock
        )


# Sessions and sign-out -------------------------------------------------------------


def test_list_and_revoke_sessions(session, ada, clock):
    bob = make_user(session, "bob@example.com")
    started = _sessions_of(session, ada, 3, clock)
    ((bobs, bobs_raw),) = _sessions_of(session, bob, 1, clock)
    listed = sign_in.list_sessions(session, user=ada, clock=clock)
    assert {row.id for row in listed} == {row.id for row, _ in started}

    with pytest.raises(NotFound):  # someone else's session id
        sign_in.revoke_session(session, user=ada, session_id=bobs.id, clock=clock)
    with pytest.raises(NotFound):
        sign_in.revoke_session(session, user=ada, session_id=10**9, clock=clock)
    assert sessions.resolve(session, bobs_raw, clock=clock) is not None

    sign_in.revoke_session(session, user=ada, session_id=started[0][0].id, clock=clock)
    assert sessions.resolve(session, started[0][1], clock=clock) is None
    assert len(sign_in.list_sessions(session, user=ada, clock=clock)) == 2

    kept = started[1][0]
    assert sign_in.revoke_other_sessions(session, user=ada, keep=kept, clock=clock) == 1
    assert [row.id for row in sign_in.list_sessions(session, user=ada, clock=clock)] == [kept.id]
    with pytest.raises(NotFound):
        sign_in.revoke_other_sessions(session, user=ada, keep=bobs, clock=clock)


def test_expired_and_idle_sessions_are_not_listed(session, ada, clock):
    _sessions_of(session, ada, 1, clock)
    clock.advance(hours=3)  # past the two-hour idle limit
    assert sign_in.list_sessions(session, user=ada, clock=clock) == []


def test_logout_revokes_the_session(session, ada, clock):
    auth_session, raw, _ = sign_in.login(
        session, login="ada.l", password=PASSWORD, ip=OTHER_IP, user_agent=AGENT, clock=clock
    )
    sign_in.logout(session, auth_session=auth_session, clock=clock)
    assert sessions.resolve(session, raw, clock=clock) is None
    assert session.get(AuthSession, auth_session.id).revoked_at is not None
    assert audit_actions(session)[-1] == "auth.logout"


def test_raw_tokens_are_never_stored(session, ada, outbox, clock):
    _request_reset(session, clock)
    token = outbox.link_token(ADA, RESET)
    sign_in.request_email_code(session, email=ADA, ip=IP, user_agent=AGENT, clock=clock)
    code = outbox.code(ADA)
    rows = session.exec(select(OneTimeToken)).all()
    assert {row.purpose for row in rows} == {TokenPurpose.PASSWORD_RESET, TokenPurpose.EMAIL_CODE}
    for row in rows:
        assert token not in row.token_hash + row.payload
        assert code not in row.payload
