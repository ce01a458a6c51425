"""``/invite/<token>``: who invited you to which organization; your name and a password to accept.

Opening the page uses nothing up; accepting posts to the API, which creates the
account (or adds the membership to an existing one) and signs in.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.auth_layout import (
    auth_card,
    auth_page,
    back_to_sign_in,
    new_password_field,
    query_messages,
)
from fluxent.components.forms import FORM_STACK, field, submit_button
from fluxent.components.native_form import api_form
from fluxent.components.spinner import spinner
from fluxent.state.new_password import InvitationState


def _detail(label: str, value: rx.Var, test_id: str) -> rx.Component:
    return rx.el.div(
        rx.el.dt(
            label,
            style={
                "color": theme.TEXT_SUBTLE,
                "font_size": theme.TEXT_XS,
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "text_transform": "uppercase",
                "letter_spacing": theme.TRACKING_WIDE,
            },
        ),
        rx.el.dd(
            value,
            data_testid=test_id,
            style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "word_break": "break-word"},
        ),
    )


def _details() -> rx.Component:
    return rx.el.dl(
        rx.cond(
            InvitationState.organization != "",
            _detail("Organization", InvitationState.organization, "invite-organization"),
        ),
        _detail("You'll sign in as", InvitationState.email, "invite-email"),
        style={
            "display": "grid",
            "gap": theme.SPACE_3,
            "margin": f"0 0 {theme.SPACE_6}",
            "padding": theme.SPACE_4,
            "border_radius": theme.RADIUS_MD,
            "background": theme.CANVAS,
            "border": f"1px solid {theme.LINE}",
        },
    )


def _new_account_fields() -> rx.Component:
    return rx.fragment(
        field(
            "Your name",
            input_id="invite-name",
            name="name",
            type="text",
            auto_complete="name",
            required=True,
            max_length=200,
            value=InvitationState.person_name,
            on_change=InvitationState.set_person_name,
            on_blur=InvitationState.check_person_name,
            error=InvitationState.name_error,
        ),
        new_password_field(on_change=InvitationState.check_invited_password, label="Choose a password"),
    )


def _existing_account_note() -> rx.Component:
    return rx.el.p(
        "You already have a Fluxent account with this address: accepting adds this organization to it.",
        style={"margin": "0", "color": theme.TEXT_MUTED},
    )


def _sign_in_first() -> rx.Component:
    return rx.el.p(
        "You already have a Fluxent account with this address. ",
        rx.el.a("Sign in", href=routes.LOGIN),
        " to it first, then open the invitation link from your e-mail again to accept.",
        data_testid="invitation-sign-in-first",
        style={"margin": "0", "color": theme.TEXT_MUTED},
    )


def _accept_form() -> rx.Component:
    return rx.fragment(
        _details(),
        rx.cond(InvitationState.needs_sign_in, _sign_in_first(), _form()),
    )


def _form() -> rx.Component:
    return rx.fragment(
        api_form(
            rx.el.input(type="hidden", name="token", value=InvitationState.link_token),
            rx.cond(InvitationState.has_account, _existing_account_note(), _new_account_fields()),
            submit_button(
                rx.cond(InvitationState.has_account, "Accept", "Accept and sign in"),
                busy_label="Setting up…",
                busy=InvitationState.busy,
                full_width=True,
            ),
            api_path=routes.API_INVITATION_ACCEPT,
            on_submit=InvitationState.posting,
            aria_label="Accept the invitation",
            style=FORM_STACK,
        ),
    )


def _unusable() -> rx.Component:
    return rx.el.p(
        "It may have been used already or have expired. Ask the person who invited you to send a new one.",
        style={"margin": "0", "color": theme.TEXT_MUTED},
    )


def _loading() -> rx.Component:
    return rx.el.div(
        spinner(size="3"),
        role="status",
        aria_label="Loading the invitation",
        style={"display": "flex", "justify_content": "center", "padding": theme.SPACE_8},
    )


@auth_page(
    routes.INVITATION,
    title="Your invitation",
    description="Accept your invitation to the Fluxent client portal.",
    on_load=InvitationState.load_invitation,
)
def page() -> rx.Component:
    heading = rx.cond(
        InvitationState.loaded,
        rx.cond(InvitationState.found, InvitationState.inviter + " invited you", "This invitation can't be used"),
        "Your invitation",
    )
    intro = rx.cond(
        InvitationState.found,
        rx.cond(
            InvitationState.organization != "",
            "Set up your account to follow this organization's builds: engagements, documents, invoices and signatures.",
            "Set up your account to join the Fluxent team on the portal.",
        ),
        "",
    )
    return auth_card(
        query_messages(),
        rx.cond(InvitationState.loaded, rx.cond(InvitationState.found, _accept_form(), _unusable()), _loading()),
        back_to_sign_in(),
        heading=heading,
        intro=intro,
        icon="mail-open",
    )
