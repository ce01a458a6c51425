"""State of the billing pages: the portal's invoices, one invoice (Pay), the billing profile, the
page Stripe sends the payer back to, and the rows the staff billing lists share. Thin handlers over
``services.billing``; every event resolves the person again from the session cookie.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent import routes
from fluxent.core.clock import now
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.billing import emails, invoices, listings, payments, profiles
from fluxent.state.admin_console import route_id
from fluxent.state.form_focus import first_error
from fluxent.state.formatting import day, money
from fluxent.state.organization import OrganizationState
from fluxent.state.session import SessionState, error_messages

INVOICE_LABELS = {"draft": "Draft", "open": "Due", "paid": "Paid", "void": "Void", "uncollectible": "Uncollectible"}


@dataclasses.dataclass
class InvoiceRow:
    id: int
    number: str
    organization: str
    status: str
    status_label: str
    total: str
    issued: str
    due: str
    overdue: bool
    href: str


@dataclasses.dataclass
class ItemRow:
    description: str
    quantity: int
    unit: str
    amount: str


@dataclasses.dataclass
class ContactRow:
    user_id: int
    label: str
    checked: bool


@dataclasses.dataclass
class LedgerRow:
    title: str
    price: str
    accepted: str
    invoiced: str
    paid: str
    disputed: str  # of the paid amount, what an open card dispute holds back ("" for none)
    refunded: str  # already taken off the paid amount ("" for none)
    remaining: str
    href: str


def status_label(line: listings.InvoiceLine) -> str:
    if line.disputed:
        return "Disputed"
    return "Overdue" if line.overdue else INVOICE_LABELS[line.status]


def invoice_row(line: listings.InvoiceLine) -> InvoiceRow:
    return InvoiceRow(
        id=line.id,
        number=line.number,
        organization=line.organization,
        status=line.status,
        status_label=status_label(line),
        total=money(line.total_minor, line.currency),
        issued=day(line.issue_date),
        due=day(line.due_date),
        overdue=line.overdue,
        href=routes.portal_invoice(line.id),
    )


def ledger_row(book) -> LedgerRow:
    return LedgerRow(
        title=book.title,
        price=money(book.fixed_price_minor, book.currency),
        accepted=money(book.accepted_minor, book.currency),
        invoiced=money(book.invoiced_minor, book.currency),
        paid=money(book.paid_minor, book.currency),
        disputed=money(book.disputed_minor, book.currency) if book.disputed_minor else "",
        refunded=money(book.refunded_minor, book.currency) if book.refunded_minor else "",
        remaining=money(book.remaining_minor, book.currency),
        href=routes.admin_engagement(book.engagement_id),
    )


def _dispute_text(detail: listings.InvoiceDetail) -> str:
    """The dispute in a sentence: amount, reason and evidence due date while open, then the outcome."""
    if not detail.dispute_status:
        return ""
    amount = money(detail.dispute_amount_minor, detail.line.currency)
    if detail.dispute_status == "won":
        return f"The card payment was disputed for {amount} and the dispute was won: it stays paid."
    if detail.dispute_status == "lost":
        return f"The card payment was disputed and the dispute was lost: {amount} went back to the cardholder."
    if not detail.line.disputed:
        return f"The card payment was disputed for {amount}; the dispute is closed."
    due = detail.dispute_evidence_due_at
    evidence = f" Evidence is due by {day(due)}." if due else ""
    return (
        f"Disputed: {amount} of the card payment is disputed with the card issuer "
        f"({emails.dispute_reason(detail.dispute_reason)}).{evidence}"
    )


class InvoicesState(OrganizationState):
    rows: list[InvoiceRow] = []
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        lines: list[listings.InvoiceLine] = []
        with read_scope() as db:
            user = self._person(db)
            try:
                if user is not None:
                    lines = listings.invoice_lines(db, actor=user, today=now().date(), organization_id=self._chosen())
            except DomainError as error:
                self._tell(error.message, error=True)
        self.rows = [invoice_row(line) for line in lines]
        self.loaded = True


class InvoiceState(SessionState):
    invoice_id: int = 0
    found: bool = False
    loaded: bool = False
    head: dict[str, str] = {}
    bill_to: list[str] = []
    items: list[ItemRow] = []
    overdue: bool = False
    disputed: bool = False
    can_pay: bool = False
    can_issue: bool = False
    can_void: bool = False
    can_write_off: bool = False
    confirm_write_off: bool = False

    @rx.event
    def load(self) -> None:
        self.invoice_id = route_id(self, "invoice_id")
        self._fill()

    def _fill(self) -> None:
        self.found = False
        with read_scope() as db:
            user = self._person(db)
            try:
                if user is not None:
                    self._show_invoice(db, user)
            except DomainError:
                pass  # another organization's, or no such invoice: the page says it is not there
        self.loaded = True

    def _show_invoice(self, db: Session, user: User) -> None:
        detail = listings.invoice_detail(db, actor=user, invoice_id=self.invoice_id, today=now().date())
        line, currency = detail.line, detail.line.currency
        self.head = {
            "number": line.number,
            "organization": line.organization,
            "status": line.status,
            "status_label": status_label(line),
            "issued": day(line.issue_date),
            "due": day(line.due_date),
            "subtotal": money(detail.subtotal_minor, currency),
            "tax_label": f"Tax ({detail.tax_rate_bp / 100:g} %)",
            "tax": money(detail.tax_minor, currency),
            "total": money(line.total_minor, currency),
            "paid": money(detail.amount_paid_minor, currency) if detail.amount_paid_minor else "",
            "refunded": money(detail.amount_refunded_minor, currency) if detail.amount_refunded_minor else "",
            "memo": detail.memo,
            "dispute": _dispute_text(detail),
            "pdf_url": routes.api_url(routes.api_invoice_pdf(line.id)),
        }
        self.bill_to = detail.bill_to
        self.items = [
            ItemRow(i.description, i.quantity, money(i.unit_amount_minor, currency), money(i.amount_minor, currency))
            for i in detail.items
        ]
        self.overdue, self.disputed = line.overdue, line.disputed
        self.can_pay, self.can_issue, self.can_void = detail.can_pay, detail.can_issue, detail.can_void
        self.can_write_off, self.confirm_write_off = detail.can_write_off, False
        self.found = True

    @rx.event
    def pay(self) -> Iterator[Any]:
        """Off to the hosted payment page (Stripe Checkout); a refusal stays in the status line."""
        self.busy, self.notice = "pay", ""
        yield
        try:
            with read_scope() as db:
                found = self._acting(db)
            if found is None:
                self.busy = ""
                return
            address = payments.start_checkout(actor_id=found[1].id, invoice_id=self.invoice_id)
        except DomainError as error:
            self.busy = ""
            self._refused("pay", error)
            return
        yield rx.redirect(address)  # the button stays busy while the browser leaves

    @rx.event
    def issue(self) -> None:
        self._act(
            "issue", lambda db, user: invoices.issue(db, actor=user, invoice_id=self.invoice_id), "Invoice issued."
        )
        self._fill()

    @rx.event
    def void(self) -> None:
        self._act("void", lambda db, user: invoices.void(db, actor=user, invoice_id=self.invoice_id), "Invoice voided.")
        self._fill()

    @rx.event
    def ask_write_off(self, asking: bool) -> None:
        self.confirm_write_off = asking

    @rx.event
    def write_off(self) -> None:
        self._act(
            "write_off",
            lambda db, user: invoices.mark_uncollectible(db, actor=user, invoice_id=self.invoice_id),
            "Invoice marked uncollectible.",
        )
        self._fill()


class PaymentReturnState(SessionState):
    """The page Stripe sends the payer back to: it shows what the invoice says now."""

    number: str = ""
    status: str = ""
    href: str = ""

    @rx.event
    def load(self) -> None:
        invoice_id = parse_id(str(self.router.page.params.get("invoice", ""))) or 0
        self.number, self.status, self.href = "", "", ""
        with read_scope() as db:
            user = self._person(db)
            try:
                invoice = invoices.get_invoice(db, actor=user, invoice_id=invoice_id) if user else None
            except DomainError:
                invoice = None
            if invoice is not None:
                self.number, self.status = invoice.number or "", str(invoice.status)
                self.href = routes.portal_invoice(invoice.id)


class BillingProfileState(OrganizationState):
    field_errors: dict[str, str] = {}
    organizations: list[list[str]] = []  # [id, name] of each organization whose billing the person sees
    profile: dict[str, str] = {}
    contacts: list[ContactRow] = []
    can_edit: bool = False
    loaded: bool = False
    form_version: int = 0

    def _profile_organization(self) -> int | None:
        chosen = self._chosen()
        ids = [int(oid) for oid, _ in self.organizations]
        return chosen if chosen in ids else (ids[0] if ids else None)

    @rx.event
    def load(self) -> None:
        self.profile, self.contacts, self.can_edit = {}, [], False
        with read_scope() as db:
            user = self._person(db)
            if user is not None:
                self.organizations = [[str(oid), name] for oid, name in listings.billable_organizations(db, actor=user)]
                organization_id = self._profile_organization()
                if organization_id is not None:
                    self._show_profile(db, user, organization_id)
        self.form_version += 1
        self.loaded = True

    def _show_profile(self, db: Session, user: User, organization_id: int) -> None:
        view = listings.profile_view(db, actor=user, organization_id=organization_id)
        self.profile = {
            "organization_id": str(view.organization_id),
            "organization": view.organization,
            "billing_email": view.billing_email,
            "legal_name": view.legal_name,
            "address": view.address,
            "tax_id": view.tax_id,
        }
        self.contacts = [
            ContactRow(m.user_id, f"{m.name or m.email} ({m.email})", m.billing_contact) for m in view.members
        ]
        self.can_edit = view.can_edit

    def _refused(self, form: str, error: DomainError) -> None:
        messages = {"form": error.message} | error_messages(error)
        self.field_errors = {f"{form}.{name}": text for name, text in messages.items()}
        self._tell(error.message, error=True)

    @rx.event
    def save(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy, self.field_errors = "profile", {}
        yield
        organization_id = parse_id(self.profile.get("organization_id", "")) or 0
        contact_ids = tuple(
            user_id
            for key, value in form.items()
            if key.startswith("contact.") and value
            if (user_id := parse_id(key.removeprefix("contact."))) is not None
        )
        details = profiles.ProfileInput(
            billing_email=str(form.get("profile.billing_email", "")),
            legal_name=str(form.get("profile.legal_name", "")),
            address=str(form.get("profile.address", "")),
            tax_id=str(form.get("profile.tax_id", "")),
            billing_contact_ids=contact_ids,
        )
        if self._act(
            "profile",
            lambda db, user: profiles.update_profile(db, actor=user, organization_id=organization_id, details=details),
            "Billing details saved.",
        ):
            self.load()
        else:
            in_order = {name: self.field_errors[name] for name, _ in PROFILE_LABELS if name in self.field_errors}
            yield first_error(in_order, form_id="profile")


# The billing form's fields as its error summary names them, in the form's order.
PROFILE_LABELS = (
    ("profile.billing_email", "Billing e-mail"),
    ("profile.legal_name", "Legal name"),
    ("profile.tax_id", "Tax ID"),
    ("profile.address", "Address"),
)
