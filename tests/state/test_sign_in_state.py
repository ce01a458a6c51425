"""The sign-in page's state: tabs and next from the URL, fields checked as they are
left, and the e-mail requests that answer alike whether or not an account exists."""

from __future__ import annotations

import pytest

from fluxent import routes
from fluxent.services.auth.sign_in import BAD_CREDENTIALS
from fluxent.state.auth_messages import ERROR_MESSAGES, NOTICE_MESSAGES, UNKNOWN_ERROR, AuthMessagesState
from fluxent.state.sign_in import (
    CHECK_LOGIN,
    CODE_TAB,
    ENTER_CODE,
    ENTER_EMAIL,
    ENTER_LOGIN,
    ENTER_PASSWORD,
    FILL_IN,
    LINK_TAB,
    PASSWORD_AGAIN,
    PASSWORD_TAB,
    SignInState,
)
from tests.state.conftest import redirect_target, run, visit
from tests.support.auth import make_user
from tests.support.state import focused

KNOWN, UNKNOWN = "dana@example.com", "nobody@example.com"
CONTRACT_ERRORS = (
    "invalid_credentials",
    "throttled",
    "csrf_failed",
    "invalid_code",
    "link_invalid",
    "weak_password",
    "invalid_input",
    "sso_failed",
    "sso_required",
)
CONTRACT_NOTICES = ("signed_out", "password_reset", "code_sent", "link_sent", "reset_sent")


@pytest.fixture
def known(session):
    make_user(session, KNOWN, name="Dana Whitfield")
    session.commit()


def test_load_takes_tab_and_next_from_the_url_and_starts_clean(page_state):
    state = page_state(SignInState, f"{routes.LOGIN}?tab={CODE_TAB}&next=/portal/invoices")
    state.busy, state.login_error = True, "old"
    state.load()
    assert (state.tab, state.next_route, state.busy, state.login_error) == (CODE_TAB, "/portal/invoices", False, "")


def test_staff_single_sign_on_is_offered_only_when_set_up(page_state, monkeypatch):
    from fluxent.core.settings import reset_settings

    state = page_state(SignInState, routes.LOGIN)
    state.load()
    assert state.sso_offered is False
    for name, value in {"ISSUER": "https://id.example", "CLIENT_ID": "portal", "STAFF_DOMAINS": "fluxent.tech"}.items():
        monkeypatch.setenv(f"FLUXENT_OIDC_{name}", value)
    reset_settings()
    state.load()
    assert state.sso_offered is True


def test_an_unknown_tab_falls_back_to_password(page_state):
    state = page_state(SignInState, f"{routes.LOGIN}?tab=<script>")
    state.load()
    assert state.tab == PASSWORD_TAB
    state.show_tab("admin")
    assert state.tab == PASSWORD_TAB


def test_arrow_keys_move_between_tabs_and_focus_follows(page_state):
    state = page_state(SignInState, routes.LOGIN)
    focus = state.move_tab("ArrowLeft", {})
    assert state.tab == LINK_TAB and focus.args[0][1]._var_value == "ref_tab_link"
    state.move_tab("ArrowRight", {})
    assert state.tab == PASSWORD_TAB
    state.move_tab("End", {})
    assert state.tab == LINK_TAB
    assert state.move_tab("a", {}) is None and state.tab == LINK_TAB


def test_fields_are_checked_when_left(page_state):
    state = page_state(SignInState, routes.LOGIN)
    state.check_login("   ")
    assert state.login_error == ENTER_LOGIN
    state.check_login("dana")
    assert state.login_error == ""
    state.check_code("12345")
    assert state.code_error == ENTER_CODE
    for typed in ("123 456", "123-456", "１２３４５６"):
        state.check_code(typed)
        assert state.code_error == "", typed


def test_blank_password_fields_stop_the_post_are_named_and_the_first_takes_the_focus(page_state):
    state = page_state(SignInState, routes.LOGIN)
    state.load()
    focus = state.post_password(["login", "password"])
    assert not state.busy and state.form_error == FILL_IN
    assert state.password_form_errors == {"form": FILL_IN, "login": ENTER_LOGIN, "password": ENTER_PASSWORD}
    assert focused(focus) == "ref_login"
    assert focused(state.post_password(["password"])) == "ref_password"
    assert (state.login_error, state.password_error) == ("", ENTER_PASSWORD)
    # Filled in: the browser posts; the messages go and the button says so.
    assert state.post_password([]) is None
    assert state.busy and state.password_form_errors == {"form": "", "login": "", "password": ""}


