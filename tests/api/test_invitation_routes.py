"""Invitations over HTTP: staff invite, the invited person accepts with a form and lands
in the portal signed in; used, made-up and wrong-role invitations go nowhere."""

from __future__ import annotations

import pytest

from fluxent import routes
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.core.db import session_scope
from fluxent.services.accounts import organizations
from tests.support.auth_api import ADA, SITE, set_cookie_attributes

INVITEE = "grace@example.com"
INVITE = "/invite/"
GRACE_PASSWORD = "teal comet whistles backward"


@pytest.fixture
def staff(make_browser, people):
    staff = make_browser()
    staff.sign_in("staff@example.com")
    return staff


def _invite(staff, people, **extra):
    return staff.post(routes.API_INVITATIONS, {"email": INVITEE, "organization": people.acme.id, **extra})


def test_staff_invite_and_the_invitee_accepts_with_a_form(staff, browser, people, outbox):
    response = _invite(staff, people)
    assert response.status_code == 201 and response.json()["email"] == INVITEE
    token = outbox.link_token(INVITEE, INVITE)
    accepted = browser.form(
        routes.API_INVITATION_ACCEPT, {"token": token, "name": "Grace Hopper", "password": GRACE_PASSWORD}
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == SITE + routes.PORTAL
    assert "httponly" in set_cookie_attributes(accepted, SESSION_COOKIE)
    me = browser.get(routes.API_ME).json()["user"]
    assert (me["email"], me["organizations"][0]["name"]) == (INVITEE, "Acme Widgets")


def test_an_invitation_works_once(staff, browser, make_browser, people, outbox):
    _invite(staff, people)
    token = outbox.link_token(INVITEE, INVITE)
    fields = {"token": token, "name": "Grace Hopper", "password": GRACE_PASSWORD}
    assert browser.post(routes.API_INVITATION_ACCEPT, fields).status_code == 200
    again = make_browser().form(routes.API_INVITATION_ACCEPT, fields)
    assert again.headers["location"] == f"{SITE}/invite/{token}?error=link_invalid"


def test_a_weak_password_goes_back_to_the_invitation(staff, browser, people, outbox):
    _invite(staff, people)
    token = outbox.link_token(INVITEE, INVITE)
    weak = browser.form(routes.API_INVITATION_ACCEPT, {"token": token, "name": "Grace", "password": "grace123"})
    assert weak.headers["location"] == f"{SITE}/invite/{token}?error=weak_password"
    assert browser.session_cookie is None


def test_clients_cannot_invite(browser, people, outbox):
    browser.sign_in(ADA)
    assert browser.post(routes.API_INVITATIONS, {"email": INVITEE}).status_code == 403
    assert outbox.messages(INVITEE) == []


def test_only_admins_invite_staff(staff, make_browser, people, outbox):
    assert _invite(staff, people, role="staff").status_code == 403
    admin = make_browser()
    admin.sign_in("admin@example.com")
    assert admin.post(routes.API_INVITATIONS, {"email": INVITEE, "role": "staff"}).status_code == 201


def test_an_unknown_organization_or_role_is_refused(staff, people):
    assert _invite(staff, people, organization=424242).status_code == 404
    assert _invite(staff, people, role="admin").status_code == 422


def test_an_invitation_never_signs_into_an_existing_account(staff, make_browser, people, outbox):
    with session_scope() as db:
        contoso = organizations.get_or_create_organization(db, name="Contoso Labs").id
    assert staff.post(routes.API_INVITATIONS, {"email": ADA, "organization": contoso}).status_code == 201
    token = outbox.link_token(ADA, INVITE)

    stranger = make_browser()
    refused = stranger.post(routes.API_INVITATION_ACCEPT, {"token": token, "name": "x", "password": "y"})
    assert refused.status_code == 403 and stranger.session_cookie is None
    form = stranger.form(routes.API_INVITATION_ACCEPT, {"token": token, "name": "x", "password": "y"})
    assert form.status_code == 303 and stranger.session_cookie is None
    assert staff.post(routes.API_INVITATION_ACCEPT, {"token": token}).status_code == 403  # someone else's session

    ada = make_browser()
    ada.sign_in(ADA)
    own_session = ada.session_cookie
    accepted = ada.form(routes.API_INVITATION_ACCEPT, {"token": token})
    assert accepted.status_code == 303 and accepted.headers["location"] == SITE + routes.PORTAL
    assert ada.session_cookie == own_session
    names = {org["name"] for org in ada.get(routes.API_ME).json()["user"]["organizations"]}
    assert names == {"Acme Widgets", "Contoso Labs"}
