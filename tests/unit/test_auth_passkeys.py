"""Passkeys as the second sign-in step: adding one (real "none" attestation from a software
ES256 key), signing in with it, and every refusal: a replayed or expired challenge, the
wrong origin or relying party, another person's passkey, a counter that went back; removal
behind a step-up, and recovery by an administrator."""

from __future__ import annotations

import pytest
from sqlmodel import select

from fluxent.core.errors import NotAuthenticated, NotFound, ReauthRequired, ValidationFailed
from fluxent.core.settings import get_settings, reset_settings
from fluxent.models.accounts import Role
from fluxent.models.two_step import Passkey
from fluxent.services.auth import passkeys, sessions, sign_in, two_step
from fluxent.services.auth.sign_in import SecondStepDue
from tests.support.auth import AGENT, IP, PASSWORD, audit_actions, make_user
from tests.support.webauthn_device import SoftPasskey


@pytest.fixture
def ada(session):
    user = make_user(session, "ada@example.com", username="ada.l", name="Ada Lovelace")
    session.commit()
    return user


@pytest.fixture
def bob(session):
    user = make_user(session, "bob@example.com", username="bob.b", name="Bob Babbage")
    session.commit()
    return user


def _add(session, user, device: SoftPasskey, clock, name="Work laptop") -> Passkey:
    options = passkeys.registration_options(session, user=user, clock=clock)
    passkey = passkeys.add(session, user=user, name=name, response=device.register(options), clock=clock)
    session.commit()
    return passkey


def _ticket(session, clock, login="ada.l") -> str:
    first = sign_in.login(session, login=login, password=PASSWORD, ip=IP, user_agent=AGENT, clock=clock)
    assert isinstance(first, SecondStepDue)
    session.commit()
    return first.ticket


def _options(session, ticket: str, clock) -> dict:
    opened = two_step.open_ticket(session, ticket, clock=clock)
    assert opened is not None
    options = passkeys.sign_in_options(session, ticket=opened, clock=clock)
    session.commit()
    return options


def _finish(session, ticket: str, answer: dict, clock):
    return sign_in.complete_second_step_with_passkey(
        session, ticket=ticket, credential=answer, ip=IP, user_agent=AGENT, clock=clock
    )


def _refused(session, ticket: str, answer: dict, clock) -> None:
    with pytest.raises(NotAuthenticated):
        _finish(session, ticket, answer, clock)
    session.rollback()


def test_a_person_adds_a_passkey_and_signs_in_with_it_as_the_second_step(session, ada, clock):
    device = SoftPasskey()
    options = passkeys.registration_options(session, user=ada, clock=clock)
    assert options["rp"] == {"id": get_settings().resolved_webauthn_rp_id, "name": "Fluxent"}
    assert options["user"]["name"] == "ada@example.com"
    assert str(ada.id) != options["user"]["id"]
    added = passkeys.add(session, user=ada, name="  Work   laptop ", response=device.register(options), clock=clock)
    session.commit()
    assert added.name == "Work laptop" and added.credential_id == device.id and added.transports == "internal"
    assert "auth.passkey_added" in audit_actions(session)

    # With a passkey, the password alone no longer signs in.
    ticket = _ticket(session, clock)
    options = _options(session, ticket, clock)
    assert [allowed["id"] for allowed in options["allowCredentials"]] == [device.id]
    auth_session, raw, user = _finish(session, ticket, device.authenticate(options), clock)
    session.commit()
    assert user.id == ada.id and auth_session.user_id == ada.id and raw
    stored = session.exec(select(Passkey).where(Passkey.user_id == ada.id)).one()
    assert stored.sign_count == 1 and stored.last_used_at is not None
    actions = audit_actions(session)
    assert "auth.passkey_used" in actions and "auth.two_step_used" in actions


