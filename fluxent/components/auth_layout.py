"""The sign-in pages' frame and form parts: a centred card inside the public layout.

A page becomes a sign-in page in one line::

    @auth_page(routes.FORGOT_PASSWORD, title="Reset your password", description="...")
    def page() -> rx.Component: ...

which also makes sure the CSRF cookie exists before any form is posted. Fields,
buttons and messages come from the form kit (``components.forms``); the forms are
one column (``forms.FORM_STACK``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import brand, forms, theme
from fluxent.components.public_layout import (
    PageBody,
    PageSpec,
    back_link,
    main_region,
    page_frame,
    page_title,
    site_footer,
    site_header,
)
from fluxent.state.auth_messages import AuthMessagesState
from fluxent.state.csrf import CsrfState
from fluxent.state.new_password import NewPasswordState

VarOrStr = rx.Var | str


def auth_page(
    route: str, *, title: str, description: str, on_load: Any = None, footer: bool = True
) -> Callable[[PageBody], PageBody]:
    """Wrap a page body in the public header and footer around a centred card area."""
    loads = [CsrfState.ensure_token, *(on_load if isinstance(on_load, list) else [on_load] if on_load else [])]

    def decorate(body: PageBody) -> PageBody:
        @functools.wraps(body)
        def page() -> rx.Component:
            return page_frame(site_header(None), _card_area(body()), *([site_footer()] if footer else []))

        page.spec = PageSpec(route=route, title=page_title(title), description=description, on_load=loads)  # type: ignore[attr-defined]
        return page

    return decorate


def _card_area(*children: rx.Component) -> rx.Component:
    return main_region(
        *children,
        style={
            "display": "flex",
            "flex_direction": "column",
            "align_items": "center",
            "padding": f"{theme.SPACE_12} {theme.GUTTER} {theme.SPACE_16}",
            "background": f"radial-gradient(1200px 500px at 50% -10%, {theme.ACCENT_SOFT}, {theme.CANVAS})",
            theme.PHONE: {"padding": f"{theme.SPACE_6} {theme.SPACE_4} {theme.SPACE_12}"},
        },
    )


def auth_card(
    *children: rx.Component, heading: VarOrStr, intro: VarOrStr = "", icon: str = "", wide: bool = False, **props: Any
) -> rx.Component:
    """The card: an icon tile, the page's one ``h1``, a line of introduction, then the content."""
    return rx.el.section(
        rx.el.div(
            rx.el.span(
                rx.icon(icon, size=22),
                aria_hidden="true",
                style=theme.icon_tile(background=theme.INK, color=theme.MINT),
            )
            if icon
            else brand.logo_mark("44px"),
            rx.el.h1(
                heading,
                id="auth-heading",
                style={**theme.HEADING_1, "font_size": theme.HEADING_SM, "margin": f"{theme.SPACE_5} 0 0"},
            ),
            _intro(intro),
            style={"margin_bottom": theme.SPACE_6},
        ),
        *children,
        aria_labelledby="auth-heading",
        style={
            **theme.CARD,
            "box_shadow": theme.SHADOW_LG,
            "padding": theme.SPACE_10,
            "width": "100%",
            "max_width": theme.PORTAL_MAX_WIDTH if wide else theme.PANEL_MAX_WIDTH,
            theme.PHONE: {"padding": f"{theme.SPACE_8} {theme.SPACE_5}"},
        },
        **props,
    )


def _intro(intro: VarOrStr) -> rx.Component:
    paragraph = rx.el.p(
        intro, style={"margin": f"{theme.SPACE_2} 0 0", "color": theme.TEXT_MUTED, "line_height": theme.LEADING_BODY}
    )
    if isinstance(intro, rx.Var):
        return rx.cond(intro != "", paragraph)
    return paragraph if intro else rx.fragment()


# Messages --------------------------------------------------------------------


def query_messages() -> rx.Component:
    """The ``?error=`` and ``?notice=`` of the URL, in words."""
    return rx.fragment(
        *[
            forms.alert(message, tone=tone, data_testid=f"auth-{tone}", style={"margin_bottom": theme.SPACE_5})
            for message, tone in ((AuthMessagesState.error, "error"), (AuthMessagesState.notice, "notice"))
        ]
    )


# Form parts ------------------------------------------------------------------


