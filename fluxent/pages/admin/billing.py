"""Staff console: billing. Open and draft invoices (overdue first) with Issue and Void, and the
fixed-price ledger of every engagement: fixed price, accepted, invoiced, paid, left to invoice."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.pages.admin.console_parts import MUTED, ROW, gate, listing, row_button, stack
from fluxent.pages.portal.invoices import CELL, HEAD_CELL, NUMBER_CELL, TABLE, WIDE_ONLY, status_badge
from fluxent.state.billing import AdminBillingState as State
from fluxent.state.billing import InvoiceRow, LedgerRow


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


def _body() -> rx.Component:
    return stack(
        rx.el.h1("Billing", style={**theme.HEADING_1, "margin": "0", "font_size": theme.HEADING_MD}),
        forms.section_card(
            "Open and draft invoices",
            "Overdue invoices first. Drafts are visible to staff only until issued.",
            listing(State.pending, _pending, "No open or draft invoices."),
            section_id="pending",
            icon="receipt",
        ),
        forms.section_card(
            "Fixed-price ledger",
            "Per engagement: what was accepted, invoiced and paid. Nothing can be invoiced past the fixed price.",
            ledger_table(State.ledgers),
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