def test_a_replayed_sign_in_answer_is_refused(session, ada, clock):
    device = SoftPasskey()
    _add(session, ada, device, clock)
    ticket = _ticket(session, clock)
    answer = device.authenticate(_options(session, ticket, clock))
    _finish(session, ticket, answer, clock)
    session.commit()

    again = _ticket(session, clock)
    _options(session, again, clock)
    _refused(session, again, answer, clock)


def test_a_wrong_answer_uses_the_challenge_up(session, ada, clock):
    device = SoftPasskey()
    _add(session, ada, device, clock)
    ticket = _ticket(session, clock)
    options = _options(session, ticket, clock)
    _refused(session, ticket, device.authenticate(options) | {"id": "nope", "rawId": "nope"}, clock)
    _refused(session, ticket, device.authenticate(options), clock)


def test_a_registration_answer_counts_once(session, ada, clock):
    device = SoftPasskey()
    options = passkeys.registration_options(session, user=ada, clock=clock)
    answer = device.register(options)
    passkeys.add(session, user=ada, name="Phone", response=answer, clock=clock)
    session.commit()
    with pytest.raises(ValidationFailed):
        passkeys.add(session, user=ada, name="Phone again", response=answer, clock=clock)


def test_an_expired_challenge_is_refused(session, ada, clock):
    device = SoftPasskey()
    options = passkeys.registration_options(session, user=ada, clock=clock)
    clock.advance(minutes=6)
    with pytest.raises(ValidationFailed):
        passkeys.add(session, user=ada, name="Phone", response=device.register(options), clock=clock)
    session.rollback()

    _add(session, ada, device, clock)
    ticket = _ticket(session, clock)
    options = _options(session, ticket, clock)
    clock.advance(minutes=4)  # the ticket still lives; its passkey challenge does not
    _refused(session, ticket, device.authenticate(options), clock)
    _finish(session, ticket, device.authenticate(_options(session, ticket, clock)), clock)


def test_an_answer_for_another_origin_is_refused(session, ada, clock):
    device = SoftPasskey()
    options = passkeys.registration_options(session, user=ada, clock=clock)
    with pytest.raises(ValidationFailed):
        passkeys.add(
            session, user=ada, name="Phone", response=device.register(options, origin="https://evil.test"), clock=clock
        )
    session.rollback()

    _add(session, ada, device, clock)
    ticket = _ticket(session, clock)
    _refused(session, ticket, device.authenticate(_options(session, ticket, clock), origin="https://evil.test"), clock)


def test_an_answer_for_another_relying_party_is_refused(session, ada, clock):
    device = SoftPasskey()
    options = passkeys.registration_options(session, user=ada, clock=clock)
    with pytest.raises(ValidationFailed):
        passkeys.add(session, user=ada, name="Phone", response=device.register(options, rp_id="evil.test"), clock=clock)
    session.rollback()

    _add(session, ada, device, clock)
    ticket = _ticket(session, clock)
    _refused(session, ticket, device.authenticate(_options(session, ticket, clock), rp_id="evil.test"), clock)


def test_another_persons_passkey_does_not_sign_in(session, ada, bob, clock):
    adas, bobs = SoftPasskey(), SoftPasskey()
    _add(session, ada, adas, clock)
    _add(session, bob, bobs, clock)
    ticket = _ticket(session, clock)
    _refused(session, ticket, bobs.authenticate(_options(session, ticket, clock)), clock)
    # Nor does a challenge made for another sign-in.
    bobs_ticket = _ticket(session, clock, login="bob.b")
    bobs_options = _options(session, bobs_ticket, clock)
    _refused(session, ticket, adas.authenticate(bobs_options), clock)


def test_a_counter_that_went_back_is_refused(session, ada, clock):
    device = SoftPasskey()
    _add(session, ada, device, clock)
    for _ in range(2):
        ticket = _ticket(session, clock)
        _finish(session, ticket, device.authenticate(_options(session, ticket, clock)), clock)
        session.commit()
    device.counter = 0  # a copy of the key that has not counted the uses since
    ticket = _ticket(session, clock)
    _refused(session, ticket, device.authenticate(_options(session, ticket, clock)), clock)


