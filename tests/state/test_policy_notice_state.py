"""The portal's policy notice: shown to each signed-in person until they acknowledge it, the
acknowledgement recorded once and for that person only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fluxent.core.db import session_scope
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.models.policies import PolicyAcknowledgement
from fluxent.services.auth import sessions
from fluxent.services.policies import announcements
from fluxent.state.policy_notice import PolicyNoticeState
from tests.support.policies import CHANGES, policy_content, upcoming_effective
from tests.support.portal import build_world
from tests.support.state import cookie_for, tab


@pytest.fixture
def announced(database, data_dir, tmp_path):
    """The world, with version 2 of a privacy policy announced; yields (world, announcement id)."""
    with session_scope() as db:
        world = build_world(db)
        announcement = announcements.announce(
            db, document="privacy", effective=upcoming_effective(), directory=policy_content(tmp_path / "content")
        )
        return world, announcement.id


def _tab(user_id: int) -> PolicyNoticeState:
    with session_scope() as db:
        _, raw = sessions.start_session(db, user=db.get(User, user_id))
    state = tab(PolicyNoticeState, cookie=cookie_for(raw))
    state.load_portal()
    state.load()
    return state


def _acknowledged() -> list[tuple[int, int]]:
    with session_scope() as db:
        return [(row.user_id, row.announcement_id) for row in db.scalars(select(PolicyAcknowledgement))]


def test_the_notice_shows_until_acknowledged_and_the_acknowledgement_is_recorded(announced):
    world, announcement_id = announced
    state = _tab(world.owner_a.id)
    assert [(n.announcement_id, n.title, n.version, n.changes, n.href) for n in state.notices] == [
        (announcement_id, "Privacy Policy", 2, CHANGES, "/legal/privacy")
    ]
    state.acknowledge(announcement_id)
    assert state.notices == [] and state.notice == "Thank you: your acknowledgement is recorded."
    assert _acknowledged() == [(world.owner_a.id, announcement_id)]
    assert _tab(world.owner_a.id).notices == []  # a new page load: still gone
    assert len(_tab(world.owner_b.id).notices) == 1  # another person is still asked
    state.acknowledge(announcement_id)  # a second click records nothing more
    assert _acknowledged() == [(world.owner_a.id, announcement_id)]


def test_a_signed_out_tab_sees_nothing_and_records_nothing(announced):
    _, announcement_id = announced
    state = tab(PolicyNoticeState, cookie="")
    state.load_portal()
    state.load()
    assert state.notices == [] and not state.signed_in
    state.acknowledge(announcement_id)
    assert _acknowledged() == []


def test_a_revoked_session_cannot_acknowledge(announced):
    world, announcement_id = announced
    state = _tab(world.owner_a.id)
    with session_scope() as db:
        for row in db.scalars(select(AuthSession).where(AuthSession.user_id == world.owner_a.id)):
            sessions.revoke(db, row)
    state.acknowledge(announcement_id)
    assert _acknowledged() == [] and not state.signed_in


def test_an_unknown_notice_is_refused_with_a_message(announced):
    world, _ = announced
    state = _tab(world.owner_a.id)
    state.acknowledge(987_654)
    assert state.notice_is_error and state.notice == "There is no such policy notice."
    assert _acknowledged() == [] and len(state.notices) == 1
