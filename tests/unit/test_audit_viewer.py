"""The audit log as administrators read it: filters, paging, erased people, exports, verification."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from fluxent.core import db
from fluxent.core.errors import PermissionDenied, ValidationFailed
from fluxent.models.audit import AuditEvent
from fluxent.services.audit import trail, verification, viewer
from fluxent.services.audit.trail import Personal
from fluxent.services.audit.viewer import AuditFilter
from fluxent.services.privacy.erasure import erase_user


def _at(day: int):
    return lambda: datetime(2026, 3, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def logged(session, world):
    """Three events on three days: Mark's sign-in, Bea's sign-in, an admin's change in Northwind."""
    trail.record(
        session,
        "auth.login_succeeded",
        actor=world.member_a,
        target=world.member_a,
        pii=Personal(ip="203.0.113.7", user_agent="Firefox", email="mark@northwind.test"),
        clock=_at(2),
    )
    trail.record(session, "auth.login_succeeded", actor=world.owner_b, pii=Personal(ip="198.51.100.1"), clock=_at(3))
    trail.record(session, "documents.deleted", actor=world.admin, organization=world.org_a, clock=_at(4))
    session.commit()
    return world


def _seqs(session, actor, **filters) -> list[int]:
    return [
        line.seq for line in viewer.events(session, actor=actor, filters=AuditFilter(**filters), page_size=100).items
    ]


def _actions(session, seqs: list[int]) -> list[str]:
    return [session.get(AuditEvent, seq).action for seq in seqs]


def test_only_administrators_read_the_log(session, logged):
    for person in (logged.staff, logged.owner_a, None):
        with pytest.raises(PermissionDenied):
            viewer.events(session, actor=person)
        with pytest.raises(PermissionDenied):
            viewer.start_export(session, actor=person, filters=AuditFilter(), fmt="csv")
        with pytest.raises(PermissionDenied):
            verification.last_verification(session, actor=person)
    assert viewer.events(session, actor=logged.admin).total > 3


def test_filters_by_person_action_organization_and_days(session, logged):
    admin = logged.admin
    mark = _seqs(session, admin, person="MARK")
    assert "auth.login_succeeded" in _actions(session, mark)
    assert all(
        line.actor.startswith("Mark") or line.target == f"user {logged.member_a.id}"
        for line in viewer.events(session, actor=admin, filters=AuditFilter(person="mark"), page_size=100).items
    )
    by_address = _seqs(session, admin, person="203.0.113.7")  # an IP is not a person
    assert by_address == []
    documents = set(_actions(session, _seqs(session, admin, action="documents")))
    assert "documents.deleted" in documents and all(action.startswith("documents.") for action in documents)
    assert set(_actions(session, _seqs(session, admin, action="documents.deleted"))) == {"documents.deleted"}
    assert _seqs(session, admin, action="documents.del") == []  # an area is a whole word
    in_acme = _seqs(session, admin, organization_id=logged.org_b)
    assert all(session.get(AuditEvent, seq).organization_id == logged.org_b for seq in in_acme)
    third = _seqs(session, admin, since=date(2026, 3, 3), until=date(2026, 3, 3))
    assert [session.get(AuditEvent, seq).actor_id for seq in third] == [logged.owner_b.id]
    assert _seqs(session, admin, since=date(2026, 3, 3), until=date(2026, 3, 4), action="auth") == third


def test_pages_are_newest_first(session, logged):
    first = viewer.events(session, actor=logged.admin, page_size=2)
    second = viewer.events(session, actor=logged.admin, page=2, page_size=2)
    assert first.total == second.total and first.pages == -(-first.total // 2)
    seqs = [line.seq for line in first.items + second.items]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 4


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (AuditFilter(person="x" * 201), "person"),
        (AuditFilter(person="bad\x00name"), "person"),
        (AuditFilter(action="auth%"), "action"),
        (AuditFilter(action="'; DROP TABLE audit_event; --"), "action"),
        (AuditFilter(since=date(2026, 3, 5), until=date(2026, 3, 1)), "until"),
    ],
)
def test_bad_filters_are_refused_by_name(session, logged, filters, field):
    with pytest.raises(ValidationFailed) as refused:
        viewer.events(session, actor=logged.admin, filters=filters)
    assert field in refused.value.fields
    with pytest.raises(ValidationFailed):
        viewer.start_export(session, actor=logged.admin, filters=filters, fmt="json")


def test_a_like_wildcard_in_a_person_search_matches_only_itself(session, logged):
    assert _seqs(session, logged.admin, person="%") == []
    assert _seqs(session, logged.admin, person="_") == []


