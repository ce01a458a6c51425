"""Two-step sign-in in the pages: the security page's set-up, recovery codes and removal,
and the sign-in's second-step page (a live, an enrolling and a dead ticket)."""

from __future__ import annotations

import pyotp
import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import select

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.core.settings import reset_settings
from fluxent.models.accounts import OrgRole, Role
from fluxent.models.two_step import TwoStepMethod
from fluxent.services.accounts import organizations
from fluxent.services.auth import sign_in, two_step
from fluxent.state.admin_orgs import AdminOrganizationState
from fluxent.state.second_step import AFTER_ENROLMENT, SecondStepState
from fluxent.state.two_step import TwoStepState
from tests.support.auth import AGENT, IP, PASSWORD
from tests.support.state import FIREFOX, person, reload, run, tab


def _secret(qr_state) -> pyotp.TOTP:
    assert qr_state.qr_code.startswith("data:image/svg+xml;base64,")
    return pyotp.TOTP(qr_state.secret)


def _enrolled_tab(email: str = "dana@example.com") -> tuple[TwoStepState, pyotp.TOTP]:
    _, cookie = person(email)
    state = tab(TwoStepState, cookie=cookie)
    state.load_two_step()
    run(state.start_setup())
    app = _secret(state)
    run(state.confirm_setup({"setup_code": app.now()}))
    return state, app


def test_setting_up_shows_the_qr_code_then_the_recovery_codes_once(database):
    _, cookie = person("dana@example.com")
    state = tab(TwoStepState, cookie=cookie)
    state.load_two_step()
    assert state.two_step_loaded and not state.two_step_on and not state.two_step_required
    run(state.start_setup())
    app = _secret(state)
    run(state.confirm_setup({"setup_code": "12"}))
    assert state.two_step_errors["setup_code"] == two_step.BAD_ENROLMENT_CODE
    assert not state.two_step_on and state.secret  # still on screen to try again

    run(state.confirm_setup({"setup_code": app.now()}))
    assert state.two_step_on and state.recovery_codes_left == 10 and len(state.recovery_codes) == 10
    assert state.qr_code == state.secret == "" and state.notice == "Two-step sign-in is on."
    state.saved_recovery_codes()
    assert state.recovery_codes == []
    state.load_two_step()  # never shown again
    assert state.recovery_codes == [] and state.two_step_on


def test_removing_needs_a_code_and_shows_the_refusal_under_its_field(database):
    state, app = _enrolled_tab()
    codes = list(state.recovery_codes)
    run(state.remove({"remove_code": "wrong"}))
    assert set(state.two_step_errors) == {"remove_code"} and state.two_step_on
    run(state.remove({"remove_code": codes[0]}))
    assert not state.two_step_on and state.notice == "Two-step sign-in is off."


def test_new_recovery_codes_need_the_app(database):
    state, app = _enrolled_tab()
    old = list(state.recovery_codes)
    run(state.new_recovery_codes({"renew_code": old[0]}))
    assert set(state.two_step_errors) == {"renew_code"}
    with session_scope() as db:  # the confirming code's step is used; pretend the next one has come
        db.exec(select(TwoStepMethod)).one().last_step -= 1
    run(state.new_recovery_codes({"renew_code": app.now()}))
    assert state.two_step_errors == {} and len(state.recovery_codes) == 10 and not set(state.recovery_codes) & set(old)


def test_a_signed_out_tab_can_do_nothing(database):
    state = tab(TwoStepState, cookie="sessionid=not-a-session")
    run(state.start_setup())
    assert state.qr_code == "" and not state.signed_in


def test_staff_see_that_two_step_is_required(database, monkeypatch):
    monkeypatch.setenv("FLUXENT_STAFF_TWO_STEP_REQUIRED", "true")
    reset_settings()
    _, cookie = person("sam@example.com", role=Role.STAFF)
    state = tab(TwoStepState, cookie=cookie)
    state.load_two_step()
    assert state.two_step_required


