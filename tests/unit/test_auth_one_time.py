"""E-mail codes and magic links, used as a person would: the secret comes from the e-mail."""

from __future__ import annotations

import pytest
from sqlmodel import select

from fluxent.core.errors import NotAuthenticated, RateLimited, ValidationFailed
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.services.auth import one_time, sessions, sign_in, throttle
from tests.support.auth import AGENT, IP, Secrets, assert_no_secret_in_audit, audit_actions, make_user

ADA, BOB = "ada@example.com", "bob@example.com"
MAGIC = "/auth/magic/"
RESET = "/reset-password/"


@pytest.fixture
def people(session):
    ada = make_user(session, ADA, name="Ada Lovelace")
    bob = make_user(session, BOB, name="Bob Builder")
    session.commit()
    return ada, bob


def _request_code(session, address, clock):
    sign_in.request_email_code(session, email=address, ip=IP, user_agent=AGENT, clock=clock)


def _verify(session, address, code, clock):
    return sign_in.verify_email_code(session, email=address, code=code, ip=IP, user_agent=AGENT, clock=clock)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# Codes ------------------------------------------------------------------------


def test_an_emailed_code_signs_in_once(session, people, outbox, clock):
    _request_code(session, ADA, clock)
    message = outbox.last(ADA)
    code = outbox.code(ADA)
    assert code not in message["Subject"] and code in outbox.html(message)
    auth_session, raw, user = _verify(session, " Ada@Example.com", code, clock)
    assert user.id == people[0].id and sessions.resolve(session, raw, clock=clock)[0].id == auth_session.id
    with pytest.raises(NotAuthenticated):
        _verify(session, ADA, code, clock)
    stored = session.exec(select(OneTimeToken.token_hash, OneTimeToken.payload)).all()
    assert all(code not in token_hash and code not in payload for token_hash, payload in stored)
    assert {"auth.code_issued", "auth.code_used", "auth.login_succeeded"} <= set(audit_actions(session))
    secrets = Secrets()
    secrets.add(code, raw)
    assert_no_secret_in_audit(session, secrets)


def test_people_type_codes_with_spaces_or_full_width_digits(session, people, outbox, clock):
    _request_code(session, ADA, clock)
    code = outbox.code(ADA)
    typed = code[:3] + " " + "".join(chr(ord(digit) + 0xFEE0) for digit in code[3:])
    _verify(session, ADA, typed, clock)


def test_a_code_expires_after_ten_minutes(session, people, outbox, clock):
    _request_code(session, ADA, clock)
    code = outbox.code(ADA)
    clock.advance(minutes=10)
    with pytest.raises(NotAuthenticated):
        _verify(session, ADA, code, clock)


def test_five_wrong_codes_burn_it(session, people, outbox, clock):
    _request_code(session, ADA, clock)
    code = outbox.code(ADA)
    for _ in range(5):
        with pytest.raises(NotAuthenticated) as failed:
            _verify(session, ADA, _wrong(code), clock)
        assert failed.value.message == sign_in.BAD_CODE
    with pytest.raises(NotAuthenticated):
        _verify(session, ADA, code, clock)


def test_a_new_code_keeps_the_failure_count(session, people, outbox, clock):
    _request_code(session, ADA, clock)
    first = outbox.code(ADA)
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            _verify(session, ADA, _wrong(first), clock)
    clock.advance(minutes=1)
    _request_code(session, ADA, clock)
    second = outbox.code(ADA)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            _verify(session, ADA, _wrong(second), clock)
    with pytest.raises(NotAuthenticated):
        _verify(session, ADA, second, clock)  # 3 + 2 wrong: burned

    # Asking again while the burned code has not expired sends a notice, not a code.
    sent = len(outbox.messages(ADA))
    _request_code(session, ADA, clock)
    assert len(outbox.messages(ADA)) == sent + 1
    assert "too many wrong sign-in codes" in outbox.text(outbox.last(ADA))
    assert "code is" not in outbox.text(outbox.last(ADA))

    # Once it has expired, a fresh code starts from zero.
    clock.advance(minutes=10)
    _request_code(session, ADA, clock)
    _verify(session, ADA, outbox.code(ADA), clock)


