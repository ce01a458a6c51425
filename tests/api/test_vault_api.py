"""The vault over HTTP: the step-up, reveals, hostile input, the close hook, and a canary secret
that must never surface anywhere but in the reveal's own answer."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from fluxent.core import db
from fluxent.models.vault import VaultDataKey, VaultItem, VaultItemVersion
from fluxent.services.audit import trail
from tests.support.auth import PASSWORD, quick_hash
from tests.support.portal import client_for, outbox
from tests.support.vault import AWS, deliver_and_close, last_code

CANARY = AWS["password"]


def _new_login(client, engagement_id: int, **value) -> dict:
    body = {"engagement": engagement_id, "kind": "login", "name": "AWS production", "tags": ["aws"]}
    response = client.post("/api/v1/vault/items/", json={**body, "value": {**AWS, **value}})
    assert response.status_code == 201, response.text
    return response.json()


def _rows(session) -> tuple[int, int, int]:
    """Counted in a session of its own, closed at once: the test never holds SQLite's write lock."""
    session.commit()
    with Session(db.get_engine()) as fresh:
        return tuple(
            fresh.scalar(select(func.count()).select_from(t)) for t in (VaultItem, VaultItemVersion, VaultDataKey)
        )


def _reveal(client, item_id: int, **body):
    return client.post(f"/api/v1/vault/items/{item_id}/reveal/", json=body or None)


def test_a_reveal_needs_a_step_up_by_emailed_code_which_works_once(session, world):
    owner = client_for(session, world.owner_a)
    item = _new_login(owner, world.engagement_a.id)
    assert CANARY not in str(item)
    staff = client_for(session, world.staff)
    refused = _reveal(staff, item["id"])
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "reauth_required"
    assert staff.post("/api/v1/auth/reauth/code/").status_code == 202
    code = last_code(world.staff.email)
    assert staff.post("/api/v1/auth/reauth/", json={"code": "000000"}).status_code == 422
    assert _reveal(staff, item["id"]).status_code == 403
    accepted = staff.post("/api/v1/auth/reauth/", json={"code": code})
    assert accepted.status_code == 200 and accepted.json()["until"]
    assert staff.post("/api/v1/auth/reauth/", json={"code": code}).status_code == 422  # replayed
    answer = _reveal(staff, item["id"])
    assert answer.status_code == 200 and answer.json() == {"value": AWS}
    assert answer.headers["cache-control"] == "no-store"
    assert _reveal(staff, item["id"], copied=True).status_code == 200
    # The step-up belongs to that browser: another session of the same person has none.
    assert _reveal(client_for(session, world.staff), item["id"]).status_code == 403
    log = owner.get(f"/api/v1/vault/access-log/?engagement={world.engagement_a.id}").json()["events"]
    assert [(e["who"], e["action"], e["item"]) for e in log[:3]] == [
        ("Sam Staff", "vault.item_copied", "AWS production"),
        ("Sam Staff", "vault.item_revealed", "AWS production"),
        ("Olivia Owner", "vault.item_created", "AWS production"),
    ]


def test_a_step_up_by_password(session, world):
    world.staff.password_hash = quick_hash(PASSWORD)
    session.add(world.staff)
    session.commit()
    item = _new_login(client_for(session, world.owner_a), world.engagement_a.id)
    staff = client_for(session, world.staff)
    assert staff.post("/api/v1/auth/reauth/", json={"password": "not it at all"}).status_code == 422
    assert staff.post("/api/v1/auth/reauth/", json={}).status_code == 422
    assert staff.post("/api/v1/auth/reauth/", json={"password": PASSWORD}).status_code == 200
    assert _reveal(staff, item["id"]).json()["value"]["password"] == CANARY


def test_no_cookie_or_no_csrf_gets_nothing(session, world):
    item = _new_login(client_for(session, world.owner_a), world.engagement_a.id)
    anonymous = client_for(session, None)
    assert _reveal(anonymous, item["id"]).status_code == 401
    assert anonymous.post("/api/v1/auth/reauth/", json={"code": "123456"}).status_code == 401
    staff = client_for(session, world.staff)
    del staff.headers["X-CSRFToken"]
    assert staff.post("/api/v1/auth/reauth/code/").status_code == 403
    assert _reveal(staff, item["id"]).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "login", "name": "X", "value": {"username": "u", "password": "p", "shell": "rm -rf /"}},
        {"kind": "login", "name": "X", "value": {"username": "u"}},
        {"kind": "api_key", "name": "X", "value": {"key": "k" * 20_000}},
        {"kind": "api_key", "name": "X\u0000", "value": {"key": "k"}},
        {"kind": "api_key", "name": "", "value": {"key": "k"}},
        {"kind": "keylogger", "name": "X", "value": {"key": "k"}},
        {"kind": "api_key", "name": "X", "value": {"key": "k"}, "owner": 1},
        {"kind": "api_key", "name": "X", "value": {"key": "k"}, "tags": ["a,b"]},
    ],
)
def test_hostile_input_is_refused_and_stores_nothing(session, world, body):
    owner = client_for(session, world.owner_a)
    response = owner.post("/api/v1/vault/items/", json={"engagement": world.engagement_a.id, **body})
    assert response.status_code == 422, response.text
    assert "k" * 100 not in response.text
    assert _rows(session) == (0, 0, 0)


