"""One way to resolve the person, one action helper, one status line, unique state names."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import reflex as rx
from sqlmodel import select

import fluxent.state
from fluxent.core.db import session_scope
from fluxent.models.auth import AuthSession
from fluxent.models.engagements import Milestone, MilestoneStatus
from fluxent.services.auth import sessions
from fluxent.state.admin_console import ConsoleState
from fluxent.state.admin_leads import AdminLeadsState
from fluxent.state.dashboard import DashboardState
from fluxent.state.portal import EngagementsState
from fluxent.state.session import SessionState
from tests.support.portal import build_world
from tests.support.state import cookie_for, tab

STATE_DIR = Path(fluxent.state.__file__).parent


def _all_states() -> list[type[rx.State]]:
    for module in pkgutil.iter_modules([str(STATE_DIR)]):
        importlib.import_module(f"fluxent.state.{module.name}")
    found, todo = [], [rx.State]
    while todo:
        cls = todo.pop()
        if cls in found:  # reached again through a mixin it also inherits
            continue
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("fluxent.")]


def test_no_two_state_classes_share_a_name():
    names = [cls.__name__ for cls in _all_states()]
    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_the_leads_pages_are_on_the_console_base_under_the_session():
    assert issubclass(AdminLeadsState, ConsoleState)
    assert AdminLeadsState.get_parent_state() is ConsoleState
    assert ConsoleState.get_parent_state() is SessionState


def test_only_the_session_state_resolves_a_cookie():
    """No state module resolves ``sessionid`` by itself: they all go through ``SessionState``."""
    offenders = [
        path.name
        for path in STATE_DIR.glob("*.py")
        if path.name != "session.py" and re.search(r"sessions\.resolve|def person_of|def _user\(", path.read_text())
    ]
    assert offenders == []


def test_signed_in_pages_change_data_only_through_the_action_helper():
    """A state on ``SessionState`` never opens a write unit itself: ``_act`` resolves the person (and,
    for the security page, their session row) and runs the change."""
    offenders = sorted(
        {
            cls.__module__
            for cls in _all_states()
            if issubclass(cls, SessionState)
            and cls is not SessionState
            and "session_scope" in Path(importlib.import_module(cls.__module__).__file__).read_text()
        }
    )
    assert offenders == []


def test_the_cookie_is_resolved_by_one_function():
    """``session.signed_in`` is the one resolver. Events reach it through ``SessionState._identity``
    (``_person``, ``_act``); only an upload's worker thread (the upload request's own cookie) and the
    public pages a visitor may open signed in or not (the invitation page, the signer's page, the
    sign-in page, which sends a signed-in person on) call it
    directly. Besides the session state, only the security page,
    which lists the sessions, calls ``_identity`` itself (to read its own session row)."""
    callers = sorted(path.name for path in STATE_DIR.glob("*.py") if "signed_in(" in path.read_text())
    assert callers == ["new_password.py", "session.py", "sign_in.py", "signing.py", "uploads.py"]
    identity = sorted(path.name for path in STATE_DIR.glob("*.py") if "._identity(" in path.read_text())
    assert identity == ["security.py", "session.py"]


def _owner_tab(state_class):
    with session_scope() as db:
        world = build_world(db)
        _, raw = sessions.start_session(db, user=world.owner_a)
    state = tab(state_class, cookie=cookie_for(raw))
    state.load_portal()
    assert state.signed_in
    return world, state


def _revoke_all() -> None:
    with session_scope() as db:
        for auth_session in db.exec(select(AuthSession)).all():
            sessions.revoke(db, auth_session)


def test_a_revoked_session_clears_the_engagements_tab_and_changes_nothing(database, data_dir):
    world, state = _owner_tab(EngagementsState)
    state.load()
    assert state.rows
    state.ask_accept(world.engagement_a.id, world.milestones_a[0].id)
    _revoke_all()
    state.accept()
    assert not state.signed_in and state.user_name == "" and state.rows == []
    with session_scope() as db:
        assert db.get(Milestone, world.milestones_a[0].id).status == MilestoneStatus.SUBMITTED


def test_a_revoked_session_clears_the_dashboard_tab(database, data_dir):
    world, board = _owner_tab(DashboardState)
    board.load()
    assert board.actions
    board.ask_accept(world.engagement_a.id, world.milestones_a[0].id)
    _revoke_all()
    board.accept()
    assert not board.signed_in and board.actions == [] and board.busy == "" and board.confirming == 0
    with session_scope() as db:
        assert db.get(Milestone, world.milestones_a[0].id).status == MilestoneStatus.SUBMITTED


def test_a_refusal_goes_to_the_one_status_line_and_ends_the_busy_state(database, data_dir):
    world, board = _owner_tab(DashboardState)
    board.load()
    # A dialog forced open on another organization's milestone: the service refuses.
    board.confirming, board.confirm_engagement = world.milestones_b[0].id, world.engagement_b.id
    board.accept()
    assert board.notice_is_error and board.notice and board.busy == "" and board.confirming == 0


def test_no_page_keeps_a_status_line_of_its_own():
    own = {
        cls.__name__: sorted(set(cls.base_vars) & {"notice", "error", "done", "problem", "busy"})
        for cls in _all_states()
        if issubclass(cls, SessionState) and cls is not SessionState
    }
    assert {name: found for name, found in own.items() if found} == {}
