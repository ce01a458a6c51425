"""Signing in and out over HTTP, as an attacker would try it: fixation, open redirects,
enumeration, throttling, odd bodies, odd passwords, and sessions that must end at once."""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.responses import Response

from fluxent import routes
from fluxent.api.identity import set_session_cookie
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.core.settings import reset_settings
from tests.support.auth import PASSWORD, make_user
from tests.support.auth_api import ADA, BOB, SITE, error_code, set_cookie_attributes

PORTAL = SITE + routes.PORTAL


def _form_login(browser, password=PASSWORD, **fields):
    return browser.form(routes.API_LOGIN, {"login": ADA, "password": password, **fields})


# Success ------------------------------------------------------------------------------


@pytest.mark.parametrize("login", [ADA, "ADA@Example.COM", "ada.l", "  Ada.L "])
def test_json_sign_in_by_username_or_email_returns_the_person(browser, people, login):
    response = browser.post(routes.API_LOGIN, {"login": login, "password": PASSWORD})
    assert response.status_code == 200
    user = response.json()["user"]
    assert (user["email"], user["role"]) == (ADA, "client")
    assert "password_hash" not in response.text and PASSWORD not in response.text
    assert response.headers["cache-control"] == "no-store"
    assert browser.get(routes.API_ME).json()["user"]["id"] == people.ada.id


def test_the_session_cookie_is_httponly_lax_and_site_wide(browser, people):
    cookie = set_cookie_attributes(browser.sign_in(ADA), SESSION_COOKIE)
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert "secure" not in cookie  # plain http in tests; https base URLs add Secure
    assert len(cookie["value"]) >= 43  # 256 bits


def test_the_session_cookie_is_secure_on_https(monkeypatch):
    monkeypatch.setenv("FLUXENT_BASE_URL", "https://portal.example")
    reset_settings()
    response = Response()
    set_session_cookie(response, "x" * 43)
    assert "secure" in response.headers["set-cookie"].lower()


def test_form_sign_in_goes_to_a_same_site_next_page(browser, people):
    response = _form_login(browser, next="/portal/invoices?year=2026#due")
    assert response.status_code == 303
    assert response.headers["location"] == SITE + "/portal/invoices?year=2026#due"
    assert browser.session_cookie
    assert browser.get(routes.API_ME).status_code == 200


OFF_SITE = [
    "//evil.com",
    "///evil.com",
    "https://evil.com",
    "http:evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/%2F%2Fevil.com",
    "/%2f/evil.com",
    "%2F%2Fevil.com",
    "/%5Cevil.com",
    "/%252F%252Fevil.com",
    "/\t/evil.com",
    " /portal",
    "@evil.com",
    ".evil.com",
    "/portal\r\nLocation: https://evil.com",
    "",
]


def test_sign_in_never_redirects_off_site(browser, people):
    for next_page in OFF_SITE:  # one database for all: each case is a pair of requests
        failed = _form_login(browser, password="wrong password entirely", next=next_page)
        assert urlsplit(failed.headers["location"]).netloc == "testserver", next_page
        assert "next" not in parse_qs(urlsplit(failed.headers["location"]).query), next_page
        response = _form_login(browser, next=next_page)  # success also clears the failure count
        assert response.status_code == 303, next_page
        assert response.headers["location"] == PORTAL, next_page


# Failure ------------------------------------------------------------------------------


def test_a_failed_form_sign_in_goes_back_with_a_code_and_the_next_page(browser, people):
    response = _form_login(browser, password="not the password", next="/portal/account")
    assert response.status_code == 303
    assert response.headers["location"] == f"{SITE}/login?error=invalid_credentials&next=%2Fportal%2Faccount"
    assert "not the password" not in response.headers["location"] and ADA not in response.headers["location"]
    assert browser.session_cookie is None


def test_unknown_accounts_and_wrong_passwords_answer_alike(browser, people):
    wrong = browser.post(routes.API_LOGIN, {"login": ADA, "password": "not the password"})
    unknown = browser.post(routes.API_LOGIN, {"login": "nobody@example.com", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert (
        _form_login(browser, password="nope").headers["location"]
        == browser.form(routes.API_LOGIN, {"login": "nobody@example.com", "password": "nope"}).headers["location"]
    )


def test_repeated_failures_are_throttled_with_retry_after(browser, people):
    for _ in range(6):
        assert browser.post(routes.API_LOGIN, {"login": ADA, "password": "guess"}).status_code == 401
    throttled = browser.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD})  # even the right one
    assert throttled.status_code == 429
    assert error_code(throttled) == "rate_limited"
    assert int(throttled.headers["retry-after"]) > 0
    form = _form_login(browser)
    assert form.headers["location"] == f"{SITE}/login?error=throttled"
    assert browser.session_cookie is None


BAD_BODIES = [
    (b'{"login": "ada@example.com", "password": ', "application/json", 400, "malformed_json"),
    (b"\xff\xfe not json", "application/json", 400, "malformed_json"),
    (b'["ada@example.com", "pw"]', "application/json", 422, "validation_failed"),
    (b'{"login": "ada@example.com"}', "application/json", 422, "validation_failed"),
    (b'{"login": 5, "password": {"$ne": null}}', "application/json", 422, "validation_failed"),
    (b"login=ada%40example.com", "text/plain", 415, "unsupported_media_type"),
    (b'{"login": "' + b"a" * 300_000 + b'", "password": "x"}', "application/json", 413, "payload_too_large"),
]


