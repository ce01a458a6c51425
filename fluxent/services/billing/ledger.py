"""The fixed-price ledger of an engagement: fixed price, accepted, invoiced and paid.

Amounts are before tax, in the engagement's currency. Every invoice that is not void
(drafts included) counts against the fixed price, so the total invoiced for an engagement
can never pass it (``require_room``).

A disputed card payment shows as ``disputed`` while the dispute is open (Stripe holds the
money); a lost dispute's amount and refunded amounts are taken off ``paid`` (``refunded``
shows the refunds). Dispute and refund amounts include tax, so the ledger counts the
invoice's pre-tax share of them, and never more than the invoice's subtotal in all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core.errors import Conflict
from fluxent.models.billing import DISPUTE_CLOSED, Invoice, InvoiceStatus
from fluxent.models.engagements import Engagement, Milestone, MilestoneStatus

S = InvoiceStatus
ISSUED = (S.OPEN, S.PAID, S.UNCOLLECTIBLE)


@dataclass(frozen=True)
class Ledger:
    engagement_id: int
    title: str
    organization_id: int
    currency: str
    fixed_price_minor: int
    accepted_minor: int
    drafted_minor: int
    invoiced_minor: int
    paid_minor: int
    disputed_minor: int = 0
    dispute_lost_minor: int = 0
    refunded_minor: int = 0

    @property
    def committed_minor(self) -> int:
        """Drafted and issued: what already counts against the fixed price."""
        return self.drafted_minor + self.invoiced_minor

    @property
    def remaining_minor(self) -> int:
        return self.fixed_price_minor - self.committed_minor


def ledger_for(session: Session, engagement: Engagement) -> Ledger:
    return ledgers_for(session, [engagement])[0]


def ledgers_for(session: Session, engagements: list[Engagement]) -> list[Ledger]:
    ids = [e.id for e in engagements]
    accepted = dict(
        session.execute(
            select(Milestone.engagement_id, func.sum(Milestone.amount_minor))
            .where(Milestone.engagement_id.in_(ids), Milestone.status == MilestoneStatus.ACCEPTED)
            .group_by(Milestone.engagement_id)
        ).all()
    )
    sums: dict[tuple[int, str], int] = {}
    for engagement_id, status, subtotal in session.execute(
        select(Invoice.engagement_id, Invoice.status, func.sum(Invoice.subtotal_minor))
        .where(Invoice.engagement_id.in_(ids), Invoice.status != S.VOID)
        .group_by(Invoice.engagement_id, Invoice.status)
    ).all():
        sums[(engagement_id, str(status))] = int(subtotal or 0)
    disputed: dict[int, int] = {}
    lost: dict[int, int] = {}
    refunded: dict[int, int] = {}
    for engagement_id, status, subtotal, total, dispute_amount, refund_amount in session.execute(
        select(
            Invoice.engagement_id,
            Invoice.dispute_status,
            Invoice.subtotal_minor,
            Invoice.total_minor,
            Invoice.dispute_amount_minor,
            Invoice.amount_refunded_minor,
        ).where(
            Invoice.engagement_id.in_(ids),
            Invoice.status == S.PAID,
            (Invoice.dispute_status != "") | (Invoice.amount_refunded_minor > 0),
        )
    ).all():
        refund_share = _pre_tax_share(refund_amount, subtotal, total, cap=subtotal)
        _add(refunded, engagement_id, refund_share)
        dispute_share = _pre_tax_share(dispute_amount, subtotal, total, cap=subtotal - refund_share)
        if status == "lost":
            _add(lost, engagement_id, dispute_share)
        elif status and status not in DISPUTE_CLOSED:
            _add(disputed, engagement_id, dispute_share)
    return [
        Ledger(
            engagement_id=e.id,
            title=e.title,
            organization_id=e.organization_id,
            currency=e.currency,
            fixed_price_minor=e.fixed_price_minor,
            accepted_minor=int(accepted.get(e.id) or 0),
            drafted_minor=sums.get((e.id, S.DRAFT), 0),
            invoiced_minor=sum(sums.get((e.id, s), 0) for s in ISSUED),
            paid_minor=sums.get((e.id, S.PAID), 0) - lost.get(e.id, 0) - refunded.get(e.id, 0),
            disputed_minor=disputed.get(e.id, 0),
            dispute_lost_minor=lost.get(e.id, 0),
            refunded_minor=refunded.get(e.id, 0),
        )
        for e in engagements
    ]


def _pre_tax_share(amount: int, subtotal: int, total: int, *, cap: int) -> int:
    """The pre-tax part of ``amount`` (which includes tax) of an invoice, at most ``cap``."""
    return min(cap, amount * subtotal // total) if total else 0


def _add(sums: dict[int, int], key: int, amount: int) -> None:
    sums[key] = sums.get(key, 0) + amount


def require_room(session: Session, engagement: Engagement, amount_minor: int, *, besides: int | None = None) -> None:
    """Conflict when invoicing ``amount_minor`` more would pass the engagement's fixed price.

    ``besides`` is an invoice already counted (one being issued) that is left out of the sum.
    """
    statement = select(func.coalesce(func.sum(Invoice.subtotal_minor), 0)).where(
        Invoice.engagement_id == engagement.id, Invoice.status != S.VOID
    )
    if besides is not None:
        statement = statement.where(Invoice.id != besides)
    committed = int(session.execute(statement).scalar_one())
    if committed + amount_minor > engagement.fixed_price_minor:
        remaining = engagement.fixed_price_minor - committed
        raise Conflict(
            f"That would invoice more than the engagement's fixed price: {remaining} "
            f"{engagement.currency} minor units are left to invoice, this invoice is {amount_minor}."
        )
