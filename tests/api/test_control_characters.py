"""NUL and other control characters in any field get a clear 4xx, never a database error
(PostgreSQL refuses NUL in text), and never sign anyone in."""

from __future__ import annotations

from fluxent import routes
from tests.support.auth import PASSWORD
from tests.support.auth_api import ADA

NUL_ADA = "ada\u0000@example.com"


def test_control_characters_never_reach_the_database(browser, make_browser, people, outbox):
    anonymous = [
        (routes.API_LOGIN, {"login": NUL_ADA, "password": PASSWORD}),
        (routes.API_LOGIN, {"login": "ada.l\u0000", "password": PASSWORD}),
        (routes.API_OTP_REQUEST, {"email": NUL_ADA}),
        (routes.API_OTP_VERIFY, {"email": NUL_ADA, "code": "123456"}),
        (routes.API_MAGIC_LINK_REQUEST, {"email": "ada@example.com\u0007"}),
        (routes.API_PASSWORD_RESET_REQUEST, {"email": NUL_ADA}),
        (routes.API_MAGIC_LINK_CONSUME, {"token": "abc\u0000def"}),
        (routes.API_PASSWORD_RESET_CONFIRM, {"token": "abc\u0000def", "password": PASSWORD}),
        (routes.API_INVITATION_ACCEPT, {"token": "abc\u0000def", "name": "N\u0000", "password": PASSWORD}),
    ]
    for path, body in anonymous:
        response = browser.post(path, body)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert browser.session_cookie is None, path
    staff = make_browser()
    staff.sign_in("staff@example.com")
    for body in ({"email": NUL_ADA}, {"email": "grace@example.com", "title": "CTO\u0000"}):
        assert staff.post(routes.API_INVITATIONS, body).status_code == 422, body
    browser.sign_in(ADA)
    for method, path, body in [
        ("PATCH", routes.API_ME, {"name": "Ada\u0000"}),
        ("PATCH", routes.API_ME, {"email": "new\u0000@example.com", "current_password": PASSWORD}),
        ("POST", routes.API_ME_EMAIL_VERIFY, {"code": "12\u00003456"}),
        ("DELETE", routes.API_ME, {"code": "12\u00003456"}),
        ("POST", routes.API_PASSWORD_CHANGE, {"current_password": "\u0000", "new_password": "x\u0000" * 10}),
    ]:
        response = browser.send(method, path, body)
        assert response.status_code == 422, (method, path, response.status_code)
    assert browser.get(routes.API_ME).json()["user"]["name"] == "Ada Lovelace"
