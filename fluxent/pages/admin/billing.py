"""Staff console: billing. Open and draft invoices (overdue first) with Issue and Void, and the
fixed-price ledger of every engagement: fixed price, accepted, invoiced, paid, left to invoice.
Both lists are paged, with their totals, a status choice and a search; a searchable
organization choice narrows both."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.pages.admin.console_parts import (
    ENGAGEMENT_STATUSES,
    MUTED,
    ROW,
    filter_bar,
    gate,
    listing,
    organization_choice,
    pager,
    row_button,
    stack,
    total_line,
)
from fluxent.pages.portal.invoices import CELL, HEAD_CELL, NUMBER_CELL, TABLE, WIDE_ONLY, status_badge
from fluxent.state.admin_billing import AdminBillingState as State
from fluxent.state.billing import InvoiceRow, LedgerRow

PENDING_CHOICES = [("", "Any status"), ("overdue", "Overdue"), ("open", "Due"), ("draft", "Draft")]
LEDGER_CHOICES = [("", "Not closed"), *ENGAGEMENT_STATUSES]


def _pending(row: InvoiceRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.a(row.number, href=row.href, style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD}),
            rx.el.p(row.organization, rx.cond(row.due != "", rx.el.span(" · due ", row.due)), style=MUTED),
            style={"flex": "1 1 14rem", "min_width": "0"},
        ),
        rx.el.span(row.total, style={**theme.FIGURE, "font_weight": theme.WEIGHT_SEMIBOLD, "color": theme.INK}),
        status_badge(row.status_label, row.overdue),
        rx.cond(row.status == "draft", row_button("Issue", State.issue(row.id), aria_label="Issue " + row.number)),
        row_button("Void", State.void(row.id), danger=True, aria_label="Void " + row.number),
        data_testid="pending-invoice",
        style=ROW,
    )


def ledger_table(rows: rx.Var) -> rx.Component:
    """Engagement, fixed price, accepted, invoiced, paid, left to invoice; a phone shows the
    engagement, what was paid and what is left."""
    phone_hidden = {**NUMBER_CELL, **WIDE_ONLY}

    def row(book: LedgerRow) -> rx.Component:
        return rx.el.tr(
            rx.el.td(rx.el.a(book.title, href=book.href, style={"color": theme.ACCENT}), style=CELL),
            *(rx.el.td(value, style=phone_hidden) for value in (book.price, book.accepted, book.invoiced)),
            rx.el.td(
                book.paid,
                rx.cond(
                    book.disputed != "",
                    rx.el.span(book.disputed, " disputed", style={"display": "block", "color": theme.DANGER}),
                ),
                rx.cond(
                    book.refunded != "",
                    rx.el.span(book.refunded, " refunded", style={"display": "block", "color": theme.TEXT_MUTED}),
                ),
                style=NUMBER_CELL,
            ),
            rx.el.td(book.remaining, style=NUMBER_CELL),
        )

    def heading(text: str, style: dict) -> rx.Component:
        return rx.el.th(text, scope="col", style={**style, **HEAD_CELL, "text_align": style.get("text_align", "left")})

    return rx.el.div(
        rx.el.table(
            rx.el.thead(
                rx.el.tr(
                    heading("Engagement", CELL),
                    *(heading(text, phone_hidden) for text in ("Fixed price", "Accepted", "Invoiced")),
                    heading("Paid", NUMBER_CELL),
                    heading("Left to invoice", NUMBER_CELL),
                )
            ),
            rx.el.tbody(rx.foreach(rows, row)),
            style=TABLE,
            data_testid="ledger",
        ),
        style={"overflow_x": "auto"},
    )


def _organization_choice() -> rx.Component:
    return rx.el.div(
        organization_choice(State, "billing-organization", space_below=False), style={**theme.CARD, "margin": "0"}
    )


def _body() -> rx.Component:
    return stack(
        rx.el.h1("Billing", style={**theme.HEADING_1, "margin": "0", "font_size": theme.HEADING_MD}),
        _organization_choice(),
        forms.section_card(
            "Open and draft invoices",
            "Overdue invoices first. Drafts are visible to staff only until issued.",
            filter_bar(
                "invoice-search",
                "Search by number or organization",
                State.pending_query,
                State.search_pending,
                status=("status", PENDING_CHOICES, State.pending_status),
            ),
            total_line(State.pending_total, "invoice", "invoices", "pending-total"),
            listing(State.pending, _pending, "No open or draft invoices match."),
            pager(State.pending_page, State.pending_pages, State.pending_go_to),
            section_id="pending",
            icon="receipt",
        ),
        forms.section_card(
            "Fixed-price ledger",
            "Per engagement: what was accepted, invoiced and paid. Nothing can be invoiced past the fixed price.",
            filter_bar(
                "ledger-search",
                "Search by engagement",
                State.ledger_query,
                State.search_ledgers,
                status=("status", LEDGER_CHOICES, State.ledger_status),
            ),
            total_line(State.ledger_total, "engagement", "engagements", "ledger-total"),
            ledger_table(State.ledgers),
            pager(State.ledger_page, State.ledger_pages, State.ledger_go_to),
            section_id="ledger",
            icon="scale",
        ),
    )


@portal_page(
    routes.ADMIN_BILLING,
    title="Billing",
    description="Open and overdue invoices, and the ledger of every engagement.",
    on_load=(State.load,),
)
def page() -> rx.Component:
    return gate(_body())
