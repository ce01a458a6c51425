"""Retention runs: the retention table (``retention_rules``) kept on schedule.

One job per rule. A job works in batches of ``BATCH`` rows, each in its own short
transaction, so a run over millions of rows holds no lock for long and keeps memory flat;
a failing job keeps the batches it finished (each is complete on its own), is reported,
and does not stop the others. Every job is idempotent: the next run picks up the rest.

A real run first takes the database lease ``retention``: however many app processes
or cron entries start one, only one runs at a time and the others report that they
skipped. It ends by writing an audit event with its counts. A dry run takes no lease,
changes nothing, and counts what a real run would do now.

The app runs it at start and then every ``FLUXENT_RETENTION_EVERY_HOURS`` (0 turns the
loop off, for operators who run ``python -m fluxent retention`` from cron instead).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from fluxent.core import email
from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.services import lease
from fluxent.services.accounts import archival
from fluxent.services.audit import trail
from fluxent.services.auth import one_time, sessions, throttle
from fluxent.services.billing import retention as billing_retention
from fluxent.services.marketing import leads
from fluxent.services.notifications import centre as notifications
from fluxent.services.privacy import requests as privacy_requests
from fluxent.services.privacy.retention_rules import (
    AUDIT_KEPT,
    OUTBOX_KEPT,
    SESSION_TRACES_KEPT,
    Rule,
    rule,
)
from fluxent.services.vault import offboarding as vault_offboarding

logger = logging.getLogger(__name__)

BATCH = 5000
LEASE = "retention"
LEASE_TTL = timedelta(minutes=30)
RUN_ACTION = "privacy.retention_run"


@dataclass(frozen=True)
class Job:
    """``due`` counts what would go at ``moment``; ``step`` does up to ``limit`` of it and
    returns how many it did (fewer than ``limit``: nothing left)."""

    rule: Rule
    due: Callable[[Session, datetime], int]
    step: Callable[[Session, datetime, int], int]

    @property
    def name(self) -> str:
        return self.rule.key


@dataclass(frozen=True)
class Outcome:
    job: Job
    count: int = 0
    error: str = ""

    def describe(self, *, dry_run: bool = False) -> str:
        if self.error:
            return f"{self.job.name}: FAILED ({self.error})"
        verb = f"would be {self.job.rule.done}" if dry_run else self.job.rule.done
        return f"{self.job.name}: {self.count} {self.job.rule.what} {verb}"


@dataclass(frozen=True)
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    # Another process held the lease: this run did nothing.
    skipped: bool = False

    @property
    def failed(self) -> bool:
        return any(outcome.error for outcome in self.outcomes)

    def lines(self) -> list[str]:
        if self.skipped:
            return ["retention: another run is in progress; skipped"]
        head = ["Dry run: nothing was changed."] if self.dry_run else []
        return head + [outcome.describe(dry_run=self.dry_run) for outcome in self.outcomes]


def _at(moment: datetime) -> Clock:
    return lambda: moment


JOBS: tuple[Job, ...] = (
    Job(
        rule("purge-one-time-codes"),
        lambda session, moment: one_time.count_spent(session, moment=moment),
        lambda session, moment, limit: one_time.purge_spent(session, moment=moment, limit=limit),
    ),
    Job(
        rule("forget-session-traces"),
        lambda session, moment: sessions.count_traced(session, ended_before=moment - SESSION_TRACES_KEPT),
        lambda session, moment, limit: sessions.forget_traces(
            session, ended_before=moment - SESSION_TRACES_KEPT, limit=limit
        ),
    ),
    Job(
        rule("purge-throttles"),
        lambda session, moment: throttle.count_quiet(session, moment=moment),
        lambda session, moment, limit: throttle.purge(session, moment=moment, limit=limit),
    ),
    Job(
        rule("archive-leads"),
        lambda session, moment: leads.count_due_for_archive(session, clock=_at(moment)),
        lambda session, moment, _limit: leads.archive_due(session, clock=_at(moment)),
    ),
    Job(
        rule("notify-accounts"),
        lambda session, moment: archival.count_notices_due(session, moment=moment),
        lambda session, moment, limit: archival.send_notices(session, moment=moment, limit=limit),
    ),
    Job(
        rule("archive-accounts"),
        lambda session, moment: archival.count_archives_due(session, moment=moment),
        lambda session, moment, limit: archival.archive_accounts(session, moment=moment, limit=limit),
    ),
    Job(
        rule("purge-audit"),
        lambda session, moment: trail.count_older_than(session, moment - AUDIT_KEPT),
        lambda session, moment, limit: trail.purge_older_than(
            session, moment - AUDIT_KEPT, limit=limit, clock=_at(moment)
        ),
    ),
    Job(
        rule("purge-billing"),
        lambda session, moment: billing_retention.count_expired(session, clock=_at(moment)),
        lambda session, moment, _limit: billing_retention.purge_expired(session, clock=_at(moment)),
    ),
    Job(
        rule("purge-outbox"),
        lambda _session, moment: len(email.outbox_files_before(moment - OUTBOX_KEPT)),
        lambda _session, moment, limit: email.purge_outbox(before=moment - OUTBOX_KEPT, limit=limit),
    ),
    Job(
        rule("purge-notifications"),
        lambda session, moment: notifications.count_expired(session, moment=moment),
        lambda session, moment, limit: notifications.purge_expired(session, moment=moment, limit=limit),
    ),
    Job(
        rule("purge-unconfirmed-requests"),
        lambda session, moment: privacy_requests.count_unconfirmed(session, moment=moment),
        lambda session, moment, limit: privacy_requests.purge_unconfirmed(session, moment=moment, limit=limit),
    ),
    Job(
        rule("shred-closed-vaults"),
        lambda session, _moment: vault_offboarding.count_closed(session),
        lambda session, moment, limit: vault_offboarding.shred_closed(session, limit=limit, clock=_at(moment)),
    ),
)


def run(jobs: tuple[Job, ...] = JOBS, *, dry_run: bool = False, clock: Clock = now, batch: int = BATCH) -> Report:
    """Run the jobs (or, with ``dry_run``, count what they would do) as of ``clock()``."""
    moment = clock()
    if dry_run:
        return Report([_count(job, moment) for job in jobs], dry_run=True)
    holder = lease.new_holder()
    if not lease.acquire(LEASE, holder=holder, ttl=LEASE_TTL):
        logger.info("retention: another run holds the lease; skipped")
        return Report(skipped=True)
    try:
        outcomes = []
        for job in jobs:
            outcomes.append(_run_job(job, moment, batch))
            if not lease.renew(LEASE, holder=holder, ttl=LEASE_TTL):
                logger.warning("retention: the lease expired during %s; another run may have started", job.name)
        _audit(outcomes, moment)
        return Report(outcomes)
    finally:
        lease.release(LEASE, holder=holder)


def _count(job: Job, moment: datetime) -> Outcome:
    try:
        with read_scope() as session:
            return Outcome(job, job.due(session, moment))
    except Exception as error:  # a dry run reports every job, also after one fails
        logger.exception("retention dry run of %s failed", job.name)
        return Outcome(job, error=f"{type(error).__name__}: {error}")


def _run_job(job: Job, moment: datetime, batch: int) -> Outcome:
    total = 0
    try:
        while True:
            with session_scope() as session:
                done = job.step(session, moment, batch)
            total += done
            if done < batch:
                return Outcome(job, total)
    except Exception as error:  # one failing job must not stop the others; it is reported and retried next run
        logger.exception("retention job %s failed", job.name)
        return Outcome(job, total, error=f"{type(error).__name__}: {error}")


def _audit(outcomes: list[Outcome], moment: datetime) -> None:
    with session_scope() as session:
        trail.record(
            session,
            RUN_ACTION,
            meta={
                "counts": {outcome.job.name: outcome.count for outcome in outcomes},
                "failed": [outcome.job.name for outcome in outcomes if outcome.error],
            },
            clock=_at(moment),
        )


async def run_every(hours: float) -> None:
    """Run now and then every ``hours``, off the event loop (a Reflex lifespan task)."""
    while True:
        try:
            report = await asyncio.to_thread(run)
        except Exception:  # e.g. the database busy when taking the lease: the loop must survive to the next run
            logger.exception("retention run could not start")
        else:
            for outcome in report.outcomes:
                if outcome.count or outcome.error:
                    logger.info("retention: %s", outcome.describe())
        await asyncio.sleep(hours * 3600)
