"""``/login/verify``: enter the 6-digit code from the e-mail; posts to the API, which signs in."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.auth_layout import auth_card, auth_page, card_footer, query_messages, text_link
from fluxent.components.forms import FORM_STACK, field, submit_button
from fluxent.components.native_form import api_form
from fluxent.state.sign_in import CODE_LENGTH, CODE_TAB, SignInState


def _address() -> rx.Component:
    """The address the code went to: shown with a way to change it, or asked for after a fresh load."""
    return rx.cond(
        SignInState.code_email != "",
        rx.el.div(
            rx.el.input(type="hidden", name="email", value=SignInState.code_email),
            rx.el.span(
                "Code sent to",
                style={
                    "display": "block",
                    "color": theme.TEXT_SUBTLE,
                    "font_size": theme.TEXT_XS,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "text_transform": "uppercase",
                    "letter_spacing": theme.TRACKING_WIDE,
                },
            ),
            rx.el.span(
                SignInState.code_email,
                data_testid="code-address",
                style={
                    "display": "block",
                    "color": theme.INK,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "word_break": "break-all",
                },
            ),
            style={
                "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
                "border_radius": theme.RADIUS_MD,
                "background": theme.CANVAS,
                "border": f"1px solid {theme.LINE}",
            },
        ),
        field(
            "E-mail address",
            input_id="verify-email",
            name="email",
            type="email",
            auto_complete="email",
            auto_capitalize="none",
            required=True,
            max_length=320,
        ),
    )


@auth_page(
    routes.LOGIN_VERIFY,
    title="Enter your code",
    description="Enter the sign-in code we e-mailed you.",
    on_load=SignInState.load,
)
def page() -> rx.Component:
    return auth_card(
        query_messages(),
        api_form(
            rx.el.input(type="hidden", name="next", value=SignInState.next_route),
            _address(),
            field(
                "Sign-in code",
                input_id="code",
                name="code",
                type="text",
                input_mode="numeric",
                auto_complete="one-time-code",
                max_length=CODE_LENGTH * 2,
                required=True,
                on_blur=SignInState.check_code,
                error=SignInState.code_error,
                hint=f"{CODE_LENGTH} digits. The code works once and expires after a few minutes.",
                input_style={
                    "font_family": theme.FONT_MONO,
                    "font_size": theme.TEXT_XL,
                    "letter_spacing": "0.35em",
                    "text_align": "center",
                },
            ),
            submit_button("Sign in", busy_label="Signing in…", busy=SignInState.busy, full_width=True),
            api_path=routes.API_OTP_VERIFY,
            on_submit=SignInState.posting,
            aria_label="Sign in with your code",
            style=FORM_STACK,
        ),
        card_footer(
            "Didn't get it? Check your spam folder, or ",
            text_link("send a new code", f"{routes.LOGIN}?tab={CODE_TAB}"),
            ".",
        ),
        heading="Enter your sign-in code",
        intro="Check your inbox for an e-mail from Fluxent with a 6-digit code.",
        icon="mail",
    )
