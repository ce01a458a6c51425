"""The notification centre: who is told about what, e-mail choices per category, the daily
digest, and marking read (one's own only)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.models.notifications import Notification, NotificationPreference
from fluxent.services.accounts import invitations
from fluxent.services.auth import one_time
from fluxent.services.notifications import Kind, centre, digest, notify
from fluxent.services.notifications.preferences import preferences_of, save_preferences
from fluxent.services.portal import documents
from tests.support.billing import BILLING_EMAIL, issued_invoice
from tests.support.esign import sent_deal
from tests.support.portal import PDF_BYTES, outbox


def _titles(session, person) -> list[str]:
    return [n.title for n in centre.list_notifications(session, user=person).items]


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Notification))


def test_a_submitted_milestone_tells_the_owners_who_decide_and_a_new_document_every_member(session, world, data_dir):
    waiting = f"\u201cPhase 1\u201d of {world.engagement_a.title} is waiting for your decision"
    document = f"New document: plan.pdf in {world.engagement_a.title} (Northwind Robotics)"
    assert _titles(session, world.owner_a) == [document, waiting]
    assert _titles(session, world.member_a) == [document]  # members cannot decide
    assert centre.unread_count(session, user=world.owner_a) == 2
    assert all(world.engagement_a.title not in title for title in _titles(session, world.owner_b))
    assert any("acceptance" in m["Subject"] for m in outbox(data_dir, world.owner_a.email))


def test_a_client_decision_and_a_client_upload_tell_the_assigned_staff(session, world):
    from fluxent.services.portal import milestones

    milestones.accept(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[0].id
    )
    documents.upload(
        session, actor=world.member_a, filename="brief.pdf", chunks=[PDF_BYTES], organization_id=world.org_a
    )
    kinds = [n.kind for n in centre.list_notifications(session, user=world.staff).items]
    assert kinds == [Kind.DOCUMENT_ADDED, Kind.MILESTONE_DECIDED]
    assert _titles(session, world.admin) == []  # not assigned


def test_signature_requests_invoices_and_accepted_invitations_notify_who_acts(session, world, data_dir):
    sent_deal(session, world)
    assert Kind.SIGNATURE_REQUESTED in [n.kind for n in centre.list_notifications(session, user=world.owner_a).items]
    invoice = issued_invoice(session, world)
    issued = [n for n in centre.list_notifications(session, user=world.owner_a).items if n.kind == Kind.INVOICE_ISSUED]
    assert [n.link for n in issued] == [f"/portal/invoices/{invoice.id}"]
    assert not any(n.kind == Kind.INVOICE_ISSUED for n in centre.list_notifications(session, user=world.member_a).items)
    invitation = invitations.invite(session, actor=world.staff, email="new@northwind.test", organization=world.org_a)
    _, token = one_time.issue_link(
        session,
        purpose=invitation.purpose,
        email=invitation.email,
        organization_id=invitation.organization_id,
        payload=one_time.payload_of(invitation),
    )
    invitations.accept_invitation(
        session, token=token, name="Nina New", password="a long enough passphrase 42", ip="192.0.2.1", user_agent="t"
    )
    assert _titles(session, world.staff)[0] == "Nina New accepted your invitation to Northwind Robotics"


def test_hostile_notifications_are_refused_and_nothing_is_stored(session, world):
    before = _count(session)
    for kind, title, link in [
        ("bogus", "Hello", "/portal"),
        (Kind.MESSAGE, "Hello", "https://evil.example/"),
        (Kind.MESSAGE, "Hello", "//evil.example/"),
        (Kind.MESSAGE, "Hello", "/portal\r\nBcc: x@evil.example"),
        (Kind.MESSAGE, "Hi\x00there", "/portal"),
        (Kind.MESSAGE, "   ", "/portal"),
    ]:
        with pytest.raises(ValidationFailed):
            notify(session, world.owner_a.id, kind, title, link)
    assert _count(session) == before
    notify(session, world.owner_a.id, Kind.MESSAGE, "x" * 5000, "/portal")
    assert len(_titles(session, world.owner_a)[0]) == centre.MAX_TITLE


def test_deactivated_people_are_not_notified(session, world, data_dir):
    world.member_a.is_active = False
    session.add(world.member_a)
    assert notify(session, world.member_a.id, Kind.MESSAGE, "New message", "/portal") is False
    assert "New message" not in _titles(session, world.member_a)


def test_immediately_sends_a_notice_in_the_branded_layout(session, world, data_dir):
    assert notify(session, world.member_a.id, Kind.MESSAGE, "Sam wrote about the build", "/portal") is True
    session.commit()
    [mail] = [m for m in outbox(data_dir, world.member_a.email) if m["Subject"] == "Sam wrote about the build"]
    assert "/portal" in mail.get_body(("plain",)).get_content()
    assert "Fluxent Technologies" in mail.get_body(("html",)).get_content()


def test_off_sends_nothing_and_digest_waits_for_one_daily_mail(session, world, data_dir):
    save_preferences(session, user=world.member_a, choices={"documents": "off", "messages": "digest"})
    session.commit()
    documents.upload(session, actor=world.staff, filename="spec.pdf", chunks=[PDF_BYTES], organization_id=world.org_a)
    notify(session, world.member_a.id, Kind.MESSAGE, "First message", "/portal")
    notify(session, world.member_a.id, Kind.MESSAGE, "Second message", "/portal")
    session.commit()
    assert not any("spec.pdf" in m["Subject"] for m in outbox(data_dir, world.member_a.email))
    assert any("spec.pdf" in m["Subject"] for m in outbox(data_dir, world.owner_a.email))  # the owner's default
    assert _titles(session, world.member_a)[0] == "Second message"  # off: still in the bell, no e-mail
    assert not any("message" in m["Subject"] for m in outbox(data_dir, world.member_a.email))
    session.commit()
    assert digest.send_digests() == 1
    [mail] = [m for m in outbox(data_dir, world.member_a.email) if "digest" in m["Subject"]]
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Your Fluxent digest: 2 updates"
    assert body.index("First message") < body.index("Second message") and "spec.pdf" not in body
    assert digest.send_digests() == 0  # each item once


def test_the_invoice_email_follows_the_owners_choice_and_still_reaches_the_billing_address(session, world, data_dir):
    save_preferences(session, user=world.owner_a, choices={"invoices": "off"})
    invoice = issued_invoice(session, world)
    subjects = lambda to: [m["Subject"] for m in outbox(data_dir, to) if invoice.number in m["Subject"]]  # noqa: E731
    assert subjects(world.owner_a.email) == []
    assert len(subjects(BILLING_EMAIL)) == 1


def test_preferences_refuse_locked_unknown_and_bad_choices_all_or_nothing(session, world):
    rows = {row.category: row for row in preferences_of(session, user=world.owner_a)}
    assert rows["security"].locked and rows["signatures"].locked and not rows["documents"].locked
    assert {row.delivery for row in rows.values()} == {"immediately"}
    for choices in (
        {"documents": "digest", "security": "off"},
        {"documents": "digest", "signatures": "digest"},
        {"documents": "digest", "nope": "off"},
        {"documents": "weekly"},
    ):
        with pytest.raises(ValidationFailed):
            save_preferences(session, user=world.owner_a, choices=choices)
    assert session.scalar(select(func.count()).select_from(NotificationPreference)) == 0
    save_preferences(session, user=world.owner_a, choices={"documents": "digest", "invoices": "off"})
    save_preferences(session, user=world.owner_a, choices={"invoices": "immediately"})
    chosen = {row.category: row.delivery for row in preferences_of(session, user=world.owner_a)}
    assert (chosen["documents"], chosen["invoices"], chosen["security"]) == ("digest", "immediately", "immediately")


def test_marking_read_touches_only_ones_own(session, world):
    own = centre.list_notifications(session, user=world.owner_a).items
    others = centre.list_notifications(session, user=world.owner_b).items
    with pytest.raises(NotFound):
        centre.mark_read(session, user=world.owner_a, ids=[own[0].id, others[0].id])
    assert centre.unread_count(session, user=world.owner_a) == 2
    assert centre.mark_read(session, user=world.owner_a, ids=[own[0].id]) == 1
    assert centre.unread_count(session, user=world.owner_a) == 1
    assert [n.id for n in centre.list_notifications(session, user=world.owner_a, unread_only=True).items] == [own[1].id]
    assert centre.mark_read(session, user=world.owner_a, ids=None) == 1
    assert centre.unread_count(session, user=world.owner_a) == 0
    assert centre.unread_count(session, user=world.owner_b) == len(others)
    with pytest.raises(ValidationFailed):
        centre.mark_read(session, user=world.owner_a, ids=[])
