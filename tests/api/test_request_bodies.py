"""Body size limits (413) and declared media types (415) for API routes."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from fluxent.api.body_guard import BodyGuard
from fluxent.api.routing import require_content_type_routes
from tests.support.state import run_async

KIB = 1024


@pytest.fixture
def small(make_client):
    """JSON limit 1 KiB, upload limit 1 MiB."""
    return make_client(max_json_kb="1", max_upload_mb="1")


def chunks(total: int, size: int = 256):
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_body_over_content_length_limit_is_413(small):
    body = b'{"name": "' + b"x" * (2 * KIB) + b'", "quantity": 1}'
    response = small.post("/api/v1/test/json", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.headers["x-content-type-options"] == "nosniff"  # hardening wraps the guard


def test_body_at_the_limit_passes_the_guard(small):
    body = b'{"name": "' + b"x" * (KIB - 30) + b'", "quantity": 1}'
    assert len(body) <= KIB
    response = small.post("/api/v1/test/json", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200


def test_chunked_body_over_limit_is_413(small):
    response = small.post("/api/v1/test/json", content=chunks(4 * KIB), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_uploads_get_the_upload_limit(small):
    ok = small.post("/api/v1/test/upload", files={"file": ("a.pdf", b"%PDF" + b"x" * (64 * KIB))})
    assert ok.status_code == 200
    assert ok.json() == {"size": 4 + 64 * KIB}
    too_big = small.post("/api/v1/test/upload", files={"file": ("a.pdf", b"x" * (KIB * KIB + 1))})
    assert too_big.status_code == 413


def test_guard_stops_reading_a_stream_once_over_the_limit():
    """At the ASGI level: the rest of an oversized chunked body is never read."""
    reads = 0

    async def receive():
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 100, "more_body": True}

    async def reader_app(scope, receive, send):
        while True:  # reads forever unless the guard stops it
            await receive()

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/anything",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
    }
    run_async(BodyGuard(reader_app, json_limit=1000, upload_limit=10_000)(scope, receive, send))
    assert reads == 11
    assert sent[0]["status"] == 413


def test_paths_outside_api_are_not_limited(small):
    response = small.post("/elsewhere", content=b"x" * (4 * KIB), headers={"Content-Type": "application/json"})
    assert response.status_code != 413


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_json_route_refuses_other_media_types(client, content_type):
    response = client.post(
        "/api/v1/test/json", content=b'{"name": "a", "quantity": 1}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_json_route_refuses_a_body_without_content_type(client):
    response = client.post("/api/v1/test/json", content=b'{"name": "a", "quantity": 1}')
    assert response.status_code == 415


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"]
)
def test_json_route_accepts_json(client, content_type):
    response = client.post(
        "/api/v1/test/json", content=b'{"name": "a", "quantity": 1}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 200


def test_form_route_accepts_urlencoded_and_multipart(client):
    assert client.post("/api/v1/test/form", data={"name": "Ada"}).json() == {"name": "Ada"}
    multipart = client.post("/api/v1/test/form", data={"name": "Ada"}, files={"unused": ("a.txt", b"x")})
    assert multipart.status_code == 200
    assert multipart.json() == {"name": "Ada"}


def test_form_route_refuses_json(client):
    response = client.post("/api/v1/test/form", json={"name": "Ada"})
    assert response.status_code == 415


def test_upload_route_refuses_urlencoded(client):
    response = client.post("/api/v1/test/upload", data={"file": "not a file"})
    assert response.status_code == 415


def test_route_without_body_refuses_a_non_json_body(client):
    assert client.post("/api/v1/test/no-body").status_code == 200
    assert client.post("/api/v1/test/no-body", json={}).status_code == 200
    assert (
        client.post("/api/v1/test/no-body", content=b"a=b", headers={"Content-Type": "text/plain"}).status_code == 415
    )


def test_routes_must_use_the_checking_router():
    from fastapi import APIRouter as PlainRouter

    plain = PlainRouter()

    @plain.post("/unchecked")
    def unchecked() -> None: ...

    api = FastAPI()
    api.include_router(plain, prefix="/api/v1")
    with pytest.raises(RuntimeError, match="/api/v1/unchecked"):
        require_content_type_routes(api)


def test_real_api_routes_all_check_media_types():
    from fluxent.api.app import create_api

    require_content_type_routes(create_api())  # also runs inside create_api; explicit here
