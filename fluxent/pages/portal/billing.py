"""Portal billing: the organization's billing details and billing contacts (owners edit them),
and the pages the card payment service sends the payer back to (paid, cancelled)."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.view_as import unless_viewing
from fluxent.pages.portal.portal_parts import MUTED, empty, intro
from fluxent.state.billing import PROFILE_LABELS, ContactRow, PaymentReturnState
from fluxent.state.billing import BillingProfileState as State

GRID = {"display": "grid", "grid_template_columns": "repeat(auto-fit, minmax(16rem, 1fr))", "gap": theme.SPACE_4}


def _contact(row: ContactRow) -> rx.Component:
    return forms.checkbox(
        row.label,
        "contact." + row.user_id.to_string(),
        form_id="profile",
        default_checked=row.checked,
    )


def _form() -> rx.Component:
    value, errors = State.profile, State.field_errors

    def text(label: str, name: str, **props) -> rx.Component:
        return forms.field(
            label,
            f"profile.{name}",
            errors,
            form_id="profile",
            default_value=value[name],
            read_only=~State.can_edit,
            **props,
        )

    return forms.form(
        forms.alert(errors, "profile.form", fields=PROFILE_LABELS, form_id="profile"),
        rx.el.div(
            text("Billing e-mail", "billing_email", type="email", required=True, hint="Invoices and receipts go here"),
            text("Legal name", "legal_name", required=True, max_length=200),
            text("Tax ID", "tax_id", optional=True, max_length=64),
            forms.textarea(
                "Address",
                "profile.address",
                errors,
                form_id="profile",
                default_value=value["address"],
                rows=3,
                max_length=1000,
                optional=True,
                read_only=~State.can_edit,
            ),
            style=GRID,
        ),
        rx.el.fieldset(
            rx.el.legend("Billing contacts", style={"font_weight": theme.WEIGHT_SEMIBOLD, "color": theme.INK}),
            rx.el.p(
                "Owners always see and pay invoices. Tick members who should too.",
                style={**MUTED, "margin": f"{theme.SPACE_2} 0 {theme.SPACE_3}"},
            ),
            rx.cond(
                State.contacts.length() > 0,  # type: ignore[attr-defined]
                rx.foreach(State.contacts, _contact),
                rx.el.p("The organization has no other members.", style=MUTED),
            ),
            style={"border": "none", "padding": "0", "margin": f"{theme.SPACE_6} 0 0"},
        ),
        rx.cond(
            State.can_edit,
            unless_viewing(
                rx.el.div(
                    forms.submit_button("Save billing details", State.busy == "profile", "Saving…"),
                    style={"margin_top": theme.SPACE_6},
                )
            ),
            rx.el.p(
                "Only the organization's owners can change these details.", style={**MUTED, "margin_top": theme.SPACE_4}
            ),
        ),
        key=State.form_version,
        on_submit=State.save,
        aria_label="Billing details",
        style={**theme.CARD, "margin_top": theme.SPACE_6},
    )


@portal_page(
    routes.PORTAL_BILLING,
    title="Billing",
    description="Where invoices go, and who may pay them.",
    on_load=(State.load,),
)
def profile_page() -> rx.Component:
    return rx.fragment(
        intro(
            "Billing",
            "The name, address and e-mail your invoices are addressed to. Card numbers are entered on "
            "Stripe's page when you pay and never reach Fluxent.",
        ),
        rx.cond(
            State.profile.contains("organization"),  # type: ignore[attr-defined]
            rx.fragment(rx.el.h2(State.profile["organization"], style={**MUTED, "margin_top": theme.SPACE_4}), _form()),
            rx.cond(State.loaded, empty("Billing details are kept by the organization's owners.")),
        ),
    )


def _returned(title: str, text: rx.Component) -> rx.Component:
    return rx.el.div(
        rx.el.h1(title, style={**theme.HEADING_1, "margin": "0", "font_size": theme.HEADING_MD}),
        text,
        rx.cond(
            PaymentReturnState.href != "",
            rx.el.a(
                "Back to the invoice",
                href=PaymentReturnState.href,
                style={**theme.BUTTON_PRIMARY, "margin_top": theme.SPACE_6, "text_decoration": "none"},
            ),
        ),
        style={**theme.CARD, "margin_top": theme.SPACE_6},
    )


@portal_page(
    routes.PORTAL_PAYMENT_SUCCESS,
    title="Payment received",
    description="Thank you for your payment.",
    on_load=(PaymentReturnState.load,),
)
def paid_page() -> rx.Component:
    return _returned(
        "Thank you for your payment",
        rx.el.p(
            rx.cond(
                PaymentReturnState.status == "paid",
                rx.fragment("Invoice ", PaymentReturnState.number, " is paid. A receipt is on its way by e-mail."),
                rx.fragment(
                    "Your payment for invoice ",
                    PaymentReturnState.number,
                    " is being confirmed; the invoice shows it as paid within a minute.",
                ),
            ),
            style={**MUTED, "margin_top": theme.SPACE_3, "font_size": theme.TEXT_MD},
        ),
    )


@portal_page(
    routes.PORTAL_PAYMENT_CANCELLED,
    title="Payment cancelled",
    description="The payment was cancelled; nothing was charged.",
    on_load=(PaymentReturnState.load,),
)
def cancelled_page() -> rx.Component:
    return _returned(
        "Payment cancelled",
        rx.el.p(
            "Nothing was charged. You can pay the invoice whenever you are ready.",
            style={**MUTED, "margin_top": theme.SPACE_3, "font_size": theme.TEXT_MD},
        ),
    )


def pages() -> list:
    return [profile_page, paid_page, cancelled_page]
