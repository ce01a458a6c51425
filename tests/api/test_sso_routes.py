"""Staff single sign-on against a real OpenID Connect provider on localhost: the happy
path, and every way a callback can be forged, replayed or carry the wrong token."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import col, select

from fluxent import routes
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.core.settings import reset_settings
from fluxent.models.accounts import Role, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.services.auth import sso
from tests.support.auth import PASSWORD, make_user
from tests.support.auth_api import ADA, SITE, Browser, error_code, read, set_cookie_attributes
from tests.support.oidc import Provider, running_provider

STAFF_DOMAIN = "fluxent.test"
NEW_HIRE = f"noor@{STAFF_DOMAIN}"
SIGN_IN_FAILED = SITE + routes.LOGIN + "?error=sso_failed"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


@pytest.fixture
def idp(provider: Provider, database, monkeypatch) -> Provider:
    """Single sign-on set up against the local provider, on the test database."""
    for name, value in {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": "fluxent-portal",
        "OIDC_CLIENT_SECRET": "provider-given-secret",
        "OIDC_STAFF_DOMAINS": f"{STAFF_DOMAIN}, @Second.Test",
    }.items():
        monkeypatch.setenv(f"FLUXENT_{name}", value)
    reset_settings()
    return provider


def _start(browser: Browser, next_path: str = "") -> str:
    response = browser.form(routes.API_SSO_START, {"next": next_path})
    assert response.status_code == 303, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.headers["location"]


def _sign_in(browser: Browser, idp: Provider, sub: str, next_path: str = ""):
    """Start at the site, approve at the provider, come back: the callback's answer."""
    return browser.get(idp.approve(_start(browser, next_path), sub))


def _failures() -> list[str]:
    """The reasons of the audited failed sign-ins, oldest first."""

    def reasons(db):
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
        return [json.loads(row.meta)["reason"] for row in rows]

    return read(reasons)


def _actions() -> list[str]:
    return read(lambda db: [row.action for row in db.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()])


def _refused(response, reason: str, browser: Browser) -> None:
    assert response.status_code == 303
    assert response.headers["location"] == SIGN_IN_FAILED
    assert browser.session_cookie is None
    assert _failures()[-1] == reason


# Signing in -------------------------------------------------------------------------


