"""Serve the prerendered HTML of token pages and of the 404 page (production build).

Reflex answers an address with no prerendered file with the bare app shell, whose
text only appears once JavaScript runs. The build (``fluxent.prerendering``) also
prerenders each token page at its placeholder address and the 404 page at
``routes.NOT_FOUND_PRERENDER``; this middleware answers with those files:

- ``/newsletter/confirm/<token>`` is served the file of ``/newsletter/confirm/_``;
  the page reads its token from the address in the browser, as before.
- An HTML 404 from the static files gets the 404 page's HTML instead of the shell.

Without a production build (development) the files do not exist and nothing changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fluxent import routes


def _pattern(route: str) -> re.Pattern[str]:
    parts = re.split(r"\[\w+\]", route)
    return re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "/?$")


class PrerenderedPages:
    def __init__(self, app: ASGIApp, static_dir: Path) -> None:
        self.app = app
        self.static_dir = static_dir
        self.templates = [
            (_pattern(route), routes.placeholder_path(route) + "/") for route in routes.PRERENDERED_WITH_TOKEN
        ]
        self.not_found = static_dir / routes.NOT_FOUND_PRERENDER.strip("/") / "index.html"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.rstrip("/") == routes.NOT_FOUND_PRERENDER:  # the file's own address is not a page
            await self._send_not_found(scope, send)
            return
        template = self._template_for(path)
        if template is not None and not path.endswith("/"):  # like every page: served at its trailing-slash address
            await _redirect_to_slash(scope, send)
            return
        if template is not None:
            scope = {**scope, "path": template, "raw_path": template.encode()}
        await self.app(scope, receive, _NotFoundBody(self, scope, send))

    def _template_for(self, path: str) -> str | None:
        for pattern, template in self.templates:
            if pattern.match(path) and (self.static_dir / template.strip("/") / "index.html").is_file():
                return template
        return None

    async def _send_not_found(self, scope: Scope, send: Send) -> bool:
        """The 404 page's prerendered HTML with status 404; False when there is no build."""
        try:
            body = self.not_found.read_bytes()
        except OSError:
            return False
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
        return True


class _NotFoundBody:
    """Passes a response on, except an HTML 404, whose body is replaced by the 404 page."""

    def __init__(self, owner: PrerenderedPages, scope: Scope, send: Send) -> None:
        self.owner = owner
        self.scope = scope
        self.send = send
        self.replaced = False

    async def __call__(self, message: Message) -> None:
        if self.replaced:  # the original body is dropped
            return
        if message["type"] == "http.response.start" and message["status"] == 404 and _is_html(message):
            self.replaced = await self.owner._send_not_found(self.scope, self.send)
            if self.replaced:
                return
        await self.send(message)


async def _redirect_to_slash(scope: Scope, send: Send) -> None:
    query = scope.get("query_string", b"")
    location = scope["path"] + "/" + ("?" + query.decode("latin-1") if query else "")
    await send(
        {
            "type": "http.response.start",
            "status": 307,
            "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _is_html(message: Message) -> bool:
    content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
    return content_type.split(";", 1)[0].strip().lower() == "text/html"


def prerendered_pages(static_dir: Path):
    """The middleware as a Reflex ``api_transformer``."""
    return lambda app: PrerenderedPages(app, static_dir)
