"""Shed overload instead of queueing it: at most ``FLUXENT_API_MAX_IN_FLIGHT`` requests to
``/api/`` run at once in this process, and at most ``FLUXENT_API_MAX_EXPORTS`` of them
are data exports (each costs a hundred times a plain request); the next one is answered
``503`` with ``Retry-After`` at once, so a client learns in milliseconds that it should
come back, rather than after its request has waited behind every other one.

The count is per process (each server worker has its own share of cores), so it needs
no shared store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

from fluxent import routes
from fluxent.api.errors import busy_response
from fluxent.core.errors import Busy
from fluxent.core.settings import get_settings

RETRY_AFTER_SECONDS = 1


class ShedOverload:
    """Pure ASGI middleware."""

    def __init__(self, app: ASGIApp, *, limit: int | None = None, heavy: Mapping[str, int] | None = None) -> None:
        """``heavy``: paths with a smaller limit of their own (within ``limit``)."""
        settings = get_settings()
        self.app = app
        self.limit = limit if limit is not None else settings.api_max_in_flight
        self.heavy = heavy if heavy is not None else {routes.API_ME_EXPORT: settings.api_max_exports}
        self.in_flight = 0
        self.heavy_in_flight: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/api/"):
            await self.app(scope, receive, send)
            return
        heavy = path if path in self.heavy else None
        if self.in_flight >= self.limit or (heavy and self.heavy_in_flight[heavy] >= self.heavy[heavy]):
            await busy_response(Busy(retry_after=RETRY_AFTER_SECONDS))(scope, receive, send)
            return
        self.in_flight += 1
        if heavy:
            self.heavy_in_flight[heavy] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            if heavy:
                self.heavy_in_flight[heavy] -= 1