def test_the_authorization_request_uses_pkce_state_and_nonce(idp, browser):
    query = parse_qs(urlsplit(_start(browser)).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["fluxent-portal"]
    assert query["redirect_uri"] == [SITE + routes.API_SSO_CALLBACK]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43 and len(query["nonce"][0]) >= 32
    state = query["state"][0]
    stored = read(lambda db: db.exec(select(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.SSO_STATE)).one())
    assert state not in stored.token_hash and state not in stored.payload  # only its hash is kept
    assert json.loads(stored.payload)["verifier"] not in query["code_challenge"][0]


def test_a_first_sign_in_of_an_allowed_domain_creates_a_staff_account(idp, browser):
    sub = idp.person("noor", email="Noor@Fluxent.test", name="Noor Haddad")
    response = _sign_in(browser, idp, sub, next_path="/admin")
    assert response.status_code == 303
    assert response.headers["location"] == SITE + "/admin"
    cookie = set_cookie_attributes(response, SESSION_COOKIE)
    assert "httponly" in cookie and cookie["samesite"].lower() == "lax"
    me = browser.get(routes.API_ME).json()["user"]
    assert (me["email"], me["role"], me["name"]) == (NEW_HIRE, "staff", "Noor Haddad")
    user = read(lambda db: db.exec(select(User).where(User.email == NEW_HIRE)).one())
    assert user.password_hash is None and user.email_verified_at is not None
    actions = _actions()
    assert actions[-3:] == ["accounts.user_created", "auth.sso_account_created", "auth.login_succeeded"]
    assert "auth.sso_started" in actions


def test_an_existing_admin_keeps_the_role_and_gets_a_new_session_each_time(idp, make_browser, session):
    admin = make_user(session, f"marcus@{STAFF_DOMAIN}", role=Role.ADMIN)
    session.commit()
    idp.person("marcus", email=admin.email)
    first, second = make_browser(), make_browser()
    assert _sign_in(first, idp, "marcus").headers["location"] == SITE + routes.ADMIN
    assert _sign_in(second, idp, "marcus").status_code == 303
    assert first.session_cookie != second.session_cookie
    assert first.get(routes.API_ME).json()["user"]["role"] == "admin"
    assert second.get(routes.API_ME).json()["user"]["role"] == "admin"


def test_an_off_site_next_page_falls_back_to_the_console(idp, browser):
    idp.person("noor", email=NEW_HIRE)
    assert _sign_in(browser, idp, "noor", next_path="//evil.example/x").headers["location"] == SITE + routes.ADMIN


# Forged and replayed callbacks --------------------------------------------------------


def test_a_tampered_state_is_refused(idp, browser):
    idp.person("noor", email=NEW_HIRE)
    back = idp.approve(_start(browser), "noor")
    state = parse_qs(urlsplit(back).query)["state"][0]
    _refused(browser.get(back.replace(state, state[:-2] + "xy")), "bad_state", browser)
    assert read(lambda db: db.exec(select(User).where(User.email == NEW_HIRE)).first()) is None


def test_a_callback_without_state_is_refused(idp, browser):
    _refused(browser.get(routes.API_SSO_CALLBACK + "?code=abc"), "bad_state", browser)


def test_a_callback_opened_in_another_browser_signs_nobody_in(idp, make_browser):
    """Login CSRF: someone else's callback address must not sign this browser in as them."""
    idp.person("noor", email=NEW_HIRE)
    attacker, victim = make_browser(), make_browser()
    back = idp.approve(_start(attacker), "noor")
    assert victim.csrf_token  # the victim's browser has a csrftoken of its own
    _refused(victim.get(back), "bad_state", victim)
    # And the state is used up: the attacker's own browser cannot use it afterwards either.
    _refused(attacker.get(back), "bad_state", attacker)


def test_a_replayed_callback_is_refused(idp, browser):
    idp.person("noor", email=NEW_HIRE)
    back = idp.approve(_start(browser), "noor")
    assert browser.get(back).status_code == 303 and browser.session_cookie
    browser.client.cookies.delete(SESSION_COOKIE)
    _refused(browser.get(back), "bad_state", browser)


def test_a_replayed_code_with_a_fresh_state_is_refused_by_the_provider(idp, browser):
    idp.person("noor", email=NEW_HIRE)
    used = parse_qs(urlsplit(idp.approve(_start(browser), "noor")).query)
    assert browser.get(routes.API_SSO_CALLBACK, params={"state": used["state"][0], "code": used["code"][0]}).status_code
    browser.client.cookies.delete(SESSION_COOKIE)
    fresh = parse_qs(urlsplit(_start(browser)).query)["state"][0]
    response = browser.get(routes.API_SSO_CALLBACK, params={"state": fresh, "code": used["code"][0]})
    _refused(response, "code_rejected", browser)


def test_an_expired_state_is_refused(idp, browser):
    idp.person("noor", email=NEW_HIRE)
    back = idp.approve(_start(browser), "noor")

    def age(db):
        row = db.exec(select(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.SSO_STATE)).one()
        row.expires_at = row.created_at
        db.add(row)

    read(age)
    _refused(browser.get(back), "bad_state", browser)


def test_the_provider_saying_no_is_refused(idp, browser):
    state = parse_qs(urlsplit(_start(browser)).query)["state"][0]
    response = browser.get(routes.API_SSO_CALLBACK, params={"state": state, "error": "access_denied"})
    _refused(response, "provider_refused", browser)


# Tokens the provider issued, but not for this sign-in ---------------------------------------


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "someone-else"},
        {"aud": ["someone-else", "fluxent-portal"]},  # several audiences, and not the authorized party
        {"exp": int(time.time()) - 3600},
        {"iss": "https://impostor.example"},
        {"nonce": "a-nonce-from-another-sign-in"},
    ],
    ids=["wrong-audience", "several-audiences-no-azp", "expired", "wrong-issuer", "wrong-nonce"],
)
def test_an_id_token_that_does_not_hold_is_refused(idp, browser, claims):
    idp.person("noor", email=NEW_HIRE, **claims)
    _refused(_sign_in(browser, idp, "noor"), "token_invalid", browser)
    assert read(lambda db: db.exec(select(User).where(User.email == NEW_HIRE)).first()) is None


