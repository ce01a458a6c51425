"""Privacy rights requests: the public form and its codes, agents and children, the 45-day clock
and its one extension, closing, appeals by another administrator, and every step audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fluxent.core.errors import Conflict, PermissionDenied, RateLimited, ValidationFailed
from fluxent.models.accounts import Role
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.models.privacy import PrivacyRequest, RequestStatus
from fluxent.services.marketing import spam
from fluxent.services.privacy import requests
from tests.support.auth import IP, OTHER_IP, make_user
from tests.support.rights import AGENT, SUBJECT, code_for, request_form, sent_request


@pytest.fixture
def admins(session):
    first = make_user(session, "ana.admin@fluxent.example", role=Role.ADMIN, name="Ana Admin")
    second = make_user(session, "ben.admin@fluxent.example", role=Role.ADMIN, name="Ben Admin")
    session.commit()
    return first, second


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(PrivacyRequest))


def test_the_form_stores_an_unconfirmed_request_and_mails_a_code_kept_only_as_a_hash(session, outbox, clock):
    request = requests.submit(session, request_form(clock), ip=IP, clock=clock)
    code = code_for(outbox, SUBJECT)
    assert request.status == RequestStatus.UNCONFIRMED and request.subject_verified_at is None
    token = session.scalars(select(OneTimeToken).where(OneTimeToken.purpose == TokenPurpose.PRIVACY_CODE)).one()
    assert code not in token.token_hash and token.expires_at - clock() <= timedelta(minutes=10)
    assert requests.queue(session, actor=make_user(session, "s@fluxent.example", role=Role.STAFF)).total == 0

    confirmed = requests.confirm_code(session, request_id=request.id, email=SUBJECT, code=code, clock=clock)
    assert confirmed.status == RequestStatus.OPEN
    assert confirmed.subject_verified_at == confirmed.requester_verified_at == clock()
    assert confirmed.due_at == confirmed.received_at + timedelta(days=45)


def test_a_wrong_or_expired_code_confirms_nothing(session, outbox, clock):
    request = requests.submit(session, request_form(clock), ip=IP, clock=clock)
    code = code_for(outbox, SUBJECT)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationFailed):
        requests.confirm_code(session, request_id=request.id, email=SUBJECT, code=wrong, clock=clock)
    clock.advance(minutes=11)
    with pytest.raises(ValidationFailed):
        requests.confirm_code(session, request_id=request.id, email=SUBJECT, code=code, clock=clock)
    session.refresh(request)
    assert request.status == RequestStatus.UNCONFIRMED


def test_a_code_for_one_request_does_not_confirm_another(session, outbox, clock):
    first = requests.submit(session, request_form(clock), ip=IP, clock=clock)
    code = code_for(outbox, SUBJECT)
    other = requests.submit(session, request_form(clock, email="someone@else.example"), ip=IP, clock=clock)
    with pytest.raises(ValidationFailed):
        requests.confirm_code(session, request_id=other.id, email=SUBJECT, code=code, clock=clock)
    assert requests.confirm_code(session, request_id=first.id, email=SUBJECT, code=code, clock=clock).status == "open"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "everything"}, "kind"),
        ({"email": "not-an-address"}, "email"),
        ({"name": "Dana\r\nBcc: x@y.z"}, "name"),
        ({"kind": "correction", "details": ""}, "details"),
        ({"details": "x" * 5001}, "details"),
        ({"kind": "access", "child": True, "agent_name": "Pat", "agent_email": AGENT}, "child"),
        ({"agent": True, "agent_name": "", "agent_email": AGENT, "agent_authority": "Signed"}, "agent_name"),
        ({"agent": True, "agent_name": "Pat", "agent_email": AGENT, "agent_authority": ""}, "agent_authority"),
        ({"kind": "appeal", "appeal_of": "PR-999"}, "appeal_of"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_stores_nothing(session, outbox, clock, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        requests.submit(session, request_form(clock, **overrides), ip=IP, clock=clock)
    assert field in refused.value.fields
    assert _count(session) == 0 and outbox.messages() == []


def test_robots_and_hasty_forms_store_nothing_and_the_address_is_throttled(session, outbox, clock):
    assert requests.submit(session, request_form(clock, honeypot="http://spam"), ip=IP, clock=clock) is None
    with pytest.raises(ValidationFailed):
        requests.submit(session, request_form(clock, stamp=spam.new_stamp(clock=clock)), ip=IP, clock=clock)
    assert _count(session) == 0
    for _ in range(5):
        requests.submit(session, request_form(clock), ip=IP, clock=clock)
    with pytest.raises(RateLimited):
        requests.submit(session, request_form(clock), ip=IP, clock=clock)
    assert requests.submit(session, request_form(clock, email="x@other.example"), ip=OTHER_IP, clock=clock)


def test_an_agent_confirms_their_address_and_the_subject_confirms_theirs(session, outbox, clock):
    agent = {"agent": True, "agent_name": "Pat Advocate", "agent_email": AGENT, "agent_authority": "Signed letter"}
    request = sent_request(session, outbox, clock, **agent)
    assert request.status == RequestStatus.OPEN and request.subject_verified_at is None
    assert not requests.released_to_subject(request)
    assert requests.verification_status(request) == "waiting for the subject's code"
    subject_code = code_for(outbox, SUBJECT)
    assert "acts for you" in outbox.text(outbox.last(SUBJECT)) or "act for you" in outbox.text(outbox.last(SUBJECT))
    request = requests.confirm_code(session, request_id=request.id, email=SUBJECT, code=subject_code, clock=clock)
    assert requests.released_to_subject(request) and request.agent_email == AGENT


def test_a_parents_report_of_a_childs_data_is_a_deletion_released_on_the_parents_code(session, outbox, clock):
    parent = {"child": True, "agent_name": "Pat Parent", "agent_email": AGENT}
    request = sent_request(session, outbox, clock, kind="deletion", email="kid@example.com", **parent)
    assert request.child and requests.released_to_subject(request)
    assert outbox.messages("kid@example.com") == [], "the child is not e-mailed"


def test_the_clock_turns_near_then_overdue(session, outbox, clock):
    request = sent_request(session, outbox, clock)
    assert (requests.clock_state(request, clock=clock), requests.days_left(request, clock=clock)) == ("on_time", 45)
    clock.advance(days=38, hours=1)
    assert (requests.clock_state(request, clock=clock), requests.days_left(request, clock=clock)) == ("due_soon", 7)
    clock.advance(days=7)
    assert (requests.clock_state(request, clock=clock), requests.days_left(request, clock=clock)) == ("overdue", 0)
    clock.advance(days=2)
    assert requests.days_left(request, clock=clock) == -2


def test_one_extension_is_allowed_recorded_and_announced(session, outbox, clock, admins):
    request = sent_request(session, outbox, clock)
    due = request.due_at
    with pytest.raises(ValidationFailed):
        requests.extend(session, actor=admins[0], request_id=request.id, reason=" ", clock=clock)
    requests.extend(session, actor=admins[0], request_id=request.id, reason="Records on paper", clock=clock)
    assert (request.due_at, request.extended_at, request.extension_reason) == (
        due + timedelta(days=45),
        clock(),
        "Records on paper",
    )
    notice = outbox.text(outbox.last(SUBJECT))
    assert "Records on paper" in notice and "one extension" in notice
    with pytest.raises(Conflict):
        requests.extend(session, actor=admins[0], request_id=request.id, reason="Again", clock=clock)


def test_an_overdue_request_can_no_longer_be_extended(session, outbox, clock, admins):
    request = sent_request(session, outbox, clock)
    clock.advance(days=46)
    with pytest.raises(Conflict):
        requests.extend(session, actor=admins[0], request_id=request.id, reason="Late", clock=clock)
    session.refresh(request)
    assert request.extended_at is None


def test_closing_records_the_outcome_and_answers_the_requester(session, outbox, clock, admins):
    staff = make_user(session, "sam@fluxent.example", role=Role.STAFF)
    request = sent_request(session, outbox, clock)
    with pytest.raises(PermissionDenied):
        requests.close(session, actor=staff, request_id=request.id, outcome="fulfilled", clock=clock)
    with pytest.raises(ValidationFailed):
        requests.close(session, actor=admins[0], request_id=request.id, outcome="denied", clock=clock)
    requests.close(session, actor=admins[0], request_id=request.id, outcome="denied", note="Not ours", clock=clock)
    assert (request.status, request.outcome, request.decided_by_id) == ("closed", "denied", admins[0].id)
    answer = outbox.text(outbox.last(SUBJECT))
    assert "Not ours" in answer and "appeal" in answer
    with pytest.raises(Conflict):
        requests.close(session, actor=admins[1], request_id=request.id, outcome="fulfilled", clock=clock)


def test_an_appeal_is_due_in_60_days_and_decided_by_another_administrator(session, outbox, clock, admins):
    original = sent_request(session, outbox, clock, kind="deletion")
    with pytest.raises(ValidationFailed) as still_open:
        requests.submit(session, request_form(clock, kind="appeal", appeal_of=f"PR-{original.id}"), ip=IP, clock=clock)
    assert "appeal_of" in still_open.value.fields
    requests.close(session, actor=admins[0], request_id=original.id, outcome="denied", note="Tax records", clock=clock)
    with pytest.raises(ValidationFailed):  # only the address the answer went to may appeal it
        requests.submit(
            session,
            request_form(clock, kind="appeal", email="x@y.example", appeal_of=str(original.id)),
            ip=IP,
            clock=clock,
        )
    appeal = sent_request(session, outbox, clock, kind="appeal", appeal_of=f"pr-{original.id}")
    assert appeal.appeal_of_id == original.id and appeal.due_at == appeal.received_at + timedelta(days=60)
    with pytest.raises(PermissionDenied):
        requests.close(session, actor=admins[0], request_id=appeal.id, outcome="fulfilled", clock=clock)
    requests.close(session, actor=admins[1], request_id=appeal.id, outcome="fulfilled", clock=clock)
    assert appeal.decided_by_id == admins[1].id


def test_staff_log_a_mailed_request_and_send_the_subject_a_code(session, outbox, clock):
    staff = make_user(session, "sam@fluxent.example", role=Role.STAFF)
    client = make_user(session, "client@example.com")
    with pytest.raises(PermissionDenied):
        requests.log_request(session, request_form(clock), actor=client, clock=clock)
    request = requests.log_request(session, request_form(clock), actor=staff, clock=clock)
    assert request.status == RequestStatus.OPEN and not requests.released_to_subject(request)
    requests.send_subject_code(session, actor=staff, request_id=request.id, clock=clock)
    session.commit()
    requests.confirm_code(session, request_id=request.id, email=SUBJECT, code=code_for(outbox, SUBJECT), clock=clock)
    assert requests.released_to_subject(request)
    with pytest.raises(Conflict):
        requests.send_subject_code(session, actor=staff, request_id=request.id, clock=clock)


def test_staff_edit_notes_but_not_the_clock_and_nothing_once_closed(session, outbox, clock, admins):
    request = sent_request(session, outbox, clock)
    with pytest.raises(ValidationFailed):
        requests.update(session, actor=admins[0], request_id=request.id, changes={"due_at": "2099-01-01"}, clock=clock)
    requests.update(session, actor=admins[0], request_id=request.id, changes={"staff_note": "Called"}, clock=clock)
    assert request.staff_note == "Called"
    requests.close(session, actor=admins[0], request_id=request.id, outcome="fulfilled", clock=clock)
    with pytest.raises(Conflict):
        requests.update(session, actor=admins[0], request_id=request.id, changes={"staff_note": "x"}, clock=clock)


def test_every_step_is_in_the_requests_audit_trail(session, outbox, clock, admins):
    request = sent_request(session, outbox, clock)
    requests.extend(session, actor=admins[0], request_id=request.id, reason="Busy", clock=clock)
    requests.close(session, actor=admins[0], request_id=request.id, outcome="fulfilled", clock=clock)
    steps = requests.steps_of(session, actor=admins[0], request_id=request.id)
    assert [step.action for step in steps] == [
        "privacy.request_received",
        "privacy.request_confirmed",
        "privacy.request_extended",
        "privacy.request_closed",
    ]
    assert steps[-1].actor == "Ana Admin"
