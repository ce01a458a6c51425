"""Browser hardening headers on every HTTP response the process sends.

Applied around the whole ASGI app (Reflex's frontend, ``/_event``, ``/ping``
and the API), so no route can forget them. Headers a response already carries
are kept: a route that needs a different policy (say, a sandboxed download)
sets its own.

The Content-Security-Policy allows scripts only from our origin plus the exact
inline scripts of the page being served. Reflex's prerendered pages carry
inline ``<script>`` blocks (theme bootstrap, React Router context, streaming
hydration) that differ per page, so HTML responses are buffered (they are
small), their inline scripts hashed, and the hashes put into that response's
``script-src``. The bytes are forwarded unchanged, including precompressed
``.html.gz`` bodies, which are only decompressed to be inspected. Styles need
``'unsafe-inline'`` because Emotion and Radix inject them at run time.

304 responses get no CSP: browsers merge a 304's headers into the cached page,
and a policy without that page's hashes would then block its scripts.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import anyio
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fluxent.core.settings import Settings, get_settings

HSTS = "max-age=63072000; includeSubDomains"
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
# Passkeys (WebAuthn) work on the site's own pages only, never in a frame of another site.
PERMISSIONS_POLICY += ", publickey-credentials-get=(self)"
STATIC_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
# Pages larger than this are streamed without hashes (their inline scripts are
# then blocked): a bound on memory, far above what a prerendered page weighs.
MAX_HTML_BYTES = 4 * 1024 * 1024


def connect_sources(settings: Settings) -> list[str]:
    """'self' plus the backend's HTTP origin and the websocket origins of backend and site."""
    sources = ["'self'"]
    for url, http_too in ((settings.backend_url, True), (settings.base_url, False)):
        parts = urlsplit(url)
        if not parts.netloc:
            continue
        ws_scheme = "wss" if parts.scheme == "https" else "ws"
        candidates = [f"{parts.scheme}://{parts.netloc}"] if http_too else []
        candidates.append(f"{ws_scheme}://{parts.netloc}")
        sources += [source for source in candidates if source not in sources]
    return sources


def form_action_sources(settings: Settings) -> list[str]:
    """'self', and with staff single sign-on the identity provider's origin: the sign-in
    form's answer redirects there, and browsers hold redirects of a form post to this list."""
    sources = ["'self'"]
    issuer = urlsplit(settings.oidc_issuer)
    if settings.sso_configured and issuer.scheme and issuer.netloc:
        sources.append(f"{issuer.scheme}://{issuer.netloc}")
    return sources


