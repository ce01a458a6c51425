"""The real Reflex app carries the same middleware as the tests above."""

from __future__ import annotations

from starlette.testclient import TestClient


def test_reflex_app_is_wrapped(monkeypatch):
    monkeypatch.setenv("__REFLEX_SKIP_COMPILE", "1")  # no frontend build in unit tests
    from fluxent.fluxent import app

    client = TestClient(app(), raise_server_exceptions=False)
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
    from fluxent.services import retention

    scheduled = [task for task in app._lifespan_tasks if getattr(task, "func", None) is retention.run_every]
    assert len(scheduled) == 1 and scheduled[0].keywords == {"hours": 24}
