"""Staff console: the organizations list (search, create) and one organization's page with its
members, invitations, engagements and documents."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.documents import document_details, document_uploader, document_versions, versions_button
from fluxent.components.portal_layout import portal_page
from fluxent.pages.admin.console_parts import (
    ACTIONS,
    ENGAGEMENT_STATUSES,
    GRID_2,
    GROW,
    LINK,
    MUTED,
    NAME,
    ROW,
    back_to,
    filter_bar,
    gate,
    invitation_row,
    listing,
    pager,
    row_button,
    stack,
    subheading,
    total_line,
)
from fluxent.state.admin_orgs import (
    UPLOAD_ERROR,
    UPLOAD_ID,
    AdminOrganizationState,
    EngagementLine,
    InvitationRow,
    MemberRow,
    OrganizationRow,
    OrganizationsState,
)
from fluxent.state.portal import DocumentRow

ORG_ROLES = [("member", "Member"), ("owner", "Owner")]


# The list ------------------------------------------------------------------------


def _count(value: rx.Var, one: str, many: str) -> rx.Component:
    return rx.el.span(value.to_string(), " ", rx.cond(value == 1, one, many), style={**MUTED, "white_space": "nowrap"})


def _organization(row: OrganizationRow) -> rx.Component:
    return rx.el.li(
        rx.el.a(row.name, href=row.href, style={**LINK, **GROW}),
        _count(row.members, "person", "people"),
        _count(row.engagements, "engagement", "engagements"),
        rx.cond(row.active_engagements > 0, forms.badge(row.active_engagements.to_string() + " active")),
        rx.icon("chevron-right", size=16, aria_hidden="true", style={"color": theme.TEXT_SUBTLE}),
        data_testid="organization-row",
        style=ROW,
    )


def _create_form() -> rx.Component:
    errors = OrganizationsState.errors
    return forms.section_card(
        "New organization",
        "A client company. Invite its people from its page once it exists.",
        forms.form(
            forms.alert(errors, "create.form"),
            forms.field(
                "Name",
                "create.name",
                errors,
                form_id="create",
                required=True,
                max_length=200,
                auto_complete="organization",
            ),
            rx.el.div(
                forms.submit_button("Create organization", OrganizationsState.busy == "create", "Creating…"),
                style=ACTIONS,
            ),
            on_submit=OrganizationsState.create,
            aria_label="New organization",
        ),
        section_id="new-organization",
        icon="building-2",
    )


def _list_body() -> rx.Component:
    return stack(
        _create_form(),
        rx.el.section(
            rx.el.h2(
                "All organizations",
                style={**theme.HEADING_2, "font_size": theme.TEXT_LG, "margin": f"0 0 {theme.SPACE_4}"},
            ),
            filter_bar("org-search", "Search by name", OrganizationsState.query, OrganizationsState.search),
            total_line(OrganizationsState.total, "organization", "organizations", "organization-total"),
            listing(OrganizationsState.rows, _organization, "No organization matches. Try another name."),
            pager(OrganizationsState.page, OrganizationsState.pages, OrganizationsState.go_to),
            style=theme.CARD,
        ),
    )


@portal_page(
    routes.ADMIN_ORGANIZATIONS,
    title="Organizations",
    description="Client organizations: search and create.",
    on_load=(OrganizationsState.load,),
)
def list_page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Organizations", "Every client company, its people, engagements and documents."),
        gate(_list_body()),
    )


# One organization ------------------------------------------------------------------


def _member(member: MemberRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(member.name, style=NAME),
            rx.el.p(member.email, style={**MUTED, "overflow_wrap": "anywhere"}),
            style=GROW,
        ),
        rx.el.label("Role of ", member.name, html_for=f"role-{member.user_id}", style=theme.VISUALLY_HIDDEN),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in ORG_ROLES],
            id=f"role-{member.user_id}",
            value=member.role,
            on_change=lambda role: AdminOrganizationState.change_role(member.user_id, role),
            style={**theme.SELECT, "width": "auto", "height": theme.CONTROL_HEIGHT_SM},
        ),
        rx.cond(
            AdminOrganizationState.confirm_remove == member.user_id,
            rx.el.span(
                row_button("Confirm removal", AdminOrganizationState.remove(member.user_id), danger=True),
                row_button("Cancel", AdminOrganizationState.ask_remove(0)),
                style={"display": "inline-flex", "gap": theme.SPACE_2, "flex_wrap": "wrap"},
            ),
            row_button("Remove", AdminOrganizationState.ask_remove(member.user_id), aria_label="Remove " + member.name),
        ),
        rx.cond(AdminOrganizationState.is_admin & member.two_step, _two_step_recovery(member)),
        style=ROW,
    )


def _two_step_recovery(member: MemberRow) -> rx.Component:
    """Administrators: remove the second step of someone who lost their app and recovery codes."""
    errors = AdminOrganizationState.errors
    return rx.cond(
        AdminOrganizationState.confirm_two_step == member.user_id,
        forms.form(
            forms.field(
                "How you confirmed who they are",
                "two_step.identity_check",
                errors,
                form_id=f"two-step-{member.user_id}",
                required=True,
                max_length=300,
                hint="For example: video call, face and ID document matched the profile. Kept in the audit log, "
                "so leave out document numbers.",
            ),
            rx.el.div(
                forms.submit_button(
                    "Remove two-step sign-in", AdminOrganizationState.busy == "two_step", "Removing…", danger=True
                ),
                row_button("Cancel", AdminOrganizationState.ask_remove_two_step(0)),
                style=ACTIONS,
            ),
            on_submit=AdminOrganizationState.remove_two_step,
            aria_label="Remove two-step sign-in of " + member.name,
            style={**forms.FORM_STACK, "flex_basis": "100%"},
        ),
        row_button(
            "Remove two-step",
            AdminOrganizationState.ask_remove_two_step(member.user_id),
            aria_label="Remove two-step sign-in of " + member.name,
        ),
    )


def _invitation(invitation: InvitationRow) -> rx.Component:
    return invitation_row(
        invitation,
        AdminOrganizationState.revoke(invitation.id),
        "Invited as ",
        invitation.role,
        " · expires ",
        invitation.expires,
    )


def _people() -> rx.Component:
    errors = AdminOrganizationState.errors
    return forms.section_card(
        "People",
        "Owners decide on milestones and manage members; members follow the work. An organization keeps at least one owner.",
        forms.alert(errors, "members.form"),
        listing(AdminOrganizationState.members, _member, "Nobody yet. Invite the client's first owner below."),
        subheading("Invite someone"),
        forms.form(
            forms.alert(errors, "invite.form"),
            rx.el.div(
                forms.field(
                    "E-mail",
                    "invite.email",
                    errors,
                    form_id="invite",
                    type="email",
                    required=True,
                    max_length=254,
                    auto_complete="email",
                ),
                forms.select("Role", "invite.org_role", ORG_ROLES, errors, form_id="invite", default_value="member"),
                style=GRID_2,
            ),
            rx.el.div(
                forms.submit_button("Send invitation", AdminOrganizationState.busy == "invite", "Sending…"),
                style=ACTIONS,
            ),
            key=AdminOrganizationState.form_version,
            on_submit=AdminOrganizationState.invite,
            aria_label="Invite someone",
        ),
        subheading("Pending invitations"),
        listing(AdminOrganizationState.invitations, _invitation, "No pending invitations."),
        section_id="people",
        icon="users",
    )


def _engagement(engagement: EngagementLine) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.a(engagement.title, href=engagement.href, style=LINK),
            rx.el.p("Fixed price ", rx.el.span(engagement.price, style=theme.FIGURE), style=MUTED),
            style=GROW,
        ),
        forms.badge(engagement.status),
        style=ROW,
    )


def _new_engagement() -> rx.Component:
    errors = AdminOrganizationState.errors
    return forms.form(
        forms.alert(errors, "engagement.form"),
        rx.el.div(
            forms.field("Title", "engagement.title", errors, form_id="engagement", required=True, max_length=200),
            forms.field(
                "Fixed price",
                "engagement.fixed_price_minor",
                errors,
                form_id="engagement",
                required=True,
                input_mode="decimal",
                hint="In the currency below, e.g. 24000 or 24,000.50.",
            ),
            forms.field(
                "Currency",
                "engagement.currency",
                errors,
                form_id="engagement",
                default_value="USD",
                required=True,
                max_length=3,
                hint="Three letters, e.g. USD or EUR.",
                input_style={"text_transform": "uppercase"},
            ),
            forms.field("Start date", "engagement.start_date", errors, form_id="engagement", type="date"),
            forms.field("Target date", "engagement.target_date", errors, form_id="engagement", type="date"),
            forms.textarea(
                "Scope summary", "engagement.scope_summary", errors, form_id="engagement", max_length=20_000
            ),
            style=GRID_2,
        ),
        rx.el.div(
            forms.submit_button("Create engagement", AdminOrganizationState.busy == "engagement", "Creating…"),
            style=ACTIONS,
        ),
        on_submit=AdminOrganizationState.create_engagement,
        aria_label="New engagement",
    )


def _engagements() -> rx.Component:
    return forms.section_card(
        "Engagements",
        "Fixed-price builds for this organization. Open one to plan its milestones and move it along.",
        filter_bar(
            "engagement-search",
            "Search by title",
            AdminOrganizationState.engagement_query,
            AdminOrganizationState.search_engagements,
            status=("status", [("", "Any status"), *ENGAGEMENT_STATUSES], AdminOrganizationState.engagement_status),
        ),
        total_line(AdminOrganizationState.engagement_total, "engagement", "engagements", "engagement-total"),
        listing(AdminOrganizationState.engagement_rows, _engagement, "No engagements match."),
        pager(
            AdminOrganizationState.engagement_page,
            AdminOrganizationState.engagement_pages,
            AdminOrganizationState.engagements_go_to,
        ),
        rx.el.details(
            rx.el.summary(
                "New engagement",
                style={
                    **theme.BUTTON_SECONDARY,
                    "list_style": "none",
                    "width": "fit-content",
                    "margin": f"{theme.SPACE_5} 0",
                },
            ),
            _new_engagement(),
        ),
        section_id="engagements",
        icon="briefcase",
    )


def _document(document: DocumentRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.a(document.filename, href=document.download_url, download="", style=LINK),
            document_details(document),
            style=GROW,
        ),
        versions_button(AdminOrganizationState, document),
        row_button(
            "Delete",
            AdminOrganizationState.delete_document(document.id),
            danger=True,
            aria_label="Delete " + document.filename,
        ),
        document_versions(AdminOrganizationState, document),
        data_testid="document-row",
        style=ROW,
    )


def _documents() -> rx.Component:
    return forms.section_card(
        "Documents",
        "Shared with this organization's people. Deleting hides a document; its stored versions stay.",
        forms.alert(AdminOrganizationState.errors, "documents.form"),
        filter_bar(
            "document-search",
            "Search by file name",
            AdminOrganizationState.document_query,
            AdminOrganizationState.search_documents,
        ),
        total_line(AdminOrganizationState.document_total, "document", "documents", "document-total"),
        listing(AdminOrganizationState.document_rows, _document, "No documents match."),
        pager(
            AdminOrganizationState.document_page,
            AdminOrganizationState.document_pages,
            AdminOrganizationState.documents_go_to,
        ),
        document_uploader(
            UPLOAD_ID,
            label="Upload for this organization",
            uploading=AdminOrganizationState.uploading,
            uploaded=AdminOrganizationState.uploaded,
            error=forms.message(AdminOrganizationState.errors, UPLOAD_ERROR),
            on_upload=AdminOrganizationState.upload(rx.upload_files_chunk(upload_id=UPLOAD_ID)),
        ),
        section_id="documents",
        icon="file-text",
    )


def _detail_body() -> rx.Component:
    return stack(
        rx.el.h1(
            AdminOrganizationState.name,
            data_testid="organization-name",
            style={**theme.HEADING_1, "margin": "0", "font_size": theme.HEADING_MD, "overflow_wrap": "anywhere"},
        ),
        _people(),
        _engagements(),
        _documents(),
    )


@portal_page(
    routes.ADMIN_ORGANIZATION,
    title="Organization",
    description="One client organization.",
    on_load=(AdminOrganizationState.load,),
)
def detail_page() -> rx.Component:
    return rx.fragment(
        back_to("All organizations", routes.ADMIN_ORGANIZATIONS),
        gate(_detail_body(), missing="No such organization."),
    )


def pages() -> list:
    return [list_page, detail_page]