def test_a_new_code_revokes_the_older_one(session, people, outbox, clock):
    _request_code(session, ADA, clock)
    first = outbox.code(ADA)
    _request_code(session, ADA, clock)
    second = outbox.code(ADA)
    if first != second:
        with pytest.raises(NotAuthenticated):
            _verify(session, ADA, first, clock)
    _verify(session, ADA, second, clock)
    live = session.exec(
        select(OneTimeToken).where(OneTimeToken.revoked_at.is_(None), OneTimeToken.used_at.is_(None))
    ).all()
    assert live == []


def test_one_persons_code_does_not_sign_in_another(session, people, outbox, clock):
    _request_code(session, ADA, clock)
    _request_code(session, BOB, clock)
    ada_code, bob_code = outbox.code(ADA), outbox.code(BOB)
    if ada_code != bob_code:
        with pytest.raises(NotAuthenticated):
            _verify(session, BOB, ada_code, clock)
    _, _, user = _verify(session, ADA, ada_code, clock)
    assert user.id == people[0].id


def test_an_unknown_address_gets_the_same_answers(session, people, outbox, clock):
    _request_code(session, "nobody@example.com", clock)  # no error, like a known address
    note = outbox.last("nobody@example.com")
    assert "no active account" in outbox.text(note) and "code is" not in outbox.text(note)
    with pytest.raises(NotAuthenticated) as unknown:
        _verify(session, "nobody@example.com", "123456", clock)
    _request_code(session, ADA, clock)
    with pytest.raises(NotAuthenticated) as wrong:
        _verify(session, ADA, _wrong(outbox.code(ADA)), clock)
    assert unknown.value.message == wrong.value.message


def test_a_deactivated_account_gets_no_code(session, people, outbox, clock):
    people[1].is_active = False
    session.add(people[1])
    session.commit()
    _request_code(session, BOB, clock)
    assert "no active account" in outbox.text(outbox.last(BOB))
    assert session.exec(select(OneTimeToken)).all() == []


def test_code_requests_are_throttled_per_address_whether_or_not_it_has_an_account(session, people, outbox, clock):
    observed = {}
    for address in (ADA, "nobody@example.com"):
        outcomes = []
        for _ in range(throttle.MAIL_ADDRESS.free + 2):
            try:
                sign_in.request_email_code(
                    session, email=address, ip=f"192.0.2.{len(observed)}", user_agent=AGENT, clock=clock
                )
                outcomes.append("sent")
            except RateLimited as limited:
                outcomes.append(f"limited {limited.retry_after}")
        observed[address] = outcomes
    assert observed[ADA] == observed["nobody@example.com"]
    assert observed[ADA][-1] == "limited 30"


def test_a_malformed_address_is_a_validation_error(session, people, outbox, clock):
    with pytest.raises(ValidationFailed):
        _request_code(session, "not an address", clock)


def test_wrong_codes_count_against_the_ip_address(session, people, outbox, clock):
    for number in range(throttle.IP.free + 1):
        with pytest.raises(NotAuthenticated):
            _verify(session, f"guess{number}@example.com", "000000", clock)
    _request_code(session, ADA, clock)
    with pytest.raises(RateLimited):
        _verify(session, ADA, outbox.code(ADA), clock)


# Magic links -----------------------------------------------------------------------


def _request_link(session, address, clock):
    sign_in.request_magic_link(session, email=address, ip=IP, user_agent=AGENT, clock=clock)


def _consume(session, token, clock):
    return sign_in.consume_magic_link(session, token=token, ip=IP, user_agent=AGENT, clock=clock)