def content_security_policy(settings: Settings, script_hashes: Iterable[str] = ()) -> str:
    script_src = " ".join(["'self'", *(f"'{digest}'" for digest in script_hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {' '.join(connect_sources(settings))}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            f"form-action {' '.join(form_action_sources(settings))}",
            "object-src 'none'",
        ]
    )


class _InlineScripts(HTMLParser):
    """Collects the text of every ``<script>`` without ``src``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._current = None if any(name == "src" for name, _ in attrs) else []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_script_hashes(html: str) -> list[str]:
    """``sha256-…`` of each inline script, in document order, without duplicates.

    Browsers hash the script text after HTML input normalisation, which turns
    CRLF and lone CR into LF; do the same so the hashes match.
    """
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    hashes: list[str] = []
    for script in parser.scripts:
        text = script.replace("\r\n", "\n").replace("\r", "\n")
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        if f"sha256-{digest}" not in hashes:
            hashes.append(f"sha256-{digest}")
    return hashes


def decoded_html(body: bytes, content_encoding: str) -> str | None:
    """The page text, or None when the encoding is one we cannot inspect."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        raw = body
    elif encoding in ("gzip", "x-gzip"):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = decompressor.decompress(body, MAX_HTML_BYTES * 4)
        except zlib.error:
            return None
        if decompressor.unconsumed_tail:  # suspiciously large once inflated
            return None
    else:
        return None
    return raw.decode("utf-8", errors="replace")


class SecurityHeaders:
    """Pure ASGI middleware; usable directly as a Reflex ``api_transformer``."""

    def __init__(self, app: ASGIApp, settings: Settings | None = None) -> None:
        self.app = app
        self.settings = settings or get_settings()
        self.headers = dict(STATIC_HEADERS)
        if self.settings.is_https:
            self.headers["strict-transport-security"] = HSTS
        self.default_csp = content_security_policy(self.settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websockets and lifespan pass through untouched
            await self.app(scope, receive, send)
            return
        await _Response(self, scope, send).run(self.app, receive)

    def apply(self, headers: MutableHeaders, status: int, script_hashes: list[str] | None) -> None:
        _drop_inner_vary_origin(headers)
        for name, value in self.headers.items():
            headers.setdefault(name, value)
        if status != 304:
            csp = self.default_csp if script_hashes is None else content_security_policy(self.settings, script_hashes)
            headers.setdefault("content-security-policy", csp)


class _Response:
    """One response passing through: forwarded as is, or buffered when it is HTML."""

    def __init__(self, owner: SecurityHeaders, scope: Scope, send: Send) -> None:
        self.owner = owner
        self.scope = scope
        self.send = send
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.size = 0

    async def run(self, app: ASGIApp, receive: Receive) -> None:
        await app(self.scope, receive, self.on_send)

    async def on_send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            headers = MutableHeaders(raw=list(message.get("headers", [])))
            status = message["status"]
            if _is_html(headers) and status not in (206, 304):
                self.start = {**message, "headers": headers.raw}
                return
            self.owner.apply(headers, status, None)
            await self.send({**message, "headers": headers.raw})
            return
        if self.start is None:
            await self.send(message)
            return
        if kind == "http.response.pathsend":  # zero-copy file: read it, we need the bytes
            message = {"type": "http.response.body", "body": await anyio.Path(message["path"]).read_bytes()}
        if kind not in ("http.response.body", "http.response.pathsend"):
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        self.size += len(self.chunks[-1])
        if not message.get("more_body", False):
            await self.flush_buffered()
        elif self.size > MAX_HTML_BYTES:
            await self.flush_unhashed()

    async def flush_buffered(self) -> None:
        assert self.start is not None
        body = b"".join(self.chunks)
        headers = MutableHeaders(raw=self.start["headers"])
        html = decoded_html(body, headers.get("content-encoding", ""))
        hashes = inline_script_hashes(html) if html is not None else []
        self.owner.apply(headers, self.start["status"], hashes)
        # The body goes out unchanged, so a declared length stays right; a body
        # that was streamed without one now has a known length.
        if "content-length" not in headers and "transfer-encoding" not in headers and self.scope["method"] != "HEAD":
            headers["content-length"] = str(len(body))
        await self.send({**self.start, "headers": headers.raw})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})
        self.start = None

    async def flush_unhashed(self) -> None:
        """Too large to inspect: send the strict policy and stream the rest."""
        assert self.start is not None
        headers = MutableHeaders(raw=self.start["headers"])
        self.owner.apply(headers, self.start["status"], None)
        await self.send({**self.start, "headers": headers.raw})
        await self.send({"type": "http.response.body", "body": b"".join(self.chunks), "more_body": True})
        self.start = None
        self.chunks = []


def _drop_inner_vary_origin(headers: MutableHeaders) -> None:
    """``Vary`` without ``Origin`` and without repeats.

    Reflex puts its CORS middleware around its own routes, around the API app and
    around the whole process; each appends ``Vary: Origin``. The outermost one,
    outside this middleware, adds it to every answer, so the inner copies go here.
    """
    values = [v.strip() for line in headers.getlist("vary") for v in line.split(",") if v.strip()]
    kept = list(dict.fromkeys(v for v in values if v.lower() != "origin"))
    if "vary" in headers:
        del headers["vary"]
    if kept:
        headers["vary"] = ", ".join(kept)


def _is_html(headers: MutableHeaders) -> bool:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower() == "text/html"
