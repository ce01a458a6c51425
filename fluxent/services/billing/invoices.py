"""Invoices: staff draft them (from an accepted milestone in one step), issue and void them.

draft -> open -> paid (a Stripe payment, ``services.billing.payments``)
  \\-> void     \\-> void | uncollectible
Issuing gives the next gapless number of the year (FLX-YYYY-NNNN), copies the bill-to
details from the billing profile and fixes everything: an issued invoice is never edited,
only voided and issued anew. An engagement's invoices never add up past its fixed price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, text
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.models.accounts import Organization, User
from fluxent.models.billing import Invoice, InvoiceLine, InvoiceStatus
from fluxent.models.engagements import Engagement, Milestone, MilestoneStatus
from fluxent.routes import portal_invoice
from fluxent.services.accounts import authz
from fluxent.services.audit import trail
from fluxent.services.billing import access, emails, ledger
from fluxent.services.billing.money import format_money
from fluxent.services.billing.profiles import profile_of
from fluxent.services.notifications import Kind, notify_each
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from fluxent.services.portal.engagements import clean_line

S = InvoiceStatus
NUMBER_PREFIX = "FLX"
PAYMENT_TERMS_DAYS = 30
MAX_LINES = 200
MAX_UNIT_AMOUNT = 10**11  # a billion in major units: far above any real line
MAX_QUANTITY = 10_000
MAX_TAX_RATE_BP = 5_000  # 50 %
MAX_MEMO = 2000
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF")


@dataclass(frozen=True)
class LineInput:
    description: str
    unit_amount_minor: int
    quantity: int = 1


def tax_of(subtotal_minor: int, tax_rate_bp: int) -> int:
    """Tax rounded half up to the minor unit."""
    return (subtotal_minor * tax_rate_bp + 5_000) // 10_000


def invoice_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:04d}"


# Reads ----------------------------------------------------------------------------


def get_invoice(session: Session, *, actor: User, invoice_id: int) -> Invoice:
    """An invoice its reader may see; drafts only for staff (to clients they do not exist yet)."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        raise NotFound("No such invoice.")
    try:
        staff = access.require_invoice_reader(session, actor, invoice.organization_id)
    except NotFound:
        raise NotFound("No such invoice.") from None
    if invoice.status == S.DRAFT and not staff:
        raise NotFound("No such invoice.")
    return invoice


def lines_of(session: Session, invoice_id: int) -> list[InvoiceLine]:
    return list(
        session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.position))
    )


