"""The messages pages' states: opening a conversation marks it read and clears the unread counts,
sending (and replying) goes through the service, bad text shows under the text area, new
messages arrive with the clock, and a tab viewing the portal as a client reads but never writes."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.models.messages import Message, MessageRead
from fluxent.services.auth import sessions
from fluxent.services.messages import thread
from fluxent.state.messages import MessagesState, ThreadState, UnreadState
from fluxent.state.session import VIEWING_READ_ONLY
from fluxent.state.view_as import ViewAsState
from tests.support.portal import World
from tests.support.state import cookie_for, run, run_async, tab


def _part(state, state_class):
    return state._get_root_state().get_substate(state_class.get_full_name().split(".")[1:])


def _messages_page(session: Session, user) -> MessagesState:
    _, raw = sessions.start_session(session, user=user)
    session.commit()
    page = tab(MessagesState, cookie=cookie_for(raw))
    page.load_portal()
    return page


def _open(page: MessagesState, engagement_id: int = 0) -> ThreadState:
    if engagement_id:
        run_async(page.choose(engagement_id))
    else:
        run_async(page.load())
    return _part(page, ThreadState)


def _stored() -> list[tuple[str, int | None]]:
    with read_scope() as db:
        return [(m.body, m.parent_id) for m in db.scalars(select(Message).order_by(Message.id))]


def _staff_writes(session: Session, world: World, body: str) -> Message:
    message = thread.post_message(session, actor=world.staff, engagement_id=world.engagement_a.id, body=body)
    session.commit()
    return message


def test_opening_a_conversation_reads_it_and_clears_the_counts(session, world):
    _staff_writes(session, world, "Kick-off is on Monday.")
    page = _messages_page(session, world.owner_a)
    unread = _part(page, UnreadState)
    unread.refresh()
    assert unread.total == 1
    conversation = _open(page)  # the first conversation with unread messages
    assert conversation.engagement_id == world.engagement_a.id
    assert [(r.author, r.body, r.unread) for r in conversation.rows] == [
        ("Sam Staff (Fluxent)", "Kick-off is on Monday.", True)
    ]
    assert conversation.unread_when_opened == 1
    assert {t.engagement_id: t.unread for t in page.threads} == {world.engagement_a.id: 0}
    assert unread.total == 0


def test_sending_and_replying(session, world):
    first = _staff_writes(session, world, "Which dashboards matter most?")
    conversation = _open(_messages_page(session, world.owner_a), world.engagement_a.id)
    conversation.reply_to(first.id)
    assert conversation.replying_quote == "Sam Staff (Fluxent): Which dashboards matter most?"
    version = conversation.composer_version
    conversation.send({"body": "  Fleet health first.  ", "document_id": str(world.document_a.id)})
    assert _stored() == [("Which dashboards matter most?", None), ("Fleet health first.", first.id)]
    assert (conversation.composer_version, conversation.replying_to, conversation.body_error) == (version + 1, 0, "")
    assert conversation.rows[-1].attachment == "plan.pdf" and conversation.rows[-1].quoted_author == "Sam Staff"


def test_bad_text_shows_under_the_text_area_and_stores_nothing(session, world):
    conversation = _open(_messages_page(session, world.owner_a), world.engagement_a.id)
    conversation.send({"body": "   "})
    assert conversation.body_error == "Write a message first."
    conversation.send({"body": "x" * 10_001})
    assert conversation.body_error.startswith("Keep a message to 10,000 characters")
    assert _stored() == []


def test_new_messages_arrive_with_the_clock(session, world):
    conversation = _open(_messages_page(session, world.owner_a), world.engagement_a.id)
    assert conversation.rows == []
    _staff_writes(session, world, "The MVP is deployed.")
    conversation.poll("00:05")
    assert [r.body for r in conversation.rows] == ["The MVP is deployed."]
    with read_scope() as db:
        assert thread.unread_counts(db, actor=world.owner_a) == {}  # seen in the open tab


def test_another_tenants_conversation_stays_closed(session, world):
    page = _messages_page(session, world.owner_b)
    conversation = _open(page, world.engagement_a.id)
    assert (conversation.engagement_id, conversation.rows) == (0, [])
    assert page.notice == "No such engagement." and page.notice_is_error
    assert [t.engagement_id for t in page.threads] == [world.engagement_b.id]


def test_viewing_as_a_client_reads_the_thread_but_posts_nothing_and_marks_nothing(session, world):
    _staff_writes(session, world, "Please review the MVP.")
    page = _messages_page(session, world.admin)
    run(_part(page, ViewAsState).start(str(world.org_a)))
    conversation = _open(page)
    assert [r.body for r in conversation.rows] == ["Please review the MVP."]
    conversation.send({"body": "Looks fine!"})
    assert page.notice == VIEWING_READ_ONLY and page.notice_is_error
    assert _stored() == [("Please review the MVP.", None)]
    with read_scope() as db:
        assert db.scalar(select(func.count()).select_from(MessageRead)) == 1  # only the author's own
        assert thread.unread_counts(db, actor=world.owner_a) == {world.engagement_a.id: 1}