def test_wrong_answers_end_the_ticket(session, ada, clock):
    device = SoftPasskey()
    _add(session, ada, device, clock)
    ticket = _ticket(session, clock)
    for _ in range(two_step.TICKET_MAX_ATTEMPTS):
        _refused(session, ticket, device.authenticate(_options(session, ticket, clock), origin="https://x.test"), clock)
    assert two_step.open_ticket(session, ticket, clock=clock) is None


def test_a_name_is_required(session, ada, clock):
    options = passkeys.registration_options(session, user=ada, clock=clock)
    with pytest.raises(ValidationFailed) as refused:
        passkeys.add(session, user=ada, name="  ", response=SoftPasskey().register(options), clock=clock)
    assert refused.value.fields == {"name": passkeys.ENTER_NAME}


def test_removal_needs_a_step_up_and_only_touches_ones_own(session, ada, bob, clock):
    passkey = _add(session, ada, SoftPasskey(), clock)
    browser, _raw = sessions.start_session(session, user=ada, ip=IP, user_agent=AGENT, clock=clock)
    bobs_browser, _raw = sessions.start_session(session, user=bob, ip=IP, user_agent=AGENT, clock=clock)
    session.commit()
    with pytest.raises(ReauthRequired):
        passkeys.remove(session, user=ada, passkey_id=passkey.id, auth_session=browser, clock=clock)
    with pytest.raises(ValidationFailed):
        passkeys.remove(session, user=ada, passkey_id=passkey.id, auth_session=browser, password="wrong", clock=clock)
    with pytest.raises(NotFound):
        passkeys.remove(session, user=bob, passkey_id=passkey.id, auth_session=bobs_browser, password=PASSWORD)
    passkeys.remove(session, user=ada, passkey_id=passkey.id, auth_session=browser, password=PASSWORD, clock=clock)
    session.commit()
    assert passkeys.list_for(session, user_id=ada.id) == []
    assert "auth.passkey_removed" in audit_actions(session)
    # Without a passkey (or app), the password signs in again.
    first = sign_in.login(session, login="ada.l", password=PASSWORD, ip=IP, user_agent=AGENT, clock=clock)
    assert not isinstance(first, SecondStepDue)


def test_an_administrator_recovers_a_passkey_only_account(session, ada, clock, outbox):
    _add(session, ada, SoftPasskey(), clock)
    admin = make_user(session, "root@example.com", username="grace.admin", role=Role.ADMIN)
    session.commit()
    assert two_step.enrolled_among(session, [ada.id, admin.id]) == {ada.id}
    two_step.remove_for_person(session, actor=admin, user_id=ada.id, identity_check="Video call, ID matched")
    session.commit()
    assert passkeys.list_for(session, user_id=ada.id) == []


def test_the_relying_party_follows_the_settings(session, ada, clock, monkeypatch):
    monkeypatch.setenv("FLUXENT_BASE_URL", "https://portal.example.com")
    reset_settings()
    assert passkeys.rp_id() == "portal.example.com" and passkeys.expected_origin() == "https://portal.example.com"
    monkeypatch.setenv("FLUXENT_WEBAUTHN_RP_ID", "example.com")
    reset_settings()
    options = passkeys.registration_options(session, user=ada, clock=clock)
    assert options["rp"]["id"] == "example.com"


def test_the_export_lists_passkey_names_and_dates_never_keys_and_erasure_removes_them(session, ada, clock):
    from fluxent.services.privacy.erasure import erase_user
    from fluxent.services.privacy.export import export_user_data

    passkey = _add(session, ada, SoftPasskey(), clock, name="Phone")
    document = export_user_data(session, user=ada)
    [listed] = document["passkeys"]
    assert listed["name"] == "Phone" and listed["added_at"] and listed["last_used_at"] is None
    dumped = str(document)
    assert passkey.public_key not in dumped and passkey.credential_id not in dumped

    erase_user(session, user=ada, actor=ada)
    session.commit()
    assert session.exec(select(Passkey)).all() == []
