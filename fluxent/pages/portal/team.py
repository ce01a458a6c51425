"""Team (``/portal/team``): the organization's people; its owners invite colleagues as members
and resend or revoke pending invitations (``PortalTeamState``)."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.view_as import CAN_CHANGE
from fluxent.pages.portal.portal_parts import MUTED, SECTION_HEADING, empty, intro
from fluxent.state.team import INVITE_FORM, InvitationRow, MemberRow, PortalTeamState

_ROW = {
    "display": "flex",
    "flex_wrap": "wrap",
    "align_items": "center",
    "gap": theme.SPACE_3,
    "padding": f"{theme.SPACE_3} 0",
    "border_top": f"1px solid {theme.LINE}",
}
_GROW = {"flex": "1 1 14rem", "min_width": "0"}
_STRONG = {"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "overflow_wrap": "anywhere"}
_SMALL = {**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM, "padding_x": theme.SPACE_4}
_LIST = {"list_style": "none", "margin": "0", "padding": "0"}


def _member(member: MemberRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(member.name, style=_STRONG),
            rx.el.p(member.email, style={**MUTED, "margin": "0", "overflow_wrap": "anywhere"}),
            style=_GROW,
        ),
        forms.badge(member.role, tone=rx.cond(member.role == "Owner", "accent", "neutral")),
        style=_ROW,
    )


def _invitation(invitation: InvitationRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(invitation.email, style=_STRONG),
            rx.el.p("Sent ", invitation.sent, " · valid until ", invitation.expires, style={**MUTED, "margin": "0"}),
            style=_GROW,
        ),
        rx.cond(
            CAN_CHANGE,
            rx.el.div(
                rx.el.button(
                    "Resend",
                    type="button",
                    on_click=PortalTeamState.resend(invitation.id),
                    aria_label="Resend the invitation to " + invitation.email,
                    style=_SMALL,
                ),
                rx.el.button(
                    "Revoke",
                    type="button",
                    on_click=PortalTeamState.revoke(invitation.id),
                    aria_label="Revoke the invitation to " + invitation.email,
                    style={**_SMALL, "color": theme.DANGER},
                ),
                style={"display": "flex", "gap": theme.SPACE_2},
            ),
        ),
        data_testid="pending-invitation",
        style=_ROW,
    )


def _invite_form() -> rx.Component:
    return forms.form(
        forms.alert(PortalTeamState.errors, fields=(("email", "E-mail address"),), form_id=INVITE_FORM),
        forms.field(
            "E-mail address",
            "email",
            PortalTeamState.errors,
            form_id=INVITE_FORM,
            type="email",
            auto_complete="email",
            max_length=254,
            hint="They join as a member: they see the engagements, documents and invoices, and owners decide.",
        ),
        forms.submit_button(
            "Send invitation", PortalTeamState.busy == INVITE_FORM, "Sending…", style={"justify_self": "start"}
        ),
        key=PortalTeamState.form_version.to_string(),
        on_submit=PortalTeamState.invite,
        aria_label="Invite a colleague",
        style={"display": "grid", "gap": theme.SPACE_4, "max_width": "520px"},
    )


def _section(heading: str, anchor: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(
        rx.el.h2(heading, id=anchor, style=SECTION_HEADING),
        *children,
        aria_labelledby=anchor,
        style={**theme.CARD, "margin_top": theme.SPACE_6},
    )


def _team() -> rx.Component:
    return rx.fragment(
        _section(
            "People",
            "people-heading",
            rx.el.p(PortalTeamState.team_organization, style={**MUTED, "margin": f"0 0 {theme.SPACE_2}"}),
            rx.el.ul(rx.foreach(PortalTeamState.members, _member), style=_LIST),
        ),
        rx.cond(
            PortalTeamState.may_invite,
            rx.fragment(
                rx.cond(CAN_CHANGE, _section("Invite a colleague", "invite-heading", _invite_form())),
                _section(
                    "Pending invitations",
                    "pending-heading",
                    rx.cond(
                        PortalTeamState.pending.length() > 0,  # type: ignore[attr-defined]
                        rx.el.ul(rx.foreach(PortalTeamState.pending, _invitation), style=_LIST),
                        rx.el.p("None pending.", style={**MUTED, "margin": "0"}),
                    ),
                ),
            ),
            rx.el.p(
                "Owners of the organization invite colleagues; ask one of them to add someone.",
                style={**MUTED, "margin_top": theme.SPACE_4},
            ),
        ),
    )


@portal_page(
    routes.PORTAL_TEAM,
    title="Team",
    description="Your organization's people and invitations.",
    on_load=(PortalTeamState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        intro("Team", "Who works with Fluxent in your organization. Owners invite colleagues here."),
        rx.cond(
            PortalTeamState.team_organization_id != 0,
            _team(),
            rx.cond(PortalTeamState.loaded, empty("You are not in a client organization.")),
        ),
    )
