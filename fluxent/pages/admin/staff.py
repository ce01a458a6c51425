"""Staff console, administrators only: Fluxent's staff in a filtered, paged table; a side drawer
edits one person's name, role and Team-page profile (title, team, bio, links, photo); invitations
for new staff below."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.documents import document_uploader
from fluxent.components.portal_layout import portal_page
from fluxent.components.side_sheet import side_sheet
from fluxent.pages.admin.console_parts import (
    ACTIONS,
    GRID_2,
    MUTED,
    NAME,
    filter_bar,
    gate,
    invitation_row,
    listing,
    pager,
    row_button,
    stack,
    subheading,
)
from fluxent.state.admin_console import InvitationRow
from fluxent.state.admin_staff import (
    PHOTO_ACCEPT,
    PHOTO_ERROR,
    PHOTO_TYPES,
    PHOTO_UPLOAD_ID,
    ROLE_CHOICES,
    AdminStaffState,
    StaffRow,
)

ROLES = [(role, role.title()) for role in ROLE_CHOICES]
CELL: dict[str, Any] = {
    "padding": f"{theme.SPACE_3} {theme.SPACE_3}",
    "border_top": f"1px solid {theme.LINE}",
    "text_align": "left",
    "vertical_align": "middle",
}
HEAD_CELL: dict[str, Any] = {**CELL, "border_top": "none", **MUTED, "font_weight": theme.WEIGHT_SEMIBOLD}
# Below tablet width the e-mail and team columns give way to the name and the button.
WIDE_ONLY: dict[str, Any] = {"display": "none", theme.TABLET_UP: {"display": "table-cell"}}


def _avatar(url: rx.Var, size: str = "40px") -> rx.Component:
    return rx.cond(
        url != "",
        rx.el.img(
            src=url,
            alt="",
            style={
                "display": "block",
                "flex_shrink": "0",
                "width": size,
                "height": size,
                "border_radius": theme.RADIUS_PILL,
                "object_fit": "cover",
            },
        ),
        rx.el.span(
            rx.icon("user", size=18),
            aria_hidden="true",
            style={**theme.icon_tile(size), "border_radius": theme.RADIUS_PILL},
        ),
    )


def _row(row: StaffRow) -> rx.Component:
    return rx.el.tr(
        rx.el.td(
            rx.el.div(
                _avatar(row.photo_url),
                rx.el.div(rx.el.p(row.name, style=NAME), rx.el.p(row.title, style=MUTED), style={"min_width": "0"}),
                style={"display": "flex", "align_items": "center", "gap": theme.SPACE_3},
            ),
            style=CELL,
        ),
        rx.el.td(row.email, style={**CELL, **WIDE_ONLY, "overflow_wrap": "anywhere", **MUTED}),
        rx.el.td(forms.badge(row.role, tone=rx.cond(row.role == "admin", "accent", "neutral")), style=CELL),
        rx.el.td(
            rx.cond(row.listed, "Listed", "Not listed"),
            style={**CELL, **WIDE_ONLY, **MUTED, "white_space": "nowrap"},
        ),
        rx.el.td(
            row_button(
                "Edit", AdminStaffState.open_editor(row.user_id), aria_label="Edit " + row.name, aria_haspopup="dialog"
            ),
            style={**CELL, "text_align": "right"},
        ),
        data_testid="staff-row",
    )


def _table() -> rx.Component:
    head = rx.el.thead(
        rx.el.tr(
            rx.el.th("Name", scope="col", style=HEAD_CELL),
            rx.el.th("E-mail", scope="col", style={**HEAD_CELL, **WIDE_ONLY}),
            rx.el.th("Role", scope="col", style=HEAD_CELL),
            rx.el.th("Team page", scope="col", style={**HEAD_CELL, **WIDE_ONLY}),
            rx.el.th(rx.el.span("Actions", style=theme.VISUALLY_HIDDEN), scope="col", style=HEAD_CELL),
        )
    )
    return rx.cond(
        AdminStaffState.rows.length() > 0,  # type: ignore[attr-defined]
        rx.el.div(
            rx.el.table(
                head,
                rx.el.tbody(rx.foreach(AdminStaffState.rows, _row)),
                style={"width": "100%", "border_collapse": "collapse"},
            ),
            style={"overflow_x": "auto"},
        ),
        rx.el.p("Nobody matches. Try another name or role.", style={**MUTED, "padding": f"{theme.SPACE_4} 0"}),
    )


def _photo(edited: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.p("Photo", style=theme.LABEL),
        rx.el.div(
            _avatar(edited.photo_url, "96px"),
            rx.cond(
                edited.photo_url != "",
                row_button("Remove photo", AdminStaffState.remove_photo, danger=True),
            ),
            style={"display": "flex", "align_items": "center", "gap": theme.SPACE_4},
        ),
        document_uploader(
            PHOTO_UPLOAD_ID,
            label="Upload photo",
            accept=PHOTO_ACCEPT,
            types=PHOTO_TYPES,
            uploading=AdminStaffState.uploading,
            uploaded=AdminStaffState.uploaded,
            error=forms.message(AdminStaffState.errors, PHOTO_ERROR),
            on_upload=AdminStaffState.upload_photo(rx.upload_files_chunk(upload_id=PHOTO_UPLOAD_ID)),
        ),
        style={"margin_top": theme.SPACE_6, "padding_top": theme.SPACE_5, "border_top": f"1px solid {theme.LINE}"},
    )


def _drawer_form(edited: rx.Var) -> rx.Component:
    errors = AdminStaffState.errors
    return forms.form(
        forms.alert(errors, "profile.form"),
        forms.field(
            "Name", "profile.name", errors, form_id="profile", default_value=edited.name, required=True, max_length=200
        ),
        forms.read_only_value("E-mail", edited.email, data_testid="staff-email"),
        forms.select("Role", "profile.role", ROLES, errors, form_id="profile", default_value=edited.role),
        rx.el.div(
            forms.field(
                "Title", "profile.title", errors, form_id="profile", default_value=edited.title, max_length=120
            ),
            forms.field("Team", "profile.team", errors, form_id="profile", default_value=edited.team, max_length=120),
            style=GRID_2,
        ),
        forms.textarea(
            "Bio",
            "profile.bio",
            errors,
            form_id="profile",
            default_value=edited.bio,
            rows=4,
            max_length=400,
            optional=True,
            hint="Plain text, up to 400 characters, shown on the Team page.",
        ),
        forms.textarea(
            "Links",
            "profile.links",
            errors,
            form_id="profile",
            default_value=edited.links,
            rows=3,
            max_length=1000,
            optional=True,
            hint="Up to five https:// addresses, one a line.",
        ),
        forms.checkbox(
            "Listed on the Team page", "profile.listed", input_id="profile-listed", default_checked=edited.listed
        ),
        rx.el.div(
            rx.el.button("Save", type="submit", style=theme.BUTTON_PRIMARY),
            rx.el.button("Cancel", type="button", on_click=AdminStaffState.close_editor, style=theme.BUTTON_SECONDARY),
            style=ACTIONS,
        ),
        key=AdminStaffState.form_version.to_string() + "-" + edited.user_id.to_string(),
        on_submit=AdminStaffState.save,
        aria_label="Edit " + edited.name,
        style=forms.FORM_STACK,
    )


def _drawer() -> rx.Component:
    edited = AdminStaffState.edited
    return rx.cond(
        AdminStaffState.editing != 0,
        side_sheet(
            edited.name,
            _drawer_form(edited),
            _photo(edited),
            on_close=AdminStaffState.close_editor,
            on_key=AdminStaffState.editor_key,
            sheet_id="staff-drawer",
        ),
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
            filter_bar(
                "staff-search",
                "Search by name or e-mail",
                AdminStaffState.query,
                AdminStaffState.search,
                status=(
                    "role",
                    [("", "Every role"), ("staff", "Staff"), ("admin", "Admin")],
                    AdminStaffState.role_filter,
                ),
            ),
            rx.el.p(AdminStaffState.total.to_string(), " people", data_testid="staff-total", style=MUTED),
            _table(),
            pager(AdminStaffState.page, AdminStaffState.pages, AdminStaffState.go_to),
            section_id="staff-list",
            icon="users",
        ),
        _invite(),
        _drawer(),
    )


@portal_page(
    routes.ADMIN_STAFF,
    title="Staff",
    description="Fluxent's staff: roles, titles, teams, the Team page.",
    on_load=(AdminStaffState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Staff", "Roles, profiles and photos, and who appears on the public Team page."),
        gate(_body(), denied="Only administrators can manage staff."),
    )
