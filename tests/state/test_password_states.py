"""Forgotten password, new password feedback and invitations, as their states see them."""

from __future__ import annotations

import pytest

from fluxent import routes
from fluxent.models.accounts import Organization, Role
from fluxent.services.accounts import invitations
from fluxent.services.auth import password_policy, sessions
from fluxent.state.forgot_password import ForgotPasswordState
from fluxent.state.link_token import LinkTokenState
from fluxent.state.new_password import EMPTY, STRONG_ENOUGH, InvitationState, NewPasswordState
from tests.state.conftest import run
from tests.support.auth import make_user

STRONG = "lantern quarry velvet ostrich 4417"
INVITEE = "nora@example.com"


def _state_values(state) -> str:
    return repr(state.dict())


def test_forgot_password_answers_alike_for_known_and_unknown_addresses(page_state, session, outbox):
    make_user(session, "dana@example.com", name="Dana Whitfield")
    session.commit()
    for address in ("dana@example.com", "nobody@example.com"):
        state = page_state(ForgotPasswordState, routes.FORGOT_PASSWORD)
        state.load()
        run(state.request_reset({"email": address}))
        assert (state.sent, state.email_error, state.busy) == (True, "", False)
    assert "/reset-password/" in outbox.text(outbox.last("dana@example.com"))
    assert "/reset-password/" not in outbox.text(outbox.last("nobody@example.com"))
    state.start_over()
    assert state.sent is False


def test_forgot_password_with_a_bad_address_stays_on_the_form(page_state, outbox):
    state = page_state(ForgotPasswordState, routes.FORGOT_PASSWORD)
    run(state.request_reset({"email": "dana@"}))
    assert state.sent is False and state.email_error == "Enter a valid e-mail address."
    assert outbox.messages() == []


def test_new_password_feedback_is_the_server_policy_and_keeps_no_password(page_state):
    state = page_state(NewPasswordState, routes.with_token(routes.RESET_PASSWORD, "tok"))
    state.check_new_password("short")
    assert state.password_hint == f"Use at least {password_policy.MIN_LENGTH} characters."
    assert (state.password_ok, state.password_checked) == (False, True)
    state.check_new_password("a" * 20)
    assert not state.password_ok and state.password_hint.endswith(password_policy.ADVICE)
    state.check_new_password(STRONG)
    assert (state.password_ok, state.password_hint) == (True, STRONG_ENOUGH)
    assert STRONG not in _state_values(state) and STRONG not in _state_values(state._get_root_state())
    state.check_new_password("")
    assert (state.password_hint, state.password_checked) == (EMPTY, False)


def test_link_pages_read_the_token_from_the_path_and_reset_busy_on_load(page_state):
    state = page_state(LinkTokenState, routes.with_token(routes.MAGIC_LINK, "AbC_-123") + "/?error=link_invalid")
    assert state.link_token == "AbC_-123"
    state.posting()
    assert state.busy is True
    state.load()
    assert state.busy is False


@pytest.fixture
def invitation(session, outbox) -> str:
    staff = make_user(session, "sam@example.com", name="Sam Staff", role=Role.STAFF)
    org = Organization(name="Northwind Robotics", slug="northwind-robotics")
    session.add(org)
    session.flush()
    invitations.invite(session, actor=staff, email=INVITEE, organization=org)
    session.commit()
    return outbox.link_token(INVITEE, "/invite/")


def test_invitation_shows_who_invited_to_which_organization(page_state, invitation):
    state = page_state(InvitationState, routes.with_token(routes.INVITATION, invitation))
    state.load_invitation()
    assert (state.loaded, state.found, state.inviter, state.organization, state.email, state.has_account) == (
        True,
        True,
        "Sam Staff",
        "Northwind Robotics",
        INVITEE,
        False,
    )


def test_invitation_password_feedback_uses_the_new_persons_details(page_state, invitation):
    state = page_state(InvitationState, routes.with_token(routes.INVITATION, invitation))
    state.load_invitation()
    state.check_person_name("")
    assert state.name_error == "Enter your name."
    state.set_person_name("Nora Northcote")
    assert state.name_error == ""
    state.check_invited_password("northcote lantern quarry 4417")
    assert state.password_hint == password_policy.PERSONAL_REASON
    state.check_invited_password(STRONG)
    assert state.password_ok


def test_an_unknown_invitation_is_not_found(page_state, invitation):
    state = page_state(InvitationState, routes.with_token(routes.INVITATION, "x" * 43))
    state.load_invitation()
    assert (state.loaded, state.found, state.email, state.organization) == (True, False, "", "")


def test_an_invitation_for_an_existing_account_asks_it_to_sign_in_first(page_state, session, outbox):
    staff = make_user(session, "sam@example.com", name="Sam Staff", role=Role.STAFF)
    nora = make_user(session, INVITEE, name="Nora North")
    invitations.invite(session, actor=staff, email=INVITEE)
    _, raw = sessions.start_session(session, user=nora)
    session.commit()
    url = routes.with_token(routes.INVITATION, outbox.link_token(INVITEE, "/invite/"))
    state = page_state(InvitationState, url)
    state.load_invitation()
    assert (state.found, state.has_account, state.organization, state.inviter) == (True, True, "", "Sam Staff")
    assert state.needs_sign_in is True
    signed_in = page_state(InvitationState, url, cookie=f"sessionid={raw}")
    signed_in.load_invitation()
    assert (signed_in.has_account, signed_in.needs_sign_in) == (True, False)
