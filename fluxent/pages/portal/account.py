"""Account: the person's name and contact details, and a new e-mail address confirmed by code."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.spinner import spinner
from fluxent.state.account import PROFILE_FORM, PROFILE_LABELS, AccountState

_TWO_COLUMNS = {
    "display": "grid",
    "gap": theme.SPACE_5,
    theme.TABLET_UP: {"grid_template_columns": "repeat(2, minmax(0, 1fr))"},
}
_ACTIONS = {
    "display": "flex",
    "flex_wrap": "wrap",
    "align_items": "center",
    "gap": theme.SPACE_3,
    "margin_top": theme.SPACE_6,
}


def _profile_form() -> rx.Component:
    errors = AccountState.errors
    value = AccountState.profile

    def text(label: str, name: str, auto_complete: str, **props) -> rx.Component:
        return forms.field(
            label, name, errors, form_id="profile", default_value=value[name], auto_complete=auto_complete, **props
        )

    return forms.form(
        forms.alert(errors, fields=PROFILE_LABELS, form_id=PROFILE_FORM),
        rx.el.div(
            text("Full name", "name", "name", max_length=200),
            text("Username", "username", "username", max_length=64, hint="Lower-case letters, digits, dots, dashes."),
            text("Phone", "phone", "tel", type="tel", max_length=40),
            text("Company", "company", "organization", max_length=200),
            text(
                "Country",
                "country",
                "country",
                max_length=2,
                hint="Two-letter code, such as US or DE.",
                input_style={"text_transform": "uppercase"},
            ),
            style={**_TWO_COLUMNS, "margin_top": theme.SPACE_2},
        ),
        rx.el.fieldset(
            rx.el.legend(
                "E-mail address",
                style={
                    "padding": f"0 {theme.SPACE_2}",
                    "color": theme.INK,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "font_size": theme.TEXT_SM,
                },
            ),
            rx.el.p(
                "To change it, enter the new address and your current password. We send a 6-digit code to the "
                "new address; the change applies once you enter it here.",
                style={
                    "margin": f"0 0 {theme.SPACE_4}",
                    "color": theme.TEXT_MUTED,
                    "font_size": theme.TEXT_SM,
                    "line_height": theme.LEADING_BODY,
                },
            ),
            rx.el.div(
                text("E-mail", "email", "email", type="email", max_length=254),
                forms.field(
                    "Current password",
                    "current_password",
                    errors,
                    form_id="profile",
                    type="password",
                    auto_complete="current-password",
                    hint="Only needed to change your e-mail address.",
                ),
                style=_TWO_COLUMNS,
            ),
            style={
                "margin": f"{theme.SPACE_6} 0 0",
                "padding": f"{theme.SPACE_4} {theme.SPACE_5} {theme.SPACE_5}",
                "border": f"1px solid {theme.LINE}",
                "border_radius": theme.RADIUS_MD,
                "min_width": "0",
            },
        ),
        rx.el.div(forms.submit_button("Save changes", AccountState.busy == "profile", "Saving…"), style=_ACTIONS),
        key=AccountState.form_version,
        on_submit=AccountState.save,
        aria_label="Profile",
        style={"display": "grid", "gap": theme.SPACE_4},
    )


def _email_code_form() -> rx.Component:
    return rx.cond(
        AccountState.pending_email != "",
        rx.el.section(
            rx.el.div(
                rx.el.span(
                    rx.icon("mail-check", size=20),
                    aria_hidden="true",
                    style=theme.icon_tile(theme.ICON_TILE_SM, background=theme.SURFACE),
                ),
                rx.el.div(
                    rx.el.h2(
                        "Confirm your new e-mail address",
                        id="email-code-heading",
                        style={**theme.HEADING_2, "font_size": theme.TEXT_LG},
                    ),
                    rx.el.p(
                        "We sent a 6-digit code to ",
                        rx.el.strong(AccountState.pending_email, data_testid="pending-email"),
                        ". It is valid for 10 minutes. Until you enter it, your current address stays in use.",
                        style={
                            "margin": f"{theme.SPACE_1} 0 0",
                            "color": theme.TEXT_MUTED,
                            "font_size": theme.TEXT_SM,
                            "line_height": theme.LEADING_BODY,
                        },
                    ),
                ),
                style={
                    "display": "flex",
                    "gap": theme.SPACE_4,
                    "align_items": "flex-start",
                    "margin_bottom": theme.SPACE_5,
                },
            ),
            forms.form(
                forms.alert(AccountState.code_errors),
                rx.el.div(
                    forms.field(
                        "6-digit code",
                        "code",
                        AccountState.code_errors,
                        form_id="email-code",
                        auto_complete="one-time-code",
                        input_mode="numeric",
                        pattern="[0-9]{6}",
                        max_length=6,
                        required=True,
                        input_style={"font_family": theme.FONT_MONO, "letter_spacing": "0.3em", "max_width": "220px"},
                    ),
                ),
                rx.el.div(
                    forms.submit_button("Confirm e-mail", AccountState.busy == "code", "Checking…"),
                    rx.el.button(
                        "Cancel", type="button", on_click=AccountState.cancel_email_change, style=theme.BUTTON_SECONDARY
                    ),
                    style=_ACTIONS,
                ),
                on_submit=AccountState.confirm_email,
                reset_on_submit=False,
                aria_label="Confirm e-mail code",
            ),
            aria_labelledby="email-code-heading",
            style={**theme.CARD, "background": theme.ACCENT_SOFT, "border_color": theme.ACCENT_LINE},
        ),
    )


@portal_page(
    routes.PORTAL_ACCOUNT,
    title="Account",
    description="Your name, username, phone, company, country and e-mail address.",
    on_load=(AccountState.load,),
    own_account=True,
)
def page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Account", "Your name and contact details as your delivery team sees them."),
        rx.el.div(
            _email_code_form(),
            forms.section_card(
                "Profile",
                "Changes apply as soon as you save them.",
                rx.cond(
                    AccountState.loaded,
                    _profile_form(),
                    rx.el.div(
                        spinner(size="3"),
                        style={"display": "flex", "justify_content": "center", "padding": theme.SPACE_8},
                    ),
                ),
                section_id="profile",
                icon="user-round",
            ),
            style={"display": "grid", "gap": theme.SPACE_6},
        ),
    )
