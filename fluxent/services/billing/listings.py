"""Typed rows for the billing pages (portal invoices, billing profile, staff billing), with the
rules applied once: who may pay, what is overdue, each engagement's ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from fluxent.core.errors import ValidationFailed
from fluxent.models.accounts import Membership, Organization, OrgRole, User
from fluxent.models.billing import Invoice, InvoiceStatus
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.services.accounts import authz
from fluxent.services.billing import access, invoices, ledger, payments, profiles
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate, search_needle

# The staff billing lists' status filters ("" for all of them).
PENDING_STATUSES = ("draft", "open", "overdue")
LEDGER_STATUSES = tuple(str(status) for status in EngagementStatus)


@dataclass(frozen=True)
class InvoiceLine:
    id: int
    number: str  # "Draft" before issue
    organization: str
    status: str
    currency: str
    total_minor: int
    issue_date: date | None
    due_date: date | None
    overdue: bool
    disputed: bool  # a dispute of its card payment is open


@dataclass(frozen=True)
class InvoiceItem:
    description: str
    quantity: int
    unit_amount_minor: int
    amount_minor: int


@dataclass(frozen=True)
class InvoiceDetail:
    line: InvoiceLine
    bill_to: list[str]
    items: list[InvoiceItem]
    tax_rate_bp: int
    subtotal_minor: int
    tax_minor: int
    amount_paid_minor: int
    amount_refunded_minor: int
    dispute_status: str  # the latest dispute's, "" when there was none
    dispute_amount_minor: int
    dispute_reason: str
    dispute_evidence_due_at: datetime | None
    memo: str
    can_pay: bool  # the viewer pays it (owner or billing contact) and it is open
    can_issue: bool  # staff, and a draft
    can_void: bool  # staff, and a draft or open
    can_write_off: bool  # staff, and open: it may be marked uncollectible


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    email: str
    billing_contact: bool


@dataclass(frozen=True)
class ProfileView:
    organization_id: int
    organization: str
    billing_email: str
    legal_name: str
    address: str
    tax_id: str
    members: list[Member]  # members who are not owners, for the billing-contact choice
    can_edit: bool


def _line(session: Session, invoice: Invoice, today: date, names: dict[int, str] | None = None) -> InvoiceLine:
    name = (names or {}).get(invoice.organization_id) or session.get(Organization, invoice.organization_id).name
    return InvoiceLine(
        id=invoice.id,
        number=invoice.number or "Draft",
        organization=name,
        status=str(invoice.status),
        currency=invoice.currency,
        total_minor=invoice.total_minor,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        overdue=invoices.is_overdue(invoice, today),
        disputed=invoice.disputed,
    )


def invoice_lines(
    session: Session, *, actor: User, today: date, organization_id: int | None = None, page_size: int = 50
) -> list[InvoiceLine]:
    page = invoices.list_invoices(session, actor=actor, organization_id=organization_id, page_size=page_size)
    names = dict(session.execute(select(Organization.id, Organization.name)).all()) if page.items else {}
    return [_line(session, invoice, today, names) for invoice in page.items]


def invoice_detail(session: Session, *, actor: User, invoice_id: int, today: date) -> InvoiceDetail:
    invoice = invoices.get_invoice(session, actor=actor, invoice_id=invoice_id)
    staff = authz.is_staff(actor)
    bill_to = [
        part for part in (invoice.bill_to_name, *invoice.bill_to_address.splitlines(), invoice.bill_to_email) if part
    ]
    if invoice.bill_to_tax_id:
        bill_to.append(f"Tax ID {invoice.bill_to_tax_id}")
    return InvoiceDetail(
        line=_line(session, invoice, today),
        bill_to=bill_to,
        items=[
            InvoiceItem(line.description, line.quantity, line.unit_amount_minor, line.amount_minor)
            for line in invoices.lines_of(session, invoice.id)
        ],
        tax_rate_bp=invoice.tax_rate_bp,
        subtotal_minor=invoice.subtotal_minor,
        tax_minor=invoice.tax_minor,
        amount_paid_minor=invoice.amount_paid_minor,
        amount_refunded_minor=invoice.amount_refunded_minor,
        dispute_status=invoice.dispute_status,
        dispute_amount_minor=invoice.dispute_amount_minor,
        dispute_reason=invoice.dispute_reason,
        dispute_evidence_due_at=invoice.dispute_evidence_due_at,
        memo=invoice.memo,
        can_pay=not staff and invoice.status in payments.PAYABLE,
        can_issue=staff and invoice.status == InvoiceStatus.DRAFT,
        can_void=staff and invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.OPEN),
        can_write_off=staff and invoice.status == InvoiceStatus.OPEN,
    )


def profile_view(session: Session, *, actor: User, organization_id: int) -> ProfileView:
    profile = profiles.get_profile(session, actor=actor, organization_id=organization_id)
    contacts = set(profiles.contact_ids(session, organization_id))
    members = session.execute(
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id, Membership.role == OrgRole.MEMBER)
        .order_by(User.name, User.id)
    ).all()
    membership = session.scalars(
        select(Membership).where(Membership.organization_id == organization_id, Membership.user_id == actor.id)
    ).first()
    return ProfileView(
        organization_id=organization_id,
        organization=session.get(Organization, organization_id).name,
        billing_email=profile.billing_email,
        legal_name=profile.legal_name,
        address=profile.address,
        tax_id=profile.tax_id,
        members=[Member(uid, name, email, uid in contacts) for uid, name, email in members],
        can_edit=membership is not None and membership.role == OrgRole.OWNER,
    )


def billable_organizations(session: Session, *, actor: User) -> list[tuple[int, str]]:
    """The organizations whose billing the person sees (id, name), by name."""
    visible = access.billing_organization_ids(session, actor)
    statement = select(Organization.id, Organization.name).order_by(Organization.name)
    if visible is not None:
        statement = statement.where(Organization.id.in_(visible))
    return [(oid, name) for oid, name in session.execute(statement).all()]


def _refuse_status(status: str, allowed: tuple[str, ...]) -> None:
    if status and status not in allowed:
        message = "Choose a status from the list."
        raise ValidationFailed(message, fields={"status": message})


def staff_pending(
    session: Session,
    *,
    actor: User,
    today: date,
    status: str = "",
    organization_id: int | None = None,
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[InvoiceLine]:
    """One page of the open and draft invoices, overdue first (staff only); ``status`` one of
    ``PENDING_STATUSES`` or "" for all, ``query`` found in the number or the organization's name."""
    authz.require_staff(actor)
    _refuse_status(status, PENDING_STATUSES)
    needle = search_needle(query)
    overdue = and_(Invoice.status == InvoiceStatus.OPEN, Invoice.due_date.is_not(None), Invoice.due_date < today)
    statement = (
        select(Invoice)
        .join(Organization, Organization.id == Invoice.organization_id)
        .where(Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.DRAFT)))
    )
    if status == "overdue":
        statement = statement.where(overdue)
    elif status:
        statement = statement.where(Invoice.status == status)
    if organization_id:
        statement = statement.where(Invoice.organization_id == organization_id)
    if needle:
        statement = statement.where(
            or_(
                func.lower(Invoice.number).contains(needle, autoescape=True),
                func.lower(Organization.name).contains(needle, autoescape=True),
            )
        )
    statement = statement.order_by(
        case((overdue, 0), else_=1), Invoice.due_date.is_(None), Invoice.due_date, Invoice.id
    )
    found = paginate(session, statement, page=page, page_size=page_size)
    names = dict(session.execute(select(Organization.id, Organization.name)).all()) if found.items else {}
    lines = [_line(session, invoice, today, names) for invoice in found.items]
    return Page(items=lines, total=found.total, page=found.page, page_size=found.page_size)


def staff_ledgers(
    session: Session,
    *,
    actor: User,
    status: str = "",
    organization_id: int | None = None,
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[ledger.Ledger]:
    """One page of the engagements' ledgers by title (staff only): those of ``status`` (one of
    ``LEDGER_STATUSES``), or every engagement not closed for "", ``query`` found in the title."""
    authz.require_staff(actor)
    _refuse_status(status, LEDGER_STATUSES)
    needle = search_needle(query)
    statement = select(Engagement).where(
        Engagement.status == status if status else Engagement.status != EngagementStatus.CLOSED
    )
    if organization_id:
        statement = statement.where(Engagement.organization_id == organization_id)
    if needle:
        statement = statement.where(func.lower(Engagement.title).contains(needle, autoescape=True))
    found = paginate(session, statement.order_by(Engagement.title, Engagement.id), page=page, page_size=page_size)
    books = ledger.ledgers_for(session, list(found.items))
    return Page(items=books, total=found.total, page=found.page, page_size=found.page_size)
