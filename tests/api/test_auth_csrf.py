"""CSRF: every unsafe auth request must carry the csrftoken cookie's value and come from the site."""

from __future__ import annotations

import pytest

from fluxent import routes
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.models.accounts import User
from tests.support.auth import PASSWORD
from tests.support.auth_api import ADA, EVIL, SITE, error_code, read

CREDENTIALS = {"login": ADA, "password": PASSWORD}


def _login(browser, headers, cookies_token=True):
    if cookies_token:
        browser.csrf_token  # noqa: B018  (sets the cookie)
    return browser.client.post(routes.API_LOGIN, json=CREDENTIALS, headers=headers)


FAILING_PROOFS = {
    "no-token": lambda token: {"Origin": SITE},
    "mismatched-token": lambda token: {"Origin": SITE, "X-CSRFToken": token + "x"},
    "foreign-origin": lambda token: {"Origin": EVIL, "X-CSRFToken": token},
    "no-origin-no-referer": lambda token: {"X-CSRFToken": token},
    "null-origin": lambda token: {"Origin": "null", "X-CSRFToken": token},
    "foreign-referer": lambda token: {"Referer": EVIL + "/page", "X-CSRFToken": token},
    "lookalike-origin": lambda token: {"Origin": SITE + ".evil.example", "X-CSRFToken": token},
}


def test_json_sign_in_without_a_valid_csrf_proof_is_403_and_sets_no_session(browser, people):
    for name, headers in FAILING_PROOFS.items():
        response = _login(browser, headers(browser.csrf_token))
        assert (response.status_code, error_code(response)) == (403, "permission_denied"), name
        assert SESSION_COOKIE not in response.headers.get("set-cookie", ""), name


def test_a_token_without_its_cookie_is_refused(browser, people):
    token = browser.csrf_token
    browser.client.cookies.clear()
    response = browser.client.post(routes.API_LOGIN, json=CREDENTIALS, headers={"Origin": SITE, "X-CSRFToken": token})
    assert response.status_code == 403


def test_a_same_site_referer_stands_in_for_a_missing_origin(browser, people):
    response = browser.client.post(
        routes.API_LOGIN, json=CREDENTIALS, headers={"Referer": SITE + "/login", "X-CSRFToken": browser.csrf_token}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("fields", "origin"),
    [({}, SITE), ({"csrfmiddlewaretoken": "forged-value-0123456789"}, SITE), (None, EVIL)],
    ids=["missing-field", "wrong-field", "foreign-origin"],
)
def test_a_form_post_failing_csrf_goes_back_to_sign_in_with_csrf_failed(browser, people, fields, origin):
    token = browser.csrf_token
    data = {**CREDENTIALS, **({"csrfmiddlewaretoken": token} if fields is None else fields)}
    response = browser.client.post(routes.API_LOGIN, data=data, headers={"Origin": origin})
    assert response.status_code == 303
    assert response.headers["location"] == f"{SITE}/login?error=csrf_failed"
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_signed_in_unsafe_requests_need_the_token_and_change_nothing_without_it(browser, people):
    browser.sign_in(ADA)
    patched = browser.client.patch(routes.API_ME, json={"name": "Mallory"}, headers={"Origin": SITE})
    erased = browser.client.request("DELETE", routes.API_ME, json={"password": PASSWORD}, headers={"Origin": EVIL})
    logged_out = browser.client.post(routes.API_LOGOUT, headers={"Origin": EVIL})
    assert [patched.status_code, erased.status_code, logged_out.status_code] == [403, 403, 403]
    user = read(lambda db: db.get(User, people.ada.id))
    assert user.name == "Ada Lovelace" and user.erased_at is None
    assert browser.get(routes.API_ME).status_code == 200  # still signed in


def test_the_csrf_route_sets_a_readable_cookie_once(browser):
    first = browser.get(routes.API_CSRF)
    token = first.json()["csrftoken"]
    cookie = first.headers["set-cookie"]
    assert f"csrftoken={token}" in cookie and "httponly" not in cookie.lower() and "samesite=lax" in cookie.lower()
    assert first.headers["cache-control"] == "no-store"
    again = browser.get(routes.API_CSRF)
    assert again.json()["csrftoken"] == token and "set-cookie" not in again.headers
