"""Staff console: the organizations list (search, create) and one organization's page
(members, invitations, engagements, documents). Thin handlers over the services."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent import routes
from fluxent.models.accounts import User
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import authz, invitations, organizations
from fluxent.services.auth import two_step
from fluxent.services.portal import console, documents, engagements, listings
from fluxent.state.admin_console import (
    ConsoleState,
    InvitationRow,
    filter_choice,
    filter_text,
    invitation_rows,
    page_within,
    parse_amount,
    parse_date,
    route_id,
)
from fluxent.state.document_versions import DocumentVersionsMixin
from fluxent.state.formatting import STATUS_LABELS, money
from fluxent.state.portal import DocumentRow, document_row
from fluxent.state.uploads import upload

OrganizationRow = console.OrganizationSummary


class OrganizationsState(ConsoleState):
    rows: list[OrganizationRow] = []
    query: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0

    def _fill(self, db: Session, user: User) -> None:
        found = console.organization_rows(db, actor=user, query=self.query, page=self.page)
        self.rows, self.total, self.pages = found.items, found.total, found.pages

    @rx.event
    def load(self) -> None:
        self._load(self._fill)

    @rx.event
    def search(self, form: dict[str, Any]) -> None:
        self.query, self.page = filter_text(form), 1
        self._load(self._fill)

    @rx.event
    def go_to(self, page: int) -> None:
        self.page = page_within(page, self.pages)
        self._load(self._fill)

    @rx.event
    def create(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "create"
        yield
        created: list[int] = []

        def action(db: Session, user: User) -> None:
            created.append(organizations.create_organization(db, actor=user, name=str(form.get("create.name", ""))).id)

        if self._act("create", action, "Organization created."):
            yield rx.redirect(routes.admin_organization(created[0]))


@dataclasses.dataclass
class MemberRow:
    user_id: int
    name: str
    email: str
    role: str
    two_step: bool


@dataclasses.dataclass
class EngagementLine:
    id: int
    title: str
    status: str
    price: str
    href: str


UPLOAD_ID = "admin-organization-upload"
UPLOAD_ERROR = "documents.file"  # the key of a refused file's message, shown beside the uploader


class AdminOrganizationState(ConsoleState, DocumentVersionsMixin):
    organization_id: int = 0
    name: str = ""
    members: list[MemberRow] = []
    invitations: list[InvitationRow] = []
    engagement_rows: list[EngagementLine] = []
    engagement_query: str = ""
    engagement_status: str = ""  # "" for any
    engagement_page: int = 1
    engagement_pages: int = 1
    engagement_total: int = 0
    document_rows: list[DocumentRow] = []
    document_query: str = ""
    document_page: int = 1
    document_pages: int = 1
    document_total: int = 0
    # The member whose removal waits for a second click.
    confirm_remove: int = 0
    # The member whose two-step sign-in an administrator is removing (the identity check is asked for).
    confirm_two_step: int = 0
    uploading: bool = False
    uploaded: bool = False  # the last upload was accepted (the uploader clears its chosen file)

    def _fill(self, db: Session, user: User) -> None:
        org_id = self.organization_id
        # Staff only (checked first): nothing of the page is filled for anyone else, the
        # organization's owners included (they see their people on the portal's Team page).
        authz.require_staff(user)
        self.invitations = invitation_rows(invitations.pending_rows(db, actor=user, organization_id=org_id))
        self.name = organizations.get_organization(db, actor=user, organization_id=org_id).name
        members = organizations.members_of(db, actor=user, organization_id=org_id)
        with_two_step = two_step.enrolled_among(db, [m.user_id for m in members])
        self.members = [MemberRow(m.user_id, m.name, m.email, str(m.role), m.user_id in with_two_step) for m in members]
        self._fill_engagements(db, user)
        self._fill_documents(db, user)

    def _fill_engagements(self, db: Session, user: User) -> None:
        found = listings.engagement_page(
            db,
            actor=user,
            organization_id=self.organization_id,
            status=self.engagement_status,
            query=self.engagement_query,
            page=self.engagement_page,
        )
        self.engagement_rows = [
            EngagementLine(
                e.id,
                e.title,
                STATUS_LABELS[e.status],
                money(e.fixed_price_minor, e.currency),
                routes.admin_engagement(e.id),
            )
            for e in found.items
        ]
        self.engagement_total, self.engagement_pages = found.total, found.pages

    def _fill_documents(self, db: Session, user: User) -> None:
        found = listings.document_page(
            db, actor=user, organization_id=self.organization_id, query=self.document_query, page=self.document_page
        )
        self.document_rows = [document_row(line, general="General") for line in found.items]
        self.document_total, self.document_pages = found.total, found.pages
        if self.document_page > found.pages:  # the last page emptied (a document deleted)
            self.document_page = found.pages
            self._fill_documents(db, user)

    @rx.event
    def search_engagements(self, form: dict[str, Any]) -> None:
        self.engagement_status = filter_choice(form, EngagementStatus)
        self.engagement_query, self.engagement_page = filter_text(form), 1
        self._load(self._fill_engagements)

    @rx.event
    def engagements_go_to(self, page: int) -> None:
        self.engagement_page = page_within(page, self.engagement_pages)
        self._load(self._fill_engagements)

    @rx.event
    def search_documents(self, form: dict[str, Any]) -> None:
        self.document_query, self.document_page = filter_text(form), 1
        self._load(self._fill_documents)

    @rx.event
    def documents_go_to(self, page: int) -> None:
        self.document_page = page_within(page, self.document_pages)
        self._load(self._fill_documents)

    @rx.event
    def load(self) -> None:
        organization_id = route_id(self, "organization_id")
        if organization_id != self.organization_id:  # another organization's page: its lists start afresh
            self.engagement_query = self.engagement_status = self.document_query = ""
            self.engagement_page = self.document_page = 1
        self.organization_id = organization_id
        self.confirm_remove = self.confirm_two_step = 0
        self._close_versions()
        self._load(self._fill)

    def _documents_changed(self) -> None:
        self._load(self._fill, fresh=False)

    @rx.event
    def change_role(self, user_id: int, role: str) -> None:
        self._call(
            "members",
            organizations.change_member_role,
            "Role changed.",
            organization_id=self.organization_id,
            user_id=user_id,
            role=role,
        )

    @rx.event
    def ask_remove(self, user_id: int) -> None:
        self.confirm_remove = user_id

    @rx.event
    def remove(self, user_id: int) -> None:
        self.confirm_remove = 0
        self._call(
            "members",
            organizations.remove_member,
            "Member removed and signed out.",
            organization_id=self.organization_id,
            user_id=user_id,
        )

    @rx.event
    def ask_remove_two_step(self, user_id: int) -> None:
        self.confirm_two_step = user_id

    @rx.event
    def remove_two_step(self, form: dict[str, Any]) -> None:
        """Recovery for someone who lost their app and recovery codes, after checking who they are."""
        if self._call(
            "two_step",
            two_step.remove_for_person,
            "Two-step sign-in removed; the person was e-mailed.",
            user_id=self.confirm_two_step,
            identity_check=str(form.get("two_step.identity_check", "")),
        ):
            self.confirm_two_step = 0

    @rx.event
    def invite(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "invite"
        yield
        email = str(form.get("invite.email", ""))
        if self._send_invitation(
            email,
            lambda db, user: invitations.invite_member(
                db,
                actor=user,
                organization_id=self.organization_id,
                email=email,
                org_role=str(form.get("invite.org_role", "")),
            ),
        ):
            self.form_version += 1

    @rx.event
    def revoke(self, invitation_id: int) -> None:
        self._call(
            "invite",
            invitations.revoke_invitation,
            "Invitation revoked.",
            organization_id=self.organization_id,
            invitation_id=invitation_id,
        )

    @rx.event
    def create_engagement(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "engagement"
        yield
        created: list[int] = []

        def action(db: Session, user: User) -> None:
            engagement = engagements.create_engagement(
                db,
                actor=user,
                organization_id=self.organization_id,
                title=str(form.get("engagement.title", "")),
                fixed_price_minor=parse_amount(str(form.get("engagement.fixed_price_minor", "")), "fixed_price_minor"),
                currency=str(form.get("engagement.currency", "")),
                scope_summary=str(form.get("engagement.scope_summary", "")),
                start_date=parse_date(str(form.get("engagement.start_date", "")), "start_date"),
                target_date=parse_date(str(form.get("engagement.target_date", "")), "target_date"),
            )
            created.append(engagement.id)

        if self._act("engagement", action, "Engagement created. Plan its milestones next."):
            yield rx.redirect(routes.admin_engagement(created[0]))

    @rx.event
    def delete_document(self, document_id: int) -> None:
        self._call("documents", documents.delete_document, "Document deleted.", document_id=document_id)

    @rx.event(background=True)
    async def upload(self, chunks: rx.UploadChunkIterator) -> None:
        async with self:
            self.uploading, self.uploaded, self.errors = True, False, {}
            cookie, target, viewing_as = self.router.headers.cookie, f"org:{self.organization_id}", self._viewing_as
        message, problem = await upload(cookie, target, chunks, viewing_as=viewing_as)
        async with self:
            self.uploading, self.uploaded = False, not problem
            if problem:
                self.errors = {UPLOAD_ERROR: problem}
            else:
                self._tell(message)
                self._load(self._fill, fresh=False)
