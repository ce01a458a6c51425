"""Retention jobs: leads idle 24 months are archived, audit events older than 2 years go,
a failing job changes nothing of its own and does not stop the others."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from sqlalchemy import func, select

from fluxent.models.audit import AuditEvent
from fluxent.models.marketing import Lead, LeadStatus
from fluxent.services.audit import trail
from fluxent.services.marketing import leads
from fluxent.services.privacy import retention
from tests.support.auth import IP
from tests.support.marketing import lead_form


def _lead_status(session, lead_id: int) -> LeadStatus:
    """Read in a transaction of its own: on SQLite an open one would hold the write lock the jobs need."""
    session.rollback()
    session.expire_all()
    status = session.get(Lead, lead_id).status
    session.rollback()
    return status


def test_the_jobs_keep_the_policy_promises(session, outbox, clock):
    lead = leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    trail.record(session, "accounts.login_failed", clock=clock)
    session.commit()
    clock.advance(days=731)
    trail.record(session, "accounts.login_failed", clock=clock)
    session.commit()

    outcomes = {outcome.job.name: outcome for outcome in retention.run_jobs(clock=clock)}

    assert (outcomes["archive-leads"].count, outcomes["archive-leads"].error) == (1, "")
    assert outcomes["purge-audit"].count >= 1 and not outcomes["purge-audit"].error
    assert _lead_status(session, lead.id) == LeadStatus.ARCHIVED
    oldest = session.scalar(select(func.min(AuditEvent.created_at)).where(AuditEvent.action != trail.CHECKPOINT_ACTION))
    assert clock() - oldest.replace(tzinfo=clock().tzinfo) <= retention.AUDIT_RETENTION
    assert trail.verify(session).ok
    session.rollback()
    # Idempotent: a second run finds nothing left to do.
    assert [outcome.count for outcome in retention.run_jobs(clock=clock)] == [0, 0, 0, 0]


def test_a_failing_job_leaves_its_work_undone_and_the_next_job_runs(session, outbox, clock):
    lead = leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    session.commit()
    clock.advance(days=731)

    def archive_then_fail(db, job_clock):
        leads.archive_inactive(db, clock=job_clock)
        raise RuntimeError("disk full")

    failing = retention.Job("breaks", "nothing", archive_then_fail)
    outcomes = retention.run_jobs((failing, retention.JOBS[0]), clock=clock)

    assert outcomes[0].error == "RuntimeError: disk full" and outcomes[0].count == 0
    assert outcomes[1].count == 1  # the real job ran after the failure, on a clean transaction
    assert _lead_status(session, lead.id) == LeadStatus.ARCHIVED


def test_the_app_loop_runs_the_jobs_at_start(session, outbox, clock):
    lead = leads.submit(session, lead_form(clock), ip=IP, clock=clock)
    lead.last_activity_at -= timedelta(days=800)
    session.add(lead)
    session.commit()

    async def start_then_stop() -> None:
        task = asyncio.create_task(retention.run_every(24))
        for _ in range(200):
            await asyncio.sleep(0.05)
            if _lead_status(session, lead.id) == LeadStatus.ARCHIVED:
                break
        task.cancel()

    # A thread of its own: the browser tests' driver may keep an event loop running in this one.
    runner = threading.Thread(target=asyncio.run, args=(start_then_stop(),))
    runner.start()
    runner.join(timeout=30)
    assert _lead_status(session, lead.id) == LeadStatus.ARCHIVED