def _ticket(email: str) -> str:
    with session_scope() as db:
        due = sign_in.login(db, login=email, password=PASSWORD, ip=IP, user_agent=AGENT)
        assert isinstance(due, sign_in.SecondStepDue)
        return due.ticket


def test_the_second_step_page_takes_the_ticket_from_the_path(database, page_state):
    _enrolled_tab("dana@example.com")
    ticket = _ticket("dana@example.com")
    state = page_state(SecondStepState, routes.with_token(routes.LOGIN_TWO_STEP, ticket) + "?next=/portal/invoices")
    state.load()
    assert state.checked and state.ticket_live and not state.enrol
    assert state.link_token == ticket and state.next_route == "/portal/invoices" and state.secret == ""


@pytest.mark.parametrize("token", ["not-a-ticket", "x" * 200])
def test_the_second_step_page_says_when_a_ticket_is_dead(database, page_state, token):
    state = page_state(SecondStepState, routes.with_token(routes.LOGIN_TWO_STEP, token))
    state.load()
    assert state.checked and not state.ticket_live and state.qr_code == ""


def test_staff_without_a_second_step_set_one_up_on_the_second_step_page(database, page_state, monkeypatch):
    monkeypatch.setenv("FLUXENT_STAFF_TWO_STEP_REQUIRED", "true")
    reset_settings()
    user_id, _ = person("sam@example.com", role=Role.STAFF)
    ticket = _ticket("sam@example.com")
    state = page_state(SecondStepState, routes.with_token(routes.LOGIN_TWO_STEP, ticket))
    state.load()
    assert state.ticket_live and state.enrol and state.next_route == AFTER_ENROLMENT
    app = _secret(state)
    with session_scope() as db:
        _, _, user = sign_in.complete_second_step(db, ticket=ticket, code=app.now(), ip=IP, user_agent=AGENT)
        assert user.id == user_id and two_step.status(db, user=reload(db, user_id)).enabled


def _console_tab(state_class, *, cookie: str, params: dict):
    root = rx.State()
    root.router = RouterData.from_router_data(
        {"asPath": "/", "query": params, "headers": {"cookie": cookie, "user-agent": FIREFOX}, "ip": IP}
    )
    return root.get_substate(state_class.get_full_name().split(".")[1:])


def test_an_administrator_removes_a_members_second_step_from_the_organization_page(database, outbox):
    dana_id, dana_cookie = person("dana@example.com", organization="Northwind", org_role=OrgRole.OWNER)
    dana = tab(TwoStepState, cookie=dana_cookie)
    run(dana.start_setup())
    run(dana.confirm_setup({"setup_code": _secret(dana).now()}))
    with session_scope() as db:
        org_id = organizations.get_or_create_organization(db, name="Northwind").id
    _, staff_cookie = person("sam@example.com", role=Role.STAFF)
    _, admin_cookie = person("alex@example.com", role=Role.ADMIN)

    staff_page = _console_tab(AdminOrganizationState, cookie=staff_cookie, params={"organization_id": str(org_id)})
    staff_page.load()
    assert [(row.user_id, row.two_step) for row in staff_page.members] == [(dana_id, True)]
    staff_page.ask_remove_two_step(dana_id)
    staff_page.remove_two_step({"two_step.identity_check": "Video call, ID matched"})
    assert staff_page.notice_is_error and staff_page.confirm_two_step == dana_id  # staff may not

    page = _console_tab(AdminOrganizationState, cookie=admin_cookie, params={"organization_id": str(org_id)})
    page.load()
    page.ask_remove_two_step(dana_id)
    page.remove_two_step({"two_step.identity_check": " "})
    assert page.errors == {"two_step.identity_check": two_step.ENTER_IDENTITY_CHECK}
    page.remove_two_step({"two_step.identity_check": "Video call, passport matched the profile"})
    assert page.errors == {} and page.confirm_two_step == 0
    assert [(row.user_id, row.two_step) for row in page.members] == [(dana_id, False)]
    assert "removed your two-step" in outbox.last("dana@example.com")["Subject"]
