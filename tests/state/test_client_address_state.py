"""Websocket events see the visitor behind a trusted proxy, and only behind one."""

from __future__ import annotations

import pytest
from sqlmodel import select

from fluxent.core.db import session_scope
from fluxent.core.settings import reset_settings
from fluxent.models.audit import AuditEvent
from fluxent.state.privacy import PrivacyState
from tests.support.state import person, run, tab

PROXY, VISITOR, SPOOFED = "10.0.0.5", "203.0.113.50", "192.0.2.66"


@pytest.fixture(autouse=True)
def behind_proxy(monkeypatch):
    monkeypatch.setenv("FLUXENT_TRUSTED_PROXIES", "10.0.0.0/24")
    reset_settings()


@pytest.mark.parametrize(
    "peer, forwarded_for, recorded",
    [(PROXY, f"{SPOOFED}, {VISITOR}", VISITOR), ("198.51.100.20", VISITOR, "198.51.100.20")],
)
def test_events_audit_the_visitor_only_through_a_trusted_proxy(database, peer, forwarded_for, recorded):
    _, cookie = person("ada@example.com")
    state = tab(PrivacyState, cookie=cookie, peer=peer, forwarded_for=forwarded_for)
    assert state._client()[0] == recorded
    run(state.send_code())
    with session_scope() as db:
        latest = db.exec(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert latest is not None and latest.ip == recorded
