"""The audit log: chain integrity, database-enforced append-only, retention, erasure."""

from __future__ import annotations

import multiprocessing
import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, select

from fluxent.core import db
from fluxent.models.audit import CHECKPOINT_ACTION, AuditEvent
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal


def _append(session: Session, count: int, **kwargs) -> None:
    for index in range(count):
        trail.record(session, "test.event", target=("thing", index), meta={"n": index}, **kwargs)
    session.commit()


def _sql(session: Session, statement: str, **params) -> None:
    session.execute(text(statement), params)
    session.commit()


def test_chain_verifies_and_is_gapless(session):
    _append(session, 5, pii=Personal(ip="203.0.113.9", user_agent="UA", email="Ada@Example.com"))
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == trail.GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert rows[0].email == "ada@example.com"
    result = trail.verify(session)
    assert result.ok and result.checked == 5


def test_meta_keys_that_look_like_secrets_are_refused(session):
    for meta in ({"password": "x"}, {"nested": {"reset_token": "x"}}, {"code": "123456"}):
        with pytest.raises(ValueError, match="secret"):
            trail.record(session, "test.event", meta=meta)
    assert session.exec(select(AuditEvent)).first() is None


def test_action_names_are_checked(session):
    with pytest.raises(ValueError):
        trail.record(session, "DROP TABLE audit_event; --")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'test.forged' WHERE seq = 2",
        "UPDATE audit_event SET meta = '{}' WHERE seq = 2",
        "UPDATE audit_event SET hash = prev_hash WHERE seq = 2",
        "UPDATE audit_event SET ip = '198.51.100.1' WHERE seq = 2",
        "DELETE FROM audit_event WHERE seq = 3",
        "DELETE FROM audit_event",
        "INSERT INTO audit_event (seq, created_at, action, target_type, target_id, meta, prev_hash, hash)"
        " VALUES (10, '2026-01-01 00:00:00', 'test.forged', '', '', '{}', 'x', 'y')",
    ],
)
def test_database_refuses_raw_edits(session, statement):
    _append(session, 3, pii=Personal(ip="203.0.113.9"))
    before = [tuple(r) for r in session.execute(text("SELECT * FROM audit_event ORDER BY seq"))]
    with pytest.raises(DatabaseError):
        _sql(session, statement)
    session.rollback()
    after = [tuple(r) for r in session.execute(text("SELECT * FROM audit_event ORDER BY seq"))]
    assert after == before


def test_truncate_is_refused_on_postgresql(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _append(session, 2)
    with pytest.raises(DatabaseError):
        _sql(session, "TRUNCATE audit_event")


def test_nulling_personal_part_is_allowed_and_chain_still_verifies(session):
    _append(session, 2, actor=7, pii=Personal(ip="203.0.113.9", user_agent="Firefox", email="a@b.co"))
    _append(session, 1, actor=8, pii=Personal(ip="203.0.113.10"))
    assert trail.erase_personal(session, user_id=7) == 2
    session.commit()
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(r.ip, r.user_agent, r.email) for r in rows[:2]] == [(None, None, None)] * 2
    assert rows[2].ip == "203.0.113.10"
    assert trail.verify(session).ok


def _drop_triggers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        _sql(session, "DROP TRIGGER audit_event_append_only ON audit_event")
    else:
        for name in ("update", "delete", "insert"):
            _sql(session, f"DROP TRIGGER audit_event_append_only_{name}")


def test_edit_with_triggers_dropped_is_reported_with_its_sequence_number(session):
    _append(session, 6)
    _drop_triggers(session)
    _sql(session, "UPDATE audit_event SET meta = :meta WHERE seq = 4", meta='{"n":99}')
    result = trail.verify(session)
    assert not result.ok and result.broken_seq == 4
    assert "hash" in result.reason


def test_deleted_row_with_triggers_dropped_is_reported(session):
    _append(session, 6)
    _drop_triggers(session)
    _sql(session, "DELETE FROM audit_event WHERE seq = 3")
    result = trail.verify(session)
    assert (result.ok, result.broken_seq) == (False, 3)


def test_deleting_the_oldest_rows_without_checkpoint_is_reported(session):
    _append(session, 4)
    _drop_triggers(session)
    _sql(session, "DELETE FROM audit_event WHERE seq <= 2")
    result = trail.verify(session)
    assert (result.ok, result.broken_seq) == (False, 3)


def test_wrong_key_fails_verification(session):
    _append(session, 2)
    assert trail.verify(session, key=b"another key").broken_seq == 1


