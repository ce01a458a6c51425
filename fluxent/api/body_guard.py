"""Request body size limits for ``/api/``, enforced before anything buffers a body.

FastAPI reads a JSON body into memory whole and Starlette spools multipart
uploads, so without a limit one request can exhaust memory or disk. The limit
is ``FLUXENT_MAX_JSON_KB`` KiB, except ``multipart/form-data`` (file uploads),
which gets ``FLUXENT_MAX_UPLOAD_MB`` MiB. A declared ``Content-Length`` over the
limit is refused before the application runs; a chunked body is counted as it
streams and refused the moment it passes the limit.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fluxent.api.errors import error_response
from fluxent.core.settings import get_settings

GUARDED_PREFIX = "/api/"


class BodyTooLarge(HTTPException):
    """Raised from ``receive``: an HTTPException, so FastAPI passes it to the
    JSON error handler instead of turning it into a generic parsing error."""

    def __init__(self) -> None:
        super().__init__(413, "The request body is too large.")


class BodyGuard:
    """Pure ASGI middleware; usable directly as a Reflex ``api_transformer``."""

    def __init__(self, app: ASGIApp, *, json_limit: int | None = None, upload_limit: int | None = None) -> None:
        settings = get_settings()
        self.app = app
        self.json_limit = json_limit if json_limit is not None else settings.max_json_kb * 1024
        self.upload_limit = upload_limit if upload_limit is not None else settings.max_upload_mb * 1024 * 1024

    def limit_for(self, headers: Headers) -> int:
        media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return self.upload_limit if media_type == "multipart/form-data" else self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GUARDED_PREFIX):
            await self.app(scope, receive, send)
            return

        headers = Headers(scope=scope)
        limit = self.limit_for(headers)
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await error_response(400, "bad_request", "Invalid Content-Length header.")(scope, receive, send)
                return
            if int(declared) > limit:
                await _too_large(scope, receive, send)
                return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            # Raised outside any exception handler (e.g. a plain ASGI route).
            if started:
                raise
            await _too_large(scope, receive, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    # The unread rest of the body makes the connection unusable: ask to close it.
    response = error_response(
        413, "payload_too_large", "The request body is too large.", headers={"Connection": "close"}
    )
    await response(scope, receive, send)
