"""Security: change the password, two-step sign-in and passkeys, see where you are signed in, sign other sessions out."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.spinner import spinner
from fluxent.pages.portal import passkeys_section, two_step_section
from fluxent.services.auth.password_policy import MIN_LENGTH
from fluxent.state.passkeys import PasskeysState
from fluxent.state.security import SecurityState
from fluxent.state.two_step import TwoStepState

_CELL: dict[str, Any] = {
    "padding": f"{theme.SPACE_4} {theme.SPACE_3}",
    "border_top": f"1px solid {theme.LINE}",
    "text_align": "left",
    "vertical_align": "middle",
    "font_size": theme.TEXT_SM,
    "color": theme.TEXT,
}
_HEAD: dict[str, Any] = {**_CELL, "border_top": "none", "padding_top": "0", "color": theme.TEXT_SUBTLE, **theme.EYEBROW}


def _password_form() -> rx.Component:
    errors = SecurityState.password_errors
    return forms.form(
        forms.alert(errors),
        rx.el.div(
            forms.field(
                "Current password",
                "current_password",
                errors,
                form_id="password",
                type="password",
                auto_complete="current-password",
                required=True,
            ),
            forms.field(
                "New password",
                "new_password",
                errors,
                form_id="password",
                type="password",
                auto_complete="new-password",
                required=True,
                min_length=MIN_LENGTH,
                max_length=256,
                hint=f"At least {MIN_LENGTH} characters. A phrase of words that don't belong together works well.",
            ),
            style={
                "display": "grid",
                "gap": theme.SPACE_5,
                theme.TABLET_UP: {"grid_template_columns": "repeat(2, minmax(0, 1fr))"},
            },
        ),
        rx.el.div(
            forms.submit_button("Change password", SecurityState.changing_password, "Changing…"),
            rx.el.p(
                "Every other session is signed out when you change it.",
                style={"margin": "0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM},
            ),
            style={
                "display": "flex",
                "flex_wrap": "wrap",
                "align_items": "center",
                "gap": theme.SPACE_4,
                "margin_top": theme.SPACE_6,
            },
        ),
        # Hidden username for password managers, so they store the new password against the right account.
        rx.el.input(
            type="text",
            name="username",
            auto_complete="username",
            default_value=SecurityState.user_email,
            hidden=True,
            read_only=True,
            aria_hidden="true",
            tab_index=-1,
        ),
        key=SecurityState.password_form_version,
        on_submit=SecurityState.change_password,
        aria_label="Change password",
        style={"display": "grid", "gap": theme.SPACE_4},
    )


def _device(row: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.span(
            rx.match(
                row["kind"],
                ("phone", rx.icon("smartphone", size=18)),
                ("tablet", rx.icon("tablet", size=18)),
                ("desktop", rx.icon("monitor", size=18)),
                rx.icon("globe", size=18),
            ),
            aria_hidden="true",
            style=theme.icon_tile("36px", background=theme.CANVAS, color=theme.INK),
        ),
        rx.el.span(row["device"], style={"color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}),
        rx.cond(row["current"] != "", forms.badge("This device", tone="success")),
        style={"display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_3},
    )


def _revoke_button(row: rx.Var, *, full_width: bool = False) -> rx.Component:
    return rx.cond(
        row["current"] != "",
        rx.el.span("Current session", style={"color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM}),
        rx.el.button(
            rx.cond(
                SecurityState.revoking == row["id"], spinner(size="1"), rx.icon("log-out", size=14, aria_hidden="true")
            ),
            "Sign out",
            type="button",
            on_click=SecurityState.revoke(row["id"]),
            disabled=SecurityState.revoking != "",
            aria_label="Sign out this session",
            style={
                **theme.BUTTON_SECONDARY,
                "height": theme.CONTROL_HEIGHT_SM,
                "padding_x": theme.SPACE_4,
                **({"width": "100%"} if full_width else {}),
            },
        ),
    )


def _table_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(_device(row), style=_CELL),
        rx.el.td(row["ip"], style={**_CELL, "font_family": theme.FONT_MONO, "font_size": theme.TEXT_XS}),
        rx.el.td(row["created"], style=_CELL),
        rx.el.td(row["last_seen"], style=_CELL),
        rx.el.td(_revoke_button(row), style={**_CELL, "text_align": "right"}),
        data_testid="session-row",
    )


def _detail(label: str, value: rx.Var, *, mono: bool = False) -> rx.Component:
    return rx.el.div(
        rx.el.dt(label, style={"color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_XS}),
        rx.el.dd(
            value,
            style={
                "margin": "0",
                "color": theme.TEXT,
                "font_size": theme.TEXT_SM,
                **({"font_family": theme.FONT_MONO} if mono else {}),
            },
        ),
    )


def _card(row: rx.Var) -> rx.Component:
    return rx.el.li(
        _device(row),
        rx.el.dl(
            _detail("IP address", row["ip"], mono=True),
            _detail("Last active", row["last_seen"]),
            _detail("Signed in", row["created"]),
            style={
                "display": "grid",
                "grid_template_columns": "repeat(2, minmax(0, 1fr))",
                "gap": theme.SPACE_3,
                "margin": f"{theme.SPACE_4} 0",
            },
        ),
        _revoke_button(row, full_width=True),
        data_testid="session-card",
        style={
            "padding": theme.SPACE_4,
            "border": f"1px solid {theme.LINE}",
            "border_radius": theme.RADIUS_MD,
            "background": theme.SURFACE,
        },
    )


def _sessions() -> rx.Component:
    table = rx.el.table(
        rx.el.thead(
            rx.el.tr(
                rx.el.th("Device", scope="col", style=_HEAD),
                rx.el.th("IP address", scope="col", style=_HEAD),
                rx.el.th("Signed in", scope="col", style=_HEAD),
                rx.el.th("Last active", scope="col", style=_HEAD),
                rx.el.th(rx.el.span("Action", style=theme.VISUALLY_HIDDEN), scope="col", style=_HEAD),
            )
        ),
        rx.el.tbody(rx.foreach(SecurityState.sessions, _table_row)),
        style={
            "display": "none",
            "width": "100%",
            "border_collapse": "collapse",
            theme.TABLET_UP: {"display": "table"},
        },
    )
    cards = rx.el.ul(
        rx.foreach(SecurityState.sessions, _card),
        style={
            "list_style": "none",
            "margin": "0",
            "padding": "0",
            "display": "grid",
            "gap": theme.SPACE_3,
            theme.TABLET_UP: {"display": "none"},
        },
    )
    others = rx.el.div(
        rx.el.p(
            SecurityState.others_summary,
            style={"margin": "0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM},
        ),
        rx.el.button(
            rx.cond(
                SecurityState.revoking == "others",
                spinner(size="1"),
                rx.icon("shield-off", size=14, aria_hidden="true"),
            ),
            "Sign out all other sessions",
            type="button",
            on_click=SecurityState.revoke_others,
            disabled=(SecurityState.other_sessions == 0) | (SecurityState.revoking != ""),
            style={
                **theme.BUTTON_SECONDARY,
                "height": theme.CONTROL_HEIGHT_SM,
                "padding_x": theme.SPACE_4,
                "&:disabled": {"opacity": "0.55", "cursor": "not-allowed"},
            },
        ),
        style={
            "display": "flex",
            "flex_wrap": "wrap",
            "align_items": "center",
            "justify_content": "space-between",
            "gap": theme.SPACE_3,
            "margin_bottom": theme.SPACE_5,
            "padding": theme.SPACE_4,
            "border_radius": theme.RADIUS_MD,
            "background": theme.CANVAS,
        },
    )
    return rx.cond(
        SecurityState.sessions_loaded,
        rx.fragment(others, table, cards),
        rx.el.div(spinner(size="3"), style={"display": "flex", "justify_content": "center", "padding": theme.SPACE_8}),
    )


@portal_page(
    routes.PORTAL_SECURITY,
    title="Security",
    description="Change your password, set up two-step sign-in and see where you are signed in.",
    on_load=(SecurityState.load, TwoStepState.load_two_step, PasskeysState.load_passkeys),
    own_account=True,
)
def page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Security", "Your password, two-step sign-in and the devices signed in to your account."),
        rx.el.div(
            forms.section_card(
                "Password",
                "Use a long passphrase you don't use anywhere else.",
                _password_form(),
                section_id="password",
                icon="key-round",
            ),
            two_step_section.section(),
            passkeys_section.section(),
            forms.section_card(
                "Where you're signed in",
                "Sign out any session you don't recognise, then change your password.",
                _sessions(),
                section_id="sessions",
                icon="monitor-smartphone",
            ),
            style={"display": "grid", "gap": theme.SPACE_6},
        ),
    )
