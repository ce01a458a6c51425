"""Hardening headers on every response; per-page script hashes in the HTML CSP."""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib

from fluxent.api.app import wrap_asgi
from fluxent.api.security_headers import inline_script_hashes
from tests.support.hardening_api import CONTEXT_SCRIPT, PAGE, THEME_SCRIPT
from tests.support.state import run_async

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


def sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    parsed = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def assert_hardened(response):
    for name, value in COMMON.items():
        assert response.headers[name] == value
    permissions = response.headers["permissions-policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert "publickey-credentials-get=(self)" in permissions  # passkeys sign in on the site's own pages
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["img-src"] == ["'self'", "data:", "blob:"]
    assert csp["font-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(csp["script-src"])


def test_api_response_is_hardened_without_script_hashes(client):
    response = client.get("/api/v1/test/domain/missing")
    assert_hardened(response)
    assert directives(response)["script-src"] == ["'self'"]


def test_error_responses_are_hardened_too(client):
    assert_hardened(client.get("/api/v1/nothing"))
    assert_hardened(client.get("/api/v1/test/boom"))


def test_html_csp_lists_exactly_its_inline_scripts(client):
    response = client.get("/api/v1/test/page")
    assert_hardened(response)
    assert directives(response)["script-src"] == ["'self'", sha256(THEME_SCRIPT), sha256(CONTEXT_SCRIPT)]
    assert response.headers["content-length"] == str(len(response.content))


def test_gzip_html_is_hashed_and_sent_unchanged(client):
    response = client.get("/api/v1/test/page-gz", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert directives(response)["script-src"] == ["'self'", sha256(THEME_SCRIPT), sha256(CONTEXT_SCRIPT)]
    assert "<p>Hello</p>" in response.text  # decoded by the client, so the bytes were intact gzip


def test_streamed_html_gets_hashes_and_a_content_length(client):
    response = client.get("/api/v1/test/page-stream")
    assert directives(response)["script-src"] == ["'self'", sha256(THEME_SCRIPT), sha256(CONTEXT_SCRIPT)]
    assert response.headers["content-length"] == str(len(response.content))


def test_precompressed_static_pages_are_hashed(tmp_path):
    """The way Reflex serves prerendered pages: FileResponse of ``index.html(.gz)``."""
    from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
    from starlette.testclient import TestClient

    (tmp_path / "index.html").write_text(PAGE)
    (tmp_path / "index.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    static = PrecompressedStaticFiles(directory=tmp_path, html=True, encodings=["gzip"])
    files = TestClient(wrap_asgi(static))
    for encoding in ("gzip", "identity"):
        response = files.get("/", headers={"Accept-Encoding": encoding})
        assert response.headers.get("content-encoding", "identity") == encoding
        assert directives(response)["script-src"] == ["'self'", sha256(THEME_SCRIPT), sha256(CONTEXT_SCRIPT)]
        assert response.text == PAGE
    head = files.head("/", headers={"Accept-Encoding": "identity"})
    assert head.headers["content-length"] == str(len(PAGE.encode()))
    etag = response.headers["etag"]
    not_modified = files.get("/", headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert not_modified.status_code == 304
    # A 304's headers replace the cached page's: a hash-less CSP would break it.
    assert "content-security-policy" not in not_modified.headers
    assert not_modified.headers["x-frame-options"] == "DENY"


def test_pathsend_html_is_read_hashed_and_sent_as_body(tmp_path):
    """Servers offering zero-copy ``http.response.pathsend`` (granian) still get hashes."""
    from starlette.responses import FileResponse

    page = tmp_path / "page.html"
    page.write_text(PAGE)
    messages: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [],
        "extensions": {"http.response.pathsend": {}},
    }
    run_async(wrap_asgi(FileResponse(page, media_type="text/html"))(scope, receive, send))
    start, body = messages
    headers = {key.decode(): value.decode() for key, value in start["headers"]}
    assert sha256(THEME_SCRIPT).strip("'") in headers["content-security-policy"]
    assert body == {"type": "http.response.body", "body": PAGE.encode(), "more_body": False}


def test_websocket_scopes_pass_through_untouched():
    seen = {}

    async def app(scope, receive, send):
        seen.update(scope=scope, receive=receive, send=send)

    async def receive(): ...
    async def send(message): ...

    scope = {"type": "websocket", "path": "/_event", "headers": []}
    run_async(wrap_asgi(app)(scope, receive, send))
    assert seen == {"scope": scope, "receive": receive, "send": send}


def test_connect_src_allows_the_websocket_origins(make_client):
    response = make_client(base_url="https://www.fluxent.tech", env="production").get("/api/v1/nothing")
    assert directives(response)["connect-src"] == ["'self'", "https://www.fluxent.tech", "wss://www.fluxent.tech"]


def test_form_action_allows_the_identity_provider_only_when_single_sign_on_is_set_up(make_client):
    """The staff sign-in form's answer redirects to the provider; browsers check that redirect against form-action."""
    sso = {"oidc_issuer": "https://id.fluxent.tech/realms/staff", "oidc_client_id": "portal"}
    response = make_client(**sso).get("/api/v1/nothing")
    assert directives(response)["form-action"] == ["'self'"]  # no staff domains: not set up
    response = make_client(**sso, oidc_staff_domains="fluxent.tech").get("/api/v1/nothing")
    assert directives(response)["form-action"] == ["'self'", "https://id.fluxent.tech"]


def test_hsts_only_over_https(make_client):
    assert "strict-transport-security" not in make_client(base_url="http://testserver").get("/api/v1/x").headers
    response = make_client(base_url="https://www.fluxent.tech").get("/api/v1/x")
    assert response.headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"


def test_hashes_follow_html_newline_normalisation():
    html = "<script>\r\nlet a = 1;\r</script><script src='/x.js'></script><SCRIPT>b()</SCRIPT>"
    expected = [sha256("\nlet a = 1;\n"), sha256("b()")]
    assert [f"'{digest}'" for digest in inline_script_hashes(html)] == expected


def test_websocket_origin_is_exactly_the_site():
    import rxconfig

    rxconfig = importlib.reload(rxconfig)
    assert rxconfig.config.cors_allowed_origins == ["http://testserver"]
