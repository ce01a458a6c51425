"""Engagement messages: who may read and post, the body rules, replies and attachments, unread
counts and read markers, who is e-mailed, and what export and erasure do with them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fluxent.core.clock import now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.models.audit import AuditEvent
from fluxent.models.engagements import EngagementStatus
from fluxent.models.messages import Message, MessageRead
from fluxent.services.messages import notify, thread
from fluxent.services.portal import documents
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import export_user_data, validate_export
from tests.support.portal import PDF_BYTES, outbox


def _post(session, actor, engagement, body="Hello", **extra):
    return thread.post_message(session, actor=actor, engagement_id=engagement.id, body=body, **extra)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Message))


def test_members_and_staff_post_and_read_the_same_thread(session, world):
    first = _post(session, world.owner_a, world.engagement_a, "  Can we add a CSV export?  \n")
    _post(session, world.staff, world.engagement_a, "Yes, in phase 2.", parent_id=first.id)
    found = thread.thread_page(session, actor=world.member_a, engagement_id=world.engagement_a.id)
    assert [line.body for line in found.page.items] == ["Yes, in phase 2.", "Can we add a CSV export?"]
    reply, original = found.page.items
    assert (reply.author, reply.by_staff, reply.quoted, reply.quoted_author) == (
        "Sam Staff",
        True,
        "Can we add a CSV export?",
        "Olivia Owner",
    )
    assert (original.author, original.by_staff, original.mine) == ("Olivia Owner", False, False)
    assert found.unread == 2 and found.page.total == 2
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "messages.posted")).first()
    assert event is not None and json.loads(event.meta)["engagement_id"] == world.engagement_a.id


def test_other_tenants_neither_read_nor_post(session, world):
    _post(session, world.owner_a, world.engagement_a)
    with pytest.raises(NotFound):
        thread.thread_page(session, actor=world.owner_b, engagement_id=world.engagement_a.id)
    with pytest.raises(NotFound):
        _post(session, world.owner_b, world.engagement_a, "Sneaky")
    with pytest.raises(NotFound):
        thread.thread_page(session, actor=world.owner_a, engagement_id=999_999)
    assert _count(session) == 1
    assert thread.unread_counts(session, actor=world.owner_b) == {}


@pytest.mark.parametrize(
    ("body", "field_message"),
    [
        ("", "Write a message first."),
        (" \n\t ", "Write a message first."),
        ("x" * 10_001, "Keep a message to 10,000 characters (this one has 10,001)."),
        ("bell\x07", "Remove the control characters."),
        ("half \ud800", "Remove the invalid characters."),
    ],
)
def test_bad_bodies_are_refused_with_a_clear_message_and_store_nothing(session, world, body, field_message):
    with pytest.raises(ValidationFailed) as refused:
        _post(session, world.owner_a, world.engagement_a, body)
    assert refused.value.fields == {"body": field_message}
    assert _count(session) == 0


def test_the_longest_body_is_kept_after_trimming(session, world):
    message = _post(session, world.owner_a, world.engagement_a, "  " + "y" * 10_000 + "\n")
    assert len(message.body) == 10_000


def test_replies_and_attachments_stay_within_the_engagement(session, world):
    elsewhere = _post(session, world.owner_b, world.engagement_b)
    with pytest.raises(ValidationFailed) as wrong_parent:
        _post(session, world.owner_a, world.engagement_a, parent_id=elsewhere.id)
    assert "parent_id" in wrong_parent.value.fields
    with pytest.raises(ValidationFailed) as wrong_document:
        _post(session, world.owner_a, world.engagement_a, document_id=world.document_b.id)
    assert "document_id" in wrong_document.value.fields
    documents.delete_document(session, actor=world.staff, document_id=world.document_a.id)
    with pytest.raises(ValidationFailed):
        _post(session, world.owner_a, world.engagement_a, document_id=world.document_a.id)
    assert _count(session) == 1


def test_an_attachment_is_a_document_of_the_engagement_with_its_download(session, world):
    sheet = documents.upload(
        session, actor=world.member_a, filename="wishlist.pdf", chunks=[PDF_BYTES], engagement_id=world.engagement_a.id
    )
    _post(session, world.member_a, world.engagement_a, "Our wishlist", document_id=sheet.id)
    (line,) = thread.thread_page(session, actor=world.staff, engagement_id=world.engagement_a.id).page.items
    assert (line.document_name, line.download_url) == ("wishlist.pdf", f"/api/v1/documents/{sheet.id}/download/")


def test_a_closed_engagement_is_read_only(session, world):
    world.engagement_a.status = EngagementStatus.CLOSED  # closing itself is tested with the engagements
    session.flush()
    with pytest.raises(Conflict):
        _post(session, world.owner_a, world.engagement_a)
    assert _count(session) == 0


def test_unread_counts_follow_each_persons_marker(session, world):
    _post(session, world.staff, world.engagement_a, "One")
    _post(session, world.staff, world.engagement_a, "Two")
    assert thread.unread_counts(session, actor=world.owner_a) == {world.engagement_a.id: 2}
    assert thread.unread_counts(session, actor=world.staff) == {}  # their own messages
    assert thread.unread_counts(session, actor=world.admin) == {}  # not assigned, never read it
    first = thread.thread_page(session, actor=world.owner_a, engagement_id=world.engagement_a.id)
    assert first.unread == 2 and all(line.unread for line in first.page.items)
    assert thread.unread_counts(session, actor=world.owner_a) == {}
    assert thread.unread_counts(session, actor=world.member_a) == {world.engagement_a.id: 2}
    assert thread.thread_page(session, actor=world.admin, engagement_id=world.engagement_a.id).unread == 2
    _post(session, world.owner_a, world.engagement_a, "Thanks")
    assert thread.unread_counts(session, actor=world.staff) == {world.engagement_a.id: 1}
    assert thread.unread_counts(session, actor=world.admin) == {world.engagement_a.id: 1}  # read it once
    again = thread.thread_page(session, actor=world.owner_a, engagement_id=world.engagement_a.id)
    assert again.unread == 0 and not any(line.unread for line in again.page.items)


def test_reading_as_someone_else_moves_no_marker(session, world):
    _post(session, world.staff, world.engagement_a)
    thread.thread_page(session, actor=world.owner_a, engagement_id=world.engagement_a.id, mark_read=False)
    assert thread.unread_counts(session, actor=world.owner_a) == {world.engagement_a.id: 1}
    assert (
        session.scalar(select(func.count()).select_from(MessageRead).where(MessageRead.user_id == world.owner_a.id))
        == 0
    )


def test_the_thread_is_paged_newest_first(session, world):
    for n in range(5):
        _post(session, world.staff, world.engagement_a, f"Note {n}")
    second = thread.thread_page(session, actor=world.owner_a, engagement_id=world.engagement_a.id, page=2, page_size=2)
    assert [line.body for line in second.page.items] == ["Note 2", "Note 1"]
    assert (second.page.total, second.page.pages) == (5, 3)


def _subjects(data_dir, person) -> list[str]:
    return [m["Subject"] for m in outbox(data_dir, person.email)]


def test_people_away_get_one_email_per_run_of_unread_messages(session, world, data_dir):
    subject = f"New message about {world.engagement_a.title}"
    _post(session, world.owner_a, world.engagement_a, "First")
    session.commit()
    assert _subjects(data_dir, world.staff).count(subject) == 1  # assigned staff
    assert _subjects(data_dir, world.member_a).count(subject) == 1
    assert subject not in _subjects(data_dir, world.owner_a)  # the author
    assert subject not in _subjects(data_dir, world.admin)  # not a participant
    assert subject not in _subjects(data_dir, world.owner_b)
    _post(session, world.owner_a, world.engagement_a, "Second")
    session.commit()
    assert _subjects(data_dir, world.staff).count(subject) == 1  # still unread since the first
    (mail,) = [m for m in outbox(data_dir, world.staff.email) if m["Subject"] == subject]
    text = mail.get_body(("plain",)).get_content()
    assert f"/admin/engagements/{world.engagement_a.id}" in text and "Second" not in text


def test_someone_reading_the_thread_now_is_not_emailed(session, world):
    earlier = now() - timedelta(minutes=10)
    first = _post(session, world.staff, world.engagement_a, "First", clock=lambda: earlier)
    # Olivia opened the thread a minute ago; Mark read it long ago.
    thread.thread_page(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, clock=lambda: now() - timedelta(minutes=1)
    )
    thread.thread_page(session, actor=world.member_a, engagement_id=world.engagement_a.id, clock=lambda: earlier)
    second = Message(engagement_id=world.engagement_a.id, author_id=world.staff.id, body="Second")
    session.add(second)
    session.flush()
    chosen = notify.recipients_to_email(
        session, engagement=world.engagement_a, message=second, previous_id=first.id, moment=now()
    )
    assert [person.email for person in chosen] == [world.member_a.email]


def test_export_lists_own_messages_and_erasure_keeps_the_text_without_the_author(session, world):
    mine = _post(session, world.member_a, world.engagement_a, "Mark's question")
    _post(session, world.staff, world.engagement_a, "Sam's answer", parent_id=mine.id)
    thread.thread_page(session, actor=world.member_a, engagement_id=world.engagement_a.id)
    exported = export_user_data(session, user=world.member_a)
    validate_export(exported)
    assert [(m["body"], m["engagement"], m["reply"]) for m in exported["messages"]] == [
        ("Mark's question", world.engagement_a.title, False)
    ]
    assert [r["engagement"] for r in exported["message_reads"]] == [world.engagement_a.title]
    erase_user(session, user=world.member_a, actor=world.member_a)
    session.expire_all()
    assert session.get(Message, mine.id).author_id is None
    reply, original = thread.thread_page(session, actor=world.owner_a, engagement_id=world.engagement_a.id).page.items
    assert (original.author, original.body) == ("Erased user", "Mark's question")
    assert (reply.quoted_author, reply.quoted) == ("Erased user", "Mark's question")
    reads = select(func.count()).select_from(MessageRead).where(MessageRead.user_id == world.member_a.id)
    assert session.scalar(reads) == 0
