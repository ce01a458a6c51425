"""E-mail from services goes after the transaction commits: a rollback sends nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from fluxent.core import db
from fluxent.core import email as mail
from fluxent.core.errors import ValidationFailed
from fluxent.models.engagements import Milestone, MilestoneStatus
from fluxent.services.auth import sign_in
from fluxent.services.portal import documents, milestones
from tests.support.auth import AGENT, IP, make_user
from tests.support.portal import outbox


def _note(to: str) -> mail.Email:
    return mail.Email(to=to, subject="Hello", text="Hello", html="<p>Hello</p>")


def test_queued_mail_goes_once_on_commit_and_never_on_rollback(session, data_dir):
    mail.send_after_commit(session, _note("kept@example.com"))
    assert outbox(data_dir) == []  # not before the commit
    session.commit()
    session.commit()  # a later commit does not send it again
    mail.send_after_commit(session, _note("dropped@example.com"))
    session.rollback()
    session.commit()
    assert [m["To"] for m in outbox(data_dir)] == ["kept@example.com"]


def test_a_rolled_back_savepoint_drops_only_its_own_mail(session, data_dir):
    session.connection()
    mail.send_after_commit(session, _note("outer@example.com"))
    with pytest.raises(RuntimeError):
        with session.begin_nested():
            mail.send_after_commit(session, _note("inner@example.com"))
            raise RuntimeError("undo the savepoint")
    with session.begin_nested():
        mail.send_after_commit(session, _note("released@example.com"))
    session.commit()
    assert sorted(m["To"] for m in outbox(data_dir)) == ["outer@example.com", "released@example.com"]


def test_a_session_closed_without_commit_sends_nothing(database, data_dir):
    with Session(db.get_engine()) as other:
        other.connection()
        mail.send_after_commit(other, _note("closed@example.com"))
    with pytest.raises(ValidationFailed):
        with db.session_scope() as failing:
            mail.send_after_commit(failing, _note("failed@example.com"))
            raise ValidationFailed("no")
    assert outbox(data_dir) == []


def test_a_failing_send_does_not_stop_the_others(session, data_dir, monkeypatch):
    calls = []
    db.after_commit(session, lambda: calls.append(1 / 0))
    mail.send_after_commit(session, _note("second@example.com"))
    session.commit()
    assert calls == [] and [m["To"] for m in outbox(data_dir)] == ["second@example.com"]


def test_a_milestone_decision_rolled_back_tells_no_one(session, world, data_dir):
    ms = world.milestones_a[0]
    before = len(outbox(data_dir, world.staff.email))
    milestones.accept(session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=ms.id)
    session.rollback()
    assert session.get(Milestone, ms.id).status == MilestoneStatus.SUBMITTED
    assert len(outbox(data_dir, world.staff.email)) == before
    milestones.accept(session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=ms.id)
    session.commit()
    subjects = [m["Subject"] for m in outbox(data_dir, world.staff.email)]
    assert subjects.count("Milestone accepted: Phase 1") == 1


def test_a_sign_in_code_request_rolled_back_sends_nothing(session, data_dir):
    make_user(session, "dana@example.com")
    session.commit()
    sign_in.request_email_code(session, email="dana@example.com", ip=IP, user_agent=AGENT)
    session.rollback()
    assert outbox(data_dir) == []
    sign_in.request_email_code(session, email="dana@example.com", ip=IP, user_agent=AGENT)
    session.commit()
    assert [m["Subject"] for m in outbox(data_dir)] == ["Your Fluxent sign-in code"]


def test_an_upload_rolled_back_announces_nothing(session, world, data_dir):
    before = len(outbox(data_dir, world.staff.email))
    documents.upload(
        session, actor=world.member_a, filename="notes.txt", chunks=[b"hello\n"], engagement_id=world.engagement_a.id
    )
    session.rollback()
    assert len(outbox(data_dir, world.staff.email)) == before
