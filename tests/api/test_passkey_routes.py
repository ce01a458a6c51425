"""Passkeys over HTTP: the second step of a sign-in with a passkey, as JSON and as the
page's form post; options only for a live ticket whose person has a passkey; replay and
wrong answers refused without a session; the throttle covers it."""

from __future__ import annotations

import json

import pytest

from fluxent import routes
from fluxent.services.auth import passkeys
from tests.support.auth import PASSWORD
from tests.support.auth_api import ADA, BOB, SITE, error_code
from tests.support.webauthn_device import SoftPasskey

LOGIN_TWO_STEP = SITE + "/login/two-step/"


@pytest.fixture
def ada_passkey(people, session) -> SoftPasskey:
    device = SoftPasskey()
    options = passkeys.registration_options(session, user=people.ada)
    passkeys.add(session, user=people.ada, name="Laptop", response=device.register(options))
    session.commit()
    return device


def _ticket(browser, login: str = ADA) -> str:
    body = browser.post(routes.API_LOGIN, {"login": login, "password": PASSWORD}).json()
    return body["second_step"]["ticket"]


def _options(browser, ticket: str) -> dict:
    response = browser.post(routes.API_TWO_STEP_PASSKEY_OPTIONS, {"ticket": ticket})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    return response.json()["options"]


def test_a_passkey_finishes_a_json_sign_in(browser, people, ada_passkey):
    ticket = _ticket(browser)
    options = _options(browser, ticket)
    assert options["rpId"] == "testserver" and [c["id"] for c in options["allowCredentials"]] == [ada_passkey.id]
    answer = json.dumps(ada_passkey.authenticate(options))
    done = browser.post(routes.API_TWO_STEP_PASSKEY, {"ticket": ticket, "credential": answer})
    assert done.status_code == 200 and done.json()["user"]["id"] == people.ada.id
    assert browser.session_cookie

    # The same answer again, on a new sign-in: refused, no session.
    other = _ticket(browser)
    _options(browser, other)
    browser.client.cookies.clear()
    replay = browser.post(routes.API_TWO_STEP_PASSKEY, {"ticket": other, "credential": answer})
    assert replay.status_code == 401 and error_code(replay) == "not_authenticated" and browser.session_cookie is None


def test_the_page_form_post_signs_in_and_a_refusal_goes_back_to_the_ticket_page(browser, people, ada_passkey):
    ticket = _ticket(browser)
    options = _options(browser, ticket)
    wrong = json.dumps(ada_passkey.authenticate(options, origin="https://evil.example"))
    refused = browser.form(routes.API_TWO_STEP_PASSKEY, {"ticket": ticket, "credential": wrong})
    assert refused.status_code == 303
    assert refused.headers["location"] == f"{LOGIN_TWO_STEP}{ticket}?error=passkey_refused"
    assert browser.session_cookie is None

    answer = json.dumps(ada_passkey.authenticate(_options(browser, ticket)))
    done = browser.form(
        routes.API_TWO_STEP_PASSKEY, {"ticket": ticket, "credential": answer, "next": "/portal/invoices"}
    )
    assert done.status_code == 303 and done.headers["location"] == SITE + "/portal/invoices"
    assert browser.session_cookie


def test_options_need_a_live_ticket_and_a_passkey(browser, people, ada_passkey):
    assert browser.post(routes.API_TWO_STEP_PASSKEY_OPTIONS, {"ticket": "not-a-ticket"}).status_code == 401
    # Bob has no second step at all: his password signs him in, there is no ticket to ask with.
    assert "second_step" not in browser.post(routes.API_LOGIN, {"login": BOB, "password": PASSWORD}).json()
    no_header = browser.client.post(
        routes.API_TWO_STEP_PASSKEY_OPTIONS, json={"ticket": _ticket(browser)}, headers={"Origin": SITE}
    )
    assert no_header.status_code == 403


def test_the_throttle_covers_passkey_answers(browser, people, ada_passkey):
    ticket = ""
    for attempt in range(6):
        if attempt % 5 == 0:
            ticket = _ticket(browser)
        wrong = json.dumps(ada_passkey.authenticate(_options(browser, ticket), rp_id="evil.example"))
        assert browser.post(routes.API_TWO_STEP_PASSKEY, {"ticket": ticket, "credential": wrong}).status_code == 401
    answer = json.dumps(ada_passkey.authenticate(_options(browser, ticket)))
    throttled = browser.post(routes.API_TWO_STEP_PASSKEY, {"ticket": ticket, "credential": answer})
    assert throttled.status_code == 429 and "retry-after" in throttled.headers
    assert browser.session_cookie is None
