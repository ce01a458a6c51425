"""``/login``: three ways in, as tabs — password, an e-mailed code, an e-mailed link — and,
when single sign-on is set up, a fourth for Fluxent staff: their company account.

The password form is a native post to the API (which sets the HttpOnly session
cookie and redirects), sent only when both fields are filled in; blank fields, and a
refused sign-in on the way back, are named in the form's summary and the first takes the
focus. The two e-mail requests are Reflex events calling the
services, so the page can say what happens next without leaving it.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import brand, theme
from fluxent.components.auth_layout import (
    auth_card,
    auth_page,
    card_footer,
    email_request_form,
    mail_sent,
    query_messages,
    text_link,
)
from fluxent.components.forms import FORM_STACK, alert, field, submit_button
from fluxent.components.native_form import api_form
from fluxent.components.public_layout import plain_link
from fluxent.components.tab_button import TabButton
from fluxent.state.sign_in import CODE_TAB, LINK_TAB, PASSWORD_FIELDS, PASSWORD_TAB, SignInState

TABS = ((PASSWORD_TAB, "Password", "key-round"), (CODE_TAB, "E-mail code", "hash"), (LINK_TAB, "Magic link", "link"))


def _tab(value: str, label: str, icon: str) -> rx.Component:
    selected = SignInState.tab == value
    return TabButton.create(
        rx.icon(icon, size=16, aria_hidden="true"),
        label,
        type="button",
        role="tab",
        id=f"tab-{value}",
        aria_selected=rx.cond(selected, "true", "false"),
        aria_controls=f"panel-{value}",
        tab_index=rx.cond(selected, 0, -1),
        on_click=SignInState.show_tab(value),
        on_key_down=SignInState.move_tab,
        style={
            "flex": "1",
            "display": "inline-flex",
            "align_items": "center",
            "justify_content": "center",
            "gap": theme.SPACE_2,
            "height": theme.CONTROL_HEIGHT_SM,
            "padding_x": theme.SPACE_2,
            "border": "none",
            "border_radius": theme.RADIUS_PILL,
            "background": theme.TRANSPARENT,
            "color": theme.TEXT_MUTED,
            "font_family": theme.FONT_SANS,
            "font_size": theme.TEXT_SM,
            "font_weight": theme.WEIGHT_SEMIBOLD,
            "white_space": "nowrap",
            "cursor": "pointer",
            "transition": theme.TRANSITION,
            "&:hover": {"color": theme.INK},
            "&[aria-selected='true']": {"background": theme.SURFACE, "color": theme.INK, "box_shadow": theme.SHADOW_MD},
            theme.PHONE: {"& svg": {"display": "none"}},
        },
    )


def _tabs() -> rx.Component:
    return rx.el.div(
        *[_tab(*tab) for tab in TABS],
        role="tablist",
        aria_label="How to sign in",
        style={
            "display": "flex",
            "gap": theme.SPACE_1,
            "padding": theme.SPACE_1,
            "margin_bottom": theme.SPACE_6,
            "border_radius": theme.RADIUS_PILL,
            "background": theme.CANVAS,
            "border": f"1px solid {theme.LINE}",
        },
    )


def _panel(value: str, *children: rx.Component) -> rx.Component:
    return rx.el.div(
        *children,
        role="tabpanel",
        id=f"panel-{value}",
        aria_labelledby=f"tab-{value}",
        hidden=SignInState.tab != value,
    )


def _password_panel() -> rx.Component:
    return _panel(
        PASSWORD_TAB,
        api_form(
            rx.el.input(type="hidden", name="next", value=SignInState.next_route),
            alert(
                SignInState.password_form_errors,
                fields=PASSWORD_FIELDS,
                data_testid="password-form-error",
            ),
            field(
                dict(PASSWORD_FIELDS)["login"],
                input_id="login",
                name="login",
                type="text",
                auto_complete="username",
                auto_capitalize="none",
                spell_check=False,
                aria_required="true",
                max_length=320,
                on_blur=SignInState.check_login,
                error=SignInState.login_error,
            ),
            field(
                dict(PASSWORD_FIELDS)["password"],
                input_id="password",
                name="password",
                type="password",
                auto_complete="current-password",
                aria_required="true",
                on_blur=SignInState.check_password,
                error=SignInState.password_error,
            ),
            rx.el.div(
                text_link("Forgot your password?", routes.FORGOT_PASSWORD),
                style={
                    "display": "flex",
                    "justify_content": "flex-end",
                    "margin_top": f"-{theme.SPACE_3}",
                    "font_size": theme.TEXT_SM,
                },
            ),
            submit_button("Sign in", busy_label="Signing in…", busy=SignInState.busy, full_width=True),
            api_path=routes.API_LOGIN,
            checked=True,
            on_submit=SignInState.post_password,
            aria_label="Sign in with your password",
            style=FORM_STACK,
        ),
    )


def _code_panel() -> rx.Component:
    return _panel(
        CODE_TAB,
        email_request_form(
            "E-mail me a code",
            input_id="code-email",
            error=SignInState.code_email_error,
            busy=SignInState.code_busy,
            on_submit=SignInState.request_code,
            hint="We'll send a 6-digit code. No password needed.",
        ),
    )


def _link_sent() -> rx.Component:
    return mail_sent(
        SignInState.link_email,
        ", a sign-in link is on its way. It works once and expires soon; open it in this browser.",
        start_over=SignInState.use_another_address,
        test_id="link-sent",
        heading="Check your e-mail",
    )


def _link_panel() -> rx.Component:
    return _panel(
        LINK_TAB,
        rx.cond(
            SignInState.link_sent,
            _link_sent(),
            email_request_form(
                "E-mail me a sign-in link",
                input_id="link-email",
                error=SignInState.link_email_error,
                busy=SignInState.link_busy,
                on_submit=SignInState.request_link,
                hint="We'll send a link that signs you in with one click.",
            ),
        ),
    )


def _staff_sso() -> rx.Component:
    """A native post to the single sign-on start, which sends the browser to the identity provider."""
    return rx.cond(
        SignInState.sso_offered,
        api_form(
            rx.el.input(type="hidden", name="next", value=SignInState.next_route),
            rx.el.p(
                "Fluxent staff",
                style={
                    "margin": "0",
                    "color": theme.TEXT_MUTED,
                    "font_size": theme.TEXT_SM,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                },
            ),
            rx.el.button(
                rx.icon("building-2", size=16, aria_hidden="true"),
                "Sign in with your company account",
                type="submit",
                disabled=~rx.State.is_hydrated,
                style={**theme.BUTTON_SECONDARY, "width": "100%", "gap": theme.SPACE_2},
            ),
            api_path=routes.API_SSO_START,
            aria_label="Staff: sign in with your company account",
            data_testid="staff-sso",
            style={
                **FORM_STACK,
                "margin_top": theme.SPACE_6,
                "padding_top": theme.SPACE_5,
                "border_top": f"1px solid {theme.LINE}",
            },
        ),
    )


@auth_page(routes.LOGIN, title="Sign in", description="Sign in to the Fluxent client portal.", on_load=SignInState.load)
def page() -> rx.Component:
    return auth_card(
        # A refused sign-in's message is the password form's own, above its fields.
        rx.cond(SignInState.form_error == "", query_messages()),
        _tabs(),
        _password_panel(),
        _code_panel(),
        _link_panel(),
        _staff_sso(),
        card_footer(
            "No account yet? Your delivery lead sends an invitation when your engagement starts. ",
            plain_link(
                "Contact support",
                href=f"mailto:{brand.SUPPORT_EMAIL}",
                style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD, "text_decoration": "none"},
            ),
        ),
        heading="Sign in to your portal",
        intro="Engagements, documents, invoices and signatures for your builds with Fluxent.",
    )
