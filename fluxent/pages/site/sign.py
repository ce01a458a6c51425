"""``/sign/<token>``: a signer reviews and signs a document Fluxent sent them.

Code first (the link alone shows nothing), then the ESIGN disclosure, then the
document with the signer's own fields, a drawn or typed signature and the intent
statement; or declining with a reason. Every control is a plain form control, so
the page works with the keyboard and at phone width.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.auth_layout import auth_card, auth_page
from fluxent.components.forms import FORM_STACK, alert, field, form, submit_button, textarea
from fluxent.components.placement import placed_box
from fluxent.components.signature_pad import signature_pad
from fluxent.services.esign.signing import DISCLOSURE
from fluxent.state.signing import SignField, SigningState, SignPage

MUTED = {"margin": "0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM, "line_height": theme.LEADING_BODY}
SUBHEADING = {"margin": f"{theme.SPACE_6} 0 {theme.SPACE_3}", "font_size": theme.TEXT_LG, "color": theme.INK}
# Long labels wrap instead of widening the card past a phone's screen.
WRAPPING = {
    "white_space": "normal",
    "height": "auto",
    "min_height": theme.CONTROL_HEIGHT,
    "text_align": "center",
    "padding_top": theme.SPACE_2,
    "padding_bottom": theme.SPACE_2,
    "max_width": "100%",
}
PRIMARY = {**theme.BUTTON_PRIMARY, **WRAPPING}
SECONDARY = {**theme.BUTTON_SECONDARY, **WRAPPING}
STEP = {"display": "grid", "gap": theme.SPACE_4, "min_width": "0"}


def _code_step() -> rx.Component:
    return rx.el.div(
        rx.el.p(
            "To protect the document, we e-mail a six-digit code to the address this request was sent to.",
            style=MUTED,
        ),
        rx.cond(
            SigningState.code_sent,
            form(
                field(
                    "Code from the e-mail",
                    "code",
                    input_id="sign-code",
                    input_mode="numeric",
                    auto_complete="one-time-code",
                    max_length=12,
                    required=True,
                ),
                submit_button("Open the document", busy=SigningState.busy, busy_label="Checking…"),
                on_submit=SigningState.submit_code,
                reset_on_submit=True,
                style=FORM_STACK,
                aria_label="Enter the code",
            ),
            rx.el.button(
                "E-mail me a code",
                type="button",
                on_click=SigningState.send_code,
                disabled=~rx.State.is_hydrated,
                style=PRIMARY,
            ),
        ),
        alert(SigningState.code_error, style={"margin_top": theme.SPACE_4}),
        rx.cond(
            SigningState.code_sent,
            rx.el.button(
                "Send a new code",
                type="button",
                on_click=SigningState.send_code,
                style={**SECONDARY, "margin_top": theme.SPACE_4},
            ),
        ),
        style=STEP,
    )


def _consent_step() -> rx.Component:
    return rx.el.div(
        rx.el.h2("Consumer disclosure: electronic records and signatures", style=SUBHEADING),
        *[
            rx.el.div(
                rx.el.h3(title, style={"margin": "0", "font_size": theme.TEXT_MD, "color": theme.INK}),
                rx.el.p(body, style=MUTED),
                style={"display": "grid", "gap": theme.SPACE_1},
            )
            for title, body in DISCLOSURE
        ],
        rx.el.div(
            rx.el.button(
                "I agree to use electronic records and signatures",
                type="button",
                on_click=SigningState.accept_disclosure,
                style=PRIMARY,
            ),
            rx.el.button("Decline to sign", type="button", on_click=SigningState.toggle_decline, style=SECONDARY),
            style={"display": "flex", "gap": theme.SPACE_3, "flex_wrap": "wrap"},
        ),
        _decline_form(),
        style=STEP,
    )


def _marker(item: SignField, page: SignPage) -> rx.Component:
    return rx.cond(
        item.page == page.number,
        rx.el.div(
            rx.el.span(item.title, style={"font_size": "11px", "color": theme.INK}),
            aria_hidden="true",
            style={
                **placed_box(item.left, item.top, item.width, item.height),
                "opacity": "0.85",
                "border_radius": "4px",
                "overflow": "hidden",
            },
        ),
    )


def _page(page: SignPage) -> rx.Component:
    return rx.el.figure(
        rx.el.div(
            rx.el.img(src=page.image, alt=page.label, loading="lazy", style={"width": "100%", "display": "block"}),
            rx.foreach(SigningState.fields, lambda item: _marker(item, page)),
            style={"position": "relative", "border": f"1px solid {theme.LINE}"},
        ),
        rx.el.figcaption(page.label, style=MUTED),
        style={"margin": "0", "display": "grid", "gap": theme.SPACE_1},
    )


def _text_input(item: SignField, label: rx.Component, *, max_length: int, style: dict) -> rx.Component:
    """A text or initials field, saved when the signer leaves it."""
    return rx.el.label(
        label,
        rx.el.input(
            default_value=item.value,
            max_length=max_length,
            id="field-" + item.id.to_string(),
            on_blur=lambda value: SigningState.fill_text(item.id, value),
            style=style,
        ),
        style={**theme.LABEL, "display": "grid", "gap": theme.SPACE_1},
    )


def _field_control(item: SignField) -> rx.Component:
    label = rx.el.span(item.title, " (", item.page_label, ")")
    return rx.el.li(
        rx.match(
            item.kind,
            ("text", _text_input(item, label, max_length=200, style=theme.CONTROL)),
            (
                "initials",
                _text_input(
                    item,
                    label,
                    max_length=8,
                    style={**theme.CONTROL, "font_family": theme.FONT_SIGNATURE, "max_width": "8rem"},
                ),
            ),
            (
                "checkbox",
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        default_checked=item.checked,
                        id="field-" + item.id.to_string(),
                        on_change=lambda checked: SigningState.tick(item.id, checked),
                        style=theme.CHECKBOX,
                    ),
                    label,
                    style={"display": "flex", "gap": theme.SPACE_3, "align_items": "center"},
                ),
            ),
            rx.el.p(
                label,
                " — ",
                rx.cond(item.kind == "date", "filled in when you sign", "your signature below"),
                style=MUTED,
            ),
        ),
        style={"list_style": "none", "padding": f"{theme.SPACE_2} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _signature_choice() -> rx.Component:
    tab = {**theme.BUTTON_SECONDARY, "&[aria-pressed='true']": {"background": theme.INK, "color": theme.ON_INK}}
    return rx.el.div(
        rx.el.h2("Your signature", style=SUBHEADING),
        rx.el.div(
            *[
                rx.el.button(
                    label,
                    type="button",
                    aria_pressed=rx.cond(SigningState.mode == mode, "true", "false"),
                    on_click=SigningState.choose_mode(mode),
                    style=tab,
                )
                for mode, label in (("drawn", "Draw"), ("typed", "Type"))
            ],
            role="group",
            aria_label="How to sign",
            style={"display": "flex", "gap": theme.SPACE_2},
        ),
        rx.cond(
            SigningState.mode == "drawn",
            rx.el.div(
                signature_pad(on_drawn=SigningState.drew, label="Draw your signature with a mouse, pen or finger"),
                rx.el.p("Draw with a mouse, pen or finger; or choose Type to sign with the keyboard.", style=MUTED),
                style={"display": "grid", "gap": theme.SPACE_2},
            ),
            rx.el.div(
                rx.el.label("Type your full name", html_for="typed-signature", style=theme.LABEL),
                rx.el.input(
                    id="typed-signature",
                    default_value=SigningState.typed_name,
                    max_length=100,
                    auto_complete="name",
                    on_change=SigningState.set_typed_name,
                    style=theme.CONTROL,
                ),
                rx.el.p(
                    SigningState.typed_name,
                    aria_hidden="true",
                    style={
                        "font_family": theme.FONT_SIGNATURE,
                        "font_size": "2.25rem",
                        "color": theme.INK,
                        "margin": "0",
                        "min_height": "3rem",
                    },
                ),
                style={"display": "grid", "gap": theme.SPACE_2},
            ),
        ),
        style={"display": "grid", "gap": theme.SPACE_3},
    )


def _sign_step() -> rx.Component:
    return rx.el.div(
        rx.cond(SigningState.message != "", rx.el.p(SigningState.message, style={**MUTED, "white_space": "pre-wrap"})),
        rx.el.h2("The document", style=SUBHEADING),
        rx.cond(
            SigningState.pages.length() > 0,
            rx.el.div(rx.foreach(SigningState.pages, _page), style={"display": "grid", "gap": theme.SPACE_4}),
            rx.el.p("Loading the pages…", style=MUTED),
        ),
        rx.el.h2("Your fields", style=SUBHEADING),
        rx.el.ul(rx.foreach(SigningState.fields, _field_control), style={"margin": "0", "padding": "0"}),
        _signature_choice(),
        rx.el.label(
            rx.el.input(
                type="checkbox",
                id="intent",
                default_checked=False,
                on_change=SigningState.set_intent,
                style=theme.CHECKBOX,
            ),
            "I intend to sign this document electronically, and I agree that my electronic signature is the "
            "legal equivalent of my handwritten signature.",
            style={
                "display": "flex",
                "gap": theme.SPACE_3,
                "align_items": "flex-start",
                "color": theme.TEXT,
                "font_size": theme.TEXT_SM,
                "margin_top": theme.SPACE_4,
            },
        ),
        alert(SigningState.sign_error),
        rx.el.div(
            rx.el.button(
                rx.cond(SigningState.busy, "Signing…", "Sign and finish"),
                type="button",
                on_click=SigningState.finish,
                disabled=SigningState.busy | ~rx.State.is_hydrated,
                style=PRIMARY,
            ),
            rx.el.button("Decline to sign", type="button", on_click=SigningState.toggle_decline, style=SECONDARY),
            style={"display": "flex", "gap": theme.SPACE_3, "flex_wrap": "wrap"},
        ),
        _decline_form(),
        style={**STEP, "gap": theme.SPACE_3},
    )


def _decline_form() -> rx.Component:
    return rx.cond(
        SigningState.declining,
        form(
            textarea("Why do you decline?", "reason", input_id="decline-reason", required=True, max_length=2000),
            alert(SigningState.decline_error),
            submit_button("Decline", busy=SigningState.busy, busy_label="Declining…", danger=True),
            on_submit=SigningState.decline,
            style=FORM_STACK,
            aria_label="Decline to sign",
        ),
    )


def _ended(text: str) -> rx.Component:
    return rx.el.p(text, role="status", style={**MUTED, "font_size": theme.TEXT_MD})


@auth_page(
    routes.SIGN,
    title="Sign a document",
    description="Review and sign a document Fluxent sent you.",
    on_load=SigningState.load,
)
def page() -> rx.Component:
    return auth_card(
        rx.match(
            SigningState.step,
            ("invalid", alert(SigningState.problem)),
            ("code", _code_step()),
            ("consent", _consent_step()),
            ("sign", _sign_step()),
            (
                "done",
                _ended(
                    "Thank you: you have signed. Once everyone has signed, the signed document "
                    "with its completion certificate is e-mailed to you."
                ),
            ),
            ("declined", _ended("You declined to sign. Fluxent has been told and will be in touch.")),
            rx.el.p("Opening the document…", style=MUTED),
        ),
        heading=rx.cond(SigningState.title != "", SigningState.title, "Sign a document"),
        intro=rx.cond(
            SigningState.signer_name != "", SigningState.organization + " · for " + SigningState.signer_name, ""
        ),
        icon="signature",
        wide=True,
    )