def text_link(label: str, href: VarOrStr, **props: Any) -> rx.Component:
    return rx.el.a(
        label,
        href=href,
        style={
            "color": theme.ACCENT,
            "font_weight": theme.WEIGHT_SEMIBOLD,
            "text_decoration": "none",
            "&:hover": {"text_decoration": "underline"},
        },
        **props,
    )


def card_footer(*children: rx.Component | str) -> rx.Component:
    """A quiet line under the form: the way back, or another way in."""
    return rx.el.p(
        *children,
        style={
            "margin": f"{theme.SPACE_6} 0 0",
            "padding_top": theme.SPACE_5,
            "border_top": f"1px solid {theme.LINE}",
            "color": theme.TEXT_MUTED,
            "font_size": theme.TEXT_SM,
            "text_align": "center",
        },
    )


def back_to_sign_in() -> rx.Component:
    return card_footer(back_link("Back to sign in", routes.LOGIN))


def new_password_field(*, on_change: Any, label: str = "New password") -> rx.Component:
    """A new-password input with the policy's verdict under it, updated as the person types."""
    tone = rx.cond(
        NewPasswordState.password_ok,
        theme.SUCCESS,
        rx.cond(NewPasswordState.password_checked, theme.DANGER, theme.TEXT_SUBTLE),
    )
    verdict = rx.el.div(
        rx.cond(
            NewPasswordState.password_ok,
            rx.icon("circle-check", size=16, aria_hidden="true", style={"flex_shrink": "0"}),
            rx.cond(
                NewPasswordState.password_checked,
                rx.icon("circle-alert", size=16, aria_hidden="true", style={"flex_shrink": "0"}),
                rx.icon("info", size=16, aria_hidden="true", style={"flex_shrink": "0"}),
            ),
        ),
        rx.el.span(NewPasswordState.password_hint, data_testid="password-hint"),
        aria_live="polite",
        style={
            "display": "flex",
            "align_items": "flex-start",
            "gap": theme.SPACE_2,
            "color": tone,
            "line_height": theme.LEADING_SNUG,
        },
    )
    return forms.field(
        label,
        "password",
        input_id="new-password",
        type="password",
        auto_complete="new-password",
        required=True,
        max_length=1024,
        on_change=on_change,
        hint=verdict,
    )


def email_request_form(
    label: str, *, input_id: str, error: rx.Var, busy: rx.Var, on_submit: Any, hint: str | None = None
) -> rx.Component:
    """One e-mail address and the button (``label``) that asks for a code or a link to be sent to it."""
    return forms.form(
        forms.field(
            "E-mail address",
            input_id=input_id,
            name="email",
            type="email",
            auto_complete="email",
            auto_capitalize="none",
            spell_check=False,
            required=True,
            max_length=320,
            error=error,
            hint=hint,
        ),
        forms.submit_button(label, busy_label="Sending…", busy=busy, full_width=True),
        on_submit=on_submit,
        reset_on_submit=False,
        style=forms.FORM_STACK,
    )


def mail_sent(email: rx.Var, what_follows: str, *, start_over: Any, test_id: str, heading: str = "") -> rx.Component:
    """The "it's on its way" panel after an e-mail request: the same words whether or not
    the address has an account, and a way to try another address."""
    header = (
        [
            rx.el.span(
                rx.icon("mail-check", size=22),
                aria_hidden="true",
                style=theme.icon_tile(background=theme.SUCCESS_SOFT, color=theme.SUCCESS),
            ),
            rx.el.h2(
                heading,
                style={**theme.HEADING_2, "font_size": theme.TEXT_LG, "margin": f"{theme.SPACE_4} 0 {theme.SPACE_2}"},
            ),
        ]
        if heading
        else []
    )
    centered = {"text_align": "center", "display": "flex", "flex_direction": "column", "align_items": "center"}
    return rx.el.div(
        *header,
        rx.el.p(
            "If an account uses ",
            rx.el.strong(email, style={"color": theme.INK, "word_break": "break-all"}),
            what_follows,
            style={"margin": "0", "color": theme.TEXT_MUTED, "line_height": theme.LEADING_BODY},
        ),
        rx.el.button(
            "Use a different address",
            type="button",
            on_click=start_over,
            style={**theme.BUTTON_SECONDARY, "width": "100%", "margin_top": theme.SPACE_6},
        ),
        role="status",
        data_testid=test_id,
        style=centered if heading else {},
    )
