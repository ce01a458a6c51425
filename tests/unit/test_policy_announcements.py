"""Announcing a policy version: one notice per person (account holders and confirmed subscribers),
resumable after a failure or a stopped run; the portal notice until each person acknowledges it."""

from __future__ import annotations

import socket
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from fluxent.core.clock import now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.core.settings import reset_settings
from fluxent.models.audit import AuditEvent
from fluxent.models.marketing import NewsletterSubscription
from fluxent.models.policies import PolicyAcknowledgement, PolicyAnnouncement, PolicyNotice
from fluxent.services.policies import acknowledgements, announcements
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import export_user_data
from tests.support.policies import CHANGES, policy_content, upcoming_effective
from tests.support.portal import outbox


@pytest.fixture
def content(tmp_path):
    return policy_content(tmp_path / "content")


def _subscribe(session, address: str, *, confirmed: bool) -> None:
    session.add(NewsletterSubscription(email=address, confirmed_at=now() if confirmed else None))
    session.commit()


def _announce(session, content, **changes):
    values = {"document": "privacy", "effective": upcoming_effective(), "directory": content, **changes}
    announcement = announcements.announce(session, **values)
    session.commit()
    return announcement


def _notices(data_dir, to: str | None = None) -> list:
    """The policy notices among the e-mails the file backend wrote (the world's set-up sends others)."""
    return [message for message in outbox(data_dir, to) if message["Subject"].startswith("Our Privacy Policy changes")]


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_account_holder_and_confirmed_subscriber_is_told_once(session, world, data_dir, content):
    _subscribe(session, "reader@news.test", confirmed=True)
    _subscribe(session, "pending@news.test", confirmed=False)
    _subscribe(session, world.owner_a.email, confirmed=True)  # both: one e-mail
    world.member_a.is_active = False
    session.add(world.member_a)
    session.commit()
    announcement = _announce(session, content)
    delivery = announcements.send_notices(announcement.id)
    told = sorted(message["To"] for message in _notices(data_dir))
    expected = {world.owner_a.email, world.owner_b.email, world.staff.email, world.admin.email, "reader@news.test"}
    assert told == sorted(expected)
    assert (delivery.sent, delivery.failed, delivery.waiting) == (5, 0, 0)
    message = _notices(data_dir, "reader@news.test")[0]
    effective = upcoming_effective()
    assert message["Subject"] == f"Our Privacy Policy changes on {effective:%B} {effective.day}, {effective.year}"
    text = message.get_body(("plain",)).get_content()
    assert CHANGES in text and "http://testserver/legal/privacy" in text and "Version: 2" in text
    html = message.get_body(("html",)).get_content()
    assert 'href="http://testserver/legal/privacy"' in html and "Fluxent Technologies, Inc." in html  # the layout


def test_running_again_mails_nobody_twice_and_reaches_people_added_since(session, world, data_dir, content):
    first = _announce(session, content)
    announcements.send_notices(first.id)
    before = len(_notices(data_dir))
    again = _announce(session, content)
    assert again.id == first.id
    assert announcements.send_notices(again.id).sent == 0
    assert len(_notices(data_dir)) == before
    _subscribe(session, "late@news.test", confirmed=True)
    _announce(session, content)
    assert announcements.send_notices(first.id).sent == 1
    assert [m["To"] for m in _notices(data_dir)][before:] == ["late@news.test"]
    assert _count(session, PolicyAnnouncement) == 1
    assert [e.action for e in session.scalars(select(AuditEvent))].count("policy.announced") == 1