def list_invoices(
    session: Session,
    *,
    actor: User,
    organization_id: int | None = None,
    status: InvoiceStatus | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[Invoice]:
    """Newest first. Clients see the issued invoices of the organizations they may bill for."""
    statement = select(Invoice).order_by(Invoice.created_at.desc(), Invoice.id.desc())
    if organization_id is not None:
        staff = access.require_invoice_reader(session, actor, organization_id)
        statement = statement.where(Invoice.organization_id == organization_id)
    else:
        visible = access.billing_organization_ids(session, actor)
        staff = visible is None
        if visible is not None:
            statement = statement.where(Invoice.organization_id.in_(visible))
    if not staff:
        statement = statement.where(Invoice.status != S.DRAFT)
    if status is not None:
        statement = statement.where(Invoice.status == status)
    return paginate(session, statement, page=page, page_size=page_size)


def is_overdue(invoice: Invoice, today: date) -> bool:
    return invoice.status == S.OPEN and invoice.due_date is not None and invoice.due_date < today


# Drafting -------------------------------------------------------------------------


def create_invoice(
    session: Session,
    *,
    actor: User,
    organization_id: int,
    lines: list[LineInput],
    engagement_id: int | None = None,
    milestone_id: int | None = None,
    currency: str | None = None,
    tax_rate_bp: int = 0,
    due_date: date | None = None,
    memo: str = "",
    clock: Clock = now,
) -> Invoice:
    """A draft invoice (staff). With an engagement, its currency and fixed price apply; a
    milestone given without lines is invoiced as one line for its amount."""
    authz.require_staff(actor)
    if session.get(Organization, organization_id) is None:
        raise NotFound("No such organization.")
    engagement, milestone = _engagement_and_milestone(session, organization_id, engagement_id, milestone_id)
    currency = _check_currency(currency, engagement)
    if milestone is not None and not lines:
        lines = [LineInput(f"{engagement.title}: {milestone.title}", milestone.amount_minor)]
    cleaned = _check_lines(lines)
    if not 0 <= tax_rate_bp <= MAX_TAX_RATE_BP:
        raise ValidationFailed("The tax rate is 0-50 %.", fields={"tax_rate_bp": "0 to 5000 basis points."})
    memo = (memo or "").strip()
    if len(memo) > MAX_MEMO:
        raise ValidationFailed("Keep the memo short.", fields={"memo": f"At most {MAX_MEMO} characters."})
    subtotal = sum(line.quantity * line.unit_amount_minor for line in cleaned)
    if engagement is not None:
        ledger.require_room(session, engagement, subtotal)
    if milestone is not None:
        _require_not_invoiced(session, milestone)
    moment = clock()
    tax = tax_of(subtotal, tax_rate_bp)
    invoice = Invoice(
        organization_id=organization_id,
        engagement_id=engagement.id if engagement else None,
        milestone_id=milestone.id if milestone else None,
        currency=currency,
        tax_rate_bp=tax_rate_bp,
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=subtotal + tax,
        due_date=due_date,
        memo=memo,
        created_by_id=actor.id,
        created_at=moment,
        updated_at=moment,
    )
    session.add(invoice)
    session.flush()
    for position, line in enumerate(cleaned, start=1):
        session.add(
            InvoiceLine(
                invoice_id=invoice.id,
                position=position,
                description=line.description,
                quantity=line.quantity,
                unit_amount_minor=line.unit_amount_minor,
                amount_minor=line.quantity * line.unit_amount_minor,
            )
        )
    session.flush()
    trail.record(
        session,
        "billing.invoice_drafted",
        actor=actor,
        target=invoice,
        organization=organization_id,
        meta={"engagement_id": invoice.engagement_id, "milestone_id": invoice.milestone_id, "subtotal_minor": subtotal},
        clock=clock,
    )
    return invoice


def draft_from_milestone(
    session: Session, *, actor: User, milestone_id: int, tax_rate_bp: int = 0, clock: Clock = now
) -> Invoice:
    """One click on an accepted milestone: a draft for its amount, in the engagement's currency."""
    authz.require_staff(actor)
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound("No such milestone.")
    engagement = session.get(Engagement, milestone.engagement_id)
    return create_invoice(
        session,
        actor=actor,
        organization_id=engagement.organization_id,
        milestone_id=milestone.id,
        lines=[],
        tax_rate_bp=tax_rate_bp,
        clock=clock,
    )


def milestone_invoice_ids(session: Session, milestone_ids: list[int]) -> dict[int, int]:
    """The invoice (not void) of each milestone that has one."""
    rows = session.execute(
        select(Invoice.milestone_id, Invoice.id).where(
            Invoice.milestone_id.in_(milestone_ids), Invoice.status != S.VOID
        )
    )
    return {milestone_id: invoice_id for milestone_id, invoice_id in rows}


def can_draft_from(milestone: Milestone, invoice_id: int | None) -> bool:
    """Whether staff may draft an invoice from ``milestone``, whose live invoice (if any) is ``invoice_id``."""
    return milestone.status == MilestoneStatus.ACCEPTED and invoice_id is None


# Issuing and voiding --------------------------------------------------------------


def issue(session: Session, *, actor: User, invoice_id: int, clock: Clock = now) -> Invoice:
    """Number the draft, fix its bill-to details and dates, and tell the client."""
    authz.require_staff(actor)
    invoice = _for_update(session, invoice_id)
    if invoice.status != S.DRAFT:
        raise Conflict(f"Only a draft can be issued (this invoice is {invoice.status}).")
    profile = profile_of(session, invoice.organization_id)
    if profile is None or not profile.billing_email:
        raise Conflict("The organization has no billing e-mail yet: its owners set it on the billing page.")
    if invoice.engagement_id is not None:
        engagement = _locked_engagement(session, invoice.engagement_id)
        ledger.require_room(session, engagement, invoice.subtotal_minor, besides=invoice.id)
    moment = clock()
    today = moment.date()
    invoice.number = invoice_number(today.year, _next_sequence(session, today.year))
    invoice.status, invoice.issued_at, invoice.updated_at = S.OPEN, moment, moment
    invoice.issue_date, invoice.fiscal_year = today, today.year
    if invoice.due_date is None or invoice.due_date < today:
        invoice.due_date = today + timedelta(days=PAYMENT_TERMS_DAYS)
    organization = session.get(Organization, invoice.organization_id)
    invoice.bill_to_name = profile.legal_name or organization.name
    invoice.bill_to_email, invoice.bill_to_address = profile.billing_email, profile.address
    invoice.bill_to_tax_id = profile.tax_id
    session.add(invoice)
    session.flush()
    trail.record(
        session,
        "billing.invoice_issued",
        actor=actor,
        target=invoice,
        organization=invoice.organization_id,
        meta={"number": invoice.number, "total_minor": invoice.total_minor, "currency": invoice.currency},
        clock=clock,
    )
    wanting_mail = notify_each(
        session,
        emails.billing_people(session, invoice.organization_id),
        Kind.INVOICE_ISSUED,
        f"Invoice {invoice.number} issued: {format_money(invoice.total_minor, invoice.currency)}",
        portal_invoice(invoice.id),
        clock=clock,
    )
    emails.invoice_issued(session, invoice, wanting_mail)
    return invoice


def void(session: Session, *, actor: User, invoice_id: int, clock: Clock = now) -> Invoice:
    """Drafts and open invoices can be voided; the number of a voided one stays used."""
    authz.require_staff(actor)
    invoice = _for_update(session, invoice_id)
    if invoice.status not in (S.DRAFT, S.OPEN):
        raise Conflict(f"A {invoice.status} invoice cannot be voided.")
    previous, moment = invoice.status, clock()
    invoice.status, invoice.voided_at, invoice.updated_at = S.VOID, moment, moment
    session.add(invoice)
    session.flush()
    trail.record(
        session,
        "billing.invoice_voided",
        actor=actor,
        target=invoice,
        organization=invoice.organization_id,
        meta={"number": invoice.number, "from": str(previous)},
        clock=clock,
    )
    return invoice


def mark_uncollectible(session: Session, *, actor: User, invoice_id: int, clock: Clock = now) -> Invoice:
    """Staff write off an open invoice they do not expect to be paid. It keeps its number and
    still counts in the ledger, and a card payment that arrives later still marks it paid."""
    authz.require_staff(actor)
    invoice = _for_update(session, invoice_id)
    if invoice.status != S.OPEN:
        raise Conflict(f"Only an open invoice can be marked uncollectible; this one is {invoice.status}.")
    invoice.status, invoice.updated_at = S.UNCOLLECTIBLE, clock()
    session.add(invoice)
    session.flush()
    trail.record(
        session,
        "billing.invoice_uncollectible",
        actor=actor,
        target=invoice,
        organization=invoice.organization_id,
        meta={"number": invoice.number, "due_minor": invoice.total_minor - invoice.amount_paid_minor},
        clock=clock,
    )
    return invoice


# Helpers --------------------------------------------------------------------------


def _for_update(session: Session, invoice_id: int) -> Invoice:
    invoice = session.scalars(select(Invoice).where(Invoice.id == invoice_id).with_for_update()).first()
    if invoice is None:
        raise NotFound("No such invoice.")
    return invoice


def _next_sequence(session: Session, year: int) -> int:
    """The year's next number, in the caller's transaction: a rollback gives it back, so no gap."""
    session.execute(
        text("INSERT INTO billing_invoice_counter (year, last_number) VALUES (:year, 0) ON CONFLICT (year) DO NOTHING"),
        {"year": year},
    )
    return session.execute(
        text(
            "UPDATE billing_invoice_counter SET last_number = last_number + 1 WHERE year = :year RETURNING last_number"
        ),
        {"year": year},
    ).scalar_one()


def _engagement_and_milestone(
    session: Session, organization_id: int, engagement_id: int | None, milestone_id: int | None
) -> tuple[Engagement | None, Milestone | None]:
    milestone = None
    if milestone_id is not None:
        milestone = session.get(Milestone, milestone_id)
        if milestone is None:
            raise ValidationFailed("No such milestone.", fields={"milestone": "Not found."})
        if engagement_id is not None and engagement_id != milestone.engagement_id:
            raise ValidationFailed("The milestone is not one of that engagement's.", fields={"milestone": "Mismatch."})
        engagement_id = milestone.engagement_id
        if milestone.status != MilestoneStatus.ACCEPTED:
            raise Conflict("Only an accepted milestone can be invoiced.")
    if engagement_id is None:
        return None, None
    engagement = _locked_engagement(session, engagement_id)
    if engagement is None or engagement.organization_id != organization_id:
        raise ValidationFailed(
            "The engagement is not one of that organization's.", fields={"engagement": "Not this organization's."}
        )
    return engagement, milestone


def _locked_engagement(session: Session, engagement_id: int) -> Engagement | None:
    """The engagement, locked (PostgreSQL) so two invoices cannot both take its last room."""
    return session.scalars(select(Engagement).where(Engagement.id == engagement_id).with_for_update()).first()


def _require_not_invoiced(session: Session, milestone: Milestone) -> None:
    if milestone_invoice_ids(session, [milestone.id]):
        raise Conflict("This milestone already has an invoice; void it first to invoice the milestone again.")


def _check_currency(currency: str | None, engagement: Engagement | None) -> str:
    if engagement is not None:
        if currency and currency.upper() != engagement.currency:
            raise ValidationFailed(
                "An engagement's invoices are in its currency.", fields={"currency": f"Use {engagement.currency}."}
            )
        return engagement.currency
    currency = (currency or "").upper()
    if currency not in CURRENCIES:
        raise ValidationFailed("Choose a currency.", fields={"currency": f"One of {', '.join(CURRENCIES)}."})
    return currency


def _check_lines(lines: list[LineInput]) -> list[LineInput]:
    if not 1 <= len(lines) <= MAX_LINES:
        raise ValidationFailed(f"An invoice has 1-{MAX_LINES} lines.", fields={"lines": "Add at least one line."})
    cleaned, problems = [], {}
    for index, line in enumerate(lines):
        description = clean_line(line.description)
        if not 1 <= len(description) <= 500:
            problems[f"lines.{index}.description"] = "1-500 characters."
        if not 1 <= line.quantity <= MAX_QUANTITY:
            problems[f"lines.{index}.quantity"] = f"1-{MAX_QUANTITY}."
        if not 1 <= line.unit_amount_minor <= MAX_UNIT_AMOUNT:
            problems[f"lines.{index}.unit_amount_minor"] = "A positive amount in minor units."
        cleaned.append(LineInput(description, line.unit_amount_minor, line.quantity))
    if problems:
        raise ValidationFailed("Some invoice lines are invalid.", fields=problems)
    return cleaned
