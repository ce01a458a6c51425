"""The privacy centre: what is held, what erasure keeps, and deleting the account."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.models.accounts import OrgRole
from fluxent.models.auth import AuthSession
from fluxent.models.privacy import PrivacyRequest, RequestKind, RequestOutcome, RequestStatus
from fluxent.services.auth import sessions
from fluxent.services.privacy.export import privacy_summary
from fluxent.state.privacy import CONFIRM_HINT, PrivacyState, confirmation_matches
from tests.support.state import PASSWORD, person, reload, run, tab


def _erased(user_id: int) -> bool:
    with session_scope() as db:
        return reload(db, user_id).erased_at is not None


def test_load_lists_categories_and_what_erasure_keeps(database):
    _, cookie = person("pat@example.com")
    state = tab(PrivacyState, cookie=cookie)
    state.load()
    titles = [item["title"] for item in state.categories]
    assert titles[:2] == ["Contact information", "Account credentials"]
    contact = state.categories[0]
    expected = next(summary for summary in privacy_summary() if summary.title == "Contact information")
    assert contact["legal_bases"] == list(expected.legal_bases)
    assert "Contract performance (GDPR Art. 6(1)(b))" in contact["legal_bases"]
    assert contact["retention"] and contact["held_as"]
    audit = next(item for item in state.kept if item["description"].startswith("Audit-log entries"))
    assert audit["how"] == "Kept with your personal details removed"
    assert "Legitimate interest" in audit["reason"] and audit["retention"].startswith("Audit logs: 2 years")


def test_load_lists_what_is_held_about_the_person_with_basis_rule_and_dates(database):
    _, cookie = person("pat@example.com", organization="Northwind", org_role=OrgRole.OWNER)
    state = tab(PrivacyState, cookie=cookie)
    state.load()
    dated = {item["title"]: item for item in state.dated}
    assert list(dated)[:2] == ["Your account", "Your sign-ins"]
    account = dated["Your account"]
    assert account["basis"] == "Contract performance (GDPR Art. 6(1)(b))"
    assert account["parts"] == [{"label": "No date yet: it is set once all your engagements have closed.", "on": ""}]
    assert dated["Your sign-ins"]["parts"][0]["label"].startswith("1 sign-in still open")
    # The account's creation is an audit entry about the person, deleted two years after it.
    audit = dated["Audit-log entries about you"]["parts"][0]
    assert audit["label"] == "Your earliest entry is deleted on" and re.fullmatch(r"[1-9]\d? \w{3} \d{4}", audit["on"])


def test_load_lists_the_persons_own_confirmed_privacy_requests_with_where_each_stands(database):
    user, cookie = person("pat@example.com")
    _, other = person("quinn@example.com")
    moment = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with session_scope() as db:
        db.add_all(
            [
                _request(RequestKind.ACCESS, "pat@example.com", moment, status=RequestStatus.OPEN),
                _request(
                    RequestKind.CORRECTION, "PAT@example.com", moment - timedelta(days=60), status=RequestStatus.CLOSED
                ),
                _request(RequestKind.DELETION, "pat@example.com", moment, status=RequestStatus.UNCONFIRMED),
                _request(RequestKind.OBJECTION, "quinn@example.com", moment, status=RequestStatus.OPEN),
            ]
        )
    state = tab(PrivacyState, cookie=cookie)
    state.load()
    assert state.past_requests == [
        {"kind": "Access", "received": "1 Dec 2026", "status": "Open: we answer by 15 Jan 2027"},
        {"kind": "Correction", "received": "2 Oct 2026", "status": "Answered on 12 Oct 2026: fulfilled"},
    ]
    elsewhere = tab(PrivacyState, cookie=other)
    elsewhere.load()
    assert [row["kind"] for row in elsewhere.past_requests] == ["Objection"]


def _request(kind: RequestKind, email: str, received: datetime, *, status: RequestStatus) -> PrivacyRequest:
    closed = received + timedelta(days=10) if status == RequestStatus.CLOSED else None
    return PrivacyRequest(
        kind=kind,
        status=status,
        subject_email=email.lower(),
        received_at=received,
        due_at=received + timedelta(days=45),
        closed_at=closed,
        outcome=RequestOutcome.FULFILLED if closed else None,
    )


def test_a_tab_without_a_live_session_lists_nothing_held(database):
    state = tab(PrivacyState, cookie="sessionid=not-a-session")
    state.load()
    assert state.dated == []


def test_deletion_needs_the_typed_confirmation(database):
    user_id, cookie = person("pat@example.com")
    state = tab(PrivacyState, cookie=cookie)
    for typed in ("", "delete", "DELETE ME", "someone@example.com", "pat@example.co"):
        steps = run(state.delete_account({"secret": PASSWORD, "confirmation": typed}))
        assert state.errors == {"form": CONFIRM_HINT, "confirmation": CONFIRM_HINT}  # the summary, then the field
        assert steps[-1].args[0][1]._var_value == "ref_erase_confirmation"  # the field gets the focus
        assert state.busy == "" and state.leave_to == ""
    assert not _erased(user_id)


def test_deletion_needs_the_password(database):
    user_id, cookie = person("pat@example.com")
    state = tab(PrivacyState, cookie=cookie)
    run(state.delete_account({"secret": "not the password at all", "confirmation": "DELETE"}))
    assert "secret" in state.errors and state.leave_to == ""
    run(state.delete_account({"secret": "", "confirmation": "DELETE"}))
    assert "secret" in state.errors
    assert not _erased(user_id)


def test_a_sole_owner_is_told_which_organization_to_hand_over(database):
    user_id, cookie = person("owner@example.com", organization="Northwind Robotics", org_role=OrgRole.OWNER)
    state = tab(PrivacyState, cookie=cookie)
    run(state.delete_account({"secret": PASSWORD, "confirmation": "DELETE"}))
    assert "Northwind Robotics" in state.errors["form"]
    assert state.leave_to == "" and not _erased(user_id)


def test_deletion_erases_the_account_and_sends_the_browser_home(database):
    user_id, cookie = person("Pat.Lee@example.com", organization="Northwind", org_role=OrgRole.MEMBER)
    state = tab(PrivacyState, cookie=cookie)
    state.load_portal()
    run(state.delete_account({"secret": PASSWORD, "confirmation": "pat.lee@EXAMPLE.com"}))
    assert state.errors == {}
    assert state.leave_to == routes.home_with_notice(routes.NOTICE_ACCOUNT_DELETED)
    assert _erased(user_id)
    with session_scope() as db:
        assert db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).all() == []
    # The same tab can do nothing more.
    state.load_portal()
    assert not state.signed_in


def test_a_revoked_session_cannot_delete_the_account(database):
    user_id, cookie = person("pat@example.com")
    with session_scope() as db:
        for auth_session in db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).all():
            sessions.revoke(db, auth_session)
    state = tab(PrivacyState, cookie=cookie)
    run(state.delete_account({"secret": PASSWORD, "confirmation": "DELETE"}))
    assert not _erased(user_id) and state.leave_to == "" and not state.signed_in


def test_confirmation_rule():
    assert confirmation_matches("DELETE", "a@b.co")
    assert confirmation_matches("  A@B.co ", "a@b.co")
    assert not confirmation_matches("Delete", "a@b.co")
    assert not confirmation_matches("", "")
