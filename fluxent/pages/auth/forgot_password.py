"""``/forgot-password``: e-mail a link to choose a new password."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components.auth_layout import (
    auth_card,
    auth_page,
    back_to_sign_in,
    email_request_form,
    mail_sent,
    query_messages,
)
from fluxent.state.forgot_password import ForgotPasswordState


def _form() -> rx.Component:
    return email_request_form(
        "E-mail me a reset link",
        input_id="reset-email",
        error=ForgotPasswordState.email_error,
        busy=ForgotPasswordState.busy,
        on_submit=ForgotPasswordState.request_reset,
    )


@auth_page(
    routes.FORGOT_PASSWORD,
    title="Forgot your password",
    description="Get a link to choose a new password for the Fluxent portal.",
    on_load=ForgotPasswordState.load,
)
def page() -> rx.Component:
    return auth_card(
        rx.cond(
            ForgotPasswordState.sent,
            mail_sent(
                ForgotPasswordState.email,
                ", a link to choose a new password is on its way. It works once, for a short time.",
                start_over=ForgotPasswordState.start_over,
                test_id="reset-sent",
            ),
            rx.fragment(query_messages(), _form()),
        ),
        back_to_sign_in(),
        heading=rx.cond(ForgotPasswordState.sent, "Check your e-mail", "Forgot your password?"),
        intro=rx.cond(
            ForgotPasswordState.sent,
            "One more step.",
            "Enter the address you sign in with and we'll e-mail you a link to choose a new one.",
        ),
        icon="key-round",
    )
