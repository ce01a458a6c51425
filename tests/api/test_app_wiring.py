"""The real Reflex app carries the same middleware as the tests above."""

from __future__ import annotations

import functools

from starlette.testclient import TestClient


@functools.cache
def _asgi_app():
    """The Reflex app's ASGI app, built once: Reflex refuses to build it twice in a process."""
    from fluxent.fluxent import app

    return app()


def test_reflex_app_is_wrapped(monkeypatch):
    monkeypatch.setenv("__REFLEX_SKIP_COMPILE", "1")  # no frontend build in unit tests
    client = TestClient(_asgi_app(), raise_server_exceptions=False)
    ping = client.get("/ping")  # one of Reflex's own routes
    assert ping.status_code == 200
    assert ping.headers["x-frame-options"] == "DENY"
    assert "content-security-policy" in ping.headers
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    too_big = client.post("/api/v1/x", content=b"x" * (300 * 1024), headers={"Content-Type": "application/json"})
    assert too_big.status_code == 413


def test_the_app_runs_the_retention_jobs_daily(monkeypatch):
    monkeypatch.setenv("__REFLEX_SKIP_COMPILE", "1")
    from fluxent.fluxent import app
    from fluxent.services.privacy import retention

    scheduled = [task for task in app._lifespan_tasks if getattr(task, "func", None) is retention.run_every]
    assert len(scheduled) == 1 and scheduled[0].keywords == {"hours": 24}


def test_every_header_is_sent_once(monkeypatch):
    """Reflex wraps CORS around its routes, the API and the whole app; ``Vary: Origin`` comes once."""
    monkeypatch.setenv("__REFLEX_SKIP_COMPILE", "1")
    client = TestClient(_asgi_app(), raise_server_exceptions=False)
    for path in ("/ping", "/api/v1/health/", "/api/v1/no-such-thing", "/no-such-page"):
        for origin in ({"Origin": "http://testserver"}, {"Origin": "https://evil.example"}, {}):
            response = client.get(path, headers=origin)
            names = [name.lower() for name, _ in response.headers.multi_items() if name.lower() != "set-cookie"]
            assert len(names) == len(set(names)), (path, origin, names)
            assert response.headers["vary"] == "Origin", (path, origin)