class _FailsAfter:
    """A mail server that takes ``limit`` messages, then answers every later one with an error."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        if len(self.recipients) >= self.limit:
            return "451 Try again later"
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_run_the_mail_server_cut_short_is_finished_by_the_next_without_repeats(
    session, world, data_dir, content, monkeypatch
):
    handler = _FailsAfter(2)
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setenv("FLUXENT_EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("FLUXENT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FLUXENT_SMTP_PORT", str(controller.port))
    reset_settings()
    try:
        announcement = _announce(session, content)
        cut_short = announcements.send_notices(announcement.id)
        assert (cut_short.sent, cut_short.failed, cut_short.waiting) == (2, 3, 3)
        handler.limit = 100
        finished = announcements.send_notices(announcement.id)
        assert (finished.sent, finished.failed, finished.waiting) == (3, 0, 0)
    finally:
        controller.stop()
    everyone = [world.owner_a, world.member_a, world.owner_b, world.staff, world.admin]
    assert sorted(handler.recipients) == sorted(person.email for person in everyone)


def test_a_notice_claimed_by_a_sender_that_stopped_goes_out_once_its_claim_lapses(session, world, data_dir, content):
    announcement = _announce(session, content)
    stuck = session.scalars(select(PolicyNotice.id).order_by(PolicyNotice.id)).first()
    session.execute(
        update(PolicyNotice).where(PolicyNotice.id == stuck).values(claimed_until=now() + timedelta(minutes=5))
    )
    session.commit()
    assert announcements.send_notices(announcement.id).waiting == 1
    later = now() + announcements.CLAIM + timedelta(seconds=1)
    assert announcements.send_notices(announcement.id, clock=lambda: later).sent == 1
    assert len(_notices(data_dir)) == 5


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"document": "refunds"}, ValidationFailed, "There is no legal document 'refunds'"),
        ({"effective": date(2031, 1, 1)}, ValidationFailed, "not 2031-01-01"),
    ],
)
def test_a_wrong_command_is_refused_and_changes_nothing(session, world, data_dir, content, changes, error, message):
    with pytest.raises(error, match=message):
        _announce(session, content, **changes)
    session.rollback()
    assert _count(session, PolicyAnnouncement) == 0 and _count(session, PolicyNotice) == 0
    assert _notices(data_dir) == []


def test_a_version_already_in_effect_or_the_first_one_is_not_announced(session, world, tmp_path):
    past = now().date() - timedelta(days=1)
    with pytest.raises(ValidationFailed, match="a change is announced before it takes effect"):
        _announce(session, policy_content(tmp_path / "past", effective=past), effective=past)
    with pytest.raises(ValidationFailed, match="only its first version"):
        announcements.announce(session, document="terms", effective=date(2026, 5, 11))
    assert _count(session, PolicyAnnouncement) == 0


def test_an_announced_date_cannot_be_moved_by_editing_the_file(session, world, content, tmp_path):
    _announce(session, content)
    moved = upcoming_effective() + timedelta(days=7)
    with pytest.raises(Conflict, match="publish a new version"):
        _announce(session, policy_content(tmp_path / "moved", effective=moved), effective=moved)


# The portal notice ----------------------------------------------------------------


def test_each_person_sees_the_notice_until_they_acknowledge_it(session, world, content):
    announcement = _announce(session, content)
    pending = acknowledgements.pending_for(session, user=world.owner_a)
    assert [(p.announcement_id, p.title, p.version, p.changes, p.href) for p in pending] == [
        (announcement.id, "Privacy Policy", 2, CHANGES, "/legal/privacy")
    ]
    moment = now()
    row = acknowledgements.acknowledge(
        session, user=world.owner_a, announcement_id=announcement.id, clock=lambda: moment
    )
    again = acknowledgements.acknowledge(session, user=world.owner_a, announcement_id=announcement.id)
    session.commit()
    assert again.id == row.id and row.acknowledged_at == moment
    assert acknowledgements.pending_for(session, user=world.owner_a) == []
    assert len(acknowledgements.pending_for(session, user=world.owner_b)) == 1  # others still asked
    assert _count(session, PolicyAcknowledgement) == 1
    assert [e.action for e in session.scalars(select(AuditEvent))].count("policy.acknowledged") == 1


def test_an_unknown_notice_cannot_be_acknowledged(session, world, content):
    _announce(session, content)
    with pytest.raises(NotFound):
        acknowledgements.acknowledge(session, user=world.owner_a, announcement_id=999_999)
    assert _count(session, PolicyAcknowledgement) == 0


def test_people_who_joined_after_the_announcement_are_not_asked(session, world, content):
    _announce(session, content, clock=lambda: world.owner_a.created_at - timedelta(seconds=1))
    assert acknowledgements.pending_for(session, user=world.owner_a) == []


def test_acknowledgements_and_notices_are_in_the_export_and_go_with_the_account(session, world, data_dir, content):
    announcement = _announce(session, content)
    announcements.send_notices(announcement.id)
    acknowledgements.acknowledge(session, user=world.member_a, announcement_id=announcement.id)
    session.commit()
    exported = export_user_data(session, user=world.member_a)
    assert [(a["document"], a["version"]) for a in exported["policy_acknowledgements"]] == [("privacy", 2)]
    assert [(n["email"], n["version"]) for n in exported["policy_notices"]] == [(world.member_a.email, 2)]
    email = world.member_a.email
    erase_user(session, user=world.member_a, actor=world.admin)
    session.commit()
    assert _count(session, PolicyAcknowledgement, PolicyAcknowledgement.user_id == world.member_a.id) == 0
    assert _count(session, PolicyNotice, PolicyNotice.email == email) == 0
    assert _count(session, PolicyNotice) == 4  # everyone else's stay
