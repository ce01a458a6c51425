"""Portal states under pytest: a browser tab's state tree with a given handshake cookie.

Handlers are called directly on the instances; generator handlers (the ones that
show progress) are run to the end with :func:`run`. The database is the test's
own (``database`` fixture); people and sessions are made through the services.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import reflex as rx
from reflex.istate.data import HeaderData, RouterData, SessionData
from reflex_base.event import EventSpec
from sqlmodel import Session

from fluxent.core.db import session_scope
from fluxent.models.accounts import OrgRole, Role, User
from fluxent.services.accounts import organizations
from fluxent.services.auth import sessions
from tests.support.auth import IP, PASSWORD, make_user

StateT = TypeVar("StateT", bound=rx.State)
T = TypeVar("T")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def tab(
    state_class: type[StateT],
    *,
    cookie: str = "",
    user_agent: str = FIREFOX,
    peer: str = IP,
    forwarded_for: str = "",
) -> StateT:
    """A fresh state tree as a tab that connected with ``cookie`` from ``peer`` (Reflex's
    ``client_ip``, the direct peer); returns its ``state_class`` part."""
    root = rx.State()
    raw_headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    root.router = RouterData(
        session=SessionData(client_ip=peer),
        headers=HeaderData(cookie=cookie, user_agent=user_agent, raw_headers=raw_headers),
    )
    return root.get_substate(state_class.get_full_name().split(".")[1:])  # type: ignore[return-value]


def run(events: Iterable[Any] | None) -> list[Any]:
    """Run a handler that yields (progress updates) to the end; what it yielded."""
    return list(events or [])


def focused(event: Any) -> str:
    """The element ref a ``rx.set_focus`` event (a handler's answer) moves the focus to."""
    assert isinstance(event, EventSpec), event
    return str(event.args[0][1]._var_value)


def cookie_for(session_id_raw: str) -> str:
    return f"csrftoken=abc; sessionid={session_id_raw}"


def person(
    email: str,
    *,
    role: Role = Role.CLIENT,
    name: str = "Test Person",
    organization: str | None = None,
    org_role: OrgRole = OrgRole.MEMBER,
) -> tuple[int, str]:
    """A committed person (password ``PASSWORD``) with a live session: their id and the tab's cookie."""
    with session_scope() as db:
        user = make_user(db, email, role=role, name=name)
        if organization:
            org = organizations.get_or_create_organization(db, name=organization)
            organizations.add_membership(db, user=user, organization=org, role=org_role)
        _, raw = sessions.start_session(db, user=user, ip=IP, user_agent=FIREFOX)
        return user.id, cookie_for(raw)


def reload(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    assert user is not None
    db.refresh(user)
    return user


__all__ = ["PASSWORD", "cookie_for", "person", "reload", "run", "tab"]


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to the end in a thread of its own, with this thread's context (Reflex
    keeps its registry in a context variable): the browser tests' Playwright keeps an event
    loop running in the main thread, where ``asyncio.run`` would refuse."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(contextvars.copy_context().run, asyncio.run, coroutine).result()


def signed_in_tab(db: Session, user: User, state_class: type[StateT]) -> StateT:
    """A tab of ``state_class`` signed in as ``user`` (session committed), with the portal frame
    loaded and the page's own ``load`` run."""
    _, raw = sessions.start_session(db, user=user)
    db.commit()
    state = tab(state_class, cookie=cookie_for(raw))
    state.load_portal()
    state.load()
    return state
