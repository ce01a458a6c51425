"""The retention table applied to one person: what we hold about them, why, and on which date
each part goes, for the portal's privacy centre.

Dates come from the person's own rows and the same periods the retention jobs use
(``retention_rules``, ``accounts.archival``, ``billing.retention``), so the page says what the
jobs will do. A date is the day the job may act; the job runs on schedule after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.settings import get_settings
from fluxent.models.accounts import Membership, Role, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession
from fluxent.models.billing import Invoice, InvoiceStatus
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.models.marketing import Lead, LeadNote, LeadStatus
from fluxent.models.vault import VaultItem
from fluxent.services.accounts import archival
from fluxent.services.auth import sessions
from fluxent.services.billing import access as billing_access
from fluxent.services.billing.retention import KEEP_YEARS
from fluxent.services.marketing.leads import INACTIVITY_LIMIT
from fluxent.services.privacy.entries import default_registry
from fluxent.services.privacy.retention_rules import AUDIT_KEPT, SESSION_TRACES_KEPT


@dataclass(frozen=True)
class Dated:
    """One part of a category: ``label`` followed by the date ``on``, or a sentence alone when ``on`` is None."""

    label: str
    on: date | None = None


@dataclass(frozen=True)
class DatedCategory:
    title: str
    basis: str
    rule: str
    parts: tuple[Dated, ...]


def retention_dates(session: Session, *, user: User, clock: Clock = now) -> list[DatedCategory]:
    """Each category of data held about ``user``, once, with its legal basis, its rule in plain
    words and the dates its parts go; categories with nothing held are left out."""
    moment = clock()
    return [
        category
        for category in (
            _account(session, user, moment),
            _sign_ins(session, user, moment),
            _audit(session, user),
            _enquiries(session, user, moment),
            _invoices(session, user),
            _vault(session, user),
        )
        if category is not None
    ]


def _basis(table: str) -> str:
    registration = default_registry().get(table)
    if registration is None:
        raise LookupError(f"{table!r} is not in the privacy registry")
    return registration.basis.label


def _account(session: Session, user: User, moment: datetime) -> DatedCategory:
    if user.role != Role.CLIENT:
        return DatedCategory(
            "Your account", _basis("account_user"), "Kept while you work at Fluxent.", (Dated("No date: it has none."),)
        )
    months = get_settings().account_archive_months
    archived_on = archival.archival_date(session, user=user, moment=moment)
    part = (
        Dated("Archived on", archived_on.date())
        if archived_on is not None
        else Dated("No date yet: it is set once all your engagements have closed.")
    )
    return DatedCategory(
        "Your account",
        _basis("account_user"),
        f"Kept while your engagements run, then archived {months} months after the last one closes. "
        "We e-mail you 30 days before.",
        (part,),
    )


def _sign_ins(session: Session, user: User, moment: datetime) -> DatedCategory | None:
    rows = session.exec(
        select(AuthSession).where(
            AuthSession.user_id == user.id, or_(AuthSession.ip != "", AuthSession.user_agent != "")
        )
    ).all()
    if not rows:
        return None
    ends = [sessions.ended_at(row) for row in rows]
    ended = [end for end in ends if end <= moment]
    parts = []
    if ended:
        parts.append(Dated("Your earliest ended sign-in loses them on", (min(ended) + SESSION_TRACES_KEPT).date()))
    open_now = len(ends) - len(ended)
    if open_now:
        several = open_now > 1
        parts.append(
            Dated(
                f"{open_now} sign-in{'s' if several else ''} still open: removed {SESSION_TRACES_KEPT.days} days "
                f"after {'each' if several else 'it'} ends."
            )
        )
    return DatedCategory(
        "Your sign-ins",
        _basis("auth_session"),
        f"The IP address and browser of each sign-in are removed {SESSION_TRACES_KEPT.days} days after it ends.",
        tuple(parts),
    )


def _audit(session: Session, user: User) -> DatedCategory | None:
    about = or_(
        AuditEvent.actor_id == user.id,
        and_(AuditEvent.target_type == "user", AuditEvent.target_id == str(user.id)),
        AuditEvent.email == user.email,
    )
    earliest = session.exec(select(func.min(AuditEvent.created_at)).where(about)).first()
    if earliest is None:
        return None
    return DatedCategory(
        "Audit-log entries about you",
        _basis("audit_event"),
        f"Each entry is deleted {AUDIT_KEPT.days // 365} years after the event it records.",
        (Dated("Your earliest entry is deleted on", (earliest + AUDIT_KEPT).date()),),
    )


def _enquiries(session: Session, user: User, moment: datetime) -> DatedCategory | None:
    leads = session.exec(select(Lead).where(func.lower(Lead.email) == user.email.lower()).order_by(col(Lead.id))).all()
    if not leads:
        return None
    parts = [
        Dated("An enquiry you sent is archived and kept as its record.")
        if lead.status == LeadStatus.ARCHIVED
        else Dated("An enquiry you sent is archived on", _lead_archived_on(session, lead, moment))
        for lead in leads
    ]
    months = INACTIVITY_LIMIT.days // 365 * 12
    return DatedCategory(
        "Your enquiries",
        _basis("marketing_lead"),
        f"An enquiry is archived {months} months after its last activity, or once the engagement it led to "
        "closes, whichever comes first.",
        tuple(parts),
    )


def _lead_archived_on(session: Session, lead: Lead, moment: datetime) -> date:
    """The day ``leads.archive_due`` archives the lead: now when its engagement has closed."""
    if lead.organization_id is not None:
        first = session.exec(
            select(Engagement).where(Engagement.organization_id == lead.organization_id).order_by(col(Engagement.id))
        ).first()
        if first is not None and first.status == EngagementStatus.CLOSED:
            return moment.date()
    noted = session.exec(select(func.max(LeadNote.created_at)).where(LeadNote.lead_id == lead.id)).first()
    last = max(lead.last_activity_at, noted) if noted is not None else lead.last_activity_at
    return (last + INACTIVITY_LIMIT).date()


def _invoices(session: Session, user: User) -> DatedCategory | None:
    organization_ids = billing_access.billing_organization_ids(session, user)
    if not organization_ids:  # None: staff, whose invoices are not theirs
        return None
    years = [
        fiscal_year if fiscal_year is not None else created_at.year
        for fiscal_year, created_at in session.exec(
            select(Invoice.fiscal_year, Invoice.created_at).where(
                col(Invoice.organization_id).in_(organization_ids), Invoice.status != InvoiceStatus.DRAFT
            )
        ).all()
    ]
    if not years:
        return None
    return DatedCategory(
        "Invoices with your billing details",
        _basis("billing_invoice"),
        f"Kept {KEEP_YEARS} years after the end of the year they belong to, as US tax rules require, then deleted.",
        (Dated("The earliest is deleted on", date(min(years) + KEEP_YEARS + 1, 1, 1)),),
    )


def _vault(session: Session, user: User) -> DatedCategory | None:
    member_of = select(Membership.organization_id).where(Membership.user_id == user.id)
    open_items = session.exec(
        select(func.count(), func.count(func.distinct(VaultItem.engagement_id)))
        .select_from(VaultItem)
        .join(Engagement, Engagement.id == VaultItem.engagement_id)
        .where(col(VaultItem.organization_id).in_(member_of), Engagement.status != EngagementStatus.CLOSED)
    ).one()
    items, vaults = open_items
    if not items:
        return None
    return DatedCategory(
        "Your credential vault",
        _basis("vault_item"),
        "Encrypted, and deleted when its engagement closes or when an owner deletes the vault.",
        (
            Dated(
                f"{items} item{'s' if items > 1 else ''} in {vaults} vault{'s' if vaults > 1 else ''}: "
                "no date while the engagement is open."
            ),
        ),
    )