# Who may sign in this way ---------------------------------------------------------------


def test_a_domain_not_allowed_is_refused(idp, browser):
    idp.person("eve", email="eve@elsewhere.test")
    _refused(_sign_in(browser, idp, "eve"), "domain_not_allowed", browser)
    assert read(lambda db: db.exec(select(User).where(User.email == "eve@elsewhere.test")).first()) is None


def test_a_second_allowed_domain_works(idp, browser):
    idp.person("lee", email="lee@second.test")
    assert _sign_in(browser, idp, "lee").status_code == 303
    assert browser.get(routes.API_ME).json()["user"]["role"] == "staff"


def test_an_unverified_or_missing_email_is_refused(idp, make_browser):
    idp.person("unverified", email=NEW_HIRE, email_verified=False)
    idp.person("nobody")
    first, second = make_browser(), make_browser()
    _refused(_sign_in(first, idp, "unverified"), "no_verified_email", first)
    _refused(_sign_in(second, idp, "nobody"), "no_verified_email", second)


def test_a_client_account_never_signs_in_this_way(idp, browser, session):
    make_user(session, f"dana@{STAFF_DOMAIN}", role=Role.CLIENT)
    session.commit()
    idp.person("dana", email=f"dana@{STAFF_DOMAIN}")
    _refused(_sign_in(browser, idp, "dana"), "not_staff", browser)


def test_a_deactivated_staff_account_is_refused(idp, browser, session):
    user = make_user(session, f"gone@{STAFF_DOMAIN}", role=Role.STAFF)
    user.is_active = False
    session.add(user)
    session.commit()
    idp.person("gone", email=user.email)
    _refused(_sign_in(browser, idp, "gone"), "account_disabled", browser)


# Configuration and the start route ------------------------------------------------------


def test_without_configuration_the_start_is_not_found(browser, people):
    reset_settings()
    assert browser.post(routes.API_SSO_START, {}).status_code == 404
    response = browser.form(routes.API_SSO_START, {})
    assert response.headers["location"] == SIGN_IN_FAILED
    assert not sso.is_configured()


def test_the_start_needs_the_csrf_token(idp, browser):
    response = browser.client.post(routes.API_SSO_START, json={}, headers={"Origin": SITE})
    assert response.status_code == 403
    response = browser.form(routes.API_SSO_START, {}, headers={"Origin": "https://evil.example"})
    assert response.headers["location"] == SITE + routes.LOGIN + "?error=csrf_failed"


def test_json_callers_get_the_authorization_url(idp, browser):
    response = browser.post(routes.API_SSO_START, {"next": "/portal"})
    assert response.status_code == 200
    assert response.json()["authorization_url"].startswith(idp.issuer + "/oauth2/authorize?")


def test_an_unreachable_provider_is_refused_and_audited(idp, browser, monkeypatch):
    monkeypatch.setenv("FLUXENT_OIDC_ISSUER", "http://127.0.0.1:9")
    reset_settings()
    assert browser.form(routes.API_SSO_START, {}).headers["location"] == SIGN_IN_FAILED
    assert _failures() == ["provider_unreachable"]


# Single sign-on required ------------------------------------------------------------------


@pytest.fixture
def required(idp, monkeypatch) -> Provider:
    monkeypatch.setenv("FLUXENT_STAFF_SSO_REQUIRED", "true")
    reset_settings()
    return idp


@pytest.mark.parametrize("who", ["staff@example.com", "admin@example.com"])
def test_sso_required_refuses_staff_passwords(required, browser, people, who):
    response = browser.post(routes.API_LOGIN, {"login": who, "password": PASSWORD})
    assert response.status_code == 403 and error_code(response) == "sso_required"
    assert browser.session_cookie is None
    form = browser.form(routes.API_LOGIN, {"login": who, "password": PASSWORD})
    assert form.headers["location"] == SITE + routes.LOGIN + "?error=sso_required"
    assert _failures() == ["sso_required", "sso_required"]


def test_sso_required_refuses_a_wrong_staff_password_as_any_wrong_password(required, browser, people):
    """The refusal comes after the password check, so it tells a guesser nothing about the account."""
    response = browser.post(routes.API_LOGIN, {"login": "staff@example.com", "password": "not it at all"})
    assert error_code(response) == "not_authenticated"