def test_back_from_a_refused_sign_in_both_fields_are_named_and_the_login_is_kept(page_state):
    state = page_state(SignInState, routes.LOGIN)
    state.load()
    state.check_login("  dana@example.com ")
    visit(state, f"{routes.LOGIN}?error=invalid_credentials")
    set_login, focus = state.load()
    assert state.password_form_errors == {"form": BAD_CREDENTIALS, "login": CHECK_LOGIN, "password": PASSWORD_AGAIN}
    assert [str(value._var_value) for _, value in set_login.args] == ["ref_login", "dana@example.com"]
    assert focused(focus) == "ref_login"
    # Any other visit starts blank: the login is not kept for the next person at this browser.
    visit(state, routes.LOGIN)
    assert state.load() is None
    assert (state.login, state.form_error, state.login_error) == ("", "", "")


def test_code_request_sends_a_code_to_a_known_address_and_goes_to_the_code_page(page_state, known, outbox):
    state = page_state(SignInState, f"{routes.LOGIN}?next=/portal/invoices")
    state.load()
    events = run(state.request_code({"email": KNOWN}))
    assert state.code_email_error == "" and state.code_busy is False
    assert state.code_email == KNOWN
    assert redirect_target(events) == f"{routes.LOGIN_VERIFY}?next=%2Fportal%2Finvoices"
    assert "sign-in code is" in outbox.text(outbox.last(KNOWN))


def test_code_request_for_an_unknown_address_looks_the_same(page_state, known, outbox):
    for address in (KNOWN, UNKNOWN):
        state = page_state(SignInState, routes.LOGIN)
        state.load()
        events = run(state.request_code({"email": address}))
        assert state.code_email_error == ""
        assert redirect_target(events) == routes.LOGIN_VERIFY
    assert outbox.last(UNKNOWN)["Subject"] == "Signing in to Fluxent"
    assert "code" not in outbox.text(outbox.last(UNKNOWN)).split("\n")[0]


def test_code_request_with_a_bad_address_says_so_and_sends_nothing(page_state, outbox):
    state = page_state(SignInState, routes.LOGIN)
    assert run(state.request_code({"email": "not-an-address"})) == [None]
    assert state.code_email_error == "Enter a valid e-mail address."
    assert run(state.request_code({"email": "  "})) == []
    assert state.code_email_error == ENTER_EMAIL
    assert outbox.messages() == []


def test_code_requests_are_throttled_with_a_clear_message(page_state, known, outbox):
    state = page_state(SignInState, routes.LOGIN)
    attempts = 0
    while not state.code_email_error and attempts < 20:
        attempts += 1
        run(state.request_code({"email": KNOWN}))
    assert state.code_email_error.startswith("Too many attempts.")
    assert len(outbox.messages(KNOWN)) == attempts - 1  # the refused request sent nothing
    assert state.code_busy is False


def test_magic_link_request_says_to_check_the_inbox(page_state, known, outbox):
    state = page_state(SignInState, routes.LOGIN)
    run(state.request_link({"email": KNOWN}))
    assert state.link_sent is True and state.link_email == KNOWN and state.link_email_error == ""
    assert f"{routes.MAGIC_LINK.split('[')[0]}" in outbox.text(outbox.last(KNOWN))
    state.use_another_address()
    assert state.link_sent is False
    run(state.request_link({"email": UNKNOWN}))
    assert state.link_sent is True  # the same answer: no hint whether the account exists


def test_every_contract_code_has_words_and_unknown_codes_get_a_general_message(page_state):
    assert set(CONTRACT_ERRORS) <= set(ERROR_MESSAGES) and set(CONTRACT_NOTICES) <= set(NOTICE_MESSAGES)
    messages = page_state(AuthMessagesState, f"{routes.LOGIN}?error=invalid_credentials&notice=signed_out")
    assert messages.error == ERROR_MESSAGES["invalid_credentials"]
    assert messages.notice == NOTICE_MESSAGES["signed_out"]
    odd = page_state(AuthMessagesState, f"{routes.LOGIN}?error=%3Cscript%3E&notice=%3Cb%3E")
    assert odd.error == UNKNOWN_ERROR and odd.notice == ""
    assert page_state(AuthMessagesState, routes.LOGIN).error == ""
