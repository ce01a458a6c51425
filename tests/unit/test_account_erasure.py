"""Deleting one's own account: re-authentication first, sole owners refused, everything signed out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from fluxent.core.errors import Conflict, RateLimited, ValidationFailed
from fluxent.models.accounts import OrgRole, User
from fluxent.models.auth import AuthSession, OneTimeToken
from fluxent.services.accounts import organizations
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import sessions, step_up
from fluxent.services.privacy import self_erasure
from tests.support.auth import AGENT, IP, PASSWORD, Secrets, assert_no_secret_in_audit, audit_actions, make_user

ADA = "ada@example.com"


@pytest.fixture
def ada(session):
    user = make_user(session, ADA, name="Ada Lovelace")
    sessions.start_session(session, user=user, ip=IP, user_agent=AGENT)
    session.commit()
    return user


def _erase(session, user, **proof):
    proof = {"password": None, "code": None, **proof}
    return self_erasure.erase_self(session, user=user, ip=IP, user_agent=AGENT, **proof)


def test_erasure_with_the_password_scrubs_and_signs_out(session, ada, outbox):
    report = _erase(session, ada, password=PASSWORD)
    session.commit()
    user = session.get(User, ada.id)
    assert user.erased_at is not None and user.email != ADA and user.password_hash is None
    assert session.exec(select(AuthSession).where(AuthSession.user_id == ada.id)).all() == []
    assert report.retained or report.deleted
    assert "deleted" in outbox.last(ADA)["Subject"]
    assert trail.verify(session).ok


def test_erasure_without_proof_or_with_a_wrong_password_changes_nothing(session, ada):
    with pytest.raises(ValidationFailed):
        _erase(session, ada)
    with pytest.raises(ValidationFailed) as wrong:
        _erase(session, ada, password="definitely not it")
    assert "password" in wrong.value.fields
    session.rollback()
    assert session.get(User, ada.id).erased_at is None
    assert "auth.reauth_refused" in audit_actions(session)


def test_wrong_passwords_are_throttled(session, ada):
    for _ in range(6):
        with pytest.raises(ValidationFailed):
            _erase(session, ada, password="definitely not it")
    with pytest.raises(RateLimited):
        _erase(session, ada, password=PASSWORD)


def test_erasure_with_a_fresh_emailed_code(session, ada, outbox, clock):
    step_up.request_code(session, user=ada, pii=Personal(IP, AGENT, ADA), clock=clock)
    code = outbox.code(ADA)
    with pytest.raises(ValidationFailed):
        _erase(session, ada, code="12345x")
    report = self_erasure.erase_self(session, user=ada, password=None, code=code, clock=clock)
    session.commit()
    assert report.user_id == ada.id
    assert session.exec(select(OneTimeToken)).all() == []
    secrets = Secrets()
    secrets.add(code, PASSWORD)
    assert_no_secret_in_audit(session, secrets)


def test_an_erasure_code_expires(session, ada, outbox, clock):
    step_up.request_code(session, user=ada, clock=clock)
    code = outbox.code(ADA)
    clock.advance(minutes=11)
    with pytest.raises(ValidationFailed):
        self_erasure.erase_self(session, user=ada, password=None, code=code, clock=clock)


def test_the_sole_owner_of_an_organization_is_refused(session, ada, outbox):
    org = organizations.get_or_create_organization(session, name="Northwind Gadgets")
    organizations.add_membership(session, user=ada, organization=org, role=OrgRole.OWNER)
    with pytest.raises(Conflict) as refused:
        _erase(session, ada, password=PASSWORD)
    assert "Northwind Gadgets" in refused.value.message
    session.rollback()
    assert session.get(User, ada.id).erased_at is None
