"""Retention jobs: what the privacy policy's retention table promises, done on schedule.

Each job is idempotent and runs in its own transaction, so one failing job neither
stops the others nor leaves half its work behind. The app runs them once at start and
then every ``FLUXENT_RETENTION_EVERY_HOURS`` (0 turns the loop off, for operators who
run ``python -m fluxent retention`` from cron instead). Each area adds its jobs to ``JOBS``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import session_scope
from fluxent.services.audit import trail
from fluxent.services.billing import retention as billing_retention
from fluxent.services.marketing import leads
from fluxent.services.vault import offboarding as vault_offboarding

logger = logging.getLogger(__name__)

AUDIT_RETENTION = timedelta(days=730)


@dataclass(frozen=True)
class Job:
    name: str
    # What the number it returns counts, e.g. "leads archived".
    counts: str
    run: Callable[[Session, Clock], int]


@dataclass(frozen=True)
class Outcome:
    job: Job
    count: int = 0
    error: str = ""


JOBS: tuple[Job, ...] = (
    Job(
        "archive-leads",
        "leads archived after 24 months without activity",
        lambda session, clock: leads.archive_inactive(session, clock=clock),
    ),
    Job(
        "purge-audit",
        "audit events older than 2 years deleted",
        lambda session, clock: trail.purge_older_than(session, clock() - AUDIT_RETENTION, clock=clock),
    ),
    Job(
        "purge-billing",
        "invoices deleted 7 years after the end of their fiscal year",
        lambda session, clock: billing_retention.purge_expired(session, clock=clock),
    ),
    Job(
        "shred-closed-vaults",
        "vaults of closed engagements crypto-shredded (the close hook does it at once; this catches any left)",
        lambda session, clock: vault_offboarding.shred_closed(session, clock=clock),
    ),
)


def run_jobs(jobs: tuple[Job, ...] = JOBS, *, clock: Clock = now) -> list[Outcome]:
    outcomes = []
    for job in jobs:
        try:
            with session_scope() as session:
                outcomes.append(Outcome(job, job.run(session, clock)))
        except Exception as error:  # one failing job must not stop the others; it is reported and retried next run
            logger.exception("retention job %s failed", job.name)
            outcomes.append(Outcome(job, error=f"{type(error).__name__}: {error}"))
    return outcomes


async def run_every(hours: float) -> None:
    """Run the jobs now and then every ``hours``, off the event loop (a Reflex lifespan task)."""
    while True:
        for outcome in await asyncio.to_thread(run_jobs):
            if outcome.count:
                logger.info("retention: %s %s", outcome.count, outcome.job.counts)
        await asyncio.sleep(hours * 3600)
