"""The session behind a tab is checked once per event, and again at every event."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from fluxent.core.db import get_engine, session_scope
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.models.engagements import Milestone, MilestoneStatus
from fluxent.services.auth import sessions
from fluxent.state.dashboard import DashboardState
from fluxent.state.session import signed_in
from fluxent.state.tab_binding import SessionBinding
from tests.support.portal import build_world
from tests.support.state import cookie_for, run, run_async, tab


@contextmanager
def session_lookups() -> Iterator[list[str]]:
    """Every statement that reads the session table while the block runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM auth_session" in statement:
            seen.append(statement)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def as_event(state, handler: Callable[[], Any]) -> Any:
    """``handler`` run the way Reflex runs an event: the app's middleware first, then the handler."""

    async def event_() -> Any:
        await SessionBinding().preprocess(app=None, state=state._get_root_state(), event=None)
        result = handler()
        return run(result) if isinstance(result, Iterator) else result

    return run_async(event_())


def _owner_tab():
    """Olivia, who owns Northwind (a milestone waits for her decision), on the dashboard."""
    with session_scope() as db:
        world = build_world(db)
        auth_session, raw = sessions.start_session(db, user=db.get(User, world.owner_a.id))
    board = tab(DashboardState, cookie=cookie_for(raw))
    as_event(board, lambda: board.load_portal())
    as_event(board, lambda: board.load())
    return world, board, auth_session.id


def test_accepting_from_the_dashboard_checks_the_session_once(database, data_dir):
    _, board, _ = _owner_tab()
    (item,) = board.actions
    as_event(board, lambda: board.ask_accept(item.engagement_id, item.milestone_id))
    with session_lookups() as lookups:
        # One event, two units of work: the decision, then the refreshed dashboard.
        as_event(board, lambda: board.accept())
    assert len(lookups) == 1
    assert board.notice.startswith("Phase 1 accepted. Thank you!") and board.actions == []
    with session_scope() as db:
        assert db.get(Milestone, item.milestone_id).status == MilestoneStatus.ACCEPTED


def test_every_event_checks_the_session_again(database, data_dir):
    _, board, _ = _owner_tab()
    with session_lookups() as lookups:
        as_event(board, lambda: board.load())
        as_event(board, lambda: board.load())
    assert len(lookups) == 2


def test_a_session_revoked_between_two_events_is_refused_at_the_next(database, data_dir):
    _, board, session_id = _owner_tab()
    (item,) = board.actions
    as_event(board, lambda: board.ask_accept(item.engagement_id, item.milestone_id))
    with session_scope() as db:
        sessions.revoke(db, db.get(AuthSession, session_id))
    as_event(board, lambda: board.accept())
    assert not board.signed_in and board.actions == [] and board.cards == []
    with session_scope() as db:
        assert db.get(Milestone, item.milestone_id).status == MilestoneStatus.SUBMITTED


def test_another_cookie_in_the_same_event_is_checked_on_its_own(database, data_dir):
    """An upload names its own cookie: what the event knows of the tab's session is not reused."""
    _, board, _ = _owner_tab()

    def both() -> tuple[Any, Any]:
        with session_scope() as db:
            tab_person = signed_in(db, board.router.headers.cookie)
            other = signed_in(db, cookie_for("not-a-live-session"))
            return tab_person, other

    tab_person, other = as_event(board, both)
    assert tab_person is not None and other is None


def test_a_refused_change_then_the_refreshed_view_in_the_same_event(database, data_dir):
    """The change's unit rolls back (a member may not accept); the view after it still knows the person."""
    with session_scope() as db:
        world = build_world(db)
        _, raw = sessions.start_session(db, user=db.get(User, world.member_a.id))
    board = tab(DashboardState, cookie=cookie_for(raw))
    as_event(board, lambda: board.load_portal())
    # The dialog does not open for a member; one forced open is refused by the service.
    board.confirming, board.confirm_engagement = world.milestones_a[0].id, world.engagement_a.id
    with session_lookups() as lookups:
        as_event(board, lambda: board.accept())
    assert len(lookups) == 1
    assert board.notice == "Only the organization's owners can do this." and board.signed_in
    assert [card.title for card in board.cards] == ["Build for Northwind Robotics"]
    with session_scope() as db:
        assert db.get(Milestone, world.milestones_a[0].id).status == MilestoneStatus.SUBMITTED
