"""Payment reminders for open invoices: 3 days before the due date, on it, and 7 days after.

``python -m fluxent billing remind`` runs it (daily, from cron or a scheduler). Each stage
is sent once per invoice (``Invoice.reminder_stage``); a run that was missed sends only the
latest stage that applies, never a burst of stale ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session

from fluxent.models.billing import Invoice, InvoiceStatus
from fluxent.routes import portal_invoice
from fluxent.services.billing import emails
from fluxent.services.notifications import Kind, notify_each

STAGES = ("", "before", "due", "after")


@dataclass(frozen=True)
class Reminder:
    invoice_id: int
    number: str
    stage: str


def stage_for(due: date, today: date) -> str:
    if today >= due + timedelta(days=7):
        return "after"
    if today == due:
        return "due"
    if due - timedelta(days=3) <= today < due:
        return "before"
    return ""


def send_reminders(session: Session, *, today: date) -> list[Reminder]:
    sent: list[Reminder] = []
    for invoice in session.scalars(
        select(Invoice).where(Invoice.status == InvoiceStatus.OPEN, Invoice.due_date.is_not(None)).with_for_update()
    ):
        stage = stage_for(invoice.due_date, today)
        if STAGES.index(stage) <= STAGES.index(invoice.reminder_stage):
            continue
        wanting_mail = notify_each(
            session,
            emails.billing_people(session, invoice.organization_id),
            Kind.INVOICE_OVERDUE if stage == "after" else Kind.INVOICE_DUE,
            f"Invoice {invoice.number} " + ("is overdue" if stage == "after" else "is due soon"),
            portal_invoice(invoice.id),
        )
        emails.payment_reminder(session, invoice, stage, wanting_mail)
        invoice.reminder_stage = stage
        session.add(invoice)
        sent.append(Reminder(invoice.id, invoice.number, stage))
    session.flush()
    return sent
