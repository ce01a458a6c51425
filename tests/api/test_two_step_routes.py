"""Two-step sign-in over HTTP: no session before the second step, the ticket page, wrong,
replayed and expired codes, throttles, and the administrators' recovery route."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from sqlalchemy import text

from fluxent import routes
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.services.auth import two_step
from tests.support.auth import PASSWORD
from tests.support.auth_api import ADA, SITE, error_code, read

LOGIN_TWO_STEP = SITE + "/login/two-step/"


@pytest.fixture
def ada_app(people, session) -> tuple[pyotp.TOTP, list[str]]:
    """Ada's authenticator app (enrolled through the service) and her recovery codes."""
    enrolment = two_step.begin_enrolment(session, user=people.ada)
    app = pyotp.TOTP(enrolment.secret)
    codes = two_step.confirm_enrolment(session, user=people.ada, code=app.now())
    session.commit()
    return app, codes


def _clear_replay_guard() -> None:
    """Forget which time step was used last, so a test can use the current code again."""
    read(lambda db: db.execute(text("UPDATE auth_two_step_method SET last_step = 0")))


def _ticket_of(response) -> str:
    return urlsplit(response.headers["location"]).path.rsplit("/", 1)[-1]


def test_a_form_sign_in_goes_to_the_second_step_without_a_session_cookie(browser, people, ada_app):
    app, _ = ada_app
    response = browser.form(routes.API_LOGIN, {"login": ADA, "password": PASSWORD, "next": "/portal/invoices"})
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(LOGIN_TWO_STEP) and parse_qs(urlsplit(location).query) == {"next": ["/portal/invoices"]}
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert browser.session_cookie is None
    assert browser.get(routes.API_ME).status_code == 401

    _clear_replay_guard()
    done = browser.form(
        routes.API_TWO_STEP, {"ticket": _ticket_of(response), "code": app.now(), "next": "/portal/invoices"}
    )
    assert done.status_code == 303 and done.headers["location"] == SITE + "/portal/invoices"
    assert browser.session_cookie
    assert browser.get(routes.API_ME).json()["user"]["id"] == people.ada.id


def test_json_sign_in_answers_with_a_ticket_and_no_cookie(browser, people, ada_app):
    _, codes = ada_app
    response = browser.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"second_step"} and body["second_step"]["enrol"] is False
    assert "set-cookie" not in response.headers or SESSION_COOKIE not in response.headers["set-cookie"]
    signed_in = browser.post(routes.API_TWO_STEP, {"ticket": body["second_step"]["ticket"], "code": codes[0]})
    assert signed_in.status_code == 200 and signed_in.json()["user"]["id"] == people.ada.id
    assert browser.session_cookie


def test_a_wrong_code_goes_back_to_the_ticket_page_and_sets_nothing(browser, people, ada_app):
    response = browser.form(routes.API_LOGIN, {"login": ADA, "password": PASSWORD})
    ticket = _ticket_of(response)
    wrong = browser.form(routes.API_TWO_STEP, {"ticket": ticket, "code": "12345"})
    assert wrong.status_code == 303
    assert wrong.headers["location"] == f"{LOGIN_TWO_STEP}{ticket}?error=invalid_second_step"
    assert browser.session_cookie is None
    as_json = browser.post(routes.API_TWO_STEP, {"ticket": ticket, "code": "12345"})
    assert as_json.status_code == 401 and error_code(as_json) == "not_authenticated"


def test_a_replayed_code_is_refused(make_browser, people, ada_app):
    app, _ = ada_app
    _clear_replay_guard()
    code = app.now()
    first, second = make_browser(), make_browser()
    ticket = first.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).json()["second_step"]["ticket"]
    assert first.post(routes.API_TWO_STEP, {"ticket": ticket, "code": code}).status_code == 200
    ticket = second.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).json()["second_step"]["ticket"]
    replay = second.post(routes.API_TWO_STEP, {"ticket": ticket, "code": code})
    assert replay.status_code == 401 and second.session_cookie is None


@pytest.mark.parametrize("ticket", ["", "x" * 300, "../../etc", "not-a-ticket"])
def test_hostile_or_unknown_tickets_are_refused(browser, people, ticket):
    response = browser.post(routes.API_TWO_STEP, {"ticket": ticket, "code": "123456"})
    assert response.status_code in (401, 422)
    form = browser.form(routes.API_TWO_STEP, {"ticket": ticket, "code": "123456"})
    assert form.status_code == 303 and urlsplit(form.headers["location"]).netloc == "testserver"
    assert browser.session_cookie is None


def test_the_second_step_needs_csrf(browser, people, ada_app):
    _, codes = ada_app
    ticket = browser.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).json()["second_step"]["ticket"]
    no_header = browser.client.post(
        routes.API_TWO_STEP, json={"ticket": ticket, "code": codes[0]}, headers={"Origin": SITE}
    )
    assert no_header.status_code == 403 and browser.session_cookie is None


def test_the_throttle_covers_the_second_step(browser, people, ada_app):
    app, codes = ada_app
    ticket = ""
    for attempt in range(6):
        if attempt % two_step.TICKET_MAX_ATTEMPTS == 0:
            ticket = browser.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).json()["second_step"][
                "ticket"
            ]
        assert browser.post(routes.API_TWO_STEP, {"ticket": ticket, "code": "00000"}).status_code == 401
    refused = browser.post(routes.API_TWO_STEP, {"ticket": ticket, "code": codes[1]})
    assert refused.status_code == 429 and "retry-after" in refused.headers
    assert browser.session_cookie is None


def test_administrators_remove_a_second_step_with_an_identity_check(make_browser, people, ada_app):
    admin, staff, ada = make_browser(), make_browser(), make_browser()
    admin.sign_in("admin@example.com")
    staff.sign_in("staff@example.com")
    path = routes.API_PERSON_TWO_STEP_REMOVE.format(user_id=people.ada.id)
    body = {"identity_check": "Video call; passport matched the profile"}
    assert staff.post(path, body).status_code == 403
    assert ada.post(path, body).status_code == 401
    assert admin.post(path, {"identity_check": " "}).status_code == 422
    assert admin.post(path, {**body, "extra": 1}).status_code == 422
    no_csrf = admin.client.post(path, json=body, headers={"Origin": SITE})
    assert no_csrf.status_code == 403
    assert admin.post(routes.API_PERSON_TWO_STEP_REMOVE.format(user_id=2**31 - 1), body).status_code == 404
    done = admin.post(path, body)
    assert done.status_code == 200 and done.json() == {"user_id": people.ada.id, "two_step": False}
    assert admin.post(path, body).status_code == 409
    # Ada signs in with her password alone again.
    assert "user" in ada.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).json()
