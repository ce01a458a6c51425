"""Billing records are kept 7 years after the end of the fiscal (calendar) year they belong to,
then deleted: the invoice with its lines, payments and receipts. A draft never issued belongs to the
year it was drafted in. Handled Stripe event ids go by the same cut-off. Run daily with the
other retention jobs (``services.privacy.retention``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, or_, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.models.billing import Invoice, InvoiceLine, Payment, ReceiptOutbox, StripeEvent

KEEP_YEARS = 7


def _expired(moment: datetime):
    last_expired_year = moment.year - KEEP_YEARS - 1  # 2026: the years up to 2018 have expired
    year_of_draft = func.extract("year", Invoice.created_at)
    return last_expired_year, or_(
        Invoice.fiscal_year <= last_expired_year,
        Invoice.fiscal_year.is_(None) & (year_of_draft <= last_expired_year),
    )


def count_expired(session: Session, *, clock: Clock = now) -> int:
    """How many invoices ``purge_expired`` would delete."""
    _year, expired = _expired(clock())
    return session.scalar(select(func.count()).select_from(Invoice).where(expired)) or 0


def purge_expired(session: Session, *, clock: Clock = now) -> int:
    """Delete the invoices whose fiscal year ended more than 7 years ago; returns how many."""
    last_expired_year, expired = _expired(clock())
    ids = list(session.scalars(select(Invoice.id).where(expired)))
    if ids:
        session.execute(delete(InvoiceLine).where(InvoiceLine.invoice_id.in_(ids)))
        session.execute(delete(Payment).where(Payment.invoice_id.in_(ids)))
        session.execute(delete(ReceiptOutbox).where(ReceiptOutbox.invoice_id.in_(ids)))
        session.execute(delete(Invoice).where(Invoice.id.in_(ids)))
    cutoff = datetime(last_expired_year + 1, 1, 1, tzinfo=UTC)
    session.execute(delete(StripeEvent).where(StripeEvent.received_at < cutoff))
    return len(ids)