def test_erased_people_show_as_erased(session, logged):
    erase_user(session, user=logged.member_a, actor=logged.member_a)
    session.commit()
    lines = viewer.events(session, actor=logged.admin, page_size=100).items
    his = [line for line in lines if line.actor_id == logged.member_a.id]
    assert his and all(line.erased and line.actor == viewer.ERASED for line in his)
    assert all((line.ip, line.user_agent, line.email) == (viewer.ERASED,) * 3 for line in his)
    beas = [line for line in lines if line.actor_id == logged.owner_b.id]
    assert beas[0].ip == "198.51.100.1" and not beas[0].erased
    assert _seqs(session, logged.admin, person="mark") == []  # he can no longer be searched for
    exported = "".join(viewer.start_export(session, actor=logged.admin, filters=AuditFilter(), fmt="csv"))
    assert "mark@northwind" not in exported and "Mark Member" not in exported and "203.0.113.7" not in exported


def _export(session, admin, fmt: str, **filters) -> str:
    chunks = viewer.start_export(session, actor=admin, filters=AuditFilter(**filters), fmt=fmt)
    session.commit()  # the export's own audit event is written once the request's unit ends
    return "".join(chunks)


def test_exports_the_filtered_range_as_csv_and_json_and_audits_it(session, logged, monkeypatch):
    monkeypatch.setattr(viewer, "_EXPORT_BATCH", 1)  # several batches
    as_csv = list(csv.DictReader(io.StringIO(_export(session, logged.admin, "csv", action="auth"))))
    assert [row["action"] for row in as_csv] == ["auth.login_succeeded"] * len(as_csv) and len(as_csv) >= 2
    assert [int(row["seq"]) for row in as_csv] == sorted(int(row["seq"]) for row in as_csv)
    assert {row["ip"] for row in as_csv} >= {"203.0.113.7", "198.51.100.1"}
    as_json = json.loads(_export(session, logged.admin, "json", action="auth"))
    assert [item["seq"] for item in as_json] == [int(row["seq"]) for row in as_csv]
    assert isinstance(as_json[0]["meta"], dict)
    assert json.loads(_export(session, logged.admin, "json", action="nothing.here")) == []
    exports = session.exec(select(AuditEvent).where(AuditEvent.action == "audit.exported")).all()
    assert [json.loads(e.meta) for e in exports][:2] == [
        {"action": "auth", "format": "csv"},
        {"action": "auth", "format": "json"},
    ]
    assert all(e.actor_id == logged.admin.id for e in exports)
    with pytest.raises(ValidationFailed):
        viewer.start_export(session, actor=logged.admin, filters=AuditFilter(), fmt="xlsx")


def test_csv_cells_never_run_as_formulas(session, world):
    trail.record(session, "auth.login_failed", pii=Personal(email="=cmd|' /c calc'!a1@x.test"))
    session.commit()
    exported = _export(session, world.admin, "csv", action="auth.login_failed")
    assert "'=cmd" in exported


def test_verify_now_records_the_outcome_for_the_console(session, logged):
    assert verification.last_verification(session, actor=logged.admin) is None
    session.commit()  # the check opens units of its own
    result = verification.verify_now(actor_id=logged.admin.id, clock=_at(5))
    assert result.ok
    last = verification.last_verification(session, actor=logged.admin)
    assert (last.ok, last.checked, last.broken_seq, last.by_id) == (True, result.checked, None, logged.admin.id)
    with pytest.raises(PermissionDenied):
        verification.verify_now(actor_id=logged.staff.id)


def test_a_broken_chain_is_recorded_with_its_first_broken_sequence(session, logged):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("tampering needs the SQLite trigger dropped")
    session.execute(text("DROP TRIGGER audit_event_append_only_update"))
    session.execute(text("UPDATE audit_event SET action = 'auth.forged' WHERE seq = 2"))
    session.commit()
    result = verification.verify_now()
    assert (result.ok, result.broken_seq) == (False, 2)
    with Session(db.get_engine()) as fresh:
        last = verification.last_verification(fresh, actor=logged.admin)
    assert (last.ok, last.broken_seq, last.by_id) == (False, 2, None)
    assert last.reason == "row content does not match its hash"


def test_the_person_searched_for_never_enters_the_chain(session, logged):
    _export(session, logged.admin, "csv", person="Mark Member")
    _export(session, logged.admin, "json", person="mark@northwind.test")
    by_name, by_address = session.exec(
        select(AuditEvent).where(AuditEvent.action == "audit.exported").order_by(AuditEvent.seq)
    ).all()
    assert (
        json.loads(by_name.meta)
        == json.loads(by_address.meta) | {"format": "csv"}
        == {
            "format": "csv",
            "by_person": True,
        }
    )
    assert "mark" not in by_name.meta.lower() + by_address.meta.lower()
    assert (by_name.email, by_address.email) == (None, "mark@northwind.test")
    erase_user(session, user=logged.member_a, actor=logged.member_a)
    session.commit()
    session.refresh(by_address)
    assert by_address.email is None
