"""The scheduled side of e-signature (``python -m fluxent esign reminders``): sent
envelopes past their expiry become ``expired``; the others remind their pending
signers every ``remind_every_days`` days. Envelopes everyone has signed are left to
``completion.complete_stuck``, which the command runs first. Idempotent: a second run at the same
moment does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.models.esign import Envelope, EnvelopeStatus, SignerStatus
from fluxent.services.audit import trail
from fluxent.services.esign import envelopes


@dataclass(frozen=True)
class ReminderRun:
    expired: int
    reminded_envelopes: int
    reminded_signers: int


def run(session: Session, *, clock: Clock = now) -> ReminderRun:
    moment = clock()
    expired = reminded = signers = 0
    open_ones = session.scalars(
        select(Envelope).where(Envelope.status == EnvelopeStatus.SENT).order_by(Envelope.id)
    ).all()
    for envelope in open_ones:
        if not any(signer.status != SignerStatus.SIGNED for signer in envelopes.signers_of(session, envelope.id)):
            continue  # signed by everyone: completing it is not this run's business
        if envelope.expires_at <= moment:
            envelopes.end(session, envelope, EnvelopeStatus.EXPIRED, clock=clock)
            trail.record(session, "esign.expired", target=envelope, organization=envelope.organization_id, clock=clock)
            expired += 1
            continue
        if envelope.remind_every_days <= 0:
            continue
        last = envelope.last_reminded_at or envelope.sent_at or envelope.created_at
        if moment - last >= timedelta(days=envelope.remind_every_days):
            signers += envelopes.remind(session, actor=None, envelope_id=envelope.id, clock=clock, automatic=True)
            reminded += 1
    return ReminderRun(expired=expired, reminded_envelopes=reminded, reminded_signers=signers)
