"""E-mail codes, magic links and password resets over HTTP: one use each, short-lived,
personal, never consumed by a GET, and the same answer for addresses without an account."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update

from fluxent import routes
from fluxent.core.clock import now
from fluxent.models.auth import OneTimeToken
from tests.support.auth import PASSWORD, Secrets, assert_no_secret_in_audit, audit_actions
from tests.support.auth_api import ADA, BOB, SITE, read

MAGIC = "/auth/magic/"
RESET = "/reset-password/"
NEW_PASSWORD = "granite sparrow lullaby meridian"


def _expire_all_tokens() -> None:
    read(lambda db: db.execute(update(OneTimeToken).values(expires_at=now() - timedelta(seconds=1))))


# Same answer whoever asks -----------------------------------------------------------------


@pytest.mark.parametrize(
    "route", [routes.API_OTP_REQUEST, routes.API_MAGIC_LINK_REQUEST, routes.API_PASSWORD_RESET_REQUEST]
)
def test_requests_answer_alike_for_unknown_addresses(browser, people, outbox, route):
    known = browser.post(route, {"email": ADA})
    unknown = browser.post(route, {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() == {"status": "sent"}
    assert outbox.messages(ADA) and outbox.messages("nobody@example.com")  # each gets an e-mail


@pytest.mark.parametrize(
    ("route", "location"),
    [
        (routes.API_OTP_REQUEST, "/login/verify?sent=1&next=%2Fportal%2Fdocuments"),
        (routes.API_MAGIC_LINK_REQUEST, "/login?notice=link_sent"),
        (routes.API_PASSWORD_RESET_REQUEST, "/login?notice=reset_sent"),
    ],
)
def test_form_requests_go_on_without_the_address_in_the_url(browser, people, outbox, route, location):
    for address in (ADA, "nobody@example.com"):
        response = browser.form(route, {"email": address, "next": "/portal/documents"})
        assert response.status_code == 303
        assert response.headers["location"] == SITE + location
        assert "@" not in response.headers["location"] and "example" not in response.headers["location"]


def test_mail_requests_are_throttled_per_address_with_retry_after(browser, people, outbox):
    for _ in range(6):
        browser.post(routes.API_OTP_REQUEST, {"email": "nobody@example.com"})
    throttled = browser.post(routes.API_OTP_REQUEST, {"email": "nobody@example.com"})
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    form = browser.form(routes.API_PASSWORD_RESET_REQUEST, {"email": "nobody@example.com"})
    assert form.headers["location"] == f"{SITE}/forgot-password?error=throttled"


def test_an_invalid_address_is_a_field_error(browser, people):
    response = browser.post(routes.API_MAGIC_LINK_REQUEST, {"email": "not an address"})
    assert response.status_code == 422 and "email" in response.json()["error"]["fields"]


# E-mail codes ---------------------------------------------------------------------------


def test_an_emailed_code_signs_in_once(browser, make_browser, people, outbox):
    browser.post(routes.API_OTP_REQUEST, {"email": ADA})
    code = outbox.code(ADA)
    response = browser.form(routes.API_OTP_VERIFY, {"email": ADA, "code": code, "next": "/portal/account"})
    assert response.headers["location"] == SITE + "/portal/account"
    assert browser.get(routes.API_ME).json()["user"]["email"] == ADA
    replay = make_browser().post(routes.API_OTP_VERIFY, {"email": ADA, "code": code})
    assert replay.status_code == 401


def test_a_code_only_works_for_the_address_it_was_sent_to(browser, people, outbox):
    browser.post(routes.API_OTP_REQUEST, {"email": ADA})
    browser.post(routes.API_OTP_REQUEST, {"email": BOB})
    ada_code = outbox.code(ADA)
    response = browser.post(routes.API_OTP_VERIFY, {"email": BOB, "code": ada_code})
    if outbox.code(BOB) != ada_code:  # one chance in a million that both got the same digits
        assert response.status_code == 401


def test_wrong_and_expired_codes_go_back_with_invalid_code(browser, people, outbox):
    browser.post(routes.API_OTP_REQUEST, {"email": ADA})
    code = outbox.code(ADA)
    wrong = "000000" if code != "000000" else "111111"
    response = browser.form(routes.API_OTP_VERIFY, {"email": ADA, "code": wrong, "next": "/portal"})
    assert response.headers["location"] == f"{SITE}/login/verify?error=invalid_code&next=%2Fportal"
    _expire_all_tokens()
    expired = browser.post(routes.API_OTP_VERIFY, {"email": ADA, "code": code})
    assert expired.status_code == 401 and browser.session_cookie is None


def test_five_wrong_codes_burn_the_code(browser, people, outbox):
    browser.post(routes.API_OTP_REQUEST, {"email": ADA})
    code = outbox.code(ADA)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        browser.post(routes.API_OTP_VERIFY, {"email": ADA, "code": wrong})
    assert browser.post(routes.API_OTP_VERIFY, {"email": ADA, "code": code}).status_code == 401


# Magic links ----------------------------------------------------------------------------


def test_a_scanner_following_the_link_uses_nothing_up(browser, people, outbox):
    browser.post(routes.API_MAGIC_LINK_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, MAGIC)
    scanned = browser.get(routes.API_MAGIC_LINK_CONSUME, params={"token": token})
    assert scanned.status_code == 405 and "POST" in scanned.headers["allow"]
    assert browser.session_cookie is None
    response = browser.form(routes.API_MAGIC_LINK_CONSUME, {"token": token})
    assert response.headers["location"] == SITE + routes.PORTAL
    assert browser.get(routes.API_ME).json()["user"]["email"] == ADA


def test_a_magic_link_works_once(browser, make_browser, people, outbox):
    browser.post(routes.API_MAGIC_LINK_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, MAGIC)
    assert browser.post(routes.API_MAGIC_LINK_CONSUME, {"token": token}).status_code == 200
    other = make_browser()
    replay = other.form(routes.API_MAGIC_LINK_CONSUME, {"token": token})
    assert replay.headers["location"] == f"{SITE}/login?error=link_invalid"
    assert other.session_cookie is None


def test_made_up_links_are_refused(browser, people):
    for token in ["", "x" * 300, "../../etc/passwd", "' OR 1=1 --", "nope"]:
        response = browser.post(routes.API_MAGIC_LINK_CONSUME, {"token": token})
        assert response.status_code in (401, 422), token
        assert browser.session_cookie is None


def test_an_expired_magic_link_is_refused(browser, people, outbox):
    browser.post(routes.API_MAGIC_LINK_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, MAGIC)
    _expire_all_tokens()
    assert browser.post(routes.API_MAGIC_LINK_CONSUME, {"token": token}).status_code == 401


def test_a_reset_token_is_not_a_magic_link(browser, people, outbox):
    browser.post(routes.API_PASSWORD_RESET_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, RESET)
    assert browser.post(routes.API_MAGIC_LINK_CONSUME, {"token": token}).status_code == 401


# Password reset -------------------------------------------------------------------------


def test_a_reset_sets_the_password_and_ends_every_session(browser, make_browser, people, outbox):
    elsewhere = make_browser()
    elsewhere.sign_in(ADA)
    browser.sign_in(ADA)
    browser.post(routes.API_PASSWORD_RESET_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, RESET)
    response = browser.form(routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": NEW_PASSWORD})
    assert response.headers["location"] == f"{SITE}/login?notice=password_reset"
    assert NEW_PASSWORD not in response.headers["location"]
    assert elsewhere.get(routes.API_ME).status_code == 401
    assert browser.get(routes.API_ME).status_code == 401
    assert make_browser().post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).status_code == 401
    make_browser().sign_in(ADA, NEW_PASSWORD)


def test_a_reset_link_works_once(browser, people, outbox):
    browser.post(routes.API_PASSWORD_RESET_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, RESET)
    assert (
        browser.post(routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": NEW_PASSWORD}).status_code == 200
    )
    again = browser.form(
        routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": "another fine long passphrase"}
    )
    assert again.headers["location"] == f"{SITE}/reset-password/{token}?error=link_invalid"


def test_a_weak_password_keeps_the_link_usable(browser, people, outbox):
    browser.post(routes.API_PASSWORD_RESET_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, RESET)
    weak = browser.form(routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": "password"})
    assert weak.headers["location"] == f"{SITE}/reset-password/{token}?error=weak_password"
    json_weak = browser.post(routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": "password123"})
    assert json_weak.status_code == 422 and "password" in json_weak.json()["error"]["fields"]
    assert (
        browser.post(routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": NEW_PASSWORD}).status_code == 200
    )


def test_a_malformed_reset_token_never_shapes_the_redirect(browser, people):
    for token in ["../../admin", "a/b", "x" * 200, "tok?en=1", "%2e%2e"]:
        response = browser.form(routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": NEW_PASSWORD})
        location = urlsplit(response.headers["location"])
        assert (location.netloc, location.path) == ("testserver", routes.FORGOT_PASSWORD), token


def test_a_300_byte_unicode_password_set_by_reset_signs_in(browser, make_browser, people, outbox):
    browser.post(routes.API_PASSWORD_RESET_REQUEST, {"email": ADA})
    token = outbox.link_token(ADA, RESET)
    long_password = "ünïcödé pässphräsë " * 12  # 228 characters, 312 bytes
    assert len(long_password.encode()) > 300
    assert (
        browser.post(routes.API_PASSWORD_RESET_CONFIRM, {"token": token, "password": long_password}).status_code == 200
    )
    make_browser().sign_in(ADA, long_password)
    assert make_browser().post(routes.API_LOGIN, {"login": ADA, "password": long_password[:72]}).status_code == 401


# Nothing secret in the audit log or the logs ------------------------------------------------


def test_no_code_link_or_password_reaches_the_audit_log_or_a_log_line(browser, make_browser, people, outbox, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = Secrets()
    browser.post(routes.API_OTP_REQUEST, {"email": ADA})
    code = outbox.code(ADA)
    browser.post(routes.API_OTP_VERIFY, {"email": ADA, "code": code})
    browser.post(routes.API_MAGIC_LINK_REQUEST, {"email": ADA})
    magic = outbox.link_token(ADA, MAGIC)
    browser.post(routes.API_MAGIC_LINK_CONSUME, {"token": magic})
    browser.post(routes.API_PASSWORD_RESET_REQUEST, {"email": ADA})
    reset = outbox.link_token(ADA, RESET)
    browser.post(routes.API_PASSWORD_RESET_CONFIRM, {"token": reset, "password": NEW_PASSWORD})
    signed = make_browser()
    signed.sign_in(ADA, NEW_PASSWORD)
    signed.post(routes.API_LOGIN, {"login": ADA, "password": "a wrong guess here"})
    secrets.add(
        code, magic, reset, NEW_PASSWORD, PASSWORD, "a wrong guess here", signed.session_cookie, signed.csrf_token
    )
    read(lambda db: assert_no_secret_in_audit(db, secrets))
    for record in caplog.records:
        line = record.getMessage()
        assert not any(secret in line for secret in secrets.values), line
    actions = set(read(audit_actions))
    assert {
        "auth.code_issued",
        "auth.code_used",
        "auth.magic_link_issued",
        "auth.magic_link_used",
        "auth.password_reset_requested",
        "auth.password_reset",
        "auth.login_succeeded",
        "auth.login_failed",
    } <= actions