def test_bad_bodies_get_clear_errors(browser, people):
    for body, content_type, status, code in BAD_BODIES:
        headers = browser.headers(**{"Content-Type": content_type})
        response = browser.client.post(routes.API_LOGIN, content=body, headers=headers)
        assert (response.status_code, error_code(response)) == (status, code), body[:40]
        assert browser.session_cookie is None


def test_field_errors_name_the_field_and_never_echo_the_password(browser, people):
    secret = "p" * 2000
    response = browser.post(routes.API_LOGIN, {"login": ADA, "password": secret})
    assert response.status_code == 422
    assert "password" in response.json()["error"]["fields"]
    assert secret not in response.text


def test_an_invalid_form_goes_back_with_invalid_input(browser, people):
    response = browser.form(routes.API_LOGIN, {"login": ADA})
    assert response.headers["location"] == f"{SITE}/login?error=invalid_input"


@pytest.mark.parametrize(
    "password",
    [
        "çà et là, les mots de passe — 密码很长 🔐🗝️",
        "ü" * 150,  # 300 bytes of UTF-8, far past bcrypt's 72
        "x" * 71 + "ü" * 115,  # 301 bytes, the difference beyond byte 72
    ],
    ids=["unicode", "300-bytes", "past-72-bytes"],
)
def test_long_and_unicode_passwords_work_whole(browser, session, password):
    make_user(session, "uni@example.com", password=password)
    session.commit()
    almost = password[:-1] + ("a" if password[-1] != "a" else "b")
    assert browser.post(routes.API_LOGIN, {"login": "uni@example.com", "password": almost}).status_code == 401
    decomposed = unicodedata.normalize("NFD", password)  # what another keyboard may send
    assert browser.post(routes.API_LOGIN, {"login": "uni@example.com", "password": decomposed}).status_code == 200


# Sessions -----------------------------------------------------------------------------


def test_sign_in_replaces_a_planted_session_id(browser, make_browser, people):
    attacker = make_browser()
    attacker.sign_in(BOB)
    planted = attacker.session_cookie
    browser.client.cookies.set(SESSION_COOKIE, planted)  # fixation: the victim's browser carries Bob's id
    response = browser.sign_in(ADA)
    new = set_cookie_attributes(response, SESSION_COOKIE)["value"]
    assert new != planted
    assert browser.get(routes.API_ME).json()["user"]["email"] == ADA
    assert attacker.get(routes.API_ME).json()["user"]["email"] == BOB  # the planted id never became Ada


def test_a_made_up_session_id_is_replaced_too(browser, people):
    browser.client.cookies.set(SESSION_COOKIE, "attacker-chosen-value-0123456789")
    assert browser.get(routes.API_ME).status_code == 401
    response = browser.sign_in(ADA)
    assert set_cookie_attributes(response, SESSION_COOKIE)["value"] != "attacker-chosen-value-0123456789"


def test_sign_out_ends_the_session_on_the_server_at_once(browser, make_browser, people):
    browser.sign_in(ADA)
    stolen = browser.session_cookie
    response = browser.post(routes.API_LOGOUT)
    assert response.status_code == 204
    cleared = set_cookie_attributes(response, SESSION_COOKIE)
    assert cleared["value"] == "" and cleared["max-age"] == "0"
    thief = make_browser()
    thief.client.cookies.set(SESSION_COOKIE, stolen)
    assert thief.get(routes.API_ME).status_code == 401


def test_form_sign_out_goes_to_the_sign_in_page(browser, people):
    browser.sign_in(ADA)
    response = browser.form(routes.API_LOGOUT, {})
    assert response.headers["location"] == f"{SITE}/login?notice=signed_out"
    assert browser.get(routes.API_ME).status_code == 401


def test_signing_out_without_a_session_still_clears_the_cookie(browser):
    assert browser.post(routes.API_LOGOUT).status_code == 204


PROTECTED = [
    ("GET", routes.API_ME),
    ("PATCH", routes.API_ME),
    ("DELETE", routes.API_ME),
    ("GET", routes.API_ME_EXPORT),
    ("POST", routes.API_ME_ERASURE_CODE),
    ("POST", routes.API_ME_EMAIL_VERIFY),
    ("POST", routes.API_PASSWORD_CHANGE),
    ("GET", routes.API_SESSIONS),
    ("DELETE", routes.API_SESSION.format(session_id=1)),
    ("POST", routes.API_SESSIONS_REVOKE_OTHERS),
    ("POST", routes.API_INVITATIONS),
    ("POST", routes.API_VIEW_AS),
    ("GET", routes.API_ME_POLICY_NOTICES),
    ("POST", routes.API_ME_POLICY_NOTICE_ACKNOWLEDGE.format(announcement_id=1)),
]


def test_anonymous_callers_of_protected_routes_get_401(browser):
    for method, path in PROTECTED:
        response = browser.send(method, path, None if method == "GET" else {})
        assert (response.status_code, error_code(response)) == (401, "not_authenticated"), (method, path)