def test_retention_purge_writes_checkpoint_and_chain_still_verifies(session):
    old = datetime(2023, 1, 1, tzinfo=UTC)
    for index in range(3):
        trail.record(session, "test.old", meta={"n": index}, clock=lambda at=old + timedelta(minutes=index): at)
    _append(session, 2)
    deleted = trail.purge_older_than(session, datetime(2024, 1, 1, tzinfo=UTC))
    session.commit()
    assert deleted == 3
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [r.seq for r in rows] == [4, 5, 6]
    checkpoint = rows[-1]
    assert checkpoint.action == CHECKPOINT_ACTION and checkpoint.checkpoint_through == 3
    assert trail.verify(session).ok
    # A second purge with nothing old is a no-op, and appending continues the chain.
    assert trail.purge_older_than(session, datetime(2024, 1, 1, tzinfo=UTC)) == 0
    _append(session, 1)
    assert trail.verify(session) == trail.VerifyResult(True, 4)


def test_raw_delete_of_rows_newer_than_the_checkpoint_is_still_refused(session):
    old = datetime(2023, 1, 1, tzinfo=UTC)
    trail.record(session, "test.old", clock=lambda: old)
    _append(session, 2)
    trail.purge_older_than(session, datetime(2024, 1, 1, tzinfo=UTC))
    session.commit()
    with pytest.raises(DatabaseError):
        _sql(session, "DELETE FROM audit_event WHERE seq = 2")


def _old_rows_then_purge_part(session: Session, *, old: int, limit: int) -> None:
    """``old`` events from 2023, two recent ones, then one batch of a purge in batches."""
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for index in range(old):
        trail.record(session, "test.old", meta={"n": index}, clock=lambda at=start + timedelta(minutes=index): at)
    _append(session, 2)
    assert trail.purge_older_than(session, datetime(2024, 1, 1, tzinfo=UTC), limit=limit) == limit
    session.commit()


def test_a_purge_stopped_between_batches_still_verifies_and_the_next_batch_continues(session):
    _old_rows_then_purge_part(session, old=5, limit=2)
    assert [r.seq for r in session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()] == [3, 4, 5, 6, 7, 8]
    assert trail.verify(session) == trail.VerifyResult(True, 6)

    assert trail.purge_older_than(session, datetime(2024, 1, 1, tzinfo=UTC), limit=2) == 2
    assert trail.purge_older_than(session, datetime(2024, 1, 1, tzinfo=UTC), limit=2) == 1
    assert trail.purge_older_than(session, datetime(2024, 1, 1, tzinfo=UTC), limit=2) == 0
    session.commit()
    assert [r.seq for r in session.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()] == [6, 7, 8]
    checkpoints = session.exec(select(AuditEvent).where(AuditEvent.action == CHECKPOINT_ACTION)).all()
    assert [c.checkpoint_through for c in checkpoints] == [5]  # one checkpoint for the whole purge
    assert trail.verify(session).ok


def test_a_row_removed_from_the_middle_of_a_part_done_purge_is_reported(session):
    _old_rows_then_purge_part(session, old=5, limit=2)
    _drop_triggers(session)
    _sql(session, "DELETE FROM audit_event WHERE seq = 4")
    assert trail.verify(session) == trail.VerifyResult(False, 1, 4, "row is missing")


def test_a_forged_tail_of_a_part_done_purge_does_not_match_the_checkpoint(session):
    """Rows left up to the checkpoint are trusted only as far as they lead to its anchor."""
    _old_rows_then_purge_part(session, old=5, limit=2)
    _drop_triggers(session)
    _sql(session, "UPDATE audit_event SET hash = :fake WHERE seq = 5", fake="f" * 64)
    result = trail.verify(session)
    assert (result.ok, result.broken_seq) == (False, 5)


def _append_in_thread(count: int, errors: list[BaseException]) -> None:
    try:
        for index in range(count):
            with db.session_scope() as s:
                trail.record(s, "test.concurrent", meta={"n": index})
    except BaseException as error:  # pragma: no cover - reported by the test
        errors.append(error)


def _append_in_process(url: str, count: int) -> None:
    os.environ["FLUXENT_DATABASE_URL"] = url
    from fluxent.core.settings import reset_settings

    reset_settings()
    db.dispose_engines()
    for index in range(count):
        with db.session_scope() as s:
            trail.record(s, "test.concurrent", meta={"pid": os.getpid(), "n": index})


def test_concurrent_appends_from_threads_and_processes_form_one_gapless_chain(database):
    threads_count, processes_count, each = 4, 3, 25
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_append_in_thread, args=(each, errors)) for _ in range(threads_count)]
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_append_in_process, args=(database, each)) for _ in range(processes_count)]
    for worker in [*threads, *processes]:
        worker.start()
    for thread in threads:
        thread.join(120)
    for process in processes:
        process.join(120)
    assert not errors
    assert [p.exitcode for p in processes] == [0] * processes_count
    expected = (threads_count + processes_count) * each
    with db.session_scope() as s:
        seqs = [row[0] for row in s.execute(text("SELECT seq FROM audit_event ORDER BY seq"))]
        assert seqs == list(range(1, expected + 1))
        assert trail.verify(s) == trail.VerifyResult(True, expected)
