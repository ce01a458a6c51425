"""Staff console, administrators only: Fluxent's staff, their role, title and team, whether the
public Team page lists them, and invitations for new staff."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.pages.admin.console_parts import (
    ACTIONS,
    GRID_2,
    MUTED,
    NAME,
    gate,
    invitation_row,
    listing,
    stack,
    subheading,
)
from fluxent.state.admin_console import InvitationRow
from fluxent.state.admin_staff import ROLE_CHOICES, AdminStaffState, StaffRow

ROLES = [(role, role.title()) for role in ROLE_CHOICES]


def _person(row: StaffRow) -> rx.Component:
    errors = AdminStaffState.errors
    key = "s" + row.user_id.to_string()
    return rx.el.li(
        forms.form(
            rx.el.div(
                rx.el.p(row.name, style=NAME),
                rx.el.p(row.email, style={**MUTED, "overflow_wrap": "anywhere"}),
                style={"margin_bottom": theme.SPACE_4},
            ),
            forms.alert(errors, key + ".form"),
            rx.el.input(type="hidden", name="user_id", value=row.user_id.to_string()),
            rx.el.div(
                forms.select("Role", key + ".role", ROLES, errors, form_id=key, default_value=row.role),
                forms.field("Title", key + ".title", errors, form_id=key, default_value=row.title, max_length=120),
                forms.field("Team", key + ".team", errors, form_id=key, default_value=row.team, max_length=120),
                forms.checkbox(
                    "Listed on the Team page",
                    key + ".listed",
                    input_id=f"{key}-listed",
                    default_checked=row.listed,
                    style={
                        "display": "flex",
                        "align_items": "center",
                        "align_self": "end",
                        "min_height": theme.CONTROL_HEIGHT,
                    },
                ),
                style=GRID_2,
            ),
            rx.el.div(
                rx.el.button("Save", type="submit", aria_label="Save " + row.name, style=theme.BUTTON_PRIMARY),
                style=ACTIONS,
            ),
            key=AdminStaffState.form_version,
            on_submit=AdminStaffState.save,
            aria_label=row.name,
        ),
        style={"padding": f"{theme.SPACE_5} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _invitation(invitation: InvitationRow) -> rx.Component:
    return invitation_row(invitation, AdminStaffState.revoke(invitation.id), "Expires ", invitation.expires)


def _invite() -> rx.Component:
    errors = AdminStaffState.errors
    return forms.section_card(
        "Invite a staff member",
        "They get an e-mail with a link to set up their account as staff.",
        forms.form(
            forms.alert(errors, "invite.form"),
            rx.el.div(
                forms.field(
                    "E-mail", "invite.email", errors, form_id="invite", type="email", required=True, max_length=254
                ),
                forms.field("Title", "invite.title", errors, form_id="invite", max_length=120),
                forms.field("Team", "invite.team", errors, form_id="invite", max_length=120),
                style=GRID_2,
            ),
            rx.el.div(
                forms.submit_button("Send invitation", AdminStaffState.busy == "invite", "Sending…"), style=ACTIONS
            ),
            key=AdminStaffState.form_version,
            on_submit=AdminStaffState.invite,
            aria_label="Invite a staff member",
        ),
        subheading("Pending staff invitations"),
        forms.alert(errors, "invitations.form"),
        listing(AdminStaffState.invitations, _invitation, "No pending staff invitations."),
        section_id="invite-staff",
        icon="user-plus",
    )


def _body() -> rx.Component:
    return stack(
        forms.section_card(
            "Staff and administrators",
            "At least one administrator always remains. Clients never appear here.",
            rx.el.ul(
                rx.foreach(AdminStaffState.rows, _person), style={"list_style": "none", "margin": "0", "padding": "0"}
            ),
            section_id="staff-list",
            icon="users",
        ),
        _invite(),
    )


@portal_page(
    routes.ADMIN_STAFF,
    title="Staff",
    description="Fluxent's staff: roles, titles, teams, the Team page.",
    on_load=(AdminStaffState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Staff", "Roles, titles and teams, and who appears on the public Team page."),
        gate(_body(), denied="Only administrators can manage staff."),
    )
