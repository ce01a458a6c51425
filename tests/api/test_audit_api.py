"""``/api/v1/audit-events/``: administrators read and export the log; nobody else does."""

from __future__ import annotations

import csv
import io
import json

from sqlmodel import Session, select

from fluxent.core import db
from fluxent.models.audit import AuditEvent
from tests.support.portal import client_for


def _exports() -> list[AuditEvent]:
    with Session(db.get_engine()) as fresh:
        return list(fresh.exec(select(AuditEvent).where(AuditEvent.action == "audit.exported")))


def test_the_list_filters_and_pages(session, world):
    client = client_for(session, world.admin)
    body = client.get("/api/v1/audit-events/", params={"action": "documents", "page_size": 1}).json()
    assert body["page_size"] == 1 and body["total"] >= 2 and body["pages"] == body["total"]
    assert body["items"][0]["action"].startswith("documents.")
    assert set(body["items"][0]) >= {"seq", "created_at", "actor", "target", "organization", "ip", "email", "erased"}
    mine = client.get("/api/v1/audit-events/", params={"organization": world.org_b, "page_size": 100}).json()
    assert mine["items"] and {item["organization"] for item in mine["items"]} == {"Acme Widgets"}


def test_bad_filters_are_refused_and_nothing_is_exported(session, world):
    client = client_for(session, world.admin)
    for params in (
        {"since": "2026-03-05", "until": "2026-03-01"},
        {"since": "yesterday"},
        {"action": "auth%"},
        {"person": "x\x00y"},
        {"person": "x" * 201},
        {"organization": 2**40},
        {"format": "xlsx"},
    ):
        answer = client.get("/api/v1/audit-events/export/", params=params)
        assert answer.status_code == 422, (params, answer.text)
        assert "error" in answer.json()
    assert _exports() == []


def test_export_streams_csv_and_json_as_attachments_and_is_audited(session, world):
    client = client_for(session, world.admin)
    as_csv = client.get("/api/v1/audit-events/export/", params={"action": "documents.uploaded"})
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["content-disposition"].startswith('attachment; filename="fluxent-audit-')
    assert as_csv.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) >= 2 and {row["action"] for row in rows} == {"documents.uploaded"}
    as_json = client.get("/api/v1/audit-events/export/", params={"action": "documents.uploaded", "format": "json"})
    assert as_json.headers["content-type"] == "application/json"
    assert [item["seq"] for item in json.loads(as_json.text)] == [int(row["seq"]) for row in rows]
    exports = _exports()
    assert [json.loads(e.meta)["format"] for e in exports] == ["csv", "json"]
    assert {e.actor_id for e in exports} == {world.admin.id}


def test_staff_who_are_not_administrators_are_refused(session, world):
    answer = client_for(session, world.staff).get("/api/v1/audit-events/export/")
    assert answer.status_code == 403 and answer.json()["error"]["message"] == "Only administrators can do this."
    assert client_for(session, None).get("/api/v1/audit-events/").status_code == 401
    assert _exports() == []
