"""Portal invoices: the list of an organization's invoices, and one invoice with its PDF and Pay.

Pay leaves for the card payment service's hosted page: no card field and no payment script
on our pages. Staff see drafts here too, with Issue and Void.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.view_as import CAN_CHANGE
from fluxent.pages.portal.portal_parts import MUTED, SECTION_HEADING, empty, intro
from fluxent.state.billing import InvoiceRow, InvoicesState, InvoiceState, ItemRow

CELL = {"padding": f"{theme.SPACE_3} {theme.SPACE_2}", "border_bottom": f"1px solid {theme.LINE}", "text_align": "left"}
NUMBER_CELL = {**CELL, "text_align": "right", "white_space": "nowrap"}
HEAD_CELL = {**CELL, "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_XS, "text_transform": "uppercase"}
TABLE = {"width": "100%", "border_collapse": "collapse", "font_size": theme.TEXT_SM, "color": theme.TEXT}
# Quantity and unit price make way for the description on a phone; the amount stays.
WIDE_ONLY = {theme.PHONE: {"display": "none"}}


def status_badge(label: rx.Var, overdue: rx.Var | bool = False) -> rx.Component:
    return rx.cond(overdue, forms.badge(label, tone="danger"), forms.badge(label))


def _row(row: InvoiceRow) -> rx.Component:
    return rx.el.li(
        rx.el.a(
            rx.el.div(
                rx.el.p(row.number, style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}),
                rx.el.p(
                    row.organization,
                    rx.cond(row.issued != "", rx.el.span(" · issued ", row.issued)),
                    rx.cond(row.due != "", rx.el.span(" · due ", row.due)),
                    style=MUTED,
                ),
                style={"flex": "1 1 14rem", "min_width": "0"},
            ),
            rx.el.span(row.total, style={**theme.FIGURE, "font_weight": theme.WEIGHT_SEMIBOLD, "color": theme.INK}),
            status_badge(row.status_label, row.overdue),
            href=row.href,
            style={
                "display": "flex",
                "flex_wrap": "wrap",
                "gap": theme.SPACE_3,
                "align_items": "center",
                "padding": f"{theme.SPACE_4} 0",
                "text_decoration": "none",
            },
        ),
        style={"border_top": f"1px solid {theme.LINE}"},
    )


@portal_page(
    routes.PORTAL_INVOICES,
    title="Invoices",
    description="Your invoices from Fluxent: download them, and pay by card.",
    on_load=(InvoicesState.load,),
)
def list_page() -> rx.Component:
    return rx.fragment(
        intro("Invoices", "Invoices for your engagements. Open one to download the PDF or pay it by card."),
        rx.cond(
            InvoicesState.rows.length() > 0,  # type: ignore[attr-defined]
            rx.el.ul(
                rx.foreach(InvoicesState.rows, _row),
                style={**theme.CARD, "list_style": "none", "margin": f"{theme.SPACE_6} 0 0", "padding_y": "0"},
            ),
            rx.cond(
                InvoicesState.loaded,
                empty(
                    "No invoices to show. Invoices are visible to the organization's owners and to the members "
                    "an owner names as billing contacts."
                ),
            ),
        ),
    )


def _item(item: ItemRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(item.description, style=CELL),
        rx.el.td(item.quantity, style={**NUMBER_CELL, **WIDE_ONLY}),
        rx.el.td(item.unit, style={**NUMBER_CELL, **WIDE_ONLY}),
        rx.el.td(item.amount, style=NUMBER_CELL),
    )


def _total(label: rx.Var | str, value: rx.Var, *, strong: bool = False) -> rx.Component:
    weight = theme.WEIGHT_BOLD if strong else theme.WEIGHT_REGULAR
    return rx.el.tr(
        rx.el.td(label, col_span=3, style={**NUMBER_CELL, "font_weight": weight}),
        rx.el.td(value, style={**NUMBER_CELL, "font_weight": weight, "color": theme.INK}),
    )


def _actions() -> rx.Component:
    head = InvoiceState.head
    return rx.el.div(
        rx.el.a(
            rx.icon("download", size=16, aria_hidden="true"),
            "Download PDF",
            href=head["pdf_url"],
            style={**theme.BUTTON_SECONDARY, "gap": theme.SPACE_2, "text_decoration": "none"},
        ),
        rx.cond(
            InvoiceState.can_pay & CAN_CHANGE,
            rx.el.button(
                rx.cond(InvoiceState.busy == "pay", "Opening the payment page…", "Pay by card"),
                type="button",
                on_click=InvoiceState.pay,
                disabled=(InvoiceState.busy == "pay") | ~rx.State.is_hydrated,
                data_testid="pay",
                style=theme.BUTTON_PRIMARY,
            ),
        ),
        rx.cond(
            InvoiceState.can_issue,
            rx.el.button("Issue invoice", type="button", on_click=InvoiceState.issue, style=theme.BUTTON_PRIMARY),
        ),
        rx.cond(
            InvoiceState.can_void,
            rx.el.button("Void", type="button", on_click=InvoiceState.void, style=theme.BUTTON_SECONDARY),
        ),
        rx.cond(
            InvoiceState.can_write_off,
            rx.cond(
                InvoiceState.confirm_write_off,
                rx.el.span(
                    rx.el.button(
                        "Confirm: mark uncollectible",
                        type="button",
                        on_click=InvoiceState.write_off,
                        disabled=InvoiceState.busy == "write_off",
                        data_testid="confirm-uncollectible",
                        style=theme.BUTTON_SECONDARY,
                    ),
                    rx.el.button(
                        "Cancel",
                        type="button",
                        on_click=InvoiceState.ask_write_off(False),
                        style=theme.BUTTON_SECONDARY,
                    ),
                    style={"display": "inline-flex", "flex_wrap": "wrap", "gap": theme.SPACE_3},
                ),
                rx.el.button(
                    "Mark uncollectible",
                    type="button",
                    on_click=InvoiceState.ask_write_off(True),
                    data_testid="uncollectible",
                    style=theme.BUTTON_SECONDARY,
                ),
            ),
        ),
        style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3, "margin_top": theme.SPACE_6},
    )


def _invoice() -> rx.Component:
    head = InvoiceState.head
    return rx.el.article(
        rx.el.div(
            rx.el.div(
                rx.el.h1(
                    "Invoice ",
                    rx.el.span(head["number"], style={"white_space": "nowrap"}),
                    data_testid="invoice-number",
                    style={**theme.HEADING_1, "margin": "0", "font_size": theme.HEADING_MD},
                ),
                rx.el.p(
                    head["organization"],
                    rx.cond(head["issued"] != "", rx.el.span(" · issued ", head["issued"])),
                    rx.cond(head["due"] != "", rx.el.span(" · due ", head["due"])),
                    style={**MUTED, "margin_top": theme.SPACE_2},
                ),
                style={"flex": "1 1 16rem", "min_width": "0"},
            ),
            rx.el.span(status_badge(head["status_label"], InvoiceState.overdue), data_testid="invoice-status"),
            style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_4, "align_items": "flex-start"},
        ),
        rx.cond(
            head["dispute"] != "",
            rx.el.p(
                head["dispute"],
                role="status",
                data_testid="invoice-dispute",
                style={
                    **MUTED,
                    "color": rx.cond(InvoiceState.disputed, theme.DANGER, theme.TEXT),
                    "margin_top": theme.SPACE_4,
                },
            ),
        ),
        rx.el.div(
            rx.el.h2("Bill to", style={**SECTION_HEADING, "font_size": theme.TEXT_SM, "margin_bottom": theme.SPACE_2}),
            rx.cond(
                InvoiceState.bill_to.length() > 0,  # type: ignore[attr-defined]
                rx.foreach(InvoiceState.bill_to, lambda part: rx.el.p(part, style={**MUTED, "color": theme.TEXT})),
                rx.el.p("Taken from the organization's billing details when the invoice is issued.", style=MUTED),
            ),
            style={"margin_top": theme.SPACE_6},
        ),
        rx.el.div(
            rx.el.table(
                rx.el.thead(
                    rx.el.tr(
                        rx.el.th("Description", scope="col", style=HEAD_CELL),
                        rx.el.th("Qty", scope="col", style={**HEAD_CELL, "text_align": "right", **WIDE_ONLY}),
                        rx.el.th("Unit price", scope="col", style={**HEAD_CELL, "text_align": "right", **WIDE_ONLY}),
                        rx.el.th("Amount", scope="col", style={**HEAD_CELL, "text_align": "right"}),
                    )
                ),
                rx.el.tbody(
                    rx.foreach(InvoiceState.items, _item),
                    _total("Subtotal", head["subtotal"]),
                    _total(head["tax_label"], head["tax"]),
                    _total("Total", head["total"], strong=True),
                    rx.cond(head["paid"] != "", _total("Paid", head["paid"])),
                    rx.cond(head["refunded"] != "", _total("Refunded", head["refunded"])),
                ),
                style=TABLE,
            ),
            style={"overflow_x": "auto", "margin_top": theme.SPACE_6},
        ),
        rx.cond(head["memo"] != "", rx.el.p(head["memo"], style={**MUTED, "margin_top": theme.SPACE_4})),
        _actions(),
        rx.el.p(
            "Card payments happen on Stripe's secure page; card details never reach Fluxent.",
            style={**MUTED, "margin_top": theme.SPACE_3, "font_size": theme.TEXT_XS},
        ),
        style={**theme.CARD, "margin_top": theme.SPACE_4},
    )


@portal_page(
    routes.PORTAL_INVOICE,
    title="Invoice",
    description="One invoice: its lines, the PDF and card payment.",
    on_load=(InvoiceState.load,),
)
def detail_page() -> rx.Component:
    return rx.fragment(
        rx.el.a(
            "← All invoices", href=routes.PORTAL_INVOICES, style={"color": theme.ACCENT, "font_size": theme.TEXT_SM}
        ),
        rx.cond(
            InvoiceState.found,
            _invoice(),
            rx.cond(InvoiceState.loaded, empty("No such invoice, or it is not yours to see.")),
        ),
    )


def pages() -> list:
    return [list_page, detail_page]