def test_an_item_of_another_organization_is_not_found(session, world):
    theirs = _new_login(client_for(session, world.owner_b), world.engagement_b.id)
    mine = client_for(session, world.owner_a)
    assert mine.get(f"/api/v1/vault/items/{theirs['id']}/").status_code == 404
    assert mine.patch(f"/api/v1/vault/items/{theirs['id']}/", json={"name": "Mine now"}).status_code == 404
    assert mine.delete(f"/api/v1/vault/items/{theirs['id']}/").status_code == 404
    assert mine.get(f"/api/v1/vault/items/?engagement={world.engagement_b.id}").status_code == 404


def test_the_owner_deletes_the_vault_with_a_step_up_and_the_typed_title(session, world, data_dir):
    owner = client_for(session, world.owner_a)
    _new_login(owner, world.engagement_a.id)
    url = f"/api/v1/vault/engagements/{world.engagement_a.id}/"
    confirm = {"confirm": world.engagement_a.title}
    assert owner.request("DELETE", url, json=confirm).json()["error"]["code"] == "reauth_required"
    owner.post("/api/v1/auth/reauth/code/")
    owner.post("/api/v1/auth/reauth/", json={"code": last_code(world.owner_a.email)})
    assert owner.request("DELETE", url, json={"confirm": "yes delete"}).status_code == 422
    assert _rows(session)[0] == 1
    assert owner.request("DELETE", url, json=confirm).json() == {"items_deleted": 1}
    assert _rows(session) == (0, 0, 0)
    assert any("offboarding" in m["Subject"] for m in outbox(data_dir, world.owner_a.email))


def test_closing_the_engagement_over_the_api_shreds_the_vault(session, world, data_dir):
    item = _new_login(client_for(session, world.owner_a), world.engagement_a.id)
    staff = client_for(session, world.staff)
    staff.post("/api/v1/auth/reauth/code/")
    staff.post("/api/v1/auth/reauth/", json={"code": last_code(world.staff.email)})
    assert _reveal(staff, item["id"]).status_code == 200
    deliver_and_close(session, world)
    assert _rows(session) == (0, 0, 0)
    assert _reveal(staff, item["id"]).status_code == 404
    [report] = [m for m in outbox(data_dir, world.owner_a.email) if "offboarding" in m["Subject"]]
    assert "AWS production" in report.get_body(("plain",)).get_content()


def test_the_canary_never_surfaces_in_the_database_file_logs_export_or_audit(session, world, database, caplog):
    if not database.startswith("sqlite"):
        pytest.skip("the database file is SQLite's")
    caplog.set_level(logging.DEBUG)
    owner = client_for(session, world.owner_a)
    item = _new_login(owner, world.engagement_a.id)
    owner.patch(f"/api/v1/vault/items/{item['id']}/", json={"value": {**AWS, "password": CANARY + "-v2"}})
    staff = client_for(session, world.staff)
    staff.post("/api/v1/auth/reauth/code/")
    staff.post("/api/v1/auth/reauth/", json={"code": last_code(world.staff.email)})
    assert CANARY in _reveal(staff, item["id"]).text
    assert _reveal(staff, 2**31 - 1).status_code == 404
    exports = [client.get("/api/v1/auth/me/export/").text for client in (owner, staff)]
    assert all('"vault_items"' in text or "vault" in text for text in exports)
    session.commit()
    audit = [str(row) for row in session.execute(select(trail.AuditEvent))]
    session.commit()
    path = Path(make_url(database).database)
    stored = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    for place, text in [("logs", caplog.text), ("exports", "".join(exports)), ("audit", "".join(audit))]:
        assert CANARY not in text, place
    assert CANARY.encode() not in stored and b"deploy-bot" not in stored


def test_versions_are_listed_and_an_earlier_one_revealed_with_a_step_up(session, world):
    owner = client_for(session, world.owner_a)
    item = _new_login(owner, world.engagement_a.id)
    changed = owner.patch(f"/api/v1/vault/items/{item['id']}/", json={"value": {**AWS, "password": "rotated"}})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    staff = client_for(session, world.staff)
    versions = staff.get(f"/api/v1/vault/items/{item['id']}/versions/").json()["versions"]
    assert [(v["version"], v["created_by"], v["current"]) for v in versions] == [
        (2, "Olivia Owner", True),
        (1, "Olivia Owner", False),
    ]
    earlier = f"/api/v1/vault/items/{item['id']}/reveal/?version=1"
    assert staff.post(earlier).json()["error"]["code"] == "reauth_required"
    assert staff.post("/api/v1/auth/reauth/code/").status_code == 202
    assert staff.post("/api/v1/auth/reauth/", json={"code": last_code(world.staff.email)}).status_code == 200
    answer = staff.post(earlier)
    assert answer.status_code == 200 and answer.json()["value"]["password"] == CANARY
    assert answer.headers["cache-control"] == "no-store"
    assert _reveal(staff, item["id"]).json()["value"]["password"] == "rotated"
    for version in ("3", "0", "-1", "x", "1e3"):
        refused = staff.post(f"/api/v1/vault/items/{item['id']}/reveal/?version={version}")
        assert refused.status_code in (404, 422) and "value" not in refused.json()
    outsider = client_for(session, world.owner_b)
    assert outsider.get(f"/api/v1/vault/items/{item['id']}/versions/").status_code == 404
