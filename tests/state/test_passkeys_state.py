"""Passkeys in the pages: the security page adds a named passkey from the browser's answer,
lists it, and removes it behind the password; the second-step page offers it."""

from __future__ import annotations

import json

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.services.auth import passkeys, sign_in
from fluxent.state.passkeys import NOT_CREATED, PasskeysState
from fluxent.state.second_step import PASSKEY_NOT_USED, SecondStepState
from tests.support.auth import AGENT, IP, PASSWORD
from tests.support.state import person, run, tab
from tests.support.webauthn_device import SoftPasskey


def _tab_with_passkey(email: str, device: SoftPasskey) -> PasskeysState:
    _, cookie = person(email)
    state = tab(PasskeysState, cookie=cookie)
    state.load_passkeys()
    assert state.passkeys_loaded and state.passkey_rows == []
    run(state.start_adding())
    assert state.passkey_options["rp"]["name"] == "Fluxent"
    state.set_passkey_name("Work laptop")
    run(state.passkey_created({"response": json.dumps(device.register(state.passkey_options))}))
    return state


def test_adding_lists_the_passkey_and_a_cancel_keeps_the_panel_open(database):
    state = _tab_with_passkey("dana@example.com", SoftPasskey())
    assert [row["name"] for row in state.passkey_rows] == ["Work laptop"]
    assert state.passkey_rows[0]["last_used"] == "" and state.passkey_options == {}
    assert state.notice == "Passkey “Work laptop” added."

    run(state.start_adding())
    yielded = run(state.passkey_created({"error": "NotAllowedError"}))
    assert state.passkey_errors == {"form": NOT_CREATED} and yielded == [PasskeysState.start_adding]
    assert len(state.passkey_rows) == 1


def test_a_refused_answer_shows_why_and_gets_a_fresh_challenge(database):
    _, cookie = person("dana@example.com")
    state = tab(PasskeysState, cookie=cookie)
    state.load_passkeys()
    run(state.start_adding())
    state.set_passkey_name("Phone")
    answer = SoftPasskey().register(state.passkey_options, origin="https://evil.example")
    yielded = run(state.passkey_created({"response": json.dumps(answer)}))
    assert state.passkey_errors["form"] == passkeys.NOT_ACCEPTED and state.passkey_rows == []
    assert PasskeysState.renew_challenge in yielded


def test_removing_needs_the_password(database):
    state = _tab_with_passkey("dana@example.com", SoftPasskey())
    state.ask_remove(state.passkey_rows[0]["id"])
    run(state.remove_passkey({"password": "not it"}))
    assert state.passkey_errors["password"] and len(state.passkey_rows) == 1
    run(state.remove_passkey({"password": PASSWORD}))
    assert state.passkey_rows == [] and state.passkey_removing == "" and state.notice == "Passkey removed."


def test_the_second_step_page_offers_the_passkey(database, page_state):
    device = SoftPasskey()
    _tab_with_passkey("dana@example.com", device)
    with session_scope() as db:
        ticket = sign_in.login(db, login="dana@example.com", password=PASSWORD, ip=IP, user_agent=AGENT).ticket
    state = page_state(SecondStepState, routes.with_token(routes.LOGIN_TWO_STEP, ticket))
    state.load()
    assert state.ticket_live and state.has_passkey and not state.has_app
    assert [c["id"] for c in state.passkey_options["allowCredentials"]] == [device.id]
    first = state.passkey_options["challenge"]
    state.passkey_failed("NotAllowedError")
    assert state.passkey_error == PASSKEY_NOT_USED and state.passkey_options["challenge"] != first
    with session_scope() as db:
        _, _, user = sign_in.complete_second_step_with_passkey(
            db, ticket=ticket, credential=device.authenticate(state.passkey_options), ip=IP, user_agent=AGENT
        )
        assert user.email == "dana@example.com"


def test_with_a_passkey_the_app_is_a_spare_not_a_requirement(database, monkeypatch):
    from fluxent.core.settings import reset_settings
    from fluxent.models.accounts import Role
    from fluxent.state.two_step import TwoStepState

    monkeypatch.setenv("FLUXENT_STAFF_TWO_STEP_REQUIRED", "true")
    reset_settings()
    _, cookie = person("sam@example.com", role=Role.STAFF)
    two = tab(TwoStepState, cookie=cookie)
    two.load_two_step()
    assert two.two_step_required and not two.has_passkeys
    keys = tab(PasskeysState, cookie=cookie)
    run(keys.start_adding())
    keys.set_passkey_name("Laptop")
    run(keys.passkey_created({"response": json.dumps(SoftPasskey().register(keys.passkey_options))}))
    two.load_two_step()
    assert two.has_passkeys and not two.two_step_required