def test_sso_required_refuses_staff_email_codes_and_magic_links(required, browser, people, session):
    from fluxent.services.auth import one_time

    code = one_time.issue_code(session, email=people.staff.email, user_id=people.staff.id).code
    _, link = one_time.issue_link(
        session, purpose=TokenPurpose.MAGIC_LINK, email=people.admin.email, user_id=people.admin.id
    )
    session.commit()
    by_code = browser.post(routes.API_OTP_VERIFY, {"email": people.staff.email, "code": code})
    by_link = browser.post(routes.API_MAGIC_LINK_CONSUME, {"token": link})
    assert [error_code(by_code), error_code(by_link)] == ["sso_required", "sso_required"]
    assert browser.session_cookie is None


@pytest.mark.parametrize(
    "request_path", [routes.API_OTP_REQUEST, routes.API_MAGIC_LINK_REQUEST, routes.API_PASSWORD_RESET_REQUEST]
)
def test_sso_required_staff_asking_for_a_code_or_link_get_none(required, outbox, browser, people, request_path):
    staff = browser.post(request_path, {"email": people.staff.email})
    client = browser.post(request_path, {"email": ADA})
    # The same answer as anyone's (it tells nothing of the account), and no code or link issued.
    assert (staff.status_code, staff.json()) == (client.status_code, client.json())
    note = outbox.text(outbox.last(people.staff.email))
    assert "company account" in note and not re.search(r"\d{6}|/auth/magic/|/reset-password/", note)
    assert read(lambda db: db.exec(select(OneTimeToken).where(OneTimeToken.user_id == people.staff.id)).all()) == []
    assert "sso_required" in str(read(lambda db: db.exec(select(AuditEvent.meta)).all()))


def test_sso_required_leaves_clients_their_passwords_and_staff_their_provider(required, make_browser, people):
    client = make_browser()
    assert client.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).status_code == 200
    staff = make_browser()
    required.person("sam", email=f"sam@{STAFF_DOMAIN}")
    assert _sign_in(staff, required, "sam").status_code == 303
    assert staff.get(routes.API_ME).json()["user"]["role"] == "staff"


def test_sso_required_a_staff_invitation_makes_the_account_and_the_provider_signs_it_in(
    required, make_browser, people, session, outbox
):
    from fluxent.services.accounts import invitations

    invitations.invite(session, actor=people.admin, email=NEW_HIRE, role="staff")
    session.commit()
    invitee = make_browser()
    fields = {"token": outbox.link_token(NEW_HIRE, "/invite/"), "name": "Noor Haddad", "password": PASSWORD}
    accepted = invitee.post(routes.API_INVITATION_ACCEPT, fields)
    assert accepted.status_code == 403 and error_code(accepted) == "sso_required"
    assert invitee.session_cookie is None
    assert read(lambda db: db.exec(select(User).where(User.email == NEW_HIRE)).one()).role == Role.STAFF
    required.person("noor", email=NEW_HIRE)
    assert _sign_in(invitee, required, "noor").status_code == 303
    assert invitee.get(routes.API_ME).json()["user"]["name"] == "Noor Haddad"


def test_the_provider_is_asked_with_no_transaction_open(idp, session, monkeypatch):
    """On SQLite an open writing transaction holds the database-wide write lock: never across a call to the provider."""
    from authlib.integrations.requests_client import OAuth2Session

    seen: list[bool] = []
    real_fetch = OAuth2Session.fetch_token

    def fetch(self, *args, **kwargs):
        seen.append(session.in_transaction())
        return real_fetch(self, *args, **kwargs)

    monkeypatch.setattr(OAuth2Session, "fetch_token", fetch)
    idp.person("noor", email=NEW_HIRE)
    key = "a-csrf-token-of-this-browser"
    url = sso.start(session, browser_key=key, next_path="/admin", ip="192.0.2.1", user_agent="test")
    session.commit()
    query = parse_qs(urlsplit(idp.approve(url, "noor")).query)
    (_, _, user), next_path = sso.complete(
        session,
        state=query["state"][0],
        code=query["code"][0],
        error="",
        browser_key=key,
        ip="192.0.2.1",
        user_agent="t",
    )
    assert (user.email, next_path, seen) == (NEW_HIRE, "/admin", [False])
