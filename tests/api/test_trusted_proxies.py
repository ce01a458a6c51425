"""Behind a reverse proxy: per-IP throttles, audit rows and session lists see each
visitor, not the proxy; a forwarded address from anyone else is ignored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from fluxent import routes
from fluxent.core.settings import reset_settings
from fluxent.models.audit import AuditEvent
from fluxent.services.auth import throttle
from fluxent.services.marketing import spam
from tests.support.auth import PASSWORD
from tests.support.auth_api import ADA, error_code, read

PROXY = "10.0.0.5"
UNTRUSTED = "198.51.100.20"


@pytest.fixture(autouse=True)
def behind_proxy(monkeypatch):
    monkeypatch.setenv("FLUXENT_TRUSTED_PROXIES", "10.0.0.0/24")
    reset_settings()


def _visitor(number: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"203.0.113.{number}"}


def _wrong_sign_ins(browser, count: int) -> list[int]:
    """``count`` failed sign-ins, each claiming to come from another visitor."""
    return [
        browser.post(
            routes.API_LOGIN, {"login": f"nobody{number}@example.com", "password": "wrong"}, headers=_visitor(number)
        ).status_code
        for number in range(count)
    ]


def test_many_visitors_failing_through_the_proxy_do_not_lock_out_another(make_browser, people):
    proxy = make_browser(PROXY)
    assert set(_wrong_sign_ins(proxy, throttle.IP.free + 1)) == {401}
    response = proxy.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}, headers=_visitor(200))
    assert response.status_code == 200, response.text
    listed = proxy.get(routes.API_SESSIONS).json()["sessions"]
    assert [entry["ip"] for entry in listed] == ["203.0.113.200"]


def test_a_spoofed_forwarded_address_from_an_untrusted_peer_changes_nothing(make_browser, people):
    direct = make_browser(UNTRUSTED)
    assert set(_wrong_sign_ins(direct, throttle.IP.free + 1)) == {401}
    response = direct.post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}, headers=_visitor(200))
    assert response.status_code == 429 and error_code(response) == "rate_limited"
    assert (
        make_browser(PROXY)
        .post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}, headers=_visitor(201))
        .status_code
        == 200
    )


def test_audit_rows_record_the_visitor_through_the_proxy_and_the_peer_otherwise(make_browser, people):
    make_browser(PROXY).post(routes.API_LOGIN, {"login": ADA, "password": "wrong"}, headers=_visitor(1))
    make_browser(UNTRUSTED).post(routes.API_LOGIN, {"login": ADA, "password": "wrong"}, headers=_visitor(2))
    rows = read(
        lambda db: db.exec(
            select(AuditEvent).where(AuditEvent.action == "auth.login_failed").order_by(AuditEvent.seq)
        ).all()
    )
    assert [row.ip for row in rows] == ["203.0.113.1", UNTRUSTED]


def test_contact_posts_of_many_visitors_through_the_proxy_leave_the_form_open(make_browser, database):
    proxy = make_browser(PROXY)
    for number in range(spam.LEAD_IP.free + 2):
        response = proxy.post(routes.API_LEADS, _lead(), headers=_visitor(number))
        assert response.status_code == 202, response.text
    for _ in range(spam.LEAD_IP.free + 1):
        proxy.post(routes.API_LEADS, _lead(), headers=_visitor(250))
    assert proxy.post(routes.API_LEADS, _lead(), headers=_visitor(250)).status_code == 429
    assert proxy.post(routes.API_LEADS, _lead(), headers=_visitor(251)).status_code == 202


def _lead() -> dict:
    return {
        "name": "Dana Whitfield",
        "email": "dana@northwind.example",
        "country": "United States",
        "message": "We need a dispatch board for 40 technicians.",
        "agree": True,
        "stamp": spam.new_stamp(clock=lambda: spam.now() - timedelta(seconds=30)),
    }
