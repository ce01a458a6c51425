"""Staff console: billing. The open and draft invoices and the fixed-price ledger, each a paged
list with its total, a status choice and a search; one organization choice narrows both.
Thin handlers over ``services.billing.listings``."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.clock import now
from fluxent.models.accounts import User
from fluxent.services.billing import invoices, listings
from fluxent.state.admin_console import ConsoleState, filter_choice, filter_text, page_within
from fluxent.state.billing import InvoiceRow, LedgerRow, invoice_row, ledger_row
from fluxent.state.organization_filter import OrganizationFilterMixin


class AdminBillingState(OrganizationFilterMixin, ConsoleState):
    pending: list[InvoiceRow] = []
    pending_query: str = ""
    pending_status: str = ""  # one of listings.PENDING_STATUSES, "" for all
    pending_page: int = 1
    pending_pages: int = 1
    pending_total: int = 0
    ledgers: list[LedgerRow] = []
    ledger_query: str = ""
    ledger_status: str = ""  # one of listings.LEDGER_STATUSES, "" for every engagement not closed
    ledger_page: int = 1
    ledger_pages: int = 1
    ledger_total: int = 0

    def _fill(self, db: Session, user: User) -> None:
        self._fill_pending(db, user)
        self._fill_ledgers(db, user)
        self._fill_organization_choices(db, user)

    def _fill_pending(self, db: Session, user: User) -> None:
        found = listings.staff_pending(
            db,
            actor=user,
            today=now().date(),
            status=self.pending_status,
            organization_id=self._organization_id(),
            query=self.pending_query,
            page=self.pending_page,
        )
        self.pending = [invoice_row(line) for line in found.items]
        self.pending_total, self.pending_pages = found.total, found.pages
        if self.pending_page > found.pages:  # the last page emptied (an invoice issued or voided)
            self.pending_page = found.pages
            self._fill_pending(db, user)

    def _fill_ledgers(self, db: Session, user: User) -> None:
        found = listings.staff_ledgers(
            db,
            actor=user,
            status=self.ledger_status,
            organization_id=self._organization_id(),
            query=self.ledger_query,
            page=self.ledger_page,
        )
        self.ledgers = [ledger_row(book) for book in found.items]
        self.ledger_total, self.ledger_pages = found.total, found.pages

    @rx.event
    def load(self) -> None:
        self._load(self._fill)

    def _organization_changed(self) -> None:
        self.pending_page = self.ledger_page = 1
        self._load(self._fill)

    @rx.event
    def search_pending(self, form: dict[str, Any]) -> None:
        self.pending_query, self.pending_status = filter_text(form), filter_choice(form, listings.PENDING_STATUSES)
        self.pending_page = 1
        self._load(self._fill_pending)

    @rx.event
    def search_ledgers(self, form: dict[str, Any]) -> None:
        self.ledger_query, self.ledger_status = filter_text(form), filter_choice(form, listings.LEDGER_STATUSES)
        self.ledger_page = 1
        self._load(self._fill_ledgers)

    @rx.event
    def pending_go_to(self, page: int) -> None:
        self.pending_page = page_within(page, self.pending_pages)
        self._load(self._fill_pending)

    @rx.event
    def ledger_go_to(self, page: int) -> None:
        self.ledger_page = page_within(page, self.ledger_pages)
        self._load(self._fill_ledgers)

    @rx.event
    def issue(self, invoice_id: int) -> None:
        self._act("billing", lambda db, user: invoices.issue(db, actor=user, invoice_id=invoice_id), "Invoice issued.")
        self._load(self._fill, fresh=False)

    @rx.event
    def void(self, invoice_id: int) -> None:
        self._act("billing", lambda db, user: invoices.void(db, actor=user, invoice_id=invoice_id), "Invoice voided.")
        self._load(self._fill, fresh=False)
