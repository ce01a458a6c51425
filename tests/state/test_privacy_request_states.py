"""The public privacy-request page's state (form, code, done) and the desk's state
(queue, one request, actions), each a thin door onto ``services.privacy``."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from fluxent.core.db import session_scope
from fluxent.models.accounts import OrgRole, Role
from fluxent.models.privacy import PrivacyRequest
from fluxent.state.admin_privacy import AdminPrivacyState
from fluxent.state.privacy_request_form import PrivacyRequestFormState
from tests.support.auth import Clock
from tests.support.marketing import aged_stamp
from tests.support.state import person, tab

SUBJECT = "lena@lindqvist.example"


def _stored() -> list[tuple]:
    with session_scope() as db:
        return [(r.id, r.status, r.due_at, r.extended_at) for r in db.scalars(select(PrivacyRequest))]


def _sent_and_confirmed(page_state, outbox) -> PrivacyRequestFormState:
    state = page_state(PrivacyRequestFormState, "/legal/privacy/request")
    state.prepare()
    state.stamp = aged_stamp(Clock())
    state.submit({"kind": "access", "email": SUBJECT, "name": "Lena"})
    assert (state.step, state.code_sent_to, state.errors) == ("code", SUBJECT, {})
    code = re.search(r"code is (\d{6})\.", outbox.text(outbox.last(SUBJECT))).group(1)
    state.confirm({"email": SUBJECT, "code": code})
    return state


def test_the_form_refuses_bad_input_then_sends_and_confirms(database, outbox, page_state):
    state = page_state(PrivacyRequestFormState, "/legal/privacy/request")
    state.prepare()
    state.stamp = aged_stamp(Clock())
    state.submit({"kind": "", "email": "nope"})
    assert {"kind", "email"} <= set(state.errors) and state.step == "form" and _stored() == []

    done = _sent_and_confirmed(page_state, outbox)
    assert done.step == "done" and "is confirmed" in done.outcome


def test_a_wrong_code_keeps_the_code_step_and_the_link_opens_it(database, outbox, page_state):
    state = page_state(PrivacyRequestFormState, "/legal/privacy/request")
    state.prepare()
    state.stamp = aged_stamp(Clock())
    state.submit({"kind": "deletion", "email": SUBJECT})
    state.confirm({"email": SUBJECT, "code": "12345x"})
    assert state.step == "code" and "code" in state.errors
    (request_id,) = [row[0] for row in _stored()]
    opened = page_state(PrivacyRequestFormState, f"/legal/privacy/request?request={request_id}")
    opened.prepare()
    assert (opened.step, opened.request_id) == ("code", request_id)


def test_the_desk_shows_the_queue_and_an_admin_fulfils_a_request(database, outbox, page_state):
    _sent_and_confirmed(page_state, outbox)
    _, cookie = person("ana@fluxent.tech", role=Role.ADMIN, name="Ana Admin")
    desk = tab(AdminPrivacyState, cookie=cookie)
    desk.load()
    assert desk.access == "ok"
    (row,) = desk.rows
    assert (row.clock, row.verification) == ("on_time", "identity confirmed")
    desk.open_request(row.id)
    assert desk.detail["reference"] == row.reference
    desk.send_export()
    assert desk.notice == "The export link was e-mailed to the subject."
    assert "/privacy-requests/exports/" in outbox.text(outbox.last(SUBJECT))
    desk.extend({"reason": ""})
    assert desk.notice_is_error and "extend.reason" in desk.errors
    desk.close({"outcome": "fulfilled", "note": ""})
    assert desk.detail["status"] == "closed"
    assert [step["action"] for step in desk.steps][-2:] == ["privacy.export_link_sent", "privacy.request_closed"]


def test_clients_and_signed_out_tabs_see_and_change_nothing(database, outbox, page_state):
    _sent_and_confirmed(page_state, outbox)
    _, owner = person("olivia@client.test", organization="Client Co", org_role=OrgRole.OWNER)
    before = _stored()
    (request_id,) = [row[0] for row in before]
    for cookie in (owner, "", "sessionid=forged"):
        desk = tab(AdminPrivacyState, cookie=cookie)
        desk.load()
        assert desk.rows == [] and desk.access in ("denied", "loading")
        desk.selected = request_id
        desk.close({"outcome": "fulfilled"})
        desk.send_export()
        desk.extend({"reason": "x"})
    assert _stored() == before
    with session_scope() as db:
        assert db.scalar(select(func.count()).select_from(PrivacyRequest)) == 1
    assert "/exports/" not in outbox.text(outbox.last(SUBJECT))


def test_the_desk_queue_pages_and_filters_by_status_and_subject(database):
    from fluxent.models.accounts import User
    from fluxent.services.privacy import requests

    staff_id, cookie = person("ana@fluxent.tech", role=Role.ADMIN, name="Ana Admin")
    with session_scope() as db:
        ana = db.get(User, staff_id)
        for number in range(21):
            requests.log_request(
                db, requests.RequestForm(kind="access", email=f"person{number:02d}@example.com"), actor=ana
            )
        requests.log_request(db, requests.RequestForm(kind="deletion", email="100%_sure@example.com"), actor=ana)
    desk = tab(AdminPrivacyState, cookie=cookie)
    desk.load()
    assert (desk.request_total, desk.request_pages, len(desk.rows)) == (22, 2, 20)
    desk.requests_go_to(2)
    assert len(desk.rows) == 2 and desk.request_page == 2
    desk.search_requests({"q": "%_", "status": "open"})
    assert [row.subject for row in desk.rows] == ["100%_sure@example.com"] and desk.request_page == 1
    desk.search_requests({"q": "", "status": "closed"})
    assert desk.request_total == 0
    desk.search_requests({"q": "PERSON1", "status": "nonsense"})
    assert (desk.request_total, desk.request_status) == (10, "")
    desk.search_requests({"q": "y" * 3_000})
    assert desk.request_total == 0
    desk.search_requests({"q": "\x00"})
    assert "filter.q" in desk.errors
