"""Account erasure: the person is gone from every table, the audit chain still verifies,
sole owners are refused, and a second erasure changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from fluxent.core.errors import Conflict, NotFound, PermissionDenied
from fluxent.core.passwords import verify_password
from fluxent.models.accounts import Membership, Role, StaffProfile, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession, OneTimeToken
from fluxent.models.notifications import Notification
from fluxent.services.accounts import organizations, users
from fluxent.services.audit import trail
from fluxent.services.auth import sessions
from fluxent.services.notifications import Kind, notify
from fluxent.services.notifications.preferences import save_preferences
from fluxent.services.privacy.entries import default_registry
from fluxent.services.privacy.entries.billing import LEGAL_HOLD
from fluxent.services.privacy.entries.esign import KEPT_FOR_LEGAL_CLAIMS
from fluxent.services.privacy.entries.privacy import REQUEST_RECORDS
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.policy import RETENTION_ACCOUNTS, RETENTION_AUDIT, RETENTION_BILLING
from tests.support.privacy import (
    ADA_AGENT,
    ADA_IP,
    BOB_AGENT,
    BOB_IP,
    ORGANIZATION,
    PASSWORD,
    clock_at,
    seed_people,
    snapshot,
    text_values,
)

ERASED_AT = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)


def _erase(session, people, **kwargs):
    report = erase_user(session, user=people.ada, actor=people.ada, clock=clock_at(ERASED_AT), **kwargs)
    session.commit()
    return report


def test_erasure_removes_the_person_from_every_table(session):
    people = seed_people(session)
    ada = people.ada
    old = {
        "email": ada.email,
        "name": ada.name,
        "phone": ada.phone,
        "company": ada.company,
        "ip": ADA_IP,
        "user agent": ADA_AGENT,
    }
    old_username = ada.username
    _erase(session, people)
    for table, column, value in text_values(session):
        for label, personal in old.items():
            assert personal.lower() not in value.lower(), f"{label} survives in {table}.{column}"
        assert value != old_username, f"username survives in {table}.{column}"


def test_erased_account_row_is_scrubbed(session):
    people = seed_people(session)
    report = _erase(session, people)
    user = session.get(User, people.ada.id)
    assert user is people.ada  # the caller's object reflects the change
    assert user.email == f"erased-{user.id}@erased.invalid"
    assert user.username == f"erased-{user.id}"
    assert (user.name, user.phone, user.company, user.country) == ("", "", "", "")
    assert user.password_hash is None and user.is_active is False
    assert user.erased_at == ERASED_AT == report.erased_at


def test_dependents_are_deleted_and_other_people_keep_theirs(session):
    people = seed_people(session)
    ada_id, bob_id = people.ada.id, people.bob.id
    for person in (people.ada, people.bob):
        notify(session, person.id, Kind.MESSAGE, "A new message about the build", "/portal")
        save_preferences(session, user=person, choices={"documents": "off"})
    report = _erase(session, people)
    for model in (Membership, AuthSession, OneTimeToken):
        assert session.scalar(select(func.count()).select_from(model).where(model.user_id == ada_id)) == 0
    assert session.get(StaffProfile, ada_id) is None
    assert session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == bob_id)) == 1
    assert session.scalar(select(AuthSession.ip).where(AuthSession.user_id == bob_id)) == BOB_IP
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == bob_id)) == 1
    deleted = {d.table: d.rows for d in report.deleted}
    assert deleted == {
        "account_membership": 1,
        "account_staff_profile": 0,
        "auth_session": 2,
        "auth_one_time_token": 1,
        "auth_two_step_method": 0,
        "auth_passkey": 0,
        "auth_recovery_code": 0,
        "marketing_lead_note": 0,
        "marketing_lead": 0,
        "marketing_consent": 0,
        "marketing_newsletter_subscription": 0,
        "engagement_staff": 0,
        "billing_contact": 0,
        "billing_receipt_outbox": 0,
        "policy_acknowledgement": 0,
        "policy_notice": 0,
        "notification": 1,
        "notification_preference": 1,
        "privacy_restriction": 0,
        "engagement_message_read": 0,
    }
    assert [r.table for r in report.retained] == [
        "billing_invoice",
        "esign_signer",
        "privacy_request",
    ]  # legal hold; signatures stay for the other party; how each privacy request was answered


def test_staff_profile_is_deleted(session):
    staff = users.create_user(session, email="sam@fluxent.tech", password=PASSWORD, role=Role.STAFF, name="Sam Q")
    users.set_staff_profile(session, user=staff, title="Engineer", team="Builds")
    report = erase_user(session, user=staff, actor=staff)
    assert session.get(StaffProfile, staff.id) is None
    assert {d.table: d.rows for d in report.deleted}["account_staff_profile"] == 1


def test_audit_rows_stay_with_personal_part_nulled_and_chain_verifies(session):
    people = seed_people(session)
    ada_id = people.ada.id
    about_ada = (AuditEvent.actor_id == ada_id) | (
        (AuditEvent.target_type == "user") & (AuditEvent.target_id == str(ada_id))
    )
    before = session.scalar(select(func.count()).select_from(AuditEvent).where(about_ada))
    report = _erase(session, people)
    rows = session.scalars(select(AuditEvent).where(about_ada).order_by(AuditEvent.seq)).all()
    assert len(rows) == before + 1  # plus the erasure event itself
    assert all((r.ip, r.user_agent, r.email) == (None, None, None) for r in rows)
    # Bob's own sign-in keeps its personal part.
    bob_sign_in = session.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == people.bob.id, AuditEvent.action == "auth.login_succeeded")
    ).one()
    assert (bob_sign_in.ip, bob_sign_in.user_agent) == (BOB_IP, BOB_AGENT)
    assert trail.verify(session).ok
    event = rows[-1]
    assert event.action == "privacy.erasure_completed"
    assert (event.actor_id, event.target_id, event.created_at) == (ada_id, str(ada_id), ERASED_AT)
    assert [a.table for a in report.anonymized] == [
        "account_user",
        "audit_event",
        "engagement_milestone",
        "document_version",
        "billing_profile",
        "esign_envelope",
        "vault_item",
        "vault_item_version",
        "engagement_message",
    ]


def test_erased_person_cannot_sign_in(session):
    people = seed_people(session)
    old_email = people.ada.email
    assert sessions.resolve(session, people.ada_session_raw) is not None
    _erase(session, people)
    assert sessions.resolve(session, people.ada_session_raw) is None
    assert users.user_by_email(session, old_email) is None
    assert not verify_password(PASSWORD, people.ada.password_hash)


def test_sole_owner_is_refused_and_nothing_changes(session):
    people = seed_people(session)
    solo = organizations.get_or_create_organization(session, name="Lovelace Consulting")
    organizations.add_membership(session, user=people.ada, organization=solo, role="owner")
    session.commit()
    before = snapshot(session)
    with pytest.raises(Conflict) as refused:
        erase_user(session, user=people.ada, actor=people.ada)
    assert "Lovelace Consulting" in refused.value.message
    assert ORGANIZATION not in refused.value.message  # Bob owns that one too
    assert "owner" in refused.value.message
    session.commit()
    assert snapshot(session) == before


def test_co_owner_may_leave(session):
    people = seed_people(session, ada_owner=True)
    _erase(session, people)
    assert people.ada.erased_at == ERASED_AT


def test_second_erasure_is_not_found_and_changes_nothing(session):
    people = seed_people(session)
    _erase(session, people)
    before = snapshot(session)
    with pytest.raises(NotFound):
        erase_user(session, user=people.ada, actor=people.ada)
    session.commit()
    assert snapshot(session) == before


def test_only_the_person_or_an_admin_may_erase(session):
    people = seed_people(session)
    with pytest.raises(PermissionDenied):
        erase_user(session, user=people.ada, actor=people.bob)
    admin = users.create_user(session, email="root@fluxent.tech", password=PASSWORD, role=Role.ADMIN)
    report = erase_user(session, user=people.ada, actor=admin)
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert (event.action, event.actor_id) == ("privacy.erasure_completed", admin.id)
    assert report.user_id == people.ada.id


def test_retained_records_are_listed_in_the_report(session):
    """Invoices (legal hold) and signatures (for the other party) stay: the report names them, why and how long."""
    people = seed_people(session)
    report = _erase(session, people)
    invoices = {"table": "billing_invoice", "reason": LEGAL_HOLD, "retention": RETENTION_BILLING.label}
    signatures = {"table": "esign_signer", "reason": KEPT_FOR_LEGAL_CLAIMS, "retention": RETENTION_ACCOUNTS.label}
    requests = {"table": "privacy_request", "reason": REQUEST_RECORDS, "retention": RETENTION_AUDIT.label}
    assert [r.__dict__ for r in report.retained] == [invoices, signatures, requests]
    assert report.as_dict()["retained"] == [invoices, signatures, requests]
    meta = session.scalars(select(AuditEvent.meta).order_by(AuditEvent.seq.desc())).first()
    assert '"retained":["billing_invoice","esign_signer","privacy_request"]' in meta


def test_every_table_is_visited(session):
    """Each registered table appears in the report exactly once, under what its registration says."""
    people = seed_people(session)
    report = _erase(session, people)
    reported = (
        [d.table for d in report.deleted] + [a.table for a in report.anonymized] + [r.table for r in report.retained]
    )
    assert sorted(reported) == sorted(r.table for r in default_registry().registrations())
    assert set(reported) <= set(SQLModel.metadata.tables)
