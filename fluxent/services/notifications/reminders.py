"""Every scheduled reminder, once (``python -m fluxent reminders run``; run it hourly or daily).

- a milestone waiting 3 days for the client's decision: its owners are reminded, once per submission;
- an invitation that expires within a day unused: whoever sent it is told, once;
- open signature requests: ``services.esign.reminders`` (and the envelopes everyone signed are completed);
- invoices due and overdue: ``services.billing.reminders``.

A run takes the database lease ``reminders`` first, so however many app processes run the
command only one works at a time; the others skip. The first two record each stage sent in
``reminder_sent`` (claimed by a unique insert before anything is sent), the other two keep
their own record, so a stage never goes twice even to runs that overlap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.dates import moment
from fluxent.core.db import insert_unless_present, session_scope
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.models.notifications import ReminderSent
from fluxent.routes import ADMIN_STAFF, PORTAL_ENGAGEMENTS, admin_organization
from fluxent.services import lease
from fluxent.services.auth import one_time
from fluxent.services.billing import reminders as billing_reminders
from fluxent.services.esign import completion
from fluxent.services.esign import reminders as esign_reminders
from fluxent.services.notifications.centre import notify, notify_each
from fluxent.services.notifications.kinds import Kind
from fluxent.services.portal.milestones import deciders

logger = logging.getLogger(__name__)

LEASE = "reminders"
LEASE_TTL = timedelta(minutes=30)
DECISION_WAIT = timedelta(days=3)
INVITATION_WARNING = timedelta(days=1)


@dataclass(frozen=True)
class RemindersRun:
    ran: bool  # False: another process held the lease
    milestones: int = 0
    invitations: int = 0
    envelopes: int = 0
    invoices: int = 0

    def lines(self) -> list[str]:
        if not self.ran:
            return ["Another run holds the reminders lease; nothing done."]
        return [
            f"{self.milestones} milestone(s) waiting for a decision reminded",
            f"{self.invitations} expiring invitation(s) reminded",
            f"{self.envelopes} signature request(s) reminded",
            f"{self.invoices} invoice reminder(s) sent",
        ]


def claim(session: Session, subject: str, subject_id: int, stage: str, *, clock: Clock = now) -> bool:
    """Record that ``stage`` of ``subject`` goes now; False when it already went (or another run just sent it)."""
    return insert_unless_present(
        session,
        ReminderSent,
        {"subject": subject, "subject_id": subject_id, "stage": stage, "sent_at": clock()},
        unique=["subject", "subject_id", "stage"],
    )


def remind_waiting_milestones(session: Session, *, clock: Clock = now) -> int:
    moment = clock()
    waiting = session.execute(
        select(Milestone, Engagement)
        .join(Engagement, Engagement.id == Milestone.engagement_id)
        .where(
            Milestone.status == MilestoneStatus.SUBMITTED,
            Engagement.status == EngagementStatus.ACTIVE,
            Milestone.submitted_at <= moment - DECISION_WAIT,
        )
        .order_by(Milestone.id)
    ).all()
    reminded = 0
    for milestone, engagement in waiting:
        # One reminder per submission: a milestone sent back and submitted again waits anew.
        # The submission's time to the microsecond: a resubmission within the same second is another.
        submitted = round(milestone.submitted_at.timestamp() * 1_000_000)
        if not claim(session, "milestone", milestone.id, f"waiting@{submitted}", clock=clock):
            continue
        days = (moment - milestone.submitted_at).days
        notify_each(
            session,
            deciders(session, engagement.organization_id),
            Kind.MILESTONE_REMINDER,
            f"Reminder: \u201c{milestone.title}\u201d of {engagement.title} has waited {days} days for your decision",
            PORTAL_ENGAGEMENTS,
            mail=True,
            clock=clock,
        )
        reminded += 1
    return reminded


def remind_expiring_invitations(session: Session, *, clock: Clock = now) -> int:
    reminded = 0
    for invitation in one_time.invitations_expiring(session, within=INVITATION_WARNING, clock=clock):
        inviter = one_time.payload_of(invitation).get("invited_by")
        if not inviter or not claim(session, "invitation", invitation.id, "expiring", clock=clock):
            continue
        link = admin_organization(invitation.organization_id) if invitation.organization_id else ADMIN_STAFF
        title = f"Your invitation to {invitation.email} expires {moment(invitation.expires_at)} unused"
        notify(session, inviter, Kind.INVITATION_EXPIRING, title, link, clock=clock)
        reminded += 1
    return reminded


def run_all(*, clock: Clock = now) -> RemindersRun:
    """Run every reminder once under the lease; each kind in its own transaction."""
    holder = lease.new_holder()
    if not lease.acquire(LEASE, holder=holder, ttl=LEASE_TTL, clock=clock):
        logger.info("reminders: another run holds the lease; skipped")
        return RemindersRun(ran=False)
    try:
        with session_scope() as session:
            milestones = remind_waiting_milestones(session, clock=clock)
        with session_scope() as session:
            invitations = remind_expiring_invitations(session, clock=clock)
        completion.complete_stuck(clock=clock)
        with session_scope() as session:
            envelopes = esign_reminders.run(session, clock=clock).reminded_signers
        with session_scope() as session:
            invoices = len(billing_reminders.send_reminders(session, today=clock().date()))
    finally:
        lease.release(LEASE, holder=holder)
    return RemindersRun(True, milestones, invitations, envelopes, invoices)
