"""Who is calling: the database session of a request, the signed-in person, and the
``sessionid`` cookie. Shared by every route that needs them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from fluxent import routes
from fluxent.api.csrf import require_csrf
from fluxent.core.client_address import client_address
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.core.db import read_scope, reads_on_event_loop, session_scope
from fluxent.core.errors import NotAuthenticated
from fluxent.core.settings import get_settings
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.services.auth import sessions
from fluxent.services.portal import view_as

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


def db_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed when the route returns, rolled back on error.

    GET, HEAD and OPTIONS only read (``read_scope``: on SQLite they never take the
    write lock); the other methods may write (``session_scope``).
    """
    with read_scope() if request.method in SAFE_METHODS else session_scope() as session:
        yield session


# Function scope: the commit happens before the answer is sent, so a client told
# "done" can rely on it (FastAPI's default would commit after sending).
DB = Annotated[Session, Depends(db_session, scope="function")]


def read_session() -> Iterator[Session]:
    """A read unit for any method: for a route that writes in units of its own, after slow
    work that must not hold the write lock (a call to the card payment service)."""
    with read_scope() as session:
        yield session


ReadDB = Annotated[Session, Depends(read_session, scope="function")]


def write_session() -> Iterator[Session]:
    """A write unit for any method: for a GET that must write (the single sign-on callback,
    where the identity provider sends the browser back)."""
    with session_scope() as session:
        yield session


WriteDB = Annotated[Session, Depends(write_session, scope="function")]


@dataclass(frozen=True)
class Caller:
    """``user`` is whom the request acts for: the signed-in person, or, while an administrator
    views the portal as a client (``admin`` then holds the administrator), that organization's owner."""

    user: User
    auth_session: AuthSession
    admin: User | None = None


@dataclass(frozen=True)
class Client:
    """What the request says about the browser; personal data, kept only where the policy says."""

    ip: str
    user_agent: str


def client_info(request: Request) -> Client:
    forwarded_for = ",".join(request.headers.getlist("x-forwarded-for"))
    return Client(
        ip=client_address(request.client.host if request.client else "", forwarded_for),
        user_agent=request.headers.get("user-agent", "")[:300],
    )


def optional_caller(request: Request, db: DB) -> Caller | None:
    """The signed-in person behind the ``sessionid`` cookie, or None for a signed-out browser."""
    return _caller_of(db, request)


def _caller_of(db: Session, request: Request) -> Caller | None:
    found = sessions.resolve(db, request.cookies.get(SESSION_COOKIE))
    if found is None:
        return None
    auth_session, user = found
    viewing = auth_session.viewing_as_organization_id
    if viewing is None or request.url.path.startswith(_OWN_ACCOUNT):
        return Caller(user=user, auth_session=auth_session)
    owner = view_as.viewer(db, admin=user, organization_id=viewing)
    if owner is None:  # no longer an administrator, or the organization has no owner left
        return Caller(user=user, auth_session=auth_session)
    if request.method not in SAFE_METHODS:
        view_as.refuse_change(viewing)
    return Caller(user=owner, auth_session=auth_session, admin=user)


# The caller's own account (profile, sessions, export, the view-as switch itself) is always
# the signed-in person's, also while viewing as a client.
_OWN_ACCOUNT = f"{routes.API_AUTH}/"


async def read_as_caller(request: Request, answer: Callable[[Session, Caller], T]) -> T:
    """``answer(db, caller)`` for the signed-in person in a read unit; 401 without one.

    For the hottest GET routes. On SQLite the read runs on the event loop (see
    ``reads_on_event_loop``) and only the session's last-seen refresh, at most once a
    minute, goes to a thread, since it may wait for the write lock. Elsewhere the unit,
    the session check and ``answer`` cost one trip to the thread pool, where the ``DB``
    and ``CurrentCaller`` dependencies cost four (opening the unit, the check, the
    route, closing the unit).
    """
    if not reads_on_event_loop():
        return await run_in_threadpool(_read_as, request, answer, None)
    writes: list[Callable[[], None]] = []
    result = _read_as(request, answer, writes)
    for write in writes:
        await run_in_threadpool(write)
    return result


def _read_as(request: Request, answer: Callable[[Session, Caller], T], writes_later: list | None) -> T:
    with read_scope(writes_later=writes_later) as db:
        return answer(db, _required(_caller_of(db, request)))


def caller_in_read_unit(request: Request, db: ReadDB) -> Caller:
    """As ``CurrentCaller``, resolved in a read unit (see ``read_session``); 401 without one."""
    return _required(_caller_of(db, request))


async def current_caller(caller: Annotated[Caller | None, Depends(optional_caller)]) -> Caller:
    """The signed-in person, re-checked on every request; 401 without one.

    ``async``: it only looks at its argument, so it runs on the event loop instead of
    costing a trip to the thread pool on every request.
    """
    return _required(caller)


def _required(caller: Caller | None) -> Caller:
    if caller is None:
        raise NotAuthenticated("Sign in to continue.")
    return caller


# Sent whenever the session cookie is set or cleared: the browser drops the tab's
# Reflex client token (sessionStorage) and ``view_as_role``, so nothing kept for one
# sign-in is offered again under the next.
CLEAR_SITE_STORAGE = {"Clear-Site-Data": '"storage"'}


def set_session_cookie(response: Response, raw_key: str) -> None:
    settings = get_settings()
    response.headers.update(CLEAR_SITE_STORAGE)
    response.set_cookie(
        SESSION_COOKIE,
        raw_key,
        max_age=settings.session_absolute_days * 24 * 60 * 60,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.is_https,
    )


def clear_session_cookie(response: Response) -> None:
    response.headers.update(CLEAR_SITE_STORAGE)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=get_settings().is_https)


ClientInfo = Annotated[Client, Depends(client_info)]
CurrentCaller = Annotated[Caller, Depends(current_caller)]
ReadUnitCaller = Annotated[Caller, Depends(caller_in_read_unit)]
OptionalCaller = Annotated[Caller | None, Depends(optional_caller)]
CSRF = Depends(require_csrf)