def test_a_magic_link_signs_in_once(session, people, outbox, clock):
    _request_link(session, ADA, clock)
    token = outbox.link_token(ADA, MAGIC)
    _, raw, user = _consume(session, token, clock)
    assert user.id == people[0].id and user.email_verified_at is not None
    with pytest.raises(NotAuthenticated) as reused:
        _consume(session, token, clock)
    assert reused.value.message == sign_in.BAD_MAGIC_LINK
    assert session.exec(select(OneTimeToken).where(OneTimeToken.token_hash == token)).first() is None
    assert {"auth.magic_link_issued", "auth.magic_link_used"} <= set(audit_actions(session))
    secrets = Secrets()
    secrets.add(token, raw)
    assert_no_secret_in_audit(session, secrets)


def test_a_magic_link_expires_after_fifteen_minutes(session, people, outbox, clock):
    _request_link(session, ADA, clock)
    token = outbox.link_token(ADA, MAGIC)
    clock.advance(minutes=15)
    with pytest.raises(NotAuthenticated):
        _consume(session, token, clock)


def test_a_new_magic_link_revokes_the_older_one(session, people, outbox, clock):
    _request_link(session, ADA, clock)
    first = outbox.link_token(ADA, MAGIC)
    _request_link(session, ADA, clock)
    second = outbox.link_token(ADA, MAGIC)
    with pytest.raises(NotAuthenticated):
        _consume(session, first, clock)
    _consume(session, second, clock)


def test_another_persons_link_still_signs_in_only_that_person(session, people, outbox, clock):
    _request_link(session, ADA, clock)
    _request_link(session, BOB, clock)
    ada_token = outbox.link_token(ADA, MAGIC)
    _consume(session, outbox.link_token(BOB, MAGIC), clock)
    _, _, user = _consume(session, ada_token, clock)  # Bob's sign-in left Ada's link alone
    assert user.id == people[0].id


def test_a_link_of_another_purpose_is_refused(session, people, outbox, clock):
    sign_in.request_password_reset(session, email=ADA, ip=IP, user_agent=AGENT, clock=clock)
    reset_token = outbox.link_token(ADA, RESET)
    with pytest.raises(NotAuthenticated):
        _consume(session, reset_token, clock)
    # Refusing it did not use it up.
    sign_in.confirm_password_reset(session, token=reset_token, new_password="granite sparrow lullaby", clock=clock)


def test_a_link_for_an_account_deactivated_since_is_refused(session, people, outbox, clock):
    _request_link(session, BOB, clock)
    token = outbox.link_token(BOB, MAGIC)
    people[1].is_active = False
    session.add(people[1])
    session.commit()
    with pytest.raises(NotAuthenticated):
        _consume(session, token, clock)


@pytest.mark.parametrize("token", ["", "x", "a" * 5000, "../../etc/passwd"])
def test_garbage_tokens_are_refused(session, people, outbox, clock, token):
    with pytest.raises(NotAuthenticated):
        _consume(session, token, clock)


def test_the_magic_link_email_has_text_and_html_with_the_base_url(session, people, outbox, clock):
    _request_link(session, ADA, clock)
    message = outbox.last(ADA)
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert "http://testserver/auth/magic/" in outbox.text(message)


def test_issue_link_refuses_the_code_purpose(session):
    with pytest.raises(ValueError):
        one_time.issue_link(session, purpose=TokenPurpose.EMAIL_CODE, email=ADA)


def test_a_token_for_nobody_yet_leaves_the_others_standing(session):
    """Single sign-ons in progress name no one: a new one must not end another browser's."""
    first, raw_first = one_time.issue_link(session, purpose=TokenPurpose.SSO_STATE, email="")
    _, raw_second = one_time.issue_link(session, purpose=TokenPurpose.SSO_STATE, email="")
    assert first.revoked_at is None
    assert one_time.redeem_link(session, purpose=TokenPurpose.SSO_STATE, token=raw_first) is not None
    assert one_time.redeem_link(session, purpose=TokenPurpose.SSO_STATE, token=raw_second) is not None
    assert one_time.redeem_link(session, purpose=TokenPurpose.SSO_STATE, token=raw_first) is None
