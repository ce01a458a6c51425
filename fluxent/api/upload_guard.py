"""The door in front of Reflex's upload route (``POST /_upload``).

Reflex runs an upload handler on the state of the tab named by the request's
``Reflex-Client-Token`` header, and inside it ``self.router.headers`` are those of
that tab's websocket handshake, not of the upload request. So the tab token alone
would upload as whoever the tab belonged to. Before Reflex sees the body, this
guard asks of the request itself what the API's upload route asks:

- an ``Origin`` (or ``Referer``) of the site's own pages (403 otherwise);
- its own ``sessionid`` cookie naming a live session (401 otherwise);
- and that session being the one the named tab's state is built for, which the
  state layer keeps in step with the tab's handshake (403 otherwise).

Answers use the API's JSON error body. Nothing else passes through untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from fluxent.api.csrf import require_site_origin
from fluxent.api.errors import error_response
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.core.db import session_scope
from fluxent.core.errors import NotAuthenticated, PermissionDenied
from fluxent.services.auth import sessions

UPLOAD_PATH = "/_upload"
TOKEN_HEADER = "reflex-client-token"

# ``await bound_session(client_token)``: the binding key of that tab's state ("" if none).
BoundSession = Callable[[str], Awaitable[str]]


def _live(raw: str) -> bool:
    with session_scope() as db:
        return sessions.resolve(db, raw) is not None


class UploadGuard:
    """Pure ASGI middleware for ``/_upload``; ``UploadGuard.around(bound_session)`` is an ``api_transformer``."""

    def __init__(self, app: ASGIApp, bound_session: BoundSession) -> None:
        self.app = app
        self.bound_session = bound_session

    @classmethod
    def around(cls, bound_session: BoundSession) -> Callable[[ASGIApp], ASGIApp]:
        return lambda app: cls(app, bound_session)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != UPLOAD_PATH or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        refusal = await self.refusal(Request(scope))
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def refusal(self, request: Request):
        """The error answer for this upload request, or None when it may go on."""
        try:
            await require_site_origin(request)
        except PermissionDenied as error:
            return error_response(403, error.code, error.message)
        raw = request.cookies.get(SESSION_COOKIE, "")
        if not raw or not await run_in_threadpool(_live, raw):
            return error_response(401, NotAuthenticated.code, "Sign in to upload documents.")
        token = request.headers.get(TOKEN_HEADER, "")
        if not token or await self.bound_session(token) != sessions.binding_key(raw):
            return error_response(
                403, PermissionDenied.code, "This page belongs to another sign-in. Reload the page and try again."
            )
        return None
