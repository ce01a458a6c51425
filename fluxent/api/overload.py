"""Shed overload instead of queueing it: at most ``FLUXENT_API_MAX_IN_FLIGHT`` requests to
``/api/`` run at once in this process; the next one is answered ``503`` with
``Retry-After`` at once, so a client learns in milliseconds that it should come back,
rather than after its request has waited behind every other one.

The count is per process (each server worker has its own share of cores), so it needs
no shared store.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from fluxent.api.errors import busy_response
from fluxent.core.errors import Busy
from fluxent.core.settings import get_settings

RETRY_AFTER_SECONDS = 1


class ShedOverload:
    """Pure ASGI middleware."""

    def __init__(self, app: ASGIApp, *, limit: int | None = None) -> None:
        self.app = app
        self.limit = limit if limit is not None else get_settings().api_max_in_flight
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await busy_response(Busy(retry_after=RETRY_AFTER_SECONDS))(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
